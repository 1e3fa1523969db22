#!/bin/sh
# Every example of the man page's EXAMPLES section runs, as written, and
# exits with the status the page gives it, so the page cannot drift from
# the program. An example is a line starting "bitext " inside a .EX/.EE
# block; a comment line '.\" exit N' just before it says it exits N
# (0 otherwise). The commands run in order (later ones read what earlier
# ones wrote) from a directory laid out as the source tree.
set -u
fail() { echo "FAIL: $*"; exit 1; }
PAGE=$TOP/docs/bitext.1
mkdir -p corpus tests/data
cp -r "$TOP/corpus/samples" corpus/samples
cp -r "$TOP/tests/data/pairs" tests/data/pairs
cp -r "$TOP/tests/data/review" tests/data/review

# one "STATUS<TAB>COMMAND" line per example, roff escapes undone
awk '
    /^\.SH /     { in_ex = ($0 ~ /^\.SH "?EXAMPLES"?$/); next }
    !in_ex       { next }
    /^\.EX/      { block = 1; status = 0; next }
    /^\.EE/      { block = 0; next }
    !block       { next }
    /^\.\\" exit [0-9]+$/ { status = $3; next }
    /^bitext /   { print status "\t" $0; status = 0; next }
    { print "bad example line: " $0 > "/dev/stderr"; bad = 1 }
    END { exit bad }
' "$PAGE" > examples.raw || fail "an example block holds a line that is not a command"
sed -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g' -e 's/\\&//g' -e 's/\\e/\\/g' \
    examples.raw > examples
n=0
tab=$(printf '\t')
while IFS=$tab read -r want cmd; do
    n=$((n + 1))
    eval "\"\$BITEXT\"${cmd#bitext}" > out.txt 2> err.txt < /dev/null
    rc=$?
    [ "$rc" -eq "$want" ] || { cat out.txt err.txt; fail "'$cmd': exit $rc, the page says $want"; }
    echo "ok ($rc) $cmd"
done < examples
[ "$n" -ge 10 ] || fail "only $n examples found in $PAGE"
# the section the page promises: exit statuses other than 0 are tried too
grep -q '^[12]	' examples || fail "no example with a non-zero status"
exit 0
