/* dl.c - libxlsxwriter and libmicrohttpd opened when first used, not at
 * start. With what they pull in (libcrypto and minizip, GnuTLS and its
 * kin) they cost every run of bitext about half of its start-up, 10 ms of
 * the dynamic loader's time on a look-up of 0.1 ms, and only `tmx export
 * --format xlsx` and `review` call them. The functions bitext calls are
 * defined here with the libraries' own prototypes and forward to theirs,
 * so the code that uses them (tmx/tmx_export.c, review/server.c) is as
 * written against the libraries. A library that cannot be opened is
 * reported once on stderr, as the loader did at start, and its functions
 * fail as they do when out of memory. */
#include "base.h"
#include "dl_int.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <microhttpd.h>
#include <xlsxwriter.h>

/* the ABI of the headers built against: libmicrohttpd has kept its soname
 * since 0.9.x */
#define XLSX_SONAME "libxlsxwriter.so." LXW_SOVERSION
#define MHD_SONAME "libmicrohttpd.so.12"

static void *open_lib(const char *soname)
{
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) fprintf(stderr, "bitext: cannot load %s: %s\n", soname, dlerror());
    return h;
}

/* ICU, libxml2 and SQLite (dl_icu.c, dl_xml.c, dl_sqlite.c) are called
 * from deep in the library, where no caller could go on without them: a
 * missing one ends the run, as the loader would have at start, but naming
 * what needed it. */
void bt_dl_load(bt_dl_lib *lib, const char *fn)
{
    pthread_mutex_lock(&lib->lock);
    if (!atomic_load_explicit(&lib->loaded, memory_order_relaxed)) {
        /* bound lazily, as the loader binds a program's libraries: ICU's
         * and libxml2's functions resolved when called, not all at once
         * (a quarter of the instructions of `tmx stats` on a small file) */
        bt_dl_libm_before(lib);
        void *h = dlopen(lib->soname, RTLD_LAZY | RTLD_LOCAL);
        if (!h) {
            fprintf(stderr, "bitext: cannot load %s (%s), needed by %s: %s\n",
                    lib->soname, lib->what, fn, dlerror());
            exit(2);
        }
        lib->fill(h);
        atomic_store_explicit(&lib->loaded, 1, memory_order_release);
    }
    pthread_mutex_unlock(&lib->lock);
}

void *bt_dl_need_data(void *h, const char *soname, const char *name)
{
    void *p = dlsym(h, name);
    if (!p) {
        fprintf(stderr, "bitext: %s has no %s (another version than built against?)\n",
                soname, name);
        exit(2);
    }
    return p;
}

void (*bt_dl_need_sym(void *h, const char *soname, const char *name))(void)
{
    return (void (*)(void))(uintptr_t)bt_dl_need_data(h, soname, name);
}

/* A symbol as a function pointer (POSIX guarantees the conversion). */
#define SYM(h, name) ((h) ? (void (*)(void))(uintptr_t)dlsym((h), (name)) : NULL)

/* ---- libxlsxwriter -------------------------------------------------------- */

static struct {
    lxw_workbook *(*new_opt)(const char *, lxw_workbook_options *);
    lxw_worksheet *(*add_worksheet)(lxw_workbook *, const char *);
    lxw_format *(*add_format)(lxw_workbook *);
    lxw_error (*close)(lxw_workbook *);
    void (*set_bold)(lxw_format *);
    lxw_error (*write_string)(lxw_worksheet *, lxw_row_t, lxw_col_t, const char *,
                              lxw_format *);
    lxw_error (*write_number)(lxw_worksheet *, lxw_row_t, lxw_col_t, double, lxw_format *);
    lxw_error (*set_column)(lxw_worksheet *, lxw_col_t, lxw_col_t, double, lxw_format *);
    void (*freeze_panes)(lxw_worksheet *, lxw_row_t, lxw_col_t);
} xl;
static pthread_once_t xl_once = PTHREAD_ONCE_INIT;

