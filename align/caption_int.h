/* caption_int.h - the phases of caption alignment, shared by the align/
 * sources that make it (not a public header).
 *
 *   segment.c  lines to segments: wrapped lines joined, sentences, credits
 *   layout.c   bullets, page furniture, and which comes first on the page
 *   credit.c   what a photo credit is (credit_int.h)
 *   side.c     the hot path: a segment's words, tables and sides, kept
 *              within a memory budget; text cleaning
 *   evidence.c a pair's features and their judgement
 *   pairing.c  candidates, the choice of pairs, credits, unpaired, order
 *   terms.c    glossary terms of the pairs, the lines each English spans
 *   annotate.c each line's titles and people, found once (bt_annotation)
 *   caption.c  bt_align_doc, which runs them in that order */
#ifndef BT_CAPTION_INT_H
#define BT_CAPTION_INT_H

#include "lexicon_int.h"
#include "credit_int.h"
#include "judge_int.h"

#include <stdint.h>

/* ---- segments (segment.c) ---- */

typedef struct seg {
    size_t line;          /* index into doc->lines */
    char *text;           /* cleaned */
    char *credit_key;     /* folded credit name */
    uint32_t chars;       /* length in characters */
    uint32_t len;         /* length in bytes (a line is far shorter) */
    unsigned char lang;   /* bt_lang */
    unsigned char credit; /* CREDIT_* */
    /* small, as an article may hold tens of thousands of segments */
    unsigned used : 1;
    unsigned given : 1;            /* its text belongs to a pair now */
    unsigned borrowed : 1;         /* its text is its line's, already clean */
    unsigned has_credit_after : 1; /* EN: the line ends with a credit */
    unsigned words_done : 1;       /* EN: ascii is known */
    unsigned ascii : 1;            /* EN: ASCII throughout (cap_shares_anchor) */
} seg;

/* The segments of a document, and what making and weighing them reuses. */
typedef struct segs {
    seg *v;
    size_t n, cap;
    bt_buf key, scratch;  /* cap_line_segments' buffers */
} segs;

void cap_segs_init(segs *sg);
/* Frees the segments' texts that no pair took. */
void cap_segs_free(segs *sg);

/* Append the segments of line li, whose text (the line's, or the lines it
 * was wrapped into, joined) is text[0..tlen) in language lang: each
 * Vietnamese sentence, the English content of the line as one, and each
 * credit on its own. */
void cap_line_segments(segs *out, const char *text, size_t tlen, bt_lang lang, size_t li);

/* Text saved with hard line breaks cuts a caption, and its English, into
 * pieces. Per line: whether it continues the line before, and its text
 * joined with the lines that continue it. */
typedef struct logical_lines {
    unsigned char *cont;  /* per line: it continues the line before */
    unsigned char *furn;  /* per line: page furniture (cap_furniture) */
    unsigned char *own;   /* per line: text was joined, to be freed */
    unsigned char *alone; /* per line: a credit alone on its line */
    const char **text;    /* per line: its text, bullet left out, joined */
    size_t *len;          /* with those that continue it */
} logical_lines;

void cap_logical_init(logical_lines *lt, const bt_doc *doc);
void cap_logical_free(logical_lines *lt, const bt_doc *doc);

/* ---- layout (layout.c) ---- */

/* The length of the bullet or dash ("• ", "- ", "* ", "– ") that opens
 * t[0..n), with the spaces after it; 0 if none. */
size_t cap_bullet_len(const char *t, size_t n);

/* Is the line t[0..n) page furniture: a date or time ("June 08, 2025",
 * "Thứ Hai, 08/06/2025 10:15"), a byline ("By Thanh Ha") or a section
 * label ("Latest News")? Never a caption nor a caption's English. */
int cap_furniture(const char *t, size_t n);

/* ---- sides: what weighing asks of a segment (side.c) ---- */

/* A caption word's English stems ("a|b c|d") are matched against every
 * English candidate; they are parsed once per caption, not per match. */
typedef struct stem_word {
    const char *p;
    size_t len;
    int exact;           /* written with '$' after it: matched whole */
} stem_word;

typedef struct stem_alt {
    size_t first, n;     /* its words in side.stems */
    int last;            /* the last alternative of its caption word */
} stem_alt;

typedef struct stem_prefix {
    const char *p;
    size_t len;
    int exact;           /* to be matched whole */
} stem_prefix;

