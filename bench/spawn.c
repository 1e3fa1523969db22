/* spawn.c - the time a program takes as a process, for bench/lookup.sh:
 * posix_spawn, then wait4 for its end and its CPU time, RUNS times after
 * WARMUP untimed runs; prints the median wall time, the median CPU time
 * (user + system) and the 10th and 90th percentiles of the wall time, in
 * ms, and the median number of page faults (minor and major): on a virtual
 * machine a fault can cost tens of microseconds, so they explain much of a
 * short process's time. Nothing else runs between two runs (no shell, no date), so a figure
 * is the program's own, start-up included; /bin/true the same way says
 * what a process costs on the machine.
 *
 *   spawn [-n RUNS] [-w WARMUP] [-i FILE] PROGRAM [ARG...]
 *
 * Standard output and error go to /dev/null, standard input comes from
 * FILE (default /dev/null). The exit status of the program is not looked
 * at (a term not found exits 1); one killed by a signal, or that cannot
 * be started, stops the measure with exit 2. Output, one line:
 *
 *   wall_median cpu_median wall_p10 wall_p90 faults_median
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double ms_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

static double tv_ms(const struct timeval *t)
{
    return (double)t->tv_sec * 1e3 + (double)t->tv_usec / 1e3;
}

static int usage(void)
{
    fprintf(stderr, "usage: spawn [-n RUNS] [-w WARMUP] [-i FILE] PROGRAM [ARG...]\n");
    return 2;
}

/* Run argv once; its wall and CPU time in ms and its page faults. 0, or
 * -1 said. */
static int run_once(char **argv, const posix_spawn_file_actions_t *fa, double *wall, double *cpu,
                    double *faults)
{
    struct timespec a, b;
    pid_t pid;
    clock_gettime(CLOCK_MONOTONIC, &a);
    int e = posix_spawnp(&pid, argv[0], fa, NULL, argv, environ);
    if (e) {
        fprintf(stderr, "spawn: cannot run %s: %s\n", argv[0], strerror(e));
        return -1;
    }
    int st;
    struct rusage ru;
    while (wait4(pid, &st, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("spawn: wait4");
            return -1;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    if (WIFSIGNALED(st)) {
        fprintf(stderr, "spawn: %s killed by signal %d\n", argv[0], WTERMSIG(st));
        return -1;
    }
    *wall = ms_between(&a, &b);
    *cpu = tv_ms(&ru.ru_utime) + tv_ms(&ru.ru_stime);
    *faults = (double)ru.ru_minflt + (double)ru.ru_majflt;
    return 0;
}

int main(int argc, char **argv)
{
    long runs = 100, warmup = 3;
    const char *in = "/dev/null";
    int c;
    while ((c = getopt(argc, argv, "+n:w:i:")) != -1) {
        char *end;
        switch (c) {
        case 'n':
            runs = strtol(optarg, &end, 10);
            if (*end || runs < 1 || runs > 1000000) return usage();
            break;
        case 'w':
            warmup = strtol(optarg, &end, 10);
            if (*end || warmup < 0 || warmup > 1000000) return usage();
            break;
        case 'i': in = optarg; break;
        default: return usage();
        }
    }
    if (optind >= argc) return usage();
    char **cmd = argv + optind;

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, in, O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    if (access(in, R_OK) != 0) {
        fprintf(stderr, "spawn: cannot read %s: %s\n", in, strerror(errno));
        return 2;
    }

    double *wall = malloc((size_t)runs * sizeof *wall);
    double *cpu = malloc((size_t)runs * sizeof *cpu);
    double *flt = malloc((size_t)runs * sizeof *flt);
    if (!wall || !cpu || !flt) {
        perror("spawn");
        return 2;
    }
    for (long i = 0; i < warmup + runs; i++) {
        double w, u, f;
        if (run_once(cmd, &fa, &w, &u, &f) != 0) return 2;
        if (i >= warmup) {
            wall[i - warmup] = w;
            cpu[i - warmup] = u;
            flt[i - warmup] = f;
        }
    }
    posix_spawn_file_actions_destroy(&fa);
    qsort(wall, (size_t)runs, sizeof *wall, cmp_double);
    qsort(cpu, (size_t)runs, sizeof *cpu, cmp_double);
    qsort(flt, (size_t)runs, sizeof *flt, cmp_double);
    /* the median of an even count: the mean of the middle two */
    double wm = runs % 2 ? wall[runs / 2] : (wall[runs / 2 - 1] + wall[runs / 2]) / 2;
    double cm = runs % 2 ? cpu[runs / 2] : (cpu[runs / 2 - 1] + cpu[runs / 2]) / 2;
    double fm = runs % 2 ? flt[runs / 2] : (flt[runs / 2 - 1] + flt[runs / 2]) / 2;
    printf("%.2f %.2f %.2f %.2f %.0f\n", wm, cm, wall[runs / 10],
           wall[(runs * 9) / 10 < runs ? (runs * 9) / 10 : runs - 1], fm);
    free(wall);
    free(cpu);
    free(flt);
    return 0;
}
