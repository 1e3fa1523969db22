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
    bt_tmx_meta *meta;            /* merge: what is kept of the winner */
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
    bt_buf place, own, list;      /* scratch */
};

bt_tmx_store *bt_tmx_store_new(unsigned max_places, int note_dropped)
{
    bt_tmx_store *s = bt_xcalloc(1, sizeof *s);
    s->max_places = max_places;
    s->note_dropped = note_dropped;
    bt_buf_init(&s->place);
    bt_buf_init(&s->own);
    bt_buf_init(&s->list);
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
    bt_buf_free(&s->list);
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

/* ":" and n in decimal after b. */
static void add_colon_ulong(bt_buf *b, unsigned long n)
{
    char tmp[24], *e = tmp + sizeof tmp, *q = e;
    do *--q = (char)('0' + n % 10); while ((n /= 10));
    *--q = ':';
    bt_buf_add(b, q, (size_t)(e - q));
}

/* "file:vi:en", as "%s:%lu:%lu" would print it (a repeat's place, for
 * every repeat: without printf's parsing of its format) */
static void place_of(bt_buf *b, const char *file, unsigned long vl, unsigned long el)
{
    bt_buf_reset(b);
    bt_buf_adds(b, file ? file : "?");
    add_colon_ulong(b, vl);
    add_colon_ulong(b, el);
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

/* Merge is the same whatever the order of its inputs, unit by unit: a
 * repeat's places are kept in order (file name, then lines), the first of
 * them as the unit's own, the best score is kept, and the metadata of the
 * latest unit wins (meta_cmp) with the notes and props of all united. */

/* "file:vi:en" split; 0 when text is not such a place. */
static int place_split(const char *text, size_t len, size_t *flen, unsigned long *vl,
                       unsigned long *el)
{
    const char *c2 = NULL, *c1 = NULL;
    for (size_t i = len; i-- > 0;) {
        if (text[i] != ':') continue;
        if (!c2) c2 = text + i;
        else { c1 = text + i; break; }
    }
    if (!c1) return 0;
    unsigned long v[2] = { 0, 0 };
    const char *from[2] = { c1 + 1, c2 + 1 }, *to[2] = { c2, text + len };
    for (int k = 0; k < 2; k++) {
        if (from[k] == to[k] || to[k] - from[k] > 19) return 0;
        for (const char *p = from[k]; p < to[k]; p++) {
            if (*p < '0' || *p > '9') return 0;
            v[k] = v[k] * 10 + (unsigned long)(*p - '0');
        }
    }
    *flen = (size_t)(c1 - text);
    *vl = v[0];
    *el = v[1];
    return 1;
}

static int bytes_cmp(const char *a, size_t al, const char *b, size_t bl)
{
    int c = memcmp(a, b, al < bl ? al : bl);
    return c ? c : (al > bl) - (al < bl);
}

/* The order of places: by file name, then by the lines as numbers; what
 * is no "file:vi:en" after, in byte order. */
static int place_cmp(const char *a, size_t al, const char *b, size_t bl)
{
    size_t af, bf;
    unsigned long av, ae, bv, be;
    int pa = place_split(a, al, &af, &av, &ae), pb = place_split(b, bl, &bf, &bv, &be);
    if (!pa || !pb) return pa != pb ? pb - pa : bytes_cmp(a, al, b, bl);
    int c = bytes_cmp(a, af, b, bf);
    if (c) return c;
    if (av != bv) return av < bv ? -1 : 1;
    return (ae > be) - (ae < be);
}

/* Keep a place among the further ones in order; past max_places the last
 * one is counted rather than kept, so the places kept are the first ones
 * whatever order they came in. */
static void insert_place(bt_tmx_store *s, unit *x, const char *text, size_t len)
{
    if (x->nplaces >= s->max_places) {
        x->dropped++;
        if (!x->last || place_cmp(text, len, x->last->text, x->last->len) >= 0) return;
        /* the last place kept gives way */
        place **lp = &x->first, *prev = NULL;
        while ((*lp)->next) {
            prev = *lp;
            lp = &(*lp)->next;
        }
        *lp = NULL;
        x->last = prev;
        x->nplaces--;
    }
    place **at = &x->first;
    while (*at && place_cmp((*at)->text, (*at)->len, text, len) < 0) at = &(*at)->next;
    place *p = store_alloc(s, sizeof *p + len + 1);
    p->len = len;
    memcpy(p->text, text, len);
    p->text[len] = '\0';
    p->next = *at;
    *at = p;
    if (!p->next) x->last = p;
    x->nplaces++;
}

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
    unsigned long n;
    return len && (bt_places_more_parse(text, len, &n) || !knows_place(s, x, text, len));
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
    unsigned long n;
    if (bt_places_more_parse(text, len, &n)) {
        x->dropped = x->dropped + n < x->dropped ? ULONG_MAX : x->dropped + n;
        return 0;
    }
    if (knows_place(s, x, text, len)) return 0;
    size_t flen;
    unsigned long vl, el;
    if ((!x->file || place_cmp(text, len, s->own.ptr, s->own.len) < 0) &&
        place_split(text, len, &flen, &vl, &el)) {
        /* the first place or an earlier one: it becomes the unit's own
         * (s->own holds the old one, as knows_place left it) */
        int had = x->file != NULL;
        bt_buf_reset(&s->list);
        bt_buf_add(&s->list, text, flen);
        x->file = store_intern(s, &s->last_file, s->list.ptr);
        x->vi_line = vl;
        x->en_line = el;
        if (had) {
            bt_buf_reset(&s->list);
            bt_buf_add(&s->list, s->own.ptr, s->own.len);
            insert_place(s, x, s->list.ptr, s->list.len);
        }
        return 0;
    }
    insert_place(s, x, text, len);
    return 0;
}

/* ---- kept metadata ---- */

static int items_has(const char *list, size_t len, const char *item)
{
    for (size_t o = 0; o < len; o += strlen(list + o) + 1)
        if (!strcmp(list + o, item)) return 1;
    return 0;
}

static int items_cmp(const char *a, size_t al, const char *b, size_t bl)
{
    return bytes_cmp(a, al, b, bl);
}

static int str_cmp_p(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Which of two units' metadata wins: the latest changedate (creationdate
 * when a unit has none), then the greater bytes, so that the choice does
 * not depend on the order units come in. > 0: a wins. */
static int meta_cmp(const bt_tmx_meta *a, const char *as, const bt_tmx_meta *b, const char *bs)
{
    const char *ad = *a->changedate ? a->changedate : a->creationdate;
    const char *bd = *b->changedate ? b->changedate : b->creationdate;
    int c = strcmp(ad, bd);
    if (!c) c = strcmp(a->changedate, b->changedate);
    if (!c) c = strcmp(a->creationdate, b->creationdate);
    if (!c) c = strcmp(a->attrs, b->attrs);
    if (!c) c = items_cmp(a->items, a->items_len, b->items, b->items_len);
    for (int k = 0; k < 2 && !c; k++) {
        c = strcmp(a->tuv[k].attrs, b->tuv[k].attrs);
        if (!c) c = items_cmp(a->tuv[k].items, a->tuv[k].items_len, b->tuv[k].items,
                              b->tuv[k].items_len);
        if (!c) c = strcmp(a->tuv[k].seg, b->tuv[k].seg);
    }
    if (!c) c = (a->has_tuid - b->has_tuid) * 2 + (a->has_usagecount - b->has_usagecount);
    if (!c) c = strcmp(as ? as : "", bs ? bs : "");
    return c;
}

/* The items of lists a and b that win lacks, sorted, without repeats, into
 * s->list. */
static void items_unite(bt_tmx_store *s, const char *a, size_t al, const char *b, size_t bl,
                        const bt_tmx_meta *win)
{
    size_t n = 0, cap = 0;
    const char **v = NULL;
    const char *lists[2] = { a, b };
    size_t lens[2] = { al, bl };
    for (int k = 0; k < 2; k++)
        for (size_t o = 0; o < lens[k]; o += strlen(lists[k] + o) + 1) {
            BT_GROW(v, cap, n + 1);
            v[n++] = lists[k] + o;
        }
    if (n > 1) qsort(v, n, sizeof *v, str_cmp_p);
    bt_buf_reset(&s->list);
    for (size_t i = 0; i < n; i++) {
        if (i && !strcmp(v[i], v[i - 1])) continue;
        if (items_has(win->items, win->items_len, v[i])) continue;
        bt_buf_add(&s->list, v[i], strlen(v[i]) + 1);
    }
    free(v);
}

static char *arena_bytes(bt_tmx_store *s, const char *p, size_t n)
{
    char *d = store_alloc(s, n + 1);
    memcpy(d, p, n);
    d[n] = '\0';
    return d;
}

/* A copy of m in the store's blocks, with more and lastusagedate given. */
static bt_tmx_meta *meta_copy(bt_tmx_store *s, const bt_tmx_meta *m, const char *more,
                              size_t more_len, const char *lastusagedate)
{
    bt_tmx_meta *c = store_alloc(s, sizeof *c);
    *c = *m;
    c->attrs = store_strdup(s, m->attrs);
    c->changedate = store_strdup(s, m->changedate);
    c->creationdate = store_strdup(s, m->creationdate);
    c->lastusagedate = store_strdup(s, lastusagedate);
    c->items = arena_bytes(s, m->items, m->items_len);
    c->more = arena_bytes(s, more, more_len);
    c->more_len = more_len;
    for (int k = 0; k < 2; k++) {
        c->tuv[k].attrs = store_strdup(s, m->tuv[k].attrs);
        c->tuv[k].items = arena_bytes(s, m->tuv[k].items, m->tuv[k].items_len);
        c->tuv[k].seg = store_strdup(s, m->tuv[k].seg);
    }
    return c;
}

/* Unite u's metadata with x's: the winner's attributes, tuvs, markup and
 * status; the notes and props of both; the latest lastusagedate. */
static void merge_meta(bt_tmx_store *s, unit *x, const bt_tmx_unit *u)
{
    const bt_tmx_meta *m = u->meta;
    if (!m) return;
    if (!x->meta) {
        x->meta = meta_copy(s, m, m->more, m->more_len, m->lastusagedate);
        x->status = store_intern(s, &s->last_status, u->status);
        return;
    }
    bt_tmx_meta *w = x->meta;
    const char *lud = strcmp(m->lastusagedate, w->lastusagedate) > 0 ? m->lastusagedate
                                                                       : w->lastusagedate;
    if (meta_cmp(m, u->status, w, x->status) > 0) {
        /* the loser's items join the rest: all items seen, less the winner's */
        bt_buf old;
        bt_buf_init(&old);
        bt_buf_add(&old, w->more, w->more_len);
        bt_buf_add(&old, w->items, w->items_len);
        items_unite(s, old.ptr, old.len, m->more, m->more_len, m);
        bt_buf_free(&old);
        x->meta = meta_copy(s, m, s->list.ptr, s->list.len, lud);
        x->status = store_intern(s, &s->last_status, u->status);
        return;
    }
    items_unite(s, w->more, w->more_len, m->items, m->items_len, w);
    if (s->list.len != w->more_len || memcmp(s->list.ptr, w->more, w->more_len)) {
        w->more = arena_bytes(s, s->list.ptr, s->list.len);
        w->more_len = s->list.len;
    }
    if (lud != w->lastusagedate) w->lastusagedate = store_strdup(s, lud);
}

int bt_tmx_store_merge(bt_tmx_store *s, const bt_tmx_unit *u)
{
    int found;
    unit *x = find_or_add(s, u->vi, u->en, &found);
    unsigned long uc = u->usagecount ? u->usagecount : 1;
    if (!found) {
        fill_unit(s, x, u, uc);
        merge_meta(s, x, u);
        each_place(u->more_sources, merge_place, s, x);
        return BT_TMX_ADDED;
    }
    if (u->score > x->score) x->score = u->score;
    merge_meta(s, x, u); /* even for a reimport: its metadata may be newer */
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
    if (s->note_dropped) bt_places_more_add(sources, "; ", x->dropped);
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
    u->meta = x->meta;
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
