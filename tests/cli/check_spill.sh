# bitext check writes the same reports and summary when its per-article
# findings go through the temporary file (forced by a small
# BITEXT_CHECK_SPILL_BUDGET: each finding its own run, or a few per run),
# with one thread or two writing the reports at once; and when that file
# cannot be made, it says so, naming it, and keeps the findings in memory.
set -eu
cc -O2 -o gen "$TOP/bench/gen_articles.c" -lz
./gen arts 0.6 11

"$BITEXT" check -j 1 -o mem arts >mem.out 2>mem.err && exit 1
test ! -s mem.err
# the corpus has per-article findings to spill
grep -q '"caption-title-mismatch": [1-9]' mem/consistency.json
grep -q '"person-title-conflict": [1-9]' mem/consistency.json

same() { # DIR OUT: the reports and the summary of mem/
    for f in consistency.json consistency.html; do cmp "mem/$f" "$1/$f"; done
    sed "s#$1/#mem/#g" "$2" | cmp mem.out -
}

for budget in 1 5000; do
    for j in 1 2; do
        d=spill-$budget-$j
        rc=0
        BITEXT_CHECK_SPILL_BUDGET=$budget "$BITEXT" check -j $j -o $d arts \
            >$d.out 2>$d.err || rc=$?
        test $rc -eq 1
        test ! -s $d.err
        same $d $d.out
    done
done

rc=0
TMPDIR=/nonexistent/dir BITEXT_CHECK_SPILL_BUDGET=1 "$BITEXT" check -j 2 \
    -o nofile arts >nofile.out 2>nofile.err || rc=$?
test $rc -eq 1
cat nofile.err
test "$(cat nofile.err)" = "bitext: cannot create temporary file in '/nonexistent/dir': No such file or directory (findings kept in memory)"
same nofile nofile.out

# the file system fills up after a few runs (where a private mount is
# allowed): the runs written and the findings held make whole reports
if command -v unshare >/dev/null && unshare -m true 2>/dev/null; then
    mkdir full
    rc=0
    unshare -m sh -c '
        mount -t tmpfs -o size=12k tmpfs full || exit 77
        TMPDIR=full BITEXT_CHECK_SPILL_BUDGET=5000 "$BITEXT" check -j 2 \
            -o full-out arts >full.out 2>full.err' || rc=$?
    if [ $rc -eq 77 ]; then
        echo "no tmpfs mount here: the full file system is not tried"
    else
        test $rc -eq 1
        cat full.err
        test "$(cat full.err)" = "bitext: cannot write temporary file in 'full': No space left on device (findings kept in memory)"
        same full-out full.out
    fi
fi
