/* lang.c - which language a line is in, by evidence.
 *
 * Both languages are written in Latin letters, Vietnamese sometimes without
 * its diacritics, and English lines carry accented Vietnamese names. So the
 * decision weighs each word: lower-case words carry the language (names are
 * capitalised), Vietnamese words are single well-formed syllables, English
 * has function words and words no Vietnamese syllable can spell, and the
 * photo-credit marker (Ảnh / Photo) is a strong hint of its own. */
#include "corpus.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *bt_lang_name(bt_lang l)
{
    switch (l) {
    case BT_LANG_BLANK: return "blank";
    case BT_LANG_VI: return "vi";
    case BT_LANG_EN: return "en";
    case BT_LANG_NAME: return "name";
    case BT_LANG_JUNK: return "junk";
    }
    return "?";
}

/* ---- Vietnamese syllables (folded to ASCII) ---- */

/* Vowel nuclei after folding (ă, â, ê, ô, ơ, ư fold to their base). */
static const char *const nuclei[] = {
    "uyeu", "oai", "oay", "oao", "oeo", "uay", "uoi", "uou", "uya", "uye",
    "uyu", "ieu", "yeu", "ua", "ue", "ui", "uo", "uu", "uy", "ai",
    "ao", "au", "ay", "eo", "eu", "ia", "ie", "iu", "oa", "oe", "oi", "oo",
    "ye", "a", "e", "i", "o", "u", "y"
};

/* Nuclei as base-7 numbers over a e i o u y (digits 1..6), so that a test
 * is one table look-up: 7^4 entries. */
static unsigned char nucleus_ok[2401];
static pthread_once_t nucleus_once = PTHREAD_ONCE_INIT;

static int vowel_digit(char c)
{
    switch (c) {
    case 'a': return 1;
    case 'e': return 2;
    case 'i': return 3;
    case 'o': return 4;
    case 'u': return 5;
    case 'y': return 6;
    }
    return 0;
}

static void nucleus_init(void)
{
    for (size_t i = 0; i < sizeof nuclei / sizeof *nuclei; i++) {
        unsigned v = 0;
        for (const char *p = nuclei[i]; *p; p++) v = v * 7 + (unsigned)vowel_digit(*p);
        nucleus_ok[v] = 1;
    }
}

static int is_nucleus(const char *r, size_t n)
{
    if (n == 0 || n > 4) return 0;
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        int d = vowel_digit(r[i]);
        if (!d) return 0;
        v = v * 7 + (unsigned)d;
    }
    pthread_once(&nucleus_once, nucleus_init);
    return nucleus_ok[v];
}

/* Rhyme = nucleus + optional coda (c, ch, m, n, ng, nh, p, t). */
static int is_rhyme(const char *r, size_t n)
{
    if (n == 0) return 0;
    if (is_nucleus(r, n)) return 1;
    if (n >= 3) {
        const char *e = r + n - 2;
        if ((e[0] == 'n' && (e[1] == 'g' || e[1] == 'h')) || (e[0] == 'c' && e[1] == 'h'))
            if (is_nucleus(r, n - 2)) return 1;
    }
    if (n >= 2) {
        char c = r[n - 1];
        if (c == 'c' || c == 'm' || c == 'n' || c == 'p' || c == 't')
            return is_nucleus(r, n - 1);
    }
    return 0;
}

int bt_vi_syllable(const char *w, size_t len)
{
    if (len == 0 || len > 7) return 0;
    for (size_t i = 0; i < len; i++) {
        char c = w[i];
        /* letters no Vietnamese syllable has */
        if (c < 'a' || c > 'z' || c == 'f' || c == 'j' || c == 'w' || c == 'z') return 0;
    }
    /* onsets, longest first; "gi" and "qu" may also be g/q + vowel */
    size_t on = 0;
    if (len >= 3 && !memcmp(w, "ngh", 3)) on = 3;
    else if (len >= 2 && ((w[0] == 'n' && (w[1] == 'g' || w[1] == 'h')) ||
                          (w[1] == 'h' && strchr("cgkpt", w[0])) ||
                          (w[0] == 'g' && w[1] == 'i') || (w[0] == 't' && w[1] == 'r') ||
                          (w[0] == 'q' && w[1] == 'u')))
        on = 2;
    else if (strchr("bcdghklmnprstvx", w[0])) on = 1;
    if (is_rhyme(w + on, len - on)) return 1;
    /* "gi" + rhyme without i (gìn -> gin is g + in) */
    if (on == 2 && w[0] == 'g' && w[1] == 'i') return is_rhyme(w + 1, len - 1);
    return 0;
}

