#!/bin/sh
# (e) Partial units stand apart and OmegaT lowers them. With
# --include-partial, align writes the partial pairs to memory-partial.tmx
# and none to memory.tmx; both are valid against the TMX 1.4 DTD. In OmegaT
# 3.6, headless, memory-partial.tmx in tm/penalty-010/ (as
# docs/translators.md says) gives each of its Vietnamese segments a match of
# 90% in the match pane's own search (tm-matches.groovy), and no segment is
# inserted into the target; the same file in tm/plain/ gives 100% (the
# control).
. "$TOP/tests/data/tmx/interop-lib.sh"
need omegat timeout xmllint
[ -x "$PY" ] || fail "missing $PY"
extract_schemas

"$BITEXT" align -q --include-partial -o out "$TOP/corpus/samples" ||
    fail "bitext align --include-partial failed"
for f in memory.tmx memory-partial.tmx; do
    xmllint --noout --dtdvalid schemas/tmx14.dtd "out/$f" 2> dtd.err ||
        { cat dtd.err >&2; fail "$f: not valid against tmx14.dtd"; }
    [ -s dtd.err ] && { cat dtd.err >&2; fail "$f: xmllint warned"; }
done
n=$(count_tu out/memory-partial.tmx)
[ "$n" -gt 0 ] || fail "memory-partial.tmx holds no unit"
[ "$(xmllint --xpath 'count(//tu[prop[@type="x-status"]="partial"])' out/memory-partial.tmx)" = "$n" ] ||
    fail "memory-partial.tmx holds other units than partial ones"
[ "$(xmllint --xpath 'count(//prop[@type="x-status"])' out/memory.tmx)" = 0 ] ||
    fail "memory.tmx still holds partial units"
# without the option, no memory-partial.tmx and the same memory.tmx
"$BITEXT" align -q -o plain "$TOP/corpus/samples" || fail "plain align failed"
[ -e plain/memory-partial.tmx ] && fail "memory-partial.tmx written without --include-partial"
sed 's/creationdate="[^"]*"//g' out/memory.tmx > a.cmp
sed 's/creationdate="[^"]*"//g' plain/memory.tmx > b.cmp
cmp -s a.cmp b.cmp || fail "--include-partial changed memory.tmx"

# $1: the folder under tm/; $2: the score every segment's match must have
omegat_scores() {
    dir=$1 want=$2 proj=omt-$(echo "$1" | tr / -)
    omegat_project "$proj" false
    mkdir -p "$proj/tm/$dir"
    cp out/memory-partial.tmx "$proj/tm/$dir/"
    m=$("$PY" "$TOP/tests/data/tmx/tmx-pairs.py" out/memory-partial.tmx \
        "$proj/source/demo.txt" "$proj.expected") || fail "translate-toolkit could not read memory-partial.tmx"
    [ "$m" -gt 0 ] || fail "no partial segment to test"
    run_omegat "$proj" --script="$TOP/tests/data/tmx/tm-matches.groovy"
    grep -q "Reading TMX file .*tm/$dir/memory-partial.tmx" "$proj.log" ||
        fail "OmegaT did not read tm/$dir/memory-partial.tmx"
    # the best match of each segment (the script may run more than once)
    grep '^BITEXT_TM ' "$proj.log" | cut -f1,2 | sed 's/^BITEXT_TM //' |
        sort -t'	' -k1,1 -k2,2nr | sort -t'	' -k1,1 -u > "$proj.best"
    [ "$(wc -l < "$proj.best")" -eq "$m" ] ||
        { cat "$proj.best" >&2; fail "tm/$dir: $(wc -l < "$proj.best") of $m segments have a match"; }
    bad=$(cut -f2 "$proj.best" | grep -vx "$want" | head -1)
    [ -z "$bad" ] || { cat "$proj.best" >&2; fail "tm/$dir: a match scored $bad, not $want"; }
    # console-translate inserts only exact matches of tm/auto: none here
    cmp -s "$proj/source/demo.txt" "$proj/target/demo.txt" ||
        fail "tm/$dir: OmegaT inserted a partial unit"
    note "tm/$dir: OmegaT matches all $m partial segments at $want%, inserts none"
}
omegat_scores penalty-010 90
omegat_scores plain 100
exit 0
