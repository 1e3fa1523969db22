#!/bin/sh
# Write the seed inputs of every harness into tests/fuzz/corpus/NAME/ as
# seed-*: real-looking inputs (the sample articles, the files `bitext
# align` writes) and hostile ones. Crash regressions (crash-*) found by
# `make fuzz` are saved beside them by hand and never rewritten here.
#
#     BITEXT=./bitext REPLAY_LOOKUP=build/fuzz/replay_lookup sh tests/fuzz/make_seeds.sh
#
# The first byte of every seed is the harness's option byte (see the head
# comment of tests/fuzz/fuzz_NAME.c).
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
: "${BITEXT:=$TOP/bitext}" "${REPLAY_LOOKUP:=$TOP/build/fuzz/replay_lookup}"
C=$TOP/tests/fuzz/corpus
S=$TOP/corpus/samples
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for h in corpus gzip align tmx gloss lookup; do
    mkdir -p "$C/$h"
    rm -f "$C/$h"/seed-*
done

# seed HARNESS NAME MODE-BYTES: the mode bytes (printf format), then stdin.
seed() {
    { printf "$3"; cat; } > "$C/$1/seed-$2"
}

# ---- what bitext itself writes: a memory and a glossary --------------------
"$BITEXT" align -q -o "$tmp/out" "$S" >/dev/null 2>&1
first=$(ls "$S" | head -1)

