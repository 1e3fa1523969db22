/* check_report.h - the check tests' one helper for reports: a report
 * written into memory. Include after <cmocka.h> and check.h. */
#ifndef BT_TEST_CHECK_REPORT_H
#define BT_TEST_CHECK_REPORT_H

#include <stdio.h>

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
