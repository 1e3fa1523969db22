# A write that fails (file size limit: EFBIG; full file system: ENOSPC)
# gives "bitext: cannot write 'DIR/FILE': ..." naming the file, exit 2, no
# temporary file left, and the previous outputs untouched.
#
# The size limit comes from prlimit --fsize. The kernel then sends SIGXFSZ,
# which kills a program that does not ignore it: bitext must ignore it so
# that the write fails with EFBIG and is reported like any other.
set -u
status=0
fail() { echo "$*"; status=1; }
OUTS="memory.tmx pairs.jsonl glossary.tsv glossary.tbx"

mkdir in
awk 'BEGIN {
    for (f = 1; f <= 60; f++) {
        fn = sprintf("in/a%03d.txt", f)
        for (i = 1; i <= 20; i++)
            printf "Đồng chí Nguyễn Xuân Sơn - Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh phát biểu tại hội nghị số %d-%d. Ảnh: Mai Hoa\nComrade Nguyen Xuan Son - Standing Deputy Secretary of the Provincial Party Committee, Chairman of the Provincial People'"'"'s Council speaks at conference No. %d-%d. Photo: Mai Hoa\n\n", f, i, f, i > fn
        close(fn)
    }
}'
"$BITEXT" align -q -o prev "$TOP/corpus/samples" || { echo "previous run failed"; exit 1; }
"$BITEXT" align -q -o ref in || { echo "reference run failed"; exit 1; }
ls -l ref

# check_case NAME FILE-THAT-FAILS: the run in out/ against prev/
check_case() {
    label=$1 want=$2 rc=$3
    [ "$rc" -eq 2 ] || fail "$label: exit $rc, want 2"
    grep -q "^bitext: cannot write 'out/$want': " err.txt || fail "$label: no message naming out/$want"
    [ -z "$(ls -A out | grep '\.tmp\.')" ] || fail "$label: temporary file left: $(ls -A out | grep '\.tmp\.')"
    for f in $OUTS; do
        [ -e "out/$f" ] || { fail "$label: out/$f gone"; continue; }
        # each file whole: the previous one, or (written before the failing
        # one) the complete new one
        if ! cmp -s "out/$f" "prev/$f"; then
            if [ "$f" = memory.tmx ]; then
                sed 's/creationdate="[^"]*"//' "out/$f" > a.cmp
                sed 's/creationdate="[^"]*"//' "ref/$f" > b.cmp
            else
                cp "out/$f" a.cmp; cp "ref/$f" b.cmp
            fi
            cmp -s a.cmp b.cmp || fail "$label: out/$f is neither previous nor complete"
            [ "$f" != "$want" ] || fail "$label: out/$f replaced although its write failed"
        fi
    done
    sed 's/^/    /' err.txt
}

# ---- the file size limit, at the first file written and at a later one ----
size_of() { wc -c < "ref/$1" | tr -d ' '; }
jsonl=$(size_of pairs.jsonl) tmx=$(size_of memory.tmx)
# pairs.jsonl is written first: a limit below it fails there; a limit
# between it and memory.tmx fails on the memory (when the memory is larger)
for case in "pairs.jsonl $((jsonl / 2))" "memory.tmx $(( (jsonl + tmx) / 2 ))"; do
    set -- $case
    file=$1 limit=$2
    if [ "$file" = memory.tmx ] && [ "$tmx" -le "$jsonl" ]; then continue; fi
    rm -rf out; cp -a prev out
    prlimit --fsize="$limit" "$BITEXT" align -q -o out in 2> err.txt
    check_case "fsize $limit" "$file" $?
done

# ---- a full file system (ENOSPC), where a private mount is allowed ----------
if command -v unshare >/dev/null && unshare -m true 2>/dev/null; then
    mkdir -p mnt
    # 128 KiB holds the previous outputs (about 44 KiB) but not the new ones
    unshare -m sh -c '
        mount -t tmpfs -o size=128k tmpfs mnt || exit 77
        cp -a prev mnt/out && cd mnt &&
        "$BITEXT" align -q -o out ../in 2> ../err.txt; rc=$?
        rm -rf ../out; cp -a out ../out; exit $rc' 2>/dev/null
    rc=$?
    if [ "$rc" -eq 77 ]; then
        echo "no tmpfs mount here: ENOSPC case skipped"
    else
        check_case "ENOSPC" pairs.jsonl "$rc"
        grep -q "No space left on device" err.txt || fail "ENOSPC: errno text missing"
    fi
else
    echo "no private mount namespace here: ENOSPC case skipped"
fi
exit $status
