/* check.c - the bt_check accumulator: interned strings, findings, order.
 * See check.h. */
#include "check_int.h"

#include <stdlib.h>
#include <string.h>

const char *bt_check_kind_name(bt_check_kind k)
{
    switch (k) {
    case BT_CHECK_TITLE_VARIANT: return "title-variant";
    case BT_CHECK_ENGLISH_VARIANT: return "english-variant";
    case BT_CHECK_CAPTION_MISMATCH: return "caption-title-mismatch";
    case BT_CHECK_PERSON_CONFLICT: return "person-title-conflict";
    default: return "unknown";
    }
}

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

/* ---- the accumulator ------------------------------------------------- */

/* Records of per-article findings held in memory before a run is written:
 * a few megabytes make runs long enough that a walk merges a handful. */
#define SPILL_BUDGET ((size_t)4 << 20)

bt_check *bt_check_new(const bt_lexicon *lex, const bt_check_opts *opts)
{
    bt_check *c = bt_xcalloc(1, sizeof *c);
    c->lex = lex;
    c->max_places = opts && opts->max_places ? opts->max_places : 1000;
    chk_pool_init(&c->pool);
    chk_memo_init(&c->inner);
    chk_memo_init(&c->form);
    bt_buf_init(&c->form_text);
    chk_spill_init(&c->spill, opts && opts->spill_budget ? opts->spill_budget
                                                         : SPILL_BUDGET);
    return c;
}

void bt_check_free(bt_check *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->nconcepts; i++) {
        chk_concept *k = &c->concepts[i];
        for (size_t j = 0; j < k->n; j++) free(k->v[j].places);
        free(k->v);
    }
    free(c->concepts);
    for (size_t i = 0; i < c->nf; i++) {
        free(c->f_items[i]);
        free(c->f_vars[i]);
    }
    free(c->f);
    free(c->f_items);
    free(c->f_vars);
    for (size_t i = 0; i < c->nblocks; i++) free(c->all_blocks[i]);
    free(c->all_blocks);
    free(c->all);
    chk_spill_free(&c->spill);
    chk_pool_free(&c->pool);
    chk_memo_free(&c->inner);
    chk_memo_free(&c->form);
    free(c->inner_v);
    free(c->form_v);
    bt_buf_free(&c->form_text);
    free(c->m);
    free(c);
}

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

int bt_check_add(bt_check *c, const bt_doc *doc, const bt_align_result *res)
{
    if (!c || !doc || c->done) return BT_ERR_USAGE;
    static const bt_align_result none;
    if (!res) res = &none;
    const char *path = doc->path ? doc->path : "-";
    c->files++;
    chk_scan_doc(c, doc, res, path);
    chk_people_doc(c, doc, res, path);
    return BT_OK;
}

size_t bt_check_files(const bt_check *c) { return c ? c->files : 0; }

/* A finding with the arrays it owns, so that sorting keeps them together;
 * seq, its place among the findings made, breaks ties. */
typedef struct owned_finding {
    bt_check_finding f;
    bt_check_item *items;
    bt_check_variant *vars;
    size_t seq;
} owned_finding;

/* Order: kind, then subject, then first place, then the order made in (as
 * glibc's qsort, a stable merge sort, used to leave ties; the per-article
 * findings in check_spill.c are ordered alike). */
static int cmp_finding(const void *pa, const void *pb)
{
    const owned_finding *oa = pa, *ob = pb;
    const bt_check_finding *a = &oa->f, *b = &ob->f;
    if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
    int r = chk_cmp_str(a->subject, b->subject);
    if (r) return r;
    if (a->nitems && b->nitems) {
        r = chk_cmp_str(a->items[0].file, b->items[0].file);
        if (r) return r;
        if (a->items[0].line != b->items[0].line)
            return a->items[0].line < b->items[0].line ? -1 : 1;
    }
    return oa->seq < ob->seq ? -1 : oa->seq > ob->seq;
}

static void finish(bt_check *c)
{
    if (c->done) return;
    c->done = 1;
    chk_variant_findings(c);
    size_t n = c->nf;
    if (n > 1) {
        owned_finding *o = bt_xmalloc(n * sizeof *o);
        for (size_t i = 0; i < n; i++) {
            o[i].f = c->f[i];
            o[i].items = c->f_items[i];
            o[i].vars = c->f_vars[i];
            o[i].seq = i;
        }
        qsort(o, n, sizeof *o, cmp_finding);
        for (size_t i = 0; i < n; i++) {
            c->f[i] = o[i].f;
            c->f_items[i] = o[i].items;
            c->f_vars[i] = o[i].vars;
        }
        free(o);
    }
    /* the per-article kinds were counted as they were added */
    for (size_t i = 0; i < n; i++)
        if ((unsigned)c->f[i].kind < BT_CHECK_NKINDS)
            c->count_by_kind[c->f[i].kind]++;
    chk_spill_finish(c);
}

size_t bt_check_findings(bt_check *c, const bt_check_finding **out)
{
    if (!c) {
        if (out) *out = NULL;
        return 0;
    }
    finish(c);
    if (!out) {
        size_t n = 0;
        for (int k = 0; k < BT_CHECK_NKINDS; k++) n += c->count_by_kind[k];
        return n;
    }
    if (!c->materialized) {
        c->materialized = 1;
        c->all = bt_xmalloc((c->nf + c->spill.seq + 1) * sizeof *c->all);
        if (c->nf) memcpy(c->all, c->f, c->nf * sizeof *c->all);
        c->nall = c->nf;
        chk_spill_materialize(c);
    }
    *out = c->all;
    return c->nall;
}

size_t bt_check_count(bt_check *c, bt_check_kind kind)
{
    if (!c || (unsigned)kind >= BT_CHECK_NKINDS) return 0;
    finish(c);
    return c->count_by_kind[kind];
}
