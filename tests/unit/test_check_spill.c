/* test_check_spill.c - the per-article findings beyond the memory budget:
 * sorted runs in a temporary file, read back by walks. With any budget
 * (every finding its own run, a few per run, none written), the walks
 * and the materialized array give the same findings in the same order,
 * ties (same kind, subject, file and first line) in the order the
 * articles were added; two walks may run at once; a temporary file that
 * cannot be made keeps the findings in memory and says so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../check/check.h"
#include "check_fixture.h"

/* ---- a corpus of per-article findings ----------------------------------- */

#define NART 607   /* with a budget of 1, 22 runs: merged down at the end */
#define ID_LINE 1000   /* an article's last item is on line ID_LINE + i */

static const char *const names[] = { "Lê Xuân Đại", "Le Hong Vinh",
                                     "Đặng Văn An", "Bui Minh Hoa",
                                     "Lê Xuân Đại Nam" };
static const char *const paths[] = { "b/2.txt", "a.txt", "b/10.txt",
                                     "a.txt.gz", "c.txt" };

/* What article i yields: one finding, known without the check. */
typedef struct expect {
    bt_check_kind kind;
    const char *subject, *file;
    unsigned long line;
    size_t article;
} expect;

static void article_of(size_t i, expect *e)
{
    e->kind = i % 3 ? BT_CHECK_PERSON_CONFLICT : BT_CHECK_CAPTION_MISMATCH;
    e->subject = names[(i * 7) % 5];
    e->file = paths[(i * 3) % 5];
    e->line = i % 4 + 1; /* few lines: many ties */
    e->article = i;
}

static const char *const chair = "Chairman of the Provincial People's Committee";
static const char *const vice =
    "Vice Chairman of the Provincial People's Committee";

/* Add article i (its strings are gone once added). */
static void add_article(bt_check *c, size_t i)
{
    expect e;
    article_of(i, &e);
    char path[64], name[64], vi[256], en[256];
    snprintf(path, sizeof path, "%s", e.file);
    snprintf(name, sizeof name, "%s", e.subject);
    bt_doc doc;
    memset(&doc, 0, sizeof doc);
    doc.path = path;
    bt_align_result r;
    memset(&r, 0, sizeof r);
    chk_mention m[2];
    bt_pair p;
    if (e.kind == BT_CHECK_PERSON_CONFLICT) {
        /* two ranks in one body, the order varied: the notes differ */
        m[0] = mention(name, name, i % 2 ? chair : vice, BT_LANG_EN, e.line, -1);
        m[1] = mention(name, name, i % 2 ? vice : chair, BT_LANG_EN, ID_LINE + i,
                       -1);
    } else {
        snprintf(vi, sizeof vi, "Đồng chí %s - Chủ nhiệm Ủy ban Kiểm tra "
                 "Tỉnh ủy phát biểu.", name);
        snprintf(en, sizeof en, "Comrade %s - %s spoke.", name, vice);
        memset(&p, 0, sizeof p);
        p.vi_line = e.line;
        p.en_line = ID_LINE + i;
        p.vi = vi;
        p.en = en;
        p.status = BT_PAIR_MISMATCH;
        r.pairs = &p;
        r.npairs = 1;
        m[0] = mention(name, name, "Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy", BT_LANG_VI,
                       e.line, 0);
        m[1] = mention(name, name, vice, BT_LANG_EN, ID_LINE + i, 0);
    }
    assert_int_equal(add_with(c, &doc, &r, m, 2), BT_OK);
    memset(path, 'x', sizeof path - 1);
    memset(name, 'x', sizeof name - 1);
}

/* An english-variant finding, which is held in memory and comes first. */
static void add_variant_article(bt_check *c)
{
    bt_line lines[2];
    memset(lines, 0, sizeof lines);
    lines[0].text = (char *)(uintptr_t)"The Central Committee for Mass "
                                       "Mobilization met.";
    lines[1].text = (char *)(uintptr_t)"Head of the Central Mass "
                                       "Mobilization Commission spoke.";
    for (int i = 0; i < 2; i++) {
        lines[i].len = strlen(lines[i].text);
        lines[i].lang = BT_LANG_EN;
        lines[i].lineno = (unsigned long)i + 1;
    }
    bt_doc doc;
    memset(&doc, 0, sizeof doc);
    doc.path = (char *)(uintptr_t)"variant.txt";
    doc.lines = lines;
    doc.nlines = 2;
    assert_int_equal(add_with(c, &doc, NULL, NULL, 0), BT_OK);
}

