/* lexicon.c - the curated lexicon of titles and bodies (data/lexicon.tsv,
 * data/abbreviations.tsv, data/words.tsv, compiled in) and phrase matching
 * over folded tokens.
 *
 * Titles are chains built from parts: a position (Phó Chủ tịch) and a body
 * (UBND tỉnh) make a title (Phó Chủ tịch UBND tỉnh, "Vice Chairman of the
 * Provincial People's Committee"). Storing the parts rather than every
 * combination lets the matcher recognise titles no one listed, in either
 * word order of English ("Member of the Politburo" / "Politburo member"). */
#include "lexicon_int.h"
#include "../base/utf8_fast.h"

#include <unicode/uchar.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* generated from data/ by tools/embed.c */
struct bt_embedded_file { const char *name; const unsigned char *data; size_t len; };
extern const struct bt_embedded_file bt_embedded_files[];

enum { ROLE_POSITION, ROLE_TITLE, ROLE_BODY, ROLE_PLACE };

typedef struct phrase_hit {
    int id;        /* primary concept */
    int role;
    int lang;      /* BT_LANG_VI or BT_LANG_EN */
    int ntok;
    int next;      /* next hit with the same key, -1 */
} phrase_hit;

/* Open-addressing map from a string to an int. */
typedef struct smap {
    char **keys;
    int *vals;
    size_t cap, n;
} smap;

static uint64_t hash_str(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static int *smap_slot(smap *m, const char *k, size_t n, int insert)
{
    if (insert && (m->n + 1) * 2 > m->cap) {
        smap old = *m;
        m->cap = old.cap ? old.cap * 2 : 256;
        m->keys = bt_xcalloc(m->cap, sizeof *m->keys);
        m->vals = bt_xcalloc(m->cap, sizeof *m->vals);
        m->n = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.keys[i]) {
                *smap_slot(m, old.keys[i], strlen(old.keys[i]), 1) = old.vals[i];
                free(old.keys[i]);
            }
        free(old.keys);
        free(old.vals);
    }
    if (!m->cap) return NULL;
    size_t i = hash_str(k, n) & (m->cap - 1);
    while (m->keys[i]) {
        if (strlen(m->keys[i]) == n && !memcmp(m->keys[i], k, n)) return &m->vals[i];
        i = (i + 1) & (m->cap - 1);
    }
    if (!insert) return NULL;
    m->keys[i] = bt_xstrndup(k, n);
    m->vals[i] = -1;
    m->n++;
    return &m->vals[i];
}

static const int *smap_get(const smap *m, const char *k, size_t n)
{
    if (!m->cap) return NULL;
    size_t i = hash_str(k, n) & (m->cap - 1);
    while (m->keys[i]) {
        if (strlen(m->keys[i]) == n && !memcmp(m->keys[i], k, n)) return &m->vals[i];
        i = (i + 1) & (m->cap - 1);
    }
    return NULL;
}

/* Phrases of the lexicon and of the caption dictionary, looked up by the
 * tokens of a text without joining them into a string: the key of a phrase
 * is a hash chained over its words' hashes, so extending a phrase by a word
 * is one step. An entry says what its words are: a phrase (its hits), a
 * dictionary entry, or the beginning of a longer one of either. */
typedef struct phrase_entry {
    uint64_t h;
    char *key;           /* the folded words joined by single spaces */
    int head;            /* first phrase_hit, or -1 */
    int dict;            /* dict_entry index, or -1 */
    unsigned char phrase_prefix, dict_prefix;
} phrase_entry;

typedef struct phrase_table {
    phrase_entry *v;
    size_t cap, n;
} phrase_table;

/* Four bytes read as they would be one by one, low byte first. */
static inline uint32_t le32(uint32_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return __builtin_bswap32(v);
#else
    return v;
#endif
}

uint64_t lex_word_hash(const char *s, size_t n)
{
    /* eight bytes per multiply: a word is hashed for every token of every
     * text, and a multiply per byte is a chain the processor must wait on */
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
    while (n >= 8) {
        uint64_t x;
        memcpy(&x, s, 8);
        h = (h ^ x) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
        s += 8;
        n -= 8;
    }
    /* the last n < 8 bytes, as if read one by one (little-endian order):
     * two loads that may overlap, the same bytes landing in the same
     * places */
    uint64_t x = 0;
    const unsigned char *u = (const unsigned char *)s;
    if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, u, 4);
        memcpy(&b, u + n - 4, 4);
        x = le32(a) | (uint64_t)le32(b) << (8 * (n - 4));
    } else if (n) {
        x = (uint64_t)u[0] | (uint64_t)u[n / 2] << (8 * (n / 2)) | (uint64_t)u[n - 1] << (8 * (n - 1));
    }
    h = (h ^ x) * 0xC4CEB9FE1A85EC53ULL;
    return h ^ (h >> 29);
}

static uint64_t chain_hash(uint64_t prev, uint64_t word)
{
    return ((prev << 23 | prev >> 41) * 0x9E3779B97F4A7C15ULL) ^ word;
}

static uint64_t key_hash(const char *key, size_t len)
{
    uint64_t h = 0;
    size_t i = 0;
    int first = 1;
    while (i <= len) {
        const char *sp = memchr(key + i, ' ', len - i);
        size_t wl = sp ? (size_t)(sp - (key + i)) : len - i;
        uint64_t w = lex_word_hash(key + i, wl);
        h = first ? w : chain_hash(h, w);
        first = 0;
        i += wl + 1;
    }
    return h;
}

