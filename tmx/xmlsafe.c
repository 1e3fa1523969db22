/* xmlsafe.c - the one safe way bitext opens XML for reading, and the one
 * place where libxml2 errors are turned into bt_diag reports. */
#define _POSIX_C_SOURCE 200809L
#include "tmx_int.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
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
    if (e->code == XML_ERR_NO_MEMORY) /* "Memory allocation failed : xmlSAX2Characters" */
        snprintf(msg, sizeof msg, "out of memory (libxml2)");
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

/* ---- the bytes libxml2 reads ------------------------------------------ *
 * A file (or stdin), inflated here when gzip'd (one member or several; what
 * follows the last is warned about, as for articles), and scanned as it
 * arrives, before libxml2 parses it, against bt_limits: libxml2 would
 * build a 10 MB attribute before saying "Huge input lookup", and checks
 * duplicate attributes in quadratic time. The scan knows only enough XML
 * to tell text, tags, attribute values, comments, CDATA, processing
 * instructions and declarations apart; UTF-16 is scanned unit by unit. */

enum { S_PROLOG, S_TEXT, S_LT, S_TAG, S_ATTR, S_BANG, S_BANG_DASH, S_COMMENT,
       S_CDATA, S_PI, S_DECL };

typedef struct xml_src {
    tmx_xr *r;
    int fd;
    unsigned char *in;        /* compressed bytes (or the first raw ones) */
    size_t in_len, in_off;
    int eof;
    int gz, in_member, gz_done, zs_live;
    z_stream zs;
    unsigned long long in_total; /* bytes read from the file */
    /* the scan */
    unsigned long long total;
    unsigned long line;
    int started;              /* the first bytes (BOM, UTF-16) looked at */
    int utf16;                /* 0, 1 little-endian, 2 big-endian */
    int have_half;
    unsigned char half;
    int state, quote, marks, depth;
    size_t run, nattrs;
    size_t raw_text_max;      /* text as written: twice the bound, for entities */
    int failed;
    unsigned char head[4096]; /* the first bytes, scanned at open (libxml2's
                                 first read asks for 4), handed out first */
    size_t head_len, head_off;
} xml_src;

#define SRC_CHUNK (64 * 1024)

static ssize_t src_fill(xml_src *s)
{
    for (;;) {
        ssize_t n = read(s->fd, s->in, SRC_CHUNK);
        if (n < 0 && errno == EINTR) continue;
        if (n >= 0) {
            s->in_total += (unsigned long long)n;
            s->in_len = (size_t)n;
            s->in_off = 0;
            if (n == 0) s->eof = 1;
        }
        return n;
    }
}

/* A problem with the bytes, at line (0: the whole file) of file (NULL: a
 * message that names the file itself): reported once, the parser's echoes
 * dropped. */
static void src_fail_v(xml_src *s, int code, const char *file, unsigned long line,
                       const char *fmt, va_list ap)
{
    tmx_xr *r = s->r;
    s->failed = 1;
    if (r->fatal_seen) return;
    char msg[400];
    vsnprintf(msg, sizeof msg, fmt, ap);
    r->nerrors++;
    r->fatal_seen = 1;
    if (r->status == BT_OK) r->status = code;
    bt_report(r->diag, r->dud, code, 0, file, line, "%s", msg);
}

