/* tmx_write.c - TMX 1.4b and TBX 2008 (TBX-Basic) writers, streamed with
 * xmlTextWriter into an atomic output file. */
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

#define W(call) do { if ((call) < 0) goto fail; } while (0)
#define X(call) do { if ((call) < 0) { if (!w->x.err) w->x.err = EIO; goto fail; } } while (0)

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
    xmlTextWriterPtr t = w->x.w;
    X(xmlTextWriterStartDocument(t, "1.0", "UTF-8", NULL));
    X(xmlTextWriterStartElement(t, BAD_CAST "tmx"));
    W(bt_xw_attr(&w->x, "version", "1.4"));
    X(xmlTextWriterStartElement(t, BAD_CAST "header"));
    W(bt_xw_attr(&w->x, "creationtool", "bitext"));
    W(bt_xw_attr(&w->x, "creationtoolversion",
                 tool_version && *tool_version ? tool_version : "unknown"));
    W(bt_xw_attr(&w->x, "segtype", "sentence"));
    W(bt_xw_attr(&w->x, "o-tmf", "bitext"));
    W(bt_xw_attr(&w->x, "adminlang", "en"));
    W(bt_xw_attr(&w->x, "srclang", "vi"));
    W(bt_xw_attr(&w->x, "datatype", "plaintext"));
    W(bt_xw_attr(&w->x, "creationdate", w->date));
    X(xmlTextWriterEndElement(t));
    X(xmlTextWriterStartElement(t, BAD_CAST "body"));
    return w;
fail:;
    int e = w->x.err ? w->x.err : EIO;
    bt_xw_abort(&w->x);
    free(w);
    errno = e;
    return NULL;
}

static int prop(bt_tmx_writer *w, const char *type, const char *value)
{
    return bt_xw_elem_text(&w->x, "prop", "type", type, value);
}

int bt_tmx_writer_add(bt_tmx_writer *w, const bt_tmx_unit *u)
{
    if (!w || !u || !u->vi || !u->en) { errno = EINVAL; return -1; }
    if (w->x.err) { errno = w->x.err; return -1; }
    xmlTextWriterPtr t = w->x.w;
    char num[64];
    X(xmlTextWriterStartElement(t, BAD_CAST "tu"));
    snprintf(num, sizeof num, "%lu", ++w->next_id);
    W(bt_xw_attr(&w->x, "tuid", num));
    if (u->usagecount > 1) {
        snprintf(num, sizeof num, "%u", u->usagecount);
        W(bt_xw_attr(&w->x, "usagecount", num));
    }
    W(bt_xw_attr(&w->x, "creationdate", w->date));
    if (u->file) W(prop(w, "x-file", u->file));
    if (u->vi_line) {
        snprintf(num, sizeof num, "%lu", u->vi_line);
        W(prop(w, "x-vi-line", num));
    }
    if (u->en_line) {
        snprintf(num, sizeof num, "%lu", u->en_line);
        W(prop(w, "x-en-line", num));
    }
    if (u->score >= 0) {
        double s = u->score > 1 ? 1 : u->score;
        snprintf(num, sizeof num, "%.3f", s);
        W(prop(w, "x-score", num));
    }
    if (u->status && *u->status) W(prop(w, "x-status", u->status));
    if (u->more_sources && *u->more_sources)
        W(prop(w, "x-sources", u->more_sources));
    const char *langs[2] = { "vi", "en" };
    const char *segs[2] = { u->vi, u->en };
    for (int i = 0; i < 2; i++) {
        X(xmlTextWriterStartElement(t, BAD_CAST "tuv"));
        W(bt_xw_attr(&w->x, "xml:lang", langs[i]));
        W(bt_xw_elem_text(&w->x, "seg", NULL, NULL, segs[i]));
        X(xmlTextWriterEndElement(t));
    }
    X(xmlTextWriterEndElement(t));
    return 0;
fail:
    errno = w->x.err ? w->x.err : EIO;
    return -1;
}

