/* tmx_read.c - streaming TMX and TBX readers over the safe reader. */
#define _POSIX_C_SOURCE 200809L
#include "tmx_int.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Inline elements of a TMX seg whose content is native code, not text. */
static int is_code_element(const char *name)
{
    return !strcmp(name, "bpt") || !strcmp(name, "ept") ||
           !strcmp(name, "ph") || !strcmp(name, "it") ||
           !strcmp(name, "ut");
}

static int is_text_node(int type)
{
    return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
           type == XML_READER_TYPE_WHITESPACE ||
           type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* ---- one walk over a file's nodes -------------------------------------- */

/* What a reader does with the nodes under the root: each handler returns
 * nonzero to stop (after setting r->status when the file is at fault). */
typedef struct xml_walk_ops {
    const char *const *roots;   /* the root elements accepted, NULL-ended */
    const char *roots_named;    /* as the message names them */
    int (*element)(tmx_xr *r, void *ctx, const char *name, int empty);
    int (*end)(tmx_xr *r, void *ctx, const char *name);
    int (*text)(tmx_xr *r, void *ctx); /* a text node: tmx_xr_value(r) */
} xml_walk_ops;

/* Read path through the safe reader: its root checked, every other node
 * handed to ops. Returns BT_OK or the first problem's code (reported). */
static int xml_walk(const char *path, bt_diag_fn diag, void *dud, const xml_walk_ops *ops,
                    void *ctx)
{
    tmx_xr *r = tmx_xr_open_kind(path, strcmp(ops->roots[0], "tmx") ? "TBX" : "TMX", diag,
                                 dud);
    if (!r) return BT_ERR_IO;
    int seen_root = 0, stop = 0;
    while (!stop && tmx_xr_next(r) == 1) {
        int type = tmx_xr_type(r);
        const char *name = tmx_xr_name(r);
        if (type == XML_READER_TYPE_ELEMENT && !seen_root) {
            seen_root = 1;
            size_t k = 0;
            while (ops->roots[k] && strcmp(name, ops->roots[k]) != 0) k++;
            if (!ops->roots[k]) {
                tmx_xr_report(r, BT_ERR_FORMAT, 0, "root element is <%s>, not %s", name,
                              ops->roots_named);
                r->status = BT_ERR_FORMAT;
                break;
            }
        } else if (type == XML_READER_TYPE_ELEMENT) {
            stop = ops->element(r, ctx, name, tmx_xr_is_empty(r));
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            stop = ops->end(r, ctx, name);
        } else if (is_text_node(type)) {
            stop = ops->text(r, ctx);
        }
    }
    if (!seen_root && r->status == BT_OK) {
        bt_report(diag, dud, BT_ERR_FORMAT, 0, path, 0, "no XML element");
        r->status = BT_ERR_FORMAT;
    }
    int status = r->status;
    tmx_xr_close(r);
    return status;
}

/* Text of an element past its bound (bt_limits): reported, the walk stops. */
static int text_too_long(tmx_xr *r, const char *what)
{
    int meta = !strcmp(what, "<prop> text"); /* metadata: bounded as attributes */
    tmx_xr_report(r, BT_ERR_LIMIT, 0, "%s longer than %zu bytes (BITEXT_LIMITS=%s=SIZE raises it)",
                  what, meta ? bt_limits_get()->attr : BT_XML_MAX_TEXT, meta ? "attr" : "text");
    r->status = BT_ERR_LIMIT;
    return 1;
}

/* ---- TMX -------------------------------------------------------------- */

typedef struct tuv_acc {
    char *lang;
    bt_buf seg;
    int has_seg;
    bt_buf attrs, items, markup; /* kept for merge (bt_tmx_meta) */
} tuv_acc;

typedef struct tu_acc {
    unsigned long line;
    unsigned usagecount;
    tuv_acc *tuv;
    size_t ntuv, cap;
    char *file, *status, *sources;
    unsigned long vi_line, en_line;
    double score;
    int keep;                     /* merge: gather a bt_tmx_meta */
    bt_buf attrs, items;
    char *changedate, *creationdate, *lastusagedate;
    int has_tuid, has_usagecount;
} tu_acc;

static void tuv_init(tuv_acc *v)
{
    memset(v, 0, sizeof *v);
    bt_buf_init(&v->seg);
    bt_buf_init(&v->attrs);
    bt_buf_init(&v->items);
    bt_buf_init(&v->markup);
}

static void tu_reset(tu_acc *tu)
{
    for (size_t i = 0; i < tu->ntuv; i++) {
        free(tu->tuv[i].lang);
        bt_buf_free(&tu->tuv[i].seg);
        bt_buf_free(&tu->tuv[i].attrs);
        bt_buf_free(&tu->tuv[i].items);
        bt_buf_free(&tu->tuv[i].markup);
    }
    tu->ntuv = 0;
    bt_buf_reset(&tu->attrs);
    bt_buf_reset(&tu->items);
    free(tu->changedate);
    free(tu->creationdate);
    free(tu->lastusagedate);
    tu->changedate = tu->creationdate = tu->lastusagedate = NULL;
    tu->has_tuid = tu->has_usagecount = 0;
    free(tu->file);
    free(tu->status);
    free(tu->sources);
    tu->file = tu->status = tu->sources = NULL;
    tu->vi_line = tu->en_line = 0;
    tu->score = -1;
    tu->usagecount = 1;
    tu->line = 0;
}

static unsigned long parse_ulong(const char *s)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *s == '-') return 0;
    return v;
}

