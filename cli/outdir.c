/* outdir.c - an output folder used by one run at a time, and the manifest
 * that commits the outputs of a run as a set.
 *
 * The lock is DIR/.bitext.lock, held with flock() for the run: a second run
 * on the same folder stops at once with a message and exit 2, instead of
 * leaving a mix of both runs' files. The lock file is removed at the end;
 * a run that takes the lock checks that the file it locked is still the
 * one of that name, so a file removed meanwhile by the run that held it is
 * not taken for a lock.
 *
 * The manifest, DIR/manifest.json, is written last, once every output is
 * in place, and removed before the first is replaced: present, it names
 * the outputs of one complete run with their sizes and CRC-32s; absent,
 * the folder is being written or a run was stopped while writing it. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOCK_NAME ".bitext.lock"

int cli_outdir_lock(const char *dir, cli_outdir *o)
{
    o->fd = -1;
    o->path = NULL;
    bt_buf p;
    bt_buf_init(&p);
    bt_buf_printf(&p, "%s/%s", dir, LOCK_NAME);
    for (int tries = 0; tries < 100; tries++) {
        int fd = open(p.ptr, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0 && (errno == EACCES || errno == EROFS || errno == EPERM)) {
            /* a directory no run can write: the first output will say so */
            break;
        }
        if (fd < 0) {
            cli_error("cannot create '%s': %s", p.ptr, strerror(errno));
            bt_buf_free(&p);
            return BT_EXIT_TROUBLE;
        }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            if (e == EWOULDBLOCK) {
                char pid[32] = "";
                ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
                pid[n > 0 ? n : 0] = '\0';
                pid[strcspn(pid, "\n")] = '\0';
                cli_error("output directory '%s' is in use by another bitext "
                          "run%s%s%s; nothing written (wait for it to end, or "
                          "choose another -o)", dir, *pid ? " (pid " : "", pid,
                          *pid ? ")" : "");
                close(fd);
                bt_buf_free(&p);
                return BT_EXIT_TROUBLE;
            }
            /* a file system without locks: said, and the run goes on */
            cli_error("warning: cannot lock '%s' (%s); another run on the "
                      "same directory would not be stopped", p.ptr, strerror(e));
            close(fd);
            break;
        }
        struct stat a, b;
        if (fstat(fd, &a) == 0 && stat(p.ptr, &b) == 0 && a.st_dev == b.st_dev &&
            a.st_ino == b.st_ino) {
            char pid[32];
            int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
            if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
                /* the pid is only for the other run's message */
            }
            o->fd = fd;
            o->path = bt_buf_detach(&p);
            return BT_EXIT_OK;
        }
        close(fd); /* removed by the run that held it: take the new one */
    }
    bt_buf_free(&p);
    return BT_EXIT_OK;
}

void cli_outdir_unlock(cli_outdir *o)
{
    if (o->fd < 0) return;
    unlink(o->path); /* while still held: see cli_outdir_lock */
    close(o->fd);
    free(o->path);
    o->fd = -1;
    o->path = NULL;
}

static char *manifest_path(const char *dir)
{
    bt_buf p;
    bt_buf_init(&p);
    bt_buf_printf(&p, "%s/manifest.json", dir);
    return bt_buf_detach(&p);
}

void cli_manifest_remove(const char *dir)
{
    char *p = manifest_path(dir);
    unlink(p);
    free(p);
}

/* Size and CRC-32 of a file; -1 when it cannot be read. */
static int file_crc(const char *path, uint32_t *crc, uint64_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    static char buf[1 << 16];
    /* libdeflate's CRC-32 is zlib's, several times faster */
    uint32_t c = libdeflate_crc32(0, NULL, 0);
    uint64_t n = 0;
    for (;;) {
        ssize_t k = read(fd, buf, sizeof buf);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
            close(fd);
            return -1;
        }
        if (k == 0) break;
        c = libdeflate_crc32(c, buf, (size_t)k);
        n += (uint64_t)k;
    }
    close(fd);
    *crc = c;
    *size = n;
    return 0;
}

int cli_manifest_write(const char *dir, const char *const *names, size_t n)
{
    json_t *outs = json_array();
    for (size_t i = 0; i < n; i++) {
        bt_buf p;
        bt_buf_init(&p);
        bt_buf_printf(&p, "%s/%s", dir, names[i]);
        uint32_t crc;
        uint64_t size;
        /* summed as it was written, unless it is not that file any more */
        int rc = bt_outfile_committed(p.ptr, &crc, &size) == 0 ? 0
                                                                 : file_crc(p.ptr, &crc, &size);
        bt_buf_free(&p);
        if (rc != 0) {
            json_decref(outs);
            return -1;
        }
        char hex[16];
        snprintf(hex, sizeof hex, "%08" PRIx32, crc);
        json_array_append_new(outs, json_pack("{s:s, s:I, s:s}", "file", names[i],
                                              "bytes", (json_int_t)size, "crc32", hex));
    }
    json_t *m = json_pack("{s:s, s:b, s:o}", "program", "bitext " BITEXT_VERSION,
                          "complete", 1, "outputs", outs);
    char *path = manifest_path(dir);
    int rc = -1;
    bt_outfile *o = bt_outfile_open(path);
    if (o) {
        if (json_dumpf(m, bt_outfile_fp(o), JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 &&
            fputc('\n', bt_outfile_fp(o)) != EOF)
            rc = bt_outfile_commit(o);
        else
            bt_outfile_abort(o);
    }
    if (rc != 0) cli_error("cannot write '%s': %s", path, strerror(errno));
    free(path);
    json_decref(m);
    return rc;
}
