/* index.c - the look-up index: one flat image (header, block checksums, a
 * hash directory of each table's keys, the glossary's rows and its English
 * keys, each front-coded in groups of IDX_GROUP) that is built from a
 * glossary, written beside it as FILE.idx, and mmap'd by later look-ups, so
 * a query costs a stat, an mmap, a slot of a directory and the group of
 * the entry it names (about four blocks, each a page fault on a first
 * read; the binary search of version 4 touched about sixteen), never a
 * parse of the glossary. Rows are in Vietnamese key order and the English
 * keys sorted, so neighbours share most of their bytes: the index is about
 * 0.6 times the glossary's size (version 3 kept every string whole: twice
 * its size).
 *
 * The index proves it is current. Its header records the glossary's size,
 * mtime, ctime, device and inode and a content hash: all unchanged means
 * fresh; otherwise the content hash decides (a `touch` does not force a
 * rebuild, a `touch -r` after an edit cannot hide one, since it changes the
 * ctime). As in git's racy-clean rule, a glossary changed within two seconds
 * of the index being checked may have changed again within its clock's
 * resolution, so its hash is checked then too. The header also records a
 * fingerprint of the key functions, so a build with other folding rules
 * rebuilds, and is checksummed; the body is checksummed in blocks, each
 * checked when a look-up first reads it (see gloss_int.h), so a damaged
 * index is reported, never read as an answer.
 *
 * FILE.idx is opened without following a link or blocking (O_NONBLOCK: a
 * FIFO there would hang the look-up), used only when it is a regular file
 * owned by the glossary's owner or by us, and stamped fresh through the
 * descriptor that was checked, never reopened by name. A file cut while it
 * is mapped raises SIGBUS: the handler (index_check.c, with the hashing and
 * the block checks) maps zeros over the page and marks the index damaged,
 * which bt_gloss_index_damaged reports. */
#include "gloss_int.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- building ------------------------------------------------------------ */

typedef struct src_meta {
    uint64_t size, hash;
    int64_t mtime_sec, mtime_nsec, ctime_sec, ctime_nsec;
    uint64_t dev, ino;
    int64_t built_sec;
} src_meta;

static void meta_of(src_meta *m, const struct stat *st)
{
    m->size = (uint64_t)st->st_size;
    m->mtime_sec = (int64_t)st->st_mtim.tv_sec;
    m->mtime_nsec = (int64_t)st->st_mtim.tv_nsec;
    m->ctime_sec = (int64_t)st->st_ctim.tv_sec;
    m->ctime_nsec = (int64_t)st->st_ctim.tv_nsec;
    m->dev = (uint64_t)st->st_dev;
    m->ino = (uint64_t)st->st_ino;
    m->built_sec = (int64_t)time(NULL);
}

static void meta_to_header(idx_header *h, const src_meta *m)
{
    h->src_size = m->size;
    h->src_mtime_sec = m->mtime_sec;
    h->src_mtime_nsec = m->mtime_nsec;
    h->src_ctime_sec = m->ctime_sec;
    h->src_ctime_nsec = m->ctime_nsec;
    h->src_dev = m->dev;
    h->src_ino = m->ino;
    h->built_sec = m->built_sec;
}

static uint64_t header_hash(const idx_header *h)
{
    idx_header c = *h;
    c.head_hash = 0;
    return idx_hash_bytes(&c, sizeof c);
}

static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

/* v at p, which has room for 10 bytes; the bytes written */
static size_t varint_at(unsigned char *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (unsigned char)v;
    return n;
}

static void put_varint(bt_buf *b, uint64_t v)
{
    bt_buf_reserve(b, 10);
    b->len += varint_at((unsigned char *)b->ptr + b->len, v);
}

/* s (n bytes) after prev (pn bytes; NULL at a group's start), written in
 * place (a buffer call per part was most of the encoding's cost), the
 * shared prefix compared eight bytes at a time */
static void put_field(bt_buf *b, const char *prev, size_t pn, const char *s, size_t n)
{
    size_t k = 0;
    if (prev) {
        size_t m = pn < n ? pn : n;
        while (k + 8 <= m) {
            uint64_t x, y;
            memcpy(&x, prev + k, 8);
            memcpy(&y, s + k, 8);
            if (x != y) break;
            k += 8;
        }
        while (k < m && prev[k] == s[k]) k++;
    }
    bt_buf_reserve(b, 20 + n - k);
    unsigned char *p = (unsigned char *)b->ptr + b->len;
    p += varint_at(p, k);
    p += varint_at(p, n - k);
    memcpy(p, s + k, n - k);
    b->len = (size_t)(p + (n - k) - (unsigned char *)b->ptr);
}

/* A table's directory as it is made: the hash of each distinct key and
 * its first entry, in entry order, in room the caller gives (memory
 * already in use: 24 MB of fresh pages at a million rows cost more to
 * fault in than the directory's making), then the slots. */
typedef struct dir_build {
    uint64_t *hash;
    uint32_t *first;
    size_t n;
    uint32_t *slots;          /* 2 * nslots */
    size_t nslots;
} dir_build;

static void dir_init(dir_build *d, uint64_t *hash, uint32_t *first)
{
    memset(d, 0, sizeof *d);
    d->hash = hash;
    d->first = first;
}

/* Entry i starts a key (k, n bytes) not seen before it. */
static void dir_add(dir_build *d, const char *k, size_t n, size_t i)
{
    d->hash[d->n] = bt_hash_bytes(0, k, n);
    d->first[d->n++] = (uint32_t)i;
}

/* A key's first slot: its hash's low half scaled to the slots (no power
 * of two, so no room wasted rounding up). */
