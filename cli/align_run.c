/* align_run.c - bitext align after the options: files read and aligned by
 * the pool into pairs.jsonl, the memory store and the glossary, in input
 * order; then the outputs written and the summary. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* A file's pairs into the memory: the accepted ones, and the partial ones
 * (so marked) with --include-partial. */
static void add_pairs(run *r, const char *path, const bt_align_result *res)
{
    for (size_t i = 0; i < res->npairs; i++) {
        const bt_pair *p = &res->pairs[i];
        r->by_status[p->status]++;
        int partial = p->status == BT_PAIR_PARTIAL;
        if (p->status != BT_PAIR_ACCEPTED && !(partial && r->include_partial)) continue;
        bt_tmx_unit u = { .vi = p->vi, .en = p->en, .file = path, .vi_line = p->vi_line,
                          .en_line = p->en_line, .score = p->score,
                          .status = partial ? "partial" : NULL };
        bt_tmx_store_add(r->mem, &u);
    }
}

/* In a worker: the item's lines of pairs.jsonl. */
static void pool_made(void *ctx, cli_doc_job *j, const char *path)
{
    (void)ctx;
    bt_align_pairs_jsonl(&j->out, path, &j->res);
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
        fwrite(j->out.ptr, 1, j->out.len, bt_outfile_fp(r->jsonl));
        add_pairs(r, r->files[i * nf], &j->res);
        bt_gloss_add_terms(r->gloss, &j->res, r->files[i * nf]);
    }
    progress(r, (i + 1) * nf);
}

/* Align every file, or pair of whole texts; results are used in input
 * order, so the outputs do not depend on the number of threads. */
void cli_align_files(run *r, int jobs)
{
    cli_doc_pool pool = { .paths = r->files, .npaths = r->nfiles,
                          .whole_texts = r->whole_texts, .ropts = &r->ropts,
                          .lex = bt_lexicon_default(),
                          .st = &r->diag, .made = pool_made, .use = pool_use, .ctx = r };
    cli_progress_start(&r->progress, r->nfiles, r->quiet);
    cli_doc_pool_run(&pool, jobs);
    cli_progress_end(&r->progress);
}

/* ---- writing ---- */

/* Output k into path: pairs.jsonl, written as the run went, is kept. */
static const char *const out_names[] = { "pairs.jsonl", "memory.tmx", "glossary.tsv",
                                         "glossary.tbx" };
static int write_out(run *r, int k, const char *path)
{
    switch (k) {
    case 0: return bt_outfile_commit(r->jsonl);
    case 1: return bt_tmx_store_write(r->mem, path, BITEXT_VERSION);
    case 2: return bt_gloss_write_tsv(r->gloss, path);
    default: return bt_gloss_write_tbx(r->gloss, path);
    }
}

/* Keep pairs.jsonl and write the other outputs, unless the run read
 * nothing or --strict found a problem; then the summary. */
int cli_align_write(run *r, unsigned expand_errors)
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
    for (int k = 0; k < 4; k++) {
        bt_buf path;
        bt_buf_init(&path);
        bt_buf_printf(&path, "%s/%s", r->outdir, out_names[k]);
        int rc = write_out(r, k, path.ptr);
        if (rc != 0) cli_error("cannot write '%s': %s", path.ptr, strerror(errno));
        if (k == 0) r->jsonl = NULL; /* committed, or given up */
        bt_buf_free(&path);
        if (rc != 0 && k == 0) return BT_EXIT_TROUBLE; /* then nothing else */
        failed |= rc != 0;
    }
    /* a file that could not be read at all is trouble, although the
     * others were aligned and written */
    if (r->files_failed || expand_errors) failed = 1;
    if (!r->quiet)
        fprintf(stderr,
                "bitext: %u file%s, %lu lines; pairs: %lu accepted, %lu partial, "
                "%lu mismatch, %lu unpaired; %lu memory units; %u problem%s; %.2f s\n",
                r->files_ok, r->files_ok == 1 ? "" : "s", r->lines,
                r->by_status[BT_PAIR_ACCEPTED], r->by_status[BT_PAIR_PARTIAL],
                r->by_status[BT_PAIR_MISMATCH], r->by_status[BT_PAIR_UNPAIRED],
                (unsigned long)bt_tmx_store_size(r->mem), problems, problems == 1 ? "" : "s",
                cli_now() - r->t0);
    return failed ? BT_EXIT_TROUBLE : BT_EXIT_OK;
}

