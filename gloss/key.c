/* key.c - look-up keys: folded and abbreviation-expanded keys, the
 * canonical written form (one tone placement), edit distance. */
#include "gloss_int.h"
#include "lookup_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

/* Abbreviations in titles and bodies: the rows of data/abbreviations.tsv,
 * through the lexicon, so that lookup and align expand the same ones. Only
 * forms written without vowel marks are read in any case: "TƯ" (Trung ương)
 * folds to "tu", which is also tư and từ, so it is read only in capitals
 * (tu_as_tw). Expansions kept folded and accented. */
enum { ABBREVS_MAX = 64, ABBREV_LEN_MAX = 15 };
static struct abbrev {
    char abbr[ABBREV_LEN_MAX + 1];
    size_t len;
    char *folded, *accented;
} abbrevs[ABBREVS_MAX];
static size_t nabbrevs, abbrev_len_max;
static uint32_t abbrev_first;   /* first letters, bit 0 = 'a' */
static uint16_t abbrev_lens[26]; /* per first letter, bit n: of length n */
/* per first letter, the abbreviations' indexes in their order */
static unsigned char abbrev_by_first[26][ABBREVS_MAX], abbrev_nfirst[26];
static pthread_once_t abbrevs_once = PTHREAD_ONCE_INIT;

static size_t emit_key(const char *s, size_t len, int english, int expand,
                       bt_buf *out);
static void fold_for_key(const char *s, size_t len, int english, bt_buf *f);

/* Letters and digits, and Đ/đ (which folds to d). */
static int unmarked(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p | 32) >= 'a' && (*p | 32) <= 'z') continue;
        if (*p >= '0' && *p <= '9') continue;
        if (p[0] == 0xC4 && (p[1] == 0x90 || p[1] == 0x91)) { p++; continue; }
        return 0;
    }
    return 1;
}

/* abbr and its expansion as the keys read them: abbr folded, the expansion
 * as a key (folded) and written lower-case (accented, detached); 0 when
 * abbr is not one to read. */
static int make_abbrev(const char *abbr, const char *expansion, struct abbrev *a)
{
    if (!unmarked(abbr)) return 0;
    bt_buf f, x;
    bt_buf_init(&f);
    bt_buf_init(&x);
    fold_for_key(abbr, strlen(abbr), 0, &f);
    int ok = f.len >= 2 && f.len <= ABBREV_LEN_MAX;
    if (ok) {
        memcpy(a->abbr, f.ptr, f.len + 1);
        a->len = f.len;
        bt_buf_reset(&f);
        fold_for_key(expansion, strlen(expansion), 0, &f);
        emit_key(f.ptr, f.len, 0, 0, &x);
        a->folded = bt_buf_detach(&x);
        a->accented = bt_gloss_lower(expansion, strlen(expansion));
    }
    bt_buf_free(&f);
    bt_buf_free(&x);
    return ok;
}

/* a, made, into the table and its first-letter index */
static void put_abbrev(const struct abbrev *a)
{
    if (nabbrevs == ABBREVS_MAX) return;
    abbrevs[nabbrevs++] = *a;
    if (a->len > abbrev_len_max) abbrev_len_max = a->len;
    if (a->abbr[0] >= 'a' && a->abbr[0] <= 'z') { /* else never looked for */
        abbrev_first |= 1u << (a->abbr[0] - 'a');
        abbrev_lens[a->abbr[0] - 'a'] |= (uint16_t)(1u << a->len);
        int first = a->abbr[0] - 'a';
        abbrev_by_first[first][abbrev_nfirst[first]++] = (unsigned char)(nabbrevs - 1);
    }
}

static void add_abbrev(void *ud, const char *abbr, const char *expansion)
{
    (void)ud;
    struct abbrev a;
    if (nabbrevs < ABBREVS_MAX && make_abbrev(abbr, expansion, &a)) put_abbrev(&a);
}

typedef struct abbrev_each {
    gloss_abbrev_fn fn;
    void *ud;
    size_t n;
} abbrev_each;

static void each_abbrev(void *ud, const char *abbr, const char *expansion)
{
    abbrev_each *e = ud;
    struct abbrev a;
    if (e->n < ABBREVS_MAX && make_abbrev(abbr, expansion, &a)) {
        e->n++;
        e->fn(e->ud, a.abbr, a.folded, a.accented);
        free(a.folded);
        free(a.accented);
    }
}

void gloss_abbrevs_make(gloss_abbrev_fn fn, void *ud)
{
    abbrev_each e = { fn, ud, 0 };
    bt_lexicon_each_abbrev(NULL, each_abbrev, &e);
}

/* bt_fold_cp of the code points below 0x2000 (Latin, Vietnamese), with
 * the eth read as d (fold_into's rule), plus one (0: not yet known). Each
 * is filled when first met: filling all 8,192 at once cost a look-up a
 * fifth of its instructions, for the few dozen a term has. Threads that
 * meet one together store the same value. */
enum { FOLD_TAB = 0x2000 };
static _Atomic uint16_t fold_tab[FOLD_TAB];

static int32_t fold_tab_get(int32_t cp)
{
    uint16_t v = atomic_load_explicit(&fold_tab[cp], memory_order_relaxed);
    if (__builtin_expect(v != 0, 1)) return (int32_t)v - 1;
    int32_t f = cp == 0xD0 || cp == 0xF0 ? 'd' : bt_fold_cp(cp);
    atomic_store_explicit(&fold_tab[cp], (uint16_t)(f + 1), memory_order_relaxed);
    return f;
}

/* Made at build time (tools/lexicon_image.c) when the program links it
 * (bitext does): folding and writing out the rows cost every look-up a
 * fifth of its instructions. */
