/* test_tmx.c - TMX/TBX writers and the safe readers: round trips, escaping,
 * stripped characters, merge, hostile XML (XXE, billion laughs, depth),
 * UTF-16 and gzip input, write errors, validation with line numbers. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <zlib.h>

#include "../../tmx/tmx.h"

static char dir[256];

static const char *path_in(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    bt_buf b;
    bt_buf_init(&b);
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0) bt_buf_add(&b, tmp, n);
    fclose(fp);
    if (len) *len = b.len;
    return bt_buf_detach(&b);
}

/* ---- collecting what the readers give ---- */

typedef struct got_unit {
    char *vi, *en, *file, *status, *sources, *vl, *el;
    unsigned long vi_line, en_line;
    double score;
    unsigned usagecount;
} got_unit;

typedef struct got {
    got_unit u[64];
    size_t n;
    unsigned errors, warnings;
    unsigned long lines[32];
    char msgs[32][200];
    size_t nmsgs;
} got;

static char *dup_or_null(const char *s) { return s ? bt_xstrdup(s) : NULL; }

static int on_unit(void *ud, const bt_tmx_unit *u, const char *vl,
                   const char *el)
{
    got *g = ud;
    if (g->n == 64) return 1;
    got_unit *o = &g->u[g->n++];
    o->vi = bt_xstrdup(u->vi);
    o->en = bt_xstrdup(u->en);
    o->file = dup_or_null(u->file);
    o->status = dup_or_null(u->status);
    o->sources = dup_or_null(u->more_sources);
    o->vl = dup_or_null(vl);
    o->el = dup_or_null(el);
    o->vi_line = u->vi_line;
    o->en_line = u->en_line;
    o->score = u->score;
    o->usagecount = u->usagecount;
    return 0;
}

static void on_diag(void *ud, const bt_diag *d)
{
    got *g = ud;
    if (d->is_warning) g->warnings++;
    else g->errors++;
    if (g->nmsgs < 32) {
        g->lines[g->nmsgs] = d->line;
        snprintf(g->msgs[g->nmsgs], sizeof g->msgs[0], "%s", d->msg);
        g->nmsgs++;
    }
}

static void got_free(got *g)
{
    for (size_t i = 0; i < g->n; i++) {
        got_unit *o = &g->u[i];
        free(o->vi); free(o->en); free(o->file); free(o->status);
        free(o->sources); free(o->vl); free(o->el);
    }
    memset(g, 0, sizeof *g);
}

static int read_tmx(const char *path, got *g)
{
    memset(g, 0, sizeof *g);
    return bt_tmx_read(path, on_unit, g, on_diag, g);
}

static int has_msg(const got *g, const char *needle, unsigned long line)
{
    for (size_t i = 0; i < g->nmsgs; i++)
        if (strstr(g->msgs[i], needle) && (!line || g->lines[i] == line))
            return 1;
    return 0;
}

/* ---- writer round trip ---- */

static const bt_tmx_unit sample[] = {
    { "Đồng chí Nguyễn Xuân Sơn - Phó Bí thư Thường trực Tỉnh ủy.",
      "Comrade Nguyen Xuan Son - Standing Deputy Secretary.",
      "corpus/samples/000.txt", 12, 13, 0.9126, 1, NULL, NULL, NULL },
    { "Ảnh: Mai Hoa", "Photo: Mai Hoa", "corpus/samples/000.txt", 20, 21,
      1.0, 3, "accepted", "a.txt:1:2; b.txt:5:6", NULL },
    { "Ảnh tư liệu", "Photo: Archive", NULL, 0, 0, -1, 0, "partial", NULL, NULL },
};
enum { NSAMPLE = sizeof sample / sizeof sample[0] };

static void write_units(const char *path, const bt_tmx_unit *u, size_t n)
{
    bt_tmx_writer *w = bt_tmx_writer_open(path, "9.9");
    assert_non_null(w);
    for (size_t i = 0; i < n; i++) assert_int_equal(bt_tmx_writer_add(w, &u[i]), 0);
    assert_int_equal(bt_tmx_writer_close(w), 0);
}

