/* test_dict_data.c - the bilingual lexicon (every .tsv in data/dict/) is well
 * formed: three columns (Vietnamese, English alternatives separated by "|",
 * a kind), Vietnamese in NFC with single spaces, no empty or repeated
 * alternative, a known kind, each file sorted (C collation), and no
 * Vietnamese form in two rows, within a file or across files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#ifndef DICT_DIR
#define DICT_DIR "data/dict"
#endif

static const char *const kinds[] = { "verb", "noun", "adj", "adv", "func",
                                     "num", "name", "unit" };

static int is_nfc(const char *s)
{
    UErrorCode e = U_ZERO_ERROR;
    UChar buf[1024];
    int32_t n;
    u_strFromUTF8(buf, 1024, &n, s, -1, &e);
    if (U_FAILURE(e)) return 0;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&e);
    UBool ok = unorm2_isNormalized(nfc, buf, n, &e);
    return U_SUCCESS(e) && ok;
}

static int spaced_once(const char *s)
{
    size_t n = strlen(s);
    return n && s[0] != ' ' && s[n - 1] != ' ' && !strstr(s, "  ");
}

typedef struct seen { char *vi; char *where; } seen;
static seen *all; static size_t nall, capall;

static int by_vi(const void *a, const void *b)
{
    return strcmp(((const seen *)a)->vi, ((const seen *)b)->vi);
}

static int check_row(const char *file, unsigned long ln, char *line)
{
    char *cols[4] = { line, NULL, NULL, NULL };
    int nc = 1;
    for (char *p = line; *p; p++)
        if (*p == '\t') { *p = '\0'; if (nc < 4) cols[nc] = p + 1; nc++; }
    if (nc != 3) { print_error("%s:%lu: %d columns\n", file, ln, nc); return 1; }
    int bad = 0;
    if (!spaced_once(cols[0]) || !is_nfc(cols[0])) {
        print_error("%s:%lu: Vietnamese not NFC or badly spaced: '%s'\n", file, ln, cols[0]);
        bad = 1;
    }
    int known = 0;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        known |= !strcmp(cols[2], kinds[k]);
    if (!known) { print_error("%s:%lu: kind '%s'\n", file, ln, cols[2]); bad = 1; }
    /* alternatives: non-empty, single-spaced, none twice */
    char *alts[32]; int na = 0;
    for (char *a = cols[1], *end; a; a = end) {
        end = strchr(a, '|');
        if (end) *end++ = '\0';
        if (!spaced_once(a)) { print_error("%s:%lu: empty or badly spaced alternative\n", file, ln); bad = 1; }
        for (int i = 0; i < na; i++)
            if (!strcmp(alts[i], a)) { print_error("%s:%lu: '%s' twice\n", file, ln, a); bad = 1; }
        if (na < 32) alts[na++] = a;
    }
    if (nall == capall) {
        capall = capall ? capall * 2 : 4096;
        all = realloc(all, capall * sizeof *all);
        assert_non_null(all);
    }
    char where[512];
    snprintf(where, sizeof where, "%s:%lu", file, ln);
    all[nall++] = (seen){ strdup(cols[0]), strdup(where) };
    return bad;
}

static int check_file(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[4096], prev[4096] = "";
    unsigned long ln = 0;
    int bad = 0;
    while (fgets(line, sizeof line, f)) {
        ln++;
        size_t n = strlen(line);
        if (n && line[n - 1] == '\n') line[--n] = '\0';
        if (!n || line[0] == '#') continue;
        char *tab = strchr(line, '\t');
        char key[4096];
        snprintf(key, sizeof key, "%.*s", tab ? (int)(tab - line) : (int)n, line);
        if (strcmp(prev, key) > 0) {
            print_error("%s:%lu: '%s' after '%s' (not sorted)\n", path, ln, key, prev);
            bad = 1;
        }
        memcpy(prev, key, strlen(key) + 1);
        bad |= check_row(path, ln, line);
    }
    fclose(f);
    return bad;
}

static void dict_rows_well_formed(void **state)
{
    (void)state;
    DIR *d = opendir(DICT_DIR);
    assert_non_null(d);
    int bad = 0, files = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".tsv")) continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", DICT_DIR, e->d_name);
        bad |= check_file(path);
        files++;
    }
    closedir(d);
    assert_true(files > 0);
    qsort(all, nall, sizeof *all, by_vi);
    for (size_t i = 1; i < nall; i++)
        if (!strcmp(all[i].vi, all[i - 1].vi)) {
            print_error("'%s' in %s and %s\n", all[i].vi, all[i - 1].where, all[i].where);
            bad = 1;
        }
    for (size_t i = 0; i < nall; i++) { free(all[i].vi); free(all[i].where); }
    free(all);
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(dict_rows_well_formed) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
