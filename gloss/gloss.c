/* gloss.c - the glossary model: distinct (vi, en) rows with counts and
 * sources, in a deterministic order, and their standing against the
 * lexicon. Its TSV/CSV/JSON/OmegaT/TBX input and output are gloss_io.c. */
#include "gloss_int.h"
#include "../corpus/corpus.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct row {
    char *vi;            /* vi NUL en NUL key NUL, together in the strs arena */
    const char *en;
    const char *kind;    /* interned in the glossary's kinds */
    const char *key;     /* bt_gloss_key_vi(vi): the sort key */
    uint64_t idhash;     /* of its identity (get_row) */
    unsigned long count;
    bt_buf sources;      /* "a:1, b:2", then ", +N more" when places were
                            left out (bt_places_more_add) */
    size_t plen;         /* the places' bytes, the mark's start */
    unsigned long more;  /* places left out past BT_GLOSS_MAX_SOURCES */
    uint64_t seen[2];    /* a Bloom filter of the items of sources */
    unsigned nsources;
    int official;
    int standing;        /* bt_gloss_standing, set by bt_gloss_mark_lexicon */
    uint32_t klen;       /* strlen(key), or UINT32_MAX: as long or longer */
} row;

/* What const accessors compute lazily: the sorted view. */
typedef struct view {
    size_t *order;       /* row indexes in output order */
    bt_gloss_row *rows;  /* views in output order */
    int valid;
} view;

/* An observation's (vi, en) exactly as given to bt_gloss_add, and its row:
 * align adds the same few terms over and over, and making their canonical
 * and lower-case forms each time cost 12 K instructions an observation. */
typedef struct seen {
    char *raw;           /* vi NUL en NUL */
    size_t vlen, len;    /* strlen(vi); vi and en with both NULs */
    uint64_t hash;
    size_t row;
} seen;

struct bt_gloss {
    row *rows;
    size_t n, cap;
    /* A row's identity is its lower-case vi TAB lower-case en; the table
     * keeps only its hash (open addressing, row + 1, 0 empty) and a match
     * is confirmed from the row's own text, not a second stored copy. */
    uint32_t *ids;
    size_t nids;         /* a power of two, or 0 */
    bt_map kinds;        /* the rows' kinds, each kept once */
    bt_arena strs;       /* the rows' vi, en and key: freed with the rows */
    bt_arena *kept;      /* more of them, made by a reader's second thread */
    size_t nkept, kcap;
    bt_buf cvi, cen, id, key, id2; /* scratch of get_row */
    seen *seen;          /* open addressing, raw == NULL empty */
    size_t nseen, scap;  /* scap a power of two */
    bt_buf place;        /* scratch: "file:line" */
    view *view;
};

bt_gloss *bt_gloss_new(void)
{
    bt_gloss *g = bt_xcalloc(1, sizeof *g);
    g->view = bt_xcalloc(1, sizeof *g->view);
    bt_map_init(&g->kinds);
    bt_arena_init(&g->strs, 1 << 20);
    bt_buf_init(&g->place);
    bt_buf_init(&g->cvi);
    bt_buf_init(&g->cen);
    bt_buf_init(&g->id);
    bt_buf_init(&g->key);
    bt_buf_init(&g->id2);
    return g;
}

void bt_gloss_free(bt_gloss *g)
{
    if (!g) return;
    for (size_t i = 0; i < g->n; i++) {
        row *r = &g->rows[i];
        bt_buf_free(&r->sources);
    }
    free(g->rows);
    bt_arena_free(&g->strs);
    for (size_t i = 0; i < g->nkept; i++) bt_arena_free(&g->kept[i]);
    free(g->kept);
    free(g->ids);
    bt_map_free(&g->kinds);
    bt_buf_free(&g->cvi);
    bt_buf_free(&g->cen);
    bt_buf_free(&g->id);
    bt_buf_free(&g->key);
    bt_buf_free(&g->id2);
    for (size_t i = 0; i < g->scap; i++) free(g->seen[i].raw);
    free(g->seen);
    bt_buf_free(&g->place);
    free(g->view->order);
    free(g->view->rows);
    free(g->view);
    free(g);
}

