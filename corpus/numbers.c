/* numbers.c - the quantities a text states, normalised across languages.
 *
 * A small lexer (numbers, words, symbols; no allocation) and patterns tried
 * at each token: times, dates, ordinals, then an amount with its scale
 * words, currency and percent sign. Vietnamese words are matched on their
 * own letters, not folded: folded, "tỷ" is "ty" and "vạn" meets "văn". */
#include "corpus.h"
#include "../base/utf8_fast.h"

#include <math.h>
#include <pthread.h>
#include <string.h>

enum { T_END, T_NUM, T_WORD, T_SYM };

typedef struct tok { /* a number, word or symbol */
    int type, sp, cap; /* sp: white space before; cap: a capital first */
    size_t s, e;       /* byte span */
    int32_t sym;       /* T_SYM: the code point */
    char w[24];        /* T_WORD: ASCII and Đ lowered; "" when longer */
} tok;

typedef struct scan { const char *t; size_t len; int vi; } scan;

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_letter(int32_t cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
           (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x300 && cp <= 0x36F);
}

static int is_space(int32_t c) { return c == ' ' || c == 9 || c == 0xA0 || c == 0x2009 || c == 0x202F; }

static int decode(const scan *c, size_t i, int32_t *cp)
{
    int n = bt_utf8_decode_fast(c->t + i, c->len - i, cp);
    return n > 0 ? n : (*cp = 0xFFFD, 1);
}

static void lex(const scan *c, size_t i, tok *k)
{
    int32_t cp = 0;
    int n = 0;
    memset(k, 0, sizeof *k);
    while (i < c->len && (n = decode(c, i, &cp)) > 0 && is_space(cp)) i += (size_t)n, k->sp = 1;
    k->s = k->e = i;
    if (i >= c->len) return;
    if (is_digit(c->t[i])) {
        k->type = T_NUM;
        while (i < c->len && is_digit(c->t[i])) i++;
        while (i + 1 < c->len && (c->t[i] == '.' || c->t[i] == ',') && is_digit(c->t[i + 1]))
            for (i++; i < c->len && is_digit(c->t[i]); i++) {}
    } else if (is_letter(cp)) {
        size_t wn = 0;
        k->type = T_WORD;
        k->cap = (cp >= 'A' && cp <= 'Z') || cp == 0x110;
        while (i < c->len && (n = decode(c, i, &cp)) > 0 && is_letter(cp)) {
            if (wn + (size_t)n < sizeof k->w) {
                memcpy(k->w + wn, c->t + i, (size_t)n);
                if (cp >= 'A' && cp <= 'Z') k->w[wn] = (char)(cp + 32);
                if (cp == 0x110) k->w[wn + 1] = (char)0x91; /* Đ -> đ */
            }
            wn += (size_t)n, i += (size_t)n;
        }
        if (wn < sizeof k->w) k->w[wn] = 0; else k->w[0] = 0;
    } else {
        k->type = T_SYM, k->sym = cp, i += (size_t)n;
    }
    k->e = i;
}

static int is_word(const tok *k, const char *w) { return k->w[0] == w[0] && !strcmp(k->w, w); }
static int is_sym(const tok *k, int32_t s) { return k->type == T_SYM && k->sym == s; }
static int suffix(const tok *k) /* 1st, 2nd, 3rd, 4th */
{
    return !k->sp && (is_word(k, "st") || is_word(k, "nd") || is_word(k, "rd") || is_word(k, "th"));
}
static int word_in(const tok *k, const char *const *list, int n)
{
    for (int i = 0; i < n; i++) if (is_word(k, list[i])) return i;
    return -1;
}

/* The value of the digits in [s, e). Vietnamese groups thousands with "."
 * and marks decimals with ","; English the reverse. A separator followed by
 * exactly three digits could be either: the language of the text decides
 * (vi "1.500" = 1500, en "1.500" = 1.5). Otherwise a single separator is a
 * decimal mark, a repeated one groups thousands, and with both the last is
 * the decimal mark. 0 for a form that is neither (1.2.3). */
