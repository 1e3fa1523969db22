# Inputs that cannot be read: every one gets a message naming it, the good
# file beside them is still aligned, exit 2, and nothing hangs. Run as
# root, permissions do not bite, so the unreadable cases are: a file and a
# directory of mode 000 read as user nobody (setpriv), /proc/self/mem (EIO
# even for root), a FIFO with no writer, a socket, a symlink loop, a
# dangling symlink, a directory symlink loop, and a directory of 100,000
# empty files.
set -u
status=0
fail() { echo "$*"; status=1; }
# run LABEL SECONDS ARGS...: bitext with a time limit; rc in $rc
run() {
    label=$1 secs=$2
    shift 2
    timeout -s KILL "$secs" "$BITEXT" "$@" > out.txt 2> err.txt
    rc=$?
    [ "$rc" -eq 137 ] && fail "$label: hung (killed after $secs s)"
    sed "s/^/    $label: /" err.txt
}
printf 'Thủ tướng Phạm Minh Chính phát biểu. Ảnh: VGP\nPrime Minister Pham Minh Chinh speaks. Photo: VGP\n' > good.txt
good_kept() { grep -q 'Prime Minister Pham Minh Chinh speaks.' "$1/memory.tmx" || fail "$2: good file lost"; }

# ---- links: loop, dangling, a directory that contains itself --------------
ln -s loop-b.txt loop-a.txt; ln -s loop-a.txt loop-b.txt
ln -s nowhere.txt dangling.txt
mkdir -p tree/a
cp good.txt tree/a/caption.txt
ln -s .. tree/a/up          # tree/a/up/a/up/... for ever
ln -s ../../loop-a.txt tree/a/loop.txt
run links 20 align -o o1 loop-a.txt dangling.txt tree good.txt
[ "$rc" -eq 2 ] || fail "links: exit $rc, want 2"
grep -q "^bitext: cannot open 'loop-a.txt': Too many levels of symbolic links" err.txt || fail "links: loop not named"
grep -q "^bitext: cannot open 'dangling.txt': No such file or directory" err.txt || fail "links: dangling link not named"
grep -q "^bitext: cannot open 'tree/a/loop.txt': Too many levels of symbolic links" err.txt || fail "links: loop inside a directory not named"
good_kept o1 links
# the caption under tree/ is read once, not once per way round the loop
n=$(grep -c '"file":"tree/' o1/pairs.jsonl)
[ "$n" -eq 2 ] || fail "links: tree/ read $n times over (want its 2 pairs once)"

# ---- special files: FIFO without a writer, socket, /proc/self/mem ---------
mkfifo fifo.txt
run fifo 5 align -o o2 fifo.txt good.txt
[ "$rc" -eq 137 ] || {
    [ "$rc" -eq 0 ] || [ "$rc" -eq 2 ] || fail "fifo: exit $rc"
    good_kept o2 fifo
}
if command -v python3 >/dev/null; then
    python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' sock.txt
    run socket 10 align -o o3 sock.txt good.txt
    [ "$rc" -eq 2 ] || fail "socket: exit $rc, want 2"
    grep -q "^bitext: cannot open 'sock.txt': " err.txt || fail "socket: not named"
    good_kept o3 socket
fi
if [ -r /proc/self/mem ]; then
    run proc-mem 10 align -o o4 /proc/self/mem good.txt
    [ "$rc" -eq 2 ] || fail "proc-mem: exit $rc, want 2"
    grep -q "^bitext: /proc/self/mem: " err.txt || fail "proc-mem: not named"
    good_kept o4 proc-mem
fi

# ---- permissions, as an ordinary user ---------------------------------------
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    chmod 755 .
    mkdir -p perm/closed && cp good.txt perm/closed/x.txt && chmod 000 perm/closed
    cp good.txt secret.txt && chmod 000 secret.txt
    mkdir o5 && chmod 777 o5
    timeout -s KILL 10 setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$BITEXT" align -o o5/out secret.txt perm good.txt > out.txt 2> err.txt
    rc=$?
    sed 's/^/    permissions: /' err.txt
    [ "$rc" -eq 2 ] || fail "permissions: exit $rc, want 2"
    grep -q "^bitext: cannot open 'secret.txt': Permission denied" err.txt || fail "permissions: file not named"
    grep -q "^bitext: perm/closed: cannot read directory (Permission denied)" err.txt ||
        fail "permissions: directory not named"
    good_kept o5/out permissions
    # an output directory that cannot be written
    mkdir ro && chmod 555 ro
    timeout -s KILL 10 setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$BITEXT" align -o ro good.txt > out.txt 2> err.txt
    rc=$?
    sed 's/^/    read-only output: /' err.txt
    [ "$rc" -eq 2 ] || fail "read-only output: exit $rc, want 2"
    grep -q "^bitext: cannot write 'ro/pairs.jsonl': Permission denied" err.txt ||
        fail "read-only output: not named"
    chmod 755 perm/closed
fi

# ---- a directory of 100,000 empty files (and one caption) -----------------
fast=/dev/shm
[ -d "$fast" ] && [ -w "$fast" ] || fast=$PWD
M=$(mktemp -d "$fast/bitext-many.XXXXXX") || exit 1
trap 'rm -rf "$M"' EXIT
mkdir "$M/many"
awk -v d="$M/many" 'BEGIN { for (i = 1; i <= 100000; i++) { f = sprintf("%s/%06d.txt", d, i); printf "" > f; close(f) } }'
cp good.txt "$M/many/050000a.txt"
t0=$(date +%s.%N)
run many 60 align -o o6 "$M/many"
t1=$(date +%s.%N)
echo "100,001 files aligned in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"
[ "$rc" -eq 0 ] || fail "many: exit $rc, want 0"
grep -q "100001 files" err.txt || fail "many: summary does not count 100001 files"
good_kept o6 many
rm -f "$M/many/050000a.txt"
run many-empty 60 align -o o7 "$M/many"
[ "$rc" -eq 2 ] || fail "many-empty: exit $rc, want 2"
grep -q "^bitext: the input holds no text" err.txt || fail "many-empty: no message"
exit $status
