#!/bin/sh
# The memory as translators get it (issue 16): each unit says where it comes
# from in a <note> ("FILE:LINE, score S, STATUS") with creationid and
# creationdate (SOURCE_DATE_EPOCH makes them reproducible); places past the
# bound (BT_TMX_ALIGN_PLACES, 5) are counted as "+N more"; --min-score X
# keeps only units scored X or more (pairs.jsonl keeps all);
# --lang-vi/--lang-en set the language codes of the TMX and the TBX; bad
# values are usage errors (exit 2).
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
B=$BITEXT
export SOURCE_DATE_EPOCH=1700000000
cp -r "$TOP/corpus/samples" samples

$B align -q -o out samples || fail "align"
units=$(xmllint --xpath 'count(//tu)' out/memory.tmx)
[ "$(xmllint --xpath 'count(//tu/note)' out/memory.tmx)" = "$units" ] || fail "a unit without a note"
[ "$(xmllint --xpath 'count(//tu[@creationid="bitext"][@creationdate="20231114T221320Z"])' out/memory.tmx)" = "$units" ] ||
    fail "creationid/creationdate missing or not SOURCE_DATE_EPOCH's"
grep -q '<note>samples/001_c2e86204e1b4d708.txt:40, score [01]\.[0-9]*, accepted</note>' out/memory.tmx ||
    fail "note not FILE:LINE, score, status: $(grep -m2 '<note>' out/memory.tmx)"
grep -q '<note>[^<]*, accepted, seen 4 times</note>' out/memory.tmx || fail "repeat count not in the note"

# the bound: 8 articles with one caption pair; 1 own place + 5 kept + "+2 more"
mkdir many
for i in 1 2 3 4 5 6 7 8; do
    printf 'Thủ tướng Nguyễn Xuân Phúc phát biểu tại hội nghị.\nPrime Minister Nguyen Xuan Phuc speaks at the conference.\n' > many/a$i.txt
done
$B align -q -o m many || fail "align many"
grep -q 'usagecount="8"' m/memory.tmx || fail "usagecount"
grep -q '<prop type="x-sources">many/a2.txt:1:2; many/a3.txt:1:2; many/a4.txt:1:2; many/a5.txt:1:2; many/a6.txt:1:2; +2 more</prop>' m/memory.tmx ||
    fail "places past the bound not counted: $(grep x-sources m/memory.tmx)"

# --min-score: only units at or above it; the threshold is the middle of
# the scores the memory holds, so that it keeps some units and drops others
t=$(xmllint --xpath '//prop[@type="x-score"]/text()' out/memory.tmx | sort -un |
    awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2) + (NR > 1)] }')
[ -n "$t" ] || fail "no scores in the memory"
$B align -q --min-score "$t" -o hi samples || fail "--min-score"
n=$(xmllint --xpath 'count(//tu)' hi/memory.tmx)
[ "$n" -gt 0 ] && [ "$n" -lt "$units" ] || fail "--min-score $t kept $n of $units"
low=$(xmllint --xpath '//prop[@type="x-score"]/text()' hi/memory.tmx | awk -v t="$t" '$1 < t' | head -1)
[ -z "$low" ] || fail "a unit scored $low under --min-score $t"
cmp -s out/pairs.jsonl hi/pairs.jsonl || fail "--min-score changed pairs.jsonl"
# applied to each unit's best score, once for all its places
[ "$(xmllint --xpath "count(//tu[prop[@type=\"x-score\"] >= $t])" out/memory.tmx)" = "$n" ] ||
    fail "--min-score kept other units than those scored $t or more"

# language codes, through TMX and TBX; the default is vi and en
$B align -q --lang-vi vi-VN --lang-en en-US -o lang samples || fail "--lang-vi/--lang-en"
grep -q 'srclang="vi-VN"' lang/memory.tmx || fail "srclang"
[ "$(xmllint --xpath 'count(//tuv[@xml:lang="vi-VN"])' lang/memory.tmx)" = "$units" ] || fail "tuv vi-VN"
[ "$(xmllint --xpath 'count(//tuv[@xml:lang="en-US"])' lang/memory.tmx)" = "$units" ] || fail "tuv en-US"
grep -q '<langSet xml:lang="en-US">' lang/glossary.tbx || fail "TBX langSet en-US"
grep -q '<langSet xml:lang="vi">' lang/glossary.tbx && fail "TBX still says vi"
$B tmx validate lang/memory.tmx > /dev/null || fail "validate with vi-VN"
[ "$(xmllint --xpath 'count(//tuv[@xml:lang="vi"])' out/memory.tmx)" = "$units" ] || fail "default code not vi"

for bad in "--min-score 1.5" "--min-score x" "--lang-vi v" "--lang-en en_US" '--lang-vi vi"><x'; do
    # shellcheck disable=SC2086
    $B align -q $bad -o bad samples 2> err.txt
    [ $? -eq 2 ] || fail "'$bad' is no usage error"
    [ -e bad ] && fail "'$bad' wrote outputs"
done
exit 0
