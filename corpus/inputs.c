/* inputs.c - command-line inputs to a list of files: files as given,
 * directories walked for *.txt and *.txt.gz, "-" for stdin. */
#include "corpus.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- directories already walked, by device and inode ------------------ *
 * Following symlinks can reach a directory twice (or loop forever); each is
 * walked once. */

/* Adds (dev, ino) to seen; returns 0 if it was there already. */
static int dir_seen_add(bt_map *seen, dev_t dev, ino_t ino)
{
    struct { dev_t dev; ino_t ino; } id;
    memset(&id, 0, sizeof id); /* no padding bytes of chance in the key */
    id.dev = dev;
    id.ino = ino;
    int fresh;
    bt_map_add(seen, (const char *)&id, sizeof id, &fresh);
    return fresh;
}

/* A path as messages name it (bt_name_text); caller frees. */
static char *name_text(const char *path)
{
    bt_buf b;
    bt_buf_init(&b);
    bt_name_text(&b, path, strlen(path));
    return bt_buf_detach(&b);
}

/* ---- the walk --------------------------------------------------------- */

typedef struct path_list {
    char **p;
    size_t n, cap;
} path_list;

static void list_push(path_list *l, char *path)
{
    BT_GROW(l->p, l->cap, l->n + 1);
    l->p[l->n++] = path;
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n > k && memcmp(s + n - k, suffix, k) == 0;
}

static int wanted_name(const char *name)
{
    size_t n = strlen(name);
    return ends_with(name, n, ".txt") || ends_with(name, n, ".txt.gz");
}

