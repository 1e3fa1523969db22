#!/bin/sh
# issue 17, item 9: align held up to jobs x --max-file of input at once
# (each job up to 256 MiB of one file: 2.07 GB for 8 gzip bombs at -j8).
# Now --max-memory is a budget across jobs: a file is reserved before it is
# read (a plain file's size, a gzip'd one or a pipe the most a job may
# take), a job waits for room, a file alone too large is refused.
# issue 19: the budget counted bytes of input, not what aligning them
# takes (about 18 bytes a byte for a text of 1 or 2 MB): a job is now
# charged what it takes (cli.h, CLI_MEM_ALIGN), at most a quarter of the
# budget, so that --max-memory bounds the memory of the run's jobs.
fail() { echo "FAIL: $*"; exit 1; }
B=${BITEXT:?}
SOURCE_DATE_EPOCH=1700000000; export SOURCE_DATE_EPOCH
S=${TOP:?}/corpus/samples
asan=0
ASAN_OPTIONS=help=1 "$B" --version 2>&1 | grep -q AddressSanitizer && asan=1

# eight_gzip_bombs_within_the_budget: 8 x 20 MB of one letter (20 KB each)
# at -j8 with --max-file 16 MB: before, each job held up to 16 MB (130 MB
# resident); with --max-memory 32 MB, under 64 MB (a job may take 8 MB:
# a file may decode to 444,444 bytes)
mkdir bombs
head -c 20000000 /dev/zero | tr '\0' 'a' | gzip -1 > bombs/b1.txt.gz
for i in 2 3 4 5 6 7 8; do cp bombs/b1.txt.gz bombs/b$i.txt.gz; done
if [ $asan -eq 0 ] && [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%M" -o rss "$B" align -q -j8 --max-file 16000000 --max-memory 32000000 \
        -o out bombs 2> e
    [ $? -eq 2 ] || fail "bombs: not exit 2 (no input could be read)"
    [ "$(grep -c 'file too large (limit 444444 bytes)' e)" -eq 8 ] || fail "bombs: $(cat e)"
    kb=$(tail -1 rss)
    [ "$kb" -lt 65536 ] || fail "bombs: $kb KB resident"
fi

# file_taking_more_than_a_job_may_refused: a plain file of 303 KB, a
# third of a budget of 1 MB (which counted input bytes it was let in),
# would take 18 times its size: more than a quarter of the budget, so it
# is refused by name, with what it would take; the others are aligned
mkdir in
cp "$S"/000_*.txt "$S"/001_*.txt in/
head -c 300000 /dev/zero | tr '\0' 'x' | fold -w 100 > in/big.txt
"$B" align -q -j2 --max-memory 1000000 -o out2 in 2> e
[ $? -eq 2 ] || fail "big: not exit 2"
grep -q "^bitext: in/big.txt: 302999 bytes would take about 5453982 bytes of memory to align, more than a job may take (a quarter of the memory budget of 1000000 bytes, --max-memory)$" e ||
    fail "big: $(cat e)"
[ "$(wc -l < e)" -eq 1 ] || fail "big: $(cat e)"
[ -s out2/pairs.jsonl ] || fail "big: nothing aligned"

# a_lone_file_may_take_the_whole_budget: the same 303 KB file as the only
# input waits for no other job, so it may take the whole budget: refused
# at 1 MB (more than the budget), aligned at 8 MB, where beside the
# samples it is still refused (a quarter of 8 MB); before, a lone file of
# over 52 MB was refused at the default 1 GiB
mkdir lone
cp in/big.txt lone/
"$B" align -q --max-memory 1000000 -o out5 lone/big.txt 2> e
[ $? -eq 2 ] || fail "lone, 1 MB: not exit 2"
grep -q "^bitext: lone/big.txt: 302999 bytes would take about 5453982 bytes of memory to align, more than the memory budget of 1000000 bytes (--max-memory)$" e ||
    fail "lone, 1 MB: $(cat e)"
"$B" align -q --max-memory 8000000 -o out5 lone/big.txt 2> e || fail "lone, 8 MB: $(cat e)"
[ -f out5/pairs.jsonl ] && [ -s out5/manifest.json ] || fail "lone, 8 MB: outputs missing"
"$B" align -q --max-memory 8000000 -o out6 in 2> e
[ $? -eq 2 ] || fail "not lone, 8 MB: not exit 2"
grep -q "^bitext: in/big.txt: 302999 bytes would take about 5453982 bytes of memory to align, more than a job may take (a quarter of the memory budget of 8000000 bytes, --max-memory)$" e ||
    fail "not lone, 8 MB: $(cat e)"

# jobs_serialised_by_their_real_cost: 8 texts of 2 MB at -j8, --max-memory
# 160 MB and --max-file 4 MB. Counting input bytes (16 MB in all), all 8
# were aligned at once: 290 MB resident. Charged what each takes (36 MB),
# four at most at once: about 155 MB, the run's own memory included
if [ $asan -eq 0 ] && [ -x /usr/bin/time ]; then
    cc -O2 -o gen "$TOP/bench/gen_articles.c" -lz
    ./gen arts 16 7 > /dev/null
    mkdir two
    ls arts/*.txt | sort > all
    n=$(wc -l < all)
    for i in 1 2 3 4 5 6 7 8; do
        awk -v i=$i -v n="$n" 'NR > (i - 1) * n / 8 && NR <= i * n / 8' all | xargs cat 2> /dev/null | head -c 2000000 > two/t$i.txt
    done
    /usr/bin/time -f "%M" -o rss "$B" align -q -j8 --max-file 4000000 --max-memory 160000000 \
        -o out3 two 2> e || fail "serialised: $(cat e)"
    kb=$(tail -1 rss)
    [ "$kb" -lt 225000 ] || fail "serialised: $kb KB resident"
    "$B" align -q -j1 -o out4 two 2> e || fail "-j1: $(cat e)"
    for f in pairs.jsonl memory.tmx glossary.tsv; do
        cmp -s out3/$f out4/$f || fail "serialised: $f differs from -j1's"
    done
fi

# tight_budget_same_outputs: a budget that lets a few files in at a time
# (the largest sample takes 173 KB, a quarter of 700 KB), at -j4, gives
# the outputs of the default budget
"$B" align -q -j4 -o def "$S" 2> e || fail "default: $(cat e)"
"$B" align -q -j4 --max-memory 700000 -o tight "$S" 2> e || fail "tight: $(cat e)"
for f in pairs.jsonl memory.tmx glossary.tsv glossary.tbx; do
    cmp -s def/$f tight/$f || fail "tight budget changed $f"
done
"$B" align -q --max-memory 0 -o x "$S" > /dev/null 2>&1
[ $? -eq 2 ] || fail "--max-memory 0 accepted"
exit 0
