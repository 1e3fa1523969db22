/* table.c - a word translation table learned from the text itself: the
 * confident pairs of a run (accepted, score at least BT_TABLE_MIN_SCORE),
 * Vietnamese cut into the lexicon's words (syllables where it knows none),
 * English cut into the stems caption words use, function words and names
 * left out; IBM Model 1 (a few EM iterations) over them; the strong
 * entries become caption words of a lexicon for a second pass.
 *
 * What is kept and written is the sample of pairs, not probabilities, so
 * that tables merge exactly: the BT_TABLE_MAX_PAIRS distinct pairs with the
 * smallest hash (each with how often it was seen). Of any set of runs, the
 * pairs kept are the same whether they were seen in one run or in shards
 * merged in any order, and the model, learned from the kept pairs in hash
 * order, is the same too. Memory is bounded by twice the cap. */
#include "lexicon_table_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* a side of more content words than MAX_UNITS is not learned from: long
 * sentences teach Model 1 little, and the cells of a pair grow as the
 * product of its sides (the bound on learning's memory) */
enum { EM_ITERATIONS = 5, MAX_UNITS = 16 };
/* an entry is kept when the model gives it at least this probability and
 * its words met in at least this many pairs */
#define MIN_PROB 0.5
#define MIN_PAIRS 3.0
/* and for a word the lexicon knows, to add English its entry lacks */
#define KNOWN_MIN_PROB 0.8
#define KNOWN_MIN_PAIRS 5.0

typedef struct tpair {
    uint64_t h;
    unsigned long count;
    char *text; /* Vietnamese words "|"-separated, TAB, English stems space-separated */
} tpair;

struct bt_table {
    tpair *v;
    size_t n, cap;
    size_t max;      /* distinct pairs kept */
    int full;        /* past the cap once: a pair above th is dropped at once */
    uint64_t th_h;
    char *th_text;
    int sorted;      /* v is sorted, without repeats, at most max */
};

bt_table *bt_table_new(size_t max)
{
    bt_table *t = bt_xcalloc(1, sizeof *t);
    t->max = max ? max : BT_TABLE_MAX_PAIRS;
    t->sorted = 1;
    return t;
}

void bt_table_free(bt_table *t)
{
    if (!t) return;
    for (size_t i = 0; i < t->n; i++) free(t->v[i].text);
    free(t->v);
    free(t->th_text);
    free(t);
}

static int key_cmp(uint64_t ha, const char *a, uint64_t hb, const char *b)
{
    if (ha != hb) return ha < hb ? -1 : 1;
    return strcmp(a, b);
}

static int tpair_cmp(const void *x, const void *y)
{
    const tpair *a = x, *b = y;
    return key_cmp(a->h, a->text, b->h, b->text);
}

/* Sort, join repeats, keep the max smallest. */
static void compact(bt_table *t)
{
    if (t->sorted) return;
    qsort(t->v, t->n, sizeof *t->v, tpair_cmp);
    size_t w = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (w && t->v[w - 1].h == t->v[i].h && !strcmp(t->v[w - 1].text, t->v[i].text)) {
            t->v[w - 1].count += t->v[i].count;
            free(t->v[i].text);
            continue;
        }
        t->v[w++] = t->v[i];
    }
    t->n = w;
    if (t->n > t->max) {
        for (size_t i = t->max; i < t->n; i++) free(t->v[i].text);
        t->n = t->max;
        free(t->th_text);
        t->th_text = bt_xstrdup(t->v[t->n - 1].text);
        t->th_h = t->v[t->n - 1].h;
        t->full = 1;
    }
    t->sorted = 1;
}

static void add_text(bt_table *t, const char *text, size_t len, unsigned long count)
{
    uint64_t h = lex_word_hash(text, len);
    char *s = bt_xstrndup(text, len);
    if (t->full && key_cmp(h, s, t->th_h, t->th_text) > 0) { /* never kept */
        free(s);
        return;
    }
    if (t->n >= 2 * t->max) compact(t);
    BT_GROW(t->v, t->cap, t->n + 1);
    t->v[t->n++] = (tpair){ h, count, s };
    t->sorted = 0;
}

