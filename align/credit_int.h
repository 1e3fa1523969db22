/* credit_int.h - photo credits, for the align/ sources (not a public header).
 *
 * Every rule about credits ("Ảnh: Mai Hoa", "Photo: Mai Hoa", "Ảnh tư liệu",
 * "File photo", "Ảnh minh họa", TTXVN/VNA) lives in credit.c: the openings
 * of each language in one table, and the tests built on it. */
#ifndef BT_CREDIT_INT_H
#define BT_CREDIT_INT_H

#include "align.h"

/* What a credit says of its photo. */
enum { CREDIT_NONE, CREDIT_NAMED, CREDIT_ARCHIVE, CREDIT_ILLUSTRATION };

/* Is s[0..len) (one sentence in lang) a photo credit? Returns CREDIT_*;
 * a named credit appends its folded name to key, each word in one spelling
 * for both editions (TTXVN and VNA alike). scratch is a buffer reused from
 * call to call. */
int credit_kind(bt_lang lang, const char *s, size_t len, bt_buf *key, bt_buf *scratch);

/* Do the keys of two named credits name one medium ("… weibo")? Names
 * transliterated differ ("Lưu Diệc Phi", "Liu Yifei"), the medium not. */
int credit_same_medium(const char *a, const char *b);

/* Could English text s[0..len) hold a credit anywhere ("Photo", "photo",
 * "Illustrat", "Source:")? A cheap test before credit_kind. */
int credit_maybe_en(const char *s, size_t len);

/* Does the line begin as a credit does (its written openings)? */
int credit_line_opens(const bt_line *l);

/* Could the line hold a credit anywhere? */
int credit_line_holds(const bt_line *l);

/* Whole-article mode: is a pair of sentences (either may be NULL) a credit
 * line and its translation? Stricter than credit_kind: an opening with a
 * colon, or a credit with no name. */
int credit_article_pair(const char *vi, const char *en);

#endif
