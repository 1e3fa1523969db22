/* side.c - the hot path of caption alignment: cleaning a segment's text,
 * the word tables and anchors that spare most weighing, and the sides
 * (tokens, lexicon matches, caption words) kept within a memory budget.
 * Speed tricks live here, so the phases around them read plainly. */
#include "caption_int.h"
#include "../base/utf8_fast.h"

#include <stdlib.h>
#include <string.h>

/* Can the eight bytes at p be copied as they are? No control character,
 * no 0xC2 (perhaps a no-break space), no two spaces together (nor a space
 * after a pending one), no space that would lead the text or might end
 * it. */
static int plain_block(const char *p, int space_pending, size_t out_len)
{
    uint64_t x = bt_swar_load((const unsigned char *)p);
    if (bt_swar_controls_mask(x) | bt_swar_eq_mask(x, 0xC2)) return 0;
    uint64_t sp = bt_swar_eq_mask(x, ' ');
    if (sp & (sp << 8)) return 0;
    if (p[7] == ' ') return 0;
    if (p[0] == ' ' && (space_pending || out_len == 0)) return 0;
    return 1;
}

/* bt_segment_clean, also counting the characters of the result. Bytes
 * above the space other than 0xC2 (which may begin U+00A0) are copied in a
 * tight loop: most of a caption needs no other work. */
char *cap_clean_count(const char *s, size_t len, size_t *chars, size_t *bytes)
{
    /* the result is never longer than the input */
    char *out = bt_xmalloc(len + 1);
    size_t n = 0, nc = 0;
    int space = 0;
    for (size_t i = 0; i < len;) {
        /* eight bytes at a time while they are plain text with single
         * spaces inside: copied as they are */
        if (i + 8 <= len && plain_block(s + i, space, n)) {
            if (space && n) { out[n++] = ' '; nc++; }
            space = 0;
            uint64_t x = bt_swar_load((const unsigned char *)s + i);
            memcpy(out + n, s + i, 8);
            n += 8;
            /* continuation bytes (10xxxxxx) counted by a multiply: the
             * sum of the eight 0/1 bytes lands in the top byte */
            uint64_t cont = (x & ~(x << 1) & BT_SWAR_HIGH) >> 7;
            nc += 8 - (size_t)((cont * BT_SWAR_ONES) >> 56);
            i += 8;
            continue;
        }
        unsigned char c = (unsigned char)s[i];
        if (c > ' ' && c != 0xC2) {
            if (space && n) { out[n++] = ' '; nc++; }
            space = 0;
            do {
                out[n++] = (char)c;
                nc += (c & 0xC0) != 0x80;
                if (++i == len) break;
                c = (unsigned char)s[i];
            } while (c > ' ' && c != 0xC2);
            continue;
        }
        int ws = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
        /* U+00A0 no-break space */
        if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0) { ws = 1; i++; }
        i++;
        if (ws) { space = 1; continue; }
        if (space && n) { out[n++] = ' '; nc++; }
        space = 0;
        out[n++] = (char)c;
        nc += (c & 0xC0) != 0x80;
    }
    out[n] = '\0';
    *chars = nc;
    *bytes = n;
    return out;
}

char *bt_segment_clean(const char *s, size_t len)
{
    size_t chars, bytes;
    return cap_clean_count(s, len, &chars, &bytes);
}

/* ---- segments ---- */

/* The characters of s[0..len) when cleaning would leave it as it is (no
 * control character, no 0xC2 that may begin a no-break space, no space
 * leading, ending or doubled), else (size_t)-1. Sixteen bytes at a time
 * where SSE2 is, eight elsewhere. */
size_t cap_clean_chars(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    if (len == 0 || u[0] == ' ' || u[len - 1] == ' ') return (size_t)-1;
    size_t nc = 0, i = 0;
#if defined(__SSE2__)
    /* sixteen bytes at a time, and the sixteen after each byte for spaces
     * side by side */
    const __m128i ctl = _mm_set1_epi8(0x1F), c2 = _mm_set1_epi8((char)0xC2),
                  spc = _mm_set1_epi8(' '), top2 = _mm_set1_epi8((char)0xC0),
                  contb = _mm_set1_epi8((char)0x80), one = _mm_set1_epi8(1);
    __m128i ncont = _mm_setzero_si128(); /* continuation bytes, two sums */
    for (; i + 17 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
        __m128i w = _mm_loadu_si128((const __m128i *)(const void *)(u + i + 1));
        __m128i bad = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, ctl), v), _mm_cmpeq_epi8(v, c2));
        bad = _mm_or_si128(bad, _mm_and_si128(_mm_cmpeq_epi8(v, spc), _mm_cmpeq_epi8(w, spc)));
        if (_mm_movemask_epi8(bad)) return (size_t)-1;
        /* counted without a popcount instruction, which x86-64 may lack */
        __m128i cont = _mm_and_si128(_mm_cmpeq_epi8(_mm_and_si128(v, top2), contb), one);
        ncont = _mm_add_epi64(ncont, _mm_sad_epu8(cont, _mm_setzero_si128()));
        nc += 16;
    }
    if (i && i < len) {
        /* the rest, 1 to 16 bytes: the last seventeen read again (bytes
         * before i pass again as they passed), all but the last byte by
         * sixteen at a time, counting those from i on */
        size_t j = len - 17;
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + j));
        __m128i w = _mm_loadu_si128((const __m128i *)(const void *)(u + j + 1));
        __m128i bad = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, ctl), v), _mm_cmpeq_epi8(v, c2));
        bad = _mm_or_si128(bad, _mm_and_si128(_mm_cmpeq_epi8(v, spc), _mm_cmpeq_epi8(w, spc)));
        unsigned last = u[len - 1];
        if (_mm_movemask_epi8(bad) || last < 0x20 || last == 0xC2) return (size_t)-1;
        __m128i fresh = _mm_cmpgt_epi8(_mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
                                                     14, 15),
                                       _mm_set1_epi8((char)(i - j - 1)));
        __m128i cont = _mm_and_si128(_mm_cmpeq_epi8(_mm_and_si128(v, top2), contb),
                                     _mm_and_si128(fresh, one));
        ncont = _mm_add_epi64(ncont, _mm_sad_epu8(cont, _mm_setzero_si128()));
        nc += len - 1 - i + ((last & 0xC0) != 0x80);
        i = len;
    }
    uint64_t sums[2];
    _mm_storeu_si128((__m128i *)(void *)sums, ncont);
    nc -= (size_t)(sums[0] + sums[1]);