static void src_fail(xml_src *s, int code, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void src_fail(xml_src *s, int code, unsigned long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    src_fail_v(s, code, s->r->path, line, fmt, ap);
    va_end(ap);
}

static void src_fail_at(xml_src *s, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void src_fail_at(xml_src *s, const char *file, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    src_fail_v(s, BT_ERR_FORMAT, file, 0, fmt, ap);
    va_end(ap);
}

/* "not a TMX file: 'F' looks like plain text": what the file is, not
 * libxml2's "Document is empty"; the message names the file itself. */
static void src_not_kind(xml_src *s, const char *what)
{
    src_fail_at(s, NULL, "not a %s file: '%s' %s", s->r->kind, s->r->path, what);
}

static int src_inflate(xml_src *s, unsigned char *out, size_t len)
{
    s->zs.next_out = out;
    s->zs.avail_out = (uInt)len;
    while (s->zs.avail_out == len && !s->gz_done) {
        if (s->zs.avail_in == 0 && !s->eof) {
            ssize_t n = src_fill(s);
            if (n < 0) {
                src_fail(s, BT_ERR_IO, 0, "read error (%s)", strerror(errno));
                return -1;
            }
            s->zs.next_in = s->in;
            s->zs.avail_in = (uInt)n;
        }
        if (!s->in_member) {
            if (s->zs.avail_in == 0) {
                if (s->eof) s->gz_done = 1;
                continue;
            }
            if (s->zs.next_in[0] != 0x1f) {
                bt_report(s->r->diag, s->r->dud, BT_ERR_FORMAT, 1, s->r->path, 0,
                          "trailing garbage after gzip data ignored");
                s->gz_done = 1;
                break;
            }
            inflateReset(&s->zs); /* another member, as `cat a.gz b.gz` makes */
            s->in_member = 1;
        }
        if (s->zs.avail_in == 0 && s->eof) {
            src_fail(s, BT_ERR_FORMAT, 0, "truncated gzip data");
            return -1;
        }
        int zr = inflate(&s->zs, Z_NO_FLUSH);
        if (zr == Z_STREAM_END) {
            s->in_member = 0;
        } else if (zr == Z_DATA_ERROR || zr == Z_NEED_DICT) {
            src_fail(s, BT_ERR_FORMAT, 0, "corrupt gzip data (%s)",
                     s->zs.msg ? s->zs.msg : "bad data");
            return -1;
        } else if (zr == Z_MEM_ERROR) {
            src_fail(s, BT_ERR_FORMAT, 0, "out of memory in gzip decoder");
            return -1;
        }
    }
    return (int)(len - s->zs.avail_out);
}

static int src_raw(xml_src *s, unsigned char *out, size_t len)
{
    if (s->in_off == s->in_len) {
        if (s->eof) return 0;
        ssize_t n = src_fill(s);
        if (n < 0) {
            src_fail(s, BT_ERR_IO, 0, "read error (%s)", strerror(errno));
            return -1;
        }
    }
    size_t n = s->in_len - s->in_off;
    if (n > len) n = len;
    memcpy(out, s->in + s->in_off, n);
    s->in_off += n;
    return (int)n;
}

/* What a file that does not start with '<' is: its first bytes, c the
 * first that is not a space. */
static void not_xml(xml_src *s, const unsigned char *p, size_t n)
{
    int binary = 0;
    for (size_t i = 0; i < n && i < 512; i++)
        if (p[i] < 0x09 || (p[i] > 0x0D && p[i] < 0x20) || p[i] == 0x7F) binary = 1;
    if (s->utf16) binary = 0; /* its NULs are half its characters */
    src_not_kind(s, binary ? "looks like binary data"
                    : s->utf16 ? "looks like plain text (UTF-16)" : "looks like plain text");
}

static void over(xml_src *s, const char *what, size_t limit, const char *name)
{
    src_fail(s, BT_ERR_LIMIT, s->line, "%s longer than %zu bytes (BITEXT_LIMITS=%s=SIZE "
             "raises it)", what, limit, name);
}

/* One character of the file (a byte; in UTF-16 a unit, as a byte when it
 * is ASCII). 0, or -1 once a bound is passed (reported). */
static int scan_char(xml_src *s, unsigned c, const unsigned char *rest, size_t nrest)
{
    const bt_limits *lim = bt_limits_get();
    if (c == '\n') s->line++;
    switch (s->state) {
    case S_PROLOG:
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xFEFF) return 0;
        if (c != '<') {
            not_xml(s, rest, nrest);
            return -1;
        }
        s->state = S_LT;
        return 0;
    case S_TEXT:
        if (c == '<') {
            s->state = S_LT;
        } else if (++s->run > s->raw_text_max) {
            over(s, "text", lim->text, "text");
            return -1;
        }
        return 0;
    case S_LT:
        s->run = 0;
        s->marks = 0;
        s->state = c == '!' ? S_BANG : c == '?' ? S_PI : S_TAG;
        s->nattrs = 0;
        return 0;
    case S_TAG:
        if (c == '"' || c == '\'') {
            s->quote = (int)c;
            s->run = 0;
            s->state = S_ATTR;
        } else if (c == '=' && ++s->nattrs > lim->attrs) {
            src_fail(s, BT_ERR_LIMIT, s->line, "more than %zu attributes on one element "
                     "(BITEXT_LIMITS=attrs=N raises it)", lim->attrs);
            return -1;
        } else if (c == '>') {
            s->state = S_TEXT;
            s->run = 0;
        }
        return 0;
    case S_ATTR:
        if ((int)c == s->quote) {
            s->state = S_TAG;
        } else if (++s->run > lim->attr) {
            over(s, "attribute value", lim->attr, "attr");
            return -1;
        }
        return 0;
    case S_BANG:
        s->state = c == '-' ? S_BANG_DASH : c == '[' ? S_CDATA : S_DECL;
        s->quote = 0;
        s->depth = 0;
        return 0;
    case S_BANG_DASH:
        s->state = c == '-' ? S_COMMENT : S_DECL;
        return 0;
    default:
        break;
    }
    /* comments, CDATA, PIs, declarations: until their end, bounded as text */
    int end = 0;
    if (s->state == S_COMMENT) {
        end = c == '>' && s->marks >= 2;
        s->marks = c == '-' ? s->marks + 1 : 0;
    } else if (s->state == S_CDATA) {
        end = c == '>' && s->marks >= 2;
        s->marks = c == ']' ? s->marks + 1 : 0;
    } else if (s->state == S_PI) {
        end = c == '>' && s->marks;
        s->marks = c == '?';
    } else if (s->quote) {
        if ((int)c == s->quote) s->quote = 0;
    } else if (c == '"' || c == '\'') {
        s->quote = (int)c;
    } else if (c == '[') {
        s->depth++;
    } else if (c == ']') {
        s->depth--;
    } else {
        end = c == '>' && s->depth <= 0;
    }
    if (end) {
        s->state = S_TEXT;
        s->run = 0;
    } else if (++s->run > s->raw_text_max) {
        over(s, s->state == S_COMMENT ? "comment" : s->state == S_CDATA ? "text"
                : s->state == S_PI ? "processing instruction" : "declaration",
             lim->text, "text");
        return -1;
    }
    return 0;
}

/* The first bytes: byte order marks, UTF-16. Returns how many to skip. */
static size_t scan_start(xml_src *s, const unsigned char *p, size_t n)
{
    s->started = 1;
    static const unsigned char bom8[3] = { 0xEF, 0xBB, 0xBF };
    if (n >= 3 && !memcmp(p, bom8, 3)) {
        if (n >= 6 && !memcmp(p + 3, bom8, 3)) {
            src_not_kind(s, "starts with two byte order marks (files joined with cat?)");
            return n;
        }
        return 3;
    }
    if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == '<' && p[1] == 0)))
        s->utf16 = 1;
    else if (n >= 2 && ((p[0] == 0xFE && p[1] == 0xFF) || (p[0] == 0 && p[1] == '<')))
        s->utf16 = 2;
    if (s->utf16 && n >= 4 && p[0] >= 0xFE &&
        ((s->utf16 == 1 && p[2] == 0xFF && p[3] == 0xFE) ||
         (s->utf16 == 2 && p[2] == 0xFE && p[3] == 0xFF))) {
        src_not_kind(s, "starts with two byte order marks (files joined with cat?)");
        return n;
    }
    return 0;
}

