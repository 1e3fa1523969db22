/* segment.c - lines to segments. Lines wrapped by hand are joined into
 * the line they were; lines are ranked (blank ones apart); the lines where
 * captions may be are cut into segments: each Vietnamese sentence, the
 * English content of a line as one, and each photo credit on its own. */
#include "caption_int.h"

#include <stdlib.h>
#include <string.h>

/* A document's segment array and buffers are kept by the thread for the
 * next document (up to SEGS_SPARE segments): made again for each one,
 * the array went back to the general allocator and came from it again. */
enum { SEGS_SPARE = 4096 };

typedef struct segs_spare {
    seg *v;
    size_t cap;
    bt_buf key, scratch;
} segs_spare;

static _Thread_local segs_spare *segs_spare_mine;

static void segs_spare_drop(void *p)
{
    segs_spare *sp = p;
    free(sp->v);
    bt_buf_free(&sp->key);
    bt_buf_free(&sp->scratch);
    free(sp);
}

void cap_segs_init(segs *sg)
{
    memset(sg, 0, sizeof *sg);
    bt_buf_init(&sg->key);
    bt_buf_init(&sg->scratch);
    segs_spare *sp = segs_spare_mine;
    if (sp && sp->v) {
        sg->v = sp->v;
        sg->cap = sp->cap;
        sg->key = sp->key;
        sg->scratch = sp->scratch;
        sp->v = NULL;
        sp->cap = 0;
        bt_buf_init(&sp->key);
        bt_buf_init(&sp->scratch);
    }
}

void cap_segs_free(segs *sg)
{
    for (size_t i = 0; i < sg->n; i++) {
        if (!sg->v[i].given && !sg->v[i].borrowed) free(sg->v[i].text);
        free(sg->v[i].credit_key);
    }
    if (!segs_spare_mine)
        segs_spare_mine = bt_thread_block(1, sizeof *segs_spare_mine, segs_spare_drop);
    segs_spare *sp = segs_spare_mine;
    if (sg->v && !sp->v && sg->cap <= SEGS_SPARE) {
        sp->v = sg->v;
        sp->cap = sg->cap;
        bt_buf_reset(&sg->key);
        bt_buf_reset(&sg->scratch);
        sp->key = sg->key;
        sp->scratch = sg->scratch;
    } else {
        free(sg->v);
        bt_buf_free(&sg->key);
        bt_buf_free(&sg->scratch);
    }
    memset(sg, 0, sizeof *sg);
    bt_buf_init(&sg->key);
    bt_buf_init(&sg->scratch);
}

static void add_seg(segs *s, bt_lang lang, size_t line, const char *text, size_t len,
                    int credit, const char *ckey)
{
    size_t chars, bytes;
    /* a clean segment that ends its line (so is NUL-terminated) is used
     * where it is, in the document; its pair, if any, copies it */
    size_t clean = cap_clean_chars(text, len), whole = (size_t)-1;
    char *t;
    if (clean != (size_t)-1 && text[len] == '\0') {
        t = (char *)(uintptr_t)text;
        chars = whole = clean;
        bytes = len;
    } else if (clean != (size_t)-1) { /* clean already: copied as it is */
        t = bt_xmalloc(len + 1);
        memcpy(t, text, len);
        t[len] = '\0';
        chars = clean;
        bytes = len;
    } else {
        t = cap_clean_count(text, len, &chars, &bytes);
        if (!*t) { free(t); return; }
    }
    BT_GROW(s->v, s->cap, s->n + 1);
    seg *g = &s->v[s->n++];
    memset(g, 0, sizeof *g);
    g->lang = lang;
    g->line = line;
    g->text = t;
    g->credit = credit;
    g->credit_key = ckey ? bt_xstrdup(ckey) : NULL;
    g->chars = chars;
    g->len = bytes;
    g->borrowed = whole != (size_t)-1;
}

/* ---- lines wrapped by hand ---- */