static char *join(const char *dir, const char *name)
{
    bt_buf b;
    bt_buf_init(&b);
    bt_buf_adds(&b, dir);
    if (b.len == 0 || b.ptr[b.len - 1] != '/') bt_buf_addc(&b, '/');
    bt_buf_adds(&b, name);
    return bt_buf_detach(&b);
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_path_desc(const void *a, const void *b)
{
    return cmp_path(b, a);
}

typedef struct walker {
    bt_diag_fn diag;
    void *ud;
    bt_map seen;         /* directories walked, by device and inode */
    path_list out;
    path_list todo; /* directories still to read */
} walker;

/* Read one directory: wanted files go to out, subdirectories to todo.
 * Names starting with '.' are skipped, as the shell's `*` does.
 * Subdirectories are walked in byte order of their names, so when two
 * paths (through a symlink) reach the same directory, the one found first
 * in that order is kept, whatever order readdir gives. */
static void walk_one(walker *wk, char *dir)
{
    DIR *dh = opendir(dir);
    if (!dh) {
        int e = errno;
        char *t = name_text(dir);
        bt_report(wk->diag, wk->ud, BT_ERR_IO, 0, t, 0,
                  "cannot read directory (%s)", strerror(e));
        free(t);
        return;
    }
    size_t first_sub = wk->todo.n;
    struct stat st;
    if (fstat(dirfd(dh), &st) != 0 || !dir_seen_add(&wk->seen, st.st_dev, st.st_ino)) {
        closedir(dh);
        return;
    }
    for (;;) {
        errno = 0;
        struct dirent *de = readdir(dh);
        if (!de) {
            if (errno) {
                int e = errno;
                char *t = name_text(dir);
                bt_report(wk->diag, wk->ud, BT_ERR_IO, 0, t, 0,
                          "cannot read directory (%s)", strerror(e));
                free(t);
            }
            break;
        }
        const char *name = de->d_name;
        if (name[0] == '.') continue;
        int is_dir = 0, is_reg = 0;
#ifdef DT_DIR
        if (de->d_type == DT_DIR) is_dir = 1;
        else if (de->d_type == DT_REG) is_reg = 1;
        else if (de->d_type != DT_LNK && de->d_type != DT_UNKNOWN) continue;
#endif
        if (!is_dir && !is_reg) {
            /* A symlink or an unknown type: look through it. */
            char *path = join(dir, name);
            if (stat(path, &st) != 0) {
                if (wanted_name(name)) {
                    int e = errno;
                    char *t = name_text(path);
                    bt_report(wk->diag, wk->ud, BT_ERR_IO, 0, NULL, 0,
                              "cannot open '%s': %s", t, strerror(e));
                    free(t);
                }
                free(path);
                continue;
            }
            if (S_ISDIR(st.st_mode)) {
                list_push(&wk->todo, path);
            } else if (S_ISREG(st.st_mode) && wanted_name(name)) {
                list_push(&wk->out, path);
            } else {
                free(path);
            }
            continue;
        }
        if (is_dir) list_push(&wk->todo, join(dir, name));
        else if (wanted_name(name)) list_push(&wk->out, join(dir, name));
    }
    closedir(dh);
    if (wk->todo.n - first_sub > 1)
        qsort(wk->todo.p + first_sub, wk->todo.n - first_sub, sizeof *wk->todo.p,
              cmp_path_desc);
}

static void report_missing(const walker *wk, const char *arg, int e)
{
    char *t = name_text(arg);
    bt_report(wk->diag, wk->ud, BT_ERR_IO, 0, NULL, 0, "cannot open '%s': %s", t,
              strerror(e));
    free(t);
}

/* A directory onto wk->out: its files in byte order of the full path. Each
 * argument is walked afresh, so a directory named twice is read twice, as
 * a file named twice would be. */
static void walk_dir(walker *wk, const char *arg)
{
    size_t first = wk->out.n;
    list_push(&wk->todo, bt_xstrdup(arg));
    while (wk->todo.n) {
        char *dir = wk->todo.p[--wk->todo.n];
        walk_one(wk, dir);
        free(dir);
    }
    bt_map_free(&wk->seen);
    if (wk->out.n - first > 1)
        qsort(wk->out.p + first, wk->out.n - first, sizeof *wk->out.p, cmp_path);
}

/* One argument onto wk->out: "-" and a file as they are, a directory
 * walked; missing, reported (and nothing added). */
static void expand_one(walker *wk, const char *arg)
{
    struct stat st;
    if (strcmp(arg, "-") == 0) {
        list_push(&wk->out, bt_xstrdup(arg));
    } else if (stat(arg, &st) != 0) {
        report_missing(wk, arg, errno);
    } else if (!S_ISDIR(st.st_mode)) {
        list_push(&wk->out, bt_xstrdup(arg));
    } else {
        walk_dir(wk, arg);
    }
}

/* The walk's list into *out, or the "no input files" report. */
static int expand_end(walker *wk, size_t slots, char ***out, size_t *nout)
{
    free(wk->todo.p);
    *out = wk->out.p;
    *nout = wk->out.n;
    if (slots == 0) {
        free(wk->out.p);
        *out = NULL;
        bt_report(wk->diag, wk->ud, BT_ERR_EMPTY, 0, NULL, 0,
                  "no input files (looked for '*.txt' and '*.txt.gz')");
        return BT_ERR_EMPTY;
    }
    return BT_OK;
}

int bt_inputs_expand(char *const *args, size_t nargs, bt_diag_fn diag,
                     void *ud, char ***out, size_t *nout)
{
    walker wk;
    memset(&wk, 0, sizeof wk);
    bt_map_init(&wk.seen);
    wk.diag = diag;
    wk.ud = ud;
    for (size_t i = 0; i < nargs; i++) expand_one(&wk, args[i]);
    return expand_end(&wk, wk.out.n, out, nout);
}

/* The k-th of `of` slices of what bt_inputs_expand would list, looking
 * only at the paths of that slice: a path named like an article (*.txt,
 * *.txt.gz) or "-" holds one place in the list without being looked at,
 * unless the place is the slice's (then it is expanded: a missing file
 * reported, a directory so named walked into that one place). Other paths
 * may be directories and are looked at; one missing holds one place too,
 * reported by the slice it falls in. With every path there and no
 * directory named like an article, the slices are bt_inputs_shard's. */
static int expand_slice(walker *wk, char *const *args, size_t nargs, unsigned long k,
                        unsigned long of, char ***out, size_t *nout)
{
    size_t slot = 0;
    path_list mine = { NULL, 0, 0 };
    for (size_t i = 0; i < nargs; i++) {
        const char *arg = args[i];
        int ours = slot % of == k - 1;
        struct stat st;
        if (strcmp(arg, "-") == 0 || wanted_name(arg)) {
            if (ours) expand_one(wk, arg);
            slot++;
        } else if (stat(arg, &st) != 0) {
            if (ours) report_missing(wk, arg, errno);
            slot++;
        } else if (!S_ISDIR(st.st_mode)) {
            if (ours) list_push(&wk->out, bt_xstrdup(arg));
            slot++;
        } else {
            size_t first = wk->out.n;
            walk_dir(wk, arg);
            /* the walk's files each hold a place */
            for (size_t j = first; j < wk->out.n; j++, slot++) {
                if (slot % of == k - 1) list_push(&mine, wk->out.p[j]);
                else free(wk->out.p[j]);
            }
            wk->out.n = first;
            continue;
        }
        /* what expand_one added for this place is the slice's */
        for (size_t j = 0; j < wk->out.n; j++) list_push(&mine, wk->out.p[j]);
        wk->out.n = 0;
    }
    free(wk->out.p);
    wk->out = mine;
    return expand_end(wk, slot, out, nout);
}

void bt_inputs_free(char **paths, size_t n)
{
    if (!paths) return;
    for (size_t i = 0; i < n; i++) free(paths[i]);
    free(paths);
}

/* ---- lists of inputs -------------------------------------------------- */

/* The paths listed in list, one per line ("-": stdin), appended to l. */
static int read_list(const char *list, bt_diag_fn diag, void *ud, path_list *l)
{
    FILE *f = strcmp(list, "-") ? fopen(list, "r") : stdin;
    if (!f) {
        int e = errno;
        char *t = name_text(list);
        bt_report(diag, ud, BT_ERR_IO, 0, NULL, 0, "cannot open '%s': %s", t,
                  strerror(e));
        free(t);
        return BT_ERR_IO;
    }
    char *line = NULL;
    size_t lcap = 0;
    ssize_t n;
    while ((n = getline(&line, &lcap, f)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        if (n) list_push(l, bt_xstrdup(line));
    }
    free(line);
    if (f != stdin) fclose(f);
    return BT_OK;
}

int bt_inputs_expand_list(char *const *args, size_t nargs, const char *list,
                          bt_diag_fn diag, void *ud, char ***out, size_t *nout)
{
    return bt_inputs_expand_shard(args, nargs, list, 0, 0, diag, ud, out, nout);
}

int bt_inputs_expand_shard(char *const *args, size_t nargs, const char *list,
                           unsigned long k, unsigned long of, bt_diag_fn diag, void *ud,
                           char ***out, size_t *nout)
{
    path_list all = { NULL, 0, 0 };
    *out = NULL;
    *nout = 0;
    for (size_t i = 0; i < nargs; i++) list_push(&all, bt_xstrdup(args[i]));
    int rc = list ? read_list(list, diag, ud, &all) : BT_OK;
    if (rc == BT_OK && !all.n) rc = BT_ERR_EMPTY;
    if (rc == BT_OK && of > 0) {
        walker wk;
        memset(&wk, 0, sizeof wk);
        bt_map_init(&wk.seen);
        wk.diag = diag;
        wk.ud = ud;
        rc = expand_slice(&wk, all.p, all.n, k, of, out, nout);
    } else if (rc == BT_OK) {
        rc = bt_inputs_expand(all.p, all.n, diag, ud, out, nout);
    }
    bt_inputs_free(all.p, all.n);
    return rc;
}

/* The English text beside vi (NAME.vi.txt[.gz]) among all: NAME.en.txt,
 * else NAME.en.txt.gz; NULL when there is none. */
static const char *english_beside(char *const *all, size_t n, const char *vi, size_t stem)
{
    bt_buf want;
    bt_buf_init(&want);
    bt_buf_add(&want, vi, stem);
    bt_buf_adds(&want, ".en.txt");
    const char *found = NULL;
    for (size_t j = 0; j < n && !found; j++)
        if (!strcmp(all[j], want.ptr) ||
            (!strncmp(all[j], want.ptr, want.len) && !strcmp(all[j] + want.len, ".gz")))
            found = all[j];
    bt_buf_free(&want);
    return found;
}

int bt_inputs_pairs(const char *dir, bt_diag_fn diag, void *ud, char ***out, size_t *nout)
{
    char *arg = bt_xstrdup(dir);
    char **all = NULL;
    size_t nall = 0;
    *out = NULL;
    *nout = 0;
    int rc = bt_inputs_expand(&arg, 1, diag, ud, &all, &nall);
    free(arg);
    if (rc != BT_OK) return rc;
    path_list l = { NULL, 0, 0 };
    for (size_t i = 0; i < nall; i++) {
        const char *vi = strstr(all[i], ".vi.txt");
        if (!vi || (vi[7] != '\0' && strcmp(vi + 7, ".gz") != 0)) continue;
        const char *en = english_beside(all, nall, all[i], (size_t)(vi - all[i]));
        if (en) {
            list_push(&l, bt_xstrdup(all[i]));
            list_push(&l, bt_xstrdup(en));
        } else {
            char *t = name_text(all[i]);
            bt_report(diag, ud, BT_ERR_IO, 0, t, 0,
                      "no English text beside it (want NAME.en.txt)");
            free(t);
        }
    }
    bt_inputs_free(all, nall);
    *out = l.p;
    *nout = l.n;
    if (l.n == 0) {
        char *t = name_text(dir);
        bt_report(diag, ud, BT_ERR_EMPTY, 0, NULL, 0,
                  "no NAME.vi.txt / NAME.en.txt pairs in '%s'", t);
        free(t);
        return BT_ERR_EMPTY;
    }
    return BT_OK;
}

void bt_inputs_shard(char **paths, size_t *n, unsigned long k, unsigned long of)
{
    size_t w = 0;
    for (size_t i = 0; i < *n; i++) {
        if (i % of == k - 1) paths[w++] = paths[i];
        else free(paths[i]);
    }
    *n = w;
}

char **bt_inputs_pack(char **paths, size_t n)
{
    size_t total = n * sizeof(char *);
    for (size_t i = 0; i < n; i++) total += strlen(paths[i]) + 1;
    char **packed = bt_xmalloc(total ? total : 1);
    char *b = (char *)(packed + n);
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(paths[i]) + 1;
        memcpy(b, paths[i], l);
        packed[i] = b;
        b += l;
    }
    bt_inputs_free(paths, n);
    return packed;
}
