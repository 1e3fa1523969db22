/* people.c - the people a caption names and the titles it gives them.
 *
 * Captions chain people and titles in two orders: "NAME - TITLE, TITLE;
 * NAME - TITLE ..." and "TITLE, TITLE NAME ...". A name is a run of
 * capitalised syllables that starts with a Vietnamese surname; titles are
 * what the lexicon recognises. A hyphen inside a title ("Kinh tế - Ngân
 * sách") is part of the title because the lexicon match spans it. */
#include "lexicon_int.h"

#include <stdlib.h>
#include <string.h>

/* A caption's few people fit in a small block: 992 bytes and the arena
 * block's header stay within the 1,032 bytes glibc's per-thread cache
 * hands out, where 1,024 went to the general allocator every time. */
enum { PEOPLE_CHUNK = 992 };

/* Only separators between a and b: spaces, commas, semicolons, dashes,
 * colons. *semi is set when a semicolon is among them. */
static int only_separators(const char *s, size_t a, size_t b, int *semi, int *dash)
{
    *semi = 0;
    *dash = 0;
    for (size_t i = a; i < b;) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == ',' || c == ':' || c == '\t') { i++; continue; }
        if (c == ';') { *semi = 1; i++; continue; }
        if (c == '-') { *dash = 1; i++; continue; }
        if (c == 0xE2 && i + 2 < b && (unsigned char)s[i + 1] == 0x80 &&
            ((unsigned char)s[i + 2] == 0x93 || (unsigned char)s[i + 2] == 0x94)) {
            *dash = 1;
            i += 3;
            continue;
        }
        return 0;
    }
    return 1;
}

/* "và" / "and" between two titles of one chain */
static int only_and(const char *s, size_t a, size_t b)
{
    while (a < b && (s[a] == ' ' || s[a] == ',')) a++;
    while (b > a && s[b - 1] == ' ') b--;
    return (b - a == 3 && !memcmp(s + a, "and", 3)) ||
           (b - a == 3 && !memcmp(s + a, "v\xC3\xA0", 3));
}

static void parse_chain(bt_arena *mem, bt_person *p, const char *s, size_t len,
                        size_t next_name, const bt_title_match *m, size_t nm);

static int is_name_word(const lex_tokens *t, size_t i)
{
    if (!t->v[i].upper || t->v[i].digit) return 0;
    return bt_vi_syllable(lex_tok(t, i), lex_tok_len(t, i));
}