static void test_roundtrip(void **state)
{
    (void)state;
    const char *p = path_in("rt.tmx");
    write_units(p, sample, NSAMPLE);
    got g;
    assert_int_equal(read_tmx(p, &g), BT_OK);
    assert_int_equal(g.n, NSAMPLE);
    assert_int_equal(g.errors + g.warnings, 0);
    for (size_t i = 0; i < NSAMPLE; i++) {
        assert_string_equal(g.u[i].vi, sample[i].vi);
        assert_string_equal(g.u[i].en, sample[i].en);
        assert_string_equal(g.u[i].vl, "vi");
        assert_string_equal(g.u[i].el, "en");
        if (sample[i].file) assert_string_equal(g.u[i].file, sample[i].file);
        else assert_null(g.u[i].file);
        assert_int_equal(g.u[i].vi_line, sample[i].vi_line);
        assert_int_equal(g.u[i].en_line, sample[i].en_line);
        if (sample[i].score < 0) assert_true(g.u[i].score < 0);
        else assert_true(g.u[i].score > sample[i].score - 0.0006 &&
                         g.u[i].score < sample[i].score + 0.0006);
        assert_int_equal(g.u[i].usagecount,
                         sample[i].usagecount > 1 ? sample[i].usagecount : 1);
        if (sample[i].status) assert_string_equal(g.u[i].status, sample[i].status);
        if (sample[i].more_sources)
            assert_string_equal(g.u[i].sources, sample[i].more_sources);
    }
    got_free(&g);
    /* What the DTD and tools need to see. */
    char *text = slurp(p, NULL);
    assert_non_null(strstr(text, "<tmx version=\"1.4\">"));
    assert_null(strstr(text, "<!DOCTYPE"));
    const char *attrs[] = { "creationtool=\"bitext\"", "creationtoolversion=\"9.9\"",
                            "segtype=\"sentence\"", "o-tmf=\"bitext\"",
                            "adminlang=\"en\"", "srclang=\"vi\"",
                            "datatype=\"plaintext\"" };
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
        assert_non_null(strstr(text, attrs[i]));
    assert_non_null(strstr(text, "<prop type=\"x-score\">0.913</prop>"));
    assert_non_null(strstr(text, "usagecount=\"3\""));
    assert_non_null(strstr(text, "<tuv xml:lang=\"vi\">"));
    const char *d = strstr(text, "creationdate=\"");
    assert_non_null(d);
    d += 14;
    assert_true(d[8] == 'T' && d[15] == 'Z' && d[16] == '"');
    free(text);
    unsigned long units = 0;
    memset(&g, 0, sizeof g);
    assert_int_equal(bt_tmx_validate(p, &units, on_diag, &g), 0);
    assert_int_equal(units, NSAMPLE);
}

static void test_escaping(void **state)
{
    (void)state;
    const char *p = path_in("esc.tmx");
    bt_tmx_unit u = { "a < b && c > \"d\" 'e' ]]> <seg>x</seg>",
                      "&amp; stays &amp;", "f<&>\".txt", 1, 2, 0.5, 1,
                      "x\"y", NULL, NULL };
    write_units(p, &u, 1);
    char *text = slurp(p, NULL);
    assert_null(strstr(text, "<seg>x</seg>"));
    assert_non_null(strstr(text, "&lt;seg&gt;"));
    assert_non_null(strstr(text, "&amp;amp;"));
    free(text);
    got g;
    assert_int_equal(read_tmx(p, &g), BT_OK);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.u[0].vi, u.vi);
    assert_string_equal(g.u[0].en, u.en);
    assert_string_equal(g.u[0].file, u.file);
    assert_string_equal(g.u[0].status, u.status);
    got_free(&g);
}

static void test_control_chars_stripped(void **state)
{
    (void)state;
    const char *p = path_in("ctl.tmx");
    /* U+0001, raw 0x0B, ESC, U+FFFE, U+FFFF, a CESU surrogate, a stray
     * continuation byte; TAB and LF stay. */
    bt_tmx_unit u = { "a\x01" "b\x0b" "c\x1b" "d\xef\xbf\xbe" "e\xef\xbf\xbf"
                      "f\xed\xa0\x80" "g\x80" "h\ti\nj",
                      "ok\x02", "f\x07.txt", 1, 1, 1, 1, NULL, NULL, NULL };
    write_units(p, &u, 1);
    size_t len;
    char *text = slurp(p, &len);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        assert_true(c >= 0x20 || c == '\t' || c == '\n' || c == '\r');
    }
    assert_null(strstr(text, "\xef\xbf\xbe"));
    assert_null(strstr(text, "\xef\xbf\xbf"));
    assert_null(strstr(text, "&#1;"));
    free(text);
    got g;
    assert_int_equal(read_tmx(p, &g), BT_OK);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.u[0].vi, "abcdefgh\ti\nj");
    assert_string_equal(g.u[0].en, "ok");
    assert_string_equal(g.u[0].file, "f.txt");
    got_free(&g);
}

