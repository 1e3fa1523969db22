/* corpus.h - reading articles: inputs, decoding, lines, language of a line,
 * sentences and the diacritic-free folding used for matching.
 *
 * Text enters once: after bt_doc_read every line is valid NFC UTF-8 with no
 * BOM, no CR, no C0 control characters other than TAB, and a length. */
#ifndef BT_CORPUS_H
#define BT_CORPUS_H

#include "../base/base.h"

/* ---- inputs ---------------------------------------------------------- */

/* Expand command-line inputs: a file is kept as given, a directory gives
 * every *.txt and *.txt.gz below it (recursively, symlink loops broken), in
 * sorted byte order of the path; "-" is stdin. Problems (a missing path, an
 * unreadable directory) are reported through diag and the rest is kept.
 * In directories, names starting with '.' are skipped (as the shell's `*`
 * does) and a directory reached twice through symlinks is read once.
 * *out is an array of *nout strings: caller frees with bt_inputs_free. */
int bt_inputs_expand(char *const *args, size_t nargs, bt_diag_fn diag,
                     void *ud, char ***out, size_t *nout);
void bt_inputs_free(char **paths, size_t n);
/* bt_inputs_expand over args and, when list is not NULL, the paths listed
 * in the file list, one a line ("-": stdin; blank lines skipped).
 * BT_ERR_EMPTY, unreported, when there is nothing at all to expand. */
int bt_inputs_expand_list(char *const *args, size_t nargs, const char *list,
                          bt_diag_fn diag, void *ud, char ***out, size_t *nout);
/* bt_inputs_expand_list, then the k-th of `of` slices as bt_inputs_shard
 * takes them (of 0: all), with only the slice's paths looked at: a path
 * named like an article (*.txt, *.txt.gz) outside the slice is not
 * opened, so one missing stops only the slice that holds it; a missing
 * path holds its place, so the slices do not depend on which are there.
 * (A directory named like an article is walked into its one place.) An
 * empty slice of a list that is not empty is BT_OK with *nout 0. */
int bt_inputs_expand_shard(char *const *args, size_t nargs, const char *list,
                           unsigned long k, unsigned long of, bt_diag_fn diag, void *ud,
                           char ***out, size_t *nout);
/* Document pairs for whole-text alignment: every NAME.vi.txt (or
 * .vi.txt.gz) under dir with its NAME.en.txt (or .en.txt.gz), as
 * consecutive entries of *out, Vietnamese first, in the order
 * bt_inputs_expand gives. A Vietnamese text without its English is
 * reported and left out; no pair at all is reported and BT_ERR_EMPTY.
 * Caller frees *out with bt_inputs_free. */
int bt_inputs_pairs(const char *dir, bt_diag_fn diag, void *ud, char ***out,
                    size_t *nout);
/* Keep the k-th of `of` slices of paths (1 <= k <= of): every of-th path
 * from the k-th on, so shards of a sorted list are balanced and disjoint.
 * The others are freed; *n becomes the number kept. */
void bt_inputs_shard(char **paths, size_t *n, unsigned long k, unsigned long of);
/* The list in one block, array and strings, to be freed with free(): a
 * large run's list lives as long as the run, and a malloc per path costs
 * as much again in overhead. Frees paths (as bt_inputs_free). */
char **bt_inputs_pack(char **paths, size_t n);

/* ---- documents ------------------------------------------------------- */

typedef enum bt_lang {
    BT_LANG_BLANK = 0, /* empty or white space only */
    BT_LANG_VI,        /* Vietnamese (with or without diacritics) */
    BT_LANG_EN,        /* English (possibly with accented Vietnamese names) */
    BT_LANG_NAME,      /* a bare name or credit: "Mai Hoa", "Ngoc Khanh" */
    BT_LANG_JUNK       /* file names, alt texts, markup left in the page */
} bt_lang;

const char *bt_lang_name(bt_lang l); /* "blank", "vi", "en", "name", "junk" */

typedef struct bt_line {
    char *text;           /* NFC UTF-8, NUL-terminated, owned by the doc */
    size_t len;
    unsigned long lineno; /* 1-based line number in the source file */
    bt_lang lang;         /* set by bt_doc_read through bt_lang_guess */
} bt_line;

