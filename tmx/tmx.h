/* tmx.h - TMX 1.4b and TBX (2008, TBX-Basic) writing, streamed with
 * bitext's own escaping (the bytes libxml2's xmlTextWriter wrote); TMX and
 * TBX reading with xmlReader (no network, no external entities, no DTD
 * loading, bounded depth and size).
 *
 * Strings in and out are UTF-8. Characters XML 1.0 cannot hold (C0 controls
 * but TAB/LF/CR, surrogates, U+FFFE/U+FFFF) and invalid UTF-8 bytes are
 * dropped on writing. No libxml2 type crosses this header; libxml2 errors are
 * translated into bt_diag reports in one place (tmx/xmlsafe.c), and nothing
 * here prints.
 *
 * Reading limits: element depth BT_XML_MAX_DEPTH; one text node, segment
 * or term BT_XML_MAX_TEXT bytes, and the bt_limits of base.h (attribute
 * values and <prop> text, attributes per element, decompressed size),
 * checked as the bytes arrive; a DOCTYPE that declares entities is refused; no
 * DTD or external entity is ever loaded and nothing is fetched. Files may be
 * gzip'd; UTF-16 with a BOM is read as such. */
#ifndef BT_TMX_H
#define BT_TMX_H

#include "../base/base.h"

#define BT_XML_MAX_DEPTH 64
/* one text node, segment or term: bt_limits' text (4 MiB unless raised) */
#define BT_XML_MAX_TEXT (bt_limits_get()->text)

/* ---- TMX writing ----------------------------------------------------- */

typedef struct bt_tmx_writer bt_tmx_writer;

/* One translation unit. Identical (vi, en) units added several times are
 * the caller's business to collapse; usagecount is written when > 1. */
typedef struct bt_tmx_unit {
    const char *vi;            /* source segment */
    const char *en;            /* target segment */
    const char *file;          /* x-file prop (input path as found);
                                  NULL: no prop */
    unsigned long vi_line;     /* x-vi-line; 0: no prop */
    unsigned long en_line;     /* x-en-line; 0: no prop */
    double score;              /* x-score, written with 3 decimals, capped
                                  at 1; negative: no prop */
    unsigned usagecount;       /* written when > 1 */
    const char *status;        /* NULL, or e.g. "partial": x-status prop */
    const char *more_sources;  /* NULL, or further "file:vi:en" places
                                  joined by "; " (x-sources prop) for
                                  collapsed repeats */
    const struct bt_tmx_meta *meta; /* NULL, or what bitext tmx merge keeps
                                  of a unit read from another tool: its
                                  attributes, notes, props and inline
                                  markup (tmx/ internal) */
} bt_tmx_unit;

/* Start memory at path (through a temporary file, renamed on close).
 * creationdate is the current UTC time, or SOURCE_DATE_EPOCH when that is
 * set (reproducible outputs). NULL on failure, errno set. */
bt_tmx_writer *bt_tmx_writer_open(const char *path, const char *tool_version);

/* What a memory written for translators may carry beyond the defaults. */
typedef struct bt_tmx_write_opts {
    const char *lang_vi;   /* xml:lang of the Vietnamese side and srclang;
                              NULL: "vi" (see bt_tmx_lang_ok) */
    const char *lang_en;   /* of the English side; NULL: "en" */
    int provenance;        /* per unit: creationid="bitext" and a <note>
                              "FILE:LINE, score S, STATUS" that CAT tools
                              show beside the match */
    double min_score;      /* bt_tmx_store_write_opts: units whose x-score
                              is below are left out (0: none is) */
    unsigned langs_given;  /* units read from a memory (merge): 1 writes
                              lang_vi, 2 lang_en on their tuvs whatever
                              code they were read with (else as read) */
} bt_tmx_write_opts;

/* bt_tmx_writer_open with opts (NULL: the defaults). */
bt_tmx_writer *bt_tmx_writer_open_opts(const char *path, const char *tool_version,
                                       const bt_tmx_write_opts *opts);

/* Is code a language tag the writers accept: letters, 2 to 8, then
 * "-" and 1 to 8 letters or digits, repeated ("vi", "vi-VN", "en-US",
 * "zh-Hant-TW")? */
int bt_tmx_lang_ok(const char *code);
/* Append one <tu>. vi and en must not be NULL. 0, or -1 with errno set
 * (the writer is then only good for bt_tmx_writer_abort). */
int bt_tmx_writer_add(bt_tmx_writer *w, const bt_tmx_unit *u);
/* Finish the document, flush, fsync and rename into place. 0, or -1 with
 * errno set (ENOSPC, EFBIG, ...) and the temporary removed. Frees w. */
