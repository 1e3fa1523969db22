/* gen_pairs.c - parallel documents with a known sentence alignment, and the
 * scorer that compares bt_align_texts against it (bench/pairs.sh).
 *
 *   gen_pairs gen PO N SEED OUT   read msgunfmt output (msgid/msgstr pairs
 *                                 of a Vietnamese catalogue), write
 *                                 OUT.vi.txt, OUT.en.txt and OUT.gold with
 *                                 N sentence units a side
 *   gen_pairs run VI EN GOLD [--no-learn]
 *                                 align, print one line of figures
 *
 * The documents: units sampled from the catalogue pairs, made into proper
 * sentences; beads 1-1 (86 %), 1-0 and 0-1 (a sentence deleted on one side,
 * 3 % each), 2-1 and 1-2 (two sentences merged with a semicolon, or one
 * split in two, 3 % each) and 2-2 (a boundary moved across a pair, 2 %).
 * Sentences are grouped into paragraphs of one line each, separated by
 * blank lines; the English paragraph breaks follow the Vietnamese ones at
 * 85 % of the places. OUT.gold has one line "NV NE" per bead, in order. */

#include "../align/align.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

typedef struct unit {
    char *vi, *en;
} unit;

static uint64_t rng = 88172645463325252ULL;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static double frand(void) { return (double)(rnd() >> 11) / 9007199254740992.0; }

static void die(const char *msg, const char *arg)
{
    fprintf(stderr, "gen_pairs: %s%s%s\n", msg, arg ? " " : "", arg ? arg : "");
    exit(1);
}

/* ---- reading msgunfmt output ----------------------------------------- */

/* Append the C-escaped string of a quoted PO line to b. */
static void po_unquote(const char *s, bt_buf *b)
{
    const char *q = strchr(s, '"');
    if (!q) return;
    for (q++; *q && *q != '"'; q++) {
        if (*q == '\\' && q[1]) {
            q++;
            bt_buf_addc(b, *q == 'n' || *q == 't' ? ' ' : *q);
        } else {
            bt_buf_addc(b, *q);
        }
    }
}

/* Clean a message into one sentence: collapse white space, drop a trailing
 * colon, capitalize the first letter, end with a full stop. NULL when the
 * message is not usable. Caller frees. */
static char *make_sentence(const char *s)
{
    bt_buf b;
    bt_buf_init(&b);
    int space = 0;
    for (const char *p = s; *p; p++) {
        if (*p == ' ' || *p == '\t') { space = 1; continue; }
        if (space && b.len) bt_buf_addc(&b, ' ');
        space = 0;
        bt_buf_addc(&b, *p);
    }
    while (b.len && strchr(":;,- ", b.ptr[b.len - 1])) b.ptr[--b.len] = 0;
    if (b.len < 12 || strchr(b.ptr, '_') || strchr(b.ptr, '&') ||
        strchr(b.ptr, '<') || strchr(b.ptr, '\\')) {
        bt_buf_free(&b);
        return NULL;
    }
    if (!strchr(".!?", b.ptr[b.len - 1])) bt_buf_addc(&b, '.');
    if (islower((unsigned char)b.ptr[0])) b.ptr[0] = (char)toupper((unsigned char)b.ptr[0]);
    return bt_buf_detach(&b);
}

static int one_sentence(const char *s)
{
    size_t sp[4];
    return bt_sentences(s, strlen(s), sp, 2) == 1 &&
           bt_lang_guess(s, strlen(s)) != BT_LANG_JUNK;
}

static int words(const char *s)
{
    int n = 0, in = 0;
    for (; *s; s++) {
        if (*s == ' ') in = 0;
        else if (!in) { in = 1; n++; }
    }
    return n;
}

