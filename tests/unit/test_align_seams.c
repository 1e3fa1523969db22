/* test_align_seams.c - the phases of caption alignment, each on its own:
 * the credit matcher (align/credit.c), the segmenter and the line joiner
 * (align/segment.c), the features and judgement of one pair
 * (align/evidence.c) and the pairing of a small block (align/pairing.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../align/caption_int.h"

static bt_doc *doc_of(const char *text)
{
    bt_doc *d = NULL;
    assert_int_equal(bt_doc_from_buffer("t.txt", text, strlen(text), NULL, NULL, NULL, &d), BT_OK);
    assert_non_null(d);
    return d;
}

/* ---- credit.c ---- */

/* The kind of credit s is in lang; its folded name key into key (may be
 * NULL). */
static int kind(bt_lang lang, const char *s, char *key, size_t keysz)
{
    bt_buf k, scratch;
    bt_buf_init(&k);
    bt_buf_init(&scratch);
    int c = credit_kind(lang, s, strlen(s), &k, &scratch);
    if (key) snprintf(key, keysz, "%s", k.ptr);
    bt_buf_free(&k);
    bt_buf_free(&scratch);
    return c;
}

static void test_credit_named(void **state)
{
    (void)state;
    char vk[64], ek[64];
    assert_int_equal(kind(BT_LANG_VI, "Ảnh: Mai Hoa", vk, sizeof vk), CREDIT_NAMED);
    assert_int_equal(kind(BT_LANG_EN, "Photo: Mai Hoa", ek, sizeof ek), CREDIT_NAMED);
    assert_string_equal(vk, "mai hoa");
    assert_string_equal(ek, "mai hoa");
    /* in parentheses, with a full stop, in capitals */
    assert_int_equal(kind(BT_LANG_VI, "(ẢNH: MAI HOA)", vk, sizeof vk), CREDIT_NAMED);
    assert_string_equal(vk, "mai hoa");
    assert_int_equal(kind(BT_LANG_EN, "Photo: Mai Hoa.", ek, sizeof ek), CREDIT_NAMED);
    assert_string_equal(ek, "mai hoa");
    assert_int_equal(kind(BT_LANG_VI, "Nguồn: Báo Nghệ An", vk, sizeof vk), CREDIT_NAMED);
    assert_int_equal(kind(BT_LANG_EN, "Source: Nghe An Newspaper", ek, sizeof ek), CREDIT_NAMED);
}

static void test_credit_web(void **state)
{
    (void)state;
    char vk[64], ek[64];
    /* where on the web: the name, then the medium, in both editions */
    assert_int_equal(kind(BT_LANG_VI, "Ảnh từ Weibo của Triệu Lệ Dĩnh", vk, sizeof vk), CREDIT_NAMED);
    assert_string_equal(vk, "trieu le dinh weibo");
    assert_int_equal(kind(BT_LANG_EN, "Photo from Zhao Liying's Weibo", ek, sizeof ek), CREDIT_NAMED);
    assert_string_equal(ek, "zhao liying weibo");
    assert_true(credit_same_medium(vk, ek));
    assert_int_equal(kind(BT_LANG_VI, "Ảnh: Facebook Mỹ Tâm", vk, sizeof vk), CREDIT_NAMED);
    assert_int_equal(kind(BT_LANG_EN, "Photo: My Tam's Facebook", ek, sizeof ek), CREDIT_NAMED);
    assert_string_equal(vk, ek);
    assert_false(credit_same_medium("mai hoa", "thanh ha"));
    assert_int_equal(kind(BT_LANG_EN, "Photos from Hoa Minzy's Instagram", ek, sizeof ek), CREDIT_NAMED);
    assert_string_equal(ek, "hoa minzy instagram");
    /* and whole-article mode counts them */
    assert_true(credit_article_pair("Ảnh từ Weibo của Triệu Lệ Dĩnh", "Photo from Zhao Liying's Weibo"));
    assert_true(credit_article_pair("Nguồn: VnExpress", "Source: VnExpress"));
    assert_true(credit_article_pair("Ảnh: Facebook Mỹ Tâm", "Photo: My Tam's Facebook"));
}

static void test_credit_agency(void **state)
{
    (void)state;
    char vk[64], ek[64];
    /* the news agency is TTXVN in Vietnamese, VNA in English: one key */
    assert_int_equal(kind(BT_LANG_VI, "Ảnh: Thanh Hà/TTXVN", vk, sizeof vk), CREDIT_NAMED);
    assert_int_equal(kind(BT_LANG_EN, "Photo: Thanh Ha/VNA", ek, sizeof ek), CREDIT_NAMED);
    assert_string_equal(vk, ek);
    assert_string_equal(vk, "thanh ha/vna");
}

