/* read.c - one input into a bt_doc, phase by phase: its bytes
 * (read_bytes.c), decoded to UTF-8 (decode.c), into checked NFC lines
 * (lines.c). */
#include "corpus_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_MAX_FILE ((size_t)256 << 20)

void bt_doc_free(bt_doc *doc)
{
    if (!doc) return;
    doc_impl *d = (doc_impl *)doc;
    free(d->pub.path);
    free(d->pub.lines);
    free(d->text);
    bt_arena_free(&d->spills);
    free(d);
}

static void reader_init(reader *rd, const char *name, const bt_read_opts *opts,
                        bt_diag_fn diag, void *ud)
{
    /* the name enters as text once, as the lines do: every output and
     * message after this one names the file by it */
    bt_buf_init(&rd->name_text);
    bt_name_text(&rd->name_text, name, strlen(name));
    rd->name = rd->name_text.ptr;
    rd->diag = diag;
    rd->ud = ud;
    rd->max_file = opts && opts->max_file ? opts->max_file : DEFAULT_MAX_FILE;
    if (rd->max_file > SIZE_MAX / 4) rd->max_file = SIZE_MAX / 4;
    rd->hardcap = rd->max_file + 2;
}

/* Frees what reader_init made; run on every return of the function whose
 * reader it is (the cleanup attribute), whichever path returns. */
static void reader_done(reader *rd)
{
    bt_buf_free(&rd->name_text);
}

/* Build the doc from raw bytes (consumed). */
static int doc_from_raw(const reader *rd, const bt_read_opts *opts, bytes *raw,
                        bt_doc **out)
{
    decoded dec;
    memset(&dec, 0, sizeof dec);
    int rc = rd_decode(rd, opts ? opts->encoding : NULL, raw, &dec);
    free(raw->p);
    memset(raw, 0, sizeof *raw);
    if (rc != BT_OK) {
        free(dec.text.p);
        return rc;
    }
    /* Give back what geometric growth left unused; nothing points into the
     * buffer yet. */
    if (dec.text.cap > dec.text.len + 1 + (dec.text.len >> 4)) {
        dec.text.p = bt_xrealloc(dec.text.p, dec.text.len + 1);
        dec.text.cap = dec.text.len + 1;
    }

    doc_impl *d = bt_xcalloc(1, sizeof *d);
    d->pub.path = bt_xstrdup(rd->name);
    d->text = dec.text.p;

    rc = rd_split_lines(d, rd, opts, &dec);
    if (rc != BT_OK) {
        bt_doc_free(&d->pub);
        return rc;
    }
    *out = &d->pub;
    return BT_OK;
}

int bt_doc_open(const char *path)
{
    if (strcmp(path, "-") == 0) return 0;
    /* non-blocking, so that a FIFO nobody writes to reads as empty instead
     * of hanging the run; a regular file ignores the flag, and read_wait
     * waits out EAGAIN from anything else: the flag can stay */
    int fd;
    do fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    while (fd < 0 && errno == EINTR);
    return fd;
}

int bt_doc_read_fd(const char *path, int fd, const struct stat *st,
                   const bt_read_opts *opts, bt_diag_fn diag, void *ud, bt_doc **out)
{
    *out = NULL;
    if (!path || fd < 0) return BT_ERR_USAGE;
    reader rd __attribute__((cleanup(reader_done)));
    reader_init(&rd, path, opts, diag, ud);
    struct stat own;
    if (!st && fstat(fd, &own) == 0) st = &own;
    bytes raw = { NULL, 0, 0 };
    const char *was = bt_reading(path); /* named if memory runs out */
    int rc = rd_read_fd(&rd, fd, st, &raw);
    if (rc != BT_OK) {
        free(raw.p);
        bt_reading(was);
        return rc;
    }
    rc = doc_from_raw(&rd, opts, &raw, out);
    bt_reading(was);
    return rc;
}

int bt_doc_read(const char *path, const bt_read_opts *opts, bt_diag_fn diag,
                void *ud, bt_doc **out)
{
    *out = NULL;
    if (!path) return BT_ERR_USAGE;
    int fd = bt_doc_open(path);
    if (fd < 0) {
        int e = errno;
        bt_buf name;
        bt_buf_init(&name);
        bt_name_text(&name, path, strlen(path));
        bt_report(diag, ud, BT_ERR_IO, 0, NULL, 0, "cannot open '%s': %s", name.ptr,
                  strerror(e));
        bt_buf_free(&name);
        return BT_ERR_IO;
    }
    int rc = bt_doc_read_fd(path, fd, NULL, opts, diag, ud, out);
    if (fd != 0) close(fd);
    return rc;
}

size_t bt_doc_line_index(const bt_doc *doc, unsigned long lineno)
{
    size_t lo = 0, hi = doc->nlines;
    while (lo < hi) { /* lines are in source order */
        size_t mid = lo + (hi - lo) / 2;
        if (doc->lines[mid].lineno < lineno) lo = mid + 1;
        else hi = mid;
    }
    return lo < doc->nlines && doc->lines[lo].lineno == lineno ? lo : (size_t)-1;
}

int bt_doc_from_buffer(const char *name, const char *data, size_t len,
                       const bt_read_opts *opts, bt_diag_fn diag, void *ud,
                       bt_doc **out)
{
    *out = NULL;
    if (!data && len) return BT_ERR_USAGE;
    reader rd __attribute__((cleanup(reader_done)));
    reader_init(&rd, name ? name : "-", opts, diag, ud);
    bytes raw = { NULL, 0, 0 };
    const unsigned char *u = (const unsigned char *)data;
    if (rd_is_gzip(u, len)) {
        int rc = rd_gunzip_mem(&rd, u, len, &raw);
        if (rc != BT_OK) {
            free(raw.p);
            return rc;
        }
    } else {
        if (len > rd.max_file) return rd_too_large(&rd);
        raw.p = bt_xmalloc(len + 1);
        raw.cap = len + 1;
        if (len) memcpy(raw.p, data, len);
        raw.len = len;
    }
    return doc_from_raw(&rd, opts, &raw, out);
}
