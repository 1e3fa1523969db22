/* quality.c - how good the memory is, against labelled pairs.
 *
 *   quality NAME GOLD PAIRS.jsonl...
 *
 * GOLD has one labelled pair a line: FILE<TAB>VI_LINE<TAB>EN_LINE<TAB>
 * STATUS[<TAB>credit], STATUS what a perfect aligner would say (accepted,
 * partial, mismatch, unpaired; 0 for a missing side). FILE is the path as
 * pairs.jsonl writes it. Prints one line for the data set:
 *
 *   NAME  gold N  memory P R F1  true pairs called mismatch M%  ECE E
 *
 * where the memory is every accepted pair with both sides, a true pair is a
 * gold accepted one, and ECE is the expected calibration error of the
 * scores of every pair with both sides, read as the probability that the
 * pair is a true one (tenths). With -v, the reliability table follows. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct key { char *file; long vi, en; int credit; } key;
typedef struct gold { key k; int accepted; int hit; } gold;

static gold *golds; static size_t ngold, capgold;

static int same(const key *a, const key *b)
{
    return a->vi == b->vi && a->en == b->en && a->credit == b->credit &&
           !strcmp(a->file, b->file);
}

static gold *find(const key *k)
{
    for (size_t i = 0; i < ngold; i++)
        if (same(&golds[i].k, k)) return &golds[i];
    return NULL;
}

static void read_gold(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); exit(2); }
    char line[8192];
    while (fgets(line, sizeof line, f)) {
        char file[4096], st[32], cr[32] = "";
        long vi, en;
        if (line[0] == '#' ||
            sscanf(line, "%4095[^\t]\t%ld\t%ld\t%31s\t%31s", file, &vi, &en, st, cr) < 4)
            continue;
        if (ngold == capgold) {
            capgold = capgold ? capgold * 2 : 256;
            golds = realloc(golds, capgold * sizeof *golds);
            if (!golds) exit(2);
        }
        gold *g = &golds[ngold++];
        g->k = (key){ strdup(file), vi, en, !strcmp(cr, "credit") };
        g->accepted = !strcmp(st, "accepted") && vi && en;
        g->hit = 0;
    }
    fclose(f);
}

int main(int argc, char **argv)
{
    int verbose = argc > 1 && !strcmp(argv[1], "-v");
    if (verbose) { argc--; argv++; }
    if (argc < 3) {
        fprintf(stderr, "usage: quality [-v] NAME GOLD PAIRS.jsonl...\n");
        return 2;
    }
    read_gold(argv[2]);
    size_t tp = 0, fp = 0, called_mismatch = 0;
    size_t bin_n[10] = {0}, bin_true[10] = {0};
    double bin_conf[10] = {0};
    for (int a = 3; a < argc; a++) {
        FILE *f = fopen(argv[a], "r");
        if (!f) { perror(argv[a]); return 2; }
        char *line = NULL; size_t cap = 0;
        while (getline(&line, &cap, f) > 0) {
            json_error_t err;
            json_t *o = json_loads(line, 0, &err);
            if (!o) { fprintf(stderr, "%s: %s\n", argv[a], err.text); return 2; }
            key k = { (char *)json_string_value(json_object_get(o, "file")),
                      (long)json_integer_value(json_object_get(o, "vi_line")),
                      (long)json_integer_value(json_object_get(o, "en_line")),
                      json_is_true(json_object_get(o, "credit")) };
            const char *st = json_string_value(json_object_get(o, "status"));
            double score = json_number_value(json_object_get(o, "score"));
            if (k.file && st && k.vi && k.en) {
                gold *g = find(&k);
                int truth = g && g->accepted;
                if (!strcmp(st, "accepted")) {
                    if (truth) { tp++; g->hit = 1; } else fp++;
                }
                if (truth && !strcmp(st, "mismatch")) called_mismatch++;
                int b = (int)(score * 10); if (b > 9) b = 9; if (b < 0) b = 0;
                bin_n[b]++; bin_true[b] += truth; bin_conf[b] += score;
            }
            json_decref(o);
        }
        free(line);
        fclose(f);
    }
    size_t ntrue = 0;
    for (size_t i = 0; i < ngold; i++) ntrue += golds[i].accepted;
    double p = tp + fp ? (double)tp / (double)(tp + fp) : 1.0;
    double r = ntrue ? (double)tp / (double)ntrue : 1.0;
    double f1 = p + r > 0 ? 2 * p * r / (p + r) : 0.0;
    size_t n = 0; double ece = 0;
    for (int b = 0; b < 10; b++) n += bin_n[b];
    for (int b = 0; b < 10; b++)
        if (bin_n[b]) {
            double conf = bin_conf[b] / (double)bin_n[b];
            double acc = (double)bin_true[b] / (double)bin_n[b];
            ece += (double)bin_n[b] / (double)n * (conf > acc ? conf - acc : acc - conf);
        }
    printf("%-14s true pairs %4zu  memory %4zu  P %.3f  R %.3f  F1 %.3f  "
           "true called mismatch %4.1f%%  ECE %.3f\n", argv[1], ntrue, tp + fp,
           p, r, f1, ntrue ? 100.0 * (double)called_mismatch / (double)ntrue : 0.0, ece);
    if (verbose) {
        printf("  score      pairs  mean score  true share\n");
        for (int b = 0; b < 10; b++)
            if (bin_n[b])
                printf("  %.1f-%.1f  %7zu  %10.3f  %10.3f\n", b / 10.0, (b + 1) / 10.0,
                       bin_n[b], bin_conf[b] / (double)bin_n[b],
                       (double)bin_true[b] / (double)bin_n[b]);
    }
    return 0;
}
