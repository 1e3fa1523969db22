#!/bin/sh
# The program links no library but libc: ICU, libxml2, SQLite,
# libxlsxwriter, libmicrohttpd, zlib, libdeflate, jansson and libm are
# opened when first called (base/dl*.c), so a look-up loads none of them;
# and those a command needs are opened: gzip'd input (zlib, libdeflate),
# JSON output (jansson), the aligner's scores (libm).
fail() { echo "FAIL: $*"; exit 1; }
B=${BITEXT:?}
command -v readelf > /dev/null 2>&1 || { echo "no readelf: skipped"; exit 0; }

readelf -d "$B" > dyn || fail "readelf -d"
bad=$(grep NEEDED dyn | grep -E 'libicu|libxml2|libsqlite3|libxlsxwriter|libmicrohttpd|libz\.|libdeflate|libjansson|libm\.')
[ -z "$bad" ] || fail "linked at start: $bad"

printf 'Thủ tướng\tPrime Minister\ttitle\t3\ta.txt:1\n' > g.tsv
"$B" lookup --format json -g g.tsv "thu tuong" > o.json || fail "json look-up"
grep -q '"en": "Prime Minister"' o.json || fail "json answer: $(cat o.json)"

mkdir in
cp "$TOP"/corpus/samples/* in/ 2>/dev/null || fail "no samples"
for f in in/*; do gzip "$f"; done
"$B" align -o out in > /dev/null 2> err || fail "align of gzip'd samples: $(cat err)"
[ -s out/pairs.jsonl ] && [ -s out/memory.tmx ] || fail "align outputs missing"
