/* fit_judge.c - fit the caption judge's weights (data/judge.tsv) on
 * labelled articles, so that its score is an estimated probability that a
 * pair is a true translation.
 *
 *   fit_judge [-o FILE] DIR...   fit on every DIR/NAME.case, write weights
 *   fit_judge -e FILE DIR...     how weights FILE do on those examples
 *   fit_judge -x VI EN           the compiled-in judge's reasons for one pair
 *
 * A .case holds an article ("--- input") and its labelled pairs ("---
 * expect": VI_LINE EN_LINE STATUS [credit]). The examples are what the
 * judge is asked: every caption segment against every English segment
 * within the aligner's reach (two lines before, four after), weighed as the
 * aligner weighs them (cap_weigh). A pair labelled accepted is a true one;
 * every other pair, labelled or not, is not: the neighbours and other
 * captions of an article are the negatives. When a line holds several
 * Vietnamese sentences, the one that shares most with the English is taken
 * as the true side and the others are left out.
 *
 * The model is logistic regression on cap_judge_inputs, fitted by Newton's
 * method with a small ridge penalty (no weight is driven to infinity by a
 * feature that happens to separate the examples). Deterministic: the same
 * files give the same weights. */
#include "../align/caption_int.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RIDGE 1.0
#define BEFORE 2
#define AFTER 4

typedef struct example { double x[JF_COUNT]; int y; } example;
static example *ex; static size_t nex, capex;

typedef struct label { unsigned long v, e; int accepted; } label;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    bt_buf b;
    bt_buf_init(&b);
    char tmp[8192];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) bt_buf_add(&b, tmp, n);
    fclose(f);
    return bt_buf_detach(&b);
}

static void add_example(const pair_features *f, int y)
{
    BT_GROW(ex, capex, nex + 1);
    cap_judge_inputs(f, ex[nex].x);
    ex[nex++].y = y;
}

static const label *find_label(const label *lb, size_t n, unsigned long v, unsigned long e)
{
    for (size_t i = 0; i < n; i++)
        if (lb[i].v == v && lb[i].e == e) return &lb[i];
    return NULL;
}

/* The examples of one article. */
static void read_case(const char *path)
{
    char *text = slurp(path);
    char *in = strstr(text, "--- input\n"), *exp = strstr(text, "--- expect\n");
    if (!in || !exp) { fprintf(stderr, "%s: not a case\n", path); free(text); return; }
    in += strlen("--- input\n");
    *exp = '\0';
    exp += strlen("--- expect\n");
    label *lb = NULL;
    size_t nlb = 0, caplb = 0;
    for (char *l = strtok(exp, "\n"); l; l = strtok(NULL, "\n")) {
        unsigned long v, e;
        char st[32], cr[32] = "";
        if (sscanf(l, "%lu %lu %31s %31s", &v, &e, st, cr) < 3 || !v || !e) continue;
        if (!strcmp(cr, "credit")) continue;
        BT_GROW(lb, caplb, nlb + 1);
        lb[nlb++] = (label){ v, e, !strcmp(st, "accepted") };
    }
    bt_doc *doc = NULL;
    if (bt_doc_from_buffer(path, in, strlen(in), NULL, NULL, NULL, &doc) != BT_OK) {
        fprintf(stderr, "%s: unreadable\n", path);
        exit(2);
    }
    cap_run r;
    cap_run_init(&r, NULL, doc, NULL);
    cap_segment(&r);
    cap_side_set_init(&r.ss, r.sg.n, 0); /* as cap_candidates would */
    segs *sg = &r.sg;
    for (size_t a = 0; a < sg->n; a++) {
        seg *v = &sg->v[a];
        if (v->lang != BT_LANG_VI || v->credit) continue;
        unsigned long vl = doc->lines[v->line].lineno;
        side sv;
        cap_side_init(&sv, r.lex, BT_LANG_VI, v);
        for (size_t b = 0; b < sg->n; b++) {
            seg *e = &sg->v[b];
            if (e->lang != BT_LANG_EN || e->credit) continue;
            unsigned long el = doc->lines[e->line].lineno;
            long d = (long)el - (long)vl;
            if (d < -BEFORE || d > AFTER) continue;
            side se;
            cap_side_init(&se, r.lex, BT_LANG_EN, e);
            pair_features f;
            cap_weigh(r.lex, &sv, &se, &f);
            const label *l = find_label(lb, nlb, vl, el);
            int y = l && l->accepted;
            /* several sentences on the line: only the best is the true side */
            if (y) {
                for (size_t o = 0; o < sg->n && y; o++) {
                    seg *w = &sg->v[o];
                    if (o == a || w->lang != BT_LANG_VI || w->credit || w->line != v->line) continue;
                    side sw;
                    pair_features g;
                    cap_side_init(&sw, r.lex, BT_LANG_VI, w);
                    cap_weigh(r.lex, &sw, &se, &g);
                    if (g.anchor > f.anchor || (g.anchor == f.anchor && o < a)) y = -1;
                    cap_side_free(&sw);
                }
            }
            if (y >= 0) add_example(&f, y);
            cap_side_free(&se);
        }
        cap_side_free(&sv);
    }
    cap_run_free(&r);
    bt_doc_free(doc);
    free(lb);
    free(text);
}

