/* check_variants.c - how each title and body is rendered in English across
 * the corpus: title-variant and english-variant findings.
 *
 * Every English line is searched with the lexicon; each match is one
 * occurrence of a concept, with its surface form. A composed title
 * ("Deputy Head of the Provincial Party Committee's Mass Mobilization
 * Commission") also counts as an occurrence of its body, and its own form
 * is compared with the body left out, so that a body named two ways is
 * reported once, for the body, and a title only when its position words
 * differ ("Vice Chairman" / "Deputy Chairman"). */
#include "check_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- lexicon helpers ------------------------------------------------- */

typedef struct chk_inner_val {
    int body;
    uint32_t bs, be;     /* relative to the span */
} chk_inner_val;

/* chk_inner_body through the run's memo: the answer depends only on the
 * span's bytes, and trimming word by word costs a lexicon search per word. */
static int inner_body(bt_check *c, bt_lang lang, const char *text, size_t s,
                      size_t e, size_t *bs, size_t *be)
{
    char stackkey[256];
    char *key = e - s + 1 <= sizeof stackkey ? stackkey : bt_xmalloc(e - s + 1);
    key[0] = (char)lang;
    memcpy(key + 1, text + s, e - s);
    int fresh;
    size_t id = chk_memo_get(&c->inner, key, e - s + 1, &fresh);
    if (key != stackkey) free(key);
    if (id != CHK_MEMO_FULL && !fresh) {
        const chk_inner_val *v = &c->inner_v[id];
        if (v->body >= 0) { /* else *bs, *be untouched, as chk_inner_body */
            *bs = s + v->bs;
            *be = s + v->be;
        }
        return v->body;
    }
    int body = chk_inner_body(c->lex, lang, text, s, e, bs, be);
    if (id != CHK_MEMO_FULL) {
        BT_GROW(c->inner_v, c->inner_cap, id + 1);
        c->inner_v[id].body = body;
        c->inner_v[id].bs = body >= 0 ? (uint32_t)(*bs - s) : 0;
        c->inner_v[id].be = body >= 0 ? (uint32_t)(*be - s) : 0;
    }
    return body;
}

/* ---- comparison keys ------------------------------------------------- */

/* Words that do not make two renderings different. */
static int is_filler(const char *w, size_t n)
{
    static const char *const fill[] = { "the", "a", "an", "of", "for", "s",
                                        NULL };
    for (size_t i = 0; fill[i]; i++)
        if (strlen(fill[i]) == n && !memcmp(fill[i], w, n)) return 1;
    return 0;
}

static int is_word_byte(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch >= 0x80;
}

static int word_is(const char *w, size_t n, const char *s)
{
    return strlen(s) == n && !memcmp(w, s, n);
}

/* Spellings of one word: the gendered forms of a post, British and
 * American spelling. They do not make another rendering. */
static const char *const same_word[][2] = {
    { "chairwoman", "chairman" }, { "chairperson", "chairman" },
    { "mobilisation", "mobilization" }, { "organisation", "organization" },
    { "organisations", "organizations" }, { "labour", "labor" },
    { "defence", "defense" }, { "centre", "center" },
    { "programme", "program" }, { NULL, NULL }
};

/* Append the folded content words of s[0..len) to out, space separated,
 * each in one spelling ("Viet Nam" is "vietnam"). */
