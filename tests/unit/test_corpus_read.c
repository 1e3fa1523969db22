/* test_corpus_read.c - the corpus reader: inputs, bytes, decoding, lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <unicode/ucnv.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "../../corpus/corpus.h"

/* ---- captured diagnostics --------------------------------------------- */

typedef struct seen_diag {
    int code, is_warning;
    char file[256];
    unsigned long line;
    char msg[512];
} seen_diag;

typedef struct diags {
    seen_diag d[64];
    size_t n;
} diags;

static void capture(void *ud, const bt_diag *d)
{
    diags *ds = ud;
    if (ds->n == sizeof ds->d / sizeof ds->d[0]) return;
    seen_diag *s = &ds->d[ds->n++];
    s->code = d->code;
    s->is_warning = d->is_warning;
    snprintf(s->file, sizeof s->file, "%s", d->file ? d->file : "");
    s->line = d->line;
    snprintf(s->msg, sizeof s->msg, "%s", d->msg);
}

static bt_doc *from_buf(const char *s, size_t n, const bt_read_opts *o, diags *ds)
{
    bt_doc *doc = NULL;
    int rc = bt_doc_from_buffer("t.txt", s, n, o, capture, ds, &doc);
    assert_int_equal(rc, BT_OK);
    assert_non_null(doc);
    return doc;
}

#define FROM(lit, opts, ds) from_buf((lit), sizeof(lit) - 1, (opts), (ds))

static void expect_line(const bt_doc *doc, size_t i, unsigned long lineno,
                        const char *text)
{
    assert_true(i < doc->nlines);
    assert_int_equal(doc->lines[i].lineno, lineno);
    assert_int_equal(doc->lines[i].len, strlen(text));
    assert_string_equal(doc->lines[i].text, text);
}

/* ---- temporary files -------------------------------------------------- */

static char tmpdir[256];