extern const gloss_abbrev_image bt_gloss_abbrevs_image __attribute__((weak));

static void abbrevs_init(void)
{
    if (&bt_gloss_abbrevs_image) {
        const gloss_abbrev_image *im = &bt_gloss_abbrevs_image;
        for (size_t i = 0; i < im->n; i++) {
            struct abbrev a;
            const char *abbr = im->pool + im->rows[i].abbr;
            a.len = strlen(abbr);
            memcpy(a.abbr, abbr, a.len + 1); /* at most ABBREV_LEN_MAX: made so */
            a.folded = (char *)(uintptr_t)(im->pool + im->rows[i].folded);
            a.accented = (char *)(uintptr_t)(im->pool + im->rows[i].accented);
            put_abbrev(&a);
        }
        return;
    }
    /* the rows as written: the lexicon itself need not be built (it costs
     * a look-up with --no-lexicon most of its time) */
    bt_lexicon_each_abbrev(NULL, add_abbrev, NULL);
}

/* Looked up for every word of every key: a first-letter mask rejects most
 * words before any comparison. */
static const struct abbrev *find_abbrev(const char *w, size_t len)
{
    pthread_once(&abbrevs_once, abbrevs_init);
    if (len < 2 || len > abbrev_len_max || w[0] < 'a' || w[0] > 'z' ||
        !(abbrev_first & (1u << (w[0] - 'a'))) ||
        !(abbrev_lens[w[0] - 'a'] & (1u << len)))
        return NULL;
    int f = w[0] - 'a';
    for (unsigned j = 0; j < abbrev_nfirst[f]; j++) {
        const struct abbrev *a = &abbrevs[abbrev_by_first[f][j]];
        if (a->len == len && !memcmp(a->abbr, w, len)) return a;
    }
    return NULL;
}

const char *bt_gloss_abbrev(const char *w, size_t len)
{
    const struct abbrev *a = find_abbrev(w, len);
    return a ? a->folded : NULL;
}

/* A code point that belongs to a word (everything else breaks words). */
static int is_word_cp(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
               (cp >= '0' && cp <= '9');
    if (cp >= 0x300 && cp <= 0x36F) return 1;         /* combining marks */
    if (cp <= 0xBF || cp == 0xD7 || cp == 0xF7) return 0; /* Latin-1 signs */
    if (cp >= 0x2000 && cp <= 0x2BFF) return 0;       /* punctuation, symbols */
    if (cp >= 0x3000 && cp <= 0x303F) return 0;       /* CJK punctuation */
    if (cp == 0xFEFF || cp == 0xFFFD) return 0;
    return 1;
}

static int is_apostrophe(int32_t cp)
{
    return cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC;
}

/* Length in bytes of the word character at s[i], or 0 for a word break. */
static size_t word_char_at(const char *s, size_t len, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80)
        return ((c | 32) >= 'a' && (c | 32) <= 'z') || (c >= '0' && c <= '9');
    int32_t cp;
    int n = bt_utf8_decode(s + i, len - i, &cp);
    if (n < 0) return 0;
    return is_word_cp(cp) ? (size_t)n : 0;
}

/* Length of the separator at s[i] (at least 1). */
static size_t sep_len_at(const char *s, size_t len, size_t i)
{
    if ((unsigned char)s[i] < 0x80) return 1;
    int32_t cp;
    int n = bt_utf8_decode(s + i, len - i, &cp);
    return n < 0 ? 1 : (size_t)n;
}

/* Split folded text into words and emit the key: abbreviations expanded
 * (Vietnamese, when expand) or "the" dropped (English). Apostrophes are
 * already gone from English text. */
static size_t emit_key(const char *s, size_t len, int english, int expand,
                       bt_buf *out)
{
    size_t before = out->len;
    size_t i = 0;
    while (i < len) {
        size_t n = word_char_at(s, len, i);
        if (!n) {
            i += sep_len_at(s, len, i);
            continue;
        }
        size_t start = i;
        while (i < len && (n = word_char_at(s, len, i)) > 0) i += n;
        const char *w = s + start;
        size_t wl = i - start;
        if (english && wl == 3 && !memcmp(w, "the", 3)) continue;
        const struct abbrev *a = english || !expand ? NULL : find_abbrev(w, wl);
        if (out->len > before) bt_buf_addc(out, ' ');
        if (a) bt_buf_adds(out, a->folded);
        else bt_buf_add(out, w, wl);
    }
    return out->len - before;
}

/* The folding of bt_fold (through bt_fold_cp, one code point at a time,
 * into a buffer reserved once: keys are made for every row of a glossary),
 * plus the Icelandic eth (Ð U+00D0, ð U+00F0) that legacy Vietnamese
 * keyboards and converters put for Đ/đ, read as d. English: apostrophes
 * dropped, so People's = Peoples. */
static size_t fold_into(const char *s, size_t len, int english, char *o)
{
    size_t k = 0, i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
            if (!(english && c == '\'')) o[k++] = (char)c;
            i++;
            continue;
        }
        int32_t cp;
        int n = bt_utf8_decode(s + i, len - i, &cp);
        if (n < 0) { o[k++] = (char)c; i++; continue; }
        int32_t fc = cp == 0xD0 || cp == 0xF0 ? 'd' : bt_fold_cp(cp);
        i += (size_t)n;
        if (fc <= 0 || (english && fc == '\'')) continue;
        char tmp[4];
        int m = bt_utf8_encode(fc, tmp);
        if (m > n) { memcpy(tmp, s + i - (size_t)n, (size_t)n); m = n; }
        memcpy(o + k, tmp, (size_t)m);
        k += (size_t)m;
    }
    o[k] = '\0';
    return k;
}