static void add_words(const char *s, size_t len, bt_buf *out)
{
    bt_buf f;
    bt_buf_init(&f);
    bt_fold(s, len, &f);
    size_t i = 0;
    while (i < f.len) {
        if (!is_word_byte((unsigned char)f.ptr[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < f.len && is_word_byte((unsigned char)f.ptr[j])) j++;
        const char *w = f.ptr + i;
        size_t n = j - i;
        i = j;
        if (is_filler(w, n)) continue;
        if (out->len) bt_buf_addc(out, ' ');
        if (word_is(w, n, "viet") && i + 4 <= f.len &&
            !memcmp(f.ptr + i, " nam", 4) &&
            (i + 4 == f.len || !is_word_byte((unsigned char)f.ptr[i + 4]))) {
            bt_buf_adds(out, "vietnam");
            i += 4;
            continue;
        }
        const char *alt = NULL;
        for (size_t k = 0; same_word[k][0] && !alt; k++)
            if (word_is(w, n, same_word[k][0])) alt = same_word[k][1];
        if (alt) bt_buf_adds(out, alt);
        else bt_buf_add(out, w, n);
    }
    bt_buf_free(&f);
}

/* The words of text[s..e) in order, with the body span [bs, be) (when body
 * >= 0) replaced by one token naming the body. */
static void form_seq(const char *text, size_t s, size_t e, int body,
                     size_t bs, size_t be, bt_buf *out)
{
    bt_buf_reset(out);
    if (body < 0) {
        add_words(text + s, e - s, out);
        return;
    }
    add_words(text + s, bs - s, out);
    if (out->len) bt_buf_addc(out, ' ');
    bt_buf_printf(out, "#%d", body);
    add_words(text + be, e - be, out);
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The words of seq sorted: renderings that differ only in word order
 * ("Politburo member" / "Member of the Politburo") share a key. */
static void seq_to_key(const char *seq, bt_buf *out)
{
    bt_buf_reset(out);
    char *copy = bt_xstrdup(seq);
    size_t n = 0, cap = 0;
    char **w = NULL;
    for (char *p = strtok(copy, " "); p; p = strtok(NULL, " ")) {
        BT_GROW(w, cap, n + 1);
        w[n++] = p;
    }
    if (n) qsort(w, n, sizeof *w, cmp_cstr);
    for (size_t i = 0; i < n; i++) {
        if (i) bt_buf_addc(out, ' ');
        bt_buf_adds(out, w[i]);
    }
    free(w);
    free(copy);
}

/* Is every word of a found, in order, in b? */
static int is_subsequence(const char *a, const char *b)
{
    while (*a) {
        size_t la = strcspn(a, " ");
        int found = 0;
        while (*b) {
            size_t lb = strcspn(b, " ");
            int same = la == lb && !memcmp(a, b, la);
            b += lb;
            while (*b == ' ') b++;
            if (same) {
                found = 1;
                break;
            }
        }
        if (!found) return 0;
        a += la;
        while (*a == ' ') a++;
    }
    return 1;
}

/* ---- observations ---------------------------------------------------- */

typedef struct vi_seen {
    int concept;
    uint32_t form;       /* as written */
} vi_seen;

typedef struct doc_scan {
    bt_check *c;
    const char *path;
    uint32_t file;       /* path in the pool once a place refers to it */
    size_t serial;       /* article number, for counting articles */
    vi_seen *vi;         /* concepts named in Vietnamese in this article */
    size_t nvi, capvi;
    bt_buf seq, key, mkey;
} doc_scan;

static const vi_seen *vi_lookup(const vi_seen *v, size_t n, int concept)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].concept == concept) return &v[i];
    return NULL;
}

static void vi_add(bt_check *c, vi_seen **v, size_t *n, size_t *cap,
                   int concept, const char *s, size_t len)
{
    if (concept < 0 || vi_lookup(*v, *n, concept)) return;
    BT_GROW(*v, *cap, *n + 1);
    (*v)[*n].concept = concept;
    (*v)[*n].form = chk_intern(&c->pool, s, len);
    (*n)++;
}

/* The concepts of Vietnamese text, composed titles with their bodies. */
static void vi_collect_found(bt_check *c, const char *text, const bt_title_match *found,
                             size_t k, vi_seen **v, size_t *n, size_t *cap)
{
    for (size_t i = 0; i < k; i++) {
        bt_title_match t = found[i];
        vi_add(c, v, n, cap, t.concept, text + t.start, t.end - t.start);
        if (t.kind == BT_TERM_TITLE) {
            size_t bs, be;
            int b = inner_body(c, BT_LANG_VI, text, t.start, t.end, &bs, &be);
            if (b >= 0) vi_add(c, v, n, cap, b, text + bs, be - bs);
        }
    }
}

