/* dl_m.c - the C maths library opened when first called, not at start:
 * only the aligner's scores (exp, log, erfc and their kin) need it, and
 * loading it cost every run ten page faults, a look-up's 0.2 ms on a
 * virtual machine where a fault costs tens of microseconds. The functions
 * bitext calls are defined here with <math.h>'s prototypes and forward to
 * libm's own (see dl_int.h), so every result is libm's, bit for bit.
 * glibc's libm has kept its soname since 2.x. */
#include "base.h"
#include "dl_int.h"

#include <math.h>

#define M_SONAME "libm.so.6"

#define M_FUNCS(X, V, N)                                         \
    X(double, erfc, (double x), (x))                             \
    X(double, exp, (double x), (x))                              \
    X(double, fmax, (double x, double y), (x, y))                \
    X(double, log, (double x), (x))                              \
    X(double, log1p, (double x), (x))                            \
    X(double, round, (double x), (x))                            \
    X(double, sqrt, (double x), (x))

#define DL_TABLE mt
#define DL_LIB m_lib
BT_DL_DEFINE(M_FUNCS, M_SONAME, "the C maths library, for the aligner's scores", )

void bt_dl_libm_before(const bt_dl_lib *lib)
{
    if (lib != &m_lib) bt_dl_ready(&m_lib, lib->soname);
}
