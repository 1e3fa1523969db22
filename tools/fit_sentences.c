/* fit_sentences.c - fit the sentence judge's weights
 * (data/judge_sentences.tsv): whole-article mode's estimate of the
 * probability that a pair of sentences is a true translation.
 *
 *   fit_sentences [-o FILE] DIR...   fit on every DIR/NAME.expect, write weights
 *   fit_sentences -e FILE DIR...     how weights FILE do on those articles
 *
 * An article is NAME.vi.txt and NAME.en.txt with labels NAME.expect
 * (VI_LINE EN_LINE STATUS). The examples are what the judge is asked:
 * every pair of the aligner's path (bead_align_record), labelled true when
 * the labels call it accepted, false when they do not list it or call it
 * mismatch (pairs labelled partial say nothing of the judge and are left
 * out), and a generated wrong pair for every two 1-1 pairs in a row: the
 * Vietnamese of the first against the English of the second, standing in
 * their stretch of the path.
 *
 * The judge has two stages (align/judge_int.h), fitted in turn: its own
 * inputs (what the two texts say and what the alignment measured), then
 * the stretch inputs (the own log-odds of the pair and of its weaker
 * neighbour), which need the first stage's weights. */
#include "../align/bead_int.h"
#include "logistic.h"

#include <dirent.h>
#include <stdlib.h>

/* The examples of every article, with the stage-1 inputs kept for stage 2:
 * an entry's neighbours are entries of the same article. */
typedef struct entry { double x[SJ_COUNT]; long before, after; int y; } entry;
static entry *ent;
static size_t nent, capent;

static bt_doc *read_doc(const char *file)
{
    char *text = logit_slurp(file);
    bt_doc *doc = NULL;
    if (bt_doc_from_buffer(file, text, strlen(text), NULL, NULL, NULL, &doc) != BT_OK) {
        fprintf(stderr, "%s: unreadable\n", file);
        exit(2);
    }
    free(text);
    return doc;
}

static void read_article(const char *dir, const char *name)
{
    char fname[4096];
    snprintf(fname, sizeof fname, "%s/%s.expect", dir, name);
    char *exp = logit_slurp(fname);
    size_t nlb;
    label *lb = labels_read(exp, &nlb);
    free(exp);
    snprintf(fname, sizeof fname, "%s/%s.vi.txt", dir, name);
    bt_doc *vi = read_doc(fname);
    snprintf(fname, sizeof fname, "%s/%s.en.txt", dir, name);
    bt_doc *en = read_doc(fname);
    bt_align_result out;
    bead_record rec = {0};
    bead_align_record(bt_lexicon_default(), vi, en, NULL, &out, &rec);
    /* entries of this article: rec's indices shifted by the ones before */
    size_t base = nent;
    for (size_t k = 0; k < rec.n; k++) {
        const bead_judged *r = &rec.v[k];
        const label *l = labels_find(lb, nlb, r->vi_line, r->en_line);
        char st = l ? l->status : 0;
        BT_GROW(ent, capent, nent + 1);
        entry *e = &ent[nent++];
        memcpy(e->x, r->x, sizeof e->x);
        e->before = r->before >= 0 ? (long)base + r->before : -1;
        e->after = r->after >= 0 ? (long)base + r->after : -1;
        e->y = st == 'a' ? 1 : st == 'p' ? -1 : 0;
    }
    free(rec.v);
    free(rec.pair_at);
    bt_align_result_free(&out);
    bt_doc_free(vi);
    bt_doc_free(en);
    free(lb);
}

static void read_dir(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0) { perror(dir); exit(2); }
    for (int i = 0; i < n; i++) {
        char *d = names[i]->d_name;
        size_t l = strlen(d);
        if (l > 7 && !strcmp(d + l - 7, ".expect")) {
            d[l - 7] = '\0';
            read_article(dir, d);
        }
        free(names[i]);
    }
    free(names);
}

/* Stage 2's examples, from the stage-1 weights w. */
static void stretch_examples(const double *w, examples *st)
{
    double *p = bt_xmalloc((nent + 1) * sizeof *p);
    for (size_t i = 0; i < nent; i++) p[i] = logit_p(w, ent[i].x, SJ_COUNT);
    for (size_t i = 0; i < nent; i++) {
        if (ent[i].y < 0) continue;
        double s[ST_COUNT];
        sent_stretch_inputs(p[i], ent[i].before >= 0 ? p[ent[i].before] : -1,
                            ent[i].after >= 0 ? p[ent[i].after] : -1, s);
        examples_add(st, s, ST_COUNT, ent[i].y);
    }
    free(p);
}

int main(int argc, char **argv)
{
    const char *out = NULL, *eval = NULL;
    int i = logit_args(argc, argv, "fit_sentences", &out, &eval);
    if (i < 0) return 2;
    for (int d = i; d < argc; d++) read_dir(argv[d]);
    examples own = {0}, st = {0};
    for (size_t k = 0; k < nent; k++)
        if (ent[k].y >= 0) examples_add(&own, ent[k].x, SJ_COUNT, ent[k].y);
    double w[SJ_COUNT], v[ST_COUNT];
    if (eval) {
        logit_read_weights(eval, sent_judge_feature_names, w, SJ_COUNT);
        logit_read_weights(eval, sent_stretch_feature_names, v, ST_COUNT);
    } else
        logit_fit(&own, w, SJ_COUNT);
    logit_report("fit_sentences own", &own, w, SJ_COUNT);
    stretch_examples(w, &st);
    if (!eval) logit_fit(&st, v, ST_COUNT);
    logit_report("fit_sentences stretch", &st, v, ST_COUNT);
    if (eval) return 0;
    FILE *f = out ? fopen(out, "w") : stdout;
    if (!f) { perror(out); return 2; }
    fprintf(f, "# The sentence judge's weights (whole-article mode): a logistic model of\n"
               "# the probability that a pair is a true translation, fitted by\n"
               "# tools/fit_sentences.c (make fit-judge) on %zu pairs (%s", own.n, argv[i]);
    for (int d = i + 1; d < argc; d++) fprintf(f, ", %s", argv[d]);
    fprintf(f, "): first what the pair says, then the stretch it stands in.\n"
               "# Generated: do not edit by hand.\n# input<TAB>weight\n");
    for (int k = 0; k < SJ_COUNT; k++) fprintf(f, "%s\t%.6f\n", sent_judge_feature_names[k], w[k]);
    for (int k = 0; k < ST_COUNT; k++) fprintf(f, "%s\t%.6f\n", sent_stretch_feature_names[k], v[k]);
    if (out && fclose(f)) { perror(out); return 2; }
    return 0;
}
