#!/bin/sh
# make check-cluster: the map and reduce of scripts/slurm/ and
# scripts/parallel/ run for real on this machine, and their merged outputs
# compared with one run of `bitext align` over the same archive.
#
# Slurm: munged, slurmctld and slurmd started here from a generated
# slurm.conf in a temporary folder (one node, this host; no cgroups, so it
# runs in a container), the job array and its dependent reduce submitted
# with scripts/slurm/submit.sh. GNU parallel: two sshd on 127.0.0.1 (two
# ports standing for two hosts) with a host key and a user key made here,
# scripts/parallel/run.sh across both. Every daemon is started and stopped
# here, and the temporary folder removed, whatever happens. Needs root
# (CI's case): slurmd runs the jobs, sshd lets the user in by key.
#
# What "the same" means, output by output, against the one-machine run:
#   table.tsv      the same bytes (the learned pairs merge exactly)
#   pairs.jsonl    the same lines (the shards' files follow each other in
#                  the order of K, one run's in the order of the list)
#   memory.tmx     the same units with the same usage counts and scores
#                  (and the same `tmx stats`); not the same bytes: a merged
#                  unit keeps its first place and sources in shard order
#   glossary.tsv/.txt/.tbx  the same rows, kinds and counts; the sources
#                  listed (at most 50 a row) are the first in shard order
# Against the same map and reduce run here without an engine, and between
# Slurm and parallel, every file is compared byte for byte; so are a task
# run again and the reduce given its shards in reverse order.
# Prints one line a check and "N passed, N failed"; exit 1 on a failure.
set -u
: "${BITEXT:?set BITEXT to the bitext program}" "${TOP:=$(pwd)}"
N=3
pass=0 fail=0 failed=""
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); failed="$failed|$*"; echo "FAIL $*"; }
check() { # check NAME COMMAND...: ok when the command succeeds
    name=$1; shift
    if "$@" > "$T/check.log" 2>&1; then ok "$name"; else bad "$name"; sed 's/^/    /' "$T/check.log" | tail -20; fi
}
summary() {
    [ -n "$failed" ] && echo "failed:" && echo "$failed" | tr '|' '\n' | sed -n 's/^./    &/p'
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ] && exit 0
    exit 1
}
elapsed() { echo $(( $(date +%s) - $1 )); }

