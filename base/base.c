/* base.c - see base.h */
#define _POSIX_C_SOURCE 200809L
#include "base.h"

#include <libdeflate.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The file being read by this thread, for the message below. */
static _Thread_local const char *reading_path;

const char *bt_reading(const char *path)
{
    const char *was = reading_path;
    reading_path = path;
    return was;
}

static void oom(size_t n)
{
    if (reading_path)
        fprintf(stderr, "bitext: out of memory (%zu bytes) reading '%s'\n", n, reading_path);
    else
        fprintf(stderr, "bitext: out of memory (%zu bytes)\n", n);
    abort();
}

/* ---- input bounds ---- */

static bt_limits limits = { BT_LIMIT_TEXT, BT_LIMIT_ATTR, BT_LIMIT_ATTRS, BT_LIMIT_TOTAL,
                             BT_LIMIT_RATIO };

const bt_limits *bt_limits_get(void) { return &limits; }

void bt_limits_set(const bt_limits *l)
{
    limits.text = l->text ? l->text : BT_LIMIT_TEXT;
    limits.attr = l->attr ? l->attr : BT_LIMIT_ATTR;
    limits.attrs = l->attrs ? l->attrs : BT_LIMIT_ATTRS;
    limits.total = l->total ? l->total : BT_LIMIT_TOTAL;
    limits.ratio = l->ratio ? l->ratio : BT_LIMIT_RATIO;
}

/* "16M" -> 16 << 20; digits first, at most one suffix, not 0. */
static int parse_limit_size(const char *s, size_t n, size_t *out)
{
    size_t i = 0, v = 0;
    if (!n || s[0] < '0' || s[0] > '9') return -1;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
        if (v > (SIZE_MAX - 9) / 10) return -1;
        v = v * 10 + (size_t)(s[i] - '0');
    }
    unsigned shift = 0;
    if (i < n) {
        char c = s[i++];
        shift = c == 'K' || c == 'k' ? 10 : c == 'M' || c == 'm' ? 20
              : c == 'G' || c == 'g' ? 30 : 99;
        if (shift == 99 || i < n) return -1;
    }
    if (!v || v > (SIZE_MAX >> shift)) return -1;
    *out = v << shift;
    return 0;
}

int bt_limits_parse(const char *spec, bt_limits *l, const char **bad)
{
    const char *p = spec;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        size_t *field = NULL;
        if (eq) {
            size_t k = (size_t)(eq - p);
            if (k == 4 && !strncmp(p, "text", 4)) field = &l->text;
            else if (k == 4 && !strncmp(p, "attr", 4)) field = &l->attr;
            else if (k == 5 && !strncmp(p, "attrs", 5)) field = &l->attrs;
            else if (k == 5 && !strncmp(p, "total", 5)) field = &l->total;
            else if (k == 5 && !strncmp(p, "ratio", 5)) field = &l->ratio;
        }
        if (!field || parse_limit_size(eq + 1, n - (size_t)(eq + 1 - p), field) != 0) {
            *bad = p;
            return -1;
        }
        p += n;
        if (*p == ',') p++;
    }
    return 0;
}

void *bt_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom(n);
    return p;
}

void *bt_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) oom(n * size);
    return p;
}

void *bt_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) oom(n);
    return q;
}

char *bt_xstrdup(const char *s) { return bt_xstrndup(s, strlen(s)); }

