/* test_numbers.c - quantities written the Vietnamese and the English way
 * meet; different ones do not. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "../../corpus/corpus.h"

/* The only quantity of s (fails unless there is exactly one). */
static bt_quantity one(bt_lang lang, const char *s)
{
    bt_quantity q[4];
    size_t n = bt_quantities(lang, s, strlen(s), q, 4);
    if (n != 1) fail_msg("'%s': %zu quantities, want 1", s, n);
    return q[0];
}

/* Do the Vietnamese vi and the English en state the same quantity? */
static int meet(const char *vi, const char *en)
{
    bt_quantity a = one(BT_LANG_VI, vi), b = one(BT_LANG_EN, en);
    return bt_quantity_same(&a, &b);
}

static size_t count(bt_lang lang, const char *s)
{
    bt_quantity q[8];
    return bt_quantities(lang, s, strlen(s), q, 8);
}

static void separators_by_language(void **state)
{
    (void)state;
    assert_true(meet("Có 1.500 người dự", "About 1,500 people attended"));
    assert_true(meet("tăng 62,9", "up 62.9"));
    assert_true(meet("3,5 ha", "3.5 ha"));
    assert_true(meet("1.034.000 lượt", "1,034,000 visits"));
    assert_true(meet("1.234,5 tấn", "1,234.5 tonnes"));
    assert_true(meet("12.5 km", "12.5 km")); /* not three digits: a decimal */
    /* three digits after the separator: the language decides */
    assert_true(one(BT_LANG_VI, "1.500").value == 1500);
    assert_true(one(BT_LANG_EN, "1.500").value == 1.5);
    assert_true(one(BT_LANG_VI, "1,500").value == 1.5);
    assert_false(meet("1.500 người", "15 people"));
    assert_false(meet("62,9", "629"));
    assert_int_equal(count(BT_LANG_VI, "v1.2.3"), 0);
    assert_int_equal(count(BT_LANG_EN, "H5N1 in anh_5.jpg"), 0);
}

static void scale_words_and_money(void **state)
{
    (void)state;
    assert_true(meet("2.000 tỷ đồng", "VND 2 trillion"));
    assert_true(meet("2.000 tỷ đồng", "2,000 billion VND"));
    assert_true(meet("2 nghìn tỷ đồng", "VND2 trillion"));
    assert_true(meet("1.000 tỷ", "1 trillion"));
    assert_true(meet("3 triệu người", "3 million people"));
    assert_true(meet("5 ngàn", "5 thousand"));
    assert_true(meet("2 vạn", "20,000"));
    assert_true(meet("1,2 triệu USD", "$1.2 million"));
    assert_true(meet("3 triệu đô la", "US$ 3 million"));
    assert_true(meet("3 triệu USD", "US$3m"));
    assert_true(meet("2 tỷ USD", "$2bn"));
    assert_true(meet("2 tỷ USD", "2 billion US dollars"));
    assert_true(meet("500 triệu VNĐ", "VND500 million"));
    assert_true(meet("10.000 đồng", "10,000 dong"));
    assert_int_equal(one(BT_LANG_VI, "2 tỷ đồng").kind, BT_QTY_MONEY);
    assert_int_equal(one(BT_LANG_VI, "2 tỷ đồng").currency, BT_CUR_VND);
    assert_false(meet("2 tỷ", "2 million"));
    assert_false(meet("2 tỷ đồng", "$2 billion"));  /* another currency */
    assert_false(meet("2 tỷ đồng", "2 billion"));   /* money against a count */
    assert_false(meet("5 văn bản", "50,000 documents")); /* văn is no vạn */
    /* a scale word after a hyphen, a short "B", other currencies */
    assert_true(meet("25 triệu lượt khách", "25-million arrivals"));
    assert_true(meet("31 tỷ USD", "$31B"));
    assert_true(meet("30.000 SGD", "S$30,000"));
    assert_true(meet("30.000 đô la Singapore", "S$30,000"));
    assert_false(meet("30.000 đô la Singapore", "$30,000"));
    assert_true(meet("2 triệu đô la Úc", "A$2 million"));
    assert_true(meet("5 triệu yên", "5 million yen"));
    assert_true(meet("5 triệu yên", "¥5 million"));
    assert_true(meet("2 bảng Anh", "£2"));
    assert_true(meet("300 bảng Anh", "300 pounds"));
    assert_true(meet("10 nhân dân tệ", "10 yuan"));
    assert_true(meet("1.000 won", "1,000 won"));
    assert_false(meet("5 triệu yên", "$5 million"));
    assert_false(meet("2 bảng", "£2")); /* "bảng" alone is a table */
    assert_int_equal(one(BT_LANG_VI, "3 đồng chí lãnh đạo").kind, BT_QTY_NUMBER);
    assert_int_equal(one(BT_LANG_VI, "5 triệu đồng cho mỗi hộ").kind, BT_QTY_MONEY);
    assert_int_equal(one(BT_LANG_EN, "5m long").value, 5); /* metres, not million */
}