typedef struct bt_doc {
    char *path;           /* the input path as found ("-" for stdin) */
    bt_line *lines;       /* every line of the file, blank ones included,
                             except lines dropped for an error */
    size_t nlines;
    unsigned nproblems;   /* lines dropped or repaired, each reported */
    unsigned long ninvisible; /* invisible characters taken out (see
                             bt_text_repair), not reported line by line */
} bt_doc;

typedef struct bt_read_opts {
    const char *encoding;  /* NULL: UTF-8 (UTF-16 is detected, by its BOM
                              or else its NUL bytes;
                              bytes that mostly cannot be UTF-8 are read as
                              windows-1258, with a warning); otherwise an
                              ICU converter name such as "windows-1258" */
    size_t max_line;       /* longest line kept, bytes; 0 = 1 MiB */
    size_t max_file;       /* largest decoded file, bytes; 0 = 256 MiB */
} bt_read_opts;

/* Read one input (plain or gzip'd, detected by content; "-" is stdin).
 * Returns BT_OK with *out set (caller frees with bt_doc_free), or an error
 * code with *out NULL when the whole file is unusable (unreadable, binary,
 * truncated gzip, over max_file): the reason has been reported through diag
 * with the file name. Bad lines (invalid UTF-8, over max_line) are reported
 * with their line number, left out, and counted in nproblems; the rest of
 * the file is kept. opts may be NULL. */
int bt_doc_read(const char *path, const bt_read_opts *opts, bt_diag_fn diag,
                void *ud, bt_doc **out);

/* bt_doc_read in two steps, for a caller that looks at the file before it
 * is read (align's memory budget: its size and whether it is gzip'd): the
 * file opened as bt_doc_read opens it (0 for "-"), -1 with errno set; then
 * read from fd, which stays open, path naming it in messages (st: its
 * fstat, or NULL). */
struct stat;
int bt_doc_open(const char *path);
int bt_doc_read_fd(const char *path, int fd, const struct stat *st,
                   const bt_read_opts *opts, bt_diag_fn diag, void *ud, bt_doc **out);

/* Build a doc from a UTF-8 buffer already in memory (tests, fuzzing): the
 * same decoding rules as bt_doc_read. Caller frees with bt_doc_free. */
int bt_doc_from_buffer(const char *name, const char *data, size_t len,
                       const bt_read_opts *opts, bt_diag_fn diag, void *ud,
                       bt_doc **out);

void bt_doc_free(bt_doc *doc); /* NULL ok */
/* Lines that are not blank: what align counts as the text it read. */
size_t bt_doc_text_lines(const bt_doc *doc);

/* Index into doc->lines of the line with source number lineno, or
 * (size_t)-1 when that line was dropped or does not exist. */
size_t bt_doc_line_index(const bt_doc *doc, unsigned long lineno);

/* ---- text ------------------------------------------------------------ */

/* Append to out the folded form of s: lower case, Vietnamese diacritics
 * removed, đ -> d, other Latin accents removed, apostrophe variants made
 * ASCII; other characters are copied unchanged. Table-driven, no ICU at run
 * time. Returns the number of bytes appended. */
size_t bt_fold(const char *s, size_t len, bt_buf *out);

/* Fold one code point: returns the folded code point (lower-case ASCII for
 * Latin letters with diacritics). */
int32_t bt_fold_cp(int32_t cp);

/* Repair of text that entered as valid UTF-8, the one rule for every
 * reader: C0 controls but TAB, DEL, C1 controls and noncharacters each
 * become a space. With BT_REPAIR_SPACES (articles) other spaces (no-break,
 * typographic, ideographic) become a space too and invisible characters
 * (soft hyphen, zero-width, word joiner, a BOM inside, the bidirectional
 * marks LRM, RLM, ALM and the embedding, override and isolate controls
 * U+202A..U+202E, U+2066..U+2069) are left out.
 * Copies src[0..n) to dst, which may be src or before it; the result is
 * never longer and not NUL-terminated. Returns its length; *first_bad (may
 * be NULL) gets the first control character or noncharacter, or -1. */
enum { BT_REPAIR_SPACES = 1 };
size_t bt_text_repair(char *dst, const char *src, size_t n, unsigned flags,
                      int32_t *first_bad);

