/* bead_table.c - the translation table learned from the confident 1-1
 * beads of a pass (IBM Model 1, both directions). */
#include "bead_int.h"

#include <math.h>

/* ---- the learned translation table (IBM Model 1, both directions) ---- */

/* uint64 key -> uint32 value, for (VI token, EN token) pairs */
typedef struct u64map {
    uint64_t *keys;
    uint32_t *vals;
    size_t cap, n;
} u64map;

static void u64map_init(u64map *m, size_t hint)
{
    size_t cap = 64;
    while (cap < hint * 2) cap <<= 1;
    m->keys = bt_xmalloc(cap * sizeof *m->keys);
    memset(m->keys, 0xff, cap * sizeof *m->keys);
    m->vals = bt_xmalloc(cap * sizeof *m->vals);
    m->cap = cap;
    m->n = 0;
}

static void u64map_free(u64map *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

#define U64_EMPTY UINT64_MAX

static uint32_t *u64map_slot(u64map *m, uint64_t key, int *created)
{
    if ((m->n + 1) * 4 > m->cap * 3) {
        u64map o = *m;
        u64map_init(m, o.cap);
        for (size_t i = 0; i < o.cap; i++)
            if (o.keys[i] != U64_EMPTY) *u64map_slot(m, o.keys[i], NULL) = o.vals[i];
        u64map_free(&o);
    }
    size_t mask = m->cap - 1;
    size_t i = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 20) & mask;
    while (m->keys[i] != U64_EMPTY && m->keys[i] != key) i = (i + 1) & mask;
    if (created) *created = m->keys[i] == U64_EMPTY;
    if (m->keys[i] == U64_EMPTY) {
        m->keys[i] = key;
        m->vals[i] = 0;
        m->n++;
    }
    return &m->vals[i];
}

typedef struct tentry {
    uint32_t dv, de;     /* dense indices; 0 is NULL */
    float tev, tve, cev, cve;
} tentry;

static uint32_t dense(u32map *m, uint32_t id, uint32_t **orig, size_t *n,
                      size_t *cap)
{
    int created;
    uint32_t *slot = bead_u32map_slot(m, id, &created);
    if (created) {
        BT_GROW(*orig, *cap, *n + 1);
        (*orig)[*n] = id;
        *slot = (uint32_t)(*n)++;
    }
    return *slot;
}

typedef struct adj_sort {
    uint32_t dv;
    float key;
    size_t entry;
} adj_sort;

static int adj_sort_cmp(const void *a, const void *b)
{
    const adj_sort *x = a, *y = b;
    if (x->dv != y->dv) return x->dv < y->dv ? -1 : 1;
    return x->key > y->key ? -1 : x->key < y->key;
}

/* Is bead k of a path good enough to learn from? */
int bead_confident(ctx *c, const path *p, size_t k)
{
    if (p->kind[k] != K11) return 0;
    if (k > 0 && p->kind[k - 1] != K11) return 0;
    if (k + 1 < p->n && p->kind[k + 1] != K11) return 0;
    const sent *a = &c->vi.s[p->i[k] - 1], *b = &c->en.s[p->j[k] - 1];
    return fabs(bead_length_z(c, a->clen, b->clen)) < 1.5;
}

/* What a table is learned from: dense ids of the tokens, the entries
 * (token pairs met), and per training pair its matrix of entry indices,
 * (nv + 1) x (ne + 1), row and column 0 for NULL. */
typedef struct training {
    u32map vix, enx;
    uint32_t *vorig, *eorig; /* dense id -> token id */
    size_t nvd, ned, vcap, ecap;
    tentry *ent;
    size_t nent, entcap;
    uint32_t *mat;
    size_t nmat, matcap;
    size_t *poff, pcap, npairs;
    uint32_t *pnv, *pne;
    size_t pnvcap, pnecap;
    uint32_t *vrow, *ecol;   /* the pair being added: dense ids */
    size_t vrowcap, ecolcap;
    u64map emap;             /* (dv, de) -> entry */
} training;

/* Is bead k one to learn from, for this parity? */
static int learnable(ctx *c, const path *p, size_t k, size_t parity)
{
    return bead_confident(c, p, k) && !(parity < 2 && (p->i[k] - 1) % 2 != parity);
}

/* One pair in k of a path is taken: the pairs spread evenly over the text,
 * within the budget. 0: too few pairs to learn from. */
static size_t stride_of(ctx *c, const path *p, size_t parity)
{
    size_t npick = 0, work = 0;
    for (size_t k = 0; k < p->n; k++) {
        if (!learnable(c, p, k, parity)) continue;
        const sent *a = &c->vi.s[p->i[k] - 1], *b = &c->en.s[p->j[k] - 1];
        npick++;
        work += (size_t)(a->n[L_TOK] + a->n[L_BIG] + 1) * (b->n[L_TOK] + 1);
    }
    if (npick < (parity < 2 ? 25u : 50u)) return 0;
    return work / (parity < 2 ? TRAIN_CELLS / 2 : TRAIN_CELLS) + 1;
}

