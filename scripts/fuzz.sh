#!/bin/sh
# Run libFuzzer harnesses for a set time and print what they did.
#
#     FUZZ_SECONDS=300 FUZZ_JOBS=2 sh scripts/fuzz.sh BUILD NAME...
#     sh scripts/fuzz.sh --keep BUILD NAME...
#
# --keep copies into tests/fuzz/corpus/NAME/ (as cov-SHA1) the inputs of the
# working corpus that reach code the saved corpus does not, as libFuzzer's
# -merge=1 chooses them: at most FUZZ_KEEP (default 40) per harness, the
# smallest first, none over 2 KB, so that `make check` replays them.
#
# BUILD/fuzz/fuzz_NAME is the harness (built by `make fuzz`). Each run
# starts from the saved corpus tests/fuzz/corpus/NAME/ (read only) plus its
# own working corpus BUILD/fuzz-corpus/NAME/, which keeps what earlier runs
# found; crashes, leaks and timeouts go to BUILD/fuzz-artifacts/NAME/ and
# the log to BUILD/fuzz-logs/NAME.log. A dictionary tests/fuzz/NAME.dict is
# used when there is one. FUZZ_JOBS harnesses run at once.
#
# Prints one line per harness (executions, edges covered, features, corpus
# size, findings) and exits 1 when anything was found.
set -u
keep=0
if [ "${1:-}" = --keep ]; then keep=1; shift; fi
build=${1:?usage: fuzz.sh [--keep] BUILD NAME...}
shift
seconds=${FUZZ_SECONDS:-300}
jobs=${FUZZ_JOBS:-2}
top=$(cd "$(dirname "$0")/.." && pwd)

run_one() {
    name=$1
    bin=$build/fuzz/fuzz_$name
    work=$build/fuzz-corpus/$name
    art=$build/fuzz-artifacts/$name
    log=$build/fuzz-logs/$name.log
    mkdir -p "$work" "$art" "$build/fuzz-logs"
    touch "$art/.run-start"   # findings are what this run leaves after it
    dict=
    [ -f "$top/tests/fuzz/$name.dict" ] && dict=-dict=$top/tests/fuzz/$name.dict
    # detect_leaks: a leak is a finding like a crash. rss_limit: 2 GB,
    # as the real program's default limits allow.
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 $dict \
        -artifact_prefix="$art/" "$work" "$top/tests/fuzz/corpus/$name" \
        > "$log" 2>&1
    echo $? > "$log.rc"
}

summary() {
    name=$1
    log=$build/fuzz-logs/$name.log
    rc=$(cat "$log.rc" 2>/dev/null || echo '?')
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    cov=$(printf '%s\n' "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
    ft=$(printf '%s\n' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    corp=$(printf '%s\n' "$last" | sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p')
    art=$build/fuzz-artifacts/$name
    found=$(find "$art" -type f ! -name .run-start -newer "$art/.run-start" 2>/dev/null | wc -l)
    printf '%-8s exit %-3s execs %-10s cov %-6s ft %-7s corpus %-12s findings %s\n' \
        "$name" "$rc" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$found"
    [ "$rc" = 0 ] && [ "$found" -eq 0 ]
}

keep_new() {
    name=$1
    saved=$top/tests/fuzz/corpus/$name
    tmp=$(mktemp -d)
    cp "$saved"/* "$tmp"/
    ls "$tmp" > "$tmp.before"
    "$build/fuzz/fuzz_$name" -merge=1 -max_len=2048 "$tmp" "$build/fuzz-corpus/$name" \
        > "$build/fuzz-logs/$name.merge.log" 2>&1
    n=0
    for f in $(cd "$tmp" && ls -S -r | grep -vxF -f "$tmp.before"); do
        [ "$(wc -c < "$tmp/$f")" -le 2048 ] || continue
        [ $n -lt "${FUZZ_KEEP:-40}" ] || break
        cp "$tmp/$f" "$saved/cov-$(sha1sum < "$tmp/$f" | cut -c1-12)"
        n=$((n + 1))
    done
    rm -rf "$tmp" "$tmp.before"
    echo "$name: kept $n new inputs"
}
if [ $keep = 1 ]; then
    for n in "$@"; do keep_new "$n"; done
    exit 0
fi

# FUZZ_JOBS at a time, in the order given.
set -- "$@"
names="$*"
while [ $# -gt 0 ]; do
    pids=
    i=0
    while [ $i -lt "$jobs" ] && [ $# -gt 0 ]; do
        run_one "$1" &
        pids="$pids $!"
        shift
        i=$((i + 1))
    done
    for p in $pids; do wait "$p"; done
done

status=0
for n in $names; do summary "$n" || status=1; done
exit $status
