/* pair_evidence.c - the reasons behind a pair's judgement, for the person
 * who reviews it (bt_pair_evidence): each input of the caption judge
 * (cap_weigh, cap_judge_inputs) with its fitted weight, and the words
 * behind each count. No rule of the judge is repeated here: which names,
 * words, titles and numbers one side lacks is found by weighing each alone
 * against the other side with cap_weigh itself. And the photo credit that
 * ends a text, as credit.c reads credits, for splitting it off. */
#include "caption_int.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the weights: the judge's own table (data/judge.tsv) ---- */

_Static_assert((int)JF_COUNT <= (int)BT_EVIDENCE_MAX, "every input of the judge is a reason");

static double weight[JF_COUNT];
static pthread_once_t weight_once = PTHREAD_ONCE_INIT;

static void weight_row(void *ud, char **cols, int nc)
{
    for (int k = 0; k < JF_COUNT && nc >= 2; k++)
        if (!strcmp(cols[0], cap_judge_feature_names[k])) weight[k] = strtod(cols[1], NULL);
}

static void weight_load(void) { lex_embedded_rows("judge.tsv", weight_row, NULL); }

/* ---- a credit at the end of a text ---- */

static int is_sep(char c) { return c == ' ' || c == '-' || c == '|' || c == ',' || c == '('; }

/* The first word from which the rest of s is a credit (written as credits
 * open: "Ảnh", "Photo", ...; and a credit by credit_kind), after some
 * caption text. */
static void find_credit(bt_lang lang, const char *s, bt_evidence *ev, int k)
{
    if (!s) return;
    size_t len = strlen(s);
    bt_buf key, scratch;
    bt_buf_init(&key);
    bt_buf_init(&scratch);
    for (size_t p = 1; p < len; p++) {
        /* at a word, or inside the parenthesis that opens one */
        if (s[p] == '(' || (s[p - 1] != ' ' && !(s[p - 1] == '(' && p >= 2 && s[p - 2] == ' ')))
            continue;
        bt_line l = { .text = (char *)(uintptr_t)(s + p), .len = len - p, .lang = lang };
        if (!credit_line_opens(&l)) continue;
        size_t from = s[p - 1] == '(' ? p - 1 : p;
        bt_buf_reset(&key);
        if (credit_kind(lang, s + from, len - from, &key, &scratch) == CREDIT_NONE) continue;
        size_t cap = from;
        while (cap && is_sep(s[cap - 1])) cap--;
        if (!cap) break;
        /* the credit without its parentheses or a closing full stop */
        size_t end = len;
        while (end > p && (s[end - 1] == ' ' || s[end - 1] == '.' || s[end - 1] == ')')) end--;
        ev->caption_len[k] = cap;
        ev->credit_at[k] = p;
        ev->credit_len[k] = end - p;
        break;
    }
    bt_buf_free(&key);
    bt_buf_free(&scratch);
}

/* ---- the words behind the counts ---- */

/* A piece of one side weighed alone against the whole other side. */
static void weigh_piece(const bt_lexicon *lex, const char *vi, size_t vl, const char *en,
                        size_t el, pair_features *f)
{
    char *v = bt_xstrndup(vi, vl), *e = bt_xstrndup(en, el);
    seg g[2];
    side sd[2];
    cap_pair_sides(lex, v, e, g, sd);
    cap_weigh(lex, &sd[0], &sd[1], f);
    cap_pair_sides_free(g, sd);
    free(v);
    free(e);
}

/* A list of words as a person reads it: the first few, then how many
 * more. */
enum { SHOWN = 4 };
typedef struct wlist {
    bt_buf b;
    int n;
} wlist;

static void wl_add(wlist *w, const char *s, size_t len, const char *gloss)
{
    if (w->n++ >= SHOWN) return;
    if (w->b.len) bt_buf_adds(&w->b, ", ");
    bt_buf_addc(&w->b, '"');
    bt_buf_add(&w->b, s, len);
    bt_buf_addc(&w->b, '"');
    if (gloss && *gloss) {
        /* the first English of a caption word ("conference|meeting") */
        size_t gl = strcspn(gloss, "|");
        bt_buf_adds(&w->b, " (");
        for (size_t i = 0; i < gl; i++)
            if (gloss[i] != '$') bt_buf_addc(&w->b, gloss[i]);
        bt_buf_addc(&w->b, ')');
    }
}

