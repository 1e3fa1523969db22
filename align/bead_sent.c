/* bead_sent.c - the sentences of both texts, each as lists of items in
 * one pool: folded words, literal tokens (names, codes), numbers, lexicon
 * concepts and Vietnamese syllable pairs, weighed by rarity. */
#include "bead_int.h"

#include <math.h>
#include <unicode/uchar.h>

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

int bead_u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}


void bead_u32map_init(u32map *m, size_t hint)
{
    size_t cap = 64;
    while (cap < hint * 2) cap <<= 1;
    m->keys = bt_xcalloc(cap, sizeof *m->keys);
    m->vals = bt_xcalloc(cap, sizeof *m->vals);
    m->cap = cap;
    m->n = 0;
}

void bead_u32map_free(u32map *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}


static void u32map_grow(u32map *m)
{
    u32map o = *m;
    bead_u32map_init(m, o.cap);
    for (size_t i = 0; i < o.cap; i++)
        if (o.keys[i]) *bead_u32map_slot(m, o.keys[i], NULL) = o.vals[i];
    bead_u32map_free(&o);
}

/* The value slot of key, created (zero) when absent. */
uint32_t *bead_u32map_slot(u32map *m, uint32_t key, int *created)
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


/* ---- sentences and their evidence ------------------------------------ */


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


static int is_word_cp(int32_t cp)
{
    return cp == '%' || u_isalnum(cp) || u_charType(cp) == U_NON_SPACING_MARK;
}

/* What scan_word saw of a word. */
typedef struct word {
    int upper;      /* its first letter is a capital */
    int all_upper;  /* no letter in lower case */
    int digit, letter, nletters;
} word;

/* The word at s[i] (whose first character is cp): letters, digits and
 * marks; 1.034 / 3,5 stay together. Returns its end; counts its characters
 * past the first in *chars. */
static size_t scan_word(const char *s, size_t len, size_t i, int32_t cp, word *w, double *chars)
{
    size_t a = i;
    w->upper = u_isupper(cp) || u_istitle(cp);
    w->all_upper = 1;
    w->digit = w->letter = w->nletters = 0;
    while (i < len) {
        int k = bt_utf8_decode(s + i, len - i, &cp);
        if (k < 0) break;
        if (is_word_cp(cp)) {
            if (u_isdigit(cp)) w->digit = 1;
            else if (cp != '%' && u_isalpha(cp)) {
                w->letter = 1;
                w->nletters++;
                if (!u_isupper(cp)) w->all_upper = 0;
            }
            i += (size_t)k;
            if (i > a + (size_t)k) (*chars)++;
            continue;
        }
        if ((cp == '.' || cp == ',') && w->digit && !w->letter && i + 1 < len &&
            s[i + 1] >= '0' && s[i + 1] <= '9') {
            i++;
            (*chars)++;
            continue;
        }
        break;
    }
    return i;
}

/* Tokenize one sentence into the pool: every folded word (L_TOK), the
 * literal ones that should appear unchanged in a translation (L_ANC), the
 * numbers (L_NUM), lexicon concepts (L_CON) and, on the Vietnamese side,
 * pairs of adjacent syllables (L_BIG). Weights are set later. A word here
 * is not lex_tokenize's (see lexicon_int.h): the anchors, weights and
 * learned table are made of these words, so another word changes the
 * alignments. */
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
        size_t a = i;
        word w;
        i = scan_word(s, len, i, cp, &w, &chars);
        size_t b = i;
        if (b == a) { i++; continue; }
        ntok++;
        if (w.digit && !w.letter) {
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
        int literal = w.digit || memchr(s + a, '%', b - a) != NULL ||
                      (w.all_upper && w.nletters >= 2) || (w.upper && ntok > 1);
        if (lang == BT_LANG_VI && !literal)
            literal = !bt_vi_syllable(fold->ptr, fold->len);
        for (size_t x = 0; x < nm && literal && !w.digit; x++)
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
void bead_load_side(ctx *c, side *sd, const bt_doc *doc, bt_lang lang)
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
void bead_set_weights(ctx *c)
{
    u32map df;
    size_t nsent = c->vi.n + c->en.n;
    bead_u32map_init(&df, c->npool / 2 + 16);
    for (int sd = 0; sd < 2; sd++) {
        side *S = sd ? &c->en : &c->vi;
        for (size_t k = 0; k < S->n; k++) {
            sent *st = &S->s[k];
            static const int ls[] = {L_TOK, L_NUM, L_BIG};
            for (int q = 0; q < 3; q++) {
                item *v = list_of(c, st, ls[q]);
                for (uint32_t x = 0; x < st->n[ls[q]]; x++)
                    (*bead_u32map_slot(&df, v[x].id, NULL))++;
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
    bead_u32map_free(&df);
}