char *bt_xstrndup(const char *s, size_t n)
{
    char *p = bt_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void bt_grow(void **arr, size_t *cap, size_t need, size_t elt)
{
    if (need <= *cap) return;
    size_t c = *cap ? *cap : 8;
    while (c < need) c *= 2;
    *arr = bt_xrealloc(*arr, c * elt);
    *cap = c;
}

/* ---- arena ---- */

#define ARENA_CHUNK ((size_t)64 << 10)

struct bt_arena_block {
    struct bt_arena_block *next;
    size_t used, cap;
    _Alignas(max_align_t) char data[];
};

void bt_arena_init(bt_arena *a, size_t chunk)
{
    a->blocks = NULL;
    a->chunk = chunk;
}

void *bt_arena_alloc(bt_arena *a, size_t n, size_t align)
{
    struct bt_arena_block *b = a->blocks;
    size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
    if (!b || at > b->cap || b->cap - at < n) {
        size_t chunk = a->chunk ? a->chunk : ARENA_CHUNK;
        size_t cap = n > chunk ? n : chunk;
        b = bt_xmalloc(sizeof *b + cap);
        b->used = 0;
        b->cap = cap;
        b->next = a->blocks;
        a->blocks = b;
        at = 0;
    }
    b->used = at + n;
    return b->data + at;
}

void bt_arena_free(bt_arena *a)
{
    for (struct bt_arena_block *b = a->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    a->blocks = NULL;
}

/* ---- per-thread blocks ---- */

/* Each thread's blocks, in a list that one key's destructor walks. */
typedef struct thread_block {
    struct thread_block *next;
    void *block;
    void (*drop)(void *);
} thread_block;

static pthread_key_t blocks_key;
static pthread_once_t blocks_once = PTHREAD_ONCE_INIT;

static void blocks_drop(void *list)
{
    for (thread_block *b = list, *next; b; b = next) {
        next = b->next;
        if (b->drop) b->drop(b->block);
        else free(b->block);
        free(b);
    }
}

static void blocks_key_make(void)
{
    pthread_key_create(&blocks_key, blocks_drop);
}

void *bt_thread_block(size_t n, size_t size, void (*drop)(void *))
{
    pthread_once(&blocks_once, blocks_key_make);
    thread_block *b = bt_xmalloc(sizeof *b);
    b->block = bt_xcalloc(n, size);
    b->drop = drop;
    b->next = pthread_getspecific(blocks_key);
    pthread_setspecific(blocks_key, b); /* dropped at thread exit */
    return b->block;
}

uint64_t bt_hash_bytes(uint64_t h, const void *s, size_t n)
{
    const unsigned char *p = s;
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t x;
        memcpy(&x, p, 8);
        h = (h ^ x) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
    }
    /* the last n < 8 bytes after n, as a loop of x = x << 8 | p[k] from
     * x = n would leave them: first byte highest, two four-byte reads
     * that may overlap (the same byte lands in the same place) */
    uint64_t x = 0;
    if (n >= 4) {
        uint64_t a = (uint64_t)p[0] << 24 | (uint64_t)p[1] << 16 | (uint64_t)p[2] << 8 | p[3];
        const unsigned char *q = p + n - 4;
        uint64_t b = (uint64_t)q[0] << 24 | (uint64_t)q[1] << 16 | (uint64_t)q[2] << 8 | q[3];
        x = a << (8 * (n - 4)) | b;
    } else if (n) {
        x = (uint64_t)p[0] << (8 * (n - 1)) | (uint64_t)p[n / 2] << (8 * (n - 1 - n / 2)) |
            p[n - 1];
    }
    x |= (uint64_t)n << (8 * n);
    h = (h ^ x) * 0xC4CEB9FE1A85EC53ULL;
    return h ^ (h >> 29);
}

/* ---- buffers ---- */

static char empty_buf[1];

void bt_buf_init(bt_buf *b)
{
    b->ptr = empty_buf;
    b->len = b->cap = 0;
}

void bt_buf_free(bt_buf *b)
{
    if (b->cap) free(b->ptr);
    bt_buf_init(b);
}

void bt_buf_reset(bt_buf *b)
{
    b->len = 0;
    if (b->cap) b->ptr[0] = '\0';
}

static void buf_reserve(bt_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return;
    size_t c = b->cap ? b->cap : 64;
    while (c < need) c *= 2;
    if (b->cap) {
        b->ptr = bt_xrealloc(b->ptr, c);
    } else {
        b->ptr = bt_xmalloc(c);
        b->ptr[0] = '\0';
    }
    b->cap = c;
}

void bt_buf_reserve(bt_buf *b, size_t n) { buf_reserve(b, n); }

void bt_places_more_add(bt_buf *list, const char *sep, unsigned long n)
{
    if (n) bt_buf_printf(list, "%s+%lu more", list->len ? sep : "", n);
}

int bt_places_more_parse(const char *item, size_t len, unsigned long *n)
{
    static const char tail[] = " more";
    size_t tl = sizeof tail - 1;
    if (len < 2 + tl || item[0] != '+' || memcmp(item + len - tl, tail, tl)) return 0;
    unsigned long v = 0;
    for (size_t i = 1; i < len - tl; i++) {
        if (item[i] < '0' || item[i] > '9') return 0;
        unsigned d = (unsigned)(item[i] - '0');
        v = v > (ULONG_MAX - d) / 10 ? ULONG_MAX : v * 10 + d;
    }
    *n = v;
    return 1;
}

void bt_buf_add(bt_buf *b, const char *s, size_t n)
{
    buf_reserve(b, n);
    memcpy(b->ptr + b->len, s, n);
    b->len += n;
    b->ptr[b->len] = '\0';
}

void bt_buf_adds(bt_buf *b, const char *s) { bt_buf_add(b, s, strlen(s)); }

void bt_buf_addc(bt_buf *b, char c)
{
    buf_reserve(b, 1);
    b->ptr[b->len++] = c;
    b->ptr[b->len] = '\0';
}

void bt_buf_printf(bt_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) {
        bt_buf_add(b, tmp, (size_t)n);
        return;
    }
    buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *bt_buf_detach(bt_buf *b)
{
    char *p = b->cap ? b->ptr : bt_xstrdup("");
    bt_buf_init(b);
    return p;
}

/* ---- UTF-8 ---- */

int bt_utf8_decode(const char *str, size_t len, int32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (len == 0) return -1;
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = (int32_t)c;
        return 1;
    }
    int n;
    int32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) { n = 2; v = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; v = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; v = c & 0x07; min = 0x10000; }
    else return -1;
    if ((size_t)n > len) return -1;
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return -1;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return -1;
    *cp = v;
    return n;
}

