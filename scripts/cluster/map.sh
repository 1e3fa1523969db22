#!/bin/sh
# The map step of an archive aligned on many machines, whatever runs it
# (scripts/slurm/, scripts/parallel/, docs/scaling.md):
#
#   sh map.sh -k K -n N [-s] [-j JOBS] [-T] LIST OUTDIR [-- ALIGN OPTION...]
#
# aligns the K-th of N slices of the files LIST names (one path a line; '-'
# reads standard input) into OUTDIR/shard-K-of-N: memory.tmx, pairs.jsonl,
# the glossaries, table.tsv (what --table learned; -T: none) and shard
# (the line "K/N", for the reduce). -s: LIST is already that slice (as
# scripts/parallel/run.sh sends it), so it is aligned whole. -j: threads (default
# $SLURM_CPUS_PER_TASK, else 1); the outputs do not depend on it.
#
# The same task run again gives the same bytes: the folder is written
# under a temporary name and renamed into place when complete, so a task
# killed half way leaves nothing a reduce would take, and an earlier
# table.tsv is never read back (--table adds an existing table's counts).
# The TMX dates come from SOURCE_DATE_EPOCH, by default LIST's mtime, so
# every task of a job, and any re-run, writes the same dates.
# BITEXT names the program (default: bitext on PATH). Exit status: that of
# bitext align (0, or 2 with nothing put in place), 2 for a usage error.
set -eu
usage() {
    echo "usage: map.sh -k K -n N [-s] [-j JOBS] [-T] LIST OUTDIR [-- ALIGN OPTION...]" >&2
    exit 2
}
k="" n="" sliced=0 table=1 jobs=${SLURM_CPUS_PER_TASK:-1}
while getopts k:n:sj:T o; do
    case $o in
        k) k=$OPTARG ;; n) n=$OPTARG ;; s) sliced=1 ;; j) jobs=$OPTARG ;;
        T) table=0 ;; *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ $# -ge 2 ] || usage
list=$1 out=$2
shift 2
[ "${1:-}" = -- ] && shift
case "$k/$n" in
    */*[!0-9]*|*[!0-9]*/*|/*|*/) usage ;;
esac
[ "$k" -ge 1 ] && [ "$k" -le "$n" ] || usage
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    if [ "$list" = - ]; then
        echo "map.sh: set SOURCE_DATE_EPOCH when the list comes on standard input" \
             "(the tasks of a job must agree on the dates they write)" >&2
        exit 2
    fi
    SOURCE_DATE_EPOCH=$(stat -c %Y "$list")
fi
export SOURCE_DATE_EPOCH
bitext=${BITEXT:-bitext}

name=shard-$k-of-$n
mkdir -p "$out"
tmp=$out/.$name.tmp.$$
rm -rf "$tmp"
mkdir "$tmp"
trap 'rm -rf "$tmp"' EXIT
set -- -q -j "$jobs" --files-from "$list" -o "$tmp" "$@"
[ "$sliced" = 1 ] || set -- --shard "$k/$n" "$@"
[ "$table" = 1 ] && set -- --table "$tmp/table.tsv" "$@"
"$bitext" align "$@"
echo "$k/$n" > "$tmp/shard"
# replace an earlier run's folder (a re-run) only now that this one is whole
if [ -e "$out/$name" ]; then
    mv "$out/$name" "$tmp.old"
    mv "$tmp" "$out/$name"
    rm -rf "$tmp.old"
else
    mv "$tmp" "$out/$name"
fi
trap - EXIT