static void fold_for_key(const char *s, size_t len, int english, bt_buf *f)
{
    /* a folded code point never takes more bytes than the original */
    bt_buf_reserve(f, len);
    f->len += fold_into(s, len, english, f->ptr + f->len);
}

/* "TƯ" in capitals is Trung ương (Ban Bí thư TƯ), but folded it would be
 * "tu", which is also tư and từ: so it is read as TW before folding, and
 * only as a whole word in capitals. Returns s, or a copy in *copy. */
static const char *tu_as_tw(const char *s, size_t *len, bt_buf *copy)
{
    static const char tu[] = "T\xC6\xAF"; /* T, U+01AF */
    /* its last byte first (memchr; a memmem per key cost more) */
    if (*len < 3) return s;
    const unsigned char *q = (const unsigned char *)s + 2, *end = (const unsigned char *)s + *len;
    while (q < end && (q = memchr(q, 0xAF, (size_t)(end - q))) != NULL &&
           (q[-1] != 0xC6 || q[-2] != 'T'))
        q++;
    if (!q || q >= end) return s;
    const char *p = (const char *)q - 2;
    bt_buf_reset(copy);
    size_t i = 0;
    while (p) {
        size_t at = (size_t)(p - s);
        int left = at == 0 || word_char_at(s, *len, at - 1) == 0;
        if (at > 0 && ((unsigned char)s[at - 1] & 0xC0) == 0x80) left = 0;
        int right = at + 3 >= *len || !word_char_at(s, *len, at + 3);
        bt_buf_add(copy, s + i, at - i);
        bt_buf_add(copy, left && right ? "TW" : tu, left && right ? 2 : 3);
        i = at + 3;
        p = memmem(s + i, *len - i, tu, 3);
    }
    bt_buf_add(copy, s + i, *len - i);
    *len = copy->len;
    return copy->ptr;
}

/* ASCII bytes by class, for the key's words and the one-pass canonical
 * form: a letter, a digit, a space (white space) or none. */
