#!/bin/sh
# bitext check on the seed articles: the provincial Mass Mobilization body
# rendered "Commission" and "Committee", the Central body named two ways in
# English alone, the reused caption for Le Hong Vinh, each with its lines;
# nothing for Nguyen Xuan Son; a handful of findings, not a flood.
set -u
fail() { echo "FAIL: $*"; exit 1; }
command -v python3 >/dev/null || fail "python3 is needed to read the JSON"

cp -r "$TOP/corpus/samples" samples
"$BITEXT" check -o out samples >out.txt 2>err.txt; rc=$?
[ "$rc" -eq 1 ] || { cat out.txt err.txt; fail "exit $rc, not 1 (findings)"; }
[ -s err.txt ] && { cat err.txt; fail "unexpected messages on stderr"; }

python3 - out/consistency.json <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
F = d["findings"]
errors = []
def check(cond, msg):
    if not cond:
        errors.append(msg)

def places(f, word=None):
    return {(it["file"].split("/")[-1][:3], it["line"]) for it in f["items"]
            if word is None or word in (it["en"] or "")}

def find(kind, subject):
    for f in F:
        if f["kind"] == kind and f["subject"] == subject:
            return f
    return None

# 1. the provincial body: Commission (usual, official) and Committee
f = find("title-variant", "Ban Dân vận Tỉnh ủy")
check(f is not None, "no title-variant for Ban Dân vận Tỉnh ủy")
if f:
    en = {v["en"] for v in f["variants"]}
    check(any(e.endswith("Mass Mobilization Commission") for e in en) and
          any(e.endswith("Mass Mobilization Committee") for e in en),
          "Commission/Committee not both reported: %s" % en)
    check({("000", 10), ("000", 56), ("000", 59)} <= places(f, "Commission"),
          "Commission places: %s" % places(f, "Commission"))
    check({("000", 5), ("001", 13)} <= places(f, "Committee"),
          "Committee places: %s" % places(f, "Committee"))
    check(f["usual"] and f["usual"].endswith("Commission"), "usual: %s" % f["usual"])
    check(f["official"] and f["official"].endswith("Commission"),
          "official: %s" % f["official"])

# 2. the Central body, in English alone
f = find("english-variant", "Ban Dân vận Trung ương")
check(f is not None, "no english-variant for Ban Dân vận Trung ương")
if f:
    en = {v["en"] for v in f["variants"]}
    check({"Central Committee for Mass Mobilization",
           "Central Mass Mobilization Commission"} <= en, "variants: %s" % en)
    check({("001", 9), ("001", 51)} <= places(f, "Central Mass Mobilization Commission"),
          "Central Mass Mobilization Commission places")
    check({("001", 7), ("002", 5)} <= places(f, "Central Committee for Mass Mobilization"),
          "Central Committee for Mass Mobilization places")

# 3. the reused caption for Le Hong Vinh, both pairs
m = [f for f in F if f["kind"] == "caption-title-mismatch"]
check(len(m) == 1, "caption-title-mismatch findings: %d" % len(m))
if m:
    f = m[0]
    check("Vinh" in f["subject"], "subject %s" % f["subject"])
    check({("000", 22), ("000", 23), ("000", 58), ("000", 59)} <= places(f),
          "caption places: %s" % places(f))
    vi = " ".join(it["vi"] or "" for it in f["items"])
    en = " ".join(it["en"] or "" for it in f["items"])
    check("Kiểm tra" in vi and "Vice Chairman" in en, "titles: %s / %s" % (vi, en))

# 4. nothing about Nguyen Xuan Son; every item has a place
for f in F:
    text = json.dumps(f, ensure_ascii=False)
    check("Xuan Son" not in text and "Xuân Sơn" not in text,
          "a finding about Nguyen Xuan Son: %s" % f["subject"])
    for it in f["items"]:
        check(it["file"] and isinstance(it["line"], int) and it["line"] > 0,
              "item without a place in %s" % f["subject"])
check(len(F) <= 6, "%d findings: too many for five articles" % len(F))
check(d["summary"]["files"] == 5, "files: %s" % d["summary"]["files"])
for e in errors:
    print("FAIL:", e)
sys.exit(1 if errors else 0)
PY
grep -q 'caption-title-mismatch' out.txt || fail "summary lacks the caption finding"
exit 0