static void read_dir(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0) { perror(dir); exit(2); }
    for (int i = 0; i < n; i++) {
        size_t l = strlen(names[i]->d_name);
        if (l > 5 && !strcmp(names[i]->d_name + l - 5, ".case")) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
            read_case(path);
        }
        free(names[i]);
    }
    free(names);
}

static double sigmoid(double z) { return 1 / (1 + exp(-z)); }

/* Solve a x = b (n x n, symmetric positive definite) by Cholesky. */
static void solve(double *a, double *b, int n)
{
    for (int j = 0; j < n; j++) {
        double s = a[j * n + j];
        for (int k = 0; k < j; k++) s -= a[j * n + k] * a[j * n + k];
        a[j * n + j] = sqrt(s > 1e-12 ? s : 1e-12);
        for (int i = j + 1; i < n; i++) {
            double t = a[i * n + j];
            for (int k = 0; k < j; k++) t -= a[i * n + k] * a[j * n + k];
            a[i * n + j] = t / a[j * n + j];
        }
    }
    for (int i = 0; i < n; i++) {
        double t = b[i];
        for (int k = 0; k < i; k++) t -= a[i * n + k] * b[k];
        b[i] = t / a[i * n + i];
    }
    for (int i = n - 1; i >= 0; i--) {
        double t = b[i];
        for (int k = i + 1; k < n; k++) t -= a[k * n + i] * b[k];
        b[i] = t / a[i * n + i];
    }
}

static void fit(double w[JF_COUNT])
{
    enum { N = JF_COUNT };
    memset(w, 0, N * sizeof *w);
    for (int it = 0; it < 50; it++) {
        double g[N] = {0}, h[N * N] = {0};
        for (size_t i = 0; i < nex; i++) {
            double z = 0;
            for (int k = 0; k < N; k++) z += w[k] * ex[i].x[k];
            double p = sigmoid(z), r = p * (1 - p);
            for (int k = 0; k < N; k++) {
                g[k] += (p - ex[i].y) * ex[i].x[k];
                for (int m = 0; m <= k; m++) h[k * N + m] += r * ex[i].x[k] * ex[i].x[m];
            }
        }
        for (int k = 1; k < N; k++) { g[k] += RIDGE * w[k]; h[k * N + k] += RIDGE; }
        h[0] += 1e-9;
        for (int k = 0; k < N; k++)
            for (int m = k + 1; m < N; m++) h[k * N + m] = h[m * N + k];
        solve(h, g, N);
        double step = 0;
        for (int k = 0; k < N; k++) { w[k] -= g[k]; step += fabs(g[k]); }
        if (step < 1e-9) break;
    }
}