static int make_tmpdir(void **state)
{
    (void)state;
    const char *t = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/bt_read_XXXXXX", t && *t ? t : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    (void)state;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "chmod -R u+rwx '%s'; rm -rf '%s'", tmpdir, tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static char *tmp_path(const char *name)
{
    static char buf[4][512];
    static int k;
    char *p = buf[k++ & 3];
    snprintf(p, 512, "%s/%s", tmpdir, name);
    return p;
}

static void write_file(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static void write_gz(const char *path, const char *data, size_t n)
{
    gzFile g = gzopen(path, "wb");
    assert_non_null(g);
    assert_int_equal(gzwrite(g, data, (unsigned)n), (int)n);
    assert_int_equal(gzclose(g), Z_OK);
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *n = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

/* ---- line ends, BOM --------------------------------------------------- */

static void test_line_ends(void **state)
{
    (void)state;
    diags ds = { .n = 0 };
    bt_doc *doc = FROM("lf\ncrlf\r\ncr\rlast", NULL, &ds);
    assert_int_equal(doc->nlines, 4);
    expect_line(doc, 0, 1, "lf");
    expect_line(doc, 1, 2, "crlf");
    expect_line(doc, 2, 3, "cr");
    expect_line(doc, 3, 4, "last");
    assert_int_equal(doc->nproblems, 0);
    assert_int_equal(ds.n, 0);
    bt_doc_free(doc);

    /* Blank lines are kept; a final line end makes no extra line. */
    doc = FROM("a\r\n\r\n\n\rb\r\n", NULL, &ds);
    assert_int_equal(doc->nlines, 5);
    expect_line(doc, 0, 1, "a");
    expect_line(doc, 1, 2, "");
    expect_line(doc, 2, 3, "");
    expect_line(doc, 3, 4, "");
    expect_line(doc, 4, 5, "b");
    assert_int_equal(doc->lines[1].lang, BT_LANG_BLANK);
    bt_doc_free(doc);

    doc = FROM("x\r", NULL, &ds);
    assert_int_equal(doc->nlines, 1);
    expect_line(doc, 0, 1, "x");
    bt_doc_free(doc);
    assert_int_equal(ds.n, 0);
}

static void test_empty_and_blank(void **state)
{
    (void)state;
    diags ds = { .n = 0 };
    bt_doc *doc = from_buf("", 0, NULL, &ds);
    assert_int_equal(doc->nlines, 0);
    assert_string_equal(doc->path, "t.txt");
    bt_doc_free(doc);

    doc = FROM("\n  \n\t\n", NULL, &ds);
    assert_int_equal(doc->nlines, 3);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(doc->lines[i].lang, BT_LANG_BLANK);
    expect_line(doc, 2, 3, "\t");
    bt_doc_free(doc);
    assert_int_equal(ds.n, 0);
    bt_doc_free(NULL);
}

static void test_utf8_bom(void **state)
{
    (void)state;
    diags ds = { .n = 0 };
    bt_doc *doc = FROM("\xEF\xBB\xBFXin ch\xC3\xA0o\r\nHello\r\n", NULL, &ds);
    assert_int_equal(doc->nlines, 2);
    expect_line(doc, 0, 1, "Xin ch\xC3\xA0o");
    expect_line(doc, 1, 2, "Hello");
    bt_doc_free(doc);
    assert_int_equal(ds.n, 0);
}

/* UTF-16 bytes of a UTF-8 string, with a BOM, in the byte order asked. */
static size_t utf16_bytes(const char *utf8, int big_endian, char *out, size_t cap)
{
    UChar u[256];
    int32_t n = 0;
    UErrorCode err = U_ZERO_ERROR;
    u_strFromUTF8(u, 256, &n, utf8, -1, &err);
    assert_true(U_SUCCESS(err));
    size_t o = 0;
    UChar bom = 0xFEFF;
    for (int32_t i = -1; i < n; i++) {
        UChar c = i < 0 ? bom : u[i];
        assert_true(o + 2 <= cap);
        out[o++] = (char)(big_endian ? c >> 8 : c & 0xFF);
        out[o++] = (char)(big_endian ? c & 0xFF : c >> 8);
    }
    return o;
}

static void test_utf16_bad_surrogate(void **state)
{
    (void)state;
    /* UTF-16LE: "ok\n", a lone trail surrogate, "\nfine\n". */
    const char raw[] = "\xFF\xFE" "o\0k\0\n\0" "\x00\xDC" "\n\0" "f\0i\0n\0e\0\n\0";
    diags ds = { .n = 0 };
    bt_doc *doc = from_buf(raw, sizeof raw - 1, NULL, &ds);
    assert_int_equal(doc->nlines, 2);
    expect_line(doc, 0, 1, "ok");
    expect_line(doc, 1, 3, "fine");
    assert_int_equal(ds.n, 1);
    assert_int_equal(ds.d[0].line, 2);
    assert_int_equal(ds.d[0].code, BT_ERR_ENCODING);
    assert_string_equal(ds.d[0].msg, "invalid byte sequence for encoding 'UTF-16LE'");
    bt_doc_free(doc);
}

static void test_utf16_bom(void **state)
{
    (void)state;
    const char *text = "Ph\xC3\xB3 Ch\xE1\xBB\xA7 t\xE1\xBB\x8B" "ch\r\nVice Chairman\n";
    for (int be = 0; be <= 1; be++) {
        char raw[512];
        size_t n = utf16_bytes(text, be, raw, sizeof raw);
        diags ds = { .n = 0 };
        bt_doc *doc = from_buf(raw, n, NULL, &ds);
        assert_int_equal(doc->nlines, 2);
        expect_line(doc, 0, 1, "Ph\xC3\xB3 Ch\xE1\xBB\xA7 t\xE1\xBB\x8B" "ch");
        expect_line(doc, 1, 2, "Vice Chairman");
        assert_int_equal(ds.n, 0);
        bt_doc_free(doc);
    }
    /* Also from a file, which has no NUL-byte complaint. */
    char raw[512];
    size_t n = utf16_bytes("Ngh\xE1\xBB\x87 An\n", 0, raw, sizeof raw);
    write_file(tmp_path("u16.txt"), raw, n);
    diags ds = { .n = 0 };
    bt_doc *doc = NULL;
    assert_int_equal(bt_doc_read(tmp_path("u16.txt"), NULL, capture, &ds, &doc), BT_OK);
    assert_int_equal(doc->nlines, 1);
    expect_line(doc, 0, 1, "Ngh\xE1\xBB\x87 An");
    bt_doc_free(doc);
}

/* UTF-16 that lost its byte order mark is known by its NUL bytes, and read
 * with a warning; a binary file is not taken for it. */
static void test_utf16_without_bom(void **state)
{
    (void)state;
    const char *text = "Ph\xC3\xB3 Ch\xE1\xBB\xA7 t\xE1\xBB\x8B" "ch UBND t\xE1\xBB\x89nh\nVice Chairman\n";
    for (int be = 0; be <= 1; be++) {
        char raw[512];
        size_t n = utf16_bytes(text, be, raw, sizeof raw);
        diags ds = { .n = 0 };
        bt_doc *doc = from_buf(raw + 2, n - 2, NULL, &ds); /* the BOM left out */
        assert_int_equal(doc->nlines, 2);
        expect_line(doc, 0, 1, "Ph\xC3\xB3 Ch\xE1\xBB\xA7 t\xE1\xBB\x8B" "ch UBND t\xE1\xBB\x89nh");
        expect_line(doc, 1, 2, "Vice Chairman");
        assert_int_equal(ds.n, 1);
        assert_int_equal(ds.d[0].is_warning, 1);
        assert_string_equal(ds.d[0].msg, be ? "no byte order mark; the file is read as UTF-16BE"
                                            : "no byte order mark; the file is read as UTF-16LE");
        bt_doc_free(doc);
    }
    /* NULs at random places: binary, as before */
    unsigned char bin[256];
    for (size_t i = 0; i < sizeof bin; i++) bin[i] = (unsigned char)(i * 37 % 251);
    diags ds = { .n = 0 };
    bt_doc *doc = (bt_doc *)1;
    assert_int_equal(bt_doc_from_buffer("b.txt", (const char *)bin, sizeof bin, NULL, capture, &ds, &doc),
                     BT_ERR_FORMAT);
    assert_null(doc);
}

/* ---- normalization ---------------------------------------------------- */

static void test_nfd_to_nfc(void **state)
{
    (void)state;
    diags ds = { .n = 0 };
    /* Nguyễn in NFD: e + circumflex + tilde; hòa with the tone mark as a
     * combining grave. */
    bt_doc *doc = FROM("Nguye\xCC\x82\xCC\x83n\nho\xCC\x80" "a\nplain\n", NULL, &ds);
    assert_int_equal(doc->nlines, 3);
    expect_line(doc, 0, 1, "Nguy\xE1\xBB\x85n");
    expect_line(doc, 1, 2, "h\xC3\xB2" "a");
    expect_line(doc, 2, 3, "plain");
    assert_int_equal(doc->nproblems, 0);
    assert_int_equal(ds.n, 0);
    bt_doc_free(doc);

    /* Precomposed characters that are not NFC: U+212B ANGSTROM SIGN
     * (singleton to U+00C5) and Hangul jamo L+V (compose to U+AC00). */
    doc = FROM("a\xE2\x84\xAB" "b\n\xE1\x84\x80\xE1\x85\xA1\n", NULL, &ds);
    expect_line(doc, 0, 1, "a\xC3\x85" "b");
    expect_line(doc, 1, 2, "\xEA\xB0\x80");
    bt_doc_free(doc);
}

/* NFC longer than the source (composition exclusion U+0958 -> U+0915
 * U+093C): the line no longer fits its own place. */
static void test_nfc_grows(void **state)
{
    (void)state;
    char src[4096], want[8192];
    size_t n = 0, m = 0;
    for (int i = 0; i < 1000; i++) {
        memcpy(src + n, "\xE0\xA5\x98", 3);
        n += 3;
        memcpy(want + m, "\xE0\xA4\x95\xE0\xA4\xBC", 6);
        m += 6;
    }
    want[m] = '\0';
    memcpy(src + n, "\nnext\n", 6);
    n += 6;
    diags ds = { .n = 0 };
    bt_doc *doc = from_buf(src, n, NULL, &ds);
    assert_int_equal(doc->nlines, 2);
    expect_line(doc, 0, 1, want);
    expect_line(doc, 1, 2, "next");
    bt_doc_free(doc);
}

/* ---- legacy encodings ------------------------------------------------- */

static void test_windows_1258(void **state)
{
    (void)state;
    /* Text as legacy files carry it: the code page has the vowels with
     * circumflex, breve and horn precomposed, and tone marks as combining
     * characters (ê + U+0303 for ễ). */
    const char *utf8 = "Nguy\xC3\xAA\xCC\x83n Xu\xC3\xA2n S\xC6\xA1n - Pho\xCC\x81 "
                       "Bi\xCC\x81 th\xC6\xB0\n"
                       "\xC4\x90\xC3\xB4\xCC\x80ng chi\xCC\x81 ho\xCC\x80" "a\n";
    UChar u[256];
    int32_t nu = 0;
    UErrorCode err = U_ZERO_ERROR;
    u_strFromUTF8(u, 256, &nu, utf8, -1, &err);
    assert_true(U_SUCCESS(err));
    UConverter *cnv = ucnv_open("windows-1258", &err);
    assert_true(U_SUCCESS(err));
    char raw[512];
    int32_t nraw = ucnv_fromUChars(cnv, raw, sizeof raw, u, nu, &err);
    ucnv_close(cnv);
    assert_true(U_SUCCESS(err));
    /* Every character converted (no SUB), and ễ went out as a combining
     * tilde (0xDE), so the reader's NFC is what puts it back together. */
    assert_null(memchr(raw, 0x1A, (size_t)nraw));
    assert_non_null(memchr(raw, 0xDE, (size_t)nraw));
    /* Round trip through ICU itself. */
    err = U_ZERO_ERROR;
    cnv = ucnv_open("windows-1258", &err);
    UChar back[256];
    int32_t nback = ucnv_toUChars(cnv, back, 256, raw, nraw, &err);
    ucnv_close(cnv);
    assert_true(U_SUCCESS(err));
    assert_int_equal(nback, nu);
    assert_memory_equal(back, u, (size_t)nu * sizeof *u);

    bt_read_opts o = { .encoding = "windows-1258" };
    diags ds = { .n = 0 };
    bt_doc *doc = from_buf(raw, (size_t)nraw, &o, &ds);
    assert_int_equal(doc->nlines, 2);
    expect_line(doc, 0, 1, "Nguy\xE1\xBB\x85n Xu\xC3\xA2n S\xC6\xA1n - Ph\xC3\xB3 B\xC3\xAD th\xC6\xB0");
    expect_line(doc, 1, 2, "\xC4\x90\xE1\xBB\x93ng ch\xC3\xAD h\xC3\xB2" "a");
    assert_int_equal(ds.n, 0);
    bt_doc_free(doc);

    /* Named nothing, the bytes are seen not to be UTF-8 and read as
     * windows-1258 all the same, with one warning. */
    doc = from_buf(raw, (size_t)nraw, NULL, &ds);
    assert_int_equal(doc->nlines, 2);
    expect_line(doc, 0, 1, "Nguy\xE1\xBB\x85n Xu\xC3\xA2n S\xC6\xA1n - Ph\xC3\xB3 B\xC3\xAD th\xC6\xB0");
    assert_int_equal(ds.n, 1);
    assert_int_equal(ds.d[0].is_warning, 1);
    assert_int_equal(ds.d[0].line, 1);
    assert_non_null(strstr(ds.d[0].msg, "read as windows-1258"));
    bt_doc_free(doc);

    /* Named UTF-8, they are not UTF-8: each line dropped and reported. */
    bt_read_opts u8 = { .encoding = "UTF-8" };
    ds.n = 0;
    doc = from_buf(raw, (size_t)nraw, &u8, &ds);
    assert_int_equal(doc->nlines, 0);
    assert_int_equal(doc->nproblems, 2);
    assert_int_equal(ds.n, 2);
    assert_int_equal(ds.d[0].code, BT_ERR_UTF8);
    bt_doc_free(doc);
}

/* Which files are taken for windows-1258 when no encoding is named: those
 * whose bytes above 0x7F mostly cannot be UTF-8. */
static void test_legacy_sniffed(void **state)
{
    (void)state;
    diags ds = { .n = 0 };
    /* UTF-8 with one line that is not (issue 17): still UTF-8, that line
     * read as windows-1258 and named */
    bt_doc *doc = FROM("H\xE1\xBB\x99i ngh\xE1\xBB\x8B\nbad \xE9 byte\nT\xC4\xA9nh\n", NULL, &ds);
    assert_int_equal(doc->nlines, 3);
    expect_line(doc, 1, 2, "bad \xC3\xA9 byte");
    assert_int_equal(ds.n, 1);
    assert_int_equal(ds.d[0].is_warning, 1);
    assert_int_equal(ds.d[0].line, 2);
    assert_string_equal(ds.d[0].msg, "not UTF-8; the line is read as windows-1258");
    bt_doc_free(doc);

    /* English in the code page, curly quotes and a dash on line 3 */
    ds.n = 0;
    doc = FROM("The minister\nsaid\nthat \x93we will\x94 \x96 soon.\n", NULL, &ds);
    assert_int_equal(doc->nlines, 3);
    expect_line(doc, 2, 3, "that \xE2\x80\x9Cwe will\xE2\x80\x9D \xE2\x80\x93 soon.");
    assert_int_equal(ds.n, 1);
    assert_int_equal(ds.d[0].is_warning, 1);
    assert_int_equal(ds.d[0].line, 3);
    assert_string_equal(ds.d[0].file, "t.txt");
    bt_doc_free(doc);

    /* ASCII, and UTF-8 whose one odd sequence is still shaped like UTF-8
     * (a surrogate): no guess, nothing said about the encoding */
    ds.n = 0;
    doc = FROM("plain\ntext\n", NULL, &ds);
    assert_int_equal(ds.n, 0);
    bt_doc_free(doc);
    ds.n = 0;
    doc = FROM("\xED\xA0\x80 x\n", NULL, &ds);
    assert_int_equal(doc->nlines, 0);
    assert_int_equal(ds.n, 1);
    assert_int_equal(ds.d[0].code, BT_ERR_UTF8);
    assert_int_equal(ds.d[0].is_warning, 0);
    bt_doc_free(doc);
}

static void test_unknown_encoding(void **state)
{
    (void)state;
    bt_read_opts o = { .encoding = "klingon-42" };
    diags ds = { .n = 0 };
    bt_doc *doc = (bt_doc *)1;
    int rc = bt_doc_from_buffer("k.txt", "abc\n", 4, &o, capture, &ds, &doc);
    assert_int_equal(rc, BT_ERR_ENCODING);
    assert_null(doc);
    assert_int_equal(ds.n, 1);
    assert_int_equal(ds.d[0].code, BT_ERR_ENCODING);
    assert_string_equal(ds.d[0].file, "k.txt");
    assert_non_null(strstr(ds.d[0].msg, "'klingon-42'"));
}

/* Bytes the converter rejects: the line is dropped and named. */
static void test_illegal_in_encoding(void **state)
{
    (void)state;
    bt_read_opts o = { .encoding = "US-ASCII" };
    diags ds = { .n = 0 };
    bt_doc *doc = FROM("good\nbad \xE9 byte\nalso good\n", &o, &ds);
    assert_int_equal(doc->nlines, 2);
    expect_line(doc, 0, 1, "good");
    expect_line(doc, 1, 3, "also good");
    assert_int_equal(doc->nproblems, 1);
    assert_int_equal(ds.n, 1);
    assert_int_equal(ds.d[0].code, BT_ERR_ENCODING);
    assert_int_equal(ds.d[0].line, 2);
    assert_non_null(strstr(ds.d[0].msg, "US-ASCII"));
    bt_doc_free(doc);

    /* An explicit UTF-8 is the ordinary path, BOM stripped. */
    o.encoding = "utf8";
    ds.n = 0;
    doc = FROM("\xEF\xBB\xBFok\n", &o, &ds);
    expect_line(doc, 0, 1, "ok");
    bt_doc_free(doc);
}

/* issue 17: one Latin-1 line (a copyright line) made a whole UTF-8 article
 * windows-1258, and its pairs mojibake. Now the encoding is decided per
 * line: the file stays UTF-8, the lines that are mostly not UTF-8 are read
 * as windows-1258, each named; only a file mostly not UTF-8 is read as
 * legacy, as a whole, with one warning. */
static void test_latin1_line_in_utf8_file(void **state)
{
    (void)state;
    diags ds = { .n = 0 };
    /* the Latin-1 line first, with more stray bytes than the first 64
     * sequences could outweigh */
    bt_buf b;
    bt_buf_init(&b);
    bt_buf_adds(&b, "Copyright \xA9 2019 \xAB");
    for (int i = 0; i < 40; i++) bt_buf_adds(&b, "\xE9");
    bt_buf_adds(&b, "\xBB\n");
    for (int i = 0; i < 30; i++)
        bt_buf_adds(&b, "Nguy\xE1\xBB\x85n Xu\xC3\xA2n S\xC6\xA1n ph\xC3\xA1t bi\xE1\xBB\x83u\n");
    bt_buf_adds(&b, "Soci\xE9t\xE9 G\xE9n\xE9rale\n");
    bt_doc *doc = from_buf(b.ptr, b.len, NULL, &ds);
    assert_int_equal(doc->nlines, 32);
    expect_line(doc, 1, 2, "Nguy\xE1\xBB\x85n Xu\xC3\xA2n S\xC6\xA1n ph\xC3\xA1t bi\xE1\xBB\x83u");
    expect_line(doc, 31, 32, "Soci\xC3\xA9t\xC3\xA9 G\xC3\xA9n\xC3\xA9rale");
    assert_int_equal(strncmp(doc->lines[0].text, "Copyright \xC2\xA9 2019 \xC2\xAB\xC3\xA9", 17), 0);
    assert_int_equal(ds.n, 2);
    assert_int_equal(ds.d[0].line, 1);
    assert_int_equal(ds.d[1].line, 32);
    assert_int_equal(ds.d[0].is_warning, 1);
    assert_string_equal(ds.d[1].msg, "not UTF-8; the line is read as windows-1258");
    bt_doc_free(doc);

    /* a file mostly windows-1258 with one UTF-8 line: legacy as a whole */
    ds.n = 0;
    bt_buf_reset(&b);
    for (int i = 0; i < 30; i++) bt_buf_adds(&b, "H\xF2" "a B\xEC" "nh \xD0\xE3 n\xF3i\n");
    bt_buf_adds(&b, "Nguy\xE1\xBB\x85n\n");
    doc = from_buf(b.ptr, b.len, NULL, &ds);
    assert_int_equal(ds.n, 1);
    assert_non_null(strstr(ds.d[0].msg, "the file is read as windows-1258"));
    bt_doc_free(doc);
    bt_buf_free(&b);
}

/* issue 17: NFC was quadratic in a run of combining marks of mixed classes
 * (a 1 MB line, under the default --max-line, took 120 s). Text is made
 * stream-safe first (UAX #15: at most 30 non-starters in a row, the rest
 * dropped and counted): the same line keeps 30 marks (docs/robustness.md gives
 * the time: well under a second). */
static void test_marks_line_stream_safe(void **state)
{
    (void)state;
    static const char marks[4][3] = { "\xCC\x81", "\xCC\xA3", "\xCC\xA8", "\xCC\x86" };
    size_t n = 1 + 2 * 500000;
    char *buf = malloc(n + 1);
    buf[0] = 'a';
    for (size_t i = 0; i < 500000; i++) memcpy(buf + 1 + 2 * i, marks[i % 4], 2);
    buf[n] = '\n';
    diags ds = { .n = 0 };
    bt_doc *doc = from_buf(buf, n + 1, NULL, &ds);
    assert_int_equal(doc->nlines, 1);
    assert_int_equal(ds.n, 1);
    assert_int_equal(ds.d[0].is_warning, 1);
    assert_string_equal(ds.d[0].msg, "499970 combining marks beyond 30 in a row "
                                     "dropped (stream-safe text, UAX #15)");
    /* a + 30 marks, in NFC: the first composes with the a */
    assert_true(doc->lines[0].len < 64);
    bt_doc_free(doc);
    free(buf);

    /* 30 marks in a row are kept */
    uint16_t u[32];
    u[0] = 'a';
    for (int i = 1; i < 32; i++) u[i] = (uint16_t)(i % 2 ? 0x0301 : 0x0323);
    unsigned long dropped = 0;
    assert_int_equal(bt_stream_safe_u16(u, 31, &dropped), 31);
    assert_int_equal(dropped, 0);
    assert_int_equal(bt_stream_safe_u16(u, 32, &dropped), 31);
    assert_int_equal(dropped, 1);
}

/* ---- bad lines -------------------------------------------------------- */

static void test_invalid_utf8_line(void **state)
{
    (void)state;
    diags ds = { .n = 0 };
    /* damaged UTF-8: a stray byte beside a good sequence, a surrogate */
    bt_doc *doc = FROM("first\nbad \xC3( h\xC3\xA9re\nthird\n\xED\xA0\x80 surrogate\nfifth", NULL, &ds);
    assert_int_equal(doc->nlines, 3);
    expect_line(doc, 0, 1, "first");
    expect_line(doc, 1, 3, "third");
    expect_line(doc, 2, 5, "fifth");
    assert_int_equal(doc->nproblems, 2);
    assert_int_equal(ds.n, 2);
    assert_int_equal(ds.d[0].code, BT_ERR_UTF8);
    assert_int_equal(ds.d[0].is_warning, 0);
    assert_int_equal(ds.d[0].line, 2);
    assert_string_equal(ds.d[0].file, "t.txt");
    assert_string_equal(ds.d[0].msg, "invalid UTF-8 (byte offset 4)");
    assert_int_equal(ds.d[1].line, 4);
    assert_string_equal(ds.d[1].msg, "invalid UTF-8 (byte offset 0)");
    bt_doc_free(doc);
}

static void test_control_chars(void **state)
{
    (void)state;
    diags ds = { .n = 0 };
    bt_doc *doc = FROM("a\x01" "b\x7F\x02\nkeep\ttab\nx\xEF\xBF\xBEy\xC2\x85z\n", NULL, &ds);
    assert_int_equal(doc->nlines, 3);
    expect_line(doc, 0, 1, "a b  ");
    expect_line(doc, 1, 2, "keep\ttab");
    expect_line(doc, 2, 3, "x y z");
    assert_int_equal(doc->nproblems, 2);
    assert_int_equal(ds.n, 2); /* once per line */
    assert_int_equal(ds.d[0].is_warning, 1);
    assert_int_equal(ds.d[0].line, 1);
    assert_string_equal(ds.d[0].msg, "control character U+0001 replaced");
    assert_int_equal(ds.d[1].line, 3);
    assert_string_equal(ds.d[1].msg, "noncharacter U+FFFE replaced");
    bt_doc_free(doc);
}

/* Invisible characters are taken out without a word: a soft hyphen inside
 * a name, zero-width spaces beside spaces, a joiner, a BOM inside a line;
 * a decomposed letter around a soft hyphen still composes. Other spaces
 * become the space. */
static void test_invisible_removed(void **state)
{
    (void)state;
    diags ds = { .n = 0 };
    bt_doc *doc = FROM("Nguy\xC3\xAA\xC2\xAD\xCC\x83n \xE2\x80\x8BXu\xC3\xA2n\xE2\x80\x8D S\xC6\xA1n\n"
                       "\xEF\xBB\xBFHa\xE2\x81\xA0noi\x01 x\n"
                       "\xE2\x80\x8B\n", NULL, &ds);
    assert_int_equal(doc->nlines, 3);
    expect_line(doc, 0, 1, "Nguy\xE1\xBB\x85n Xu\xC3\xA2n S\xC6\xA1n");
    expect_line(doc, 1, 2, "Hanoi  x");
    expect_line(doc, 2, 3, "");
    /* only the control character is reported */
    assert_int_equal(ds.n, 1);
    assert_int_equal(ds.d[0].line, 2);
    assert_int_equal(doc->nproblems, 1);
    bt_doc_free(doc);

    /* no-break, thin, ideographic and narrow no-break spaces are spaces */
    ds.n = 0;
    doc = FROM("Nguy\xE1\xBB\x85n\xC2\xA0Xu\xC3\xA2n\xE2\x80\x89S\xC6\xA1n\xE3\x80\x80"
               "100\xE2\x80\xAFkm\n", NULL, &ds);
    expect_line(doc, 0, 1, "Nguy\xE1\xBB\x85n Xu\xC3\xA2n S\xC6\xA1n 100 km");
    assert_int_equal(ds.n, 0);
    bt_doc_free(doc);
}

/* issue 17: LRM, RLM, ALM and the bidi embeddings, overrides and isolates
 * were kept ("Phó<LRM> Chủ tịch" a second glossary row, U+202E in the
 * memory); now taken out as the other invisible characters, and counted. */
static void test_bidi_controls_removed(void **state)
{
    (void)state;
    diags ds = { .n = 0 };
    bt_doc *doc = FROM("Ph\xC3\xB3\xE2\x80\x8E Ch\xE1\xBB\xA7 t\xE1\xBB\x8B" "ch\xE2\x80\x8F\xD8\x9C\n"
                       "\xE2\x80\xAA" "a\xE2\x80\xAB" "b\xE2\x80\xAC" "c\xE2\x80\xAD" "d\xE2\x80\xAE" "e\n"
                       "\xE2\x81\xA6" "f\xE2\x81\xA7" "g\xE2\x81\xA8" "h\xE2\x81\xA9\n", NULL, &ds);
    assert_int_equal(doc->nlines, 3);
    expect_line(doc, 0, 1, "Ph\xC3\xB3 Ch\xE1\xBB\xA7 t\xE1\xBB\x8B" "ch");
    expect_line(doc, 1, 2, "abcde");
    expect_line(doc, 2, 3, "fgh");
    assert_int_equal(ds.n, 0);
    assert_int_equal(doc->nproblems, 0);
    assert_int_equal(doc->ninvisible, 3 + 5 + 4);
    bt_doc_free(doc);
}

/* The one repair both readers use: controls and noncharacters always,
 * other spaces and invisible characters only when asked (articles). */
static void test_text_repair(void **state)
{
    (void)state;
    const char in[] = "a\x01" "b\tc\xC2\xA0" "d\xE2\x80\x8B" "e\xEF\xBF\xBE";
    char out[sizeof in];
    int32_t bad = 0;
    size_t n = bt_text_repair(out, in, sizeof in - 1, 0, &bad);
    assert_int_equal(bad, 1);
    assert_int_equal(n, sizeof in - 3); /* U+FFFE: three bytes to one */
    assert_memory_equal(out, "a b\tc\xC2\xA0" "d\xE2\x80\x8B" "e ", n);
    n = bt_text_repair(out, in, sizeof in - 1, BT_REPAIR_SPACES, NULL);
    out[n] = '\0';
    assert_string_equal(out, "a b\tc de ");
    /* in place, nothing to repair */
    char same[] = "Nguy\xE1\xBB\x85n";
    assert_int_equal(bt_text_repair(same, same, strlen(same), BT_REPAIR_SPACES, &bad),
                     strlen(same));
    assert_int_equal(bad, -1);
}

/* Every position of a long ASCII line: the word-at-a-time scan must not
 * step over a bad byte. */
static void test_bad_byte_anywhere(void **state)
{
    (void)state;
    const unsigned char bad[] = { 0x01, 0x1F, 0x7F, 0x80, 0xC3, 0xFF };
    for (size_t b = 0; b < sizeof bad; b++) {
        for (size_t pos = 0; pos < 24; pos++) {
            char line[32];
            memset(line, 'q', 24);
            line[pos] = (char)bad[b];
            line[24] = '\n';
            diags ds = { .n = 0 };
            /* named UTF-8: a lone stray byte would otherwise make the
             * file windows-1258 */
            bt_read_opts u8 = { .encoding = "UTF-8" };
            bt_doc *doc = from_buf(line, 25, &u8, &ds);
            assert_int_equal(ds.n, 1);
            assert_int_equal(doc->nproblems, 1);
            if (bad[b] < 0x80) {
                assert_int_equal(doc->nlines, 1);
                assert_int_equal(doc->lines[0].text[pos], ' ');
                assert_int_equal(ds.d[0].is_warning, 1);
            } else {
                assert_int_equal(doc->nlines, 0);
                char want[64];
                snprintf(want, sizeof want, "invalid UTF-8 (byte offset %zu)", pos);
                assert_string_equal(ds.d[0].msg, want);
            }
            bt_doc_free(doc);
        }
    }
}

static void test_binary(void **state)
{
    (void)state;
    diags ds = { .n = 0 };
    bt_doc *doc = (bt_doc *)1;
    int rc = bt_doc_from_buffer("b.bin", "text\nab\0cd", 10, NULL, capture, &ds, &doc);
    assert_int_equal(rc, BT_ERR_FORMAT);
    assert_null(doc);
    assert_int_equal(ds.n, 1);
    assert_string_equal(ds.d[0].file, "b.bin");
    assert_string_equal(ds.d[0].msg, "binary file (NUL byte at offset 7)");
}

static void test_long_line(void **state)
{
    (void)state;
    char src[1200];
    memcpy(src, "short\n", 6);
    memset(src + 6, 'x', 1000);
    memcpy(src + 1006, "\nafter\n", 7);
    bt_read_opts o = { .max_line = 100 };
    diags ds = { .n = 0 };
    bt_doc *doc = from_buf(src, 1013, &o, &ds);
    assert_int_equal(doc->nlines, 2);
    expect_line(doc, 0, 1, "short");
    expect_line(doc, 1, 3, "after");
    assert_int_equal(doc->nproblems, 1);
    assert_int_equal(ds.n, 1);
    assert_int_equal(ds.d[0].code, BT_ERR_LIMIT);
    assert_int_equal(ds.d[0].line, 2);
    assert_string_equal(ds.d[0].msg, "line too long (1000 bytes, limit 100)");
    bt_doc_free(doc);

    /* Exactly at the limit is kept. */
    o.max_line = 1000;
    ds.n = 0;
    doc = from_buf(src, 1013, &o, &ds);
    assert_int_equal(doc->nlines, 3);
    assert_int_equal(ds.n, 0);
    bt_doc_free(doc);
}

static void test_file_limit(void **state)
{
    (void)state;
    bt_read_opts o = { .max_file = 10 };
    diags ds = { .n = 0 };
    bt_doc *doc = NULL;
    assert_int_equal(bt_doc_from_buffer("big.txt", "0123456789", 10, &o, capture, &ds, &doc), BT_OK);
    bt_doc_free(doc);
    assert_int_equal(bt_doc_from_buffer("big.txt", "0123456789a", 11, &o, capture, &ds, &doc),
                     BT_ERR_LIMIT);
    assert_null(doc);
    assert_int_equal(ds.n, 1);
    assert_non_null(strstr(ds.d[0].msg, "10 bytes"));

    /* A file on disk: refused before it is read. */
    write_file(tmp_path("big.txt"), "0123456789abcdef", 16);
    ds.n = 0;
    assert_int_equal(bt_doc_read(tmp_path("big.txt"), &o, capture, &ds, &doc), BT_ERR_LIMIT);
    assert_null(doc);
    assert_string_equal(ds.d[0].file, tmp_path("big.txt"));
}

/* Whatever the bytes, what comes out keeps the promise of corpus.h: valid
 * NFC UTF-8, no CR or LF, no control character but TAB, the length right,
 * line numbers rising. Seeded, so a failure repeats. */
static void test_invariants_random(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "a", "Z", " ", "\t", "\n", "\r", "\r\n", "\x01", "\x7F", "\xC3\xA0",
        "\xCC\x80", "\xCC\x83", "\xE1\xBB\x85", "\xE0\xA5\x98", "\xEF\xBF\xBE",
        "\xC2\x85", "\xC3", "\xE1\xBB", "\xFF", "\xF0\x9F\x98\x80", "\xED\xA0\x80",
        "\xEF\xBB\xBF", "e", "o", "\xE2\x80\x80", "\xE1\x84\x80", "\xE1\x85\xA1",
    };
    const size_t npieces = sizeof pieces / sizeof pieces[0];
    const UNormalizer2 *nfc = NULL;
    UErrorCode err = U_ZERO_ERROR;
    nfc = unorm2_getNFCInstance(&err);
    assert_true(U_SUCCESS(err));
    unsigned seed = 12345;
    char buf[4096];
    UChar u[8192];
    for (int iter = 0; iter < 3000; iter++) {
        size_t n = 0;
        int count = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 200;
        for (int k = 0; k < count; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % npieces];
            size_t len = strlen(p);
            if (n + len >= sizeof buf) break;
            memcpy(buf + n, p, len);
            n += len;
        }
        bt_read_opts o = { .max_line = 1 + (size_t)(seed >> 20) % 64 };
        diags ds = { .n = 0 };
        bt_doc *doc = from_buf(buf, n, iter % 2 ? &o : NULL, &ds);
        unsigned long last = 0;
        for (size_t i = 0; i < doc->nlines; i++) {
            const bt_line *l = &doc->lines[i];
            assert_true(l->lineno > last);
            last = l->lineno;
            assert_int_equal(strlen(l->text), l->len);
            assert_true(bt_utf8_invalid_at(l->text, l->len) == (size_t)-1);
            for (size_t j = 0; j < l->len; j++) {
                unsigned char c = (unsigned char)l->text[j];
                assert_false((c < 0x20 && c != '\t') || c == 0x7F);
            }
            int32_t nu = 0;
            err = U_ZERO_ERROR;
            u_strFromUTF8(u, 8192, &nu, l->text, (int32_t)l->len, &err);
            assert_true(U_SUCCESS(err));
            assert_true(unorm2_isNormalized(nfc, u, nu, &err));
        }
        assert_true(doc->nproblems <= last + 1 + ds.n);
        bt_doc_free(doc);
    }
}

/* ---- files and gzip --------------------------------------------------- */

static void test_read_file_and_missing(void **state)
{
    (void)state;
    write_file(tmp_path("plain.txt"), "one\ntwo\n", 8);
    diags ds = { .n = 0 };
    bt_doc *doc = NULL;
    assert_int_equal(bt_doc_read(tmp_path("plain.txt"), NULL, capture, &ds, &doc), BT_OK);
    assert_string_equal(doc->path, tmp_path("plain.txt"));
    assert_int_equal(doc->nlines, 2);
    expect_line(doc, 1, 2, "two");
    bt_doc_free(doc);

    doc = (bt_doc *)1;
    assert_int_equal(bt_doc_read(tmp_path("nope.txt"), NULL, capture, &ds, &doc), BT_ERR_IO);
    assert_null(doc);
    assert_int_equal(ds.n, 1);
    assert_non_null(strstr(ds.d[0].msg, "cannot open '"));
    assert_non_null(strstr(ds.d[0].msg, "nope.txt': No such file or directory"));

    ds.n = 0;
    assert_int_equal(bt_doc_read(tmpdir, NULL, capture, &ds, &doc), BT_ERR_IO);
    assert_null(doc);
    assert_int_equal(ds.n, 1);
}

/* bt_doc_open and bt_doc_read_fd, as align's budget reads a file it
 * looked at first: the same doc as bt_doc_read, plain or gzip'd, read
 * from the start whatever was read with pread before, and the descriptor
 * left open */
static void test_read_fd(void **state)
{
    (void)state;
    const char *text = "Ngh\xE1\xBB\x87 An\nNghe An\n";
    write_file(tmp_path("fd.txt"), text, strlen(text));
    write_gz(tmp_path("fd.txt.gz"), text, strlen(text));
    for (int k = 0; k < 2; k++) {
        const char *p = tmp_path(k ? "fd.txt.gz" : "fd.txt");
        diags ds = { .n = 0 };
        bt_doc *want = NULL, *got = NULL;
        assert_int_equal(bt_doc_read(p, NULL, capture, &ds, &want), BT_OK);
        int fd = bt_doc_open(p);
        assert_true(fd > 0);
        unsigned char magic[2];
        assert_int_equal(pread(fd, magic, 2, 0), 2);
        assert_int_equal(bt_doc_read_fd(p, fd, NULL, NULL, capture, &ds, &got), BT_OK);
        assert_int_equal(got->nlines, want->nlines);
        for (size_t i = 0; i < got->nlines; i++)
            assert_string_equal(got->lines[i].text, want->lines[i].text);
        assert_string_equal(got->path, p);
        assert_int_equal(fcntl(fd, F_GETFD) >= 0, 1); /* still open */
        close(fd);
        assert_int_equal(ds.n, 0);
        bt_doc_free(want);
        bt_doc_free(got);
    }
    errno = 0;
    assert_int_equal(bt_doc_open(tmp_path("nope.txt")), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(bt_doc_open("-"), 0);
}

static void test_gzip(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBFNgh\xE1\xBB\x87 An\r\nNghe An\r\n";
    /* Detected by content: the name says nothing. */
    write_gz(tmp_path("g.txt.gz"), text, strlen(text));
    write_gz(tmp_path("g-noext"), text, strlen(text));
    for (int k = 0; k < 2; k++) {
        const char *p = tmp_path(k ? "g-noext" : "g.txt.gz");
        diags ds = { .n = 0 };
        bt_doc *doc = NULL;
        assert_int_equal(bt_doc_read(p, NULL, capture, &ds, &doc), BT_OK);
        assert_int_equal(doc->nlines, 2);
        expect_line(doc, 0, 1, "Ngh\xE1\xBB\x87 An");
        expect_line(doc, 1, 2, "Nghe An");
        assert_int_equal(ds.n, 0);
        bt_doc_free(doc);
    }

    /* Two members, as `cat a.gz b.gz` makes, and the buffer form. */
    size_t n = 0;
    char *gz = slurp(tmp_path("g.txt.gz"), &n);
    char *two = malloc(2 * n);
    assert_non_null(two);
    memcpy(two, gz, n);
    memcpy(two + n, gz, n);
    diags ds = { .n = 0 };
    bt_doc *doc = from_buf(two, 2 * n, NULL, &ds);
    assert_int_equal(doc->nlines, 4);
    expect_line(doc, 3, 4, "Nghe An");
    bt_doc_free(doc);
    free(two);

    /* Trailing garbage after the last member: a warning, the text kept. */
    char *junk = malloc(n + 4);
    assert_non_null(junk);
    memcpy(junk, gz, n);
    memcpy(junk + n, "junk", 4);
    ds.n = 0;
    doc = from_buf(junk, n + 4, NULL, &ds);
    assert_int_equal(doc->nlines, 2);
    assert_int_equal(ds.n, 1);
    assert_int_equal(ds.d[0].is_warning, 1);
    assert_string_equal(ds.d[0].msg, "trailing garbage after gzip data ignored");
    bt_doc_free(doc);
    free(junk);

    /* A plain file named .gz is read as plain text. */
    write_file(tmp_path("fake.txt.gz"), "not gzip\n", 9);
    assert_int_equal(bt_doc_read(tmp_path("fake.txt.gz"), NULL, capture, &ds, &doc), BT_OK);
    expect_line(doc, 0, 1, "not gzip");
    bt_doc_free(doc);
    free(gz);
}

/* A gzip'd file is read whole and inflated from memory when it is a
 * regular file, and in chunks from a pipe: the same lines either way, also
 * when it is larger than a chunk, has two members and trailing garbage. */
static void test_gzip_file_and_pipe(void **state)
{
    (void)state;
    size_t tn = 600000, ln = 0;
    char *text = malloc(tn);
    assert_non_null(text);
    unsigned seed = 7;
    for (size_t i = 0; i < tn; i++) {
        seed = seed * 1103515245u + 12345u;
        text[i] = i % 97 == 96 ? '\n' : (char)('a' + (seed >> 16) % 26);
    }
    text[tn - 1] = '\n';
    for (size_t i = 0; i < tn; i++) ln += text[i] == '\n';
    write_gz(tmp_path("big.gz"), text, tn);
    size_t n = 0;
    char *gz = slurp(tmp_path("big.gz"), &n);
    assert_true(n > 256 * 1024); /* more than one chunk of the pipe path */
    char *two = malloc(2 * n + 4);
    assert_non_null(two);
    memcpy(two, gz, n);
    memcpy(two + n, gz, n);
    memcpy(two + 2 * n, "junk", 4);
    write_file(tmp_path("two.gz"), two, 2 * n + 4);

    for (int k = 0; k < 2; k++) {
        const char *path = tmp_path("two.gz");
        int fds[2] = { -1, -1 };
        pid_t pid = -1;
        char devfd[32];
        if (k == 1) {
            assert_int_equal(pipe(fds), 0);
            pid = fork();
            assert_true(pid >= 0);
            if (pid == 0) {
                close(fds[0]);
                size_t off = 0;
                while (off < 2 * n + 4) {
                    ssize_t w = write(fds[1], two + off, 2 * n + 4 - off);
                    if (w <= 0) _exit(1);
                    off += (size_t)w;
                }
                _exit(0);
            }
            close(fds[1]);
            snprintf(devfd, sizeof devfd, "/dev/fd/%d", fds[0]);
            path = devfd;
        }
        diags ds = { .n = 0 };
        bt_doc *doc = NULL;
        assert_int_equal(bt_doc_read(path, NULL, capture, &ds, &doc), BT_OK);
        if (k == 1) {
            close(fds[0]);
            int st = 0;
            assert_int_equal(waitpid(pid, &st, 0), pid);
        }
        assert_int_equal(doc->nlines, 2 * ln);
        for (size_t i = 0; i < ln; i++) { /* the second member repeats the first */
            assert_int_equal(doc->lines[ln + i].lineno, ln + i + 1);
            assert_int_equal(doc->lines[ln + i].len, doc->lines[i].len);
            assert_memory_equal(doc->lines[ln + i].text, doc->lines[i].text, doc->lines[i].len);
        }
        assert_int_equal(doc->lines[ln].len, 96);
        assert_memory_equal(doc->lines[ln].text, text, 96);
        assert_int_equal(ds.n, 1);
        assert_string_equal(ds.d[0].msg, "trailing garbage after gzip data ignored");
        bt_doc_free(doc);
    }
    free(two);
    free(gz);
    free(text);
}

static void test_gzip_truncated_and_corrupt(void **state)
{
    (void)state;
    char text[4000];
    for (size_t i = 0; i < sizeof text; i++) text[i] = (char)('a' + i * 7 % 26);
    for (size_t i = 50; i < sizeof text; i += 60) text[i] = '\n';
    write_gz(tmp_path("full.gz"), text, sizeof text);
    size_t n = 0;
    char *gz = slurp(tmp_path("full.gz"), &n);
    assert_true(n > 40);

    write_file(tmp_path("cut.txt.gz"), gz, n / 2);
    diags ds = { .n = 0 };
    bt_doc *doc = (bt_doc *)1;
    assert_int_equal(bt_doc_read(tmp_path("cut.txt.gz"), NULL, capture, &ds, &doc),
                     BT_ERR_FORMAT);
    assert_null(doc);
    assert_int_equal(ds.n, 1);
    assert_string_equal(ds.d[0].file, tmp_path("cut.txt.gz"));
    assert_string_equal(ds.d[0].msg, "truncated gzip data");

    /* Cut inside the trailer only. */
    write_file(tmp_path("cut2.txt.gz"), gz, n - 3);
    ds.n = 0;
    assert_int_equal(bt_doc_read(tmp_path("cut2.txt.gz"), NULL, capture, &ds, &doc),
                     BT_ERR_FORMAT);
    assert_string_equal(ds.d[0].msg, "truncated gzip data");

    /* A wrong CRC: zlib's own words. */
    gz[n - 6] ^= 0x55;
    write_file(tmp_path("bad.txt.gz"), gz, n);
    ds.n = 0;
    assert_int_equal(bt_doc_read(tmp_path("bad.txt.gz"), NULL, capture, &ds, &doc),
                     BT_ERR_FORMAT);
    assert_null(doc);
    assert_non_null(strstr(ds.d[0].msg, "incorrect data check"));

    /* The in-memory path says the same. */
    ds.n = 0;
    assert_int_equal(bt_doc_from_buffer("m.gz", gz, n / 2, NULL, capture, &ds, &doc),
                     BT_ERR_FORMAT);
    assert_string_equal(ds.d[0].msg, "truncated gzip data");
    free(gz);
}

/* gzip'd bytes read three ways: as a regular file and from a buffer (whole
 * in memory: libdeflate, zlib for what it leaves) and through a pipe
 * (zlib as it reads). All three must give the same status, the same
 * messages and the same lines. Returns the status. */
static int read_three_ways(const char *data, size_t n, const bt_read_opts *o,
                           diags *first)
{
    write_file(tmp_path("three.gz"), data, n);
    int rcs[3];
    diags ds[3];
    bt_doc *docs[3] = { NULL, NULL, NULL };
    for (int k = 0; k < 3; k++) {
        ds[k].n = 0;
        if (k == 0) {
            rcs[k] = bt_doc_read(tmp_path("three.gz"), o, capture, &ds[k], &docs[k]);
        } else if (k == 1) {
            rcs[k] = bt_doc_from_buffer(tmp_path("three.gz"), data, n, o, capture, &ds[k],
                                        &docs[k]);
        } else {
            int fds[2];
            assert_int_equal(pipe(fds), 0);
            pid_t pid = fork();
            assert_true(pid >= 0);
            if (pid == 0) {
                close(fds[0]);
                for (size_t off = 0; off < n;) {
                    ssize_t w = write(fds[1], data + off, n - off);
                    if (w <= 0) _exit(0); /* the reader stopped early */
                    off += (size_t)w;
                }
                _exit(0);
            }
            close(fds[1]);
            char devfd[32];
            snprintf(devfd, sizeof devfd, "/dev/fd/%d", fds[0]);
            rcs[k] = bt_doc_read(devfd, o, capture, &ds[k], &docs[k]);
            close(fds[0]);
            int st = 0;
            assert_int_equal(waitpid(pid, &st, 0), pid);
        }
    }
    for (int k = 1; k < 3; k++) {
        assert_int_equal(rcs[k], rcs[0]);
        assert_int_equal(ds[k].n, ds[0].n);
        for (size_t i = 0; i < ds[0].n; i++) {
            assert_int_equal(ds[k].d[i].is_warning, ds[0].d[i].is_warning);
            assert_string_equal(ds[k].d[i].msg, ds[0].d[i].msg);
        }
        if (rcs[0] != BT_OK) {
            assert_null(docs[k]);
            continue;
        }
        assert_int_equal(docs[k]->nlines, docs[0]->nlines);
        for (size_t i = 0; i < docs[0]->nlines; i++) {
            assert_int_equal(docs[k]->lines[i].lineno, docs[0]->lines[i].lineno);
            assert_int_equal(docs[k]->lines[i].len, docs[0]->lines[i].len);
            assert_memory_equal(docs[k]->lines[i].text, docs[0]->lines[i].text,
                                docs[0]->lines[i].len);
        }
    }
    for (int k = 0; k < 3; k++) bt_doc_free(docs[k]);
    *first = ds[0];
    return rcs[0];
}

/* one gzip member of data[0..n) (level 1 to 9), appended to b at *len */
static void gz_member(char *b, size_t *len, size_t room, const char *data, size_t n,
                      int level)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY),
                     Z_OK);
    zs.next_in = (Bytef *)(uintptr_t)data;
    zs.avail_in = (uInt)n;
    zs.next_out = (Bytef *)b + *len;
    zs.avail_out = (uInt)(room - *len);
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    *len += zs.total_out;
    deflateEnd(&zs);
}

