/* args.c - what every command shares on its command line: options read
 * one way (cli_args), --version, the encoding checked once, stdout closed
 * with its errors reported, and the progress line. */
#include "cli.h"

#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <unicode/ucnv.h>

int cli_version(void)
{
    printf("bitext %s\n", BITEXT_VERSION);
    return BT_EXIT_OK;
}

void cli_args_init(cli_args *a, const char *cmd, const char *usage,
                   const char *shortopts, const struct option *longopts)
{
    memset(a, 0, sizeof *a);
    a->cmd = cmd;
    a->usage = usage;
    /* ':' first: a missing value is told apart from an unknown option */
    snprintf(a->shortopts, sizeof a->shortopts, ":%shV", shortopts);
    size_t n = 0;
    const size_t room = sizeof a->longopts / sizeof a->longopts[0] - 3;
    for (; longopts && longopts[n].name && n < room; n++) a->longopts[n] = longopts[n];
    a->longopts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
    a->longopts[n++] = (struct option){ "version", no_argument, NULL, 'V' };
    a->longopts[n] = (struct option){ NULL, 0, NULL, 0 };
    optind = 0; /* glibc: start afresh, permutation included */
    opterr = 0;
}

/* The last word getopt_long read, when it is a long option: its name up
 * to any '=' in buf, and whether a value was given. */
static int long_word(char *buf, size_t size, int argc, char **argv, int *has_value)
{
    const char *w = optind > 0 && optind <= argc ? argv[optind - 1] : NULL;
    if (!w || strncmp(w, "--", 2) || !w[2]) return 0;
    const char *eq = strchr(w, '=');
    snprintf(buf, size, "%.*s", eq ? (int)(eq - w) : (int)strlen(w), w);
    *has_value = eq != NULL;
    return 1;
}

/* Does --name (or a prefix getopt_long took for it) have the value val? */
static int long_has_val(const cli_args *a, const char *name, int val)
{
    size_t n = strlen(name + 2);
    for (const struct option *o = a->longopts; o->name; o++)
        if (!strncmp(o->name, name + 2, n) && o->val == val) return 1;
    return 0;
}

int cli_args_next(cli_args *a, int argc, char **argv)
{
    int c = getopt_long(argc, argv, a->shortopts, a->longopts, NULL);
    char name[128];
    int has_value = 0;
    switch (c) {
    case 'h':
        fputs(a->usage, stdout);
        a->status = BT_EXIT_OK;
        return CLI_ARGS_EXIT;
    case 'V':
        a->status = cli_version();
        return CLI_ARGS_EXIT;
    case ':':
        /* the value was missing at the end: the last word is the option */
        if (!long_word(name, sizeof name, argc, argv, &has_value))
            snprintf(name, sizeof name, "-%c", optopt);
        a->status = cli_usage_error(a->cmd, "option '%s' needs a value", name);
        return CLI_ARGS_EXIT;
    case '?':
        /* getopt_long leaves optopt 0 for an unknown long option, and its
         * value for a long option given a value it does not take; else
         * optopt is an unknown short option, maybe inside a bundle */
        if (long_word(name, sizeof name, argc, argv, &has_value) &&
            (optopt == 0 || (has_value && long_has_val(a, name, optopt))))
            a->status = cli_usage_error(a->cmd, optopt ? "option '%s' takes no value"
                                                       : "unknown option '%s'", name);
        else if (optopt > ' ' && optopt < 127)
            a->status = cli_usage_error(a->cmd, "unknown option '-%c'", optopt);
        else
            a->status = cli_usage_error(a->cmd, "unknown option");
        return CLI_ARGS_EXIT;
    default:
        return c;
    }
}

int cli_check_encoding(const char *cmd, const char *name)
{
    UErrorCode err = U_ZERO_ERROR;
    UConverter *cnv = name && *name ? ucnv_open(name, &err) : NULL;
    if (!cnv || U_FAILURE(err)) {
        ucnv_close(cnv);
        return cli_usage_error(cmd, "unknown encoding '%s'", name ? name : "");
    }
    ucnv_close(cnv);
    return BT_EXIT_OK;
}

int cli_parse_jobs(const char *s, int *jobs)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < 1 || v > 256) return -1;
    *jobs = (int)v;
    return 0;
}

int cli_usable_cpus(void)
{
    /* the processors this process may run on (taskset, a cgroup's cpuset),
     * as nproc counts them, not all the machine has */
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    return ncpu > 0 ? (ncpu > 1024 ? 1024 : (int)ncpu) : 1;
}

int cli_default_jobs(void)
{
    int ncpu = cli_usable_cpus();
    return ncpu > 64 ? 64 : ncpu;
}

int cli_parse_size(const char *s, size_t *out)
{
    char *end;
    if (*s < '0' || *s > '9') return -1; /* strtoull would take "-5" */
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || v == 0) return -1;
    *out = (size_t)v;
    return 0;
}

int cli_close_stdout(int rc)
{
    /* an error of an earlier write stays in ferror() with nothing left to
     * flush: then errno tells nothing */
    int earlier = ferror(stdout);
    errno = 0;
    int flush = fflush(stdout);
    int e = errno;
    /* a stdout closed by the caller (>&-) is no error when nothing was
     * written to it, as GNU tools see it */
    if (fclose(stdout) != 0 && !flush && !earlier && errno != EBADF) {
        flush = -1;
        e = errno;
    }
    if (!flush && !earlier) return rc;
    if (flush && e) cli_error("write error on standard output: %s", strerror(e));
    else cli_error("write error on standard output");
    return BT_EXIT_TROUBLE;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void cli_progress_start(cli_progress *p, size_t total, int quiet)
{
    p->on = !quiet && isatty(STDERR_FILENO);
    p->total = total;
    p->t0 = now_s();
    p->last = 0;
}

void cli_progress_show(cli_progress *p, size_t done, const char *fmt, ...)
{
    if (!p->on) return;
    double t = now_s();
    if (t - p->t0 < 1.0 || t - p->last < 0.2) return;
    p->last = t;
    fprintf(stderr, "\rbitext: %zu/%zu files, %.0f files/s", done, p->total,
            (double)done / (t - p->t0));
    if (fmt && *fmt) {
        va_list ap;
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
    }
    fflush(stderr);
}

void cli_progress_end(cli_progress *p)
{
    if (p->on && p->last > 0) fputs("\r\033[K", stderr);
    p->last = 0;
}

int cli_merge_args(int argc, char **argv, const char *cmd, const char *usage, const char *what,
                   const char **out)
{
    static const struct option opts[] = {
        { "output", required_argument, NULL, 'o' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    cli_args args;
    *out = NULL;
    cli_args_init(&args, cmd, usage, "o:", opts);
    while ((c = cli_args_next(&args, argc, argv)) != -1) {
        if (c == CLI_ARGS_EXIT) return args.status;
        if (c == 'o') *out = optarg;
    }
    if (!*out) return cli_usage_error(cmd, "merge needs -o OUT");
    if (optind >= argc) return cli_usage_error(cmd, "merge needs at least one %s", what);
    return -1;
}
