#!/bin/sh
# An archive aligned across a few hosts with GNU parallel over SSH: the map
# of scripts/cluster/map.sh on the hosts, its reduce here.
#
#   sh run.sh -S LOGINS [-n N] [-j TASKS] [-t THREADS] [-e SSH] [-B BITEXT]
#             LIST OUTDIR [-- ALIGN OPTION...]
#
# Run it in the folder the paths of LIST are relative to (one path a line,
# no '..', no leading '/'): the outputs name the files as LIST does, as a
# run on one machine in that folder would. The hosts need bitext (-B: its
# path there, default bitext on PATH), sh, tar and rsync, nothing else: no
# shared storage. For each K of 1..N (default: 2 a host) the K-th slice of
# LIST (the files --shard K/N takes: every N-th from the K-th) goes to a
# host as one tar with map.sh (--transferfile), is aligned there by map.sh
# into shard-K-of-N and comes back as one tar (--return); --cleanup leaves
# nothing on the hosts. The shards land in OUTDIR/shard-K-of-N, and
# scripts/cluster/reduce.sh merges them into OUTDIR/merged.
#
#   -S LOGINS   parallel's --sshlogin list (host,user@host2,...)
#   -e SSH      parallel's --ssh (e.g. "ssh -F my_config")
#   -j TASKS    tasks at once per host (default 1)
#   -t THREADS  align's -j in each task (default 1)
#
# A task that fails is tried once more (on any host; --retries 2) and gives
# the same bytes; OUTDIR/logs/joblog is parallel's record of where each ran.
# SOURCE_DATE_EPOCH defaults to LIST's mtime (the TMX dates), as map.sh's.
# Exit status: 0, 1 when the reduce's checks fail, 2 for trouble.
set -eu
usage() {
    echo "usage: run.sh -S LOGINS [-n N] [-j TASKS] [-t THREADS] [-e SSH] [-B BITEXT]" \
         "LIST OUTDIR [-- ALIGN OPTION...]" >&2
    exit 2
}
die() { echo "run.sh: $*" >&2; exit 2; }
logins="" n="" tasks=1 threads=1 ssh=ssh rbitext=bitext
while getopts S:n:j:t:e:B: o; do
    case $o in
        S) logins=$OPTARG ;; n) n=$OPTARG ;; j) tasks=$OPTARG ;;
        t) threads=$OPTARG ;; e) ssh=$OPTARG ;; B) rbitext=$OPTARG ;; *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ -n "$logins" ] && [ $# -ge 2 ] || usage
list=$1 out=$2
shift 2
[ "${1:-}" = -- ] && shift
here=$(cd "$(dirname "$0")/.." && pwd)
command -v parallel > /dev/null || die "GNU parallel is missing (sh scripts/deps.sh cluster)"
[ -f "$list" ] || die "cannot read '$list'"
if [ -z "$n" ]; then
    n=$(($(printf '%s\n' "$logins" | tr ',' '\n' | grep -c .) * 2))
fi
case $n in ''|0|*[!0-9]*) die "invalid -n '$n'" ;; esac
grep -q -e '^/' -e '\(^\|/\)\.\.\(/\|$\)' "$list" &&
    die "$list: paths must be relative to this folder, without '..'"
: "${SOURCE_DATE_EPOCH:=$(stat -c %Y "$list")}"
# align's options, quoted for the remote shell
opts=""
for a; do opts="$opts '$(printf '%s' "$a" | sed "s/'/'\\\\''/g")'"; done

mkdir -p "$out/logs"
out=$(cd "$out" && pwd)
work=$(mktemp -d "$out/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp "$here/cluster/map.sh" "$work/map.sh"
# the slices, by --shard's rule (index i of the list, from 0, goes to
# slice i mod N + 1); map.sh -s aligns each whole
for k in $(seq 1 "$n"); do
    awk -v k="$k" -v n="$n" '(NR - 1) % n == k - 1' "$list" > "$work/slice-$k-of-$n.list"
    [ -s "$work/slice-$k-of-$n.list" ] || die "slice $k of $n is empty: give a smaller -n"
    tar -cf "$work/slice-$k-of-$n.tar" -C "$work" map.sh "slice-$k-of-$n.list" \
        -C "$PWD" -T "$work/slice-$k-of-$n.list"
done

# on the host, in a folder of its own (--workdir ...): unpack, align, pack
job="tar -xf slice-{}-of-$n.tar && SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH BITEXT=$rbitext"
job="$job sh map.sh -s -k {} -n $n -j $threads slice-{}-of-$n.list shards -- $opts"
job="$job && tar -cf shard-{}-of-$n.tar -C shards shard-{}-of-$n"
(cd "$work" && seq 1 "$n" | parallel --will-cite -S "$logins" --ssh "$ssh" -j "$tasks" \
    --workdir ... --transferfile "slice-{}-of-$n.tar" --return "shard-{}-of-$n.tar" \
    --cleanup --retries 2 --halt soon,fail=1 --joblog "$out/logs/joblog" "$job") ||
    die "a task failed (see $out/logs/joblog)"

for k in $(seq 1 "$n"); do
    rm -rf "$out/shard-$k-of-$n"
    tar -xf "$work/shard-$k-of-$n.tar" -C "$out"
done
set --
for k in $(seq 1 "$n"); do set -- "$@" "$out/shard-$k-of-$n"; done
BITEXT=${BITEXT:-bitext} sh "$here/cluster/reduce.sh" -o "$out/merged" "$@"
