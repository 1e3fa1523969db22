/* credit.c - photo credits: "Ảnh: Mai Hoa" / "Photo: Mai Hoa", "Ảnh tư
 * liệu" / "File photo", "Ảnh minh họa" / "Illustrative photo", "Nguồn:" /
 * "Source:". The openings of each language are in one table (openings[]),
 * what may follow them in another (credit_words[]); caption mode's
 * segmenter, its line joiner and whole-article mode ask the functions
 * here. The language guess (corpus/lang.c) keeps its own marker, as corpus/
 * may not depend on align/ and it asks another question (see there). */
#include "credit_int.h"
#include "../base/utf8_fast.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A credit opening: folded, as credit_kind matches it at the start of a
 * sentence; whether a name (or a credit word) follows it; and as written,
 * as the line tests match it before any folding. */
typedef struct credit_opening {
    bt_lang lang;
    const char *folded;
    int takes_name;
    const char *written[5];  /* NULL-terminated */
} credit_opening;

static const credit_opening openings[] = {
    { BT_LANG_VI, "anh", 1, { "Ảnh", "ẢNH", "Anh:", "ANH:", NULL } },
    { BT_LANG_VI, "nguon:", 1, { "Nguồn", "NGUỒN", NULL } },
    { BT_LANG_EN, "photo", 1, { "Photo", "PHOTO", NULL } },
    { BT_LANG_EN, "photos", 1, { "Photos", "PHOTOS", NULL } },
    { BT_LANG_EN, "source:", 1, { "Source:", "SOURCE:", NULL } },
    { BT_LANG_EN, "illustrat", 0, { "Illustrat", NULL } },
    { BT_LANG_EN, "file photo", 0, { "File photo", NULL } },
    { BT_LANG_EN, "archive photo", 0, { "Archive photo", NULL } },
};
enum { NOPENINGS = sizeof openings / sizeof *openings };

/* Credits that name no one, folded: after an opening that takes a name
 * (AFTER: "Ảnh: tư liệu"), or as the whole credit (WHOLE). */
enum { AFTER, WHOLE };
static const struct {
    bt_lang lang;
    int where;
    const char *folded;
    int kind;
} credit_words[] = {
    { BT_LANG_VI, AFTER, "tu lieu", CREDIT_ARCHIVE },
    { BT_LANG_VI, AFTER, "minh hoa", CREDIT_ILLUSTRATION },
    { BT_LANG_EN, AFTER, "archive", CREDIT_ARCHIVE },
    { BT_LANG_EN, AFTER, "file", CREDIT_ARCHIVE },
    { BT_LANG_EN, AFTER, "illustration", CREDIT_ILLUSTRATION },
    { BT_LANG_EN, WHOLE, "illustrative photo", CREDIT_ILLUSTRATION },
    { BT_LANG_EN, WHOLE, "illustration photo", CREDIT_ILLUSTRATION },
    { BT_LANG_EN, WHOLE, "illustration", CREDIT_ILLUSTRATION },
    { BT_LANG_EN, WHOLE, "illustrative image", CREDIT_ILLUSTRATION },
    { BT_LANG_EN, WHOLE, "file photo", CREDIT_ARCHIVE },
    { BT_LANG_EN, WHOLE, "archive photo", CREDIT_ARCHIVE },
};
enum { NCREDIT_WORDS = sizeof credit_words / sizeof *credit_words };

/* Where a photo was taken from on the web, folded, and the one word its
 * key gives it in both editions: "Ảnh từ Weibo của X" and "Photo from X's
 * Weibo" are both "x weibo"; "Ảnh: Facebook X" and "Photo: X's Facebook"
 * both "x facebook". */
static const struct {
    bt_lang lang;
    const char *folded, *key;
} media[] = {
    { BT_LANG_VI, "trang ca nhan", "page" },
    { BT_LANG_EN, "personal page", "page" },
    { BT_LANG_EN, "page", "page" },
    { 0, "douyin", "douyin" },
    { 0, "facebook", "facebook" },
    { 0, "fanpage", "facebook" },
    { 0, "instagram", "instagram" },
    { 0, "tiktok", "tiktok" },
    { 0, "twitter", "twitter" },
    { 0, "weibo", "weibo" },
    { 0, "youtube", "youtube" },
    { 0, "zalo", "zalo" },
};
enum { NMEDIA = sizeof media / sizeof *media };

