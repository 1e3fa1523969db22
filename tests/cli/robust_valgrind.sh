# valgrind memcheck over every command, on the samples, on bad input and on
# hostile XML: no invalid read or write, no use of uninitialised memory, no
# definite, indirect or possible leak ("still reachable" memory that ICU
# and libxml2 keep for the life of the process is not a leak). Each command
# runs once (about 2 s under valgrind); the whole test stays under a minute.
# Skipped (passes) when valgrind is not installed.
#
# VALGRIND_ALL=1 also runs every tests/cli/*.sh (other than robust_*) with
# $BITEXT under valgrind, and fails on the first error (slow: minutes).
set -u
if ! command -v valgrind >/dev/null; then
    echo "valgrind not installed: skipped"
    exit 0
fi
# an ASan build cannot run under valgrind (both want the address space)
if ASAN_OPTIONS=help=1 "$BITEXT" --version 2>&1 | grep -q AddressSanitizer; then
    echo "$BITEXT is built with ASan: valgrind skipped"
    exit 0
fi
VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible --track-origins=yes --log-file=vg.%p.log"
status=0
runs=0
# vg WANT-EXIT ARGS...: bitext under valgrind; fails on a valgrind error
# (exit 99) or an exit status other than WANT-EXIT.
vg() {
    want=$1
    shift
    runs=$((runs + 1))
    $VG "$BITEXT" "$@" > out.txt 2> err.txt < "${VG_STDIN:-/dev/null}"
    rc=$?
    if [ "$rc" -eq 99 ] || [ -n "$(cat vg.*.log 2>/dev/null)" ]; then
        echo "valgrind: bitext $*"
        cat vg.*.log
        status=1
    elif [ "$rc" -ne "$want" ]; then
        echo "bitext $*: exit $rc, want $want"
        cat err.txt
        status=1
    fi
    rm -f vg.*.log
}

if [ "${VALGRIND_ALL:-0}" = 1 ]; then
    # the golden CLI tests with bitext under valgrind
    printf '#!/bin/sh\nexec %s %s "$@"\n' "$VG --log-file=$PWD/vg-all.%p.log" "$BITEXT" > vg-bitext
    chmod +x vg-bitext
    for t in "$TOP"/tests/cli/*.sh; do
        case $(basename "$t") in robust_*) continue ;; esac
        w=$(mktemp -d)
        (cd "$w" && BITEXT=$OLDPWD/vg-bitext sh "$t") > /dev/null 2>&1
        rc=$?
        rm -rf "$w"
        if [ -n "$(cat vg-all.*.log 2>/dev/null)" ]; then
            echo "valgrind errors in $t:"; cat vg-all.*.log; status=1
        else
            echo "ok $t (exit $rc)"
        fi
        rm -f vg-all.*.log
    done
    exit $status
fi

S=$TOP/corpus/samples
t0=$(date +%s)

# ---- align: the samples, bad input, encodings, stdin ------------------------
vg 0 align -o out "$S"
printf 'Hội nghị tại Hà Tĩnh.\nbad \377\376 line\nctl\001 \357\277\276 here\nConference in Ha Tinh.\n' > bad.txt
printf 'abc\000def\n' > binary.txt
gzip -c "$S/$(ls "$S" | head -1)" | head -c 300 > trunc.txt.gz
printf '\377\376=\330A\000\n\000' > utf16.txt
vg 2 align -o out2 bad.txt binary.txt trunc.txt.gz utf16.txt missing.txt "$S"
printf 'Vi\352t Nam\n' > cp1258.txt
vg 0 align --encoding windows-1258 -o out3 cp1258.txt
VG_STDIN=$S/$(ls "$S" | head -1) vg 0 align -o out4 -
vg 0 align --max-line 80 -o out5 "$S"
[ -d "$TOP/tests/data/pairs" ] &&
    vg 0 align --pair -o out6 "$TOP/tests/data/pairs/danvan.vi.txt" "$TOP/tests/data/pairs/danvan.en.txt"

# ---- lookup, glossary, check --------------------------------------------------
vg 0 lookup "Phó Chủ tịch UBND tỉnh"
vg 0 lookup -g out -f "chu tich hdnd tnh" --format json
vg 0 lookup --reverse -g out/glossary.tbx "Chairman of the Provincial People's Council"
vg 1 lookup "$(printf 'bad \377 term')"
vg 0 glossary export -g out -o g.tbx
vg 0 glossary merge -o merged.tsv out/glossary.tsv g.tbx
vg 1 check -o report "$S"

# ---- tmx: validate, stats, merge, on good, damaged and hostile files ----------
vg 0 tmx validate out/memory.tmx
vg 0 tmx stats out/memory.tmx
vg 0 tmx merge -o m.tmx out/memory.tmx out/memory.tmx
head -c 2000 out/memory.tmx > cut.tmx
for f in xxe-file billion-laughs seg-50-deep utf16-bom; do
    tail -c +2 "$TOP/tests/fuzz/corpus/tmx/seed-$f" > "$f.tmx"
done
vg 1 tmx validate cut.tmx xxe-file.tmx billion-laughs.tmx seg-50-deep.tmx
vg 2 tmx stats cut.tmx
vg 2 tmx merge -o m2.tmx out/memory.tmx xxe-file.tmx
vg 0 tmx stats utf16-bom.tmx

# ---- decisions (bitext review's database) -----------------------------------
sed 's|corpus/samples/|'"$S"'/|' "$TOP/tests/data/review/decisions.tsv" > decisions.tsv
vg 0 decisions import rv/decisions.db decisions.tsv
vg 0 decisions export rv/decisions.db
vg 0 align --decisions rv/decisions.db -o out7 "$S"
vg 1 check --decisions rv/decisions.db -o report2 "$S"
vg 0 lookup --decisions rv/decisions.db "Ban Dân vận Trung ương"
vg 2 decisions import rv/decisions.db "$TOP/README.md"

t1=$(date +%s)
echo "$runs commands under valgrind in $((t1 - t0)) s"
exit $status