static void set_prop(tu_acc *tu, const char *type, const char *value)
{
    if (!strcmp(type, "x-file")) {
        free(tu->file);
        tu->file = bt_xstrdup(value);
    } else if (!strcmp(type, "x-vi-line")) {
        tu->vi_line = parse_ulong(value);
    } else if (!strcmp(type, "x-en-line")) {
        tu->en_line = parse_ulong(value);
    } else if (!strcmp(type, "x-score")) {
        char *end;
        double d = strtod(value, &end);
        if (end != value && d >= 0 && d <= 1) tu->score = d;
    } else if (!strcmp(type, "x-status")) {
        free(tu->status);
        tu->status = bt_xstrdup(value);
    } else if (!strcmp(type, "x-sources")) {
        free(tu->sources);
        tu->sources = bt_xstrdup(value);
    }
}

static void tuv_meta(bt_tmx_meta *m, int side, const tuv_acc *v)
{
    m->tuv[side].attrs = v->attrs.ptr;
    m->tuv[side].items = v->items.ptr;
    m->tuv[side].items_len = v->items.len;
    m->tuv[side].seg = v->markup.ptr;
}

/* Deliver the finished unit; returns nonzero when fn asks to stop. */
static int tu_emit(tmx_xr *r, tu_acc *tu, bt_tmx_unit_fn fn, void *ud,
                   unsigned long *skipped)
{
    const tuv_acc *vi = NULL, *en = NULL;
    size_t nvi = 0, nen = 0;
    for (size_t i = 0; i < tu->ntuv; i++) {
        const tuv_acc *v = &tu->tuv[i];
        if (!v->has_seg) continue;
        if (tmx_lang_is(v->lang, "vi")) {
            if (!vi) vi = v;
            nvi++;
        } else if (tmx_lang_is(v->lang, "en")) {
            if (!en) en = v;
            nen++;
        }
    }
    if (!vi || !en) {
        bt_report(r->diag, r->dud, BT_ERR_FORMAT, 1, r->path, tu->line,
                  "tu without %s segment skipped",
                  !vi && !en ? "a Vietnamese and an English"
                  : !vi ? "a Vietnamese" : "an English");
        if (skipped) ++*skipped;
        return 0;
    }
    bt_tmx_meta m;
    bt_tmx_unit u = {
        .vi = vi->seg.ptr, .en = en->seg.ptr, .file = tu->file,
        .vi_line = tu->vi_line, .en_line = tu->en_line, .score = tu->score,
        .usagecount = tu->usagecount, .status = tu->status,
        .more_sources = tu->sources, .meta = tu->keep ? &m : NULL,
    };
    if (tu->keep) {
        memset(&m, 0, sizeof m);
        m.attrs = tu->attrs.ptr;
        m.changedate = tu->changedate ? tu->changedate : "";
        m.creationdate = tu->creationdate ? tu->creationdate : "";
        m.lastusagedate = tu->lastusagedate ? tu->lastusagedate : "";
        m.has_tuid = tu->has_tuid;
        m.has_usagecount = tu->has_usagecount;
        m.items = tu->items.ptr;
        m.items_len = tu->items.len;
        m.more = "";
        tuv_meta(&m, 0, vi);
        tuv_meta(&m, 1, en);
    }
    if (nvi > 1 || nen > 1)
        bt_report(r->diag, r->dud, BT_ERR_FORMAT, 1, r->path, tu->line,
                  "tu with %zu Vietnamese and %zu English segments: each "
                  "is paired with the first of the other language", nvi, nen);
    if (fn && fn(ud, &u, vi->lang, en->lang)) return 1;
    /* the extra segments: one unit each, nothing dropped in silence */
    for (size_t i = 0; i < tu->ntuv; i++) {
        const tuv_acc *v = &tu->tuv[i];
        if (!v->has_seg || v == vi || v == en) continue;
        int is_vi = tmx_lang_is(v->lang, "vi");
        if (!is_vi && !tmx_lang_is(v->lang, "en")) continue;
        u.vi = is_vi ? v->seg.ptr : vi->seg.ptr;
        u.en = is_vi ? en->seg.ptr : v->seg.ptr;
        if (tu->keep) {
            tuv_meta(&m, 0, is_vi ? v : vi);
            tuv_meta(&m, 1, is_vi ? en : v);
        }
        if (fn && fn(ud, &u, is_vi ? v->lang : vi->lang, is_vi ? en->lang : v->lang))
            return 1;
    }
    return 0;
}