enum { ASCII_LETTER = 1, ASCII_SPACE = 2, ASCII_DIGIT = 4 };
static const unsigned char ascii_class[128] = {
    ['\t'] = ASCII_SPACE, ['\n'] = ASCII_SPACE, ['\v'] = ASCII_SPACE, ['\f'] = ASCII_SPACE,
    ['\r'] = ASCII_SPACE, [' '] = ASCII_SPACE,
    ['0'] = 4, ['1'] = 4, ['2'] = 4, ['3'] = 4, ['4'] = 4, ['5'] = 4, ['6'] = 4, ['7'] = 4,
    ['8'] = 4, ['9'] = 4,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
    ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
    ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
    ['Y'] = 1, ['Z'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
    ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
    ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
    ['y'] = 1, ['z'] = 1,
};

/* The word out[ws, k) ends: "the" dropped (English, with the space before
 * it) or an abbreviation expanded (Vietnamese), with room kept for rest
 * more bytes. The new end. */
static size_t end_word(bt_buf *out, size_t before, size_t ws, size_t k, int english,
                       size_t rest)
{
    const char *w = out->ptr + ws;
    size_t wl = k - ws;
    if (english) {
        if (wl == 3 && w[0] == 't' && w[1] == 'h' && w[2] == 'e')
            return ws > before ? ws - 1 : ws;
        return k;
    }
    const struct abbrev *a = find_abbrev(w, wl);
    if (!a) return k;
    size_t al = strlen(a->folded);
    out->len = ws;
    bt_buf_reserve(out, al + rest + 1); /* and the rest of the text's room */
    memcpy(out->ptr + ws, a->folded, al);
    return ws + al;
}

/* fold_into then emit_key (abbreviations expanded), in one pass that
 * writes the key straight into out: keys are made for both sides of every
 * row of a glossary, and the two passes, decoding each character twice,
 * were a third of an index build. The same bytes. */
static size_t key_into(const char *s, size_t len, int english, bt_buf *out)
{
    pthread_once(&abbrevs_once, abbrevs_init);
    size_t before = out->len;
    /* a folded character never takes more bytes than its original; the
     * spaces between words never outnumber the separators they replace;
     * an expansion reserves its own room */
    bt_buf_reserve(out, len + 1);
    const unsigned char *u = (const unsigned char *)s;
    size_t k = out->len, ws = 0, i = 0;
    int inword = 0;
    while (i < len) {
        unsigned char c = u[i];
        int32_t fc;
        int n = 1;
        if (c < 0x80) {
            i++;
            if (ascii_class[c] & (ASCII_LETTER | ASCII_DIGIT)) {
                if (!inword) {
                    if (k > before) out->ptr[k++] = ' ';
                    ws = k;
                    inword = 1;
                }
                out->ptr[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
                continue;
            }
            if (english && c == '\'') continue; /* dropped: the word goes on */
            if (inword) {
                out->len = k;
                k = end_word(out, before, ws, k, english, len - i);
                inword = 0;
            }
            continue;
        }
        int32_t cp;
        n = bt_utf8_decode(s + i, len - i, &cp);
        if (n < 0) { /* kept as a byte, which breaks words */
            i++;
            if (inword) {
                out->len = k;
                k = end_word(out, before, ws, k, english, len - i);
                inword = 0;
            }
            continue;
        }
        i += (size_t)n;
        fc = cp < FOLD_TAB ? fold_tab_get(cp) : bt_fold_cp(cp);
        if (fc <= 0 || (english && fc == '\'')) continue;
        char tmp[4];
        int m = bt_utf8_encode(fc, tmp);
        if (m > n) { /* never longer: the original kept */
            fc = cp;
            m = bt_utf8_encode(fc, tmp);
        }
        if (is_word_cp(fc)) {
            if (!inword) {
                if (k > before) out->ptr[k++] = ' ';
                ws = k;
                inword = 1;
            }
            memcpy(out->ptr + k, tmp, (size_t)m);
            k += (size_t)m;
        } else if (inword) {
            out->len = k;
            k = end_word(out, before, ws, k, english, len - i);
            inword = 0;
        }
    }
    if (inword) {
        out->len = k;
        k = end_word(out, before, ws, k, english, len - i);
    }
    out->len = k;
    out->ptr[k] = '\0';
    return k - before;
}


static size_t gloss_key(const char *s, size_t len, int english, bt_buf *out)
{
    bt_buf copy;
    bt_buf_init(&copy);
    if (!english) s = tu_as_tw(s, &len, &copy);
    size_t n = key_into(s, len, english, out);
    bt_buf_free(&copy);
    return n;
}


int bt_gloss_key_equals(const char *s, size_t len, int english,
                        const char *key, size_t keylen)
{
    char word[64];
    size_t wl = 0, qpos = 0, i = 0, raw_start = 0;
    int words = 0, too_long = 0;
    for (;;) {
        int32_t fc = ' ';
        int n = 1;
        if (i < len) {
            unsigned char c = (unsigned char)s[i];
            if (c < 0x80) {
                fc = c >= 'A' && c <= 'Z' ? c + 32 : c;
            } else {
                int32_t cp;
                n = bt_utf8_decode(s + i, len - i, &cp);
                if (n < 0) { n = 1; fc = 0xFFFD; }
                else fc = cp == 0xD0 || cp == 0xF0 ? 'd' : bt_fold_cp(cp);
            }
        }
        if (i < len && (fc <= 0 || (english && fc == '\''))) {
            i += (size_t)n;          /* dropped: the word goes on */
            continue;
        }
        if (i < len && is_word_cp(fc)) {
            if (!wl) raw_start = i;
            char tmp[4];
            int m = bt_utf8_encode(fc, tmp);
            if (wl + (size_t)m > sizeof word) too_long = 1;
            else memcpy(word + wl, tmp, (size_t)m);
            wl += (size_t)m;
            i += (size_t)n;
            continue;
        }
        if (wl) {
            if (too_long) goto slow;
            const char *out = word;
            size_t olen = wl;
            if (english && wl == 3 && !memcmp(word, "the", 3)) {
                olen = 0;
            } else if (!english) {
                const struct abbrev *a = NULL;
                if (i - raw_start == 3 && !memcmp(s + raw_start, "T\xC6\xAF", 3))
                    a = find_abbrev("tw", 2);
                else
                    a = find_abbrev(word, wl);
                if (a) { out = a->folded; olen = strlen(a->folded); }
            }
            if (olen) {
                if (words++) {
                    if (qpos >= keylen || key[qpos] != ' ') return 0;
                    qpos++;
                }
                if (olen > keylen - qpos || memcmp(key + qpos, out, olen)) return 0;
                qpos += olen;
            }
            wl = 0;
        }
        if (i >= len) break;
        i += (size_t)n;
    }
    return qpos == keylen;
slow: {
        bt_buf b;
        bt_buf_init(&b);
        gloss_key(s, len, english, &b);
        int eq = b.len == keylen && !memcmp(b.ptr, key, keylen);
        bt_buf_free(&b);
        return eq;
    }
}

size_t bt_gloss_key_vi(const char *s, size_t len, bt_buf *out)
{
    return gloss_key(s, len, 0, out);
}

size_t bt_gloss_key_en(const char *s, size_t len, bt_buf *out)
{
    return gloss_key(s, len, 1, out);
}

/* ---- canonical written form ------------------------------------------- */

static int is_tone_mark(UChar c)
{
    return c == 0x300 || c == 0x301 || c == 0x303 || c == 0x309 || c == 0x323;
}

static int is_mark(UChar c) { return c >= 0x300 && c <= 0x36F; }

/* In NFD text, move the tone of a word that ends in the open syllable oa,
 * oe or uy from the second vowel to the first: hoà -> hòa, thuỷ -> thủy.
 * After "q" the u belongs to the onset, so quý keeps its tone on the y. */
static void move_tones(UChar *u, int32_t n)
{
    int32_t i = 0;
    while (i < n) {
        if (!u_isalpha(u[i])) { i++; continue; }
        int32_t start = i;
        while (i < n && (u_isalpha(u[i]) || is_mark(u[i]))) i++;
        int32_t end = i; /* word is [start, end) */
        /* the last two base letters, and the one before them */
        int32_t b2 = -1, b1 = -1, b0 = -1;
        for (int32_t k = end - 1; k >= start; k--) {
            if (is_mark(u[k])) continue;
            if (b2 < 0) b2 = k;
            else if (b1 < 0) b1 = k;
            else { b0 = k; break; }
        }
        if (b1 < 0) continue;
        UChar c1 = (UChar)u_tolower(u[b1]), c2 = (UChar)u_tolower(u[b2]);
        int pattern = (c1 == 'o' && (c2 == 'a' || c2 == 'e')) ||
                      (c1 == 'u' && c2 == 'y');
        if (!pattern) continue;
        if (c1 == 'u' && b0 >= 0 && u_tolower(u[b0]) == 'q') continue;
        if (b2 != b1 + 1) continue;               /* first vowel has marks */
        if (end != b2 + 2 || !is_tone_mark(u[b2 + 1])) continue;
        UChar tone = u[b2 + 1];
        u[b2 + 1] = u[b2];
        u[b2] = tone;
    }
}

/* UTF-8 -> UTF-16 NFD -> tone placement -> NFC (-> lower case) -> UTF-8,
 * with white space collapsed. NULL when ICU fails. */
static char *canon_icu(const char *s, size_t len, int lower)
{
    UErrorCode e = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&e);
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&e);
    if (U_FAILURE(e) || len > 0x3FFFFFFF) return NULL;
    int32_t cap = (int32_t)len + 1;
    UChar *a = bt_xmalloc((size_t)cap * sizeof *a);
    int32_t an = 0;
    u_strFromUTF8Lenient(a, cap, &an, s, (int32_t)len, &e);
    if (U_FAILURE(e)) { free(a); return NULL; }
    /* stream-safe (UAX #15), so that normalizing stays linear */
    an = (int32_t)bt_stream_safe_u16((uint16_t *)a, (size_t)an, NULL);
    int32_t bcap = an * 4 + 16;
    UChar *b = bt_xmalloc((size_t)bcap * sizeof *b);
    int32_t bn = unorm2_normalize(nfd, a, an, b, bcap, &e);
    if (U_FAILURE(e)) { free(a); free(b); return NULL; }
    move_tones(b, bn);
    int32_t ccap = bn + 16;
    UChar *c = bt_xmalloc((size_t)ccap * sizeof *c);
    int32_t cn = unorm2_normalize(nfc, b, bn, c, ccap, &e);
    if (U_SUCCESS(e) && lower) {
        int32_t dn = u_strToLower(b, bcap, c, cn, "", &e);
        if (U_SUCCESS(e)) {
            memcpy(c, b, (size_t)dn * sizeof *b);
            cn = dn;
        }
    }
    free(a);
    free(b);
    if (U_FAILURE(e)) { free(c); return NULL; }
    int32_t olen = 0;
    e = U_ZERO_ERROR;
    u_strToUTF8(NULL, 0, &olen, c, cn, &e);
    e = U_ZERO_ERROR;
    char *o = bt_xmalloc((size_t)olen + 1);
    u_strToUTF8(o, olen + 1, &olen, c, cn, &e);
    free(c);
    if (U_FAILURE(e)) { free(o); return NULL; }
    o[olen] = '\0';
    return o;
}

