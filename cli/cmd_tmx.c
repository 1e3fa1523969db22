/* cmd_tmx.c - bitext tmx validate|stats|merge|export: TMX utilities over
 * the streaming reader and writers of tmx/. */
#include "cli.h"
#include "../tmx/tmx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_tmx[] =
    "usage: bitext tmx validate [-q] FILE...\n"
    "       bitext tmx stats FILE...\n"
    "       bitext tmx merge [-q] [--lang-vi CODE] [--lang-en CODE] -o OUT.tmx\n"
    "                        FILE...\n"
    "       bitext tmx export [--format tsv|xliff|xlsx] [--min-score X] [-o OUT] FILE\n"
    "\n"
    "TMX utilities. FILE may be gzip'd; '-' reads standard input.\n"
    "\n"
    "  validate   check TMX 1.4b structure; every problem is reported as\n"
    "             'bitext: FILE:LINE: message'\n"
    "  stats      units, languages, duplicate pairs, x-score histogram\n"
    "  merge      collapse identical (vi, en) pairs of all inputs into OUT,\n"
    "             summing usagecount and keeping provenance in x-sources\n"
    "  export     write a memory as a bilingual table (TSV, XLSX) or XLIFF 1.2\n"
    "\n"
    "Try 'bitext tmx COMMAND --help' for the options of each.\n"
    "Exit status: 0 success (validate: all files valid), 1 validate: a file\n"
    "is invalid, 2 trouble: a usage error, a file that could not be read or\n"
    "an output not written.\n";

static const char usage_validate[] =
    "usage: bitext tmx validate [-q] FILE...\n"
    "\n"
    "Check each FILE against the TMX 1.4b structure: <tmx version=\"1.4\">,\n"
    "a <header> with creationtool, creationtoolversion, segtype, o-tmf,\n"
    "adminlang, srclang and datatype, every <tu> with at least two <tuv>\n"
    "carrying xml:lang, one of them in the srclang, one <seg> per <tuv>, only\n"
    "bpt, ept, ph, it, hi and ut inside <seg>, notes and props first.\n"
    "Problems go to stderr as 'bitext: FILE:LINE: message'; a summary per\n"
    "file goes to stdout.\n"
    "\n"
    "  -q, --quiet   print no summary on stdout\n"
    "  -h, --help    show this help\n"
    "  -V, --version show the version\n"
    "\n"
    "Exit status: 0 all files valid, 1 a file is invalid, 2 trouble: a usage\n"
    "error or a file that could not be read (the others are still checked).\n";

static const char usage_stats[] =
    "usage: bitext tmx stats FILE...\n"
    "\n"
    "Print, for each FILE: units (with a Vietnamese and an English segment),\n"
    "units skipped, segment languages, distinct and duplicate (vi, en)\n"
    "pairs, the sum of usagecounts, and a histogram of x-score in ten\n"
    "buckets.\n"
    "\n"
    "  -h, --help    show this help\n"
    "  -V, --version show the version\n"
    "\n"
    "Exit status: 0 success, 2 trouble: a usage error, a file that could not\n"
    "be read or the statistics not written.\n";

