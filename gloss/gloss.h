/* gloss.h - the glossary of official titles, names, places and bodies:
 * the model that `bitext align` fills, look-up keys that match the way
 * people type, TSV/CSV/JSON/TBX input and output, and a compact on-disk
 * index (FILE.idx, mmap'd) that answers a look-up in a million-row glossary
 * in a few milliseconds.
 *
 * Strings in are UTF-8 (any normalization form); strings stored are NFC with
 * one tone placement (hòa, thủy, ủy: see bt_gloss_vi_canon). The library
 * never prints: problems go through a bt_diag_fn. */
#ifndef BT_GLOSS_H
#define BT_GLOSS_H

#include "../base/base.h"
#include "../align/align.h"

/* ---- look-up keys ------------------------------------------------------ */

/* Append to out the look-up key of Vietnamese text: folded (lower case, no
 * diacritics, đ -> d), punctuation and hyphens as word breaks, one space
 * between words, and every abbreviation expanded word by word (UBND ->
 * "uy ban nhan dan", HĐND, MTTQ, UBMTTQ, TW, BTV, UBKT, BCH, ĐBQH, TP, ...;
 * TƯ only as a whole word in capitals, since "tu" is also tư and từ; Ð
 * U+00D0 typed for Đ counts as d). "Chủ tịch HĐND tỉnh", "chu tich hdnd
 * tinh" and "Chủ tịch Hội đồng nhân dân tỉnh" have one key. Returns the
 * number of bytes appended. */
size_t bt_gloss_key_vi(const char *s, size_t len, bt_buf *out);

/* Append to out the look-up key of English text: folded, apostrophes
 * dropped ("People's" = "Peoples"), punctuation as word breaks, the word
 * "the" left out. Returns the number of bytes appended. */
size_t bt_gloss_key_en(const char *s, size_t len, bt_buf *out);

/* Is the key of s (bt_gloss_key_en when english, else bt_gloss_key_vi)
 * equal to key? The same answer as making the key and comparing, but it
 * stops at the first word that differs. */
int bt_gloss_key_equals(const char *s, size_t len, int english,
                        const char *key, size_t keylen);

/* The canonical written form of Vietnamese text: NFC, white space trimmed
 * and collapsed, and the tone mark of an open oa/oe/uy syllable on its
 * first vowel (hoà -> hòa, khoẻ -> khỏe, thuỷ -> thủy; quý is kept). Case
 * is kept. Caller frees. */
char *bt_gloss_vi_canon(const char *s, size_t len);

/* The canonical form in lower case: what makes two observations one row
 * ("Phó chủ tịch" = "Phó Chủ tịch", "hoà" = "hòa"). Caller frees. */
char *bt_gloss_lower(const char *s, size_t len);

/* The exact-match key: the canonical form in lower case, punctuation as
 * word breaks and abbreviations expanded to their accented words ("Chủ tịch
 * HĐND tỉnh" -> "chủ tịch hội đồng nhân dân tỉnh"). Caller frees. */
char *bt_gloss_exact_key(const char *s, size_t len, int english);

/* Expansion (folded words) of one folded abbreviation such as "ubnd", or
 * NULL when w is not a known abbreviation (data/abbreviations.tsv, read
 * through the lexicon). Borrowed, never freed. */
const char *bt_gloss_abbrev(const char *w, size_t len);

/* Optimal-string-alignment edit distance between a and b (insertions,
 * deletions, substitutions, adjacent transpositions), or max + 1 when it
 * exceeds max. */
unsigned bt_gloss_distance(const char *a, size_t alen, const char *b,
                           size_t blen, unsigned max);

/* ---- the glossary model ------------------------------------------------ */

typedef struct bt_gloss bt_gloss;

/* One distinct (vi, en) mapping. Strings borrowed until the glossary
 * changes or is freed. */
typedef struct bt_gloss_row {
    const char *vi;        /* canonical form (bt_gloss_vi_canon) */
    const char *en;        /* trimmed, spaces collapsed */
    const char *kind;      /* title, name, place, body (or as read) */
    unsigned long count;   /* observations */
    const char *sources;   /* "file:line, file:line", "" when none */
    int official;          /* from the curated lexicon, preferred rendering */
} bt_gloss_row;

bt_gloss *bt_gloss_new(void);  /* free with bt_gloss_free */
void bt_gloss_free(bt_gloss *g); /* NULL ok */

/* Record one observation of vi rendered as en: rows are distinct mappings
 * (case, white space and tone placement do not make a new row); count goes
 * up by one and "file:line" joins the row's sources (the first
 * BT_GLOSS_MAX_SOURCES distinct places are kept, then a last item "+N
 * more" counts the observations at places not listed: the rule of the
 * TMX's x-sources, bt_places_more_add). kind NULL means
 * "title"; file may be NULL. Empty vi or en are ignored; a leading "#" is
 * dropped from vi (a TSV line starting with # is a comment). */
