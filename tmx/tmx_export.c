/* tmx_export.c - a memory's units as other tools read them: a bilingual
 * table (TSV: vi, en, score, status, file, lines; or the same as an XLSX
 * workbook through libxlsxwriter) for spreadsheets, and XLIFF 1.2 for CAT
 * tools that take no TMX. TSV and XLIFF are streamed into an atomic output
 * file, like the TMX writer; the workbook is written by libxlsxwriter when
 * it closes, to a temporary name renamed into place. */
#include "tmx_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

struct bt_tmx_export {
    tmx_xw x;
    int format;
    unsigned long n;
    lxw_workbook *wb;    /* XLSX */
    lxw_worksheet *ws;
    lxw_format *bold;
    char *path, *tmp;    /* XLSX: the final name and the one written */
    bt_buf cell;
};

/* ---- XLSX --------------------------------------------------------------- */

/* What a cell may hold: no C0 control but TAB and LF (the XML inside the
 * workbook could not), at most 32,767 bytes (Excel's limit), cut at a
 * character. */
static const char *cell_text(bt_tmx_export *e, const char *s)
{
    bt_buf_reset(&e->cell);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 && c != '\t' && c != '\n') continue;
        bt_buf_addc(&e->cell, (char)c);
    }
    if (e->cell.len > 32767) {
        size_t n = 32767;
        while (n && ((unsigned char)e->cell.ptr[n] & 0xC0) == 0x80) n--;
        e->cell.ptr[n] = '\0';
        e->cell.len = n;
    }
    return e->cell.ptr;
}

static int xlsx_open(bt_tmx_export *e, const char *path)
{
    e->path = bt_xstrdup(path);
    bt_buf t;
    bt_buf_init(&t);
    const char *slash = strrchr(path, '/');
    if (slash) bt_buf_add(&t, path, (size_t)(slash - path + 1));
    bt_buf_printf(&t, ".%s.tmp.%ld", slash ? slash + 1 : path, (long)getpid());
    e->tmp = bt_buf_detach(&t);
    lxw_workbook_options o = { .constant_memory = LXW_TRUE, .tmpdir = NULL };
    e->wb = workbook_new_opt(e->tmp, &o);
    if (!e->wb) return -1;
    e->ws = workbook_add_worksheet(e->wb, "memory");
    e->bold = workbook_add_format(e->wb);
    if (!e->ws || !e->bold) return -1;
    format_set_bold(e->bold);
    static const char *const head[] = { "vi", "en", "score", "status", "file", "lines" };
    for (lxw_col_t c = 0; c < 6; c++)
        if (worksheet_write_string(e->ws, 0, c, head[c], e->bold) != LXW_NO_ERROR) return -1;
    worksheet_set_column(e->ws, 0, 1, 60, NULL);
    worksheet_freeze_panes(e->ws, 1, 0);
    return 0;
}

static int add_xlsx(bt_tmx_export *e, const bt_tmx_unit *u, const char *st)
{
    lxw_row_t r = (lxw_row_t)++e->n;
    if (e->n > 1048575) { errno = EFBIG; return -1; } /* Excel's last row */
    int bad = 0;
    bad |= worksheet_write_string(e->ws, r, 0, cell_text(e, u->vi), NULL) != LXW_NO_ERROR;
    bad |= worksheet_write_string(e->ws, r, 1, cell_text(e, u->en), NULL) != LXW_NO_ERROR;
    if (u->score >= 0)
        bad |= worksheet_write_number(e->ws, r, 2, floor(u->score * 1000 + 0.5) / 1000,
                                      NULL) != LXW_NO_ERROR;
    if (*st) bad |= worksheet_write_string(e->ws, r, 3, cell_text(e, st), NULL) != LXW_NO_ERROR;
    if (u->file)
        bad |= worksheet_write_string(e->ws, r, 4, cell_text(e, u->file), NULL) != LXW_NO_ERROR;
    if (u->vi_line || u->en_line) {
        char lines[48];
        snprintf(lines, sizeof lines, "%lu:%lu", u->vi_line, u->en_line);
        bad |= worksheet_write_string(e->ws, r, 5, lines, NULL) != LXW_NO_ERROR;
    }
    if (bad) { errno = EIO; return -1; }
    return 0;
}

/* Write the workbook and rename it into place (commit), or drop it. */
static int xlsx_close(bt_tmx_export *e, int commit)
{
    int rc = 0;
    if (e->wb && workbook_close(e->wb) != LXW_NO_ERROR) {
        rc = -1;
        errno = EIO;
    }
    e->wb = NULL;
    if (rc == 0 && commit && rename(e->tmp, e->path) != 0) rc = -1;
    int err = errno;
    if (rc != 0 || !commit) unlink(e->tmp);
    errno = err;
    return commit ? rc : 0;
}

static void export_free(bt_tmx_export *e)
{
    free(e->path);
    free(e->tmp);
    bt_buf_free(&e->cell);
    free(e);
}

