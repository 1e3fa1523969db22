/* check_int.h - internals shared by the check module (not public). */
#ifndef BT_CHECK_INT_H
#define BT_CHECK_INT_H

#include "check.h"

#include <stdint.h>

/* Interned strings: id 0 is NULL; every string is stored once and keeps its
 * address until the pool is freed. */
typedef struct chk_pool {
    char **str;
    size_t n, cap;
    uint32_t *slots;     /* open addressing: ids, 0 = empty */
    size_t nslots;
} chk_pool;

void chk_pool_init(chk_pool *p);
void chk_pool_free(chk_pool *p);
uint32_t chk_intern(chk_pool *p, const char *s, size_t len);
static inline const char *chk_str(const chk_pool *p, uint32_t id)
{
    return id ? p->str[id] : NULL;
}

/* Byte strings (NULs allowed) to dense indices 0, 1, 2, ...: results that
 * depend only on the bytes of a span are worked out once per run, since the
 * same title is written the same way many times. The caller keeps the
 * values in an array indexed by the result. */
typedef struct chk_memo {
    bt_buf keys;         /* all keys back to back */
    size_t *off;         /* key i is keys.ptr[off[i] .. off[i + 1]) */
    uint64_t *hash;
    size_t n, cap;
    uint32_t *slots;     /* open addressing: index + 1, 0 = empty */
    size_t nslots;
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

/* Rank of a position, for telling incompatible titles apart. */
enum chk_rank { RANK_OTHER = 0, RANK_MEMBER, RANK_DEPUTY, RANK_HEAD };

struct bt_check {
    const bt_lexicon *lex;
    size_t max_places;
    chk_pool pool;
    chk_concept *concepts;   /* indexed by concept id */
    size_t nconcepts;
    size_t files;
    int done;
    /* findings; items and variants owned through the parallel arrays */
    bt_check_finding *f;
    bt_check_item **f_items;
    bt_check_variant **f_vars;
    size_t nf, capf;
    size_t count_by_kind[BT_CHECK_NKINDS];
    /* check_variants.c: the body inside a title span, and the comparison
     * key of a span, by the span's bytes */
    chk_memo inner;
    struct chk_inner_val *inner_v;
    size_t inner_cap;
    chk_memo form;
    struct chk_form_val *form_v;
    size_t form_cap;
    bt_buf form_text;    /* seq strings of form_v */
    /* lexicon matches of the line at hand, kept from article to article */
    bt_title_match *m;
    size_t capm;
};

/* Append a finding (items and vars are taken over; vars may be NULL). */
bt_check_finding *chk_add_finding(bt_check *c, bt_check_kind kind,
                                  bt_check_item *items, size_t nitems,
                                  bt_check_variant *vars, size_t nvars);

/* check_variants.c: renderings of titles and bodies in text */
void chk_scan_doc(bt_check *c, const bt_doc *doc, const bt_align_result *res,
                  uint32_t file);
void chk_variant_findings(bt_check *c);
chk_concept *chk_concept_at(bt_check *c, int id);
void chk_analyse(bt_check *c, int id);

/* Longest body named strictly inside [s, e) of text, found by trimming
 * whole words from either end; its concept or -1, span in *bs, *be. */
int chk_inner_body(const bt_lexicon *lex, bt_lang lang, const char *text,
                   size_t s, size_t e, size_t *bs, size_t *be);

/* check_people.c: titles given to people */
void chk_people_doc(bt_check *c, const bt_doc *doc, const bt_align_result *res,
                    uint32_t file);

/* Write s escaped for HTML text and attribute values. */
void chk_html_escape(FILE *fp, const char *s);

#endif
