/* lookup.c - look-ups in a glossary index (exact, folded, fuzzy within an
 * edit distance), their ranking, and the same look-ups in the compiled-in
 * lexicon. */
#include "gloss_int.h"
#include "lookup_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- look-up ------------------------------------------------------------ */

const char *bt_gloss_match_name(bt_gloss_match m)
{
    switch (m) {
    case BT_MATCH_EXACT: return "exact";
    case BT_MATCH_FOLDED: return "folded";
    case BT_MATCH_FUZZY: return "fuzzy";
    }
    return "?";
}

void bt_gloss_hits_init(bt_gloss_hits *h)
{
    h->v = NULL;
    h->n = h->cap = 0;
    h->owned = NULL;
    h->nowned = h->owncap = 0;
}

void bt_gloss_hits_free(bt_gloss_hits *h)
{
    free(h->v);
    for (size_t i = 0; i < h->nowned; i++) free(h->owned[i]);
    free(h->owned);
    bt_gloss_hits_init(h);
}

static const char *hits_own(bt_gloss_hits *h, const char *s)
{
    BT_GROW(h->owned, h->owncap, h->nowned + 1);
    return h->owned[h->nowned++] = bt_xstrdup(s);
}

/* The key of entry i of c's table against q; a damaged entry reads as "". */
static int key_cmp(const bt_gloss_index *ix, idx_cursor *c, size_t i,
                   const char *q, size_t qlen)
{
    idx_cursor_seek(ix, c, i);
    const bt_buf *k = &c->f[0];
    size_t n = k->len < qlen ? k->len : qlen;
    int r = memcmp(k->ptr, q, n);
    if (r) return r;
    return (k->len > qlen) - (k->len < qlen);
}

/* The first entry of c's table whose key is q, through its directory
 * (gloss_int.h): *at, or 0 when there is none or the directory is damaged
 * (its block check says so). A slot of the same fingerprint and another
 * key passes on to the next. */
static int dir_find(const bt_gloss_index *ix, idx_cursor *c, const char *q, size_t qlen,
                    size_t *at)
{
    int rows = c->table == IDX_ROWS;
    const uint32_t *dir = rows ? ix->vdir : ix->edir;
    size_t ns = (size_t)(rows ? ix->h->vdir_slots : ix->h->edir_slots);
    size_t nk = (size_t)ix->h->nrows;
    if (!ns) return 0;
    uint64_t h = bt_hash_bytes(0, q, qlen);
    uint32_t fp = (uint32_t)(h >> 32);
    size_t j = (size_t)(((h & 0xFFFFFFFFu) * (uint64_t)ns) >> 32);
    for (size_t step = 0; step < ns; step++) {
        const uint32_t *sl = dir + 2 * j;
        if (!idx_ok(ix, sl, 2 * sizeof *sl) || !sl[1]) return 0;
        if (sl[0] == fp && sl[1] - 1 < nk && key_cmp(ix, c, sl[1] - 1, q, qlen) == 0) {
            *at = sl[1] - 1;
            return 1;
        }
        j = j + 1 == ns ? 0 : j + 1;
    }
    return 0;
}

/* The row rowi, decoded by rc (a row cursor), as a hit whose strings the
 * hits own. */
static void add_hit(const bt_gloss_index *ix, idx_cursor *rc, uint64_t rowi,
                    bt_gloss_match match, unsigned dist, unsigned source,
                    bt_gloss_hits *out)
{
    if (rowi >= ix->h->nrows) return; /* a damaged index */
    idx_cursor_seek(ix, rc, (size_t)rowi);
    BT_GROW(out->v, out->cap, out->n + 1);
    bt_gloss_hit *h = &out->v[out->n++];
    h->vi = hits_own(out, rc->f[1].ptr);
    h->en = hits_own(out, rc->f[2].ptr);
    h->kind = hits_own(out, rc->f[3].ptr);
    h->sources = hits_own(out, rc->f[4].ptr);
    h->count = rc->count;
    h->official = rc->official;
    h->match = match;
    h->distance = dist;
    h->source = source;
}