static const char usage_merge[] =
    "usage: bitext tmx merge [-q] [--lang-vi CODE] [--lang-en CODE] -o OUT.tmx\n"
    "                        FILE...\n"
    "\n"
    "Stream every FILE in order and write OUT.tmx (atomically: a temporary\n"
    "file renamed into place) with identical (vi, en) pairs collapsed into\n"
    "their first appearance: usagecounts summed, the other places kept in the\n"
    "x-sources prop. Units keep the order of first appearance. A unit whose\n"
    "places (x-file, x-vi-line, x-en-line, x-sources) are all known already is\n"
    "the same occurrence imported again and is not counted twice.\n"
    "\n"
    "Units from Trados, memoQ and other tools keep what they carry: tu and tuv\n"
    "attributes (tuid, dates, creationid, changeid, ...), notes, props, inline\n"
    "tags (bpt, ept, ph, it, hi, ut) and language codes as written (vi-VN).\n"
    "Of a repeated pair, the unit with the latest changedate (else\n"
    "creationdate) gives the attributes, tuvs and tags; the notes and props of\n"
    "all are united, the best score, the latest lastusagedate and the places\n"
    "in order are kept, so that any order of FILEs gives the same units.\n"
    "\n"
    "  -o, --output OUT   the merged memory (required)\n"
    "      --lang-vi CODE write CODE as the language of every Vietnamese\n"
    "                     segment and as srclang (e.g. vi-VN), whatever the\n"
    "                     inputs carry (default: as written in them)\n"
    "      --lang-en CODE the same for the English segments (e.g. en-US)\n"
    "  -q, --quiet        print no summary\n"
    "  -h, --help         show this help\n"
    "  -V, --version      show the version\n"
    "\n"
    "Options may stand anywhere among the FILEs; '--' ends them.\n"
    "Exit status: 0 success, 2 trouble: a usage error, an input that could\n"
    "not be read or OUT not written.\n";

static const char usage_export[] =
    "usage: bitext tmx export [--format tsv|xliff|xlsx] [--min-score X] [-o OUT]\n"
    "                         FILE\n"
    "\n"
    "Write the units of the memory FILE for tools that take no TMX:\n"
    "  tsv    a bilingual table for spreadsheets: a header line, then vi, en,\n"
    "         score, status, file and lines (VI_LINE:EN_LINE), tab-separated\n"
    "  xliff  XLIFF 1.2: one trans-unit per unit, its source, its target\n"
    "         (state translated; needs-review-translation when not accepted)\n"
    "         and a note 'FILE:LINE, score S, STATUS'; languages as the\n"
    "         memory's\n"
    "  xlsx   the table as a spreadsheet workbook (one sheet, score a number)\n"
    "\n"
    "  -f, --format FMT   tsv, xliff or xlsx (default: OUT's extension, .tsv,\n"
    "                     .xlf/.xliff or .xlsx, else tsv)\n"
    "      --min-score X  only the units whose x-score is X or more (0 to 1)\n"
    "  -o, --output OUT   write OUT (atomically) instead of standard output\n"
    "  -h, --help         show this help\n"
    "  -V, --version      show the version\n"
    "\n"
    "Options may stand anywhere among the operands; '--' ends them.\n"
    "Exit status: 0 success, 2 trouble: a usage error, FILE not read or OUT\n"
    "not written.\n";

static int is_help(const char *a)
{
    return !strcmp(a, "-h") || !strcmp(a, "--help");
}

typedef struct opts {
    int quiet;
    const char *out;
    const char *lang_vi, *lang_en; /* merge: --lang-vi, --lang-en */
} opts;

enum { OPT_LANG_VI = 256, OPT_LANG_EN };

/* The options of a tmx command, anywhere among its operands ("--" ends
 * them), with the shared -h and -V. Returns the index of the first
 * operand, or -1 with *rc set when the command is to return. */
