/* utf8_fast.h - inline helpers for loops over text: test eight bytes at a
 * time (SWAR: the high bit of each byte of a word marks an answer), and
 * take a valid two- or three-byte UTF-8 sequence without a call (same
 * answers as bt_utf8_decode). */
#ifndef BT_UTF8_FAST_H
#define BT_UTF8_FAST_H

#include "base.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* A code point that is certainly in NFC wherever it stands (NFC_Quick_Check
 * Yes, combining class 0): text of only these is NFC already, with no need
 * of ICU. The Latin letters, the Vietnamese block (U+1E00..U+1EFF) and the
 * general punctuation; tests/unit/test_icu_fast.c checks every code point
 * it accepts against ICU. */
static inline int bt_nfc_inert(int32_t cp)
{
    return (uint32_t)cp < 0x300 || (uint32_t)(cp - 0x1E00) < 0x100 ||
           (uint32_t)(cp - 0x2002) < 0x20D0 - 0x2002;
}

#define BT_SWAR_ONES 0x0101010101010101ULL
#define BT_SWAR_HIGH 0x8080808080808080ULL

/* Eight bytes from p (which must have eight readable bytes). */
static inline uint64_t bt_swar_load(const unsigned char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}

/* Nonzero when some byte of x is below n (n <= 128). */
static inline uint64_t bt_swar_lt(uint64_t x, unsigned n)
{
    return (x - BT_SWAR_ONES * n) & ~x & BT_SWAR_HIGH;
}

/* Nonzero when some byte of x equals c. */
static inline uint64_t bt_swar_eq(uint64_t x, unsigned char c)
{
    uint64_t y = x ^ (BT_SWAR_ONES * c);
    return (y - BT_SWAR_ONES) & ~y & BT_SWAR_HIGH;
}

/* The bytes of x equal to c, each marked exactly (no false marks after a
 * true one, as bt_swar_eq may give): for tests of where, not only whether. */
static inline uint64_t bt_swar_eq_mask(uint64_t x, unsigned char c)
{
    uint64_t y = x ^ (BT_SWAR_ONES * c);
    return ~(((y & ~BT_SWAR_HIGH) + ~BT_SWAR_HIGH) | y) & BT_SWAR_HIGH;
}

/* The bytes of x below 0x20, each marked exactly. */
static inline uint64_t bt_swar_controls_mask(uint64_t x)
{
    return ~(((x & ~BT_SWAR_HIGH) + BT_SWAR_ONES * 0x60) | x) & BT_SWAR_HIGH;
}

/* Index of the first marked byte of m (not 0), in text order. */
static inline size_t bt_swar_first(uint64_t m)
{
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return (size_t)__builtin_ctzll(m) >> 3;
#else
    unsigned char b[8];
    memcpy(b, &m, 8);
    size_t k = 0;
    while (!(b[k] & 0x80)) k++;
    return k;
#endif
}

/* The first index from i on of a byte of s[0..len) equal to a, b, c or d;
 * len when there is none. Sixteen bytes at a time where SSE2 is (every
 * x86-64), eight elsewhere. */
static inline size_t bt_find4(const unsigned char *s, size_t i, size_t len, unsigned char a,
                              unsigned char b, unsigned char c, unsigned char d)
{
#if defined(__SSE2__)
    const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b),
                  vc = _mm_set1_epi8((char)c), vd = _mm_set1_epi8((char)d);
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, vd)));
        int bits = _mm_movemask_epi8(m);
        if (bits) return i + (size_t)__builtin_ctz((unsigned)bits);
    }
#endif
    for (; i + 8 <= len; i += 8) {
        uint64_t x = bt_swar_load(s + i);
        uint64_t m = bt_swar_eq_mask(x, a) | bt_swar_eq_mask(x, b) | bt_swar_eq_mask(x, c) |
                     bt_swar_eq_mask(x, d);
        if (m) return i + bt_swar_first(m);
    }
    for (; i < len; i++)
        if (s[i] == a || s[i] == b || s[i] == c || s[i] == d) return i;
    return len;
}

/* The first index from i on of a byte of s[0..len) above 0x7F; len when
 * there is none. */
static inline size_t bt_find_high(const unsigned char *s, size_t i, size_t len)
{
#if defined(__SSE2__)
    for (; i + 16 <= len; i += 16) {
        int bits = _mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + i)));
        if (bits) return i + (size_t)__builtin_ctz((unsigned)bits);
    }
#endif
    for (; i + 8 <= len; i += 8) {
        uint64_t m = bt_swar_load(s + i) & BT_SWAR_HIGH;
        if (m) return i + bt_swar_first(m);
    }
    for (; i < len; i++)
        if (s[i] & 0x80) return i;
    return len;
}

/* bt_utf8_decode (same answers), with ASCII and the two- and three-byte
 * sequences of Vietnamese letters decoded inline. */
static inline int bt_utf8_decode_fast(const char *str, size_t len, int32_t *cp)
{
    const unsigned char *u = (const unsigned char *)str;
    unsigned c = u[0];
    if (c < 0x80) {
        *cp = (int32_t)c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF && len >= 2 && (u[1] & 0xC0) == 0x80) {
        *cp = (int32_t)((c & 0x1F) << 6 | (u[1] & 0x3Fu));
        return 2;
    }
    if (c >= 0xE1 && c <= 0xEC && len >= 3 && (u[1] & 0xC0) == 0x80 &&
        (u[2] & 0xC0) == 0x80) { /* U+1000..U+CFFF: no overlong, no surrogate */
        *cp = (int32_t)((c & 0x0F) << 12 | (u[1] & 0x3Fu) << 6 | (u[2] & 0x3Fu));
        return 3;
    }
    return bt_utf8_decode(str, len, cp);
}

/* The valid UTF-8 sequence at p (a lead byte >= 0x80, in a NUL-terminated
 * string): its length with *cp set, or 0 when invalid. Never reads past
 * the NUL. */
static inline int bt_utf8_seq(const unsigned char *p, int32_t *cp)
{
    unsigned c = p[0];
    if (c >= 0xC2 && c <= 0xDF) {
        if ((p[1] & 0xC0) != 0x80) return 0;
        *cp = (int32_t)(((c & 0x1F) << 6) | (p[1] & 0x3F));
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if ((p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return 0;
        int32_t v = (int32_t)(((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F));
        if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF)) return 0;
        *cp = v;
        return 3;
    }
    int n = bt_utf8_decode((const char *)p, 4, cp); /* four bytes, or invalid */
    return n > 0 ? n : 0;
}

#endif
