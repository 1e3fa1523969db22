/* bead.c - sentence alignment of a Vietnamese article and its English
 * translation: dynamic programming over beads (1-1, 1-0, 0-1, 2-1, 1-2,
 * 2-2) in a band around a guide path.
 *
 * The cost of a bead adds a prior for its kind, a Gale-Church length cost
 * (the EN/VI character ratio and its variance are estimated from the texts
 * themselves) and lexical evidence: folded names and other literal tokens,
 * numbers with separators removed, concepts of the title lexicon, and in a
 * second pass a translation table (IBM Model 1, both directions) learned
 * from the confident 1-1 beads of the first. Evidence is a weighted overlap
 * (matched weight over total weight, rare tokens weighing more), calibrated
 * against the overlap of sentences that are certainly not translations.
 *
 * Memory is linear: the DP keeps three rows of costs and one byte of back
 * pointer per cell of the band; a band that proves too narrow (the best
 * path runs along its edge) is re-centred on that path and doubled. */

#include "bead_int.h"
#include "credit_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

/* ---- blocks: the whole text, or paragraph by paragraph --------------- */

typedef struct block {
    size_t i0, n, j0, m;
} block;

/* Paragraphs are hard anchors when both sides have the same number of them
 * and their lengths agree with the overall ratio. */
static size_t make_blocks(ctx *c, int no_anchors, block **out)
{
    size_t np = c->vi.nparas;
    block *b = NULL;
    int ok = !no_anchors && np > 1 && np == c->en.nparas;
    if (ok) {
        b = bt_xcalloc(np, sizeof *b);
        double *lv = bt_xcalloc(np, sizeof *lv), *le = bt_xcalloc(np, sizeof *le);
        for (size_t k = 0; k < c->vi.n; k++) {
            size_t q = c->vi.s[k].para;
            if (!b[q].n) b[q].i0 = k;
            b[q].n++;
            lv[q] += c->vi.s[k].clen;
        }
        for (size_t k = 0; k < c->en.n; k++) {
            size_t q = c->en.s[k].para;
            if (!b[q].m) b[q].j0 = k;
            b[q].m++;
            le[q] += c->en.s[k].clen;
        }
        size_t bad = 0;
        for (size_t q = 0; q < np; q++) {
            double r = lv[q] > 0 ? le[q] / lv[q] : 0;
            if (r < c->ratio / 2.5 || r > c->ratio * 2.5) bad++;
        }
        free(lv);
        free(le);
        if (bad * 5 > np) ok = 0;
    }
    if (!ok) {
        free(b);
        b = bt_xcalloc(1, sizeof *b);
        b->n = c->vi.n;
        b->m = c->en.n;
        np = 1;
    }
    if (c->stats) c->stats->anchored = ok;
    *out = b;
    return np;
}

/* One pass over every block; guide is the previous pass's path, or NULL. */
static void run_pass(ctx *c, const block *b, size_t nb, const path *guide,
                     size_t w, path *out)
{
    size_t gk = 0;
    for (size_t q = 0; q < nb; q++) {
        path rel = {0};
        const path *gp = NULL;
        if (guide) {
            size_t iend = b[q].i0 + b[q].n, jend = b[q].j0 + b[q].m;
            while (gk < guide->n && guide->i[gk] <= iend && guide->j[gk] <= jend) {
                bead_path_push(&rel, guide->i[gk] - b[q].i0, guide->j[gk] - b[q].j0,
                          guide->kind[gk]);
                gk++;
            }
            gp = &rel;
        }
        bead_align_block(c, b[q].i0, b[q].n, b[q].j0, b[q].m, gp, w, out);
        bead_path_free(&rel);
    }
}

/* ---- results --------------------------------------------------------- */

/* The sentences [from, to) of a side joined by one space, white space
 * collapsed. Caller frees. */
static char *join_sents(const sent *s, size_t from, size_t to)
{
    bt_buf b;
    bt_buf_init(&b);
    for (size_t k = from; k < to; k++) {
        if (b.len) bt_buf_addc(&b, ' ');
        int space = 0;
        for (size_t x = 0; x < s[k].len; x++) {
            char ch = s[k].text[x];
            if (ch == ' ' || ch == '\t') { space = 1; continue; }
            if (space && b.len && b.ptr[b.len - 1] != ' ') bt_buf_addc(&b, ' ');
            space = 0;
            bt_buf_addc(&b, ch);
        }
    }
    return bt_buf_detach(&b);
}

/* What a pass-2 bead's evidence reuses from pair to pair. */
typedef struct scratch {
    bag g;
    float *best;
    size_t bestcap;
} scratch;

/* Score and status of the 1-1, 2-1, 1-2 or 2-2 bead k, whose pair is pr.
 * lowev[k]: it has little evidence of its own (1), or some that does not
 * contradict it (2); lenps[k]: its length probability. */
