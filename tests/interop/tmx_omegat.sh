#!/bin/sh
# (b) OmegaT 3.6, headless, loads bitext's memory from tm/auto/ without
# TF_TM_LOAD_ERROR and translates every Vietnamese segment of it into our
# English. The source file is made from the TMX by translate-toolkit (an
# independent reader), one unit per paragraph. Run with OmegaT's sentence
# segmentation on (the project setting translators use) and, for align's
# output, off as well (whole units looked up, whatever OmegaT's Vietnamese
# rules would split). Done for the writer's own fixture and for align.
. "$TOP/tests/data/tmx/interop-lib.sh"
need omegat timeout xmllint
[ -x "$PY" ] || fail "missing $PY"

omegat_translates() {
    tmx=$1 proj=$2 seg=$3
    omegat_project "$proj" "$seg"
    cp "$tmx" "$proj/tm/auto/memory.tmx"
    n=$("$PY" "$TOP/tests/data/tmx/tmx-pairs.py" "$tmx" \
        "$proj/source/demo.txt" "$proj.expected") ||
        fail "translate-toolkit could not read $tmx"
    [ "$n" -gt 0 ] || fail "$tmx: no unit to test"
    run_omegat "$proj"
    grep -q "Reading TMX file .*memory.tmx" "$proj.log" ||
        fail "OmegaT did not read the memory"
    [ -f "$proj/target/demo.txt" ] || fail "OmegaT wrote no target file"
    if ! cmp -s "$proj.expected" "$proj/target/demo.txt"; then
        diff "$proj.expected" "$proj/target/demo.txt" | head -20 >&2
        fail "$tmx: OmegaT's translation is not our English"
    fi
    note "$tmx: OmegaT (sentence_seg=$seg) translated all $n segments from tm/auto"
}

make_fixture_tmx
omegat_translates fixture.tmx omt-fixture true
grep -q '"A & B" company <Nghe An>' omt-fixture/target/demo.txt ||
    fail "escaped text did not come back as written"

# The check can fail: one raw control character makes OmegaT drop the whole
# memory (what the writer's stripping prevents), and run_omegat sees it.
omegat_project omt-neg true
sed 's/Photo: Archive/Photo:\x01 Archive/' fixture.tmx > omt-neg/tm/auto/memory.tmx
printf 'Ảnh tư liệu\n' > omt-neg/source/demo.txt
if (run_omegat omt-neg) 2> /dev/null; then
    fail "a memory OmegaT cannot load went unnoticed"
fi
grep -q TF_TM_LOAD_ERROR omt-neg.log || fail "negative control: no TF_TM_LOAD_ERROR"

make_align_outputs
omegat_translates out/memory.tmx omt-align true
omegat_translates out/memory.tmx omt-align-whole false
exit 0
