/* annotate.c - a document's texts tokenized and searched once: every line
 * in its language (bt_annotate), the sides of the pairs as the aligner
 * weighed them (cap_notes_keep_pair), and whatever else is asked for, on
 * first request. The check reads titles and people here instead of
 * searching again; caption alignment takes the words of whole lines.
 *
 * The words of every text live in one token list and the matches in an
 * arena, so that an article costs a few allocations, not
 * a few per line. */
#include "caption_int.h"

#include <stdlib.h>
#include <string.h>

/* One text's words and matches, and its people once asked for. */
typedef struct note {
    const char *text;       /* what it was made from; NULL: not made */
    size_t len;
    size_t tok_at, ntok;    /* its words in bt_annotation.toks, */
    size_t buf_at, buf_len; /* their keys counted from buf_at in .wbuf */
    const void *entries_of; /* as lex_tokens.entries_of */
    const bt_title_match *m; /* every match, in bt_annotation.matches */
    size_t nm;
    bt_people people;
    unsigned char lang;     /* BT_LANG_VI or BT_LANG_EN */
    unsigned char has_people;
} note;

struct bt_annotation {
    const bt_lexicon *lex;
    const bt_doc *doc;
    note *lines;            /* per line, in the language it was annotated in */
    note *other;            /* per line, in the other language (made on
                               first request, rarely) */
    note *pairs;            /* per pair: its Vietnamese side, then its English */
    size_t npairs;          /* pairs there is room for */
    lex_token *toks;        /* the words of every note, back to back */
    size_t ntoks, captoks;
    bt_buf wbuf;            /* and their folded forms */
    lex_tokens scratch;     /* a text being tokenized */
    bt_arena matches;       /* every note's, where they do not move */
};


/* The words t (with its matches, found[0..64) of nall in all, or of more
 * than 64 when nall is (size_t)-1) become nt's, in lang, made from
 * text[0..len). */
static void note_set(bt_annotation *a, note *nt, bt_lang lang, const char *text, size_t len,
                     const lex_tokens *t, const bt_title_match *found, size_t nall)
{
    if (nt->has_people) bt_people_free(&nt->people);
    memset(nt, 0, sizeof *nt);
    nt->lang = (unsigned char)lang;
    nt->text = text;
    nt->len = len;
    nt->tok_at = a->ntoks;
    nt->ntok = t->n;
    nt->buf_at = a->wbuf.len;
    nt->buf_len = t->buf.len;
    nt->entries_of = t->entries_of;
    BT_GROW(a->toks, a->captoks, a->ntoks + t->n);
    if (t->n) memcpy(a->toks + a->ntoks, t->v, t->n * sizeof *t->v);
    a->ntoks += t->n;
    bt_buf_add(&a->wbuf, t->buf.ptr, t->buf.len);
    if (nall == (size_t)-1) nall = lex_find(a->lex, lang, t, NULL, 0);
    bt_title_match *m = bt_arena_alloc(&a->matches, nall * sizeof *m, _Alignof(bt_title_match));
    if (nall > 64) lex_find(a->lex, lang, t, m, nall); /* found holds 64 */
    else memcpy(m, found, nall * sizeof *m);
    nt->m = m;
    nt->nm = nall;
}

/* Notes v[0..n) not made yet (what note_make and note_set look at). */
static void unmade(note *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        v[i].text = NULL;
        v[i].has_people = 0;
    }
}

/* nt made from text[0..len) in lang, unless it is already. */
static note *note_make(bt_annotation *a, note *nt, bt_lang lang, const char *text, size_t len)
{
    if (nt->text == text && nt->lang == lang) return nt;
    lex_tokenize(a->lex, lang, text, len, &a->scratch);
    bt_title_match found[64];
    size_t n = lex_find(a->lex, lang, &a->scratch, found, 64);
    note_set(a, nt, lang, text, len, &a->scratch, found, n);
    return nt;
}

/* The words of nt where they are (valid until more are added). */
static lex_tokens note_words(const bt_annotation *a, const note *nt)
{
    lex_tokens t;
    memset(&t, 0, sizeof t);
    t.v = a->toks + nt->tok_at;
    t.n = t.cap = nt->ntok;
    t.buf.ptr = a->wbuf.ptr + nt->buf_at;
    t.buf.len = t.buf.cap = nt->buf_len;
    t.entries_of = nt->entries_of;
    return t;
}

/* The people of nt's text, found with its words and its first 64 matches
 * (as bt_people_parse does), once. */
static const bt_people *note_people(const bt_annotation *a, note *nt)
{
    if (!nt->has_people) {
        lex_tokens t = note_words(a, nt);
        lex_people(a->lex, (bt_lang)nt->lang, nt->text, nt->len, &t, nt->m,
                   nt->nm > 64 ? 64 : nt->nm, &nt->people);
        nt->has_people = 1;
    }
    return &nt->people;
}

/* The language line ln is annotated in: a short line of title and name
 * ("Prime Minister Nguyen Xuan Phuc") may be guessed a bare name, and is
 * read as English. BT_LANG_BLANK: none. */
static bt_lang line_lang(const bt_line *ln)
{
    return ln->lang == BT_LANG_VI ? BT_LANG_VI
           : ln->lang == BT_LANG_EN || ln->lang == BT_LANG_NAME ? BT_LANG_EN
                                                                 : BT_LANG_BLANK;
}

