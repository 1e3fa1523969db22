/* bead_int.h - sentence alignment of whole article pairs (issue 7).
 *
 * These declarations are meant for align/align.h; until the lead moves them
 * there, cli/, tests/ and bench/ include this header directly. */
#ifndef BT_BEAD_INT_H
#define BT_BEAD_INT_H

#include "align.h"

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
 * partial, mismatch, unpaired). terms and mentions are left empty. Returns
 * BT_OK; *out must be freed with bt_align_result_free. */
int bt_align_texts(const bt_lexicon *lex, const bt_doc *vi, const bt_doc *en,
                   const bt_bead_opts *opts, bt_align_result *out);

#endif