static size_t dir_home(uint64_t h, size_t nslots)
{
    return (size_t)(((h & 0xFFFFFFFFu) * (uint64_t)nslots) >> 32);
}

/* The slots of the keys added, about 4 for 3 keys (linear probing stays
 * short at that load); the room is the caller's again. */
static void dir_finish(dir_build *d)
{
    d->nslots = d->n + d->n / 3 + 1;
    d->slots = bt_xcalloc(2 * d->nslots, sizeof *d->slots);
    gloss_huge(d->slots, 2 * d->nslots * sizeof *d->slots);
    for (size_t k = 0; k < d->n; k++) {
        /* the slots lie at random places: read ahead */
        if (k + 16 < d->n)
            __builtin_prefetch(d->slots + 2 * dir_home(d->hash[k + 16], d->nslots), 1);
        size_t j = dir_home(d->hash[k], d->nslots);
        while (d->slots[2 * j + 1]) j = j + 1 == d->nslots ? 0 : j + 1;
        d->slots[2 * j] = (uint32_t)(d->hash[k] >> 32);
        d->slots[2 * j + 1] = d->first[k] + 1;
    }
    d->hash = NULL;
    d->first = NULL;
}

/* An index in parts, before it is written or flattened: header, the block
 * checksums of the body, then the body: the directories, the group offsets
 * of the rows and of the English keys, their data. Kept in parts so that a
 * large index is written without a second copy in memory. */
typedef struct image {
    idx_header h;
    uint32_t *vdir, *edir;
    uint64_t *rgrp, *egrp;
    bt_buf rdat, edat;
    uint64_t *tops, *sums;
} image;

static void image_free(image *im)
{
    free(im->vdir);
    free(im->edir);
    free(im->rgrp);
    free(im->egrp);
    free(im->tops);
    free(im->sums);
    bt_buf_free(&im->rdat);
    bt_buf_free(&im->edat);
    im->vdir = im->edir = NULL;
    im->rgrp = im->egrp = NULL;
    im->tops = im->sums = NULL;
}

static size_t ngroups(uint64_t n) { return (size_t)((n + IDX_GROUP - 1) / IDX_GROUP); }

/* The body of an image in order, a part at a time. */
typedef void (*part_fn)(void *ctx, const void *p, size_t n);

static void image_body(const image *im, part_fn fn, void *ctx)
{
    size_t ng = ngroups(im->h.nrows);
    fn(ctx, im->vdir, (size_t)im->h.vdir_slots * 2 * sizeof *im->vdir);
    fn(ctx, im->edir, (size_t)im->h.edir_slots * 2 * sizeof *im->edir);
    fn(ctx, im->rgrp, (ng + 1) * sizeof *im->rgrp);
    fn(ctx, im->egrp, (ng + 1) * sizeof *im->egrp);
    fn(ctx, im->rdat.ptr, im->rdat.len);
    fn(ctx, im->edat.ptr, im->edat.len);
    static const char zeros[8];
    fn(ctx, zeros, (size_t)(im->h.total_size - im->h.edat_off - im->h.edat_len));
}

/* Block checksums of a body given in parts. */
typedef struct summer {
    unsigned char *blk;
    size_t fill;
    uint64_t *sums;
    size_t n;
} summer;

static void sum_part(void *ctx, const void *vp, size_t n)
{
    summer *s = ctx;
    const unsigned char *p = vp;
    while (n) {
        if (!s->fill && n >= IDX_BLOCK) { /* a whole block in place */
            s->sums[s->n++] = idx_hash_bytes(p, IDX_BLOCK);
            p += IDX_BLOCK;
            n -= IDX_BLOCK;
            continue;
        }
        size_t k = IDX_BLOCK - s->fill < n ? IDX_BLOCK - s->fill : n;
        memcpy(s->blk + s->fill, p, k);
        s->fill += k;
        p += k;
        n -= k;
        if (s->fill == IDX_BLOCK) {
            s->sums[s->n++] = idx_hash_bytes(s->blk, IDX_BLOCK);
            s->fill = 0;
        }
    }
}

static uint64_t ntops_of(uint64_t nblocks)
{
    return (nblocks + IDX_SUMGROUP - 1) / IDX_SUMGROUP;
}

/* Where the body starts, after the header, the groups' sums and nblocks
 * sums: on a block, unless it is one block (a small glossary's index
 * stays small). */
static uint64_t body_start(uint64_t nblocks)
{
    uint64_t end = align8(sizeof(idx_header)) + (ntops_of(nblocks) + nblocks) * sizeof(uint64_t);
    return nblocks > 1 ? (end + IDX_BLOCK - 1) / IDX_BLOCK * IDX_BLOCK : end;
}

/* The header of an image whose parts are in place (nv and ne slots in
 * its directories), with the block checksums of its body. */
