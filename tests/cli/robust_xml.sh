# Hostile XML through every command that reads it (tmx validate, stats,
# merge; lookup -g and glossary export/merge on a TBX): an external entity
# naming /etc/passwd or a URL, a parameter entity, an external DTD, an
# XInclude, a billion laughs, a 50-level-deep <seg> (TMX lets <hi> nest:
# read, not refused), and UTF-16 with and
# without a BOM. Nothing is fetched or opened but the file itself (checked
# with strace when it is installed: no socket, no open of /etc/passwd or of
# the DTD), no content of /etc/passwd comes out, each command ends quickly,
# and UTF-16 reads to the same units as UTF-8.
set -u
status=0
fail() { echo "$*"; status=1; }
C=$TOP/tests/fuzz/corpus
for f in xxe-file xxe-url xxe-parameter-entity external-dtd xinclude billion-laughs \
         seg-50-deep utf16-bom utf16-no-bom; do
    tail -c +2 "$C/tmx/seed-$f" > "$f.tmx"     # the first byte is the harness's
done
for f in tbx-xxe tbx-billion-laughs tbx-utf16-bom; do
    tail -c +2 "$C/gloss/seed-$f" > "$f.tbx"
done
HOSTILE_TMX="xxe-file.tmx xxe-url.tmx xxe-parameter-entity.tmx external-dtd.tmx xinclude.tmx billion-laughs.tmx seg-50-deep.tmx"
HOSTILE_TBX="tbx-xxe.tbx tbx-billion-laughs.tbx"

TRACE=
command -v strace >/dev/null && strace -o /dev/null true 2>/dev/null && TRACE=1
# x LABEL ARGS...: run bitext (traced), at most 10 s; output in out.txt/err.txt
x() {
    label=$1
    shift
    if [ -n "$TRACE" ]; then
        # LeakSanitizer cannot run under ptrace: leaks are checked untraced
        ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
        timeout -s KILL 10 strace -f -qq -e trace=open,openat,socket,connect -o trace.txt \
            "$BITEXT" "$@" > out.txt 2> err.txt
    else
        timeout -s KILL 10 "$BITEXT" "$@" > out.txt 2> err.txt
    fi
    rc=$?
    [ "$rc" -eq 137 ] && fail "$label: did not end in 10 s"
    grep -q 'root:' out.txt err.txt && fail "$label: /etc/passwd content came out"
    for arg in "$@"; do
        [ -f "$arg" ] && grep -q 'root:' "$arg" && fail "$label: /etc/passwd content in $arg"
    done
    if [ -n "$TRACE" ]; then
        grep -E 'socket\(|connect\(' trace.txt && fail "$label: opened a socket"
        grep -E '"/etc/passwd"|"http|tmx14\.dtd' trace.txt && fail "$label: opened what the XML names"
    fi
    return 0
}

# ---- TMX utilities ------------------------------------------------------------
x validate tmx validate $HOSTILE_TMX
[ "$rc" -eq 1 ] || fail "validate: exit $rc, want 1"
for f in xxe-file xxe-url xxe-parameter-entity billion-laughs; do
    grep -q "^bitext: $f.tmx:[0-9]*: " err.txt || fail "validate: $f.tmx not reported with a line"
done
sed 's/^/    /' err.txt
for f in $HOSTILE_TMX; do
    x "stats $f" tmx stats "$f"
    x "merge $f" tmx merge -o "merged-$f" "$f"
done

# ---- TBX glossaries -------------------------------------------------------------
for f in $HOSTILE_TBX; do
    x "lookup $f" lookup --no-index-write -g "$f" "passwd"
    [ "$rc" -ne 0 ] || fail "lookup $f: exit 0"
    x "export $f" glossary export -g "$f" -o "exported-$f.tsv"
    x "merge $f" glossary merge -o "merged-$f.tsv" "$f" "$f"
    [ "$rc" -eq 2 ] || fail "glossary merge $f: exit $rc, want 2"
    grep -q "^bitext: $f:[0-9]*: " err.txt || fail "glossary merge: $f not named with a line"
done

# ---- UTF-16 reads as what it says, or is refused clearly -----------------------
cp "$TOP/tests/data/tmx/sample.tmx" utf8.tmx
"$BITEXT" tmx merge -o m8.tmx utf8.tmx 2>/dev/null || fail "merge of the UTF-8 sample failed"
for f in utf16-bom utf16-no-bom; do
    x "$f" tmx merge -o "m-$f.tmx" "$f.tmx"
    if [ "$rc" -eq 0 ]; then
        # the same segments as from the UTF-8 file
        grep '<seg>' m8.tmx > a.txt
        grep '<seg>' "m-$f.tmx" > b.txt
        cmp -s a.txt b.txt || fail "$f: read otherwise than its UTF-8 twin"
    else
        grep -q "^bitext: $f.tmx" err.txt || fail "$f: refused without naming the file"
    fi
done
x tbx-utf16 lookup --no-index-write -g tbx-utf16-bom.tbx "Chủ tịch HĐND tỉnh"
[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || fail "tbx-utf16: exit $rc"
exit $status
