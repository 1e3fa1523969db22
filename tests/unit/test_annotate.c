/* test_annotate.c - the annotation seam (align/annotate.c): each line's
 * titles and people found once, whole-line segments taking them, the
 * pairs' sides left by the aligner; and the mentions the check builds
 * from it (check/mentions.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../align/caption_int.h"
#include "../../check/check_int.h"

static const char article[] =
    "Đồng chí Nguyễn Văn An - Phó Chủ tịch UBND tỉnh phát biểu tại hội nghị.\n"
    "Comrade Nguyen Van An - Vice Chairman of the Provincial People's Committee "
    "speaks at the conference.\n"
    "\n"
    "Comrade Tran Van Binh - Secretary of the Provincial Party Committee chaired "
    "the meeting.\n";

static bt_doc *doc_of(const char *text)
{
    bt_doc *d = NULL;
    assert_int_equal(bt_doc_from_buffer("t.txt", text, strlen(text), NULL, NULL, NULL, &d), BT_OK);
    return d;
}

static int same_matches(const bt_title_match *x, const bt_title_match *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (x[i].start != y[i].start || x[i].end != y[i].end || x[i].concept != y[i].concept ||
            x[i].kind != y[i].kind || x[i].body != y[i].body)
            return 0;
    return 1;
}

/* A line's titles are the lexicon's, in the language it was read in, and
 * serve a segment that is the whole line, not a piece; its people are
 * bt_people_parse's, found once. */
static void line_words_and_titles(void **state)
{
    (void)state;
    const bt_lexicon *lex = bt_lexicon_default();
    bt_doc *doc = doc_of(article);
    bt_annotation *a = bt_annotate(lex, doc);
    assert_ptr_equal(bt_annotation_doc(a), doc);
    const bt_line *vi = &doc->lines[0];
    const bt_title_match *m;
    size_t n = bt_annotation_line_titles(a, 0, BT_LANG_VI, &m);
    bt_title_match want[16];
    assert_int_equal(n, bt_lexicon_find(lex, BT_LANG_VI, vi->text, vi->len, want, 16));
    assert_true(n >= 1 && same_matches(m, want, n));
    assert_int_equal(m[0].kind, BT_TERM_TITLE);
    assert_true(!strncmp(vi->text + m[0].start, "Phó Chủ tịch UBND tỉnh",
                         m[0].end - m[0].start));

    /* a segment that is the whole line takes these titles and the line's
     * words, kept or made again; not a piece of it, nor the line read in
     * the other language */
    lex_tokens fresh;
    lex_tokens_init(&fresh);
    lex_tokenize(lex, BT_LANG_VI, vi->text, vi->len, &fresh);
    for (int dropped = 0; dropped < 2; dropped++) {
        if (dropped) bt_annotation_forget_words(a);
        lex_tokens t;
        const bt_title_match *tm;
        size_t tn;
        assert_true(cap_notes_line_words(a, 0, BT_LANG_VI, vi->text, vi->len, &t, &tm, &tn));
        assert_ptr_equal(tm, m);
        assert_int_equal(tn, n);
        assert_int_equal(t.n, fresh.n);
        for (size_t i = 0; i < t.n; i++) {
            assert_string_equal(lex_tok(&t, i), lex_tok(&fresh, i));
            assert_int_equal(t.v[i].start, fresh.v[i].start);
        }
        assert_string_equal(lex_tok(&t, 0), "dong");
        lex_tokens_free(&t);
        assert_false(cap_notes_line_words(a, 0, BT_LANG_VI, vi->text, vi->len - 1, &t, &tm, &tn));
        assert_false(cap_notes_line_words(a, 0, BT_LANG_EN, vi->text, vi->len, &t, &tm, &tn));
    }
    lex_tokens_free(&fresh);

    /* the English line read in English, and on request in Vietnamese */
    const bt_line *en = &doc->lines[1];
    n = bt_annotation_line_titles(a, 1, BT_LANG_EN, &m);
    assert_int_equal(n, bt_lexicon_find(lex, BT_LANG_EN, en->text, en->len, want, 16));
    assert_true(same_matches(m, want, n));
    const bt_title_match *mv;
    size_t nv = bt_annotation_line_titles(a, 1, BT_LANG_VI, &mv);
    assert_int_equal(nv, bt_lexicon_find(lex, BT_LANG_VI, en->text, en->len, want, 16));
    assert_int_equal(bt_annotation_line_titles(a, 1, BT_LANG_EN, &m), n); /* kept */

    /* the titles given to people: bt_people_parse's, one record a title */
    const bt_given_title *g, *g2;
    size_t ng = bt_annotation_line_given(a, 1, BT_LANG_EN, &g);
    bt_people want_pp;
    bt_people_parse(lex, BT_LANG_EN, en->text, en->len, &want_pp);
    assert_int_equal(want_pp.n, 1);
    assert_int_equal(ng, want_pp.v[0].ntitles);
    assert_true(ng >= 1);
    assert_string_equal(g[0].person_key, "nguyen van an");
    assert_string_equal(g[0].person, want_pp.v[0].name);
    assert_string_equal(g[0].title, want_pp.v[0].titles[0]);
    assert_int_equal(g[0].concept, want_pp.v[0].concepts[0]);
    assert_int_equal(bt_annotation_line_given(a, 1, BT_LANG_EN, &g2), ng);
    assert_ptr_equal(g2, g); /* once */
    bt_people_free(&want_pp);
    /* a Vietnamese line's, found on request */
    ng = bt_annotation_line_given(a, 0, BT_LANG_VI, &g);
    assert_int_equal(ng, 1);
    assert_string_equal(g[0].title, "Phó Chủ tịch UBND tỉnh");
    bt_annotation_free(a);
    bt_doc_free(doc);
}

