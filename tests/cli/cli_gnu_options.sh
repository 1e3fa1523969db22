#!/bin/sh
# Every command reads its options as GNU tools do: anywhere among the
# operands, '--' ending them, short options bundled; -h/--help and
# -V/--version at every level; `bitext help CMD` prints what
# `bitext CMD --help` prints.
set -u
fail() { echo "FAIL: $*"; exit 1; }
B=$BITEXT
cp -r "$TOP/corpus/samples" samples
cp "$TOP/tests/data/pairs/danvan.vi.txt" "$TOP/tests/data/pairs/danvan.en.txt" .

# ok CMD...: exit 0, else show what it said
ok() {
    "$@" > out.txt 2> err.txt || { cat err.txt; fail "'$*': exit $?"; }
}

# ---- options after the operands, the same outputs as before them ----------
ok "$B" align -q -o before samples
ok "$B" align samples -o after -q
cmp before/memory.tmx after/memory.tmx || fail "align DIR -o: other memory"
cmp before/pairs.jsonl after/pairs.jsonl || fail "align DIR -o: other pairs"
[ -e bitext-out ] && fail "align DIR -o wrote into bitext-out"
ok "$B" align -qo bundled samples
cmp before/pairs.jsonl bundled/pairs.jsonl || fail "align -qo: other pairs"
ok "$B" align samples --output=long --quiet
cmp before/pairs.jsonl long/pairs.jsonl || fail "align --output=: other pairs"

# --pair VI EN keeps its documented form, with options after the files
ok "$B" align --pair danvan.vi.txt danvan.en.txt -o pair1 -q
ok "$B" align -q -o pair2 --pair danvan.vi.txt danvan.en.txt
cmp pair1/pairs.jsonl pair2/pairs.jsonl || fail "--pair: the place of -o matters"
grep -q '"file":"danvan.vi.txt"' pair1/pairs.jsonl || fail "--pair: VI is not the first file"

# check (the samples hold findings: exit 1): bundled -qj2, options after
# the operands
"$B" check -qj2 -o c1 samples > out.txt 2>&1; rc=$?
[ "$rc" -eq 1 ] || { cat out.txt; fail "check -qj2: exit $rc"; }
[ -s out.txt ] && fail "check -qj2: -q not taken"
"$B" check samples -j 2 -o c2 -q > out.txt 2>&1; rc=$?
[ "$rc" -eq 1 ] || { cat out.txt; fail "check DIR -j 2 -o c2 -q: exit $rc"; }
"$B" check -qo c3 samples --jobs=1 > out.txt 2>&1; rc=$?
[ "$rc" -eq 1 ] || { cat out.txt; fail "check -qo c3 DIR --jobs=1: exit $rc"; }
cmp c1/consistency.json c2/consistency.json || fail "check: the place of the options matters"
cmp c1/consistency.json c3/consistency.json || fail "check -qo: other report"

# lookup: options after the TERM
ok "$B" lookup "Phó Chủ tịch UBND tỉnh" --format tsv
grep -q '	Vice Chairman of the Provincial People' out.txt || fail "lookup TERM --format tsv"

# tmx: merge A B -o OUT, validate FILE -q, stats
ok "$B" tmx merge before/memory.tmx after/memory.tmx -o merged.tmx -q
ok "$B" tmx validate merged.tmx -q
[ -s out.txt ] && fail "tmx validate FILE -q printed a summary"
ok "$B" tmx validate merged.tmx
grep -q '^merged.tmx: valid' out.txt || fail "tmx validate: no summary"
ok "$B" tmx stats merged.tmx
grep -q '^units: ' out.txt || fail "tmx stats: no units"

# glossary: options after the operands
ok "$B" glossary merge before/glossary.tsv after/glossary.tsv -o g.tsv
ok "$B" glossary export --format csv -g g.tsv
mv out.txt stdout.csv
ok "$B" glossary export -g g.tsv --format=csv -o g.csv
cmp stdout.csv g.csv || fail "glossary export to stdout and to -o differ"

# '--' ends the options: a file named like one is an operand
cp samples/000_93b72168ab574deb.txt ./-q
ok "$B" align -o dash -- -q
[ -s dash/pairs.jsonl ] || fail "align -- -q: the file -q not aligned"
grep -q '"file":"-q"' dash/pairs.jsonl || fail "align -- -q: not read as a file"
"$B" lookup -- -x > out.txt 2> err.txt; rc=$?
[ "$rc" -eq 1 ] || fail "lookup -- -x: exit $rc, want 1 (not found)"
grep -q "unknown option" err.txt && fail "lookup -- -x: -x read as an option"

