/* pairing.c - from segments to pairs: each caption is weighed against the
 * English segments near it (the candidates), pairs are chosen best first
 * with every segment used once, credits pair with credits, what is left
 * stays unpaired, and the pairs are put in source order. */
#include "caption_int.h"

#include <stdlib.h>
#include <string.h>

static int cmp_cand(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->rank != y->rank) return x->rank < y->rank ? 1 : -1;
    if (x->v != y->v) return x->v < y->v ? -1 : 1;
    return x->e < y->e ? -1 : x->e > y->e;
}

/* Segments are in line order: the first and one past the last segment
 * whose line rank lies in [lo, hi]. Keeps the work per caption bounded by
 * the window, not by the size of the article. */
static void seg_range(const segs *sg, const size_t *ord, size_t at, long lo, long hi,
                      size_t *from, size_t *to)
{
    size_t a = at, b = at;
    while (a > 0 && (long)ord[sg->v[a - 1].line] >= lo) a--;
    while (b < sg->n && (long)ord[sg->v[b].line] <= hi) b++;
    *from = a;
    *to = b;
}

/* The candidates of caption segment v among the English segments
 * [e_from, e_to). */
static void weigh_caption(cap_run *r, size_t v, size_t e_from, size_t e_to)
{
    segs *sg = &r->sg;
    long rv = (long)r->ord[sg->v[v].line];
    side *vside = NULL;
    for (size_t e = e_from; e < e_to; e++) {
        seg *en = &sg->v[e];
        if (en->lang != BT_LANG_EN || en->credit) continue;
        long d = cap_layout_d(r, sg->v[v].line, (long)r->ord[en->line] - rv);
        if (d < -2 || d > r->window) continue;
        if (!cap_worth_weighing(sg->v[v].chars, en->chars, en->has_credit_after)) continue;
        if (!vside) vside = cap_side_get(&r->ss, r->lex, BT_LANG_VI, &sg->v[v], v);
        /* beyond the next line, an English line that shares no name or
         * number with the caption is not worth weighing */
        if (d != 1 && !r->ss.v[e] && !cap_shares_anchor(vside, en)) continue;
        side *eside = cap_side_get(&r->ss, r->lex, BT_LANG_EN, en, e);
        pair_features f;
        cap_weigh(r->lex, vside, eside, &f);
        double rank = cap_rank(&f, d, en->has_credit_after);
        if (rank < 0) continue;
        /* judged only when kept: the rank does not ask the judgement */
        double score;
        bt_pair_status st = cap_judge(&f, &score);
        BT_GROW(r->cv, r->ccap, r->nc + 1);
        r->cv[r->nc++] = (cand){ .v = v, .e = e, .rank = rank, .score = score, .status = st, .f = f };
    }
}

void cap_candidates(cap_run *r)
{
    segs *sg = &r->sg;
    cap_side_set_init(&r->ss, sg->n, r->kept_bytes);
    r->ss.notes = r->opts ? r->opts->notes : NULL;
    for (size_t v = 0; v < sg->n; v++) {
        if (sg->v[v].lang != BT_LANG_VI || sg->v[v].credit) continue;
        long lo, hi;
        size_t e_from, e_to, pass_to, dummy;
        cap_layout_window(r, sg->v[v].line, &lo, &hi);
        seg_range(sg, r->ord, v, lo, hi, &e_from, &e_to);
        /* no caption after this one looks further back than the window
         * before it, whichever comes first on its page */
        seg_range(sg, r->ord, v, (long)r->ord[sg->v[v].line] - r->window, lo, &pass_to, &dummy);
        cap_sides_pass_to(&r->ss, pass_to);
        weigh_caption(r, v, e_from, e_to);
    }
    cap_sides_pass_to(&r->ss, sg->n);
    if (r->nc) qsort(r->cv, r->nc, sizeof *r->cv, cmp_cand);
}

