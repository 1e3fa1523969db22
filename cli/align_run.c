/* align_run.c - bitext align after the options: files read and aligned by
 * the pool into pairs.jsonl, the memory store and the glossary, in input
 * order; then the outputs written and the summary. */
#include "cli.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef cli_align_run run;

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void progress(run *r, size_t i)
{
    cli_progress_show(&r->progress, i, ", %lu lines, %lu accepted", r->lines,
                      r->by_status[BT_PAIR_ACCEPTED]);
}

/* ---- running ---- */

bt_review_index *cli_review_load(const char *db)
{
    char *err = NULL;
    bt_decisions *d = bt_decisions_open(db, 0, &err);
    if (!d) {
        cli_error("%s", err ? err : "out of memory");
        free(err);
        return NULL;
    }
    bt_review_index *x = bt_review_index_load(d);
    if (!x) cli_error("%s: %s", db, bt_decisions_error(d));
    bt_decisions_close(d);
    return x;
}

int cli_align_decisions(run *r)
{
    if (!r->decisions) return BT_EXIT_OK;
    r->review = cli_review_load(r->decisions);
    return r->review ? BT_EXIT_OK : BT_EXIT_TROUBLE;
}

/* The place of pair i among the file's pairs of the same lines (a line of
 * two sentences, a caption and its credit): part of a decision's key. */
static unsigned pair_nth(const bt_align_result *res, size_t i)
{
    unsigned n = 0;
    for (size_t j = 0; j < i; j++)
        n += res->pairs[j].vi_line == res->pairs[i].vi_line &&
             res->pairs[j].en_line == res->pairs[i].en_line;
    return n;
}

/* --decisions: a credit split off pair p by a reviewer (the caption goes
 * in as decided): when both texts end with one, the credits are a pair of
 * their own, as align pairs credits that stand alone. */
static void add_split_credit(run *r, const char *path, const bt_pair *p)
{
    bt_evidence ev[2];
    bt_pair_evidence(NULL, p->vi, NULL, &ev[0]);
    bt_pair_evidence(NULL, NULL, p->en, &ev[1]);
    if (!ev[0].credit_len[0] || !ev[1].credit_len[1]) return;
    char *vi = bt_xstrndup(p->vi + ev[0].credit_at[0], ev[0].credit_len[0]);
    char *en = bt_xstrndup(p->en + ev[1].credit_at[1], ev[1].credit_len[1]);
    bt_tmx_unit u = { .vi = vi, .en = en, .file = path, .vi_line = p->vi_line,
                      .en_line = p->en_line, .score = 1, .status = "reviewed" };
    bt_tmx_store_add(r->mem, &u);
    free(vi);
    free(en);
}

/* --decisions: 1 when a reviewer decided the pair (then it went into the
 * memory as decided, or stayed out), 0 when the aligner's word stands. */
static int add_reviewed(run *r, const char *path, const bt_align_result *res, size_t i)
{
    const bt_pair *p = &res->pairs[i];
    const bt_decision *d;
    int st = bt_review_pair(r->review, path, p->vi_line, p->en_line, pair_nth(res, i), p->vi,
                            p->en, &d);
    if (st == BT_REVIEW_STALE) {
        r->review_stale++;
        if (!r->quiet)
            fprintf(stderr, "bitext: %s:%lu: decision '%s' (%s, %s) is stale: the text "
                    "changed since; not applied\n", path, p->vi_line ? p->vi_line : p->en_line,
                    d->action, d->who, d->at);
        return 0;
    }
    if (st != BT_REVIEW_APPLY) return 0;
    r->reviewed++;
    if (!strcmp(d->action, "reject")) return 1;
    int changed = !strcmp(d->action, "fix") || !strcmp(d->action, "edit") ||
                  !strcmp(d->action, "split");
    bt_tmx_unit u = { .vi = changed ? d->vi : p->vi, .en = changed ? d->en : p->en,
                      .file = path, .vi_line = p->vi_line, .en_line = p->en_line,
                      .score = 1, .status = "reviewed" };
    if (d->new_vi_line) u.vi_line = d->new_vi_line;
    if (d->new_en_line) u.en_line = d->new_en_line;
    if (u.vi && *u.vi && u.en && *u.en) bt_tmx_store_add(r->mem, &u);
    if (!strcmp(d->action, "split")) add_split_credit(r, path, p);
    return 1;
}

