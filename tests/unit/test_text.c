/* test_text.c - language of a line, sentences, the title lexicon and the
 * people a caption names. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../align/align.h"
#include "../../align/caption_int.h"
#include "../../corpus/corpus_int.h"
#include "../../base/utf8_fast.h"

#define LANG(s) bt_lang_guess((s), strlen(s))

/* base.c: a file name as text (bt_name_text) keeps UTF-8 as it is, writes
 * %XX for the rest, and reads back (each %XX its byte) to the same bytes. */
static int hex_digit(char c)
{
    const char *d = "0123456789abcdef0123456789ABCDEF";
    const char *p = c ? strchr(d, c) : NULL;
    return p ? (int)(p - d) % 16 : -1;
}

static char *name_back(const char *t)
{
    char *out = malloc(strlen(t) + 1), *o = out;
    for (; *t; t++) {
        if (t[0] == '%' && hex_digit(t[1]) >= 0 && hex_digit(t[2]) >= 0) {
            *o++ = (char)(hex_digit(t[1]) * 16 + hex_digit(t[2]));
            t += 2;
        } else {
            *o++ = *t;
        }
    }
    *o = '\0';
    return out;
}

static void name_text_round_trip(void **state)
{
    (void)state;
    static const struct { const char *name, *text; } cases[] = {
        { "in/plain.txt", "in/plain.txt" },
        { "Hà Nội/bài 1.txt", "Hà Nội/bài 1.txt" },
        { "H\xe0 N\xf4i.txt", "H%E0 N%F4i.txt" },          /* Windows-1258 */
        { "a, b.txt", "a%2C b.txt" },
        { "a,b;c.txt", "a,b;c.txt" },
        { "x; y", "x%3B y" },
        { "100%.txt", "100%.txt" },
        { "50%41", "50%2541" },
        { "a%4a", "a%254a" },
        { "%", "%" },
        { "tab\there\n\x7f", "tab%09here%0A%7F" },
        { "\xc3", "%C3" },                                   /* cut short */
        { "\xed\xa0\x80", "%ED%A0%80" },                   /* a surrogate */
        { "\xc3\xa0\xff", "\xc3\xa0%FF" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        bt_buf b;
        bt_buf_init(&b);
        bt_buf_adds(&b, "keep:");
        bt_name_text(&b, cases[i].name, strlen(cases[i].name));
        assert_string_equal(b.ptr + 5, cases[i].text);
        assert_int_equal(bt_utf8_invalid_at(b.ptr, b.len), (size_t)-1);
        char *back = name_back(b.ptr + 5);
        assert_string_equal(back, cases[i].name);
        free(back);
        bt_buf_free(&b);
    }
}

/* base/map.c: dense indices in insertion order, keys with NULs, stable
 * key addresses across growth, and many keys through several rehashes. */
static void map_indices(void **state)
{
    (void)state;
    bt_map m;
    bt_map_init(&m);
    assert_int_equal(bt_map_find(&m, "a", 1), BT_MAP_NONE);
    int fresh = 0;
    assert_int_equal(bt_map_add(&m, "a", 1, &fresh), 0);
    assert_int_equal(fresh, 1);
    assert_int_equal(bt_map_add(&m, "a\0b", 3, &fresh), 1);
    assert_int_equal(bt_map_add(&m, "", 0, NULL), 2);
    assert_int_equal(bt_map_add(&m, "a", 1, &fresh), 0);
    assert_int_equal(fresh, 0);
    const char *a = bt_map_key(&m, 0);
    char k[32];
    for (int i = 0; i < 100000; i++) {
        int n = snprintf(k, sizeof k, "key %d", i);
        assert_int_equal(bt_map_add(&m, k, (size_t)n, NULL), (size_t)i + 3);
    }
    assert_int_equal(bt_map_size(&m), 100003);
    assert_ptr_equal(bt_map_key(&m, 0), a);
    assert_string_equal(bt_map_key(&m, 50003), "key 50000");
    assert_int_equal(bt_map_key_len(&m, 1), 3);
    assert_int_equal(bt_map_find(&m, "a\0b", 3), 1);
    assert_int_equal(bt_map_find(&m, "a\0c", 3), BT_MAP_NONE);
    assert_int_equal(bt_map_find(&m, "key 99999", 9), 100002);
    bt_map_free(&m);
    assert_int_equal(bt_map_size(&m), 0);
}

/* base/base.c: an arena's room is aligned as asked, never moves, and a
 * piece larger than a chunk gets a block of its own. */
static void arena_room(void **state)
{
    (void)state;
    bt_arena a;
    bt_arena_init(&a, 64);
    char *first = bt_arena_alloc(&a, 3, 1);
    memcpy(first, "ab", 3);
    double *d = bt_arena_alloc(&a, 2 * sizeof *d, _Alignof(double));
    assert_int_equal((uintptr_t)d % _Alignof(double), 0);
    d[0] = 1.5;
    char *big = bt_arena_alloc(&a, 1000, 1); /* past a chunk */
    memset(big, 'x', 1000);
    for (int i = 0; i < 100; i++) memset(bt_arena_alloc(&a, 7, 1), 'y', 7);
    assert_string_equal(first, "ab");
    assert_true(d[0] == 1.5);
    assert_int_equal(big[999], 'x');
    bt_arena_free(&a);
    assert_null(a.blocks);
}

static void language_by_evidence(void **state)
{
    (void)state;
    assert_int_equal(LANG("Quang canh hoi nghi. Anh: Doan Hung"), BT_LANG_VI);
    assert_int_equal(LANG("Scene of the conference. Photo: Doan Hung"), BT_LANG_EN);
    assert_int_equal(LANG("Major Trần Đình Huân of Mỹ Quý Tây Border Gate Station"), BT_LANG_EN);
    assert_int_equal(LANG("Đồng chí Nguyễn Mạnh Khôi"), BT_LANG_VI);
    assert_int_equal(LANG("Thủ tướng Nguyễn Xuân Phúc. Ảnh minh họa"), BT_LANG_VI);
    assert_int_equal(LANG("Prime Minister Nguyen Xuan Phuc"), BT_LANG_EN);
    assert_int_equal(LANG("Mai Hoa"), BT_LANG_NAME);
    assert_int_equal(LANG("Nguyen Xuan Son"), BT_LANG_NAME);
    /* typed in capitals: more words than a name, weighed as lower case */
    assert_int_equal(LANG("HỘI NGHỊ TẠI ĐIỂM CẦU NGHỆ AN HÔM NAY."), BT_LANG_VI);
    assert_int_equal(LANG("SCENE OF THE CONFERENCE AT NGHE AN BRIDGE"), BT_LANG_EN);
    assert_int_equal(LANG("NGUYỄN XUÂN SƠN"), BT_LANG_NAME);
    assert_int_equal(LANG("bna_5.jpg"), BT_LANG_JUNK);
    assert_int_equal(LANG("chụp 2"), BT_LANG_JUNK);
    assert_int_equal(LANG("   "), BT_LANG_BLANK);
    assert_int_equal(LANG("Lanh dao tinh tang qua cho cac ho ngheo"), BT_LANG_VI);
    assert_int_equal(LANG("Delegates visit the exhibition"), BT_LANG_EN);
    /* the folded syllable check */
    assert_true(bt_vi_syllable("nghieng", 7));
    assert_true(bt_vi_syllable("quyen", 5));
    assert_false(bt_vi_syllable("strengthen", 10));
    assert_false(bt_vi_syllable("conference", 10));
}

/* bt_vi_syllable answers from a table of the words the rule accepts,
 * enumerated by onset, nucleus and coda: the table must agree with the rule
 * on every word, so the enumeration has missed none. */
static void syllable_table_agrees_with_rule(void **state)
{
    (void)state;
    char w[8];
    /* every word of up to four letters (and some that are not letters) */
    const char *alpha = "abcdefghijklmnopqrstuvwxyzA-";
    size_t na = strlen(alpha);
    for (size_t len = 1; len <= 4; len++) {
        size_t total = 1;
        for (size_t k = 0; k < len; k++) total *= na;
        for (size_t v = 0; v < total; v++) {
            size_t x = v;
            for (size_t k = 0; k < len; k++, x /= na) w[k] = alpha[x % na];
            if (bt_vi_syllable(w, len) != vi_syllable_rule(w, len))
                fail_msg("'%.*s': table %d, rule %d", (int)len, w,
                         bt_vi_syllable(w, len), vi_syllable_rule(w, len));
        }
    }
    /* up to two letters, or "ngh", before every nucleus and coda */
    static const char *const nuc[] = {
        "uyeu", "oai", "oay", "oao", "oeo", "uay", "uoi", "uou", "uya", "uye",
        "uyu", "ieu", "yeu", "ua", "ue", "ui", "uo", "uu", "uy", "ai",
        "ao", "au", "ay", "eo", "eu", "ia", "ie", "iu", "oa", "oe", "oi", "oo",
        "ye", "a", "e", "i", "o", "u", "y", "aa", "iy"
    };
    static const char *const coda[] = { "", "c", "ch", "m", "n", "ng", "nh", "p", "t", "k", "g" };
    for (int p = -2; p < 26 * 27; p++) {
        char pre[4] = "";
        if (p == -2) strcpy(pre, "ngh");
        else if (p >= 0 && p < 26) pre[0] = (char)('a' + p);
        else if (p >= 26) { pre[0] = (char)('a' + (p - 26) / 26); pre[1] = (char)('a' + (p - 26) % 26); }
        for (size_t n = 0; n < sizeof nuc / sizeof *nuc; n++)
            for (size_t c = 0; c < sizeof coda / sizeof *coda; c++) {
                char v[16];
                int len = snprintf(v, sizeof v, "%s%s%s", pre, nuc[n], coda[c]);
                if (bt_vi_syllable(v, (size_t)len) != vi_syllable_rule(v, (size_t)len))
                    fail_msg("'%s': table %d, rule %d", v, bt_vi_syllable(v, (size_t)len),
                             vi_syllable_rule(v, (size_t)len));
            }
    }
    /* longer ones, at random */
    unsigned seed = 12345;
    for (int t = 0; t < 2000000; t++) {
        size_t len = 5 + (size_t)(t % 4); /* 5..8 */
        for (size_t k = 0; k < len; k++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = seed >> 16;
            /* vowels more often, as in real syllables */
            w[k] = r % 3 ? "aeiouyaeiouyghnctpmqr"[r / 3 % 21] : (char)('a' + r / 3 % 26);
        }
        if (bt_vi_syllable(w, len) != vi_syllable_rule(w, len))
            fail_msg("'%.*s': table %d, rule %d", (int)len, w,
                     bt_vi_syllable(w, len), vi_syllable_rule(w, len));
    }
    assert_true(bt_vi_syllable("nghieng", 7));
    assert_true(bt_vi_syllable("gin", 3));
    assert_false(bt_vi_syllable("Anh", 3));
    assert_false(bt_vi_syllable("", 0));
}

static size_t sentences(const char *s, char out[][128], size_t max)
{
    size_t sp[32];
    size_t n = bt_sentences(s, strlen(s), sp, 16);
    for (size_t i = 0; i < n && i < max; i++)
        snprintf(out[i], 128, "%.*s", (int)(sp[2 * i + 1] - sp[2 * i]), s + sp[2 * i]);
    return n;
}

static void sentence_splitting(void **state)
{
    (void)state;
    char s[8][128];
    assert_int_equal(sentences("Hội nghị tại điểm cầu Nghệ An. Ảnh: Mỹ Nga", s, 8), 2);
    assert_string_equal(s[1], "Ảnh: Mỹ Nga");
    assert_int_equal(sentences("Ông đến TP. Vinh lúc 8 giờ. Ảnh: Hải", s, 8), 2);
    assert_string_equal(s[0], "Ông đến TP. Vinh lúc 8 giờ.");
    assert_int_equal(sentences("Mr. Smith met 1.034 people under Decision No. 217-QĐ/TW. Then he left.", s, 8), 2);
    assert_int_equal(sentences("He said \"It works.\" Then he left.", s, 8), 2);
    assert_string_equal(s[0], "He said \"It works.\"");
    assert_int_equal(sentences("Nguyen V. A. spoke.", s, 8), 1);
}

static void lexicon_titles(void **state)
{
    (void)state;
    const bt_lexicon *lex = bt_lexicon_default();
    bt_title_match vi[8], en[8];
    const char *v = "Phó Chủ tịch UBND tỉnh";
    const char *e = "Vice Chairman of the Provincial People's Committee";
    assert_int_equal(bt_lexicon_find(lex, BT_LANG_VI, v, strlen(v), vi, 8), 1);
    assert_int_equal(bt_lexicon_find(lex, BT_LANG_EN, e, strlen(e), en, 8), 1);
    assert_true(bt_lexicon_same(lex, vi[0].concept, en[0].concept));
    assert_int_equal(en[0].end - en[0].start, strlen(e));
    /* abbreviation and expansion are the same concept */
    const char *v2 = "Phó Chủ tịch Ủy ban nhân dân tỉnh";
    assert_int_equal(bt_lexicon_find(lex, BT_LANG_VI, v2, strlen(v2), en, 8), 1);
    assert_true(bt_lexicon_same(lex, vi[0].concept, en[0].concept));
    /* a different post of the same person is not the same */
    const char *v3 = "Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy";
    assert_int_equal(bt_lexicon_find(lex, BT_LANG_VI, v3, strlen(v3), en, 8), 1);
    assert_false(bt_lexicon_same(lex, vi[0].concept, en[0].concept));
    /* an abbreviation is written in capitals: "Tư" in "Sở Tư pháp" is a word */
    const char *tp = "Giám đốc Sở Tư pháp";
    assert_int_equal(bt_lexicon_find(lex, BT_LANG_VI, tp, strlen(tp), en, 8), 1);
    assert_int_equal(en[0].end - en[0].start, strlen(tp));
    assert_string_equal(bt_lexicon_concept(lex, en[0].concept)->en_official,
                        "Director of the Department of Justice");
    /* ... and so is a lower-case letter with marks: "Tư" is not "TƯ" */
    const char *tw = "Ban Chấp hành TƯ Đảng", *tu = "Ban Chấp hành Tư Đảng";
    assert_int_equal(bt_lexicon_find(lex, BT_LANG_VI, tw, strlen(tw), en, 8), 1);
    assert_string_equal(bt_lexicon_concept(lex, en[0].concept)->en_official,
                        "Party Central Committee");
    size_t ntu = bt_lexicon_find(lex, BT_LANG_VI, tu, strlen(tu), en, 8);
    for (size_t k = 0; k < ntu && k < 8; k++)
        assert_false(en[k].end - en[k].start == strlen(tu));
    /* English word order: Politburo member = Member of the Politburo */
    const char *a = "Politburo member", *b = "Ủy viên Bộ Chính trị";
    assert_int_equal(bt_lexicon_find(lex, BT_LANG_EN, a, strlen(a), vi, 8), 1);
    assert_int_equal(bt_lexicon_find(lex, BT_LANG_VI, b, strlen(b), en, 8), 1);
    assert_true(bt_lexicon_same(lex, vi[0].concept, en[0].concept));
    /* the hyphen inside a title */
    const char *h = "Trưởng ban Kinh tế - Ngân sách HĐND tỉnh";
    assert_int_equal(bt_lexicon_find(lex, BT_LANG_VI, h, strlen(h), vi, 8), 1);
    assert_int_equal(vi[0].end - vi[0].start, strlen(h));
}

static void people_in_captions(void **state)
{
    (void)state;
    const bt_lexicon *lex = bt_lexicon_default();
    bt_people p;
    const char *c = "Các đồng chí Lê Hồng Vinh - Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch UBND tỉnh; "
                    "Nguyễn Mạnh Khôi – Trưởng ban Kinh tế - Ngân sách HĐND tỉnh chủ trì hội nghị.";
    bt_people_parse(lex, BT_LANG_VI, c, strlen(c), &p);
    assert_int_equal(p.n, 2);
    assert_string_equal(p.v[0].name_key, "le hong vinh");
    assert_int_equal(p.v[0].ntitles, 2);
    assert_string_equal(p.v[0].titles[1], "Phó Chủ tịch UBND tỉnh");
    assert_string_equal(p.v[1].name, "Nguyễn Mạnh Khôi");
    assert_int_equal(p.v[1].ntitles, 1);
    assert_string_equal(p.v[1].titles[0], "Trưởng ban Kinh tế - Ngân sách HĐND tỉnh");
    bt_people_free(&p);
    /* TITLE NAME order */
    const char *d = "Giám đốc Sở Y tế Dương Văn Chính phát biểu.";
    bt_people_parse(lex, BT_LANG_VI, d, strlen(d), &p);
    assert_int_equal(p.n, 1);
    assert_string_equal(p.v[0].name_key, "duong van chinh");
    assert_int_equal(p.v[0].ntitles, 1);
    assert_string_equal(p.v[0].titles[0], "Giám đốc Sở Y tế");
    bt_people_free(&p);
    /* a lower-case word with a diacritic after a name is not part of it */
    const char *f = "Giám đốc Sở Y tế Dương Văn Chính đến thăm trường.";
    bt_people_parse(lex, BT_LANG_VI, f, strlen(f), &p);
    assert_int_equal(p.n, 1);
    assert_string_equal(p.v[0].name, "Dương Văn Chính");
    bt_people_free(&p);
    const char *e = "Director of the Department of Health Duong Van Chinh speaks.";
    bt_people_parse(lex, BT_LANG_EN, e, strlen(e), &p);
    assert_int_equal(p.n, 1);
    assert_string_equal(p.v[0].titles[0], "Director of the Department of Health");
    bt_people_free(&p);
}

/* A title the lexicon does not know pairs by its place in the chain when
 * the known titles around it agree; not when they disagree. */
static void chain_terms(void **state)
{
    (void)state;
    const char *art =
        "Đồng chí Nguyễn Văn An - Ủy viên Ban Thường vụ Tỉnh ủy, Giám đốc Công ty Điện lực Nghệ An; "
        "Trần Văn Bình - Phó Chủ tịch UBND tỉnh chủ trì hội nghị.\n"
        "Comrades Nguyen Van An - Member of the Provincial Party Standing Committee, Director of Nghe An "
        "Power Company; Tran Van Binh - Vice Chairman of the Provincial People's Committee chaired the conference.\n"
        "\n"
        "Đồng chí Lê Văn Cường - Phó Chủ tịch UBND tỉnh, Giám đốc Nhà máy Đường Sông Lam phát biểu.\n"
        "Comrade Le Van Cuong - Chairman of the Provincial People's Council, Director of Song Lam Sugar Factory spoke.\n";
    bt_doc *doc;
    assert_int_equal(bt_doc_from_buffer("t", art, strlen(art), NULL, NULL, NULL, &doc), BT_OK);
    bt_align_result r;
    bt_align_doc(bt_lexicon_default(), doc, NULL, &r);
    int found = 0, wrong = 0;
    for (size_t i = 0; i < r.nterms; i++) {
        if (!strcmp(r.terms[i].vi, "Giám đốc Công ty Điện lực Nghệ An") &&
            !strcmp(r.terms[i].en, "Director of Nghe An Power Company"))
            found++;
        if (strstr(r.terms[i].vi, "Sông Lam") || strstr(r.terms[i].en, "Chairman of the Provincial People's Council"))
            wrong++;
    }
    assert_int_equal(found, 1);
    assert_int_equal(wrong, 0);
    bt_align_result_free(&r);
    bt_doc_free(doc);
}

/* An article of thousands of captions lets the word lists of the captions
 * it has weighed go, and makes them again for the pairs: the result is the
 * same whether all are kept or none. */
/* Matches field by field: their padding holds whatever the stack held. */
static int same_matches(const bt_title_match *x, const bt_title_match *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (x[i].start != y[i].start || x[i].end != y[i].end || x[i].concept != y[i].concept ||
            x[i].kind != y[i].kind || x[i].body != y[i].body ||
            x[i].body_start != y[i].body_start || x[i].body_end != y[i].body_end)
            return 0;
    return 1;
}

/* The pairs, their terms, and the titles (and titles given to people)
 * the annotations of the two runs hold for each side. *people counts the
 * titles a's pairs give people. */
static int same_result(const bt_align_result *a, bt_annotation *na, const bt_align_result *b,
                       bt_annotation *nb, size_t *people)
{
    if (a->npairs != b->npairs || a->nterms != b->nterms) return 0;
    *people = 0;
    for (size_t i = 0; i < a->npairs; i++) {
        const bt_pair *x = &a->pairs[i], *y = &b->pairs[i];
        if (x->vi_line != y->vi_line || x->en_line != y->en_line || x->status != y->status ||
            x->score != y->score || !x->vi != !y->vi || !x->en != !y->en)
            return 0;
        for (int en = 0; en < 2; en++) {
            bt_lang lang = en ? BT_LANG_EN : BT_LANG_VI;
            if (!(en ? x->en : x->vi)) continue;
            const bt_title_match *mx, *my;
            size_t nx = bt_annotation_pair_titles(na, a, i, lang, &mx);
            size_t ny = bt_annotation_pair_titles(nb, b, i, lang, &my);
            if (nx != ny || !same_matches(mx, my, nx)) return 0;
            const bt_given_title *gx, *gy;
            size_t px = bt_annotation_pair_given(na, a, i, lang, &gx);
            if (px != bt_annotation_pair_given(nb, b, i, lang, &gy)) return 0;
            for (size_t k = 0; k < px; k++)
                if (strcmp(gx[k].title, gy[k].title) || gx[k].concept != gy[k].concept) return 0;
            *people += px;
        }
    }
    for (size_t i = 0; i < a->nterms; i++)
        if (strcmp(a->terms[i].vi, b->terms[i].vi) || strcmp(a->terms[i].en, b->terms[i].en))
            return 0;
    return 1;
}

static void long_article_kept_or_remade(void **state)
{
    (void)state;
    static const char *const names[][2] = { { "Nguyễn Xuân Sơn", "Nguyen Xuan Son" },
                                             { "Lê Hồng Vinh", "Le Hong Vinh" },
                                             { "Trần Thị Hoa", "Tran Thi Hoa" } };
    bt_buf art;
    bt_buf_init(&art);
    for (int k = 0; k < 1500; k++) {
        const char *const *n = names[k % 3];
        if (k % 5 == 4) /* some captions with no English, some English alone */
            bt_buf_printf(&art, "Quang cảnh hội nghị lần %d tại Hà Tĩnh.\n\n", k);
        else if (k % 7 == 6)
            bt_buf_printf(&art, "Delegates at meeting %d. Photo: Mai Hoa\n\n", k);
        else
            bt_buf_printf(&art,
                          "Đồng chí %s - Phó Chủ tịch UBND tỉnh phát biểu tại hội nghị %d. Ảnh: Mai Hoa\n"
                          "Comrade %s - Vice Chairman of the Provincial People's Committee speaks "
                          "at conference %d. Photo: Mai Hoa\n\n",
                          n[0], k, n[1], k);
    }
    bt_doc *doc;
    assert_int_equal(bt_doc_from_buffer("t", art.ptr, art.len, NULL, NULL, NULL, &doc), BT_OK);
    bt_align_opts all = { .notes = bt_annotate(NULL, doc) };
    bt_align_opts none = { .notes = bt_annotate(NULL, doc) };
    bt_align_result a, b;
    cap_align_doc_kept(NULL, doc, &all, (size_t)-1, &a);
    cap_align_doc_kept(NULL, doc, &none, 1, &b);
    assert_true(a.npairs > 2000);
    assert_true(a.nterms > 1000);
    size_t people;
    assert_true(same_result(&a, all.notes, &b, none.notes, &people));
    assert_true(people > 1000);
    bt_align_result_free(&a);
    bt_align_result_free(&b);
    bt_annotation_free(all.notes);
    bt_annotation_free(none.notes);
    bt_doc_free(doc);
    bt_buf_free(&art);
}

static void segment_clean(void **state)
{
    (void)state;
    char *s = bt_segment_clean("  a \t b\xC2\xA0 c  ", strlen("  a \t b\xC2\xA0 c  "));
    assert_string_equal(s, "a b c");
    free(s);
}

/* The rule of bt_segment_clean, one byte at a time: white space (and
 * U+00A0) runs become one space, none at either end. */
static char *clean_by_rule(const char *s, size_t len)
{
    char *out = malloc(len + 1);
    size_t n = 0;
    int space = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        int ws = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
        if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0) { ws = 1; i++; }
        if (ws) { space = 1; continue; }
        if (space && n) out[n++] = ' ';
        space = 0;
        out[n++] = (char)c;
    }
    out[n] = '\0';
    return out;
}

