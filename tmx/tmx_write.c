/* tmx_write.c - TMX 1.4b and TBX 2008 (TBX-Basic) writers, streamed into
 * an atomic output file in the layout (two-space indent) libxml2's
 * xmlTextWriter gave them. */
#define _POSIX_C_SOURCE 200809L
#include "tmx_int.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct bt_tmx_writer {
    tmx_xw x;
    char date[20];
    size_t datelen;
    unsigned long next_id;
    char lang_vi[64], lang_en[64]; /* checked by bt_tmx_lang_ok */
    int provenance;
    unsigned langs_given;          /* bt_tmx_write_opts */
};

int bt_tmx_lang_ok(const char *code)
{
    if (!code) return 0;
    size_t n = strlen(code), run = 0, part = 0;
    if (n == 0 || n >= 64) return 0;
    for (size_t i = 0; i <= n; i++) {
        char c = code[i];
        if (c == '-' || c == '\0') {
            if (part == 0 ? run < 2 || run > 8 : run < 1 || run > 8) return 0;
            part++;
            run = 0;
            continue;
        }
        int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        int digit = c >= '0' && c <= '9';
        if (!letter && !(digit && part > 0)) return 0;
        run++;
    }
    return 1;
}

/* opts' code for a side, or the default (a code the writer would refuse
 * falls back to it too: the caller checked with bt_tmx_lang_ok). */
static void pick_lang(char out[64], const char *code, const char *dflt)
{
    const char *c = code && bt_tmx_lang_ok(code) ? code : dflt;
    memcpy(out, c, strlen(c) + 1);
}

/* YYYYMMDDThhmmssZ, UTC. SOURCE_DATE_EPOCH, when set, stands for "now" so
 * that golden outputs can be compared byte for byte. */
static void utc_stamp(char out[20])
{
    time_t now = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        long long v = strtoll(sde, &end, 10);
        if (*end == '\0' && v >= 0) now = (time_t)v;
    }
    struct tm tm;
    gmtime_r(&now, &tm);
    if (!strftime(out, 20, "%Y%m%dT%H%M%SZ", &tm)) out[0] = '\0'; /* year beyond 9999 */
}

/* "%.3f" of a score in [0, 1] at o without snprintf (a sixth of a unit's
 * cost): exact whenever s * 1000 is clearly away from a half, which leaves
 * its rounding error no say; ties and near ties go to snprintf. At most
 * 32 bytes. */
static char *put_score(char *o, double s)
{
    double y = s * 1000, f = floor(y), frac = y - f;
    if (s >= 0 && s <= 1 && !signbit(s) && fabs(frac - 0.5) > 1e-6) {
        int k = (int)f + (frac > 0.5);
        o[0] = (char)('0' + k / 1000);
        o[1] = '.';
        o[2] = (char)('0' + k / 100 % 10);
        o[3] = (char)('0' + k / 10 % 10);
        o[4] = (char)('0' + k % 10);
        return o + 5;
    }
    char num[32];
    int n = snprintf(num, sizeof num, "%.3f", s);
    if (n < 0 || (size_t)n >= sizeof num) n = 0;
    memcpy(o, num, (size_t)n);
    return o + n;
}

int bt_tmx_score_kept(double score, double min)
{
    if (!(min > 0)) return 1;
    if (!(score >= 0)) return 0;
    char num[40];
    *put_score(num, score > 1 ? 1 : score) = '\0';
    return strtod(num, NULL) >= min;
}

bt_tmx_writer *bt_tmx_writer_open(const char *path, const char *tool_version)
{
    return bt_tmx_writer_open_opts(path, tool_version, NULL);
}