size_t bt_table_pairs(bt_table *t)
{
    compact(t);
    return t->n;
}

/* ---- a pair's words ---- */

/* English words that are in every sentence, left out of learning. */
static int en_function(const char *w, size_t n)
{
    static const char *const stop[] = {
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had",
        "has", "have", "he", "her", "his", "i", "in", "is", "it", "its", "of", "on", "or",
        "our", "she", "that", "the", "their", "them", "they", "this", "to", "was", "we", "were",
        "which", "who", "will", "with", "you", "'s", "s"
    };
    for (size_t k = 0; k < sizeof stop / sizeof *stop; k++)
        if (strlen(stop[k]) == n && !memcmp(stop[k], w, n)) return 1;
    return 0;
}

/* One Vietnamese word in lower case, its separators single spaces and
 * nothing that the file format uses. */
static int add_unit(bt_buf *b, const char *s, size_t len)
{
    size_t at = b->len;
    if (!lex_lower(s, len, b)) return 0;
    size_t w = at;
    for (size_t i = at; i < b->len; i++) {
        char c = b->ptr[i];
        if (c == '|' || c == '\t' || c == '\n' || c == '\r' || c == '-') c = ' ';
        if (c == ' ' && (w == at || b->ptr[w - 1] == ' ')) continue;
        b->ptr[w++] = c;
    }
    while (w > at && b->ptr[w - 1] == ' ') w--;
    b->len = w;
    return w > at;
}

/* Marks the tokens of t inside a title, body or place the lexicon knows:
 * the title matcher pairs those, and English writes them in capitals. */
static unsigned char *in_titles(const bt_lexicon *lex, bt_lang lang, const lex_tokens *t)
{
    unsigned char *in = bt_xcalloc(t->n + 1, 1);
    bt_title_match m[64];
    size_t nm = lex_find(lex, lang, t, m, 64);
    for (size_t i = 0; i < t->n; i++)
        for (size_t k = 0; k < nm && k < 64; k++)
            if (t->v[i].start >= m[k].start && t->v[i].end <= m[k].end) in[i] = 1;
    return in;
}

/* The Vietnamese side as words, "|"-separated, into out; how many. */
static size_t vi_units(const bt_lexicon *lex, const char *vi, bt_buf *out)
{
    lex_tokens t;
    lex_tokens_init(&t);
    lex_tokenize(lex, BT_LANG_VI, vi, strlen(vi), &t);
    unsigned char *title = in_titles(lex, BT_LANG_VI, &t);
    size_t nu = 0;
    for (size_t i = 0; i < t.n && nu <= MAX_UNITS;) {
        if (title[i]) { i++; continue; }
        const char *en = NULL;
        int fn = 0;
        size_t n = lex_dict_match(lex, &t, vi, i, &en, &fn);
        /* an abbreviation expanded is several tokens of one span */
        int same_span = i > 0 && t.v[i].start == t.v[i - 1].start;
        /* numbers, and names (a capital past the first word) */
        int name = t.v[i].upper && i > 0;
        if (!n) {
            n = 1;
            if (t.v[i].digit || name || same_span) { i++; continue; }
        } else if (fn || same_span || name) {
            i += n;
            continue;
        }
        size_t before = out->len;
        if (nu) bt_buf_add(out, "|", 1);
        if (add_unit(out, vi + t.v[i].start, t.v[i + n - 1].end - t.v[i].start)) nu++;
        else out->len = before;
        i += n;
    }
    free(title);
    lex_tokens_free(&t);
    return nu;
}

/* An English word without its regular ending ("speaks", "harvesting",
 * "presented", "studies"): the caption words' stems match by beginning. */
static size_t en_base(const char *w, size_t n, char *out, size_t cap)
{
    if (n >= cap) n = cap - 1;
    memcpy(out, w, n);
#define ENDS(x) (n > strlen(x) + 2 && !memcmp(out + n - strlen(x), x, strlen(x)))
    if (ENDS("ies")) { n -= 3; out[n++] = 'y'; }
    else if (ENDS("ing")) n -= 3;
    else if (ENDS("ed")) n -= 2;
    else if (ENDS("ches") || ENDS("shes") || ENDS("sses") || ENDS("xes") || ENDS("oes")) n -= 2;
    else if (ENDS("s") && !ENDS("ss") && !ENDS("us") && !ENDS("is")) n -= 1;
#undef ENDS
    out[n] = '\0';
    return n;
}

