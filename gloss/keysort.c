/* keysort.c - items put in the order of their byte-string keys (strcmp's),
 * as the glossary's rows and the index's English keys are: a radix sort on
 * eight bytes of key at a time, most significant first, each step sorting
 * the numbers by their bytes. A comparison sort read two keys at random
 * places for each of its 20 M comparisons at a million rows (a fifth of an
 * index build went to strlen and strcmp); this reads each key's bytes about
 * once, and only the items still tied read further. */
#include "gloss_int.h"

#include <stdlib.h>
#include <string.h>

/* The 8 bytes of k from its start as a number in strcmp's order, zeros
 * past its end. */
static uint64_t chunk_at(const unsigned char *k)
{
    uint64_t h = 0;
    int j = 0;
    for (; j < 8 && k[j]; j++) h = h << 8 | k[j];
    return j == 8 ? h : j ? h << (8 * (8 - j)) : 0;
}

/* a[0..n) by c, with tmp (n entries) as room: insertion for a few, else
 * a byte at a time from the lowest, skipping the bytes all share. */
static void sort_numbers(gloss_sort_ent *a, gloss_sort_ent *tmp, size_t n)
{
    if (n < 64) {
        for (size_t i = 1; i < n; i++) {
            gloss_sort_ent x = a[i];
            size_t j = i;
            for (; j && a[j - 1].c > x.c; j--) a[j] = a[j - 1];
            a[j] = x;
        }
        return;
    }
    /* on the stack, not thread-local: a 16 KB .tbss was zeroed by ld.so
     * for every thread of every process, four page faults at each start */
    size_t cnt[8][256];
    memset(cnt, 0, sizeof cnt);
    for (size_t i = 0; i < n; i++) {
        uint64_t c = a[i].c;
        for (int b = 0; b < 8; b++) cnt[b][(c >> (8 * b)) & 255]++;
    }
    gloss_sort_ent *src = a, *dst = tmp;
    for (int b = 0; b < 8; b++) {
        size_t *ct = cnt[b];
        if (ct[(src[0].c >> (8 * b)) & 255] == n) continue; /* one value */
        size_t at = 0;
        for (int v = 0; v < 256; v++) {
            size_t k = ct[v];
            ct[v] = at;
            at += k;
        }
        for (size_t i = 0; i < n; i++) dst[ct[(src[i].c >> (8 * b)) & 255]++] = src[i];
        gloss_sort_ent *t = src;
        src = dst;
        dst = t;
    }
    if (src != a) memcpy(a, src, n * sizeof *a);
}

typedef struct tie_ctx {
    gloss_tie_fn tie;
    void *ctx;
} tie_ctx;

static int cmp_tie(const void *x, const void *y, void *vc)
{
    const tie_ctx *t = vc;
    return t->tie(t->ctx, ((const gloss_sort_ent *)x)->i, ((const gloss_sort_ent *)y)->i);
}

/* Keys read ahead of the one being read, in a step over items in sorted
 * order. */
enum { AHEAD = 8 };

typedef struct span {
    size_t lo, n, depth;
} span;

void gloss_keysort(gloss_sort_ent *a, gloss_sort_ent *tmp, size_t n, gloss_key_fn key,
                   gloss_tie_fn tie, void *ctx)
{
    if (n < 2) return;
    for (size_t k = 0; k < n; k++) a[k].k = key(ctx, a[k].i);
    tie_ctx tc = { tie, ctx };
    span *st = NULL;
    size_t nst = 0, cap = 0;
    BT_GROW(st, cap, 1);
    st[nst++] = (span){ 0, n, 0 };
    while (nst) {
        span s = st[--nst];
        gloss_sort_ent *e = a + s.lo;
        for (size_t k = 0; k < s.n; k++) {
            /* the keys lie at random places once sorted: read ahead */
            if (k + AHEAD < s.n) __builtin_prefetch(e[k + AHEAD].k + s.depth);
            e[k].c = chunk_at((const unsigned char *)e[k].k + s.depth);
        }
        sort_numbers(e, tmp, s.n);
        for (size_t i = 0, j; i < s.n; i = j) {
            for (j = i + 1; j < s.n && e[j].c == e[i].c; j++) {}
            if (j - i < 2) continue;
            if (e[i].c & 255) { /* eight bytes of key each: they may go on */
                BT_GROW(st, cap, nst + 1);
                st[nst++] = (span){ s.lo + i, j - i, s.depth + 8 };
            } else { /* the same key */
                qsort_r(e + i, j - i, sizeof *e, cmp_tie, &tc);
            }
        }
    }
    free(st);
}
