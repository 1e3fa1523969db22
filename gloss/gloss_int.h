/* gloss_int.h - the look-up index's image, shared by its building and
 * opening (index.c), its checks (index_check.c) and its look-ups
 * (lookup.c). */
#ifndef BT_GLOSS_INT_H
#define BT_GLOSS_INT_H

#include "gloss.h"

#include <stdint.h>
#include <sys/mman.h>

#define IDX_MAGIC "BTGLIDX1"
/* 5: a hash directory per table, so an exact look-up reads a few blocks,
 * not the ~16 of a binary search; the block sums before the body, which
 * starts on a block. (4 front-coded the rows and English keys in groups; 3
 * kept every string and key whole, and took twice the glossary's size.) */
#define IDX_VERSION 5u
#define IDX_ENDIAN 0x01020304u
/* The body is checksummed in blocks of this size, each checked on its first
 * read, so a look-up pays for the few blocks it touches, not the file. A
 * body of more than one block starts at a multiple of it in the file, so a
 * block is one whole page, mapped by one fault. */
#define IDX_BLOCK 4096u
/* Block sums per group: the header hashes a small array of the groups'
 * sums, each group's block sums are checked on the first use of one of
 * them, so an open reads and hashes about 1 KB, not all the block sums
 * (64 KB at a million rows, a sixth of a look-up's instructions). */
#define IDX_SUMGROUP 64u
/* Entries of a table per front-coded group: the first of a group is whole,
 * each next one gives what it shares with the one before it. */
#define IDX_GROUP 16u

/* The file: the header, the sums of the groups of block sums (tops_off,
 * right after it, in the header's page), the block sums (sums_off), zeros
 * to body_off, then the
 * checksummed body [body_off, total_size): the directories of the rows'
 * Vietnamese keys and of the English keys, two arrays of group offsets
 * (ngroups + 1 each, relative to their table's data), the rows' data, the
 * English keys' data, zeros to a multiple of 8. A row is five fields (its
 * Vietnamese key, vi, en, kind, sources), each as varint shared, varint
 * length, bytes, then varint count and a byte official; rows are in
 * Vietnamese key order. An English key entry is the key the same way, then
 * varint row; they are in (key, count descending, row) order.
 *
 * A directory is open addressing over slots of two uint32: the high half of
 * the key's bt_hash_bytes and 1 + the first entry of that key (0: empty).
 * A key's first slot is its hash's low half times the slots, over 2^32;
 * the next slots follow, wrapping. About 4 slots for 3 distinct keys. */
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
    uint64_t tops_off, ntops; /* checksums of groups of IDX_SUMGROUP sums */
    uint64_t sums_off, nblocks; /* block checksums of the body */
    uint64_t sums_hash;       /* checksum of the groups' checksums */
    uint64_t body_off;        /* the checksummed body: [body_off, total_size) */
    uint64_t vdir_off, vdir_slots, edir_off, edir_slots;
    uint64_t rgrp_off, egrp_off;
    uint64_t rdat_off, rdat_len, edat_off, edat_len;
    uint64_t total_size;
    uint64_t head_hash;       /* of this header with head_hash 0 */
} idx_header;

enum { IDX_NFIELD = 5 };      /* a row's: vi key, vi, en, kind, sources */
enum { IDX_ROWS, IDX_ENKEYS };

/* An entry of a table decoded, and where the decoding stands in its group,
 * so that reading on in order costs one entry a step. */
typedef struct idx_cursor {
    int table;
    bt_buf f[IDX_NFIELD];     /* an English key entry: f[0] */
    unsigned long count;
    int official;
    uint64_t row;
    uint64_t group;           /* of the entry decoded last, or UINT64_MAX */
    size_t next;              /* the entry the group's bytes at p give next */
    const unsigned char *p, *end;
} idx_cursor;

/* What a mapped index learns while it is read: blocks checked, as bits
 * (good[b / 64] bit b % 64 set: block b checked and good; bad the same),
 * groups of block sums checked and good (tgood), and whether any was bad
 * or the file was cut under it. Bits, not a byte a block: a 10 KB table,
 * zeroed at open, was two fresh pages (two page faults) of a look-up that
 * reads four blocks. */