/* The English side as stems, space-separated, into out; how many. */
static size_t en_units(const bt_lexicon *lex, const char *en, bt_buf *out)
{
    lex_tokens t;
    lex_tokens_init(&t);
    lex_tokenize(lex, BT_LANG_EN, en, strlen(en), &t);
    unsigned char *title = in_titles(lex, BT_LANG_EN, &t);
    size_t nu = 0;
    for (size_t i = 0; i < t.n && nu <= MAX_UNITS; i++) {
        const char *w = lex_tok(&t, i);
        size_t wl = lex_tok_len(&t, i);
        if (title[i] || t.v[i].digit || (t.v[i].upper && i > 0) || en_function(w, wl)) continue;
        int ok = 1;
        for (size_t k = 0; k < wl; k++) /* stems are words of letters */
            if (!((w[k] >= 'a' && w[k] <= 'z') || w[k] == '\'')) ok = 0;
        if (!ok || wl < 2) continue;
        char base[64];
        size_t bl = en_base(w, wl, base, sizeof base);
        if (nu) bt_buf_add(out, " ", 1);
        lex_word_stem(out, base, bl);
        nu++;
    }
    free(title);
    lex_tokens_free(&t);
    return nu;
}

void bt_table_add_pair(bt_table *t, const bt_lexicon *lex, const char *vi, const char *en)
{
    if (!lex) lex = bt_lexicon_default();
    bt_buf b;
    bt_buf_init(&b);
    size_t nv = vi_units(lex, vi, &b);
    if (nv && nv <= MAX_UNITS) {
        bt_buf_add(&b, "\t", 1);
        size_t ne = en_units(lex, en, &b);
        if (ne && ne <= MAX_UNITS) add_text(t, b.ptr, b.len, 1);
    }
    bt_buf_free(&b);
}

void bt_table_add_result(bt_table *t, const bt_lexicon *lex, const bt_align_result *res)
{
    for (size_t i = 0; i < res->npairs; i++) {
        const bt_pair *p = &res->pairs[i];
        if (p->status != BT_PAIR_ACCEPTED || p->is_credit || !p->vi || !p->en ||
            p->score < BT_TABLE_MIN_SCORE)
            continue;
        bt_table_add_pair(t, lex, p->vi, p->en);
    }
}

void bt_table_merge(bt_table *t, bt_table *other)
{
    compact(other);
    for (size_t i = 0; i < other->n; i++)
        add_text(t, other->v[i].text, strlen(other->v[i].text), other->v[i].count);
}

/* ---- learning ---- */

typedef struct learned {
    size_t v;        /* Vietnamese word */
    size_t e;        /* English stem */
    double prob;     /* t(e|v) */
    double pairs;    /* pairs (with their counts) where both are */
} learned;

typedef struct model {
    bt_map vw, ew;   /* words; Vietnamese word 0 is NULL (the empty key) */
    bt_map cells;    /* (v, e) as 8 bytes -> cell */
    double *prob, *cnt, *pairs, *total;
    learned *out;
    size_t nout, outcap;
} model;

static void model_free(model *m)
{
    bt_map_free(&m->vw);
    bt_map_free(&m->ew);
    bt_map_free(&m->cells);
    free(m->prob);
    free(m->cnt);
    free(m->pairs);
    free(m->total);
    free(m->out);
}

static int learned_cmp(const void *x, const void *y)
{
    const learned *a = x, *b = y;
    if (a->v != b->v) return a->v < b->v ? -1 : 1;
    if (a->prob != b->prob) return a->prob > b->prob ? -1 : 1;
    return a->e < b->e ? -1 : a->e > b->e;
}