size_t bt_gloss_size(const bt_gloss *g) { return g->n; }

/* The two bits of an item of a sources list in its row's filter, in
 * r->seen[*word]. */
static uint64_t item_bits(const char *s, size_t len, unsigned *word)
{
    uint64_t h = bt_hash_bytes(0, s, len);
    *word = (unsigned)(h >> 63);
    return (uint64_t)1 << (h & 63) | (uint64_t)1 << (h >> 6 & 63);
}

/* Might the list hold the item s? No false "no": every item added went in. */
static int maybe_listed(const row *r, const char *s, size_t len)
{
    unsigned w;
    uint64_t bits = item_bits(s, len, &w);
    return (r->seen[w] & bits) == bits;
}

/* The first ", " in s[0..end), or NULL (memmem costs more than the search
 * on strings this short). */
static const char *comma_space(const char *s, const char *end)
{
    for (const char *p = s; (p = memchr(p, ',', (size_t)(end - p))) != NULL; p++)
        if (p + 1 < end && p[1] == ' ') return p;
    return NULL;
}

/* Note the items of s (split at ", ", as the list is read) in the filter. */
static void note_items(row *r, const char *s, size_t len)
{
    const char *end = s + len;
    for (;;) {
        const char *q = comma_space(s, end);
        size_t n = q ? (size_t)(q - s) : (size_t)(end - s);
        unsigned w;
        uint64_t bits = item_bits(s, n, &w);
        r->seen[w] |= bits;
        if (!q) break;
        s = q + 2;
    }
}

/* The places without the mark. */
static void cut_to_places(row *r)
{
    if (!r->sources.cap) return; /* empty, and plen 0 */
    r->sources.len = r->plen;
    r->sources.ptr[r->plen] = '\0';
}

/* The mark after the places, counting n more left out. */
static void count_more(row *r, unsigned long n)
{
    r->more = r->more + n < r->more ? ULONG_MAX : r->more + n;
    cut_to_places(r);
    bt_places_more_add(&r->sources, ", ", r->more);
}

/* Is s a whole item among the row's places (one search for the text, then
 * its boundaries)? */
static int listed(const row *r, const char *s, size_t len)
{
    const char *base = r->sources.ptr, *end = base + r->plen;
    /* s as a whole item (else no item can equal it) that may be there */
    int whole = !comma_space(s, s + len) && maybe_listed(r, s, len);
    for (const char *p = base; whole && p < end;) {
        const char *q = memmem(p, (size_t)(end - p), s, len);
        if (!q) break;
        int starts = q == base || (q - base >= 2 && q[-2] == ',' && q[-1] == ' ');
        int ends = q + len == end || (end - (q + len) >= 2 && q[len] == ',' && q[len + 1] == ' ');
        if (starts && ends) return 1;
        p = q + 1;
    }
    return 0;
}

/* Add one "file:line" place unless already there; past the bound of
 * BT_GLOSS_MAX_SOURCES places it is counted in the "+N more" mark (the
 * rule of the TMX's x-sources, base.h), and a mark read back adds up. */
static void add_source(row *r, const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t')) { s++; len--; }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
    unsigned long n;
    if (!len) return;
    if (bt_places_more_parse(s, len, &n)) {
        if (n) count_more(r, n);
        return;
    }
    if (listed(r, s, len)) return;
    if (r->nsources >= BT_GLOSS_MAX_SOURCES) {
        count_more(r, 1);
        return;
    }
    cut_to_places(r); /* the mark, if any, is written again after */
    if (r->plen) bt_buf_adds(&r->sources, ", ");
    bt_buf_add(&r->sources, s, len);
    r->plen = r->sources.len;
    note_items(r, s, len);
    r->nsources++;
    if (r->more) {
        count_more(r, 0);
    } else if (r->nsources == BT_GLOSS_MAX_SOURCES && r->sources.cap > r->sources.len + 1) {
        /* the list is complete: give back what doubling reserved (a run
         * over an archive holds one list per distinct term) */
        r->sources.ptr = bt_xrealloc(r->sources.ptr, r->sources.len + 1);
        r->sources.cap = r->sources.len + 1;
    }
}