bt_tmx_writer *bt_tmx_writer_open_opts(const char *path, const char *tool_version,
                                       const bt_tmx_write_opts *opts)
{
    bt_tmx_writer *w = bt_xcalloc(1, sizeof *w);
    pick_lang(w->lang_vi, opts ? opts->lang_vi : NULL, "vi");
    pick_lang(w->lang_en, opts ? opts->lang_en : NULL, "en");
    w->provenance = opts && opts->provenance;
    w->langs_given = opts ? opts->langs_given : 0;
    if (tmx_xw_open(&w->x, path) < 0) {
        int e = errno;
        free(w);
        errno = e;
        return NULL;
    }
    utc_stamp(w->date);
    w->datelen = strlen(w->date);
    tmx_xw *x = &w->x;
    const char *v = tool_version && *tool_version ? tool_version : "unknown";
    size_t lv = strlen(v);
    char *o = tmx_xw_reserve(x, TMX_XW_ESC_MAX(lv) + 512);
    o = TMX_XW_LIT(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<tmx version=\"1.4\">\n"
                     "  <header creationtool=\"bitext\" creationtoolversion=\"");
    o = tmx_xw_escape(o, v, lv, 1);
    o = TMX_XW_LIT(o, "\" segtype=\"sentence\" o-tmf=\"bitext\" adminlang=\"en\" srclang=\"");
    size_t lsv = strlen(w->lang_vi);
    memcpy(o, w->lang_vi, lsv);
    o += lsv;
    o = TMX_XW_LIT(o, "\" datatype=\"plaintext\" creationdate=\"");
    memcpy(o, w->date, w->datelen);
    o += w->datelen;
    /* ">" once a unit follows; "/>" at the end if none did */
    o = TMX_XW_LIT(o, "\"/>\n"
                     "  <body");
    tmx_xw_done(x, o);
    return w;
}

/* <prop type="TYPE">VALUE</prop>, escaped; the bound is
 * 32 + TMX_XW_ESC_MAX(len) + strlen(type). */
static char *prop(char *o, const char *type, const char *value, size_t len)
{
    o = TMX_XW_LIT(o, "      <prop type=\"");
    size_t lt = strlen(type);
    memcpy(o, type, lt);
    o += lt;
    o = TMX_XW_LIT(o, "\">");
    o = tmx_xw_escape(o, value, len, 0);
    return TMX_XW_LIT(o, "</prop>\n");
}

static char *prop_ulong(char *o, const char *type, unsigned long v)
{
    char num[24];
    *tmx_xw_ulong(num, v) = '\0';
    return prop(o, type, num, strlen(num));
}

/* bitext's own props of a unit: where it comes from, its score and status,
 * its other places (lf, lst, lso: the lengths of file, status, sources). */
static char *place_props(char *o, const bt_tmx_unit *u, size_t lf, size_t lst, size_t lso)
{
    if (u->file) o = prop(o, "x-file", u->file, lf);
    if (u->vi_line) o = prop_ulong(o, "x-vi-line", u->vi_line);
    if (u->en_line) o = prop_ulong(o, "x-en-line", u->en_line);
    if (u->score >= 0) {
        o = TMX_XW_LIT(o, "      <prop type=\"x-score\">");
        o = put_score(o, u->score > 1 ? 1 : u->score);
        o = TMX_XW_LIT(o, "</prop>\n");
    }
    if (lst) o = prop(o, "x-status", u->status, lst);
    if (lso) o = prop(o, "x-sources", u->more_sources, lso);
    return o;
}

/* An attribute ' name="value"' at o (value escaped). */
static char *attr(char *o, const char *name, const char *value)
{
    *o++ = ' ';
    size_t ln = strlen(name);
    memcpy(o, name, ln);
    o += ln;
    o = TMX_XW_LIT(o, "=\"");
    o = tmx_xw_escape(o, value, strlen(value), 1);
    *o++ = '"';
    return o;
}

static char *usagecount(char *o, unsigned n)
{
    o = TMX_XW_LIT(o, " usagecount=\"");
    o = tmx_xw_ulong(o, n ? n : 1);
    *o++ = '"';
    return o;
}

static char *copy(char *o, const char *s, size_t n)
{
    memcpy(o, s, n);
    return o + n;
}

/* Each item of a list (elements, each NUL-ended) on a line of its own. */
static char *items(char *o, const char *list, size_t len, const char *indent)
{
    size_t li = strlen(indent);
    for (size_t at = 0; at < len;) {
        size_t n = strlen(list + at);
        o = copy(o, indent, li);
        o = copy(o, list + at, n);
        *o++ = '\n';
        at += n + 1;
    }
    return o;
}

static size_t meta_bytes(const bt_tmx_meta *m)
{
    size_t n = strlen(m->attrs) + strlen(m->changedate) + strlen(m->creationdate) +
               strlen(m->lastusagedate) + m->items_len + m->more_len;
    for (int k = 0; k < 2; k++)
        n += strlen(m->tuv[k].attrs) + m->tuv[k].items_len + strlen(m->tuv[k].seg);
    return n;
}

/* A unit read from a memory, as it was read (bt_tmx_meta): its attributes
 * (a tuid and the creationdate of the run only when it had none; the
 * store's usagecount and lastusagedate), its notes and props, bitext's own
 * props from u, its tuvs with their attributes, notes, props and inline
 * markup. */