static int num_value(const scan *c, size_t s, size_t e, double *v)
{
    size_t seps[64], ns = 0, dec = (size_t)-1;
    if (e - s > 64) return 0;
    for (size_t i = s; i < e; i++)
        if (!is_digit(c->t[i])) seps[ns++] = i;
    if (ns == 1 && !(e - seps[0] == 4 && seps[0] - s <= 3 && c->t[seps[0]] == (c->vi ? '.' : ',')))
        dec = seps[0];
    else if (ns > 1) {
        char last = c->t[seps[ns - 1]];
        size_t same = 0;
        for (size_t j = 0; j < ns; j++) same += c->t[seps[j]] == last;
        if (same == 1) dec = seps[ns - 1];
        else if (same != ns) return 0;
        if (seps[0] - s > 3) return 0;
        for (size_t j = 0; j < ns; j++)
            if (seps[j] != dec && (j + 1 < ns ? seps[j + 1] : e) - seps[j] != 4) return 0;
    }
    double x = 0, f = 0.1;
    for (size_t i = s; i < e; i++) {
        if (!is_digit(c->t[i])) continue;
        if (dec != (size_t)-1 && i > dec) x += f * (c->t[i] - '0'), f /= 10;
        else x = x * 10 + (c->t[i] - '0');
    }
    return *v = x, 1;
}

/* An integer token with no separator: its value, else -1. */
static long int_of(const scan *c, const tok *k)
{
    long x = 0;
    if (k->type != T_NUM || k->e - k->s > 9) return -1;
    for (size_t i = k->s; i < k->e; i++)
        if (is_digit(c->t[i])) x = x * 10 + (c->t[i] - '0'); else return -1;
    return x;
}

static int is_year(const scan *c, const tok *k)
{
    return k->e - k->s == 4 && int_of(c, k) >= 1900 && int_of(c, k) <= 2100;
}

static const char *const en_months[] = { "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december" };
static const char *const en_mon3[] = { "jan", "feb", "mar", "apr", "-", "jun", "jul", "aug",
    "sep", "oct", "nov", "dec" };

/* An English month name (capitalised) at k: 1..12 with *e past it and
 * *abbr set for a short form, else 0. */
static int en_month(const scan *c, const tok *k, size_t *e, int *abbr)
{
    if (c->vi || !k->cap) return 0;
    int m = word_in(k, en_months, 12);
    *e = k->e;
    if (m < 0 && (m = word_in(k, en_mon3, 12)) < 0 && (m = is_word(k, "sept") ? 8 : -1) < 0) return 0;
    tok d;
    lex(c, k->e, &d);
    *abbr = strlen(k->w) <= 4 && strcmp(k->w, "june") && strcmp(k->w, "july");
    if (*abbr && is_sym(&d, '.') && !d.sp) *e = d.e;
    return m + 1;
}

/* A year after a date at i: vi "/2025", "năm 2025"; en ", 2025", " 2025". */
static int year_after(const scan *c, size_t i, int32_t sep, size_t *e)
{
    tok a, b;
    lex(c, i, &a), lex(c, a.e, &b);
    if (c->vi && ((sep && is_sym(&a, sep) && !a.sp) || is_word(&a, "năm")) && is_year(c, &b) &&
        (!b.sp || a.type == T_WORD))
        return *e = b.e, (int)int_of(c, &b);
    if (!c->vi && is_year(c, is_sym(&a, ',') ? &b : &a))
        return *e = is_sym(&a, ',') ? b.e : a.e, (int)int_of(c, is_sym(&a, ',') ? &b : &a);
    return 0;
}

static int set_date(bt_quantity *q, int d, int m, int y)
{
    q->kind = BT_QTY_DATE, q->day = d, q->month = m, q->year = y;
    return q->value = y * 10000.0 + m * 100 + d, 1;
}

/* "am", "pm", "a.m.", "p.m." at i: 1 or 2 (afternoon) with *e past it, else 0 */
static int ampm(const scan *c, size_t i, size_t *e)
{
    tok a, b, d;
    lex(c, i, &a), lex(c, a.e, &b), lex(c, b.e, &d);
    int pm = is_word(&a, "pm") || is_word(&a, "p") ? 2 : 1;
    if (!c->vi && (is_word(&a, "am") || is_word(&a, "pm"))) return *e = a.e, pm;
    if (c->vi || !(is_word(&a, "a") || is_word(&a, "p")) || !is_sym(&b, '.') || b.sp ||
        !is_word(&d, "m") || d.sp)
        return 0;
    lex(c, d.e, &b);
    return *e = is_sym(&b, '.') && !b.sp ? b.e : d.e, pm;
}

