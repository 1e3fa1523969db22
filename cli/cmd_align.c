/* cmd_align.c - bitext align: articles in, memory.tmx, pairs.jsonl,
 * glossary.tsv and glossary.tbx out. */
#include "cli.h"

#include "../align/align.h"
#include "../base/json_out.h"
#include "../corpus/corpus.h"
#include "../gloss/gloss.h"
#include "../tmx/tmx.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char align_usage[] =
    "usage: bitext align [OPTIONS] INPUT...\n"
    "\n"
    "Pair the Vietnamese captions of news articles with their English lines and\n"
    "write a translation memory and a glossary. INPUT is a .txt or .gz file, a\n"
    "directory (every *.txt and *.txt.gz below it, in sorted order) or - for\n"
    "standard input.\n"
    "\n"
    "  -o, --output DIR       write outputs into DIR (default bitext-out)\n"
    "      --encoding NAME    decode inputs from NAME (e.g. windows-1258); by\n"
    "                         default UTF-8, and a file that is plainly not\n"
    "                         UTF-8 is read as windows-1258, with a warning\n"
    "      --include-partial  also put partial pairs in the memory (marked)\n"
    "      --strict           any input error fails the run; nothing is written\n"
    "      --max-line BYTES   longest line accepted (default 1048576)\n"
    "      --max-file BYTES   largest decoded file accepted (default 268435456)\n"
    "      --shard K/N        process only the K-th of N slices of the inputs\n"
    "      --pair VI EN       align two whole texts, a Vietnamese article and its\n"
    "                         English translation, sentence by sentence (the\n"
    "                         first two operands, wherever the option stands)\n"
    "      --files-from FILE  also read INPUT paths from FILE, one per line\n"
    "                         (- for standard input)\n"
    "      --pairs DIR        align every NAME.vi.txt with NAME.en.txt in DIR\n"
    "                         (also .gz)\n"
    "  -j, --jobs N           align N files at once (default: the number of\n"
    "                         cores); the outputs do not depend on N\n"
    "  -q, --quiet            no progress line and no summary\n"
    "  -h, --help             show this help\n"
    "  -V, --version          show the version\n"
    "\n"
    "Options may stand anywhere among the INPUTs; '--' ends them.\n"
    "Outputs: memory.tmx (TMX 1.4b, accepted pairs), pairs.jsonl (every\n"
    "candidate pair with its status), glossary.tsv and glossary.tbx.\n"
    "Exit status: 0 success, 2 trouble: a usage error, an input that could\n"
    "not be read (the others are still aligned) or an output not written.\n";

/* ---- distinct memory units, in order of first appearance ---- */

#define MAX_PLACES 5

/* Kept for every distinct pair of a run that may see millions: one block
 * for both texts and the further places inline, so a unit costs one
 * allocation besides its slot. */
typedef struct unit {
    char *vi;                /* vi, NUL, en, NUL in one block */
    size_t en_at;            /* en = vi + en_at */
    double score;
    const char *file;        /* borrowed from the files list */
    unsigned long vi_line, en_line;
    struct place {           /* further places the pair was seen, up to
                                MAX_PLACES; written as x-sources */
        const char *file;    /* borrowed from the files list */
        uint32_t vi_line, en_line;
    } more[MAX_PLACES];
    uint32_t count;
    unsigned char nmore;
    unsigned char partial;
} unit;

typedef struct units {
    unit *v;
    size_t n, cap;
    struct unit_slot {       /* open addressing over v: a probe reads */
        uint64_t hash;       /* the hash beside the index, and a unit's */
        size_t at;           /* text only when they agree; SIZE_MAX empty */
    } *slots;
    size_t nslots;
    /* the units' texts live as long as the run: carved from large blocks
     * rather than malloc'd one by one among each file's short-lived
     * memory, which fragments the heap of a long run */
    char **blocks;
    size_t nblocks, bcap;
    char *cur;
    size_t left;
} units;