static int add_kept(bt_tmx_writer *w, const bt_tmx_unit *u)
{
    const bt_tmx_meta *m = u->meta;
    tmx_xw *x = &w->x;
    size_t lf = u->file ? strlen(u->file) : 0;
    size_t lst = u->status ? strlen(u->status) : 0;
    size_t lso = u->more_sources ? strlen(u->more_sources) : 0;
    /* items gain an indent and a line end: at most twice their bytes */
    char *o = tmx_xw_reserve(x, TMX_XW_ESC_MAX(lf + lst + lso + strlen(m->lastusagedate)) +
                                    2 * meta_bytes(m) + 1536);
    if (!w->next_id) o = TMX_XW_LIT(o, ">\n");
    ++w->next_id;
    o = TMX_XW_LIT(o, "    <tu");
    /* a usagecount the unit did not have goes after the tuid, as bitext
     * writes it */
    int uc = strstr(m->attrs, "\001U") ? 0
             : u->usagecount > 1 ? -1 : 1;
    int lud = 0; /* written */
    if (!m->has_tuid) {
        o = TMX_XW_LIT(o, " tuid=\"");
        o = tmx_xw_ulong(o, w->next_id);
        *o++ = '"';
        if (uc < 0) o = usagecount(o, u->usagecount), uc = 1;
    }
    for (const char *a = m->attrs; *a;) {
        const char *mark = strchr(a, TMX_KEEP_MARK);
        size_t n = mark ? (size_t)(mark - a) : strlen(a);
        const char *tuid = uc < 0 ? strstr(a, " tuid=\"") : NULL;
        if (tuid && tuid < a + n) { /* values are escaped: no '"' inside */
            const char *end = strchr(tuid + 7, '"') + 1;
            o = copy(o, a, (size_t)(end - a));
            o = usagecount(o, u->usagecount);
            uc = 1;
            n -= (size_t)(end - a);
            a = end;
        }
        o = copy(o, a, n);
        if (!mark) break;
        if (mark[1] == 'U' && !uc) o = usagecount(o, u->usagecount), uc = 1;
        if (mark[1] == 'L' && !lud && *m->lastusagedate)
            o = attr(o, "lastusagedate", m->lastusagedate), lud = 1;
        a = mark + (mark[1] ? 2 : 1);
    }
    if (uc < 0) o = usagecount(o, u->usagecount);
    if (!lud && *m->lastusagedate) o = attr(o, "lastusagedate", m->lastusagedate);
    if (!*m->creationdate) {
        o = TMX_XW_LIT(o, " creationdate=\"");
        o = copy(o, w->date, w->datelen);
        *o++ = '"';
    }
    o = TMX_XW_LIT(o, ">\n");
    o = items(o, m->items, m->items_len, "      ");
    o = items(o, m->more, m->more_len, "      ");
    o = place_props(o, u, lf, lst, lso);
    for (int k = 0; k < 2; k++) {
        const char *a = m->tuv[k].attrs;
        const char *xl = strstr(a, " xml:lang=\"");
        int given = (w->langs_given >> k) & 1;
        o = TMX_XW_LIT(o, "      <tuv");
        if (!xl || given) { /* no code: not met in what merge reads */
            o = TMX_XW_LIT(o, " xml:lang=\"");
            const char *l = k ? w->lang_en : w->lang_vi;
            o = copy(o, l, strlen(l));
            *o++ = '"';
        }
        if (xl && given) { /* the code read left out; values hold no '"' */
            const char *end = strchr(xl + 11, '"');
            o = copy(o, a, (size_t)(xl - a));
            a = end ? end + 1 : xl + strlen(xl);
        }
        o = copy(o, a, strlen(a));
        o = TMX_XW_LIT(o, ">\n");
        o = items(o, m->tuv[k].items, m->tuv[k].items_len, "        ");
        o = TMX_XW_LIT(o, "        <seg>");
        o = copy(o, m->tuv[k].seg, strlen(m->tuv[k].seg));
        o = TMX_XW_LIT(o, "</seg>\n"
                         "      </tuv>\n");
    }
    o = TMX_XW_LIT(o, "    </tu>\n");
    tmx_xw_done(x, o);
    return tmx_xw_flush(x);
}

