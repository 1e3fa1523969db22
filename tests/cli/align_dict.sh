# --dict in each form: a pair that is mismatch without the words is
# accepted with them; a bad line is a warning naming FILE:LINE and the other
# lines still count; a file that cannot be read is exit 2.
set -eu
cat > a.txt <<'T'
Thợ rèn quai búa bên lò than hồng.

The blacksmith swings his hammer beside the glowing forge.
T
status() { sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' "$1/pairs.jsonl"; }
"$BITEXT" align -q -o none a.txt
test "$(status none)" = mismatch

# TSV: vi<TAB>en|en[<TAB>kind], # comments, a bad line
printf '# a test dictionary\nthợ rèn\tblacksmith\nquai\tswing\nbúa\thammer\tnoun\nno tab here\nlò\tforge|furnace\nthan hồng\tglowing|embers\n' > d.tsv
"$BITEXT" align -q -o tsv a.txt --dict d.tsv 2> err
test "$(status tsv)" = accepted
grep -q "d.tsv:5:" err

# hunalign: english @ vietnamese
printf 'blacksmith @ thợ rèn\nswing @ quai\nhammer @ búa\nforge @ lò\nglowing @ than hồng\n' > d.hun
"$BITEXT" align -q --dict d.hun -o hun a.txt
test "$(status hun)" = accepted
printf 'blacksmith @ thợ rèn\nhammer\n' > bad.hun
"$BITEXT" align -q --dict bad.hun -o badhun a.txt 2> err
grep -q "bad.hun:2:" err

# a glossary as bitext writes it, .tsv and .tbx, and an output directory
grep -v 'no tab' d.tsv > clean.tsv
"$BITEXT" glossary merge -o g.tsv clean.tsv
"$BITEXT" glossary merge -o g.tbx clean.tsv
"$BITEXT" align -q -o gtsv --dict g.tsv a.txt
test "$(status gtsv)" = accepted
"$BITEXT" align -q -o gtbx --dict g.tbx a.txt
test "$(status gtbx)" = accepted
mkdir gdir && cp g.tsv gdir/glossary.tsv
"$BITEXT" align -q -o gd --dict gdir a.txt
test "$(status gd)" = accepted
# repeatable: the words of two files together
printf 'thợ rèn\tblacksmith\nquai\tswing\n' > d1.tsv
printf 'búa\thammer\nlò\tforge\nthan hồng\tglowing\n' > d2.tsv
"$BITEXT" align -q -o two --dict d1.tsv a.txt --dict d2.tsv
test "$(status two)" = accepted

# a file that cannot be read: exit 2, nothing written
rc=0
"$BITEXT" align -q -o missing --dict nope.tsv a.txt 2> err || rc=$?
test "$rc" -eq 2
grep -q "nope.tsv" err
test ! -e missing/memory.tmx