/* The surface as written, without a leading article. */
static uint32_t display_form(bt_check *c, const char *text, size_t s, size_t e)
{
    while (s < e && chk_is_space(text[s])) s++;
    while (e > s && chk_is_space(text[e - 1])) e--;
    if (e - s > 4 && (text[s] == 't' || text[s] == 'T') &&
        (text[s + 1] == 'h' || text[s + 1] == 'H') &&
        (text[s + 2] == 'e' || text[s + 2] == 'E') && chk_is_space(text[s + 3]))
        s += 4;
    return chk_intern(&c->pool, text + s, e - s);
}

typedef struct chk_form_val {
    uint32_t key;        /* comparison key in the pool; 0: no content words */
    size_t seq, seqlen;  /* the words in order, in c->form_text */
} chk_form_val;

/* The comparison key of text[s..e) (with the body span as one token) and
 * its words in order (*seq, valid until the next call), through the run's
 * memo: folding and sorting words costs more than hashing the span. */
static uint32_t span_key(doc_scan *d, const char *text, size_t s, size_t e,
                         int body, size_t bs, size_t be, const char **seq,
                         size_t *seqlen)
{
    bt_check *c = d->c;
    /* the span's bytes, then the body and where it is, as fixed-size
     * fields: the length tells where the span ends */
    uint32_t tail[3] = { (uint32_t)body, body >= 0 ? (uint32_t)(bs - s) : 0,
                         body >= 0 ? (uint32_t)(be - s) : 0 };
    bt_buf_reset(&d->mkey);
    bt_buf_add(&d->mkey, text + s, e - s);
    bt_buf_add(&d->mkey, (const char *)tail, sizeof tail);
    int fresh;
    size_t id = chk_memo_get(&c->form, d->mkey.ptr, d->mkey.len, &fresh);
    if (id != CHK_MEMO_FULL && !fresh) {
        const chk_form_val *v = &c->form_v[id];
        *seq = c->form_text.ptr + v->seq;
        *seqlen = v->seqlen;
        return v->key;
    }
    form_seq(text, s, e, body, bs, be, &d->seq);
    uint32_t key = 0;
    if (d->seq.len) {
        seq_to_key(d->seq.ptr, &d->key);
        key = chk_intern(&c->pool, d->key.ptr, d->key.len);
    }
    *seq = d->seq.ptr;
    *seqlen = d->seq.len;
    if (id != CHK_MEMO_FULL) {
        BT_GROW(c->form_v, c->form_cap, id + 1);
        c->form_v[id].key = key;
        c->form_v[id].seq = c->form_text.len;
        c->form_v[id].seqlen = d->seq.len;
        bt_buf_add(&c->form_text, d->seq.ptr, d->seq.len);
    }
    return key;
}

static void observe(doc_scan *d, int concept, const char *text, size_t s,
                    size_t e, int body, size_t bs, size_t be,
                    unsigned long line, uint32_t vi)
{
    bt_check *c = d->c;
    chk_concept *k = chk_concept_at(c, concept);
    if (!k) return;
    const char *seq;
    size_t seqlen;
    uint32_t key = span_key(d, text, s, e, body, bs, be, &seq, &seqlen);
    if (!key) return;
    chk_variant *v = NULL;
    for (size_t i = 0; i < k->n; i++)
        if (k->v[i].key == key) v = &k->v[i];
    if (!v) {
        BT_GROW(k->v, k->cap, k->n + 1);
        v = &k->v[k->n++];
        memset(v, 0, sizeof *v);
        v->key = key;
        v->seq = chk_intern(&c->pool, seq, seqlen);
        v->display = display_form(c, text, s, e);
    }
    v->count++;
    if (vi_lookup(d->vi, d->nvi, concept)) v->count_vi_art++;
    if (v->last_file != d->serial) {
        v->last_file = (uint32_t)d->serial;
        v->files++;
    }
    chk_place *last = v->nplaces ? &v->places[v->nplaces - 1] : NULL;
    if (last && last->serial == d->serial && last->line == line) {
        last->count++;
        if (!last->vi) last->vi = vi;
        return;
    }
    if (v->nplaces >= c->max_places) {
        v->omitted++;
        return;
    }
    if (!d->file) d->file = chk_intern(&c->pool, d->path, strlen(d->path));
    BT_GROW(v->places, v->cap, v->nplaces + 1);
    chk_place *p = &v->places[v->nplaces++];
    p->file = d->file;
    p->serial = (uint32_t)d->serial;
    p->vi = vi;
    p->line = line;
    p->count = 1;
}

