/* test_gloss.c - glossary keys (folding, tone placement, abbreviations,
 * English variants), the model (rows, counts, sources, order) and TSV
 * reading with a malformed line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dirent.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "../../gloss/gloss.h"

static char *key_vi(const char *s)
{
    bt_buf b;
    bt_buf_init(&b);
    bt_gloss_key_vi(s, strlen(s), &b);
    return bt_buf_detach(&b);
}

static char *key_en(const char *s)
{
    bt_buf b;
    bt_buf_init(&b);
    bt_gloss_key_en(s, strlen(s), &b);
    return bt_buf_detach(&b);
}

#define assert_key_vi(in, want) do {                 \
        char *k_ = key_vi(in);                       \
        assert_string_equal(k_, want);               \
        free(k_);                                    \
    } while (0)

#define assert_key_en(in, want) do {                 \
        char *k_ = key_en(in);                       \
        assert_string_equal(k_, want);               \
        free(k_);                                    \
    } while (0)

#define assert_canon(in, want) do {                  \
        char *c_ = bt_gloss_vi_canon(in, strlen(in)); \
        assert_string_equal(c_, want);               \
        free(c_);                                    \
    } while (0)

/* The three ways people write one title have one key. */
static void key_typed_forms(void **state)
{
    (void)state;
    const char *want = "chu tich hoi dong nhan dan tinh";
    assert_key_vi("Chủ tịch HĐND tỉnh", want);
    assert_key_vi("chu tich hdnd tinh", want);
    assert_key_vi("Chủ tịch Hội đồng nhân dân tỉnh", want);
    assert_key_vi("  CHỦ TỊCH   HĐND\ttỉnh. ", want);
    /* decomposed input (NFD) folds the same, and Ð (U+00D0) typed for Đ */
    assert_key_vi("Chu\xcc\x89 ti\xcc\xa3" "ch HÐND ti\xcc\x89nh", want);
}

static void key_abbreviations(void **state)
{
    (void)state;
    assert_key_vi("UBND tỉnh", "uy ban nhan dan tinh");
    assert_key_vi("Ủy ban MTTQ tỉnh", "uy ban mat tran to quoc tinh");
    assert_key_vi("UBMTTQ tỉnh", "uy ban mat tran to quoc tinh");
    assert_key_vi("Ban Bí thư TW", "ban bi thu trung uong");
    assert_key_vi("Ban Bí thư TƯ", "ban bi thu trung uong");
    assert_key_vi("Ủy viên BCH TƯ Đảng", "uy vien ban chap hanh trung uong dang");
    assert_key_vi("Sở Tư pháp", "so tu phap");     /* tư, not TƯ */
    assert_key_vi("TƯỚNG", "tuong");                /* not a whole word */
    assert_key_vi("Sở NN&PTNT", "so nn phat trien nong thon");
    assert_key_vi("Ủy viên BTV Tỉnh ủy", "uy vien ban thuong vu tinh uy");
    assert_key_vi("Chủ nhiệm UBKT Tỉnh ủy", "chu nhiem uy ban kiem tra tinh uy");
    assert_key_vi("Ủy viên BCH Đảng bộ tỉnh", "uy vien ban chap hanh dang bo tinh");
    assert_key_vi("ĐBQH", "dai bieu quoc hoi");
    assert_key_vi("TP. Vinh", "thanh pho vinh");
    assert_key_vi("TP.HCM", "thanh pho ho chi minh");
    /* a syllable is not taken for an abbreviation, nor a longer word */
    assert_key_vi("Tư pháp", "tu phap");
    assert_key_vi("UBNDX", "ubndx");
    assert_string_equal(bt_gloss_abbrev("hdnd", 4), "hoi dong nhan dan");
    assert_null(bt_gloss_abbrev("tinh", 4));
}

