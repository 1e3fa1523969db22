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

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { FORM_MAX = 256 };

static int is_tone(UChar c)
{
    return c == 0x0300 || c == 0x0301 || c == 0x0303 || c == 0x0309 || c == 0x0323;
}

/* Each character of the Latin letters Vietnamese is written in and of
 * the general punctuation, lower-cased and decomposed once by ICU: a text
 * of only these and ASCII is its characters' forms one after the other
 * (none of them lower-cases by context, and none decomposes to begin with
 * a combining mark, so no marks are reordered across characters). Most
 * forms are taken so, without a conversion to UTF-16 and two passes of
 * ICU over it. */
enum { LATIN_FROM = 0x80, LATIN_TO = 0x250, EXT_FROM = 0x1E00, EXT_TO = 0x1F00,
       PUNCT_FROM = 0x2000, PUNCT_TO = 0x2070, DECOMP_MAX = 4 };

typedef struct char_form {
    unsigned char n;        /* 0: not known, to be left to ICU */
    UChar u[DECOMP_MAX];
} char_form;

static char_form latin_forms[LATIN_TO - LATIN_FROM], ext_forms[EXT_TO - EXT_FROM],
    punct_forms[PUNCT_TO - PUNCT_FROM];
static pthread_once_t forms_once = PTHREAD_ONCE_INIT;

static void char_forms_fill(char_form *t, int32_t from, int32_t to)
{
    UErrorCode e = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&e);
    if (U_FAILURE(e)) return;
    for (int32_t cp = from; cp < to; cp++) {
        UChar a[1] = { (UChar)cp }, b[DECOMP_MAX], c[DECOMP_MAX];
        e = U_ZERO_ERROR;
        int32_t m = u_strToLower(b, DECOMP_MAX, a, 1, "", &e);
        int32_t k = U_SUCCESS(e) ? unorm2_normalize(nfd, b, m, c, DECOMP_MAX, &e) : 0;
        if (U_FAILURE(e) || k < 1 || k > DECOMP_MAX || U16_IS_SURROGATE(c[0]) ||
            u_getCombiningClass(c[0]) != 0)
            continue;
        t[cp - from].n = (unsigned char)k;
        memcpy(t[cp - from].u, c, (size_t)k * sizeof *c);
    }
}

static void char_forms_init(void)
{
    char_forms_fill(latin_forms, LATIN_FROM, LATIN_TO);
    char_forms_fill(ext_forms, EXT_FROM, EXT_TO);
    char_forms_fill(punct_forms, PUNCT_FROM, PUNCT_TO);
}

/* s[0..len) lower-cased and decomposed into c (room for FORM_MAX) by the
 * table: its length, or -1 when a character is not in it (or the text is
 * not valid UTF-8, or too long). */
static int32_t table_form(const char *s, size_t len, UChar *c)
{
    pthread_once(&forms_once, char_forms_init);
    const unsigned char *u = (const unsigned char *)s;
    int32_t k = 0;
    for (size_t i = 0; i < len;) {
        unsigned b = u[i];
        if (b < 0x80) {
            if (k >= FORM_MAX) return -1;
            c[k++] = (UChar)(b >= 'A' && b <= 'Z' ? b + 32 : b);
            i++;
            continue;
        }
        int32_t cp;
        if (b >= 0xC2 && b <= 0xDF && i + 1 < len && (u[i + 1] & 0xC0) == 0x80) {
            cp = (int32_t)((b & 0x1F) << 6 | (u[i + 1] & 0x3Fu));
            i += 2;
        } else if (b >= 0xE1 && b <= 0xEC && i + 2 < len && (u[i + 1] & 0xC0) == 0x80 &&
                   (u[i + 2] & 0xC0) == 0x80) {
            cp = (int32_t)((b & 0x0F) << 12 | (u[i + 1] & 0x3Fu) << 6 | (u[i + 2] & 0x3Fu));
            i += 3;
        } else {
            return -1;
        }
        const char_form *f = cp < LATIN_TO ? &latin_forms[cp - LATIN_FROM]
                             : cp >= EXT_FROM && cp < EXT_TO ? &ext_forms[cp - EXT_FROM]
                             : cp >= PUNCT_FROM && cp < PUNCT_TO ? &punct_forms[cp - PUNCT_FROM]
                                                                 : NULL;
        if (!f || !f->n || k + f->n > FORM_MAX) return -1;
        for (int j = 0; j < f->n; j++) c[k++] = f->u[j];
    }
    return k;
}

int lex_form(const char *s, size_t len, char *out, size_t cap)
{
    UChar a[FORM_MAX], b[FORM_MAX], c[FORM_MAX];
    UErrorCode e = U_ZERO_ERROR;
    int32_t n;
    if (len >= FORM_MAX) return 0;
    int32_t k = table_form(s, len, c);
    if (k < 0) {
        u_strFromUTF8(a, FORM_MAX, &n, s, (int32_t)len, &e);
        int32_t m = u_strToLower(b, FORM_MAX, a, n, "", &e);
        const UNormalizer2 *nfd = unorm2_getNFDInstance(&e);
        k = U_SUCCESS(e) ? unorm2_normalize(nfd, b, m, c, FORM_MAX, &e) : 0;
    }
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

/* ---- forms remembered ---- */

/* A slot per hash of the text: the last text seen there and its form.
 * Caption words are few and come again and again; a form takes ICU's
 * tables and a conversion each time it is made. */
enum { MEMO_SLOTS = 2048, MEMO_KEY = 46, MEMO_FORM = 72 };

typedef struct form_memo {
    uint64_t h;
    unsigned char klen;   /* 0: empty */
    unsigned char formed; /* lex_form gave a form */
    char key[MEMO_KEY];
    char form[MEMO_FORM]; /* NUL-terminated */
} form_memo;

static _Thread_local form_memo *memo_mine;

static form_memo *memo_get(void)
{
    if (!memo_mine) memo_mine = bt_thread_block(MEMO_SLOTS, sizeof *memo_mine, NULL);
    return memo_mine;
}

const char *lex_form_memo(const char *s, size_t len, char *out, size_t cap)
{
    if (len == 0 || len > MEMO_KEY) return lex_form(s, len, out, cap) ? out : NULL;
    form_memo *m = memo_get();
    uint64_t h = bt_hash_bytes(len, s, len);
    form_memo *e = &m[h & (MEMO_SLOTS - 1)];
    if (e->h == h && e->klen == len && !memcmp(e->key, s, len))
        return e->formed ? e->form : NULL;
    int formed = lex_form(s, len, out, cap);
    size_t fl = formed ? strlen(out) : 0;
    /* a form too long for the slot, or one that would not fit out, is
     * not kept: asked again, it is made again */
    if (fl >= MEMO_FORM || fl >= cap) return formed ? out : NULL;
    e->h = h;
    e->klen = (unsigned char)len;
    e->formed = (unsigned char)formed;
    memcpy(e->key, s, len);
    memcpy(e->form, out, fl + 1);
    return formed ? e->form : NULL;
}
