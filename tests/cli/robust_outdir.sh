#!/bin/sh
# issue 17, item 3: two `align -o SAME` at once could leave a mixed set
# (pairs.jsonl of one run, memory.tmx and the glossaries of the other),
# both exiting 0. Now an output directory is used by one run at a time
# (DIR/.bitext.lock, flock) and a run's outputs are committed as a set by
# DIR/manifest.json, written last with each output's size and CRC-32.
fail() { echo "FAIL: $*"; exit 1; }
B=${BITEXT:?}
S=${TOP:?}/corpus/samples

mkdir a b
cp "$S"/000_*.txt "$S"/001_*.txt a/
cp "$S"/002_*.txt "$S"/003_*.txt "$S"/004_*.txt b/

# manifest_matches DIR: every output named in DIR/manifest.json is there
# with its size and CRC-32
manifest_matches() {
    python3 - "$1" <<'PY'
import json, sys, zlib, os
d = sys.argv[1]
m = json.load(open(os.path.join(d, "manifest.json")))
assert m["complete"] is True
names = [o["file"] for o in m["outputs"]]
assert names == ["pairs.jsonl", "memory.tmx", "glossary.tsv", "glossary.tbx", "glossary.txt"], names
for o in m["outputs"]:
    data = open(os.path.join(d, o["file"]), "rb").read()
    if len(data) != o["bytes"] or "%08x" % zlib.crc32(data) != o["crc32"]:
        sys.exit("%s: not the file the manifest names" % o["file"])
PY
}

# second_run_refused: a run holds the directory; the second stops, exit 2,
# and leaves the first run's outputs as they were
"$B" align -q -o out a || fail "first run"
manifest_matches out || fail "manifest of a plain run"
cp -a out before
flock out/.bitext.lock sh -c "echo 4242 > out/.bitext.lock; \"$B\" align -q -o out b" 2> e
rc=$?
[ "$rc" -eq 2 ] || fail "second run: exit $rc, not 2"
grep -q "output directory 'out' is in use by another bitext run (pid 4242)" e ||
    fail "message: $(cat e)"
diff -r -x .bitext.lock before out > /dev/null || fail "the refused run changed the outputs"
flock out/.bitext.lock sh -c "\"$B\" check -q -o out b" 2> e
[ $? -eq 2 ] || fail "check in a held directory: not exit 2"
grep -q "in use by another bitext run" e || fail "check message: $(cat e)"

# concurrent_runs_one_set: two runs started together on one directory, ten
# times: each ends with exit 0 or the message (exit 2), and what is left
# is always one run's set, as its manifest says
i=0; overlap=0
while [ "$i" -lt 10 ]; do
    rm -rf same
    "$B" align -q -o same a 2> e1 & p1=$!
    "$B" align -q -o same b 2> e2 & p2=$!
    wait "$p1"; r1=$?
    wait "$p2"; r2=$?
    for r in "$r1:e1" "$r2:e2"; do
        case $r in
        0:*) ;;
        2:*) grep -q "in use by another bitext run" "${r#*:}" ||
                 fail "trial $i: exit 2 for another reason: $(cat "${r#*:}")" ;;
        *) fail "trial $i: exit ${r%%:*}" ;;
        esac
    done
    [ "$r1" -eq 0 ] || [ "$r2" -eq 0 ] || fail "trial $i: neither run wrote"
    manifest_matches same || fail "trial $i: a mixed set"
    [ -e same/.bitext.lock ] && fail "trial $i: lock file left"
    [ "$r1" -ne "$r2" ] && overlap=$((overlap + 1))
    i=$((i + 1))
done

echo "concurrent trials where one run was refused: $overlap of 10"

# killed_while_writing_no_manifest: the manifest goes before the first
# output is replaced, so a set without one is known as incomplete
rm -f out/manifest.json
"$B" align -q -o out a || fail "run after removing the manifest"
[ -f out/manifest.json ] || fail "no manifest after a complete run"
exit 0
