/* cmd_align.c - bitext align: articles in, memory.tmx (and
 * memory-partial.tmx), pairs.jsonl, glossary.tsv, glossary.tbx and
 * glossary.txt out. Here the options and the inputs they
 * name; align_run.c runs and writes, align_usage.c holds --help. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The run's settings are filled in by the options below. */
typedef cli_align_run run;

/* What the options ask for besides the run's settings. */
typedef struct inputs {
    char **args;
    size_t nargs;
    int pair_mode;
    const char *pairs_dir, *files_from;
    long shard_k, shard_n;
    int jobs;
} inputs;

/* ---- collecting inputs ---- */

/* r->files from the inputs, sharded and packed. BT_EXIT_OK, or
 * BT_EXIT_TROUBLE with the reason reported. */
static int collect_inputs(run *r, const inputs *in)
{
    unsigned long k = (unsigned long)in->shard_k, n = (unsigned long)in->shard_n;
    if (in->pair_mode) {
        r->nfiles = 2;
        r->files = bt_xmalloc(2 * sizeof *r->files);
        r->files[0] = bt_xstrdup(in->args[0]);
        r->files[1] = bt_xstrdup(in->args[1]);
    } else if (in->pairs_dir) {
        if (bt_inputs_pairs(in->pairs_dir, cli_diag, &r->diag, &r->files, &r->nfiles) != BT_OK) {
            bt_inputs_free(r->files, r->nfiles);
            return BT_EXIT_TROUBLE;
        }
    } else {
        /* with --shard, only the slice's files are looked at: a file
         * missing from another slice stops only the run that holds it */
        if (bt_inputs_expand_shard(in->args, in->nargs, in->files_from, k, n, cli_diag,
                                   &r->diag, &r->files, &r->nfiles) != BT_OK ||
            (r->nfiles == 0 && !n)) {
            cli_error("no input files found");
            bt_inputs_free(r->files, r->nfiles);
            return BT_EXIT_TROUBLE;
        }
        n = 0; /* sliced already */
    }
    if (n > 0) bt_inputs_shard(r->files, &r->nfiles, k, n);
    r->files = bt_inputs_pack(r->files, r->nfiles);
    r->whole_texts = in->pair_mode || in->pairs_dir;
    return BT_EXIT_OK;
}

/* ---- the run: collected, aligned and written (align_run.c) ---- */

/* Collect the inputs, run them and write the outputs. */
static int align_main(run *r, const inputs *in)
{
    r->t0 = cli_now();
    if (collect_inputs(r, in) != BT_EXIT_OK) return BT_EXIT_TROUBLE;
    unsigned expand_errors = r->diag.errors;
    if (bt_mkdir_p(r->outdir) != 0) {
        cli_error("cannot create output directory '%s': %s", r->outdir, strerror(errno));
        free(r->files);
        return BT_EXIT_TROUBLE;
    }
    /* one run at a time in a directory: two would leave a mixed set */
    cli_outdir lock;
    if (cli_outdir_lock(r->outdir, &lock) != BT_EXIT_OK) {
        free(r->files);
        return BT_EXIT_TROUBLE;
    }
    int status = BT_EXIT_TROUBLE;
    if (cli_align_decisions(r) != BT_EXIT_OK || cli_align_lexicon(r) != BT_EXIT_OK) {
        bt_review_index_free(r->review);
        bt_lexicon_free(r->lex);
        bt_table_free(r->table);
        free(r->files);
        cli_outdir_unlock(&lock);
        return BT_EXIT_TROUBLE;
    }
    cli_align_learn(r, in->jobs);
    bt_buf p_jsonl;
    bt_buf_init(&p_jsonl);
    bt_buf_printf(&p_jsonl, "%s/pairs.jsonl", r->outdir);
    r->jsonl = bt_outfile_open(p_jsonl.ptr);
    if (!r->jsonl) {
        cli_error("cannot write '%s': %s", p_jsonl.ptr, strerror(errno));
    } else {
        /* the places past the bound are counted ("+N more") */
        r->mem = bt_tmx_store_new(BT_TMX_ALIGN_PLACES, 1);
        if (r->include_partial) r->partial = bt_tmx_store_new(BT_TMX_ALIGN_PLACES, 1);
        r->gloss = bt_gloss_new();
        cli_align_files(r, in->jobs);
        status = cli_align_write(r, expand_errors);
    }
    bt_outfile_abort(r->jsonl);
    bt_gloss_free(r->gloss);
    bt_tmx_store_free(r->mem);
    bt_lexicon_free(r->lex);
    bt_table_free(r->table);
    bt_tmx_store_free(r->partial);
    bt_review_index_free(r->review);
    free(r->files);
    bt_buf_free(&p_jsonl);
    cli_outdir_unlock(&lock);
    return status;
}

