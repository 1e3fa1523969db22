#!/bin/sh
# bench/lookup.sh - `bitext lookup` in a glossary of 1,000,000 rows, against
# `grep -F` on the same TSV, side by side: median wall time per process.
#
#   BITEXT=./bitext sh bench/lookup.sh      (make bench sets BITEXT)
#
# The glossary is generated deterministically (bench/gen_glossary.awk) into
# build/bench/ and kept there; its index (FILE.idx) is built once, and every
# timed look-up then mmaps it. BENCH_ROWS and BENCH_RUNS change the size and
# the number of timed runs. Each figure is the median of RUNS processes
# started one after the other by bench/spawn.c (posix_spawn and wait4: no
# shell, no date between them), or by `hyperfine -N` when it is installed,
# with /bin/true's beside it: what any process costs on the machine.
# Then 100,000 look-ups from standard input in one process (`lookup -`,
# BENCH_BATCH terms: every 10th row's Vietnamese), and the figures against
# issue 17's targets: build under 3 s at 1 M rows, an index no larger than
# the glossary, a look-up under 3 ms, 100,000 from stdin under 1 s.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BITEXT=${BITEXT:-$TOP/bitext}
ROWS=${BENCH_ROWS:-1000000}
RUNS=${BENCH_RUNS:-100}
BATCH=${BENCH_BATCH:-100000}
DIR=$TOP/build/bench
TSV=$DIR/glossary-$ROWS.tsv
mkdir -p "$DIR" || exit 1
[ -x "$BITEXT" ] || { echo "bench/lookup.sh: no bitext at $BITEXT" >&2; exit 1; }

if [ ! -s "$TSV" ] || [ "$TOP/bench/gen_glossary.awk" -nt "$TSV" ]; then
    echo "generating $ROWS rows into $TSV ..."
    LC_ALL=C awk -v N="$ROWS" -f "$TOP/bench/gen_glossary.awk" > "$TSV.tmp" &&
        mv "$TSV.tmp" "$TSV" || exit 1
fi

ms_now() { date +%s%N; }

# the spawn timer, built once beside the glossary
SPAWN=$DIR/spawn
if [ ! -x "$SPAWN" ] || [ "$TOP/bench/spawn.c" -nt "$SPAWN" ]; then
    ${CC:-cc} -O2 -std=c11 -o "$SPAWN" "$TOP/bench/spawn.c" || exit 1
fi

# Build (or check) the index once, outside the timings.
rm -f "$TSV.idx"
t0=$(ms_now)
"$BITEXT" lookup --no-lexicon -g "$TSV" "bench warm-up" > /dev/null 2>&1
t1=$(ms_now)
build_ms=$(( (t1 - t0) / 1000000 ))
tsv_bytes=$(wc -c < "$TSV")
idx_bytes=$(wc -c < "$TSV.idx")
tsv_mb=$(( tsv_bytes / 1048576 ))
idx_mb=$(( idx_bytes / 1048576 ))

# sq WORD: WORD quoted for a POSIX shell (and for hyperfine -N)
sq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

# spawn_ms RUNS [-i FILE] CMD ARG...: "wall cpu faults", the medians (ms,
# ms, page faults) of RUNS runs of CMD (standard input from FILE), by
# bench/spawn.c.
spawn_ms() {
    n=$1; shift
    w=3; [ "$n" -le 3 ] && w=1 # a batch: one untimed run warms the cache
    out=$("$SPAWN" -n "$n" -w "$w" "$@") && echo "$out" | awk '{ print $1, $2, $5 }' ||
        echo "? ? ?"
}

# median_ms CMD ARG...: median wall time of RUNS runs, in ms with 2
# decimals: by hyperfine -N when installed, else by bench/spawn.c.
median_ms() {
    if [ "$HYPERFINE" = 1 ]; then
        json=$DIR/hyperfine.json
        cmd=""
        for a in "$@"; do cmd="$cmd $(sq "$a")"; done
        hyperfine -N -i --warmup 5 --runs "$RUNS" --export-json "$json" \
            --style none "$cmd" > /dev/null 2>&1 || { echo "?"; return; }
        python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$json"
    else
        spawn_ms "$RUNS" "$@" | cut -d' ' -f1
    fi
}
HYPERFINE=0
command -v hyperfine > /dev/null 2>&1 && command -v python3 > /dev/null 2>&1 && HYPERFINE=1

