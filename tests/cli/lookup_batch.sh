#!/bin/sh
# Look-up as translators use it (issue 16): `lookup -` answers one term per
# line of standard input; --format tsv has a header and a row for every
# term, found or not; JSON's count is null for a rendering never seen; a
# bare post and a post followed by a place name are found (the place
# apart); a reverse look-up of "Minister of Finance" finds the ministry's
# minister; with --fuzzy, a typo inside an abbreviation is found.
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
B=$BITEXT

printf 'Thủ tướng\n\n  chu tich hdnd tinh  \r\nkhông có gì\n' | "$B" lookup - > o1 2> e1
[ $? -eq 1 ] || fail "a term not found in the batch: exit 1 expected"
grep -q '^Thủ tướng:$' o1 && grep -q '^chu tich hdnd tinh:$' o1 || fail "batch answers: $(cat o1)"
grep -q "Prime Minister" o1 && grep -q "Chairman of the Provincial People's Council" o1 ||
    fail "batch renderings: $(cat o1)"
grep -q "'không có gì': not found" e1 || fail "not-found term not said: $(cat e1)"

printf 'Thủ tướng\nkhông có gì\n' | "$B" lookup --format tsv - "Phó Chủ tịch UBND tỉnh" > o2
head -1 o2 | grep -qx "$(printf 'term\tvi\ten\tkind\tcount\tmatch\tofficial\tsources')" ||
    fail "tsv header: $(head -1 o2)"
awk -F'\t' 'NF != 8 { exit 1 }' o2 || fail "tsv rows need 8 fields"
grep -q "^không có gì	.*	none	" o2 || fail "no row for the term not found: $(cat o2)"
cut -f1 o2 | sed 1d | sort -u | wc -l | grep -qx 3 || fail "every term answered: $(cut -f1 o2)"

"$B" lookup --format json "Thủ tướng" > o3 || fail "json"
/usr/bin/python3 - o3 <<'PY' || fail "json count: $(cat o3)"
import json, sys
h = json.load(open(sys.argv[1]))[0]["hits"]
assert h[0]["en"] == "Prime Minister" and h[0]["count"] is None, h[0]
PY

# a bare post, both ways
"$B" lookup "Bộ trưởng" > o4 || fail "bare post not found"
head -1 o4 | grep -q "Bộ trưởng → Minister" || fail "bare post: $(cat o4)"
"$B" lookup -r "Minister" | grep -q "Minister → Bộ trưởng" || fail "bare post reverse"
# a post with a place name: the post, and the place apart
"$B" lookup "Chủ tịch UBND tỉnh Nghệ An" > o5 || fail "post with a place not found"
head -1 o5 | grep -q "Chairman of the Provincial People's Committee" || fail "post: $(cat o5)"
grep -q "^place: Nghệ An → Nghe An" o5 || fail "place not given apart: $(cat o5)"
"$B" lookup --format json "Chủ tịch UBND tỉnh Nghệ An" > o6 || fail "json place"
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))[0]; assert d["place"]["hits"][0]["en"] == "Nghe An", d' o6 ||
    fail "json place: $(cat o6)"
# reverse: the form people use
"$B" lookup -r "Minister of Finance" > o7 || fail "Minister of Finance not found"
grep -q "Bộ trưởng Bộ Tài chính" o7 || fail "reverse long form: $(cat o7)"
"$B" lookup -r "Deputy Minister of Health" | grep -q "Thứ trưởng Bộ Y tế" || fail "Deputy Minister of Health"
# a typo inside an abbreviation, with --fuzzy only, marked fuzzy
"$B" lookup "Pho chu tich UBDN tinh" > /dev/null 2>&1
[ $? -eq 1 ] || fail "UBDN found without --fuzzy"
"$B" lookup -f "Pho chu tich UBDN tinh" > o8 || fail "UBDN not found with --fuzzy"
head -1 o8 | grep -q "Phó Chủ tịch UBND tỉnh → Vice Chairman of the Provincial People's Committee.*fuzzy: 1 edit" ||
    fail "UBDN: $(cat o8)"
exit 0
