#!/bin/sh
# issues 17 and 19: check had align's memory budget across jobs but no
# option to set it; --max-memory now sets it, as in align.
fail() { echo "FAIL: $*"; exit 1; }
B=${BITEXT:?}
S=${TOP:?}/corpus/samples

# check_file_larger_than_budget_refused: a plain file that would take more
# than a job may (a quarter of the budget; check takes 26 bytes a byte of
# a small text) is refused by name, exit 2, and the others are checked
mkdir in
cp "$S"/000_*.txt "$S"/001_*.txt in/
head -c 300000 /dev/zero | tr '\0' 'x' | fold -w 100 > in/big.txt
"$B" check -q -j2 --max-memory 1200000 -o out in 2> e
[ $? -eq 2 ] || fail "big: not exit 2"
grep -q "^bitext: in/big.txt: 302999 bytes would take about 7877974 bytes of memory to align, more than a job may take (a quarter of the memory budget of 1200000 bytes, --max-memory)$" e ||
    fail "big: $(cat e)"
[ "$(wc -l < e)" -eq 1 ] || fail "big: $(cat e)"
[ -s out/consistency.json ] || fail "big: no report of the others"

# check_tight_budget_same_reports: a few files at a time (the largest
# sample takes 250 KB), at -j4, gives the reports of the default budget
"$B" check -q -j4 -o def "$S" 2> e
[ $? -le 1 ] || fail "default: $(cat e)"
"$B" check -q -j4 --max-memory 1100000 -o tight "$S" 2> e
[ $? -le 1 ] || fail "tight: $(cat e)"
for f in consistency.json consistency.html; do
    cmp -s def/$f tight/$f || fail "tight budget changed $f"
done

# check_max_memory_usage: the same syntax as align's, in --help
for v in 0 -5 1k ''; do
    "$B" check -q --max-memory "$v" -o x "$S" > /dev/null 2> e
    [ $? -eq 2 ] || fail "--max-memory '$v' accepted"
    grep -q "invalid --max-memory" e || fail "--max-memory '$v': $(cat e)"
done
"$B" check --help | grep -q -- '--max-memory BYTES' || fail "not in check --help"
exit 0