static void test_merge_collapses(void **state)
{
    (void)state;
    bt_tmx_unit a[] = {
        { "Ảnh: Mai Hoa", "Photo: Mai Hoa", "a.txt", 1, 2, 0.9, 1, NULL, NULL, NULL },
        { "Xin chào", "Hello", "a.txt", 3, 4, 0.8, 1, NULL, NULL, NULL },
        { "Ảnh: Mai Hoa", "Photo: Mai Hoa", "a.txt", 7, 8, 0.9, 2, NULL, NULL, NULL },
    };
    bt_tmx_unit b[] = {
        { "Tạm biệt", "Goodbye", "b.txt", 1, 2, 0.7, 1, NULL, NULL, NULL },
        { "Ảnh: Mai Hoa", "Photo: Mai Hoa", "b.txt", 5, 6, 0.9, 1, NULL,
          "c.txt:9:10", NULL },
        { "Xin chào", "Hello", "a.txt", 3, 4, 0.8, 1, NULL, NULL, NULL },
        { "Xin chào", "Hello there", "b.txt", 9, 9, 0.6, 1, NULL, NULL, NULL },
    };
    write_units(path_in("ma.tmx"), a, 3);
    write_units(path_in("mb.tmx"), b, 4);
    const char *in[] = { path_in("ma.tmx"), path_in("mb.tmx") };
    const char *out = path_in("merged.tmx");
    bt_tmx_merge_stats st;
    got g;
    memset(&g, 0, sizeof g);
    assert_int_equal(bt_tmx_merge(out, in, 2, "1", &st, on_diag, &g), BT_OK);
    assert_int_equal(st.read, 7);
    assert_int_equal(st.written, 4);
    assert_int_equal(st.collapsed, 3);
    assert_int_equal(st.reimported, 1); /* Xin chào, a.txt:3:4 again */
    assert_int_equal(read_tmx(out, &g), BT_OK);
    assert_int_equal(g.n, 4);
    /* order of first appearance */
    assert_string_equal(g.u[0].en, "Photo: Mai Hoa");
    assert_string_equal(g.u[1].en, "Hello");
    assert_string_equal(g.u[2].en, "Goodbye");
    assert_string_equal(g.u[3].en, "Hello there");
    assert_int_equal(g.u[0].usagecount, 4);
    assert_string_equal(g.u[0].file, "a.txt");
    assert_int_equal(g.u[0].vi_line, 1);
    assert_string_equal(g.u[0].sources, "a.txt:7:8; b.txt:5:6; c.txt:9:10");
    assert_int_equal(g.u[1].usagecount, 1);
    assert_null(g.u[1].sources); /* the same place twice is one place */
    assert_int_equal(g.u[2].usagecount, 1);
    got_free(&g);
    /* Merging the merge with itself changes nothing: the same occurrences
     * imported again do not count twice. */
    const char *in2[] = { out, out };
    assert_int_equal(bt_tmx_merge(path_in("m2.tmx"), in2, 2, "1", &st, NULL, NULL),
                     BT_OK);
    assert_int_equal(read_tmx(path_in("m2.tmx"), &g), BT_OK);
    assert_int_equal(st.reimported, 4);
    assert_int_equal(g.n, 4);
    assert_int_equal(g.u[0].usagecount, 4);
    assert_int_equal(g.u[1].usagecount, 1);
    assert_string_equal(g.u[0].sources, "a.txt:7:8; b.txt:5:6; c.txt:9:10");
    got_free(&g);
    /* A missing input: nothing written. */
    const char *bad[] = { in[0], path_in("nope.tmx") };
    memset(&g, 0, sizeof g);
    assert_int_equal(bt_tmx_merge(path_in("m3.tmx"), bad, 2, "1", NULL, on_diag, &g),
                     BT_ERR_IO);
    assert_true(g.errors >= 1);
    assert_int_equal(access(path_in("m3.tmx"), F_OK), -1);
}

/* ---- hostile input ---- */

static const char tmx_head[] =
    "<tmx version=\"1.4\"><header creationtool=\"t\" creationtoolversion=\"1\" "
    "segtype=\"sentence\" o-tmf=\"t\" adminlang=\"en\" srclang=\"vi\" "
    "datatype=\"plaintext\"/><body>";

static void write_tmx_with(const char *path, const char *prolog,
                           const char *vi)
{
    bt_buf b;
    bt_buf_init(&b);
    bt_buf_adds(&b, "<?xml version=\"1.0\"?>\n");
    bt_buf_adds(&b, prolog);
    bt_buf_adds(&b, tmx_head);
    bt_buf_printf(&b, "<tu><tuv xml:lang=\"vi\"><seg>%s</seg></tuv>"
                      "<tuv xml:lang=\"en\"><seg>E</seg></tuv></tu>"
                      "</body></tmx>\n", vi);
    write_file(path, b.ptr, b.len);
    bt_buf_free(&b);
}

/* A listening socket on 127.0.0.1: if anything connects, a fetch happened. */
static int listener(int *port)
{
    int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    assert_true(s >= 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(s, 8), 0);
    socklen_t l = sizeof a;
    assert_int_equal(getsockname(s, (struct sockaddr *)&a, &l), 0);
    *port = ntohs(a.sin_port);
    return s;
}

static void assert_nobody_connected(int s)
{
    int c = accept(s, NULL, NULL);
    assert_int_equal(c, -1);
    assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
    close(s);
}

static void assert_no_passwd(const got *g)
{
    for (size_t i = 0; i < g->n; i++) {
        assert_null(strstr(g->u[i].vi, "root:"));
        assert_null(strstr(g->u[i].en, "root:"));
    }
}