static char *units_text(units *u, size_t n)
{
    if (n > u->left) {
        size_t size = n > (1u << 20) ? n : (1u << 20);
        BT_GROW(u->blocks, u->bcap, u->nblocks + 1);
        u->cur = u->blocks[u->nblocks++] = bt_xmalloc(size);
        u->left = size;
    }
    char *p = u->cur;
    u->cur += n;
    u->left -= n;
    return p;
}

static void units_rehash(units *u)
{
    size_t ns = u->nslots ? u->nslots * 2 : 1024;
    struct unit_slot *old = u->slots;
    size_t nold = u->nslots;
    u->slots = bt_xmalloc(ns * sizeof *u->slots);
    for (size_t i = 0; i < ns; i++) u->slots[i].at = SIZE_MAX;
    u->nslots = ns;
    for (size_t i = 0; i < nold; i++) {
        if (old[i].at == SIZE_MAX) continue;
        size_t s = old[i].hash & (ns - 1);
        while (u->slots[s].at != SIZE_MAX) s = (s + 1) & (ns - 1);
        u->slots[s] = old[i];
    }
    free(old);
}

static void units_add(units *u, const bt_pair *p, const char *file, int partial)
{
    if ((u->n + 1) * 2 > u->nslots) units_rehash(u);
    size_t vl = strlen(p->vi), el = strlen(p->en);
    uint64_t h = bt_hash_bytes(bt_hash_bytes(0x9E3779B97F4A7C15ULL ^ vl, p->vi, vl), p->en, el);
    size_t s = h & (u->nslots - 1);
    while (u->slots[s].at != SIZE_MAX) {
        unit *x = &u->v[u->slots[s].at];
        if (u->slots[s].hash == h && x->en_at == vl + 1 && !memcmp(x->vi, p->vi, vl) &&
            !strcmp(x->vi + x->en_at, p->en)) {
            x->count++;
            if (p->score > x->score) x->score = p->score;
            if (x->nmore < MAX_PLACES) {
                x->more[x->nmore].file = file;
                x->more[x->nmore].vi_line = (uint32_t)p->vi_line;
                x->more[x->nmore].en_line = (uint32_t)p->en_line;
                x->nmore++;
            }
            return;
        }
        s = (s + 1) & (u->nslots - 1);
    }
    BT_GROW(u->v, u->cap, u->n + 1);
    unit *x = &u->v[u->n];
    x->vi = units_text(u, vl + el + 2);
    memcpy(x->vi, p->vi, vl + 1);
    memcpy(x->vi + vl + 1, p->en, el + 1);
    x->en_at = vl + 1;
    x->file = file;
    x->vi_line = p->vi_line;
    x->en_line = p->en_line;
    x->score = p->score;
    x->count = 1;
    x->partial = (unsigned char)partial;
    x->nmore = 0;
    u->slots[s].hash = h;
    u->slots[s].at = u->n++;
}

static void units_free(units *u)
{
    for (size_t i = 0; i < u->nblocks; i++) free(u->blocks[i]);
    free(u->blocks);
    free(u->v);
    free(u->slots);
}

/* ---- run state ---- */

typedef struct run {
    const char *outdir;
    int quiet, strict, include_partial;
    bt_read_opts ropts;
    cli_diag_state diag;
    unsigned files_ok, files_failed;
    unsigned long lines;
    unsigned long by_status[4];
    units mem;
    bt_gloss *gloss;
    bt_outfile *jsonl;
    char **files;
    size_t nfiles;
    char *paths_block;       /* the files' paths, once packed */
    double t0;
    cli_progress progress;
} run;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Start a member of the object being written at o; key is a literal that
 * starts with its comma, dropped for the first member. */
#define JSON_KEY(o, key) json_key((o), (key), sizeof(key) - 1)
static char *json_key(char *o, const char *key, size_t n)
{
    if (o[-1] == '{') key++, n--;
    memcpy(o, key, n);
    return o + n;
}

/* A member with a string value (null for NULL); left out, as jansson's
 * json_object_set_new(o, k, json_string(s)) did, when s is not UTF-8. */
