/* gloss_io.c - the glossary's file formats: TSV, CSV, JSON, OmegaT's
 * glossary.txt and TBX written; TSV (ours, OmegaT's, a spreadsheet's) and
 * TBX read (the model itself is gloss.c). */
#include "gloss_int.h"
#include "../corpus/corpus.h"
#include "../tmx/tmx.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

/* ---- writing ------------------------------------------------------------ */

int bt_gloss_format_parse(const char *name)
{
    if (!strcmp(name, "tsv")) return BT_GLOSS_TSV;
    if (!strcmp(name, "csv")) return BT_GLOSS_CSV;
    if (!strcmp(name, "json")) return BT_GLOSS_JSON;
    if (!strcmp(name, "tbx")) return BT_GLOSS_TBX;
    /* OmegaT's own extensions for its tab-separated glossaries */
    if (!strcmp(name, "omegat") || !strcmp(name, "txt") || !strcmp(name, "utf8"))
        return BT_GLOSS_OMEGAT;
    return -1;
}

/* A TSV field: tabs and line breaks would break the row. Written by runs
 * (a putc per byte cost 17 M instructions for a 2,000-row glossary). */
static void put_tsv_field(FILE *fp, const char *s)
{
    for (;;) {
        size_t n = strcspn(s, "\t\n\r");
        fwrite(s, 1, n, fp);
        if (!s[n]) return;
        putc(' ', fp);
        s += n + 1;
    }
}

static void put_csv_field(FILE *fp, const char *s)
{
    if (!strpbrk(s, ",\"\n\r") && *s != ' ') {
        fputs(s, fp);
        return;
    }
    putc('"', fp);
    for (; *s; s++) {
        if (*s == '"') putc('"', fp);
        putc(*s, fp);
    }
    putc('"', fp);
}

/* The rows as delimited text: TSV (a '#' header, which OmegaT skips) or
 * CSV; put writes one field, quoted or cleaned as the format needs. */
static int write_delimited(const bt_gloss *g, FILE *fp, const char *header, char sep,
                           void (*put)(FILE *, const char *))
{
    fputs(header, fp);
    for (size_t i = 0; i < bt_gloss_size(g); i++) {
        const bt_gloss_row *r = bt_gloss_row_at(g, i);
        put(fp, r->vi);
        putc(sep, fp);
        put(fp, r->en);
        putc(sep, fp);
        put(fp, r->kind);
        fprintf(fp, "%c%lu%c", sep, r->count, sep);
        put(fp, r->sources);
        putc('\n', fp); /* \n as every text bitext writes (RFC 4180 readers accept it) */
    }
    return ferror(fp) ? -1 : 0;
}

static int write_tsv(const bt_gloss *g, FILE *fp)
{
    return write_delimited(g, fp, "# vi\ten\tkind\tcount\tsources\n", '\t', put_tsv_field);
}

static int write_csv(const bt_gloss *g, FILE *fp)
{
    return write_delimited(g, fp, "vi,en,kind,count,sources\n", ',', put_csv_field);
}

/* OmegaT's tab-separated glossary: source, target, comment. A BOM, so that
 * OmegaT reads a .txt as UTF-8 whatever the system's encoding; a '#'
 * header, which OmegaT skips. The comment says what a translator weighs:
 * kind, standing, count and where the term was seen. */
static int write_omegat(const bt_gloss *g, FILE *fp)
{
    fputs("\xEF\xBB\xBF# bitext glossary for OmegaT: vi\ten\tcomment (kind; official, "
          "variant or deprecated; count; sources)\n", fp);
    for (size_t i = 0; i < bt_gloss_size(g); i++) {
        const bt_gloss_row *r = bt_gloss_row_at(g, i);
        bt_gloss_standing st = bt_gloss_standing_at(g, i);
        put_tsv_field(fp, r->vi);
        putc('\t', fp);
        put_tsv_field(fp, r->en);
        putc('\t', fp);
        put_tsv_field(fp, r->kind);
        if (st != BT_STANDING_NONE) fprintf(fp, "; %s", bt_gloss_standing_name(st));
        else if (r->official) fputs("; official", fp);
        if (r->count) fprintf(fp, "; count %lu", r->count);
        if (*r->sources) {
            fputs("; ", fp);
            put_tsv_field(fp, r->sources);
        }
        putc('\n', fp);
    }
    return ferror(fp) ? -1 : 0;
}

