/* tmx_keep.c - what bitext tmx merge keeps of the markup it reads: the
 * attributes of tu, tuv, prop, note and of the inline elements of a seg,
 * serialized again (escaped as the writer escapes) for the writer to copy.
 * Only what the TMX 1.4 DTD allows is kept, so that the merged memory
 * stays valid; the rest is reported. */
#define _POSIX_C_SOURCE 200809L
#include "tmx_int.h"

#include <string.h>

void tmx_keep_escape(bt_buf *b, const char *s, size_t len, int attr)
{
    bt_buf_reserve(b, TMX_XW_ESC_MAX(len) + 1);
    char *end = tmx_xw_escape(b->ptr + b->len, s, len, attr);
    b->len = (size_t)(end - b->ptr);
    b->ptr[b->len] = '\0';
}

/* The attributes the DTD declares, per element, NULL-ended. */
static const char *const tu_names[] = {
    "tuid", "o-encoding", "datatype", "usagecount", "lastusagedate", "creationtool",
    "creationtoolversion", "creationdate", "creationid", "changedate", "segtype",
    "changeid", "o-tmf", "srclang", NULL };
static const char *const tuv_names[] = {
    "xml:lang", "o-encoding", "datatype", "usagecount", "lastusagedate", "creationtool",
    "creationtoolversion", "creationdate", "creationid", "changedate", "o-tmf",
    "changeid", NULL };
static const char *const prop_names[] = { "type", "xml:lang", "o-encoding", NULL };
static const char *const note_names[] = { "xml:lang", "o-encoding", NULL };
static const char *const bpt_names[] = { "i", "x", "type", NULL };
static const char *const ept_names[] = { "i", NULL };
static const char *const ph_names[] = { "x", "assoc", "type", NULL };
static const char *const it_names[] = { "pos", "x", "type", NULL };
static const char *const hi_names[] = { "x", "type", NULL };
static const char *const ut_names[] = { "x", NULL };
static const char *const sub_names[] = { "datatype", "type", NULL };

static const struct {
    const char *elem;
    const char *const *names;
} known[] = {
    { "tu", tu_names }, { "tuv", tuv_names }, { "prop", prop_names },
    { "note", note_names }, { "bpt", bpt_names }, { "ept", ept_names },
    { "ph", ph_names }, { "it", it_names }, { "hi", hi_names },
    { "ut", ut_names }, { "sub", sub_names },
};

static const char *const *names_of(const char *elem)
{
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (!strcmp(known[i].elem, elem)) return known[i].names;
    return NULL;
}

int tmx_keep_inline(const char *elem)
{
    return names_of(elem) && strcmp(elem, "tu") && strcmp(elem, "tuv") &&
           strcmp(elem, "prop") && strcmp(elem, "note");
}

static int listed(const char *const *names, const char *name)
{
    for (size_t i = 0; names[i]; i++)
        if (!strcmp(names[i], name)) return 1;
    return 0;
}

/* usagecount and lastusagedate of a tu are the store's to write: their
 * places are marked. */
static int skipped(const char *elem, const char *name)
{
    return !strcmp(elem, "tu") &&
           (!strcmp(name, "usagecount") || !strcmp(name, "lastusagedate"));
}

unsigned tmx_keep_attrs(tmx_xr *r, const char *elem, bt_buf *out)
{
    const char *const *names = names_of(elem);
    xmlTextReaderPtr rd = r->rd;
    unsigned dropped = 0;
    int has_xml_lang = 0;
    if (!names || xmlTextReaderHasAttributes(rd) != 1) return 0;
    /* the deprecated lang is written as xml:lang, unless both are there */
    xmlChar *xl = xmlTextReaderGetAttributeNs(rd, (const xmlChar *)"lang",
                                              (const xmlChar *)"http://www.w3.org/XML/1998/namespace");
    has_xml_lang = xl != NULL;
    xmlFree(xl);
    while (xmlTextReaderMoveToNextAttribute(rd) == 1) {
        const char *name = (const char *)xmlTextReaderConstName(rd);
        const char *value = (const char *)xmlTextReaderConstValue(rd);
        if (!name || !value || xmlTextReaderIsNamespaceDecl(rd) == 1) continue;
        if (!strcmp(name, "lang") && listed(names, "xml:lang")) {
            if (has_xml_lang) continue;
            name = "xml:lang";
        }
        if (skipped(elem, name)) {
            /* where the store's value goes */
            bt_buf_addc(out, TMX_KEEP_MARK);
            bt_buf_addc(out, name[0] == 'u' ? 'U' : 'L');
            continue;
        }
        if (!listed(names, name)) {
            dropped++;
            continue;
        }
        bt_buf_addc(out, ' ');
        bt_buf_adds(out, name);
        bt_buf_adds(out, "=\"");
        tmx_keep_escape(out, value, strlen(value), 1);
        bt_buf_addc(out, '"');
    }
    xmlTextReaderMoveToElement(rd);
    return dropped;
}

unsigned tmx_keep_open(tmx_xr *r, const char *elem, int empty, bt_buf *out)
{
    bt_buf_addc(out, '<');
    bt_buf_adds(out, elem);
    unsigned dropped = tmx_keep_attrs(r, elem, out);
    bt_buf_adds(out, empty ? "/>" : ">");
    return dropped;
}