/* The common case without ICU: NFC Vietnamese (Latin letters, the
 * precomposed Vietnamese vowels, punctuation) is already normalized, so
 * only the tone placement and the case need work. Returns NULL for any
 * other text, which goes through ICU. */
static const int32_t toned_lower[5][5] = {
    { 0xE0, 0xE1, 0xE3, 0x1EA3, 0x1EA1 },     /* a: grave acute tilde hook dot */
    { 0xE8, 0xE9, 0x1EBD, 0x1EBB, 0x1EB9 },   /* e */
    { 0x1EF3, 0xFD, 0x1EF9, 0x1EF7, 0x1EF5 }, /* y */
    { 0xF2, 0xF3, 0xF5, 0x1ECF, 0x1ECD },     /* o */
    { 0xF9, 0xFA, 0x169, 0x1EE7, 0x1EE5 },    /* u */
};
static const int32_t toned_upper[5][5] = {
    { 0xC0, 0xC1, 0xC3, 0x1EA2, 0x1EA0 },
    { 0xC8, 0xC9, 0x1EBC, 0x1EBA, 0x1EB8 },
    { 0x1EF2, 0xDD, 0x1EF8, 0x1EF6, 0x1EF4 },
    { 0xD2, 0xD3, 0xD5, 0x1ECE, 0x1ECC },
    { 0xD9, 0xDA, 0x168, 0x1EE6, 0x1EE4 },
};
static const char vowels_lower[] = "aeyou", vowels_upper[] = "AEYOU";
enum { TONE_NONE = 5, TONE_OTHER = -1 };

/* Split a code point into one of the vowels a e y o u (its index, upper
 * case or not) and a tone 0..4, TONE_NONE when plain. */
static int vowel_tone(int32_t cp, int *v, int *upper)
{
    /* most letters are none of them: out before the tables */
    if ((cp >= 0x80 && cp < 0xC0) || (cp > 0xFD && cp < 0x168) ||
        (cp > 0x169 && cp < 0x1EA0) || cp > 0x1EF9)
        return TONE_OTHER;
    if (cp < 0x80) {
        const char *p = cp ? strchr(vowels_lower, (int)cp) : NULL;
        const char *q = cp ? strchr(vowels_upper, (int)cp) : NULL;
        if (p) { *v = (int)(p - vowels_lower); *upper = 0; return TONE_NONE; }
        if (q) { *v = (int)(q - vowels_upper); *upper = 1; return TONE_NONE; }
        return TONE_OTHER;
    }
    for (int i = 0; i < 5; i++)
        for (int t = 0; t < 5; t++) {
            if (toned_lower[i][t] == cp) { *v = i; *upper = 0; return t; }
            if (toned_upper[i][t] == cp) { *v = i; *upper = 1; return t; }
        }
    return TONE_OTHER;
}

static inline int fast_safe(int32_t cp)
{
    return cp < 0x80 || (cp >= 0xA0 && cp <= 0x17F && cp != 0x130) ||
           cp == 0x1A0 || cp == 0x1A1 || cp == 0x1AF || cp == 0x1B0 ||
           (cp >= 0x1EA0 && cp <= 0x1EF9) || (cp >= 0x2002 && cp <= 0x206F);
}

static int32_t fast_lower(int32_t cp)
{
    if (cp < 0x80) return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;
    if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177))
        return cp | 1;
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
        return (cp & 1) ? cp + 1 : cp;
    if (cp == 0x178) return 0xFF;
    if (cp == 0x1A0 || cp == 0x1AF) return cp + 1;
    if (cp >= 0x1EA0 && cp <= 0x1EF9) return cp | 1;
    return cp;
}