int bt_tmx_writer_close(bt_tmx_writer *w);
void bt_tmx_writer_abort(bt_tmx_writer *w); /* removes the temporary; NULL ok */

/* ---- the memory store ------------------------------------------------ */

/* Distinct (vi, en) units in order of first appearance, with how often
 * each was seen and where: what `align` collects and `tmx merge` collapses
 * into. A unit keeps at most max_places further places (x-sources) beyond
 * its own; with note_dropped, the places past the limit are written as a
 * last "+N more" entry, else only usagecount tells of them.
 *
 * The two commands keep different numbers, each named once below: align
 * writes a memory of millions of units straight from articles, where a few
 * places show where a pair comes from and "+N more" counts the rest (so a
 * translator sees that more exist; docs/translators.md); merge collapses
 * memories that may each have collapsed already, so it keeps more and
 * counts the rest, so that a merge of merges loses no count. */
#define BT_TMX_ALIGN_PLACES 5      /* bitext align: places kept, then "+N more" */
#define BT_TMX_MAX_SOURCES 64      /* bitext tmx merge: then "+N more" */

typedef struct bt_tmx_store bt_tmx_store;

bt_tmx_store *bt_tmx_store_new(unsigned max_places, int note_dropped);
void bt_tmx_store_free(bt_tmx_store *s); /* NULL ok */
size_t bt_tmx_store_size(const bt_tmx_store *s); /* distinct units */

/* One occurrence of the pair u->vi, u->en found in an input: a new pair
 * takes u's file, lines, score and status; a repeat counts one more use,
 * keeps the better score and adds u's place (each call is an occurrence of
 * its own: a place is not looked for among those kept). u->usagecount and
 * u->more_sources are not read. Strings are copied. */
void bt_tmx_store_add(bt_tmx_store *s, const bt_tmx_unit *u);

/* What bt_tmx_store_merge did with a unit. */
enum { BT_TMX_ADDED = 0, BT_TMX_COLLAPSED, BT_TMX_REIMPORTED };
/* A unit read from a memory: a new pair is taken as it is; a repeat adds
 * its usagecount (1 when 0) and its places, own and x-sources, that the
 * unit does not hold yet, and keeps the best score. "+N more" marks add
 * up. A repeat whose places are all known already is the same occurrence
 * imported again and is not counted (BT_TMX_REIMPORTED).
 *
 * So that merges in any order agree unit for unit, places are kept in
 * order (file name, then lines as numbers): the first is the unit's own
 * (x-file, x-vi-line, x-en-line), the next max_places go to x-sources, the
 * rest are counted. With u->meta, the metadata of the latest unit wins
 * (the greatest changedate, or creationdate when it has none; ties by the
 * bytes of the metadata): its attributes, tuvs, inline markup and status;
 * the notes and props of all the units are united (the winner's in their
 * order, then the others in byte order) and lastusagedate is the latest.
 * A unit without meta keeps the first status. */
int bt_tmx_store_merge(bt_tmx_store *s, const bt_tmx_unit *u);

/* Unit i (0 <= i < size) as it is written: strings borrowed until
 * bt_tmx_store_free, more_sources made in sources (caller's buffer). */
void bt_tmx_store_get(const bt_tmx_store *s, size_t i, bt_tmx_unit *u, bt_buf *sources);
/* Write every unit to path (bt_tmx_writer). 0, or -1 with errno set and
 * path left untouched. */
int bt_tmx_store_write(const bt_tmx_store *s, const char *path, const char *tool_version);
/* The same with opts (NULL: the defaults); *written, when not NULL, gets
 * the number of units written (those at or above opts->min_score). */
int bt_tmx_store_write_opts(const bt_tmx_store *s, const char *path,
                            const char *tool_version, const bt_tmx_write_opts *opts,
                            size_t *written);

/* ---- exports (bitext tmx export, align --export) ---------------------- */

/* A memory's units for tools that take no TMX. TSV: a header line "vi en
 * score status file lines" (tab-separated), then one row per unit: the
 * segments (tabs and line breaks as spaces), x-score with 3 decimals,
 * x-status (or "accepted" for a scored unit without one), x-file, and
 * "VI_LINE:EN_LINE". XLIFF 1.2 (strict schema): one <file> whose
 * trans-units hold source, target (state translated, or
 * needs-review-translation for a unit that is not accepted) and a note
 * "FILE:LINE, score S, STATUS". XLSX: the TSV's table as a workbook (one
 * sheet, "memory", a bold header row; score a number), written through
 * libxlsxwriter. */