/* w's words after a label into out: ". LABEL: a, b and 3 more", or "; "
 * before the label when out has grown since from (a list before it). */
static void wl_say(bt_buf *out, size_t from, const char *label, const wlist *w)
{
    if (!w->n) return;
    bt_buf_printf(out, "%s%s: %s", out->len > from ? "; " : ". ", label, w->b.ptr);
    if (w->n > SHOWN) bt_buf_printf(out, " and %d more", w->n - SHOWN);
}

/* ": a, b and 3 more" after what out says. */
static void wl_list(bt_buf *out, const wlist *w)
{
    if (!w->n) return;
    bt_buf_printf(out, ": %s", w->b.ptr);
    if (w->n > SHOWN) bt_buf_printf(out, " and %d more", w->n - SHOWN);
}

typedef struct lists {
    wlist names_both, names_vi, en_names, titles_both, titles_vi, titles_en, nums_both,
        nums_vi, words_hit, words_missed, en_hit, en_missed, unknown;
} lists;

static const char *span(const seg *g, size_t from, size_t to, size_t *len)
{
    *len = to > from ? to - from : 0;
    return g->text + from;
}

static void find_lists(const bt_lexicon *lex, const seg g[2], const side sd[2], lists *L)
{
    const side *vi = &sd[0], *en = &sd[1];
    const lex_tokens *vt = &vi->t, *et = &en->t;
    pair_features f;
    size_t len;
    const char *s;
    for (size_t i = 0; i < vt->n;) {
        size_t j = i + 1;
        if (vi->role[i] == 2) { /* a name */
            /* one name: its words written one space apart, as the judge
             * runs them (a name after a parenthesis is another) */
            while (j < vt->n && vi->role[j] == 2 && vt->v[j].start <= vt->v[j - 1].end + 1) j++;
            s = span(&g[0], vt->v[i].start, vt->v[j - 1].end, &len);
            /* a name inside the sentence is weighed after a word, not as
             * one that opens it (a capital there may be an ordinary word) */
            bt_buf piece;
            bt_buf_init(&piece);
            if (i) bt_buf_adds(&piece, "x ");
            bt_buf_add(&piece, s, len);
            weigh_piece(lex, piece.ptr, piece.len, g[1].text, g[1].len, &f);
            bt_buf_free(&piece);
            if (f.names) wl_add(f.names_hit ? &L->names_both : &L->names_vi, s, len, NULL);
        } else if (vi->role[i] == 3) { /* a caption word, or a word borrowed */
            size_t n = vi->dict_n[i];
            if (n && i + n <= vt->n) j = i + n;
            if (!(n && vi->dict_fn[i])) {
                s = span(&g[0], vt->v[i].start, vt->v[j - 1].end, &len);
                weigh_piece(lex, s, len, g[1].text, g[1].len, &f);
                if (f.words)
                    wl_add(f.words_hit ? &L->words_hit : &L->words_missed, s, len,
                           n ? vi->dict_en[i] : NULL);
            }
        } else if (!vi->role[i] && !vt->v[i].digit) {
            s = span(&g[0], vt->v[i].start, vt->v[i].end, &len);
            wl_add(&L->unknown, s, len, NULL);
        }
        i = j;
    }
    for (size_t a = 0; a < vi->nm; a++) {
        if (vi->m[a].kind == BT_TERM_PLACE) continue;
        s = span(&g[0], vi->m[a].start, vi->m[a].end, &len);
        weigh_piece(lex, s, len, g[1].text, g[1].len, &f);
        wl_add(f.titles_hit ? &L->titles_both : &L->titles_vi, s, len, NULL);
    }
    for (size_t b = 0; b < en->nm; b++) {
        if (en->m[b].kind == BT_TERM_PLACE) continue;
        s = span(&g[1], en->m[b].start, en->m[b].end, &len);
        weigh_piece(lex, g[0].text, g[0].len, s, len, &f);
        if (f.en_titles_extra) wl_add(&L->titles_en, s, len, NULL);
    }
    for (size_t q = 0; q < vi->nqty; q++) {
        if (vi->qty[q].spelled) continue;
        s = span(&g[0], vi->qty[q].start, vi->qty[q].end, &len);
        weigh_piece(lex, s, len, g[1].text, g[1].len, &f);
        wl_add(f.nums_hit ? &L->nums_both : &L->nums_vi, s, len, NULL);
    }
    for (size_t i = 0; i < et->n;) {
        size_t j = i + 1;
        if (et->v[i].upper && en->role[i] != 1) { /* capitalised words: a name the Vietnamese lacks? */
            while (j < et->n && et->v[j].upper && !et->v[j].digit &&
                   et->v[j].start <= et->v[j - 1].end + 1)
                j++;
            s = span(&g[1], et->v[i].start, et->v[j - 1].end, &len);
            weigh_piece(lex, g[0].text, g[0].len, s, len, &f);
            if (f.en_names_extra) wl_add(&L->en_names, s, len, NULL);
        } else if (!et->v[i].digit && en->role[i] != 1) { /* an English word */
            s = span(&g[1], et->v[i].start, et->v[i].end, &len);
            weigh_piece(lex, g[0].text, g[0].len, s, len, &f);
            if (f.en_words) wl_add(f.en_words_hit ? &L->en_hit : &L->en_missed, s, len, NULL);
        }
        i = j;
    }
}

