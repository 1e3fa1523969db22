/* lexicon.c - the curated lexicon of titles and bodies (data/lexicon.tsv,
 * data/abbreviations.tsv, compiled in): loading it into its tables. The
 * caption words (data/words.tsv, data/dict/) are added in lex_words.c,
 * tokens made in lex_tokens.c, phrases matched in lex_match.c.
 *
 * Titles are chains built from parts: a position (Phó Chủ tịch) and a body
 * (UBND tỉnh) make a title (Phó Chủ tịch UBND tỉnh, "Vice Chairman of the
 * Provincial People's Committee"). Storing the parts rather than every
 * combination lets the matcher recognise titles no one listed, in either
 * word order of English ("Member of the Politburo" / "Politburo member"). */
#include "lexicon_table_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>




int *lex_smap_slot(smap *m, const char *k, size_t n, int insert)
{
    if (insert && (m->n + 1) * 2 > m->cap) {
        smap old = *m;
        m->cap = old.cap ? old.cap * 2 : 256;
        m->keys = bt_xcalloc(m->cap, sizeof *m->keys);
        m->vals = bt_xcalloc(m->cap, sizeof *m->vals);
        m->n = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.keys[i]) {
                *lex_smap_slot(m, old.keys[i], strlen(old.keys[i]), 1) = old.vals[i];
                free(old.keys[i]);
            }
        free(old.keys);
        free(old.vals);
    }
    if (!m->cap) return NULL;
    size_t i = hash_str(k, n) & (m->cap - 1);
    while (m->keys[i]) {
        if (strlen(m->keys[i]) == n && !memcmp(m->keys[i], k, n)) return &m->vals[i];
        i = (i + 1) & (m->cap - 1);
    }
    if (!insert) return NULL;
    m->keys[i] = bt_xstrndup(k, n);
    m->vals[i] = -1;
    m->n++;
    return &m->vals[i];
}



static uint64_t key_hash(const char *key, size_t len)
{
    uint64_t h = 0;
    size_t i = 0;
    int first = 1;
    while (i <= len) {
        const char *sp = memchr(key + i, ' ', len - i);
        size_t wl = sp ? (size_t)(sp - (key + i)) : len - i;
        uint64_t w = lex_word_hash(key + i, wl);
        h = first ? w : chain_hash(h, w);
        first = 0;
        i += wl + 1;
    }
    return h;
}

phrase_entry *lex_ptable_slot(phrase_table *t, const char *key, size_t len)
{
    if ((t->n + 1) * 2 > t->cap) {
        phrase_table old = *t;
        t->cap = old.cap ? old.cap * 2 : 512;
        t->v = bt_xcalloc(t->cap, sizeof *t->v);
        for (size_t i = 0; i < old.cap; i++) {
            if (!old.v[i].key) continue;
            size_t j = old.v[i].h & (t->cap - 1);
            while (t->v[j].key) j = (j + 1) & (t->cap - 1);
            t->v[j] = old.v[i];
        }
        free(old.v);
    }
    uint64_t h = key_hash(key, len);
    size_t j = h & (t->cap - 1);
    for (; t->v[j].key; j = (j + 1) & (t->cap - 1))
        if (t->v[j].h == h && strlen(t->v[j].key) == len && !memcmp(t->v[j].key, key, len))
            return &t->v[j];
    phrase_entry *e = &t->v[j];
    e->h = h;
    e->key = bt_xstrndup(key, len);
    e->klen = lex_key_len(e->key);
    e->head = e->dict = -1;
    t->n++;
    return e;
}





const char *bt_term_kind_name(bt_term_kind k)
{
    switch (k) {
    case BT_TERM_TITLE: return "title";
    case BT_TERM_BODY: return "body";
    case BT_TERM_NAME: return "name";
    case BT_TERM_PLACE: return "place";
    }
    return "?";
}

/* ---- building ---- */

char *lex_fold_joined(const bt_lexicon *lex, bt_lang lang, const char *s,
                         size_t len, int *ntok)
{
    lex_tokens t;
    lex_tokens_init(&t);
    lex_tokenize(lex, lang, s, len, &t);
    bt_buf b;
    bt_buf_init(&b);
    for (size_t i = 0; i < t.n; i++) {
        if (i) bt_buf_addc(&b, ' ');
        bt_buf_adds(&b, lex_tok(&t, i));
    }
    *ntok = (int)t.n;
    lex_tokens_free(&t);
    return bt_buf_detach(&b);
}

