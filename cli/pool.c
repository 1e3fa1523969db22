/* pool.c - files made in parallel, consumed in input order (cli_pool_run),
 * and on it the reading and aligning that align and check share
 * (cli_doc_pool_run).
 *
 * Workers take the next file while they are fewer than a window ahead of
 * the consumer. The consumer, instead of sleeping while its next file is
 * being made, makes the next files itself; each side is woken only when it
 * waits for exactly what happened, so small files cost no thread switches. */
#include "cli.h"

#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct item {
    void *made;
    size_t index;
    int done;
    struct item *next_owned;  /* the maker's next item, in order */
} item;

/* The items a thread made and has not released, in order. */
typedef struct owned {
    item *head, **tail;
} owned;

typedef struct pool {
    const cli_pool_ops *ops;
    void *ctx;
    size_t n;
    item **items;             /* per index while it is made and consumed */
    size_t next;              /* next index to make */
    size_t consumed;          /* indices consumed */
    size_t ahead;             /* how far makers may run ahead */
    pthread_mutex_t mu;
    pthread_cond_t work_cv;   /* workers waiting for room ahead */
    pthread_cond_t done_cv;   /* the consumer waiting for its next item */
    int workers_waiting;
    size_t consumer_waits_for; /* or SIZE_MAX */
} pool;

/* Release the items of o consumed already; the consumer no longer looks at
 * p->items below consumed. */
static void release_consumed(pool *p, owned *o, size_t consumed)
{
    while (o->head && o->head->index < consumed) {
        item *it = o->head;
        o->head = it->next_owned;
        if (!o->head) o->tail = &o->head;
        p->items[it->index] = NULL;
        p->ops->release(p->ctx, it->made);
        free(it);
    }
}

/* With p->mu held and room ahead: take the next index and make it with the
 * lock released; returns with the lock held again. */
static void take_and_make(pool *p, owned *o)
{
    size_t i = p->next++, consumed = p->consumed;
    item *it = bt_xcalloc(1, sizeof *it);
    it->index = i;
    p->items[i] = it;
    pthread_mutex_unlock(&p->mu);
    release_consumed(p, o, consumed);
    *o->tail = it;
    o->tail = &it->next_owned;
    it->made = p->ops->make(p->ctx, i);
    pthread_mutex_lock(&p->mu);
    it->done = 1;
    if (p->consumer_waits_for == i) pthread_cond_signal(&p->done_cv);
}

static void *worker(void *arg)
{
    pool *p = arg;
    owned o = { NULL, &o.head };
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->next < p->n && p->next >= p->consumed + p->ahead) {
            p->workers_waiting++;
            pthread_cond_wait(&p->work_cv, &p->mu);
            p->workers_waiting--;
        }
        if (p->next >= p->n) break;
        take_and_make(p, &o);
    }
    size_t consumed = p->consumed;
    pthread_mutex_unlock(&p->mu);
    release_consumed(p, &o, consumed); /* the rest after the join */
    return NULL;
}

/* Each item's memory is freed and allocated again for the next: keep it
 * in the process rather than trade it with the kernel each time, which
 * with several threads costs more system time than the work. */
static void keep_freed_memory(void)
{
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    mallopt(M_TRIM_THRESHOLD, 16 << 20);
}