static bt_check *corpus(size_t budget)
{
    bt_check_opts o;
    memset(&o, 0, sizeof o);
    o.spill_budget = budget;
    bt_check *c = bt_check_new(bt_lexicon_default(), &o);
    for (size_t i = 0; i < NART; i++) {
        if (i == NART / 2) add_variant_article(c);
        add_article(c, i);
    }
    return c;
}

/* The order of the findings: kind, subject, file, first line; ties in the
 * order added (a stable sort). */
static int cmp_expect(const void *pa, const void *pb)
{
    const expect *a = pa, *b = pb;
    if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
    int r = strcmp(a->subject, b->subject);
    if (!r) r = strcmp(a->file, b->file);
    if (!r && a->line != b->line) r = a->line < b->line ? -1 : 1;
    if (!r) r = a->article < b->article ? -1 : a->article > b->article;
    return r;
}

/* ---- comparing findings ------------------------------------------------- */

static void same_str(const char *a, const char *b)
{
    if (!a || !b) assert_ptr_equal(a, b);
    else assert_string_equal(a, b);
}

static void same_finding(const bt_check_finding *a, const bt_check_finding *b)
{
    assert_int_equal(a->kind, b->kind);
    same_str(a->subject, b->subject);
    same_str(a->vi, b->vi);
    same_str(a->usual, b->usual);
    same_str(a->official, b->official);
    same_str(a->source, b->source);
    same_str(a->note, b->note);
    assert_int_equal(a->omitted, b->omitted);
    assert_int_equal(a->nvariants, b->nvariants);
    for (size_t i = 0; i < a->nvariants; i++) {
        same_str(a->variants[i].en, b->variants[i].en);
        assert_int_equal(a->variants[i].count, b->variants[i].count);
    }
    assert_int_equal(a->nitems, b->nitems);
    for (size_t i = 0; i < a->nitems; i++) {
        same_str(a->items[i].vi, b->items[i].vi);
        same_str(a->items[i].en, b->items[i].en);
        same_str(a->items[i].file, b->items[i].file);
        assert_int_equal(a->items[i].line, b->items[i].line);
        assert_int_equal(a->items[i].count, b->items[i].count);
    }
}

/* The walk of c against the expected order, and against the materialized
 * findings of ref (which has no temporary file). */
static void check_walk(bt_check *c, bt_check *ref)
{
    expect e[NART];
    for (size_t i = 0; i < NART; i++) article_of(i, &e[i]);
    qsort(e, NART, sizeof *e, cmp_expect);
    const bt_check_finding *all;
    size_t n = bt_check_findings(ref, &all);
    assert_int_equal(n, NART + 1);
    assert_int_equal(bt_check_findings(c, NULL), NART + 1);

    bt_check_walk *w = bt_check_walk_new(c);
    const bt_check_finding *f;
    size_t i = 0;
    while (bt_check_walk_next(w, &f) == 1) {
        assert_true(i < n);
        same_finding(f, &all[i]);
        if (i) { /* after the variant finding */
            const expect *x = &e[i - 1];
            assert_int_equal(f->kind, x->kind);
            assert_string_equal(f->subject, x->subject);
            assert_string_equal(f->items[0].file, x->file);
            assert_int_equal(f->items[0].line, x->line);
            assert_int_equal(f->items[f->nitems - 1].line, ID_LINE + x->article);
        } else {
            assert_int_equal(f->kind, BT_CHECK_ENGLISH_VARIANT);
        }
        i++;
    }
    assert_int_equal(i, n);
    assert_int_equal(bt_check_walk_next(w, &f), 0); /* stays at the end */
    bt_check_walk_free(w);
    assert_null(bt_check_error(c));
}

/* ---- tests ---------------------------------------------------------------- */

static void test_budgets_same_order(void **state)
{
    (void)state;
    bt_check *ref = corpus((size_t)-1);
    /* every finding its own run (merged level by level, then down to a
     * few at the end); a few findings per run; the default budget */
    const size_t budgets[] = { 1, 2000, 0 };
    for (size_t b = 0; b < sizeof budgets / sizeof *budgets; b++) {
        bt_check *c = corpus(budgets[b]);
        check_walk(c, ref);
        assert_int_equal(bt_check_count(c, BT_CHECK_PERSON_CONFLICT),
                         NART - (NART + 2) / 3);
        assert_int_equal(bt_check_count(c, BT_CHECK_CAPTION_MISMATCH),
                         (NART + 2) / 3);
        /* materialized from the runs: the same array */
        const bt_check_finding *a, *r;
        size_t n = bt_check_findings(c, &a);
        assert_int_equal(bt_check_findings(ref, &r), n);
        for (size_t i = 0; i < n; i++) same_finding(&a[i], &r[i]);
        bt_check_free(c);
    }
    check_walk(ref, ref);
    bt_check_free(ref);
}

