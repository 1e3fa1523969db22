/* test_fold.c - the folding table agrees with ICU, and folds what people
 * type. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>

#include "../../corpus/corpus.h"

static char *fold(const char *s)
{
    bt_buf b;
    bt_buf_init(&b);
    bt_fold(s, strlen(s), &b);
    return bt_buf_detach(&b);
}

/* For every letter the table maps, ICU's "strip marks, lower" gives the same
 * ASCII letter (đ and the horned letters aside, which ICU keeps). */
static void table_matches_icu(void **state)
{
    (void)state;
    UErrorCode err = U_ZERO_ERROR;
    UChar id[64];
    u_uastrcpy(id, "NFD; [:Nonspacing Mark:] Remove; Lower; NFC");
    UTransliterator *t = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
    assert_true(U_SUCCESS(err));
    int checked = 0;
    for (int32_t cp = 0xC0; cp <= 0x1EFF; cp++) {
        if (cp > 0x24F && cp < 0x1E00) continue;
        int32_t f = bt_fold_cp(cp);
        if (f == cp) continue;  /* the table leaves it alone */
        if (cp == 0x110 || cp == 0x111) { assert_int_equal(f, 'd'); continue; }
        UChar buf[8];
        int32_t len = 0, lim;
        U16_APPEND_UNSAFE(buf, len, cp);
        lim = len;
        err = U_ZERO_ERROR;
        utrans_transUChars(t, buf, &len, 8, 0, &lim, &err);
        assert_true(U_SUCCESS(err));
        assert_int_equal(len, 1);
        int32_t icu = buf[0];
        if (icu == 0x1A1) icu = 'o'; /* ơ: a letter of its own in ICU */
        if (icu == 0x1B0) icu = 'u'; /* ư */
        if (icu != f) fail_msg("U+%04X: table %c, ICU U+%04X", (unsigned)cp, (char)f, (unsigned)icu);
        checked++;
    }
    assert_true(checked > 300);
    utrans_close(t);
}

static void folds_vietnamese(void **state)
{
    (void)state;
    char *a = fold("Nguyễn Xuân Sơn");
    assert_string_equal(a, "nguyen xuan son");
    free(a);
    a = fold("ĐINH THẾ HUYNH – Ủy viên");
    assert_string_equal(a, "dinh the huynh - uy vien");
    free(a);
    a = fold("hoà hòa thuỷ thủy People’s");
    assert_string_equal(a, "hoa hoa thuy thuy people's");
    free(a);
    /* decomposed input still folds */
    a = fold("Nguye\xCC\x82\xCC\x83n");
    assert_string_equal(a, "nguyen");
    free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_matches_icu),
        cmocka_unit_test(folds_vietnamese),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
