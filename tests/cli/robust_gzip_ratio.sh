#!/bin/sh
# issues 17 and 19: a gzip'd TMX or TBX was bounded only by its total once
# decompressed (1 GiB): a bomb of 600 MB of <prop> text in 615 KB was read
# to the end (`tmx stats` 1.85 GB, `merge` wrote 629 MB). Now its ratio is
# bounded too (BITEXT_LIMITS=ratio=N, default 100, checked past 64 MiB):
# the bomb is refused at 64 MiB, with the file and line named, exit 2.
fail() { echo "FAIL: $*"; exit 1; }
B=${BITEXT:?}
asan=0
ASAN_OPTIONS=help=1 "$B" --version 2>&1 | grep -q AddressSanitizer && asan=1

# 100 MB of <prop> text in about 100 KB: one gzip member per unit (a
# member of 1 MB of one letter is 1 KB), joined as `cat a.gz b.gz` does
printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' \
    '<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="vi" datatype="plaintext"/><body>' |
    gzip -9 > bomb.tmx.gz
{
    printf '<tu><prop type="x-file">'
    head -c 1000000 /dev/zero | tr '\0' 'p'
    printf '</prop><tuv xml:lang="vi"><seg>Thủ tướng</seg></tuv><tuv xml:lang="en"><seg>Prime Minister</seg></tuv></tu>\n'
} | gzip -9 > unit.gz
i=0
while [ $i -lt 100 ]; do cat unit.gz; i=$((i + 1)); done >> bomb.tmx.gz
echo '</body></tmx>' | gzip -9 >> bomb.tmx.gz
[ "$(wc -c < bomb.tmx.gz)" -lt 200000 ] || fail "bomb not small"

# gzip_bomb_refused_by_ratio: stats, validate and merge stop at 64 MiB,
# naming the file and line; merge writes nothing
msg="^bitext: bomb.tmx.gz:[0-9]*: expands more than 100 times once decompressed ([0-9]* bytes from [0-9]*; BITEXT_LIMITS=ratio=N raises it)$"
if [ $asan -eq 0 ] && [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%M" -o rss "$B" tmx stats bomb.tmx.gz > o 2> e
    [ $? -eq 2 ] || fail "stats: not exit 2: $(cat e)"
    kb=$(tail -1 rss)
    [ "$kb" -lt 262144 ] || fail "stats: $kb KB resident"
else
    "$B" tmx stats bomb.tmx.gz > o 2> e
    [ $? -eq 2 ] || fail "stats: not exit 2: $(cat e)"
fi
grep -q "$msg" e || fail "stats: $(cat e)"
"$B" tmx validate bomb.tmx.gz > o 2> e
[ $? -eq 1 ] || fail "validate: not exit 1"
grep -q "$msg" e || fail "validate: $(cat e)"
"$B" tmx merge -o m.tmx bomb.tmx.gz 2> e
[ $? -eq 2 ] || fail "merge: not exit 2"
grep -q "$msg" e || fail "merge: $(cat e)"
[ ! -e m.tmx ] || fail "merge wrote its output"

# gzip_ratio_raised: with the ratio raised, the total bounds it again
BITEXT_LIMITS=ratio=2000,total=80M "$B" tmx stats bomb.tmx.gz > o 2> e
[ $? -eq 2 ] || fail "raised: not exit 2"
grep -q "^bitext: bomb.tmx.gz:[0-9]*: larger than 83886080 bytes once decompressed" e ||
    fail "raised: $(cat e)"

# gzip_ratio_small_files_read: under 64 MiB the ratio is not looked at
# (20 MB of one letter in 20 KB is no bomb)
{
    printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' \
        '<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="vi" datatype="plaintext"/><body>'
    i=0
    while [ $i -lt 20 ]; do
        printf '<tu><prop type="x-file">'
        head -c 1000000 /dev/zero | tr '\0' 'p'
        printf '</prop><tuv xml:lang="vi"><seg>Thủ tướng</seg></tuv><tuv xml:lang="en"><seg>Prime Minister</seg></tuv></tu>\n'
        i=$((i + 1))
    done
    echo '</body></tmx>'
} | gzip -9 > small.tmx.gz
"$B" tmx stats small.tmx.gz > o 2> e || fail "small: $(cat e)"
grep -q "^units: 20$" o || fail "small: $(cat o)"

# bad_ratio_usage_error
BITEXT_LIMITS=ratio=0 "$B" tmx stats small.tmx.gz > o 2> e
[ $? -eq 2 ] || fail "ratio=0 accepted"
grep -q "invalid BITEXT_LIMITS item 'ratio=0'" e || fail "ratio=0: $(cat e)"
exit 0