/* A file's pairs into the memories: the accepted ones into memory.tmx,
 * the partial ones (so marked) into memory-partial.tmx with
 * --include-partial, apart, so that a CAT tool can lower their matches;
 * with --decisions, as reviewers decided. */
static void add_pairs(run *r, const char *path, const bt_align_result *res)
{
    for (size_t i = 0; i < res->npairs; i++) {
        const bt_pair *p = &res->pairs[i];
        r->by_status[p->status]++;
        if (r->review && add_reviewed(r, path, res, i)) continue;
        int partial = p->status == BT_PAIR_PARTIAL;
        if (p->status != BT_PAIR_ACCEPTED && !(partial && r->partial)) continue;
        bt_tmx_unit u = { .vi = p->vi, .en = p->en, .file = path, .vi_line = p->vi_line,
                          .en_line = p->en_line, .score = p->score,
                          .status = partial ? "partial" : NULL };
        bt_tmx_store_add(partial ? r->partial : r->mem, &u);
    }
}

/* --decisions: the lines of pairs.jsonl, one a pair, each pair a reviewer
 * decided saying so: "review" (the action; "stale" when its text changed
 * since), and for fix and edit the texts the memory holds. */
static void write_reviewed(run *r, const char *path, const cli_doc_job *j)
{
    FILE *fp = bt_outfile_fp(r->jsonl);
    const char *line = j->out.ptr, *end = j->out.ptr + j->out.len;
    bt_buf extra;
    bt_buf_init(&extra);
    for (size_t i = 0; line < end; i++) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        size_t len = nl ? (size_t)(nl - line) : (size_t)(end - line);
        const bt_decision *d = NULL;
        int st = BT_REVIEW_NONE;
        if (i < j->res.npairs) {
            const bt_pair *p = &j->res.pairs[i];
            st = bt_review_pair(r->review, path, p->vi_line, p->en_line, pair_nth(&j->res, i),
                                p->vi, p->en, &d);
        }
        if (st == BT_REVIEW_NONE || len < 1 || line[len - 1] != '}') {
            fwrite(line, 1, len, fp);
        } else {
            bt_buf_reset(&extra);
            bt_review_jsonl_fields(&extra, st, d);
            fwrite(line, 1, len - 1, fp);
            fwrite(extra.ptr, 1, extra.len, fp);
            fputc('}', fp);
        }
        fputc('\n', fp);
        line += len + 1;
    }
    bt_buf_free(&extra);
}

/* In a worker: the item's lines of pairs.jsonl. */
static void pool_made(void *ctx, cli_doc_job *j, const char *path)
{
    (void)ctx;
    (void)path; /* the doc's path is the name as text (bt_name_text) */
    bt_align_pairs_jsonl(&j->out, j->doc->path, &j->res);
}

/* In input order: an item into the outputs. A pair of whole texts is two
 * files, recorded under the Vietnamese path. */
static void pool_use(void *ctx, cli_doc_job *j, size_t i)
{
    run *r = ctx;
    size_t nf = r->whole_texts ? 2 : 1;
    if (!j->doc) {
        r->files_failed++;
    } else {
        r->files_ok += (unsigned)nf;
        r->lines += bt_doc_text_lines(j->doc) + (j->en ? bt_doc_text_lines(j->en) : 0);
        r->invisible += j->doc->ninvisible + (j->en ? j->en->ninvisible : 0);
        if (r->review) write_reviewed(r, j->doc->path, j);
        else fwrite(j->out.ptr, 1, j->out.len, bt_outfile_fp(r->jsonl));
        add_pairs(r, j->doc->path, &j->res);
        bt_gloss_add_terms(r->gloss, &j->res, j->doc->path);
    }
    progress(r, (i + 1) * nf);
}

/* Align every file, or pair of whole texts; results are used in input
 * order, so the outputs do not depend on the number of threads. */
/* The glossary's marks from the lexicon, made while the files are aligned
 * rather than after (the lexicon is only read meanwhile). */
static void *make_marks(void *arg)
{
    run *r = arg;
    r->marks = bt_gloss_marks_new(bt_lexicon_default());
    return NULL;
}

