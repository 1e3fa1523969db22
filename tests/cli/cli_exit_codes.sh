#!/bin/sh
# Exit codes as grep and diff use them, the same for every command:
# 0 success, 1 a negative answer (check: findings; lookup: a term not
# found; tmx validate: a file invalid), 2 trouble (usage error, unreadable
# input, write error), and 2 wins over 1.
set -u
fail() { echo "FAIL: $*"; exit 1; }
B=$BITEXT
cp -r "$TOP/corpus/samples" samples
# want CODE CMD...: CMD exits CODE; its stdout in out.txt, stderr in err.txt
want() {
    code=$1; shift
    "$@" > out.txt 2> err.txt; rc=$?
    [ "$rc" -eq "$code" ] || { cat err.txt; fail "'$*': exit $rc, want $code"; }
}

cat > clean.txt <<'TXT'
Leaders meet voters

Đồng chí Nguyễn Xuân Sơn - Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh phát biểu. Ảnh: Mai Hoa
Comrade Nguyen Xuan Son - Standing Deputy Secretary of the Provincial Party Committee, Chairman of the Provincial People's Council spoke at the meeting. Photo: Mai Hoa
TXT
cat > finding.txt <<'TXT'
The Central Committee for Mass Mobilization held a conference.

Truong Thi Mai - Politburo member, Head of the Central Mass Mobilization Commission spoke.
TXT

# ---- check: 0 clean, 1 findings, 2 trouble (findings or not) ----------------
want 0 "$B" check -o r0 clean.txt
want 1 "$B" check -o r1 finding.txt
want 1 "$B" check -o r1s samples
want 2 "$B" check /nope
grep -q "/nope" err.txt || fail "check /nope: not named"
[ -e bitext-out ] && fail "check /nope wrote a report of nothing"
want 2 "$B" check -o r2 finding.txt /nope
grep -q '"files": 1' r2/consistency.json || fail "check: the readable input not checked"
want 2 "$B" check -o r3 clean.txt /nope
want 2 "$B" check
want 2 "$B" check -j 0 clean.txt
# a bad line is reported and skipped: no trouble, as in align
printf 'Hội nghị tại Hà Tĩnh.\nbad \377\376 line\nConference in Ha Tinh.\n' > badline.txt
want 0 "$B" check -o r4 badline.txt
grep -q "badline.txt:2: " err.txt || fail "check: the bad line not reported"

# ---- align: 0, or 2 with the good inputs still aligned ----------------------
want 0 "$B" align -q -o a0 samples
want 2 "$B" align -q -o a1 samples /nope
grep -q "/nope" err.txt || fail "align /nope: not named"
cmp a0/memory.tmx a1/memory.tmx || fail "align: good inputs not aligned beside a bad one"
want 2 "$B" align -q -o a2 /nope
want 2 "$B" align -q
want 0 "$B" align -q -o a3 badline.txt clean.txt

# ---- --encoding nonsense: one usage error, before any file is read ----------
for cmd in align check; do
    want 2 "$B" $cmd --encoding nonsense -o e samples /nope clean.txt
    [ "$(grep -c . err.txt)" -eq 2 ] || { cat err.txt; fail "$cmd --encoding nonsense: not one error"; }
    grep -q "^bitext: unknown encoding 'nonsense'" err.txt || fail "$cmd: message"
    grep -q "^Try 'bitext $cmd --help'" err.txt || fail "$cmd --encoding: not a usage error"
    [ -e e ] && fail "$cmd --encoding nonsense wrote outputs"
done
want 0 "$B" align -q --encoding windows-1258 -o e2 clean.txt

# ---- lookup: 0 all found, 1 a term not found, 2 trouble ----------------------
want 0 "$B" lookup "Phó Chủ tịch UBND tỉnh"
want 1 "$B" lookup "Phó Chủ tịch UBND tỉnh" "zzqq xxyy"
want 1 "$B" lookup "zzqq xxyy"
want 2 "$B" lookup -g /nope.tsv "Phó Chủ tịch UBND tỉnh"
want 2 "$B" lookup

# ---- tmx: validate 1 invalid, 2 unreadable; stats/merge 2 unreadable ---------
want 0 "$B" tmx validate a0/memory.tmx
want 1 "$B" tmx validate "$TOP/tests/data/tmx/invalid.tmx"
want 2 "$B" tmx validate /nope.tmx
want 2 "$B" tmx validate "$TOP/tests/data/tmx/invalid.tmx" /nope.tmx
want 2 "$B" tmx stats /nope.tmx
want 2 "$B" tmx merge -o m.tmx a0/memory.tmx /nope.tmx
want 0 "$B" tmx merge -q -o m.tmx a0/memory.tmx

# ---- glossary: 0, or 2 --------------------------------------------------------
want 0 "$B" glossary merge -o g.tsv a0/glossary.tsv
want 2 "$B" glossary merge -o g.tsv /nope.tsv
want 2 "$B" glossary export -g /nope.tsv

# ---- a write error on stdout is trouble, said once ---------------------------
# full CMD...: CMD > /dev/full exits 2 with one message about stdout
full() {
    "$B" "$@" > /dev/full 2> err.txt; rc=$?
    [ "$rc" -eq 2 ] || fail "'$*' > /dev/full: exit $rc, want 2"
    [ "$(grep -c 'standard output' err.txt)" -eq 1 ] ||
        { cat err.txt; fail "'$*' > /dev/full: not one message"; }
}
if [ -w /dev/full ]; then
    full tmx stats a0/memory.tmx
    full tmx validate a0/memory.tmx
    full lookup "Phó Chủ tịch UBND tỉnh"
    full lookup --format json "Phó Chủ tịch UBND tỉnh"
    full glossary export
    full glossary export --format tbx
    full check -o r5 samples
    full --help
    full align --help
    full --version
    full check -V
fi
exit 0
