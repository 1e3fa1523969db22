/* cmd_check.c - bitext check: the title-consistency report for editors.
 * Reads articles as `bitext align` does, writes DIR/consistency.json and
 * DIR/consistency.html, and prints a short summary. Exit 0 when nothing is
 * found, 1 when findings exist or an input failed, 2 on usage errors. */
#include "cli.h"

#include "../check/check.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char check_usage[] =
    "usage: bitext check [-o DIR] [-q] [-j N] [--encoding NAME] INPUT...\n"
    "\n"
    "Report where titles are rendered inconsistently: one Vietnamese title\n"
    "rendered several ways in English (title-variant), one body named\n"
    "several ways in English alone (english-variant), a caption pair whose\n"
    "English gives a person other titles than the Vietnamese\n"
    "(caption-title-mismatch), and a person given two ranks in one body\n"
    "within an article (person-title-conflict).\n"
    "\n"
    "INPUT is a file (.txt or .gz), a directory (every *.txt and *.txt.gz\n"
    "below it) or - for stdin.\n"
    "\n"
    "  -o, --output DIR    write consistency.json and consistency.html into\n"
    "                      DIR (default: bitext-out)\n"
    "  -q, --quiet         no summary on stdout, no repaired-input warnings\n"
    "  -j, --jobs N        read and align N files at once (default: the\n"
    "                      number of processors); the reports are the same\n"
    "  --encoding NAME     input encoding (an ICU converter name such as\n"
    "                      windows-1258); default UTF-8, and a file that\n"
    "                      is plainly not UTF-8 is read as windows-1258,\n"
    "                      with a warning\n"
    "  -h, --help          show this help\n"
    "\n"
    "Exit status: 0 no findings, 1 findings exist (or an input could not be\n"
    "read), 2 usage error.\n";

/* One report: opened in the main thread (creating files is kept out of
 * threads: the fallback without O_TMPFILE reads the umask by setting it),
 * written by report_write in any thread (the findings are only read by
 * then), committed or dropped by report_end once both are written. */
typedef struct report {
    bt_check *chk;
    int (*fn)(bt_check *, FILE *);
    bt_buf path;
    bt_outfile *o;
    int rc;                  /* 0, or -1 with the error reported */
    const char *known;       /* bt_check_error() before the report began */
} report;

static void report_open(report *r, const char *dir, const char *name)
{
    bt_buf_init(&r->path);
    bt_buf_printf(&r->path, "%s/%s", dir, name);
    r->o = bt_outfile_open(r->path.ptr);
    r->rc = 0;
    r->known = bt_check_error(r->chk);
    if (!r->o) {
        cli_error("cannot create '%s': %s", r->path.ptr, strerror(errno));
        r->rc = -1;
    }
}

/* Why a write through a walk failed: reading the findings' temporary file
 * when that failure is new since known, else errno's. */
static const char *walk_error(bt_check *chk, const char *known)
{
    const char *why = bt_check_error(chk);
    return why && why != known ? why : strerror(errno);
}

static void *report_write(void *arg)
{
    report *r = arg;
    if (r->o && r->fn(r->chk, bt_outfile_fp(r->o)) != BT_OK) {
        cli_error("cannot write '%s': %s", r->path.ptr,
                  walk_error(r->chk, r->known));
        r->rc = -1;
    }
    return NULL;
}

/* Commit the report when keep, else drop it; returns its rc. */
static int report_end(report *r, int keep)
{
    if (r->o && keep && bt_outfile_commit(r->o) != 0) {
        cli_error("cannot write '%s': %s", r->path.ptr, strerror(errno));
        r->rc = -1;
    } else if (r->o && !keep) {
        bt_outfile_abort(r->o);
    }
    r->o = NULL;
    bt_buf_free(&r->path);
    return r->rc;
}

/* consistency.json and consistency.html, both or neither; with threads to
 * spare, written side by side (the report is the part of a run that no
 * worker shares). */