/* Stream-safe text (UAX #15) in UTF-16 s[0..n): at most 30 non-starters
 * (combining class other than 0) in a row are kept, the rest dropped, so
 * that normalizing stays linear: ICU reorders a run of marks of mixed
 * classes in time quadratic in its length (a 1 MB line of them took 120
 * s). Returns the new length; *dropped (may be NULL) grows by the number
 * of code points dropped. */
#define BT_STREAM_SAFE_MAX 30
size_t bt_stream_safe_u16(uint16_t *s, size_t n, unsigned long *dropped);

/* Guess the language of one line of NFC text, by evidence: syllable
 * structure, function words, diacritics on lower-case words, credit
 * markers; names alone are BT_LANG_NAME. */
bt_lang bt_lang_guess(const char *s, size_t len);

/* Score how Vietnamese (positive) or English (negative) a piece of text
 * is; the number is a sum of per-word evidence. */
double bt_lang_score(const char *s, size_t len);

/* Does the UTF-8 text hold a lower-case letter (Unicode's Lowercase)? Text
 * typed in capitals throughout does not: its capitals mark no names. */
int bt_has_lower(const char *s, size_t len);

/* Is the ASCII-folded word w (lower case) a well-formed Vietnamese
 * syllable (onset + rhyme)? */
int bt_vi_syllable(const char *w, size_t len);

/* Split s into sentences: stores up to max [start, end) byte spans in spans
 * (pairs: spans[2*i], spans[2*i+1]), trimmed of surrounding white space.
 * Respects abbreviations (TP., Q., Mr., No.), numbers (1.034, 3,5), decree
 * numbers (217-QĐ/TW), initials and closing quotes. Returns the number of
 * sentences found (may exceed max; only max are stored). */
size_t bt_sentences(const char *s, size_t len, size_t *spans, size_t max);

/* ---- quantities ------------------------------------------------------ */

/* The numbers a text states, normalised so that the two languages' ways of
 * writing them meet: 1.500 (vi) and 1,500 (en), 62,9% and 62.9 percent,
 * 30/4 and April 30, 2.000 tỷ đồng and VND 2 trillion. */
typedef enum bt_qty_kind {
    BT_QTY_NUMBER = 1, /* a count or measure: 1.500, 3,5 triệu, two */
    BT_QTY_PERCENT,    /* 62,9%, 62.9 percent, 5 phần trăm */
    BT_QTY_MONEY,      /* an amount in a currency (see bt_currency) */
    BT_QTY_DATE,       /* day, month, year; unstated parts 0 */
    BT_QTY_TIME,       /* 10:15, 10h15, 3 p.m.: value is minutes after 0:00 */
    BT_QTY_ORDINAL     /* 21st, third, lần thứ 3 */
} bt_qty_kind;

typedef enum bt_currency {
    BT_CUR_NONE = 0, BT_CUR_VND, BT_CUR_USD, BT_CUR_EUR, BT_CUR_GBP, BT_CUR_JPY,
    BT_CUR_CNY, BT_CUR_KRW, BT_CUR_SGD, BT_CUR_AUD
} bt_currency;

typedef struct bt_quantity {
    double value;        /* the number with scale words applied (2 tỷ =
                            2e9); dates: year*10000 + month*100 + day */
    int kind;            /* bt_qty_kind */
    int currency;        /* bt_currency, money only */
    int day, month, year; /* dates only; 0 when not stated */
    int spelled;         /* written as a word ("hai", "two"): weaker
                            evidence, as "một" is often the article "a" */
    size_t start, end;   /* the byte span in the text */
} bt_quantity;

/* Find the quantities of text (lang decides what "1.500" means: 1500 in
 * Vietnamese, 1.5 in English). Stores up to max in out, in text order, and
 * returns how many were found (may exceed max). No allocation. */
size_t bt_quantities(bt_lang lang, const char *text, size_t len,
                     bt_quantity *out, size_t max);

/* Do a and b state the same quantity? Same kind, and the same value (money:
 * in the same currency); a date that leaves out the year meets one that
 * states it (30/4 meets April 30, 2025). */
int bt_quantity_same(const bt_quantity *a, const bt_quantity *b);

#endif
