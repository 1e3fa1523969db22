/* index.c - the look-up index: one flat image (header, rows, two sorted key
 * arrays, a string pool) that is built from a glossary, written beside it as
 * FILE.idx, and mmap'd by later look-ups, so a query costs a stat, an mmap
 * and two binary searches, never a parse of the glossary.
 *
 * The header records the glossary's size, mtime and a content hash: size
 * and mtime unchanged means fresh; otherwise the content hash decides (a
 * `touch` does not force a rebuild). As in git's racy-clean rule, a glossary
 * changed within two seconds of the index being built may have changed again
 * within its mtime's resolution, so its hash is checked then too. The header
 * also records a fingerprint of the key functions, so a build with other
 * folding rules rebuilds. */
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

/* ---- hashing ------------------------------------------------------------ */

static uint64_t mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* Change detection, not security: eight bytes a step. */
static uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ mix64(w)) * 0x100000001b3ULL;
        h ^= h >> 29;
        p += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, p, n);
    return mix64(h ^ mix64(w ^ n));
}

static uint64_t key_fingerprint(void)
{
    static const char probe_vi[] =
        "Ủy viên BTV Tỉnh ủy, Phó Chủ tịch Thường trực UBND tỉnh Nghệ An; "
        "Chủ tịch HĐND TP. Hồ Chí Minh - thuỷ hoà khoẻ quý Đà Nẵng TW MTTQ HÐND TƯ PTNT";
    static const char probe_en[] =
        "The Standing Deputy Secretary of the Provincial People’s Committee";
    bt_buf b;
    bt_buf_init(&b);
    bt_gloss_key_vi(probe_vi, sizeof probe_vi - 1, &b);
    bt_buf_addc(&b, '|');
    bt_gloss_key_en(probe_en, sizeof probe_en - 1, &b);
    uint64_t h = hash_bytes(b.ptr, b.len) ^ IDX_VERSION;
    bt_buf_free(&b);
    return h;
}

/* ---- building ------------------------------------------------------------ */

typedef struct src_meta {
    uint64_t size, hash;
    int64_t mtime_sec, mtime_nsec;
    int64_t built_sec;
} src_meta;

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
 * the English keys sorted, then the string pool. Kept in parts so that a
 * large index is written without a second copy in memory. */
typedef struct image {
    idx_header h;
    idx_row *rows;
    idx_key *fwd, *rev;
    bt_buf pool;
} image;

static void image_free(image *im)
{
    free(im->rows);
    free(im->fwd);
    free(im->rev);
    bt_buf_free(&im->pool);
    im->rows = NULL;
    im->fwd = im->rev = NULL;
}

/* The header of an image of n rows and a pool of pool_len bytes. */
static void fill_header(idx_header *h, const src_meta *m, size_t n, size_t pool_len)
{
    memset(h, 0, sizeof *h);
    memcpy(h->magic, IDX_MAGIC, 8);
    h->version = IDX_VERSION;
    h->endian = IDX_ENDIAN;
    h->key_fp = key_fingerprint();
    h->src_size = m->size;
    h->src_mtime_sec = m->mtime_sec;
    h->src_mtime_nsec = m->mtime_nsec;
    h->built_sec = m->built_sec;
    h->src_hash = m->hash;
    h->nrows = n;
    h->rows_off = align8(sizeof *h);
    h->fwd_off = h->rows_off + n * sizeof(idx_row);
    h->rev_off = h->fwd_off + n * sizeof(idx_key);
    h->pool_off = h->rev_off + n * sizeof(idx_key);
    h->pool_len = pool_len;
    h->total_size = h->pool_off + pool_len;
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
    fill_header(&im->h, m, n, pool.len);
    im->rows = rows;
    im->fwd = fwd;
    im->rev = rev;
    im->pool = pool;
    bt_buf_free(&key);
    bt_buf_free(&prev);
}

/* One block of memory; the parts are freed as they are copied. */
static char *image_flatten(image *im, size_t *size)
{
    const idx_header *h = &im->h;
    size_t n = (size_t)h->nrows;
    char *img = bt_xcalloc(1, (size_t)h->total_size);
    memcpy(img, h, sizeof *h);
    memcpy(img + h->rows_off, im->rows, n * sizeof *im->rows);
    memcpy(img + h->fwd_off, im->fwd, n * sizeof *im->fwd);
    memcpy(img + h->rev_off, im->rev, n * sizeof *im->rev);
    memcpy(img + h->pool_off, im->pool.ptr, im->pool.len);
    *size = (size_t)h->total_size;
    image_free(im);
    return img;
}