/* Does chk_scan_doc read the Vietnamese titles of pair p? Those of the
 * translations, for the English lines they face. */
static int scanned_pair(const bt_pair *p)
{
    return p->vi && p->en && (p->status == BT_PAIR_ACCEPTED || p->status == BT_PAIR_PARTIAL);
}

void chk_scan_prepare(bt_annotation *ann, const bt_align_result *res)
{
    const bt_title_match *m;
    for (size_t k = 0; k < res->npairs; k++)
        if (scanned_pair(&res->pairs[k])) bt_annotation_pair_titles(ann, res, k, BT_LANG_VI, &m);
}

/* Pair indices by English line, then index: qsort_r over bt_pair[]. */
static int cmp_en_line(const void *a, const void *b, void *pairs)
{
    const bt_pair *p = pairs;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    if (p[x].en_line != p[y].en_line) return p[x].en_line < p[y].en_line ? -1 : 1;
    return (x > y) - (x < y);
}

/* Which lines are Vietnamese (1) and which English (2): the reader's
 * guess, and the sides the aligner put them on. Caller frees. */
static unsigned char *line_sides(const bt_doc *doc, const bt_align_result *res)
{
    unsigned char *side = bt_xcalloc(doc->nlines ? doc->nlines : 1, 1);
    for (size_t i = 0; i < doc->nlines; i++) {
        if (doc->lines[i].lang == BT_LANG_VI) side[i] |= 1;
        /* a short line of title and name ("Prime Minister Nguyen Xuan
         * Phuc") may be guessed a bare name; English titles in it count */
        if (doc->lines[i].lang == BT_LANG_EN || doc->lines[i].lang == BT_LANG_NAME)
            side[i] |= 2;
    }
    for (size_t p = 0; p < res->npairs; p++) {
        size_t i;
        if (res->pairs[p].vi &&
            (i = bt_doc_line_index(doc, res->pairs[p].vi_line)) != (size_t)-1)
            side[i] = 1;
        if (res->pairs[p].en &&
            (i = bt_doc_line_index(doc, res->pairs[p].en_line)) != (size_t)-1)
            side[i] = 2;
    }
    return side;
}

/* The concepts the article names in Vietnamese, each counted once. */
static void scan_vi_lines(doc_scan *d, bt_annotation *ann, const unsigned char *side)
{
    bt_check *c = d->c;
    const bt_doc *doc = bt_annotation_doc(ann);
    for (size_t i = 0; i < doc->nlines; i++) {
        if (!(side[i] & 1)) continue;
        const bt_title_match *m;
        size_t n = bt_annotation_line_titles(ann, i, BT_LANG_VI, &m);
        vi_collect_found(c, doc->lines[i].text, m, n, &d->vi, &d->nvi, &d->capvi);
    }
    for (size_t i = 0; i < d->nvi; i++) {
        chk_concept *k = chk_concept_at(c, d->vi[i].concept);
        k->vi_articles++;
        if (!k->vi_seen) k->vi_seen = d->vi[i].form;
    }
}

/* The pairs by English line, each line's in their order: a walk along the
 * lines, not a search of every pair for each. */
typedef struct en_walk {
    const bt_align_result *res;
    size_t *by_en;
    size_t next;             /* next of by_en */
    vi_seen *pv;             /* the Vietnamese of one English line's pairs */
    size_t npv, cappv;
} en_walk;

static void en_walk_init(en_walk *w, const bt_align_result *res)
{
    memset(w, 0, sizeof *w);
    w->res = res;
    w->by_en = bt_xmalloc((res->npairs ? res->npairs : 1) * sizeof *w->by_en);
    for (size_t p = 0; p < res->npairs; p++) w->by_en[p] = p;
    qsort_r(w->by_en, res->npairs, sizeof *w->by_en, cmp_en_line, (void *)res->pairs);
}

