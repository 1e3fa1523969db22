/* test_review.c - the review module's seams: the text hash, a decision put
 * and read back through the index (applied, stale, not found, undone),
 * what each target needs, the hooks a check is given, the members a line
 * of pairs.jsonl gains, and requests refused before any work. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../review/review.h"

static char dir[64];

static bt_decisions *fresh_db(void)
{
    snprintf(dir, sizeof dir, "/tmp/bt-review-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/decisions.db", dir);
    char *err = NULL;
    bt_decisions *d = bt_decisions_open(path, 1, &err);
    assert_non_null(d);
    assert_null(err);
    return d;
}

static void drop_db(bt_decisions *d)
{
    bt_decisions_close(d);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_hash(void **state)
{
    (void)state;
    char h[17];
    bt_review_hash("", h);
    assert_string_equal(h, "cbf29ce484222325"); /* FNV-1a 64 offset basis */
    bt_review_hash(NULL, h);
    assert_string_equal(h, "cbf29ce484222325");
    bt_review_hash("a", h);
    assert_string_equal(h, "af63dc4c8601ec8c");
}

static bt_decision pair_dec(const char *action, const char *vi, const char *en,
                            char hv[17], char he[17])
{
    bt_review_hash(vi, hv);
    bt_review_hash(en, he);
    bt_decision d = { .target = "pair", .file = "a.txt", .vi_line = 3, .en_line = 4,
                      .action = action, .vi_hash = hv, .en_hash = he, .who = "t" };
    return d;
}

static void test_pair_applied_stale_undone(void **state)
{
    (void)state;
    bt_decisions *db = fresh_db();
    char hv[17], he[17];
    bt_decision d = pair_dec("reject", "Xin chào", "Hello", hv, he);
    assert_int_equal(bt_decisions_put(db, &d), 0);
    bt_decision other = d;
    other.vi_line = 30; /* a pair no run will see */
    assert_int_equal(bt_decisions_put(db, &other), 0);

    bt_review_index *x = bt_review_index_load(db);
    assert_non_null(x);
    const bt_decision *got;
    assert_int_equal(bt_review_pair(x, "a.txt", 3, 4, 0, "Xin chào", "Hello", &got),
                     BT_REVIEW_APPLY);
    assert_string_equal(got->action, "reject");
    assert_string_equal(got->who, "t");
    assert_int_equal(bt_review_pair(x, "a.txt", 3, 4, 0, "Xin chào", "Hello!", &got),
                     BT_REVIEW_STALE);
    assert_int_equal(bt_review_pair(x, "a.txt", 3, 4, 1, "Xin chào", "Hello", &got),
                     BT_REVIEW_NONE);
    assert_int_equal(bt_review_pair(x, "b.txt", 3, 4, 0, "Xin chào", "Hello", &got),
                     BT_REVIEW_NONE);
    assert_int_equal(bt_review_unused(x), 1);

    bt_buf b;
    bt_buf_init(&b);
    bt_review_jsonl_fields(&b, BT_REVIEW_STALE, got ? got : &d);
    assert_string_equal(b.ptr, ",\"review\":\"stale\"");
    bt_buf_reset(&b);
    bt_decision e = pair_dec("edit", "Xin chào", "Hello", hv, he);
    e.vi = "Chào \"bạn\"";
    e.en = "Hi";
    bt_review_jsonl_fields(&b, BT_REVIEW_APPLY, &e);
    assert_string_equal(b.ptr, ",\"review\":\"edit\",\"review_vi\":\"Chào \\\"bạn\\\"\","
                               "\"review_en\":\"Hi\"");
    bt_buf_free(&b);
    bt_review_index_free(x);

    /* the latest decision on a key wins; undo takes it back */
    d.action = "accept";
    assert_int_equal(bt_decisions_put(db, &d), 0);
    x = bt_review_index_load(db);
    assert_int_equal(bt_review_pair(x, "a.txt", 3, 4, 0, "Xin chào", "Hello", &got),
                     BT_REVIEW_APPLY);
    assert_string_equal(got->action, "accept");
    bt_review_index_free(x);
    d.action = "undo";
    assert_int_equal(bt_decisions_put(db, &d), 0);
    x = bt_review_index_load(db);
    assert_int_equal(bt_review_pair(x, "a.txt", 3, 4, 0, "Xin chào", "Hello", &got),
                     BT_REVIEW_NONE);
    bt_review_index_free(x);
    drop_db(db);
}

