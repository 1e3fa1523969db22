/* caption.c - pair each Vietnamese caption with its English counterpart.
 *
 * An article is English body text with captions in it; some captions keep
 * the Vietnamese original on a line of its own, usually just before the
 * English line, not always. Each Vietnamese sentence is scored against the
 * English lines near it from evidence (names, titles, numbers, caption
 * words, length), pairs are chosen best first, each line used once, and
 * every pair is classified. Photo credits are segments of their own. */
#include "lexicon_int.h"
#include "../base/utf8_fast.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


const char *bt_pair_status_name(bt_pair_status s)
{
    switch (s) {
    case BT_PAIR_ACCEPTED: return "accepted";
    case BT_PAIR_PARTIAL: return "partial";
    case BT_PAIR_MISMATCH: return "mismatch";
    case BT_PAIR_UNPAIRED: return "unpaired";
    }
    return "?";
}

/* Can the eight bytes at p be copied as they are? No control character,
 * no 0xC2 (perhaps a no-break space), no two spaces together (nor a space
 * after a pending one), no space that would lead the text or might end
 * it. */
static int plain_block(const char *p, int space_pending, size_t out_len)
{
    uint64_t x = bt_swar_load((const unsigned char *)p);
    if (bt_swar_controls_mask(x) | bt_swar_eq_mask(x, 0xC2)) return 0;
    uint64_t sp = bt_swar_eq_mask(x, ' ');
    if (sp & (sp << 8)) return 0;
    if (p[7] == ' ') return 0;
    if (p[0] == ' ' && (space_pending || out_len == 0)) return 0;
    return 1;
}

/* bt_segment_clean, also counting the characters of the result. Bytes
 * above the space other than 0xC2 (which may begin U+00A0) are copied in a
 * tight loop: most of a caption needs no other work. */
static char *clean_count(const char *s, size_t len, size_t *chars, size_t *bytes)
{
    /* the result is never longer than the input */
    char *out = bt_xmalloc(len + 1);
    size_t n = 0, nc = 0;
    int space = 0;
    for (size_t i = 0; i < len;) {
        /* eight bytes at a time while they are plain text with single
         * spaces inside: copied as they are */
        if (i + 8 <= len && plain_block(s + i, space, n)) {
            if (space && n) { out[n++] = ' '; nc++; }
            space = 0;
            uint64_t x = bt_swar_load((const unsigned char *)s + i);
            memcpy(out + n, s + i, 8);
            n += 8;
            /* continuation bytes (10xxxxxx) counted by a multiply: the
             * sum of the eight 0/1 bytes lands in the top byte */
            uint64_t cont = (x & ~(x << 1) & BT_SWAR_HIGH) >> 7;
            nc += 8 - (size_t)((cont * BT_SWAR_ONES) >> 56);
            i += 8;
            continue;
        }
        unsigned char c = (unsigned char)s[i];
        if (c > ' ' && c != 0xC2) {
            if (space && n) { out[n++] = ' '; nc++; }
            space = 0;
            do {
                out[n++] = (char)c;
                nc += (c & 0xC0) != 0x80;
                if (++i == len) break;
                c = (unsigned char)s[i];
            } while (c > ' ' && c != 0xC2);
            continue;
        }
        int ws = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
        /* U+00A0 no-break space */
        if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0) { ws = 1; i++; }
        i++;
        if (ws) { space = 1; continue; }
        if (space && n) { out[n++] = ' '; nc++; }
        space = 0;
        out[n++] = (char)c;
        nc += (c & 0xC0) != 0x80;
    }
    out[n] = '\0';
    *chars = nc;
    *bytes = n;
    return out;
}

char *bt_segment_clean(const char *s, size_t len)
{
    size_t chars, bytes;
    return clean_count(s, len, &chars, &bytes);
}

/* ---- segments ---- */

enum { CREDIT_NONE, CREDIT_NAMED, CREDIT_ARCHIVE, CREDIT_ILLUSTRATION };

typedef struct seg {
    size_t line;          /* index into doc->lines */
    char *text;           /* cleaned */
    char *credit_key;     /* folded credit name */
    size_t words_at;      /* EN: its table of word hashes in segs.words, */
    uint32_t words_mask;  /* of words_mask + 1 slots (0 free), for */
                          /* shares_anchor; 0 slots: not all ASCII */
    uint32_t chars;       /* length in characters */
    uint32_t len;         /* length in bytes (a line is far shorter) */
    unsigned char lang;   /* bt_lang */
    unsigned char credit; /* CREDIT_* */
    /* small, as an article may hold tens of thousands of segments */
    unsigned used : 1;
    unsigned given : 1;            /* its text belongs to a pair now */
    unsigned borrowed : 1;         /* its text is its line's, already clean */
    unsigned has_credit_after : 1; /* EN: the line ends with a credit */
    unsigned words_done : 1;
} seg;

/* The segments of a document, and what making and weighing them reuses. */
typedef struct segs {
    seg *v;
    size_t n, cap;
    uint64_t *words;      /* English segments' tables of word hashes */
    size_t nwords, wcap;
    size_t passed;        /* segments before this one are asked no more */
    bt_buf key, scratch;  /* line_segments' buffers */
} segs;

/* The characters of s[0..len) when cleaning would leave it as it is (no
 * control character, no 0xC2 that may begin a no-break space, no space
 * leading, ending or doubled), else (size_t)-1. Sixteen bytes at a time
 * where SSE2 is, eight elsewhere. */
static size_t clean_chars(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    if (len == 0 || u[0] == ' ' || u[len - 1] == ' ') return (size_t)-1;
    size_t nc = 0, i = 0;
#if defined(__SSE2__)
    /* sixteen bytes at a time, and the sixteen after each byte for spaces
     * side by side */
    const __m128i ctl = _mm_set1_epi8(0x1F), c2 = _mm_set1_epi8((char)0xC2),
                  spc = _mm_set1_epi8(' '), top2 = _mm_set1_epi8((char)0xC0),
                  contb = _mm_set1_epi8((char)0x80), one = _mm_set1_epi8(1);
    __m128i ncont = _mm_setzero_si128(); /* continuation bytes, two sums */
    for (; i + 17 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
        __m128i w = _mm_loadu_si128((const __m128i *)(const void *)(u + i + 1));
        __m128i bad = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, ctl), v), _mm_cmpeq_epi8(v, c2));
        bad = _mm_or_si128(bad, _mm_and_si128(_mm_cmpeq_epi8(v, spc), _mm_cmpeq_epi8(w, spc)));
        if (_mm_movemask_epi8(bad)) return (size_t)-1;
        /* counted without a popcount instruction, which x86-64 may lack */
        __m128i cont = _mm_and_si128(_mm_cmpeq_epi8(_mm_and_si128(v, top2), contb), one);
        ncont = _mm_add_epi64(ncont, _mm_sad_epu8(cont, _mm_setzero_si128()));
        nc += 16;
    }
    uint64_t sums[2];
    _mm_storeu_si128((__m128i *)(void *)sums, ncont);
    nc -= (size_t)(sums[0] + sums[1]);
#endif
    uint64_t prev_sp = i && u[i - 1] == ' '; /* the byte before x was a space */
    for (; i + 8 <= len; i += 8) {
        uint64_t x = bt_swar_load(u + i);
        uint64_t sp = bt_swar_eq_mask(x, ' ');
        if (bt_swar_controls_mask(x) | bt_swar_eq_mask(x, 0xC2) | (sp & (sp << 8 | prev_sp)))
            return (size_t)-1;
        prev_sp = sp >> 56;
        uint64_t cont = (x & ~(x << 1) & BT_SWAR_HIGH) >> 7;
        nc += 8 - (size_t)((cont * BT_SWAR_ONES) >> 56);
    }
    for (; i < len; i++) {
        unsigned c = u[i];
        if (c < 0x20 || c == 0xC2 || (c == ' ' && u[i - 1] == ' ')) return (size_t)-1;
        nc += (c & 0xC0) != 0x80;
    }
    return nc;
}

static void add_seg(segs *s, bt_lang lang, size_t line, const char *text, size_t len,
                    int credit, const char *ckey)
{
    size_t chars, bytes;
    /* a clean segment that ends its line (so is NUL-terminated) is used
     * where it is, in the document; its pair, if any, copies it */
    size_t clean = clean_chars(text, len), whole = (size_t)-1;
    char *t;
    if (clean != (size_t)-1 && text[len] == '\0') {
        t = (char *)(uintptr_t)text;
        chars = whole = clean;
        bytes = len;
    } else if (clean != (size_t)-1) { /* clean already: copied as it is */
        t = bt_xmalloc(len + 1);
        memcpy(t, text, len);
        t[len] = '\0';
        chars = clean;
        bytes = len;
    } else {
        t = clean_count(text, len, &chars, &bytes);
        if (!*t) { free(t); return; }
    }
    BT_GROW(s->v, s->cap, s->n + 1);
    seg *g = &s->v[s->n++];
    memset(g, 0, sizeof *g);
    g->lang = lang;
    g->line = line;
    g->text = t;
    g->credit = credit;
    g->credit_key = ckey ? bt_xstrdup(ckey) : NULL;
    g->chars = chars;
    g->len = bytes;
    g->borrowed = whole != (size_t)-1;
}

/* Is s (one sentence) a photo credit? Returns CREDIT_* and stores the folded
 * name part in key. */
/* A byte of a folded word (folded text is ASCII letters and digits, or
 * UTF-8 beyond: kept as it is). */
