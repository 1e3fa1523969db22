# The outputs of align and check on the bundled articles are exactly the
# golden ones in tests/golden (rewrite them with `make regen-golden` when a
# change of behaviour is intended, and review the diff).
set -eu
cd "$TOP/corpus"
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
"$BITEXT" align -q -j 2 -o "$out/a" samples
diff -u "$TOP/tests/golden/samples.pairs.jsonl" "$out/a/pairs.jsonl"
diff -u "$TOP/tests/golden/samples.glossary.tsv" "$out/a/glossary.tsv"
set +e
"$BITEXT" check -q -o "$out/c" samples; rc=$?
set -e
[ "$rc" -eq 1 ]
diff -u "$TOP/tests/golden/samples.consistency.json" "$out/c/consistency.json"
