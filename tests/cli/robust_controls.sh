# What XML cannot hold never reaches a TMX or TBX raw: C0 controls, DEL,
# C1 controls, U+FFFE/U+FFFF and other noncharacters in the input are
# replaced and reported with file:line and counted in the summary; a lone
# surrogate (UTF-8 ED A0 80, or UTF-16) drops its line with a message. The
# outputs stay well-formed XML (xmllint) and hold no raw control byte. The
# same for TMX and TBX that come in with such characters (merge, export),
# and for a TSV glossary: its rows reach the terminal through `lookup`.
set -u
status=0
fail() { echo "$*"; status=1; }
printf 'Đồng chí Nguyễn Xuân Sơn\001 phát biểu\033[0m. Ảnh: Mai Hoa\nComrade Nguyen Xuan Son\177 speaks \357\277\276\302\205. Photo: Mai Hoa\n\nHội nghị \357\267\220tại Hà Tĩnh \357\277\277. Ảnh: Thanh Hà\nConference at Ha Tinh bridge\302\233. Photo: Thanh Ha\nsurrogate \355\240\200 here\n' > c.txt
printf '\377\376S\000u\000r\000=\330\n\000' > s16.txt
"$BITEXT" align -o o c.txt s16.txt 2> err.txt; rc=$?
cat err.txt
[ "$rc" -eq 0 ] || fail "exit $rc, want 0 (repaired lines are problems, not failures)"
for l in 1 2 4 5; do
    grep -Eq "^bitext: c.txt:$l: (control character|noncharacter) U\+[0-9A-F]* replaced" err.txt || fail "c.txt:$l not reported"
done
grep -q "^bitext: c.txt:6: invalid UTF-8" err.txt || fail "c.txt:6 (surrogate) not reported"
grep -q "^bitext: s16.txt:1: " err.txt || fail "s16.txt:1 (UTF-16 lone surrogate) not reported"
grep -q "; 6 problems;" err.txt || fail "summary does not count 6 problems"
grep -q 'Comrade Nguyen Xuan Son speaks' o/memory.tmx || fail "repaired line not kept"

raw_controls() { LC_ALL=C grep -l "$(printf '[\001-\010\013\014\016-\037\177]')" "$@"; }
nonchars() { LC_ALL=C grep -l "$(printf '\357\277[\276\277]\\|\302[\200-\237]\\|\357\267[\220-\257]')" "$@"; }
check_outputs() {
    for f in "$@"; do
        [ -f "$f" ] || { fail "$f missing"; continue; }
        case $f in *.tmx|*.tbx) xmllint --noout "$f" 2>/dev/null || fail "$f: not well-formed XML" ;; esac
    done
    [ -z "$(raw_controls "$@")" ] || fail "raw control character in: $(raw_controls "$@")"
    [ -z "$(nonchars "$@")" ] || fail "noncharacter or C1 control in: $(nonchars "$@")"
}
command -v xmllint >/dev/null || xmllint() { return 0; }
check_outputs o/memory.tmx o/glossary.tbx o/glossary.tsv o/pairs.jsonl

# ---- XML that comes in with them: character references and raw bytes ----------
cat > in.tmx <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="vi" datatype="plaintext"/><body>
<tu><tuv xml:lang="vi"><seg>Chủ tịch &#xFFFE;nước</seg></tuv><tuv xml:lang="en"><seg>President&#x85;</seg></tuv></tu>
<tu><tuv xml:lang="vi"><seg>Thủ tướng</seg></tuv><tuv xml:lang="en"><seg>Prime Minister</seg></tuv></tu>
</body></tmx>
EOF
"$BITEXT" tmx merge -o merged.tmx in.tmx 2> err.txt; rc=$?
cat err.txt
[ "$rc" -le 2 ] || fail "tmx merge: exit $rc"
[ -f merged.tmx ] && check_outputs merged.tmx
printf 'Chủ tịch\001 nước\tPresident\357\277\277\ttitle\t1\ta.txt:1\nThủ tướng\tPrime Minister\n' > in.tsv
"$BITEXT" glossary export -g in.tsv -o out.tbx 2> err.txt; rc=$?
cat err.txt
[ "$rc" -le 2 ] || fail "glossary export: exit $rc"
[ -f out.tbx ] && check_outputs out.tbx
# ... nor a terminal: a glossary's ESC sequences must not reach the screen
# through `lookup`, nor another tool through an exported TSV
"$BITEXT" glossary export -g in.tsv -o out.tsv 2> err.txt
[ -f out.tsv ] && check_outputs out.tsv
printf 'Chủ tịch nước\tPresident\033[31m RED\001\ttitle\t1\ta.txt:1\n' > esc.tsv
"$BITEXT" lookup --no-index-write -g esc.tsv "Chủ tịch nước" > lookup.txt 2> err.txt
"$BITEXT" lookup --no-index-write --format tsv -g esc.tsv "Chủ tịch nước" > lookup.tsv 2>> err.txt
check_outputs lookup.txt lookup.tsv
# XML 1.0 allows C1 controls (U+009B is CSI to an 8-bit terminal): from a TBX
# they must not pass either
printf '<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX-Basic" xml:lang="en"><text><body>\n<termEntry id="e1"><descrip type="subjectField">title</descrip><langSet xml:lang="vi"><tig><term>Chủ tịch\302\233 nước</term></tig></langSet><langSet xml:lang="en"><tig><term>President\302\222</term></tig></langSet></termEntry>\n</body></text></martif>\n' > c1.tbx
"$BITEXT" lookup --no-index-write -g c1.tbx "Chủ tịch nước" > lookup-tbx.txt 2> err.txt
"$BITEXT" glossary export -g c1.tbx -o c1.tsv 2>> err.txt
check_outputs lookup-tbx.txt c1.tsv
exit $status
