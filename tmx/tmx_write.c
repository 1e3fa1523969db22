/* tmx_write.c - TMX 1.4b and TBX 2008 (TBX-Basic) writers, streamed into
 * an atomic output file in the layout (two-space indent) libxml2's
 * xmlTextWriter gave them. */
#define _POSIX_C_SOURCE 200809L
#include "tmx_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct bt_tmx_writer {
    bt_xw x;
    char date[20];
    unsigned long next_id;
};

/* YYYYMMDDThhmmssZ, UTC. SOURCE_DATE_EPOCH, when set, stands for "now" so
 * that golden outputs can be compared byte for byte. */
static void utc_stamp(char out[20])
{
    time_t now = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        long long v = strtoll(sde, &end, 10);
        if (*end == '\0' && v >= 0) now = (time_t)v;
    }
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 20, "%Y%m%dT%H%M%SZ", &tm);
}

static void put_ulong(bt_buf *b, unsigned long v)
{
    char tmp[24], *e = tmp + sizeof tmp, *q = e;
    do *--q = (char)('0' + v % 10); while ((v /= 10));
    bt_buf_add(b, q, (size_t)(e - q));
}

bt_tmx_writer *bt_tmx_writer_open(const char *path, const char *tool_version)
{
    bt_tmx_writer *w = bt_xcalloc(1, sizeof *w);
    if (bt_xw_open(&w->x, path) < 0) {
        int e = errno;
        free(w);
        errno = e;
        return NULL;
    }
    utc_stamp(w->date);
    bt_xw *x = &w->x;
    bt_xw_raw(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<tmx version=\"1.4\">\n"
                 "  <header creationtool=\"bitext\" creationtoolversion=\"");
    bt_xw_attr_value(x, tool_version && *tool_version ? tool_version : "unknown");
    bt_xw_raw(x, "\" segtype=\"sentence\" o-tmf=\"bitext\" adminlang=\"en\" srclang=\"vi\""
                 " datatype=\"plaintext\" creationdate=\"");
    bt_xw_raw(x, w->date);
    bt_xw_raw(x, "\"/>\n"
                 "  <body");
    /* ">" once a unit follows; "/>" at the end if none did */
    return w;
}

static void prop(bt_xw *x, const char *type, const char *value)
{
    bt_xw_elem_text(x, 3, "prop", "type", type, value);
}

static void prop_ulong(bt_xw *x, const char *type, unsigned long v)
{
    bt_buf_add(&x->buf, "      <prop type=\"", 18);
    bt_buf_adds(&x->buf, type);
    bt_buf_add(&x->buf, "\">", 2);
    put_ulong(&x->buf, v);
    bt_buf_add(&x->buf, "</prop>\n", 8);
}

int bt_tmx_writer_add(bt_tmx_writer *w, const bt_tmx_unit *u)
{
    if (!w || !u || !u->vi || !u->en) { errno = EINVAL; return -1; }
    if (w->x.err) { errno = w->x.err; return -1; }
    bt_xw *x = &w->x;
    bt_buf *b = &x->buf;
    bt_xw_raw(x, w->next_id ? "    <tu tuid=\"" : ">\n    <tu tuid=\"");
    put_ulong(b, ++w->next_id);
    if (u->usagecount > 1) {
        bt_xw_raw(x, "\" usagecount=\"");
        put_ulong(b, u->usagecount);
    }
    bt_xw_raw(x, "\" creationdate=\"");
    bt_xw_raw(x, w->date);
    bt_xw_raw(x, "\">\n");
    if (u->file) prop(x, "x-file", u->file);
    if (u->vi_line) prop_ulong(x, "x-vi-line", u->vi_line);
    if (u->en_line) prop_ulong(x, "x-en-line", u->en_line);
    if (u->score >= 0) {
        char num[64];
        double s = u->score > 1 ? 1 : u->score;
        snprintf(num, sizeof num, "%.3f", s);
        prop(x, "x-score", num);
    }
    if (u->status && *u->status) prop(x, "x-status", u->status);
    if (u->more_sources && *u->more_sources) prop(x, "x-sources", u->more_sources);
    bt_xw_raw(x, "      <tuv xml:lang=\"vi\">\n");
    bt_xw_elem_text(x, 4, "seg", NULL, NULL, u->vi);
    bt_xw_raw(x, "      </tuv>\n"
                 "      <tuv xml:lang=\"en\">\n");
    bt_xw_elem_text(x, 4, "seg", NULL, NULL, u->en);
    bt_xw_raw(x, "      </tuv>\n"
                 "    </tu>\n");
    return bt_xw_flush(x);
}

