/* check.h - title-consistency findings for editors.
 *
 * A bt_check collects, article by article, the titles and bodies named in
 * English and Vietnamese text (through the lexicon) and the people given
 * titles (through the aligner's mentions), then reports four kinds of
 * finding:
 *
 *   title-variant           one Vietnamese title or body rendered several
 *                           ways in English, at least two of the renderings
 *                           in articles that also name it in Vietnamese;
 *   english-variant         the same title or body named several ways in
 *                           English, the difference seen only where no
 *                           Vietnamese for it is present (the lexicon says
 *                           the names are one body);
 *   caption-title-mismatch  one caption pair names the same person on both
 *                           sides with titles that disagree;
 *   person-title-conflict   one article gives a person two ranks in the
 *                           same body (Chairman and Vice Chairman of it).
 *
 * The library never prints: findings are read through bt_check_findings()
 * or written as JSON or HTML to a stream the caller opened. */
#ifndef BT_CHECK_H
#define BT_CHECK_H

#include "../base/base.h"
#include "../corpus/corpus.h"
#include "../align/align.h"

typedef enum bt_check_kind {
    BT_CHECK_TITLE_VARIANT = 0,
    BT_CHECK_ENGLISH_VARIANT,
    BT_CHECK_CAPTION_MISMATCH,
    BT_CHECK_PERSON_CONFLICT,
    BT_CHECK_NKINDS
} bt_check_kind;

/* "title-variant", "english-variant", "caption-title-mismatch",
 * "person-title-conflict"; static strings. */
const char *bt_check_kind_name(bt_check_kind k);

/* One place of a finding. Strings are owned by the bt_check. */
typedef struct bt_check_item {
    const char *vi;        /* Vietnamese as written, or NULL */
    const char *en;        /* English as written, or NULL */
    const char *file;      /* input path as found */
    unsigned long line;    /* 1-based source line */
    unsigned count;        /* occurrences on that line */
} bt_check_item;

/* One English rendering of a title or body, summed over the corpus. */
typedef struct bt_check_variant {
    const char *en;        /* as first written */
    unsigned count;        /* occurrences */
    unsigned files;        /* articles it occurs in */
    int is_official;       /* matches the lexicon's official rendering
                              (for a composed title: in its position words,
                              the body being compared on its own) */
} bt_check_variant;

typedef struct bt_check_finding {
    bt_check_kind kind;
    const char *subject;   /* the concept's Vietnamese form, or a person */
    const char *vi;        /* Vietnamese form when known, else NULL */
    const char *usual;     /* variants: the most frequent rendering */
    const char *official;  /* variants: the lexicon's official rendering */
    const char *source;    /* where the official rendering comes from */
    const char *note;      /* one sentence for the editor, or NULL */
    const bt_check_variant *variants; /* variants only, most frequent first */
    size_t nvariants;
    const bt_check_item *items;
    size_t nitems;
    unsigned long omitted; /* places not listed (over max_places) */
} bt_check_finding;

typedef struct bt_check_opts {
    size_t max_places;     /* places kept per rendering; 0 = 1000 */
} bt_check_opts;

typedef struct bt_check bt_check;

/* A new, empty check over lex (borrowed; must outlive the check). opts may
 * be NULL. Caller frees with bt_check_free. */
bt_check *bt_check_new(const bt_lexicon *lex, const bt_check_opts *opts);
void bt_check_free(bt_check *c); /* NULL ok */

/* Add one article: its lines (for the titles named in the text) and its
 * alignment (pairs and mentions). Everything needed is copied: doc and res
 * may be freed afterwards. Adding after bt_check_findings() was called
 * returns BT_ERR_USAGE. */
int bt_check_add(bt_check *c, const bt_doc *doc, const bt_align_result *res);

/* Compute the findings (once; later calls return the same array). The
 * array is borrowed until bt_check_free. Findings come grouped by kind, in
 * the order of bt_check_kind, then by subject. */
size_t bt_check_findings(bt_check *c, const bt_check_finding **out);

/* Findings of one kind (computes them if needed). */
size_t bt_check_count(bt_check *c, bt_check_kind kind);
/* Articles added so far. */
size_t bt_check_files(const bt_check *c);

/* Write the findings as JSON ({"findings": [...]}, with a summary) or as
 * one self-contained HTML page. Return BT_OK or BT_ERR_IO. */
int bt_check_write_json(bt_check *c, FILE *fp);
int bt_check_write_html(bt_check *c, FILE *fp);

#endif
