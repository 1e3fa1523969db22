/* gloss.c - the glossary model: distinct (vi, en) rows with counts and
 * sources, in a deterministic order; TSV/CSV/JSON/TBX input and output. */
#include "gloss.h"
#include "../corpus/corpus.h"
#include "../tmx/tmx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <jansson.h>

typedef struct row {
    char *vi, *en, *kind;
    char *key;           /* bt_gloss_key_vi(vi): the sort key */
    unsigned long count;
    bt_buf sources;      /* "a:1, b:2" */
    uint64_t seen[2];    /* a Bloom filter of the items of sources */
    unsigned nsources;
    int official;
    int standing;        /* bt_gloss_standing, set by bt_gloss_mark_lexicon */
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
    bt_map ids;          /* lower-case vi TAB lower-case en, a row's
                            identity -> its index */
    seen *seen;          /* open addressing, raw == NULL empty */
    size_t nseen, scap;  /* scap a power of two */
    bt_buf place;        /* scratch: "file:line" */
    view *view;
};

bt_gloss *bt_gloss_new(void)
{
    bt_gloss *g = bt_xcalloc(1, sizeof *g);
    g->view = bt_xcalloc(1, sizeof *g->view);
    bt_map_init(&g->ids);
    bt_buf_init(&g->place);
    return g;
}

