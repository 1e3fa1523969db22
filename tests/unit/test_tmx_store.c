/* test_tmx_store.c - the memory store (tmx/store.c) that align fills and
 * tmx merge collapses into: one unit per distinct (vi, en) in order of
 * first appearance, its usagecount, and the one rule for the places it
 * keeps (a limit, with or without a "+N more" mark). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../tmx/tmx.h"

/* Unit i as it would be written; sources borrowed until the next call. */
static bt_tmx_unit get(const bt_tmx_store *s, size_t i)
{
    static bt_buf sources;
    static int init;
    if (!init) bt_buf_init(&sources), init = 1;
    bt_tmx_unit u;
    bt_tmx_store_get(s, i, &u, &sources);
    return u;
}

static bt_tmx_unit pair(const char *vi, const char *en, const char *file,
                        unsigned long vl, unsigned long el, double score)
{
    bt_tmx_unit u = { .vi = vi, .en = en, .file = file, .vi_line = vl, .en_line = el,
                      .score = score };
    return u;
}

static void test_add_collapses(void **state)
{
    (void)state;
    bt_tmx_store *s = bt_tmx_store_new(BT_TMX_ALIGN_PLACES, 0);
    bt_tmx_unit a = pair("Ảnh: Mai Hoa", "Photo: Mai Hoa", "a.txt", 3, 4, 0.5);
    a.status = "partial";
    bt_tmx_store_add(s, &a);
    bt_tmx_unit b = pair("Xin chào", "Hello", "a.txt", 5, 6, 0.7);
    bt_tmx_store_add(s, &b);
    bt_tmx_unit c = pair("Ảnh: Mai Hoa", "Photo: Mai Hoa", "b.txt", 1, 2, 0.9);
    bt_tmx_store_add(s, &c);
    bt_tmx_unit d = pair("Xin chào", "Hello there", "b.txt", 7, 7, 0.6);
    bt_tmx_store_add(s, &d);
    bt_tmx_unit e = pair("Ảnh: Mai Hoa", "Photo: Mai Hoa", "c.txt", 9, 9, 0.2);
    bt_tmx_store_add(s, &e);
    /* the same texts split elsewhere are another pair */
    bt_tmx_unit f = pair("Ảnh: Mai", "Hoa\nPhoto: Mai Hoa", "c.txt", 1, 1, 0.1);
    bt_tmx_store_add(s, &f);
    assert_int_equal(bt_tmx_store_size(s), 4);

    bt_tmx_unit u = get(s, 0);
    assert_string_equal(u.vi, "Ảnh: Mai Hoa");
    assert_string_equal(u.en, "Photo: Mai Hoa");
    assert_int_equal(u.usagecount, 3);
    assert_true(u.score == 0.9);          /* the best score */
    assert_string_equal(u.file, "a.txt"); /* the first place and status */
    assert_int_equal(u.vi_line, 3);
    assert_int_equal(u.en_line, 4);
    assert_string_equal(u.status, "partial");
    assert_string_equal(u.more_sources, "b.txt:1:2; c.txt:9:9");

    u = get(s, 1);
    assert_string_equal(u.en, "Hello");
    assert_int_equal(u.usagecount, 1);
    assert_null(u.more_sources);
    assert_null(u.status);
    assert_string_equal(get(s, 2).en, "Hello there");
    assert_string_equal(get(s, 3).vi, "Ảnh: Mai");
    bt_tmx_store_free(s);
    bt_tmx_store_free(NULL);
}

/* align keeps BT_TMX_ALIGN_PLACES places and no mark; every occurrence is
 * one, even at a place seen already. */
static void test_add_places_limit(void **state)
{
    (void)state;
    bt_tmx_store *s = bt_tmx_store_new(BT_TMX_ALIGN_PLACES, 0);
    char file[32];
    for (int i = 0; i < 12; i++) {
        snprintf(file, sizeof file, "f%d.txt", i < 2 ? 0 : i);
        bt_tmx_unit u = pair("Thủ tướng", "Prime Minister", file, 1, 1, 0.8);
        bt_tmx_store_add(s, &u);
    }
    bt_tmx_unit u = get(s, 0);
    assert_int_equal(u.usagecount, 12);
    assert_string_equal(u.file, "f0.txt");
    assert_string_equal(u.more_sources,
                        "f0.txt:1:1; f2.txt:1:1; f3.txt:1:1; f4.txt:1:1; f5.txt:1:1");
    bt_tmx_store_free(s);

    /* the same limit with the mark, as merge counts what it drops */
    s = bt_tmx_store_new(2, 1);
    for (int i = 0; i < 6; i++) {
        snprintf(file, sizeof file, "g%d.txt", i);
        bt_tmx_unit v = pair("Thủ tướng", "Prime Minister", file, 2, 3, 0.8);
        bt_tmx_store_add(s, &v);
    }
    assert_string_equal(get(s, 0).more_sources, "g1.txt:2:3; g2.txt:2:3; +3 more");
    bt_tmx_store_free(s);
}

