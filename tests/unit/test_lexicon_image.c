/* test_lexicon_image.c - the default lexicon bitext starts with (the image
 * tools/lexicon_image.c made at build time, linked into this test as into
 * bitext) is the lexicon the library builds from the data at run time:
 * every concept, form, index, hash-table slot, hit, abbreviation, caption
 * word and English stem the same, strings shared where they are shared,
 * every title, body and caption word found alike; a lexicon of one's own
 * copied from it is one built from the data; and the look-ups' rows by key
 * and the glossary keys' abbreviations made at build time are those made
 * at run time. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../align/lexicon_table_int.h"
#include "../../gloss/lookup_int.h"

static const bt_lexicon *img, *run;

/* linked in: the test is of the image, not of a second run-time build */
extern const lex_image bt_lexicon_image;
extern const lex_keyed_image bt_gloss_lexicon_keyed;
extern const gloss_abbrev_image bt_gloss_abbrevs_image;

/* Two strings alike, or both NULL. */
static void same_str(const char *a, const char *b, const char *what, size_t i)
{
    if (!a || !b) {
        if (a != b) fail_msg("%s %zu: one NULL", what, i);
        return;
    }
    if (strcmp(a, b)) fail_msg("%s %zu: '%s' vs '%s'", what, i, a, b);
}

static void same_ptable(const phrase_table *a, const phrase_table *b, const char *what)
{
    assert_int_equal(a->cap, b->cap);
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->cap; i++) {
        const phrase_entry *x = &a->v[i], *y = &b->v[i];
        same_str(x->key, y->key, what, i);
        if (!x->key) continue;
        if (x->h != y->h || x->head != y->head || x->dict != y->dict || x->klen != y->klen ||
            x->phrase_prefix != y->phrase_prefix || x->dict_prefix != y->dict_prefix)
            fail_msg("%s slot %zu ('%s') differs", what, i, x->key);
    }
}

static void same_smap(const smap *a, const smap *b, const char *what)
{
    assert_int_equal(a->cap, b->cap);
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->cap; i++) {
        same_str(a->keys[i], b->keys[i], what, i);
        if (a->keys[i] && a->vals[i] != b->vals[i]) fail_msg("%s %zu: value", what, i);
    }
}

static void same_ints(const int *a, const int *b, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) fail_msg("%s %zu: %d vs %d", what, i, a[i], b[i]);
}

static void setup_both(void)
{
    if (img) return;
    img = bt_lexicon_default();
    lex_words_ready(img);
    run = lex_build_default();
    assert_ptr_not_equal(img, run);
    const char *v = img->concepts[0].vi;
    assert_true(v > bt_lexicon_image.pool && v < bt_lexicon_image.pool + 16 * 1024 * 1024);
}

static void same_titles(const bt_lexicon *a, const bt_lexicon *b)
{
    assert_int_equal(a->nconcepts, b->nconcepts);
    assert_int_equal(a->nprimary, b->nprimary);
    assert_int_equal(a->npos, b->npos);
    assert_int_equal(a->nbody, b->nbody);
    assert_true(a->nprimary > 100 && a->nconcepts > a->nprimary);
    for (size_t i = 0; i < a->nconcepts; i++) {
        const bt_concept *x = &a->concepts[i], *y = &b->concepts[i];
        assert_int_equal(x->id, y->id);
        assert_int_equal(x->kind, y->kind);
        assert_int_equal(x->position, y->position);
        assert_int_equal(x->body, y->body);
        same_str(x->vi, y->vi, "concept vi", i);
        same_str(x->en_official, y->en_official, "concept en", i);
        same_str(x->source, y->source, "concept source", i);
        if (i < a->nprimary) { /* shared as the run-time build shares them */
            assert_true(y->vi == b->vi_forms[i][0]);
            assert_true(y->en_official == b->en_forms[i][0]);
        } else {
            assert_true(y->source == b->concepts[y->position].source);
        }
    }
    for (size_t i = 0; i < a->nprimary; i++) {
        size_t k = 0;
        for (; a->vi_forms[i][k]; k++) same_str(a->vi_forms[i][k], b->vi_forms[i][k], "vi form", i);
        assert_null(b->vi_forms[i][k]);
        for (k = 0; a->en_forms[i][k]; k++) same_str(a->en_forms[i][k], b->en_forms[i][k], "en form", i);
        assert_null(b->en_forms[i][k]);
        same_str(a->combines[i], b->combines[i], "combines", i);
    }
    same_ints(a->pos_ids, b->pos_ids, a->npos, "pos_ids");
    same_ints(a->body_ids, b->body_ids, a->nbody, "body_ids");
    same_ints(a->pos_index, b->pos_index, a->nprimary, "pos_index");
    same_ints(a->body_index, b->body_index, a->nprimary, "body_index");
    assert_memory_equal(a->pos_compat, b->pos_compat, a->npos * a->npos + 1);
    same_ptable(&a->phrases, &b->phrases, "phrase");
    assert_int_equal(a->nhits, b->nhits);
    assert_memory_equal(a->hits, b->hits, a->nhits * sizeof *a->hits);
    same_smap(&a->abbrevs, &b->abbrevs, "abbreviation");
    assert_int_equal(a->nexp, b->nexp);
    for (size_t i = 0; i < a->nexp; i++) same_str(a->expansions[i], b->expansions[i], "expansion", i);
    assert_int_equal(a->max_tokens, b->max_tokens);
    assert_int_equal(a->built, b->built);
}

