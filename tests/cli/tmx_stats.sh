#!/bin/sh
# bitext tmx stats: units, languages, duplicates and the x-score histogram.
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
B=$BITEXT
D=$TOP/tests/data/tmx

$B tmx stats "$D/sample.tmx" > out.txt 2> err.txt || { cat err.txt; fail "exit $?"; }
for want in 'units: 6' 'skipped: 0' 'languages: vi-VN=6 EN-US=6' \
            'distinct pairs: 5' 'duplicate pairs: 1' 'usagecount total: 7' \
            '  0.9-1.0] 1' '  no score  5'; do
    grep -qx "$want" out.txt || { cat out.txt; fail "missing: $want"; }
done
$B tmx stats "$D/invalid.tmx" > out.txt 2> err.txt
# invalid.tmx is well-formed: stats reads what it can, skips the rest.
grep -qx 'units: 3' out.txt || { cat out.txt err.txt; fail "units of invalid.tmx"; }
grep -qx 'skipped: 2' out.txt || { cat out.txt; fail "skipped of invalid.tmx"; }
$B tmx stats nope.tmx > out.txt 2> err.txt
[ $? -eq 2 ] || fail "missing file: expected exit 2"
exit 0
