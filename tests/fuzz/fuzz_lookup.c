/* fuzz_lookup.c - what a user types at `bitext lookup`, and the index file
 * it opens.
 *
 * Byte 0 chooses: bit 0 reverse, bit 1 fuzzy, bits 2-4 max_fuzzy; bits 5-6
 * what the rest is: a term (0), a FILE.idx written in full (1), or edits
 * to a good FILE.idx (2, 3): records of three bytes (offset high, offset
 * low, value), the first of which cuts the file when its value is odd.
 *
 * A term goes through every key function (keys of valid UTF-8 are valid
 * UTF-8 with single spaces between words), the edit distance, a look-up in
 * a small index and in the lexicon, and the ranking. An index file, damaged
 * in any way, must be refused or read without reading outside it. */
#include "fuzz.h"
#include "../../gloss/gloss.h"

#include <sys/stat.h>

static const char glossary_tsv[] =
    "# vi\ten\tkind\tcount\tsources\n"
    "Phó Chủ tịch UBND tỉnh\tVice Chairman of the Provincial People's Committee\ttitle\t3\ta.txt:1\n"
    "Chủ tịch HĐND tỉnh\tChairman of the Provincial People's Council\ttitle\t2\ta.txt:5, b.txt:9\n"
    "Nguyễn Xuân Sơn\tNguyen Xuan Son\tname\t1\tb.txt:2\n"
    "Nghệ An\tNghe An\tplace\t7\t\n"
    "Ban Dân vận Tỉnh ủy\tProvincial Party Committee's Mass Mobilization Commission\tbody\t1\tc.txt:4\n";

static bt_gloss_index *small_index;
static bt_gloss_index *truth_index; /* the glossary alone */
static char *good_idx;
static size_t good_idx_len;
static char gl_path[300], idx_path[300];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    bt_gloss *g = bt_gloss_new();
    bt_gloss_read_tsv_mem(g, "fuzz.tsv", glossary_tsv, sizeof glossary_tsv - 1, NULL, NULL);
    bt_gloss_add_lexicon(g, bt_lexicon_default());
    small_index = bt_gloss_index_build(g);
    bt_gloss_free(g);
    g = bt_gloss_new();
    bt_gloss_read_tsv_mem(g, "fuzz.tsv", glossary_tsv, sizeof glossary_tsv - 1, NULL, NULL);
    truth_index = bt_gloss_index_build(g);
    bt_gloss_free(g);

    /* A good FILE.idx, built by the library itself, for the edit mode. */
    fuzz_path("g.tsv", gl_path, sizeof gl_path);
    fuzz_path("g.tsv.idx", idx_path, sizeof idx_path);
    fuzz_write_file(gl_path, glossary_tsv, sizeof glossary_tsv - 1);
    bt_gloss_index *ix = NULL;
    FUZZ_CHECK(bt_gloss_index_open(gl_path, 0, NULL, NULL, &ix) == BT_OK, "index not built");
    bt_gloss_index_free(ix);
    good_idx = fuzz_read_file(idx_path, &good_idx_len);
    FUZZ_CHECK(good_idx && good_idx_len > 0, "index not written");
    const char *save = getenv("FUZZ_SAVE_IDX"); /* for tests/fuzz/make_seeds.sh */
    if (save) fuzz_write_file(save, good_idx, good_idx_len);
    return 0;
}

static void check_key(const char *k, size_t n, const char *what)
{
    fuzz_check_utf8(k, n, what);
    if (!n) return;
    FUZZ_CHECK(k[0] != ' ' && k[n - 1] != ' ', "key with a space at an end");
    FUZZ_CHECK(!strstr(k, "  "), "key with two spaces in a row");
}

static void check_hits(const bt_gloss_hits *h)
{
    for (size_t i = 0; i < h->n; i++) {
        FUZZ_CHECK(h->v[i].vi && h->v[i].en, "hit without terms");
        FUZZ_CHECK(h->v[i].match <= BT_MATCH_FUZZY, "match kind out of range");
    }
}

