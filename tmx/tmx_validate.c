/* tmx_validate.c - TMX 1.4b structure checks, streamed, every problem with
 * its line. What is checked follows the TMX 1.4 DTD plus the spec's rules
 * the DTD cannot say (two tuv per tu, a tuv in the srclang). */
#define _POSIX_C_SOURCE 200809L
#include "tmx_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Elements of TMX 1.4 and, for each, the children it may hold. */
static const struct {
    const char *name;
    const char *children; /* space-separated, surrounded by spaces */
    int text;             /* character data allowed */
} grammar[] = {
    { "tmx", " header body ", 0 },
    { "header", " note prop ude ", 0 },
    { "body", " tu ", 0 },
    { "tu", " note prop tuv ", 0 },
    { "tuv", " note prop seg ", 0 },
    { "seg", " bpt ept ph it hi ut ", 1 },
    { "bpt", " sub ", 1 },
    { "ept", " sub ", 1 },
    { "ph", " sub ", 1 },
    { "it", " sub ", 1 },
    { "ut", " sub ", 1 },
    { "hi", " bpt ept it ph hi ut ", 1 },
    { "sub", " bpt ept it ph hi ut ", 1 },
    { "note", " ", 1 },
    { "prop", " ", 1 },
    { "ude", " map ", 0 },
    { "map", " ", 0 },
};
enum { NGRAMMAR = sizeof grammar / sizeof grammar[0] };

static int element_id(const char *name)
{
    for (int i = 0; i < NGRAMMAR; i++)
        if (!strcmp(grammar[i].name, name)) return i;
    return -1;
}

static int may_contain(int parent, const char *child)
{
    char key[40];
    if (strlen(child) > 30) return 0;
    snprintf(key, sizeof key, " %s ", child);
    return strstr(grammar[parent].children, key) != NULL;
}

typedef struct frame {
    int id;              /* grammar index, -1 for unknown elements */
    unsigned long line;
    unsigned ntuv, nseg;
    int seen_content;    /* tu: a tuv seen; tuv: the seg seen; tmx: body */
    int seen_header;
    int has_srclang;     /* tu: a tuv in the header's srclang */
} frame;

typedef struct vstate {
    tmx_xr *r;
    long problems;
    char *srclang;       /* from the header; NULL before it */
    unsigned long units;
    bt_buf tu_langs;     /* the open tu's tuv languages, "\n" after each */
} vstate;

static void problem(vstate *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void problem(vstate *v, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    v->problems++;
    tmx_xr_report(v->r, BT_ERR_FORMAT, 0, "%s", msg);
}

/* YYYYMMDDThhmmssZ */
static int is_tmx_date(const char *s)
{
    if (strlen(s) != 16 || s[8] != 'T' || s[15] != 'Z') return 0;
    for (int i = 0; i < 15; i++)
        if (i != 8 && !isdigit((unsigned char)s[i])) return 0;
    return 1;
}

static void check_date(vstate *v, const char *elem, const char *attr)
{
    char *d = tmx_xr_attr(v->r, attr);
    if (d && !is_tmx_date(d))
        problem(v, "<%s> %s '%s' is not YYYYMMDDThhmmssZ", elem, attr, d);
    free(d);
}

static void require_attr(vstate *v, const char *elem, const char *attr)
{
    char *a = tmx_xr_attr(v->r, attr);
    if (!a) problem(v, "<%s> lacks the required attribute %s", elem, attr);
    else if (!*a) problem(v, "<%s> has an empty %s", elem, attr);
    free(a);
}

static void check_attrs(vstate *v, frame *f, const char *name)
{
    tmx_xr *r = v->r;
    char *a;
    switch (f->id < 0 ? -1 : name[0]) {
    case 't':
        if (!strcmp(name, "tmx")) {
            a = tmx_xr_attr(r, "version");
            if (!a) problem(v, "<tmx> lacks the version attribute");
            else if (strcmp(a, "1.4") != 0)
                problem(v, "<tmx> version is '%s', expected '1.4'", a);
            free(a);
        } else if (!strcmp(name, "tu")) {
            a = tmx_xr_attr(r, "usagecount");
            if (a && (!*a || strspn(a, "0123456789") != strlen(a)))
                problem(v, "<tu> usagecount '%s' is not a number", a);
            free(a);
            check_date(v, "tu", "creationdate");
            check_date(v, "tu", "changedate");
        } else if (!strcmp(name, "tuv")) {
            a = tmx_xr_attr(r, "xml:lang");
            if (!a) {
                char *old = tmx_xr_attr(r, "lang");
                if (old)
                    problem(v, "<tuv> has lang=\"%s\" (TMX 1.1) but no "
                               "xml:lang", old);
                else
                    problem(v, "<tuv> lacks xml:lang");
                free(old);
            } else if (!*a) {
                problem(v, "<tuv> has an empty xml:lang");
            }
            free(a);
        }
        break;
    case 'h':
        if (!strcmp(name, "header")) {
            static const char *const req[] = {
                "creationtool", "creationtoolversion", "segtype", "o-tmf",
                "adminlang", "srclang", "datatype",
            };
            for (size_t i = 0; i < sizeof req / sizeof req[0]; i++)
                require_attr(v, "header", req[i]);
            a = tmx_xr_attr(r, "segtype");
            if (a && *a && strcmp(a, "block") && strcmp(a, "paragraph") &&
                strcmp(a, "sentence") && strcmp(a, "phrase"))
                problem(v, "<header> segtype '%s' is not block, paragraph, "
                           "sentence or phrase", a);
            free(a);
            free(v->srclang);
            v->srclang = tmx_xr_attr(r, "srclang");
            check_date(v, "header", "creationdate");
            check_date(v, "header", "changedate");
        }
        break;
    case 'p':
        if (!strcmp(name, "prop")) require_attr(v, "prop", "type");
        break;
    case 'b':
        if (!strcmp(name, "bpt")) require_attr(v, "bpt", "i");
        break;
    case 'e':
        if (!strcmp(name, "ept")) require_attr(v, "ept", "i");
        break;
    case 'i':
        if (!strcmp(name, "it")) {
            a = tmx_xr_attr(r, "pos");
            if (!a || (strcmp(a, "begin") && strcmp(a, "end")))
                problem(v, "<it> pos must be begin or end");
            free(a);
        }
        break;
    case 'u':
        if (!strcmp(name, "ude")) require_attr(v, "ude", "name");
        break;
    case 'm':
        if (!strcmp(name, "map")) require_attr(v, "map", "unicode");
        break;
    }
}

static int lang_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = (char)tolower((unsigned char)*a), y = (char)tolower((unsigned char)*b);
        if (x == '_') x = '-';
        if (y == '_') y = '-';
        if (x != y) return 0;
    }
    return *a == *b;
}