/* Words of either language that decide a line on their own. Sorted for
 * bsearch. */
static const char *const en_words[] = {
    "a", "about", "after", "against", "all", "also", "an", "and", "are", "as",
    "at", "be", "been", "before", "between", "but", "by", "can", "could",
    "did", "during", "for", "from", "had", "has", "have", "he", "her", "his",
    "in", "including", "into", "is", "it", "its", "more", "most", "must",
    "new", "not", "of", "on", "or", "other", "our", "over", "said", "she",
    "should", "than", "that", "the", "their", "them", "these", "they",
    "this", "those", "through", "to", "under", "was", "we", "were", "which",
    "while", "who", "will", "with", "would"
};

/* Frequent Vietnamese words, folded: they tell a caption typed without
 * diacritics from English. */
static const char *const vi_words[] = {
    "anh", "ban", "bi", "bieu", "ca", "cac", "can", "canh", "chi", "cho",
    "chu", "chuc", "co", "con", "cong", "cua", "cuoc", "da", "dai", "dan",
    "dang", "dao", "den", "dia", "dieu", "doan", "doi", "dong", "du", "duoc",
    "gia", "giao", "hien", "hoi", "hop", "huyen", "khai", "khi", "kiem",
    "la", "lam", "lanh", "luc", "mac", "moi", "mot", "nam", "ngay", "nghi",
    "nguoi", "nhan", "nhieu", "nhung", "nuoc", "phat", "pho", "phong", "qua",
    "quan", "quang", "tai", "tang", "thang", "thanh", "tham", "thu", "thuc",
    "thuong", "tich", "tinh", "toan", "trao", "trong", "truong", "tu", "uy",
    "va", "ve", "vien", "viec", "voi", "vu", "xa"
};

static int cmp_word(const void *k, const void *e)
{
    return strcmp((const char *)k, *(const char *const *)e);
}

static int in_list(const char *w, const char *const *list, size_t n)
{
    return bsearch(w, list, n, sizeof *list, cmp_word) != NULL;
}

static int is_letter(int32_t cp)
{
    if (cp < 0x80) return (cp | 32) >= 'a' && (cp | 32) <= 'z';
    return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
           (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x300 && cp <= 0x36F);
}

static int is_upper(int32_t cp)
{
    if (cp < 0x80) return cp >= 'A' && cp <= 'Z';
    if (cp >= 0xC0 && cp <= 0xDE) return 1;
    if ((cp >= 0x100 && cp <= 0x17F) || (cp >= 0x1E00 && cp <= 0x1EFF))
        return (cp & 1) == 0;
    return cp == 0x1A0 || cp == 0x1AF;
}

typedef struct word_ev {
    double vi, en;
    int lower_words, cap_words, cap_syll, words, digits_only, ascii_cap_nonsyll;
    int credit_vi, credit_en;
} word_ev;

/* Evidence from one word w (raw bytes, len) with folded form f. */
static void weigh_word(word_ev *ev, const char *w, size_t len, const char *f,
                       size_t flen, int upper, int has_vi_marks)
{
    ev->words++;
    int syl = bt_vi_syllable(f, flen);
    if (!upper) {
        ev->lower_words++;
        if (has_vi_marks && syl) ev->vi += 2.0;
        else if (has_vi_marks) ev->vi += 0.5;
        else if (in_list(f, en_words, sizeof en_words / sizeof *en_words)) ev->en += 2.0;
        else if (in_list(f, vi_words, sizeof vi_words / sizeof *vi_words)) ev->vi += 1.2;
        else if (syl) ev->vi += 0.3;
        else ev->en += 1.0;
    } else {
        ev->cap_words++;
        if (syl) ev->cap_syll++;
        /* A capitalised word names something in either language; only a
         * word no Vietnamese syllable can spell leans English. */
        if (!syl && !has_vi_marks) {
            ev->en += 0.5;
            ev->ascii_cap_nonsyll++;
        } else if (has_vi_marks && !syl) {
            ev->vi += 0.1;
        }
        if (in_list(f, en_words, sizeof en_words / sizeof *en_words) && len > 1)
            ev->en += 1.0;
    }
    (void)w;
}

