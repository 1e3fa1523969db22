/* lexicon_int.h - internals shared by the align/ sources (not a public header). */
#ifndef BT_LEXICON_INT_H
#define BT_LEXICON_INT_H

#include "align.h"

#include <stdint.h>
#include <string.h>

/* A word of a text, folded, with its span in the text. Abbreviations in
 * Vietnamese text are expanded into several tokens sharing one span. */
typedef struct lex_token {
    size_t start, end;  /* span in the source text */
    size_t key;         /* offset of the folded word in the token list's buf */
    uint64_t hash;      /* of the folded word: phrases are looked up by it */
    const void *entry;  /* the lexicon's entry for this one word, or NULL
                           (looked up once, used by every phrase search) */
    unsigned short klen;
    unsigned char upper;  /* written with a capital letter */
    unsigned char digit;  /* a number */
    unsigned char brk;    /* punctuation before it that no title spans:
                             ; ( ) " : . ! ? */
} lex_token;

typedef struct lex_tokens {
    lex_token *v;
    size_t n, cap;
    bt_buf buf;         /* folded words, each NUL-terminated */
    const bt_lexicon *entries_of; /* the lexicon the entries come from */
} lex_tokens;

/* Four bytes read as they would be one by one, low byte first. */
static inline uint32_t lex_le32(uint32_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return __builtin_bswap32(v);
#else
    return v;
#endif
}

/* The n < 8 bytes at u as they would be read one by one into the low
 * bytes of a word, first byte lowest (0 for none): two loads that may
 * overlap, the same byte landing in the same place. */
static inline uint64_t lex_load_short(const unsigned char *u, size_t n)
{
    if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, u, 4);
        memcpy(&b, u + n - 4, 4);
        return lex_le32(a) | (uint64_t)lex_le32(b) << (8 * (n - 4));
    }
    if (!n) return 0;
    return (uint64_t)u[0] | (uint64_t)u[n / 2] << (8 * (n / 2)) | (uint64_t)u[n - 1] << (8 * (n - 1));
}

/* The hash of a folded word, as in lex_token.hash: inline, as every
 * token of every text is hashed. */
static inline uint64_t lex_word_hash(const char *s, size_t n)
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
    /* the last n < 8 bytes */
    uint64_t x = lex_load_short((const unsigned char *)s, n);
    h = (h ^ x) * 0xC4CEB9FE1A85EC53ULL;
    return h ^ (h >> 29);
}

/* Are a[0..n) and b[0..n) the same bytes? Eight at a time, the last
 * eight (or four) read again where they overlap: no byte outside either
 * is read. For the short keys of the threads' memos. */
static inline int lex_same_bytes(const char *a, const char *b, size_t n)
{
    uint64_t x, y;
    if (n >= 8) {
        for (size_t k = 0; k + 8 <= n; k += 8) {
            memcpy(&x, a + k, 8);
            memcpy(&y, b + k, 8);
            if (x != y) return 0;
        }
        memcpy(&x, a + n - 8, 8);
        memcpy(&y, b + n - 8, 8);
        return x == y;
    }
    if (n >= 4) {
        uint32_t p, q, r, t;
        memcpy(&p, a, 4);
        memcpy(&q, b, 4);
        memcpy(&r, a + n - 4, 4);
        memcpy(&t, b + n - 4, 4);
        return p == q && r == t;
    }
    /* 0 to 3 bytes: the first, middle and last cover them */
    return !n || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]);
}

/* Are tokens i of a and j of b the same folded word? */
static inline int lex_same_word(const lex_tokens *a, size_t i, const lex_tokens *b, size_t j)
{
    return a->v[i].hash == b->v[j].hash && !strcmp(a->buf.ptr + a->v[i].key, b->buf.ptr + b->v[j].key);
}

void lex_tokens_init(lex_tokens *t);
void lex_tokens_free(lex_tokens *t);
/* dst (not initialized) as a copy of src: its tokens and the words they
 * point into (src->buf.len bytes). */
void lex_tokens_copy(lex_tokens *dst, const lex_tokens *src);
/* Tokenize text; for Vietnamese, expand known abbreviations. English drops
 * the article "the", which titles use freely. Whole-article alignment has
 * its own idea of a word (bead_sent.c's analyze: "%", letters of every
 * script, letters and digits in one word, no abbreviations expanded); the
 * two differ in ways the outputs depend on. */
void lex_tokenize(const bt_lexicon *lex, bt_lang lang, const char *text,
                  size_t len, lex_tokens *out);
static inline const char *lex_tok(const lex_tokens *t, size_t i)
{
    return t->buf.ptr + t->v[i].key;
}

/* The folded word's length (klen saturates for absurdly long words). */
static inline size_t lex_tok_len(const lex_tokens *t, size_t i)
{
    return t->v[i].klen < 65535 ? t->v[i].klen : strlen(lex_tok(t, i));
}