static int is_key_alnum(char c)
{
    unsigned char u = (unsigned char)c;
    return (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u >= 0x80;
}

/* Credit names that differ between the editions only by translation: the
 * news agency, Thông tấn xã Việt Nam, is TTXVN in Vietnamese and VNA in
 * English ("Ảnh: Thanh Hà/TTXVN", "Photo: Thanh Ha/VNA"). Folded, as whole
 * words. */
static const char *const credit_same[][2] = { { "ttxvn", "vna" }, { NULL, NULL } };

/* Append the folded credit name rest to key, each word in one spelling. */
static void add_credit_key(bt_buf *key, const char *rest)
{
    for (const char *p = rest; *p;) {
        if (!is_key_alnum(*p)) {
            bt_buf_addc(key, *p++);
            continue;
        }
        const char *q = p;
        while (*q && is_key_alnum(*q)) q++;
        const char *alt = NULL;
        for (size_t k = 0; credit_same[k][0] && !alt; k++)
            if (strlen(credit_same[k][0]) == (size_t)(q - p) &&
                !memcmp(p, credit_same[k][0], (size_t)(q - p)))
                alt = credit_same[k][1];
        if (alt) bt_buf_adds(key, alt);
        else bt_buf_add(key, p, (size_t)(q - p));
        p = q;
    }
}

static int credit_kind(bt_lang lang, const char *s, size_t len, bt_buf *key, bt_buf *scratch)
{
    /* every credit starts with one of these letters (or a parenthesis):
     * Ảnh/Anh, Nguồn, Photo, Source, Illustrat..., File, Archive */
    if (len == 0 || !strchr("(AaNnPpSsIiFf\xE1", s[0])) return CREDIT_NONE;
    /* an ASCII opening folds to its lower case: tested as it is */
    size_t ascii = 0;
    while (ascii < len && ascii < 15 && (unsigned char)s[ascii] < 0x80) ascii++;
    if (ascii == len || ascii == 15) {
        const char *o = s + (s[0] == '(');
        size_t n = len - (size_t)(o - s);
#define OPENS(lit) (n >= sizeof lit - 1 && !strncasecmp(o, lit, sizeof lit - 1))
        int opens = lang == BT_LANG_VI ? OPENS("anh") || OPENS("nguon:")
                                       : OPENS("photo") || OPENS("source:") || OPENS("illustrat") ||
                                             OPENS("file photo") || OPENS("archive photo");
#undef OPENS
        if (!opens) return CREDIT_NONE;
    }
    bt_buf f = *scratch; /* reused from sentence to sentence */
    bt_buf_reset(&f);
    /* the beginning first: most sentences are not credits, and folding a
     * whole paragraph to learn that costs more than the rest of the test.
     * 64 bytes fold to at least the 14 characters the longest opening
     * below needs. */
    size_t head = len < 64 ? len : 64;
    bt_fold(s, head, &f);
    const char *h = f.ptr + (f.ptr[0] == '(');
    int opens = lang == BT_LANG_VI
                    ? !strncmp(h, "anh", 3) || !strncmp(h, "nguon:", 6)
                    : !strncmp(h, "photo", 5) || !strncmp(h, "source:", 7) ||
                          !strncmp(h, "illustrat", 9) || !strncmp(h, "file photo", 10) ||
                          !strncmp(h, "archive photo", 13);
    if (!opens) {
        *scratch = f;
        return CREDIT_NONE;
    }
    if (head < len) {
        bt_buf_reset(&f);
        bt_fold(s, len, &f);
    }
    while (f.len && (f.ptr[f.len - 1] == '.' || f.ptr[f.len - 1] == ' ' ||
                     f.ptr[f.len - 1] == ')'))
        f.ptr[--f.len] = '\0';
    const char *p = f.ptr;
    if (*p == '(') p++;
    int kind = CREDIT_NONE;
    const char *rest = NULL;
    if (lang == BT_LANG_VI) {
        if (!strncmp(p, "anh", 3) && (p[3] == ':' || p[3] == ' ')) rest = p + 3;
        else if (!strncmp(p, "nguon:", 6)) rest = p + 6;
    } else {
        if (!strncmp(p, "photo", 5) && (p[5] == ':' || p[5] == ' ' || p[5] == '\0')) rest = p + 5;
        else if (!strncmp(p, "source:", 7)) rest = p + 7;
        else if (!strcmp(p, "illustrative photo") || !strcmp(p, "illustration photo") ||
                 !strcmp(p, "illustration") || !strcmp(p, "illustrative image"))
            kind = CREDIT_ILLUSTRATION;
        else if (!strcmp(p, "file photo") || !strcmp(p, "archive photo"))
            kind = CREDIT_ARCHIVE;
    }
    if (rest) {
        while (*rest == ':' || *rest == ' ') rest++;
        size_t words = *rest ? 1 : 0;
        for (const char *q = rest; *q; q++) words += *q == ' ';
        if (lang == BT_LANG_VI && !strcmp(rest, "tu lieu")) kind = CREDIT_ARCHIVE;
        else if (lang == BT_LANG_VI && !strcmp(rest, "minh hoa")) kind = CREDIT_ILLUSTRATION;
        else if (lang == BT_LANG_EN && (!strcmp(rest, "archive") || !strcmp(rest, "file")))
            kind = CREDIT_ARCHIVE;
        else if (lang == BT_LANG_EN && !strcmp(rest, "illustration"))
            kind = CREDIT_ILLUSTRATION;
        else if (words >= 1 && words <= 5) {
            kind = CREDIT_NAMED;
            add_credit_key(key, rest);
        }
    }
    *scratch = f;
    return kind;
}

/* Could the line hold an English photo credit? A cheap test before the
 * real one in credit_kind. */
static int credit_word_at(const char *p, size_t left)
{
    switch (*p) {
    case 'P': case 'p': return left >= 5 && !memcmp(p + 1, "hoto", 4);
    case 'I': return left >= 9 && !memcmp(p + 1, "llustrat", 8);
    case 'S': return left >= 7 && !memcmp(p + 1, "ource:", 6);
    }
    return 0;
}

/* Holds the line "Photo", "photo", "Illustrat" or "Source:"? One pass,
 * eight bytes at a time: every English line of an article asks. */
static int maybe_credit(const char *s, size_t len)
{
    size_t i = 0;
    for (; i + 9 <= len; i += 8) {
        /* by the first two letters: Ph, ph, Il, So */
        uint64_t x = bt_swar_load((const unsigned char *)s + i),
                 y = bt_swar_load((const unsigned char *)s + i + 1);
        uint64_t m = ((bt_swar_eq_mask(x, 'P') | bt_swar_eq_mask(x, 'p')) & bt_swar_eq_mask(y, 'h')) |
                     (bt_swar_eq_mask(x, 'I') & bt_swar_eq_mask(y, 'l')) |
                     (bt_swar_eq_mask(x, 'S') & bt_swar_eq_mask(y, 'o'));
        for (; m; m &= m - 1) {
            size_t k = i + bt_swar_first(m);
            if (credit_word_at(s + k, len - k)) return 1;
        }
    }
    for (; i < len; i++)
        if (credit_word_at(s + i, len - i)) return 1;
    return 0;
}

/* Split one line into content and credit segments. */
/* ---- lines wrapped by hand ---- */

/* Text saved with hard line breaks cuts a caption, and its English, into
 * pieces that pair with each other's fragments. A line continues the one
 * before it when both are of one language, the first ends with no closing
 * mark and holds no photo credit (a caption ends with its credit or a full
 * stop), and the second is not a credit standing on its own line. */
typedef struct logical_lines {
    unsigned char *cont;  /* per line: it continues the line before */
    const char **text;    /* per line: its text, joined with those that */
    size_t *len;          /* continue it */
} logical_lines;

static int ends_open(const bt_line *l)
{
    size_t n = l->len;
    while (n && (l->text[n - 1] == ' ' || l->text[n - 1] == '\t')) n--;
    if (!n) return 0;
    unsigned char c = (unsigned char)l->text[n - 1];
    if (strchr(".!?:;\"')]", c)) return 0;
    /* … ” ’ end in E2 80 A6, 9D, 99 */
    if (n >= 3 && (unsigned char)l->text[n - 3] == 0xE2 && (unsigned char)l->text[n - 2] == 0x80 &&
        (c == 0xA6 || c == 0x9D || c == 0x99))
        return 0;
    return 1;
}

static int maybe_credit(const char *s, size_t len);

/* Does the line begin as a photo credit does? */
static int opens_credit(const bt_line *l)
{
    static const char *const open[] = { "Ảnh", "ẢNH", "Anh:", "ANH:", "Nguồn", "NGUỒN", "Photo",
                                        "PHOTO", "Source:", "SOURCE:", "Illustrat", "File photo",
                                        "Archive photo", NULL };
    const char *t = l->text;
    size_t n = l->len;
    while (n && (*t == ' ' || *t == '\t' || *t == '(')) t++, n--;
    for (size_t k = 0; open[k]; k++)
        if (n >= strlen(open[k]) && !memcmp(t, open[k], strlen(open[k]))) return 1;
    return 0;
}

/* Could the line hold a photo credit, anywhere? */
static int holds_credit(const bt_line *l)
{
    if (l->lang == BT_LANG_EN) return maybe_credit(l->text, l->len);
    static const char *const vi[] = { "Ảnh", "ẢNH", "Anh:", "ANH:", "Nguồn", "NGUỒN", NULL };
    for (size_t k = 0; vi[k]; k++)
        if (memmem(l->text, l->len, vi[k], strlen(vi[k]))) return 1;
    return 0;
}

static void logical_init(logical_lines *lt, const bt_doc *doc)
{
    size_t n = doc->nlines + 1;
    lt->cont = bt_xcalloc(n, 1);
    lt->text = bt_xmalloc(n * sizeof *lt->text);
    lt->len = bt_xmalloc(n * sizeof *lt->len);
    size_t head = 0;
    for (size_t i = 0; i < doc->nlines; i++) {
        const bt_line *l = &doc->lines[i];
        lt->text[i] = l->text;
        lt->len[i] = l->len;
        if (i && (l->lang == BT_LANG_VI || l->lang == BT_LANG_EN) &&
            l->lang == doc->lines[i - 1].lang && ends_open(&doc->lines[i - 1]) &&
            !holds_credit(&doc->lines[i - 1]) && !opens_credit(l)) {
            lt->cont[i] = 1;
            /* the head's text grows by a space and this line */
            char *j = bt_xmalloc(lt->len[head] + 1 + l->len + 1);
            memcpy(j, lt->text[head], lt->len[head]);
            j[lt->len[head]] = ' ';
            memcpy(j + lt->len[head] + 1, l->text, l->len);
            j[lt->len[head] + 1 + l->len] = '\0';
            if (lt->text[head] != doc->lines[head].text) free((char *)(uintptr_t)lt->text[head]);
            lt->text[head] = j;
            lt->len[head] += 1 + l->len;
        } else {
            head = i;
        }
    }
}

static void logical_free(logical_lines *lt, const bt_doc *doc)
{
    for (size_t i = 0; i < doc->nlines; i++)
        if (lt->text[i] != doc->lines[i].text) free((char *)(uintptr_t)lt->text[i]);
    free(lt->cont);
    free(lt->text);
    free(lt->len);
}

/* The segments of line li, whose text (the line's, or the lines it was
 * wrapped into, joined) is text[0..tlen) in language lang. */
static void line_segments(segs *out, const char *text, size_t tlen, bt_lang lang, size_t li)
{
    enum { MAXS = 64 };
    size_t stack_sp[2 * MAXS], *sp = stack_sp;
    size_t n = bt_sentences(text, tlen, sp, MAXS);
    if (n > MAXS) { /* a long paragraph: every sentence counts */
        sp = bt_xmalloc(2 * n * sizeof *sp);
        n = bt_sentences(text, tlen, sp, n);
    }
    bt_buf key = out->key, scratch = out->scratch;
    size_t content_start = (size_t)-1, content_end = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = text + sp[2 * i];
        size_t len = sp[2 * i + 1] - sp[2 * i];
        bt_buf_reset(&key);
        int ck = credit_kind(lang, s, len, &key, &scratch);
        /* a credit glued to the caption without a full stop: "... Ảnh: X" */
        if (!ck && lang == BT_LANG_VI && len > 7) {
            /* at each 0xE1 (the first byte of "Ả") after a space */
            const char *q = s + 1;
            while ((q = memchr(q, 0xE1, (size_t)(s + len - 6 - q))) != NULL) {
                size_t k = (size_t)(q++ - s);
                if (s[k - 1] != ' ' || memcmp(s + k, "Ảnh:", strlen("Ảnh:")) != 0) continue;
                bt_buf_reset(&key);
                if (credit_kind(lang, s + k, len - k, &key, &scratch)) {
                    if (content_start == (size_t)-1) content_start = sp[2 * i];
                    content_end = sp[2 * i] + k;
                    ck = -1;
                    bt_buf_reset(&key);
                    int kind = credit_kind(lang, s + k, len - k, &key, &scratch);
                    if (content_end > content_start) {
                        /* flush the content first to keep text order */
                        if (lang == BT_LANG_VI)
                            add_seg(out, lang, li, text + content_start,
                                    content_end - content_start, CREDIT_NONE, NULL);
                        content_start = (size_t)-1;
                    }
                    add_seg(out, lang, li, s + k, len - k, kind, key.ptr);
                    break;
                }
            }
            if (ck == -1) continue;
        }
        if (ck) {
            if (content_start != (size_t)-1) {
                if (lang == BT_LANG_VI) {
                    /* each Vietnamese sentence is a segment */
                } else {
                    add_seg(out, lang, li, text + content_start,
                            content_end - content_start, CREDIT_NONE, NULL);
                    content_start = (size_t)-1;
                }
            }
            add_seg(out, lang, li, s, len, ck, key.len ? key.ptr : NULL);
            if (lang == BT_LANG_EN && out->n >= 2) out->v[out->n - 2].has_credit_after = 1;
            continue;
        }
        if (lang == BT_LANG_VI) {
            add_seg(out, lang, li, s, len, CREDIT_NONE, NULL);
        } else {
            if (content_start == (size_t)-1) content_start = sp[2 * i];
            content_end = sp[2 * i + 1];
        }
    }
    if (content_start != (size_t)-1 && content_end > content_start)
        add_seg(out, lang, li, text + content_start, content_end - content_start,
                CREDIT_NONE, NULL);
    out->key = key;
    out->scratch = scratch;
    if (sp != stack_sp) free(sp);
}