int bt_tmx_writer_add(bt_tmx_writer *w, const bt_tmx_unit *u)
{
    if (!w || !u || !u->vi || !u->en) { errno = EINVAL; return -1; }
    if (w->x.err) { errno = w->x.err; return -1; }
    if (u->meta) return add_kept(w, u);
    tmx_xw *x = &w->x;
    size_t lvi = strlen(u->vi), len = strlen(u->en);
    size_t lf = u->file ? strlen(u->file) : 0;
    size_t lst = u->status ? strlen(u->status) : 0;
    size_t lso = u->more_sources ? strlen(u->more_sources) : 0;
    /* the markup, numbers and codes take well under 1200 bytes; the note
     * repeats the file and status */
    char *o = tmx_xw_reserve(x, TMX_XW_ESC_MAX(lvi + len + 2 * (lf + lst) + lso) + 1536);
    if (!w->next_id) o = TMX_XW_LIT(o, ">\n");
    o = TMX_XW_LIT(o, "    <tu tuid=\"");
    o = tmx_xw_ulong(o, ++w->next_id);
    if (u->usagecount > 1) {
        o = TMX_XW_LIT(o, "\" usagecount=\"");
        o = tmx_xw_ulong(o, u->usagecount);
    }
    o = TMX_XW_LIT(o, "\" creationdate=\"");
    memcpy(o, w->date, w->datelen);
    o += w->datelen;
    if (w->provenance) o = TMX_XW_LIT(o, "\" creationid=\"bitext");
    o = TMX_XW_LIT(o, "\">\n");
    if (w->provenance) {
        /* what OmegaT and other CAT tools show beside a match: where the
         * pair comes from and how sure bitext is of it */
        o = TMX_XW_LIT(o, "      <note>");
        if (u->file) {
            o = tmx_xw_escape(o, u->file, lf, 0);
            *o++ = ':';
            o = tmx_xw_ulong(o, u->vi_line);
            o = TMX_XW_LIT(o, ", ");
        }
        if (u->score >= 0) {
            o = TMX_XW_LIT(o, "score ");
            o = put_score(o, u->score > 1 ? 1 : u->score);
            o = TMX_XW_LIT(o, ", ");
        }
        if (lst) o = tmx_xw_escape(o, u->status, lst, 0);
        else o = TMX_XW_LIT(o, "accepted");
        if (u->usagecount > 1) {
            o = TMX_XW_LIT(o, ", seen ");
            o = tmx_xw_ulong(o, u->usagecount);
            o = TMX_XW_LIT(o, " times");
        }
        o = TMX_XW_LIT(o, "</note>\n");
    }
    o = place_props(o, u, lf, lst, lso);
    o = TMX_XW_LIT(o, "      <tuv xml:lang=\"");
    size_t lv = strlen(w->lang_vi), le = strlen(w->lang_en);
    memcpy(o, w->lang_vi, lv);
    o += lv;
    o = TMX_XW_LIT(o, "\">\n"
                     "        <seg>");
    o = tmx_xw_escape(o, u->vi, lvi, 0);
    o = TMX_XW_LIT(o, "</seg>\n"
                     "      </tuv>\n"
                     "      <tuv xml:lang=\"");
    memcpy(o, w->lang_en, le);
    o += le;
    o = TMX_XW_LIT(o, "\">\n"
                     "        <seg>");
    o = tmx_xw_escape(o, u->en, len, 0);
    o = TMX_XW_LIT(o, "</seg>\n"
                     "      </tuv>\n"
                     "    </tu>\n");
    tmx_xw_done(x, o);
    return tmx_xw_flush(x);
}

int bt_tmx_writer_close(bt_tmx_writer *w)
{
    if (!w) { errno = EINVAL; return -1; }
    tmx_xw_raw(&w->x, w->next_id ? "  </body>\n</tmx>\n" : "/>\n</tmx>\n");
    int rc = tmx_xw_commit(&w->x);
    int e = errno;
    free(w);
    errno = e;
    return rc;
}

void bt_tmx_writer_abort(bt_tmx_writer *w)
{
    if (!w) return;
    tmx_xw_abort(&w->x);
    free(w);
}

/* ---- TBX ---------------------------------------------------------------- */

static const char *part_of_speech(const char *kind)
{
    if (kind && (!strcmp(kind, "name") || !strcmp(kind, "place")))
        return "properNoun";
    return "noun";
}