static void add_sources(row *r, const char *list)
{
    if (!list) return;
    if (!r->sources.cap && *list) {
        /* a row read from a file: its list as long as read, not doubled */
        size_t n = strlen(list) + 1;
        r->sources.ptr = bt_xmalloc(n);
        r->sources.ptr[0] = '\0';
        r->sources.cap = n;
    }
    const char *p = list;
    for (;;) {
        const char *q = strstr(p, ", ");
        size_t n = q ? (size_t)(q - p) : strlen(p);
        add_source(r, p, n);
        if (!q) break;
        p = q + 2;
    }
}

/* kind as kept once by the glossary (a million rows have a few kinds). */
static const char *kind_of(bt_gloss *g, const char *kind)
{
    return bt_map_key(&g->kinds, bt_map_add(&g->kinds, kind, strlen(kind), NULL));
}

static void id_slot(bt_gloss *g, size_t i)
{
    size_t mask = g->nids - 1, h = (size_t)g->rows[i].idhash & mask;
    while (g->ids[h]) h = (h + 1) & mask;
    g->ids[h] = (uint32_t)(i + 1);
}

/* The identity table with room for rows rows at most half full, its rows
 * 0..skip-1 put again when it grew. */
static void id_room(bt_gloss *g, size_t rows, size_t skip)
{
    if (rows * 2 <= g->nids) return;
    size_t c = g->nids ? g->nids : 1024;
    while (rows * 2 > c) c *= 2;
    free(g->ids);
    g->nids = c;
    g->ids = bt_xcalloc(c, sizeof *g->ids);
    gloss_huge(g->ids, c * sizeof *g->ids);
    for (size_t k = 0; k < skip; k++) id_slot(g, k);
}

/* Put row i (the last) in the identity table. */
static void id_put(bt_gloss *g, size_t i)
{
    if (i >= UINT32_MAX) {
        fputs("bitext: a glossary of more than 4 G rows\n", stderr);
        abort();
    }
    id_room(g, g->n, i);
    id_slot(g, i);
}

void gloss_reserve(bt_gloss *g, size_t more)
{
    size_t want = g->n + more;
    if (want > g->cap) { /* exactly: a file's lines are the most it adds */
        g->rows = bt_xrealloc(g->rows, want * sizeof *g->rows);
        gloss_huge(g->rows + g->n, (want - g->n) * sizeof *g->rows);
        g->cap = want;
    }
    /* the rows' strings in big blocks too (about 128 bytes a row) */
    if (more > 65536 && g->strs.chunk < ((size_t)32 << 20)) g->strs.chunk = (size_t)32 << 20;
    id_room(g, want, g->n);
}

/* The identity of (vi, en) into id (and their canonical forms into cvi
 * and cen): lower-case canonical vi TAB lower-case canonical en. */
static void id_into(const char *vi, const char *en, bt_buf *cvi, bt_buf *cen, bt_buf *id)
{
    bt_buf_reset(cvi);
    bt_buf_reset(cen);
    bt_buf_reset(id);
    gloss_canon_lower(vi, strlen(vi), cvi, id);
    bt_buf_addc(id, '\t');
    gloss_canon_lower(en, strlen(en), cen, id);
}

/* The row whose identity is id (of hash), or (size_t)-1: a row of the same
 * hash has its identity made again from its canonical text to compare.
 * id NULL: made from vi and en (whose hash was made ahead) when needed. */
static size_t id_find(bt_gloss *g, const bt_buf *id, uint64_t hash, const char *vi,
                      const char *en)
{
    if (!g->nids) return (size_t)-1;
    size_t mask = g->nids - 1;
    for (size_t h = (size_t)hash & mask; g->ids[h]; h = (h + 1) & mask) {
        const row *r = &g->rows[g->ids[h] - 1];
        if (r->idhash != hash) continue;
        if (!id) {
            id_into(vi, en, &g->cvi, &g->cen, &g->id);
            id = &g->id;
        }
        bt_buf *b = &g->id2;
        bt_buf_reset(b);
        char *lv = bt_gloss_lower(r->vi, strlen(r->vi));
        char *le = bt_gloss_lower(r->en, strlen(r->en));
        bt_buf_adds(b, lv);
        bt_buf_addc(b, '\t');
        bt_buf_adds(b, le);
        free(lv);
        free(le);
        if (b->len == id->len && !memcmp(b->ptr, id->ptr, id->len))
            return (size_t)(g->ids[h] - 1);
    }
    return (size_t)-1;
}

