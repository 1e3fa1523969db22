#!/bin/sh
# (f) Exports a translator asks for. `bitext tmx export` and `align
# --export`: the XLIFF 1.2 is valid against the OASIS strict schema (the
# copy Debian's php-symfony-translation ships, its xml.xsd import pointed at
# the copy beside it, no network) and translate-toolkit reads back every
# unit with its source, target and note; the TSV table has its header and
# one row per unit, the same pairs as the TMX; the XLSX workbook opens in
# openpyxl with every row of the TSV; --min-score keeps only the units at
# or above it; both ways give the same files.
. "$TOP/tests/data/tmx/interop-lib.sh"
need xmllint
[ -x "$PY" ] || fail "missing $PY"
S=/usr/share/php/Symfony/Component/Translation/Resources/schemas
[ -f "$S/xliff-core-1.2-strict.xsd" ] ||
    fail "missing the XLIFF 1.2 schema (apt-get install php-symfony-translation)"
mkdir -p xsd
sed 's|schemaLocation="http://www.w3.org/2001/xml.xsd"|schemaLocation="xml.xsd"|' \
    "$S/xliff-core-1.2-strict.xsd" > xsd/xliff12.xsd
cp "$S/xml.xsd" xsd/

xliff_valid() {
    xmllint --noout --nonet --schema xsd/xliff12.xsd "$1" 2> xsd.err ||
        { cat xsd.err >&2; fail "$1: not valid XLIFF 1.2"; }
    [ "$(cat xsd.err)" = "$1 validates" ] || { cat xsd.err >&2; fail "$1: xmllint said more"; }
}
# (vi, en) pairs, sorted: of a TMX (xmllint), of an XLIFF and of a TSV
tmx_pairs() {
    "$PY" -c 'import sys
from translate.storage import factory
for u in factory.getobject(sys.argv[1]).units:
    if not u.isheader(): print(u.source + "\t" + u.target)' "$1" | LC_ALL=C sort
}

export SOURCE_DATE_EPOCH=1700000000
"$BITEXT" align -q --include-partial --export xliff --export tsv --export xlsx \
    -o out "$TOP/corpus/samples" || fail "align --export failed"
for f in memory.xlf memory-partial.xlf memory.tsv memory-partial.tsv memory.xlsx \
         memory-partial.xlsx; do
    [ -s "out/$f" ] || fail "align --export wrote no out/$f"
done
n=$(count_tu out/memory.tmx)
for x in memory memory-partial; do
    xliff_valid "out/$x.xlf"
    tmx_pairs "out/$x.tmx" > "$x.want"
    tmx_pairs "out/$x.xlf" > "$x.xlf.got" || fail "translate-toolkit could not read $x.xlf"
    cmp -s "$x.want" "$x.xlf.got" || { diff "$x.want" "$x.xlf.got" | head >&2; fail "$x.xlf: other pairs"; }
    sed 1d "out/$x.tsv" | cut -f1,2 | LC_ALL=C sort > "$x.tsv.got"
    cmp -s "$x.want" "$x.tsv.got" || { diff "$x.want" "$x.tsv.got" | head >&2; fail "$x.tsv: other pairs"; }
done
[ "$(head -1 out/memory.tsv)" = "$(printf 'vi\ten\tscore\tstatus\tfile\tlines')" ] || fail "TSV header"
[ "$(sed 1d out/memory.tsv | wc -l)" -eq "$n" ] || fail "TSV rows"
grep -q "	accepted	$TOP/corpus/samples/001_c2e86204e1b4d708.txt	40:41\$" out/memory.tsv ||
    fail "TSV row without status, file and lines: $(sed -n 2p out/memory.tsv)"
cut -f4 out/memory-partial.tsv | sed 1d | sort -u | grep -qx partial || fail "partial rows not marked"
# the workbook holds the table's every row, cell for cell (score a number)
for x in memory memory-partial; do
    "$PY" -c 'import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1], read_only=True)["memory"]
