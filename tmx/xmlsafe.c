/* xmlsafe.c - the one safe way bitext opens XML for reading, and the one
 * place where libxml2 errors are turned into bt_diag reports. */
#define _POSIX_C_SOURCE 200809L
#include "tmx_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlIO.h>
#include <zlib.h>

/* Errors beyond this many per file are counted, not reported. */
#define MAX_REPORTED 20

/* ---- libxml2 process state ------------------------------------------ */

/* No DTD, entity or XInclude is ever loaded from anywhere: whatever asks
 * for one gets nothing, whatever the parser options. */
static xmlParserInputPtr refuse_loader(const char *url, const char *id,
                                       xmlParserCtxtPtr ctxt)
{
    (void)url; (void)id; (void)ctxt;
    return NULL;
}

static void swallow_generic(void *ctx, const char *msg, ...)
{
    (void)ctx; (void)msg;
}

static void swallow_structured(void *ctx, xmlErrorPtr err)
{
    (void)ctx; (void)err;
}

void tmx_xml_init(void)
{
    xmlInitParser();
    xmlSetExternalEntityLoader(refuse_loader);
    /* Per thread in libxml2: set each time, it costs nothing. */
    xmlSetGenericErrorFunc(NULL, swallow_generic);
    xmlSetStructuredErrorFunc(NULL, swallow_structured);
}

int tmx_lang_is(const char *code, const char *primary)
{
    if (!code) return 0;
    size_t n = strlen(primary);
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)code[i]) != tolower((unsigned char)primary[i]))
            return 0;
    return code[n] == '\0' || code[n] == '-' || code[n] == '_';
}

/* ---- reading ---------------------------------------------------------- */

static void report_v(tmx_xr *r, int code, int is_warning, unsigned long line,
                     const char *fmt, va_list ap)
{
    if (!is_warning) r->nerrors++;
    if (!is_warning && r->nerrors == MAX_REPORTED + 1) {
        bt_report(r->diag, r->dud, code, 0, r->path, line,
                  "too many errors, the rest are not shown");
        return;
    }
    if (!is_warning && r->nerrors > MAX_REPORTED) return;
    char msg[400];
    vsnprintf(msg, sizeof msg, fmt, ap);
    bt_report(r->diag, r->dud, code, is_warning, r->path, line, "%s", msg);
}

