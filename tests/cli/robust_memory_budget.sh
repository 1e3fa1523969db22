#!/bin/sh
# issue 17, item 9: align held up to jobs x --max-file of input at once
# (each job up to 256 MiB of one file: 2.07 GB for 8 gzip bombs at -j8).
# Now --max-memory is a budget across jobs: a file is reserved before it is
# read (a plain file's size, a gzip'd one or a pipe the most --max-file
# lets it take), a job waits for room, a file alone larger is refused.
fail() { echo "FAIL: $*"; exit 1; }
B=${BITEXT:?}
SOURCE_DATE_EPOCH=1700000000; export SOURCE_DATE_EPOCH
S=${TOP:?}/corpus/samples
asan=0
ASAN_OPTIONS=help=1 "$B" --version 2>&1 | grep -q AddressSanitizer && asan=1

# eight_gzip_bombs_within_the_budget: 8 x 20 MB of one letter (20 KB each)
# at -j8 with --max-file 16 MB: before, each job held up to 16 MB (130 MB
# resident); with --max-memory 32 MB, under 64 MB
mkdir bombs
head -c 20000000 /dev/zero | tr '\0' 'a' | gzip -1 > bombs/b1.txt.gz
for i in 2 3 4 5 6 7 8; do cp bombs/b1.txt.gz bombs/b$i.txt.gz; done
if [ $asan -eq 0 ] && [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%M" -o rss "$B" align -q -j8 --max-file 16000000 --max-memory 32000000 \
        -o out bombs 2> e
    [ $? -eq 2 ] || fail "bombs: not exit 2 (no input could be read)"
    [ "$(grep -c 'file too large (limit 16000000 bytes)' e)" -eq 8 ] || fail "bombs: $(cat e)"
    kb=$(tail -1 rss)
    [ "$kb" -lt 65536 ] || fail "bombs: $kb KB resident"
fi

# file_larger_than_budget_refused: a plain file over the budget (and under
# --max-file) is refused by name; the others are aligned
mkdir in
cp "$S"/000_*.txt "$S"/001_*.txt in/
head -c 300000 /dev/zero | tr '\0' 'x' | fold -w 100 > in/big.txt
"$B" align -q -j2 --max-memory 200000 -o out2 in 2> e
[ $? -eq 2 ] || fail "big: not exit 2"
grep -q "^bitext: in/big.txt: 302999 bytes, more than the memory budget of 200000 bytes (--max-memory)$" e ||
    fail "big: $(cat e)"
[ -s out2/pairs.jsonl ] || fail "big: nothing aligned"

# tight_budget_same_outputs: a budget that lets one file in at a time, at
# -j4, gives the outputs of the default budget
"$B" align -q -j4 -o def "$S" 2> e || fail "default: $(cat e)"
"$B" align -q -j4 --max-memory 20000 -o tight "$S" 2> e || fail "tight: $(cat e)"
for f in pairs.jsonl memory.tmx glossary.tsv glossary.tbx; do
    cmp -s def/$f tight/$f || fail "tight budget changed $f"
done
"$B" align -q --max-memory 0 -o x "$S" > /dev/null 2>&1
[ $? -eq 2 ] || fail "--max-memory 0 accepted"
exit 0