/* The aligner leaves its pairs' words in the annotation: their titles and
 * people are those of the texts, with or without it. */
static void pair_notes(void **state)
{
    (void)state;
    const bt_lexicon *lex = bt_lexicon_default();
    bt_doc *doc = doc_of(article);
    bt_annotation *a = bt_annotate(lex, doc);
    bt_annotation *later = bt_annotate(lex, doc);
    bt_align_opts o = { .notes = a };
    bt_align_result r;
    bt_align_doc(lex, doc, &o, &r);
    assert_true(r.npairs >= 1);
    const bt_pair *p = &r.pairs[0];
    assert_non_null(p->vi);
    assert_non_null(p->en);
    assert_int_equal(p->en_last, p->en_line);
    for (int en = 0; en < 2; en++) {
        bt_lang lang = en ? BT_LANG_EN : BT_LANG_VI;
        const bt_title_match *x, *y;
        size_t nx = bt_annotation_pair_titles(a, &r, 0, lang, &x);
        size_t ny = bt_annotation_pair_titles(later, &r, 0, lang, &y);
        assert_int_equal(nx, ny);
        assert_true(nx >= 1 && same_matches(x, y, nx));
        const bt_given_title *gx, *gy;
        size_t ngx = bt_annotation_pair_given(a, &r, 0, lang, &gx);
        size_t ngy = bt_annotation_pair_given(later, &r, 0, lang, &gy);
        assert_int_equal(ngx, 1);
        assert_int_equal(ngy, 1);
        assert_string_equal(gx[0].person_key, "nguyen van an");
        assert_string_equal(gx[0].title, gy[0].title);
        assert_int_equal(gx[0].concept, gy[0].concept);
    }
    bt_align_result_free(&r);
    bt_annotation_free(a);
    bt_annotation_free(later);
    bt_doc_free(doc);
}

/* The check's mentions: each pair's people, Vietnamese then English, then
 * those of English lines outside the pairs. */
static void mentions_from_annotation(void **state)
{
    (void)state;
    const bt_lexicon *lex = bt_lexicon_default();
    bt_doc *doc = doc_of(article);
    bt_annotation *a = bt_annotate(lex, doc);
    bt_align_opts o = { .notes = a };
    bt_align_result r;
    bt_align_doc(lex, doc, &o, &r);
    chk_mentions m = { 0 };
    chk_mentions_of(a, &r, &m);
    assert_int_equal(m.n, 3);
    assert_int_equal(m.v[0].lang, BT_LANG_VI);
    assert_int_equal(m.v[0].pair, 0);
    assert_int_equal(m.v[0].line, 1);
    assert_string_equal(m.v[0].person_key, "nguyen van an");
    assert_string_equal(m.v[0].title, "Phó Chủ tịch UBND tỉnh");
    assert_true(m.v[0].concept >= 0);
    assert_int_equal(m.v[1].lang, BT_LANG_EN);
    assert_int_equal(m.v[1].pair, 0);
    assert_int_equal(m.v[1].line, 2);
    assert_true(bt_lexicon_same(lex, m.v[0].concept, m.v[1].concept));
    /* body text: the line no pair took */
    assert_int_equal(m.v[2].pair, -1);
    assert_int_equal(m.v[2].line, 4);
    assert_string_equal(m.v[2].person_key, "tran van binh");
    chk_mentions_free(&m);

    /* an English line that is a pair's is not body text */
    bt_align_result none;
    memset(&none, 0, sizeof none);
    chk_mentions_of(a, &none, &m);
    assert_int_equal(m.n, 2); /* both English lines now */
    assert_int_equal(m.v[0].line, 2);
    assert_int_equal(m.v[1].line, 4);
    chk_mentions_free(&m);
    bt_align_result_free(&r);
    bt_annotation_free(a);
    bt_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(line_words_and_titles),
        cmocka_unit_test(pair_notes),
        cmocka_unit_test(mentions_from_annotation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