#endif
    uint64_t prev_sp = i && u[i - 1] == ' '; /* the byte before x was a space */
    for (; i + 8 <= len; i += 8) {
        uint64_t x = bt_swar_load(u + i);
        uint64_t sp = bt_swar_eq_mask(x, ' ');
        if (bt_swar_controls_mask(x) | bt_swar_eq_mask(x, 0xC2) | (sp & (sp << 8 | prev_sp)))
            return (size_t)-1;
        prev_sp = sp >> 56;
        uint64_t cont = (x & ~(x << 1) & BT_SWAR_HIGH) >> 7;
        nc += 8 - (size_t)((cont * BT_SWAR_ONES) >> 56);
    }
    for (; i < len; i++) {
        unsigned c = u[i];
        if (c < 0x20 || c == 0xC2 || (c == ' ' && u[i - 1] == ' ')) return (size_t)-1;
        nc += (c & 0xC0) != 0x80;
    }
    return nc;
}


/* English words too common to be evidence, by length, each list read in
 * steps of length + 1 */
static const char *const en_stop[] = {
    NULL, "a", "an at by in is of on or to as be", "and are for was its his her has had",
    "from were with that this also have", "their"
};

static int is_en_stop(const char *w, size_t wl)
{
    if (wl == 0 || wl >= sizeof en_stop / sizeof *en_stop) return 0;
    for (const char *p = en_stop[wl]; ; p += wl + 1) {
        if (w[0] == p[0] && lex_same_bytes(w, p, wl)) return 1;
        if (!p[wl]) return 0;
    }
}

/* ---- a caption word's stems, parsed once per thread ---- */

/* The alternatives of stems p0 ("a|b c|d", each cut at 95 bytes as a
 * match always did) into words, a word ending in '$' to be matched whole;
 * into e's arrays when they are given (each with room for the count), else
 * only counted. */
static void parse_one(stems_parsed *e, stem_alt *alts, stem_word *words, const char *p0)
{
    e->nalts = e->nwords = 0;
    const char *p = p0;
    while (*p) {
        const char *bar = strchr(p, '|');
        size_t l = bar ? (size_t)(bar - p) : strlen(p);
        size_t cut = l > 95 ? 95 : l;
        stem_alt *a = alts ? &alts[e->nalts] : NULL;
        e->nalts++;
        if (a) *a = (stem_alt){ e->nwords, 0, 0 };
        const char *sp = p, *end = p + cut;
        while (sp < end) {
            const char *x = memchr(sp, ' ', (size_t)(end - sp));
            size_t wl = x ? (size_t)(x - sp) : (size_t)(end - sp);
            int whole = wl > 1 && sp[wl - 1] == '$';
            if (words) words[e->nwords] = (stem_word){ sp, wl - (size_t)whole, whole };
            e->nwords++;
            if (a) a->n++;
            sp += wl;
            while (sp < end && *sp == ' ') sp++;
        }
        if (!bar) break;
        p = bar + 1;
    }
    if (alts && e->nalts) alts[e->nalts - 1].last = 1;
}

/* The parse of stems p0 (pl bytes, hash h) in one block: the entry, its
 * own copy of the stems (which its words point into), the alternatives,
 * the words, and the words the English side's count looks for (every word
 * of at least three letters, or whole), by the bucket of their first
 * letter. */