/* vi (from its first letter, as get_row reads it), en and the key of vi
 * together as a row keeps them, in strs: "vi NUL en NUL key NUL". */
static char *row_strings(bt_arena *strs, const bt_buf *cvi, const bt_buf *cen,
                         const bt_buf *key)
{
    const void *was = strs->blocks;
    size_t need = cvi->len + cen->len + key->len + 3;
    char *p = bt_arena_alloc(strs, need, 1);
    if (strs->blocks != was) /* a new block, p its start */
        gloss_huge(p, need > strs->chunk ? need : strs->chunk);
    memcpy(p, cvi->ptr, cvi->len + 1);
    memcpy(p + cvi->len + 1, cen->ptr, cen->len + 1);
    memcpy(p + cvi->len + cen->len + 2, key->ptr, key->len + 1);
    return p;
}

/* a TSV line that starts with # is a comment (for OmegaT too): no term
 * starts with one */
static const char *term_start(const char *vi)
{
    while (*vi == '#' || *vi == ' ' || *vi == '\t') vi++;
    return vi;
}

void gloss_prep_init(gloss_prep_room *room, size_t rows)
{
    bt_buf_init(&room->cvi);
    bt_buf_init(&room->cen);
    bt_buf_init(&room->id);
    bt_buf_init(&room->key);
    /* the rows' strings in big blocks, as gloss_reserve's */
    bt_arena_init(&room->strs, rows > 65536 ? (size_t)32 << 20 : 0);
}

void gloss_prep_free(gloss_prep_room *room)
{
    bt_buf_free(&room->cvi);
    bt_buf_free(&room->cen);
    bt_buf_free(&room->id);
    bt_buf_free(&room->key);
    bt_arena_free(&room->strs);
}

int gloss_prepare(const char *vi, const char *en, gloss_prep_room *room, gloss_prep *out)
{
    id_into(term_start(vi), en, &room->cvi, &room->cen, &room->id);
    out->s = NULL;
    if (!room->cvi.len || !room->cen.len) return 1;
    out->hash = bt_hash_bytes(0, room->id.ptr, room->id.len);
    bt_buf_reset(&room->key);
    bt_gloss_key_vi(room->cvi.ptr, room->cvi.len, &room->key);
    if (room->cvi.len >= UINT32_MAX || room->cen.len >= UINT32_MAX ||
        room->key.len >= UINT32_MAX)
        return 0; /* past what a prep holds: made by get_row */
    out->s = row_strings(&room->strs, &room->cvi, &room->cen, &room->key);
    out->vlen = (uint32_t)room->cvi.len;
    out->elen = (uint32_t)room->cen.len;
    out->klen = (uint32_t)room->key.len;
    return 1;
}

void gloss_prefetch_id(const bt_gloss *g, uint64_t hash, int deep)
{
    if (!g->nids) return;
    const uint32_t *slot = &g->ids[(size_t)hash & (g->nids - 1)];
    if (!deep) __builtin_prefetch(slot);
    else if (*slot) __builtin_prefetch(&g->rows[*slot - 1].idhash);
}

void gloss_keep_strings(bt_gloss *g, gloss_prep_room *room)
{
    if (!room->strs.blocks) return;
    BT_GROW(g->kept, g->kcap, g->nkept + 1);
    g->kept[g->nkept++] = room->strs;
    bt_arena_init(&room->strs, room->strs.chunk);
}

/* Find or make the row of (vi, en); NULL when either side is empty. Its
 * identity (both sides in lower case) and canonical forms are made in
 * scratch buffers, or by gloss_prepare ahead (prep): only a new row keeps
 * a copy. */
