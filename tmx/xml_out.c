/* xml_out.c - the streaming XML writer of the TMX and TBX writers: markup
 * written as text, values cleaned and escaped byte for byte as libxml2's
 * xmlTextWriter did (see tmx_int.h for why not xmlTextWriter). */
#include "tmx_int.h"

#include <errno.h>
#include <string.h>

/* Written to the file in blocks of about this size. */
#define XW_BLOCK (64 * 1024)

int bt_xw_open(bt_xw *x, const char *path)
{
    memset(x, 0, sizeof *x);
    bt_buf_init(&x->buf);
    x->out = bt_outfile_open(path);
    return x->out ? 0 : -1;
}

static int write_out(bt_xw *x)
{
    if (!x->err && x->buf.len) {
        FILE *fp = bt_outfile_fp(x->out);
        errno = 0;
        if (fwrite(x->buf.ptr, 1, x->buf.len, fp) != x->buf.len || ferror(fp))
            x->err = errno ? errno : EIO;
    }
    bt_buf_reset(&x->buf);
    if (x->err) {
        errno = x->err;
        return -1;
    }
    return 0;
}

int bt_xw_flush(bt_xw *x)
{
    if (x->buf.len < XW_BLOCK && !x->err) return 0;
    return write_out(x);
}

int bt_xw_commit(bt_xw *x)
{
    int rc = write_out(x);
    bt_buf_free(&x->buf);
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

void bt_xw_abort(bt_xw *x)
{
    bt_buf_free(&x->buf);
    bt_outfile_abort(x->out);
    x->out = NULL;
}

void bt_xw_raw(bt_xw *x, const char *s) { bt_buf_adds(&x->buf, s); }

/* s cleaned and escaped onto b. Runs of bytes kept as they are (valid
 * UTF-8 but U+FFFE/U+FFFF, printable ASCII but & < > ") are copied at
 * once. TAB and LF are kept in text, references in attributes. */
static void put_escaped(bt_buf *b, const char *str, int attr)
{
    const unsigned char *p = (const unsigned char *)str, *run = p;
    for (;;) {
        unsigned c = *p;
        if (c >= 0x20 && c < 0x80 && c != '&' && c != '<' && c != '>' && c != '"') {
            p++;
            continue;
        }
        int32_t cp = 0;
        int n = 1;
        if (c >= 0x80) {
            n = bt_utf8_decode((const char *)p, 4, &cp); /* stops at the NUL */
            if (n > 0 && cp != 0xFFFE && cp != 0xFFFF) {
                p += n;
                continue;
            }
            if (n < 0) n = 1; /* an invalid byte is dropped alone */
        }
        if (p > run) bt_buf_add(b, (const char *)run, (size_t)(p - run));
        if (c == 0) return;
        const char *rep = NULL; /* NULL: dropped */
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\r': rep = "&#13;"; break;
        case '\t': rep = attr ? "&#9;" : "\t"; break;
        case '\n': rep = attr ? "&#10;" : "\n"; break;
        }
        if (rep) bt_buf_adds(b, rep);
        p += n;
        run = p;
    }
}

void bt_xw_text(bt_xw *x, const char *s) { put_escaped(&x->buf, s, 0); }

void bt_xw_attr_value(bt_xw *x, const char *s) { put_escaped(&x->buf, s, 1); }

void bt_xw_elem_text(bt_xw *x, int depth, const char *name, const char *attr,
                     const char *attr_value, const char *text)
{
    static const char spaces[] = "                                ";
    bt_buf *b = &x->buf;
    size_t n = (size_t)depth * 2;
    bt_buf_add(b, spaces, n < sizeof spaces - 1 ? n : sizeof spaces - 1);
    bt_buf_addc(b, '<');
    bt_buf_adds(b, name);
    if (attr) {
        bt_buf_addc(b, ' ');
        bt_buf_adds(b, attr);
        bt_buf_add(b, "=\"", 2);
        put_escaped(b, attr_value, 1);
        bt_buf_addc(b, '"');
    }
    bt_buf_addc(b, '>');
    put_escaped(b, text, 0);
    bt_buf_add(b, "</", 2);
    bt_buf_adds(b, name);
    bt_buf_add(b, ">\n", 2);
}