/* The in-memory decoder (libdeflate) and the streaming one (zlib) agree on
 * every way gzip data can end, be cut, be damaged or be too large. */
static void test_gzip_whole_and_stream(void **state)
{
    (void)state;
    size_t tn = 700000, room = 4 << 20;
    char *text = malloc(tn), *b = malloc(room);
    assert_non_null(text);
    assert_non_null(b);
    unsigned seed = 11;
    for (size_t i = 0; i < tn; i++) {
        seed = seed * 1103515245u + 12345u;
        text[i] = i % 61 == 60 ? '\n' : (char)('a' + (seed >> 16) % 26);
    }
    text[tn - 1] = '\n';
    diags ds;

    /* A large member, then a small one: the last member's size in the
     * trailer is too small a guess, so the buffer grows between tries. */
    size_t n = 0;
    gz_member(b, &n, room, text, tn, 6);
    size_t one = n;
    gz_member(b, &n, room, "Photo: Mai Hoa\n", 15, 6);
    assert_int_equal(read_three_ways(b, n, NULL, &ds), BT_OK);
    assert_int_equal(ds.n, 0);

    /* An empty member between two. */
    n = one;
    gz_member(b, &n, room, "", 0, 9);
    gz_member(b, &n, room, "x\n", 2, 9);
    assert_int_equal(read_three_ways(b, n, NULL, &ds), BT_OK);

    /* Trailing garbage after two members: the warning, the text kept. */
    memcpy(b + n, "\0garbage", 8);
    assert_int_equal(read_three_ways(b, n + 8, NULL, &ds), BT_OK);
    assert_int_equal(ds.n, 1);
    assert_string_equal(ds.d[0].msg, "trailing garbage after gzip data ignored");

    /* A second member cut short, cut in its header, or a lone 0x1f. */
    size_t cuts[3] = { one + 30, one + 5, one + 1 };
    for (int c = 0; c < 3; c++) {
        assert_int_equal(read_three_ways(b, cuts[c], NULL, &ds), BT_ERR_FORMAT);
        assert_int_equal(ds.n, 1);
        assert_string_equal(ds.d[0].msg, "truncated gzip data");
    }
    /* 0x1f but not gzip after a member. */
    n = one;
    memcpy(b + n, "\x1f\x00\x08\x00\x00\x00\x00\x00\x00\x03", 10);
    assert_int_equal(read_three_ways(b, n + 10, NULL, &ds), BT_ERR_FORMAT);
    assert_string_equal(ds.d[0].msg, "corrupt gzip data (incorrect header check)");

    /* Damaged deflate data in the first member, and a wrong length. */
    n = 0;
    gz_member(b, &n, room, text, 5000, 6);
    b[n / 2] ^= 0x5A;
    assert_int_equal(read_three_ways(b, n, NULL, &ds), BT_ERR_FORMAT);
    assert_int_equal(ds.n, 1);
    assert_non_null(strstr(ds.d[0].msg, "corrupt gzip data ("));
    b[n / 2] ^= 0x5A;
    b[n - 4] ^= 1;
    assert_int_equal(read_three_ways(b, n, NULL, &ds), BT_ERR_FORMAT);
    assert_string_equal(ds.d[0].msg, "corrupt gzip data (incorrect length check)");
    b[n - 4] ^= 1;

    /* A header CRC (FHCRC), which zlib checks and libdeflate skips: right,
     * then wrong. */
    assert_int_equal((unsigned char)b[3], 0);
    memmove(b + 12, b + 10, n - 10);
    b[3] = 0x02;
    uLong hc = crc32(0L, (const Bytef *)b, 10);
    b[10] = (char)(hc & 0xff);
    b[11] = (char)(hc >> 8 & 0xff);
    assert_int_equal(read_three_ways(b, n + 2, NULL, &ds), BT_OK);
    assert_int_equal(ds.n, 0);
    b[11] ^= 0x40;
    assert_int_equal(read_three_ways(b, n + 2, NULL, &ds), BT_ERR_FORMAT);
    assert_string_equal(ds.d[0].msg, "corrupt gzip data (header crc mismatch)");

    /* The size limit: exactly at it, one byte over. */
    n = 0;
    gz_member(b, &n, room, text, 4096, 6);
    bt_read_opts at = { .max_file = 4096 }, under = { .max_file = 4095 };
    assert_int_equal(read_three_ways(b, n, &at, &ds), BT_OK);
    assert_int_equal(read_three_ways(b, n, &under, &ds), BT_ERR_LIMIT);
    assert_string_equal(ds.d[0].msg, "file too large (limit 4095 bytes)");

    /* A gzip bomb whose trailer claims 10 bytes: stopped at the limit, the
     * buffer never past it. */
    size_t bn = (size_t)64 << 20;
    char *zeros = calloc(1, bn);
    assert_non_null(zeros);
    n = 0;
    gz_member(b, &n, room, zeros, bn, 9);
    free(zeros);
    memcpy(b + n - 4, "\x0a\0\0\0", 4);
    bt_read_opts small = { .max_file = 1 << 20 };
    assert_int_equal(read_three_ways(b, n, &small, &ds), BT_ERR_LIMIT);
    assert_int_equal(ds.n, 1);
    assert_string_equal(ds.d[0].msg, "file too large (limit 1048576 bytes)");
    free(b);
    free(text);
}

