/* tmx_merge.c - merge TMX files, collapsing identical (vi, en) pairs.
 * Inputs are streamed; memory holds one record per distinct pair. */
#define _POSIX_C_SOURCE 200809L
#include "tmx_int.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct pair {
    char *vi, *en;
    char *file, *status;
    unsigned long vi_line, en_line;
    double score;
    unsigned long usagecount;
    bt_buf sources;          /* other places, "; "-joined */
    unsigned nsources;
    unsigned long more;      /* places beyond BT_TMX_MAX_SOURCES */
    uint64_t hash;
} pair;

typedef struct merge {
    pair *v;
    size_t n, cap;
    size_t *slots;           /* open addressing: index + 1, 0 = empty */
    size_t nslots;
    bt_tmx_merge_stats st;
    bt_buf place;            /* scratch */
} merge;

static uint64_t pair_hash(const char *vi, const char *en)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)vi; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    h = (h ^ 0xFF) * 1099511628211ULL; /* 0xFF never occurs in UTF-8 */
    for (const unsigned char *p = (const unsigned char *)en; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}

static void rehash(merge *m)
{
    size_t ns = m->nslots ? m->nslots * 2 : 1024;
    free(m->slots);
    m->slots = bt_xcalloc(ns, sizeof *m->slots);
    m->nslots = ns;
    for (size_t i = 0; i < m->n; i++) {
        size_t s = (size_t)(m->v[i].hash & (ns - 1));
        while (m->slots[s]) s = (s + 1) & (ns - 1);
        m->slots[s] = i + 1;
    }
}

/* The pair's index, or where to insert it (*found = 0). */
static size_t *lookup(merge *m, const char *vi, const char *en, uint64_t h,
                      int *found)
{
    size_t s = (size_t)(h & (m->nslots - 1));
    for (;;) {
        size_t k = m->slots[s];
        if (!k) { *found = 0; return &m->slots[s]; }
        pair *p = &m->v[k - 1];
        if (p->hash == h && !strcmp(p->vi, vi) && !strcmp(p->en, en)) {
            *found = 1;
            return &m->slots[s];
        }
        s = (s + 1) & (m->nslots - 1);
    }
}

static void place_of(bt_buf *b, const char *file, unsigned long vl,
                     unsigned long el)
{
    bt_buf_reset(b);
    bt_buf_printf(b, "%s:%lu:%lu", file ? file : "?", vl, el);
}

static int has_place(const pair *p, const char *place, size_t len)
{
    const char *s = p->sources.ptr;
    while (*s) {
        const char *e = strstr(s, "; ");
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == len && !memcmp(s, place, len)) return 1;
        s = e ? e + 2 : s + n;
    }
    return 0;
}

/* The place is the pair's own or among its x-sources. */
static int knows_place(const pair *p, const char *place, size_t len)
{
    if (p->file) {
        bt_buf own;
        bt_buf_init(&own);
        place_of(&own, p->file, p->vi_line, p->en_line);
        int same = own.len == len && !memcmp(own.ptr, place, len);
        bt_buf_free(&own);
        if (same) return 1;
    }
    return has_place(p, place, len);
}

/* A unit whose every place the pair already holds is the same occurrence
 * imported again (a memory merged with itself or with its own merge): it
 * must not count twice. Units without a place cannot be told apart. */
static int is_reimport(const pair *p, const bt_tmx_unit *u, bt_buf *scratch)
{
    if (!u->file) return 0;
    place_of(scratch, u->file, u->vi_line, u->en_line);
    if (!knows_place(p, scratch->ptr, scratch->len)) return 0;
    const char *list = u->more_sources ? u->more_sources : "";
    while (*list) {
        const char *e = strstr(list, "; ");
        size_t n = e ? (size_t)(e - list) : strlen(list);
        if (n && (list[0] == '+' || !knows_place(p, list, n))) return 0;
        list = e ? e + 2 : list + n;
    }
    return 1;
}