static unit *read_po(const char *path, size_t *nout)
{
    FILE *f = fopen(path, "r");
    if (!f) die("cannot open", path);
    unit *u = NULL;
    size_t n = 0, cap = 0;
    bt_buf id, str, *cur = NULL;
    bt_buf_init(&id);
    bt_buf_init(&str);
    char line[65536];
    int have = 0;
    for (;;) {
        char *l = fgets(line, sizeof line, f);
        int flush = !l || !strncmp(l, "msgid ", 6) || !strncmp(l, "msgctxt", 7);
        if (flush && have) {
            char *en = id.len ? make_sentence(id.ptr) : NULL;
            char *vi = str.len ? make_sentence(str.ptr) : NULL;
            int ok = en && vi && strcmp(en, vi) && words(en) >= 3 &&
                     strlen(vi) != strlen(en);
            int accented = 0;
            for (const char *p = vi ? vi : ""; *p; p++)
                if ((unsigned char)*p >= 0x80) accented = 1;
            if (ok && accented && one_sentence(en) && one_sentence(vi)) {
                BT_GROW(u, cap, n + 1);
                u[n].vi = vi;
                u[n].en = en;
                n++;
            } else {
                free(en);
                free(vi);
            }
            have = 0;
        }
        if (!l) break;
        if (!strncmp(l, "msgctxt", 7)) { cur = NULL; continue; }
        if (!strncmp(l, "msgid ", 6)) {
            bt_buf_reset(&id);
            bt_buf_reset(&str);
            cur = &id;
            have = 1;
            po_unquote(l + 6, cur);
        } else if (!strncmp(l, "msgid_plural", 12)) {
            cur = NULL;
        } else if (!strncmp(l, "msgstr ", 7) || !strncmp(l, "msgstr[0]", 9)) {
            cur = &str;
            po_unquote(strchr(l, ' '), cur);
        } else if (!strncmp(l, "msgstr[", 7)) {
            cur = NULL;
        } else if (l[0] == '"' && cur) {
            po_unquote(l, cur);
        }
    }
    fclose(f);
    bt_buf_free(&id);
    bt_buf_free(&str);
    /* drop repeated English messages: the same source twice is no test */
    *nout = n;
    return u;
}

/* ---- generating ------------------------------------------------------ */

/* Split s at the space nearest its middle: two sentences. */
static void split2(const char *s, char **a, char **b)
{
    size_t n = strlen(s), mid = n / 2, best = 0;
    for (size_t k = 1; k + 1 < n; k++)
        if (s[k] == ' ' && (best == 0 || (k > mid ? k - mid : mid - k) <
                                            (best > mid ? best - mid : mid - best)))
            best = k;
    if (!best) best = n / 2;
    char *x = bt_xstrndup(s, best), *y = bt_xstrdup(s + best + (s[best] == ' '));
    *a = make_sentence(x);
    *b = make_sentence(y);
    if (!*a) *a = bt_xstrdup(x);
    if (!*b) *b = bt_xstrdup(y);
    free(x);
    free(y);
}

/* "A." + "B." -> "A; b." */
static char *merge2(const char *a, const char *b)
{
    bt_buf m;
    bt_buf_init(&m);
    bt_buf_adds(&m, a);
    while (m.len && strchr(".!?", m.ptr[m.len - 1])) m.ptr[--m.len] = 0;
    bt_buf_adds(&m, "; ");
    size_t at = m.len;
    bt_buf_adds(&m, b);
    if (isupper((unsigned char)m.ptr[at]) && m.ptr[at + 1] &&
        islower((unsigned char)m.ptr[at + 1]))
        m.ptr[at] = (char)tolower((unsigned char)m.ptr[at]);
    return bt_buf_detach(&m);
}

/* Would the merged or split sentences of bead kind r be sentences? */
static int pieces_ok(const unit *a, const unit *b, double r)
{
    char *p[4] = {0};
    int ok = 1;
    if (r >= 0.98) {
        split2(b->vi, &p[0], &p[1]);
        split2(a->en, &p[2], &p[3]);
        char *m1 = merge2(a->vi, p[0]), *m2 = merge2(p[3], b->en);
        ok = one_sentence(m1) && one_sentence(m2) && one_sentence(p[1]) &&
             one_sentence(p[2]);
        free(m1);
        free(m2);
    } else {
        const char *x = r < 0.95 ? a->en : a->vi, *y = r < 0.95 ? b->en : b->vi;
        const char *whole = r < 0.95 ? a->vi : a->en;
        p[2] = merge2(x, y);
        split2(whole, &p[0], &p[1]);
        ok = one_sentence(p[2]) && one_sentence(p[0]) && one_sentence(p[1]);
    }
    for (int k = 0; k < 4; k++) free(p[k]);
    return ok;
}