/* "-" reads standard input, a pipe here (no size known in advance). */
static void test_stdin(void **state)
{
    (void)state;
    size_t n = 0;
    char *gz = slurp(tmp_path("g.txt.gz"), &n); /* made by test_gzip */
    const char *plain = "from\r\nstdin\n";
    for (int k = 0; k < 2; k++) {
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        const char *data = k ? gz : plain;
        size_t len = k ? n : strlen(plain);
        assert_int_equal(write(fds[1], data, len), (ssize_t)len);
        close(fds[1]);
        int saved = dup(0);
        assert_true(saved >= 0);
        assert_int_equal(dup2(fds[0], 0), 0);
        close(fds[0]);
        diags ds = { .n = 0 };
        bt_doc *doc = NULL;
        int rc = bt_doc_read("-", NULL, capture, &ds, &doc);
        dup2(saved, 0);
        close(saved);
        assert_int_equal(rc, BT_OK);
        assert_string_equal(doc->path, "-");
        assert_int_equal(doc->nlines, 2);
        expect_line(doc, 1, 2, k ? "Nghe An" : "stdin");
        bt_doc_free(doc);
    }
    free(gz);
}

/* A gzip bomb stops at max_file, and a huge line is dropped without being
 * copied: checked in a child under an address-space limit. */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

