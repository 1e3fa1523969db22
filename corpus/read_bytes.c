/* read_bytes.c - the bytes of one input: a file, a pipe or stdin, plain or
 * gzip'd (detected by content), within the file size limit. gzip data held
 * whole in memory is inflated by libdeflate, streams by zlib. */
#include "corpus_int.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libdeflate.h>
#define ZLIB_CONST
#include <zlib.h>

/* read(2) that also works on a descriptor opened non-blocking (a FIFO or
 * device named as input): waits for data instead of failing with EAGAIN. */
static ssize_t read_wait(int fd, void *buf, size_t n)
{
    for (;;) {
        ssize_t r = read(fd, buf, n);
        if (r >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) return r;
        struct pollfd p = { fd, POLLIN, 0 };
        if (poll(&p, 1, -1) < 0 && errno != EINTR) return -1;
    }
}

/* Room for `want` more bytes, but the capacity never exceeds hardcap. */
void rd_bytes_reserve(bytes *b, size_t want, size_t hardcap)
{
    size_t need = b->len + want;
    if (need > hardcap) need = hardcap;
    if (need <= b->cap) return;
    /* the first reservation is what was asked for: a small file's buffer
     * is its size, not a chunk the allocator would map and unmap */
    size_t c = b->cap ? b->cap : need;
    while (c < need) c = c > SIZE_MAX / 2 ? need : c * 2;
    if (c > hardcap) c = hardcap;
    b->p = bt_xrealloc(b->p, c);
    b->cap = c;
}


int rd_too_large(const reader *rd)
{
    bt_report(rd->diag, rd->ud, BT_ERR_LIMIT, 0, rd->name, 0,
              "file too large (limit %zu bytes)", rd->max_file);
    return BT_ERR_LIMIT;
}

/* Where compressed bytes come from: a file descriptor or memory. */
typedef struct source {
    int fd;                   /* -1: memory */
    const unsigned char *mem;
    size_t memlen;
    unsigned char *chunk;     /* READ_CHUNK bytes for fd reads, or NULL */
} source;

/* Next piece of input: > 0 bytes at *p, 0 at the end, -1 on a read error
 * (errno set). */
static ssize_t source_next(source *src, const unsigned char **p)
{
    if (src->fd < 0) {
        size_t n = src->memlen;
        *p = src->mem;
        if (n) src->mem += n; /* (no arithmetic on a NULL of empty input) */
        src->memlen = 0;
        return (ssize_t)n;
    }
    if (!src->chunk) src->chunk = bt_xmalloc(READ_CHUNK); /* only when the
                                                         first read was not all */
    for (;;) {
        ssize_t n = read_wait(src->fd, src->chunk, READ_CHUNK);
        if (n < 0 && errno == EINTR) continue;
        *p = src->chunk;
        return n;
    }
}

static int read_error(const reader *rd, int err)
{
    bt_report(rd->diag, rd->ud, BT_ERR_IO, 0, rd->name, 0, "read error (%s)",
              strerror(err));
    return BT_ERR_IO;
}

/* Inflate gzip data (one or more members) from src into out with zlib:
 * streams, and what gunzip_whole leaves. The first nhead bytes of input
 * are in head. */
