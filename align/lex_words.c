/* lex_words.c - the caption words of the lexicon (data/words.tsv,
 * data/dict/, and words a run adds: bt_lexicon_add_word, learned tables):
 * each Vietnamese word's English as stems, its variants joined for text
 * typed without marks, and the English vocabulary they make. The tables
 * they go in are built in lexicon.c, which reads them on first use
 * (lex_words_ready). */
#include "lexicon_table_int.h"

#include <stdlib.h>
#include <string.h>

/* A caption word: its Vietnamese and English stems. Rows that fold alike
 * ("bão" storm, "báo" newspaper) are variants of one key: text with its
 * marks takes the variant written as it is (lex_form), text typed without
 * marks takes them all, as it cannot tell them apart either. Two rows of
 * one form are one variant with the stems of both. */
static void unjoin_key(bt_lexicon *lex, int first);
static void join_key(bt_lexicon *lex, int first);

/* The words of stems ("visit famil|call$ on") into the English vocabulary. */
static void vocab_add(bt_lexicon *lex, const char *stems)
{
    for (const char *p = stems; *p;) {
        size_t n = strcspn(p, " |");
        if (n) {
            int exact = p[n - 1] == '$';
            int *v = lex_smap_slot(&lex->en_vocab, p, n - (size_t)exact, 1);
            *v = (*v < 0 ? 0 : *v) | (exact ? 1 : 2);
        }
        p += n;
        if (*p) p++;
    }
}

/* m's value for k[0..n), whose hash_str is h, or NULL. */
static const int *vocab_get(const smap *m, const char *k, size_t n, uint64_t h)
{
    if (!m->cap) return NULL;
    for (size_t i = h & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
        if (m->keys[i][0] == k[0] && strlen(m->keys[i]) == n && !memcmp(m->keys[i], k, n))
            return &m->vals[i];
    return NULL;
}

int lex_en_known(const bt_lexicon *lex, const char *w, size_t n)
{
    const smap *m = &lex->en_vocab;
    /* the word whole, then each of its beginnings down to four letters:
     * the hash of every beginning is made on the way to the whole one's
     * (hash_str, a byte at a time) */
    uint64_t h[48];
    if (n == 0 || n >= sizeof h / sizeof *h) {
        smap *mm = (smap *)(uintptr_t)m; /* looked up only, never grown here */
        if (lex_smap_slot(mm, w, n, 0)) return 1;
        for (size_t l = n - 1; l >= 4 && l < n; l--) {
            const int *v = lex_smap_slot(mm, w, l, 0);
            if (v && (*v & 2)) return 1;
        }
        return 0;
    }
    h[0] = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) h[i + 1] = (h[i] ^ (unsigned char)w[i]) * 1099511628211ULL;
    if (vocab_get(m, w, n, h[n])) return 1;
    for (size_t l = n - 1; l >= 4; l--) {
        const int *v = vocab_get(m, w, l, h[l]);
        if (v && (*v & 2)) return 1;
    }
    return 0;
}

/* Lexicons whose words may differ get different serials: the memo below
 * tells them apart by it, never by their address. */
static _Atomic uint64_t serials;

uint64_t lex_words_serial(const bt_lexicon *lex)
{
    /* the lexicon is not changed: its serial is the memo's key */
    _Atomic uint64_t *at = (_Atomic uint64_t *)(uintptr_t)&lex->serial;
    uint64_t s = atomic_load_explicit(at, memory_order_acquire);
    if (s) return s;
    uint64_t mine = atomic_fetch_add(&serials, 1) + 1;
    return atomic_compare_exchange_strong(at, &s, mine) ? mine : s;
}

/* The English words of every English segment weighed come again and
 * again: each thread keeps whether the last one of a slot is known. */
enum { KNOWN_SLOTS = 2048, KNOWN_KEY = 22 };

typedef struct known_memo {
    uint64_t serial, h;
    unsigned char len, known;
    char key[KNOWN_KEY];
} known_memo;

static _Thread_local known_memo *known_mine;

