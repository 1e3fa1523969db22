# A single 40 MB line is refused with a message, in bounded memory, and the
# rest of the file is kept.
set -u
{ printf 'Thủ tướng Phạm Minh Chính phát biểu. Ảnh: VGP\nPrime Minister Pham Minh Chinh speaks. Photo: VGP\n'
  head -c 41943040 /dev/zero | tr '\0' 'a'; printf '\n'; } > long.txt
# 200 MB of address space is far less than the file would need twice
( ulimit -v 400000; "$BITEXT" align -o out long.txt ) 2> err.txt; rc=$?
cat err.txt
[ "$rc" -eq 0 ] || exit 1
grep -q "long.txt:3: line too long" err.txt || exit 1
grep -q 'Prime Minister Pham Minh Chinh speaks.' out/memory.tmx || exit 1
