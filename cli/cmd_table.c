/* cmd_table.c - bitext table merge: the tables that bitext align --table
 * learned (of shards, say) into one, exactly as one run over all their
 * inputs would have written it. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char table_usage[] =
    "usage: bitext table merge -o OUT TABLE...\n"
    "\n"
    "Merge tables written by 'bitext align --table' into OUT: their pairs and\n"
    "counts added, the pairs kept and the entries learned from them the same\n"
    "as one run over all the inputs would give, in whatever order the TABLEs\n"
    "come. OUT is written atomically and may be one of the TABLEs.\n"
    "\n"
    "  -o, --output OUT  the merged table (required)\n"
    "  -h, --help        show this help\n"
    "  -V, --version     show the version\n"
    "\n"
    "Exit status: 0 success, 2 trouble: a usage error, a table that could not\n"
    "be read or OUT not written.\n";

static int do_merge(int argc, char **argv)
{
    const char *out;
    int st = cli_merge_args(argc, argv, "table merge", table_usage, "table", &out);
    if (st >= 0) return st;
    bt_table *t = bt_table_new(0);
    cli_diag_state ds = { 0, 0, 0 };
    int rc = BT_EXIT_OK;
    for (int i = optind; i < argc; i++)
        if (bt_table_read(t, argv[i], cli_diag, &ds) != BT_OK) rc = BT_EXIT_TROUBLE;
    if (rc == BT_EXIT_OK && bt_table_write(t, out) != 0) {
        cli_error("cannot write '%s': %s", out, strerror(errno));
        rc = BT_EXIT_TROUBLE;
    }
    bt_table_free(t);
    return rc;
}

int bt_cmd_table(int argc, char **argv)
{
    if (argc < 2) return cli_usage_error("table", "merge?");
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        fputs(table_usage, stdout);
        return BT_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) return cli_version();
    if (!strcmp(argv[1], "merge")) return do_merge(argc - 1, argv + 1);
    return cli_usage_error("table", "unknown subcommand '%s' (merge)", argv[1]);
}