static int gunzip(const reader *rd, source *src, const unsigned char *head,
                  size_t nhead, bytes *out)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
        bt_report(rd->diag, rd->ud, BT_ERR_FORMAT, 0, rd->name, 0,
                  "cannot start gzip decoder");
        return BT_ERR_FORMAT;
    }
    zs.next_in = head;
    zs.avail_in = (uInt)nhead;
    int in_member = 1, eof = 0, rc = BT_OK;
    for (;;) {
        if (zs.avail_in == 0 && !eof) {
            const unsigned char *p;
            ssize_t n = source_next(src, &p);
            if (n < 0) { rc = read_error(rd, errno); break; }
            if (n == 0) eof = 1;
            /* Memory input may exceed uInt; feed it in pieces. */
            size_t take = (size_t)n > 0x40000000u ? 0x40000000u : (size_t)n;
            if (take < (size_t)n) {
                src->mem = p + take;
                src->memlen = (size_t)n - take;
            }
            zs.next_in = p;
            zs.avail_in = (uInt)take;
        }
        if (!in_member) {
            if (zs.avail_in == 0) break; /* clean end */
            if (zs.next_in[0] != 0x1f) {
                bt_report(rd->diag, rd->ud, BT_ERR_FORMAT, 1, rd->name, 0,
                          "trailing garbage after gzip data ignored");
                break;
            }
            inflateReset(&zs); /* another member, as `cat a.gz b.gz` makes */
            in_member = 1;
        }
        if (out->cap < out->len + 2) /* full (or none yet): grow */
            rd_bytes_reserve(out, out->len > READ_CHUNK ? out->len : READ_CHUNK, rd->hardcap);
        size_t room = out->cap - out->len - 1;
        if (room > 0x40000000u) room = 0x40000000u;
        zs.next_out = (unsigned char *)out->p + out->len;
        zs.avail_out = (uInt)room;
        int zr = inflate(&zs, Z_NO_FLUSH);
        out->len += room - zs.avail_out;
        if (out->len > rd->max_file) { rc = rd_too_large(rd); break; }
        if (zr == Z_STREAM_END) {
            in_member = 0;
        } else if (zr == Z_DATA_ERROR || zr == Z_NEED_DICT) {
            bt_report(rd->diag, rd->ud, BT_ERR_FORMAT, 0, rd->name, 0,
                      "corrupt gzip data (%s)", zs.msg ? zs.msg : "bad data");
            rc = BT_ERR_FORMAT;
            break;
        } else if (zr == Z_MEM_ERROR) {
            bt_report(rd->diag, rd->ud, BT_ERR_FORMAT, 0, rd->name, 0,
                      "out of memory in gzip decoder");
            rc = BT_ERR_FORMAT;
            break;
        }
        /* Z_OK and Z_BUF_ERROR: more input or more room; the loop gives
         * both, unless the input has ended with room left over. */
        if (in_member && eof && zs.avail_in == 0 && zs.avail_out > 0) {
            bt_report(rd->diag, rd->ud, BT_ERR_FORMAT, 0, rd->name, 0,
                      "truncated gzip data");
            rc = BT_ERR_FORMAT;
            break;
        }
    }
    inflateEnd(&zs);
    return rc;
}

/* Inflate the gzip data data[0..len), all of it in memory, into out. Each
 * member is decoded in one call by libdeflate, about twice as fast as zlib
 * on news articles (bench/inflate.c). From the first member it does not
 * decode in full (corrupt, cut, over the size limit or the room left, or
 * with a header CRC, which zlib checks and libdeflate skips), zlib's loop
 * takes over: every error and warning is zlib's, as before, and the
 * buffer never grows past hardcap. */