void bt_gloss_add(bt_gloss *g, const char *vi, const char *en,
                  const char *kind, const char *file, unsigned long line);

/* bt_gloss_add for every term of an aligned file. */
void bt_gloss_add_terms(bt_gloss *g, const bt_align_result *res, const char *file);

#define BT_GLOSS_MAX_SOURCES 50

/* Add a whole row: count is added to the row's count, the sources list
 * ("a:1, b:2", "+N more" marks added up) is united with the row's, kind
 * replaces the row's kind when
 * given, official is or'ed. Used by readers, merge and the lexicon. */
void bt_gloss_add_row(bt_gloss *g, const char *vi, const char *en,
                      const char *kind, unsigned long count,
                      const char *sources, int official);

/* Add every rendering of the curated lexicon, count 0, official set for
 * preferred renderings, sources "lexicon", standing preferred or
 * admitted. */
void bt_gloss_add_lexicon(bt_gloss *g, const bt_lexicon *lex);

size_t bt_gloss_size(const bt_gloss *g);

/* How a rendering stands against the curated lexicon: what TBX writes as
 * administrativeStatus and the OmegaT glossary's comment says. */
typedef enum bt_gloss_standing {
    BT_STANDING_NONE = 0,    /* the lexicon does not know the Vietnamese */
    BT_STANDING_PREFERRED,   /* the official rendering */
    BT_STANDING_ADMITTED,    /* another rendering the lexicon lists (in use) */
    BT_STANDING_DEPRECATED   /* a title or body the lexicon knows, rendered
                                in words it does not list: what `bitext
                                check` reports as a variant */
} bt_gloss_standing;

/* "official", "variant", "deprecated", "" for none. */
const char *bt_gloss_standing_name(bt_gloss_standing s);

/* Set every row's standing from lex (English compared by look-up key, so
 * case and "the" do not matter), and official for its preferred
 * renderings; a title or body the lexicon knows that no row gives in its
 * official rendering gets that rendering as a row of its own (count 0,
 * sources "lexicon"). Done by align and glossary export|merge before
 * writing; rows added later have no standing. */
void bt_gloss_mark_lexicon(bt_gloss *g, const bt_lexicon *lex);
/* The same in two steps: the lexicon's renderings and titles, made once
 * (in any thread, while the lexicon is not changed; NULL without a
 * lexicon), then their marks on g (nothing with NULL). */
typedef struct bt_gloss_marks bt_gloss_marks;
bt_gloss_marks *bt_gloss_marks_new(const bt_lexicon *lex);
void bt_gloss_mark_with(bt_gloss *g, const bt_gloss_marks *marks);
void bt_gloss_marks_free(bt_gloss_marks *marks);

/* Row i in output order: by folded Vietnamese key, then the official
 * rendering first, then count (highest first), then English. Borrowed until the glossary changes. The order is
 * computed on first use after a change: once it is made, several threads
 * may read the glossary at once (align writes its three files so), but not
 * before. */
const bt_gloss_row *bt_gloss_row_at(const bt_gloss *g, size_t i);
/* The standing of row i in output order (BT_STANDING_NONE until
 * bt_gloss_mark_lexicon). */
bt_gloss_standing bt_gloss_standing_at(const bt_gloss *g, size_t i);

/* ---- reading and writing ----------------------------------------------- */

/* Output formats. TSV: a "# ..." header line (OmegaT reads # as a comment),
 * then vi, en, kind, count, sources. CSV: RFC 4180 quoting, a header row, \n line ends. JSON:
 * an array of objects. TBX: 2008 martif, TBX-Basic (through tmx/). */
typedef enum bt_gloss_format {
    BT_GLOSS_TSV = 0,
    BT_GLOSS_CSV,
    BT_GLOSS_JSON,
    BT_GLOSS_TBX,
    BT_GLOSS_OMEGAT  /* OmegaT's tab-separated glossary: vi, en, comment */
} bt_gloss_format;

/* "tsv", "csv", "json", "tbx", and "omegat" (or OmegaT's extensions
 * "txt", "utf8") -> format; -1 when unknown. */
int bt_gloss_format_parse(const char *name);

/* Write atomically (temporary file renamed into place). 0, or -1 with
 * errno set. */
int bt_gloss_write_tsv(const bt_gloss *g, const char *path);
int bt_gloss_write_tbx(const bt_gloss *g, const char *path);
/* TBX with the langSets' xml:lang codes given (NULL: "vi", "en"). */
int bt_gloss_write_tbx_langs(const bt_gloss *g, const char *path,
                             const char *lang_vi, const char *lang_en);