int bt_utf8_encode(int32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) { o[0] = (unsigned char)cp; return 1; }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t bt_utf8_invalid_at(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if ((unsigned char)s[i] < 0x80) { i++; continue; }
        int32_t cp;
        int n = bt_utf8_decode(s + i, len - i, &cp);
        if (n < 0) return i;
        i += (size_t)n;
    }
    return (size_t)-1;
}

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

void bt_name_text(bt_buf *out, const char *name, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)name[i];
        int32_t cp;
        int n = c < 0x80 ? 1 : bt_utf8_decode(name + i, len - i, &cp);
        int esc = n < 0 || c < 0x20 || c == 0x7F ||
                  (c == '%' && i + 2 < len && is_hex(name[i + 1]) && is_hex(name[i + 2])) ||
                  ((c == ',' || c == ';') && i + 1 < len && name[i + 1] == ' ');
        if (esc) {
            char e[3] = { '%', hex[c >> 4], hex[c & 15] };
            bt_buf_add(out, e, 3);
            i++;
        } else {
            bt_buf_add(out, name + i, (size_t)n);
            i += (size_t)n;
        }
    }
}

/* ---- errors ---- */

const char *bt_strerror(int code)
{
    switch (code) {
    case BT_OK: return "success";
    case BT_ERR_IO: return "input/output error";
    case BT_ERR_UTF8: return "invalid UTF-8";
    case BT_ERR_FORMAT: return "malformed input";
    case BT_ERR_LIMIT: return "size limit exceeded";
    case BT_ERR_EMPTY: return "no usable input";
    case BT_ERR_ENCODING: return "character conversion failed";
    case BT_ERR_USAGE: return "invalid arguments";
    }
    return "unknown error";
}

void bt_report(bt_diag_fn fn, void *ud, int code, int is_warning,
               const char *file, unsigned long line, const char *fmt, ...)
{
    if (!fn) return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    bt_diag d = { code, is_warning, file, line, msg };
    fn(ud, &d);
}

/* ---- atomic output ---- */

struct bt_outfile {
    FILE *fp;         /* writes through out_write to fd */
    int fd;
    char *final_path;
    char *tmp_path;   /* the name it has (mkstemp) or will have before the
                         rename (an unnamed O_TMPFILE file) */
    int unnamed;      /* 1: no name on disk until commit */
    char *buf;        /* fp's buffer */
    uint32_t crc;     /* CRC-32 of the bytes written, and their number */
    uint64_t size;
    uint64_t flushed; /* bytes handed to the kernel's writeback */
    int err;          /* the first write's errno, kept for the commit */
};

/* The stream's bytes to the file, summed on the way (the run's manifest
 * need not read its outputs again), and handed to the kernel's writeback
 * every few megabytes, so that the commit's fsync finds little left to
 * write. 0 on error, with errno set, as fopencookie asks. */
