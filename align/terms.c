/* terms.c - what the pairs give the glossary and the check: glossary
 * terms of the pairs that are translations (names, titles paired element
 * by element, bodies and places), the titles given to people in captions
 * and English body text (mentions), and with line_matches the lexicon
 * matches of every line. */
#include "caption_int.h"

#include <stdlib.h>
#include <string.h>

static void add_term(bt_align_result *r, size_t *cap, const char *vi, const char *en,
                     bt_term_kind kind, unsigned long vl, unsigned long el)
{
    BT_GROW(r->terms, *cap, r->nterms + 1);
    bt_term *t = &r->terms[r->nterms++];
    t->vi = bt_segment_clean(vi, strlen(vi));
    t->en = bt_segment_clean(en, strlen(en));
    t->kind = kind;
    t->vi_line = vl;
    t->en_line = el;
}

static void add_mentions(bt_align_result *r, size_t *cap, const bt_people *pp,
                         bt_lang lang, unsigned long line, long pair)
{
    for (size_t i = 0; i < pp->n; i++)
        for (size_t j = 0; j < pp->v[i].ntitles; j++) {
            BT_GROW(r->mentions, *cap, r->nmentions + 1);
            bt_mention *m = &r->mentions[r->nmentions++];
            /* the three strings in one block, freed through person */
            size_t a = strlen(pp->v[i].name) + 1, b = strlen(pp->v[i].name_key) + 1,
                   c = strlen(pp->v[i].titles[j]) + 1;
            char *block = bt_xmalloc(a + b + c);
            m->person = memcpy(block, pp->v[i].name, a);
            m->person_key = memcpy(block + a, pp->v[i].name_key, b);
            m->title = memcpy(block + a + b, pp->v[i].titles[j], c);
            m->concept = pp->v[i].concepts[j];
            m->lang = lang;
            m->line = line;
            m->pair = pair;
        }
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

/* The check reads a credit's Vietnamese matches too. */
static void credit_matches(const bt_lexicon *lex, bt_pair *p)
{
    bt_title_match m[64];
    size_t nm = bt_lexicon_find(lex, BT_LANG_VI, p->vi, strlen(p->vi), m, 64);
    p->vi_matches = bt_xmalloc((nm ? nm : 1) * sizeof *p->vi_matches);
    if (nm > 64) bt_lexicon_find(lex, BT_LANG_VI, p->vi, strlen(p->vi), p->vi_matches, nm);
    else memcpy(p->vi_matches, m, nm * sizeof *m);
    p->vi_nmatches = nm;
}

/* The people of one side of a pair, from its side when it has one. */
static void side_people(const bt_lexicon *lex, bt_lang lang, const char *text, const side *sd,
                        bt_people *out)
{
    if (sd) lex_people(lex, lang, text, strlen(text), &sd->t, sd->m, sd->nm, out);
    else bt_people_parse(lex, lang, text, strlen(text), out);
}

/* The terms and mentions of pair i (not a credit). */
static void one_pair(cap_run *r, bt_align_result *out, size_t i)
{
    const bt_lexicon *lex = r->lex;
    const bt_align_opts *opts = r->opts;
    bt_pair *p = &out->pairs[i];
    bt_people vp = { 0 }, ep = { 0 };
    const side *vs = cap_side_for_pair(&r->ss, lex, BT_LANG_VI, p->vi, r->src.v[i]);
    const side *es = cap_side_for_pair(&r->ss, lex, BT_LANG_EN, p->en, r->src.e[i]);
    int mentions = !(opts && opts->no_mentions);
    /* people serve the mentions, and the terms of pairs that are
     * translations (accepted, or partial for their prefix) */
    int people = mentions || p->status == BT_PAIR_ACCEPTED || p->status == BT_PAIR_PARTIAL;
    if (people && p->vi) side_people(lex, BT_LANG_VI, p->vi, vs, &vp);
    if (people && p->en) side_people(lex, BT_LANG_EN, p->en, es, &ep);
    if (p->vi && p->en && vs && !vs->capped && opts && opts->line_matches) {
        p->vi_matches = bt_xmalloc((vs->nm ? vs->nm : 1) * sizeof *p->vi_matches);
        memcpy(p->vi_matches, vs->m, vs->nm * sizeof *vs->m);
        p->vi_nmatches = vs->nm;
    }
    if (p->vi && mentions) add_mentions(out, &r->mcap, &vp, BT_LANG_VI, p->vi_line, (long)i);
    if (p->en && mentions) add_mentions(out, &r->mcap, &ep, BT_LANG_EN, p->en_line, (long)i);
    if (p->status == BT_PAIR_ACCEPTED) pair_terms(lex, out, &r->tcap, p, &vp, &ep, vs, es, 0);
    else if (p->status == BT_PAIR_PARTIAL) pair_terms(lex, out, &r->tcap, p, &vp, &ep, vs, es, 1);
    bt_people_free(&vp);
    bt_people_free(&ep);
    /* a segment is in one pair at most: its side is done with */
    if (r->src.v[i] >= 0) cap_side_drop(&r->ss, (size_t)r->src.v[i]);
    if (r->src.e[i] >= 0) cap_side_drop(&r->ss, (size_t)r->src.e[i]);
}

void cap_terms(cap_run *r, bt_align_result *out)
{
    for (size_t i = 0; i < out->npairs; i++) {
        bt_pair *p = &out->pairs[i];
        if (!p->is_credit) one_pair(r, out, i);
        else if (p->vi && p->en && r->opts && r->opts->line_matches) credit_matches(r->lex, p);
    }
}

/* Per line: it is the English of a pair, or wrapped from one. Caller
 * frees. */
static unsigned char *en_lines_paired(const cap_run *r, const bt_align_result *out)
{
    const bt_doc *doc = r->doc;
    unsigned char *en_line_paired = bt_xcalloc(doc->nlines + 1, 1);
    for (size_t i = 0; i < out->npairs; i++)
        if (out->pairs[i].en_line) {
            size_t l = bt_doc_line_index(doc, out->pairs[i].en_line);
            if (l != (size_t)-1) en_line_paired[l] = 1;
        }
    for (size_t l = 1; l < doc->nlines; l++) /* and the lines wrapped from it */
        if (r->lt.cont[l] && en_line_paired[l - 1]) en_line_paired[l] = 1;
    return en_line_paired;
}

/* Keep the matches of line l, searched in lang, in the result; *titles
 * tells whether one is a title. Returns them. */
static bt_line_matches *keep_line_matches(cap_run *r, bt_align_result *out, size_t l,
                                          bt_lang search, const lex_tokens *bt, int *titles)
{
    bt_title_match m[64];
    size_t nm = lex_find(r->lex, search, bt, m, 64);
    BT_GROW(out->line_matches, r->lmcap, out->nline_matches + 1);
    bt_line_matches *lm = &out->line_matches[out->nline_matches++];
    lm->line = l;
    lm->lang = search;
    lm->n = nm;
    lm->m = NULL;
    if (nm) {
        lm->m = bt_xmalloc(nm * sizeof *lm->m);
        if (nm > 64) lex_find(r->lex, search, bt, lm->m, nm);
        else memcpy(lm->m, m, nm * sizeof *m);
    }
    *titles = 0;
    for (size_t k = 0; k < nm && k < 64; k++) *titles |= m[k].kind == BT_TERM_TITLE;
    return lm;
}

/* English body text: titles given to people there too; and with
 * line_matches, the matches of every line for the check. */
void cap_body_mentions(cap_run *r, bt_align_result *out)
{
    const bt_doc *doc = r->doc;
    const bt_lexicon *lex = r->lex;
    int mentions = !(r->opts && r->opts->no_mentions), keep = r->opts && r->opts->line_matches;
    if (!mentions && !keep) return;
    unsigned char *en_line_paired = en_lines_paired(r, out);
    lex_tokens bt;
    lex_tokens_init(&bt);
    for (size_t l = 0; l < doc->nlines; l++) {
        const bt_line *ln = &doc->lines[l];
        int people = mentions && ln->lang == BT_LANG_EN && !en_line_paired[l];
        bt_lang search = ln->lang == BT_LANG_VI ? BT_LANG_VI
                         : ln->lang == BT_LANG_EN || ln->lang == BT_LANG_NAME ? BT_LANG_EN
                                                                               : BT_LANG_BLANK;
        if (!people && !(keep && search != BT_LANG_BLANK)) continue;
        bt_people ep = { 0 };
        if (keep) {
            /* as bt_people_parse, keeping every match of the line */
            lex_tokenize(lex, search, ln->text, ln->len, &bt);
            int titles;
            bt_line_matches *lm = keep_line_matches(r, out, l, search, &bt, &titles);
            /* no title in the line, no one given one */
            if (people && titles)
                lex_people(lex, BT_LANG_EN, ln->text, ln->len, &bt, lm->m, lm->n > 64 ? 64 : lm->n,
                           &ep);
        } else {
            bt_people_parse(lex, BT_LANG_EN, ln->text, ln->len, &ep);
        }
        if (people) add_mentions(out, &r->mcap, &ep, BT_LANG_EN, ln->lineno, -1);
        bt_people_free(&ep);
    }
    lex_tokens_free(&bt);
    free(en_line_paired);
}
