/* bead_dp.c - the cost of a bead and the banded dynamic programming over
 * beads, with the anchors that guide it. */
#include "bead_int.h"

#include <math.h>

const int bead_kdi[NKINDS] = {1, 1, 0, 2, 1, 2};
const int bead_kdj[NKINDS] = {1, 0, 1, 1, 2, 2};
/* Gale and Church's priors, with merges and 2-2 rarer: lexical evidence
 * cannot tell a merge from the two beads it replaces, length can only
 * favour it */
const double bead_kprior[NKINDS] = {0.89, 0.02, 0.02, 0.02, 0.02,
                                      0.002};

/* ---- bead costs ------------------------------------------------------ */

/* -log of the two-sided tail probability of the length difference. */
double bead_length_z(const ctx *c, double lv, double le)
{
    double mean = (lv + le / c->ratio) / 2;
    return (le - c->ratio * lv) / sqrt(c->var * mean + LEN_VAR0);
}

/* A Gaussian with a wider component mixed in: translations that add or drop
 * a clause are rarer than Gale and Church's normal law says, but not that
 * rare. */
double bead_length_prob(double z)
{
    z = fabs(z);
    return 0.9 * erfc(z / sqrt(2.0)) + 0.1 * erfc(z / (3 * sqrt(2.0)));
}

/* -log length_prob(z) for z = 0, 1/LEN_STEPS, ... (erfc and log are the
 * hottest calls of the DP otherwise); one table per run, no shared state */
void bead_len_table_init(ctx *c)
{
    for (int k = 0; k <= LEN_ZMAX * LEN_STEPS + 1; k++) {
        double p = bead_length_prob((double)k / LEN_STEPS);
        if (p < 1e-12) p = 1e-12;
        c->len_table[k] = -log(p);
    }
}

static double length_cost(const ctx *c, double lv, double le)
{
    double z = fabs(bead_length_z(c, lv, le)) * LEN_STEPS;
    if (z >= LEN_ZMAX * LEN_STEPS) return c->len_table[LEN_ZMAX * LEN_STEPS];
    int k = (int)z;
    double f = z - k;
    return c->len_table[k] * (1 - f) + c->len_table[k + 1] * f;
}

/* The overlap of a bead: matched over total weight, and the total. A
 * sentence facing two sentences counts what both match, less what a second
 * unrelated sentence would match by chance: otherwise shared function words
 * make every merge look better than the two 1-1 beads it replaces. */
double bead_overlap(const ctx *c, const sent *I, int ni, const sent *J,
                           int nj, const ev e[2][2], double *total)
{
    double m = 0, t = 0;
    for (int x = 0; x < ni; x++) {
        double tv = bead_total_of(c, &I[x]), s = 0, mx = 0;
        for (int y = 0; y < nj; y++) {
            s += e[x][y].mv;
            if (e[x][y].mv > mx) mx = e[x][y].mv;
        }
        if (nj == 2) s = s - c->chance * tv > mx ? s - c->chance * tv : mx;
        m += s < tv ? s : tv;
        t += tv;
    }
    for (int y = 0; y < nj; y++) {
        double te = bead_total_of(c, &J[y]), s = 0, mx = 0;
        for (int x = 0; x < ni; x++) {
            s += e[x][y].me;
            if (e[x][y].me > mx) mx = e[x][y].me;
        }
        if (ni == 2) s = s - c->chance * te > mx ? s - c->chance * te : mx;
        m += s < te ? s : te;
        t += te;
    }
    *total = t;
    return t > 0 ? m / t : 0;
}

/* How far an overlap lies above what unrelated sentences reach (0) towards
 * a typical translation (1); negative below. The zero sits well above the
 * mean chance overlap, as unrelated sentences of one text share words. */
double bead_calibrate(const ctx *c, double sim)
{
    double zero = c->base + CAL_ZERO * (c->good - c->base);
    double a = (sim - zero) / (c->good - zero);
    if (a < -1.5) a = -1.5;
    if (a > 1.5) a = 1.5;
    return a;
}

/* Cost of the bead I (ni VI sentences) x J (nj EN sentences); e holds the
 * pair evidence e[x][y] for I[x], J[y]. */
