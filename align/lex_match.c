/* lex_match.c - phrase matching over tokens: the longest phrases of the
 * lexicon, titles chained from positions and bodies in either word order
 * of English, and the caption words of the dictionary. */
#include "lexicon_table_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- matching ---- */

/* The longest phrases starting at token i of two sets of roles at once
 * (the walk along the phrases is the same for any roles): for roles a,
 * its length in tokens (0: none) and its hit through *out_a; for roles b
 * (0: none asked), the same through *nb and *out_b. */
static int longest_phrases(const bt_lexicon *lex, bt_lang lang, const lex_tokens *t, size_t i,
                           unsigned roles_a, const phrase_hit **out_a, unsigned roles_b,
                           const phrase_hit **out_b, int *nb)
{
    if (nb) *nb = 0;
    if (i >= t->n) return 0;
    int best = 0;
    size_t maxn = (size_t)lex->max_tokens;
    if (maxn > t->n - i) maxn = t->n - i;
    uint64_t h = 0;
    for (size_t n = 1; n <= maxn; n++) {
        if (n > 1 && t->v[i + n - 1].brk) break; /* no title spans "; ( :" */
        h = n == 1 ? t->v[i].hash : chain_hash(h, t->v[i + n - 1].hash);
        const phrase_entry *e = n == 1 && t->entries_of == lex
                                    ? (const phrase_entry *)t->v[i].entry
                                    : ptable_get(&lex->phrases, h, t, i, n);
        /* no longer phrase starts with these words: stop here */
        int more = n < maxn && e && e->phrase_prefix;
        if (!e || e->head < 0) {
            if (!more) break;
            continue;
        }
        /* several concepts may share an English form ("Chairman"): take
         * the first listed, bt_lexicon_same() relates the others */
        const phrase_hit *first_a = NULL, *first_b = NULL;
        for (int k = e->head; k >= 0; k = lex->hits[k].next) {
            const phrase_hit *ph = &lex->hits[k];
            if (ph->lang != (int)lang) continue;
            unsigned role = 1u << ph->role;
            if ((roles_a & role) && (!first_a || ph->id < first_a->id)) first_a = ph;
            if ((roles_b & role) && (!first_b || ph->id < first_b->id)) first_b = ph;
        }
        if (first_a) {
            best = (int)n;
            *out_a = first_a;
        }
        if (first_b) {
            *nb = (int)n;
            *out_b = first_b;
        }
        if (!more) break;
    }
    return best;
}

/* The longest phrase of the given roles starting at token i. Returns its
 * length in tokens (0: none) and the hit through *out. */
static int longest_phrase(const bt_lexicon *lex, bt_lang lang, const lex_tokens *t,
                          size_t i, unsigned roles, const phrase_hit **out)
{
    return longest_phrases(lex, lang, t, i, roles, out, 0, NULL, NULL);
}

static int composed_id(const bt_lexicon *lex, int pos, int body)
{
    return (int)(lex->nprimary + (size_t)lex->pos_index[pos] * lex->nbody +
                 (size_t)lex->body_index[body]);
}

static int tok_is(const lex_tokens *t, size_t i, const char *w)
{
    return i < t->n && !strcmp(lex_tok(t, i), w);
}

size_t bt_lexicon_find(const bt_lexicon *lex, bt_lang lang, const char *text,
                       size_t len, bt_title_match *out, size_t max)
{
    lex_tokens t;
    lex_tokens_init(&t);
    lex_tokenize(lex, lang, text, len, &t);
    size_t found = lex_find(lex, lang, &t, out, max);
    lex_tokens_free(&t);
    return found;
}

size_t lex_find(const bt_lexicon *lex, bt_lang lang, const lex_tokens *tp,
                bt_title_match *out, size_t max)
{
    const lex_tokens t = *tp;
    size_t found = 0, i = 0;
    const unsigned POS = 1u << ROLE_POSITION, TITLE = 1u << ROLE_TITLE,
                   BODY = 1u << ROLE_BODY, PLACE = 1u << ROLE_PLACE;
    while (i < t.n) {
        /* no phrase starts with a word the lexicon has no entry for */
        if (t.entries_of == lex && !t.v[i].entry) { i++; continue; }
        const phrase_hit *ph = NULL, *pos = NULL, *body = NULL;
        int best = 0, id = -1, body_id = -1;
        size_t bfrom = 0, bto = 0; /* token range of the body */
        bt_term_kind kind = BT_TERM_TITLE;
        /* a stand-alone title, body or place */
        int pn;
        int n = longest_phrases(lex, lang, &t, i, TITLE | BODY | PLACE, &ph, POS, &pos, &pn);
        if (n) {
            best = n;
            id = ph->id;
            kind = lex->concepts[id].kind;
        }
        /* POSITION [of] BODY */
        if (pn) {
            size_t j = i + (size_t)pn;
            if (lang == BT_LANG_EN && tok_is(&t, j, "of") && !t.v[j].brk) j++;
            int bn = j < t.n && !t.v[j].brk ? longest_phrase(lex, lang, &t, j, BODY, &body) : 0;
            if (bn && (int)(j - i) + bn > best) {
                best = (int)(j - i) + bn;
                id = composed_id(lex, pos->id, body->id);
                kind = BT_TERM_TITLE;
                body_id = body->id;
                bfrom = j;
                bto = j + (size_t)bn;
            }
        }
        /* English BODY POSITION: "Politburo member", "Party Central
         * Committee Secretary" */
        if (lang == BT_LANG_EN && n && ph->role == ROLE_BODY && i + (size_t)n < t.n &&
            !t.v[i + (size_t)n].brk) {
            int pn2 = longest_phrase(lex, lang, &t, i + (size_t)n, POS, &pos);
            if (pn2 && n + pn2 > best) {
                best = n + pn2;
                id = composed_id(lex, pos->id, ph->id);
                kind = BT_TERM_TITLE;
                body_id = ph->id;
                bfrom = i;
                bto = i + (size_t)n;
            }
        }
        if (!best) { i++; continue; }
        if (found < max) {
            out[found].start = t.v[i].start;
            out[found].end = t.v[i + (size_t)best - 1].end;
            out[found].concept = id;
            out[found].kind = kind;
            out[found].body = body_id;
            out[found].body_start = body_id >= 0 ? t.v[bfrom].start : 0;
            out[found].body_end = body_id >= 0 ? t.v[bto - 1].end : 0;
        }
        found++;
        i += (size_t)best;
    }
    return found;
}

