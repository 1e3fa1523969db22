/* fuzz_align.c - text to pairs, and pairs to files: bt_doc_from_buffer, then
 * bt_align_doc (captions) or bt_align_texts (a Vietnamese text and an
 * English one, split at the first NUL byte), then, like `bitext align`, the
 * accepted pairs into a TMX and the terms into a glossary, which must read
 * back whole: a memory we write is never broken.
 *
 * Byte 0 chooses: bit 0 whole texts instead of captions; bits 1-2 the
 * caption window (default, 1, 3, 12); bit 3 skip writing the files; bit 4
 * annotated first, as `bitext check` does (captions), or no learned table
 * (whole texts), bit 5 no paragraph anchors (whole texts). */
#include "fuzz.h"
#include "../../align/align.h"
#include "../../gloss/gloss.h"
#include "../../tmx/tmx.h"

static const int windows[4] = { 0, 1, 3, 12 };

static unsigned long last_lineno(const bt_doc *d)
{
    return d && d->nlines ? d->lines[d->nlines - 1].lineno : 0;
}

static void check_result(const bt_align_result *r, unsigned long vi_max,
                         unsigned long en_max)
{
    for (size_t i = 0; i < r->npairs; i++) {
        const bt_pair *p = &r->pairs[i];
        FUZZ_CHECK(p->status <= BT_PAIR_UNPAIRED, "status out of range");
        FUZZ_CHECK(!isnan(p->score) && p->score >= 0 && p->score <= 1, "score not in 0..1");
        FUZZ_CHECK(p->vi || p->en, "pair with neither side");
        FUZZ_CHECK(!p->vi == !p->vi_line, "vi text and vi_line disagree");
        FUZZ_CHECK(!p->en == !p->en_line, "en text and en_line disagree");
        FUZZ_CHECK(p->vi_line <= vi_max && p->en_line <= en_max, "line number past the end");
        FUZZ_CHECK(p->status != BT_PAIR_ACCEPTED || (p->vi && p->en),
                   "accepted pair with a missing side");
        fuzz_check_str(p->vi, "vi segment not UTF-8");
        fuzz_check_str(p->en, "en segment not UTF-8");
    }
    for (size_t i = 0; i < r->nterms; i++) {
        const bt_term *t = &r->terms[i];
        FUZZ_CHECK(t->vi && t->en, "term with a missing side");
        fuzz_check_str(t->vi, "term vi not UTF-8");
        fuzz_check_str(t->en, "term en not UTF-8");
    }
}

static int count_unit(void *ud, const bt_tmx_unit *u, const char *sl, const char *tl)
{
    fuzz_check_str(u->vi, "read-back vi not UTF-8");
    fuzz_check_str(u->en, "read-back en not UTF-8");
    (*(size_t *)ud)++;
    return 0;
}

/* What `bitext align` writes, written and read back. */
static void write_and_read_back(const bt_align_result *r)
{
    char tmx[300], tsv[300], tbx[300];
    fuzz_path("memory.tmx", tmx, sizeof tmx);
    fuzz_path("glossary.tsv", tsv, sizeof tsv);
    fuzz_path("glossary.tbx", tbx, sizeof tbx);

    bt_tmx_writer *w = bt_tmx_writer_open(tmx, "fuzz");
    FUZZ_CHECK(w != NULL, "cannot open the TMX writer");
    size_t written = 0;
    for (size_t i = 0; i < r->npairs; i++) {
        const bt_pair *p = &r->pairs[i];
        if (p->status != BT_PAIR_ACCEPTED) continue;
        bt_tmx_unit u = { p->vi, p->en, "fuzz.txt", p->vi_line, p->en_line, p->score,
                          1, NULL, NULL, NULL };
        FUZZ_CHECK(bt_tmx_writer_add(w, &u) == 0, "TMX writer failed");
        written++;
    }
    FUZZ_CHECK(bt_tmx_writer_close(w) == 0, "TMX writer close failed");
    fuzz_diags dg = { 0, 0 };
    unsigned long units = 0;
    long problems = bt_tmx_validate(tmx, &units, fuzz_diag, &dg);
    FUZZ_CHECK(problems == 0, "the memory we wrote does not validate");
    FUZZ_CHECK(units == written, "validate counts another number of units");
    size_t nread = 0;
    FUZZ_CHECK(bt_tmx_read(tmx, count_unit, &nread, fuzz_diag, &dg) == BT_OK,
               "the memory we wrote does not read");
    FUZZ_CHECK(nread == written, "the memory reads back another number of units");

    bt_gloss *g = bt_gloss_new();
    for (size_t i = 0; i < r->nterms; i++) {
        const bt_term *t = &r->terms[i];
        bt_gloss_add(g, t->vi, t->en, bt_term_kind_name(t->kind), "fuzz.txt", t->vi_line);
    }
    FUZZ_CHECK(bt_gloss_write_tsv(g, tsv) == 0, "TSV glossary not written");
    FUZZ_CHECK(bt_gloss_write_tbx(g, tbx) == 0, "TBX glossary not written");
    bt_gloss *back = bt_gloss_new();
    fuzz_diags gd = { 0, 0 };
    FUZZ_CHECK(bt_gloss_read_tsv(back, tsv, fuzz_diag, &gd) == BT_OK, "TSV glossary does not read");
    FUZZ_CHECK(gd.errors == 0 && gd.warnings == 0, "TSV glossary we wrote has bad lines");
    FUZZ_CHECK(bt_gloss_size(back) == bt_gloss_size(g), "TSV glossary reads back another size");
    bt_gloss_free(back);
    if (bt_gloss_size(g)) {
        back = bt_gloss_new();
        FUZZ_CHECK(bt_gloss_read_tbx(back, tbx, fuzz_diag, &gd) == BT_OK, "TBX glossary does not read");
        FUZZ_CHECK(bt_gloss_size(back) == bt_gloss_size(g), "TBX glossary reads back another size");
        bt_gloss_free(back);
    }
    bt_gloss_free(g);
}