static void test_what_each_target_needs(void **state)
{
    (void)state;
    bt_decisions *db = fresh_db();
    char hv[17], he[17];
    bt_decision d = pair_dec("fix", "a", "b", hv, he); /* fix without texts */
    assert_int_equal(bt_decisions_put(db, &d), -1);
    assert_non_null(strstr(bt_decisions_error(db), "both texts"));
    d.action = "frobnicate";
    assert_int_equal(bt_decisions_put(db, &d), -1);
    bt_decision v = { .target = "variant", .subject = "S", .action = "accept", .who = "t" };
    assert_int_equal(bt_decisions_put(db, &v), -1); /* no variant named */
    bt_decision t = { .target = "nonsense", .action = "accept", .who = "t" };
    assert_int_equal(bt_decisions_put(db, &t), -1);
    bt_review_index *x = bt_review_index_load(db);
    assert_int_equal(bt_review_unused(x), 0); /* nothing was written */
    bt_review_index_free(x);
    drop_db(db);
}

static void test_check_hooks(void **state)
{
    (void)state;
    bt_decisions *db = fresh_db();
    bt_decision v = { .target = "variant", .subject = "Ban Dân vận Tỉnh ủy",
                      .variant = "Mass Mobilization Committee", .action = "accept", .who = "e" };
    bt_decision h = { .target = "house", .subject = "Ban Dân vận Tỉnh ủy",
                      .en = "Mass Mobilization Commission", .action = "set", .who = "e" };
    char hv[17], he[17];
    bt_review_hash("Chủ tịch", hv);
    bt_review_hash("Vice Chairman", he);
    bt_decision f = { .target = "finding", .kind = "caption-title-mismatch", .subject = "Lê Vinh",
                      .file = "a.txt", .vi_line = 7, .vi_hash = hv, .en_hash = he,
                      .action = "fixed", .who = "e" };
    assert_int_equal(bt_decisions_put(db, &v), 0);
    assert_int_equal(bt_decisions_put(db, &h), 0);
    assert_int_equal(bt_decisions_put(db, &f), 0);
    bt_review_index *x = bt_review_index_load(db);
    bt_check_hooks k;
    bt_review_check_hooks(x, &k);
    /* renderings compared without regard to case */
    assert_true(k.accepted(k.ud, "Ban Dân vận Tỉnh ủy", "mass mobilization committee"));
    assert_false(k.accepted(k.ud, "Ban Dân vận Tỉnh ủy", "Mass Mobilization Commission"));
    assert_string_equal(k.house(k.ud, "Ban Dân vận Tỉnh ủy"), "Mass Mobilization Commission");
    assert_null(k.house(k.ud, "Ban Dân vận Trung ương"));
    bt_check_item it = { "Chủ tịch", "Vice Chairman", "a.txt", 7, 1 };
    bt_check_finding fd = { .kind = BT_CHECK_CAPTION_MISMATCH, .subject = "Lê Vinh",
                            .items = &it, .nitems = 1 };
    assert_true(k.fixed(k.ud, &fd));
    it.en = "Chairman"; /* the text changed: shown again, counted */
    assert_false(k.fixed(k.ud, &fd));
    assert_int_equal(bt_review_stale_findings(x), 1);
    it.line = 8;
    it.en = "Vice Chairman";
    assert_false(k.fixed(k.ud, &fd));
    bt_review_index_free(x);
    drop_db(db);
}

static void test_requests_refused(void **state)
{
    (void)state;
    bt_decisions *db = fresh_db();
    bt_review *rv = bt_review_new(db);
    static const char *const hosts[] = { "127.0.0.1:9" };
    bt_review_allow(rv, hosts, 1, NULL);
    bt_review_request req = { .method = "GET", .path = "/api/pairs", .host = "127.0.0.1:9",
                              .origin = "http://evil.example" };
    bt_review_response resp;
    bt_review_handle(rv, &req, &resp);
    assert_int_equal(resp.status, 403);
    assert_non_null(strstr(resp.body, "other origins"));
    free(resp.body);
    req.origin = "http://127.0.0.1:9";
    req.host = "attacker.example:9";
    bt_review_handle(rv, &req, &resp);
    assert_int_equal(resp.status, 403);
    free(resp.body);
    req.host = "127.0.0.1:9";
    bt_review_handle(rv, &req, &resp);
    assert_int_equal(resp.status, 200);
    assert_string_equal(resp.body, "{\"total\":0,\"pairs\":[],\"files\":[]}");
    free(resp.body);
    req.method = "POST";
    req.path = "/api/decide";
    req.content_type = "application/json";
    req.body = "{\"pair\":0,\"action\":\"reject\"}";
    req.body_len = strlen(req.body);
    bt_review_handle(rv, &req, &resp);
    assert_int_equal(resp.status, 400);
    assert_non_null(strstr(resp.body, "no such pair"));
    free(resp.body);
    bt_review_free(rv);
    drop_db(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_pair_applied_stale_undone),
        cmocka_unit_test(test_what_each_target_needs),
        cmocka_unit_test(test_check_hooks),
        cmocka_unit_test(test_requests_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