static phrase_entry *ptable_slot(phrase_table *t, const char *key, size_t len)
{
    if ((t->n + 1) * 2 > t->cap) {
        phrase_table old = *t;
        t->cap = old.cap ? old.cap * 2 : 512;
        t->v = bt_xcalloc(t->cap, sizeof *t->v);
        for (size_t i = 0; i < old.cap; i++) {
            if (!old.v[i].key) continue;
            size_t j = old.v[i].h & (t->cap - 1);
            while (t->v[j].key) j = (j + 1) & (t->cap - 1);
            t->v[j] = old.v[i];
        }
        free(old.v);
    }
    uint64_t h = key_hash(key, len);
    size_t j = h & (t->cap - 1);
    for (; t->v[j].key; j = (j + 1) & (t->cap - 1))
        if (t->v[j].h == h && strlen(t->v[j].key) == len && !memcmp(t->v[j].key, key, len))
            return &t->v[j];
    phrase_entry *e = &t->v[j];
    e->h = h;
    e->key = bt_xstrndup(key, len);
    e->head = e->dict = -1;
    t->n++;
    return e;
}

/* Is the entry's key the words of tokens [i, i + n)? */
static int entry_is(const phrase_entry *e, const lex_tokens *t, size_t i, size_t n)
{
    const char *k = e->key;
    for (size_t x = 0; x < n; x++) {
        const lex_token *tk = &t->v[i + x];
        if (tk->klen == 65535 || memcmp(k, t->buf.ptr + tk->key, tk->klen)) return 0;
        k += tk->klen;
        if (*k != (x + 1 < n ? ' ' : '\0')) return 0;
        k++;
    }
    return 1;
}

/* The entry for tokens [i, i + n) whose chained hash is h, or NULL. */
static const phrase_entry *ptable_get(const phrase_table *t, uint64_t h, const lex_tokens *tk,
                                      size_t i, size_t n)
{
    if (!t->cap) return NULL;
    for (size_t j = h & (t->cap - 1); t->v[j].key; j = (j + 1) & (t->cap - 1))
        if (t->v[j].h == h && entry_is(&t->v[j], tk, i, n)) return &t->v[j];
    return NULL;
}

/* The entry of the one word key[0..n) with hash h, or NULL. */
static const phrase_entry *word_entry(const phrase_table *t, uint64_t h, const char *key,
                                      size_t n)
{
    if (!t->cap) return NULL;
    for (size_t j = h & (t->cap - 1); t->v[j].key; j = (j + 1) & (t->cap - 1))
        if (t->v[j].h == h && !memcmp(t->v[j].key, key, n) && t->v[j].key[n] == '\0')
            return &t->v[j];
    return NULL;
}

typedef struct dict_entry {
    int ntok;
    int function;   /* too common to be evidence on its own */
    char *en;
} dict_entry;

struct bt_lexicon {
    bt_concept *concepts;
    size_t nconcepts, nprimary;
    int *pos_ids, *body_ids;        /* primary ids of positions, bodies */
    size_t npos, nbody;
    int *pos_index, *body_index;    /* primary id -> index, or -1 */
    unsigned char *pos_compat;      /* npos x npos: share an English form */
    char ***vi_forms, ***en_forms;  /* per primary concept, NULL-terminated */
    char **combines;                /* per primary concept (positions) */
    phrase_table phrases;           /* phrases and caption words */
    phrase_hit *hits;
    size_t nhits, hcap;
    smap abbrevs;                   /* folded abbreviation -> expansion idx */
    char **expansions;
    size_t nexp, expcap;
    dict_entry *dict_v;             /* caption words (in phrases) */
    size_t ndict, dictcap;
    int max_tokens;
    int built;                      /* tokens may look up their entries */
};

const char *bt_term_kind_name(bt_term_kind k)
{
    switch (k) {
    case BT_TERM_TITLE: return "title";
    case BT_TERM_BODY: return "body";
    case BT_TERM_NAME: return "name";
    case BT_TERM_PLACE: return "place";
    }
    return "?";
}

/* ---- tokens ---- */

/* Token lists are made and dropped for every caption and every English line
 * weighed against one: each thread keeps the arrays of a few dropped lists
 * for the next ones, rather than give them back to malloc and ask again. */
enum { TOK_CACHE = 64, TOK_CACHE_MAX_TOKENS = 4096, TOK_CACHE_MAX_BYTES = 65536 };

typedef struct tok_cache {
    size_t n;
    struct { lex_token *v; size_t cap; char *buf; size_t buf_cap; } e[TOK_CACHE];
} tok_cache;

static pthread_key_t tok_cache_key;
static pthread_once_t tok_cache_once = PTHREAD_ONCE_INIT;
static _Thread_local tok_cache *tok_cache_mine;

static void tok_cache_drop(void *p)
{
    tok_cache *c = p;
    for (size_t i = 0; i < c->n; i++) {
        free(c->e[i].v);
        free(c->e[i].buf);
    }
    free(c);
}

static void tok_cache_key_make(void)
{
    pthread_key_create(&tok_cache_key, tok_cache_drop);
}

static tok_cache *tok_cache_get(void)
{
    if (!tok_cache_mine) {
        pthread_once(&tok_cache_once, tok_cache_key_make);
        tok_cache_mine = bt_xcalloc(1, sizeof *tok_cache_mine);
        pthread_setspecific(tok_cache_key, tok_cache_mine); /* freed at thread exit */
    }
    return tok_cache_mine;
}

void lex_tokens_init(lex_tokens *t)
{
    memset(t, 0, sizeof *t);
    bt_buf_init(&t->buf);
    tok_cache *c = tok_cache_get();
    if (c->n) {
        c->n--;
        t->v = c->e[c->n].v;
        t->cap = c->e[c->n].cap;
        t->buf.ptr = c->e[c->n].buf;
        t->buf.cap = c->e[c->n].buf_cap;
        t->buf.ptr[0] = '\0';
    }
}