void cli_pool_run(size_t n, int nthreads, const cli_pool_ops *ops, void *ctx)
{
    if (nthreads <= 1 || n < 2) {
        for (size_t i = 0; i < n; i++) {
            void *m = ops->make(ctx, i);
            ops->consume(ctx, i, m);
            ops->release(ctx, m);
        }
        return;
    }
    keep_freed_memory();
    pool p;
    memset(&p, 0, sizeof p);
    p.ops = ops;
    p.ctx = ctx;
    p.n = n;
    p.items = bt_xcalloc(n + 1, sizeof *p.items);
    p.ahead = (size_t)nthreads * 8;
    p.consumer_waits_for = SIZE_MAX;
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.work_cv, NULL);
    pthread_cond_init(&p.done_cv, NULL);
    pthread_t *th = bt_xmalloc((size_t)nthreads * sizeof *th);
    int started = 0;
    for (int t = 0; t + 1 < nthreads; t++)
        if (pthread_create(&th[started], NULL, worker, &p) == 0) started++;
    owned mine = { NULL, &mine.head };
    for (size_t i = 0; i < n; i++) {
        pthread_mutex_lock(&p.mu);
        while (!p.items[i] || !p.items[i]->done) {
            if (p.next < n && p.next < p.consumed + p.ahead) {
                take_and_make(&p, &mine);
                continue;
            }
            p.consumer_waits_for = i;
            pthread_cond_wait(&p.done_cv, &p.mu);
        }
        p.consumer_waits_for = SIZE_MAX;
        item *it = p.items[i];
        pthread_mutex_unlock(&p.mu);
        ops->consume(ctx, i, it->made);
        pthread_mutex_lock(&p.mu);
        p.consumed = i + 1;
        /* workers waiting for room are woken once half the window is free,
         * to take several items at a go */
        if (p.workers_waiting && p.consumed + p.ahead / 2 >= p.next)
            pthread_cond_broadcast(&p.work_cv);
        pthread_mutex_unlock(&p.mu);
    }
    for (int t = 0; t < started; t++) pthread_join(th[t], NULL);
    release_consumed(&p, &mine, n);
    for (size_t i = 0; i < n; i++) /* the last few of the workers */
        if (p.items[i]) {
            ops->release(ctx, p.items[i]->made);
            free(p.items[i]);
        }
    free(th);
    free(p.items);
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.work_cv);
    pthread_cond_destroy(&p.done_cv);
}

/* ---- files read and aligned by the pool, used in input order ---- */

static void job_diag(void *ud, const bt_diag *d)
{
    cli_doc_job *j = ud;
    if (d->is_warning) j->st.warnings++;
    else j->st.errors++;
    if (d->is_warning && j->st.quiet_warnings) return;
    cli_diag_format(&j->diags, d);
}

/* ---- the memory budget: what all jobs take at once ----
 *
 * A job is charged what reading and aligning its text really takes, as
 * measured (CLI_MEM_ALIGN, CLI_MEM_CHECK: job_cost).
 * Items are consumed in order, so the item the consumer needs next (the
 * head) must never wait for room held by items after it: the others keep
 * within the budget less the most one item may take (headroom, a quarter
 * of the budget at most, so that four jobs fit whatever their files),
 * which the head may always use; a lone item, which waits for no other, may
 * take the whole budget. The consumer thread never waits for room
 * (it alone consumes): an item it would make without room is made when
 * consumed. */
typedef struct cli_budget {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t total, used;       /* bytes of memory */
    cli_mem_cost cost;        /* of a text */
    size_t per_file;          /* text bytes: --max-file, or less so that an
                                 item takes at most a quarter of total (all
                                 of it alone) */
    size_t headroom;          /* memory: per_file's, times the files of an
                                 item */
    size_t max_file;          /* --max-file */
    int alone;                /* one item: it may take the whole budget */
    size_t head;              /* the index consumed next */
    pthread_t consumer;
} cli_budget;

/* What a job reading and aligning text bytes takes. */
static size_t job_cost(const cli_mem_cost *c, size_t text)
{
    double small = c->per_byte * (double)text;
    double large = c->base + c->per_byte_large * (double)text;
    double m = small < large ? small : large;
    return m >= (double)SIZE_MAX / 2 ? SIZE_MAX / 2 : (size_t)m;
}

/* The most text a job may hold within mem bytes (job_cost's inverse). */
static size_t job_text(const cli_mem_cost *c, size_t mem)
{
    double small = (double)mem / c->per_byte;
    double large = (double)mem > c->base ? ((double)mem - c->base) / c->per_byte_large : 0;
    double t = small > large ? small : large;
    return t >= (double)SIZE_MAX / 2 ? SIZE_MAX / 2 : (size_t)t;
}

/* Reserve need bytes for item i. 0, or -1 when the calling thread may not
 * wait (the consumer) and there is no room now. */
static int budget_take(cli_budget *b, size_t i, size_t need)
{
    int may_wait = !pthread_equal(pthread_self(), b->consumer);
    pthread_mutex_lock(&b->mu);
    for (;;) {
        size_t limit = i == b->head ? b->total : b->total - b->headroom;
        if (b->used + need <= limit) break;
        if (!may_wait) {
            pthread_mutex_unlock(&b->mu);
            return -1;
        }
        pthread_cond_wait(&b->cv, &b->mu);
    }
    b->used += need;
    pthread_mutex_unlock(&b->mu);
    return 0;
}

