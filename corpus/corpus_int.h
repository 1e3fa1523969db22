/* corpus_int.h - what the files of the corpus reader share: the fast UTF-8
 * step of the line check, the classes of characters the text repair
 * replaces (so the check that finds them and the repair agree), and the
 * types and entry points of the reader's phases. */
#ifndef BT_CORPUS_INT_H
#define BT_CORPUS_INT_H

#include "corpus.h"

#include <sys/stat.h>
#include <unicode/utypes.h>

/* Decode one multi-byte UTF-8 sequence at s (n bytes left, s[0] >= 0x80).
 * Returns its length or 0 when invalid. */
static inline int utf8_seq(const unsigned char *s, size_t n, int32_t *cp)
{
    unsigned c = s[0];
    if (c >= 0xC2 && c <= 0xDF) {
        if (n < 2 || (s[1] & 0xC0) != 0x80) return 0;
        *cp = (int32_t)((c & 0x1F) << 6 | (s[1] & 0x3F));
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80) return 0;
        int32_t v = (int32_t)((c & 0x0F) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3Fu));
        if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF)) return 0;
        *cp = v;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
            (s[3] & 0xC0) != 0x80)
            return 0;
        int32_t v = (int32_t)((c & 0x07) << 18 | (s[1] & 0x3Fu) << 12 |
                              (s[2] & 0x3Fu) << 6 | (s[3] & 0x3Fu));
        if (v < 0x10000 || v > 0x10FFFF) return 0;
        *cp = v;
        return 4;
    }
    return 0;
}

/* C1 controls and noncharacters; the C0 ones are caught byte by byte. */
static inline int is_bad_cp(int32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0xFDD0 && cp <= 0xFDEF) ||
           (cp & 0xFFFE) == 0xFFFE;
}

/* Characters that show nothing and mean nothing to a reader: the soft
 * hyphen, the zero-width space, non-joiner and joiner, the word joiner, a
 * byte order mark inside the text, and the bidirectional marks and
 * controls (LRM, RLM, ALM; the embeddings, overrides and isolates U+202A..
 * U+202E, U+2066..U+2069), which Vietnamese and English text never needs
 * and which make two equal-looking strings differ (a trailing LRM left a
 * credit unpaired; U+202E reversed text in the memory). Editors and web
 * pages leave them in; inside a name they would keep it from being found,
 * and a translator does not want them in a memory. They are taken out. */
static inline int is_invisible(int32_t cp)
{
    return cp == 0xAD || (cp >= 0x200B && cp <= 0x200F) || cp == 0x2060 ||
           cp == 0xFEFF || cp == 0x061C || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

/* Spaces other than the space: the no-break space of web pages (&nbsp;),
 * the typographer's spaces, the ideographic space. Words and sentences are
 * told apart by spaces; these become one. */
static inline int is_other_space(int32_t cp)
{
    return cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

/* ---- the reader's phases: read.c (documents), read_bytes.c (bytes, gzip),
 * decode.c (to UTF-8), lines.c (lines, checks, NFC) ---- */

#define READ_CHUNK ((size_t)128 << 10)

/* Marks, in the UTF-8 made by an ICU converter, a place where the source
 * bytes could not be converted. 0xFF never occurs in UTF-8, so the line
 * check finds it and reports the line. */
#define CONV_MARK 0xFF

/* The document's private side. */
typedef struct doc_impl {
    bt_doc pub;      /* first member: a bt_doc * is a doc_impl * */
    char *text;      /* the decoded file; most lines point into it */
    bt_arena spills; /* lines that grew under NFC */
} doc_impl;

/* A growable byte area with a hard cap. */
typedef struct bytes {
    char *p;
    size_t len, cap;
} bytes;

/* Room for `want` more bytes, but the capacity never exceeds hardcap. */
void rd_bytes_reserve(bytes *b, size_t want, size_t hardcap);

/* Where an input comes from and what it may hold. */
typedef struct reader {
    const char *name;   /* the file's name as text (bt_name_text), for
                           messages and the doc's path */
    bt_buf name_text;   /* where name is kept */
    bt_diag_fn diag;
    void *ud;
    size_t max_file;
    size_t hardcap;     /* max_file + 1 to see the excess, + 1 for a NUL */
} reader;

/* Reports the file as too large; returns BT_ERR_LIMIT. */
int rd_too_large(const reader *rd);

static inline int rd_is_gzip(const unsigned char *p, size_t n)
{
    return n >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

/* Read everything from fd into out (plain or gzip'd); known is fd's stat
 * or NULL. A bt_status. */
int rd_read_fd(const reader *rd, int fd, const struct stat *known, bytes *out);
/* Inflate the gzip data data[0..len) into out. A bt_status. */
int rd_gunzip_mem(const reader *rd, const unsigned char *data, size_t len,
                  bytes *out);

/* ICU errors are turned into bitext diagnostics here and only here:
 * reports what with ICU's name for err; returns BT_ERR_ENCODING. */
int rd_icu_problem(bt_diag_fn diag, void *ud, const char *file,
                   unsigned long line, const char *what, UErrorCode err);

/* The decoded text of a file: UTF-8 in text[start..len), text[len] free. */
typedef struct decoded {
    bytes text;
    size_t start;
    const char *encoding; /* set when an ICU converter made the text */
    int line_legacy;      /* UTF-8 by sniffing: a line that is mostly not
                             UTF-8 is read as windows-1258 (lines.c) */
} decoded;

/* The legacy encoding of text that is not UTF-8 (decode.c). */
#define LEGACY_ENCODING "windows-1258"

/* Is the line s[0..n) more stray bytes than UTF-8 sequences (decode.c)? */
int rd_line_is_legacy(const char *s, size_t n);

/* Whether the folded word w (a-z) is spelled as a Vietnamese syllable, by
 * the onset + rhyme rule itself; bt_vi_syllable answers the same from a
 * table built with it (lang.c). */
int vi_syllable_rule(const char *w, size_t len);

/* Turn raw (consumed) into UTF-8 in dec. A bt_status. */
int rd_decode(const reader *rd, const char *encoding, bytes *raw, decoded *dec);

/* Split dec into the checked, repaired, NFC lines of d. BT_OK, or
 * BT_ERR_ENCODING when ICU's normalizer cannot be loaded. */
int rd_split_lines(doc_impl *d, const reader *rd, const bt_read_opts *opts,
                   decoded *dec);

#endif
