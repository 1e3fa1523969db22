# Bad input: a clear message naming file and line, every good line and file
# still processed, exit codes that mean something.
set -u
printf 'Thủ tướng Phạm Minh Chính phát biểu. Ảnh: VGP\nPrime Minister Pham Minh Chinh speaks. Photo: VGP\n' > good.txt
# damaged UTF-8: stray bytes beside good sequences (a line mostly not
# UTF-8 would be read as windows-1258, with a warning)
printf 'Hội nghị tại Hà Tĩnh.\nbad \377\376 Hà Tĩnh line\nConference in Ha Tinh.\n' > badutf.txt
printf 'abc\000def\n' > binary.bin; cp binary.bin binary.txt
printf 'Conference in Ha Tinh.\n' | gzip > trunc.txt.gz
head -c 20 trunc.txt.gz > t && mv t trunc.txt.gz
"$BITEXT" align -o out good.txt badutf.txt binary.txt trunc.txt.gz missing.txt 2> err.txt
rc=$?
cat err.txt
# an input that could not be read is trouble (2), the others aligned
[ "$rc" -eq 2 ] || { echo "exit $rc, want 2"; exit 1; }
grep -q "^bitext: badutf.txt:2: invalid UTF-8 (byte offset 4)" err.txt || exit 1
grep -q "^bitext: binary.txt: .*binary" err.txt || exit 1
grep -q "^bitext: trunc.txt.gz: " err.txt || exit 1
grep -q "missing.txt" err.txt || exit 1
# the good file and the good lines of the bad one are still there
grep -q 'Prime Minister Pham Minh Chinh speaks.' out/memory.tmx || exit 1
grep -q '"vi":"Hội nghị tại Hà Tĩnh."' out/pairs.jsonl || exit 1
# only invalid lines: exit 0, problems counted
"$BITEXT" align -o out2 good.txt badutf.txt 2> err2.txt; rc=$?
[ "$rc" -eq 0 ] || { echo "exit $rc with line problems only"; exit 1; }
grep -q "1 problem" err2.txt || exit 1
# --strict: nothing written
"$BITEXT" align --strict -o out3 good.txt badutf.txt 2>/dev/null && exit 1
[ ! -e out3/memory.tmx ] || exit 1
# empty input
: > empty.txt
"$BITEXT" align -o out4 empty.txt 2> err4.txt; rc=$?
[ "$rc" -eq 2 ] && grep -q "no text" err4.txt || exit 1
# usage errors
"$BITEXT" align 2>/dev/null; [ $? -eq 2 ] || exit 1
"$BITEXT" align --bogus x 2>/dev/null; [ $? -eq 2 ] || exit 1
"$BITEXT" align --help | grep -q "usage: bitext align" || exit 1
"$BITEXT" frobnicate 2>/dev/null; [ $? -eq 2 ] || exit 1
exit 0