static int scan(xml_src *s, const unsigned char *p, size_t n)
{
    const bt_limits *lim = bt_limits_get();
    s->total += n;
    if (s->total > lim->total) {
        src_fail(s, BT_ERR_LIMIT, s->line, "larger than %zu bytes once decompressed "
                 "(BITEXT_LIMITS=total=SIZE raises it)", lim->total);
        return -1;
    }
    /* a gzip bomb is told by its ratio long before total: the compressed
     * bytes inflate has taken so far against what came out */
    if (s->gz && s->total > BT_LIMIT_RATIO_FROM) {
        unsigned long long in = s->in_total - s->zs.avail_in;
        if (s->total / (in ? in : 1) > lim->ratio) {
            src_fail(s, BT_ERR_LIMIT, s->line, "expands more than %zu times once "
                     "decompressed (%llu bytes from %llu; BITEXT_LIMITS=ratio=N raises it)",
                     lim->ratio, s->total, in);
            return -1;
        }
    }
    size_t i = s->started ? 0 : scan_start(s, p, n);
    if (s->failed) return -1;
    for (; i < n; i++) {
        unsigned c = p[i];
        if (s->utf16) {
            if (!s->have_half) {
                s->half = p[i];
                s->have_half = 1;
                continue;
            }
            s->have_half = 0;
            c = s->utf16 == 1 ? (unsigned)s->half | (unsigned)p[i] << 8
                              : (unsigned)s->half << 8 | (unsigned)p[i];
            if (c >= 0x80 && c != 0xFEFF) c = 'a';
        }
        if (scan_char(s, c, p + i, n - i) != 0) return -1;
    }
    return 0;
}

