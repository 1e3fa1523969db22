/* api.c - the review application's requests: the page, the JSON API over
 * the candidate pairs and the findings, and the decisions written to the
 * store. Transport-free (server.c carries the bytes), so that a fuzz
 * harness can call bt_review_handle directly. See review.h. */
#include "review_int.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const char bt_review_page[]; /* review/page.html, built in */

enum { ITEMS_MAX = 50, CONTEXT = 3, WHO_MAX = 80, TEXT_MAX = 65536 };

typedef struct rv_line {
    unsigned long lineno;
    char *text;
} rv_line;

typedef struct rv_file {
    char *path;
    rv_line *lines;
    size_t n, cap;
    size_t first_pair;       /* index of its first pair */
} rv_file;

typedef struct rv_pair {
    size_t file;
    unsigned long vi_line, en_line;
    unsigned nth;
    char *vi, *en;           /* NULL when unpaired */
    double score;
    char *status;
    int credit;
} rv_pair;

typedef struct rv_item {
    char *vi, *en, *file;
    unsigned long line;
} rv_item;

typedef struct rv_variant {
    char *en;
    unsigned count, files;
    int is_official;
} rv_variant;

typedef struct rv_finding {
    bt_check_kind kind;
    char *subject, *vi, *usual, *official, *source, *note;
    rv_variant *vars;
    size_t nvars;
    rv_item *items;          /* the first ITEMS_MAX */
    size_t nitems, total;
    unsigned long omitted;
} rv_finding;

struct bt_review {
    bt_decisions *db;
    pthread_mutex_t mu;
    rv_file *files;
    size_t nfiles, capfiles;
    bt_map file_ix;
    rv_pair *pairs;
    size_t npairs, cappairs;
    size_t *order;           /* pairs worst-judged first, made on first use */
    rv_finding *findings;
    size_t nfindings, capfindings;
    char **hosts;
    size_t nhosts;
    char *token;
};

static char *xdup(const char *s) { return s ? bt_xstrdup(s) : NULL; }

bt_review *bt_review_new(bt_decisions *d)
{
    bt_review *rv = bt_xcalloc(1, sizeof *rv);
    rv->db = d;
    pthread_mutex_init(&rv->mu, NULL);
    bt_map_init(&rv->file_ix);
    return rv;
}

static void free_hosts(bt_review *rv)
{
    for (size_t i = 0; i < rv->nhosts; i++) free(rv->hosts[i]);
    free(rv->hosts);
    rv->hosts = NULL;
    rv->nhosts = 0;
}

void bt_review_free(bt_review *rv)
{
    if (!rv) return;
    for (size_t i = 0; i < rv->nfiles; i++) {
        for (size_t j = 0; j < rv->files[i].n; j++) free(rv->files[i].lines[j].text);
        free(rv->files[i].lines);
        free(rv->files[i].path);
    }
    free(rv->files);
    bt_map_free(&rv->file_ix);
    for (size_t i = 0; i < rv->npairs; i++) {
        free(rv->pairs[i].vi);
        free(rv->pairs[i].en);
        free(rv->pairs[i].status);
    }
    free(rv->pairs);
    free(rv->order);
    for (size_t i = 0; i < rv->nfindings; i++) {
        rv_finding *f = &rv->findings[i];
        free(f->subject);
        free(f->vi);
        free(f->usual);
        free(f->official);
        free(f->source);
        free(f->note);
        for (size_t j = 0; j < f->nvars; j++) free(f->vars[j].en);
        free(f->vars);
        for (size_t j = 0; j < f->nitems; j++) {
            free(f->items[j].vi);
            free(f->items[j].en);
            free(f->items[j].file);
        }
        free(f->items);
    }
    free(rv->findings);
    free_hosts(rv);
    free(rv->token);
    pthread_mutex_destroy(&rv->mu);
    free(rv);
}

/* ---- filling ------------------------------------------------------------ */

static size_t file_of(bt_review *rv, const char *path)
{
    int fresh;
    size_t i = bt_map_add(&rv->file_ix, path, strlen(path), &fresh);
    if (fresh) {
        BT_GROW(rv->files, rv->capfiles, rv->nfiles + 1);
        rv_file *f = &rv->files[rv->nfiles++];
        memset(f, 0, sizeof *f);
        f->path = bt_xstrdup(path);
        f->first_pair = rv->npairs;
    }
    return i;
}

void bt_review_add_line(bt_review *rv, const char *file, unsigned long lineno, const char *text)
{
    size_t fi = file_of(rv, file ? file : "-"); /* may move rv->files */
    rv_file *f = &rv->files[fi];
    BT_GROW(f->lines, f->cap, f->n + 1);
    f->lines[f->n].lineno = lineno;
    f->lines[f->n].text = bt_xstrdup(text ? text : "");
    f->n++;
}