/* Each pair of the table as map ids, one stretch per pair: first its words
 * (Vietnamese, then English), later its cells. start[p] is where pair p's
 * stretch begins in ids, lv[p] and le[p] how many Vietnamese and English
 * units it has. */
typedef struct pair_ids {
    size_t *start, *lv, *le;
    uint32_t *ids;
} pair_ids;

/* Pair p's words into m's maps and pi, each distinct word's pairs (weighted
 * by count) added to vfreq or efreq: a word's frequency decides later
 * whether it can give an entry at all. */
static void pair_words(const tpair *tp, size_t p, model *m, pair_ids *pi,
                       size_t *nids, size_t *icap, double **vfreq, size_t *vfcap,
                       double **efreq, size_t *efcap)
{
    const char *s = tp->text, *tab = strchr(s, '\t');
    double w = (double)tp->count;
    size_t nv = 0, ne = 0;
    BT_GROW(pi->ids, *icap, *nids + 2 * MAX_UNITS);
    uint32_t *ids = pi->ids;
    pi->start[p] = *nids;
    for (const char *a = s; a < tab && nv < MAX_UNITS;) {
        const char *bar = memchr(a, '|', (size_t)(tab - a));
        const char *end = bar ? bar : tab;
        int fresh;
        size_t id = bt_map_add(&m->vw, a, (size_t)(end - a), &fresh);
        BT_GROW(*vfreq, *vfcap, id + 1);
        if (fresh) (*vfreq)[id] = 0;
        int again = 0;
        for (size_t k = 0; k < nv; k++) again |= ids[pi->start[p] + k] == id;
        if (!again) (*vfreq)[id] += w;
        ids[(*nids)++] = (uint32_t)id;
        nv++;
        a = end + 1;
    }
    for (const char *a = tab + 1; *a && ne < MAX_UNITS;) {
        const char *sp = strchr(a, ' ');
        size_t l = sp ? (size_t)(sp - a) : strlen(a);
        int fresh;
        size_t id = bt_map_add(&m->ew, a, l, &fresh);
        BT_GROW(*efreq, *efcap, id + 1);
        if (fresh) (*efreq)[id] = 0;
        int again = 0;
        for (size_t k = 0; k < ne; k++) again |= ids[pi->start[p] + nv + k] == id;
        if (!again) (*efreq)[id] += w;
        ids[(*nids)++] = (uint32_t)id;
        ne++;
        a += l + (sp ? 1 : 0);
        if (!sp) break;
    }
    pi->lv[p] = nv;
    pi->le[p] = ne;
}

/* Each pair's words become its cells, row by row: for each English stem,
 * the cell of NULL and of each Vietnamese word. A word in fewer than
 * MIN_PAIRS pairs can give no entry and is left out, which keeps the cells
 * (pairs of words met together) to the text's frequent words. pi's word
 * ids are replaced by the cell ids. */
static void pair_cells(const bt_table *t, model *m, pair_ids *pi,
                       const double *vfreq, const double *efreq)
{
    uint32_t *rows = NULL;
    size_t nrows = 0, rcap = 0;
    for (size_t p = 0; p < t->n; p++) {
        size_t vid[MAX_UNITS + 1], eid[MAX_UNITS];
        size_t nv = 1, ne = 0;
        vid[0] = 0;
        for (size_t k = 0; k < pi->lv[p]; k++) {
            uint32_t id = pi->ids[pi->start[p] + k];
            if (vfreq[id] >= MIN_PAIRS) vid[nv++] = id;
        }
        for (size_t k = 0; k < pi->le[p]; k++) {
            uint32_t id = pi->ids[pi->start[p] + pi->lv[p] + k];
            if (efreq[id] >= MIN_PAIRS) eid[ne++] = id;
        }
        pi->start[p] = nrows;
        pi->lv[p] = nv;
        pi->le[p] = ne;
        BT_GROW(rows, rcap, nrows + nv * ne + 1);
        for (size_t j = 0; j < ne; j++)
            for (size_t i = 0; i < nv; i++) {
                uint32_t key[2] = { (uint32_t)vid[i], (uint32_t)eid[j] };
                size_t c = bt_map_add(&m->cells, (const char *)key, sizeof key, NULL);
                rows[nrows++] = (uint32_t)c;
            }
    }
    free(pi->ids);
    pi->ids = rows;
}

