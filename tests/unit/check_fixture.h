/* check_fixture.h - what the check tests share: mentions made by hand,
 * with the lexicon's concept of their title, articles added with them, and
 * reports written into memory. Include after <cmocka.h> and check.h. */
#ifndef BT_TEST_CHECK_FIXTURE_H
#define BT_TEST_CHECK_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../check/check_int.h"

/* The concept of a title the lexicon knows as one match. */
static int concept_of(bt_lang lang, const char *title)
{
    bt_title_match m[4];
    size_t n = bt_lexicon_find(bt_lexicon_default(), lang, title,
                               strlen(title), m, 4);
    assert_int_equal(n, 1);
    return m[0].concept;
}

/* A mention as the check finds one; the strings are borrowed. */
static chk_mention mention(const char *person, const char *key,
                           const char *title, bt_lang lang, unsigned long line,
                           long pair)
{
    chk_mention m;
    memset(&m, 0, sizeof m);
    m.person = person;
    m.person_key = key;
    m.title = title;
    m.concept = concept_of(lang, title);
    m.lang = lang;
    m.line = line;
    m.pair = pair;
    return m;
}

/* Add doc, aligned as res (may be NULL), with the mentions m[0..n) given
 * by hand instead of those its text holds: the rules apart from the
 * parser. */
static int add_with(bt_check *c, const bt_doc *doc, const bt_align_result *res,
                    const chk_mention *m, size_t n)
{
    bt_annotation *a = bt_annotate(bt_lexicon_default(), doc);
    int rc = chk_add_doc(c, a, res, m, n);
    bt_annotation_free(a);
    return rc;
}

/* What fn (bt_check_write_json or _html) writes for c, as one string;
 * the caller frees it. */
static char *report(bt_check *c, int (*fn)(bt_check *, FILE *))
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    assert_int_equal(fn(c, fp), BT_OK);
    fclose(fp);
    return buf;
}

#endif
