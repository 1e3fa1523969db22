/* lang.c - which language a line is in, by evidence.
 *
 * Both languages are written in Latin letters, Vietnamese sometimes without
 * its diacritics, and English lines carry accented Vietnamese names. So the
 * decision weighs each word: lower-case words carry the language (names are
 * capitalised), Vietnamese words are single well-formed syllables, English
 * has function words and words no Vietnamese syllable can spell, and the
 * photo-credit marker (Ảnh / Photo) is a strong hint of its own. */
#include "corpus.h"
#include "corpus_int.h"
#include "../base/utf8_fast.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/uchar.h>

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

size_t bt_doc_text_lines(const bt_doc *doc)
{
    size_t n = 0;
    for (size_t i = 0; i < doc->nlines; i++) n += doc->lines[i].lang != BT_LANG_BLANK;
    return n;
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

/* The rule itself; bt_vi_syllable answers from the word table built with
 * it (word_table_init), and a test holds the two to agree on every word. */
int vi_syllable_rule(const char *w, size_t len)
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

/* Words of either language that decide a line on their own (at most
 * WORD_MAX letters). */
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

/* Frequent Vietnamese words, folded (at most WORD_MAX letters): they tell a caption typed without
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

/* ---- one look-up per word ---- */

/* Every folded word that is a syllable or on one of the lists above, keyed
 * by its letters as base-32 digits, first letter lowest (a = 1 .. z = 26, the
 * low five bits of either case in ASCII, so no two words share a key and up
 * to 11 letters fit in 55 bits), with what it is in the top
 * bits: one hash probe answers the three questions weigh_word asks, where
 * the rule and two binary searches cost some 500 instructions a word. The
 * syllables are the rule's own answers, enumerated once (word_table_init). */
enum { W_SYL = 1, W_EN = 2, W_VI = 4, W_ANH = 8 /* "anh" */, W_PHOTO = 16 };
#define WORD_MAX 11 /* longer words are in no class */
#define WT_BITS 14  /* 16,384 slots for some 4,000 words */
#define WT_CLASS_SHIFT 59
#define WT_KEY_MASK (((uint64_t)1 << WT_CLASS_SHIFT) - 1)
static uint64_t word_table[(size_t)1 << WT_BITS]; /* key | class << 59; 0: free */
static pthread_once_t word_once = PTHREAD_ONCE_INIT;
static atomic_int word_ready; /* set once word_table is complete */

/* The letter digit of an ASCII letter of either case: a/A = 1 .. z/Z = 26. */
#define LETTER_DIGIT(c) ((uint64_t)((c) & 0x1F))

static inline size_t word_slot(uint64_t key)
{
    return (size_t)((key * 0x9E3779B97F4A7C15u) >> (64 - WT_BITS));
}

/* Class of the word with this key (1 to WORD_MAX letters). */
static inline unsigned word_class(uint64_t key)
{
    for (size_t i = word_slot(key);; i = (i + 1) & (((size_t)1 << WT_BITS) - 1)) {
        uint64_t e = word_table[i];
        if ((e & WT_KEY_MASK) == key) return (unsigned)(e >> WT_CLASS_SHIFT);
        if (!e) return 0;
    }
}

static void word_table_add(const char *w, unsigned cls)
{
    uint64_t key = 0;
    for (unsigned k = 0; w[k]; k++) key |= LETTER_DIGIT(w[k]) << 5 * k;
    size_t i = word_slot(key);
    while (word_table[i] && (word_table[i] & WT_KEY_MASK) != key)
        i = (i + 1) & (((size_t)1 << WT_BITS) - 1);
    word_table[i] |= key | (uint64_t)cls << WT_CLASS_SHIFT;
}

static void word_table_init(void)
{
    nucleus_init();
    /* Every word vi_syllable_rule accepts is one of these onsets (or "g" of
     * "gi" + rhyme) followed by a nucleus and a coda; the rule decides
     * which of the combinations are syllables. */
    static const char *const onsets[] = {
        "", "b", "c", "d", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t",
        "v", "x", "ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr",
        "ngh"
    };
    static const char *const codas[] = { "", "c", "ch", "m", "n", "ng", "nh", "p", "t" };
    char w[16];
    for (size_t o = 0; o < sizeof onsets / sizeof *onsets; o++)
        for (size_t n = 0; n < sizeof nuclei / sizeof *nuclei; n++)
            for (size_t c = 0; c < sizeof codas / sizeof *codas; c++) {
                size_t lo = strlen(onsets[o]), ln = strlen(nuclei[n]), lc = strlen(codas[c]);
                if (lo + ln + lc > 7) continue;
                memcpy(w, onsets[o], lo);
                memcpy(w + lo, nuclei[n], ln);
                memcpy(w + lo + ln, codas[c], lc + 1);
                if (vi_syllable_rule(w, lo + ln + lc)) word_table_add(w, W_SYL);
            }
    for (size_t i = 0; i < sizeof en_words / sizeof *en_words; i++)
        word_table_add(en_words[i], W_EN);
    for (size_t i = 0; i < sizeof vi_words / sizeof *vi_words; i++)
        word_table_add(vi_words[i], W_VI);
    word_table_add("anh", W_ANH);
    word_table_add("photo", W_PHOTO);
    atomic_store_explicit(&word_ready, 1, memory_order_release);
}

/* The table is built once, by whichever thread needs it first. */
static inline void word_table_ready(void)
{
    if (!atomic_load_explicit(&word_ready, memory_order_acquire))
        pthread_once(&word_once, word_table_init);
}

int bt_vi_syllable(const char *w, size_t len)
{
    if (len == 0 || len > 7) return 0;
    uint64_t key = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)w[i];
        if (c < 'a' || c > 'z') return 0;
        key |= LETTER_DIGIT(c) << 5 * i;
    }
    word_table_ready();
    return (word_class(key) & W_SYL) != 0;
}

