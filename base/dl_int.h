/* dl_int.h - for the files that open a library when first called instead
 * of at start: dl_icu.c, dl_xml.c, dl_sqlite.c (dl.c has the helpers).
 *
 * Each lists the functions bitext calls, X(return type, name, parameters,
 * arguments) or V(name, parameters, arguments) for those returning void,
 * and with these macros gets a table of pointers, the code that fills it
 * from the library and a forwarder per function under its own name. The
 * file defines DL_TABLE (the table), DL_LIB (its bt_dl_lib) and DL_H (the
 * handle in its fill function) first. */
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

/* name in h as a function pointer, or a message and exit 2. */
void (*bt_dl_need_sym(void *h, const char *soname, const char *name))(void);
void *bt_dl_need_data(void *h, const char *soname, const char *name);

#define BT_DL_PTR(ret, name, params, args) ret (*name) params;
#define BT_DL_VPTR(name, params, args) void (*name) params;
#define BT_DL_FILL(ret, name, params, args) \
    DL_TABLE.name = (ret (*) params)bt_dl_need_sym(DL_H, DL_LIB.soname, BT_DL_STR(name));
#define BT_DL_VFILL(name, params, args) \
    DL_TABLE.name = (void (*) params)bt_dl_need_sym(DL_H, DL_LIB.soname, BT_DL_STR(name));
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
/* for a function whose forwarder is written by hand */
#define BT_DL_NOFWD(...)

#endif