static double bead_cost(const ctx *c, int kind, const sent *I, const sent *J,
                        const ev e[2][2])
{
    int ni = bead_kdi[kind], nj = bead_kdj[kind];
    double cost = -log(bead_kprior[kind]);
    if (ni == 2)
        cost += I[0].para != I[1].para ? P_PARA
              : I[0].lineidx != I[1].lineidx ? P_LINE : 0;
    if (nj == 2)
        cost += J[0].para != J[1].para ? P_PARA
              : J[0].lineidx != J[1].lineidx ? P_LINE : 0;
    if (!ni || !nj) return cost;
    if (I[0].para_start && J[0].para_start) cost -= B_START;
    double lv = 0, le = 0;
    for (int x = 0; x < ni; x++) lv += I[x].clen;
    for (int y = 0; y < nj; y++) le += J[y].clen;
    cost += length_cost(c, lv + ni - 1, le + nj - 1);
    double total, sim = bead_overlap(c, I, ni, J, nj, e, &total);
    if (total > 0) {
        /* evidence per sentence, so that merging beads earns nothing */
        double per = total * 2 / (ni + nj);
        double conf = per / (per + c->t0);
        cost -= LEX_WEIGHT * conf * bead_calibrate(c, sim) * (ni + nj) / 2.0;
    }
    return cost;
}

/* ---- the banded DP --------------------------------------------------- */


void bead_path_push(path *p, size_t i, size_t j, int kind)
{
    if (p->n + 1 > p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->i = bt_xrealloc(p->i, p->cap * sizeof *p->i);
        p->j = bt_xrealloc(p->j, p->cap * sizeof *p->j);
        p->kind = bt_xrealloc(p->kind, p->cap);
    }
    p->i[p->n] = i;
    p->j[p->n] = j;
    p->kind[p->n] = (unsigned char)kind;
    p->n++;
}

void bead_path_free(path *p)
{
    free(p->i);
    free(p->j);
    free(p->kind);
    memset(p, 0, sizeof *p);
}

static void evrow_fill(const ctx *c, evrow *r, const sent *vi, size_t a,
                       const sent *en, size_t lo, size_t hi, bag *g,
                       float **best, size_t *bestcap)
{
    r->a = a;
    r->lo = lo;
    r->hi = hi;
    r->ok = 1;
    if (hi < lo) return;
    BT_GROW(r->v, r->cap, hi - lo + 1);
    const bag *gp = NULL;
    if (c->pass == 2) {
        bead_bag_build(c, &vi[a], g);
        BT_GROW(*best, *bestcap, g->nv + 1);
        gp = g;
    }
    for (size_t b = lo; b <= hi; b++)
        r->v[b - lo] = bead_pair_evidence(c, &vi[a], gp, &en[b], *best);
}

static ev evrow_get(const evrow *r, size_t b)
{
    ev zero = {0, 0};
    if (!r->ok || b < r->lo || b > r->hi) return zero;
    return r->v[b - r->lo];
}

/* The band of each row, [lo[i], hi[i]], and where each row's cells start
 * in the back pointers (rowoff[0..n+1]); returns the number of cells. */
static size_t band_make(ctx *c, size_t n, size_t m, const size_t *centre, const size_t *wr,
                        size_t *lo, size_t *hi, size_t *rowoff)
{
    /* the band of row i spans the centres of rows i-1..i+1, plus w */
    for (size_t i = 0; i <= n; i++) {
        size_t a = centre[i], b = centre[i], w = wr[i];
        if (i > 0 && centre[i - 1] < a) a = centre[i - 1];
        if (i < n && centre[i + 1] > b) b = centre[i + 1];
        lo[i] = a > w ? a - w : 0;
        hi[i] = b + w < m ? b + w : m;
    }
    /* monotone, and the corners inside */
    lo[0] = 0;
    hi[n] = m;
    for (size_t i = 1; i <= n; i++)
        if (hi[i] < hi[i - 1]) hi[i] = hi[i - 1];
    for (size_t i = n; i-- > 0;)
        if (lo[i] > lo[i + 1]) lo[i] = lo[i + 1];
    rowoff[0] = 0;
    for (size_t i = 0; i <= n; i++) rowoff[i + 1] = rowoff[i] + hi[i] - lo[i] + 1;
    size_t cells = rowoff[n + 1];
    if (c->stats) {
        c->stats->cells += cells;
        if (cells > c->stats->max_cells) c->stats->max_cells = cells;
        c->stats->dp_runs++;
    }
    return cells;
}

/* Trace the path back from (n, m), appending its beads to out; see dp_band
 * for what is returned and marked in edge. */