# ---- usage errors: on stderr, exit 2, one way for all ----------------------
expect2() {
    "$@" > out.txt 2> err.txt; rc=$?
    [ "$rc" -eq 2 ] || fail "'$*': exit $rc, want 2"
    [ -s out.txt ] && fail "'$*': wrote on stdout"
    grep -q "^bitext: " err.txt || fail "'$*': no 'bitext: ' message"
    grep -q "^Try 'bitext .*--help' for more information" err.txt || fail "'$*': no hint"
}
for cmd in align check lookup "glossary export" "glossary merge" "tmx validate" "tmx stats" "tmx merge"; do
    # shellcheck disable=SC2086
    expect2 "$B" $cmd --no-such-option x
    grep -q "unknown option '--no-such-option'" err.txt || { cat err.txt; fail "$cmd: message"; }
    # shellcheck disable=SC2086
    expect2 "$B" $cmd x -Z
    grep -q "unknown option '-Z'" err.txt || { cat err.txt; fail "$cmd -Z: message"; }
done
expect2 "$B" align samples -o
grep -q "option '-o' needs a value" err.txt || fail "align -o at the end: message"
expect2 "$B" check samples --output
grep -q "option '--output' needs a value" err.txt || fail "check --output at the end: message"
expect2 "$B" check --quiet=yes samples
grep -q "option '--quiet' takes no value" err.txt || fail "--quiet=yes: message"
expect2 "$B" check -qxj2 samples
grep -q "unknown option '-x'" err.txt || fail "-qxj2: message"
expect2 "$B" align --pair danvan.vi.txt
expect2 "$B" --no-such-option
expect2 "$B" frobnicate

# ---- --version and -V at every level ----------------------------------------
version=$("$B" --version) || fail "--version: exit $?"
case $version in "bitext "[0-9]*) ;; *) fail "--version printed '$version'" ;; esac
for cmd in "" align check lookup glossary "glossary export" "glossary merge"            tmx "tmx validate" "tmx stats" "tmx merge"; do
    for v in -V --version; do
        # shellcheck disable=SC2086
        out=$("$B" $cmd $v 2>err.txt) || fail "bitext $cmd $v: exit $?"
        [ "$out" = "$version" ] || fail "bitext $cmd $v printed '$out'"
        [ -s err.txt ] && fail "bitext $cmd $v wrote on stderr"
    done
done
# after operands too, as any option
out=$("$B" tmx validate merged.tmx -V) || fail "tmx validate FILE -V: exit $?"
[ "$out" = "$version" ] || fail "tmx validate FILE -V printed '$out'"

# ---- -h/--help everywhere; bitext help CMD = bitext CMD --help ---------------
for cmd in align check lookup glossary "glossary export" "glossary merge"            tmx "tmx validate" "tmx stats" "tmx merge"; do
    # shellcheck disable=SC2086
    "$B" $cmd --help > help1.txt 2> err.txt || fail "$cmd --help: exit $?"
    [ -s err.txt ] && fail "$cmd --help wrote on stderr"
    grep -q '^usage: bitext ' help1.txt || fail "$cmd --help: no usage line"
    # shellcheck disable=SC2086
    "$B" $cmd -h > help2.txt || fail "$cmd -h: exit $?"
    cmp -s help1.txt help2.txt || fail "$cmd: -h and --help differ"
    # shellcheck disable=SC2086
    "$B" help $cmd > help3.txt || fail "help $cmd: exit $?"
    cmp -s help1.txt help3.txt || fail "bitext help $cmd differs from bitext $cmd --help"
done
"$B" align --help | grep -q -- '--pair VI EN' || fail "align --help lacks --pair VI EN"
"$B" help > h1.txt && "$B" --help > h2.txt && "$B" -h > h3.txt || fail "top-level help: exit"
cmp -s h1.txt h2.txt && cmp -s h1.txt h3.txt || fail "top-level help, --help and -h differ"
"$B" help frobnicate > out.txt 2> err.txt; [ $? -eq 2 ] || fail "help frobnicate: exit $?"
exit 0