/* The model's arrays, every cell starting at probability 1, and in how
 * many pairs each cell's words meet (a pair counted once however often the
 * cell is in it): an entry needs MIN_PAIRS of them. */
static void count_cell_pairs(const bt_table *t, model *m, const pair_ids *pi)
{
    size_t nc = bt_map_size(&m->cells), nv = bt_map_size(&m->vw);
    m->prob = bt_xmalloc((nc + 1) * sizeof *m->prob);
    m->cnt = bt_xmalloc((nc + 1) * sizeof *m->cnt);
    m->pairs = bt_xcalloc(nc + 1, sizeof *m->pairs);
    m->total = bt_xmalloc((nv + 1) * sizeof *m->total);
    for (size_t c = 0; c < nc; c++) m->prob[c] = 1.0;
    unsigned char *seen = bt_xcalloc(nc + 1, 1);
    for (size_t p = 0; p < t->n; p++) {
        uint32_t *r = pi->ids + pi->start[p];
        size_t n = pi->lv[p] * pi->le[p];
        for (size_t k = 0; k < n; k++)
            if (!seen[r[k]]) {
                seen[r[k]] = 1;
                m->pairs[r[k]] += (double)t->v[p].count;
            }
        for (size_t k = 0; k < n; k++) seen[r[k]] = 0;
    }
    free(seen);
}

/* IBM Model 1's EM: each English stem's count shared among the pair's
 * Vietnamese words (and NULL) by the current probabilities, then each
 * probability set to its cell's share of its Vietnamese word's total. */
static void em_iterate(const bt_table *t, model *m, const pair_ids *pi)
{
    size_t nc = bt_map_size(&m->cells), nv = bt_map_size(&m->vw);
    for (int it = 0; it < EM_ITERATIONS; it++) {
        memset(m->cnt, 0, nc * sizeof *m->cnt);
        memset(m->total, 0, nv * sizeof *m->total);
        for (size_t p = 0; p < t->n; p++) {
            double w = (double)t->v[p].count;
            for (size_t j = 0; j < pi->le[p]; j++) {
                uint32_t *r = pi->ids + pi->start[p] + j * pi->lv[p];
                double z = 0;
                for (size_t i = 0; i < pi->lv[p]; i++) z += m->prob[r[i]];
                if (z <= 0) continue;
                for (size_t i = 0; i < pi->lv[p]; i++) {
                    double c = w * m->prob[r[i]] / z;
                    m->cnt[r[i]] += c;
                }
            }
        }
        for (size_t c = 0; c < nc; c++) {
            uint32_t key[2];
            memcpy(key, bt_map_key(&m->cells, c), sizeof key);
            m->total[key[0]] += m->cnt[c];
        }
        for (size_t c = 0; c < nc; c++) {
            uint32_t key[2];
            memcpy(key, bt_map_key(&m->cells, c), sizeof key);
            double tot = m->total[key[0]];
            m->prob[c] = tot > 0 ? m->cnt[c] / tot : 0;
        }
    }
}

/* The strong cells (not NULL's, probability and pairs enough) as m->out,
 * sorted. */
static void keep_entries(model *m)
{
    size_t nc = bt_map_size(&m->cells);
    for (size_t c = 0; c < nc; c++) {
        uint32_t key[2];
        memcpy(key, bt_map_key(&m->cells, c), sizeof key);
        if (key[0] == 0 || m->prob[c] < MIN_PROB || m->pairs[c] < MIN_PAIRS) continue;
        BT_GROW(m->out, m->outcap, m->nout + 1);
        m->out[m->nout++] = (learned){ key[0], key[1], m->prob[c], m->pairs[c] };
    }
    if (m->nout) qsort(m->out, m->nout, sizeof *m->out, learned_cmp);
}

/* IBM Model 1 over the kept pairs, in their order (hash order), so the
 * result does not depend on the order they came in. */
