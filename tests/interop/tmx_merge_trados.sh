#!/bin/sh
# bitext tmx merge of a Trados/memoQ-style memory (tests/data/tmx/trados.tmx)
# with bitext's own memory of corpus/samples keeps what it reads: unit and
# tuv attributes, props, notes, inline tags and the language codes as
# written; a pair met several times takes the metadata of its latest unit
# (changedate) with every note and prop united; the result is valid against
# the TMX 1.4 DTD, bitext's validate and stats read it, the merge is the
# same unit for unit in either order, and OmegaT 3.6 still inserts its
# units from tm/auto/.
. "$TOP/tests/data/tmx/interop-lib.sh"
need xmllint omegat timeout
extract_schemas
export SOURCE_DATE_EPOCH=1700000000
T=$TOP/tests/data/tmx/trados.tmx

make_align_outputs
"$BITEXT" tmx merge -q -o ab.tmx out/memory.tmx "$T" || fail "merge A B: exit $?"
"$BITEXT" tmx merge -q -o ba.tmx "$T" out/memory.tmx || fail "merge B A: exit $?"

for f in ab.tmx ba.tmx; do
    xmllint --noout --dtdvalid schemas/tmx14.dtd "$f" 2> dtd.err ||
        { cat dtd.err >&2; fail "$f: not valid against the TMX 1.4 DTD"; }
    [ ! -s dtd.err ] || { cat dtd.err >&2; fail "$f: xmllint wrote on stderr"; }
    "$BITEXT" tmx validate -q "$f" || fail "$f: bitext tmx validate disagrees"
done
"$BITEXT" tmx stats ab.tmx > stats.txt || fail "tmx stats: exit $?"
grep -q '^languages: vi=15 en=15 vi-VN=4 en-US=4$' stats.txt ||
    { cat stats.txt >&2; fail "language codes not kept as written"; }

has() { grep -qF -- "$1" ab.tmx || fail "not kept: $1"; }
# unit 101: every attribute in its order, props, note, tuv attributes, a
# tuv's own prop and note, inline tags with their attributes and content
has '<tu tuid="101" creationdate="20240105T091500Z" creationid="TRANSLATOR\lan" changedate="20240312T140000Z" changeid="TRANSLATOR\minh" lastusagedate="20240401T080000Z" usagecount="4" srclang="vi-VN" o-tmf="SDL TM8 Format">'
has '<prop type="x-Context">1234, 5678</prop>'
has '<prop type="x-ConfirmationLevel">Translated</prop>'
has "<note>Checked against the ministry's site &amp; the decree</note>"
has '<tuv xml:lang="vi-VN" creationid="TRANSLATOR\lan">'
has '<tuv xml:lang="en-US" changedate="20240312T140000Z">'
has '        <prop type="x-Style">Heading 2</prop>'
has '        <note xml:lang="en">Title case as the ministry writes it</note>'
has '<seg><bpt i="1" type="bold" x="1">&lt;b&gt;</bpt>Bộ trưởng<ept i="1">&lt;/b&gt;</ept> phát biểu tại hội nghị<ph x="2" type="lb">&lt;br/&gt;</ph></seg>'
# unit 104: it, hi, ut, sub
has '<seg><it pos="begin" x="3" type="italic">&lt;i&gt;</it><hi type="emphasis">Quang cảnh</hi> buổi lễ<ut x="5">&lt;span class=&quot;c&quot;&gt;</ut><ph x="6">{<sub type="x-alt">chú thích</sub>}</ph></seg>'
# "Ảnh: Mai Hoa" three times (bitext's, 102 and the older 103): 102's
# attributes with the latest lastusagedate (103's) and the summed count,
# every note and prop, bitext's places, the codes of the winner
has '<tu tuid="102" creationdate="20240110T100000Z" creationid="TRANSLATOR\lan" changedate="20240312T150000Z" changeid="TRANSLATOR\minh" lastusagedate="20250101T000000Z" usagecount="7">'
has '<note>Photo credit: keep the name as written</note>'
has '<note>Aligned from the 2022 archive</note>'
has '<prop type="x-Origin">Alignment</prop>'
has ':22, score 1.000, accepted, seen 4 times</note>'
has '<prop type="x-vi-line">22</prop>'
[ "$(grep -c '<tu ' ab.tmx)" -eq 19 ] || fail "expected 19 units"
[ "$(grep -c '<tuv xml:lang="vi-VN"' ab.tmx)" -eq 4 ] || fail "vi-VN rewritten"
# bitext's own units come through as they were
grep -q '<tu tuid="4" creationdate="20231114T221320Z" creationid="bitext">' ab.tmx ||
    fail "bitext's unit attributes changed"

# Either order gives the same header and the same bytes for every unit
# (only the order of units, that of first appearance, differs).
units() { awk '/^    <tu /{b=""} {b=b $0 "|"} /^    <\/tu>/{print b}' "$1" | sort; }
units ab.tmx > ab.units
units ba.tmx > ba.units
[ "$(wc -l < ab.units)" -eq 19 ] || fail "units not split"
cmp -s ab.units ba.units || { diff ab.units ba.units | head -5 >&2; fail "merge depends on order"; }
[ "$(sed -n 3p ab.tmx)" = "$(sed -n 3p ba.tmx)" ] || fail "headers differ"
# merging the result with its inputs again unites nothing new: the same
# metadata (units without an x-file place cannot be told apart from new
# occurrences, so only their usagecount grows)
"$BITEXT" tmx merge -q -o aba.tmx ab.tmx "$T" out/memory.tmx || fail "merge again: exit $?"
sed 's/ usagecount="[0-9]*"//' ab.tmx > ab.nocount
sed 's/ usagecount="[0-9]*"//' aba.tmx > aba.nocount
cmp -s ab.nocount aba.nocount || { diff ab.nocount aba.nocount | head >&2; fail "re-merge changed metadata"; }
# bitext's memory alone comes back byte for byte
"$BITEXT" tmx merge -q -o same.tmx out/memory.tmx || fail "merge alone: exit $?"
cmp -s same.tmx out/memory.tmx || fail "bitext's memory changed by a merge of itself"

# OmegaT loads the merged memory and inserts the untagged units, Trados's
# among them, from tm/auto/.
omegat_project omt true
cp ab.tmx omt/tm/auto/memory.tmx
printf 'Thủ tướng Chính phủ dự lễ khai mạc\n\nẢnh: Mai Hoa\n' > omt/source/demo.txt
run_omegat omt
printf 'The Prime Minister attends the opening ceremony\n\nPhoto: Mai Hoa\n' > expected.txt
cmp -s expected.txt omt/target/demo.txt ||
    { diff expected.txt omt/target/demo.txt >&2; fail "OmegaT did not insert the merged units"; }
note "merged memory: DTD-valid, metadata kept, order-independent, OmegaT inserts it"
exit 0