static void test_merge_rules(void **state)
{
    (void)state;
    bt_tmx_store *s = bt_tmx_store_new(3, 1);
    bt_tmx_unit a = pair("Bộ trưởng", "Minister", "a.txt", 1, 2, 0.4);
    a.usagecount = 0; /* absent: counts one */
    a.more_sources = "x.txt:1:1; a.txt:1:2";
    assert_int_equal(bt_tmx_store_merge(s, &a), BT_TMX_ADDED);
    bt_tmx_unit u = get(s, 0);
    assert_int_equal(u.usagecount, 1);
    assert_string_equal(u.more_sources, "x.txt:1:1"); /* its own place once */

    /* the same occurrences again: not counted */
    assert_int_equal(bt_tmx_store_merge(s, &a), BT_TMX_REIMPORTED);
    bt_tmx_unit b = pair("Bộ trưởng", "Minister", "x.txt", 1, 1, 0.9);
    assert_int_equal(bt_tmx_store_merge(s, &b), BT_TMX_REIMPORTED);
    /* a place of its own that is known, but an x-source that is not */
    b.more_sources = "y.txt:5:5";
    b.usagecount = 4;
    assert_int_equal(bt_tmx_store_merge(s, &b), BT_TMX_COLLAPSED);
    u = get(s, 0);
    assert_int_equal(u.usagecount, 5);
    assert_true(u.score == 0.9); /* the best score, whatever the order */
    assert_string_equal(u.more_sources, "x.txt:1:1; y.txt:5:5");

    /* a unit without a place cannot be told apart: it counts */
    bt_tmx_unit c = { .vi = "Bộ trưởng", .en = "Minister", .score = -1, .usagecount = 2 };
    assert_int_equal(bt_tmx_store_merge(s, &c), BT_TMX_COLLAPSED);
    assert_int_equal(get(s, 0).usagecount, 7);

    /* past the limit: the first places in order are kept (w.txt takes
     * z.txt's room), the others counted, and earlier marks add up; what is
     * no place ("+x more") comes last */
    bt_tmx_unit d = pair("Bộ trưởng", "Minister", "z.txt", 1, 1, 0.1);
    d.more_sources = "w.txt:1:1; +5 more; ; +x more";
    assert_int_equal(bt_tmx_store_merge(s, &d), BT_TMX_COLLAPSED);
    u = get(s, 0);
    assert_string_equal(u.more_sources, "w.txt:1:1; x.txt:1:1; y.txt:5:5; +7 more");
    assert_int_equal(u.usagecount, 8);

    /* a mark is never a known place, so the unit is not a reimport */
    d.more_sources = "+2 more";
    assert_int_equal(bt_tmx_store_merge(s, &d), BT_TMX_COLLAPSED);
    assert_string_equal(get(s, 0).more_sources, "w.txt:1:1; x.txt:1:1; y.txt:5:5; +10 more");
    /* an earlier place than the unit's own becomes its own */
    bt_tmx_unit f = pair("Bộ trưởng", "Minister", "a.txt", 1, 1, 0.1);
    assert_int_equal(bt_tmx_store_merge(s, &f), BT_TMX_COLLAPSED);
    u = get(s, 0);
    assert_string_equal(u.file, "a.txt");
    assert_int_equal(u.vi_line, 1);
    assert_int_equal(u.en_line, 1);
    assert_string_equal(u.more_sources, "a.txt:1:2; w.txt:1:1; x.txt:1:1; +11 more");

    /* usagecount saturates, and is written as at most UINT_MAX */
    bt_tmx_unit e = pair("Đại tá", "Colonel", "e.txt", 1, 1, 0.5);
    e.usagecount = UINT_MAX;
    e.status = "partial";
    assert_int_equal(bt_tmx_store_merge(s, &e), BT_TMX_ADDED);
    e.file = "f.txt";
    assert_int_equal(bt_tmx_store_merge(s, &e), BT_TMX_COLLAPSED);
    u = get(s, 1);
    assert_int_equal(u.usagecount, UINT_MAX);
    assert_string_equal(u.status, "partial");
    assert_string_equal(u.more_sources, "f.txt:1:1");
    bt_tmx_store_free(s);
}

/* Many pairs: the table grows and the order stays that of first sight. */
static void test_many(void **state)
{
    (void)state;
    bt_tmx_store *s = bt_tmx_store_new(BT_TMX_ALIGN_PLACES, 0);
    char vi[32], en[32], file[32];
    for (int round_ = 0; round_ < 2; round_++)
        for (int i = 0; i < 20000; i++) {
            snprintf(vi, sizeof vi, "câu %d", i);
            snprintf(en, sizeof en, "line %d", i % 7000);
            snprintf(file, sizeof file, "f%d.txt", i / 100);
            bt_tmx_unit u = pair(vi, en, file, (unsigned long)i + 1, 1, 0.5);
            bt_tmx_store_add(s, &u);
        }
    assert_int_equal(bt_tmx_store_size(s), 20000);
    for (size_t i = 0; i < 20000; i += 997) {
        bt_tmx_unit u = get(s, i);
        snprintf(vi, sizeof vi, "câu %zu", i);
        snprintf(file, sizeof file, "f%zu.txt", i / 100);
        assert_string_equal(u.vi, vi);
        assert_string_equal(u.file, file);
        assert_int_equal(u.usagecount, 2);
        assert_int_equal(u.vi_line, i + 1);
    }
    bt_tmx_store_free(s);
}