int bt_tmx_writer_close(bt_tmx_writer *w)
{
    if (!w) { errno = EINVAL; return -1; }
    bt_xw_raw(&w->x, w->next_id ? "  </body>\n</tmx>\n" : "/>\n</tmx>\n");
    int rc = bt_xw_commit(&w->x);
    int e = errno;
    free(w);
    errno = e;
    return rc;
}

void bt_tmx_writer_abort(bt_tmx_writer *w)
{
    if (!w) return;
    bt_xw_abort(&w->x);
    free(w);
}

/* ---- TBX ---------------------------------------------------------------- */

static const char *part_of_speech(const char *kind)
{
    if (kind && (!strcmp(kind, "name") || !strcmp(kind, "place")))
        return "properNoun";
    return "noun";
}

static void tbx_lang_set(bt_xw *x, const char *lang, const char *term,
                         const char *kind)
{
    bt_xw_raw(x, "        <langSet xml:lang=\"");
    bt_xw_raw(x, lang);
    bt_xw_raw(x, "\">\n"
                 "          <tig>\n");
    bt_xw_elem_text(x, 6, "term", NULL, NULL, term);
    bt_xw_elem_text(x, 6, "termNote", "type", "partOfSpeech", part_of_speech(kind));
    bt_xw_raw(x, "          </tig>\n"
                 "        </langSet>\n");
}

int bt_tbx_write(const char *path, const bt_tbx_entry *entries, size_t n)
{
    bt_xw xw, *x = &xw;
    if (bt_xw_open(x, path) < 0) return -1;
    bt_xw_raw(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<martif type=\"TBX-Basic\" xml:lang=\"en\">\n"
                 "  <martifHeader>\n"
                 "    <fileDesc>\n"
                 "      <sourceDesc>\n"
                 "        <p>Vietnamese-English glossary of official titles, "
                 "bodies, names and places, written by bitext from aligned news "
                 "articles</p>\n"
                 "      </sourceDesc>\n"
                 "    </fileDesc>\n"
                 "    <encodingDesc>\n"
                 "      <p type=\"XCSURI\">TBXBasicXCSV02.xcs</p>\n"
                 "    </encodingDesc>\n"
                 "  </martifHeader>\n"
                 "  <text>\n"
                 "    <body");
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        const bt_tbx_entry *e = &entries[i];
        if (!e->vi || !e->en) continue;
        bt_xw_raw(x, any ? "      <termEntry id=\"e" : ">\n      <termEntry id=\"e");
        any = 1;
        put_ulong(&x->buf, (unsigned long)(i + 1));
        bt_xw_raw(x, "\">\n");
        if (e->kind && *e->kind)
            bt_xw_elem_text(x, 4, "descrip", "type", "subjectField", e->kind);
        if (e->sources && *e->sources)
            bt_xw_elem_text(x, 4, "admin", "type", "source", e->sources);
        bt_xw_raw(x, "        <note>count: ");
        put_ulong(&x->buf, e->count);
        bt_xw_raw(x, "</note>\n");
        tbx_lang_set(x, "vi", e->vi, e->kind);
        tbx_lang_set(x, "en", e->en, e->kind);
        bt_xw_raw(x, "      </termEntry>\n");
        if (bt_xw_flush(x) < 0) {
            int err = errno;
            bt_xw_abort(x);
            errno = err;
            return -1;
        }
    }
    bt_xw_raw(x, any ? "    </body>\n  </text>\n</martif>\n" : "/>\n  </text>\n</martif>\n");
    return bt_xw_commit(x);
}
