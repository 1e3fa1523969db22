#!/bin/sh
# lookup --glossary: a TSV glossary is indexed once (FILE.idx), the index
# follows the glossary's changes, a malformed line is reported as FILE:LINE
# and the rest loads; an align output directory and a TBX work too.
fail() { echo "FAIL: $*"; exit 1; }
B=${BITEXT:?}

printf '# vi\ten\tkind\tcount\tsources\n' > g.tsv
printf 'Giám đốc Sở Y tế\tDirector of the Department of Health\ttitle\t4\ta.txt:3\n' >> g.tsv
printf 'Giám đốc Sở Y tế\tDirector of the Health Department\ttitle\t9\tb.txt:8\n' >> g.tsv
printf 'only one column here\n' >> g.tsv
printf 'Dương Văn Chính\tDuong Van Chinh\tname\t2\ta.txt:3\n' >> g.tsv

"$B" lookup -g g.tsv "giam doc so y te" > o1 2> e1 || fail "not found in glossary: $(cat e1)"
grep -q "g.tsv:4:" e1 || fail "malformed line not reported as FILE:LINE: $(cat e1)"
[ -f g.tsv.idx ] || fail "no index written beside the glossary"
# the official rendering first, the usual one after it
head -1 o1 | grep -q "Director of the Department of Health" || fail "official rendering not first: $(cat o1)"
sed -n 2p o1 | grep -q "Director of the Health Department" || fail "usual rendering not second: $(cat o1)"
grep -q "Director of the Department of Health" o1 || fail "variant missing"
"$B" lookup -g g.tsv -r "Duong Van Chinh" | grep -q "Dương Văn Chính" || fail "name reverse"

# the index is reused: no second diagnostic, same answer
"$B" lookup -g g.tsv "Giám đốc Sở Y tế" > o2 2> e2 || fail "second look-up"
cmp -s o1 o2 || fail "cached answer differs"

# the glossary changes: the answer follows
sleep 1
printf 'Thủ tướng\tHead of Government\ttitle\t77\tc.txt:1\n' >> g.tsv
"$B" lookup -g g.tsv "thu tuong" > o3 2>/dev/null || fail "after change"
grep -q "Head of Government.*77" o3 || fail "index not rebuilt: $(cat o3)"

# no index written when asked not to
cp g.tsv ro.tsv
"$B" lookup --no-index-write -g ro.tsv "thu tuong" > /dev/null 2>&1 || fail "no-index-write"
[ -f ro.tsv.idx ] && fail "index written despite --no-index-write"

# an align output directory
mkdir out && cp g.tsv out/glossary.tsv
"$B" lookup -g out "Dương Văn Chính" > /dev/null 2>&1 || fail "directory glossary"

# only the file: --no-lexicon
"$B" lookup --no-lexicon -g g.tsv "Phó Chủ tịch UBND tỉnh" > /dev/null 2>&1
[ $? -eq 1 ] || fail "--no-lexicon still finds lexicon entries"

# a missing glossary is trouble (exit 2, not the 1 of "not found") with
# the file named
"$B" lookup -g nope.tsv "thu tuong" > /dev/null 2> e4
[ $? -eq 2 ] || fail "missing glossary should exit 2"
grep -q "nope.tsv" e4 || fail "missing glossary not named"

# TBX through export; options may follow the TERM (line 1 is the TSV header)
"$B" glossary export --glossary g.tsv -o g.tbx 2>/dev/null
[ -s g.tbx ] || fail "export to TBX"
"$B" lookup --no-lexicon -g g.tbx "Giám đốc Sở Y tế" --format tsv > o5 2>/dev/null ||
    fail "tbx glossary"
sed -n 2p o5 | cut -f3 | grep -qx "Director of the Health Department" || fail "tbx: $(cat o5)"
sed -n 2p o5 | cut -f5 | grep -qx "9" || fail "tbx count: $(cat o5)"
exit 0