static void test_credit_unnamed(void **state)
{
    (void)state;
    assert_int_equal(kind(BT_LANG_VI, "Ảnh tư liệu", NULL, 0), CREDIT_ARCHIVE);
    assert_int_equal(kind(BT_LANG_VI, "Ảnh: Tư liệu", NULL, 0), CREDIT_ARCHIVE);
    assert_int_equal(kind(BT_LANG_EN, "File photo", NULL, 0), CREDIT_ARCHIVE);
    assert_int_equal(kind(BT_LANG_EN, "Photo: Archive", NULL, 0), CREDIT_ARCHIVE);
    assert_int_equal(kind(BT_LANG_VI, "Ảnh minh họa", NULL, 0), CREDIT_ILLUSTRATION);
    assert_int_equal(kind(BT_LANG_EN, "Illustrative photo", NULL, 0), CREDIT_ILLUSTRATION);
    assert_int_equal(kind(BT_LANG_EN, "Illustration", NULL, 0), CREDIT_ILLUSTRATION);
}

static void test_credit_not(void **state)
{
    (void)state;
    assert_int_equal(kind(BT_LANG_VI, "Người dân đón Tết.", NULL, 0), CREDIT_NONE);
    assert_int_equal(kind(BT_LANG_EN, "Photographers gathered at the gate.", NULL, 0), CREDIT_NONE);
    /* the openings are per language */
    assert_int_equal(kind(BT_LANG_EN, "Ảnh: Mai Hoa", NULL, 0), CREDIT_NONE);
    assert_int_equal(kind(BT_LANG_VI, "Photo: Mai Hoa", NULL, 0), CREDIT_NONE);
    /* a name of more than five words is a sentence */
    assert_int_equal(kind(BT_LANG_EN, "Photo: one two three four five six", NULL, 0), CREDIT_NONE);
}

static void test_credit_lines(void **state)
{
    (void)state;
    assert_true(credit_maybe_en("Farmers harvest rice. Photo: Mai Hoa", 36));
    assert_false(credit_maybe_en("Farmers harvest rice in Nghe An.", 32));
    bt_line l = { 0 };
    l.text = "  Ảnh: Mai Hoa";
    l.len = strlen(l.text);
    l.lang = BT_LANG_VI;
    assert_true(credit_line_opens(&l));
    assert_true(credit_line_holds(&l));
    l.text = "Nông dân thu hoạch lúa";
    l.len = strlen(l.text);
    assert_false(credit_line_opens(&l));
    assert_false(credit_line_holds(&l));
    /* whole-article mode wants a colon, or a credit with no name */
    assert_true(credit_article_pair("Ảnh: Mai Hoa", "Photo: Mai Hoa"));
    assert_true(credit_article_pair("Ảnh tư liệu", NULL));
    assert_true(credit_article_pair("Ảnh minh họa", "Illustrative photo"));
    assert_true(credit_article_pair(NULL, "Photo by Mai Hoa"));
    assert_false(credit_article_pair("Ảnh Mai Hoa", "Photo: Mai Hoa"));
    assert_false(credit_article_pair("Người dân đón Tết.", "People celebrate Tet."));
}

/* ---- segment.c ---- */

static void test_segments(void **state)
{
    (void)state;
    segs sg;
    cap_segs_init(&sg);
    /* Vietnamese: each sentence a segment; a credit glued on its own */
    const char *vi = "Nông dân gặt lúa. Trời nắng đẹp Ảnh: Mai Hoa";
    cap_line_segments(&sg, vi, strlen(vi), BT_LANG_VI, 0);
    assert_int_equal(sg.n, 3);
    assert_string_equal(sg.v[0].text, "Nông dân gặt lúa.");
    assert_int_equal(sg.v[0].credit, CREDIT_NONE);
    assert_string_equal(sg.v[1].text, "Trời nắng đẹp");
    assert_string_equal(sg.v[2].text, "Ảnh: Mai Hoa");
    assert_int_equal(sg.v[2].credit, CREDIT_NAMED);
    assert_string_equal(sg.v[2].credit_key, "mai hoa");
    /* English: the content of the line as one segment, then its credit */
    const char *en = "Farmers harvest rice. The sun shines. Photo: Mai Hoa";
    cap_line_segments(&sg, en, strlen(en), BT_LANG_EN, 1);
    assert_int_equal(sg.n, 5);
    assert_string_equal(sg.v[3].text, "Farmers harvest rice. The sun shines.");
    assert_true(sg.v[3].has_credit_after);
    assert_int_equal(sg.v[3].line, 1);
    assert_int_equal(sg.v[4].credit, CREDIT_NAMED);
    assert_string_equal(sg.v[4].credit_key, "mai hoa");
    /* characters, not bytes; spaces collapsed */
    const char *sp = "Hà   Nội";
    cap_line_segments(&sg, sp, strlen(sp), BT_LANG_VI, 2);
    assert_string_equal(sg.v[5].text, "Hà Nội");
    assert_int_equal(sg.v[5].chars, 6);
    cap_segs_free(&sg);
}