/* Letter counts of a key, for count_bound. */
typedef struct letter_counts {
    uint16_t n[38];   /* a-z, 0-9, space, anything else */
    size_t len;
} letter_counts;

static int letter_bucket(unsigned char c)
{
    if (c >= 'a' && c <= 'z') return c - 'a';
    if (c >= '0' && c <= '9') return 26 + c - '0';
    return c == ' ' ? 36 : 37;
}

static void count_letters(const char *s, size_t n, letter_counts *lc)
{
    memset(lc, 0, sizeof *lc);
    lc->len = n;
    for (size_t i = 0; i < n; i++) lc->n[letter_bucket((unsigned char)s[i])]++;
}

/* A lower bound on the edit distance between the counted key and s, or
 * limit + 1 as soon as it exceeds limit. Each edit changes the letter counts
 * by at most one up and one down, so the distance is at least the letters of
 * s the key has no room for, plus what the key is longer by. */
static unsigned count_bound(const letter_counts *q, const char *s, size_t n,
                            unsigned limit)
{
    uint16_t d[38];
    memcpy(d, q->n, sizeof d);
    unsigned bound = q->len > n ? (unsigned)(q->len - n) : 0;
    if (bound > limit) return limit + 1;
    for (size_t i = 0; i < n; i++) {
        int b = letter_bucket((unsigned char)s[i]);
        if (d[b]) d[b]--;
        else if (++bound > limit) return limit + 1;
    }
    return bound;
}

typedef struct near_key {
    unsigned dist;
    size_t at;       /* index into the key array */
} near_key;

static size_t lookup_fuzzy(const bt_gloss_index *ix, idx_cursor *kc,
                           idx_cursor *rc, size_t nk, const char *q,
                           size_t qlen, size_t max_fuzzy, unsigned source,
                           bt_gloss_hits *out)
{
    if (!max_fuzzy) max_fuzzy = 10;
    unsigned k = 1 + (unsigned)(qlen / 10);
    if (k > 4) k = 4;
    letter_counts qh;
    count_letters(q, qlen, &qh);
    near_key *best = bt_xmalloc(max_fuzzy * sizeof *best);
    size_t nbest = 0;
    unsigned limit = k;
    bt_buf prev;
    bt_buf_init(&prev);
    int have_prev = 0;
    for (size_t i = 0; i < nk; i++) {
        if (!idx_cursor_seek(ix, kc, i)) { /* damaged */
            have_prev = 0;
            continue;
        }
        const char *s = kc->f[0].ptr;
        size_t len = kc->f[0].len;
        if (have_prev && prev.len == len && !memcmp(prev.ptr, s, len))
            continue; /* same key */
        bt_buf_reset(&prev);
        bt_buf_add(&prev, s, len);
        have_prev = 1;
        if ((len > qlen ? len - qlen : qlen - len) > limit) continue;
        if (count_bound(&qh, s, len, limit) > limit) continue;
        unsigned d = bt_gloss_distance(q, qlen, s, len, limit);
        if (d > limit) continue;
        /* insert by distance; ties keep key order */
        size_t pos = nbest;
        while (pos > 0 && best[pos - 1].dist > d) pos--;
        if (pos >= max_fuzzy) continue;
        if (nbest < max_fuzzy) nbest++;
        memmove(best + pos + 1, best + pos, (nbest - 1 - pos) * sizeof *best);
        best[pos].dist = d;
        best[pos].at = i;
        if (nbest == max_fuzzy) limit = best[nbest - 1].dist;
    }
    size_t added = 0;
    for (size_t b = 0; b < nbest; b++) {
        if (!idx_cursor_seek(ix, kc, best[b].at)) continue;
        bt_buf_reset(&prev);
        bt_buf_add(&prev, kc->f[0].ptr, kc->f[0].len);
        for (size_t i = best[b].at; i < nk && key_cmp(ix, kc, i, prev.ptr, prev.len) == 0;
             i++) {
            add_hit(ix, rc, kc->row, BT_MATCH_FUZZY, best[b].dist, source, out);
            added++;
        }
    }
    bt_buf_free(&prev);
    free(best);
    return added;
}