#ifndef UNDER_ASAN
static size_t vm_size(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return 0;
    unsigned long pages = 0;
    int ok = fscanf(f, "%lu", &pages) == 1;
    fclose(f);
    return ok ? pages * (size_t)sysconf(_SC_PAGESIZE) : 0;
}
#endif

static void write_gz_big(const char *path, const char *head, size_t fill,
                         const char *tail)
{
    gzFile g = gzopen(path, "wb1");
    assert_non_null(g);
    gzputs(g, head);
    char chunk[65536];
    memset(chunk, 'a', sizeof chunk);
    for (size_t done = 0; done < fill; done += sizeof chunk)
        assert_true(gzwrite(g, chunk, sizeof chunk) > 0);
    gzputs(g, tail);
    assert_int_equal(gzclose(g), Z_OK);
}

static void test_bounded_memory(void **state)
{
    (void)state;
    const size_t MiB = (size_t)1 << 20;
    /* 48 MiB line between two short ones. */
    write_gz_big(tmp_path("longline.gz"), "before\n", 48 * MiB, "\nafter\n");
    /* 512 MiB of text, far over a 16 MiB limit. */
    write_gz_big(tmp_path("bomb.gz"), "", 512 * MiB, "\n");

    diags ds = { .n = 0 };
    bt_doc *doc = NULL;
    bt_read_opts o = { .max_file = 16 * MiB };
    assert_int_equal(bt_doc_read(tmp_path("bomb.gz"), &o, capture, &ds, &doc), BT_ERR_LIMIT);
    assert_null(doc);
    assert_string_equal(ds.d[0].msg, "file too large (limit 16777216 bytes)");

#ifndef UNDER_ASAN
    size_t base = vm_size();
    if (base == 0) return; /* no /proc: the limit cannot be set sensibly */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* The file itself (48 MiB) plus room for small things; a copy of
         * the long line would not fit. */
        struct rlimit rl = { base + 80 * MiB, base + 80 * MiB };
        if (setrlimit(RLIMIT_AS, &rl) != 0) _exit(3);
        diags cds = { .n = 0 };
        bt_doc *cdoc = NULL;
        if (bt_doc_read(tmp_path("longline.gz"), NULL, capture, &cds, &cdoc) != BT_OK)
            _exit(4);
        int ok = cdoc->nlines == 2 && strcmp(cdoc->lines[1].text, "after") == 0 &&
                 cdoc->lines[1].lineno == 3 && cds.n == 1 && cds.d[0].line == 2 &&
                 strstr(cds.d[0].msg, "line too long (50331648 bytes") != NULL;
        bt_doc_free(cdoc);
        _exit(ok ? 0 : 5);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
#endif
}

