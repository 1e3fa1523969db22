/* check_spill.c - the per-article findings (caption-title-mismatch,
 * person-title-conflict) in bounded memory, and walks over all findings.
 *
 * A corpus of a million articles makes hundreds of thousands of these, each
 * with a note naming its lines: held as structures they outgrow the rest of
 * a check. So each is serialized as it is made into one record, and the
 * records are held up to a budget of bytes; beyond it they are sorted and
 * written as a run to an unnamed temporary file. A walk reads them back in
 * order by merging the runs and the records still in memory; it reads with
 * pread and owns its buffers, so that two walks may run in two threads.
 * Runs are merged RUN_FANIN at a time as they pile up (runs of one level
 * into one of the next, so each record is rewritten a few times at most),
 * and once more at the end, so that a walk merges at most RUN_FANIN runs
 * and the records in memory. Below the budget nothing touches the disk.
 *
 * A record, in host byte order (the file lives as long as the process):
 *
 *   rec_head                      length, kind, seq, first line, items,
 *                                 where the first item's file is
 *   str subject, str vi, str note
 *   per item: u64 line, u32 count, str vi, str en, str file
 *
 * where a str is a u32 length (NULL_LEN for NULL) and the bytes with their
 * NUL, so that a finding read back points into the record itself. */
#include "check_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
    RUN_FANIN = 16,          /* runs merged at once; most a walk reads */
    IO_CHUNK = 64 << 10      /* bytes per read of a run, and per write */
};
#define NULL_LEN UINT32_MAX

typedef struct rec_head {
    uint32_t len;            /* bytes of the whole record */
    uint32_t kind;
    uint64_t seq;            /* order made in: breaks ties of the sort */
    uint64_t line0;          /* first item's line */
    uint32_t nitems;
    uint32_t file0;          /* offset of the first item's file; 0: none */
} rec_head;

/* ---- records --------------------------------------------------------- */

static void put_u32(bt_buf *b, uint32_t v)
{
    bt_buf_add(b, (const char *)&v, sizeof v);
}

static void put_u64(bt_buf *b, uint64_t v)
{
    bt_buf_add(b, (const char *)&v, sizeof v);
}

static void put_str(bt_buf *b, const char *s)
{
    if (!s) {
        put_u32(b, NULL_LEN);
        return;
    }
    size_t n = strlen(s);
    put_u32(b, (uint32_t)n);
    bt_buf_add(b, s, n + 1);
}

static uint32_t get_u32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static const char *get_str(const unsigned char **p)
{
    uint32_t n = get_u32(*p);
    *p += sizeof n;
    if (n == NULL_LEN) return NULL;
    const char *s = (const char *)*p;
    *p += (size_t)n + 1;
    return s;
}

static rec_head head_of(const unsigned char *rec)
{
    rec_head h;
    memcpy(&h, rec, sizeof h);
    return h;
}

/* The order of cmp_finding in check.c: kind, subject, first item's file
 * and line, then the order made in. */
static int rec_cmp(const unsigned char *a, const unsigned char *b)
{
    rec_head ha = head_of(a), hb = head_of(b);
    if (ha.kind != hb.kind) return ha.kind < hb.kind ? -1 : 1;
    const unsigned char *pa = a + sizeof ha, *pb = b + sizeof hb;
    int r = chk_cmp_str(get_str(&pa), get_str(&pb));
    if (r) return r;
    if (ha.nitems && hb.nitems) {
        pa = a + ha.file0;
        pb = b + hb.file0;
        r = chk_cmp_str(get_str(&pa), get_str(&pb));
        if (r) return r;
        if (ha.line0 != hb.line0) return ha.line0 < hb.line0 ? -1 : 1;
    }
    return ha.seq < hb.seq ? -1 : ha.seq > hb.seq;
}

/* The finding of rec, its strings pointing into rec, its items in items
 * (room for the record's nitems). */
