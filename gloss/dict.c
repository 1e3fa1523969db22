/* dict.c - a user's dictionary for bitext align --dict, in any form bitext
 * reads: a glossary (TSV, TBX, an output directory), a plain
 * vi<TAB>en|en TSV (which is a glossary of two or three columns), or
 * hunalign's "english @ vietnamese" lines, turned into TSV lines (one for
 * one, so places stay right) for the glossary reader. */
#include "gloss_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* Is the first line that says something "en @ vi" (no TAB)? */
static int looks_hunalign(const char *s, size_t len)
{
    const char *end = s + len;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *le = nl ? nl : end;
        size_t n = (size_t)(le - s);
        int blank = 1;
        for (size_t i = 0; i < n; i++)
            if (s[i] != ' ' && s[i] != '\r' && s[i] != '\t') blank = 0;
        if (!blank && s[0] != '#') return !memchr(s, '\t', n) && memmem(s, n, " @ ", 3);
        s = le + 1;
    }
    return 0;
}

/* hunalign's lines as vi<TAB>en lines; a line without " @ " is left as it
 * is, for the glossary reader to report. */
static void hunalign_to_tsv(const char *s, size_t len, bt_buf *out)
{
    const char *end = s + len;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *le = nl ? nl : end;
        size_t n = (size_t)(le - s);
        if (n && s[n - 1] == '\r') n--;
        const char *at = s[0] == '#' ? NULL : memmem(s, n, " @ ", 3);
        if (at) {
            bt_buf_add(out, at + 3, (size_t)(s + n - (at + 3)));
            bt_buf_add(out, "\t", 1);
            bt_buf_add(out, s, (size_t)(at - s));
        } else {
            bt_buf_add(out, s, n);
        }
        bt_buf_add(out, "\n", 1);
        s = le + 1;
    }
}

int bt_gloss_read_dict(bt_gloss *g, const char *path, bt_diag_fn diag, void *ud)
{
    struct stat st;
    size_t pl = strlen(path);
    if ((stat(path, &st) == 0 && S_ISDIR(st.st_mode)) ||
        (pl >= 4 && !strcasecmp(path + pl - 4, ".tbx")))
        return bt_gloss_read(g, path, diag, ud);
    char *data;
    size_t len;
    int rc = gloss_slurp(path, &data, &len, diag, ud);
    if (rc != BT_OK) return rc;
    const char *text = data ? data : "";
    if (looks_hunalign(text, len)) {
        bt_buf t;
        bt_buf_init(&t);
        hunalign_to_tsv(text, len, &t);
        rc = bt_gloss_read_tsv_mem(g, path, t.ptr ? t.ptr : "", t.len, diag, ud);
        bt_buf_free(&t);
    } else {
        rc = bt_gloss_read_tsv_mem(g, path, text, len, diag, ud);
    }
    free(data);
    return rc;
}