/* The variant of dict entry d written as text[from, to), or -1. */
static int dict_variant_made(const bt_lexicon *lex, int d, const char *text, size_t from,
                             size_t to)
{
    char room[512];
    const char *form = lex_form_memo(text + from, to - from, room, sizeof room);
    if (!form) return d;
    for (int v = d; v >= 0; v = lex->dict_v[v].next)
        if (!strcmp(lex->dict_v[v].form, form)) return v;
    return -1;
}

/* The same caption words come caption after caption: each thread keeps,
 * per slot, the last variant found, by the lexicon's words (their serial),
 * the entry and the bytes as written. */
enum { VARIANT_SLOTS = 2048, VARIANT_KEY = 46 };

typedef struct variant_memo {
    uint64_t serial, h;
    int d, v;
    unsigned char len; /* 0: empty */
    char key[VARIANT_KEY];
} variant_memo;

static _Thread_local variant_memo *variant_mine;

static int dict_variant(const bt_lexicon *lex, int d, const char *text, size_t from, size_t to)
{
    size_t len = to - from;
    if (len == 0 || len > VARIANT_KEY) return dict_variant_made(lex, d, text, from, to);
    if (!variant_mine) variant_mine = bt_thread_block(VARIANT_SLOTS, sizeof *variant_mine, NULL);
    uint64_t s = lex_words_serial(lex);
    const char *w = text + from;
    uint64_t h = lex_word_hash(w, len) ^ (uint64_t)(unsigned)d * 0x9E3779B97F4A7C15ULL;
    variant_memo *m = &variant_mine[(h ^ h >> 29) & (VARIANT_SLOTS - 1)];
    if (m->serial == s && m->h == h && m->d == d && m->len == len && lex_same_bytes(m->key, w, len))
        return m->v;
    int v = dict_variant_made(lex, d, text, from, to);
    m->serial = s;
    m->h = h;
    m->d = d;
    m->v = v;
    m->len = (unsigned char)len;
    memcpy(m->key, w, len);
    return v;
}

static int has_marks(const char *text, size_t from, size_t to)
{
    for (size_t k = from; k < to; k++)
        if ((unsigned char)text[k] >= 0x80) return 1;
    return 0;
}

size_t lex_dict_matches(const bt_lexicon *lex, const lex_tokens *t, const char *text, size_t i,
                        lex_dict_hit *out, size_t max)
{
    lex_words_ready(lex);
    return lex_dict_matches_ready(lex, t, text, i, out, max);
}

size_t lex_dict_matches_ready(const bt_lexicon *lex, const lex_tokens *t, const char *text,
                              size_t i, lex_dict_hit *out, size_t max)
{
    size_t found = 0;
    size_t maxn = (size_t)lex->words_max_tokens;
    if (maxn > t->n - i) maxn = t->n - i;
    uint64_t h = 0;
    for (size_t n = 1; n <= maxn && found < max; n++) {
        if (n > 1 && t->v[i + n - 1].brk) break;
        h = n == 1 ? t->v[i].hash : chain_hash(h, t->v[i + n - 1].hash);
        const phrase_entry *e = ptable_get(&lex->words, h, t, i, n);
        if (!e) break;
        if (e->dict >= 0) {
            /* typed without marks: every variant; with them: the one written */
            size_t from = t->v[i].start, to = t->v[i + n - 1].end;
            int marked = has_marks(text, from, to);
            int v = marked ? dict_variant(lex, e->dict, text, from, to) : e->dict;
            if (v >= 0) {
                const dict_entry *d = &lex->dict_v[v];
                out[found++] = (lex_dict_hit){ n, marked ? d->en : d->en_any, d->function };
            }
        }
        if (!e->dict_prefix) break;
    }
    return found;
}

size_t lex_dict_match(const bt_lexicon *lex, const lex_tokens *t, const char *text, size_t i,
                      const char **en, int *function)
{
    lex_dict_hit hits[LEX_DICT_HITS];
    size_t nh = lex_dict_matches(lex, t, text, i, hits, LEX_DICT_HITS);
    if (!nh) return 0;
    *en = hits[nh - 1].en;
    if (function) *function = hits[nh - 1].function;
    return hits[nh - 1].n;
}
