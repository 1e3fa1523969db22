/* check_html.c - consistency.html: one self-contained page (no network):
 * a summary with counts by kind and a small SVG bar chart, then one table
 * per kind, sortable by clicking a header.
 *
 * At archive scale the page stays small enough to open: a cell lists at
 * most HTML_PLACES places and then "+N more"; a kind with more than
 * HTML_GROUP_MIN findings is grouped (the per-article kinds by their pair
 * of titles, one row with a count; the variant kinds keep a row per
 * concept), its first HTML_TOP rows shown, the next ones behind a native
 * <details> element, and those past HTML_ROWS_MAX only counted. Every
 * place stays in consistency.json. Smaller kinds come as they always did.
 *
 * The page is written in the HTML 4 vocabulary (div, table, img) so that
 * libxml2's HTML parser (xmllint --html) accepts it; the SVG chart is
 * therefore an <img> with a data: URI rather than an inline <svg> element,
 * which that parser rejects. <details> and <summary> are the exception: the
 * parser calls the tags unknown but reads the page, and a browser folds
 * them without a script. */
#include "check_int.h"

#include <stdlib.h>
#include <string.h>

enum {
    HTML_PLACES = 20,      /* places per cell before "+N more" */
    HTML_GROUP_MIN = 200,  /* findings of a kind before it is grouped */
    HTML_TOP = 50,         /* rows of a grouped kind shown at first */
    HTML_ROWS_MAX = 1000   /* rows of a grouped kind on the page at all */
};

void chk_html_escape(FILE *fp, const char *s)
{
    if (!s) return;
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", fp); break;
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '"': fputs("&quot;", fp); break;
        case '\'': fputs("&#39;", fp); break;
        default: fputc(*s, fp);
        }
    }
}

static void base64(FILE *fp, const char *s, size_t len)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    for (; i + 2 < len; i += 3) {
        unsigned v = (unsigned)u[i] << 16 | (unsigned)u[i + 1] << 8 | u[i + 2];
        fputc(tab[v >> 18 & 63], fp);
        fputc(tab[v >> 12 & 63], fp);
        fputc(tab[v >> 6 & 63], fp);
        fputc(tab[v & 63], fp);
    }
    if (i < len) {
        unsigned v = (unsigned)u[i] << 16;
        if (i + 1 < len) v |= (unsigned)u[i + 1] << 8;
        fputc(tab[v >> 18 & 63], fp);
        fputc(tab[v >> 12 & 63], fp);
        fputc(i + 1 < len ? tab[v >> 6 & 63] : '=', fp);
        fputc('=', fp);
    }
}

static const char *const kind_colour[BT_CHECK_NKINDS] = {
    "#1f6fb2", "#5b9bd5", "#c0504d", "#e69138"
};

static const char *const kind_text[BT_CHECK_NKINDS] = {
    "One Vietnamese title or body, rendered several ways in English by "
    "articles that carry it in Vietnamese.",
    "The same title or body named several ways in English where no "
    "Vietnamese for it is at hand.",
    "One caption pair names the same person on both sides, with titles that "
    "disagree: the English may describe another photo.",
    "One article gives a person two ranks in the same body. Titles change "
    "over the years, so this compares within one article only."
};

/* The bar chart as an SVG document, base64 in a data: URI. */
static void chart(FILE *fp, const size_t *counts)
{
    size_t max = 1;
    for (int k = 0; k < BT_CHECK_NKINDS; k++)
        if (counts[k] > max) max = counts[k];
    const int w = 520, row = 28, label = 190, barw = 260;
    int h = row * BT_CHECK_NKINDS + 10;
    bt_buf svg;
    bt_buf_init(&svg);
    bt_buf_printf(&svg,
                  "<svg xmlns='http://www.w3.org/2000/svg' width='%d' "
                  "height='%d' viewBox='0 0 %d %d' font-family='sans-serif' "
                  "font-size='13'><rect width='%d' height='%d' fill='#fff'/>",
                  w, h, w, h, w, h);
    for (int k = 0; k < BT_CHECK_NKINDS; k++) {
        int y = 5 + k * row;
        int len = (int)((double)counts[k] / (double)max * barw);
        if (counts[k] && len < 3) len = 3;
        bt_buf_printf(&svg,
                      "<text x='%d' y='%d' text-anchor='end' fill='#222'>%s"
                      "</text><rect x='%d' y='%d' width='%d' height='%d' "
                      "fill='%s'/><text x='%d' y='%d' fill='#222'>%zu</text>",
                      label - 8, y + 17, bt_check_kind_name((bt_check_kind)k),
                      label, y + 4, len, row - 8, kind_colour[k],
                      label + len + 6, y + 17, counts[k]);
    }
    bt_buf_adds(&svg, "</svg>");
    fprintf(fp, "<img class=\"chart\" width=\"%d\" height=\"%d\" "
                "alt=\"bar chart: findings by kind\" "
                "src=\"data:image/svg+xml;base64,", w, h);
    base64(fp, svg.ptr, svg.len);
    fputs("\">\n", fp);
    bt_buf_free(&svg);
}

