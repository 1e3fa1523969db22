/* json_out.c - JSON strings and numbers written as jansson writes them,
 * without building a json_t (see json_out.h for why). */
#include "json_out.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* b back to length len (after a string turned out not to be UTF-8) */
static void truncate_to(bt_buf *b, size_t len)
{
    if (b->len == len) return;
    b->len = len;
    b->ptr[len] = '\0';
}

int bt_json_str(bt_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    const size_t start = b->len;
    const unsigned char *p = (const unsigned char *)s;
    bt_buf_addc(b, '"');
    /* runs of bytes that need no escape are copied at once */
    const unsigned char *run = p;
    for (;;) {
        unsigned c = *p;
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            p++;
            continue;
        }
        if (c >= 0x80) {
            int32_t cp;
            int n = bt_utf8_decode((const char *)p, 4, &cp);
            if (n < 0) { /* NUL ends s before any read past it */
                truncate_to(b, start);
                return -1;
            }
            p += n;
            continue;
        }
        if (p > run) bt_buf_add(b, (const char *)run, (size_t)(p - run));
        if (c == 0) break;
        char esc[6] = { '\\', 0 };
        size_t n = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            n = 6;
        }
        bt_buf_add(b, esc, n);
        run = ++p;
    }
    bt_buf_addc(b, '"');
    return 0;
}

void bt_json_int(bt_buf *b, long long v)
{
    char tmp[24], *e = tmp + sizeof tmp, *q = e;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do *--q = (char)('0' + u % 10); while ((u /= 10));
    if (v < 0) *--q = '-';
    bt_buf_add(b, q, (size_t)(e - q));
}

int bt_json_real4(bt_buf *b, double v)
{
    if (!isfinite(v)) return -1;
    /* A score rounded to thousandths in [0, 1] (every pairs.jsonl line):
     * "%.4g" of k/1000 is "0." and k's digits without trailing zeros. */
    if (v >= 0 && v <= 1 && !signbit(v)) {
        long long k = (long long)(v * 1000 + 0.5);
        if ((double)k / 1000 == v) {
            if (k == 1000) { bt_buf_add(b, "1.0", 3); return 0; }
            char d[5] = { '0', '.', (char)('0' + k / 100), (char)('0' + k / 10 % 10),
                          (char)('0' + k % 10) };
            size_t n = 5;
            while (n > 3 && d[n - 1] == '0') n--;
            bt_buf_add(b, d, n);
            return 0;
        }
    }
    /* anything else exactly as jansson's jsonp_dtostr */
    char buf[64];
    int ret = snprintf(buf, sizeof buf, "%.*g", 4, v);
    if (ret < 0 || (size_t)ret >= sizeof buf - 3) return -1;
    size_t len = (size_t)ret;
    for (char *c = buf; *c; c++) /* a locale's decimal comma */
        if (*c == ',') *c = '.';
    if (!strchr(buf, '.') && !strchr(buf, 'e')) {
        memcpy(buf + len, ".0", 3);
        len += 2;
    }
    char *start = strchr(buf, 'e');
    if (start) { /* "1e+05" -> "1e5", "1e-05" -> "1e-5" */
        start++;
        char *end = start + 1;
        if (*start == '-') start++;
        while (*end == '0') end++;
        if (end != start) {
            memmove(start, end, len - (size_t)(end - buf) + 1);
            len -= (size_t)(end - start);
        }
    }
    bt_buf_add(b, buf, len);
    return 0;
}