static void learn(bt_table *t, model *m)
{
    compact(t);
    memset(m, 0, sizeof *m);
    bt_map_init(&m->vw);
    bt_map_init(&m->ew);
    bt_map_init(&m->cells);
    bt_map_add(&m->vw, "", 0, NULL); /* NULL: what no word explains */
    pair_ids pi = { bt_xmalloc((t->n + 1) * sizeof *pi.start),
                    bt_xmalloc((t->n + 1) * sizeof *pi.lv),
                    bt_xmalloc((t->n + 1) * sizeof *pi.le), NULL };
    size_t nids = 0, icap = 0, vfcap = 0, efcap = 0;
    double *vfreq = NULL, *efreq = NULL;
    for (size_t p = 0; p < t->n; p++)
        pair_words(&t->v[p], p, m, &pi, &nids, &icap, &vfreq, &vfcap, &efreq, &efcap);
    pair_cells(t, m, &pi, vfreq, efreq);
    free(vfreq);
    free(efreq);
    count_cell_pairs(t, m, &pi);
    em_iterate(t, m, &pi);
    keep_entries(m);
    free(pi.ids);
    free(pi.start);
    free(pi.lv);
    free(pi.le);
}

/* The stems lex's caption word for the whole of vi has, or NULL when it
 * has none. */
static const char *lex_stems(const bt_lexicon *lex, const char *vi, lex_tokens *t)
{
    lex_tokenize(lex, BT_LANG_VI, vi, strlen(vi), t);
    const char *en = NULL;
    int fn;
    if (!t->n || lex_dict_match(lex, t, vi, 0, &en, &fn) != t->n) return NULL;
    return en;
}

/* Does one of the one-word alternatives of stems "a|b c|d" begin stem? */
static int stems_cover(const char *stems, const char *stem)
{
    for (const char *p = stems; *p;) {
        const char *bar = strchr(p, '|');
        size_t l = bar ? (size_t)(bar - p) : strlen(p);
        if (l && p[l - 1] == '$') {
            if (l - 1 == strlen(stem) - (stem[strlen(stem) - 1] == '$') && !strncmp(p, stem, l - 1))
                return 1;
        } else if (l && !memchr(p, ' ', l) && !strncmp(stem, p, l)) {
            return 1;
        }
        if (!bar) break;
        p = bar + 1;
    }
    return 0;
}

/* The learned entries into lex: a word it does not know takes every strong
 * entry; a word it knows only the stronger ones, and only English its
 * caption word lacks (the text's own rendering). */
static size_t add_learned(const model *m, bt_lexicon *lex)
{
    size_t added = 0;
    lex_tokens t;
    for (size_t i = 0; i < m->nout; i++) {
        const learned *l = &m->out[i];
        const char *vi = bt_map_key(&m->vw, l->v), *stem = bt_map_key(&m->ew, l->e);
        lex_tokens_init(&t);
        const char *known = lex_stems(lex, vi, &t);
        int take = !known || (l->prob >= KNOWN_MIN_PROB && l->pairs >= KNOWN_MIN_PAIRS &&
                              !stems_cover(known, stem));
        lex_tokens_free(&t);
        if (take) added += (size_t)lex_add_stems(lex, vi, stem, 0);
    }
    return added;
}

size_t bt_table_learn(bt_table *t, bt_lexicon *lex)
{
    if (!lex || !lex->own) return 0;
    model m;
    learn(t, &m);
    size_t added = add_learned(&m, lex);
    model_free(&m);
    return added;
}

/* ---- the file ---- */

int bt_table_write(bt_table *t, const char *path)
{
    bt_outfile *o = bt_outfile_open(path);
    if (!o) return -1;
    FILE *fp = bt_outfile_fp(o);
    compact(t);
    fprintf(fp, "# bitext table 1: the pairs learned from (see docs/translators.md)\n"
                "# pair<TAB>count<TAB>vietnamese|words<TAB>english stems\n"
                "# learned<TAB>vietnamese<TAB>english stem<TAB>t(e|v)<TAB>pairs "
                "(made from the pairs; not read back)\n");
    for (size_t i = 0; i < t->n; i++) fprintf(fp, "pair\t%lu\t%s\n", t->v[i].count, t->v[i].text);
    model m;
    learn(t, &m);
    for (size_t i = 0; i < m.nout; i++)
        fprintf(fp, "learned\t%s\t%s\t%.3f\t%.0f\n", bt_map_key(&m.vw, m.out[i].v),
                bt_map_key(&m.ew, m.out[i].e), m.out[i].prob, m.out[i].pairs);
    model_free(&m);
    return bt_outfile_commit(o);
}

