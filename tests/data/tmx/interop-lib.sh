# interop-lib.sh - sourced by tests/interop/*.sh (not a test itself).
# Each test runs in a fresh temporary directory with $BITEXT (the binary)
# and $TOP (the repository) set. A missing tool is a failure, not a skip:
# these tests exist to prove the real tools accept our files.

set -u
: "${BITEXT:?BITEXT must name the bitext binary}"
: "${TOP:?TOP must name the repository root}"
OMEGAT_JAR=/usr/share/omegat/OmegaT.jar
PY=/usr/bin/python3   # Debian's, with translate-toolkit

fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "-- $*"; }

need() {
    for t in "$@"; do
        command -v "$t" >/dev/null 2>&1 || fail "missing tool '$t' (apt-get install omegat translate-toolkit libxml2-utils unzip)"
    done
}

# The TMX DTD and the TBX schema, from the installed OmegaT (never copied
# into the repository): schemas/tmx14.dtd, schemas/tbx.xsd, schemas/xml.xsd.
extract_schemas() {
    need unzip
    [ -f "$OMEGAT_JAR" ] || fail "missing $OMEGAT_JAR (apt-get install omegat)"
    mkdir -p schemas
    unzip -o -q -j -d schemas "$OMEGAT_JAR" schemas/tmx14.dtd schemas/tbx.xsd \
        schemas/xml.xsd || fail "cannot extract schemas from $OMEGAT_JAR"
}

# A TMX written by bitext's writer from the hand-made fixture (other tools'
# language codes, markup characters, a duplicate): fixture.tmx.
make_fixture_tmx() {
    "$BITEXT" tmx merge -q -o fixture.tmx "$TOP/tests/data/tmx/sample.tmx" ||
        fail "bitext tmx merge could not write the fixture"
    [ -s fixture.tmx ] || fail "fixture.tmx is empty"
}

# A TBX and a TSV written by bitext from its built-in lexicon: lexicon.tbx,
# lexicon.tsv.
make_fixture_glossary() {
    "$BITEXT" glossary export --lexicon -f tbx -o lexicon.tbx ||
        fail "bitext glossary export -f tbx failed"
    "$BITEXT" glossary export --lexicon -f tsv -o lexicon.tsv ||
        fail "bitext glossary export -f tsv failed"
}

# The real thing: align the bundled samples into out/.
make_align_outputs() {
    "$BITEXT" align -q -o out "$TOP/corpus/samples" ||
        fail "bitext align -q -o out corpus/samples failed (exit $?)"
    for f in memory.tmx glossary.tbx glossary.tsv; do
        [ -s "out/$f" ] || fail "align wrote no out/$f"
    done
}

# Number of <tu> in a TMX, as the XML says (xmllint, not bitext).
count_tu() { xmllint --xpath 'count(//tu)' "$1"; }

# An OmegaT project in $1 (sentence segmentation $2: true|false).
omegat_project() {
    mkdir -p "$1/source" "$1/tm/auto" "$1/glossary" "$1/target" "$1/omegat" \
        "$1/dictionary"
    cat > "$1/omegat.project" <<PROJ
<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>vi</source_lang>
    <target_lang>en</target_lang>
    <sentence_seg>$2</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
PROJ
}

# Run OmegaT headless on project $1 (extra arguments follow); log in $1.log.
# A private config dir keeps the user's OmegaT settings out of it. OmegaT
# exits 0 even when it drops a memory: TF_TM_LOAD_ERROR in the log is the
# sign, and the callers also compare what OmegaT produced.
run_omegat() {
    proj=$1; shift
    mkdir -p "$proj.cfg"
    LC_ALL=C.UTF-8 timeout 300 omegat --mode=console-translate \
        --config-dir="$PWD/$proj.cfg" "$@" "$PWD/$proj" > "$proj.log" 2>&1 ||
        { tail -30 "$proj.log" >&2; fail "omegat exited with $?"; }
    if grep -q 'TF_TM_LOAD_ERROR' "$proj.log"; then
        grep -B2 -A5 'TF_TM_LOAD_ERROR' "$proj.log" >&2
        fail "OmegaT refused a translation memory (TF_TM_LOAD_ERROR)"
    fi
}
