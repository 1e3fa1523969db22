/* cli.h - the bitext program: one function per command, shared helpers. */
#ifndef BT_CLI_H
#define BT_CLI_H

#include "../base/base.h"

#define BITEXT_VERSION "0.1.0"

/* Exit codes, stable and documented in bitext.1. */
enum {
    BT_EXIT_OK = 0,      /* success (lookup: found; check: no findings) */
    BT_EXIT_FAIL = 1,    /* input or processing error (lookup: not found;
                            check: findings exist) */
    BT_EXIT_USAGE = 2    /* usage error */
};

int bt_cmd_align(int argc, char **argv);
int bt_cmd_lookup(int argc, char **argv);
int bt_cmd_glossary(int argc, char **argv);
int bt_cmd_check(int argc, char **argv);
int bt_cmd_tmx(int argc, char **argv);

/* Print "bitext: FILE:LINE: message" (or "bitext: FILE: message") on
 * stderr; ud is a cli_diag_state * or NULL. */
typedef struct cli_diag_state {
    unsigned errors;    /* problems that lost a line or a file */
    unsigned warnings;  /* problems repaired */
    int quiet_warnings;
} cli_diag_state;
void cli_diag(void *ud, const bt_diag *d);
/* Append the line cli_diag prints for d to out. */
void cli_diag_format(bt_buf *out, const bt_diag *d);

/* "bitext: message" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Usage error: message, a hint to --help, returns BT_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Make items 0..n-1 with nthreads threads, this one included, and consume
 * them here in order, so that the outputs do not depend on nthreads. This
 * thread makes items itself while the next to consume is not ready; an
 * item is released by the thread that made it (freeing another thread's
 * blocks contends for its malloc arena). */
typedef struct cli_pool_ops {
    void *(*make)(void *ctx, size_t i);               /* any thread */
    void (*consume)(void *ctx, size_t i, void *made); /* this thread, in order */
    void (*release)(void *ctx, void *made);           /* after consume */
} cli_pool_ops;
void cli_pool_run(size_t n, int nthreads, const cli_pool_ops *ops, void *ctx);

#endif
