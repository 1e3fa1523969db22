/* evidence.c - what a caption and an English segment share, counted as
 * named features (cap_weigh), and the judgement of those features
 * (cap_judge, cap_rank): the one place where a pair is judged. */
#include "caption_int.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Does the English side hold the word sequence w[0..n) (folded), as words
 * or written together ("Hà Nội" / "Hanoi")? */
static int en_has_words(const side *en, const lex_tokens *vt, size_t from, size_t n)
{
    /* the words joined: on the stack unless very long */
    char stack[256];
    size_t jl = 0;
    for (size_t k = 0; k < n; k++) jl += lex_tok_len(vt, from + k);
    char *joined = jl < sizeof stack ? stack : bt_xmalloc(jl + 1);
    jl = 0;
    for (size_t k = 0; k < n; k++) {
        memcpy(joined + jl, lex_tok(vt, from + k), lex_tok_len(vt, from + k));
        jl += lex_tok_len(vt, from + k);
    }
    joined[jl] = '\0';
    uint64_t jh = lex_word_hash(joined, jl);
    int found = 0;
    for (size_t i = 0; i < en->t.n && !found; i++) {
        if (en->t.v[i].hash == jh && !strcmp(lex_tok(&en->t, i), joined)) found = 1;
        size_t k = 0;
        while (k < n && i + k < en->t.n && lex_same_word(&en->t, i + k, vt, from + k)) k++;
        if (k == n) found = 1;
    }
    if (joined != stack) free(joined);
    return found;
}

/* Does the English side hold the name at Vietnamese token i as the
 * adjective of its people ("người Malaysia" / "Malaysian", "Singaporean",
 * "Philippine")? Its letters, then at most three more, or one fewer "s". */
static int en_has_demonym(const side *en, const lex_tokens *vt, size_t i)
{
    const char *w = lex_tok(vt, i);
    size_t wl = lex_tok_len(vt, i);
    if (wl < 4) return 0;
    size_t stem = w[wl - 1] == 's' ? wl - 1 : wl;
    for (size_t k = 0; k < en->t.n; k++) {
        const char *e = lex_tok(&en->t, k);
        size_t el = lex_tok_len(&en->t, k);
        if (el >= stem && el <= wl + 3 && el != wl && !memcmp(e, w, stem) && en->t.v[k].upper)
            return 1;
    }
    return 0;
}

/* Is the stem word w among the English words (by its beginning, or whole)? */
static int en_has_word(const side *en, const stem_word *w)
{
    if (!w->len) return 1;
    size_t b = cap_bucket(w->p[0]);
    for (size_t y = en->bstart[b]; y < en->bstart[b + 1]; y++) {
        size_t k = en->by_first[y];
        size_t wl = lex_tok_len(&en->t, k);
        if (!(w->exact ? wl == w->len : wl >= w->len)) continue;
        /* the bucket is the first letter's: the second tells most apart,
         * and the rest is compared in place, not by a call */
        const char *tw = lex_tok(&en->t, k);
        if (w->len >= 2 && tw[1] != w->p[1]) continue;
        if (lex_same_bytes(tw, w->p, w->len)) return 1;
    }
    return 0;
}

/* Does the English side hold one of the alternatives of the caption word
 * at Vietnamese token i: every word of it, in any order ("visit families of
 * policy beneficiaries" is in "visits a family of policy beneficiaries")? */
static int en_has_stem(const side *en, const side *vi, size_t i)
{
    const stems_parsed *e = vi->stems_of[i];
    if (!e) return 0;
    for (size_t a = 0; a < e->nalts; a++) {
        const stem_alt *al = &e->alts[a];
        int ok = 1;
        for (size_t x = 0; x < al->n && ok; x++) ok = en_has_word(en, &e->words[al->first + x]);
        if (ok) return 1;
    }
    return 0;
}

/* Expected English/Vietnamese length ratio of news captions, in characters
 * (Vietnamese syllables are short words; English titles run longer). */
#define EN_VI_RATIO 1.12
#define RATIO_SIGMA 0.33

/* ---- the features ---- */

/* A lower-case syllable that no caption word, title or name reads. */
static int unread(const side *vi, size_t j)
{
    return !vi->dict_n[j] && vi->role[j] != 3 && !vi->role0[j] && !vi->t.v[j].digit &&
           !vi->t.v[j].upper;
}

/* Caption words first, so that "Hội nghị" or "Đồn Biên phòng" written
 * with capitals are not taken for names. */