/* Words are looked for among those with the same first letter: 26
 * buckets for a to z, one for everything else. */
enum { NBUCKETS = 27 };

static inline size_t cap_bucket(char c)
{
    return c >= 'a' && c <= 'z' ? (size_t)(c - 'a') : NBUCKETS - 1;
}

/* One caption word's stems parsed, once per thread (side.c). */
typedef struct stems_parsed {
    const stem_alt *alts;      /* the last has .last set */
    const stem_word *words;    /* of every alternative, in order */
    size_t nalts, nwords;
    /* the words of at least three letters (or whole), by the bucket of
     * their first letter: bucket b is [pstart[b], pstart[b + 1]) */
    const stem_prefix *prefixes;
    uint32_t pstart[NBUCKETS + 1];
    uint32_t buckets;          /* bit b: bucket b holds one */
    /* the table's */
    uint64_t h;
    size_t klen;
    const char *key;
    struct stems_parsed *owned_next;
    int owned;                 /* made for one side (the table is full) */
} stems_parsed;

enum { EN_STOP = 1, EN_SURNAME = 2, EN_SYLLABLE = 4, EN_UNKNOWN = 8 };

typedef struct side {
    lex_tokens t;
    bt_title_match *m;    /* exactly nm: an article may hold many segments */
    size_t nm;
    int capped;           /* lex_find found more than the 64 kept */
    unsigned char *role;  /* per token: 0 free, 1 title, 2 name, 3 dict */
    unsigned char *role0; /* role as cap_side_init leaves it: titles only */
    unsigned char *dict_n;   /* Vietnamese: caption-word length at token i */
    unsigned char *dict_fn;  /* and whether it is a function word */
    const char **dict_en;    /* and its English stems */
    size_t chars;
    void *block;             /* holds m and the per-token arrays */
    /* per token, what cap_weigh() asks of it on every comparison: English
     * EN_STOP, EN_SURNAME, EN_SYLLABLE (capitalised words), EN_UNKNOWN;
     * Vietnamese EN_SYLLABLE (every word spelled as a syllable) */
    unsigned char *flags;
    /* Vietnamese: the caption words' stems, parsed once per thread */
    const stems_parsed **stems_of;   /* per token: its caption word's, or NULL */
    const stems_parsed **stems_list; /* every caption word's, in order */
    size_t nstems_list;
    uint32_t stem_buckets;   /* the buckets any of them has words in */
    stems_parsed *stems_owned; /* those made for this side alone */
    uint64_t *anchors;       /* Vietnamese: for cap_shares_anchor, once */
    size_t nanchors, nwords_anchor;
    uint64_t anchor_shape[32]; /* the anchors' first letters and lengths */
    int anchors_done;
    uint32_t *by_first;      /* English: token indices by bucket, */
    size_t bstart[NBUCKETS + 1]; /* bucket b is [bstart[b], bstart[b + 1]) */
    bt_quantity *qty;        /* the numbers, money and dates it states */
    size_t nqty;             /* (at most SIDE_QTY; none once passed) */
    int qty_done;            /* English: found only when a caption with a */
    const char *qty_text;    /* number asks (cap_side_quantities), from */
    size_t qty_len;          /* its segment's text */
    struct side *next_free;  /* in side_set.free_list */
} side;

enum { SIDE_QTY = 16 };

/* The sides of an article's segments (see side.c for the budget). */
typedef struct side_set {
    side **v;               /* per segment: its side, or NULL */
    unsigned char *dropped; /* per segment: its side was let go */
    int passing;            /* sides are let go once passed */
    size_t kept;            /* bytes held by passed sides */
    size_t budget;          /* and the most they may hold */
    size_t passed;          /* segments before this one are passed */
    side *free_list;        /* sides dropped, to be used again */
    bt_annotation *notes;   /* whole lines' words come from it, or NULL */
    side **blocks;          /* where sides come from, SIDE_BLOCK at a time */
    size_t nblocks, capblocks, used_in_block;
} side_set;

/* s[0..len) cleaned as bt_segment_clean does, with its length in
 * characters and bytes. Caller frees. */
char *cap_clean_count(const char *s, size_t len, size_t *chars, size_t *bytes);
/* The characters of s[0..len) when cleaning would leave it as it is, else
 * (size_t)-1. */
size_t cap_clean_chars(const char *s, size_t len);

void cap_side_init(side *sd, const bt_lexicon *lex, bt_lang lang, const seg *g);
/* The numbers, money and dates of an English side, found on first use:
 * most English is weighed against captions that state none. */