size_t bt_gloss_index_lookup(const bt_gloss_index *ix, const char *term,
                             size_t len, unsigned flags, size_t max_fuzzy,
                             unsigned source, bt_gloss_hits *out)
{
    int reverse = (flags & BT_LOOKUP_REVERSE) != 0;
    bt_buf key;
    bt_buf_init(&key);
    if (reverse) bt_gloss_key_en(term, len, &key);
    else bt_gloss_key_vi(term, len, &key);
    size_t nk = (size_t)ix->h->nrows, added = 0;
    if (!key.len || !nk) {
        bt_buf_free(&key);
        return 0;
    }
    /* the keys are the rows' own in Vietnamese, a table of their own in
     * English */
    idx_cursor kc, rc;
    idx_cursor_init(&kc, reverse ? IDX_ENKEYS : IDX_ROWS);
    idx_cursor_init(&rc, IDX_ROWS);
    /* the key's first entry by the directory, then the entries of the same
     * key in order */
    size_t lo;
    if (!dir_find(ix, &kc, key.ptr, key.len, &lo)) lo = nk;
    char *qexact = NULL;
    for (size_t i = lo; i < nk && key_cmp(ix, &kc, i, key.ptr, key.len) == 0; i++) {
        if (!qexact) qexact = bt_gloss_exact_key(term, len, reverse);
        if (kc.row >= nk) continue; /* a damaged index */
        idx_cursor *r = reverse ? &rc : &kc; /* in Vietnamese, the row's own */
        idx_cursor_seek(ix, r, (size_t)kc.row);
        const bt_buf *side = &r->f[reverse ? 2 : 1];
        char *ek = bt_gloss_exact_key(side->ptr, side->len, reverse);
        bt_gloss_match m = strcmp(ek, qexact) ? BT_MATCH_FOLDED : BT_MATCH_EXACT;
        free(ek);
        add_hit(ix, r, kc.row, m, 0, source, out);
        added++;
    }
    free(qexact);
    if (!added && (flags & BT_LOOKUP_FUZZY))
        added = lookup_fuzzy(ix, &kc, &rc, nk, key.ptr, key.len, max_fuzzy,
                             source, out);
    idx_cursor_free(&kc);
    idx_cursor_free(&rc);
    bt_buf_free(&key);
    return added;
}

/* Does the term carry diacritics (or đ)? Then its accents are meant. */
static int has_diacritics(const char *s, size_t len)
{
    for (size_t k = 0; k < len;) {
        int32_t cp;
        int n = bt_utf8_decode(s + k, len - k, &cp);
        if (n < 0) { k++; continue; }
        if (cp >= 0x300 && cp <= 0x36F) return 1;
        if (cp >= 0x80) {
            int32_t f = bt_fold_cp(cp);
            if ((f >= 'a' && f <= 'z') || (f >= 'A' && f <= 'Z')) return 1;
        }
        k += (size_t)n;
    }
    return 0;
}

static int cmp_hits(const void *a, const void *b, void *ctx)
{
    const bt_gloss_hit *x = a, *y = b;
    int reverse = *(const int *)ctx;
    if (x->match != y->match) return x->match < y->match ? -1 : 1;
    if (x->distance != y->distance) return x->distance < y->distance ? -1 : 1;
    /* the official rendering before the usual one */
    if (x->official != y->official) return x->official ? -1 : 1;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    int c = reverse ? strcmp(x->vi, y->vi) : strcmp(x->en, y->en);
    if (c) return c;
    return reverse ? strcmp(x->en, y->en) : strcmp(x->vi, y->vi);
}

