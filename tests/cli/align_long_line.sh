# A single 40 MB line is refused with a message, in bounded memory, and the
# rest of the file is kept.
set -u
{ printf 'Thủ tướng Phạm Minh Chính phát biểu. Ảnh: VGP\nPrime Minister Pham Minh Chinh speaks. Photo: VGP\n'
  head -c 41943040 /dev/zero | tr '\0' 'a'; printf '\n'; } > long.txt
# 400 MB of address space: far less than holding the line twice would
# need with everything else (an ASan build reserves terabytes: no limit)
vlimit=400000
ASAN_OPTIONS=help=1 "$BITEXT" --version 2>&1 | grep -q AddressSanitizer && vlimit=unlimited
( ulimit -v $vlimit; "$BITEXT" align -o out long.txt ) 2> err.txt; rc=$?
cat err.txt
[ "$rc" -eq 0 ] || exit 1
grep -q "long.txt:3: line too long" err.txt || exit 1
grep -q 'Prime Minister Pham Minh Chinh speaks.' out/memory.tmx || exit 1
