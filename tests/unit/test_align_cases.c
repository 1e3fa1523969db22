/* test_align_cases.c - data-driven alignment cases: each tests/data/align/
 * *.case file holds an article ("--- input") and the pairs expected
 * ("--- expect": VI_LINE EN_LINE STATUS [credit], 0 for a missing side,
 * then optionally " | VI TEXT | EN TEXT", "-" for a missing side, when the
 * texts matter). Every pair the aligner gives must be expected and every
 * expected pair given. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../align/align.h"

#ifndef CASE_DIR
#define CASE_DIR "tests/data/align"
#endif

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    bt_buf b;
    bt_buf_init(&b);
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) bt_buf_add(&b, tmp, n);
    fclose(f);
    *len = b.len;
    return bt_buf_detach(&b);
}

/* An expected line's texts, after " | ", if it gives them, are the pair's. */
static int same_texts(const char *line, const bt_pair *p)
{
    const char *v = strstr(line, " | ");
    if (!v) return 1;
    v += 3;
    const char *e = strstr(v, " | ");
    if (!e) return 0;
    const char *pv = p->vi ? p->vi : "-", *pe = p->en ? p->en : "-";
    return strlen(pv) == (size_t)(e - v) && !memcmp(pv, v, (size_t)(e - v)) && !strcmp(pe, e + 3);
}

static void run_case(void **state)
{
    const char *path = *state;
    size_t len;
    char *text = slurp(path, &len);
    assert_non_null(text);
    char *in = strstr(text, "--- input\n");
    char *ex = strstr(text, "--- expect\n");
    assert_non_null(in);
    assert_non_null(ex);
    in += strlen("--- input\n");
    *ex = '\0';
    ex += strlen("--- expect\n");

    bt_doc *doc = NULL;
    assert_int_equal(bt_doc_from_buffer(path, in, strlen(in), NULL, NULL, NULL, &doc), BT_OK);
    bt_align_result r;
    bt_align_doc(bt_lexicon_default(), doc, NULL, &r);

    int *seen = calloc(r.npairs + 1, sizeof *seen);
    int bad = 0, nexp = 0;
    for (char *line = strtok(ex, "\n"); line; line = strtok(NULL, "\n")) {
        unsigned long vl, el;
        char st[32], cr[32] = "";
        if (sscanf(line, "%lu %lu %31s %31s", &vl, &el, st, cr) < 3) continue;
        nexp++;
        int credit = !strcmp(cr, "credit"), found = 0;
        for (size_t i = 0; i < r.npairs; i++) {
            const bt_pair *p = &r.pairs[i];
            if (seen[i] || p->vi_line != vl || p->en_line != el || p->is_credit != credit) continue;
            if (!same_texts(line, p)) {
                print_error("%s: pair %lu/%lu%s reads '%s | %s'\n", path, vl, el,
                            credit ? " credit" : "", p->vi ? p->vi : "-", p->en ? p->en : "-");
                bad++;
            }
            if (strcmp(bt_pair_status_name(p->status), st) != 0) {
                print_error("%s: pair %lu/%lu%s is %s (score %.2f), expected %s\n", path, vl, el,
                            credit ? " credit" : "", bt_pair_status_name(p->status), p->score, st);
                bad++;
            }
            seen[i] = found = 1;
            break;
        }
        if (!found) {
            print_error("%s: expected pair %lu/%lu %s%s not found\n", path, vl, el, st,
                        credit ? " credit" : "");
            bad++;
        }
    }
    for (size_t i = 0; i < r.npairs; i++)
        if (!seen[i]) {
            print_error("%s: unexpected pair %lu/%lu %s%s: %s | %s\n", path, r.pairs[i].vi_line,
                        r.pairs[i].en_line, bt_pair_status_name(r.pairs[i].status),
                        r.pairs[i].is_credit ? " credit" : "",
                        r.pairs[i].vi ? r.pairs[i].vi : "-", r.pairs[i].en ? r.pairs[i].en : "-");
            bad++;
        }
    assert_true(nexp > 0);
    free(seen);
    bt_align_result_free(&r);
    bt_doc_free(doc);
    free(text);
    assert_int_equal(bad, 0);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    DIR *d = opendir(CASE_DIR);
    if (!d) {
        fprintf(stderr, "cannot open '%s'\n", CASE_DIR);
        return 1;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".case")) continue;
        names = realloc(names, (n + 1) * sizeof *names);
        size_t pl = strlen(CASE_DIR) + l + 2;
        names[n] = malloc(pl);
        snprintf(names[n], pl, "%s/%s", CASE_DIR, e->d_name);
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    struct CMUnitTest *tests = calloc(n + 1, sizeof *tests);
    for (size_t i = 0; i < n; i++) {
        tests[i].name = strrchr(names[i], '/') + 1;
        tests[i].test_func = run_case;
        tests[i].initial_state = names[i];
    }
    int rc = _cmocka_run_group_tests("align cases", tests, n, NULL, NULL);
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    free(tests);
    return rc;
}