void bt_review_add_pair(bt_review *rv, const char *file, unsigned long vi_line,
                        unsigned long en_line, const char *vi, const char *en, double score,
                        const char *status, int credit)
{
    size_t fi = file_of(rv, file ? file : "-");
    /* its place among the file's pairs of the same lines, as align counts */
    unsigned nth = 0;
    for (size_t j = rv->files[fi].first_pair; j < rv->npairs; j++)
        nth += rv->pairs[j].file == fi && rv->pairs[j].vi_line == vi_line &&
               rv->pairs[j].en_line == en_line;
    BT_GROW(rv->pairs, rv->cappairs, rv->npairs + 1);
    rv_pair *p = &rv->pairs[rv->npairs++];
    p->file = fi;
    p->vi_line = vi_line;
    p->en_line = en_line;
    p->nth = nth;
    p->vi = xdup(vi);
    p->en = xdup(en);
    p->score = score;
    p->status = bt_xstrdup(status ? status : "unpaired");
    p->credit = credit;
    free(rv->order);
    rv->order = NULL;
}

void bt_review_add_finding(bt_review *rv, const bt_check_finding *src)
{
    BT_GROW(rv->findings, rv->capfindings, rv->nfindings + 1);
    rv_finding *f = &rv->findings[rv->nfindings++];
    memset(f, 0, sizeof *f);
    f->kind = src->kind;
    f->subject = bt_xstrdup(src->subject ? src->subject : "?");
    f->vi = xdup(src->vi);
    f->usual = xdup(src->usual);
    f->official = xdup(src->official);
    f->source = xdup(src->source);
    f->note = xdup(src->note);
    f->nvars = src->nvariants;
    f->vars = bt_xcalloc(f->nvars + 1, sizeof *f->vars);
    for (size_t i = 0; i < f->nvars; i++) {
        f->vars[i].en = bt_xstrdup(src->variants[i].en ? src->variants[i].en : "");
        f->vars[i].count = src->variants[i].count;
        f->vars[i].files = src->variants[i].files;
        f->vars[i].is_official = src->variants[i].is_official;
    }
    f->total = src->nitems;
    f->nitems = src->nitems < ITEMS_MAX ? src->nitems : ITEMS_MAX;
    f->items = bt_xcalloc(f->nitems + 1, sizeof *f->items);
    for (size_t i = 0; i < f->nitems; i++) {
        f->items[i].vi = xdup(src->items[i].vi);
        f->items[i].en = xdup(src->items[i].en);
        f->items[i].file = bt_xstrdup(src->items[i].file ? src->items[i].file : "-");
        f->items[i].line = src->items[i].line;
    }
    f->omitted = src->omitted;
}

void rv_allow_hosts(bt_review *rv, const char *const *hosts, size_t nhosts)
{
    pthread_mutex_lock(&rv->mu);
    free_hosts(rv);
    rv->hosts = bt_xcalloc(nhosts + 1, sizeof *rv->hosts);
    for (size_t i = 0; i < nhosts; i++) rv->hosts[i] = bt_xstrdup(hosts[i]);
    rv->nhosts = nhosts;
    pthread_mutex_unlock(&rv->mu);
}

void bt_review_allow(bt_review *rv, const char *const *hosts, size_t nhosts, const char *token)
{
    rv_allow_hosts(rv, hosts, nhosts);
    pthread_mutex_lock(&rv->mu);
    free(rv->token);
    rv->token = token && *token ? bt_xstrdup(token) : NULL;
    pthread_mutex_unlock(&rv->mu);
}

/* ---- JSON helpers --------------------------------------------------------- */

/* A JSON string of s; bytes that are not UTF-8 (a file name) shown as
 * U+FFFD, since the page refers to pairs and findings by number. */
static json_t *jstr(const char *s)
{
    if (!s) return json_null();
    json_t *j = json_string(s);
    if (j) return j;
    bt_buf b;
    bt_buf_init(&b);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x80) bt_buf_addc(&b, (char)*p);
        else bt_buf_adds(&b, "\xef\xbf\xbd");
    }
    j = json_string(b.ptr);
    bt_buf_free(&b);
    return j ? j : json_string("?");
}

static void set(json_t *o, const char *k, json_t *v) { json_object_set_new(o, k, v); }

static void respond(bt_review_response *resp, int status, const char *type, char *body)
{
    resp->status = status;
    resp->content_type = type;
    resp->body = body;
    resp->body_len = strlen(body);
}

static void respond_json(bt_review_response *resp, int status, json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    respond(resp, status, "application/json; charset=utf-8",
            s ? s : bt_xstrdup("{\"error\":\"out of memory\"}"));
}

static void respond_error(bt_review_response *resp, int status, const char *msg)
{
    json_t *j = json_object();
    set(j, "error", jstr(msg));
    respond_json(resp, status, j);
}

/* ---- query strings ------------------------------------------------------ */

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The value of name in query, decoded, into out (caller frees); NULL when
 * absent. */