static void place(FILE *fp, const bt_check_item *it)
{
    fputs("<span class=\"place\">", fp);
    chk_html_escape(fp, it->file);
    fprintf(fp, ":%lu", it->line);
    if (it->count > 1) fprintf(fp, " (&times;%u)", it->count);
    fputs("</span>", fp);
}

static void th(FILE *fp, const char *label)
{
    fputs("<th title=\"sort\">", fp);
    chk_html_escape(fp, label);
    fputs("</th>", fp);
}

/* A walk with the finding it is at: the tables take the findings of their
 * kind from it, in order, and leave it at the next kind's first. */
typedef struct cursor {
    bt_check_walk *w;
    const bt_check_finding *f;
    int r;                   /* of the last bt_check_walk_next */
} cursor;

static void step(cursor *cur)
{
    cur->r = bt_check_walk_next(cur->w, &cur->f);
}

static int at_kind(const cursor *cur, bt_check_kind kind)
{
    return cur->r == 1 && cur->f->kind == kind;
}

static void variant_row(FILE *fp, const bt_check_finding *f, size_t maxv)
{
    fputs("<tr><td>", fp);
    chk_html_escape(fp, f->subject);
    if (f->vi && f->subject && strcmp(f->vi, f->subject)) {
        fputs("<div class=\"small\">as written: ", fp);
        chk_html_escape(fp, f->vi);
        fputs("</div>", fp);
    }
    fputs("</td>", fp);
    for (size_t v = 0; v < maxv; v++) {
        if (v >= f->nvariants) {
            fputs("<td data-sort=\"\"></td>", fp);
            continue;
        }
        const bt_check_variant *var = &f->variants[v];
        fputs("<td data-sort=\"", fp);
        chk_html_escape(fp, var->en);
        fputs("\"><b>", fp);
        chk_html_escape(fp, var->en);
        fprintf(fp, "</b><div class=\"small\">&times;%u in %u article%s%s"
                    "</div><div class=\"places\">",
                var->count, var->files, var->files == 1 ? "" : "s",
                chk_variant_official(f, var) ? " &middot; official" : "");
        /* past max_places the places were only counted: "+N more" says
         * how many the JSON does not list either */
        size_t shown = 0;
        unsigned long more = var->omitted;
        for (size_t j = 0; j < f->nitems; j++) {
            const bt_check_item *it = &f->items[j];
            if (!it->en || strcmp(it->en, var->en)) continue;
            if (shown == HTML_PLACES) {
                more++;
                continue;
            }
            shown++;
            place(fp, it);
            if (it->vi) {
                fputs(" <span class=\"vi\">(", fp);
                chk_html_escape(fp, it->vi);
                fputs(")</span>", fp);
            }
            fputs("<br>", fp);
        }
        if (more) fprintf(fp, "<span class=\"more\">+%lu more</span>", more);
        fputs("</div></td>", fp);
    }
    if (f->usual) {
        fputs("<td>", fp);
        chk_html_escape(fp, f->usual);
    } else {
        fputs("<td data-sort=\"\" class=\"none\">none: as often as "
              "each other", fp);
    }
    fputs("</td><td>", fp);
    chk_html_escape(fp, f->official ? f->official : "");
    if (f->source) {
        fputs("<div class=\"small\">", fp);
        chk_html_escape(fp, f->source);
        fputs("</div>", fp);
    }
    fputs("</td></tr>\n", fp);
}

static void variant_head(FILE *fp, size_t maxv)
{
    fputs("<table class=\"sortable\"><thead><tr>", fp);
    th(fp, "Vietnamese");
    for (size_t v = 0; v < maxv; v++) {
        char label[32];
        snprintf(label, sizeof label, "Rendering %zu", v + 1);
        th(fp, label);
    }
    th(fp, "Usual");
    th(fp, "Official");
    fputs("</tr></thead>\n<tbody>\n", fp);
}

/* Between the rows shown at first and the rest of a large kind: the rest
 * sit in a <details> element, in a table of their own. */
