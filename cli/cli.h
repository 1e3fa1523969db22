/* cli.h - the bitext program: one function per command, shared helpers. */
#ifndef BT_CLI_H
#define BT_CLI_H

#include "../align/align.h"
#include "../base/base.h"
#include "../corpus/corpus.h"
#include "../gloss/gloss.h"
#include "../review/review.h"
#include "../tmx/tmx.h"

#include <getopt.h>
#include <stddef.h>

#define BITEXT_VERSION "0.1.0"

/* Exit codes, the same for every command and documented in bitext.1; as
 * grep and diff use them, 1 is an answer and not a failure, so a script
 * can tell "findings exist" from "the run went wrong". */
enum {
    BT_EXIT_OK = 0,       /* success (lookup: all found; check: no findings;
                             tmx validate: all valid) */
    BT_EXIT_NO = 1,       /* a negative answer (lookup: a term not found;
                             check: findings exist; tmx validate: a file
                             invalid) */
    BT_EXIT_TROUBLE = 2,  /* usage error, unreadable input, write error;
                             wins over 1 */
    BT_EXIT_USAGE = BT_EXIT_TROUBLE
};

int bt_cmd_align(int argc, char **argv);
int bt_cmd_lookup(int argc, char **argv);
int bt_cmd_glossary(int argc, char **argv);
int bt_cmd_check(int argc, char **argv);
int bt_cmd_tmx(int argc, char **argv);
int bt_cmd_table(int argc, char **argv);
int bt_cmd_decisions(int argc, char **argv);
int bt_cmd_review(int argc, char **argv);

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

/* One way for every command to read its options: getopt_long with GNU
 * permutation (options anywhere among the operands, "--" ends them,
 * bundled short options), and -h/--help and -V/--version added to every
 * command's. After the loop the operands are argv[optind..argc-1]. */
typedef struct cli_args {
    const char *cmd;         /* "align", "tmx merge": named in messages */
    const char *usage;       /* what --help prints */
    char shortopts[64];
    struct option longopts[32];
    int status;              /* what to return after CLI_ARGS_EXIT */
} cli_args;
enum { CLI_ARGS_EXIT = -2 };
/* shortopts and longopts are the command's own, without h and V. */
void cli_args_init(cli_args *a, const char *cmd, const char *usage,
                   const char *shortopts, const struct option *longopts);
/* The next option's value, as getopt_long returns it, with optarg set;
 * -1 at the end of the options; CLI_ARGS_EXIT once --help or --version has
 * been printed or a usage error reported: the command returns a->status. */
int cli_args_next(cli_args *a, int argc, char **argv);

/* The command line of a merge ("glossary merge", "table merge"): -o OUT
 * and at least one input (what: "glossary", "table"), inputs from
 * argv[optind]. Returns -1 to go on with *out set, else the status to exit
 * with (--help, --version or a usage error). */
int cli_merge_args(int argc, char **argv, const char *cmd, const char *usage, const char *what,
                   const char **out);

/* "bitext VERSION" on stdout. */
int cli_version(void);

/* Usage error unless ICU knows the converter name: checked once, before
 * any file is read, rather than once per file. */
int cli_check_encoding(const char *cmd, const char *name);

/* A size in bytes, digits only and not 0 (--max-line, --max-file,
 * --max-memory): 0, or -1 when s is not one. */
int cli_parse_size(const char *s, size_t *out);

/* --jobs: 1..256; 0, or -1 when s is not one. */
int cli_parse_jobs(const char *s, int *jobs);

/* The processors this process may run on (its affinity, as nproc says). */
int cli_usable_cpus(void);

/* The default of --jobs: cli_usable_cpus(), at most 64. */
int cli_default_jobs(void);

/* An output directory held by one run (outdir.c): DIR/.bitext.lock, locked
 * with flock(). cli_outdir_lock prints why and returns BT_EXIT_TROUBLE when
 * another run holds it; cli_outdir_unlock removes the lock file. */