/* f: the features of a pair with both sides as weighed, or NULL */
static void push_pair(cap_run *r, bt_align_result *out, seg *v, seg *e, double score,
                      bt_pair_status st, int credit, long vi_seg, long en_seg,
                      const pair_features *f)
{
    pair_src *src = &r->src;
    if (out->npairs + 1 > src->cap) {
        src->cap = (out->npairs + 1) * 2;
        src->v = bt_xrealloc(src->v, src->cap * sizeof *src->v);
        src->e = bt_xrealloc(src->e, src->cap * sizeof *src->e);
        src->f = bt_xrealloc(src->f, src->cap * sizeof *src->f);
    }
    src->v[out->npairs] = vi_seg;
    src->e[out->npairs] = en_seg;
    if (f) src->f[out->npairs] = *f;
    else memset(&src->f[out->npairs], 0, sizeof *src->f);
    BT_GROW(out->pairs, r->pcap, out->npairs + 1);
    bt_pair *p = &out->pairs[out->npairs++];
    memset(p, 0, sizeof *p);
    /* a segment goes into one pair at most: the pair takes its text */
    if (v) {
        p->vi = v->borrowed ? bt_xstrndup(v->text, v->len) : v->text;
        v->given = 1;
        p->vi_line = r->doc->lines[v->line].lineno;
    }
    if (e) {
        p->en = e->borrowed ? bt_xstrndup(e->text, e->len) : e->text;
        e->given = 1;
        p->en_line = r->doc->lines[e->line].lineno;
    }
    p->score = score;
    p->status = st;
    p->is_credit = credit;
}

void cap_choose(cap_run *r, bt_align_result *out)
{
    segs *sg = &r->sg;
    /* a segment goes into one pair at most: room for them all at once */
    pair_src *src = &r->src;
    if (src->cap < sg->n + 1) {
        src->cap = sg->n + 1;
        src->v = bt_xrealloc(src->v, src->cap * sizeof *src->v);
        src->e = bt_xrealloc(src->e, src->cap * sizeof *src->e);
        src->f = bt_xrealloc(src->f, src->cap * sizeof *src->f);
    }
    BT_GROW(out->pairs, r->pcap, sg->n + 1);
    for (size_t i = 0; i < r->nc; i++) {
        const cand *c = &r->cv[i];
        if (sg->v[c->v].used || sg->v[c->e].used) continue;
        sg->v[c->v].used = sg->v[c->e].used = 1;
        push_pair(r, out, &sg->v[c->v], &sg->v[c->e], c->score, c->status, 0, (long)c->v,
                  (long)c->e, &c->f);
    }
}

/* The caption sentences of segment v's line, [*from, *to), when v is the
 * only one of them in a pair and there are several; else 0. */
static int line_sentences(const segs *sg, size_t v, size_t *from, size_t *to)
{
    size_t a = v, b = v + 1, n = 0;
    while (a > 0 && sg->v[a - 1].line == sg->v[v].line) a--;
    while (b < sg->n && sg->v[b].line == sg->v[v].line) b++;
    for (size_t k = a; k < b; k++) {
        const seg *g = &sg->v[k];
        if (g->lang != BT_LANG_VI || g->credit) continue;
        if (k != v && g->used) return 0;
        /* a sentence of three words at least: not a credit's opening cut
         * from its name, as "Ảnh" at the end of a wrapped line (two
         * spaces, looked for, not counted) */
        const char *sp = memchr(g->text, ' ', g->len);
        if (!sp || !memchr(sp + 1, ' ', g->len - (size_t)(sp + 1 - g->text))) return 0;
        n++;
    }
    *from = a;
    *to = b;
    return n > 1;
}

static int status_rank(bt_pair_status st)
{
    return st == BT_PAIR_ACCEPTED ? 2 : st == BT_PAIR_PARTIAL ? 1 : 0;
}

/* A caption line of several sentences that faces one English line whole:
 * when the whole line translates the English better than its sentence in
 * the pair, and no other sentence of it found a pair, the line is the
 * unit. */
