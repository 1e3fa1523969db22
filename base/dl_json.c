/* dl_json.c - jansson opened when first called, not at start (see
 * dl_zlib.c): only JSON output and the files read as JSON need it. The
 * functions bitext calls are defined here with the header's prototypes
 * and forward to the library's (see dl_int.h); json_pack, which takes
 * its arguments as printf does, is forwarded to json_vpack_ex by hand.
 * jansson 2.x has kept its soname. */
#include "base.h"
#include "dl_int.h"

#include <stdarg.h>

#include <jansson.h>

#define JSON_SONAME "libjansson.so.4"

#define JSON_FUNCS(X, V, N)                                                          \
    X(json_t *, json_array, (void), ())                                              \
    X(int, json_array_append_new, (json_t * array, json_t *value), (array, value))  \
    X(size_t, json_array_size, (const json_t *array), (array))                       \
    V(json_delete, (json_t * json), (json))                                          \
    X(int, json_dumpf, (const json_t *json, FILE *output, size_t flags),             \
      (json, output, flags))                                                         \
    X(char *, json_dumps, (const json_t *json, size_t flags), (json, flags))         \
    X(json_t *, json_false, (void), ())                                              \
    X(json_t *, json_integer, (json_int_t value), (value))                           \
    X(json_int_t, json_integer_value, (const json_t *integer), (integer))            \
    X(json_t *, json_loadb,                                                          \
      (const char *buffer, size_t buflen, size_t flags, json_error_t *error),        \
      (buffer, buflen, flags, error))                                                \
    X(json_t *, json_null, (void), ())                                               \
    X(json_t *, json_object, (void), ())                                             \
    X(json_t *, json_object_get, (const json_t *object, const char *key),            \
      (object, key))                                                                 \
    X(int, json_object_set_new, (json_t * object, const char *key, json_t *value),   \
      (object, key, value))                                                          \
    X(json_t *, json_real, (double value), (value))                                  \
    X(json_t *, json_string, (const char *value), (value))                           \
    X(size_t, json_string_length, (const json_t *string), (string))                  \
    X(const char *, json_string_value, (const json_t *string), (string))             \
    X(json_t *, json_stringn, (const char *value, size_t len), (value, len))         \
    X(json_t *, json_true, (void), ())                                               \
    N(json_t *, json_vpack_ex,                                                       \
      (json_error_t * error, size_t flags, const char *fmt, va_list ap),             \
      (error, flags, fmt, ap))

#define DL_TABLE js
#define DL_LIB json_lib
BT_DL_DEFINE(JSON_FUNCS, JSON_SONAME, "jansson, for JSON", )

json_t *json_pack(const char *fmt, ...)
{
    bt_dl_ready(&json_lib, "json_pack");
    va_list ap;
    va_start(ap, fmt);
    json_t *v = js.json_vpack_ex(NULL, 0, fmt, ap);
    va_end(ap);
    return v;
}