static char *json_str_member(char *o, const char *key, size_t n, const char *s, size_t len)
{
    char *v = json_key(o, key, n);
    if (!s) {
        memcpy(v, "null", 4);
        return v + 4;
    }
    char *e = bt_json_str_put(v, s, len);
    return e ? e : o;
}
#define JSON_STR(o, key, s, len) json_str_member((o), (key), sizeof(key) - 1, (s), (len))

static char *json_line_value(char *o, unsigned long line)
{
    if (line) return bt_json_int_put(o, (long long)line);
    memcpy(o, "null", 4);
    return o + 4;
}

/* What every line of a file's pairs starts with, made once per file:
 * {"file":"PATH" (or { alone when PATH is not UTF-8). */
static void format_pairs_start(bt_buf *start, const char *file)
{
    size_t len = strlen(file);
    char *tmp = bt_xmalloc(BT_JSON_STR_MAX(len) + 16);
    tmp[0] = '{';
    char *e = JSON_STR(tmp + 1, ",\"file\":", file, len);
    bt_buf_add(start, tmp, (size_t)(e - tmp));
    free(tmp);
}

/* One line of pairs.jsonl for p, appended to out: the bytes jansson wrote
 * (json_dumps, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4)),
 * made in one piece: a json_t per line cost 16 % of an align run. */
static void format_pair_json(bt_buf *out, const bt_buf *start, const bt_pair *p)
{
    const char *status = bt_pair_status_name(p->status);
    size_t lvi = p->vi ? strlen(p->vi) : 0, len = p->en ? strlen(p->en) : 0;
    size_t ls = strlen(status);
    size_t max = start->len + BT_JSON_STR_MAX(lvi) + BT_JSON_STR_MAX(len) +
                 BT_JSON_STR_MAX(ls) + 2 * BT_JSON_INT_MAX + BT_JSON_REAL_MAX + 128;
    char stack[2048];
    char *line = max <= sizeof stack ? stack : bt_xmalloc(max);
    char *o = line;
    memcpy(o, start->ptr, start->len);
    o += start->len;
    o = json_line_value(JSON_KEY(o, ",\"vi_line\":"), p->vi_line);
    o = json_line_value(JSON_KEY(o, ",\"en_line\":"), p->en_line);
    o = JSON_STR(o, ",\"vi\":", p->vi, lvi);
    o = JSON_STR(o, ",\"en\":", p->en, len);
    char *v = bt_json_real4_put(JSON_KEY(o, ",\"score\":"), round(p->score * 1000) / 1000);
    if (v) o = v;
    o = JSON_STR(o, ",\"status\":", status, ls);
    if (p->is_credit) o = JSON_KEY(o, ",\"credit\":true");
    memcpy(o, "}\n", 2);
    o += 2;
    bt_buf_add(out, line, (size_t)(o - line));
    if (line != stack) free(line);
}

/* The lines of pairs.jsonl for a file's pairs, appended to out. */
static void format_pairs(bt_buf *out, const char *file, const bt_align_result *res)
{
    bt_buf start;
    bt_buf_init(&start);
    format_pairs_start(&start, file);
    /* grown once rather than doubled (and copied) line by line */
    size_t need = 0;
    for (size_t i = 0; i < res->npairs; i++) {
        const bt_pair *p = &res->pairs[i];
        need += start.len + 120 + (p->vi ? strlen(p->vi) : 0) + (p->en ? strlen(p->en) : 0);
    }
    bt_buf_reserve(out, need);
    for (size_t i = 0; i < res->npairs; i++) format_pair_json(out, &start, &res->pairs[i]);
    bt_buf_free(&start);
}

static void progress(run *r, size_t i)
{
    cli_progress_show(&r->progress, i, ", %lu lines, %lu accepted", r->lines,
                      r->by_status[BT_PAIR_ACCEPTED]);
}

/* Merge one file's result into the run. json holds the file's lines of
 * pairs.jsonl, made beforehand (in a worker, for -j). */
