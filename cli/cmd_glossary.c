/* cmd_glossary.c - bitext glossary export|merge: glossary files in other
 * formats, and several glossaries as one. */
#include "cli.h"
#include "../align/align.h"
#include "../gloss/gloss.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const char glossary_usage[] =
    "usage: bitext glossary export [--format tsv|csv|tbx|json|omegat]\n"
    "                              [--glossary FILE]...\n"
    "                              [--lexicon] [-o OUT]\n"
    "       bitext glossary merge -o OUT A B...\n"
    "\n"
    "export  write a glossary in another format: the built-in lexicon when no\n"
    "        --glossary is given, else the glossaries given (FILE is a .tsv, a\n"
    "        .tbx or the output directory of 'bitext align'); --lexicon adds the\n"
    "        built-in lexicon to them. The format defaults to OUT's extension,\n"
    "        else tsv. Without -o the glossary goes to standard output.\n"
    "merge   read glossaries A, B, ... (.tsv or .tbx) and write one: rows with\n"
    "        the same Vietnamese and English become one, counts added and\n"
    "        sources united. OUT's extension chooses the format (default tsv).\n"
    "\n"
    "TSV is the format of glossary.tsv: a '#' header line, then vi, en, kind,\n"
    "count and sources (file:line, ...). TBX is TBX 2008 (TBX-Basic), as OmegaT\n"
    "and translate-toolkit read it, with each English term's administrative\n"
    "status (preferred: official; admitted: a variant in use; deprecated: words\n"
    "the lexicon does not list, which 'bitext check' reports). omegat is the\n"
    "layout of glossary.txt, which OmegaT loads from a project's glossary/\n"
    "folder: vi, en and a comment (also chosen by OUT ending in .txt or .utf8).\n"
    "Official renderings come first; a term seen only in other words gets its\n"
    "official rendering as a row of its own (count 0, source lexicon).\n"
    "\n"
    "options:\n"
    "  -f, --format FMT    tsv, csv, tbx, json or omegat\n"
    "  -g, --glossary FILE a glossary to export (repeatable)\n"
    "      --lexicon       include the built-in lexicon\n"
    "  -o, --output OUT    write OUT (atomically) instead of standard output\n"
    "  -h, --help          show this help\n"
    "  -V, --version       show the version\n"
    "\n"
    "Options may stand anywhere among the operands; '--' ends them.\n"
    "Exit status: 0 success, 2 trouble: a usage error, a glossary line or file\n"
    "that could not be read (the rest is written) or OUT not written.\n";

static int format_of_path(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/')) return -1;
    char ext[8];
    size_t n = strlen(dot + 1);
    if (n >= sizeof ext) return -1;
    for (size_t i = 0; i <= n; i++)
        ext[i] = (char)((dot[1 + i] >= 'A' && dot[1 + i] <= 'Z') ? dot[1 + i] + 32
                                                                 : dot[1 + i]);
    return bt_gloss_format_parse(ext);
}

/* TBX is written to a file by tmx/: to show it on stdout, go through a
 * temporary file, made (and replaced by the writer's) under umask 077 so
 * that no other user may read it while it exists. */
static int write_stdout(const bt_gloss *g, int fmt)
{
    if (fmt != BT_GLOSS_TBX) {
        if (bt_gloss_write_fp(g, (bt_gloss_format)fmt, stdout) != 0 ||
            fflush(stdout) != 0)
            return -1;
        return 0;
    }
    const char *dir = getenv("TMPDIR");
    bt_buf p;
    bt_buf_init(&p);
    bt_buf_printf(&p, "%s/bitext-glossary-XXXXXX", dir && *dir ? dir : "/tmp");
    mode_t um = umask(077);
    int fd = mkstemp(p.ptr);
    if (fd < 0) {
        umask(um);
        bt_buf_free(&p);
        return -1;
    }
    close(fd);
    int rc = bt_gloss_write_tbx(g, p.ptr);
    umask(um);
    if (rc == 0) {
        FILE *fp = fopen(p.ptr, "rb");
        if (!fp) rc = -1;
        else {
            char buf[65536];
            size_t n;
            while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
                if (fwrite(buf, 1, n, stdout) != n) { rc = -1; break; }
            fclose(fp);
            if (fflush(stdout) != 0) rc = -1;
        }
    }
    unlink(p.ptr);
    bt_buf_free(&p);
    return rc;
}