static void lists_free(lists *L)
{
    wlist *w = &L->names_both, *end = &L->unknown + 1;
    for (; w < end; w++) bt_buf_free(&w->b);
}

/* ---- the reasons ---- */

/* Copy s into a reason's text, cut at a character if it must be. */
static void put_says(bt_evidence_reason *r, const bt_buf *s)
{
    size_t n = s->len;
    if (n < sizeof r->says) {
        memcpy(r->says, s->ptr ? s->ptr : "", n);
        r->says[n] = '\0';
        return;
    }
    n = sizeof r->says - 4;
    while (n && ((unsigned char)s->ptr[n] & 0xC0) == 0x80) n--;
    memcpy(r->says, s->ptr, n);
    memcpy(r->says + n, "\xe2\x80\xa6", 4); /* … */
}

static const char *pl(int n) { return n == 1 ? "" : "s"; }

/* What input k says of this pair, in words. */
static void describe(int k, const pair_features *f, const lists *L, bt_buf *o)
{
    int said = f->names + f->vi_titles + f->en_titles + f->nums + f->words + f->en_words;
    int explained = f->names_hit + 2 * f->titles_hit + f->nums_hit + f->words_hit + f->en_words_hit;
    size_t at; /* where a case's lists begin */
    switch (k) {
    case JF_BIAS:
        bt_buf_adds(o, "where the judge starts, before any evidence");
        break;
    case JF_COVERAGE:
        bt_buf_printf(o, "of %d things either side says that the judge can read (names %d, "
                      "titles %d, numbers %d, Vietnamese syllables %d, English words %d), the "
                      "other side explains %d", said, f->names, f->vi_titles + f->en_titles,
                      f->nums, f->words, f->en_words, explained);
        at = o->len;
        wl_say(o, at, "names on both sides", &L->names_both);
        wl_say(o, at, "titles on both sides", &L->titles_both);
        wl_say(o, at, "numbers on both sides", &L->nums_both);
        break;
    case JF_UNEXPLAINED:
        bt_buf_printf(o, "%d things one side says that the other does not explain",
                      said - explained);
        at = o->len;
        wl_say(o, at, "names the English lacks", &L->names_vi);
        wl_say(o, at, "titles the English lacks", &L->titles_vi);
        wl_say(o, at, "numbers the English lacks", &L->nums_vi);
        break;
    case JF_WORDS_HIT_SHARE:
        bt_buf_printf(o, "%d of %d syllables of the Vietnamese words the lexicon reads have "
                      "their English here", f->words_hit, f->words);
        wl_list(o, &L->words_hit);
        break;
    case JF_WORDS_MISSED:
        bt_buf_printf(o, "%d syllables of Vietnamese words without their English here",
                      f->words - f->words_hit);
        wl_list(o, &L->words_missed);
        break;
    case JF_EN_WORDS_HIT_SHARE:
        bt_buf_printf(o, "%d of %d English content words are explained by the Vietnamese "
                      "words", f->en_words_hit, f->en_words);
        wl_list(o, &L->en_hit);
        break;
    case JF_EN_WORDS_MISSED:
        bt_buf_printf(o, "%d English word%s the Vietnamese does not explain",
                      f->en_words - f->en_words_hit, pl(f->en_words - f->en_words_hit));
        wl_list(o, &L->en_missed);
        break;
    case JF_NUMS_MISSED:
        bt_buf_printf(o, "%d number%s of the Vietnamese not in the English",
                      f->nums - f->nums_hit, pl(f->nums - f->nums_hit));
        wl_list(o, &L->nums_vi);
        break;
    case JF_EN_NAMES_EXTRA:
        bt_buf_printf(o, "%d name%s in the English that the Vietnamese lacks",
                      f->en_names_extra, pl(f->en_names_extra));
        wl_list(o, &L->en_names);
        break;
    case JF_TITLES_EXTRA:
        bt_buf_printf(o, "%d title%s on one side only", f->vi_titles_extra + f->en_titles_extra,
                      pl(f->vi_titles_extra + f->en_titles_extra));
        at = o->len;
        wl_say(o, at, "Vietnamese only", &L->titles_vi);
        wl_say(o, at, "English only", &L->titles_en);
        break;
    case JF_UNKNOWN_SHARE:
        bt_buf_printf(o, "%d of %d Vietnamese words are read by no rule (the lexicon lacks "
                      "them)", f->vi_unknown, f->vi_tokens);
        wl_list(o, &L->unknown);
        break;
    case JF_EN_LONGER:
        bt_buf_printf(o, "the English is %.1f times as long as a translation of the Vietnamese "
                      "would be", f->ratio);
        break;
    case JF_EN_SHORTER:
        bt_buf_printf(o, "the English is shorter than a translation of the Vietnamese would be "
                      "(%.0f%% of it)", 100 * f->ratio);
        break;
    }
}

