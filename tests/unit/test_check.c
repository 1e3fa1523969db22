/* test_check.c - the consistency findings, on articles and alignments built
 * by hand, so that each rule is tested apart from the aligner. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../../check/check.h"
#include "check_fixture.h"

/* ---- building articles ------------------------------------------------ */

#define MAXL 16

typedef struct tdoc {
    bt_doc doc;
    bt_line lines[MAXL];
} tdoc;

/* Lines "vi:TEXT" or "en:TEXT" (or "" for blank), numbered from 1. */
static void mkdoc(tdoc *t, const char *path, const char *const *text)
{
    memset(t, 0, sizeof *t);
    t->doc.path = (char *)(uintptr_t)path;
    t->doc.lines = t->lines;
    size_t n = 0;
    for (; text[n] && n < MAXL; n++) {
        bt_line *l = &t->lines[n];
        const char *s = text[n];
        l->lang = BT_LANG_BLANK;
        if (!strncmp(s, "vi:", 3)) l->lang = BT_LANG_VI;
        if (!strncmp(s, "en:", 3)) l->lang = BT_LANG_EN;
        if (l->lang != BT_LANG_BLANK) s += 3;
        l->text = (char *)(uintptr_t)s;
        l->len = strlen(s);
        l->lineno = n + 1;
    }
    assert_null(text[n]); /* MAXL is enough */
    t->doc.nlines = n;
}

static bt_pair pair(unsigned long vl, const char *vi, unsigned long el,
                    const char *en, bt_pair_status st)
{
    bt_pair p;
    memset(&p, 0, sizeof p);
    p.vi_line = vl;
    p.en_line = el;
    p.vi = (char *)(uintptr_t)vi;
    p.en = (char *)(uintptr_t)en;
    p.status = st;
    p.score = 0.5;
    return p;
}

static bt_check *new_check(void)
{
    return bt_check_new(bt_lexicon_default(), NULL);
}

static const bt_check_finding *only(bt_check *c, bt_check_kind kind)
{
    const bt_check_finding *f;
    size_t n = bt_check_findings(c, &f);
    assert_int_equal(n, 1);
    assert_int_equal(f[0].kind, kind);
    return &f[0];
}

static const bt_check_variant *variant(const bt_check_finding *f,
                                       const char *en)
{
    for (size_t i = 0; i < f->nvariants; i++)
        if (!strcmp(f->variants[i].en, en)) return &f->variants[i];
    fail_msg("no variant '%s'", en);
    return NULL;
}

static const bt_align_result empty_result;

/* ---- title-variant ---------------------------------------------------- */

static void test_body_rendered_two_ways(void **state)
{
    (void)state;
    const char *a[] = {
        "vi:Đồng chí Nguyễn Văn A - Phó trưởng ban Dân vận Tỉnh ủy phát biểu.",
        "en:Comrade Nguyen Van A - Deputy Head of the Provincial Party "
        "Committee's Mass Mobilization Commission spoke.",
        "",
        "en:The Provincial Party Committee's Mass Mobilization Committee "
        "held a meeting.",
        "en:Awards from the Provincial Party Committee's Mass Mobilization "
        "Commission went to 5 units.",
        NULL };
    tdoc d;
    mkdoc(&d, "a.txt", a);
    bt_align_result r;
    memset(&r, 0, sizeof r);
    bt_pair p = pair(1, d.lines[0].text, 2, d.lines[1].text,
                     BT_PAIR_ACCEPTED);
    r.pairs = &p;
    r.npairs = 1;
    bt_check *c = new_check();
    assert_int_equal(add_with(c, &d.doc, &r, NULL, 0), BT_OK);
    const bt_check_finding *f = only(c, BT_CHECK_TITLE_VARIANT);
    assert_string_equal(f->subject, "Ban Dân vận Tỉnh ủy");
    assert_int_equal(f->nvariants, 2);
    const bt_check_variant *commission =
        variant(f, "Provincial Party Committee's Mass Mobilization Commission");
    const bt_check_variant *committee =
        variant(f, "Provincial Party Committee's Mass Mobilization Committee");
    assert_int_equal(commission->count, 2);
    assert_int_equal(committee->count, 1);
    assert_true(commission->is_official);
    assert_false(committee->is_official);
    assert_string_equal(f->usual, commission->en);
    assert_string_equal(f->official,
                        "Provincial Party Committee's Mass Mobilization "
                        "Commission");
    /* every place, with the Vietnamese where the pair gives it */
    assert_int_equal(f->nitems, 3);
    int seen_vi = 0;
    for (size_t i = 0; i < f->nitems; i++) {
        assert_string_equal(f->items[i].file, "a.txt");
        assert_true(f->items[i].line == 2 || f->items[i].line == 4 ||
                    f->items[i].line == 5);
        if (f->items[i].line == 2) {
            assert_non_null(f->items[i].vi);
            assert_non_null(strstr(f->items[i].vi, "Dân vận Tỉnh ủy"));
            seen_vi = 1;
        } else {
            assert_null(f->items[i].vi);
        }
    }
    assert_true(seen_vi);
    bt_check_free(c);
}

