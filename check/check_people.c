/* check_people.c - titles given to people: caption-title-mismatch (one
 * caption pair, one person, titles that disagree) and person-title-conflict
 * (one article, one person, two ranks in the same body). Both read the
 * article's mentions (mentions.c); only titles the lexicon knows are compared, so an
 * unknown title never makes a finding. */
#include "check_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- the structure of a title ---------------------------------------- */

static int starts(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

/* Rank of a post from its folded Vietnamese form. */
static int rank_of(const char *f)
{
    static const char *const deputy[] = { "pho ", "thu truong", NULL };
    static const char *const member[] = { "uy vien", "dai bieu", "thuong truc",
                                          "thanh vien", NULL };
    static const char *const head[] = {
        "chu tich", "bi thu", "tong bi thu", "truong", "chu nhiem",
        "giam doc", "chanh ", "bo truong", "cuc truong", "vu truong",
        "tu lenh", "chinh uy", "chi huy truong", "don truong", "thu tuong",
        "vien truong", NULL };
    for (size_t i = 0; deputy[i]; i++)
        if (starts(f, deputy[i])) return RANK_DEPUTY;
    for (size_t i = 0; member[i]; i++)
        if (starts(f, member[i])) return RANK_MEMBER;
    for (size_t i = 0; head[i]; i++)
        if (starts(f, head[i])) return RANK_HEAD;
    return RANK_OTHER;
}

static void analyse_concept(bt_check *c, int id)
{
    chk_concept *k = chk_concept_at(c, id);
    if (!k || k->analysed) return;
    k->analysed = 1;
    k->body = -1;
    k->rank = RANK_OTHER;
    const bt_concept *bc = bt_lexicon_concept(c->lex, id);
    if (!bc || bc->kind != BT_TERM_TITLE || !bc->vi) return;
    size_t len = strlen(bc->vi);
    bt_buf f;
    bt_buf_init(&f);
    bt_fold(bc->vi, len, &f);
    k->rank = rank_of(f.ptr);
    bt_buf_free(&f);
    size_t bs, be;
    k->body = chk_inner_body(c->lex, BT_LANG_VI, bc->vi, 0, len, &bs, &be);
}

/* Do two titles say the same thing? The same concept, or the same rank in
 * the same body (the lexicon may compose one side and not the other). */
static int same_title(bt_check *c, int a, int b)
{
    if (a == b) return 1;
    analyse_concept(c, a);
    analyse_concept(c, b);
    const chk_concept *ka = chk_concept_at(c, a), *kb = chk_concept_at(c, b);
    return ka->body >= 0 && ka->body == kb->body && ka->rank != RANK_OTHER &&
           ka->rank == kb->rank;
}

/* ---- caption-title-mismatch ------------------------------------------- */

typedef struct mention_ref {
    const chk_mention *m;
    size_t idx;
} mention_ref;

static int cmp_person(const void *pa, const void *pb)
{
    const mention_ref *a = pa, *b = pb;
    int r = strcmp(a->m->person_key ? a->m->person_key : "",
                   b->m->person_key ? b->m->person_key : "");
    if (r) return r;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Does some known post of side a have no counterpart on side b? Being a
 * member of a body is left out: translators shorten and merge memberships
 * ("Ủy viên Ban Chấp hành Đảng bộ tỉnh" as "Member of the Provincial Party
 * Committee"), while a reused caption shows in the posts held. */
static int has_extra(bt_check *c, const mention_ref *a, size_t na,
                     const mention_ref *b, size_t nb)
{
    for (size_t i = 0; i < na; i++) {
        if (a[i].m->concept < 0) continue;
        analyse_concept(c, a[i].m->concept);
        if (chk_concept_at(c, a[i].m->concept)->rank == RANK_MEMBER) continue;
        int found = 0;
        for (size_t j = 0; j < nb && !found; j++)
            if (b[j].m->concept >= 0 &&
                same_title(c, a[i].m->concept, b[j].m->concept))
                found = 1;
        if (!found) return 1;
    }
    return 0;
}

static size_t known(const mention_ref *a, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += a[i].m->concept >= 0;
    return k;
}

/* The titles of one side, each once, joined by "; " (caller frees). */
static char *join_titles(const mention_ref *a, size_t n)
{
    bt_buf b;
    bt_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        if (!a[i].m->title) continue;
        int dup = 0;
        for (size_t j = 0; j < i; j++)
            if (a[j].m->title && !strcmp(a[j].m->title, a[i].m->title)) dup = 1;
        if (dup) continue;
        if (b.len) bt_buf_adds(&b, "; ");
        bt_buf_adds(&b, a[i].m->title);
    }
    return bt_buf_detach(&b);
}

/* One open caption-title-mismatch finding of the current article. Its
 * strings are the article's or its own, none kept in the check's pool: the
 * finding is copied out once the article is done. */
typedef struct open_mismatch {
    const char *key;
    const char *subject;
    unsigned long vi_line, en_line;     /* of the first pair */
    bt_check_item *items;   /* per pair: the Vietnamese, then the English */
    char **titles;          /* owned: titles[i] is items[i]'s title */
    size_t n, cap, captitles;
} open_mismatch;

/* The open findings of one article, by person. */
typedef struct open_list {
    open_mismatch *v;
    size_t n, cap;
} open_list;

/* The open finding of the person keyed key, made on first use from the
 * first pair (pr) and mention (first) that shows it. */
static open_mismatch *open_for(open_list *ol, const char *key, const bt_pair *pr,
                               const chk_mention *first)
{
    for (size_t i = 0; i < ol->n; i++)
        if (!strcmp(ol->v[i].key, key)) return &ol->v[i];
    BT_GROW(ol->v, ol->cap, ol->n + 1);
    open_mismatch *o = &ol->v[ol->n++];
    memset(o, 0, sizeof *o);
    o->key = key;
    o->subject = first->person ? first->person : key;
    o->vi_line = pr->vi_line;
    o->en_line = pr->en_line;
    return o;
}

/* Pair pr gives one person the titles vi[0..nvi) in Vietnamese and
 * en[0..nen) in English, which disagree: two items of the finding. */
static void add_mismatch(open_mismatch *o, const bt_pair *pr, const mention_ref *vi,
                         size_t nvi, const mention_ref *en, size_t nen, const char *path)
{
    BT_GROW(o->items, o->cap, o->n + 2);
    BT_GROW(o->titles, o->captitles, o->n + 2);
    o->titles[o->n] = join_titles(vi, nvi);
    o->titles[o->n + 1] = join_titles(en, nen);
    bt_check_item *it = &o->items[o->n];
    memset(it, 0, 2 * sizeof *it);
    it[0].vi = o->titles[o->n];
    it[0].file = path;
    it[0].line = pr->vi_line ? pr->vi_line : vi[0].m->line;
    it[0].count = 1;
    it[1].en = o->titles[o->n + 1];
    it[1].file = path;
    it[1].line = pr->en_line ? pr->en_line : en[0].m->line;
    it[1].count = 1;
    o->n += 2;
}

/* The mentions refs[0..n) of one pair, sorted by person: each person whose
 * titles disagree across the two sides. */
static void pair_mismatches(bt_check *c, open_list *ol, const bt_pair *pr,
                            const mention_ref *refs, size_t n, const char *path)
{
    for (size_t s = 0; s < n;) {
        size_t e = s + 1;
        while (e < n && !strcmp(refs[e].m->person_key, refs[s].m->person_key)) e++;
        /* split the person's mentions by side */
        mention_ref *vi = bt_xmalloc((e - s) * sizeof *vi);
        mention_ref *en = bt_xmalloc((e - s) * sizeof *en);
        size_t nvi = 0, nen = 0;
        for (size_t i = s; i < e; i++) {
            if (refs[i].m->lang == BT_LANG_VI) vi[nvi++] = refs[i];
            else en[nen++] = refs[i];
        }
        if (known(vi, nvi) && known(en, nen) && has_extra(c, vi, nvi, en, nen) &&
            has_extra(c, en, nen, vi, nvi)) {
            const chk_mention *first = vi[0].m->person ? vi[0].m : en[0].m;
            open_mismatch *o = open_for(ol, refs[s].m->person_key, pr, first);
            add_mismatch(o, pr, vi, nvi, en, nen, path);
        }
        free(vi);
        free(en);
        s = e;
    }
}

/* Each open finding, with its note, to the per-article findings. */
static void report_mismatches(bt_check *c, open_list *ol)
{
    for (size_t i = 0; i < ol->n; i++) {
        open_mismatch *o = &ol->v[i];
        bt_buf note;
        bt_buf_init(&note);
        bt_buf_printf(&note,
                      "the Vietnamese caption (line %lu) gives %s as '%s', "
                      "its English (line %lu) as '%s': the English may "
                      "describe another photo",
                      o->vi_line, o->subject, o->items[0].vi, o->en_line,
                      o->items[1].en);
        if (o->n > 2) bt_buf_printf(&note, " (%zu caption pairs)", o->n / 2);
        bt_check_finding f;
        memset(&f, 0, sizeof f);
        f.kind = BT_CHECK_CAPTION_MISMATCH;
        f.subject = o->subject;
        f.note = note.ptr;
        f.items = o->items;
        f.nitems = o->n;
        chk_spill_add(c, &f);
        bt_buf_free(&note);
        for (size_t j = 0; j < o->n; j++) free(o->titles[j]);
        free(o->titles);
        free(o->items);
    }
    free(ol->v);
}

static void caption_mismatches(bt_check *c, const bt_align_result *res, const chk_mention *mv,
                               size_t nm, const char *path)
{
    open_list ol = { 0 };
    mention_ref *refs = NULL;
    size_t caprefs = 0;
    /* the mentions of each pair, in their order: by[at[p] .. at[p + 1]) */
    size_t *at = bt_xcalloc(res->npairs + 2, sizeof *at);
    size_t *by = bt_xmalloc((nm ? nm : 1) * sizeof *by);
    for (size_t i = 0; i < nm; i++)
        if (mv[i].pair >= 0 && (size_t)mv[i].pair < res->npairs) at[mv[i].pair + 2]++;
    for (size_t p = 0; p < res->npairs; p++) at[p + 2] += at[p + 1];
    for (size_t i = 0; i < nm; i++)
        if (mv[i].pair >= 0 && (size_t)mv[i].pair < res->npairs) by[at[mv[i].pair + 1]++] = i;
    for (size_t p = 0; p < res->npairs; p++) {
        const bt_pair *pr = &res->pairs[p];
        if (!pr->vi || !pr->en) continue;
        size_t n = 0;
        for (size_t k = at[p]; k < at[p + 1]; k++) {
            const chk_mention *m = &mv[by[k]];
            if (!m->person_key || !*m->person_key) continue;
            if (m->lang != BT_LANG_VI && m->lang != BT_LANG_EN) continue;
            BT_GROW(refs, caprefs, n + 1);
            refs[n].m = m;
            refs[n].idx = by[k];
            n++;
        }
        if (!n) continue;
        qsort(refs, n, sizeof *refs, cmp_person);
        pair_mismatches(c, &ol, pr, refs, n, path);
    }
    report_mismatches(c, &ol);
    free(at);
    free(by);
    free(refs);
}

/* ---- person-title-conflict -------------------------------------------- */

static int conflicting(bt_check *c, int a, int b)
{
    if (a == b) return 0;
    analyse_concept(c, a);
    analyse_concept(c, b);
    const chk_concept *ka = chk_concept_at(c, a), *kb = chk_concept_at(c, b);
    if (ka->body < 0 || ka->body != kb->body) return 0;
    return (ka->rank == RANK_HEAD && kb->rank == RANK_DEPUTY) ||
           (ka->rank == RANK_DEPUTY && kb->rank == RANK_HEAD);
}

/* An item and where it was found, for a stable sort. */
typedef struct item_at {
    bt_check_item it;
    size_t at;
} item_at;

static int cmp_item_at(const void *pa, const void *pb)
{
    const item_at *a = pa, *b = pb;
    if (a->it.line != b->it.line) return a->it.line < b->it.line ? -1 : 1;
    if (!a->it.vi != !b->it.vi) return a->it.vi ? -1 : 1;
    return (a->at > b->at) - (a->at < b->at);
}

/* The first conflicting pair of titles among the mentions refs[s, e) of
 * one person, in *a and *b (-1 when none). A person named thousands of
 * times in one file (an archive made one) has a few titles, so each
 * mention is weighed against those still to come, not against every
 * mention after it. */
static void first_conflict(bt_check *c, const mention_ref *refs, size_t s,
                           size_t e, int *a, int *b)
{
    *a = *b = -1;
    size_t nd = 0;
    int *dc = bt_xmalloc((e - s) * sizeof *dc);    /* distinct titles */
    size_t *last = bt_xmalloc((e - s) * sizeof *last); /* last mention */
    for (size_t i = s; i < e; i++) {
        size_t d = 0;
        while (d < nd && dc[d] != refs[i].m->concept) d++;
        if (d == nd) dc[nd++] = refs[i].m->concept;
        last[d] = i;
    }
    for (size_t i = s; i < e && *a < 0; i++) {
        int later = 0;
        for (size_t d = 0; d < nd && !later; d++)
            later = last[d] > i && conflicting(c, refs[i].m->concept, dc[d]);
        for (size_t j = i + 1; later && j < e && *a < 0; j++)
            if (conflicting(c, refs[i].m->concept, refs[j].m->concept)) {
                *a = refs[i].m->concept;
                *b = refs[j].m->concept;
            }
    }
    free(dc);
    free(last);
}

/* The items of a conflict: the mentions refs[s, e) that give the person a
 * head or deputy rank in body, one item per line, side and title (a
 * repeat counts), in source order, Vietnamese before English on a line.
 * Strings borrowed from the alignment. *name gets the Vietnamese name
 * first written, or NULL. Caller frees the items. */
static bt_check_item *conflict_items(bt_check *c, const mention_ref *refs,
                                     size_t s, size_t e, int body,
                                     const char *path, const char **name,
                                     size_t *nitems)
{
    bt_check_item *items = NULL;
    size_t ni = 0, cap = 0;
    bt_map seen;   /* line, side and title -> item */
    bt_map_init(&seen);
    bt_buf key;
    bt_buf_init(&key);
    *name = NULL;
    for (size_t i = s; i < e; i++) {
        const chk_mention *m = refs[i].m;
        if (m->lang == BT_LANG_VI && m->person && !*name) *name = m->person;
        analyse_concept(c, m->concept);
        const chk_concept *k = chk_concept_at(c, m->concept);
        if (k->body != body || (k->rank != RANK_HEAD && k->rank != RANK_DEPUTY))
            continue;
        const char *title = m->title ? m->title : "";
        bt_buf_reset(&key);
        bt_buf_add(&key, (const char *)&m->line, sizeof m->line);
        bt_buf_addc(&key, m->lang == BT_LANG_VI ? 'v' : 'e');
        bt_buf_adds(&key, title);
        int fresh;
        size_t at = bt_map_add(&seen, key.ptr, key.len, &fresh);
        if (!fresh) {
            items[at].count++;
            continue;
        }
        BT_GROW(items, cap, ni + 1);
        bt_check_item *it = &items[ni++];
        memset(it, 0, sizeof *it);
        if (m->lang == BT_LANG_VI) it->vi = title;
        else it->en = title;
        it->file = path;
        it->line = m->line;
        it->count = 1;
    }
    bt_buf_free(&key);
    bt_map_free(&seen);
    /* otherwise in the order found (a stable sort) */
    if (ni > 1) {
        item_at *order = bt_xmalloc(ni * sizeof *order);
        for (size_t i = 0; i < ni; i++) {
            order[i].it = items[i];
            order[i].at = i;
        }
        qsort(order, ni, sizeof *order, cmp_item_at);
        for (size_t i = 0; i < ni; i++) items[i] = order[i].it;
        free(order);
    }
    *nitems = ni;
    return items;
}

/* Report that name is given the ranks a and b in body within doc. */
static void report_conflict(bt_check *c, const bt_doc *doc, const char *name,
                            int a, int b, int body, bt_check_item *items,
                            size_t ni)
{
    const bt_concept *ca = bt_lexicon_concept(c->lex, a);
    const bt_concept *cb = bt_lexicon_concept(c->lex, b);
    const bt_concept *cbody = bt_lexicon_concept(c->lex, body);
    bt_buf note;
    bt_buf_init(&note);
    bt_buf_printf(&note,
                  "within %s, %s is given two ranks in %s: '%s' and "
                  "'%s'; compared within one article, since titles "
                  "change over the years",
                  doc->path ? doc->path : "-", name,
                  cbody && cbody->vi ? cbody->vi : "one body",
                  ca && ca->vi ? ca->vi : "?",
                  cb && cb->vi ? cb->vi : "?");
    bt_check_finding f;
    memset(&f, 0, sizeof f);
    f.kind = BT_CHECK_PERSON_CONFLICT;
    f.subject = name;
    f.note = note.ptr;
    f.items = items;
    f.nitems = ni;
    chk_spill_add(c, &f);
    bt_buf_free(&note);
}

static void person_conflicts(bt_check *c, const bt_doc *doc, const chk_mention *mv,
                             size_t nm, const char *path)
{
    size_t n = 0;
    mention_ref *refs = bt_xmalloc((nm ? nm : 1) * sizeof *refs);
    for (size_t i = 0; i < nm; i++) {
        const chk_mention *m = &mv[i];
        if (m->concept < 0 || !m->person_key || !*m->person_key) continue;
        refs[n].m = m;
        refs[n].idx = i;
        n++;
    }
    qsort(refs, n, sizeof *refs, cmp_person);
    for (size_t s = 0; s < n;) {
        size_t e = s + 1;
        while (e < n && !strcmp(refs[e].m->person_key, refs[s].m->person_key))
            e++;
        /* the first conflicting pair of titles decides the body */
        int a, b;
        first_conflict(c, refs, s, e, &a, &b);
        if (a >= 0) {
            int body = chk_concept_at(c, a)->body;
            const char *name;
            size_t ni;
            bt_check_item *items = conflict_items(c, refs, s, e, body, path,
                                                  &name, &ni);
            if (!name) name = refs[s].m->person ? refs[s].m->person
                                                : refs[s].m->person_key;
            /* strings borrowed from the alignment: the finding is copied
             * out before the article is done */
            report_conflict(c, doc, name, a, b, body, items, ni);
            free(items);
        }
        s = e;
    }
    free(refs);
}

void chk_people_doc(bt_check *c, const bt_doc *doc, const bt_align_result *res,
                    const chk_mention *m, size_t nm, const char *path)
{
    caption_mismatches(c, res, m, nm, path);
    person_conflicts(c, doc, m, nm, path);
}
