/* lines.c - the decoded text into lines (LF, CRLF, lone CR), each checked
 * (UTF-8, length), repaired (bt_text_repair) and put in NFC.
 *
 * The lines are rewritten in place: repairs and dropped lines only shrink
 * the text, so every line is written at or before the place it was read
 * from. The only line that can grow is one whose NFC form is longer
 * (composition exclusions); it goes to a spill area. No allocation per line
 * on the hot path. */
#include "corpus_int.h"
#include "../base/utf8_fast.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucnv.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#define DEFAULT_MAX_LINE ((size_t)1 << 20)

/* ---- NFC -------------------------------------------------------------- */

/* One bit per BMP code point: NFC_Quick_Check=Yes and combining class 0.
 * A line made only of such code points is in NFC already, so it is not
 * converted to UTF-16 at all. Those of bt_nfc_inert are known without ICU
 * (Vietnamese and English text need it for nothing else here); the others
 * are asked of ICU a block of 256 code points at a time, when a line first
 * uses one: asking about all 65,536 cost more than reading 10 MB. */
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
    if (bt_nfc_inert(cp)) return 1;
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
    int line_legacy;          /* a line mostly not UTF-8 is windows-1258 */
    UConverter *legacy;       /* opened for the first such line */
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
    rd_icu_problem(sp->diag, sp->ud, sp->name, lineno, "cannot normalize the line",
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
    /* stream-safe first, so that normalizing stays linear */
    unsigned long dropped = 0;
    len16 = (int32_t)bt_stream_safe_u16((uint16_t *)sp->u16, (size_t)len16, &dropped);
    if (dropped) {
        bt_report(sp->diag, sp->ud, BT_ERR_LIMIT, 1, sp->name, lineno,
                  "%lu combining mark%s beyond %d in a row dropped "
                  "(stream-safe text, UAX #15)", dropped,
                  dropped == 1 ? "" : "s", BT_STREAM_SAFE_MAX);
        sp->doc->pub.nproblems++;
    }
    if (!dropped && unorm2_quickCheck(sp->nfc, sp->u16, len16, &err) == UNORM_YES &&
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
    char *p = bt_arena_alloc(&sp->doc->spills, (size_t)len8 + 1, 1);
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

/* What the check of a line found. */
typedef struct line_scan {
    int32_t bad;      /* first control character or noncharacter, or -1 */
    int need_nfc;
    int invisible;    /* invisible characters or other spaces */
    unsigned long ninvisible; /* invisible characters (taken out) */
} line_scan;

/* Check s[0..n). Returns n, or the offset of an invalid UTF-8 sequence. */
static inline size_t scan_line(const unsigned char *s, size_t n, line_scan *ls)
{
    int32_t bad = -1;
    int need_nfc = 0, invisible = 0;
    unsigned long ninvisible = 0;
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
        if (k == 0) return i;
        if (is_bad_cp(cp)) {
            if (bad < 0) bad = cp;
        } else if (is_invisible(cp)) {
            invisible = 1;
            ninvisible++;
        } else if (is_other_space(cp)) {
            invisible = 1;
        } else if (!is_nfc_inert(cp)) {
            need_nfc = 1;
        }
        i += (size_t)k;
    }
    ls->bad = bad;
    ls->need_nfc = need_nfc;
    ls->invisible = invisible;
    ls->ninvisible = ninvisible;
    return n;
}

static void finish_line(splitter *sp, char *dst, size_t n, size_t room,
                        const line_scan *ls, unsigned long lineno, char *buf,
                        size_t *w);

/* A line of a UTF-8 file that is mostly not UTF-8 (a copyright line in
 * Latin-1 in an article): read alone as windows-1258, with a warning
 * naming it, into the spill area (it may grow), then checked as any line. */
static int take_legacy_line(splitter *sp, const char *s, size_t n,
                            unsigned long lineno)
{
    UErrorCode err = U_ZERO_ERROR;
    if (!sp->legacy) {
        sp->legacy = ucnv_open(LEGACY_ENCODING, &err);
        if (U_FAILURE(err) || !sp->legacy) {
            sp->legacy = NULL;
            return -1;
        }
    }
    grow_uchars(&sp->u16, &sp->u16cap, n + 1);
    err = U_ZERO_ERROR;
    int32_t len16 = ucnv_toUChars(sp->legacy, sp->u16, (int32_t)sp->u16cap, s,
                                  (int32_t)n, &err);
    if (U_FAILURE(err)) return -1;
    size_t room = 3 * (size_t)len16 + 1;
    char *p = bt_arena_alloc(&sp->doc->spills, room, 1);
    int32_t len8 = 0;
    err = U_ZERO_ERROR;
    u_strToUTF8(p, (int32_t)room, &len8, sp->u16, len16, &err);
    if (U_FAILURE(err)) return -1;
    bt_report(sp->diag, sp->ud, BT_ERR_UTF8, 1, sp->name, lineno,
              "not UTF-8; the line is read as %s", LEGACY_ENCODING);
    sp->doc->pub.nproblems++;
    line_scan ls = { -1, 0, 0, 0 };
    if (scan_line((const unsigned char *)p, (size_t)len8, &ls) < (size_t)len8)
        return -1; /* not reached: ICU wrote UTF-8 */
    size_t w = 0;
    finish_line(sp, p, (size_t)len8, room, &ls, lineno, NULL, &w);
    return 0;
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
    line_scan ls = { -1, 0, 0, 0 };
    size_t i = scan_line(s, n, &ls);
    if (i < n) {
        if (sp->line_legacy && rd_line_is_legacy((const char *)s, n) &&
            take_legacy_line(sp, (const char *)s, n, lineno) == 0)
            return;
        if (sp->encoding && s[i] == CONV_MARK)
            bt_report(sp->diag, sp->ud, BT_ERR_ENCODING, 0, sp->name,
                      lineno, "invalid byte sequence for encoding '%s'",
                      sp->encoding);
        else
            bt_report(sp->diag, sp->ud, BT_ERR_UTF8, 0, sp->name, lineno,
                      "invalid UTF-8 (byte offset %zu)", i);
        d->nproblems++;
        return;
    }
    finish_line(sp, buf + *w, n, limit - *w, &ls, lineno, (char *)(uintptr_t)s,
                w);
}

/* Repair and normalize a checked line of n bytes at src (NULL: at dst
 * already) into dst, which has room bytes; *w grows by what the line takes
 * there when it stays there. */
static void finish_line(splitter *sp, char *dst, size_t n, size_t room,
                        const line_scan *ls, unsigned long lineno, char *src,
                        size_t *w)
{
    bt_doc *d = &sp->doc->pub;
    const char *s = src ? src : dst;
    int32_t bad = ls->bad;
    int need_nfc = ls->need_nfc, invisible = ls->invisible;
    d->ninvisible += ls->ninvisible;

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
        if (to_nfc(sp, lineno, dst, m, room, &text, &len) != 0) {
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

int rd_split_lines(doc_impl *d, const reader *rd, const bt_read_opts *opts,
                   decoded *dec)
{
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
    if (U_FAILURE(err))
        return rd_icu_problem(rd->diag, rd->ud, rd->name, 0,
                              "cannot load the NFC normalizer", err);
    splitter sp;
    memset(&sp, 0, sizeof sp);
    sp.doc = d;
    sp.name = d->pub.path;
    sp.diag = rd->diag;
    sp.ud = rd->ud;
    sp.max_line = opts && opts->max_line ? opts->max_line : DEFAULT_MAX_LINE;
    if (sp.max_line > INT32_MAX / 4) sp.max_line = INT32_MAX / 4;
    sp.encoding = dec->encoding;
    sp.line_legacy = dec->line_legacy;
    sp.nfc = nfc;
    split_lines(&sp, dec);
    if (sp.legacy) ucnv_close(sp.legacy);
    free(sp.u16);
    free(sp.n16);
    return BT_OK;
}
