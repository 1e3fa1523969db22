/* read.c - one input into a bt_doc: bytes (plain, gzip, stdin), decoding to
 * UTF-8 (BOM, UTF-16, ICU converters), lines, checks and NFC.
 *
 * The decoded file is held in one buffer and the lines are rewritten in
 * place: repairs and dropped lines only shrink the text, so every line is
 * written at or before the place it was read from. The only line that can
 * grow is one whose NFC form is longer (composition exclusions); it goes to a
 * spill area. No allocation per line on the hot path. */
#include "corpus_int.h"
#include "../base/utf8_fast.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ZLIB_CONST
#include <zlib.h>

#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#define DEFAULT_MAX_LINE ((size_t)1 << 20)
#define DEFAULT_MAX_FILE ((size_t)256 << 20)
#define READ_CHUNK ((size_t)128 << 10)
#define SPILL_CHUNK ((size_t)64 << 10)

/* Marks, in the UTF-8 made by an ICU converter, a place where the source
 * bytes could not be converted. 0xFF never occurs in UTF-8, so the line
 * check finds it and reports the line. */
#define CONV_MARK 0xFF

/* ---- the document's private side ------------------------------------- */

typedef struct spill {
    struct spill *next;
    size_t used, cap;
    char data[];
} spill;

typedef struct doc_impl {
    bt_doc pub;      /* first member: a bt_doc * is a doc_impl * */
    char *text;      /* the decoded file; most lines point into it */
    spill *spills;   /* lines that grew under NFC */
} doc_impl;

void bt_doc_free(bt_doc *doc)
{
    if (!doc) return;
    doc_impl *d = (doc_impl *)doc;
    free(d->pub.path);
    free(d->pub.lines);
    free(d->text);
    for (spill *s = d->spills, *next; s; s = next) {
        next = s->next;
        free(s);
    }
    free(d);
}


/* read(2) that also works on a descriptor opened non-blocking (a FIFO or
 * device named as input): waits for data instead of failing with EAGAIN. */
static ssize_t read_wait(int fd, void *buf, size_t n)
{
    for (;;) {
        ssize_t r = read(fd, buf, n);
        if (r >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) return r;
        struct pollfd p = { fd, POLLIN, 0 };
        if (poll(&p, 1, -1) < 0 && errno != EINTR) return -1;
    }
}

static char *spill_alloc(doc_impl *d, size_t n)
{
    spill *s = d->spills;
    if (!s || s->cap - s->used < n) {
        size_t cap = n > SPILL_CHUNK ? n : SPILL_CHUNK;
        s = bt_xmalloc(sizeof *s + cap);
        s->used = 0;
        s->cap = cap;
        s->next = d->spills;
        d->spills = s;
    }
    char *p = s->data + s->used;
    s->used += n;
    return p;
}

/* ---- a growable byte area with a hard cap ---------------------------- */

typedef struct bytes {
    char *p;
    size_t len, cap;
} bytes;

/* Room for `want` more bytes, but the capacity never exceeds hardcap. */
static void bytes_reserve(bytes *b, size_t want, size_t hardcap)
{
    size_t need = b->len + want;
    if (need > hardcap) need = hardcap;
    if (need <= b->cap) return;
    /* the first reservation is what was asked for: a small file's buffer
     * is its size, not a chunk the allocator would map and unmap */
    size_t c = b->cap ? b->cap : need;
    while (c < need) c = c > SIZE_MAX / 2 ? need : c * 2;
    if (c > hardcap) c = hardcap;
    b->p = bt_xrealloc(b->p, c);
    b->cap = c;
}

/* ---- reading bytes ---------------------------------------------------- */

typedef struct reader {
    const char *name;   /* for messages */
    bt_diag_fn diag;
    void *ud;
    size_t max_file;
    size_t hardcap;     /* max_file + 1 to see the excess, + 1 for a NUL */
} reader;

static int too_large(const reader *rd)
{
    bt_report(rd->diag, rd->ud, BT_ERR_LIMIT, 0, rd->name, 0,
              "file too large (limit %zu bytes)", rd->max_file);
    return BT_ERR_LIMIT;
}

