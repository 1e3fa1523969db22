/* bead.c - sentence alignment of a Vietnamese article and its English
 * translation: dynamic programming over beads (1-1, 1-0, 0-1, 2-1, 1-2,
 * 2-2) in a band around a guide path.
 *
 * The cost of a bead adds a prior for its kind, a Gale-Church length cost
 * (the EN/VI character ratio and its variance are estimated from the texts
 * themselves) and lexical evidence: folded names and other literal tokens,
 * numbers with separators removed, concepts of the title lexicon, and in a
 * second pass a translation table (IBM Model 1, both directions) learned
 * from the confident 1-1 beads of the first. Evidence is a weighted overlap
 * (matched weight over total weight, rare tokens weighing more), calibrated
 * against the overlap of sentences that are certainly not translations.
 *
 * Memory is linear: the DP keeps three rows of costs and one byte of back
 * pointer per cell of the band; a band that proves too narrow (the best
 * path runs along its edge) is re-centred on that path and doubled. */

#include "align.h"
#include "credit_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

/* ---- tuning ---------------------------------------------------------- */

#define BAND_DEFAULT   20
#define BAND_PASS2     8
#define CELL_FLOOR     ((size_t)1 << 22)  /* cells always allowed */
#define CELLS_PER_SENT 200                /* linear cap on the band */
#define W_ANCHOR       2.0   /* a name or literal token */
#define W_NUMBER       1.0   /* a number: one among the other words */
#define W_CONCEPT      1.5   /* a title or body of the lexicon */
#define W_M1_EN        1.0   /* an English word, pass 2 */
#define W_M1_VI        0.5   /* a Vietnamese syllable or syllable pair */
#define TAU            0.25  /* translation probability counted as certain */
#define LEX_WEIGHT     8.0   /* nats for a typical lexical match, per side */
#define CHANCE_MULT    2.0   /* cross-sentence overlap discounted, x base */
#define LEN_VAR0       16.0  /* variance of any length difference, chars^2 */
#define CAL_ZERO       0.4   /* where evidence turns negative, chance..typical */
#define P_PARA         3.0   /* two sentences from different paragraphs */
#define P_LINE         1.0   /* two sentences from different lines */
#define B_START        0.7   /* both sides start a paragraph here */
#define TRAIN_CELLS    ((size_t)6 << 20)  /* token pairs the EM looks at */
#define EM_ITERS       5
#define LEARN_ROUNDS   2     /* learn, align; learn again, align again */
#define ADJ_KEEP       10    /* translations kept per Vietnamese token */
#define ADJ_MIN        0.02f

/* bead kinds: index into the tables below */
enum { K11, K10, K01, K21, K12, K22, NKINDS };
static const int kdi[NKINDS] = {1, 1, 0, 2, 1, 2};
static const int kdj[NKINDS] = {1, 0, 1, 1, 2, 2};
/* Gale and Church's priors, with merges and 2-2 rarer: lexical evidence
 * cannot tell a merge from the two beads it replaces, length can only
 * favour it */
static const double kprior[NKINDS] = {0.89, 0.02, 0.02, 0.02, 0.02,
                                      0.002};

/* ---- small hash maps ------------------------------------------------- */

static uint64_t hash_bytes(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static uint32_t mix32(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    uint32_t r = (uint32_t)h;
    return r ? r : 1;  /* 0 marks an empty slot */
}

static uint32_t token_id(char ns, const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    h = hash_bytes(h, &ns, 1);
    return mix32(hash_bytes(h, s, n));
}

static uint32_t pair_id(uint32_t a, uint32_t b)
{
    return mix32(((uint64_t)a << 32 | b) * 0x9e3779b97f4a7c15ULL + 0x42);
}

static int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* uint32 key -> uint32 value, open addressing, key 0 empty */
typedef struct u32map {
    uint32_t *keys, *vals;
    size_t cap, n;
} u32map;

static void u32map_init(u32map *m, size_t hint)
{
    size_t cap = 64;
    while (cap < hint * 2) cap <<= 1;
    m->keys = bt_xcalloc(cap, sizeof *m->keys);
    m->vals = bt_xcalloc(cap, sizeof *m->vals);
    m->cap = cap;
    m->n = 0;
}

static void u32map_free(u32map *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

static uint32_t *u32map_slot(u32map *m, uint32_t key, int *created);

static void u32map_grow(u32map *m)
{
    u32map o = *m;
    u32map_init(m, o.cap);
    for (size_t i = 0; i < o.cap; i++)
        if (o.keys[i]) *u32map_slot(m, o.keys[i], NULL) = o.vals[i];
    u32map_free(&o);
}

/* The value slot of key, created (zero) when absent. */
static uint32_t *u32map_slot(u32map *m, uint32_t key, int *created)
{
    if ((m->n + 1) * 4 > m->cap * 3) u32map_grow(m);
    size_t mask = m->cap - 1, i = (key * 0x9e3779b1u) & mask;
    while (m->keys[i] && m->keys[i] != key) i = (i + 1) & mask;
    if (created) *created = !m->keys[i];
    if (!m->keys[i]) {
        m->keys[i] = key;
        m->vals[i] = 0;
        m->n++;
    }
    return &m->vals[i];
}

static const uint32_t *u32map_get(const u32map *m, uint32_t key)
{
    if (!m->cap) return NULL;
    size_t mask = m->cap - 1, i = (key * 0x9e3779b1u) & mask;
    while (m->keys[i]) {
        if (m->keys[i] == key) return &m->vals[i];
        i = (i + 1) & mask;
    }
    return NULL;
}

/* ---- sentences and their evidence ------------------------------------ */

typedef struct item {
    uint32_t id;
    float w;
} item;

/* Item lists of a sentence, as [off, off + n) in the context's pool. */
enum { L_TOK, L_ANC, L_NUM, L_CON, L_BIG, NLISTS };

typedef struct sent {
    const char *text;
    size_t len;
    unsigned long line;   /* source line number */
    size_t lineidx;       /* index of the source line in the doc */
    size_t para;          /* paragraph number */
    int para_start;       /* first sentence of its paragraph */
    double clen;          /* length in characters */
    size_t off[NLISTS];
    uint32_t n[NLISTS];
    float t1;             /* total weight of pass-1 evidence */
    float t2;             /* total weight of pass-2 (translation) evidence */
} sent;

typedef struct side {
    sent *s;
    size_t n, cap;
    size_t nparas;
} side;

/* The learned table, as adjacency lists of the Vietnamese tokens. */
typedef struct adj_entry {
    uint32_t e;
    float tev;  /* p(e | v) */
    float tve;  /* p(v | e) */
} adj_entry;

#define LEN_STEPS 64
#define LEN_ZMAX  40

typedef struct table {
    u32map adj_index;      /* VI token id -> index into adj_off */
    size_t *adj_off;       /* entries of index k: adj[adj_off[k]..adj_off[k+1]) */
    adj_entry *adj;
    size_t nadj_tokens, nadj;
} table;

typedef struct ctx {
    const bt_lexicon *lex;
    side vi, en;
    item *pool;
    size_t npool, cappool;
    double ratio, var;     /* EN chars per VI char; variance per char */
    int pass;              /* 1 or 2 */
    double base, good;     /* calibration of the overlap, for this pass */
    double chance;         /* overlap discounted per extra sentence */
    double t0;             /* evidence weight at which confidence is 1/2 */
    /* learned tables: tab[t] learned from the pairs whose VI sentence has
     * index parity t, and used for the sentences of the other parity, so
     * that no pair is scored by a table that learned it */
    table tab[2];
    bt_bead_stats *stats;
    size_t cell_cap;
    size_t *anc_i, *anc_j; /* a monotone chain of anchor pairs */
    double *cumv, *cume;   /* cumulative sentence lengths, n + 1 and m + 1 */
    double len_table[LEN_ZMAX * LEN_STEPS + 2];
    size_t nanc;
} ctx;

static item *list_of(const ctx *c, const sent *s, int l)
{
    return c->pool + s->off[l];
}

static void pool_push(ctx *c, uint32_t id, float w)
{
    BT_GROW(c->pool, c->cappool, c->npool + 1);
    c->pool[c->npool].id = id;
    c->pool[c->npool].w = w;
    c->npool++;
}

static int item_cmp(const void *a, const void *b)
{
    uint32_t x = ((const item *)a)->id, y = ((const item *)b)->id;
    return x < y ? -1 : x > y;
}

/* Sort a list by id and drop repeats; returns the new length. */
static uint32_t sort_unique(item *v, uint32_t n)
{
    if (n < 2) return n;
    qsort(v, n, sizeof *v, item_cmp);
    uint32_t k = 1;
    for (uint32_t i = 1; i < n; i++)
        if (v[i].id != v[k - 1].id) v[k++] = v[i];
    return k;
}

static int has_id(const item *v, uint32_t n, uint32_t id)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (v[mid].id < id) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && v[lo].id == id;
}

static int is_word_cp(int32_t cp)
{
    return cp == '%' || u_isalnum(cp) || u_charType(cp) == U_NON_SPACING_MARK;
}

/* Tokenize one sentence into the pool: every folded word (L_TOK), the
 * literal ones that should appear unchanged in a translation (L_ANC), the
 * numbers (L_NUM), lexicon concepts (L_CON) and, on the Vietnamese side,
 * pairs of adjacent syllables (L_BIG). Weights are set later. */
static void analyze(ctx *c, sent *st, bt_lang lang, bt_buf *fold,
                    bt_buf *digits)
{
    /* one temporary list per kind, concatenated into the pool at the end */
    item *tmp[NLISTS] = {0};
    size_t tn[NLISTS] = {0}, tc[NLISTS] = {0};
#define TPUSH(l, idv) do { BT_GROW(tmp[l], tc[l], tn[l] + 1); \
        tmp[l][tn[l]].id = (idv); tmp[l][tn[l]].w = 0; tn[l]++; } while (0)

    const char *s = st->text;
    size_t len = st->len, i = 0;
    size_t ntok = 0;
    /* titles and bodies: concepts to match, and their capitalized words
     * (Phó Bí thư, Tỉnh ủy) are not names */
    bt_title_match m[32];
    size_t nm = c->lex ? bt_lexicon_find(c->lex, lang, s, len, m, 32) : 0;
    if (nm > 32) nm = 32;
    for (size_t x = 0; x < nm; x++)
        if (m[x].concept >= 0) TPUSH(L_CON, (uint32_t)m[x].concept + 1);
    uint32_t prev = 0;
    double chars = 0;
    while (i < len) {
        int32_t cp;
        int k = bt_utf8_decode(s + i, len - i, &cp);
        if (k < 0) { i++; continue; }
        chars++;
        if (!is_word_cp(cp)) {
            i += (size_t)k;
            if (cp != ' ' && cp != '-' && cp != '\'') prev = 0;
            continue;
        }
        /* a word: letters, digits and marks; 1.034 / 3,5 stay together */
        size_t a = i;
        int upper = u_isupper(cp) || u_istitle(cp), all_upper = 1;
        int digit = 0, letter = 0, nletters = 0;
        while (i < len) {
            k = bt_utf8_decode(s + i, len - i, &cp);
            if (k < 0) break;
            if (is_word_cp(cp)) {
                if (u_isdigit(cp)) digit = 1;
                else if (cp != '%' && u_isalpha(cp)) {
                    letter = 1;
                    nletters++;
                    if (!u_isupper(cp)) all_upper = 0;
                }
                i += (size_t)k;
                if (i > a + (size_t)k) chars++;
                continue;
            }
            if ((cp == '.' || cp == ',') && digit && !letter && i + 1 < len &&
                s[i + 1] >= '0' && s[i + 1] <= '9') {
                i++;
                chars++;
                continue;
            }
            break;
        }
        size_t b = i;
        if (b == a) { i++; continue; }
        ntok++;
        if (digit && !letter) {
            bt_buf_reset(digits);
            for (size_t x = a; x < b; x++)
                if (s[x] >= '0' && s[x] <= '9') bt_buf_addc(digits, s[x]);
            TPUSH(L_NUM, token_id('N', digits->ptr, digits->len));
            prev = 0;
            continue;
        }
        bt_buf_reset(fold);
        bt_fold(s + a, b - a, fold);
        uint32_t id = token_id('T', fold->ptr, fold->len);
        TPUSH(L_TOK, id);
        int literal = digit || memchr(s + a, '%', b - a) != NULL ||
                      (all_upper && nletters >= 2) || (upper && ntok > 1);
        if (lang == BT_LANG_VI && !literal)
            literal = !bt_vi_syllable(fold->ptr, fold->len);
        for (size_t x = 0; x < nm && literal && !digit; x++)
            if (a >= m[x].start && b <= m[x].end) literal = 0;
        if (literal) TPUSH(L_ANC, id);
        if (lang == BT_LANG_VI) {
            if (prev) TPUSH(L_BIG, pair_id(prev, id));
            prev = id;
        }
    }
#undef TPUSH
    st->clen = chars;
    for (int l = 0; l < NLISTS; l++) {
        uint32_t n = sort_unique(tmp[l], (uint32_t)tn[l]);
        st->off[l] = c->npool;
        st->n[l] = n;
        for (uint32_t x = 0; x < n; x++) pool_push(c, tmp[l][x].id, 0);
        free(tmp[l]);
    }
}