static int set_time(const scan *c, bt_quantity *q, long h, long m, size_t *e)
{
    size_t e2;
    tok a;
    int half = ampm(c, *e, &e2);
    if (half) *e = e2, h = half == 2 && h < 12 ? h + 12 : half == 1 && h == 12 ? 0 : h;
    lex(c, *e, &a);
    if (c->vi && h < 12 && (is_word(&a, "chiều") || is_word(&a, "tối"))) { h += 12; *e = a.e; }
    q->kind = BT_QTY_TIME;
    return q->value = (double)(h * 60 + m), 1;
}

/* Other currencies written after an amount: "30.000 SGD", "5 triệu yên",
 * "2 bảng Anh", "10 nhân dân tệ", "3 pounds", "500 yuan". a and b are the
 * two tokens after the amount; *ce becomes the end of the currency. */
static int currency_after(const scan *c, const tok *a, const tok *b, size_t *ce)
{
    static const char *const codes[] = { "gbp", "jpy", "cny", "krw", "sgd", "aud" };
    static const int code_cur[] = { BT_CUR_GBP, BT_CUR_JPY, BT_CUR_CNY, BT_CUR_KRW, BT_CUR_SGD,
                                    BT_CUR_AUD };
    int x = word_in(a, codes, 6);
    if (x >= 0) return code_cur[x];
    if (is_word(a, "rmb")) return BT_CUR_CNY;
    if (c->vi) {
        tok d;
        if (is_word(a, "bảng") && is_word(b, "anh")) return *ce = b->e, BT_CUR_GBP;
        if (is_word(a, "yên") || is_word(a, "yen")) return BT_CUR_JPY;
        if (is_word(a, "won")) return BT_CUR_KRW;
        if (is_word(a, "ndt")) return BT_CUR_CNY;
        if (is_word(a, "nhân") && is_word(b, "dân") && (lex(c, b->e, &d), is_word(&d, "tệ")))
            return *ce = d.e, BT_CUR_CNY;
        return 0;
    }
    if (is_word(a, "pounds") || is_word(a, "pound") || is_word(a, "sterling")) return BT_CUR_GBP;
    if (is_word(a, "yen")) return BT_CUR_JPY;
    if (is_word(a, "yuan") || is_word(a, "renminbi")) return BT_CUR_CNY;
    if (is_word(a, "won")) return BT_CUR_KRW;
    return 0;
}

/* The scale words, currency and percent sign after an amount v at i. */
static int amount(const scan *c, double v, size_t i, int cur, int yearish, bt_quantity *q, size_t *e)
{
    static const char *const sw[] = { "nghìn", "ngàn", "triệu", "tỷ", "tỉ", "vạn", "trăm",
        "thousand", "million", "billion", "trillion", "hundred", "bn", "tn", "k", "m", "b" };
    static const double sv[] = { 1e3, 1e3, 1e6, 1e9, 1e9, 1e4, 1e2,
                                 1e3, 1e6, 1e9, 1e12, 1e2, 1e9, 1e12, 1e3, 1e6, 1e9 };
    /* "đồng" begins words too: 3 đồng chí (comrades), Đồng Nai */
    static const char *const dong_not[] = { "chí", "bào", "nghiệp", "đội", "hương", "thời", "ruộng",
        "lúa", "bằng", "tâm", "ý", "hành", "phục", "minh", "chủ", "hồ", "loại", "sở", "tiền" };
    tok a, b;
    int scaled = 0, pct = 0, x;
    for (;;) {
        lex(c, i, &a);
        /* "25-million arrivals": a scale word joined by a hyphen */
        if (is_sym(&a, '-') && !a.sp) {
            lex(c, a.e, &b);
            if (!b.sp && (x = word_in(&b, sw, 17)) >= 7 && x <= 11) a = b;
        }
        if ((x = word_in(&a, sw, 17)) < 0 || (x >= 14 && (a.sp || !cur))) break;
        v *= sv[x], i = a.e, scaled = 1;
    }
    lex(c, a.e, &b);
    if (!cur) {
        size_t ce = a.e;
        if (is_word(&a, "us") && is_word(&b, "dollars")) { a = b; ce = b.e; }
        if ((is_word(&a, "đồng") && !(b.cap || word_in(&b, dong_not, 19) >= 0)) || is_word(&a, "vnd") ||
            is_word(&a, "vnđ") || (!c->vi && is_word(&a, "dong")))
            cur = BT_CUR_VND;
        else if (is_word(&a, "usd") || is_word(&a, "dollars") || is_word(&a, "dollar"))
            cur = BT_CUR_USD;
        else if (is_word(&a, "đô") && is_word(&b, "la")) {
            /* "đô la Singapore", "đô la Úc": not the US dollar */
            tok d;
            lex(c, b.e, &d);
            int aud = is_word(&d, "úc") || is_word(&d, "Úc"); /* lex lowers ASCII only */
            cur = is_word(&d, "singapore") ? BT_CUR_SGD : aud ? BT_CUR_AUD : BT_CUR_USD;
            ce = cur == BT_CUR_USD ? b.e : d.e;
        }
        else if (is_word(&a, "euro") || is_word(&a, "euros") || is_word(&a, "eur") || is_sym(&a, 0x20AC))
            cur = BT_CUR_EUR;
        else if ((cur = currency_after(c, &a, &b, &ce)) != 0) {}
        if (cur) i = ce;
    }
    if (is_sym(&a, '%') || is_word(&a, "percent"))
        pct = 1, i = a.e;
    else if ((is_word(&a, "per") && is_word(&b, "cent")) || (is_word(&a, "phần") && is_word(&b, "trăm")))
        pct = 1, i = b.e;
    q->value = v, q->currency = cur, *e = i;
    q->kind = cur ? BT_QTY_MONEY : pct ? BT_QTY_PERCENT : BT_QTY_NUMBER;
    /* a bare four-digit number from 1900 to 2100 is a year: "năm 2025" and
     * "in 2025" meet, and a count that large would be written 2.025 */
    if (yearish && !scaled && q->kind == BT_QTY_NUMBER) set_date(q, 0, 0, (int)v);
    return 1;
}

