/* test_outfile.c - atomic output files: the CRC-32 and size kept as a file
 * is written (for the run's manifest) are zlib's of the bytes on disk,
 * whatever the sizes of the writes; a file put at the name since is not
 * taken for the one committed; an aborted file leaves nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "../../base/base.h"

/* A fresh directory for a test (caller frees). */
static char *scratch(void)
{
    char *d = strdup("/tmp/bt_outfile_XXXXXX");
    assert_non_null(mkdtemp(d));
    return d;
}

/* zlib's CRC-32 and the size of the file at path. */
static void file_sum(const char *path, uint32_t *crc, uint64_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static unsigned char buf[1 << 16];
    uLong c = crc32(0, Z_NULL, 0);
    uint64_t n = 0;
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, f)) > 0) {
        c = crc32(c, buf, (uInt)k);
        n += k;
    }
    fclose(f);
    *crc = (uint32_t)c;
    *size = n;
}

static void sums_match_the_file(void **state)
{
    (void)state;
    char *d = scratch();
    char path[256];
    snprintf(path, sizeof path, "%s/out.txt", d);
    bt_outfile *o = bt_outfile_open(path);
    assert_non_null(o);
    /* writes of every size, past the stream's buffer and the 8 MB at
     * which pages go to writeback */
    unsigned r = 12345;
    static char chunk[300000];
    for (size_t i = 0; i < sizeof chunk; i++) chunk[i] = (char)('a' + i % 26);
    uint64_t total = 0;
    while (total < (20u << 20)) {
        r = r * 1103515245u + 12345u;
        size_t n = (r >> 8) % sizeof chunk;
        if (r & 1) {
            assert_int_equal(fwrite(chunk, 1, n, bt_outfile_fp(o)), n);
        } else {
            fputc('x', bt_outfile_fp(o));
            n = 1;
        }
        total += n;
    }
    uint32_t crc;
    uint64_t size;
    assert_int_equal(bt_outfile_committed(path, &crc, &size), -1); /* not yet */
    assert_int_equal(bt_outfile_commit(o), 0);
    assert_int_equal(bt_outfile_committed(path, &crc, &size), 0);
    uint32_t want_crc;
    uint64_t want_size;
    file_sum(path, &want_crc, &want_size);
    assert_int_equal(size, total);
    assert_int_equal(size, want_size);
    assert_int_equal(crc, want_crc);

    /* another file renamed over it: not the one committed */
    char other[256];
    snprintf(other, sizeof other, "%s/other.txt", d);
    FILE *f = fopen(other, "wb");
    assert_non_null(f);
    fwrite(chunk, 1, (size_t)(size % sizeof chunk), f);
    fclose(f);
    assert_int_equal(rename(other, path), 0);
    assert_int_equal(bt_outfile_committed(path, &crc, &size), -1);

    /* written again: its new sums */
    o = bt_outfile_open(path);
    assert_non_null(o);
    fputs("short\n", bt_outfile_fp(o));
    assert_int_equal(bt_outfile_commit(o), 0);
    assert_int_equal(bt_outfile_committed(path, &crc, &size), 0);
    assert_int_equal(size, 6);
    assert_int_equal(crc, (uint32_t)crc32(0, (const Bytef *)"short\n", 6));
    unlink(path);
    rmdir(d);
    free(d);
}

static void empty_and_aborted(void **state)
{
    (void)state;
    char *d = scratch();
    char path[256];
    snprintf(path, sizeof path, "%s/empty.txt", d);
    bt_outfile *o = bt_outfile_open(path);
    assert_non_null(o);
    assert_int_equal(bt_outfile_commit(o), 0);
    uint32_t crc;
    uint64_t size;
    assert_int_equal(bt_outfile_committed(path, &crc, &size), 0);
    assert_int_equal(size, 0);
    assert_int_equal(crc, 0);
    unlink(path);

    snprintf(path, sizeof path, "%s/aborted.txt", d);
    o = bt_outfile_open(path);
    assert_non_null(o);
    fputs("never\n", bt_outfile_fp(o));
    bt_outfile_abort(o);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(bt_outfile_committed(path, &crc, &size), -1);
    assert_int_equal(rmdir(d), 0); /* nothing left behind */
    free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sums_match_the_file),
        cmocka_unit_test(empty_and_aborted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