static void add_result(run *r, const char *path, bt_align_result *res, const bt_buf *json)
{
    fwrite(json->ptr, 1, json->len, bt_outfile_fp(r->jsonl));
    for (size_t i = 0; i < res->npairs; i++) {
        const bt_pair *p = &res->pairs[i];
        r->by_status[p->status]++;
        if (p->status == BT_PAIR_ACCEPTED ||
            (p->status == BT_PAIR_PARTIAL && r->include_partial))
            units_add(&r->mem, p, path, p->status == BT_PAIR_PARTIAL);
    }
    for (size_t i = 0; i < res->nterms; i++) {
        const bt_term *t = &res->terms[i];
        bt_gloss_add(r->gloss, t->vi, t->en, bt_term_kind_name(t->kind), path, t->vi_line);
    }
}

static size_t count_text_lines(const bt_doc *doc)
{
    size_t n = 0;
    for (size_t i = 0; i < doc->nlines; i++) n += doc->lines[i].lang != BT_LANG_BLANK;
    return n;
}

/* Whole-text mode: files[i] is the Vietnamese text, files[i+1] its English
 * translation. The memory's x-file is the Vietnamese path. */
static void align_text_pair(run *r, const char *vi_path, const char *en_path)
{
    bt_doc *vi = NULL, *en = NULL;
    int a = bt_doc_read(vi_path, &r->ropts, cli_diag, &r->diag, &vi);
    int b = bt_doc_read(en_path, &r->ropts, cli_diag, &r->diag, &en);
    if (a != BT_OK || b != BT_OK) {
        r->files_failed++;
        bt_doc_free(vi);
        bt_doc_free(en);
        return;
    }
    r->files_ok += 2;
    r->lines += count_text_lines(vi) + count_text_lines(en);
    bt_align_result res;
    bt_align_texts(bt_lexicon_default(), vi, en, NULL, &res);
    bt_buf json;
    bt_buf_init(&json);
    format_pairs(&json, vi_path, &res);
    add_result(r, vi_path, &res, &json);
    bt_buf_free(&json);
    bt_align_result_free(&res);
    bt_doc_free(vi);
    bt_doc_free(en);
}

/* One block for every path of the list: an archive's list is long, its
 * paths live as long as the run (memory units borrow them), and one
 * allocation each costs as much again in malloc's overhead. */
static void pack_paths(run *r)
{
    size_t total = 0;
    for (size_t i = 0; i < r->nfiles; i++) total += strlen(r->files[i]) + 1;
    char *b = r->paths_block = bt_xmalloc(total ? total : 1);
    for (size_t i = 0; i < r->nfiles; i++) {
        size_t l = strlen(r->files[i]) + 1;
        memcpy(b, r->files[i], l);
        free(r->files[i]);
        r->files[i] = b;
        b += l;
    }
}

static void free_paths(run *r)
{
    if (r->paths_block) {
        free(r->paths_block);
        free(r->files);
    } else {
        bt_inputs_free(r->files, r->nfiles);
    }
    r->files = NULL;
    r->paths_block = NULL;
}

/* ---- files aligned by a pool of threads, written out in input order ---- */

typedef struct job {
    bt_doc *doc;            /* NULL when the file could not be used */
    bt_align_result res;
    bt_buf diags;           /* what cli_diag would have printed, in order */
    bt_buf json;            /* the file's lines of pairs.jsonl */
    cli_diag_state st;
} job;

static void job_diag(void *ud, const bt_diag *d)
{
    job *j = ud;
    if (d->is_warning) j->st.warnings++;
    else j->st.errors++;
    cli_diag_format(&j->diags, d);
}

static void job_run(run *r, job *j, const char *path)
{
    bt_buf_init(&j->diags);
    bt_buf_init(&j->json);
    if (bt_doc_read(path, &r->ropts, job_diag, j, &j->doc) != BT_OK) j->doc = NULL;
    if (j->doc) {
        bt_align_opts ao = { .no_mentions = 1 };
        bt_align_doc(bt_lexicon_default(), j->doc, &ao, &j->res);
        format_pairs(&j->json, path, &j->res);
    }
}

