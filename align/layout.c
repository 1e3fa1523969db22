/* layout.c - what a page's lines are besides captions and body text:
 * bullets and dashes that open a line, and the page's furniture (dates and
 * times, bylines, section labels such as "Latest News"), which is never a
 * caption, never part of one and never a caption's English. */
#include "caption_int.h"
#include "../base/utf8_fast.h"

#include <stdlib.h>
#include <string.h>

size_t cap_bullet_len(const char *t, size_t n)
{
    /* "• " (E2 80 A2), "– " (E2 80 93), "— " (E2 80 94), "- ", "* ", after
     * any indent ("  • " opens the items of many pages' lists) */
    size_t in = 0;
    while (in < n && (t[in] == ' ' || t[in] == '\t')) in++;
    t += in, n -= in;
    size_t b = 0;
    if (n >= 2 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && t[1] == ' ') b = 1;
    else if (n >= 4 && (unsigned char)t[0] == 0xE2 && (unsigned char)t[1] == 0x80 &&
             ((unsigned char)t[2] == 0xA2 || (unsigned char)t[2] == 0x93 ||
              (unsigned char)t[2] == 0x94) &&
             t[3] == ' ')
        b = 3;
    if (!b) return 0;
    while (b < n && (t[b] == ' ' || t[b] == '\t')) b++;
    return b < n ? in + b : 0;
}

/* Words that make up dates and times, folded: months, days, the words
 * around them, in strcmp's order (in_list bisects). Numbers
 * ("08/06/2025", "10:15", "GMT+7") go apart. */
static const char *const date_words[] = {
    "am", "apr", "april", "aug", "august", "ba", "bay", "cap", "chu", "dang", "dec",
    "december", "feb", "february", "fri", "friday", "gio", "gmt", "hai", "jan", "january",
    "jul", "july", "jun", "june", "luc", "mar", "march", "may", "mon", "monday", "nam", "ngay",
    "nhat", "nov", "november", "oct", "october", "pm", "posted", "published", "sat",
    "saturday", "sau", "sep", "sept", "september", "sun", "sunday", "thang", "thu", "thursday",
    "tu", "tue", "tuesday", "updated", "utc", "wed", "wednesday", NULL
};

#define NDATE_WORDS (sizeof date_words / sizeof *date_words - 1)

/* Words of the labels a page puts over lists of other articles (in
 * strcmp's order). */
static const char *const label_words[] = {
    "also", "bai", "bat", "binh", "breaking", "chuyen", "cung", "doc", "featured", "hot",
    "khac", "latest", "lien", "luan", "moi", "more", "most", "muc", "news", "nhat", "nhieu",
    "noi", "popular", "quan", "read", "recommended", "related", "see", "stories", "story",
    "tags", "them", "tin", "top", "trending", "video", "videos", "viet", "xem", NULL
};
#define NLABEL_WORDS (sizeof label_words / sizeof *label_words - 1)

/* The list's word e against w[0..n), as strcmp orders them. */
static int word_cmp(const char *e, const char *w, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (e[k] != w[k]) return (unsigned char)e[k] < (unsigned char)w[k] ? -1 : 1;
    return e[n] != '\0';
}

/* Is w[0..n) in list (in strcmp's order, NULL-terminated)? By bisection:
 * asked for the first words of every short line. */
static int in_list(const char *const *list, size_t len, const char *w, size_t n)
{
    size_t lo = 0, hi = len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = word_cmp(list[mid], w, n);
        if (!c) return 1;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return 0;
}

