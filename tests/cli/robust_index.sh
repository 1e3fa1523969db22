#!/bin/sh
# issue 17, item 1: an index that proves it is current. Each case was a
# wrong answer with exit 0 (or a hang): a stale FILE.idx trusted after an
# edit with the mtime put back, an index planted by another user, flipped
# bytes read as answers, a FIFO named FILE.idx.
fail() { echo "FAIL: $*"; exit 1; }
B=${BITEXT:?}

printf 'Thủ tướng\tPrime Minister\ttitle\t3\ta.txt:1\n' > G.tsv
printf 'Phó Chủ tịch\tVice Chairman\ttitle\t2\tb.txt:2\n' >> G.tsv
"$B" lookup --no-lexicon -g G.tsv "Thủ tướng" > /dev/null || fail "first look-up"

# stale_same_size_mtime_restored: same size, mtime put back with touch -r
sleep 1
sed 's/Prime Minister/Prime Ministry/' G.tsv > G.new
touch -r G.tsv G.new
cat G.new > G.tsv
touch -r G.new G.tsv
for opt in --no-index-write ""; do
    "$B" lookup --no-lexicon $opt -g G.tsv "Thủ tướng" > o 2> e ||
        fail "look-up $opt: $(cat e)"
    grep -q "Prime Ministry" o || fail "stale index trusted $opt: $(cat o)"
done

# flipped_bytes_never_answer: every byte of a small index flipped in turn
# (the file rewritten in place): the answer is right each time, and a
# damaged body is reported
good=$(mktemp)
"$B" lookup --no-lexicon -g G.tsv "Phó Chủ tịch" > /dev/null
cp G.tsv.idx "$good"
size=$(wc -c < "$good")
i=0; wrong=0; told=0
while [ "$i" -lt "$size" ]; do
    cp "$good" flipped
    printf '\377' | dd of=flipped bs=1 seek="$i" conv=notrunc 2> /dev/null
    cat flipped > G.tsv.idx
    "$B" lookup --no-lexicon -g G.tsv "Phó Chủ tịch" > o 2> e
    grep -q "Vice Chairman" o || wrong=$((wrong + 1))
    grep -q "damaged" e && told=$((told + 1))
    i=$((i + 37))
done
rm -f "$good" flipped
[ "$wrong" -eq 0 ] || fail "$wrong flipped bytes gave a wrong answer"
[ "$told" -gt 0 ] || fail "no damaged index reported"

# planted_index_not_trusted: an index owned by another user than the
# glossary's owner (and not by us) is not used (root only: chown)
if [ "$(id -u)" -eq 0 ]; then
    printf 'Thủ tướng\tSecret Police Boss\n' > other.tsv
    "$B" lookup --no-lexicon -g other.tsv "Thủ tướng" > /dev/null
    cp -p G.tsv victim.tsv
    cp other.tsv.idx victim.tsv.idx
    chown 65534 victim.tsv.idx
    "$B" lookup --no-lexicon --no-index-write -g victim.tsv "Thủ tướng" > o 2> e
    grep -q "Secret Police" o && fail "planted index trusted"
    grep -q "Prime Ministry" o || fail "no answer beside a planted index: $(cat o e)"
    grep -q "owned by another user" e || fail "planted index not reported: $(cat e)"
fi

# fifo_index_does_not_hang
rm -f G.tsv.idx
mkfifo G.tsv.idx
timeout 10 "$B" lookup --no-lexicon -g G.tsv "Thủ tướng" > o 2> e
rc=$?
[ "$rc" -eq 124 ] && fail "look-up blocked on a FIFO named FILE.idx"
grep -q "Prime Ministry" o || fail "no answer beside a FIFO: $(cat e)"
grep -q "not a regular file" e || fail "FIFO not reported: $(cat e)"
exit 0