enum { BT_TMX_EXPORT_TSV = 0, BT_TMX_EXPORT_XLIFF, BT_TMX_EXPORT_XLSX };
/* "tsv", "xliff" (or "xlf"), "xlsx" -> format; -1 when unknown. */
int bt_tmx_export_format_parse(const char *name);
/* The file name extension of a format: "tsv", "xlf", "xlsx". */
const char *bt_tmx_export_ext(int format);

typedef struct bt_tmx_export bt_tmx_export;
/* Start an export at path (atomic, like the TMX writer); lang_vi and
 * lang_en (NULL: vi, en) and original (the memory's name, NULL:
 * memory.tmx) go into XLIFF's <file>. NULL on failure, errno set. */
bt_tmx_export *bt_tmx_export_open(const char *path, int format, const char *lang_vi,
                                  const char *lang_en, const char *original);
int bt_tmx_export_add(bt_tmx_export *e, const bt_tmx_unit *u); /* 0 or -1 */
int bt_tmx_export_close(bt_tmx_export *e);  /* commit: 0, or -1 (errno); frees */
void bt_tmx_export_abort(bt_tmx_export *e); /* NULL ok */
/* Is a unit scored score kept under a threshold min (0: every unit)? The
 * score as the files write it (three decimals) is compared, so that a unit
 * shown as 0.991 is kept at 0.991. */
int bt_tmx_score_kept(double score, double min);
/* The units of s at or above opts->min_score, exported to path. */
int bt_tmx_store_export(const bt_tmx_store *s, const char *path, int format,
                        const bt_tmx_write_opts *opts, const char *original);

/* ---- TBX writing (glossary) ------------------------------------------ */

typedef struct bt_tbx_entry {
    const char *vi;
    const char *en;
    const char *kind;      /* title, name, place, body */
    unsigned count;
    const char *sources;   /* "file:line, file:line", may be NULL */
} bt_tbx_entry;

/* Write the entries as TBX 2008 (martif type="TBX-Basic"), one termEntry per
 * entry, valid against OmegaT's tbx.xsd (which wants at least one entry).
 * Atomic like the TMX writer. 0, or -1 with errno set.
 *
 * Layout of an entry (what bt_tbx_read reads back):
 *   <termEntry id="eN">
 *     <descrip type="subjectField">KIND</descrip>
 *     <admin type="source">SOURCES</admin>
 *     <note>count: COUNT</note>
 *     <langSet xml:lang="vi"><tig><term>VI</term>
 *       <termNote type="partOfSpeech">noun|properNoun</termNote></tig></langSet>
 *     <langSet xml:lang="en"><tig><term>EN</term>
 *       <termNote type="partOfSpeech">...</termNote>
 *       <termNote type="administrativeStatus">STATUS</termNote></tig>
 *     </langSet>   (the status when given)
 *   </termEntry>
 * Entry-level notes, as OmegaT's schema wants them before the langSets. */
int bt_tbx_write(const char *path, const bt_tbx_entry *entries, size_t n);
/* The same, with status[i] the English term's administrativeStatus
 * ("preferredTerm-admn-sts", "admittedTerm-admn-sts",
 * "deprecatedTerm-admn-sts") or NULL for none; status may be NULL. */
int bt_tbx_write_status(const char *path, const bt_tbx_entry *entries,
                        const char *const *status, size_t n);
/* The same with the langSets' xml:lang from opts (lang_vi, lang_en; NULL
 * opts or fields: "vi", "en"). */
int bt_tbx_write_opts(const char *path, const bt_tbx_entry *entries,
                      const char *const *status, size_t n,
                      const bt_tmx_write_opts *opts);

/* ---- reading --------------------------------------------------------- */

/* Called for each unit read; strings borrowed for the call. The unit's
 * fields come from the x-* props (0 / NULL when absent; score is -1 when
 * there is no x-score); usagecount is 1 when the attribute is absent.
 * srclang_text_lang and tgt_lang are the xml:lang values as written
 * ("vi-VN", "en"). Return nonzero to stop. */
typedef int (*bt_tmx_unit_fn)(void *ud, const bt_tmx_unit *u,
                              const char *srclang_text_lang,
                              const char *tgt_lang);

/* Stream a TMX file (plain or gzip'd), calling fn for every <tu> that has a
 * Vietnamese (vi, vi-*) and an English (en, en-*) segment; other units are
 * reported as warnings and skipped. Errors are reported through diag with
 * their line numbers. Returns BT_OK, or an error code (BT_ERR_IO,
 * BT_ERR_FORMAT, BT_ERR_LIMIT) after reporting it. A stop requested by fn
 * returns BT_OK. */