static int blank_line(const bt_line *l)
{
    for (size_t i = 0; i < l->len; i++)
        if (l->text[i] != ' ' && l->text[i] != '\t') return 0;
    return 1;
}

/* Split a document into sentences, paragraph by paragraph. */
static void load_side(ctx *c, side *sd, const bt_doc *doc, bt_lang lang)
{
    bt_buf fold, digits;
    bt_buf_init(&fold);
    bt_buf_init(&digits);
    size_t maxsp = 64, *spans = bt_xmalloc(2 * maxsp * sizeof *spans);
    size_t para = 0;
    int in_para = 0, new_para = 1;
    for (size_t li = 0; doc && li < doc->nlines; li++) {
        const bt_line *l = &doc->lines[li];
        if (blank_line(l)) {
            if (in_para) para++;
            in_para = 0;
            new_para = 1;
            continue;
        }
        if (l->lang == BT_LANG_JUNK) continue;
        size_t ns = bt_sentences(l->text, l->len, spans, maxsp);
        if (ns > maxsp) {
            maxsp = ns;
            spans = bt_xrealloc(spans, 2 * maxsp * sizeof *spans);
            ns = bt_sentences(l->text, l->len, spans, maxsp);
        }
        for (size_t k = 0; k < ns; k++) {
            BT_GROW(sd->s, sd->cap, sd->n + 1);
            sent *st = &sd->s[sd->n];
            memset(st, 0, sizeof *st);
            st->text = l->text + spans[2 * k];
            st->len = spans[2 * k + 1] - spans[2 * k];
            st->line = l->lineno;
            st->lineidx = li;
            st->para = para;
            st->para_start = new_para;
            new_para = 0;
            in_para = 1;
            analyze(c, st, lang, &fold, &digits);
            sd->n++;
        }
    }
    sd->nparas = para + (in_para ? 1 : 0);
    /* never NULL, even for a text without a sentence: the DP adds offsets */
    if (!sd->s) BT_GROW(sd->s, sd->cap, 1);
    free(spans);
    bt_buf_free(&fold);
    bt_buf_free(&digits);
}

/* Rare tokens weigh more: an inverse document frequency over the sentences
 * of both sides, scaled to 0.05..1. */
static void set_weights(ctx *c)
{
    u32map df;
    size_t nsent = c->vi.n + c->en.n;
    u32map_init(&df, c->npool / 2 + 16);
    for (int sd = 0; sd < 2; sd++) {
        side *S = sd ? &c->en : &c->vi;
        for (size_t k = 0; k < S->n; k++) {
            sent *st = &S->s[k];
            static const int ls[] = {L_TOK, L_NUM, L_BIG};
            for (int q = 0; q < 3; q++) {
                item *v = list_of(c, st, ls[q]);
                for (uint32_t x = 0; x < st->n[ls[q]]; x++)
                    (*u32map_slot(&df, v[x].id, NULL))++;
            }
        }
    }
    double lg = log((double)nsent + 2.0);
    for (int sd = 0; sd < 2; sd++) {
        side *S = sd ? &c->en : &c->vi;
        for (size_t k = 0; k < S->n; k++) {
            sent *st = &S->s[k];
            for (int l = 0; l < NLISTS; l++) {
                item *v = list_of(c, st, l);
                for (uint32_t x = 0; x < st->n[l]; x++) {
                    double w = 1.0;
                    if (l != L_CON) {
                        const uint32_t *d = u32map_get(&df, v[x].id);
                        double f = d ? *d : 1;
                        w = log(((double)nsent + 2.0) / (f + 1.0)) / lg;
                        if (w < 0.05) w = 0.05;
                        if (w > 1) w = 1;
                    }
                    v[x].w = (float)w;
                }
            }
            double t1 = 0, t2 = 0;
            item *v = list_of(c, st, L_ANC);
            for (uint32_t x = 0; x < st->n[L_ANC]; x++) t1 += W_ANCHOR * v[x].w;
            v = list_of(c, st, L_NUM);
            for (uint32_t x = 0; x < st->n[L_NUM]; x++) t1 += W_NUMBER * v[x].w;
            t1 += W_CONCEPT * st->n[L_CON];
            double wm = sd ? W_M1_EN : W_M1_VI;
            v = list_of(c, st, L_TOK);
            for (uint32_t x = 0; x < st->n[L_TOK]; x++) t2 += wm * v[x].w;
            v = list_of(c, st, L_BIG);
            for (uint32_t x = 0; x < st->n[L_BIG]; x++) t2 += wm * v[x].w;
            st->t1 = (float)t1;
            st->t2 = (float)t2;
        }
    }
    u32map_free(&df);
}

/* ---- evidence between one VI and one EN sentence --------------------- */

/* Matched weight of the literal tokens, numbers and concepts of a found in
 * b. */
static double match_literal(const ctx *c, const sent *a, const sent *b)
{
    double m = 0;
    const item *v = list_of(c, a, L_ANC), *t = list_of(c, b, L_TOK);
    for (uint32_t x = 0; x < a->n[L_ANC]; x++)
        if (has_id(t, b->n[L_TOK], v[x].id)) m += W_ANCHOR * v[x].w;
    v = list_of(c, a, L_NUM);
    t = list_of(c, b, L_NUM);
    for (uint32_t x = 0; x < a->n[L_NUM]; x++)
        if (has_id(t, b->n[L_NUM], v[x].id)) m += W_NUMBER * v[x].w;
    v = list_of(c, a, L_CON);
    t = list_of(c, b, L_CON);
    for (uint32_t x = 0; x < a->n[L_CON]; x++)
        if (has_id(t, b->n[L_CON], v[x].id)) m += W_CONCEPT;
    return m;
}

/* The translations of the tokens of one VI sentence, sorted by English
 * word: the sentence's "bag" for pass 2. */
typedef struct bag_entry {
    uint32_t e;
    uint32_t k;   /* which VI token (index into its TOK then BIG lists) */
    float tev, tve;
} bag_entry;

typedef struct bag {
    bag_entry *v, *tmp;
    size_t n, cap, tmpcap;
    uint32_t nv;  /* VI tokens */
} bag;

/* Sort a bag by English word: an LSD radix sort, byte by byte, through a
 * scratch array (qsort's indirect comparisons dominated the run time). */
