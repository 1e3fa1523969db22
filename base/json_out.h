/* json_out.h - JSON values written straight into memory, byte for byte as
 * jansson's json_dumps(JSON_COMPACT | JSON_REAL_PRECISION(4)) writes them.
 *
 * For hot writers (a line of pairs.jsonl per candidate pair): building a
 * json_t and dumping it cost about 22 K instructions a line. Readers and
 * cold writers keep jansson. The *_put forms write at dst, which the caller
 * sized with the BT_JSON_*_MAX bounds, and return the end of what they
 * wrote. */
#ifndef BT_JSON_OUT_H
#define BT_JSON_OUT_H

#include "base.h"

/* Most bytes a string of len bytes, an integer or a real can take. */
#define BT_JSON_STR_MAX(len) (6 * (size_t)(len) + 2)
#define BT_JSON_INT_MAX 20
#define BT_JSON_REAL_MAX 32

/* s (NUL-terminated, len == strlen(s)) as a JSON string: quotes, \" \\ \b
 * \f \n \r \t, any other character below U+0020 as \u00XX (upper-case
 * hex); everything else as is (no \/, no \u for non-ASCII or U+2028).
 * NULL when s is not valid UTF-8 (jansson's json_string gives NULL). */
char *bt_json_str_put(char *dst, const char *s, size_t len);
/* A signed integer as jansson writes a json_integer. */
char *bt_json_int_put(char *dst, long long v);
/* v as jansson writes json_real(v) with JSON_REAL_PRECISION(4): "%.4g",
 * ".0" appended when there is no '.' or 'e', exponent without '+' or
 * leading zeros. NULL for NaN and infinities (json_real gives NULL). */
char *bt_json_real4_put(char *dst, double v);

#endif
