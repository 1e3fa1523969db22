/* test_pairs_jsonl.c - the lines of pairs.jsonl (bt_align_pairs_jsonl)
 * against jansson, which wrote them before: every line the bytes of
 * json_dumps(JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4))
 * of the object a pair was, and each parses back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../../align/align.h"

/* The object jansson was given for p: members whose string is not UTF-8
 * are left out (json_string gives NULL, json_object_set_new refuses it). */
static char *jansson_line(const char *file, const bt_pair *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "file", json_string(file));
    json_object_set_new(o, "vi_line", p->vi_line ? json_integer((json_int_t)p->vi_line)
                                                 : json_null());
    json_object_set_new(o, "en_line", p->en_line ? json_integer((json_int_t)p->en_line)
                                                 : json_null());
    json_object_set_new(o, "vi", p->vi ? json_string(p->vi) : json_null());
    json_object_set_new(o, "en", p->en ? json_string(p->en) : json_null());
    json_object_set_new(o, "score", json_real(round(p->score * 1000) / 1000));
    json_object_set_new(o, "status", json_string(bt_pair_status_name(p->status)));
    if (p->is_credit) json_object_set_new(o, "credit", json_true());
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));
    json_decref(o);
    return s;
}

/* bt_align_pairs_jsonl on the pairs agrees with jansson line by line. */
static void check_pairs(const char *file, bt_pair *pairs, size_t n)
{
    bt_align_result res;
    memset(&res, 0, sizeof res);
    res.pairs = pairs;
    res.npairs = n;
    bt_buf out;
    bt_buf_init(&out);
    bt_buf_adds(&out, "kept\n"); /* appended to what is there */
    bt_align_pairs_jsonl(&out, file, &res);
    bt_buf want;
    bt_buf_init(&want);
    bt_buf_adds(&want, "kept\n");
    for (size_t i = 0; i < n; i++) {
        char *line = jansson_line(file, &pairs[i]);
        assert_non_null(line);
        bt_buf_adds(&want, line);
        bt_buf_addc(&want, '\n');
        json_error_t err;
        json_t *back = json_loads(line, 0, &err);
        assert_non_null(back);
        json_decref(back);
        free(line);
    }
    assert_string_equal(out.ptr, want.ptr);
    bt_buf_free(&out);
    bt_buf_free(&want);
}

static void test_fields(void **state)
{
    (void)state;
    bt_pair pairs[] = {
        { 3, 4, (char *)"Ảnh: Mai Hoa", (char *)"Photo: Mai Hoa", 0.91234,
          BT_PAIR_ACCEPTED, 1, 0 },
        { 7, 0, (char *)"Thủ tướng \"Phạm\"\t\\", NULL, 0, BT_PAIR_UNPAIRED, 0, 0 },
        { 0, 9, NULL, (char *)"Prime Minister\n", 1, BT_PAIR_UNPAIRED, 0, 0 },
        { 1, 2, (char *)"a", (char *)"b", 0.0005, BT_PAIR_PARTIAL, 0, 0 },
        { 1, 2, (char *)"a", (char *)"b", 0.9995, BT_PAIR_MISMATCH, 0, 0 },
        { 123456789, 1, (char *)"", (char *)"", 0.1, BT_PAIR_ACCEPTED, 1, 0 },
    };
    size_t n = sizeof pairs / sizeof pairs[0];
    check_pairs("dir/a.txt", pairs, n);
    check_pairs("tên \"lạ\".txt", pairs, n);
    check_pairs("x.txt", pairs, 0);
}

/* A string that is not UTF-8 has no member, as jansson left it out. */
static void test_not_utf8(void **state)
{
    (void)state;
    bt_pair pairs[] = {
        { 5, 6, (char *)"bad \xff byte", (char *)"ok", 0.5, BT_PAIR_ACCEPTED, 0, 0 },
        { 5, 6, (char *)"ok", (char *)"\xc3", 0.5, BT_PAIR_PARTIAL, 0, 0 },
        { 5, 6, (char *)"\xed\xa0\x80", (char *)"\x80", 0.5, BT_PAIR_MISMATCH, 1, 0 },
    };
    check_pairs("a.txt", pairs, 3);
    check_pairs("not-utf8-\xfe.txt", pairs, 3); /* no "file" member at all */
}

/* A line longer than the writer's stack buffer. */
static void test_long_line(void **state)
{
    (void)state;
    size_t len = 20000;
    char *vi = malloc(len + 1);
    char *en = malloc(len + 1);
    for (size_t i = 0; i < len; i++) {
        vi[i] = "ab\"\\\x01 "[i % 6];
        en[i] = 'e';
    }
    vi[len] = en[len] = '\0';
    bt_pair p = { 1, 1, vi, en, 0.75, BT_PAIR_ACCEPTED, 0, 0 };
    check_pairs("long.txt", &p, 1);
    free(vi);
    free(en);
}

/* Seeded random pairs built from awkward pieces. */
static void test_random(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "a", " ", "\"", "\\", "\x01", "\n", "\t", "ệ", "Đ", "\xe2\x80\xa8",
        "\xf0\x9f\x98\x80", "/", "{", "\x80", "\xe1\xbb",
    };
    enum { NP = sizeof pieces / sizeof pieces[0], N = 64 };
    unsigned long r = 777;
    char text[2][N][96];
    bt_pair pairs[N];
    for (int round_ = 0; round_ < 200; round_++) {
        for (int i = 0; i < N; i++) {
            for (int side = 0; side < 2; side++) {
                char *s = text[side][i];
                size_t n = 0;
                int k = (int)((r = r * 6364136223846793005UL + 1442695040888963407UL) >> 60);
                for (int j = 0; j < k; j++) {
                    r = r * 6364136223846793005UL + 1442695040888963407UL;
                    /* invalid pieces only in some strings */
                    size_t np = (r >> 20) % 8 == 0 ? NP : NP - 2;
                    const char *p = pieces[(r >> 33) % np];
                    memcpy(s + n, p, strlen(p));
                    n += strlen(p);
                }
                s[n] = '\0';
            }
            r = r * 6364136223846793005UL + 1442695040888963407UL;
            bt_pair *p = &pairs[i];
            memset(p, 0, sizeof *p);
            p->vi = (r >> 10) % 7 ? text[0][i] : NULL;
            p->en = (r >> 13) % 7 ? text[1][i] : NULL;
            p->vi_line = (r >> 16) % 5 ? (r >> 20) % 100000 : 0;
            p->en_line = (r >> 24) % 5 ? (r >> 28) % 100000 : 0;
            p->score = (double)((r >> 32) % 100001) / 100000;
            p->status = (bt_pair_status)((r >> 50) % 4);
            p->is_credit = (r >> 55) % 3 == 0;
        }
        check_pairs("r.txt", pairs, N);
    }
}

/* A score that is not a number has no member, as json_real refused it. */
static void test_score_not_a_number(void **state)
{
    (void)state;
    bt_pair p[] = { { 1, 2, (char *)"a", (char *)"b", NAN, BT_PAIR_ACCEPTED, 0, 0 },
                    { 3, 4, (char *)"c", (char *)"d", INFINITY, BT_PAIR_MISMATCH, 1, 0 } };
    check_pairs("n.txt", p, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_not_utf8),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_score_not_a_number),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