void bt_gloss_free(bt_gloss *g)
{
    if (!g) return;
    for (size_t i = 0; i < g->n; i++) {
        row *r = &g->rows[i];
        free(r->vi);
        free(r->en);
        free(r->kind);
        free(r->key);
        bt_buf_free(&r->sources);
    }
    free(g->rows);
    bt_map_free(&g->ids);
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

/* Add one "file:line" place unless already there or the list is full. */
static void add_source(row *r, const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t')) { s++; len--; }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
    if (!len || r->nsources >= BT_GLOSS_MAX_SOURCES) return;
    /* already listed: s as a whole item of "a, b, c" (one search for the
     * text, then its boundaries) */
    const char *base = r->sources.ptr, *end = base + r->sources.len;
    /* s as a whole item (else no item can equal it) that may be there */
    int whole = !comma_space(s, s + len) && maybe_listed(r, s, len);
    for (const char *p = base; whole && p < end;) {
        const char *q = memmem(p, (size_t)(end - p), s, len);
        if (!q) break;
        int starts = q == base || (q - base >= 2 && q[-2] == ',' && q[-1] == ' ');
        int ends = q + len == end || (end - (q + len) >= 2 && q[len] == ',' && q[len + 1] == ' ');
        if (starts && ends) return;
        p = q + 1;
    }
    if (r->sources.len) bt_buf_adds(&r->sources, ", ");
    bt_buf_add(&r->sources, s, len);
    note_items(r, s, len);
    r->nsources++;
    /* the list is complete: give back what doubling reserved (a run over
     * an archive holds one list per distinct term) */
    if (r->nsources == BT_GLOSS_MAX_SOURCES && r->sources.cap > r->sources.len + 1) {
        r->sources.ptr = bt_xrealloc(r->sources.ptr, r->sources.len + 1);
        r->sources.cap = r->sources.len + 1;
    }
}

static void add_sources(row *r, const char *list)
{
    if (!list) return;
    const char *p = list;
    for (;;) {
        const char *q = strstr(p, ", ");
        size_t n = q ? (size_t)(q - p) : strlen(p);
        add_source(r, p, n);
        if (!q) break;
        p = q + 2;
    }
}

/* Find or make the row of (vi, en); NULL when either side is empty. */
static row *get_row(bt_gloss *g, const char *vi, const char *en,
                    const char *kind)
{
    if (!vi || !en) return NULL;
    /* a TSV line that starts with # is a comment (for OmegaT too): no term
     * starts with one */
    while (*vi == '#' || *vi == ' ' || *vi == '\t') vi++;
    char *cvi = bt_gloss_vi_canon(vi, strlen(vi));
    char *cen = bt_gloss_vi_canon(en, strlen(en));
    if (!*cvi || !*cen) {
        free(cvi);
        free(cen);
        return NULL;
    }
    char *lvi = bt_gloss_lower(cvi, strlen(cvi));
    char *len_ = bt_gloss_lower(cen, strlen(cen));
    bt_buf id;
    bt_buf_init(&id);
    bt_buf_adds(&id, lvi);
    bt_buf_addc(&id, '\t');
    bt_buf_adds(&id, len_);
    free(lvi);
    free(len_);
    int fresh;
    size_t at = bt_map_add(&g->ids, id.ptr, id.len, &fresh);
    bt_buf_free(&id);
    if (!fresh) {
        free(cvi);
        free(cen);
        return &g->rows[at];
    }
    BT_GROW(g->rows, g->cap, g->n + 1);
    row *r = &g->rows[g->n]; /* at == g->n: rows and identities in step */
    memset(r, 0, sizeof *r);
    r->vi = cvi;
    r->en = cen;
    r->kind = bt_xstrdup(kind && *kind ? kind : "title");
    bt_buf b;
    bt_buf_init(&b);
    bt_gloss_key_vi(cvi, strlen(cvi), &b);
    r->key = bt_buf_detach(&b);
    bt_buf_init(&r->sources);
    g->n++;
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
    row *r = get_row(g, vi, en, kind);
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
    if (file && r->nsources < BT_GLOSS_MAX_SOURCES) { /* a full list takes no more */
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
                    const char *sources, int official)
{
    row *r = get_row(g, vi, en, kind);
    if (!r) return NULL;
    r->count += count;
    if (kind && *kind && strcmp(r->kind, kind)) {
        free(r->kind);
        r->kind = bt_xstrdup(kind);
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
    add_row(g, vi, en, kind, count, sources, official);
}

static void lexicon_row(void *ud, const char *vi, const char *en,
                        bt_term_kind kind, int preferred, const char *source)
{
    (void)source;
    row *r = add_row(ud, vi, en, bt_term_kind_name(kind), 0, "lexicon", preferred);
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
typedef struct standing_table {
    bt_map pairs, known;
    unsigned char *preferred;  /* per pairs entry */
    size_t cap;
    char **official;           /* per known entry: the preferred rendering */
    size_t ocap;
    bt_term_kind *kind;
    size_t kcap;
    bt_buf key;
} standing_table;

static void pair_key(bt_buf *b, const char *vi, const char *en)
{
    bt_buf_reset(b);
    char *k = bt_gloss_exact_key(vi, strlen(vi), 0);
    bt_buf_adds(b, k);
    free(k);
    bt_buf_addc(b, '\t');
    bt_gloss_key_en(en, strlen(en), b);
}

static void standing_row(void *ud, const char *vi, const char *en,
                         bt_term_kind kind, int preferred, const char *source)
{
    (void)source;
    standing_table *t = ud;
    int fresh;
    pair_key(&t->key, vi, en);
    size_t at = bt_map_add(&t->pairs, t->key.ptr, t->key.len, &fresh);
    if (fresh) {
        BT_GROW(t->preferred, t->cap, at + 1);
        t->preferred[at] = 0;
    }
    if (preferred) t->preferred[at] = 1;
    /* names and places have one rendering each: another spelling of a name
     * is no deprecated form (check does not report them either) */
    if (kind != BT_TERM_TITLE && kind != BT_TERM_BODY) return;
    char *k = bt_gloss_exact_key(vi, strlen(vi), 0);
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

void bt_gloss_mark_lexicon(bt_gloss *g, const bt_lexicon *lex)
{
    if (!lex) return;
    standing_table t;
    memset(&t, 0, sizeof t);
    bt_map_init(&t.pairs);
    bt_map_init(&t.known);
    bt_buf_init(&t.key);
    bt_lexicon_each(lex, standing_row, &t);
    /* terms seen only in other words get their official rendering as a row
     * of its own (count 0, source "lexicon"), listed first */
    size_t *missing = bt_xmalloc((g->n ? g->n : 1) * sizeof *missing);
    unsigned char *has_official = bt_xcalloc(bt_map_size(&t.known) + 1, 1);
    size_t nmissing = 0, n = g->n;
    for (size_t i = 0; i < n; i++) {
        row *r = &g->rows[i];
        char *k = bt_gloss_exact_key(r->vi, strlen(r->vi), 0);
        size_t ki = bt_map_find(&t.known, k, strlen(k));
        free(k);
        pair_key(&t.key, r->vi, r->en);
        size_t at = bt_map_find(&t.pairs, t.key.ptr, t.key.len);
        if (at != BT_MAP_NONE) {
            r->standing = t.preferred[at] ? BT_STANDING_PREFERRED : BT_STANDING_ADMITTED;
            if (t.preferred[at]) r->official = 1;
        } else {
            r->standing = ki != BT_MAP_NONE ? BT_STANDING_DEPRECATED : BT_STANDING_NONE;
        }
        if (ki == BT_MAP_NONE || !t.official[ki]) continue;
        if (r->standing == BT_STANDING_PREFERRED) has_official[ki] = 1;
        else missing[nmissing++] = i;
    }
    for (size_t j = 0; j < nmissing; j++) {
        const row *r = &g->rows[missing[j]];
        char *k = bt_gloss_exact_key(r->vi, strlen(r->vi), 0);
        size_t ki = bt_map_find(&t.known, k, strlen(k));
        free(k);
        if (has_official[ki]) continue;
        has_official[ki] = 1;
        char *vi = bt_xstrdup(r->vi); /* rows move as one is added */
        row *o = get_row(g, vi, t.official[ki], bt_term_kind_name(t.kind[ki]));
        free(vi);
        if (!o) continue;
        add_sources(o, "lexicon");
        o->official = 1;
        o->standing = BT_STANDING_PREFERRED;
    }
    g->view->valid = 0;
    free(missing);
    free(has_official);
    for (size_t i = 0; i < bt_map_size(&t.known); i++) free(t.official[i]);
    free(t.official);
    free(t.kind);
    bt_map_free(&t.pairs);
    bt_map_free(&t.known);
    free(t.preferred);
    bt_buf_free(&t.key);
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

static int cmp_order(const void *a, const void *b, void *ctx)
{
    const row *rows = ctx;
    const row *x = &rows[*(const size_t *)a];
    const row *y = &rows[*(const size_t *)b];
    int c = strcmp(x->key, y->key);
    if (c) return c;
    /* the official rendering first, however rarely it was seen */
    if (x->official != y->official) return x->official ? -1 : 1;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    if ((c = strcmp(x->en, y->en))) return c;
    return strcmp(x->vi, y->vi);
}

static void make_view(const bt_gloss *g)
{
    view *v = g->view;
    if (v->valid) return;
    free(v->order);
    free(v->rows);
    v->order = bt_xmalloc((g->n ? g->n : 1) * sizeof *v->order);
    v->rows = bt_xmalloc((g->n ? g->n : 1) * sizeof *v->rows);
    for (size_t i = 0; i < g->n; i++) v->order[i] = i;
    qsort_r(v->order, g->n, sizeof *v->order, cmp_order, g->rows);
    for (size_t i = 0; i < g->n; i++) {
        const row *r = &g->rows[v->order[i]];
        bt_gloss_row *o = &v->rows[i];
        o->vi = r->vi;
        o->en = r->en;
        o->kind = r->kind;
        o->count = r->count;
        o->sources = r->sources.ptr;
        o->official = r->official;
    }
    v->valid = 1;
}

const bt_gloss_row *bt_gloss_row_at(const bt_gloss *g, size_t i)
{
    if (i >= g->n) return NULL;
    make_view(g);
    return &g->view->rows[i];
}

bt_gloss_standing bt_gloss_standing_at(const bt_gloss *g, size_t i)
{
    if (i >= g->n) return BT_STANDING_NONE;
    make_view(g);
    return (bt_gloss_standing)g->rows[g->view->order[i]].standing;
}

/* ---- writing ------------------------------------------------------------ */

int bt_gloss_format_parse(const char *name)
{
    if (!strcmp(name, "tsv")) return BT_GLOSS_TSV;
    if (!strcmp(name, "csv")) return BT_GLOSS_CSV;
    if (!strcmp(name, "json")) return BT_GLOSS_JSON;
    if (!strcmp(name, "tbx")) return BT_GLOSS_TBX;
    /* OmegaT's own extensions for its tab-separated glossaries */
    if (!strcmp(name, "omegat") || !strcmp(name, "txt") || !strcmp(name, "utf8"))
        return BT_GLOSS_OMEGAT;
    return -1;
}

/* A TSV field: tabs and line breaks would break the row. Written by runs
 * (a putc per byte cost 17 M instructions for a 2,000-row glossary). */
static void put_tsv_field(FILE *fp, const char *s)
{
    for (;;) {
        size_t n = strcspn(s, "\t\n\r");
        fwrite(s, 1, n, fp);
        if (!s[n]) return;
        putc(' ', fp);
        s += n + 1;
    }
}

static void put_csv_field(FILE *fp, const char *s)
{
    if (!strpbrk(s, ",\"\n\r") && *s != ' ') {
        fputs(s, fp);
        return;
    }
    putc('"', fp);
    for (; *s; s++) {
        if (*s == '"') putc('"', fp);
        putc(*s, fp);
    }
    putc('"', fp);
}

/* The rows as delimited text: TSV (a '#' header, which OmegaT skips) or
 * CSV; put writes one field, quoted or cleaned as the format needs. */
static int write_delimited(const bt_gloss *g, FILE *fp, const char *header, char sep,
                           void (*put)(FILE *, const char *))
{
    fputs(header, fp);
    for (size_t i = 0; i < g->n; i++) {
        const bt_gloss_row *r = bt_gloss_row_at(g, i);
        put(fp, r->vi);
        putc(sep, fp);
        put(fp, r->en);
        putc(sep, fp);
        put(fp, r->kind);
        fprintf(fp, "%c%lu%c", sep, r->count, sep);
        put(fp, r->sources);
        putc('\n', fp); /* \n as every text bitext writes (RFC 4180 readers accept it) */
    }
    return ferror(fp) ? -1 : 0;
}

static int write_tsv(const bt_gloss *g, FILE *fp)
{
    return write_delimited(g, fp, "# vi\ten\tkind\tcount\tsources\n", '\t', put_tsv_field);
}

static int write_csv(const bt_gloss *g, FILE *fp)
{
    return write_delimited(g, fp, "vi,en,kind,count,sources\n", ',', put_csv_field);
}

/* OmegaT's tab-separated glossary: source, target, comment. A BOM, so that
 * OmegaT reads a .txt as UTF-8 whatever the system's encoding; a '#'
 * header, which OmegaT skips. The comment says what a translator weighs:
 * kind, standing, count and where the term was seen. */
static int write_omegat(const bt_gloss *g, FILE *fp)
{
    fputs("\xEF\xBB\xBF# bitext glossary for OmegaT: vi\ten\tcomment (kind; official, "
          "variant or deprecated; count; sources)\n", fp);
    for (size_t i = 0; i < g->n; i++) {
        const bt_gloss_row *r = bt_gloss_row_at(g, i);
        bt_gloss_standing st = bt_gloss_standing_at(g, i);
        put_tsv_field(fp, r->vi);
        putc('\t', fp);
        put_tsv_field(fp, r->en);
        putc('\t', fp);
        put_tsv_field(fp, r->kind);
        if (st != BT_STANDING_NONE) fprintf(fp, "; %s", bt_gloss_standing_name(st));
        else if (r->official) fputs("; official", fp);
        if (r->count) fprintf(fp, "; count %lu", r->count);
        if (*r->sources) {
            fputs("; ", fp);
            put_tsv_field(fp, r->sources);
        }
        putc('\n', fp);
    }
    return ferror(fp) ? -1 : 0;
}

/* An array of sources from "a:1, b:2". */
static json_t *sources_json(const char *list)
{
    json_t *a = json_array();
    const char *p = list;
    while (*p) {
        const char *q = strstr(p, ", ");
        size_t n = q ? (size_t)(q - p) : strlen(p);
        json_array_append_new(a, json_stringn(p, n));
        if (!q) break;
        p = q + 2;
    }
    return a;
}

static int write_json(const bt_gloss *g, FILE *fp)
{
    fputs("[", fp);
    for (size_t i = 0; i < g->n; i++) {
        const bt_gloss_row *r = bt_gloss_row_at(g, i);
        json_t *o = json_object();
        json_object_set_new(o, "vi", json_string(r->vi));
        json_object_set_new(o, "en", json_string(r->en));
        json_object_set_new(o, "kind", json_string(r->kind));
        json_object_set_new(o, "count", json_integer((json_int_t)r->count));
        json_object_set_new(o, "official", json_boolean(r->official));
        json_object_set_new(o, "sources", sources_json(r->sources));
        fputs(i ? ",\n  " : "\n  ", fp);
        int rc = json_dumpf(o, fp, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        if (rc) return -1;
    }
    fputs(g->n ? "\n]\n" : "]\n", fp);
    return ferror(fp) ? -1 : 0;
}

int bt_gloss_write_fp(const bt_gloss *g, bt_gloss_format f, FILE *fp)
{
    switch (f) {
    case BT_GLOSS_TSV: return write_tsv(g, fp);
    case BT_GLOSS_CSV: return write_csv(g, fp);
    case BT_GLOSS_JSON: return write_json(g, fp);
    case BT_GLOSS_OMEGAT: return write_omegat(g, fp);
    case BT_GLOSS_TBX: break;
    }
    errno = EINVAL;
    return -1;
}

static int write_atomic(const bt_gloss *g, bt_gloss_format f, const char *path)
{
    bt_outfile *o = bt_outfile_open(path);
    if (!o) return -1;
    if (bt_gloss_write_fp(g, f, bt_outfile_fp(o)) != 0) {
        int e = errno ? errno : EIO;
        bt_outfile_abort(o);
        errno = e;
        return -1;
    }
    return bt_outfile_commit(o);
}

int bt_gloss_write_tsv(const bt_gloss *g, const char *path)
{
    return write_atomic(g, BT_GLOSS_TSV, path);
}

int bt_gloss_write_csv(const bt_gloss *g, const char *path)
{
    return write_atomic(g, BT_GLOSS_CSV, path);
}

int bt_gloss_write_json(const bt_gloss *g, const char *path)
{
    return write_atomic(g, BT_GLOSS_JSON, path);
}

int bt_gloss_write_omegat(const bt_gloss *g, const char *path)
{
    return write_atomic(g, BT_GLOSS_OMEGAT, path);
}

/* TBX-Basic's administrativeStatus values. */
static const char *tbx_status(bt_gloss_standing s)
{
    switch (s) {
    case BT_STANDING_PREFERRED: return "preferredTerm-admn-sts";
    case BT_STANDING_ADMITTED: return "admittedTerm-admn-sts";
    case BT_STANDING_DEPRECATED: return "deprecatedTerm-admn-sts";
    case BT_STANDING_NONE: break;
    }
    return NULL;
}

int bt_gloss_write_tbx(const bt_gloss *g, const char *path)
{
    return bt_gloss_write_tbx_langs(g, path, NULL, NULL);
}

int bt_gloss_write_tbx_langs(const bt_gloss *g, const char *path,
                             const char *lang_vi, const char *lang_en)
{
    bt_tmx_write_opts o = { .lang_vi = lang_vi, .lang_en = lang_en };
    bt_tbx_entry *e = bt_xmalloc((g->n ? g->n : 1) * sizeof *e);
    const char **st = bt_xmalloc((g->n ? g->n : 1) * sizeof *st);
    for (size_t i = 0; i < g->n; i++) {
        const bt_gloss_row *r = bt_gloss_row_at(g, i);
        e[i].vi = r->vi;
        e[i].en = r->en;
        e[i].kind = r->kind;
        e[i].count = r->count > 0xFFFFFFFFUL ? 0xFFFFFFFFU : (unsigned)r->count;
        e[i].sources = *r->sources ? r->sources : NULL;
        st[i] = tbx_status(bt_gloss_standing_at(g, i));
    }
    int rc = bt_tbx_write_opts(path, e, st, g->n, &o);
    free(st);
    free(e);
    return rc;
}

int bt_gloss_write(const bt_gloss *g, bt_gloss_format f, const char *path)
{
    if (f == BT_GLOSS_TBX) return bt_gloss_write_tbx(g, path);
    return write_atomic(g, f, path);
}

/* ---- reading ------------------------------------------------------------ */

/* Trim spaces in place; returns the start. */
static char *trim(char *s, char *end)
{
    while (s < end && (*s == ' ' || *s == '\t')) s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t')) end--;
    *end = '\0';
    return s;
}

/* Replace, in place, what no glossary term may hold and no terminal or XML
 * file should receive (bt_text_repair: controls and noncharacters, each by
 * a space). *n is the valid UTF-8 line's length, updated. Returns the first
 * code point replaced, or -1. */
static int32_t clean_controls(char *line, size_t *n)
{
    int32_t first;
    *n = bt_text_repair(line, line, *n, 0, &first);
    line[*n] = '\0';
    return first;
}

/* A header row without '#' ("vi<TAB>en", "source<TAB>target", as
 * spreadsheets write them): not a term. */
static int is_header_row(const char *vi, const char *en)
{
    static const char *const src[] = { "vi", "vietnamese", "source", "term", "src" };
    static const char *const tgt[] = { "en", "english", "target", "translation", "tgt" };
    int a = 0, b = 0;
    for (size_t i = 0; i < sizeof src / sizeof *src; i++) a |= !strcasecmp(vi, src[i]);
    for (size_t i = 0; i < sizeof tgt / sizeof *tgt; i++) b |= !strcasecmp(en, tgt[i]);
    return a && b;
}

static int is_kind(const char *s, size_t n)
{
    static const char *const kinds[] = { "title", "name", "place", "body" };
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (strlen(kinds[i]) == n && !strncmp(s, kinds[i], n)) return 1;
    return 0;
}

/* The third column of a three-column (OmegaT) glossary is a comment, not a
 * kind. Ours reads "KIND; official|variant|deprecated; count N; SOURCES"
 * (write_omegat): its parts are taken back; any other comment gives no
 * kind. */
static void omegat_comment(char *c, const char **kind, unsigned long *count,
                           const char **sources, int *official)
{
    *kind = NULL;
    *sources = NULL;
    char *p = c;
    for (int part = 0; *p; part++) {
        char *semi = strstr(p, "; ");
        size_t n = semi ? (size_t)(semi - p) : strlen(p);
        char *next = semi ? semi + 2 : p + n;
        if (part == 0) {
            if (!is_kind(p, n)) return; /* a comment of the user's own */
            p[n] = '\0';
            *kind = p;
            *count = 0; /* ours says "count N" only when seen */
        } else if (n == 8 && !strncmp(p, "official", 8)) {
            *official = 1;
        } else if ((n == 7 && !strncmp(p, "variant", 7)) ||
                   (n == 10 && !strncmp(p, "deprecated", 10))) {
            /* the standing is the lexicon's to say again */
        } else if (n > 6 && !strncmp(p, "count ", 6) && p[6] >= '0' && p[6] <= '9') {
            *count = strtoul(p + 6, NULL, 10);
        } else {
            *sources = p; /* the rest, places joined by ", " */
            return;
        }
        p = next;
    }
}

int bt_gloss_read_tsv_mem(bt_gloss *g, const char *name, const char *data,
                          size_t len, bt_diag_fn diag, void *ud)
{
    int first = 1;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) { data += 3; len -= 3; }
    char *line = NULL;
    size_t cap = 0;
    unsigned long lineno = 0;
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(data + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (data + i)) : len - i;
        const char *s = data + i;
        i += n + (nl ? 1 : 0);
        lineno++;
        if (n && s[n - 1] == '\r') n--;
        if (!n || s[0] == '#') continue;
        size_t bad = bt_utf8_invalid_at(s, n);
        if (bad != (size_t)-1) {
            bt_report(diag, ud, BT_ERR_UTF8, 0, name, lineno,
                      "invalid UTF-8 at byte %zu; line skipped", bad + 1);
            continue;
        }
        BT_GROW(line, cap, n + 1);
        memcpy(line, s, n);
        line[n] = '\0';
        int32_t bad_cp = clean_controls(line, &n);
        if (bad_cp >= 0)
            bt_report(diag, ud, BT_ERR_FORMAT, 1, name, lineno,
                      "control character U+%04X replaced", (unsigned)bad_cp);
        char *f[5] = { NULL, NULL, NULL, NULL, NULL };
        size_t nf = 0;
        char *p = line, *end = line + n;
        while (nf < 5) {
            char *t = memchr(p, '\t', (size_t)(end - p));
            char *fe = t ? t : end;
            f[nf++] = p;
            if (!t) { *fe = '\0'; break; }
            *fe = '\0';
            p = fe + 1;
        }
        if (nf < 2) {
            int blank = 1;
            for (char *c = line; *c; c++)
                if (*c != ' ' && *c != '\t') blank = 0;
            if (!blank)
                bt_report(diag, ud, BT_ERR_FORMAT, 0, name, lineno,
                          "expected vi<TAB>en[<TAB>kind<TAB>count<TAB>sources]; "
                          "line skipped");
            continue;
        }
        for (size_t k = 0; k < nf; k++) {
            char *fe = f[k] + strlen(f[k]);
            f[k] = trim(f[k], fe);
        }
        if (!*f[0] || !*f[1]) {
            bt_report(diag, ud, BT_ERR_FORMAT, 0, name, lineno,
                      "empty %s term; line skipped",
                      !*f[0] ? "Vietnamese" : "English");
            continue;
        }
        int was_first = first;
        first = 0;
        if (was_first && is_header_row(f[0], f[1])) continue;
        if (nf == 3 && !is_kind(f[2], strlen(f[2]))) {
            const char *kind, *sources;
            unsigned long count = 1;
            int official = 0;
            omegat_comment(f[2], &kind, &count, &sources, &official);
            bt_gloss_add_row(g, f[0], f[1], kind, count, sources, official);
            continue;
        }
        unsigned long count = 1;
        if (nf >= 4 && *f[3]) {
            char *e = NULL;
            errno = 0;
            if (*f[3] < '0' || *f[3] > '9' ||
                ((count = strtoul(f[3], &e, 10)), errno) || *e) {
                bt_report(diag, ud, BT_ERR_FORMAT, 0, name, lineno,
                          "count '%s' is not a number; line skipped", f[3]);
                continue;
            }
        }
        bt_gloss_add_row(g, f[0], f[1], nf >= 3 ? f[2] : NULL, count,
                         nf >= 5 ? f[4] : NULL, 0);
    }
    free(line);
    return BT_OK;
}

/* Read a whole file; *data is caller-freed. */
static int slurp(const char *path, char **data, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return -1;
    bt_buf b;
    bt_buf_init(&b);
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0) bt_buf_add(&b, tmp, n);
    int err = ferror(fp);
    int e = errno;
    fclose(fp);
    if (err) {
        bt_buf_free(&b);
        errno = e ? e : EIO;
        return -1;
    }
    *len = b.len;
    *data = bt_buf_detach(&b);
    return 0;
}

int bt_gloss_read_tsv(bt_gloss *g, const char *path, bt_diag_fn diag,
                      void *ud)
{
    char *data;
    size_t len;
    if (slurp(path, &data, &len) != 0) {
        bt_report(diag, ud, BT_ERR_IO, 0, path, 0, "cannot read: %s",
                  strerror(errno));
        return BT_ERR_IO;
    }
    int rc = bt_gloss_read_tsv_mem(g, path, data, len, diag, ud);
    free(data);
    return rc;
}

typedef struct tbx_ctx {
    bt_gloss *g;
    const char *path;
    bt_diag_fn diag;
    void *ud;
} tbx_ctx;

/* A copy of s with controls and noncharacters replaced (XML allows C1
 * controls, a terminal must not receive them); *bad gets the first. */
static char *clean_copy(const char *s, int32_t *bad)
{
    if (!s) return NULL;
    char *c = bt_xstrdup(s);
    size_t n = strlen(c);
    int32_t b = clean_controls(c, &n);
    if (b >= 0 && *bad < 0) *bad = b;
    return c;
}

static int tbx_entry(void *ud, const bt_tbx_entry *e, unsigned long line)
{
    tbx_ctx *x = ud;
    int32_t bad = -1;
    char *vi = clean_copy(e->vi, &bad), *en = clean_copy(e->en, &bad);
    char *kind = clean_copy(e->kind, &bad), *src = clean_copy(e->sources, &bad);
    if (bad >= 0)
        bt_report(x->diag, x->ud, BT_ERR_FORMAT, 1, x->path, line,
                  "control character U+%04X replaced", (unsigned)bad);
    bt_gloss_add_row(x->g, vi, en, kind, e->count ? e->count : 1, src, 0);
    free(vi);
    free(en);
    free(kind);
    free(src);
    return 0;
}

int bt_gloss_read_tbx(bt_gloss *g, const char *path, bt_diag_fn diag,
                      void *ud)
{
    tbx_ctx x = { g, path, diag, ud };
    return bt_tbx_read(path, tbx_entry, &x, diag, ud);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcasecmp(s + n - m, suffix);
}

int bt_gloss_read(bt_gloss *g, const char *path, bt_diag_fn diag, void *ud)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        bt_buf p;
        bt_buf_init(&p);
        bt_buf_printf(&p, "%s/glossary.tsv", path);
        int rc = bt_gloss_read_tsv(g, p.ptr, diag, ud);
        bt_buf_free(&p);
        return rc;
    }
    if (ends_with(path, ".tbx")) return bt_gloss_read_tbx(g, path, diag, ud);
    return bt_gloss_read_tsv(g, path, diag, ud);
}