static int parse(int argc, char **argv, const char *cmd, const char *help,
                 int allow_q, int allow_o, opts *o, int *rc)
{
    static const struct option all[] = {
        { "output", required_argument, NULL, 'o' },
        { "quiet", no_argument, NULL, 'q' },
        { "lang-vi", required_argument, NULL, OPT_LANG_VI },
        { "lang-en", required_argument, NULL, OPT_LANG_EN },
        { NULL, 0, NULL, 0 },
    };
    /* only the options this command takes: the others are unknown (the
     * language codes are merge's, the one command with -o and -q) */
    struct option mine[5];
    int n = 0;
    if (allow_o) mine[n++] = all[0];
    if (allow_q) mine[n++] = all[1];
    if (allow_o && allow_q) {
        mine[n++] = all[2];
        mine[n++] = all[3];
    }
    mine[n] = all[4];
    char shortopts[8];
    snprintf(shortopts, sizeof shortopts, "%s%s", allow_o ? "o:" : "", allow_q ? "q" : "");
    cli_args args;
    cli_args_init(&args, cmd, help, shortopts, mine);
    int c;
    while ((c = cli_args_next(&args, argc, argv)) != -1) {
        switch (c) {
        case CLI_ARGS_EXIT: *rc = args.status; return -1;
        case 'o': o->out = optarg; break;
        case 'q': o->quiet = 1; break;
        case OPT_LANG_VI:
        case OPT_LANG_EN:
            if (!bt_tmx_lang_ok(optarg)) {
                *rc = cli_usage_error(cmd, "invalid language code '%s' (e.g. %s)", optarg,
                                      c == OPT_LANG_VI ? "vi or vi-VN" : "en or en-US");
                return -1;
            }
            if (c == OPT_LANG_VI) o->lang_vi = optarg;
            else o->lang_en = optarg;
            break;
        }
    }
    if (optind >= argc) {
        *rc = cli_usage_error(cmd, "no input file");
        return -1;
    }
    return optind;
}

static int cmd_validate(int argc, char **argv)
{
    opts o = { 0 };
    int rc = 0;
    int first = parse(argc, argv, "tmx validate", usage_validate, 1, 0, &o, &rc);
    if (first < 0) return rc;
    int status = BT_EXIT_OK;
    for (int i = first; i < argc; i++) {
        cli_diag_state ds = { 0 };
        unsigned long units = 0;
        long problems = bt_tmx_validate(argv[i], &units, cli_diag, &ds);
        if (problems < 0) {
            status = BT_EXIT_TROUBLE; /* unreadable: trouble, not an answer */
        } else if (problems > 0) {
            if (status == BT_EXIT_OK) status = BT_EXIT_NO;
            /* The summary goes with the "valid" ones: stderr holds only
             * the problems, each with its line. */
            if (!o.quiet)
                printf("%s: invalid, %ld problem%s\n", argv[i], problems,
                       problems == 1 ? "" : "s");
        } else if (!o.quiet) {
            printf("%s: valid TMX 1.4, %lu unit%s\n", argv[i], units,
                   units == 1 ? "" : "s");
        }
    }
    return status;
}

/* tmx stats: units skipped are counted in its output, not each told;
 * every other problem is. */
static void stats_diag(void *ud, const bt_diag *d)
{
    cli_diag_state *st = ud;
    size_t n = strlen(d->msg);
    if (d->is_warning && n >= 8 && !strcmp(d->msg + n - 8, " skipped")) {
        st->warnings++;
        return;
    }
    cli_diag(ud, d);
}

static int cmd_stats(int argc, char **argv)
{
    opts o = { 0 };
    int rc = 0;
    int first = parse(argc, argv, "tmx stats", usage_stats, 0, 0, &o, &rc);
    if (first < 0) return rc;
    int status = BT_EXIT_OK;
    for (int i = first; i < argc; i++) {
        bt_tmx_stats st;
        cli_diag_state ds = { 0, 0, 0 }; /* skipped units: counted below */
        if (bt_tmx_stats_read(argv[i], &st, stats_diag, &ds) != BT_OK) {
            status = BT_EXIT_TROUBLE;
            continue;
        }
        printf("file: %s\n", argv[i]);
        printf("units: %lu\n", st.units);
        printf("skipped: %lu\n", st.skipped);
        printf("languages:");
        for (size_t k = 0; k < st.nlangs; k++)
            printf(" %s=%lu", st.langs[k].code, st.langs[k].n);
        if (st.other_langs) printf(" other=%lu", st.other_langs);
        printf("\n");
        printf("distinct pairs: %lu\n", st.distinct);
        printf("duplicate pairs: %lu\n", st.duplicates);
        printf("usagecount total: %lu\n", st.usage);
        printf("score histogram:\n");
        for (int b = 0; b < 10; b++)
            printf("  %.1f-%.1f%s %lu\n", b / 10.0, (b + 1) / 10.0,
                   b == 9 ? "]" : ")", st.score_hist[b]);
        printf("  no score  %lu\n", st.no_score);
    }
    return status;
}