static void test_position_rendered_two_ways(void **state)
{
    (void)state;
    const char *a[] = { "vi:Phó Chủ tịch UBND tỉnh Lê Văn B phát biểu.",
                        "en:Vice Chairman of the Provincial People's "
                        "Committee Le Van B spoke.",
                        NULL };
    const char *b[] = { "vi:Phó Chủ tịch UBND tỉnh Trần Văn C thăm hỏi.",
                        "en:Deputy Chairman of the Provincial People's "
                        "Committee Tran Van C visited.",
                        NULL };
    tdoc da, db;
    mkdoc(&da, "a.txt", a);
    mkdoc(&db, "b.txt", b);
    bt_check *c = new_check();
    add_with(c, &da.doc, &empty_result, NULL, 0);
    add_with(c, &db.doc, &empty_result, NULL, 0);
    const bt_check_finding *f = only(c, BT_CHECK_TITLE_VARIANT);
    /* the title, not its body: the body is named the same way */
    assert_string_equal(f->subject, "Phó Chủ tịch UBND tỉnh");
    assert_int_equal(f->nvariants, 2);
    assert_null(f->usual); /* once each */
    assert_true(variant(f, "Vice Chairman of the Provincial People's "
                           "Committee")->is_official);
    assert_int_equal(bt_check_files(c), 2);
    bt_check_free(c);
}

/* ---- english-variant -------------------------------------------------- */

static void test_english_only_variant(void **state)
{
    (void)state;
    const char *a[] = {
        "en:The Central Committee for Mass Mobilization held a conference.",
        "en:Truong Thi Mai - Head of the Central Mass Mobilization "
        "Commission spoke.",
        "en:A report by the Central Committee for Mass Mobilization.",
        NULL };
    tdoc d;
    mkdoc(&d, "en.txt", a);
    bt_check *c = new_check();
    add_with(c, &d.doc, &empty_result, NULL, 0);
    const bt_check_finding *f = only(c, BT_CHECK_ENGLISH_VARIANT);
    assert_string_equal(f->subject, "Ban Dân vận Trung ương");
    assert_int_equal(variant(f, "Central Committee for Mass Mobilization")
                         ->count, 2);
    /* the reference's rendering is the Party manual's, neither of these */
    assert_false(variant(f, "Central Mass Mobilization Commission")
                     ->is_official);
    assert_false(variant(f, "Central Committee for Mass Mobilization")
                     ->is_official);
    assert_string_equal(f->official,
                        "CPV Central Committee's Commission for Mass Mobilization");
    assert_string_equal(f->usual, "Central Committee for Mass Mobilization");
    assert_int_equal(f->nitems, 3);
    assert_int_equal(bt_check_count(c, BT_CHECK_ENGLISH_VARIANT), 1);
    assert_int_equal(bt_check_count(c, BT_CHECK_TITLE_VARIANT), 0);
    bt_check_free(c);
}

