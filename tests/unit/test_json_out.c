/* test_json_out.c - the direct JSON writer against jansson, the outside
 * authority on the bytes pairs.jsonl held before: same output for strings,
 * integers and reals, and the strings parse back to what went in. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../../base/json_out.h"

/* jansson's bytes for one value (caller frees), NULL when it refuses it */
static char *jansson_dump(json_t *v, size_t flags)
{
    if (!v) return NULL;
    char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | flags);
    json_decref(v);
    return s;
}

/* The _put forms appended to b (0, or -1 with b unchanged where they give
 * NULL), as the tests below use them. */
static int bt_json_str(bt_buf *b, const char *s)
{
    size_t len = strlen(s);
    char stack[256];
    size_t max = BT_JSON_STR_MAX(len);
    char *tmp = max <= sizeof stack ? stack : bt_xmalloc(max);
    char *e = bt_json_str_put(tmp, s, len);
    if (e) bt_buf_add(b, tmp, (size_t)(e - tmp));
    if (tmp != stack) free(tmp);
    return e ? 0 : -1;
}

static void bt_json_int(bt_buf *b, long long v)
{
    char tmp[BT_JSON_INT_MAX];
    bt_buf_add(b, tmp, (size_t)(bt_json_int_put(tmp, v) - tmp));
}

static int bt_json_real4(bt_buf *b, double v)
{
    char tmp[BT_JSON_REAL_MAX];
    char *e = bt_json_real4_put(tmp, v);
    if (!e) return -1;
    bt_buf_add(b, tmp, (size_t)(e - tmp));
    return 0;
}

/* bt_json_str agrees with jansson on s: the same bytes, or both refuse it
 * (leaving the buffer as it was); what is written parses back to s. */
static void check_str(const char *s)
{
    bt_buf b;
    bt_buf_init(&b);
    bt_buf_adds(&b, "x");
    int rc = bt_json_str(&b, s);
    char *want = jansson_dump(json_string(s), 0);
    if (!want) {
        assert_int_equal(rc, -1);
        assert_string_equal(b.ptr, "x");
        bt_buf_free(&b);
        return;
    }
    assert_int_equal(rc, 0);
    assert_string_equal(b.ptr + 1, want);
    json_error_t err;
    json_t *back = json_loads(b.ptr + 1, JSON_DECODE_ANY, &err);
    assert_non_null(back);
    assert_true(json_is_string(back));
    assert_string_equal(json_string_value(back), s);
    json_decref(back);
    free(want);
    bt_buf_free(&b);
}

static void strings_tricky(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "", "a", "\"", "\\", "\\\"", "\"\\\"", "/", "</script>", "a\"b\\c",
        "\x7f", "\xc2\x80\xc2\x9f", /* DEL and C1 controls stay as they are */
        "\xe2\x80\xa8\xe2\x80\xa9", /* U+2028, U+2029 */
        "Chủ tịch UBND tỉnh \"Nghệ An\"\t(Đ)", "\xef\xbb\xbf" "bom",
        "\xef\xbf\xbe\xef\xbf\xbf", "\xf0\x9f\x98\x80 emoji", "\xf4\x8f\xbf\xbf",
        "tab\there", "line\nbreak", "cr\rlf\n", "\b\f", "end\\",
        /* not UTF-8: refused by both */
        "\x80", "a\xc0\x80", "\xc1\xbf", "\xed\xa0\x80", "\xed\xbf\xbf",
        "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff", "\xe1\x80", "ok\xe1",
        "\xf0\x8f\xbf\xbf", "\xe0\x9f\xbf", "\xc3", "\xc3(",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) check_str(cases[i]);
    /* each special byte at every place of a longer string (plain ASCII is
     * passed over eight bytes at a time) */
    static const char *const specials[] = { "\"", "\\", "\x01", "\x1f", "\n", "\x7f",
                                            "é", "\xe2\x80\xa8", "\x80", "\xe1\x80", "\xf0\x9f\x98\x80" };
    char s[64];
    for (size_t k = 0; k < sizeof specials / sizeof specials[0]; k++)
        for (size_t pos = 0; pos <= 20; pos++) {
            size_t l = strlen(specials[k]);
            memset(s, 'a', 24 + l);
            memcpy(s + pos, specials[k], l);
            s[24 + l] = '\0';
            check_str(s);
        }
    char one[4];
    for (int c = 1; c < 0x80; c++) { /* every control and every ASCII char */
        one[0] = (char)c;
        one[1] = '\0';
        check_str(one);
        one[0] = 'a';
        one[1] = (char)c;
        one[2] = 'b';
        one[3] = '\0';
        check_str(one);
    }
}