static void add_phrase(bt_lexicon *lex, const char *form, bt_lang lang, int role, int id)
{
    int ntok;
    char *key = lex_fold_joined(lex, lang, form, strlen(form), &ntok);
    if (ntok == 0) { free(key); return; }
    phrase_entry *pe = lex_ptable_slot(&lex->phrases, key, strlen(key));
    int *head = &pe->head;
    /* the same key for the same concept twice is one hit */
    for (int h = *head; h >= 0; h = lex->hits[h].next)
        if (lex->hits[h].id == id && lex->hits[h].lang == (int)lang) { free(key); return; }
    BT_GROW(lex->hits, lex->hcap, lex->nhits + 1);
    phrase_hit *ph = &lex->hits[lex->nhits];
    ph->id = id;
    ph->role = role;
    ph->lang = (int)lang;
    ph->ntok = ntok;
    ph->next = *head;
    *head = (int)lex->nhits++;
    for (const char *sp = strchr(key, ' '); sp; sp = strchr(sp + 1, ' '))
        lex_ptable_slot(&lex->phrases, key, (size_t)(sp - key))->phrase_prefix = 1;
    if (ntok > lex->max_tokens) lex->max_tokens = ntok;
    free(key);
}

/* Split "a | b | c" into a NULL-terminated array of trimmed strings. */
static char **split_forms(const char *s)
{
    size_t n = 0, cap = 0;
    char **v = NULL;
    while (*s) {
        const char *bar = strstr(s, " | ");
        size_t l = bar ? (size_t)(bar - s) : strlen(s);
        while (l && s[l - 1] == ' ') l--;
        BT_GROW(v, cap, n + 2);
        v[n++] = bt_xstrndup(s, l);
        if (!bar) break;
        s = bar + 3;
    }
    BT_GROW(v, cap, n + 1);
    v[n] = NULL;
    return v;
}

const struct bt_embedded_file *lex_embedded(const char *name)
{
    for (const struct bt_embedded_file *f = bt_embedded_files; f->name; f++)
        if (!strcmp(f->name, name)) return f;
    return NULL;
}

void lex_embedded_rows(const char *name, lex_row_fn fn, void *ud)
{
    const struct bt_embedded_file *f = lex_embedded(name);
    if (!f) return;
    const char *p = (const char *)f->data, *end = p + f->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (l && p[0] != '#') {
            char *line = bt_xstrndup(p, l);
            char *cols[8];
            int nc = 0;
            char *c = line;
            while (nc < 8) {
                cols[nc++] = c;
                char *tab = strchr(c, '\t');
                if (!tab) break;
                *tab = '\0';
                c = tab + 1;
            }
            fn(ud, cols, nc);
            free(line);
        }
        p += l + 1;
    }
}

/* The rows of an embedded file, each given to fn with the lexicon. */
typedef struct row_thunk {
    void (*fn)(bt_lexicon *, char **, int);
    bt_lexicon *lex;
} row_thunk;

static void call_row(void *ud, char **cols, int nc)
{
    row_thunk *t = ud;
    t->fn(t->lex, cols, nc);
}

void lex_each_row(const char *name, void (*fn)(bt_lexicon *, char **, int),
                     bt_lexicon *lex)
{
    row_thunk t = { fn, lex };
    lex_embedded_rows(name, call_row, &t);
}

static void add_concept_row(bt_lexicon *lex, char **cols, int nc)
{
    if (nc < 4) return;
    int role;
    bt_term_kind kind;
    if (!strcmp(cols[0], "position")) { role = ROLE_POSITION; kind = BT_TERM_TITLE; }
    else if (!strcmp(cols[0], "title")) { role = ROLE_TITLE; kind = BT_TERM_TITLE; }
    else if (!strcmp(cols[0], "body")) { role = ROLE_BODY; kind = BT_TERM_BODY; }
    else if (!strcmp(cols[0], "place")) { role = ROLE_PLACE; kind = BT_TERM_PLACE; }
    else return;
    int id = (int)lex->nprimary;
    size_t n1 = lex->nprimary + 1;
    lex->concepts = bt_xrealloc(lex->concepts, n1 * sizeof *lex->concepts);
    lex->vi_forms = bt_xrealloc(lex->vi_forms, n1 * sizeof *lex->vi_forms);
    lex->en_forms = bt_xrealloc(lex->en_forms, n1 * sizeof *lex->en_forms);
    lex->combines = bt_xrealloc(lex->combines, n1 * sizeof *lex->combines);
    char **vi = split_forms(cols[1]);
    char **en = split_forms(cols[2]);
    lex->vi_forms[id] = vi;
    lex->en_forms[id] = en;
    lex->combines[id] = nc > 4 ? bt_xstrdup(cols[4]) : NULL;
    bt_concept *c = &lex->concepts[id];
    c->id = id;
    c->kind = kind;
    c->vi = vi[0];
    c->en_official = en[0];
    c->source = bt_xstrdup(cols[3]);
    c->position = c->body = -1;
    for (char **f = vi; *f; f++) add_phrase(lex, *f, BT_LANG_VI, role, id);
    for (char **f = en; *f; f++) add_phrase(lex, *f, BT_LANG_EN, role, id);
    if (role == ROLE_POSITION) {
        lex->pos_ids = bt_xrealloc(lex->pos_ids, (lex->npos + 1) * sizeof(int));
        lex->pos_ids[lex->npos++] = id;
    } else if (role == ROLE_BODY) {
        lex->body_ids = bt_xrealloc(lex->body_ids, (lex->nbody + 1) * sizeof(int));
        lex->body_ids[lex->nbody++] = id;
    }
    lex->nprimary++;
}

