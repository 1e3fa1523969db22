/* lexicon_table_int.h - the lexicon's tables, shared by the sources that
 * build it (lexicon.c, its caption words lex_words.c), tokenize against it
 * (lex_tokens.c) and match its phrases (lex_match.c); not a public header. The look-ups are inline: they
 * run for every token of every text. */
#ifndef BT_LEXICON_TABLE_INT_H
#define BT_LEXICON_TABLE_INT_H

#include "lexicon_int.h"

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

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
    unsigned short klen; /* strlen(key), 65535 for that or more */
} phrase_entry;

/* phrase_entry.klen of key. */
static inline unsigned short lex_key_len(const char *key)
{
    size_t n = strlen(key);
    return (unsigned short)(n < 65535 ? n : 65535);
}

typedef struct phrase_table {
    phrase_entry *v;
    size_t cap, n;
} phrase_table;
typedef struct dict_entry {
    int ntok;
    int function;   /* too common to be evidence on its own */
    char *en;       /* stems */
    char *form;     /* lex_form of the Vietnamese as written, "" if none */
    char *en_any;   /* first of its key: the stems of every variant */
    int next;       /* the next variant of the same folded key, or -1 */
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
    phrase_table phrases;           /* titles, bodies and places */
    phrase_hit *hits;
    size_t nhits, hcap;
    smap abbrevs;                   /* folded abbreviation -> expansion idx */
    smap en_vocab;                  /* every English stem of the caption words:
                                       1 matched whole, 2 as a prefix */
    char **expansions;
    size_t nexp, expcap;
    /* caption words (data/words.tsv, data/dict/): read on first use
     * (lex_words_ready), as a look-up in the glossary needs none of them */
    phrase_table words;
    dict_entry *dict_v;
    size_t ndict, dictcap;
    int words_max_tokens;
    int max_tokens;
    int built;                      /* tokens may look up their entries */
    /* a lexicon of one's own (bt_lexicon_new): its caption words are read
     * when it is made, and words added later join their variants at once;
     * the default one reads them on first use */
    int own;
    int words_joined;               /* join_variants has run */
    /* what sets its words apart from every other lexicon's, for the
     * threads' memo of lex_en_known: given on first use, 0 again when a
     * word is added (lex_words.c) */
    _Atomic uint64_t serial;
};

