/* cmd_check.c - bitext check: the title-consistency report for editors.
 * Reads articles as `bitext align` does, writes DIR/consistency.json and
 * DIR/consistency.html, and prints a short summary. Exit 0 when nothing is
 * found, 1 when findings exist, 2 on trouble (usage, an input that could
 * not be read, a report not written), findings or not. */
#include "cli.h"

#include "../check/check.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char check_usage[] =
    "usage: bitext check [OPTIONS] INPUT...\n"
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
    "  -q, --quiet         no summary on stdout, no progress line, no\n"
    "                      repaired-input warnings\n"
    "  -j, --jobs N        read and align N files at once (default: the\n"
    "                      number of processors); the reports are the same\n"
    "  --encoding NAME     input encoding (an ICU converter name such as\n"
    "                      windows-1258); default UTF-8, and a file that\n"
    "                      is plainly not UTF-8 is read as windows-1258,\n"
    "                      with a warning\n"
    "  --max-memory BYTES  memory all jobs take at once, reading and\n"
    "                      aligning (default 1073741824); a job is charged\n"
    "                      what its text takes (about 26 bytes a byte), waits\n"
    "                      for room, and may take a quarter at most (all of\n"
    "                      it when it is the only input): a file that would\n"
    "                      take more is refused\n"
    "  --decisions DB      leave out what reviewers settled in bitext review\n"
    "                      (DIR/decisions.db): renderings accepted as variants,\n"
    "                      findings marked fixed (unless their text changed\n"
    "                      since); house renderings are the official ones\n"
    "  -h, --help          show this help\n"
    "  -V, --version       show the version\n"
    "\n"
    "Options may stand anywhere among the INPUTs; '--' ends them.\n"
    "Exit status: 0 no findings, 1 findings exist, 2 trouble: a usage error,\n"
    "an input that could not be read (the others are still checked) or a\n"
    "report not written.\n";

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
    cli_progress progress;
} check_run;

void cli_check_made(void *ctx, cli_doc_job *j, const char *path)
{
    (void)ctx;
    (void)path;
    bt_check_prepare(j->notes, &j->res);
}

/* The check keeps state across files, so it runs here in input order. */
static void check_use(void *ctx, cli_doc_job *j, size_t i)
{
    check_run *r = ctx;
    if (!j->doc) r->failed = 1;
    else bt_check_add(r->chk, j->notes, &j->res);
    cli_progress_show(&r->progress, i + 1, NULL);
}