static void add_abbrev_row(bt_lexicon *lex, char **cols, int nc)
{
    if (nc < 2) return;
    int n1, n2;
    char *a = lex_fold_joined(NULL, BT_LANG_VI, cols[0], strlen(cols[0]), &n1);
    char *x = lex_fold_joined(NULL, BT_LANG_VI, cols[1], strlen(cols[1]), &n2);
    BT_GROW(lex->expansions, lex->expcap, lex->nexp + 1);
    lex->expansions[lex->nexp] = x;
    *lex_smap_slot(&lex->abbrevs, a, strlen(a), 1) = (int)lex->nexp++;
    free(a);
}

/* Vietnamese surnames (folded), the anchor of a personal name. */
static const char *const surnames[] = {
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo",
    "dang", "bui", "do", "ho", "ngo", "duong", "ly", "dinh", "truong", "dao",
    "cao", "lam", "mai", "to", "ha", "luu", "doan", "thai", "chu", "luong",
    "ta", "quach", "vuong", "kieu", "chau", "than", "ton", "trieu", "lai",
    "khong", "diep", "giang", "mac", "tu", "la", "hua", "lo", "vi", "luc",
    "nong", "thach", "kim", "au", "tang", "phung", "trinh", "hau", "lu",
    "long", "van", "khuat", "nghiem", "tong", "ong", "dam", "ninh", "bach"
};

/* The surnames in an open-addressing table by the hash their tokens carry
 * (lex_token.hash): asked for every capitalised word of every side, a
 * look-up must cost less than a binary search. */
enum { SURNAME_SLOTS = 256, SURNAME_MAX = 8 };
static const char *surname_slot[SURNAME_SLOTS];
static uint64_t surname_slot_hash[SURNAME_SLOTS];
static pthread_once_t surnames_once = PTHREAD_ONCE_INIT;
/* set once the table is made: asked for every capitalised word, the table
 * is then read without a call to pthread_once */
static atomic_int surnames_ready;

static void surnames_init(void)
{
    for (size_t i = 0; i < sizeof surnames / sizeof *surnames; i++) {
        uint64_t w = lex_word_hash(surnames[i], strlen(surnames[i]));
        size_t k = (size_t)w % SURNAME_SLOTS;
        while (surname_slot[k]) k = (k + 1) % SURNAME_SLOTS;
        surname_slot[k] = surnames[i];
        surname_slot_hash[k] = w;
    }
    atomic_store_explicit(&surnames_ready, 1, memory_order_release);
}

int lex_tok_surname(const lex_tokens *t, size_t i)
{
    if (t->v[i].klen > SURNAME_MAX) return 0; /* longer than any surname */
    if (!atomic_load_explicit(&surnames_ready, memory_order_acquire))
        pthread_once(&surnames_once, surnames_init);
    uint64_t w = t->v[i].hash;
    for (size_t k = (size_t)w % SURNAME_SLOTS; surname_slot[k]; k = (k + 1) % SURNAME_SLOTS)
        if (surname_slot_hash[k] == w && !strcmp(surname_slot[k], lex_tok(t, i))) return 1;
    return 0;
}

