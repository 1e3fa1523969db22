#!/bin/sh
# Run every test: the cmocka unit programs in $BUILD/tests/, then every shell
# test in tests/cli/ and tests/interop/ (one test each: exit 0 passes).
# Prints a last line "N passed, N failed".
: "${BITEXT:=$(pwd)/bitext}" "${BUILD:=$(pwd)/build}"
export BITEXT BUILD
TOP=$(pwd); export TOP
pass=0; fail=0; failed=""
log=$(mktemp); trap 'rm -f "$log"' EXIT

for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    "$t" >"$log" 2>&1
    rc=$?
    p=$(sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
    f=$(sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
    p=${p:-0}; f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi   # crashed
    pass=$((pass + p)); fail=$((fail + f))
    if [ "$f" -ne 0 ]; then
        failed="$failed $name"; echo "FAIL $name"; cat "$log"
    else
        echo "ok   $name ($p)"
    fi
done

for t in tests/cli/*.sh tests/interop/*.sh; do
    [ -f "$t" ] || continue
    work=$(mktemp -d)
    (cd "$work" && sh "$TOP/$t") >"$log" 2>&1
    rc=$?
    rm -rf "$work"
    if [ "$rc" -eq 0 ]; then
        pass=$((pass + 1)); echo "ok   $t"
    else
        fail=$((fail + 1)); failed="$failed $t"; echo "FAIL $t (exit $rc)"
        sed 's/^/    /' "$log" | tail -40
    fi
done

[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