static void join_line(cap_run *r, bt_align_result *out, size_t k)
{
    segs *sg = &r->sg;
    size_t v = (size_t)r->src.v[k], from, to;
    bt_pair *p = &out->pairs[k];
    if (!line_sentences(sg, v, &from, &to)) return;
    bt_buf j;
    bt_buf_init(&j);
    for (size_t i = from; i < to; i++) {
        const seg *g = &sg->v[i];
        if (g->lang != BT_LANG_VI || g->credit) continue;
        if (j.len) bt_buf_addc(&j, ' ');
        bt_buf_add(&j, g->text, g->len);
    }
    /* the sentence as its candidate was weighed, the line weighed here */
    const pair_features *f1 = &r->src.f[k];
    pair_features fj;
    double sj;
    bt_pair_status stj = cap_pair_evidence(r->lex, j.ptr, p->en, &fj, &sj);
    if (stj != BT_PAIR_ACCEPTED || status_rank(stj) < status_rank(p->status) ||
        fj.length_fit <= f1->length_fit) {
        bt_buf_free(&j);
        return;
    }
    for (size_t i = from; i < to; i++)
        if (sg->v[i].lang == BT_LANG_VI && !sg->v[i].credit) sg->v[i].used = 1;
    free(p->vi);
    p->vi = bt_buf_detach(&j);
    p->score = sj;
    p->status = stj;
    r->src.f[k] = fj;
    /* its side is made again, from the whole line, for its terms */
    cap_side_drop(&r->ss, v);
    r->ss.dropped[v] = 1;
}

void cap_join_sentences(cap_run *r, bt_align_result *out)
{
    for (size_t k = 0; k < out->npairs; k++)
        if (r->src.v[k] >= 0 && r->src.e[k] >= 0 && !out->pairs[k].is_credit) join_line(r, out, k);
}

/* Per line: the line of the English its caption was paired with, or -1.
 * Caller frees. */
static long *paired_lines(const cap_run *r, const bt_align_result *out)
{
    long *to = bt_xmalloc((r->doc->nlines + 1) * sizeof *to);
    for (size_t i = 0; i <= r->doc->nlines; i++) to[i] = -1;
    for (size_t k = 0; k < out->npairs; k++)
        if (r->src.v[k] >= 0 && r->src.e[k] >= 0)
            to[r->sg.v[r->src.v[k]].line] = (long)r->sg.v[r->src.e[k]].line;
    return to;
}

/* Do credits cr and ce say the same? Named ones by their names, or, on
 * lines whose captions were paired, by the medium they name. */
static int same_credit(const seg *cr, const seg *ce, const long *paired)
{
    if (ce->credit != cr->credit) return 0;
    if (cr->credit != CREDIT_NAMED) return 1;
    if (!cr->credit_key || !ce->credit_key) return 0;
    if (!strcmp(cr->credit_key, ce->credit_key)) return 1;
    return paired[cr->line] == (long)ce->line &&
           credit_same_medium(cr->credit_key, ce->credit_key);
}

/* A Vietnamese credit goes with the English credit of a line its caption
 * was paired with, or the nearest English credit after. */
void cap_pair_credits(cap_run *r, bt_align_result *out)
{
    segs *sg = &r->sg;
    long *paired = paired_lines(r, out);
    for (size_t v = 0; v < sg->n; v++) {
        seg *cr = &sg->v[v];
        if (cr->lang != BT_LANG_VI || !cr->credit) continue;
        long best = -1, best_far = 0;
        long rv = (long)r->ord[cr->line], lo, hi;
        size_t e_from, e_to;
        cap_layout_window(r, cr->line, &lo, &hi);
        seg_range(sg, r->ord, v, lo, hi, &e_from, &e_to);
        for (size_t e = e_from; e < e_to; e++) {
            seg *ce = &sg->v[e];
            if (ce->lang != BT_LANG_EN || !ce->credit || ce->used) continue;
            long d = cap_layout_d(r, cr->line, (long)r->ord[ce->line] - rv);
            if (d < -2 || d > r->window) continue;
            if (!same_credit(cr, ce, paired)) continue;
            /* the credit on the line its caption was paired with first
             * (English-first pages, swapped captions), then the nearest */
            long far = paired[cr->line] == (long)ce->line ? -1 : labs(d - 1);
            if (best < 0 || far < best_far) {
                best = (long)e;
                best_far = far;
            }
        }
        if (best >= 0) {
            sg->v[best].used = cr->used = 1;
            push_pair(r, out, cr, &sg->v[best], 1.0, BT_PAIR_ACCEPTED, 1, -1, -1, NULL);
        }
    }
    free(paired);
}

