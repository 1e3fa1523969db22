/* index.c - decisions read into memory for runs that consult them often:
 * align asks once per pair, check once per finding. See review.h. */
#include "review_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct bt_review_index {
    bt_decision *v;          /* strings in the arena */
    unsigned char *used;
    size_t n, cap;
    bt_arena strings;
    bt_map keys;             /* key of v[i] -> i */
    bt_buf key;              /* scratch */
    size_t stale_findings;
};

static const char *dup(bt_review_index *x, const char *s)
{
    s = s ? s : "";
    size_t n = strlen(s) + 1;
    char *p = bt_arena_alloc(&x->strings, n, 1);
    memcpy(p, s, n);
    return p;
}

/* Keys: the target's letter, then its key fields, split by 0x1f. */
static void key_pair(bt_buf *b, const char *file, unsigned long vi, unsigned long en,
                     unsigned nth)
{
    bt_buf_reset(b);
    bt_buf_printf(b, "p\x1f%s\x1f%lu\x1f%lu\x1f%u", file, vi, en, nth);
}

static void key_finding(bt_buf *b, const char *kind, const char *subject, const char *file,
                        unsigned long line)
{
    bt_buf_reset(b);
    bt_buf_printf(b, "f\x1f%s\x1f%s\x1f%s\x1f%lu", kind, subject, file, line);
}

static void key_subject(bt_buf *b, char t, const char *subject, const char *en)
{
    bt_buf_reset(b);
    bt_buf_printf(b, "%c\x1f%s\x1f", t, subject);
    /* renderings compared without regard to case, as editors read them */
    for (const char *p = en ? en : ""; *p; p++)
        bt_buf_addc(b, (*p >= 'A' && *p <= 'Z') ? (char)(*p + 32) : *p);
}

static void key_of(bt_buf *b, const bt_decision *d)
{
    const char *t = d->target;
    if (!strcmp(t, "pair")) key_pair(b, d->file, d->vi_line, d->en_line, d->nth);
    else if (!strcmp(t, "finding")) key_finding(b, d->kind, d->subject, d->file, d->vi_line);
    else if (!strcmp(t, "variant")) key_subject(b, 'v', d->subject, d->variant);
    else key_subject(b, 'h', d->subject, "");
}

static void add_one(void *ud, const bt_decision *d)
{
    bt_review_index *x = ud;
    BT_GROW(x->v, x->cap, x->n + 1);
    bt_decision *c = &x->v[x->n];
    *c = *d;
    c->target = dup(x, d->target);
    c->kind = dup(x, d->kind);
    c->subject = dup(x, d->subject);
    c->variant = dup(x, d->variant);
    c->file = dup(x, d->file);
    c->action = dup(x, d->action);
    c->vi_hash = dup(x, d->vi_hash);
    c->en_hash = dup(x, d->en_hash);
    c->vi = dup(x, d->vi);
    c->en = dup(x, d->en);
    c->who = dup(x, d->who);
    c->at = dup(x, d->at);
    key_of(&x->key, c);
    int fresh;
    size_t i = bt_map_add(&x->keys, x->key.ptr, x->key.len, &fresh);
    /* keys differing only in case (variants) keep the first */
    if (fresh && i == x->n) x->n++;
}

bt_review_index *bt_review_index_load(bt_decisions *d)
{
    bt_review_index *x = bt_xcalloc(1, sizeof *x);
    bt_arena_init(&x->strings, 0);
    bt_map_init(&x->keys);
    bt_buf_init(&x->key);
    if (bt_decisions_each(d, add_one, x) != 0) {
        bt_review_index_free(x);
        return NULL;
    }
    x->used = bt_xcalloc(x->n + 1, 1);
    return x;
}

void bt_review_index_free(bt_review_index *x)
{
    if (!x) return;
    free(x->v);
    free(x->used);
    bt_arena_free(&x->strings);
    bt_map_free(&x->keys);
    bt_buf_free(&x->key);
    free(x);
}

static size_t find(const bt_review_index *x, const bt_buf *key)
{
    return bt_map_find(&x->keys, key->ptr, key->len);
}

const bt_decision *rv_index_pair(const bt_review_index *x, const char *file,
                                 unsigned long vi_line, unsigned long en_line, unsigned nth)
{
    bt_buf k;
    bt_buf_init(&k);
    key_pair(&k, file, vi_line, en_line, nth);
    size_t i = find(x, &k);
    bt_buf_free(&k);
    return i == BT_MAP_NONE ? NULL : &x->v[i];
}