static void percentages(void **state)
{
    (void)state;
    assert_true(meet("62,9%", "62.9%"));
    assert_true(meet("62,9 %", "62.9 percent"));
    assert_true(meet("62,9 phần trăm", "62.9 per cent"));
    assert_int_equal(one(BT_LANG_VI, "đạt 95%").kind, BT_QTY_PERCENT);
    assert_false(meet("62,9%", "62.9"));
    assert_false(meet("6,29%", "62.9%"));
}

static void dates(void **state)
{
    (void)state;
    assert_true(meet("ngày 30/4", "April 30"));
    assert_true(meet("30-4", "30 April"));
    assert_true(meet("30/4/2025", "April 30, 2025"));
    assert_true(meet("ngày 30 tháng 4 năm 2025", "30 April 2025"));
    assert_true(meet("sáng 30/4", "on April 30, 2025")); /* no year: meets */
    assert_true(meet("ngày 30 tháng 4", "Apr. 30"));
    assert_true(meet("30/4", "the 30th of April"));
    assert_true(meet("tháng 4/2025", "April 2025"));
    assert_true(meet("tháng 4 năm 2025", "in April 2025"));
    assert_true(meet("năm 2025", "in 2025"));
    assert_true(meet("tháng 4", "in April"));
    assert_true(meet("2/9/1945", "2/9/1945"));
    bt_quantity d = one(BT_LANG_VI, "Hà Nội, 2/9");
    assert_int_equal(d.day, 2);
    assert_int_equal(d.month, 9);
    /* "4/30" is no Vietnamese date */
    bt_quantity q[4];
    size_t n = bt_quantities(BT_LANG_VI, "4/30", 4, q, 4);
    for (size_t i = 0; i < n && i < 4; i++) assert_int_not_equal(q[i].kind, BT_QTY_DATE);
    assert_false(meet("30/4", "April 3"));
    /* a dash makes a date after a day word or before no lower-case word */
    assert_true(meet("dịp lễ 2-9 năm nay", "September 2"));
    assert_true(meet("Ngày 30-4 vừa qua", "April 30"));
    assert_int_equal(count(BT_LANG_VI, "5-7 ngày"), 2);
    assert_false(meet("30/4/2025", "April 30, 2024"));
    assert_false(meet("tháng 4/2025", "April 30, 2025"));
    assert_false(meet("năm 2025", "2,025"));
    assert_int_equal(count(BT_LANG_EN, "you may go"), 0);
    assert_int_equal(count(BT_LANG_EN, "24/7 service"), 2); /* numbers, no date */
}

static void times_and_ordinals(void **state)
{
    (void)state;
    assert_true(meet("lúc 10h15", "at 10:15"));
    assert_true(meet("10 giờ 15 phút", "10:15 a.m."));
    assert_true(meet("15h", "3 p.m."));
    assert_true(meet("3 giờ chiều", "3pm"));
    assert_int_equal(one(BT_LANG_VI, "10h").value, 600);
    assert_false(meet("10h15", "10:50"));
    assert_true(meet("lần thứ 3", "the 3rd time"));
    assert_true(meet("lần thứ ba", "the third time"));
    assert_true(meet("giải thứ nhất", "the 1st prize"));
    assert_int_equal(one(BT_LANG_EN, "21st").kind, BT_QTY_ORDINAL);
    /* days of the week are passed over */
    assert_int_equal(count(BT_LANG_VI, "Sáng thứ 2, Thứ Hai tuần trước"), 0);
}

static void spelled_numbers(void **state)
{
    (void)state;
    assert_true(meet("hai người", "two people"));
    assert_true(meet("hai người", "2 people"));
    assert_true(meet("ba triệu người", "three million people"));
    assert_true(meet("mười", "ten"));
    assert_true(one(BT_LANG_EN, "Two of them").spelled);
    /* capitals begin names, năm is "year" unless scaled, bà is no ba */
    assert_int_equal(count(BT_LANG_VI, "Ông Hai và bà Ba năm nay"), 0);
    assert_int_equal(count(BT_LANG_VI, "năm người"), 0);
    assert_true(meet("năm triệu", "five million"));
    assert_false(meet("hai người", "three people"));
}

static void spans_and_limits(void **state)
{
    (void)state;
    const char *s = "Ngày 30/4, 1.500 người và 2.000 tỷ đồng.";
    bt_quantity q[2];
    assert_int_equal(bt_quantities(BT_LANG_VI, s, strlen(s), q, 2), 3);
    assert_int_equal(q[0].start, strlen("Ngày "));
    assert_int_equal(q[0].end, strlen("Ngày 30/4"));
    assert_int_equal(q[1].kind, BT_QTY_NUMBER);
    assert_int_equal(bt_quantities(BT_LANG_VI, s, strlen(s), NULL, 0), 3);
    assert_int_equal(count(BT_LANG_VI, ""), 0);
    assert_int_equal(count(BT_LANG_EN, "999999999999999999999999,5.5.5"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(separators_by_language),
        cmocka_unit_test(scale_words_and_money),
        cmocka_unit_test(percentages),
        cmocka_unit_test(dates),
        cmocka_unit_test(times_and_ordinals),
        cmocka_unit_test(spelled_numbers),
        cmocka_unit_test(spans_and_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
