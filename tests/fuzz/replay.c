/* replay.c - a plain main() for a fuzz harness: runs LLVMFuzzerTestOneInput
 * over every file named on the command line (directories: every file in
 * them, in byte order of the name, dot files skipped), so the saved corpus
 * is replayed by `make check` on every build, with any compiler.
 *
 *     replay_NAME [-t SECONDS] FILE|DIR...
 *
 * Exit 0 when every input ran (a harness that finds a broken promise
 * aborts); 1 when an input could not be read, none was found, or one took
 * longer than SECONDS (default 10: pathological inputs must stay fast). */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>

__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

static double max_seconds = 10.0;
static unsigned long ran, failed;
static const char *volatile current; /* the input running, for a crash */

/* Name the input that crashed, then die of the same signal. */
static void on_crash(int sig)
{
    const char *p = current;
    if (p) {
        static const char pre[] = "replay: crashed on '";
        if (write(2, pre, sizeof pre - 1) < 0 || write(2, p, strlen(p)) < 0 ||
            write(2, "'\n", 2) < 0) { /* nothing more to do */ }
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void run_file(const char *path)
{
    size_t n = 0;
    char *data = fuzz_read_file(path, &n);
    if (!data) {
        fprintf(stderr, "replay: cannot read '%s': %s\n", path, strerror(errno));
        failed++;
        return;
    }
    /* An exact-size copy, so that reading one byte past the input is
     * caught by ASan and valgrind as it would be under libFuzzer. */
    uint8_t *copy = bt_xmalloc(n ? n : 1);
    memcpy(copy, data, n);
    free(data);
    double t0 = now_s();
    current = path;
    LLVMFuzzerTestOneInput(copy, n);
    current = NULL;
    double dt = now_s() - t0;
    free(copy);
    ran++;
    if (dt > max_seconds) {
        fprintf(stderr, "replay: '%s' took %.1f s (limit %.0f s)\n", path, dt, max_seconds);
        failed++;
    }
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_dir(const char *dir)
{
    DIR *dh = opendir(dir);
    if (!dh) {
        fprintf(stderr, "replay: cannot read directory '%s': %s\n", dir, strerror(errno));
        failed++;
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dh))) {
        if (de->d_name[0] == '.') continue;
        BT_GROW(names, cap, n + 1);
        names[n++] = bt_xstrdup(de->d_name);
    }
    closedir(dh);
    if (n > 1) qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        bt_buf p;
        bt_buf_init(&p);
        bt_buf_printf(&p, "%s/%s", dir, names[i]);
        struct stat st;
        if (stat(p.ptr, &st) == 0 && S_ISREG(st.st_mode)) run_file(p.ptr);
        bt_buf_free(&p);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    int first = 1;
    if (argc > 2 && !strcmp(argv[1], "-t")) {
        max_seconds = atof(argv[2]);
        first = 3;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: %s [-t SECONDS] FILE|DIR...\n", argv[0]);
        return 2;
    }
    signal(SIGABRT, on_crash);
    signal(SIGSEGV, on_crash);
    signal(SIGBUS, on_crash);
    signal(SIGFPE, on_crash);
    if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
    for (int i = first; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            run_dir(argv[i]);
        } else {
            run_file(argv[i]);
        }
    }
    printf("replay: %lu input%s, %lu failed\n", ran, ran == 1 ? "" : "s", failed);
    return failed || ran == 0 ? 1 : 0;
}
