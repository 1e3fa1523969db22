#!/bin/sh
# Rewrite the golden outputs from the current build (make regen-golden).
# Review the diff before committing: it is the change in behaviour.
set -eu
: "${BITEXT:=$(pwd)/bitext}"
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
cd corpus && "$BITEXT" align -q -j 1 -o "$out/a" samples && cd ..
cp "$out/a/pairs.jsonl" tests/golden/samples.pairs.jsonl
cp "$out/a/glossary.tsv" tests/golden/samples.glossary.tsv
(cd corpus && "$BITEXT" check -q -o "$out/c" samples) || true
cp "$out/c/consistency.json" tests/golden/samples.consistency.json
echo "golden outputs rewritten; review: git diff tests/golden"