typedef struct out_side {
    FILE *f;
    bt_buf line;
    size_t nsent;   /* sentences on the current line */
    size_t total;
} out_side;

static void side_break(out_side *o)
{
    if (!o->nsent) return;
    fprintf(o->f, "%s\n\n", o->line.ptr);
    bt_buf_reset(&o->line);
    o->nsent = 0;
}

/* Add a sentence to the current paragraph, or start a new one when the
 * segmenter would not see it as a sentence of its own there. */
static void side_add(out_side *o, const char *s)
{
    if (o->nsent) {
        size_t at = o->line.len;
        bt_buf_addc(&o->line, ' ');
        bt_buf_adds(&o->line, s);
        size_t sp[2 * 64];
        size_t k = bt_sentences(o->line.ptr, o->line.len, sp, 64);
        if (k != o->nsent + 1 || o->nsent >= 6) {
            o->line.len = at;
            o->line.ptr[at] = 0;
            side_break(o);
        } else {
            o->nsent++;
            o->total++;
            return;
        }
    }
    bt_buf_adds(&o->line, s);
    o->nsent = 1;
    o->total++;
}

static int cmd_gen(int argc, char **argv)
{
    if (argc != 6) die("usage: gen_pairs gen PO N SEED OUT", NULL);
    size_t nu;
    unit *u = read_po(argv[2], &nu);
    if (nu < 100) die("too few usable messages in", argv[2]);
    size_t want = (size_t)strtoul(argv[3], NULL, 10);
    rng ^= strtoull(argv[4], NULL, 10) * 0x9e3779b97f4a7c15ULL;
    for (int k = 0; k < 10; k++) rnd();
    char path[4096];
    out_side vo = {0}, eo = {0};
    bt_buf_init(&vo.line);
    bt_buf_init(&eo.line);
    snprintf(path, sizeof path, "%s.vi.txt", argv[5]);
    if (!(vo.f = fopen(path, "w"))) die("cannot write", path);
    snprintf(path, sizeof path, "%s.en.txt", argv[5]);
    if (!(eo.f = fopen(path, "w"))) die("cannot write", path);
    snprintf(path, sizeof path, "%s.gold", argv[5]);
    FILE *gold = fopen(path, "w");
    if (!gold) die("cannot write", path);
    size_t kinds[6] = {0};
    while (vo.total < want && eo.total < want) {
        /* paragraph breaks before the bead */
        if (frand() < 0.35) {
            side_break(&vo);
            if (frand() < 0.85) side_break(&eo);
        } else if (frand() < 0.05) {
            side_break(&eo);
        }
        const unit *a = &u[rnd() % nu], *b = &u[rnd() % nu];
        double r = frand();
        char *x = NULL, *y = NULL, *z = NULL, *t = NULL;
        /* merges and splits must still be sentences of their own */
        if (r >= 0.92 && !pieces_ok(a, b, r)) r = 0;
        if (r < 0.86) {
            side_add(&vo, a->vi);
            side_add(&eo, a->en);
            fprintf(gold, "1 1\n");
            kinds[0]++;
        } else if (r < 0.89) {
            side_add(&vo, a->vi);
            fprintf(gold, "1 0\n");
            kinds[1]++;
        } else if (r < 0.92) {
            side_add(&eo, a->en);
            fprintf(gold, "0 1\n");
            kinds[2]++;
        } else if (r < 0.95) {
            /* 2-1: merged in English, or split in Vietnamese */
            if (frand() < 0.5) {
                side_add(&vo, a->vi);
                side_add(&vo, b->vi);
                side_add(&eo, x = merge2(a->en, b->en));
            } else {
                split2(a->vi, &x, &y);
                side_add(&vo, x);
                side_add(&vo, y);
                side_add(&eo, a->en);
            }
            fprintf(gold, "2 1\n");
            kinds[3]++;
        } else if (r < 0.98) {
            if (frand() < 0.5) {
                side_add(&vo, x = merge2(a->vi, b->vi));
                side_add(&eo, a->en);
                side_add(&eo, b->en);
            } else {
                split2(a->en, &x, &y);
                side_add(&vo, a->vi);
                side_add(&eo, x);
                side_add(&eo, y);
            }
            fprintf(gold, "1 2\n");
            kinds[4]++;
        } else {
            /* 2-2: VI [A; B1] [B2], EN [A1] [A2; B] */
            char *b1, *b2, *a1, *a2;
            split2(b->vi, &b1, &b2);
            split2(a->en, &a1, &a2);
            side_add(&vo, x = merge2(a->vi, b1));
            side_add(&vo, b2);
            side_add(&eo, a1);
            side_add(&eo, z = merge2(a2, b->en));
            free(b1);
            free(b2);
            free(a1);
            free(a2);
            fprintf(gold, "2 2\n");
            kinds[5]++;
        }
        free(x);
        free(y);
        free(z);
        free(t);
    }
    side_break(&vo);
    side_break(&eo);
    fclose(vo.f);
    fclose(eo.f);
    fclose(gold);
    fprintf(stderr, "gen_pairs: %zu usable messages; %zu vi, %zu en sentences; "
            "beads 1-1 %zu, 1-0 %zu, 0-1 %zu, 2-1 %zu, 1-2 %zu, 2-2 %zu\n",
            nu, vo.total, eo.total, kinds[0], kinds[1], kinds[2], kinds[3],
            kinds[4], kinds[5]);
    bt_buf_free(&vo.line);
    bt_buf_free(&eo.line);
    for (size_t k = 0; k < nu; k++) {
        free(u[k].vi);
        free(u[k].en);
    }
    free(u);
    return 0;
}