static void xl_load(void)
{
    void *h = open_lib(XLSX_SONAME);
    void (*f[9])(void) = {
        SYM(h, "workbook_new_opt"), SYM(h, "workbook_add_worksheet"),
        SYM(h, "workbook_add_format"), SYM(h, "workbook_close"),
        SYM(h, "format_set_bold"), SYM(h, "worksheet_write_string"),
        SYM(h, "worksheet_write_number"), SYM(h, "worksheet_set_column"),
        SYM(h, "worksheet_freeze_panes"),
    };
    for (int i = 0; i < 9; i++)
        if (!f[i]) return; /* all or nothing */
    xl.new_opt = (lxw_workbook *(*)(const char *, lxw_workbook_options *))f[0];
    xl.add_worksheet = (lxw_worksheet *(*)(lxw_workbook *, const char *))f[1];
    xl.add_format = (lxw_format *(*)(lxw_workbook *))f[2];
    xl.close = (lxw_error (*)(lxw_workbook *))f[3];
    xl.set_bold = (void (*)(lxw_format *))f[4];
    xl.write_string = (lxw_error (*)(lxw_worksheet *, lxw_row_t, lxw_col_t, const char *,
                                     lxw_format *))f[5];
    xl.write_number = (lxw_error (*)(lxw_worksheet *, lxw_row_t, lxw_col_t, double,
                                     lxw_format *))f[6];
    xl.set_column = (lxw_error (*)(lxw_worksheet *, lxw_col_t, lxw_col_t, double,
                                   lxw_format *))f[7];
    xl.freeze_panes = (void (*)(lxw_worksheet *, lxw_row_t, lxw_col_t))f[8];
}

/* Every other function is called only on a workbook this one made. */
lxw_workbook *workbook_new_opt(const char *filename, lxw_workbook_options *options)
{
    pthread_once(&xl_once, xl_load);
    return xl.new_opt ? xl.new_opt(filename, options) : NULL;
}

lxw_worksheet *workbook_add_worksheet(lxw_workbook *workbook, const char *sheetname)
{
    return xl.add_worksheet ? xl.add_worksheet(workbook, sheetname) : NULL;
}

lxw_format *workbook_add_format(lxw_workbook *workbook)
{
    return xl.add_format ? xl.add_format(workbook) : NULL;
}

lxw_error workbook_close(lxw_workbook *workbook)
{
    return xl.close ? xl.close(workbook) : LXW_ERROR_NULL_PARAMETER_IGNORED;
}

void format_set_bold(lxw_format *format)
{
    if (xl.set_bold) xl.set_bold(format);
}

lxw_error worksheet_write_string(lxw_worksheet *worksheet, lxw_row_t row, lxw_col_t col,
                                 const char *string, lxw_format *format)
{
    return xl.write_string ? xl.write_string(worksheet, row, col, string, format)
                           : LXW_ERROR_NULL_PARAMETER_IGNORED;
}

lxw_error worksheet_write_number(lxw_worksheet *worksheet, lxw_row_t row, lxw_col_t col,
                                 double number, lxw_format *format)
{
    return xl.write_number ? xl.write_number(worksheet, row, col, number, format)
                           : LXW_ERROR_NULL_PARAMETER_IGNORED;
}

lxw_error worksheet_set_column(lxw_worksheet *worksheet, lxw_col_t first_col,
                               lxw_col_t last_col, double width, lxw_format *format)
{
    return xl.set_column ? xl.set_column(worksheet, first_col, last_col, width, format)
                         : LXW_ERROR_NULL_PARAMETER_IGNORED;
}

void worksheet_freeze_panes(lxw_worksheet *worksheet, lxw_row_t row, lxw_col_t col)
{
    if (xl.freeze_panes) xl.freeze_panes(worksheet, row, col);
}

/* ---- libmicrohttpd -------------------------------------------------------- */

static struct {
    struct MHD_Daemon *(*start_va)(unsigned, uint16_t, MHD_AcceptPolicyCallback, void *,
                                   MHD_AccessHandlerCallback, void *, va_list);
    void (*stop)(struct MHD_Daemon *);
    const union MHD_DaemonInfo *(*daemon_info)(struct MHD_Daemon *,
                                               enum MHD_DaemonInfoType, ...);
    const char *(*lookup_value)(struct MHD_Connection *, enum MHD_ValueKind, const char *);
    int (*get_values)(struct MHD_Connection *, enum MHD_ValueKind, MHD_KeyValueIterator,
                      void *);
    struct MHD_Response *(*from_buffer)(size_t, void *, enum MHD_ResponseMemoryMode);
    enum MHD_Result (*add_header)(struct MHD_Response *, const char *, const char *);
    enum MHD_Result (*queue)(struct MHD_Connection *, unsigned int, struct MHD_Response *);
    void (*destroy)(struct MHD_Response *);
} mhd;
static pthread_once_t mhd_once = PTHREAD_ONCE_INIT;