/* The Vietnamese titles of the translated pairs whose English is on line
 * lineno, into w->pv. */
static void en_walk_to(en_walk *w, bt_check *c, bt_annotation *ann, unsigned long lineno)
{
    const bt_align_result *res = w->res;
    w->npv = 0;
    while (w->next < res->npairs && res->pairs[w->by_en[w->next]].en_line < lineno) w->next++;
    for (size_t q = w->next; q < res->npairs && res->pairs[w->by_en[q]].en_line == lineno; q++) {
        const bt_pair *pr = &res->pairs[w->by_en[q]];
        if (!scanned_pair(pr)) continue;
        const bt_title_match *m;
        size_t n = bt_annotation_pair_titles(ann, res, w->by_en[q], BT_LANG_VI, &m);
        vi_collect_found(c, pr->vi, m, n, &w->pv, &w->npv, &w->cappv);
    }
}

/* Each title and body of English line ln, with its Vietnamese where a
 * pair of the line gives it; the body inside a title counts too. */
static void scan_en_line(doc_scan *d, const bt_line *ln, const bt_title_match *found, size_t n,
                         const en_walk *w)
{
    for (size_t j = 0; j < n; j++) {
        bt_title_match t = found[j];
        if (t.concept < 0) continue; /* the lexicon never spans ; ( ) or quotes */
        size_t bs = 0, be = 0;
        int body = -1;
        if (t.kind == BT_TERM_TITLE)
            body = inner_body(d->c, BT_LANG_EN, ln->text, t.start, t.end, &bs, &be);
        const vi_seen *vt = vi_lookup(w->pv, w->npv, t.concept);
        observe(d, t.concept, ln->text, t.start, t.end, body, bs, be, ln->lineno,
                vt ? vt->form : 0);
        if (body >= 0) {
            const vi_seen *vb = vi_lookup(w->pv, w->npv, body);
            observe(d, body, ln->text, bs, be, -1, 0, 0, ln->lineno, vb ? vb->form : 0);
        }
    }
}

void chk_scan_doc(bt_check *c, bt_annotation *ann, const bt_align_result *res, const char *path)
{
    const bt_doc *doc = bt_annotation_doc(ann);
    doc_scan d;
    memset(&d, 0, sizeof d);
    d.c = c;
    d.path = path;
    d.serial = c->files;
    bt_buf_init(&d.seq);
    bt_buf_init(&d.key);
    bt_buf_init(&d.mkey);
    unsigned char *side = line_sides(doc, res);
    scan_vi_lines(&d, ann, side);
    en_walk w;
    en_walk_init(&w, res);
    for (size_t i = 0; i < doc->nlines; i++) {
        if (!(side[i] & 2) || (side[i] & 1)) continue;
        en_walk_to(&w, c, ann, doc->lines[i].lineno);
        const bt_title_match *m;
        size_t n = bt_annotation_line_titles(ann, i, BT_LANG_EN, &m);
        scan_en_line(&d, &doc->lines[i], m, n, &w);
    }
    free(w.pv);
    free(w.by_en);
    free(side);
    free(d.vi);
    bt_buf_free(&d.seq);
    bt_buf_free(&d.key);
    bt_buf_free(&d.mkey);
}

/* ---- findings -------------------------------------------------------- */

/* Key of the official rendering (or of each " / " alternative): does the
 * variant with this key use it? */