typedef struct idx_check {
    uint64_t *good, *bad, *tgood; /* one allocation, good's */
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
    const uint32_t *vdir, *edir;  /* slots of two uint32 */
    const uint64_t *rgrp, *egrp;
    const unsigned char *rdat, *edat;
    const uint64_t *tops, *sums;
    idx_check *chk;       /* NULL: built in memory, nothing to check */
    idx_cursor *rowcur;   /* for bt_gloss_index_row */
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

/* The bytes [p, p + n) of the body checked, every block they touch. */
static inline int idx_ok(const bt_gloss_index *ix, const void *p, size_t n)
{
    if (!ix->chk || !n) return 1;
    uint64_t off = (uint64_t)((const char *)p - ix->base) - ix->h->body_off;
    for (uint64_t b = off / IDX_BLOCK; b <= (off + n - 1) / IDX_BLOCK; b++)
        if (!(ix->chk->good[b / 64] >> (b % 64) & 1) && !idx_check_block(ix, b)) return 0;
    return 1;
}

/* Cursors over a table (index.c). idx_cursor_seek decodes entry i: 1, or
 * 0 with empty fields when it is out of range or damaged. */
void idx_cursor_init(idx_cursor *c, int table);
void idx_cursor_free(idx_cursor *c);
int idx_cursor_seek(const bt_gloss_index *ix, idx_cursor *c, size_t i);

/* bt_gloss_key_vi of row i's Vietnamese (output order), as the glossary
 * keeps it for its order (gloss.c): the index need not make it again. */
const char *gloss_key_at(const bt_gloss *g, size_t i);

/* An item to sort by its key (keysort.c): the caller sets i, the sort
 * the rest. */
typedef struct gloss_sort_ent {
    uint64_t c;               /* eight bytes of its key */
    const char *k;            /* its key */
    uint32_t i;               /* the item */
} gloss_sort_ent;

/* Item i's key, NUL-terminated; -1, 0 or 1 for two items of the same key
 * (never 0 for two items: the order is total). */
typedef const char *(*gloss_key_fn)(void *ctx, uint32_t i);
typedef int (*gloss_tie_fn)(void *ctx, uint32_t x, uint32_t y);

/* a[0..n) (their i set) in their keys' strcmp order, ties by tie, with
 * tmp (n entries) as room. */
void gloss_keysort(gloss_sort_ent *a, gloss_sort_ent *tmp, size_t n, gloss_key_fn key,
                   gloss_tie_fn tie, void *ctx);

/* A row of g (by its index in g, not in output order) as the index
 * writes it: its Vietnamese key, vi, en, kind and sources with their
 * lengths. */
typedef struct gloss_fields {
    const char *f[5];
    size_t len[5];
    unsigned long count;
    int official;
} gloss_fields;

/* g's rows in output order (bt_gloss_row_at's) as a[k].i, k < n, for n
 * rows, tmp (n entries) room: the index's build reads the rows in place
 * (gloss_fields_of), without the view's copy of them. */
void gloss_sort_rows(const bt_gloss *g, gloss_sort_ent *a, gloss_sort_ent *tmp);
void gloss_fields_of(const bt_gloss *g, uint32_t r, gloss_fields *out);
/* Row r's en and its length (*len). */
const char *gloss_en_of(const bt_gloss *g, uint32_t r, size_t *len);
/* Row r's fields asked into the cache, before they are read. */
void gloss_prefetch_row(const bt_gloss *g, uint32_t r, int strings);

/* Huge pages asked for over the page-aligned inside of [p, p + n), before
 * it is first written: a glossary's big tables (a million rows fill 500
 * MB) then fault once per 2 MB, not per 4 KB page, which was a quarter of
 * an index build's time. Advice only; small blocks are left alone. */
static inline void gloss_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    if (n < ((size_t)4 << 20)) return;
    uintptr_t a = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
    uintptr_t e = ((uintptr_t)p + n) & ~(uintptr_t)4095;
    if (e > a) (void)madvise((void *)a, (size_t)(e - a), MADV_HUGEPAGE);
#else
    (void)p;
    (void)n;
#endif
}

