/* decisions.c - the decisions of an archive in SQLite (DIR/decisions.db):
 * one row per key in `decisions`, every decision ever made in `log`, and
 * their TSV form for moving them between archives. See review.h. */
#include "review_int.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct bt_decisions {
    sqlite3 *db;
    char *err;
};

/* The columns, in the order of the TSV and of every statement below; the
 * first eight are the key. */
#define COLS "target, kind, subject, variant, file, vi_line, en_line, nth, action, " \
             "vi_hash, en_hash, new_vi_line, new_en_line, vi, en, who, at"
#define KEY "target, kind, subject, variant, file, vi_line, en_line, nth"
enum { NCOLS = 17, NKEY = 8 };
static const char *const col_names[NCOLS] = {
    "target", "kind", "subject", "variant", "file", "vi_line", "en_line", "nth", "action",
    "vi_hash", "en_hash", "new_vi_line", "new_en_line", "vi", "en", "who", "at"
};
/* which columns are numbers */
static int col_is_int(int i) { return i == 5 || i == 6 || i == 7 || i == 11 || i == 12; }

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS decisions("
    " target TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL,"
    " variant TEXT NOT NULL, file TEXT NOT NULL, vi_line INTEGER NOT NULL,"
    " en_line INTEGER NOT NULL, nth INTEGER NOT NULL, action TEXT NOT NULL,"
    " vi_hash TEXT NOT NULL, en_hash TEXT NOT NULL, new_vi_line INTEGER NOT NULL,"
    " new_en_line INTEGER NOT NULL, vi TEXT NOT NULL, en TEXT NOT NULL,"
    " who TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY(" KEY "));"
    "CREATE TABLE IF NOT EXISTS log(id INTEGER PRIMARY KEY,"
    " target TEXT, kind TEXT, subject TEXT, variant TEXT, file TEXT, vi_line INTEGER,"
    " en_line INTEGER, nth INTEGER, action TEXT, vi_hash TEXT, en_hash TEXT,"
    " new_vi_line INTEGER, new_en_line INTEGER, vi TEXT, en TEXT, who TEXT, at TEXT);"
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
    "INSERT OR IGNORE INTO meta VALUES('schema', '1');";

void bt_review_hash(const char *text, char out[17])
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ull;
    }
    static const char hex[] = "0123456789abcdef";
    for (int i = 15; i >= 0; i--, h >>= 4) out[i] = hex[h & 15];
    out[16] = 0;
}

static void set_err(bt_decisions *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(d->err);
    d->err = NULL;
    if (vasprintf(&d->err, fmt, ap) < 0) d->err = NULL;
    va_end(ap);
}

static int db_fail(bt_decisions *d, const char *what)
{
    set_err(d, "%s: %s", what, sqlite3_errmsg(d->db));
    return -1;
}

const char *bt_decisions_error(const bt_decisions *d)
{
    return d && d->err ? d->err : "";
}

bt_decisions *bt_decisions_open(const char *path, int create, char **err)
{
    sqlite3 *db = NULL;
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) |
                SQLITE_OPEN_FULLMUTEX;
    *err = NULL;
    int rc = sqlite3_open_v2(path, &db, flags, NULL);
    if (rc == SQLITE_OK) {
        /* readers and writers in other processes wait for each other
         * rather than fail */
        sqlite3_busy_timeout(db, 10000);
        char *msg = NULL;
        rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL;", NULL, NULL, &msg);
        if (rc == SQLITE_OK) rc = sqlite3_exec(db, schema, NULL, NULL, &msg);
        if (rc != SQLITE_OK) {
            if (asprintf(err, "'%s': %s", path, msg ? msg : sqlite3_errstr(rc)) < 0)
                *err = NULL;
            sqlite3_free(msg);
            sqlite3_close(db);
            return NULL;
        }
    } else {
        if (asprintf(err, "cannot open '%s': %s", path,
                     db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)) < 0)
            *err = NULL;
        sqlite3_close(db);
        return NULL;
    }
    bt_decisions *d = bt_xcalloc(1, sizeof *d);
    d->db = db;
    return d;
}