static void bag_sort(bag *g)
{
    BT_GROW(g->tmp, g->tmpcap, g->n);
    bag_entry *src = g->v, *dst = g->tmp;
    for (int shift = 0; shift < 32; shift += 8) {
        size_t cnt[257] = {0};
        for (size_t k = 0; k < g->n; k++) cnt[((src[k].e >> shift) & 0xff) + 1]++;
        for (int b = 0; b < 256; b++) cnt[b + 1] += cnt[b];
        for (size_t k = 0; k < g->n; k++) dst[cnt[(src[k].e >> shift) & 0xff]++] = src[k];
        bag_entry *t = src;
        src = dst;
        dst = t;
    }
    /* four passes: the sorted data is back in g->v */
}

static void bag_build(const ctx *c, const sent *a, bag *g)
{
    const table *T = c->tab[1].nadj ? &c->tab[((size_t)(a - c->vi.s) & 1) ^ 1]
                                    : &c->tab[0];
    g->n = 0;
    g->nv = a->n[L_TOK] + a->n[L_BIG];
    for (uint32_t k = 0; k < g->nv; k++) {
        const item *it = k < a->n[L_TOK] ? &list_of(c, a, L_TOK)[k]
                                         : &list_of(c, a, L_BIG)[k - a->n[L_TOK]];
        const uint32_t *ix = u32map_get(&T->adj_index, it->id);
        if (!ix) continue;
        for (size_t q = T->adj_off[*ix]; q < T->adj_off[*ix + 1]; q++) {
            BT_GROW(g->v, g->cap, g->n + 1);
            g->v[g->n].e = T->adj[q].e;
            g->v[g->n].k = k;
            g->v[g->n].tev = T->adj[q].tev;
            g->v[g->n].tve = T->adj[q].tve;
            g->n++;
        }
    }
    if (g->n > 1) bag_sort(g);
}

static double cover(double t)
{
    t /= TAU;
    return t > 1 ? 1 : t;
}

/* Translation evidence: the weight of b's words covered by the bag of a
 * (*me) and of a's tokens covered by b's words (*mv). */
static void match_table(const ctx *c, const sent *a, const bag *g,
                        const sent *b, float *best, double *mv, double *me)
{
    const item *t = list_of(c, b, L_TOK);
    uint32_t nt = b->n[L_TOK];
    for (uint32_t k = 0; k < g->nv; k++) best[k] = 0;
    double e_cov = 0;
    size_t p = 0;
    for (uint32_t x = 0; x < nt && p < g->n; x++) {
        while (p < g->n && g->v[p].e < t[x].id) p++;
        float bt = 0;
        while (p < g->n && g->v[p].e == t[x].id) {
            if (g->v[p].tev > bt) bt = g->v[p].tev;
            if (g->v[p].tve > best[g->v[p].k]) best[g->v[p].k] = g->v[p].tve;
            p++;
        }
        e_cov += W_M1_EN * t[x].w * cover(bt);
    }
    double v_cov = 0;
    for (uint32_t k = 0; k < g->nv; k++) {
        if (best[k] == 0) continue;
        const item *it = k < a->n[L_TOK] ? &list_of(c, a, L_TOK)[k]
                                         : &list_of(c, a, L_BIG)[k - a->n[L_TOK]];
        v_cov += W_M1_VI * it->w * cover(best[k]);
    }
    *mv += v_cov;
    *me += e_cov;
}

/* Evidence for the pair (a, b) in the current pass. */
typedef struct ev {
    float mv, me; /* matched weight on the VI side, on the EN side */
} ev;

static ev pair_evidence(const ctx *c, const sent *a, const bag *g,
                        const sent *b, float *best)
{
    double mv = match_literal(c, a, b), me = match_literal(c, b, a);
    if (c->pass == 2 && g) match_table(c, a, g, b, best, &mv, &me);
    ev r = {(float)mv, (float)me};
    return r;
}

static double total_of(const ctx *c, const sent *s)
{
    return c->pass == 2 ? s->t1 + s->t2 : s->t1;
}

/* ---- bead costs ------------------------------------------------------ */

/* -log of the two-sided tail probability of the length difference. */
static double length_z(const ctx *c, double lv, double le)
{
    double mean = (lv + le / c->ratio) / 2;
    return (le - c->ratio * lv) / sqrt(c->var * mean + LEN_VAR0);
}

/* A Gaussian with a wider component mixed in: translations that add or drop
 * a clause are rarer than Gale and Church's normal law says, but not that
 * rare. */
static double length_prob(double z)
{
    z = fabs(z);
    return 0.9 * erfc(z / sqrt(2.0)) + 0.1 * erfc(z / (3 * sqrt(2.0)));
}

/* -log length_prob(z) for z = 0, 1/LEN_STEPS, ... (erfc and log are the
 * hottest calls of the DP otherwise); one table per run, no shared state */
static void len_table_init(ctx *c)
{
    for (int k = 0; k <= LEN_ZMAX * LEN_STEPS + 1; k++) {
        double p = length_prob((double)k / LEN_STEPS);
        if (p < 1e-12) p = 1e-12;
        c->len_table[k] = -log(p);
    }
}

static double length_cost(const ctx *c, double lv, double le)
{
    double z = fabs(length_z(c, lv, le)) * LEN_STEPS;
    if (z >= LEN_ZMAX * LEN_STEPS) return c->len_table[LEN_ZMAX * LEN_STEPS];
    int k = (int)z;
    double f = z - k;
    return c->len_table[k] * (1 - f) + c->len_table[k + 1] * f;
}

/* The overlap of a bead: matched over total weight, and the total. A
 * sentence facing two sentences counts what both match, less what a second
 * unrelated sentence would match by chance: otherwise shared function words
 * make every merge look better than the two 1-1 beads it replaces. */
static double bead_overlap(const ctx *c, const sent *I, int ni, const sent *J,
                           int nj, const ev e[2][2], double *total)
{
    double m = 0, t = 0;
    for (int x = 0; x < ni; x++) {
        double tv = total_of(c, &I[x]), s = 0, mx = 0;
        for (int y = 0; y < nj; y++) {
            s += e[x][y].mv;
            if (e[x][y].mv > mx) mx = e[x][y].mv;
        }
        if (nj == 2) s = s - c->chance * tv > mx ? s - c->chance * tv : mx;
        m += s < tv ? s : tv;
        t += tv;
    }
    for (int y = 0; y < nj; y++) {
        double te = total_of(c, &J[y]), s = 0, mx = 0;
        for (int x = 0; x < ni; x++) {
            s += e[x][y].me;
            if (e[x][y].me > mx) mx = e[x][y].me;
        }
        if (ni == 2) s = s - c->chance * te > mx ? s - c->chance * te : mx;
        m += s < te ? s : te;
        t += te;
    }
    *total = t;
    return t > 0 ? m / t : 0;
}

/* How far an overlap lies above what unrelated sentences reach (0) towards
 * a typical translation (1); negative below. The zero sits well above the
 * mean chance overlap, as unrelated sentences of one text share words. */
static double calibrate(const ctx *c, double sim)
{
    double zero = c->base + CAL_ZERO * (c->good - c->base);
    double a = (sim - zero) / (c->good - zero);
    if (a < -1.5) a = -1.5;
    if (a > 1.5) a = 1.5;
    return a;
}

/* Cost of the bead I (ni VI sentences) x J (nj EN sentences); e holds the
 * pair evidence e[x][y] for I[x], J[y]. */
static double bead_cost(const ctx *c, int kind, const sent *I, const sent *J,
                        const ev e[2][2])
{
    int ni = kdi[kind], nj = kdj[kind];
    double cost = -log(kprior[kind]);
    if (ni == 2)
        cost += I[0].para != I[1].para ? P_PARA
              : I[0].lineidx != I[1].lineidx ? P_LINE : 0;
    if (nj == 2)
        cost += J[0].para != J[1].para ? P_PARA
              : J[0].lineidx != J[1].lineidx ? P_LINE : 0;
    if (!ni || !nj) return cost;
    if (I[0].para_start && J[0].para_start) cost -= B_START;
    double lv = 0, le = 0;
    for (int x = 0; x < ni; x++) lv += I[x].clen;
    for (int y = 0; y < nj; y++) le += J[y].clen;
    cost += length_cost(c, lv + ni - 1, le + nj - 1);
    double total, sim = bead_overlap(c, I, ni, J, nj, e, &total);
    if (total > 0) {
        /* evidence per sentence, so that merging beads earns nothing */
        double per = total * 2 / (ni + nj);
        double conf = per / (per + c->t0);
        cost -= LEX_WEIGHT * conf * calibrate(c, sim) * (ni + nj) / 2.0;
    }
    return cost;
}

/* ---- the banded DP --------------------------------------------------- */

/* A path is the list of bead ends (i, j) from (0, 0) to (n, m) with kinds. */
typedef struct path {
    size_t *i, *j;
    unsigned char *kind;
    size_t n, cap;
} path;

static void path_push(path *p, size_t i, size_t j, int kind)
{
    if (p->n + 1 > p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->i = bt_xrealloc(p->i, p->cap * sizeof *p->i);
        p->j = bt_xrealloc(p->j, p->cap * sizeof *p->j);
        p->kind = bt_xrealloc(p->kind, p->cap);
    }
    p->i[p->n] = i;
    p->j[p->n] = j;
    p->kind[p->n] = (unsigned char)kind;
    p->n++;
}

static void path_free(path *p)
{
    free(p->i);
    free(p->j);
    free(p->kind);
    memset(p, 0, sizeof *p);
}

/* Pair evidence of VI sentence a against the EN sentences [lo, hi]: the
 * row cache. */