/* Room for more rows in g (a reader that knows its line count): no
 * doubling of the rows and identity table as they are added. */
void gloss_reserve(bt_gloss *g, size_t more);

/* What a new row of (vi, en) is made of, made before the row is looked
 * up: it depends on nothing else, so a reader's second thread makes it for
 * the lines ahead (gloss_io.c). s: "canonical vi NUL canonical en NUL key
 * of vi NUL" in the room's strs (vlen, elen bytes), or NULL when there is
 * no row (an empty side); hash: of the identity. */
typedef struct gloss_prep {
    char *s;
    uint32_t vlen, elen, klen;
    uint64_t hash;
} gloss_prep;

/* Scratch of gloss_prepare, and the strings it made (for a glossary to
 * keep, gloss_keep_strings). */
typedef struct gloss_prep_room {
    bt_buf cvi, cen, id, key;
    bt_arena strs;
} gloss_prep_room;

void gloss_prep_init(gloss_prep_room *room, size_t rows);
void gloss_prep_free(gloss_prep_room *room);
/* 1, or 0 when (vi, en) is too long to make ahead (get_row makes it). */
int gloss_prepare(const char *vi, const char *en, gloss_prep_room *room, gloss_prep *out);
/* The strings the room made, kept by g until bt_gloss_free (rows point at
 * them); the room's arena left empty. */
void gloss_keep_strings(bt_gloss *g, gloss_prep_room *room);
/* The identity table's slot for hash asked into the cache (deep 0), or
 * the row it holds (deep 1, once the slot is there): before the row is
 * looked up by a hash made ahead. */
void gloss_prefetch_id(const bt_gloss *g, uint64_t hash, int deep);
/* bt_gloss_add_row with what gloss_prepare made of (vi, en). */
void gloss_add_row_prep(bt_gloss *g, const char *vi, const char *en, const char *kind,
                        unsigned long count, const char *sources, int official,
                        const gloss_prep *prep);

/* bt_gloss_vi_canon(s) added to canon and bt_gloss_lower of that to lower,
 * in one pass for the common text and without allocating (a glossary's
 * reader makes both for both sides of every row). */
void gloss_canon_lower(const char *s, size_t len, bt_buf *canon, bt_buf *lower);

/* Repair a glossary line (or TBX field) of valid UTF-8 in place, by the
 * articles' rule (gloss_io.c): controls and noncharacters become a space,
 * other spaces the space, invisible characters are taken out. *n updated,
 * line NUL-terminated; the first control or noncharacter, or -1. */
int32_t gloss_clean_line(char *line, size_t *n);

/* A whole file into *data (caller frees) and *len, within bt_limits
 * (total size; a line at most text bytes, so that a sparse file of no line
 * ends is refused as it streams in). BT_OK, or a bt_status with the reason
 * reported through diag (may be NULL). The glossary readers, --dict and the
 * index share it; gloss_slurp_fd reads from fd's start (fd stays open),
 * lines bounded only when tsv (a TBX may be one long line). */
int gloss_slurp(const char *path, char **data, size_t *len, bt_diag_fn diag, void *ud);
int gloss_slurp_fd(int fd, const char *path, int tsv, char **data, size_t *len,
                   bt_diag_fn diag, void *ud);

/* gloss_slurp_fd's bound on a TSV's lines, for text not read through it
 * (a mapped file): BT_OK with *lines (may be NULL) its lines, or
 * BT_ERR_LIMIT reported with the line. */
int gloss_check_lines(const char *data, size_t len, const char *path, bt_diag_fn diag,
                      void *ud, size_t *lines);
/* bt_gloss_read_tsv_mem of data of lines lines (as gloss_check_lines
 * counted them; 0: counted here). */
int gloss_read_tsv_lines(bt_gloss *g, const char *name, const char *data, size_t len,
                         size_t lines, bt_diag_fn diag, void *ud);

#endif