static void more_open(FILE *fp, size_t rows, size_t findings,
                      const char *what)
{
    fputs("</tbody></table>\n<details><summary>", fp);
    fprintf(fp, "%zu more %s%s (%zu finding%s)</summary>\n", rows, what,
            rows == 1 ? "" : "s", findings, findings == 1 ? "" : "s");
}

/* The rows past HTML_ROWS_MAX: counted, not listed. */
static void rest_note(FILE *fp, size_t rows, size_t findings,
                      const char *what)
{
    if (!rows) return;
    fprintf(fp, "<p class=\"none\" data-rest=\"%zu\">%zu further %s%s "
                "(%zu finding%s) are listed in consistency.json only.</p>\n",
            findings, rows, what, rows == 1 ? "" : "s", findings,
            findings == 1 ? "" : "s");
}

static void variant_table(FILE *fp, const bt_check *c, cursor *cur,
                          bt_check_kind kind)
{
    /* the columns before the rows: the variant kinds are held in memory */
    size_t maxv = 0;
    for (size_t i = 0; i < c->nf; i++)
        if (c->f[i].kind == kind && c->f[i].nvariants > maxv)
            maxv = c->f[i].nvariants;
    size_t total = c->count_by_kind[kind];
    int big = total > HTML_GROUP_MIN;
    size_t row = 0;
    variant_head(fp, maxv);
    for (; at_kind(cur, kind); step(cur), row++) {
        if (big && row == HTML_TOP) {
            size_t listed = (total < HTML_ROWS_MAX ? total : HTML_ROWS_MAX);
            more_open(fp, listed - HTML_TOP, listed - HTML_TOP, "concept");
            variant_head(fp, maxv);
        }
        if (!big || row < HTML_ROWS_MAX) variant_row(fp, cur->f, maxv);
    }
    fputs("</tbody></table>\n", fp);
    if (big && row > HTML_TOP) fputs("</details>\n", fp);
    if (big && row > HTML_ROWS_MAX)
        rest_note(fp, row - HTML_ROWS_MAX, row - HTML_ROWS_MAX, "concept");
}

static void person_row(FILE *fp, const bt_check_finding *f)
{
    fputs("<tr><td>", fp);
    chk_html_escape(fp, f->subject);
    for (int side = 0; side < 2; side++) {
        fputs("</td><td>", fp);
        for (size_t j = 0; j < f->nitems; j++) {
            const bt_check_item *it = &f->items[j];
            const char *t = side ? it->en : it->vi;
            if (!t) continue;
            chk_html_escape(fp, t);
            fprintf(fp, " <span class=\"place\">line %lu", it->line);
            if (it->count > 1) fprintf(fp, " (&times;%u)", it->count);
            fputs("</span><br>", fp);
        }
    }
    fputs("</td><td>", fp);
    if (f->nitems) chk_html_escape(fp, f->items[0].file);
    fputs("</td><td class=\"small\">", fp);
    chk_html_escape(fp, f->note);
    fputs("</td></tr>\n", fp);
}

static void buf_escape(bt_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': bt_buf_adds(b, "&amp;"); break;
        case '<': bt_buf_adds(b, "&lt;"); break;
        case '>': bt_buf_adds(b, "&gt;"); break;
        case '"': bt_buf_adds(b, "&quot;"); break;
        case '\'': bt_buf_adds(b, "&#39;"); break;
        default: bt_buf_addc(b, *s);
        }
    }
}

/* Findings of a per-article kind with the same titles on the same sides,
 * in one row: the titles, how many, and the first places. */
typedef struct group {
    bt_buf vi, en;           /* the titles, escaped, one per line */
    bt_buf where;            /* the first HTML_PLACES places, escaped */
    size_t count;
    size_t first;            /* order of first finding: ties keep it */
} group;

static int by_count(const void *a, const void *b)
{
    const group *x = *(const group *const *)a, *y = *(const group *const *)b;
    if (x->count != y->count) return x->count < y->count ? 1 : -1;
    return x->first < y->first ? -1 : x->first > y->first;
}

static void group_head(FILE *fp)
{
    fputs("<table class=\"sortable\"><thead><tr>", fp);
    th(fp, "Vietnamese");
    th(fp, "English");
    th(fp, "Findings");
    th(fp, "Where");
    fputs("</tr></thead>\n<tbody>\n", fp);
}

static void group_row(FILE *fp, const group *g)
{
    fprintf(fp, "<tr data-count=\"%zu\"><td>%s</td><td>%s</td>"
                "<td class=\"n\">%zu</td><td><div class=\"places\">%s",
            g->count, g->vi.ptr, g->en.ptr, g->count, g->where.ptr);
    if (g->count > HTML_PLACES)
        fprintf(fp, "<span class=\"more\">+%zu more</span>",
                g->count - HTML_PLACES);
    fputs("</div></td></tr>\n", fp);
}

