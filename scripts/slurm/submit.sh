#!/bin/sh
# An archive aligned on a Slurm cluster: the map as a job array of N
# tasks (map.sbatch), the reduce as a job that waits for all of them to
# end well (reduce.sbatch, --dependency=afterok).
#
#   sh submit.sh [-n N] [-c CPUS] LIST OUTDIR [-- ALIGN OPTION...]
#
# LIST names the files (one path a line, relative to this folder or
# absolute) and OUTDIR is written by the tasks: both on storage every node
# sees. N defaults to 8 tasks; -c gives each task CPUS cores (align -j).
# Prints the two job ids; the logs go to OUTDIR/logs/, the merged memory,
# glossaries, table and pairs to OUTDIR/merged/ (summary.txt: the counts
# the reduce checked). sbatch's own variables (SBATCH_PARTITION,
# SBATCH_ACCOUNT, ...) choose where the jobs run. BITEXT names the program
# on the nodes (default: bitext as found here). SOURCE_DATE_EPOCH, the TMX
# dates, defaults to LIST's mtime, so a task run again writes the same
# bytes: for task K, `sbatch --array=K` with the map line printed.
set -eu
usage() { echo "usage: submit.sh [-n N] [-c CPUS] LIST OUTDIR [-- ALIGN OPTION...]" >&2; exit 2; }
n=8 cpus=1
while getopts n:c: o; do
    case $o in n) n=$OPTARG ;; c) cpus=$OPTARG ;; *) usage ;; esac
done
shift $((OPTIND - 1))
[ $# -ge 2 ] || usage
list=$1 out=$2
shift 2
[ "${1:-}" = -- ] && shift
case $n in ''|0|*[!0-9]*) usage ;; esac
[ -f "$list" ] || { echo "submit.sh: cannot read '$list'" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
BITEXT_SCRIPTS=$(cd "$here/../cluster" && pwd)
: "${BITEXT:=$(command -v bitext || echo bitext)}"
: "${SOURCE_DATE_EPOCH:=$(stat -c %Y "$list")}"
export BITEXT_SCRIPTS BITEXT SOURCE_DATE_EPOCH
mkdir -p "$out/logs"
map=$(sbatch --parsable --array=1-"$n" --cpus-per-task="$cpus" \
    --output="$out/logs/map-%a.log" "$here/map.sbatch" "$n" "$list" "$out" "$@")
map=${map%%;*}
reduce=$(sbatch --parsable --dependency=afterok:"$map" --kill-on-invalid-dep=yes \
    --output="$out/logs/reduce.log" "$here/reduce.sbatch" "$n" "$out")
reduce=${reduce%%;*}
echo "map job $map (tasks 1-$n), reduce job $reduce; merged outputs in $out/merged"
