/* check_int.h - internals shared by the check module (not public).
 *
 * Calls go one way, down: check.c (the accumulator) runs check_variants.c
 * and check_people.c; those add findings through store.c (interned
 * strings, memos, concept records, variant findings) and check_spill.c
 * (per-article findings); store.c and check_spill.c call nothing above
 * them. The writers (check_html.c, check_json.c) use the public API. */
#ifndef BT_CHECK_INT_H
#define BT_CHECK_INT_H

#include "check.h"

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

/* Interned strings: id 0 is NULL; every string is stored once and keeps its
 * address until the pool is freed (id i is the map's index i - 1). */
typedef struct chk_pool {
    bt_map map;
} chk_pool;

/* store.c */
void chk_pool_init(chk_pool *p);
void chk_pool_free(chk_pool *p);
uint32_t chk_intern(chk_pool *p, const char *s, size_t len);
static inline const char *chk_str(const chk_pool *p, uint32_t id)
{
    return id ? bt_map_key(&p->map, id - 1) : NULL;
}

/* Byte strings (NULs allowed) to dense indices 0, 1, 2, ...: results that
 * depend only on the bytes of a span are worked out once per run, since the
 * same title is written the same way many times. The caller keeps the
 * values in an array indexed by the result. */
typedef struct chk_memo {
    bt_map map;
} chk_memo;

#define CHK_MEMO_FULL ((size_t)-1)
void chk_memo_init(chk_memo *m);
void chk_memo_free(chk_memo *m);
/* Index of key; *fresh = 1 when it was just added (its value is to be
 * filled in). CHK_MEMO_FULL when the table holds too much to grow: work
 * the value out without keeping it. */
size_t chk_memo_get(chk_memo *m, const char *key, size_t len, int *fresh);

/* One place where a rendering of a concept occurs. */
typedef struct chk_place {
    uint32_t file;
    uint32_t serial;      /* which article (a path may be given twice) */
    uint32_t vi;          /* Vietnamese counterpart in the caption pair */
    unsigned long line;
    unsigned count;
} chk_place;

/* One English rendering of one concept, summed over the corpus. */
typedef struct chk_variant {
    uint32_t key;         /* sorted folded content words */
    uint32_t seq;         /* folded content words in text order */
    uint32_t display;     /* as first written */
    unsigned count;
    unsigned count_vi_art;/* occurrences in articles that name it in VI */
    unsigned files;
    uint32_t last_file;
    chk_place *places;
    size_t nplaces, cap;
    unsigned long omitted;
} chk_variant;

typedef struct chk_concept {
    chk_variant *v;
    size_t n, cap;
    uint32_t vi_seen;     /* Vietnamese form first seen in the corpus */
    unsigned vi_articles; /* articles naming it in Vietnamese */
    /* structure, computed on first use from the canonical Vietnamese */
    int analysed;
    int body;             /* body concept of a composed title, or -1 */
    int rank;             /* chk_rank */
} chk_concept;

/* Findings of the per-article kinds, as records (check_spill.c): held in
 * memory up to a budget, beyond it sorted into runs in a temporary file. */
typedef struct chk_run {
    uint64_t off, len;    /* bytes of the file */
    unsigned level;       /* merged from RUN_FANIN runs of level - 1 */
} chk_run;

typedef struct chk_spill {
    size_t budget;        /* bytes of records held before a run is written */
    bt_buf buf;           /* records not written, back to back */
    size_t *recs;         /* their offsets in buf; sorted once finished */
    size_t nrecs, caprecs;
    uint64_t seq;         /* serial of the next record */
    char *dir;            /* where the file is, for messages */
    int fd;               /* the file, or -1 */
    int failed;           /* it could not be made or written: no more runs */
    uint64_t end;         /* bytes of the file in use */
    chk_run *runs;        /* in the order of the file */
    size_t nruns, capruns;
    _Atomic(char *) err;  /* bt_check_error(); walks in two threads may fail */
} chk_spill;

/* Rank of a position, for telling incompatible titles apart. */
enum chk_rank { RANK_OTHER = 0, RANK_MEMBER, RANK_DEPUTY, RANK_HEAD };