static bt_lexicon *lexicon_build(void)
{
    bt_lexicon *lex = bt_xcalloc(1, sizeof *lex);
    lex_each_row("abbreviations.tsv", add_abbrev_row, lex);
    lex_each_row("lexicon.tsv", add_concept_row, lex);

    /* indices and the position compatibility table */
    lex->pos_index = bt_xmalloc(lex->nprimary * sizeof(int));
    lex->body_index = bt_xmalloc(lex->nprimary * sizeof(int));
    for (size_t i = 0; i < lex->nprimary; i++) lex->pos_index[i] = lex->body_index[i] = -1;
    for (size_t i = 0; i < lex->npos; i++) lex->pos_index[lex->pos_ids[i]] = (int)i;
    for (size_t i = 0; i < lex->nbody; i++) lex->body_index[lex->body_ids[i]] = (int)i;
    lex->pos_compat = bt_xcalloc(lex->npos * lex->npos + 1, 1);
    for (size_t a = 0; a < lex->npos; a++)
        for (size_t b = 0; b < lex->npos; b++) {
            int same = a == b;
            for (char **x = lex->en_forms[lex->pos_ids[a]]; *x && !same; x++)
                for (char **y = lex->en_forms[lex->pos_ids[b]]; *y && !same; y++)
                    same = !strcasecmp(*x, *y);
            lex->pos_compat[a * lex->npos + b] = (unsigned char)same;
        }

    /* composed concepts: every position with every body */
    lex->nconcepts = lex->nprimary + lex->npos * lex->nbody;
    lex->concepts = bt_xrealloc(lex->concepts, lex->nconcepts * sizeof *lex->concepts);
    bt_buf b;
    bt_buf_init(&b);
    for (size_t p = 0; p < lex->npos; p++)
        for (size_t q = 0; q < lex->nbody; q++) {
            const bt_concept *pc = &lex->concepts[lex->pos_ids[p]];
            const bt_concept *bc = &lex->concepts[lex->body_ids[q]];
            bt_concept *c = &lex->concepts[lex->nprimary + p * lex->nbody + q];
            c->id = (int)(lex->nprimary + p * lex->nbody + q);
            c->kind = BT_TERM_TITLE;
            c->position = lex->pos_ids[p];
            c->body = lex->body_ids[q];
            bt_buf_reset(&b);
            bt_buf_adds(&b, pc->vi);
            bt_buf_addc(&b, ' ');
            size_t at = b.len;
            bt_buf_adds(&b, bc->vi);
            /* "Trưởng" + "Ban Dân vận" reads "Trưởng ban Dân vận" */
            size_t pl = strlen(pc->vi), tl = strlen("Trưởng");
            if (pl >= tl && !strcmp(pc->vi + pl - tl, "Trưởng") &&
                (!strncmp(b.ptr + at, "Ban ", 4) || !strncmp(b.ptr + at, "Đoàn ", 6)))
                b.ptr[at] = b.ptr[at] == 'B' ? 'b' : b.ptr[at];
            if (pl >= tl && !strcmp(pc->vi + pl - tl, "Trưởng") &&
                !strncmp(b.ptr + at, "Đoàn ", 6))
                memcpy(b.ptr + at, "đ", 2);
            c->vi = bt_xstrdup(b.ptr);
            bt_buf_reset(&b);
            bt_buf_adds(&b, pc->en_official);
            bt_buf_adds(&b, " of the ");
            bt_buf_adds(&b, bc->en_official);
            c->en_official = bt_xstrdup(b.ptr);
            c->source = pc->source;
        }
    bt_buf_free(&b);
    lex->built = 1;
    return lex;
}

bt_lexicon *lex_build_default(void)
{
    bt_lexicon *lex = lexicon_build();
    lex_words_load(lex);
    return lex;
}

/* The default lexicon as tools/lexicon_image.c wrote it at build time,
 * when the program links it (bitext does): a run neither parses nor folds
 * nor hashes its data, and makes (and pages in) only the parts it reads:
 * titles and bodies and their phrases when the lexicon is first asked
 * for, the caption words when a caption is first weighed. Without it (the
 * library alone: tests, tools), the tables are built from the data. */
extern const lex_image bt_lexicon_image __attribute__((weak));

/* The memory a part of the image is made in, zeroed: mapped at once with
 * its pages present, as taking a page fault for each page of tables that
 * are written whole costs more than making them. Never freed. */
typedef struct img_arena {
    char *p;
    size_t left;
} img_arena;

static void img_arena_init(img_arena *a, size_t size)
{
    size = (size + 4095) & ~(size_t)4095;
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    a->p = p == MAP_FAILED ? bt_xcalloc(1, size) : p;
    a->left = size;
}

static void *img_alloc(img_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n > a->left) return bt_xcalloc(1, n); /* not sized for it: never */
    void *p = a->p;
    a->p += n;
    a->left -= n;
    return p;
}

/* A string of the image, 0 for NULL: the default lexicon is never
 * written to, and never freed. */
static inline char *img_str(const lex_image *im, uint32_t off)
{
    return off ? (char *)(uintptr_t)(im->pool + off) : NULL;
}

static void img_ptable(const lex_image *im, img_arena *a, const lex_image_entry *v,
                       size_t cap, size_t n, phrase_table *t)
{
    t->cap = cap;
    t->n = n;
    t->v = v ? img_alloc(a, cap * sizeof *t->v) : NULL;
    for (size_t i = 0; v && i < cap; i++)
        if (v[i].key) {
            char *k = img_str(im, v[i].key);
            t->v[i] = (phrase_entry){ v[i].h, k, v[i].head, v[i].dict, v[i].phrase_prefix,
                                      v[i].dict_prefix, lex_key_len(k) };
        }
}

