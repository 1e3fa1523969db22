/* store.c - the memory's distinct (vi, en) units, in order of first
 * appearance: what `align` collects and `tmx merge` collapses into, and
 * the one place that decides how a repeated pair is counted and how many
 * of its places it keeps (bt_tmx_store_new).
 *
 * Kept for every distinct pair of a run that may see millions: texts,
 * file names and places are carved from large blocks that live as long as
 * the store, rather than malloc'd one by one among each file's
 * short-lived memory, which fragments the heap of a long run. */
#include "tmx_int.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A further place of a unit, as written in x-sources ("file:vi:en"). */
typedef struct place {
    struct place *next;
    size_t len;
    char text[];
} place;

typedef struct unit {
    const char *vi, *en;          /* in the store's blocks */
    const char *file, *status;    /* in the store's blocks; NULL: none */
    unsigned long vi_line, en_line;
    double score;
    unsigned long usagecount;
    place *first, *last;          /* the further places kept */
    unsigned nplaces;
    unsigned long dropped;        /* places past the limit */
} unit;

struct bt_tmx_store {
    unit *v;
    size_t n, cap;
    struct slot {                 /* open addressing over v: a probe reads */
        uint64_t hash;            /* the hash beside the index, and a unit's */
        size_t at;                /* text only when they agree; SIZE_MAX empty */
    } *slots;
    size_t nslots;
    unsigned max_places;
    int note_dropped;
    char **blocks;
    size_t nblocks, bcap;
    char *cur;
    size_t left;
    const char *last_file, *last_status; /* the copies made last */
    bt_buf place, own;            /* scratch */
};

bt_tmx_store *bt_tmx_store_new(unsigned max_places, int note_dropped)
{
    bt_tmx_store *s = bt_xcalloc(1, sizeof *s);
    s->max_places = max_places;
    s->note_dropped = note_dropped;
    bt_buf_init(&s->place);
    bt_buf_init(&s->own);
    return s;
}

void bt_tmx_store_free(bt_tmx_store *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->nblocks; i++) free(s->blocks[i]);
    free(s->blocks);
    free(s->v);
    free(s->slots);
    bt_buf_free(&s->place);
    bt_buf_free(&s->own);
    free(s);
}

size_t bt_tmx_store_size(const bt_tmx_store *s)
{
    return s->n;
}

/* n bytes from the blocks, aligned for a place */
static void *store_alloc(bt_tmx_store *s, size_t n)
{
    size_t pad = (size_t)((uintptr_t)s->cur & (sizeof(void *) - 1));
    pad = pad ? sizeof(void *) - pad : 0;
    if (n + pad > s->left) {
        size_t size = n > (1u << 20) ? n : (1u << 20);
        BT_GROW(s->blocks, s->bcap, s->nblocks + 1);
        s->cur = s->blocks[s->nblocks++] = bt_xmalloc(size);
        s->left = size;
        pad = 0;
    }
    char *p = s->cur + pad;
    s->cur = p + n;
    s->left -= n + pad;
    return p;
}

static char *store_strdup(bt_tmx_store *s, const char *str)
{
    size_t n = strlen(str) + 1;
    return memcpy(store_alloc(s, n), str, n);
}

/* A copy of str, shared with the last unit's when the same: units come
 * file by file, so a file name is kept about once. */
static const char *store_intern(bt_tmx_store *s, const char **last, const char *str)
{
    if (!str) return NULL;
    if (!*last || strcmp(*last, str)) *last = store_strdup(s, str);
    return *last;
}

static void store_rehash(bt_tmx_store *s)
{
    size_t ns = s->nslots ? s->nslots * 2 : 1024;
    struct slot *old = s->slots;
    size_t nold = s->nslots;
    s->slots = bt_xmalloc(ns * sizeof *s->slots);
    for (size_t i = 0; i < ns; i++) s->slots[i].at = SIZE_MAX;
    s->nslots = ns;
    for (size_t i = 0; i < nold; i++) {
        if (old[i].at == SIZE_MAX) continue;
        size_t k = old[i].hash & (ns - 1);
        while (s->slots[k].at != SIZE_MAX) k = (k + 1) & (ns - 1);
        s->slots[k] = old[i];
    }
    free(old);
}

