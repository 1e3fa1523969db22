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
    memset(p, 0, sizeof *p);
    BT_GROW(p->str, p->cap, 1);
    p->str[0] = NULL;
    p->n = 1;
}

void chk_pool_free(chk_pool *p)
{
    for (size_t i = 1; i < p->n; i++) free(p->str[i]);
    free(p->str);
    free(p->slots);
    memset(p, 0, sizeof *p);
}

/* Tables of interned strings and memos: their order is no output's. */
static uint64_t hash_bytes(const char *s, size_t len)
{
    return bt_hash_bytes(0, s, len);
}

static void pool_rehash(chk_pool *p)
{
    size_t ns = p->nslots ? p->nslots * 2 : 256;
    uint32_t *slots = bt_xcalloc(ns, sizeof *slots);
    for (size_t id = 1; id < p->n; id++) {
        size_t i = hash_bytes(p->str[id], strlen(p->str[id])) & (ns - 1);
        while (slots[i]) i = (i + 1) & (ns - 1);
        slots[i] = (uint32_t)id;
    }
    free(p->slots);
    p->slots = slots;
    p->nslots = ns;
}

uint32_t chk_intern(chk_pool *p, const char *s, size_t len)
{
    if (!s) return 0;
    if ((p->n + 1) * 2 > p->nslots) pool_rehash(p);
    size_t i = hash_bytes(s, len) & (p->nslots - 1);
    while (p->slots[i]) {
        const char *t = p->str[p->slots[i]];
        if (strlen(t) == len && !memcmp(t, s, len)) return p->slots[i];
        i = (i + 1) & (p->nslots - 1);
    }
    BT_GROW(p->str, p->cap, p->n + 1);
    p->str[p->n] = bt_xstrndup(s, len);
    p->slots[i] = (uint32_t)p->n;
    return (uint32_t)p->n++;
}

/* ---- memo tables ----------------------------------------------------- */

/* Entries beyond this are not kept: the spans of a run are titles, a few
 * thousand forms; this only bounds memory on hostile input. */
#define MEMO_MAX ((size_t)1 << 20)

void chk_memo_init(chk_memo *m)
{
    memset(m, 0, sizeof *m);
    bt_buf_init(&m->keys);
}

void chk_memo_free(chk_memo *m)
{
    bt_buf_free(&m->keys);
    free(m->off);
    free(m->hash);
    free(m->slots);
    memset(m, 0, sizeof *m);
}

static void memo_rehash(chk_memo *m)
{
    size_t ns = m->nslots ? m->nslots * 2 : 256;
    uint32_t *slots = bt_xcalloc(ns, sizeof *slots);
    for (size_t id = 0; id < m->n; id++) {
        size_t i = m->hash[id] & (ns - 1);
        while (slots[i]) i = (i + 1) & (ns - 1);
        slots[i] = (uint32_t)id + 1;
    }
    free(m->slots);
    m->slots = slots;
    m->nslots = ns;
}

size_t chk_memo_get(chk_memo *m, const char *key, size_t len, int *fresh)
{
    *fresh = 0;
    if ((m->n + 1) * 2 > m->nslots) {
        if (m->n >= MEMO_MAX) {
            /* full: still answer for keys already kept */
            uint64_t h = hash_bytes(key, len);
            for (size_t i = h & (m->nslots - 1); m->slots[i];
                 i = (i + 1) & (m->nslots - 1)) {
                size_t id = m->slots[i] - 1;
                if (m->hash[id] == h && m->off[id + 1] - m->off[id] == len &&
                    !memcmp(m->keys.ptr + m->off[id], key, len))
                    return id;
            }
            return CHK_MEMO_FULL;
        }
        memo_rehash(m);
    }
    uint64_t h = hash_bytes(key, len);
    size_t i = h & (m->nslots - 1);
    while (m->slots[i]) {
        size_t id = m->slots[i] - 1;
        if (m->hash[id] == h && m->off[id + 1] - m->off[id] == len &&
            !memcmp(m->keys.ptr + m->off[id], key, len))
            return id;
        i = (i + 1) & (m->nslots - 1);
    }
    size_t cap = m->cap;
    BT_GROW(m->off, m->cap, m->n + 2);
    if (m->cap != cap) m->hash = bt_xrealloc(m->hash, m->cap * sizeof *m->hash);
    if (!m->n) m->off[0] = 0;
    bt_buf_add(&m->keys, key, len);
    m->off[m->n + 1] = m->keys.len;
    m->hash[m->n] = h;
    m->slots[i] = (uint32_t)m->n + 1;
    *fresh = 1;
    return m->n++;
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