static void img_smap(const lex_image *im, img_arena *a, const uint32_t *keys, const int *vals,
                     size_t cap, size_t n, smap *m)
{
    m->cap = cap;
    m->n = n;
    m->vals = (int *)(uintptr_t)vals;
    m->keys = keys ? img_alloc(a, cap * sizeof *m->keys) : NULL;
    for (size_t i = 0; keys && i < cap; i++) m->keys[i] = img_str(im, keys[i]);
}

static char **img_strs(const lex_image *im, img_arena *a, const uint32_t *v, size_t n)
{
    if (!v) return NULL;
    char **out = img_alloc(a, (n ? n : 1) * sizeof *out);
    for (size_t i = 0; i < n; i++) out[i] = img_str(im, v[i]);
    return out;
}

/* Titles, bodies, their phrases and the abbreviations. */
static bt_lexicon *img_lexicon(const lex_image *im)
{
    size_t np = im->nprimary;
    /* the forms' lists as the image has them, each ended by 0 (NULL) */
    size_t nforms = 0;
    for (size_t i = 0; i < np; i++) {
        size_t e = im->en_forms[i];
        while (im->forms[e]) e++;
        if (e + 1 > nforms) nforms = e + 1;
    }
    img_arena a;
    img_arena_init(&a, sizeof(bt_lexicon) + 16 * 16 +
                       (im->nconcepts + 1) * sizeof(bt_concept) +
                       (nforms + 3 * np + 3 + im->abbrevs_cap + im->nexp) * sizeof(char *) +
                       im->phrases_cap * sizeof(phrase_entry));
    bt_lexicon *lex = img_alloc(&a, sizeof *lex);
    lex->nconcepts = im->nconcepts;
    lex->nprimary = np;
    lex->concepts = img_alloc(&a, (im->nconcepts ? im->nconcepts : 1) * sizeof *lex->concepts);
    for (size_t i = 0; i < im->nconcepts; i++) {
        const lex_image_concept *c = &im->concepts[i];
        lex->concepts[i] = (bt_concept){ c->id, (bt_term_kind)c->kind, img_str(im, c->vi),
                                         img_str(im, c->en_official), img_str(im, c->source),
                                         c->position, c->body };
    }
    char **forms = img_strs(im, &a, im->forms, nforms);
    lex->vi_forms = img_alloc(&a, (np ? np : 1) * sizeof *lex->vi_forms);
    lex->en_forms = img_alloc(&a, (np ? np : 1) * sizeof *lex->en_forms);
    for (size_t i = 0; i < np; i++) {
        lex->vi_forms[i] = forms + im->vi_forms[i];
        lex->en_forms[i] = forms + im->en_forms[i];
    }
    lex->combines = img_strs(im, &a, im->combines, np);
    lex->pos_ids = (int *)(uintptr_t)im->pos_ids;
    lex->body_ids = (int *)(uintptr_t)im->body_ids;
    lex->npos = im->npos;
    lex->nbody = im->nbody;
    lex->pos_index = (int *)(uintptr_t)im->pos_index;
    lex->body_index = (int *)(uintptr_t)im->body_index;
    lex->pos_compat = (unsigned char *)(uintptr_t)im->pos_compat;
    img_ptable(im, &a, im->phrases, im->phrases_cap, im->phrases_n, &lex->phrases);
    lex->hits = (phrase_hit *)(uintptr_t)im->hits;
    lex->nhits = lex->hcap = im->nhits;
    img_smap(im, &a, im->abbrev_keys, im->abbrev_vals, im->abbrevs_cap, im->abbrevs_n,
             &lex->abbrevs);
    lex->expansions = img_strs(im, &a, im->expansions, im->nexp);
    lex->nexp = lex->expcap = im->nexp;
    lex->max_tokens = im->max_tokens;
    lex->built = 1;
    return lex;
}

/* The caption words, joined as lex_words_load leaves them. */
static void img_words(const lex_image *im, bt_lexicon *lex)
{
    img_arena a;
    img_arena_init(&a, 16 * 4 + im->words_cap * sizeof(phrase_entry) +
                       (im->ndict + 1) * sizeof(dict_entry) + im->vocab_cap * sizeof(char *));
    img_ptable(im, &a, im->words, im->words_cap, im->words_n, &lex->words);
    lex->dict_v = im->dict ? img_alloc(&a, (im->ndict ? im->ndict : 1) * sizeof *lex->dict_v)
                           : NULL;
    for (size_t i = 0; im->dict && i < im->ndict; i++) {
        const lex_image_dict *d = &im->dict[i];
        lex->dict_v[i] = (dict_entry){ d->ntok, d->function, img_str(im, d->en),
                                       img_str(im, d->form), img_str(im, d->en_any), d->next };
    }
    lex->ndict = lex->dictcap = im->ndict;
    img_smap(im, &a, im->vocab_keys, im->vocab_vals, im->vocab_cap, im->vocab_n, &lex->en_vocab);
    lex->words_max_tokens = im->words_max_tokens;
    lex->words_joined = 1;
}

