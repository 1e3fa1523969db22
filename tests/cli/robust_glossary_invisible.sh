#!/bin/sh
# issue 17, item 6, in a glossary: a TSV line kept its invisible characters
# (the reader repaired controls only), so "Phó<LRM> Chủ<ZWSP> tịch" was a
# row that looked like "Phó Chủ tịch" and was not found by it, and its
# answer carried the LRM and ZWSP to the terminal. A glossary line now goes
# through the articles' rule (bt_text_repair with BT_REPAIR_SPACES).
fail() { echo "FAIL: $*"; exit 1; }
B=${BITEXT:?}
LRM=$(printf '\342\200\216')
ZWSP=$(printf '\342\200\213')
RLO=$(printf '\342\200\256')
printf 'Ph\303\263%s Ch\341\273\247%s t\341\273\213ch UBND t\341\273\211nh\tVice%s Chairman of the Provincial People'"'"'s Committee\ttitle\t3\ta.txt:1\n' \
    "$LRM" "$ZWSP" "$RLO" > g.tsv
printf 'B\303\255 th\306\260\tSecretary\ttitle\t1\tb.txt:2\n' >> g.tsv
grep -q "$LRM" g.tsv || fail "the test put no LRM in"
invisible="$(printf '\342\200[\213-\217\252-\256]\|\342\201[\240\246-\251]\|\357\273\277\|\330\234')"
has_invisible() { LC_ALL=C grep -q "$invisible" "$1"; }

"$B" lookup --no-lexicon -g g.tsv "Phó Chủ tịch UBND tỉnh" > out 2> err ||
    fail "not found by the plain term: $(cat out err)"
grep -q "Vice Chairman of the Provincial" out || fail "wrong answer: $(cat out)"
has_invisible out && fail "an invisible character in the answer: $(od -c out | head)"
# the index built by that look-up answers the same
"$B" lookup --no-lexicon --format json -g g.tsv "Phó Chủ tịch UBND tỉnh" > out.json ||
    fail "not found from the index"
has_invisible out.json && fail "an invisible character in --json"
grep -q '"vi": *"Phó Chủ tịch UBND tỉnh"' out.json || fail "vi not the plain term: $(cat out.json)"
"$B" lookup --no-lexicon --reverse -g g.tsv "Vice Chairman of the Provincial People's Committee" > rev ||
    fail "reverse look-up: $(cat rev)"
grep -q "→ Phó Chủ tịch UBND tỉnh " rev || fail "reverse answer: $(cat rev)"
has_invisible rev && fail "an invisible character in the reverse answer"
for f in tsv json tbx; do
    "$B" glossary export -g g.tsv -o e.$f 2> err || fail "export $f: $(cat err)"
    has_invisible e.$f && fail "an invisible character in the $f export"
    grep -q "Phó Chủ tịch UBND tỉnh" e.$f || fail "the $f export lost the term"
done
exit 0
