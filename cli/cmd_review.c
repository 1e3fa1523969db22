/* cmd_review.c - bitext review: the archive read and aligned as align and
 * check read it, then served as a local web application where translators
 * confirm pairs and editors settle findings; their decisions go to
 * DIR/decisions.db (review/). */
#include "cli.h"

#include "../check/check.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char review_usage[] =
    "usage: bitext review [OPTIONS] ARCHIVE...\n"
    "\n"
    "Serve a local web application over the archive's candidate pairs and\n"
    "consistency findings. Translators see the pairs worst-judged first\n"
    "(partial, mismatch, low scores, unpaired), each with the evidence behind\n"
    "its score (w), and accept, reject, fix the pairing, edit them or split\n"
    "a photo credit off (keys j/k, a/r, f, e, s); editors see the findings\n"
    "grouped, and accept a variant, mark a finding fixed or set the house\n"
    "rendering. Decisions go to DIR/decisions.db (SQLite; several reviewers\n"
    "may work at once), which 'bitext align --decisions' and 'bitext check\n"
    "--decisions' honour; give them the same ARCHIVE paths.\n"
    "\n"
    "ARCHIVE is a file (.txt or .gz), a directory (every *.txt and *.txt.gz\n"
    "below it) or - for stdin.\n"
    "\n"
    "  -o, --output DIR    keep decisions in DIR/decisions.db (default bitext-out)\n"
    "  -p, --port N        listen on port N (default 8080; 0: any free port)\n"
    "      --listen ADDR   listen on the IPv4 address ADDR rather than 127.0.0.1;\n"
    "                      then --token is required\n"
    "      --token T       every request must carry T (the printed address\n"
    "                      does); at least 16 characters\n"
    "  -j, --jobs N        read and align N files at once (default: the number\n"
    "                      of processors)\n"
    "      --encoding NAME input encoding (an ICU converter name)\n"
    "  -q, --quiet         no progress line, no repaired-input warnings\n"
    "  -h, --help          show this help\n"
    "  -V, --version       show the version\n"
    "\n"
    "The address is printed on standard output once the server listens; it\n"
    "serves until interrupted (Ctrl-C, SIGTERM). Requests from pages of other\n"
    "origins are refused.\n"
    "Exit status: 0 stopped by a signal, 2 trouble: a usage error, an archive\n"
    "that could not be read, the database or the port not opened.\n";

static volatile int stop_flag;
static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

typedef struct review_run {
    bt_review *rv;
    bt_check *chk;
    size_t pairs;
    int failed;
    cli_progress progress;
} review_run;

/* In input order: the file's lines and pairs to the application, its
 * findings to the check. */
static void review_use(void *ctx, cli_doc_job *j, size_t i)
{
    review_run *r = ctx;
    if (!j->doc) {
        r->failed = 1;
    } else {
        const char *path = j->doc->path ? j->doc->path : "-";
        for (size_t k = 0; k < j->doc->nlines; k++)
            bt_review_add_line(r->rv, path, j->doc->lines[k].lineno, j->doc->lines[k].text);
        for (size_t k = 0; k < j->res.npairs; k++) {
            const bt_pair *p = &j->res.pairs[k];
            bt_review_add_pair(r->rv, path, p->vi_line, p->en_line, p->vi, p->en, p->score,
                               bt_pair_status_name(p->status), p->is_credit);
        }
        r->pairs += j->res.npairs;
        bt_check_add(r->chk, j->notes, &j->res);
    }
    cli_progress_show(&r->progress, i + 1, NULL);
}

typedef struct ready_ctx {
    const char *addr, *token, *db;
    size_t pairs, findings;
} ready_ctx;

static void on_ready(void *ud, unsigned port)
{
    ready_ctx *c = ud;
    printf("bitext: review at http://%s:%u/%s%s (%zu pairs, %zu findings; decisions in %s)\n",
           c->addr, port, c->token ? "?token=" : "", c->token ? c->token : "", c->pairs,
           c->findings, c->db);
    fflush(stdout);
}

/* Read the archive into rv: 0, or -1 when nothing could be read. */
static int load_archive(bt_review *rv, char **inputs, size_t ninputs, const bt_read_opts *ropts,
                        int jobs, int quiet, size_t *npairs, size_t *nfindings)
{
    cli_diag_state st;
    memset(&st, 0, sizeof st);
    st.quiet_warnings = quiet;
    char **paths = NULL;
    size_t npaths = 0;
    bt_inputs_expand(inputs, ninputs, cli_diag, &st, &paths, &npaths);
    int rc = st.errors ? -1 : 0;
    const bt_lexicon *lex = bt_lexicon_default();
    review_run run = { rv, bt_check_new(lex, NULL), 0, 0, { 0 } };
    cli_doc_pool pool = { .paths = paths, .npaths = npaths, .ropts = ropts, .lex = lex,
                          .annotate = 1, .st = &st, .made = cli_check_made, .use = review_use,
                          .ctx = &run };
    cli_progress_start(&run.progress, npaths, quiet);
    cli_doc_pool_run(&pool, jobs);
    cli_progress_end(&run.progress);
    bt_inputs_free(paths, npaths);
    if (run.failed || !npaths) rc = -1;
    if (!npaths) cli_error("no input files found");
    /* findings without the decisions: the page shows those as decided */
    bt_check_walk *w = bt_check_walk_new(run.chk);
    const bt_check_finding *f;
    *nfindings = 0;
    int wr;
    while ((wr = bt_check_walk_next(w, &f)) == 1) {
        bt_review_add_finding(rv, f);
        (*nfindings)++;
    }
    if (wr < 0) {
        cli_error("cannot list the findings: %s", bt_check_error(run.chk));
        rc = -1;
    }
    bt_check_walk_free(w);
    bt_check_free(run.chk);
    *npairs = run.pairs;
    return rc;
}

