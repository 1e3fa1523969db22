/* mentions.c - the titles given to people in an article, as the people
 * checks read them: from the titles the annotation says each pair's sides
 * and the English body text give people (the lines no pair's English spans). */
#include "check_int.h"

#include <stdlib.h>
#include <string.h>

static void add_given(chk_mentions *out, const bt_given_title *g, size_t n, bt_lang lang,
                      unsigned long line, long pair)
{
    BT_GROW(out->v, out->cap, out->n + n);
    for (size_t i = 0; i < n; i++) {
        chk_mention *m = &out->v[out->n++];
        m->person = g[i].person;
        m->person_key = g[i].person_key;
        m->title = g[i].title;
        m->concept = g[i].concept;
        m->lang = lang;
        m->line = line;
        m->pair = pair;
    }
}

/* Per line: the English of a pair, or wrapped from one. Caller frees. */
static unsigned char *en_lines_paired(const bt_doc *doc, const bt_align_result *res)
{
    unsigned char *paired = bt_xcalloc(doc->nlines + 1, 1);
    for (size_t i = 0; i < res->npairs; i++) {
        const bt_pair *p = &res->pairs[i];
        size_t l = p->en_line ? bt_doc_line_index(doc, p->en_line) : (size_t)-1;
        if (l == (size_t)-1) continue;
        paired[l] = 1;
        for (l++; l < doc->nlines && doc->lines[l].lineno <= p->en_last; l++) paired[l] = 1;
    }
    return paired;
}

/* English body text: a line with a title may give it to someone. */
static void body_mentions(bt_annotation *ann, const bt_align_result *res, chk_mentions *out)
{
    const bt_doc *doc = bt_annotation_doc(ann);
    unsigned char *paired = en_lines_paired(doc, res);
    for (size_t l = 0; l < doc->nlines; l++) {
        if (doc->lines[l].lang != BT_LANG_EN || paired[l]) continue;
        const bt_title_match *m;
        size_t n = bt_annotation_line_titles(ann, l, BT_LANG_EN, &m);
        int titles = 0; /* no title in the line, no one given one */
        for (size_t k = 0; k < n && k < 64; k++) titles |= m[k].kind == BT_TERM_TITLE;
        if (!titles) continue;
        const bt_given_title *g;
        size_t ng = bt_annotation_line_given(ann, l, BT_LANG_EN, &g);
        add_given(out, g, ng, BT_LANG_EN, doc->lines[l].lineno, -1);
    }
    free(paired);
}

void chk_mentions_of(bt_annotation *ann, const bt_align_result *res, chk_mentions *out)
{
    out->n = 0;
    for (size_t i = 0; i < res->npairs; i++) {
        const bt_pair *p = &res->pairs[i];
        if (p->is_credit) continue;
        const bt_given_title *g;
        size_t n;
        if (p->vi) {
            n = bt_annotation_pair_given(ann, res, i, BT_LANG_VI, &g);
            add_given(out, g, n, BT_LANG_VI, p->vi_line, (long)i);
        }
        if (p->en) {
            n = bt_annotation_pair_given(ann, res, i, BT_LANG_EN, &g);
            add_given(out, g, n, BT_LANG_EN, p->en_line, (long)i);
        }
    }
    body_mentions(ann, res, out);
}

void chk_mentions_free(chk_mentions *m)
{
    free(m->v);
    memset(m, 0, sizeof *m);
}