static void strings_random(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "a", "Z", " ", "\"", "\\", "\x01", "\x1f", "\n", "\t", "\r", "\x7f",
        "ệ", "Đ", "\xe2\x80\xa8", "\xf0\x9f\x98\x80", "\xc2\xa0", "/", "{",
        "\x80", "\xe1\xbb", "\xed\xa0\x80", "\xf8",
    };
    enum { NP = sizeof pieces / sizeof pieces[0] };
    unsigned long r = 12345;
    char s[256];
    for (int t = 0; t < 20000; t++) {
        size_t n = 0;
        int k = (int)((r = r * 6364136223846793005UL + 1442695040888963407UL) >> 59);
        /* most strings valid: the invalid pieces only every fourth string */
        int np = t % 4 ? NP - 3 : NP;
        for (int i = 0; i < k; i++) {
            r = r * 6364136223846793005UL + 1442695040888963407UL;
            const char *p = pieces[(r >> 33) % (unsigned long)np];
            size_t l = strlen(p);
            memcpy(s + n, p, l);
            n += l;
        }
        s[n] = '\0';
        check_str(s);
    }
}

static void check_int(long long v)
{
    bt_buf b;
    bt_buf_init(&b);
    bt_json_int(&b, v);
    char *want = jansson_dump(json_integer((json_int_t)v), 0);
    assert_string_equal(b.ptr, want);
    free(want);
    bt_buf_free(&b);
}

static void integers(void **state)
{
    (void)state;
    static const long long cases[] = { 0, 1, -1, 9, 10, 99, 100, 12345, -987654321,
                                       LLONG_MAX, LLONG_MIN, LLONG_MIN + 1 };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) check_int(cases[i]);
    for (long long v = 1; v > 0 && v < LLONG_MAX / 3; v = v * 3 + 1) {
        check_int(v);
        check_int(-v);
    }
}

static void check_real(double v)
{
    bt_buf b;
    bt_buf_init(&b);
    bt_buf_adds(&b, "x");
    int rc = bt_json_real4(&b, v);
    char *want = jansson_dump(json_real(v), JSON_REAL_PRECISION(4));
    if (!want) {
        assert_int_equal(rc, -1);
        assert_string_equal(b.ptr, "x");
    } else {
        assert_int_equal(rc, 0);
        assert_string_equal(b.ptr + 1, want);
    }
    free(want);
    bt_buf_free(&b);
}

static void reals(void **state)
{
    (void)state;
    /* every score as pairs.jsonl rounds it, and their neighbours */
    for (int k = -2000; k <= 3000; k++) {
        double v = round((double)k) / 1000;
        check_real(v);
        check_real(nextafter(v, 10));
        check_real(nextafter(v, -10));
        check_real((double)k / 1000 + 0.0004999);
    }
    static const double cases[] = { 0.0, -0.0, 1.0, 0.5, 0.05, 0.0005, 0.00005,
                                    1e-5, 1e-300, 9.9995, 99.95, 12345.6, 1e5, 1e15,
                                    1e20, -1e20, 1e-20, DBL_MAX, -DBL_MAX, DBL_MIN,
                                    DBL_TRUE_MIN, 0.1 + 0.2, 2.0 / 3 };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) check_real(cases[i]);
    check_real(NAN);
    check_real(INFINITY);
    check_real(-INFINITY);
    unsigned long r = 99;
    for (int t = 0; t < 20000; t++) {
        r = r * 6364136223846793005UL + 1442695040888963407UL;
        double v = (double)(r >> 11) / (double)(1UL << 53);
        check_real(v);
        check_real(round(v * 1000) / 1000);
        check_real(ldexp(v, (int)(r % 200) - 100));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strings_tricky),
        cmocka_unit_test(strings_random),
        cmocka_unit_test(integers),
        cmocka_unit_test(reals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