/* A line continues the one before it when both are of one language, the
 * first ends with no closing mark and holds no photo credit (a caption ends
 * with its credit or a full stop), and the second is not a credit standing
 * on its own line. */
static int ends_open(const bt_line *l)
{
    size_t n = l->len;
    while (n && (l->text[n - 1] == ' ' || l->text[n - 1] == '\t')) n--;
    if (!n) return 0;
    unsigned char c = (unsigned char)l->text[n - 1];
    if (strchr(".!?:;\"')]", c)) return 0;
    /* … ” ’ end in E2 80 A6, 9D, 99 */
    if (n >= 3 && (unsigned char)l->text[n - 3] == 0xE2 && (unsigned char)l->text[n - 2] == 0x80 &&
        (c == 0xA6 || c == 0x9D || c == 0x99))
        return 0;
    return 1;
}

/* Does the line open with a lower-case letter, as a sentence that goes
 * on does? */
static int opens_lower(const char *t, size_t n)
{
    int32_t cp;
    int k = n ? bt_utf8_decode(t, n, &cp) : -1;
    return k > 0 && bt_has_lower(t, (size_t)k);
}

static size_t line_chars(const char *t, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++) c += ((unsigned char)t[i] & 0xC0) != 0x80;
    return c;
}

/* A line wrapped by hand goes on in a line no wider than itself (or
 * little wider, when wrapped by hand) or in words that open in lower case.
 * A headline or a label is shorter than the sentence after it: it is not
 * joined to a line that opens with a capital. */
static int wrapped_here(const bt_line *head, const bt_line *next)
{
    if (opens_lower(next->text, next->len)) return 1;
    size_t hc = line_chars(head->text, head->len), nc = line_chars(next->text, next->len);
    return hc >= 25 && 4 * nc <= 5 * hc;
}

/* Is the line, which opens as a credit does, a credit and nothing else? */
static int credit_alone(const bt_line *l)
{
    if (l->lang != BT_LANG_VI && l->lang != BT_LANG_EN && l->lang != BT_LANG_NAME) return 0;
    bt_buf key, scratch;
    bt_buf_init(&key);
    bt_buf_init(&scratch);
    bt_lang lang = l->lang == BT_LANG_NAME ? BT_LANG_VI : l->lang;
    int k = credit_kind(lang, l->text, l->len, &key, &scratch) ||
            (l->lang == BT_LANG_NAME && credit_kind(BT_LANG_EN, l->text, l->len, &key, &scratch));
    bt_buf_free(&key);
    bt_buf_free(&scratch);
    return k;
}

/* Each line's text with its bullet left out, and whether it is furniture. */
static void line_texts(logical_lines *lt, const bt_doc *doc)
{
    for (size_t i = 0; i < doc->nlines; i++) {
        const bt_line *l = &doc->lines[i];
        size_t b = l->lang == BT_LANG_BLANK ? 0 : cap_bullet_len(l->text, l->len);
        lt->text[i] = l->text + b;
        lt->len[i] = l->len - b;
        lt->furn[i] = l->lang != BT_LANG_BLANK && cap_furniture(l->text, l->len);
        lt->alone[i] = !lt->furn[i] && credit_line_opens(l) && credit_alone(l);
    }
}

