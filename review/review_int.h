/* review_int.h - internals shared by the review module (not public). */
#ifndef BT_REVIEW_INT_H
#define BT_REVIEW_INT_H

#include "review.h"

#include <stdint.h>

/* Per-article findings (caption-title-mismatch, person-title-conflict) are
 * keyed by their first place too; the variant kinds by subject alone. */
static inline int rv_finding_per_article(bt_check_kind k)
{
    return k == BT_CHECK_CAPTION_MISMATCH || k == BT_CHECK_PERSON_CONFLICT;
}

/* The key of a finding decision: "finding" target, kind name, subject,
 * and for the per-article kinds the file and line of its first place. */
void rv_finding_key(const bt_check_finding *f, const char **file, unsigned long *line);

/* Index lookups the application shares with align and check. */
const bt_decision *rv_index_finding(const bt_review_index *x, const char *kind,
                                    const char *subject, const char *file,
                                    unsigned long line);
int rv_index_variant(const bt_review_index *x, const char *subject, const char *en,
                     const bt_decision **dec);
const bt_decision *rv_index_house(const bt_review_index *x, const char *subject);
/* The decision on a pair key without counting it as used. */
const bt_decision *rv_index_pair(const bt_review_index *x, const char *file,
                                 unsigned long vi_line, unsigned long en_line, unsigned nth);

/* api.c: the hosts a request may name, the token kept. */
void rv_allow_hosts(bt_review *rv, const char *const *hosts, size_t nhosts);

#endif
