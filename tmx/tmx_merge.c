/* tmx_merge.c - merge TMX files, collapsing identical (vi, en) pairs in a
 * memory store (store.c), and count a memory's units for tmx stats.
 * Inputs are streamed; memory holds one record per distinct pair. */
#define _POSIX_C_SOURCE 200809L
#include "tmx_int.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The language codes of one side as written, with how often each was
 * seen: the header's srclang is the most common Vietnamese one. */
typedef struct lang_count {
    struct { char code[64]; unsigned long n; } v[16];
    size_t n;
} lang_count;

static void lang_seen(lang_count *c, const char *code)
{
    if (!code || !bt_tmx_lang_ok(code)) return;
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->v[i].code, code)) { c->v[i].n++; return; }
    if (c->n == sizeof c->v / sizeof c->v[0]) return;
    strcpy(c->v[c->n].code, code); /* under 64 bytes: bt_tmx_lang_ok */
    c->v[c->n++].n = 1;
}

/* The most common code (the first in byte order among equals, so that the
 * order of the inputs does not matter), or NULL for none. */
static const char *lang_top(const lang_count *c)
{
    const char *best = NULL;
    unsigned long bn = 0;
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].n > bn || (c->v[i].n == bn && strcmp(c->v[i].code, best) < 0)) {
            best = c->v[i].code;
            bn = c->v[i].n;
        }
    return best;
}

typedef struct merge {
    bt_tmx_store *store;
    bt_tmx_merge_stats st;
    lang_count vi, en;
} merge;

static int on_unit(void *ud, const bt_tmx_unit *u, const char *vl,
                   const char *el)
{
    merge *m = ud;
    m->st.read++;
    lang_seen(&m->vi, vl);
    lang_seen(&m->en, el);
    int r = bt_tmx_store_merge(m->store, u);
    m->st.collapsed += r != BT_TMX_ADDED;
    m->st.reimported += r == BT_TMX_REIMPORTED;
    return 0;
}

int bt_tmx_merge(const char *out_path, const char *const *inputs, size_t n,
                 const char *tool_version, bt_tmx_merge_stats *st,
                 bt_diag_fn diag, void *dud)
{
    return bt_tmx_merge_langs(out_path, inputs, n, tool_version, NULL, NULL, st, diag, dud);
}

int bt_tmx_merge_langs(const char *out_path, const char *const *inputs, size_t n,
                       const char *tool_version, const char *lang_vi, const char *lang_en,
                       bt_tmx_merge_stats *st, bt_diag_fn diag, void *dud)
{
    merge *m = bt_xcalloc(1, sizeof *m);
    m->store = bt_tmx_store_new(BT_TMX_MAX_SOURCES, 1);
    int rc = BT_OK;
    for (size_t i = 0; i < n && rc == BT_OK; i++)
        rc = tmx_read_meta(inputs[i], on_unit, m, diag, dud);
    if (rc == BT_OK) {
        /* units keep their codes unless given; the header names the one
         * given, else the one most used */
        bt_tmx_write_opts o = { .lang_vi = lang_vi ? lang_vi : lang_top(&m->vi),
                                .lang_en = lang_en ? lang_en : lang_top(&m->en),
                                .langs_given = (lang_vi ? 1u : 0u) | (lang_en ? 2u : 0u) };
        if (bt_tmx_store_write_opts(m->store, out_path, tool_version, &o, NULL) != 0) {
            bt_report(diag, dud, BT_ERR_IO, 0, out_path, 0,
                      "cannot write: %s", strerror(errno));
            rc = BT_ERR_IO;
        }
        m->st.written = rc == BT_OK ? bt_tmx_store_size(m->store) : 0;
    }
    if (st) *st = m->st;
    bt_tmx_store_free(m->store);
    free(m);
    return rc;
}

/* ---- stats ------------------------------------------------------------ */

typedef struct stats_ctx {
    bt_tmx_store *seen;   /* the pairs only */
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
    if (tmx_store_seen(c->seen, u->vi, u->en)) {
        st->duplicates++;
        return 0;
    }
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
    c.seen = bt_tmx_store_new(0, 0);
    int rc = tmx_read_counting(path, on_stats_unit, &c, diag, dud,
                                  &st->skipped);
    bt_tmx_store_free(c.seen);
    return rc;
}
