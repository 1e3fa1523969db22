#!/bin/sh
# make bench: align, check and the parallel speed-up on a synthetic corpus of
# seed-shaped articles (bench/gen_articles.c), against `cat | wc -l` and
# `zcat | wc -l` over the same files. Medians of BENCH_RUNS rounds (default
# 3) that each run every command once, page cache warm; peak RSS from GNU
# time. Beside the wall time, the processor time (user + system, of every
# process of the command), less swayed by the other users of a shared
# machine; the gzip ratio is given in both. BENCH_MB sets the corpus size
# (default 100). Results also go to build/bench/align-results.md.
set -eu
: "${BITEXT:=$(pwd)/bitext}" "${BENCH_MB:=100}" "${BENCH_RUNS:=3}"
B=build/bench
mkdir -p "$B"
cc -O2 -o "$B/gen_articles" bench/gen_articles.c -lz
plain="$B/articles-${BENCH_MB}mb"; gz="$B/articles-${BENCH_MB}mb-gz"
[ -d "$plain" ] || "$B/gen_articles" "$plain" "$BENCH_MB" 42
[ -d "$gz" ] || "$B/gen_articles" "$gz" "$BENCH_MB" 42 --gzip
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
find "$plain" -type f -exec cat {} + > /dev/null   # warm the page cache
find "$gz" -type f -exec cat {} + > /dev/null

# median wall time (s) of the k-th command, the peak RSS (KB) of its
# slowest run, and its median processor time (s)
median() {
    c=$(awk '{ print $3 + $4 }' "$out/times.$1" | sort -n | awk '{ c[NR] = $1 } END { print c[int((NR + 1) / 2)] }')
    sort -n "$out/times.$1" | awk -v c="$c" '{ t[NR] = $1; m[NR] = $2 } END { i = int((NR + 1) / 2); printf "%s %s %s\n", t[i], m[NR], c }'
}
ncpu=$(nproc)
files=$(find "$plain" -type f | wc -l)
mb=$(find "$plain" -type f -exec cat {} + | wc -c | awk '{printf "%.1f", $1 / 1e6}')
set -- \
  "cat, wc -l"            "find $plain -type f -print0 | sort -z | xargs -0 cat | wc -l" \
  "zcat, wc -l"           "find $gz -type f -print0 | sort -z | xargs -0 zcat | wc -l" \
  "align -j 1"            "$BITEXT align -q -j 1 -o $out/a1 $plain" \
  "align -j 1 (gzip)"     "$BITEXT align -q -j 1 -o $out/a2 $gz" \
  "align -j $ncpu"        "$BITEXT align -q -j $ncpu -o $out/a3 $plain" \
  "check -j 1"            "$BITEXT check -q -j 1 -o $out/c1 $plain" \
  "check -j $ncpu"        "$BITEXT check -q -j $ncpu -o $out/c2 $plain"
# BENCH_RUNS rounds, each running every command once: a slow minute of
# the shared machine then weighs on all of them alike, and the ratios of
# the medians stay side by side
r=0
while [ "$r" -lt "$BENCH_RUNS" ]; do
    k=0; odd=0
    for a in "$@"; do
        if [ "$odd" = 1 ]; then
            /usr/bin/time -f "%e %M %U %S" -o "$out/t" sh -c "$a" > /dev/null 2>&1 || true
            tail -n 1 "$out/t" >> "$out/times.$k"
            k=$((k + 1)); odd=0
        else
            odd=1
        fi
    done
    r=$((r + 1))
done
{
echo "## bitext bench: $files articles, $mb MB ($(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m))"
echo
echo "| run | median s | MB/s | peak RSS MB | CPU s | ratio |"
echo "| --- | ---: | ---: | ---: | ---: | --- |"
cat_t=; zcat_t=; zcat_c=; j1=; c1=; k=0
while [ $# -gt 0 ]; do
    name=$1; shift 2
    read -r t rss cpu <<EOF
$(median $k)
EOF
    k=$((k + 1))
    case "$name" in
      "cat, wc -l") cat_t=$t; ratio="1.0 (reference)";;
      "zcat, wc -l") zcat_t=$t; zcat_c=$cpu; ratio="1.0 (reference, gzip)";;
      "align -j 1") j1=$t; ratio=$(awk "BEGIN{printf \"%.1fx cat (target <= 3x)\", $t/$cat_t}");;
      "align -j 1 (gzip)") ratio=$(awk "BEGIN{printf \"%.2fx zcat (target <= 1.5x); CPU %.2fx\", $t/$zcat_t, $cpu/$zcat_c}");;
      "check -j 1") c1=$t; ratio=$(awk "BEGIN{printf \"%.1fx cat (target <= 5x)\", $t/$cat_t}");;
      "check -j $ncpu") ratio=$(awk "BEGIN{printf \"%.1fx cat, %.2fx faster than -j 1\", $t/$cat_t, $c1/$t}");;
      *) ratio=$(awk "BEGIN{printf \"%.2fx faster than -j 1 (target >= 1.7x)\", $j1/$t}");;
    esac
    awk -v n="$name" -v t="$t" -v m="$mb" -v r="$rss" -v c="$cpu" -v q="$ratio" \
        'BEGIN{printf "| %s | %.2f | %.1f | %.1f | %.2f | %s |\n", n, t, (t > 0 ? m / t : 0), r / 1024, c, q}'
done
} | tee "$B/align-results.md"
# -j determinism: the outputs of -j 1 and -j N are the same bytes
for f in pairs.jsonl glossary.tsv; do cmp -s "$out/a1/$f" "$out/a3/$f" || echo "DIFFERENT: $f (-j 1 vs -j $ncpu)"; done
cmp -s "$out/c1/consistency.json" "$out/c2/consistency.json" || echo "DIFFERENT: consistency.json (check -j 1 vs -j $ncpu)"