static void finish_header(image *im, size_t n, size_t nv, size_t ne, const src_meta *m)
{
    idx_header *h = &im->h;
    memset(h, 0, sizeof *h);
    memcpy(h->magic, IDX_MAGIC, 8);
    h->version = IDX_VERSION;
    h->endian = IDX_ENDIAN;
    h->key_fp = idx_key_fingerprint();
    meta_to_header(h, m);
    h->src_hash = m->hash;
    h->nrows = n;
    size_t ng = ngroups(n);
    uint64_t garr = (ng + 1) * sizeof(uint64_t);
    uint64_t body = align8((size_t)(8 * (nv + ne) + 2 * garr + im->rdat.len + im->edat.len));
    h->nblocks = (body + IDX_BLOCK - 1) / IDX_BLOCK;
    h->tops_off = align8(sizeof *h);
    h->ntops = ntops_of(h->nblocks);
    h->sums_off = h->tops_off + h->ntops * sizeof(uint64_t);
    h->body_off = body_start(h->nblocks);
    h->vdir_off = h->body_off;
    h->vdir_slots = nv;
    h->edir_off = h->vdir_off + 8 * nv;
    h->edir_slots = ne;
    h->rgrp_off = h->edir_off + 8 * ne;
    h->egrp_off = h->rgrp_off + garr;
    h->rdat_off = h->egrp_off + garr;
    h->rdat_len = im->rdat.len;
    h->edat_off = h->rdat_off + h->rdat_len;
    h->edat_len = im->edat.len;
    h->total_size = h->body_off + body;

    summer s = { bt_xmalloc(IDX_BLOCK), 0,
                 bt_xcalloc(h->nblocks ? (size_t)h->nblocks : 1, sizeof(uint64_t)), 0 };
    image_body(im, sum_part, &s);
    if (s.fill) s.sums[s.n++] = idx_hash_bytes(s.blk, s.fill);
    free(s.blk);
    im->sums = s.sums;
    im->tops = bt_xcalloc(h->ntops ? (size_t)h->ntops : 1, sizeof *im->tops);
    for (uint64_t t = 0; t < h->ntops; t++) {
        uint64_t first = t * IDX_SUMGROUP;
        uint64_t k = h->nblocks - first < IDX_SUMGROUP ? h->nblocks - first : IDX_SUMGROUP;
        im->tops[t] = idx_hash_bytes(s.sums + first, (size_t)k * sizeof(uint64_t));
    }
    h->sums_hash = idx_hash_bytes(im->tops, (size_t)h->ntops * sizeof(uint64_t));
    h->head_hash = header_hash(h);
}

/* Rows read ahead of the one being written, in output order, so that their
 * fields (at random places) are in the cache when they are read: the row
 * at twice this distance, its strings at this one. */
enum { AHEAD = 8 };

/* The English side of an index's build, which runs beside the rows'
 * side on a second thread (the index's bytes are the same either way):
 * first the rows' English keys, in the glossary's own order (its strings
 * lie in that order), then, once the rows' output order is known, the
 * keys sorted and written. */
typedef struct en_side {
    const bt_gloss *g;
    size_t n;
    bt_buf keys;              /* row r's key at off[r], NUL-terminated */
    size_t *off;              /* n + 1 */
    const uint32_t *rank;     /* row r's place in output order */
    gloss_sort_ent *se, *tmp; /* room to sort n */
    uint64_t *egrp;
    bt_buf edat;
    dir_build dir;            /* of the English keys */
} en_side;

static void *en_keys(void *arg)
{
    en_side *e = arg;
    bt_buf_reserve(&e->keys, e->n * 64);
    gloss_huge(e->keys.ptr, e->keys.cap);
    for (size_t r = 0; r < e->n; r++) {
        size_t len;
        const char *en = gloss_en_of(e->g, (uint32_t)r, &len);
        e->off[r] = e->keys.len;
        bt_gloss_key_en(en, len, &e->keys);
        bt_buf_addc(&e->keys, '\0');
    }
    e->off[e->n] = e->keys.len;
    return NULL;
}

static const char *en_key(void *ctx, uint32_t r)
{
    const en_side *e = ctx;
    return e->keys.ptr + e->off[r];
}

/* Rows of the same English key: the most seen first, then in output order. */
static int en_tie(void *ctx, uint32_t x, uint32_t y)
{
    const en_side *e = ctx;
    gloss_fields a, b;
    gloss_fields_of(e->g, x, &a);
    gloss_fields_of(e->g, y, &b);
    if (a.count != b.count) return a.count > b.count ? -1 : 1;
    return (e->rank[x] > e->rank[y]) - (e->rank[x] < e->rank[y]);
}

static void *en_table(void *arg)
{
    en_side *e = arg;
    size_t n = e->n;
    gloss_sort_ent *se = e->se;
    for (size_t r = 0; r < n; r++) se[r].i = (uint32_t)r;
    gloss_keysort(se, e->tmp, n, en_key, en_tie, e);
    bt_buf_reserve(&e->edat, n * 24);
    gloss_huge(e->edat.ptr, e->edat.cap);
    /* the sort's room is free now: the directory's keys go there */
    uint64_t *hash = (uint64_t *)(void *)e->tmp;
    dir_init(&e->dir, hash, (uint32_t *)(void *)(hash + n));
    const char *pk = NULL;
    size_t pn = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + AHEAD < n) __builtin_prefetch(e->keys.ptr + e->off[se[i + AHEAD].i]);
        int start = i % IDX_GROUP == 0;
        if (start) e->egrp[i / IDX_GROUP] = e->edat.len;
        uint32_t r = se[i].i;
        const char *k = e->keys.ptr + e->off[r];
        size_t kn = e->off[r + 1] - e->off[r] - 1;
        if (!i || kn != pn || memcmp(k, pk, kn)) dir_add(&e->dir, k, kn, i);
        put_field(&e->edat, start ? NULL : pk, pn, k, kn);
        put_varint(&e->edat, e->rank[r]);
        pk = k;
        pn = kn;
    }
    e->egrp[ngroups(n)] = e->edat.len;
    dir_finish(&e->dir);
    return NULL;
}

/* Below this many rows both sides run on one thread: a thread costs more
 * than it saves. */
enum { THREAD_ROWS = 16384 };

/* fn(arg) on a thread of its own, or here when that is not worth it or
 * not possible; 1 when a thread was started (join it). */