static inline int fast_letter(int32_t cp)
{
    return (cp < 0x80 && ((cp | 32) >= 'a' && (cp | 32) <= 'z')) ||
           (cp >= 0xC0 && cp != 0xD7 && cp != 0xF7 && cp < 0x2000);
}

/* Code points of the fast path's text with their tones placed, in cps
 * (len + 1 of them); their number, or -1 when the text is not all
 * fast_safe (ICU's work). canon_fast's first half. */
static ptrdiff_t fast_cps(const char *s, size_t len, int32_t *cps)
{
    size_t n = 0, i = 0;
    while (i < len) {
        int32_t cp;
        int k = bt_utf8_decode(s + i, len - i, &cp);
        if (k < 0 || !fast_safe(cp)) return -1;
        cps[n++] = cp;
        i += (size_t)k;
    }
    for (size_t w = 0; w < n;) {
        if (!fast_letter(cps[w])) { w++; continue; }
        size_t st = w;
        while (w < n && fast_letter(cps[w])) w++;
        if (w - st < 2) continue;
        int v1, u1, v2, u2;
        int t2 = vowel_tone(cps[w - 1], &v2, &u2);
        if (t2 < 0 || t2 == TONE_NONE) continue;
        int t1 = vowel_tone(cps[w - 2], &v1, &u1);
        if (t1 != TONE_NONE) continue;
        int pattern = (v1 == 3 && (v2 == 0 || v2 == 1)) || (v1 == 4 && v2 == 2);
        if (!pattern) continue;
        if (v1 == 4 && w - st >= 3 && (cps[w - 3] | 32) == 'q') continue;
        cps[w - 2] = u1 ? toned_upper[v1][t2] : toned_lower[v1][t2];
        cps[w - 1] = (unsigned char)(u2 ? vowels_upper[v2] : vowels_lower[v2]);
    }
    return (ptrdiff_t)n;
}

static char *canon_fast(const char *s, size_t len, int lower)
{
    int32_t stack[256];
    int32_t *cps = len < 256 ? stack : bt_xmalloc((len + 1) * sizeof *cps);
    ptrdiff_t n = fast_cps(s, len, cps);
    char *result = NULL;
    if (n >= 0) {
        /* encoded in place: a buffer call per character cost half of it */
        result = bt_xmalloc(4 * (size_t)n + 1);
        char *o = result;
        for (ptrdiff_t j = 0; j < n; j++)
            o += bt_utf8_encode(lower ? fast_lower(cps[j]) : cps[j], o);
        *o = '\0';
    }
    if (cps != stack) free(cps);
    return result;
}

/* The canonical form, by the fast path when it applies. NULL when ICU
 * fails. */
static char *canon_any(const char *s, size_t len, int lower)
{
    char *c = canon_fast(s, len, lower);
    return c ? c : canon_icu(s, len, lower);
}

static int is_space_at(const char *s, size_t len, size_t i, size_t *n)
{
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
        c == '\f') { *n = 1; return 1; }
    if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0) {
        *n = 2; return 1;
    }
    return 0;
}

static char *collapse_space(const char *s, size_t len)
{
    char *o = bt_xmalloc(len + 1);
    size_t k = 0, i = 0, n;
    int pending = 0;
    while (i < len) {
        if (is_space_at(s, len, i, &n)) {
            pending = 1;
            i += n;
            continue;
        }
        if (pending && k) o[k++] = ' ';
        pending = 0;
        o[k++] = s[i++];
    }
    o[k] = '\0';
    return o;
}

static int needs_icu(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80) return 1;
    return 0;
}

char *bt_gloss_vi_canon(const char *s, size_t len)
{
    if (!needs_icu(s, len)) return collapse_space(s, len);
    char *c = canon_any(s, len, 0);
    if (!c) return collapse_space(s, len);
    char *r = collapse_space(c, strlen(c));
    free(c);
    return r;
}

static int is_space_cp(int32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' ||
           cp == '\f' || cp == 0xA0;
}

static void canon_lower_ref(const char *s, size_t len, bt_buf *canon, bt_buf *lower);

/* The next code point of s[i, len) for the one-pass canonical form: its
 * length, or 0 when it is not UTF-8 of at most 3 bytes (beyond the fast
 * path's characters anyway). */
static inline int next_cp(const unsigned char *s, size_t len, size_t i, int32_t *cp)
{
    unsigned c = s[i];
    if (c < 0x80) { *cp = (int32_t)c; return 1; }
    if (c >= 0xC2 && c <= 0xDF) {
        if (i + 1 >= len || (s[i + 1] & 0xC0) != 0x80) return 0;
        *cp = (int32_t)((c & 0x1F) << 6 | (s[i + 1] & 0x3F));
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if (i + 2 >= len || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80)
            return 0;
        int32_t v = (int32_t)((c & 0x0F) << 12 | (s[i + 1] & 0x3Fu) << 6 | (s[i + 2] & 0x3Fu));
        if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF)) return 0;
        *cp = v;
        return 3;
    }
    return 0;
}

/* canon_lower_ref's result in one pass for text all of fast_safe
 * characters (nearly every glossary's): each character is looked at once,
 * copied as it is unless a tone moves or a space collapses, and written
 * lower-cased beside it; the code points are not kept. Any other text
 * goes to canon_lower_ref. */