/* Old and new tone placement: one key, and one canonical written form. */
static void tone_placement(void **state)
{
    (void)state;
    char *a = key_vi("hoà bình"), *b = key_vi("hòa bình");
    assert_string_equal(a, b);
    free(a);
    free(b);
    assert_canon("Hoà Bình", "Hòa Bình");
    assert_canon("thuỷ lợi", "thủy lợi");
    assert_canon("Uỷ ban nhân dân", "Ủy ban nhân dân");
    assert_canon("khoẻ", "khỏe");
    assert_canon("HOÀ", "HÒA");
    /* already new style, or where the rule does not apply */
    assert_canon("hòa", "hòa");
    assert_canon("quý", "quý");       /* qu: the u is part of the onset */
    assert_canon("hoàng", "hoàng");   /* closed syllable */
    assert_canon("thuyền", "thuyền");
    assert_canon("Nguyễn", "Nguyễn");
    /* NFD in, NFC out; white space collapsed */
    assert_canon("  ho\xcc\x80" "a  bi\xcc\x80nh ", "hòa bình");
    char *e1 = bt_gloss_exact_key("Uỷ ban nhân dân tỉnh", strlen("Uỷ ban nhân dân tỉnh"), 0);
    char *e2 = bt_gloss_exact_key("UBND tỉnh", strlen("UBND tỉnh"), 0);
    assert_string_equal(e1, "ủy ban nhân dân tỉnh");
    assert_string_equal(e2, "ủy ban nhân dân tỉnh");
    free(e1);
    free(e2);
}

/* NFD through ICU, for the next test. Caller frees. */
static char *to_nfd(const char *s)
{
    UErrorCode e = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&e);
    int32_t n = 0, cap = (int32_t)strlen(s) * 4 + 16;
    UChar *a = malloc((size_t)cap * sizeof *a), *b = malloc((size_t)cap * sizeof *b);
    u_strFromUTF8(a, cap, &n, s, -1, &e);
    n = unorm2_normalize(nfd, a, n, b, cap, &e);
    char *out = malloc((size_t)cap * 3);
    int32_t olen = 0;
    u_strToUTF8(out, cap * 3, &olen, b, n, &e);
    assert_true(U_SUCCESS(e));
    free(a);
    free(b);
    return out;
}

static int same_both_ways(const char *line)
{
    /* NFD text takes the ICU path, NFC text the table path: same result */
    char *d = to_nfd(line);
    char *c1 = bt_gloss_vi_canon(line, strlen(line));
    char *c2 = bt_gloss_vi_canon(d, strlen(d));
    char *l1 = bt_gloss_lower(line, strlen(line));
    char *l2 = bt_gloss_lower(d, strlen(d));
    int ok = !strcmp(c1, c2) && !strcmp(l1, l2);
    if (!ok) print_error("differs: '%s' / '%s' | '%s' / '%s'\n", c1, c2, l1, l2);
    free(d);
    free(c1);
    free(c2);
    free(l1);
    free(l2);
    return ok;
}