/* The unit of (vi, en), or a new one holding only the texts (*found = 0). */
static unit *find_or_add(bt_tmx_store *s, const char *vi, const char *en, int *found)
{
    if ((s->n + 1) * 2 > s->nslots) store_rehash(s);
    size_t vl = strlen(vi), el = strlen(en);
    uint64_t h = bt_hash_bytes(bt_hash_bytes(0x9E3779B97F4A7C15ULL ^ vl, vi, vl), en, el);
    size_t k = h & (s->nslots - 1);
    for (; s->slots[k].at != SIZE_MAX; k = (k + 1) & (s->nslots - 1)) {
        unit *x = &s->v[s->slots[k].at];
        if (s->slots[k].hash == h && x->en == x->vi + vl + 1 && !memcmp(x->vi, vi, vl) &&
            !strcmp(x->en, en)) {
            *found = 1;
            return x;
        }
    }
    BT_GROW(s->v, s->cap, s->n + 1);
    unit *x = &s->v[s->n];
    memset(x, 0, sizeof *x);
    char *t = store_alloc(s, vl + el + 2);
    memcpy(t, vi, vl + 1);
    memcpy(t + vl + 1, en, el + 1);
    x->vi = t;
    x->en = t + vl + 1;
    s->slots[k].hash = h;
    s->slots[k].at = s->n++;
    *found = 0;
    return x;
}

int tmx_store_seen(bt_tmx_store *s, const char *vi, const char *en)
{
    int found;
    find_or_add(s, vi, en, &found);
    return found;
}

/* The one rule for places: a unit keeps its first max_places further
 * places (BT_TMX_ALIGN_PLACES for align, BT_TMX_MAX_SOURCES for merge, the
 * bounds docs/translators.md gives) and counts the others, written as
 * "+N more" when the store was made with note_dropped. */
static void keep_place(bt_tmx_store *s, unit *x, const char *text, size_t len)
{
    if (x->nplaces >= s->max_places) {
        x->dropped++;
        return;
    }
    place *p = store_alloc(s, sizeof *p + len + 1);
    p->next = NULL;
    p->len = len;
    memcpy(p->text, text, len);
    p->text[len] = '\0';
    if (x->last) x->last->next = p;
    else x->first = p;
    x->last = p;
    x->nplaces++;
}

static void place_of(bt_buf *b, const char *file, unsigned long vl, unsigned long el)
{
    bt_buf_reset(b);
    bt_buf_printf(b, "%s:%lu:%lu", file ? file : "?", vl, el);
}

static void fill_unit(bt_tmx_store *s, unit *x, const bt_tmx_unit *u, unsigned long count)
{
    x->file = store_intern(s, &s->last_file, u->file);
    x->status = store_intern(s, &s->last_status, u->status);
    x->vi_line = u->vi_line;
    x->en_line = u->en_line;
    x->score = u->score;
    x->usagecount = count;
}

void bt_tmx_store_add(bt_tmx_store *s, const bt_tmx_unit *u)
{
    int found;
    unit *x = find_or_add(s, u->vi, u->en, &found);
    if (!found) {
        fill_unit(s, x, u, 1);
        return;
    }
    if (x->usagecount < ULONG_MAX) x->usagecount++;
    if (u->score > x->score) x->score = u->score;
    place_of(&s->place, u->file, u->vi_line, u->en_line);
    keep_place(s, x, s->place.ptr, s->place.len);
}

/* ---- units read from memories ---- */

/* The place is the unit's own or among its further places. */
static int knows_place(bt_tmx_store *s, const unit *x, const char *text, size_t len)
{
    if (x->file) {
        place_of(&s->own, x->file, x->vi_line, x->en_line);
        if (s->own.len == len && !memcmp(s->own.ptr, text, len)) return 1;
    }
    for (const place *p = x->first; p; p = p->next)
        if (p->len == len && !memcmp(p->text, text, len)) return 1;
    return 0;
}

/* Call fn for each entry of an x-sources list ("; "-joined); stop at and
 * return the first nonzero result. */
static int each_place(const char *list, int (*fn)(bt_tmx_store *, unit *, const char *, size_t),
                      bt_tmx_store *s, unit *x)
{
    while (list && *list) {
        const char *e = strstr(list, "; ");
        size_t n = e ? (size_t)(e - list) : strlen(list);
        int r = fn(s, x, list, n);
        if (r) return r;
        list = e ? e + 2 : list + n;
    }
    return 0;
}