/* ---- evidence ---- */

/* A caption word's English stems ("a|b c|d") are matched against every
 * English candidate; they are parsed once per caption, not per match. */
typedef struct stem_word {
    const char *p;
    size_t len;
    int exact;           /* a word followed by another: matched whole */
} stem_word;

typedef struct stem_alt {
    size_t first, n;     /* its words in side.stems */
    int last;            /* the last alternative of its caption word */
} stem_alt;

typedef struct stem_prefix {
    const char *p;
    size_t len;
} stem_prefix;

enum { EN_STOP = 1, EN_SURNAME = 2, EN_SYLLABLE = 4 };

/* Words are looked for among those with the same first letter: 26
 * buckets for a to z, one for everything else. */
enum { NBUCKETS = 27 };

static size_t bucket(char c)
{
    return c >= 'a' && c <= 'z' ? (size_t)(c - 'a') : NBUCKETS - 1;
}

typedef struct side {
    lex_tokens t;
    bt_title_match *m;    /* exactly nm: an article may hold many segments */
    size_t nm;
    int capped;           /* lex_find found more than the 64 kept */
    unsigned char *role;  /* per token: 0 free, 1 title, 2 name, 3 dict */
    unsigned char *role0; /* role as side_init leaves it: titles only */
    unsigned char *dict_n;   /* Vietnamese: caption-word length at token i */
    unsigned char *dict_fn;  /* and whether it is a function word */
    const char **dict_en;    /* and its English stems */
    size_t chars;
    void *block;             /* holds m and the per-token arrays */
    /* English: per token, what weigh() asks of it on every comparison */
    unsigned char *en_flags; /* EN_STOP, EN_SURNAME, EN_SYLLABLE */
    /* Vietnamese: the caption words' stems parsed once (see stem_word) */
    void *stem_block;        /* holds stems, alts and prefixes */
    stem_word *stems;        /* words of every alternative, in order */
    size_t *stem_at;         /* per token: first alternative in alts, or -1 */
    stem_alt *alts;
    size_t nalts, nstems;
    stem_prefix *prefixes;   /* first words of the caption words' stems, */
    size_t nprefixes;        /* by the bucket of their first letter: */
    size_t pstart[NBUCKETS + 1]; /* bucket b is [pstart[b], pstart[b + 1]) */
    uint64_t *anchors;       /* Vietnamese: for shares_anchor, once */
    size_t nanchors, nwords_anchor;
    int anchors_done;
    uint32_t *by_first;      /* English: token indices by bucket, */
    size_t bstart[NBUCKETS + 1]; /* bucket b is [bstart[b], bstart[b + 1]) */
    struct side *next_free;  /* in side_set.free_list */
} side;

/* English words too common to be evidence, by length, each list read in
 * steps of length + 1 */
static const char *const en_stop[] = {
    NULL, "a", "an at by in is of on or to as be", "and are for was its his her has had",
    "from were with that this also have", "their"
};

static int is_en_stop(const char *w, size_t wl)
{
    if (wl == 0 || wl >= sizeof en_stop / sizeof *en_stop) return 0;
    for (const char *p = en_stop[wl]; ; p += wl + 1) {
        if (w[0] == p[0] && !memcmp(w, p, wl)) return 1;
        if (!p[wl]) return 0;
    }
}

/* Parse the stems of every caption word once: the alternatives of each
 * ("a|b c|d", each cut at 95 bytes as a match always did) into words, and
 * the first word of every alternative for the English-side count. */
static void parse_stems(side *sd)
{
    /* one block: an alternative per bar and one more; words of at least a
     * letter and a separator, and perhaps an empty one opening each
     * alternative */
    size_t na = 0, nw = 0;
    for (size_t i = 0; i < sd->t.n; i++) {
        if (!sd->dict_n[i] || !sd->dict_en[i]) continue;
        const char *p = sd->dict_en[i], *end = p + strlen(p);
        size_t alts = 1;
        for (; (p = memchr(p, '|', (size_t)(end - p))) != NULL; p++) alts++;
        na += alts;
        nw += (size_t)(end - sd->dict_en[i]) / 2 + 1 + alts;
    }
    char *at = sd->stem_block = bt_xmalloc(na * (sizeof *sd->alts + 2 * sizeof *sd->prefixes) +
                                          nw * sizeof *sd->stems + 1);
    sd->alts = (stem_alt *)(void *)at;
    at += na * sizeof *sd->alts;
    sd->prefixes = (stem_prefix *)(void *)at;
    at += na * sizeof *sd->prefixes;
    stem_prefix *sorted = (stem_prefix *)(void *)at;
    at += na * sizeof *sd->prefixes;
    sd->stems = (stem_word *)(void *)at;
    for (size_t i = 0; i < sd->t.n; i++) {
        sd->stem_at[i] = (size_t)-1;
        if (!sd->dict_n[i] || !sd->dict_en[i]) continue;
        const char *p = sd->dict_en[i];
        while (*p) {
            const char *bar = strchr(p, '|');
            size_t l = bar ? (size_t)(bar - p) : strlen(p);
            size_t cut = l > 95 ? 95 : l;
            if (sd->stem_at[i] == (size_t)-1) sd->stem_at[i] = sd->nalts;
            stem_alt *a = &sd->alts[sd->nalts++];
            a->first = sd->nstems;
            a->n = 0;
            a->last = 0;
            const char *sp = p, *end = p + cut;
            while (sp < end) {
                const char *e = memchr(sp, ' ', (size_t)(end - sp));
                size_t wl = e ? (size_t)(e - sp) : (size_t)(end - sp);
                sd->stems[sd->nstems++] = (stem_word){ sp, wl, e != NULL };
                a->n++;
                sp += wl;
                while (sp < end && *sp == ' ') sp++;
            }
            if (!bar) break;
            p = bar + 1;
        }
        if (sd->stem_at[i] != (size_t)-1) sd->alts[sd->nalts - 1].last = 1;
    }
    /* the caption words met walking the caption word by word */
    for (size_t i = 0; i < sd->t.n;) {
        size_t n = sd->dict_n[i];
        if (!n) { i++; continue; }
        const char *p = sd->dict_en[i];
        while (*p) {
            const char *bar = strchr(p, '|');
            size_t l = bar ? (size_t)(bar - p) : strlen(p);
            const char *sp = memchr(p, ' ', l);
            size_t sl = sp ? (size_t)(sp - p) : l;
            if (sl >= 2) {
                sd->prefixes[sd->nprefixes++] = (stem_prefix){ p, sl };
            }
            if (!bar) break;
            p = bar + 1;
        }
        i += n;
    }
    /* by bucket, for the English words to look only at their own */
    memset(sd->pstart, 0, sizeof sd->pstart);
    for (size_t x = 0; x < sd->nprefixes; x++) sd->pstart[bucket(sd->prefixes[x].p[0]) + 1]++;
    for (size_t b = 0; b < NBUCKETS; b++) sd->pstart[b + 1] += sd->pstart[b];
    if (sd->nprefixes > 1) {
        size_t fill[NBUCKETS];
        memcpy(fill, sd->pstart, sizeof fill);
        for (size_t x = 0; x < sd->nprefixes; x++)
            sorted[fill[bucket(sd->prefixes[x].p[0])]++] = sd->prefixes[x];
        sd->prefixes = sorted;
    }
}

