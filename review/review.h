/* review.h - what translators and editors decided about an archive, and
 * the local web application where they decide it.
 *
 * Decisions live in one SQLite file per archive (DIR/decisions.db, WAL
 * mode, so several reviewers may write at once). Each is keyed so that it
 * survives re-runs: a pair by its file, line numbers and place among the
 * pairs of those lines, with a hash of both texts as they were when it was
 * decided; a text changed since makes the decision stale, and a stale
 * decision is reported, never applied. Findings are keyed by kind and
 * subject (and, for the per-article kinds, their first place). The latest
 * decision on a key wins; every one is kept in a log with who and when.
 *
 *   target   action   what it does
 *   pair     accept   the pair goes into the memory, reviewed, score 1
 *   pair     reject   the pair stays out of the memory
 *   pair     fix      another line paired with it (vi/en hold the texts)
 *   pair     edit     the pair's texts replaced (vi/en), reviewed, score 1
 *   pair     split    the photo credit that ends its texts split off: vi/en
 *                     hold the caption without it (reviewed, score 1); the
 *                     credits, when both sides have one, are a pair of
 *                     their own (bt_pair_evidence finds them)
 *   finding  fixed    the finding is left out of later reports
 *   variant  accept   an English rendering (variant) of subject accepted
 *   house    set      en is the house rendering of subject, the official
 *   any      undo     the decision on that key taken back
 *
 * The library never prints: failures come back as a message the caller
 * owns. */
#ifndef BT_REVIEW_H
#define BT_REVIEW_H

#include "../check/check.h"

#include <stddef.h>
#include <stdio.h>

/* One decision. Strings are borrowed (from the caller when putting, from
 * the store until its next call when reading); NULL reads as "". */
typedef struct bt_decision {
    const char *target;      /* "pair", "finding", "variant", "house" */
    const char *kind;        /* finding: bt_check_kind_name() */
    const char *subject;     /* finding, variant, house: the concept or person */
    const char *variant;     /* variant: the English rendering accepted */
    const char *file;        /* pair, per-article finding: input path */
    unsigned long vi_line;   /* pair: 0 when unpaired; finding: first line */
    unsigned long en_line;   /* pair: 0 when unpaired */
    unsigned nth;            /* pair: its place among those of the same lines */
    const char *action;      /* see above */
    const char *vi_hash;     /* bt_review_hash of the texts when decided */
    const char *en_hash;
    unsigned long new_vi_line, new_en_line; /* fix: the line picked, else 0 */
    const char *vi, *en;     /* fix, edit: the pair's texts; house: en */
    const char *who;         /* reviewer */
    const char *at;          /* UTC, "2026-12-04T18:30:00Z"; NULL: now */
} bt_decision;

/* FNV-1a 64 of text (NULL as ""), as 16 lower-case hex digits into out. */
void bt_review_hash(const char *text, char out[17]);

/* ---- the store --------------------------------------------------------- */

typedef struct bt_decisions bt_decisions;

/* Open (create when create is 1) the store at path. NULL on failure with
 * *err set to a message (caller frees). Caller closes. */
bt_decisions *bt_decisions_open(const char *path, int create, char **err);
void bt_decisions_close(bt_decisions *d); /* NULL ok */
/* The last failure's message (borrowed until the next call), or "". */
const char *bt_decisions_error(const bt_decisions *d);

/* Record d (replacing the decision on its key; "undo" removes it) and log
 * it. 0, or -1 (bt_decisions_error says why). */
int bt_decisions_put(bt_decisions *d, const bt_decision *dec);

/* Every decision as TSV, a header line first, in key order. 0, or -1. */
int bt_decisions_export(bt_decisions *d, FILE *out);
/* Read decisions as written by export; a row replaces the one on its key
 * unless that one is newer. *n: rows read. 0, or -1 with the message
 * naming the line. */
int bt_decisions_import(bt_decisions *d, FILE *in, const char *name, size_t *n);

/* Call fn for every decision, in key order. 0, or -1. */
int bt_decisions_each(bt_decisions *d, void (*fn)(void *ud, const bt_decision *dec),
                      void *ud);

/* ---- applying decisions ---------------------------------------------- */

/* A store's decisions read into memory, for runs that consult them often
 * (align, check, the review server). Caller frees. NULL with the error in
 * bt_decisions_error when they cannot be read. */
