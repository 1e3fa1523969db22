#!/bin/sh
# (c) translate-toolkit (Debian's /usr/bin/python3) reads as many units from
# bitext's TMX as the XML holds, with the same text bitext's own reader
# gives; and as many entries from glossary.tbx as it has termEntry
# elements. translate-toolkit is lenient, so this proves reading, not
# validity (the DTD test does that).
. "$TOP/tests/data/tmx/interop-lib.sh"
need xmllint
[ -x "$PY" ] || fail "missing $PY"
"$PY" -c 'import translate.storage.factory' 2>/dev/null ||
    fail "translate-toolkit is not importable by $PY"

tt_count() {
    "$PY" -c 'import sys
from translate.storage import factory
s = factory.getobject(sys.argv[1])
print(len([u for u in s.units if not u.isheader()]))' "$1" ||
        fail "translate-toolkit could not read $1"
}

tt_same_count() {
    want=$(count_tu "$1")
    got=$(tt_count "$1")
    [ "$want" -gt 0 ] || fail "$1: no <tu>"
    [ "$got" = "$want" ] || fail "$1: translate-toolkit read $got units of $want"
    # bitext's own reader agrees on the count.
    "$BITEXT" tmx stats "$1" > stats.txt || fail "bitext tmx stats $1 failed"
    grep -qx "units: $want" stats.txt || { cat stats.txt >&2; fail "$1: bitext reads another count"; }
    note "$1: translate-toolkit read $got of $want units"
}

make_fixture_tmx
tt_same_count fixture.tmx
# The text survives: translate-toolkit sees our escaped markup as text.
"$PY" -c 'import sys
from translate.storage import factory
s = factory.getobject(sys.argv[1])
want = ("Doanh nghiệp \"A & B\" <Nghệ An>", "The \"A & B\" company <Nghe An>")
sys.exit(0 if any((u.source, u.target) == want for u in s.units) else 1)' \
    fixture.tmx || fail "translate-toolkit does not see the text we wrote"

make_fixture_glossary
n_tbx=$(xmllint --xpath 'count(//termEntry)' lexicon.tbx)
got=$(tt_count lexicon.tbx)
[ "$got" = "$n_tbx" ] || fail "lexicon.tbx: translate-toolkit read $got of $n_tbx entries"
note "lexicon.tbx: translate-toolkit read $got of $n_tbx entries"

make_align_outputs
tt_same_count out/memory.tmx
n_tbx=$(xmllint --xpath 'count(//termEntry)' out/glossary.tbx)
got=$(tt_count out/glossary.tbx)
[ "$got" = "$n_tbx" ] || fail "glossary.tbx: translate-toolkit read $got of $n_tbx entries"
note "out/glossary.tbx: translate-toolkit read $got of $n_tbx entries"
exit 0
