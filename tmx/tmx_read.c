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

/* ---- TMX -------------------------------------------------------------- */

typedef struct tuv_acc {
    char *lang;
    bt_buf seg;
    int has_seg;
} tuv_acc;

typedef struct tu_acc {
    unsigned long line;
    unsigned usagecount;
    tuv_acc *tuv;
    size_t ntuv, cap;
    char *file, *status, *sources;
    unsigned long vi_line, en_line;
    double score;
} tu_acc;

static void tu_reset(tu_acc *tu)
{
    for (size_t i = 0; i < tu->ntuv; i++) {
        free(tu->tuv[i].lang);
        bt_buf_free(&tu->tuv[i].seg);
    }
    tu->ntuv = 0;
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

/* Deliver the finished unit; returns nonzero when fn asks to stop. A unit
 * with several tuv of one language (or a tuv of several seg) gives one unit
 * per extra segment, paired with the first of the other language, and says
 * so: nothing is dropped in silence. */
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
    if (nvi > 1 || nen > 1)
        bt_report(r->diag, r->dud, BT_ERR_FORMAT, 1, r->path, tu->line,
                  "tu with %zu Vietnamese and %zu English segments: each "
                  "is paired with the first of the other language", nvi, nen);
    bt_tmx_unit u = {
        .vi = vi->seg.ptr, .en = en->seg.ptr, .file = tu->file,
        .vi_line = tu->vi_line, .en_line = tu->en_line, .score = tu->score,
        .usagecount = tu->usagecount, .status = tu->status,
        .more_sources = tu->sources,
    };
    if (fn && fn(ud, &u, vi->lang, en->lang)) return 1;
    for (size_t i = 0; i < tu->ntuv; i++) {
        const tuv_acc *v = &tu->tuv[i];
        if (!v->has_seg || v == vi || v == en) continue;
        int is_vi = tmx_lang_is(v->lang, "vi");
        if (!is_vi && !tmx_lang_is(v->lang, "en")) continue;
        u.vi = is_vi ? v->seg.ptr : vi->seg.ptr;
        u.en = is_vi ? en->seg.ptr : v->seg.ptr;
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

int tmx_read_counting(const char *path, bt_tmx_unit_fn fn, void *ud,
                         bt_diag_fn diag, void *dud, unsigned long *skipped)
{
    tmx_xr *r = tmx_xr_open(path, diag, dud);
    if (!r) return BT_ERR_IO;
    tu_acc tu = { 0 };
    tu_reset(&tu);
    bt_buf prop_text, prop_type;
    bt_buf_init(&prop_text);
    bt_buf_init(&prop_type);
    int in_tu = 0, in_prop = 0, in_seg = 0, code_depth = 0, seen_root = 0;
    int stop = 0, rc;
    tuv_acc *cur = NULL;
    while (!stop && (rc = tmx_xr_next(r)) == 1) {
        int type = tmx_xr_type(r);
        const char *name = tmx_xr_name(r);
        if (type == XML_READER_TYPE_ELEMENT) {
            int empty = tmx_xr_is_empty(r);
            if (!seen_root) {
                seen_root = 1;
                if (strcmp(name, "tmx") != 0) {
                    tmx_xr_report(r, BT_ERR_FORMAT, 0,
                                 "root element is <%s>, not <tmx>", name);
                    r->status = BT_ERR_FORMAT;
                    break;
                }
                continue;
            }
            if (in_seg) {
                if (!empty && is_code_element(name)) code_depth++;
                else if (!empty && code_depth) code_depth++;
                continue;
            }
            if (!strcmp(name, "tu")) {
                tu_reset(&tu);
                tu.line = tmx_xr_line(r);
                char *uc = tmx_xr_attr(r, "usagecount");
                if (uc) {
                    unsigned long v = parse_ulong(uc);
                    tu.usagecount = v > 0 && v < 1000000000UL ? (unsigned)v : 1;
                    free(uc);
                }
                in_tu = !empty;
                cur = NULL;
            } else if (in_tu && !strcmp(name, "tuv")) {
                BT_GROW(tu.tuv, tu.cap, tu.ntuv + 1);
                cur = &tu.tuv[tu.ntuv++];
                memset(cur, 0, sizeof *cur);
                bt_buf_init(&cur->seg);
                cur->lang = tmx_xr_attr(r, "xml:lang");
                if (!cur->lang) cur->lang = tmx_xr_attr(r, "lang"); /* TMX 1.1 */
                if (empty) cur = NULL;
            } else if (cur && !strcmp(name, "seg")) {
                if (cur->has_seg) {
                    /* not TMX; kept as a tuv of its own, not dropped */
                    tmx_xr_report(r, BT_ERR_FORMAT, 1,
                                  "<tuv> has more than one <seg>: each is "
                                  "read as a <tuv> of its own");
                    char *lang = cur->lang ? bt_xstrdup(cur->lang) : NULL;
                    BT_GROW(tu.tuv, tu.cap, tu.ntuv + 1);
                    cur = &tu.tuv[tu.ntuv++];
                    memset(cur, 0, sizeof *cur);
                    bt_buf_init(&cur->seg);
                    cur->lang = lang;
                }
                cur->has_seg = 1;
                bt_buf_reset(&cur->seg);
                in_seg = !empty;
                code_depth = 0;
            } else if (in_tu && !cur && !strcmp(name, "prop")) {
                char *t = tmx_xr_attr(r, "type");
                bt_buf_reset(&prop_type);
                bt_buf_adds(&prop_type, t ? t : "");
                free(t);
                bt_buf_reset(&prop_text);
                if (empty) set_prop(&tu, prop_type.ptr, "");
                else in_prop = 1;
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (in_seg) {
                if (code_depth) { code_depth--; continue; }
                if (!strcmp(name, "seg")) in_seg = 0;
                continue;
            }
            if (in_prop && !strcmp(name, "prop")) {
                set_prop(&tu, prop_type.ptr, prop_text.ptr);
                in_prop = 0;
            } else if (cur && !strcmp(name, "tuv")) {
                cur = NULL;
            } else if (in_tu && !strcmp(name, "tu")) {
                in_tu = 0;
                stop = tu_emit(r, &tu, fn, ud, skipped);
            }
        } else if (is_text_node(type)) {
            const char *v = tmx_xr_value(r);
            if (!v) continue;
            if (in_seg && !code_depth) {
                bt_buf_adds(&cur->seg, v);
                if (cur->seg.len > BT_XML_MAX_TEXT) {
                    tmx_xr_report(r, BT_ERR_LIMIT, 0,
                                 "segment longer than %u bytes",
                                 BT_XML_MAX_TEXT);
                    r->status = BT_ERR_LIMIT;
                    break;
                }
            } else if (in_prop) {
                bt_buf_adds(&prop_text, v);
            }
        }
    }
    if (!seen_root && r->status == BT_OK) {
        bt_report(diag, dud, BT_ERR_FORMAT, 0, path, 0, "no XML element");
        r->status = BT_ERR_FORMAT;
    }
    int status = r->status;
    tu_reset(&tu);
    free(tu.tuv);
    bt_buf_free(&prop_text);
    bt_buf_free(&prop_type);
    tmx_xr_close(r);
    return status;
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

int bt_tbx_read(const char *path, bt_tbx_entry_fn fn, void *ud,
                bt_diag_fn diag, void *dud)
{
    tmx_xr *r = tmx_xr_open(path, diag, dud);
    if (!r) return BT_ERR_IO;
    tbx_acc e = { 0 };
    tbx_reset(&e);
    bt_buf text;
    bt_buf_init(&text);
    int seen_root = 0, in_entry = 0, what = T_NONE, what_depth = 0;
    int stop = 0, rc;
    while (!stop && (rc = tmx_xr_next(r)) == 1) {
        int type = tmx_xr_type(r);
        const char *name = tmx_xr_name(r);
        if (type == XML_READER_TYPE_ELEMENT) {
            int empty = tmx_xr_is_empty(r);
            if (!seen_root) {
                seen_root = 1;
                if (strcmp(name, "martif") != 0 && strcmp(name, "tbx") != 0) {
                    tmx_xr_report(r, BT_ERR_FORMAT, 0,
                                 "root element is <%s>, not <martif> or <tbx>",
                                 name);
                    r->status = BT_ERR_FORMAT;
                    break;
                }
                continue;
            }
            if (what != T_NONE) continue; /* <hi> inside a term and such */
            if (!strcmp(name, "termEntry") || !strcmp(name, "conceptEntry")) {
                tbx_reset(&e);
                e.line = tmx_xr_line(r);
                e.count = 1;
                in_entry = !empty;
                continue;
            }
            if (!in_entry) continue;
            if (!strcmp(name, "langSet") || !strcmp(name, "langSec")) {
                free(e.lang);
                e.lang = tmx_xr_attr(r, "xml:lang");
                continue;
            }
            int w = T_NONE;
            if (!strcmp(name, "term")) {
                w = T_TERM;
            } else if (!strcmp(name, "descrip") || !strcmp(name, "admin")) {
                char *t = tmx_xr_attr(r, "type");
                if (t && !strcmp(t, "subjectField")) w = T_KIND;
                else if (t && !strcmp(t, "source") && !e.lang) w = T_SOURCE;
                free(t);
            } else if (!strcmp(name, "note") && !e.lang) {
                w = T_NOTE;
            }
            if (w != T_NONE && !empty) {
                what = w;
                what_depth = tmx_xr_depth(r);
                bt_buf_reset(&text);
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (what != T_NONE) {
                if (tmx_xr_depth(r) == what_depth) {
                    tbx_take(&e, what, text.ptr);
                    what = T_NONE;
                }
                continue;
            }
            if (!in_entry) continue;
            if (!strcmp(name, "langSet") || !strcmp(name, "langSec")) {
                free(e.lang);
                e.lang = NULL;
            } else if (!strcmp(name, "termEntry") ||
                       !strcmp(name, "conceptEntry")) {
                in_entry = 0;
                if (e.vi && e.en) {
                    bt_tbx_entry out = { e.vi, e.en, e.kind, e.count,
                                         e.sources };
                    stop = fn ? fn(ud, &out, e.line) : 0;
                    /* synonyms: each with the first term of the other
                     * language, as rows of their own */
                    for (size_t o = 0; !stop && o < e.more_vi.len;
                         o += strlen(e.more_vi.ptr + o) + 1) {
                        out.vi = e.more_vi.ptr + o;
                        out.en = e.en;
                        stop = fn ? fn(ud, &out, e.line) : 0;
                    }
                    for (size_t o = 0; !stop && o < e.more_en.len;
                         o += strlen(e.more_en.ptr + o) + 1) {
                        out.vi = e.vi;
                        out.en = e.more_en.ptr + o;
                        stop = fn ? fn(ud, &out, e.line) : 0;
                    }
                } else {
                    bt_report(diag, dud, BT_ERR_FORMAT, 1, path, e.line,
                              "entry without a Vietnamese and an English "
                              "term skipped");
                }
            }
        } else if (is_text_node(type) && what != T_NONE) {
            const char *v = tmx_xr_value(r);
            if (v) bt_buf_adds(&text, v);
            if (text.len > BT_XML_MAX_TEXT) {
                tmx_xr_report(r, BT_ERR_LIMIT, 0, "term longer than %u bytes",
                             BT_XML_MAX_TEXT);
                r->status = BT_ERR_LIMIT;
                break;
            }
        }
    }
    if (!seen_root && r->status == BT_OK) {
        bt_report(diag, dud, BT_ERR_FORMAT, 0, path, 0, "no XML element");
        r->status = BT_ERR_FORMAT;
    }
    int status = r->status;
    tbx_reset(&e);
    bt_buf_free(&text);
    tmx_xr_close(r);
    return status;
}