static int trace_back(const unsigned char *back, const size_t *rowoff, const size_t *lo,
                      const size_t *hi, size_t n, size_t m, unsigned char *edge, path *out)
{
    path rev = {0};
    size_t i = n, j = m;
    int touched = 0, run = 0;
    while (i > 0 || j > 0) {
        int k = back[rowoff[i] + (j - lo[i])];
        if (k >= NKINDS) break; /* unreachable: cannot happen with 0-1/1-0 */
        /* along an inner edge for a stretch: the band cut the path off */
        if ((j < lo[i] + 2 && lo[i] > 0) || (j + 2 > hi[i] && hi[i] < m)) {
            if (++run >= 3) {
                touched++;
                edge[i] = 1;
            }
        } else {
            run = 0;
        }
        bead_path_push(&rev, i, j, k);
        i -= (size_t)bead_kdi[k];
        j -= (size_t)bead_kdj[k];
    }
    for (size_t k = rev.n; k-- > 0;) bead_path_push(out, rev.i[k], rev.j[k], rev.kind[k]);
    bead_path_free(&rev);
    return touched;
}

/* Align vi[0..n) with en[0..m) inside the band given by centre[0..n] (the
 * expected j of each row) and half-widths wr[0..n]. Appends the beads to
 * out (with ends relative to vi/en). Returns how many beads of the path ran
 * along an inner edge of the band (within two cells, three beads or more in
 * a row), and marks their rows in edge[0..n]. */
static int dp_band(ctx *c, const sent *vi, size_t n, const sent *en, size_t m,
                   const size_t *centre, const size_t *wr,
                   unsigned char *edge, path *out)
{
    size_t *lo = bt_xmalloc((n + 1) * sizeof *lo);
    size_t *hi = bt_xmalloc((n + 1) * sizeof *hi);
    size_t *rowoff = bt_xmalloc((n + 2) * sizeof *rowoff);
    size_t cells = band_make(c, n, m, centre, wr, lo, hi, rowoff);
    unsigned char *back = bt_xmalloc(cells);
    size_t maxw = 0;
    for (size_t i = 0; i <= n; i++)
        if (hi[i] - lo[i] + 1 > maxw) maxw = hi[i] - lo[i] + 1;
    double *rows[3];
    for (int k = 0; k < 3; k++) rows[k] = bt_xmalloc(maxw * sizeof(double));

    evrow er[2] = {{0}, {0}};
    bag g = {0};
    float *best = NULL;
    size_t bestcap = 0;

    for (size_t i = 0; i <= n; i++) {
        double *cur = rows[i % 3];
        double *p1 = i >= 1 ? rows[(i + 2) % 3] : NULL;
        double *p2 = i >= 2 ? rows[(i + 1) % 3] : NULL;
        /* evidence of VI sentence i-1 against the EN sentences rows i and
         * i+1 will ask for */
        if (i >= 1) {
            evrow *r = &er[(i - 1) % 2];
            size_t elo = lo[i] >= 2 ? lo[i] - 2 : 0;
            size_t ehi = i + 1 <= n ? hi[i + 1] : hi[i];
            if (ehi > m) ehi = m;
            if (ehi == 0) { r->ok = 1; r->lo = 1; r->hi = 0; r->a = i - 1; }
            else evrow_fill(c, r, vi, i - 1, en, elo, ehi - 1, &g, &best,
                            &bestcap);
        }
        for (size_t j = lo[i]; j <= hi[i]; j++) {
            double bestc = HUGE_VAL;
            int bk = 255;
            if (i == 0 && j == 0) { bestc = 0; bk = 254; }
            for (int k = 0; k < NKINDS; k++) {
                size_t di = (size_t)bead_kdi[k], dj = (size_t)bead_kdj[k];
                if (i < di || j < dj) continue;
                size_t pi = i - di, pj = j - dj;
                if (pj < lo[pi] || pj > hi[pi]) continue;
                double *prow = di == 0 ? cur : di == 1 ? p1 : p2;
                double prev = prow[pj - lo[pi]];
                if (prev == HUGE_VAL) continue;
                ev e[2][2];
                for (size_t x = 0; x < di; x++)
                    for (size_t y = 0; y < dj; y++)
                        e[x][y] = evrow_get(&er[(pi + x) % 2], pj + y);
                double cst = prev + bead_cost(c, k, vi + pi, en + pj, e);
                if (cst < bestc) { bestc = cst; bk = k; }
            }
            cur[j - lo[i]] = bestc;
            back[rowoff[i] + (j - lo[i])] = (unsigned char)bk;
        }
    }

    int touched = trace_back(back, rowoff, lo, hi, n, m, edge, out);

    for (int k = 0; k < 3; k++) free(rows[k]);
    for (int k = 0; k < 2; k++) free(er[k].v);
    free(g.v);
    free(g.tmp);
    free(best);
    free(back);
    free(lo);
    free(hi);
    free(rowoff);
    return touched;
}