static stems_parsed *stems_parse(const char *p0, size_t pl, uint64_t h)
{
    stems_parsed count;
    parse_one(&count, NULL, NULL, p0);
    size_t na = count.nalts, nw = count.nwords;
    char *b = bt_xmalloc(sizeof(stems_parsed) + na * sizeof(stem_alt) +
                         2 * nw * sizeof(stem_word) + pl + 1);
    stems_parsed *e = (stems_parsed *)(void *)b;
    b += sizeof *e;
    stem_alt *alts = (stem_alt *)(void *)b;
    b += na * sizeof *alts;
    stem_word *words = (stem_word *)(void *)b;
    b += nw * sizeof *words;
    stem_prefix *prefixes = (stem_prefix *)(void *)b;
    b += nw * sizeof *prefixes;
    char *key = b;
    memcpy(key, p0, pl + 1);
    parse_one(e, alts, words, key);
    e->h = h;
    e->klen = pl;
    e->key = key;
    e->alts = alts;
    e->words = words;
    e->owned_next = NULL;
    e->owned = 0;
    /* the count's words by bucket (a counting sort) */
    size_t fill[NBUCKETS + 1] = { 0 };
    for (size_t w = 0; w < nw; w++)
        if (words[w].len >= 3 || (words[w].exact && words[w].len >= 2))
            fill[cap_bucket(words[w].p[0]) + 1]++;
    for (size_t k = 0; k < NBUCKETS; k++) fill[k + 1] += fill[k];
    e->buckets = 0;
    for (size_t k = 0; k <= NBUCKETS; k++) e->pstart[k] = (uint32_t)fill[k];
    for (size_t k = 0; k < NBUCKETS; k++)
        if (fill[k + 1] > fill[k]) e->buckets |= (uint32_t)1 << k;
    for (size_t w = 0; w < nw; w++)
        if (words[w].len >= 3 || (words[w].exact && words[w].len >= 2))
            prefixes[fill[cap_bucket(words[w].p[0])]++] =
                (stem_prefix){ words[w].p, words[w].len, words[w].exact };
    e->prefixes = prefixes;
    return e;
}

/* Caption words come again caption after caption: each thread keeps every
 * parse it made, by the stems' bytes, for the sides to point into (the
 * dictionaries' stems are a few thousand strings). Past STEMS_KEPT, a
 * parse belongs to the side that asked for it. */
enum { STEMS_KEPT = 1 << 14 };

typedef struct stems_table {
    stems_parsed **slot; /* open addressing, at most half full */
    size_t cap, n;
} stems_table;

static void stems_table_drop(void *p)
{
    stems_table *t = p;
    for (size_t k = 0; k < t->cap; k++) free(t->slot[k]);
    free(t->slot);
    free(t);
}

static _Thread_local stems_table *stems_mine;

static void stems_table_grow(stems_table *t)
{
    size_t cap = t->cap ? 2 * t->cap : 256;
    stems_parsed **slot = bt_xcalloc(cap, sizeof *slot);
    for (size_t k = 0; k < t->cap; k++) {
        stems_parsed *e = t->slot[k];
        if (!e) continue;
        size_t at = e->h & (cap - 1);
        while (slot[at]) at = (at + 1) & (cap - 1);
        slot[at] = e;
    }
    free(t->slot);
    t->slot = slot;
    t->cap = cap;
}

/* The parse of stems p0 (not empty): the thread's, or one for sd alone. */
static const stems_parsed *stems_get(side *sd, const char *p0)
{
    if (!stems_mine) stems_mine = bt_thread_block(1, sizeof *stems_mine, stems_table_drop);
    stems_table *t = stems_mine;
    size_t pl = strlen(p0);
    uint64_t h = bt_hash_bytes(pl, p0, pl);
    size_t at = 0;
    if (t->cap) {
        for (at = h & (t->cap - 1); t->slot[at]; at = (at + 1) & (t->cap - 1)) {
            const stems_parsed *e = t->slot[at];
            if (e->h == h && e->klen == pl && lex_same_bytes(e->key, p0, pl)) return e;
        }
    }
    stems_parsed *e = stems_parse(p0, pl, h);
    if (t->n >= STEMS_KEPT) {
        e->owned = 1;
        e->owned_next = sd->stems_owned;
        sd->stems_owned = e;
        return e;
    }
    if (2 * (t->n + 1) > t->cap) {
        stems_table_grow(t);
        for (at = h & (t->cap - 1); t->slot[at]; at = (at + 1) & (t->cap - 1)) {}
    }
    t->slot[at] = e;
    t->n++;
    return e;
}

static void stems_owned_free(side *sd)
{
    for (stems_parsed *e = sd->stems_owned, *next; e; e = next) {
        next = e->owned_next;
        free(e);
    }
    sd->stems_owned = NULL;
}

/* The stems of every caption word, by token, and the caption words' in
 * caption order (for the English-side count). */
static void parse_stems(side *sd)
{
    sd->nstems_list = 0;
    sd->stem_buckets = 0;
    for (size_t i = 0; i < sd->t.n;) {
        size_t n = sd->dict_n[i];
        if (!n) { sd->stems_of[i++] = NULL; continue; }
        const stems_parsed *e = NULL;
        if (sd->dict_en[i] && sd->dict_en[i][0]) e = stems_get(sd, sd->dict_en[i]);
        if (e && !e->nalts) e = NULL;
        sd->stems_of[i] = e;
        for (size_t k = 1; k < n && i + k < sd->t.n; k++) sd->stems_of[i + k] = NULL;
        if (e) {
            sd->stems_list[sd->nstems_list++] = e;
            sd->stem_buckets |= e->buckets;
        }
        i += n;
    }
}