/* A named credit has at most this many words. */
#define CREDIT_NAME_WORDS 5

/* Credit names that differ between the editions only by translation: the
 * news agency, Thông tấn xã Việt Nam, is TTXVN in Vietnamese and VNA in
 * English ("Ảnh: Thanh Hà/TTXVN", "Photo: Thanh Ha/VNA"). Folded, as whole
 * words. */
static const char *const credit_same[][2] = { { "ttxvn", "vna" }, { NULL, NULL } };

/* A byte of a folded word (folded text is ASCII letters and digits, or
 * UTF-8 beyond: kept as it is). */
static int is_key_alnum(char c)
{
    unsigned char u = (unsigned char)c;
    return (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u >= 0x80;
}

/* Append the folded credit name rest[0..len) to key, each word in one
 * spelling. */
static void add_credit_key(bt_buf *key, const char *rest, size_t len)
{
    const char *end = rest + len;
    for (const char *p = rest; p < end;) {
        if (!is_key_alnum(*p)) {
            bt_buf_addc(key, *p++);
            continue;
        }
        const char *q = p;
        while (q < end && is_key_alnum(*q)) q++;
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

/* Does o[0..n) begin with one of lang's openings? ASCII text folds to its
 * lower case, so it is compared as it is; cmp is strncasecmp or strncmp. */
static int opens_with(bt_lang lang, const char *o, size_t n,
                      int (*cmp)(const char *, const char *, size_t))
{
    for (size_t k = 0; k < NOPENINGS; k++) {
        const char *f = openings[k].folded;
        /* the openings begin with a lower-case letter: its first byte
         * compared before the rest, in either case */
        if (openings[k].lang != lang || n == 0 || (o[0] | 0x20) != f[0]) continue;
        size_t l = strlen(f);
        if (n >= l && !cmp(o, f, l)) return 1;
    }
    return 0;
}

/* What follows an opening that takes a name in the folded sentence p, or
 * NULL. An opening that ends in a colon may be followed by anything, the
 * others by a colon or a space. */
static const char *after_opening(bt_lang lang, const char *p)
{
    for (size_t k = 0; k < NOPENINGS; k++) {
        const credit_opening *o = &openings[k];
        size_t l = strlen(o->folded);
        if (o->lang != lang || !o->takes_name || strncmp(p, o->folded, l)) continue;
        if (o->folded[l - 1] == ':' || p[l] == ':' || p[l] == ' ' || p[l] == '\0') return p + l;
    }
    return NULL;
}

static int credit_word(bt_lang lang, int where, const char *p)
{
    for (size_t k = 0; k < NCREDIT_WORDS; k++)
        if (credit_words[k].lang == lang && credit_words[k].where == where &&
            !strcmp(p, credit_words[k].folded))
            return credit_words[k].kind;
    return CREDIT_NONE;
}

/* The medium whose folded form opens p (at a word's end), or -1. */
static int medium_at(bt_lang lang, const char *p)
{
    for (int k = 0; k < (int)NMEDIA; k++) {
        if (p[0] != media[k].folded[0]) continue;
        size_t l = strlen(media[k].folded);
        if ((media[k].lang == lang || !media[k].lang) && !strncmp(p, media[k].folded, l) &&
            (p[l] == ' ' || p[l] == '\0'))
            return k;
    }
    return -1;
}

/* A credit that names a source on the web (the folded text after its
 * opening): "từ Weibo của X", "Facebook X" / "from X's Weibo", "X's
 * Facebook". Sets the name [*name, *name + *len) and returns the medium,
 * or -1. */
static int web_source(bt_lang lang, const char *rest, const char **name, size_t *len)
{
    const char *from = lang == BT_LANG_VI ? "tu " : "from ";
    if (!strncmp(rest, from, strlen(from))) rest += strlen(from);
    int m = medium_at(lang, rest);
    if (m >= 0) { /* the medium first: "Weibo của X", "Facebook X", "Weibo of X" */
        const char *n = rest + strlen(media[m].folded);
        const char *of = lang == BT_LANG_VI ? " cua " : " of ";
        if (!strncmp(n, of, strlen(of))) n += strlen(of);
        while (*n == ' ') n++;
        *name = n;
        *len = strlen(n);
        return *len ? m : -1;
    }
    if (lang != BT_LANG_EN) return -1;
    const char *s = strstr(rest, "'s "); /* "X's Weibo" */
    if (!s || (m = medium_at(lang, s + 3)) < 0 || s[3 + strlen(media[m].folded)]) return -1;
    *name = rest;
    *len = (size_t)(s - rest);
    return *len ? m : -1;
}

/* The kind of the folded credit f (its opening already seen); *web: it
 * names a source on the web. */
static int kind_of_folded(bt_lang lang, char *f, bt_buf *key, int *web)
{
    const char *p = f + (*f == '(');
    const char *rest = after_opening(lang, p);
    if (!rest) return credit_word(lang, WHOLE, p);
    while (*rest == ':' || *rest == ' ') rest++;
    int kind = credit_word(lang, AFTER, rest);
    if (kind) return kind;
    const char *name = rest;
    size_t nlen = strlen(rest);
    int m = web_source(lang, rest, &name, &nlen);
    size_t words = nlen ? 1 : 0;
    for (size_t q = 0; q < nlen; q++) words += name[q] == ' ';
    if (words < 1 || words > CREDIT_NAME_WORDS) return CREDIT_NONE;
    add_credit_key(key, name, nlen);
    if (m >= 0) {
        bt_buf_addc(key, ' ');
        bt_buf_adds(key, media[m].key);
    }
    *web = m >= 0;
    return CREDIT_NAMED;
}

static int credit_kind_web(bt_lang lang, const char *s, size_t len, bt_buf *key, bt_buf *scratch,
                           int *web)
{
    *web = 0;
    /* every credit starts with one of these letters (or a parenthesis):
     * Ảnh/Anh, Nguồn, Photo, Source, Illustrat..., File, Archive */
    if (len == 0 || !strchr("(AaNnPpSsIiFf\xE1", s[0])) return CREDIT_NONE;
    /* an ASCII opening folds to its lower case: tested as it is */
    size_t ascii = 0;
    while (ascii < len && ascii < 15 && (unsigned char)s[ascii] < 0x80) ascii++;
    if (ascii == len || ascii == 15) {
        const char *o = s + (s[0] == '(');
        if (!opens_with(lang, o, len - (size_t)(o - s), strncasecmp)) return CREDIT_NONE;
    }
    bt_buf f = *scratch; /* reused from sentence to sentence */
    bt_buf_reset(&f);
    /* the beginning first: most sentences are not credits, and folding a
     * whole paragraph to learn that costs more than the rest of the test.
     * 64 bytes fold to at least the 14 characters the longest opening
     * needs. */
    size_t head = len < 64 ? len : 64;
    bt_fold(s, head, &f);
    const char *h = f.ptr + (f.ptr[0] == '(');
    if (!opens_with(lang, h, strlen(h), strncmp)) {
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
    int kind = kind_of_folded(lang, f.ptr, key, web);
    *scratch = f;
    return kind;
}

/* Credits come again article after article ("Ảnh: Mai Hoa", "Photo:
 * VNA"): each thread keeps the answer for the last short text of a slot
 * chosen by its bytes, with the key it gave. */
enum { CREDIT_SLOTS = 512, CREDIT_TEXT = 48, CREDIT_KEY = 64 };

typedef struct credit_memo {
    uint64_t h;
    unsigned char len; /* 0: empty */
    unsigned char lang, kind, klen;
    char text[CREDIT_TEXT];
    char key[CREDIT_KEY];
} credit_memo;

static _Thread_local credit_memo *credit_mine;

int credit_kind(bt_lang lang, const char *s, size_t len, bt_buf *key, bt_buf *scratch)
{
    int web;
    /* most sentences are told apart by their first byte (as below) */
    if (len == 0 || !strchr("(AaNnPpSsIiFf\xE1", s[0])) return CREDIT_NONE;
    if (len > CREDIT_TEXT) return credit_kind_web(lang, s, len, key, scratch, &web);
    if (!credit_mine) credit_mine = bt_thread_block(CREDIT_SLOTS, sizeof *credit_mine, NULL);
    uint64_t h = bt_hash_bytes((uint64_t)lang << 8 | len, s, len);
    credit_memo *m = &credit_mine[h & (CREDIT_SLOTS - 1)];
    if (m->len == len && m->lang == (unsigned char)lang && m->h == h && !memcmp(m->text, s, len)) {
        if (m->klen) bt_buf_add(key, m->key, m->klen);
        return m->kind;
    }
    size_t before = key->len;
    int kind = credit_kind_web(lang, s, len, key, scratch, &web);
    size_t kl = key->len - before;
    if (kl <= CREDIT_KEY) {
        m->h = h;
        m->len = (unsigned char)len;
        m->lang = (unsigned char)lang;
        m->kind = (unsigned char)kind;
        m->klen = (unsigned char)kl;
        memcpy(m->text, s, len);
        if (kl) memcpy(m->key, key->ptr + before, kl);
    }
    return kind;
}

/* Could the line hold an English photo credit? A cheap test before the
 * real one in credit_kind: the first words of the English openings. */
static int credit_word_at(const char *p, size_t left)
{
    switch (*p) {
    case 'P': case 'p': return left >= 5 && !memcmp(p + 1, "hoto", 4);
    case 'I': return left >= 9 && !memcmp(p + 1, "llustrat", 8);
    case 'S': return left >= 7 && !memcmp(p + 1, "ource:", 6);
    }
    return 0;
}

/* One pass, sixteen bytes at a time where SSE2 is, eight elsewhere: every
 * English line of an article asks. */
int credit_maybe_en(const char *s, size_t len)
{
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i P = _mm_set1_epi8('P'), p = _mm_set1_epi8('p'), h = _mm_set1_epi8('h'),
                  I = _mm_set1_epi8('I'), l = _mm_set1_epi8('l'), S = _mm_set1_epi8('S'),
                  o = _mm_set1_epi8('o');
    for (; i + 17 <= len; i += 16) {
        /* by the first two letters: Ph, ph, Il, So */
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 1));
        __m128i m = _mm_and_si128(_mm_or_si128(_mm_cmpeq_epi8(x, P), _mm_cmpeq_epi8(x, p)),
                                  _mm_cmpeq_epi8(y, h));
        m = _mm_or_si128(m, _mm_and_si128(_mm_cmpeq_epi8(x, I), _mm_cmpeq_epi8(y, l)));
        m = _mm_or_si128(m, _mm_and_si128(_mm_cmpeq_epi8(x, S), _mm_cmpeq_epi8(y, o)));
        for (unsigned bits = (unsigned)_mm_movemask_epi8(m); bits; bits &= bits - 1) {
            size_t k = i + (size_t)__builtin_ctz(bits);
            if (credit_word_at(s + k, len - k)) return 1;
        }
    }
#endif
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

/* The openings as written, each with its length, and per first byte the
 * set of those that begin with it: every line of an article asks
 * credit_line_opens, and most open with none of their first bytes. */
enum { WRITTEN_MAX = 32 };
static const char *written_all[WRITTEN_MAX];
static size_t written_len[WRITTEN_MAX];
static uint32_t written_by_byte[256];
static pthread_once_t written_once = PTHREAD_ONCE_INIT;
static atomic_int written_ready;

static void written_init(void)
{
    size_t n = 0;
    for (size_t k = 0; k < NOPENINGS; k++)
        for (const char *const *w = openings[k].written; *w; w++, n++) {
            if (n == WRITTEN_MAX) { /* a set of 32 bits: caught by any test */
                fprintf(stderr, "bitext: internal error: more than %d credit openings\n",
                        WRITTEN_MAX);
                abort();
            }
            written_all[n] = *w;
            written_len[n] = strlen(*w);
            written_by_byte[(unsigned char)**w] |= (uint32_t)1 << n;
        }
    atomic_store_explicit(&written_ready, 1, memory_order_release);
}

int credit_line_opens(const bt_line *l)
{
    const char *t = l->text;
    size_t n = l->len;
    while (n && (*t == ' ' || *t == '\t' || *t == '(')) t++, n--;
    if (!n) return 0;
    if (!atomic_load_explicit(&written_ready, memory_order_acquire))
        pthread_once(&written_once, written_init);
    for (uint32_t m = written_by_byte[(unsigned char)*t]; m; m &= m - 1) {
#if defined(__GNUC__)
        size_t k = (size_t)__builtin_ctz(m);
#else
        size_t k = 0;
        while (!(m >> k & 1)) k++;
#endif
        if (n >= written_len[k] && !memcmp(t, written_all[k], written_len[k])) return 1;
    }
    return 0;
}

int credit_line_holds(const bt_line *l)
{
    if (l->lang == BT_LANG_EN) return credit_maybe_en(l->text, l->len);
    for (size_t k = 0; k < NOPENINGS; k++) {
        if (openings[k].lang != BT_LANG_VI) continue;
        for (const char *const *w = openings[k].written; *w; w++)
            if (memmem(l->text, l->len, *w, strlen(*w))) return 1;
    }
    return 0;
}

int credit_same_medium(const char *a, const char *b)
{
    const char *sa = a ? strrchr(a, ' ') : NULL, *sb = b ? strrchr(b, ' ') : NULL;
    if (!sa || !sb || strcmp(sa, sb)) return 0;
    for (size_t k = 0; k < NMEDIA; k++)
        if (!strcmp(sa + 1, media[k].key)) return 1;
    return 0;
}

/* Whole-article mode: one side's sentence s (NULL: none) is a credit as
 * whole articles write them: a credit with no name, one whose opening ends
 * in a colon ("Ảnh: X", "Nguồn: X", "Source: X"), or one that names a
 * source on the web ("Ảnh từ Weibo của X", "Photo from X's Weibo"). */
static int article_credit(bt_lang lang, const char *s)
{
    if (!s) return 1;
    size_t n = strlen(s);
    bt_buf key, scratch;
    bt_buf_init(&key);
    bt_buf_init(&scratch);
    int web, kind = credit_kind_web(lang, s, n, &key, &scratch, &web);
    int colon = 0;
    if (kind == CREDIT_NAMED) { /* the opening's colon, before the name */
        size_t head = scratch.len < 16 ? scratch.len : 16;
        colon = memchr(scratch.ptr, ':', head) != NULL;
    }
    bt_buf_free(&key);
    bt_buf_free(&scratch);
    return kind != CREDIT_NONE && (kind != CREDIT_NAMED || colon || web);
}

static int starts_with_fold(const char *s, const char *prefix)
{
    bt_buf f;
    bt_buf_init(&f);
    size_t n = strlen(s);
    bt_fold(s, n < 64 ? n : 64, &f);
    int r = strncmp(f.ptr, prefix, strlen(prefix)) == 0;
    bt_buf_free(&f);
    return r;
}

/* Sentences of whole articles are longer and freer than captions: a short
 * line that opens "Ảnh:" or "Photo", or is a credit as article_credit
 * reads them, counts. */
int credit_article_pair(const char *vi, const char *en)
{
    int v = !vi || starts_with_fold(vi, "anh:") || article_credit(BT_LANG_VI, vi);
    int e = !en || starts_with_fold(en, "photo:") || starts_with_fold(en, "photo ") ||
            article_credit(BT_LANG_EN, en);
    return (vi || en) && v && e && strlen(vi ? vi : en) < 80;
}