typedef struct cli_outdir {
    int fd;
    char *path;
} cli_outdir;
int cli_outdir_lock(const char *dir, cli_outdir *o);
void cli_outdir_unlock(cli_outdir *o);
/* DIR/manifest.json, the commit of a run's outputs as a set: removed before
 * the first output is replaced, written (atomically) after the last, with
 * each output's size and CRC-32. Returns 0, or -1 with a message. */
void cli_manifest_remove(const char *dir);
int cli_manifest_write(const char *dir, const char *const *names, size_t n);

/* Close stdout at exit: a write error there (a full disk, /dev/full) is
 * trouble like any other, not a success. Returns rc, or BT_EXIT_TROUBLE
 * with a message. */
int cli_close_stdout(int rc);

/* A progress line on stderr, "bitext: DONE/TOTAL files, RATE files/s"
 * and what the command adds, only when stderr is a terminal and not -q;
 * from one second in, at most five times a second. */
typedef struct cli_progress {
    int on;
    size_t total;
    double t0, last;
} cli_progress;
void cli_progress_start(cli_progress *p, size_t total, int quiet);
void cli_progress_show(cli_progress *p, size_t done, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Erase the line, if one was shown. */
void cli_progress_end(cli_progress *p);

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

/* Read and align files with cli_pool_run: the part of align and check
 * that does not depend on the files before it. Item i is paths[i], or with
 * whole_texts the Vietnamese paths[2i] and its English paths[2i+1]
 * (bt_align_texts). An item's diagnostics are printed and counted in st,
 * in input order, before use sees it. */
typedef struct cli_doc_job {
    bt_doc *doc;            /* NULL when a file could not be read or aligned */
    bt_doc *en;             /* with whole_texts: the English text */
    bt_align_result res;    /* set when doc is */
    bt_annotation *notes;   /* with annotate, when doc is: its annotation */
    bt_buf out;             /* what made wrote (align: the lines of pairs.jsonl) */
    bt_buf diags;           /* what cli_diag would have printed, in order */
    cli_diag_state st;
    size_t reserved;        /* of the memory budget, until consumed */
    int deferred;           /* made by the consumer when it is its turn */
} cli_doc_job;

/* The default of --max-memory (align, check): the memory all jobs take
 * at once, reading and aligning. */
#define CLI_MAX_MEMORY ((size_t)1 << 30)
/* What a job takes, reading and aligning a text of N bytes, measured
 * (peak resident memory per job, docs/robustness.md "What a job takes"):
 * the less of per_byte * N and base + per_byte_large * N. A small text
 * costs most per byte (align 17 at 1 and 2 MB), a large one less (7 at 10
 * MB, 4.3 at 40 MB). */
typedef struct cli_mem_cost {
    double per_byte;        /* up to a few MB */
    double base;            /* bytes, */
    double per_byte_large;  /* and per byte beyond */
} cli_mem_cost;
#define CLI_MEM_ALIGN { 18, 45 << 20, 4 }
#define CLI_MEM_CHECK { 26, 50 << 20, 5.5 } /* annotating too */
/* corpus.h's default --max-file, for the budget's arithmetic. */
#define CLI_MAX_FILE ((size_t)256 << 20)

typedef struct cli_doc_pool {
    char *const *paths;
    size_t npaths;
    int whole_texts;        /* items are pairs of paths */
    const bt_read_opts *ropts;
    const bt_lexicon *lex;
    bt_align_opts aopts;    /* for bt_align_doc */
    int annotate;           /* 1: annotate each document, then align it */
    cli_diag_state *st;     /* the run's counts; quiet_warnings is honoured */
    int silent;             /* 1: diagnostics neither printed nor counted (a
                               first pass, whose files are read again) */
    /* in any thread, after an item was read and aligned (path: its first
     * file); may be NULL */
    void (*made)(void *ctx, cli_doc_job *j, const char *path);
    /* here, in input order, for every item, used or not */
    void (*use)(void *ctx, cli_doc_job *j, size_t i);
    void *ctx;
    /* the memory budget across jobs, bytes of memory taken at once (0:
     * CLI_MAX_MEMORY), a file charged what its text takes (CLI_MEM_ALIGN,
     * CLI_MEM_CHECK with annotate): reserved before it is read (a plain
     * file's size; gzip'd or a pipe, the most it may take), then its
     * text's once read, until it is consumed. A job waits for room; a
     * file that would take more than a quarter of the budget (more than all of
     * it when it is the only item) is refused. */
    size_t max_memory;
    struct cli_budget *budget; /* cli_doc_pool_run's */
} cli_doc_pool;
void cli_doc_pool_run(cli_doc_pool *p, int nthreads);
/* A pool's made for the commands that check (check, review): in the worker,
 * what the check will read of the item (bt_check_prepare). */
void cli_check_made(void *ctx, cli_doc_job *j, const char *path);

/* ---- bitext align: cmd_align.c parses, align_run.c runs ---- */

/* The text of bitext align --help (align_usage.c). */
extern const char cli_align_usage[];

/* Seconds on a monotonic clock. */
double cli_now(void);

typedef struct cli_align_run {
    const char *outdir;
    int quiet, strict, include_partial;
    double min_score;        /* --min-score: units below are left out */
    const char *lang_vi, *lang_en; /* --lang-vi, --lang-en (NULL: vi, en) */
    unsigned exports;        /* --export: 1 << BT_TMX_EXPORT_TSV, ... */
    int whole_texts;         /* --pair, --pairs: files are pairs of texts */
    bt_read_opts ropts;
    size_t max_memory;       /* --max-memory (0: CLI_MAX_MEMORY) */
    cli_diag_state diag;
    unsigned files_ok, files_failed;
    unsigned long lines;
    unsigned long invisible; /* invisible characters taken out */
    unsigned long by_status[4];
    bt_tmx_store *mem;
    bt_tmx_store *partial;   /* --include-partial: memory-partial.tmx */
    size_t units, partial_units; /* units written to each */
    bt_gloss *gloss;
    bt_outfile *jsonl;       /* pairs.jsonl, written as the run goes */
    char **files;            /* one block (bt_inputs_pack) */
    size_t nfiles;
    double t0;
    cli_progress progress;
    /* --dict, --table, --learn: a lexicon of the run's own, and the table
     * learned by a first pass */
    char **dicts;
    size_t ndicts;
    const char *table_path;
    int learn;
    bt_lexicon *lex;         /* NULL: the default lexicon */
    bt_table *table;
    size_t learned;          /* words the second pass's lexicon learned */
    /* --decisions DB: what reviewers decided, applied to the memory */
    const char *decisions;
    bt_review_index *review;
    unsigned long reviewed, review_stale; /* decisions applied, stale */
    bt_gloss_marks *marks;   /* the lexicon's standings, made while aligning */
} cli_align_run;

/* Align r->files with jobs threads into r->jsonl, r->mem and r->gloss. */
void cli_align_files(cli_align_run *r, int jobs);
/* With --dict, --table or --learn: the run's lexicon with the users'
 * words and the table file's entries (BT_EXIT_OK, or BT_EXIT_TROUBLE with
 * the reason reported); then, with --table or --learn, a first pass over
 * the inputs that learns the table, and the second pass's lexicon. */
int cli_align_lexicon(cli_align_run *r);
void cli_align_learn(cli_align_run *r, int jobs);
/* Write the table to --table's file; BT_EXIT_OK or BT_EXIT_TROUBLE. */
int cli_align_write_table(cli_align_run *r);
/* With --decisions: the decisions read (BT_EXIT_OK), or BT_EXIT_TROUBLE
 * with the reason reported. */
int cli_align_decisions(cli_align_run *r);
/* Read DB's decisions into an index, or report why not (NULL). */
bt_review_index *cli_review_load(const char *db);

/* Keep pairs.jsonl and write memory.tmx (and memory-partial.tmx with
 * --include-partial), glossary.tsv, glossary.tbx and glossary.txt
 * (official renderings marked and first),
 * unless the run read nothing or --strict found a problem; then print the
 * summary. An exit status (errors reported). */
int cli_align_write(cli_align_run *r, unsigned expand_errors);

#endif