static void side_init(side *sd, const bt_lexicon *lex, bt_lang lang, const seg *g)
{
    const char *text = g->text;
    size_t len = g->len;
    lex_tokens_init(&sd->t);
    lex_tokenize(lex, lang, text, len, &sd->t);
    bt_title_match found[64];
    sd->nm = lex_find(lex, lang, &sd->t, found, 64);
    sd->capped = sd->nm > 64;
    if (sd->nm > 64) sd->nm = 64;
    /* the per-token arrays in one zeroed block: a side is made for every
     * caption and every English line weighed against one */
    size_t nt = sd->t.n + 1;
    size_t size = sd->nm * sizeof *sd->m + nt * (sizeof *sd->dict_en + sizeof *sd->stem_at) +
                  nt * sizeof *sd->by_first + nt * 5;
    char *b = sd->block = bt_xmalloc(size);
    sd->m = (bt_title_match *)(void *)b;
    b += sd->nm * sizeof *sd->m;
    sd->dict_en = (const char **)(void *)b;
    b += nt * sizeof *sd->dict_en;
    sd->stem_at = (size_t *)(void *)b;
    b += nt * sizeof *sd->stem_at;
    sd->by_first = (uint32_t *)(void *)b;
    b += nt * sizeof *sd->by_first;
    sd->role = (unsigned char *)b;
    sd->dict_n = sd->role + nt;
    sd->dict_fn = sd->dict_n + nt;
    sd->en_flags = sd->dict_fn + nt;
    sd->role0 = sd->en_flags + nt;
    /* zeroed where read before written: the byte arrays, and the caption
     * words' stems (a Vietnamese side's, set only where a word is found) */
    memset(sd->role, 0, nt * 5);
    if (lang == BT_LANG_VI) memset(sd->dict_en, 0, nt * sizeof *sd->dict_en);
    memcpy(sd->m, found, sd->nm * sizeof *sd->m);
    for (size_t i = 0; i < sd->t.n; i++)
        for (size_t j = 0; j < sd->nm; j++)
            if (sd->t.v[i].start >= sd->m[j].start && sd->t.v[i].end <= sd->m[j].end)
                sd->role[i] = 1;
    memcpy(sd->role0, sd->role, nt);
    sd->chars = g->chars;
    sd->anchors = NULL;
    sd->nanchors = sd->nwords_anchor = 0;
    sd->anchors_done = 0;
    sd->stem_block = NULL;
    sd->stems = NULL;
    sd->alts = NULL;
    sd->prefixes = NULL;
    sd->nalts = sd->nstems = sd->nprefixes = 0;
    if (lang == BT_LANG_VI) {
        /* caption words found once, used against every English candidate */
        for (size_t i = 0; i < sd->t.n; i++) {
            int fn = 0;
            size_t n = lex_dict_match(lex, &sd->t, i, &sd->dict_en[i], &fn);
            sd->dict_n[i] = (unsigned char)(n > 255 ? 255 : n);
            sd->dict_fn[i] = (unsigned char)fn;
        }
        parse_stems(sd);
    } else {
        for (size_t i = 0; i < sd->t.n; i++) {
            const char *w = lex_tok(&sd->t, i);
            size_t wl = lex_tok_len(&sd->t, i);
            /* weigh() asks capitalised words for names, others for stops */
            if (sd->t.v[i].upper)
                sd->en_flags[i] = (unsigned char)((lex_tok_surname(&sd->t, i) ? EN_SURNAME : 0) |
                                                  (bt_vi_syllable(w, wl) ? EN_SYLLABLE : 0));
            else
                sd->en_flags[i] = is_en_stop(w, wl) ? EN_STOP : 0;
        }
        /* tokens by the bucket of their first letter (a counting sort) */
        memset(sd->bstart, 0, sizeof sd->bstart);
        for (size_t i = 0; i < sd->t.n; i++) sd->bstart[bucket(lex_tok(&sd->t, i)[0]) + 1]++;
        for (size_t b2 = 0; b2 < NBUCKETS; b2++) sd->bstart[b2 + 1] += sd->bstart[b2];
        size_t fill[NBUCKETS];
        memcpy(fill, sd->bstart, sizeof fill);
        for (size_t i = 0; i < sd->t.n; i++)
            sd->by_first[fill[bucket(lex_tok(&sd->t, i)[0])]++] = (uint32_t)i;
    }
}

/* The bytes of x (ASCII) that are letters or digits, each marked. */
static inline uint64_t alnum_mask(uint64_t x)
{
    uint64_t t = x | BT_SWAR_ONES * 0x20; /* letters in lower case */
    uint64_t letter = (t + BT_SWAR_ONES * (0x80 - 'a')) & ~(t + BT_SWAR_ONES * (0x80 - 'z' - 1));
    uint64_t digit = (x + BT_SWAR_ONES * (0x80 - '0')) & ~(x + BT_SWAR_ONES * (0x80 - '9' - 1));
    return (letter | digit) & BT_SWAR_HIGH;
}

static int is_alnum(unsigned char c)
{
    return ((c | 32) >= 'a' && (c | 32) <= 'z') || (c >= '0' && c <= '9');
}

/* A hash of the ASCII word p[0..n) (n >= 1) in lower case, eight bytes
 * per step; p[0..room) may be read (room >= n). Never 0, kept for free
 * slots. */
static inline uint64_t ascii_word_hash(const unsigned char *p, size_t n, size_t room)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
    for (;;) {
        uint64_t x = 0;
        if (room >= 8) x = bt_swar_load(p);
        else for (size_t k = 0; k < room; k++) x |= (uint64_t)p[k] << 8 * k;
        uint64_t keep = n < 8 ? ((uint64_t)1 << 8 * n) - 1 : ~0ULL;
        h = (h ^ ((x | BT_SWAR_ONES * 0x20) & keep)) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 29;
        if (n <= 8) break;
        p += 8, n -= 8, room -= 8;
    }
    return h ? h : 1;
}

static int has_word(const segs *sg, const seg *g, uint64_t h)
{
    const uint64_t *t = sg->words + g->words_at;
    for (size_t i = (size_t)(h >> 7) & g->words_mask;; i = (i + 1) & g->words_mask) {
        if (t[i] == h) return 1;
        if (!t[i]) return 0;
    }
}

/* The slots of the word table of a segment of len bytes: more than its
 * words, as a word and its separator take two bytes. */
static size_t word_slots(size_t len)
{
    size_t cap = 16;
    while (cap < len / 2 + 2) cap *= 2;
    return cap;
}

/* Slots of word tables held at once before the tables of segments passed
 * are let go: an article of tens of thousands of captions would otherwise
 * keep them all. */
#define WORDS_KEPT ((size_t)1 << 20)

/* Keep only the tables of segments not yet passed, at the front. */
static void words_compact(segs *sg)
{
    size_t n = 0;
    for (size_t k = sg->passed; k < sg->n; k++)
        if (sg->v[k].words_done && sg->v[k].words_mask) n += sg->v[k].words_mask + 1;
    uint64_t *w = bt_xmalloc((n ? n : 1) * sizeof *w);
    size_t at = 0;
    for (size_t k = sg->passed; k < sg->n; k++) {
        seg *g = &sg->v[k];
        if (!g->words_done || !g->words_mask) continue;
        memcpy(w + at, sg->words + g->words_at, (g->words_mask + 1) * sizeof *w);
        g->words_at = at;
        at += g->words_mask + 1;
    }
    free(sg->words);
    sg->words = w;
    sg->nwords = sg->wcap = n;
}

/* The English segment's words (runs of ASCII letters and digits) as a
 * table of their hashes; none when it holds any other byte. */
static void make_words(segs *sg, seg *g)
{
    g->words_done = 1;
    const unsigned char *s = (const unsigned char *)g->text;
    size_t len = g->len, i = 0;
    for (; i + 8 <= len; i += 8)
        if (bt_swar_load(s + i) & BT_SWAR_HIGH) return;
    for (; i < len; i++)
        if (s[i] >= 0x80) return;
    size_t cap = word_slots(len);
    if (!sg->wcap) { /* room for every English segment's table at once */
        size_t all = 0;
        for (size_t k = 0; k < sg->n && all < WORDS_KEPT; k++)
            if (sg->v[k].lang == BT_LANG_EN) all += word_slots(sg->v[k].len);
        BT_GROW(sg->words, sg->wcap, all < WORDS_KEPT ? all : WORDS_KEPT);
    }
    if (sg->nwords + cap > WORDS_KEPT) words_compact(sg);
    BT_GROW(sg->words, sg->wcap, sg->nwords + cap);
    uint64_t *t = sg->words + sg->nwords;
    memset(t, 0, cap * sizeof *t);
    g->words_at = sg->nwords;
    g->words_mask = cap - 1;
    sg->nwords += cap;
    for (i = 0; i < len;) {
        if (!is_alnum(s[i])) { i++; continue; }
        size_t start = i;
        uint64_t h;
        uint64_t m = len - i >= 8 ? ~alnum_mask(bt_swar_load(s + i)) & BT_SWAR_HIGH : 0;
        if (m) { /* the usual word: all of it, and its end, in one load */
            size_t n = bt_swar_first(m);
            h = ascii_word_hash(s + start, n, 8);
            i += n + 1; /* and the separator after it */
        } else {
            for (;;) { /* to the end of the word, eight bytes at a time */
                if (len - i < 8) {
                    while (i < len && is_alnum(s[i])) i++;
                    break;
                }
                uint64_t e = ~alnum_mask(bt_swar_load(s + i)) & BT_SWAR_HIGH;
                if (e) { i += bt_swar_first(e); break; }
                i += 8;
            }
            h = ascii_word_hash(s + start, i - start, len - start);
        }
        size_t k = (size_t)(h >> 7) & g->words_mask;
        while (t[k] && t[k] != h) k = (k + 1) & g->words_mask;
        t[k] = h;
    }
}

/* The hashes shares_anchor looks for: the caption's names and numbers
 * (capitalised words past the first, digits), and the words of each run of
 * names written together ("Hà Nội" / "Hanoi"). */
static void make_anchors(side *vi)
{
    const lex_tokens *vt = &vi->t;
    size_t cap = vt->n + 8; /* one per word and a few runs: seldom more */
    vi->anchors = bt_xmalloc(cap * sizeof *vi->anchors);
    vi->anchors_done = 1;
    for (size_t i = 1; i < vt->n; i++) {
        const lex_token *k = &vt->v[i];
        if ((!k->upper && !k->digit) || k->klen < 2) continue;
        vi->nwords_anchor++;
        size_t kl = lex_tok_len(vt, i);
        BT_GROW(vi->anchors, cap, vi->nanchors + 1);
        vi->anchors[vi->nanchors++] = ascii_word_hash((const unsigned char *)lex_tok(vt, i), kl, kl);
    }
    /* every stretch of two or more adjacent capitalised words */
    char joined[128];
    for (size_t i = 0; i + 1 < vt->n; i++) {
        size_t jl = 0;
        for (size_t j = i; j < vt->n; j++) {
            const lex_token *k = &vt->v[j];
            if (!k->upper || k->digit) break;
            if (j > i && !(k->start == vt->v[j - 1].end + 1 || k->start == vt->v[j - 1].start))
                break;
            size_t wl = lex_tok_len(vt, j);
            if (jl + wl > sizeof joined) break;
            memcpy(joined + jl, lex_tok(vt, j), wl);
            jl += wl;
            if (j == i) continue;
            BT_GROW(vi->anchors, cap, vi->nanchors + 1);
            vi->anchors[vi->nanchors++] =
                ascii_word_hash((const unsigned char *)joined, jl, sizeof joined);
        }
    }
}

