/* inflate.c - the gzip decoders side by side on the same files: zlib (what
 * pipes and stdin use), libdeflate (what bitext uses for a gzip'd file read
 * whole) and, when built with -DHAVE_ISAL, Intel ISA-L's igzip. Every file
 * is read into memory first; each round decodes every file once with each
 * decoder in turn, a fresh decoder per file as bitext has, so a slow moment
 * of a shared machine weighs on all alike. Prints the median CPU time of
 * the rounds per decoder, and checks that all give the same bytes.
 *
 * usage: inflate ROUNDS < LIST   (one FILE.gz a line; bench/inflate.sh) */
#include <libdeflate.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
#ifdef HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

typedef struct blob {
    unsigned char *p;
    size_t n, out; /* compressed size, inflated size (from the trailer) */
} blob;

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static size_t by_zlib(const blob *b, unsigned char *out, size_t cap)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return 0;
    zs.next_in = b->p;
    zs.avail_in = (uInt)b->n;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    int zr = inflate(&zs, Z_FINISH);
    size_t n = zr == Z_STREAM_END ? (size_t)zs.total_out : 0;
    inflateEnd(&zs);
    return n;
}

static size_t by_libdeflate(const blob *b, unsigned char *out, size_t cap)
{
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    if (!d) return 0;
    size_t in_n = 0, out_n = 0;
    enum libdeflate_result r =
        libdeflate_gzip_decompress_ex(d, b->p, b->n, out, cap, &in_n, &out_n);
    libdeflate_free_decompressor(d);
    return r == LIBDEFLATE_SUCCESS ? out_n : 0;
}

/* the same, with one decompressor kept for all files */
static size_t by_libdeflate_kept(const blob *b, unsigned char *out, size_t cap)
{
    static struct libdeflate_decompressor *d;
    if (!d && !(d = libdeflate_alloc_decompressor())) return 0;
    size_t in_n = 0, out_n = 0;
    enum libdeflate_result r =
        libdeflate_gzip_decompress_ex(d, b->p, b->n, out, cap, &in_n, &out_n);
    return r == LIBDEFLATE_SUCCESS ? out_n : 0;
}

#ifdef HAVE_ISAL
static size_t isal_with(struct inflate_state *st, const blob *b, unsigned char *out,
                        size_t cap)
{
    isal_inflate_init(st);
    st->crc_flag = ISAL_GZIP;
    st->next_in = b->p;
    st->avail_in = (uint32_t)b->n;
    st->next_out = out;
    st->avail_out = (uint32_t)cap;
    int r = isal_inflate(st);
    return r == ISAL_DECOMP_OK && st->block_state == ISAL_BLOCK_FINISH
               ? (size_t)st->total_out : 0;
}

static size_t by_isal_kept(const blob *b, unsigned char *out, size_t cap)
{
    static struct inflate_state *st;
    if (!st && !(st = malloc(sizeof *st))) return 0;
    return isal_with(st, b, out, cap);
}

static size_t by_isal(const blob *b, unsigned char *out, size_t cap)
{
    struct inflate_state *st = malloc(sizeof *st);
    if (!st) return 0;
    size_t n = isal_with(st, b, out, cap);
    free(st);
    return n;
}
#endif

#define ND 5
typedef size_t (*decoder)(const blob *, unsigned char *, size_t);

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: inflate ROUNDS < LIST\n");
        return 2;
    }
    int rounds = atoi(argv[1]);
    if (rounds < 1) rounds = 1;
    size_t nf = 0, cap = 0, in_total = 0, out_total = 0, maxout = 0;
    blob *f = NULL;
    char **name = NULL, line[4096];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = '\0';
        if (!*line) continue;
        if (nf == cap) {
            cap = cap ? 2 * cap : 1024;
            f = realloc(f, cap * sizeof *f);
            name = realloc(name, cap * sizeof *name);
            if (!f || !name) return 1;
        }
        name[nf] = strdup(line);
        FILE *fp = fopen(line, "rb");
        if (!name[nf] || !fp || fseek(fp, 0, SEEK_END) != 0) { perror(line); return 1; }
        long sz = ftell(fp);
        rewind(fp);
        blob *b = &f[nf++];
        b->n = (size_t)sz;
        b->p = malloc(b->n ? b->n : 1);
        if (!b->p || fread(b->p, 1, b->n, fp) != b->n || b->n < 18) {
            fprintf(stderr, "%s: cannot read or too short\n", line);
            return 1;
        }
        fclose(fp);
        const unsigned char *t = b->p + b->n - 4;
        b->out = (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 | (size_t)t[3] << 24;
        in_total += b->n;
        out_total += b->out;
        if (b->out > maxout) maxout = b->out;
    }
    if (nf == 0) {
        fprintf(stderr, "inflate: no files\n");
        return 2;
    }
    const char *names[ND] = { "zlib " ZLIB_VERSION, "libdeflate " LIBDEFLATE_VERSION_STRING,
                              "libdeflate, one decompressor kept", "ISA-L igzip",
                              "ISA-L, one state kept" };
    decoder dec[ND] = { by_zlib, by_libdeflate, by_libdeflate_kept, NULL, NULL };
    int nd = 3;
#ifdef HAVE_ISAL
    dec[nd++] = by_isal;
    dec[nd++] = by_isal_kept;
#endif
    /* one output buffer per decoder, to compare their bytes after */
    unsigned char *out[ND];
    for (int d = 0; d < nd; d++)
        if (!(out[d] = malloc(maxout + 1))) return 1;
    /* the same bytes from each, checked before the timed rounds */
    for (size_t i = 0; i < nf; i++)
        for (int d = 0; d < nd; d++)
            if (dec[d](&f[i], out[d], f[i].out + 1) != f[i].out ||
                memcmp(out[0], out[d], f[i].out) != 0) {
                fprintf(stderr, "%s failed or differs on %s\n", names[d], name[i]);
                return 1;
            }
    double *t = calloc((size_t)rounds * ND, sizeof *t);
    if (!t) return 1;
    for (int r = 0; r < rounds; r++) {
        for (int d = 0; d < nd; d++) {
            double t0 = cpu_now();
            for (size_t i = 0; i < nf; i++) {
                if (dec[d](&f[i], out[d], f[i].out + 1) != f[i].out) {
                    fprintf(stderr, "%s failed on %s\n", names[d], name[i]);
                    return 1;
                }
            }
            t[d * rounds + r] = cpu_now() - t0;
        }
    }
    printf("%zu files, %.1f MB gzip'd, %.1f MB inflated; median CPU s of %d rounds\n\n",
           nf, in_total / 1e6, out_total / 1e6, rounds);
    printf("| decoder | median s | MB/s inflated | vs zlib |\n| --- | ---: | ---: | ---: |\n");
    double zl = 0;
    for (int d = 0; d < nd; d++) {
        qsort(t + d * rounds, (size_t)rounds, sizeof *t, cmp_double);
        double m = t[d * rounds + rounds / 2];
        if (d == 0) zl = m;
        printf("| %s | %.3f | %.0f | %.2fx |\n", names[d], m, m > 0 ? out_total / 1e6 / m : 0,
               m > 0 ? zl / m : 0);
    }
    return 0;
}