/* The fast canonical form agrees with ICU on what people write. */
static void canon_fast_matches_icu(void **state)
{
    (void)state;
    static const char *lines[] = {
        "HOÀ BÌNH Hoà Thuỷ Uỷ ban QUỶ quỷ Quý KHOẺ khoẻ toà toả xoè",
        "Đồng chí Nguyễn Xuân Sơn - Phó Bí thư Thường trực Tỉnh ủy",
        "ƠƯ ơư Ắ ặ Ỹ ỳ Ỵ Ÿ ÿ Ā ā Ĳ ĳ Ł ł Ŋ ŋ Ž ž ß À-Þ",
        "Bản Chà Lò, Thọ Hợp — “Ảnh”: Mai Hoa… thuý",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        assert_true(same_both_ways(lines[i]));
    /* and on every line of the sample articles */
    DIR *dp = opendir("corpus/samples");
    if (!dp) return; /* run from elsewhere than the top of the tree */
    struct dirent *de;
    int checked = 0;
    while ((de = readdir(dp))) {
        if (!strstr(de->d_name, ".txt")) continue;
        char path[512];
        snprintf(path, sizeof path, "corpus/samples/%s", de->d_name);
        FILE *fp = fopen(path, "rb");
        if (!fp) continue;
        char buf[8192];
        while (fgets(buf, sizeof buf, fp)) {
            buf[strcspn(buf, "\r\n")] = '\0';
            assert_true(same_both_ways(buf));
            checked++;
        }
        fclose(fp);
    }
    closedir(dp);
    assert_true(checked > 50);
}

static int equals_agrees(const char *line)
{
    int ok = 1;
    for (int english = 0; english <= 1; english++) {
        char *k = english ? key_en(line) : key_vi(line);
        size_t n = strlen(k);
        if (!bt_gloss_key_equals(line, strlen(line), english, k, n)) ok = 0;
        if (n && bt_gloss_key_equals(line, strlen(line), english, k, n - 1)) ok = 0;
        char *longer = malloc(n + 3);
        sprintf(longer, "%s x", k);
        if (bt_gloss_key_equals(line, strlen(line), english, longer, n + 2)) ok = 0;
        if (!ok) print_error("key_equals disagrees on '%s' (key '%s')\n", line, k);
        free(longer);
        free(k);
    }
    return ok;
}

/* The word-by-word comparison gives the answer the key gives. */
static void key_equals_agrees(void **state)
{
    (void)state;
    static const char *lines[] = {
        "Chủ tịch HĐND tỉnh", "chu tich hdnd tinh", "Ban Bí thư TƯ", "TƯỚNG",
        "The Provincial People’s Committee", "Sở NN&PTNT", "UBND", "",
        "HÐND; TP.HCM - Ủy ban MTTQ", "Thủ tướng Chính phủ the end",
        "a-very-long-wordwordwordwordwordwordwordwordwordwordwordwordwordwordword",
        "Chu\xcc\x89 ti\xcc\xa3" "ch", "peoples' the'", "' ' x",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        assert_true(equals_agrees(lines[i]));
    DIR *dp = opendir("corpus/samples");
    if (!dp) return;
    struct dirent *de;
    while ((de = readdir(dp))) {
        if (!strstr(de->d_name, ".txt")) continue;
        char path[512];
        snprintf(path, sizeof path, "corpus/samples/%s", de->d_name);
        FILE *fp = fopen(path, "rb");
        if (!fp) continue;
        char buf[8192];
        while (fgets(buf, sizeof buf, fp)) {
            buf[strcspn(buf, "\r\n")] = '\0';
            assert_true(equals_agrees(buf));
        }
        fclose(fp);
    }
    closedir(dp);
}

static void english_keys(void **state)
{
    (void)state;
    const char *want = "standing deputy secretary of provincial party committee";
    assert_key_en("Standing Deputy Secretary of the Provincial Party Committee",
                  want);
    assert_key_en("standing deputy secretary of provincial party committee", want);
    assert_key_en("The Standing Deputy Secretary, of the Provincial Party "
                  "Committee.", want);
    assert_key_en("Provincial People’s Committee", "provincial peoples committee");
    assert_key_en("Provincial People's Committee", "provincial peoples committee");
    assert_key_en("Theatre", "theatre"); /* only the word "the" goes */
}

static void distance(void **state)
{
    (void)state;
    assert_int_equal(bt_gloss_distance("tinh", 4, "tinh", 4, 3), 0);
    assert_int_equal(bt_gloss_distance("tinh", 4, "tnh", 3, 3), 1);
    assert_int_equal(bt_gloss_distance("tinh", 4, "tihn", 4, 3), 1); /* swap */
    assert_int_equal(bt_gloss_distance("kitten", 6, "sitting", 7, 5), 3);
    assert_int_equal(bt_gloss_distance("kitten", 6, "sitting", 7, 2), 3);
    assert_int_equal(bt_gloss_distance("", 0, "abc", 3, 5), 3);
}

/* Full optimal-string-alignment distance, for checking the banded one. */
static unsigned osa_full(const char *a, size_t n, const char *b, size_t m)
{
    unsigned d[16][16];
    for (size_t i = 0; i <= n; i++) d[i][0] = (unsigned)i;
    for (size_t j = 0; j <= m; j++) d[0][j] = (unsigned)j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            unsigned v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < v) v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[n][m];
}

/* The banded, bounded distance agrees with the full table everywhere. */
static void distance_matches_full(void **state)
{
    (void)state;
    unsigned long seed = 12345;
    char a[16], b[16];
    for (int round = 0; round < 20000; round++) {
        size_t n = 0, m = 0;
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        n = (seed >> 33) % 13;
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        m = (seed >> 33) % 13;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            a[i] = "abc "[(seed >> 33) % 4];
        }
        for (size_t i = 0; i < m; i++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            b[i] = "abc "[(seed >> 33) % 4];
        }
        unsigned full = osa_full(a, n, b, m);
        for (unsigned max = 0; max <= 5; max++) {
            unsigned want = full <= max ? full : max + 1;
            unsigned got = bt_gloss_distance(a, n, b, m, max);
            if (got != want)
                fail_msg("'%.*s' '%.*s' max %u: %u, want %u", (int)n, a, (int)m, b,
                         max, got, want);
        }
    }
}