void bt_gloss_hits_rank(bt_gloss_hits *h, const char *term, size_t len,
                        unsigned flags, size_t max_fuzzy)
{
    /* one hit per (vi, en), case aside ("Standing member" is "Standing
     * Member"): the later source wins, but the first one's spelling (the
     * lexicon's, when it has the term) stays */
    size_t n = 0;
    char **lower = bt_xcalloc(h->n ? h->n : 1, sizeof *lower);
    for (size_t i = 0; i < h->n; i++) {
        bt_gloss_hit *x = &h->v[i];
        bt_buf b;
        bt_buf_init(&b);
        char *lv = bt_gloss_lower(x->vi, strlen(x->vi));
        char *le = bt_gloss_lower(x->en, strlen(x->en));
        bt_buf_adds(&b, lv);
        bt_buf_addc(&b, '\t');
        bt_buf_adds(&b, le);
        free(lv);
        free(le);
        size_t j;
        for (j = 0; j < n; j++)
            if (!strcmp(lower[j], b.ptr)) break;
        if (j < n) {
            bt_gloss_hit *y = &h->v[j];
            int official = y->official || x->official;
            bt_gloss_match m = y->match < x->match ? y->match : x->match;
            unsigned d = y->distance < x->distance ? y->distance : x->distance;
            const char *vi = y->vi, *en = y->en;
            *y = *x;
            y->vi = vi;
            y->en = en;
            y->official = official;
            y->match = m;
            y->distance = d;
            bt_buf_free(&b);
        } else {
            lower[n] = bt_buf_detach(&b);
            h->v[n++] = *x;
        }
    }
    for (size_t j = 0; j < n; j++) free(lower[j]);
    free(lower);
    h->n = n;
    int any_close = 0, any_exact = 0;
    for (size_t i = 0; i < n; i++) {
        if (h->v[i].match != BT_MATCH_FUZZY) any_close = 1;
        if (h->v[i].match == BT_MATCH_EXACT) any_exact = 1;
    }
    int keep_exact_only = any_exact && has_diacritics(term, len);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const bt_gloss_hit *x = &h->v[i];
        if (any_close && x->match == BT_MATCH_FUZZY) continue;
        if (keep_exact_only && x->match != BT_MATCH_EXACT) continue;
        h->v[m++] = *x;
    }
    h->n = m;
    int reverse = (flags & BT_LOOKUP_REVERSE) != 0;
    if (h->n > 1) qsort_r(h->v, h->n, sizeof *h->v, cmp_hits, &reverse);
    if (!any_close && max_fuzzy && h->n > max_fuzzy) h->n = max_fuzzy;
}

/* ---- English forms people use -------------------------------------------- */

char *bt_gloss_en_long_form(const char *term, size_t len)
{
    /* "POST of X" for "POST of the Ministry of X": Minister of Finance,
     * Deputy Minister of Health */
    static const char of[] = " of ";
    const char *p = NULL;
    for (size_t i = 0; i + 4 <= len; i++)
        if (!strncasecmp(term + i, of, 4)) { p = term + i; break; }
    if (!p || p == term) return NULL;
    const char *x = p + 4;
    size_t rest = len - (size_t)(x - term);
    if (rest >= 4 && !strncasecmp(x, "the ", 4)) { x += 4; rest -= 4; }
    if (!rest || (rest >= 8 && !strncasecmp(x, "Ministry", 8))) return NULL;
    bt_buf b;
    bt_buf_init(&b);
    bt_buf_add(&b, term, (size_t)(p - term));
    bt_buf_adds(&b, " of the Ministry of ");
    bt_buf_add(&b, x, rest);
    return bt_buf_detach(&b);
}

/* An abbreviation one edit away from w[0..n) (a letter changed, added,
 * dropped, or two swapped: "ubdn" -> "ubnd"), written into out (n + 2
 * bytes), or 0. */
