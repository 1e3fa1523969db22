/* lexicon_image.c - build tool: the default lexicon built as bitext builds
 * it at run time (lex_build_default: the data files and data/dict/ compiled
 * into libbitext.a, folded, hashed and joined), written out as C data, so
 * that bitext starts with its tables made (bt_lexicon_image, used by
 * bt_lexicon_default). Usage: lexicon_image > out.c
 *
 * The image is the built tables as they are, the hash tables' slots where
 * they fell, and a string stands once for each pointer to it: two fields
 * sharing a string at run time (a concept's Vietnamese and its first form)
 * share it in the image. tests/unit/test_lexicon_image.c compares the two. */
#include "../align/lexicon_table_int.h"
#include "../gloss/lookup_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- strings: one copy per distinct pointer, in one pool ---- */

typedef struct strmap {
    const char **ptr;
    size_t *off;
    size_t cap, n;
} strmap;

static strmap strs;
static bt_buf pool;
static size_t keyed_cap[2], keyed_rows[2];

static size_t ptr_slot(const char *p)
{
    uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ULL;
    size_t i = (size_t)(h >> 20) & (strs.cap - 1);
    while (strs.ptr[i] && strs.ptr[i] != p) i = (i + 1) & (strs.cap - 1);
    return i;
}

/* The pool offset of string p (added on first sight). */
static size_t str_off(const char *p)
{
    if ((strs.n + 1) * 2 > strs.cap) {
        strmap old = strs;
        strs.cap = old.cap ? old.cap * 2 : 4096;
        strs.ptr = bt_xcalloc(strs.cap, sizeof *strs.ptr);
        strs.off = bt_xcalloc(strs.cap, sizeof *strs.off);
        for (size_t i = 0; i < old.cap; i++)
            if (old.ptr[i]) {
                size_t j = ptr_slot(old.ptr[i]);
                strs.ptr[j] = old.ptr[i];
                strs.off[j] = old.off[i];
            }
        free(old.ptr);
        free(old.off);
    }
    size_t i = ptr_slot(p);
    if (!strs.ptr[i]) {
        strs.ptr[i] = p;
        strs.off[i] = pool.len;
        bt_buf_add(&pool, p, strlen(p) + 1);
        strs.n++;
    }
    return strs.off[i];
}

/* A string as its pool offset, 0 for NULL. */
static void put_str(FILE *o, const char *p)
{
    fprintf(o, "%zu", p ? str_off(p) : 0);
}

/* ---- the tables ---- */

static void put_ints(FILE *o, const char *name, const int *v, size_t n)
{
    if (!v) return;
    fprintf(o, "static const int %s[%zu] = {", name, n ? n : 1);
    for (size_t i = 0; i < n; i++) fprintf(o, "%s%d,", i % 20 ? "" : "\n", v[i]);
    fputs("};\n", o);
}

static void put_strs(FILE *o, const char *name, char **v, size_t n)
{
    if (!v) return;
    fprintf(o, "static const uint32_t %s[%zu] = {", name, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        fputs(i % 10 ? "" : "\n", o);
        put_str(o, v[i]);
        fputc(',', o);
    }
    fputs("};\n", o);
}

/* Every primary concept's Vietnamese forms, then its English ones, as
 * lists ended by 0 in F; VF and EF index each concept's lists. */
static void put_forms(FILE *o, const bt_lexicon *lex)
{
    size_t np = lex->nprimary, at = 0;
    bt_buf vf, ef;
    bt_buf_init(&vf);
    bt_buf_init(&ef);
    fputs("static const uint32_t F[] = {\n", o);
    for (size_t i = 0; i < np; i++)
        for (int side = 0; side < 2; side++) {
            bt_buf_printf(side ? &ef : &vf, "%zu,%s", at, i % 10 == 9 ? "\n" : "");
            for (char **f = (side ? lex->en_forms : lex->vi_forms)[i]; *f; f++, at++) {
                put_str(o, *f);
                fputc(',', o);
            }
            fputs("0,\n", o);
            at++;
        }
    fputs("0};\n", o);
    fprintf(o, "static const uint32_t VF[%zu] = {\n%s};\n", np ? np : 1, vf.len ? vf.ptr : "0");
    fprintf(o, "static const uint32_t EF[%zu] = {\n%s};\n", np ? np : 1, ef.len ? ef.ptr : "0");
    bt_buf_free(&vf);
    bt_buf_free(&ef);
}

