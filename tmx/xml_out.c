/* xml_out.c - the streaming XML writer of the TMX and TBX writers: markup
 * written as text, values cleaned and escaped byte for byte as libxml2's
 * xmlTextWriter did (see tmx_int.h for why not xmlTextWriter). */
#include "tmx_int.h"
#include "../base/utf8_fast.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Written to the file in blocks of about this size. */
#define XW_BLOCK (64 * 1024)

int tmx_xw_open(tmx_xw *x, const char *path)
{
    memset(x, 0, sizeof *x);
    x->out = bt_outfile_open(path);
    return x->out ? 0 : -1;
}

static int write_out(tmx_xw *x)
{
    if (!x->err && x->len) {
        FILE *fp = bt_outfile_fp(x->out);
        errno = 0;
        if (fwrite(x->buf, 1, x->len, fp) != x->len || ferror(fp))
            x->err = errno ? errno : EIO;
    }
    x->len = 0;
    if (x->err) {
        errno = x->err;
        return -1;
    }
    return 0;
}

int tmx_xw_flush(tmx_xw *x)
{
    if (x->len < XW_BLOCK && !x->err) return 0;
    return write_out(x);
}

int tmx_xw_commit(tmx_xw *x)
{
    int rc = write_out(x);
    free(x->buf);
    x->buf = NULL;
    x->cap = 0;
    if (rc < 0) {
        int e = errno;
        bt_outfile_abort(x->out);
        x->out = NULL;
        errno = e;
        return -1;
    }
    rc = bt_outfile_commit(x->out); /* sets errno, removes the temporary */
    x->out = NULL;
    return rc;
}

void tmx_xw_abort(tmx_xw *x)
{
    free(x->buf);
    x->buf = NULL;
    x->len = x->cap = 0;
    bt_outfile_abort(x->out);
    x->out = NULL;
}

char *tmx_xw_reserve(tmx_xw *x, size_t n)
{
    if (x->cap - x->len < n) {
        size_t c = x->cap ? x->cap : XW_BLOCK * 2;
        while (c - x->len < n) c *= 2;
        x->buf = bt_xrealloc(x->buf, c);
        x->cap = c;
    }
    return x->buf + x->len;
}

void tmx_xw_done(tmx_xw *x, char *end) { x->len = (size_t)(end - x->buf); }

void tmx_xw_raw(tmx_xw *x, const char *s)
{
    size_t n = strlen(s);
    char *o = tmx_xw_reserve(x, n);
    memcpy(o, s, n);
    x->len += n;
}

char *tmx_xw_ulong(char *o, unsigned long v)
{
    char tmp[24], *e = tmp + sizeof tmp, *q = e;
    do *--q = (char)('0' + v % 10); while ((v /= 10));
    memcpy(o, q, (size_t)(e - q));
    return o + (e - q);
}

/* Some byte of x needs a look: a control, & < > ", or a non-ASCII byte. */
static uint64_t xml_special8(uint64_t x)
{
    return (x & BT_SWAR_HIGH) | bt_swar_lt(x, 0x20) | bt_swar_eq(x, '&') |
           bt_swar_eq(x, '<') | bt_swar_eq(x, '>') | bt_swar_eq(x, '"');
}

/* Runs of bytes kept as they are (valid UTF-8 but U+FFFE/U+FFFF,
 * printable ASCII but & < > ") are copied at once; eight plain ASCII bytes
 * are passed over in one test. */
char *tmx_xw_escape(char *o, const char *s, size_t len, int attr)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len, *run = p;
    while (p < end) {
        const unsigned char *stop = end;
        if (end - p >= 8) {
            if (!xml_special8(bt_swar_load(p))) {
                p += 8;
                continue;
            }
            stop = p + 8;
        }
        while (p < stop) {
            unsigned c = *p;
            if (c >= 0x20 && c < 0x80 && c != '&' && c != '<' && c != '>' && c != '"') {
                p++;
                continue;
            }
            int32_t cp = 0;
            int n = 1;
            if (c >= 0x80) {
                n = bt_utf8_seq(p, &cp);
                if (n && cp != 0xFFFE && cp != 0xFFFF) {
                    p += n;
                    continue;
                }
                if (!n) n = 1; /* an invalid byte is dropped alone */
            }
            memcpy(o, run, (size_t)(p - run));
            o += p - run;
            switch (c) { /* anything else is dropped */
            case '&': o = TMX_XW_LIT(o, "&amp;"); break;
            case '<': o = TMX_XW_LIT(o, "&lt;"); break;
            case '>': o = TMX_XW_LIT(o, "&gt;"); break;
            case '"': o = TMX_XW_LIT(o, "&quot;"); break;
            case '\r': o = TMX_XW_LIT(o, "&#13;"); break;
            case '\t':
                if (attr) o = TMX_XW_LIT(o, "&#9;");
                else *o++ = '\t';
                break;
            case '\n':
                if (attr) o = TMX_XW_LIT(o, "&#10;");
                else *o++ = '\n';
                break;
            }
            p += n;
            run = p;
        }
    }
    memcpy(o, run, (size_t)(p - run));
    return o + (p - run);
}