static void weigh_caption_words(side *vi, const side *en, pair_features *f)
{
    const lex_tokens *vt = &vi->t;
    for (size_t i = 0; i < vt->n;) {
        if (vi->role[i] || vt->v[i].digit) { i++; continue; }
        size_t n = vi->dict_n[i];
        if (!n || i + n > vt->n) { i++; continue; }
        int upper_run = vt->v[i].upper;
        if (n == 1 && upper_run && i > 0) { i++; continue; } /* maybe a name */
        if (vi->dict_fn[i]) {
            for (size_t k = 0; k < n; k++) vi->role[i + k] = 3;
            i += n;
            continue;
        }
        int hit = en_has_stem(en, vi, i);
        /* One syllable beside a syllable nothing reads is likely part of
         * a word the lexicon lacks ("quốc gia" read as "gia", price): not
         * finding its English says nothing, so it stays unknown. */
        if (n == 1 && !hit && ((i > 0 && unread(vi, i - 1)) || (i + 1 < vt->n && unread(vi, i + 1)))) {
            i++;
            continue;
        }
        for (size_t k = 0; k < n; k++) vi->role[i + k] = 3;
        f->words += (int)n;
        if (hit) f->words_hit += (int)n;
        i += n;
    }
}

/* A lower-case word that no Vietnamese syllable spells ("golfer",
 * "methamphetamine", "online") is a word borrowed as it is written: the
 * English has it too, or misses it, as it would a caption word. */
static void weigh_borrowed_words(side *vi, const side *en, pair_features *f)
{
    const lex_tokens *vt = &vi->t;
    for (size_t i = 0; i < vt->n; i++) {
        if (vi->role[i] || vt->v[i].digit || vt->v[i].upper) continue;
        if (lex_tok_len(vt, i) < 3 || (vi->flags[i] & EN_SYLLABLE)) continue;
        vi->role[i] = 3;
        f->words++;
        if (en_has_words(en, vt, i, 1)) f->words_hit++;
    }
}

/* Names: runs of capitalised words outside titles and caption words. */
static void weigh_names(side *vi, const side *en, pair_features *f)
{
    const lex_tokens *vt = &vi->t;
    for (size_t i = 0; i < vt->n;) {
        if (vi->role[i] || !vt->v[i].upper || vt->v[i].digit) { i++; continue; }
        size_t j = i + 1;
        while (j < vt->n && !vi->role[j] && vt->v[j].upper && !vt->v[j].digit &&
               (vt->v[j].start == vt->v[j - 1].end + 1 || vt->v[j].start == vt->v[j - 1].start))
            j++;
        size_t from = i;
        /* a capital at the start of the sentence may be an ordinary word,
         * unless the English has the whole run or no Vietnamese syllable
         * is spelled so ("Legoland", "Singapore") */
        int whole = en_has_words(en, vt, i, j - i);
        if (!whole && vt->v[i].start == 0 && !lex_tok_surname(vt, i) &&
            (vi->flags[i] & EN_SYLLABLE))
            from++;
        if (from < j) {
            f->names++;
            if (whole || (from > i && en_has_words(en, vt, from, j - from)) ||
                (j - from == 1 && en_has_demonym(en, vt, from)))
                f->names_hit++;
        }
        for (size_t k = i; k < j; k++) vi->role[k] = 2;
        i = j;
    }
}

/* English names that the Vietnamese does not have; the words of every
 * English name are marked in en_used. */
static void weigh_en_names(const side *vi, const side *en, unsigned char *en_used,
                           pair_features *f)
{
    const lex_tokens *vt = &vi->t;
    for (size_t i = 0; i < en->t.n;) {
        if (!en->t.v[i].upper || !(en->flags[i] & EN_SURNAME)) { i++; continue; }
        size_t j = i + 1;
        while (j < en->t.n && en->t.v[j].upper && (en->flags[j] & EN_SYLLABLE)) j++;
        if (j - i >= 2) {
            int hit = 0;
            for (size_t v = 0; v + (j - i) <= vt->n && !hit; v++) {
                size_t k = 0;
                while (k < j - i && lex_same_word(vt, v + k, &en->t, i + k)) k++;
                hit = k == j - i;
            }
            if (!hit) f->en_names_extra++;
            for (size_t k = i; k < j; k++) en_used[k] = 1;
        }
        i = j;
    }
}

