/* store.c - the bottom of the check module: what the scans share. Interned
 * strings, memo tables by span bytes, the per-concept records, the variant
 * findings list, and the body named inside a title. It calls nothing
 * above it (check.c, check_variants.c, check_people.c, check_spill.c). */
#include "check_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- interned strings ------------------------------------------------ */

void chk_pool_init(chk_pool *p)
{
    bt_map_init(&p->map);
}

void chk_pool_free(chk_pool *p)
{
    bt_map_free(&p->map);
}

uint32_t chk_intern(chk_pool *p, const char *s, size_t len)
{
    if (!s) return 0;
    return (uint32_t)bt_map_add(&p->map, s, len, NULL) + 1;
}

/* ---- memo tables ----------------------------------------------------- */

/* Entries beyond this are not kept: the spans of a run are titles, a few
 * thousand forms; this only bounds memory on hostile input. */
#define MEMO_MAX ((size_t)1 << 20)

void chk_memo_init(chk_memo *m)
{
    bt_map_init(&m->map);
}

void chk_memo_free(chk_memo *m)
{
    bt_map_free(&m->map);
}

size_t chk_memo_get(chk_memo *m, const char *key, size_t len, int *fresh)
{
    *fresh = 0;
    if (bt_map_size(&m->map) >= MEMO_MAX) {
        /* full: still answer for keys already kept */
        size_t id = bt_map_find(&m->map, key, len);
        return id == BT_MAP_NONE ? CHK_MEMO_FULL : id;
    }
    return bt_map_add(&m->map, key, len, fresh);
}

/* ---- concepts and variant findings ------------------------------------ */

chk_concept *chk_concept_at(bt_check *c, int id)
{
    if (id < 0) return NULL;
    if ((size_t)id >= c->nconcepts) {
        size_t n = c->nconcepts ? c->nconcepts : 64;
        while (n <= (size_t)id) n *= 2;
        c->concepts = bt_xrealloc(c->concepts, n * sizeof *c->concepts);
        memset(c->concepts + c->nconcepts, 0,
               (n - c->nconcepts) * sizeof *c->concepts);
        c->nconcepts = n;
    }
    return &c->concepts[id];
}

bt_check_finding *chk_add_finding(bt_check *c, bt_check_kind kind,
                                  bt_check_item *items, size_t nitems,
                                  bt_check_variant *vars, size_t nvars)
{
    if (c->nf == c->capf) {
        size_t n = c->capf ? c->capf * 2 : 16;
        c->f = bt_xrealloc(c->f, n * sizeof *c->f);
        c->f_items = bt_xrealloc(c->f_items, n * sizeof *c->f_items);
        c->f_vars = bt_xrealloc(c->f_vars, n * sizeof *c->f_vars);
        c->capf = n;
    }
    bt_check_finding *f = &c->f[c->nf];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->items = items;
    f->nitems = nitems;
    f->variants = vars;
    f->nvariants = nvars;
    c->f_items[c->nf] = items;
    c->f_vars[c->nf] = vars;
    c->nf++;
    return f;
}

/* ---- bodies inside titles --------------------------------------------- */

static void consider_body(const bt_title_match *m, size_t n, size_t off,
                          int *best, size_t *blen, size_t *bs, size_t *be)
{
    for (size_t i = 0; i < n; i++) {
        if (m[i].kind != BT_TERM_BODY || m[i].concept < 0) continue;
        size_t l = m[i].end - m[i].start;
        if (l > *blen) {
            *best = m[i].concept;
            *blen = l;
            *bs = off + m[i].start;
            *be = off + m[i].end;
        }
    }
}

int chk_inner_body(const bt_lexicon *lex, bt_lang lang, const char *text,
                   size_t s, size_t e, size_t *bs, size_t *be)
{
    bt_title_match m[16];
    int best = -1;
    size_t blen = 0;
    /* a composed title names its body: the lexicon says where */
    size_t n0 = bt_lexicon_find(lex, lang, text + s, e - s, m, 16);
    if (n0 == 1 && m[0].start == 0 && m[0].end == e - s && m[0].body >= 0) {
        *bs = s + m[0].body_start;
        *be = s + m[0].body_end;
        return m[0].body;
    }
    for (size_t p = s + 1; p < e; p++) {          /* drop words on the left */
        if (!chk_is_space(text[p - 1]) || chk_is_space(text[p])) continue;
        size_t n = bt_lexicon_find(lex, lang, text + p, e - p, m, 16);
        consider_body(m, n < 16 ? n : 16, p, &best, &blen, bs, be);
    }
    for (size_t q = e - 1; q > s; q--) {          /* drop words on the right */
        if (!chk_is_space(text[q]) || chk_is_space(text[q - 1])) continue;
        size_t n = bt_lexicon_find(lex, lang, text + s, q - s, m, 16);
        consider_body(m, n < 16 ? n : 16, s, &best, &blen, bs, be);
    }
    return best;
}