static void test_word_order_and_short_forms_agree(void **state)
{
    (void)state;
    const char *a[] = {
        "en:Nguyen Van D - Politburo member, Secretary of the Party Central "
        "Committee.",
        "en:Tran Van E - Member of the Politburo, Party Central Committee "
        "Secretary.",
        "en:The Provincial Party Committee's Mass Mobilization Commission "
        "met; the Mass Mobilization Commission of the Provincial Party "
        "Committee reported.",
        /* spelling is not another rendering */
        "en:The Viet Nam Fatherland Front and the Vietnam Fatherland Front.",
        "en:The Provincial Party Committee's Mass Mobilisation Commission.",
        /* a shortened reference is not another rendering */
        "en:The Provincial Police Department met.",
        "en:The Provincial Police reported.",
        /* the lexicon may match across a semicolon: two names, not one */
        "en:He thanked the Provincial Party Committee; Standing Board "
        "members came too.",
        "en:The Provincial Party Standing Committee met.",
        "en:The Department of Health met.",
        "en:The Provincial Department of Health reported.",
        NULL };
    tdoc d;
    mkdoc(&d, "order.txt", a);
    bt_check *c = new_check();
    add_with(c, &d.doc, &empty_result, NULL, 0);
    assert_int_equal(bt_check_findings(c, NULL), 0);
    bt_check_free(c);
}

/* ---- caption-title-mismatch ------------------------------------------- */

static const char *vinh_vi =
    "Đồng chí Lê Hồng Vinh - Ủy viên Ban Thường vụ Tỉnh ủy, Chủ nhiệm Ủy ban "
    "Kiểm tra Tỉnh ủy tham gia ý kiến. Ảnh: Mai Hoa";
static const char *vinh_en =
    "Comrade Le Hong Vinh - Member of the Provincial Party Standing "
    "Committee, Vice Chairman of the Provincial People's Committee spoke. "
    "Photo: Mai Hoa";

static void test_caption_titles_disagree(void **state)
{
    (void)state;
    const char *a[] = { "", "", "", "", "", "", "", "", "", "", "", "",
                        NULL };
    tdoc d;
    mkdoc(&d, "cap.txt", a);
    d.lines[10].text = (char *)(uintptr_t)vinh_vi;
    d.lines[10].len = strlen(vinh_vi);
    d.lines[10].lang = BT_LANG_VI;
    d.lines[11].text = (char *)(uintptr_t)vinh_en;
    d.lines[11].len = strlen(vinh_en);
    d.lines[11].lang = BT_LANG_EN;
    bt_pair p = pair(11, vinh_vi, 12, vinh_en, BT_PAIR_MISMATCH);
    chk_mention m[4];
    m[0] = mention("Lê Hồng Vinh", "le hong vinh",
                   "Ủy viên Ban Thường vụ Tỉnh ủy", BT_LANG_VI, 11, 0);
    m[1] = mention("Lê Hồng Vinh", "le hong vinh",
                   "Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy", BT_LANG_VI, 11, 0);
    m[2] = mention("Le Hong Vinh", "le hong vinh",
                   "Member of the Provincial Party Standing Committee",
                   BT_LANG_EN, 12, 0);
    m[3] = mention("Le Hong Vinh", "le hong vinh",
                   "Vice Chairman of the Provincial People's Committee",
                   BT_LANG_EN, 12, 0);
    bt_align_result r;
    memset(&r, 0, sizeof r);
    r.pairs = &p;
    r.npairs = 1;
    bt_check *c = new_check();
    add_with(c, &d.doc, &r, m, 4);
    const bt_check_finding *f = only(c, BT_CHECK_CAPTION_MISMATCH);
    assert_string_equal(f->subject, "Lê Hồng Vinh");
    assert_int_equal(f->nitems, 2);
    assert_int_equal(f->items[0].line, 11);
    assert_non_null(strstr(f->items[0].vi, "Chủ nhiệm Ủy ban Kiểm tra"));
    assert_null(f->items[0].en);
    assert_int_equal(f->items[1].line, 12);
    assert_non_null(strstr(f->items[1].en, "Vice Chairman"));
    assert_string_equal(f->items[1].file, "cap.txt");
    assert_non_null(f->note);
    bt_check_free(c);
}