int bt_gloss_write_csv(const bt_gloss *g, const char *path);
int bt_gloss_write_json(const bt_gloss *g, const char *path);
/* OmegaT's layout, as glossary.txt: a UTF-8 BOM and a '#' header, then
 * vi, en and a comment (kind; standing; count; sources). */
int bt_gloss_write_omegat(const bt_gloss *g, const char *path);
int bt_gloss_write(const bt_gloss *g, bt_gloss_format f, const char *path);
/* Write TSV, CSV, JSON or OmegaT's layout to an open stream (not TBX).
 * 0 or -1. */
int bt_gloss_write_fp(const bt_gloss *g, bt_gloss_format f, FILE *fp);

/* Read a TSV glossary: "#" lines and blank lines are skipped, and a first
 * row that names the columns ("vi<TAB>en", "source<TAB>target"); columns
 * vi, en and optionally kind, count, sources. A two- or three-column
 * OmegaT glossary loads too: a third column that is no kind is OmegaT's
 * comment, and the comment glossary.txt carries ("title; official; count
 * 2; a.txt:7") gives its kind, count, official mark and sources back. A BOM, CR line ends and NFD text are accepted. A
 * malformed line is reported as FILE:LINE through diag and skipped; the rest
 * loads. Returns BT_OK, or BT_ERR_IO when the file cannot be read. */
int bt_gloss_read_tsv(bt_gloss *g, const char *path, bt_diag_fn diag,
                      void *ud);
/* The same from a buffer; name is used in diagnostics. */
int bt_gloss_read_tsv_mem(bt_gloss *g, const char *name, const char *data,
                          size_t len, bt_diag_fn diag, void *ud);
/* Read a TBX glossary (2008 or 2019) through tmx/: no network, no external
 * entities. */
int bt_gloss_read_tbx(bt_gloss *g, const char *path, bt_diag_fn diag,
                      void *ud);
/* Read by name: *.tbx as TBX, anything else as TSV; a directory means its
 * glossary.tsv (the output directory of `bitext align`). */
int bt_gloss_read(bt_gloss *g, const char *path, bt_diag_fn diag, void *ud);

/* Read a dictionary for bitext align --dict: a glossary as bt_gloss_read
 * reads it (TSV of vi, en[, kind, ...], .tbx, a directory), or hunalign's
 * dictionary format, "english @ vietnamese" a line (told by its first line
 * that is not blank or a # comment). Malformed lines are warnings with
 * FILE:LINE; BT_ERR_IO when the file cannot be read (reported). */
int bt_gloss_read_dict(bt_gloss *g, const char *path, bt_diag_fn diag, void *ud);

/* ---- look-up ----------------------------------------------------------- */

typedef struct bt_gloss_index bt_gloss_index;

/* How a hit matched, best first. */
typedef enum bt_gloss_match {
    BT_MATCH_EXACT = 0,   /* same words, accents and abbreviations aside */
    BT_MATCH_FOLDED,      /* same diacritic-free, abbreviation-free key */
    BT_MATCH_FUZZY        /* within a small edit distance of the key */
} bt_gloss_match;

const char *bt_gloss_match_name(bt_gloss_match m); /* "exact", ... */

typedef struct bt_gloss_hit {
    const char *vi, *en, *kind, *sources; /* borrowed from the index */
    unsigned long count;
    int official;
    bt_gloss_match match;
    unsigned distance;    /* edit distance of the key (fuzzy), else 0 */
    unsigned source;      /* which index it came from (caller's number) */
} bt_gloss_hit;

typedef struct bt_gloss_hits {
    bt_gloss_hit *v;
    size_t n, cap;
    char **owned;         /* copies of strings that had no lasting owner */
    size_t nowned, owncap;
} bt_gloss_hits;

void bt_gloss_hits_init(bt_gloss_hits *h);
void bt_gloss_hits_free(bt_gloss_hits *h); /* back to the empty state */

/* Where an opened index came from. */
typedef enum bt_gloss_index_state {
    BT_INDEX_CACHED = 0,  /* FILE.idx was fresh and is mmap'd */
    BT_INDEX_REBUILT,     /* FILE.idx was missing or stale: built, written */
    BT_INDEX_MEMORY       /* built in memory (not writable, or no file) */
} bt_gloss_index_state;

enum {
    BT_INDEX_NO_WRITE = 1,  /* never write FILE.idx (read-only use) */
    BT_INDEX_REBUILD = 2    /* build anew, whatever FILE.idx holds */
};

