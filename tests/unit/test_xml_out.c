/* test_xml_out.c - the direct TMX/TBX writer against libxml2: what it
 * writes is read back by xmlReader to the text that went in (less what XML
 * 1.0 cannot hold), and its escaping gives xmlTextWriter's bytes. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../tmx/tmx_int.h"

#include <libxml/xmlwriter.h>

/* depth * 2 spaces, "<name", optionally ` attr="value"`, ">", the text,
 * "</name>" and a new line, through the writer's own escaping. */
static void elem_text(tmx_xw *x, int depth, const char *name, const char *attr,
                      const char *attr_value, const char *text)
{
    size_t ln = strlen(name), lt = strlen(text);
    size_t la = attr ? strlen(attr) : 0, lv = attr ? strlen(attr_value) : 0;
    size_t ind = (size_t)depth * 2;
    char *o = tmx_xw_reserve(x, ind + 2 * ln + la + TMX_XW_ESC_MAX(lv) + TMX_XW_ESC_MAX(lt) + 16);
    memset(o, ' ', ind);
    o += ind;
    *o++ = '<';
    memcpy(o, name, ln);
    o += ln;
    if (attr) {
        *o++ = ' ';
        memcpy(o, attr, la);
        o += la;
        o = TMX_XW_LIT(o, "=\"");
        o = tmx_xw_escape(o, attr_value, lv, 1);
        *o++ = '"';
    }
    *o++ = '>';
    o = tmx_xw_escape(o, text, lt, 0);
    o = TMX_XW_LIT(o, "</");
    memcpy(o, name, ln);
    o += ln;
    o = TMX_XW_LIT(o, ">\n");
    tmx_xw_done(x, o);
}

static char dir[256];

static const char *path_in(const char *name)
{
    static char buf[512];
    snprintf(buf, sizeof buf, "%s/%s", dir, name);
    return buf;
}

static const char *const tricky[] = {
    "", "plain", "a&b<c>d\"e'f", "&amp; &#13; ]]> <!-- -->", "\t tab\nlf\rcr\r\n",
    "\x01\x02\x1f x \x7f \xc2\x85", "\xef\xbf\xbe\xef\xbf\xbf|\xef\xbf\xbd",
    "\x80\xc0\x80 \xed\xa0\x80 \xf4\x90\x80\x80 \xe1\x80 \xff", "\xc3", "a\xc3",
    "Đồng chí Nguyễn Xuân Sơn \xe2\x80\xa8 \xf0\x9f\x98\x80", "  spaces  ", "\x01",
    "Phó Chủ tịch UBND tỉnh \"Nghệ An\" & <Hà Tĩnh>",
};
enum { NT = sizeof tricky / sizeof tricky[0] };

/* What XML 1.0 can hold of s, as the writer is to keep it: C0 controls
 * but TAB, LF, CR, U+FFFE, U+FFFF and bytes that are not UTF-8 dropped.
 * Caller frees. */
static char *xml_kept(const char *s)
{
    bt_buf b;
    bt_buf_init(&b);
    size_t len = strlen(s), i = 0;
    while (i < len) {
        int32_t cp;
        int n = bt_utf8_decode(s + i, len - i, &cp);
        if (n < 0) { i++; continue; }
        int keep = cp >= 0x20 ? cp != 0xFFFE && cp != 0xFFFF
                              : cp == '\t' || cp == '\n' || cp == '\r';
        if (keep) bt_buf_add(&b, s + i, (size_t)n);
        i += (size_t)n;
    }
    return bt_buf_detach(&b);
}

/* The text of every element named name, in document order, read with
 * xmlReader; fails on any parse error. */
static size_t read_texts(const char *path, const char *name, char **out, size_t max)
{
    xmlTextReaderPtr rd = xmlReaderForFile(path, NULL, XML_PARSE_NONET);
    assert_non_null(rd);
    size_t n = 0;
    int rc;
    while ((rc = xmlTextReaderRead(rd)) == 1) {
        if (xmlTextReaderNodeType(rd) != XML_READER_TYPE_ELEMENT ||
            strcmp((const char *)xmlTextReaderConstLocalName(rd), name))
            continue;
        assert_true(n < max);
        xmlChar *t = xmlTextReaderReadString(rd);
        out[n++] = bt_xstrdup(t ? (const char *)t : "");
        xmlFree(t);
    }
    assert_int_equal(rc, 0);
    xmlFreeTextReader(rd);
    return n;
}

