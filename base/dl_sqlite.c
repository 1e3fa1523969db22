/* dl_sqlite.c - SQLite opened when first called, not at start: it cost
 * every run about 1 ms of the loader's time, and only the reviewers'
 * decisions (review/decisions.c) need it. The functions bitext calls are
 * defined here with the header's prototypes and forward to the library's
 * (see dl_int.h); SQLite 3 has kept its soname since 3.0. */
#include "base.h"
#include "dl_int.h"

#include <sqlite3.h>

#define SQLITE_SONAME "libsqlite3.so.0"

#define SQLITE_FUNCS(X, V, N)                                                        \
    X(int, sqlite3_bind_int64, (sqlite3_stmt * stmt, int i, sqlite3_int64 v),        \
      (stmt, i, v))                                                                  \
    X(int, sqlite3_bind_text,                                                        \
      (sqlite3_stmt * stmt, int i, const char *v, int n, void (*d)(void *)),         \
      (stmt, i, v, n, d))                                                            \
    X(int, sqlite3_busy_timeout, (sqlite3 * db, int ms), (db, ms))                   \
    X(int, sqlite3_close, (sqlite3 * db), (db))                                      \
    X(sqlite3_int64, sqlite3_column_int64, (sqlite3_stmt * stmt, int iCol),          \
      (stmt, iCol))                                                                  \
    X(const unsigned char *, sqlite3_column_text, (sqlite3_stmt * stmt, int iCol),   \
      (stmt, iCol))                                                                  \
    X(const char *, sqlite3_errmsg, (sqlite3 * db), (db))                            \
    X(const char *, sqlite3_errstr, (int rc), (rc))                                  \
    X(int, sqlite3_exec,                                                             \
      (sqlite3 * db, const char *sql, int (*callback)(void *, int, char **, char **), \
       void *arg, char **errmsg),                                                    \
      (db, sql, callback, arg, errmsg))                                              \
    X(int, sqlite3_finalize, (sqlite3_stmt * pStmt), (pStmt))                        \
    V(sqlite3_free, (void *p), (p))                                                  \
    X(int, sqlite3_open_v2,                                                          \
      (const char *filename, sqlite3 **ppDb, int flags, const char *zVfs),           \
      (filename, ppDb, flags, zVfs))                                                 \
    X(int, sqlite3_prepare_v2,                                                       \
      (sqlite3 * db, const char *zSql, int nByte, sqlite3_stmt **ppStmt,             \
       const char **pzTail),                                                         \
      (db, zSql, nByte, ppStmt, pzTail))                                             \
    X(int, sqlite3_step, (sqlite3_stmt * stmt), (stmt))

#define DL_TABLE sq
#define DL_LIB sqlite_lib
BT_DL_DEFINE(SQLITE_FUNCS, SQLITE_SONAME, "SQLite, for the reviewers' decisions", )