/* Words before a day: "ngày 2-9" is a date, "5-7 ngày" a range; "sáng thứ 2" is Monday. */
static const char *const day_cue[] = { "vào", "sáng", "chiều", "tối", "trưa", "đêm", "ngày", "hôm",
    "dịp", "lễ", "từ", "đến" };

/* The patterns that start with a number token k; prev is the word before. */
static int at_number(const scan *c, const tok *k, const tok *prev, int cur, bt_quantity *q, size_t *e)
{
    double v;
    int abbr;
    long n = int_of(c, k), m;
    tok a, b, d, y;
    size_t e2;
    if (!num_value(c, k->s, k->e, &v)) return *e = k->e, 0;
    lex(c, k->e, &a), lex(c, a.e, &b);
    *e = b.e;
    if (!cur && n >= 0 && n <= 24) {
        if (is_sym(&a, ':') && !a.sp && !b.sp && b.e - b.s == 2 && (m = int_of(c, &b)) >= 0 && m < 60)
            return set_time(c, q, n, m, e);
        if (is_word(&a, "h") && !a.sp) {
            if (!b.sp && b.e - b.s == 2 && (m = int_of(c, &b)) >= 0 && m < 60)
                return set_time(c, q, n, m, e);
            if (b.sp || b.type != T_WORD) { *e = a.e; return set_time(c, q, n, 0, e); }
        }
        if (c->vi && is_word(&a, "giờ")) {
            lex(c, b.e, &d);
            *e = (m = int_of(c, &b)) < 0 || m > 59 ? (m = 0, a.e) : is_word(&d, "phút") ? d.e : b.e;
            return set_time(c, q, n, m, e);
        }
        if (ampm(c, k->e, &e2)) { *e = k->e; return set_time(c, q, n, 0, e); }
    }
    if (!cur && n >= 1 && n <= 31) {
        /* vi day/month (30/4, 30-4): "4/30" is no Vietnamese date */
        if (c->vi && (is_sym(&a, '/') || is_sym(&a, '-')) && !a.sp && !b.sp && (m = int_of(c, &b)) > 0) {
            lex(c, b.e, &d);
            if (m <= 12 && (a.sym == '/' || word_in(prev, day_cue, 12) >= 0 || d.type != T_WORD || d.cap))
                return *e = b.e, set_date(q, (int)n, (int)m, year_after(c, b.e, a.sym, e));
            if (n <= 12 && is_year(c, &b) && a.sym == '/') return set_date(q, 0, (int)n, (int)m);
        }
        /* en numeric dates only with the year (24/7 is no date): day first
         * unless that cannot be, as these papers follow the Vietnamese order */
        if (!c->vi && is_sym(&a, '/') && (m = int_of(c, &b)) >= 1 && m <= 31) {
            lex(c, b.e, &d), lex(c, d.e, &y);
            if (is_sym(&d, '/') && is_year(c, &y) && (n <= 12 || m <= 12) && (*e = y.e))
                return set_date(q, (int)(m > 12 ? m : n), (int)(m > 12 ? n : m), (int)int_of(c, &y));
        }
        if (c->vi && is_word(&a, "tháng") && (m = int_of(c, &b)) >= 1 && m <= 12)
            return *e = b.e, set_date(q, (int)n, (int)m, year_after(c, b.e, '/', e));
        if (!c->vi) {
            tok t = a;
            if (suffix(&a) && (t = b, is_word(&b, "of"))) lex(c, b.e, &t);
            if ((m = en_month(c, &t, &e2, &abbr)) > 0)
                return *e = e2, set_date(q, (int)n, (int)m, year_after(c, e2, 0, e));
        }
    }
    if (!cur && !c->vi && n >= 0 && suffix(&a))
        return q->kind = BT_QTY_ORDINAL, q->value = (double)n, *e = a.e, 1;
    return amount(c, v, k->e, cur, !cur && is_year(c, k), q, e);
}