q_vi="Phó Chủ tịch UBND xã Quỳnh Lâm"
q_ascii="pho chu tich ubnd xa quynh lam"
q_en="Vice Chairman of the People's Committee of Quynh Lam Commune"
q_typo="pho chu tich ubnd xa quynh lamm"

echo
echo "bitext lookup vs grep -F: $ROWS rows, $tsv_mb MB TSV; index $idx_mb MB, built once in $build_ms ms"
true_w=$(median_ms /bin/true)
set -- $(spawn_ms "$RUNS" /bin/true)
true_cpu=$2 true_flt=$3
echo "median wall ms per process over $RUNS runs ($( [ "$HYPERFINE" = 1 ] && echo hyperfine -N || echo bench/spawn.c: posix_spawn + wait4))"
echo "a process that does nothing, /bin/true: $true_w ms wall, $true_cpu ms CPU, $true_flt page faults"
echo "queries: vi = '$q_vi', ascii = '$q_ascii',"
echo "         en = '$q_en', typo = '$q_typo'"
printf '%-34s %10s %10s\n' "look-up" "bitext" "grep -F"
row() { # label, option or "", term
    if [ -n "$2" ]; then b=$(median_ms "$BITEXT" lookup "$2" -g "$TSV" "$3")
    else b=$(median_ms "$BITEXT" lookup -g "$TSV" "$3"); fi
    g=$(median_ms grep -F "$3" "$TSV")
    printf '%-34s %10s %10s\n' "$1" "$b" "$g"
}
row "vi (as written)" "" "$q_vi"
row "ascii (no diacritics)" "" "$q_ascii"
row "en, --reverse" "-r" "$q_en"
b=$(median_ms "$BITEXT" lookup --no-lexicon -g "$TSV" "$q_vi")
printf '%-34s %10s %10s\n' "vi, --no-lexicon" "$b" "-"
b=$(median_ms "$BITEXT" lookup -f -g "$TSV" "$q_typo")
printf '%-34s %10s %10s\n' "typo, --fuzzy (scans every key)" "$b" "-"
echo "(bitext: built-in lexicon + the glossary's mmap'd index; grep -F matches"
echo " bytes only, so the ascii query finds nothing with it)"

# many look-ups in one process: the terms on standard input
awk -F '\t' -v n="$BATCH" 'NR > 1 && NR % 10 == 2 { print $1; if (++k == n) exit }' \
    "$TSV" > "$DIR/terms"
nterms=$(wc -l < "$DIR/terms")
batch_runs=3
set -- $(spawn_ms $batch_runs -i "$DIR/terms" "$BITEXT" lookup -g "$TSV" -)
bms=$1 b_cpu=$2
set -- $(spawn_ms $batch_runs -i "$DIR/terms" "$BITEXT" lookup --no-lexicon -g "$TSV" -)
bnl=$1
echo
echo "$nterms look-ups from stdin in one process (lookup -), median of $batch_runs:"
printf '%-34s %10s ms\n' "with the built-in lexicon" "$bms"
printf '%-34s %10s ms\n' "--no-lexicon" "$bnl"

one=$(median_ms "$BITEXT" lookup -g "$TSV" "$q_vi")
set -- $(spawn_ms "$RUNS" "$BITEXT" lookup -g "$TSV" "$q_vi")
one_cpu=$2 one_flt=$3
# verdict LABEL OK: the target's line
verdict() { if [ "$2" -eq 1 ]; then printf '  met     %s\n' "$1"; else printf '  missed  %s\n' "$1"; fi; }
ok() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "?" && a + 0 < b + 0) }' && echo 1 || echo 0; }
echo
echo "targets (issue 17, at 1,000,000 rows; wall time, and CPU time where given):"
verdict "build under 3 s: $build_ms ms" "$( [ "$ROWS" -ge 1000000 ] && ok "$build_ms" 3000 || echo 0)"
verdict "index at most the glossary: $idx_bytes bytes for $tsv_bytes" "$( [ "$idx_bytes" -le "$tsv_bytes" ] && echo 1 || echo 0)"
verdict "a look-up under 3 ms: $one ms wall, $one_cpu ms CPU, $one_flt page faults (/bin/true: $true_w ms wall, $true_cpu ms CPU, $true_flt page faults)" "$(ok "$one" 3)"
verdict "100,000 look-ups from stdin under 1 s: $bms ms wall, $b_cpu ms CPU for $nterms" \
    "$( [ "$nterms" -ge 100000 ] && ok "$bms" 1000 || echo 0)"