static void rec_decode(const unsigned char *rec, bt_check_finding *f,
                       bt_check_item *items)
{
    rec_head h = head_of(rec);
    const unsigned char *p = rec + sizeof h;
    memset(f, 0, sizeof *f);
    f->kind = (bt_check_kind)h.kind;
    f->subject = get_str(&p);
    f->vi = get_str(&p);
    f->note = get_str(&p);
    for (uint32_t i = 0; i < h.nitems; i++) {
        bt_check_item *it = &items[i];
        it->line = (unsigned long)get_u64(p);
        it->count = get_u32(p + 8);
        p += 12;
        it->vi = get_str(&p);
        it->en = get_str(&p);
        it->file = get_str(&p);
    }
    f->items = h.nitems ? items : NULL;
    f->nitems = h.nitems;
}

/* ---- the temporary file ---------------------------------------------- */

void chk_spill_init(chk_spill *s, size_t budget)
{
    memset(s, 0, sizeof *s);
    s->budget = budget;
    s->fd = -1;
    bt_buf_init(&s->buf);
    atomic_init(&s->err, NULL);
}

void chk_spill_free(chk_spill *s)
{
    bt_buf_free(&s->buf);
    free(s->recs);
    free(s->runs);
    free(s->dir);
    if (s->fd >= 0) close(s->fd);
    free(atomic_load(&s->err));
    memset(s, 0, sizeof *s);
}

/* Keep the first failure: what failed on the file, and why. */
static void spill_fail(chk_spill *s, const char *what, int err)
{
    bt_buf m;
    bt_buf_init(&m);
    bt_buf_printf(&m, "cannot %s temporary file in '%s': %s%s", what,
                  s->dir, strerror(err),
                  strcmp(what, "read") ? " (findings kept in memory)" : "");
    char *msg = bt_buf_detach(&m);
    char *none = NULL;
    if (!atomic_compare_exchange_strong(&s->err, &none, msg)) free(msg);
}

/* Writing gave up: no more runs, the records stay in memory, and what the
 * failed write took of the disk is given back (the reports need it). */
static void spill_stop(chk_spill *s, const char *what, int err)
{
    spill_fail(s, what, err);
    s->failed = 1;
    if (s->fd >= 0 && ftruncate(s->fd, (off_t)s->end) != 0) {
        /* the space comes back when the file is closed */
    }
}

/* An unnamed file in $TMPDIR (or /tmp): nothing is left behind, however
 * the run ends. Where O_TMPFILE is refused, a named one, removed at once. */
static int spill_open(chk_spill *s)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    s->dir = bt_xstrdup(dir);
    int fd = -1;
#ifdef O_TMPFILE
    fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#endif
    if (fd < 0) {
        bt_buf p;
        bt_buf_init(&p);
        bt_buf_printf(&p, "%s/bitext-check-XXXXXX", dir);
        fd = mkostemp(p.ptr, O_CLOEXEC);
        if (fd >= 0) unlink(p.ptr);
        bt_buf_free(&p);
    }
    if (fd < 0) {
        spill_stop(s, "create", errno);
        return -1;
    }
    s->fd = fd;
    return 0;
}

/* Sequential writes at off, IO_CHUNK bytes at a time. */
typedef struct run_writer {
    int fd;
    uint64_t off;            /* where the next byte goes */
    unsigned char *buf;
    size_t len;
    int err;                 /* errno of a failed write, or 0 */
} run_writer;

static void rw_init(run_writer *w, int fd, uint64_t off)
{
    w->fd = fd;
    w->off = off;
    w->buf = bt_xmalloc(IO_CHUNK);
    w->len = 0;
    w->err = 0;
}

static void rw_flush(run_writer *w)
{
    size_t done = 0;
    while (!w->err && done < w->len) {
        ssize_t k = pwrite(w->fd, w->buf + done, w->len - done,
                           (off_t)w->off);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) {
            w->err = k < 0 ? errno : EIO;
            break;
        }
        done += (size_t)k;
        w->off += (uint64_t)k;
    }
    w->len = 0;
}

static void rw_put(run_writer *w, const unsigned char *p, size_t n)
{
    while (n && !w->err) {
        size_t k = IO_CHUNK - w->len < n ? IO_CHUNK - w->len : n;
        memcpy(w->buf + w->len, p, k);
        w->len += k;
        p += k;
        n -= k;
        if (w->len == IO_CHUNK) rw_flush(w);
    }
}