/* ---- inputs ----------------------------------------------------------- */

static void touch(const char *rel)
{
    write_file(tmp_path(rel), "x\n", 2);
}

static void test_inputs_expand(void **state)
{
    (void)state;
    assert_int_equal(mkdir(tmp_path("tree"), 0755), 0);
    assert_int_equal(mkdir(tmp_path("tree/b"), 0755), 0);
    assert_int_equal(mkdir(tmp_path("tree/b/deep"), 0755), 0);
    assert_int_equal(mkdir(tmp_path("tree/.git"), 0755), 0);
    touch("tree/z.txt");
    touch("tree/a.txt");
    touch("tree/b.txt");
    write_gz(tmp_path("tree/b/c.txt.gz"), "x\n", 2);
    touch("tree/b/skip.md");
    touch("tree/b/notes.txt.bak");
    touch("tree/b/deep/d.txt");
    touch("tree/.hidden.txt");
    touch("tree/.git/e.txt");
    /* A loop back to the top, and a second way into b. */
    assert_int_equal(symlink("..", tmp_path("tree/b/loop")), 0);
    assert_int_equal(symlink("b", tmp_path("tree/y")), 0);
    assert_int_equal(symlink("nowhere.txt", tmp_path("tree/dangling.txt")), 0);

    char top[512];
    snprintf(top, sizeof top, "%s", tmp_path("tree"));
    char single[512];
    snprintf(single, sizeof single, "%s", tmp_path("tree/b/skip.md"));
    char missing[512];
    snprintf(missing, sizeof missing, "%s", tmp_path("missing"));
    char *args[] = { single, top, missing, (char *)"-" };
    diags ds = { .n = 0 };
    char **out = NULL;
    size_t n = 0;
    assert_int_equal(bt_inputs_expand(args, 4, capture, &ds, &out, &n), BT_OK);

    const char *want[] = { "tree/b/skip.md", "tree/a.txt", "tree/b.txt",
                           "tree/b/c.txt.gz", "tree/b/deep/d.txt", "tree/z.txt" };
    assert_int_equal(n, 7);
    for (size_t i = 0; i < 6; i++) assert_string_equal(out[i], tmp_path(want[i]));
    assert_string_equal(out[6], "-");
    bt_inputs_free(out, n);

    /* The dangling link, then the missing path. */
    assert_int_equal(ds.n, 2);
    assert_non_null(strstr(ds.d[0].msg, "dangling.txt': No such file or directory"));
    char msg[600];
    snprintf(msg, sizeof msg, "cannot open '%s': No such file or directory", missing);
    assert_string_equal(ds.d[1].msg, msg);
    assert_int_equal(ds.d[1].code, BT_ERR_IO);

    /* A trailing slash is not doubled. */
    char slash[520];
    snprintf(slash, sizeof slash, "%s/b/deep/", top);
    char *args2[] = { slash };
    ds.n = 0;
    assert_int_equal(bt_inputs_expand(args2, 1, capture, &ds, &out, &n), BT_OK);
    assert_int_equal(n, 1);
    assert_string_equal(out[0], tmp_path("tree/b/deep/d.txt"));
    bt_inputs_free(out, n);

    /* From inside the loop: the walk goes up through it once and stops
     * when it comes back to a directory it has read. */
    snprintf(slash, sizeof slash, "%s/b", top);
    ds.n = 0;
    assert_int_equal(bt_inputs_expand(args2, 1, capture, &ds, &out, &n), BT_OK);
    const char *want2[] = { "tree/b/c.txt.gz", "tree/b/deep/d.txt", "tree/b/loop/a.txt",
                            "tree/b/loop/b.txt", "tree/b/loop/z.txt" };
    assert_int_equal(n, 5);
    for (size_t i = 0; i < 5; i++) assert_string_equal(out[i], tmp_path(want2[i]));
    bt_inputs_free(out, n);
    bt_inputs_free(NULL, 0);
}