static int run_beside(pthread_t *t, void *(*fn)(void *), void *arg, size_t n)
{
    if (n >= THREAD_ROWS && pthread_create(t, NULL, fn, arg) == 0) return 1;
    fn(arg);
    return 0;
}

/* The rows' table: their fields front-coded in output order, and the
 * directory of their keys. The first entries of the keys are written over
 * order as it is read (the k-th key's first entry is at least k - 1). */
static void rows_table(const bt_gloss *g, uint32_t *order, size_t n, uint64_t *rgrp,
                       bt_buf *rdat, dir_build *dir)
{
    uint64_t *hash = bt_xmalloc((n ? n : 1) * sizeof *hash);
    dir_init(dir, hash, order);
    bt_buf_reserve(rdat, n * 48);
    gloss_huge(rdat->ptr, rdat->cap);
    /* the row before, its fields and their lengths (the glossary's strings
     * stay put while it lives) */
    gloss_fields last, cur;
    memset(&last, 0, sizeof last);
    for (size_t i = 0; i < n; i++) {
        if (i + 2 * AHEAD < n) gloss_prefetch_row(g, order[i + 2 * AHEAD], 0);
        if (i + AHEAD < n) gloss_prefetch_row(g, order[i + AHEAD], 1);
        gloss_fields_of(g, order[i], &cur);
        int start = i % IDX_GROUP == 0;
        if (start) rgrp[i / IDX_GROUP] = rdat->len;
        if (!i || cur.len[0] != last.len[0] || memcmp(cur.f[0], last.f[0], cur.len[0]))
            dir_add(dir, cur.f[0], cur.len[0], i);
        for (int k = 0; k < IDX_NFIELD; k++)
            put_field(rdat, start ? NULL : last.f[k], last.len[k], cur.f[k], cur.len[k]);
        put_varint(rdat, cur.count);
        bt_buf_addc(rdat, (char)(cur.official ? 1 : 0));
        last = cur;
    }
    rgrp[ngroups(n)] = rdat->len;
    dir_finish(dir);
    free(hash);
}

static void build_image(const bt_gloss *g, const src_meta *m, image *im)
{
    memset(im, 0, sizeof *im);
    size_t n = bt_gloss_size(g), ng = ngroups(n);
    uint64_t *rgrp = bt_xcalloc(ng + 1, sizeof *rgrp);
    uint64_t *egrp = bt_xcalloc(ng + 1, sizeof *egrp);
    /* one block for both sorts (the rows', then the English keys') */
    gloss_sort_ent *se = bt_xmalloc((n ? n : 1) * 2 * sizeof *se);
    uint32_t *order = bt_xmalloc((n ? n : 1) * sizeof *order);
    uint32_t *rank = bt_xmalloc((n ? n : 1) * sizeof *rank);
    gloss_huge(se, 2 * n * sizeof *se);
    en_side e = { .g = g, .n = n, .off = bt_xmalloc((n + 1) * sizeof *e.off),
                  .rank = rank, .se = se, .tmp = se + n, .egrp = egrp };
    bt_buf_init(&e.keys);
    bt_buf_init(&e.edat);
    gloss_huge(e.off, (n + 1) * sizeof *e.off);
    bt_buf rdat;
    bt_buf_init(&rdat);
    dir_build vdir;

    /* the English keys beside the rows' order, then each side's table */
    pthread_t t;
    int beside = run_beside(&t, en_keys, &e, n);
    gloss_sort_rows(g, se, se + n);
    for (size_t i = 0; i < n; i++) {
        order[i] = se[i].i;
        rank[se[i].i] = (uint32_t)i;
    }
    if (beside) pthread_join(t, NULL);
    beside = run_beside(&t, en_table, &e, n);
    rows_table(g, order, n, rgrp, &rdat, &vdir);
    if (beside) pthread_join(t, NULL);

    free(se);
    free(order);
    free(rank);
    free(e.off);
    bt_buf_free(&e.keys);
    im->vdir = vdir.slots;
    im->edir = e.dir.slots;
    im->rgrp = rgrp;
    im->egrp = egrp;
    im->rdat = rdat;
    im->edat = e.edat;
    finish_header(im, n, vdir.nslots, e.dir.nslots, m);
}

/* ---- reading -------------------------------------------------------------- */

void idx_cursor_init(idx_cursor *c, int table)
{
    memset(c, 0, sizeof *c);
    c->table = table;
    for (int k = 0; k < IDX_NFIELD; k++) bt_buf_init(&c->f[k]);
    c->group = UINT64_MAX;
}

void idx_cursor_free(idx_cursor *c)
{
    for (int k = 0; k < IDX_NFIELD; k++) bt_buf_free(&c->f[k]);
}

static int get_varint(idx_cursor *c, uint64_t *v)
{
    uint64_t x = 0;
    for (int sh = 0; sh < 64; sh += 7) {
        if (c->p >= c->end) return 0;
        unsigned char b = *c->p++;
        x |= (uint64_t)(b & 0x7F) << sh;
        if (!(b & 0x80)) {
            *v = x;
            return 1;
        }
    }
    return 0;
}

static int get_field(idx_cursor *c, bt_buf *b)
{
    uint64_t k, n;
    if (!get_varint(c, &k) || !get_varint(c, &n) || k > b->len ||
        n > (uint64_t)(c->end - c->p))
        return 0;
    b->len = (size_t)k;
    /* an empty buffer's NUL is bt_buf's shared one, already there: writing
     * it was a page fault of its own in a look-up */
    if (b->cap) b->ptr[b->len] = '\0';
    bt_buf_add(b, (const char *)c->p, (size_t)n);
    c->p += n;
    return 1;
}