/* Where compressed bytes come from: a file descriptor or memory. */
typedef struct source {
    int fd;                   /* -1: memory */
    const unsigned char *mem;
    size_t memlen;
    unsigned char *chunk;     /* READ_CHUNK bytes for fd reads, or NULL */
} source;

/* Next piece of input: > 0 bytes at *p, 0 at the end, -1 on a read error
 * (errno set). */
static ssize_t source_next(source *src, const unsigned char **p)
{
    if (src->fd < 0) {
        size_t n = src->memlen;
        *p = src->mem;
        if (n) src->mem += n; /* (no arithmetic on a NULL of empty input) */
        src->memlen = 0;
        return (ssize_t)n;
    }
    if (!src->chunk) src->chunk = bt_xmalloc(READ_CHUNK); /* only when the
                                                         first read was not all */
    for (;;) {
        ssize_t n = read_wait(src->fd, src->chunk, READ_CHUNK);
        if (n < 0 && errno == EINTR) continue;
        *p = src->chunk;
        return n;
    }
}

static int read_error(const reader *rd, int err)
{
    bt_report(rd->diag, rd->ud, BT_ERR_IO, 0, rd->name, 0, "read error (%s)",
              strerror(err));
    return BT_ERR_IO;
}

/* Inflate gzip data (one or more members) from src into out. The first
 * nhead bytes of input are in head. */
static int gunzip(const reader *rd, source *src, const unsigned char *head,
                  size_t nhead, bytes *out)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
        bt_report(rd->diag, rd->ud, BT_ERR_FORMAT, 0, rd->name, 0,
                  "cannot start gzip decoder");
        return BT_ERR_FORMAT;
    }
    zs.next_in = head;
    zs.avail_in = (uInt)nhead;
    int in_member = 1, eof = 0, rc = BT_OK;
    for (;;) {
        if (zs.avail_in == 0 && !eof) {
            const unsigned char *p;
            ssize_t n = source_next(src, &p);
            if (n < 0) { rc = read_error(rd, errno); break; }
            if (n == 0) eof = 1;
            /* Memory input may exceed uInt; feed it in pieces. */
            size_t take = (size_t)n > 0x40000000u ? 0x40000000u : (size_t)n;
            if (take < (size_t)n) {
                src->mem = p + take;
                src->memlen = (size_t)n - take;
            }
            zs.next_in = p;
            zs.avail_in = (uInt)take;
        }
        if (!in_member) {
            if (zs.avail_in == 0) break; /* clean end */
            if (zs.next_in[0] != 0x1f) {
                bt_report(rd->diag, rd->ud, BT_ERR_FORMAT, 1, rd->name, 0,
                          "trailing garbage after gzip data ignored");
                break;
            }
            inflateReset(&zs); /* another member, as `cat a.gz b.gz` makes */
            in_member = 1;
        }
        if (out->cap < out->len + 2) /* full (or none yet): grow */
            bytes_reserve(out, out->len > READ_CHUNK ? out->len : READ_CHUNK, rd->hardcap);
        size_t room = out->cap - out->len - 1;
        if (room > 0x40000000u) room = 0x40000000u;
        zs.next_out = (unsigned char *)out->p + out->len;
        zs.avail_out = (uInt)room;
        int zr = inflate(&zs, Z_NO_FLUSH);
        out->len += room - zs.avail_out;
        if (out->len > rd->max_file) { rc = too_large(rd); break; }
        if (zr == Z_STREAM_END) {
            in_member = 0;
        } else if (zr == Z_DATA_ERROR || zr == Z_NEED_DICT) {
            bt_report(rd->diag, rd->ud, BT_ERR_FORMAT, 0, rd->name, 0,
                      "corrupt gzip data (%s)", zs.msg ? zs.msg : "bad data");
            rc = BT_ERR_FORMAT;
            break;
        } else if (zr == Z_MEM_ERROR) {
            bt_report(rd->diag, rd->ud, BT_ERR_FORMAT, 0, rd->name, 0,
                      "out of memory in gzip decoder");
            rc = BT_ERR_FORMAT;
            break;
        }
        /* Z_OK and Z_BUF_ERROR: more input or more room; the loop gives
         * both, unless the input has ended with room left over. */
        if (in_member && eof && zs.avail_in == 0 && zs.avail_out > 0) {
            bt_report(rd->diag, rd->ud, BT_ERR_FORMAT, 0, rd->name, 0,
                      "truncated gzip data");
            rc = BT_ERR_FORMAT;
            break;
        }
    }
    inflateEnd(&zs);
    return rc;
}