static void test_xxe_file_refused(void **state)
{
    (void)state;
    const char *p = path_in("xxe1.tmx");
    write_tmx_with(p, "<!DOCTYPE tmx [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n",
                   "&x;");
    got g;
    assert_int_equal(read_tmx(p, &g), BT_ERR_FORMAT);
    assert_no_passwd(&g);
    assert_true(g.errors >= 1);
    assert_true(has_msg(&g, "entit", 0));
    got_free(&g);
    /* Same for validate and the TBX reader. */
    memset(&g, 0, sizeof g);
    assert_true(bt_tmx_validate(p, NULL, on_diag, &g) > 0);
    assert_int_equal(bt_tbx_read(p, NULL, NULL, on_diag, &g), BT_ERR_FORMAT);
}

static void test_xxe_http_not_fetched(void **state)
{
    (void)state;
    int port;
    int s = listener(&port);
    char prolog[512];
    const char *p = path_in("xxe2.tmx");
    snprintf(prolog, sizeof prolog,
             "<!DOCTYPE tmx [<!ENTITY x SYSTEM \"http://127.0.0.1:%d/x\">]>\n",
             port);
    write_tmx_with(p, prolog, "&x;");
    got g;
    assert_int_equal(read_tmx(p, &g), BT_ERR_FORMAT);
    got_free(&g);
    /* A parameter entity, expanded in the DTD itself by lax parsers. */
    snprintf(prolog, sizeof prolog,
             "<!DOCTYPE tmx [<!ENTITY %% p SYSTEM \"http://127.0.0.1:%d/p\"> %%p;]>\n",
             port);
    write_tmx_with(p, prolog, "V");
    assert_true(read_tmx(p, &g) != BT_OK);
    got_free(&g);
    /* An external DTD without entities is allowed but never loaded. */
    snprintf(prolog, sizeof prolog,
             "<!DOCTYPE tmx SYSTEM \"http://127.0.0.1:%d/tmx14.dtd\">\n", port);
    write_tmx_with(p, prolog, "V");
    assert_int_equal(read_tmx(p, &g), BT_OK);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.u[0].vi, "V");
    got_free(&g);
    assert_nobody_connected(s);
}

