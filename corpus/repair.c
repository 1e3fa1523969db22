/* repair.c - the one repair of text that entered as valid UTF-8: used by
 * the article reader (read.c) and the glossary readers (gloss.c). */
#include "corpus_int.h"

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
