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
#include "judge_int.h"

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

/* The sentence judge's own inputs (judge_int.h) of the bead of the di VI
 * sentences I and the dj EN sentences J, whose texts are vi and en: what
 * the texts say, as caption mode weighs it, and what the alignment
 * measured. *z: the length deviation, signed. */
static void bead_own_inputs(ctx *c, const sent *I, int di, const sent *J, int dj,
                            const char *vi, const char *en, scratch *sc,
                            double x[SJ_COUNT], double *z)
{
    ev e[2][2];
    for (int a = 0; a < di; a++) {
        const bag *gp = NULL;
        if (c->pass == 2) {
            bead_bag_build(c, &I[a], &sc->g);
            BT_GROW(sc->best, sc->bestcap, sc->g.nv + 1);
            gp = &sc->g;
        }
        for (int b = 0; b < dj; b++) e[a][b] = bead_pair_evidence(c, &I[a], gp, &J[b], sc->best);
    }
    double lv = 0, le = 0;
    for (int a = 0; a < di; a++) lv += I[a].clen;
    for (int b = 0; b < dj; b++) le += J[b].clen;
    *z = bead_length_z(c, lv + di - 1, le + dj - 1);
    double total, sim = bead_overlap(c, I, di, J, dj, e, &total);
    double lex = bead_calibrate(c, sim);
    double per = total * 2 / (di + dj);
    judge_text_inputs(c->lex, vi, en, x);
    x[SJ_BEAD_LEX] = lex < 0 ? 0 : lex > 1 ? 1 : lex;
    x[SJ_BEAD_CONF] = per / (per + c->t0);
    x[SJ_LENGTH_Z] = fabs(*z) < 4 ? fabs(*z) : 4;
    x[SJ_MERGED] = di + dj > 2;
}

/* The nearest pair with both sides within two places before (step -1)
 * or after (step 1) pair k, or -1. */
static long neighbour(const bt_align_result *out, size_t k, int step)
{
    for (int d = 1; d <= 2; d++) {
        long q = (long)k + step * d;
        if (q < 0 || (size_t)q >= out->npairs) return -1;
        if (out->pairs[q].vi && out->pairs[q].en) return q;
    }
    return -1;
}

/* Status and score of every pair with both sides: the probability, by
 * the sentence judge, that it is a true translation, from what it says and
 * from the stretch of the path it stands in. Likely true: accepted, or
 * partial when it joins sentences or its lengths say one side says more
 * (such units go to the partial memory, not the main one). */
static void judge_pairs(bt_align_result *out, const double *p_own, const double *z,
                        const unsigned char *merged, bead_record *rec)
{
    for (size_t k = 0; k < out->npairs; k++) {
        bt_pair *pr = &out->pairs[k];
        if (!pr->vi || !pr->en) continue;
        long b = neighbour(out, k, -1), a = neighbour(out, k, 1);
        double s[ST_COUNT];
        sent_stretch_inputs(p_own[k], b >= 0 ? p_own[b] : -1, a >= 0 ? p_own[a] : -1, s);
        double p = sent_judge_stretch(s);
        pr->score = p;
        if (p < 0.5)
            pr->status = BT_PAIR_MISMATCH;
        else if (merged[k] || fabs(z[k]) > 3)
            pr->status = BT_PAIR_PARTIAL;
        else
            pr->status = BT_PAIR_ACCEPTED;
        if (rec) {
            rec->v[rec->pair_at[k]].before = b >= 0 ? rec->pair_at[b] : -1;
            rec->v[rec->pair_at[k]].after = a >= 0 ? rec->pair_at[a] : -1;
        }
    }
}

static void record_push(bead_record *rec, const double x[SJ_COUNT], const bt_pair *pr,
                        unsigned long vi_line, unsigned long en_line, int shifted)
{
    BT_GROW(rec->v, rec->cap, rec->n + 1);
    bead_judged *r = &rec->v[rec->n++];
    memcpy(r->x, x, sizeof r->x);
    r->before = r->after = -1;
    r->vi_line = pr ? pr->vi_line : vi_line;
    r->en_line = pr ? pr->en_line : en_line;
    r->shifted = shifted;
}

/* For fitting (rec): the path shifted by one, as an alignment that has
 * gone off the track: the VI of each 1-1 pair against the EN of the next,
 * whose neighbours are the shifted pairs beside it. */
static void record_shifted(ctx *c, const path *p, bead_record *rec, scratch *sc)
{
    long prev = -1;
    for (size_t k = 0; k + 1 < p->n; k++) {
        if (p->kind[k] != 0 || p->kind[k + 1] != 0) { prev = -1; continue; }
        const sent *I = c->vi.s + p->i[k] - 1, *J = c->en.s + p->j[k + 1] - 1;
        char *vi = join_sents(I, 0, 1), *en = join_sents(J, 0, 1);
        double x[SJ_COUNT], z;
        bead_own_inputs(c, I, 1, J, 1, vi, en, sc, x, &z);
        record_push(rec, x, NULL, I->line, J->line, 1);
        long at = (long)rec->n - 1;
        if (prev >= 0) {
            rec->v[at].before = prev;
            rec->v[prev].after = at;
        }
        prev = at;
        free(vi);
        free(en);
    }
}

static void emit(ctx *c, const path *p, bt_align_result *out, bead_record *rec)
{
    out->pairs = bt_xcalloc(p->n ? p->n : 1, sizeof *out->pairs);
    out->npairs = 0;
    double *p_own = bt_xcalloc(p->n + 1, sizeof *p_own), *z = bt_xcalloc(p->n + 1, sizeof *z);
    double (*x)[SJ_COUNT] = bt_xcalloc(p->n + 1, sizeof *x);
    unsigned char *merged = bt_xcalloc(p->n + 1, 1);
    if (rec) rec->pair_at = bt_xcalloc(p->n + 1, sizeof *rec->pair_at);
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
        if (rec) rec->pair_at[k] = -1;
        if (!di || !dj) {
            pr->status = BT_PAIR_UNPAIRED;
            pr->score = 0;
            continue;
        }
        bead_own_inputs(c, c->vi.s + i - (size_t)di, di, c->en.s + j - (size_t)dj, dj, pr->vi,
                        pr->en, &sc, x[k], &z[k]);
        p_own[k] = sent_judge_own(x[k]);
        merged[k] = di + dj > 2;
        if (rec) {
            rec->pair_at[k] = (long)rec->n;
            record_push(rec, x[k], pr, 0, 0, 0);
        }
    }
    judge_pairs(out, p_own, z, merged, rec);
    if (rec) record_shifted(c, p, rec, &sc);
    free(p_own);
    free(z);
    free(merged);
    free(x);
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
    return bead_align_record(lex, vi, en, opts, out, NULL);
}

int bead_align_record(const bt_lexicon *lex, const bt_doc *vi, const bt_doc *en,
                      const bt_bead_opts *opts, bt_align_result *out, bead_record *rec)
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
    emit(&c, learn_and_align(&c, blocks, nb, &p1, &p2, &p3, rounds), out, rec);

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
