/* bead_int.h - internals of whole-article alignment, shared by the bead
 * sources (not a public header). The passes of bead.c's opening comment
 * live in:
 *   bead_sent.c      sentences and their tokens, anchors, numbers, concepts
 *   bead_evidence.c  evidence between two sentences; estimates and
 *                    calibration from the texts themselves
 *   bead_dp.c        bead costs, the banded DP, anchors and blocks of it
 *   bead_table.c     the learned translation table (IBM Model 1)
 *   bead.c           the passes in order, and the result */
#ifndef BT_BEAD_INT_H
#define BT_BEAD_INT_H

#include "align.h"
#include "judge_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
/* uint32 key -> uint32 value, open addressing, key 0 empty */
typedef struct u32map {
    uint32_t *keys, *vals;
    size_t cap, n;
} u32map;

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
/* Evidence for the pair (a, b) in the current pass. */
typedef struct ev {
    float mv, me; /* matched weight on the VI side, on the EN side */
} ev;
/* A path is the list of bead ends (i, j) from (0, 0) to (n, m) with kinds. */
typedef struct path {
    size_t *i, *j;
    unsigned char *kind;
    size_t n, cap;
} path;

/* Pair evidence of VI sentence a against the EN sentences [lo, hi]: the
 * row cache. */
typedef struct evrow {
    ev *v;
    size_t lo, hi, cap; /* valid for lo <= b <= hi, when hi >= lo */
    size_t a;
    int ok;
} evrow;

extern const int bead_kdi[NKINDS], bead_kdj[NKINDS];
extern const double bead_kprior[NKINDS];

static inline item *list_of(const ctx *c, const sent *s, int l)
{
    return c->pool + s->off[l];
}

static inline int has_id(const item *v, uint32_t n, uint32_t id)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (v[mid].id < id) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && v[lo].id == id;
}

static inline const uint32_t *u32map_get(const u32map *m, uint32_t key)
{
    if (!m->cap) return NULL;
    size_t mask = m->cap - 1, i = (key * 0x9e3779b1u) & mask;
    while (m->keys[i]) {
        if (m->keys[i] == key) return &m->vals[i];
        i = (i + 1) & mask;
    }
    return NULL;
}

/* bead_sent.c */
int bead_u64_cmp(const void *a, const void *b);
void bead_u32map_init(u32map *m, size_t hint);
void bead_u32map_free(u32map *m);
uint32_t *bead_u32map_slot(u32map *m, uint32_t key, int *created);
void bead_load_side(ctx *c, side *sd, const bt_doc *doc, bt_lang lang);
void bead_set_weights(ctx *c);

/* bead_evidence.c */
void bead_bag_build(const ctx *c, const sent *a, bag *g);
ev bead_pair_evidence(const ctx *c, const sent *a, const bag *g, const sent *b, float *best);
double bead_total_of(const ctx *c, const sent *s);
void bead_estimate_ratio(ctx *c);
void bead_estimate_var(ctx *c, const path *p);
void bead_calibrate_base(ctx *c, const path *guide);
void bead_calibrate_good_local(ctx *c);
void bead_calibrate_good(ctx *c, const path *p);

/* bead_dp.c */
double bead_length_z(const ctx *c, double lv, double le);
double bead_length_prob(double z);
void bead_len_table_init(ctx *c);
double bead_overlap(const ctx *c, const sent *I, int ni, const sent *J, int nj, const ev e[2][2],
                    double *total);
double bead_calibrate(const ctx *c, double sim);
void bead_path_push(path *p, size_t i, size_t j, int kind);
void bead_path_free(path *p);
void bead_find_anchors(ctx *c);
void bead_align_block(ctx *c, size_t i0, size_t n, size_t j0, size_t m, const path *guide,
                      size_t w, path *out);

/* bead_table.c */
int bead_confident(ctx *c, const path *p, size_t k);

/* For fitting the sentence judge (tools/fit_judge.c): the own inputs of
 * every pair with both sides and of generated wrong pairs, with their
 * neighbours on the path. */
typedef struct bead_judged {
    double x[SJ_COUNT];
    long before, after;          /* neighbours' entries, or -1 */
    unsigned long vi_line, en_line;
    int shifted;                 /* generated: a VI against the next EN */
} bead_judged;
typedef struct bead_record {
    bead_judged *v;
    size_t n, cap;
    long *pair_at;               /* per pair of the result: its entry, or -1 */
} bead_record;
int bead_align_record(const bt_lexicon *lex, const bt_doc *vi, const bt_doc *en,
                      const bt_bead_opts *opts, bt_align_result *out, bead_record *rec);
void bead_learn_table(ctx *c, const path *p, size_t parity, table *T);
void bead_free_table(ctx *c);

#endif
