/* fuzz_review.c - what a browser, or anything else, may send the review
 * server: bt_review_handle over requests made of the input, against an
 * application with a few pairs and a finding, its decisions in a scratch
 * database.
 *
 * Byte 0 chooses: bit 0 POST (else GET), bit 1 the application that wants
 * a token (the input may carry it as ?token=), bit 2 an Origin of another
 * site, bit 3 Content-Type application/json, bit 4 no Host. The rest is
 * "PATH[?QUERY]\nBODY".
 *
 * Whatever comes, the answer has a status from 200 to 599 and a body; a
 * refusal (4xx, 5xx) is a JSON object with an "error" message; an answer
 * of the API is JSON; another site's Origin is refused. */
#include "fuzz.h"
#include "../../review/review.h"

#include <jansson.h>

static bt_decisions *db;
static bt_review *open_rv, *token_rv;

static void fill(bt_review *rv)
{
    static const char *const lines[] = {
        "Đồng chí Nguyễn Xuân Sơn - Phó Bí thư Thường trực Tỉnh ủy. Ảnh: Mai Hoa",
        "Comrade Nguyen Xuan Son - Standing Deputy Secretary. Photo: Mai Hoa",
        "",
        "Hội nghị tại điểm cầu Nghệ An.",
        "Conference at Nghe An bridge.",
    };
    for (unsigned long i = 0; i < 5; i++) bt_review_add_line(rv, "a.txt", i + 1, lines[i]);
    bt_review_add_pair(rv, "a.txt", 1, 2, "Đồng chí Nguyễn Xuân Sơn - Phó Bí thư Thường trực Tỉnh ủy.",
                       "Comrade Nguyen Xuan Son - Standing Deputy Secretary.", 0.4, "partial", 0);
    bt_review_add_pair(rv, "a.txt", 1, 2, "Ảnh: Mai Hoa", "Photo: Mai Hoa", 1, "accepted", 1);
    bt_review_add_pair(rv, "a.txt", 4, 5, "Hội nghị tại điểm cầu Nghệ An.",
                       "Conference at Nghe An bridge.", 0.99, "accepted", 0);
    bt_review_add_pair(rv, "a.txt", 0, 5, NULL, "Conference at Nghe An bridge.", 0, "unpaired", 0);
    /* a caption whose credits a reviewer may split off (pair 4) */
    bt_review_add_pair(rv, "a.txt", 4, 5, "Quang cảnh hội nghị (Ảnh: Ngọc Thành)",
                       "Overview of the conference (Photo: Ngoc Thanh)", 0.9, "accepted", 0);
    bt_check_variant vars[2] = {
        { .en = "Provincial Party Committee's Mass Mobilization Commission", .count = 4, .files = 2,
          .is_official = 1 },
        { .en = "Provincial Party Committee's Mass Mobilization Committee", .count = 2, .files = 2 }
    };
    bt_check_item items[1] = { { "Ban Dân vận Tỉnh ủy", vars[1].en, "a.txt", 2, 1 } };
    bt_check_finding f = { .kind = BT_CHECK_TITLE_VARIANT, .subject = "Ban Dân vận Tỉnh ủy",
                           .vi = "Ban Dân vận Tỉnh ủy", .usual = vars[0].en,
                           .official = vars[0].en, .variants = vars, .nvariants = 2,
                           .items = items, .nitems = 1 };
    bt_review_add_finding(rv, &f);
    f.kind = BT_CHECK_CAPTION_MISMATCH;
    f.subject = "Nguyễn Xuân Sơn";
    f.variants = NULL;
    f.nvariants = 0;
    bt_review_add_finding(rv, &f);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char path[300];
    fuzz_path("decisions.db", path, sizeof path);
    char *err = NULL;
    db = bt_decisions_open(path, 1, &err);
    FUZZ_CHECK(db != NULL, "database not opened");
    static const char *const hosts[] = { "h:1" };
    open_rv = bt_review_new(db);
    fill(open_rv);
    bt_review_allow(open_rv, hosts, 1, NULL);
    token_rv = bt_review_new(db);
    fill(token_rv);
    bt_review_allow(token_rv, NULL, 0, "0123456789abcdef");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    unsigned mode = data[0];
    const char *rest = (const char *)data + 1;
    size_t n = size - 1;
    const char *nl = memchr(rest, '\n', n);
    size_t plen = nl ? (size_t)(nl - rest) : n;
    char *target = bt_xstrndup(rest, plen); /* stops at a NUL, as a server's would */
    char *q = strchr(target, '?');
    if (q) *q++ = 0;
    bt_review_request req = {
        .method = (mode & 1) ? "POST" : "GET",
        .path = target,
        .query = q,
        .origin = (mode & 4) ? "http://evil.example" : "http://h:1",
        .host = (mode & 16) ? NULL : "h:1",
        .content_type = (mode & 8) ? "application/json" : "text/plain",
        .body = nl ? nl + 1 : "",
        .body_len = nl ? n - plen - 1 : 0,
    };
    bt_review_response resp;
    bt_review_handle((mode & 2) ? token_rv : open_rv, &req, &resp);
    FUZZ_CHECK(resp.status >= 200 && resp.status < 600, "status out of range");
    FUZZ_CHECK(resp.body && resp.content_type, "no body");
    FUZZ_CHECK(strlen(resp.body) == resp.body_len, "body length");
    if ((mode & 4) || (mode & 16)) FUZZ_CHECK(resp.status >= 400, "a foreign request answered");
    if (resp.status >= 400 || strstr(resp.content_type, "json")) {
        json_error_t e;
        json_t *j = json_loadb(resp.body, resp.body_len, 0, &e);
        FUZZ_CHECK(j && json_is_object(j), "an answer that is not a JSON object");
        if (resp.status >= 400)
            FUZZ_CHECK(json_is_string(json_object_get(j, "error")), "a refusal without a message");
        json_decref(j);
    }
    free(resp.body);
    free(target);
    return 0;
}