static void free_texts(char **t, size_t n)
{
    for (size_t i = 0; i < n; i++) free(t[i]);
}

static void expect_text(const char *got, const char *in)
{
    char *want = xml_kept(in);
    assert_string_equal(got, want);
    free(want);
}

static void tmx_reads_back(void **state)
{
    (void)state;
    const char *p = path_in("t.tmx");
    bt_tmx_writer *w = bt_tmx_writer_open(p, "1 & \"2\"");
    assert_non_null(w);
    for (size_t i = 0; i < NT; i++) {
        bt_tmx_unit u = { tricky[i], tricky[NT - 1 - i], tricky[(i + 3) % NT], i + 1, 0,
                          0.5, (unsigned)i, tricky[(i + 5) % NT], tricky[(i + 7) % NT], NULL };
        assert_int_equal(bt_tmx_writer_add(w, &u), 0);
    }
    assert_int_equal(bt_tmx_writer_close(w), 0);
    char *seg[2 * NT], *prop[6 * NT];
    assert_int_equal(read_texts(p, "seg", seg, 2 * NT), 2 * NT);
    for (size_t i = 0; i < NT; i++) {
        expect_text(seg[2 * i], tricky[i]);
        expect_text(seg[2 * i + 1], tricky[NT - 1 - i]);
    }
    /* x-file, x-vi-line, x-score, then x-status and x-sources when they are
     * not empty */
    size_t np = read_texts(p, "prop", prop, 6 * NT), k = 0;
    for (size_t i = 0; i < NT; i++) {
        expect_text(prop[k++], tricky[(i + 3) % NT]);
        char num[32];
        snprintf(num, sizeof num, "%zu", i + 1);
        assert_string_equal(prop[k++], num);
        assert_string_equal(prop[k++], "0.500");
        if (*tricky[(i + 5) % NT]) expect_text(prop[k++], tricky[(i + 5) % NT]);
        if (*tricky[(i + 7) % NT]) expect_text(prop[k++], tricky[(i + 7) % NT]);
    }
    assert_int_equal(np, k);
    free_texts(seg, 2 * NT);
    free_texts(prop, np);
    /* and the memory's own reader agrees on the unit count */
    unsigned long units = 0;
    assert_int_equal(bt_tmx_validate(p, &units, NULL, NULL), 0);
    assert_int_equal(units, NT);
}

static void tbx_reads_back(void **state)
{
    (void)state;
    bt_tbx_entry e[NT];
    for (size_t i = 0; i < NT; i++) {
        e[i].vi = tricky[i];
        e[i].en = tricky[(i + 1) % NT];
        e[i].kind = "title";
        e[i].count = (unsigned)i;
        e[i].sources = tricky[(i + 2) % NT];
    }
    const char *p = path_in("t.tbx");
    assert_int_equal(bt_tbx_write(p, e, NT), 0);
    char *term[2 * NT], *admin[NT];
    assert_int_equal(read_texts(p, "term", term, 2 * NT), 2 * NT);
    for (size_t i = 0; i < NT; i++) {
        expect_text(term[2 * i], e[i].vi);
        expect_text(term[2 * i + 1], e[i].en);
    }
    size_t na = read_texts(p, "admin", admin, NT), k = 0;
    for (size_t i = 0; i < NT; i++)
        if (*e[i].sources) expect_text(admin[k++], e[i].sources);
    assert_int_equal(na, k);
    free_texts(term, 2 * NT);
    free_texts(admin, na);
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    bt_buf b;
    bt_buf_init(&b);
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0) bt_buf_add(&b, tmp, n);
    fclose(fp);
    return bt_buf_detach(&b);
}

/* tmx_xw's element with an attribute gives the bytes xmlTextWriter gave
 * for the same (cleaned) text, indented the same way. */