/* What is left: Vietnamese without a counterpart, and English captions
 * (lines that end with a credit) without a Vietnamese original. */
void cap_unpaired(cap_run *r, bt_align_result *out)
{
    segs *sg = &r->sg;
    for (size_t v = 0; v < sg->n; v++) {
        seg *s = &sg->v[v];
        if (s->used) continue;
        if (s->lang == BT_LANG_VI)
            push_pair(r, out, s, NULL, 0, BT_PAIR_UNPAIRED, s->credit != 0, (long)v, -1, NULL);
        else if (s->credit || s->has_credit_after)
            push_pair(r, out, NULL, s, 0, BT_PAIR_UNPAIRED, s->credit != 0, -1, (long)v, NULL);
    }
}

static int cmp_pair_pos(const void *a, const void *b)
{
    const bt_pair *x = a, *y = b;
    unsigned long xa = x->vi_line ? x->vi_line : x->en_line;
    unsigned long ya = y->vi_line ? y->vi_line : y->en_line;
    if (xa != ya) return xa < ya ? -1 : 1;
    /* content before its credit, otherwise stable by English line */
    if (x->is_credit != y->is_credit) return x->is_credit - y->is_credit;
    return (x->en_line > y->en_line) - (x->en_line < y->en_line);
}

static int cmp_perm(const void *a, const void *b, void *pairs)
{
    const bt_pair *p = pairs;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = cmp_pair_pos(&p[x], &p[y]);
    /* equal ones as they came, whatever sort the C library has (glibc's
     * merge sort kept them so; later ones need not) */
    return c ? c : (x > y) - (x < y);
}

/* Up to this many pairs, sorted by insertion. */
enum { ORDER_BY_INSERTION = 32 };

/* The pairs in source order, their sources with them. */
void cap_order(cap_run *r, bt_align_result *out)
{
    if (!out->npairs) return;
    size_t n = out->npairs;
    size_t *perm = bt_xmalloc(n * sizeof *perm);
    for (size_t i = 0; i < n; i++) perm[i] = i;
    if (n <= ORDER_BY_INSERTION) {
        /* an article's few pairs: inserted in order, which keeps equal
         * ones as they came, as cmp_perm orders them */
        for (size_t i = 1; i < n; i++) {
            size_t x = perm[i], j = i;
            while (j > 0 && cmp_pair_pos(&out->pairs[perm[j - 1]], &out->pairs[x]) > 0) {
                perm[j] = perm[j - 1];
                j--;
            }
            perm[j] = x;
        }
    } else {
        qsort_r(perm, n, sizeof *perm, cmp_perm, out->pairs);
    }
    bt_pair *np = bt_xmalloc(n * sizeof *np);
    long *nv = bt_xmalloc(n * sizeof *nv), *ne = bt_xmalloc(n * sizeof *ne);
    pair_features *nf = bt_xmalloc(n * sizeof *nf);
    for (size_t i = 0; i < n; i++) {
        np[i] = out->pairs[perm[i]];
        nv[i] = r->src.v[perm[i]];
        ne[i] = r->src.e[perm[i]];
        nf[i] = r->src.f[perm[i]];
    }
    free(out->pairs);
    free(r->src.v);
    free(r->src.e);
    free(r->src.f);
    out->pairs = np;
    r->src.v = nv;
    r->src.e = ne;
    r->src.f = nf;
    r->src.cap = n;
    r->pcap = n;
    free(perm);
}
