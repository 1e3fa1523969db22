#!/bin/sh
# lookup --fuzzy: typing mistakes find the nearest titles, best first;
# --format tsv and json.
fail() { echo "FAIL: $*"; exit 1; }
B=${BITEXT:?}

"$B" lookup "pho bi thu thuong truc tinh u" > /dev/null 2>&1
[ $? -eq 1 ] || fail "a typo should not match without --fuzzy"
"$B" lookup --fuzzy "pho bi thu thuong truc tinh u" > f.out || fail "fuzzy found nothing"
head -1 f.out | grep -q "Phó Bí thư Thường trực Tỉnh ủy" || fail "nearest not first: $(cat f.out)"
grep -q "fuzzy" f.out || fail "fuzzy hits not marked"
"$B" lookup --fuzzy --max 2 "pho bi thu thuong truc tinh u" > f2.out || fail "--max"
[ "$(wc -l < f2.out)" -le 2 ] || fail "--max 2 gave $(wc -l < f2.out) lines"
"$B" lookup -r -f "Vice Chairmen of the Provincial Peoples Committee" > f3.out ||
    fail "reverse fuzzy"
head -1 f3.out | grep -q "Phó Chủ tịch UBND tỉnh" || fail "reverse fuzzy: $(cat f3.out)"

"$B" lookup --format tsv "Thủ tướng" > t.out || fail "tsv"
awk -F'\t' 'NF != 8 { exit 1 }' t.out || fail "tsv rows need 8 fields"
cut -f3 t.out | grep -qx "Prime Minister" || fail "tsv en column"

"$B" lookup --format json "Thủ tướng" "khong co" > j.out
[ $? -eq 1 ] || fail "json: one term not found should exit 1"
/usr/bin/python3 - j.out <<'PY' || fail "json output"
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d) == 2, d
assert d[0]["term"] == "Thủ tướng" and d[0]["found"] is True
assert d[0]["hits"][0]["en"] == "Prime Minister"
assert d[0]["hits"][0]["match"] == "exact"
assert d[1]["found"] is False and d[1]["hits"] == []
PY
exit 0