int lex_en_known_memo(const bt_lexicon *lex, const char *w, size_t n, uint64_t hash)
{
    if (n == 0 || n > KNOWN_KEY) return lex_en_known(lex, w, n);
    if (!known_mine) known_mine = bt_thread_block(KNOWN_SLOTS, sizeof *known_mine, NULL);
    uint64_t s = lex_words_serial(lex);
    known_memo *m = &known_mine[hash & (KNOWN_SLOTS - 1)];
    if (m->serial == s && m->h == hash && m->len == n && lex_same_bytes(m->key, w, n))
        return m->known;
    int known = lex_en_known(lex, w, n);
    m->serial = s;
    m->h = hash;
    m->len = (unsigned char)n;
    m->known = (unsigned char)known;
    memcpy(m->key, w, n);
    return known;
}

static int add_word(bt_lexicon *lex, const char *vi, const char *stems, int function)
{
    int ntok;
    char *k = lex_fold_joined(lex, BT_LANG_VI, vi, strlen(vi), &ntok);
    char form[512];
    if (!lex_form(vi, strlen(vi), form, sizeof form)) form[0] = '\0';
    if (!ntok || !*stems) { free(k); return 0; }
    vocab_add(lex, stems);
    atomic_store(&lex->serial, 0); /* its words are others now */
    phrase_entry *e = lex_ptable_slot(&lex->words, k, strlen(k));
    /* a word added once the variants are joined joins its key's again */
    if (lex->words_joined && e->dict >= 0) unjoin_key(lex, e->dict);
    int at = e->dict, last = -1;
    for (; at >= 0; last = at, at = lex->dict_v[at].next)
        if (!strcmp(lex->dict_v[at].form, form)) break;
    if (at >= 0) { /* the same form again: one variant */
        dict_entry *d = &lex->dict_v[at];
        bt_buf b;
        bt_buf_init(&b);
        bt_buf_printf(&b, "%s|%s", d->en, stems);
        free(d->en);
        d->en = bt_buf_detach(&b);
        d->function &= function;
    } else {
        BT_GROW(lex->dict_v, lex->dictcap, lex->ndict + 1);
        lex->dict_v[lex->ndict] = (dict_entry){ ntok, function, bt_xstrdup(stems),
                                                bt_xstrdup(form), NULL, -1 };
        if (last >= 0) lex->dict_v[last].next = (int)lex->ndict;
        else e->dict = (int)lex->ndict;
        lex->ndict++;
    }
    int first = e->dict;
    for (const char *sp = strchr(k, ' '); sp; sp = strchr(sp + 1, ' '))
        lex_ptable_slot(&lex->words, k, (size_t)(sp - k))->dict_prefix = 1;
    if (ntok > lex->words_max_tokens) lex->words_max_tokens = ntok;
    if (lex->words_joined) join_key(lex, first);
    free(k);
    return 1;
}

/* The stems of every variant of the key whose first entry is first, for
 * text typed without marks: the first variant holds them (its own string
 * when there are several), the others are marked seen. */
static void join_key(bt_lexicon *lex, int first)
{
    dict_entry *d = &lex->dict_v[first];
    if (d->next < 0) {
        d->en_any = d->en;
        return;
    }
    bt_buf b;
    bt_buf_init(&b);
    for (int v = first; v >= 0; v = lex->dict_v[v].next) {
        if (b.len) bt_buf_add(&b, "|", 1);
        bt_buf_printf(&b, "%s", lex->dict_v[v].en);
        lex->dict_v[v].en_any = lex->dict_v[v].en;
    }
    d->en_any = bt_buf_detach(&b);
}

static void unjoin_key(bt_lexicon *lex, int first)
{
    dict_entry *d = &lex->dict_v[first];
    if (d->en_any && d->en_any != d->en) free(d->en_any);
    for (int v = first; v >= 0; v = lex->dict_v[v].next) lex->dict_v[v].en_any = NULL;
}

/* Once every row is in: each key's first variant learns the stems of all,
 * for text typed without marks. */
static void join_variants(bt_lexicon *lex)
{
    for (size_t i = 0; i < lex->ndict; i++)
        if (!lex->dict_v[i].en_any) join_key(lex, (int)i);
    lex->words_joined = 1;
}

/* data/words.tsv: stems written as stems ("presid", "inaugurat") */
static void add_dict_row(bt_lexicon *lex, char **cols, int nc)
{
    if (nc < 2) return;
    (void)add_word(lex, cols[0], cols[1], nc > 2 && !strcmp(cols[2], "function"));
}

/* Words an English form of several words may leave out: they are in
 * every English sentence, so they are no evidence. */