int bt_tmx_read(const char *path, bt_tmx_unit_fn fn, void *ud,
                bt_diag_fn diag, void *dud)
{
    return tmx_read_counting(path, fn, ud, diag, dud, NULL);
}

/* A TMX file being read: the unit at hand and where in it the reader is. */
typedef struct tmx_walk {
    tu_acc tu;
    tuv_acc *cur;            /* the open tuv */
    bt_buf prop_text, prop_type;
    int in_tu, in_prop, in_seg, code_depth;
    bt_tmx_unit_fn fn;
    void *ud;
    unsigned long *skipped;
    /* merge (tu.keep): the open note or prop and the seg's markup */
    bt_buf elem;             /* the item's start tag */
    int item_is_prop;
    size_t item_tuv;         /* 0: the tu's; else the index of its tuv + 1 */
    int mdepth;              /* inline elements open in the seg */
    unsigned char wrote[BT_XML_MAX_DEPTH + 2]; /* their tags were kept */
    int dropped_told;        /* attributes left out: reported once */
} tmx_walk;

/* Attributes the DTD does not declare are left out of the merged memory,
 * which must stay valid; said once per file. */
static void told_dropped(tmx_xr *r, tmx_walk *w, unsigned n, const char *elem)
{
    if (!n || w->dropped_told) return;
    w->dropped_told = 1;
    tmx_xr_report(r, BT_ERR_FORMAT, 1,
                  "<%s> has attributes the TMX 1.4 DTD does not declare: not kept "
                  "(said once per file)", elem);
}

static char *attr_or_null(tmx_xr *r, const char *name, int *has)
{
    char *v = tmx_xr_attr(r, name);
    if (has) *has = v != NULL;
    return v;
}