static int cursor_fail(idx_cursor *c)
{
    for (int k = 0; k < IDX_NFIELD; k++) bt_buf_reset(&c->f[k]);
    c->count = 0;
    c->official = 0;
    c->row = UINT64_MAX;
    c->group = UINT64_MAX;
    return 0;
}

int idx_cursor_seek(const bt_gloss_index *ix, idx_cursor *c, size_t i)
{
    if (i >= ix->h->nrows) return cursor_fail(c);
    uint64_t g = i / IDX_GROUP;
    if (c->group == g && c->next == i + 1) return 1; /* decoded last */
    if (c->group != g || c->next > i) {
        const uint64_t *grp = c->table == IDX_ROWS ? ix->rgrp : ix->egrp;
        const unsigned char *dat = c->table == IDX_ROWS ? ix->rdat : ix->edat;
        uint64_t len = c->table == IDX_ROWS ? ix->h->rdat_len : ix->h->edat_len;
        if (!idx_ok(ix, grp + g, 2 * sizeof *grp)) return cursor_fail(c);
        uint64_t a = grp[g], b = grp[g + 1];
        if (a > b || b > len || !idx_ok(ix, dat + a, (size_t)(b - a)))
            return cursor_fail(c);
        c->p = dat + a;
        c->end = dat + b;
        c->group = g;
        c->next = (size_t)(g * IDX_GROUP);
        for (int k = 0; k < IDX_NFIELD; k++) bt_buf_reset(&c->f[k]);
    }
    while (c->next <= i) {
        if (c->table == IDX_ROWS) {
            for (int k = 0; k < IDX_NFIELD; k++)
                if (!get_field(c, &c->f[k])) return cursor_fail(c);
            uint64_t cnt;
            if (!get_varint(c, &cnt) || c->p >= c->end) return cursor_fail(c);
            c->count = (unsigned long)cnt;
            c->official = *c->p++ != 0;
            c->row = c->next;
        } else {
            if (!get_field(c, &c->f[0]) || !get_varint(c, &c->row))
                return cursor_fail(c);
        }
        c->next++;
    }
    return 1;
}

static void copy_part(void *ctx, const void *p, size_t n)
{
    char **at = ctx;
    if (n) memcpy(*at, p, n);
    *at += n;
}

/* One block of memory; the parts are freed as they are copied. */
static char *image_flatten(image *im, size_t *size)
{
    const idx_header *h = &im->h;
    char *img = bt_xcalloc(1, (size_t)h->total_size);
    memcpy(img, h, sizeof *h);
    memcpy(img + h->tops_off, im->tops, (size_t)h->ntops * sizeof(uint64_t));
    memcpy(img + h->sums_off, im->sums, (size_t)h->nblocks * sizeof(uint64_t));
    char *at = img + h->body_off;
    image_body(im, copy_part, &at);
    *size = (size_t)h->total_size;
    image_free(im);
    return img;
}

typedef struct writer {
    FILE *fp;
    int err;
} writer;

static void write_part(void *ctx, const void *p, size_t n)
{
    writer *w = ctx;
    if (!w->err && n && fwrite(p, 1, n, w->fp) != n) w->err = 1;
}

static int image_write(const image *im, FILE *fp)
{
    const idx_header *h = &im->h;
    static const char zeros[IDX_BLOCK];
    writer w = { fp, 0 };
    write_part(&w, h, sizeof *h);
    write_part(&w, zeros, (size_t)h->tops_off - sizeof *h);
    write_part(&w, im->tops, (size_t)h->ntops * sizeof(uint64_t));
    write_part(&w, im->sums, (size_t)h->nblocks * sizeof(uint64_t));
    write_part(&w, zeros, (size_t)(h->body_off - h->sums_off - h->nblocks * sizeof(uint64_t)));
    image_body(im, write_part, &w);
    return w.err ? -1 : 0;
}

/* ---- attaching ------------------------------------------------------------ */

/* Point ix at an image after checking its header, that its parts are in
 * bounds and its block checksums are whole. The header is copied first, so
 * a refresh of the file's header by another look-up does not change it
 * under this one. */