typedef struct seen {
    char vi[64], en[64], sources[128];
    unsigned usagecount;
    size_t n;
} seen;

static int on_unit(void *ud, const bt_tmx_unit *u, const char *vl, const char *el)
{
    (void)vl;
    (void)el;
    seen *s = ud;
    if (s->n++) return 0;
    snprintf(s->vi, sizeof s->vi, "%s", u->vi);
    snprintf(s->en, sizeof s->en, "%s", u->en);
    snprintf(s->sources, sizeof s->sources, "%s", u->more_sources ? u->more_sources : "");
    s->usagecount = u->usagecount;
    return 0;
}

static void test_write(void **state)
{
    (void)state;
    char dir[] = "/tmp/bt-store-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/m.tmx", dir);
    bt_tmx_store *s = bt_tmx_store_new(BT_TMX_MAX_SOURCES, 1);
    bt_tmx_unit a = pair("Chủ tịch", "Chairman", "a.txt", 1, 1, 0.7);
    bt_tmx_store_merge(s, &a);
    a.file = "b.txt";
    bt_tmx_store_merge(s, &a);
    assert_int_equal(bt_tmx_store_write(s, path, "1"), 0);
    seen got = { .n = 0 };
    assert_int_equal(bt_tmx_read(path, on_unit, &got, NULL, NULL), BT_OK);
    assert_int_equal(got.n, 1);
    assert_string_equal(got.vi, "Chủ tịch");
    assert_string_equal(got.sources, "b.txt:1:1");
    assert_int_equal(got.usagecount, 2);
    unlink(path);

    /* a directory that is not there: -1 with errno, nothing left behind */
    snprintf(path, sizeof path, "%s/no/m.tmx", dir);
    errno = 0;
    assert_int_equal(bt_tmx_store_write(s, path, "1"), -1);
    assert_int_equal(errno, ENOENT);
    bt_tmx_store_free(s);
    assert_int_equal(rmdir(dir), 0);
}

/* Writing for translators: language codes checked and written, a note
 * and creationid per unit, units under min_score left out and counted. */
static void test_write_opts(void **state)
{
    (void)state;
    assert_true(bt_tmx_lang_ok("vi"));
    assert_true(bt_tmx_lang_ok("vi-VN"));
    assert_true(bt_tmx_lang_ok("zh-Hant-TW"));
    assert_false(bt_tmx_lang_ok("v"));
    assert_false(bt_tmx_lang_ok("en_US"));
    assert_false(bt_tmx_lang_ok("en-"));
    assert_false(bt_tmx_lang_ok("vi\"><x"));
    assert_false(bt_tmx_lang_ok("1a"));
    char dir[] = "/tmp/bt-store-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/m.tmx", dir);
    bt_tmx_store *s = bt_tmx_store_new(BT_TMX_ALIGN_PLACES, 1);
    bt_tmx_unit a = pair("Chủ tịch", "Chairman", "a&b.txt", 3, 4, 0.95);
    bt_tmx_store_add(s, &a);
    bt_tmx_unit b = pair("Thủ tướng", "Prime Minister", "a&b.txt", 5, 6, 0.5);
    bt_tmx_store_add(s, &b);
    b.score = 0.91; /* a repeat counts with its best score */
    bt_tmx_store_add(s, &b);
    bt_tmx_unit c = pair("Ảnh", "Photo", "c.txt", 1, 2, 0.2);
    bt_tmx_store_add(s, &c);
    bt_tmx_write_opts o = { .lang_vi = "vi-VN", .lang_en = "en-US", .provenance = 1,
                            .min_score = 0.9 };
    size_t written = 99;
    assert_int_equal(bt_tmx_store_write_opts(s, path, "1", &o, &written), 0);
    assert_int_equal(written, 2);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    assert_non_null(strstr(buf, "srclang=\"vi-VN\""));
    assert_non_null(strstr(buf, "<tuv xml:lang=\"en-US\">"));
    assert_non_null(strstr(buf, "creationid=\"bitext\">\n      <note>a&amp;b.txt:3, score 0.950, accepted</note>"));
    assert_non_null(strstr(buf, "<note>a&amp;b.txt:5, score 0.910, accepted, seen 2 times</note>"));
    assert_null(strstr(buf, "Photo"));
    unlink(path);
    bt_tmx_store_free(s);
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_collapses),
        cmocka_unit_test(test_add_places_limit),
        cmocka_unit_test(test_merge_rules),
        cmocka_unit_test(test_many),
        cmocka_unit_test(test_write),
        cmocka_unit_test(test_write_opts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