/* One langSet; the bound is 320 + TMX_XW_ESC_MAX(len + strlen(status)). */
static char *tbx_lang_set(char *o, const char *lang, const char *term, size_t len,
                          const char *kind, const char *status)
{
    o = TMX_XW_LIT(o, "        <langSet xml:lang=\"");
    size_t ll = strlen(lang); /* under 64: bt_tmx_lang_ok */
    memcpy(o, lang, ll);
    o += ll;
    o = TMX_XW_LIT(o, "\">\n"
                     "          <tig>\n"
                     "            <term>");
    o = tmx_xw_escape(o, term, len, 0);
    o = TMX_XW_LIT(o, "</term>\n"
                     "            <termNote type=\"partOfSpeech\">");
    const char *pos = part_of_speech(kind);
    memcpy(o, pos, strlen(pos));
    o += strlen(pos);
    o = TMX_XW_LIT(o, "</termNote>\n");
    if (status) {
        o = TMX_XW_LIT(o, "            <termNote type=\"administrativeStatus\">");
        o = tmx_xw_escape(o, status, strlen(status), 0);
        o = TMX_XW_LIT(o, "</termNote>\n");
    }
    return TMX_XW_LIT(o, "          </tig>\n"
                        "        </langSet>\n");
}

int bt_tbx_write(const char *path, const bt_tbx_entry *entries, size_t n)
{
    return bt_tbx_write_status(path, entries, NULL, n);
}

int bt_tbx_write_status(const char *path, const bt_tbx_entry *entries,
                        const char *const *status, size_t n)
{
    return bt_tbx_write_opts(path, entries, status, n, NULL);
}

int bt_tbx_write_opts(const char *path, const bt_tbx_entry *entries,
                      const char *const *status, size_t n,
                      const bt_tmx_write_opts *opts)
{
    char lvi[64], len_[64];
    pick_lang(lvi, opts ? opts->lang_vi : NULL, "vi");
    pick_lang(len_, opts ? opts->lang_en : NULL, "en");
    tmx_xw xw, *x = &xw;
    if (tmx_xw_open(x, path) < 0) return -1;
    tmx_xw_raw(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<martif type=\"TBX-Basic\" xml:lang=\"en\">\n"
                 "  <martifHeader>\n"
                 "    <fileDesc>\n"
                 "      <sourceDesc>\n"
                 "        <p>Vietnamese-English glossary of official titles, "
                 "bodies, names and places, written by bitext from aligned news "
                 "articles</p>\n"
                 "      </sourceDesc>\n"
                 "    </fileDesc>\n"
                 "    <encodingDesc>\n"
                 "      <p type=\"XCSURI\">TBXBasicXCSV02.xcs</p>\n"
                 "    </encodingDesc>\n"
                 "  </martifHeader>\n"
                 "  <text>\n"
                 "    <body");
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        const bt_tbx_entry *e = &entries[i];
        if (!e->vi || !e->en) continue;
        size_t lv = strlen(e->vi), len = strlen(e->en);
        size_t lk = e->kind ? strlen(e->kind) : 0;
        size_t ls = e->sources ? strlen(e->sources) : 0;
        const char *st = status ? status[i] : NULL;
        size_t lst = st ? strlen(st) : 0;
        char *o = tmx_xw_reserve(x, TMX_XW_ESC_MAX(lv + len + lk + ls + lst) + 1024);
        if (!any) o = TMX_XW_LIT(o, ">\n");
        any = 1;
        o = TMX_XW_LIT(o, "      <termEntry id=\"e");
        o = tmx_xw_ulong(o, (unsigned long)(i + 1));
        o = TMX_XW_LIT(o, "\">\n");
        if (lk) {
            o = TMX_XW_LIT(o, "        <descrip type=\"subjectField\">");
            o = tmx_xw_escape(o, e->kind, lk, 0);
            o = TMX_XW_LIT(o, "</descrip>\n");
        }
        if (ls) {
            o = TMX_XW_LIT(o, "        <admin type=\"source\">");
            o = tmx_xw_escape(o, e->sources, ls, 0);
            o = TMX_XW_LIT(o, "</admin>\n");
        }
        o = TMX_XW_LIT(o, "        <note>count: ");
        o = tmx_xw_ulong(o, e->count);
        o = TMX_XW_LIT(o, "</note>\n");
        o = tbx_lang_set(o, lvi, e->vi, lv, e->kind, NULL);
        o = tbx_lang_set(o, len_, e->en, len, e->kind, st);
        o = TMX_XW_LIT(o, "      </termEntry>\n");
        tmx_xw_done(x, o);
        if (tmx_xw_flush(x) < 0) {
            int err = errno;
            tmx_xw_abort(x);
            errno = err;
            return -1;
        }
    }
    tmx_xw_raw(x, any ? "    </body>\n  </text>\n</martif>\n" : "/>\n  </text>\n</martif>\n");
    return tmx_xw_commit(x);
}