static void test_inputs_empty_and_unreadable(void **state)
{
    (void)state;
    assert_int_equal(mkdir(tmp_path("none"), 0755), 0);
    touch("none/readme.md");
    char none[512], missing[512];
    snprintf(none, sizeof none, "%s", tmp_path("none"));
    snprintf(missing, sizeof missing, "%s", tmp_path("also-missing"));
    char *args[] = { none, missing };
    diags ds = { .n = 0 };
    char **out = (char **)1;
    size_t n = 99;
    assert_int_equal(bt_inputs_expand(args, 2, capture, &ds, &out, &n), BT_ERR_EMPTY);
    assert_null(out);
    assert_int_equal(n, 0);
    assert_int_equal(ds.n, 2);
    assert_int_equal(ds.d[1].code, BT_ERR_EMPTY);

    /* An unreadable directory is reported and skipped (root reads all). */
    if (geteuid() == 0) return;
    assert_int_equal(mkdir(tmp_path("none/locked"), 0755), 0);
    touch("none/locked/x.txt");
    touch("none/ok.txt");
    assert_int_equal(chmod(tmp_path("none/locked"), 0), 0);
    char *args2[] = { none };
    ds.n = 0;
    assert_int_equal(bt_inputs_expand(args2, 1, capture, &ds, &out, &n), BT_OK);
    assert_int_equal(n, 1);
    assert_string_equal(out[0], tmp_path("none/ok.txt"));
    assert_int_equal(ds.n, 1);
    assert_string_equal(ds.d[0].file, tmp_path("none/locked"));
    bt_inputs_free(out, n);
}

/* --pairs DIR: each NAME.vi.txt with its NAME.en.txt, either gzip'd, in
 * the order of the walk; a Vietnamese text alone is reported. */