/* Observations become rows: counts, sources, one row per mapping. */
static void model_rows(void **state)
{
    (void)state;
    bt_gloss *g = bt_gloss_new();
    bt_gloss_add(g, "Chủ tịch HĐND tỉnh", "Chairman of the Provincial People's Council",
                 "title", "a.txt", 3);
    bt_gloss_add(g, "Chủ tịch HĐND tỉnh", "Chairman of the Provincial People's Council",
                 "title", "b.txt", 7);
    bt_gloss_add(g, "Chủ tịch HĐND tỉnh", "Chairman of the Provincial People's Council",
                 "title", "a.txt", 3); /* the same place again */
    bt_gloss_add(g, "chủ tịch HĐND tỉnh", "Chairman of the Provincial People's  Council",
                 "title", "c.txt", 1); /* case and spaces: same row */
    bt_gloss_add(g, "Chủ tịch HĐND tỉnh", "Chairwoman of the Provincial People's Council",
                 "title", "d.txt", 2);
    bt_gloss_add(g, "Ban Dân vận Tỉnh ủy", "Provincial Party Committee's Mass "
                 "Mobilization Commission", "body", "a.txt", 9);
    bt_gloss_add(g, "", "nothing", NULL, NULL, 0); /* ignored */
    assert_int_equal(bt_gloss_size(g), 3);
    const bt_gloss_row *r = bt_gloss_row_at(g, 0);
    assert_string_equal(r->vi, "Ban Dân vận Tỉnh ủy");
    r = bt_gloss_row_at(g, 1);
    assert_string_equal(r->en, "Chairman of the Provincial People's Council");
    assert_int_equal(r->count, 4);
    assert_string_equal(r->sources, "a.txt:3, b.txt:7, c.txt:1");
    r = bt_gloss_row_at(g, 2);
    assert_string_equal(r->en, "Chairwoman of the Provincial People's Council");
    assert_int_equal(r->count, 1);
    bt_gloss_free(g);
}

static char *tmp_path(const char *name)
{
    static char dir[64];
    if (!dir[0]) {
        strcpy(dir, "/tmp/test_gloss.XXXXXX");
        assert_non_null(mkdtemp(dir));
    }
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", dir, name);
    return p;
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static char *read_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    bt_buf b;
    bt_buf_init(&b);
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0) bt_buf_add(&b, tmp, n);
    fclose(fp);
    return bt_buf_detach(&b);
}

typedef struct diags {
    int n;
    unsigned long lines[8];
    char file[256];
} diags;

static void collect(void *ud, const bt_diag *d)
{
    diags *ds = ud;
    if (ds->n < 8) ds->lines[ds->n] = d->line;
    snprintf(ds->file, sizeof ds->file, "%s", d->file ? d->file : "");
    ds->n++;
}

