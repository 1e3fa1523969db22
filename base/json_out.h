/* json_out.h - JSON values appended straight to a bt_buf, byte for byte as
 * jansson's json_dumps(JSON_COMPACT | JSON_REAL_PRECISION(4)) writes them.
 *
 * For hot writers (a line of pairs.jsonl per candidate pair): building a
 * json_t and dumping it cost about 22 K instructions a line. Readers and
 * cold writers keep jansson. */
#ifndef BT_JSON_OUT_H
#define BT_JSON_OUT_H

#include "base.h"

/* Append s as a JSON string: quotes, \" \\ \b \f \n \r \t, any other
 * character below U+0020 as \u00XX (upper-case hex); everything else as is
 * (no \/, no \u for non-ASCII or U+2028). Returns 0, or -1 with b unchanged
 * when s is not valid UTF-8 (jansson's json_string gives NULL for it). */
int bt_json_str(bt_buf *b, const char *s);

/* Append a signed integer as jansson writes a json_integer. */
void bt_json_int(bt_buf *b, long long v);

/* Append v as jansson writes json_real(v) with JSON_REAL_PRECISION(4):
 * "%.4g", ".0" appended when there is no '.' or 'e', exponent without '+'
 * or leading zeros. Returns 0, or -1 with b unchanged for NaN and
 * infinities (json_real gives NULL for them). */
int bt_json_real4(bt_buf *b, double v);

#endif