static int image_write(const image *im, FILE *fp)
{
    const idx_header *h = &im->h;
    size_t n = (size_t)h->nrows;
    static const char zeros[8];
    if (fwrite(h, sizeof *h, 1, fp) != 1 ||
        fwrite(zeros, 1, (size_t)h->rows_off - sizeof *h, fp) != (size_t)h->rows_off - sizeof *h)
        return -1;
    if ((n && (fwrite(im->rows, sizeof *im->rows, n, fp) != n ||
               fwrite(im->fwd, sizeof *im->fwd, n, fp) != n ||
               fwrite(im->rev, sizeof *im->rev, n, fp) != n)) ||
        fwrite(im->pool.ptr, 1, im->pool.len, fp) != im->pool.len)
        return -1;
    return 0;
}

/* Point ix at an image after checking that its parts are in bounds. */
static int attach(bt_gloss_index *ix, const char *base, size_t size)
{
    if (size < sizeof(idx_header)) return -1;
    const idx_header *h = (const idx_header *)(const void *)base;
    if (memcmp(h->magic, IDX_MAGIC, 8) || h->version != IDX_VERSION ||
        h->endian != IDX_ENDIAN || h->total_size != size)
        return -1;
    uint64_t n = h->nrows;
    /* every offset inside the file first, so that the sums below cannot
     * wrap around */
    if (h->rows_off < sizeof *h || h->rows_off > size || h->fwd_off > size ||
        h->rev_off > size || h->pool_off > size || h->pool_len > size)
        return -1;
    if (n > 0xFFFFFFFFu || h->rows_off + n * sizeof(idx_row) > h->fwd_off ||
        h->fwd_off + n * sizeof(idx_key) > h->rev_off ||
        h->rev_off + n * sizeof(idx_key) > h->pool_off ||
        h->pool_off + h->pool_len != size || h->pool_len == 0 ||
        base[size - 1] != '\0' || (h->rows_off & 7) || (h->fwd_off & 7) ||
        (h->rev_off & 7))
        return -1;
    ix->base = base;
    ix->size = size;
    ix->h = h;
    ix->rows = (const idx_row *)(const void *)(base + h->rows_off);
    ix->fwd = (const idx_key *)(const void *)(base + h->fwd_off);
    ix->rev = (const idx_key *)(const void *)(base + h->rev_off);
    ix->pool = base + h->pool_off;
    return 0;
}


bt_gloss_index *bt_gloss_index_build(const bt_gloss *g)
{
    src_meta m = { 0, 0, 0, 0, 0 };
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
    const idx_row *x = &ix->rows[i];
    r->vi = pool_str(ix, x->vi);
    r->en = pool_str(ix, x->en);
    r->kind = pool_str(ix, x->kind);
    r->sources = pool_str(ix, x->sources);
    r->count = (unsigned long)x->count;
    r->official = (int)x->official;
}

/* ---- opening ------------------------------------------------------------ */

static int read_all(const char *path, char **data, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    bt_buf b;
    bt_buf_init(&b);
    char tmp[1 << 16];
    for (;;) {
        ssize_t n = read(fd, tmp, sizeof tmp);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            bt_buf_free(&b);
            errno = e;
            return -1;
        }
        if (n == 0) break;
        bt_buf_add(&b, tmp, (size_t)n);
    }
    close(fd);
    *len = b.len;
    *data = bt_buf_detach(&b);
    return 0;
}

/* mmap FILE.idx when it is a well-formed index made with our keys. */
static bt_gloss_index *map_index(const char *idxpath, uint64_t fp)
{
    int fd = open(idxpath, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < (off_t)sizeof(idx_header)) {
        close(fd);
        return NULL;
    }
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED) return NULL;
    bt_gloss_index *ix = bt_xcalloc(1, sizeof *ix);
    ix->mapped = 1;
    if (attach(ix, p, (size_t)st.st_size) != 0 || ix->h->key_fp != fp) {
        munmap(p, (size_t)st.st_size);
        free(ix);
        return NULL;
    }
    ix->state = BT_INDEX_CACHED;
    return ix;
}

/* Record a new mtime for unchanged content, so the next look-up need not
 * hash the glossary again. Best effort. */