for r in ws.iter_rows(values_only=True):
    r = ["" if v is None else ("%.3f" % v if isinstance(v, (int, float)) else str(v)) for v in r]
    print("\t".join(r))' "out/$x.xlsx" > "$x.xlsx.tsv" || fail "openpyxl could not read $x.xlsx"
    cmp -s "$x.xlsx.tsv" "out/$x.tsv" || { diff "$x.xlsx.tsv" "out/$x.tsv" | head >&2; fail "$x.xlsx: other rows than $x.tsv"; }
done

# notes and states come through translate-toolkit
"$PY" -c 'import sys
from translate.storage import factory
us = [u for u in factory.getobject(sys.argv[1]).units if not u.isheader()]
assert us and all(", score " in u.getnotes() for u in us), "a unit without its note"
assert all(u.getnotes().endswith("partial") for u in us), "partial units not so noted"' out/memory-partial.xlf ||
    fail "notes not read back"
grep -q 'state="needs-review-translation"' out/memory-partial.xlf || fail "partial units not to review"
grep -q 'approved="yes"' out/memory.xlf || fail "accepted units not approved"

# tmx export gives the same files; standard output by default
"$BITEXT" tmx export out/memory.tmx -o m.xlf || fail "tmx export FILE -o m.xlf (options after the operand)"
sed 's/original="[^"]*"//' m.xlf > a.cmp; sed 's/original="[^"]*"//' out/memory.xlf > b.cmp
cmp -s a.cmp b.cmp || { diff a.cmp b.cmp | head >&2; fail "tmx export and align --export differ"; }
"$BITEXT" tmx export out/memory.tmx > m.tsv || fail "tmx export to stdout"
cmp -s m.tsv out/memory.tsv || fail "tmx export TSV differs from align --export tsv"
# a threshold in the middle of the memory's scores keeps some units, not all
t=$(xmllint --xpath '//prop[@type="x-score"]/text()' out/memory.tmx | sort -un |
    awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2) + (NR > 1)] }')
"$BITEXT" tmx export --format xliff --min-score "$t" out/memory.tmx > hi.xlf || fail "--min-score"
xliff_valid hi.xlf
k=$(xmllint --xpath 'count(//*[local-name()="trans-unit"])' hi.xlf)
[ "$k" -gt 0 ] && [ "$k" -lt "$n" ] || fail "--min-score $t kept $k of $n"
[ "$(xmllint --xpath "count(//tu[prop[@type=\"x-score\"] >= $t])" out/memory.tmx)" = "$k" ] ||
    fail "--min-score kept other units than those scored $t or more"
# an empty export is valid too; a foreign memory keeps its language codes
"$BITEXT" tmx export --min-score 1 -f xliff out/memory-partial.tmx > empty.xlf || fail "empty export"
xliff_valid empty.xlf
"$BITEXT" tmx export -f xliff "$TOP/tests/data/tmx/sample.tmx" > foreign.xlf || fail "foreign export"
xliff_valid foreign.xlf
grep -q 'source-language="vi-VN"' foreign.xlf || fail "the memory's language codes not kept"
"$BITEXT" tmx export -f docx out/memory.tmx > /dev/null 2>&1
[ $? -eq 2 ] || fail "an unknown format is no usage error"
# tmx export to .xlsx: the same workbook rows
"$BITEXT" tmx export out/memory.tmx -o m.xlsx || fail "tmx export -o m.xlsx"
"$PY" -c 'import sys, openpyxl
print(openpyxl.load_workbook(sys.argv[1], read_only=True)["memory"].max_row)' m.xlsx > rows.txt ||
    fail "openpyxl could not read m.xlsx"
[ "$(cat rows.txt)" -eq $((n + 1)) ] || fail "m.xlsx: $(cat rows.txt) rows for $n units"
note "XLIFF valid and read back, TSV rows, XLSX rows, both commands agree"
exit 0