static int is_letter(int32_t cp)
{
    if (cp < 0x80) return (cp | 32) >= 'a' && (cp | 32) <= 'z';
    return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
           (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x300 && cp <= 0x36F);
}

int bt_has_lower(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (c >= 'a' && c <= 'z') return 1;
            i++;
            continue;
        }
        int32_t cp;
        int n = bt_utf8_decode(s + i, len - i, &cp);
        if (n < 0) { i++; continue; }
        if (u_islower(cp)) return 1;
        i += (size_t)n;
    }
    return 0;
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

/* Evidence from one word of len bytes, whose folded form is of class cls
 * (W_SYL, W_EN, W_VI). */
static void weigh_word(word_ev *ev, size_t len, unsigned cls, int upper,
                       int has_vi_marks)
{
    ev->words++;
    int syl = (cls & W_SYL) != 0;
    if (!upper) {
        ev->lower_words++;
        if (has_vi_marks && syl) ev->vi += 2.0;
        else if (has_vi_marks) ev->vi += 0.5;
        else if (cls & W_EN) ev->en += 2.0;
        else if (cls & W_VI) ev->vi += 1.2;
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
        if ((cls & W_EN) && len > 1)
            ev->en += 1.0;
    }
}

/* ---- words, eight bytes at a time ---- */

/* The high bit of each byte of x (8 bytes of text) that is not an ASCII
 * letter. The sums stay inside their byte: t <= 0x7F. */
static inline uint64_t non_letters(uint64_t x)
{
    uint64_t t = (x | 0x20 * BT_SWAR_ONES) & ~BT_SWAR_HIGH;   /* lower case, 7 bits */
    uint64_t ge_a = t + (0x80 - 'a') * BT_SWAR_ONES;   /* high bit: t >= 'a' */
    uint64_t gt_z = t + (0x80 - 'z' - 1) * BT_SWAR_ONES; /* high bit: t > 'z' */
    return ~(ge_a & ~gt_z & ~x) & BT_SWAR_HIGH;
}

/* The key of the first n (1..8) bytes of x, ASCII letters, in text order. */
static inline uint64_t letters_key(uint64_t x, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t y = x & 0x1F * BT_SWAR_ONES;
    if (n < 8) y &= ((uint64_t)1 << 8 * n) - 1;
    /* five bits of each byte side by side: pairs, fours, eights */
    y = (y & 0x001F001F001F001Fu) | (y >> 3 & 0x03E003E003E003E0u);
    y = (y & 0x000003FF000003FFu) | (y >> 6 & 0x000FFC00000FFC00u);
    return (y & 0xFFFFFu) | (y >> 12 & 0xFFFFF00000u);
#else
    unsigned char b[8];
    memcpy(b, &x, 8);
    uint64_t key = 0;
    for (size_t k = 0; k < n; k++) key |= LETTER_DIGIT(b[k]) << 5 * k;
    return key;
#endif
}

/* A word being read: its folded letters as a key (the first WORD_MAX of
 * them), how many there are, and whether any was not ASCII. */
typedef struct word_scan {
    uint64_t key;
    size_t fl;
    int marks;
} word_scan;

/* Read the word that starts at s[i] (a letter); returns its end. ASCII
 * letters go eight at a time, the others through the folding table. */