static char *query_arg(const char *query, const char *name)
{
    size_t nl = strlen(name);
    for (const char *p = query; p && *p;) {
        const char *amp = strchr(p, '&');
        const char *end = amp ? amp : p + strlen(p);
        if ((size_t)(end - p) > nl && !strncmp(p, name, nl) && p[nl] == '=') {
            bt_buf b;
            bt_buf_init(&b);
            for (const char *q = p + nl + 1; q < end; q++) {
                if (*q == '+') {
                    bt_buf_addc(&b, ' ');
                } else if (*q == '%' && end - q >= 3 && hexval(q[1]) >= 0 &&
                           hexval(q[2]) >= 0) {
                    bt_buf_addc(&b, (char)(hexval(q[1]) * 16 + hexval(q[2])));
                    q += 2;
                } else {
                    bt_buf_addc(&b, *q);
                }
            }
            char *s = bt_xstrndup(b.ptr ? b.ptr : "", b.len);
            bt_buf_free(&b);
            return s;
        }
        p = amp ? amp + 1 : end;
    }
    return NULL;
}

static double query_num(const char *query, const char *name, double dflt)
{
    char *s = query_arg(query, name);
    if (!s) return dflt;
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || v != v) v = dflt;
    free(s);
    return v;
}

/* ---- decisions as JSON ---------------------------------------------------- */

static json_t *decision_json(const bt_decision *d, int stale)
{
    if (!d) return json_null();
    json_t *j = json_object();
    set(j, "action", jstr(d->action));
    set(j, "who", jstr(d->who));
    set(j, "at", jstr(d->at));
    set(j, "stale", json_boolean(stale));
    if (!strcmp(d->action, "fix") || !strcmp(d->action, "edit") || !strcmp(d->action, "split")) {
        set(j, "vi", jstr(d->vi));
        set(j, "en", jstr(d->en));
        if (d->new_vi_line) set(j, "vi_line", json_integer((json_int_t)d->new_vi_line));
        if (d->new_en_line) set(j, "en_line", json_integer((json_int_t)d->new_en_line));
    }
    return j;
}

static int pair_stale(const rv_pair *p, const bt_decision *d)
{
    char hv[17], he[17];
    bt_review_hash(p->vi, hv);
    bt_review_hash(p->en, he);
    return strcmp(hv, d->vi_hash) || strcmp(he, d->en_hash);
}

static const bt_decision *pair_decision(const bt_review *rv, const bt_review_index *x,
                                        const rv_pair *p)
{
    return rv_index_pair(x, rv->files[p->file].path, p->vi_line, p->en_line, p->nth);
}

/* ---- pairs ------------------------------------------------------------------ */

/* Worst judged first: partial, mismatch, then the accepted by score, then
 * the unpaired. */
static int status_rank(const char *s)
{
    if (!strcmp(s, "partial")) return 0;
    if (!strcmp(s, "mismatch")) return 1;
    if (!strcmp(s, "accepted")) return 2;
    return 3;
}

static int cmp_pair(const void *a, const void *b, void *ctx)
{
    const bt_review *rv = ctx;
    const rv_pair *p = &rv->pairs[*(const size_t *)a];
    const rv_pair *q = &rv->pairs[*(const size_t *)b];
    int r = status_rank(p->status) - status_rank(q->status);
    if (r) return r;
    if (p->score != q->score) return p->score < q->score ? -1 : 1;
    if (p->file != q->file) return p->file < q->file ? -1 : 1;
    unsigned long lp = p->vi_line ? p->vi_line : p->en_line;
    unsigned long lq = q->vi_line ? q->vi_line : q->en_line;
    if (lp != lq) return lp < lq ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static void make_order(bt_review *rv)
{
    if (rv->order || !rv->npairs) return;
    rv->order = bt_xmalloc(rv->npairs * sizeof *rv->order);
    for (size_t i = 0; i < rv->npairs; i++) rv->order[i] = i;
    qsort_r(rv->order, rv->npairs, sizeof *rv->order, cmp_pair, rv);
}

static const rv_line *find_line(const rv_file *f, unsigned long lineno)
{
    size_t lo = 0, hi = f->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->lines[mid].lineno < lineno) lo = mid + 1;
        else hi = mid;
    }
    return lo < f->n && f->lines[lo].lineno == lineno ? &f->lines[lo] : NULL;
}

static json_t *context_json(const rv_file *f, unsigned long from, unsigned long to)
{
    json_t *a = json_array();
    for (size_t i = 0; i < f->n; i++) {
        if (f->lines[i].lineno < from) continue;
        if (f->lines[i].lineno > to) break;
        json_t *l = json_object();
        set(l, "line", json_integer((json_int_t)f->lines[i].lineno));
        set(l, "text", jstr(f->lines[i].text));
        json_array_append_new(a, l);
    }
    return a;
}

/* The photo credits that end the texts of a pair (both sides present,
 * not itself a credit), which a reviewer may split off; 0 when none. Only
 * the credits are looked for: the other text NULL. */
