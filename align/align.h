/* align.h - caption alignment: candidate pairs, scores and statuses; the
 * lexicon of official titles; name-title chains; glossary terms.
 *
 * Input is a bt_doc from corpus/. Every string returned is NFC UTF-8 and
 * owned by the structure it came in (freed by its _free function). */
#ifndef BT_ALIGN_H
#define BT_ALIGN_H

#include "../base/base.h"
#include "../corpus/corpus.h"

/* ---- lexicon of titles and bodies ------------------------------------ */

typedef struct bt_lexicon bt_lexicon;

/* The curated lexicon compiled in from the data/ folder. Borrowed, never freed;
 * built on first use (thread-safe). */
const bt_lexicon *bt_lexicon_default(void);

/* A lexicon of one's own: the curated one with its caption words, to
 * which a user's dictionary and a learned table add words. Made whole at
 * once (the default one reads its caption words on first use); words are
 * added by one thread before the lexicon is used, then it is read-only and
 * may be shared by threads. Free with bt_lexicon_free. */
bt_lexicon *bt_lexicon_new(void);
/* NULL and the default lexicon are left alone. */
void bt_lexicon_free(bt_lexicon *lex);
/* Add a caption word, as a row of data/dict/ is read: vi as written (one
 * word or several), en one or more English forms separated by "|" in base
 * forms (stemmed as the matcher takes them), function 1 for a word too
 * common to be evidence on its own. A form Vietnamese already has gains
 * the new English as alternatives. Returns 1 when added, 0 when nothing
 * was left of vi or en (or lex is not one's own). */
int bt_lexicon_add_word(bt_lexicon *lex, const char *vi, const char *en, int function);

typedef enum bt_term_kind {
    BT_TERM_TITLE = 0, /* a position held by a person: Phó Chủ tịch UBND tỉnh */
    BT_TERM_BODY,      /* an organisation: Ban Dân vận Tỉnh ủy */
    BT_TERM_NAME,      /* a person: Nguyễn Xuân Sơn / Nguyen Xuan Son */
    BT_TERM_PLACE      /* a place: Nghệ An / Nghe An */
} bt_term_kind;

const char *bt_term_kind_name(bt_term_kind k); /* "title", "body", ... */

/* A concept of the lexicon: one title or body, with its Vietnamese forms and
 * English renderings. Strings borrowed from the lexicon. */
typedef struct bt_concept {
    int id;
    bt_term_kind kind;
    const char *vi;           /* canonical Vietnamese form */
    const char *en_official;  /* the official or preferred rendering */
    const char *source;       /* where the official rendering comes from */
    int position, body;       /* a composed title: its parts' ids; else -1 */
} bt_concept;

size_t bt_lexicon_size(const bt_lexicon *lex);
/* Do concepts a and b name the same post or body? (Chủ tịch and Chủ nhiệm
 * of one body share "Chairman"; a composed title equals the stand-alone
 * title with the same words.) */
int bt_lexicon_same(const bt_lexicon *lex, int a, int b);
const bt_concept *bt_lexicon_concept(const bt_lexicon *lex, int id);

/* The lexicon rows as (vi, en, kind, preferred) for building the default
 * glossary: calls fn for every rendering. */
typedef void (*bt_lexicon_row_fn)(void *ud, const char *vi, const char *en,
                                  bt_term_kind kind, int preferred,
                                  const char *source);
void bt_lexicon_each(const bt_lexicon *lex, bt_lexicon_row_fn fn, void *ud);

/* The abbreviations of data/abbreviations.tsv as written there ("UBND",
 * "Ủy ban nhân dân"), in file order, so that every module expands the same
 * ones: calls fn for each row. Strings borrowed for the call. The rows
 * are the compiled-in file's: lex may be NULL (no lexicon is built). */
typedef void (*bt_lexicon_abbrev_fn)(void *ud, const char *abbrev,
                                     const char *expansion);
void bt_lexicon_each_abbrev(const bt_lexicon *lex, bt_lexicon_abbrev_fn fn,
                            void *ud);

/* A title or body found in text. */
typedef struct bt_title_match {
    size_t start, end;   /* byte span in the text searched */
    int concept;         /* bt_concept id; for composed titles, the id of the
                            position + body combination */
    bt_term_kind kind;
    int body;            /* a composed title: its body's concept, else -1 */
    size_t body_start, body_end; /* and where the body is named */
} bt_title_match;

