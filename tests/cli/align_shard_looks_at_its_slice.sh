#!/bin/sh
# issue 19: `align --shard K/N` read the whole list and looked at every
# file in it, so one file missing from another shard's slice stopped every
# task of the job (exit 2). Now a shard opens only its own slice's files:
# a missing file stops the shard that holds it, and only that one; the
# slices are the same as before (the same outputs, byte for byte).
fail() { echo "FAIL: $*"; exit 1; }
B=${BITEXT:?}
export SOURCE_DATE_EPOCH=1700000000
S=${TOP:?}/corpus/samples

# six files, listed, and a directory of three more given as an operand
mkdir arts more
for f in "$S"/*.txt; do cp "$f" arts/; done
ls arts/*.txt | sort > list
[ "$(wc -l < list)" -ge 5 ] || fail "too few samples"
cp arts/000_*.txt more/a.txt; cp arts/001_*.txt more/b.txt; cp arts/002_*.txt more/c.txt

# shard_slices_unchanged: with every file there, each shard is what the
# list sliced after expansion gives (bitext-before's slices): the same
# files, in the same order, as every 3rd of the expanded list
ls more/*.txt > expanded
cat list >> expanded
for k in 1 2 3; do
    "$B" align -q -j1 --shard $k/3 --files-from list -o s$k more 2> e || fail "shard $k: $(cat e)"
    awk -v k=$k 'NR % 3 == k % 3' expanded > want$k
    grep -o '"file":"[^"]*"' s$k/pairs.jsonl | sed 's/"file":"//; s/"$//' | uniq > got$k
    # files without a pair leave no line: compare what is there, in order
    grep -x -F -f got$k want$k > want_seen$k
    cmp -s got$k want_seen$k || fail "shard $k: files $(cat got$k)"
done
cat got1 got2 got3 | sort > all_got
sort expanded > all_want
grep -x -F -f all_got all_want | cmp -s - all_got || fail "a file in no shard"

# shard_missing_file_elsewhere_not_opened: a listed file that is not there
# stops only the shard whose slice holds it; the others write the same
# bytes as with the file there
missing=$(sed -n 2p list)
mv "$missing" gone.txt
for k in 1 2 3; do
    "$B" align -q -j1 --shard $k/3 --files-from list -o m$k more 2> e$k
    echo $? > rc$k
done
# the file is the 5th place of the expanded list (3 in more/, then the
# list's 2nd): slice 2 of 3
[ "$(cat rc2)" -eq 2 ] || fail "the owner did not stop: exit $(cat rc2)"
grep -q "^bitext: cannot open '$missing': No such file or directory$" e2 || fail "owner: $(cat e2)"
for k in 1 3; do
    [ "$(cat rc$k)" -eq 0 ] || fail "shard $k stopped by another slice's file: $(cat e$k)"
    [ ! -s e$k ] || fail "shard $k: $(cat e$k)"
    for f in pairs.jsonl memory.tmx glossary.tsv glossary.tbx; do
        cmp -s s$k/$f m$k/$f || fail "shard $k: $f changed"
    done
done
# the owner still aligned the rest of its slice
[ -s m2/pairs.jsonl ] || fail "owner aligned nothing"

# shard_other_slices_not_opened: strace shows a shard opens none of the
# other slices' files (when strace is there)
mv gone.txt "$missing"
if command -v strace > /dev/null 2>&1; then
    # LeakSanitizer cannot run under ptrace (an ASan build): leaks are
    # checked by the untraced runs above
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
    strace -f -e trace=open,openat,stat,newfstatat,statx,lstat -o trace \
        "$B" align -q -j1 --shard 1/3 --files-from list -o t1 more 2> e || fail "traced: $(cat e)"
    for f in $(awk 'NR % 3 != 1' expanded | grep '^arts/'); do
        ! grep -q "\"$f\"" trace || fail "shard 1 looked at $f"
    done
fi
exit 0