void bt_decisions_close(bt_decisions *d)
{
    if (!d) return;
    sqlite3_close(d->db);
    free(d->err);
    free(d);
}

/* ---- checking and writing one decision ------------------------------- */

static const char *nz(const char *s) { return s ? s : ""; }

/* What a decision must hold for its target; NULL or why not. */
static const char *invalid(const bt_decision *dec)
{
    const char *t = nz(dec->target), *a = nz(dec->action);
    if (!strcmp(a, "undo")) return NULL;
    if (!strcmp(t, "pair")) {
        if (!*nz(dec->file)) return "a pair decision needs a file";
        if (!dec->vi_line && !dec->en_line) return "a pair decision needs a line";
        if (!strcmp(a, "accept") || !strcmp(a, "reject")) return NULL;
        if (!strcmp(a, "fix") || !strcmp(a, "edit") || !strcmp(a, "split")) {
            if (!*nz(dec->vi) || !*nz(dec->en)) return "fix, edit and split need both texts";
            return NULL;
        }
        return "unknown action for a pair (accept, reject, fix, edit, split, undo)";
    }
    if (!strcmp(t, "finding")) {
        if (!*nz(dec->subject) || !*nz(dec->kind)) return "a finding needs kind and subject";
        return strcmp(a, "fixed") ? "unknown action for a finding (fixed, undo)" : NULL;
    }
    if (!strcmp(t, "variant")) {
        if (!*nz(dec->subject) || !*nz(dec->variant)) return "a variant needs subject and variant";
        return strcmp(a, "accept") ? "unknown action for a variant (accept, undo)" : NULL;
    }
    if (!strcmp(t, "house")) {
        if (!*nz(dec->subject) || !*nz(dec->en)) return "a house rendering needs subject and en";
        return strcmp(a, "set") ? "unknown action for a house rendering (set, undo)" : NULL;
    }
    return "unknown target (pair, finding, variant, house)";
}

