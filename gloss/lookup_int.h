/* lookup_int.h - the built-in lexicon's rows grouped by key, as look-ups
 * read them (lookup.c); made at build time too (tools/lexicon_image.c),
 * so bitext answers its first look-up by key. Not a public header. */
#ifndef BT_LOOKUP_INT_H
#define BT_LOOKUP_INT_H

#include "gloss.h"

#include <stddef.h>
#include <stdint.h>

#define LEX_KEYED_NONE UINT32_MAX

/* A row of the lexicon (bt_lexicon_each, then the bare posts), its
 * strings offsets into the table's pool; the next of its key and part. */
typedef struct lex_keyed_row {
    uint32_t vi, en;
    int kind, preferred;
    uint32_t next;
} lex_keyed_row;

/* A key (bt_gloss_key_vi or _en of a row's side), at an offset of the
 * pool (0: an empty slot), and the first row of each part: 0 the rows,
 * 1 the bare posts. */
typedef struct lex_keyed_slot {
    uint64_t h;
    uint32_t key, len;
    uint32_t first[2];
} lex_keyed_slot;

typedef struct lex_keyed_table {
    const char *pool;
    size_t pool_len;
    const lex_keyed_slot *slots;
    size_t cap;                /* a power of two */
    const lex_keyed_row *rows;
    size_t nrows;
} lex_keyed_table;

/* Both directions, as tools/lexicon_image.c writes them. */
typedef struct lex_keyed_image {
    lex_keyed_table dir[2];
} lex_keyed_image;

/* The abbreviations as glossary keys read them (gloss/key.c), in the
 * order of the lexicon's rows: the abbreviation folded, its expansion as
 * a key and written lower-case, offsets into pool. */
typedef struct gloss_abbrev_row {
    uint32_t abbr, folded, accented;
} gloss_abbrev_row;

typedef struct gloss_abbrev_image {
    const char *pool;
    const gloss_abbrev_row *rows;
    size_t n;
} gloss_abbrev_image;

typedef void (*gloss_abbrev_fn)(void *ud, const char *abbr, const char *folded,
                                const char *accented);

/* The abbreviations made from the lexicon's rows (not the image), each
 * given to fn: what tools/lexicon_image.c writes as the image. */
void gloss_abbrevs_make(gloss_abbrev_fn fn, void *ud);

/* The rows of lex by their keys, Vietnamese (reverse 0) or English. */
void lex_keyed_make(const bt_lexicon *lex, int reverse, lex_keyed_table *out);

#endif