/* Could the English segment give the Vietnamese side a name or a number,
 * as weigh() compares them? A cheap, generous test: one of the caption's
 * anchors is among the English words. English with letters other than
 * ASCII always passes, and so does a caption without names or numbers. */
static int shares_anchor(side *vi, segs *sg, seg *en)
{
    if (!en->words_done) make_words(sg, en);
    if (!en->words_mask) return 1;
    if (!vi->anchors_done) make_anchors(vi);
    for (size_t a = 0; a < vi->nanchors; a++)
        if (has_word(sg, en, vi->anchors[a])) return 1;
    return vi->nwords_anchor == 0;
}

static void side_free(side *sd)
{
    lex_tokens_free(&sd->t);
    if (!sd->block) free(sd->m); /* shrunk: the matches have their own */
    free(sd->block);
    free(sd->stem_block);
    free(sd->anchors);
}

/* The sides of an article's segments. Those the weighing has passed keep
 * only what the pairs ask of them afterwards (tokens and matches), and
 * only up to SIDES_KEPT bytes in all: beyond that, as in an article of
 * tens of thousands of captions, a passed side is dropped and made again
 * if its segment ends in a pair. Either way the result is the same. */
#define SIDES_KEPT ((size_t)32 << 20) /* bt_align_opts.kept_bytes default */

/* An article of the usual size keeps its sides whole: letting them go
 * would only cost time. */
#define SIDES_PASS_FROM 1024

typedef struct side_set {
    side **v;               /* per segment: its side, or NULL */
    unsigned char *dropped; /* per segment: its side was let go */
    int passing;            /* sides are let go once passed */
    size_t kept;            /* bytes held by passed sides */
    size_t budget;          /* and the most they may hold */
    size_t passed;          /* segments before this one are passed */
    side *free_list;        /* sides dropped, to be used again */
    side **blocks;          /* where sides come from, SIDE_BLOCK at a time */
    size_t nblocks, capblocks, used_in_block;
} side_set;

#define SIDE_BLOCK 32

/* A side to fill: one dropped before, or the next of a block. */
static side *side_alloc(side_set *ss)
{
    side *sd = ss->free_list;
    if (sd) {
        ss->free_list = sd->next_free;
        return sd;
    }
    if (!ss->nblocks || ss->used_in_block == SIDE_BLOCK) {
        BT_GROW(ss->blocks, ss->capblocks, ss->nblocks + 1);
        ss->blocks[ss->nblocks++] = bt_xmalloc(SIDE_BLOCK * sizeof **ss->blocks);
        ss->used_in_block = 0;
    }
    return &ss->blocks[ss->nblocks - 1][ss->used_in_block++];
}

static side *side_get(side_set *ss, const bt_lexicon *lex, bt_lang lang, const seg *g, size_t k)
{
    if (!ss->v[k]) {
        ss->v[k] = side_alloc(ss);
        side_init(ss->v[k], lex, lang, g);
    }
    return ss->v[k];
}

static void side_drop(side_set *ss, size_t k)
{
    side *sd = ss->v[k];
    if (!sd) return;
    side_free(sd);
    sd->next_free = ss->free_list;
    ss->free_list = sd;
    ss->v[k] = NULL;
}

static void side_set_free(side_set *ss)
{
    for (size_t b = 0; b < ss->nblocks; b++) free(ss->blocks[b]);
    free(ss->blocks);
    free(ss->v);
    free(ss->dropped);
}

static size_t side_kept_bytes(const side *sd)
{
    return sizeof *sd + sd->t.cap * sizeof *sd->t.v + sd->t.buf.cap + sd->nm * sizeof *sd->m;
}

/* Segment k will not be weighed again: keep its tokens and matches within
 * the budget, or drop it. */
static void side_pass(side_set *ss, size_t k)
{
    side *sd = ss->v[k];
    if (!sd || !sd->block) return;
    if (ss->kept + side_kept_bytes(sd) > ss->budget) {
        side_drop(ss, k);
        ss->dropped[k] = 1;
        return;
    }
    bt_title_match *m = bt_xmalloc((sd->nm ? sd->nm : 1) * sizeof *m);
    memcpy(m, sd->m, sd->nm * sizeof *m);
    free(sd->block);
    sd->block = NULL;
    sd->m = m;
    free(sd->stem_block);
    sd->stem_block = NULL;
    free(sd->anchors);
    sd->anchors = NULL;
    ss->kept += side_kept_bytes(sd);
}

/* Every segment before end is passed. */
static void sides_pass_to(side_set *ss, size_t end)
{
    if (!ss->passing) return;
    for (; ss->passed < end; ss->passed++) side_pass(ss, ss->passed);
}

/* The side of segment k (-1: none) for its pair: a dropped one is made
 * again, as far as the pairs need it (tokens and matches). NULL when the
 * segment was never weighed. */
static side *side_for_pair(side_set *ss, const bt_lexicon *lex, bt_lang lang, const char *text,
                           long k)
{
    if (k < 0) return NULL;
    if (!ss->dropped[k]) return ss->v[k];
    side *sd = side_alloc(ss);
    memset(sd, 0, sizeof *sd);
    lex_tokens_init(&sd->t);
    lex_tokenize(lex, lang, text, strlen(text), &sd->t);
    bt_title_match found[64];
    sd->nm = lex_find(lex, lang, &sd->t, found, 64);
    sd->capped = sd->nm > 64;
    if (sd->nm > 64) sd->nm = 64;
    sd->m = bt_xmalloc((sd->nm ? sd->nm : 1) * sizeof *sd->m);
    memcpy(sd->m, found, sd->nm * sizeof *sd->m);
    ss->v[k] = sd;
    ss->dropped[k] = 0;
    return sd;
}

/* Does the English side hold the word sequence w[0..n) (folded), as words
 * or written together ("Hà Nội" / "Hanoi")? */
static int en_has_words(const side *en, const lex_tokens *vt, size_t from, size_t n)
{
    bt_buf joined;
    bt_buf_init(&joined);
    for (size_t k = 0; k < n; k++) bt_buf_add(&joined, lex_tok(vt, from + k), lex_tok_len(vt, from + k));
    uint64_t jh = lex_word_hash(joined.ptr, joined.len);
    int found = 0;
    for (size_t i = 0; i < en->t.n && !found; i++) {
        if (en->t.v[i].hash == jh && !strcmp(lex_tok(&en->t, i), joined.ptr)) found = 1;
        size_t k = 0;
        while (k < n && i + k < en->t.n && lex_same_word(&en->t, i + k, vt, from + k)) k++;
        if (k == n) found = 1;
    }
    bt_buf_free(&joined);
    return found;
}

/* Does the English side hold one of the stems of the caption word at
 * Vietnamese token i? A stem with spaces matches consecutive words, the
 * last of them by its beginning. */
static int en_has_stem(const side *en, const side *vi, size_t i)
{
    size_t a = vi->stem_at[i];
    if (a == (size_t)-1) return 0;
    for (;; a++) {
        const stem_alt *al = &vi->alts[a];
        /* where the stem's first word can start: tokens with its first
         * letter (every token when that word is empty) */
        size_t from = 0, to = en->t.n;
        int all = al->n == 0 || vi->stems[al->first].len == 0;
        if (!all) {
            size_t b = bucket(vi->stems[al->first].p[0]);
            from = en->bstart[b];
            to = en->bstart[b + 1];
        }
        for (size_t y = from; y < to; y++) {
            size_t s = all ? y : en->by_first[y];
            size_t k = s;
            int ok = 1;
            for (size_t x = 0; x < al->n && ok; x++, k++) {
                const stem_word *sw = &vi->stems[al->first + x];
                if (k >= en->t.n) { ok = 0; break; }
                size_t wl = lex_tok_len(&en->t, k);
                const char *tw = lex_tok(&en->t, k);
                ok = (sw->exact ? wl == sw->len : wl >= sw->len) &&
                     (sw->len == 0 || tw[0] == sw->p[0]) && !memcmp(tw, sw->p, sw->len);
            }
            if (ok) return 1;
        }
        if (al->last) break;
    }
    return 0;
}

typedef struct evidence {
    int names, names_hit, en_names_extra;
    int vi_titles, en_titles, titles_hit, vi_titles_extra, en_titles_extra;
    int nums, nums_hit;
    int words, words_hit;
    int en_words, en_words_hit;
    double ratio;     /* English chars / expected */
    double length_fit;
    double anchor;    /* 0..1 */
} evidence;

/* Expected English/Vietnamese length ratio of news captions, in characters
 * (Vietnamese syllables are short words; English titles run longer). */
#define EN_VI_RATIO 1.12
#define RATIO_SIGMA 0.33