static void test_caption_titles_agree(void **state)
{
    (void)state;
    const char *vi = "Đồng chí Lê Hồng Vinh - Phó Chủ tịch UBND tỉnh.";
    const char *en = "Comrade Le Hong Vinh - Vice Chairman of the Provincial "
                     "People's Committee.";
    const char *a[] = { "", "", NULL };
    tdoc d;
    mkdoc(&d, "ok.txt", a);
    bt_pair p[2] = { pair(1, vi, 2, en, BT_PAIR_ACCEPTED),
                     pair(3, vi, 4, en, BT_PAIR_PARTIAL) };
    chk_mention m[5];
    m[0] = mention("Lê Hồng Vinh", "le hong vinh", "Phó Chủ tịch UBND tỉnh",
                   BT_LANG_VI, 1, 0);
    m[1] = mention("Le Hong Vinh", "le hong vinh",
                   "Vice Chairman of the Provincial People's Committee",
                   BT_LANG_EN, 2, 0);
    /* the English leaves out a title: says less, does not disagree */
    m[2] = mention("Lê Hồng Vinh", "le hong vinh", "Phó Chủ tịch UBND tỉnh",
                   BT_LANG_VI, 3, 1);
    m[3] = mention("Lê Hồng Vinh", "le hong vinh",
                   "Ủy viên Ban Thường vụ Tỉnh ủy", BT_LANG_VI, 3, 1);
    m[4] = mention("Le Hong Vinh", "le hong vinh",
                   "Vice Chairman of the Provincial People's Committee",
                   BT_LANG_EN, 4, 1);
    bt_align_result r;
    memset(&r, 0, sizeof r);
    r.pairs = p;
    r.npairs = 2;
    bt_check *c = new_check();
    add_with(c, &d.doc, &r, m, 5);
    assert_int_equal(bt_check_findings(c, NULL), 0);
    bt_check_free(c);
}

static void test_caption_memberships_differ(void **state)
{
    (void)state;
    /* the same post on both sides; only the membership is put otherwise */
    const char *a[] = { "", "", NULL };
    tdoc d;
    mkdoc(&d, "member.txt", a);
    bt_pair p = pair(1, "x", 2, "y", BT_PAIR_ACCEPTED);
    chk_mention m[4];
    m[0] = mention("Nguyễn Văn F", "nguyen van f",
                   "Ủy viên Ban Chấp hành Đảng bộ tỉnh", BT_LANG_VI, 1, 0);
    m[1] = mention("Nguyễn Văn F", "nguyen van f", "Giám đốc Sở Y tế",
                   BT_LANG_VI, 1, 0);
    m[2] = mention("Nguyen Van F", "nguyen van f",
                   "Member of the Provincial Party Committee", BT_LANG_EN, 2,
                   0);
    m[3] = mention("Nguyen Van F", "nguyen van f",
                   "Director of the Department of Health", BT_LANG_EN, 2, 0);
    bt_align_result r;
    memset(&r, 0, sizeof r);
    r.pairs = &p;
    r.npairs = 1;
    bt_check *c = new_check();
    add_with(c, &d.doc, &r, m, 4);
    assert_int_equal(bt_check_findings(c, NULL), 0);
    bt_check_free(c);
}

static void test_caption_other_person(void **state)
{
    (void)state;
    /* different people on the two sides: not this finding's business */
    const char *a[] = { "", "", NULL };
    tdoc d;
    mkdoc(&d, "other.txt", a);
    bt_pair p = pair(1, "x", 2, "y", BT_PAIR_MISMATCH);
    chk_mention m[2];
    m[0] = mention("Lê Hồng Vinh", "le hong vinh", "Phó Chủ tịch UBND tỉnh",
                   BT_LANG_VI, 1, 0);
    m[1] = mention("Phan Thanh Doai", "phan thanh doai",
                   "Deputy Head of the Provincial Party Committee's Mass "
                   "Mobilization Commission",
                   BT_LANG_EN, 2, 0);
    bt_align_result r;
    memset(&r, 0, sizeof r);
    r.pairs = &p;
    r.npairs = 1;
    bt_check *c = new_check();
    add_with(c, &d.doc, &r, m, 2);
    assert_int_equal(bt_check_findings(c, NULL), 0);
    bt_check_free(c);
}

/* ---- person-title-conflict -------------------------------------------- */

static void test_two_ranks_in_one_article(void **state)
{
    (void)state;
    const char *a[] = { "", "", "", "", "", NULL };
    tdoc d;
    mkdoc(&d, "rank.txt", a);
    chk_mention m[3];
    m[0] = mention("Le Xuan Dai", "le xuan dai",
                   "Vice Chairman of the Provincial People's Committee",
                   BT_LANG_EN, 2, -1);
    m[1] = mention("Le Xuan Dai", "le xuan dai",
                   "Chairman of the Provincial People's Committee",
                   BT_LANG_EN, 5, -1);
    /* a title in another body is no conflict */
    m[2] = mention("Le Xuan Dai", "le xuan dai",
                   "Member of the Provincial Party Standing Committee",
                   BT_LANG_EN, 5, -1);
    bt_align_result r;
    memset(&r, 0, sizeof r);
    bt_check *c = new_check();
    add_with(c, &d.doc, &r, m, 3);
    const bt_check_finding *f = only(c, BT_CHECK_PERSON_CONFLICT);
    assert_string_equal(f->subject, "Le Xuan Dai");
    assert_int_equal(f->nitems, 2);
    assert_int_equal(f->items[0].line, 2);
    assert_int_equal(f->items[1].line, 5);
    assert_non_null(strstr(f->note, "rank.txt"));
    bt_check_free(c);
}