static int is_gzip(const unsigned char *p, size_t n)
{
    return n >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

/* Read everything from fd into out (plain or gzip'd). A regular file is
 * read whole into one buffer of its size by its first read; a gzip'd one is
 * then inflated from that buffer in one go, into a buffer of the size its
 * trailer gives. */
static int read_fd(const reader *rd, int fd, const struct stat *known, bytes *out)
{
    struct stat st;
    int have_st = known ? (st = *known, 1) : fstat(fd, &st) == 0;
    int regular = have_st && S_ISREG(st.st_mode);
    if (have_st && S_ISDIR(st.st_mode)) {
        bt_report(rd->diag, rd->ud, BT_ERR_IO, 0, rd->name, 0,
                  "is a directory");
        return BT_ERR_IO;
    }

    /* The first reads: the whole of a regular file (up to 1 GiB, which
     * zlib takes in one piece) and the read that finds its end, or at
     * least the two bytes that tell gzip of anything else (unless it ends
     * first). */
    size_t first = READ_CHUNK;
    if (regular && (uintmax_t)st.st_size <= rd->max_file &&
        (uintmax_t)st.st_size < ((uintmax_t)1 << 30))
        first = (size_t)st.st_size + 2;
    bytes_reserve(out, first, rd->hardcap);
    int eof = 0;
    while (!eof && (out->len < 2 || (regular && out->len < out->cap - 1))) {
        ssize_t n = read_wait(fd, out->p + out->len, out->cap - out->len - 1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return read_error(rd, errno);
        if (n == 0) { eof = 1; break; }
        out->len += (size_t)n;
    }

    if (is_gzip((const unsigned char *)out->p, out->len)) {
        bytes gz = *out;
        memset(out, 0, sizeof *out);
        /* The gzip trailer holds the size (mod 2^32) of the last member:
         * a good first guess for the buffer. */
        unsigned char t[4];
        int have_t = 0;
        if (regular && st.st_size >= 18) {
            if (gz.len == (size_t)st.st_size) {
                memcpy(t, gz.p + gz.len - 4, 4);
                have_t = 1;
            } else {
                have_t = pread(fd, t, 4, st.st_size - 4) == 4;
            }
        }
        if (have_t) {
            size_t isize = (size_t)t[0] | (size_t)t[1] << 8 |
                           (size_t)t[2] << 16 | (size_t)t[3] << 24;
            bytes_reserve(out, isize + 2, rd->hardcap);
        }
        source src = { fd, NULL, 0, NULL };
        if (eof) src.fd = -1; /* nothing more to read: no read that says so */
        int rc = gunzip(rd, &src, (const unsigned char *)gz.p, gz.len, out);
        free(src.chunk);
        free(gz.p);
        return rc;
    }

    if (regular && (uintmax_t)st.st_size > rd->max_file) return too_large(rd);
    if (eof) return BT_OK;
    for (;;) {
        if (out->len > rd->max_file) return too_large(rd);
        bytes_reserve(out, READ_CHUNK, rd->hardcap);
        ssize_t n = read_wait(fd, out->p + out->len, out->cap - out->len - 1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return read_error(rd, errno);
        if (n == 0) break;
        out->len += (size_t)n;
    }
    return BT_OK;
}

/* ---- decoding to UTF-8 ----------------------------------------------- */

/* ICU errors are turned into bitext diagnostics here and only here. */
static int icu_problem(bt_diag_fn diag, void *ud, const char *file,
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
        return icu_problem(rd->diag, rd->ud, rd->name, 0,
                           "cannot set up the converter", err);
    enum { NCHUNK = 8192 };
    UChar chunk[NCHUNK];
    const char *s = src, *end = src + n;
    UChar lead = 0; /* a lead surrogate waiting for its trail */
    /* Plenty for the usual case: a single-byte encoding to Vietnamese
     * UTF-8 grows by about half. */
    bytes_reserve(out, n + n / 2 + 16, rd->hardcap);
    for (;;) {
        UChar *t = chunk;
        err = U_ZERO_ERROR;
        ucnv_toUnicode(cnv, &t, chunk + NCHUNK, &s, end, NULL, 1, &err);
        size_t got = (size_t)(t - chunk);
        bytes_reserve(out, 3 * got + 8, SIZE_MAX);
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
        if (out->len > rd->max_file) return too_large(rd);
        if (err == U_BUFFER_OVERFLOW_ERROR) continue;
        if (err == U_ILLEGAL_CHAR_FOUND || err == U_INVALID_CHAR_FOUND ||
            err == U_TRUNCATED_CHAR_FOUND) {
            if (lead) { out->p[out->len++] = (char)CONV_MARK; lead = 0; }
            out->p[out->len++] = (char)CONV_MARK;
            continue;
        }
        if (U_FAILURE(err))
            return icu_problem(rd->diag, rd->ud, rd->name, 0,
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

/* The decoded text of a file: UTF-8 in text[start..len), text[len] free. */
typedef struct decoded {
    bytes text;
    size_t start;
    const char *encoding; /* set when an ICU converter made the text */
} decoded;

static int binary_file(const reader *rd, size_t at)
{
    bt_report(rd->diag, rd->ud, BT_ERR_FORMAT, 0, rd->name, 0,
              "binary file (NUL byte at offset %zu)", at);
    return BT_ERR_FORMAT;
}

/* The 8-bit encoding a file is read in when it is not UTF-8: Vietnamese
 * text that is not Unicode is most often the Windows code page, and for
 * English punctuation (curly quotes, dashes) it agrees with windows-1252. */
#define LEGACY_ENCODING "windows-1258"

/* Sequences beyond ASCII that decide the encoding of a file: enough for a
 * clear majority, and the rest of the file need not be scanned twice. */
#define SNIFF_SEQUENCES 64

/* Do the bytes read as a legacy 8-bit encoding rather than as UTF-8? Of
 * the first SNIFF_SEQUENCES sequences beyond ASCII, a byte above 0x7F that
 * cannot stand where it is in UTF-8 (a lone continuation byte, a lead byte
 * without its continuation bytes, C0, C1, F5 to FF) speaks for a legacy
 * encoding; a sequence shaped like UTF-8 (a surrogate or an overlong form
 * too: some UTF-8 writer made it) speaks against. More of the first than
 * of the second, or any of the first and none of the second, and the file
 * is not UTF-8; a UTF-8 article with a damaged byte keeps its many good
 * sequences and is still read as UTF-8, its bad line reported. *bad_at is
 * the offset of the first stray byte. */
static int looks_legacy(const unsigned char *u, size_t n, size_t *bad_at)
{
    size_t utf8 = 0, stray = 0;
    for (size_t i = bt_find_high(u, 0, n); i < n && utf8 + stray < SNIFF_SEQUENCES;
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
            if (!stray) *bad_at = i;
            stray++;
            i++;
        }
    }
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

/* Turn raw (consumed) into UTF-8 in dec. */
static int decode(const reader *rd, const char *encoding, bytes *raw,
                  decoded *dec)
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
            return icu_problem(rd->diag, rd->ud, rd->name, 0,
                               "cannot open the converter", err);
    }

    if (!cnv) {
        /* UTF-8: the bytes are the text. */
        if (!nul_known) nul = memchr(raw->p, '\0', raw->len);
        if (nul) return binary_file(rd, (size_t)(nul - raw->p));
        dec->text = *raw;
        memset(raw, 0, sizeof *raw);
    } else {
        int rc = convert_to_utf8(rd, cnv, raw->p + skip, raw->len - skip,
                                 &dec->text);
        ucnv_close(cnv);
        free(raw->p);
        memset(raw, 0, sizeof *raw);
        if (rc != BT_OK) return rc;
        dec->encoding = from;
        nul = memchr(dec->text.p, '\0', dec->text.len);
        if (nul) {
            bt_report(rd->diag, rd->ud, BT_ERR_FORMAT, 0, rd->name, 0,
                      "binary file (NUL character at offset %zu of the "
                      "decoded text)", (size_t)(nul - dec->text.p));
            return BT_ERR_FORMAT;
        }
    }
    if (!dec->text.p) bytes_reserve(&dec->text, 1, SIZE_MAX);
    /* every leading BOM: files joined with cat bring one each */
    while (dec->text.len >= dec->start + 3 &&
           memcmp(dec->text.p + dec->start, "\xEF\xBB\xBF", 3) == 0)
        dec->start += 3;
    return BT_OK;
}

/* ---- NFC -------------------------------------------------------------- */

/* One bit per BMP code point: NFC_Quick_Check=Yes and combining class 0.
 * A line made only of such code points is in NFC already, so it is not
 * converted to UTF-16 at all. Filled a block of 256 code points at a time,
 * when a line first uses one: a file of Vietnamese touches a handful of
 * blocks, and asking ICU about all 65,536 code points cost more than reading
 * 10 MB. */
static uint8_t nfc_inert[0x10000 / 8];
static atomic_uchar nfc_block_done[0x100]; /* set once its bits are written */
static pthread_mutex_t nfc_lock = PTHREAD_MUTEX_INITIALIZER;

static void nfc_block_init(unsigned block)
{
    pthread_mutex_lock(&nfc_lock);
    if (!atomic_load_explicit(&nfc_block_done[block], memory_order_relaxed)) {
        for (UChar32 c = (UChar32)block << 8; c < (UChar32)(block + 1) << 8; c++) {
            if (c >= 0xD800 && c <= 0xDFFF) continue;
            if (u_getIntPropertyValue(c, UCHAR_NFC_QUICK_CHECK) == UNORM_YES &&
                u_getCombiningClass(c) == 0)
                nfc_inert[c >> 3] |= (uint8_t)(1u << (c & 7));
        }
        atomic_store_explicit(&nfc_block_done[block], 1, memory_order_release);
    }
    pthread_mutex_unlock(&nfc_lock);
}

static int is_nfc_inert(int32_t cp)
{
    if (cp >= 0x10000) return 0;
    unsigned block = (unsigned)cp >> 8;
    if (!atomic_load_explicit(&nfc_block_done[block], memory_order_acquire))
        nfc_block_init(block);
    return nfc_inert[cp >> 3] >> (cp & 7) & 1;
}

/* ---- lines ------------------------------------------------------------ */

typedef struct splitter {
    doc_impl *doc;
    const char *name;
    bt_diag_fn diag;
    void *ud;
    size_t max_line;
    const char *encoding;     /* non-NULL: CONV_MARK means a bad source byte */
    size_t lines_cap;
    const UNormalizer2 *nfc;
    UChar *u16, *n16;         /* scratch, reused for every line */
    size_t u16cap, n16cap;
} splitter;

/* The high bit of each byte of the 8 at s that is not printable ASCII
 * (0x20..0x7E), and perhaps of some after it: a byte over 0x7F sets its own
 * high bit, 0x7F does with + 1 and one under 0x20 with - 0x20; carries and
 * borrows only leave a byte that is bad already. On a little-endian machine
 * they go to bytes later in the text, so the first marked byte is the first
 * bad one; elsewhere it may come earlier, which costs a step, not a miss. */
static inline uint64_t not_printable8(const unsigned char *s)
{
    uint64_t x;
    memcpy(&x, s, 8);
    return (x | (x + BT_SWAR_ONES) | (x - 0x20 * BT_SWAR_ONES)) & BT_SWAR_HIGH;
}

static void grow_uchars(UChar **p, size_t *cap, size_t need)
{
    if (need <= *cap) return;
    size_t c = *cap ? *cap : 1024;
    while (c < need) c *= 2;
    free(*p);
    *p = bt_xmalloc(c * sizeof **p);
    *cap = c;
}

static int nfc_failed(splitter *sp, unsigned long lineno, UErrorCode err)
{
    icu_problem(sp->diag, sp->ud, sp->name, lineno, "cannot normalize the line",
                err);
    return -1;
}

/* Put text[0..n) (at dst, which may be overwritten up to dst + room) into
 * NFC. Sets *out and *outlen; the result is NUL-terminated. Returns 0, or -1
 * after reporting an ICU failure. */
static int to_nfc(splitter *sp, unsigned long lineno, char *dst, size_t n,
                  size_t room, char **out, size_t *outlen)
{
    UErrorCode err = U_ZERO_ERROR;
    grow_uchars(&sp->u16, &sp->u16cap, n + 1);
    int32_t len16 = 0;
    u_strFromUTF8(sp->u16, (int32_t)sp->u16cap, &len16, dst, (int32_t)n, &err);
    if (U_FAILURE(err))
        return nfc_failed(sp, lineno, err);
    if (unorm2_quickCheck(sp->nfc, sp->u16, len16, &err) == UNORM_YES &&
        U_SUCCESS(err)) {
        dst[n] = '\0';
        *out = dst;
        *outlen = n;
        return 0;
    }
    err = U_ZERO_ERROR;
    grow_uchars(&sp->n16, &sp->n16cap, (size_t)len16 + 16);
    int32_t nlen = unorm2_normalize(sp->nfc, sp->u16, len16, sp->n16,
                                    (int32_t)sp->n16cap, &err);
    if (err == U_BUFFER_OVERFLOW_ERROR) {
        err = U_ZERO_ERROR;
        grow_uchars(&sp->n16, &sp->n16cap, (size_t)nlen + 1);
        nlen = unorm2_normalize(sp->nfc, sp->u16, len16, sp->n16,
                                (int32_t)sp->n16cap, &err);
    }
    if (U_FAILURE(err))
        return nfc_failed(sp, lineno, err);

    /* Into the line's own place when it fits (room - 1 keeps the NUL). */
    int32_t len8 = 0;
    size_t cap8 = room - 1 > INT32_MAX ? INT32_MAX : room - 1;
    err = U_ZERO_ERROR;
    u_strToUTF8(dst, (int32_t)cap8, &len8, sp->n16, nlen, &err);
    if (U_SUCCESS(err) && (size_t)len8 < room) {
        dst[len8] = '\0';
        *out = dst;
        *outlen = (size_t)len8;
        return 0;
    }
    if (err != U_BUFFER_OVERFLOW_ERROR)
        return nfc_failed(sp, lineno, err);
    char *p = spill_alloc(sp->doc, (size_t)len8 + 1);
    err = U_ZERO_ERROR;
    u_strToUTF8(p, len8 + 1, &len8, sp->n16, nlen, &err);
    if (U_FAILURE(err))
        return nfc_failed(sp, lineno, err);
    p[len8] = '\0';
    *out = p;
    *outlen = (size_t)len8;
    return 0;
}

static void add_line(splitter *sp, char *text, size_t len, unsigned long lineno)
{
    bt_doc *d = &sp->doc->pub;
    if (d->nlines == sp->lines_cap) BT_GROW(d->lines, sp->lines_cap, d->nlines + 1);
    bt_line *l = &d->lines[d->nlines++];
    l->text = text;
    l->len = len;
    l->lineno = lineno;
    l->lang = bt_lang_guess(text, len);
}

/* Check, repair and normalize the line buf[r..e); write it at buf + *w,
 * where the bytes up to buf + limit are free. */
static void take_line(splitter *sp, char *buf, size_t *w, size_t r, size_t e,
                      size_t limit, unsigned long lineno)
{
    size_t n = e - r;
    bt_doc *d = &sp->doc->pub;
    if (n > sp->max_line) {
        bt_report(sp->diag, sp->ud, BT_ERR_LIMIT, 0, sp->name, lineno,
                  "line too long (%zu bytes, limit %zu)", n, sp->max_line);
        d->nproblems++;
        return;
    }
    const unsigned char *s = (const unsigned char *)buf + r;
    int32_t bad = -1; /* first control character or noncharacter */
    int need_nfc = 0, invisible = 0; /* invisible: or other spaces */
    size_t i = 0;
    while (i < n) {
        /* most of an English line goes eight bytes at a time */
        if (n - i >= 8) {
            uint64_t m = not_printable8(s + i);
            if (!m) {
                i += 8;
                continue;
            }
            i += bt_swar_first(m);
        }
        unsigned c = s[i];
        if (c - 0x20u < 0x5Fu) { /* printable ASCII */
            i++;
            continue;
        }
        if (c < 0x80) {
            if (c != '\t' && bad < 0) bad = (int32_t)c;
            i++;
            continue;
        }
        int32_t cp = 0;
        int k = utf8_seq(s + i, n - i, &cp);
        if (k == 0) {
            if (sp->encoding && c == CONV_MARK)
                bt_report(sp->diag, sp->ud, BT_ERR_ENCODING, 0, sp->name,
                          lineno, "invalid byte sequence for encoding '%s'",
                          sp->encoding);
            else
                bt_report(sp->diag, sp->ud, BT_ERR_UTF8, 0, sp->name, lineno,
                          "invalid UTF-8 (byte offset %zu)", i);
            d->nproblems++;
            return;
        }
        if (is_bad_cp(cp)) {
            if (bad < 0) bad = cp;
        } else if (is_invisible(cp) || is_other_space(cp)) {
            invisible = 1;
        } else if (!is_nfc_inert(cp)) {
            need_nfc = 1;
        }
        i += (size_t)k;
    }

    char *dst = buf + *w;
    size_t m = n;
    if (bad >= 0 || invisible) {
        m = bt_text_repair(dst, (const char *)s, n, BT_REPAIR_SPACES, NULL);
        if (bad >= 0) {
            bt_report(sp->diag, sp->ud, BT_ERR_FORMAT, 1, sp->name, lineno,
                      bad >= 0xFDD0 ? "noncharacter U+%04X replaced"
                                    : "control character U+%04X replaced",
                      (unsigned)bad);
            d->nproblems++;
        }
    } else if (dst != (const char *)s) {
        memmove(dst, s, n);
    }

    char *text = dst;
    size_t len = m;
    if (need_nfc) {
        if (to_nfc(sp, lineno, dst, m, limit - *w, &text, &len) != 0) {
            d->nproblems++;
            return;
        }
    } else {
        dst[m] = '\0';
    }
    if (text == dst) *w += len + 1;
    add_line(sp, text, len, lineno);
}

/* Split dec into lines of doc (LF, CRLF, lone CR). */
static void split_lines(splitter *sp, decoded *dec)
{
    char *buf = dec->text.p;
    size_t len = dec->text.len, r = dec->start, w = 0;
    unsigned long lineno = 0;
    /* Next LF and CR at or after r (len when none): each memchr runs over
     * any byte once, so files of lone CRs stay linear. */
    size_t nl = len, cr = len;
    const char *p;
    if (r < len && (p = memchr(buf + r, '\n', len - r))) nl = (size_t)(p - buf);
    if (r < len && (p = memchr(buf + r, '\r', len - r))) cr = (size_t)(p - buf);
    while (r < len) {
        size_t e, next;
        if (cr < nl) {
            e = cr;
            next = cr + 1 == nl ? nl + 1 : cr + 1;
        } else {
            e = nl;
            next = nl < len ? nl + 1 : len;
        }
        size_t limit = e < len ? next : len + 1;
        take_line(sp, buf, &w, r, e, limit, ++lineno);
        r = next;
        if (nl < r) {
            p = r < len ? memchr(buf + r, '\n', len - r) : NULL;
            nl = p ? (size_t)(p - buf) : len;
        }
        if (cr < r) {
            p = r < len ? memchr(buf + r, '\r', len - r) : NULL;
            cr = p ? (size_t)(p - buf) : len;
        }
    }
}

/* ---- documents -------------------------------------------------------- */

static void reader_init(reader *rd, const char *name, const bt_read_opts *opts,
                        bt_diag_fn diag, void *ud)
{
    rd->name = name;
    rd->diag = diag;
    rd->ud = ud;
    rd->max_file = opts && opts->max_file ? opts->max_file : DEFAULT_MAX_FILE;
    if (rd->max_file > SIZE_MAX / 4) rd->max_file = SIZE_MAX / 4;
    rd->hardcap = rd->max_file + 2;
}

/* Build the doc from raw bytes (consumed). */
static int doc_from_raw(const reader *rd, const bt_read_opts *opts, bytes *raw,
                        bt_doc **out)
{
    decoded dec;
    memset(&dec, 0, sizeof dec);
    int rc = decode(rd, opts ? opts->encoding : NULL, raw, &dec);
    free(raw->p);
    memset(raw, 0, sizeof *raw);
    if (rc != BT_OK) {
        free(dec.text.p);
        return rc;
    }
    /* Give back what geometric growth left unused; nothing points into the
     * buffer yet. */
    if (dec.text.cap > dec.text.len + 1 + (dec.text.len >> 4)) {
        dec.text.p = bt_xrealloc(dec.text.p, dec.text.len + 1);
        dec.text.cap = dec.text.len + 1;
    }

    doc_impl *d = bt_xcalloc(1, sizeof *d);
    d->pub.path = bt_xstrdup(rd->name);
    d->text = dec.text.p;

    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
    if (U_FAILURE(err)) {
        bt_doc_free(&d->pub);
        return icu_problem(rd->diag, rd->ud, rd->name, 0,
                           "cannot load the NFC normalizer", err);
    }

    splitter sp;
    memset(&sp, 0, sizeof sp);
    sp.doc = d;
    sp.name = d->pub.path;
    sp.diag = rd->diag;
    sp.ud = rd->ud;
    sp.max_line = opts && opts->max_line ? opts->max_line : DEFAULT_MAX_LINE;
    if (sp.max_line > INT32_MAX / 4) sp.max_line = INT32_MAX / 4;
    sp.encoding = dec.encoding;
    sp.nfc = nfc;
    split_lines(&sp, &dec);
    free(sp.u16);
    free(sp.n16);
    *out = &d->pub;
    return BT_OK;
}

int bt_doc_read(const char *path, const bt_read_opts *opts, bt_diag_fn diag,
                void *ud, bt_doc **out)
{
    *out = NULL;
    if (!path) return BT_ERR_USAGE;
    reader rd;
    reader_init(&rd, path, opts, diag, ud);

    int is_stdin = strcmp(path, "-") == 0;
    int fd = 0;
    if (!is_stdin) {
        /* non-blocking, so that a FIFO nobody writes to reads as empty
         * instead of hanging the run; regular files go back to blocking */
        do fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        while (fd < 0 && errno == EINTR);
        if (fd < 0) {
            bt_report(diag, ud, BT_ERR_IO, 0, NULL, 0, "cannot open '%s': %s",
                      path, strerror(errno));
            return BT_ERR_IO;
        }
    }
    /* a regular file ignores O_NONBLOCK, and read_wait waits out EAGAIN
     * from anything else: the flag can stay */
    struct stat st;
    int have_st = fstat(fd, &st) == 0;
    bytes raw = { NULL, 0, 0 };
    int rc = read_fd(&rd, fd, have_st ? &st : NULL, &raw);
    if (!is_stdin) close(fd);
    if (rc != BT_OK) {
        free(raw.p);
        return rc;
    }
    return doc_from_raw(&rd, opts, &raw, out);
}

size_t bt_doc_line_index(const bt_doc *doc, unsigned long lineno)
{
    size_t lo = 0, hi = doc->nlines;
    while (lo < hi) { /* lines are in source order */
        size_t mid = lo + (hi - lo) / 2;
        if (doc->lines[mid].lineno < lineno) lo = mid + 1;
        else hi = mid;
    }
    return lo < doc->nlines && doc->lines[lo].lineno == lineno ? lo : (size_t)-1;
}

int bt_doc_from_buffer(const char *name, const char *data, size_t len,
                       const bt_read_opts *opts, bt_diag_fn diag, void *ud,
                       bt_doc **out)
{
    *out = NULL;
    if (!data && len) return BT_ERR_USAGE;
    reader rd;
    reader_init(&rd, name ? name : "-", opts, diag, ud);
    bytes raw = { NULL, 0, 0 };
    const unsigned char *u = (const unsigned char *)data;
    if (is_gzip(u, len)) {
        source src = { -1, u, len, NULL };
        int rc = gunzip(&rd, &src, u, 0, &raw);
        if (rc != BT_OK) {
            free(raw.p);
            return rc;
        }
    } else {
        if (len > rd.max_file) return too_large(&rd);
        raw.p = bt_xmalloc(len + 1);
        raw.cap = len + 1;
        if (len) memcpy(raw.p, data, len);
        raw.len = len;
    }
    return doc_from_raw(&rd, opts, &raw, out);
}
