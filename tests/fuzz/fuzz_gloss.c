/* fuzz_gloss.c - glossaries from other tools: bt_gloss_read_tsv_mem on the
 * bytes, or bt_gloss_read_tbx on them written to a file; then every output
 * format written, the TSV read back (same rows, no complaint), and the index
 * asked for each row's own Vietnamese and English (it must find the row).
 * Rows hold no control character or noncharacter.
 *
 * Byte 0 chooses: bit 0 read as TBX rather than TSV; bit 1 skip the
 * writing; bit 2 skip the look-ups. */
#include "fuzz.h"
#include "../../gloss/gloss.h"

static void check_row(const bt_gloss_row *r)
{
    FUZZ_CHECK(r->vi && r->en && r->kind && r->sources, "row with a NULL field");
    fuzz_check_str(r->vi, "row vi not UTF-8");
    fuzz_check_str(r->en, "row en not UTF-8");
    fuzz_check_str(r->kind, "row kind not UTF-8");
    fuzz_check_str(r->sources, "row sources not UTF-8");
    FUZZ_CHECK(r->vi[0] && r->en[0], "row with an empty term");
}

/* What a terminal or XML must not get (F11, F12): no C0 control but TAB, no
 * DEL, C1 control or noncharacter in a row, read from TSV or TBX. */
static void check_clean(const char *s)
{
    size_t n = strlen(s), i = 0;
    while (i < n) {
        int32_t cp;
        int k = bt_utf8_decode(s + i, n - i, &cp);
        FUZZ_CHECK(k > 0, "row not UTF-8");
        /* TAB may stay inside a field: the writers turn it into a space */
        FUZZ_CHECK((cp >= 0x20 || cp == '\t') && cp != 0x7F && !(cp >= 0x80 && cp <= 0x9F),
                   "control character in a row");
        FUZZ_CHECK((cp & 0xFFFE) != 0xFFFE && !(cp >= 0xFDD0 && cp <= 0xFDEF),
                   "noncharacter in a row");
        i += (size_t)k;
    }
}

static void write_all(const bt_gloss *g)
{
    static const char *const names[4] = { "g.tsv", "g.csv", "g.json", "g.tbx" };
    char path[300];
    for (int f = BT_GLOSS_TSV; f <= BT_GLOSS_TBX; f++) {
        fuzz_path(names[f], path, sizeof path);
        FUZZ_CHECK(bt_gloss_write(g, (bt_gloss_format)f, path) == 0, "glossary not written");
    }
    fuzz_path("g.tsv", path, sizeof path);
    bt_gloss *back = bt_gloss_new();
    fuzz_diags dg = { 0, 0 };
    FUZZ_CHECK(bt_gloss_read_tsv(back, path, fuzz_diag, &dg) == BT_OK, "our TSV does not read");
    FUZZ_CHECK(dg.errors == 0 && dg.warnings == 0, "our TSV has bad lines");
    FUZZ_CHECK(bt_gloss_size(back) == bt_gloss_size(g), "our TSV reads back another size");
    bt_gloss_free(back);
}

static int has_hit(const bt_gloss_hits *h, const char *vi, const char *en)
{
    for (size_t i = 0; i < h->n; i++)
        if (!strcmp(h->v[i].vi, vi) && !strcmp(h->v[i].en, en)) return 1;
    return 0;
}

static void look_up_rows(const bt_gloss *g)
{
    bt_gloss_index *ix = bt_gloss_index_build(g);
    FUZZ_CHECK(bt_gloss_index_size(ix) == bt_gloss_size(g), "index of another size");
    size_t n = bt_gloss_size(g);
    for (size_t i = 0; i < n && i < 32; i++) {
        const bt_gloss_row *r = bt_gloss_row_at(g, i);
        bt_buf key;
        bt_buf_init(&key);
        bt_gloss_hits h;
        bt_gloss_hits_init(&h);
        if (bt_gloss_key_vi(r->vi, strlen(r->vi), &key) > 0) {
            bt_gloss_index_lookup(ix, r->vi, strlen(r->vi), 0, 0, 0, &h);
            FUZZ_CHECK(has_hit(&h, r->vi, r->en), "a row is not found by its Vietnamese");
        }
        bt_buf_reset(&key);
        bt_gloss_hits_free(&h);
        bt_gloss_hits_init(&h);
        if (bt_gloss_key_en(r->en, strlen(r->en), &key) > 0) {
            bt_gloss_index_lookup(ix, r->en, strlen(r->en), BT_LOOKUP_REVERSE, 0, 0, &h);
            FUZZ_CHECK(has_hit(&h, r->vi, r->en), "a row is not found by its English");
        }
        bt_gloss_hits_free(&h);
        bt_buf_free(&key);
    }
    bt_gloss_index_free(ix);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    uint8_t mode = data[0];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    bt_gloss *g = bt_gloss_new();
    fuzz_diags dg = { 0, 0 };
    if (mode & 1) {
        char path[300];
        fuzz_path("in.tbx", path, sizeof path);
        fuzz_write_file(path, text, len);
        int rc = bt_gloss_read_tbx(g, path, fuzz_diag, &dg);
        FUZZ_CHECK(rc == BT_OK || dg.errors > 0, "TBX error not reported");
    } else {
        int rc = bt_gloss_read_tsv_mem(g, "in.tsv", text, len, fuzz_diag, &dg);
        FUZZ_CHECK(rc == BT_OK, "TSV from memory cannot fail");
    }
    for (size_t i = 0; i < bt_gloss_size(g); i++) {
        const bt_gloss_row *r = bt_gloss_row_at(g, i);
        check_row(r);
        {
            check_clean(r->vi);
            check_clean(r->en);
            check_clean(r->kind);
            check_clean(r->sources);
        }
    }
    if (!(mode & 2)) write_all(g);
    if (!(mode & 4)) look_up_rows(g);
    bt_gloss_free(g);
    return 0;
}