static inline uint64_t hash_str(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static inline const int *smap_get(const smap *m, const char *k, size_t n)
{
    if (!m->cap) return NULL;
    size_t i = hash_str(k, n) & (m->cap - 1);
    while (m->keys[i]) {
        if (strlen(m->keys[i]) == n && !memcmp(m->keys[i], k, n)) return &m->vals[i];
        i = (i + 1) & (m->cap - 1);
    }
    return NULL;
}

static inline uint64_t chain_hash(uint64_t prev, uint64_t word)
{
    return ((prev << 23 | prev >> 41) * 0x9E3779B97F4A7C15ULL) ^ word;
}

/* Is the entry's key the words of tokens [i, i + n)? */
static inline int entry_is(const phrase_entry *e, const lex_tokens *t, size_t i, size_t n)
{
    /* the words joined are as long as the key (no longer key has a
     * klen of its own): then each is compared within it, eight bytes at
     * a time, rather than by a call */
    size_t total = n - 1;
    for (size_t x = 0; x < n; x++) {
        if (t->v[i + x].klen == 65535) return 0;
        total += t->v[i + x].klen;
    }
    if (e->klen == 65535 || total != e->klen) return 0;
    const char *k = e->key;
    for (size_t x = 0; x < n; x++) {
        const lex_token *tk = &t->v[i + x];
        if (!lex_same_bytes(k, t->buf.ptr + tk->key, tk->klen)) return 0;
        k += tk->klen;
        if (*k != (x + 1 < n ? ' ' : '\0')) return 0;
        k++;
    }
    return 1;
}

/* The entry for tokens [i, i + n) whose chained hash is h, or NULL. */
static inline const phrase_entry *ptable_get(const phrase_table *t, uint64_t h,
                                             const lex_tokens *tk, size_t i, size_t n)
{
    if (!t->cap) return NULL;
    for (size_t j = h & (t->cap - 1); t->v[j].key; j = (j + 1) & (t->cap - 1))
        if (t->v[j].h == h && entry_is(&t->v[j], tk, i, n)) return &t->v[j];
    return NULL;
}

/* The entry of the one word key[0..n) with hash h, or NULL. */
static inline const phrase_entry *word_entry(const phrase_table *t, uint64_t h, const char *key,
                                             size_t n)
{
    if (!t->cap) return NULL;
    for (size_t j = h & (t->cap - 1); t->v[j].key; j = (j + 1) & (t->cap - 1))
        if (t->v[j].h == h && t->v[j].klen == n && lex_same_bytes(t->v[j].key, key, n))
            return &t->v[j];
    return NULL;
}

/* Building, in lexicon.c and shared with lex_words.c: */
/* m's slot for k[0..n), or NULL when absent; insert adds it (value -1)
 * as needed. */
int *lex_smap_slot(smap *m, const char *k, size_t n, int insert);
/* t's entry for the folded words key[0..len), added when absent. */
phrase_entry *lex_ptable_slot(phrase_table *t, const char *key, size_t len);
/* s[0..len) tokenized and folded, its words joined by single spaces
 * (malloc'd); *ntok the number of words. */
char *lex_fold_joined(const bt_lexicon *lex, bt_lang lang, const char *s,
                      size_t len, int *ntok);
/* fn(lex, cols, ncols) for each row of embedded file name. */
void lex_each_row(const char *name, void (*fn)(bt_lexicon *, char **, int),
                  bt_lexicon *lex);
/* Read the caption words of data/words.tsv and data/dict/ into lex
 * (lex_words.c). */
void lex_words_load(bt_lexicon *lex);
/* The default lexicon built from the data compiled in, caption words and
 * all, as tools/lexicon_image.c writes it out (never freed). */
bt_lexicon *lex_build_default(void);

/* The default lexicon as tools/lexicon_image.c made it at build time: its
 * tables with each string an offset into one pool (0 for NULL), so the
 * data needs no relocation when the program starts and a run reads (and
 * pages in) only the parts it uses. The hash tables keep their slots; a
 * string shared by two fields at run time is one offset in the image. */
typedef struct lex_image_concept {
    int id, kind;
    uint32_t vi, en_official, source;
    int position, body;
} lex_image_concept;

typedef struct lex_image_entry {
    uint64_t h;
    uint32_t key;
    int head, dict;
    unsigned char phrase_prefix, dict_prefix;
} lex_image_entry;

typedef struct lex_image_dict {
    int ntok, function;
    uint32_t en, form, en_any;
    int next;
} lex_image_dict;

typedef struct lex_image {
    const char *pool;
    /* titles and bodies: what a look-up in the glossary reads */
    const lex_image_concept *concepts;
    size_t nconcepts, nprimary;
    const uint32_t *forms;               /* lists, each ended by 0 */
    const uint32_t *vi_forms, *en_forms; /* per primary concept: its list */
    const uint32_t *combines;
    const int *pos_ids, *body_ids;
    size_t npos, nbody;
    const int *pos_index, *body_index;
    const unsigned char *pos_compat;
    /* phrases and abbreviations: what tokenizing and matching read */
    const lex_image_entry *phrases;
    size_t phrases_cap, phrases_n;
    const phrase_hit *hits;
    size_t nhits;
    const uint32_t *abbrev_keys;
    const int *abbrev_vals;
    size_t abbrevs_cap, abbrevs_n;
    const uint32_t *expansions;
    size_t nexp;
    int max_tokens;
    /* caption words: read by weighing captions (lex_words_ready) */
    const lex_image_entry *words;
    size_t words_cap, words_n;
    const lex_image_dict *dict;
    size_t ndict;
    const uint32_t *vocab_keys;
    const int *vocab_vals;
    size_t vocab_cap, vocab_n;
    int words_max_tokens;
} lex_image;

#endif
