/* fit_judge.c - fit the caption judge's weights (data/judge.tsv) on
 * labelled articles, so that its score is an estimated probability that a
 * pair is a true translation.
 *
 *   fit_judge [-o FILE] DIR...   fit on every DIR/NAME.case and every
 *                                whole article DIR/NAME.expect, write weights
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
 * A whole article (NAME.vi.txt, NAME.en.txt, NAME.expect) gives sentences
 * as a bilingual page shows them, longer than captions: each pair labelled
 * accepted, and each Vietnamese sentence against the English of the pair
 * before and after it as a wrong one.
 *
 * The model is logistic regression on cap_judge_inputs (logistic.h). */
#include "../align/caption_int.h"
#include "logistic.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BEFORE 2
#define AFTER 4

static examples ex;

/* The articles again, for the second stage: each page with its labels. */
typedef struct page { bt_doc *doc; label *lb; size_t nlb; } page;
static page *pages;
static size_t npages, cappages;

static void keep_page(bt_doc *doc, label *lb, size_t nlb)
{
    BT_GROW(pages, cappages, npages + 1);
    pages[npages++] = (page){ doc, lb, nlb };
}

static void add_example(const pair_features *f, int y)
{
    double x[JF_COUNT];
    cap_judge_inputs(f, x);
    examples_add(&ex, x, JF_COUNT, y);
}

/* The examples of one article. */
static void read_case(const char *path)
{
    char *text = logit_slurp(path);
    char *in = strstr(text, "--- input\n"), *exp = strstr(text, "--- expect\n");
    if (!in || !exp) { fprintf(stderr, "%s: not a case\n", path); free(text); return; }
    in += strlen("--- input\n");
    *exp = '\0';
    exp += strlen("--- expect\n");
    size_t nlb = 0, all;
    label *lb = labels_read(exp, &all);
    for (size_t k = 0; k < all; k++) /* credits are judged by another rule */
        if (!lb[k].credit) lb[nlb++] = lb[k];
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
            const label *l = labels_find(lb, nlb, vl, el);
            int y = l && l->status == 'a';
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
    keep_page(doc, lb, nlb);
    free(text);
}

/* Line n (from 1) of text, or NULL; *len its length. */
static const char *line_at(const char *text, unsigned long n, size_t *len)
{
    for (unsigned long k = 1; k < n && text; k++) {
        text = strchr(text, '\n');
        if (text) text++;
    }
    if (!text || !*text) return NULL;
    const char *nl = strchr(text, '\n');
    *len = nl ? (size_t)(nl - text) : strlen(text);
    return text;
}

static void add_text_pair(const char *vi, size_t vl, const char *en, size_t el, int y)
{
    char *v = bt_xstrndup(vi, vl), *e = bt_xstrndup(en, el);
    double x[JF_COUNT];
    judge_text_inputs(bt_lexicon_default(), v, e, x);
    examples_add(&ex, x, JF_COUNT, y);
    free(v);
    free(e);
}

/* The sentence pairs of a whole article (NAME.vi.txt, NAME.en.txt,
 * NAME.expect), as the caption judge would weigh them on a bilingual page:
 * each pair labelled accepted is a true one, and the Vietnamese of each
 * against the English of the next and of the one before are not. */
static void read_article(const char *dir, const char *name)
{
    char fname[4096];
    snprintf(fname, sizeof fname, "%s/%s.expect", dir, name);
    char *exp = logit_slurp(fname);
    snprintf(fname, sizeof fname, "%s/%s.vi.txt", dir, name);
    char *vi = logit_slurp(fname);
    snprintf(fname, sizeof fname, "%s/%s.en.txt", dir, name);
    char *en = logit_slurp(fname);
    size_t nlb = 0, all;
    label *lb = labels_read(exp, &all);
    for (size_t k = 0; k < all; k++)
        if (lb[k].status == 'a') lb[nlb++] = lb[k];
    /* and as a bilingual page shows them: each sentence, its English on
     * the next line, a blank line between pairs */
    bt_buf pg;
    bt_buf_init(&pg);
    label *plb = bt_xcalloc(nlb + 1, sizeof *plb);
    size_t np = 0;
    unsigned long line = 1;
    for (size_t k = 0; k < nlb; k++) {
        size_t vl, el;
        const char *v = line_at(vi, lb[k].v, &vl), *e = line_at(en, lb[k].e, &el);
        if (!v || !e) continue;
        bt_buf_add(&pg, v, vl);
        bt_buf_addc(&pg, '\n');
        bt_buf_add(&pg, e, el);
        bt_buf_adds(&pg, "\n\n");
        plb[np++] = (label){ line, line + 1, 'a', 0 };
        line += 3;
    }
    bt_doc *doc = NULL;
    if (np && bt_doc_from_buffer(name, pg.ptr, pg.len, NULL, NULL, NULL, &doc) == BT_OK)
        keep_page(doc, plb, np);
    else
        free(plb);
    bt_buf_free(&pg);
    for (size_t k = 0; k < nlb; k++) {
        size_t vl, el;
        const char *v = line_at(vi, lb[k].v, &vl), *e = line_at(en, lb[k].e, &el);
        if (!v || !e) continue;
        add_text_pair(v, vl, e, el, 1);
        for (int d = -1; d <= 1; d += 2) {
            if ((d < 0 && k == 0) || (d > 0 && k + 1 == nlb)) continue;
            const char *o = line_at(en, lb[k + (size_t)d].e, &el);
            if (o && lb[k + (size_t)d].e != lb[k].e) add_text_pair(v, vl, o, el, 0);
        }
    }
    free(lb);
    free(exp);
    free(vi);
    free(en);
}

