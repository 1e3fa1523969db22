/* sentence.c - split a line into sentences.
 *
 * A sentence ends at . ! ? or … (and any closing quotes or brackets after
 * it) followed by white space and something that can start a sentence.
 * Not an end: a period after a known abbreviation (TP., Q., Mr., No.), after
 * a single capital letter (an initial), or inside a number (1.034) - the
 * last needs no rule, as no white space follows. */
#include "corpus.h"
#include "../base/utf8_fast.h"

#include <string.h>
#include <strings.h>

/* Abbreviations that a full stop does not end a sentence after, by their
 * first letter, each list separated by spaces: Vietnamese (tp q p tx tt h
 * ts ths pgs gs bs ks ncs ubnd st) and English (mr mrs ms dr prof no nos
 * co ltd inc jr sr st vs etc e.g i.e gen lt col maj capt sgt gov sen rep
 * dept approx fig vol art, and months). Asked at every full stop: only
 * the list of the word's first letter is read. */
static const char *const abbrevs_by_letter[26] = {
    "approx art apr aug", "bs", "co col capt", "dr dept dec", "etc e.g", "fig feb",
    "gs gen gov", "h", "inc i.e", "jr jan", "ks", "ltd lt", "mr mrs ms maj mar",
    "ncs no nos nov", "oct", "p pgs prof", "q", "rep", "st sr sgt sen sept sep",
    "tp tx tt ts ths", "ubnd", "vs vol", "", "", "", ""
};

static int is_abbrev(const char *w, size_t len)
{
    if (len == 0 || len > 6) return 0;
    unsigned char c0 = (unsigned char)(w[0] | 32);
    if (c0 < 'a' || c0 > 'z') return 0;
    for (const char *a = abbrevs_by_letter[c0 - 'a']; *a;) {
        size_t al = 0;
        while (a[al] && a[al] != ' ') al++;
        if (al == len && !strncasecmp(a, w, len)) return 1;
        a += al;
        while (*a == ' ') a++;
    }
    return 0;
}

static int is_closer(unsigned char c)
{
    return c == '"' || c == '\'' || c == ')' || c == ']';
}

/* Can the text at s start a sentence? An upper-case letter, a digit, an
 * opening quote or bracket, or a dash. */
static int can_start(const char *s, size_t len)
{
    int32_t cp;
    int n = bt_utf8_decode(s, len, &cp);
    if (n < 0) return 0;
    if (cp >= 'A' && cp <= 'Z') return 1;
    if (cp >= '0' && cp <= '9') return 1;
    if (cp == '"' || cp == '(' || cp == '[' || cp == 0x201C || cp == 0x2018 ||
        cp == '-' || cp == 0x2013 || cp == 0x2014)
        return 1;
    if (cp >= 0xC0) {
        int32_t f = bt_fold_cp(cp);
        return f != cp; /* a folded letter changed: upper case with marks */
    }
    return 0;
}

static void push(size_t *spans, size_t max, size_t *n, const char *s,
                 size_t a, size_t b)
{
    while (a < b && (s[a] == ' ' || s[a] == '\t')) a++;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t')) b--;
    if (a == b) return;
    if (*n < max) {
        spans[2 * *n] = a;
        spans[2 * *n + 1] = b;
    }
    (*n)++;
}

size_t bt_sentences(const char *s, size_t len, size_t *spans, size_t max)
{
    size_t n = 0, start = 0, i = 0;
    while (i < len) {
        /* straight to the next mark (or the first byte of … and quotes) */
        i = bt_find4((const unsigned char *)s, i, len, '.', '!', '?', 0xE2);
        if (i >= len) break;
        unsigned char c = (unsigned char)s[i];
        size_t end = 0;
        if (c == '.' || c == '!' || c == '?') {
            end = i + 1;
        } else if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
                   (unsigned char)s[i + 2] == 0xA6) { /* … */
            end = i + 3;
        } else if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
                   ((unsigned char)s[i + 2] == 0x9D || (unsigned char)s[i + 2] == 0x99)) {
            i += 3; /* closing curly quote: handled with the mark before it */
            continue;
        }
        if (!end) { i++; continue; }
        /* swallow repeated marks and closing quotes/brackets */
        for (;;) {
            if (end < len && (s[end] == '.' || s[end] == '!' || s[end] == '?' ||
                              is_closer((unsigned char)s[end]))) { end++; continue; }
            if (end + 2 < len && (unsigned char)s[end] == 0xE2 &&
                (unsigned char)s[end + 1] == 0x80 &&
                ((unsigned char)s[end + 2] == 0x9D || (unsigned char)s[end + 2] == 0x99)) {
                end += 3;
                continue;
            }
            break;
        }
        size_t sp = end;
        while (sp < len && (s[sp] == ' ' || s[sp] == '\t')) sp++;
        if (sp == end || sp >= len || !can_start(s + sp, len - sp)) {
            i = end;
            continue;
        }
        if (c == '.') {
            /* the word before the period */
            size_t w = i;
            while (w > start && s[w - 1] != ' ' && s[w - 1] != '(' && s[w - 1] != '"') w--;
            size_t wl = i - w;
            int32_t cp0;
            int n0 = wl ? bt_utf8_decode(s + w, wl, &cp0) : -1;
            if (is_abbrev(s + w, wl)) { i = end; continue; }
            /* a single capital letter: an initial (Nguyen V. A.) */
            if (n0 > 0 && (size_t)n0 == wl && bt_fold_cp(cp0) != cp0) { i = end; continue; }
        }
        push(spans, max, &n, s, start, end);
        start = sp;
        i = sp;
    }
    push(spans, max, &n, s, start, len);
    return n;
}