typedef struct evrow {
    ev *v;
    size_t lo, hi, cap; /* valid for lo <= b <= hi, when hi >= lo */
    size_t a;
    int ok;
} evrow;

static void evrow_fill(const ctx *c, evrow *r, const sent *vi, size_t a,
                       const sent *en, size_t lo, size_t hi, bag *g,
                       float **best, size_t *bestcap)
{
    r->a = a;
    r->lo = lo;
    r->hi = hi;
    r->ok = 1;
    if (hi < lo) return;
    BT_GROW(r->v, r->cap, hi - lo + 1);
    const bag *gp = NULL;
    if (c->pass == 2) {
        bag_build(c, &vi[a], g);
        BT_GROW(*best, *bestcap, g->nv + 1);
        gp = g;
    }
    for (size_t b = lo; b <= hi; b++)
        r->v[b - lo] = pair_evidence(c, &vi[a], gp, &en[b], *best);
}

static ev evrow_get(const evrow *r, size_t b)
{
    ev zero = {0, 0};
    if (!r->ok || b < r->lo || b > r->hi) return zero;
    return r->v[b - r->lo];
}

/* Align vi[0..n) with en[0..m) inside the band given by centre[0..n] (the
 * expected j of each row) and half-widths wr[0..n]. Appends the beads to
 * out (with ends relative to vi/en). Returns how many beads of the path ran
 * along an inner edge of the band (within two cells, three beads or more in
 * a row), and marks their rows in edge[0..n]. */
static int dp_band(ctx *c, const sent *vi, size_t n, const sent *en, size_t m,
                   const size_t *centre, const size_t *wr,
                   unsigned char *edge, path *out)
{
    size_t *lo = bt_xmalloc((n + 1) * sizeof *lo);
    size_t *hi = bt_xmalloc((n + 1) * sizeof *hi);
    size_t *rowoff = bt_xmalloc((n + 2) * sizeof *rowoff);
    /* the band of row i spans the centres of rows i-1..i+1, plus w */
    for (size_t i = 0; i <= n; i++) {
        size_t a = centre[i], b = centre[i], w = wr[i];
        if (i > 0 && centre[i - 1] < a) a = centre[i - 1];
        if (i < n && centre[i + 1] > b) b = centre[i + 1];
        lo[i] = a > w ? a - w : 0;
        hi[i] = b + w < m ? b + w : m;
    }
    /* monotone, and the corners inside */
    lo[0] = 0;
    hi[n] = m;
    for (size_t i = 1; i <= n; i++)
        if (hi[i] < hi[i - 1]) hi[i] = hi[i - 1];
    for (size_t i = n; i-- > 0;)
        if (lo[i] > lo[i + 1]) lo[i] = lo[i + 1];
    rowoff[0] = 0;
    for (size_t i = 0; i <= n; i++) rowoff[i + 1] = rowoff[i] + hi[i] - lo[i] + 1;
    size_t cells = rowoff[n + 1];
    if (c->stats) {
        c->stats->cells += cells;
        if (cells > c->stats->max_cells) c->stats->max_cells = cells;
        c->stats->dp_runs++;
    }
    unsigned char *back = bt_xmalloc(cells);
    size_t maxw = 0;
    for (size_t i = 0; i <= n; i++)
        if (hi[i] - lo[i] + 1 > maxw) maxw = hi[i] - lo[i] + 1;
    double *rows[3];
    for (int k = 0; k < 3; k++) rows[k] = bt_xmalloc(maxw * sizeof(double));

    evrow er[2] = {{0}, {0}};
    bag g = {0};
    float *best = NULL;
    size_t bestcap = 0;

    for (size_t i = 0; i <= n; i++) {
        double *cur = rows[i % 3];
        double *p1 = i >= 1 ? rows[(i + 2) % 3] : NULL;
        double *p2 = i >= 2 ? rows[(i + 1) % 3] : NULL;
        /* evidence of VI sentence i-1 against the EN sentences rows i and
         * i+1 will ask for */
        if (i >= 1) {
            evrow *r = &er[(i - 1) % 2];
            size_t elo = lo[i] >= 2 ? lo[i] - 2 : 0;
            size_t ehi = i + 1 <= n ? hi[i + 1] : hi[i];
            if (ehi > m) ehi = m;
            if (ehi == 0) { r->ok = 1; r->lo = 1; r->hi = 0; r->a = i - 1; }
            else evrow_fill(c, r, vi, i - 1, en, elo, ehi - 1, &g, &best,
                            &bestcap);
        }
        for (size_t j = lo[i]; j <= hi[i]; j++) {
            double bestc = HUGE_VAL;
            int bk = 255;
            if (i == 0 && j == 0) { bestc = 0; bk = 254; }
            for (int k = 0; k < NKINDS; k++) {
                size_t di = (size_t)kdi[k], dj = (size_t)kdj[k];
                if (i < di || j < dj) continue;
                size_t pi = i - di, pj = j - dj;
                if (pj < lo[pi] || pj > hi[pi]) continue;
                double *prow = di == 0 ? cur : di == 1 ? p1 : p2;
                double prev = prow[pj - lo[pi]];
                if (prev == HUGE_VAL) continue;
                ev e[2][2];
                for (size_t x = 0; x < di; x++)
                    for (size_t y = 0; y < dj; y++)
                        e[x][y] = evrow_get(&er[(pi + x) % 2], pj + y);
                double cst = prev + bead_cost(c, k, vi + pi, en + pj, e);
                if (cst < bestc) { bestc = cst; bk = k; }
            }
            cur[j - lo[i]] = bestc;
            back[rowoff[i] + (j - lo[i])] = (unsigned char)bk;
        }
    }

    /* trace back from (n, m) */
    path rev = {0};
    size_t i = n, j = m;
    int touched = 0, run = 0;
    while (i > 0 || j > 0) {
        int k = back[rowoff[i] + (j - lo[i])];
        if (k >= NKINDS) break; /* unreachable: cannot happen with 0-1/1-0 */
        /* along an inner edge for a stretch: the band cut the path off */
        if ((j < lo[i] + 2 && lo[i] > 0) || (j + 2 > hi[i] && hi[i] < m)) {
            if (++run >= 3) {
                touched++;
                edge[i] = 1;
            }
        } else {
            run = 0;
        }
        path_push(&rev, i, j, k);
        i -= (size_t)kdi[k];
        j -= (size_t)kdj[k];
    }
    for (size_t k = rev.n; k-- > 0;) path_push(out, rev.i[k], rev.j[k], rev.kind[k]);
    path_free(&rev);

    for (int k = 0; k < 3; k++) free(rows[k]);
    for (int k = 0; k < 2; k++) free(er[k].v);
    free(g.v);
    free(g.tmp);
    free(best);
    free(back);
    free(lo);
    free(hi);
    free(rowoff);
    return touched;
}

/* Centre of each row from a path over the same rectangle (ends relative). */
static void centre_from_path(const path *p, size_t n, size_t *centre)
{
    size_t k = 0, cj = 0;
    for (size_t i = 0; i <= n; i++) {
        while (k < p->n && p->i[k] <= i) cj = p->j[k++];
        centre[i] = cj; /* rows inside a 2-x bead get the j before it */
    }
}

/* The expected j of each row of a rectangle: between consecutive anchor
 * pairs inside it (and its corners), the EN position whose cumulative
 * length matches the VI one, so that a long sentence missing on one side
 * already moves the band. */
static void centre_from_anchors(const ctx *c, size_t i0, size_t n, size_t j0,
                                size_t m, size_t *centre)
{
    const double *LV = c->cumv + i0, *LE = c->cume + j0;
    size_t pi = 0, pj = 0, k = 0;
    while (k < c->nanc && c->anc_i[k] < i0) k++;
    for (;;) {
        /* the next anchor strictly after (pi, pj), inside the rectangle */
        while (k < c->nanc && c->anc_i[k] < i0 + n &&
               (c->anc_i[k] - i0 <= pi || c->anc_j[k] < j0 ||
                c->anc_j[k] - j0 <= pj))
            k++;
        size_t ni = n, nj = m;
        if (k < c->nanc && c->anc_i[k] < i0 + n && c->anc_j[k] < j0 + m) {
            ni = c->anc_i[k] - i0;
            nj = c->anc_j[k] - j0;
        }
        double lv0 = LV[pi], lv1 = LV[ni], le0 = LE[pj], le1 = LE[nj];
        size_t q = pj;
        for (size_t i = pi; i <= ni; i++) {
            double f = lv1 > lv0 ? (LV[i] - lv0) / (lv1 - lv0)
                                 : ni > pi ? (double)(i - pi) / (double)(ni - pi) : 1;
            double target = le0 + f * (le1 - le0);
            while (q < nj && (LE[q] + LE[q + 1]) / 2 < target) q++;
            centre[i] = q;
        }
        if (ni == n) break;
        pi = ni;
        pj = nj;
        k++;
    }
    for (size_t i = 1; i <= n; i++)
        if (centre[i] < centre[i - 1]) centre[i] = centre[i - 1];
}

/* Keep the longest chain of points (a << 32 | b) increasing in a and b as
 * the anchors of c (patience sorting; the points of one row are taken in
 * decreasing b, so that a row gives at most one). */
