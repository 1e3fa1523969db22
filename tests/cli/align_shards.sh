# Aligning in N shards and merging the memories and glossaries gives the
# same units and rows as one run; -j N gives the same bytes as -j 1.
set -eu
cc -O2 -o gen "$TOP/bench/gen_articles.c" -lz
./gen arts 0.6 7
export SOURCE_DATE_EPOCH=1700000000
"$BITEXT" align -q -j 1 -o one arts
"$BITEXT" align -q -j 2 -o two arts
for f in memory.tmx pairs.jsonl glossary.tsv glossary.tbx; do cmp "one/$f" "two/$f"; done
# the same inputs listed on standard input
find arts -name '*.txt' | sort | "$BITEXT" align -q -j 2 --files-from - -o listed
for f in memory.tmx pairs.jsonl glossary.tsv; do cmp "one/$f" "listed/$f"; done
for k in 1 2 3; do "$BITEXT" align -q -j 1 --shard $k/3 -o s$k arts; done
"$BITEXT" tmx merge -q -o merged.tmx s1/memory.tmx s2/memory.tmx s3/memory.tmx
"$BITEXT" glossary merge -o merged.tsv s1/glossary.tsv s2/glossary.tsv s3/glossary.tsv
# units as (usagecount, vi, en), sorted
units() {
    /usr/bin/python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
X = '{http://www.w3.org/XML/1998/namespace}lang'
for tu in ET.parse(sys.argv[1]).getroot().iter('tu'):
    segs = {tuv.get(X): tuv.find('seg').text for tuv in tu.iter('tuv')}
    print(tu.get('usagecount', '1'), segs['vi'], segs['en'], sep='\t')
PY
}
units one/memory.tmx | sort > u1
units merged.tmx | sort > u2
test -s u1
cmp u1 u2
# glossary rows without their sources
grep -v '^#' one/glossary.tsv | cut -f1-4 | sort > g1
grep -v '^#' merged.tsv | cut -f1-4 | sort > g2
test -s g1
cmp g1 g2
# the shards cover every file once
test "$(cat s1/pairs.jsonl s2/pairs.jsonl s3/pairs.jsonl | wc -l)" -eq "$(wc -l < one/pairs.jsonl)"
