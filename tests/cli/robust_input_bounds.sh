#!/bin/sh
# issue 17, item 9: XML (TMX, TBX) and TSV inputs had no size bounds: a
# 615 KB gzip'd TMX with 600 MB of <prop> text took `tmx stats` to 1.85 GB,
# a 2 GB sparse glossary took 4.2 GB, 100,000 attributes on one element took
# 16 s (libxml2's duplicate check is quadratic), a 10 MB attribute said
# "internal error: Huge input lookup". Now bt_limits (BITEXT_LIMITS) bound
# them as the bytes arrive, with the file and line named and exit 2.
# Each case is bounded (small files, limits lowered) so the test is fast.
fail() { echo "FAIL: $*"; exit 1; }
B=${BITEXT:?}
asan=0
ASAN_OPTIONS=help=1 "$B" --version 2>&1 | grep -q AddressSanitizer && asan=1

head='<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="vi" datatype="plaintext"/><body>'
tu='<tuv xml:lang="vi"><seg>Thủ tướng</seg></tuv><tuv xml:lang="en"><seg>Prime Minister</seg></tuv></tu>'

# gzip_prop_bomb_refused: 20 MB of <prop> text in a 20 KB gzip'd TMX, with
# the total lowered to 4 MB: refused while inflating, merge writes nothing
{
    echo "$head"
    awk -v tu="$tu" 'BEGIN { p = "p"; while (length(p) < 100000) p = p p; p = substr(p, 1, 100000);
        for (i = 0; i < 200; i++) print "<tu><prop type=\"x-file\">" p "</prop>" tu }'
    echo '</body></tmx>'
} | gzip -9 > bomb.tmx.gz
[ "$(wc -c < bomb.tmx.gz)" -lt 100000 ] || fail "bomb not small"
BITEXT_LIMITS=total=4M "$B" tmx stats bomb.tmx.gz > o 2> e
[ $? -eq 2 ] || fail "stats: not exit 2"
grep -q "^bitext: bomb.tmx.gz:[0-9]*: larger than 4194304 bytes once decompressed" e ||
    fail "stats: $(cat e)"
BITEXT_LIMITS=total=4M "$B" tmx merge -o m.tmx bomb.tmx.gz 2> e
[ $? -eq 2 ] || fail "merge: not exit 2"
[ ! -e m.tmx ] || fail "merge wrote its output"
# the default bounds read it (20 MB is no bomb), every unit
"$B" tmx stats bomb.tmx.gz > o 2> e || fail "default bounds: $(cat e)"
grep -q "^units: 200$" o || fail "default bounds: $(cat o)"

# prop_text_in_pieces_bounded: one <prop> of 2 MB in pieces split by
# comments (each piece a small text node): bounded as an attribute (1 MiB)
{
    echo "$head"
    printf '<tu><prop type="x-file">'
    awk 'BEGIN { p = "q"; while (length(p) < 1000) p = p p; p = substr(p, 1, 1000);
        for (i = 0; i < 2000; i++) printf "%s<!---->", p }'
    echo "</prop>$tu"
    echo '</body></tmx>'
} > pieces.tmx
"$B" tmx stats pieces.tmx > o 2> e
[ $? -eq 2 ] || fail "pieces: not exit 2"
grep -q "^bitext: pieces.tmx:3: <prop> text longer than 1048576 bytes (BITEXT_LIMITS=attr=SIZE raises it)" e ||
    fail "pieces: $(cat e)"
BITEXT_LIMITS=attr=4M "$B" tmx stats pieces.tmx > o 2> e || fail "pieces raised: $(cat e)"

# many_attributes_refused_at_once: 100,000 attributes on one element
{
    echo "$head"
    awk 'BEGIN { printf "<tu"; for (i = 0; i < 100000; i++) printf " a%d=\"1\"", i; print ">" }'
    echo "$tu</body></tmx>"
} > attrs.tmx
t0=$(date +%s)
"$B" tmx validate attrs.tmx > o 2> e
rc=$?
t1=$(date +%s)
[ $rc -eq 1 ] || fail "attrs: validate exit $rc, not 1 (invalid)"
grep -q "^bitext: attrs.tmx:3: more than 256 attributes on one element" e || fail "attrs: $(cat e)"
[ $((t1 - t0)) -le 3 ] || fail "attrs: $((t1 - t0)) s"
"$B" tmx stats attrs.tmx > o 2> e
[ $? -eq 2 ] || fail "attrs: stats not exit 2"

# huge_attribute_own_message: a 10 MB attribute, bitext's message rather
# than libxml2's "Huge input lookup"; raised, the file is read
{
    echo "$head"
    awk 'BEGIN { p = "x"; while (length(p) < 1000000) p = p p; p = substr(p, 1, 1000000);
        printf "<tu tuid=\""; for (i = 0; i < 10; i++) printf "%s", p; print "\">" }'
    echo "$tu</body></tmx>"
} > attr10m.tmx
"$B" tmx stats attr10m.tmx > o 2> e
[ $? -eq 2 ] || fail "attr10m: not exit 2"
grep -q "^bitext: attr10m.tmx:3: attribute value longer than 1048576 bytes (BITEXT_LIMITS=attr=SIZE raises it)$" e ||
    fail "attr10m: $(cat e)"
grep -qi "huge" e && fail "attr10m: libxml2's phrase: $(cat e)"
BITEXT_LIMITS=attr=16M "$B" tmx stats attr10m.tmx > o 2> e || fail "attr10m raised: $(cat e)"
grep -q "^units: 1$" o || fail "attr10m raised: $(cat o)"

# sparse_glossary_refused: a 2 GB sparse file as a glossary, refused by its
# size before a byte is read; a 64 MB one of no line end, at 4 MiB
truncate -s 2G sparse.tsv 2>/dev/null || fail "truncate"
"$B" lookup --no-lexicon --no-index-write -g sparse.tsv "Thủ tướng" > o 2> e
[ $? -eq 2 ] || fail "sparse: not exit 2"
grep -q "^bitext: sparse.tsv: larger than 1073741824 bytes (BITEXT_LIMITS=total=SIZE raises it)$" e ||
    fail "sparse: $(cat e)"
rm -f sparse.tsv
truncate -s 64M sparse.tsv
if [ $asan -eq 0 ]; then
    ( ulimit -v 400000; exec "$B" glossary export -g sparse.tsv -f tsv ) > o 2> e
    rc=$?
else
    "$B" glossary export -g sparse.tsv -f tsv > o 2> e; rc=$?
fi
[ $rc -eq 2 ] || fail "sparse 64M: exit $rc"
grep -q "^bitext: sparse.tsv:1: line longer than 4194304 bytes (BITEXT_LIMITS=text=SIZE raises it)$" e ||
    fail "sparse 64M: $(cat e)"
printf 'pair\t1\t%s\t%s\n' "Thủ" "prime" > t.tsv
"$B" align -q --table sparse.tsv -o out1 t.tsv 2> e
[ $? -eq 2 ] || fail "sparse table: not exit 2"
grep -q "sparse.tsv:1: line longer than 4194304 bytes" e || fail "sparse table: $(cat e)"
rm -f sparse.tsv

# bad_limits_usage_error
BITEXT_LIMITS=text=0 "$B" tmx stats attrs.tmx > o 2> e
[ $? -eq 2 ] || fail "text=0 accepted"
grep -q "invalid BITEXT_LIMITS item 'text=0'" e || fail "text=0: $(cat e)"
BITEXT_LIMITS=size=1M "$B" tmx stats attrs.tmx > o 2> e
[ $? -eq 2 ] || fail "size=1M accepted"
exit 0