/* A copy of s[0..n) in the people's arena. */
static char *mem_strndup(bt_arena *mem, const char *s, size_t n)
{
    char *d = bt_arena_alloc(mem, n + 1, 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* A person is given at most nm titles, one per match: room for them all
 * at the first. */
static void add_title(bt_arena *mem, bt_person *p, const char *text, const bt_title_match *m,
                      size_t nm)
{
    if (!p->titles) {
        p->titles = bt_arena_alloc(mem, nm * sizeof *p->titles, _Alignof(char *));
        p->concepts = bt_arena_alloc(mem, nm * sizeof *p->concepts, _Alignof(int));
    }
    p->titles[p->ntitles] = mem_strndup(mem, text + m->start, m->end - m->start);
    p->concepts[p->ntitles] = m->concept;
    p->ntitles++;
}

void bt_people_parse(const bt_lexicon *lex, bt_lang lang, const char *text,
                     size_t len, bt_people *out)
{
    lex_tokens t;
    lex_tokens_init(&t);
    lex_tokenize(lex, lang, text, len, &t);
    enum { MAXM = 64 };
    bt_title_match m[MAXM];
    size_t nm = lex_find(lex, lang, &t, m, MAXM);
    if (nm > MAXM) nm = MAXM;
    lex_people(lex, lang, text, len, &t, m, nm, out);
    lex_tokens_free(&t);
}

/* The names of the text: runs of two to four name words that start with a
 * surname, outside titles (m[0..nm)). */
static void find_names(const char *text, const lex_tokens *tp, const bt_title_match *m,
                       size_t nm, bt_people *out)
{
    const lex_tokens t = *tp;
    size_t cap = 0;
    for (size_t i = 0; i < t.n;) {
        /* a surname first: the cheaper test, and the rarer */
        if (!t.v[i].upper || t.v[i].digit || !lex_tok_surname(&t, i) ||
            !is_name_word(&t, i)) {
            i++;
            continue;
        }
        /* inside a title (Hồ Chí Minh in a body's name)? */
        int inside = 0;
        for (size_t j = 0; j < nm; j++)
            if (t.v[i].start >= m[j].start && t.v[i].start < m[j].end) inside = 1;
        if (inside) { i++; continue; }
        size_t j = i + 1;
        while (j < t.n && j - i < 4 && is_name_word(&t, j) &&
               t.v[j].start == t.v[j - 1].end + 1 && t.v[j].start != t.v[j - 1].start)
            j++;
        if (j - i < 2) { i++; continue; }
        BT_GROW(out->v, cap, out->n + 1);
        bt_person *p = &out->v[out->n++];
        memset(p, 0, sizeof *p);
        p->name_start = t.v[i].start;
        p->name_end = t.v[j - 1].end;
        p->name = mem_strndup(&out->mem, text + p->name_start, p->name_end - p->name_start);
        size_t kl = j - i - 1;
        for (size_t q = i; q < j; q++) kl += strlen(lex_tok(&t, q));
        char *key = p->name_key = bt_arena_alloc(&out->mem, kl + 1, 1);
        for (size_t q = i; q < j; q++) {
            if (q > i) *key++ = ' ';
            size_t wl = strlen(lex_tok(&t, q));
            memcpy(key, lex_tok(&t, q), wl);
            key += wl;
        }
        *key = '\0';
        i = j;
    }
}

/* TITLE, TITLE NAME: titles just before the name of p, none of them before
 * lower (claimed by the person before). */
static void titles_before(bt_arena *mem, bt_person *p, const char *text,
                          const bt_title_match *m, size_t nm, size_t lower)
{
    enum { MAXM = 64 };
    size_t end = p->name_start;
    size_t chain[MAXM], nc = 0;
    for (size_t j = nm; j-- > 0;) {
        if (m[j].end > end || m[j].start < lower) continue;
        int semi, dash;
        if (!only_separators(text, m[j].end, end, &semi, &dash) &&
            !(nc && only_and(text, m[j].end, end)))
            break;
        if (semi || dash) break;
        chain[nc++] = j;
        end = m[j].start;
    }
    while (nc) add_title(mem, p, text, &m[chain[--nc]], nm);
}

void lex_people(const bt_lexicon *lex, bt_lang lang, const char *text, size_t len,
                const lex_tokens *tp, const bt_title_match *all, size_t nall, bt_people *out)
{
    (void)lang;
    out->v = NULL;
    out->n = 0;
    bt_arena_init(&out->mem, PEOPLE_CHUNK);
    enum { MAXM = 64 };
    bt_title_match m[MAXM];
    /* only titles held by people; bodies and places name no one's post */
    size_t nm = 0;
    for (size_t i = 0; i < nall && nm < MAXM; i++)
        if (all[i].kind == BT_TERM_TITLE) m[nm++] = all[i];
    find_names(text, tp, m, nm, out);

    size_t claimed = 0; /* end of the text the people before have taken */
    for (size_t pi = 0; pi < out->n; pi++) {
        bt_person *p = &out->v[pi];
        size_t next_name = pi + 1 < out->n ? out->v[pi + 1].name_start : len;
        /* NAME - TITLE, TITLE */
        size_t at = p->name_end;
        int first = 1;
        for (size_t j = 0; j < nm; j++) {
            if (m[j].start < at) continue;
            if (m[j].start >= next_name) break;
            int semi, dash;
            if (!only_separators(text, at, m[j].start, &semi, &dash) &&
                !(!first && only_and(text, at, m[j].start)))
                break;
            if (semi || (first && !dash)) break;
            add_title(&out->mem, p, text, &m[j], nm);
            at = m[j].end;
            first = 0;
        }
        if (p->ntitles) {
            claimed = at;
            parse_chain(&out->mem, p, text, len, next_name, m, nm);
            continue;
        }
        titles_before(&out->mem, p, text, m, nm, claimed);
        claimed = p->name_end;
    }
}

/* Element a..b of a chain whose arrays have room for every element. */
static void add_chain(bt_arena *mem, bt_person *p, const char *s, size_t a, size_t b,
                      int concept)
{
    while (a < b && (s[a] == ' ' || s[a] == ',')) a++;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == ',' || s[b - 1] == '.')) b--;
    if (a == b) return;
    p->chain[p->nchain] = mem_strndup(mem, s + a, b - a);
    p->chain_concepts[p->nchain] = concept;
    p->nchain++;
}