/* The side of g from its words (sd->t) and the first of its lexicon
 * matches, found[0..nfound) (nfound: how many there are in all). */
static void side_fill(side *sd, const bt_lexicon *lex, bt_lang lang, const seg *g,
                      const bt_title_match *found, size_t nfound);

void cap_side_init(side *sd, const bt_lexicon *lex, bt_lang lang, const seg *g)
{
    lex_tokens_init(&sd->t);
    lex_tokenize(lex, lang, g->text, g->len, &sd->t);
    bt_title_match found[64];
    size_t nm = lex_find(lex, lang, &sd->t, found, 64);
    side_fill(sd, lex, lang, g, found, nm);
}

/* A segment that is its whole line takes the line's words and titles
 * from the annotation. */
static void side_init_noted(side *sd, const bt_lexicon *lex, bt_lang lang, const seg *g,
                            const bt_annotation *notes)
{
    const bt_title_match *m;
    size_t nm;
    if (cap_notes_line_words(notes, g->line, lang, g->text, g->len, &sd->t, &m, &nm))
        side_fill(sd, lex, lang, g, m, nm);
    else
        cap_side_init(sd, lex, lang, g);
}

/* Is there a digit in s[0..len)? Sixteen bytes at a time where SSE2 is. */
static int has_digit(const unsigned char *s, size_t len)
{
    size_t i = 0;
#if defined(__SSE2__)
    /* bytes from 0x80 compare as negative: no digit, as they are none */
    const __m128i d0 = _mm_set1_epi8('0' - 1), d9 = _mm_set1_epi8('9' + 1);
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        if (_mm_movemask_epi8(_mm_and_si128(_mm_cmpgt_epi8(v, d0), _mm_cmpgt_epi8(d9, v))))
            return 1;
    }
#endif
    for (; i < len; i++)
        if (s[i] >= '0' && s[i] <= '9') return 1;
    return 0;
}

/* The numbers, money and dates text states. A text without a digit
 * states no number worth weighing (a spelled one alone is no evidence):
 * most English paragraphs are read no more. */
static void side_quantities(side *sd, bt_lang lang, const char *text, size_t len)
{
    sd->qty_done = 1;
    bt_quantity q[SIDE_QTY];
    size_t nq = has_digit((const unsigned char *)text, len)
                    ? bt_quantities(lang, text, len, q, SIDE_QTY)
                    : 0;
    sd->nqty = nq < SIDE_QTY ? nq : SIDE_QTY;
    sd->qty = sd->nqty ? bt_xmalloc(sd->nqty * sizeof *sd->qty) : NULL;
    if (sd->nqty) memcpy(sd->qty, q, sd->nqty * sizeof *sd->qty);
}

void cap_side_quantities(side *sd)
{
    if (!sd->qty_done) side_quantities(sd, BT_LANG_EN, sd->qty_text, sd->qty_len);
}

/* The matches and the per-token arrays in one block, zeroed where read
 * before written: a side is made for every caption and every English line
 * weighed against one. */
static void side_block(side *sd, bt_lang lang)
{
    size_t nt = sd->t.n + 1;
    size_t size = sd->nm * sizeof *sd->m +
                  nt * (sizeof *sd->dict_en + sizeof *sd->stems_of + sizeof *sd->stems_list) +
                  nt * sizeof *sd->by_first + nt * 5;
    char *b = sd->block = bt_xmalloc(size);
    sd->m = (bt_title_match *)(void *)b;
    b += sd->nm * sizeof *sd->m;
    sd->dict_en = (const char **)(void *)b;
    b += nt * sizeof *sd->dict_en;
    sd->stems_of = (const stems_parsed **)(void *)b;
    b += nt * sizeof *sd->stems_of;
    sd->stems_list = (const stems_parsed **)(void *)b;
    b += nt * sizeof *sd->stems_list;
    sd->by_first = (uint32_t *)(void *)b;
    b += nt * sizeof *sd->by_first;
    sd->role = (unsigned char *)b;
    sd->dict_n = sd->role + nt;
    sd->dict_fn = sd->dict_n + nt;
    sd->flags = sd->dict_fn + nt;
    sd->role0 = sd->flags + nt;
    /* the byte arrays, and the caption words' stems (a Vietnamese side's,
     * set only where a word is found) */
    memset(sd->role, 0, nt * 5);
    if (lang == BT_LANG_VI) memset(sd->dict_en, 0, nt * sizeof *sd->dict_en);
}

/* Vietnamese: caption words found once, used against every English
 * candidate. The caption is cut into the words that read the most
 * syllables, then in the fewest words, then the longest first: not the
 * longest from the left, which reads "phía Tây Tạng" as "phía Tây" (west)
 * and leaves "Tạng" unread, where "phía" + "Tây Tạng" (Tibet) reads all.
 * A title, a body or a number is no part of a caption word. */