/* Find titles and bodies in text of the given language (BT_LANG_VI or
 * BT_LANG_EN), longest match first, non-overlapping, in text order. Stores
 * up to max matches; returns how many were found. Matching is on folded
 * text: diacritics, case, tone placement and abbreviations (UBND, HĐND,
 * MTTQ, ...) do not matter. */
size_t bt_lexicon_find(const bt_lexicon *lex, bt_lang lang, const char *text,
                       size_t len, bt_title_match *out, size_t max);

/* ---- people in a caption: NAME - TITLE, TITLE; TITLE NAME ------------- */

typedef struct bt_person {
    char *name;           /* as written: "Nguyễn Xuân Sơn" */
    char *name_key;       /* folded, single spaces: "nguyen xuan son" */
    size_t name_start, name_end;   /* span in the text */
    char **titles;        /* each title as written */
    int *concepts;        /* lexicon concept of each title, -1 if unknown */
    size_t ntitles;
    /* The whole chain after "NAME - ", element by element, known to the
     * lexicon or not (concept -1), for pairing titles the lexicon does not
     * know by their place in the chain. Empty when the chain's end cannot
     * be told from what follows it. */
    char **chain;
    int *chain_concepts;
    size_t nchain;
} bt_person;

typedef struct bt_people {
    bt_person *v;
    size_t n;
    bt_arena mem;         /* the people's strings and arrays */
} bt_people;

/* Parse the people named in a caption or sentence with their titles, in
 * either order ("Comrade NAME - TITLE, TITLE; NAME - TITLE" and "TITLE
 * NAME"). The hyphen inside titles ("Kinh tế - Ngân sách") is kept. */
void bt_people_parse(const bt_lexicon *lex, bt_lang lang, const char *text,
                     size_t len, bt_people *out);
void bt_people_free(bt_people *p);

/* ---- alignment ------------------------------------------------------- */

typedef enum bt_pair_status {
    BT_PAIR_ACCEPTED = 0, /* a translation: goes into the memory */
    BT_PAIR_PARTIAL,      /* one side clearly says more */
    BT_PAIR_MISMATCH,     /* same place, not a translation */
    BT_PAIR_UNPAIRED      /* no counterpart */
} bt_pair_status;

const char *bt_pair_status_name(bt_pair_status s); /* "accepted", ... */

typedef struct bt_pair {
    unsigned long vi_line;   /* 0 when there is no Vietnamese side */
    unsigned long en_line;   /* 0 when there is no English side */
    char *vi;                /* NULL when absent; trimmed, spaces collapsed */
    char *en;                /* NULL when absent */
    double score;            /* 0..1: see docs/translators.md */
    bt_pair_status status;
    int is_credit;           /* a photo credit segment */
    unsigned long en_last;   /* the last line its English spans (a caption
                                wrapped by hand runs over several), else 0 */
} bt_pair;

/* A glossary term observed in an accepted (or partial, for the name-title
 * prefix) pair. */
typedef struct bt_term {
    char *vi;
    char *en;
    bt_term_kind kind;
    unsigned long vi_line, en_line;
} bt_term;

typedef struct bt_align_result {
    bt_pair *pairs;     size_t npairs;
    bt_term *terms;     size_t nterms;
} bt_align_result;

/* ---- annotation: each line's words and titles, found once ----------- */

/* The words and lexicon matches of a document's lines, and of the sides
 * of its pairs, each text tokenized and searched once. bt_annotate
 * searches every Vietnamese line in Vietnamese and every English line (and
 * bare name) in English; bt_align_doc, given the annotation, takes the
 * words of segments that are whole lines from it and leaves it the words
 * of its pairs' sides; the check reads titles and people from it. What
 * was not annotated (a line read in the other language, the sides of
 * pairs made by hand) is found on first request and kept, so an
 * annotation is used by one thread at a time. */
typedef struct bt_annotation bt_annotation;

/* doc and lex are borrowed and must outlive the annotation (lex NULL: the
 * default lexicon). Caller frees with bt_annotation_free. */
bt_annotation *bt_annotate(const bt_lexicon *lex, const bt_doc *doc);
void bt_annotation_free(bt_annotation *a); /* NULL ok */
const bt_doc *bt_annotation_doc(const bt_annotation *a);
/* The lines' words (kept for an article of up to 1 MiB of text, for the
 * aligner's whole-line segments and the people asked for) are needed no
 * more: their memory goes back. What was found stays. */