int bt_review_pair(bt_review_index *x, const char *file, unsigned long vi_line,
                   unsigned long en_line, unsigned nth, const char *vi, const char *en,
                   const bt_decision **dec)
{
    *dec = NULL;
    if (!x) return BT_REVIEW_NONE;
    const bt_decision *d = rv_index_pair(x, file, vi_line, en_line, nth);
    if (!d) return BT_REVIEW_NONE;
    x->used[d - x->v] = 1;
    *dec = d;
    char hv[17], he[17];
    bt_review_hash(vi, hv);
    bt_review_hash(en, he);
    return strcmp(hv, d->vi_hash) || strcmp(he, d->en_hash) ? BT_REVIEW_STALE
                                                            : BT_REVIEW_APPLY;
}

static void add_json_string(bt_buf *out, const char *s)
{
    json_t *j = json_string(s ? s : "");
    char *t = j ? json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
    bt_buf_adds(out, t ? t : "\"\"");
    free(t);
    json_decref(j);
}

void bt_review_jsonl_fields(bt_buf *out, int st, const bt_decision *d)
{
    if (st == BT_REVIEW_NONE || !d) return;
    bt_buf_adds(out, ",\"review\":");
    add_json_string(out, st == BT_REVIEW_STALE ? "stale" : d->action);
    if (st == BT_REVIEW_APPLY && (!strcmp(d->action, "fix") || !strcmp(d->action, "edit") ||
                                  !strcmp(d->action, "split"))) {
        bt_buf_adds(out, ",\"review_vi\":");
        add_json_string(out, d->vi);
        bt_buf_adds(out, ",\"review_en\":");
        add_json_string(out, d->en);
    }
}

size_t bt_review_unused(const bt_review_index *x)
{
    size_t n = 0;
    for (size_t i = 0; x && i < x->n; i++)
        if (!x->used[i] && !strcmp(x->v[i].target, "pair")) n++;
    return n;
}

const bt_decision *rv_index_house(const bt_review_index *x, const char *subject)
{
    bt_buf k;
    bt_buf_init(&k);
    key_subject(&k, 'h', subject ? subject : "", "");
    size_t i = find(x, &k);
    bt_buf_free(&k);
    return i == BT_MAP_NONE ? NULL : &x->v[i];
}

const char *bt_review_house(const bt_review_index *x, const char *subject)
{
    const bt_decision *d = x ? rv_index_house(x, subject) : NULL;
    return d ? d->en : NULL;
}

int rv_index_variant(const bt_review_index *x, const char *subject, const char *en,
                     const bt_decision **dec)
{
    bt_buf k;
    bt_buf_init(&k);
    key_subject(&k, 'v', subject ? subject : "", en);
    size_t i = find(x, &k);
    bt_buf_free(&k);
    if (dec) *dec = i == BT_MAP_NONE ? NULL : &x->v[i];
    return i != BT_MAP_NONE;
}

const bt_decision *rv_index_finding(const bt_review_index *x, const char *kind,
                                    const char *subject, const char *file,
                                    unsigned long line)
{
    bt_buf k;
    bt_buf_init(&k);
    key_finding(&k, kind, subject ? subject : "", file ? file : "", line);
    size_t i = find(x, &k);
    bt_buf_free(&k);
    return i == BT_MAP_NONE ? NULL : &x->v[i];
}

void rv_finding_key(const bt_check_finding *f, const char **file, unsigned long *line)
{
    *file = "";
    *line = 0;
    if (rv_finding_per_article(f->kind) && f->nitems) {
        *file = f->items[0].file ? f->items[0].file : "";
        *line = f->items[0].line;
    }
}

/* ---- hooks for the check ---------------------------------------------- */

static int hook_fixed(void *ud, const bt_check_finding *f)
{
    bt_review_index *x = ud;
    const char *file;
    unsigned long line;
    rv_finding_key(f, &file, &line);
    const bt_decision *d = rv_index_finding(x, bt_check_kind_name(f->kind), f->subject,
                                            file, line);
    if (!d) return 0;
    if (rv_finding_per_article(f->kind) && f->nitems) {
        char hv[17], he[17];
        bt_review_hash(f->items[0].vi, hv);
        bt_review_hash(f->items[0].en, he);
        if (strcmp(hv, d->vi_hash) || strcmp(he, d->en_hash)) {
            x->stale_findings++; /* the text changed: shown again */
            return 0;
        }
    }
    return 1;
}

static int hook_accepted(void *ud, const char *subject, const char *en)
{
    return rv_index_variant(ud, subject, en, NULL);
}

static const char *hook_house(void *ud, const char *subject)
{
    return bt_review_house(ud, subject);
}

void bt_review_check_hooks(bt_review_index *x, bt_check_hooks *h)
{
    memset(h, 0, sizeof *h);
    h->fixed = hook_fixed;
    h->accepted = hook_accepted;
    h->house = hook_house;
    h->ud = x;
}

size_t bt_review_stale_findings(const bt_review_index *x)
{
    return x ? x->stale_findings : 0;
}
