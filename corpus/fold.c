/* fold.c - diacritic-free, lower-case folding for matching and keys.
 *
 * A table over the Latin letters (see fold_table.h) instead of an ICU
 * transliterator per call: folding runs on every caption and every look-up,
 * and a table is tens of times faster. test_fold.c checks the table against
 * ICU. */
#include "corpus.h"
#include "fold_table.h"
#include "../base/utf8_fast.h"

int32_t bt_fold_cp(int32_t cp)
{
    if (cp < 0x80) {
        if (cp >= 'A' && cp <= 'Z') return cp + 32;
        return cp;
    }
    if (cp >= 0xC0 && cp <= 0x24F) {
        char c = fold_00C0[cp - 0xC0];
        if (c) return c;
    } else if (cp >= 0x1E00 && cp <= 0x1EFF) {
        char c = fold_1E00[cp - 0x1E00];
        if (c) return c;
    } else if (cp >= 0x300 && cp <= 0x36F) {
        return 0; /* a combining mark left over: dropped */
    }
    switch (cp) {
    case 0x2018: case 0x2019: case 0x02BC: case 0x2032: case 0x00B4:
        return '\'';
    case 0x201C: case 0x201D: return '"';
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
    case 0x2212:
        return '-';
    case 0x00A0: case 0x2009: case 0x202F: case 0x200A: case 0x3000:
        return ' ';
    }
    return cp;
}

size_t bt_fold(const char *s, size_t len, bt_buf *out)
{
    /* a folded character is never longer than the one it comes from, so
     * the room is made once and the loop writes straight into it */
    bt_buf_reserve(out, len + 4);
    size_t before = out->len;
    char *d = out->ptr + out->len;
    size_t i = 0;
    while (i < len) {
        /* eight ASCII bytes at once: A-Z lowered by adding 0x20 where
         * the byte is one (no carry leaves a byte below 0x80) */
        if (i + 8 <= len) {
            uint64_t x = bt_swar_load((const unsigned char *)s + i);
            if (!(x & BT_SWAR_HIGH)) {
                uint64_t upper = (x + BT_SWAR_ONES * (0x80 - 'A')) &
                                 ~(x + BT_SWAR_ONES * (0x80 - 'Z' - 1)) & BT_SWAR_HIGH;
                uint64_t low = x | upper >> 2;
                memcpy(d, &low, 8);
                d += 8;
                i += 8;
                continue;
            }
        }
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) { /* ASCII: the common case in English text */
            *d++ = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            i++;
            continue;
        }
        int32_t cp;
        int n = bt_utf8_decode(s + i, len - i, &cp);
        if (n < 0) { /* not expected after corpus/, kept byte for byte */
            *d++ = (char)c;
            i++;
            continue;
        }
        int32_t f = bt_fold_cp(cp);
        if (f > 0) d += bt_utf8_encode(f, d);
        i += (size_t)n;
    }
    out->len = (size_t)(d - out->ptr);
    out->ptr[out->len] = '\0';
    return out->len - before;
}
