/* bead_evidence.c - evidence between one Vietnamese and one English
 * sentence (literal tokens, concepts, and in pass 2 the learned table),
 * and what is estimated from the texts themselves: the length ratio and
 * its variance, and the calibration of the overlap. */
#include "bead_int.h"

#include <math.h>

/* ---- evidence between one VI and one EN sentence --------------------- */

/* Matched weight of the literal tokens, numbers and concepts of a found in
 * b. */
static double match_literal(const ctx *c, const sent *a, const sent *b)
{
    double m = 0;
    const item *v = list_of(c, a, L_ANC), *t = list_of(c, b, L_TOK);
    for (uint32_t x = 0; x < a->n[L_ANC]; x++)
        if (has_id(t, b->n[L_TOK], v[x].id)) m += W_ANCHOR * v[x].w;
    v = list_of(c, a, L_NUM);
    t = list_of(c, b, L_NUM);
    for (uint32_t x = 0; x < a->n[L_NUM]; x++)
        if (has_id(t, b->n[L_NUM], v[x].id)) m += W_NUMBER * v[x].w;
    v = list_of(c, a, L_CON);
    t = list_of(c, b, L_CON);
    for (uint32_t x = 0; x < a->n[L_CON]; x++)
        if (has_id(t, b->n[L_CON], v[x].id)) m += W_CONCEPT;
    return m;
}


/* Sort a bag by English word: an LSD radix sort, byte by byte, through a
 * scratch array (qsort's indirect comparisons dominated the run time). */
static void bag_sort(bag *g)
{
    BT_GROW(g->tmp, g->tmpcap, g->n);
    bag_entry *src = g->v, *dst = g->tmp;
    for (int shift = 0; shift < 32; shift += 8) {
        size_t cnt[257] = {0};
        for (size_t k = 0; k < g->n; k++) cnt[((src[k].e >> shift) & 0xff) + 1]++;
        for (int b = 0; b < 256; b++) cnt[b + 1] += cnt[b];
        for (size_t k = 0; k < g->n; k++) dst[cnt[(src[k].e >> shift) & 0xff]++] = src[k];
        bag_entry *t = src;
        src = dst;
        dst = t;
    }
    /* four passes: the sorted data is back in g->v */
}

void bead_bag_build(const ctx *c, const sent *a, bag *g)
{
    const table *T = c->tab[1].nadj ? &c->tab[((size_t)(a - c->vi.s) & 1) ^ 1]
                                    : &c->tab[0];
    g->n = 0;
    g->nv = a->n[L_TOK] + a->n[L_BIG];
    for (uint32_t k = 0; k < g->nv; k++) {
        const item *it = k < a->n[L_TOK] ? &list_of(c, a, L_TOK)[k]
                                         : &list_of(c, a, L_BIG)[k - a->n[L_TOK]];
        const uint32_t *ix = u32map_get(&T->adj_index, it->id);
        if (!ix) continue;
        for (size_t q = T->adj_off[*ix]; q < T->adj_off[*ix + 1]; q++) {
            BT_GROW(g->v, g->cap, g->n + 1);
            g->v[g->n].e = T->adj[q].e;
            g->v[g->n].k = k;
            g->v[g->n].tev = T->adj[q].tev;
            g->v[g->n].tve = T->adj[q].tve;
            g->n++;
        }
    }
    if (g->n > 1) bag_sort(g);
}

static double cover(double t)
{
    t /= TAU;
    return t > 1 ? 1 : t;
}

/* Translation evidence: the weight of b's words covered by the bag of a
 * (*me) and of a's tokens covered by b's words (*mv). */