static void weigh(const bt_lexicon *lex, side *vi, side *en, evidence *ev)
{
    memset(ev, 0, sizeof *ev);
    const lex_tokens *vt = &vi->t;
    /* caption words first, so that "Hội nghị" or "Đồn Biên phòng" written
     * with capitals are not taken for names */
    unsigned char used_stack[512], hit_stack[64];
    unsigned char *en_used = en->t.n < sizeof used_stack ? used_stack : bt_xmalloc(en->t.n + 1);
    memset(en_used, 0, en->t.n + 1);
    for (size_t i = 0; i < vt->n;) {
        if (vi->role[i] || vt->v[i].digit) { i++; continue; }
        size_t n = vi->dict_n[i];
        if (!n || i + n > vt->n) { i++; continue; }
        int upper_run = vt->v[i].upper;
        if (n == 1 && upper_run && i > 0) { i++; continue; } /* maybe a name */
        for (size_t k = 0; k < n; k++) vi->role[i + k] = 3;
        if (!vi->dict_fn[i]) {
            ev->words += (int)n;
            if (en_has_stem(en, vi, i)) ev->words_hit += (int)n;
        }
        i += n;
    }
    /* names: runs of capitalised words outside titles and caption words */
    for (size_t i = 0; i < vt->n;) {
        if (vi->role[i] || !vt->v[i].upper || vt->v[i].digit) { i++; continue; }
        size_t j = i + 1;
        while (j < vt->n && !vi->role[j] && vt->v[j].upper && !vt->v[j].digit &&
               (vt->v[j].start == vt->v[j - 1].end + 1 || vt->v[j].start == vt->v[j - 1].start))
            j++;
        size_t from = i;
        /* a capital at the start of the sentence may be an ordinary word */
        if (vt->v[i].start == 0 && !lex_tok_surname(vt, i)) from++;
        if (from < j) {
            ev->names++;
            if (en_has_words(en, vt, from, j - from)) ev->names_hit++;
        }
        for (size_t k = i; k < j; k++) vi->role[k] = 2;
        i = j;
    }
    /* English names that the Vietnamese does not have */
    for (size_t i = 0; i < en->t.n;) {
        if (!en->t.v[i].upper || !(en->en_flags[i] & EN_SURNAME)) { i++; continue; }
        size_t j = i + 1;
        while (j < en->t.n && en->t.v[j].upper && (en->en_flags[j] & EN_SYLLABLE)) j++;
        if (j - i >= 2) {
            bt_buf want;
            bt_buf_init(&want);
            int hit = 0;
            for (size_t v = 0; v + (j - i) <= vt->n && !hit; v++) {
                size_t k = 0;
                while (k < j - i && lex_same_word(vt, v + k, &en->t, i + k)) k++;
                hit = k == j - i;
            }
            bt_buf_free(&want);
            if (!hit) ev->en_names_extra++;
            for (size_t k = i; k < j; k++) en_used[k] = 1;
        }
        i = j;
    }
    /* titles and bodies */
    unsigned char *en_title_hit = en->nm < sizeof hit_stack ? hit_stack : bt_xmalloc(en->nm + 1);
    memset(en_title_hit, 0, en->nm + 1);
    for (size_t a = 0; a < vi->nm; a++) {
        if (vi->m[a].kind == BT_TERM_PLACE) continue;
        ev->vi_titles++;
        int hit = 0;
        for (size_t b = 0; b < en->nm && !hit; b++)
            if (!en_title_hit[b] && bt_lexicon_same(lex, vi->m[a].concept, en->m[b].concept)) {
                en_title_hit[b] = 1;
                hit = 1;
            }
        ev->titles_hit += hit;
        ev->vi_titles_extra += !hit;
    }
    for (size_t b = 0; b < en->nm; b++) {
        if (en->m[b].kind == BT_TERM_PLACE) continue;
        ev->en_titles++;
        ev->en_titles_extra += !en_title_hit[b];
    }
    if (en_title_hit != hit_stack) free(en_title_hit);
    /* numbers */
    for (size_t i = 0; i < vt->n; i++) {
        if (!vt->v[i].digit) continue;
        ev->nums++;
        for (size_t k = 0; k < en->t.n; k++)
            if (en->t.v[k].digit && lex_same_word(&en->t, k, vt, i)) {
                ev->nums_hit++;
                break;
            }
    }
    /* how much of the English is explained by the Vietnamese: its words
     * outside titles and names, against every caption word the Vietnamese
     * has (hit or not) */
    for (size_t k = 0; k < en->t.n; k++) {
        /* role 1: inside a title or body (set once by side_init) */
        if (en->role[k] == 1 || en_used[k] || en->t.v[k].upper) continue;
        if ((en->en_flags[k] & EN_STOP) || en->t.v[k].digit) continue;
        ev->en_words++;
        /* does this word begin with one of the caption words' stems? */
        const char *w = lex_tok(&en->t, k);
        size_t wl = lex_tok_len(&en->t, k);
        size_t b = bucket(w[0]);
        for (size_t x = vi->pstart[b]; x < vi->pstart[b + 1]; x++)
            if (wl >= vi->prefixes[x].len && w[0] == vi->prefixes[x].p[0] &&
                !memcmp(w, vi->prefixes[x].p, vi->prefixes[x].len)) {
                ev->en_words_hit++;
                break;
            }
    }
    if (en_used != used_stack) free(en_used);

    double expect = EN_VI_RATIO * (double)(vi->chars ? vi->chars : 1);
    ev->ratio = (double)en->chars / expect;
    double lr = log(ev->ratio > 0 ? ev->ratio : 1e-6);
    /* the spread of the ratio shrinks with length, as in Gale-Church,
     * where the variance of a length grows with it */
    double sigma = RATIO_SIGMA + 2.0 / sqrt((double)(vi->chars ? vi->chars : 1));
    ev->length_fit = exp(-(lr * lr) / (2 * sigma * sigma));

    /* anchor: weighted mean of the kinds of evidence present */
    double sum = 0, w = 0;
    if (ev->names) { sum += 2.0 * ev->names_hit / ev->names; w += 2.0; }
    if (ev->vi_titles + ev->en_titles) {
        sum += 2.0 * (2.0 * ev->titles_hit / (ev->vi_titles + ev->en_titles));
        w += 2.0;
    }
    if (ev->nums) { sum += 1.0 * ev->nums_hit / ev->nums; w += 1.0; }
    if (ev->words) { sum += 1.5 * ev->words_hit / ev->words; w += 1.5; }
    ev->anchor = w > 0 ? sum / w : 0;
}

/* Status and score of a scored pair; see docs/translators.md. */
static bt_pair_status classify(const evidence *ev, double *score)
{
    double s = ev->anchor * (0.35 + 0.65 * ev->length_fit);
    int conflict = ev->vi_titles_extra > 0 && ev->en_titles_extra > 0 &&
                   (ev->names_hit > 0 || ev->titles_hit > 0);
    int en_more = ev->ratio > 1.8 ||
                  (ev->ratio > 1.4 && (ev->en_names_extra > 0 || ev->en_titles_extra > 0));
    int vi_more = ev->ratio < 0.5;
    /* the same people, but the caption words of either side are not in
     * the other: a caption written for another photo */
    int says_else = ev->words >= 3 && ev->words_hit * 3 < ev->words &&
                    ev->en_words >= 3 && ev->en_words_hit * 5 < ev->en_words &&
                    ev->titles_hit == 0;
    bt_pair_status st;
    if (conflict) {
        st = BT_PAIR_MISMATCH;
        if (s > 0.3) s = 0.3;
    } else if (ev->anchor < 0.3 || says_else) {
        st = BT_PAIR_MISMATCH;
        if (s > 0.3) s = 0.3;
    } else if (en_more || vi_more) {
        st = BT_PAIR_PARTIAL;
        /* the pair is right, the memory unit would not be */
        s = 0.3 + 0.3 * ev->anchor * (ev->length_fit > 0.2 ? 1 : ev->length_fit / 0.2);
        if (s > 0.6) s = 0.6;
    } else if (s >= 0.45) {
        st = BT_PAIR_ACCEPTED;
    } else {
        st = BT_PAIR_MISMATCH;
    }
    *score = s < 0 ? 0 : s > 1 ? 1 : s;
    return st;
}

/* ---- assembling the result ---- */

typedef struct cand {
    size_t v, e;     /* indices into segs */
    double rank;     /* pairing preference */
    double score;
    bt_pair_status status;
} cand;

static int cmp_cand(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->rank != y->rank) return x->rank < y->rank ? 1 : -1;
    if (x->v != y->v) return x->v < y->v ? -1 : 1;
    return x->e < y->e ? -1 : x->e > y->e;
}

/* Where each pair came from, parallel to the result's pairs: segment
 * indices (-1 for a missing side), so their sides can be reused. */
typedef struct pair_src {
    long *v, *e;
    size_t cap;
} pair_src;

static void push_pair(bt_align_result *r, size_t *cap, const bt_doc *doc, seg *v,
                      seg *e, double score, bt_pair_status st, int credit,
                      pair_src *src, long vi_seg, long en_seg)
{
    if (r->npairs + 1 > src->cap) {
        src->cap = (r->npairs + 1) * 2;
        src->v = bt_xrealloc(src->v, src->cap * sizeof *src->v);
        src->e = bt_xrealloc(src->e, src->cap * sizeof *src->e);
    }
    src->v[r->npairs] = vi_seg;
    src->e[r->npairs] = en_seg;
    BT_GROW(r->pairs, *cap, r->npairs + 1);
    bt_pair *p = &r->pairs[r->npairs++];
    memset(p, 0, sizeof *p);
    /* a segment goes into one pair at most: the pair takes its text */
    if (v) {
        p->vi = v->borrowed ? bt_xstrndup(v->text, v->len) : v->text;
        v->given = 1;
        p->vi_line = doc->lines[v->line].lineno;
    }
    if (e) {
        p->en = e->borrowed ? bt_xstrndup(e->text, e->len) : e->text;
        e->given = 1;
        p->en_line = doc->lines[e->line].lineno;
    }
    p->score = score;
    p->status = st;
    p->is_credit = credit;
}

static int cmp_pair_pos(const void *a, const void *b);
static int cmp_perm(const void *a, const void *b, void *pairs)
{
    const bt_pair *p = pairs;
    return cmp_pair_pos(&p[*(const size_t *)a], &p[*(const size_t *)b]);
}

static int cmp_pair_pos(const void *a, const void *b)
{
    const bt_pair *x = a, *y = b;
    unsigned long xa = x->vi_line ? x->vi_line : x->en_line;
    unsigned long ya = y->vi_line ? y->vi_line : y->en_line;
    if (xa != ya) return xa < ya ? -1 : 1;
    /* content before its credit, otherwise stable by English line */
    if (x->is_credit != y->is_credit) return x->is_credit - y->is_credit;
    return (x->en_line > y->en_line) - (x->en_line < y->en_line);
}

static void add_term(bt_align_result *r, size_t *cap, const char *vi, const char *en,
                     bt_term_kind kind, unsigned long vl, unsigned long el)
{
    BT_GROW(r->terms, *cap, r->nterms + 1);
    bt_term *t = &r->terms[r->nterms++];
    t->vi = bt_segment_clean(vi, strlen(vi));
    t->en = bt_segment_clean(en, strlen(en));
    t->kind = kind;
    t->vi_line = vl;
    t->en_line = el;
}

static void add_mentions(bt_align_result *r, size_t *cap, const bt_people *pp,
                         bt_lang lang, unsigned long line, long pair)
{
    for (size_t i = 0; i < pp->n; i++)
        for (size_t j = 0; j < pp->v[i].ntitles; j++) {
            BT_GROW(r->mentions, *cap, r->nmentions + 1);
            bt_mention *m = &r->mentions[r->nmentions++];
            /* the three strings in one block, freed through person */
            size_t a = strlen(pp->v[i].name) + 1, b = strlen(pp->v[i].name_key) + 1,
                   c = strlen(pp->v[i].titles[j]) + 1;
            char *block = bt_xmalloc(a + b + c);
            m->person = memcpy(block, pp->v[i].name, a);
            m->person_key = memcpy(block + a, pp->v[i].name_key, b);
            m->title = memcpy(block + a + b, pp->v[i].titles[j], c);
            m->concept = pp->v[i].concepts[j];
            m->lang = lang;
            m->line = line;
            m->pair = pair;
        }
}