/* Flush and free; 0, or the errno of the first failed write. */
static int rw_close(run_writer *w)
{
    rw_flush(w);
    free(w->buf);
    w->buf = NULL;
    return w->err;
}

/* ---- reading runs ---------------------------------------------------- */

/* One sorted source of records: a run of the file (read through buf) or
 * the records held in memory (mem). rec is the current record, NULL once
 * the source is done. */
typedef struct run_reader {
    int fd;
    uint64_t off, end;       /* next byte of the run to read, its end */
    unsigned char *buf;
    size_t cap, lo, hi;      /* buf[lo..hi) read and not consumed */
    const chk_spill *mem;
    size_t next;             /* mem: next of mem->recs */
    const unsigned char *rec;
} run_reader;

static void rr_file(run_reader *r, int fd, const chk_run *run)
{
    memset(r, 0, sizeof *r);
    r->fd = fd;
    r->off = run->off;
    r->end = run->off + run->len;
}

static void rr_mem(run_reader *r, const chk_spill *s)
{
    memset(r, 0, sizeof *r);
    r->mem = s;
}

/* At least need bytes at buf + lo, reading more of the run: 0, or -1 with
 * errno set. */
static int rr_fill(run_reader *r, size_t need)
{
    size_t have = r->hi - r->lo;
    if (have >= need) return 0;
    if (need - have > r->end - r->off) { /* the run ends inside a record */
        errno = EIO;
        return -1;
    }
    if (have) memmove(r->buf, r->buf + r->lo, have);
    r->lo = 0;
    r->hi = have;
    if (need > r->cap) {
        r->cap = need > IO_CHUNK ? need : IO_CHUNK;
        r->buf = bt_xrealloc(r->buf, r->cap);
    }
    while (r->hi < need) {
        uint64_t left = r->end - r->off;
        size_t want = r->cap - r->hi < left ? r->cap - r->hi : (size_t)left;
        ssize_t k = pread(r->fd, r->buf + r->hi, want, (off_t)r->off);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) {
            if (k == 0) errno = EIO;
            return -1;
        }
        r->hi += (size_t)k;
        r->off += (uint64_t)k;
    }
    return 0;
}

/* Step to the next record (the first, on a new reader): 0, or -1 with
 * errno set. */
static int rr_next(run_reader *r)
{
    if (r->mem) {
        r->rec = r->next < r->mem->nrecs
                     ? (const unsigned char *)r->mem->buf.ptr +
                           r->mem->recs[r->next++]
                     : NULL;
        return 0;
    }
    if (r->rec) r->lo += head_of(r->rec).len;
    r->rec = NULL;
    if (r->lo == r->hi && r->off == r->end) return 0;
    if (rr_fill(r, sizeof(rec_head)) != 0) return -1;
    uint32_t len = get_u32(r->buf + r->lo);
    if (len < sizeof(rec_head)) {
        errno = EIO;
        return -1;
    }
    if (rr_fill(r, len) != 0) return -1;
    r->rec = r->buf + r->lo;
    return 0;
}

/* The reader with the least record, or (size_t)-1 when all are done: a
 * walk merges a few runs, so a scan is enough. */
static size_t rr_least(const run_reader *r, size_t n)
{
    size_t m = (size_t)-1;
    for (size_t i = 0; i < n; i++)
        if (r[i].rec && (m == (size_t)-1 || rec_cmp(r[i].rec, r[m].rec) < 0))
            m = i;
    return m;
}

/* ---- writing runs ---------------------------------------------------- */

static int cmp_rec_off(const void *pa, const void *pb, void *base)
{
    const unsigned char *b = base;
    return rec_cmp(b + *(const size_t *)pa, b + *(const size_t *)pb);
}

static void sort_held(chk_spill *s)
{
    if (s->nrecs > 1)
        qsort_r(s->recs, s->nrecs, sizeof *s->recs, cmp_rec_off, s->buf.ptr);
}

static void push_run(chk_spill *s, uint64_t off, uint64_t len, unsigned level)
{
    BT_GROW(s->runs, s->capruns, s->nruns + 1);
    s->runs[s->nruns].off = off;
    s->runs[s->nruns].len = len;
    s->runs[s->nruns].level = level;
    s->nruns++;
}