static void same_words(const bt_lexicon *a, const bt_lexicon *b)
{
    same_ptable(&a->words, &b->words, "caption word");
    assert_int_equal(a->ndict, b->ndict);
    for (size_t i = 0; i < a->ndict; i++) {
        const dict_entry *x = &a->dict_v[i], *y = &b->dict_v[i];
        assert_int_equal(x->ntok, y->ntok);
        assert_int_equal(x->function, y->function);
        assert_int_equal(x->next, y->next);
        same_str(x->en, y->en, "dict en", i);
        same_str(x->form, y->form, "dict form", i);
        same_str(x->en_any, y->en_any, "dict en_any", i);
        assert_int_equal(x->en_any == x->en, y->en_any == y->en);
    }
    same_smap(&a->en_vocab, &b->en_vocab, "English stem");
    assert_int_equal(a->words_max_tokens, b->words_max_tokens);
    assert_int_equal(a->words_joined, b->words_joined);
}

static void titles_and_bodies_same(void **state)
{
    (void)state;
    setup_both();
    same_titles(run, img);
}

static void caption_words_same(void **state)
{
    (void)state;
    setup_both();
    assert_true(run->ndict > 10000);
    same_words(run, img);
}

/* A lexicon of one's own (bt_lexicon_new, copied from the image) is one
 * built from the data, before and after words are added to it (a new
 * word, a second English for a word, a variant of a key, a phrase), and
 * is freed as one. */
static void own_lexicon_same(void **state)
{
    (void)state;
    bt_lexicon *a = lex_build_default();
    a->own = 1; /* as bt_lexicon_new makes it without the image */
    bt_lexicon *b = bt_lexicon_new();
    assert_true(b->own);
    same_titles(a, b);
    same_words(a, b);
    static const char *const words[][2] = {
        { "khoai mỡ", "yam" }, { "bão", "typhoon" }, { "bao", "bag|sack" },
        { "chè", "tea plant" }, { "hợp tác xã nông nghiệp", "agricultural cooperative" },
    };
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        int x = bt_lexicon_add_word(a, words[i][0], words[i][1], 0);
        int y = bt_lexicon_add_word(b, words[i][0], words[i][1], 0);
        assert_int_equal(x, y);
    }
    assert_int_equal(lex_add_stems(a, "xyz", "xyz$", 1), lex_add_stems(b, "xyz", "xyz$", 1));
    same_titles(a, b);
    same_words(a, b);
    bt_lexicon_free(a);
    bt_lexicon_free(b);
}

