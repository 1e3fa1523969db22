/* index.c - the look-up index: one flat image (header, rows, two sorted key
 * arrays, a string pool, block checksums) that is built from a glossary,
 * written beside it as FILE.idx, and mmap'd by later look-ups, so a query
 * costs a stat, an mmap and two binary searches, never a parse of the
 * glossary.
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

static uint64_t pool_add(bt_buf *pool, const char *s)
{
    uint64_t off = pool->len;
    bt_buf_add(pool, s, strlen(s) + 1);
    return off;
}

typedef struct rev_ent {
    char *key;
    uint64_t count;
    uint32_t row;
} rev_ent;

static int cmp_rev(const void *a, const void *b)
{
    const rev_ent *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c) return c;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

/* An index in parts, before it is written or flattened: header, rows in
 * glossary order, the Vietnamese keys (in row order, which is key order),
 * the English keys sorted, the string pool, then the block checksums of all
 * that follows the header. Kept in parts so that a large index is written
 * without a second copy in memory. */
typedef struct image {
    idx_header h;
    idx_row *rows;
    idx_key *fwd, *rev;
    bt_buf pool;
    uint64_t *sums;
} image;

static void image_free(image *im)
{
    free(im->rows);
    free(im->fwd);
    free(im->rev);
    free(im->sums);
    bt_buf_free(&im->pool);
    im->rows = NULL;
    im->fwd = im->rev = NULL;
    im->sums = NULL;
}

/* The body of an image in order, a part at a time. */
typedef void (*part_fn)(void *ctx, const void *p, size_t n);

static void image_body(const image *im, part_fn fn, void *ctx)
{
    size_t n = (size_t)im->h.nrows;
    fn(ctx, im->rows, n * sizeof *im->rows);
    fn(ctx, im->fwd, n * sizeof *im->fwd);
    fn(ctx, im->rev, n * sizeof *im->rev);
    fn(ctx, im->pool.ptr, im->pool.len);
    static const char zeros[8];
    fn(ctx, zeros, (size_t)(im->h.sums_off - im->h.pool_off - im->h.pool_len));
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

/* The header of an image whose parts are in place, with the block
 * checksums of its body. */
static void finish_header(image *im, size_t n, const src_meta *m)
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
    h->rows_off = align8(sizeof *h);
    h->fwd_off = h->rows_off + n * sizeof(idx_row);
    h->rev_off = h->fwd_off + n * sizeof(idx_key);
    h->pool_off = h->rev_off + n * sizeof(idx_key);
    h->pool_len = im->pool.len;
    h->sums_off = align8((size_t)(h->pool_off + h->pool_len));
    uint64_t body = h->sums_off - h->rows_off;
    h->nblocks = (body + IDX_BLOCK - 1) / IDX_BLOCK;
    h->total_size = h->sums_off + h->nblocks * sizeof(uint64_t);

    summer s = { bt_xmalloc(IDX_BLOCK), 0,
                 bt_xcalloc(h->nblocks ? (size_t)h->nblocks : 1, sizeof(uint64_t)), 0 };
    image_body(im, sum_part, &s);
    if (s.fill) s.sums[s.n++] = idx_hash_bytes(s.blk, s.fill);
    free(s.blk);
    im->sums = s.sums;
    h->sums_hash = idx_hash_bytes(s.sums, (size_t)h->nblocks * sizeof(uint64_t));
    h->head_hash = header_hash(h);
}

