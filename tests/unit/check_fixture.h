/* check_fixture.h - what the check tests share: mentions made by hand,
 * with the lexicon's concept of their title, and reports written into
 * memory. Include after <cmocka.h> and check.h. */
#ifndef BT_TEST_CHECK_FIXTURE_H
#define BT_TEST_CHECK_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The concept of a title the lexicon knows as one match. */
static int concept_of(bt_lang lang, const char *title)
{
    bt_title_match m[4];
    size_t n = bt_lexicon_find(bt_lexicon_default(), lang, title,
                               strlen(title), m, 4);
    assert_int_equal(n, 1);
    return m[0].concept;
}

/* A mention as the aligner makes one; the strings are borrowed. */
static bt_mention mention(const char *person, const char *key,
                          const char *title, bt_lang lang, unsigned long line,
                          long pair)
{
    bt_mention m;
    memset(&m, 0, sizeof m);
    m.person = (char *)(uintptr_t)person;
    m.person_key = (char *)(uintptr_t)key;
    m.title = (char *)(uintptr_t)title;
    m.concept = concept_of(lang, title);
    m.lang = lang;
    m.line = line;
    m.pair = pair;
    return m;
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
