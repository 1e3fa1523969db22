/* json_out.c - JSON strings and numbers written as jansson writes them,
 * without building a json_t (see json_out.h for why). */
#include "json_out.h"
#include "utf8_fast.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Some byte of x needs a look: a control, '"', '\\' or a non-ASCII byte. */
static uint64_t json_special8(uint64_t x)
{
    return (x & BT_SWAR_HIGH) | bt_swar_lt(x, 0x20) | bt_swar_eq(x, '"') |
           bt_swar_eq(x, '\\');
}

char *bt_json_str_put(char *dst, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    char *o = dst;
    *o++ = '"';
    /* runs of bytes that need no escape are copied at once; eight plain
     * ASCII bytes are passed over in one test */
    const unsigned char *run = p;
    while (p < end) {
        const unsigned char *stop = end;
        if (end - p >= 8) {
            if (!json_special8(bt_swar_load(p))) {
                p += 8;
                continue;
            }
            stop = p + 8;
        }
        while (p < stop) {
            unsigned c = *p;
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                p++;
                continue;
            }
            if (c >= 0x80) {
                int32_t cp;
                int n = bt_utf8_seq(p, &cp);
                if (!n) return NULL;
                p += n;
                continue;
            }
            memcpy(o, run, (size_t)(p - run));
            o += p - run;
            *o++ = '\\';
            switch (c) {
            case '"': *o++ = '"'; break;
            case '\\': *o++ = '\\'; break;
            case '\b': *o++ = 'b'; break;
            case '\f': *o++ = 'f'; break;
            case '\n': *o++ = 'n'; break;
            case '\r': *o++ = 'r'; break;
            case '\t': *o++ = 't'; break;
            default:
                memcpy(o, "u00", 3);
                o[3] = hex[c >> 4];
                o[4] = hex[c & 15];
                o += 5;
            }
            run = ++p;
        }
    }
    memcpy(o, run, (size_t)(p - run));
    o += p - run;
    *o++ = '"';
    return o;
}

char *bt_json_int_put(char *dst, long long v)
{
    char tmp[24], *e = tmp + sizeof tmp, *q = e;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do *--q = (char)('0' + u % 10); while ((u /= 10));
    if (v < 0) *--q = '-';
    memcpy(dst, q, (size_t)(e - q));
    return dst + (e - q);
}

char *bt_json_real4_put(char *dst, double v)
{
    if (!isfinite(v)) return NULL;
    /* A score rounded to thousandths in [0, 1] (every pairs.jsonl line):
     * "%.4g" of k/1000 is "0." and k's digits without trailing zeros. */
    if (v >= 0 && v <= 1 && !signbit(v)) {
        long long k = (long long)(v * 1000 + 0.5);
        if ((double)k / 1000 == v) {
            if (k == 1000) {
                memcpy(dst, "1.0", 3);
                return dst + 3;
            }
            char d[5] = { '0', '.', (char)('0' + k / 100), (char)('0' + k / 10 % 10),
                          (char)('0' + k % 10) };
            size_t n = 5;
            while (n > 3 && d[n - 1] == '0') n--;
            memcpy(dst, d, n);
            return dst + n;
        }
    }
    /* anything else exactly as jansson's jsonp_dtostr */
    char buf[BT_JSON_REAL_MAX];
    int ret = snprintf(buf, sizeof buf, "%.*g", 4, v);
    if (ret < 0 || (size_t)ret >= sizeof buf - 3) return NULL;
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
    memcpy(dst, buf, len);
    return dst + len;
}
