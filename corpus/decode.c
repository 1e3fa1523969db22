/* decode.c - the bytes of an input to UTF-8: BOM, UTF-16 with or without
 * one, legacy 8-bit text sniffed and converted by ICU, NUL bytes refused. */
#include "corpus_int.h"
#include "../base/utf8_fast.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ucnv.h>
#include <unicode/ustring.h>

/* ICU errors are turned into bitext diagnostics here and only here. */
int rd_icu_problem(bt_diag_fn diag, void *ud, const char *file,
                   unsigned long line, const char *what, UErrorCode err)
{
    bt_report(diag, ud, BT_ERR_ENCODING, 0, file, line, "%s (%s)", what,
              u_errorName(err));
    return BT_ERR_ENCODING;
}

static void put_utf8(bytes *out, int32_t cp)
{
    out->len += (size_t)bt_utf8_encode(cp, out->p + out->len);
}

/* Convert src with cnv into UTF-8 in out. Unconvertible bytes leave a
 * CONV_MARK for the line check to report. */
static int convert_to_utf8(const reader *rd, UConverter *cnv, const char *src,
                           size_t n, bytes *out)
{
    UErrorCode err = U_ZERO_ERROR;
    ucnv_setToUCallBack(cnv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &err);
    if (U_FAILURE(err))
        return rd_icu_problem(rd->diag, rd->ud, rd->name, 0,
                           "cannot set up the converter", err);
    enum { NCHUNK = 8192 };
    UChar chunk[NCHUNK];
    const char *s = src, *end = src + n;
    UChar lead = 0; /* a lead surrogate waiting for its trail */
    /* Plenty for the usual case: a single-byte encoding to Vietnamese
     * UTF-8 grows by about half. */
    rd_bytes_reserve(out, n + n / 2 + 16, rd->hardcap);
    for (;;) {
        UChar *t = chunk;
        err = U_ZERO_ERROR;
        ucnv_toUnicode(cnv, &t, chunk + NCHUNK, &s, end, NULL, 1, &err);
        size_t got = (size_t)(t - chunk);
        rd_bytes_reserve(out, 3 * got + 8, SIZE_MAX);
        for (size_t i = 0; i < got; i++) {
            UChar u = chunk[i];
            if (lead) {
                if (U16_IS_TRAIL(u)) {
                    put_utf8(out, (int32_t)U16_GET_SUPPLEMENTARY(lead, u));
                    lead = 0;
                    continue;
                }
                out->p[out->len++] = (char)CONV_MARK;
                lead = 0;
            }
            if (U16_IS_LEAD(u)) lead = u;
            else if (U16_IS_TRAIL(u)) out->p[out->len++] = (char)CONV_MARK;
            else put_utf8(out, u);
        }
        if (out->len > rd->max_file) return rd_too_large(rd);
        if (err == U_BUFFER_OVERFLOW_ERROR) continue;
        if (err == U_ILLEGAL_CHAR_FOUND || err == U_INVALID_CHAR_FOUND ||
            err == U_TRUNCATED_CHAR_FOUND) {
            if (lead) { out->p[out->len++] = (char)CONV_MARK; lead = 0; }
            out->p[out->len++] = (char)CONV_MARK;
            continue;
        }
        if (U_FAILURE(err))
            return rd_icu_problem(rd->diag, rd->ud, rd->name, 0,
                               "character conversion failed", err);
        break;
    }
    if (lead) out->p[out->len++] = (char)CONV_MARK;
    return BT_OK;
}

/* Is the encoding name one that ICU resolves to UTF-8? */
static int is_utf8_converter(UConverter *cnv)
{
    UErrorCode err = U_ZERO_ERROR;
    const char *name = ucnv_getName(cnv, &err);
    return U_SUCCESS(err) && strcmp(name, "UTF-8") == 0;
}


static int binary_file(const reader *rd, size_t at)
{
    bt_report(rd->diag, rd->ud, BT_ERR_FORMAT, 0, rd->name, 0,
              "binary file (NUL byte at offset %zu)", at);
    return BT_ERR_FORMAT;
}