/* Give back n bytes; with consumed, item `consumed` is the head now. */
static void budget_give(cli_budget *b, size_t n, size_t head)
{
    pthread_mutex_lock(&b->mu);
    b->used -= n;
    if (head > b->head) b->head = head;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
}

/* The files of an item, opened once by reserve_item for read_job (it
 * looked at each before it was read: its size, whether it is gzip'd): fd
 * -1 where there is none (stdin, or a file that cannot be opened, which
 * read_doc then opens again to say why). */
typedef struct item_files {
    int fd[2];
    struct stat st[2];
    int have_st[2];
} item_files;

static void item_files_close(item_files *f)
{
    for (int k = 0; k < 2; k++) {
        if (f->fd[k] >= 0) close(f->fd[k]);
        f->fd[k] = -1;
    }
}

/* What reading path may take before it is read: a plain file its size, a
 * gzip'd one or a pipe the most the reader lets a file grow to; *exact
 * when it is the size. The file is opened into f's k-th place. */
static size_t file_need(const cli_budget *b, const char *path, item_files *f, int k,
                        int *exact)
{
    *exact = 0;
    f->fd[k] = strcmp(path, "-") != 0 ? bt_doc_open(path) : -1;
    f->have_st[k] = f->fd[k] >= 0 && fstat(f->fd[k], &f->st[k]) == 0;
    if (f->have_st[k] && S_ISREG(f->st[k].st_mode)) {
        unsigned char magic[2] = { 0, 0 };
        ssize_t n = pread(f->fd[k], magic, 2, 0);
        if (n < 2 || magic[0] != 0x1f || magic[1] != 0x8b) {
            *exact = 1;
            return (uintmax_t)f->st[k].st_size < b->per_file ? (size_t)f->st[k].st_size
                                                             : b->per_file;
        }
    }
    return b->per_file;
}

/* The bytes of d's text, as a plain file would hold them. */
static size_t doc_bytes(const bt_doc *d)
{
    size_t n = 0;
    if (!d) return 0;
    for (size_t k = 0; k < d->nlines; k++) n += d->lines[k].len + 1;
    return n;
}

/* Read path (open in f's k-th place, or not) into *doc through the job's
 * diagnostics; 0 or -1. */
static int read_doc(const cli_doc_pool *p, cli_doc_job *j, const char *path,
                    const item_files *f, int k, bt_doc **doc)
{
    bt_read_opts o = *p->ropts;
    size_t max_file = o.max_file ? o.max_file : CLI_MAX_FILE;
    if (max_file > p->budget->per_file) o.max_file = p->budget->per_file;
    int rc = f->fd[k] >= 0 ? bt_doc_read_fd(path, f->fd[k], f->have_st[k] ? &f->st[k] : NULL,
                                            &o, job_diag, j, doc)
                           : bt_doc_read(path, &o, job_diag, j, doc);
    if (rc == BT_OK) return 0;
    bt_doc_free(*doc);
    *doc = NULL;
    return -1;
}

/* Room for item i's files in the budget, its files opened into f: 0; -1
 * to make it when consumed (the consumer without room now); -2 when a file
 * alone would take more than a job may (reported). Only 0 leaves files
 * open. */
static int reserve_item(const cli_doc_pool *p, cli_doc_job *j, size_t i, item_files *f)
{
    cli_budget *b = p->budget;
    size_t need = 0;
    f->fd[0] = f->fd[1] = -1;
    for (int k = 0; k < (p->whole_texts ? 2 : 1); k++) {
        const char *path = p->paths[p->whole_texts ? 2 * i + (size_t)k : i];
        int exact;
        size_t n = file_need(b, path, f, k, &exact);
        const struct stat *st = &f->st[k];
        if (exact && n == b->per_file && (uintmax_t)st->st_size > b->per_file &&
            (uintmax_t)st->st_size <= b->max_file) {
            size_t size = (uintmax_t)st->st_size < SIZE_MAX / 2 ? (size_t)st->st_size
                                                                : SIZE_MAX / 2;
            if (b->alone)
                bt_report(job_diag, j, BT_ERR_LIMIT, 0, path, 0, "%jd bytes would take about "
                          "%zu bytes of memory to align, more than the memory budget of %zu "
                          "bytes (--max-memory)", (intmax_t)st->st_size,
                          job_cost(&b->cost, size), b->total);
            else
                bt_report(job_diag, j, BT_ERR_LIMIT, 0, path, 0, "%jd bytes would take about "
                          "%zu bytes of memory to align, more than a job may take (a quarter "
                          "of the memory budget of %zu bytes, --max-memory)",
                          (intmax_t)st->st_size, job_cost(&b->cost, size), b->total);
            item_files_close(f);
            return -2;
        }
        need += job_cost(&b->cost, n);
    }
    if (budget_take(b, i, need) != 0) {
        item_files_close(f);
        return -1;
    }
    j->reserved = need;
    return 0;
}