static void test_wrapped_lines(void **state)
{
    (void)state;
    bt_doc *d = doc_of("Đồng chí Nguyễn Văn Minh trao quà cho\n"
                       "các hộ nghèo xã Hạnh Lâm.\n"
                       "Ảnh: Mai Hoa\n"
                       "Comrade Nguyen Van Minh presents gifts to\n"
                       "poor households in Hanh Lam commune.\n");
    logical_lines lt;
    cap_logical_init(&lt, d);
    assert_int_equal(d->nlines, 5);
    assert_false(lt.cont[0]);
    assert_true(lt.cont[1]);  /* no closing mark above: one caption */
    assert_false(lt.cont[2]); /* a credit line stands alone */
    assert_false(lt.cont[3]); /* another language */
    assert_true(lt.cont[4]);
    assert_string_equal(lt.text[0], "Đồng chí Nguyễn Văn Minh trao quà cho các hộ nghèo xã Hạnh Lâm.");
    assert_string_equal(lt.text[3], "Comrade Nguyen Van Minh presents gifts to poor households in "
                                    "Hanh Lam commune.");
    cap_logical_free(&lt, d);
    bt_doc_free(d);
}

static void test_furniture(void **state)
{
    (void)state;
    bt_doc *d = doc_of("Latest News\n"
                       "Farmers harvest rice in Dien Chau\n"
                       "- July 23, 2025\n"
                       "The harvest began early this year as farmers raced the storms\n"
                       "• Nông dân thu hoạch lúa trên cánh đồng.\n");
    logical_lines lt;
    cap_logical_init(&lt, d);
    assert_true(lt.furn[0]);
    assert_false(lt.furn[1]);
    assert_true(lt.furn[2]);
    assert_false(lt.furn[3]);
    for (size_t i = 0; i < 5; i++) assert_false(lt.cont[i]); /* nothing glued */
    assert_string_equal(lt.text[4], "Nông dân thu hoạch lúa trên cánh đồng."); /* no bullet */
    cap_logical_free(&lt, d);
    bt_doc_free(d);
    assert_true(cap_furniture("June 08, 2025", 13));
    assert_true(cap_furniture("Thứ Hai, 08/06/2025 10:15", strlen("Thứ Hai, 08/06/2025 10:15")));
    assert_true(cap_furniture("14:58 08/06/2025", 16));
    assert_true(cap_furniture("By Thanh Ha", 11));
    assert_false(cap_furniture("By the river", 12));
    assert_false(cap_furniture("Hanoi Opera House", 17));
    assert_false(cap_furniture("June rain floods 20 houses", 26));
    assert_int_equal(cap_bullet_len("- Hello", 7), 2);
    assert_int_equal(cap_bullet_len("-5 degrees", 10), 0);
}

/* ---- evidence.c ---- */

static void test_evidence_same(void **state)
{
    (void)state;
    pair_features f;
    double score;
    bt_pair_status st = cap_pair_evidence(NULL, "Chủ tịch nước Nguyễn Văn Minh thăm Hà Nội.",
                                          "President Nguyen Van Minh visits Hanoi.", &f, &score);
    assert_int_equal(st, BT_PAIR_ACCEPTED);
    assert_true(f.names >= 1);
    assert_int_equal(f.names_hit, f.names);
    assert_int_equal(f.en_names_extra, 0);
    assert_true(f.titles_hit >= 1);
    assert_int_equal(f.vi_titles_extra, 0);
    assert_int_equal(f.en_titles_extra, 0);
    assert_true(f.ratio > 0.7 && f.ratio < 1.4);
    assert_true(f.anchor > 0.8);
    assert_true(score >= 0.45 && score <= 1.0);
}

static void test_evidence_numbers(void **state)
{
    (void)state;
    pair_features f;
    double score;
    cap_pair_evidence(NULL, "Năm 2024, tỉnh trồng 500 ha rừng.",
                      "In 2024, the province planted 500 ha of forest.", &f, &score);
    assert_int_equal(f.nums, 2);
    assert_int_equal(f.nums_hit, 2);
}

static void test_evidence_other_person(void **state)
{
    (void)state;
    pair_features f;
    double score;
    bt_pair_status st = cap_pair_evidence(NULL, "Chủ tịch nước Nguyễn Văn Minh thăm Hà Nội.",
                                          "Prime Minister Tran Thi Lan visits Hue.", &f, &score);
    assert_int_equal(st, BT_PAIR_MISMATCH);
    assert_int_equal(f.names_hit, 0);
    assert_true(score <= 0.3);
}