static void judge_bead(ctx *c, const path *p, size_t k, bt_pair *pr, scratch *sc,
                       unsigned char *lowev, double *lenps)
{
    int kind = p->kind[k], di = bead_kdi[kind], dj = bead_kdj[kind];
    const sent *I = c->vi.s + p->i[k] - (size_t)di, *J = c->en.s + p->j[k] - (size_t)dj;
    ev e[2][2];
    for (int x = 0; x < di; x++) {
        const bag *gp = NULL;
        if (c->pass == 2) {
            bead_bag_build(c, &I[x], &sc->g);
            BT_GROW(sc->best, sc->bestcap, sc->g.nv + 1);
            gp = &sc->g;
        }
        for (int y = 0; y < dj; y++) e[x][y] = bead_pair_evidence(c, &I[x], gp, &J[y], sc->best);
    }
    double lv = 0, le = 0;
    for (int x = 0; x < di; x++) lv += I[x].clen;
    for (int y = 0; y < dj; y++) le += J[y].clen;
    double z = bead_length_z(c, lv + di - 1, le + dj - 1);
    double lenp = bead_length_prob(z);
    double total, sim = bead_overlap(c, I, di, J, dj, e, &total);
    double lex = bead_calibrate(c, sim);
    if (lex < 0) lex = 0;
    if (lex > 1) lex = 1;
    double per = total * 2 / (di + dj);
    double conf = per / (per + c->t0);
    double score = conf * (0.6 * lex + 0.4 * lenp) + (1 - conf) * 0.6 * lenp;
    if (score > 1) score = 1;
    pr->score = score;
    /* little evidence of its own, or some that does not contradict */
    lowev[k] = conf < 0.3 ? 1 : score < 0.4 && bead_calibrate(c, sim) > -0.5 ? 2 : 0;
    lenps[k] = lenp;
    if (lex >= 0.5 && conf >= 0.5 && fabs(z) > 3)
        pr->status = BT_PAIR_PARTIAL;
    else if (score >= 0.4 || (lex >= 0.5 && conf >= 0.4))
        pr->status = BT_PAIR_ACCEPTED;
    else
        pr->status = BT_PAIR_MISMATCH;
}

/* A pair with little evidence of its own (no names, numbers or known
 * words, or words the model cannot link) borrows confidence from its
 * neighbours when its length fits: between two good pairs it is very
 * likely right; next to doubtful ones it is reported, not forced. */
static void borrow_from_neighbours(bt_align_result *out, const unsigned char *lowev,
                                   const double *lenps)
{
    double *own = bt_xmalloc((out->npairs + 1) * sizeof *own);
    for (size_t k = 0; k < out->npairs; k++) own[k] = out->pairs[k].score;
    for (size_t k = 0; k < out->npairs; k++) {
        bt_pair *pr = &out->pairs[k];
        if (!lowev[k] || pr->status == BT_PAIR_UNPAIRED) continue;
        /* the weaker of the nearest good neighbour on each side (at an
         * end of the text, the one there is) */
        double ctx_score = 2;
        int sides = 0, want = 0;
        if (k > 0) want++;
        if (k + 1 < out->npairs) want++;
        for (size_t q = k; q-- > 0 && k - q <= 2;)
            if (!lowev[q] && out->pairs[q].vi && out->pairs[q].en) {
                if (own[q] < ctx_score) ctx_score = own[q];
                sides++;
                break;
            }
        for (size_t q = k + 1; q < out->npairs && q - k <= 2; q++)
            if (!lowev[q] && out->pairs[q].vi && out->pairs[q].en) {
                if (own[q] < ctx_score) ctx_score = own[q];
                sides++;
                break;
            }
        if (sides < want || sides == 0) ctx_score = 0;
        double score = 0.9 * (lenps[k] + ctx_score) / 2;
        if (score < own[k]) score = own[k];
        /* no evidence and no good neighbours: nothing says translation */
        if (lowev[k] == 1 && ctx_score == 0 && score > 0.3) score = 0.3;
        pr->score = score;
        pr->status = score >= 0.4 ? BT_PAIR_ACCEPTED : BT_PAIR_MISMATCH;
    }
    free(own);
}

static void emit(ctx *c, const path *p, bt_align_result *out)
{
    out->pairs = bt_xcalloc(p->n ? p->n : 1, sizeof *out->pairs);
    out->npairs = 0;
    unsigned char *lowev = bt_xcalloc(p->n + 1, 1);
    double *lenps = bt_xcalloc(p->n + 1, sizeof *lenps);
    scratch sc = { { 0 }, NULL, 0 };
    for (size_t k = 0; k < p->n; k++) {
        int kind = p->kind[k], di = bead_kdi[kind], dj = bead_kdj[kind];
        size_t i = p->i[k], j = p->j[k];
        bt_pair *pr = &out->pairs[out->npairs++];
        memset(pr, 0, sizeof *pr);
        if (di) {
            pr->vi = join_sents(c->vi.s, i - (size_t)di, i);
            pr->vi_line = c->vi.s[i - (size_t)di].line;
        }
        if (dj) {
            pr->en = join_sents(c->en.s, j - (size_t)dj, j);
            pr->en_line = c->en.s[j - (size_t)dj].line;
        }
        pr->is_credit = credit_article_pair(pr->vi, pr->en);
        if (!di || !dj) {
            pr->status = BT_PAIR_UNPAIRED;
            pr->score = 0;
            continue;
        }
        judge_bead(c, p, k, pr, &sc, lowev, lenps);
    }
    borrow_from_neighbours(out, lowev, lenps);
    free(lowev);
    free(lenps);
    free(sc.g.v);
    free(sc.g.tmp);
    free(sc.best);
}