/* Centre of each row from a path over the same rectangle (ends relative). */
static void centre_from_path(const path *p, size_t n, size_t *centre)
{
    size_t k = 0, cj = 0;
    for (size_t i = 0; i <= n; i++) {
        while (k < p->n && p->i[k] <= i) cj = p->j[k++];
        centre[i] = cj; /* rows inside a 2-x bead get the j before it */
    }
}

/* The expected j of each row of a rectangle: between consecutive anchor
 * pairs inside it (and its corners), the EN position whose cumulative
 * length matches the VI one, so that a long sentence missing on one side
 * already moves the band. */
static void centre_from_anchors(const ctx *c, size_t i0, size_t n, size_t j0,
                                size_t m, size_t *centre)
{
    const double *LV = c->cumv + i0, *LE = c->cume + j0;
    size_t pi = 0, pj = 0, k = 0;
    while (k < c->nanc && c->anc_i[k] < i0) k++;
    for (;;) {
        /* the next anchor strictly after (pi, pj), inside the rectangle */
        while (k < c->nanc && c->anc_i[k] < i0 + n &&
               (c->anc_i[k] - i0 <= pi || c->anc_j[k] < j0 ||
                c->anc_j[k] - j0 <= pj))
            k++;
        size_t ni = n, nj = m;
        if (k < c->nanc && c->anc_i[k] < i0 + n && c->anc_j[k] < j0 + m) {
            ni = c->anc_i[k] - i0;
            nj = c->anc_j[k] - j0;
        }
        double lv0 = LV[pi], lv1 = LV[ni], le0 = LE[pj], le1 = LE[nj];
        size_t q = pj;
        for (size_t i = pi; i <= ni; i++) {
            double f = lv1 > lv0 ? (LV[i] - lv0) / (lv1 - lv0)
                                 : ni > pi ? (double)(i - pi) / (double)(ni - pi) : 1;
            double target = le0 + f * (le1 - le0);
            while (q < nj && (LE[q] + LE[q + 1]) / 2 < target) q++;
            centre[i] = q;
        }
        if (ni == n) break;
        pi = ni;
        pj = nj;
        k++;
    }
    for (size_t i = 1; i <= n; i++)
        if (centre[i] < centre[i - 1]) centre[i] = centre[i - 1];
}

/* Keep the longest chain of points (a << 32 | b) increasing in a and b as
 * the anchors of c (patience sorting; the points of one row are taken in
 * decreasing b, so that a row gives at most one). */
static void chain_set(ctx *c, const uint64_t *in, size_t np)
{
    uint64_t *pts = bt_xmalloc((np + 1) * sizeof *pts);
    for (size_t k = 0; k < np; k++) {
        uint64_t a = in[k] >> 32, b = in[k] & 0xffffffffu;
        pts[k] = a << 32 | (0xffffffffu - b);
    }
    if (np > 1) qsort(pts, np, sizeof *pts, bead_u64_cmp);
    size_t *tail = bt_xmalloc((np + 1) * sizeof *tail);  /* index of point */
    size_t *prev = bt_xmalloc((np + 1) * sizeof *prev);
    size_t len = 0;
    for (size_t k = 0; k < np; k++) {
        uint64_t b = 0xffffffffu - (pts[k] & 0xffffffffu);
        size_t lo = 0, hi = len;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            uint64_t bm = 0xffffffffu - (pts[tail[mid]] & 0xffffffffu);
            if (bm < b) lo = mid + 1;
            else hi = mid;
        }
        prev[k] = lo ? tail[lo - 1] : (size_t)-1;
        tail[lo] = k;
        if (lo == len) len++;
    }
    free(c->anc_i);
    free(c->anc_j);
    c->anc_i = bt_xmalloc((len + 1) * sizeof *c->anc_i);
    c->anc_j = bt_xmalloc((len + 1) * sizeof *c->anc_j);
    c->nanc = len;
    for (size_t k = len ? tail[len - 1] : (size_t)-1, q = len; q-- > 0; k = prev[k]) {
        c->anc_i[q] = (size_t)(pts[k] >> 32);
        c->anc_j[q] = (size_t)(0xffffffffu - (pts[k] & 0xffffffffu));
    }
    free(tail);
    free(prev);
    free(pts);
}