static void test_billion_laughs(void **state)
{
    (void)state;
    bt_buf b;
    bt_buf_init(&b);
    bt_buf_adds(&b, "<!DOCTYPE tmx [<!ENTITY l0 \"lol\">");
    for (int i = 1; i <= 9; i++)
        bt_buf_printf(&b, "<!ENTITY l%d \"&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;"
                          "&l%d;&l%d;&l%d;\">", i, i - 1, i - 1, i - 1, i - 1,
                      i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
    bt_buf_adds(&b, "]>\n");
    const char *p = path_in("laughs.tmx");
    write_tmx_with(p, b.ptr, "&l9;");
    bt_buf_free(&b);
    time_t t0 = time(NULL);
    got g;
    assert_int_equal(read_tmx(p, &g), BT_ERR_FORMAT);
    assert_int_equal(g.n, 0);
    assert_int_equal(g.nmsgs, 1); /* one message, not one per entity */
    assert_true(time(NULL) - t0 < 5);
    got_free(&g);
}

static void test_deep_nesting_refused(void **state)
{
    (void)state;
    bt_buf b;
    bt_buf_init(&b);
    bt_buf_adds(&b, tmx_head);
    bt_buf_adds(&b, "<tu><tuv xml:lang=\"vi\"><seg>");
    for (int i = 0; i < 100; i++) bt_buf_adds(&b, "<hi>");
    bt_buf_adds(&b, "deep");
    for (int i = 0; i < 100; i++) bt_buf_adds(&b, "</hi>");
    bt_buf_adds(&b, "</seg></tuv><tuv xml:lang=\"en\"><seg>E</seg></tuv></tu>"
                    "</body></tmx>\n");
    const char *p = path_in("deep.tmx");
    write_file(p, b.ptr, b.len);
    bt_buf_free(&b);
    got g;
    assert_int_equal(read_tmx(p, &g), BT_ERR_LIMIT);
    assert_int_equal(g.n, 0);
    assert_true(has_msg(&g, "nested deeper", 1));
    got_free(&g);
    memset(&g, 0, sizeof g);
    assert_true(bt_tmx_validate(p, NULL, on_diag, &g) > 0);
}

static void test_malformed_never_prints(void **state)
{
    (void)state;
    const char *p = path_in("broken.tmx");
    const char doc[] = "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\">\n"
                       "<body>\n<tu><tuv xml:lang=\"vi\"><seg>a\x01</seg>\n";
    write_file(p, doc, sizeof doc - 1);
    fflush(stderr);
    int saved = dup(2);
    const char *errpath = path_in("stderr.txt");
    int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    dup2(fd, 2);
    close(fd);
    got g;
    int rc = read_tmx(p, &g);
    long problems = bt_tmx_validate(p, NULL, NULL, NULL);
    int rc2 = bt_tmx_read(path_in("missing.tmx"), NULL, NULL, NULL, NULL);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    assert_int_equal(rc, BT_ERR_FORMAT);
    assert_true(problems > 0);
    assert_int_equal(rc2, BT_ERR_IO);
    /* the parser's error came through diag, with the line */
    assert_true(g.errors >= 1);
    assert_true(g.lines[0] == 4);
    got_free(&g);
    size_t len;
    char *err = slurp(errpath, &len);
    assert_int_equal(len, 0);
    free(err);
}

static void test_inline_codes(void **state)
{
    (void)state;
    const char *p = path_in("codes.tmx");
    bt_buf b;
    bt_buf_init(&b);
    bt_buf_adds(&b, tmx_head);
    bt_buf_adds(&b, "<tu><tuv xml:lang=\"vi\"><seg>chữ <bpt i=\"1\">&lt;b&gt;</bpt>"
                    "đậm<ept i=\"1\">&lt;/b&gt;</ept> và <hi>nổi</hi><ph/>!</seg>"
                    "</tuv><tuv xml:lang=\"en\"><seg><it pos=\"begin\">&lt;i&gt;"
                    "<sub>note</sub></it>bold</seg></tuv></tu></body></tmx>\n");
    write_file(p, b.ptr, b.len);
    bt_buf_free(&b);
    got g;
    assert_int_equal(read_tmx(p, &g), BT_OK);
    assert_int_equal(g.n, 1);
    /* native codes dropped, highlighted text kept */
    assert_string_equal(g.u[0].vi, "chữ đậm và nổi!");
    assert_string_equal(g.u[0].en, "bold");
    got_free(&g);
    memset(&g, 0, sizeof g);
    assert_int_equal(bt_tmx_validate(p, NULL, on_diag, &g), 0);
}

/* Damaged copies of a valid memory (bytes changed, cut short) must give a
 * clean error or units, never a crash; run under ASan by `make asan`. */
static void test_mutations(void **state)
{
    (void)state;
    const char *src = path_in("mut-src.tmx");
    write_units(src, sample, NSAMPLE);
    size_t len;
    char *orig = slurp(src, &len);
    char *buf = bt_xmalloc(len);
    const char *p = path_in("mut.tmx");
    static const char pool[] = "<>&;\"'/=!?[]-\x01\xff\xc3\xa0 xtu";
    unsigned seed = 12345;
    for (int iter = 0; iter < 400; iter++) {
        memcpy(buf, orig, len);
        size_t n = len;
        int edits = 1 + (int)(rand_r(&seed) % 4);
        for (int k = 0; k < edits; k++)
            buf[rand_r(&seed) % n] = pool[rand_r(&seed) % (sizeof pool - 1)];
        if (iter % 5 == 0) n = (size_t)rand_r(&seed) % len;
        write_file(p, buf, n);
        got g;
        int rc = read_tmx(p, &g);
        assert_true(rc == BT_OK || rc == BT_ERR_FORMAT || rc == BT_ERR_LIMIT ||
                    rc == BT_ERR_IO);
        if (rc != BT_OK) assert_true(g.errors > 0);
        got_free(&g);
        long v = bt_tmx_validate(p, NULL, NULL, NULL);
        assert_true(v >= 0 || v == BT_ERR_IO);
        if (rc != BT_OK) assert_true(v != 0);
    }
    free(buf);
    free(orig);
}

/* ---- other encodings and compression ---- */

static void to_utf16(const char *s, int big_endian, bt_buf *out)
{
    bt_buf_init(out);
    bt_buf_add(out, big_endian ? "\xfe\xff" : "\xff\xfe", 2);
    size_t len = strlen(s), i = 0;
    while (i < len) {
        int32_t cp;
        int n = bt_utf8_decode(s + i, len - i, &cp);
        assert_true(n > 0);
        i += (size_t)n;
        uint16_t u[2];
        int k = 1;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            u[0] = (uint16_t)(0xD800 + (cp >> 10));
            u[1] = (uint16_t)(0xDC00 + (cp & 0x3FF));
            k = 2;
        } else {
            u[0] = (uint16_t)cp;
        }
        for (int j = 0; j < k; j++) {
            char two[2];
            two[big_endian ? 0 : 1] = (char)(u[j] >> 8);
            two[big_endian ? 1 : 0] = (char)(u[j] & 0xFF);
            bt_buf_add(out, two, 2);
        }
    }
}