static void tu_open(tmx_xr *r, tmx_walk *w, int empty)
{
    tu_reset(&w->tu);
    w->tu.line = tmx_xr_line(r);
    char *uc = tmx_xr_attr(r, "usagecount");
    if (uc) {
        unsigned long v = parse_ulong(uc);
        w->tu.usagecount = v > 0 && v < 1000000000UL ? (unsigned)v : 1;
        free(uc);
    }
    if (w->tu.keep) {
        tu_acc *tu = &w->tu;
        told_dropped(r, w, tmx_keep_attrs(r, "tu", &tu->attrs), "tu");
        free(attr_or_null(r, "tuid", &tu->has_tuid));
        free(attr_or_null(r, "usagecount", &tu->has_usagecount));
        tu->changedate = attr_or_null(r, "changedate", NULL);
        tu->creationdate = attr_or_null(r, "creationdate", NULL);
        tu->lastusagedate = attr_or_null(r, "lastusagedate", NULL);
    }
    w->in_tu = !empty;
    w->cur = NULL;
}

static void tuv_open(tmx_xr *r, tmx_walk *w, int empty)
{
    tu_acc *tu = &w->tu;
    BT_GROW(tu->tuv, tu->cap, tu->ntuv + 1);
    tuv_acc *cur = &tu->tuv[tu->ntuv++];
    tuv_init(cur);
    cur->lang = tmx_xr_attr(r, "xml:lang");
    if (!cur->lang) cur->lang = tmx_xr_attr(r, "lang"); /* TMX 1.1 */
    if (tu->keep) told_dropped(r, w, tmx_keep_attrs(r, "tuv", &cur->attrs), "tuv");
    w->cur = empty ? NULL : cur;
}

/* bitext's own props, which the store reads rather than keeps */
static int is_bitext_prop(const char *type)
{
    static const char *const own[] = { "x-file", "x-vi-line", "x-en-line", "x-score",
                                       "x-status", "x-sources", NULL };
    for (size_t i = 0; own[i]; i++)
        if (!strcmp(type, own[i])) return 1;
    return 0;
}

/* A note or prop ends: a prop of the tu sets the unit's fields; in merge,
 * every other one is kept as an item of the tu or its tuv. */
static void item_close(tmx_walk *w)
{
    w->in_prop = 0;
    int own = w->item_is_prop && !w->item_tuv;
    if (own && (!w->tu.keep || is_bitext_prop(w->prop_type.ptr))) {
        set_prop(&w->tu, w->prop_type.ptr, w->prop_text.ptr);
        return;
    }
    if (!w->tu.keep || w->item_tuv > w->tu.ntuv) return;
    bt_buf *dst = w->item_tuv ? &w->tu.tuv[w->item_tuv - 1].items : &w->tu.items;
    bt_buf_add(dst, w->elem.ptr, w->elem.len);
    tmx_keep_escape(dst, w->prop_text.ptr, w->prop_text.len, 0);
    bt_buf_adds(dst, w->item_is_prop ? "</prop>" : "</note>");
    bt_buf_addc(dst, '\0');
}

static void item_open(tmx_xr *r, tmx_walk *w, const char *name, int empty)
{
    w->item_is_prop = !strcmp(name, "prop");
    w->item_tuv = w->cur ? (size_t)(w->cur - w->tu.tuv) + 1 : 0;
    bt_buf_reset(&w->prop_type);
    if (w->item_is_prop) {
        char *t = tmx_xr_attr(r, "type");
        bt_buf_adds(&w->prop_type, t ? t : "");
        free(t);
    }
    bt_buf_reset(&w->prop_text);
    if (w->tu.keep) {
        bt_buf_reset(&w->elem);
        told_dropped(r, w, tmx_keep_open(r, name, 0, &w->elem), name);
    }
    if (empty) item_close(w);
    else w->in_prop = 1;
}

/* An element inside a seg, kept in merge when the DTD allows it there (an
 * unknown element's text stays, its tags go). */
static void seg_element(tmx_xr *r, tmx_walk *w, const char *name, int empty)
{
    int keep = tmx_keep_inline(name);
    if (keep) told_dropped(r, w, tmx_keep_open(r, name, empty, &w->cur->markup), name);
    if (!empty && w->mdepth <= BT_XML_MAX_DEPTH) w->wrote[w->mdepth++] = (unsigned char)keep;
}