static row *get_row(bt_gloss *g, const char *vi, const char *en,
                    const char *kind, const gloss_prep *prep)
{
    if (!vi || !en) return NULL;
    vi = term_start(vi);
    uint64_t hash;
    size_t at;
    if (prep) { /* made ahead; the identity only if a row has its hash */
        if (!prep->s) return NULL;
        hash = prep->hash;
        at = id_find(g, NULL, hash, vi, en);
    } else {
        id_into(vi, en, &g->cvi, &g->cen, &g->id);
        if (!g->cvi.len || !g->cen.len) return NULL;
        hash = bt_hash_bytes(0, g->id.ptr, g->id.len);
        at = id_find(g, &g->id, hash, vi, en);
    }
    if (at != (size_t)-1) return &g->rows[at];
    BT_GROW(g->rows, g->cap, g->n + 1);
    row *r = &g->rows[g->n];
    memset(r, 0, sizeof *r);
    r->idhash = hash;
    if (prep) {
        r->vi = prep->s;
        r->en = prep->s + prep->vlen + 1;
        r->key = prep->s + prep->vlen + prep->elen + 2;
        r->klen = prep->klen;
    } else {
        bt_buf_reset(&g->key);
        bt_gloss_key_vi(g->cvi.ptr, g->cvi.len, &g->key);
        char *p = row_strings(&g->strs, &g->cvi, &g->cen, &g->key);
        r->vi = p;
        r->en = p + g->cvi.len + 1;
        r->key = p + g->cvi.len + g->cen.len + 2;
        r->klen = g->key.len < UINT32_MAX ? (uint32_t)g->key.len : UINT32_MAX;
    }
    r->kind = kind_of(g, kind && *kind ? kind : "title");
    bt_buf_init(&r->sources);
    g->n++;
    id_put(g, g->n - 1);
    return r;
}

static uint64_t hash_pair(const char *vi, const char *en, size_t *vlen, size_t *len)
{
    size_t vl = strlen(vi), el = strlen(en);
    *vlen = vl;
    *len = vl + el + 2;
    return bt_hash_bytes(bt_hash_bytes(0x9E3779B97F4A7C15ULL ^ vl, vi, vl), en, el);
}

static void seen_put(bt_gloss *g, char *raw, size_t vlen, size_t len, uint64_t hash,
                     size_t row_idx)
{
    size_t mask = g->scap - 1, h = (size_t)hash & mask;
    while (g->seen[h].raw) h = (h + 1) & mask;
    g->seen[h] = (seen){ raw, vlen, len, hash, row_idx };
}

/* The row of an observation: from the seen table, or by get_row (and then
 * remembered). NULL when get_row gives none. */
static row *observed_row(bt_gloss *g, const char *vi, const char *en, const char *kind)
{
    if (!vi || !en) return NULL;
    size_t vlen, len;
    uint64_t hash = hash_pair(vi, en, &vlen, &len);
    if (g->scap) {
        size_t mask = g->scap - 1;
        for (size_t h = (size_t)hash & mask; g->seen[h].raw; h = (h + 1) & mask) {
            const seen *x = &g->seen[h];
            if (x->hash == hash && x->vlen == vlen && x->len == len &&
                !memcmp(x->raw, vi, vlen) && !strcmp(x->raw + vlen + 1, en))
                return &g->rows[x->row];
        }
    }
    row *r = get_row(g, vi, en, kind, NULL);
    if (!r) return NULL;
    if ((g->nseen + 1) * 2 > g->scap) {
        seen *old = g->seen;
        size_t ocap = g->scap;
        g->scap = ocap ? ocap * 2 : 64;
        g->seen = bt_xcalloc(g->scap, sizeof *g->seen);
        for (size_t i = 0; i < ocap; i++)
            if (old[i].raw)
                seen_put(g, old[i].raw, old[i].vlen, old[i].len, old[i].hash, old[i].row);
        free(old);
    }
    char *raw = bt_xmalloc(len);
    memcpy(raw, vi, vlen + 1);
    memcpy(raw + vlen + 1, en, len - vlen - 1);
    seen_put(g, raw, vlen, len, hash, (size_t)(r - g->rows));
    g->nseen++;
    return r;
}