static void add_place(pair *p, const char *place, size_t len)
{
    if (!len) return;
    /* "+N more" marks from an earlier merge add up. */
    if (place[0] == '+') {
        char *end;
        unsigned long n = strtoul(place + 1, &end, 10);
        if (end != place + 1 && !strncmp(end, " more", 5)) {
            p->more += n;
            return;
        }
    }
    if (knows_place(p, place, len)) return;
    if (p->nsources >= BT_TMX_MAX_SOURCES) { p->more++; return; }
    if (p->sources.len) bt_buf_adds(&p->sources, "; ");
    bt_buf_add(&p->sources, place, len);
    p->nsources++;
}

static void add_places(pair *p, const char *list)
{
    if (!list) return;
    while (*list) {
        const char *e = strstr(list, "; ");
        size_t n = e ? (size_t)(e - list) : strlen(list);
        add_place(p, list, n);
        list = e ? e + 2 : list + n;
    }
}

static int on_unit(void *ud, const bt_tmx_unit *u, const char *vl,
                   const char *el)
{
    (void)vl; (void)el;
    merge *m = ud;
    m->st.read++;
    if (m->n + 1 > m->nslots / 2) rehash(m);
    uint64_t h = pair_hash(u->vi, u->en);
    int found;
    size_t *slot = lookup(m, u->vi, u->en, h, &found);
    unsigned long uc = u->usagecount ? u->usagecount : 1;
    if (found) {
        pair *p = &m->v[*slot - 1];
        m->st.collapsed++;
        if (is_reimport(p, u, &m->place)) {
            m->st.reimported++;
            return 0;
        }
        p->usagecount = p->usagecount + uc < p->usagecount ? ULONG_MAX
                                                           : p->usagecount + uc;
        if (u->file) {
            place_of(&m->place, u->file, u->vi_line, u->en_line);
            add_place(p, m->place.ptr, m->place.len);
        }
        add_places(p, u->more_sources);
        return 0;
    }
    BT_GROW(m->v, m->cap, m->n + 1);
    pair *p = &m->v[m->n];
    memset(p, 0, sizeof *p);
    p->vi = bt_xstrdup(u->vi);
    p->en = bt_xstrdup(u->en);
    p->file = u->file ? bt_xstrdup(u->file) : NULL;
    p->status = u->status ? bt_xstrdup(u->status) : NULL;
    p->vi_line = u->vi_line;
    p->en_line = u->en_line;
    p->score = u->score;
    p->usagecount = uc;
    p->hash = h;
    bt_buf_init(&p->sources);
    add_places(p, u->more_sources);
    *slot = ++m->n;
    return 0;
}

static void merge_free(merge *m)
{
    for (size_t i = 0; i < m->n; i++) {
        pair *p = &m->v[i];
        free(p->vi);
        free(p->en);
        free(p->file);
        free(p->status);
        bt_buf_free(&p->sources);
    }
    free(m->v);
    free(m->slots);
    bt_buf_free(&m->place);
}

