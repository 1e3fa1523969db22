#!/bin/sh
# The reduce step: the shard folders map.sh wrote, merged into one, and
# the result checked.
#
#   sh reduce.sh -o MERGED SHARD...
#
# SHARD is a folder map.sh wrote (shard-K-of-N) or a folder holding them.
# Every K of 1..N must be there exactly once, each folder complete (its
# manifest.json present, every output of the size and CRC-32 it names:
# a folder cut short by a copy is refused). The folders are taken in the
# order of K whatever order they are given in, so the merged files are the
# same bytes for any order (bitext's merges keep the order of their
# inputs for the units' first place and their sources).
#
# MERGED gets memory.tmx (bitext tmx merge: identical pairs collapsed,
# usage counts added), memory-partial.tmx when the shards have one,
# glossary.tsv and glossary.tbx (bitext glossary merge), glossary.txt
# (OmegaT's layout, exported from the merged glossary), table.tsv (bitext
# table merge, when the shards learned one), pairs.jsonl (the shards'
# lines, in the order of K) and summary.txt. Checked: the memory is valid
# TMX and its usage counts add up to the shards'. MERGED is written under a temporary name and renamed into
# place when all is done. The TMX dates are the shards' (SOURCE_DATE_EPOCH
# when set). BITEXT names the program (default: bitext on PATH).
# The shards are checked side by side, one a core. Exit status: 0, 1 when
# a check fails, 2 for trouble (usage, a shard missing or incomplete, a
# merge that failed).
set -eu
usage() { echo "usage: reduce.sh -o MERGED SHARD..." >&2; exit 2; }
die() { echo "reduce.sh: $*" >&2; exit 2; }
bitext=${BITEXT:-bitext}
usage_total() { "$bitext" tmx stats "$1" | sed -n 's/^usagecount total: //p'; }
# zlib's CRC-32, as manifest.json gives it: gzip's trailer holds it
crc32() { gzip -1c < "$1" | tail -c 8 | od -An -tx1 -N4 | awk '{ print $4 $3 $2 $1 }'; }

# -V DIR (run by the reduce itself, a shard at a time on every core): the
# folder complete as its manifest says; prints its memory's usage count
if [ "${1:-}" = -V ] && [ $# -eq 2 ]; then
    d=$2
    [ -f "$d/manifest.json" ] || die "$d: no manifest.json (a run that did not end)"
    grep -q '"complete": true' "$d/manifest.json" || die "$d: manifest says incomplete"
    # the manifest's layout is bitext's own: one "file", "bytes", "crc32" a line
    sed -n 's/^ *"\(file\|bytes\|crc32\)": "\{0,1\}\([^",]*\)"\{0,1\},\{0,1\}$/\2/p' \
        "$d/manifest.json" | paste - - - | {
        while IFS='	' read -r f bytes crc; do
            [ -f "$d/$f" ] || die "$d/$f: missing"
            [ "$(stat -c %s "$d/$f")" = "$bytes" ] || die "$d/$f: not the size its manifest gives"
            [ "$(crc32 "$d/$f")" = "$crc" ] || die "$d/$f: not the CRC-32 its manifest gives"
        done
    }
    usage_total "$d/memory.tmx"
    exit 0
fi

out=""
while getopts o: o; do
    case $o in o) out=$OPTARG ;; *) usage ;; esac
done
shift $((OPTIND - 1))
[ -n "$out" ] && [ $# -ge 1 ] || usage

# the shard folders, as "K<TAB>N<TAB>folder" lines
found=$(mktemp)
trap 'rm -f "$found"' EXIT
for a; do
    if [ -f "$a/shard" ]; then
        set -- "$a"
    else
        set -- "$a"/shard-*-of-*
        [ -f "$1/shard" ] || die "'$a' is neither a shard folder nor holds one"
    fi
    for d; do
        [ -f "$d/shard" ] || continue
        IFS=/ read -r k n < "$d/shard" || die "$d/shard: unreadable"
        printf '%s\t%s\t%s\n' "$k" "$n" "$d" >> "$found"
    done
done
n=$(cut -f2 "$found" | sort -u)
[ "$(printf '%s\n' "$n" | wc -l)" -eq 1 ] || die "the shards disagree on N: $(echo $n)"
dups=$(cut -f1 "$found" | sort | uniq -d)
[ -z "$dups" ] || die "shard(s) given twice: $(echo $dups)"
case $n in ''|*[!0-9]*) die "the shards' N is not a number: $n" ;; esac
missing=""
for k in $(seq 1 "$n"); do
    grep -q "^$k	" "$found" || missing="$missing $k"