void cap_side_quantities(side *sd);
void cap_side_free(side *sd);

/* The sides of n segments; kept_bytes 0: the default budget. */
void cap_side_set_init(side_set *ss, size_t n, size_t kept_bytes);
void cap_side_set_free(side_set *ss);
/* The side of segment k, made on first use. */
side *cap_side_get(side_set *ss, const bt_lexicon *lex, bt_lang lang, const seg *g, size_t k);
void cap_side_drop(side_set *ss, size_t k);
/* Every segment before end will be weighed no more. */
void cap_sides_pass_to(side_set *ss, size_t end);
/* The side of segment k (-1: none) for its pair, made again if dropped;
 * NULL when the segment was never weighed. */
side *cap_side_for_pair(side_set *ss, const bt_lexicon *lex, bt_lang lang, const char *text,
                        long k);

/* ---- the annotation (annotate.c) ---- */

/* When text[0..len) is line li itself (a segment that is its whole line)
 * annotated in lang: 1, with *t its words (made, or copied while the
 * annotation keeps them; to be freed) and *m[0..*n) its matches
 * (borrowed); else 0. */
int cap_notes_line_words(const bt_annotation *a, size_t li, bt_lang lang, const char *text,
                         size_t len, lex_tokens *t, const bt_title_match **m, size_t *n);

/* Side lang of pair k of res, weighed as sd (NULL: never weighed), with
 * the people pp found in it (NULL: found here): its matches and the titles
 * it gives people become the pair's in a. */
void cap_notes_keep_pair(bt_annotation *a, const bt_align_result *res, size_t k, bt_lang lang,
                         const side *sd, const bt_people *pp);

/* Could the English segment give the caption a name or a number? A cheap,
 * generous test before weighing. */
int cap_shares_anchor(side *vi, seg *en);

/* ---- the evidence of a pair and its judgement (evidence.c) ---- */

/* What a caption and an English segment share: named features, counted
 * by cap_weigh and judged by cap_judge. */
typedef struct pair_features {
    int names, names_hit, en_names_extra;
    int vi_titles, en_titles, titles_hit, vi_titles_extra, en_titles_extra;
    int nums, nums_hit;
    int words, words_hit;        /* caption words, and those the English has */
    int en_words, en_words_hit;  /* English content words, and those explained */
    int vi_tokens, vi_unknown;   /* Vietnamese words, and those nothing explains */
    double ratio;     /* English chars / expected */
    double length_fit;
    double anchor;    /* 0..1 */
} pair_features;

/* The judge's inputs (judge_int.h): the features as numbers on
 * comparable scales, named in data/judge.tsv. */
void cap_judge_inputs(const pair_features *f, double x[JF_COUNT]);

/* The estimated probability that a pair with these features is a true
 * translation, by the fitted model. */
double cap_judge_probability(const pair_features *f);

/* Count the features of the pair (vi, en). Resets vi's roles first. */
void cap_weigh(const bt_lexicon *lex, side *vi, side *en, pair_features *f);

/* Status and score (0..1) of a pair with these features; see
 * docs/translators.md. */
bt_pair_status cap_judge(const pair_features *f, double *score);

/* The status of a pair of features f and probability *p (which a rule
 * may lower: the same person with other titles). */
bt_pair_status cap_status(const pair_features *f, double *p);

/* The stretch of a page: pairs whose Vietnamese lines are at most
 * STRETCH_LINES apart, as on a bilingual page of alternating lines. The
 * nearest pair with both sides (not a credit) before (step -1) or after
 * (step 1) pair k in its stretch, or -1. */
#define STRETCH_LINES 4
long cap_stretch_neighbour(const bt_align_result *out, size_t k, int step);

/* The status and score of a pair of features f and own probability p_own
 * among neighbours of own probabilities p_before, p_after (negative:
 * none), by the caption judge's stretch weights (data/judge.tsv). */
bt_pair_status cap_stretch_judge(const pair_features *f, double p_own, double p_before,
                                 double p_after, double *score);

/* Every pair with both sides judged again in its stretch: what it says
 * (its own probability: its score so far, which is cap_judge of its
 * features f[k], as weighed when it was a candidate or its line joined)
 * and what its neighbours say. */
void cap_judge_stretches(bt_align_result *out, const pair_features *f);

/* Is an English segment of en_chars worth weighing against a caption of
 * vi_chars? A paragraph many times longer is body text. */