void lex_tokens_free(lex_tokens *t)
{
    tok_cache *c = tok_cache_get();
    if (t->v && t->buf.cap && c->n < TOK_CACHE && t->cap <= TOK_CACHE_MAX_TOKENS &&
        t->buf.cap <= TOK_CACHE_MAX_BYTES) {
        c->e[c->n].v = t->v;
        c->e[c->n].cap = t->cap;
        c->e[c->n].buf = t->buf.ptr;
        c->e[c->n].buf_cap = t->buf.cap;
        c->n++;
    } else {
        free(t->v);
        bt_buf_free(&t->buf);
    }
    memset(t, 0, sizeof *t);
    bt_buf_init(&t->buf);
}

static inline int word_char(int32_t cp)
{
    if (cp < 0x80)
        return (cp | 32) >= 'a' && (cp | 32) <= 'z' ? 1 : (cp >= '0' && cp <= '9') ? 2 : 0;
    return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
           (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x300 && cp <= 0x36F);
}

/* Append cp folded (as bt_fold does) at d; returns the new end. */
static inline char *fold_put(char *d, int32_t cp)
{
    if (cp < 0x80) {
        *d++ = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
        return d;
    }
    int32_t f = bt_fold_cp(cp);
    if (f > 0 && f < 0x80) *d++ = (char)f;
    else if (f > 0) d += bt_utf8_encode(f, d);
    return d;
}

static lex_token *new_token(lex_tokens *t, size_t start, size_t end, size_t klen,
                            int upper, int digit, int brk)
{
    if (t->n == t->cap) BT_GROW(t->v, t->cap, t->n + 1);
    lex_token *k = &t->v[t->n++];
    k->start = start;
    k->end = end;
    k->key = t->buf.len;
    k->klen = (unsigned short)(klen > 65535 ? 65535 : klen);
    k->upper = (unsigned char)upper;
    k->digit = (unsigned char)digit;
    k->brk = (unsigned char)brk;
    if (t->buf.len + klen + 2 > t->buf.cap)
        bt_buf_reserve(&t->buf, klen + 1); /* the key, its NUL, then bt_buf's */
    return k;
}

static void push_token(lex_tokens *t, size_t start, size_t end, const char *key,
                       size_t klen, int upper, int digit, int brk)
{
    lex_token *k = new_token(t, start, end, klen, upper, digit, brk);
    k->hash = lex_word_hash(key, klen);
    memcpy(t->buf.ptr + t->buf.len, key, klen);
    t->buf.ptr[t->buf.len + klen] = '\0';
    t->buf.len += klen + 1;
    t->buf.ptr[t->buf.len] = '\0'; /* bt_buf's invariant; reserved above */
}

/* No lower-case letter in s[0..n). */
static int all_caps(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        int32_t cp;
        int k = bt_utf8_decode(s + i, n - i, &cp);
        if (k < 0) return 0;
        /* a lower-case letter, with or without marks ("ư" in "Tư") */
        if (word_char(cp) == 1 && u_islower(cp)) return 0;
        i += (size_t)k;
    }
    return 1;
}

/* More words than a bare name in capitals ("NGUYỄN XUÂN SƠN") has. */
#define SHOUT_WORDS 5

static int all_upper_tokens(const lex_tokens *t)
{
    for (size_t k = 0; k < t->n; k++)
        if (!t->v[k].upper && !t->v[k].digit) return 0;
    return 1;
}

