#!/bin/sh
# bitext tmx: --help on stdout with exit 0, usage errors on stderr with 2.
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
B=$BITEXT

for sub in "" validate stats merge export; do
    # shellcheck disable=SC2086
    $B tmx $sub --help > out.txt 2> err.txt || fail "tmx $sub --help: exit $?"
    grep -q '^usage: bitext tmx' out.txt || fail "tmx $sub --help: no usage on stdout"
    [ ! -s err.txt ] || fail "tmx $sub --help wrote on stderr"
done

expect2() {
    "$@" > out.txt 2> err.txt
    rc=$?
    [ "$rc" -eq 2 ] || fail "'$*': exit $rc, expected 2"
    [ ! -s out.txt ] || fail "'$*': usage error wrote on stdout"
    grep -q '^bitext: ' err.txt || fail "'$*': no 'bitext:' message"
}
expect2 $B tmx
expect2 $B tmx frobnicate
expect2 $B tmx validate
expect2 $B tmx validate --bogus x.tmx
expect2 $B tmx stats
expect2 $B tmx merge a.tmx
expect2 $B tmx merge -o
expect2 $B tmx merge -o out.tmx
expect2 $B tmx merge -o same.tmx same.tmx
expect2 $B tmx export
expect2 $B tmx export -f docx a.tmx
expect2 $B tmx export --min-score 2 a.tmx
expect2 $B tmx export a.tmx b.tmx
exit 0