static int gunzip_whole(const reader *rd, const unsigned char *data, size_t len,
                        bytes *out)
{
    /* The trailer holds the size (mod 2^32) of the last member: a good
     * first guess for the buffer. */
    if (len >= 18 && out->cap == 0) {
        const unsigned char *t = data + len - 4;
        size_t isize = (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 |
                       (size_t)t[3] << 24;
        rd_bytes_reserve(out, isize + 2, rd->hardcap);
    }
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    size_t at = 0; /* where the next member starts */
    while (d) {
        if (at > 0 && at == len) { /* clean end */
            libdeflate_free_decompressor(d);
            return BT_OK;
        }
        if (at > 0 && data[at] != 0x1f) {
            libdeflate_free_decompressor(d);
            bt_report(rd->diag, rd->ud, BT_ERR_FORMAT, 1, rd->name, 0,
                      "trailing garbage after gzip data ignored");
            return BT_OK;
        }
        if (len - at < 4 || (data[at + 3] & 0x02)) break; /* FHCRC */
        if (out->cap < out->len + 2)
            rd_bytes_reserve(out, out->len > READ_CHUNK ? out->len : READ_CHUNK, rd->hardcap);
        size_t room = out->cap - out->len - 1, in_n = 0, out_n = 0;
        enum libdeflate_result r = libdeflate_gzip_decompress_ex(
            d, data + at, len - at, out->p + out->len, room, &in_n, &out_n);
        if (r == LIBDEFLATE_SUCCESS && out->len + out_n <= rd->max_file) {
            out->len += out_n;
            at += in_n; /* next: another member (`cat a.gz b.gz`), garbage or the end */
        } else if (r == LIBDEFLATE_INSUFFICIENT_SPACE && out->cap < rd->hardcap) {
            /* the trailer's guess was another member's: at least twice
             * the room, and a chunk */
            rd_bytes_reserve(out, (out->cap > READ_CHUNK ? out->cap : READ_CHUNK) + 1,
                             rd->hardcap);
        } else {
            break;
        }
    }
    if (d) libdeflate_free_decompressor(d);
    source src = { -1, data + at, len - at, NULL };
    return gunzip(rd, &src, NULL, 0, out);
}

/* Read everything from fd into out (plain or gzip'd). A regular file is
 * read whole into one buffer of its size by its first read; a gzip'd one is
 * then inflated from that buffer (gunzip_whole), into a buffer of the size
 * its trailer gives. Pipes, stdin and files too large for one buffer are
 * inflated by zlib as they are read. */
int rd_read_fd(const reader *rd, int fd, const struct stat *known, bytes *out)
{
    struct stat st;
    int have_st = known ? (st = *known, 1) : fstat(fd, &st) == 0;
    int regular = have_st && S_ISREG(st.st_mode);
    if (have_st && S_ISDIR(st.st_mode)) {
        bt_report(rd->diag, rd->ud, BT_ERR_IO, 0, rd->name, 0,
                  "is a directory");
        return BT_ERR_IO;
    }

    /* The first reads: the whole of a regular file (up to 1 GiB, which
     * zlib takes in one piece) and the read that finds its end, or at
     * least the two bytes that tell gzip of anything else (unless it ends
     * first). */
    size_t first = READ_CHUNK;
    if (regular && (uintmax_t)st.st_size <= rd->max_file &&
        (uintmax_t)st.st_size < ((uintmax_t)1 << 30))
        first = (size_t)st.st_size + 2;
    rd_bytes_reserve(out, first, rd->hardcap);
    int eof = 0;
    while (!eof && (out->len < 2 || (regular && out->len < out->cap - 1))) {
        ssize_t n = read_wait(fd, out->p + out->len, out->cap - out->len - 1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return read_error(rd, errno);
        if (n == 0) { eof = 1; break; }
        out->len += (size_t)n;
    }

    if (rd_is_gzip((const unsigned char *)out->p, out->len)) {
        bytes gz = *out;
        memset(out, 0, sizeof *out);
        if (eof) { /* all of it is in memory */
            int rc = gunzip_whole(rd, (const unsigned char *)gz.p, gz.len, out);
            free(gz.p);
            return rc;
        }
        /* The gzip trailer holds the size (mod 2^32) of the last member:
         * a good first guess for the buffer. */
        unsigned char t[4];
        if (regular && st.st_size >= 18 && pread(fd, t, 4, st.st_size - 4) == 4) {
            size_t isize = (size_t)t[0] | (size_t)t[1] << 8 |
                           (size_t)t[2] << 16 | (size_t)t[3] << 24;
            rd_bytes_reserve(out, isize + 2, rd->hardcap);
        }
        source src = { fd, NULL, 0, NULL };
        int rc = gunzip(rd, &src, (const unsigned char *)gz.p, gz.len, out);
        free(src.chunk);
        free(gz.p);
        return rc;
    }

    if (regular && (uintmax_t)st.st_size > rd->max_file) return rd_too_large(rd);
    if (eof) return BT_OK;
    for (;;) {
        if (out->len > rd->max_file) return rd_too_large(rd);
        rd_bytes_reserve(out, READ_CHUNK, rd->hardcap);
        ssize_t n = read_wait(fd, out->p + out->len, out->cap - out->len - 1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return read_error(rd, errno);
        if (n == 0) break;
        out->len += (size_t)n;
    }
    return BT_OK;
}

int rd_gunzip_mem(const reader *rd, const unsigned char *data, size_t len,
                  bytes *out)
{
    return gunzip_whole(rd, data, len, out);
}