/* A malformed line is reported with its line number; the rest loads. */
static void tsv_read_malformed(void **state)
{
    (void)state;
    char *path = tmp_path("bad.tsv");
    write_file(path,
               "\xEF\xBB\xBF# vi\ten\tkind\tcount\tsources\r\n"
               "Thủ tướng\tPrime Minister\ttitle\t3\ta.txt:1, b.txt:2\r\n"
               "just one column\n"
               "Bí thư Tỉnh ủy\tSecretary of the Provincial Party Committee\ttitle\tmany\t\n"
               "\tPrime Minister\n"
               "\n"
               "Chủ tịch nước\tPresident\n"
               "Hoà Bình\tHoa Binh\tplace\t2\n");
    bt_gloss *g = bt_gloss_new();
    diags ds;
    memset(&ds, 0, sizeof ds);
    assert_int_equal(bt_gloss_read_tsv(g, path, collect, &ds), BT_OK);
    assert_int_equal(ds.n, 3);
    assert_int_equal(ds.lines[0], 3);
    assert_int_equal(ds.lines[1], 4);
    assert_int_equal(ds.lines[2], 5);
    assert_string_equal(ds.file, path);
    assert_int_equal(bt_gloss_size(g), 3);
    int seen_pm = 0, seen_hb = 0;
    for (size_t i = 0; i < bt_gloss_size(g); i++) {
        const bt_gloss_row *r = bt_gloss_row_at(g, i);
        if (!strcmp(r->en, "Prime Minister")) {
            seen_pm = 1;
            assert_int_equal(r->count, 3);
            assert_string_equal(r->sources, "a.txt:1, b.txt:2");
        }
        if (!strcmp(r->en, "Hoa Binh")) {
            seen_hb = 1;
            assert_string_equal(r->vi, "Hòa Bình"); /* canonical tone */
            assert_string_equal(r->kind, "place");
        }
    }
    assert_true(seen_pm && seen_hb);
    bt_gloss_free(g);
    free(path);
}

/* Written TSV reads back to the same rows; a # header comes first. */
static void tsv_round_trip(void **state)
{
    (void)state;
    bt_gloss *g = bt_gloss_new();
    bt_gloss_add(g, "Thủ tướng", "Prime Minister", "title", "x.txt", 4);
    bt_gloss_add(g, "Thủ tướng", "Prime Minister", "title", "y.txt", 5);
    bt_gloss_add(g, "Nghệ An", "Nghe An", "place", "x.txt", 1);
    bt_gloss_add(g, "tab\there", "line\nbreak", "title", NULL, 0);
    bt_gloss_add(g, "# not a comment", "hash", "title", NULL, 0);
    char *path = tmp_path("out.tsv");
    assert_int_equal(bt_gloss_write_tsv(g, path), 0);
    char *text = read_file(path);
    assert_true(text[0] == '#');
    assert_non_null(strstr(text, "Thủ tướng\tPrime Minister\ttitle\t2\tx.txt:4, y.txt:5\n"));
    free(text);
    bt_gloss *h = bt_gloss_new();
    assert_int_equal(bt_gloss_read_tsv(h, path, NULL, NULL), BT_OK);
    assert_int_equal(bt_gloss_size(h), bt_gloss_size(g));
    for (size_t i = 0; i < bt_gloss_size(g); i++) {
        const bt_gloss_row *a = bt_gloss_row_at(g, i), *b = bt_gloss_row_at(h, i);
        assert_string_equal(a->vi, b->vi);
        assert_string_equal(a->en, b->en);
        assert_int_equal(a->count, b->count);
        assert_string_equal(a->sources, b->sources);
    }
    bt_gloss_free(g);
    bt_gloss_free(h);
    free(path);
}

/* Past BT_GLOSS_MAX_SOURCES places a row says "+N more", as the TMX's
 * x-sources does; every reader takes the mark back as a count, and marks
 * add up when glossaries merge. */