typedef struct bt_review_index bt_review_index;
bt_review_index *bt_review_index_load(bt_decisions *d);
void bt_review_index_free(bt_review_index *x); /* NULL ok */

enum { BT_REVIEW_NONE = 0, BT_REVIEW_STALE, BT_REVIEW_APPLY };

/* The decision on the nth pair of (file, vi_line, en_line) whose texts are
 * vi and en: BT_REVIEW_NONE, BT_REVIEW_STALE (texts changed since) or
 * BT_REVIEW_APPLY, with *dec set for the last two (borrowed until
 * bt_review_index_free). The decision is counted as used. */
int bt_review_pair(bt_review_index *x, const char *file, unsigned long vi_line,
                   unsigned long en_line, unsigned nth, const char *vi, const char *en,
                   const bt_decision **dec);
/* The members a line of pairs.jsonl gains for a decided pair (st and d
 * from bt_review_pair), appended to out: ,"review":ACTION ("stale" when
 * stale), and for fix, edit and split ,"review_vi":...,"review_en":... . */
void bt_review_jsonl_fields(bt_buf *out, int st, const bt_decision *d);

/* Pair decisions no pair of the run matched (its lines moved, its file
 * left): counted after a run. */
size_t bt_review_unused(const bt_review_index *x);

/* The house rendering of subject, or NULL. */
const char *bt_review_house(const bt_review_index *x, const char *subject);

/* Hooks for bt_check_opts that leave out accepted variants and fixed
 * findings and use the house renderings as official; x must outlive the
 * check. */
void bt_review_check_hooks(bt_review_index *x, bt_check_hooks *h);
/* Findings marked fixed but whose text changed since (counted by the
 * hooks). */
size_t bt_review_stale_findings(const bt_review_index *x);

/* ---- the review application --------------------------------------- */

/* What the application shows: the candidate pairs and the lines around
 * them, and the findings. Filled by the caller, then served. */
typedef struct bt_review bt_review;

/* A new application writing to d (borrowed). Caller frees. */
bt_review *bt_review_new(bt_decisions *d);
void bt_review_free(bt_review *rv); /* NULL ok */

/* A file's text lines (lineno, text), for the context of its pairs and
 * for picking another line; copied. */
void bt_review_add_line(bt_review *rv, const char *file, unsigned long lineno,
                        const char *text);
/* A candidate pair, copied: vi or en NULL when unpaired. */
void bt_review_add_pair(bt_review *rv, const char *file, unsigned long vi_line,
                        unsigned long en_line, const char *vi, const char *en,
                        double score, const char *status, int credit);
/* A finding, copied. */
void bt_review_add_finding(bt_review *rv, const bt_check_finding *f);

/* One HTTP request as the server received it. */
typedef struct bt_review_request {
    const char *method;      /* "GET", "POST" */
    const char *path;        /* without the query */
    const char *query;       /* "a=1&b=2" or NULL */
    const char *origin;      /* Origin header or NULL */
    const char *host;        /* Host header or NULL */
    const char *token;       /* X-Bitext-Token header or NULL */
    const char *content_type;
    const char *body;        /* POST body (need not be NUL-terminated) */
    size_t body_len;
} bt_review_request;

typedef struct bt_review_response {
    int status;              /* 200, 400, 403, 404, 405, 413, 500 */
    const char *content_type;/* static */
    char *body;              /* caller frees */
    size_t body_len;
} bt_review_response;

/* Which requests are answered: hosts (Host header values, e.g.
 * "127.0.0.1:8080"), and the token a request must carry (NULL: none).
 * Origins allowed are "http://" + each host. Copied. */
void bt_review_allow(bt_review *rv, const char *const *hosts, size_t nhosts,
                     const char *token);

/* Answer one request (any thread; calls are serialized inside). Never
 * fails: bad requests get a 4xx status and a message. */
void bt_review_handle(bt_review *rv, const bt_review_request *req,
                      bt_review_response *resp);

/* Serve rv on addr:port (port 0: any free one) until *stop becomes
 * non-zero (a signal handler sets it). *bound: the port listened on,
 * set before ready(ud) is called. 0, or -1 with *err set (caller frees). */
int bt_review_serve(bt_review *rv, const char *addr, unsigned port,
                    volatile int *stop, void (*ready)(void *ud, unsigned port),
                    void *ud, char **err);

#endif
