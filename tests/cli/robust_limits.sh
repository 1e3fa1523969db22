# The limits a user sets: --max-line drops a longer line with a message
# naming file, line and limit, and keeps the rest of the file; --max-file
# drops a larger file (plain, gzip'd, a gzip bomb, stdin) with a message and
# keeps the other files, in bounded memory. Bad values are usage errors.
set -u
status=0
fail() { echo "$*"; status=1; }
printf 'Thủ tướng Phạm Minh Chính phát biểu. Ảnh: VGP\nPrime Minister Pham Minh Chinh speaks. Photo: VGP\n' > good.txt
printf 'Hội nghị tại điểm cầu Hà Tĩnh. Ảnh: Thanh Hà\nConference at Ha Tinh bridge. Photo: Thanh Ha\n' > good2.txt

# ---- --max-line --------------------------------------------------------------
{ cat good.txt; head -c 300 /dev/zero | tr '\0' x; echo; cat good2.txt; } > mixed.txt
"$BITEXT" align --max-line 100 -o o1 mixed.txt 2> err.txt; rc=$?
cat err.txt
[ "$rc" -eq 0 ] || fail "max-line: exit $rc, want 0 (a dropped line is a problem, not a failure)"
grep -q "^bitext: mixed.txt:3: line too long (300 bytes, limit 100)" err.txt || fail "max-line: message"
grep -q "1 problem" err.txt || fail "max-line: problem not counted"
grep -q 'Prime Minister Pham Minh Chinh speaks.' o1/memory.tmx || fail "max-line: line before lost"
grep -q 'Conference at Ha Tinh bridge.' o1/memory.tmx || fail "max-line: line after lost"
grep -q '"en_line":5' o1/pairs.jsonl || fail "max-line: line numbers after the long line shifted"
# exactly at the limit is kept
head -c 100 /dev/zero | tr '\0' y > edge.txt; echo >> edge.txt
"$BITEXT" align --max-line 100 -o o1b edge.txt good.txt 2> err.txt
grep -q "too long" err.txt && fail "max-line: a line of exactly the limit was dropped"
# --strict turns a dropped line into a failure
"$BITEXT" align --strict --max-line 100 -o o1c mixed.txt 2> err.txt && fail "max-line --strict: exit 0"

# ---- --max-file --------------------------------------------------------------
awk 'BEGIN { for (i = 0; i < 20000; i++) print "Conference at Ha Tinh bridge, number " i "." }' > big.txt
"$BITEXT" align --max-file 100000 -o o2 big.txt good.txt 2> err.txt; rc=$?
cat err.txt
[ "$rc" -eq 2 ] || fail "max-file: exit $rc, want 2"
grep -q "^bitext: big.txt: file too large (limit 100000 bytes)" err.txt || fail "max-file: message"
grep -q 'Prime Minister Pham Minh Chinh speaks.' o2/memory.tmx || fail "max-file: other file lost"
grep -q '"file":"big.txt"' o2/pairs.jsonl && fail "max-file: part of the large file kept"
# the limit is on the decoded size: a small .gz of a large text is refused
gzip -c big.txt > big.txt.gz
"$BITEXT" align --max-file 100000 -o o3 big.txt.gz good.txt 2> err.txt; rc=$?
[ "$rc" -eq 2 ] && grep -q "^bitext: big.txt.gz: file too large (limit 100000 bytes)" err.txt ||
    fail "max-file gz: exit $rc / $(cat err.txt)"
# stdin
"$BITEXT" align --max-file 100000 -o o4 - good.txt < big.txt 2> err.txt; rc=$?
[ "$rc" -eq 2 ] && grep -q "^bitext: -: file too large" err.txt || fail "max-file stdin: exit $rc / $(cat err.txt)"
# a gzip bomb (64 MB of one letter in 64 KB) in bounded memory and time
head -c 67108864 /dev/zero | tr '\0' a | gzip -9 > bomb.txt.gz
# (ASan reserves terabytes of address space: no ulimit -v for it)
vlimit=400000
ASAN_OPTIONS=help=1 "$BITEXT" --version 2>&1 | grep -q AddressSanitizer && vlimit=unlimited
( ulimit -v $vlimit; exec "$BITEXT" align --max-file 1000000 -o o5 bomb.txt.gz good.txt ) 2> err.txt; rc=$?
[ "$rc" -eq 2 ] && grep -q "^bitext: bomb.txt.gz: file too large (limit 1000000 bytes)" err.txt ||
    fail "gzip bomb: exit $rc / $(cat err.txt)"
grep -q 'Prime Minister Pham Minh Chinh speaks.' o5/memory.tmx || fail "gzip bomb: other file lost"

# ---- bad values ----------------------------------------------------------------
for v in 0 abc 1k -5 -1 '' 99999999999999999999999; do
    "$BITEXT" align --max-file "$v" -o o6 good.txt 2> err.txt; rc=$?
    [ "$rc" -eq 2 ] || fail "--max-file '$v': exit $rc, want 2"
    "$BITEXT" align --max-line "$v" -o o6 good.txt 2> err.txt; rc=$?
    [ "$rc" -eq 2 ] || fail "--max-line '$v': exit $rc, want 2"
done
exit $status
