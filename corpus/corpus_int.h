/* corpus_int.h - what the files of the corpus reader share: the fast UTF-8
 * step of the line check and the classes of characters the text repair
 * replaces, so the check that finds them and the repair agree. */
#ifndef BT_CORPUS_INT_H
#define BT_CORPUS_INT_H

#include "corpus.h"

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
 * hyphen, the zero-width space, non-joiner and joiner, the word joiner and
 * a byte order mark inside the text. Editors and web pages leave them in;
 * inside a name they would keep it from being found, and a translator does
 * not want them in a memory. They are taken out. */
static inline int is_invisible(int32_t cp)
{
    return cp == 0xAD || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF;
}

/* Spaces other than the space: the no-break space of web pages (&nbsp;),
 * the typographer's spaces, the ideographic space. Words and sentences are
 * told apart by spaces; these become one. */
static inline int is_other_space(int32_t cp)
{
    return cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

#endif