/* ---- a lexicon of one's own, from the image ---- */

static char *own_str(const lex_image *im, uint32_t off)
{
    return off ? bt_xstrdup(im->pool + off) : NULL;
}

static void *own_copy(const void *p, size_t n)
{
    if (!p) return NULL;
    void *q = bt_xmalloc(n ? n : 1);
    memcpy(q, p, n);
    return q;
}

static void own_ptable(const lex_image *im, const lex_image_entry *v, size_t cap, size_t n,
                       phrase_table *t)
{
    t->cap = cap;
    t->n = n;
    t->v = v ? bt_xcalloc(cap, sizeof *t->v) : NULL;
    for (size_t i = 0; v && i < cap; i++)
        if (v[i].key) {
            char *k = own_str(im, v[i].key);
            t->v[i] = (phrase_entry){ v[i].h, k, v[i].head, v[i].dict, v[i].phrase_prefix,
                                      v[i].dict_prefix, lex_key_len(k) };
        }
}

static void own_smap(const lex_image *im, const uint32_t *keys, const int *vals, size_t cap,
                     size_t n, smap *m)
{
    m->cap = cap;
    m->n = n;
    m->keys = keys ? bt_xcalloc(cap, sizeof *m->keys) : NULL;
    m->vals = own_copy(vals, cap * sizeof *vals);
    for (size_t i = 0; keys && i < cap; i++) m->keys[i] = own_str(im, keys[i]);
}

static char **own_forms(const lex_image *im, const uint32_t *list)
{
    size_t n = 0;
    while (list[n]) n++;
    char **v = bt_xmalloc((n + 1) * sizeof *v);
    for (size_t i = 0; i < n; i++) v[i] = own_str(im, list[i]);
    v[n] = NULL;
    return v;
}

/* The image copied into memory of the lexicon's own, every string and
 * table allocated as lexicon_build and lex_words_load allocate them (and
 * shared where they share them), so that words added later and
 * bt_lexicon_free treat it as one built from the data. */