void bt_annotation_forget_words(bt_annotation *a);
const bt_lexicon *bt_annotation_lexicon(const bt_annotation *a);

/* A title given to a person in a text: bt_people_parse's people, one
 * record a title, in their order. Strings borrowed from the annotation. */
typedef struct bt_given_title {
    const char *person;      /* name as written */
    const char *person_key;  /* folded, single spaces */
    const char *title;       /* title as written */
    int concept;             /* lexicon concept, -1 if unknown */
} bt_given_title;

/* The titles and bodies of line li (an index into doc->lines) read in
 * lang (BT_LANG_VI or BT_LANG_EN): every one, as bt_lexicon_find gives
 * them; *m borrowed until bt_annotation_free. */
size_t bt_annotation_line_titles(bt_annotation *a, size_t li, bt_lang lang,
                                 const bt_title_match **m);
/* The titles line li read in lang gives people; *g borrowed likewise. */
size_t bt_annotation_line_given(bt_annotation *a, size_t li, bt_lang lang,
                                const bt_given_title **g);

/* The same for side lang of pair k of res, the alignment of the
 * annotation's document (the text pairs[k].vi or .en, which must be
 * there). */
size_t bt_annotation_pair_titles(bt_annotation *a, const bt_align_result *res, size_t k,
                                 bt_lang lang, const bt_title_match **m);
size_t bt_annotation_pair_given(bt_annotation *a, const bt_align_result *res, size_t k,
                                bt_lang lang, const bt_given_title **g);

typedef struct bt_align_opts {
    int window;          /* lines looked at around a caption; 0 = default */
    bt_annotation *notes; /* the document's annotation, or NULL: see
                            bt_annotation */
} bt_align_opts;

/* Align the captions of one article. Pairs come in source order. Nothing
 * can fail; *out must be freed with bt_align_result_free. opts may be
 * NULL. */
void bt_align_doc(const bt_lexicon *lex, const bt_doc *doc,
                  const bt_align_opts *opts, bt_align_result *out);
void bt_align_result_free(bt_align_result *r);

/* The lines of pairs.jsonl for res's pairs, appended to out: one JSON
 * object a pair, {"file", "vi_line", "en_line", "vi", "en", "score",
 * "status"[, "credit": true]}, byte for byte as jansson's compact dump
 * with JSON_REAL_PRECISION(4) wrote them (the score rounded to three
 * decimals; a string that is not UTF-8 is left out, as jansson did). */
void bt_align_pairs_jsonl(bt_buf *out, const char *file, const bt_align_result *res);

/* ---- whole article pairs: sentence alignment ------------------------ */

/* What a run did, for benchmarks and the linear-memory test. */
typedef struct bt_bead_stats {
    size_t vi_sentences, en_sentences;
    size_t cells;        /* DP cells allocated over all passes */
    size_t max_cells;    /* the largest single DP allocation, in cells */
    size_t dp_runs;      /* banded DP runs (a band that was too narrow is
                            widened and the run repeated) */
    size_t table_pairs;  /* sentence pairs the translation table learned from */
    size_t table_size;   /* entries kept in the learned translation table */
    double ratio;        /* estimated EN/VI character ratio */
    double var;          /* variance of the length difference per character */
    int anchored;        /* 1: paragraphs were used as hard anchors */
} bt_bead_stats;

typedef struct bt_bead_opts {
    int band;            /* initial half-width of the DP band, sentences;
                            0 = 20. Widened automatically where the best
                            path runs along an edge. */
    int no_learn;        /* 1: skip the second pass with the learned table */
    int no_anchors;      /* 1: never use paragraphs as hard anchors */
    bt_bead_stats *stats; /* filled in when not NULL */
} bt_bead_opts;

/* Align the sentences of a Vietnamese text and its English translation.
 * Sentences are found per line with bt_sentences; blank lines separate
 * paragraphs, which are hard anchors when both sides have the same number of
 * them (and their sizes agree), soft ones otherwise; junk lines (file names,
 * alt texts) are skipped. lex may be NULL (no title evidence), opts may be
 * NULL. Pairs come in text order and use bt_pair: vi/en the sentences of the
 * bead joined by one space (NULL for a missing side), vi_line/en_line the
 * line where the first sentence starts, score 0..1 and a status (accepted,
 * partial, mismatch, unpaired). terms are left empty. Returns
 * BT_OK; *out must be freed with bt_align_result_free. */