void cli_align_files(run *r, int jobs)
{
    cli_doc_pool pool = { .paths = r->files, .npaths = r->nfiles,
                          .whole_texts = r->whole_texts, .ropts = &r->ropts,
                          .max_memory = r->max_memory,
                          .lex = r->lex ? r->lex : bt_lexicon_default(),
                          .st = &r->diag, .made = pool_made, .use = pool_use, .ctx = r };
    pthread_t th;
    int marking = !r->marks && pthread_create(&th, NULL, make_marks, r) == 0;
    cli_progress_start(&r->progress, r->nfiles, r->quiet);
    cli_doc_pool_run(&pool, jobs);
    cli_progress_end(&r->progress);
    if (marking) pthread_join(th, NULL);
}

/* ---- the run's lexicon and the learned table ---- */

/* A user's dictionary into the lexicon: every row of it, its kind func
 * marking a word too common to count alone. */
static int add_dict(run *r, const char *path)
{
    bt_gloss *g = bt_gloss_new();
    int rc = bt_gloss_read_dict(g, path, cli_diag, &r->diag);
    size_t added = 0;
    if (rc == BT_OK)
        for (size_t i = 0, n = bt_gloss_size(g); i < n; i++) {
            const bt_gloss_row *row = bt_gloss_row_at(g, i);
            added += (size_t)bt_lexicon_add_word(r->lex, row->vi, row->en,
                                                 row->kind && !strcmp(row->kind, "func"));
        }
    bt_gloss_free(g);
    if (rc != BT_OK) return BT_EXIT_TROUBLE; /* reported by the reader */
    if (!added && !r->quiet) fprintf(stderr, "bitext: %s: no words read\n", path);
    return BT_EXIT_OK;
}

/* A fresh lexicon with the dictionaries, and the table's entries. */
static int make_lexicon(run *r)
{
    bt_lexicon_free(r->lex);
    r->lex = bt_lexicon_new();
    for (size_t i = 0; i < r->ndicts; i++)
        if (add_dict(r, r->dicts[i]) != BT_EXIT_OK) return BT_EXIT_TROUBLE;
    if (r->table) r->learned = bt_table_learn(r->table, r->lex);
    return BT_EXIT_OK;
}

int cli_align_lexicon(run *r)
{
    if (!r->ndicts && !r->table_path && !r->learn) return BT_EXIT_OK;
    if (r->table_path || r->learn) r->table = bt_table_new(0);
    /* a table written before is read first: its entries serve the first
     * pass too, and its pairs join this run's */
    if (r->table_path && access(r->table_path, F_OK) == 0 &&
        bt_table_read(r->table, r->table_path, cli_diag, &r->diag) != BT_OK)
        return BT_EXIT_TROUBLE;
    return make_lexicon(r);
}

/* In input order: a first pass's item, its confident pairs kept. */
static void learn_use(void *ctx, cli_doc_job *j, size_t i)
{
    run *r = ctx;
    if (j->doc) bt_table_add_result(r->table, r->lex, &j->res);
    progress(r, (i + 1) * (r->whole_texts ? 2 : 1));
}

void cli_align_learn(run *r, int jobs)
{
    if (!r->table) return;
    cli_doc_pool pool = { .paths = r->files, .npaths = r->nfiles,
                          .whole_texts = r->whole_texts, .ropts = &r->ropts,
                          .max_memory = r->max_memory,
                          .lex = r->lex, .st = &r->diag,
                          .silent = 1, .use = learn_use, .ctx = r };
    cli_progress_start(&r->progress, r->nfiles, r->quiet);
    cli_doc_pool_run(&pool, jobs);
    cli_progress_end(&r->progress);
    /* the second pass weighs every candidate again with what was learned;
     * the dictionaries were read without trouble the first time */
    unsigned warnings = r->diag.warnings, errors = r->diag.errors;
    r->diag.quiet_warnings++;
    make_lexicon(r);
    r->diag.quiet_warnings--;
    r->diag.warnings = warnings;
    r->diag.errors = errors;
}

int cli_align_write_table(run *r)
{
    if (!r->table || !r->table_path) return BT_EXIT_OK;
    if (bt_table_write(r->table, r->table_path) != 0) {
        cli_error("cannot write '%s': %s", r->table_path, strerror(errno));
        return BT_EXIT_TROUBLE;
    }
    return BT_EXIT_OK;
}

/* ---- writing ---- */

/* Output k into path: pairs.jsonl, written as the run went, is kept. */
static const char *const out_names[] = { "pairs.jsonl", "memory.tmx", "glossary.tsv",
                                         "glossary.tbx", "glossary.txt",
                                         "memory-partial.tmx" };
