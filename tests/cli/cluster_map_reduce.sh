# scripts/cluster/map.sh and reduce.sh without an engine (make check-cluster
# runs them on Slurm and over SSH): three tasks merged give one run's table,
# pairs, units and glossary rows; a task run again writes the same bytes;
# the reduce takes its shards in any order and refuses an incomplete set.
set -eu
cc -O2 -o gen "$TOP/bench/gen_articles.c" -lz
./gen arts 0.4 5 > /dev/null
find arts -name '*.txt' | sort -r > list       # the list's order, not sorted
touch -d @1700000000 list
SOURCE_DATE_EPOCH=1700000000 "$BITEXT" align -q -j 1 --files-from list -o one --table one/table.tsv
for k in 3 1 2; do sh "$TOP/scripts/cluster/map.sh" -k $k -n 3 list out; done
sh "$TOP/scripts/cluster/reduce.sh" -o merged out/shard-3-of-3 out/shard-1-of-3 out/shard-2-of-3 > summary
grep -q '^checks: passed' summary
cmp one/table.tsv merged/table.tsv
sort one/pairs.jsonl > a; sort merged/pairs.jsonl > b; cmp a b
"$BITEXT" tmx stats one/memory.tmx | grep -v '^file:' > a
"$BITEXT" tmx stats merged/memory.tmx | grep -v '^file:' > b
cmp a b
grep -v '^#' one/glossary.tsv | cut -f1-4 | sort > a
grep -v '^#' merged/glossary.tsv | cut -f1-4 | sort > b
test -s a && cmp a b
# again, with a stale half-written folder and an old table about
cp -r out/shard-2-of-3 before
mkdir out/.shard-2-of-3.tmp.1 && echo junk > out/.shard-2-of-3.tmp.1/table.tsv
sh "$TOP/scripts/cluster/map.sh" -k 2 -n 3 list out
for f in before/*; do cmp "$f" "out/shard-2-of-3/${f#before/}"; done
sh "$TOP/scripts/cluster/reduce.sh" -o again out > /dev/null
for f in merged/*; do cmp "$f" "again/${f#merged/}"; done
# a shard missing, or one cut short: refused, nothing written
rm -rf out/shard-3-of-3
rc=0; sh "$TOP/scripts/cluster/reduce.sh" -o x out 2> err || rc=$?
test "$rc" -eq 2 && grep -q 'missing: 3 of 3' err && test ! -e x
sh "$TOP/scripts/cluster/map.sh" -k 3 -n 3 list out
head -c 500 before/memory.tmx > out/shard-2-of-3/memory.tmx
rc=0; sh "$TOP/scripts/cluster/reduce.sh" -o x out 2> err || rc=$?
test "$rc" -eq 2 && grep -q 'not the size' err && test ! -e x