T=$(mktemp -d /tmp/bitext-cluster.XXXXXX)
chmod 755 "$T"
made_run_sshd=0
cleanup() {
    # jobs of the test's own cluster, should it stop half way
    [ -s "$T/pids/slurmctld" ] && SLURM_CONF=$T/slurm/slurm.conf scancel -u "$(id -un)" 2>/dev/null
    for p in "$T"/pids/*; do
        [ -f "$p" ] || continue
        pid=$(cat "$p" 2>/dev/null) || continue
        [ -n "$pid" ] && kill "$pid" 2>/dev/null
    done
    # give them a moment to go, then make sure
    sleep 1
    for p in "$T"/pids/*; do
        [ -f "$p" ] || continue
        pid=$(cat "$p" 2>/dev/null) || continue
        [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    done
    [ "$made_run_sshd" = 1 ] && rmdir /run/sshd 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
mkdir -p "$T/pids"

# a TCP port nothing listens on, from /proc/net/tcp (no tools needed)
free_port() {
    p=$1
    while awk -v p="$(printf '%04X' "$p")" '$4 == "0A" && $2 ~ (":" p "$") { f = 1 } END { exit !f }' \
            /proc/net/tcp /proc/net/tcp6 2>/dev/null; do
        p=$((p + 1))
    done
    echo "$p"
}
# wait_for SECONDS COMMAND...: until the command succeeds
wait_for() {
    w=$1; shift
    while ! "$@" > /dev/null 2>&1; do
        w=$((w - 1)); [ "$w" -gt 0 ] || return 1; sleep 1
    done
}

# ---- the archive: the samples, a few MB of generated articles, some gzip'd
A=$T/archive
mkdir -p "$A"
cp -r "$TOP/corpus/samples" "$A/samples"
cc -O2 -o "$T/gen" "$TOP/bench/gen_articles.c" -lz || { bad "build the generator"; exit 1; }
"$T/gen" "$A/news" "${CLUSTER_MB:-4}" 19 > /dev/null
"$T/gen" "$A/news-gz" 0.5 23 --gzip > /dev/null
(cd "$A" && find samples news news-gz -name '*.txt' -o -name '*.txt.gz' | LC_ALL=C sort > list)
touch -d @1700000000 "$A/list"       # the scripts take the TMX dates from it
files=$(wc -l < "$A/list")
mb=$(du -sm "$A" | cut -f1)
echo "archive: $files files, $mb MB; $N tasks"

# ---- one machine, one run: what the cluster runs must agree with
t0=$(date +%s)
(cd "$A" && SOURCE_DATE_EPOCH=1700000000 "$BITEXT" align -q -j 1 --files-from list \
    -o "$T/one" --table "$T/one/table.tsv") || bad "one-machine run"
echo "one run, one core: $(elapsed "$t0") s"

# the same map and reduce without an engine, in the order of K
t0=$(date +%s)
for k in $(seq 1 "$N"); do
    (cd "$A" && BITEXT=$BITEXT sh "$TOP/scripts/cluster/map.sh" -k "$k" -n "$N" list "$T/local") ||
        bad "map.sh task $k"
done
BITEXT=$BITEXT sh "$TOP/scripts/cluster/reduce.sh" -o "$T/local/merged" "$T/local" > /dev/null ||
    bad "reduce.sh"
echo "map and reduce, no engine: $(elapsed "$t0") s"

# units of a memory as usagecount, score, vi, en (bitext's own TMX layout)
units() {
    awk '/<tu /   { u = 1; if (match($0, /usagecount="[0-9]+"/)) u = substr($0, RSTART + 12, RLENGTH - 13); s = ""; n = 0 }
         /<prop type="x-score">/ { s = $0; sub(/.*<prop type="x-score">/, "", s); sub(/<\/prop>.*/, "", s) }
         /<seg>/  { g = $0; sub(/.*<seg>/, "", g); sub(/<\/seg>.*/, "", g); seg[n++] = g }
         /<\/tu>/ { print u "\t" s "\t" seg[0] "\t" seg[1] }' "$1" | LC_ALL=C sort
}
same_as_one() { # same_as_one MERGED: the normalised comparison above
    m=$1 o=$T/one
    cmp "$o/table.tsv" "$m/table.tsv" || return 1
    LC_ALL=C sort "$o/pairs.jsonl" > "$T/a"; LC_ALL=C sort "$m/pairs.jsonl" > "$T/b"
    cmp "$T/a" "$T/b" || { echo "pairs.jsonl: not the same lines"; return 1; }
    units "$o/memory.tmx" > "$T/a"; units "$m/memory.tmx" > "$T/b"
    [ -s "$T/a" ] && cmp "$T/a" "$T/b" || { echo "memory.tmx: not the same units"; diff "$T/a" "$T/b" | head; return 1; }
    "$BITEXT" tmx stats "$o/memory.tmx" | grep -v '^file:' > "$T/a"
    "$BITEXT" tmx stats "$m/memory.tmx" | grep -v '^file:' > "$T/b"
    cmp "$T/a" "$T/b" || { echo "tmx stats differ"; diff "$T/a" "$T/b"; return 1; }
    grep -v '^#' "$o/glossary.tsv" | cut -f1-4 | LC_ALL=C sort > "$T/a"
    grep -v '^#' "$m/glossary.tsv" | cut -f1-4 | LC_ALL=C sort > "$T/b"
    [ -s "$T/a" ] && cmp "$T/a" "$T/b" || { echo "glossary.tsv: not the same rows"; return 1; }
    sed 's/\(count [0-9]*\);.*/\1/' "$o/glossary.txt" | LC_ALL=C sort > "$T/a"
    sed 's/\(count [0-9]*\);.*/\1/' "$m/glossary.txt" | LC_ALL=C sort > "$T/b"
    cmp "$T/a" "$T/b" || { echo "glossary.txt: not the same rows"; return 1; }
    [ "$(grep -c '<termEntry' "$o/glossary.tbx")" = "$(grep -c '<termEntry' "$m/glossary.tbx")" ] ||
        { echo "glossary.tbx: not the same number of entries"; return 1; }
}
same_files() { # same_files DIR1 DIR2: every file byte for byte
    (cd "$1" && find . -type f | LC_ALL=C sort) > "$T/a"
    (cd "$2" && find . -type f | LC_ALL=C sort) > "$T/b"
    cmp "$T/a" "$T/b" || { echo "not the same files:"; diff "$T/a" "$T/b"; return 1; }
    while read -r f; do cmp "$1/$f" "$2/$f" || return 1; done < "$T/a"
}
shards_same() { # shards_same OUT1 OUT2
    for k in $(seq 1 "$N"); do same_files "$1/shard-$k-of-$N" "$2/shard-$k-of-$N" || return 1; done
}
check "no engine: merged outputs agree with one run" same_as_one "$T/local/merged"