static void side_caption_words(side *sd, const bt_lexicon *lex, const char *text)
{
    size_t n = sd->t.n;
    /* from the right: the best cut of tokens [i, n) */
    typedef struct cut { unsigned read, words; unsigned char len, fn; const char *en; } cut;
    cut stack[64];
    cut *best = n < 64 ? stack : bt_xmalloc((n + 1) * sizeof *best);
    best[n] = (cut){ 0, 0, 0, 0, NULL };
    lex_words_ready(lex);
    for (size_t i = n; i-- > 0;) {
        best[i] = best[i + 1];
        best[i].len = 0;
        if (sd->role0[i] || sd->t.v[i].digit) continue;
        lex_dict_hit hits[LEX_DICT_HITS];
        size_t nh = lex_dict_matches_ready(lex, &sd->t, text, i, hits, LEX_DICT_HITS);
        for (size_t h = 0; h < nh; h++) {
            size_t len = hits[h].n, k = 1;
            while (k < len && !sd->role0[i + k] && !sd->t.v[i + k].digit) k++;
            if (k < len || len > 255) break;
            const cut *rest = &best[i + len];
            unsigned read = (unsigned)len + rest->read, words = 1 + rest->words;
            if (read > best[i].read || (read == best[i].read && words <= best[i].words))
                best[i] = (cut){ read, words, (unsigned char)len, (unsigned char)hits[h].function,
                                 hits[h].en };
        }
    }
    for (size_t i = 0; i < n;) {
        if (!best[i].len) { i++; continue; }
        sd->dict_n[i] = best[i].len;
        sd->dict_fn[i] = best[i].fn;
        sd->dict_en[i] = best[i].en;
        i += best[i].len;
    }
    if (best != stack) free(best);
    /* which words a Vietnamese syllable spells: the others are borrowed
     * ("golfer") or names no syllable spells ("Legoland") */
    for (size_t i = 0; i < n; i++)
        if (!sd->t.v[i].digit && bt_vi_syllable(lex_tok(&sd->t, i), lex_tok_len(&sd->t, i)))
            sd->flags[i] = EN_SYLLABLE;
    parse_stems(sd);
}

/* English: what cap_weigh() asks of each word (capitalised words for
 * names, others for stops), and the words by the bucket of their first
 * letter (a counting sort). */
static void side_english_words(side *sd, const bt_lexicon *lex)
{
    lex_words_ready(lex);
    /* the words by bucket counted in the same pass */
    memset(sd->bstart, 0, sizeof sd->bstart);
    for (size_t i = 0; i < sd->t.n; i++) {
        const char *w = lex_tok(&sd->t, i);
        size_t wl = lex_tok_len(&sd->t, i);
        sd->bstart[cap_bucket(w[0]) + 1]++;
        if (sd->t.v[i].upper)
            sd->flags[i] = (unsigned char)((lex_tok_surname(&sd->t, i) ? EN_SURNAME : 0) |
                                              (bt_vi_syllable(w, wl) ? EN_SYLLABLE : 0));
        else if (is_en_stop(w, wl))
            sd->flags[i] = EN_STOP;
        else /* a word no caption word's English knows: unknown, not missed */
            sd->flags[i] = !sd->t.v[i].digit && !lex_en_known_memo(lex, w, wl, sd->t.v[i].hash)
                               ? EN_UNKNOWN
                               : 0;
    }
    for (size_t b = 0; b < NBUCKETS; b++) sd->bstart[b + 1] += sd->bstart[b];
    size_t fill[NBUCKETS];
    memcpy(fill, sd->bstart, sizeof fill);
    for (size_t i = 0; i < sd->t.n; i++)
        sd->by_first[fill[cap_bucket(lex_tok(&sd->t, i)[0])]++] = (uint32_t)i;
}

static void side_fill(side *sd, const bt_lexicon *lex, bt_lang lang, const seg *g,
                      const bt_title_match *found, size_t nfound)
{
    if (lang == BT_LANG_VI) {
        side_quantities(sd, lang, g->text, g->len);
    } else {
        sd->qty_done = 0;
        sd->qty_text = g->text;
        sd->qty_len = g->len;
        sd->qty = NULL;
        sd->nqty = 0;
    }
    sd->nm = nfound;
    sd->capped = sd->nm > 64;
    if (sd->nm > 64) sd->nm = 64;
    side_block(sd, lang);
    memcpy(sd->m, found, sd->nm * sizeof *sd->m);
    /* role 1: inside a title or body. Tokens are in text order (their
     * starts never go back): each match looks only at those from its
     * start on, found by bisection, to its end. */
    for (size_t j = 0; j < sd->nm; j++) {
        size_t lo = 0, hi = sd->t.n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (sd->t.v[mid].start < sd->m[j].start) lo = mid + 1;
            else hi = mid;
        }
        for (size_t i = lo; i < sd->t.n && sd->t.v[i].start <= sd->m[j].end; i++)
            if (sd->t.v[i].end <= sd->m[j].end) sd->role[i] = 1;
    }
    memcpy(sd->role0, sd->role, sd->t.n + 1);
    sd->chars = g->chars;
    sd->anchors = NULL;
    sd->nanchors = sd->nwords_anchor = 0;
    sd->anchors_done = 0;
    sd->stems_owned = NULL;
    sd->nstems_list = 0;
    sd->stem_buckets = 0;
    if (lang == BT_LANG_VI) side_caption_words(sd, lex, g->text);
    else side_english_words(sd, lex);
}

