/* test_check_pipeline.c - the consistency check on real alignments: text
 * read with bt_doc_from_buffer, annotated, aligned with bt_align_doc, then checked,
 * so that a change in the reader or the aligner that loses a finding (or
 * invents one) shows here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../check/check.h"

static void add_text(bt_check *c, const char *name, const char *text)
{
    bt_doc *doc = NULL;
    assert_int_equal(bt_doc_from_buffer(name, text, strlen(text), NULL, NULL,
                                        NULL, &doc),
                     BT_OK);
    /* annotated first, as bitext check does: the aligner leaves the words
     * of its pairs there, and what the check reads is found before it runs */
    bt_annotation *a = bt_annotate(bt_lexicon_default(), doc);
    bt_align_opts o = { .notes = a };
    bt_align_result r;
    memset(&r, 0, sizeof r);
    bt_align_doc(bt_lexicon_default(), doc, &o, &r);
    bt_check_prepare(a, &r); /* as in a worker */
    assert_int_equal(bt_check_add(c, a, &r), BT_OK);
    bt_align_result_free(&r);
    bt_annotation_free(a);
    bt_doc_free(doc);
}

static void test_reused_caption(void **state)
{
    (void)state;
    bt_check *c = bt_check_new(bt_lexicon_default(), NULL);
    add_text(c, "reused.txt",
             "Provincial leaders at the conference\n"
             "\n"
             "Đồng chí Phan Đức Đông - Ủy viên Ban Thường vụ Tỉnh ủy, Trưởng "
             "ban Tổ chức Tỉnh ủy phát biểu tại hội nghị. Ảnh: Hải Yến\n"
             "Comrade Phan Duc Dong - Member of the Provincial Party Standing "
             "Committee, Vice Chairman of the Provincial People's Committee "
             "speaks at the conference. Photo: Hai Yen\n");
    const bt_check_finding *f;
    size_t n = bt_check_findings(c, &f);
    assert_int_equal(n, 1);
    assert_int_equal(f[0].kind, BT_CHECK_CAPTION_MISMATCH);
    assert_string_equal(f[0].subject, "Phan Đức Đông");
    assert_int_equal(f[0].nitems, 2);
    assert_int_equal(f[0].items[0].line, 3);
    assert_int_equal(f[0].items[1].line, 4);
    assert_non_null(strstr(f[0].items[0].vi, "Trưởng ban Tổ chức"));
    assert_non_null(strstr(f[0].items[1].en, "Vice Chairman"));
    bt_check_free(c);
}

static void test_agreeing_article(void **state)
{
    (void)state;
    bt_check *c = bt_check_new(bt_lexicon_default(), NULL);
    add_text(c, "agree.txt",
             "Đồng chí Nguyễn Xuân Sơn - Phó Bí thư Thường trực Tỉnh ủy, Chủ "
             "tịch HĐND tỉnh phát biểu. Ảnh: Mai Hoa\n"
             "Comrade Nguyen Xuan Son - Standing Deputy Secretary of the "
             "Provincial Party Committee, Chairman of the Provincial People's "
             "Council spoke. Photo: Mai Hoa\n"
             "\n"
             "Standing Deputy Secretary Nguyen Xuan Son also asked the "
             "Provincial Party Committee's Mass Mobilization Commission to "
             "report. Comrade Nguyen Xuan Son - Standing Deputy Secretary of "
             "the Provincial Party Committee, Chairman of the Provincial "
             "People's Council closed the meeting.\n");
    assert_int_equal(bt_check_findings(c, NULL), 0);
    bt_check_free(c);
}

static void test_variants_across_articles(void **state)
{
    (void)state;
    bt_check *c = bt_check_new(bt_lexicon_default(), NULL);
    add_text(c, "one.txt",
             "The Central Committee for Mass Mobilization held a conference "
             "on the morning of January 5.\n");
    add_text(c, "two.txt",
             "Truong Thi Mai - Politburo member, Head of the Central Mass "
             "Mobilization Commission spoke at the conference.\n");
    assert_int_equal(bt_check_count(c, BT_CHECK_ENGLISH_VARIANT), 1);
    assert_int_equal(bt_check_findings(c, NULL), 1);
    assert_int_equal(bt_check_files(c), 2);
    bt_check_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reused_caption),
        cmocka_unit_test(test_agreeing_article),
        cmocka_unit_test(test_variants_across_articles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