enum { NOUTS = sizeof out_names / sizeof *out_names };
static int write_out(run *r, int k, const char *path)
{
    /* every unit says where it comes from, in the form CAT tools show */
    bt_tmx_write_opts o = { .lang_vi = r->lang_vi, .lang_en = r->lang_en, .provenance = 1,
                            .min_score = r->min_score };
    switch (k) {
    case 0: return bt_outfile_commit(r->jsonl);
    case 1: return bt_tmx_store_write_opts(r->mem, path, BITEXT_VERSION, &o, &r->units);
    case 2: return bt_gloss_write_tsv(r->gloss, path);
    case 3: return bt_gloss_write_tbx_langs(r->gloss, path, r->lang_vi, r->lang_en);
    case 4: return bt_gloss_write_omegat(r->gloss, path); /* as OmegaT loads it */
    default: return bt_tmx_store_write_opts(r->partial, path, BITEXT_VERSION, &o,
                                            &r->partial_units);
    }
}

/* Outputs written, each's result and errno. */
typedef struct out_task {
    run *r;
    int rc[NOUTS], err[NOUTS];
} out_task;

static void write_one(out_task *t, int k)
{
    bt_buf path;
    bt_buf_init(&path);
    bt_buf_printf(&path, "%s/%s", t->r->outdir, out_names[k]);
    errno = 0;
    t->rc[k] = write_out(t->r, k, path.ptr);
    t->err[k] = errno;
    bt_buf_free(&path);
}

/* Outputs from..to-1 (and memory-partial.tmx after memory.tmx with
 * --include-partial), one after another on a thread of their own. */
typedef struct out_run {
    out_task *t;
    int from, to;
    pthread_t th;
    int apart;           /* on a thread of its own, to be joined */
} out_run;

static void *write_run(void *arg)
{
    out_run *w = arg;
    for (int k = w->from; k < w->to; k++) {
        write_one(w->t, k);
        if (k == 1 && w->t->r->partial) write_one(w->t, NOUTS - 1);
    }
    return NULL;
}

/* w on a thread of its own, or here when none can be made. */
static void start_run(out_run *w)
{
    w->apart = pthread_create(&w->th, NULL, write_run, w) == 0;
    if (!w->apart) write_run(w);
}

static void end_run(out_run *w)
{
    if (w->apart) pthread_join(w->th, NULL);
}

/* Keep pairs.jsonl and write the other outputs, unless the run read
 * nothing or --strict found a problem; then the summary. */