int bt_tmx_export_format_parse(const char *name)
{
    if (!name) return -1;
    if (!strcmp(name, "tsv")) return BT_TMX_EXPORT_TSV;
    if (!strcmp(name, "xliff") || !strcmp(name, "xlf")) return BT_TMX_EXPORT_XLIFF;
    if (!strcmp(name, "xlsx")) return BT_TMX_EXPORT_XLSX;
    return -1;
}

const char *bt_tmx_export_ext(int format)
{
    return format == BT_TMX_EXPORT_XLIFF ? "xlf" : format == BT_TMX_EXPORT_XLSX ? "xlsx" : "tsv";
}

/* A TSV field: tabs and line breaks would break the row; what XML would
 * not hold is not written either (the same text as the memory's). At most
 * len bytes. */
static char *tsv_field(char *o, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\t' || c == '\n' || c == '\r') *o++ = ' ';
        else if (c >= 0x20) *o++ = (char)c;
        /* other C0 controls are dropped, as the XML writers drop them */
    }
    return o;
}

/* "%.3f" of a score; at most 32 bytes. */
static char *put_score(char *o, double s)
{
    char num[32];
    int n = snprintf(num, sizeof num, "%.3f", s > 1 ? 1.0 : s);
    if (n < 0 || (size_t)n >= sizeof num) n = 0;
    memcpy(o, num, (size_t)n);
    return o + n;
}

/* What a unit's status is: x-status as written, else "accepted" for a unit
 * bitext scored (align writes no x-status for accepted pairs), else none. */
static const char *status_of(const bt_tmx_unit *u)
{
    if (u->status && *u->status) return u->status;
    return u->score >= 0 ? "accepted" : "";
}

bt_tmx_export *bt_tmx_export_open(const char *path, int format, const char *lang_vi,
                                  const char *lang_en, const char *original)
{
    if (format != BT_TMX_EXPORT_TSV && format != BT_TMX_EXPORT_XLIFF &&
        format != BT_TMX_EXPORT_XLSX) {
        errno = EINVAL;
        return NULL;
    }
    bt_tmx_export *e = bt_xcalloc(1, sizeof *e);
    e->format = format;
    bt_buf_init(&e->cell);
    if (format == BT_TMX_EXPORT_XLSX) {
        if (xlsx_open(e, path) == 0) return e;
        int err = errno ? errno : EIO;
        xlsx_close(e, 0);
        export_free(e);
        errno = err;
        return NULL;
    }
    if (tmx_xw_open(&e->x, path) < 0) {
        int err = errno;
        free(e);
        errno = err;
        return NULL;
    }
    if (format == BT_TMX_EXPORT_TSV) {
        tmx_xw_raw(&e->x, "vi\ten\tscore\tstatus\tfile\tlines\n");
        return e;
    }
    const char *lv = lang_vi && bt_tmx_lang_ok(lang_vi) ? lang_vi : "vi";
    const char *le = lang_en && bt_tmx_lang_ok(lang_en) ? lang_en : "en";
    const char *orig = original && *original ? original : "memory.tmx";
    size_t lo = strlen(orig);
    char *o = tmx_xw_reserve(&e->x, TMX_XW_ESC_MAX(lo) + 512);
    o = TMX_XW_LIT(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n"
                     "  <file original=\"");
    o = tmx_xw_escape(o, orig, lo, 1);
    o = TMX_XW_LIT(o, "\" source-language=\"");
    memcpy(o, lv, strlen(lv));
    o += strlen(lv);
    o = TMX_XW_LIT(o, "\" target-language=\"");
    memcpy(o, le, strlen(le));
    o += strlen(le);
    o = TMX_XW_LIT(o, "\" datatype=\"plaintext\" tool-id=\"bitext\">\n"
                     "    <header>\n"
                     "      <tool tool-id=\"bitext\" tool-name=\"bitext\"/>\n"
                     "    </header>\n"
                     "    <body>\n");
    tmx_xw_done(&e->x, o);
    return e;
}

static int add_tsv(bt_tmx_export *e, const bt_tmx_unit *u)
{
    size_t lvi = strlen(u->vi), len = strlen(u->en);
    const char *st = status_of(u);
    size_t lst = strlen(st), lf = u->file ? strlen(u->file) : 0;
    char *o = tmx_xw_reserve(&e->x, lvi + len + lst + lf + 128);
    o = tsv_field(o, u->vi, lvi);
    *o++ = '\t';
    o = tsv_field(o, u->en, len);
    *o++ = '\t';
    if (u->score >= 0) o = put_score(o, u->score);
    *o++ = '\t';
    o = tsv_field(o, st, lst);
    *o++ = '\t';
    o = tsv_field(o, u->file ? u->file : "", lf);
    *o++ = '\t';
    /* the lines of each side, as x-sources writes a place */
    if (u->vi_line || u->en_line) {
        o = tmx_xw_ulong(o, u->vi_line);
        *o++ = ':';
        o = tmx_xw_ulong(o, u->en_line);
    }
    *o++ = '\n';
    tmx_xw_done(&e->x, o);
    return tmx_xw_flush(&e->x);
}