static void chain_set(ctx *c, const uint64_t *in, size_t np)
{
    uint64_t *pts = bt_xmalloc((np + 1) * sizeof *pts);
    for (size_t k = 0; k < np; k++) {
        uint64_t a = in[k] >> 32, b = in[k] & 0xffffffffu;
        pts[k] = a << 32 | (0xffffffffu - b);
    }
    if (np > 1) qsort(pts, np, sizeof *pts, u64_cmp);
    size_t *tail = bt_xmalloc((np + 1) * sizeof *tail);  /* index of point */
    size_t *prev = bt_xmalloc((np + 1) * sizeof *prev);
    size_t len = 0;
    for (size_t k = 0; k < np; k++) {
        uint64_t b = 0xffffffffu - (pts[k] & 0xffffffffu);
        size_t lo = 0, hi = len;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            uint64_t bm = 0xffffffffu - (pts[tail[mid]] & 0xffffffffu);
            if (bm < b) lo = mid + 1;
            else hi = mid;
        }
        prev[k] = lo ? tail[lo - 1] : (size_t)-1;
        tail[lo] = k;
        if (lo == len) len++;
    }
    free(c->anc_i);
    free(c->anc_j);
    c->anc_i = bt_xmalloc((len + 1) * sizeof *c->anc_i);
    c->anc_j = bt_xmalloc((len + 1) * sizeof *c->anc_j);
    c->nanc = len;
    for (size_t k = len ? tail[len - 1] : (size_t)-1, q = len; q-- > 0; k = prev[k]) {
        c->anc_i[q] = (size_t)(pts[k] >> 32);
        c->anc_j[q] = (size_t)(0xffffffffu - (pts[k] & 0xffffffffu));
    }
    free(tail);
    free(prev);
    free(pts);
}

/* Anchor pairs: a token (a name, a literal, a number) found in exactly one
 * sentence of each side pairs those two sentences; one found in k
 * sentences of each side (k <= ANCHOR_MAXK) pairs them in order. The
 * longest chain of such pairs increasing on both sides guides the first
 * band. */
#define ANCHOR_MAXK 4
#define LOCAL_K     40
typedef struct occ {
    uint32_t n[2];
    uint32_t pos[2][ANCHOR_MAXK];
} occ;

static void occ_add(u32map *ix, occ **v, size_t *nv, size_t *cap, uint32_t id,
                    int sd, uint32_t pos)
{
    int created;
    uint32_t *slot = u32map_slot(ix, id, &created);
    if (created) {
        BT_GROW(*v, *cap, *nv + 1);
        memset(&(*v)[*nv], 0, sizeof **v);
        *slot = (uint32_t)(*nv)++;
    }
    occ *o = &(*v)[*slot];
    if (o->n[sd] < ANCHOR_MAXK) o->pos[sd][o->n[sd]] = pos;
    o->n[sd]++;
}

static void find_anchors(ctx *c)
{
    u32map ix;
    u32map_init(&ix, 4096);
    occ *ov = NULL;
    size_t nov = 0, ocap = 0;
    static const int lv[] = {L_ANC, L_NUM}, le[] = {L_TOK, L_NUM};
    uint64_t *vp = NULL, *ep = NULL; /* id << 32 | sentence, each side */
    size_t nvp = 0, vpcap = 0, nep = 0, epcap = 0;
    for (size_t a = 0; a < c->vi.n; a++)
        for (int q = 0; q < 2; q++) {
            const item *v = list_of(c, &c->vi.s[a], lv[q]);
            for (uint32_t x = 0; x < c->vi.s[a].n[lv[q]]; x++) {
                occ_add(&ix, &ov, &nov, &ocap, v[x].id, 0, (uint32_t)a);
                BT_GROW(vp, vpcap, nvp + 1);
                vp[nvp++] = (uint64_t)v[x].id << 32 | a;
            }
        }
    for (size_t b = 0; b < c->en.n; b++)
        for (int q = 0; q < 2; q++) {
            const item *v = list_of(c, &c->en.s[b], le[q]);
            for (uint32_t x = 0; x < c->en.s[b].n[le[q]]; x++) {
                /* only tokens the VI side has: keeps the table small */
                const uint32_t *k = u32map_get(&ix, v[x].id);
                if (!k) continue;
                occ_add(&ix, &ov, &nov, &ocap, v[x].id, 1, (uint32_t)b);
                BT_GROW(ep, epcap, nep + 1);
                ep[nep++] = (uint64_t)v[x].id << 32 | b;
            }
        }
    size_t np = 0, cap = 0;
    uint64_t *pts = NULL; /* a << 32 | b */
    for (size_t k = 0; k < nov; k++) {
        const occ *o = &ov[k];
        if (!o->n[0] || o->n[0] != o->n[1] || o->n[0] > ANCHOR_MAXK) continue;
        for (uint32_t r = 0; r < o->n[0]; r++) {
            BT_GROW(pts, cap, np + 1);
            pts[np++] = (uint64_t)o->pos[0][r] << 32 | o->pos[1][r];
        }
    }
    u32map_free(&ix);
    free(ov);
    /* Local anchors: a token found in one sentence within LOCAL_K of a on
     * the VI side, and in one within LOCAL_K of a's expected position on
     * the EN side. Repeated text (boilerplate, a reused caption) leaves few
     * tokens unique in the whole text, but many in a stretch of it. */
    if (nvp > 1) qsort(vp, nvp, sizeof *vp, u64_cmp);
    if (nep > 1) qsort(ep, nep, sizeof *ep, u64_cmp);
    /* expected positions: the band centre the text-wide anchors give */
    chain_set(c, pts, np);
    size_t *centre = bt_xmalloc((c->vi.n + 1) * sizeof *centre);
    centre_from_anchors(c, 0, c->vi.n, 0, c->en.n, centre);
    for (size_t g = 0, e0 = 0; g < nvp;) {
        uint64_t id = vp[g] >> 32;
        size_t h = g;
        while (h < nvp && vp[h] >> 32 == id) h++;
        while (e0 < nep && ep[e0] >> 32 < id) e0++;
        size_t e1 = e0;
        while (e1 < nep && ep[e1] >> 32 == id) e1++;
        for (size_t x = g; x < h && e1 > e0; x++) {
            size_t a = (size_t)(vp[x] & 0xffffffffu);
            /* alone among the VI occurrences near a? */
            if ((x > g && a - (size_t)(vp[x - 1] & 0xffffffffu) <= 4 * LOCAL_K) ||
                (x + 1 < h && (size_t)(vp[x + 1] & 0xffffffffu) - a <= 4 * LOCAL_K))
                continue;
            size_t lo = centre[a];
            size_t want_lo = lo > LOCAL_K ? lo - LOCAL_K : 0, want_hi = lo + LOCAL_K;
            size_t found = 0, b = 0;
            for (size_t y = e0; y < e1 && found < 2; y++) {
                size_t pb = (size_t)(ep[y] & 0xffffffffu);
                if (pb + LOCAL_K * 4 < want_lo || pb > want_hi + LOCAL_K * 4) continue;
                if (pb >= want_lo && pb <= want_hi) { found++; b = pb; }
                else found += 2; /* another one close by: ambiguous */
            }
            if (found == 1) {
                BT_GROW(pts, cap, np + 1);
                pts[np++] = (uint64_t)a << 32 | b;
            }
        }
        g = h;
    }
    free(vp);
    free(ep);
    free(centre);
    chain_set(c, pts, np);
    free(pts);
}

/* Align one rectangle: a band around the anchors (or the guide path, with
 * ends relative to the rectangle). Where the best path runs along an edge
 * the band is re-centred on it, twice; then widened, only around those
 * rows, so that a difficult passage costs cells there and not everywhere. */
#define WIDEN_AROUND 64
static void align_block(ctx *c, size_t i0, size_t n, size_t j0, size_t m,
                        const path *guide, size_t w, path *out)
{
    size_t *centre = bt_xmalloc((n + 1) * sizeof *centre);
    size_t *wr = bt_xmalloc((n + 1) * sizeof *wr);
    unsigned char *edge = bt_xmalloc(n + 1);
    if (guide) {
        centre_from_path(guide, n, centre);
    } else {
        centre_from_anchors(c, i0, n, j0, m, centre);
    }
    for (size_t i = 0; i <= n; i++) wr[i] = w;
    size_t cells = (n + 1) * (2 * w + 1);
    for (int round = 0;; round++) {
        path p = {0};
        memset(edge, 0, n + 1);
        int touched = dp_band(c, c->vi.s + i0, n, c->en.s + j0, m, centre, wr,
                              edge, &p);
        int more = touched && round < 6 && cells < c->cell_cap;
        if (more && round >= 2) {
            /* widen around the rows where the path met the edge */
            size_t grown = 0, last = 0;
            int any = 0;
            for (size_t i = 0; i <= n; i++) {
                if (!edge[i]) continue;
                size_t a = i > WIDEN_AROUND ? i - WIDEN_AROUND : 0;
                if (any && a <= last) a = last + 1;
                size_t b = i + WIDEN_AROUND < n ? i + WIDEN_AROUND : n;
                for (size_t q = a; q <= b; q++) {
                    if (wr[q] < m + 1) {
                        grown += wr[q] * 2;
                        wr[q] *= 2;
                    }
                }
                if (b >= a) last = b;
                any = 1;
            }
            cells += grown;
            if (!grown) more = 0;
        }
        if (!more) {
            for (size_t k = 0; k < p.n; k++)
                path_push(out, p.i[k] + i0, p.j[k] + j0, p.kind[k]);
            path_free(&p);
            break;
        }
        centre_from_path(&p, n, centre);
        path_free(&p);
    }
    free(centre);
    free(wr);
    free(edge);
}

/* ---- estimates from the data ----------------------------------------- */

static int double_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void estimate_ratio(ctx *c)
{
    double sv = 0, se = 0;
    for (size_t k = 0; k < c->vi.n; k++) sv += c->vi.s[k].clen;
    for (size_t k = 0; k < c->en.n; k++) se += c->en.s[k].clen;
    c->ratio = sv > 0 && se > 0 ? se / sv : 1.0;
    if (c->ratio < 0.3) c->ratio = 0.3;
    if (c->ratio > 3) c->ratio = 3;
    c->var = 6.8 * c->ratio;
}

/* Re-estimate the variance of the length difference from the 1-1 beads of
 * a path (trimmed, so that a few wrong beads do not widen it). */