static int near_abbrev(const char *w, size_t n, char *out)
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyz";
    for (size_t i = 0; i + 1 < n; i++) { /* swapped */
        memcpy(out, w, n);
        out[i] = w[i + 1];
        out[i + 1] = w[i];
        if (bt_gloss_abbrev(out, n)) return (int)n;
    }
    for (size_t i = 0; i < n; i++) /* dropped */ {
        memcpy(out, w, i);
        memcpy(out + i, w + i + 1, n - i - 1);
        if (bt_gloss_abbrev(out, n - 1)) return (int)(n - 1);
    }
    for (size_t i = 0; i < n; i++) /* changed */
        for (const char *c = letters; *c; c++) {
            memcpy(out, w, n);
            out[i] = *c;
            if (*c != w[i] && bt_gloss_abbrev(out, n)) return (int)n;
        }
    for (size_t i = 0; i <= n; i++) /* added */
        for (const char *c = letters; *c; c++) {
            memcpy(out, w, i);
            out[i] = *c;
            memcpy(out + i + 1, w + i, n - i);
            if (bt_gloss_abbrev(out, n + 1)) return (int)(n + 1);
        }
    return 0;
}

char *bt_gloss_fix_abbrev(const char *term, size_t len)
{
    bt_buf key, out;
    bt_buf_init(&key);
    bt_buf_init(&out);
    bt_gloss_key_vi(term, len, &key); /* known abbreviations expanded */
    int fixed = 0;
    const char *p = key.ptr, *end = key.ptr + key.len;
    while (p < end) {
        const char *sp = memchr(p, ' ', (size_t)(end - p));
        size_t n = sp ? (size_t)(sp - p) : (size_t)(end - p);
        char cand[16];
        int m = 0;
        /* only words as long as the abbreviations typos hide in (UBND,
         * HĐND, MTTQ): a short syllable is too near too many */
        if (n >= 4 && n + 2 <= sizeof cand) m = near_abbrev(p, n, cand);
        if (out.len) bt_buf_addc(&out, ' ');
        if (m) {
            bt_buf_add(&out, cand, (size_t)m);
            fixed = 1;
        } else {
            bt_buf_add(&out, p, n);
        }
        p += n + (sp ? 1 : 0);
    }
    bt_buf_free(&key);
    if (!fixed) {
        bt_buf_free(&out);
        return NULL;
    }
    return bt_buf_detach(&out);
}

/* ---- the built-in lexicon ----------------------------------------------- */

/* The lexicon is small (about a thousand renderings) and compiled in:
 * comparing keys row by row costs less than building an index of it at
 * run time for a few look-ups (by key below). */
typedef struct lex_scan {
    const char *term;
    size_t len;
    int reverse, fuzzy;
    bt_buf qkey, key;
    char *qexact;
    unsigned limit;
    unsigned source;
    bt_gloss_hits *out;
    size_t added;
    letter_counts qh;
} lex_scan;

static void lex_row(void *ud, const char *vi, const char *en,
                    bt_term_kind kind, int preferred, const char *source)
{
    (void)source;
    lex_scan *s = ud;
    const char *side = s->reverse ? en : vi;
    bt_gloss_match m;
    unsigned d = 0;
    if (!s->fuzzy) {
        /* most rows differ in their first word: no key is made for them */
        if (!bt_gloss_key_equals(side, strlen(side), s->reverse, s->qkey.ptr,
                                 s->qkey.len))
            return;
        if (!s->qexact) s->qexact = bt_gloss_exact_key(s->term, s->len, s->reverse);
        char *ek = bt_gloss_exact_key(side, strlen(side), s->reverse);
        m = strcmp(ek, s->qexact) ? BT_MATCH_FOLDED : BT_MATCH_EXACT;
        free(ek);
    } else {
        bt_buf_reset(&s->key);
        if (s->reverse) bt_gloss_key_en(side, strlen(side), &s->key);
        else bt_gloss_key_vi(side, strlen(side), &s->key);
        size_t a = s->key.len, b = s->qkey.len;
        if ((a > b ? a - b : b - a) > s->limit) return;
        if (count_bound(&s->qh, s->key.ptr, s->key.len, s->limit) > s->limit)
            return;
        d = bt_gloss_distance(s->qkey.ptr, s->qkey.len, s->key.ptr, s->key.len,
                              s->limit);
        if (d > s->limit) return;
        m = BT_MATCH_FUZZY;
    }
    BT_GROW(s->out->v, s->out->cap, s->out->n + 1);
    bt_gloss_hit *h = &s->out->v[s->out->n++];
    h->vi = hits_own(s->out, vi);
    h->en = hits_own(s->out, en);
    h->kind = bt_term_kind_name(kind);
    h->sources = "lexicon";
    h->count = 0;
    h->official = preferred != 0;
    h->match = m;
    h->distance = d;
    h->source = s->source;
    s->added++;
}