int cap_worth_weighing(size_t vi_chars, size_t en_chars, int en_has_credit_after);

/* The pairing preference of a weighed pair whose English is d lines after
 * the caption (ranks), or a negative number when it is no candidate. */
double cap_rank(const pair_features *f, long d, int en_has_credit_after);

/* The segments and sides of two texts, as caption mode makes them (for
 * tests and tools); freed with cap_pair_sides_free. */
void cap_pair_sides(const bt_lexicon *lex, const char *vi, const char *en, seg g[2], side sd[2]);
void cap_pair_sides_free(seg g[2], side sd[2]);

/* The features and judgement of two texts, as caption mode weighs them:
 * for tests and tools. Returns the status, *score its score. */
bt_pair_status cap_pair_evidence(const bt_lexicon *lex, const char *vi, const char *en,
                                 pair_features *f, double *score);

/* ---- one caption alignment, phase by phase ---- */

typedef struct cand {
    size_t v, e;     /* indices into segs */
    double rank;     /* pairing preference */
    double score;
    bt_pair_status status;
    pair_features f; /* as weighed: the pair's, judged again in its stretch */
} cand;

/* Where each pair came from, parallel to the result's pairs: segment
 * indices (-1 for a missing side), so their sides can be reused, and the
 * features of a pair with both sides (zero for the others), so that it is
 * not weighed again. */
typedef struct pair_src {
    long *v, *e;
    pair_features *f;
    size_t cap;
} pair_src;

typedef struct cap_run {
    const bt_lexicon *lex;
    const bt_doc *doc;
    const bt_align_opts *opts; /* may be NULL */
    int window;
    unsigned char *en_first; /* per caption line: its English comes first */
    logical_lines lt;
    size_t *ord;          /* per line: its rank among non-blank lines */
    size_t nranks;
    segs sg;
    side_set ss;
    cand *cv;             /* candidates, best first once chosen */
    size_t nc, ccap;
    pair_src src;
    size_t kept_bytes;    /* cap_side_set_init's budget; 0: the default */
    size_t pcap, tcap;    /* capacities of the result's arrays */
} cap_run;

/* The distance of a line d ranks after caption line li, as the page's
 * layout reads it: where the English comes first, the line before is the
 * next one. */
static inline long cap_layout_d(const cap_run *r, size_t li, long d)
{
    return r->en_first[li] ? -d : d;
}

/* The ranks around caption line li where its English may be. */
static inline void cap_layout_window(const cap_run *r, size_t li, long *lo, long *hi)
{
    long rv = (long)r->ord[li];
    *lo = rv - (r->en_first[li] ? r->window : 2);
    *hi = rv + (r->en_first[li] ? 2 : r->window);
}

/* layout.c: per line, whether it is a caption whose English comes first,
 * from the lines around it, or else around every caption of the page
 * (set once the lines are ranked). Caller frees. */
unsigned char *cap_english_first(const cap_run *r);

/* caption.c: lex NULL: the default lexicon; opts may be NULL. */
void cap_run_init(cap_run *r, const bt_lexicon *lex, const bt_doc *doc, const bt_align_opts *opts);
void cap_run_free(cap_run *r);

/* segment.c: the document's lines ranked, joined where wrapped, and cut
 * into segments where captions may be. */
void cap_segment(cap_run *r);

/* pairing.c */
void cap_candidates(cap_run *r);                   /* weigh each caption */
void cap_choose(cap_run *r, bt_align_result *out); /* best first, once each */
void cap_join_sentences(cap_run *r, bt_align_result *out); /* a line as one unit */
void cap_pair_credits(cap_run *r, bt_align_result *out);
void cap_unpaired(cap_run *r, bt_align_result *out);
void cap_order(cap_run *r, bt_align_result *out);  /* source order */

/* terms.c */
void cap_en_spans(cap_run *r, bt_align_result *out); /* the lines of each English */
void cap_terms(cap_run *r, bt_align_result *out);    /* of the pairs */

/* bt_align_doc keeping at most kept_bytes of word lists, once weighed, for
 * the pairs made at the end of an article of over a thousand segments
 * (past that, remade as needed); 0: 32 MiB. The result does not depend
 * on it: for tests. */
void cap_align_doc_kept(const bt_lexicon *lex, const bt_doc *doc, const bt_align_opts *opts,
                       size_t kept_bytes, bt_align_result *out);

#endif