static void build_image(const bt_gloss *g, const src_meta *m, image *im)
{
    size_t n = bt_gloss_size(g);
    idx_row *rows = bt_xcalloc(n ? n : 1, sizeof *rows);
    idx_key *fwd = bt_xcalloc(n ? n : 1, sizeof *fwd);
    idx_key *rev = bt_xcalloc(n ? n : 1, sizeof *rev);
    rev_ent *re = bt_xcalloc(n ? n : 1, sizeof *re);
    bt_buf pool, key, prev;
    bt_buf_init(&pool);
    bt_buf_init(&key);
    bt_buf_init(&prev);
    bt_buf_addc(&pool, '\0'); /* offset 0: the empty string */
    uint64_t kind_off = 0;
    const char *kind_prev = NULL;
    uint64_t prev_off = 0;
    for (size_t i = 0; i < n; i++) {
        const bt_gloss_row *r = bt_gloss_row_at(g, i);
        rows[i].vi = pool_add(&pool, r->vi);
        rows[i].en = pool_add(&pool, r->en);
        if (!kind_prev || strcmp(kind_prev, r->kind)) {
            kind_off = pool_add(&pool, r->kind);
            kind_prev = r->kind;
        }
        rows[i].kind = kind_off;
        rows[i].sources = *r->sources ? pool_add(&pool, r->sources) : 0;
        rows[i].count = r->count;
        rows[i].official = (uint32_t)r->official;
        /* rows come sorted by the Vietnamese key: equal keys are adjacent */
        bt_buf_reset(&key);
        bt_gloss_key_vi(r->vi, strlen(r->vi), &key);
        if (i == 0 || key.len != prev.len || memcmp(key.ptr, prev.ptr, key.len)) {
            prev_off = pool.len;
            bt_buf_add(&pool, key.ptr, key.len + 1);
            bt_buf_reset(&prev);
            bt_buf_add(&prev, key.ptr, key.len);
        }
        fwd[i].off = prev_off;
        fwd[i].len = (uint32_t)key.len;
        fwd[i].row = (uint32_t)i;
        bt_buf_reset(&key);
        bt_gloss_key_en(r->en, strlen(r->en), &key);
        re[i].key = bt_xstrndup(key.ptr, key.len);
        re[i].count = r->count;
        re[i].row = (uint32_t)i;
    }
    qsort(re, n, sizeof *re, cmp_rev);
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || strcmp(re[i].key, re[i - 1].key)) {
            prev_off = pool.len;
            bt_buf_add(&pool, re[i].key, strlen(re[i].key) + 1);
        }
        rev[i].off = prev_off;
        rev[i].len = (uint32_t)strlen(re[i].key);
        rev[i].row = re[i].row;
    }
    for (size_t i = 0; i < n; i++) free(re[i].key);
    free(re);

    memset(im, 0, sizeof *im);
    im->rows = rows;
    im->fwd = fwd;
    im->rev = rev;
    im->pool = pool;
    finish_header(im, n, m);
    bt_buf_free(&key);
    bt_buf_free(&prev);
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
    char *at = img + h->rows_off;
    image_body(im, copy_part, &at);
    memcpy(img + h->sums_off, im->sums, (size_t)h->nblocks * sizeof(uint64_t));
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
    static const char zeros[8];
    writer w = { fp, 0 };
    write_part(&w, h, sizeof *h);
    write_part(&w, zeros, (size_t)h->rows_off - sizeof *h);
    image_body(im, write_part, &w);
    write_part(&w, im->sums, (size_t)h->nblocks * sizeof(uint64_t));
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
    if (h->rows_off < sizeof *h || h->rows_off > size || h->fwd_off > size ||
        h->rev_off > size || h->pool_off > size || h->pool_len > size ||
        h->sums_off > size || h->nblocks > size)
        return -2;
    if (n > 0xFFFFFFFFu || h->rows_off + n * sizeof(idx_row) > h->fwd_off ||
        h->fwd_off + n * sizeof(idx_key) > h->rev_off ||
        h->rev_off + n * sizeof(idx_key) > h->pool_off ||
        h->pool_off + h->pool_len > h->sums_off || h->pool_len == 0 ||
        h->sums_off - (h->pool_off + h->pool_len) >= 8 ||
        h->nblocks != (h->sums_off - h->rows_off + IDX_BLOCK - 1) / IDX_BLOCK ||
        h->sums_off + h->nblocks * sizeof(uint64_t) != size ||
        (h->rows_off & 7) || (h->fwd_off & 7) || (h->rev_off & 7) ||
        (h->sums_off & 7))
        return -2;
    const uint64_t *sums = (const uint64_t *)(const void *)(base + h->sums_off);
    if (idx_hash_bytes(sums, (size_t)h->nblocks * sizeof *sums) != h->sums_hash)
        return -2;
    ix->base = base;
    ix->size = size;
    ix->h = h;
    ix->rows = (const idx_row *)(const void *)(base + h->rows_off);
    ix->fwd = (const idx_key *)(const void *)(base + h->fwd_off);
    ix->rev = (const idx_key *)(const void *)(base + h->rev_off);
    ix->pool = base + h->pool_off;
    ix->sums = sums;
    /* the pool ends in NUL, so a string read stops inside it; read through
     * its block's check, as any other read */
    if (ix->chk && !idx_ok(ix, ix->pool + h->pool_len - 1, 1)) return -2;
    if (ix->pool[h->pool_len - 1] != '\0') return -2;
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

void bt_gloss_index_free(bt_gloss_index *ix)
{
    if (!ix) return;
    if (ix->mapped) munmap((void *)(uintptr_t)ix->base, ix->size);
    else free((void *)(uintptr_t)ix->base);
    if (ix->chk) {
        idx_maps_remove(ix->chk->slot);
        free(ix->chk->blocks);
        free(ix->chk);
    }
    free(ix);
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
    const idx_row *x = idx_row_at(ix, i);
    r->vi = pool_str(ix, x->vi);
    r->en = pool_str(ix, x->en);
    r->kind = pool_str(ix, x->kind);
    r->sources = pool_str(ix, x->sources);
    r->count = (unsigned long)x->count;
    r->official = (int)x->official;
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
    /* the header first: the block table's size comes from it */
    idx_check *c = ix->chk;
    ix->chk = NULL;
    int rc = attach(ix, p, (size_t)st.st_size);
    int ok = rc == 0 && ix->h->key_fp == fp;
    if (ok) {
        c->blocks = bt_xcalloc(ix->h->nblocks ? (size_t)ix->h->nblocks : 1, 1);
        ix->chk = c;
        rc = attach(ix, p, (size_t)st.st_size);
        ok = rc == 0;
    } else {
        ix->chk = c;
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
                int wfd = dup(fileno(bt_outfile_fp(o)));
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
    int rd = have_data ? BT_OK : gloss_slurp_fd(sfd, src.ptr, !is_tbx(src.ptr), &data, &len, diag, ud);
    if (rd != BT_OK) {
        close(sfd);
        bt_buf_free(&src);
        bt_buf_free(&idxpath);
        return rd;
    }
    src_meta m;
    meta_of(&m, &st);
    m.hash = idx_hash_bytes(data, len);
    bt_gloss *g = bt_gloss_new();
    int rc = is_tbx(src.ptr) ? bt_gloss_read_tbx(g, src.ptr, diag, ud)
                             : bt_gloss_read_tsv_mem(g, src.ptr, data, len,
                                                     diag, ud);
    free(data);
    data = NULL;
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