static void weigh_text(const char *s, size_t len, word_ev *ev)
{
    memset(ev, 0, sizeof *ev);
    char f[64];
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        int32_t cp = c;
        int n = 1;
        if (c >= 0x80 && (n = bt_utf8_decode(s + i, len - i, &cp)) < 0) { i++; continue; }
        if (!is_letter(cp)) {
            if (cp >= '0' && cp <= '9') {
                size_t j = i;
                while (j < len && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.' || s[j] == ',')) j++;
                ev->digits_only++;
                i = j;
                continue;
            }
            i += (size_t)n;
            continue;
        }
        /* one word: folded into f (ASCII letters inline, others through
         * the folding table) */
        size_t start = i, fl = 0;
        int upper = is_upper(cp);
        int marks = 0;
        while (i < len) {
            c = (unsigned char)s[i];
            if (c < 0x80) {
                if (!((c | 32) >= 'a' && (c | 32) <= 'z')) break;
                if (fl < sizeof f - 1) f[fl++] = (char)(c | 32);
                i++;
                continue;
            }
            n = bt_utf8_decode(s + i, len - i, &cp);
            if (n < 0 || !is_letter(cp)) break;
            marks = 1;
            int32_t fc = bt_fold_cp(cp);
            if (fc > 0 && fc < 0x80 && fl < sizeof f - 1) f[fl++] = (char)fc;
            i += (size_t)n;
        }
        f[fl] = '\0';
        weigh_word(ev, s + start, i - start, f, fl, upper, marks);
        /* the photo credit marker: "Ảnh:" / "Ảnh " / "Photo:" */
        if (fl == 3 && !memcmp(f, "anh", 3) && upper) {
            size_t k = i;
            while (k < len && s[k] == ' ') k++;
            if (k < len && (s[k] == ':' || (k > i && start > 0))) ev->credit_vi++;
        }
        if (fl == 5 && !memcmp(f, "photo", 5)) ev->credit_en++;
        /* most lines are long English paragraphs: once enough words have
         * made the case overwhelming, the rest cannot change it */
        if (ev->words >= 8 && ev->en >= 3 * ev->vi + 8 && !ev->credit_vi) break;
    }
    ev->vi += 2.0 * ev->credit_vi;
    ev->en += 2.0 * ev->credit_en;
}

double bt_lang_score(const char *s, size_t len)
{
    word_ev ev;
    weigh_text(s, len, &ev);
    return ev.vi - ev.en;
}

static int looks_like_file_name(const char *s, size_t len)
{
    static const char *const exts[] = { ".jpg", ".jpeg", ".png", ".gif",
                                        ".webp", ".bmp", ".svg", ".tif" };
    if (memchr(s, ' ', len)) return 0;
    for (size_t e = 0; e < sizeof exts / sizeof *exts; e++) {
        size_t el = strlen(exts[e]);
        if (len > el && !strncasecmp(s + len - el, exts[e], el)) return 1;
    }
    if (len > 7 && (!strncmp(s, "http://", 7) || !strncmp(s, "https://", 8))) return 1;
    return memchr(s, '_', len) != NULL; /* IMG_0042, DNUM_AJZ... */
}

bt_lang bt_lang_guess(const char *s, size_t len)
{
    while (len && (s[0] == ' ' || s[0] == '\t')) { s++; len--; }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
    if (len == 0) return BT_LANG_BLANK;
    if (looks_like_file_name(s, len)) return BT_LANG_JUNK;

    word_ev ev;
    weigh_text(s, len, &ev);
    if (ev.words == 0) return BT_LANG_JUNK; /* numbers, punctuation, symbols */

    /* Alt texts left in the page: a couple of lower-case words and a number
     * ("chụp 2", "anh 3") are not captions. */
    int32_t first;
    if (bt_utf8_decode(s, len, &first) > 0 && is_letter(first) && !is_upper(first) &&
        ev.words <= 2 && ev.digits_only > 0)
        return BT_LANG_JUNK;

    /* A bare name or credit: only capitalised words that spell Vietnamese
     * syllables, and few of them. */
    if (ev.lower_words == 0 && ev.cap_words <= 5 && ev.cap_syll == ev.cap_words &&
        !ev.credit_en && !ev.credit_vi)
        return BT_LANG_NAME;

    if (ev.vi > ev.en) return BT_LANG_VI;
    if (ev.en > ev.vi) return BT_LANG_EN;
    return ev.lower_words ? BT_LANG_EN : BT_LANG_NAME;
}