static const char *const vi_num[] = { "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy",
    "tám", "chín", "mười" };
static const char *const en_num[] = { "zero", "one", "two", "three", "four", "five", "six",
    "seven", "eight", "nine", "ten" };
static const char *const en_ord[] = { "zeroth", "first", "second", "third", "fourth", "fifth",
    "sixth", "seventh", "eighth", "ninth", "tenth" };

/* The words a pattern of at_word may start with (currencies, months, day
 * and ordinal words, numbers), per language (0 en, 1 vi): per first byte,
 * a bit per length in bytes. Most words are none, and are passed over
 * without reading the two tokens after them. */
static const char *const cur_words[] = { "us", "usd", "vnd", "vnđ", "eur", "s", "a", "sgd", "gbp" };
static uint16_t cue_len[2][256];
static pthread_once_t cue_once = PTHREAD_ONCE_INIT;

static void cue_add(int vi, const char *const *list, int n)
{
    for (int i = 0; i < n; i++)
        cue_len[vi][(unsigned char)list[i][0]] |= (uint16_t)(1u << strlen(list[i]));
}

static void cue_init(void)
{
    for (int vi = 0; vi < 2; vi++) cue_add(vi, cur_words, 9);
    cue_add(1, (const char *const[]){ "tháng", "thứ" }, 2);
    cue_add(1, vi_num, 11);
    cue_add(0, en_months, 12);
    cue_add(0, en_mon3, 12);
    cue_add(0, (const char *const[]){ "sept" }, 1);
    cue_add(0, en_ord, 11);
    cue_add(0, en_num, 11);
}

