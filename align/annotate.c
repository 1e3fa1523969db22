/* annotate.c - a document's texts tokenized and searched once: every line
 * in its language (bt_annotate), the sides of the pairs as the aligner
 * weighed them (cap_notes_keep_pair), and whatever else is asked for, on
 * first request. The check reads titles and people here instead of
 * searching again; caption alignment takes the titles of whole lines.
 *
 * What a text gives is kept: every title and body the lexicon finds, and
 * the titles it gives people where they may be asked for (an English line
 * that names a title, a pair's side), found while the words are at hand;
 * all in one arena, a few allocations an article. The lines' words are
 * kept only until forgotten (bt_annotation_forget_words, once the pairs
 * and people are found), and not for an article of tens of thousands of
 * captions: an annotation holds about what the check reads. */
#include "caption_int.h"

#include <stdlib.h>
#include <string.h>

/* One text's matches, and the titles it gives people once found. */
typedef struct note {
    const char *text;        /* what it was made from; NULL: not made */
    size_t len;
    const bt_title_match *m; /* every match, in bt_annotation.matches */
    size_t nm;
    const bt_given_title *g; /* in bt_annotation.matches too */
    size_t ng;
    size_t tok_at, ntok;     /* a line's words in bt_annotation.toks, */
    size_t buf_at, buf_len;  /* their keys counted from buf_at in .wbuf */
    unsigned char lang;      /* BT_LANG_VI or BT_LANG_EN */
    unsigned char has_people;
    unsigned char has_words; /* tok_at.. hold its words (while kept) */
} note;

struct bt_annotation {
    const bt_lexicon *lex;
    const bt_doc *doc;
    note *lines;             /* per line, in the language it was annotated in */
    note *other;             /* per line, in the other language (made on
                                first request, rarely) */
    note *pairs;             /* per pair: its Vietnamese side, then its English */
    size_t npairs;           /* pairs there is room for */
    lex_tokens scratch;      /* a text being tokenized */
    /* the lines' words, while the aligner may take them for segments
     * that are whole lines and the check may ask for people
     * (bt_annotation_forget_words); not for an article past
     * NOTES_WORDS_MAX bytes, whose words would weigh too much */
    int keep_words;
    lex_token *toks;
    size_t ntoks, captoks;
    const void *entries_of;
    bt_buf wbuf;
    bt_arena matches;        /* every note's matches and given titles,
                                where they do not move */
};

#define NOTES_WORDS_MAX ((size_t)1 << 20)

/* Does a line with these matches give someone a title? Only then may the
 * check ask for its people (as bt_people_parse, the first 64 matches). */
static int names_a_title(const bt_title_match *m, size_t n)
{
    for (size_t k = 0; k < n && k < 64; k++)
        if (m[k].kind == BT_TERM_TITLE) return 1;
    return 0;
}

static const char *arena_str(bt_arena *ar, const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(bt_arena_alloc(ar, n, 1), s, n);
}

/* The titles pp gives people, one record a title, into nt. */
static void note_given(bt_annotation *a, note *nt, const bt_people *pp)
{
    size_t n = 0;
    for (size_t i = 0; i < pp->n; i++) n += pp->v[i].ntitles;
    bt_given_title *g = bt_arena_alloc(&a->matches, n * sizeof *g, _Alignof(bt_given_title));
    nt->g = g;
    nt->ng = n;
    nt->has_people = 1;
    for (size_t i = 0; i < pp->n; i++) {
        const bt_person *p = &pp->v[i];
        if (!p->ntitles) continue;
        const char *name = arena_str(&a->matches, p->name);
        const char *key = arena_str(&a->matches, p->name_key);
        for (size_t j = 0; j < p->ntitles; j++, g++) {
            g->person = name;
            g->person_key = key;
            g->title = arena_str(&a->matches, p->titles[j]);
            g->concept = p->concepts[j];
        }
    }
}

/* nt made from text[0..len) in lang, whose words are t and matches
 * found[0..64) of nall in all (or of more than 64 when nall is
 * (size_t)-1); with people, the titles it gives people too: pp when
 * given, else found with t. */
