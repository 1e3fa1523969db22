/* test_table.c - a lexicon of one's own and the learned table: words added
 * change a pair's evidence; a table learned on a small fixed set adds the
 * words it should; written, read back and merged in any order, a table is
 * the same bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../align/align.h"

static const char *const pairs[][2] = {
    { "Thợ rèn làm việc.", "The blacksmith works." },
    { "Thợ rèn nghỉ ngơi.", "The blacksmith rests." },
    { "Thợ rèn ăn cơm.", "The blacksmith eats rice." },
    { "Thợ rèn đọc báo.", "The blacksmith reads the newspaper." },
    { "Thợ rèn đi chợ.", "The blacksmith goes to the market." },
    { "Nông dân gặt lúa.", "Farmers harvest rice." },
};
enum { NPAIRS = sizeof pairs / sizeof *pairs };

static const char article[] = "Thợ rèn quai búa bên lò than hồng.\n\n"
                              "The blacksmith swings his hammer beside the glowing forge.\n";

/* The score of the article's one pair with lex. */
static double pair_score(const bt_lexicon *lex, bt_pair_status *st)
{
    bt_doc *doc = NULL;
    assert_int_equal(bt_doc_from_buffer("a.txt", article, strlen(article), NULL, NULL, NULL, &doc),
                     BT_OK);
    bt_align_result r;
    bt_align_doc(lex, doc, NULL, &r);
    double score = -1;
    for (size_t i = 0; i < r.npairs; i++)
        if (r.pairs[i].vi && r.pairs[i].en) {
            score = r.pairs[i].score;
            *st = r.pairs[i].status;
        }
    bt_align_result_free(&r);
    bt_doc_free(doc);
    return score;
}

static void dict_words_count(void **state)
{
    (void)state;
    bt_pair_status before, after;
    double s0 = pair_score(bt_lexicon_default(), &before);
    bt_lexicon *lex = bt_lexicon_new();
    assert_int_equal(bt_lexicon_add_word(lex, "thợ rèn", "blacksmith", 0), 1);
    assert_int_equal(bt_lexicon_add_word(lex, "quai", "swing", 0), 1);
    assert_int_equal(bt_lexicon_add_word(lex, "búa", "hammer", 0), 1);
    assert_int_equal(bt_lexicon_add_word(lex, "lò", "forge|furnace", 0), 1);
    assert_int_equal(bt_lexicon_add_word(lex, "than hồng", "glowing|embers", 0), 1);
    assert_int_equal(bt_lexicon_add_word(lex, "", "x", 0), 0);
    assert_int_equal(bt_lexicon_add_word(lex, "búa", "the", 0), 1); /* "the" is kept alone */
    double s1 = pair_score(lex, &after);
    assert_int_equal(before, BT_PAIR_MISMATCH);
    assert_int_equal(after, BT_PAIR_ACCEPTED);
    assert_true(s1 > s0);
    /* the default lexicon is untouched, and not freed */
    assert_int_equal(bt_lexicon_add_word((bt_lexicon *)(uintptr_t)bt_lexicon_default(), "a", "b", 0), 0);
    bt_lexicon_free((bt_lexicon *)(uintptr_t)bt_lexicon_default());
    assert_true(pair_score(bt_lexicon_default(), &before) == s0);
    bt_lexicon_free(lex);
    bt_lexicon_free(NULL);
}

static bt_table *table_of(size_t max, size_t from, size_t to)
{
    bt_table *t = bt_table_new(max);
    for (size_t i = from; i < to; i++) bt_table_add_pair(t, NULL, pairs[i][0], pairs[i][1]);
    return t;
}

static char *written(bt_table *t)
{
    char path[] = "/tmp/bitext-table-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(bt_table_write(t, path), 0);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    bt_buf b;
    bt_buf_init(&b);
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) bt_buf_add(&b, tmp, n);
    fclose(f);
    unlink(path);
    bt_buf_addc(&b, '\0');
    return bt_buf_detach(&b);
}

static void table_learns(void **state)
{
    (void)state;
    bt_table *t = table_of(0, 0, NPAIRS);
    assert_int_equal(bt_table_pairs(t), NPAIRS);
    char *text = written(t);
    /* the blacksmith's words, seen together five times, are learned */
    assert_non_null(strstr(text, "learned\tthợ\tblacksmith\t"));
    assert_non_null(strstr(text, "learned\trèn\tblacksmith\t"));
    assert_null(strstr(text, "learned\tgặt")); /* once is not enough */
    bt_pair_status before, after;
    double s0 = pair_score(bt_lexicon_default(), &before);
    bt_lexicon *lex = bt_lexicon_new();
    assert_true(bt_table_learn(t, lex) >= 2);
    assert_true(pair_score(lex, &after) > s0);
    /* a second time, the words are known: nothing added */
    assert_int_equal(bt_table_learn(t, lex), 0);
    bt_lexicon_free(lex);
    free(text);
    bt_table_free(t);
}

static void table_round_trip(void **state)
{
    (void)state;
    bt_table *t = table_of(0, 0, NPAIRS);
    bt_table_add_pair(t, NULL, pairs[0][0], pairs[0][1]); /* counted twice */
    char *a = written(t);
    assert_non_null(strstr(a, "pair\t2\t"));
    char path[] = "/tmp/bitext-table-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    assert_int_equal(bt_table_write(t, path), 0);
    bt_table *u = bt_table_new(0);
    assert_int_equal(bt_table_read(u, path, NULL, NULL), BT_OK);
    char *b = written(u);
    assert_string_equal(a, b);
    /* a bad line is skipped with a warning, the others read */
    FILE *f = fopen(path, "a");
    fputs("pair\tmany\tx\ty\n", f);
    fclose(f);
    bt_table *w = bt_table_new(0);
    assert_int_equal(bt_table_read(w, path, NULL, NULL), BT_OK);
    assert_int_equal(bt_table_pairs(w), NPAIRS);
    unlink(path);
    assert_int_equal(bt_table_read(w, path, NULL, NULL), BT_ERR_IO);
    free(a);
    free(b);
    bt_table_free(t);
    bt_table_free(u);
    bt_table_free(w);
}

/* Tables of parts merged in either order, each kept to max pairs, are one
 * table of all. */
static void table_merge_order(void **state)
{
    (void)state;
    for (size_t max = 2; max <= NPAIRS + 1; max++) {
        bt_table *all = table_of(max, 0, NPAIRS);
        bt_table *x = table_of(max, 0, 2), *y = table_of(max, 2, 4), *z = table_of(max, 4, NPAIRS);
        bt_table *xyz = bt_table_new(max), *zyx = bt_table_new(max);
        bt_table_merge(xyz, x);
        bt_table_merge(xyz, y);
        bt_table_merge(xyz, z);
        bt_table_merge(zyx, z);
        bt_table_merge(zyx, y);
        bt_table_merge(zyx, x);
        char *a = written(all), *b = written(xyz), *c = written(zyx);
        assert_string_equal(a, b);
        assert_string_equal(a, c);
        assert_int_equal(bt_table_pairs(all), max < NPAIRS ? max : NPAIRS);
        free(a);
        free(b);
        free(c);
        bt_table_free(all);
        bt_table_free(x);
        bt_table_free(y);
        bt_table_free(z);
        bt_table_free(xyz);
        bt_table_free(zyx);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dict_words_count),
        cmocka_unit_test(table_learns),
        cmocka_unit_test(table_round_trip),
        cmocka_unit_test(table_merge_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