static void mhd_load(void)
{
    void *h = open_lib(MHD_SONAME);
    void (*f[9])(void) = {
        SYM(h, "MHD_start_daemon_va"), SYM(h, "MHD_stop_daemon"),
        SYM(h, "MHD_get_daemon_info"), SYM(h, "MHD_lookup_connection_value"),
        SYM(h, "MHD_get_connection_values"), SYM(h, "MHD_create_response_from_buffer"),
        SYM(h, "MHD_add_response_header"), SYM(h, "MHD_queue_response"),
        SYM(h, "MHD_destroy_response"),
    };
    for (int i = 0; i < 9; i++)
        if (!f[i]) return;
    mhd.start_va = (struct MHD_Daemon *(*)(unsigned, uint16_t, MHD_AcceptPolicyCallback,
                                           void *, MHD_AccessHandlerCallback, void *,
                                           va_list))f[0];
    mhd.stop = (void (*)(struct MHD_Daemon *))f[1];
    mhd.daemon_info = (const union MHD_DaemonInfo *(*)(struct MHD_Daemon *,
                                                       enum MHD_DaemonInfoType, ...))f[2];
    mhd.lookup_value = (const char *(*)(struct MHD_Connection *, enum MHD_ValueKind,
                                        const char *))f[3];
    mhd.get_values = (int (*)(struct MHD_Connection *, enum MHD_ValueKind,
                              MHD_KeyValueIterator, void *))f[4];
    mhd.from_buffer = (struct MHD_Response *(*)(size_t, void *,
                                                enum MHD_ResponseMemoryMode))f[5];
    mhd.add_header = (enum MHD_Result (*)(struct MHD_Response *, const char *,
                                          const char *))f[6];
    mhd.queue = (enum MHD_Result (*)(struct MHD_Connection *, unsigned int,
                                     struct MHD_Response *))f[7];
    mhd.destroy = (void (*)(struct MHD_Response *))f[8];
}

/* Every other function is called only within a daemon this one started. */
struct MHD_Daemon *MHD_start_daemon(unsigned int flags, uint16_t port,
                                    MHD_AcceptPolicyCallback apc, void *apc_cls,
                                    MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
    pthread_once(&mhd_once, mhd_load);
    if (!mhd.start_va) return NULL;
    va_list ap;
    va_start(ap, dh_cls);
    struct MHD_Daemon *d = mhd.start_va(flags, port, apc, apc_cls, dh, dh_cls, ap);
    va_end(ap);
    return d;
}

void MHD_stop_daemon(struct MHD_Daemon *daemon)
{
    if (mhd.stop) mhd.stop(daemon);
}

/* The information bitext asks for takes no further argument. */
const union MHD_DaemonInfo *MHD_get_daemon_info(struct MHD_Daemon *daemon,
                                                enum MHD_DaemonInfoType info_type, ...)
{
    return mhd.daemon_info ? mhd.daemon_info(daemon, info_type) : NULL;
}

const char *MHD_lookup_connection_value(struct MHD_Connection *connection,
                                        enum MHD_ValueKind kind, const char *key)
{
    return mhd.lookup_value ? mhd.lookup_value(connection, kind, key) : NULL;
}

int MHD_get_connection_values(struct MHD_Connection *connection, enum MHD_ValueKind kind,
                              MHD_KeyValueIterator iterator, void *iterator_cls)
{
    return mhd.get_values ? mhd.get_values(connection, kind, iterator, iterator_cls) : -1;
}

struct MHD_Response *MHD_create_response_from_buffer(size_t size, void *buffer,
                                                     enum MHD_ResponseMemoryMode mode)
{
    return mhd.from_buffer ? mhd.from_buffer(size, buffer, mode) : NULL;
}

enum MHD_Result MHD_add_response_header(struct MHD_Response *response, const char *header,
                                        const char *content)
{
    return mhd.add_header ? mhd.add_header(response, header, content) : MHD_NO;
}

enum MHD_Result MHD_queue_response(struct MHD_Connection *connection,
                                   unsigned int status_code, struct MHD_Response *response)
{
    return mhd.queue ? mhd.queue(connection, status_code, response) : MHD_NO;
}

void MHD_destroy_response(struct MHD_Response *response)
{
    if (mhd.destroy) mhd.destroy(response);
}