done
[ -z "$missing" ] || die "shard(s) missing:$missing of $n"

# in the order of K from here; one folder a line (their paths may hold
# blanks), so unquoted lists below split at newlines only
dirs=$(sort -n -k1,1 "$found" | cut -f3)
IFS='
'
printf '%s\n' "$dirs" | xargs -d '\n' -P "$(nproc)" -n 1 sh "$0" -V > "$found" ||
    die "a shard is incomplete (above)"
want=$(awk '{ n += $1 } END { print n + 0 }' "$found")
first=$(printf '%s\n' "$dirs" | head -n 1)
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    # the date the shards' memories carry, so that the merge adds none of its own
    d=$(sed -n 's/.*<header [^>]*creationdate="\([0-9]\{8\}\)T\([0-9]\{2\}\)\([0-9]\{2\}\)\([0-9]\{2\}\)Z".*/\1 \2:\3:\4/p' \
        "$first/memory.tmx" | head -n 1)
    [ -n "$d" ] && SOURCE_DATE_EPOCH=$(date -u -d "$d" +%s) && export SOURCE_DATE_EPOCH
fi

tmp=$out.tmp.$$
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -f "$found"; rm -rf "$tmp"' EXIT
each() { for d in $dirs; do printf '%s\n' "$d/$1"; done; }
# shellcheck disable=SC2046 # IFS is a newline
"$bitext" tmx merge -q -o "$tmp/memory.tmx" $(each memory.tmx) || die "tmx merge failed"
if [ -f "$first/memory-partial.tmx" ]; then
    "$bitext" tmx merge -q -o "$tmp/memory-partial.tmx" $(each memory-partial.tmx) ||
        die "tmx merge of the partial memories failed"
fi
"$bitext" glossary merge -o "$tmp/glossary.tsv" $(each glossary.tsv) || die "glossary merge failed"
"$bitext" glossary merge -o "$tmp/glossary.tbx" $(each glossary.tsv) || die "glossary merge (TBX) failed"
"$bitext" glossary export --format omegat -g "$tmp/glossary.tsv" -o "$tmp/glossary.txt" ||
    die "glossary export failed"
if [ -f "$first/table.tsv" ]; then
    "$bitext" table merge -o "$tmp/table.tsv" $(each table.tsv) || die "table merge failed"
fi
# shellcheck disable=SC2046
cat $(each pairs.jsonl) > "$tmp/pairs.jsonl"

# the checks
bad=0
"$bitext" tmx validate -q "$tmp/memory.tmx" || { echo "reduce.sh: merged memory.tmx is not valid TMX" >&2; bad=1; }
"$bitext" tmx stats "$tmp/memory.tmx" > "$found"
got=$(sed -n 's/^usagecount total: //p' "$found")
units=$(sed -n 's/^units: //p' "$found")
[ "$got" = "$want" ] || { echo "reduce.sh: usage counts $got, the shards' add up to $want" >&2; bad=1; }
lines=$(wc -l < "$tmp/pairs.jsonl")
rows=$(grep -vc '^#' "$tmp/glossary.tsv" || true)
{
    echo "shards: $n"
    echo "units: $units"
    echo "usagecount total: $got"
    echo "pairs.jsonl lines: $lines"
    echo "glossary rows: $rows"
    [ -f "$tmp/table.tsv" ] && echo "table pairs: $(grep -c '^pair' "$tmp/table.tsv" || true)"
    [ "$bad" = 0 ] && echo "checks: passed" || echo "checks: FAILED"
} > "$tmp/summary.txt"
[ "$bad" = 0 ] || { cat "$tmp/summary.txt" >&2; exit 1; }
rm -rf "$out.old"
[ -e "$out" ] && mv "$out" "$out.old"
mv "$tmp" "$out"
rm -rf "$out.old"
trap 'rm -f "$found"' EXIT
cat "$out/summary.txt"