/* Reserve room for item i and read its files into j: then j->doc (and
 * j->en with whole_texts) is set, or NULL when a file could not be read;
 * or j->deferred when the consumer must make it on its turn. */
static void read_job(const cli_doc_pool *p, cli_doc_job *j, size_t i)
{
    const char *path = p->paths[p->whole_texts ? 2 * i : i];
    item_files f;
    int rc = reserve_item(p, j, i, &f);
    if (rc == -1) {
        j->deferred = 1;
        return;
    }
    if (rc == 0) {
        rc = read_doc(p, j, path, &f, 0, &j->doc);
        if (p->whole_texts && read_doc(p, j, p->paths[2 * i + 1], &f, 1, &j->en) != 0)
            rc = -1;
        item_files_close(&f);
        /* read: what the texts take, not what they might have */
        size_t held = 0;
        if (j->doc) held += job_cost(&p->budget->cost, doc_bytes(j->doc));
        if (j->en) held += job_cost(&p->budget->cost, doc_bytes(j->en));
        if (held < j->reserved) {
            budget_give(p->budget, j->reserved - held, 0);
            j->reserved = held;
        }
    }
    if (rc != 0) {
        bt_doc_free(j->doc);
        bt_doc_free(j->en);
        j->doc = j->en = NULL;
    }
}

/* Align the item read into j by read_job. */
static void align_job(const cli_doc_pool *p, cli_doc_job *j)
{
    if (!j->doc) return;
    int rc = 0;
    if (p->whole_texts) {
        rc = bt_align_texts(p->lex, j->doc, j->en, NULL, &j->res);
    } else {
        bt_align_opts o = p->aopts;
        if (p->annotate) o.notes = j->notes = bt_annotate(p->lex, j->doc);
        bt_align_doc(p->lex, j->doc, &o, &j->res);
    }
    if (rc != 0) {
        bt_align_result_free(&j->res);
        bt_annotation_free(j->notes);
        j->notes = NULL;
        bt_doc_free(j->doc);
        bt_doc_free(j->en);
        j->doc = j->en = NULL;
    }
}

/* What p->made does with an aligned item, if anything. */
static void made_job(const cli_doc_pool *p, cli_doc_job *j, size_t i)
{
    if (j->doc && p->made) p->made(p->ctx, j, p->paths[p->whole_texts ? 2 * i : i]);
}

/* Read and align item i into j (see doc_make). */
static void make_job(const cli_doc_pool *p, cli_doc_job *j, size_t i)
{
    read_job(p, j, i);
    if (j->deferred) return;
    align_job(p, j);
    made_job(p, j, i);
}

/* Read and align one item: everything that does not depend on the items
 * before it. Both texts of a pair are read, so both are reported on. */
static void *doc_make(void *ctx, size_t i)
{
    const cli_doc_pool *p = ctx;
    cli_doc_job *j = bt_xcalloc(1, sizeof *j);
    bt_buf_init(&j->diags);
    bt_buf_init(&j->out);
    j->st.quiet_warnings = p->st->quiet_warnings;
    make_job(p, j, i);
    return j;
}