static bt_lexicon *img_lexicon_own(const lex_image *im)
{
    bt_lexicon *lex = bt_xcalloc(1, sizeof *lex);
    size_t np = im->nprimary;
    lex->nconcepts = im->nconcepts;
    lex->nprimary = np;
    lex->vi_forms = bt_xmalloc((np ? np : 1) * sizeof *lex->vi_forms);
    lex->en_forms = bt_xmalloc((np ? np : 1) * sizeof *lex->en_forms);
    lex->combines = bt_xmalloc((np ? np : 1) * sizeof *lex->combines);
    lex->concepts = bt_xmalloc((im->nconcepts ? im->nconcepts : 1) * sizeof *lex->concepts);
    for (size_t i = 0; i < im->nconcepts; i++) {
        const lex_image_concept *c = &im->concepts[i];
        bt_concept *d = &lex->concepts[i];
        *d = (bt_concept){ c->id, (bt_term_kind)c->kind, NULL, NULL, NULL, c->position, c->body };
        if (i < np) { /* its Vietnamese and English are its first forms */
            lex->vi_forms[i] = own_forms(im, im->forms + im->vi_forms[i]);
            lex->en_forms[i] = own_forms(im, im->forms + im->en_forms[i]);
            lex->combines[i] = im->combines ? own_str(im, im->combines[i]) : NULL;
            d->vi = c->vi == im->forms[im->vi_forms[i]] ? lex->vi_forms[i][0] : own_str(im, c->vi);
            d->en_official = c->en_official == im->forms[im->en_forms[i]]
                                 ? lex->en_forms[i][0] : own_str(im, c->en_official);
            d->source = own_str(im, c->source);
        } else { /* composed: its own words, the source of its position */
            d->vi = own_str(im, c->vi);
            d->en_official = own_str(im, c->en_official);
            d->source = c->position >= 0 && (size_t)c->position < np &&
                                c->source == im->concepts[c->position].source
                            ? lex->concepts[c->position].source
                            : own_str(im, c->source);
        }
    }
    lex->pos_ids = own_copy(im->pos_ids, im->npos * sizeof(int));
    lex->body_ids = own_copy(im->body_ids, im->nbody * sizeof(int));
    lex->npos = im->npos;
    lex->nbody = im->nbody;
    lex->pos_index = own_copy(im->pos_index, np * sizeof(int));
    lex->body_index = own_copy(im->body_index, np * sizeof(int));
    lex->pos_compat = own_copy(im->pos_compat, im->npos * im->npos + 1);
    own_ptable(im, im->phrases, im->phrases_cap, im->phrases_n, &lex->phrases);
    lex->hits = own_copy(im->hits, im->nhits * sizeof *im->hits);
    lex->nhits = lex->hcap = im->nhits;
    own_smap(im, im->abbrev_keys, im->abbrev_vals, im->abbrevs_cap, im->abbrevs_n,
             &lex->abbrevs);
    lex->expansions = im->expansions ? bt_xmalloc((im->nexp ? im->nexp : 1) * sizeof(char *))
                                     : NULL;
    for (size_t i = 0; i < im->nexp; i++) lex->expansions[i] = own_str(im, im->expansions[i]);
    lex->nexp = lex->expcap = im->nexp;
    lex->max_tokens = im->max_tokens;
    lex->built = 1;
    own_ptable(im, im->words, im->words_cap, im->words_n, &lex->words);
    lex->dict_v = im->dict ? bt_xmalloc((im->ndict ? im->ndict : 1) * sizeof *lex->dict_v) : NULL;
    for (size_t i = 0; im->dict && i < im->ndict; i++) {
        const lex_image_dict *d = &im->dict[i];
        dict_entry *e = &lex->dict_v[i];
        *e = (dict_entry){ d->ntok, d->function, own_str(im, d->en), own_str(im, d->form), NULL,
                           d->next };
        e->en_any = d->en_any == d->en ? e->en : own_str(im, d->en_any);
    }
    lex->ndict = lex->dictcap = im->ndict;
    own_smap(im, im->vocab_keys, im->vocab_vals, im->vocab_cap, im->vocab_n, &lex->en_vocab);
    lex->words_max_tokens = im->words_max_tokens;
    lex->words_joined = 1;
    lex->own = 1;
    return lex;
}

static bt_lexicon *default_lex;
static pthread_once_t default_once = PTHREAD_ONCE_INIT;
static void default_init(void)
{
    default_lex = &bt_lexicon_image ? img_lexicon(&bt_lexicon_image) : lexicon_build();
}

/* The default lexicon's caption words, some 15,000 rows, are made the
 * first time a caption is weighed: a look-up in the glossary answers
 * without them. */
static pthread_once_t words_once = PTHREAD_ONCE_INIT;
static void words_init(void)
{
    if (&bt_lexicon_image) img_words(&bt_lexicon_image, default_lex);
    else lex_words_load(default_lex);
}

void lex_words_ready(const bt_lexicon *lex)
{
    if (lex->own) return; /* read when it was made */
    pthread_once(&words_once, words_init);
}

bt_lexicon *bt_lexicon_new(void)
{
    if (&bt_lexicon_image) return img_lexicon_own(&bt_lexicon_image);
    bt_lexicon *lex = lexicon_build();
    lex_words_load(lex);
    lex->own = 1;
    return lex;
}

static void ptable_free(phrase_table *t)
{
    for (size_t i = 0; i < t->cap; i++) free(t->v[i].key);
    free(t->v);
}

static void forms_free(char **v)
{
    if (!v) return;
    for (char **f = v; *f; f++) free(*f);
    free(v);
}

void bt_lexicon_free(bt_lexicon *lex)
{
    if (!lex || !lex->own) return; /* the default one lives as long as the process */
    for (size_t i = 0; i < lex->nprimary; i++) {
        forms_free(lex->vi_forms[i]);
        forms_free(lex->en_forms[i]);
        free(lex->combines[i]);
        free((char *)(uintptr_t)lex->concepts[i].source);
    }
    for (size_t i = lex->nprimary; i < lex->nconcepts; i++) {
        free((char *)(uintptr_t)lex->concepts[i].vi);
        free((char *)(uintptr_t)lex->concepts[i].en_official);
    }
    free(lex->vi_forms);
    free(lex->en_forms);
    free(lex->combines);
    free(lex->concepts);
    free(lex->pos_ids);
    free(lex->body_ids);
    free(lex->pos_index);
    free(lex->body_index);
    free(lex->pos_compat);
    ptable_free(&lex->phrases);
    free(lex->hits);
    for (size_t i = 0; i < lex->abbrevs.cap; i++) free(lex->abbrevs.keys[i]);
    free(lex->abbrevs.keys);
    free(lex->abbrevs.vals);
    for (size_t i = 0; i < lex->en_vocab.cap; i++) free(lex->en_vocab.keys[i]);
    free(lex->en_vocab.keys);
    free(lex->en_vocab.vals);
    for (size_t i = 0; i < lex->nexp; i++) free(lex->expansions[i]);
    free(lex->expansions);
    ptable_free(&lex->words);
    for (size_t i = 0; i < lex->ndict; i++) {
        dict_entry *d = &lex->dict_v[i];
        if (d->en_any && d->en_any != d->en) free(d->en_any);
        free(d->en);
        free(d->form);
    }
    free(lex->dict_v);
    free(lex);
}

