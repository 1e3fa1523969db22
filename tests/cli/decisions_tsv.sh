#!/bin/sh
# bitext decisions export|import: TSV in, the same TSV out (escapes kept,
# rows in key order), a newer decision not replaced by an older one, a bad
# file refused as a whole (exit 2, the database as it was), usage errors.
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
B=$BITEXT
T=$(printf '\t')
H="target${T}kind${T}subject${T}variant${T}file${T}vi_line${T}en_line${T}nth${T}action${T}vi_hash${T}en_hash${T}new_vi_line${T}new_en_line${T}vi${T}en${T}who${T}at"
{
    printf "%s\n" "$H"
    printf "%s\n" "finding${T}caption-title-mismatch${T}Lê Hồng Vinh${T}${T}a.txt${T}22${T}0${T}0${T}fixed${T}0123456789abcdef${T}fedcba9876543210${T}0${T}0${T}${T}${T}ed${T}2026-01-02T00:00:00Z"
    printf "%s\n" "house${T}${T}Ban Dân vận Tỉnh ủy${T}${T}${T}0${T}0${T}0${T}set${T}${T}${T}0${T}0${T}${T}Mass\\tMobilization \\\\ Commission${T}ed${T}2026-01-02T00:00:00Z"
    printf "%s\n" "pair${T}${T}${T}${T}a.txt${T}7${T}8${T}1${T}edit${T}1111111111111111${T}2222222222222222${T}0${T}0${T}Xin chào\\nbạn${T}Hello${T}tr${T}2026-01-03T00:00:00Z"
} > in.tsv
$B decisions import d.db in.tsv 2> err.txt || { cat err.txt; fail "import: exit $?"; }
$B decisions export d.db out.tsv || fail "export: exit $?"
cmp in.tsv out.tsv || { diff in.tsv out.tsv; fail "round trip differs"; }
$B decisions export d.db > out2.tsv && cmp in.tsv out2.tsv || fail "export to stdout"
# an older row does not replace a newer one; a newer one does
sed "s/2026-01-03T00:00:00Z/2025-01-01T00:00:00Z/; s/${T}Hello${T}/${T}Old${T}/" in.tsv | $B decisions import d.db - || fail "import older"
$B decisions export d.db | grep -q "${T}Hello${T}" || fail "an older row replaced a newer one"
sed "s/2026-01-03T00:00:00Z/2027-01-01T00:00:00Z/; s/${T}Hello${T}/${T}New${T}/" in.tsv | $B decisions import d.db || fail "import newer"
$B decisions export d.db | grep -q "${T}New${T}" || fail "a newer row did not replace"
# a bad row: nothing of the file is imported
$B decisions export d.db > before.tsv
{ echo "$H"; printf "%s\n" "house${T}${T}X${T}${T}${T}0${T}0${T}0${T}set${T}${T}${T}0${T}0${T}${T}Y${T}ed${T}2028-01-01T00:00:00Z"
  printf "%s\n" "pair${T}${T}${T}${T}a.txt${T}seven${T}8${T}0${T}accept${T}${T}${T}0${T}0${T}${T}${T}ed${T}2028-01-01T00:00:00Z"; } > bad.tsv
$B decisions import d.db bad.tsv 2> err.txt; [ $? -eq 2 ] || fail "bad row: want exit 2"
grep -q "bad.tsv:3: vi_line: not a number" err.txt || { cat err.txt; fail "bad row message"; }
$B decisions export d.db | cmp -s - before.tsv || fail "a refused import changed the database"
{ echo "$H"; printf "%s\n" "pair${T}${T}${T}${T}a.txt${T}1${T}2${T}0${T}frobnicate${T}${T}${T}0${T}0${T}${T}${T}ed${T}2028-01-01T00:00:00Z"; } > bad2.tsv
$B decisions import d.db bad2.tsv 2> err.txt; [ $? -eq 2 ] || fail "bad action: want exit 2"
grep -q "bad2.tsv:2: unknown action" err.txt || { cat err.txt; fail "bad action message"; }
echo "no header" | $B decisions import d.db 2> err.txt; [ $? -eq 2 ] || fail "no header: want exit 2"
$B decisions export missing.db > /dev/null 2>&1; [ $? -eq 2 ] || fail "missing db: want exit 2"
[ -e missing.db ] && fail "export created a database"
$B decisions > /dev/null 2>&1; [ $? -eq 2 ] || fail "no subcommand: want exit 2"
$B decisions frob d.db > /dev/null 2>&1; [ $? -eq 2 ] || fail "unknown subcommand: want exit 2"
$B decisions export d.db a b > /dev/null 2>&1; [ $? -eq 2 ] || fail "too many operands: want exit 2"
$B decisions --help | grep -q "^usage: bitext decisions" || fail "--help"
$B help decisions | grep -q "^usage: bitext decisions" || fail "help decisions"
# WAL mode: several reviewers at once
[ "$(/usr/bin/python3 -c "import sqlite3;print(sqlite3.connect('d.db').execute('pragma journal_mode').fetchone()[0])")" = wal ] || fail "not in WAL mode"
# lookup --decisions: the house rendering first, marked official
{ echo "$H"; printf "%s\n" "house${T}${T}Ban Dân vận Trung ương${T}${T}${T}0${T}0${T}0${T}set${T}${T}${T}0${T}0${T}${T}Central Mass Mobilization Commission${T}ed${T}2026-01-02T00:00:00Z"; } > house.tsv
$B decisions import h.db house.tsv || fail "import house"
$B lookup --decisions h.db "ban dan van trung uong" > out.txt || fail "lookup --decisions"
[ "$(head -1 out.txt)" = "Ban Dân vận Trung ương → Central Mass Mobilization Commission  (body, official)" ] ||
    { cat out.txt; fail "house rendering not first"; }
[ "$(grep -c official out.txt)" -eq 1 ] || { cat out.txt; fail "two official renderings"; }
$B lookup "ban dan van trung uong" | head -1 | grep -q "CPV Central Committee's Commission" || fail "lookup without --decisions changed"
$B lookup --decisions missing.db x > /dev/null 2>&1; [ $? -eq 2 ] || fail "lookup: missing database: want exit 2"
exit 0