static ssize_t out_write(void *cookie, const char *p, size_t n)
{
    bt_outfile *o = cookie;
    size_t done = 0;
    while (done < n) {
        ssize_t k = write(o->fd, p + done, n - done);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) {
            if (k == 0) errno = EIO;
            if (!o->err) o->err = errno;
            return 0;
        }
        done += (size_t)k;
    }
    o->crc = libdeflate_crc32(o->crc, p, n);
    o->size += n;
#ifdef SYNC_FILE_RANGE_WRITE
    enum { WRITEBACK = 8 << 20 };
    if (o->size - o->flushed >= WRITEBACK) {
        /* a hint: where it cannot, the fsync does it all */
        sync_file_range(o->fd, (off_t)o->flushed, (off_t)(o->size - o->flushed),
                        SYNC_FILE_RANGE_WRITE);
        o->flushed = o->size;
    }
#endif
    return (ssize_t)n;
}

static int out_close(void *cookie)
{
    bt_outfile *o = cookie;
    return close(o->fd);
}

/* The files this process committed, with their sums, for
 * bt_outfile_committed. */
typedef struct committed {
    struct committed *next;
    char *path;
    dev_t dev;
    ino_t ino;
    uint32_t crc;
    uint64_t size;
} committed;
static committed *committed_files;
static pthread_mutex_t committed_mu = PTHREAD_MUTEX_INITIALIZER;

static void note_committed(const bt_outfile *o, const struct stat *st)
{
    pthread_mutex_lock(&committed_mu);
    committed *c = committed_files;
    while (c && strcmp(c->path, o->final_path) != 0) c = c->next;
    if (!c) {
        c = bt_xmalloc(sizeof *c);
        c->path = bt_xstrdup(o->final_path);
        c->next = committed_files;
        committed_files = c;
    }
    c->dev = st->st_dev;
    c->ino = st->st_ino;
    c->crc = o->crc;
    c->size = o->size;
    pthread_mutex_unlock(&committed_mu);
}

int bt_outfile_committed(const char *path, uint32_t *crc, uint64_t *size)
{
    struct stat st;
    if (stat(path, &st) != 0) return -1;
    int rc = -1;
    pthread_mutex_lock(&committed_mu);
    for (committed *c = committed_files; c; c = c->next) {
        if (strcmp(c->path, path) != 0) continue;
        /* the same file, not one put there since */
        if (c->dev == st.st_dev && c->ino == st.st_ino && c->size == (uint64_t)st.st_size) {
            *crc = c->crc;
            *size = c->size;
            rc = 0;
        }
        break;
    }
    pthread_mutex_unlock(&committed_mu);
    return rc;
}

/* ".NAME.tmp.XXXXXX" beside final_path */
static char *tmp_name(const char *final_path)
{
    bt_buf t;
    bt_buf_init(&t);
    const char *slash = strrchr(final_path, '/');
    if (slash) bt_buf_add(&t, final_path, (size_t)(slash - final_path + 1));
    bt_buf_adds(&t, ".");
    bt_buf_adds(&t, slash ? slash + 1 : final_path);
    bt_buf_adds(&t, ".tmp.XXXXXX");
    return bt_buf_detach(&t);
}

/* An unnamed file in the directory of final_path (Linux O_TMPFILE): a run
 * killed before commit leaves nothing behind. -1 where the file system or
 * the kernel cannot, or /proc is missing to name it later. */
static int open_unnamed(const char *final_path)
{
#ifdef O_TMPFILE
    if (access("/proc/self/fd", X_OK) != 0) return -1;
    const char *slash = strrchr(final_path, '/');
    char *dir = slash ? bt_xstrndup(final_path, (size_t)(slash - final_path)) : bt_xstrdup(".");
    if (!*dir) { free(dir); dir = bt_xstrdup("/"); }
    int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    free(dir);
    return fd;
#else
    (void)final_path;
    return -1;
#endif
}