/* The chain let go (its room stays in the arena until the people go). */
static void drop_chain(bt_person *p)
{
    p->chain = NULL;
    p->chain_concepts = NULL;
    p->nchain = 0;
}

/* The chain after "NAME -": up to a semicolon, the next name or the end,
 * split at commas that are not inside a known title. */
static void parse_chain(bt_arena *mem, bt_person *p, const char *s, size_t len,
                        size_t next_name, const bt_title_match *m, size_t nm)
{
    size_t i = p->name_end;
    while (i < len && s[i] == ' ') i++;
    if (i < len && s[i] == '-') i++;
    else if (i + 2 < len && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
             ((unsigned char)s[i + 2] == 0x93 || (unsigned char)s[i + 2] == 0x94))
        i += 3;
    else
        return;
    size_t end = i, lim = next_name < len ? next_name : len;
    int closed = 0;
    if (end < lim) {
        const char *semi = memchr(s + end, ';', lim - end);
        end = semi ? (size_t)(semi - s) : lim;
    }
    if (end < len && s[end] == ';') closed = 1;
    if (end == next_name && next_name < len) {
        closed = 1; /* back over the separators before the next name */
        while (end > i && (s[end - 1] == ' ' || s[end - 1] == ',')) end--;
    }
    /* an element at most per comma, and the last */
    size_t room = 1;
    for (const char *c = s + i; (c = memchr(c, ',', (size_t)(s + end - c))) != NULL; c++) room++;
    p->chain = bt_arena_alloc(mem, room * sizeof *p->chain, _Alignof(char *));
    p->chain_concepts = bt_arena_alloc(mem, room * sizeof *p->chain_concepts, _Alignof(int));
    size_t start = i;
    /* at each comma, and at the end */
    for (size_t k = i;; k++) {
        const char *c = k < end ? memchr(s + k, ',', end - k) : NULL;
        k = c ? (size_t)(c - s) : end;
        int inside = 0;
        for (size_t j = 0; j < nm && k < end; j++)
            if (k > m[j].start && k < m[j].end) inside = 1;
        if (inside) continue;
        /* the concept of the element: a title match covering it */
        int concept = -1;
        size_t a = start, b = k;
        while (a < b && s[a] == ' ') a++;
        for (size_t j = 0; j < nm; j++)
            if (m[j].start == a && m[j].kind == BT_TERM_TITLE) {
                concept = m[j].concept;
                /* the last element may run on into what the person did */
                if (k == end && !closed) b = m[j].end;
            }
        if (k == end && !closed && concept < 0) {
            /* an unknown last element: its end is not known */
            drop_chain(p);
            return;
        }
        add_chain(mem, p, s, a, b, concept);
        start = k + 1;
        if (k == end) break;
    }
}

void bt_people_free(bt_people *p)
{
    free(p->v);
    bt_arena_free(&p->mem);
    p->v = NULL;
    p->n = 0;
}