/* ---- scoring --------------------------------------------------------- */

typedef struct sents {
    char **s;
    size_t n, cap;
} sents;

/* The sentences of a document as bt_align_texts sees them. */
static void doc_sentences(const bt_doc *d, sents *out)
{
    size_t sp[2 * 256];
    for (size_t k = 0; k < d->nlines; k++) {
        const bt_line *l = &d->lines[k];
        if (l->lang == BT_LANG_JUNK || l->lang == BT_LANG_BLANK) continue;
        size_t n = bt_sentences(l->text, l->len, sp, 256);
        if (n > 256) die("too many sentences on a line", NULL);
        for (size_t q = 0; q < n; q++) {
            BT_GROW(out->s, out->cap, out->n + 1);
            out->s[out->n++] = bt_xstrndup(l->text + sp[2 * q], sp[2 * q + 1] - sp[2 * q]);
        }
    }
}

/* How many sentences from *cur make up text; advances *cur. -1 if none. */
static int consume(const sents *s, size_t *cur, const char *text)
{
    if (!text) return 0;
    bt_buf b;
    bt_buf_init(&b);
    for (int k = 1; k <= 4 && *cur + (size_t)k <= s->n; k++) {
        if (k > 1) bt_buf_addc(&b, ' ');
        bt_buf_adds(&b, s->s[*cur + (size_t)k - 1]);
        if (!strcmp(b.ptr, text)) {
            *cur += (size_t)k;
            bt_buf_free(&b);
            return k;
        }
    }
    bt_buf_free(&b);
    return -1;
}

typedef struct bead {
    long vi, en; /* first sentence, -1 when the side is empty */
    int nv, ne;
} bead;

static int bead_cmp(const void *a, const void *b)
{
    const bead *x = a, *y = b;
    if (x->vi != y->vi) return x->vi < y->vi ? -1 : 1;
    if (x->en != y->en) return x->en < y->en ? -1 : 1;
    if (x->nv != y->nv) return x->nv - y->nv;
    return x->ne - y->ne;
}

static const char *const status_names[] = {"accepted", "partial",
                                            "mismatch", "unpaired"};

