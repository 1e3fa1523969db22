/* tmx.h - TMX 1.4b and TBX (2008, TBX-Basic) writing, streamed with libxml2's
 * xmlTextWriter; TMX and TBX reading with xmlReader (no network, no external
 * entities, no DTD loading, bounded depth and size).
 *
 * Strings in and out are UTF-8. Characters XML cannot hold (C0 controls but
 * TAB/LF, lone surrogates, U+FFFE/U+FFFF) are dropped on writing. No libxml2
 * type crosses this header. */
#ifndef BT_TMX_H
#define BT_TMX_H

#include "../base/base.h"

/* ---- TMX writing ----------------------------------------------------- */

typedef struct bt_tmx_writer bt_tmx_writer;

/* One translation unit. Identical (vi, en) units added several times are
 * the caller's business to collapse; usagecount is written when > 1. */
typedef struct bt_tmx_unit {
    const char *vi;            /* source segment */
    const char *en;            /* target segment */
    const char *file;          /* x-file prop (input path as found) */
    unsigned long vi_line;     /* x-vi-line */
    unsigned long en_line;     /* x-en-line */
    double score;              /* x-score, written with 3 decimals */
    unsigned usagecount;       /* written when > 1 */
    const char *status;        /* NULL, or e.g. "partial": x-status prop */
    const char *more_sources;  /* NULL, or further "file:vi:en" places
                                  (x-sources prop) for collapsed repeats */
} bt_tmx_unit;

/* Start memory at path (through a temporary file, renamed on close).
 * creationdate is the current UTC time. NULL on failure, errno set. */
bt_tmx_writer *bt_tmx_writer_open(const char *path, const char *tool_version);
int bt_tmx_writer_add(bt_tmx_writer *w, const bt_tmx_unit *u);
/* Finish the document, flush and rename into place. 0 or -1 (errno). Frees. */
int bt_tmx_writer_close(bt_tmx_writer *w);
void bt_tmx_writer_abort(bt_tmx_writer *w); /* removes the temporary; NULL ok */

/* ---- TBX writing (glossary) ------------------------------------------ */

typedef struct bt_tbx_entry {
    const char *vi;
    const char *en;
    const char *kind;      /* title, name, place, body */
    unsigned count;
    const char *sources;   /* "file:line, file:line", may be NULL */
} bt_tbx_entry;

/* Write the entries as TBX 2008 (martif type="TBX-Basic"), one termEntry per
 * entry, valid against OmegaT's tbx.xsd. Atomic like the TMX writer. */
int bt_tbx_write(const char *path, const bt_tbx_entry *entries, size_t n);

/* ---- reading --------------------------------------------------------- */

/* Called for each unit read; strings borrowed for the call. Return nonzero
 * to stop. */
typedef int (*bt_tmx_unit_fn)(void *ud, const bt_tmx_unit *u,
                              const char *srclang_text_lang,
                              const char *tgt_lang);

/* Stream a TMX file (plain or gzip'd), calling fn for every <tu> that has a
 * source and a target segment. Structure errors are reported through diag
 * with their line numbers. Returns BT_OK or an error code. */
int bt_tmx_read(const char *path, bt_tmx_unit_fn fn, void *ud,
                bt_diag_fn diag, void *dud);

/* Stream a TBX file (2008 martif or 2019 tbx root), calling fn for every
 * entry that has a Vietnamese and an English term; line is the entry's line
 * in the file. Same safety rules as bt_tmx_read. */
typedef int (*bt_tbx_entry_fn)(void *ud, const bt_tbx_entry *e,
                               unsigned long line);
int bt_tbx_read(const char *path, bt_tbx_entry_fn fn, void *ud,
                bt_diag_fn diag, void *dud);

#endif