static void sources_bound(void **state)
{
    (void)state;
    bt_gloss *g = bt_gloss_new();
    for (unsigned long i = 1; i <= BT_GLOSS_MAX_SOURCES + 5; i++)
        bt_gloss_add(g, "Thủ tướng", "Prime Minister", "title", "a.txt", i);
    bt_gloss_add(g, "Thủ tướng", "Prime Minister", "title", "a.txt", 3); /* listed */
    const char *src = bt_gloss_row_at(g, 0)->sources;
    assert_non_null(strstr(src, "a.txt:1, a.txt:2, "));
    assert_non_null(strstr(src, ", a.txt:50, +5 more"));
    assert_null(strstr(src, "a.txt:51"));
    char *want = bt_xstrdup(src);
    const bt_gloss_format fmts[] = { BT_GLOSS_TSV, BT_GLOSS_OMEGAT, BT_GLOSS_TBX };
    const char *names[] = { "b.tsv", "b.txt", "b.tbx" };
    for (size_t f = 0; f < 3; f++) {
        char *path = tmp_path(names[f]);
        assert_int_equal(bt_gloss_write(g, fmts[f], path), 0);
        bt_gloss *h = bt_gloss_new();
        assert_int_equal(bt_gloss_read(h, path, NULL, NULL), BT_OK);
        assert_string_equal(bt_gloss_row_at(h, 0)->sources, want);
        /* merged with itself: the places are known, the marks add up */
        assert_int_equal(bt_gloss_read(h, path, NULL, NULL), BT_OK);
        assert_non_null(strstr(bt_gloss_row_at(h, 0)->sources, ", a.txt:50, +10 more"));
        bt_gloss_free(h);
        free(path);
    }
    /* a mark read while the list has room stays last */
    bt_gloss *h = bt_gloss_new();
    bt_gloss_add_row(h, "Bộ trưởng", "Minister", "title", 3, "x.txt:1, +2 more", 0);
    bt_gloss_add(h, "Bộ trưởng", "Minister", "title", "y.txt", 2);
    assert_string_equal(bt_gloss_row_at(h, 0)->sources, "x.txt:1, y.txt:2, +2 more");
    bt_gloss_free(h);
    free(want);
    bt_gloss_free(g);
}

/* Merging: counts add up, sources unite. */
static void add_row_merges(void **state)
{
    (void)state;
    bt_gloss *g = bt_gloss_new();
    bt_gloss_add_row(g, "Thủ tướng", "Prime Minister", "title", 2, "a:1, b:2", 0);
    bt_gloss_add_row(g, "Thủ tướng", "Prime Minister", "title", 3, "b:2, c:3", 1);
    assert_int_equal(bt_gloss_size(g), 1);
    const bt_gloss_row *r = bt_gloss_row_at(g, 0);
    assert_int_equal(r->count, 5);
    assert_string_equal(r->sources, "a:1, b:2, c:3");
    assert_true(r->official);
    bt_gloss_free(g);
}

/* Standing against the lexicon: official first whatever the counts, the
 * official rendering added for a term seen only in other words, a listed
 * variant admitted (case aside), unlisted words deprecated, names none. */
static void lexicon_standing(void **state)
{
    (void)state;
    bt_gloss *g = bt_gloss_new();
    bt_gloss_add(g, "Thường trực Ban Bí thư", "Standing member of the Secretariat",
                 "title", "a.txt", 3);
    bt_gloss_add(g, "Thủ tướng", "Head of Government", "title", "a.txt", 4);
    bt_gloss_add(g, "Thủ tướng", "Head of Government", "title", "b.txt", 5);
    bt_gloss_add(g, "Thủ tướng", "Prime Minister", "title", "c.txt", 6);
    bt_gloss_add(g, "Dương Văn Chính", "Duong Van Chinh", "name", "a.txt", 7);
    bt_gloss_mark_lexicon(g, bt_lexicon_default());
    assert_int_equal(bt_gloss_size(g), 5);
    const char *want[][3] = {
        { "Dương Văn Chính", "Duong Van Chinh", "" },
        { "Thủ tướng", "Prime Minister", "official" },
        { "Thủ tướng", "Head of Government", "deprecated" },
        { "Thường trực Ban Bí thư", "Permanent Member of the Secretariat", "official" },
        { "Thường trực Ban Bí thư", "Standing member of the Secretariat", "variant" },
    };
    for (size_t i = 0; i < 5; i++) {
        const bt_gloss_row *r = bt_gloss_row_at(g, i);
        assert_string_equal(r->vi, want[i][0]);
        assert_string_equal(r->en, want[i][1]);
        assert_string_equal(bt_gloss_standing_name(bt_gloss_standing_at(g, i)), want[i][2]);
        assert_int_equal(r->official, !strcmp(want[i][2], "official"));
    }
    /* the added official row: count 0, from the lexicon */
    assert_int_equal(bt_gloss_row_at(g, 3)->count, 0);
    assert_string_equal(bt_gloss_row_at(g, 3)->sources, "lexicon");

    /* OmegaT's layout: BOM, '#' line, vi TAB en TAB comment */
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_int_equal(bt_gloss_write_fp(g, BT_GLOSS_OMEGAT, fp), 0);
    fclose(fp);
    assert_memory_equal(buf, "\xEF\xBB\xBF#", 4);
    assert_non_null(strstr(buf, "\nThủ tướng\tPrime Minister\ttitle; official; count 1; c.txt:6\n"
                                "Thủ tướng\tHead of Government\ttitle; deprecated; count 2; "
                                "a.txt:4, b.txt:5\n"));
    assert_non_null(strstr(buf, "\nDương Văn Chính\tDuong Van Chinh\tname; count 1; a.txt:7\n"));
    free(buf);
    assert_int_equal(bt_gloss_format_parse("txt"), BT_GLOSS_OMEGAT);
    assert_int_equal(bt_gloss_format_parse("omegat"), BT_GLOSS_OMEGAT);
    bt_gloss_free(g);
}