/* Many mentions of one person: the first two that conflict, in mention
 * order, name the ranks; repeats on a line are one item; items come in
 * line order. */
static void test_first_conflict_among_many(void **state)
{
    (void)state;
    const char *a[] = { "", "", "", "", "", "", "", "", "", NULL };
    tdoc d;
    mkdoc(&d, "many.txt", a);
    const char *head = "Chairman of the Provincial People's Committee";
    const char *deputy = "Vice Chairman of the Provincial People's Committee";
    chk_mention m[6];
    m[0] = mention("Le Xuan Dai", "le xuan dai",
                   "Member of the Provincial Party Standing Committee", BT_LANG_EN, 1, -1);
    m[1] = mention("Le Xuan Dai", "le xuan dai", head, BT_LANG_EN, 9, -1);
    m[2] = mention("Le Xuan Dai", "le xuan dai", deputy, BT_LANG_EN, 3, -1);
    m[3] = mention("Le Xuan Dai", "le xuan dai", deputy, BT_LANG_EN, 3, -1);
    m[4] = mention("Le Xuan Dai", "le xuan dai", head, BT_LANG_EN, 9, -1);
    m[5] = mention("Le Xuan Dai", "le xuan dai", head, BT_LANG_EN, 7, -1);
    bt_align_result r;
    memset(&r, 0, sizeof r);
    bt_check *c = new_check();
    add_with(c, &d.doc, &r, m, 6);
    const bt_check_finding *f = only(c, BT_CHECK_PERSON_CONFLICT);
    assert_int_equal(f->nitems, 3);
    assert_int_equal(f->items[0].line, 3);
    assert_int_equal(f->items[0].count, 2);
    assert_int_equal(f->items[1].line, 7);
    assert_int_equal(f->items[2].line, 9);
    assert_int_equal(f->items[2].count, 2);
    /* the head (mention 1) first, then the deputy (mention 2) */
    const char *and = strstr(f->note, "' and '");
    assert_non_null(and);
    assert_true(strncmp(and + 7, "Ph\xC3\xB3 ", 4) == 0);
    bt_check_free(c);
}

static void test_ranks_across_articles_are_not_compared(void **state)
{
    (void)state;
    const char *a[] = { "", "", NULL };
    tdoc d1, d2;
    mkdoc(&d1, "2016.txt", a);
    mkdoc(&d2, "2020.txt", a);
    chk_mention m1 = mention("Le Xuan Dai", "le xuan dai",
                            "Vice Chairman of the Provincial People's "
                            "Committee", BT_LANG_EN, 1, -1);
    chk_mention m2 = mention("Le Xuan Dai", "le xuan dai",
                            "Chairman of the Provincial People's Committee",
                            BT_LANG_EN, 1, -1);
    bt_align_result r1, r2;
    memset(&r1, 0, sizeof r1);
    memset(&r2, 0, sizeof r2);
    bt_check *c = new_check();
    add_with(c, &d1.doc, &r1, &m1, 1);
    add_with(c, &d2.doc, &r2, &m2, 1);
    assert_int_equal(bt_check_findings(c, NULL), 0);
    bt_check_free(c);
}

static void test_compatible_ranks(void **state)
{
    (void)state;
    const char *a[] = { "", "", "", NULL };
    tdoc d;
    mkdoc(&d, "ok-rank.txt", a);
    /* a member and a deputy of one body; a deputy and a standing deputy */
    chk_mention m[3];
    m[0] = mention("Le Xuan Dai", "le xuan dai",
                   "Member of the Provincial People's Committee", BT_LANG_EN,
                   1, -1);
    m[1] = mention("Le Xuan Dai", "le xuan dai",
                   "Vice Chairman of the Provincial People's Committee",
                   BT_LANG_EN, 2, -1);
    m[2] = mention("Lê Xuân Đại", "le xuan dai",
                   "Phó Chủ tịch Thường trực UBND tỉnh", BT_LANG_VI, 3, -1);
    bt_align_result r;
    memset(&r, 0, sizeof r);
    bt_check *c = new_check();
    add_with(c, &d.doc, &r, m, 3);
    assert_int_equal(bt_check_findings(c, NULL), 0);
    bt_check_free(c);
}