static int cmd_merge(int argc, char **argv)
{
    opts o = { 0 };
    int rc = 0;
    int first = parse(argc, argv, "tmx merge", usage_merge, 1, 1, &o, &rc);
    if (first < 0) return rc;
    if (!o.out || !*o.out)
        return cli_usage_error("tmx merge", "missing -o OUT.tmx");
    for (int i = first; i < argc; i++)
        if (!strcmp(argv[i], o.out))
            return cli_usage_error("tmx merge",
                                   "output '%s' is also an input", o.out);
    cli_diag_state ds = { 0 };
    bt_tmx_merge_stats st;
    int r = bt_tmx_merge_langs(o.out, (const char *const *)(argv + first),
                               (size_t)(argc - first), BITEXT_VERSION, o.lang_vi, o.lang_en,
                               &st, cli_diag, &ds);
    if (r != BT_OK) {
        cli_error("%s: not written", o.out);
        return BT_EXIT_TROUBLE;
    }
    if (!o.quiet) {
        fprintf(stderr, "bitext: %s: %lu units written (%lu read, %lu "
                        "duplicates collapsed", o.out, st.written, st.read,
                st.collapsed);
        if (st.reimported)
            fprintf(stderr, ", %lu already present and not counted again",
                    st.reimported);
        fputs(")\n", stderr);
    }
    return BT_EXIT_OK;
}

/* ---- export ---- */

typedef struct export_run {
    const char *out;
    int format;
    double min_score;
    const char *original;
    bt_tmx_export *e;
    int failed;          /* errno of the first failed write */
} export_run;

/* A unit read: the export opens at the first one, in the memory's
 * languages. */
static int export_unit(void *ud, const bt_tmx_unit *u, const char *lv, const char *le)
{
    export_run *x = ud;
    if (x->failed) return 1;
    if (!x->e && !(x->e = bt_tmx_export_open(x->out, x->format, lv, le, x->original))) {
        x->failed = errno ? errno : EIO;
        return 1;
    }
    if (!bt_tmx_score_kept(u->score, x->min_score)) return 0;
    if (bt_tmx_export_add(x->e, u) != 0) {
        x->failed = errno ? errno : EIO;
        return 1;
    }
    return 0;
}

/* Copy the file at path to standard output. 0 or -1. */
static int cat_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return -1;
    char buf[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        if (fwrite(buf, 1, n, stdout) != n) { rc = -1; break; }
    if (ferror(fp)) rc = -1;
    fclose(fp);
    if (fflush(stdout) != 0) rc = -1;
    return rc;
}

