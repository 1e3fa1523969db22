/* dl_zlib.c - zlib and libdeflate opened when first called, not at start:
 * with jansson (dl_json.c) they cost every run about 0.6 ms of the
 * loader's time, a fifth of a look-up's, and only gzip'd input (and
 * the manifest's checksums) needs them. The functions bitext calls are
 * defined here with the headers' prototypes and forward to the
 * libraries' (see dl_int.h); both have kept their sonames since 1.2.x
 * and 1.0. */
#include "base.h"
#include "dl_int.h"

#include <libdeflate.h>
#include <zlib.h>

#define ZLIB_SONAME "libz.so.1"
#define DEFLATE_SONAME "libdeflate.so.0"

/* inflateInit2 is a macro for inflateInit2_, given the header's version */
#define ZLIB_FUNCS(X, V, N)                                                          \
    X(int, inflate, (z_streamp strm, int flush), (strm, flush))                      \
    X(int, inflateEnd, (z_streamp strm), (strm))                                     \
    X(int, inflateInit2_,                                                            \
      (z_streamp strm, int windowBits, const char *version, int stream_size),        \
      (strm, windowBits, version, stream_size))                                      \
    X(int, inflateReset, (z_streamp strm), (strm))

#define DEFLATE_FUNCS(X, V, N)                                                       \
    X(struct libdeflate_decompressor *, libdeflate_alloc_decompressor, (void), ())   \
    X(uint32_t, libdeflate_crc32, (uint32_t crc, const void *buffer, size_t len),    \
      (crc, buffer, len))                                                            \
    V(libdeflate_free_decompressor, (struct libdeflate_decompressor * d), (d))      \
    X(enum libdeflate_result, libdeflate_gzip_decompress_ex,                         \
      (struct libdeflate_decompressor * d, const void *in, size_t in_nbytes,         \
       void *out, size_t out_nbytes_avail, size_t *actual_in_nbytes_ret,             \
       size_t *actual_out_nbytes_ret),                                               \
      (d, in, in_nbytes, out, out_nbytes_avail, actual_in_nbytes_ret,                \
       actual_out_nbytes_ret))

/* ---- zlib ----------------------------------------------------------------- */

#define DL_TABLE zl
#define DL_LIB zlib_lib
BT_DL_DEFINE(ZLIB_FUNCS, ZLIB_SONAME, "zlib, for gzip'd input", )
#undef DL_TABLE
#undef DL_LIB

/* ---- libdeflate ----------------------------------------------------------- */

#define DL_TABLE ld
#define DL_LIB deflate_lib
BT_DL_DEFINE(DEFLATE_FUNCS, DEFLATE_SONAME, "libdeflate, for gzip'd files and checksums", )