int bt_cmd_check(int argc, char **argv)
{
    enum { OPT_ENCODING = 256, OPT_DECISIONS, OPT_MAXMEM };
    static const struct option longopts[] = {
        { "output", required_argument, NULL, 'o' },
        { "quiet", no_argument, NULL, 'q' },
        { "jobs", required_argument, NULL, 'j' },
        { "encoding", required_argument, NULL, OPT_ENCODING },
        { "decisions", required_argument, NULL, OPT_DECISIONS },
        { "max-memory", required_argument, NULL, OPT_MAXMEM },
        { NULL, 0, NULL, 0 }
    };
    const char *dir = "bitext-out";
    const char *decisions = NULL;
    int quiet = 0;
    size_t max_memory = 0; /* CLI_MAX_MEMORY */
    bt_read_opts ropts;
    memset(&ropts, 0, sizeof ropts);
    int jobs = cli_default_jobs();
    int c;
    cli_args args;
    cli_args_init(&args, "check", check_usage, "o:qj:", longopts);
    while ((c = cli_args_next(&args, argc, argv)) != -1) {
        switch (c) {
        case CLI_ARGS_EXIT: return args.status;
        case 'o': dir = optarg; break;
        case 'q': quiet = 1; break;
        case 'j':
            if (cli_parse_jobs(optarg, &jobs))
                return cli_usage_error("check", "invalid --jobs '%s' (want 1..256)",
                                       optarg);
            break;
        case OPT_ENCODING: ropts.encoding = optarg; break;
        case OPT_DECISIONS: decisions = optarg; break;
        case OPT_MAXMEM:
            if (cli_parse_size(optarg, &max_memory))
                return cli_usage_error("check", "invalid --max-memory '%s'", optarg);
            break;
        }
    }
    char **inputs = argv + optind;
    size_t ninputs = (size_t)(argc - optind);
    if (!ninputs) return cli_usage_error("check", "no INPUT given");
    if (!*dir) return cli_usage_error("check", "empty output directory");
    if (ropts.encoding && cli_check_encoding("check", ropts.encoding) != BT_EXIT_OK)
        return BT_EXIT_USAGE;

    /* read first: a database that cannot be read is trouble before any work */
    bt_review_index *review = NULL;
    bt_check_hooks hooks;
    if (decisions && !(review = cli_review_load(decisions))) return BT_EXIT_TROUBLE;

    cli_diag_state st;
    memset(&st, 0, sizeof st);
    st.quiet_warnings = quiet;
    char **paths = NULL;
    size_t npaths = 0;
    bt_inputs_expand(inputs, ninputs, cli_diag, &st, &paths, &npaths);
    unsigned expand_errors = st.errors; /* paths that could not be read */

    const bt_lexicon *lex = bt_lexicon_default();
    /* BITEXT_CHECK_SPILL_BUDGET (bytes): the tests force the findings'
     * temporary file with a small budget (tests/cli/check_spill.sh) */
    bt_check_opts copts;
    memset(&copts, 0, sizeof copts);
    const char *budget = getenv("BITEXT_CHECK_SPILL_BUDGET");
    if (budget) copts.spill_budget = (size_t)strtoull(budget, NULL, 10);
    if (review) {
        bt_review_check_hooks(review, &hooks);
        copts.hooks = &hooks;
    }
    bt_check *chk = bt_check_new(lex, &copts);
    check_run run = { chk, 0, { 0 } };
    cli_doc_pool pool = { .paths = paths, .npaths = npaths, .ropts = &ropts, .lex = lex,
                          .annotate = 1, .st = &st, .made = cli_check_made, .use = check_use,
                          .ctx = &run, .max_memory = max_memory };
    /* read and aligned by the pool, checked in input order: the reports
     * are the same for any number of threads */
    cli_progress_start(&run.progress, npaths, quiet);
    cli_doc_pool_run(&pool, jobs);
    cli_progress_end(&run.progress);
    int failed = run.failed;
    bt_inputs_free(paths, npaths);

    int rc = bt_check_findings(chk, NULL) ? BT_EXIT_NO : BT_EXIT_OK;
    cli_outdir lock = { -1, NULL }; /* one run at a time in dir */
    if (!npaths || (failed && !bt_check_files(chk))) {
        /* as align: no report of nothing, which would read as a clean one
         * (without paths, bt_inputs_expand has said why) */
        if (npaths) cli_error("no input could be read");
        rc = BT_EXIT_TROUBLE;
    } else if (bt_mkdir_p(dir) != 0) {
        cli_error("cannot create directory '%s': %s", dir, strerror(errno));
        rc = BT_EXIT_TROUBLE;
    } else if (cli_outdir_lock(dir, &lock) != BT_EXIT_OK) {
        rc = BT_EXIT_TROUBLE;
    } else if (write_reports(chk, dir, jobs) != 0) {
        rc = BT_EXIT_TROUBLE;
    } else if (!quiet && print_summary(chk, dir) != 0) {
        rc = BT_EXIT_TROUBLE;
    }
    /* an input that could not be read is trouble, whatever was found in
     * the others; a bad line, reported and skipped, is not (as in align) */
    if (failed || expand_errors) rc = BT_EXIT_TROUBLE;
    size_t stale = bt_review_stale_findings(review);
    if (stale && !quiet)
        fprintf(stderr, "bitext: decisions: %zu finding%s marked fixed shown again: the "
                "text changed since\n", stale, stale == 1 ? "" : "s");
    cli_outdir_unlock(&lock);
    bt_check_free(chk);
    bt_review_index_free(review);
    return rc;
}