static int align_write(run *r, unsigned expand_errors, const bt_gloss_marks *marks)
{
    unsigned problems = r->diag.errors + r->diag.warnings;
    if (r->files_ok == 0 || r->lines == 0) {
        cli_error(r->files_ok ? "the input holds no text" : "no input could be read");
        return BT_EXIT_TROUBLE;
    }
    if (r->strict && problems) {
        cli_error("%u input problem%s: nothing written (--strict)", problems,
                  problems == 1 ? "" : "s");
        return BT_EXIT_TROUBLE;
    }
    int failed = 0;
    /* the outputs are a set: no manifest while they are replaced */
    cli_manifest_remove(r->outdir);
    const char *written[NOUTS + 2 * (BT_TMX_EXPORT_XLSX + 1)];
    char exported[2 * (BT_TMX_EXPORT_XLSX + 1)][32];
    size_t nwritten = 0, nexported = 0;
    out_task t = { .r = r };
    if (bt_outfile_flush(r->jsonl) != 0) {
        cli_error("cannot write '%s/%s': %s", r->outdir, out_names[0], strerror(errno));
        bt_outfile_abort(r->jsonl);
        r->jsonl = NULL;
        return BT_EXIT_TROUBLE; /* then nothing else */
    }
    /* Then every output at once, each on a thread of its own: much of the
     * end of a run is each file's fsync, which waits on the disk, not the
     * processor. pairs.jsonl, whole, is committed and the memories are
     * written while the glossary is marked and its three files written;
     * they share nothing but the glossary, which is only read once its
     * order is made. A file that fails leaves the others whole, and no
     * manifest. */
    out_run runs[4] = { { &t, 0, 1, 0, 0 }, { &t, 1, 2, 0, 0 },
                        { &t, 3, 4, 0, 0 }, { &t, 4, 5, 0, 0 } };
    start_run(&runs[0]);
    start_run(&runs[1]);
    /* official renderings first, and each rendering's standing for TBX */
    if (marks) bt_gloss_mark_with(r->gloss, marks);
    else bt_gloss_mark_lexicon(r->gloss, bt_lexicon_default());
    bt_gloss_row_at(r->gloss, 0); /* its order, made before it is shared */
    start_run(&runs[2]);
    start_run(&runs[3]);
    write_one(&t, 2);
    for (int w = 0; w < 4; w++) end_run(&runs[w]);
    r->jsonl = NULL; /* committed, or given up */
    for (int k = 0; k < NOUTS; k++) {
        if (k == NOUTS - 1 && !r->partial) break;
        written[nwritten++] = out_names[k];
        if (t.rc[k] != 0)
            cli_error("cannot write '%s/%s': %s", r->outdir, out_names[k], strerror(t.err[k]));
        failed |= t.rc[k] != 0;
    }
    /* --export: each memory again, as a table, XLIFF or a workbook, beside it */
    bt_tmx_write_opts o = { .lang_vi = r->lang_vi, .lang_en = r->lang_en,
                            .min_score = r->min_score };
    for (int f = BT_TMX_EXPORT_TSV; f <= BT_TMX_EXPORT_XLSX; f++) {
        if (!(r->exports & (1u << f))) continue;
        for (int partial = 0; partial <= (r->partial != NULL); partial++) {
            bt_buf path;
            bt_buf_init(&path);
            const char *base = partial ? "memory-partial" : "memory";
            bt_buf_printf(&path, "%s/%s.%s", r->outdir, base, bt_tmx_export_ext(f));
            char original[32];
            snprintf(original, sizeof original, "%s.tmx", base);
            if (bt_tmx_store_export(partial ? r->partial : r->mem, path.ptr, f, &o,
                                    original) != 0) {
                cli_error("cannot write '%s': %s", path.ptr, strerror(errno));
                failed = 1;
            } else {
                snprintf(exported[nexported], sizeof exported[nexported], "%s.%s", base,
                         bt_tmx_export_ext(f));
                written[nwritten++] = exported[nexported++];
            }
            bt_buf_free(&path);
        }
    }
    if (cli_align_write_table(r) != BT_EXIT_OK) failed = 1;
    /* a file that could not be read at all is trouble, although the
     * others were aligned and written */
    if (!failed && cli_manifest_write(r->outdir, written, nwritten) != 0) failed = 1;
    if (r->files_failed || expand_errors) failed = 1;
    if (!r->quiet) {
        /* invisible characters (zero-width, bidi controls) are taken out
         * without a message per line: counted here, when there were any */
        char inv[64] = "", part[48] = "";
        if (r->invisible)
            snprintf(inv, sizeof inv, "; %lu invisible character%s taken out",
                     r->invisible, r->invisible == 1 ? "" : "s");
        if (r->partial)
            snprintf(part, sizeof part, " (+%lu partial)", (unsigned long)r->partial_units);
        fprintf(stderr,
                "bitext: %u file%s, %lu lines; pairs: %lu accepted, %lu partial, "
                "%lu mismatch, %lu unpaired; %lu memory units%s; %u problem%s%s; %.2f s\n",
                r->files_ok, r->files_ok == 1 ? "" : "s", r->lines,
                r->by_status[BT_PAIR_ACCEPTED], r->by_status[BT_PAIR_PARTIAL],
                r->by_status[BT_PAIR_MISMATCH], r->by_status[BT_PAIR_UNPAIRED],
                (unsigned long)r->units, part, problems, problems == 1 ? "" : "s", inv,
                cli_now() - r->t0);
    }
    if (!r->quiet && r->review)
        fprintf(stderr, "bitext: decisions: %lu applied, %lu stale, %zu not found\n",
                r->reviewed, r->review_stale, bt_review_unused(r->review));
    if (!r->quiet && r->table)
        fprintf(stderr, "bitext: table: %zu pairs learned from, %zu words added\n",
                bt_table_pairs(r->table), r->learned);
    return failed ? BT_EXIT_TROUBLE : BT_EXIT_OK;
}

int cli_align_write(run *r, unsigned expand_errors)
{
    bt_gloss_marks *marks = r->marks;
    r->marks = NULL;
    int rc = align_write(r, expand_errors, marks);
    bt_gloss_marks_free(marks);
    return rc;
}
