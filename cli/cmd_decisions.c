/* cmd_decisions.c - bitext decisions export|import: the decisions of
 * bitext review as TSV, to move them between archives or review them in
 * git. */
#include "cli.h"

#include "../review/review.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char decisions_usage[] =
    "usage: bitext decisions export DB [FILE]\n"
    "       bitext decisions import DB [FILE]\n"
    "\n"
    "Move the decisions of 'bitext review' (DIR/decisions.db, SQLite) between\n"
    "archives, or keep them in git: export writes every decision as TSV (a\n"
    "header line, then one row each, in key order) to FILE or standard output;\n"
    "import reads such a file (or standard input) into DB, created when\n"
    "missing: a row replaces the decision on its key unless that one is newer.\n"
    "An import is all or nothing: a bad line leaves DB as it was.\n"
    "\n"
    "  -h, --help        show this help\n"
    "  -V, --version     show the version\n"
    "\n"
    "Exit status: 0 success, 2 trouble: a usage error, DB or FILE not read or\n"
    "not written.\n";

static int do_export(const char *db, const char *file)
{
    char *err = NULL;
    bt_decisions *d = bt_decisions_open(db, 0, &err);
    if (!d) {
        cli_error("%s", err ? err : "out of memory");
        free(err);
        return BT_EXIT_TROUBLE;
    }
    int rc = BT_EXIT_OK;
    if (file && strcmp(file, "-")) {
        bt_outfile *o = bt_outfile_open(file);
        if (!o) {
            cli_error("cannot create '%s': %s", file, strerror(errno));
            rc = BT_EXIT_TROUBLE;
        } else if (bt_decisions_export(d, bt_outfile_fp(o)) != 0) {
            cli_error("%s: %s", db, bt_decisions_error(d));
            bt_outfile_abort(o);
            rc = BT_EXIT_TROUBLE;
        } else if (bt_outfile_commit(o) != 0) {
            cli_error("cannot write '%s': %s", file, strerror(errno));
            rc = BT_EXIT_TROUBLE;
        }
    } else if (bt_decisions_export(d, stdout) != 0) {
        cli_error("%s: %s", db, bt_decisions_error(d));
        rc = BT_EXIT_TROUBLE;
    }
    bt_decisions_close(d);
    return rc;
}

static int do_import(const char *db, const char *file)
{
    FILE *in = stdin;
    const char *name = "-";
    if (file && strcmp(file, "-")) {
        in = fopen(file, "r");
        name = file;
        if (!in) {
            cli_error("cannot open '%s': %s", file, strerror(errno));
            return BT_EXIT_TROUBLE;
        }
    }
    /* an archive's DIR/decisions.db, DIR made when missing */
    char *dir = bt_xstrdup(db), *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = 0;
        if (bt_mkdir_p(dir) != 0) cli_error("cannot create '%s': %s", dir, strerror(errno));
    }
    free(dir);
    char *err = NULL;
    bt_decisions *d = bt_decisions_open(db, 1, &err);
    int rc = BT_EXIT_OK;
    if (!d) {
        cli_error("%s", err ? err : "out of memory");
        free(err);
        rc = BT_EXIT_TROUBLE;
    } else {
        size_t n = 0;
        if (bt_decisions_import(d, in, name, &n) != 0) {
            cli_error("%s", bt_decisions_error(d));
            rc = BT_EXIT_TROUBLE;
        }
        bt_decisions_close(d);
    }
    if (in != stdin) fclose(in);
    return rc;
}

int bt_cmd_decisions(int argc, char **argv)
{
    cli_args args;
    int c;
    cli_args_init(&args, "decisions", decisions_usage, "", NULL);
    while ((c = cli_args_next(&args, argc, argv)) != -1)
        if (c == CLI_ARGS_EXIT) return args.status;
    int n = argc - optind;
    char **a = argv + optind;
    if (n < 1) return cli_usage_error("decisions", "export or import?");
    int exp = !strcmp(a[0], "export");
    if (!exp && strcmp(a[0], "import"))
        return cli_usage_error("decisions", "unknown subcommand '%s' (export, import)", a[0]);
    if (n < 2) return cli_usage_error("decisions", "%s needs DB", a[0]);
    if (n > 3) return cli_usage_error("decisions", "%s takes DB and at most one FILE", a[0]);
    return exp ? do_export(a[1], n > 2 ? a[2] : NULL) : do_import(a[1], n > 2 ? a[2] : NULL);
}