static void grouped_table(FILE *fp, cursor *cur, bt_check_kind kind)
{
    bt_map keys;
    bt_map_init(&keys);
    bt_buf key;
    bt_buf_init(&key);
    group *g = NULL;
    size_t ng = 0, cap = 0, nf = 0;
    for (; at_kind(cur, kind); step(cur), nf++) {
        const bt_check_finding *f = cur->f;
        bt_buf_reset(&key);
        for (size_t j = 0; j < f->nitems; j++) {
            bt_buf_adds(&key, f->items[j].vi ? f->items[j].vi : "");
            bt_buf_addc(&key, '\x1f');
            bt_buf_adds(&key, f->items[j].en ? f->items[j].en : "");
            bt_buf_addc(&key, '\x1e');
        }
        int fresh = 0;
        size_t i = bt_map_add(&keys, key.ptr, key.len, &fresh);
        if (fresh) {
            if (ng == cap) {
                cap = cap ? 2 * cap : 64;
                g = bt_xrealloc(g, cap * sizeof *g);
            }
            group *n = &g[ng++];
            bt_buf_init(&n->vi);
            bt_buf_init(&n->en);
            bt_buf_init(&n->where);
            n->count = 0;
            n->first = nf;
            for (size_t j = 0; j < f->nitems; j++) {
                const bt_check_item *it = &f->items[j];
                if (it->vi) {
                    if (n->vi.len) bt_buf_adds(&n->vi, "<br>");
                    buf_escape(&n->vi, it->vi);
                }
                if (it->en) {
                    if (n->en.len) bt_buf_adds(&n->en, "<br>");
                    buf_escape(&n->en, it->en);
                }
            }
        }
        group *n = &g[i];
        if (n->count++ < HTML_PLACES && f->nitems) {
            bt_buf_adds(&n->where, "<span class=\"place\">");
            buf_escape(&n->where, f->items[0].file);
            bt_buf_printf(&n->where, ":%lu</span> ", f->items[0].line);
            buf_escape(&n->where, f->subject);
            bt_buf_adds(&n->where, "<br>");
        }
    }
    group **order = bt_xmalloc((ng ? ng : 1) * sizeof *order);
    for (size_t i = 0; i < ng; i++) order[i] = &g[i];
    qsort(order, ng, sizeof *order, by_count);

    fprintf(fp, "<p>%zu findings in %zu group%s: the same titles on the "
                "same sides, most frequent first.</p>\n",
            nf, ng, ng == 1 ? "" : "s");
    group_head(fp);
    size_t listed = ng < HTML_ROWS_MAX ? ng : HTML_ROWS_MAX, rest = 0;
    for (size_t i = 0; i < ng; i++) {
        if (i == HTML_TOP) {
            size_t m = 0;
            for (size_t j = HTML_TOP; j < listed; j++) m += order[j]->count;
            more_open(fp, listed - HTML_TOP, m, "group");
            group_head(fp);
        }
        if (i < listed) group_row(fp, order[i]);
        else rest += order[i]->count;
    }
    fputs("</tbody></table>\n", fp);
    if (ng > HTML_TOP) fputs("</details>\n", fp);
    rest_note(fp, ng - listed, rest, "group");

    for (size_t i = 0; i < ng; i++) {
        bt_buf_free(&g[i].vi);
        bt_buf_free(&g[i].en);
        bt_buf_free(&g[i].where);
    }
    free(order);
    free(g);
    bt_buf_free(&key);
    bt_map_free(&keys);
}

static void person_table(FILE *fp, const bt_check *c, cursor *cur,
                         bt_check_kind kind)
{
    if (c->count_by_kind[kind] > HTML_GROUP_MIN) {
        grouped_table(fp, cur, kind);
        return;
    }
    fputs("<table class=\"sortable\"><thead><tr>", fp);
    th(fp, "Person");
    th(fp, "Vietnamese");
    th(fp, "English");
    th(fp, "File");
    th(fp, "Note");
    fputs("</tr></thead>\n<tbody>\n", fp);
    for (; at_kind(cur, kind); step(cur)) person_row(fp, cur->f);
    fputs("</tbody></table>\n", fp);
}

/* Sorting: a click on a header sorts its table's body by that column,
 * numbers as numbers; a second click reverses. */