int bt_align_texts(const bt_lexicon *lex, const bt_doc *vi, const bt_doc *en,
                   const bt_bead_opts *opts, bt_align_result *out);


/* ---- a translation table learned from the text itself (table.c) ----- */

/* The confident pairs of a run, kept to learn word translations from (IBM
 * Model 1) for a second pass. What is kept is a sample that merges
 * exactly: the BT_TABLE_MAX_PAIRS distinct pairs (Vietnamese words,
 * English stems) with the smallest hash, each with how often it was seen,
 * so shards' tables merged in any order equal one run's; memory stays
 * under twice the cap. See docs/translators.md. */
typedef struct bt_table bt_table;
#define BT_TABLE_MAX_PAIRS 20000
#define BT_TABLE_MIN_SCORE 0.8  /* an accepted pair this sure is learned from */

/* Keep at most max distinct pairs (0: BT_TABLE_MAX_PAIRS); tables merged
 * must have the same max. Free with bt_table_free. */
bt_table *bt_table_new(size_t max);
void bt_table_free(bt_table *t);   /* NULL ok */
/* Keep the pairs of res that are accepted, not credits, with a score of at
 * least BT_TABLE_MIN_SCORE; lex cuts the Vietnamese into words (NULL: the
 * default lexicon). */
void bt_table_add_result(bt_table *t, const bt_lexicon *lex, const bt_align_result *res);
/* Keep one pair (what bt_table_add_result does for each). */
void bt_table_add_pair(bt_table *t, const bt_lexicon *lex, const char *vi, const char *en);
/* Add other's pairs and counts to t. */
void bt_table_merge(bt_table *t, bt_table *other);
/* Distinct pairs kept. */
size_t bt_table_pairs(bt_table *t);
/* Learn from the pairs kept and add the strong entries (t(e|v) at least
 * 0.5, the two words together in at least 3 pairs) that lex has no caption
 * word for to lex, which must be one's own (bt_lexicon_new). Returns how
 * many words were added. */
size_t bt_table_learn(bt_table *t, bt_lexicon *lex);
/* Read a table written by bt_table_write, adding its pairs and counts to
 * t. A malformed line is a warning (FILE:LINE through diag) and skipped.
 * BT_OK, or BT_ERR_IO when the file cannot be read (reported). */
int bt_table_read(bt_table *t, const char *path, bt_diag_fn diag, void *ud);
/* Write t atomically: its pairs, then the entries learned from them (for
 * reading; not read back). 0, or -1 with errno set. */
int bt_table_write(bt_table *t, const char *path);

/* ---- the reasons behind a judgement (bitext review) ------------------ */

enum { BT_EVIDENCE_MAX = 16, BT_EVIDENCE_TEXT = 512 };

/* One input of the caption judge: what it is, in a translator's words,
 * and how much it moved the judgement: contribution = weight * value, in
 * log-odds (positive: for the pair). */
typedef struct bt_evidence_reason {
    const char *feature;     /* its name in data/judge.tsv ("coverage", ...) */
    double value, weight, contribution;
    char says[BT_EVIDENCE_TEXT]; /* UTF-8, cut at a character with "…" */
} bt_evidence_reason;

typedef struct bt_evidence {
    double score;            /* the judge's own probability, before the */
    bt_pair_status status;   /* pairs around it are weighed, and status */
    int capped;              /* a rule lowered it (same person, other titles) */
    size_t n;                /* reasons: largest |contribution| first, those */
    bt_evidence_reason reason[BT_EVIDENCE_MAX]; /* near 0 left out but the */
                             /* length, the bias (where the judge starts) last */
    /* A photo credit that ends a side's text (0 Vietnamese, 1 English), as
     * the segmenter would cut it off had it stood alone: the caption is
     * text[0..caption_len), the credit text[credit_at..+credit_len), its
     * parentheses left out. credit_len 0: none. */
    size_t caption_len[2], credit_at[2], credit_len[2];
} bt_evidence;

/* The caption judge's reasons for pairing vi with en, through its own
 * features (the words behind each count are those the judge finds when
 * each is weighed alone against the other side), and the credits that end
 * either text. vi or en NULL or empty: only the credits (n is 0). lex
 * NULL: the default lexicon. */
void bt_pair_evidence(const bt_lexicon *lex, const char *vi, const char *en, bt_evidence *ev);

/* Normalize a segment for the memory: trim, collapse runs of white space
 * to one space. Caller frees. */
char *bt_segment_clean(const char *s, size_t len);

#endif