static int form_stopword(const char *w, size_t n)
{
    /* by length, so a word of five letters or more is not compared at all */
    static const char *const stop[][8] = {
        [1] = { "a" },
        [2] = { "an", "of", "to", "in", "on", "at", "by", "'s" },
        [3] = { "the", "for", "and" },
        [4] = { "with", "from" },
    };
    if (n < 1 || n > 4) return 0;
    for (size_t k = 0; k < sizeof stop[n] / sizeof *stop[n] && stop[n][k]; k++)
        if (!memcmp(stop[n][k], w, n)) return 1;
    return 0;
}

/* One word of an English form as the matcher takes it: cut to what its
 * inflections share ("preside" matches presided, "study" studies), or, of
 * three letters or fewer, to be matched whole ("ha" is not "have"): '$'. */
void lex_word_stem(bt_buf *out, const char *w, size_t n)
{
    if (n <= 3) {
        bt_buf_add(out, w, n);
        bt_buf_add(out, "$", 1);
        return;
    }
    char last = w[n - 1], before = w[n - 2];
    if (n >= 5 && last == 'e') n--;
    else if (last == 'y' && !strchr("aeiou", before)) n--;
    bt_buf_add(out, w, n);
}

/* One English form of the bilingual lexicon as the stems the matcher
 * takes: lower case, hyphens as spaces, each word stemmed, the words every
 * sentence has left out of a form of several. */
static void form_stems(bt_buf *out, const char *form, size_t len)
{
    char low[256];
    size_t n = len < sizeof low ? len : sizeof low - 1;
    for (size_t i = 0; i < n; i++) {
        char c = form[i];
        low[i] = c == '-' ? ' ' : c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
    }
    size_t words = 0;
    for (size_t i = 0; i < n; i++) words += low[i] != ' ' && (i == 0 || low[i - 1] == ' ');
    size_t start = out->len;
    for (size_t i = 0; i < n;) {
        while (i < n && low[i] == ' ') i++;
        size_t j = i;
        while (j < n && low[j] != ' ') j++;
        if (j > i && !(words > 1 && form_stopword(low + i, j - i))) {
            if (out->len > start) bt_buf_add(out, " ", 1);
            lex_word_stem(out, low + i, j - i);
        }
        i = j;
    }
    if (out->len) out->ptr[out->len] = '\0';
}

/* English forms "a|b c" as the stems the matcher takes, "|"-separated,
 * into stems (empty when no form leaves a word). */
static void forms_to_stems(bt_buf *stems, const char *forms)
{
    for (const char *p = forms; *p;) {
        const char *bar = strchr(p, '|');
        size_t l = bar ? (size_t)(bar - p) : strlen(p);
        size_t before = stems->len;
        if (stems->len) bt_buf_add(stems, "|", 1);
        form_stems(stems, p, l);
        if (stems->len == before + (before ? 1 : 0)) stems->len = before; /* nothing left */
        if (!bar) break;
        p = bar + 1;
    }
    if (stems->len) stems->ptr[stems->len] = '\0';
}

/* data/dict/: vietnamese<TAB>english|english...<TAB>kind, English in base
 * forms; kind func marks words too common to count on their own. */
static void add_lexicon_word_row(bt_lexicon *lex, char **cols, int nc)
{
    if (nc < 3) return;
    bt_buf stems;
    bt_buf_init(&stems);
    forms_to_stems(&stems, cols[1]);
    if (stems.len) (void)add_word(lex, cols[0], stems.ptr, !strcmp(cols[2], "func"));
    bt_buf_free(&stems);
}


/* The caption words of data/words.tsv and data/dict/. */
void lex_words_load(bt_lexicon *lex)
{
    lex_each_row("words.tsv", add_dict_row, lex);
    for (const struct bt_embedded_file *f = bt_embedded_files; f->name; f++)
        if (!strncmp(f->name, "dict/", 5)) lex_each_row(f->name, add_lexicon_word_row, lex);
    join_variants(lex);
}

int lex_add_stems(bt_lexicon *lex, const char *vi, const char *stems, int function)
{
    return add_word(lex, vi, stems, function);
}

int bt_lexicon_add_word(bt_lexicon *lex, const char *vi, const char *en, int function)
{
    if (!lex || !lex->own || !vi || !en) return 0;
    bt_buf stems;
    bt_buf_init(&stems);
    forms_to_stems(&stems, en);
    int added = stems.len ? add_word(lex, vi, stems.ptr, function != 0) : 0;
    bt_buf_free(&stems);
    return added;
}
