# --table: the table two shards write, merged, is the table of one run;
# the outputs and the table do not depend on -j; a table read back adds
# its pairs; bitext table merge is order-free.
set -eu
cc -O2 -o gen "$TOP/bench/gen_articles.c" -lz
./gen arts 0.4 11
export SOURCE_DATE_EPOCH=1700000000
"$BITEXT" align -q -j 1 -o one --table one.tsv arts
grep -q '^pair' one.tsv
"$BITEXT" align -q -j 2 -o two --table two.tsv arts
cmp one.tsv two.tsv
for f in memory.tmx pairs.jsonl glossary.tsv; do cmp "one/$f" "two/$f"; done
"$BITEXT" align -q -j 1 --shard 1/2 -o s1 --table s1.tsv arts
"$BITEXT" align -q -j 2 --shard 2/2 -o s2 --table s2.tsv arts
"$BITEXT" table merge -o m12.tsv s1.tsv s2.tsv
"$BITEXT" table merge -o m21.tsv s2.tsv s1.tsv
cmp one.tsv m12.tsv
cmp one.tsv m21.tsv
# read back: a second run over the same inputs counts every pair twice
"$BITEXT" align -q -o again --table one.tsv arts
"$BITEXT" table merge -o twice.tsv two.tsv two.tsv
cmp one.tsv twice.tsv
# --learn alone writes no table; a table that cannot be read is trouble
"$BITEXT" align -q -o learn --learn arts
rc=0; mkdir dir.tsv; "$BITEXT" align -q -o x --table dir.tsv arts 2> err || rc=$?
test "$rc" -eq 2
rc=0; "$BITEXT" table merge -o x.tsv nope.tsv 2> err || rc=$?
test "$rc" -eq 2