static int is_alnum(unsigned char c)
{
    return ((c | 32) >= 'a' && (c | 32) <= 'z') || (c >= '0' && c <= '9');
}

/* A hash of the ASCII word p[0..n) (n >= 1) in lower case, eight bytes
 * per step; p[0..room) may be read (room >= n). Never 0, kept for free
 * slots. */
static inline uint64_t ascii_word_hash(const unsigned char *p, size_t n, size_t room)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
    for (;;) {
        /* eight bytes where they may be read, else the word's n < 8 */
        uint64_t x = room >= 8 ? bt_swar_load(p) : lex_load_short(p, n);
        uint64_t keep = n < 8 ? ((uint64_t)1 << 8 * n) - 1 : ~0ULL;
        h = (h ^ ((x | BT_SWAR_ONES * 0x20) & keep)) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 29;
        if (n <= 8) break;
        p += 8, n -= 8, room -= 8;
    }
    return h ? h : 1;
}

/* Is an English segment ASCII throughout? Only then are its words
 * compared with a caption's anchors. Sixteen bytes at a time where SSE2
 * is. */
static int all_ascii(const unsigned char *s, size_t len)
{
    size_t i = 0;
#if defined(__SSE2__)
    for (; i + 16 <= len; i += 16)
        if (_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + i)))) return 0;
#endif
    for (; i + 8 <= len; i += 8)
        if (bt_swar_load(s + i) & BT_SWAR_HIGH) return 0;
    for (; i < len; i++)
        if (s[i] >= 0x80) return 0;
    return 1;
}

/* The bit of an anchor's first letter and length in side.anchor_shape:
 * a word of another shape is no anchor, and needs no hash. */
static inline int shape_row(unsigned char c)
{
    return (c | 0x20) & 31;
}

static inline uint64_t shape_bit(size_t n)
{
    return (uint64_t)1 << (n < 63 ? n : 63);
}

/* The index of the lowest bit set in x (not 0). */
static inline size_t low_bit(uint64_t x)
{
#if defined(__GNUC__)
    return (size_t)__builtin_ctzll(x);
#else
    size_t k = 0;
    while (!(x & 1)) x >>= 1, k++;
    return k;
#endif
}

/* bits[k / 64] bit k % 64: s[k] (ASCII) is a letter or a digit. Sixteen
 * bytes at a time where SSE2 is. */
static void alnum_bits(const unsigned char *s, size_t len, uint64_t *bits)
{
    memset(bits, 0, (len + 63) / 64 * sizeof *bits);
    size_t i = 0;
#if defined(__SSE2__)
    /* ASCII: the signed comparisons compare as unsigned ones would */
    const __m128i sp = _mm_set1_epi8(0x20), a1 = _mm_set1_epi8('a' - 1),
                  z1 = _mm_set1_epi8('z' + 1), d0 = _mm_set1_epi8('0' - 1),
                  d9 = _mm_set1_epi8('9' + 1);
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i l = _mm_or_si128(v, sp);
        __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(l, a1), _mm_cmpgt_epi8(z1, l));
        __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, d0), _mm_cmpgt_epi8(d9, v));
        uint64_t m = (unsigned)_mm_movemask_epi8(_mm_or_si128(letter, digit));
        bits[i / 64] |= m << (i % 64);
    }
#endif
    for (; i < len; i++)
        if (is_alnum(s[i])) bits[i / 64] |= (uint64_t)1 << (i % 64);
}

/* Is one of the words (runs of ASCII letters and digits) of s[0..len)
 * among vi's anchors? A segment is asked by one or two captions, seldom
 * more, so its words are not kept in a table: they are found from a map
 * of the bytes that make words, and only those of an anchor's first
 * letter and length are hashed. */
static int words_meet(const unsigned char *s, size_t len, const side *vi)
{
    const uint64_t *shape = vi->anchor_shape;
    uint64_t stack[64];
    size_t nb = (len + 63) / 64;
    uint64_t *bits = nb <= sizeof stack / sizeof *stack ? stack : bt_xmalloc(nb * sizeof *bits);
    alnum_bits(s, len, bits);
    int found = 0;
    for (size_t w = 0; w < nb && !found; w++) {
        uint64_t starts = bits[w] & ~(bits[w] << 1 | (w ? bits[w - 1] >> 63 : 0));
        while (starts && !found) {
            size_t at = low_bit(starts), st = w * 64 + at;
            starts &= starts - 1;
            /* most words start with a letter of no anchor's row: passed
             * over before their end is looked for */
            uint64_t row = shape[shape_row(s[st])];
            if (!row) continue;
            /* the word ends at the first byte after it that is no part of
             * one (the bits past len are none) */
            size_t e;
            uint64_t z = ~bits[w] >> at;
            if (z) {
                e = st + low_bit(z);
            } else {
                size_t w2 = w + 1;
                while (w2 < nb && !~bits[w2]) w2++;
                e = w2 < nb ? w2 * 64 + low_bit(~bits[w2]) : len;
            }
            size_t n = e - st;
            if (!(row & shape_bit(n))) continue;
            uint64_t h = ascii_word_hash(s + st, n, len - st);
            for (size_t a = 0; a < vi->nanchors; a++)
                if (vi->anchors[a] == h) { found = 1; break; }
        }
    }
    if (bits != stack) free(bits);
    return found;
}