/* Concepts that stand alone (no position + body pair) whose official
 * rendering or Vietnamese has the term's key: the posts that the
 * lexicon's rows give only with a body. */
static void bare_posts(const bt_lexicon *lex, lex_scan *s)
{
    size_t n = bt_lexicon_size(lex);
    for (size_t id = 0; id < n; id++) {
        const bt_concept *c = bt_lexicon_concept(lex, (int)id);
        if (!c || !c->vi || !c->en_official || c->position >= 0 || c->body >= 0) continue;
        lex_row(s, c->vi, c->en_official, c->kind, 1, c->source);
    }
}

/* ---- the built-in lexicon by key ----------------------------------------- *
 * A scan costs about 0.2 ms a term, most of the time for 100,000 from
 * standard input and, once the lexicon itself costs nothing to start, of a
 * single look-up too. The built-in lexicon's rows grouped by key, once per
 * direction, are made at build time into bitext (tools/lexicon_image.c);
 * a program without them (the library alone) makes them after a few
 * look-ups, as the default lexicon lives as long as the process. A
 * look-up then reads the rows of its key only, in the order a scan meets
 * them, and gives the same hits. */

#define KEYED_AFTER 8     /* look-ups by scan before the rows are keyed */

/* Made at build time (tools/lexicon_image.c), when the program links it
 * (bitext does): then every look-up, the first too, reads by key. */
extern const lex_keyed_image bt_gloss_lexicon_keyed __attribute__((weak));

typedef struct keyed_build {
    int reverse;
    bt_map keys;
    uint32_t *first, *last; /* [2 * key + part] */
    size_t kcap;
    lex_keyed_row *rows;
    size_t nrows, rcap;
    bt_buf pool, key;
} keyed_build;

static uint32_t keyed_str(keyed_build *k, const char *s)
{
    uint32_t at = (uint32_t)k->pool.len;
    bt_buf_add(&k->pool, s, strlen(s) + 1);
    return at;
}

static void keyed_add(keyed_build *k, int part, const char *vi, const char *en,
                      bt_term_kind kind, int preferred)
{
    const char *side = k->reverse ? en : vi;
    bt_buf_reset(&k->key);
    if (k->reverse) bt_gloss_key_en(side, strlen(side), &k->key);
    else bt_gloss_key_vi(side, strlen(side), &k->key);
    if (!k->key.len) return; /* no query has an empty key */
    int fresh;
    size_t id = bt_map_add(&k->keys, k->key.ptr, k->key.len, &fresh);
    if (fresh) {
        size_t need = 2 * (id + 1);
        if (need > k->kcap) {
            size_t cap = k->kcap;
            BT_GROW(k->first, cap, need);
            k->last = bt_xrealloc(k->last, cap * sizeof *k->last);
            k->kcap = cap;
        }
        k->first[2 * id] = k->first[2 * id + 1] = LEX_KEYED_NONE;
        k->last[2 * id] = k->last[2 * id + 1] = LEX_KEYED_NONE;
    }
    BT_GROW(k->rows, k->rcap, k->nrows + 1);
    uint32_t r = (uint32_t)k->nrows++;
    k->rows[r] = (lex_keyed_row){ keyed_str(k, vi), keyed_str(k, en), (int)kind, preferred,
                                  LEX_KEYED_NONE };
    size_t slot = 2 * id + (size_t)part;
    if (k->last[slot] == LEX_KEYED_NONE) k->first[slot] = r;
    else k->rows[k->last[slot]].next = r;
    k->last[slot] = r;
}