int bt_cmd_review(int argc, char **argv)
{
    enum { OPT_LISTEN = 256, OPT_TOKEN, OPT_ENCODING };
    static const struct option longopts[] = {
        { "output", required_argument, NULL, 'o' },
        { "port", required_argument, NULL, 'p' },
        { "listen", required_argument, NULL, OPT_LISTEN },
        { "token", required_argument, NULL, OPT_TOKEN },
        { "jobs", required_argument, NULL, 'j' },
        { "encoding", required_argument, NULL, OPT_ENCODING },
        { "quiet", no_argument, NULL, 'q' },
        { NULL, 0, NULL, 0 }
    };
    const char *dir = "bitext-out", *listen = NULL, *token = NULL;
    long port = 8080;
    int quiet = 0;
    bt_read_opts ropts;
    memset(&ropts, 0, sizeof ropts);
    int jobs = cli_default_jobs();
    int c;
    char *end;
    cli_args args;
    cli_args_init(&args, "review", review_usage, "o:p:j:q", longopts);
    while ((c = cli_args_next(&args, argc, argv)) != -1) {
        switch (c) {
        case CLI_ARGS_EXIT: return args.status;
        case 'o': dir = optarg; break;
        case 'q': quiet = 1; break;
        case 'p':
            port = strtol(optarg, &end, 10);
            if (!*optarg || *end || port < 0 || port > 65535)
                return cli_usage_error("review", "invalid --port '%s' (want 0..65535)", optarg);
            break;
        case 'j':
            if (cli_parse_jobs(optarg, &jobs))
                return cli_usage_error("review", "invalid --jobs '%s' (want 1..256)", optarg);
            break;
        case OPT_LISTEN: listen = optarg; break;
        case OPT_TOKEN: token = optarg; break;
        case OPT_ENCODING: ropts.encoding = optarg; break;
        }
    }
    char **inputs = argv + optind;
    size_t ninputs = (size_t)(argc - optind);
    if (!ninputs) return cli_usage_error("review", "no ARCHIVE given");
    if (!*dir) return cli_usage_error("review", "empty output directory");
    if (listen && !token)
        return cli_usage_error("review", "--listen needs --token: the server would be "
                               "open to anyone who can reach it");
    if (token && strlen(token) < 16)
        return cli_usage_error("review", "--token wants at least 16 characters");
    if (token && strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                               "0123456789-_.~") != strlen(token))
        return cli_usage_error("review", "--token: letters, digits, '-', '_', '.', '~' only");
    if (ropts.encoding && cli_check_encoding("review", ropts.encoding) != BT_EXIT_OK)
        return BT_EXIT_USAGE;

    if (bt_mkdir_p(dir) != 0) {
        cli_error("cannot create directory '%s': %s", dir, strerror(errno));
        return BT_EXIT_TROUBLE;
    }
    bt_buf db;
    bt_buf_init(&db);
    bt_buf_printf(&db, "%s/decisions.db", dir);
    char *err = NULL;
    bt_decisions *d = bt_decisions_open(db.ptr, 1, &err);
    if (!d) {
        cli_error("%s", err ? err : "out of memory");
        free(err);
        bt_buf_free(&db);
        return BT_EXIT_TROUBLE;
    }
    bt_review *rv = bt_review_new(d);
    bt_review_allow(rv, NULL, 0, token);
    size_t npairs = 0, nfindings = 0;
    int rc = BT_EXIT_OK;
    if (load_archive(rv, inputs, ninputs, &ropts, jobs, quiet, &npairs, &nfindings) != 0) {
        rc = BT_EXIT_TROUBLE;
    } else {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        signal(SIGPIPE, SIG_IGN);
        ready_ctx rc_ = { listen ? listen : "127.0.0.1", token, db.ptr, npairs, nfindings };
        if (bt_review_serve(rv, rc_.addr, (unsigned)port, &stop_flag, on_ready, &rc_,
                            &err) != 0) {
            cli_error("%s", err ? err : "cannot serve");
            free(err);
            rc = BT_EXIT_TROUBLE;
        }
    }
    bt_review_free(rv);
    bt_decisions_close(d);
    bt_buf_free(&db);
    return rc;
}