static void doc_consume(void *ctx, size_t i, void *made)
{
    const cli_doc_pool *p = ctx;
    cli_doc_job *j = made;
    if (j->deferred) { /* the head now: never waits */
        j->deferred = 0;
        make_job(p, j, i);
    }
    if (!p->silent) {
        fputs(j->diags.ptr, stderr);
        p->st->errors += j->st.errors;
        p->st->warnings += j->st.warnings;
    }
    bt_buf_free(&j->diags);
    p->use(p->ctx, j, i);
    /* a large text goes now, not when its maker next looks, so that what
     * the budget gives back is free; and back to the system: each thread's
     * malloc arena would otherwise keep the most its jobs ever took, so
     * that every thread's largest job stays resident whatever the budget */
    if (j->reserved >= ((size_t)16 << 20)) {
        if (j->doc) bt_align_result_free(&j->res);
        bt_annotation_free(j->notes);
        bt_doc_free(j->doc);
        bt_doc_free(j->en);
        j->notes = NULL;
        j->doc = j->en = NULL;
        malloc_trim(0);
    }
    budget_give(p->budget, j->reserved, i + 1);
    j->reserved = 0;
}

/* Done by the thread that made the job (see cli_pool_ops). */
/* A used item's blocks, all but its results (its lines of pairs.jsonl,
 * and its texts: a few large blocks of the reader's): 1 when its results
 * remain, for release_rest, 0 when nothing remains. align's pipeline has
 * the aligner, which made the results, free them (hundreds of small
 * blocks: freed by the user, each took the aligner's malloc arena lock
 * from under it, 13,000 futex calls on 30 MB). */
static int release_own(cli_doc_job *j)
{
    int aligned = j->doc != NULL; /* a large text's went when it was used */
    bt_buf_free(&j->out);
    bt_buf_free(&j->diags);
    bt_annotation_free(j->notes);
    bt_doc_free(j->doc);
    bt_doc_free(j->en);
    j->notes = NULL;
    j->doc = j->en = NULL;
    if (aligned) return 1;
    free(j);
    return 0;
}

/* What release_own left: the results, and the item. */
static void release_rest(cli_doc_job *j)
{
    bt_align_result_free(&j->res);
    free(j);
}

static void doc_release(void *ctx, void *made)
{
    (void)ctx;
    if (release_own(made)) release_rest(made);
}

/* ---- one job: reading, aligning and using overlapped ----
 *
 * With one job the files are aligned one after another, but reading them
 * (inflating a gzip'd one, decoding, splitting the lines, guessing their
 * languages) does not depend on the alignment before, and using an aligned
 * file (writing its pairs, adding its units and terms) does not hold up
 * the next alignment. So, as zcat and its reader overlap in a pipe, a
 * thread reads up to READ_AHEAD items ahead, within the memory budget,
 * another aligns them in order, and this one uses them in order. Each
 * stage's results are the same whenever it runs, so the outputs do not
 * depend on the timing.
 *
 * The stages pass items by three counters, without a lock while the next
 * item is there (a lock taken by three threads for every item cost more
 * system time than the reading saved); a stage that must wait says so in
 * its flag, under the lock, and is signalled under it: it sets its flag
 * before it looks at the counter again, and the stage before stores the
 * counter before it looks at the flag (both sequentially consistent), so
 * one of them sees the other. */
#define READ_AHEAD 32
#define USE_BATCH 16 /* items aligned before the user is woken, if it waits */

typedef struct pipeline {
    cli_doc_pool *p;
    size_t n;
    cli_doc_job **jobs;       /* per index, from read until released */
    atomic_size_t nread, naligned, nused;
    size_t released;          /* the aligner's: used items below it released */
    atomic_int aligner_done;  /* it releases no more */
    atomic_int reader_waits, aligner_waits, user_waits;
    atomic_size_t user_wants; /* naligned the waiting user is woken at */
    pthread_mutex_t mu;
    pthread_cond_t reader_cv, aligner_cv, user_cv;
} pipeline;

/* Wake the stage waiting on cv. */
static void pipe_wake(pipeline *pl, pthread_cond_t *cv)
{
    pthread_mutex_lock(&pl->mu);
    pthread_cond_signal(cv);
    pthread_mutex_unlock(&pl->mu);
}