int bt_tmx_writer_close(bt_tmx_writer *w)
{
    if (!w) { errno = EINVAL; return -1; }
    int rc = bt_xw_commit(&w->x); /* ends body and tmx */
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

static int tbx_lang_set(bt_xw *x, const char *lang, const char *term,
                        const char *kind)
{
    xmlTextWriterPtr t = x->w;
    if (xmlTextWriterStartElement(t, BAD_CAST "langSet") < 0) return -1;
    if (bt_xw_attr(x, "xml:lang", lang) < 0) return -1;
    if (xmlTextWriterStartElement(t, BAD_CAST "tig") < 0) return -1;
    if (bt_xw_elem_text(x, "term", NULL, NULL, term) < 0) return -1;
    if (bt_xw_elem_text(x, "termNote", "type", "partOfSpeech",
                        part_of_speech(kind)) < 0)
        return -1;
    if (xmlTextWriterEndElement(t) < 0) return -1;
    return xmlTextWriterEndElement(t) < 0 ? -1 : 0;
}

int bt_tbx_write(const char *path, const bt_tbx_entry *entries, size_t n)
{
    bt_xw xw, *x = &xw;
    if (bt_xw_open(x, path) < 0) return -1;
    xmlTextWriterPtr t = x->w;
    char num[64];
    if (xmlTextWriterStartDocument(t, "1.0", "UTF-8", NULL) < 0) goto fail;
    if (xmlTextWriterStartElement(t, BAD_CAST "martif") < 0) goto fail;
    if (bt_xw_attr(x, "type", "TBX-Basic") < 0) goto fail;
    if (bt_xw_attr(x, "xml:lang", "en") < 0) goto fail;
    if (xmlTextWriterStartElement(t, BAD_CAST "martifHeader") < 0) goto fail;
    if (xmlTextWriterStartElement(t, BAD_CAST "fileDesc") < 0) goto fail;
    if (xmlTextWriterStartElement(t, BAD_CAST "sourceDesc") < 0) goto fail;
    if (bt_xw_elem_text(x, "p", NULL, NULL,
                        "Vietnamese-English glossary of official titles, "
                        "bodies, names and places, written by bitext from "
                        "aligned news articles") < 0)
        goto fail;
    if (xmlTextWriterEndElement(t) < 0) goto fail; /* sourceDesc */
    if (xmlTextWriterEndElement(t) < 0) goto fail; /* fileDesc */
    if (xmlTextWriterStartElement(t, BAD_CAST "encodingDesc") < 0) goto fail;
    if (bt_xw_elem_text(x, "p", "type", "XCSURI", "TBXBasicXCSV02.xcs") < 0)
        goto fail;
    if (xmlTextWriterEndElement(t) < 0) goto fail; /* encodingDesc */
    if (xmlTextWriterEndElement(t) < 0) goto fail; /* martifHeader */
    if (xmlTextWriterStartElement(t, BAD_CAST "text") < 0) goto fail;
    if (xmlTextWriterStartElement(t, BAD_CAST "body") < 0) goto fail;
    for (size_t i = 0; i < n; i++) {
        const bt_tbx_entry *e = &entries[i];
        if (!e->vi || !e->en) continue;
        if (xmlTextWriterStartElement(t, BAD_CAST "termEntry") < 0) goto fail;
        snprintf(num, sizeof num, "e%zu", i + 1);
        if (bt_xw_attr(x, "id", num) < 0) goto fail;
        if (e->kind && *e->kind &&
            bt_xw_elem_text(x, "descrip", "type", "subjectField", e->kind) < 0)
            goto fail;
        if (e->sources && *e->sources &&
            bt_xw_elem_text(x, "admin", "type", "source", e->sources) < 0)
            goto fail;
        snprintf(num, sizeof num, "count: %u", e->count);
        if (bt_xw_elem_text(x, "note", NULL, NULL, num) < 0) goto fail;
        if (tbx_lang_set(x, "vi", e->vi, e->kind) < 0) goto fail;
        if (tbx_lang_set(x, "en", e->en, e->kind) < 0) goto fail;
        if (xmlTextWriterEndElement(t) < 0) goto fail;
    }
    return bt_xw_commit(x); /* closes body, text, martif */
fail:;
    int err = x->err ? x->err : EIO;
    bt_xw_abort(x);
    errno = err;
    return -1;
}