static int add_xliff(bt_tmx_export *e, const bt_tmx_unit *u)
{
    size_t lvi = strlen(u->vi), len = strlen(u->en);
    const char *st = status_of(u);
    size_t lst = strlen(st), lf = u->file ? strlen(u->file) : 0;
    char *o = tmx_xw_reserve(&e->x, TMX_XW_ESC_MAX(lvi + len + lst + lf) + 1024);
    o = TMX_XW_LIT(o, "      <trans-unit id=\"");
    o = tmx_xw_ulong(o, ++e->n);
    /* a translation bitext accepted is approved; a partial one is not */
    o = strcmp(st, "accepted") ? TMX_XW_LIT(o, "\" approved=\"no\">\n")
                               : TMX_XW_LIT(o, "\" approved=\"yes\">\n");
    o = TMX_XW_LIT(o, "        <source xml:space=\"preserve\">");
    o = tmx_xw_escape(o, u->vi, lvi, 0);
    o = TMX_XW_LIT(o, "</source>\n"
                     "        <target xml:space=\"preserve\" state=\"");
    o = strcmp(st, "accepted") ? TMX_XW_LIT(o, "needs-review-translation\">")
                               : TMX_XW_LIT(o, "translated\">");
    o = tmx_xw_escape(o, u->en, len, 0);
    o = TMX_XW_LIT(o, "</target>\n");
    if (lf || u->score >= 0 || lst) {
        o = TMX_XW_LIT(o, "        <note from=\"bitext\">");
        if (lf) {
            o = tmx_xw_escape(o, u->file, lf, 0);
            *o++ = ':';
            o = tmx_xw_ulong(o, u->vi_line);
            o = TMX_XW_LIT(o, ", ");
        }
        if (u->score >= 0) {
            o = TMX_XW_LIT(o, "score ");
            o = put_score(o, u->score);
            if (lst) o = TMX_XW_LIT(o, ", ");
        }
        o = tmx_xw_escape(o, st, lst, 0);
        o = TMX_XW_LIT(o, "</note>\n");
    }
    o = TMX_XW_LIT(o, "      </trans-unit>\n");
    tmx_xw_done(&e->x, o);
    return tmx_xw_flush(&e->x);
}

int bt_tmx_export_add(bt_tmx_export *e, const bt_tmx_unit *u)
{
    if (!e || !u || !u->vi || !u->en) { errno = EINVAL; return -1; }
    if (e->format == BT_TMX_EXPORT_XLSX) return add_xlsx(e, u, status_of(u));
    if (e->x.err) { errno = e->x.err; return -1; }
    return e->format == BT_TMX_EXPORT_TSV ? add_tsv(e, u) : add_xliff(e, u);
}

int bt_tmx_export_close(bt_tmx_export *e)
{
    if (!e) { errno = EINVAL; return -1; }
    if (e->format == BT_TMX_EXPORT_XLSX) {
        int r = xlsx_close(e, 1);
        int err = errno;
        export_free(e);
        errno = err;
        return r;
    }
    if (e->format == BT_TMX_EXPORT_XLIFF) {
        /* XLIFF's body may be empty, its file may not be left open */
        tmx_xw_raw(&e->x, "    </body>\n  </file>\n</xliff>\n");
    }
    int rc = tmx_xw_commit(&e->x);
    int err = errno;
    export_free(e);
    errno = err;
    return rc;
}

void bt_tmx_export_abort(bt_tmx_export *e)
{
    if (!e) return;
    if (e->format == BT_TMX_EXPORT_XLSX) xlsx_close(e, 0);
    else tmx_xw_abort(&e->x);
    export_free(e);
}

int bt_tmx_store_export(const bt_tmx_store *s, const char *path, int format,
                        const bt_tmx_write_opts *opts, const char *original)
{
    double min = opts ? opts->min_score : 0;
    bt_tmx_export *e = bt_tmx_export_open(path, format, opts ? opts->lang_vi : NULL,
                                          opts ? opts->lang_en : NULL, original);
    if (!e) return -1;
    bt_buf sources;
    bt_buf_init(&sources);
    for (size_t i = 0; i < bt_tmx_store_size(s); i++) {
        bt_tmx_unit u;
        bt_tmx_store_get(s, i, &u, &sources);
        if (!bt_tmx_score_kept(u.score, min)) continue;
        if (bt_tmx_export_add(e, &u) != 0) {
            int err = errno;
            bt_tmx_export_abort(e);
            bt_buf_free(&sources);
            errno = err;
            return -1;
        }
    }
    bt_buf_free(&sources);
    return bt_tmx_export_close(e);
}
