/* fuzz.h - shared by the fuzz harnesses: the libFuzzer entry points, a
 * scratch file per process for readers that take a path, and the checks of
 * what the public headers promise (so a harness finds wrong output, not
 * only crashes).
 *
 * Each harness is built twice: with clang and -fsanitize=fuzzer for `make
 * fuzz`, and with the project's compiler and tests/fuzz/replay.c, whose
 * main() runs it over the saved corpus in `make check`. */
#ifndef BT_FUZZ_H
#define BT_FUZZ_H

#include "../../base/base.h"

#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A broken promise is a crash, so that libFuzzer saves the input and the
 * replay driver fails. */
#define FUZZ_CHECK(cond, what)                                              \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "fuzz: %s:%d: %s\n", __FILE__, __LINE__, what); \
            abort();                                                        \
        }                                                                   \
    } while (0)

/* Diagnostics: every report must carry a message (and a file when it has a
 * line); they are counted, not printed. */
typedef struct fuzz_diags {
    unsigned errors, warnings;
} fuzz_diags;

static inline void fuzz_diag(void *ud, const bt_diag *d)
{
    FUZZ_CHECK(d && d->msg, "diagnostic without a message");
    FUZZ_CHECK(strlen(d->msg) < 4096, "runaway diagnostic");
    FUZZ_CHECK(!d->line || d->file, "diagnostic with a line but no file");
    FUZZ_CHECK(d->code <= 0 && d->code >= BT_ERR_USAGE, "unknown status code");
    fuzz_diags *c = ud;
    if (!c) return;
    if (d->is_warning) c->warnings++;
    else c->errors++;
}

/* Valid UTF-8 with its length right and no NUL inside. */
static inline void fuzz_check_utf8(const char *s, size_t len, const char *what)
{
    FUZZ_CHECK(s != NULL, what);
    FUZZ_CHECK(strlen(s) == len, what);
    FUZZ_CHECK(bt_utf8_invalid_at(s, len) == (size_t)-1, what);
}

static inline void fuzz_check_str(const char *s, const char *what)
{
    if (s) fuzz_check_utf8(s, strlen(s), what);
}

/* ---- scratch files --------------------------------------------------- *
 * One directory per process, in /dev/shm when there is one (the writers
 * fsync, which costs nothing there), removed at exit. */
static char fuzz_dir_path[256];

static inline void fuzz_dir_remove(void)
{
    char cmd[300];
    if (!fuzz_dir_path[0]) return;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fuzz_dir_path);
    if (system(cmd) != 0) { /* best effort */ }
}

static inline const char *fuzz_dir(void)
{
    if (fuzz_dir_path[0]) return fuzz_dir_path;
    const char *base = getenv("FUZZ_TMPDIR");
    if (!base) base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(fuzz_dir_path, sizeof fuzz_dir_path, "%s/bitext-fuzz.XXXXXX", base);
    if (!mkdtemp(fuzz_dir_path)) {
        perror("fuzz: mkdtemp");
        abort();
    }
    atexit(fuzz_dir_remove);
    return fuzz_dir_path;
}

/* The path of name in the scratch directory (static buffer per call site
 * is the caller's business: copy it if you need two). */
static inline const char *fuzz_path(const char *name, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/%s", fuzz_dir(), name);
    return buf;
}

/* Replace the file at path by data[0..n). */
static inline void fuzz_write_file(const char *path, const void *data, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        perror(path);
        abort();
    }
    const char *p = data;
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w <= 0) {
            perror(path);
            abort();
        }
        p += w;
        n -= (size_t)w;
    }
    close(fd);
}

/* Read the whole file (caller frees); NULL when it does not exist. */
static inline char *fuzz_read_file(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    bt_buf b;
    bt_buf_init(&b);
    char tmp[8192];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, fp)) > 0) bt_buf_add(&b, tmp, k);
    fclose(fp);
    *n = b.len;
    return bt_buf_detach(&b);
}

#endif