/* Write out one finished job: diagnostics, pairs, memory, glossary. */
static void job_finish(run *r, job *j, const char *path)
{
    fputs(j->diags.ptr, stderr);
    bt_buf_free(&j->diags);
    r->diag.errors += j->st.errors;
    r->diag.warnings += j->st.warnings;
    if (!j->doc) {
        r->files_failed++;
        return;
    }
    r->files_ok++;
    r->lines += count_text_lines(j->doc);
    add_result(r, path, &j->res, &j->json);
}

/* Give back a job's memory. Done by the thread that allocated it: freeing
 * another thread's blocks contends for that thread's malloc arena. */
static void job_release(job *j)
{
    bt_buf_free(&j->json);
    if (j->doc) bt_align_result_free(&j->res);
    bt_doc_free(j->doc);
    j->doc = NULL;
}

static void *pool_make(void *ctx, size_t i)
{
    run *r = ctx;
    job *j = bt_xcalloc(1, sizeof *j);
    job_run(r, j, r->files[i]);
    return j;
}

static void pool_consume(void *ctx, size_t i, void *made)
{
    run *r = ctx;
    job_finish(r, made, r->files[i]);
    progress(r, i + 1);
}

static void pool_release(void *ctx, void *made)
{
    (void)ctx;
    job_release(made);
    free(made);
}

/* Align every file with nthreads threads; results are written in input
 * order, so the outputs are the same for any number of threads. */
static void align_files(run *r, int nthreads)
{
    static const cli_pool_ops ops = { pool_make, pool_consume, pool_release };
    cli_pool_run(r->nfiles, nthreads, &ops, r);
}

static int write_memory(run *r, const char *path)
{
    bt_tmx_writer *w = bt_tmx_writer_open(path, BITEXT_VERSION);
    if (!w) return -1;
    bt_buf more;
    bt_buf_init(&more);
    for (size_t i = 0; i < r->mem.n; i++) {
        const unit *x = &r->mem.v[i];
        bt_tmx_unit u = { 0 };
        u.vi = x->vi;
        u.en = x->vi + x->en_at;
        u.file = x->file;
        u.vi_line = x->vi_line;
        u.en_line = x->en_line;
        u.score = x->score;
        u.usagecount = x->count;
        u.status = x->partial ? "partial" : NULL;
        bt_buf_reset(&more);
        for (unsigned k = 0; k < x->nmore; k++)
            bt_buf_printf(&more, "%s%s:%lu:%lu", k ? "; " : "", x->more[k].file,
                          (unsigned long)x->more[k].vi_line, (unsigned long)x->more[k].en_line);
        u.more_sources = x->nmore ? more.ptr : NULL;
        if (bt_tmx_writer_add(w, &u) != 0) {
            int e = errno;
            bt_tmx_writer_abort(w);
            bt_buf_free(&more);
            errno = e;
            return -1;
        }
    }
    bt_buf_free(&more);
    return bt_tmx_writer_close(w);
}

/* The INPUT arguments and, with --files-from, the paths listed in a file
 * (one per line; "-" reads standard input), expanded as bt_inputs_expand
 * does. */
static int expand_inputs(char **args, size_t nargs, const char *list, cli_diag_state *st,
                         char ***files, size_t *n)
{
    char **all = bt_xmalloc((nargs + 1) * sizeof *all);
    size_t nall = 0, cap = nargs + 1;
    for (size_t i = 0; i < nargs; i++) all[nall++] = bt_xstrdup(args[i]);
    if (list) {
        FILE *f = strcmp(list, "-") ? fopen(list, "r") : stdin;
        if (!f) {
            cli_error("cannot open '%s': %s", list, strerror(errno));
            bt_inputs_free(all, nall);
            return BT_ERR_IO;
        }
        char *line = NULL;
        size_t lcap = 0;
        ssize_t l;
        while ((l = getline(&line, &lcap, f)) > 0) {
            while (l > 0 && (line[l - 1] == '\n' || line[l - 1] == '\r')) line[--l] = '\0';
            if (l == 0) continue;
            BT_GROW(all, cap, nall + 1);
            all[nall++] = bt_xstrdup(line);
        }
        free(line);
        if (f != stdin) fclose(f);
    }
    int rc = nall ? bt_inputs_expand(all, nall, cli_diag, st, files, n) : BT_ERR_EMPTY;
    bt_inputs_free(all, nall);
    return rc;
}

