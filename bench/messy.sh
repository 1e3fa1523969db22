# The bundled articles in the forms real text takes: how many pairs (credits
# included) each form keeps accepted, how many memory units it makes, and
# whether those are the units of the articles as they are. Forms that change
# the letters themselves (old tone marks, capitals) make units of their own
# text, so only their counts compare. A check of accuracy, not of speed.
#
#     BITEXT=./bitext sh bench/messy.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bitext=${BITEXT:-$top/bitext}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

/usr/bin/python3 - "$top/corpus/samples" "$work" <<'PY'
import glob, gzip, os, re, sys, unicodedata
src, out = sys.argv[1], sys.argv[2]
# a Vietnamese line: a letter only Vietnamese spells
VI = re.compile('[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]')
OLD = {'òa': 'oà', 'óa': 'oá', 'ỏa': 'oả', 'õa': 'oã', 'ọa': 'oạ', 'ủy': 'uỷ',
       'úy': 'uý', 'ùy': 'uỳ', 'ũy': 'uỹ', 'ụy': 'uỵ', 'Ủy': 'Uỷ', 'Úy': 'Uý'}
def old_tones(t):
    for a, b in OLD.items():
        t = t.replace(a, b)
    return t
def zwsp(t):
    n, o = 0, []
    for ch in t:
        o.append(ch)
        if ch == ' ':
            n += 1
            if n % 7 == 0:
                o.append('\u200b')
    return ''.join(o)
def wrap(t, w=72):
    lines = []
    for line in t.split('\n'):
        cur = ''
        for word in line.split(' '):
            if cur and len(cur) + 1 + len(word) > w:
                lines.append(cur)
                cur = word
            else:
                cur = word if not cur else cur + ' ' + word
        lines.append(cur)
    return '\n'.join(lines)
def caps(t):
    return '\n'.join(l.upper() if VI.search(l.lower()) else l for l in t.split('\n'))
forms = {
    'as-is': lambda t: t.encode(),
    'nfd': lambda t: unicodedata.normalize('NFD', t).encode(),
    'old-tones': lambda t: old_tones(t).encode(),
    'crlf-bom': lambda t: b'\xef\xbb\xbf' + t.replace('\n', '\r\n').encode(),
    'capitals': lambda t: caps(t).encode(),
    'no-break-spaces': lambda t: t.replace(' ', '\u00a0').encode(),
    'zero-width-spaces': lambda t: zwsp(t).encode(),
    'wrapped-72': lambda t: wrap(t).encode(),
}
for name, f in forms.items():
    d = os.path.join(out, name)
    os.makedirs(d)
    for p in sorted(glob.glob(os.path.join(src, '*.txt'))):
        t = open(p, encoding='utf-8').read()
        open(os.path.join(d, os.path.basename(p)), 'wb').write(f(t))
d = os.path.join(out, 'gzip')
os.makedirs(d)
for p in sorted(glob.glob(os.path.join(src, '*.txt'))):
    with open(p, 'rb') as i, gzip.open(os.path.join(d, os.path.basename(p) + '.gz'), 'wb') as o:
        o.write(i.read())
PY
# the code page as its own tools write it (glibc's iconv: precomposed
# vowels, tone marks combining)
mkdir "$work/windows-1258"
for p in "$work"/as-is/*.txt; do
    iconv -f UTF-8 -t CP1258 "$p" > "$work/windows-1258/$(basename "$p")"
done

units() { sed -n 's:.*<seg>\(.*\)</seg>.*:\1:p' "$1/memory.tmx" | sort; }
nunits() { grep -c '<tu ' "$1/memory.tmx" || true; }
echo "## bitext messy input: the bundled articles in other forms"
echo
echo "| form | accepted pairs | memory units | the articles' units |"
echo "| --- | ---: | ---: | --- |"
"$bitext" align -q -o "$work/out-as-is" "$work/as-is"
units "$work/out-as-is" > "$work/units-as-is"
for f in as-is nfd old-tones crlf-bom gzip windows-1258 capitals no-break-spaces \
         zero-width-spaces wrapped-72; do
    "$bitext" align -q -o "$work/out-$f" "$work/$f" 2>/dev/null || true
    acc=$(grep -c '"status":"accepted"' "$work/out-$f/pairs.jsonl" || true)
    n=$(nunits "$work/out-$f")
    if units "$work/out-$f" | cmp -s - "$work/units-as-is"; then same=yes; else same=no; fi
    echo "| $f | $acc | $n | $same |"
done
echo