static int is_word_byte(char c)
{
    unsigned char u = (unsigned char)c;
    return (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u >= 0x80 || c == '+' ||
           c == '/' || c == ':' || c == '.';
}

/* The folded line f (no bullet) is a date or time: every word a date word
 * or a number, at least one number. */
static int date_line(const char *f)
{
    int nums = 0, words = 0;
    for (const char *p = f; *p;) {
        if (!is_word_byte(*p)) { p++; continue; }
        const char *q = p;
        int digits = 0, letters = 0;
        while (*q && is_word_byte(*q)) {
            digits += *q >= '0' && *q <= '9';
            letters += (*q >= 'a' && *q <= 'z') || (unsigned char)*q >= 0x80;
            q++;
        }
        size_t n = (size_t)(q - p);
        while (n && (p[n - 1] == ':' || p[n - 1] == '.')) n--;
        words++;
        if (digits && (!letters || (n > 3 && !memcmp(p, "gmt", 3)))) nums++;
        else if (!n || !in_list(date_words, NDATE_WORDS, p, n)) return 0;
        p = q;
    }
    return nums > 0 && words <= 12;
}

/* "By Thanh Ha", "Theo Mai Hoa", "Bài và ảnh: X": an opening, then a name
 * of one to five capitalised words. */
static int byline(const char *t, size_t n, const char *f)
{
    static const char *const open[] = { "by ", "theo ", "written by ", "reported by ",
                                        "bai va anh:", "bai, anh:", "bai:", NULL };
    /* the letters they begin with, first */
    if (f[0] != 'b' && f[0] != 't' && f[0] != 'w' && f[0] != 'r') return 0;
    const char *o = NULL;
    for (const char *const *w = open; *w && !o; w++)
        if (!strncmp(f, *w, strlen(*w))) o = *w;
    if (!o) return 0;
    /* where the name begins in the text: past the colon, or past as many
     * spaces as the opening holds */
    size_t at = 0;
    if (o[strlen(o) - 1] == ':') {
        const char *c = memchr(t, ':', n);
        if (!c) return 0;
        at = (size_t)(c - t) + 1;
    } else {
        for (const char *s = o; *s; s++)
            if (*s == ' ') {
                while (at < n && t[at] != ' ') at++;
                at++;
            }
    }
    if (at > n) return 0;
    int words = 0;
    for (size_t i = at; i < n;) {
        while (i < n && (t[i] == ' ' || t[i] == ',' || t[i] == '-')) i++;
        if (i >= n) break;
        unsigned char c = (unsigned char)t[i];
        if (c >= 'a' && c <= 'z') return 0; /* a sentence goes on */
        if (c >= '0' && c <= '9') return 0;
        words++;
        while (i < n && t[i] != ' ') i++;
    }
    return words >= 1 && words <= 5;
}

/* At most four words, each a label word. */
static int label_line(const char *f)
{
    int words = 0;
    for (const char *p = f; *p;) {
        if (*p == ' ' || *p == '|' || *p == '-') { p++; continue; }
        const char *q = p;
        while (*q && *q != ' ' && *q != '|') q++;
        if (!in_list(label_words, NLABEL_WORDS, p, (size_t)(q - p)) || ++words > 4) return 0;
        p = q;
    }
    return words > 0;
}

static _Thread_local bt_buf *fold_mine;

static void fold_buf_drop(void *p)
{
    bt_buf_free(p);
    free(p);
}

int cap_furniture(const char *t, size_t n)
{
    /* furniture is short and ends open (a date may end with a stop) */
    if (n == 0 || n > 80) return 0;
    size_t b = cap_bullet_len(t, n);
    if (!b && n >= 2 && (t[0] == '-' || (unsigned char)t[0] == 0xE2) && t[1] == ' ') b = 2;
    t += b;
    n -= b;
    while (n && (t[n - 1] == ' ' || t[n - 1] == '\t')) n--;
    if (!n) return 0;
    /* folded into the thread's buffer, kept from line to line */
    if (!fold_mine) fold_mine = bt_thread_block(1, sizeof *fold_mine, fold_buf_drop);
    bt_buf *f = fold_mine;
    if (!f->cap) bt_buf_init(f);
    bt_buf_reset(f);
    bt_fold(t, n, f);
    int r = date_line(f->ptr);
    if (!r && t[n - 1] != '.' && t[n - 1] != '!' && t[n - 1] != '?')
        r = byline(t, n, f->ptr) || label_line(f->ptr);
    return r;
}

/* ---- which comes first ---- */

static size_t chars_of(const char *t, size_t n)
{
    size_t c = 0, i = 0;
#if defined(__SSE2__)
    /* sixteen bytes at a time: the continuation bytes (10xxxxxx) summed
     * by _mm_sad_epu8 (no popcount instruction needed) */
    const __m128i top2 = _mm_set1_epi8((char)0xC0), contb = _mm_set1_epi8((char)0x80),
                  one = _mm_set1_epi8(1);
    __m128i ncont = _mm_setzero_si128();
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(t + i));
        __m128i cont = _mm_and_si128(_mm_cmpeq_epi8(_mm_and_si128(v, top2), contb), one);
        ncont = _mm_add_epi64(ncont, _mm_sad_epu8(cont, _mm_setzero_si128()));
        c += 16;
    }
    uint64_t sums[2];
    _mm_storeu_si128((__m128i *)(void *)sums, ncont);
    c -= (size_t)(sums[0] + sums[1]);
