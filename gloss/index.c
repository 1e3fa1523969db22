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
 * is mapped raises SIGBUS: the handler here maps zeros over the page and
 * marks the index damaged, which bt_gloss_index_damaged reports. */
#include "gloss_int.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
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

static inline uint64_t rotl64(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

/* Change detection, not security: four lanes of eight bytes a step, so that
 * checking a block costs little next to reading it. */
static uint64_t hash_bytes(const void *vp, size_t n)
{
    const unsigned char *p = vp;
    const uint64_t P1 = 0x9E3779B185EBCA87ULL, P2 = 0xC2B2AE3D27D4EB4FULL;
    uint64_t v[4] = { P1 + P2, P2, 0, 0 - P1 };
    uint64_t h = (uint64_t)n * P1;
    while (n >= 32) {
        for (int i = 0; i < 4; i++) {
            uint64_t w;
            memcpy(&w, p + 8 * i, 8);
            v[i] = rotl64(v[i] + w * P2, 31) * P1;
        }
        p += 32;
        n -= 32;
    }
    for (int i = 0; i < 4; i++) h = mix64(h ^ v[i]) + (uint64_t)i;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = mix64(h ^ w);
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
    return hash_bytes(&c, sizeof c);
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
            s->sums[s->n++] = hash_bytes(s->blk, IDX_BLOCK);
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
    h->key_fp = key_fingerprint();
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
    if (s.fill) s.sums[s.n++] = hash_bytes(s.blk, s.fill);
    free(s.blk);
    im->sums = s.sums;
    h->sums_hash = hash_bytes(s.sums, (size_t)h->nblocks * sizeof(uint64_t));
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

/* ---- checking as it is read ---------------------------------------------- */

const idx_key idx_zero_key;
const idx_row idx_zero_row;

int idx_check_block(const bt_gloss_index *ix, uint64_t b)
{
    idx_check *c = ix->chk;
    if (b >= ix->h->nblocks) {
        c->damaged = 1;
        return 0;
    }
    if (c->blocks[b]) return c->blocks[b] == 1;
    const idx_header *h = ix->h;
    uint64_t off = h->rows_off + b * IDX_BLOCK;
    uint64_t n = h->sums_off - off < IDX_BLOCK ? h->sums_off - off : IDX_BLOCK;
    int good = hash_bytes(ix->base + off, (size_t)n) == ix->sums[b];
    c->blocks[b] = good ? 1 : 2;
    if (!good) c->damaged = 1;
    return good;
}

/* A pool string whose blocks are checked up to its NUL, or "". */
const char *idx_pool_checked(const bt_gloss_index *ix, uint64_t off)
{
    const char *s = ix->pool + off;
    const char *end = ix->pool + ix->h->pool_len;
    const char *p = s;
    for (;;) {
        uint64_t rel = (uint64_t)(p - ix->base) - ix->h->rows_off;
        uint64_t b = rel / IDX_BLOCK;
        if (ix->chk->blocks[b] != 1 && !idx_check_block(ix, b)) return "";
        const char *bend = ix->base + ix->h->rows_off + (b + 1) * IDX_BLOCK;
        if (bend > end) bend = end;
        const char *z = memchr(p, '\0', (size_t)(bend - p));
        if (z) return s;
        p = bend;
        if (p >= end) return ""; /* cannot happen: the pool ends in NUL */
    }
}

/* Mapped indexes, for the SIGBUS handler: a file cut under its mapping
 * faults on the pages past its new end. The handler maps zeros there and
 * marks the index cut, so the look-up ends and reports it. */
enum { MAX_MAPS = 32 };
static struct {
    volatile uintptr_t lo, hi;
    volatile sig_atomic_t cut;
} maps[MAX_MAPS];
static struct sigaction old_bus;
static volatile sig_atomic_t bus_installed;
static uintptr_t page_size;
static pthread_mutex_t maps_lock = PTHREAD_MUTEX_INITIALIZER;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    uintptr_t a = (uintptr_t)si->si_addr;
    for (int i = 0; i < MAX_MAPS; i++) {
        if (maps[i].lo <= a && a < maps[i].hi) {
            void *pg = (void *)(a & ~(page_size - 1));
            if (mmap(pg, page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                     -1, 0) != MAP_FAILED) {
                maps[i].cut = 1;
                return;
            }
        }
    }
    /* not ours: the fault happens again under the previous handler */
    sigaction(sig, &old_bus, NULL);
}

static int maps_add(const void *p, size_t n)
{
    int slot = -1;
    pthread_mutex_lock(&maps_lock);
    /* (again when someone else took SIGBUS since: a test harness) */
    struct sigaction cur;
    if (bus_installed && sigaction(SIGBUS, NULL, &cur) == 0 &&
        (!(cur.sa_flags & SA_SIGINFO) || cur.sa_sigaction != on_sigbus))
        bus_installed = 0;
    if (!bus_installed) {
        page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_sigbus;
        sa.sa_flags = SA_SIGINFO;
        sigemptyset(&sa.sa_mask);
        if (sigaction(SIGBUS, &sa, &old_bus) == 0) bus_installed = 1;
    }
    for (int i = 0; bus_installed && i < MAX_MAPS; i++) {
        if (!maps[i].hi) {
            maps[i].cut = 0;
            maps[i].lo = (uintptr_t)p;
            maps[i].hi = (uintptr_t)p + n;
            slot = i;
            break;
        }
    }
    pthread_mutex_unlock(&maps_lock);
    return slot;
}

static void maps_remove(int slot)
{
    if (slot < 0) return;
    pthread_mutex_lock(&maps_lock);
    maps[slot].hi = 0;
    maps[slot].lo = 0;
    pthread_mutex_unlock(&maps_lock);
}

int bt_gloss_index_damaged(const bt_gloss_index *ix)
{
    if (!ix || !ix->chk) return 0;
    if (ix->chk->slot >= 0 && maps[ix->chk->slot].cut) ix->chk->damaged = 1;
    return ix->chk->damaged;
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
    if (hash_bytes(sums, (size_t)h->nblocks * sizeof *sums) != h->sums_hash)
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
        maps_remove(ix->chk->slot);
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

static int read_fd(int fd, char **data, size_t *len)
{
    bt_buf b;
    bt_buf_init(&b);
    char tmp[1 << 16];
    if (lseek(fd, 0, SEEK_SET) < 0) return -1;
    for (;;) {
        ssize_t n = read(fd, tmp, sizeof tmp);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int e = errno;
            bt_buf_free(&b);
            errno = e;
            return -1;
        }
        if (n == 0) break;
        bt_buf_add(&b, tmp, (size_t)n);
    }
    *len = b.len;
    *data = bt_buf_detach(&b);
    return 0;
}

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
    ix->chk->slot = maps_add(p, (size_t)st.st_size);
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
    if (c->slot >= 0 && maps[c->slot].cut) {
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
    if (h->src_size == (uint64_t)st->st_size && read_fd(sfd, data, len) == 0) {
        *have_data = 1;
        if (hash_bytes(*data, *len) == h->src_hash) {
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
    uint64_t fp = key_fingerprint();

    char *data = NULL;
    size_t len = 0;
    int have_data = 0;
    bt_gloss_index *ix = NULL;
    if (!(flags & BT_INDEX_REBUILD))
        ix = cached_index(sfd, idxpath.ptr, &st, flags, fp, diag, ud, &data,
                          &len, &have_data);
    if (ix) goto done;

    /* (re)build from the content read, hashed as read */
    if (!have_data && read_fd(sfd, &data, &len) != 0) {
        bt_report(diag, ud, BT_ERR_IO, 0, src.ptr, 0, "cannot read: %s",
                  strerror(errno));
        close(sfd);
        bt_buf_free(&src);
        bt_buf_free(&idxpath);
        return BT_ERR_IO;
    }
    src_meta m;
    meta_of(&m, &st);
    m.hash = hash_bytes(data, len);
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