static int by_size(const void *a, const void *b)
{
    const bt_evidence_reason *p = a, *q = b;
    double x = fabs(p->contribution), y = fabs(q->contribution);
    return x < y ? 1 : x > y ? -1 : strcmp(p->feature, q->feature);
}

void bt_pair_evidence(const bt_lexicon *lex, const char *vi, const char *en, bt_evidence *ev)
{
    memset(ev, 0, sizeof *ev);
    find_credit(BT_LANG_VI, vi, ev, 0);
    find_credit(BT_LANG_EN, en, ev, 1);
    ev->status = BT_PAIR_UNPAIRED;
    if (!vi || !en || !*vi || !*en) return;
    if (!lex) lex = bt_lexicon_default();
    pthread_once(&weight_once, weight_load);
    seg g[2];
    side sd[2];
    pair_features f;
    cap_pair_sides(lex, vi, en, g, sd);
    cap_weigh(lex, &sd[0], &sd[1], &f);
    double x[JF_COUNT], z = 0;
    cap_judge_inputs(&f, x);
    ev->status = cap_judge(&f, &ev->score);
    for (int k = 0; k < JF_COUNT; k++) z += weight[k] * x[k];
    ev->capped = ev->score < 1 / (1 + exp(-z)) - 1e-9;
    lists L;
    memset(&L, 0, sizeof L);
    find_lists(lex, g, sd, &L);
    bt_buf o;
    bt_buf_init(&o);
    /* the inputs that moved the judgement, then where it starts */
    for (int k = 1; k <= JF_COUNT; k++) {
        int in = k % JF_COUNT;
        double c = weight[in] * x[in];
        /* the length is always told, on the side it leans to */
        int length = in == (f.ratio >= 1 ? JF_EN_LONGER : JF_EN_SHORTER);
        if (in != JF_BIAS && !length && fabs(c) < 0.005) continue;
        bt_evidence_reason *r = &ev->reason[ev->n++];
        r->feature = cap_judge_feature_names[in];
        r->value = x[in];
        r->weight = weight[in];
        r->contribution = c;
        bt_buf_reset(&o);
        describe(in, &f, &L, &o);
        put_says(r, &o);
    }
    qsort(ev->reason, ev->n - 1, sizeof *ev->reason, by_size);
    bt_buf_free(&o);
    lists_free(&L);
    cap_pair_sides_free(g, sd);
}