static void estimate_var(ctx *c, const path *p)
{
    size_t n = 0, cap = 0;
    double *v = NULL;
    for (size_t k = 0; k < p->n; k++) {
        if (p->kind[k] != K11) continue;
        const sent *a = &c->vi.s[p->i[k] - 1], *b = &c->en.s[p->j[k] - 1];
        double mean = (a->clen + b->clen / c->ratio) / 2;
        double d = b->clen - c->ratio * a->clen;
        BT_GROW(v, cap, n + 1);
        v[n++] = d * d / (mean > 1 ? mean : 1);
    }
    if (n >= 20) {
        /* d^2/l is the variance times a chi-square with one degree of
         * freedom, whose median is 0.455: the median resists wrong beads */
        qsort(v, n, sizeof *v, double_cmp);
        double var = v[n / 2] / 0.455;
        if (var < 2) var = 2;
        if (var > 50) var = 50;
        c->var = var;
    }
    free(v);
}

/* ---- calibration ----------------------------------------------------- */

/* A small deterministic generator, so that runs repeat exactly. */
static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Overlap of the single pair (a, b) under the current pass; *total gets
 * its evidence weight. */
static double pair_overlap(ctx *c, size_t a, size_t b, bag *g, float **best,
                           size_t *bestcap, double *total)
{
    const bag *gp = NULL;
    if (c->pass == 2) {
        bag_build(c, &c->vi.s[a], g);
        BT_GROW(*best, *bestcap, g->nv + 1);
        gp = g;
    }
    ev e[2][2];
    e[0][0] = pair_evidence(c, &c->vi.s[a], gp, &c->en.s[b], *best);
    return bead_overlap(c, &c->vi.s[a], 1, &c->en.s[b], 1, e, total);
}

/* Chance level of the overlap: pairs that cannot be translations of each
 * other, far from the guide (the diagonal, or the path of pass 1). */
static void calibrate_base(ctx *c, const path *guide)
{
    size_t n = c->vi.n, m = c->en.n;
    double sm = 0, st = 0;
    bag g = {0};
    float *best = NULL;
    size_t bestcap = 0;
    uint64_t rs = 0x9e3779b97f4a7c15ULL;
    size_t tries = 0, got = 0;
    size_t radius = m / 4 < 6 ? (m / 4 < 2 ? 2 : m / 4) : 6;
    while (n > 0 && m > 2 * radius + 1 && got < 2000 && tries < 20000) {
        tries++;
        size_t a = (size_t)(rng_next(&rs) % n);
        size_t expect;
        if (guide && guide->n) {
            /* the j of the first bead end at or after row a+1 */
            size_t lo = 0, hi = guide->n - 1;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (guide->i[mid] < a + 1) lo = mid + 1;
                else hi = mid;
            }
            expect = guide->j[lo];
        } else {
            expect = (size_t)((double)a * (double)m / (double)n);
        }
        size_t b = (size_t)(rng_next(&rs) % m);
        if (b + radius > expect && b < expect + radius) continue;
        double t, sim = pair_overlap(c, a, b, &g, &best, &bestcap, &t);
        sm += sim * t;
        st += t;
        got++;
    }
    c->base = st > 0 ? sm / st : 0.05;
    if (c->base > 0.6) c->base = 0.6;
    c->chance = c->base * CHANCE_MULT;
    free(g.v);
    free(g.tmp);
    free(best);
}

/* Typical overlap of a translation before any alignment: for each VI
 * sentence the best overlap near the diagonal, and the median of those. */
static void calibrate_good_local(ctx *c)
{
    size_t n = c->vi.n, m = c->en.n, cnt = 0, cap = 0;
    double *v = NULL;
    size_t step = n / 3000 + 1;
    for (size_t a = 0; a < n; a += step) {
        size_t e = n ? (size_t)((double)a * (double)m / (double)n) : 0;
        size_t lo = e > 4 ? e - 4 : 0, hi = e + 5 < m ? e + 5 : m;
        double bestsim = -1;
        for (size_t b = lo; b < hi; b++) {
            ev ee[2][2];
            ee[0][0] = pair_evidence(c, &c->vi.s[a], NULL, &c->en.s[b], NULL);
            double t, sim = bead_overlap(c, &c->vi.s[a], 1, &c->en.s[b], 1, ee, &t);
            if (t > 0 && sim > bestsim) bestsim = sim;
        }
        if (bestsim < 0) continue;
        BT_GROW(v, cap, cnt + 1);
        v[cnt++] = bestsim;
    }
    c->good = 0.8;
    if (cnt >= 3) {
        qsort(v, cnt, sizeof *v, double_cmp);
        c->good = v[cnt / 2];
    }
    if (c->good < c->base + 0.15) c->good = c->base + 0.15;
    if (c->good > 1) c->good = 1;
    free(v);
}

/* Typical overlap of a translation: the 1-1 beads of a path. */
static void calibrate_good(ctx *c, const path *p)
{
    double sm = 0, st = 0;
    bag g = {0};
    float *best = NULL;
    size_t bestcap = 0;
    size_t step = p->n / 3000 + 1;
    for (size_t k = 0; k < p->n; k += step) {
        if (p->kind[k] != K11) continue;
        double t, sim = pair_overlap(c, p->i[k] - 1, p->j[k] - 1, &g, &best,
                                     &bestcap, &t);
        sm += sim * t;
        st += t;
    }
    c->good = st > 0 ? sm / st : 1.0;
    if (c->good < c->base + 0.15) c->good = c->base + 0.15;
    if (c->good > 1) c->good = 1;
    free(g.v);
    free(g.tmp);
    free(best);
}

/* ---- the learned translation table (IBM Model 1, both directions) ---- */

/* uint64 key -> uint32 value, for (VI token, EN token) pairs */
typedef struct u64map {
    uint64_t *keys;
    uint32_t *vals;
    size_t cap, n;
} u64map;

static void u64map_init(u64map *m, size_t hint)
{
    size_t cap = 64;
    while (cap < hint * 2) cap <<= 1;
    m->keys = bt_xmalloc(cap * sizeof *m->keys);
    memset(m->keys, 0xff, cap * sizeof *m->keys);
    m->vals = bt_xmalloc(cap * sizeof *m->vals);
    m->cap = cap;
    m->n = 0;
}

static void u64map_free(u64map *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

#define U64_EMPTY UINT64_MAX

static uint32_t *u64map_slot(u64map *m, uint64_t key, int *created)
{
    if ((m->n + 1) * 4 > m->cap * 3) {
        u64map o = *m;
        u64map_init(m, o.cap);
        for (size_t i = 0; i < o.cap; i++)
            if (o.keys[i] != U64_EMPTY) *u64map_slot(m, o.keys[i], NULL) = o.vals[i];
        u64map_free(&o);
    }
    size_t mask = m->cap - 1;
    size_t i = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 20) & mask;
    while (m->keys[i] != U64_EMPTY && m->keys[i] != key) i = (i + 1) & mask;
    if (created) *created = m->keys[i] == U64_EMPTY;
    if (m->keys[i] == U64_EMPTY) {
        m->keys[i] = key;
        m->vals[i] = 0;
        m->n++;
    }
    return &m->vals[i];
}

typedef struct tentry {
    uint32_t dv, de;     /* dense indices; 0 is NULL */
    float tev, tve, cev, cve;
} tentry;

static uint32_t dense(u32map *m, uint32_t id, uint32_t **orig, size_t *n,
                      size_t *cap)
{
    int created;
    uint32_t *slot = u32map_slot(m, id, &created);
    if (created) {
        BT_GROW(*orig, *cap, *n + 1);
        (*orig)[*n] = id;
        *slot = (uint32_t)(*n)++;
    }
    return *slot;
}

typedef struct adj_sort {
    uint32_t dv;
    float key;
    size_t entry;
} adj_sort;

static int adj_sort_cmp(const void *a, const void *b)
{
    const adj_sort *x = a, *y = b;
    if (x->dv != y->dv) return x->dv < y->dv ? -1 : 1;
    return x->key > y->key ? -1 : x->key < y->key;
}

/* Is bead k of a path good enough to learn from? */
static int confident(ctx *c, const path *p, size_t k)
{
    if (p->kind[k] != K11) return 0;
    if (k > 0 && p->kind[k - 1] != K11) return 0;
    if (k + 1 < p->n && p->kind[k + 1] != K11) return 0;
    const sent *a = &c->vi.s[p->i[k] - 1], *b = &c->en.s[p->j[k] - 1];
    return fabs(length_z(c, a->clen, b->clen)) < 1.5;
}

/* Learn a table from the confident 1-1 beads of p whose VI sentence has
 * index parity `parity` (0 or 1), or from all of them (2). */