void bt_gloss_add(bt_gloss *g, const char *vi, const char *en,
                  const char *kind, const char *file, unsigned long line)
{
    row *r = observed_row(g, vi, en, kind);
    if (!r) return;
    r->count++;
    if (file) { /* past the bound, counted as "+N more" */
        bt_buf *place = &g->place;
        bt_buf_reset(place);
        bt_buf_adds(place, file);
        if (line) {
            char tmp[24], *e = tmp + sizeof tmp, *q = e;
            do *--q = (char)('0' + line % 10); while ((line /= 10));
            *--q = ':';
            bt_buf_add(place, q, (size_t)(e - q));
        }
        add_source(r, place->ptr, place->len);
    }
    g->view->valid = 0;
}

void bt_gloss_add_terms(bt_gloss *g, const bt_align_result *res, const char *file)
{
    for (size_t i = 0; i < res->nterms; i++) {
        const bt_term *t = &res->terms[i];
        bt_gloss_add(g, t->vi, t->en, bt_term_kind_name(t->kind), file, t->vi_line);
    }
}

static row *add_row(bt_gloss *g, const char *vi, const char *en,
                    const char *kind, unsigned long count,
                    const char *sources, int official, const gloss_prep *prep)
{
    row *r = get_row(g, vi, en, kind, prep);
    if (!r) return NULL;
    r->count += count;
    if (kind && *kind && strcmp(r->kind, kind)) {
        r->kind = kind_of(g, kind);
    }
    add_sources(r, sources);
    if (official) r->official = 1;
    g->view->valid = 0;
    return r;
}

void bt_gloss_add_row(bt_gloss *g, const char *vi, const char *en,
                      const char *kind, unsigned long count,
                      const char *sources, int official)
{
    add_row(g, vi, en, kind, count, sources, official, NULL);
}

void gloss_add_row_prep(bt_gloss *g, const char *vi, const char *en, const char *kind,
                        unsigned long count, const char *sources, int official,
                        const gloss_prep *prep)
{
    add_row(g, vi, en, kind, count, sources, official, prep);
}

static void lexicon_row(void *ud, const char *vi, const char *en,
                        bt_term_kind kind, int preferred, const char *source)
{
    (void)source;
    row *r = add_row(ud, vi, en, bt_term_kind_name(kind), 0, "lexicon", preferred, NULL);
    if (r && r->standing != BT_STANDING_PREFERRED)
        r->standing = preferred ? BT_STANDING_PREFERRED : BT_STANDING_ADMITTED;
}

void bt_gloss_add_lexicon(bt_gloss *g, const bt_lexicon *lex)
{
    if (lex) bt_lexicon_each(lex, lexicon_row, g);
}

/* ---- standing against the lexicon --------------------------------------- */

/* The lexicon's renderings by "vi key TAB en key" (preferred or not), and
 * the titles and bodies it knows by vi key, with their official rendering. */
struct bt_gloss_marks {
    bt_map pairs, known;
    unsigned char *preferred;  /* per pairs entry */
    size_t cap;
    char **official;           /* per known entry: the preferred rendering */
    size_t ocap;
    bt_term_kind *kind;
    size_t kcap;
    bt_buf key;
};

/* "vi key TAB en key" into b, from vi's exact key k. */
static void pair_key(bt_buf *b, const char *k, const char *en)
{
    bt_buf_reset(b);
    bt_buf_adds(b, k);
    bt_buf_addc(b, '\t');
    bt_gloss_key_en(en, strlen(en), b);
}

static void standing_row(void *ud, const char *vi, const char *en,
                         bt_term_kind kind, int preferred, const char *source)
{
    (void)source;
    bt_gloss_marks *t = ud;
    int fresh;
    char *k = bt_gloss_exact_key(vi, strlen(vi), 0);
    pair_key(&t->key, k, en);
    size_t at = bt_map_add(&t->pairs, t->key.ptr, t->key.len, &fresh);
    if (fresh) {
        BT_GROW(t->preferred, t->cap, at + 1);
        t->preferred[at] = 0;
    }
    if (preferred) t->preferred[at] = 1;
    /* names and places have one rendering each: another spelling of a name
     * is no deprecated form (check does not report them either) */
    if (kind != BT_TERM_TITLE && kind != BT_TERM_BODY) {
        free(k);
        return;
    }
    size_t ki = bt_map_add(&t->known, k, strlen(k), &fresh);
    free(k);
    if (fresh) {
        BT_GROW(t->official, t->ocap, ki + 1);
        BT_GROW(t->kind, t->kcap, ki + 1);
        t->official[ki] = NULL;
        t->kind[ki] = kind;
    }
    if (preferred && !t->official[ki]) t->official[ki] = bt_xstrdup(en);
}

