/* gloss_int.h - the look-up index's image, shared by its building and
 * opening (index.c) and its look-ups (lookup.c). */
#ifndef BT_GLOSS_INT_H
#define BT_GLOSS_INT_H

#include "gloss.h"

#define IDX_MAGIC "BTGLIDX1"
#define IDX_VERSION 2u
#define IDX_ENDIAN 0x01020304u

typedef struct idx_header {
    char magic[8];
    uint32_t version;
    uint32_t endian;
    uint64_t key_fp;          /* fingerprint of the key functions */
    uint64_t src_size;        /* the glossary file it was built from */
    int64_t src_mtime_sec;
    int64_t src_mtime_nsec;
    int64_t built_sec;        /* when the index was built or last verified */
    uint64_t src_hash;
    uint64_t nrows;
    uint64_t rows_off, fwd_off, rev_off, pool_off, pool_len;
    uint64_t total_size;
} idx_header;

typedef struct idx_row {
    uint64_t vi, en, kind, sources; /* pool offsets */
    uint64_t count;
    uint32_t official;
    uint32_t pad;
} idx_row;

typedef struct idx_key {
    uint64_t off;   /* pool offset of the key */
    uint32_t len;
    uint32_t row;
} idx_key;

struct bt_gloss_index {
    const char *base;
    size_t size;
    int mapped;           /* munmap, or free */
    bt_gloss_index_state state;
    const idx_header *h;
    const idx_row *rows;
    const idx_key *fwd, *rev;
    const char *pool;
};

static inline const char *pool_str(const bt_gloss_index *ix, uint64_t off)
{
    return off < ix->h->pool_len ? ix->pool + off : "";
}

#endif