static void learn_table(ctx *c, const path *p, size_t parity, table *T)
{
    /* choose the pairs, spread evenly over the text, within the budget */
    size_t npick = 0, work = 0;
    for (size_t k = 0; k < p->n; k++) {
        if (!confident(c, p, k) || (parity < 2 && (p->i[k] - 1) % 2 != parity))
            continue;
        const sent *a = &c->vi.s[p->i[k] - 1], *b = &c->en.s[p->j[k] - 1];
        npick++;
        work += (size_t)(a->n[L_TOK] + a->n[L_BIG] + 1) * (b->n[L_TOK] + 1);
    }
    if (npick < (parity < 2 ? 25u : 50u)) return;
    size_t stride = work / (parity < 2 ? TRAIN_CELLS / 2 : TRAIN_CELLS) + 1;

    u32map vix, enx;
    uint32_t *vorig = NULL, *eorig = NULL;
    size_t nvd = 0, ned = 0, vcap = 0, ecap = 0;
    u32map_init(&vix, 4096);
    u32map_init(&enx, 4096);
    dense(&vix, 0xffffffffu, &vorig, &nvd, &vcap); /* NULL = 0 */
    dense(&enx, 0xffffffffu, &eorig, &ned, &ecap);

    u64map emap;
    u64map_init(&emap, 1 << 16);
    tentry *ent = NULL;
    size_t nent = 0, entcap = 0;
    /* per training pair: its matrix of entry indices, (nv+1) x (ne+1) */
    uint32_t *mat = NULL;
    size_t nmat = 0, matcap = 0;
    size_t *poff = NULL, pcap = 0, npairs = 0;
    uint32_t *pnv = NULL, *pne = NULL;
    size_t pnvcap = 0, pnecap = 0;
    uint32_t *vrow = NULL, *ecol = NULL;
    size_t vrowcap = 0, ecolcap = 0;

    size_t seen = 0;
    for (size_t k = 0; k < p->n; k++) {
        if (!confident(c, p, k) || (parity < 2 && (p->i[k] - 1) % 2 != parity))
            continue;
        if (seen++ % stride) continue;
        const sent *a = &c->vi.s[p->i[k] - 1], *b = &c->en.s[p->j[k] - 1];
        uint32_t nv = a->n[L_TOK] + a->n[L_BIG], ne = b->n[L_TOK];
        if (!nv || !ne) continue;
        BT_GROW(vrow, vrowcap, nv + 1);
        BT_GROW(ecol, ecolcap, ne + 1);
        vrow[0] = 0;
        ecol[0] = 0;
        for (uint32_t x = 0; x < nv; x++) {
            uint32_t id = x < a->n[L_TOK] ? list_of(c, a, L_TOK)[x].id
                                          : list_of(c, a, L_BIG)[x - a->n[L_TOK]].id;
            vrow[x + 1] = dense(&vix, id, &vorig, &nvd, &vcap);
        }
        for (uint32_t y = 0; y < ne; y++)
            ecol[y + 1] = dense(&enx, list_of(c, b, L_TOK)[y].id, &eorig, &ned,
                                &ecap);
        BT_GROW(poff, pcap, npairs + 1);
        BT_GROW(pnv, pnvcap, npairs + 1);
        BT_GROW(pne, pnecap, npairs + 1);
        poff[npairs] = nmat;
        pnv[npairs] = nv;
        pne[npairs] = ne;
        npairs++;
        BT_GROW(mat, matcap, nmat + (size_t)(nv + 1) * (ne + 1));
        for (uint32_t x = 0; x <= nv; x++)
            for (uint32_t y = 0; y <= ne; y++) {
                if (x == 0 && y == 0) { mat[nmat++] = 0; continue; }
                int created;
                uint64_t key = (uint64_t)vrow[x] << 32 | ecol[y];
                uint32_t *slot = u64map_slot(&emap, key, &created);
                if (created) {
                    BT_GROW(ent, entcap, nent + 1);
                    ent[nent].dv = vrow[x];
                    ent[nent].de = ecol[y];
                    ent[nent].tev = ent[nent].tve = 1.0f;
                    *slot = (uint32_t)nent++;
                }
                mat[nmat++] = *slot;
            }
    }
    u64map_free(&emap);
    free(vrow);
    free(ecol);

    double *totv = bt_xmalloc(nvd * sizeof *totv);
    double *tote = bt_xmalloc(ned * sizeof *tote);
    for (int it = 0; it < EM_ITERS; it++) {
        for (size_t q = 0; q < nent; q++) ent[q].cev = ent[q].cve = 0;
        for (size_t r = 0; r < npairs; r++) {
            const uint32_t *M = mat + poff[r];
            uint32_t nv = pnv[r], ne = pne[r], stride_e = ne + 1;
            /* p(e | v): each EN word is generated by one VI token or NULL */
            for (uint32_t y = 1; y <= ne; y++) {
                double z = 0;
                for (uint32_t x = 0; x <= nv; x++) z += ent[M[x * stride_e + y]].tev;
                for (uint32_t x = 0; x <= nv; x++) {
                    tentry *t = &ent[M[x * stride_e + y]];
                    t->cev += (float)(t->tev / z);
                }
            }
            /* p(v | e): each VI token is generated by one EN word or NULL */
            for (uint32_t x = 1; x <= nv; x++) {
                double z = 0;
                for (uint32_t y = 0; y <= ne; y++) z += ent[M[x * stride_e + y]].tve;
                for (uint32_t y = 0; y <= ne; y++) {
                    tentry *t = &ent[M[x * stride_e + y]];
                    t->cve += (float)(t->tve / z);
                }
            }
        }
        memset(totv, 0, nvd * sizeof *totv);
        memset(tote, 0, ned * sizeof *tote);
        for (size_t q = 0; q < nent; q++) {
            totv[ent[q].dv] += ent[q].cev;
            tote[ent[q].de] += ent[q].cve;
        }
        for (size_t q = 0; q < nent; q++) {
            ent[q].tev = totv[ent[q].dv] > 0 ? (float)(ent[q].cev / totv[ent[q].dv]) : 0;
            ent[q].tve = tote[ent[q].de] > 0 ? (float)(ent[q].cve / tote[ent[q].de]) : 0;
        }
    }
    free(totv);
    free(tote);
    free(mat);
    free(poff);
    free(pnv);
    free(pne);

    /* keep the strongest translations of each VI token */
    adj_sort *as = NULL;
    size_t nas = 0, ascap = 0;
    for (size_t q = 0; q < nent; q++) {
        if (!ent[q].dv || !ent[q].de) continue;
        float key = ent[q].tev > ent[q].tve ? ent[q].tev : ent[q].tve;
        if (key < ADJ_MIN) continue;
        BT_GROW(as, ascap, nas + 1);
        as[nas].dv = ent[q].dv;
        as[nas].key = key;
        as[nas].entry = q;
        nas++;
    }
    if (nas) qsort(as, nas, sizeof *as, adj_sort_cmp);
    u32map_init(&T->adj_index, nvd);
    T->adj = bt_xmalloc((nas + 1) * sizeof *T->adj);
    T->adj_off = bt_xmalloc((nvd + 1) * sizeof *T->adj_off);
    size_t ntok = 0, nadj = 0;
    for (size_t q = 0; q < nas;) {
        size_t r = q;
        while (r < nas && as[r].dv == as[q].dv) r++;
        *u32map_slot(&T->adj_index, vorig[as[q].dv], NULL) = (uint32_t)ntok;
        T->adj_off[ntok++] = nadj;
        for (size_t x = q; x < r && x < q + ADJ_KEEP; x++) {
            const tentry *t = &ent[as[x].entry];
            T->adj[nadj].e = eorig[t->de];
            T->adj[nadj].tev = t->tev;
            T->adj[nadj].tve = t->tve;
            nadj++;
        }
        q = r;
    }
    T->adj_off[ntok] = nadj;
    T->nadj_tokens = ntok;
    T->nadj = nadj;
    if (c->stats) {
        c->stats->table_pairs += npairs;
        c->stats->table_size += nadj;
    }
    free(as);
    free(ent);
    free(vorig);
    free(eorig);
    u32map_free(&vix);
    u32map_free(&enx);
}

static void free_table(ctx *c)
{
    for (int t = 0; t < 2; t++) {
        table *T = &c->tab[t];
        u32map_free(&T->adj_index);
        free(T->adj);
        free(T->adj_off);
        memset(T, 0, sizeof *T);
    }
}

/* ---- blocks: the whole text, or paragraph by paragraph --------------- */

typedef struct block {
    size_t i0, n, j0, m;
} block;

/* Paragraphs are hard anchors when both sides have the same number of them
 * and their lengths agree with the overall ratio. */
static size_t make_blocks(ctx *c, int no_anchors, block **out)
{
    size_t np = c->vi.nparas;
    block *b = NULL;
    int ok = !no_anchors && np > 1 && np == c->en.nparas;
    if (ok) {
        b = bt_xcalloc(np, sizeof *b);
        double *lv = bt_xcalloc(np, sizeof *lv), *le = bt_xcalloc(np, sizeof *le);
        for (size_t k = 0; k < c->vi.n; k++) {
            size_t q = c->vi.s[k].para;
            if (!b[q].n) b[q].i0 = k;
            b[q].n++;
            lv[q] += c->vi.s[k].clen;
        }
        for (size_t k = 0; k < c->en.n; k++) {
            size_t q = c->en.s[k].para;
            if (!b[q].m) b[q].j0 = k;
            b[q].m++;
            le[q] += c->en.s[k].clen;
        }
        size_t bad = 0;
        for (size_t q = 0; q < np; q++) {
            double r = lv[q] > 0 ? le[q] / lv[q] : 0;
            if (r < c->ratio / 2.5 || r > c->ratio * 2.5) bad++;
        }
        free(lv);
        free(le);
        if (bad * 5 > np) ok = 0;
    }
    if (!ok) {
        free(b);
        b = bt_xcalloc(1, sizeof *b);
        b->n = c->vi.n;
        b->m = c->en.n;
        np = 1;
    }
    if (c->stats) c->stats->anchored = ok;
    *out = b;
    return np;
}

/* One pass over every block; guide is the previous pass's path, or NULL. */
static void run_pass(ctx *c, const block *b, size_t nb, const path *guide,
                     size_t w, path *out)
{
    size_t gk = 0;
    for (size_t q = 0; q < nb; q++) {
        path rel = {0};
        const path *gp = NULL;
        if (guide) {
            size_t iend = b[q].i0 + b[q].n, jend = b[q].j0 + b[q].m;
            while (gk < guide->n && guide->i[gk] <= iend && guide->j[gk] <= jend) {
                path_push(&rel, guide->i[gk] - b[q].i0, guide->j[gk] - b[q].j0,
                          guide->kind[gk]);
                gk++;
            }
            gp = &rel;
        }
        align_block(c, b[q].i0, b[q].n, b[q].j0, b[q].m, gp, w, out);
        path_free(&rel);
    }
}