const bt_lexicon *bt_lexicon_default(void)
{
    pthread_once(&default_once, default_init);
    return default_lex;
}

size_t bt_lexicon_size(const bt_lexicon *lex) { return lex->nconcepts; }

const bt_concept *bt_lexicon_concept(const bt_lexicon *lex, int id)
{
    if (id < 0 || (size_t)id >= lex->nconcepts) return NULL;
    return &lex->concepts[id];
}

int bt_lexicon_same(const bt_lexicon *lex, int a, int b)
{
    if (a == b) return 1;
    if (a < 0 || b < 0) return 0;
    size_t np = lex->nprimary;
    if ((size_t)a >= np && (size_t)b >= np) {
        size_t ia = (size_t)a - np, ib = (size_t)b - np;
        if (ia % lex->nbody != ib % lex->nbody) return 0;
        return lex->pos_compat[(ia / lex->nbody) * lex->npos + ib / lex->nbody];
    }
    /* a stand-alone title and the same words composed (Bí thư + Trung ương
     * Đảng = Bí thư Trung ương Đảng) are one concept */
    const bt_concept *ca = &lex->concepts[a], *cb = &lex->concepts[b];
    return !strcasecmp(ca->vi, cb->vi) || !strcasecmp(ca->en_official, cb->en_official);
}

void bt_lexicon_each(const bt_lexicon *lex, bt_lexicon_row_fn fn, void *ud)
{
    for (size_t i = 0; i < lex->nprimary; i++) {
        if (lex->pos_index[i] >= 0) continue; /* positions come composed */
        const bt_concept *c = &lex->concepts[i];
        for (char **v = lex->vi_forms[i]; *v; v++)
            for (char **e = lex->en_forms[i]; *e; e++)
                fn(ud, *v, *e, c->kind, e == lex->en_forms[i], c->source);
    }
    /* the usual combinations of positions and bodies */
    bt_buf vi, en;
    bt_buf_init(&vi);
    bt_buf_init(&en);
    for (size_t p = 0; p < lex->npos; p++) {
        int pid = lex->pos_ids[p];
        const char *comb = lex->combines[pid];
        if (!comb || !*comb) continue;
        for (size_t q = 0; q < lex->nbody; q++) {
            int bid = lex->body_ids[q];
            const char *bvi = lex->concepts[bid].vi;
            int ok = 0;
            for (const char *c = comb; *c && !ok;) {
                const char *bar = strchr(c, '|');
                size_t l = bar ? (size_t)(bar - c) : strlen(c);
                ok = !strncmp(bvi, c, l) && (bvi[l] == ' ' || bvi[l] == '\0');
                c += l + (bar ? 1 : 0);
            }
            if (!ok) continue;
            const bt_concept *cc = &lex->concepts[lex->nprimary + p * lex->nbody + q];
            for (char **pe = lex->en_forms[pid]; *pe; pe++) {
                bt_buf_reset(&en);
                bt_buf_adds(&en, *pe);
                bt_buf_adds(&en, " of the ");
                bt_buf_adds(&en, lex->concepts[bid].en_official);
                fn(ud, cc->vi, en.ptr, BT_TERM_TITLE, pe == lex->en_forms[pid], cc->source);
            }
            (void)vi;
        }
    }
    bt_buf_free(&vi);
    bt_buf_free(&en);
}

/* ---- abbreviations, for other modules ---- */

typedef struct abbrev_thunk {
    bt_lexicon_abbrev_fn fn;
    void *ud;
} abbrev_thunk;

static void call_abbrev(void *ud, char **cols, int nc)
{
    abbrev_thunk *t = ud;
    if (nc >= 2) t->fn(t->ud, cols[0], cols[1]);
}

void bt_lexicon_each_abbrev(const bt_lexicon *lex, bt_lexicon_abbrev_fn fn, void *ud)
{
    /* the rows the lexicon was built from, as written: a reader that folds
     * differently (glossary keys) folds them its own way */
    (void)lex;
    abbrev_thunk t = { fn, ud };
    lex_embedded_rows("abbreviations.tsv", call_abbrev, &t);
}