void cap_logical_init(logical_lines *lt, const bt_doc *doc)
{
    size_t n = doc->nlines + 1;
    lt->cont = bt_xcalloc(n, 1);
    lt->furn = bt_xcalloc(n, 1);
    lt->own = bt_xcalloc(n, 1);
    lt->alone = bt_xcalloc(n, 1);
    lt->text = bt_xmalloc(n * sizeof *lt->text);
    lt->len = bt_xmalloc(n * sizeof *lt->len);
    line_texts(lt, doc);
    size_t head = 0;
    for (size_t i = 0; i < doc->nlines; i++) {
        const bt_line *l = &doc->lines[i], *p = i ? &doc->lines[i - 1] : NULL;
        int join = p && (l->lang == BT_LANG_VI || l->lang == BT_LANG_EN) &&
                   l->lang == p->lang && !lt->furn[i] && !lt->furn[i - 1] &&
                   lt->len[i] == l->len && ends_open(p) && !credit_line_holds(p) &&
                   !credit_line_opens(l);
        if (join && !wrapped_here(p, l)) join = 0;
        if (!join) {
            head = i;
            continue;
        }
        lt->cont[i] = 1;
        /* the head's text grows by a space and this line */
        char *j = bt_xmalloc(lt->len[head] + 1 + l->len + 1);
        memcpy(j, lt->text[head], lt->len[head]);
        j[lt->len[head]] = ' ';
        memcpy(j + lt->len[head] + 1, l->text, l->len);
        j[lt->len[head] + 1 + l->len] = '\0';
        if (lt->own[head]) free((char *)(uintptr_t)lt->text[head]);
        lt->text[head] = j;
        lt->own[head] = 1;
        lt->len[head] += 1 + l->len;
    }
}

void cap_logical_free(logical_lines *lt, const bt_doc *doc)
{
    for (size_t i = 0; i < doc->nlines; i++)
        if (lt->own[i]) free((char *)(uintptr_t)lt->text[i]);
    free(lt->cont);
    free(lt->furn);
    free(lt->own);
    free(lt->alone);
    free(lt->text);
    free(lt->len);
}

/* ---- a line's segments ---- */

/* A credit glued to a Vietnamese caption without a full stop: "... Ảnh: X".
 * At each 0xE1 (the first byte of "Ả") after a space; when found, the
 * caption before it and the credit are added. */
static int glued_credit(segs *out, const char *s, size_t len, size_t li, bt_buf *key,
                        bt_buf *scratch)
{
    const char *q = s + 1;
    while ((q = memchr(q, 0xE1, (size_t)(s + len - 6 - q))) != NULL) {
        size_t k = (size_t)(q++ - s);
        if (s[k - 1] != ' ' || memcmp(s + k, "Ảnh:", strlen("Ảnh:")) != 0) continue;
        bt_buf_reset(key);
        int kind = credit_kind(BT_LANG_VI, s + k, len - k, key, scratch);
        if (!kind) continue;
        add_seg(out, BT_LANG_VI, li, s, k, CREDIT_NONE, NULL);
        add_seg(out, BT_LANG_VI, li, s + k, len - k, kind, key->ptr);
        return 1;
    }
    return 0;
}

void cap_line_segments(segs *out, const char *text, size_t tlen, bt_lang lang, size_t li)
{
    enum { MAXS = 64 };
    size_t stack_sp[2 * MAXS], *sp = stack_sp;
    size_t n = bt_sentences(text, tlen, sp, MAXS);
    if (n > MAXS) { /* a long paragraph: every sentence counts */
        sp = bt_xmalloc(2 * n * sizeof *sp);
        n = bt_sentences(text, tlen, sp, n);
    }
    bt_buf key = out->key, scratch = out->scratch;
    /* English: the content of the line between credits, as one segment */
    size_t content_start = (size_t)-1, content_end = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = text + sp[2 * i];
        size_t len = sp[2 * i + 1] - sp[2 * i];
        bt_buf_reset(&key);
        int ck = credit_kind(lang, s, len, &key, &scratch);
        if (!ck && lang == BT_LANG_VI && len > 7 && glued_credit(out, s, len, li, &key, &scratch))
            continue;
        if (ck) {
            if (content_start != (size_t)-1) {
                add_seg(out, lang, li, text + content_start, content_end - content_start,
                        CREDIT_NONE, NULL);
                content_start = (size_t)-1;
            }
            add_seg(out, lang, li, s, len, ck, key.len ? key.ptr : NULL);
            if (lang == BT_LANG_EN && out->n >= 2) out->v[out->n - 2].has_credit_after = 1;
            continue;
        }
        if (lang == BT_LANG_VI) {
            add_seg(out, lang, li, s, len, CREDIT_NONE, NULL);
        } else {
            if (content_start == (size_t)-1) content_start = sp[2 * i];
            content_end = sp[2 * i + 1];
        }
    }
    if (content_start != (size_t)-1 && content_end > content_start)
        add_seg(out, lang, li, text + content_start, content_end - content_start,
                CREDIT_NONE, NULL);
    out->key = key;
    out->scratch = scratch;
    if (sp != stack_sp) free(sp);
}