static void keyed_row_fn(void *ud, const char *vi, const char *en,
                         bt_term_kind kind, int preferred, const char *source)
{
    (void)source;
    keyed_add(ud, 0, vi, en, kind, preferred);
}

void lex_keyed_make(const bt_lexicon *lex, int reverse, lex_keyed_table *out)
{
    keyed_build k;
    memset(&k, 0, sizeof k);
    k.reverse = reverse;
    bt_map_init(&k.keys);
    bt_buf_init(&k.pool);
    bt_buf_init(&k.key);
    bt_buf_add(&k.pool, "", 1); /* offset 0: no key */
    bt_lexicon_each(lex, keyed_row_fn, &k);
    size_t n = bt_lexicon_size(lex); /* the concepts bare_posts reads */
    for (size_t id = 0; id < n; id++) {
        const bt_concept *c = bt_lexicon_concept(lex, (int)id);
        if (!c || !c->vi || !c->en_official || c->position >= 0 || c->body >= 0) continue;
        keyed_add(&k, 1, c->vi, c->en_official, c->kind, 1);
    }
    /* the keys into slots by their hash, twice as many as keys */
    size_t nkeys = bt_map_size(&k.keys), cap = 16;
    while (cap < 2 * nkeys) cap *= 2;
    lex_keyed_slot *slots = bt_xcalloc(cap, sizeof *slots);
    for (size_t id = 0; id < nkeys; id++) {
        const char *key = bt_map_key(&k.keys, id);
        size_t len = bt_map_key_len(&k.keys, id);
        uint64_t h = bt_hash_bytes(0, key, len);
        size_t j = h & (cap - 1);
        while (slots[j].key) j = (j + 1) & (cap - 1);
        uint32_t at = (uint32_t)k.pool.len;
        bt_buf_add(&k.pool, key, len);
        bt_buf_add(&k.pool, "", 1);
        slots[j] = (lex_keyed_slot){ h, at, (uint32_t)len, { k.first[2 * id], k.first[2 * id + 1] } };
    }
    out->pool_len = k.pool.len;
    out->pool = bt_buf_detach(&k.pool);
    out->slots = slots;
    out->cap = cap;
    out->rows = k.rows;
    out->nrows = k.nrows;
    bt_map_free(&k.keys);
    free(k.first);
    free(k.last);
    bt_buf_free(&k.key);
}

static lex_keyed_table keyed[2];
static pthread_once_t keyed_once[2] = { PTHREAD_ONCE_INIT, PTHREAD_ONCE_INIT };
static atomic_uint keyed_calls;

static void keyed_build_vi(void) { lex_keyed_make(bt_lexicon_default(), 0, &keyed[0]); }
static void keyed_build_en(void) { lex_keyed_make(bt_lexicon_default(), 1, &keyed[1]); }

/* The keyed rows of *lex in s's direction, or NULL while a scan is better.
 * *lex NULL is the default lexicon, made here only when no image has its
 * rows. */
static const lex_keyed_table *keyed_of(const bt_lexicon **lexp, int reverse)
{
    if (&bt_gloss_lexicon_keyed && !*lexp) return &bt_gloss_lexicon_keyed.dir[reverse];
    if (!*lexp) *lexp = bt_lexicon_default();
    const bt_lexicon *lex = *lexp;
    if (&bt_gloss_lexicon_keyed && lex == bt_lexicon_default())
        return &bt_gloss_lexicon_keyed.dir[reverse];
    if (atomic_load(&keyed_calls) < KEYED_AFTER) {
        atomic_fetch_add(&keyed_calls, 1);
        return NULL;
    }
    if (lex != bt_lexicon_default()) return NULL; /* only it lives for ever */
    pthread_once(&keyed_once[reverse], reverse ? keyed_build_en : keyed_build_vi);
    return &keyed[reverse];
}