/* Every form of every concept, and every caption word, found alike. */
static void found_alike(void **state)
{
    (void)state;
    setup_both();
    bt_title_match ma[16], mb[16];
    size_t found = 0, words = 0;
    for (size_t i = 0; i < run->nconcepts; i++) {
        const bt_concept *c = &run->concepts[i];
        for (int lang = 0; lang < 2; lang++) {
            const char *s = lang ? c->en_official : c->vi;
            bt_lang l = lang ? BT_LANG_EN : BT_LANG_VI;
            memset(ma, 0, sizeof ma); /* compared whole, padding and all */
            memset(mb, 0, sizeof mb);
            size_t na = bt_lexicon_find(run, l, s, strlen(s), ma, 16);
            size_t nb = bt_lexicon_find(img, l, s, strlen(s), mb, 16);
            assert_int_equal(na, nb);
            found += na > 0;
            assert_memory_equal(ma, mb, na * sizeof *ma);
        }
    }
    assert_true(found > run->nconcepts);
    for (size_t i = 0; i < run->words.cap; i++) {
        const char *k = run->words.v[i].key;
        if (!k || run->words.v[i].dict < 0) continue;
        lex_tokens ta, tb;
        lex_tokens_init(&ta);
        lex_tokens_init(&tb);
        lex_tokenize(run, BT_LANG_VI, k, strlen(k), &ta);
        lex_tokenize(img, BT_LANG_VI, k, strlen(k), &tb);
        assert_int_equal(ta.n, tb.n);
        const char *ea, *eb;
        int fa, fb;
        size_t na = lex_dict_match(run, &ta, k, 0, &ea, &fa);
        size_t nb = lex_dict_match(img, &tb, k, 0, &eb, &fb);
        assert_int_equal(na, nb);
        if (na) {
            words++;
            assert_string_equal(ea, eb);
            assert_int_equal(fa, fb);
        }
        lex_tokens_free(&ta);
        lex_tokens_free(&tb);
    }
    assert_true(words > 10000);
}

/* The look-ups' rows by key (gloss/lookup.c), made from the lexicon built
 * at run time, are the image's: every slot, key and row. */
static void keyed_rows_same(void **state)
{
    (void)state;
    setup_both();
    for (int r = 0; r < 2; r++) {
        lex_keyed_table a;
        lex_keyed_make(run, r, &a);
        const lex_keyed_table *b = &bt_gloss_lexicon_keyed.dir[r];
        assert_int_equal(a.cap, b->cap);
        assert_int_equal(a.nrows, b->nrows);
        assert_int_equal(a.pool_len, b->pool_len);
        assert_memory_equal(a.pool, b->pool, a.pool_len);
        assert_memory_equal(a.slots, b->slots, a.cap * sizeof *a.slots);
        assert_memory_equal(a.rows, b->rows, a.nrows * sizeof *a.rows);
        assert_true(a.nrows > 500);
        free((char *)(uintptr_t)a.pool);
        free((void *)(uintptr_t)a.slots);
        free((void *)(uintptr_t)a.rows);
    }
}

/* The glossary keys' abbreviations made from the rows at run time are the
 * image's, in order; and the keys read with them expand them. */
typedef struct abbrev_cmp {
    const gloss_abbrev_image *im;
    size_t i;
} abbrev_cmp;

static void abbrev_same(void *ud, const char *abbr, const char *folded, const char *accented)
{
    abbrev_cmp *c = ud;
    assert_true(c->i < c->im->n);
    const gloss_abbrev_row *r = &c->im->rows[c->i];
    same_str(abbr, c->im->pool + r->abbr, "abbreviation", c->i);
    same_str(folded, c->im->pool + r->folded, "abbreviation's key", c->i);
    same_str(accented, c->im->pool + r->accented, "abbreviation's words", c->i);
    c->i++;
}

static void abbrevs_same(void **state)
{
    (void)state;
    abbrev_cmp c = { &bt_gloss_abbrevs_image, 0 };
    gloss_abbrevs_make(abbrev_same, &c);
    assert_int_equal(c.i, bt_gloss_abbrevs_image.n);
    assert_true(c.i > 20);
    assert_string_equal(bt_gloss_abbrev("ubnd", 4), "uy ban nhan dan");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(titles_and_bodies_same),
        cmocka_unit_test(caption_words_same),
        cmocka_unit_test(found_alike),
        cmocka_unit_test(keyed_rows_same),
        cmocka_unit_test(abbrevs_same),
        cmocka_unit_test(own_lexicon_same),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