enum { OPT_ENCODING = 256, OPT_PARTIAL, OPT_STRICT, OPT_MAXLINE, OPT_MAXFILE, OPT_SHARD,
       OPT_PAIR, OPT_PAIRS, OPT_FILES_FROM, OPT_DICT, OPT_TABLE, OPT_LEARN, OPT_MIN_SCORE,
       OPT_LANG_VI, OPT_LANG_EN, OPT_EXPORT, OPT_MAXMEM, OPT_DECISIONS };

/* The value of --jobs, --shard, --max-line, --max-file or --max-memory into r or in:
 * BT_EXIT_OK, or the usage error reported. */
static int parse_value(int c, const char *arg, run *r, inputs *in)
{
    char *end;
    switch (c) {
    case 'j':
        if (cli_parse_jobs(arg, &in->jobs))
            return cli_usage_error("align", "invalid --jobs '%s' (want 1..256)", arg);
        break;
    case OPT_MAXLINE:
        if (cli_parse_size(arg, &r->ropts.max_line))
            return cli_usage_error("align", "invalid --max-line '%s'", arg);
        break;
    case OPT_MAXFILE:
        if (cli_parse_size(arg, &r->ropts.max_file))
            return cli_usage_error("align", "invalid --max-file '%s'", arg);
        break;
    case OPT_MAXMEM:
        if (cli_parse_size(arg, &r->max_memory))
            return cli_usage_error("align", "invalid --max-memory '%s'", arg);
        break;
    case OPT_MIN_SCORE: {
        errno = 0;
        double v = strtod(arg, &end);
        if (end == arg || *end || errno || !(v >= 0 && v <= 1))
            return cli_usage_error("align", "invalid --min-score '%s' (want 0..1)", arg);
        r->min_score = v;
        break;
    }
    case OPT_EXPORT: {
        int f = bt_tmx_export_format_parse(arg);
        if (f < 0)
            return cli_usage_error("align", "unknown --export format '%s' (tsv, xliff or xlsx)",
                                   arg);
        r->exports |= 1u << f;
        break;
    }
    case OPT_LANG_VI:
    case OPT_LANG_EN:
        if (!bt_tmx_lang_ok(arg))
            return cli_usage_error("align", "invalid language code '%s' (e.g. %s)", arg,
                                   c == OPT_LANG_VI ? "vi or vi-VN" : "en or en-US");
        if (c == OPT_LANG_VI) r->lang_vi = arg;
        else r->lang_en = arg;
        break;
    case OPT_SHARD:
        in->shard_k = strtol(arg, &end, 10);
        if (*end != '/' || (in->shard_n = strtol(end + 1, &end, 10)) <= 0 || *end ||
            in->shard_k < 1 || in->shard_k > in->shard_n)
            return cli_usage_error("align", "invalid --shard '%s' (want K/N, 1 <= K <= N)", arg);
        break;
    }
    return BT_EXIT_OK;
}