static void test_judge(void **state)
{
    (void)state;
    /* the judgement alone, on features set by hand */
    pair_features f = { 0 };
    double score;
    f.names = f.names_hit = 1;
    f.ratio = 1.0;
    f.length_fit = 1.0;
    f.anchor = 1.0;
    /* the same person, and nothing else said: likely */
    assert_int_equal(cap_judge(&f, &score), BT_PAIR_ACCEPTED);
    assert_true(score > 0.7);
    /* and every word of both sides explained: near certain */
    f.words = f.words_hit = 4;
    f.en_words = f.en_words_hit = 3;
    assert_int_equal(cap_judge(&f, &score), BT_PAIR_ACCEPTED);
    assert_true(score > 0.95);
    /* the same person doing something else: a reused caption */
    f.words_hit = 0;
    f.en_words_hit = 0;
    assert_int_equal(cap_judge(&f, &score), BT_PAIR_MISMATCH);
    assert_true(score < 0.3);
    f.words_hit = 4;
    f.en_words_hit = 3;
    f.ratio = 2.0; /* the English says much more */
    assert_int_equal(cap_judge(&f, &score), BT_PAIR_PARTIAL);
    f.ratio = 1.0;
    /* too little shared: another person, a word of four */
    f.names_hit = 0;
    f.words_hit = 1;
    f.en_words_hit = 0;
    assert_int_equal(cap_judge(&f, &score), BT_PAIR_MISMATCH);
    /* a candidate's rank: the next line first; nothing shared, far away: none */
    f.anchor = 1.0;
    assert_true(cap_rank(&f, 1, 0) > cap_rank(&f, 2, 0));
    assert_true(cap_rank(&f, 2, 0) > cap_rank(&f, -1, 0));
    f.anchor = 0;
    assert_true(cap_rank(&f, 3, 0) < 0);
    assert_true(cap_rank(&f, 1, 0) >= 0);
}

/* ---- pairing.c ---- */

static void test_pairing_block(void **state)
{
    (void)state;
    /* two captions, the second's English first, and a credit each */
    bt_doc *d = doc_of("Chủ tịch nước Nguyễn Văn Minh thăm Hà Nội. Ảnh: Mai Hoa\n"
                       "President Nguyen Van Minh visits Hanoi. Photo: Mai Hoa\n"
                       "\n"
                       "Prime Minister Tran Thi Lan visits Hue. Photo: Ngoc Khanh\n"
                       "Thủ tướng Trần Thị Lan thăm Huế. Ảnh: Ngọc Khánh\n");
    cap_run r;
    bt_align_result out = { 0 };
    cap_run_init(&r, NULL, d, NULL);
    cap_segment(&r);
    assert_int_equal(r.sg.n, 8);
    cap_candidates(&r);
    assert_true(r.nc >= 2);
    /* best first */
    for (size_t i = 1; i < r.nc; i++) assert_true(r.cv[i - 1].rank >= r.cv[i].rank);
    cap_choose(&r, &out);
    assert_int_equal(out.npairs, 2);
    cap_pair_credits(&r, &out);
    assert_int_equal(out.npairs, 4);
    cap_unpaired(&r, &out);
    assert_int_equal(out.npairs, 4);
    cap_order(&r, &out);
    assert_string_equal(out.pairs[0].vi, "Chủ tịch nước Nguyễn Văn Minh thăm Hà Nội.");
    assert_string_equal(out.pairs[0].en, "President Nguyen Van Minh visits Hanoi.");
    assert_int_equal(out.pairs[0].status, BT_PAIR_ACCEPTED);
    assert_true(out.pairs[1].is_credit);
    assert_string_equal(out.pairs[1].en, "Photo: Mai Hoa");
    assert_int_equal(out.pairs[2].vi_line, 5);
    assert_int_equal(out.pairs[2].en_line, 4);
    assert_string_equal(out.pairs[2].en, "Prime Minister Tran Thi Lan visits Hue.");
    assert_true(out.pairs[3].is_credit);
    assert_string_equal(out.pairs[3].vi, "Ảnh: Ngọc Khánh");
    cap_en_spans(&r, &out);
    cap_terms(&r, &out);
    assert_true(out.nterms >= 2);
    cap_run_free(&r);
    bt_align_result_free(&out);
    bt_doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_credit_named),
        cmocka_unit_test(test_credit_web),
        cmocka_unit_test(test_credit_agency),
        cmocka_unit_test(test_credit_unnamed),
        cmocka_unit_test(test_credit_not),
        cmocka_unit_test(test_credit_lines),
        cmocka_unit_test(test_segments),
        cmocka_unit_test(test_wrapped_lines),
        cmocka_unit_test(test_furniture),
        cmocka_unit_test(test_evidence_same),
        cmocka_unit_test(test_evidence_numbers),
        cmocka_unit_test(test_evidence_other_person),
        cmocka_unit_test(test_judge),
        cmocka_unit_test(test_pairing_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
