#!/bin/sh
# glossary export: the built-in lexicon (or --glossary files) as TSV, CSV,
# JSON and TBX; TSV starts with a # line; TBX is well-formed XML.
fail() { echo "FAIL: $*"; exit 1; }
B=${BITEXT:?}

"$B" glossary export --format tsv > lex.tsv || fail "export tsv"
head -1 lex.tsv | grep -q '^#' || fail "tsv header must start with #"
[ "$(wc -l < lex.tsv)" -gt 50 ] || fail "lexicon export too small"
awk -F'\t' 'NR > 1 && NF != 5 { bad = 1 } END { exit bad }' lex.tsv || fail "tsv rows need 5 fields"
grep -q "^Thủ tướng	Prime Minister	title	" lex.tsv || fail "Thủ tướng row"
"$B" glossary export -o lex2.tsv || fail "export -o"
cmp -s lex.tsv lex2.tsv || fail "stdout and -o differ"

"$B" glossary export --format csv > lex.csv || fail "export csv"
head -1 lex.csv | grep -q '^vi,en,kind,count,sources' || fail "csv header"
/usr/bin/python3 - lex.csv <<'PY' || fail "csv does not parse"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
assert all(len(r) == 5 for r in rows), [r for r in rows if len(r) != 5][:3]
assert any(r[0] == "Thủ tướng" and r[1] == "Prime Minister" for r in rows)
PY

"$B" glossary export -o lex.json || fail "export json (by extension)"
/usr/bin/python3 - lex.json <<'PY' || fail "json does not parse"
import json, sys
d = json.load(open(sys.argv[1]))
assert any(e["vi"] == "Thủ tướng" and e["en"] == "Prime Minister" for e in d)
assert all(set(e) >= {"vi", "en", "kind", "count", "sources"} for e in d)
PY

printf '# g\nGiám đốc Sở Y tế\tDirector of the Department of Health\ttitle\t4\ta.txt:3\n' > g.tsv
"$B" glossary export --glossary g.tsv --format tsv > g2.tsv || fail "export --glossary"
[ "$(grep -vc '^#' g2.tsv)" -eq 1 ] || fail "export --glossary should hold the file only"
"$B" glossary export --glossary g.tsv --lexicon > g3.tsv || fail "export --lexicon"
[ "$(grep -vc '^#' g3.tsv)" -gt 50 ] || fail "--lexicon rows missing"

if "$B" glossary export --glossary g.tsv -o g.tbx 2> tbx.err; then
    grep -q "martif" g.tbx || fail "tbx root"
    if command -v xmllint > /dev/null; then
        xmllint --noout --nonet g.tbx || fail "tbx not well-formed"
    fi
else
    fail "export tbx: $(cat tbx.err)"
fi

"$B" glossary export --format xls > /dev/null 2>&1
[ $? -eq 2 ] || fail "bad format should exit 2"
"$B" glossary frobnicate > /dev/null 2>&1
[ $? -eq 2 ] || fail "bad subcommand should exit 2"
"$B" glossary --help | grep -q "glossary export" || fail "--help"
exit 0