/* Merge runs[from..nruns) into one run at the end of the file; 0, or -1
 * when the file failed (the runs are then left as they were). */
static int merge_runs(chk_spill *s, size_t from)
{
    size_t n = s->nruns - from;
    run_reader *r = bt_xcalloc(n, sizeof *r);
    run_writer w;
    rw_init(&w, s->fd, s->end);
    int rerr = 0;
    for (size_t i = 0; i < n && !rerr; i++) {
        rr_file(&r[i], s->fd, &s->runs[from + i]);
        if (rr_next(&r[i]) != 0) rerr = errno;
    }
    size_t m;
    while (!rerr && !w.err && (m = rr_least(r, n)) != (size_t)-1) {
        rw_put(&w, r[m].rec, head_of(r[m].rec).len);
        if (rr_next(&r[m]) != 0) rerr = errno;
    }
    int werr = rw_close(&w);
    for (size_t i = 0; i < n; i++) free(r[i].buf);
    free(r);
    if (rerr || werr) {
        spill_stop(s, rerr ? "read" : "write", rerr ? rerr : werr);
        return -1;
    }
    /* the merged runs lie in [runs[from].off, end), with the holes of
     * earlier merges between them: give that space back where the file
     * system can */
    uint64_t lo = s->runs[from].off, old_end = s->end;
#ifdef FALLOC_FL_PUNCH_HOLE
    if (fallocate(s->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)lo,
                  (off_t)(old_end - lo)) != 0) {
        /* kept until the file is closed */
    }
#endif
    unsigned level = s->runs[s->nruns - 1].level + 1;
    s->nruns = from;
    push_run(s, old_end, w.off - old_end, level);
    s->end = w.off;
    return 0;
}

/* Write the records held as a run, and merge the runs that pile up. */
static void write_run(chk_spill *s)
{
    if (s->fd < 0 && spill_open(s) != 0) return;
    sort_held(s);
    run_writer w;
    rw_init(&w, s->fd, s->end);
    for (size_t i = 0; i < s->nrecs; i++) {
        const unsigned char *rec =
            (const unsigned char *)s->buf.ptr + s->recs[i];
        rw_put(&w, rec, head_of(rec).len);
    }
    int err = rw_close(&w);
    if (err) {
        spill_stop(s, "write", err);
        return;
    }
    push_run(s, s->end, w.off - s->end, 0);
    s->end = w.off;
    bt_buf_reset(&s->buf);
    s->nrecs = 0;
    /* levels fall along the runs, so RUN_FANIN runs of one level are the
     * last ones */
    while (s->nruns >= RUN_FANIN &&
           s->runs[s->nruns - RUN_FANIN].level == s->runs[s->nruns - 1].level)
        if (merge_runs(s, s->nruns - RUN_FANIN) != 0) break;
}

void chk_spill_add(bt_check *c, const bt_check_finding *f)
{
    if (c->hooks.fixed && c->hooks.fixed(c->hooks.ud, f)) return; /* reviewed */
    chk_spill *s = &c->spill;
    bt_buf *b = &s->buf;
    size_t at = b->len;
    rec_head h;
    memset(&h, 0, sizeof h);
    bt_buf_add(b, (const char *)&h, sizeof h); /* filled in below */
    put_str(b, f->subject);
    put_str(b, f->vi);
    put_str(b, f->note);
    for (size_t i = 0; i < f->nitems; i++) {
        const bt_check_item *it = &f->items[i];
        put_u64(b, it->line);
        put_u32(b, it->count);
        put_str(b, it->vi);
        put_str(b, it->en);
        if (!i) h.file0 = (uint32_t)(b->len - at);
        put_str(b, it->file);
    }
    h.len = (uint32_t)(b->len - at);
    h.kind = (uint32_t)f->kind;
    h.seq = s->seq++;
    h.line0 = f->nitems ? f->items[0].line : 0;
    h.nitems = (uint32_t)f->nitems;
    memcpy(b->ptr + at, &h, sizeof h);
    BT_GROW(s->recs, s->caprecs, s->nrecs + 1);
    s->recs[s->nrecs++] = at;
    c->count_by_kind[f->kind]++;
    if (!s->failed && b->len + s->nrecs * sizeof *s->recs > s->budget)
        write_run(s);
}