static int src_produce(xml_src *s, unsigned char *out, size_t len)
{
    return s->gz ? src_inflate(s, out, len) : src_raw(s, out, len);
}

static int src_read_cb(void *ctx, char *buf, int len)
{
    xml_src *s = ctx;
    if (s->failed || len <= 0) return s->failed ? -1 : 0;
    unsigned char *out = (unsigned char *)buf;
    if (s->head_off < s->head_len) {
        size_t n = s->head_len - s->head_off;
        if (n > (size_t)len) n = (size_t)len;
        memcpy(out, s->head + s->head_off, n);
        s->head_off += n;
        return (int)n;
    }
    int n = src_produce(s, out, (size_t)len);
    if (n < 0) return -1;
    if (n > 0 && scan(s, out, (size_t)n) != 0) return -1;
    return n;
}

/* The first bytes, scanned before libxml2 sees any: a file that is no XML
 * is named as such here, not as libxml2's "Document is empty". */
static int src_head(xml_src *s)
{
    while (s->head_len < sizeof s->head) {
        int n = src_produce(s, s->head + s->head_len, sizeof s->head - s->head_len);
        if (n < 0) return -1;
        if (n == 0) break;
        s->head_len += (size_t)n;
    }
    if (scan(s, s->head, s->head_len) != 0) return -1;
    if (s->state == S_PROLOG) {
        src_not_kind(s, "is empty");
        return -1;
    }
    return 0;
}

/* At the end of the document: what the parser did not ask for is still
 * inflated and scanned, so that trailing garbage and an oversized rest are
 * told of whichever command stopped reading first. */
static void src_drain(xml_src *s)
{
    unsigned char buf[16384];
    int n;
    while (s->gz && !s->failed && (n = src_produce(s, buf, sizeof buf)) > 0)
        if (scan(s, buf, (size_t)n) != 0) break;
}

static int src_close_cb(void *ctx)
{
    (void)ctx; /* freed with the reader (tmx_xr_close) */
    return 0;
}

static void src_free(xml_src *s)
{
    if (!s) return;
    if (s->zs_live) inflateEnd(&s->zs);
    close(s->fd);
    free(s->in);
    free(s);
}