static void training_init(training *tr)
{
    memset(tr, 0, sizeof *tr);
    bead_u32map_init(&tr->vix, 4096);
    bead_u32map_init(&tr->enx, 4096);
    dense(&tr->vix, 0xffffffffu, &tr->vorig, &tr->nvd, &tr->vcap); /* NULL = 0 */
    dense(&tr->enx, 0xffffffffu, &tr->eorig, &tr->ned, &tr->ecap);
    u64map_init(&tr->emap, 1 << 16);
}

/* The matrix of the pair (a, b), nv VI tokens (words, then syllable
 * pairs) by ne EN words. */
static void add_pair(training *tr, const ctx *c, const sent *a, const sent *b, uint32_t nv,
                     uint32_t ne)
{
    BT_GROW(tr->vrow, tr->vrowcap, nv + 1);
    BT_GROW(tr->ecol, tr->ecolcap, ne + 1);
    tr->vrow[0] = 0;
    tr->ecol[0] = 0;
    for (uint32_t x = 0; x < nv; x++) {
        uint32_t id = x < a->n[L_TOK] ? list_of(c, a, L_TOK)[x].id
                                      : list_of(c, a, L_BIG)[x - a->n[L_TOK]].id;
        tr->vrow[x + 1] = dense(&tr->vix, id, &tr->vorig, &tr->nvd, &tr->vcap);
    }
    for (uint32_t y = 0; y < ne; y++)
        tr->ecol[y + 1] = dense(&tr->enx, list_of(c, b, L_TOK)[y].id, &tr->eorig, &tr->ned,
                                &tr->ecap);
    BT_GROW(tr->poff, tr->pcap, tr->npairs + 1);
    BT_GROW(tr->pnv, tr->pnvcap, tr->npairs + 1);
    BT_GROW(tr->pne, tr->pnecap, tr->npairs + 1);
    tr->poff[tr->npairs] = tr->nmat;
    tr->pnv[tr->npairs] = nv;
    tr->pne[tr->npairs] = ne;
    tr->npairs++;
    BT_GROW(tr->mat, tr->matcap, tr->nmat + (size_t)(nv + 1) * (ne + 1));
    for (uint32_t x = 0; x <= nv; x++)
        for (uint32_t y = 0; y <= ne; y++) {
            if (x == 0 && y == 0) { tr->mat[tr->nmat++] = 0; continue; }
            int created;
            uint64_t key = (uint64_t)tr->vrow[x] << 32 | tr->ecol[y];
            uint32_t *slot = u64map_slot(&tr->emap, key, &created);
            if (created) {
                BT_GROW(tr->ent, tr->entcap, tr->nent + 1);
                tentry *t = &tr->ent[tr->nent];
                t->dv = tr->vrow[x];
                t->de = tr->ecol[y];
                t->tev = t->tve = 1.0f;
                *slot = (uint32_t)tr->nent++;
            }
            tr->mat[tr->nmat++] = *slot;
        }
}

/* One EM iteration's expected counts, both directions. */
static void em_counts(training *tr)
{
    tentry *ent = tr->ent;
    for (size_t q = 0; q < tr->nent; q++) ent[q].cev = ent[q].cve = 0;
    for (size_t r = 0; r < tr->npairs; r++) {
        const uint32_t *M = tr->mat + tr->poff[r];
        uint32_t nv = tr->pnv[r], ne = tr->pne[r], stride_e = ne + 1;
        /* p(e | v): each EN word is generated by one VI token or NULL */
        for (uint32_t y = 1; y <= ne; y++) {
            double z = 0;
            for (uint32_t x = 0; x <= nv; x++) z += ent[M[x * stride_e + y]].tev;
            for (uint32_t x = 0; x <= nv; x++) {
                tentry *t = &ent[M[x * stride_e + y]];
                t->cev += (float)(t->tev / z);
            }
        }
        /* p(v | e): each VI token is generated by one EN word or NULL */
        for (uint32_t x = 1; x <= nv; x++) {
            double z = 0;
            for (uint32_t y = 0; y <= ne; y++) z += ent[M[x * stride_e + y]].tve;
            for (uint32_t y = 0; y <= ne; y++) {
                tentry *t = &ent[M[x * stride_e + y]];
                t->cve += (float)(t->tve / z);
            }
        }
    }
}