/* The hashes cap_shares_anchor looks for: the caption's names and numbers
 * (capitalised words, the first only if it is no Vietnamese syllable;
 * digits), and the words of each run of
 * names written together ("Hà Nội" / "Hanoi"). */
static void make_anchors(side *vi)
{
    const lex_tokens *vt = &vi->t;
    size_t cap = vt->n + 8; /* one per word and a few runs: seldom more */
    vi->anchors = bt_xmalloc(cap * sizeof *vi->anchors);
    vi->anchors_done = 1;
    memset(vi->anchor_shape, 0, sizeof vi->anchor_shape);
    for (size_t i = 0; i < vt->n; i++) {
        const lex_token *k = &vt->v[i];
        if ((!k->upper && !k->digit) || k->klen < 2) continue;
        /* the first word is capitalised anyway: a name only if no
         * Vietnamese syllable is spelled so ("Legoland", "Singapore") */
        if (i == 0 && (vi->flags[0] & EN_SYLLABLE)) continue;
        vi->nwords_anchor++;
        size_t kl = lex_tok_len(vt, i);
        BT_GROW(vi->anchors, cap, vi->nanchors + 1);
        vi->anchors[vi->nanchors++] = ascii_word_hash((const unsigned char *)lex_tok(vt, i), kl, kl);
        vi->anchor_shape[shape_row((unsigned char)lex_tok(vt, i)[0])] |= shape_bit(kl);
    }
    /* every stretch of two or more adjacent capitalised words */
    char joined[128];
    for (size_t i = 0; i + 1 < vt->n; i++) {
        size_t jl = 0;
        for (size_t j = i; j < vt->n; j++) {
            const lex_token *k = &vt->v[j];
            if (!k->upper || k->digit) break;
            if (j > i && !(k->start == vt->v[j - 1].end + 1 || k->start == vt->v[j - 1].start))
                break;
            size_t wl = lex_tok_len(vt, j);
            if (jl + wl > sizeof joined) break;
            memcpy(joined + jl, lex_tok(vt, j), wl);
            jl += wl;
            if (j == i) continue;
            BT_GROW(vi->anchors, cap, vi->nanchors + 1);
            vi->anchors[vi->nanchors++] =
                ascii_word_hash((const unsigned char *)joined, jl, sizeof joined);
            vi->anchor_shape[shape_row((unsigned char)joined[0])] |= shape_bit(jl);
        }
    }
}

/* Could the English segment give the Vietnamese side a name or a number,
 * as cap_weigh() compares them? A cheap, generous test: one of the caption's
 * anchors is among the English words. English with letters other than
 * ASCII always passes, and so does a caption without names or numbers. */
int cap_shares_anchor(side *vi, seg *en)
{
    if (!en->words_done) {
        en->words_done = 1;
        en->ascii = (unsigned)all_ascii((const unsigned char *)en->text, en->len);
    }
    if (!en->ascii) return 1;
    if (!vi->anchors_done) make_anchors(vi);
    if (vi->nanchors && words_meet((const unsigned char *)en->text, en->len, vi)) return 1;
    return vi->nwords_anchor == 0;
}

void cap_side_free(side *sd)
{
    lex_tokens_free(&sd->t);
    if (!sd->block) free(sd->m); /* shrunk: the matches have their own */
    free(sd->block);
    stems_owned_free(sd);
    free(sd->anchors);
    free(sd->qty);
}

/* The sides of an article's segments. Those the weighing has passed keep
 * only what the pairs ask of them afterwards (tokens and matches), and
 * only up to SIDES_KEPT bytes in all: beyond that, as in an article of
 * tens of thousands of captions, a passed side is dropped and made again
 * if its segment ends in a pair. Either way the result is the same. */
#define SIDES_KEPT ((size_t)32 << 20) /* bt_align_opts.kept_bytes default */

/* An article of the usual size keeps its sides whole: letting them go
 * would only cost time. */
#define SIDES_PASS_FROM 1024

/* sides are allocated this many at a time */
#define SIDE_BLOCK 32

void cap_side_set_init(side_set *ss, size_t n, size_t kept_bytes)
{
    memset(ss, 0, sizeof *ss);
    ss->v = bt_xcalloc(n + 1, sizeof *ss->v);
    ss->dropped = bt_xcalloc(n + 1, 1);
    ss->passing = n >= SIDES_PASS_FROM;
    ss->budget = kept_bytes ? kept_bytes : SIDES_KEPT;
}

