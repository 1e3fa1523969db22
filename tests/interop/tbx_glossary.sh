#!/bin/sh
# (d) The glossary loads where translators load it, under the names
# docs/translators.md gives (glossary.txt and glossary.tbx, copied as they
# are). glossary.tbx validates against the TBX schema in OmegaT's jar
# (xmllint --schema, nothing on stderr but the "validates" line); OmegaT
# 3.6's glossary manager, called from a Groovy script in a headless run,
# picks the reader by name and gives one entry per glossary.txt row and one
# per TBX termEntry, with the same (vi, en) pairs as glossary.tsv holds, and
# ignores glossary.tsv itself. Done for a glossary bitext writes from its
# built-in lexicon and for align's output. Then the project laid out as the
# docs say: OmegaT's glossary pane search shows our entries for sample
# captions, the official rendering first.
. "$TOP/tests/data/tmx/interop-lib.sh"
need xmllint omegat timeout sort
extract_schemas

schema_valid() {
    xmllint --noout --schema schemas/tbx.xsd "$1" 2> xsd.err ||
        { cat xsd.err >&2; fail "$1: xmllint --schema exit $?"; }
    [ "$(cat xsd.err)" = "$1 validates" ] ||
        { cat xsd.err >&2; fail "$1: xmllint --schema wrote more than 'validates'"; }
}

# The (vi, en) pairs a TSV glossary holds: rows after '#' lines (and the
# BOM of glossary.txt).
tsv_pairs() { sed '1s/^\xEF\xBB\xBF//' "$1" | grep -v '^#' | grep -v '^$' | cut -f1,2 | LC_ALL=C sort; }
tbx_entries() { xmllint --xpath 'count(//termEntry)' "$1"; }

# OmegaT reads the glossary in directory $1 (glossary.tbx, glossary.txt;
# glossary.tsv beside them is ignored); counts and pairs must match the
# files.
omegat_reads() {
    dir=$1 proj=$2
    tbx=$dir/glossary.tbx txt=$dir/glossary.txt tsv=$dir/glossary.tsv
    schema_valid "$tbx"
    omegat_project "$proj" true
    echo "$PWD/$dir" > glossary-dir.txt
    printf 'Ảnh: Mai Hoa\n' > "$proj/source/demo.txt"
    run_omegat "$proj" --script="$TOP/tests/data/tmx/glossary-count.groovy"
    grep -q '^BITEXT_GLOSSARY_ERROR' "$proj.log" &&
        { grep '^BITEXT_GLOSSARY_ERROR' "$proj.log" >&2; fail "OmegaT could not read a glossary"; }
    # The script may run on more than one project event: take the first.
    got_tbx=$(grep -m1 '^BITEXT_GLOSSARY glossary.tbx ' "$proj.log" | cut -d' ' -f3)
    got_tsv=$(grep -m1 '^BITEXT_GLOSSARY glossary.txt ' "$proj.log" | cut -d' ' -f3)
    grep -q '^BITEXT_GLOSSARY glossary.tsv IGNORED' "$proj.log" ||
        fail "$tsv: OmegaT was expected to ignore a .tsv (the reason for glossary.txt)"
    [ -n "$got_tbx" ] && [ -n "$got_tsv" ] ||
        { tail -30 "$proj.log" >&2; fail "the Groovy script did not run"; }
    want_tbx=$(tbx_entries "$tbx")
    want_tsv=$(tsv_pairs "$tsv" | wc -l)
    [ "$want_tsv" -gt 0 ] || fail "$tsv: no rows"
    [ "$got_tbx" = "$want_tbx" ] || fail "$tbx: OmegaT read $got_tbx of $want_tbx entries"
    [ "$got_tsv" = "$want_tsv" ] || fail "$txt: OmegaT read $got_tsv of $want_tsv rows"
    # Same pairs: what OmegaT read from each, what the TSV file says.
    # (One pass of the script: the first N entry lines of each file.)
    tsv_pairs "$tsv" > want.pairs
    grep '^BITEXT_ENTRY glossary.txt	' "$proj.log" | head -n "$got_tsv" |
        cut -f2,3 | LC_ALL=C sort > omegat-tsv.pairs
    grep '^BITEXT_ENTRY glossary.tbx	' "$proj.log" | head -n "$got_tbx" |
        cut -f2,3 | LC_ALL=C sort > omegat-tbx.pairs
    cmp -s want.pairs omegat-tsv.pairs ||
        { diff want.pairs omegat-tsv.pairs | head >&2; fail "$txt: OmegaT read other pairs"; }
    cmp -s want.pairs omegat-tbx.pairs ||
        { diff want.pairs omegat-tbx.pairs | head >&2; fail "$tbx: OmegaT read other pairs than the TSV holds"; }
    note "$tbx: schema-valid; OmegaT read $got_tbx TBX entries and $got_tsv glossary.txt rows, same pairs"
}

make_fixture_glossary
mkdir lex
"$BITEXT" glossary export --lexicon -o lex/glossary.txt || fail "glossary export to .txt"
cp lexicon.tbx lex/glossary.tbx
cp lexicon.tsv lex/glossary.tsv
omegat_reads lex omt-lexicon
# the TBX says which rendering is official, which a variant in use
grep -q '<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>' lexicon.tbx ||
    fail "lexicon.tbx: no preferred term"
grep -q '<termNote type="administrativeStatus">admittedTerm-admn-sts</termNote>' lexicon.tbx ||
    fail "lexicon.tbx: no admitted term"

# The check can fail: a note after tig inside langSet is what tbx.xsd rejects.
sed '0,/<\/tig>/s//<\/tig><note>x<\/note>/' lexicon.tbx > broken.tbx
xmllint --noout --schema schemas/tbx.xsd broken.tbx 2>/dev/null &&
    fail "the schema check accepted a note after tig"

make_align_outputs
omegat_reads out omt-align

# As docs/translators.md says: glossary.txt into the project's glossary/,
# as it is. OmegaT's pane search on two sample captions shows our entries,
# the official rendering before the one the article used.
omegat_project omt-docs true
cp out/glossary.txt omt-docs/glossary/
printf 'Thủ tướng Nguyễn Xuân Phúc.\n\nThường trực Ban Bí thư Đinh Thế Huynh phát biểu tại Hội nghị.\n' \
    > omt-docs/source/demo.txt
run_omegat omt-docs --script="$TOP/tests/data/tmx/glossary-match.groovy"
grep -q '^BITEXT_LOADED glossary.txt [0-9]' omt-docs.log ||
    { tail -30 omt-docs.log >&2; fail "OmegaT did not load glossary/glossary.txt"; }
shown() { grep -m1 "^BITEXT_MATCH $1	$2	" omt-docs.log | cut -f3; }
[ "$(shown 'Thủ tướng Nguyễn Xuân Phúc.' 'Thủ tướng')" = "Prime Minister" ] ||
    fail "no glossary entry for Thủ tướng: $(grep BITEXT_MATCH omt-docs.log | head)"
[ "$(shown 'Thủ tướng Nguyễn Xuân Phúc.' 'Nguyễn Xuân Phúc')" = "Nguyen Xuan Phuc" ] ||
    fail "no glossary entry for the name"
[ "$(shown 'Thường trực Ban Bí thư Đinh Thế Huynh phát biểu tại Hội nghị.' 'Thường trực Ban Bí thư')" = \
  "Permanent Member of the Secretariat|Standing member of the Secretariat" ] ||
    fail "official rendering not first: $(grep 'BITEXT_MATCH.*Thường trực' omt-docs.log | head -1)"
note "OmegaT shows glossary.txt entries for the sample captions, official first"
exit 0