void chk_spill_finish(bt_check *c)
{
    chk_spill *s = &c->spill;
    /* the smallest runs into one, so that a walk reads RUN_FANIN at most */
    if (!s->failed && s->nruns > RUN_FANIN)
        merge_runs(s, s->nruns - RUN_FANIN + 1);
    sort_held(s);
}

/* ---- walks ----------------------------------------------------------- */

struct bt_check_walk {
    bt_check *c;
    size_t var;              /* next of the variant findings, in c->f */
    run_reader *r;           /* the runs, then the records in memory */
    size_t nr;
    int started;             /* the readers are at their first records */
    size_t last;             /* reader of the finding handed out, or -1 */
    int err;                 /* errno of a failed read, or 0 */
    bt_check_finding f;
    bt_check_item *items;
    size_t capitems;
};

bt_check_walk *chk_walk_open(bt_check *c)
{
    const chk_spill *s = &c->spill;
    bt_check_walk *w = bt_xcalloc(1, sizeof *w);
    w->c = c;
    w->nr = s->nruns + 1;
    w->r = bt_xcalloc(w->nr, sizeof *w->r);
    for (size_t i = 0; i < s->nruns; i++) rr_file(&w->r[i], s->fd, &s->runs[i]);
    rr_mem(&w->r[s->nruns], s);
    w->last = (size_t)-1;
    return w;
}

void bt_check_walk_free(bt_check_walk *w)
{
    if (!w) return;
    for (size_t i = 0; i < w->nr; i++) free(w->r[i].buf);
    free(w->r);
    free(w->items);
    free(w);
}

static int walk_fail(bt_check_walk *w, int err)
{
    w->err = err;
    spill_fail(&w->c->spill, "read", err);
    errno = err;
    return BT_ERR_IO;
}

int bt_check_walk_next(bt_check_walk *w, const bt_check_finding **f)
{
    bt_check *c = w->c;
    if (w->err) {
        errno = w->err;
        return BT_ERR_IO;
    }
    /* the variant kinds come first, and are held in memory */
    if (w->var < c->nf) {
        *f = &c->f[w->var++];
        return 1;
    }
    if (!w->started) {
        w->started = 1;
        for (size_t i = 0; i < w->nr; i++)
            if (rr_next(&w->r[i]) != 0) return walk_fail(w, errno);
    } else if (w->last != (size_t)-1 && rr_next(&w->r[w->last]) != 0) {
        return walk_fail(w, errno);
    }
    w->last = rr_least(w->r, w->nr);
    if (w->last == (size_t)-1) return 0;
    const unsigned char *rec = w->r[w->last].rec;
    rec_head h = head_of(rec);
    BT_GROW(w->items, w->capitems, h.nitems);
    rec_decode(rec, &w->f, w->items);
    *f = &w->f;
    return 1;
}

void chk_spill_materialize(bt_check *c)
{
    bt_check_walk *w = bt_check_walk_new(c);
    w->var = c->nf; /* the variant findings are in c->all already */
    c->all_blocks = bt_xmalloc((c->spill.seq ? c->spill.seq : 1) *
                               sizeof *c->all_blocks);
    const bt_check_finding *f;
    while (bt_check_walk_next(w, &f) == 1) {
        /* one block: the items, then a copy of the record they point in */
        const unsigned char *rec = w->r[w->last].rec;
        rec_head h = head_of(rec);
        size_t isz = h.nitems * sizeof(bt_check_item);
        char *block = bt_xmalloc(isz + h.len);
        memcpy(block + isz, rec, h.len);
        rec_decode((const unsigned char *)block + isz, &c->all[c->nall++],
                   (bt_check_item *)(void *)block);
        c->all_blocks[c->nblocks++] = block;
    }
    bt_check_walk_free(w);
}

const char *bt_check_error(const bt_check *c)
{
    return c ? atomic_load(&c->spill.err) : NULL;
}