static int is_official(bt_check *c, const bt_concept *k, uint32_t vkey)
{
    if (!k || !k->en_official) return 0;
    const char *s = k->en_official;
    bt_buf seq, key;
    bt_buf_init(&seq);
    bt_buf_init(&key);
    bt_title_match m[8];
    int yes = 0;
    while (*s && !yes) {
        const char *slash = strstr(s, " / ");
        size_t len = slash ? (size_t)(slash - s) : strlen(s);
        size_t n = bt_lexicon_find(c->lex, BT_LANG_EN, s, len, m, 8);
        int body = -1;
        size_t bs = 0, be = 0;
        if (n >= 1 && m[0].concept == k->id && m[0].kind == BT_TERM_TITLE)
            body = inner_body(c, BT_LANG_EN, s, m[0].start, m[0].end, &bs,
                              &be);
        form_seq(s, 0, len, body, bs, be, &seq);
        seq_to_key(seq.ptr, &key);
        if (key.len && chk_intern(&c->pool, key.ptr, key.len) == vkey) yes = 1;
        s = slash ? slash + 3 : s + len;
    }
    bt_buf_free(&seq);
    bt_buf_free(&key);
    return yes;
}

static int cmp_variant(const void *pa, const void *pb)
{
    const chk_variant *a = *(const chk_variant *const *)pa;
    const chk_variant *b = *(const chk_variant *const *)pb;
    if (a->count != b->count) return a->count > b->count ? -1 : 1;
    return a->display < b->display ? -1 : a->display > b->display;
}

/* The renderings of k that are not a shortened reference to another (a
 * rendering whose words all appear, in order, in another one: "Standing
 * Deputy Secretary"), most frequent first; *nvi: how many occur in
 * articles that name the concept in Vietnamese. Caller frees. */
static chk_variant **live_variants(bt_check *c, chk_concept *k, size_t *nlive, size_t *nvi)
{
    chk_variant **live = bt_xmalloc(k->n * sizeof *live);
    *nlive = *nvi = 0;
    for (size_t i = 0; i < k->n; i++) {
        int shorter = 0;
        for (size_t j = 0; j < k->n && !shorter; j++)
            if (j != i && k->v[j].key != k->v[i].key &&
                is_subsequence(chk_str(&c->pool, k->v[i].seq),
                               chk_str(&c->pool, k->v[j].seq)))
                shorter = 1;
        if (shorter) continue;
        live[(*nlive)++] = &k->v[i];
        if (k->v[i].count_vi_art) (*nvi)++;
    }
    if (*nlive >= 2) qsort(live, *nlive, sizeof *live, cmp_variant);
    return live;
}

/* The variants of a finding and its places, in the order of live. */
typedef struct places_out {
    bt_check_item *items;
    size_t nitems;
    bt_check_variant *vars;
    size_t total;            /* occurrences */
    unsigned long omitted;
    int any_official;        /* a variant uses the official rendering */
} places_out;

static void finding_places(bt_check *c, const bt_concept *bc, chk_variant *const *live,
                           size_t nlive, places_out *o)
{
    memset(o, 0, sizeof *o);
    for (size_t i = 0; i < nlive; i++) {
        o->nitems += live[i]->nplaces;
        o->total += live[i]->count;
        o->omitted += live[i]->omitted;
    }
    o->items = bt_xcalloc(o->nitems, sizeof *o->items);
    o->vars = bt_xcalloc(nlive, sizeof *o->vars);
    size_t at = 0;
    for (size_t i = 0; i < nlive; i++) {
        const chk_variant *v = live[i];
        o->vars[i].en = chk_str(&c->pool, v->display);
        o->vars[i].count = v->count;
        o->vars[i].files = v->files;
        o->vars[i].omitted = v->omitted;
        o->vars[i].is_official = is_official(c, bc, v->key);
        o->any_official |= o->vars[i].is_official;
        for (size_t j = 0; j < v->nplaces; j++) {
            bt_check_item *it = &o->items[at++];
            it->vi = chk_str(&c->pool, v->places[j].vi);
            it->en = o->vars[i].en;
            it->file = chk_str(&c->pool, v->places[j].file);
            it->line = v->places[j].line;
            it->count = v->places[j].count;
        }
    }
}

/* The sentence for the editor: how many ways, the usual one, and what the
 * official reference says. */