static void test_utf16_read(void **state)
{
    (void)state;
    for (int be = 0; be <= 1; be++) {
        bt_buf doc, u16;
        bt_buf_init(&doc);
        bt_buf_adds(&doc, "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n");
        bt_buf_adds(&doc, tmx_head);
        bt_buf_adds(&doc, "<tu><tuv xml:lang=\"vi-VN\"><seg>Phó Chủ tịch "
                          "UBND tỉnh 𝔸</seg></tuv><tuv xml:lang=\"EN-GB\">"
                          "<seg>Vice Chairman</seg></tuv></tu></body></tmx>\n");
        to_utf16(doc.ptr, be, &u16);
        const char *p = path_in(be ? "u16be.tmx" : "u16le.tmx");
        write_file(p, u16.ptr, u16.len);
        bt_buf_free(&doc);
        bt_buf_free(&u16);
        got g;
        assert_int_equal(read_tmx(p, &g), BT_OK);
        assert_int_equal(g.n, 1);
        assert_string_equal(g.u[0].vi, "Phó Chủ tịch UBND tỉnh 𝔸");
        assert_string_equal(g.u[0].en, "Vice Chairman");
        assert_string_equal(g.u[0].vl, "vi-VN");
        assert_string_equal(g.u[0].el, "EN-GB");
        got_free(&g);
        memset(&g, 0, sizeof g);
        assert_int_equal(bt_tmx_validate(p, NULL, on_diag, &g), 0);
    }
}

static void test_encoding_mismatch(void **state)
{
    (void)state;
    /* A UTF-16 BOM wins over a declaration that says UTF-8. */
    bt_buf doc, u16;
    bt_buf_init(&doc);
    bt_buf_adds(&doc, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    bt_buf_adds(&doc, tmx_head);
    bt_buf_adds(&doc, "<tu><tuv xml:lang=\"vi\"><seg>Ảnh tư liệu</seg></tuv>"
                      "<tuv xml:lang=\"en\"><seg>Photo: Archive</seg></tuv>"
                      "</tu></body></tmx>\n");
    to_utf16(doc.ptr, 0, &u16);
    const char *p = path_in("u16decl8.tmx");
    write_file(p, u16.ptr, u16.len);
    bt_buf_free(&u16);
    got g;
    assert_int_equal(read_tmx(p, &g), BT_OK);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.u[0].vi, "Ảnh tư liệu");
    got_free(&g);
    /* Latin-1 bytes in a UTF-8 document: refused with the line, never
     * passed on as text. */
    bt_buf_reset(&doc);
    bt_buf_adds(&doc, "<?xml version=\"1.0\"?>\n");
    bt_buf_adds(&doc, tmx_head);
    bt_buf_adds(&doc, "\n<tu><tuv xml:lang=\"vi\"><seg>caf\xe9</seg></tuv>"
                      "<tuv xml:lang=\"en\"><seg>x</seg></tuv></tu></body></tmx>\n");
    p = path_in("latin1.tmx");
    write_file(p, doc.ptr, doc.len);
    bt_buf_free(&doc);
    assert_int_equal(read_tmx(p, &g), BT_ERR_FORMAT);
    assert_int_equal(g.n, 0);
    assert_true(has_msg(&g, "UTF-8", 3));
    assert_null(strchr(g.msgs[0], '\n'));
    got_free(&g);
}

static void test_gzip_read(void **state)
{
    (void)state;
    const char *plain = path_in("gz.tmx");
    write_units(plain, sample, NSAMPLE);
    size_t len;
    char *data = slurp(plain, &len);
    const char *gzp = path_in("gz.tmx.gz");
    gzFile gz = gzopen(gzp, "wb");
    assert_non_null(gz);
    assert_int_equal(gzwrite(gz, data, (unsigned)len), (int)len);
    assert_int_equal(gzclose(gz), Z_OK);
    free(data);
    got g;
    assert_int_equal(read_tmx(gzp, &g), BT_OK);
    assert_int_equal(g.n, NSAMPLE);
    assert_string_equal(g.u[1].vi, "Ảnh: Mai Hoa");
    got_free(&g);
}

/* ---- write errors ---- */

static void test_write_error_removes_temp(void **state)
{
    (void)state;
    mkdir(path_in("full"), 0700);
    const char *p = path_in("full/memory.tmx");
    struct rlimit old, lim;
    getrlimit(RLIMIT_FSIZE, &old);
    lim = old;
    lim.rlim_cur = 16384;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    bt_tmx_writer *w = bt_tmx_writer_open(p, "1");
    int failed = 0, e = 0;
    if (!w) {
        failed = 1;
        e = errno;
    } else {
        for (int i = 0; i < 2000 && !failed; i++)
            if (bt_tmx_writer_add(w, &sample[0]) < 0) { failed = 1; e = errno; }
        if (failed) bt_tmx_writer_abort(w);
        else if (bt_tmx_writer_close(w) < 0) { failed = 2; e = errno; }
    }
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, prev);
    assert_true(failed);
    assert_int_equal(e, EFBIG);
    assert_int_equal(access(p, F_OK), -1);
    DIR *d = opendir(path_in("full"));
    assert_non_null(d);
    struct dirent *de;
    int files = 0;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) files++;
    closedir(d);
    assert_int_equal(files, 0);
    /* The TBX writer reports a directory it cannot write to. */
    bt_tbx_entry ent = { "a", "b", "title", 1, NULL };
    assert_int_equal(bt_tbx_write(path_in("no/such/dir/g.tbx"), &ent, 1), -1);
    assert_int_equal(errno, ENOENT);
}