/* Glossary terms of a pair: for each person named on both sides, titles
 * paired element by element where the lexicon agrees; bodies and places
 * named on both sides. */
static void pair_terms(const bt_lexicon *lex, bt_align_result *r, size_t *tcap,
                       const bt_pair *p, const bt_people *vp, const bt_people *ep,
                       const side *vs, const side *es, int titles_only_prefix)
{
    for (size_t i = 0; i < vp->n; i++) {
        const bt_person *a = &vp->v[i];
        for (size_t j = 0; j < ep->n; j++) {
            const bt_person *b = &ep->v[j];
            if (strcmp(a->name_key, b->name_key) != 0) continue;
            add_term(r, tcap, a->name, b->name, BT_TERM_NAME, p->vi_line, p->en_line);
            /* chains of the same length whose known elements agree place
             * by place: the unknown elements pair by their place too */
            if (a->nchain && a->nchain == b->nchain) {
                int agree = 1, known = 0;
                for (size_t k = 0; k < a->nchain; k++) {
                    int ca = a->chain_concepts[k], cb = b->chain_concepts[k];
                    if (ca >= 0 && cb >= 0) {
                        known++;
                        if (!bt_lexicon_same(lex, ca, cb)) agree = 0;
                    } else if ((ca >= 0) != (cb >= 0)) {
                        agree = 0; /* known on one side only: other words */
                    }
                }
                if (agree && known)
                    for (size_t k = 0; k < a->nchain; k++)
                        if (a->chain_concepts[k] < 0)
                            add_term(r, tcap, a->chain[k], b->chain[k], BT_TERM_TITLE,
                                     p->vi_line, p->en_line);
            }
            unsigned char used[64] = { 0 };
            for (size_t x = 0; x < a->ntitles; x++)
                for (size_t y = 0; y < b->ntitles && y < 64; y++) {
                    if (used[y] || !bt_lexicon_same(lex, a->concepts[x], b->concepts[y])) continue;
                    used[y] = 1;
                    add_term(r, tcap, a->titles[x], b->titles[y], BT_TERM_TITLE,
                             p->vi_line, p->en_line);
                    break;
                }
            break;
        }
    }
    if (titles_only_prefix) return;
    enum { M = 64 };
    bt_title_match vbuf[M], ebuf[M];
    const bt_title_match *vm = vbuf, *em = ebuf;
    size_t nv, ne;
    if (vs) { vm = vs->m; nv = vs->nm; }
    else nv = bt_lexicon_find(lex, BT_LANG_VI, p->vi, strlen(p->vi), vbuf, M);
    if (es) { em = es->m; ne = es->nm; }
    else ne = bt_lexicon_find(lex, BT_LANG_EN, p->en, strlen(p->en), ebuf, M);
    if (nv > M) nv = M;
    if (ne > M) ne = M;
    unsigned char used[M] = { 0 };
    for (size_t x = 0; x < nv; x++) {
        if (vm[x].kind != BT_TERM_BODY && vm[x].kind != BT_TERM_PLACE) continue;
        for (size_t y = 0; y < ne; y++) {
            if (used[y] || vm[x].concept != em[y].concept) continue;
            used[y] = 1;
            char *a = bt_xstrndup(p->vi + vm[x].start, vm[x].end - vm[x].start);
            char *b = bt_xstrndup(p->en + em[y].start, em[y].end - em[y].start);
            add_term(r, tcap, a, b, vm[x].kind, p->vi_line, p->en_line);
            free(a);
            free(b);
            break;
        }
    }
}

/* Segments are in line order: the first and one past the last segment
 * whose line rank lies in [lo, hi]. Keeps the work per caption bounded by
 * the window, not by the size of the article. */
static void seg_range(const segs *sg, const size_t *ord, size_t at, long lo, long hi,
                      size_t *from, size_t *to)
{
    size_t a = at, b = at;
    while (a > 0 && (long)ord[sg->v[a - 1].line] >= lo) a--;
    while (b < sg->n && (long)ord[sg->v[b].line] <= hi) b++;
    *from = a;
    *to = b;
}

