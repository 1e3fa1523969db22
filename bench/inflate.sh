#!/bin/sh
# make bench: the gzip decoders side by side on the bench corpus's gzip'd
# articles (bench/inflate.c): zlib, libdeflate (what bitext uses for files
# read whole) and Intel ISA-L when libisal-dev is installed (not a
# dependency; it is measured, not used); per article file, then on the
# same text as one file. Median CPU time of BENCH_RUNS
# rounds (default 9 here: each round is short). Results also go to
# build/bench/inflate-results.md.
set -eu
: "${BENCH_MB:=100}" "${INFLATE_RUNS:=9}"
B=build/bench
mkdir -p "$B"
gz="$B/articles-${BENCH_MB}mb-gz"
if [ ! -d "$gz" ]; then
    cc -O2 -o "$B/gen_articles" bench/gen_articles.c -lz
    "$B/gen_articles" "$gz" "$BENCH_MB" 42 --gzip
fi
libs="zlib libdeflate"; def=
if pkg-config --exists libisal 2>/dev/null; then libs="$libs libisal"; def=-DHAVE_ISAL; fi
# shellcheck disable=SC2046
cc -O2 $def -o "$B/inflate" bench/inflate.c $(pkg-config --cflags --libs $libs)
{
echo "## gzip decoders on $gz ($(date -u +%Y-%m-%d), $(uname -m))"
echo
find "$gz" -type f -name '*.gz' | sort | "$B/inflate" "$INFLATE_RUNS"
echo
# the same text as one large file: fixed costs per file no longer count
one="$B/articles-${BENCH_MB}mb-one.gz"
[ -f "$one" ] || find "$gz" -type f -name '*.gz' | sort | xargs zcat | gzip -6 > "$one"
echo "As one file:"
echo "$one" | "$B/inflate" "$INFLATE_RUNS"
[ -n "$def" ] || echo "(ISA-L not measured: libisal-dev is not installed)"
} | tee "$B/inflate-results.md"
