#!/bin/sh
# issue 17, item 10: messages that did not say what was wrong. Out of memory
# printed "out of memory (2228224 bytes)" without the file; trailing garbage
# after a gzip'd TMX was ignored without a word; text, UTF-16 text and a
# TMX after two byte order marks gave libxml2's "Document is empty";
# `glossary export -f tbx` to standard output left a 0644 copy in /tmp.
fail() { echo "FAIL: $*"; exit 1; }
B=${BITEXT:?}
T=${TOP:?}/tests/data/tmx/sample.tmx
asan=0
ASAN_OPTIONS=help=1 "$B" --version 2>&1 | grep -q AddressSanitizer && asan=1

# not_a_tmx_named: what the file is, not libxml2's phrase
echo "Thủ tướng Chính phủ" > notes.txt
printf '\377\376' > utf16.txt
printf 'T\000h\000\303\000 \000t\000\n\000' >> utf16.txt
printf '\357\273\277\357\273\277' > twobom.tmx
cat "$T" >> twobom.tmx
: > empty.tmx
for f in notes.txt utf16.txt twobom.tmx empty.tmx; do
    "$B" tmx validate $f > o 2> e
    [ $? -eq 1 ] || fail "$f: validate not exit 1 (invalid)"
    "$B" tmx stats $f > o 2> e2
    [ $? -eq 2 ] || fail "$f: stats not exit 2"
    grep -q "Document is empty" e e2 && fail "$f: libxml2's phrase: $(cat e)"
done
"$B" tmx stats notes.txt 2>&1 | grep -q "^bitext: not a TMX file: 'notes.txt' looks like plain text$" ||
    fail "notes.txt: $("$B" tmx stats notes.txt 2>&1)"
"$B" tmx stats utf16.txt 2>&1 | grep -q "^bitext: not a TMX file: 'utf16.txt' looks like plain text (UTF-16)$" ||
    fail "utf16.txt: $("$B" tmx stats utf16.txt 2>&1)"
"$B" tmx stats twobom.tmx 2>&1 | grep -q "^bitext: not a TMX file: 'twobom.tmx' starts with two byte order marks" ||
    fail "twobom.tmx: $("$B" tmx stats twobom.tmx 2>&1)"
"$B" tmx stats empty.tmx 2>&1 | grep -q "^bitext: not a TMX file: 'empty.tmx' is empty$" ||
    fail "empty.tmx: $("$B" tmx stats empty.tmx 2>&1)"
cp notes.txt notes.tbx
"$B" lookup --no-lexicon --no-index-write -g notes.tbx "Thủ tướng" 2>&1 |
    grep -q "^bitext: not a TBX file: 'notes.tbx' looks like plain text$" || fail "notes.tbx"
# a UTF-16 TMX with its byte order mark is still a TMX
iconv -f UTF-8 -t UTF-16 "$T" > u16.tmx 2>/dev/null && {
    "$B" tmx stats u16.tmx > o 2> e || fail "u16.tmx: $(cat e)"
    grep -q "^units: 6$" o || fail "u16.tmx: $(cat o)"
}

# gzip_trailing_garbage_warned: as for articles, by every command
gzip -c "$T" > g.tmx.gz
echo "garbage" >> g.tmx.gz
for c in stats validate; do
    "$B" tmx $c g.tmx.gz > o 2> e || fail "$c g.tmx.gz: $(cat e)"
    grep -q "^bitext: g.tmx.gz: trailing garbage after gzip data ignored$" e || fail "$c: $(cat e)"
done
"$B" tmx merge -o m.tmx g.tmx.gz 2> e || fail "merge g.tmx.gz: $(cat e)"
grep -q "trailing garbage after gzip data ignored" e || fail "merge: $(cat e)"
# two members are one file, a cut one is reported
gzip -c "$T" > two.tmx.gz
head -c 100 two.tmx.gz > cut.tmx.gz
"$B" tmx stats cut.tmx.gz > o 2> e
[ $? -eq 2 ] || fail "cut: not exit 2"
grep -q "^bitext: cut.tmx.gz: truncated gzip data$" e || fail "cut: $(cat e)"

# out_of_memory_names_the_file: a 60 MB segment (bounds raised) in 120 MB
# of address space
if [ $asan -eq 0 ]; then
    {
        echo '<?xml version="1.0" encoding="UTF-8"?>'
        printf '<tmx version="1.4"><header creationtool="t" creationtoolversion="1" '
        printf 'segtype="sentence" o-tmf="x" adminlang="en" srclang="vi" datatype="plaintext"/>\n'
        printf '<body><tu><tuv xml:lang="vi"><seg>'
        awk 'BEGIN { p = "a"; while (length(p) < 100000) p = p p; p = substr(p, 1, 100000);
            for (i = 0; i < 600; i++) printf "%s<!---->", p }'
        echo '</seg></tuv></tu></body></tmx>'
    } > big.tmx
    base=$( (ulimit -v 1000000; exec "$B" tmx stats "$T") > /dev/null 2>&1; echo $?)
    [ "$base" -eq 0 ] || fail "cannot run at all"
    ( ulimit -v 120000; BITEXT_LIMITS=text=1G,total=2G exec "$B" tmx stats big.tmx ) > o 2> e
    rc=$?
    [ $rc -ne 0 ] || fail "oom: exit 0"
    # libxml2 or bitext runs out first: either way the file is named
    grep -q "^bitext: big.tmx:3: out of memory (libxml2)$" e ||
        grep -q "^bitext: out of memory ([0-9]* bytes) reading 'big.tmx'$" e ||
        fail "oom: $(cat e)"
    truncate -s 200M big.tsv
    ( ulimit -v 120000; BITEXT_LIMITS=text=1G exec "$B" glossary export -g big.tsv ) > o 2> e
    [ $? -ne 0 ] || fail "oom tsv: exit 0"
    grep -q "^bitext: out of memory ([0-9]* bytes) reading 'big.tsv'$" e || fail "oom tsv: $(cat e)"
    rm -f big.tsv
fi

# tbx_temporary_private: glossary export -f tbx (and tmx export) to
# standard output go through a file no other user may read
mkdir tmp
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "Chức vụ %d\tPost %d\ttitle\t1\n", i, i }' > g.tsv
umask 022
TMPDIR=$(pwd)/tmp "$B" glossary export -f tbx -g g.tsv > out.tbx 2> e &
pid=$!
seen=0
while kill -0 $pid 2>/dev/null; do
    for f in tmp/*; do
        [ -e "$f" ] || continue
        seen=1
        m=$(stat -c %a "$f" 2>/dev/null) || continue
        [ "$m" = 600 ] || fail "temporary $f of mode $m"
    done
done
wait $pid || fail "export: $(cat e)"
grep -q "<term>Post 99999</term>" out.tbx || fail "export incomplete"
[ -z "$(ls tmp)" ] || fail "temporary left: $(ls tmp)"
TMPDIR=$(pwd)/tmp "$B" tmx export "$T" > out.tsv 2> e || fail "tmx export: $(cat e)"
[ -z "$(ls tmp)" ] || fail "tmx export left: $(ls tmp)"
[ "$(umask)" = 0022 ] || fail "umask"
echo "seen=$seen"
exit 0