/* The eight-byte path gives what the rule gives, wherever the spaces,
 * controls and no-break spaces fall. */
static void segment_clean_agrees_with_rule(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "a", "bc", "Hà", "\xC3", " ", "  ", "\t", "\n", "\xC2\xA0", "\xC2\xB0", "\xC2",
        "word", "Nội.", "\x01", "xyz12345"
    };
    unsigned seed = 12345;
    char buf[256];
    for (int round = 0; round < 20000; round++) {
        size_t len = 0;
        int k = (int)(seed % 24);
        for (int p = 0; p < k; p++) {
            seed = seed * 1103515245u + 12345u;
            const char *pc = pieces[(seed >> 16) % (sizeof pieces / sizeof *pieces)];
            size_t pl = strlen(pc);
            if (len + pl >= sizeof buf) break;
            memcpy(buf + len, pc, pl);
            len += pl;
        }
        seed = seed * 1103515245u + 12345u;
        char *want = clean_by_rule(buf, len);
        char *got = bt_segment_clean(buf, len);
        assert_string_equal(got, want);
        free(want);
        free(got);
    }
}

/* The inline decoder gives bt_utf8_decode's answers: every two-byte
 * sequence, and three-byte ones around every boundary of lead and
 * continuation bytes, whole and cut short. */
