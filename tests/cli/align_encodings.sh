# The same article as NFC UTF-8, NFD with CRLF and a BOM, gzip'd, and
# Windows-1258 gives the same memory units.
set -eu
printf 'Thủ tướng Nguyễn Xuân Phúc phát biểu tại hội nghị. Ảnh: Mỹ Nga\nPrime Minister Nguyen Xuan Phuc speaks at the conference. Photo: My Nga\n' > nfc.txt
/usr/bin/python3 - <<'PY'
import unicodedata
t = open('nfc.txt', encoding='utf-8').read()
open('nfd.txt', 'wb').write(b'\xef\xbb\xbf' + unicodedata.normalize('NFD', t).replace('\n', '\r\n').encode('utf-8'))
PY
gzip -c nfc.txt > gz.txt.gz
iconv -f UTF-8 -t WINDOWS-1258 nfc.txt > cp1258.txt 2>/dev/null ||
  /usr/bin/python3 -c "import unicodedata;t=open('nfc.txt',encoding='utf-8').read();open('cp1258.txt','wb').write(unicodedata.normalize('NFD',t).encode('cp1258'))"
for f in nfc.txt nfd.txt gz.txt.gz; do
  "$BITEXT" align -q -o "out-$f" "$f"
  sed -n 's:.*<seg>\(.*\)</seg>.*:\1:p' "out-$f/memory.tmx" > "segs-$f"
done
"$BITEXT" align -q --encoding windows-1258 -o out-cp cp1258.txt
sed -n 's:.*<seg>\(.*\)</seg>.*:\1:p' out-cp/memory.tmx > segs-cp
test -s segs-nfc.txt
cmp segs-nfc.txt segs-nfd.txt
cmp segs-nfc.txt segs-gz.txt.gz
cmp segs-nfc.txt segs-cp
grep -q 'Thủ tướng Nguyễn Xuân Phúc phát biểu tại hội nghị.' segs-nfc.txt
# stdin
"$BITEXT" align -q -o out-stdin - < nfc.txt
grep -q '<prop type="x-file">-</prop>' out-stdin/memory.tmx
# Windows-1258 named nowhere: recognised as not UTF-8 and read as the code
# page (plain and gzip'd), one warning naming the file and its first line
gzip -c cp1258.txt > cp1258.txt.gz
for f in cp1258.txt cp1258.txt.gz; do
  "$BITEXT" align -o "out-sniff-$f" "$f" 2> "err-$f"
  sed -n 's:.*<seg>\(.*\)</seg>.*:\1:p' "out-sniff-$f/memory.tmx" > "segs-sniff-$f"
  cmp segs-nfc.txt "segs-sniff-$f"
  grep -q "^bitext: $f:1: not UTF-8; the file is read as windows-1258" "err-$f"
  grep -q "1 problem" "err-$f"
done
# named, the encoding is not guessed and nothing is said
"$BITEXT" align --encoding windows-1258 -o out-named cp1258.txt 2> err-named
! grep -q "not UTF-8" err-named