/* Look-up answers: the official rendering first, renderings that differ
 * in case only one hit with the first source's spelling. */
static void hits_official_first(void **state)
{
    (void)state;
    bt_gloss *g = bt_gloss_new();
    for (int i = 0; i < 3; i++)
        bt_gloss_add(g, "Thường trực Ban Bí thư", "Standing member of the Secretariat",
                     "title", "a.txt", 3);
    bt_gloss_index *ix = bt_gloss_index_build(g);
    bt_gloss_hits h;
    bt_gloss_hits_init(&h);
    const char *term = "Thường trực Ban Bí thư";
    bt_gloss_lexicon_lookup(bt_lexicon_default(), term, strlen(term), 0, 0, &h);
    bt_gloss_index_lookup(ix, term, strlen(term), 0, 0, 1, &h);
    bt_gloss_hits_rank(&h, term, strlen(term), 0, 0);
    assert_int_equal(h.n, 4);
    assert_string_equal(h.v[0].en, "Permanent Member of the Secretariat");
    assert_true(h.v[0].official);
    assert_string_equal(h.v[1].en, "Standing Member of the Secretariat");
    assert_int_equal(h.v[1].count, 3);
    for (size_t i = 2; i < h.n; i++) assert_false(h.v[i].official);
    bt_gloss_hits_free(&h);
    bt_gloss_index_free(ix);
    bt_gloss_free(g);
}

/* The English forms people use: a post named with its ministry's subject,
 * and a post the lexicon gives only with a body. */
static void forms_people_use(void **state)
{
    (void)state;
    const char *t = "Minister of Finance";
    char *lf = bt_gloss_en_long_form(t, strlen(t));
    assert_string_equal(lf, "Minister of the Ministry of Finance");
    free(lf);
    t = "Deputy Minister of the Health";
    lf = bt_gloss_en_long_form(t, strlen(t));
    assert_string_equal(lf, "Deputy Minister of the Ministry of Health");
    free(lf);
    t = "Minister of the Ministry of Finance";
    assert_null(bt_gloss_en_long_form(t, strlen(t)));
    t = "Prime Minister";
    assert_null(bt_gloss_en_long_form(t, strlen(t)));
    t = "Minister of ";
    assert_null(bt_gloss_en_long_form(t, strlen(t)));
    t = "Pho chu tich UBDN tinh";
    lf = bt_gloss_fix_abbrev(t, strlen(t));
    assert_string_equal(lf, "pho chu tich ubnd tinh");
    free(lf);
    t = "Phó Chủ tịch UBND tỉnh"; /* nothing to fix */
    assert_null(bt_gloss_fix_abbrev(t, strlen(t)));

    bt_gloss_hits h;
    bt_gloss_hits_init(&h);
    t = "bo truong";
    assert_int_equal(bt_gloss_lexicon_lookup(bt_lexicon_default(), t, strlen(t), 0, 0, &h), 1);
    assert_string_equal(h.v[0].vi, "Bộ trưởng");
    assert_string_equal(h.v[0].en, "Minister");
    assert_true(h.v[0].official);
    bt_gloss_hits_free(&h);
    /* a post the rows hold is not doubled by its concept */
    t = "Thủ tướng";
    size_t n = bt_gloss_lexicon_lookup(bt_lexicon_default(), t, strlen(t), 0, 0, &h);
    assert_true(n >= 1);
    bt_gloss_hits_rank(&h, t, strlen(t), 0, 0);
    for (size_t i = 1; i < h.n; i++)
        assert_false(!strcmp(h.v[i].en, h.v[0].en) && !strcmp(h.v[i].vi, h.v[0].vi));
    bt_gloss_hits_free(&h);
}