# the reduce: any order, and nothing incomplete taken
reverse_order() {
    BITEXT=$BITEXT sh "$TOP/scripts/cluster/reduce.sh" -o "$T/rev" \
        $(for k in $(seq "$N" -1 1); do echo "$T/local/shard-$k-of-$N"; done) > /dev/null &&
    same_files "$T/local/merged" "$T/rev"
}
check "reduce: shards in reverse order give the same bytes" reverse_order
refuses() {
    cp -r "$T/local" "$T/cut"
    rm -rf "$T/cut/merged" "$T/cut/shard-2-of-$N"
    if BITEXT=$BITEXT sh "$TOP/scripts/cluster/reduce.sh" -o "$T/cut/merged" "$T/cut"; then return 1; fi
    cp -r "$T/local/shard-2-of-$N" "$T/cut/"
    head -c 1000 "$T/local/shard-2-of-$N/memory.tmx" > "$T/cut/shard-2-of-$N/memory.tmx"
    if BITEXT=$BITEXT sh "$TOP/scripts/cluster/reduce.sh" -o "$T/cut/merged" "$T/cut"; then return 1; fi
    [ ! -e "$T/cut/merged" ]
}
check "reduce: refuses a missing shard and a cut one" refuses

if [ "$(id -u)" != 0 ]; then
    bad "slurm: needs root (slurmd runs the jobs; CI runs as root)"
    bad "parallel: needs root (sshd lets this user in by key)"
    summary
fi

# ---- Slurm on this machine
slurm_test() {
    S=$T/slurm
    mkdir -p "$S/munge" "$S/state" "$S/spool" "$S/log"
    chmod 700 "$S/munge"
    dd if=/dev/urandom of="$S/munge/munge.key" bs=1024 count=1 2> /dev/null
    chmod 400 "$S/munge/munge.key"
    if ! munged --force --key-file="$S/munge/munge.key" --socket="$S/munge/socket" \
            --pid-file="$T/pids/munged" --log-file="$S/log/munged.log" \
            --seed-file="$S/munge/seed" ||
         ! wait_for 20 sh -c "munge -S '$S/munge/socket' -n | unmunge -S '$S/munge/socket'"; then
        bad "slurm: munged does not start"; sed 's/^/    /' "$S/log/munged.log" | tail; return
    fi
    host=$(hostname -s)
    p1=$(free_port 16817); p2=$(free_port $((p1 + 1)))
    cat > "$S/slurm.conf" <<EOF
# made by tests/cluster/run.sh: one node, this host, nothing needing cgroups
ClusterName=bitexttest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$p1
SlurmdPort=$p2
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$S/munge/socket
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$T/pids/slurmctld
SlurmdPidFile=$T/pids/slurmd
SlurmctldLogFile=$S/log/slurmctld.log
SlurmdLogFile=$S/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
MailProg=/bin/true
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=3600
SlurmctldTimeout=30
SlurmdTimeout=60
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
    export SLURM_CONF="$S/slurm.conf"
    slurmctld -i -f "$SLURM_CONF" && slurmd -f "$SLURM_CONF"
    if ! wait_for 60 sh -c 'sinfo -h -o %T | grep -qx idle'; then
        bad "slurm: the node does not come up (slurmctld, slurmd)"
        for f in "$S"/log/slurm*.log; do echo "    $f:"; grep -i error "$f" | tail -5 | sed 's/^/    /'; done
        return
    fi
    ok "slurm: munged, slurmctld and slurmd up ($host, ports $p1 $p2)"
    t0=$(date +%s)
    line=$(cd "$A" && BITEXT=$BITEXT sh "$TOP/scripts/slurm/submit.sh" -n "$N" list "$S/out") ||
        { bad "slurm: submit.sh"; return; }
    map=$(echo "$line" | sed -n 's/^map job \([0-9]*\).*/\1/p')
    reduce=$(echo "$line" | sed -n 's/.*reduce job \([0-9]*\);.*/\1/p')
    echo "     $line"
    wait_for 600 sh -c "[ -z \"\$(squeue -h -j $map,$reduce 2>/dev/null)\" ]" ||
        { bad "slurm: jobs not done in 10 minutes"; squeue; return; }
    echo "slurm: map and reduce in $(elapsed "$t0") s"
    state() { scontrol show job "$1" | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | sort -u | tr '\n' ' '; }
    [ "$(state "$map")" = "COMPLETED " ] && [ "$(state "$reduce")" = "COMPLETED " ] ||
        { bad "slurm: jobs ended $(state "$map")/ $(state "$reduce")"; cat "$S/out/logs/"*.log | tail -20; return; }
    ok "slurm: array of $N map tasks and the dependent reduce COMPLETED"
    check "slurm: merged outputs agree with one run" same_as_one "$S/out/merged"
    both() { shards_same "$S/out" "$T/local" && same_files "$S/out/merged" "$T/local/merged"; }
    check "slurm: shards and merged outputs the same bytes as without an engine" both
    # a task killed half way leaves a temporary folder and no shard: run
    # again alone, it writes the same bytes, and the reduce the same merge
    cp -r "$S/out/shard-2-of-$N" "$T/before"
    cp -r "$S/out/merged" "$T/merged-before"
    rm -rf "$S/out/shard-2-of-$N"
    mkdir "$S/out/.shard-2-of-$N.tmp.1"
    head -c 300 "$T/before/table.tsv" > "$S/out/.shard-2-of-$N.tmp.1/table.tsv"
    j=$(cd "$A" && BITEXT=$BITEXT BITEXT_SCRIPTS=$TOP/scripts/cluster \
        sbatch --parsable --array=2 --output="$S/out/logs/rerun-%a.log" \
        "$TOP/scripts/slurm/map.sbatch" "$N" list "$S/out")
    r=$(BITEXT=$BITEXT BITEXT_SCRIPTS=$TOP/scripts/cluster sbatch --parsable \
        --dependency=afterok:"$j" --output="$S/out/logs/rereduce.log" \
        "$TOP/scripts/slurm/reduce.sbatch" "$N" "$S/out")
    wait_for 300 sh -c "[ -z \"\$(squeue -h -j $j,$r 2>/dev/null)\" ]"
    rerun() { same_files "$T/before" "$S/out/shard-2-of-$N" && same_files "$T/merged-before" "$S/out/merged"; }
    check "slurm: task 2 run again gives the same bytes, and so does the reduce" rerun
    unset SLURM_CONF
}
slurm_test
SLURM_OUT=$T/slurm/out

