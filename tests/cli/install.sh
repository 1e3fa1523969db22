#!/bin/sh
# make install into a temporary DESTDIR installs the program, the man page,
# the bash completion, the library, its public headers (including each other
# by plain name) and bitext.pc; a small program builds against the installed
# library with `pkg-config --cflags --libs bitext` and aligns a caption;
# make uninstall removes every file again.
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
D=$(pwd)/dest; P=/usr
# the test is run from make: run make afresh, on the build under test
unset MAKEFLAGS MAKELEVEL MFLAGS
mk() { make -s -C "$TOP" B="$BUILD" BIN="$BITEXT" PREFIX=$P DESTDIR="$D" "$@"; }
mk install > log.txt 2>&1 || { cat log.txt; fail "make install"; }
for f in bin/bitext lib/libbitext.a lib/pkgconfig/bitext.pc share/man/man1/bitext.1 \
         share/bash-completion/completions/bitext include/bitext/base.h \
         include/bitext/corpus.h include/bitext/align.h include/bitext/tmx.h \
         include/bitext/gloss.h include/bitext/check.h; do
    [ -s "$D$P/$f" ] || fail "not installed: $P/$f"
done
! grep -n '#include "\.\./' "$D$P"/include/bitext/*.h || fail "installed headers include ../"
"$D$P/bin/bitext" --version | grep -q '^bitext [0-9]' || fail "installed bitext --version"
if command -v man >/dev/null 2>&1; then
    man -l "$D$P/share/man/man1/bitext.1" > /dev/null 2>&1 || fail "man page does not render"
fi

cat > prog.c <<'C'
#include <bitext/align.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
    static const char text[] =
        "Đồng chí Nguyễn Xuân Sơn phát biểu tại hội nghị. Ảnh: Mai Hoa\n"
        "Comrade Nguyen Xuan Son speaks at the conference. Photo: Mai Hoa\n";
    bt_doc *doc = NULL;
    bt_align_result r;
    if (bt_doc_from_buffer("t.txt", text, strlen(text), NULL, NULL, NULL, &doc) != BT_OK)
        return 1;
    bt_align_doc(bt_lexicon_default(), doc, NULL, &r);
    size_t ok = 0;
    for (size_t i = 0; i < r.npairs; i++)
        ok += r.pairs[i].status == BT_PAIR_ACCEPTED;
    printf("accepted %zu\n", ok);
    bt_align_result_free(&r);
    bt_doc_free(doc);
    return 0;
}
C
export PKG_CONFIG_PATH="$D$P/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$D"
flags=$(pkg-config --cflags --libs bitext) || fail "pkg-config bitext"
# a sanitizer build of the library needs its runtime on the link line
san=""
nm "$D$P/lib/libbitext.a" 2>/dev/null | grep -q __asan_ && san="-fsanitize=address,undefined"
nm "$D$P/lib/libbitext.a" 2>/dev/null | grep -q __ubsan_ && [ -z "$san" ] && san="-fsanitize=undefined"
# shellcheck disable=SC2086
cc -std=c11 $san -o prog prog.c $flags 2> cc.txt || { cat cc.txt; fail "build against the installed library"; }
./prog > out.txt || fail "prog exit $?"
grep -qx 'accepted 2' out.txt || { cat out.txt; fail "prog did not align the caption and its credit"; }

mk uninstall > log.txt 2>&1 || { cat log.txt; fail "make uninstall"; }
left=$(find "$D" -type f | head -5)
[ -z "$left" ] || fail "left after uninstall: $left"
exit 0