/* bt_lexicon_find over tokens already made by lex_tokenize. */
size_t lex_find(const bt_lexicon *lex, bt_lang lang, const lex_tokens *t,
                bt_title_match *out, size_t max);

/* bt_people_parse with the text's tokens and lexicon matches at hand. */
void lex_people(const bt_lexicon *lex, bt_lang lang, const char *text, size_t len,
                const lex_tokens *t, const bt_title_match *m, size_t nm, bt_people *out);

/* Is token i of t (folded) a Vietnamese surname? By the hash it carries. */
int lex_tok_surname(const lex_tokens *t, size_t i);

/* Bilingual caption words: does the folded Vietnamese phrase starting at
 * token i have a dictionary entry? Returns its length in tokens (0 if none)
 * and the English stems through *en (a "|"-separated list); *function
 * (may be NULL) tells a word too common to be evidence alone. text is what
 * t was made from: written with its marks, it picks among the words that
 * fold alike the one written so. */
size_t lex_dict_match(const bt_lexicon *lex, const lex_tokens *t, const char *text, size_t i,
                      const char **en, int *function);

/* Every caption word starting at token i, shortest first (at most max):
 * how a caption can be cut into words when the longest match would take
 * the first syllable of the next word. */
typedef struct lex_dict_hit {
    size_t n;       /* its length in tokens */
    const char *en; /* its English stems */
    int function;   /* too common to be evidence alone */
} lex_dict_hit;
#define LEX_DICT_HITS 16
size_t lex_dict_matches(const bt_lexicon *lex, const lex_tokens *t, const char *text, size_t i,
                        lex_dict_hit *out, size_t max);
/* lex_dict_matches once lex_words_ready(lex) has run: a caption asks at
 * every word. */
size_t lex_dict_matches_ready(const bt_lexicon *lex, const lex_tokens *t, const char *text,
                              size_t i, lex_dict_hit *out, size_t max);

/* The data files compiled in (generated from data/ by tools/embed.c), by
 * their path under data/: "lexicon.tsv", "dict/land.tsv", "judge.tsv". */
struct bt_embedded_file { const char *name; const unsigned char *data; size_t len; };
extern const struct bt_embedded_file bt_embedded_files[];
const struct bt_embedded_file *lex_embedded(const char *name); /* NULL if absent */

/* Call fn for each line of embedded file name that is not blank or a #
 * comment, split on TABs (at most 8 columns). */
typedef void (*lex_row_fn)(void *ud, char **cols, int ncols);
void lex_embedded_rows(const char *name, lex_row_fn fn, void *ud);

/* The form of the Vietnamese s[0..len) that tells apart words folding alike
 * (lex_form.c): lower case, the tones kept but not where they sit. Returns
 * 0 when it does not fit out[cap]. */
int lex_form(const char *s, size_t len, char *out, size_t cap);
/* lex_form of s[0..len), remembered per thread for the texts asked again
 * (the same caption words, caption after caption): the form, valid until
 * the thread's next call, or NULL where lex_form gives none (out[cap] is
 * room that may be used). */
const char *lex_form_memo(const char *s, size_t len, char *out, size_t cap);

/* s[0..len) in lower case (NFC in, NFC out), appended to out; 0 when it
 * is too long to be a word. */
int lex_lower(const char *s, size_t len, bt_buf *out);

/* Read the caption words, once, before the first lex_dict_match (which
 * calls it): the default lexicon's on first use; a lexicon of one's own
 * (bt_lexicon_new) has them from the start. */
void lex_words_ready(const bt_lexicon *lex);

/* Is an English word (folded) one the caption words' English can meet,
 * whole or by its stem? A word none of them knows (a name written in
 * lower case, a technical term) says nothing of a pair either way. Needs
 * lex_words_ready. */
int lex_en_known(const bt_lexicon *lex, const char *w, size_t n);
/* lex_en_known of a token's folded word w, hash its lex_word_hash, from
 * the thread's memo when asked before */
int lex_en_known_memo(const bt_lexicon *lex, const char *w, size_t n, uint64_t hash);

/* What sets the lexicon's caption words apart from every other
 * lexicon's (and from its own before a word was added): a key for the
 * threads' memos of what its words give. */
uint64_t lex_words_serial(const bt_lexicon *lex);

/* Add a caption word whose English is already stems ("harvest", "tea$"),
 * "|"-separated alternatives, as data/words.tsv writes them. 1 if added. */
int lex_add_stems(bt_lexicon *lex, const char *vi, const char *stems, int function);

/* One English word as the caption words' stems have it (word_stem in
 * lex_words.c): appended to out. */
void lex_word_stem(bt_buf *out, const char *w, size_t n);

#endif
