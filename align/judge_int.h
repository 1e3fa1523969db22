/* judge_int.h - the judge of a pair, as both modes ask it (evidence.c):
 * the inputs of the logistic model, the caption judge's weights
 * (data/judge.tsv) and the sentence judge's (data/judge_sentences.tsv).
 * Not a public header; it names no caption or bead structure, so both
 * modes' sources can include it. */
#ifndef BT_JUDGE_INT_H
#define BT_JUDGE_INT_H

#include "align.h"

/* What two texts say, as numbers on comparable scales (cap_judge_inputs):
 * the inputs of the caption judge, and the first inputs of the sentence
 * judge. */
enum {
    JF_BIAS, JF_COVERAGE, JF_UNEXPLAINED, JF_WORDS_HIT_SHARE, JF_WORDS_MISSED,
    JF_EN_WORDS_HIT_SHARE, JF_EN_WORDS_MISSED, JF_NUMS_MISSED, JF_EN_NAMES_EXTRA,
    JF_TITLES_EXTRA, JF_UNKNOWN_SHARE, JF_EN_LONGER, JF_EN_SHORTER, JF_COUNT
};
extern const char *const cap_judge_feature_names[JF_COUNT];

/* The caption judge's inputs of two texts, weighed as caption mode weighs
 * them. */
void judge_text_inputs(const bt_lexicon *lex, const char *vi, const char *en,
                       double x[JF_COUNT]);

/* The sentence judge (whole-article mode). Its own inputs are what the two
 * texts say (the JF_ inputs) and what the alignment measured of the bead:
 * the overlap of names, numbers, titles and learned translations beyond
 * chance (bead_lex, 0..1), how much of that evidence there is (bead_conf,
 * 0..1), how far the lengths are from the expected ratio (length_z, in
 * standard deviations, capped at 4) and whether the bead joins sentences
 * (merged). */
enum {
    SJ_BEAD_LEX = JF_COUNT, SJ_BEAD_CONF, SJ_LENGTH_Z, SJ_MERGED, SJ_COUNT
};
extern const char *const sent_judge_feature_names[SJ_COUNT];

/* Its stretch inputs: the pair's own log-odds, and the log-odds of the
 * weaker of its nearest neighbours on the alignment path (a pair inside a
 * stretch of good pairs is likely right), with how many sides have none. */
enum { ST_BIAS, ST_OWN, ST_STRETCH, ST_LONE, ST_COUNT };
extern const char *const sent_stretch_feature_names[ST_COUNT];

/* The probability from the own inputs, and from the stretch inputs. */
double sent_judge_own(const double x[SJ_COUNT]);
double sent_judge_stretch(const double s[ST_COUNT]);

/* The stretch inputs of a pair whose own probability is p_own, between
 * neighbours of own probabilities p_before, p_after (negative: none). */
void sent_stretch_inputs(double p_own, double p_before, double p_after, double s[ST_COUNT]);

#endif
