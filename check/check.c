/* check.c - the bt_check accumulator at the top of the module: runs each
 * article through the per-concept scans (check_variants.c) and the people
 * checks (check_people.c), and gives the findings in order (check_spill.c
 * holds the per-article ones). See check.h. */
#include "check_int.h"

#include <stdlib.h>
#include <string.h>

const char *bt_check_kind_name(bt_check_kind k)
{
    switch (k) {
    case BT_CHECK_TITLE_VARIANT: return "title-variant";
    case BT_CHECK_ENGLISH_VARIANT: return "english-variant";
    case BT_CHECK_CAPTION_MISMATCH: return "caption-title-mismatch";
    case BT_CHECK_PERSON_CONFLICT: return "person-title-conflict";
    default: return "unknown";
    }
}

/* ---- the accumulator ------------------------------------------------- */

/* Records of per-article findings held in memory before a run is written:
 * a few megabytes make runs long enough that a walk merges a handful. */
#define SPILL_BUDGET ((size_t)4 << 20)

bt_check *bt_check_new(const bt_lexicon *lex, const bt_check_opts *opts)
{
    bt_check *c = bt_xcalloc(1, sizeof *c);
    c->lex = lex;
    if (opts && opts->hooks) c->hooks = *opts->hooks;
    c->max_places = opts && opts->max_places ? opts->max_places : 1000;
    chk_pool_init(&c->pool);
    chk_memo_init(&c->inner);
    chk_memo_init(&c->form);
    bt_buf_init(&c->form_text);
    chk_spill_init(&c->spill, opts && opts->spill_budget ? opts->spill_budget
                                                         : SPILL_BUDGET);
    return c;
}

void bt_check_free(bt_check *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->nconcepts; i++) {
        chk_concept *k = &c->concepts[i];
        for (size_t j = 0; j < k->n; j++) free(k->v[j].places);
        free(k->v);
    }
    free(c->concepts);
    for (size_t i = 0; i < c->nf; i++) {
        free(c->f_items[i]);
        free(c->f_vars[i]);
    }
    free(c->f);
    free(c->f_items);
    free(c->f_vars);
    for (size_t i = 0; i < c->nblocks; i++) free(c->all_blocks[i]);
    free(c->all_blocks);
    free(c->all);
    chk_spill_free(&c->spill);
    chk_pool_free(&c->pool);
    chk_memo_free(&c->inner);
    chk_memo_free(&c->form);
    free(c->inner_v);
    free(c->form_v);
    bt_buf_free(&c->form_text);
    free(c);
}

bt_status bt_check_add(bt_check *c, bt_annotation *ann, const bt_align_result *res)
{
    if (!c || !ann || c->done) return BT_ERR_USAGE;
    static const bt_align_result none;
    if (!res) res = &none;
    chk_mentions m = { 0 };
    chk_mentions_of(ann, res, &m);
    bt_status rc = chk_add_doc(c, ann, res, m.v, m.n);
    chk_mentions_free(&m);
    return rc;
}

void bt_check_prepare(bt_annotation *ann, const bt_align_result *res)
{
    chk_mentions m = { 0 };
    chk_mentions_of(ann, res, &m);
    chk_mentions_free(&m);
    chk_scan_prepare(ann, res);
    bt_annotation_forget_words(ann);
}

bt_status chk_add_doc(bt_check *c, bt_annotation *ann, const bt_align_result *res,
                const chk_mention *m, size_t nm)
{
    if (!c || !ann || c->done) return BT_ERR_USAGE;
    static const bt_align_result none;
    if (!res) res = &none;
    const bt_doc *doc = bt_annotation_doc(ann);
    const char *path = doc->path ? doc->path : "-";
    c->files++;
    chk_scan_doc(c, ann, res, path);
    chk_people_doc(c, doc, res, m, nm, path);
    return BT_OK;
}

size_t bt_check_files(const bt_check *c) { return c ? c->files : 0; }

/* A finding with the arrays it owns, so that sorting keeps them together;
 * seq, its place among the findings made, breaks ties. */
typedef struct owned_finding {
    bt_check_finding f;
    bt_check_item *items;
    bt_check_variant *vars;
    size_t seq;
} owned_finding;

/* Order: kind, then subject, then first place, then the order made in (as
 * glibc's qsort, a stable merge sort, used to leave ties; the per-article
 * findings in check_spill.c are ordered alike). */
static int cmp_finding(const void *pa, const void *pb)
{
    const owned_finding *oa = pa, *ob = pb;
    const bt_check_finding *a = &oa->f, *b = &ob->f;
    if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
    int r = chk_cmp_str(a->subject, b->subject);
    if (r) return r;
    if (a->nitems && b->nitems) {
        r = chk_cmp_str(a->items[0].file, b->items[0].file);
        if (r) return r;
        if (a->items[0].line != b->items[0].line)
            return a->items[0].line < b->items[0].line ? -1 : 1;
    }
    return oa->seq < ob->seq ? -1 : oa->seq > ob->seq;
}

static void finish(bt_check *c)
{
    if (c->done) return;
    c->done = 1;
    chk_variant_findings(c);
    size_t n = c->nf;
    if (n > 1) {
        owned_finding *o = bt_xmalloc(n * sizeof *o);
        for (size_t i = 0; i < n; i++) {
            o[i].f = c->f[i];
            o[i].items = c->f_items[i];
            o[i].vars = c->f_vars[i];
            o[i].seq = i;
        }
        qsort(o, n, sizeof *o, cmp_finding);
        for (size_t i = 0; i < n; i++) {
            c->f[i] = o[i].f;
            c->f_items[i] = o[i].items;
            c->f_vars[i] = o[i].vars;
        }
        free(o);
    }
    /* the per-article kinds were counted as they were added */
    for (size_t i = 0; i < n; i++)
        if ((unsigned)c->f[i].kind < BT_CHECK_NKINDS)
            c->count_by_kind[c->f[i].kind]++;
    chk_spill_finish(c);
}

size_t bt_check_findings(bt_check *c, const bt_check_finding **out)
{
    if (!c) {
        if (out) *out = NULL;
        return 0;
    }
    finish(c);
    if (!out) {
        size_t n = 0;
        for (int k = 0; k < BT_CHECK_NKINDS; k++) n += c->count_by_kind[k];
        return n;
    }
    if (!c->materialized) {
        c->materialized = 1;
        c->all = bt_xmalloc((c->nf + c->spill.seq + 1) * sizeof *c->all);
        if (c->nf) memcpy(c->all, c->f, c->nf * sizeof *c->all);
        c->nall = c->nf;
        chk_spill_materialize(c);
    }
    *out = c->all;
    return c->nall;
}

bt_check_walk *bt_check_walk_new(bt_check *c)
{
    finish(c);
    return chk_walk_open(c);
}

size_t bt_check_count(bt_check *c, bt_check_kind kind)
{
    if (!c || (unsigned)kind >= BT_CHECK_NKINDS) return 0;
    finish(c);
    return c->count_by_kind[kind];
}
