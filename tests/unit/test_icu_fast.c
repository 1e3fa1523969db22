/* test_icu_fast.c - what bitext answers without loading ICU agrees with
 * ICU for every code point: bt_nfc_inert (text certainly in NFC) and the
 * character properties base/dl_icu.c takes from gc_table.h. And a library
 * that is missing at run time is named, with exit 2. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uvernum.h>

#include "../../base/dl_int.h"
#include "../../base/utf8_fast.h"

#define ICU_SONAME "libicuuc.so." BT_DL_STR(U_ICU_VERSION_MAJOR_NUM)

/* ICU's own function, not bitext's forwarder of the same name. */
static void (*icu_real(const char *name))(void)
{
    static void *h;
    if (!h) h = dlopen(ICU_SONAME, RTLD_NOW | RTLD_LOCAL);
    assert_non_null(h);
    void *p = dlsym(h, name);
    assert_non_null(p);
    return (void (*)(void))(uintptr_t)p;
}

static void nfc_inert_agrees_with_icu(void **state)
{
    (void)state;
    int32_t (*prop)(UChar32, UProperty) = (int32_t (*)(UChar32, UProperty))icu_real(
        BT_DL_STR(u_getIntPropertyValue));
    uint8_t (*ccc)(UChar32) = (uint8_t (*)(UChar32))icu_real(BT_DL_STR(u_getCombiningClass));
    long inert = 0;
    for (int32_t cp = 0; cp <= 0x10FFFF; cp++) {
        if (!bt_nfc_inert(cp)) continue;
        inert++;
        if (prop(cp, UCHAR_NFC_QUICK_CHECK) != UNORM_YES || ccc(cp) != 0) {
            fprintf(stderr, "U+%04X is not NFC-inert for ICU\n", (unsigned)cp);
            fail();
        }
    }
    /* the Latin letters, the Vietnamese block, the general punctuation */
    assert_true(inert >= 0x300 + 0x100 + 0xC0);
    assert_false(bt_nfc_inert(0x300));   /* combining grave */
    assert_false(bt_nfc_inert(0x2000));  /* en quad: a singleton */
    assert_false(bt_nfc_inert(-1));
}

static void properties_agree_with_icu(void **state)
{
    (void)state;
    typedef UBool (*is_fn)(UChar32);
    struct { const char *name; is_fn ours; is_fn icu; } is[] = {
        { "u_isupper", u_isupper, (is_fn)icu_real(BT_DL_STR(u_isupper)) },
        { "u_islower", u_islower, (is_fn)icu_real(BT_DL_STR(u_islower)) },
        { "u_istitle", u_istitle, (is_fn)icu_real(BT_DL_STR(u_istitle)) },
        { "u_isdigit", u_isdigit, (is_fn)icu_real(BT_DL_STR(u_isdigit)) },
        { "u_isalpha", u_isalpha, (is_fn)icu_real(BT_DL_STR(u_isalpha)) },
        { "u_isalnum", u_isalnum, (is_fn)icu_real(BT_DL_STR(u_isalnum)) },
    };
    int8_t (*type)(UChar32) = (int8_t (*)(UChar32))icu_real(BT_DL_STR(u_charType));
    uint8_t (*ccc)(UChar32) = (uint8_t (*)(UChar32))icu_real(BT_DL_STR(u_getCombiningClass));
    for (int32_t cp = -1; cp <= 0x110000; cp++) {
        for (size_t i = 0; i < sizeof is / sizeof is[0]; i++)
            if (!is[i].ours(cp) != !is[i].icu(cp)) {
                fprintf(stderr, "%s(U+%04X) differs from ICU's\n", is[i].name, (unsigned)cp);
                fail();
            }
        if (u_charType(cp) != type(cp) || u_getCombiningClass(cp) != ccc(cp)) {
            fprintf(stderr, "U+%04X: category or combining class differs\n", (unsigned)cp);
            fail();
        }
    }
}

static void no_fill(void *h) { (void)h; }

/* As a program without the library would be told by the loader, but when
 * it is first needed, and naming what needed it. */
static void missing_library_is_named(void **state)
{
    (void)state;
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fd[1], 2);
        static bt_dl_lib lib = BT_DL_LIB("libbitext-absent.so.0", "a test", no_fill);
        bt_dl_load(&lib, "absent_fn");
        _exit(0); /* not reached */
    }
    close(fd[1]);
    char msg[512];
    ssize_t n = read(fd[0], msg, sizeof msg - 1);
    close(fd[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 2);
    assert_true(n > 0);
    msg[n] = '\0';
    assert_non_null(strstr(msg, "bitext: cannot load libbitext-absent.so.0 (a test), "
                                "needed by absent_fn: "));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nfc_inert_agrees_with_icu),
        cmocka_unit_test(properties_agree_with_icu),
        cmocka_unit_test(missing_library_is_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
