/* tmx_int.h - internals shared by the tmx/ files: the one safe way to open
 * an XML reader, and the one place libxml2 errors become bt_diag reports.
 * libxml2 types stay inside tmx/. */
#ifndef BT_TMX_INT_H
#define BT_TMX_INT_H

#include "tmx.h"

#include <string.h>

#include <libxml/xmlreader.h>

struct xml_src;

/* A reader over one file with bitext's safety rules applied. */
typedef struct tmx_xr {
    xmlTextReaderPtr rd;
    struct xml_src *src; /* the bytes libxml2 reads, inflated and checked
                            against bt_limits as they arrive (xmlsafe.c) */
    const char *kind;    /* "TMX", "TBX" or "XML": what the file should be */
    size_t elem_text;    /* text since the last tag: one element's text */
    const char *was_reading; /* bt_reading's name before this file's */
    char *path;
    bt_diag_fn diag;
    void *dud;
    int status;          /* first fatal bt_status, BT_OK while fine */
    unsigned long nerrors; /* errors reported (parser and caller) */
    int fatal_seen;      /* the parser has given up: drop its echoes */
} tmx_xr;

/* Open path (plain, gzip'd; UTF-8 or UTF-16 with a BOM). NULL after
 * reporting the reason through diag. */
tmx_xr *tmx_xr_open(const char *path, bt_diag_fn diag, void *dud);
/* The same for a file that should be kind ("TMX", "TBX"): a file that is
 * no XML at all is named as not being one. */
tmx_xr *tmx_xr_open_kind(const char *path, const char *kind, bt_diag_fn diag, void *dud);
/* Advance to the next node. 1: a node; 0: end of document; negative: a
 * fatal bt_status, already reported (parse error, DOCTYPE with entities,
 * depth, or a bound of bt_limits: text, attribute, attributes, size). */