/* The next line of fp into ln (its end kept), at most max bytes: its
 * length, -1 at the end of the file, -2 past max (bt_limits: a file of no
 * line ends is refused as it streams in, not held whole). */
static ssize_t read_line_max(FILE *fp, bt_buf *ln, size_t max)
{
    bt_buf_reset(ln);
    int c;
    while ((c = getc_unlocked(fp)) != EOF) {
        if (ln->len >= max && c != '\n' && c != '\r') return -2;
        bt_buf_addc(ln, (char)c);
        if (c == '\n') break;
    }
    return ln->len || c != EOF ? (ssize_t)ln->len : -1;
}

int bt_table_read(bt_table *t, const char *path, bt_diag_fn diag, void *ud)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        bt_report(diag, ud, BT_ERR_IO, 0, path, 0, "cannot read: %s", strerror(errno));
        return BT_ERR_IO;
    }
    const bt_limits *lim = bt_limits_get();
    struct stat st;
    if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) &&
        (uintmax_t)st.st_size > lim->total) {
        bt_report(diag, ud, BT_ERR_LIMIT, 0, path, 0, "larger than %zu bytes "
                  "(BITEXT_LIMITS=total=SIZE raises it)", lim->total);
        fclose(fp);
        return BT_ERR_LIMIT;
    }
    bt_buf ln;
    bt_buf_init(&ln);
    ssize_t n;
    unsigned long lineno = 0;
    bt_buf b;
    bt_buf_init(&b);
    const char *was = bt_reading(path);
    int rc = BT_OK;
    while ((n = read_line_max(fp, &ln, lim->text)) != -1) {
        lineno++;
        if (n == -2) {
            bt_report(diag, ud, BT_ERR_LIMIT, 0, path, lineno, "line longer than %zu bytes "
                      "(BITEXT_LIMITS=text=SIZE raises it)", lim->text);
            rc = BT_ERR_LIMIT;
            break;
        }
        char *line = ln.ptr;
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        if (!n || line[0] == '#' || !strncmp(line, "learned\t", 8)) continue;
        char *cols[4];
        int nc = 0;
        for (char *c = line; nc < 4;) {
            cols[nc++] = c;
            char *tab = strchr(c, '\t');
            if (!tab) break;
            *tab = '\0';
            c = tab + 1;
        }
        char *end = NULL;
        unsigned long count = 0;
        if (nc == 4 && !strcmp(cols[0], "pair") && cols[1][0] >= '1' && cols[1][0] <= '9') {
            errno = 0;
            count = strtoul(cols[1], &end, 10);
        }
        if (!count || errno || *end || !*cols[2] || !*cols[3] || strchr(cols[3], '\t') ||
            bt_utf8_invalid_at(cols[2], strlen(cols[2])) != (size_t)-1 ||
            bt_utf8_invalid_at(cols[3], strlen(cols[3])) != (size_t)-1) {
            bt_report(diag, ud, BT_ERR_FORMAT, 1, path, lineno,
                      "expected pair<TAB>count<TAB>words<TAB>stems; line skipped");
            continue;
        }
        bt_buf_reset(&b);
        bt_buf_printf(&b, "%s\t%s", cols[2], cols[3]);
        add_text(t, b.ptr, b.len, count);
    }
    bt_reading(was);
    int err = ferror(fp);
    bt_buf_free(&ln);
    bt_buf_free(&b);
    fclose(fp);
    if (rc != BT_OK) return rc;
    if (err) {
        bt_report(diag, ud, BT_ERR_IO, 0, path, 0, "cannot read: %s", strerror(EIO));
        return BT_ERR_IO;
    }
    return BT_OK;
}