static void fast_decoder_agrees(void **state)
{
    (void)state;
    unsigned char b[4] = { 0, 0, 0, 0 };
    for (unsigned a = 0; a < 256; a++)
        for (unsigned c = 0; c < 256; c++)
            for (unsigned d = 0x70; d <= 0xC1; d++) {
                b[0] = (unsigned char)a, b[1] = (unsigned char)c, b[2] = (unsigned char)d;
                for (size_t len = 1; len <= 3; len++) {
                    int32_t x = -1, y = -1;
                    int n = bt_utf8_decode((const char *)b, len, &x);
                    int m = bt_utf8_decode_fast((const char *)b, len, &y);
                    assert_int_equal(n, m);
                    if (n > 0) assert_int_equal(x, y);
                }
                if (a < 0xE0) break; /* the third byte matters to three-byte leads */
            }
}

/* bt_find4 finds what a plain loop finds, from any start, at any length
 * (so through its sixteen-, eight- and one-byte steps). */
static void find4_agrees(void **state)
{
    (void)state;
    unsigned char buf[96];
    uint32_t r = 12345;
    for (int round = 0; round < 200; round++) {
        for (size_t i = 0; i < sizeof buf; i++) {
            r = r * 1103515245u + 12345u;
            unsigned v = (r >> 16) % 40;
            buf[i] = v == 0 ? '.' : v == 1 ? '!' : v == 2 ? 0xE2 : (unsigned char)('a' + v % 26);
        }
        for (size_t len = 0; len <= sizeof buf; len += 7)
            for (size_t from = 0; from <= len; from++) {
                size_t want = from;
                while (want < len && buf[want] != '.' && buf[want] != '!' && buf[want] != '?' &&
                       buf[want] != 0xE2)
                    want++;
                assert_int_equal(bt_find4(buf, from, len, '.', '!', '?', 0xE2), want);
            }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(map_indices),
        cmocka_unit_test(arena_room),
        cmocka_unit_test(language_by_evidence),
        cmocka_unit_test(fast_decoder_agrees),
        cmocka_unit_test(find4_agrees),
        cmocka_unit_test(syllable_table_agrees_with_rule),
        cmocka_unit_test(sentence_splitting),
        cmocka_unit_test(lexicon_titles),
        cmocka_unit_test(people_in_captions),
        cmocka_unit_test(chain_terms),
        cmocka_unit_test(long_article_kept_or_remade),
        cmocka_unit_test(segment_clean),
        cmocka_unit_test(segment_clean_agrees_with_rule),
        cmocka_unit_test(name_text_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
