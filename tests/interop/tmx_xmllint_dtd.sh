#!/bin/sh
# (a) The TMX 1.4 DTD shipped in OmegaT's jar accepts the memories bitext
# writes, with nothing at all on stderr (xmllint only warns on some validity
# problems and still exits 0). Checked on the writer's own fixture and on
# what `bitext align` writes from the bundled samples; bitext's validator
# agrees with the DTD on both, and the DTD rejects a broken file we know to
# be broken (so the check can fail).
. "$TOP/tests/data/tmx/interop-lib.sh"
need xmllint
extract_schemas

dtd_valid() {
    xmllint --noout --dtdvalid schemas/tmx14.dtd "$1" 2> dtd.err ||
        { cat dtd.err >&2; fail "$1: xmllint --dtdvalid exit $?"; }
    [ ! -s dtd.err ] || { cat dtd.err >&2; fail "$1: xmllint wrote on stderr"; }
    "$BITEXT" tmx validate -q "$1" || fail "$1: bitext tmx validate disagrees"
    note "$1: DTD-valid, $(count_tu "$1") units"
}

make_fixture_tmx
dtd_valid fixture.tmx
grep -q '&lt;Nghệ An&gt;' fixture.tmx || fail "markup characters not escaped"
grep -q '<!DOCTYPE' fixture.tmx && fail "the writer must not emit a DOCTYPE"

# The check can fail: a tuv with the TMX 1.1 lang attribute.
sed 's/<tuv xml:lang="EN-US">/<tuv lang="EN-US">/' fixture.tmx > broken.tmx
if xmllint --noout --dtdvalid schemas/tmx14.dtd broken.tmx 2> broken.err &&
   [ ! -s broken.err ]; then
    fail "the DTD check accepted a tuv without xml:lang"
fi
"$BITEXT" tmx validate broken.tmx 2> validate.err &&
    fail "bitext tmx validate accepted a tuv without xml:lang"
grep -q '^bitext: broken.tmx:[0-9][0-9]*: <tuv> has lang="EN-US"' validate.err ||
    { cat validate.err >&2; fail "validate message without a line number"; }

make_align_outputs
dtd_valid out/memory.tmx
[ "$(count_tu out/memory.tmx)" -gt 0 ] || fail "align wrote an empty memory"
exit 0