static void put_ptable(FILE *o, const char *name, const phrase_table *t)
{
    if (!t->v) return;
    fprintf(o, "static const lex_image_entry %s[%zu] = {\n", name, t->cap);
    for (size_t i = 0; i < t->cap; i++) {
        const phrase_entry *e = &t->v[i];
        if (!e->key) continue; /* an empty slot, all zero */
        fprintf(o, "[%zu]={%" PRIu64 "u,", i, e->h);
        put_str(o, e->key);
        fprintf(o, ",%d,%d,%u,%u},\n", e->head, e->dict, e->phrase_prefix, e->dict_prefix);
    }
    fputs("};\n", o);
}

static void put_smap(FILE *o, const char *name, const smap *m)
{
    if (!m->keys) return;
    fprintf(o, "static const uint32_t %s_keys[%zu] = {\n", name, m->cap);
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i]) {
            fprintf(o, "[%zu]=", i);
            put_str(o, m->keys[i]);
            fputs(",\n", o);
        }
    fputs("};\n", o);
    fprintf(o, "static const int %s_vals[%zu] = {\n", name, m->cap);
    for (size_t i = 0; i < m->cap; i++)
        if (m->vals[i]) fprintf(o, "[%zu]=%d,\n", i, m->vals[i]);
    fputs("};\n", o);
}

/* A pool of strings as a C string literal named name. */
static void put_bytes(FILE *o, const char *name, const char *p, size_t n)
{
    fprintf(o, "static const char %s[%zu] =\n\"", name, n ? n : 1);
    size_t col = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '"' || c == '\\') col += (size_t)fprintf(o, "\\%c", c);
        else if (c >= 32 && c < 127 && c != '?') { fputc(c, o); col++; }
        else col += (size_t)fprintf(o, "\\%03o", c);
        if (col >= 100 && i + 1 < n) { fputs("\"\n\"", o); col = 0; }
    }
    fputs("\";\n", o);
}

/* The look-ups' rows by key (gloss/lookup.c), both directions. */
static void put_keyed(FILE *o)
{
    for (int r = 0; r < 2; r++) {
        lex_keyed_table t;
        lex_keyed_make(bt_lexicon_default(), r, &t);
        char name[16];
        snprintf(name, sizeof name, "KP%d", r);
        put_bytes(o, name, t.pool, t.pool_len);
        fprintf(o, "static const lex_keyed_slot KS%d[%zu] = {\n", r, t.cap);
        for (size_t i = 0; i < t.cap; i++) {
            const lex_keyed_slot *sl = &t.slots[i];
            if (sl->key)
                fprintf(o, "[%zu]={%" PRIu64 "u,%u,%u,{%uu,%uu}},\n", i, sl->h, sl->key, sl->len,
                        sl->first[0], sl->first[1]);
        }
        fputs("};\n", o);
        fprintf(o, "static const lex_keyed_row KR%d[%zu] = {\n", r, t.nrows ? t.nrows : 1);
        for (size_t i = 0; i < t.nrows; i++) {
            const lex_keyed_row *x = &t.rows[i];
            fprintf(o, "{%u,%u,%d,%d,%uu},\n", x->vi, x->en, x->kind, x->preferred, x->next);
        }
        fputs("};\n", o);
        keyed_cap[r] = t.cap;
        keyed_rows[r] = t.nrows;
        free((char *)(uintptr_t)t.pool);
        free((void *)(uintptr_t)t.slots);
        free((void *)(uintptr_t)t.rows);
    }
    fprintf(o, "const lex_keyed_image bt_gloss_lexicon_keyed = {{\n"
               "{KP0, sizeof KP0, KS0, %zu, KR0, %zu},\n"
               "{KP1, sizeof KP1, KS1, %zu, KR1, %zu},\n}};\n",
            keyed_cap[0], keyed_rows[0], keyed_cap[1], keyed_rows[1]);
}