static int do_export(int argc, char **argv)
{
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' },
        { "glossary", required_argument, NULL, 'g' },
        { "lexicon", no_argument, NULL, 'L' },
        { "output", required_argument, NULL, 'o' },
        { NULL, 0, NULL, 0 },
    };
    const char **files = bt_xcalloc((size_t)argc + 1, sizeof *files);
    size_t nfiles = 0;
    const char *out = NULL;
    int fmt = -1, lexicon = 0, c;
    cli_args args;
    cli_args_init(&args, "glossary export", glossary_usage, "f:g:o:", opts);
    while ((c = cli_args_next(&args, argc, argv)) != -1) {
        switch (c) {
        case CLI_ARGS_EXIT:
            free(files);
            return args.status;
        case 'f':
            fmt = bt_gloss_format_parse(optarg);
            if (fmt < 0) {
                free(files);
                return cli_usage_error("glossary export", "unknown format '%s' (tsv, "
                                       "csv, tbx, json or omegat)", optarg);
            }
            break;
        case 'g': files[nfiles++] = optarg; break;
        case 'L': lexicon = 1; break;
        case 'o': out = optarg; break;
        }
    }
    if (optind < argc) {
        free(files);
        return cli_usage_error("glossary export", "unexpected argument '%s' (glossaries "
                               "are given with --glossary)", argv[optind]);
    }
    if (fmt < 0) fmt = out && format_of_path(out) >= 0 ? format_of_path(out)
                                                      : BT_GLOSS_TSV;
    bt_gloss *g = bt_gloss_new();
    cli_diag_state ds = { 0, 0, 0 };
    int rc = BT_EXIT_OK;
    if (lexicon || !nfiles) bt_gloss_add_lexicon(g, bt_lexicon_default());
    for (size_t i = 0; i < nfiles; i++)
        if (bt_gloss_read(g, files[i], cli_diag, &ds) != BT_OK) rc = BT_EXIT_TROUBLE;
    if (ds.errors) rc = BT_EXIT_TROUBLE;
    /* official renderings first, each rendering's standing in the TBX */
    bt_gloss_mark_lexicon(g, bt_lexicon_default());
    int w = out ? bt_gloss_write(g, (bt_gloss_format)fmt, out)
                : write_stdout(g, fmt);
    if (w != 0) {
        /* stdout's own write errors are reported once, by cli_close_stdout */
        if (out || !ferror(stdout))
            cli_error("cannot write '%s': %s", out ? out : "standard output",
                      strerror(errno));
        rc = BT_EXIT_TROUBLE;
    }
    bt_gloss_free(g);
    free(files);
    return rc;
}

static int do_merge(int argc, char **argv)
{
    const char *out;
    int st = cli_merge_args(argc, argv, "glossary merge", glossary_usage, "glossary", &out);
    if (st >= 0) return st;
    int fmt = format_of_path(out);
    if (fmt < 0) fmt = BT_GLOSS_TSV;
    bt_gloss *g = bt_gloss_new();
    cli_diag_state ds = { 0, 0, 0 };
    int rc = BT_EXIT_OK;
    for (int i = optind; i < argc; i++)
        if (bt_gloss_read(g, argv[i], cli_diag, &ds) != BT_OK) rc = BT_EXIT_TROUBLE;
    if (ds.errors) rc = BT_EXIT_TROUBLE;
    bt_gloss_mark_lexicon(g, bt_lexicon_default());
    if (bt_gloss_write(g, (bt_gloss_format)fmt, out) != 0) {
        cli_error("cannot write '%s': %s", out, strerror(errno));
        rc = BT_EXIT_TROUBLE;
    }
    bt_gloss_free(g);
    return rc;
}

int bt_cmd_glossary(int argc, char **argv)
{
    if (argc < 2) return cli_usage_error("glossary", "export or merge?");
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        fputs(glossary_usage, stdout);
        return BT_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) return cli_version();
    if (!strcmp(argv[1], "export")) return do_export(argc - 1, argv + 1);
    if (!strcmp(argv[1], "merge")) return do_merge(argc - 1, argv + 1);
    return cli_usage_error("glossary", "unknown subcommand '%s' (export or merge)",
                           argv[1]);
}
