/* fuzz_gzip.c - a file on disk through bt_doc_read: gzip'd or plain, every
 * way a gzip stream can be damaged.
 *
 * Byte 0 chooses: bits 0-1 what is written: the rest as it is (0), the rest
 * gzip'd by zlib (1), gzip'd and cut at byte 1's share of its length (2),
 * gzip'd with the byte at byte 1's share flipped (3); bit 2 appends a second
 * member, bit 3 appends trailing garbage; bits 4-5 the encoding; bit 6 a
 * small max_file (4096). Byte 1 is the cut/flip position, the rest is the
 * text.
 *
 * gzip'd data is also read through a pipe: a file read whole is inflated
 * by libdeflate (zlib from a member it leaves), a pipe by zlib as it
 * reads, and both must give the same status, the same number of errors
 * and warnings and the same lines. */
#include "fuzz.h"
#include "../../corpus/corpus.h"

#include <pthread.h>
#include <signal.h>
#include <zlib.h>

static const char *const encodings[4] = { NULL, "windows-1258", "utf-16", "UTF-8" };

/* gzip src[0..n) into b (one member). */
static void gzip_into(bt_buf *b, const uint8_t *src, size_t n)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    FUZZ_CHECK(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK,
               "deflateInit2");
    uLong bound = deflateBound(&zs, (uLong)n) + 32;
    size_t at = b->len;
    for (uLong i = 0; i < bound; i++) bt_buf_addc(b, 0);
    zs.next_in = (Bytef *)(uintptr_t)src;
    zs.avail_in = (uInt)n;
    zs.next_out = (Bytef *)b->ptr + at;
    zs.avail_out = (uInt)bound;
    FUZZ_CHECK(deflate(&zs, Z_FINISH) == Z_STREAM_END, "deflate");
    b->len = at + zs.total_out;
    b->ptr[b->len] = '\0';
    deflateEnd(&zs);
}

typedef struct pipe_feed {
    int fd;
    const char *p;
    size_t n;
} pipe_feed;

/* Writes the bytes into the pipe, and stops when the reader has stopped. */
static void *feed_pipe(void *arg)
{
    pipe_feed *f = arg;
    for (size_t off = 0; off < f->n;) {
        ssize_t w = write(f->fd, f->p + off, f->n - off);
        if (w <= 0) break;
        off += (size_t)w;
    }
    close(f->fd);
    return NULL;
}

/* Reads the file's bytes again through a pipe; the same outcome as doc
 * (rc, dg) read from the file. */
static void same_through_pipe(const bt_buf *file, const bt_read_opts *o, int rc,
                              const fuzz_diags *dg, const bt_doc *doc)
{
    signal(SIGPIPE, SIG_IGN); /* the reader may stop early */
    int fds[2];
    FUZZ_CHECK(pipe(fds) == 0, "pipe");
    pipe_feed f = { fds[1], file->ptr, file->len };
    pthread_t t;
    FUZZ_CHECK(pthread_create(&t, NULL, feed_pipe, &f) == 0, "pthread_create");
    char devfd[32];
    snprintf(devfd, sizeof devfd, "/dev/fd/%d", fds[0]);
    fuzz_diags pg = { 0, 0 };
    bt_doc *pdoc = NULL;
    int prc = bt_doc_read(devfd, o, fuzz_diag, &pg, &pdoc);
    close(fds[0]);
    pthread_join(t, NULL);
    FUZZ_CHECK(prc == rc, "file and pipe: another status");
    FUZZ_CHECK(pg.errors == dg->errors && pg.warnings == dg->warnings,
               "file and pipe: other reports");
    if (rc != BT_OK) return;
    FUZZ_CHECK(pdoc->nlines == doc->nlines, "file and pipe: other lines");
    for (size_t i = 0; i < doc->nlines; i++) {
        const bt_line *a = &doc->lines[i], *b = &pdoc->lines[i];
        FUZZ_CHECK(a->lineno == b->lineno && a->len == b->len &&
                       memcmp(a->text, b->text, a->len) == 0,
                   "file and pipe: another line");
    }
    bt_doc_free(pdoc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) return 0;
    uint8_t mode = data[0], where = data[1];
    const uint8_t *text = data + 2;
    size_t len = size - 2;

    bt_buf file;
    bt_buf_init(&file);
    if ((mode & 3) == 0) {
        bt_buf_add(&file, (const char *)text, len);
    } else {
        gzip_into(&file, text, len);
        size_t pos = file.len * where / 256;
        if ((mode & 3) == 2) file.len = pos;
        else if ((mode & 3) == 3 && pos < file.len) file.ptr[pos] ^= 0x5A;
    }
    if (mode & 4) gzip_into(&file, (const uint8_t *)"Photo: Mai Hoa\n", 15);
    if (mode & 8) bt_buf_add(&file, "\0garbage", 8);

    char path[300];
    fuzz_path("input.txt.gz", path, sizeof path);
    fuzz_write_file(path, file.ptr, file.len);

    bt_read_opts o = { encodings[(mode >> 4) & 3], 0, (mode & 64) ? 4096 : 0 };
    fuzz_diags dg = { 0, 0 };
    bt_doc *doc = NULL;
    int rc = bt_doc_read(path, &o, fuzz_diag, &dg, &doc);
    if (file.len >= 2 && (unsigned char)file.ptr[0] == 0x1f &&
        (unsigned char)file.ptr[1] == 0x8b)
        same_through_pipe(&file, &o, rc, &dg, doc);
    bt_buf_free(&file);
    if (rc != BT_OK) {
        FUZZ_CHECK(doc == NULL, "error with a document");
        FUZZ_CHECK(dg.errors > 0, "error not reported");
        return 0;
    }
    FUZZ_CHECK(doc != NULL, "success without a document");
    unsigned long last = 0;
    for (size_t i = 0; i < doc->nlines; i++) {
        const bt_line *l = &doc->lines[i];
        FUZZ_CHECK(l->lineno > last, "line numbers not rising");
        last = l->lineno;
        fuzz_check_utf8(l->text, l->len, "line is not valid UTF-8 of its length");
    }
    bt_doc_free(doc);
    return 0;
}