void lex_tokenize(const bt_lexicon *lex, bt_lang lang, const char *s, size_t len,
                  lex_tokens *out)
{
    out->n = 0;
    bt_buf_reset(&out->buf);
    /* room for the usual case at once: a word every few bytes, keys no
     * longer than the text (abbreviations may still ask for more) */
    BT_GROW(out->v, out->cap, len / 4 + 8);
    bt_buf_reserve(&out->buf, len + len / 2 + 16);
    bt_buf f;
    bt_buf_init(&f);
    size_t i = 0;
    int brk = 0;
    while (i < len) {
        /* an ASCII word (most of English text): scanned and folded without
         * decoding, when no non-ASCII letter continues it */
        unsigned char c0 = (unsigned char)s[i];
        if (((c0 | 32) >= 'a' && (c0 | 32) <= 'z')) {
            /* scanned and lower-cased straight into the key buffer; kept
             * only if it is a token */
            size_t start = i, j = i;
            if (out->buf.len + (len - i) + 2 > out->buf.cap) bt_buf_reserve(&out->buf, len - i + 2);
            char *d = out->buf.ptr + out->buf.len;
            while (j < len) {
                unsigned char c = (unsigned char)s[j];
                if ((c | 32) >= 'a' && (c | 32) <= 'z') {
                    d[j - start] = (char)(c | 32);
                    j++;
                    continue;
                }
                if (lang == BT_LANG_EN && c == '\'' && j + 1 < len &&
                    ((s[j + 1] | 32) >= 'a' && (s[j + 1] | 32) <= 'z')) {
                    d[j - start] = '\'';
                    d[j + 1 - start] = (char)(s[j + 1] | 32);
                    j += 2;
                    continue;
                }
                break;
            }
            if (j >= len || (unsigned char)s[j] < 0x80) {
                size_t wl = j - start;
                i = j;
                int upper = c0 <= 'Z';
                if (lang == BT_LANG_EN && !upper && wl == 3 && !memcmp(d, "the", 3)) continue;
                int abbrev = lang == BT_LANG_VI && lex && wl >= 2 && upper && all_caps(s + start, wl) &&
                             smap_get(&lex->abbrevs, d, wl) != NULL;
                if (!abbrev) {
                    lex_token *k = new_token(out, start, i, wl, upper, 0, brk);
                    /* room was made above: the key is where it was written */
                    k->hash = lex_word_hash(d, wl);
                    out->buf.ptr[out->buf.len + wl] = '\0';
                    out->buf.len += wl + 1;
                    out->buf.ptr[out->buf.len] = '\0';
                    brk = 0;
                    continue;
                }
                i = start; /* an abbreviation: the general path expands it */
            }
        }
        /* ASCII neither letter nor digit: a separator, without decoding */
        if (c0 < 0x80 && word_char(c0) == 0) {
            if (c0 == ';' || c0 == '(' || c0 == ')' || c0 == '"' || c0 == ':' || c0 == '.' ||
                c0 == '!' || c0 == '?' || c0 == '[' || c0 == ']')
                brk = 1;
            i++;
            continue;
        }
        int32_t cp;
        int n = bt_utf8_decode_fast(s + i, len - i, &cp);
        if (n < 0) { i++; continue; }
        int wc = word_char(cp);
        if (!wc) {
            if (cp == ';' || cp == '(' || cp == ')' || cp == '"' || cp == ':' || cp == '.' ||
                cp == '!' || cp == '?' || cp == '[' || cp == ']' || cp == 0x201C || cp == 0x201D)
                brk = 1;
            i += (size_t)n;
            continue;
        }
        size_t start = i;
        int upper = wc == 1 && (u_isupper(cp) || u_istitle(cp));
        int digit = wc == 2;
        /* the word is folded as it is read: a folded character is never
         * longer than the one it comes from */
        bt_buf_reset(&f);
        bt_buf_reserve(&f, len - i + 4);
        char *d = f.ptr;
        while (i < len) {
            n = bt_utf8_decode_fast(s + i, len - i, &cp);
            if (n < 0) break;
            int c = word_char(cp);
            if (digit) {
                /* 1.034 and 3,5 are one number */
                if (c == 2 || ((cp == '.' || cp == ',') && i + 1 < len &&
                               s[i + 1] >= '0' && s[i + 1] <= '9')) {
                    d = fold_put(d, cp);
                    i += (size_t)n;
                    continue;
                }
                break;
            }
            if (c == 1) {
                d = fold_put(d, cp);
                i += (size_t)n;
                continue;
            }
            /* an apostrophe inside an English word: People's */
            if (lang == BT_LANG_EN && (cp == '\'' || cp == 0x2019) && i + (size_t)n < len) {
                int32_t nx;
                if (bt_utf8_decode_fast(s + i + n, len - i - (size_t)n, &nx) > 0 && word_char(nx) == 1) {
                    d = fold_put(d, cp);
                    i += (size_t)n;
                    continue;
                }
            }
            break;
        }
        f.len = (size_t)(d - f.ptr);
        f.ptr[f.len] = '\0';
        if (digit) {
            /* keep the digits only: 1.034 and 1,034 are the same number */
            size_t w = 0;
            for (size_t k = 0; k < f.len; k++)
                if (f.ptr[k] >= '0' && f.ptr[k] <= '9') f.ptr[w++] = f.ptr[k];
            f.len = w;
        }
        if (lang == BT_LANG_EN && !upper && f.len == 3 && !memcmp(f.ptr, "the", 3)) continue;
        /* abbreviations are written in capitals: "Tư" in "Sở Tư pháp" is
         * a word, "TƯ" is Trung ương */
        /* (a word starting with a plain lower-case letter is not) */
        if (lang == BT_LANG_VI && lex && !digit && i - start >= 2 &&
            !(s[start] >= 'a' && s[start] <= 'z') && all_caps(s + start, i - start)) {
            const int *e = smap_get(&lex->abbrevs, f.ptr, f.len);
            if (e && *e >= 0) {
                /* expand: one token per word of the expansion, same span */
                const char *x = lex->expansions[*e];
                while (*x) {
                    const char *sp = strchr(x, ' ');
                    size_t wl = sp ? (size_t)(sp - x) : strlen(x);
                    push_token(out, start, i, x, wl, upper, 0, brk);
                    brk = 0;
                    x += wl;
                    while (*x == ' ') x++;
                }
                continue;
            }
        }
        push_token(out, start, i, f.ptr, f.len, upper, digit, brk);
        brk = 0;
    }
    bt_buf_free(&f);
    /* text typed in capitals throughout ("HỘI NGHỊ TẠI ĐIỂM CẦU NGHỆ AN"):
     * its capitals say nothing, and taken at their word every word would
     * be a name. Abbreviations were found above, by their capitals. */
    if (out->n > SHOUT_WORDS && all_upper_tokens(out) && !bt_has_lower(s, len))
        for (size_t k = 0; k < out->n; k++) out->v[k].upper = 0;
    /* each word's own entry, once: every phrase search starts there */
    out->entries_of = NULL;
    if (lex && lex->built) {
        for (size_t k = 0; k < out->n; k++) {
            lex_token *tk = &out->v[k];
            tk->entry = tk->klen < 65535
                            ? word_entry(&lex->phrases, tk->hash, out->buf.ptr + tk->key, tk->klen)
                            : NULL;
        }
        out->entries_of = lex;
    }
}

/* ---- building ---- */

static char *fold_joined(const bt_lexicon *lex, bt_lang lang, const char *s,
                         size_t len, int *ntok)
{
    lex_tokens t;
    lex_tokens_init(&t);
    lex_tokenize(lex, lang, s, len, &t);
    bt_buf b;
    bt_buf_init(&b);
    for (size_t i = 0; i < t.n; i++) {
        if (i) bt_buf_addc(&b, ' ');
        bt_buf_adds(&b, lex_tok(&t, i));
    }
    *ntok = (int)t.n;
    lex_tokens_free(&t);
    return bt_buf_detach(&b);
}

