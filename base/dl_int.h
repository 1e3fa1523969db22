/* dl_int.h - for the files that open a library when first called instead
 * of at start: dl_icu.c, dl_xml.c, dl_sqlite.c, dl_zlib.c, dl_json.c, dl_m.c
 * (dl.c has the helpers).
 *
 * Each lists the functions bitext calls, LIST(X, V, N): X(return type,
 * name, parameters, arguments), V(name, parameters, arguments) for those
 * returning void, N as X for one whose forwarder it writes by hand; and
 * BT_DL_DEFINE makes of the list a table of pointers, the code that fills
 * it from the library and a forwarder per function under its own name. */
#ifndef BT_DL_INT_H
#define BT_DL_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#define BT_DL_STR_(x) #x
/* x after macro expansion, as a string: ICU's renamed entry points
 * (u_isalpha -> "u_isalpha_72") and version numbers */
#define BT_DL_STR(x) BT_DL_STR_(x)

typedef struct bt_dl_lib {
    const char *soname;
    const char *what;          /* what it is for, in the message if missing */
    void (*fill)(void *h);     /* the table from the opened library */
    atomic_int loaded;         /* set when the table is filled */
    pthread_mutex_t lock;
} bt_dl_lib;

#define BT_DL_LIB(soname, what, fill) \
    { (soname), (what), (fill), 0, PTHREAD_MUTEX_INITIALIZER }

/* Open and fill lib, or say which library is missing, what it is for and
 * which function (fn) asked for it, and exit 2: the loader would have
 * refused the program at start. */
void bt_dl_load(bt_dl_lib *lib, const char *fn);

/* One load and a branch per call: some are called per code point. */
static inline void bt_dl_ready(bt_dl_lib *lib, const char *fn)
{
    if (__builtin_expect(!atomic_load_explicit(&lib->loaded, memory_order_acquire), 0))
        bt_dl_load(lib, fn);
}

/* libm opened (dl_m.c) before lib, unless lib is libm: glibc's dlopen
 * loses 56 bytes when a library it loaded as another's dependency is then
 * opened itself. */
void bt_dl_libm_before(const bt_dl_lib *lib);

/* name in h as a function pointer, or a message and exit 2. */
void (*bt_dl_need_sym(void *h, const char *soname, const char *name))(void);
void *bt_dl_need_data(void *h, const char *soname, const char *name);

#define BT_DL_PTR(ret, name, params, args) ret (*name) params;
#define BT_DL_VPTR(name, params, args) void (*name) params;
/* (in the fill function: h is the opened library) */
#define BT_DL_FILL(ret, name, params, args) \
    DL_TABLE.name = (ret (*) params)bt_dl_need_sym(h, DL_LIB.soname, BT_DL_STR(name));
#define BT_DL_VFILL(name, params, args) \
    DL_TABLE.name = (void (*) params)bt_dl_need_sym(h, DL_LIB.soname, BT_DL_STR(name));
#define BT_DL_FWD(ret, name, params, args) \
    ret name params                        \
    {                                      \
        bt_dl_ready(&DL_LIB, #name);       \
        return DL_TABLE.name args;         \
    }
#define BT_DL_VFWD(name, params, args) \
    void name params                   \
    {                                  \
        bt_dl_ready(&DL_LIB, #name);   \
        DL_TABLE.name args;            \
    }
#define BT_DL_NOFWD(...)

#define BT_DL_CAT_(a, b) a##b
#define BT_DL_CAT(a, b) BT_DL_CAT_(a, b)

/* One library: the table DL_TABLE of LIST's pointers, DL_LIB (its
 * bt_dl_lib, named soname and said to be for what), DL_TABLE_fill, which
 * fills the table from the opened library h and then runs more (a
 * statement, or nothing), and LIST's forwarders. The file defines
 * DL_TABLE and DL_LIB, names of its own, first; a file of two libraries
 * defines them again before the second. */
#define BT_DL_DEFINE(LIST, soname, what, more)                                  \
    static void BT_DL_CAT(DL_TABLE, _fill)(void *h);                            \
    static struct {                                                             \
        LIST(BT_DL_PTR, BT_DL_VPTR, BT_DL_PTR)                                  \
    } DL_TABLE;                                                                 \
    static bt_dl_lib DL_LIB = BT_DL_LIB(soname, what, BT_DL_CAT(DL_TABLE, _fill)); \
    static void BT_DL_CAT(DL_TABLE, _fill)(void *h)                             \
    {                                                                           \
        LIST(BT_DL_FILL, BT_DL_VFILL, BT_DL_FILL)                               \
        more                                                                    \
    }                                                                           \
    LIST(BT_DL_FWD, BT_DL_VFWD, BT_DL_NOFWD)

#endif
