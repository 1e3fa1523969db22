#!/bin/sh
# issue 17, item 5: one Latin-1 line made a whole UTF-8 article mojibake:
# the encoding was guessed for the whole file, so a copyright line in
# Latin-1 at the top of sample 000 turned it into windows-1258 text and its
# accepted pairs fell from 7 to 0. Now the encoding is decided per line.
fail() { echo "FAIL: $*"; exit 1; }
B=${BITEXT:?}
S=$(ls "${TOP:?}"/corpus/samples/000_*.txt)

{
    printf 'Copyright \251 2019 Baonghean.vn \226 Tous droits r\351serv\351s \226 \253Ngh\352 An\273'
    for c in 267 245 244 246 247 250 252 254 256 257 260 261 262 263 264 265 266 \
             270 271 272 274 275 276 277 300 301 302 303 304 305 306 307 310 311 312 313; do
        printf " \\$c"
    done
    printf '\n'
    cat "$S"
} > mixed.txt
cp "$S" clean.txt
"$B" align -o oc clean.txt 2> ec || fail "clean: $(cat ec)"
"$B" align -o om mixed.txt 2> em || fail "mixed: $(cat em)"
acc() { sed -n 's/.*pairs: \([0-9]*\) accepted.*/\1/p' "$1"; }
[ "$(acc ec)" -gt 0 ] || fail "no accepted pair in the clean sample"
[ "$(acc em)" = "$(acc ec)" ] || fail "accepted: $(acc em) with the Latin-1 line, $(acc ec) without"
grep -q "^bitext: mixed.txt:1: not UTF-8; the line is read as windows-1258" em ||
    fail "the line not named: $(cat em)"
grep -q "the file is read as" em && fail "the whole file read as legacy: $(cat em)"
# the article's text is the clean one (line numbers one more)
cmp -s oc/memory.tmx om/memory.tmx 2>/dev/null ||
    [ "$(grep -c '<tu>' om/memory.tmx)" = "$(grep -c '<tu>' oc/memory.tmx)" ] ||
    fail "memory differs"
grep -q 'Ngh\|Nguy' om/glossary.tsv || fail "glossary lost its Vietnamese"
exit 0