# ---- corpus: bytes to lines -------------------------------------------------
for f in "$S"/*.txt; do
    seed corpus "sample-$(basename "$f" .txt)" '\000' < "$f"
done
seed corpus max-line-16 '\004' < "$S/$first"
seed corpus max-line-80 '\010' < "$S/$first"
seed corpus max-file-4096 '\060' < "$S/$first"
head -c 3000 "$S/$first" | iconv -f UTF-8 -t WINDOWS-1258 -c | seed corpus windows-1258 '\001'
head -c 2000 "$S/$first" | iconv -f UTF-8 -t UTF-16 | seed corpus utf16-bom-sniffed '\000'
head -c 2000 "$S/$first" | iconv -f UTF-8 -t UTF-16 | seed corpus utf16-named '\002'
head -c 2000 "$S/$first" | iconv -f UTF-8 -t UTF-16BE | seed corpus utf16be-no-bom '\002'
printf '\377\376=\330A\000\n\000' | seed corpus utf16-lone-high-surrogate '\000'
printf '\377\376A\000\000\334\n\000' | seed corpus utf16-lone-low-surrogate '\002'
printf '\377\376A\000B' | seed corpus utf16-odd-length '\000'
printf '\357\273\277Đồng chí Nguyễn Xuân Sơn. Ảnh: Mai Hoa\r\nComrade Nguyen Xuan Son. Photo: Mai Hoa\r\n' |
    seed corpus bom-crlf '\000'
printf 'Nguye\314\202\314\203n Xua\314\202n So\314\233n\nthuy\314\211 hoa\314\200\n' | seed corpus nfd '\000'
printf 'a\300\257b\nc\355\240\200d\ne\364\220\200\200f\ng\341\200\nh\370\210\200\200\200\n' |
    seed corpus invalid-utf8 '\000'
printf 'bell\007 esc\033[0m del\177 nel\302\205 c1\302\233\ntab\tok\n' | seed corpus control-chars '\000'
printf 'U+FFFE \357\277\276 U+FFFF \357\277\277 U+FDD0 \357\267\220 U+1FFFE \360\237\277\276\n' |
    seed corpus noncharacters '\000'
printf 'one\rtwo\r\rthree\n\rfour\r\n' | seed corpus lone-cr '\000'
# NFC longer than the line: U+FB2C (3 code points) and U+0344 (2), 20 each
i=0; while [ $i -lt 20 ]; do printf '\357\254\254\314\204'; i=$((i+1)); done | seed corpus nfc-expands '\000'
printf 'abc\000def\nghi\n' | seed corpus nul-byte '\000'
printf '' | seed corpus empty '\000'
printf '\357\273\277' | seed corpus bom-only '\000'
printf '\357\273\277\357\273\277two boms\n' | seed corpus two-boms '\000'
gzip -9n < "$S/$first" | seed corpus gzip-in-buffer '\000'
gzip -9n < "$S/$first" | head -c 200 | seed corpus gzip-truncated '\000'
printf 'x\201\n' | seed corpus windows-1258-undefined '\001'

# ---- gzip: a file through bt_doc_read -------------------------------------
seed gzip plain '\000\000' < "$S/$first"
seed gzip gzipped '\001\000' < "$S/$first"
seed gzip gzip-cut-half '\002\200' < "$S/$first"
seed gzip gzip-cut-header '\002\004' < "$S/$first"
seed gzip gzip-flipped '\003\100' < "$S/$first"
seed gzip gzip-flipped-trailer '\003\376' < "$S/$first"
seed gzip two-members '\005\000' < "$S/$first"
seed gzip trailing-garbage '\011\000' < "$S/$first"
seed gzip max-file '\101\000' < "$S/$first"
head -c 3000 "$S/$first" | iconv -f UTF-8 -t WINDOWS-1258 -c | seed gzip gzipped-windows-1258 '\021\000'
head -c 2000 "$S/$first" | iconv -f UTF-8 -t UTF-16 | seed gzip gzipped-utf16 '\001\000'
gzip -9n < "$S/$first" | head -c 20 | seed gzip raw-truncated-gzip '\000\000'
printf '\037\213' | seed gzip raw-magic-only '\000\000'
printf '' | seed gzip gzipped-empty '\001\000'
# a gzip bomb in miniature: 8 MB of zeros, to hit max_file
head -c 8388608 /dev/zero | tr '\0' 'a' | gzip -9n | seed gzip raw-bomb '\000\000'

# ---- align: captions and whole texts ----------------------------------------
for f in "$S"/*.txt; do
    seed align "captions-$(basename "$f" .txt)" '\000' < "$f"
done
seed align captions-window-1 '\002' < "$S/$first"
for c in "$TOP"/tests/data/align/*.case; do
    sed -n '/^--- input$/,/^--- expect$/p' "$c" | sed '1d;$d' |
        seed align "case-$(basename "$c" .case)" '\000'
done
if [ -f "$TOP/tests/data/pairs/danvan.vi.txt" ]; then
    for p in danvan kinhte; do
        { cat "$TOP/tests/data/pairs/$p.vi.txt"; printf '\000'; cat "$TOP/tests/data/pairs/$p.en.txt"; } |
            seed align "texts-$p" '\001'
        { cat "$TOP/tests/data/pairs/$p.vi.txt"; printf '\000'; cat "$TOP/tests/data/pairs/$p.en.txt"; } |
            seed align "texts-$p-no-anchors-no-learn" '\061'
    done
fi
printf 'Đồng chí Nguyễn Xuân Sơn - Phó Bí thư Thường trực Tỉnh ủy. Ảnh: Mai Hoa\nComrade Nguyen Xuan Son - Standing Deputy Secretary\001 of the Provincial Party Committee \357\277\276. Photo: Mai Hoa\n' |
    seed align control-in-caption '\000'

# ---- tmx: XML from other tools ----------------------------------------------
seed tmx sample '\000' < "$TOP/tests/data/tmx/sample.tmx"
seed tmx invalid '\000' < "$TOP/tests/data/tmx/invalid.tmx"
seed tmx sample-gzipped '\001' < "$TOP/tests/data/tmx/sample.tmx"
seed tmx sample-merge-after-good '\004' < "$TOP/tests/data/tmx/sample.tmx"
seed tmx written-by-align '\000' < "$tmp/out/memory.tmx"
seed tmx glossary-tbx '\002' < "$tmp/out/glossary.tbx"
iconv -f UTF-8 -t UTF-16 < "$TOP/tests/data/tmx/sample.tmx" | sed 's/UTF-8/UTF-16/' |
    seed tmx utf16-bom '\000'
iconv -f UTF-8 -t UTF-16LE < "$TOP/tests/data/tmx/sample.tmx" | seed tmx utf16-no-bom '\000'
head -c 900 "$TOP/tests/data/tmx/sample.tmx" | seed tmx truncated '\000'
H='<?xml version="1.0" encoding="UTF-8"?>'
HDR='<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="vi" datatype="plaintext"/>'
tu() { printf '<tu><tuv xml:lang="vi"><seg>%s</seg></tuv><tuv xml:lang="en"><seg>%s</seg></tuv></tu>\n' "$1" "$2"; }
{ printf '%s\n<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<tmx version="1.4">%s<body>' "$H" "$HDR"
  tu '&xxe;' 'passwd'; printf '</body></tmx>\n'; } | seed tmx xxe-file '\000'
{ printf '%s\n<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/x.xml">]>\n<tmx version="1.4">%s<body>' "$H" "$HDR"
  tu '&xxe;' 'url'; printf '</body></tmx>\n'; } | seed tmx xxe-url '\000'
{ printf '%s\n<!DOCTYPE tmx [<!ENTITY %% p SYSTEM "file:///etc/passwd"> %%p;]>\n<tmx version="1.4">%s<body>' "$H" "$HDR"
  tu 'a' 'b'; printf '</body></tmx>\n'; } | seed tmx xxe-parameter-entity '\000'
{ printf '%s\n<!DOCTYPE tmx SYSTEM "http://127.0.0.1:9/tmx14.dtd">\n<tmx version="1.4">%s<body>' "$H" "$HDR"
  tu 'a' 'b'; printf '</body></tmx>\n'; } | seed tmx external-dtd '\000'
{ printf '%s\n<!DOCTYPE tmx [\n<!ENTITY a "aaaaaaaaaa">\n' "$H"
  p=a; for q in b c d e f g h i j; do
      printf '<!ENTITY %s "&%s;&%s;&%s;&%s;&%s;&%s;&%s;&%s;&%s;&%s;">\n' $q $p $p $p $p $p $p $p $p $p $p; p=$q; done
  printf ']>\n<tmx version="1.4">%s<body>' "$HDR"; tu '&j;' 'laughs'; printf '</body></tmx>\n'; } |
    seed tmx billion-laughs '\000'
{ printf '%s\n<tmx version="1.4">%s<body><tu><tuv xml:lang="vi"><seg>' "$H" "$HDR"
  i=0; while [ $i -lt 50 ]; do printf '<hi>'; i=$((i+1)); done; printf 'sâu'
  i=0; while [ $i -lt 50 ]; do printf '</hi>'; i=$((i+1)); done
  printf '</seg></tuv><tuv xml:lang="en"><seg>deep</seg></tuv></tu></body></tmx>\n'; } | seed tmx seg-50-deep '\000'
{ printf '%s\n<tmx version="1.4">%s<body>' "$H" "$HDR"
  i=0; while [ $i -lt 200 ]; do printf '<tu>'; i=$((i+1)); done; printf '</body></tmx>\n'; } |
    seed tmx tu-200-deep-unclosed '\000'
{ printf '%s\n<tmx version="1.4">%s<body>' "$H" "$HDR"
  tu 'ctl &#1; &#x1F; nc &#xFFFE; &#xFFFF;' 'surrogate &#xD800; &#55296;'
  tu 'cdata <![CDATA[a < b & c]]>' 'pi <?php x?> comment <!-- c -->'
  tu '<bpt i="1">&lt;b&gt;</bpt>đậm<ept i="1">&lt;/b&gt;</ept>' '<ph>x</ph>bold'
  printf '</body></tmx>\n'; } | seed tmx char-refs-and-inline '\000'
{ printf '%s\n<tmx version="1.4">%s<body>' "$H" "$HDR"
  printf '<tu xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="/etc/passwd" parse="text"/>'
  printf '<tuv xml:lang="vi"><seg>a</seg></tuv><tuv xml:lang="en"><seg>b</seg></tuv></tu>'
  printf '</body></tmx>\n'; } | seed tmx xinclude '\000'
{ printf '<?xml version="1.0" encoding="windows-1258"?>\n<tmx version="1.4">%s<body>' "$HDR"
  tu 'Vi\352t' 'Viet'; printf '</body></tmx>\n'; } | seed tmx encoding-windows-1258 '\000'
{ printf '%s\n<tmx version="1.4">%s<body>' "$H" "$HDR"
  printf '<tu usagecount="99999999999999999999999"><prop type="x-score">NaN</prop><prop type="x-vi-line">-5</prop>'
  printf '<tuv xml:lang="vi"><seg>a</seg></tuv><tuv xml:lang="en"><seg>b</seg></tuv></tu>'
  printf '<tu><prop type="x-score">1e999</prop><tuv xml:lang="vi-VN"><seg>a</seg></tuv><tuv xml:lang="en-GB"><seg>b</seg></tuv><tuv xml:lang="fr"><seg>c</seg></tuv></tu>'
  printf '<tu><tuv xml:lang="vi"><seg>only one side</seg></tuv></tu>'
  printf '</body></tmx>\n'; } | seed tmx odd-props '\000'

# ---- gloss: TSV and TBX glossaries ------------------------------------------
seed gloss written-tsv '\000' < "$tmp/out/glossary.tsv"
seed gloss written-tbx '\001' < "$tmp/out/glossary.tbx"
printf 'Chủ tịch UBND tỉnh\tChairman of the Provincial People'"'"'s Committee\nNghệ An\tNghe An\tnote\n' |
    seed gloss omegat-two-three-columns '\000'
printf '\357\273\277# header\r\nThu\314\211 ty\314\201\tSecretary\ttitle\t2\ta.txt:1\r\n' | seed gloss bom-crlf-nfd '\000'
printf 'one column only\n\ta\n\t\n\ta\tb\tc\td\te\tf\nx\ty\ttitle\tabc\nx\ty\ttitle\t99999999999999999999999\nx\ty\ttitle\t-1\n\377\376\tbad utf8\n' |
    seed gloss bad-lines '\000'
printf 'ctl\001\tc\033trl\n\357\277\276\tnonchar\n' | seed gloss controls '\000'
T='<?xml version="1.0" encoding="UTF-8"?>'
entry() { printf '<termEntry id="e%s"><descrip type="subjectField">title</descrip><langSet xml:lang="vi"><tig><term>%s</term></tig></langSet><langSet xml:lang="en"><tig><term>%s</term></tig></langSet></termEntry>\n' "$1" "$2" "$3"; }
{ printf '%s\n<martif type="TBX-Basic" xml:lang="en"><martifHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></martifHeader><text><body>\n' "$T"
  entry 1 'tab&#9;inside' 'new&#10;line'; entry 2 'cr&#13;here' 'ctl&#1;&#xFFFE;'; entry 3 '  ' 'blank vi'
  printf '</body></text></martif>\n'; } | seed gloss tbx-tab-newline-in-term '\001'
{ printf '%s\n<tbx style="dca" type="TBX-Basic" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></tbxHeader><text><body>\n' "$T"
  printf '<conceptEntry id="c1"><langSec xml:lang="vi"><termSec><term>Chủ tịch nước</term></termSec></langSec><langSec xml:lang="en"><termSec><term>President</term></termSec></langSec></conceptEntry>\n'
  printf '</body></text></tbx>\n'; } | seed gloss tbx-2019 '\001'
{ printf '%s\n<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<martif type="TBX-Basic"><text><body>' "$T"
  entry 1 '&xxe;' 'passwd'; printf '</body></text></martif>\n'; } | seed gloss tbx-xxe '\001'
{ printf '%s\n<!DOCTYPE martif [\n<!ENTITY a "aaaaaaaaaa">\n' "$T"
  p=a; for q in b c d e f g h i j; do
      printf '<!ENTITY %s "&%s;&%s;&%s;&%s;&%s;&%s;&%s;&%s;&%s;&%s;">\n' $q $p $p $p $p $p $p $p $p $p $p; p=$q; done
  printf ']>\n<martif type="TBX-Basic"><text><body>'; entry 1 '&j;' 'laughs'; printf '</body></text></martif>\n'; } |
    seed gloss tbx-billion-laughs '\001'
iconv -f UTF-8 -t UTF-16 < "$tmp/out/glossary.tbx" | sed 's/UTF-8/UTF-16/' | seed gloss tbx-utf16-bom '\001'

# ---- lookup: terms and index files ------------------------------------------
printf 'Phó Chủ tịch UBND tỉnh' | seed lookup vi-term '\000'
printf 'chu tich hdnd tinh' | seed lookup folded-term '\000'
printf 'Standing Deputy Secretary of the Provincial Party Committee' | seed lookup reverse '\001'
printf 'chu tich hdnd tnh' | seed lookup fuzzy-typo '\026'
printf 'Vice Chairmen of Provincal Peoples Comittee' | seed lookup fuzzy-reverse '\037'
printf 'Pho\314\201 Chu\314\211 ti\314\243ch' | seed lookup nfd '\000'
printf 'hoà thuỷ khoẻ quý Uỷ viên' | seed lookup old-tones '\000'
printf 'UBMTTQ TW BTV UBKT BCH ĐBQH TP. HCM Ð' | seed lookup abbreviations '\000'
printf "the People's People’s People\`s - – — ." | seed lookup apostrophes-dashes '\001'
printf '' | seed lookup empty '\000'
printf '   \t  ' | seed lookup blanks '\002'
printf 'a\377b\300\257 c\355\240\200' | seed lookup invalid-utf8 '\002'
i=0; while [ $i -lt 300 ]; do printf 'UBND '; i=$((i+1)); done | seed lookup many-abbreviations '\002'
i=0; while [ $i -lt 400 ]; do printf 'ủỷ'; i=$((i+1)); done | seed lookup long-word '\036'
FUZZ_SAVE_IDX="$tmp/good.idx" "$REPLAY_LOOKUP" "$C/lookup/seed-vi-term" >/dev/null
seed lookup index-good '\040' < "$tmp/good.idx"
head -c 100 "$tmp/good.idx" | seed lookup index-truncated '\040'
printf 'BTGLIDX1' | seed lookup index-magic-only '\040'
printf '' | seed lookup index-edits-none '\100'
# edits: cut at 0x0070, then rows offset and pool offset bytes overwritten
printf '\000\160\001' | seed lookup index-edit-cut '\100'
printf '\000\000\000\000\110\377\000\111\377\000\130\377\000\140\177' | seed lookup index-edit-offsets '\100'

for h in corpus gzip align tmx gloss lookup; do
    printf '%s: %s seeds\n' "$h" "$(ls "$C/$h" | grep -c '^seed-')"
done