/* An array of sources from "a:1, b:2". */
static json_t *sources_json(const char *list)
{
    json_t *a = json_array();
    const char *p = list;
    while (*p) {
        const char *q = strstr(p, ", ");
        size_t n = q ? (size_t)(q - p) : strlen(p);
        json_array_append_new(a, json_stringn(p, n));
        if (!q) break;
        p = q + 2;
    }
    return a;
}

static int write_json(const bt_gloss *g, FILE *fp)
{
    fputs("[", fp);
    size_t n = bt_gloss_size(g);
    for (size_t i = 0; i < n; i++) {
        const bt_gloss_row *r = bt_gloss_row_at(g, i);
        json_t *o = json_object();
        json_object_set_new(o, "vi", json_string(r->vi));
        json_object_set_new(o, "en", json_string(r->en));
        json_object_set_new(o, "kind", json_string(r->kind));
        json_object_set_new(o, "count", json_integer((json_int_t)r->count));
        json_object_set_new(o, "official", json_boolean(r->official));
        json_object_set_new(o, "sources", sources_json(r->sources));
        fputs(i ? ",\n  " : "\n  ", fp);
        int rc = json_dumpf(o, fp, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        if (rc) return -1;
    }
    fputs(n ? "\n]\n" : "]\n", fp);
    return ferror(fp) ? -1 : 0;
}

int bt_gloss_write_fp(const bt_gloss *g, bt_gloss_format f, FILE *fp)
{
    switch (f) {
    case BT_GLOSS_TSV: return write_tsv(g, fp);
    case BT_GLOSS_CSV: return write_csv(g, fp);
    case BT_GLOSS_JSON: return write_json(g, fp);
    case BT_GLOSS_OMEGAT: return write_omegat(g, fp);
    case BT_GLOSS_TBX: break;
    }
    errno = EINVAL;
    return -1;
}

static int write_atomic(const bt_gloss *g, bt_gloss_format f, const char *path)
{
    bt_outfile *o = bt_outfile_open(path);
    if (!o) return -1;
    if (bt_gloss_write_fp(g, f, bt_outfile_fp(o)) != 0) {
        int e = errno ? errno : EIO;
        bt_outfile_abort(o);
        errno = e;
        return -1;
    }
    return bt_outfile_commit(o);
}

int bt_gloss_write_tsv(const bt_gloss *g, const char *path)
{
    return write_atomic(g, BT_GLOSS_TSV, path);
}

int bt_gloss_write_csv(const bt_gloss *g, const char *path)
{
    return write_atomic(g, BT_GLOSS_CSV, path);
}

int bt_gloss_write_json(const bt_gloss *g, const char *path)
{
    return write_atomic(g, BT_GLOSS_JSON, path);
}

int bt_gloss_write_omegat(const bt_gloss *g, const char *path)
{
    return write_atomic(g, BT_GLOSS_OMEGAT, path);
}

/* TBX-Basic's administrativeStatus values. */
static const char *tbx_status(bt_gloss_standing s)
{
    switch (s) {
    case BT_STANDING_PREFERRED: return "preferredTerm-admn-sts";
    case BT_STANDING_ADMITTED: return "admittedTerm-admn-sts";
    case BT_STANDING_DEPRECATED: return "deprecatedTerm-admn-sts";
    case BT_STANDING_NONE: break;
    }
    return NULL;
}

int bt_gloss_write_tbx(const bt_gloss *g, const char *path)
{
    return bt_gloss_write_tbx_langs(g, path, NULL, NULL);
}

int bt_gloss_write_tbx_langs(const bt_gloss *g, const char *path,
                             const char *lang_vi, const char *lang_en)
{
    bt_tmx_write_opts o = { .lang_vi = lang_vi, .lang_en = lang_en };
    size_t n = bt_gloss_size(g);
    bt_tbx_entry *e = bt_xmalloc((n ? n : 1) * sizeof *e);
    const char **st = bt_xmalloc((n ? n : 1) * sizeof *st);
    for (size_t i = 0; i < n; i++) {
        const bt_gloss_row *r = bt_gloss_row_at(g, i);
        e[i].vi = r->vi;
        e[i].en = r->en;
        e[i].kind = r->kind;
        e[i].count = r->count > 0xFFFFFFFFUL ? 0xFFFFFFFFU : (unsigned)r->count;
        e[i].sources = *r->sources ? r->sources : NULL;
        st[i] = tbx_status(bt_gloss_standing_at(g, i));
    }
    int rc = bt_tbx_write_opts(path, e, st, n, &o);
    free(st);
    free(e);
    return rc;
}

int bt_gloss_write(const bt_gloss *g, bt_gloss_format f, const char *path)
{
    if (f == BT_GLOSS_TBX) return bt_gloss_write_tbx(g, path);
    return write_atomic(g, f, path);
}

/* ---- reading ------------------------------------------------------------ */

/* Trim spaces in place; returns the start. */
static char *trim(char *s, char *end)
{
    while (s < end && (*s == ' ' || *s == '\t')) s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t')) end--;
    *end = '\0';
    return s;
}

/* Repair, in place, what no glossary term may hold and no terminal or XML
 * file should receive, by the rule of articles (bt_text_repair with
 * BT_REPAIR_SPACES: controls and noncharacters each become a space, other
 * spaces the space, and invisible characters, LRM, RLM, ALM and the bidi
 * embeddings, overrides and isolates among them, are taken out, so that a
 * term with a hidden LRM is the plain term). *n is the valid UTF-8 line's
 * length, updated. Returns the first control or noncharacter replaced, or
 * -1.
 *
 * The usual line holds none of them: a byte table marks the bytes that can
 * start one (a C0 control but TAB, DEL, and the lead bytes C2, D8, E1, E2,
 * E3, EF, F0..F4), and only at such a byte is the character itself put to
 * bt_text_repair; E1 starts most Vietnamese letters, so there only E1 9A
 * (U+1680, a space) is. */
static const unsigned char may_repair[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0,
    0, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

enum { GLOSS_REPAIR = BT_REPAIR_SPACES };

/* gloss_clean_line, knowing that line[0, i) holds no flagged byte. */
static int32_t clean_from(char *line, size_t *n, size_t i)
{
    const unsigned char *u = (const unsigned char *)line;
    for (;; i++) {
        while (i < *n && !may_repair[u[i]]) i++;
        if (i == *n) { /* nothing to repair */
            line[*n] = '\0';
            return -1;
        }
        if (may_repair[u[i]] == 2 && (i + 1 >= *n || u[i + 1] != 0x9A)) continue;
        /* the one character, by the rule itself: left alone, or not */
        size_t k = u[i] < 0x80 ? 1 : u[i] < 0xE0 ? 2 : u[i] < 0xF0 ? 3 : 4;
        if (k > *n - i) k = *n - i;
        char tmp[4];
        int32_t bad;
        if (bt_text_repair(tmp, line + i, k, GLOSS_REPAIR, &bad) != k || bad >= 0 ||
            memcmp(tmp, line + i, k))
            break;
        i += k - 1;
    }
    /* what comes before i is unchanged by the repair */
    int32_t first;
    *n = i + bt_text_repair(line + i, line + i, *n - i, GLOSS_REPAIR, &first);
    line[*n] = '\0';
    return first;
}

int32_t gloss_clean_line(char *line, size_t *n)
{
    return clean_from(line, n, 0);
}

/* Is s[0, n) UTF-8 (bt_utf8_decode's rule), and where is its first byte
 * that may_repair flags (*flag, n when none)? One look at each byte: a
 * glossary's line was validated and then scanned again. */
static int line_scan(const unsigned char *s, size_t n, size_t *flag)
{
    size_t i = 0, f = n;
    while (i < n) {
        unsigned c = s[i];
        if (c >= 0x20 && c < 0x7F) { /* most bytes */
            i++;
            continue;
        }
        if (may_repair[c] && f == n && (may_repair[c] != 2 || (i + 1 < n && s[i + 1] == 0x9A)))
            f = i;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t k;
        uint32_t v, min;
        if (c >= 0xC2 && c <= 0xDF) { k = 2; v = c & 0x1F; min = 0x80; }
        else if (c >= 0xE0 && c <= 0xEF) { k = 3; v = c & 0x0F; min = 0x800; }
        else if (c >= 0xF0 && c <= 0xF4) { k = 4; v = c & 0x07; min = 0x10000; }
        else return 0;
        if (k > n - i) return 0;
        for (size_t j = 1; j < k; j++) {
            if ((s[i + j] & 0xC0) != 0x80) return 0;
            v = v << 6 | (s[i + j] & 0x3Fu);
        }
        if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
        i += k;
    }
    *flag = f;
    return 1;
}

/* A header row without '#' ("vi<TAB>en", "source<TAB>target", as
 * spreadsheets write them): not a term. */
static int is_header_row(const char *vi, const char *en)
{
    static const char *const src[] = { "vi", "vietnamese", "source", "term", "src" };
    static const char *const tgt[] = { "en", "english", "target", "translation", "tgt" };
    int a = 0, b = 0;
    for (size_t i = 0; i < sizeof src / sizeof *src; i++) a |= !strcasecmp(vi, src[i]);
    for (size_t i = 0; i < sizeof tgt / sizeof *tgt; i++) b |= !strcasecmp(en, tgt[i]);
    return a && b;
}

static int is_kind(const char *s, size_t n)
{
    static const char *const kinds[] = { "title", "name", "place", "body" };
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (strlen(kinds[i]) == n && !strncmp(s, kinds[i], n)) return 1;
    return 0;
}

/* The third column of a three-column (OmegaT) glossary is a comment, not a
 * kind. Ours reads "KIND; official|variant|deprecated; count N; SOURCES"
 * (write_omegat): its parts are taken back; any other comment gives no
 * kind. */
static void omegat_comment(char *c, const char **kind, unsigned long *count,
                           const char **sources, int *official)
{
    *kind = NULL;
    *sources = NULL;
    char *p = c;
    for (int part = 0; *p; part++) {
        char *semi = strstr(p, "; ");
        size_t n = semi ? (size_t)(semi - p) : strlen(p);
        char *next = semi ? semi + 2 : p + n;
        if (part == 0) {
            if (!is_kind(p, n)) return; /* a comment of the user's own */
            p[n] = '\0';
            *kind = p;
            *count = 0; /* ours says "count N" only when seen */
        } else if (n == 8 && !strncmp(p, "official", 8)) {
            *official = 1;
        } else if ((n == 7 && !strncmp(p, "variant", 7)) ||
                   (n == 10 && !strncmp(p, "deprecated", 10))) {
            /* the standing is the lexicon's to say again */
        } else if (n > 6 && !strncmp(p, "count ", 6) && p[6] >= '0' && p[6] <= '9') {
            *count = strtoul(p + 6, NULL, 10);
        } else {
            *sources = p; /* the rest, places joined by ", " */
            return;
        }
        p = next;
    }
}

/* Where a line being read came from, for its reports. */
typedef struct tsv_place {
    const char *name;
    unsigned long lineno;
    bt_diag_fn diag;
    void *ud;
} tsv_place;

/* Copy the n bytes of s into *line (NUL-terminated), controls replaced;
 * the copy's length, or -1 when s is not UTF-8 (reported, line skipped).
 * *as_is (may be NULL) set when nothing was there to replace. */
static ptrdiff_t copy_clean_line(const char *s, size_t n, char **line, size_t *cap,
                                 const tsv_place *at, int *as_is)
{
    size_t flag;
    if (as_is) *as_is = 0;
    if (!line_scan((const unsigned char *)s, n, &flag)) {
        size_t bad = bt_utf8_invalid_at(s, n);
        bt_report(at->diag, at->ud, BT_ERR_UTF8, 0, at->name, at->lineno,
                  "invalid UTF-8 at byte %zu; line skipped", bad + 1);
        return -1;
    }
    BT_GROW(*line, *cap, n + 1);
    memcpy(*line, s, n);
    (*line)[n] = '\0';
    if (as_is) *as_is = flag == n;
    int32_t bad_cp = flag == n ? -1 : clean_from(*line, &n, flag);
    if (bad_cp >= 0)
        bt_report(at->diag, at->ud, BT_ERR_FORMAT, 1, at->name, at->lineno,
                  "control character U+%04X replaced", (unsigned)bad_cp);
    return (ptrdiff_t)n;
}

/* Cut line[0..n) at tabs, in place, into at most 5 fields; their count. */
static size_t split_fields(char *line, size_t n, char *f[5])
{
    size_t nf = 0;
    char *p = line, *end = line + n;
    while (nf < 5) {
        char *t = memchr(p, '\t', (size_t)(end - p));
        char *fe = t ? t : end;
        f[nf++] = p;
        if (!t) { *fe = '\0'; break; }
        *fe = '\0';
        p = fe + 1;
    }
    return nf;
}

/* Trim the fields and check there are a Vietnamese and an English term;
 * 0 (reported unless the line is blank) when the line is to be skipped. */
static int check_fields(const char *line, char *f[5], size_t nf, const tsv_place *at)
{
    if (nf < 2) {
        int blank = 1;
        for (const char *c = line; *c; c++)
            if (*c != ' ' && *c != '\t') blank = 0;
        if (!blank)
            bt_report(at->diag, at->ud, BT_ERR_FORMAT, 0, at->name, at->lineno,
                      "expected vi<TAB>en[<TAB>kind<TAB>count<TAB>sources]; "
                      "line skipped");
        return 0;
    }
    for (size_t k = 0; k < nf; k++) {
        char *fe = f[k] + strlen(f[k]);
        f[k] = trim(f[k], fe);
    }
    if (!*f[0] || !*f[1]) {
        bt_report(at->diag, at->ud, BT_ERR_FORMAT, 0, at->name, at->lineno,
                  "empty %s term; line skipped",
                  !*f[0] ? "Vietnamese" : "English");
        return 0;
    }
    return 1;
}

/* Add the row of checked fields: OmegaT's three columns (a comment), or
 * ours (kind, count, sources), a count that is not a number reported. */
static void add_fields(bt_gloss *g, char *f[5], size_t nf, const tsv_place *at,
                       const gloss_prep *prep)
{
    if (nf == 3 && !is_kind(f[2], strlen(f[2]))) {
        const char *kind, *sources;
        unsigned long count = 1;
        int official = 0;
        omegat_comment(f[2], &kind, &count, &sources, &official);
        gloss_add_row_prep(g, f[0], f[1], kind, count, sources, official, prep);
        return;
    }
    unsigned long count = 1;
    if (nf >= 4 && *f[3]) {
        char *e = NULL;
        errno = 0;
        if (*f[3] < '0' || *f[3] > '9' ||
            ((count = strtoul(f[3], &e, 10)), errno) || *e) {
            bt_report(at->diag, at->ud, BT_ERR_FORMAT, 0, at->name, at->lineno,
                      "count '%s' is not a number; line skipped", f[3]);
            return;
        }
    }
    gloss_add_row_prep(g, f[0], f[1], nf >= 3 ? f[2] : NULL, count,
                       nf >= 5 ? f[4] : NULL, 0, prep);
}

/* A reader's lines made ready ahead of it on a second thread: what a new
 * row is made of (gloss_prepare: the canonical forms, the identity's hash,
 * the key), which was a third of a million-row read. prep[k] of line k
 * (from 0) is ready when made[k] and done > k; made[k] 2 when the line was
 * UTF-8 with nothing to repair (the reader need not look again). The reader makes a line
 * itself when the thread is behind; the thread then jumps ahead of the
 * reader. Rows are the same either way: only who made them differs. */
typedef struct ahead {
    const char *data;
    size_t len, lines;        /* lines: of prep and made */
    gloss_prep *prep;
    unsigned char *made;
    _Atomic size_t done;      /* lines passed by the thread */
    _Atomic size_t at;        /* the line the reader is on */
    _Atomic int stop;
    gloss_prep_room room;
} ahead;

/* Below this many lines one thread reads (a thread costs more than it
 * saves); the thread jumps this many lines ahead of the reader. */
enum { AHEAD_LINES = 16384, AHEAD_JUMP = 512 };
/* The identity table's slot is read ahead this many lines (its row at
 * half the distance). */
enum { AHEAD_ID = 8 };

/* The lines of data as the reader cuts them (bt_gloss_read_tsv_mem),
 * checked the same way without reports: those the reader will add. */
static void *ahead_run(void *arg)
{
    ahead *a = arg;
    char *line = NULL;
    size_t cap = 0, i = 0, k = 0, from = 0;
    tsv_place quiet = { NULL, 0, NULL, NULL };
    /* (a file changed under its mapping may hold more lines than counted) */
    while (i < a->len && k < a->lines &&
           !atomic_load_explicit(&a->stop, memory_order_relaxed)) {
        const char *s = a->data + i;
        const char *nl = memchr(s, '\n', a->len - i);
        size_t n = nl ? (size_t)(nl - s) : a->len - i;
        i += n + (nl ? 1 : 0);
        size_t at = atomic_load_explicit(&a->at, memory_order_relaxed);
        if (k <= at) from = at + AHEAD_JUMP; /* caught up: ahead again */
        a->made[k] = 0;
        if (k >= from) {
            if (n && s[n - 1] == '\r') n--;
            int as_is;
            ptrdiff_t clean = n && s[0] != '#' ? copy_clean_line(s, n, &line, &cap, &quiet, &as_is) : -1;
            char *f[5] = { NULL, NULL, NULL, NULL, NULL };
            if (clean >= 0 && check_fields(line, f, split_fields(line, (size_t)clean, f), &quiet)) {
                if (gloss_prepare(f[0], f[1], &a->room, &a->prep[k]))
                    a->made[k] = as_is ? 2 : 1;
            }
        }
        atomic_store_explicit(&a->done, ++k, memory_order_release);
    }
    free(line);
    return NULL;
}

int bt_gloss_read_tsv_mem(bt_gloss *g, const char *name, const char *data,
                          size_t len, bt_diag_fn diag, void *ud)
{
    return gloss_read_tsv_lines(g, name, data, len, 0, diag, ud);
}

int gloss_read_tsv_lines(bt_gloss *g, const char *name, const char *data, size_t len,
                         size_t lines, bt_diag_fn diag, void *ud)
{
    int first = 1;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) { data += 3; len -= 3; }
    char *line = NULL;
    size_t cap = 0;
    tsv_place at = { name, 0, diag, ud };
    size_t i = 0;
    if (!lines) {
        lines = 1;
        for (const char *p = data; (p = memchr(p, '\n', len - (size_t)(p - data))) != NULL; p++)
            lines++;
    }
    gloss_reserve(g, lines);
    ahead a;
    pthread_t t;
    int two = 0;
    if (lines >= AHEAD_LINES) {
        a.data = data;
        a.len = len;
        a.lines = lines;
        a.prep = bt_xmalloc(lines * sizeof *a.prep);
        a.made = bt_xmalloc(lines);
        atomic_init(&a.done, 0);
        atomic_init(&a.at, 0);
        atomic_init(&a.stop, 0);
        gloss_prep_init(&a.room, lines);
        two = pthread_create(&t, NULL, ahead_run, &a) == 0;
        if (!two) {
            gloss_prep_free(&a.room);
            free(a.prep);
            free(a.made);
        }
    }
    while (i < len) {
        const char *nl = memchr(data + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (data + i)) : len - i;
        const char *s = data + i;
        i += n + (nl ? 1 : 0);
        at.lineno++;
        size_t k = (size_t)at.lineno - 1;
        if (two) atomic_store_explicit(&a.at, k, memory_order_relaxed);
        if (n && s[n - 1] == '\r') n--;
        if (!n || s[0] == '#') continue;
        ptrdiff_t clean;
        if (two && atomic_load_explicit(&a.done, memory_order_acquire) > k && a.made[k] == 2) {
            /* UTF-8 with nothing to repair, as the thread found: copied */
            BT_GROW(line, cap, n + 1);
            memcpy(line, s, n);
            line[n] = '\0';
            clean = (ptrdiff_t)n;
        } else {
            clean = copy_clean_line(s, n, &line, &cap, &at, NULL);
        }
        if (clean < 0) continue;
        char *f[5] = { NULL, NULL, NULL, NULL, NULL };
        size_t nf = split_fields(line, (size_t)clean, f);
        if (!check_fields(line, f, nf, &at)) continue;
        int was_first = first;
        first = 0;
        if (was_first && is_header_row(f[0], f[1])) continue;
        const gloss_prep *p = NULL;
        if (two) {
            size_t done = atomic_load_explicit(&a.done, memory_order_acquire);
            if (done > k && a.made[k]) p = &a.prep[k];
            /* the lines' rows, met at random places, read ahead too */
            for (int d = 0; d < 2; d++) {
                size_t j = k + (d ? AHEAD_ID / 2 : AHEAD_ID);
                if (done > j && a.made[j] && a.prep[j].s)
                    gloss_prefetch_id(g, a.prep[j].hash, d);
            }
        }
        add_fields(g, f, nf, &at, p);
    }
    if (two) {
        atomic_store_explicit(&a.stop, 1, memory_order_relaxed);
        pthread_join(t, NULL);
        gloss_keep_strings(g, &a.room); /* the rows made ahead point there */
        gloss_prep_free(&a.room);
        free(a.prep);
        free(a.made);
    }
    free(line);
    return BT_OK;
}

int gloss_check_lines(const char *data, size_t len, const char *path, bt_diag_fn diag,
                      void *ud, size_t *lines)
{
    const bt_limits *lim = bt_limits_get();
    unsigned long line = 1;
    for (const char *p = data, *end = data + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if ((size_t)((nl ? nl : end) - p) > lim->text) {
            bt_report(diag, ud, BT_ERR_LIMIT, 0, path, line, "line longer than %zu "
                      "bytes (BITEXT_LIMITS=text=SIZE raises it)", lim->text);
            return BT_ERR_LIMIT;
        }
        if (!nl) break;
        line++;
        p = nl + 1;
    }
    if (lines) *lines = line;
    return BT_OK;
}

int gloss_slurp_fd(int fd, const char *path, int tsv, char **data, size_t *len,
                   bt_diag_fn diag, void *ud)
{
    const bt_limits *lim = bt_limits_get();
    struct stat st;
    int regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (regular && (uintmax_t)st.st_size > lim->total) {
        bt_report(diag, ud, BT_ERR_LIMIT, 0, path, 0, "larger than %zu bytes "
                  "(BITEXT_LIMITS=total=SIZE raises it)", lim->total);
        return BT_ERR_LIMIT;
    }
    if (lseek(fd, 0, SEEK_SET) < 0 && errno != ESPIPE) goto fail;
    bt_buf b;
    bt_buf_init(&b);
    size_t run = 0;           /* bytes since the last line end */
    unsigned long line = 1;
    /* a regular file is read into one block of its size, straight from
     * read(), not copied from a small buffer into a doubling one */
    if (regular && st.st_size > 0) {
        bt_buf_reserve(&b, (size_t)st.st_size + 1);
        gloss_huge(b.ptr, b.cap);
    }
    for (;;) {
        if (b.cap - b.len < ((size_t)1 << 16) + 1) bt_buf_reserve(&b, (size_t)1 << 16);
        char *tmp = b.ptr + b.len;
        /* a megabyte at a time, so that a line too long (a sparse file)
         * is refused after its first few */
        size_t room = b.cap - b.len - 1;
        ssize_t n = read(fd, tmp, room < ((size_t)1 << 20) ? room : (size_t)1 << 20);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int e = errno;
            bt_buf_free(&b);
            errno = e;
            goto fail;
        }
        if (n == 0) break;
        for (const char *p = tmp, *end = tmp + n; tsv && p < end;) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            run += (size_t)((nl ? nl : end) - p);
            if (run > lim->text) {
                bt_report(diag, ud, BT_ERR_LIMIT, 0, path, line, "line longer than %zu "
                          "bytes (BITEXT_LIMITS=text=SIZE raises it)", lim->text);
                bt_buf_free(&b);
                return BT_ERR_LIMIT;
            }
            if (!nl) break;
            run = 0;
            line++;
            p = nl + 1;
        }
        if (b.len + (size_t)n > lim->total) {
            bt_report(diag, ud, BT_ERR_LIMIT, 0, path, 0, "larger than %zu bytes "
                      "(BITEXT_LIMITS=total=SIZE raises it)", lim->total);
            bt_buf_free(&b);
            return BT_ERR_LIMIT;
        }
        b.len += (size_t)n;
        b.ptr[b.len] = '\0';
    }
    *len = b.len;
    *data = bt_buf_detach(&b);
    return BT_OK;
