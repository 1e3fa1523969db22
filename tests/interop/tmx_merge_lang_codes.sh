#!/bin/sh
# issue 19: tmx merge kept the language codes as written in its inputs (vi
# and en for bitext's own, vi-VN and en-US for trados.tmx), so that merging
# both gave a memory with two codes for each side. --lang-vi and --lang-en
# now write the codes given on every tuv and as srclang, options anywhere
# among the operands; the merged memory is valid against the TMX 1.4 DTD.
. "$TOP/tests/data/tmx/interop-lib.sh"
need xmllint
extract_schemas
export SOURCE_DATE_EPOCH=1700000000
T=$TOP/tests/data/tmx/trados.tmx

make_align_outputs

# merge_lang_codes_as_given: every tuv and the srclang carry the given codes
"$BITEXT" tmx merge -q out/memory.tmx --lang-vi vi-VN -o given.tmx "$T" --lang-en en-GB ||
    fail "merge with codes: exit $?"
xmllint --noout --dtdvalid schemas/tmx14.dtd given.tmx 2> dtd.err ||
    { cat dtd.err >&2; fail "given.tmx: not valid against the TMX 1.4 DTD"; }
[ ! -s dtd.err ] || { cat dtd.err >&2; fail "given.tmx: xmllint wrote on stderr"; }
"$BITEXT" tmx validate -q given.tmx || fail "given.tmx: bitext tmx validate disagrees"
"$BITEXT" tmx stats given.tmx > stats.txt || fail "tmx stats: exit $?"
grep -q '^languages: vi-VN=19 en-GB=19$' stats.txt ||
    { cat stats.txt >&2; fail "codes not as given"; }
grep -q ' srclang="vi-VN"' given.tmx || fail "header srclang not vi-VN"
[ "$(grep -c '<tuv ' given.tmx)" -eq 38 ] || fail "tuvs lost"
# the other attributes of a tuv stay, after the code
grep -qF '<tuv xml:lang="vi-VN" creationid="TRANSLATOR\lan">' given.tmx ||
    fail "tuv attributes not kept"
grep -qF '<tuv xml:lang="en-GB" changedate="20240312T140000Z">' given.tmx ||
    fail "tuv attributes not kept (en)"
# a note's own language is the note's, not the segment's
grep -qF '<note xml:lang="en">Title case as the ministry writes it</note>' given.tmx ||
    fail "a note's xml:lang changed"

# merge_lang_one_side: only the side given changes; without options the
# codes are as written (the units' own)
"$BITEXT" tmx merge -q --lang-en=en -o one.tmx out/memory.tmx "$T" || fail "one side: exit $?"
"$BITEXT" tmx stats one.tmx > stats.txt || fail "tmx stats: exit $?"
grep -q '^languages: vi=15 en=19 vi-VN=4$' stats.txt ||
    { cat stats.txt >&2; fail "one side: $(grep languages stats.txt)"; }
xmllint --noout --dtdvalid schemas/tmx14.dtd one.tmx 2> dtd.err ||
    { cat dtd.err >&2; fail "one.tmx: not valid against the TMX 1.4 DTD"; }
"$BITEXT" tmx merge -q -o none.tmx out/memory.tmx "$T" || fail "no codes: exit $?"
"$BITEXT" tmx stats none.tmx | grep -q '^languages: vi=15 en=15 vi-VN=4 en-US=4$' ||
    fail "without options the codes are not as written"

# merge_lang_usage: a bad code is a usage error, nothing written; --help
# and other commands
"$BITEXT" tmx merge -q --lang-vi 'v i' -o bad.tmx "$T" 2> e
[ $? -eq 2 ] || fail "bad code: not exit 2"
grep -q "^bitext: invalid language code 'v i' (e.g. vi or vi-VN)$" e ||
    fail "bad code: $(cat e)"
[ ! -e bad.tmx ] || fail "bad code: written"
"$BITEXT" tmx merge --help | grep -q -- '--lang-vi CODE' || fail "not in --help"
"$BITEXT" tmx stats --lang-vi vi "$T" > /dev/null 2>&1
[ $? -eq 2 ] || fail "stats took --lang-vi"
exit 0