static int write_reports(bt_check *chk, const char *dir, int jobs)
{
    report json = { chk, bt_check_write_json, { 0 }, NULL, 0, NULL };
    report html = { chk, bt_check_write_html, { 0 }, NULL, 0, NULL };
    bt_check_findings(chk, NULL); /* computed here, only read below */
    /* the findings' temporary file failed: they were kept in memory */
    const char *spill = bt_check_error(chk);
    if (spill) cli_error("%s", spill);
    report_open(&json, dir, "consistency.json");
    if (json.rc == 0) report_open(&html, dir, "consistency.html");
    else bt_buf_init(&html.path);
    pthread_t th;
    if (json.rc == 0 && html.rc == 0 && jobs > 1 &&
        pthread_create(&th, NULL, report_write, &html) == 0) {
        report_write(&json);
        pthread_join(th, NULL);
    } else {
        report_write(&json);
        if (json.rc == 0) report_write(&html);
    }
    int ok = json.rc == 0 && html.rc == 0;
    int a = report_end(&json, ok);
    int b = report_end(&html, ok && a == 0);
    return a == 0 && b == 0 ? 0 : -1;
}

/* The counts and the first findings, read through a walk: the reports
 * hold them all. 0, or -1 with the error reported. */
static int print_summary(bt_check *chk, const char *dir)
{
    size_t n = bt_check_findings(chk, NULL);
    size_t files = bt_check_files(chk);
    printf("%zu finding%s in %zu article%s", n, n == 1 ? "" : "s", files,
           files == 1 ? "" : "s");
    for (int k = 0; k < BT_CHECK_NKINDS; k++)
        printf("%s %zu %s", k ? "," : ":", bt_check_count(chk, (bt_check_kind)k),
               bt_check_kind_name((bt_check_kind)k));
    putchar('\n');
    const size_t shown = 20;
    const char *known = bt_check_error(chk);
    bt_check_walk *w = bt_check_walk_new(chk);
    const bt_check_finding *f;
    int r = 0;
    for (size_t i = 0; i < shown && (r = bt_check_walk_next(w, &f)) == 1; i++) {
        printf("  %-22s %s", bt_check_kind_name(f->kind),
               f->subject ? f->subject : "?");
        if (f->nvariants) {
            fputs(":", stdout);
            for (size_t v = 0; v < f->nvariants; v++)
                printf("%s '%s' (%u)", v ? "," : "", f->variants[v].en,
                       f->variants[v].count);
        }
        if (f->nitems)
            printf(" [%s:%lu%s]", f->items[0].file, f->items[0].line,
                   f->nitems > 1 ? ", ..." : "");
        putchar('\n');
    }
    bt_check_walk_free(w);
    if (r < 0) {
        cli_error("cannot list the findings: %s", walk_error(chk, known));
        return -1;
    }
    if (n > shown) printf("  ... and %zu more\n", n - shown);
    printf("wrote %s/consistency.json and %s/consistency.html\n", dir, dir);
    return 0;
}

/* ---- files read and aligned by the pool, checked in input order ---- */

typedef struct check_run {
    bt_check *chk;
    int failed;
} check_run;

/* The check keeps state across files, so it runs here in input order. */
static void check_use(void *ctx, cli_doc_job *j, size_t i)
{
    (void)i;
    check_run *r = ctx;
    if (!j->doc) r->failed = 1;
    else bt_check_add(r->chk, j->doc, &j->res);
}

static int parse_jobs(const char *s, int *jobs)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < 1 || v > 256) return -1;
    *jobs = (int)v;
    return 0;
}