static void em(training *tr)
{
    tentry *ent = tr->ent;
    double *totv = bt_xmalloc(tr->nvd * sizeof *totv);
    double *tote = bt_xmalloc(tr->ned * sizeof *tote);
    for (int it = 0; it < EM_ITERS; it++) {
        em_counts(tr);
        memset(totv, 0, tr->nvd * sizeof *totv);
        memset(tote, 0, tr->ned * sizeof *tote);
        for (size_t q = 0; q < tr->nent; q++) {
            totv[ent[q].dv] += ent[q].cev;
            tote[ent[q].de] += ent[q].cve;
        }
        for (size_t q = 0; q < tr->nent; q++) {
            ent[q].tev = totv[ent[q].dv] > 0 ? (float)(ent[q].cev / totv[ent[q].dv]) : 0;
            ent[q].tve = tote[ent[q].de] > 0 ? (float)(ent[q].cve / tote[ent[q].de]) : 0;
        }
    }
    free(totv);
    free(tote);
}

/* Keep the strongest translations of each VI token in T. */
static void keep_strongest(const training *tr, table *T)
{
    const tentry *ent = tr->ent;
    adj_sort *as = NULL;
    size_t nas = 0, ascap = 0;
    for (size_t q = 0; q < tr->nent; q++) {
        if (!ent[q].dv || !ent[q].de) continue;
        float key = ent[q].tev > ent[q].tve ? ent[q].tev : ent[q].tve;
        if (key < ADJ_MIN) continue;
        BT_GROW(as, ascap, nas + 1);
        as[nas].dv = ent[q].dv;
        as[nas].key = key;
        as[nas].entry = q;
        nas++;
    }
    if (nas) qsort(as, nas, sizeof *as, adj_sort_cmp);
    bead_u32map_init(&T->adj_index, tr->nvd);
    T->adj = bt_xmalloc((nas + 1) * sizeof *T->adj);
    T->adj_off = bt_xmalloc((tr->nvd + 1) * sizeof *T->adj_off);
    size_t ntok = 0, nadj = 0;
    for (size_t q = 0; q < nas;) {
        size_t r = q;
        while (r < nas && as[r].dv == as[q].dv) r++;
        *bead_u32map_slot(&T->adj_index, tr->vorig[as[q].dv], NULL) = (uint32_t)ntok;
        T->adj_off[ntok++] = nadj;
        for (size_t x = q; x < r && x < q + ADJ_KEEP; x++) {
            const tentry *t = &ent[as[x].entry];
            T->adj[nadj].e = tr->eorig[t->de];
            T->adj[nadj].tev = t->tev;
            T->adj[nadj].tve = t->tve;
            nadj++;
        }
        q = r;
    }
    T->adj_off[ntok] = nadj;
    T->nadj_tokens = ntok;
    T->nadj = nadj;
    free(as);
}

/* What only collecting the pairs needs, let go before EM. */
static void collected(training *tr)
{
    u64map_free(&tr->emap);
    free(tr->vrow);
    free(tr->ecol);
    tr->vrow = tr->ecol = NULL;
}

/* The matrices, let go once EM is done. */
static void matrices_free(training *tr)
{
    free(tr->mat);
    free(tr->poff);
    free(tr->pnv);
    free(tr->pne);
    tr->mat = NULL;
    tr->poff = NULL;
    tr->pnv = tr->pne = NULL;
}

static void training_free(training *tr)
{
    free(tr->ent);
    free(tr->vorig);
    free(tr->eorig);
    bead_u32map_free(&tr->vix);
    bead_u32map_free(&tr->enx);
}

/* Learn a table from the confident 1-1 beads of p whose VI sentence has
 * index parity `parity` (0 or 1), or from all of them (2). */
void bead_learn_table(ctx *c, const path *p, size_t parity, table *T)
{
    size_t stride = stride_of(c, p, parity);
    if (!stride) return;
    training tr;
    training_init(&tr);
    size_t seen = 0;
    for (size_t k = 0; k < p->n; k++) {
        if (!learnable(c, p, k, parity)) continue;
        if (seen++ % stride) continue;
        const sent *a = &c->vi.s[p->i[k] - 1], *b = &c->en.s[p->j[k] - 1];
        uint32_t nv = a->n[L_TOK] + a->n[L_BIG], ne = b->n[L_TOK];
        if (nv && ne) add_pair(&tr, c, a, b, nv, ne);
    }
    collected(&tr);
    em(&tr);
    matrices_free(&tr);
    keep_strongest(&tr, T);
    if (c->stats) {
        c->stats->table_pairs += tr.npairs;
        c->stats->table_size += T->nadj;
    }
    training_free(&tr);
}

void bead_free_table(ctx *c)
{
    for (int t = 0; t < 2; t++) {
        table *T = &c->tab[t];
        bead_u32map_free(&T->adj_index);
        free(T->adj);
        free(T->adj_off);
        memset(T, 0, sizeof *T);
    }
}