static int pair_credits(const rv_pair *p, bt_evidence ev[2])
{
    if (!p->vi || !p->en || p->credit) return 0;
    bt_pair_evidence(NULL, p->vi, NULL, &ev[0]);
    bt_pair_evidence(NULL, NULL, p->en, &ev[1]);
    return ev[0].credit_len[0] || ev[1].credit_len[1];
}

/* A side's text before its credit, or the credit, or NULL (caller frees). */
static char *credit_part(const char *text, const bt_evidence *ev, int k, int credit)
{
    if (!ev->credit_len[k]) return credit ? NULL : bt_xstrdup(text);
    return credit ? bt_xstrndup(text + ev->credit_at[k], ev->credit_len[k])
                  : bt_xstrndup(text, ev->caption_len[k]);
}

static json_t *split_json(const rv_pair *p)
{
    bt_evidence ev[2];
    if (!pair_credits(p, ev)) return json_null();
    json_t *j = json_object();
    const char *names[2][2] = { { "vi", "vi_credit" }, { "en", "en_credit" } };
    for (int k = 0; k < 2; k++) {
        const char *t = k ? p->en : p->vi;
        char *cap = credit_part(t, &ev[k], k, 0), *cr = credit_part(t, &ev[k], k, 1);
        set(j, names[k][0], jstr(cap));
        set(j, names[k][1], jstr(cr));
        free(cap);
        free(cr);
    }
    return j;
}

static json_t *pair_json(const bt_review *rv, const bt_review_index *x, size_t id)
{
    const rv_pair *p = &rv->pairs[id];
    const rv_file *f = &rv->files[p->file];
    json_t *j = json_object();
    set(j, "id", json_integer((json_int_t)id));
    set(j, "file", jstr(f->path));
    set(j, "vi_line", p->vi_line ? json_integer((json_int_t)p->vi_line) : json_null());
    set(j, "en_line", p->en_line ? json_integer((json_int_t)p->en_line) : json_null());
    set(j, "vi", jstr(p->vi));
    set(j, "en", jstr(p->en));
    set(j, "score", json_real(p->score));
    set(j, "status", jstr(p->status));
    set(j, "credit", json_boolean(p->credit));
    set(j, "split", split_json(p));
    unsigned long lo = p->vi_line && (!p->en_line || p->vi_line < p->en_line) ? p->vi_line
                                                                              : p->en_line;
    unsigned long hi = p->vi_line > p->en_line ? p->vi_line : p->en_line;
    set(j, "context", context_json(f, lo > CONTEXT ? lo - CONTEXT : 1, hi + CONTEXT));
    const bt_decision *d = pair_decision(rv, x, p);
    set(j, "decision", decision_json(d, d && pair_stale(p, d)));
    return j;
}

/* Does p pass the page's filters? */
static int pair_wanted(const bt_review *rv, const bt_review_index *x, const rv_pair *p,
                       const char *status, double min, double max, const char *file)
{
    if (p->score < min || p->score > max) return 0;
    if (file && *file && strcmp(rv->files[p->file].path, file)) return 0;
    if (!status || !*status || !strcmp(status, "all")) return 1;
    const bt_decision *d = NULL;
    if (!strcmp(status, "undecided") || !strcmp(status, "decided") || !strcmp(status, "stale")) {
        d = pair_decision(rv, x, p);
        if (!strcmp(status, "undecided")) return !d;
        if (!strcmp(status, "decided")) return d != NULL;
        return d && pair_stale(p, d);
    }
    return !strcmp(p->status, status);
}

static void get_pairs(bt_review *rv, const bt_review_index *x, const char *query,
                      bt_review_response *resp)
{
    char *status = query_arg(query, "status");
    char *file = query_arg(query, "file");
    double min = query_num(query, "min", 0), max = query_num(query, "max", 1);
    double off = query_num(query, "offset", 0), lim = query_num(query, "limit", 200);
    if (off < 0 || lim < 0 || off > 1e9 || lim > 1e9) {
        free(status);
        free(file);
        respond_error(resp, 400, "offset and limit want 0 or more");
        return;
    }
    make_order(rv);
    json_t *j = json_object(), *a = json_array();
    size_t total = 0;
    for (size_t k = 0; k < rv->npairs; k++) {
        size_t id = rv->order[k];
        if (!pair_wanted(rv, x, &rv->pairs[id], status, min, max, file)) continue;
        if (total >= (size_t)off && json_array_size(a) < (size_t)lim)
            json_array_append_new(a, pair_json(rv, x, id));
        total++;
    }
    set(j, "total", json_integer((json_int_t)total));
    set(j, "pairs", a);
    json_t *files = json_array();
    for (size_t i = 0; i < rv->nfiles; i++) json_array_append_new(files, jstr(rv->files[i].path));
    set(j, "files", files);
    free(status);
    free(file);
    respond_json(resp, 200, j);
}

/* The reasons behind pair id's score (bt_pair_evidence), with what the
 * page shows around them: where its English stands, the credits. */
