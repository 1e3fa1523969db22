#!/bin/sh
# issue 17, item 4: `tmx merge` dropped data in silence (two <seg> in one
# <tuv> kept the last; a second <tuv> of one language was dropped and
# `validate` called the file valid; a second <tig>, a synonym, in a TBX
# langSet was dropped). Now each is reported with FILE:LINE and kept.
fail() { echo "FAIL: $*"; exit 1; }
B=${BITEXT:?}

cat > two.tmx <<'TMX'
<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="vi" datatype="plaintext"/>
<body>
<tu>
<tuv xml:lang="vi"><seg>Thủ tướng</seg><seg>Thủ tướng Chính phủ</seg></tuv>
<tuv xml:lang="en"><seg>Prime Minister</seg></tuv>
</tu>
<tu>
<tuv xml:lang="vi"><seg>Phó Chủ tịch</seg></tuv>
<tuv xml:lang="en"><seg>Vice Chairman</seg></tuv>
<tuv xml:lang="EN"><seg>Deputy Chairman</seg></tuv>
</tu>
</body>
</tmx>
TMX

# validate_reports_duplicates
"$B" tmx validate two.tmx > o 2> e
[ $? -eq 1 ] || fail "validate: not exit 1 (invalid)"
grep -q "two.tmx:6: <tuv> has more than one <seg>" e || fail "two segs: $(cat e)"
grep -q "two.tmx:12: <tu> has a second <tuv> in 'EN'" e || fail "second tuv: $(cat e)"

# merge_keeps_every_segment
"$B" tmx merge -o m.tmx two.tmx 2> e || fail "merge: $(cat e)"
for s in "Thủ tướng" "Thủ tướng Chính phủ" "Vice Chairman" "Deputy Chairman"; do
    grep -q "<seg>$s</seg>" m.tmx || fail "merge dropped '$s'"
done
grep -q "two.tmx:6: <tuv> has more than one <seg>" e || fail "merge silent on two segs: $(cat e)"
grep -q "two.tmx:9: tu with 1 Vietnamese and 2 English segments" e || fail "merge silent on two tuv: $(cat e)"
"$B" tmx validate m.tmx > /dev/null 2>&1 || fail "the merged memory is not valid"

# tbx_synonyms_kept
cat > syn.tbx <<'TBX'
<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en"><text><body>
<termEntry id="t1">
<langSet xml:lang="vi"><tig><term>Thủ tướng</term></tig></langSet>
<langSet xml:lang="en"><tig><term>Prime Minister</term></tig><tig><term>Premier</term></tig></langSet>
</termEntry>
</body></text></martif>
TBX
"$B" lookup --no-lexicon --no-index-write -g syn.tbx "Thủ tướng" > o 2> e || fail "lookup: $(cat e)"
grep -q "Premier" o || fail "synonym dropped: $(cat o)"
grep -q "Prime Minister" o || fail "first term lost: $(cat o)"
exit 0
