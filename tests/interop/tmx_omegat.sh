#!/bin/sh
# (b) OmegaT 3.6, headless, loads bitext's memory from tm/auto/ without
# TF_TM_LOAD_ERROR and translates every Vietnamese segment of it into our
# English. The source file is made from the TMX by translate-toolkit (an
# independent reader), one unit per paragraph; sentence segmentation is off
# so that OmegaT looks up whole units, whatever its Vietnamese rules would
# split. Done for the writer's own fixture and for the output of align.
. "$TOP/tests/data/tmx/interop-lib.sh"
need omegat timeout xmllint
[ -x "$PY" ] || fail "missing $PY"

omegat_translates() {
    tmx=$1 proj=$2
    omegat_project "$proj" false
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
    note "$tmx: OmegaT translated all $n segments from tm/auto"
}

make_fixture_tmx
omegat_translates fixture.tmx omt-fixture
grep -q '"A & B" company <Nghe An>' omt-fixture/target/demo.txt ||
    fail "escaped text did not come back as written"

make_align_outputs
omegat_translates out/memory.tmx omt-align
exit 0