static void get_evidence(bt_review *rv, size_t id, bt_review_response *resp)
{
    const rv_pair *p = &rv->pairs[id];
    json_t *j = json_object(), *a = json_array(), *facts = json_array();
    set(j, "id", json_integer((json_int_t)id));
    set(j, "score", json_real(p->score));
    set(j, "status", jstr(p->status));
    char fact[256];
    if (p->credit) {
        json_array_append_new(facts, jstr("a photo credit: paired by the name it gives, "
                                          "not weighed by the judge"));
    } else if (p->vi && p->en) {
        bt_evidence ev;
        bt_pair_evidence(NULL, p->vi, p->en, &ev);
        set(j, "own_score", json_real(ev.score));
        set(j, "own_status", jstr(bt_pair_status_name(ev.status)));
        for (size_t i = 0; i < ev.n; i++) {
            const bt_evidence_reason *r = &ev.reason[i];
            json_t *o = json_object();
            set(o, "feature", jstr(r->feature));
            set(o, "value", json_real(r->value));
            set(o, "weight", json_real(r->weight));
            set(o, "contribution", json_real(r->contribution));
            set(o, "says", jstr(r->says));
            json_array_append_new(a, o);
        }
        snprintf(fact, sizeof fact, "on its own the pair is judged %.3f (%s)%s", ev.score,
                 bt_pair_status_name(ev.status),
                 ev.capped ? ", held down by a rule: the same person with other titles is "
                             "another photo's caption" : "");
        json_array_append_new(facts, jstr(fact));
        if (p->score != ev.score)
            json_array_append_new(facts, jstr("its score also weighs the pairs around it "
                                              "on the page: a pair among good pairs is "
                                              "likelier right"));
        long d = (long)p->en_line - (long)p->vi_line;
        if (d == 1) snprintf(fact, sizeof fact, "the English is the line after the Vietnamese");
        else if (d == 0) snprintf(fact, sizeof fact, "both languages are on one line");
        else snprintf(fact, sizeof fact, "the English is %ld line%s %s the Vietnamese",
                      d < 0 ? -d : d, d == 1 || d == -1 ? "" : "s", d < 0 ? "before" : "after");
        json_array_append_new(facts, jstr(fact));
        bt_evidence cr[2];
        if (pair_credits(p, cr))
            for (int k = 0; k < 2; k++)
                if (cr[k].credit_len[k]) {
                    const char *t = k ? p->en : p->vi;
                    snprintf(fact, sizeof fact, "the %s ends with a photo credit, \"%.*s\", "
                             "which the judge read as caption text: it can be split off",
                             k ? "English" : "Vietnamese", (int)cr[k].credit_len[k],
                             t + cr[k].credit_at[k]);
                    json_array_append_new(facts, jstr(fact));
                }
    } else {
        json_array_append_new(facts, jstr("unpaired: the aligner found no counterpart "
                                          "near it; fix its pairing to pair it"));
    }
    set(j, "reasons", a);
    set(j, "facts", facts);
    respond_json(resp, 200, j);
}

/* /api/pairs/ID/evidence: the pair's id, or why not (status in *st). */
static const char *evidence_id(const bt_review *rv, const char *path, size_t *id, int *st)
{
    const char *p = path + strlen("/api/pairs/"), *slash = strchr(p, '/');
    if (!slash || strcmp(slash, "/evidence")) {
        *st = 404;
        return "no such page: ask /api/pairs/ID/evidence";
    }
    size_t n = 0;
    const char *q = p;
    while (q < slash && *q >= '0' && *q <= '9' && q - p < 12) n = n * 10 + (size_t)(*q++ - '0');
    if (q == p || q != slash) {
        *st = 400;
        return "a pair's id is a number of at most 12 digits";
    }
    if (n >= rv->npairs) {
        *st = 404;
        return "no such pair";
    }
    *id = n;
    return NULL;
}

/* ---- findings --------------------------------------------------------------- */

static void finding_key(const rv_finding *f, const char **file, unsigned long *line)
{
    *file = "";
    *line = 0;
    if (rv_finding_per_article(f->kind) && f->nitems) {
        *file = f->items[0].file;
        *line = f->items[0].line;
    }
}

static int finding_stale(const rv_finding *f, const bt_decision *d)
{
    if (!rv_finding_per_article(f->kind) || !f->nitems) return 0;
    char hv[17], he[17];
    bt_review_hash(f->items[0].vi, hv);
    bt_review_hash(f->items[0].en, he);
    return strcmp(hv, d->vi_hash) || strcmp(he, d->en_hash);
}

static const bt_decision *finding_decision(const bt_review_index *x, const rv_finding *f)
{
    const char *file;
    unsigned long line;
    finding_key(f, &file, &line);
    return rv_index_finding(x, bt_check_kind_name(f->kind), f->subject, file, line);
}