void gloss_canon_lower(const char *s, size_t len, bt_buf *canon, bt_buf *lower)
{
    size_t cb = canon->len, lb = lower->len;
    /* neither form is longer than s: a moved tone never lengthens the
     * pair, lower case keeps each length, spaces only shrink */
    bt_buf_reserve(canon, len + 1);
    bt_buf_reserve(lower, len + 1);
    const unsigned char *u = (const unsigned char *)s;
    char *c0 = canon->ptr + cb, *l0 = lower->ptr + lb;
    size_t k = 0;                 /* bytes written to each */
    int pending = 0;
    /* the current run of letters: its length and its last three code
     * points, the one before the last with where it starts in the outputs */
    size_t run = 0, at1 = 0, at2 = 0;
    int32_t p1 = 0, p2 = 0, p3 = 0;
    size_t i = 0;
    for (;;) {
        int32_t cp;
        int n, letter;
        unsigned ch = i < len ? u[i] : 0;
        if (i >= len) {
            n = 0;
            cp = 0;
            letter = 0;
        } else if (ch < 0x80) {
            if (ascii_class[ch] == ASCII_LETTER) { /* the common case: ASCII letters, as a run */
                if (pending) {
                    if (k) { c0[k] = l0[k] = ' '; k++; }
                    pending = 0;
                }
                size_t st = i;
                do {
                    c0[k] = (char)ch;
                    l0[k] = (char)(ch <= 'Z' ? ch + 32 : ch);
                    k++;
                    i++;
                } while (i < len && (ch = u[i]) < 0x80 && ascii_class[ch] == ASCII_LETTER);
                size_t seg = i - st;
                if (seg >= 3) {
                    p3 = u[i - 3];
                    p2 = u[i - 2];
                } else if (seg == 2) {
                    p3 = p1;
                    p2 = u[i - 2];
                } else {
                    p3 = p2;
                    p2 = p1;
                }
                p1 = u[i - 1];
                at2 = seg >= 2 ? k - 2 : at1;
                at1 = k - 1;
                run += seg;
                continue;
            }
            cp = (int32_t)ch;
            n = 1;
            letter = 0;
        } else {
            n = next_cp(u, len, i, &cp);
            if (!n || !fast_safe(cp)) goto slow;
            letter = fast_letter(cp);
        }
        if (!letter) {
            if (run >= 2 && ((p2 | 32) == 'o' || (p2 | 32) == 'u') && p1 >= 0x80) {
                /* fast_cps's tone placement of the word just ended */
                int v1, u1, v2, u2;
                int t2 = vowel_tone(p1, &v2, &u2);
                int t1 = vowel_tone(p2, &v1, &u1);
                int pattern = (v1 == 3 && (v2 == 0 || v2 == 1)) || (v1 == 4 && v2 == 2);
                if (t2 >= 0 && t2 != TONE_NONE && t1 == TONE_NONE && pattern &&
                    !(v1 == 4 && run >= 3 && (p3 | 32) == 'q')) {
                    int32_t a = u1 ? toned_upper[v1][t2] : toned_lower[v1][t2];
                    int32_t b = (unsigned char)(u2 ? vowels_upper[v2] : vowels_lower[v2]);
                    k = at2;
                    size_t m = (size_t)bt_utf8_encode(a, c0 + k);
                    bt_utf8_encode(fast_lower(a), l0 + k);
                    k += m;
                    c0[k] = (char)b;
                    l0[k] = (char)fast_lower(b);
                    k++;
                }
            }
            run = 0;
            if (i >= len) break;
            if (ch < 0x80 ? ascii_class[ch] == ASCII_SPACE : cp == 0xA0) {
                pending = 1;
                i += (size_t)n;
                continue;
            }
        }
        if (pending) {
            if (k) { c0[k] = l0[k] = ' '; k++; }
            pending = 0;
        }
        if (letter) {
            p3 = p2;
            p2 = p1;
            p1 = cp;
            at2 = at1;
            at1 = k;
            run++;
        }
        if (n == 1) {
            c0[k] = l0[k] = (char)ch; /* not a letter: no case */
            k++;
            i++;
            continue;
        }
        int32_t lc = fast_lower(cp);
        c0[k] = (char)u[i];
        c0[k + 1] = (char)u[i + 1];
        if (n == 3) c0[k + 2] = (char)u[i + 2];
        if (lc == cp) {
            l0[k] = c0[k];
            l0[k + 1] = c0[k + 1];
            if (n == 3) l0[k + 2] = c0[k + 2];
        } else {
            bt_utf8_encode(lc, l0 + k); /* of the same length */
        }
        k += (size_t)n;
        i += (size_t)n;
    }
    canon->len = cb + k;
    lower->len = lb + k;
    canon->ptr[canon->len] = lower->ptr[lower->len] = '\0';
    return;
slow:
    canon->len = cb;
    lower->len = lb;
    canon->ptr[cb] = lower->ptr[lb] = '\0';
    canon_lower_ref(s, len, canon, lower);
}