static int attach(bt_gloss_index *ix, const char *base, size_t size)
{
    if (size < sizeof(idx_header)) return -1;
    memcpy(&ix->head, base, sizeof ix->head);
    const idx_header *h = &ix->head;
    /* another version or byte order is not damage: it is built anew */
    if (memcmp(h->magic, IDX_MAGIC, 8) || h->version != IDX_VERSION ||
        h->endian != IDX_ENDIAN)
        return -1;
    if (h->total_size != size || header_hash(h) != h->head_hash)
        return -2;
    uint64_t n = h->nrows;
    /* every offset inside the file first, so that the sums below cannot
     * wrap around */
    if (h->tops_off > size || h->ntops > size || h->sums_off > size ||
        h->nblocks > size || h->body_off > size ||
        h->vdir_off > size || h->vdir_slots > size / 8 || h->edir_off > size ||
        h->edir_slots > size / 8 || h->rgrp_off > size || h->egrp_off > size ||
        h->rdat_off > size || h->rdat_len > size || h->edat_off > size ||
        h->edat_len > size || n > 0xFFFFFFFFu)
        return -2;
    uint64_t garr = (ngroups(n) + 1) * sizeof(uint64_t);
    if (h->tops_off != align8(sizeof *h) || h->ntops != ntops_of(h->nblocks) ||
        h->sums_off != h->tops_off + h->ntops * sizeof(uint64_t) ||
        h->body_off != body_start(h->nblocks) ||
        h->body_off > size || h->vdir_off != h->body_off ||
        h->vdir_off + 8 * h->vdir_slots != h->edir_off ||
        h->edir_off + 8 * h->edir_slots != h->rgrp_off ||
        h->rgrp_off + garr != h->egrp_off || h->egrp_off + garr != h->rdat_off ||
        h->rdat_off + h->rdat_len != h->edat_off ||
        align8((size_t)(h->edat_off + h->edat_len)) != size ||
        h->nblocks != (size - h->body_off + IDX_BLOCK - 1) / IDX_BLOCK ||
        (n && (!h->vdir_slots || !h->edir_slots)))
        return -2;
    /* the groups' sums only: a group of block sums is checked on its
     * first use (idx_check_block) */
    const uint64_t *tops = (const uint64_t *)(const void *)(base + h->tops_off);
    if (idx_hash_bytes(tops, (size_t)h->ntops * sizeof *tops) != h->sums_hash)
        return -2;
    ix->base = base;
    ix->size = size;
    ix->h = h;
    ix->vdir = (const uint32_t *)(const void *)(base + h->vdir_off);
    ix->edir = (const uint32_t *)(const void *)(base + h->edir_off);
    ix->rgrp = (const uint64_t *)(const void *)(base + h->rgrp_off);
    ix->egrp = (const uint64_t *)(const void *)(base + h->egrp_off);
    ix->rdat = (const unsigned char *)base + h->rdat_off;
    ix->edat = (const unsigned char *)base + h->edat_off;
    ix->tops = tops;
    ix->sums = (const uint64_t *)(const void *)(base + h->sums_off);
    if (!ix->rowcur) {
        ix->rowcur = bt_xmalloc(sizeof *ix->rowcur);
        idx_cursor_init(ix->rowcur, IDX_ROWS);
    }
    return 0;
}

bt_gloss_index *bt_gloss_index_build(const bt_gloss *g)
{
    src_meta m;
    memset(&m, 0, sizeof m);
    size_t size;
    image im;
    build_image(g, &m, &im);
    char *img = image_flatten(&im, &size);
    bt_gloss_index *ix = bt_xcalloc(1, sizeof *ix);
    attach(ix, img, size); /* cannot fail on an image just built */
    ix->state = BT_INDEX_MEMORY;
    return ix;
}

static void index_free(bt_gloss_index *ix, int unmap)
{
    if (!ix) return;
    if (ix->mapped) {
        if (unmap) munmap((void *)(uintptr_t)ix->base, ix->size);
    } else {
        free((void *)(uintptr_t)ix->base);
    }
    if (ix->rowcur) {
        idx_cursor_free(ix->rowcur);
        free(ix->rowcur);
    }
    if (ix->chk) {
        idx_maps_remove(ix->chk->slot);
        free(ix->chk->good); /* bad is in the same block */
        free(ix->chk);
    }
    free(ix);
}

void bt_gloss_index_free(bt_gloss_index *ix)
{
    index_free(ix, 1);
}

void bt_gloss_index_free_at_exit(bt_gloss_index *ix)
{
    index_free(ix, 0);
}

bt_gloss_index_state bt_gloss_index_state_of(const bt_gloss_index *ix)
{
    return ix->state;
}

size_t bt_gloss_index_size(const bt_gloss_index *ix)
{
    return (size_t)ix->h->nrows;
}

void bt_gloss_index_row(const bt_gloss_index *ix, size_t i, bt_gloss_row *r)
{
    idx_cursor *c = ix->rowcur;
    idx_cursor_seek(ix, c, i); /* empty when damaged */
    r->vi = c->f[1].ptr;
    r->en = c->f[2].ptr;
    r->kind = c->f[3].ptr;
    r->sources = c->f[4].ptr;
    r->count = c->count;
    r->official = c->official;
}

/* ---- opening ------------------------------------------------------------ */

/* mmap the index open on fd when it is a well-formed index made with our
 * keys; else NULL, with *damaged set when it is an index of ours whose
 * checksums fail. */
static bt_gloss_index *map_fd(int fd, uint64_t fp, int *damaged)
{
    *damaged = 0;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        st.st_size < (off_t)sizeof(idx_header))
        return NULL;
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) return NULL;
    bt_gloss_index *ix = bt_xcalloc(1, sizeof *ix);
    ix->mapped = 1;
    ix->base = p;
    ix->size = (size_t)st.st_size;
    ix->chk = bt_xcalloc(1, sizeof *ix->chk);
    ix->chk->slot = idx_maps_add(p, (size_t)st.st_size);
    /* the header first: the block table's size comes from it (checked
     * once: attaching again hashed the block sums a second time) */
    idx_check *c = ix->chk;
    int rc = attach(ix, p, (size_t)st.st_size);
    int ok = rc == 0 && ix->h->key_fp == fp;
    if (ok) {
        size_t words = (size_t)(ix->h->nblocks / 64 + 1);
        size_t twords = (size_t)(ix->h->ntops / 64 + 1);
        c->good = bt_xcalloc(2 * words + twords, sizeof *c->good);
        c->bad = c->good + words;
        c->tgood = c->bad + words;
    }
    if (idx_map_cut(c->slot)) {
        ok = 0;
        rc = -2;
    }
    *damaged = rc == -2;
    if (!ok) {
        ix->base = p;
        ix->size = (size_t)st.st_size;
        bt_gloss_index_free(ix);
        return NULL;
    }
    ix->state = BT_INDEX_CACHED;
    return ix;
}