static void now_utc(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Bind dec's columns as ?1..?17. */
static void bind_all(sqlite3_stmt *st, const bt_decision *dec, const char *at)
{
    const char *s[NCOLS] = { dec->target, dec->kind, dec->subject, dec->variant, dec->file,
                             NULL, NULL, NULL, dec->action, dec->vi_hash, dec->en_hash,
                             NULL, NULL, dec->vi, dec->en, dec->who, at };
    sqlite3_int64 v[NCOLS] = { 0 };
    v[5] = (sqlite3_int64)dec->vi_line;
    v[6] = (sqlite3_int64)dec->en_line;
    v[7] = (sqlite3_int64)dec->nth;
    v[11] = (sqlite3_int64)dec->new_vi_line;
    v[12] = (sqlite3_int64)dec->new_en_line;
    for (int i = 0; i < NCOLS; i++) {
        if (col_is_int(i)) sqlite3_bind_int64(st, i + 1, v[i]);
        else sqlite3_bind_text(st, i + 1, nz(s[i]), -1, SQLITE_STATIC);
    }
}

static int exec_one(bt_decisions *d, const char *sql, const bt_decision *dec, const char *at)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(d->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(d, "cannot prepare");
    bind_all(st, dec, at);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return db_fail(d, "cannot write a decision");
    return 0;
}

static const char sql_log[] =
    "INSERT INTO log(" COLS ") VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)";
static const char sql_replace[] =
    "INSERT OR REPLACE INTO decisions(" COLS ") VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,"
    "?12,?13,?14,?15,?16,?17)";
/* an imported row wins unless the archive's own is newer */
static const char sql_merge[] =
    "INSERT INTO decisions(" COLS ") VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,"
    "?15,?16,?17) ON CONFLICT(" KEY ") DO UPDATE SET action=excluded.action,"
    " vi_hash=excluded.vi_hash, en_hash=excluded.en_hash,"
    " new_vi_line=excluded.new_vi_line, new_en_line=excluded.new_en_line,"
    " vi=excluded.vi, en=excluded.en, who=excluded.who, at=excluded.at"
    " WHERE excluded.at >= decisions.at";
static const char sql_delete[] =
    "DELETE FROM decisions WHERE target=?1 AND kind=?2 AND subject=?3 AND variant=?4"
    " AND file=?5 AND vi_line=?6 AND en_line=?7 AND nth=?8";

static int put(bt_decisions *d, const bt_decision *dec, int merge)
{
    const char *why = invalid(dec);
    if (why) {
        set_err(d, "%s", why);
        return -1;
    }
    char at[32];
    if (dec->at && *dec->at) snprintf(at, sizeof at, "%s", dec->at);
    else now_utc(at);
    if (exec_one(d, sql_log, dec, at) != 0) return -1;
    const char *sql = !strcmp(nz(dec->action), "undo") ? sql_delete
                      : merge ? sql_merge : sql_replace;
    return exec_one(d, sql, dec, at);
}

/* A transaction: begun, then committed if ok (its work succeeded), else
 * rolled back. 0, or -1 with the error set. */
static int tx_begin(bt_decisions *d)
{
    if (sqlite3_exec(d->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(d, "cannot begin");
    return 0;
}

static int tx_end(bt_decisions *d, int ok)
{
    if (ok && sqlite3_exec(d->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK) return 0;
    if (ok) db_fail(d, "cannot commit");
    sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

int bt_decisions_put(bt_decisions *d, const bt_decision *dec)
{
    /* the log row and the decision together, or neither */
    if (tx_begin(d) != 0) return -1;
    return tx_end(d, put(d, dec, 0) == 0);
}

/* ---- reading ---------------------------------------------------------- */

static void row_of(sqlite3_stmt *st, bt_decision *dec)
{
    const char *s[NCOLS];
    for (int i = 0; i < NCOLS; i++) s[i] = (const char *)sqlite3_column_text(st, i);
    memset(dec, 0, sizeof *dec);
    dec->target = nz(s[0]);
    dec->kind = nz(s[1]);
    dec->subject = nz(s[2]);
    dec->variant = nz(s[3]);
    dec->file = nz(s[4]);
    dec->vi_line = (unsigned long)sqlite3_column_int64(st, 5);
    dec->en_line = (unsigned long)sqlite3_column_int64(st, 6);
    dec->nth = (unsigned)sqlite3_column_int64(st, 7);
    dec->action = nz(s[8]);
    dec->vi_hash = nz(s[9]);
    dec->en_hash = nz(s[10]);
    dec->new_vi_line = (unsigned long)sqlite3_column_int64(st, 11);
    dec->new_en_line = (unsigned long)sqlite3_column_int64(st, 12);
    dec->vi = nz(s[13]);
    dec->en = nz(s[14]);
    dec->who = nz(s[15]);
    dec->at = nz(s[16]);
}

int bt_decisions_each(bt_decisions *d, void (*fn)(void *ud, const bt_decision *dec), void *ud)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(d->db, "SELECT " COLS " FROM decisions ORDER BY " KEY, -1, &st,
                           NULL) != SQLITE_OK)
        return db_fail(d, "cannot read the decisions");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        bt_decision dec;
        row_of(st, &dec);
        fn(ud, &dec);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return db_fail(d, "cannot read the decisions");
    return 0;
}

/* ---- TSV ---------------------------------------------------------------- */

/* Tabs, line ends and backslashes escaped, so that a row is one line. */
static void put_field(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '\t': fputs("\\t", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\\': fputs("\\\\", out); break;
        default: fputc(*s, out);
        }
    }
}

typedef struct export_ctx {
    FILE *out;
} export_ctx;

static void export_row(void *ud, const bt_decision *dec)
{
    export_ctx *x = ud;
    const char *s[NCOLS] = { dec->target, dec->kind, dec->subject, dec->variant, dec->file,
                             NULL, NULL, NULL, dec->action, dec->vi_hash, dec->en_hash,
                             NULL, NULL, dec->vi, dec->en, dec->who, dec->at };
    unsigned long v[NCOLS] = { 0 };
    v[5] = dec->vi_line;
    v[6] = dec->en_line;
    v[7] = dec->nth;
    v[11] = dec->new_vi_line;
    v[12] = dec->new_en_line;
    for (int i = 0; i < NCOLS; i++) {
        if (i) fputc('\t', x->out);
        if (col_is_int(i)) fprintf(x->out, "%lu", v[i]);
        else put_field(x->out, nz(s[i]));
    }
    fputc('\n', x->out);
}

int bt_decisions_export(bt_decisions *d, FILE *out)
{
    for (int i = 0; i < NCOLS; i++) fprintf(out, "%s%s", i ? "\t" : "", col_names[i]);
    fputc('\n', out);
    export_ctx x = { out };
    return bt_decisions_each(d, export_row, &x);
}

/* Split line (modified) at tabs and undo the escapes; the field count. */
static int split_row(char *line, char **f, int max)
{
    int n = 0;
    char *w = line, *start = line;
    for (char *p = line;; p++) {
        if (*p == '\t' || !*p) {
            int end = !*p;
            *w = 0;
            if (n < max) f[n] = start;
            n++;
            if (end) break;
            start = w = p + 1;
            continue;
        }
        if (*p == '\\' && p[1]) {
            p++;
            *w++ = *p == 't' ? '\t' : *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p;
        } else {
            *w++ = *p;
        }
    }
    return n;
}

static int parse_num(const char *s, unsigned long *v)
{
    char *end;
    if (*s < '0' || *s > '9') return -1;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (errno || *end || x > 0xffffffffull) return -1;
    *v = (unsigned long)x;
    return 0;
}

static int import_rows(bt_decisions *d, FILE *in, const char *name, size_t *n)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long lineno = 0;
    int rc = 0;
    while ((len = getline(&line, &cap, in)) >= 0) {
        lineno++;
        if (len && line[len - 1] == '\n') line[--len] = 0;
        if (len && line[len - 1] == '\r') line[--len] = 0;
        if (lineno == 1) {
            if (strncmp(line, "target\tkind\t", 12) != 0) {
                set_err(d, "%s:1: not a decisions file (no header line)", name);
                rc = -1;
                break;
            }
            continue;
        }
        if (!len) continue;
        char *f[NCOLS];
        int nf = split_row(line, f, NCOLS);
        if (nf != NCOLS) {
            set_err(d, "%s:%lu: %d fields, want %d", name, lineno, nf, NCOLS);
            rc = -1;
            break;
        }
        unsigned long v[NCOLS] = { 0 };
        for (int i = 0; i < NCOLS && rc == 0; i++)
            if (col_is_int(i) && parse_num(f[i], &v[i]) != 0) {
                set_err(d, "%s:%lu: %s: not a number: '%s'", name, lineno, col_names[i], f[i]);
                rc = -1;
            }
        if (rc) break;
        bt_decision dec = { .target = f[0], .kind = f[1], .subject = f[2], .variant = f[3],
                            .file = f[4], .vi_line = v[5], .en_line = v[6],
                            .nth = (unsigned)v[7], .action = f[8], .vi_hash = f[9],
                            .en_hash = f[10], .new_vi_line = v[11], .new_en_line = v[12],
                            .vi = f[13], .en = f[14], .who = f[15], .at = f[16] };
        if (!strcmp(dec.action, "undo")) {
            set_err(d, "%s:%lu: 'undo' is not a decision to import", name, lineno);
            rc = -1;
            break;
        }
        if (put(d, &dec, 1) != 0) {
            char *why = bt_xstrdup(bt_decisions_error(d));
            set_err(d, "%s:%lu: %s", name, lineno, why);
            free(why);
            rc = -1;
            break;
        }
        (*n)++;
    }
    if (rc == 0 && ferror(in)) {
        set_err(d, "%s: %s", name, strerror(errno));
        rc = -1;
    }
    if (rc == 0 && lineno == 0) {
        set_err(d, "%s: empty (no header line)", name);
        rc = -1;
    }
    free(line);
    return rc;
}

int bt_decisions_import(bt_decisions *d, FILE *in, const char *name, size_t *n)
{
    *n = 0;
    /* all rows or none: a bad line leaves the archive as it was */
    if (tx_begin(d) != 0) return -1;
    if (tx_end(d, import_rows(d, in, name, n) == 0) != 0) {
        *n = 0;
        return -1;
    }
    return 0;
}