/* The root must be <tmx>; anything else is reported once here and its
 * whole subtree is then skipped (id -1), so one mistake is one problem. */
static void check_root(vstate *v, frame *f, const char *name)
{
    if (strcmp(name, "tmx") != 0) {
        problem(v, "root element is <%s>, not <tmx>", name);
        f->id = -1;
    }
}

/* May the parent p hold the element? 0 when it may not (reported, unless
 * p itself was) and f is marked unknown so its children stay quiet. */
static int check_placement(vstate *v, const frame *p, frame *f, const char *name)
{
    if (p->id < 0) { /* already reported */
        f->id = -1;
        return 0;
    }
    if (f->id < 0 || !may_contain(p->id, name)) {
        if (p->id == element_id("seg"))
            problem(v, "<%s> is not allowed in <seg> (only bpt, ept, ph, it, "
                       "hi, ut)", name);
        else
            problem(v, "<%s> is not allowed in <%s>", name,
                    grammar[p->id].name);
        f->id = -1;
        return 0;
    }
    return 1;
}

/* The order among siblings the DTD fixes: one header before one body in
 * <tmx>, notes and props before the tuvs of a <tu> and before the one
 * seg of a <tuv>. The counts kept in p are what on_end checks. */
static void check_order(vstate *v, frame *p, const char *pn, const char *name)
{
    if (!strcmp(pn, "tmx")) {
        if (!strcmp(name, "header")) {
            if (p->seen_header || p->seen_content)
                problem(v, "<header> must come once, before <body>");
            p->seen_header = 1;
        } else {
            if (!p->seen_header) problem(v, "<body> without a <header> before it");
            if (p->seen_content) problem(v, "second <body>");
            p->seen_content = 1;
        }
    } else if (!strcmp(pn, "tu")) {
        if (!strcmp(name, "tuv")) {
            p->seen_content = 1;
            p->ntuv++;
        } else if (p->seen_content) {
            problem(v, "<%s> after a <tuv>: notes and props come first", name);
        }
    } else if (!strcmp(pn, "tuv")) {
        if (!strcmp(name, "seg")) {
            if (p->nseg++) problem(v, "<tuv> has more than one <seg>");
        } else if (p->nseg) {
            problem(v, "<%s> after <seg>: notes and props come first", name);
        }
    }
}

/* A second tuv of one language in the open tu: readers keep one of them
 * (issue 17), so the other would be lost silently. */
static void check_tuv_lang_once(vstate *v)
{
    char *lang = tmx_xr_attr(v->r, "xml:lang");
    if (!lang) lang = tmx_xr_attr(v->r, "lang");
    if (lang && *lang) {
        int dup = 0;
        for (const char *s = v->tu_langs.ptr; s && *s; s = strchr(s, '\n') + 1) {
            size_t k = strcspn(s, "\n");
            char *one = bt_xstrndup(s, k);
            dup |= lang_eq(one, lang);
            free(one);
        }
        if (dup) problem(v, "<tu> has a second <tuv> in '%s'", lang);
        bt_buf_adds(&v->tu_langs, lang);
        bt_buf_addc(&v->tu_langs, '\n');
    }
    free(lang);
}