/* The slot of key, or NULL. */
static const lex_keyed_slot *keyed_find(const lex_keyed_table *k, const char *key, size_t len)
{
    uint64_t h = bt_hash_bytes(0, key, len);
    for (size_t j = h & (k->cap - 1); k->slots[j].key; j = (j + 1) & (k->cap - 1)) {
        const lex_keyed_slot *sl = &k->slots[j];
        if (sl->h == h && sl->len == len && !memcmp(k->pool + sl->key, key, len)) return sl;
    }
    return NULL;
}

/* The rows of one part of the query's key, through lex_row as a scan. */
static void keyed_part(const lex_keyed_table *k, const lex_keyed_slot *sl, int part,
                       lex_scan *s)
{
    for (uint32_t r = sl->first[part]; r != LEX_KEYED_NONE; r = k->rows[r].next) {
        const lex_keyed_row *x = &k->rows[r];
        lex_row(s, k->pool + x->vi, k->pool + x->en, (bt_term_kind)x->kind, x->preferred, NULL);
    }
}

/* lex NULL: the default lexicon, made only when the rows by key do not
 * answer (no image, or a fuzzy look-up) */
static size_t lexicon_lookup(const bt_lexicon *lex, const char *term, size_t len,
                             unsigned flags, unsigned source, bt_gloss_hits *out)
{
    lex_scan s;
    memset(&s, 0, sizeof s);
    s.term = term;
    s.len = len;
    s.reverse = (flags & BT_LOOKUP_REVERSE) != 0;
    s.source = source;
    s.out = out;
    bt_buf_init(&s.qkey);
    bt_buf_init(&s.key);
    if (s.reverse) bt_gloss_key_en(term, len, &s.qkey);
    else bt_gloss_key_vi(term, len, &s.qkey);
    if (s.qkey.len) {
        size_t before = out->n;
        const lex_keyed_table *k = keyed_of(&lex, s.reverse);
        const lex_keyed_slot *sl = k ? keyed_find(k, s.qkey.ptr, s.qkey.len) : NULL;
        if (sl) keyed_part(k, sl, 0, &s);
        else if (!k) bt_lexicon_each(lex, lex_row, &s);
        /* a bare post ("Bộ trưởng", "Minister"): the lexicon's rows are
         * the posts held in a body; the post alone is a concept of its own */
        if (out->n == before && sl) keyed_part(k, sl, 1, &s);
        else if (out->n == before && !k) bare_posts(lex, &s);
        if (out->n == before && (flags & BT_LOOKUP_FUZZY)) {
            if (!lex) lex = bt_lexicon_default();
            count_letters(s.qkey.ptr, s.qkey.len, &s.qh);
            s.fuzzy = 1;
            s.limit = 1 + (unsigned)(s.qkey.len / 10);
            if (s.limit > 4) s.limit = 4;
            bt_lexicon_each(lex, lex_row, &s);
        }
    }
    free(s.qexact);
    bt_buf_free(&s.qkey);
    bt_buf_free(&s.key);
    return s.added;
}

size_t bt_gloss_lexicon_lookup(const bt_lexicon *lex, const char *term,
                               size_t len, unsigned flags, unsigned source,
                               bt_gloss_hits *out)
{
    return lex ? lexicon_lookup(lex, term, len, flags, source, out) : 0;
}

size_t bt_gloss_default_lookup(const char *term, size_t len, unsigned flags,
                               unsigned source, bt_gloss_hits *out)
{
    return lexicon_lookup(NULL, term, len, flags, source, out);
}