static const char *finding_note(bt_check *c, const bt_check_finding *f, size_t nlive,
                                unsigned usual_count, const places_out *o)
{
    bt_buf note;
    bt_buf_init(&note);
    if (f->kind == BT_CHECK_TITLE_VARIANT)
        bt_buf_printf(&note, "'%s' is rendered %zu ways in English", f->subject, nlive);
    else
        bt_buf_printf(&note, "'%s' is named %zu ways in English where no "
                      "Vietnamese for it is at hand", f->subject, nlive);
    if (f->usual)
        bt_buf_printf(&note, "; usual: '%s' (%u of %zu)", f->usual, usual_count, o->total);
    else
        bt_buf_printf(&note, "; no rendering is more frequent than the others");
    if (f->official && o->any_official)
        bt_buf_printf(&note, "; the official reference prefers '%s'", f->official);
    else if (f->official)
        bt_buf_printf(&note, "; the official reference gives '%s', "
                      "which none of them uses", f->official);
    const char *s = chk_str(&c->pool, chk_intern(&c->pool, note.ptr, note.len));
    bt_buf_free(&note);
    return s;
}

/* bitext check --decisions: renderings a reviewer accepted are no longer
 * variants of subject. */
static void review_variants(bt_check *c, const char *subject, chk_variant **live,
                            size_t *nlive, size_t *nvi)
{
    size_t n = 0;
    *nvi = 0;
    for (size_t i = 0; i < *nlive; i++) {
        if (c->hooks.accepted(c->hooks.ud, subject, chk_str(&c->pool, live[i]->display)))
            continue;
        live[n++] = live[i];
        if (live[i]->count_vi_art) (*nvi)++;
    }
    *nlive = n;
}

/* A house rendering set by a reviewer is the official one. */
static void review_house(bt_check_finding *f, bt_check_variant *vars, size_t n,
                         const char *house, places_out *o)
{
    f->official = house;
    f->source = "house rendering (bitext review)";
    o->any_official = 0;
    for (size_t i = 0; i < n; i++) {
        vars[i].is_official = !strcasecmp(vars[i].en, house);
        o->any_official |= vars[i].is_official;
    }
}

static void concept_finding(bt_check *c, int id, chk_concept *k)
{
    const bt_concept *bc = bt_lexicon_concept(c->lex, id);
    if (bc && (bc->kind == BT_TERM_NAME || bc->kind == BT_TERM_PLACE)) return;
    size_t nlive, nvi;
    chk_variant **live = live_variants(c, k, &nlive, &nvi);
    /* the subject as a finding without review names it */
    const char *subject = bc && bc->vi ? bc->vi
                          : nlive ? chk_str(&c->pool, live[0]->display) : NULL;
    if (c->hooks.accepted && nlive >= 2) review_variants(c, subject, live, &nlive, &nvi);
    if (nlive < 2) {
        free(live);
        return;
    }
    /* Variants told apart by articles that carry the Vietnamese are a
     * translation inconsistency; otherwise only the English differs. */
    bt_check_kind kind = nvi >= 2 ? BT_CHECK_TITLE_VARIANT : BT_CHECK_ENGLISH_VARIANT;
    places_out o;
    finding_places(c, bc, live, nlive, &o);
    bt_check_finding *f = chk_add_finding(c, kind, o.items, o.nitems, o.vars, nlive);
    f->omitted = o.omitted;
    f->subject = subject;
    f->vi = bc && bc->vi ? bc->vi : chk_str(&c->pool, k->vi_seen);
    if (live[0]->count > live[1]->count) f->usual = o.vars[0].en;
    if (bc && bc->en_official && *bc->en_official) {
        f->official = bc->en_official;
        f->source = bc->source;
    }
    const char *house = c->hooks.house ? c->hooks.house(c->hooks.ud, subject) : NULL;
    if (house) review_house(f, o.vars, nlive, house, &o);
    f->note = finding_note(c, f, nlive, live[0]->count, &o);
    free(live);
    if (c->hooks.fixed && c->hooks.fixed(c->hooks.ud, f)) {
        c->nf--; /* marked fixed by a reviewer */
        free(o.items);
        free(o.vars);
    }
}

void chk_variant_findings(bt_check *c)
{
    for (size_t id = 0; id < c->nconcepts; id++)
        if (c->concepts[id].n >= 2)
            concept_finding(c, (int)id, &c->concepts[id]);
}