static int tmx_element(tmx_xr *r, void *ctx, const char *name, int empty)
{
    tmx_walk *w = ctx;
    if (w->in_seg) { /* inline codes: their content is no text */
        if (!empty && (is_code_element(name) || w->code_depth)) w->code_depth++;
        if (w->tu.keep) seg_element(r, w, name, empty);
    } else if (!strcmp(name, "tu")) {
        tu_open(r, w, empty);
    } else if (w->in_tu && !strcmp(name, "tuv")) {
        tuv_open(r, w, empty);
    } else if (w->cur && !strcmp(name, "seg")) {
        if (w->cur->has_seg) {
            /* not TMX; kept as a tuv of its own, not dropped */
            tmx_xr_report(r, BT_ERR_FORMAT, 1,
                          "<tuv> has more than one <seg>: each is read as a <tuv> of its own");
            size_t at = (size_t)(w->cur - w->tu.tuv);
            BT_GROW(w->tu.tuv, w->tu.cap, w->tu.ntuv + 1);
            tuv_acc *from = &w->tu.tuv[at];
            w->cur = &w->tu.tuv[w->tu.ntuv++];
            tuv_init(w->cur);
            w->cur->lang = from->lang ? bt_xstrdup(from->lang) : NULL;
            bt_buf_add(&w->cur->attrs, from->attrs.ptr, from->attrs.len);
        }
        w->cur->has_seg = 1;
        bt_buf_reset(&w->cur->seg);
        bt_buf_reset(&w->cur->markup);
        w->in_seg = !empty;
        w->code_depth = 0;
        w->mdepth = 0;
    } else if (w->in_tu && (!strcmp(name, "prop") ? !w->cur || w->tu.keep
                            : w->tu.keep && !strcmp(name, "note"))) {
        item_open(r, w, name, empty);
    }
    return 0;
}

static int tmx_end(tmx_xr *r, void *ctx, const char *name)
{
    tmx_walk *w = ctx;
    if (w->in_seg) {
        if (w->tu.keep && w->mdepth > 0 && w->wrote[--w->mdepth]) {
            bt_buf_adds(&w->cur->markup, "</");
            bt_buf_adds(&w->cur->markup, name);
            bt_buf_addc(&w->cur->markup, '>');
        }
        if (w->code_depth) w->code_depth--;
        else if (!strcmp(name, "seg")) w->in_seg = 0;
    } else if (w->in_prop && (!strcmp(name, "prop") || !strcmp(name, "note"))) {
        item_close(w);
    } else if (w->cur && !strcmp(name, "tuv")) {
        w->cur = NULL;
    } else if (w->in_tu && !strcmp(name, "tu")) {
        w->in_tu = 0;
        return tu_emit(r, &w->tu, w->fn, w->ud, w->skipped);
    }
    return 0;
}

static int tmx_text(tmx_xr *r, void *ctx)
{
    tmx_walk *w = ctx;
    const char *v = tmx_xr_value(r);
    if (!v) return 0;
    if (w->in_seg && !w->code_depth) {
        bt_buf_adds(&w->cur->seg, v);
        if (w->cur->seg.len > BT_XML_MAX_TEXT) return text_too_long(r, "segment");
    } else if (w->in_prop) {
        bt_buf_adds(&w->prop_text, v);
        if (w->prop_text.len > bt_limits_get()->attr) return text_too_long(r, "<prop> text");
    }
    if (w->in_seg && w->tu.keep) {
        tmx_keep_escape(&w->cur->markup, v, strlen(v), 0);
        if (w->cur->markup.len > TMX_XW_ESC_MAX(BT_XML_MAX_TEXT))
            return text_too_long(r, "segment");
    }
    return 0;
}