/* --pairs DIR: every NAME.vi.txt (or .vi.txt.gz) with its NAME.en.txt, as
 * consecutive entries of *files. A Vietnamese text without its English is
 * reported. */
static int list_pairs(const char *dir, cli_diag_state *st, char ***files, size_t *n)
{
    char *arg = bt_xstrdup(dir);
    char **all = NULL;
    size_t nall = 0;
    *files = NULL;
    *n = 0;
    int rc = bt_inputs_expand(&arg, 1, cli_diag, st, &all, &nall);
    free(arg);
    if (rc != BT_OK) return -1;
    size_t cap = 0;
    for (size_t i = 0; i < nall; i++) {
        const char *p = all[i];
        const char *vi = strstr(p, ".vi.txt");
        if (!vi || (vi[7] != '\0' && strcmp(vi + 7, ".gz") != 0)) continue;
        bt_buf want;
        bt_buf_init(&want);
        bt_buf_add(&want, p, (size_t)(vi - p));
        bt_buf_adds(&want, ".en.txt");
        const char *found = NULL;
        for (size_t j = 0; j < nall && !found; j++)
            if (!strcmp(all[j], want.ptr) ||
                (!strncmp(all[j], want.ptr, want.len) && !strcmp(all[j] + want.len, ".gz")))
                found = all[j];
        if (found) {
            BT_GROW(*files, cap, *n + 2);
            (*files)[(*n)++] = bt_xstrdup(p);
            (*files)[(*n)++] = bt_xstrdup(found);
        } else {
            bt_diag d = { BT_ERR_IO, 0, p, 0, "no English text beside it (want NAME.en.txt)" };
            cli_diag(st, &d);
        }
        bt_buf_free(&want);
    }
    bt_inputs_free(all, nall);
    if (*n == 0) {
        cli_error("no NAME.vi.txt / NAME.en.txt pairs in '%s'", dir);
        return -1;
    }
    return 0;
}

static char *out_path(const char *dir, const char *name)
{
    bt_buf b;
    bt_buf_init(&b);
    bt_buf_printf(&b, "%s/%s", dir, name);
    return bt_buf_detach(&b);
}

static int parse_size(const char *s, size_t *out)
{
    char *end;
    if (*s < '0' || *s > '9') return -1; /* strtoull would take "-5" */
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || v == 0) return -1;
    *out = (size_t)v;
    return 0;
}