/* The glossary keys' abbreviations (gloss/key.c), in a pool of their own. */
typedef struct abbrev_out {
    bt_buf pool, rows;
    size_t n;
} abbrev_out;

static void abbrev_row(void *ud, const char *abbr, const char *folded, const char *accented)
{
    abbrev_out *a = ud;
    const char *s[3] = { abbr, folded, accented };
    bt_buf_printf(&a->rows, "{");
    for (int i = 0; i < 3; i++) {
        bt_buf_printf(&a->rows, "%s%zu", i ? "," : "", a->pool.len);
        bt_buf_add(&a->pool, s[i], strlen(s[i]) + 1);
    }
    bt_buf_printf(&a->rows, "},\n");
    a->n++;
}

static void put_abbrevs(FILE *o)
{
    abbrev_out a;
    bt_buf_init(&a.pool);
    bt_buf_init(&a.rows);
    a.n = 0;
    gloss_abbrevs_make(abbrev_row, &a);
    put_bytes(o, "GA", a.pool.ptr ? a.pool.ptr : "", a.pool.len);
    fprintf(o, "static const gloss_abbrev_row GAR[%zu] = {\n%s};\n", a.n ? a.n : 1,
            a.rows.ptr ? a.rows.ptr : "");
    fprintf(o, "const gloss_abbrev_image bt_gloss_abbrevs_image = { GA, GAR, %zu };\n", a.n);
    bt_buf_free(&a.pool);
    bt_buf_free(&a.rows);
}