int tmx_xr_next(tmx_xr *r);
/* Line of the current node (its start tag for elements), or of the parser. */
unsigned long tmx_xr_line(tmx_xr *r);
/* Report a problem found by the caller at the current node's line. */
void tmx_xr_report(tmx_xr *r, int code, int is_warning, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void tmx_xr_close(tmx_xr *r); /* NULL ok */

/* Convenience accessors on the current node; strings borrowed until the
 * next tmx_xr_next. */
int tmx_xr_type(tmx_xr *r);
const char *tmx_xr_name(tmx_xr *r);       /* local name */
const char *tmx_xr_value(tmx_xr *r);      /* text value or NULL */
int tmx_xr_is_empty(tmx_xr *r);           /* <x/> (no end element follows) */
int tmx_xr_depth(tmx_xr *r);
/* Attribute by name ("xml:lang" matches the XML namespace); caller frees. */
char *tmx_xr_attr(tmx_xr *r, const char *name);

/* Set libxml2's process state bitext relies on: an external-entity loader
 * that refuses everything, and error output swallowed (errors reach bitext
 * through per-reader handlers or return codes). Cheap, idempotent. */
void tmx_xml_init(void);

/* ---- writing ---- */

/* A streaming XML writer over an atomic bt_outfile. The caller writes the
 * markup itself, indented as xmlTextWriter indented it; text and attribute
 * values go through an escaper that gives xmlTextWriter's bytes. libxml2's
 * writer cost 65 K instructions per <tu> (7 % of an align run). A unit is
 * made in one reserved piece of buf, which is written out in large blocks;
 * the first write error's errno is kept. */
typedef struct tmx_xw {
    bt_outfile *out;
    char *buf;           /* len bytes not yet written to out */
    size_t len, cap;
    int err;             /* errno of the first failed write, 0 if none */
} tmx_xw;

int tmx_xw_open(tmx_xw *x, const char *path);   /* 0 or -1 (errno) */
/* Write what is left, then commit the file. 0 or -1 (errno); frees. */
int tmx_xw_commit(tmx_xw *x);
void tmx_xw_abort(tmx_xw *x);
/* Write buf out once it is large. 0, or -1 with errno set. */
int tmx_xw_flush(tmx_xw *x);

/* Room for n more bytes: where to write them. tmx_xw_done(x, end) then
 * takes what was written up to end. */
char *tmx_xw_reserve(tmx_xw *x, size_t n);
void tmx_xw_done(tmx_xw *x, char *end);

/* Most bytes the escaped form of len bytes takes ("&quot;"). */
#define TMX_XW_ESC_MAX(len) (6 * (size_t)(len))
/* s (NUL-terminated, len == strlen(s)) escaped at o: without what XML 1.0
 * cannot hold (C0 controls but TAB, LF and CR; U+FFFE, U+FFFF; invalid
 * UTF-8 bytes), & < > " as entities and CR as &#13; (xmlEncodeSpecialChars),
 * and in an attribute TAB and LF as &#9; and &#10; too (libxml2's attribute
 * serializer). Returns the end of what was written. */
char *tmx_xw_escape(char *o, const char *s, size_t len, int attr);
/* A literal at o; returns its end. */
#define TMX_XW_LIT(o, lit) (memcpy((o), (lit), sizeof(lit) - 1), (o) + sizeof(lit) - 1)
/* An unsigned number at o (at most 20 bytes); returns its end. */
char *tmx_xw_ulong(char *o, unsigned long v);

/* Markup, as is. */
void tmx_xw_raw(tmx_xw *x, const char *s);
/* bt_tmx_read that also counts the units skipped for want of a vi or an
 * en segment. */
int tmx_read_counting(const char *path, bt_tmx_unit_fn fn, void *ud,
                         bt_diag_fn diag, void *dud, unsigned long *skipped);

/* What bitext tmx merge keeps of a unit read from a memory, beyond its
 * texts and bitext's own x- props (x-file, x-vi-line, x-en-line, x-score,
 * x-status, x-sources, which the store reads): markup as read, escaped
 * again and ready to be written, limited to what the TMX 1.4 DTD allows.
 * A list of items is elements ("<note>...</note>", "<prop ...>...</prop>"),
 * each followed by a NUL, len bytes in all. Strings are never NULL. */
typedef struct bt_tmx_meta bt_tmx_meta;
#define TMX_KEEP_MARK '\001' /* a byte escaped text never holds */
struct bt_tmx_meta {
    const char *attrs;         /* the tu's attributes in the order read, each
                                  ' name="value"'; usagecount and
                                  lastusagedate, the store's to decide, as
                                  TMX_KEEP_MARK and 'U' or 'L' */
    const char *changedate, *creationdate; /* as read, "" when absent: the
                                  latest unit's metadata wins */
    const char *lastusagedate; /* the latest of the collapsed units' */
    int has_tuid, has_usagecount;
    const char *items;         /* the tu's notes and other props, in order */
    size_t items_len;
    const char *more;          /* the store's: items of collapsed duplicates
                                  that the winner lacks, in byte order */
    size_t more_len;
    struct {
        const char *attrs;     /* ' xml:lang="vi-VN"' and the rest, as read */
        const char *items;     /* the tuv's notes and props */
        size_t items_len;
        const char *seg;       /* the seg's content: text and inline
                                  elements (bpt ept ph it hi ut sub) */
    } tuv[2];                  /* the Vietnamese, the English */
};

/* tmx_keep.c: markup kept as read. s escaped onto b (tmx_xw_escape). */
void tmx_keep_escape(bt_buf *b, const char *s, size_t len, int attr);
/* The current element's attributes that the TMX DTD declares for elem, as
 * ' name="value"' onto out (lang as xml:lang; a tu's usagecount and
 * lastusagedate marked, see bt_tmx_meta). Returns how many were left out. */
unsigned tmx_keep_attrs(tmx_xr *r, const char *elem, bt_buf *out);
/* "<elem attrs>" ("/>" when empty) onto out; the same return. */
unsigned tmx_keep_open(tmx_xr *r, const char *elem, int empty, bt_buf *out);
/* Is elem one of the DTD's elements inside a seg (bpt ept ph it hi ut sub)? */
int tmx_keep_inline(const char *elem);

/* bt_tmx_read that also gives each unit its bt_tmx_meta (for merge). */
int tmx_read_meta(const char *path, bt_tmx_unit_fn fn, void *ud,
                  bt_diag_fn diag, void *dud);

/* Whether the store holds (vi, en) already; if not, the pair is added
 * bare (no place, no count): bitext tmx stats counts distinct pairs. */
int tmx_store_seen(bt_tmx_store *s, const char *vi, const char *en);

/* Language code matching: "vi", "vi-VN", "VI_vn" match "vi". */
int tmx_lang_is(const char *code, const char *primary);

#endif
