/* test_pair_evidence.c - the reasons behind a pair's judgement
 * (bt_pair_evidence): the judge's own inputs, each its weight times its
 * value, summing to the judge's own score; largest first, where the judge
 * starts last; the words behind the counts; and the photo credit that
 * ends a caption, found as credits are read. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../align/align.h"

static const char *VI = "Đồng chí Lê Hồng Vinh - Ủy viên Ban Thường vụ Tỉnh ủy, Chủ nhiệm Ủy ban "
                        "Kiểm tra Tỉnh ủy, Trưởng ban Kinh tế - Ngân sách HĐND tỉnh tham gia ý "
                        "kiến tại cuộc làm việc.";
static const char *EN = "Comrade Le Hong Vinh - Member of the Provincial Party Standing Committee, "
                        "Vice Chairman of the Provincial People's Committee presented the "
                        "Commemorative Medal to Comrade Phan Thanh Doai - Deputy Head of the "
                        "Provincial Party Committee's Mass Mobilization Commission.";

static const bt_evidence_reason *reason(const bt_evidence *ev, const char *feature)
{
    for (size_t i = 0; i < ev->n; i++)
        if (!strcmp(ev->reason[i].feature, feature)) return &ev->reason[i];
    return NULL;
}

static void test_reasons(void **state)
{
    (void)state;
    const char *pairs[][2] = { { VI, EN },
                               { "Quang cảnh hội nghị tại Hà Nội.", "Conference scene in Hanoi." } };
    for (size_t k = 0; k < 2; k++) {
        bt_evidence ev;
        bt_pair_evidence(NULL, pairs[k][0], pairs[k][1], &ev);
        assert_true(ev.n >= 2);
        assert_string_equal(ev.reason[ev.n - 1].feature, "bias");
        double z = 0;
        for (size_t i = 0; i < ev.n; i++) {
            const bt_evidence_reason *r = &ev.reason[i];
            assert_true(fabs(r->weight * r->value - r->contribution) < 1e-12);
            assert_true(r->says[0] != '\0');
            if (i + 2 < ev.n) assert_true(fabs(r->contribution) >= fabs(ev.reason[i + 1].contribution));
            z += r->contribution;
        }
        /* the reasons left out add next to nothing */
        if (!ev.capped) assert_true(fabs(1 / (1 + exp(-z)) - ev.score) < 0.01);
    }
    bt_evidence ev;
    bt_pair_evidence(NULL, VI, EN, &ev);
    assert_int_equal(ev.status, BT_PAIR_MISMATCH);
    assert_true(ev.score < 0.1);
    /* against it most: what neither side explains, titles of one side only */
    assert_true(ev.reason[0].contribution < 0);
    const bt_evidence_reason *t = reason(&ev, "titles_extra");
    assert_non_null(t);
    assert_non_null(strstr(t->says, "\"Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy\""));
    assert_non_null(strstr(t->says, "English only: \"Vice Chairman of the Provincial People's Committee\""));
    const bt_evidence_reason *n = reason(&ev, "en_names_extra");
    assert_non_null(n);
    assert_non_null(strstr(n->says, "Phan Thanh Doai"));
    const bt_evidence_reason *c = reason(&ev, "coverage");
    assert_non_null(c);
    assert_non_null(strstr(c->says, "names on both sides: \"Lê Hồng Vinh\""));
    /* a name inside the sentence, listed as the judge counted it */
    bt_pair_evidence(NULL, "Nông dân thu hoạch lúa xuân trên cánh đồng xã Diễn Hoàng (Ảnh: Ngọc Thành)",
                     "Farmers harvest spring rice in the fields of Dien Hoang commune (Photo: Ngoc Thanh)",
                     &ev);
    const bt_evidence_reason *u = reason(&ev, "unexplained");
    assert_non_null(u);
    assert_non_null(strstr(u->says, "names the English lacks: \"Ảnh\""));
    c = reason(&ev, "coverage");
    assert_non_null(strstr(c->says, "names on both sides: \"Diễn Hoàng\", \"Ngọc Thành\""));
}

static void test_no_pair(void **state)
{
    (void)state;
    bt_evidence ev;
    bt_pair_evidence(NULL, VI, NULL, &ev);
    assert_int_equal(ev.n, 0);
    assert_int_equal(ev.status, BT_PAIR_UNPAIRED);
    bt_pair_evidence(NULL, "", EN, &ev);
    assert_int_equal(ev.n, 0);
}

/* side k of text: its caption and credit, or none */
static void credit_is(int k, const char *text, const char *caption, const char *credit)
{
    bt_evidence ev;
    bt_pair_evidence(NULL, k ? NULL : text, k ? text : NULL, &ev);
    if (!credit) {
        assert_int_equal(ev.credit_len[k], 0);
        return;
    }
    assert_int_equal(ev.caption_len[k], strlen(caption));
    assert_memory_equal(text, caption, strlen(caption));
    assert_int_equal(ev.credit_len[k], strlen(credit));
    assert_memory_equal(text + ev.credit_at[k], credit, strlen(credit));
}

static void test_credits(void **state)
{
    (void)state;
    credit_is(0, "Quang cảnh hội nghị (Ảnh: Ngọc Thành)", "Quang cảnh hội nghị", "Ảnh: Ngọc Thành");
    credit_is(1, "Overview of the conference (Photo: Ngoc Thanh)", "Overview of the conference",
              "Photo: Ngoc Thanh");
    credit_is(1, "Leaders present gifts to poor households - Photo by Mai Hoa.",
              "Leaders present gifts to poor households", "Photo by Mai Hoa");
    credit_is(0, "Nông dân thu hoạch lúa Ảnh: Thanh Hà/TTXVN", "Nông dân thu hoạch lúa",
              "Ảnh: Thanh Hà/TTXVN");
    /* "anh" is also a word (brother, Mr), and a credit alone is no caption */
    credit_is(0, "Lãnh đạo tỉnh thăm anh Nguyễn Văn Hùng", NULL, NULL);
    credit_is(0, "Ảnh: Mai Hoa", NULL, NULL);
    credit_is(1, "Photos of the flood were shown at the exhibition", NULL, NULL);
    credit_is(1, "Comrade Nguyen Xuan Son spoke at the conference", NULL, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reasons),
        cmocka_unit_test(test_no_pair),
        cmocka_unit_test(test_credits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