static void *pipe_reader(void *arg)
{
    pipeline *pl = arg;
    for (size_t i = 0; i < pl->n; i++) {
        if (i >= atomic_load(&pl->nused) + READ_AHEAD) {
            pthread_mutex_lock(&pl->mu);
            atomic_store(&pl->reader_waits, 1);
            while (i >= atomic_load(&pl->nused) + READ_AHEAD)
                pthread_cond_wait(&pl->reader_cv, &pl->mu);
            atomic_store(&pl->reader_waits, 0);
            pthread_mutex_unlock(&pl->mu);
        }
        cli_doc_job *j = bt_xcalloc(1, sizeof *j);
        bt_buf_init(&j->diags);
        bt_buf_init(&j->out);
        j->st.quiet_warnings = pl->p->st->quiet_warnings;
        read_job(pl->p, j, i); /* never deferred: this is not the consumer */
        pl->jobs[i] = j;
        atomic_store(&pl->nread, i + 1);
        if (atomic_load(&pl->aligner_waits)) pipe_wake(pl, &pl->aligner_cv);
    }
    return NULL;
}

/* Has the waiting user what it waits for? */
static int user_may_go(pipeline *pl, size_t i)
{
    size_t a = atomic_load(&pl->naligned);
    return a > i && (a >= atomic_load(&pl->user_wants) || atomic_load(&pl->aligner_waits));
}

/* The aligner frees the results of the items used since it last looked. */
static void release_used(pipeline *pl)
{
    size_t u = atomic_load(&pl->nused);
    for (; pl->released < u; pl->released++) {
        cli_doc_job *j = pl->jobs[pl->released];
        pl->jobs[pl->released] = NULL;
        if (j) release_rest(j);
    }
}

static void *pipe_aligner(void *arg)
{
    pipeline *pl = arg;
    for (size_t i = 0; i < pl->n; i++) {
        release_used(pl);
        if (atomic_load(&pl->nread) <= i) {
            pthread_mutex_lock(&pl->mu);
            atomic_store(&pl->aligner_waits, 1);
            /* the user may be waiting for more: it gets what there is, and
             * frees the budget the reader may be waiting for */
            if (atomic_load(&pl->user_waits)) pthread_cond_signal(&pl->user_cv);
            while (atomic_load(&pl->nread) <= i) pthread_cond_wait(&pl->aligner_cv, &pl->mu);
            atomic_store(&pl->aligner_waits, 0);
            pthread_mutex_unlock(&pl->mu);
        }
        cli_doc_job *j = pl->jobs[i];
        if (!j->deferred) align_job(pl->p, j);
        atomic_store(&pl->naligned, i + 1);
        if (atomic_load(&pl->user_waits) && i + 1 >= atomic_load(&pl->user_wants))
            pipe_wake(pl, &pl->user_cv);
    }
    atomic_store(&pl->aligner_waits, 1); /* for good: the user takes the rest */
    if (atomic_load(&pl->user_waits)) pipe_wake(pl, &pl->user_cv);
    release_used(pl);
    atomic_store(&pl->aligner_done, 1); /* the user frees the rest itself */
    return NULL;
}