int bt_align_doc(const bt_lexicon *lex, const bt_doc *doc, const bt_align_opts *opts,
                 bt_align_result *out)
{
    memset(out, 0, sizeof *out);
    if (!lex) lex = bt_lexicon_default();
    int window = opts && opts->window > 0 ? opts->window : 4;

    /* non-blank lines, in order, and the segments of each */
    segs sg = { 0 };
    bt_buf_init(&sg.key);
    bt_buf_init(&sg.scratch);
    /* lines wrapped by hand are read as the one line they were */
    logical_lines lt;
    logical_init(&lt, doc);
    size_t *ord = bt_xmalloc((doc->nlines + 1) * sizeof *ord); /* line -> rank */
    size_t rank = 0;
    for (size_t i = 0; i < doc->nlines; i++) {
        if (lt.cont[i]) { /* the rank of the line it continues */
            ord[i] = rank - 1;
            continue;
        }
        ord[i] = rank;
        if (doc->lines[i].lang != BT_LANG_BLANK) rank++;
    }
    /* English lines matter only near a Vietnamese line, or when they end
     * with a photo credit (an English-only caption); the body text of an
     * article needs no work */
    unsigned char *near_vi = bt_xcalloc(rank + 1, 1);
    for (size_t i = 0; i < doc->nlines; i++) {
        if (doc->lines[i].lang != BT_LANG_VI || lt.cont[i]) continue;
        size_t lo = ord[i] >= 2 ? ord[i] - 2 : 0, hi = ord[i] + (size_t)window;
        for (size_t k = lo; k <= hi && k <= rank; k++) near_vi[k] = 1;
    }
    size_t prev_en = (size_t)-1; /* the last English line not segmented */
    for (size_t i = 0; i < doc->nlines; i++) {
        const bt_line *l = &doc->lines[i];
        if (l->lang == BT_LANG_BLANK || lt.cont[i]) continue;
        /* whether an English line holds a credit matters where it is far
         * from Vietnamese, and after a line left out */
        int near = l->lang == BT_LANG_EN && near_vi[ord[i]];
        int credit = l->lang == BT_LANG_EN && !near && maybe_credit(lt.text[i], lt.len[i]);
        if (l->lang == BT_LANG_VI || near || credit) {
            /* a credit on a line of its own closes the caption above it */
            if (prev_en != (size_t)-1 && ord[prev_en] + 1 == ord[i] &&
                (credit || (near && maybe_credit(lt.text[i], lt.len[i]))))
                line_segments(&sg, lt.text[prev_en], lt.len[prev_en], BT_LANG_EN, prev_en);
            line_segments(&sg, lt.text[i], lt.len[i], l->lang, i);
            prev_en = (size_t)-1;
        } else {
            prev_en = l->lang == BT_LANG_EN ? i : (size_t)-1;
        }
    }
    free(near_vi);

    /* score every Vietnamese content segment against the English near it */
    cand *cv = NULL;
    size_t nc = 0, ccap = 0;
    side_set ss = { 0 };
    ss.v = bt_xcalloc(sg.n + 1, sizeof *ss.v);
    ss.dropped = bt_xcalloc(sg.n + 1, 1);
    ss.passing = sg.n >= SIDES_PASS_FROM;
    ss.budget = opts && opts->kept_bytes ? opts->kept_bytes : SIDES_KEPT;
    for (size_t v = 0; v < sg.n; v++) {
        if (sg.v[v].lang != BT_LANG_VI || sg.v[v].credit) continue;
        long rv = (long)ord[sg.v[v].line];
        size_t e_from, e_to;
        seg_range(&sg, ord, v, rv - 2, rv + window, &e_from, &e_to);
        /* no caption after this one looks further back */
        sides_pass_to(&ss, e_from);
        sg.passed = e_from;
        side *vside = NULL;
        for (size_t e = e_from; e < e_to; e++) {
            if (sg.v[e].lang != BT_LANG_EN || sg.v[e].credit) continue;
            long d = (long)ord[sg.v[e].line] - rv;
            if (d < -2 || d > window) continue;
            /* a paragraph many times longer than any translation of the
             * caption is body text: not worth weighing */
            if (!sg.v[e].has_credit_after &&
                (double)sg.v[e].chars > 6.0 * EN_VI_RATIO * (double)sg.v[v].chars)
                continue;
            if (!vside) vside = side_get(&ss, lex, BT_LANG_VI, &sg.v[v], v);
            /* beyond the next line, an English line that shares no name or
             * number with the caption is not worth weighing */
            if (d != 1 && !ss.v[e]) {
                if (!shares_anchor(vside, &sg, &sg.v[e])) continue;
            }
            side *eside = side_get(&ss, lex, BT_LANG_EN, &sg.v[e], e);
            /* fresh roles for each comparison */
            memcpy(vside->role, vside->role0, vside->t.n + 1);
            evidence ev;
            weigh(lex, vside, eside, &ev);
            double score;
            bt_pair_status st = classify(&ev, &score);
            /* no shared evidence at all: only the very next line, when it
             * reads like a caption, is this caption's counterpart */
            int next_caption = d == 1 && (sg.v[e].has_credit_after || ev.ratio < 2.5);
            if (ev.anchor < 0.05 && !next_caption) continue;
            /* a paragraph many times longer that shares no name or title
             * is body text, not this caption's English */
            if (ev.ratio > 3.0 && ev.names_hit + ev.titles_hit == 0 && !sg.v[e].has_credit_after)
                continue;
            BT_GROW(cv, ccap, nc + 1);
            cand *c = &cv[nc++];
            c->v = v;
            c->e = e;
            c->score = score;
            c->status = st;
            /* prefer strong evidence, then the line right after */
            c->rank = ev.anchor * (0.6 + 0.4 * ev.length_fit) *
                      (d == 1 ? 1.0 : d > 0 ? 0.92 : 0.85) + (d == 1 ? 0.01 : 0);
        }
    }
    sides_pass_to(&ss, sg.n);
    if (nc) qsort(cv, nc, sizeof *cv, cmp_cand);

    size_t pcap = 0, tcap = 0, mcap = 0, lmcap = 0;
    pair_src src = { NULL, NULL, 0 };
    for (size_t i = 0; i < nc; i++) {
        cand *c = &cv[i];
        if (sg.v[c->v].used || sg.v[c->e].used) continue;
        sg.v[c->v].used = sg.v[c->e].used = 1;
        push_pair(out, &pcap, doc, &sg.v[c->v], &sg.v[c->e], c->score, c->status, 0, &src,
                  (long)c->v, (long)c->e);
        /* remember which English line the Vietnamese line went to, for
         * its credit */
        out->pairs[out->npairs - 1].is_credit = 0;
    }

    /* credits: a Vietnamese credit goes with the English credit of a line
     * its caption was paired with, or the nearest English credit after */
    for (size_t v = 0; v < sg.n; v++) {
        seg *cr = &sg.v[v];
        if (cr->lang != BT_LANG_VI || !cr->credit) continue;
        long best = -1;
        long rv = (long)ord[cr->line];
        size_t e_from, e_to;
        seg_range(&sg, ord, v, rv - 2, rv + window, &e_from, &e_to);
        for (size_t e = e_from; e < e_to; e++) {
            seg *ce = &sg.v[e];
            if (ce->lang != BT_LANG_EN || !ce->credit || ce->used) continue;
            long d = (long)ord[ce->line] - rv;
            if (d < -2 || d > window) continue;
            int same = ce->credit == cr->credit &&
                       (cr->credit != CREDIT_NAMED ||
                        (cr->credit_key && ce->credit_key &&
                         !strcmp(cr->credit_key, ce->credit_key)));
            if (!same) continue;
            if (best < 0 || labs(d - 1) < labs((long)ord[sg.v[best].line] - rv - 1)) best = (long)e;
        }
        if (best >= 0) {
            sg.v[best].used = cr->used = 1;
            push_pair(out, &pcap, doc, cr, &sg.v[best], 1.0, BT_PAIR_ACCEPTED, 1, &src, -1, -1);
        }
    }

    /* what is left: Vietnamese without a counterpart, and English captions
     * (lines that end with a credit) without a Vietnamese original */
    for (size_t v = 0; v < sg.n; v++) {
        seg *s = &sg.v[v];
        if (s->used) continue;
        if (s->lang == BT_LANG_VI)
            push_pair(out, &pcap, doc, s, NULL, 0, BT_PAIR_UNPAIRED, s->credit != 0, &src,
                      (long)v, -1);
        else if (s->credit || s->has_credit_after)
            push_pair(out, &pcap, doc, NULL, s, 0, BT_PAIR_UNPAIRED, s->credit != 0, &src,
                      -1, (long)v);
    }
    if (out->npairs) {
        /* sort pairs and their sources together */
        size_t *perm = bt_xmalloc(out->npairs * sizeof *perm);
        for (size_t i = 0; i < out->npairs; i++) perm[i] = i;
        qsort_r(perm, out->npairs, sizeof *perm, cmp_perm, out->pairs);
        bt_pair *np = bt_xmalloc(out->npairs * sizeof *np);
        long *nv = bt_xmalloc(out->npairs * sizeof *nv), *ne = bt_xmalloc(out->npairs * sizeof *ne);
        for (size_t i = 0; i < out->npairs; i++) {
            np[i] = out->pairs[perm[i]];
            nv[i] = src.v[perm[i]];
            ne[i] = src.e[perm[i]];
        }
        free(out->pairs);
        free(src.v);
        free(src.e);
        out->pairs = np;
        src.v = nv;
        src.e = ne;
        pcap = out->npairs;
        free(perm);
    }

    /* glossary terms and title mentions */
    unsigned char *en_line_paired = bt_xcalloc(doc->nlines + 1, 1);
    for (size_t i = 0; i < out->npairs; i++) {
        bt_pair *p = &out->pairs[i];
        if (p->is_credit) {
            /* the check reads a credit's Vietnamese too */
            if (p->vi && p->en && opts && opts->line_matches) {
                bt_title_match m[64];
                size_t nm = bt_lexicon_find(lex, BT_LANG_VI, p->vi, strlen(p->vi), m, 64);
                p->vi_matches = bt_xmalloc((nm ? nm : 1) * sizeof *p->vi_matches);
                if (nm > 64) bt_lexicon_find(lex, BT_LANG_VI, p->vi, strlen(p->vi), p->vi_matches, nm);
                else memcpy(p->vi_matches, m, nm * sizeof *m);
                p->vi_nmatches = nm;
            }
            continue;
        }
        bt_people vp = { 0 }, ep = { 0 };
        const side *vs = side_for_pair(&ss, lex, BT_LANG_VI, p->vi, src.v[i]);
        const side *es = side_for_pair(&ss, lex, BT_LANG_EN, p->en, src.e[i]);
        /* people serve the mentions, and the terms of pairs that are
         * translations (accepted, or partial for their prefix) */
        int people = !(opts && opts->no_mentions) || p->status == BT_PAIR_ACCEPTED ||
                     p->status == BT_PAIR_PARTIAL;
        if (people && p->vi && vs)
            lex_people(lex, BT_LANG_VI, p->vi, strlen(p->vi), &vs->t, vs->m, vs->nm, &vp);
        else if (people && p->vi)
            bt_people_parse(lex, BT_LANG_VI, p->vi, strlen(p->vi), &vp);
        if (people && p->en && es)
            lex_people(lex, BT_LANG_EN, p->en, strlen(p->en), &es->t, es->m, es->nm, &ep);
        else if (people && p->en)
            bt_people_parse(lex, BT_LANG_EN, p->en, strlen(p->en), &ep);
        if (p->vi && p->en && vs && !vs->capped && opts && opts->line_matches) {
            p->vi_matches = bt_xmalloc((vs->nm ? vs->nm : 1) * sizeof *p->vi_matches);
            memcpy(p->vi_matches, vs->m, vs->nm * sizeof *vs->m);
            p->vi_nmatches = vs->nm;
        }
        if (p->vi && !(opts && opts->no_mentions))
            add_mentions(out, &mcap, &vp, BT_LANG_VI, p->vi_line, (long)i);
        if (p->en && !(opts && opts->no_mentions))
            add_mentions(out, &mcap, &ep, BT_LANG_EN, p->en_line, (long)i);
        if (p->status == BT_PAIR_ACCEPTED) pair_terms(lex, out, &tcap, p, &vp, &ep, vs, es, 0);
        else if (p->status == BT_PAIR_PARTIAL) pair_terms(lex, out, &tcap, p, &vp, &ep, vs, es, 1);
        bt_people_free(&vp);
        bt_people_free(&ep);
        /* a segment is in one pair at most: its side is done with */
        if (src.v[i] >= 0) side_drop(&ss, (size_t)src.v[i]);
        if (src.e[i] >= 0) side_drop(&ss, (size_t)src.e[i]);
    }
    for (size_t i = 0; i < out->npairs; i++)
        if (out->pairs[i].en_line) {
            size_t l = bt_doc_line_index(doc, out->pairs[i].en_line);
            if (l != (size_t)-1) en_line_paired[l] = 1;
        }
    for (size_t l = 1; l < doc->nlines; l++) /* and the lines wrapped from it */
        if (lt.cont[l] && en_line_paired[l - 1]) en_line_paired[l] = 1;
    /* English body text: titles given to people there too; and with
     * line_matches, the matches of every line for the check */
    lex_tokens bt;
    lex_tokens_init(&bt);
    int mentions = !(opts && opts->no_mentions), keep = opts && opts->line_matches;
    for (size_t l = 0; l < doc->nlines && (mentions || keep); l++) {
        const bt_line *ln = &doc->lines[l];
        int people = mentions && ln->lang == BT_LANG_EN && !en_line_paired[l];
        bt_lang search = ln->lang == BT_LANG_VI ? BT_LANG_VI
                         : ln->lang == BT_LANG_EN || ln->lang == BT_LANG_NAME ? BT_LANG_EN
                                                                               : BT_LANG_BLANK;
        if (!people && !(keep && search != BT_LANG_BLANK)) continue;
        bt_people ep = { 0 };
        if (keep) {
            /* as bt_people_parse, keeping every match of the line */
            lex_tokenize(lex, search, ln->text, ln->len, &bt);
            bt_title_match m[64];
            size_t nm = lex_find(lex, search, &bt, m, 64);
            BT_GROW(out->line_matches, lmcap, out->nline_matches + 1);
            bt_line_matches *lm = &out->line_matches[out->nline_matches++];
            lm->line = l;
            lm->lang = search;
            lm->n = nm;
            lm->m = NULL;
            if (nm) {
                lm->m = bt_xmalloc(nm * sizeof *lm->m);
                if (nm > 64) lex_find(lex, search, &bt, lm->m, nm);
                else memcpy(lm->m, m, nm * sizeof *m);
            }
            /* no title in the line, no one given one */
            int titles = 0;
            for (size_t k = 0; k < nm && k < 64; k++) titles |= m[k].kind == BT_TERM_TITLE;
            if (people && titles)
                lex_people(lex, BT_LANG_EN, ln->text, ln->len, &bt, lm->m, nm > 64 ? 64 : nm, &ep);
        } else {
            bt_people_parse(lex, BT_LANG_EN, ln->text, ln->len, &ep);
        }
        if (people) add_mentions(out, &mcap, &ep, BT_LANG_EN, ln->lineno, -1);
        bt_people_free(&ep);
    }
    lex_tokens_free(&bt);
    free(en_line_paired);
    logical_free(&lt, doc);
    free(src.v);
    free(src.e);

    for (size_t i = 0; i < sg.n; i++) {
        side_drop(&ss, i);
        if (!sg.v[i].given && !sg.v[i].borrowed) free(sg.v[i].text);
        free(sg.v[i].credit_key);
    }
    side_set_free(&ss);
    free(sg.v);
    free(sg.words);
    bt_buf_free(&sg.key);
    bt_buf_free(&sg.scratch);
    free(cv);
    free(ord);
    return BT_OK;
}

void bt_align_result_free(bt_align_result *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->npairs; i++) {
        free(r->pairs[i].vi);
        free(r->pairs[i].en);
        free(r->pairs[i].vi_matches);
    }
    for (size_t i = 0; i < r->nterms; i++) {
        free(r->terms[i].vi);
        free(r->terms[i].en);
    }
    for (size_t i = 0; i < r->nmentions; i++) free(r->mentions[i].person); /* one block */
    for (size_t i = 0; i < r->nline_matches; i++) free(r->line_matches[i].m);
    free(r->pairs);
    free(r->terms);
    free(r->mentions);
    free(r->line_matches);
    memset(r, 0, sizeof *r);
}