/* Titles and bodies (places aside), each English one met once. */
static void weigh_titles(const bt_lexicon *lex, const side *vi, const side *en, pair_features *f)
{
    unsigned char hit_stack[64];
    unsigned char *en_title_hit = en->nm < sizeof hit_stack ? hit_stack : bt_xmalloc(en->nm + 1);
    memset(en_title_hit, 0, en->nm + 1);
    for (size_t a = 0; a < vi->nm; a++) {
        if (vi->m[a].kind == BT_TERM_PLACE) continue;
        f->vi_titles++;
        int hit = 0;
        for (size_t b = 0; b < en->nm && !hit; b++)
            if (!en_title_hit[b] && bt_lexicon_same(lex, vi->m[a].concept, en->m[b].concept)) {
                en_title_hit[b] = 1;
                hit = 1;
            }
        f->titles_hit += hit;
        f->vi_titles_extra += !hit;
    }
    for (size_t b = 0; b < en->nm; b++) {
        if (en->m[b].kind == BT_TERM_PLACE) continue;
        f->en_titles++;
        f->en_titles_extra += !en_title_hit[b];
    }
    if (en_title_hit != hit_stack) free(en_title_hit);
}

/* Numbers, money, percentages and dates, as each language writes them
 * (1.500 / 1,500; 30/4 / April 30; 2.000 tỷ đồng / VND 2 trillion). A
 * number spelled as a word ("một" is also "a") is no evidence on its own. */
static void weigh_numbers(const side *vi, const side *en, pair_features *f)
{
    for (size_t i = 0; i < vi->nqty; i++) {
        if (vi->qty[i].spelled) continue;
        f->nums++;
        for (size_t k = 0; k < en->nqty; k++)
            if (bt_quantity_same(&vi->qty[i], &en->qty[k])) {
                f->nums_hit++;
                break;
            }
    }
}

/* How much of the English is explained by the Vietnamese: its words
 * outside titles and names, against every caption word the Vietnamese has
 * (hit or not). */
static void weigh_en_words(const side *vi, const side *en, const unsigned char *en_used,
                           pair_features *f)
{
    for (size_t k = 0; k < en->t.n; k++) {
        /* role 1: inside a title or body (set once by cap_side_init) */
        if (en->role[k] == 1 || en_used[k] || en->t.v[k].upper) continue;
        if ((en->flags[k] & EN_STOP) || en->t.v[k].digit) continue;
        /* a word no caption word's English knows (a technical term, a
         * name in lower case): uncertainty, not missing English */
        if (en->flags[k] & EN_UNKNOWN) continue;
        f->en_words++;
        /* does this word begin with one of the caption words' stems? */
        const char *w = lex_tok(&en->t, k);
        size_t wl = lex_tok_len(&en->t, k);
        size_t b = cap_bucket(w[0]);
        if (!(vi->stem_buckets >> b & 1)) continue;
        int hit = 0;
        for (size_t c = 0; c < vi->nstems_list && !hit; c++) {
            const stems_parsed *e = vi->stems_list[c];
            if (!(e->buckets >> b & 1)) continue;
            for (size_t x = e->pstart[b]; x < e->pstart[b + 1]; x++) {
                const stem_prefix *px = &e->prefixes[x];
                /* the first two letters, then the rest in place */
                if ((px->exact ? wl == px->len : wl >= px->len) && w[0] == px->p[0] &&
                    (px->len < 2 || w[1] == px->p[1]) && lex_same_bytes(w, px->p, px->len)) {
                    hit = 1;
                    break;
                }
            }
        }
        f->en_words_hit += hit;
    }
}

/* The length ratio and how well it fits. */
static void weigh_length(const side *vi, const side *en, pair_features *f)
{
    double expect = EN_VI_RATIO * (double)(vi->chars ? vi->chars : 1);
    f->ratio = (double)en->chars / expect;
    double lr = log(f->ratio > 0 ? f->ratio : 1e-6);
    /* the spread of the ratio shrinks with length, as in Gale-Church,
     * where the variance of a length grows with it */
    double sigma = RATIO_SIGMA + 2.0 / sqrt((double)(vi->chars ? vi->chars : 1));
    f->length_fit = exp(-(lr * lr) / (2 * sigma * sigma));
}

/* anchor: weighted mean of the kinds of evidence present */
static double anchor_of(const pair_features *f)
{
    double sum = 0, w = 0;
    if (f->names) { sum += 2.0 * f->names_hit / f->names; w += 2.0; }
    if (f->vi_titles + f->en_titles) {
        sum += 2.0 * (2.0 * f->titles_hit / (f->vi_titles + f->en_titles));
        w += 2.0;
    }
    if (f->nums) { sum += 1.0 * f->nums_hit / f->nums; w += 1.0; }
    if (f->words) { sum += 1.5 * f->words_hit / f->words; w += 1.5; }
    return w > 0 ? sum / w : 0;
}

