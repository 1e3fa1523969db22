/* gloss_int.h - the look-up index's image, shared by its building and
 * opening (index.c), its checks (index_check.c) and its look-ups
 * (lookup.c). */
#ifndef BT_GLOSS_INT_H
#define BT_GLOSS_INT_H

#include "gloss.h"

#define IDX_MAGIC "BTGLIDX1"
#define IDX_VERSION 3u
#define IDX_ENDIAN 0x01020304u
/* The body is checksummed in blocks of this size, each checked on its first
 * read, so a look-up pays for the few blocks it touches, not the file. */
#define IDX_BLOCK 8192u

typedef struct idx_header {
    char magic[8];
    uint32_t version;
    uint32_t endian;
    uint64_t key_fp;          /* fingerprint of the key functions */
    /* the glossary file it was built from, as git's racy-clean rule reads a
     * file: any of these changed and the content hash decides */
    uint64_t src_size;
    int64_t src_mtime_sec, src_mtime_nsec;
    int64_t src_ctime_sec, src_ctime_nsec;
    uint64_t src_dev, src_ino;
    int64_t built_sec;        /* when the index was built or last verified */
    uint64_t src_hash;
    uint64_t nrows;
    uint64_t rows_off, fwd_off, rev_off, pool_off, pool_len;
    uint64_t sums_off, nblocks; /* block checksums of [rows_off, sums_off) */
    uint64_t sums_hash;       /* checksum of the block checksums */
    uint64_t total_size;
    uint64_t head_hash;       /* of this header with head_hash 0 */
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

/* What a mapped index learns while it is read: blocks checked (0 not yet,
 * 1 good, 2 bad) and whether any was bad or the file was cut under it. */
typedef struct idx_check {
    unsigned char *blocks;
    int damaged;
    int slot;             /* in the SIGBUS table, or -1 */
} idx_check;

struct bt_gloss_index {
    const char *base;
    size_t size;
    int mapped;           /* munmap, or free */
    bt_gloss_index_state state;
    const idx_header *h;  /* &head: a copy, checked once */
    idx_header head;
    const idx_row *rows;
    const idx_key *fwd, *rev;
    const char *pool;
    const uint64_t *sums;
    idx_check *chk;       /* NULL: built in memory, nothing to check */
};

/* Change detection, not security (index_check.c). */
uint64_t idx_hash_bytes(const void *vp, size_t n);
/* A fingerprint of the key functions, recorded in the header. */
uint64_t idx_key_fingerprint(void);
/* Register [p, p + n) with the SIGBUS handler: its slot, or -1. */
int idx_maps_add(const void *p, size_t n);
void idx_maps_remove(int slot);
/* Was the mapping in slot cut under it (a SIGBUS)? 0 for slot -1. */
int idx_map_cut(int slot);

/* Check block b of the body (index_check.c); 1 when good. */
int idx_check_block(const bt_gloss_index *ix, uint64_t b);
const char *idx_pool_checked(const bt_gloss_index *ix, uint64_t off);
extern const idx_key idx_zero_key;
extern const idx_row idx_zero_row;

/* The bytes [p, p + n) of the body (n <= IDX_BLOCK) checked. */
static inline int idx_ok(const bt_gloss_index *ix, const void *p, size_t n)
{
    if (!ix->chk) return 1;
    uint64_t off = (uint64_t)((const char *)p - ix->base) - ix->h->rows_off;
    uint64_t b = off / IDX_BLOCK, e = (off + n - 1) / IDX_BLOCK;
    return (ix->chk->blocks[b] == 1 || idx_check_block(ix, b)) &&
           (e == b || ix->chk->blocks[e] == 1 || idx_check_block(ix, e));
}

/* Key i of a key array, or an empty key when its block is damaged. */
static inline const idx_key *idx_key_at(const bt_gloss_index *ix,
                                        const idx_key *keys, size_t i)
{
    return idx_ok(ix, keys + i, sizeof *keys) ? keys + i : &idx_zero_key;
}

static inline const idx_row *idx_row_at(const bt_gloss_index *ix, size_t i)
{
    return idx_ok(ix, ix->rows + i, sizeof *ix->rows) ? ix->rows + i
                                                      : &idx_zero_row;
}

/* The pool's bytes [off, off + len] (a key and its NUL) with every block
 * they touch checked, or NULL when out of the pool or damaged. Cheaper
 * than pool_str for a string whose length is known. */
static inline const char *pool_span(const bt_gloss_index *ix, uint64_t off, uint64_t len)
{
    if (off >= ix->h->pool_len || len >= ix->h->pool_len - off) return NULL;
    const char *p = ix->pool + off;
    if (!ix->chk) return p;
    uint64_t a = (uint64_t)(p - ix->base) - ix->h->rows_off;
    for (uint64_t b = a / IDX_BLOCK; b <= (a + len) / IDX_BLOCK; b++)
        if (ix->chk->blocks[b] != 1 && !idx_check_block(ix, b)) return NULL;
    return p;
}

static inline const char *pool_str(const bt_gloss_index *ix, uint64_t off)
{
    if (off >= ix->h->pool_len) return "";
    return ix->chk ? idx_pool_checked(ix, off) : ix->pool + off;
}

/* A whole file into *data (caller frees) and *len, within bt_limits
 * (total size; a line at most text bytes, so that a sparse file of no line
 * ends is refused as it streams in). BT_OK, or a bt_status with the reason
 * reported through diag (may be NULL). The glossary readers, --dict and the
 * index share it; gloss_slurp_fd reads from fd's start (fd stays open),
 * lines bounded only when tsv (a TBX may be one long line). */
int gloss_slurp(const char *path, char **data, size_t *len, bt_diag_fn diag, void *ud);
int gloss_slurp_fd(int fd, const char *path, int tsv, char **data, size_t *len,
                   bt_diag_fn diag, void *ud);

#endif
