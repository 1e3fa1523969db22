# bitext align on the bundled articles: the true translations are in the
# memory, the partial and mismatched captions are not, and the memory
# validates against the TMX DTD-level checks of `bitext tmx validate`.
set -eu
"$BITEXT" align -q -o out "$TOP/corpus/samples"
test -s out/memory.tmx && test -s out/pairs.jsonl && test -s out/glossary.tsv && test -s out/glossary.tbx
test -s out/glossary.txt
# no temporary file left behind
test -z "$(ls -A out | grep -v '^memory.tmx$\|^pairs.jsonl$\|^glossary.tsv$\|^glossary.tbx$\|^glossary.txt$\|^manifest.json$')"
# every true caption translation is in the memory
grep -q 'Thủ tướng Nguyễn Xuân Phúc.' out/memory.tmx
grep -q 'Prime Minister Nguyen Xuan Phuc.' out/memory.tmx
grep -q 'Toàn cảnh hội nghị tại điểm cầu Nghệ An.' out/memory.tmx
grep -q 'Officers of Tri Le Border Guard Station' out/memory.tmx
grep -q '<seg>Ảnh tư liệu.</seg>' out/memory.tmx
# the reused caption for Le Hong Vinh and the partial ones are not
! grep -q 'Chủ nhiệm Ủy ban Kiểm tra' out/memory.tmx
! grep -q 'requested all levels and sectors' out/memory.tmx
! grep -q 'awarded prizes to 5 units' out/memory.tmx
# English-only captions are reported, not paired
grep -q '"vi_line":null,"en_line":26,"vi":null,"en":"With the program' out/pairs.jsonl
test "$(grep -c '"status":"mismatch"' out/pairs.jsonl)" -eq 2
test "$(grep -c '"status":"partial"' out/pairs.jsonl)" -eq 3
# identical credits collapse into one unit with a usage count
grep -q 'usagecount="4"' out/memory.tmx
"$BITEXT" tmx validate out/memory.tmx