static void canon_lower_ref(const char *s, size_t len, bt_buf *canon, bt_buf *lower)
{
    if (!needs_icu(s, len)) {
        /* collapse_space, then ASCII lower case (which keeps it collapsed) */
        bt_buf_reserve(canon, len + 1);
        bt_buf_reserve(lower, len + 1);
        char *c = canon->ptr + canon->len, *l = lower->ptr + lower->len;
        size_t k = 0;
        int pending = 0;
        for (size_t i = 0; i < len; i++) {
            char ch = s[i];
            if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' ||
                ch == '\f') {
                pending = 1;
                continue;
            }
            if (pending && k) { c[k] = l[k] = ' '; k++; }
            pending = 0;
            c[k] = ch;
            l[k++] = ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
        }
        canon->len += k;
        lower->len += k;
        canon->ptr[canon->len] = lower->ptr[lower->len] = '\0';
        return;
    }
    int32_t stack[256];
    int32_t *cps = len < 256 ? stack : bt_xmalloc((len + 1) * sizeof *cps);
    ptrdiff_t n = fast_cps(s, len, cps);
    if (n < 0) {
        char *c = bt_gloss_vi_canon(s, len);
        char *l = bt_gloss_lower(c, strlen(c));
        bt_buf_adds(canon, c);
        bt_buf_adds(lower, l);
        free(c);
        free(l);
    } else {
        /* canon_fast then collapse_space; the lower case of that text is
         * fast_lower of each code point, since a second placement of the
         * tones changes nothing and lower case makes no space */
        bt_buf_reserve(canon, 4 * (size_t)n + 1);
        bt_buf_reserve(lower, 4 * (size_t)n + 1);
        char *c = canon->ptr + canon->len, *l = lower->ptr + lower->len;
        char *c0 = c, *l0 = l;
        int pending = 0;
        for (ptrdiff_t j = 0; j < n; j++) {
            if (is_space_cp(cps[j])) {
                pending = 1;
                continue;
            }
            if (pending && c != c0) { *c++ = ' '; *l++ = ' '; }
            pending = 0;
            c += bt_utf8_encode(cps[j], c);
            l += bt_utf8_encode(fast_lower(cps[j]), l);
        }
        canon->len += (size_t)(c - c0);
        lower->len += (size_t)(l - l0);
        canon->ptr[canon->len] = lower->ptr[lower->len] = '\0';
    }
    if (cps != stack) free(cps);
}

char *bt_gloss_exact_key(const char *s, size_t len, int english)
{
    bt_buf copy;
    bt_buf_init(&copy);
    if (!english) s = tu_as_tw(s, &len, &copy);
    char *c = needs_icu(s, len) ? canon_any(s, len, 1) : NULL;
    bt_buf low;
    bt_buf_init(&low);
    if (c) {
        bt_buf_adds(&low, c);
        free(c);
    } else {
        bt_buf_add(&low, s, len);
        for (size_t i = 0; i < low.len; i++)
            if (low.ptr[i] >= 'A' && low.ptr[i] <= 'Z') low.ptr[i] += 32;
    }
    /* words as in emit_key, but abbreviations become accented words */
    bt_buf out, word, fw;
    bt_buf_init(&out);
    bt_buf_init(&word);
    bt_buf_init(&fw);
    size_t i = 0;
    for (;;) {
        int32_t cp = 0;
        int n = 0;
        if (i < low.len) {
            n = bt_utf8_decode(low.ptr + i, low.len - i, &cp);
            if (n < 0) { cp = 0xFFFD; n = 1; }
        }
        if (i < low.len && is_word_cp(cp)) {
            bt_buf_add(&word, low.ptr + i, (size_t)n);
        } else if (i < low.len && english && is_apostrophe(cp) && word.len) {
            /* joined */
        } else if (word.len) {
            const struct abbrev *a = NULL;
            if (!english) {
                bt_buf_reset(&fw);
                fold_for_key(word.ptr, word.len, 0, &fw);
                a = find_abbrev(fw.ptr, fw.len);
            }
            if (!(english && word.len == 3 && !memcmp(word.ptr, "the", 3))) {
                if (out.len) bt_buf_addc(&out, ' ');
                if (a) bt_buf_adds(&out, a->accented);
                else bt_buf_add(&out, word.ptr, word.len);
            }
            bt_buf_reset(&word);
        }
        if (i >= low.len) break;
        i += (size_t)n;
    }
    bt_buf_free(&word);
    bt_buf_free(&fw);
    bt_buf_free(&low);
    bt_buf_free(&copy);
    return bt_buf_detach(&out);
}

/* ---- edit distance ------------------------------------------------------ */

unsigned bt_gloss_distance(const char *a, size_t alen, const char *b,
                           size_t blen, unsigned max)
{
    const unsigned big = max + 1;
    size_t d = alen > blen ? alen - blen : blen - alen;
    if (d > max) return big;
    if (alen == 0 || blen == 0) return (unsigned)d;
    /* Only cells within max of the diagonal can stay within max: each row
     * is computed on that band, with a BIG border either side of it so that
     * the next rows never read a value left from an older row. */
    unsigned stack[3 * 129];
    unsigned *mem = blen < 128 ? stack : bt_xmalloc(3 * (blen + 1) * sizeof *mem);
    unsigned *pp = mem, *prev = mem + (blen + 1), *cur = mem + 2 * (blen + 1);
    for (size_t j = 0; j <= blen; j++) prev[j] = j <= max ? (unsigned)j : big;
    unsigned result = big;
    for (size_t i = 1; i <= alen; i++) {
        size_t lo = i > max ? i - max : 1;
        size_t hi = i + max < blen ? i + max : blen;
        cur[lo - 1] = lo == 1 && i <= max ? (unsigned)i : big;
        unsigned rowmin = cur[lo - 1];
        for (size_t j = lo; j <= hi; j++) {
            unsigned v = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < v) v = prev[j] + 1;
            if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            if (v > big) v = big;
            cur[j] = v;
            if (v < rowmin) rowmin = v;
        }
        if (hi + 1 <= blen) cur[hi + 1] = big;
        if (rowmin > max) goto done;
        unsigned *t = pp;
        pp = prev;
        prev = cur;
        cur = t;
    }
    if (prev[blen] <= max) result = prev[blen];
done:
    if (mem != stack) free(mem);
    return result;
}

char *bt_gloss_lower(const char *s, size_t len)
{
    char *c = needs_icu(s, len) ? canon_any(s, len, 1) : NULL;
    if (!c) {
        c = bt_xstrndup(s, len);
        for (char *p = c; *p; p++)
            if (*p >= 'A' && *p <= 'Z') *p += 32;
    }
    char *r = collapse_space(c, strlen(c));
    free(c);
    return r;
}
