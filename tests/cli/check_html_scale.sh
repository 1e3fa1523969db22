#!/bin/sh
# consistency.html at archive scale: a kind with many findings is grouped
# (same titles on the same sides: one row with a count), the first groups
# shown and the rest behind <details>; a cell lists at most 20 places, then
# "+N more". The page is well-formed, its counts add up to
# consistency.json's, and it stays small; the JSON keeps every place.
set -u
fail() { echo "FAIL: $*"; exit 1; }
command -v python3 >/dev/null || fail "python3 is needed to read the page"
command -v xmllint >/dev/null || fail "xmllint is needed"

# caption pairs with the titles of bench/gen_articles.c, each given the
# wrong English title: 72 pairs of titles, 1 to 31 articles each
python3 - big <<'PY' || fail "generate"
import os, sys
titles = [
    ("Phó Chủ tịch UBND tỉnh", "Vice Chairman of the Provincial People's Committee"),
    ("Chủ tịch HĐND tỉnh", "Chairman of the Provincial People's Council"),
    ("Ủy viên Ban Thường vụ Tỉnh ủy", "Member of the Provincial Party Standing Committee"),
    ("Phó Bí thư Thường trực Tỉnh ủy", "Standing Deputy Secretary of the Provincial Party Committee"),
    ("Bí thư Tỉnh ủy", "Secretary of the Provincial Party Committee"),
    ("Trưởng ban Dân vận Tỉnh ủy", "Head of the Provincial Party Committee's Mass Mobilization Commission"),
    ("Giám đốc Sở Y tế", "Director of the Department of Health"),
    ("Phó Chủ tịch UBMTTQ tỉnh", "Vice Chairman of the Provincial Fatherland Front Committee"),
    ("Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy", "Chairman of the Provincial Party Committee's Inspection Commission"),
]
sur = [("Nguyễn", "Nguyen"), ("Trần", "Tran"), ("Lê", "Le"), ("Phạm", "Pham"), ("Hoàng", "Hoang")]
mid = [("Văn", "Van"), ("Thị", "Thi"), ("Hồng", "Hong"), ("Mạnh", "Manh")]
giv = [("Hùng", "Hung"), ("Lan", "Lan"), ("Dũng", "Dung"), ("Hải", "Hai"), ("Tiến", "Tien"), ("Khôi", "Khoi")]
people = [(f"{a[0]} {b[0]} {c[0]}", f"{a[1]} {b[1]} {c[1]}") for a in sur for b in mid for c in giv]
out = sys.argv[1]
os.makedirs(out)
p = 0
for t in range(len(titles)):
    for t2 in range(len(titles)):
        if t == t2:
            continue
        for k in range(1 + p * 7 % 31):   # 1 to 31 articles per pair
            with open(f"{out}/{p:02d}-{k:02d}.txt", "w") as f:
                f.write("Nghe An strengthens mass mobilization work\n\n")
                pv, pe = people[(p + k) % len(people)]
                f.write(f"Đồng chí {pv} - {titles[t][0]} trao quà cho các gia đình chính sách. Ảnh: Mai Hoa\n")
                f.write(f"Comrade {pe} - {titles[t2][1]} presents gifts to policy families. Photo: Mai Hoa\n")
        p += 1
PY
# the samples five times over: a rendering in more places than a cell shows
mkdir many
for i in 1 2 3 4 5; do cp -r "$TOP/corpus/samples" "many/s$i"; done

for d in big many; do
    "$BITEXT" check -q -o "$d-out" "$d" >/dev/null 2>err.txt
    [ $? -eq 1 ] || { cat err.txt; fail "$d: exit not 1"; }
    html=$d-out/consistency.html
    size=$(wc -c < "$html")
    [ "$size" -lt 3000000 ] || fail "$d: page of $size bytes"
    # libxml2's HTML parser knows HTML 4 only: <details> and <summary> are
    # the one thing it may call invalid
    xmllint --html --noout "$html" 2>xml.txt || fail "$d: xmllint"
    grep 'error' xml.txt | grep -v 'Tag \(details\|summary\) invalid' &&
        fail "$d: xmllint complains"
done

python3 - big-out/consistency.json big-out/consistency.html \
    many-out/consistency.json many-out/consistency.html <<'PY' || exit 1
import json, re, sys
errors = []
def check(cond, msg):
    if not cond:
        errors.append(msg)

def sections(page):
    parts = re.split(r'<h2 id="([a-z-]+)">', page)
    return dict(zip(parts[1::2], parts[2::2]))

# big: the per-article kinds are grouped and add up
d = json.load(open(sys.argv[1]))
page = open(sys.argv[2], encoding="utf-8").read()
by_kind = d["summary"]["by_kind"]
check(by_kind["caption-title-mismatch"] > 200, "too few findings to group")
check("<details>" in page, "no <details>")
for kind, body in sections(page).items():
    n = by_kind[kind]
    if n <= 200:
        continue
    rows = re.findall(r'<tr data-count="(\d+)">(.*?)</tr>', body)
    rest = sum(int(x) for x in re.findall(r'data-rest="(\d+)"', body))
    total = sum(int(c) for c, _ in rows) + rest
    check(total == n, f"{kind}: groups hold {total}, JSON {n}")
    check(len(rows) <= 1000, f"{kind}: {len(rows)} rows")
    check(body.count("<details>") == (1 if len(rows) > 50 else 0),
          f"{kind}: details")
    for c, row in rows:
        c = int(c)
        shown = row.count('<span class="place">')
        check(shown == min(c, 20), f"{kind}: {shown} places for {c}")
        more = re.findall(r'\+(\d+) more', row)
        check(more == ([str(c - 20)] if c > 20 else []),
              f"{kind}: '+N more' {more} for {c}")
    # the groups by their titles, counted from the JSON
    groups = {}
    for f in d["findings"]:
        if f["kind"] == kind:
            key = tuple((it["vi"], it["en"]) for it in f["items"])
            groups[key] = groups.get(key, 0) + 1
    check(sorted(groups.values(), reverse=True)[:len(rows)] ==
          [int(c) for c, _ in rows], f"{kind}: group counts differ")
check("+" in page and " more</span>" in page, "no '+N more' at all")

# many: each rendering's cell shows 20 places and counts the rest
d = json.load(open(sys.argv[3]))
page = open(sys.argv[4], encoding="utf-8").read()
want = []
for f in d["findings"]:
    if f["kind"] in ("title-variant", "english-variant"):
        for v in f["variants"]:
            k = sum(1 for it in f["items"] if it["en"] == v["en"])
            if k > 20:
                want.append(k - 20)
check(want, "no rendering in more than 20 places")
got = [int(x) for x in re.findall(r'<span class="more">\+(\d+) more', page)]
check(sorted(got) == sorted(want), f"'+N more' {got}, JSON says {want}")

for e in errors:
    print("FAIL:", e)
sys.exit(1 if errors else 0)
PY