#endif
    /* eight bytes at a time: the continuation bytes (10xxxxxx) summed by a
     * multiply into the top byte */
    for (; i + 8 <= n; i += 8) {
        uint64_t x = bt_swar_load((const unsigned char *)t + i);
        uint64_t cont = (x & ~(x << 1) & BT_SWAR_HIGH) >> 7;
        c += 8 - (size_t)((cont * BT_SWAR_ONES) >> 56);
    }
    for (; i < n; i++) c += ((unsigned char)t[i] & 0xC0) != 0x80;
    return c;
}

/* Could English line e be the English of a caption line of v_chars
 * characters, by its length? */
static int could_be_english(const cap_run *r, size_t v_chars, long e)
{
    if (e < 0 || r->doc->lines[e].lang != BT_LANG_EN) return 0;
    double ratio = (double)chars_of(r->lt.text[e], r->lt.len[e]) / (double)(v_chars + 1);
    return ratio > 0.4 && ratio < 2.8;
}

static int blank_between(const bt_doc *doc, size_t a, size_t b)
{
    for (size_t i = a + 1; i < b; i++)
        if (doc->lines[i].lang == BT_LANG_BLANK) return 1;
    return 0;
}

/* The line of each rank (its head, for a wrapped line). Caller frees. */
static long *lines_by_rank(const cap_run *r)
{
    long *at = bt_xmalloc((r->nranks + 1) * sizeof *at);
    for (size_t k = 0; k <= r->nranks; k++) at[k] = -1;
    for (size_t i = r->doc->nlines; i-- > 0;) {
        const bt_line *l = &r->doc->lines[i];
        if (l->lang != BT_LANG_BLANK && !r->lt.furn[i] && !r->lt.cont[i] && !r->lt.alone[i])
            at[r->ord[i]] = (long)i;
    }
    return at;
}

/* A caption line's vote: +1 for the line before, -1 for the line after,
 * 0 for none; *strong: the line voted for is in the caption's paragraph
 * (no blank line between). The line voted for is the only neighbour that
 * could be its English, or, when both could, the one not set apart by a
 * blank line. */
static int vote_of(const cap_run *r, const long *at, size_t i, int *strong)
{
    const bt_doc *doc = r->doc;
    size_t k = r->ord[i];
    long p = k ? at[k - 1] : -1, n = k + 1 < r->nranks ? at[k + 1] : -1;
    size_t v_chars = chars_of(r->lt.text[i], r->lt.len[i]);
    int p_ok = could_be_english(r, v_chars, p), n_ok = could_be_english(r, v_chars, n);
    int p_blank = p_ok && blank_between(doc, (size_t)p, i);
    int n_blank = n_ok && blank_between(doc, i, (size_t)n);
    if (p_ok && n_ok) {
        p_ok = !p_blank;
        n_ok = !n_blank;
    }
    *strong = (p_ok && !n_ok && !p_blank) || (n_ok && !p_ok && !n_blank);
    return p_ok == n_ok ? 0 : p_ok ? 1 : -1;
}

/* +1 for each end of the page that says English first (English the
 * first line, Vietnamese the last), -1 for each that says the other. */
static long ends_vote(const cap_run *r, const long *at)
{
    if (r->nranks < 2 || at[0] < 0 || at[r->nranks - 1] < 0) return 0;
    bt_lang a = r->doc->lines[at[0]].lang, z = r->doc->lines[at[r->nranks - 1]].lang;
    return (a == BT_LANG_EN) - (a == BT_LANG_VI) + (z == BT_LANG_VI) - (z == BT_LANG_EN);
}

unsigned char *cap_english_first(const cap_run *r)
{
    const bt_doc *doc = r->doc;
    long *at = lines_by_rank(r);
    signed char *vote = bt_xcalloc(doc->nlines + 1, 1);
    unsigned char *first = bt_xcalloc(doc->nlines + 1, 1);
    long tally = 0;
    for (size_t i = 0; i < doc->nlines; i++) {
        if (doc->lines[i].lang != BT_LANG_VI || r->lt.cont[i] || r->lt.furn[i] || r->lt.alone[i])
            continue;
        int strong, v = vote_of(r, at, i, &strong);
        tally += v;
        vote[i] = (signed char)(strong ? v : 0);
    }
    /* neighbours that say nothing (every paragraph set apart by blank
     * lines): a page that opens with English and closes with Vietnamese
     * gives the English first */
    if (tally == 0) tally = ends_vote(r, at);
    /* a caption its neighbours say nothing of follows the page */
    for (size_t i = 0; i < doc->nlines; i++)
        first[i] = vote[i] > 0 || (vote[i] == 0 && tally > 0);
    free(vote);
    free(at);
    return first;
}
