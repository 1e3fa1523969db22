# tmx-pairs.py TMX SOURCE EXPECTED - read a TMX with translate-toolkit (an
# independent reader) and write, one paragraph each, the Vietnamese segments
# OmegaT is to translate (SOURCE) and the English it must produce
# (EXPECTED). Segments whose Vietnamese has several English renderings, or
# that a plain-text paragraph cannot carry (line breaks), are left out.
# Prints how many pairs were written.
import sys
from translate.storage import factory

store = factory.getobject(sys.argv[1])
seen = {}
order = []
for u in store.units:
    if u.isheader():
        continue
    vi, en = u.source, u.target
    if not vi or not en or "\n" in vi or "\n" in en or vi != vi.strip():
        continue
    if vi in seen:
        if seen[vi] != en:
            seen[vi] = None
        continue
    seen[vi] = en
    order.append(vi)
pairs = [(vi, seen[vi]) for vi in order if seen[vi] is not None]
with open(sys.argv[2], "w", encoding="utf-8") as s, \
        open(sys.argv[3], "w", encoding="utf-8") as e:
    s.write("\n\n".join(vi for vi, _ in pairs) + "\n")
    e.write("\n\n".join(en for _, en in pairs) + "\n")
print(len(pairs))
