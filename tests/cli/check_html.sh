#!/bin/sh
# bitext check writes an HTML report that is one self-contained page:
# xmllint --html finds nothing to say about it, it names no outside
# resource, and headless Chromium renders it to a page that is not blank.
set -u
fail() { echo "FAIL: $*"; exit 1; }

cp -r "$TOP/corpus/samples" samples
"$BITEXT" check -q -o out samples >/dev/null 2>err.txt
[ $? -eq 1 ] || fail "bitext check did not report the seed findings"
html=$PWD/out/consistency.html
[ -s "$html" ] || fail "no consistency.html"

# consistency.json and the page agree on which rendering is official: the
# one the Official column names, and no other (issue 16: a variant whose
# post words agree was marked official beside another Official form)
/usr/bin/python3 - out/consistency.json "$html" <<'PY' || fail "JSON and HTML disagree on official forms"
import json, re, sys
d = json.load(open(sys.argv[1]))
page = open(sys.argv[2], encoding="utf-8").read()
norm = lambda s: " ".join(s.lower().split())
marked = 0
for f in d["findings"]:
    for v in f.get("variants", []):
        if v["official"]:
            marked += 1
            alts = [norm(a) for a in (f["official"] or "").split(" / ")]
            assert norm(v["en"]) in alts, (v["en"], f["official"])
assert marked >= 1, "no official variant in the samples"
assert page.count("&middot; official") == marked, (page.count("&middot; official"), marked)
PY

command -v xmllint >/dev/null || fail "xmllint missing (libxml2-utils)"
xmllint --html --noout "$html" >lint.txt 2>&1
[ -s lint.txt ] && { cat lint.txt; fail "xmllint --html complains"; }

# an empty report, and one whose file names need escaping, lint clean too
mkdir -p 'odd<&>"dir'
printf '%s\n' 'The Central Committee for Mass Mobilization met.' '' \
    'The Central Mass Mobilization Commission <b>met</b> & "spoke".' \
    >'odd<&>"dir/a&b.txt'
"$BITEXT" check -q -o odd-out 'odd<&>"dir' >/dev/null 2>&1
[ $? -eq 1 ] || fail "no finding in the odd-named file"
printf '%s\n' 'Nothing about titles here.' >plain.txt
"$BITEXT" check -q -o empty-out plain.txt >/dev/null 2>&1 ||
    fail "a plain article has findings"
for f in odd-out/consistency.html empty-out/consistency.html; do
    xmllint --html --noout "$f" >lint.txt 2>&1
    [ -s lint.txt ] && { cat lint.txt; fail "xmllint --html complains on $f"; }
done
grep -q 'odd&lt;&amp;&gt;&quot;dir/a&amp;b.txt' odd-out/consistency.html ||
    fail "file name not escaped"

# self-contained: no external scripts, styles, images or fonts
grep -Eiq '(src|href)="(https?:)?//' "$html" && fail "external resource"
grep -Eiq '<link|@import|url\(' "$html" && fail "external stylesheet or font"
grep -q '<script>' "$html" || fail "no inline script for sorting"
grep -q 'data:image/svg+xml;base64,' "$html" || fail "no SVG chart"
# the pieces an editor reads: counts by kind, one table per kind with finds
for k in title-variant english-variant caption-title-mismatch \
         person-title-conflict; do
    grep -q "id=\"$k\"" "$html" || fail "no section for $k"
done
grep -q 'Central Mass Mobilization Commission' "$html" || fail "variant missing"
grep -q '000_93b72168ab574deb.txt:59' "$html" || fail "place missing"

browser=$(command -v chromium || command -v chromium-browser) ||
    fail "chromium missing"
profile=$(mktemp -d)
shot() {
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
        --disable-background-networking --disable-component-update \
        --disable-sync --no-first-run --user-data-dir="$profile" \
        --screenshot="$1" --window-size=1200,900 "$2" >/dev/null 2>&1
}
shot shot.png "file://$html"
rm -rf "$profile"
[ -s shot.png ] || fail "chromium wrote no screenshot"

# sorting: a click on the first header of the first table orders its rows,
# a second click reverses them (a probe script appended to a copy)
sed 's|</body>|<script>var th = document.querySelector("table.sortable th"); var b = th.parentNode.parentNode.parentNode.tBodies[0]; th.click(); var a = b.rows[0].cells[0].textContent; th.click(); var z = b.rows[0].cells[0].textContent; document.body.setAttribute("data-probe", a + "/" + z);</script></body>|' \
    "$html" >probe.html
profile=$(mktemp -d)
timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
    --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$profile" \
    --dump-dom "file://$PWD/probe.html" 2>/dev/null >dom.html
rm -rf "$profile"
probe=$(sed -n 's/.*data-probe="\([^"]*\)".*/\1/p' dom.html)
[ -n "$probe" ] || fail "the sorting probe did not run"
first=${probe%%/*}; last=${probe#*/}
[ "$first" != "$last" ] || fail "clicking a header twice does not reverse: $probe"
[ "$first" = "Ban Dân vận Tỉnh ủy" ] || fail "ascending sort gives '$first'"

command -v python3 >/dev/null || fail "python3 is needed to read the PNG"
# Decode the PNG (8-bit RGB or RGBA) and count pixels that are neither the
# page background nor near it: text, table lines and chart bars.
python3 - shot.png <<'PY' || exit 1
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit("FAIL: not a PNG")
pos, idat, hdr = 8, b"", None
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        hdr = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
w, h, depth, ctype, _, _, interlace = hdr
if depth != 8 or ctype not in (2, 6) or interlace:
    sys.exit("FAIL: unexpected PNG format %s" % (hdr,))
bpp = 3 if ctype == 2 else 4
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
ink = 0
colours = set()
for y in range(h):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    for x in range(0, stride, bpp * 2):
        px = tuple(line[x:x + 3])
        colours.add(px)
        if sum(px) < 600:
            ink += 1
total = w * h // 2
print("screenshot %dx%d: %d of %d sampled pixels inked, %d colours" % (w, h, ink, total, len(colours)))
if ink < total // 100 or len(colours) < 8:
    sys.exit("FAIL: the page looks blank")
PY
exit 0