bt_gloss_marks *bt_gloss_marks_new(const bt_lexicon *lex)
{
    if (!lex) return NULL;
    bt_gloss_marks *t = bt_xcalloc(1, sizeof *t);
    bt_map_init(&t->pairs);
    bt_map_init(&t->known);
    bt_buf_init(&t->key);
    bt_lexicon_each(lex, standing_row, t);
    return t;
}

void bt_gloss_marks_free(bt_gloss_marks *t)
{
    if (!t) return;
    for (size_t i = 0; i < bt_map_size(&t->known); i++) free(t->official[i]);
    free(t->official);
    free(t->kind);
    bt_map_free(&t->pairs);
    bt_map_free(&t->known);
    free(t->preferred);
    bt_buf_free(&t->key);
    free(t);
}

void bt_gloss_mark_with(bt_gloss *g, const bt_gloss_marks *t)
{
    if (!t) return;
    /* terms seen only in other words get their official rendering as a row
     * of its own (count 0, source "lexicon"), listed first */
    size_t *missing = bt_xmalloc((g->n ? g->n : 1) * sizeof *missing);
    size_t *missing_ki = bt_xmalloc((g->n ? g->n : 1) * sizeof *missing_ki);
    unsigned char *has_official = bt_xcalloc(bt_map_size(&t->known) + 1, 1);
    size_t nmissing = 0, n = g->n;
    bt_buf key;
    bt_buf_init(&key);
    for (size_t i = 0; i < n; i++) {
        row *r = &g->rows[i];
        char *k = bt_gloss_exact_key(r->vi, strlen(r->vi), 0);
        size_t ki = bt_map_find(&t->known, k, strlen(k));
        pair_key(&key, k, r->en);
        free(k);
        size_t at = bt_map_find(&t->pairs, key.ptr, key.len);
        if (at != BT_MAP_NONE) {
            r->standing = t->preferred[at] ? BT_STANDING_PREFERRED : BT_STANDING_ADMITTED;
            if (t->preferred[at]) r->official = 1;
        } else {
            r->standing = ki != BT_MAP_NONE ? BT_STANDING_DEPRECATED : BT_STANDING_NONE;
        }
        if (ki == BT_MAP_NONE || !t->official[ki]) continue;
        if (r->standing == BT_STANDING_PREFERRED) {
            has_official[ki] = 1;
        } else {
            missing_ki[nmissing] = ki;
            missing[nmissing++] = i;
        }
    }
    bt_buf_free(&key);
    for (size_t j = 0; j < nmissing; j++) {
        const row *r = &g->rows[missing[j]];
        size_t ki = missing_ki[j];
        if (has_official[ki]) continue;
        has_official[ki] = 1;
        char *vi = bt_xstrdup(r->vi); /* rows move as one is added */
        row *o = get_row(g, vi, t->official[ki], bt_term_kind_name(t->kind[ki]), NULL);
        free(vi);
        if (!o) continue;
        add_sources(o, "lexicon");
        o->official = 1;
        o->standing = BT_STANDING_PREFERRED;
    }
    g->view->valid = 0;
    free(missing);
    free(missing_ki);
    free(has_official);
}

void bt_gloss_mark_lexicon(bt_gloss *g, const bt_lexicon *lex)
{
    bt_gloss_marks *t = bt_gloss_marks_new(lex);
    bt_gloss_mark_with(g, t);
    bt_gloss_marks_free(t);
}

const char *bt_gloss_standing_name(bt_gloss_standing s)
{
    switch (s) {
    case BT_STANDING_PREFERRED: return "official";
    case BT_STANDING_ADMITTED: return "variant";
    case BT_STANDING_DEPRECATED: return "deprecated";
    case BT_STANDING_NONE: break;
    }
    return "";
}

/* ---- order ------------------------------------------------------------ */