static void test_inputs_pairs(void **state)
{
    (void)state;
    assert_int_equal(mkdir(tmp_path("pd"), 0755), 0);
    assert_int_equal(mkdir(tmp_path("pd/sub"), 0755), 0);
    const char *files[] = { "pd/a.vi.txt", "pd/a.en.txt", "pd/b.vi.txt.gz", "pd/b.en.txt",
                            "pd/c.vi.txt", "pd/e.en.txt", "pd/g.vi.txt.gz",
                            "pd/g.en.txt.gz", "pd/sub/d.vi.txt", "pd/sub/d.en.txt.gz",
                            "pd/h.vi.txt.old.txt" };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) touch(files[i]);
    char dir[512];
    snprintf(dir, sizeof dir, "%s", tmp_path("pd"));
    diags ds = { .n = 0 };
    char **out = NULL;
    size_t n = 0;
    assert_int_equal(bt_inputs_pairs(dir, capture, &ds, &out, &n), BT_OK);
    const char *want[] = { "pd/a.vi.txt", "pd/a.en.txt", "pd/b.vi.txt.gz", "pd/b.en.txt",
                           "pd/g.vi.txt.gz", "pd/g.en.txt.gz", "pd/sub/d.vi.txt",
                           "pd/sub/d.en.txt.gz" };
    assert_int_equal(n, 8);
    for (size_t i = 0; i < n; i++) assert_string_equal(out[i], tmp_path(want[i]));
    bt_inputs_free(out, n);
    assert_int_equal(ds.n, 1);
    assert_int_equal(ds.d[0].code, BT_ERR_IO);
    assert_string_equal(ds.d[0].file, tmp_path("pd/c.vi.txt"));
    assert_string_equal(ds.d[0].msg, "no English text beside it (want NAME.en.txt)");

    /* no pair at all */
    assert_int_equal(mkdir(tmp_path("pd1"), 0755), 0);
    touch("pd1/c.vi.txt");
    snprintf(dir, sizeof dir, "%s", tmp_path("pd1"));
    ds.n = 0;
    out = (char **)1;
    assert_int_equal(bt_inputs_pairs(dir, capture, &ds, &out, &n), BT_ERR_EMPTY);
    assert_null(out);
    assert_int_equal(n, 0);
    assert_int_equal(ds.n, 2);
    assert_int_equal(ds.d[1].code, BT_ERR_EMPTY);
    assert_string_equal(ds.d[1].file, "");
    assert_non_null(strstr(ds.d[1].msg, "no NAME.vi.txt / NAME.en.txt pairs in '"));

    /* a directory that is not there: bt_inputs_expand's report */
    snprintf(dir, sizeof dir, "%s", tmp_path("pd-missing"));
    ds.n = 0;
    assert_int_equal(bt_inputs_pairs(dir, capture, &ds, &out, &n), BT_ERR_EMPTY);
    assert_int_equal(n, 0);
    assert_non_null(strstr(ds.d[0].msg, "No such file or directory"));
}

/* --files-from: the arguments, then the listed paths, expanded. */
static void test_inputs_expand_list(void **state)
{
    (void)state;
    assert_int_equal(mkdir(tmp_path("fl"), 0755), 0);
    touch("fl/one.txt");
    touch("fl/two.txt");
    touch("fl/three.txt");
    char list[1200];
    snprintf(list, sizeof list, "%s\r\n\n%s", tmp_path("fl/three.txt"), tmp_path("fl/two.txt"));
    write_file(tmp_path("fl.list"), list, strlen(list));
    char arg[512], lpath[512];
    snprintf(arg, sizeof arg, "%s", tmp_path("fl/one.txt"));
    snprintf(lpath, sizeof lpath, "%s", tmp_path("fl.list"));
    char *args[] = { arg };
    diags ds = { .n = 0 };
    char **out = NULL;
    size_t n = 0;
    assert_int_equal(bt_inputs_expand_list(args, 1, lpath, capture, &ds, &out, &n), BT_OK);
    assert_int_equal(n, 3);
    assert_string_equal(out[0], tmp_path("fl/one.txt"));
    assert_string_equal(out[1], tmp_path("fl/three.txt"));
    assert_string_equal(out[2], tmp_path("fl/two.txt"));
    assert_int_equal(ds.n, 0);
    bt_inputs_free(out, n);

    /* no list: the arguments alone */
    assert_int_equal(bt_inputs_expand_list(args, 1, NULL, capture, &ds, &out, &n), BT_OK);
    assert_int_equal(n, 1);
    bt_inputs_free(out, n);

    /* a list that cannot be opened */
    snprintf(lpath, sizeof lpath, "%s", tmp_path("fl.none"));
    assert_int_equal(bt_inputs_expand_list(args, 1, lpath, capture, &ds, &out, &n),
                     BT_ERR_IO);
    assert_int_equal(n, 0);
    assert_int_equal(ds.n, 1);
    assert_non_null(strstr(ds.d[0].msg, "fl.none': No such file or directory"));

    /* nothing at all to expand: empty, and nothing reported */
    write_file(tmp_path("fl.empty"), "\n\n", 2);
    snprintf(lpath, sizeof lpath, "%s", tmp_path("fl.empty"));
    ds.n = 0;
    assert_int_equal(bt_inputs_expand_list(NULL, 0, lpath, capture, &ds, &out, &n),
                     BT_ERR_EMPTY);
    assert_int_equal(ds.n, 0);
    assert_null(out);
}

static char **numbered(size_t n)
{
    char **p = malloc(n * sizeof *p);
    for (size_t i = 0; i < n; i++) {
        char s[32];
        snprintf(s, sizeof s, "f%02zu.txt", i);
        p[i] = bt_xstrdup(s);
    }
    return p;
}

/* --shard K/N: every N-th path from the K-th; the N shards are disjoint,
 * cover the list and differ in size by one at most. */
static void test_inputs_shard(void **state)
{
    (void)state;
    size_t n = 10;
    char **p = numbered(n);
    bt_inputs_shard(p, &n, 2, 3);
    assert_int_equal(n, 3);
    assert_string_equal(p[0], "f01.txt");
    assert_string_equal(p[1], "f04.txt");
    assert_string_equal(p[2], "f07.txt");
    bt_inputs_free(p, n);

    for (unsigned long of = 1; of <= 12; of++) {
        int hits[23] = { 0 };
        for (unsigned long k = 1; k <= of; k++) {
            n = 23;
            p = numbered(n);
            bt_inputs_shard(p, &n, k, of);
            assert_true(n == 23 / of || n == 23 / of + 1);
            for (size_t i = 0; i < n; i++) hits[atoi(p[i] + 1)]++;
            bt_inputs_free(p, n);
        }
        for (size_t i = 0; i < 23; i++) assert_int_equal(hits[i], 1);
    }
    n = 0;
    bt_inputs_shard(NULL, &n, 1, 2);
    assert_int_equal(n, 0);
}

/* The packed list: the same strings in one block, freed with free(). */
static void test_inputs_pack(void **state)
{
    (void)state;
    char **p = numbered(5);
    free(p[3]);
    p[3] = bt_xstrdup("a path that is longer than the others/x.txt");
    char **q = bt_inputs_pack(p, 5);
    assert_string_equal(q[0], "f00.txt");
    assert_string_equal(q[3], "a path that is longer than the others/x.txt");
    assert_string_equal(q[4], "f04.txt");
    assert_true(q[0] > (char *)q && q[4] > q[3]);
    free(q);
    free(bt_inputs_pack(malloc(1), 0));
}

static void test_lang_name(void **state)
{
    (void)state;
    assert_string_equal(bt_lang_name(BT_LANG_BLANK), "blank");
    assert_string_equal(bt_lang_name(BT_LANG_VI), "vi");
    assert_string_equal(bt_lang_name(BT_LANG_EN), "en");
    assert_string_equal(bt_lang_name(BT_LANG_NAME), "name");
    assert_string_equal(bt_lang_name(BT_LANG_JUNK), "junk");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_ends),
        cmocka_unit_test(test_empty_and_blank),
        cmocka_unit_test(test_utf8_bom),
        cmocka_unit_test(test_utf16_bom),
        cmocka_unit_test(test_utf16_without_bom),
        cmocka_unit_test(test_utf16_bad_surrogate),
        cmocka_unit_test(test_nfd_to_nfc),
        cmocka_unit_test(test_nfc_grows),
        cmocka_unit_test(test_windows_1258),
        cmocka_unit_test(test_legacy_sniffed),
        cmocka_unit_test(test_latin1_line_in_utf8_file),
        cmocka_unit_test(test_marks_line_stream_safe),
        cmocka_unit_test(test_unknown_encoding),
        cmocka_unit_test(test_illegal_in_encoding),
        cmocka_unit_test(test_invalid_utf8_line),
        cmocka_unit_test(test_control_chars),
        cmocka_unit_test(test_invisible_removed),
        cmocka_unit_test(test_bidi_controls_removed),
        cmocka_unit_test(test_text_repair),
        cmocka_unit_test(test_bad_byte_anywhere),
        cmocka_unit_test(test_binary),
        cmocka_unit_test(test_invariants_random),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_file_limit),
        cmocka_unit_test(test_read_file_and_missing),
        cmocka_unit_test(test_read_fd),
        cmocka_unit_test(test_gzip),
        cmocka_unit_test(test_gzip_file_and_pipe),
        cmocka_unit_test(test_gzip_truncated_and_corrupt),
        cmocka_unit_test(test_gzip_whole_and_stream),
        cmocka_unit_test(test_stdin),
        cmocka_unit_test(test_bounded_memory),
        cmocka_unit_test(test_inputs_expand),
        cmocka_unit_test(test_inputs_empty_and_unreadable),
        cmocka_unit_test(test_inputs_pairs),
        cmocka_unit_test(test_inputs_expand_list),
        cmocka_unit_test(test_inputs_shard),
        cmocka_unit_test(test_inputs_pack),
        cmocka_unit_test(test_lang_name),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