/* The 8-bit encoding a file is read in when it is not UTF-8
 * (LEGACY_ENCODING, windows-1258): Vietnamese text that is not Unicode is
 * most often the Windows code page, and for English punctuation (curly
 * quotes, dashes) it agrees with windows-1252. */

/* Sequences beyond ASCII that are looked at first: enough for a clear
 * majority in most files, so a UTF-8 file is not scanned twice. */
#define SNIFF_SEQUENCES 64

/* Counts, of the sequences beyond ASCII in u[0..n) (at most limit of
 * them), those shaped like UTF-8 and the stray bytes. A byte above 0x7F
 * that cannot stand where it is in UTF-8 (a lone continuation byte, a lead
 * byte without its continuation bytes, C0, C1, F5 to FF) is stray, and
 * speaks for a legacy encoding; a sequence shaped like UTF-8 (a surrogate
 * or an overlong form too: some UTF-8 writer made it) speaks against.
 * *bad_at is the offset of the first stray byte. */
static void count_shapes(const unsigned char *u, size_t n, size_t limit,
                         size_t *utf8_out, size_t *stray_out, size_t *bad_at)
{
    size_t utf8 = 0, stray = 0;
    for (size_t i = bt_find_high(u, 0, n); i < n && utf8 + stray < limit;
         i = bt_find_high(u, i, n)) {
        unsigned char c = u[i];
        size_t need = c >= 0xC2 && c <= 0xDF ? 1
                    : c >= 0xE0 && c <= 0xEF ? 2
                    : c >= 0xF0 && c <= 0xF4 ? 3 : 0;
        size_t k = 1;
        while (need && k <= need && i + k < n && (u[i + k] & 0xC0) == 0x80) k++;
        if (need && k == need + 1) {
            utf8++;
            i += k;
        } else {
            if (!stray && bad_at) *bad_at = i;
            stray++;
            i++;
        }
    }
    *utf8_out = utf8;
    *stray_out = stray;
}

/* Do the bytes read as a legacy 8-bit encoding rather than as UTF-8? More
 * stray bytes than sequences shaped like UTF-8, first among the first
 * SNIFF_SEQUENCES and then, to be sure, in the whole file: only a file
 * mostly not UTF-8 is read as legacy. A UTF-8 file with a few lines that
 * are not (a copyright line in Latin-1) stays UTF-8, and those lines are
 * read one by one (rd_line_is_legacy). */
static int looks_legacy(const unsigned char *u, size_t n, size_t *bad_at)
{
    size_t utf8, stray;
    count_shapes(u, n, SNIFF_SEQUENCES, &utf8, &stray, bad_at);
    if (stray <= utf8) return 0;
    count_shapes(u, n, SIZE_MAX, &utf8, &stray, bad_at);
    return stray > utf8;
}

int rd_line_is_legacy(const char *s, size_t n)
{
    size_t utf8, stray;
    count_shapes((const unsigned char *)s, n, SIZE_MAX, &utf8, &stray, NULL);
    return stray > utf8;
}

/* UTF-16 without a byte order mark, by where its NUL bytes are: text is
 * mostly ASCII (spaces, digits, English, the letters of Vietnamese without
 * marks), each the character's one non-zero byte beside a zero byte, on
 * the odd offsets for little-endian and the even ones for big-endian. A
 * binary file has its NULs anywhere. Returns the converter name or NULL. */
static const char *utf16_without_bom(const unsigned char *u, size_t n)
{
    size_t m = n < 4096 ? n & ~(size_t)1 : 4096;
    if (m < 4) return NULL;
    size_t zeven = 0, zodd = 0;
    for (size_t i = 0; i < m; i += 2) {
        zeven += u[i] == 0;
        zodd += u[i + 1] == 0;
    }
    size_t units = m / 2;
    if (zodd * 2 >= units && zeven * 16 <= units) return "UTF-16LE";
    if (zeven * 2 >= units && zodd * 16 <= units) return "UTF-16BE";
    return NULL;
}

/* The line (1-based) holding byte offset at. */
static unsigned long line_of(const char *p, size_t at)
{
    unsigned long line = 1;
    for (const char *q = p, *end = p + at; (q = memchr(q, '\n', (size_t)(end - q))); q++)
        line++;
    return line;
}