void cap_weigh(const bt_lexicon *lex, side *vi, side *en, pair_features *f)
{
    memset(f, 0, sizeof *f);
    /* fresh roles for each comparison */
    memcpy(vi->role, vi->role0, vi->t.n + 1);
    unsigned char used_stack[512];
    unsigned char *en_used = en->t.n < sizeof used_stack ? used_stack : bt_xmalloc(en->t.n + 1);
    memset(en_used, 0, en->t.n + 1);
    weigh_caption_words(vi, en, f);
    weigh_borrowed_words(vi, en, f);
    weigh_names(vi, en, f);
    weigh_en_names(vi, en, en_used, f);
    weigh_titles(lex, vi, en, f);
    for (size_t i = 0; i < vi->nqty; i++)
        if (!vi->qty[i].spelled) { cap_side_quantities(en); break; }
    weigh_numbers(vi, en, f);
    weigh_en_words(vi, en, en_used, f);
    if (en_used != used_stack) free(en_used);
    weigh_length(vi, en, f);
    f->anchor = anchor_of(f);
    /* what no rule explained: a word of no title, name, caption word or
     * number (uncertainty, not evidence against) */
    f->vi_tokens = (int)vi->t.n;
    for (size_t i = 0; i < vi->t.n; i++)
        f->vi_unknown += !vi->role[i] && !vi->t.v[i].digit;
}

/* ---- the judgement ---- */

const char *const cap_judge_feature_names[JF_COUNT] = {
    "bias", "coverage", "unexplained", "words_hit_share", "words_missed",
    "en_words_hit_share", "en_words_missed", "nums_missed", "en_names_extra",
    "titles_extra", "unknown_share", "en_longer", "en_shorter"
};

static double capped(int v, int cap) { return v < cap ? v : cap; }

/* Each input says one thing a translator would check. Names, titles and
 * numbers that meet count in the coverage only: on their own they show
 * that two captions are about the same people, not that they say the same
 * (a reused caption keeps them). */
void cap_judge_inputs(const pair_features *f, double x[JF_COUNT])
{
    x[JF_BIAS] = 1;
    /* both ways at once: of everything either side says that some rule
     * can read (names, titles, numbers, caption words, English content
     * words), the share the other side explains */
    int said = f->names + f->vi_titles + f->en_titles + f->nums + f->words + f->en_words;
    int explained = f->names_hit + 2 * f->titles_hit + f->nums_hit + f->words_hit + f->en_words_hit;
    x[JF_COVERAGE] = said ? (double)explained / said : 0;
    x[JF_UNEXPLAINED] = log1p((double)(said - explained));
    /* what the captions say beyond who is in them: their words */
    x[JF_WORDS_HIT_SHARE] = f->words ? (double)f->words_hit / f->words : 0;
    x[JF_WORDS_MISSED] = log1p((double)(f->words - f->words_hit));
    x[JF_EN_WORDS_HIT_SHARE] = f->en_words ? (double)f->en_words_hit / f->en_words : 0;
    x[JF_EN_WORDS_MISSED] = log1p((double)(f->en_words - f->en_words_hit));
    /* contradictions: a number, a name or a title of one side only */
    x[JF_NUMS_MISSED] = capped(f->nums - f->nums_hit, 3);
    x[JF_EN_NAMES_EXTRA] = capped(f->en_names_extra, 3);
    x[JF_TITLES_EXTRA] = capped(f->vi_titles_extra + f->en_titles_extra, 4);
    /* uncertainty: words nothing explains */
    x[JF_UNKNOWN_SHARE] = f->vi_tokens ? (double)f->vi_unknown / f->vi_tokens : 0;
    double lr = log(f->ratio > 1e-3 ? f->ratio : 1e-3);
    x[JF_EN_LONGER] = lr > 0 ? lr : 0;
    x[JF_EN_SHORTER] = lr < 0 ? -lr : 0;
}

/* Fitted weights, data/judge.tsv and data/judge_sentences.tsv: one row
 * name<TAB>weight per input. A name the model does not know is ignored, an
 * input without a row weighs 0. */
typedef struct weights {
    const char *const *names;
    double *w;
    int n;
} weights;