static int unknown_place(bt_tmx_store *s, unit *x, const char *text, size_t len)
{
    return len && (text[0] == '+' || !knows_place(s, x, text, len));
}

/* A unit whose every place x already holds is the same occurrence
 * imported again (a memory merged with itself or with its own merge): it
 * must not count twice. Units without a place cannot be told apart. */
static int is_reimport(bt_tmx_store *s, unit *x, const bt_tmx_unit *u)
{
    if (!u->file) return 0;
    place_of(&s->place, u->file, u->vi_line, u->en_line);
    if (!knows_place(s, x, s->place.ptr, s->place.len)) return 0;
    return !each_place(u->more_sources, unknown_place, s, x);
}

static int merge_place(bt_tmx_store *s, unit *x, const char *text, size_t len)
{
    if (!len) return 0;
    /* "+N more" marks from an earlier merge add up. */
    if (text[0] == '+') {
        char *end;
        unsigned long n = strtoul(text + 1, &end, 10);
        if (end != text + 1 && !strncmp(end, " more", 5)) {
            x->dropped += n;
            return 0;
        }
    }
    if (!knows_place(s, x, text, len)) keep_place(s, x, text, len);
    return 0;
}

int bt_tmx_store_merge(bt_tmx_store *s, const bt_tmx_unit *u)
{
    int found;
    unit *x = find_or_add(s, u->vi, u->en, &found);
    unsigned long uc = u->usagecount ? u->usagecount : 1;
    if (!found) {
        fill_unit(s, x, u, uc);
        each_place(u->more_sources, merge_place, s, x);
        return BT_TMX_ADDED;
    }
    if (is_reimport(s, x, u)) return BT_TMX_REIMPORTED;
    x->usagecount = x->usagecount + uc < x->usagecount ? ULONG_MAX : x->usagecount + uc;
    if (u->file) {
        place_of(&s->place, u->file, u->vi_line, u->en_line);
        merge_place(s, x, s->place.ptr, s->place.len);
    }
    each_place(u->more_sources, merge_place, s, x);
    return BT_TMX_COLLAPSED;
}

/* ---- reading back and writing ---- */

void bt_tmx_store_get(const bt_tmx_store *s, size_t i, bt_tmx_unit *u, bt_buf *sources)
{
    const unit *x = &s->v[i];
    bt_buf_reset(sources);
    for (const place *p = x->first; p; p = p->next) {
        if (sources->len) bt_buf_adds(sources, "; ");
        bt_buf_add(sources, p->text, p->len);
    }
    if (s->note_dropped && x->dropped)
        bt_buf_printf(sources, "%s+%lu more", sources->len ? "; " : "", x->dropped);
    memset(u, 0, sizeof *u);
    u->vi = x->vi;
    u->en = x->en;
    u->file = x->file;
    u->vi_line = x->vi_line;
    u->en_line = x->en_line;
    u->score = x->score;
    u->usagecount = x->usagecount > UINT_MAX ? UINT_MAX : (unsigned)x->usagecount;
    u->status = x->status;
    u->more_sources = sources->len ? sources->ptr : NULL;
}

int bt_tmx_store_write(const bt_tmx_store *s, const char *path, const char *tool_version)
{
    return bt_tmx_store_write_opts(s, path, tool_version, NULL, NULL);
}

int bt_tmx_store_write_opts(const bt_tmx_store *s, const char *path,
                            const char *tool_version, const bt_tmx_write_opts *opts,
                            size_t *written)
{
    double min = opts ? opts->min_score : 0;
    if (written) *written = 0;
    bt_tmx_writer *w = bt_tmx_writer_open_opts(path, tool_version, opts);
    if (!w) return -1;
    bt_buf sources;
    bt_buf_init(&sources);
    for (size_t i = 0; i < s->n; i++) {
        if (!bt_tmx_score_kept(s->v[i].score, min)) continue; /* the best score seen */
        if (written) (*written)++;
        bt_tmx_unit u;
        bt_tmx_store_get(s, i, &u, &sources);
        if (bt_tmx_writer_add(w, &u) != 0) {
            int e = errno;
            bt_tmx_writer_abort(w);
            bt_buf_free(&sources);
            errno = e;
            return -1;
        }
    }
    bt_buf_free(&sources);
    return bt_tmx_writer_close(w);
}