/* The patterns that start with a word or symbol k; prev is the token before. */
static int at_word(const scan *c, const tok *k, const tok *prev, bt_quantity *q, size_t *e)
{
    tok a, b;
    long m;
    int x = 0, cur = 0, abbr;
    size_t e2, wl = k->type == T_SYM ? 0 : strlen(k->w);
    if (k->type == T_SYM ? k->sym != '$' && k->sym != 0x20AC && k->sym != 0xA3 && k->sym != 0xA5
                         : !k->w[0] || wl > 9)
        return 0;
    if (k->type != T_SYM) {
        pthread_once(&cue_once, cue_init);
        if (!(cue_len[c->vi][(unsigned char)k->w[0]] >> wl & 1)) return 0;
    }
    lex(c, k->e, &a), lex(c, a.e, &b);
    if (is_sym(k, '$')) cur = BT_CUR_USD;
    else if (is_sym(k, 0x20AC)) cur = BT_CUR_EUR;
    else if (is_word(k, "us") && is_sym(&a, '$') && !a.sp) { cur = BT_CUR_USD; a = b; }
    else if (is_word(k, "usd")) cur = BT_CUR_USD;
    else if (is_word(k, "vnd") || is_word(k, "vnđ")) cur = BT_CUR_VND;
    else if (is_word(k, "eur")) cur = BT_CUR_EUR;
    else if (is_sym(k, 0xA3)) cur = BT_CUR_GBP;
    else if (is_sym(k, 0xA5)) cur = BT_CUR_JPY; /* also the yuan's sign: yen is likelier abroad */
    /* S$ and A$: Singapore and Australian dollars */
    else if ((is_word(k, "s") || is_word(k, "a")) && k->cap && is_sym(&a, '$') && !a.sp) {
        cur = is_word(k, "s") ? BT_CUR_SGD : BT_CUR_AUD;
        a = b;
    }
    else if (is_word(k, "sgd")) cur = BT_CUR_SGD;
    else if (is_word(k, "gbp")) cur = BT_CUR_GBP;
    if (cur) return a.type == T_NUM && at_number(c, &a, prev, cur, q, e);
    if (c->vi && is_word(k, "tháng") && (m = int_of(c, &a)) >= 1 && m <= 12)
        return *e = a.e, set_date(q, 0, (int)m, year_after(c, a.e, '/', e));
    if ((x = en_month(c, k, &e2, &abbr)) > 0) {
        lex(c, e2, &a);
        if (is_year(c, &a)) return *e = a.e, set_date(q, 0, x, (int)int_of(c, &a));
        if ((m = int_of(c, &a)) >= 1 && m <= 31) {
            lex(c, a.e, &b);
            *e = suffix(&b) ? b.e : a.e;
            return set_date(q, (int)m, x, year_after(c, *e, 0, e));
        }
        *e = e2;
        /* a month alone, unless "may" or a short form could be something else */
        return x != 5 && !abbr && set_date(q, 0, x, 0);
    }
    /* vi ordinals: "lần thứ 3", "thứ hai"; "thứ Hai", "sáng thứ 2" are days, passed over (-1) */
    if (c->vi && is_word(k, "thứ") &&
        ((m = int_of(c, &a)) >= 0 || (x = word_in(&a, vi_num, 11)) > 1 || is_word(&a, "nhất") ||
         is_word(&a, "tư"))) {
        *e = a.e;
        if (k->cap || a.cap || word_in(prev, day_cue, 12) >= 0) return -1;
        q->kind = BT_QTY_ORDINAL, q->spelled = m < 0;
        q->value = m >= 0 ? (double)m : is_word(&a, "nhất") ? 1 : is_word(&a, "tư") ? 4 : x;
        return 1;
    }
    if (!c->vi && (x = word_in(k, en_ord, 11)) > 0)
        return q->kind = BT_QTY_ORDINAL, q->value = x, q->spelled = 1, *e = k->e, 1;
    /* small numbers as words: Vietnamese in lower case only, as capitals
     * begin names (Hai, Ba); "năm" only before a scale word, as it is
     * more often "year" */
    x = c->vi ? (k->cap ? -1 : word_in(k, vi_num, 11)) : word_in(k, en_num, 11);
    if (x < 1) return 0;
    q->spelled = amount(c, x, k->e, 0, 0, q, e);
    return !(c->vi && x == 5 && q->value == 5);
}

size_t bt_quantities(bt_lang lang, const char *text, size_t len, bt_quantity *out, size_t max)
{
    scan c = { text, len, lang == BT_LANG_VI };
    tok k, prev = { 0 };
    size_t n = 0, i = 0, e;
    for (lex(&c, 0, &k); k.type != T_END; lex(&c, i, &k)) {
        bt_quantity q = { 0 };
        int found;
        e = k.e;
        if (k.type == T_NUM) {
            /* a number stuck to a word or file name (H5N1, anh_5.jpg) is none */
            int32_t cp = ' ';
            size_t p = k.s;
            while (p > 0 && ((unsigned char)text[--p] & 0xC0) == 0x80) {}
            if (k.s > 0) decode(&c, p, &cp);
            found = !(is_letter(cp) || is_digit((char)cp) || cp == '_') &&
                    at_number(&c, &k, &prev, 0, &q, &e);
        } else {
            found = at_word(&c, &k, &prev, &q, &e);
        }
        if (found > 0 && n < max) q.start = k.s, q.end = e, out[n] = q;
        n += found > 0;
        i = found ? e : k.e;
        prev = found ? (tok){ 0 } : k;
    }
    return n;
}

static int close_to(double a, double b)
{
    double d = fabs(a - b), s = fmax(fabs(a), fabs(b));
    return d <= 1e-9 * s || d < 1e-12;
}

int bt_quantity_same(const bt_quantity *a, const bt_quantity *b)
{
    if (a->kind != b->kind) return 0;
    if (a->kind == BT_QTY_DATE)
        return a->day == b->day && a->month == b->month &&
               (a->year == b->year || (a->month && (!a->year || !b->year)));
    /* money only in the same currency; the others have none */
    return a->currency == b->currency && close_to(a->value, b->value);
}