static json_t *finding_json(const bt_review *rv, const bt_review_index *x, size_t id)
{
    const rv_finding *f = &rv->findings[id];
    json_t *j = json_object();
    set(j, "id", json_integer((json_int_t)id));
    set(j, "kind", jstr(bt_check_kind_name(f->kind)));
    set(j, "subject", jstr(f->subject));
    set(j, "vi", jstr(f->vi));
    set(j, "note", jstr(f->note));
    set(j, "usual", jstr(f->usual));
    set(j, "official", jstr(f->official));
    set(j, "source", jstr(f->source));
    const bt_decision *h = rv_index_house(x, f->subject);
    set(j, "house", h ? decision_json(h, 0) : json_null());
    if (h) set(json_object_get(j, "house"), "en", jstr(h->en));
    const bt_decision *d = finding_decision(x, f);
    set(j, "fixed", decision_json(d, d && finding_stale(f, d)));
    json_t *vars = json_array();
    for (size_t i = 0; i < f->nvars; i++) {
        json_t *v = json_object();
        const bt_decision *a;
        rv_index_variant(x, f->subject, f->vars[i].en, &a);
        set(v, "en", jstr(f->vars[i].en));
        set(v, "count", json_integer(f->vars[i].count));
        set(v, "files", json_integer(f->vars[i].files));
        set(v, "official", json_boolean(f->vars[i].is_official));
        set(v, "house", json_boolean(h && !strcasecmp(h->en, f->vars[i].en)));
        set(v, "accepted", decision_json(a, 0));
        json_array_append_new(vars, v);
    }
    set(j, "variants", vars);
    json_t *items = json_array();
    for (size_t i = 0; i < f->nitems; i++) {
        json_t *it = json_object();
        set(it, "file", jstr(f->items[i].file));
        set(it, "line", json_integer((json_int_t)f->items[i].line));
        set(it, "vi", jstr(f->items[i].vi));
        set(it, "en", jstr(f->items[i].en));
        /* the sentence around it */
        size_t fi = bt_map_find(&rv->file_ix, f->items[i].file, strlen(f->items[i].file));
        const rv_line *l = fi == BT_MAP_NONE ? NULL : find_line(&rv->files[fi], f->items[i].line);
        set(it, "text", l ? jstr(l->text) : json_null());
        json_array_append_new(items, it);
    }
    set(j, "items", items);
    set(j, "places", json_integer((json_int_t)(f->total + f->omitted)));
    return j;
}

/* The findings grouped by kind: each group's count and how many are not
 * marked fixed, and of its findings those from offset, at most limit (an
 * archive has tens of thousands; the page asks for more as it shows
 * them); ?kind= keeps one group. */
static void get_findings(bt_review *rv, const bt_review_index *x, const char *query,
                         bt_review_response *resp)
{
    char *only = query_arg(query, "kind");
    double off = query_num(query, "offset", 0), lim = query_num(query, "limit", 50);
    if (off < 0 || lim < 0 || off > 1e9 || lim > 1e9) {
        free(only);
        respond_error(resp, 400, "offset and limit want 0 or more");
        return;
    }
    json_t *groups = json_array();
    for (int k = 0; k < BT_CHECK_NKINDS; k++) {
        const char *name = bt_check_kind_name((bt_check_kind)k);
        if (only && *only && strcmp(only, name)) continue;
        json_t *g = json_object(), *a = json_array();
        size_t open = 0, count = 0;
        for (size_t i = 0; i < rv->nfindings; i++) {
            const rv_finding *f = &rv->findings[i];
            if ((int)f->kind != k) continue;
            const bt_decision *d = finding_decision(x, f);
            if (!d || finding_stale(f, d)) open++;
            if (count >= (size_t)off && json_array_size(a) < (size_t)lim)
                json_array_append_new(a, finding_json(rv, x, i));
            count++;
        }
        set(g, "kind", jstr(name));
        set(g, "count", json_integer((json_int_t)count));
        set(g, "open", json_integer((json_int_t)open));
        set(g, "offset", json_integer((json_int_t)off));
        set(g, "findings", a);
        json_array_append_new(groups, g);
    }
    free(only);
    json_t *j = json_object();
    set(j, "groups", groups);
    respond_json(resp, 200, j);
}

/* ---- decisions ------------------------------------------------------------- */

/* A string member of body, at most max bytes, or NULL. */
static const char *body_str(json_t *body, const char *k, size_t max)
{
    json_t *v = json_object_get(body, k);
    if (!json_is_string(v) || json_string_length(v) > max) return NULL;
    const char *s = json_string_value(v);
    return strlen(s) == json_string_length(v) ? s : NULL; /* no NUL inside */
}

static int body_index(json_t *body, const char *k, size_t n, size_t *out)
{
    json_t *v = json_object_get(body, k);
    if (!json_is_integer(v)) return -1;
    json_int_t i = json_integer_value(v);
    if (i < 0 || (size_t)i >= n) return -1;
    *out = (size_t)i;
    return 0;
}

/* The decision a request asks for on pair id into dec; NULL or why not.
 * Strings point into p, rv or body, or own[0..2) (caller frees). */