int bt_tmx_merge(const char *out_path, const char *const *inputs, size_t n,
                 const char *tool_version, bt_tmx_merge_stats *st,
                 bt_diag_fn diag, void *dud)
{
    merge m;
    memset(&m, 0, sizeof m);
    bt_buf_init(&m.place);
    rehash(&m);
    int rc = BT_OK;
    for (size_t i = 0; i < n && rc == BT_OK; i++)
        rc = bt_tmx_read(inputs[i], on_unit, &m, diag, dud);
    if (rc == BT_OK) {
        bt_tmx_writer *w = bt_tmx_writer_open(out_path, tool_version);
        if (!w) {
            bt_report(diag, dud, BT_ERR_IO, 0, out_path, 0,
                      "cannot write: %s", strerror(errno));
            rc = BT_ERR_IO;
        }
        bt_buf more;
        bt_buf_init(&more);
        for (size_t i = 0; w && i < m.n; i++) {
            pair *p = &m.v[i];
            bt_buf_reset(&more);
            bt_buf_add(&more, p->sources.ptr, p->sources.len);
            if (p->more)
                bt_buf_printf(&more, "%s+%lu more", more.len ? "; " : "",
                              p->more);
            bt_tmx_unit u = {
                .vi = p->vi, .en = p->en, .file = p->file,
                .vi_line = p->vi_line, .en_line = p->en_line,
                .score = p->score,
                .usagecount = p->usagecount > UINT_MAX ? UINT_MAX
                                                         : (unsigned)p->usagecount,
                .status = p->status, .more_sources = more.len ? more.ptr : NULL,
            };
            if (bt_tmx_writer_add(w, &u) < 0) {
                bt_report(diag, dud, BT_ERR_IO, 0, out_path, 0,
                          "cannot write: %s", strerror(errno));
                bt_tmx_writer_abort(w);
                w = NULL;
                rc = BT_ERR_IO;
            }
        }
        bt_buf_free(&more);
        if (w && bt_tmx_writer_close(w) < 0) {
            bt_report(diag, dud, BT_ERR_IO, 0, out_path, 0,
                      "cannot write: %s", strerror(errno));
            rc = BT_ERR_IO;
        }
        m.st.written = rc == BT_OK ? m.n : 0;
    }
    if (st) *st = m.st;
    merge_free(&m);
    return rc;
}

/* ---- stats ------------------------------------------------------------ */

typedef struct stats_ctx {
    merge m;              /* only vi, en and hash are used */
    bt_tmx_stats *st;
} stats_ctx;

static void count_lang(bt_tmx_stats *st, const char *code)
{
    for (size_t i = 0; i < st->nlangs; i++)
        if (!strcmp(st->langs[i].code, code)) { st->langs[i].n++; return; }
    size_t max = sizeof st->langs / sizeof st->langs[0];
    if (st->nlangs == max || strlen(code) >= sizeof st->langs[0].code) {
        st->other_langs++;
        return;
    }
    strcpy(st->langs[st->nlangs].code, code);
    st->langs[st->nlangs++].n = 1;
}

static int on_stats_unit(void *ud, const bt_tmx_unit *u, const char *vl,
                         const char *el)
{
    stats_ctx *c = ud;
    bt_tmx_stats *st = c->st;
    merge *m = &c->m;
    st->units++;
    st->usage += u->usagecount ? u->usagecount : 1;
    count_lang(st, vl ? vl : "?");
    count_lang(st, el ? el : "?");
    if (u->score < 0) {
        st->no_score++;
    } else {
        int b = (int)(u->score * 10);
        st->score_hist[b > 9 ? 9 : b < 0 ? 0 : b]++;
    }
    if (m->n + 1 > m->nslots / 2) rehash(m);
    uint64_t h = pair_hash(u->vi, u->en);
    int found;
    size_t *slot = lookup(m, u->vi, u->en, h, &found);
    if (found) {
        st->duplicates++;
        return 0;
    }
    BT_GROW(m->v, m->cap, m->n + 1);
    pair *p = &m->v[m->n];
    memset(p, 0, sizeof *p);
    p->vi = bt_xstrdup(u->vi);
    p->en = bt_xstrdup(u->en);
    p->hash = h;
    bt_buf_init(&p->sources);
    *slot = ++m->n;
    st->distinct++;
    return 0;
}

int bt_tmx_stats_read(const char *path, bt_tmx_stats *st, bt_diag_fn diag,
                      void *dud)
{
    stats_ctx c;
    memset(&c, 0, sizeof c);
    memset(st, 0, sizeof *st);
    c.st = st;
    bt_buf_init(&c.m.place);
    rehash(&c.m);
    int rc = tmx_read_counting(path, on_stats_unit, &c, diag, dud,
                                  &st->skipped);
    merge_free(&c.m);
    return rc;
}
