#!/bin/sh
# make bench-quality: how good the memory is on labelled data. For each data
# set, precision, recall and F1 of the memory (accepted pairs) against the
# pairs labelled true, the share of true pairs called mismatch, and the
# expected calibration error of the scores (bench/quality.c). Data sets:
#   cases     tests/data/align/*.case (their expected pairs)
#   dev-fit   tests/data/dev/captions/*.case, articles written here in every
#             layout (tests/data/dev/README.md), which the model is fitted on
#   dev-held  tests/data/dev/heldout/*.case, the same kind, never fitted on
#   pairs-fit tests/data/dev/pairs/NAME.{vi,en}.txt with NAME.expect, whole
#             articles sentence by sentence, which the sentence judge is
#             fitted on
#   pairs-held tests/data/dev/pairs-held/, the same kind, never fitted on
#   seeds     ../shared/seeds/NAME.txt with tests/data/dev/seeds/NAME.expect
#   gettext   bench/pairs.sh at 1,000 sentences a side (bead P/R/F1)
# QUALITY_VERBOSE=1 adds each set's reliability table.
set -eu
: "${BITEXT:=$(pwd)/bitext}"
top=$(pwd)
B=${BUILD:-build}/bench
mkdir -p "$B"
# shellcheck disable=SC2046
cc -O2 -std=c11 -D_GNU_SOURCE -o "$B/quality" bench/quality.c $(pkg-config --cflags --libs jansson)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
v=""; [ "${QUALITY_VERBOSE:-0}" = 1 ] && v=-v

# expect lines (VI EN STATUS [credit]) of FILE as gold rows for PATH
gold_rows() { # PATH < expect lines
    awk -v f="$1" 'NF >= 3 && $1 ~ /^[0-9]+$/ { printf "%s\t%s\t%s\t%s\t%s\n", f, $1, $2, $3, $4 }'
}
case_set() { # NAME DIR
    name=$1; d="$work/$name"; mkdir -p "$d/in"; : > "$d/gold"
    for c in "$2"/*.case; do
        [ -f "$c" ] || continue
        base=$(basename "$c" .case)
        awk '/^--- input/{on=1;next} /^--- /{on=0} on' "$c" > "$d/in/$base.txt"
        awk '/^--- expect/{on=1;next} /^--- /{on=0} on' "$c" | gold_rows "$d/in/$base.txt" >> "$d/gold"
    done
    [ -s "$d/gold" ] || { echo "$name: no labelled pairs in $2"; return; }
    "$BITEXT" align -q -j 2 -o "$d/out" "$d/in" || true
    "$B/quality" $v "$name" "$d/gold" "$d/out/pairs.jsonl"
}

echo "quality: the memory against labelled pairs (P, R, F1 of accepted pairs; ECE of the scores)"
case_set cases tests/data/align
case_set dev-fit tests/data/dev/captions
case_set dev-held tests/data/dev/heldout

pairs_set() { # NAME DIR
    name=$1; d="$work/$name"; mkdir -p "$d"; : > "$d/gold"
    for e in "$2"/*.expect; do
        [ -f "$e" ] || continue
        n=${e%.expect}
        gold_rows "$top/$n.vi.txt" < "$e" >> "$d/gold"
    done
    [ -s "$d/gold" ] || { echo "$name: no labelled pairs in $2"; return; }
    "$BITEXT" align -q -j 2 -o "$d/out" --pairs "$top/$2" || true
    "$B/quality" $v "$name" "$d/gold" "$d/out/pairs.jsonl"
}
pairs_set pairs-fit tests/data/dev/pairs
pairs_set pairs-held tests/data/dev/pairs-held

seeds="$top/../shared/seeds"
if [ -d "$seeds" ] && ls tests/data/dev/seeds/*.expect > /dev/null 2>&1; then
    d="$work/seeds"; mkdir -p "$d/in"; : > "$d/gold"
    for e in tests/data/dev/seeds/*.expect; do
        n=$(basename "$e" .expect)
        cp "$seeds/$n.txt" "$d/in/"
        gold_rows "$d/in/$n.txt" < "$e" >> "$d/gold"
    done
    "$BITEXT" align -q -j 2 -o "$d/out" "$d/in" || true
    "$B/quality" $v seeds "$d/gold" "$d/out/pairs.jsonl"
else
    echo "seeds: ../shared/seeds or tests/data/dev/seeds/*.expect not found; skipped"
fi

if command -v msgunfmt > /dev/null 2>&1; then
    BUILD=${BUILD:-build} sh bench/pairs.sh 1000 | tail -n 1 | sed 's/^/gettext (bead P R F1): /'
else
    echo "gettext: msgunfmt not found (Debian package gettext); skipped"
fi
