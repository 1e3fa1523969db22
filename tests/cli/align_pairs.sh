# Whole-text mode: --pair VI EN and --pairs DIR write the same outputs as
# caption mode, with line numbers of both sides.
set -eu
mkdir d
printf 'Thủ tướng Phạm Minh Chính chủ trì hội nghị sáng 5/1.\n\nHội nghị có 63 điểm cầu trên cả nước.\n' > d/a.vi.txt
printf 'Prime Minister Pham Minh Chinh chaired the conference on the morning of January 5.\n\nThe conference was connected to 63 locations across the country.\n' > d/a.en.txt
printf 'Một văn bản không có bản dịch.\n' > d/b.vi.txt
"$BITEXT" align -q -o out --pair d/a.vi.txt d/a.en.txt
grep -q '"vi_line":1,"en_line":1,.*"status":"accepted"' out/pairs.jsonl
grep -q '"vi_line":3,"en_line":3' out/pairs.jsonl
grep -q '<seg>Prime Minister Pham Minh Chinh chaired the conference on the morning of January 5.</seg>' out/memory.tmx
# --pairs reports the Vietnamese text without its English, aligns the rest
set +e
"$BITEXT" align -q -o out2 --pairs d 2> err.txt; rc=$?
set -e
grep -q "b.vi.txt: no English text beside it" err.txt
cmp out/pairs.jsonl out2/pairs.jsonl
# usage errors
set +e
"$BITEXT" align --pair d/a.vi.txt 2>/dev/null; [ $? -eq 2 ] || exit 1
"$BITEXT" align --pairs d d/a.vi.txt 2>/dev/null; [ $? -eq 2 ] || exit 1
exit 0