/* ---- TBX ---- */

typedef struct got_tbx {
    bt_tbx_entry e[16];
    unsigned long line[16];
    size_t n;
} got_tbx;

static int on_entry(void *ud, const bt_tbx_entry *e, unsigned long line)
{
    got_tbx *g = ud;
    if (g->n == 16) return 1;
    bt_tbx_entry *o = &g->e[g->n];
    o->vi = bt_xstrdup(e->vi);
    o->en = bt_xstrdup(e->en);
    o->kind = dup_or_null(e->kind);
    o->sources = dup_or_null(e->sources);
    o->count = e->count;
    g->line[g->n++] = line;
    return 0;
}

static void got_tbx_free(got_tbx *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free((char *)(uintptr_t)g->e[i].vi);
        free((char *)(uintptr_t)g->e[i].en);
        free((char *)(uintptr_t)g->e[i].kind);
        free((char *)(uintptr_t)g->e[i].sources);
    }
    g->n = 0;
}

static void test_tbx_roundtrip(void **state)
{
    (void)state;
    bt_tbx_entry in[] = {
        { "Phó Chủ tịch UBND tỉnh",
          "Vice Chairman of the Provincial People's Committee", "title", 7,
          "a.txt:3, b.txt:9" },
        { "Nguyễn Xuân Sơn", "Nguyen Xuan Son", "name", 1, NULL },
        { "Nghệ An", "Nghe An & <co>", "place", 2, "x" },
    };
    const char *p = path_in("g.tbx");
    assert_int_equal(bt_tbx_write(p, in, 3), 0);
    got_tbx g = { 0 };
    got d;
    memset(&d, 0, sizeof d);
    assert_int_equal(bt_tbx_read(p, on_entry, &g, on_diag, &d), BT_OK);
    assert_int_equal(d.errors + d.warnings, 0);
    assert_int_equal(g.n, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(g.e[i].vi, in[i].vi);
        assert_string_equal(g.e[i].en, in[i].en);
        assert_string_equal(g.e[i].kind, in[i].kind);
        assert_int_equal(g.e[i].count, in[i].count);
        if (in[i].sources) assert_string_equal(g.e[i].sources, in[i].sources);
        else assert_null(g.e[i].sources);
        assert_true(g.line[i] > 0);
    }
    assert_true(g.line[0] < g.line[1] && g.line[1] < g.line[2]);
    got_tbx_free(&g);
}

static void test_tbx2019_read(void **state)
{
    (void)state;
    const char doc[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<tbx type=\"TBX-Basic\" style=\"dca\" xml:lang=\"en\" "
        "xmlns=\"urn:iso:std:iso:30042:ed-2\">\n"
        "<tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc>"
        "</tbxHeader>\n<text><body>\n"
        "<conceptEntry id=\"c1\">\n"
        "<descrip type=\"subjectField\">body</descrip>\n"
        "<langSec xml:lang=\"vi\"><termSec><term>Tỉnh ủy</term></termSec></langSec>\n"
        "<langSec xml:lang=\"en\"><termSec><term>Provincial Party Committee</term>"
        "</termSec></langSec>\n"
        "</conceptEntry>\n"
        "<conceptEntry id=\"c2\"><langSec xml:lang=\"fr\"><termSec><term>x</term>"
        "</termSec></langSec></conceptEntry>\n"
        "</body></text></tbx>\n";
    const char *p = path_in("g2019.tbx");
    write_file(p, doc, sizeof doc - 1);
    got_tbx g = { 0 };
    got d;
    memset(&d, 0, sizeof d);
    assert_int_equal(bt_tbx_read(p, on_entry, &g, on_diag, &d), BT_OK);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.e[0].vi, "Tỉnh ủy");
    assert_string_equal(g.e[0].en, "Provincial Party Committee");
    assert_string_equal(g.e[0].kind, "body");
    assert_int_equal(g.e[0].count, 1);
    assert_int_equal(g.line[0], 5);
    assert_int_equal(d.warnings, 1); /* the entry without vi/en */
    assert_true(has_msg(&d, "skipped", 10));
    got_tbx_free(&g);
}

/* ---- validation ---- */