/* Open FILE.idx for src (stat sst) without following a link or blocking;
 * -1 when it is missing, not a regular file or not ours to trust (the last
 * two reported). Writable when it can be and flags allow. */
static int open_index(const char *idxpath, const struct stat *sst,
                      unsigned flags, bt_diag_fn diag, void *ud, int *writable)
{
    const int base = O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW;
    int fd = -1;
    *writable = 0;
    if (!(flags & BT_INDEX_NO_WRITE)) {
        fd = open(idxpath, O_RDWR | base);
        *writable = fd >= 0;
    }
    if (fd < 0) fd = open(idxpath, O_RDONLY | base);
    if (fd < 0) return -1;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        bt_report(diag, ud, BT_ERR_FORMAT, 1, idxpath, 0,
                  "not a regular file; not used as the index");
        close(fd);
        return -1;
    }
    /* planted by someone else (a shared folder): never trusted */
    if (st.st_uid != sst->st_uid && st.st_uid != geteuid()) {
        bt_report(diag, ud, BT_ERR_FORMAT, 1, idxpath, 0,
                  "owned by another user (uid %lu) than the glossary; not "
                  "used as the index", (unsigned long)st.st_uid);
        close(fd);
        return -1;
    }
    return fd;
}

/* Record the glossary's new identity for unchanged content, through the
 * descriptor whose index was checked, so the next look-up need not hash
 * the glossary again. Best effort. */
static void refresh_stamp(int fd, const bt_gloss_index *ix, const struct stat *st)
{
    idx_header h = *ix->h;
    src_meta m;
    meta_of(&m, st);
    meta_to_header(&h, &m);
    h.head_hash = header_hash(&h);
    if (pwrite(fd, &h, sizeof h, 0) != (ssize_t)sizeof h) {
        /* stays stale: the content hash is checked again next time */
    }
}

static int is_tbx(const char *path)
{
    size_t n = strlen(path);
    return n >= 4 && !strcasecmp(path + n - 4, ".tbx");
}

/* The index at idxpath if it is fresh for the glossary open on sfd (stat
 * st), or NULL. The glossary's content, when it had to be read to tell, is
 * left in *data (caller frees) with *have_data set. */
static bt_gloss_index *cached_index(int sfd, const char *idxpath,
                                    const struct stat *st, unsigned flags,
                                    uint64_t fp, bt_diag_fn diag, void *ud,
                                    char **data, size_t *len, int *have_data)
{
    int writable;
    int fd = open_index(idxpath, st, flags, diag, ud, &writable);
    if (fd < 0) return NULL;
    int damaged;
    bt_gloss_index *ix = map_fd(fd, fp, &damaged);
    if (!ix) {
        if (damaged)
            bt_report(diag, ud, BT_ERR_FORMAT, 1, idxpath, 0,
                      "damaged (its checksums do not match); built again");
        close(fd);
        return NULL;
    }
    const idx_header *h = ix->h;
    int64_t changed = st->st_mtim.tv_sec > st->st_ctim.tv_sec
                          ? (int64_t)st->st_mtim.tv_sec : (int64_t)st->st_ctim.tv_sec;
    if (h->src_size == (uint64_t)st->st_size &&
        h->src_mtime_sec == (int64_t)st->st_mtim.tv_sec &&
        h->src_mtime_nsec == (int64_t)st->st_mtim.tv_nsec &&
        h->src_ctime_sec == (int64_t)st->st_ctim.tv_sec &&
        h->src_ctime_nsec == (int64_t)st->st_ctim.tv_nsec &&
        h->src_dev == (uint64_t)st->st_dev && h->src_ino == (uint64_t)st->st_ino &&
        changed + 2 <= h->built_sec) {
        close(fd);
        return ix;
    }
    if (h->src_size == (uint64_t)st->st_size &&
        gloss_slurp_fd(sfd, idxpath, 0, data, len, NULL, NULL) == BT_OK) { /* told below */
        *have_data = 1;
        if (idx_hash_bytes(*data, *len) == h->src_hash) {
            if (writable) refresh_stamp(fd, ix, st);
            close(fd);
            return ix;
        }
    }
    close(fd);
    bt_gloss_index_free(ix);
    return NULL;
}

/* The index of a built image (consumed): written beside the glossary and
 * mapped like any cached index, through the descriptor it was written
 * with, or else held in memory. */
static bt_gloss_index *install_image(image *im, const char *idxpath,
                                     unsigned flags, uint64_t fp)
{
    bt_gloss_index *ix = NULL;
    if (!(flags & BT_INDEX_NO_WRITE)) {
        bt_outfile *o = bt_outfile_open(idxpath);
        if (o) {
            if (image_write(im, bt_outfile_fp(o)) == 0) {
                int wfd = dup(bt_outfile_fd(o));
                if (bt_outfile_commit(o) == 0 && wfd >= 0) {
                    /* the written file is open write-only: read it again
                     * through its descriptor, not its name */
                    char self[64];
                    snprintf(self, sizeof self, "/proc/self/fd/%d", wfd);
                    int rfd = open(self, O_RDONLY | O_CLOEXEC);
                    if (rfd >= 0) {
                        int damaged;
                        ix = map_fd(rfd, fp, &damaged);
                        close(rfd);
                    }
                }
                if (wfd >= 0) close(wfd);
            } else {
                bt_outfile_abort(o);
            }
        }
        if (ix) ix->state = BT_INDEX_REBUILT;
    }
    if (!ix) { /* not writable: in memory */
        size_t size;
        char *img = image_flatten(im, &size);
        ix = bt_xcalloc(1, sizeof *ix);
        attach(ix, img, size);
        ix->state = BT_INDEX_MEMORY;
    }
    image_free(im);
    return ix;
}