/* 0, or -1 when the threads could not be started (then nothing was done). */
static int pipeline_run(cli_doc_pool *p, size_t n)
{
    keep_freed_memory(); /* items are freed by another thread than made them */
    pipeline pl;
    memset(&pl, 0, sizeof pl);
    pl.p = p;
    pl.n = n;
    pl.jobs = bt_xcalloc(n, sizeof *pl.jobs);
    atomic_init(&pl.nread, 0);
    atomic_init(&pl.naligned, 0);
    atomic_init(&pl.nused, 0);
    atomic_init(&pl.reader_waits, 0);
    atomic_init(&pl.aligner_waits, 0);
    atomic_init(&pl.user_waits, 0);
    atomic_init(&pl.user_wants, 0);
    pthread_mutex_init(&pl.mu, NULL);
    pthread_cond_init(&pl.reader_cv, NULL);
    pthread_cond_init(&pl.aligner_cv, NULL);
    pthread_cond_init(&pl.user_cv, NULL);
    pthread_t rd, al;
    int ok = pthread_create(&al, NULL, pipe_aligner, &pl) == 0;
    /* without a reader thread, this one reads each item when it is due */
    int reading = ok && pthread_create(&rd, NULL, pipe_reader, &pl) == 0;
    for (size_t i = 0; ok && i < n; i++) {
        if (!reading) {
            cli_doc_job *r = bt_xcalloc(1, sizeof *r);
            bt_buf_init(&r->diags);
            bt_buf_init(&r->out);
            r->st.quiet_warnings = p->st->quiet_warnings;
            read_job(p, r, i); /* the consumer: may be deferred */
            pl.jobs[i] = r;
            atomic_store(&pl.nread, i + 1);
            if (atomic_load(&pl.aligner_waits)) pipe_wake(&pl, &pl.aligner_cv);
        }
        if (!user_may_go(&pl, i)) {
            pthread_mutex_lock(&pl.mu);
            atomic_store(&pl.user_wants, i + USE_BATCH < n ? i + USE_BATCH : n);
            atomic_store(&pl.user_waits, 1);
            while (!user_may_go(&pl, i)) pthread_cond_wait(&pl.user_cv, &pl.mu);
            atomic_store(&pl.user_waits, 0);
            pthread_mutex_unlock(&pl.mu);
        }
        cli_doc_job *j = pl.jobs[i];
        /* made here, off the aligner's path (a deferred item is made whole
         * by doc_consume) */
        if (!j->deferred) made_job(p, j, i);
        doc_consume(p, i, j);
        /* its results left in jobs[i] for the aligner, which made them, to
         * free; once it has stopped looking, freed here */
        if (!release_own(j)) pl.jobs[i] = NULL;
        else if (atomic_load(&pl.aligner_done)) {
            release_rest(j);
            pl.jobs[i] = NULL;
        }
        atomic_store(&pl.nused, i + 1);
        /* the reader is woken once half its window is free */
        if (atomic_load(&pl.reader_waits) && i + 1 + READ_AHEAD / 2 >= atomic_load(&pl.nread))
            pipe_wake(&pl, &pl.reader_cv);
    }
    if (reading) pthread_join(rd, NULL);
    if (ok) pthread_join(al, NULL);
    /* what was used after the aligner last looked */
    for (size_t i = 0; i < n; i++)
        if (pl.jobs[i]) release_rest(pl.jobs[i]);
    free(pl.jobs);
    pthread_mutex_destroy(&pl.mu);
    pthread_cond_destroy(&pl.reader_cv);
    pthread_cond_destroy(&pl.aligner_cv);
    pthread_cond_destroy(&pl.user_cv);
    return ok ? 0 : -1;
}

void cli_doc_pool_run(cli_doc_pool *p, int nthreads)
{
    static const cli_pool_ops ops = { doc_make, doc_consume, doc_release };
    cli_budget b;
    memset(&b, 0, sizeof b);
    pthread_mutex_init(&b.mu, NULL);
    pthread_cond_init(&b.cv, NULL);
    b.total = p->max_memory ? p->max_memory : CLI_MAX_MEMORY;
    static const cli_mem_cost align_cost = CLI_MEM_ALIGN, check_cost = CLI_MEM_CHECK;
    b.cost = p->annotate ? check_cost : align_cost;
    size_t max_file = p->ropts && p->ropts->max_file ? p->ropts->max_file : CLI_MAX_FILE;
    size_t nf = p->whole_texts ? 2 : 1;
    size_t n = p->whole_texts ? p->npaths / 2 : p->npaths;
    /* the text a job may hold: a quarter of the budget, so that four jobs
     * fit whatever their files; the whole of it for a lone item, which
     * waits for no other */
    b.alone = n == 1;
    size_t job = job_text(&b.cost, (b.alone ? b.total : b.total / 4) / nf);
    b.max_file = max_file;
    b.per_file = max_file < job ? max_file : job;
    if (!b.per_file) b.per_file = 1;
    b.headroom = job_cost(&b.cost, b.per_file) * nf;
    b.consumer = pthread_self();
    p->budget = &b;
    /* the pipeline for align only: check's items, annotated, went slower
     * through it (1.08 s against 0.91, and half again the CPU, on 30 MB);
     * and only with a second processor to overlap on, since its hand-offs
     * cost some CPU of their own */
    if (nthreads > 1 || n < 2 || p->annotate || cli_usable_cpus() < 2 ||
        pipeline_run(p, n) != 0)
        cli_pool_run(n, nthreads, &ops, p);
    p->budget = NULL;
    pthread_mutex_destroy(&b.mu);
    pthread_cond_destroy(&b.cv);
}