static int tmx_read_walk(const char *path, bt_tmx_unit_fn fn, void *ud, bt_diag_fn diag,
                         void *dud, unsigned long *skipped, int keep)
{
    static const char *const roots[] = { "tmx", NULL };
    static const xml_walk_ops ops = { roots, "<tmx>", tmx_element, tmx_end, tmx_text };
    tmx_walk w;
    memset(&w, 0, sizeof w);
    bt_buf_init(&w.tu.attrs);
    bt_buf_init(&w.tu.items);
    tu_reset(&w.tu);
    w.tu.keep = keep;
    bt_buf_init(&w.prop_text);
    bt_buf_init(&w.prop_type);
    bt_buf_init(&w.elem);
    w.fn = fn;
    w.ud = ud;
    w.skipped = skipped;
    int status = xml_walk(path, diag, dud, &ops, &w);
    tu_reset(&w.tu);
    free(w.tu.tuv);
    bt_buf_free(&w.tu.attrs);
    bt_buf_free(&w.tu.items);
    bt_buf_free(&w.prop_text);
    bt_buf_free(&w.prop_type);
    bt_buf_free(&w.elem);
    return status;
}

int tmx_read_counting(const char *path, bt_tmx_unit_fn fn, void *ud,
                         bt_diag_fn diag, void *dud, unsigned long *skipped)
{
    return tmx_read_walk(path, fn, ud, diag, dud, skipped, 0);
}

int tmx_read_meta(const char *path, bt_tmx_unit_fn fn, void *ud,
                  bt_diag_fn diag, void *dud)
{
    return tmx_read_walk(path, fn, ud, diag, dud, NULL, 1);
}

/* ---- TBX -------------------------------------------------------------- */

typedef struct tbx_acc {
    unsigned long line;
    char *vi, *en, *kind, *sources;
    bt_buf more_vi, more_en; /* synonyms: further terms, NUL after each */
    unsigned count;
    char *lang;          /* language of the open langSet / langSec */
} tbx_acc;

static void tbx_reset(tbx_acc *e)
{
    free(e->vi);
    free(e->en);
    free(e->kind);
    free(e->sources);
    free(e->lang);
    bt_buf_free(&e->more_vi);
    bt_buf_free(&e->more_en);
    memset(e, 0, sizeof *e);
    bt_buf_init(&e->more_vi);
    bt_buf_init(&e->more_en);
}

/* What the text of the element being read is for. */
enum { T_NONE, T_TERM, T_KIND, T_SOURCE, T_NOTE };

static void tbx_take(tbx_acc *e, int what, const char *text)
{
    switch (what) {
    case T_TERM: /* a second term of a language is a synonym, kept */
        if (tmx_lang_is(e->lang, "vi")) {
            if (!e->vi) e->vi = bt_xstrdup(text);
            else bt_buf_add(&e->more_vi, text, strlen(text) + 1);
        } else if (tmx_lang_is(e->lang, "en")) {
            if (!e->en) e->en = bt_xstrdup(text);
            else bt_buf_add(&e->more_en, text, strlen(text) + 1);
        }
        break;
    case T_KIND:
        if (!e->kind) e->kind = bt_xstrdup(text);
        break;
    case T_SOURCE:
        if (!e->sources) e->sources = bt_xstrdup(text);
        break;
    case T_NOTE: {
        const char *p = strstr(text, "count:");
        if (p) {
            p += 6 + strspn(p + 6, " ");
            char *end;
            unsigned long v = strtoul(p, &end, 10);
            if (end != p && *p != '-' && v <= UINT_MAX) e->count = (unsigned)v;
        }
        break;
    }
    }
}

/* A TBX file being read: the entry at hand and the element whose text is
 * being gathered. */
typedef struct tbx_walk {
    tbx_acc e;
    bt_buf text;
    int in_entry, what, what_depth;
    bt_tbx_entry_fn fn;
    void *ud;
    bt_diag_fn diag;
    void *dud;
    const char *path;
} tbx_walk;

static int is_entry(const char *name)
{
    return !strcmp(name, "termEntry") || !strcmp(name, "conceptEntry");
}

static int is_lang_set(const char *name)
{
    return !strcmp(name, "langSet") || !strcmp(name, "langSec");
}

