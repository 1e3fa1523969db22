#!/bin/sh
# bitext check through the real aligner on an article the seeds do not
# cover: one person given two ranks in the same body within the article
# (person-title-conflict) and a position rendered two ways where the
# Vietnamese is at hand (title-variant, "Vice" / "Deputy" Chairman). A
# second article with the other rank must not add a conflict: titles are
# compared within one article only.
set -u
fail() { echo "FAIL: $*"; exit 1; }
command -v python3 >/dev/null || fail "python3 is needed to read the JSON"
mkdir in
cat >in/a.txt <<'TXT'
Provincial leaders inspect flood defences

(Baonghean.vn) - On the morning of October 3, a working delegation led by comrade Le Ngoc Hoa - Vice Chairman of the Provincial People's Committee inspected the dykes in Hung Nguyen district.

Đồng chí Lê Ngọc Hoa - Chủ tịch UBND tỉnh kiểm tra đê. Ảnh: Thanh Le
Comrade Le Ngoc Hoa - Chairman of the Provincial People's Committee inspects the dyke. Photo: Thanh Le

Chairman of the Provincial People's Committee Le Ngoc Hoa asked the district to finish the work before the rainy season.

Phó Chủ tịch UBND tỉnh Nguyễn Văn Đệ phát biểu. Ảnh: Thanh Le
Deputy Chairman of the Provincial People's Committee Nguyen Van De spoke. Photo: Thanh Le
TXT
cat >in/b.txt <<'TXT'
Voters meet the province's leaders

Comrade Nguyen Van De - Deputy Chairman of the Provincial People's Committee met voters of Do Luong district.
TXT
"$BITEXT" check -o out in >out.txt 2>err.txt; rc=$?
[ "$rc" -eq 1 ] || { cat out.txt err.txt; fail "exit $rc, not 1"; }
python3 - out/consistency.json <<'PY' || exit 1
import json, sys
F = json.load(open(sys.argv[1]))["findings"]
def fail(msg):
    print("FAIL:", msg)
    print(json.dumps(F, ensure_ascii=False, indent=1)[:3000])
    sys.exit(1)
c = [f for f in F if f["kind"] == "person-title-conflict"]
if len(c) != 1 or "Hoa" not in c[0]["subject"]:
    fail("expected one conflict for Le Ngoc Hoa")
lines = {(i["file"].split("/")[-1], i["line"]) for i in c[0]["items"]}
if not {("a.txt", 3), ("a.txt", 6)} <= lines:
    fail("conflict places: %s" % lines)
if "a.txt" not in (c[0].get("note") or ""):
    fail("the note does not say which article")
v = [f for f in F if f["kind"] == "title-variant" and f["subject"] == "Phó Chủ tịch UBND tỉnh"]
if len(v) != 1:
    fail("expected a title-variant for Phó Chủ tịch UBND tỉnh")
en = {x["en"]: x["count"] for x in v[0]["variants"]}
if en.get("Deputy Chairman of the Provincial People's Committee") != 2 or \
   en.get("Vice Chairman of the Provincial People's Committee") != 1:
    fail("variant counts: %s" % en)
if v[0]["usual"] != "Deputy Chairman of the Provincial People's Committee":
    fail("usual: %s" % v[0]["usual"])
if v[0]["official"] != "Vice Chairman of the Provincial People's Committee":
    fail("official: %s" % v[0]["official"])
if not any(i["vi"] and i["line"] == 11 and i["file"].endswith("a.txt") for i in v[0]["items"]):
    fail("the caption's Vietnamese is not given with its rendering")
if any(f["kind"] == "caption-title-mismatch" for f in F):
    fail("a caption mismatch where the captions agree")
PY
exit 0