int main(void)
{
    bt_lexicon *lex = lex_build_default();
    bt_buf_init(&pool);
    bt_buf_add(&pool, "", 1); /* offset 0 is NULL */
    /* the tables first, into memory: the pool they point into is
     * written before them */
    char *body = NULL;
    size_t blen = 0;
    FILE *o = open_memstream(&body, &blen);
    if (!o) return 1;

    size_t np = lex->nprimary;
    fprintf(o, "static const lex_image_concept C[%zu] = {\n", lex->nconcepts ? lex->nconcepts : 1);
    for (size_t i = 0; i < lex->nconcepts; i++) {
        const bt_concept *c = &lex->concepts[i];
        fprintf(o, "{%d,%d,", c->id, (int)c->kind);
        put_str(o, c->vi);
        fputc(',', o);
        put_str(o, c->en_official);
        fputc(',', o);
        put_str(o, c->source);
        fprintf(o, ",%d,%d},\n", c->position, c->body);
    }
    fputs("};\n", o);
    put_forms(o, lex);
    put_strs(o, "CB", lex->combines, np);
    put_ints(o, "POS", lex->pos_ids, lex->npos);
    put_ints(o, "BODY", lex->body_ids, lex->nbody);
    put_ints(o, "PIDX", lex->pos_index, np);
    put_ints(o, "BIDX", lex->body_index, np);
    size_t ncompat = lex->npos * lex->npos + 1;
    fprintf(o, "static const unsigned char PC[%zu] = {", ncompat);
    for (size_t i = 0; i < ncompat; i++)
        fprintf(o, "%s%u,", i % 40 ? "" : "\n", lex->pos_compat[i]);
    fputs("};\n", o);
    put_ptable(o, "PH", &lex->phrases);
    if (lex->hits) {
        fprintf(o, "static const phrase_hit HI[%zu] = {\n", lex->nhits ? lex->nhits : 1);
        for (size_t i = 0; i < lex->nhits; i++) {
            const phrase_hit *h = &lex->hits[i];
            fprintf(o, "{%d,%d,%d,%d,%d},\n", h->id, h->role, h->lang, h->ntok, h->next);
        }
        fputs("};\n", o);
    }
    put_smap(o, "AB", &lex->abbrevs);
    put_strs(o, "EX", lex->expansions, lex->nexp);
    put_ptable(o, "WD", &lex->words);
    if (lex->dict_v) {
        fprintf(o, "static const lex_image_dict DV[%zu] = {\n", lex->ndict ? lex->ndict : 1);
        for (size_t i = 0; i < lex->ndict; i++) {
            const dict_entry *d = &lex->dict_v[i];
            fprintf(o, "{%d,%d,", d->ntok, d->function);
            put_str(o, d->en);
            fputc(',', o);
            put_str(o, d->form);
            fputc(',', o);
            put_str(o, d->en_any);
            fprintf(o, ",%d},\n", d->next);
        }
        fputs("};\n", o);
    }
    put_smap(o, "EV", &lex->en_vocab);

#define OR0(p, x) ((p) ? (x) : "0")
    fputs("const lex_image bt_lexicon_image = {\n.pool=S,\n", o);
    fprintf(o, ".concepts=C, .nconcepts=%zu, .nprimary=%zu,\n", lex->nconcepts, np);
    fprintf(o, ".forms=F, .vi_forms=VF, .en_forms=EF, .combines=%s,\n",
            OR0(lex->combines, "CB"));
    fprintf(o, ".pos_ids=%s, .body_ids=%s, .npos=%zu, .nbody=%zu,\n",
            OR0(lex->pos_ids, "POS"), OR0(lex->body_ids, "BODY"), lex->npos, lex->nbody);
    fprintf(o, ".pos_index=%s, .body_index=%s, .pos_compat=PC,\n",
            OR0(lex->pos_index, "PIDX"), OR0(lex->body_index, "BIDX"));
    fprintf(o, ".phrases=%s, .phrases_cap=%zu, .phrases_n=%zu,\n", OR0(lex->phrases.v, "PH"),
            lex->phrases.cap, lex->phrases.n);
    fprintf(o, ".hits=%s, .nhits=%zu,\n", OR0(lex->hits, "HI"), lex->nhits);
    fprintf(o, ".abbrev_keys=%s, .abbrev_vals=%s, .abbrevs_cap=%zu, .abbrevs_n=%zu,\n",
            OR0(lex->abbrevs.keys, "AB_keys"), OR0(lex->abbrevs.keys, "AB_vals"),
            lex->abbrevs.cap, lex->abbrevs.n);
    fprintf(o, ".expansions=%s, .nexp=%zu, .max_tokens=%d,\n", OR0(lex->expansions, "EX"),
            lex->nexp, lex->max_tokens);
    fprintf(o, ".words=%s, .words_cap=%zu, .words_n=%zu,\n", OR0(lex->words.v, "WD"),
            lex->words.cap, lex->words.n);
    fprintf(o, ".dict=%s, .ndict=%zu,\n", OR0(lex->dict_v, "DV"), lex->ndict);
    fprintf(o, ".vocab_keys=%s, .vocab_vals=%s, .vocab_cap=%zu, .vocab_n=%zu,\n",
            OR0(lex->en_vocab.keys, "EV_keys"), OR0(lex->en_vocab.keys, "EV_vals"),
            lex->en_vocab.cap, lex->en_vocab.n);
    fprintf(o, ".words_max_tokens=%d,\n};\n", lex->words_max_tokens);
    fclose(o);

    printf("/* generated by tools/lexicon_image.c from data/ - do not edit */\n");
    printf("#include \"lexicon_table_int.h\"\n#include \"lookup_int.h\"\n");
    put_bytes(stdout, "S", pool.ptr, pool.len);
    fwrite(body, 1, blen, stdout);
    put_keyed(stdout);
    put_abbrevs(stdout);
    free(body);
    lex->own = 1; /* freed as bt_lexicon_new's, for the leak checker */
    bt_lexicon_free(lex);
    bt_buf_free(&pool);
    free(strs.ptr);
    free(strs.off);
    return ferror(stdout) || fflush(stdout) ? 1 : 0;
}
