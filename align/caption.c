/* caption.c - pair each Vietnamese caption with its English counterpart.
 *
 * An article is English body text with captions in it; some captions keep
 * the Vietnamese original on a line of its own, usually just before the
 * English line, not always. Each Vietnamese sentence is scored against the
 * English lines near it from evidence (names, titles, numbers, caption
 * words, length), pairs are chosen best first, each line used once, and
 * every pair is classified. Photo credits are segments of their own.
 *
 * The phases live in their own files (see caption_int.h); this one runs
 * them in order. */
#include "caption_int.h"

#include <stdlib.h>
#include <string.h>

const char *bt_pair_status_name(bt_pair_status s)
{
    switch (s) {
    case BT_PAIR_ACCEPTED: return "accepted";
    case BT_PAIR_PARTIAL: return "partial";
    case BT_PAIR_MISMATCH: return "mismatch";
    case BT_PAIR_UNPAIRED: return "unpaired";
    }
    return "?";
}

void cap_run_init(cap_run *r, const bt_lexicon *lex, const bt_doc *doc, const bt_align_opts *opts)
{
    memset(r, 0, sizeof *r);
    r->lex = lex ? lex : bt_lexicon_default();
    r->doc = doc;
    r->opts = opts;
    r->window = opts && opts->window > 0 ? opts->window : 4;
}

void cap_run_free(cap_run *r)
{
    cap_logical_free(&r->lt, r->doc);
    free(r->src.v);
    free(r->src.e);
    free(r->src.f);
    for (size_t i = 0; i < r->sg.n; i++) cap_side_drop(&r->ss, i);
    cap_side_set_free(&r->ss);
    cap_segs_free(&r->sg);
    free(r->cv);
    free(r->ord);
    free(r->en_first);
}

void bt_align_doc(const bt_lexicon *lex, const bt_doc *doc, const bt_align_opts *opts,
                  bt_align_result *out)
{
    cap_align_doc_kept(lex, doc, opts, 0, out);
}

void cap_align_doc_kept(const bt_lexicon *lex, const bt_doc *doc, const bt_align_opts *opts,
                       size_t kept_bytes, bt_align_result *out)
{
    memset(out, 0, sizeof *out);
    cap_run r;
    cap_run_init(&r, lex, doc, opts);
    r.kept_bytes = kept_bytes;
    cap_segment(&r);           /* lines to segments */
    cap_candidates(&r);        /* each caption weighed against the English near it */
    cap_choose(&r, out);       /* pairs best first, each segment used once */
    cap_join_sentences(&r, out); /* a caption line's sentences as one unit */
    cap_pair_credits(&r, out); /* credits with credits */
    cap_unpaired(&r, out);     /* what is left */
    cap_order(&r, out);        /* source order */
    cap_judge_stretches(out, r.src.f); /* each pair judged in its stretch of the page */
    cap_en_spans(&r, out);     /* the lines each English spans */
    cap_terms(&r, out);        /* glossary terms of the pairs */
    cap_run_free(&r);
}

void bt_align_result_free(bt_align_result *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->npairs; i++) {
        free(r->pairs[i].vi);
        free(r->pairs[i].en);
    }
    for (size_t i = 0; i < r->nterms; i++) {
        free(r->terms[i].vi);
        free(r->terms[i].en);
    }
    free(r->pairs);
    free(r->terms);
    memset(r, 0, sizeof *r);
}