static void read_dir(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0) { perror(dir); exit(2); }
    for (int i = 0; i < n; i++) {
        size_t l = strlen(names[i]->d_name);
        if (l > 7 && !strcmp(names[i]->d_name + l - 7, ".expect")) {
            names[i]->d_name[l - 7] = '\0';
            read_article(dir, names[i]->d_name);
        } else if (l > 5 && !strcmp(names[i]->d_name + l - 5, ".case")) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
            read_case(path);
        }
        free(names[i]);
    }
    free(names);
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

/* A pair's own probability by the first stage's weights w. */
static double own_probability(const bt_lexicon *lex, const char *vi, const char *en,
                              const double *w)
{
    seg g[2];
    side sd[2];
    pair_features f;
    double x[JF_COUNT];
    cap_pair_sides(lex, vi, en, g, sd);
    cap_weigh(lex, &sd[0], &sd[1], &f);
    cap_pair_sides_free(g, sd);
    cap_judge_inputs(&f, x);
    double p = logit_p(w, x, JF_COUNT);
    cap_status(&f, &p);
    return p;
}

static void add_stretch(examples *st, double own, double before, double after, int y)
{
    double s[ST_COUNT];
    sent_stretch_inputs(own, before, after, s);
    examples_add(st, s, ST_COUNT, y);
}

/* The second stage's examples: every pair the aligner makes of each page,
 * its own probability by the first stage's weights w, in its stretch
 * (pairs labelled partial say nothing of the judge and are left out); and
 * the stretch shifted by one place, each caption against the English of
 * the next pair, as a pairing gone wrong. */
static void stretch_examples(const double *w, examples *st)
{
    const bt_lexicon *lex = bt_lexicon_default();
    for (size_t q = 0; q < npages; q++) {
        const page *pg = &pages[q];
        bt_align_result out;
        bt_align_doc(lex, pg->doc, NULL, &out);
        size_t n = out.npairs;
        double *own = bt_xcalloc(n + 1, sizeof *own), *shift = bt_xcalloc(n + 1, sizeof *shift);
        long *next = bt_xcalloc(n + 1, sizeof *next);
        for (size_t k = 0; k < n; k++) {
            const bt_pair *p = &out.pairs[k];
            own[k] = shift[k] = -1;
            if (p->is_credit || !p->vi || !p->en) continue;
            own[k] = own_probability(lex, p->vi, p->en, w);
        }
        for (size_t k = 0; k < n; k++) {
            next[k] = own[k] < 0 ? -1 : cap_stretch_neighbour(&out, k, 1);
            if (next[k] < 0) continue;
            const bt_pair *p = &out.pairs[k], *o = &out.pairs[next[k]];
            const label *l = labels_find(pg->lb, pg->nlb, p->vi_line, o->en_line);
            if (!l || l->status != 'a') shift[k] = own_probability(lex, p->vi, o->en, w);
        }
        for (size_t k = 0; k < n; k++) {
            if (own[k] < 0) continue;
            const bt_pair *p = &out.pairs[k];
            const label *l = labels_find(pg->lb, pg->nlb, p->vi_line, p->en_line);
            long b = cap_stretch_neighbour(&out, k, -1);
            if (!l || l->status != 'p')
                add_stretch(st, own[k], b >= 0 ? own[b] : -1, next[k] >= 0 ? own[next[k]] : -1,
                            l && l->status == 'a');
            if (shift[k] >= 0)
                add_stretch(st, shift[k], b >= 0 ? shift[b] : -1,
                            next[k] >= 0 ? shift[next[k]] : -1, 0);
        }
        free(own);
        free(shift);
        free(next);
        bt_align_result_free(&out);
    }
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "-x")) return explain(argv[2], argv[3]);
    const char *out = NULL, *eval = NULL;
    int i = logit_args(argc, argv, "fit_judge", &out, &eval);
    if (i < 0) return 2;
    for (int d = i; d < argc; d++) read_dir(argv[d]);
    double w[JF_COUNT];
    if (eval) {
        logit_read_weights(eval, cap_judge_feature_names, w, JF_COUNT);
        logit_report("fit_judge", &ex, w, JF_COUNT);
        return 0;
    }
    logit_fit(&ex, w, JF_COUNT);
    logit_report("fit_judge own", &ex, w, JF_COUNT);
    examples st = {0};
    double v[ST_COUNT];
    stretch_examples(w, &st);
    logit_fit(&st, v, ST_COUNT);
    logit_report("fit_judge stretch", &st, v, ST_COUNT);
    FILE *f = out ? fopen(out, "w") : stdout;
    if (!f) { perror(out); return 2; }
    fprintf(f, "# The caption judge's weights: a logistic model of the probability that a\n"
               "# pair is a true translation, fitted by tools/fit_judge.c (make fit-judge)\n"
               "# on %zu candidate pairs (%s", ex.n, argv[i]);
    for (int d = i + 1; d < argc; d++) fprintf(f, ", %s", argv[d]);
    fprintf(f, "): first what a pair says, then the stretch of the page it stands in\n"
               "# (its pairs at most %d lines apart). Generated: do not edit by hand.\n"
               "# input<TAB>weight\n", STRETCH_LINES);
    for (int k = 0; k < JF_COUNT; k++) fprintf(f, "%s\t%.6f\n", cap_judge_feature_names[k], w[k]);
    for (int k = 0; k < ST_COUNT; k++) fprintf(f, "%s\t%.6f\n", sent_stretch_feature_names[k], v[k]);
    if (out && fclose(f)) { perror(out); return 2; }
    return 0;
}
