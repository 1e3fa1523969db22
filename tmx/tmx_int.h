/* tmx_int.h - internals shared by the tmx/ files: the one safe way to open
 * an XML reader, and the one place libxml2 errors become bt_diag reports.
 * libxml2 types stay inside tmx/. */
#ifndef BT_TMX_INT_H
#define BT_TMX_INT_H

#include "tmx.h"

#include <string.h>

#include <libxml/xmlreader.h>

/* A reader over one file with bitext's safety rules applied. */
typedef struct bt_xr {
    xmlTextReaderPtr rd;
    char *path;
    bt_diag_fn diag;
    void *dud;
    int status;          /* first fatal bt_status, BT_OK while fine */
    unsigned long nerrors; /* errors reported (parser and caller) */
    int fatal_seen;      /* the parser has given up: drop its echoes */
} bt_xr;

/* Open path (plain, gzip'd; UTF-8 or UTF-16 with a BOM). NULL after
 * reporting the reason through diag. */
bt_xr *bt_xr_open(const char *path, bt_diag_fn diag, void *dud);
/* Advance to the next node. 1: a node; 0: end of document; negative: a
 * fatal bt_status, already reported (parse error, DOCTYPE with entities,
 * depth or text limit). */
int bt_xr_next(bt_xr *r);
/* Line of the current node (its start tag for elements), or of the parser. */
unsigned long bt_xr_line(bt_xr *r);
/* Report a problem found by the caller at the current node's line. */
void bt_xr_report(bt_xr *r, int code, int is_warning, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void bt_xr_close(bt_xr *r); /* NULL ok */

/* Convenience accessors on the current node; strings borrowed until the
 * next bt_xr_next. */
int bt_xr_type(bt_xr *r);
const char *bt_xr_name(bt_xr *r);       /* local name */
const char *bt_xr_value(bt_xr *r);      /* text value or NULL */
int bt_xr_is_empty(bt_xr *r);           /* <x/> (no end element follows) */
int bt_xr_depth(bt_xr *r);
/* Attribute by name ("xml:lang" matches the XML namespace); caller frees. */
char *bt_xr_attr(bt_xr *r, const char *name);

/* Set libxml2's process state bitext relies on: an external-entity loader
 * that refuses everything, and error output swallowed (errors reach bitext
 * through per-reader handlers or return codes). Cheap, idempotent. */
void bt_xml_init(void);

/* ---- writing ---- */

/* A streaming XML writer over an atomic bt_outfile. The caller writes the
 * markup itself, indented as xmlTextWriter indented it; text and attribute
 * values go through an escaper that gives xmlTextWriter's bytes. libxml2's
 * writer cost 65 K instructions per <tu> (7 % of an align run). A unit is
 * made in one reserved piece of buf, which is written out in large blocks;
 * the first write error's errno is kept. */
typedef struct bt_xw {
    bt_outfile *out;
    char *buf;           /* len bytes not yet written to out */
    size_t len, cap;
    int err;             /* errno of the first failed write, 0 if none */
} bt_xw;

int bt_xw_open(bt_xw *x, const char *path);   /* 0 or -1 (errno) */
/* Write what is left, then commit the file. 0 or -1 (errno); frees. */
int bt_xw_commit(bt_xw *x);
void bt_xw_abort(bt_xw *x);
/* Write buf out once it is large. 0, or -1 with errno set. */
int bt_xw_flush(bt_xw *x);

/* Room for n more bytes: where to write them. bt_xw_done(x, end) then
 * takes what was written up to end. */
char *bt_xw_reserve(bt_xw *x, size_t n);
void bt_xw_done(bt_xw *x, char *end);

/* Most bytes the escaped form of len bytes takes ("&quot;"). */
#define BT_XW_ESC_MAX(len) (6 * (size_t)(len))
/* s (NUL-terminated, len == strlen(s)) escaped at o: without what XML 1.0
 * cannot hold (C0 controls but TAB, LF and CR; U+FFFE, U+FFFF; invalid
 * UTF-8 bytes), & < > " as entities and CR as &#13; (xmlEncodeSpecialChars),
 * and in an attribute TAB and LF as &#9; and &#10; too (libxml2's attribute
 * serializer). Returns the end of what was written. */
char *bt_xw_escape(char *o, const char *s, size_t len, int attr);
/* A literal at o; returns its end. */
#define BT_XW_LIT(o, lit) (memcpy((o), (lit), sizeof(lit) - 1), (o) + sizeof(lit) - 1)
/* An unsigned number at o (at most 20 bytes); returns its end. */
char *bt_xw_ulong(char *o, unsigned long v);

/* Markup, as is. */
void bt_xw_raw(bt_xw *x, const char *s);
/* bt_tmx_read that also counts the units skipped for want of a vi or an
 * en segment. */
int bt_tmx_read_counting(const char *path, bt_tmx_unit_fn fn, void *ud,
                         bt_diag_fn diag, void *dud, unsigned long *skipped);

/* Whether the store holds (vi, en) already; if not, the pair is added
 * bare (no place, no count): bitext tmx stats counts distinct pairs. */
int tmx_store_seen(bt_tmx_store *s, const char *vi, const char *en);

/* Language code matching: "vi", "vi-VN", "VI_vn" match "vi". */
int bt_lang_is(const char *code, const char *primary);

#endif