/* ---- results --------------------------------------------------------- */

/* The sentences [from, to) of a side joined by one space, white space
 * collapsed. Caller frees. */
static char *join_sents(const sent *s, size_t from, size_t to)
{
    bt_buf b;
    bt_buf_init(&b);
    for (size_t k = from; k < to; k++) {
        if (b.len) bt_buf_addc(&b, ' ');
        int space = 0;
        for (size_t x = 0; x < s[k].len; x++) {
            char ch = s[k].text[x];
            if (ch == ' ' || ch == '\t') { space = 1; continue; }
            if (space && b.len && b.ptr[b.len - 1] != ' ') bt_buf_addc(&b, ' ');
            space = 0;
            bt_buf_addc(&b, ch);
        }
    }
    return bt_buf_detach(&b);
}

static void emit(ctx *c, const path *p, bt_align_result *out)
{
    out->pairs = bt_xcalloc(p->n ? p->n : 1, sizeof *out->pairs);
    out->npairs = 0;
    unsigned char *lowev = bt_xcalloc(p->n + 1, 1);
    double *lenps = bt_xcalloc(p->n + 1, sizeof *lenps);
    bag g = {0};
    float *best = NULL;
    size_t bestcap = 0;
    for (size_t k = 0; k < p->n; k++) {
        int kind = p->kind[k], di = kdi[kind], dj = kdj[kind];
        size_t i = p->i[k], j = p->j[k];
        bt_pair *pr = &out->pairs[out->npairs++];
        memset(pr, 0, sizeof *pr);
        if (di) {
            pr->vi = join_sents(c->vi.s, i - (size_t)di, i);
            pr->vi_line = c->vi.s[i - (size_t)di].line;
        }
        if (dj) {
            pr->en = join_sents(c->en.s, j - (size_t)dj, j);
            pr->en_line = c->en.s[j - (size_t)dj].line;
        }
        pr->is_credit = credit_article_pair(pr->vi, pr->en);
        if (!di || !dj) {
            pr->status = BT_PAIR_UNPAIRED;
            pr->score = 0;
            continue;
        }
        const sent *I = c->vi.s + i - (size_t)di, *J = c->en.s + j - (size_t)dj;
        ev e[2][2];
        for (int x = 0; x < di; x++) {
            const bag *gp = NULL;
            if (c->pass == 2) {
                bag_build(c, &I[x], &g);
                BT_GROW(best, bestcap, g.nv + 1);
                gp = &g;
            }
            for (int y = 0; y < dj; y++)
                e[x][y] = pair_evidence(c, &I[x], gp, &J[y], best);
        }
        double lv = 0, le = 0;
        for (int x = 0; x < di; x++) lv += I[x].clen;
        for (int y = 0; y < dj; y++) le += J[y].clen;
        double z = length_z(c, lv + di - 1, le + dj - 1);
        double lenp = length_prob(z);
        double total, sim = bead_overlap(c, I, di, J, dj, e, &total);
        double lex = calibrate(c, sim);
        if (lex < 0) lex = 0;
        if (lex > 1) lex = 1;
        double per = total * 2 / (di + dj);
        double conf = per / (per + c->t0);
        double score = conf * (0.6 * lex + 0.4 * lenp) + (1 - conf) * 0.6 * lenp;
        if (score > 1) score = 1;
        pr->score = score;
        /* little evidence of its own, or some that does not contradict */
        lowev[k] = conf < 0.3 ? 1 : score < 0.4 && calibrate(c, sim) > -0.5 ? 2 : 0;
        lenps[k] = lenp;
        if (lex >= 0.5 && conf >= 0.5 && fabs(z) > 3)
            pr->status = BT_PAIR_PARTIAL;
        else if (score >= 0.4 || (lex >= 0.5 && conf >= 0.4))
            pr->status = BT_PAIR_ACCEPTED;
        else
            pr->status = BT_PAIR_MISMATCH;
    }
    /* A pair with little evidence of its own (no names, numbers or known
     * words, or words the model cannot link) borrows confidence from its
     * neighbours when its length fits: between two good pairs it is very
     * likely right; next to doubtful ones it is reported, not forced. */
    double *own = bt_xmalloc((out->npairs + 1) * sizeof *own);
    for (size_t k = 0; k < out->npairs; k++) own[k] = out->pairs[k].score;
    for (size_t k = 0; k < out->npairs; k++) {
        bt_pair *pr = &out->pairs[k];
        if (!lowev[k] || pr->status == BT_PAIR_UNPAIRED) continue;
        /* the weaker of the nearest good neighbour on each side (at an
         * end of the text, the one there is) */
        double ctx_score = 2;
        int sides = 0, want = 0;
        if (k > 0) want++;
        if (k + 1 < out->npairs) want++;
        for (size_t q = k; q-- > 0 && k - q <= 2;)
            if (!lowev[q] && out->pairs[q].vi && out->pairs[q].en) {
                if (own[q] < ctx_score) ctx_score = own[q];
                sides++;
                break;
            }
        for (size_t q = k + 1; q < out->npairs && q - k <= 2; q++)
            if (!lowev[q] && out->pairs[q].vi && out->pairs[q].en) {
                if (own[q] < ctx_score) ctx_score = own[q];
                sides++;
                break;
            }
        if (sides < want || sides == 0) ctx_score = 0;
        double score = 0.9 * (lenps[k] + ctx_score) / 2;
        if (score < own[k]) score = own[k];
        /* no evidence and no good neighbours: nothing says translation */
        if (lowev[k] == 1 && ctx_score == 0 && score > 0.3) score = 0.3;
        pr->score = score;
        pr->status = score >= 0.4 ? BT_PAIR_ACCEPTED : BT_PAIR_MISMATCH;
    }
    free(own);
    free(lowev);
    free(lenps);
    free(g.v);
    free(g.tmp);
    free(best);
}

/* ---- entry point ----------------------------------------------------- */

int bt_align_texts(const bt_lexicon *lex, const bt_doc *vi, const bt_doc *en,
                   const bt_bead_opts *opts, bt_align_result *out)
{
    if (!out) return BT_ERR_USAGE;
    memset(out, 0, sizeof *out);
    ctx c;
    memset(&c, 0, sizeof c);
    c.lex = lex;
    c.stats = opts ? opts->stats : NULL;
    if (c.stats) memset(c.stats, 0, sizeof *c.stats);
    size_t w = opts && opts->band > 0 ? (size_t)opts->band : BAND_DEFAULT;

    len_table_init(&c);
    load_side(&c, &c.vi, vi, BT_LANG_VI);
    load_side(&c, &c.en, en, BT_LANG_EN);
    set_weights(&c);
    estimate_ratio(&c);
    c.cell_cap = CELLS_PER_SENT * (c.vi.n + c.en.n + 1);
    if (c.cell_cap < CELL_FLOOR) c.cell_cap = CELL_FLOOR;

    c.cumv = bt_xmalloc((c.vi.n + 1) * sizeof *c.cumv);
    c.cume = bt_xmalloc((c.en.n + 1) * sizeof *c.cume);
    c.cumv[0] = c.cume[0] = 0;
    for (size_t k = 0; k < c.vi.n; k++) c.cumv[k + 1] = c.cumv[k] + c.vi.s[k].clen + 1;
    for (size_t k = 0; k < c.en.n; k++) c.cume[k + 1] = c.cume[k] + c.en.s[k].clen + 1;
    find_anchors(&c);
    block *blocks;
    size_t nb = make_blocks(&c, opts && opts->no_anchors, &blocks);

    /* pass 1: length, names, numbers, titles */
    c.pass = 1;
    c.t0 = 1.5;
    calibrate_base(&c, NULL);
    calibrate_good_local(&c);
    path p1 = {0};
    run_pass(&c, blocks, nb, NULL, w, &p1);
    estimate_var(&c, &p1);

    /* pass 2: the same with a translation table learned from pass 1; then
     * once more with a table learned from pass 2, as a table learned from
     * a path repeats that path's mistakes */
    path *final = &p1, p2 = {0}, p3 = {0};
    int rounds = opts && opts->no_learn ? 0 : LEARN_ROUNDS;
    for (int r = 0; r < rounds; r++) {
        path *from = final, *to = final == &p2 ? &p3 : &p2;
        free_table(&c);
        if (c.stats) c.stats->table_pairs = c.stats->table_size = 0;
        if (r == 0) {
            /* the first path has the most mistakes: learn it in two halves,
             * each scoring the other's sentences */
            learn_table(&c, from, 0, &c.tab[0]);
            learn_table(&c, from, 1, &c.tab[1]);
            if (!c.tab[0].nadj || !c.tab[1].nadj) free_table(&c);
        }
        if (!c.tab[0].nadj) learn_table(&c, from, 2, &c.tab[0]);
        if (!c.tab[0].nadj) break;
        c.pass = 2;
        c.t0 = 3.0;
        calibrate_base(&c, from);
        calibrate_good(&c, from);
        to->n = 0;
        run_pass(&c, blocks, nb, from, BAND_PASS2, to);
        final = to;
    }
    emit(&c, final, out);

    if (c.stats) {
        c.stats->vi_sentences = c.vi.n;
        c.stats->en_sentences = c.en.n;
        c.stats->ratio = c.ratio;
        c.stats->var = c.var;
    }
    path_free(&p1);
    path_free(&p2);
    path_free(&p3);
    free(blocks);
    free(c.vi.s);
    free(c.en.s);
    free(c.pool);
    free_table(&c);
    free(c.anc_i);
    free(c.anc_j);
    free(c.cumv);
    free(c.cume);
    return BT_OK;
}