/* The glossary TSV open on fd (stat st) mapped read-only: its pages are
 * the page cache's, so nothing is copied or zeroed (reading a million rows
 * into memory was a fifth of the build's system time). Registered with
 * the SIGBUS handler, so a file cut while it is read shows as *slot cut,
 * not a crash. NULL to read it instead: empty, over the size bound (which
 * gloss_slurp_fd reports), not mappable, or no handler. */
static const char *map_tsv(int fd, const struct stat *st, int *slot)
{
    *slot = -1;
    if (st->st_size <= 0 || (uintmax_t)st->st_size > bt_limits_get()->total ||
        (uintmax_t)st->st_size > SIZE_MAX)
        return NULL;
    size_t n = (size_t)st->st_size;
#ifdef MAP_POPULATE
    void *p = mmap(NULL, n, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
#else
    void *p = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);
#endif
    if (p == MAP_FAILED) return NULL;
    *slot = idx_maps_add(p, n);
    if (*slot < 0) {
        munmap(p, n);
        return NULL;
    }
    return p;
}

static void unmap_tsv(const char *p, size_t n, int slot)
{
    idx_maps_remove(slot);
    munmap((void *)(uintptr_t)p, n);
}

/* The rows of the TSV open on fd, read from its mapping: BT_OK with *g
 * and m->hash, BT_ERR_* reported, or -1 when it could not be mapped or was
 * cut while it was read (then it is read the usual way). */
static int read_mapped(int fd, const char *path, const struct stat *st, bt_diag_fn diag,
                       void *ud, src_meta *m, bt_gloss **out)
{
    int slot;
    const char *data = map_tsv(fd, st, &slot);
    if (!data) return -1;
    size_t len = (size_t)st->st_size;
    size_t lines;
    int rc = gloss_check_lines(data, len, path, diag, ud, &lines);
    bt_gloss *g = NULL;
    if (rc == BT_OK) {
        m->hash = idx_hash_bytes(data, len);
        g = bt_gloss_new();
        const char *was = bt_reading(path);
        rc = gloss_read_tsv_lines(g, path, data, len, lines, diag, ud);
        bt_reading(was);
    }
    int cut = idx_map_cut(slot);
    unmap_tsv(data, len, slot);
    if (cut) {
        bt_gloss_free(g);
        return -1;
    }
    if (rc != BT_OK) {
        bt_gloss_free(g);
        return rc;
    }
    *out = g;
    return BT_OK;
}

int bt_gloss_index_open(const char *path, unsigned flags, bt_diag_fn diag,
                        void *ud, bt_gloss_index **out)
{
    *out = NULL;
    bt_buf src;
    bt_buf_init(&src);
    bt_buf_adds(&src, path);
    struct stat st;
    if (stat(src.ptr, &st) == 0 && S_ISDIR(st.st_mode))
        bt_buf_adds(&src, "/glossary.tsv");
    /* O_NONBLOCK: a FIFO would block the open; refused below */
    int sfd = open(src.ptr, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (sfd < 0 || fstat(sfd, &st) != 0) {
        bt_report(diag, ud, BT_ERR_IO, 0, src.ptr, 0, "cannot open: %s",
                  strerror(errno));
        if (sfd >= 0) close(sfd);
        bt_buf_free(&src);
        return BT_ERR_IO;
    }
    if (!S_ISREG(st.st_mode)) {
        bt_report(diag, ud, BT_ERR_IO, 0, src.ptr, 0, "not a regular file");
        close(sfd);
        bt_buf_free(&src);
        return BT_ERR_IO;
    }
    bt_buf idxpath;
    bt_buf_init(&idxpath);
    bt_buf_printf(&idxpath, "%s.idx", src.ptr);
    uint64_t fp = idx_key_fingerprint();

    char *data = NULL;
    size_t len = 0;
    int have_data = 0;
    bt_gloss_index *ix = NULL;
    if (!(flags & BT_INDEX_REBUILD))
        ix = cached_index(sfd, idxpath.ptr, &st, flags, fp, diag, ud, &data,
                          &len, &have_data);
    if (ix) goto done;

    /* (re)build from the content read, hashed as read */
    src_meta m;
    meta_of(&m, &st);
    bt_gloss *g = NULL;
    int rc = have_data || is_tbx(src.ptr) ? -1
             : read_mapped(sfd, src.ptr, &st, diag, ud, &m, &g);
    if (rc < 0) {
        int rd = have_data ? BT_OK : gloss_slurp_fd(sfd, src.ptr, !is_tbx(src.ptr), &data, &len, diag, ud);
        if (rd != BT_OK) {
            close(sfd);
            bt_buf_free(&src);
            bt_buf_free(&idxpath);
            return rd;
        }
        m.hash = idx_hash_bytes(data, len);
        g = bt_gloss_new();
        rc = is_tbx(src.ptr) ? bt_gloss_read_tbx(g, src.ptr, diag, ud)
                             : bt_gloss_read_tsv_mem(g, src.ptr, data, len,
                                                     diag, ud);
        free(data);
        data = NULL;
    }
    if (rc != BT_OK) {
        bt_gloss_free(g);
        close(sfd);
        bt_buf_free(&src);
        bt_buf_free(&idxpath);
        return rc;
    }
    image im;
    build_image(g, &m, &im);
    bt_gloss_free(g);
    ix = install_image(&im, idxpath.ptr, flags, fp);
done:
    free(data);
    close(sfd);
    bt_buf_free(&src);
    bt_buf_free(&idxpath);
    *out = ix;
    return BT_OK;
}
