#!/bin/sh
# bench/lookup.sh - `bitext lookup` in a glossary of 1,000,000 rows, against
# `grep -F` on the same TSV, side by side: median wall time per process.
#
#   BITEXT=./bitext sh bench/lookup.sh      (make bench sets BITEXT)
#
# The glossary is generated deterministically (bench/gen_glossary.awk) into
# build/bench/ and kept there; its index (FILE.idx) is built once, and every
# timed look-up then mmaps it. BENCH_ROWS and BENCH_RUNS change the size and
# the number of timed runs. Uses hyperfine when installed, else a date loop.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BITEXT=${BITEXT:-$TOP/bitext}
ROWS=${BENCH_ROWS:-1000000}
RUNS=${BENCH_RUNS:-100}
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

# Build (or check) the index once, outside the timings.
rm -f "$TSV.idx"
t0=$(ms_now)
"$BITEXT" lookup --no-lexicon -g "$TSV" "bench warm-up" > /dev/null 2>&1
t1=$(ms_now)
build_ms=$(( (t1 - t0) / 1000000 ))
tsv_mb=$(( $(wc -c < "$TSV") / 1048576 ))
idx_mb=$(( $(wc -c < "$TSV.idx") / 1048576 ))

# median_ms CMD...: median wall time of RUNS runs, in ms with 2 decimals.
median_ms() {
    if command -v hyperfine > /dev/null 2>&1 && command -v python3 > /dev/null 2>&1; then
        json=$DIR/hyperfine.json
        hyperfine -N -i --warmup 5 --runs "$RUNS" --export-json "$json" \
            --style none "$*" > /dev/null 2>&1 || { echo "?"; return; }
        python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$json"
    else
        i=0
        : > "$DIR/times"
        while [ "$i" -lt "$RUNS" ]; do
            a=$(ms_now)
            sh -c "$*" > /dev/null 2>&1
            b=$(ms_now)
            echo $(( b - a )) >> "$DIR/times"
            i=$((i + 1))
        done
        sort -n "$DIR/times" | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f\n", m / 1e6 }'
    fi
}

q_vi="Phó Chủ tịch UBND xã Quỳnh Lâm"
q_ascii="pho chu tich ubnd xa quynh lam"
q_en="Vice Chairman of the People's Committee of Quynh Lam Commune"
q_typo="pho chu tich ubnd xa quynh lamm"

echo
echo "bitext lookup vs grep -F: $ROWS rows, $tsv_mb MB TSV; index $idx_mb MB, built once in $build_ms ms"
echo "median wall ms per process over $RUNS runs ($(command -v hyperfine > /dev/null && echo hyperfine -N || echo date loop))"
echo "queries: vi = '$q_vi', ascii = '$q_ascii',"
echo "         en = '$q_en', typo = '$q_typo'"
printf '%-34s %10s %10s\n' "look-up" "bitext" "grep -F"
# sq WORD: WORD quoted for a POSIX shell (and for hyperfine -N)
sq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
row() { # label, options, term
    b=$(median_ms "$(sq "$BITEXT") lookup $2 -g $(sq "$TSV") $(sq "$3")")
    g=$(median_ms "grep -F $(sq "$3") $(sq "$TSV")")
    printf '%-34s %10s %10s\n' "$1" "$b" "$g"
}
row "vi (as written)" "" "$q_vi"
row "ascii (no diacritics)" "" "$q_ascii"
row "en, --reverse" "-r" "$q_en"
b=$(median_ms "$(sq "$BITEXT") lookup --no-lexicon -g $(sq "$TSV") $(sq "$q_vi")")
printf '%-34s %10s %10s\n' "vi, --no-lexicon" "$b" "-"
b=$(median_ms "$(sq "$BITEXT") lookup -f -g $(sq "$TSV") $(sq "$q_typo")")
printf '%-34s %10s %10s\n' "typo, --fuzzy (scans every key)" "$b" "-"
echo "(bitext: built-in lexicon + the glossary's mmap'd index; grep -F matches"
echo " bytes only, so the ascii query finds nothing with it)"