static void report(const double w[JF_COUNT])
{
    double loss = 0;
    size_t right = 0, pos = 0;
    size_t bn[10] = {0}, bt[10] = {0};
    double bc[10] = {0}, ece = 0;
    for (size_t i = 0; i < nex; i++) {
        double z = 0;
        for (int k = 0; k < JF_COUNT; k++) z += w[k] * ex[i].x[k];
        double p = sigmoid(z);
        loss -= ex[i].y ? log(p > 1e-12 ? p : 1e-12) : log(1 - p > 1e-12 ? 1 - p : 1e-12);
        right += (p >= 0.5) == ex[i].y;
        pos += (size_t)ex[i].y;
        int b = (int)(p * 10);
        if (b > 9) b = 9;
        bn[b]++; bt[b] += (size_t)ex[i].y; bc[b] += p;
    }
    for (int b = 0; b < 10; b++)
        if (bn[b]) ece += (double)bn[b] / (double)nex * fabs(bc[b] / (double)bn[b] - (double)bt[b] / (double)bn[b]);
    fprintf(stderr, "fit_judge: %zu examples (%zu true), log loss %.4f, accuracy %.3f, ECE %.3f\n",
            nex, pos, nex ? loss / (double)nex : 0, nex ? (double)right / (double)nex : 0, ece);
}

/* weights as fit() writes them: name<TAB>weight, # comments */
static void read_weights(const char *path, double w[JF_COUNT])
{
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); exit(2); }
    memset(w, 0, JF_COUNT * sizeof *w);
    char line[256], name[64];
    double v;
    while (fgets(line, sizeof line, f))
        if (line[0] != '#' && sscanf(line, "%63s %lf", name, &v) == 2)
            for (int k = 0; k < JF_COUNT; k++)
                if (!strcmp(name, cap_judge_feature_names[k])) w[k] = v;
    fclose(f);
}

/* Each input of the pair's judgement, and what each Vietnamese word was
 * taken for (0 unknown, 1 title, 2 name, 3 caption word, with its stems). */
static int explain(const char *vi, const char *en)
{
    const bt_lexicon *lex = bt_lexicon_default();
    seg g[2];
    side sd[2];
    cap_pair_sides(lex, vi, en, g, sd);
    pair_features f;
    cap_weigh(lex, &sd[0], &sd[1], &f);
    for (size_t i = 0; i < sd[0].t.n; i++)
        printf("  %-12s role %d %s\n", lex_tok(&sd[0].t, i), sd[0].role[i],
               sd[0].dict_n[i] && sd[0].dict_en[i] ? sd[0].dict_en[i] : "");
    double x[JF_COUNT], score;
    cap_judge_inputs(&f, x);
    for (int k = 0; k < JF_COUNT; k++) printf("%-20s %8.3f\n", cap_judge_feature_names[k], x[k]);
    bt_pair_status st = cap_judge(&f, &score);
    printf("probability %.3f, %s\n", score, bt_pair_status_name(st));
    cap_pair_sides_free(g, sd);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "-x")) return explain(argv[2], argv[3]);
    const char *out = NULL, *eval = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc) out = argv[++i];
        else if (!strcmp(argv[i], "-e") && i + 1 < argc) eval = argv[++i];
        else break;
    }
    if (i == argc || argv[i][0] == '-') {
        fprintf(stderr, "usage: fit_judge [-o FILE | -e FILE] DIR...\n");
        return 2;
    }
    for (int d = i; d < argc; d++) read_dir(argv[d]);
    double w[JF_COUNT];
    if (eval) {
        read_weights(eval, w);
        report(w);
        return 0;
    }
    fit(w);
    report(w);
    FILE *f = out ? fopen(out, "w") : stdout;
    if (!f) { perror(out); return 2; }
    fprintf(f, "# The caption judge's weights: a logistic model of the probability that a\n"
               "# pair is a true translation, fitted by tools/fit_judge.c (make fit-judge)\n"
               "# on %zu candidate pairs (%s", nex, argv[i]);
    for (int d = i + 1; d < argc; d++) fprintf(f, ", %s", argv[d]);
    fprintf(f, "). Generated: do not edit by hand.\n# feature<TAB>weight\n");
    for (int k = 0; k < JF_COUNT; k++) fprintf(f, "%s\t%.6f\n", cap_judge_feature_names[k], w[k]);
    if (out && fclose(f)) { perror(out); return 2; }
    return 0;
}