/* Anchor pairs: a token (a name, a literal, a number) found in exactly one
 * sentence of each side pairs those two sentences; one found in k
 * sentences of each side (k <= ANCHOR_MAXK) pairs them in order. The
 * longest chain of such pairs increasing on both sides guides the first
 * band. */
#define ANCHOR_MAXK 4
#define LOCAL_K     40
typedef struct occ {
    uint32_t n[2];
    uint32_t pos[2][ANCHOR_MAXK];
} occ;

static void occ_add(u32map *ix, occ **v, size_t *nv, size_t *cap, uint32_t id,
                    int sd, uint32_t pos)
{
    int created;
    uint32_t *slot = bead_u32map_slot(ix, id, &created);
    if (created) {
        BT_GROW(*v, *cap, *nv + 1);
        memset(&(*v)[*nv], 0, sizeof **v);
        *slot = (uint32_t)(*nv)++;
    }
    occ *o = &(*v)[*slot];
    if (o->n[sd] < ANCHOR_MAXK) o->pos[sd][o->n[sd]] = pos;
    o->n[sd]++;
}

/* The local anchors (see bead_find_anchors) of the sorted occurrences vp
 * (VI) and ep (EN), appended to the points pts[0..np), which hold the
 * text-wide ones. */
static void local_anchors(ctx *c, const uint64_t *vp, size_t nvp, const uint64_t *ep,
                          size_t nep, uint64_t **pts, size_t *np, size_t *cap)
{
    /* expected positions: the band centre the text-wide anchors give */
    chain_set(c, *pts, *np);
    size_t *centre = bt_xmalloc((c->vi.n + 1) * sizeof *centre);
    centre_from_anchors(c, 0, c->vi.n, 0, c->en.n, centre);
    for (size_t g = 0, e0 = 0; g < nvp;) {
        uint64_t id = vp[g] >> 32;
        size_t h = g;
        while (h < nvp && vp[h] >> 32 == id) h++;
        while (e0 < nep && ep[e0] >> 32 < id) e0++;
        size_t e1 = e0;
        while (e1 < nep && ep[e1] >> 32 == id) e1++;
        for (size_t x = g; x < h && e1 > e0; x++) {
            size_t a = (size_t)(vp[x] & 0xffffffffu);
            /* alone among the VI occurrences near a? */
            if ((x > g && a - (size_t)(vp[x - 1] & 0xffffffffu) <= 4 * LOCAL_K) ||
                (x + 1 < h && (size_t)(vp[x + 1] & 0xffffffffu) - a <= 4 * LOCAL_K))
                continue;
            size_t lo = centre[a];
            size_t want_lo = lo > LOCAL_K ? lo - LOCAL_K : 0, want_hi = lo + LOCAL_K;
            size_t found = 0, b = 0;
            for (size_t y = e0; y < e1 && found < 2; y++) {
                size_t pb = (size_t)(ep[y] & 0xffffffffu);
                if (pb + LOCAL_K * 4 < want_lo || pb > want_hi + LOCAL_K * 4) continue;
                if (pb >= want_lo && pb <= want_hi) { found++; b = pb; }
                else found += 2; /* another one close by: ambiguous */
            }
            if (found == 1) {
                BT_GROW(*pts, *cap, *np + 1);
                (*pts)[(*np)++] = (uint64_t)a << 32 | b;
            }
        }
        g = h;
    }
    free(centre);
}

