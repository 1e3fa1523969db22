#!/bin/sh
# issue 17, item 6: invisible bidirectional controls survived. A trailing
# LRM (U+200E) left a credit unpaired, "Phó<LRM> Chủ tịch UBND tỉnh" became
# a second glossary row that looks identical, U+202E reached the memory.
# LRM, RLM, ALM and the embeddings, overrides and isolates are now taken
# out with the other invisible characters, and counted in the summary.
fail() { echo "FAIL: $*"; exit 1; }
B=${BITEXT:?}
S=${TOP:?}/corpus/samples
export SOURCE_DATE_EPOCH=1700000000

mkdir clean dirty
for f in "$S"/000_*.txt "$S"/001_*.txt; do
    cp "$f" clean/
    # an LRM at the end of every line, an RLM and an ALM after "Phó", the
    # Vietnamese "Chủ tịch" wrapped in RLO..PDF, "UBND" in LRI..PDI, and
    # LRE/RLE/PDF/FSI around "tỉnh"
    sed -e 's/$/\xe2\x80\x8e/' \
        -e 's/Phó /Phó\xe2\x80\x8f\xd8\x9c /g' \
        -e 's/Chủ tịch/\xe2\x80\xaeChủ tịch\xe2\x80\xac/g' \
        -e 's/UBND/\xe2\x81\xa6UBND\xe2\x81\xa9/g' \
        -e 's/tỉnh/\xe2\x80\xaa\xe2\x80\xabtỉnh\xe2\x80\xac\xe2\x81\xa8\xe2\x81\xa7/g' \
        "$f" > dirty/$(basename "$f")
done
grep -q "$(printf '\342\200\256')" dirty/000_*.txt || fail "the test put no RLO in"
(cd clean && "$B" align -o ../oc . 2> ../ec) || fail "clean run: $(cat ec)"
(cd dirty && "$B" align -o ../od . 2> ../ed) || fail "dirty run: $(cat ed)"
for f in memory.tmx glossary.tsv glossary.tbx pairs.jsonl; do
    cmp -s oc/$f od/$f || fail "$f differs with bidi controls: $(diff oc/$f od/$f | head -5)"
done
for f in od/*; do
    if grep -q "$(printf '\342\200[\216\217\252-\256]\|\342\201[\246-\251]\|\330\234')" "$f"; then
        fail "a bidi control reached $f"
    fi
done
grep -q "invisible characters taken out" ed || fail "not counted in the summary: $(cat ed)"
grep -q "invisible" ec && fail "counted where there were none: $(cat ec)"
exit 0
