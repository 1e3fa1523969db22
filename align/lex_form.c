/* lex_form.c - the written form of a Vietnamese word, for telling apart
 * caption words that fold alike ("bão" storm, "báo" newspaper, "bảo" say).
 *
 * Folded keys find the candidates; the form decides among them when the
 * text has its marks. A form is the text lower-cased and decomposed, each
 * syllable's tone mark moved to the syllable's end, so that the old and
 * the new placement of the tone are one form ("hoà" and "hòa", "thuỷ" and
 * "thủy") while the tones themselves, and the marks that make â, ê, ô,
 * ơ, ư, ă and đ, still count. */
#include "lexicon_int.h"

#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <string.h>

enum { FORM_MAX = 256 };

static int is_tone(UChar c)
{
    return c == 0x0300 || c == 0x0301 || c == 0x0303 || c == 0x0309 || c == 0x0323;
}

int lex_form(const char *s, size_t len, char *out, size_t cap)
{
    UChar a[FORM_MAX], b[FORM_MAX], c[FORM_MAX];
    UErrorCode e = U_ZERO_ERROR;
    int32_t n;
    if (len >= FORM_MAX) return 0;
    u_strFromUTF8(a, FORM_MAX, &n, s, (int32_t)len, &e);
    int32_t m = u_strToLower(b, FORM_MAX, a, n, "", &e);
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&e);
    int32_t k = U_SUCCESS(e) ? unorm2_normalize(nfd, b, m, c, FORM_MAX, &e) : 0;
    if (U_FAILURE(e) || k >= FORM_MAX) return 0;
    /* letters in order, the tone after the syllable */
    int32_t w = 0;
    UChar tone = 0;
    for (int32_t i = 0; i <= k; i++) {
        UChar ch = i < k ? c[i] : ' ';
        if (is_tone(ch)) { tone = ch; continue; }
        if (ch == ' ' || ch == '-') {
            if (tone) a[w++] = tone;
            tone = 0;
            if (i < k && w > 0 && a[w - 1] != ' ') a[w++] = ' ';
            continue;
        }
        a[w++] = ch;
    }
    int32_t bytes;
    u_strToUTF8(out, (int32_t)cap, &bytes, a, w, &e);
    if (U_FAILURE(e) || (size_t)bytes >= cap) return 0;
    out[bytes] = '\0';
    return 1;
}

int lex_lower(const char *s, size_t len, bt_buf *out)
{
    UChar a[FORM_MAX], b[FORM_MAX];
    char u[FORM_MAX * 3];
    UErrorCode e = U_ZERO_ERROR;
    int32_t n, bytes;
    if (len >= FORM_MAX) return 0;
    u_strFromUTF8(a, FORM_MAX, &n, s, (int32_t)len, &e);
    int32_t m = U_SUCCESS(e) ? u_strToLower(b, FORM_MAX, a, n, "", &e) : 0;
    if (U_SUCCESS(e) && m < FORM_MAX) u_strToUTF8(u, (int32_t)sizeof u, &bytes, b, m, &e);
    if (U_FAILURE(e) || m >= FORM_MAX || (size_t)bytes >= sizeof u) return 0;
    bt_buf_add(out, u, (size_t)bytes);
    return 1;
}