static void note_set(bt_annotation *a, note *nt, bt_lang lang, const char *text, size_t len,
                     const lex_tokens *t, const bt_title_match *found, size_t nall, int people,
                     const bt_people *pp)
{
    /* a line made again keeps its words, where they are kept */
    size_t words[4] = { nt->tok_at, nt->ntok, nt->buf_at, nt->buf_len };
    int same = nt->text == text, had_words = nt->has_words;
    memset(nt, 0, sizeof *nt);
    if (same) {
        nt->has_words = (unsigned char)had_words;
        nt->tok_at = words[0];
        nt->ntok = words[1];
        nt->buf_at = words[2];
        nt->buf_len = words[3];
    }
    nt->lang = (unsigned char)lang;
    nt->text = text;
    nt->len = len;
    if (nall == (size_t)-1) nall = lex_find(a->lex, lang, t, NULL, 0);
    bt_title_match *m = bt_arena_alloc(&a->matches, nall * sizeof *m, _Alignof(bt_title_match));
    if (nall > 64) lex_find(a->lex, lang, t, m, nall); /* found holds 64 */
    else memcpy(m, found, nall * sizeof *m);
    nt->m = m;
    nt->nm = nall;
    if (pp) {
        note_given(a, nt, pp);
    } else if (people) {
        bt_people found_pp;
        lex_people(a->lex, lang, text, len, t, m, nall > 64 ? 64 : nall, &found_pp);
        note_given(a, nt, &found_pp);
        bt_people_free(&found_pp);
    }
}

/* Notes v[0..n) not made yet (what note_make and note_set look at). */
static void unmade(note *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        v[i].text = NULL;
        v[i].has_people = 0;
    }
}

/* The words kept of line nt, where they are (valid until more are
 * kept). */
static lex_tokens kept_words(const bt_annotation *a, const note *nt)
{
    lex_tokens w;
    memset(&w, 0, sizeof w);
    w.v = a->toks + nt->tok_at;
    w.n = w.cap = nt->ntok;
    w.buf.ptr = a->wbuf.ptr + nt->buf_at;
    w.buf.len = w.buf.cap = nt->buf_len;
    w.entries_of = a->entries_of;
    return w;
}

/* people: 1 to find its people, -1 when it names a title, 0 not. */
static note *note_make(bt_annotation *a, note *nt, bt_lang lang, const char *text, size_t len,
                       int people)
{
    if (nt->text == text && nt->lang == lang && (nt->has_people || people <= 0)) return nt;
    if (nt->text == text && nt->lang == lang && nt->has_words && a->keep_words) {
        lex_tokens t = kept_words(a, nt);
        bt_people pp;
        lex_people(a->lex, lang, text, len, &t, nt->m, nt->nm > 64 ? 64 : nt->nm, &pp);
        note_given(a, nt, &pp);
        bt_people_free(&pp);
        return nt;
    }
    lex_tokenize(a->lex, lang, text, len, &a->scratch);
    bt_title_match found[64];
    size_t n = lex_find(a->lex, lang, &a->scratch, found, 64);
    if (people < 0) people = names_a_title(found, n);
    note_set(a, nt, lang, text, len, &a->scratch, found, n, people, NULL);
    return nt;
}

/* Keep the words just made (a->scratch) as line nt's. */
static void keep_words(bt_annotation *a, note *nt)
{
    const lex_tokens *t = &a->scratch;
    nt->has_words = 1;
    nt->tok_at = a->ntoks;
    nt->ntok = t->n;
    nt->buf_at = a->wbuf.len;
    nt->buf_len = t->buf.len;
    a->entries_of = t->entries_of;
    BT_GROW(a->toks, a->captoks, a->ntoks + t->n);
    if (t->n) memcpy(a->toks + a->ntoks, t->v, t->n * sizeof *t->v);
    a->ntoks += t->n;
    bt_buf_add(&a->wbuf, t->buf.ptr, t->buf.len);
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
    lex_tokens_init(&a->scratch);
    bt_buf_init(&a->wbuf);
    size_t bytes = 0;
    for (size_t i = 0; i < doc->nlines; i++) bytes += doc->lines[i].len;
    a->keep_words = bytes <= NOTES_WORDS_MAX;
    if (a->keep_words) { /* as lex_tokenize: a word every few bytes */
        BT_GROW(a->toks, a->captoks, bytes / 5 + 16);
        bt_buf_reserve(&a->wbuf, bytes + bytes / 4 + 16);
    }
    for (size_t i = 0; i < doc->nlines; i++) {
        const bt_line *ln = &doc->lines[i];
        bt_lang lang = line_lang(ln);
        unmade(&a->lines[i], 1);
        if (lang == BT_LANG_BLANK) continue;
        /* with its words kept, its people are found from them on request;
         * else now, for English text where someone is given a title */
        note_make(a, &a->lines[i], lang, ln->text, ln->len,
                  !a->keep_words && lang == BT_LANG_EN ? -1 : 0);
        if (a->keep_words) keep_words(a, &a->lines[i]);
    }
    return a;
}