static void add_phrase(bt_lexicon *lex, const char *form, bt_lang lang, int role, int id)
{
    int ntok;
    char *key = fold_joined(lex, lang, form, strlen(form), &ntok);
    if (ntok == 0) { free(key); return; }
    phrase_entry *pe = ptable_slot(&lex->phrases, key, strlen(key));
    int *head = &pe->head;
    /* the same key for the same concept twice is one hit */
    for (int h = *head; h >= 0; h = lex->hits[h].next)
        if (lex->hits[h].id == id && lex->hits[h].lang == (int)lang) { free(key); return; }
    BT_GROW(lex->hits, lex->hcap, lex->nhits + 1);
    phrase_hit *ph = &lex->hits[lex->nhits];
    ph->id = id;
    ph->role = role;
    ph->lang = (int)lang;
    ph->ntok = ntok;
    ph->next = *head;
    *head = (int)lex->nhits++;
    for (const char *sp = strchr(key, ' '); sp; sp = strchr(sp + 1, ' '))
        ptable_slot(&lex->phrases, key, (size_t)(sp - key))->phrase_prefix = 1;
    if (ntok > lex->max_tokens) lex->max_tokens = ntok;
    free(key);
}

/* Split "a | b | c" into a NULL-terminated array of trimmed strings. */
static char **split_forms(const char *s)
{
    size_t n = 0, cap = 0;
    char **v = NULL;
    while (*s) {
        const char *bar = strstr(s, " | ");
        size_t l = bar ? (size_t)(bar - s) : strlen(s);
        while (l && s[l - 1] == ' ') l--;
        BT_GROW(v, cap, n + 2);
        v[n++] = bt_xstrndup(s, l);
        if (!bar) break;
        s = bar + 3;
    }
    BT_GROW(v, cap, n + 1);
    v[n] = NULL;
    return v;
}

static const struct bt_embedded_file *embedded(const char *name)
{
    for (const struct bt_embedded_file *f = bt_embedded_files; f->name; f++)
        if (!strcmp(f->name, name)) return f;
    return NULL;
}

/* Call fn for each non-comment line of an embedded file, split on TABs. */
static void each_row(const char *name, void (*fn)(bt_lexicon *, char **, int),
                     bt_lexicon *lex)
{
    const struct bt_embedded_file *f = embedded(name);
    if (!f) return;
    const char *p = (const char *)f->data, *end = p + f->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (l && p[0] != '#') {
            char *line = bt_xstrndup(p, l);
            char *cols[8];
            int nc = 0;
            char *c = line;
            while (nc < 8) {
                cols[nc++] = c;
                char *tab = strchr(c, '\t');
                if (!tab) break;
                *tab = '\0';
                c = tab + 1;
            }
            fn(lex, cols, nc);
            free(line);
        }
        p += l + 1;
    }
}

static void add_concept_row(bt_lexicon *lex, char **cols, int nc)
{
    if (nc < 4) return;
    int role;
    bt_term_kind kind;
    if (!strcmp(cols[0], "position")) { role = ROLE_POSITION; kind = BT_TERM_TITLE; }
    else if (!strcmp(cols[0], "title")) { role = ROLE_TITLE; kind = BT_TERM_TITLE; }
    else if (!strcmp(cols[0], "body")) { role = ROLE_BODY; kind = BT_TERM_BODY; }
    else if (!strcmp(cols[0], "place")) { role = ROLE_PLACE; kind = BT_TERM_PLACE; }
    else return;
    int id = (int)lex->nprimary;
    size_t n1 = lex->nprimary + 1;
    lex->concepts = bt_xrealloc(lex->concepts, n1 * sizeof *lex->concepts);
    lex->vi_forms = bt_xrealloc(lex->vi_forms, n1 * sizeof *lex->vi_forms);
    lex->en_forms = bt_xrealloc(lex->en_forms, n1 * sizeof *lex->en_forms);
    lex->combines = bt_xrealloc(lex->combines, n1 * sizeof *lex->combines);
    char **vi = split_forms(cols[1]);
    char **en = split_forms(cols[2]);
    lex->vi_forms[id] = vi;
    lex->en_forms[id] = en;
    lex->combines[id] = nc > 4 ? bt_xstrdup(cols[4]) : NULL;
    bt_concept *c = &lex->concepts[id];
    c->id = id;
    c->kind = kind;
    c->vi = vi[0];
    c->en_official = en[0];
    c->source = bt_xstrdup(cols[3]);
    c->position = c->body = -1;
    for (char **f = vi; *f; f++) add_phrase(lex, *f, BT_LANG_VI, role, id);
    for (char **f = en; *f; f++) add_phrase(lex, *f, BT_LANG_EN, role, id);
    if (role == ROLE_POSITION) {
        lex->pos_ids = bt_xrealloc(lex->pos_ids, (lex->npos + 1) * sizeof(int));
        lex->pos_ids[lex->npos++] = id;
    } else if (role == ROLE_BODY) {
        lex->body_ids = bt_xrealloc(lex->body_ids, (lex->nbody + 1) * sizeof(int));
        lex->body_ids[lex->nbody++] = id;
    }
    lex->nprimary++;
}

static void add_abbrev_row(bt_lexicon *lex, char **cols, int nc)
{
    if (nc < 2) return;
    int n1, n2;
    char *a = fold_joined(NULL, BT_LANG_VI, cols[0], strlen(cols[0]), &n1);
    char *x = fold_joined(NULL, BT_LANG_VI, cols[1], strlen(cols[1]), &n2);
    BT_GROW(lex->expansions, lex->expcap, lex->nexp + 1);
    lex->expansions[lex->nexp] = x;
    *smap_slot(&lex->abbrevs, a, strlen(a), 1) = (int)lex->nexp++;
    free(a);
}