static void report(tmx_xr *r, int code, int is_warning, unsigned long line,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void report(tmx_xr *r, int code, int is_warning, unsigned long line,
                   const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_v(r, code, is_warning, line, fmt, ap);
    va_end(ap);
}

/* libxml2's parser errors, translated: message without its newline, the
 * line where the parser stood, warnings kept as warnings. */
static void on_xml_error(void *arg, xmlErrorPtr e)
{
    tmx_xr *r = arg;
    if (!e) return;
    char msg[300];
    const char *m = e->message ? e->message : "XML error";
    size_t n = strlen(m);
    while (n && (m[n - 1] == '\n' || m[n - 1] == ' ')) n--;
    if (n >= sizeof msg) n = sizeof msg - 1;
    memcpy(msg, m, n);
    msg[n] = '\0';
    for (char *c = msg; *c; c++) /* "...encoding !\nBytes: 0xE9..." */
        if (*c == '\n') *c = ' ';
    int warn = e->level == XML_ERR_WARNING;
    int code = e->domain == XML_FROM_IO ? BT_ERR_IO : BT_ERR_FORMAT;
    /* After a fatal error the parser's further messages are its echoes
     * (a billion-laughs file gives one per entity): count, don't repeat. */
    if (r->fatal_seen) {
        if (!warn) r->nerrors++;
        return;
    }
    if (e->level == XML_ERR_FATAL) r->fatal_seen = 1;
    if (!warn && r->status == BT_OK) r->status = code;
    unsigned long line = e->line > 0 ? (unsigned long)e->line : 0;
    if (!line && r->rd) line = (unsigned long)xmlTextReaderGetParserLineNumber(r->rd);
    report(r, code, warn, line, "%s", msg);
}

static int gz_read_cb(void *ctx, char *buf, int len)
{
    int n = gzread((gzFile)ctx, buf, (unsigned)len);
    return n < 0 ? -1 : n;
}

static int gz_close_cb(void *ctx)
{
    return gzclose((gzFile)ctx) == Z_OK ? 0 : -1;
}

/* The only call that creates a libxml2 reader in bitext. Options: no
 * network; never NOENT (entities stay unexpanded), never DTDLOAD, DTDATTR or
 * DTDVALID, never HUGE (keep libxml2's own size limits). */
static xmlTextReaderPtr open_reader(tmx_xr *r, gzFile gz)
{
    const int opts = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOXINCNODE;
    /* Errors raised while the first bytes are parsed reach the thread's
     * handler, before the reader has its own. */
    xmlSetStructuredErrorFunc(r, on_xml_error);
    xmlTextReaderPtr rd = xmlReaderForIO(gz_read_cb, gz_close_cb, gz, r->path,
                                         NULL, opts);
    xmlSetStructuredErrorFunc(NULL, swallow_structured);
    if (rd) xmlTextReaderSetStructuredErrorHandler(rd, on_xml_error, r);
    return rd;
}

tmx_xr *tmx_xr_open(const char *path, bt_diag_fn diag, void *dud)
{
    tmx_xml_init();
    tmx_xr *r = bt_xcalloc(1, sizeof *r);
    r->path = bt_xstrdup(path);
    r->diag = diag;
    r->dud = dud;
    gzFile gz;
    if (!strcmp(path, "-")) {
        int fd = dup(0);
        gz = fd >= 0 ? gzdopen(fd, "rb") : NULL;
        if (!gz && fd >= 0) close(fd);
    } else {
        gz = gzopen(path, "rb");
    }
    if (!gz) {
        int e = errno ? errno : ENOMEM;
        report(r, BT_ERR_IO, 0, 0, "cannot open: %s", strerror(e));
        tmx_xr_close(r);
        return NULL;
    }
    gzbuffer(gz, 64 * 1024);
    r->rd = open_reader(r, gz); /* closes gz on failure */
    if (!r->rd) {
        if (r->nerrors == 0)
            report(r, BT_ERR_FORMAT, 0, 0, "cannot read as XML");
        tmx_xr_close(r);
        return NULL;
    }
    return r;
}

void tmx_xr_close(tmx_xr *r)
{
    if (!r) return;
    if (r->rd) xmlFreeTextReader(r->rd);
    free(r->path);
    free(r);
}

static int fail(tmx_xr *r, int code)
{
    if (r->status == BT_OK) r->status = code;
    return r->status;
}

/* A DOCTYPE may name a DTD (it is never loaded) but may not declare
 * entities: that is how XXE and billion-laughs files start. */
static int dtd_declares_entities(xmlNodePtr node)
{
    xmlDtdPtr dtd = (xmlDtdPtr)node;
    if (dtd->entities || dtd->pentities) return 1;
    for (xmlNodePtr c = dtd->children; c; c = c->next)
        if (c->type == XML_ENTITY_DECL) return 1;
    return 0;
}

int tmx_xr_next(tmx_xr *r)
{
    if (r->status != BT_OK) return r->status;
    int rc = xmlTextReaderRead(r->rd);
    if (rc < 0 || r->status != BT_OK) {
        if (r->status == BT_OK)
            report(r, BT_ERR_FORMAT, 0, tmx_xr_line(r), "malformed XML");
        return fail(r, BT_ERR_FORMAT);
    }
    if (rc == 0) return 0;
    int type = xmlTextReaderNodeType(r->rd);
    if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
        /* Not xmlTextReaderCurrentDoc: it would keep the document alive. */
        xmlNodePtr n = xmlTextReaderCurrentNode(r->rd);
        xmlDocPtr doc = n ? n->doc : NULL;
        if ((n && n->type == XML_DTD_NODE && dtd_declares_entities(n)) ||
            (doc && doc->intSubset &&
             dtd_declares_entities((xmlNodePtr)doc->intSubset))) {
            report(r, BT_ERR_FORMAT, 0, tmx_xr_line(r),
                   "DOCTYPE declares entities: refused (entities are never "
                   "expanded)");
            return fail(r, BT_ERR_FORMAT);
        }
    } else if (type == XML_READER_TYPE_ENTITY_REFERENCE ||
               type == XML_READER_TYPE_ENTITY) {
        report(r, BT_ERR_FORMAT, 0, tmx_xr_line(r),
               "entity reference refused");
        return fail(r, BT_ERR_FORMAT);
    }
    int depth = xmlTextReaderDepth(r->rd);
    if (depth >= BT_XML_MAX_DEPTH) {
        report(r, BT_ERR_LIMIT, 0, tmx_xr_line(r),
               "elements nested deeper than %d levels", BT_XML_MAX_DEPTH);
        return fail(r, BT_ERR_LIMIT);
    }
    if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
        type == XML_READER_TYPE_WHITESPACE ||
        type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
        const xmlChar *v = xmlTextReaderConstValue(r->rd);
        if (v && strlen((const char *)v) > BT_XML_MAX_TEXT) {
            report(r, BT_ERR_LIMIT, 0, tmx_xr_line(r),
                   "text longer than %u bytes", BT_XML_MAX_TEXT);
            return fail(r, BT_ERR_LIMIT);
        }
    }
    return 1;
}

unsigned long tmx_xr_line(tmx_xr *r)
{
    xmlNodePtr n = xmlTextReaderCurrentNode(r->rd);
    long line = n ? xmlGetLineNo(n) : -1;
    if (line <= 0) line = xmlTextReaderGetParserLineNumber(r->rd);
    return line > 0 ? (unsigned long)line : 0;
}

void tmx_xr_report(tmx_xr *r, int code, int is_warning, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_v(r, code, is_warning, tmx_xr_line(r), fmt, ap);
    va_end(ap);
}

int tmx_xr_type(tmx_xr *r) { return xmlTextReaderNodeType(r->rd); }

const char *tmx_xr_name(tmx_xr *r)
{
    const xmlChar *n = xmlTextReaderConstLocalName(r->rd);
    return n ? (const char *)n : "";
}

const char *tmx_xr_value(tmx_xr *r)
{
    return (const char *)xmlTextReaderConstValue(r->rd);
}

int tmx_xr_is_empty(tmx_xr *r) { return xmlTextReaderIsEmptyElement(r->rd) == 1; }
int tmx_xr_depth(tmx_xr *r) { return xmlTextReaderDepth(r->rd); }

char *tmx_xr_attr(tmx_xr *r, const char *name)
{
    xmlChar *v;
    if (!strncmp(name, "xml:", 4))
        v = xmlTextReaderGetAttributeNs(r->rd, (const xmlChar *)name + 4,
                                        XML_XML_NAMESPACE);
    else
        v = xmlTextReaderGetAttribute(r->rd, (const xmlChar *)name);
    if (!v) return NULL;
    char *s = bt_xstrdup((const char *)v);
    xmlFree(v);
    return s;
}
