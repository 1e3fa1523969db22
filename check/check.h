/* check.h - title-consistency findings for editors.
 *
 * A bt_check collects, article by article, the titles and bodies named in
 * English and Vietnamese text (through the lexicon) and the people given
 * titles (found in the pairs and the English text), then reports four kinds of
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
 * The library never prints: findings are read one at a time through a walk
 * (bt_check_walk_new), all at once through bt_check_findings(), or written
 * as JSON or HTML to a stream the caller opened.
 *
 * The last two kinds come one per article and person, hundreds of
 * thousands on a large corpus: beyond a memory budget they are kept sorted
 * in an unnamed temporary file in $TMPDIR (or /tmp), and walks read them
 * back in order, so that a check runs in bounded memory. */
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
    unsigned long omitted; /* its places not listed (over max_places) */
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

/* What reviewers decided, asked as findings are made (bitext check
 * --decisions): a finding fixed is left out, an accepted rendering is no
 * longer a variant (a finding left with one is dropped), and a house
 * rendering is the official one. Any hook may be NULL. */
typedef struct bt_check_hooks {
    int (*fixed)(void *ud, const bt_check_finding *f);
    int (*accepted)(void *ud, const char *subject, const char *en);
    const char *(*house)(void *ud, const char *subject);
    void *ud;
} bt_check_hooks;

typedef struct bt_check_opts {
    size_t max_places;     /* places kept per rendering; 0 = 1000 */
    size_t spill_budget;   /* bytes of caption-title-mismatch and
                              person-title-conflict findings held in
                              memory before they go to the temporary file;
                              0 = 4 MB */
    const bt_check_hooks *hooks; /* NULL: findings as found; copied. Last,
                              so that callers who fill the first fields
                              in order keep their meaning */
} bt_check_opts;

typedef struct bt_check bt_check;

/* A new, empty check over lex (borrowed; must outlive the check). opts may
 * be NULL. Caller frees with bt_check_free. */
bt_check *bt_check_new(const bt_lexicon *lex, const bt_check_opts *opts);
void bt_check_free(bt_check *c); /* NULL ok */

/* Add one article: its annotation (bt_annotate: the lines, their titles
 * and people; made before aligning, so that the aligner's words serve
 * here) and its alignment (res, may be NULL). The titles given to people
 * are read from the pairs and from the English lines outside them.
 * Everything needed is copied: the annotation, its document and res may be
 * freed afterwards. Adding after bt_check_findings() was called returns
 * BT_ERR_USAGE. */
bt_status bt_check_add(bt_check *c, bt_annotation *ann, const bt_align_result *res);

/* Find in ann, in any thread, what bt_check_add will read of it (the
 * people of the pairs and of the English text, the titles of the pairs'
 * Vietnamese), so that the part of a check that runs article by article
 * in one thread is short. Optional: bt_check_add finds what is missing. */
void bt_check_prepare(bt_annotation *ann, const bt_align_result *res);

/* Compute the findings (once) and return how many there are. Findings
 * come grouped by kind, in the order of bt_check_kind, then by subject,
 * then by first place. With out non-NULL, every finding is also read into
 * memory and *out set to the array (borrowed until bt_check_free; later
 * calls return the same array): for tests and small runs, since it holds
 * what the temporary file spares; not while walks run in other threads.
 * When the temporary file cannot be read, the array holds the findings
 * before the failure, their count is returned, and bt_check_error() says
 * why. */
size_t bt_check_findings(bt_check *c, const bt_check_finding **out);

/* A walk over the findings in the order of bt_check_findings, one at a
 * time. Several walks may run at once, in several threads, once the
 * findings were computed (by bt_check_findings or bt_check_count) in one
 * thread. Caller frees with bt_check_walk_free. */
typedef struct bt_check_walk bt_check_walk;
bt_check_walk *bt_check_walk_new(bt_check *c);
/* 1 with *f the next finding (borrowed until the next call or
 * bt_check_walk_free), 0 after the last one, or BT_ERR_IO when the
 * temporary file cannot be read (bt_check_error says why; errno is set). */
int bt_check_walk_next(bt_check_walk *w, const bt_check_finding **f);
void bt_check_walk_free(bt_check_walk *w); /* NULL ok */

/* NULL, or the first failure of the temporary file, naming it and why:
 * "cannot write temporary file in '/tmp': No space left on device
 * (findings kept in memory)": the findings were then kept in memory and
 * are whole; or "cannot read temporary file in '/tmp': ...": a walk
 * failed. Borrowed until bt_check_free. */
const char *bt_check_error(const bt_check *c);

/* Findings of one kind (computes them if needed). */
size_t bt_check_count(bt_check *c, bt_check_kind kind);
/* Articles added so far. */
size_t bt_check_files(const bt_check *c);

/* Write the findings as JSON ({"findings": [...]}, with a summary) or as
 * one self-contained HTML page, through a walk (so both may be written at
 * once, in two threads). Return BT_OK or BT_ERR_IO. */
int bt_check_write_json(bt_check *c, FILE *fp);
int bt_check_write_html(bt_check *c, FILE *fp);

#endif