static void add_dict_row(bt_lexicon *lex, char **cols, int nc)
{
    if (nc < 2) return;
    int ntok;
    char *k = fold_joined(lex, BT_LANG_VI, cols[0], strlen(cols[0]), &ntok);
    if (!ntok) { free(k); return; }
    BT_GROW(lex->dict_v, lex->dictcap, lex->ndict + 1);
    lex->dict_v[lex->ndict].ntok = ntok;
    lex->dict_v[lex->ndict].en = bt_xstrdup(cols[1]);
    lex->dict_v[lex->ndict].function = nc > 2 && !strcmp(cols[2], "function");
    ptable_slot(&lex->phrases, k, strlen(k))->dict = (int)lex->ndict++;
    for (const char *sp = strchr(k, ' '); sp; sp = strchr(sp + 1, ' '))
        ptable_slot(&lex->phrases, k, (size_t)(sp - k))->dict_prefix = 1;
    if (ntok > lex->max_tokens) lex->max_tokens = ntok;
    free(k);
}

/* Vietnamese surnames (folded), the anchor of a personal name. */
static const char *const surnames[] = {
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo",
    "dang", "bui", "do", "ho", "ngo", "duong", "ly", "dinh", "truong", "dao",
    "cao", "lam", "mai", "to", "ha", "luu", "doan", "thai", "chu", "luong",
    "ta", "quach", "vuong", "kieu", "chau", "than", "ton", "trieu", "lai",
    "khong", "diep", "giang", "mac", "tu", "la", "hua", "lo", "vi", "luc",
    "nong", "thach", "kim", "au", "tang", "phung", "trinh", "hau", "lu",
    "long", "van", "khuat", "nghiem", "tong", "ong", "dam", "ninh", "bach"
};

/* The surnames in an open-addressing table by the hash their tokens carry
 * (lex_token.hash): asked for every capitalised word of every side, a
 * look-up must cost less than a binary search. */
enum { SURNAME_SLOTS = 256, SURNAME_MAX = 8 };
static const char *surname_slot[SURNAME_SLOTS];
static uint64_t surname_slot_hash[SURNAME_SLOTS];
static pthread_once_t surnames_once = PTHREAD_ONCE_INIT;

static void surnames_init(void)
{
    for (size_t i = 0; i < sizeof surnames / sizeof *surnames; i++) {
        uint64_t w = lex_word_hash(surnames[i], strlen(surnames[i]));
        size_t k = (size_t)w % SURNAME_SLOTS;
        while (surname_slot[k]) k = (k + 1) % SURNAME_SLOTS;
        surname_slot[k] = surnames[i];
        surname_slot_hash[k] = w;
    }
}

int lex_tok_surname(const lex_tokens *t, size_t i)
{
    pthread_once(&surnames_once, surnames_init);
    uint64_t w = t->v[i].hash;
    if (t->v[i].klen > SURNAME_MAX) return 0; /* longer than any surname */
    for (size_t k = (size_t)w % SURNAME_SLOTS; surname_slot[k]; k = (k + 1) % SURNAME_SLOTS)
        if (surname_slot_hash[k] == w && !strcmp(surname_slot[k], lex_tok(t, i))) return 1;
    return 0;
}

static bt_lexicon *lexicon_build(void)
{
    bt_lexicon *lex = bt_xcalloc(1, sizeof *lex);
    each_row("abbreviations.tsv", add_abbrev_row, lex);
    each_row("lexicon.tsv", add_concept_row, lex);
    each_row("words.tsv", add_dict_row, lex);

    /* indices and the position compatibility table */
    lex->pos_index = bt_xmalloc(lex->nprimary * sizeof(int));
    lex->body_index = bt_xmalloc(lex->nprimary * sizeof(int));
    for (size_t i = 0; i < lex->nprimary; i++) lex->pos_index[i] = lex->body_index[i] = -1;
    for (size_t i = 0; i < lex->npos; i++) lex->pos_index[lex->pos_ids[i]] = (int)i;
    for (size_t i = 0; i < lex->nbody; i++) lex->body_index[lex->body_ids[i]] = (int)i;
    lex->pos_compat = bt_xcalloc(lex->npos * lex->npos + 1, 1);
    for (size_t a = 0; a < lex->npos; a++)
        for (size_t b = 0; b < lex->npos; b++) {
            int same = a == b;
            for (char **x = lex->en_forms[lex->pos_ids[a]]; *x && !same; x++)
                for (char **y = lex->en_forms[lex->pos_ids[b]]; *y && !same; y++)
                    same = !strcasecmp(*x, *y);
            lex->pos_compat[a * lex->npos + b] = (unsigned char)same;
        }

    /* composed concepts: every position with every body */
    lex->nconcepts = lex->nprimary + lex->npos * lex->nbody;
    lex->concepts = bt_xrealloc(lex->concepts, lex->nconcepts * sizeof *lex->concepts);
    bt_buf b;
    bt_buf_init(&b);
    for (size_t p = 0; p < lex->npos; p++)
        for (size_t q = 0; q < lex->nbody; q++) {
            const bt_concept *pc = &lex->concepts[lex->pos_ids[p]];
            const bt_concept *bc = &lex->concepts[lex->body_ids[q]];
            bt_concept *c = &lex->concepts[lex->nprimary + p * lex->nbody + q];
            c->id = (int)(lex->nprimary + p * lex->nbody + q);
            c->kind = BT_TERM_TITLE;
            c->position = lex->pos_ids[p];
            c->body = lex->body_ids[q];
            bt_buf_reset(&b);
            bt_buf_adds(&b, pc->vi);
            bt_buf_addc(&b, ' ');
            size_t at = b.len;
            bt_buf_adds(&b, bc->vi);
            /* "Trưởng" + "Ban Dân vận" reads "Trưởng ban Dân vận" */
            size_t pl = strlen(pc->vi), tl = strlen("Trưởng");
            if (pl >= tl && !strcmp(pc->vi + pl - tl, "Trưởng") &&
                (!strncmp(b.ptr + at, "Ban ", 4) || !strncmp(b.ptr + at, "Đoàn ", 6)))
                b.ptr[at] = b.ptr[at] == 'B' ? 'b' : b.ptr[at];
            if (pl >= tl && !strcmp(pc->vi + pl - tl, "Trưởng") &&
                !strncmp(b.ptr + at, "Đoàn ", 6))
                memcpy(b.ptr + at, "đ", 2);
            c->vi = bt_xstrdup(b.ptr);
            bt_buf_reset(&b);
            bt_buf_adds(&b, pc->en_official);
            bt_buf_adds(&b, " of the ");
            bt_buf_adds(&b, bc->en_official);
            c->en_official = bt_xstrdup(b.ptr);
            c->source = pc->source;
        }
    bt_buf_free(&b);
    lex->built = 1;
    return lex;
}