int bt_tmx_read(const char *path, bt_tmx_unit_fn fn, void *ud,
                bt_diag_fn diag, void *dud);

/* Stream a TBX file (2008 martif or 2019 tbx root), calling fn for every
 * entry that has a Vietnamese and an English term; line is the entry's line
 * in the file. Same safety rules as bt_tmx_read. */
typedef int (*bt_tbx_entry_fn)(void *ud, const bt_tbx_entry *e,
                               unsigned long line);
int bt_tbx_read(const char *path, bt_tbx_entry_fn fn, void *ud,
                bt_diag_fn diag, void *dud);

/* ---- TMX utilities (bitext tmx validate|merge) ----------------------- */

/* Check path against the TMX 1.4b structure: root and version, header and
 * its required attributes, srclang, every tu with at least two tuv carrying
 * xml:lang and one seg each, a tuv in the srclang, only inline elements in
 * seg, element order. Every problem goes through diag with its line.
 * Returns the number of problems found (0: valid), or a negative bt_status
 * when the file cannot be read at all (also reported). *units, when not
 * NULL, receives the number of <tu> seen. */
long bt_tmx_validate(const char *path, unsigned long *units,
                     bt_diag_fn diag, void *dud);

typedef struct bt_tmx_merge_stats {
    unsigned long read;      /* units read from all inputs */
    unsigned long written;   /* distinct (vi, en) units written */
    unsigned long collapsed; /* units folded into an earlier identical one */
    unsigned long reimported;/* of those, units whose places were all known
                                already: not counted again */
} bt_tmx_merge_stats;

/* Stream the inputs in order and write out_path (atomically) with identical
 * (vi, en) pairs collapsed into their first appearance, as
 * bt_tmx_store_merge does: usagecounts are summed, the other places go to
 * x-sources (at most BT_TMX_MAX_SOURCES, then a "+N more" mark), order is
 * that of first appearance. Memory holds the distinct pairs only. A unit
 * whose place (x-file:x-vi-line:x-en-line) and x-sources are all known
 * already is the same occurrence imported again and adds nothing, so
 * merging a memory with itself does not double its counts.
 *
 * What a unit carries is kept as read (a Trados or memoQ memory): the
 * attributes of its tu and tuvs (tuid, dates, creationid, changeid, ...;
 * a tuid and the run's creationdate are written only for a unit without),
 * its notes and props, the language codes as written ("vi-VN"), the inline
 * elements of its segs (bpt ept ph it hi ut sub) with their attributes and
 * content; only what the TMX 1.4 DTD allows (the rest is reported, once a
 * file). Pairs are still told apart by their text (inline codes' content
 * left out) and matched by language whatever the region or case. Repeats
 * unite as bt_tmx_store_merge says. The header's srclang is the
 * Vietnamese code most units use (the first in byte order among equals).
 * Tuvs of other languages are not kept. Returns BT_OK or an error code; on
 * error out_path is left untouched. st may be NULL. */

/* What bitext tmx stats prints. */
typedef struct bt_tmx_stats {
    unsigned long units;        /* <tu> with a vi and an en segment */
    unsigned long skipped;      /* other <tu> (reported as warnings) */
    unsigned long distinct;     /* distinct (vi, en) pairs among units */
    unsigned long duplicates;   /* units repeating an earlier pair */
    unsigned long usage;        /* sum of usagecounts (1 when absent) */
    unsigned long no_score;     /* units without x-score */
    unsigned long score_hist[10]; /* x-score in [0,.1), [.1,.2) ... [.9,1] */
    struct { char code[24]; unsigned long n; } langs[16];
    size_t nlangs;              /* distinct xml:lang values, as written */
    unsigned long other_langs;  /* segments beyond the 16 codes kept */
} bt_tmx_stats;

/* Read path and fill st. Returns BT_OK or an error code (reported). */
int bt_tmx_stats_read(const char *path, bt_tmx_stats *st, bt_diag_fn diag,
                      void *dud);
int bt_tmx_merge(const char *out_path, const char *const *inputs, size_t n,
                 const char *tool_version, bt_tmx_merge_stats *st,
                 bt_diag_fn diag, void *dud);
/* bt_tmx_merge writing the given codes: lang_vi (when not NULL) as the
 * xml:lang of every Vietnamese tuv and as srclang, lang_en of every
 * English one, whatever the inputs were written with (checked with
 * bt_tmx_lang_ok by the caller). */
int bt_tmx_merge_langs(const char *out_path, const char *const *inputs, size_t n,
                       const char *tool_version, const char *lang_vi, const char *lang_en,
                       bt_tmx_merge_stats *st, bt_diag_fn diag, void *dud);

#endif
