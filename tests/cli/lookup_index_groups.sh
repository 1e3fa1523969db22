#!/bin/sh
# The index keeps its rows and English keys front-coded in groups of 16
# (version 4): every row of a glossary of many groups, looked up by its
# Vietnamese and by its English from the written index, comes back whole
# (vi, en, kind, count, sources), across the groups' edges; and the answers
# from FILE.idx are those of an index built in memory.
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
B=${BITEXT:?}
LC_ALL=C awk -v N=700 -f "$TOP/bench/gen_glossary.awk" > G.tsv || fail "generate"
grep -v '^#' G.tsv | sort -u > rows
[ "$(wc -l < rows)" -gt 600 ] || fail "too few rows: $(wc -l < rows)"
cut -f1 rows > vi.txt
cut -f2 rows > en.txt
rm -f G.tsv.idx
"$B" lookup --no-lexicon --format tsv -g G.tsv - < vi.txt > fwd 2> err || fail "lookup: $(cat err)"
[ -s G.tsv.idx ] || fail "no index written"
"$B" lookup --no-lexicon --format tsv -r -g G.tsv - < en.txt > rev 2> err || fail "lookup -r: $(cat err)"
# every row back whole, both ways
for f in fwd rev; do
    awk -F'\t' 'NR > 1 { print $2 "\t" $3 "\t" $4 "\t" $5 "\t" $8 }' "$f" | sort -u > got
    missing=$(comm -23 rows got | wc -l)
    [ "$missing" -eq 0 ] || { comm -23 rows got | head -3; fail "$missing rows not found whole ($f)"; }
done
# an index built in memory (none written), the one written and the one
# mapped from FILE.idx answer the same
for dir in "" "-r" "-f"; do
    f=vi.txt; [ "$dir" = -r ] && f=en.txt
    rm -f G.tsv.idx
    # shellcheck disable=SC2086
    "$B" lookup --no-lexicon --format tsv --no-index-write $dir -g G.tsv - < "$f" > mem 2>&1
    [ -e G.tsv.idx ] && fail "an index written with --no-index-write"
    # shellcheck disable=SC2086
    "$B" lookup --no-lexicon --format tsv $dir -g G.tsv - < "$f" > built 2>&1
    # shellcheck disable=SC2086
    "$B" lookup --no-lexicon --format tsv $dir -g G.tsv - < "$f" > cached 2>&1
    cmp -s mem built || fail "in-memory and written answers differ ($dir)"
    cmp -s mem cached || fail "in-memory and cached answers differ ($dir)"
done
exit 0