static const char *pair_request(bt_review *rv, json_t *body, size_t id, bt_decision *dec,
                                char hv[17], char he[17], char *own[2])
{
    const rv_pair *p = &rv->pairs[id];
    const rv_file *f = &rv->files[p->file];
    const char *action = body_str(body, "action", 16);
    if (!action) return "action missing";
    dec->target = "pair";
    dec->file = f->path;
    dec->vi_line = p->vi_line;
    dec->en_line = p->en_line;
    dec->nth = p->nth;
    bt_review_hash(p->vi, hv);
    bt_review_hash(p->en, he);
    dec->vi_hash = hv;
    dec->en_hash = he;
    dec->action = action;
    if (!strcmp(action, "accept")) {
        if (!p->vi || !p->en) return "an unpaired segment cannot be accepted: fix its pairing";
    } else if (!strcmp(action, "fix")) {
        json_t *lv = json_object_get(body, "line");
        if (!json_is_integer(lv)) return "fix needs the line to pair with";
        json_int_t ln = json_integer_value(lv);
        const rv_line *l = ln > 0 ? find_line(f, (unsigned long)ln) : NULL;
        if (!l || !*l->text) return "no such line in the file";
        if (p->vi) {
            if ((unsigned long)ln == p->vi_line) return "a line cannot pair with itself";
            dec->vi = p->vi;
            dec->en = l->text;
            dec->new_en_line = (unsigned long)ln;
        } else {
            if ((unsigned long)ln == p->en_line) return "a line cannot pair with itself";
            dec->vi = l->text;
            dec->en = p->en;
            dec->new_vi_line = (unsigned long)ln;
        }
    } else if (!strcmp(action, "edit")) {
        const char *vi = json_object_get(body, "vi") ? body_str(body, "vi", TEXT_MAX) : p->vi;
        const char *en = json_object_get(body, "en") ? body_str(body, "en", TEXT_MAX) : p->en;
        if (!vi || !en || !*vi || !*en) return "edit needs both texts, non-empty";
        dec->vi = vi;
        dec->en = en;
    } else if (!strcmp(action, "split")) {
        bt_evidence ev[2];
        if (!pair_credits(p, ev)) return "no photo credit ends the texts of this pair";
        own[0] = credit_part(p->vi, &ev[0], 0, 0);
        own[1] = credit_part(p->en, &ev[1], 1, 0);
        dec->vi = own[0];
        dec->en = own[1];
    } else if (strcmp(action, "reject") && strcmp(action, "undo")) {
        return "unknown action for a pair (accept, reject, fix, edit, split, undo)";
    }
    return NULL;
}

static const char *finding_request(bt_review *rv, json_t *body, size_t id, bt_decision *dec,
                                   char hv[17], char he[17])
{
    const rv_finding *f = &rv->findings[id];
    const char *action = body_str(body, "action", 24);
    if (!action) return "action missing";
    dec->subject = f->subject;
    if (!strcmp(action, "fixed") || !strcmp(action, "unfixed")) {
        const char *file;
        unsigned long line;
        finding_key(f, &file, &line);
        dec->target = "finding";
        dec->kind = bt_check_kind_name(f->kind);
        dec->file = file;
        dec->vi_line = line;
        bt_review_hash(f->nitems ? f->items[0].vi : NULL, hv);
        bt_review_hash(f->nitems ? f->items[0].en : NULL, he);
        if (rv_finding_per_article(f->kind)) {
            dec->vi_hash = hv;
            dec->en_hash = he;
        }
        dec->action = action[0] == 'u' ? "undo" : "fixed";
        return NULL;
    }
    const char *en = body_str(body, "en", 4096);
    if (!en || !*en) return "en missing: the rendering";
    if (!strcmp(action, "accept-variant") || !strcmp(action, "unaccept-variant")) {
        size_t i = 0;
        while (i < f->nvars && strcmp(f->vars[i].en, en)) i++;
        if (i == f->nvars) return "not a rendering of this finding";
        dec->target = "variant";
        dec->variant = en;
        dec->action = action[0] == 'u' ? "undo" : "accept";
        return NULL;
    }
    if (!strcmp(action, "house") || !strcmp(action, "unhouse")) {
        dec->target = "house";
        dec->en = en;
        dec->action = action[0] == 'u' ? "undo" : "set";
        return NULL;
    }
    return "unknown action for a finding (fixed, unfixed, accept-variant, "
           "unaccept-variant, house, unhouse)";
}