static void weight_row(void *ud, char **cols, int nc)
{
    const weights *ws = ud;
    for (int k = 0; k < ws->n && nc >= 2; k++)
        if (!strcmp(cols[0], ws->names[k])) ws->w[k] = strtod(cols[1], NULL);
}

static double judge_w[JF_COUNT], cap_stretch_w[ST_COUNT], own_w[SJ_COUNT], stretch_w[ST_COUNT];
static pthread_once_t judge_once = PTHREAD_ONCE_INIT;

static void judge_load(void)
{
    weights cap = { cap_judge_feature_names, judge_w, JF_COUNT };
    weights own = { sent_judge_feature_names, own_w, SJ_COUNT };
    weights st = { sent_stretch_feature_names, stretch_w, ST_COUNT };
    weights cst = { sent_stretch_feature_names, cap_stretch_w, ST_COUNT };
    lex_embedded_rows("judge.tsv", weight_row, &cap);
    lex_embedded_rows("judge.tsv", weight_row, &cst);
    lex_embedded_rows("judge_sentences.tsv", weight_row, &own);
    lex_embedded_rows("judge_sentences.tsv", weight_row, &st);
}

static double logistic(const double *w, const double *x, int n)
{
    pthread_once(&judge_once, judge_load);
    double z = 0;
    for (int k = 0; k < n; k++) z += w[k] * x[k];
    return 1 / (1 + exp(-z));
}

double cap_judge_probability(const pair_features *f)
{
    double x[JF_COUNT];
    cap_judge_inputs(f, x);
    return logistic(judge_w, x, JF_COUNT);
}

/* The status of a pair of features f whose probability is *p: accepted
 * when more likely than not and neither side clearly longer; partial when
 * one side clearly says more of a related text. */
bt_pair_status cap_status(const pair_features *ev, double *p)
{
    int en_more = ev->ratio > 1.8 ||
                  (ev->ratio > 1.4 && (ev->en_names_extra > 0 || ev->en_titles_extra > 0));
    int vi_more = ev->ratio < 0.5;
    int conflict = ev->vi_titles_extra > 0 && ev->en_titles_extra > 0 &&
                   (ev->names_hit > 0 || ev->titles_hit > 0);
    if (conflict) {
        /* the same person with other titles: the English of another
         * caption. Too rare in labelled data to be learned, and decisive
         * where it occurs (the seeds' reused captions), so a rule. */
        if (*p > 0.1) *p = 0.1;
        return BT_PAIR_MISMATCH;
    }
    if (*p >= 0.5 && !en_more && !vi_more) return BT_PAIR_ACCEPTED;
    if ((en_more || vi_more) && ev->anchor >= 0.3) return BT_PAIR_PARTIAL;
    return BT_PAIR_MISMATCH;
}

/* The score is the model's probability that the pair is a true
 * translation. */
bt_pair_status cap_judge(const pair_features *ev, double *score)
{
    *score = cap_judge_probability(ev);
    return cap_status(ev, score);
}

long cap_stretch_neighbour(const bt_align_result *out, size_t k, int step)
{
    for (long q = (long)k + step; q >= 0 && (size_t)q < out->npairs; q += step) {
        const bt_pair *p = &out->pairs[q];
        if (p->is_credit || !p->vi || !p->en) continue;
        long d = (long)p->vi_line - (long)out->pairs[k].vi_line;
        return d >= -STRETCH_LINES && d <= STRETCH_LINES ? q : -1;
    }
    return -1;
}

bt_pair_status cap_stretch_judge(const pair_features *f, double p_own, double p_before,
                                 double p_after, double *score)
{
    double s[ST_COUNT];
    sent_stretch_inputs(p_own, p_before, p_after, s);
    *score = logistic(cap_stretch_w, s, ST_COUNT);
    return cap_status(f, score);
}

void cap_judge_stretches(bt_align_result *out, const pair_features *f)
{
    size_t n = out->npairs;
    double *own = bt_xcalloc(n + 1, sizeof *own);
    /* a pair's own judgement is its score so far: cap_judge of f[k], as
     * the candidates and the joined lines were scored */
    for (size_t k = 0; k < n; k++) {
        const bt_pair *p = &out->pairs[k];
        if (p->is_credit || !p->vi || !p->en) continue;
        own[k] = p->score;
    }
    for (size_t k = 0; k < n; k++) {
        bt_pair *p = &out->pairs[k];
        if (p->is_credit || !p->vi || !p->en) continue;
        long b = cap_stretch_neighbour(out, k, -1), a = cap_stretch_neighbour(out, k, 1);
        p->status = cap_stretch_judge(&f[k], own[k], b >= 0 ? own[b] : -1, a >= 0 ? own[a] : -1,
                                      &p->score);
    }
    free(own);
}