/* ---- entry point ----------------------------------------------------- */

/* The sentences of both texts, their weights, the length ratio, the
 * anchors; returns the blocks to align (*blocks: caller frees). */
static size_t prepare(ctx *c, const bt_doc *vi, const bt_doc *en, const bt_bead_opts *opts,
                      block **blocks)
{
    bead_len_table_init(c);
    bead_load_side(c, &c->vi, vi, BT_LANG_VI);
    bead_load_side(c, &c->en, en, BT_LANG_EN);
    bead_set_weights(c);
    bead_estimate_ratio(c);
    c->cell_cap = CELLS_PER_SENT * (c->vi.n + c->en.n + 1);
    if (c->cell_cap < CELL_FLOOR) c->cell_cap = CELL_FLOOR;

    c->cumv = bt_xmalloc((c->vi.n + 1) * sizeof *c->cumv);
    c->cume = bt_xmalloc((c->en.n + 1) * sizeof *c->cume);
    c->cumv[0] = c->cume[0] = 0;
    for (size_t k = 0; k < c->vi.n; k++) c->cumv[k + 1] = c->cumv[k] + c->vi.s[k].clen + 1;
    for (size_t k = 0; k < c->en.n; k++) c->cume[k + 1] = c->cume[k] + c->en.s[k].clen + 1;
    bead_find_anchors(c);
    return make_blocks(c, opts && opts->no_anchors, blocks);
}

/* Pass 2: the same with a translation table learned from pass 1; then
 * once more with a table learned from pass 2, as a table learned from a
 * path repeats that path's mistakes. Returns the final path. */
static path *learn_and_align(ctx *c, const block *blocks, size_t nb, path *p1, path *p2,
                             path *p3, int rounds)
{
    path *final = p1;
    for (int r = 0; r < rounds; r++) {
        path *from = final, *to = final == p2 ? p3 : p2;
        bead_free_table(c);
        if (c->stats) c->stats->table_pairs = c->stats->table_size = 0;
        if (r == 0) {
            /* the first path has the most mistakes: learn it in two halves,
             * each scoring the other's sentences */
            bead_learn_table(c, from, 0, &c->tab[0]);
            bead_learn_table(c, from, 1, &c->tab[1]);
            if (!c->tab[0].nadj || !c->tab[1].nadj) bead_free_table(c);
        }
        if (!c->tab[0].nadj) bead_learn_table(c, from, 2, &c->tab[0]);
        if (!c->tab[0].nadj) break;
        c->pass = 2;
        c->t0 = 3.0;
        bead_calibrate_base(c, from);
        bead_calibrate_good(c, from);
        to->n = 0;
        run_pass(c, blocks, nb, from, BAND_PASS2, to);
        final = to;
    }
    return final;
}

static void ctx_free(ctx *c)
{
    free(c->vi.s);
    free(c->en.s);
    free(c->pool);
    bead_free_table(c);
    free(c->anc_i);
    free(c->anc_j);
    free(c->cumv);
    free(c->cume);
}

int bt_align_texts(const bt_lexicon *lex, const bt_doc *vi, const bt_doc *en,
                   const bt_bead_opts *opts, bt_align_result *out)
{
    if (!out) return BT_ERR_USAGE;
    memset(out, 0, sizeof *out);
    ctx c;
    memset(&c, 0, sizeof c);
    c.lex = lex;
    c.stats = opts ? opts->stats : NULL;
    if (c.stats) memset(c.stats, 0, sizeof *c.stats);
    size_t w = opts && opts->band > 0 ? (size_t)opts->band : BAND_DEFAULT;
    block *blocks;
    size_t nb = prepare(&c, vi, en, opts, &blocks);

    /* pass 1: length, names, numbers, titles */
    c.pass = 1;
    c.t0 = 1.5;
    bead_calibrate_base(&c, NULL);
    bead_calibrate_good_local(&c);
    path p1 = {0}, p2 = {0}, p3 = {0};
    run_pass(&c, blocks, nb, NULL, w, &p1);
    bead_estimate_var(&c, &p1);
    int rounds = opts && opts->no_learn ? 0 : LEARN_ROUNDS;
    emit(&c, learn_and_align(&c, blocks, nb, &p1, &p2, &p3, rounds), out);

    if (c.stats) {
        c.stats->vi_sentences = c.vi.n;
        c.stats->en_sentences = c.en.n;
        c.stats->ratio = c.ratio;
        c.stats->var = c.var;
    }
    bead_path_free(&p1);
    bead_path_free(&p2);
    bead_path_free(&p3);
    free(blocks);
    ctx_free(&c);
    return BT_OK;
}