/* ---- the document ---- */

/* Each line's rank among the non-blank lines (furniture aside); a wrapped
 * line has the rank of the line it continues. */
static void rank_lines(cap_run *r)
{
    const bt_doc *doc = r->doc;
    r->ord = bt_xmalloc((doc->nlines + 1) * sizeof *r->ord);
    size_t rank = 0;
    for (size_t i = 0; i < doc->nlines; i++) {
        /* a credit alone on its line belongs to the line above: the
         * caption's English comes next after it all the same */
        if (r->lt.cont[i] || (r->lt.alone[i] && rank)) {
            r->ord[i] = rank - 1;
            continue;
        }
        r->ord[i] = rank;
        /* furniture stands between lines as a blank line does */
        if (doc->lines[i].lang != BT_LANG_BLANK && !r->lt.furn[i]) rank++;
    }
    r->nranks = rank;
}

/* English lines matter only near a Vietnamese line, or when they end with
 * a photo credit (an English-only caption); the body text of an article
 * needs no work. Per rank: near a Vietnamese line. Caller frees. */
static unsigned char *near_captions(const cap_run *r)
{
    const bt_doc *doc = r->doc;
    unsigned char *near_vi = bt_xcalloc(r->nranks + 1, 1);
    for (size_t i = 0; i < doc->nlines; i++) {
        if (doc->lines[i].lang != BT_LANG_VI || r->lt.cont[i]) continue;
        long lo, hi;
        cap_layout_window(r, i, &lo, &hi);
        for (long k = lo < 0 ? 0 : lo; k <= hi && k <= (long)r->nranks; k++) near_vi[k] = 1;
    }
    return near_vi;
}

void cap_segment(cap_run *r)
{
    const bt_doc *doc = r->doc;
    const logical_lines *lt = &r->lt;
    cap_segs_init(&r->sg);
    /* room for a segment a line (blank lines count too): seldom more, so
     * the array is seldom moved */
    BT_GROW(r->sg.v, r->sg.cap, doc->nlines + 1);
    /* lines wrapped by hand are read as the one line they were */
    cap_logical_init(&r->lt, doc);
    rank_lines(r);
    r->en_first = cap_english_first(r);
    unsigned char *near_vi = near_captions(r);
    size_t prev_en = (size_t)-1; /* the last English line not segmented */
    for (size_t i = 0; i < doc->nlines; i++) {
        const bt_line *l = &doc->lines[i];
        if (l->lang == BT_LANG_BLANK || lt->cont[i] || lt->furn[i]) continue;
        /* whether an English line holds a credit matters where it is far
         * from Vietnamese, and after a line left out */
        int near = l->lang == BT_LANG_EN && near_vi[r->ord[i]];
        int credit = l->lang == BT_LANG_EN && !near && credit_maybe_en(lt->text[i], lt->len[i]);
        if (l->lang == BT_LANG_VI || near || credit) {
            /* a credit on a line of its own closes the caption above it */
            if (prev_en != (size_t)-1 && r->ord[prev_en] + !lt->alone[i] == r->ord[i] &&
                (credit || (near && credit_maybe_en(lt->text[i], lt->len[i]))))
                cap_line_segments(&r->sg, lt->text[prev_en], lt->len[prev_en], BT_LANG_EN,
                                  prev_en);
            cap_line_segments(&r->sg, lt->text[i], lt->len[i], l->lang, i);
            prev_en = (size_t)-1;
        } else {
            prev_en = l->lang == BT_LANG_EN ? i : (size_t)-1;
        }
    }
    free(near_vi);
}