bt_annotation *bt_annotate(const bt_lexicon *lex, const bt_doc *doc)
{
    bt_annotation *a = bt_xcalloc(1, sizeof *a);
    a->lex = lex ? lex : bt_lexicon_default();
    a->doc = doc;
    a->lines = bt_xmalloc((doc->nlines + 1) * sizeof *a->lines); /* each set below */
    bt_buf_init(&a->wbuf);
    lex_tokens_init(&a->scratch);
    /* room for the usual case at once, as lex_tokenize makes it: a word
     * every few bytes, keys about as long as the text */
    size_t bytes = 0;
    for (size_t i = 0; i < doc->nlines; i++) bytes += doc->lines[i].len;
    BT_GROW(a->toks, a->captoks, bytes / 5 + 16);
    bt_buf_reserve(&a->wbuf, bytes + bytes / 4 + 16);
    for (size_t i = 0; i < doc->nlines; i++) {
        const bt_line *ln = &doc->lines[i];
        bt_lang lang = line_lang(ln);
        unmade(&a->lines[i], 1);
        if (lang != BT_LANG_BLANK) note_make(a, &a->lines[i], lang, ln->text, ln->len);
    }
    return a;
}

static void notes_free(note *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        if (v[i].has_people) bt_people_free(&v[i].people);
    free(v);
}

void bt_annotation_free(bt_annotation *a)
{
    if (!a) return;
    notes_free(a->lines, a->doc->nlines);
    notes_free(a->other, a->doc->nlines);
    notes_free(a->pairs, 2 * a->npairs);
    bt_arena_free(&a->matches);
    free(a->toks);
    bt_buf_free(&a->wbuf);
    lex_tokens_free(&a->scratch);
    free(a);
}

const bt_doc *bt_annotation_doc(const bt_annotation *a)
{
    return a->doc;
}

const bt_lexicon *bt_annotation_lexicon(const bt_annotation *a)
{
    return a->lex;
}

/* ---- lines ---- */

static note *line_note(bt_annotation *a, size_t li, bt_lang lang)
{
    const bt_line *ln = &a->doc->lines[li];
    note *nt = &a->lines[li];
    if (line_lang(ln) != lang) {
        if (!a->other) a->other = bt_xcalloc(a->doc->nlines + 1, sizeof *a->other);
        nt = &a->other[li];
    }
    return note_make(a, nt, lang, ln->text, ln->len);
}

size_t bt_annotation_line_titles(bt_annotation *a, size_t li, bt_lang lang,
                                 const bt_title_match **m)
{
    note *nt = line_note(a, li, lang);
    *m = nt->m;
    return nt->nm;
}

const bt_people *bt_annotation_line_people(bt_annotation *a, size_t li, bt_lang lang)
{
    return note_people(a, line_note(a, li, lang));
}

int cap_notes_line_words(const bt_annotation *a, size_t li, bt_lang lang, const char *text,
                         size_t len, lex_tokens *t, const bt_title_match **m, size_t *n)
{
    if (li >= a->doc->nlines) return 0;
    const bt_line *ln = &a->doc->lines[li];
    const note *nt = &a->lines[li];
    if (!nt->text || nt->lang != lang || text != ln->text || len != ln->len) return 0;
    lex_tokens w = note_words(a, nt);
    lex_tokens_copy(t, &w);
    *m = nt->m;
    *n = nt->nm;
    return 1;
}

/* ---- the sides of pairs ---- */

/* The note of side lang of pair k; room is made for res's pairs. */
static note *pair_slot(bt_annotation *a, const bt_align_result *res, size_t k, bt_lang lang)
{
    if (res->npairs > a->npairs) {
        a->pairs = bt_xrealloc(a->pairs, 2 * res->npairs * sizeof *a->pairs);
        unmade(a->pairs + 2 * a->npairs, 2 * (res->npairs - a->npairs));
        a->npairs = res->npairs;
    }
    return &a->pairs[2 * k + (lang == BT_LANG_EN)];
}

static const char *pair_text(const bt_align_result *res, size_t k, bt_lang lang)
{
    return lang == BT_LANG_VI ? res->pairs[k].vi : res->pairs[k].en;
}

static note *pair_note(bt_annotation *a, const bt_align_result *res, size_t k, bt_lang lang)
{
    const char *text = pair_text(res, k, lang);
    return note_make(a, pair_slot(a, res, k, lang), lang, text, strlen(text));
}

size_t bt_annotation_pair_titles(bt_annotation *a, const bt_align_result *res, size_t k,
                                 bt_lang lang, const bt_title_match **m)
{
    note *nt = pair_note(a, res, k, lang);
    *m = nt->m;
    return nt->nm;
}

const bt_people *bt_annotation_pair_people(bt_annotation *a, const bt_align_result *res,
                                           size_t k, bt_lang lang)
{
    return note_people(a, pair_note(a, res, k, lang));
}

void cap_notes_keep_pair(bt_annotation *a, const bt_align_result *res, size_t k, bt_lang lang,
                         const side *sd)
{
    const char *text = pair_text(res, k, lang);
    if (!sd || !text) return; /* found on first request */
    /* a side keeps 64 matches: a capped one's are found again */
    note_set(a, pair_slot(a, res, k, lang), lang, text, strlen(text), &sd->t, sd->m,
             sd->capped ? (size_t)-1 : sd->nm);
}