static bt_lexicon *default_lex;
static pthread_once_t default_once = PTHREAD_ONCE_INIT;
static void default_init(void) { default_lex = lexicon_build(); }

const bt_lexicon *bt_lexicon_default(void)
{
    pthread_once(&default_once, default_init);
    return default_lex;
}

size_t bt_lexicon_size(const bt_lexicon *lex) { return lex->nconcepts; }

const bt_concept *bt_lexicon_concept(const bt_lexicon *lex, int id)
{
    if (id < 0 || (size_t)id >= lex->nconcepts) return NULL;
    return &lex->concepts[id];
}

int bt_lexicon_same(const bt_lexicon *lex, int a, int b)
{
    if (a == b) return 1;
    if (a < 0 || b < 0) return 0;
    size_t np = lex->nprimary;
    if ((size_t)a >= np && (size_t)b >= np) {
        size_t ia = (size_t)a - np, ib = (size_t)b - np;
        if (ia % lex->nbody != ib % lex->nbody) return 0;
        return lex->pos_compat[(ia / lex->nbody) * lex->npos + ib / lex->nbody];
    }
    /* a stand-alone title and the same words composed (Bí thư + Trung ương
     * Đảng = Bí thư Trung ương Đảng) are one concept */
    const bt_concept *ca = &lex->concepts[a], *cb = &lex->concepts[b];
    return !strcasecmp(ca->vi, cb->vi) || !strcasecmp(ca->en_official, cb->en_official);
}

void bt_lexicon_each(const bt_lexicon *lex, bt_lexicon_row_fn fn, void *ud)
{
    for (size_t i = 0; i < lex->nprimary; i++) {
        if (lex->pos_index[i] >= 0) continue; /* positions come composed */
        const bt_concept *c = &lex->concepts[i];
        for (char **v = lex->vi_forms[i]; *v; v++)
            for (char **e = lex->en_forms[i]; *e; e++)
                fn(ud, *v, *e, c->kind, e == lex->en_forms[i], c->source);
    }
    /* the usual combinations of positions and bodies */
    bt_buf vi, en;
    bt_buf_init(&vi);
    bt_buf_init(&en);
    for (size_t p = 0; p < lex->npos; p++) {
        int pid = lex->pos_ids[p];
        const char *comb = lex->combines[pid];
        if (!comb || !*comb) continue;
        for (size_t q = 0; q < lex->nbody; q++) {
            int bid = lex->body_ids[q];
            const char *bvi = lex->concepts[bid].vi;
            int ok = 0;
            for (const char *c = comb; *c && !ok;) {
                const char *bar = strchr(c, '|');
                size_t l = bar ? (size_t)(bar - c) : strlen(c);
                ok = !strncmp(bvi, c, l) && (bvi[l] == ' ' || bvi[l] == '\0');
                c += l + (bar ? 1 : 0);
            }
            if (!ok) continue;
            const bt_concept *cc = &lex->concepts[lex->nprimary + p * lex->nbody + q];
            for (char **pe = lex->en_forms[pid]; *pe; pe++) {
                bt_buf_reset(&en);
                bt_buf_adds(&en, *pe);
                bt_buf_adds(&en, " of the ");
                bt_buf_adds(&en, lex->concepts[bid].en_official);
                fn(ud, cc->vi, en.ptr, BT_TERM_TITLE, pe == lex->en_forms[pid], cc->source);
            }
            (void)vi;
        }
    }
    bt_buf_free(&vi);
    bt_buf_free(&en);
}

/* ---- matching ---- */

/* The longest phrase of the given roles starting at token i. Returns its
 * length in tokens (0: none) and the hit through *out. */
static int longest_phrase(const bt_lexicon *lex, bt_lang lang, const lex_tokens *t,
                          size_t i, unsigned roles, const phrase_hit **out)
{
    if (i >= t->n) return 0;
    int best = 0;
    size_t maxn = (size_t)lex->max_tokens;
    if (maxn > t->n - i) maxn = t->n - i;
    uint64_t h = 0;
    for (size_t n = 1; n <= maxn; n++) {
        if (n > 1 && t->v[i + n - 1].brk) break; /* no title spans "; ( :" */
        h = n == 1 ? t->v[i].hash : chain_hash(h, t->v[i + n - 1].hash);
        const phrase_entry *e = n == 1 && t->entries_of == lex
                                    ? (const phrase_entry *)t->v[i].entry
                                    : ptable_get(&lex->phrases, h, t, i, n);
        /* no longer phrase starts with these words: stop here */
        int more = n < maxn && e && e->phrase_prefix;
        if (!e || e->head < 0) {
            if (!more) break;
            continue;
        }
        /* several concepts may share an English form ("Chairman"): take
         * the first listed, bt_lexicon_same() relates the others */
        const phrase_hit *first = NULL;
        for (int k = e->head; k >= 0; k = lex->hits[k].next) {
            const phrase_hit *ph = &lex->hits[k];
            if (ph->lang != (int)lang || !(roles & (1u << ph->role))) continue;
            if (!first || ph->id < first->id) first = ph;
        }
        if (first) {
            best = (int)n;
            *out = first;
        }
        if (!more) break;
    }
    return best;
}

