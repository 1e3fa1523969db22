#!/bin/sh
# bench/pairs.sh - sentence alignment of article pairs (issue 7).
#
# Builds Vietnamese/English documents with a known sentence alignment from
# the gettext catalogues every Debian machine has
# (/usr/share/locale/vi/LC_MESSAGES/*.mo, read with msgunfmt), with 1-0, 0-1,
# 2-1, 1-2 and 2-2 beads made by deleting, merging and splitting sentences
# (bench/gen_pairs.c), aligns them with bt_align_texts and prints bead
# precision, recall and F1, the alignment time and the peak RSS of the
# process, for each size (sentences a side).
#
#   sh bench/pairs.sh                  # 1000 10000 50000 200000
#   sh bench/pairs.sh 1000 10000       # chosen sizes
#   GEN_PAIRS_KINDS=1 sh bench/pairs.sh  # and recall by kind of bead
#
# Needs build/libbitext.a (make) and msgunfmt (Debian package gettext).
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
B=${BUILD:-build}
if ! command -v msgunfmt >/dev/null 2>&1; then
    echo "pairs: msgunfmt not found: install the Debian package gettext" >&2
    exit 1
fi
set -- ${*:-1000 10000 50000 200000}
ls /usr/share/locale/vi/LC_MESSAGES/*.mo >/dev/null 2>&1 || {
    echo "pairs: no Vietnamese catalogues in /usr/share/locale/vi" >&2; exit 1; }
make -s B="$B" "$B/libbitext.a" >&2

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
# shellcheck disable=SC2046
cc -O2 -std=c11 -D_GNU_SOURCE -o "$work/gen_pairs" bench/gen_pairs.c \
    "$B/libbitext.a" $(make -s print-ldlibs)
for f in /usr/share/locale/vi/LC_MESSAGES/*.mo; do
    msgunfmt "$f" 2>/dev/null || true
done > "$work/vi.po"

echo "pairs: sentence alignment of article pairs (gettext vi catalogues, seed = size)"
echo "     vi      en  bead precision / recall / F1, the memory's (accepted against true 1-1 pairs), true 1-1 pairs called mismatch, accepted share and precision, time, peak RSS, DP cells"
for n in "$@"; do
    "$work/gen_pairs" gen "$work/vi.po" "$n" "$n" "$work/d" 2>"$work/gen.log" || {
        cat "$work/gen.log" >&2; exit 1; }
    "$work/gen_pairs" run "$work/d.vi.txt" "$work/d.en.txt" "$work/d.gold"
done