/* What the text of element name is for, inside an entry. */
static int tbx_what(tmx_xr *r, const tbx_acc *e, const char *name)
{
    int w = T_NONE;
    if (!strcmp(name, "term")) {
        w = T_TERM;
    } else if (!strcmp(name, "descrip") || !strcmp(name, "admin")) {
        char *t = tmx_xr_attr(r, "type");
        if (t && !strcmp(t, "subjectField")) w = T_KIND;
        else if (t && !strcmp(t, "source") && !e->lang) w = T_SOURCE;
        free(t);
    } else if (!strcmp(name, "note") && !e->lang) {
        w = T_NOTE;
    }
    return w;
}

static int tbx_element(tmx_xr *r, void *ctx, const char *name, int empty)
{
    tbx_walk *w = ctx;
    if (w->what != T_NONE) return 0; /* <hi> inside a term and such */
    if (is_entry(name)) {
        tbx_reset(&w->e);
        w->e.line = tmx_xr_line(r);
        w->e.count = 1;
        w->in_entry = !empty;
    } else if (w->in_entry && is_lang_set(name)) {
        free(w->e.lang);
        w->e.lang = tmx_xr_attr(r, "xml:lang");
    } else if (w->in_entry) {
        int what = tbx_what(r, &w->e, name);
        if (what != T_NONE && !empty) {
            w->what = what;
            w->what_depth = tmx_xr_depth(r);
            bt_buf_reset(&w->text);
        }
    }
    return 0;
}

static int tbx_end(tmx_xr *r, void *ctx, const char *name)
{
    tbx_walk *w = ctx;
    tbx_acc *e = &w->e;
    if (w->what != T_NONE) {
        if (tmx_xr_depth(r) == w->what_depth) {
            tbx_take(e, w->what, w->text.ptr);
            w->what = T_NONE;
        }
    } else if (w->in_entry && is_lang_set(name)) {
        free(e->lang);
        e->lang = NULL;
    } else if (w->in_entry && is_entry(name)) {
        w->in_entry = 0;
        if (e->vi && e->en) {
            bt_tbx_entry out = { e->vi, e->en, e->kind, e->count, e->sources };
            if (w->fn && w->fn(w->ud, &out, e->line)) return 1;
            /* synonyms: each with the first term of the other language,
             * as rows of their own */
            for (size_t o = 0; o < e->more_vi.len; o += strlen(e->more_vi.ptr + o) + 1) {
                out.vi = e->more_vi.ptr + o;
                out.en = e->en;
                if (w->fn && w->fn(w->ud, &out, e->line)) return 1;
            }
            for (size_t o = 0; o < e->more_en.len; o += strlen(e->more_en.ptr + o) + 1) {
                out.vi = e->vi;
                out.en = e->more_en.ptr + o;
                if (w->fn && w->fn(w->ud, &out, e->line)) return 1;
            }
            return 0;
        }
        bt_report(w->diag, w->dud, BT_ERR_FORMAT, 1, w->path, e->line,
                  "entry without a Vietnamese and an English term skipped");
    }
    return 0;
}

static int tbx_text(tmx_xr *r, void *ctx)
{
    tbx_walk *w = ctx;
    if (w->what == T_NONE) return 0;
    const char *v = tmx_xr_value(r);
    if (v) bt_buf_adds(&w->text, v);
    return w->text.len > BT_XML_MAX_TEXT ? text_too_long(r, "term") : 0;
}

int bt_tbx_read(const char *path, bt_tbx_entry_fn fn, void *ud,
                bt_diag_fn diag, void *dud)
{
    static const char *const roots[] = { "martif", "tbx", NULL };
    static const xml_walk_ops ops = { roots, "<martif> or <tbx>", tbx_element, tbx_end,
                                      tbx_text };
    tbx_walk w;
    memset(&w, 0, sizeof w);
    tbx_reset(&w.e);
    bt_buf_init(&w.text);
    w.fn = fn;
    w.ud = ud;
    w.diag = diag;
    w.dud = dud;
    w.path = path;
    int status = xml_walk(path, diag, dud, &ops, &w);
    tbx_reset(&w.e);
    bt_buf_free(&w.text);
    return status;
}