static int composed_id(const bt_lexicon *lex, int pos, int body)
{
    return (int)(lex->nprimary + (size_t)lex->pos_index[pos] * lex->nbody +
                 (size_t)lex->body_index[body]);
}

static int tok_is(const lex_tokens *t, size_t i, const char *w)
{
    return i < t->n && !strcmp(lex_tok(t, i), w);
}

size_t bt_lexicon_find(const bt_lexicon *lex, bt_lang lang, const char *text,
                       size_t len, bt_title_match *out, size_t max)
{
    lex_tokens t;
    lex_tokens_init(&t);
    lex_tokenize(lex, lang, text, len, &t);
    size_t found = lex_find(lex, lang, &t, out, max);
    lex_tokens_free(&t);
    return found;
}

size_t lex_find(const bt_lexicon *lex, bt_lang lang, const lex_tokens *tp,
                bt_title_match *out, size_t max)
{
    const lex_tokens t = *tp;
    size_t found = 0, i = 0;
    const unsigned POS = 1u << ROLE_POSITION, TITLE = 1u << ROLE_TITLE,
                   BODY = 1u << ROLE_BODY, PLACE = 1u << ROLE_PLACE;
    while (i < t.n) {
        /* no phrase starts with a word the lexicon has no entry for */
        if (t.entries_of == lex && !t.v[i].entry) { i++; continue; }
        const phrase_hit *ph = NULL, *pos = NULL, *body = NULL;
        int best = 0, id = -1, body_id = -1;
        size_t bfrom = 0, bto = 0; /* token range of the body */
        bt_term_kind kind = BT_TERM_TITLE;
        /* a stand-alone title, body or place */
        int n = longest_phrase(lex, lang, &t, i, TITLE | BODY | PLACE, &ph);
        if (n) {
            best = n;
            id = ph->id;
            kind = lex->concepts[id].kind;
        }
        /* POSITION [of] BODY */
        int pn = longest_phrase(lex, lang, &t, i, POS, &pos);
        if (pn) {
            size_t j = i + (size_t)pn;
            if (lang == BT_LANG_EN && tok_is(&t, j, "of") && !t.v[j].brk) j++;
            int bn = j < t.n && !t.v[j].brk ? longest_phrase(lex, lang, &t, j, BODY, &body) : 0;
            if (bn && (int)(j - i) + bn > best) {
                best = (int)(j - i) + bn;
                id = composed_id(lex, pos->id, body->id);
                kind = BT_TERM_TITLE;
                body_id = body->id;
                bfrom = j;
                bto = j + (size_t)bn;
            }
        }
        /* English BODY POSITION: "Politburo member", "Party Central
         * Committee Secretary" */
        if (lang == BT_LANG_EN && n && ph->role == ROLE_BODY && i + (size_t)n < t.n &&
            !t.v[i + (size_t)n].brk) {
            int pn2 = longest_phrase(lex, lang, &t, i + (size_t)n, POS, &pos);
            if (pn2 && n + pn2 > best) {
                best = n + pn2;
                id = composed_id(lex, pos->id, ph->id);
                kind = BT_TERM_TITLE;
                body_id = ph->id;
                bfrom = i;
                bto = i + (size_t)n;
            }
        }
        if (!best) { i++; continue; }
        if (found < max) {
            out[found].start = t.v[i].start;
            out[found].end = t.v[i + (size_t)best - 1].end;
            out[found].concept = id;
            out[found].kind = kind;
            out[found].body = body_id;
            out[found].body_start = body_id >= 0 ? t.v[bfrom].start : 0;
            out[found].body_end = body_id >= 0 ? t.v[bto - 1].end : 0;
        }
        found++;
        i += (size_t)best;
    }
    return found;
}

size_t lex_dict_match(const bt_lexicon *lex, const lex_tokens *t, size_t i,
                      const char **en, int *function)
{
    size_t best = 0;
    size_t maxn = (size_t)lex->max_tokens;
    if (maxn > t->n - i) maxn = t->n - i;
    uint64_t h = 0;
    for (size_t n = 1; n <= maxn; n++) {
        if (n > 1 && t->v[i + n - 1].brk) break;
        h = n == 1 ? t->v[i].hash : chain_hash(h, t->v[i + n - 1].hash);
        const phrase_entry *e = n == 1 && t->entries_of == lex
                                    ? (const phrase_entry *)t->v[i].entry
                                    : ptable_get(&lex->phrases, h, t, i, n);
        if (!e) break;
        if (e->dict >= 0) {
            best = n;
            *en = lex->dict_v[e->dict].en;
            if (function) *function = lex->dict_v[e->dict].function;
        }
        if (!e->dict_prefix) break;
    }
    return best;
}

/* ---- abbreviations, for other modules ---- */

void bt_lexicon_each_abbrev(const bt_lexicon *lex, bt_lexicon_abbrev_fn fn, void *ud)
{
    /* the rows the lexicon was built from, as written: a reader that folds
     * differently (glossary keys) folds them its own way */
    (void)lex;
    const struct bt_embedded_file *f = embedded("abbreviations.tsv");
    if (!f) return;
    const char *p = (const char *)f->data, *end = p + f->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
        const char *tab = l && p[0] != '#' ? memchr(p, '\t', l) : NULL;
        if (tab) {
            const char *x = tab + 1, *xend = memchr(x, '\t', (size_t)(p + l - x));
            char *a = bt_xstrndup(p, (size_t)(tab - p));
            char *e = bt_xstrndup(x, (size_t)((xend ? xend : p + l) - x));
            fn(ud, a, e);
            free(a);
            free(e);
        }
        p += l + 1;
    }
}