void bead_find_anchors(ctx *c)
{
    u32map ix;
    bead_u32map_init(&ix, 4096);
    occ *ov = NULL;
    size_t nov = 0, ocap = 0;
    static const int lv[] = {L_ANC, L_NUM}, le[] = {L_TOK, L_NUM};
    uint64_t *vp = NULL, *ep = NULL; /* id << 32 | sentence, each side */
    size_t nvp = 0, vpcap = 0, nep = 0, epcap = 0;
    for (size_t a = 0; a < c->vi.n; a++)
        for (int q = 0; q < 2; q++) {
            const item *v = list_of(c, &c->vi.s[a], lv[q]);
            for (uint32_t x = 0; x < c->vi.s[a].n[lv[q]]; x++) {
                occ_add(&ix, &ov, &nov, &ocap, v[x].id, 0, (uint32_t)a);
                BT_GROW(vp, vpcap, nvp + 1);
                vp[nvp++] = (uint64_t)v[x].id << 32 | a;
            }
        }
    for (size_t b = 0; b < c->en.n; b++)
        for (int q = 0; q < 2; q++) {
            const item *v = list_of(c, &c->en.s[b], le[q]);
            for (uint32_t x = 0; x < c->en.s[b].n[le[q]]; x++) {
                /* only tokens the VI side has: keeps the table small */
                const uint32_t *k = u32map_get(&ix, v[x].id);
                if (!k) continue;
                occ_add(&ix, &ov, &nov, &ocap, v[x].id, 1, (uint32_t)b);
                BT_GROW(ep, epcap, nep + 1);
                ep[nep++] = (uint64_t)v[x].id << 32 | b;
            }
        }
    size_t np = 0, cap = 0;
    uint64_t *pts = NULL; /* a << 32 | b */
    for (size_t k = 0; k < nov; k++) {
        const occ *o = &ov[k];
        if (!o->n[0] || o->n[0] != o->n[1] || o->n[0] > ANCHOR_MAXK) continue;
        for (uint32_t r = 0; r < o->n[0]; r++) {
            BT_GROW(pts, cap, np + 1);
            pts[np++] = (uint64_t)o->pos[0][r] << 32 | o->pos[1][r];
        }
    }
    bead_u32map_free(&ix);
    free(ov);
    /* Local anchors: a token found in one sentence within LOCAL_K of a on
     * the VI side, and in one within LOCAL_K of a's expected position on
     * the EN side. Repeated text (boilerplate, a reused caption) leaves few
     * tokens unique in the whole text, but many in a stretch of it. */
    if (nvp > 1) qsort(vp, nvp, sizeof *vp, bead_u64_cmp);
    if (nep > 1) qsort(ep, nep, sizeof *ep, bead_u64_cmp);
    local_anchors(c, vp, nvp, ep, nep, &pts, &np, &cap);
    free(vp);
    free(ep);
    chain_set(c, pts, np);
    free(pts);
}

/* Align one rectangle: a band around the anchors (or the guide path, with
 * ends relative to the rectangle). Where the best path runs along an edge
 * the band is re-centred on it, twice; then widened, only around those
 * rows, so that a difficult passage costs cells there and not everywhere. */
#define WIDEN_AROUND 64
void bead_align_block(ctx *c, size_t i0, size_t n, size_t j0, size_t m,
                        const path *guide, size_t w, path *out)
{
    size_t *centre = bt_xmalloc((n + 1) * sizeof *centre);
    size_t *wr = bt_xmalloc((n + 1) * sizeof *wr);
    unsigned char *edge = bt_xmalloc(n + 1);
    if (guide) {
        centre_from_path(guide, n, centre);
    } else {
        centre_from_anchors(c, i0, n, j0, m, centre);
    }
    for (size_t i = 0; i <= n; i++) wr[i] = w;
    size_t cells = (n + 1) * (2 * w + 1);
    for (int round = 0;; round++) {
        path p = {0};
        memset(edge, 0, n + 1);
        int touched = dp_band(c, c->vi.s + i0, n, c->en.s + j0, m, centre, wr,
                              edge, &p);
        int more = touched && round < 6 && cells < c->cell_cap;
        if (more && round >= 2) {
            /* widen around the rows where the path met the edge */
            size_t grown = 0, last = 0;
            int any = 0;
            for (size_t i = 0; i <= n; i++) {
                if (!edge[i]) continue;
                size_t a = i > WIDEN_AROUND ? i - WIDEN_AROUND : 0;
                if (any && a <= last) a = last + 1;
                size_t b = i + WIDEN_AROUND < n ? i + WIDEN_AROUND : n;
                for (size_t q = a; q <= b; q++) {
                    if (wr[q] < m + 1) {
                        grown += wr[q] * 2;
                        wr[q] *= 2;
                    }
                }
                if (b >= a) last = b;
                any = 1;
            }
            cells += grown;
            if (!grown) more = 0;
        }
        if (!more) {
            for (size_t k = 0; k < p.n; k++)
                bead_path_push(out, p.i[k] + i0, p.j[k] + j0, p.kind[k]);
            bead_path_free(&p);
            break;
        }
        centre_from_path(&p, n, centre);
        bead_path_free(&p);
    }
    free(centre);
    free(wr);
    free(edge);
}