static void post_decide(bt_review *rv, const bt_review_request *req, bt_review_response *resp)
{
    json_error_t jerr;
    json_t *body = json_loadb(req->body ? req->body : "", req->body_len,
                              JSON_REJECT_DUPLICATES, &jerr);
    if (!body || !json_is_object(body)) {
        char msg[256];
        snprintf(msg, sizeof msg, "the body is not a JSON object%s%s", body ? "" : ": ",
                 body ? "" : jerr.text);
        json_decref(body);
        respond_error(resp, 400, msg);
        return;
    }
    const char *who = json_object_get(body, "who") ? body_str(body, "who", WHO_MAX) : "reviewer";
    bt_decision dec;
    memset(&dec, 0, sizeof dec);
    char hv[17], he[17], *own[2] = { NULL, NULL };
    const char *why = NULL;
    size_t id;
    int is_pair = json_object_get(body, "pair") != NULL;
    if (!who || !*who) why = "who: a name of at most 80 bytes";
    else if (is_pair == (json_object_get(body, "finding") != NULL))
        why = "name either a pair or a finding";
    else if (is_pair && body_index(body, "pair", rv->npairs, &id) != 0) why = "no such pair";
    else if (!is_pair && body_index(body, "finding", rv->nfindings, &id) != 0)
        why = "no such finding";
    else why = is_pair ? pair_request(rv, body, id, &dec, hv, he, own)
                       : finding_request(rv, body, id, &dec, hv, he);
    if (why) {
        respond_error(resp, 400, why);
        json_decref(body);
        free(own[0]);
        free(own[1]);
        return;
    }
    dec.who = who;
    int put = bt_decisions_put(rv->db, &dec);
    json_decref(body);
    free(own[0]);
    free(own[1]);
    if (put != 0) {
        respond_error(resp, 500, bt_decisions_error(rv->db));
        return;
    }
    bt_review_index *x = bt_review_index_load(rv->db);
    if (!x) {
        respond_error(resp, 500, bt_decisions_error(rv->db));
        return;
    }
    json_t *j = json_object();
    set(j, "ok", json_true());
    set(j, is_pair ? "pair" : "finding", is_pair ? pair_json(rv, x, id) : finding_json(rv, x, id));
    bt_review_index_free(x);
    respond_json(resp, 200, j);
}

/* ---- requests --------------------------------------------------------------- */

static int same_secret(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char d = la != lb;
    for (size_t i = 0; i < la; i++) d |= (unsigned char)(a[i] ^ b[i % (lb ? lb : 1)]);
    return d == 0;
}

/* 0 when the request may be answered, else the status, with the reason. */
static int refused(const bt_review *rv, const bt_review_request *req, const char **why)
{
    const char *host = req->host;
    if (!host || !*host) {
        *why = "no Host header";
        return 400;
    }
    if (rv->nhosts) {
        size_t i = 0;
        while (i < rv->nhosts && strcasecmp(rv->hosts[i], host)) i++;
        if (i == rv->nhosts) {
            *why = "unknown Host: ask for the address the server printed";
            return 403;
        }
    }
    /* a page of another site may send requests here; browsers say whose */
    if (req->origin) {
        if (strncmp(req->origin, "http://", 7) || strcasecmp(req->origin + 7, host)) {
            *why = "requests from other origins are refused";
            return 403;
        }
    }
    if (rv->token) {
        char *q = query_arg(req->query, "token");
        const char *t = req->token ? req->token : q;
        int ok = t && same_secret(t, rv->token);
        free(q);
        if (!ok) {
            *why = "a token is required (the address the server printed carries it)";
            return 403;
        }
    }
    return 0;
}

void bt_review_handle(bt_review *rv, const bt_review_request *req, bt_review_response *resp)
{
    memset(resp, 0, sizeof *resp);
    const char *method = req->method ? req->method : "";
    const char *path = req->path ? req->path : "";
    pthread_mutex_lock(&rv->mu);
    const char *why = NULL;
    int st = refused(rv, req, &why);
    int get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
    int post = !strcmp(method, "POST");
    if (st) {
        respond_error(resp, st, why);
    } else if (!strcmp(path, "/") || !strcmp(path, "/index.html")) {
        if (!get) respond_error(resp, 405, "the page is read with GET");
        else respond(resp, 200, "text/html; charset=utf-8", bt_xstrdup(bt_review_page));
    } else if (!strcmp(path, "/api/pairs") || !strcmp(path, "/api/findings")) {
        bt_review_index *x = get ? bt_review_index_load(rv->db) : NULL;
        if (!get) respond_error(resp, 405, "read with GET");
        else if (!x) respond_error(resp, 500, bt_decisions_error(rv->db));
        else if (path[5] == 'p') get_pairs(rv, x, req->query, resp);
        else get_findings(rv, x, req->query, resp);
        bt_review_index_free(x);
    } else if (!strncmp(path, "/api/pairs/", 11)) {
        size_t id;
        const char *no = evidence_id(rv, path, &id, &st);
        if (no) respond_error(resp, st, no);
        else if (!get) respond_error(resp, 405, "read with GET");
        else get_evidence(rv, id, resp);
    } else if (!strcmp(path, "/api/decide")) {
        const char *ct = req->content_type;
        if (!post) respond_error(resp, 405, "decisions are sent with POST");
        else if (!ct || strncasecmp(ct, "application/json", 16))
            respond_error(resp, 415, "send the decision as application/json");
        else post_decide(rv, req, resp);
    } else {
        respond_error(resp, 404, "no such page");
    }
    pthread_mutex_unlock(&rv->mu);
}
