/* fuzz_corpus.c - bytes to lines: bt_doc_from_buffer on every decoding path.
 *
 * The first byte chooses the options: bits 0-1 the encoding (UTF-8 by
 * sniffing, windows-1258, utf-16, UTF-8 named), bits 2-3 max_line (default,
 * 16, 80, 1000), bits 4-5 max_file (default, 64, 256, 4096). The rest is the
 * file. Every line that comes out must keep the promise of corpus.h: valid
 * NFC UTF-8, no BOM (however many lead the file), no CR, no controls but
 * TAB, no noncharacters, line numbers rising. */
#include "fuzz.h"
#include "../../corpus/corpus.h"

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

static const char *const encodings[4] = { NULL, "windows-1258", "utf-16", "UTF-8" };
static const size_t max_lines[4] = { 0, 16, 80, 1000 };
static const size_t max_files[4] = { 0, 64, 256, 4096 };

static void check_nfc(const char *s, size_t len)
{
    static UChar *u16;
    static size_t cap;
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
    FUZZ_CHECK(U_SUCCESS(err), "no NFC instance");
    if (len + 1 > cap) {
        cap = len + 1;
        u16 = bt_xrealloc(u16, cap * sizeof *u16);
    }
    int32_t n16 = 0;
    u_strFromUTF8(u16, (int32_t)cap, &n16, s, (int32_t)len, &err);
    FUZZ_CHECK(U_SUCCESS(err), "line does not convert to UTF-16");
    UBool ok = unorm2_isNormalized(nfc, u16, n16, &err);
    FUZZ_CHECK(U_SUCCESS(err) && ok, "line is not NFC");
}

static void check_line(const bt_line *l)
{
    fuzz_check_utf8(l->text, l->len, "line is not valid UTF-8 of its length");
    const char *s = l->text;
    size_t i = 0;
    while (i < l->len) {
        int32_t cp;
        int k = bt_utf8_decode(s + i, l->len - i, &cp);
        FUZZ_CHECK(k > 0, "undecodable line");
        FUZZ_CHECK(cp == '\t' || cp >= 0x20, "C0 control character in a line");
        FUZZ_CHECK(cp != '\r', "CR in a line");
        FUZZ_CHECK(cp != 0x7F && !(cp >= 0x80 && cp <= 0x9F), "DEL or C1 control in a line");
        FUZZ_CHECK((cp & 0xFFFE) != 0xFFFE, "noncharacter U+xxFFFE/F in a line");
        FUZZ_CHECK(!(cp >= 0xFDD0 && cp <= 0xFDEF), "noncharacter U+FDD0..FDEF in a line");
        FUZZ_CHECK(!(l->lineno == 1 && i == 0 && cp == 0xFEFF), "BOM kept at the start (F7)");
        i += (size_t)k;
    }
    FUZZ_CHECK(l->lang <= BT_LANG_JUNK, "language out of range");
    check_nfc(s, l->len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    uint8_t mode = data[0];
    bt_read_opts o = { encodings[mode & 3], max_lines[(mode >> 2) & 3],
                       max_files[(mode >> 4) & 3] };
    const char *text = (const char *)data + 1;
    size_t len = size - 1;

    fuzz_diags dg = { 0, 0 };
    bt_doc *doc = NULL;
    int rc = bt_doc_from_buffer("fuzz.txt", text, len, &o, fuzz_diag, &dg, &doc);
    if (rc != BT_OK) {
        FUZZ_CHECK(doc == NULL, "error with a document");
        FUZZ_CHECK(dg.errors > 0, "error not reported");
        return 0;
    }
    FUZZ_CHECK(doc != NULL, "success without a document");
    FUZZ_CHECK(doc->path && !strcmp(doc->path, "fuzz.txt"), "path not kept");
    unsigned long last = 0;
    for (size_t i = 0; i < doc->nlines; i++) {
        const bt_line *l = &doc->lines[i];
        FUZZ_CHECK(l->lineno > last, "line numbers not rising");
        last = l->lineno;
        check_line(l);
    }
    FUZZ_CHECK(doc->nproblems <= dg.errors + dg.warnings, "problem counted but not reported");
    bt_doc_free(doc);
    return 0;
}