/* Open the look-up index of a glossary file (TSV, TBX or an align output
 * directory). FILE.idx beside it is used when it is a regular file owned by
 * the glossary's owner or by the caller, is whole (its header's checksum),
 * and records the glossary's current size, mtime, ctime, device and inode
 * (and the glossary is not so new that its clock could hide a second
 * change), or the same content hash; otherwise the glossary is read, the
 * index built and written atomically to FILE.idx (in memory only when that
 * cannot be written). The index's body is checked a block at a time as
 * look-ups read it: see bt_gloss_index_damaged. A problem with FILE.idx
 * itself (not a regular file, another owner) is reported through diag as a
 * warning; so are bad glossary lines. Returns BT_OK with *out set (free with
 * bt_gloss_index_free), or an error code. While an index file is mapped, a
 * SIGBUS handler is installed that turns a cut file into a damaged index. */
int bt_gloss_index_open(const char *path, unsigned flags, bt_diag_fn diag,
                        void *ud, bt_gloss_index **out);

/* An in-memory index over g (g may be freed afterwards). Caller frees. */
bt_gloss_index *bt_gloss_index_build(const bt_gloss *g);

void bt_gloss_index_free(bt_gloss_index *ix); /* NULL ok */

/* bt_gloss_index_free for a program about to end: a mapped index file is
 * left mapped, for the exit to unmap, which costs less than munmap (about
 * 0.2 ms of a 4 ms look-up). Nothing may read the index after. NULL ok. */
void bt_gloss_index_free_at_exit(bt_gloss_index *ix);
bt_gloss_index_state bt_gloss_index_state_of(const bt_gloss_index *ix);
/* 1 when a look-up in ix read a block whose checksum is wrong or the file
 * was cut while mapped: its answers since opening cannot be trusted (open
 * again with BT_INDEX_REBUILD and ask again). */
int bt_gloss_index_damaged(const bt_gloss_index *ix);
size_t bt_gloss_index_size(const bt_gloss_index *ix); /* rows */
/* Row i (output order) of the index; its strings are decoded into ix and
 * good until the next call on ix. */
void bt_gloss_index_row(const bt_gloss_index *ix, size_t i, bt_gloss_row *r);

enum {
    BT_LOOKUP_REVERSE = 1,  /* the term is English: find the Vietnamese */
    BT_LOOKUP_FUZZY = 2     /* also look for near keys (edit distance) */
};

/* Append to out the rows of ix whose key equals the term's key (exact and
 * folded hits). With BT_LOOKUP_FUZZY and no such row, append instead the
 * rows of the max_fuzzy (0: 10) nearest keys within the edit-distance bound
 * (1 + key length / 10, at most 4), nearest first. source is copied into
 * each hit. Returns the number of hits appended. */
size_t bt_gloss_index_lookup(const bt_gloss_index *ix, const char *term,
                             size_t len, unsigned flags, size_t max_fuzzy,
                             unsigned source, bt_gloss_hits *out);

/* The same over the built-in lexicon, row by row (it is small and compiled
 * in, so no index is built): exact and folded hits (a post the lexicon
 * gives only with a body, such as "Bộ trưởng", found alone too), or with
 * BT_LOOKUP_FUZZY and no such row, the rows within the edit-distance bound
 * (bt_gloss_hits_rank orders and cuts them). The hits' strings are copies
 * owned by out. */
size_t bt_gloss_lexicon_lookup(const bt_lexicon *lex, const char *term,
                               size_t len, unsigned flags, unsigned source,
                               bt_gloss_hits *out);

/* The same over the default lexicon (bt_lexicon_default), which is made
 * only when its rows by key, made at build time into bitext, do not
 * answer (a fuzzy look-up): a look-up then starts without making it. */
size_t bt_gloss_default_lookup(const char *term, size_t len, unsigned flags,
                               unsigned source, bt_gloss_hits *out);

/* The long form of an English post named with its ministry's subject
 * ("Minister of Finance" -> "Minister of the Ministry of Finance", the
 * lexicon's form), or NULL when term has no " of " or names a ministry
 * already. Caller frees. A reverse look-up that finds nothing tries it. */
char *bt_gloss_en_long_form(const char *term, size_t len);

/* The term's look-up key with each word of 4 letters or more that is one
 * edit away from a known abbreviation replaced by it ("Pho chu tich UBDN
 * tinh" -> "pho chu tich ubnd tinh"), or NULL when no word was. Caller
 * frees. A fuzzy look-up that finds nothing tries it. */
char *bt_gloss_fix_abbrev(const char *term, size_t len);

/* Put hits gathered from several indexes in answer order: the same (vi, en),
 * case aside, from several indexes becomes one hit (the later source gives
 * kind, count and sources, the first its spelling; official is or'ed);
 * when the term carries diacritics and some hits are exact, only those
 * stay; fuzzy hits only when there is nothing else; then best match,
 * official first, highest count, English/Vietnamese.
 * Fuzzy hits are cut to max_fuzzy (0: no limit). */
void bt_gloss_hits_rank(bt_gloss_hits *h, const char *term, size_t len,
                        unsigned flags, size_t max_fuzzy);

#endif
