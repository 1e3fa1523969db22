# bitext check -j N writes the same reports as -j 1, diagnostics included
# in input order.
set -eu
cc -O2 -o gen "$TOP/bench/gen_articles.c" -lz
./gen arts 0.6 7
printf 'Tin \377 hỏng\n' > arts/zz-bad.txt
"$BITEXT" check -j 1 -o one arts >out1 2>err1 || true
"$BITEXT" check -j 3 -o three arts >out3 2>err3 || true
"$BITEXT" check --jobs=2 -q -o two arts >/dev/null 2>err2 || true
for f in consistency.json consistency.html; do
    cmp "one/$f" "three/$f"
    cmp "one/$f" "two/$f"
done
sed 's/three/one/g' out3 | cmp out1 -
cmp err1 err3
test -s one/consistency.json