static void match_table(const ctx *c, const sent *a, const bag *g,
                        const sent *b, float *best, double *mv, double *me)
{
    const item *t = list_of(c, b, L_TOK);
    uint32_t nt = b->n[L_TOK];
    for (uint32_t k = 0; k < g->nv; k++) best[k] = 0;
    double e_cov = 0;
    size_t p = 0;
    for (uint32_t x = 0; x < nt && p < g->n; x++) {
        while (p < g->n && g->v[p].e < t[x].id) p++;
        float bt = 0;
        while (p < g->n && g->v[p].e == t[x].id) {
            if (g->v[p].tev > bt) bt = g->v[p].tev;
            if (g->v[p].tve > best[g->v[p].k]) best[g->v[p].k] = g->v[p].tve;
            p++;
        }
        e_cov += W_M1_EN * t[x].w * cover(bt);
    }
    double v_cov = 0;
    for (uint32_t k = 0; k < g->nv; k++) {
        if (best[k] == 0) continue;
        const item *it = k < a->n[L_TOK] ? &list_of(c, a, L_TOK)[k]
                                         : &list_of(c, a, L_BIG)[k - a->n[L_TOK]];
        v_cov += W_M1_VI * it->w * cover(best[k]);
    }
    *mv += v_cov;
    *me += e_cov;
}


ev bead_pair_evidence(const ctx *c, const sent *a, const bag *g,
                        const sent *b, float *best)
{
    double mv = match_literal(c, a, b), me = match_literal(c, b, a);
    if (c->pass == 2 && g) match_table(c, a, g, b, best, &mv, &me);
    ev r = {(float)mv, (float)me};
    return r;
}

double bead_total_of(const ctx *c, const sent *s)
{
    return c->pass == 2 ? s->t1 + s->t2 : s->t1;
}

/* ---- estimates from the data ----------------------------------------- */

static int double_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

void bead_estimate_ratio(ctx *c)
{
    double sv = 0, se = 0;
    for (size_t k = 0; k < c->vi.n; k++) sv += c->vi.s[k].clen;
    for (size_t k = 0; k < c->en.n; k++) se += c->en.s[k].clen;
    c->ratio = sv > 0 && se > 0 ? se / sv : 1.0;
    if (c->ratio < 0.3) c->ratio = 0.3;
    if (c->ratio > 3) c->ratio = 3;
    c->var = 6.8 * c->ratio;
}

/* Re-estimate the variance of the length difference from the 1-1 beads of
 * a path (trimmed, so that a few wrong beads do not widen it). */
void bead_estimate_var(ctx *c, const path *p)
{
    size_t n = 0, cap = 0;
    double *v = NULL;
    for (size_t k = 0; k < p->n; k++) {
        if (p->kind[k] != K11) continue;
        const sent *a = &c->vi.s[p->i[k] - 1], *b = &c->en.s[p->j[k] - 1];
        double mean = (a->clen + b->clen / c->ratio) / 2;
        double d = b->clen - c->ratio * a->clen;
        BT_GROW(v, cap, n + 1);
        v[n++] = d * d / (mean > 1 ? mean : 1);
    }
    if (n >= 20) {
        /* d^2/l is the variance times a chi-square with one degree of
         * freedom, whose median is 0.455: the median resists wrong beads */
        qsort(v, n, sizeof *v, double_cmp);
        double var = v[n / 2] / 0.455;
        if (var < 2) var = 2;
        if (var > 50) var = 50;
        c->var = var;
    }
    free(v);
}

/* ---- calibration ----------------------------------------------------- */

/* A small deterministic generator, so that runs repeat exactly. */
static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Overlap of the single pair (a, b) under the current pass; *total gets
 * its evidence weight. */
static double pair_overlap(ctx *c, size_t a, size_t b, bag *g, float **best,
                           size_t *bestcap, double *total)
{
    const bag *gp = NULL;
    if (c->pass == 2) {
        bead_bag_build(c, &c->vi.s[a], g);
        BT_GROW(*best, *bestcap, g->nv + 1);
        gp = g;
    }
    ev e[2][2];
    e[0][0] = bead_pair_evidence(c, &c->vi.s[a], gp, &c->en.s[b], *best);
    return bead_overlap(c, &c->vi.s[a], 1, &c->en.s[b], 1, e, total);
}