/* ---- nothing on consistent input -------------------------------------- */

static void test_consistent_input(void **state)
{
    (void)state;
    const char *vi = "Đồng chí Nguyễn Xuân Sơn - Phó Bí thư Thường trực Tỉnh "
                     "ủy, Chủ tịch HĐND tỉnh. Ảnh: Mai Hoa";
    const char *en = "Comrade Nguyen Xuan Son - Standing Deputy Secretary of "
                     "the Provincial Party Committee, Chairman of the "
                     "Provincial People's Council requested. Photo: Mai Hoa";
    const char *a[] = { "", "", "", "en:Standing Deputy Secretary Nguyen Xuan "
                        "Son also emphasized the need.", NULL };
    tdoc d;
    mkdoc(&d, "son.txt", a);
    d.lines[0].text = (char *)(uintptr_t)vi;
    d.lines[0].len = strlen(vi);
    d.lines[0].lang = BT_LANG_VI;
    d.lines[1].text = (char *)(uintptr_t)en;
    d.lines[1].len = strlen(en);
    d.lines[1].lang = BT_LANG_EN;
    bt_pair p = pair(1, vi, 2, en, BT_PAIR_PARTIAL);
    chk_mention m[4];
    m[0] = mention("Nguyễn Xuân Sơn", "nguyen xuan son",
                   "Phó Bí thư Thường trực Tỉnh ủy", BT_LANG_VI, 1, 0);
    m[1] = mention("Nguyễn Xuân Sơn", "nguyen xuan son", "Chủ tịch HĐND tỉnh",
                   BT_LANG_VI, 1, 0);
    m[2] = mention("Nguyen Xuan Son", "nguyen xuan son",
                   "Standing Deputy Secretary of the Provincial Party "
                   "Committee", BT_LANG_EN, 2, 0);
    m[3] = mention("Nguyen Xuan Son", "nguyen xuan son",
                   "Chairman of the Provincial People's Council", BT_LANG_EN,
                   2, 0);
    bt_align_result r;
    memset(&r, 0, sizeof r);
    r.pairs = &p;
    r.npairs = 1;
    bt_check *c = new_check();
    add_with(c, &d.doc, &r, m, 4);
    add_with(c, &d.doc, &r, m, 4); /* the same article twice: still nothing */
    assert_int_equal(bt_check_findings(c, NULL), 0);
    for (int k = 0; k < BT_CHECK_NKINDS; k++)
        assert_int_equal(bt_check_count(c, (bt_check_kind)k), 0);
    /* adding after the findings were computed is refused */
    bt_annotation *ann = bt_annotate(bt_lexicon_default(), &d.doc);
    assert_int_equal(bt_check_add(c, ann, &r), BT_ERR_USAGE);
    bt_annotation_free(ann);
    bt_check_free(c);
    bt_check_free(NULL);
}

/* ---- reports ---------------------------------------------------------- */

static bt_check *variant_check(tdoc *d)
{
    const char *a[] = {
        "en:The Central Committee for Mass Mobilization <met> & \"spoke\".",
        "en:Head of the Central Mass Mobilization Commission Truong Thi Mai.",
        NULL };
    mkdoc(d, "dir/<odd>&name.txt", a);
    bt_check *c = new_check();
    add_with(c, &d->doc, &empty_result, NULL, 0);
    return c;
}

