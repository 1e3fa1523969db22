#!/bin/sh
# glossary merge: counts add up, sources unite, rows stay distinct per
# (vi, en); a malformed line is reported and the rest merged.
fail() { echo "FAIL: $*"; exit 1; }
B=${BITEXT:?}

printf '# a\nThủ tướng\tPrime Minister\ttitle\t2\ta.txt:1, a.txt:9\n' > a.tsv
printf 'Nghệ An\tNghe An\tplace\t1\ta.txt:2\n' >> a.tsv
printf '# b\nThủ tướng\tPrime Minister\ttitle\t3\ta.txt:9, b.txt:4\n' > b.tsv
printf 'Thủ tướng\tPremier\ttitle\t1\tb.txt:5\n' >> b.tsv
printf 'broken line without tab\n' >> b.tsv

"$B" glossary merge -o m.tsv a.tsv b.tsv 2> err
[ $? -eq 2 ] || fail "a malformed line should make merge exit 2"
grep -q "b.tsv:4:" err || fail "malformed line not reported: $(cat err)"
[ -f m.tsv ] || fail "no output"
head -1 m.tsv | grep -q '^#' || fail "no # header"
grep -qx 'Thủ tướng	Prime Minister	title	5	a.txt:1, a.txt:9, b.txt:4' m.tsv ||
    fail "counts or sources not merged: $(cat m.tsv)"
grep -q '^Thủ tướng	Premier	title	1	b.txt:5$' m.tsv || fail "variant row lost"
grep -q '^Nghệ An	Nghe An	place	1	a.txt:2$' m.tsv || fail "place row lost"
[ "$(grep -vc '^#' m.tsv)" -eq 3 ] || fail "expected 3 rows"
# usual first within a key
[ "$(grep -n 'Prime Minister' m.tsv | cut -d: -f1)" -lt "$(grep -n 'Premier' m.tsv | cut -d: -f1)" ] ||
    fail "higher count should come first"

printf '# c\nThủ tướng\tPrime Minister\ttitle\t3\tb.txt:4\n' > c.tsv
"$B" glossary merge -o m2.tsv a.tsv c.tsv || fail "clean merge should exit 0"
"$B" glossary merge a.tsv > /dev/null 2>&1
[ $? -eq 2 ] || fail "merge without -o should exit 2"
exit 0
