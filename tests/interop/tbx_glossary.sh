#!/bin/sh
# (d) The glossary loads where translators load it. glossary.tbx validates
# against the TBX schema in OmegaT's jar (xmllint --schema, nothing on stderr
# but the "validates" line); OmegaT 3.6's own readers, called from a Groovy
# script in a headless run, give one entry per glossary.tsv row and one per
# TBX termEntry, with the same (vi, en) pairs as the files hold. Done for a
# glossary bitext writes from its built-in lexicon and for align's output.
. "$TOP/tests/data/tmx/interop-lib.sh"
need xmllint omegat timeout sort
extract_schemas

schema_valid() {
    xmllint --noout --schema schemas/tbx.xsd "$1" 2> xsd.err ||
        { cat xsd.err >&2; fail "$1: xmllint --schema exit $?"; }
    [ "$(cat xsd.err)" = "$1 validates" ] ||
        { cat xsd.err >&2; fail "$1: xmllint --schema wrote more than 'validates'"; }
}

# The (vi, en) pairs a TSV glossary holds: rows after '#' lines.
tsv_pairs() { grep -v '^#' "$1" | grep -v '^$' | cut -f1,2 | LC_ALL=C sort; }
tbx_entries() { xmllint --xpath 'count(//termEntry)' "$1"; }

# OmegaT reads glossary $1.tbx and $1.tsv (copied into the project's
# glossary/ as .tbx and .utf8); counts and pairs must match the files.
omegat_reads() {
    tbx=$1 tsv=$2 proj=$3
    schema_valid "$tbx"
    omegat_project "$proj" true
    mkdir -p "$proj.gloss"
    cp "$tbx" "$proj.gloss/glossary.tbx"
    cp "$tsv" "$proj.gloss/glossary.utf8"
    echo "$PWD/$proj.gloss" > glossary-dir.txt
    printf 'Ảnh: Mai Hoa\n' > "$proj/source/demo.txt"
    run_omegat "$proj" --script="$TOP/tests/data/tmx/glossary-count.groovy"
    grep -q '^BITEXT_GLOSSARY_ERROR' "$proj.log" &&
        { grep '^BITEXT_GLOSSARY_ERROR' "$proj.log" >&2; fail "OmegaT could not read a glossary"; }
    # The script may run on more than one project event: take the first.
    got_tbx=$(grep -m1 '^BITEXT_GLOSSARY glossary.tbx ' "$proj.log" | cut -d' ' -f3)
    got_tsv=$(grep -m1 '^BITEXT_GLOSSARY glossary.utf8 ' "$proj.log" | cut -d' ' -f3)
    [ -n "$got_tbx" ] && [ -n "$got_tsv" ] ||
        { tail -30 "$proj.log" >&2; fail "the Groovy script did not run"; }
    want_tbx=$(tbx_entries "$tbx")
    want_tsv=$(tsv_pairs "$tsv" | wc -l)
    [ "$want_tsv" -gt 0 ] || fail "$tsv: no rows"
    [ "$got_tbx" = "$want_tbx" ] || fail "$tbx: OmegaT read $got_tbx of $want_tbx entries"
    [ "$got_tsv" = "$want_tsv" ] || fail "$tsv: OmegaT read $got_tsv of $want_tsv rows"
    # Same pairs: what OmegaT read from each, what the TSV file says.
    # (One pass of the script: the first N entry lines of each file.)
    tsv_pairs "$tsv" > want.pairs
    grep '^BITEXT_ENTRY glossary.utf8	' "$proj.log" | head -n "$got_tsv" |
        cut -f2,3 | LC_ALL=C sort > omegat-tsv.pairs
    grep '^BITEXT_ENTRY glossary.tbx	' "$proj.log" | head -n "$got_tbx" |
        cut -f2,3 | LC_ALL=C sort > omegat-tbx.pairs
    cmp -s want.pairs omegat-tsv.pairs ||
        { diff want.pairs omegat-tsv.pairs | head >&2; fail "$tsv: OmegaT read other pairs"; }
    cmp -s want.pairs omegat-tbx.pairs ||
        { diff want.pairs omegat-tbx.pairs | head >&2; fail "$tbx: OmegaT read other pairs than the TSV holds"; }
    note "$tbx: schema-valid; OmegaT read $got_tbx TBX entries and $got_tsv TSV rows, same pairs"
}

make_fixture_glossary
omegat_reads lexicon.tbx lexicon.tsv omt-lexicon

# The check can fail: a note after tig inside langSet is what tbx.xsd rejects.
sed '0,/<\/tig>/s//<\/tig><note>x<\/note>/' lexicon.tbx > broken.tbx
xmllint --noout --schema schemas/tbx.xsd broken.tbx 2>/dev/null &&
    fail "the schema check accepted a note after tig"

make_align_outputs
omegat_reads out/glossary.tbx out/glossary.tsv omt-align
exit 0
