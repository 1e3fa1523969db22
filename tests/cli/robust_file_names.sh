#!/bin/sh
# issue 17, item 2: a file name that is not UTF-8 (an old archive's
# Windows-1258 name) went raw into glossary.tsv's sources, so bitext's own
# reader skipped every row citing it; TMX and TBX dropped its bytes
# ('H Ni.txt'); pairs.jsonl lines lost "file"; a ', ' in a name split it
# when sources were read back. Now every output writes a name by one rule
# (bt_name_text: %XX for what is not UTF-8 text), and each name read back
# from every output is the file's bytes.
set -u
fail() { echo "FAIL: $*"; exit 1; }
B=${BITEXT:?}
S=${TOP:?}/corpus/samples
mkdir in
cp "$S"/000_*.txt "in/$(printf 'H\340 N\364i.txt')"   # Windows-1258 "Hà Nôi"
cp "$S"/001_*.txt "in/a, b.txt"
cp "$S"/002_*.txt "in/p%41; q.txt"
# the bytes of a name written as text: each %XX back into its byte
bytes() { perl -pe 's/%([0-9A-Fa-f]{2})/chr hex $1/ge'; }
# every name in the list on stdin is one of the files, by its bytes (in a
# pipeline: its caller adds || exit 1)
all_files() {
    n=0
    while IFS= read -r t; do
        f=$(printf '%s' "$t" | bytes)
        [ -f "$f" ] || fail "$1: '$t' reads back as a name of no file"
        n=$((n + 1))
    done
    [ "$n" -gt 0 ] || fail "$1: no file named"
}

"$B" align -q -o out in 2> err || fail "align: $(cat err)"
[ -s err ] && fail "align said: $(cat err)"
for f in out/*; do
    LC_ALL=C grep -q "$(printf '\340')" "$f" && fail "$f holds the raw byte of the name"
done
grep -q 'in/H%E0 N%F4i.txt' out/glossary.tsv || fail "glossary.tsv: the name not escaped"
grep -q 'in/a%2C b.txt:' out/glossary.tsv || fail "glossary.tsv: ', ' not escaped"
grep -q 'in/p%2541%3B q.txt:' out/glossary.tsv || fail "glossary.tsv: '%41; ' not escaped"

# pairs.jsonl: every line names its file, and the three files are named
total=$(wc -l < out/pairs.jsonl)
[ "$(grep -c '^{"file":"' out/pairs.jsonl)" = "$total" ] || fail "pairs.jsonl: a line without \"file\""
sed -n 's/^{"file":"\([^"]*\)".*/\1/p' out/pairs.jsonl | sort -u > jfiles
[ "$(wc -l < jfiles)" = 3 ] || fail "pairs.jsonl names $(wc -l < jfiles) files"
all_files pairs.jsonl < jfiles

# memory.tmx: x-file and x-sources; the TBX and the OmegaT glossary
sed -n 's/.*<prop type="x-file">\(.*\)<\/prop>.*/\1/p' out/memory.tmx | sort -u | all_files x-file || exit 1
grep -q 'H Ni.txt' out/memory.tmx && fail "memory.tmx: the name lost its bytes"
sed -n 's/.*<prop type="x-sources">\(.*\)<\/prop>.*/\1/p' out/memory.tmx |
    sed 's/; /\n/g' | sed 's/:[0-9]*:[0-9]*$//' | sort -u | all_files x-sources || exit 1
sed -n 's/.*<admin type="source">\(.*\)<\/admin>.*/\1/p' out/glossary.tbx |
    sed 's/, /\n/g' | sed 's/:[0-9]*$//' | grep -vx lexicon | sort -u | all_files glossary.tbx || exit 1
sources() { # the places of a TSV glossary's rows (5th column), as names
    grep -v '^#' "$1" | cut -f5 | sed 's/, /\n/g' | sed 's/:[0-9]*$//' | grep -vx lexicon | sort -u
}
sources out/glossary.tsv > gfiles
[ "$(wc -l < gfiles)" = 3 ] || fail "glossary.tsv sources name $(wc -l < gfiles) files: $(cat gfiles)"
all_files glossary.tsv < gfiles

# read back: export and merge keep every row and every source
rows=$(grep -vc '^#' out/glossary.tsv)
"$B" glossary export --glossary out/glossary.tsv -o exp.tsv 2> err || fail "export: $(cat err)"
[ -s err ] && fail "export said: $(cat err)"
[ "$(grep -vc '^#' exp.tsv)" = "$rows" ] || fail "export kept $(grep -vc '^#' exp.tsv) of $rows rows"
cmp -s exp.tsv out/glossary.tsv || fail "export changed the glossary"
"$B" glossary merge -o m.tsv out/glossary.tsv out/glossary.tbx 2> err || fail "merge: $(cat err)"
[ -s err ] && fail "merge said: $(cat err)"
[ "$(grep -vc '^#' m.tsv)" = "$rows" ] || fail "merge wrote $(grep -vc '^#' m.tsv) of $rows rows"
sources m.tsv | cmp -s - gfiles || fail "merge changed the sources: $(sources m.tsv)"
"$B" glossary export --glossary out/glossary.txt -o exp2.tsv 2> err || fail "export .txt: $(cat err)"
sources exp2.tsv | cmp -s - gfiles || fail "glossary.txt read back: $(sources exp2.tsv)"
"$B" tmx merge -o mm.tmx out/memory.tmx out/memory.tmx 2> err || fail "tmx merge: $(cat err)"
sed -n 's/.*<prop type="x-file">\(.*\)<\/prop>.*/\1/p' mm.tmx | sort -u | cmp -s - jfiles ||
    fail "tmx merge changed x-file"

# lookup: the terms cited only from the Windows-1258 file are found
"$B" lookup --format tsv -g out/glossary.tsv 'Võ Văn Tiến' > lk 2> err || fail "lookup: $(cat err) $(cat lk)"
grep -q 'in/H%E0 N%F4i.txt:' lk || fail "lookup: sources $(cat lk)"
"$B" lookup --format json -g out 'Thủ tướng' > lk 2> err || fail "lookup json: $(cat err)"
grep -q '"in/a%2C b.txt:40"' lk || fail "lookup json sources: $(cat lk)"

# check: findings on stdout and in both reports
"$B" check -o chk in > found 2> err
[ $? -le 1 ] || fail "check: $(cat err)"
grep -q '\[in/H%E0 N%F4i.txt:' found || fail "check's findings: $(cat found)"
grep -q 'in/H%E0 N%F4i.txt' chk/consistency.json || fail "consistency.json"
grep -q 'in/H%E0 N%F4i.txt' chk/consistency.html || fail "consistency.html"
for f in found err chk/*; do
    LC_ALL=C grep -q "$(printf '\340')" "$f" && fail "$f holds the raw byte of the name"
done

# messages name a file the same way
"$B" align -q -o o2 "$(printf 'gone\340.txt')" 2> err
grep -q "cannot open 'gone%E0.txt'" err || fail "message: $(cat err)"
exit 0
