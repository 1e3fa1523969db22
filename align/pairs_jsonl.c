/* pairs_jsonl.c - a result's pairs as lines of pairs.jsonl.
 *
 * The bytes jansson wrote (json_dumps, JSON_COMPACT | JSON_PRESERVE_ORDER |
 * JSON_REAL_PRECISION(4)), made in one piece per line with base/json_out.h:
 * a json_t per line cost 16 % of an align run. */
#include "align.h"

#include "../base/json_out.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Start a member of the object being written at o; key is a literal that
 * starts with its comma, dropped for the first member. */
#define JSON_KEY(o, key) json_key((o), (key), sizeof(key) - 1)
static char *json_key(char *o, const char *key, size_t n)
{
    if (o[-1] == '{') key++, n--;
    memcpy(o, key, n);
    return o + n;
}

/* A member with a string value (null for NULL); left out, as jansson's
 * json_object_set_new(o, k, json_string(s)) did, when s is not UTF-8. */
static char *json_str_member(char *o, const char *key, size_t n, const char *s, size_t len)
{
    char *v = json_key(o, key, n);
    if (!s) {
        memcpy(v, "null", 4);
        return v + 4;
    }
    char *e = bt_json_str_put(v, s, len);
    return e ? e : o;
}
#define JSON_STR(o, key, s, len) json_str_member((o), (key), sizeof(key) - 1, (s), (len))

static char *json_line_value(char *o, unsigned long line)
{
    if (line) return bt_json_int_put(o, (long long)line);
    memcpy(o, "null", 4);
    return o + 4;
}

/* What every line of a file's pairs starts with, made once per file:
 * {"file":"PATH" (or { alone when PATH is not UTF-8). */
static void pairs_start(bt_buf *start, const char *file)
{
    size_t len = strlen(file);
    char *tmp = bt_xmalloc(BT_JSON_STR_MAX(len) + 16);
    tmp[0] = '{';
    char *e = JSON_STR(tmp + 1, ",\"file\":", file, len);
    bt_buf_add(start, tmp, (size_t)(e - tmp));
    free(tmp);
}

/* One line for p, appended to out after the file's start. */
static void pair_line(bt_buf *out, const bt_buf *start, const bt_pair *p)
{
    const char *status = bt_pair_status_name(p->status);
    size_t lvi = p->vi ? strlen(p->vi) : 0, len = p->en ? strlen(p->en) : 0;
    size_t ls = strlen(status);
    size_t max = start->len + BT_JSON_STR_MAX(lvi) + BT_JSON_STR_MAX(len) +
                 BT_JSON_STR_MAX(ls) + 2 * BT_JSON_INT_MAX + BT_JSON_REAL_MAX + 128;
    char stack[2048];
    char *line = max <= sizeof stack ? stack : bt_xmalloc(max);
    char *o = line;
    memcpy(o, start->ptr, start->len);
    o += start->len;
    o = json_line_value(JSON_KEY(o, ",\"vi_line\":"), p->vi_line);
    o = json_line_value(JSON_KEY(o, ",\"en_line\":"), p->en_line);
    o = JSON_STR(o, ",\"vi\":", p->vi, lvi);
    o = JSON_STR(o, ",\"en\":", p->en, len);
    char *v = bt_json_real4_put(JSON_KEY(o, ",\"score\":"), round(p->score * 1000) / 1000);
    if (v) o = v;
    o = JSON_STR(o, ",\"status\":", status, ls);
    if (p->is_credit) o = JSON_KEY(o, ",\"credit\":true");
    memcpy(o, "}\n", 2);
    o += 2;
    bt_buf_add(out, line, (size_t)(o - line));
    if (line != stack) free(line);
}

void bt_align_pairs_jsonl(bt_buf *out, const char *file, const bt_align_result *res)
{
    bt_buf start;
    bt_buf_init(&start);
    pairs_start(&start, file);
    /* grown once rather than doubled (and copied) line by line */
    size_t need = 0;
    for (size_t i = 0; i < res->npairs; i++) {
        const bt_pair *p = &res->pairs[i];
        need += start.len + 120 + (p->vi ? strlen(p->vi) : 0) + (p->en ? strlen(p->en) : 0);
    }
    bt_buf_reserve(out, need);
    for (size_t i = 0; i < res->npairs; i++) pair_line(out, &start, &res->pairs[i]);
    bt_buf_free(&start);
}