static size_t scan_word(const char *s, size_t len, size_t i, word_scan *w)
{
    uint64_t key = 0;
    size_t fl = 0;
    for (;;) {
        for (;;) { /* a run of ASCII letters */
            size_t n;
            if (len - i >= 8) {
                uint64_t x;
                memcpy(&x, s + i, 8);
                uint64_t m = non_letters(x);
                n = m ? bt_swar_first(m) : 8;
                if (n && fl + n <= WORD_MAX) key |= letters_key(x, n) << 5 * fl;
            } else {
                n = 0;
                while (i + n < len && (unsigned)(((unsigned char)s[i + n] | 32) - 'a') <= 25u) {
                    if (fl + n < WORD_MAX) key |= LETTER_DIGIT(s[i + n]) << 5 * (fl + n);
                    n++;
                }
            }
            fl += n;
            i += n;
            if (n < 8) break;
        }
        if (i >= len || (unsigned char)s[i] < 0x80) break;
        int32_t cp;
        int k = bt_utf8_decode_fast(s + i, len - i, &cp);
        if (k < 0 || !is_letter(cp)) break;
        w->marks = 1;
        int32_t fc = bt_fold_cp(cp);
        if (fc > 0 && fc < 0x80) {
            if (fl < WORD_MAX) key |= LETTER_DIGIT(fc) << 5 * fl;
            fl++;
        }
        i += (size_t)k;
    }
    w->key = key;
    w->fl = fl;
    return i;
}

/* caseless: weigh every word as if written in lower case (a line typed in
 * capitals throughout says nothing by its capitals) */
static void weigh_text(const char *s, size_t len, int caseless, word_ev *out)
{
    /* a local tally the compiler can keep in registers: stores through a
     * pointer would have to be redone around every read of s */
    word_ev e, *ev = &e;
    memset(ev, 0, sizeof *ev);
    word_table_ready();
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        int upper;
        if (c < 0x80) {
            if ((unsigned)((c | 32) - 'a') > 25u) { /* not a letter */
                if (c >= '0' && c <= '9') {
                    size_t j = i;
                    while (j < len && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.' || s[j] == ',')) j++;
                    ev->digits_only++;
                    i = j;
                    continue;
                }
                i++;
                continue;
            }
            upper = c <= 'Z' && !caseless;
        } else {
            int32_t cp;
            int n = bt_utf8_decode_fast(s + i, len - i, &cp);
            if (n < 0) { i++; continue; }
            if (!is_letter(cp)) { i += (size_t)n; continue; }
            upper = is_upper(cp) && !caseless;
        }
        size_t start = i;
        word_scan w = { 0, 0, 0 };
        i = scan_word(s, len, i, &w);
        size_t fl = w.fl;
        uint64_t key = w.key;
        int marks = w.marks;
        unsigned cls = fl >= 1 && fl <= WORD_MAX ? word_class(key) : 0;
        weigh_word(ev, i - start, cls, upper, marks);
        /* the photo credit marker: "Ảnh:" / "Ảnh " / "Photo:". Only a hint
         * of the language, from one word anywhere in the line: what a
         * credit is, is decided in align/credit.c (corpus/ may not depend
         * on align/) */
        if (cls & (W_ANH | W_PHOTO)) {
            if ((cls & W_ANH) && upper) {
                size_t k = i;
                while (k < len && s[k] == ' ') k++;
                if (k < len && (s[k] == ':' || (k > i && start > 0))) ev->credit_vi++;
            }
            if (cls & W_PHOTO) ev->credit_en++;
        }
        /* most lines are long English paragraphs: once enough words have
         * made the case overwhelming, the rest cannot change it */
        if (ev->words >= 8 && ev->en >= 3 * ev->vi + 8 && !ev->credit_vi) break;
        /* the usual gap, one space, costs no turn of the loop */
        if (i + 1 < len && s[i] == ' ' && (unsigned)(((unsigned char)s[i + 1] | 32) - 'a') <= 25u)
            i++;
    }
    ev->vi += 2.0 * ev->credit_vi;
    ev->en += 2.0 * ev->credit_en;
    *out = e;
}

double bt_lang_score(const char *s, size_t len)
{
    word_ev ev;
    weigh_text(s, len, 0, &ev);
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
    weigh_text(s, len, 0, &ev);
    if (ev.words == 0) return BT_LANG_JUNK; /* numbers, punctuation, symbols */
    /* A caption or headline typed in capitals: more words than a bare name
     * and no lower-case letter. Its words weigh as they would in lower
     * case, or every one would pass for a name. */
    if (ev.lower_words == 0 && ev.cap_words > 5 && !bt_has_lower(s, len))
        weigh_text(s, len, 1, &ev);

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