bt_outfile *bt_outfile_open(const char *final_path)
{
    char *tmp = tmp_name(final_path);
    int unnamed = 1;
    int fd = open_unnamed(final_path);
    if (fd < 0) {
        unnamed = 0;
        fd = mkstemp(tmp);
        if (fd < 0) {
            int e = errno;
            free(tmp);
            errno = e;
            return NULL;
        }
        /* mkstemp creates 0600; outputs are ordinary files for their
         * owner's group and others to read, as any other file written */
        mode_t um = umask(0);
        umask(um);
        fchmod(fd, 0666 & ~um);
    }
    bt_outfile *o = bt_xcalloc(1, sizeof *o);
    o->fd = fd;
    o->crc = libdeflate_crc32(0, NULL, 0);
    static const cookie_io_functions_t io = { .write = out_write, .close = out_close };
    FILE *fp = fopencookie(o, "wb", io);
    if (!fp) {
        int e = errno;
        close(fd);
        if (!unnamed) unlink(tmp);
        free(tmp);
        free(o);
        errno = e;
        return NULL;
    }
    /* outputs run to tens of megabytes: a write per 256 KB, not per 4 KB
     * (glibc takes the size only with a buffer given) */
    enum { OUT_BUF = 256 << 10 };
    o->buf = bt_xmalloc(OUT_BUF);
    setvbuf(fp, o->buf, _IOFBF, OUT_BUF);
    o->fp = fp;
    o->final_path = bt_xstrdup(final_path);
    o->tmp_path = tmp;
    o->unnamed = unnamed;
    return o;
}

FILE *bt_outfile_fp(bt_outfile *o) { return o->fp; }

int bt_outfile_fd(bt_outfile *o) { return o->fd; }

/* After fclose: the stream's buffer is ours. */
static void outfile_free(bt_outfile *o)
{
    free(o->buf);
    free(o->final_path);
    free(o->tmp_path);
    free(o);
}

/* Give the unnamed file a temporary name beside the final one. */
static int name_unnamed(bt_outfile *o)
{
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", o->fd);
    for (int tries = 0; tries < 100; tries++) {
        char *t = tmp_name(o->final_path);
        /* mkstemp's pattern, filled without creating the file */
        size_t l = strlen(t);
        static const char al[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        unsigned long r = (unsigned long)getpid() * 2654435761UL + (unsigned long)tries * 40503UL +
                          (unsigned long)(uintptr_t)o;
        for (size_t i = l - 6; i < l; i++) { t[i] = al[r % 62]; r /= 62; r += 7919; }
        if (linkat(AT_FDCWD, proc, AT_FDCWD, t, AT_SYMLINK_FOLLOW) == 0) {
            free(o->tmp_path);
            o->tmp_path = t;
            return 0;
        }
        int e = errno;
        free(t);
        if (e != EEXIST) { errno = e; return -1; }
    }
    errno = EEXIST;
    return -1;
}

int bt_outfile_flush(bt_outfile *o)
{
    if (fflush(o->fp) != 0 || ferror(o->fp)) {
        errno = o->err ? o->err : errno ? errno : EIO;
        return -1;
    }
    return 0;
}

int bt_outfile_commit(bt_outfile *o)
{
    int rc = 0, e = 0, named = !o->unnamed;
    if (bt_outfile_flush(o) != 0) { rc = -1; e = errno; }
    if (rc == 0 && fsync(o->fd) != 0 && errno != EINVAL) { rc = -1; e = errno; }
    if (rc == 0 && o->unnamed) {
        if (name_unnamed(o) != 0) { rc = -1; e = errno; }
        else named = 1;
    }
    struct stat st;
    int have_st = rc == 0 && fstat(o->fd, &st) == 0;
    if (fclose(o->fp) != 0 && rc == 0) { rc = -1; e = errno; }
    if (rc == 0 && rename(o->tmp_path, o->final_path) != 0) { rc = -1; e = errno; }
    if (rc == 0 && have_st) note_committed(o, &st);
    if (rc != 0 && named) unlink(o->tmp_path);
    outfile_free(o);
    errno = e;
    return rc;
}

void bt_outfile_abort(bt_outfile *o)
{
    if (!o) return;
    fclose(o->fp);
    if (!o->unnamed) unlink(o->tmp_path);
    outfile_free(o);
}

int bt_mkdir_p(const char *path)
{
    char *p = bt_xstrdup(path);
    size_t n = strlen(p);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] == '/' || p[i] == '\0') {
            char c = p[i];
            p[i] = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                int e = errno;
                free(p);
                errno = e;
                return -1;
            }
            p[i] = c;
        }
    }
    free(p);
    struct stat st;
    if (stat(path, &st) != 0) return -1;
    if (!S_ISDIR(st.st_mode)) { errno = ENOTDIR; return -1; }
    return 0;
}