# ---- GNU parallel over SSH: two sshd on 127.0.0.1
parallel_test() {
    K=$T/ssh
    mkdir -p "$K" "$T/home"
    chmod 700 "$K"
    ssh-keygen -q -t ed25519 -N '' -f "$K/host_key" && ssh-keygen -q -t ed25519 -N '' -f "$K/user_key" ||
        { bad "parallel: ssh-keygen"; return; }
    cp "$K/user_key.pub" "$K/authorized_keys"
    [ -d /run/sshd ] || { mkdir -p /run/sshd && made_run_sshd=1; }
    cat > "$K/sshd_config" <<EOF
ListenAddress 127.0.0.1
HostKey $K/host_key
AuthorizedKeysFile $K/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
EOF
    h1=$(free_port 22201); h2=$(free_port $((h1 + 1)))
    cat > "$K/config" <<EOF
Host h1 h2
  HostName 127.0.0.1
  User $(id -un)
  IdentityFile $K/user_key
  IdentitiesOnly yes
  StrictHostKeyChecking no
  UserKnownHostsFile $K/known_hosts
  BatchMode yes
  LogLevel ERROR
Host h1
  Port $h1
Host h2
  Port $h2
EOF
    for p in "$h1" "$h2"; do
        /usr/sbin/sshd -f "$K/sshd_config" -p "$p" -o PidFile="$T/pids/sshd-$p" -E "$K/sshd-$p.log" ||
            { bad "parallel: sshd on port $p does not start"; return; }
    done
    if ! wait_for 30 ssh -F "$K/config" h1 true || ! wait_for 30 ssh -F "$K/config" h2 true; then
        bad "parallel: cannot log in to the two sshd"; tail -5 "$K"/sshd-*.log | sed 's/^/    /'; return
    fi
    ok "parallel: two sshd on 127.0.0.1 (ports $h1 $h2), logged in by key"
    t0=$(date +%s)
    (cd "$A" && HOME=$T/home BITEXT=$BITEXT sh "$TOP/scripts/parallel/run.sh" -S h1,h2 \
        -e "ssh -F $K/config" -n "$N" -B "$BITEXT" list "$T/par") > "$T/par.log" 2>&1 ||
        { bad "parallel: run.sh"; sed 's/^/    /' "$T/par.log" | tail -20; return; }
    echo "parallel: map and reduce in $(elapsed "$t0") s"
    hosts=$(awk 'NR > 1 { print $2 }' "$T/par/logs/joblog" | sort -u | tr '\n' ' ')
    [ "$hosts" = "h1 h2 " ] && ok "parallel: tasks ran on both hosts ($hosts)" ||
        bad "parallel: tasks ran on '$hosts', not on h1 and h2"
    check "parallel: merged outputs agree with one run" same_as_one "$T/par/merged"
    both() { shards_same "$T/par" "$T/local" && same_files "$T/par/merged" "$T/local/merged"; }
    check "parallel: shards and merged outputs the same bytes as without an engine" both
    if [ -d "$SLURM_OUT/merged" ]; then
        check "parallel and slurm: merged outputs the same bytes" same_files "$T/par/merged" "$SLURM_OUT/merged"
    fi
}
parallel_test

summary