/* Convert raw (consumed) from the encoding named from with cnv (closed
 * here), the first skip bytes left out, into dec. */
static int convert_raw(const reader *rd, UConverter *cnv, const char *from,
                       bytes *raw, size_t skip, decoded *dec)
{
    int rc = convert_to_utf8(rd, cnv, raw->p + skip, raw->len - skip,
                             &dec->text);
    ucnv_close(cnv);
    free(raw->p);
    memset(raw, 0, sizeof *raw);
    if (rc != BT_OK) return rc;
    dec->encoding = from;
    const char *nul = memchr(dec->text.p, '\0', dec->text.len);
    if (nul) {
        bt_report(rd->diag, rd->ud, BT_ERR_FORMAT, 0, rd->name, 0,
                  "binary file (NUL character at offset %zu of the "
                  "decoded text)", (size_t)(nul - dec->text.p));
        return BT_ERR_FORMAT;
    }
    return BT_OK;
}

/* Turn raw (consumed) into UTF-8 in dec. */
int rd_decode(const reader *rd, const char *encoding, bytes *raw, decoded *dec)
{
    const unsigned char *u = (const unsigned char *)raw->p;
    size_t skip = 0;
    const char *from = NULL;
    UConverter *cnv = NULL;
    UErrorCode err = U_ZERO_ERROR;
    const char *nul = NULL; /* the first NUL byte, once looked for */
    int nul_known = 0;

    if (encoding) {
        cnv = ucnv_open(encoding, &err);
        if (U_FAILURE(err) || !cnv) {
            bt_report(rd->diag, rd->ud, BT_ERR_ENCODING, 0, rd->name, 0,
                      "unknown encoding '%s'", encoding);
            return BT_ERR_ENCODING;
        }
        if (is_utf8_converter(cnv)) {
            ucnv_close(cnv);
            cnv = NULL;
        } else {
            from = encoding;
        }
    } else if (raw->len >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
        from = "UTF-16LE";
        skip = 2;
    } else if (raw->len >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
        from = "UTF-16BE";
        skip = 2;
    } else if ((nul_known = 1, nul = memchr(raw->p, '\0', raw->len))) {
        /* UTF-16 that lost its byte order mark, or else a binary file */
        if ((from = utf16_without_bom(u, raw->len)))
            bt_report(rd->diag, rd->ud, BT_ERR_ENCODING, 1, rd->name, 0,
                      "no byte order mark; the file is read as %s", from);
    } else {
        size_t bad_at = 0;
        if (looks_legacy(u, raw->len, &bad_at)) {
            /* said once, where the first byte that is not UTF-8 is */
            bt_report(rd->diag, rd->ud, BT_ERR_UTF8, 1, rd->name,
                      line_of(raw->p, bad_at),
                      "not UTF-8; the file is read as %s (name its "
                      "encoding with --encoding)", LEGACY_ENCODING);
            from = LEGACY_ENCODING;
        }
    }
    if (from && !cnv) {
        cnv = ucnv_open(from, &err);
        if (U_FAILURE(err) || !cnv)
            return rd_icu_problem(rd->diag, rd->ud, rd->name, 0,
                               "cannot open the converter", err);
    }

    if (!cnv) {
        /* UTF-8: the bytes are the text; unless it was named, a line that
         * is not UTF-8 may be legacy text (lines.c) */
        dec->line_legacy = !encoding && !from;
        if (!nul_known) nul = memchr(raw->p, '\0', raw->len);
        if (nul) return binary_file(rd, (size_t)(nul - raw->p));
        dec->text = *raw;
        memset(raw, 0, sizeof *raw);
    } else {
        int rc = convert_raw(rd, cnv, from, raw, skip, dec);
        if (rc != BT_OK) return rc;
    }
    if (!dec->text.p) rd_bytes_reserve(&dec->text, 1, SIZE_MAX);
    /* every leading BOM: files joined with cat bring one each */
    while (dec->text.len >= dec->start + 3 &&
           memcmp(dec->text.p + dec->start, "\xEF\xBB\xBF", 3) == 0)
        dec->start += 3;
    return BT_OK;
}