struct bt_check {
    const bt_lexicon *lex;
    bt_check_hooks hooks;    /* all NULL without opts->hooks */
    size_t max_places;
    chk_pool pool;
    chk_concept *concepts;   /* indexed by concept id */
    size_t nconcepts;
    size_t files;
    int done;
    /* title-variant and english-variant findings, one per concept at most,
     * held in memory; items and variants owned through the parallel
     * arrays */
    bt_check_finding *f;
    bt_check_item **f_items;
    bt_check_variant **f_vars;
    size_t nf, capf;
    chk_spill spill;         /* the per-article kinds */
    size_t count_by_kind[BT_CHECK_NKINDS];
    /* every finding, read into memory by bt_check_findings(c, &out); a
     * per-article finding owns one block (its items, then its record) */
    bt_check_finding *all;
    char **all_blocks;
    size_t nall, nblocks;
    int materialized;
    /* check_variants.c: the body inside a title span, and the comparison
     * key of a span, by the span's bytes */
    chk_memo inner;
    struct chk_inner_val *inner_v;
    size_t inner_cap;
    chk_memo form;
    struct chk_form_val *form_v;
    size_t form_cap;
    bt_buf form_text;    /* seq strings of form_v */
};

/* store.c: the concept record of id (grown as needed; NULL for id < 0). */
chk_concept *chk_concept_at(bt_check *c, int id);
/* Append a variant finding (items and vars are taken over). */
bt_check_finding *chk_add_finding(bt_check *c, bt_check_kind kind,
                                  bt_check_item *items, size_t nitems,
                                  bt_check_variant *vars, size_t nvars);

static inline int chk_is_space(char ch)
{
    return ch == ' ' || ch == '\t';
}

/* Strings in the findings' order: NULL first, then by bytes. */
static inline int chk_cmp_str(const char *a, const char *b)
{
    if (!a || !b) return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

/* check_spill.c: the per-article findings. */
void chk_spill_init(chk_spill *s, size_t budget);
void chk_spill_free(chk_spill *s);
/* Add a finding of a per-article kind, with subject, vi, note and items
 * (no variants): copied, so its strings may be freed afterwards. */
void chk_spill_add(bt_check *c, const bt_check_finding *f);
/* No more findings: sort those in memory, bound the runs a walk reads. */
void chk_spill_finish(bt_check *c);
/* A walk over every finding of a finished c (bt_check_walk_new). */
bt_check_walk *chk_walk_open(bt_check *c);
/* Read every per-article finding into c->all, after the variant ones. */
void chk_spill_materialize(bt_check *c);

/* check_variants.c: renderings of titles and bodies in text */
void chk_scan_doc(bt_check *c, bt_annotation *ann, const bt_align_result *res,
                  const char *path);
void chk_variant_findings(bt_check *c);
/* The titles chk_scan_doc reads besides the lines' (bt_check_prepare). */
void chk_scan_prepare(bt_annotation *ann, const bt_align_result *res);

/* store.c: longest body named strictly inside [s, e) of text, found by trimming
 * whole words from either end; its concept or -1, span in *bs, *be. */
int chk_inner_body(const bt_lexicon *lex, bt_lang lang, const char *text,
                   size_t s, size_t e, size_t *bs, size_t *be);

/* A title given to a person in a caption or in English body text.
 * Strings borrowed (from the annotation's people). */
typedef struct chk_mention {
    const char *person;      /* name as written */
    const char *person_key;  /* folded name */
    const char *title;       /* title as written */
    int concept;             /* lexicon concept, -1 if unknown */
    bt_lang lang;            /* language of the text it was found in */
    unsigned long line;
    long pair;               /* index into the pairs, -1 for body text */
} chk_mention;

typedef struct chk_mentions {
    chk_mention *v;
    size_t n, cap;
} chk_mentions;

/* mentions.c: the titles given to people in an article: in each pair's
 * sides (not credits), Vietnamese then English, then in the English lines
 * no pair's English spans, in line order. out is reset first; free with
 * chk_mentions_free. */
void chk_mentions_of(bt_annotation *ann, const bt_align_result *res, chk_mentions *out);
void chk_mentions_free(chk_mentions *m);

/* check.c: bt_check_add with the article's mentions at hand (tests give
 * them by hand, to test the rules apart from the parser). */
bt_status chk_add_doc(bt_check *c, bt_annotation *ann, const bt_align_result *res,
                const chk_mention *m, size_t nm);

/* check_people.c: titles given to people */
void chk_people_doc(bt_check *c, const bt_doc *doc, const bt_align_result *res,
                    const chk_mention *m, size_t nm, const char *path);

/* Write s escaped for HTML text and attribute values. */
void chk_html_escape(FILE *fp, const char *s);

/* check_json.c: is rendering v of finding f the official one itself (the
 * text of f->official or of one of its " / " alternatives, case and spaces
 * aside)? What consistency.json and the HTML mark "official", so that both
 * name the form the Official column gives. */
int chk_variant_official(const bt_check_finding *f, const bt_check_variant *v);

#endif
