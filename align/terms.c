/* terms.c - what the pairs give the glossary: terms of the pairs that are
 * translations (names, titles paired element by element, bodies and
 * places); and what they leave the annotation, when there is one: the
 * words and titles of their sides, which the check reads. */
#include "caption_int.h"

#include <stdlib.h>
#include <string.h>

/* s cleaned as bt_segment_clean does: most terms are clean already. */
static char *clean_copy(const char *s)
{
    size_t len = strlen(s);
    return cap_clean_chars(s, len) != (size_t)-1 ? bt_xstrndup(s, len) : bt_segment_clean(s, len);
}

static void add_term(bt_align_result *r, size_t *cap, const char *vi, const char *en,
                     bt_term_kind kind, unsigned long vl, unsigned long el)
{
    BT_GROW(r->terms, *cap, r->nterms + 1);
    bt_term *t = &r->terms[r->nterms++];
    t->vi = clean_copy(vi);
    t->en = clean_copy(en);
    t->kind = kind;
    t->vi_line = vl;
    t->en_line = el;
}

/* Glossary terms of a pair: for each person named on both sides, titles
 * paired element by element where the lexicon agrees; bodies and places
 * named on both sides. */
static void pair_terms(const bt_lexicon *lex, bt_align_result *r, size_t *tcap,
                       const bt_pair *p, const bt_people *vp, const bt_people *ep,
                       const side *vs, const side *es, int titles_only_prefix)
{
    for (size_t i = 0; i < vp->n; i++) {
        const bt_person *a = &vp->v[i];
        for (size_t j = 0; j < ep->n; j++) {
            const bt_person *b = &ep->v[j];
            if (strcmp(a->name_key, b->name_key) != 0) continue;
            add_term(r, tcap, a->name, b->name, BT_TERM_NAME, p->vi_line, p->en_line);
            /* chains of the same length whose known elements agree place
             * by place: the unknown elements pair by their place too */
            if (a->nchain && a->nchain == b->nchain) {
                int agree = 1, known = 0;
                for (size_t k = 0; k < a->nchain; k++) {
                    int ca = a->chain_concepts[k], cb = b->chain_concepts[k];
                    if (ca >= 0 && cb >= 0) {
                        known++;
                        if (!bt_lexicon_same(lex, ca, cb)) agree = 0;
                    } else if ((ca >= 0) != (cb >= 0)) {
                        agree = 0; /* known on one side only: other words */
                    }
                }
                if (agree && known)
                    for (size_t k = 0; k < a->nchain; k++)
                        if (a->chain_concepts[k] < 0)
                            add_term(r, tcap, a->chain[k], b->chain[k], BT_TERM_TITLE,
                                     p->vi_line, p->en_line);
            }
            unsigned char used[64] = { 0 };
            for (size_t x = 0; x < a->ntitles; x++)
                for (size_t y = 0; y < b->ntitles && y < 64; y++) {
                    if (used[y] || !bt_lexicon_same(lex, a->concepts[x], b->concepts[y])) continue;
                    used[y] = 1;
                    add_term(r, tcap, a->titles[x], b->titles[y], BT_TERM_TITLE,
                             p->vi_line, p->en_line);
                    break;
                }
            break;
        }
    }
    if (titles_only_prefix) return;
    enum { M = 64 };
    bt_title_match vbuf[M], ebuf[M];
    const bt_title_match *vm = vbuf, *em = ebuf;
    size_t nv, ne;
    if (vs) { vm = vs->m; nv = vs->nm; }
    else nv = bt_lexicon_find(lex, BT_LANG_VI, p->vi, strlen(p->vi), vbuf, M);
    if (es) { em = es->m; ne = es->nm; }
    else ne = bt_lexicon_find(lex, BT_LANG_EN, p->en, strlen(p->en), ebuf, M);
    if (nv > M) nv = M;
    if (ne > M) ne = M;
    unsigned char used[M] = { 0 };
    for (size_t x = 0; x < nv; x++) {
        if (vm[x].kind != BT_TERM_BODY && vm[x].kind != BT_TERM_PLACE) continue;
        for (size_t y = 0; y < ne; y++) {
            if (used[y] || vm[x].concept != em[y].concept) continue;
            used[y] = 1;
            char *a = bt_xstrndup(p->vi + vm[x].start, vm[x].end - vm[x].start);
            char *b = bt_xstrndup(p->en + em[y].start, em[y].end - em[y].start);
            add_term(r, tcap, a, b, vm[x].kind, p->vi_line, p->en_line);
            free(a);
            free(b);
            break;
        }
    }
}

/* The people of one side of a pair, from its side when it has one. */
static void side_people(const bt_lexicon *lex, bt_lang lang, const char *text, const side *sd,
                        bt_people *out)
{
    if (sd) lex_people(lex, lang, text, strlen(text), &sd->t, sd->m, sd->nm, out);
    else bt_people_parse(lex, lang, text, strlen(text), out);
}

/* The terms of pair i (not a credit); with an annotation, its sides'
 * titles and the titles they give people are left there. */
static void one_pair(cap_run *r, bt_align_result *out, size_t i)
{
    const bt_lexicon *lex = r->lex;
    bt_annotation *notes = r->opts ? r->opts->notes : NULL;
    bt_pair *p = &out->pairs[i];
    const side *vs = cap_side_for_pair(&r->ss, lex, BT_LANG_VI, p->vi, r->src.v[i]);
    const side *es = cap_side_for_pair(&r->ss, lex, BT_LANG_EN, p->en, r->src.e[i]);
    /* translations (accepted, or partial for their prefix) give terms */
    int terms = p->status == BT_PAIR_ACCEPTED || p->status == BT_PAIR_PARTIAL;
    bt_people vp = { 0 }, ep = { 0 };
    if (p->vi && (terms || notes)) side_people(lex, BT_LANG_VI, p->vi, vs, &vp);
    /* the terms pair the English's people with the Vietnamese's only */
    if (p->en && (notes || (terms && vp.n))) side_people(lex, BT_LANG_EN, p->en, es, &ep);
    if (notes) {
        cap_notes_keep_pair(notes, out, i, BT_LANG_VI, vs, &vp);
        cap_notes_keep_pair(notes, out, i, BT_LANG_EN, es, &ep);
    }
    if (terms) pair_terms(lex, out, &r->tcap, p, &vp, &ep, vs, es, p->status == BT_PAIR_PARTIAL);
    bt_people_free(&vp);
    bt_people_free(&ep);
    /* a segment is in one pair at most: its side is done with */
    if (r->src.v[i] >= 0) cap_side_drop(&r->ss, (size_t)r->src.v[i]);
    if (r->src.e[i] >= 0) cap_side_drop(&r->ss, (size_t)r->src.e[i]);
}

void cap_terms(cap_run *r, bt_align_result *out)
{
    for (size_t i = 0; i < out->npairs; i++)
        if (!out->pairs[i].is_credit) one_pair(r, out, i);
}

/* A pair's English spans its line and the lines wrapped from it. */
void cap_en_spans(cap_run *r, bt_align_result *out)
{
    const bt_doc *doc = r->doc;
    for (size_t i = 0; i < out->npairs; i++) {
        bt_pair *p = &out->pairs[i];
        size_t l = p->en_line ? bt_doc_line_index(doc, p->en_line) : (size_t)-1;
        if (l == (size_t)-1) continue;
        while (l + 1 < doc->nlines && r->lt.cont[l + 1]) l++;
        p->en_last = doc->lines[l].lineno;
    }
}