/* Note in the tu p whether this tuv is in the header's srclang; on_end
 * reports a tu with none. */
static void note_srclang(vstate *v, frame *p)
{
    char *lang = tmx_xr_attr(v->r, "xml:lang");
    /* srclang "vi" is met by "vi-VN" too: tools match on the language. */
    if (lang && (lang_eq(lang, v->srclang) ||
                 (!strpbrk(v->srclang, "-_") &&
                  tmx_lang_is(lang, v->srclang))))
        p->has_srclang = 1;
    free(lang);
}

/* Element start: placement in the parent, order, the tu's languages,
 * attributes, in that order (the order the problems are reported in). */
static void on_start(vstate *v, frame *stack, int depth, const char *name)
{
    frame *f = &stack[depth];
    memset(f, 0, sizeof *f);
    f->id = element_id(name);
    f->line = tmx_xr_line(v->r);
    if (depth == 0) {
        check_root(v, f, name);
        check_attrs(v, f, name);
        return;
    }
    frame *p = &stack[depth - 1];
    if (!check_placement(v, p, f, name)) return;
    const char *pn = grammar[p->id].name;
    check_order(v, p, pn, name);
    if (!strcmp(name, "tu")) {
        v->units++;
        bt_buf_reset(&v->tu_langs);
    }
    if (!strcmp(name, "tuv") && !strcmp(pn, "tu")) {
        check_tuv_lang_once(v);
        if (v->srclang) note_srclang(v, p);
    }
    check_attrs(v, f, name);
}

/* Element end: what must have been inside. */
static void on_end(vstate *v, frame *f)
{
    if (f->id < 0) return;
    const char *name = grammar[f->id].name;
    unsigned long line = f->line;
    tmx_xr *r = v->r;
    char msg[200] = "";
    if (!strcmp(name, "tu")) {
        if (f->ntuv < 2)
            snprintf(msg, sizeof msg, "<tu> has %u <tuv>, at least 2 needed",
                     f->ntuv);
        else if (v->srclang && strcmp(v->srclang, "*all*") != 0 &&
                 !f->has_srclang)
            snprintf(msg, sizeof msg, "<tu> has no <tuv> in the srclang '%s'",
                     v->srclang);
    } else if (!strcmp(name, "tuv")) {
        if (!f->nseg) snprintf(msg, sizeof msg, "<tuv> has no <seg>");
    } else if (!strcmp(name, "tmx")) {
        if (!f->seen_header) snprintf(msg, sizeof msg, "<tmx> has no <header>");
        else if (!f->seen_content) snprintf(msg, sizeof msg, "<tmx> has no <body>");
    } else if (!strcmp(name, "ude")) {
        /* map+ is not worth a state of its own */
    }
    if (*msg) {
        v->problems++;
        bt_report(r->diag, r->dud, BT_ERR_FORMAT, 0, r->path, line, "%s", msg);
    }
}

long bt_tmx_validate(const char *path, unsigned long *units,
                     bt_diag_fn diag, void *dud)
{
    if (units) *units = 0;
    tmx_xr *r = tmx_xr_open_kind(path, "TMX", diag, dud);
    if (!r) return BT_ERR_IO;
    vstate v = { r, 0, NULL, 0, { 0 } };
    bt_buf_init(&v.tu_langs);
    frame stack[BT_XML_MAX_DEPTH + 1];
    int rc, seen_root = 0;
    while ((rc = tmx_xr_next(r)) == 1) {
        int type = tmx_xr_type(r);
        int depth = tmx_xr_depth(r);
        if (depth > BT_XML_MAX_DEPTH) break; /* tmx_xr_next stops first */
        if (type == XML_READER_TYPE_ELEMENT) {
            seen_root = 1;
            on_start(&v, stack, depth, tmx_xr_name(r));
            if (tmx_xr_is_empty(r)) on_end(&v, &stack[depth]);
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            on_end(&v, &stack[depth]);
        } else if ((type == XML_READER_TYPE_TEXT ||
                    type == XML_READER_TYPE_CDATA) && depth > 0) {
            frame *p = &stack[depth - 1];
            if (p->id >= 0 && !grammar[p->id].text)
                problem(&v, "text is not allowed in <%s>", grammar[p->id].name);
        }
    }
    long result = v.problems;
    if (rc < 0) {
        /* The parser's own error was reported; count it as one problem
         * unless the file could not be read at all. */
        result = r->status == BT_ERR_IO && !seen_root ? BT_ERR_IO
                                                       : result + 1;
    } else if (!seen_root) {
        bt_report(diag, dud, BT_ERR_FORMAT, 0, path, 1, "no XML element");
        result++;
    }
    if (units) *units = v.units;
    free(v.srclang);
    bt_buf_free(&v.tu_langs);
    tmx_xr_close(r);
    return result;
}