int bt_cmd_align(int argc, char **argv)
{
    enum { OPT_ENCODING = 256, OPT_PARTIAL, OPT_STRICT, OPT_MAXLINE, OPT_MAXFILE, OPT_SHARD,
           OPT_PAIR, OPT_PAIRS, OPT_FILES_FROM };
    static const struct option longopts[] = {
        { "output", required_argument, NULL, 'o' },
        { "encoding", required_argument, NULL, OPT_ENCODING },
        { "include-partial", no_argument, NULL, OPT_PARTIAL },
        { "strict", no_argument, NULL, OPT_STRICT },
        { "max-line", required_argument, NULL, OPT_MAXLINE },
        { "max-file", required_argument, NULL, OPT_MAXFILE },
        { "shard", required_argument, NULL, OPT_SHARD },
        { "pair", no_argument, NULL, OPT_PAIR },
        { "pairs", required_argument, NULL, OPT_PAIRS },
        { "files-from", required_argument, NULL, OPT_FILES_FROM },
        { "jobs", required_argument, NULL, 'j' },
        { "quiet", no_argument, NULL, 'q' },
        { NULL, 0, NULL, 0 }
    };
    run r;
    memset(&r, 0, sizeof r);
    r.outdir = "bitext-out";
    long shard_k = 0, shard_n = 0;
    int pair_mode = 0;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int jobs = ncpu > 0 ? (int)(ncpu > 64 ? 64 : ncpu) : 1;
    const char *pairs_dir = NULL;
    const char *files_from = NULL;
    int c;
    cli_args args;
    cli_args_init(&args, "align", align_usage, "o:j:q", longopts);
    while ((c = cli_args_next(&args, argc, argv)) != -1) {
        switch (c) {
        case CLI_ARGS_EXIT: return args.status;
        case 'o': r.outdir = optarg; break;
        case 'q': r.quiet = 1; break;
        case 'j': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 256)
                return cli_usage_error("align", "invalid --jobs '%s' (want 1..256)", optarg);
            jobs = (int)v;
            break;
        }
        case OPT_ENCODING: r.ropts.encoding = optarg; break;
        case OPT_PARTIAL: r.include_partial = 1; break;
        case OPT_STRICT: r.strict = 1; break;
        case OPT_MAXLINE:
            if (parse_size(optarg, &r.ropts.max_line))
                return cli_usage_error("align", "invalid --max-line '%s'", optarg);
            break;
        case OPT_MAXFILE:
            if (parse_size(optarg, &r.ropts.max_file))
                return cli_usage_error("align", "invalid --max-file '%s'", optarg);
            break;
        case OPT_PAIR: pair_mode = 1; break;
        case OPT_PAIRS: pairs_dir = optarg; break;
        case OPT_FILES_FROM: files_from = optarg; break;
        case OPT_SHARD: {
            char *end;
            shard_k = strtol(optarg, &end, 10);
            if (*end != '/' || (shard_n = strtol(end + 1, &end, 10)) <= 0 || *end ||
                shard_k < 1 || shard_k > shard_n)
                return cli_usage_error("align", "invalid --shard '%s' (want K/N, 1 <= K <= N)", optarg);
            break;
        }
        }
    }
    if (pair_mode && pairs_dir)
        return cli_usage_error("align", "--pair and --pairs cannot be combined");
    if (pair_mode && argc - optind != 2)
        return cli_usage_error("align", "--pair takes two files: VI_FILE EN_FILE");
    if (!pair_mode && !pairs_dir && !files_from && optind >= argc)
        return cli_usage_error("align", "no INPUT given");
    if (files_from && (pair_mode || pairs_dir))
        return cli_usage_error("align", "--files-from cannot be combined with --pair or --pairs");
    if (pairs_dir && optind < argc)
        return cli_usage_error("align", "--pairs DIR takes no other INPUT");
    if (r.ropts.encoding && cli_check_encoding("align", r.ropts.encoding) != BT_EXIT_OK)
        return BT_EXIT_USAGE;

    r.t0 = now_s();
    if (pair_mode) {
        r.nfiles = 2;
        r.files = bt_xmalloc(2 * sizeof *r.files);
        r.files[0] = bt_xstrdup(argv[optind]);
        r.files[1] = bt_xstrdup(argv[optind + 1]);
    } else if (pairs_dir) {
        if (list_pairs(pairs_dir, &r.diag, &r.files, &r.nfiles) != 0) {
            bt_inputs_free(r.files, r.nfiles);
            return BT_EXIT_TROUBLE;
        }
    } else if (expand_inputs(argv + optind, (size_t)(argc - optind), files_from, &r.diag,
                             &r.files, &r.nfiles) != BT_OK || r.nfiles == 0) {
        cli_error("no input files found");
        bt_inputs_free(r.files, r.nfiles);
        return BT_EXIT_TROUBLE;
    }
    unsigned expand_errors = r.diag.errors;
    if (shard_n > 0) {
        /* the K-th of N slices of the sorted list: every N-th file */
        size_t w = 0;
        for (size_t i = 0; i < r.nfiles; i++) {
            if ((long)(i % (size_t)shard_n) == shard_k - 1) r.files[w++] = r.files[i];
            else free(r.files[i]);
        }
        r.nfiles = w;
    }
    pack_paths(&r);
    if (bt_mkdir_p(r.outdir) != 0) {
        cli_error("cannot create output directory '%s': %s", r.outdir, strerror(errno));
        free_paths(&r);
        return BT_EXIT_TROUBLE;
    }

    char *p_jsonl = out_path(r.outdir, "pairs.jsonl");
    char *p_tmx = out_path(r.outdir, "memory.tmx");
    char *p_tsv = out_path(r.outdir, "glossary.tsv");
    char *p_tbx = out_path(r.outdir, "glossary.tbx");
    int status = BT_EXIT_OK;
    r.jsonl = bt_outfile_open(p_jsonl);
    if (!r.jsonl) {
        cli_error("cannot write '%s': %s", p_jsonl, strerror(errno));
        status = BT_EXIT_TROUBLE;
        goto done;
    }
    r.gloss = bt_gloss_new();
    cli_progress_start(&r.progress, r.nfiles, r.quiet);
    if (pair_mode || pairs_dir) {
        for (size_t i = 0; i + 1 < r.nfiles; i += 2) {
            align_text_pair(&r, r.files[i], r.files[i + 1]);
            progress(&r, i + 2);
        }
    } else {
        align_files(&r, jobs);
    }
    cli_progress_end(&r.progress);

    unsigned problems = r.diag.errors + r.diag.warnings;
    if (r.files_ok == 0 || r.lines == 0) {
        cli_error(r.files_ok ? "the input holds no text" : "no input could be read");
        bt_outfile_abort(r.jsonl);
        r.jsonl = NULL;
        status = BT_EXIT_TROUBLE;
        goto done;
    }
    if (r.strict && problems) {
        cli_error("%u input problem%s: nothing written (--strict)", problems,
                  problems == 1 ? "" : "s");
        bt_outfile_abort(r.jsonl);
        r.jsonl = NULL;
        status = BT_EXIT_TROUBLE;
        goto done;
    }
    if (bt_outfile_commit(r.jsonl) != 0) {
        r.jsonl = NULL;
        cli_error("cannot write '%s': %s", p_jsonl, strerror(errno));
        status = BT_EXIT_TROUBLE;
        goto done;
    }
    r.jsonl = NULL;
    if (write_memory(&r, p_tmx) != 0) {
        cli_error("cannot write '%s': %s", p_tmx, strerror(errno));
        status = BT_EXIT_TROUBLE;
    }
    if (bt_gloss_write_tsv(r.gloss, p_tsv) != 0) {
        cli_error("cannot write '%s': %s", p_tsv, strerror(errno));
        status = BT_EXIT_TROUBLE;
    }
    if (bt_gloss_write_tbx(r.gloss, p_tbx) != 0) {
        cli_error("cannot write '%s': %s", p_tbx, strerror(errno));
        status = BT_EXIT_TROUBLE;
    }
    /* a file that could not be read at all is trouble, although the
     * others were aligned and written */
    if (r.files_failed || expand_errors) status = BT_EXIT_TROUBLE;
    if (!r.quiet)
        fprintf(stderr,
                "bitext: %u file%s, %lu lines; pairs: %lu accepted, %lu partial, "
                "%lu mismatch, %lu unpaired; %lu memory units; %u problem%s; %.2f s\n",
                r.files_ok, r.files_ok == 1 ? "" : "s", r.lines,
                r.by_status[BT_PAIR_ACCEPTED], r.by_status[BT_PAIR_PARTIAL],
                r.by_status[BT_PAIR_MISMATCH], r.by_status[BT_PAIR_UNPAIRED],
                (unsigned long)r.mem.n, problems, problems == 1 ? "" : "s", now_s() - r.t0);

done:
    bt_outfile_abort(r.jsonl);
    bt_gloss_free(r.gloss);
    units_free(&r.mem);
    free_paths(&r);
    free(p_jsonl);
    free(p_tmx);
    free(p_tsv);
    free(p_tbx);
    return status;
}