static void test_walks_interleaved(void **state)
{
    (void)state;
    bt_check *c = corpus(1);
    bt_check *ref = corpus((size_t)-1);
    const bt_check_finding *all;
    size_t n = bt_check_findings(ref, &all);
    bt_check_walk *w1 = bt_check_walk_new(c), *w2 = bt_check_walk_new(c);
    const bt_check_finding *f1, *f2;
    size_t i = 0, j = 0;
    /* w2 runs two steps for each of w1's: no shared position */
    for (;;) {
        int r1 = bt_check_walk_next(w1, &f1);
        if (r1 == 1) same_finding(f1, &all[i++]);
        int r2 = 0;
        for (int k = 0; k < 2 && (r2 = bt_check_walk_next(w2, &f2)) == 1; k++)
            same_finding(f2, &all[j++]);
        if (r1 != 1 && r2 != 1) break;
    }
    assert_int_equal(i, n);
    assert_int_equal(j, n);
    bt_check_walk_free(w1);
    bt_check_walk_free(w2);
    bt_check_free(c);
    bt_check_free(ref);
}

typedef struct html_job {
    bt_check *c;
    char *out;
} html_job;

static void *write_html(void *arg)
{
    html_job *j = arg;
    j->out = report(j->c, bt_check_write_html);
    return NULL;
}

static void test_reports_in_two_threads(void **state)
{
    (void)state;
    bt_check *ref = corpus((size_t)-1);
    char *json = report(ref, bt_check_write_json);
    char *html = report(ref, bt_check_write_html);
    bt_check *c = corpus(3000);
    bt_check_findings(c, NULL); /* computed before the threads */
    html_job j = { c, NULL };
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, write_html, &j), 0);
    char *json2 = report(c, bt_check_write_json);
    pthread_join(th, NULL);
    assert_string_equal(json2, json);
    assert_string_equal(j.out, html);
    free(json);
    free(html);
    free(json2);
    free(j.out);
    bt_check_free(c);
    bt_check_free(ref);
}

static void test_no_temporary_file(void **state)
{
    (void)state;
    const char *old = getenv("TMPDIR");
    char *saved = old ? strdup(old) : NULL;
    setenv("TMPDIR", "/nonexistent/bitext-test", 1);
    bt_check *c = corpus(1);
    bt_check *ref = corpus((size_t)-1);
    const char *why = bt_check_error(c);
    assert_non_null(why);
    assert_non_null(strstr(why, "cannot create temporary file in "
                                "'/nonexistent/bitext-test': "));
    assert_non_null(strstr(why, "(findings kept in memory)"));
    /* nothing lost */
    const bt_check_finding *a, *r;
    size_t n = bt_check_findings(c, &a);
    assert_int_equal(bt_check_findings(ref, &r), n);
    for (size_t i = 0; i < n; i++) same_finding(&a[i], &r[i]);
    char *j1 = report(c, bt_check_write_json);
    char *j2 = report(ref, bt_check_write_json);
    assert_string_equal(j1, j2);
    free(j1);
    free(j2);
    bt_check_free(c);
    bt_check_free(ref);
    if (saved) setenv("TMPDIR", saved, 1);
    else unsetenv("TMPDIR");
    free(saved);
}

static void test_empty(void **state)
{
    (void)state;
    bt_check_opts o = { .spill_budget = 1 };
    bt_check *c = bt_check_new(bt_lexicon_default(), &o);
    bt_check_walk *w = bt_check_walk_new(c);
    const bt_check_finding *f;
    assert_int_equal(bt_check_walk_next(w, &f), 0);
    bt_check_walk_free(w);
    bt_check_walk_free(NULL);
    assert_int_equal(bt_check_findings(c, &f), 0);
    assert_null(bt_check_error(c));
    bt_check_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_budgets_same_order),
        cmocka_unit_test(test_walks_interleaved),
        cmocka_unit_test(test_reports_in_two_threads),
        cmocka_unit_test(test_no_temporary_file),
        cmocka_unit_test(test_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
