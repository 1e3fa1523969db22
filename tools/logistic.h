/* logistic.h - logistic regression for the judge's fitting tools
 * (fit_judge.c, fit_sentences.c): examples, Newton's method with a small
 * ridge penalty on every weight but the bias (no weight is driven to
 * infinity by an input that happens to separate the examples), and the
 * figures of a fit. Deterministic: the same examples give the same
 * weights. A header of static functions, as each tool is one file. */
#ifndef BT_TOOLS_LOGISTIC_H
#define BT_TOOLS_LOGISTIC_H

#include "../base/base.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOGIT_MAX 24   /* inputs of a model, the bias first */
#define RIDGE 1.0

typedef struct example { double x[LOGIT_MAX]; int y; } example;
typedef struct examples { example *v; size_t n, cap; } examples;

static void examples_add(examples *s, const double *x, int dim, int y)
{
    BT_GROW(s->v, s->cap, s->n + 1);
    memset(s->v[s->n].x, 0, sizeof s->v[s->n].x);
    memcpy(s->v[s->n].x, x, (size_t)dim * sizeof *x);
    s->v[s->n++].y = y;
}

static double logit_p(const double *w, const double *x, int dim)
{
    double z = 0;
    for (int k = 0; k < dim; k++) z += w[k] * x[k];
    return 1 / (1 + exp(-z));
}

/* Solve a x = b (n x n, symmetric positive definite) by Cholesky. */
static void logit_solve(double *a, double *b, int n)
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

static void logit_fit(const examples *s, double *w, int dim)
{
    memset(w, 0, (size_t)dim * sizeof *w);
    for (int it = 0; it < 50; it++) {
        double g[LOGIT_MAX] = {0}, h[LOGIT_MAX * LOGIT_MAX] = {0};
        for (size_t i = 0; i < s->n; i++) {
            const double *x = s->v[i].x;
            double p = logit_p(w, x, dim), r = p * (1 - p);
            for (int k = 0; k < dim; k++) {
                g[k] += (p - s->v[i].y) * x[k];
                for (int m = 0; m <= k; m++) h[k * dim + m] += r * x[k] * x[m];
            }
        }
        for (int k = 1; k < dim; k++) { g[k] += RIDGE * w[k]; h[k * dim + k] += RIDGE; }
        h[0] += 1e-9;
        for (int k = 0; k < dim; k++)
            for (int m = k + 1; m < dim; m++) h[k * dim + m] = h[m * dim + k];
        logit_solve(h, g, dim);
        double step = 0;
        for (int k = 0; k < dim; k++) { w[k] -= g[k]; step += fabs(g[k]); }
        if (step < 1e-9) break;
    }
}

/* Log loss, accuracy and the expected calibration error (per tenth). */
static void logit_report(const char *what, const examples *s, const double *w, int dim)
{
    double loss = 0, bc[10] = {0}, ece = 0;
    size_t right = 0, pos = 0, bn[10] = {0}, bt[10] = {0};
    for (size_t i = 0; i < s->n; i++) {
        double p = logit_p(w, s->v[i].x, dim);
        int y = s->v[i].y;
        loss -= y ? log(p > 1e-12 ? p : 1e-12) : log(1 - p > 1e-12 ? 1 - p : 1e-12);
        right += (p >= 0.5) == y;
        pos += (size_t)y;
        int b = p >= 1 ? 9 : (int)(p * 10);
        bn[b]++; bt[b] += (size_t)y; bc[b] += p;
    }
    for (int b = 0; b < 10; b++)
        if (bn[b])
            ece += (double)bn[b] / (double)s->n *
                   fabs(bc[b] / (double)bn[b] - (double)bt[b] / (double)bn[b]);
    double n = s->n ? (double)s->n : 1;
    fprintf(stderr, "%s: %zu examples (%zu true), log loss %.4f, accuracy %.3f, ECE %.3f\n",
            what, s->n, pos, loss / n, (double)right / n, ece);
}

/* Weights as the tools write them: name<TAB>weight, # comments. */
static void logit_read_weights(const char *file, const char *const *names, double *w, int dim)
{
    FILE *f = fopen(file, "r");
    if (!f) { perror(file); exit(2); }
    memset(w, 0, (size_t)dim * sizeof *w);
    char line[256], name[64];
    double v;
    while (fgets(line, sizeof line, f))
        if (line[0] != '#' && sscanf(line, "%63s %lf", name, &v) == 2)
            for (int k = 0; k < dim; k++)
                if (!strcmp(name, names[k])) w[k] = v;
    fclose(f);
}

static char *logit_slurp(const char *file)
{
    FILE *f = fopen(file, "rb");
    if (!f) { perror(file); exit(2); }
    bt_buf b;
    bt_buf_init(&b);
    char tmp[8192];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) bt_buf_add(&b, tmp, n);
    fclose(f);
    return bt_buf_detach(&b);
}

/* One labelled pair of an article: a line "VI_LINE EN_LINE STATUS
 * [credit]" of NAME.expect or of a case's "--- expect" part (lines from 1;
 * status is the first letter of accepted, partial, mismatch, ...). */
typedef struct label { unsigned long v, e; char status; int credit; } label;

/* The labels of text, which is split at its newlines; lines that are not
 * labels are skipped. *n is their count. */
static label *labels_read(char *text, size_t *n)
{
    label *lb = NULL;
    size_t cap = 0;
    *n = 0;
    for (char *l = strtok(text, "\n"); l; l = strtok(NULL, "\n")) {
        unsigned long v, e;
        char st[32], cr[32] = "";
        if (sscanf(l, "%lu %lu %31s %31s", &v, &e, st, cr) < 3 || !v || !e) continue;
        BT_GROW(lb, cap, *n + 1);
        lb[(*n)++] = (label){ v, e, st[0], !strcmp(cr, "credit") };
    }
    return lb;
}

/* The first label of the pair (v, e), or NULL. */
static const label *labels_find(const label *lb, size_t n, unsigned long v, unsigned long e)
{
    for (size_t i = 0; i < n; i++)
        if (lb[i].v == v && lb[i].e == e) return &lb[i];
    return NULL;
}

/* The tools' command line: [-o FILE | -e FILE] DIR...; the index of the
 * first DIR, or -1 after printing the usage line. */
static int logit_args(int argc, char **argv, const char *tool, const char **out,
                      const char **eval)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc) *out = argv[++i];
        else if (!strcmp(argv[i], "-e") && i + 1 < argc) *eval = argv[++i];
        else break;
    }
    if (i == argc || argv[i][0] == '-') {
        fprintf(stderr, "usage: %s [-o FILE | -e FILE] DIR...\n", tool);
        return -1;
    }
    return i;
}

#endif