static void test_json_report(void **state)
{
    (void)state;
    tdoc d;
    bt_check *c = variant_check(&d);
    char *s = report(c, bt_check_write_json);
    json_error_t err;
    json_t *root = json_loads(s, 0, &err);
    assert_non_null(root);
    json_t *f = json_array_get(json_object_get(root, "findings"), 0);
    assert_string_equal(json_string_value(json_object_get(f, "kind")),
                        "english-variant");
    json_t *items = json_object_get(f, "items");
    assert_int_equal(json_array_size(items), 2);
    json_t *it = json_array_get(items, 0);
    assert_string_equal(json_string_value(json_object_get(it, "file")),
                        "dir/<odd>&name.txt");
    assert_true(json_is_integer(json_object_get(it, "line")));
    assert_true(json_is_integer(json_object_get(it, "count")));
    assert_true(json_is_null(json_object_get(it, "vi")));
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(json_object_get(root, "summary"),
                                         "by_kind"),
                         "english-variant")),
                     1);
    json_decref(root);
    free(s);
    bt_check_free(c);
}

static void test_html_report_escapes(void **state)
{
    (void)state;
    tdoc d;
    bt_check *c = variant_check(&d);
    char *s = report(c, bt_check_write_html);
    assert_non_null(strstr(s, "<!DOCTYPE html>"));
    assert_non_null(strstr(s, "dir/&lt;odd&gt;&amp;name.txt:1"));
    assert_null(strstr(s, "<odd>"));
    assert_non_null(strstr(s, "data:image/svg+xml;base64,"));
    assert_null(strstr(s, "http://"));   /* only the SVG namespace, encoded */
    assert_non_null(strstr(s, "Central Mass Mobilization Commission"));
    free(s);
    bt_check_free(c);
}

/* Places past max_places are counted, not kept: the page's "+N more"
 * counts them with the places it leaves out itself. */
static void test_html_counts_places_not_kept(void **state)
{
    (void)state;
    const char *a[] = {
        "vi:Đồng chí Nguyễn Văn A - Phó trưởng ban Dân vận Tỉnh ủy phát biểu.",
        "en:Comrade Nguyen Van A - Deputy Head of the Provincial Party "
        "Committee's Mass Mobilization Commission spoke.",
        "",
        "en:The Provincial Party Committee's Mass Mobilization Committee "
        "held a meeting.",
        "en:Awards from the Provincial Party Committee's Mass Mobilization "
        "Commission went to 5 units.",
        NULL };
    const char *paths[] = { "a.txt", "b.txt", "c.txt" };
    bt_check_opts opts = { .max_places = 1 };
    bt_check *c = bt_check_new(bt_lexicon_default(), &opts);
    for (int i = 0; i < 3; i++) {
        tdoc d;
        mkdoc(&d, paths[i], a);
        bt_align_result r;
        memset(&r, 0, sizeof r);
        bt_pair p = pair(1, d.lines[0].text, 2, d.lines[1].text,
                         BT_PAIR_ACCEPTED);
        r.pairs = &p;
        r.npairs = 1;
        assert_int_equal(add_with(c, &d.doc, &r, NULL, 0), BT_OK);
    }
    const bt_check_finding *f = only(c, BT_CHECK_TITLE_VARIANT);
    const bt_check_variant *commission =
        variant(f, "Provincial Party Committee's Mass Mobilization Commission");
    const bt_check_variant *committee =
        variant(f, "Provincial Party Committee's Mass Mobilization Committee");
    assert_int_equal(commission->omitted, 5);
    assert_int_equal(committee->omitted, 2);
    assert_int_equal(f->omitted, 7);
    char *s = report(c, bt_check_write_html);
    assert_non_null(strstr(s, "<span class=\"more\">+5 more</span>"));
    assert_non_null(strstr(s, "<span class=\"more\">+2 more</span>"));
    free(s);
    bt_check_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_body_rendered_two_ways),
        cmocka_unit_test(test_position_rendered_two_ways),
        cmocka_unit_test(test_english_only_variant),
        cmocka_unit_test(test_word_order_and_short_forms_agree),
        cmocka_unit_test(test_caption_titles_disagree),
        cmocka_unit_test(test_caption_titles_agree),
        cmocka_unit_test(test_caption_memberships_differ),
        cmocka_unit_test(test_caption_other_person),
        cmocka_unit_test(test_two_ranks_in_one_article),
        cmocka_unit_test(test_first_conflict_among_many),
        cmocka_unit_test(test_ranks_across_articles_are_not_compared),
        cmocka_unit_test(test_compatible_ranks),
        cmocka_unit_test(test_consistent_input),
        cmocka_unit_test(test_json_report),
        cmocka_unit_test(test_html_report_escapes),
        cmocka_unit_test(test_html_counts_places_not_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
