# Every saved fuzz input (tests/fuzz/corpus/NAME/: seeds and the crashes
# `make fuzz` found) replayed through its harness, built with the project's
# compiler as $BUILD/fuzz/replay_NAME (tests/fuzz/Makefile.inc). A harness
# aborts on a broken promise, so a failing input fails this test; the
# inputs that fail are named.
set -u
: "${BUILD:=$TOP/build}"
status=0
for dir in "$TOP"/tests/fuzz/corpus/*/; do
    name=$(basename "$dir")
    bin=$BUILD/fuzz/replay_$name
    if [ ! -x "$bin" ]; then
        echo "missing $bin: is tests/fuzz/Makefile.inc included by the Makefile?"
        status=1
        continue
    fi
    if "$bin" "$dir" > out.txt 2> err.txt; then
        echo "$name: $(cat out.txt)"
        continue
    fi
    status=1
    echo "FAIL $name"
    tail -20 err.txt
    # name every input that fails on its own
    for f in "$dir"*; do
        "$bin" "$f" > /dev/null 2>&1 || echo "  fails: tests/fuzz/corpus/$name/$(basename "$f")"
    done
done
exit $status
