/* fuzz_tmx.c - XML from other tools: bt_tmx_read, bt_tmx_validate,
 * bt_tmx_stats_read and bt_tbx_read on one file, and bt_tmx_merge of the
 * file with itself, whose output must validate (merge never writes a broken
 * memory) and count what the readers counted.
 *
 * Byte 0 chooses: bit 0 gzip the rest before writing it; bit 1 skip the
 * merge; bit 2 merge after a good memory rather than with itself. */
#include "fuzz.h"
#include "../../tmx/tmx.h"

#include <zlib.h>

static const char good_tmx[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<tmx version=\"1.4\"><header creationtool=\"fuzz\" creationtoolversion=\"1\" "
    "segtype=\"sentence\" o-tmf=\"bitext\" adminlang=\"en\" srclang=\"vi\" "
    "datatype=\"plaintext\"/><body>\n"
    "<tu><tuv xml:lang=\"vi\"><seg>Ảnh: Mai Hoa</seg></tuv>"
    "<tuv xml:lang=\"en\"><seg>Photo: Mai Hoa</seg></tuv></tu>\n"
    "</body></tmx>\n";

static int on_unit(void *ud, const bt_tmx_unit *u, const char *sl, const char *tl)
{
    FUZZ_CHECK(u->vi && u->en, "unit without both segments");
    fuzz_check_str(u->vi, "vi segment not UTF-8");
    fuzz_check_str(u->en, "en segment not UTF-8");
    fuzz_check_str(u->file, "x-file not UTF-8");
    fuzz_check_str(sl, "source xml:lang not UTF-8");
    fuzz_check_str(tl, "target xml:lang not UTF-8");
    FUZZ_CHECK(strlen(u->vi) <= BT_XML_MAX_TEXT && strlen(u->en) <= BT_XML_MAX_TEXT,
               "segment over the text limit");
    (*(unsigned long *)ud)++;
    return 0;
}

static int on_entry(void *ud, const bt_tbx_entry *e, unsigned long line)
{
    FUZZ_CHECK(e->vi && e->en, "entry without both terms");
    fuzz_check_str(e->vi, "vi term not UTF-8");
    fuzz_check_str(e->en, "en term not UTF-8");
    fuzz_check_str(e->kind, "kind not UTF-8");
    fuzz_check_str(e->sources, "sources not UTF-8");
    (*(unsigned long *)ud)++;
    return 0;
}

static void write_input(const char *path, const uint8_t *p, size_t n, int gz)
{
    if (!gz) {
        fuzz_write_file(path, p, n);
        return;
    }
    gzFile f = gzopen(path, "wb");
    FUZZ_CHECK(f != NULL, "gzopen");
    if (n) FUZZ_CHECK(gzwrite(f, p, (unsigned)n) == (int)n, "gzwrite");
    gzclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    uint8_t mode = data[0];
    char in[300], good[300], out[300];
    fuzz_path("in.tmx", in, sizeof in);
    fuzz_path("good.tmx", good, sizeof good);
    fuzz_path("merged.tmx", out, sizeof out);
    write_input(in, data + 1, size - 1, mode & 1);

    fuzz_diags dg = { 0, 0 };
    unsigned long nread = 0;
    int read_rc = bt_tmx_read(in, on_unit, &nread, fuzz_diag, &dg);
    FUZZ_CHECK(read_rc == BT_OK || dg.errors > 0, "read error not reported");

    unsigned long units = 0;
    long problems = bt_tmx_validate(in, &units, fuzz_diag, &dg);
    FUZZ_CHECK(problems >= 0 || dg.errors > 0, "validate error not reported");

    bt_tmx_stats st;
    memset(&st, 0, sizeof st);
    int stats_rc = bt_tmx_stats_read(in, &st, fuzz_diag, &dg);
    FUZZ_CHECK(st.nlangs <= 16, "more language slots than there are");
    if (stats_rc == BT_OK && read_rc == BT_OK)
        FUZZ_CHECK(st.units == nread, "stats and read count other units");
    if (stats_rc == BT_OK) {
        FUZZ_CHECK(st.distinct + st.duplicates == st.units, "distinct + duplicates != units");
        unsigned long h = st.no_score;
        for (int i = 0; i < 10; i++) h += st.score_hist[i];
        FUZZ_CHECK(h == st.units, "score histogram does not add up");
    }

    unsigned long entries = 0;
    bt_tbx_read(in, on_entry, &entries, fuzz_diag, &dg);

    if (mode & 2) return 0;
    const char *inputs[2] = { in, in };
    if (mode & 4) {
        fuzz_write_file(good, good_tmx, sizeof good_tmx - 1);
        inputs[0] = good;
    }
    bt_tmx_merge_stats ms;
    memset(&ms, 0, sizeof ms);
    unlink(out);
    int merge_rc = bt_tmx_merge(out, inputs, 2, "fuzz", &ms, fuzz_diag, &dg);
    if (merge_rc != BT_OK) {
        FUZZ_CHECK(access(out, F_OK) != 0, "failed merge left an output");
        return 0;
    }
    FUZZ_CHECK(ms.written <= ms.read, "merge wrote more than it read");
    fuzz_diags mg = { 0, 0 };
    unsigned long munits = 0;
    long mprob = bt_tmx_validate(out, &munits, fuzz_diag, &mg);
    FUZZ_CHECK(mprob == 0, "merge wrote a memory that does not validate");
    FUZZ_CHECK(munits == ms.written, "merged memory holds another number of units");
    return 0;
}