static void test_validate_reports_lines(void **state)
{
    (void)state;
    const char doc[] =
        "<?xml version=\"1.0\"?>\n"                                   /* 1 */
        "<tmx version=\"1.1\">\n"                                     /* 2 */
        "<header creationtool=\"t\" segtype=\"word\" o-tmf=\"t\" "
        "adminlang=\"en\" srclang=\"vi\" datatype=\"plaintext\"/>\n"  /* 3 */
        "<body>\n"                                                    /* 4 */
        "<tu><tuv lang=\"vi\"><seg>a</seg></tuv>\n"                   /* 5 */
        "<tuv xml:lang=\"en\"><seg>b</seg></tuv></tu>\n"              /* 6 */
        "<tu><tuv xml:lang=\"vi\"><seg>only one</seg></tuv></tu>\n"   /* 7 */
        "<tu><tuv xml:lang=\"vi\"><seg>x <b>bold</b></seg></tuv>\n"   /* 8 */
        "<tuv xml:lang=\"en\"><seg>y</seg></tuv></tu>\n"              /* 9 */
        "<tu><tuv xml:lang=\"vi\"></tuv>\n"                           /* 10 */
        "<tuv xml:lang=\"en\"><seg>y</seg></tuv><prop type=\"a\">b</prop></tu>\n" /* 11 */
        "<tu><tuv xml:lang=\"fr\"><seg>f</seg></tuv>\n"               /* 12 */
        "<tuv xml:lang=\"en\"><seg>y</seg></tuv></tu>\n"              /* 13 */
        "<tu><tuv xml:lang=\"vi\"><seg>ok</seg></tuv>\n"              /* 14 */
        "<tuv xml:lang=\"en\"><seg>ok</seg></tuv></tu>\n"             /* 15 */
        "</body>\n</tmx>\n";
    const char *p = path_in("bad.tmx");
    write_file(p, doc, sizeof doc - 1);
    got g;
    memset(&g, 0, sizeof g);
    unsigned long units;
    long n = bt_tmx_validate(p, &units, on_diag, &g);
    assert_int_equal(units, 6);
    assert_true(has_msg(&g, "version is '1.1'", 2));
    assert_true(has_msg(&g, "creationtoolversion", 3));
    assert_true(has_msg(&g, "segtype 'word'", 3));
    assert_true(has_msg(&g, "no xml:lang", 5));
    assert_true(has_msg(&g, "has 1 <tuv>", 7));
    assert_true(has_msg(&g, "<b> is not allowed in <seg>", 8));
    assert_true(has_msg(&g, "<tuv> has no <seg>", 10));
    assert_true(has_msg(&g, "<prop> after a <tuv>", 11));
    assert_true(has_msg(&g, "srclang 'vi'", 12));
    assert_int_equal(n, (long)g.nmsgs);
    for (size_t i = 0; i < g.nmsgs; i++) assert_true(g.lines[i] > 0);
    /* and a good one is valid */
    write_units(path_in("good.tmx"), sample, NSAMPLE);
    memset(&g, 0, sizeof g);
    assert_int_equal(bt_tmx_validate(path_in("good.tmx"), NULL, on_diag, &g), 0);
    assert_int_equal(g.nmsgs, 0);
}

static void test_stats(void **state)
{
    (void)state;
    bt_tmx_unit u[] = {
        { "a", "A", "f", 1, 1, 0.05, 1, NULL, NULL, NULL },
        { "b", "B", "f", 2, 2, 0.95, 2, NULL, NULL, NULL },
        { "a", "A", "f", 3, 3, 1.0, 1, NULL, NULL, NULL },
        { "c", "C", "f", 4, 4, -1, 1, NULL, NULL, NULL },
    };
    const char *p = path_in("stats.tmx");
    write_units(p, u, 4);
    bt_tmx_stats st;
    assert_int_equal(bt_tmx_stats_read(p, &st, NULL, NULL), BT_OK);
    assert_int_equal(st.units, 4);
    assert_int_equal(st.distinct, 3);
    assert_int_equal(st.duplicates, 1);
    assert_int_equal(st.usage, 5);
    assert_int_equal(st.score_hist[0], 1);
    assert_int_equal(st.score_hist[9], 2);
    assert_int_equal(st.no_score, 1);
    assert_int_equal(st.nlangs, 2);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "%s/bt_tmx_XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_control_chars_stripped),
        cmocka_unit_test(test_merge_collapses),
        cmocka_unit_test(test_xxe_file_refused),
        cmocka_unit_test(test_xxe_http_not_fetched),
        cmocka_unit_test(test_billion_laughs),
        cmocka_unit_test(test_deep_nesting_refused),
        cmocka_unit_test(test_malformed_never_prints),
        cmocka_unit_test(test_inline_codes),
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_utf16_read),
        cmocka_unit_test(test_encoding_mismatch),
        cmocka_unit_test(test_gzip_read),
        cmocka_unit_test(test_write_error_removes_temp),
        cmocka_unit_test(test_tbx_roundtrip),
        cmocka_unit_test(test_tbx2019_read),
        cmocka_unit_test(test_validate_reports_lines),
        cmocka_unit_test(test_stats),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