/* The options into r and in; -1 to go on, else the status to exit with. */
static int parse_options(int argc, char **argv, run *r, inputs *in)
{
    static const struct option longopts[] = {
        { "output", required_argument, NULL, 'o' },
        { "encoding", required_argument, NULL, OPT_ENCODING },
        { "include-partial", no_argument, NULL, OPT_PARTIAL },
        { "strict", no_argument, NULL, OPT_STRICT },
        { "max-line", required_argument, NULL, OPT_MAXLINE },
        { "max-file", required_argument, NULL, OPT_MAXFILE },
        { "max-memory", required_argument, NULL, OPT_MAXMEM },
        { "shard", required_argument, NULL, OPT_SHARD },
        { "pair", no_argument, NULL, OPT_PAIR },
        { "pairs", required_argument, NULL, OPT_PAIRS },
        { "files-from", required_argument, NULL, OPT_FILES_FROM },
        { "dict", required_argument, NULL, OPT_DICT },
        { "table", required_argument, NULL, OPT_TABLE },
        { "learn", no_argument, NULL, OPT_LEARN },
        { "min-score", required_argument, NULL, OPT_MIN_SCORE },
        { "lang-vi", required_argument, NULL, OPT_LANG_VI },
        { "lang-en", required_argument, NULL, OPT_LANG_EN },
        { "export", required_argument, NULL, OPT_EXPORT },
        { "decisions", required_argument, NULL, OPT_DECISIONS },
        { "jobs", required_argument, NULL, 'j' },
        { "quiet", no_argument, NULL, 'q' },
        { NULL, 0, NULL, 0 }
    };
    int c, rc;
    cli_args args;
    cli_args_init(&args, "align", cli_align_usage, "o:j:q", longopts);
    while ((c = cli_args_next(&args, argc, argv)) != -1) {
        switch (c) {
        case CLI_ARGS_EXIT: return args.status;
        case 'o': r->outdir = optarg; break;
        case 'q': r->quiet = 1; break;
        case OPT_ENCODING: r->ropts.encoding = optarg; break;
        case OPT_PARTIAL: r->include_partial = 1; break;
        case OPT_STRICT: r->strict = 1; break;
        case OPT_PAIR: in->pair_mode = 1; break;
        case OPT_PAIRS: in->pairs_dir = optarg; break;
        case OPT_FILES_FROM: in->files_from = optarg; break;
        case OPT_DICT:
            r->dicts = bt_xrealloc(r->dicts, (r->ndicts + 1) * sizeof *r->dicts);
            r->dicts[r->ndicts++] = optarg;
            break;
        case OPT_TABLE: r->table_path = optarg; break;
        case OPT_LEARN: r->learn = 1; break;
        case OPT_DECISIONS: r->decisions = optarg; break;
        default:
            if ((rc = parse_value(c, optarg, r, in)) != BT_EXIT_OK) return rc;
        }
    }
    in->args = argv + optind;
    in->nargs = (size_t)(argc - optind);
    return -1;
}

/* Options that do not go together; BT_EXIT_OK or the usage error. */
static int check_options(const run *r, const inputs *in)
{
    if (in->pair_mode && in->pairs_dir)
        return cli_usage_error("align", "--pair and --pairs cannot be combined");
    if (in->pair_mode && in->nargs != 2)
        return cli_usage_error("align", "--pair takes two files: VI_FILE EN_FILE");
    if (!in->pair_mode && !in->pairs_dir && !in->files_from && !in->nargs)
        return cli_usage_error("align", "no INPUT given");
    if (in->files_from && (in->pair_mode || in->pairs_dir))
        return cli_usage_error("align", "--files-from cannot be combined with --pair or --pairs");
    if (in->pairs_dir && in->nargs)
        return cli_usage_error("align", "--pairs DIR takes no other INPUT");
    if (r->ropts.encoding && cli_check_encoding("align", r->ropts.encoding) != BT_EXIT_OK)
        return BT_EXIT_USAGE;
    return BT_EXIT_OK;
}

int bt_cmd_align(int argc, char **argv)
{
    run r;
    memset(&r, 0, sizeof r);
    r.outdir = "bitext-out";
    inputs in;
    memset(&in, 0, sizeof in);
    in.jobs = cli_default_jobs();
    int rc = parse_options(argc, argv, &r, &in);
    if (rc >= 0) return rc;
    if ((rc = check_options(&r, &in)) == BT_EXIT_OK) rc = align_main(&r, &in);
    free(r.dicts);
    return rc;
}