fail:
    bt_report(diag, ud, BT_ERR_IO, 0, path, 0, "cannot read: %s", strerror(errno));
    return BT_ERR_IO;
}

int gloss_slurp(const char *path, char **data, size_t *len, bt_diag_fn diag, void *ud)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        bt_report(diag, ud, BT_ERR_IO, 0, path, 0, "cannot read: %s", strerror(errno));
        return BT_ERR_IO;
    }
    const char *was = bt_reading(path);
    int rc = gloss_slurp_fd(fd, path, 1, data, len, diag, ud);
    bt_reading(was);
    close(fd);
    return rc;
}

int bt_gloss_read_tsv(bt_gloss *g, const char *path, bt_diag_fn diag,
                      void *ud)
{
    char *data;
    size_t len;
    int rc = gloss_slurp(path, &data, &len, diag, ud);
    if (rc != BT_OK) return rc;
    const char *was = bt_reading(path);
    rc = bt_gloss_read_tsv_mem(g, path, data, len, diag, ud);
    bt_reading(was);
    free(data);
    return rc;
}

typedef struct tbx_ctx {
    bt_gloss *g;
    const char *path;
    bt_diag_fn diag;
    void *ud;
} tbx_ctx;

/* A copy of s with controls and noncharacters replaced (XML allows C1
 * controls, a terminal must not receive them); *bad gets the first. */