/* Chance level of the overlap: pairs that cannot be translations of each
 * other, far from the guide (the diagonal, or the path of pass 1). */
void bead_calibrate_base(ctx *c, const path *guide)
{
    size_t n = c->vi.n, m = c->en.n;
    double sm = 0, st = 0;
    bag g = {0};
    float *best = NULL;
    size_t bestcap = 0;
    uint64_t rs = 0x9e3779b97f4a7c15ULL;
    size_t tries = 0, got = 0;
    size_t radius = m / 4 < 6 ? (m / 4 < 2 ? 2 : m / 4) : 6;
    while (n > 0 && m > 2 * radius + 1 && got < 2000 && tries < 20000) {
        tries++;
        size_t a = (size_t)(rng_next(&rs) % n);
        size_t expect;
        if (guide && guide->n) {
            /* the j of the first bead end at or after row a+1 */
            size_t lo = 0, hi = guide->n - 1;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (guide->i[mid] < a + 1) lo = mid + 1;
                else hi = mid;
            }
            expect = guide->j[lo];
        } else {
            expect = (size_t)((double)a * (double)m / (double)n);
        }
        size_t b = (size_t)(rng_next(&rs) % m);
        if (b + radius > expect && b < expect + radius) continue;
        double t, sim = pair_overlap(c, a, b, &g, &best, &bestcap, &t);
        sm += sim * t;
        st += t;
        got++;
    }
    c->base = st > 0 ? sm / st : 0.05;
    if (c->base > 0.6) c->base = 0.6;
    c->chance = c->base * CHANCE_MULT;
    free(g.v);
    free(g.tmp);
    free(best);
}

/* Typical overlap of a translation before any alignment: for each VI
 * sentence the best overlap near the diagonal, and the median of those. */
void bead_calibrate_good_local(ctx *c)
{
    size_t n = c->vi.n, m = c->en.n, cnt = 0, cap = 0;
    double *v = NULL;
    size_t step = n / 3000 + 1;
    for (size_t a = 0; a < n; a += step) {
        size_t e = n ? (size_t)((double)a * (double)m / (double)n) : 0;
        size_t lo = e > 4 ? e - 4 : 0, hi = e + 5 < m ? e + 5 : m;
        double bestsim = -1;
        for (size_t b = lo; b < hi; b++) {
            ev ee[2][2];
            ee[0][0] = bead_pair_evidence(c, &c->vi.s[a], NULL, &c->en.s[b], NULL);
            double t, sim = bead_overlap(c, &c->vi.s[a], 1, &c->en.s[b], 1, ee, &t);
            if (t > 0 && sim > bestsim) bestsim = sim;
        }
        if (bestsim < 0) continue;
        BT_GROW(v, cap, cnt + 1);
        v[cnt++] = bestsim;
    }
    c->good = 0.8;
    if (cnt >= 3) {
        qsort(v, cnt, sizeof *v, double_cmp);
        c->good = v[cnt / 2];
    }
    if (c->good < c->base + 0.15) c->good = c->base + 0.15;
    if (c->good > 1) c->good = 1;
    free(v);
}

/* Typical overlap of a translation: the 1-1 beads of a path. */
void bead_calibrate_good(ctx *c, const path *p)
{
    double sm = 0, st = 0;
    bag g = {0};
    float *best = NULL;
    size_t bestcap = 0;
    size_t step = p->n / 3000 + 1;
    for (size_t k = 0; k < p->n; k += step) {
        if (p->kind[k] != K11) continue;
        double t, sim = pair_overlap(c, p->i[k] - 1, p->j[k] - 1, &g, &best,
                                     &bestcap, &t);
        sm += sim * t;
        st += t;
    }
    c->good = st > 0 ? sm / st : 1.0;
    if (c->good < c->base + 0.15) c->good = c->base + 0.15;
    if (c->good > 1) c->good = 1;
    free(g.v);
    free(g.tmp);
    free(best);
}