static void refresh_mtime(const char *idxpath, const struct stat *st)
{
    int fd = open(idxpath, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return;
    int64_t t[3] = { (int64_t)st->st_mtim.tv_sec, (int64_t)st->st_mtim.tv_nsec,
                     (int64_t)time(NULL) };
    if (pwrite(fd, t, sizeof t, offsetof(idx_header, src_mtime_sec)) < 0) {
        /* stays stale: the content hash is checked again next time */
    }
    close(fd);
}

static int is_tbx(const char *path)
{
    size_t n = strlen(path);
    return n >= 4 && !strcasecmp(path + n - 4, ".tbx");
}

/* The index at idxpath if it is fresh for the glossary src (stat st), or
 * NULL. The glossary's content, when it had to be read to tell, is left in
 * *data (caller frees) with *have_data set. */
static bt_gloss_index *cached_index(const char *src, const char *idxpath,
                                    const struct stat *st, unsigned flags,
                                    uint64_t fp, char **data, size_t *len,
                                    int *have_data)
{
    bt_gloss_index *ix = map_index(idxpath, fp);
    if (!ix) return NULL;
    const idx_header *h = ix->h;
    if (h->src_size == (uint64_t)st->st_size &&
        h->src_mtime_sec == (int64_t)st->st_mtim.tv_sec &&
        h->src_mtime_nsec == (int64_t)st->st_mtim.tv_nsec &&
        h->src_mtime_sec + 2 <= h->built_sec)
        return ix;
    if (h->src_size == (uint64_t)st->st_size && read_all(src, data, len) == 0) {
        *have_data = 1;
        if (hash_bytes(*data, *len) == h->src_hash) {
            if (!(flags & BT_INDEX_NO_WRITE)) refresh_mtime(idxpath, st);
            return ix;
        }
    }
    bt_gloss_index_free(ix);
    return NULL;
}

/* The index of a built image (consumed): written beside the glossary and
 * mapped like any cached index, or else held in memory. */
static bt_gloss_index *install_image(image *im, const char *idxpath,
                                     unsigned flags, uint64_t fp)
{
    bt_gloss_index *ix = NULL;
    if (!(flags & BT_INDEX_NO_WRITE)) {
        /* written in parts, then mapped like any cached index */
        bt_outfile *o = bt_outfile_open(idxpath);
        if (o) {
            if (image_write(im, bt_outfile_fp(o)) == 0) {
                if (bt_outfile_commit(o) == 0) ix = map_index(idxpath, fp);
            } else {
                bt_outfile_abort(o);
            }
        }
        if (ix) ix->state = BT_INDEX_REBUILT;
    }
    if (!ix) { /* not writable (or replaced meanwhile): in memory */
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
    if (stat(src.ptr, &st) != 0) {
        bt_report(diag, ud, BT_ERR_IO, 0, src.ptr, 0, "cannot open: %s",
                  strerror(errno));
        bt_buf_free(&src);
        return BT_ERR_IO;
    }
    if (!S_ISREG(st.st_mode)) {
        bt_report(diag, ud, BT_ERR_IO, 0, src.ptr, 0, "not a regular file");
        bt_buf_free(&src);
        return BT_ERR_IO;
    }
    bt_buf idxpath;
    bt_buf_init(&idxpath);
    bt_buf_printf(&idxpath, "%s.idx", src.ptr);
    uint64_t fp = key_fingerprint();

    char *data = NULL;
    size_t len = 0;
    int have_data = 0;
    bt_gloss_index *ix = cached_index(src.ptr, idxpath.ptr, &st, flags, fp,
                                      &data, &len, &have_data);
    if (ix) goto done;

    /* (re)build from the content read, hashed as read */
    if (!have_data && read_all(src.ptr, &data, &len) != 0) {
        bt_report(diag, ud, BT_ERR_IO, 0, src.ptr, 0, "cannot read: %s",
                  strerror(errno));
        bt_buf_free(&src);
        bt_buf_free(&idxpath);
        return BT_ERR_IO;
    }
    src_meta m;
    m.size = (uint64_t)st.st_size;
    m.mtime_sec = (int64_t)st.st_mtim.tv_sec;
    m.mtime_nsec = (int64_t)st.st_mtim.tv_nsec;
    m.built_sec = (int64_t)time(NULL);
    m.hash = hash_bytes(data, len);
    bt_gloss *g = bt_gloss_new();
    int rc = is_tbx(src.ptr) ? bt_gloss_read_tbx(g, src.ptr, diag, ud)
                             : bt_gloss_read_tsv_mem(g, src.ptr, data, len,
                                                     diag, ud);
    free(data);
    data = NULL;
    if (rc != BT_OK) {
        bt_gloss_free(g);
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
    bt_buf_free(&src);
    bt_buf_free(&idxpath);
    *out = ix;
    return BT_OK;
}