static void free_result(bt_align_result *r)
{
    for (size_t k = 0; k < r->npairs; k++) {
        free(r->pairs[k].vi);
        free(r->pairs[k].en);
    }
    free(r->pairs);
}

static int cmd_run(int argc, char **argv)
{
    if (argc < 5) die("usage: gen_pairs run VI EN GOLD [--no-learn]", NULL);
    struct timespec t0, t1, t2;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bt_doc *vd, *ed;
    if (bt_doc_read(argv[2], NULL, NULL, NULL, &vd) != BT_OK) die("cannot read", argv[2]);
    if (bt_doc_read(argv[3], NULL, NULL, NULL, &ed) != BT_OK) die("cannot read", argv[3]);
    bt_bead_stats st;
    bt_bead_opts opts = {0};
    opts.stats = &st;
    for (int k = 5; k < argc; k++)
        if (!strcmp(argv[k], "--no-learn")) opts.no_learn = 1;
        else if (!strcmp(argv[k], "--no-anchors")) opts.no_anchors = 1;
    bt_align_result res;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    bt_align_texts(bt_lexicon_default(), vd, ed, &opts, &res);
    clock_gettime(CLOCK_MONOTONIC, &t2);

    sents vs = {0}, es = {0};
    doc_sentences(vd, &vs);
    doc_sentences(ed, &es);
    /* gold beads */
    FILE *g = fopen(argv[4], "r");
    if (!g) die("cannot open", argv[4]);
    bead *gold = NULL;
    size_t ng = 0, gcap = 0;
    long ci = 0, cj = 0;
    int nv, ne;
    while (fscanf(g, "%d %d", &nv, &ne) == 2) {
        BT_GROW(gold, gcap, ng + 1);
        gold[ng].vi = nv ? ci : -1;
        gold[ng].en = ne ? cj : -1;
        gold[ng].nv = nv;
        gold[ng].ne = ne;
        ci += nv;
        cj += ne;
        ng++;
    }
    fclose(g);
    if ((size_t)ci != vs.n || (size_t)cj != es.n) {
        fprintf(stderr, "gen_pairs: gold has %ld/%ld sentences, documents %zu/%zu\n",
                ci, cj, vs.n, es.n);
        exit(1);
    }
    bead *pred = bt_xcalloc(res.npairs + 1, sizeof *pred);
    size_t np = 0, vcur = 0, ecur = 0, accepted = 0, acc_ok = 0;
    for (size_t k = 0; k < res.npairs; k++) {
        const bt_pair *p = &res.pairs[k];
        long vi0 = (long)vcur, en0 = (long)ecur;
        int a = consume(&vs, &vcur, p->vi), b = consume(&es, &ecur, p->en);
        if (a < 0 || b < 0) {
            fprintf(stderr, "gen_pairs: pair %zu does not match the sentences\n", k);
            exit(1);
        }
        pred[np].vi = a ? vi0 : -1;
        pred[np].en = b ? en0 : -1;
        pred[np].nv = a;
        pred[np].ne = b;
        np++;
    }
    qsort(gold, ng, sizeof *gold, bead_cmp);
    size_t ok = 0, gold11 = 0, mem_ok = 0, found11 = 0, mism11 = 0;
    for (size_t k = 0; k < ng; k++) gold11 += gold[k].nv == 1 && gold[k].ne == 1;
    for (size_t k = 0; k < np; k++) {
        int hit = bsearch(&pred[k], gold, ng, sizeof *gold, bead_cmp) != NULL;
        int one = pred[k].nv == 1 && pred[k].ne == 1;
        ok += (size_t)hit;
        if (res.pairs[k].status == BT_PAIR_ACCEPTED) {
            accepted++;
            acc_ok += (size_t)hit;
            mem_ok += (size_t)(hit && one);
        }
        if (hit && one) {
            found11++;
            mism11 += res.pairs[k].status == BT_PAIR_MISMATCH;
        }
    }
    /* the memory: accepted pairs against the true 1-1 pairs (merged
     * sentences are partial units, kept apart) */
    double mp = accepted ? (double)mem_ok / (double)accepted : 0;
    double mr = gold11 ? (double)mem_ok / (double)gold11 : 0;
    /* recall by kind of gold bead */
    size_t kind_n[3][3] = {{0}}, kind_ok[3][3] = {{0}};
    bead *sorted = bt_xmalloc((np + 1) * sizeof *sorted);
    memcpy(sorted, pred, np * sizeof *pred);
    qsort(sorted, np, sizeof *sorted, bead_cmp);
    for (size_t k = 0; k < ng; k++) {
        kind_n[gold[k].nv][gold[k].ne]++;
        if (bsearch(&gold[k], sorted, np, sizeof *sorted, bead_cmp))
            kind_ok[gold[k].nv][gold[k].ne]++;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double p = np ? (double)ok / (double)np : 0, r = ng ? (double)ok / (double)ng : 0;
    double f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
    double talign = (double)(t2.tv_sec - t1.tv_sec) + (double)(t2.tv_nsec - t1.tv_nsec) / 1e9;
    double ttotal = (double)(t2.tv_sec - t0.tv_sec) + (double)(t2.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%7zu %7zu  P %.4f R %.4f F1 %.4f  memory P %.4f R %.4f F1 %.4f, "
           "true 1-1 called mismatch %.1f%%  accepted %.1f%% (P %.4f)  "
           "align %.2f s  total %.2f s  rss %.1f MB  cells %zu (%.0f/sent, "
           "largest run %.0f/sent)  "
           "ratio %.2f var %.1f table %zu/%zu runs %zu%s\n",
           vs.n, es.n, p, r, f1, mp, mr, mp + mr > 0 ? 2 * mp * mr / (mp + mr) : 0,
           found11 ? 100.0 * (double)mism11 / (double)found11 : 0, np ? 100.0 * (double)accepted / (double)np : 0,
           accepted ? (double)acc_ok / (double)accepted : 0, talign, ttotal,
           (double)ru.ru_maxrss / 1024.0, st.cells,
           (double)st.cells / (double)(vs.n + es.n + 1),
           (double)st.max_cells / (double)(vs.n + es.n + 1), st.ratio, st.var,
           st.table_pairs, st.table_size, st.dp_runs, st.anchored ? " anchored" : "");
    if (getenv("GEN_PAIRS_KINDS")) {
        static const int kk[6][2] = {{1, 1}, {1, 0}, {0, 1}, {2, 1}, {1, 2}, {2, 2}};
        printf("        recall by kind:");
        for (int k = 0; k < 6; k++) {
            size_t a = kind_n[kk[k][0]][kk[k][1]], b = kind_ok[kk[k][0]][kk[k][1]];
            printf(" %d-%d %.3f (%zu)", kk[k][0], kk[k][1], a ? (double)b / (double)a : 0, a);
        }
        printf("\n");
    }
    if (getenv("GEN_PAIRS_ERRORS")) {
        /* the beads that are wrong, for tuning */
        for (size_t k = 0; k < np; k++)
            if (!bsearch(&pred[k], gold, ng, sizeof *gold, bead_cmp))
                fprintf(stderr, "wrong %zu: %ld+%d %ld+%d %.2f %s\n  vi: %s\n  en: %s\n",
                        k, pred[k].vi, pred[k].nv, pred[k].en, pred[k].ne,
                        res.pairs[k].score, status_names[res.pairs[k].status],
                        res.pairs[k].vi ? res.pairs[k].vi : "-",
                        res.pairs[k].en ? res.pairs[k].en : "-");
    }
    free_result(&res);
    for (size_t k = 0; k < vs.n; k++) free(vs.s[k]);
    for (size_t k = 0; k < es.n; k++) free(es.s[k]);
    free(vs.s);
    free(es.s);
    free(gold);
    free(pred);
    free(sorted);
    bt_doc_free(vd);
    bt_doc_free(ed);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "gen")) return cmd_gen(argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "run")) return cmd_run(argc, argv);
    fprintf(stderr, "usage: gen_pairs gen PO N SEED OUT | run VI EN GOLD [--no-learn]\n");
    return 2;
}
