#!/bin/sh
# bitext tmx merge: identical (vi, en) pairs collapse into their first
# appearance with usagecounts summed and places kept; order of first
# appearance; inputs gzip'd or not; nothing written when an input fails.
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
B=$BITEXT
D=$TOP/tests/data/tmx

$B tmx merge -o a.tmx "$D/sample.tmx" 2> err.txt || { cat err.txt; fail "merge: exit $?"; }
grep -q 'a.tmx: 5 units written (6 read, 1 duplicates collapsed)' err.txt ||
    { cat err.txt; fail "no summary"; }
$B tmx validate -q a.tmx || fail "merged memory invalid"
# Photo: Mai Hoa seen once, then again with usagecount 2: 3, places kept.
grep -q '<tu tuid="1" usagecount="3"' a.tmx || fail "usagecount not summed"
grep -q '<prop type="x-sources">samples/001.txt:30:31</prop>' a.tmx ||
    fail "provenance of the repeat lost"
# Order of first appearance.
order=$(grep -o '<seg>[^<]*</seg>' a.tmx | sed -n '1p;3p;5p;7p;9p' | tr '\n' '|')
[ "$order" = "<seg>Ảnh: Mai Hoa</seg>|<seg>Quang cảnh hội nghị</seg>|<seg>Đồng chí Nguyễn Xuân Sơn phát biểu tại hội nghị</seg>|<seg>Doanh nghiệp &quot;A &amp; B&quot; &lt;Nghệ An&gt;</seg>|<seg>Ảnh tư liệu</seg>|" ] ||
    fail "order: $order"

# Merging the result with itself (one copy gzip'd): units with a place are
# recognised as the same occurrences and not counted twice; units without
# one cannot be told apart and add up.
gzip -c a.tmx > a.tmx.gz
$B tmx merge -o b.tmx a.tmx a.tmx.gz 2> err.txt || fail "merge of gz: exit $?"
grep -q '5 units written (10 read, 5 duplicates collapsed, 1 already present' err.txt ||
    { cat err.txt; fail "summary of a re-import"; }
grep -q '<tu tuid="1" usagecount="3"' b.tmx || fail "re-imported counts doubled"
grep -q '<tu tuid="2" usagecount="2"' b.tmx || fail "place-less units not summed"
[ "$(grep -c '<tu ' b.tmx)" -eq 5 ] || fail "units doubled"
grep -q '<prop type="x-sources">samples/001.txt:30:31</prop>' b.tmx ||
    fail "places duplicated or lost"

# An unreadable input: exit 2, the output untouched.
cp b.tmx keep.tmx
$B tmx merge -q -o b.tmx a.tmx missing.tmx 2> err.txt
[ $? -eq 2 ] || fail "missing input: expected exit 2"
cmp -s b.tmx keep.tmx || fail "output changed although the merge failed"
grep -q '^bitext: missing.tmx: cannot open' err.txt || { cat err.txt; fail "no message"; }
ls -a | grep -q '\.tmp\.' && fail "temporary file left behind"

# Stdin as an input.
$B tmx merge -q -o c.tmx - < a.tmx || fail "stdin input: exit $?"
[ "$(grep -c '<tu ' c.tmx)" -eq 5 ] || fail "stdin input lost units"
# Byte-for-byte reproducible with SOURCE_DATE_EPOCH.
SOURCE_DATE_EPOCH=0 $B tmx merge -q -o r1.tmx "$D/sample.tmx" || fail "r1"
SOURCE_DATE_EPOCH=0 $B tmx merge -q -o r2.tmx "$D/sample.tmx" || fail "r2"
cmp -s r1.tmx r2.tmx || fail "output not reproducible"
grep -q 'creationdate="19700101T000000Z"' r1.tmx || fail "SOURCE_DATE_EPOCH ignored"

# Attributes the TMX 1.4 DTD does not declare are not kept (the merged
# memory stays valid), with one warning a file; the rest is kept.
cat > odd.tmx <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="vi" datatype="plaintext"/>
<body>
<tu tuid="7" foo="bar" changeid="me"><tuv lang="vi"><seg>Xin <ph x="1" bogus="2">&lt;br/&gt;</ph>chào</seg></tuv><tuv xml:lang="en"><seg>Hello <g id="3">there</g></seg></tuv></tu>
<tu tuid="8" foo="baz"><tuv xml:lang="vi"><seg>Tạm biệt</seg></tuv><tuv xml:lang="en"><seg>Goodbye</seg></tuv></tu>
</body></tmx>
EOF
$B tmx merge -q -o odd-out.tmx odd.tmx 2> err.txt || { cat err.txt; fail "odd: exit $?"; }
[ "$(grep -c 'does not declare' err.txt)" -eq 1 ] || { cat err.txt; fail "undeclared attributes: one warning expected"; }
grep -q '^bitext: odd.tmx:4: <tu> has attributes' err.txt || { cat err.txt; fail "warning without its line"; }
grep -q '<tu tuid="7" changeid="me" creationdate="' odd-out.tmx || fail "declared attributes lost"
grep -q '<tuv xml:lang="vi">' odd-out.tmx || fail "lang not written as xml:lang"
grep -q '<seg>Xin <ph x="1">&lt;br/&gt;</ph>chào</seg>' odd-out.tmx || fail "inline tag not kept"
grep -q '<seg>Hello there</seg>' odd-out.tmx || fail "an unknown element's text lost"
$B tmx validate -q odd-out.tmx || fail "odd-out.tmx invalid"
exit 0