/* Blocks of sides a thread keeps from one article to the next (a block
 * is tens of kilobytes, which the general allocator hands out slowly). */
enum { SIDE_BLOCKS_KEPT = 4 };

typedef struct side_blocks {
    side *v[SIDE_BLOCKS_KEPT];
    size_t n;
} side_blocks;

static _Thread_local side_blocks *side_blocks_mine;

static void side_blocks_drop(void *p)
{
    side_blocks *k = p;
    for (size_t i = 0; i < k->n; i++) free(k->v[i]);
    free(k);
}

static side_blocks *side_blocks_get(void)
{
    if (!side_blocks_mine)
        side_blocks_mine = bt_thread_block(1, sizeof *side_blocks_mine, side_blocks_drop);
    return side_blocks_mine;
}

/* A side to fill: one dropped before, or the next of a block. */
static side *side_alloc(side_set *ss)
{
    side *sd = ss->free_list;
    if (sd) {
        ss->free_list = sd->next_free;
        return sd;
    }
    if (!ss->nblocks || ss->used_in_block == SIDE_BLOCK) {
        BT_GROW(ss->blocks, ss->capblocks, ss->nblocks + 1);
        side_blocks *k = side_blocks_get();
        ss->blocks[ss->nblocks++] =
            k->n ? k->v[--k->n] : bt_xmalloc(SIDE_BLOCK * sizeof **ss->blocks);
        ss->used_in_block = 0;
    }
    return &ss->blocks[ss->nblocks - 1][ss->used_in_block++];
}

side *cap_side_get(side_set *ss, const bt_lexicon *lex, bt_lang lang, const seg *g, size_t k)
{
    if (!ss->v[k]) {
        ss->v[k] = side_alloc(ss);
        if (ss->notes) side_init_noted(ss->v[k], lex, lang, g, ss->notes);
        else cap_side_init(ss->v[k], lex, lang, g);
    }
    return ss->v[k];
}

void cap_side_drop(side_set *ss, size_t k)
{
    side *sd = ss->v[k];
    if (!sd) return;
    cap_side_free(sd);
    sd->next_free = ss->free_list;
    ss->free_list = sd;
    ss->v[k] = NULL;
}

void cap_side_set_free(side_set *ss)
{
    side_blocks *k = side_blocks_get();
    for (size_t b = 0; b < ss->nblocks; b++) {
        if (k->n < SIDE_BLOCKS_KEPT) k->v[k->n++] = ss->blocks[b];
        else free(ss->blocks[b]);
    }
    free(ss->blocks);
    free(ss->v);
    free(ss->dropped);
}

static size_t side_kept_bytes(const side *sd)
{
    return sizeof *sd + sd->t.cap * sizeof *sd->t.v + sd->t.buf.cap + sd->nm * sizeof *sd->m;
}

/* Segment k will not be weighed again: keep its tokens and matches within
 * the budget, or drop it. */
static void side_pass(side_set *ss, size_t k)
{
    side *sd = ss->v[k];
    if (!sd || !sd->block) return;
    if (ss->kept + side_kept_bytes(sd) > ss->budget) {
        cap_side_drop(ss, k);
        ss->dropped[k] = 1;
        return;
    }
    bt_title_match *m = bt_xmalloc((sd->nm ? sd->nm : 1) * sizeof *m);
    memcpy(m, sd->m, sd->nm * sizeof *m);
    free(sd->block);
    sd->block = NULL;
    sd->m = m;
    stems_owned_free(sd);
    free(sd->anchors);
    sd->anchors = NULL;
    free(sd->qty);
    sd->qty = NULL;
    sd->nqty = 0;
    sd->qty_done = 1;
    ss->kept += side_kept_bytes(sd);
}

/* Every segment before end is passed. */
void cap_sides_pass_to(side_set *ss, size_t end)
{
    if (!ss->passing) return;
    for (; ss->passed < end; ss->passed++) side_pass(ss, ss->passed);
}

/* The side of segment k (-1: none) for its pair: a dropped one is made
 * again, as far as the pairs need it (tokens and matches). NULL when the
 * segment was never weighed. */
side *cap_side_for_pair(side_set *ss, const bt_lexicon *lex, bt_lang lang, const char *text,
                        long k)
{
    if (k < 0) return NULL;
    if (!ss->dropped[k]) return ss->v[k];
    side *sd = side_alloc(ss);
    memset(sd, 0, sizeof *sd);
    lex_tokens_init(&sd->t);
    lex_tokenize(lex, lang, text, strlen(text), &sd->t);
    bt_title_match found[64];
    sd->nm = lex_find(lex, lang, &sd->t, found, 64);
    sd->capped = sd->nm > 64;
    if (sd->nm > 64) sd->nm = 64;
    sd->m = bt_xmalloc((sd->nm ? sd->nm : 1) * sizeof *sd->m);
    memcpy(sd->m, found, sd->nm * sizeof *sd->m);
    ss->v[k] = sd;
    ss->dropped[k] = 0;
    return sd;
}