/* Two rows of the same key: the official rendering first, however rarely
 * it was seen, then the most seen, then by en and vi (which tell every two
 * rows apart). */
static int row_tie(void *ctx, uint32_t a, uint32_t b)
{
    const bt_gloss *g = ctx;
    const row *x = &g->rows[a], *y = &g->rows[b];
    int c;
    if (x->official != y->official) return x->official ? -1 : 1;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    if ((c = strcmp(x->en, y->en))) return c;
    return strcmp(x->vi, y->vi);
}

static const char *row_key(void *ctx, uint32_t i)
{
    const bt_gloss *g = ctx;
    return g->rows[i].key;
}

void gloss_sort_rows(const bt_gloss *g, gloss_sort_ent *a, gloss_sort_ent *tmp)
{
    for (size_t i = 0; i < g->n; i++) a[i].i = (uint32_t)i;
    gloss_keysort(a, tmp, g->n, row_key, row_tie, (void *)(uintptr_t)g);
}

void gloss_fields_of(const bt_gloss *g, uint32_t r, gloss_fields *out)
{
    const row *x = &g->rows[r];
    /* vi NUL en NUL key NUL, together */
    out->f[0] = x->key;
    out->f[1] = x->vi;
    out->f[2] = x->en;
    out->f[3] = x->kind;
    out->f[4] = x->sources.ptr;
    out->len[1] = (size_t)(x->en - x->vi) - 1;
    out->len[2] = (size_t)(x->key - x->en) - 1;
    out->len[0] = x->klen < UINT32_MAX ? x->klen : strlen(x->key);
    out->len[3] = strlen(x->kind);
    out->len[4] = x->sources.len;
    out->count = x->count;
    out->official = x->official;
}

const char *gloss_en_of(const bt_gloss *g, uint32_t r, size_t *len)
{
    const row *x = &g->rows[r];
    *len = (size_t)(x->key - x->en) - 1;
    return x->en;
}

void gloss_prefetch_row(const bt_gloss *g, uint32_t r, int strings)
{
    const row *x = &g->rows[r];
    if (!strings) {
        __builtin_prefetch(x);
        __builtin_prefetch((const char *)x + 64);
        return;
    }
    /* vi, en and key: about two lines; the sources apart */
    __builtin_prefetch(x->vi);
    __builtin_prefetch(x->vi + 64);
    __builtin_prefetch(x->key);
    __builtin_prefetch(x->sources.ptr);
}

static void make_view(const bt_gloss *g)
{
    view *v = g->view;
    if (v->valid) return;
    free(v->order);
    free(v->rows);
    v->order = bt_xmalloc((g->n ? g->n : 1) * sizeof *v->order);
    v->rows = bt_xmalloc((g->n ? g->n : 1) * sizeof *v->rows);
    gloss_sort_ent *e = bt_xmalloc((g->n ? g->n : 1) * 2 * sizeof *e);
    gloss_huge(v->order, g->n * sizeof *v->order);
    gloss_huge(v->rows, g->n * sizeof *v->rows);
    gloss_huge(e, 2 * g->n * sizeof *e);
    gloss_sort_rows(g, e, e + g->n);
    for (size_t i = 0; i < g->n; i++) {
        v->order[i] = e[i].i;
        const row *r = &g->rows[e[i].i];
        bt_gloss_row *o = &v->rows[i];
        o->vi = r->vi;
        o->en = r->en;
        o->kind = r->kind;
        o->count = r->count;
        o->sources = r->sources.ptr;
        o->official = r->official;
    }
    free(e);
    v->valid = 1;
}

const bt_gloss_row *bt_gloss_row_at(const bt_gloss *g, size_t i)
{
    if (i >= g->n) return NULL;
    make_view(g);
    return &g->view->rows[i];
}

const char *gloss_key_at(const bt_gloss *g, size_t i)
{
    if (i >= g->n) return NULL;
    make_view(g);
    return g->rows[g->view->order[i]].key;
}

bt_gloss_standing bt_gloss_standing_at(const bt_gloss *g, size_t i)
{
    if (i >= g->n) return BT_STANDING_NONE;
    make_view(g);
    return (bt_gloss_standing)g->rows[g->view->order[i]].standing;
}
