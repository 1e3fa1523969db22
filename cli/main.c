/* main.c - bitext: dispatch to the commands. */
#include "cli.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
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
    "\n"
    "  --help       show this help (also: bitext COMMAND --help)\n"
    "  --version    show the version\n"
    "\n"
    "Exit status: 0 success, 1 input or processing error, 2 usage error.\n"
    "See bitext(1).\n";

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

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("bitext: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("bitext: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fprintf(stderr, "Try 'bitext %s%s--help' for more information.\n",
            cmd ? cmd : "", cmd ? " " : "");
    return BT_EXIT_USAGE;
}

int main(int argc, char **argv)
{
    /* past a file-size limit, let write() fail with EFBIG so the error is
     * reported and the temporary file removed, rather than be killed */
    signal(SIGXFSZ, SIG_IGN);
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {
        { "align", bt_cmd_align },       { "lookup", bt_cmd_lookup },
        { "glossary", bt_cmd_glossary }, { "check", bt_cmd_check },
        { "tmx", bt_cmd_tmx },
    };
    if (argc < 2) {
        fputs(usage, stderr);
        return BT_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        fputs(usage, stdout);
        return BT_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("bitext %s\n", BITEXT_VERSION);
        return BT_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (!strcmp(argv[1], cmds[i].name))
            return cmds[i].fn(argc - 1, argv + 1);
    return cli_usage_error(NULL, "unknown command '%s'", argv[1]);
}