/* Open path (or stdin) and look at its first bytes. NULL after reporting. */
static xml_src *src_open(tmx_xr *r)
{
    int fd = !strcmp(r->path, "-") ? dup(0) : open(r->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        report(r, BT_ERR_IO, 0, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    xml_src *s = bt_xcalloc(1, sizeof *s);
    s->r = r;
    s->fd = fd;
    s->line = 1;
    s->in = bt_xmalloc(SRC_CHUNK);
    const bt_limits *lim = bt_limits_get();
    s->raw_text_max = lim->text > SIZE_MAX / 2 ? SIZE_MAX : 2 * lim->text;
    if (src_fill(s) < 0) {
        report(r, BT_ERR_IO, 0, 0, "read error (%s)", strerror(errno));
        src_free(s);
        return NULL;
    }
    if (s->in_len >= 2 && s->in[0] == 0x1f && s->in[1] == 0x8b) {
        if (inflateInit2(&s->zs, 16 + MAX_WBITS) != Z_OK) {
            report(r, BT_ERR_FORMAT, 0, 0, "cannot start gzip decoder");
            src_free(s);
            return NULL;
        }
        s->zs_live = 1;
        s->gz = 1;
        s->in_member = 1;
        s->zs.next_in = s->in;
        s->zs.avail_in = (uInt)s->in_len;
    }
    /* a file found wrong here is reported, and then read as before, so
     * that each command ends as it does for any malformed XML */
    src_head(s);
    return s;
}

/* The only call that creates a libxml2 reader in bitext. Options: no
 * network; never NOENT (entities stay unexpanded), never DTDLOAD, DTDATTR or
 * DTDVALID; HUGE only when BITEXT_LIMITS raises a bound past libxml2's own
 * (10,000,000 bytes), so that ours decide. */
static xmlTextReaderPtr open_reader(tmx_xr *r)
{
    int opts = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOXINCNODE;
    const bt_limits *lim = bt_limits_get();
    if (r->src->raw_text_max > 10000000 || lim->attr > 10000000) opts |= XML_PARSE_HUGE;
    /* Errors raised while the first bytes are parsed reach the thread's
     * handler, before the reader has its own. */
    xmlSetStructuredErrorFunc(r, on_xml_error);
    xmlTextReaderPtr rd = xmlReaderForIO(src_read_cb, src_close_cb, r->src, r->path,
                                         NULL, opts);
    xmlSetStructuredErrorFunc(NULL, swallow_structured);
    if (rd) xmlTextReaderSetStructuredErrorHandler(rd, on_xml_error, r);
    return rd;
}

tmx_xr *tmx_xr_open_kind(const char *path, const char *kind, bt_diag_fn diag, void *dud)
{
    tmx_xml_init();
    tmx_xr *r = bt_xcalloc(1, sizeof *r);
    r->path = bt_xstrdup(path);
    r->kind = kind;
    r->diag = diag;
    r->dud = dud;
    r->was_reading = bt_reading(r->path);
    r->src = src_open(r);
    if (!r->src) {
        tmx_xr_close(r);
        return NULL;
    }
    r->rd = open_reader(r);
    if (!r->rd) {
        if (r->nerrors == 0)
            report(r, BT_ERR_FORMAT, 0, 0, "cannot read as XML");
        tmx_xr_close(r);
        return NULL;
    }
    return r;
}

tmx_xr *tmx_xr_open(const char *path, bt_diag_fn diag, void *dud)
{
    return tmx_xr_open_kind(path, "XML", diag, dud);
}

void tmx_xr_close(tmx_xr *r)
{
    if (!r) return;
    if (r->rd) xmlFreeTextReader(r->rd);
    src_free(r->src);
    bt_reading(r->was_reading);
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
    if (rc == 0) {
        src_drain(r->src);
        return r->status != BT_OK ? r->status : 0;
    }
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
        /* one node, and the text of one element: pieces between comments
         * add up (a <prop> of 600 MB came in pieces) */
        const xmlChar *v = xmlTextReaderConstValue(r->rd);
        size_t n = v ? strlen((const char *)v) : 0, max = bt_limits_get()->text;
        r->elem_text += n;
        if (n > max || r->elem_text > max) {
            report(r, BT_ERR_LIMIT, 0, tmx_xr_line(r),
                   "text longer than %zu bytes (BITEXT_LIMITS=text=SIZE raises it)", max);
            return fail(r, BT_ERR_LIMIT);
        }
    } else if (type == XML_READER_TYPE_ELEMENT || type == XML_READER_TYPE_END_ELEMENT) {
        r->elem_text = 0;
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
