/* mentions.c - the titles given to people in an article, as the people
 * checks read them: from the annotation's people of each pair's sides and
 * of the English body text (the lines no pair's English spans). */
#include "check_int.h"

#include <stdlib.h>
#include <string.h>

static void add_people(chk_mentions *out, const bt_people *pp, bt_lang lang,
                       unsigned long line, long pair)
{
    for (size_t i = 0; i < pp->n; i++)
        for (size_t j = 0; j < pp->v[i].ntitles; j++) {
            BT_GROW(out->v, out->cap, out->n + 1);
            chk_mention *m = &out->v[out->n++];
            m->person = pp->v[i].name;
            m->person_key = pp->v[i].name_key;
            m->title = pp->v[i].titles[j];
            m->concept = pp->v[i].concepts[j];
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
        if (titles)
            add_people(out, bt_annotation_line_people(ann, l, BT_LANG_EN), BT_LANG_EN,
                       doc->lines[l].lineno, -1);
    }
    free(paired);
}

void chk_mentions_of(bt_annotation *ann, const bt_align_result *res, chk_mentions *out)
{
    out->n = 0;
    for (size_t i = 0; i < res->npairs; i++) {
        const bt_pair *p = &res->pairs[i];
        if (p->is_credit) continue;
        if (p->vi)
            add_people(out, bt_annotation_pair_people(ann, res, i, BT_LANG_VI), BT_LANG_VI,
                       p->vi_line, (long)i);
        if (p->en)
            add_people(out, bt_annotation_pair_people(ann, res, i, BT_LANG_EN), BT_LANG_EN,
                       p->en_line, (long)i);
    }
    body_mentions(ann, res, out);
}

void chk_mentions_free(chk_mentions *m)
{
    free(m->v);
    memset(m, 0, sizeof *m);
}