static const char script[] =
    "<script>\n"
    "(function () {\n"
    "  function key(cell) {\n"
    "    var s = cell ? cell.getAttribute('data-sort') : '';\n"
    "    if (s === null) s = cell.textContent;\n"
    "    var n = Number(s.replace(/[^0-9.]/g, ''));\n"
    "    return /^[0-9. ]+$/.test(s) && !isNaN(n) ? n : s.toLowerCase();\n"
    "  }\n"
    "  var heads = document.querySelectorAll('table.sortable th');\n"
    "  Array.prototype.forEach.call(heads, function (th) {\n"
    "    th.addEventListener('click', function () {\n"
    "      var col = Array.prototype.indexOf.call(th.parentNode.children, th);\n"
    "      var body = th.parentNode.parentNode.parentNode.tBodies[0];\n"
    "      var dir = th.getAttribute('data-dir') === 'up' ? -1 : 1;\n"
    "      th.setAttribute('data-dir', dir > 0 ? 'up' : 'down');\n"
    "      var rows = Array.prototype.slice.call(body.rows);\n"
    "      rows.sort(function (a, b) {\n"
    "        var x = key(a.cells[col]), y = key(b.cells[col]);\n"
    "        if (typeof x === 'number' && typeof y === 'number')\n"
    "          return (x - y) * dir;\n"
    "        return String(x).localeCompare(String(y)) * dir;\n"
    "      });\n"
    "      rows.forEach(function (r) { body.appendChild(r); });\n"
    "    });\n"
    "  });\n"
    "})();\n"
    "</script>\n";

static const char style[] =
    "<style>\n"
    "body { font-family: sans-serif; margin: 2em; color: #222; "
    "background: #fff; }\n"
    "h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; }\n"
    "table { border-collapse: collapse; margin: 0.5em 0; }\n"
    "th, td { border: 1px solid #bbb; padding: 0.35em 0.6em; "
    "vertical-align: top; text-align: left; }\n"
    "th { background: #eef2f7; cursor: pointer; }\n"
    "th:hover { background: #dde6f0; }\n"
    ".small, .place, .vi { font-size: 0.85em; color: #555; }\n"
    ".counts td.n { text-align: right; }\n"
    ".swatch { display: inline-block; width: 0.8em; height: 0.8em; "
    "margin-right: 0.4em; }\n"
    ".none { color: #777; font-style: italic; }\n"
    "</style>\n";

int bt_check_write_html(bt_check *c, FILE *fp)
{
    size_t n = bt_check_findings(c, NULL);
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
          "<meta charset=\"utf-8\">\n"
          "<title>bitext check: title consistency</title>\n", fp);
    fputs(style, fp);
    fputs("</head>\n<body>\n<h1>Title consistency</h1>\n", fp);
    fprintf(fp, "<p>%zu finding%s in %zu article%s.</p>\n", n,
            n == 1 ? "" : "s", c->files, c->files == 1 ? "" : "s");
    fputs("<table class=\"counts\"><thead><tr><th>Kind</th><th>Findings"
          "</th></tr></thead>\n<tbody>\n", fp);
    for (int k = 0; k < BT_CHECK_NKINDS; k++)
        fprintf(fp, "<tr><td><span class=\"swatch\" style=\"background: %s\">"
                    "</span><a href=\"#%s\">%s</a></td><td class=\"n\">%zu"
                    "</td></tr>\n",
                kind_colour[k], bt_check_kind_name((bt_check_kind)k),
                bt_check_kind_name((bt_check_kind)k), c->count_by_kind[k]);
    fputs("</tbody></table>\n", fp);
    chart(fp, c->count_by_kind);
    /* one walk: the findings come by kind, in the order of the tables */
    cursor cur = { bt_check_walk_new(c), NULL, 0 };
    step(&cur);
    for (int k = 0; k < BT_CHECK_NKINDS && cur.r >= 0; k++) {
        const char *name = bt_check_kind_name((bt_check_kind)k);
        fprintf(fp, "<h2 id=\"%s\">%s (%zu)</h2>\n<p>%s</p>\n", name, name,
                c->count_by_kind[k], kind_text[k]);
        if (!c->count_by_kind[k]) {
            fputs("<p class=\"none\">No findings.</p>\n", fp);
            continue;
        }
        if (k == BT_CHECK_TITLE_VARIANT || k == BT_CHECK_ENGLISH_VARIANT)
            variant_table(fp, c, &cur, (bt_check_kind)k);
        else
            person_table(fp, c, &cur, (bt_check_kind)k);
    }
    bt_check_walk_free(cur.w);
    if (cur.r < 0) return BT_ERR_IO;
    fputs(script, fp);
    fputs("</body>\n</html>\n", fp);
    return ferror(fp) ? BT_ERR_IO : BT_OK;
}