void bt_annotation_forget_words(bt_annotation *a)
{
    a->keep_words = 0;
    free(a->toks);
    a->toks = NULL;
    a->ntoks = a->captoks = 0;
    bt_buf_free(&a->wbuf);
}

void bt_annotation_free(bt_annotation *a)
{
    if (!a) return;
    free(a->lines);
    free(a->other);
    free(a->pairs);
    bt_arena_free(&a->matches);
    lex_tokens_free(&a->scratch);
    bt_annotation_forget_words(a);
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

static note *line_note(bt_annotation *a, size_t li, bt_lang lang, int people)
{
    const bt_line *ln = &a->doc->lines[li];
    note *nt = &a->lines[li];
    if (line_lang(ln) != lang) {
        if (!a->other) a->other = bt_xcalloc(a->doc->nlines + 1, sizeof *a->other);
        nt = &a->other[li];
    }
    return note_make(a, nt, lang, ln->text, ln->len, people);
}

size_t bt_annotation_line_titles(bt_annotation *a, size_t li, bt_lang lang,
                                 const bt_title_match **m)
{
    note *nt = line_note(a, li, lang, 0);
    *m = nt->m;
    return nt->nm;
}

size_t bt_annotation_line_given(bt_annotation *a, size_t li, bt_lang lang,
                                const bt_given_title **g)
{
    note *nt = line_note(a, li, lang, 1);
    *g = nt->g;
    return nt->ng;
}

int cap_notes_line_words(const bt_annotation *a, size_t li, bt_lang lang, const char *text,
                         size_t len, lex_tokens *t, const bt_title_match **m, size_t *n)
{
    if (li >= a->doc->nlines) return 0;
    const bt_line *ln = &a->doc->lines[li];
    const note *nt = &a->lines[li];
    if (!nt->text || nt->lang != lang || text != ln->text || len != ln->len) return 0;
    if (a->keep_words && nt->has_words) {
        lex_tokens w = kept_words(a, nt);
        lex_tokens_copy(t, &w);
    } else {
        lex_tokens_init(t);
        lex_tokenize(a->lex, lang, text, len, t);
    }
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

/* A pair's side, with its people: the check asks for them all. */
static note *pair_note(bt_annotation *a, const bt_align_result *res, size_t k, bt_lang lang)
{
    const char *text = pair_text(res, k, lang);
    return note_make(a, pair_slot(a, res, k, lang), lang, text, strlen(text), 1);
}

size_t bt_annotation_pair_titles(bt_annotation *a, const bt_align_result *res, size_t k,
                                 bt_lang lang, const bt_title_match **m)
{
    note *nt = pair_note(a, res, k, lang);
    *m = nt->m;
    return nt->nm;
}

size_t bt_annotation_pair_given(bt_annotation *a, const bt_align_result *res, size_t k,
                                bt_lang lang, const bt_given_title **g)
{
    note *nt = pair_note(a, res, k, lang);
    *g = nt->g;
    return nt->ng;
}

void cap_notes_keep_pair(bt_annotation *a, const bt_align_result *res, size_t k, bt_lang lang,
                         const side *sd, const bt_people *pp)
{
    const char *text = pair_text(res, k, lang);
    if (!text) return;
    note *nt = pair_slot(a, res, k, lang);
    if (!sd) { /* never weighed: its words are made here */
        lex_tokenize(a->lex, lang, text, strlen(text), &a->scratch);
        bt_title_match found[64];
        size_t n = lex_find(a->lex, lang, &a->scratch, found, 64);
        note_set(a, nt, lang, text, strlen(text), &a->scratch, found, n, 1, pp);
        return;
    }
    /* a side keeps 64 matches: a capped one's are found again */
    note_set(a, nt, lang, text, strlen(text), &sd->t, sd->m, sd->capped ? (size_t)-1 : sd->nm,
             1, pp);
}
