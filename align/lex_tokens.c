/* lex_tokens.c - the lexicon's tokenizer: a text to folded words with
 * their spans, abbreviations expanded, each word's lexicon entry looked up
 * once; recent texts' tokens are kept per thread. */
#include "lexicon_table_int.h"
#include "../base/utf8_fast.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

/* ---- tokens ---- */

/* Token lists are made and dropped for every caption and every English line
 * weighed against one: each thread keeps the arrays of a few dropped lists
 * for the next ones, rather than give them back to malloc and ask again. */
enum { TOK_CACHE = 64, TOK_CACHE_MAX_TOKENS = 4096, TOK_CACHE_MAX_BYTES = 65536 };

typedef struct tok_cache {
    size_t n;
    struct { lex_token *v; size_t cap; char *buf; size_t buf_cap; } e[TOK_CACHE];
} tok_cache;

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

static tok_cache *tok_cache_get(void)
{
    if (!tok_cache_mine) tok_cache_mine = bt_thread_block(1, sizeof *tok_cache_mine, tok_cache_drop);
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

void lex_tokens_copy(lex_tokens *dst, const lex_tokens *src)
{
    lex_tokens_init(dst);
    BT_GROW(dst->v, dst->cap, src->n + 1);
    if (src->n) memcpy(dst->v, src->v, src->n * sizeof *src->v);
    dst->n = src->n;
    bt_buf_add(&dst->buf, src->buf.ptr, src->buf.len);
    dst->entries_of = src->entries_of;
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

static inline lex_token *new_token(lex_tokens *t, size_t start, size_t end, size_t klen,
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

/* all_caps of ASCII letters, without decoding: none of them in lower case */
static int ascii_caps(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= 'a') return 0;
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

/* An ASCII word at s[i] (most of English text), scanned and folded into
 * the key buffer without decoding: returns its end and makes it a token,
 * or returns i when a non-ASCII letter continues it or it is a
 * Vietnamese abbreviation (the general path reads those). In the first
 * case *resume is where the non-ASCII letter is, its ASCII beginning
 * folded in the key buffer already ("Nguy" of "Nguyễn"); else i. */
static inline size_t ascii_word(const bt_lexicon *lex, bt_lang lang, const char *s, size_t len,
                                size_t i, lex_tokens *out, int *brk, size_t *resume)
{
    *resume = i;
    /* lower-cased straight into the key buffer; kept only if a token */
    size_t start = i, j = i;
    if (out->buf.len + (len - i) + 2 > out->buf.cap) bt_buf_reserve(&out->buf, len - i + 2);
    char *d = out->buf.ptr + out->buf.len;
    /* eight bytes at a time while they are letters: lower-cased at once,
     * stored whole (room for them was made above) */
    while (j + 8 <= len) {
        uint64_t x = bt_swar_load((const unsigned char *)s + j);
        uint64_t t = (x & ~BT_SWAR_HIGH) | BT_SWAR_ONES * 0x20; /* no carry out of a byte */
        uint64_t letter = (t + BT_SWAR_ONES * (0x80 - 'a')) & ~(t + BT_SWAR_ONES * (0x80 - 'z' - 1)) &
                          ~x & BT_SWAR_HIGH;
        uint64_t low = x | letter >> 2;
        memcpy(d + (j - start), &low, 8);
        if (letter != BT_SWAR_HIGH) {
            j += bt_swar_first(~letter & BT_SWAR_HIGH);
            break;
        }
        j += 8;
    }
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
    if (j < len && (unsigned char)s[j] >= 0x80) {
        *resume = j;
        return start;
    }
    size_t wl = j - start;
    int upper = (unsigned char)s[start] <= 'Z';
    if (lang == BT_LANG_EN && !upper && wl == 3 && !memcmp(d, "the", 3)) return j;
    if (lang == BT_LANG_VI && lex && wl >= 2 && upper && ascii_caps(s + start, wl) &&
        smap_get(&lex->abbrevs, d, wl) != NULL)
        return start;
    lex_token *k = new_token(out, start, j, wl, upper, 0, *brk);
    /* room was made above: the key is where it was written */
    k->hash = lex_word_hash(d, wl);
    out->buf.ptr[out->buf.len + wl] = '\0';
    out->buf.len += wl + 1;
    out->buf.ptr[out->buf.len] = '\0';
    *brk = 0;
    return j;
}

/* Punctuation that no title spans. */
static inline int is_break(int32_t cp)
{
    return cp == ';' || cp == '(' || cp == ')' || cp == '"' || cp == ':' || cp == '.' ||
           cp == '!' || cp == '?' || cp == '[' || cp == ']';
}

/* The word at s[i] (a letter or digit, digit set for a digit), folded as it
 * is read into key (room for len - i bytes and a NUL: a folded character is
 * never longer than the one it comes from), its length in *klen; returns
 * its end. */
static size_t scan_word(bt_lang lang, const char *s, size_t len, size_t i, int digit, char *key,
                        size_t *klen)
{
    char *d = key;
    while (i < len) {
        int32_t cp;
        int n = bt_utf8_decode_fast(s + i, len - i, &cp);
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
    size_t n = (size_t)(d - key);
    if (digit) {
        /* keep the digits only: 1.034 and 1,034 are the same number */
        size_t w = 0;
        for (size_t k = 0; k < n; k++)
            if (key[k] >= '0' && key[k] <= '9') key[w++] = key[k];
        n = w;
    }
    key[n] = '\0';
    *klen = n;
    return i;
}

/* A Vietnamese abbreviation s[start..end) written in capitals ("TƯ" is
 * Trung ương, "Tư" in "Sở Tư pháp" a word; a word starting with a plain
 * lower-case letter is none), folded to key: its expansion as one token
 * per word, all with its span. Returns whether it was one. */
static int push_abbreviation(const bt_lexicon *lex, const char *s, size_t start, size_t end,
                             const char *key, size_t klen, int upper, lex_tokens *out, int *brk)
{
    if (end - start < 2 || (s[start] >= 'a' && s[start] <= 'z') ||
        !all_caps(s + start, end - start))
        return 0;
    /* key may lie where the expansion's words go: done with it first */
    const int *e = smap_get(&lex->abbrevs, key, klen);
    if (!e || *e < 0) return 0;
    const char *x = lex->expansions[*e];
    while (*x) {
        const char *sp = strchr(x, ' ');
        size_t wl = sp ? (size_t)(sp - x) : strlen(x);
        push_token(out, start, end, x, wl, upper, 0, *brk);
        *brk = 0;
        x += wl;
        while (*x == ' ') x++;
    }
    return 1;
}

/* What every text's tokens get once made. */
static void tokens_done(const bt_lexicon *lex, const char *s, size_t len, lex_tokens *out)
{
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

void lex_tokenize(const bt_lexicon *lex, bt_lang lang, const char *s, size_t len,
                  lex_tokens *out)
{
    out->n = 0;
    bt_buf_reset(&out->buf);
    /* room for the usual case at once: a word every few bytes, keys no
     * longer than the text (abbreviations may still ask for more) */
    BT_GROW(out->v, out->cap, len / 4 + 8);
    bt_buf_reserve(&out->buf, len + len / 2 + 16);
    size_t i = 0;
    int brk = 0;
    while (i < len) {
        unsigned char c0 = (unsigned char)s[i];
        size_t resume = i;
        if (((c0 | 32) >= 'a' && (c0 | 32) <= 'z')) {
            size_t end = ascii_word(lex, lang, s, len, i, out, &brk, &resume);
            if (end != i) {
                i = end;
                continue;
            }
        }
        /* ASCII neither letter nor digit: a separator, without decoding */
        if (c0 < 0x80 && word_char(c0) == 0) {
            if (is_break(c0)) brk = 1;
            i++;
            continue;
        }
        int32_t cp;
        int n = bt_utf8_decode_fast(s + i, len - i, &cp);
        if (n < 0) { i++; continue; }
        int wc = word_char(cp);
        if (!wc) {
            if (is_break(cp) || cp == 0x201C || cp == 0x201D) brk = 1;
            i += (size_t)n;
            continue;
        }
        size_t start = i;
        int upper = wc == 1 && (cp < 0x80 ? cp <= 'Z' : u_isupper(cp) || u_istitle(cp));
        int digit = wc == 2;
        /* folded straight into the key buffer, as ascii_word does (which
         * made this room: a word it began is read on from where it
         * stopped, as scanning from its start would read it) */
        if (out->buf.len + (len - i) + 2 > out->buf.cap) bt_buf_reserve(&out->buf, len - i + 2);
        size_t klen;
        i = scan_word(lang, s, len, resume, digit, out->buf.ptr + out->buf.len + (resume - start),
                      &klen);
        klen += resume - start;
        const char *key = out->buf.ptr + out->buf.len;
        if ((lang == BT_LANG_EN && !upper && klen == 3 && !memcmp(key, "the", 3)) ||
            (lang == BT_LANG_VI && lex && !digit &&
             push_abbreviation(lex, s, start, i, key, klen, upper, out, &brk))) {
            out->buf.ptr[out->buf.len] = '\0'; /* no key here after all */
            continue;
        }
        lex_token *k = new_token(out, start, i, klen, upper, digit, brk);
        /* room was made above: the key is where it was written */
        k->hash = lex_word_hash(out->buf.ptr + out->buf.len, klen);
        out->buf.len += klen + 1;
        out->buf.ptr[out->buf.len] = '\0';
        brk = 0;
    }
    tokens_done(lex, s, len, out);
}