/* glossary.txt read back is the glossary written; a header row without
 * '#' is no term; a comment of the user's own is no kind. */
static void omegat_round_trip(void **state)
{
    (void)state;
    bt_gloss *g = bt_gloss_new();
    bt_gloss_add(g, "Thủ tướng", "Head of Government", "title", "a.txt", 4);
    bt_gloss_add(g, "Thủ tướng", "Head of Government", "title", "b.txt", 5);
    bt_gloss_add(g, "Nghệ An", "Nghe An", "place", "c.txt", 6);
    bt_gloss_mark_lexicon(g, bt_lexicon_default());
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_int_equal(bt_gloss_write_fp(g, BT_GLOSS_OMEGAT, fp), 0);
    fclose(fp);
    bt_gloss *h = bt_gloss_new();
    assert_int_equal(bt_gloss_read_tsv_mem(h, "glossary.txt", buf, len, NULL, NULL), BT_OK);
    assert_int_equal(bt_gloss_size(h), bt_gloss_size(g));
    for (size_t i = 0; i < bt_gloss_size(g); i++) {
        const bt_gloss_row *a = bt_gloss_row_at(g, i), *b = bt_gloss_row_at(h, i);
        assert_string_equal(a->vi, b->vi);
        assert_string_equal(a->en, b->en);
        assert_string_equal(a->kind, b->kind);
        assert_int_equal(a->count, b->count);
        assert_string_equal(a->sources, b->sources);
        assert_int_equal(a->official, b->official);
    }
    free(buf);
    bt_gloss_free(h);
    bt_gloss_free(g);

    const char user[] = "source\ttarget\nBộ trưởng\tMinister\tsay Minister, not Secretary\n";
    h = bt_gloss_new();
    assert_int_equal(bt_gloss_read_tsv_mem(h, "u.txt", user, strlen(user), NULL, NULL), BT_OK);
    assert_int_equal(bt_gloss_size(h), 1);
    assert_string_equal(bt_gloss_row_at(h, 0)->kind, "title");
    assert_int_equal(bt_gloss_row_at(h, 0)->count, 1);
    bt_gloss_free(h);
}

/* issue 17: the glossary key path normalized a run of marks in quadratic
 * time too; stream-safe first: a key of a 1 MB run of marks keeps at most
 * 30 of them (make bench shows the time). */
static void key_of_marks_stream_safe(void **state)
{
    (void)state;
    static const char marks[4][3] = { "\xCC\x81", "\xCC\xA3", "\xCC\xA8", "\xCC\x86" };
    size_t n = 1 + 2 * 500000;
    char *s = malloc(n + 1);
    s[0] = 'a';
    for (size_t i = 0; i < 500000; i++) memcpy(s + 1 + 2 * i, marks[i % 4], 2);
    s[n] = '\0';
    bt_buf k;
    bt_buf_init(&k);
    bt_gloss_key_vi(s, n, &k);
    char *e = bt_gloss_exact_key(s, n, 0);
    assert_true(strlen(e) < 200);
    free(e);
    bt_buf_free(&k);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(omegat_round_trip),
        cmocka_unit_test(forms_people_use),
        cmocka_unit_test(lexicon_standing),
        cmocka_unit_test(hits_official_first),
        cmocka_unit_test(key_typed_forms),
        cmocka_unit_test(key_abbreviations),
        cmocka_unit_test(tone_placement),
        cmocka_unit_test(canon_fast_matches_icu),
        cmocka_unit_test(key_equals_agrees),
        cmocka_unit_test(english_keys),
        cmocka_unit_test(distance),
        cmocka_unit_test(distance_matches_full),
        cmocka_unit_test(model_rows),
        cmocka_unit_test(tsv_read_malformed),
        cmocka_unit_test(tsv_round_trip),
        cmocka_unit_test(add_row_merges),
        cmocka_unit_test(sources_bound),
        cmocka_unit_test(key_of_marks_stream_safe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
