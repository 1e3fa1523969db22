#!/bin/sh
# lookup: the three ways a title is typed give one answer; --reverse gives
# the Vietnamese; exit codes 0 found, 1 not found, 2 usage; --help.
fail() { echo "FAIL: $*"; exit 1; }
B=${BITEXT:?}

"$B" lookup "chu tich hdnd tinh" > a.out || fail "ascii form not found"
"$B" lookup "Chủ tịch Hội đồng nhân dân tỉnh" > b.out || fail "expanded form not found"
"$B" lookup "Chủ tịch HĐND tỉnh" > c.out || fail "abbreviated form not found"
"$B" lookup "$(printf 'Chu\314\211 ti\314\243ch H\304\220ND ti\314\211nh')" > d.out ||
    fail "NFD form not found"
cmp -s a.out b.out || fail "ascii and expanded forms differ"
cmp -s a.out c.out || fail "ascii and abbreviated forms differ"
cmp -s a.out d.out || fail "NFD form differs"
grep -q "Chairman of the Provincial People's Council" a.out ||
    fail "no Chairman of the Provincial People's Council: $(cat a.out)"
# the official rendering comes first
head -1 a.out | grep -q "official" || fail "official rendering not first"

"$B" lookup --reverse "Standing Deputy Secretary of the Provincial Party Committee" > r.out ||
    fail "reverse not found"
grep -q "Phó Bí thư Thường trực Tỉnh ủy" r.out || fail "reverse: $(cat r.out)"
"$B" lookup -r "standing deputy secretary of provincial party committee" > r2.out ||
    fail "reverse without 'the' not found"
cmp -s r.out r2.out || fail "'the' changes the reverse answer"

# tone placement: old style finds the new-style entry
"$B" lookup "Uỷ viên Ban Thường vụ Tỉnh uỷ" > t.out || fail "old tone placement not found"
grep -q "Member of the Provincial Party Standing Committee" t.out || fail "tone: $(cat t.out)"

"$B" lookup "Phó Chủ tịch UBND tỉnh" > p.out || fail "Phó Chủ tịch UBND tỉnh"
grep -q "Vice Chairman of the Provincial People's Committee" p.out || fail "vice chairman"
"$B" lookup "Thủ tướng" | grep -q "Prime Minister" || fail "Thủ tướng"

# exit codes
"$B" lookup "khong co chuc danh nay" > n.out 2> n.err
[ $? -eq 1 ] || fail "not found should exit 1"
[ -s n.out ] && fail "not found printed on stdout"
grep -q "not found" n.err || fail "no message for not found"
"$B" lookup "thu tuong" "khong co chuc danh nay" > /dev/null 2>&1
[ $? -eq 1 ] || fail "one term of two not found should exit 1"
"$B" lookup > /dev/null 2>&1
[ $? -eq 2 ] || fail "no TERM should exit 2"
"$B" lookup --format yaml x > /dev/null 2>&1
[ $? -eq 2 ] || fail "bad --format should exit 2"
"$B" lookup --bogus x > /dev/null 2>&1
[ $? -eq 2 ] || fail "unknown option should exit 2"
"$B" lookup --help > h.out || fail "--help should exit 0"
grep -q "usage: bitext lookup" h.out || fail "--help text"
exit 0
