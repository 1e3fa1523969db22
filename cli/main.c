/* main.c - bitext: dispatch to the commands. */
#include "cli.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: bitext COMMAND [OPTIONS] ...\n"
    "\n"
    "Vietnamese-English news articles to a translation memory and glossary.\n"
    "\n"
    "commands:\n"
    "  align [OPTIONS] INPUT...    align captions; write memory.tmx, pairs.jsonl,\n"
    "                              glossary.tsv and glossary.tbx\n"
    "  lookup [OPTIONS] TERM...    look a title up in the glossary\n"
    "  glossary export|merge ...   glossary utilities\n"
    "  check [OPTIONS] INPUT...    title-consistency report for editors\n"
    "  tmx validate|stats|merge    TMX utilities\n"
    "  table merge -o OUT TABLE... merge tables learned by align --table\n"
    "  review [OPTIONS] ARCHIVE... confirm pairs and findings in a browser\n"
    "  decisions export|import DB  reviewers' decisions to and from TSV\n"
    "\n"
    "  -h, --help       show this help (bitext help COMMAND = bitext COMMAND --help)\n"
    "  -V, --version    show the version\n"
    "\n"
    "Options may come before, between or after the operands; '--' ends them.\n"
    "Exit status: 0 success, 1 a negative answer (check: findings exist;\n"
    "lookup: a term not found; tmx validate: a file invalid), 2 trouble (usage\n"
    "error, unreadable input, write error). See bitext(1).\n";

void cli_diag_format(bt_buf *out, const bt_diag *d)
{
    if (d->file && d->line)
        bt_buf_printf(out, "bitext: %s:%lu: %s\n", d->file, d->line, d->msg);
    else if (d->file)
        bt_buf_printf(out, "bitext: %s: %s\n", d->file, d->msg);
    else
        bt_buf_printf(out, "bitext: %s\n", d->msg);
}

void cli_diag(void *ud, const bt_diag *d)
{
    cli_diag_state *st = ud;
    if (st) {
        if (d->is_warning) st->warnings++;
        else st->errors++;
        if (d->is_warning && st->quiet_warnings) return;
    }
    bt_buf b;
    bt_buf_init(&b);
    cli_diag_format(&b, d);
    fputs(b.ptr, stderr);
    bt_buf_free(&b);
}

static void verror(const char *fmt, va_list ap)
{
    fputs("bitext: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(fmt, ap);
    va_end(ap);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try 'bitext %s%s--help' for more information.\n",
            cmd ? cmd : "", cmd ? " " : "");
    return BT_EXIT_USAGE;
}

typedef struct command {
    const char *name;
    int (*fn)(int, char **);
} command;

static const command commands[] = {
    { "align", bt_cmd_align },       { "lookup", bt_cmd_lookup },
    { "glossary", bt_cmd_glossary }, { "check", bt_cmd_check },
    { "tmx", bt_cmd_tmx },           { "table", bt_cmd_table },
    { "review", bt_cmd_review },     { "decisions", bt_cmd_decisions },
};

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(name, commands[i].name)) return &commands[i];
    return NULL;
}

static int is_help(const char *a)
{
    return !strcmp(a, "--help") || !strcmp(a, "-h");
}

/* bitext help CMD [SUB]: what bitext CMD [SUB] --help prints, by running
 * exactly that. */
static int help(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stdout);
        return BT_EXIT_OK;
    }
    const command *c = find_command(argv[1]);
    if (!c) return cli_usage_error(NULL, "no help for '%s': not a command", argv[1]);
    char *args[4] = { argv[1], NULL, NULL, NULL };
    int n = 1;
    if (argc > 2) args[n++] = argv[2]; /* tmx validate, glossary merge */
    args[n++] = (char *)"--help";
    return c->fn(n, args);
}

static int run(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return BT_EXIT_USAGE;
    }
    const char *a = argv[1];
    if (is_help(a)) {
        fputs(usage, stdout);
        return BT_EXIT_OK;
    }
    if (!strcmp(a, "help")) return help(argc - 1, argv + 1);
    if (!strcmp(a, "--version") || !strcmp(a, "-V")) return cli_version();
    const command *c = find_command(a);
    if (c) return c->fn(argc - 1, argv + 1);
    if (a[0] == '-' && a[1]) return cli_usage_error(NULL, "unknown option '%s'", a);
    return cli_usage_error(NULL, "unknown command '%s'", a);
}

/* BITEXT_LIMITS: the bounds on XML and TSV inputs (bt_limits). 0, or a
 * usage error's exit code. */
static int set_limits(void)
{
    const char *spec = getenv("BITEXT_LIMITS");
    if (!spec || !*spec) return 0;
    bt_limits l = *bt_limits_get();
    const char *bad;
    if (bt_limits_parse(spec, &l, &bad) != 0) {
        size_t n = strcspn(bad, ",");
        return cli_usage_error(NULL, "invalid BITEXT_LIMITS item '%.*s' (want text=, attr=, "
                               "attrs=, total= or ratio= and a size such as 16M)", (int)n, bad);
    }
    bt_limits_set(&l);
    return 0;
}

int main(int argc, char **argv)
{
    /* past a file-size limit, let write() fail with EFBIG so the error is
     * reported and the temporary file removed, rather than be killed */
    signal(SIGXFSZ, SIG_IGN);
    int rc = set_limits();
    if (rc) return rc;
    return cli_close_stdout(run(argc, argv));
}