static char *clean_copy(const char *s, int32_t *bad)
{
    if (!s) return NULL;
    char *c = bt_xstrdup(s);
    size_t n = strlen(c);
    int32_t b = gloss_clean_line(c, &n);
    if (b >= 0 && *bad < 0) *bad = b;
    return c;
}

static int tbx_entry(void *ud, const bt_tbx_entry *e, unsigned long line)
{
    tbx_ctx *x = ud;
    int32_t bad = -1;
    char *vi = clean_copy(e->vi, &bad), *en = clean_copy(e->en, &bad);
    char *kind = clean_copy(e->kind, &bad), *src = clean_copy(e->sources, &bad);
    if (bad >= 0)
        bt_report(x->diag, x->ud, BT_ERR_FORMAT, 1, x->path, line,
                  "control character U+%04X replaced", (unsigned)bad);
    bt_gloss_add_row(x->g, vi, en, kind, e->count ? e->count : 1, src, 0);
    free(vi);
    free(en);
    free(kind);
    free(src);
    return 0;
}

int bt_gloss_read_tbx(bt_gloss *g, const char *path, bt_diag_fn diag,
                      void *ud)
{
    tbx_ctx x = { g, path, diag, ud };
    return bt_tbx_read(path, tbx_entry, &x, diag, ud);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcasecmp(s + n - m, suffix);
}

int bt_gloss_read(bt_gloss *g, const char *path, bt_diag_fn diag, void *ud)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        bt_buf p;
        bt_buf_init(&p);
        bt_buf_printf(&p, "%s/glossary.tsv", path);
        int rc = bt_gloss_read_tsv(g, p.ptr, diag, ud);
        bt_buf_free(&p);
        return rc;
    }
    if (ends_with(path, ".tbx")) return bt_gloss_read_tbx(g, path, diag, ud);
    return bt_gloss_read_tsv(g, path, diag, ud);
}