static void check_same_bytes(const char *s)
{
    char *kept = xml_kept(s);
    xmlBufferPtr ref = xmlBufferCreate();
    xmlTextWriterPtr t = xmlNewTextWriterMemory(ref, 0);
    xmlTextWriterSetIndent(t, 1);
    xmlTextWriterSetIndentString(t, (const xmlChar *)"  ");
    xmlTextWriterStartDocument(t, "1.0", "UTF-8", NULL);
    xmlTextWriterStartElement(t, (const xmlChar *)"r");
    xmlTextWriterStartElement(t, (const xmlChar *)"e");
    xmlTextWriterWriteAttribute(t, (const xmlChar *)"a", (const xmlChar *)kept);
    xmlTextWriterWriteString(t, (const xmlChar *)kept);
    xmlTextWriterEndElement(t);
    xmlTextWriterEndDocument(t);
    xmlFreeTextWriter(t);

    tmx_xw x;
    assert_int_equal(tmx_xw_open(&x, path_in("e.xml")), 0);
    tmx_xw_raw(&x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<r>\n");
    elem_text(&x, 1, "e", "a", s, s);
    tmx_xw_raw(&x, "</r>\n");
    assert_int_equal(tmx_xw_commit(&x), 0);
    char *got = slurp(path_in("e.xml"));
    assert_string_equal(got, (const char *)xmlBufferContent(ref));
    free(got);
    xmlBufferFree(ref);
    free(kept);
}

static void same_bytes_as_xmltextwriter(void **state)
{
    (void)state;
    for (size_t i = 0; i < NT; i++) check_same_bytes(tricky[i]);
    /* each special byte at every place of a longer text (the writer passes
     * over plain ASCII eight bytes at a time) */
    static const char *const specials[] = { "&", "<", ">", "\"", "\r", "\t", "\n", "\x01",
                                            "\x7f", "é", "\xef\xbf\xbe", "\x80", "\xe1\x80" };
    char s[64];
    for (size_t k = 0; k < sizeof specials / sizeof specials[0]; k++)
        for (size_t pos = 0; pos <= 20; pos++) {
            size_t l = strlen(specials[k]);
            memset(s, 'a', 24 + l);
            memcpy(s + pos, specials[k], l);
            s[24 + l] = '\0';
            check_same_bytes(s);
        }
}

/* x-score is "%.3f" of the score capped at 1, ties and near ties too */
static void scores_as_printf(void **state)
{
    (void)state;
    enum { N = 3000 };
    static double v[N];
    size_t n = 0;
    for (int m = 0; m <= 16; m++) v[n++] = m / 16.0; /* exact ties: 0.0625 ... */
    for (int m = 0; m <= 2000; m += 7) {
        double t = m / 2000.0;
        v[n++] = t;
        v[n++] = nextafter(t, 2);
        v[n++] = nextafter(t, -1) >= 0 ? nextafter(t, -1) : 0;
    }
    v[n++] = -0.0;
    v[n++] = 1.5;
    v[n++] = 1e-300;
    unsigned long r = 7;
    while (n < N) {
        r = r * 6364136223846793005UL + 1442695040888963407UL;
        v[n++] = (double)(r >> 11) / (double)(1UL << 53);
    }
    const char *p = path_in("t.tmx");
    bt_tmx_writer *w = bt_tmx_writer_open(p, "1");
    assert_non_null(w);
    for (size_t i = 0; i < N; i++) {
        bt_tmx_unit u = { "vi", "en", NULL, 0, 0, v[i], 1, NULL, NULL, NULL };
        assert_int_equal(bt_tmx_writer_add(w, &u), 0);
    }
    assert_int_equal(bt_tmx_writer_close(w), 0);
    char **prop = malloc(N * sizeof *prop);
    assert_non_null(prop);
    assert_int_equal(read_texts(p, "prop", prop, N), N);
    for (size_t i = 0; i < N; i++) {
        char want[64];
        snprintf(want, sizeof want, "%.3f", v[i] > 1 ? 1 : v[i]);
        assert_string_equal(prop[i], want);
    }
    free_texts(prop, N);
    free(prop);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/bt_xml_out_XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    const char *names[] = { "t.tmx", "t.tbx", "e.xml" };
    for (size_t i = 0; i < 3; i++) unlink(path_in(names[i]));
    return rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tmx_reads_back),
        cmocka_unit_test(tbx_reads_back),
        cmocka_unit_test(same_bytes_as_xmltextwriter),
        cmocka_unit_test(scores_as_printf),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