static void fuzz_term(const char *t, size_t n, unsigned flags, size_t max_fuzzy)
{
    int valid = bt_utf8_invalid_at(t, n) == (size_t)-1 && !memchr(t, '\0', n);
    bt_buf k;
    bt_buf_init(&k);
    size_t got = bt_gloss_key_vi(t, n, &k);
    FUZZ_CHECK(got == k.len, "key_vi returns another length");
    if (valid) check_key(k.ptr, k.len, "vi key not UTF-8");
    bt_buf_reset(&k);
    got = bt_gloss_key_en(t, n, &k);
    FUZZ_CHECK(got == k.len, "key_en returns another length");
    if (valid) check_key(k.ptr, k.len, "en key not UTF-8");
    bt_buf_free(&k);

    char *s = bt_gloss_vi_canon(t, n);
    if (valid) fuzz_check_str(s, "canonical form not UTF-8");
    free(s);
    s = bt_gloss_lower(t, n);
    if (valid) fuzz_check_str(s, "lower form not UTF-8");
    free(s);
    s = bt_gloss_exact_key(t, n, 0);
    if (valid) fuzz_check_str(s, "exact vi key not UTF-8");
    free(s);
    s = bt_gloss_exact_key(t, n, 1);
    if (valid) fuzz_check_str(s, "exact en key not UTF-8");
    free(s);
    bt_gloss_abbrev(t, n);

    /* Keys are short: so are the distance's inputs here, or long inputs of
     * one letter would spend the time that finds bugs. */
    unsigned max = (unsigned)max_fuzzy;
    size_t dn = n < 2048 ? n : 2048;
    unsigned d = bt_gloss_distance(t, dn / 2, t + dn / 2, dn - dn / 2, max);
    FUZZ_CHECK(d <= max + 1, "distance over max + 1");
    FUZZ_CHECK(bt_gloss_distance(t, dn, t, dn, max) == 0, "distance to itself not 0");

    bt_gloss_hits h;
    bt_gloss_hits_init(&h);
    bt_gloss_index_lookup(small_index, t, n, flags, max_fuzzy, 1, &h);
    bt_gloss_lexicon_lookup(bt_lexicon_default(), t, n, flags, 0, &h);
    check_hits(&h);
    bt_gloss_hits_rank(&h, t, n, flags, max_fuzzy);
    check_hits(&h);
    bt_gloss_hits_free(&h);
}

/* Open the index at idx_path beside the good glossary and use it. */
static void fuzz_index_file(unsigned flags)
{
    bt_gloss_index *ix = NULL;
    int rc = bt_gloss_index_open(gl_path, BT_INDEX_NO_WRITE, fuzz_diag, NULL, &ix);
    if (rc != BT_OK) return;
    size_t n = bt_gloss_index_size(ix);
    for (size_t i = 0; i < n && i < 64; i++) {
        bt_gloss_row r;
        bt_gloss_index_row(ix, i, &r);
        FUZZ_CHECK(r.vi && r.en && r.kind && r.sources, "index row with a NULL field");
        (void)strlen(r.vi);
        (void)strlen(r.en);
        (void)strlen(r.kind);
        (void)strlen(r.sources);
    }
    static const char *const terms[] = { "chu tich hdnd tinh", "Nghệ An", "nguyen xuan son",
                                         "Chairman of the Provincial People's Council", "zzz" };
    for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++) {
        bt_gloss_hits h;
        bt_gloss_hits_init(&h);
        bt_gloss_index_lookup(ix, terms[i], strlen(terms[i]), flags, 5, 0, &h);
        for (size_t j = 0; j < h.n; j++) {
            (void)strlen(h.v[j].vi);
            (void)strlen(h.v[j].en);
        }
        /* issue 17: an index not reported damaged answers only rows of
         * its glossary */
        for (size_t j = 0; j < h.n && !bt_gloss_index_damaged(ix); j++) {
            bt_gloss_hits t;
            bt_gloss_hits_init(&t);
            bt_gloss_index_lookup(truth_index, h.v[j].vi, strlen(h.v[j].vi), 0, 0, 0, &t);
            int found = 0;
            for (size_t k = 0; k < t.n; k++) found |= !strcmp(t.v[k].en, h.v[j].en);
            bt_gloss_hits_free(&t);
            FUZZ_CHECK(found, "an index not reported damaged answers a row not in its glossary");
        }
        bt_gloss_hits_free(&h);
    }
    bt_gloss_index_free(ix);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    uint8_t mode = data[0];
    unsigned flags = (mode & 1 ? BT_LOOKUP_REVERSE : 0) | (mode & 2 ? BT_LOOKUP_FUZZY : 0);
    size_t max_fuzzy = (mode >> 2) & 7;
    const uint8_t *rest = data + 1;
    size_t n = size - 1;
    switch ((mode >> 5) & 3) {
    case 0:
        fuzz_term((const char *)rest, n, flags, max_fuzzy);
        break;
    case 1:
        fuzz_write_file(gl_path, glossary_tsv, sizeof glossary_tsv - 1);
        fuzz_write_file(idx_path, rest, n);
        fuzz_index_file(flags);
        break;
    default: {
        char *img = bt_xmalloc(good_idx_len);
        memcpy(img, good_idx, good_idx_len);
        size_t len = good_idx_len;
        for (size_t i = 0; i + 3 <= n; i += 3) {
            size_t off = ((size_t)rest[i] << 8 | rest[i + 1]) % good_idx_len;
            if (i == 0 && (rest[i + 2] & 1)) len = off;
            else img[off] = (char)rest[i + 2];
        }
        fuzz_write_file(gl_path, glossary_tsv, sizeof glossary_tsv - 1);
        fuzz_write_file(idx_path, img, len);
        free(img);
        fuzz_index_file(flags);
        break;
    }
    }
    return 0;
}
