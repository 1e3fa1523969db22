/* repair.c - the one repair of text that entered as valid UTF-8: used by
 * the article reader (read.c) and the glossary readers (gloss/gloss_io.c). */
#include "corpus_int.h"

#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf16.h>

size_t bt_text_repair(char *dst, const char *src, size_t n, unsigned flags,
                      int32_t *first_bad)
{
    const unsigned char *s = (const unsigned char *)src;
    int spaces = (flags & BT_REPAIR_SPACES) != 0;
    int32_t first = -1;
    size_t i = 0, o = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            int bad = (c < 0x20 && c != '\t') || c == 0x7F;
            if (bad && first < 0) first = (int32_t)c;
            dst[o++] = bad ? ' ' : (char)c;
            i++;
            continue;
        }
        int32_t cp = 0;
        int k = utf8_seq(s + i, n - i, &cp);
        if (k == 0) { /* not reached: the text was checked; kept as it is */
            dst[o++] = (char)c;
            i++;
            continue;
        }
        if (is_bad_cp(cp)) {
            if (first < 0) first = cp;
            dst[o++] = ' ';
        } else if (spaces && is_other_space(cp)) {
            dst[o++] = ' ';
        } else if (spaces && is_invisible(cp)) {
            /* left out */
        } else {
            for (int j = 0; j < k; j++) dst[o + (size_t)j] = (char)s[i + (size_t)j];
            o += (size_t)k;
        }
        i += (size_t)k;
    }
    if (first_bad) *first_bad = first;
    return o;
}

size_t bt_stream_safe_u16(uint16_t *s, size_t n, unsigned long *dropped)
{
    size_t r = 0, w = 0, run = 0;
    unsigned long gone = 0;
    while (r < n) {
        UChar32 c = s[r];
        size_t k = 1;
        if (U16_IS_LEAD(c) && r + 1 < n && U16_IS_TRAIL(s[r + 1])) {
            c = U16_GET_SUPPLEMENTARY(c, s[r + 1]);
            k = 2;
        }
        /* ASCII and most letters are starters: no look-up for them */
        int starter = c < 0x300 || u_getCombiningClass(c) == 0;
        run = starter ? 0 : run + 1;
        if (run > BT_STREAM_SAFE_MAX) {
            gone++;
        } else {
            if (w != r) memmove(s + w, s + r, k * sizeof *s);
            w += k;
        }
        r += k;
    }
    if (dropped) *dropped += gone;
    return w;
}
