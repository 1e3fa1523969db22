/* check_json.c - consistency.json through jansson. */
#include "check_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* A JSON string, or null when s is NULL (or, defensively, not UTF-8). */
static json_t *str_or_null(const char *s)
{
    if (!s) return json_null();
    json_t *j = json_string(s);
    return j ? j : json_null();
}

/* a[0..alen) and b[0..blen) equal, ASCII case and runs of spaces aside */
static int same_words(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t i = 0, j = 0;
    for (;;) {
        while (i < alen && a[i] == ' ' && (i + 1 == alen || a[i + 1] == ' ')) i++;
        while (j < blen && b[j] == ' ' && (j + 1 == blen || b[j + 1] == ' ')) j++;
        if (i == alen || j == blen) return i == alen && j == blen;
        char x = a[i], y = b[j];
        if (x >= 'A' && x <= 'Z') x = (char)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (char)(y + 32);
        if (x != y) return 0;
        i++;
        j++;
    }
}

int chk_variant_official(const bt_check_finding *f, const bt_check_variant *v)
{
    /* is_official compares a composed title's body on its own: the words
     * of the post may agree while the whole is another form */
    if (!v->is_official || !f->official || !v->en) return 0;
    const char *s = f->official;
    size_t len = strlen(v->en);
    while (*s) {
        const char *slash = strstr(s, " / ");
        size_t n = slash ? (size_t)(slash - s) : strlen(s);
        if (same_words(s, n, v->en, len)) return 1;
        s = slash ? slash + 3 : s + n;
    }
    return 0;
}

static json_t *finding_json(const bt_check_finding *f)
{
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(bt_check_kind_name(f->kind)));
    json_object_set_new(o, "subject", str_or_null(f->subject));
    if (f->vi) json_object_set_new(o, "vi", str_or_null(f->vi));
    if (f->kind == BT_CHECK_TITLE_VARIANT ||
        f->kind == BT_CHECK_ENGLISH_VARIANT) {
        json_object_set_new(o, "usual", str_or_null(f->usual));
        json_object_set_new(o, "official", str_or_null(f->official));
        if (f->source)
            json_object_set_new(o, "official_source", str_or_null(f->source));
        json_t *vars = json_array();
        for (size_t i = 0; i < f->nvariants; i++) {
            const bt_check_variant *v = &f->variants[i];
            json_t *jv = json_object();
            json_object_set_new(jv, "en", str_or_null(v->en));
            json_object_set_new(jv, "count", json_integer(v->count));
            json_object_set_new(jv, "files", json_integer(v->files));
            json_object_set_new(jv, "official", json_boolean(chk_variant_official(f, v)));
            json_array_append_new(vars, jv);
        }
        json_object_set_new(o, "variants", vars);
    }
    if (f->note) json_object_set_new(o, "note", str_or_null(f->note));
    json_t *items = json_array();
    for (size_t i = 0; i < f->nitems; i++) {
        const bt_check_item *it = &f->items[i];
        json_t *ji = json_object();
        json_object_set_new(ji, "vi", str_or_null(it->vi));
        json_object_set_new(ji, "en", str_or_null(it->en));
        json_object_set_new(ji, "file", str_or_null(it->file));
        json_object_set_new(ji, "line", json_integer((json_int_t)it->line));
        json_object_set_new(ji, "count", json_integer(it->count));
        json_array_append_new(items, ji);
    }
    json_object_set_new(o, "items", items);
    if (f->omitted)
        json_object_set_new(o, "omitted", json_integer((json_int_t)f->omitted));
    return o;
}

/* Write one finding, dumped alone, indented to sit inside "findings": the
 * page is streamed finding by finding, so that a report of a million
 * findings never holds them all as JSON. JSON strings hold no raw newline,
 * so every newline of the dump starts a line to indent. */
static int write_finding(FILE *fp, const bt_check_finding *f, int last)
{
    json_t *o = finding_json(f);
    char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!s) return BT_ERR_IO;
    fputs("    ", fp);
    for (const char *p = s, *nl; *p; p = nl + 1) {
        nl = strchr(p, '\n');
        if (!nl) {
            fputs(p, fp);
            break;
        }
        fwrite(p, 1, (size_t)(nl - p), fp);
        fputs("\n    ", fp);
    }
    free(s);
    fputs(last ? "\n" : ",\n", fp);
    return BT_OK;
}

int bt_check_write_json(bt_check *c, FILE *fp)
{
    size_t n = bt_check_findings(c, NULL);
    /* the summary, as jansson would indent it */
    fprintf(fp, "{\n  \"summary\": {\n    \"files\": %zu,\n"
                "    \"findings\": %zu,\n    \"by_kind\": {\n",
            c->files, n);
    for (int k = 0; k < BT_CHECK_NKINDS; k++)
        fprintf(fp, "      \"%s\": %zu%s\n",
                bt_check_kind_name((bt_check_kind)k), c->count_by_kind[k],
                k + 1 < BT_CHECK_NKINDS ? "," : "");
    fputs("    }\n  },\n", fp);
    if (!n) {
        fputs("  \"findings\": []\n}\n", fp);
    } else {
        fputs("  \"findings\": [\n", fp);
        bt_check_walk *w = bt_check_walk_new(c);
        const bt_check_finding *f;
        size_t i = 0;
        int r;
        while ((r = bt_check_walk_next(w, &f)) == 1)
            if (write_finding(fp, f, ++i == n) != BT_OK) {
                r = BT_ERR_IO;
                break;
            }
        bt_check_walk_free(w);
        if (r != 0) return BT_ERR_IO;
        fputs("  ]\n}\n", fp);
    }
    return ferror(fp) ? BT_ERR_IO : BT_OK;
}
