#!/bin/sh
# bitext tmx validate: exit 0 for a valid memory, 1 for an invalid or
# unreadable one, every problem as 'bitext: FILE:LINE: message'.
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
B=$BITEXT
D=$TOP/tests/data/tmx

$B tmx validate "$D/sample.tmx" > out.txt 2> err.txt || { cat err.txt; fail "sample.tmx: exit $?"; }
[ ! -s err.txt ] || fail "a valid file gave messages"
grep -q 'sample.tmx: valid TMX 1.4, 6 units' out.txt || fail "no summary on stdout"
$B tmx validate -q "$D/sample.tmx" > out.txt || fail "-q: exit $?"
[ ! -s out.txt ] || fail "-q printed"

# What the writer produces is valid, gzip'd too.
$B tmx merge -q -o m.tmx "$D/sample.tmx" || fail "merge failed"
gzip -c m.tmx > m.tmx.gz
$B tmx validate -q m.tmx m.tmx.gz || fail "writer output invalid"

$B tmx validate "$D/invalid.tmx" > out.txt 2> err.txt
[ $? -eq 1 ] || fail "invalid.tmx: expected exit 1"
# every message carries a line number; the summary is on stdout
grep -v '^bitext: [^:]*invalid.tmx:[0-9][0-9]*: ' err.txt &&
    fail "a message without FILE:LINE"
grep -q 'invalid.tmx: invalid, 8 problems$' out.txt || { cat out.txt; fail "no summary"; }
for want in \
    'invalid.tmx:2: <tmx> version is .1.1., expected .1.4.' \
    'invalid.tmx:3: <header> lacks the required attribute srclang' \
    'invalid.tmx:3: <header> lacks the required attribute creationtoolversion' \
    'invalid.tmx:6: <tuv> has lang="vi" (TMX 1.1) but no xml:lang' \
    'invalid.tmx:9: <tu> has 1 <tuv>, at least 2 needed' \
    'invalid.tmx:13: <b> is not allowed in <seg>' \
    'invalid.tmx:17: <tuv> has no <seg>' \
    'invalid.tmx:20: <prop> after a <tuv>'; do
    grep -q "$want" err.txt || { cat err.txt; fail "missing: $want"; }
done

# Not well-formed: the parser's message, with its line.
printf '<?xml version="1.0"?>\n<tmx version="1.4">\n<body>\n<tu>\x01</tu>\n' > bad.tmx
$B tmx validate bad.tmx 2> err.txt
[ $? -eq 1 ] || fail "bad.tmx: expected exit 1"
grep -q '^bitext: bad.tmx:4: ' err.txt || { cat err.txt; fail "no line for a parse error"; }

# Missing file: exit 2 (trouble, not the 1 of "invalid"), one message.
$B tmx validate nope.tmx 2> err.txt
[ $? -eq 2 ] || fail "missing file: expected exit 2"
grep -q "^bitext: nope.tmx: cannot open" err.txt || { cat err.txt; fail "no message for a missing file"; }

# Hostile input is refused, and said so.
cat > xxe.tmx <<'X'
<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="vi" datatype="plaintext"/>
<body><tu><tuv xml:lang="vi"><seg>&x;</seg></tuv><tuv xml:lang="en"><seg>e</seg></tuv></tu></body></tmx>
X
$B tmx validate xxe.tmx 2> err.txt
[ $? -eq 1 ] || fail "xxe.tmx accepted"
grep -q 'xxe.tmx:[0-9]*: DOCTYPE declares entities' err.txt || { cat err.txt; fail "xxe not named"; }
grep -q 'root:' err.txt && fail "/etc/passwd leaked"
exit 0