int cap_worth_weighing(size_t vi_chars, size_t en_chars, int en_has_credit_after)
{
    return en_has_credit_after || !((double)en_chars > 6.0 * EN_VI_RATIO * (double)vi_chars);
}

double cap_rank(const pair_features *f, long d, int en_has_credit_after)
{
    /* no shared evidence at all: only the very next line, when it reads
     * like a caption, is this caption's counterpart */
    int next_caption = d == 1 && (en_has_credit_after || f->ratio < 2.5);
    if (f->anchor < 0.05 && !next_caption) return -1;
    /* a paragraph many times longer that shares no name or title is body
     * text, not this caption's English */
    if (f->ratio > 3.0 && f->names_hit + f->titles_hit == 0 && !en_has_credit_after) return -1;
    /* prefer strong evidence, then the line right after */
    return f->anchor * (0.6 + 0.4 * f->length_fit) * (d == 1 ? 1.0 : d > 0 ? 0.92 : 0.85) +
           (d == 1 ? 0.01 : 0);
}

void cap_pair_sides(const bt_lexicon *lex, const char *vi, const char *en, seg g[2], side sd[2])
{
    const char *text[2] = { vi, en };
    for (int k = 0; k < 2; k++) {
        size_t chars, bytes;
        memset(&g[k], 0, sizeof g[k]);
        g[k].text = cap_clean_count(text[k], strlen(text[k]), &chars, &bytes);
        g[k].chars = (uint32_t)chars;
        g[k].len = (uint32_t)bytes;
        cap_side_init(&sd[k], lex, k ? BT_LANG_EN : BT_LANG_VI, &g[k]);
    }
}

void cap_pair_sides_free(seg g[2], side sd[2])
{
    for (int k = 0; k < 2; k++) {
        cap_side_free(&sd[k]);
        free(g[k].text);
    }
}

bt_pair_status cap_pair_evidence(const bt_lexicon *lex, const char *vi, const char *en,
                                 pair_features *f, double *score)
{
    if (!lex) lex = bt_lexicon_default();
    seg g[2];
    side sd[2];
    cap_pair_sides(lex, vi, en, g, sd);
    cap_weigh(lex, &sd[0], &sd[1], f);
    bt_pair_status st = cap_judge(f, score);
    cap_pair_sides_free(g, sd);
    return st;
}

void judge_text_inputs(const bt_lexicon *lex, const char *vi, const char *en,
                       double x[JF_COUNT])
{
    if (!lex) lex = bt_lexicon_default();
    seg g[2];
    side sd[2];
    pair_features f;
    cap_pair_sides(lex, vi, en, g, sd);
    cap_weigh(lex, &sd[0], &sd[1], &f);
    cap_pair_sides_free(g, sd);
    cap_judge_inputs(&f, x);
}

/* ---- the sentence judge (whole-article mode) ---- */

const char *const sent_judge_feature_names[SJ_COUNT] = {
    "bias", "coverage", "unexplained", "words_hit_share", "words_missed",
    "en_words_hit_share", "en_words_missed", "nums_missed", "en_names_extra",
    "titles_extra", "unknown_share", "en_longer", "en_shorter",
    "bead_lex", "bead_conf", "length_z", "merged"
};

const char *const sent_stretch_feature_names[ST_COUNT] = {
    "stretch.bias", "stretch.own", "stretch.neighbours", "stretch.lone_sides"
};

double sent_judge_own(const double x[SJ_COUNT]) { return logistic(own_w, x, SJ_COUNT); }

double sent_judge_stretch(const double s[ST_COUNT]) { return logistic(stretch_w, s, ST_COUNT); }

static double log_odds(double p)
{
    if (p < 0.01) p = 0.01;
    if (p > 0.99) p = 0.99;
    return log(p / (1 - p));
}

void sent_stretch_inputs(double p_own, double p_before, double p_after, double s[ST_COUNT])
{
    double weaker = 1;
    int lone = 0;
    if (p_before >= 0) weaker = p_before; else lone++;
    if (p_after >= 0) { if (p_after < weaker) weaker = p_after; } else lone++;
    s[ST_BIAS] = 1;
    s[ST_OWN] = log_odds(p_own);
    /* no neighbour at all: nothing to borrow from */
    s[ST_STRETCH] = lone == 2 ? 0 : log_odds(weaker);
    s[ST_LONE] = lone;
}