/* The first n (at most 64) matches of a and b agree, field by field (not
 * by memcmp: the padding of a match is whatever the stack held). */
static int same_matches(const bt_title_match *a, const bt_title_match *b, size_t n)
{
    for (size_t i = 0; i < n && i < 64; i++)
        if (a[i].start != b[i].start || a[i].end != b[i].end || a[i].concept != b[i].concept ||
            a[i].kind != b[i].kind || a[i].body != b[i].body ||
            a[i].body_start != b[i].body_start || a[i].body_end != b[i].body_end)
            return 0;
    return 1;
}

/* What the annotation holds is the lexicon's own, for the lines and the
 * sides of the pairs; the titles given to people in it are UTF-8. */
static void check_notes(const bt_lexicon *lex, const bt_doc *doc, bt_annotation *a,
                        const bt_align_result *res)
{
    bt_title_match m[64];
    const bt_title_match *am;
    for (size_t i = 0; i < doc->nlines; i++) {
        const bt_line *ln = &doc->lines[i];
        bt_lang lang = ln->lang == BT_LANG_VI ? BT_LANG_VI : BT_LANG_EN;
        size_t n = bt_lexicon_find(lex, lang, ln->text, ln->len, m, 64);
        FUZZ_CHECK(n == bt_annotation_line_titles(a, i, lang, &am) &&
                       same_matches(m, am, n < 64 ? n : 64),
                   "line matches differ from bt_lexicon_find");
    }
    for (size_t i = 0; i < res->npairs; i++)
        for (int en = 0; en < 2; en++) {
            const char *t = en ? res->pairs[i].en : res->pairs[i].vi;
            bt_lang lang = en ? BT_LANG_EN : BT_LANG_VI;
            if (!t) continue;
            size_t n = bt_lexicon_find(lex, lang, t, strlen(t), m, 64);
            FUZZ_CHECK(n == bt_annotation_pair_titles(a, res, i, lang, &am) &&
                           same_matches(m, am, n < 64 ? n : 64),
                       "pair matches differ from bt_lexicon_find");
            const bt_given_title *g;
            size_t ng = bt_annotation_pair_given(a, res, i, lang, &g);
            for (size_t k = 0; k < ng; k++) {
                fuzz_check_str(g[k].person, "person not UTF-8");
                fuzz_check_str(g[k].title, "title not UTF-8");
            }
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    uint8_t mode = data[0];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    const bt_lexicon *lex = bt_lexicon_default();
    bt_align_result res;
    memset(&res, 0, sizeof res);

    if (!(mode & 1)) {
        bt_doc *doc = NULL;
        if (bt_doc_from_buffer("fuzz.txt", text, len, NULL, fuzz_diag, NULL, &doc) != BT_OK)
            return 0;
        bt_align_opts o;
        memset(&o, 0, sizeof o);
        o.window = windows[(mode >> 1) & 3];
        bt_annotation *notes = mode & 16 ? bt_annotate(lex, doc) : NULL;
        o.notes = notes;
        bt_align_doc(lex, doc, &o, &res);
        if (notes) check_notes(lex, doc, notes, &res);
        bt_annotation_free(notes);
        check_result(&res, last_lineno(doc), last_lineno(doc));
        bt_doc_free(doc);
    } else {
        const char *nul = memchr(text, '\0', len);
        size_t vlen = nul ? (size_t)(nul - text) : len;
        size_t elen = nul ? len - vlen - 1 : 0;
        bt_doc *vi = NULL, *en = NULL;
        bt_doc_from_buffer("vi.txt", text, vlen, NULL, fuzz_diag, NULL, &vi);
        bt_doc_from_buffer("en.txt", nul ? nul + 1 : "", elen, NULL, fuzz_diag, NULL, &en);
        if (!vi || !en) {
            bt_doc_free(vi);
            bt_doc_free(en);
            return 0;
        }
        bt_bead_opts o;
        memset(&o, 0, sizeof o);
        o.no_learn = !!(mode & 16);
        o.no_anchors = !!(mode & 32);
        FUZZ_CHECK(bt_align_texts(lex, vi, en, &o, &res) == BT_OK, "bt_align_texts failed");
        check_result(&res, last_lineno(vi), last_lineno(en));
        bt_doc_free(vi);
        bt_doc_free(en);
    }
    if (!(mode & 8)) write_and_read_back(&res);
    bt_align_result_free(&res);
    return 0;
}
