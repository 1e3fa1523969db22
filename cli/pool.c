/* pool.c - files made in parallel, consumed in input order (cli_pool_run),
 * and on it the reading and aligning that align and check share
 * (cli_doc_pool_run).
 *
 * Workers take the next file while they are fewer than a window ahead of
 * the consumer. The consumer, instead of sleeping while its next file is
 * being made, makes the next files itself; each side is woken only when it
 * waits for exactly what happened, so small files cost no thread switches. */
#include "cli.h"

#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    /* each item's memory is freed and allocated again for the next: keep
     * it in the process rather than trade it with the kernel each time,
     * which with several threads costs more system time than the work */
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    mallopt(M_TRIM_THRESHOLD, 16 << 20);
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

/* Read path into *doc through the job's diagnostics; 0 or -1. */
static int read_doc(const cli_doc_pool *p, cli_doc_job *j, const char *path, bt_doc **doc)
{
    if (bt_doc_read(path, p->ropts, job_diag, j, doc) == BT_OK) return 0;
    bt_doc_free(*doc);
    *doc = NULL;
    return -1;
}

/* Read and align one item: everything that does not depend on the items
 * before it. Both texts of a pair are read, so both are reported on. */
static void *doc_make(void *ctx, size_t i)
{
    const cli_doc_pool *p = ctx;
    cli_doc_job *j = bt_xcalloc(1, sizeof *j);
    const char *path = p->paths[p->whole_texts ? 2 * i : i];
    bt_buf_init(&j->diags);
    bt_buf_init(&j->out);
    j->st.quiet_warnings = p->st->quiet_warnings;
    int rc = read_doc(p, j, path, &j->doc);
    if (p->whole_texts && read_doc(p, j, p->paths[2 * i + 1], &j->en) != 0) rc = -1;
    if (rc == 0 && p->whole_texts) {
        rc = bt_align_texts(p->lex, j->doc, j->en, NULL, &j->res);
    } else if (rc == 0) {
        bt_align_opts o = p->aopts;
        if (p->annotate) o.notes = j->notes = bt_annotate(p->lex, j->doc);
        bt_align_doc(p->lex, j->doc, &o, &j->res);
    }
    if (rc != 0 && j->doc) bt_align_result_free(&j->res);
    if (rc != 0) {
        bt_annotation_free(j->notes);
        j->notes = NULL;
        bt_doc_free(j->doc);
        bt_doc_free(j->en);
        j->doc = j->en = NULL;
    }
    if (j->doc && p->made) p->made(p->ctx, j, path);
    return j;
}

static void doc_consume(void *ctx, size_t i, void *made)
{
    const cli_doc_pool *p = ctx;
    cli_doc_job *j = made;
    if (!p->silent) {
        fputs(j->diags.ptr, stderr);
        p->st->errors += j->st.errors;
        p->st->warnings += j->st.warnings;
    }
    bt_buf_free(&j->diags);
    p->use(p->ctx, j, i);
}

/* Done by the thread that made the job (see cli_pool_ops). */
static void doc_release(void *ctx, void *made)
{
    (void)ctx;
    cli_doc_job *j = made;
    bt_buf_free(&j->out);
    if (j->doc) bt_align_result_free(&j->res);
    bt_annotation_free(j->notes);
    bt_doc_free(j->doc);
    bt_doc_free(j->en);
    free(j);
}

void cli_doc_pool_run(cli_doc_pool *p, int nthreads)
{
    static const cli_pool_ops ops = { doc_make, doc_consume, doc_release };
    cli_pool_run(p->whole_texts ? p->npaths / 2 : p->npaths, nthreads, &ops, p);
}