int bt_cmd_check(int argc, char **argv)
{
    const char *dir = "bitext-out";
    int quiet = 0;
    bt_read_opts ropts;
    memset(&ropts, 0, sizeof ropts);
    char **inputs = bt_xcalloc((size_t)argc + 1, sizeof *inputs);
    size_t ninputs = 0;
    int only_inputs = 0;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int jobs = ncpu > 0 ? (int)(ncpu > 64 ? 64 : ncpu) : 1;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_inputs || a[0] != '-' || !strcmp(a, "-")) {
            inputs[ninputs++] = argv[i];
        } else if (!strcmp(a, "--")) {
            only_inputs = 1;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(check_usage, stdout);
            free(inputs);
            return BT_EXIT_OK;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output") ||
                   !strcmp(a, "--encoding") || !strcmp(a, "-j") ||
                   !strcmp(a, "--jobs")) {
            if (i + 1 >= argc) {
                free(inputs);
                return cli_usage_error("check", "option '%s' needs a value", a);
            }
            if (!strcmp(a, "--encoding")) {
                ropts.encoding = argv[++i];
            } else if (a[1] == 'j' || !strcmp(a, "--jobs")) {
                if (parse_jobs(argv[++i], &jobs)) {
                    free(inputs);
                    return cli_usage_error(
                        "check", "invalid --jobs '%s' (want 1..256)", argv[i]);
                }
            } else {
                dir = argv[++i];
            }
        } else if (!strncmp(a, "--jobs=", 7) || (a[1] == 'j' && a[2])) {
            const char *v = a[1] == 'j' ? a + 2 : a + 7;
            if (parse_jobs(v, &jobs)) {
                free(inputs);
                return cli_usage_error("check", "invalid --jobs '%s' (want 1..256)",
                                       v);
            }
        } else if (!strncmp(a, "--output=", 9)) {
            dir = a + 9;
        } else if (!strncmp(a, "--encoding=", 11)) {
            ropts.encoding = a + 11;
        } else if (a[1] == 'o' && a[2]) {
            dir = a + 2;
        } else {
            free(inputs);
            return cli_usage_error("check", "unknown option '%s'", a);
        }
    }
    if (!ninputs) {
        free(inputs);
        return cli_usage_error("check", "no INPUT given");
    }
    if (!*dir) {
        free(inputs);
        return cli_usage_error("check", "empty output directory");
    }

    cli_diag_state st;
    memset(&st, 0, sizeof st);
    st.quiet_warnings = quiet;
    char **paths = NULL;
    size_t npaths = 0;
    bt_inputs_expand(inputs, ninputs, cli_diag, &st, &paths, &npaths);
    free(inputs);

    const bt_lexicon *lex = bt_lexicon_default();
    /* BITEXT_CHECK_SPILL_BUDGET (bytes): the tests force the findings'
     * temporary file with a small budget (tests/cli/check_spill.sh) */
    bt_check_opts copts;
    memset(&copts, 0, sizeof copts);
    const char *budget = getenv("BITEXT_CHECK_SPILL_BUDGET");
    if (budget) copts.spill_budget = (size_t)strtoull(budget, NULL, 10);
    bt_check *chk = bt_check_new(lex, &copts);
    check_run run = { chk, 0 };
    cli_doc_pool pool = { .paths = paths, .npaths = npaths, .ropts = &ropts, .lex = lex,
                          .aopts = { .line_matches = 1 }, .st = &st, .use = check_use,
                          .ctx = &run };
    /* read and aligned by the pool, checked in input order: the reports
     * are the same for any number of threads */
    cli_doc_pool_run(&pool, jobs);
    int failed = run.failed;
    bt_inputs_free(paths, npaths);
    if (!npaths) failed = 1;

    int rc = BT_EXIT_OK;
    if (bt_mkdir_p(dir) != 0) {
        cli_error("cannot create directory '%s': %s", dir, strerror(errno));
        rc = BT_EXIT_FAIL;
    } else if (write_reports(chk, dir, jobs) != 0) {
        rc = BT_EXIT_FAIL;
    } else if (!quiet && print_summary(chk, dir) != 0) {
        rc = BT_EXIT_FAIL;
    }
    if (bt_check_findings(chk, NULL) || failed || st.errors)
        rc = BT_EXIT_FAIL;
    bt_check_free(chk);
    return rc;
}