static int cmd_export(int argc, char **argv)
{
    enum { OPT_MIN_SCORE = 256 };
    static const struct option longopts[] = {
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' },
        { "min-score", required_argument, NULL, OPT_MIN_SCORE },
        { NULL, 0, NULL, 0 },
    };
    export_run x = { .format = -1 };
    cli_args args;
    cli_args_init(&args, "tmx export", usage_export, "f:o:", longopts);
    int c;
    while ((c = cli_args_next(&args, argc, argv)) != -1) {
        switch (c) {
        case CLI_ARGS_EXIT: return args.status;
        case 'f':
            if ((x.format = bt_tmx_export_format_parse(optarg)) < 0)
                return cli_usage_error("tmx export", "unknown format '%s' (tsv, xliff or xlsx)",
                                       optarg);
            break;
        case 'o': x.out = optarg; break;
        case OPT_MIN_SCORE: {
            char *end;
            errno = 0;
            double v = strtod(optarg, &end);
            if (end == optarg || *end || errno || !(v >= 0 && v <= 1))
                return cli_usage_error("tmx export", "invalid --min-score '%s' (want 0..1)",
                                       optarg);
            x.min_score = v;
            break;
        }
        }
    }
    if (optind >= argc) return cli_usage_error("tmx export", "no input file");
    if (argc - optind > 1) return cli_usage_error("tmx export", "one input file only");
    const char *in = argv[optind];
    if (x.out && !strcmp(x.out, in))
        return cli_usage_error("tmx export", "output '%s' is also the input", x.out);
    if (x.format < 0) {
        const char *dot = x.out ? strrchr(x.out, '.') : NULL;
        x.format = dot && (!strcmp(dot, ".xlf") || !strcmp(dot, ".xliff"))
                       ? BT_TMX_EXPORT_XLIFF
                       : dot && !strcmp(dot, ".xlsx") ? BT_TMX_EXPORT_XLSX : BT_TMX_EXPORT_TSV;
    }
    const char *slash = strrchr(in, '/');
    x.original = slash ? slash + 1 : in;
    /* standard output: through a temporary file, as the writers are atomic;
     * made (and replaced by the writer's) under umask 077, so that no other
     * user may read it while it exists */
    bt_buf tmp;
    bt_buf_init(&tmp);
    const char *path = x.out;
    mode_t um = umask(0);
    umask(um);
    if (!path) {
        umask(077);
        const char *dir = getenv("TMPDIR");
        bt_buf_printf(&tmp, "%s/bitext-export-XXXXXX", dir && *dir ? dir : "/tmp");
        int fd = mkstemp(tmp.ptr);
        if (fd < 0) {
            cli_error("cannot make a temporary file: %s", strerror(errno));
            umask(um);
            bt_buf_free(&tmp);
            return BT_EXIT_TROUBLE;
        }
        close(fd);
        path = tmp.ptr;
    }
    x.out = path;
    cli_diag_state ds = { 0, 0, 1 };
    int r = bt_tmx_read(in, export_unit, &x, cli_diag, &ds);
    int status = BT_EXIT_OK;
    if (r != BT_OK || x.failed) {
        if (x.failed) cli_error("cannot write '%s': %s", path, strerror(x.failed));
        bt_tmx_export_abort(x.e);
        status = BT_EXIT_TROUBLE;
    } else {
        if (!x.e) x.e = bt_tmx_export_open(path, x.format, NULL, NULL, x.original);
        int closed = x.e ? bt_tmx_export_close(x.e) : -1;
        umask(um);
        if (closed != 0) {
            cli_error("cannot write '%s': %s", path, strerror(errno));
            status = BT_EXIT_TROUBLE;
        } else if (tmp.len && cat_file(path) != 0 && !ferror(stdout)) {
            cli_error("cannot write standard output: %s", strerror(errno));
            status = BT_EXIT_TROUBLE;
        }
    }
    umask(um);
    if (tmp.len) unlink(tmp.ptr);
    bt_buf_free(&tmp);
    return status;
}

int bt_cmd_tmx(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error("tmx", "missing command: validate, stats, merge or export");
    const char *sub = argv[1];
    if (is_help(sub) || !strcmp(sub, "help")) {
        fputs(usage_tmx, stdout);
        return BT_EXIT_OK;
    }
    if (!strcmp(sub, "--version") || !strcmp(sub, "-V")) return cli_version();
    if (!strcmp(sub, "validate")) return cmd_validate(argc - 1, argv + 1);
    if (!strcmp(sub, "stats")) return cmd_stats(argc - 1, argv + 1);
    if (!strcmp(sub, "merge")) return cmd_merge(argc - 1, argv + 1);
    if (!strcmp(sub, "export")) return cmd_export(argc - 1, argv + 1);
    return cli_usage_error("tmx", "unknown command '%s'", sub);
}
