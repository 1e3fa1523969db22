/* base.h - memory, growable buffers, UTF-8, diagnostics and atomic output
 * files shared by every bitext module.
 *
 * Everything here is plain C with no ICU or libxml2 types. Out-of-memory is
 * decided once: the bt_x* allocators print a message and abort. */
#ifndef BT_BASE_H
#define BT_BASE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- memory ---------------------------------------------------------- */

void *bt_xmalloc(size_t n);                /* caller frees */
void *bt_xcalloc(size_t n, size_t size);   /* caller frees */
void *bt_xrealloc(void *p, size_t n);      /* caller frees the result */
char *bt_xstrdup(const char *s);           /* caller frees */
char *bt_xstrndup(const char *s, size_t n);/* caller frees; NUL-terminated */

/* Grow *arr (of element size elt) so that it holds at least need elements. */
void bt_grow(void **arr, size_t *cap, size_t need, size_t elt);
/* The test inline: most calls find room already. */
#define BT_GROW(arr, cap, need) \
    ((need) <= (cap) ? (void)0 : bt_grow((void **)&(arr), &(cap), (need), sizeof *(arr)))

/* A thread's own block of n * size bytes, zeroed, for a memo or a cache
 * the thread keeps between calls: the caller keeps it in a _Thread_local
 * pointer, asking once per thread. At the thread's exit the block goes to
 * drop (which frees it and what it holds), or to free when drop is NULL. */
void *bt_thread_block(size_t n, size_t size, void (*drop)(void *));

/* A 64-bit hash of s[0..n), continued from h (start with any constant),
 * eight bytes per multiply: for tables whose order is not an output's. */
uint64_t bt_hash_bytes(uint64_t h, const void *s, size_t n);

/* ---- arena: room that never moves (base.c) ---------------------------- *
 * Blocks of at least chunk bytes (0: 64 KiB), newest first, all freed at
 * once: for many small pieces whose addresses must stay put while more
 * are added (a map's keys, lines that grew, an article's matches). */
typedef struct bt_arena {
    struct bt_arena_block *blocks;
    size_t chunk;
} bt_arena;

void bt_arena_init(bt_arena *a, size_t chunk);
/* n bytes at an address that is a multiple of align (a power of two, at
 * most that of max_align_t), kept until bt_arena_free. */
void *bt_arena_alloc(bt_arena *a, size_t n, size_t align);
void bt_arena_free(bt_arena *a);               /* back to the empty state */

/* ---- hash map (map.c) ------------------------------------------------ *
 * Byte strings (NULs allowed) to dense indices 0, 1, 2, ... in the order
 * of first insertion: the caller keeps values in arrays indexed by the
 * result, and walking them in index order is independent of hashing. Keys
 * are copied; a key's address stays the same until bt_map_free. */
typedef struct bt_map {
    const char **key;    /* key i, NUL-terminated */
    size_t *len;         /* its length */
    uint64_t *hash;
    size_t n, cap;
    uint32_t *slots;     /* open addressing: index + 1, 0 = empty */
    size_t nslots;
    bt_arena keys;       /* where the keys are copied */
} bt_map;

#define BT_MAP_NONE ((size_t)-1)
void bt_map_init(bt_map *m);
void bt_map_free(bt_map *m);                  /* back to the empty state */
/* Index of key, or BT_MAP_NONE. */
size_t bt_map_find(const bt_map *m, const char *key, size_t len);
/* Index of key, added when absent (then *fresh = 1; fresh may be NULL). */
size_t bt_map_add(bt_map *m, const char *key, size_t len, int *fresh);
static inline size_t bt_map_size(const bt_map *m) { return m->n; }
static inline const char *bt_map_key(const bt_map *m, size_t i) { return m->key[i]; }
static inline size_t bt_map_key_len(const bt_map *m, size_t i) { return m->len[i]; }

/* ---- growable byte buffer ------------------------------------------- *
 * Invariant: after bt_buf_init, ptr is never NULL and ptr[len] == '\0'. */
typedef struct bt_buf {
    char *ptr;
    size_t len;
    size_t cap;
} bt_buf;

void bt_buf_init(bt_buf *b);
void bt_buf_free(bt_buf *b);                  /* back to the empty state */
void bt_buf_reset(bt_buf *b);                 /* len = 0, keeps memory */
void bt_buf_add(bt_buf *b, const char *s, size_t n);
void bt_buf_adds(bt_buf *b, const char *s);
void bt_buf_addc(bt_buf *b, char c);
void bt_buf_printf(bt_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *bt_buf_detach(bt_buf *b);               /* caller frees; b is emptied */
void bt_buf_reserve(bt_buf *b, size_t n);     /* room for n more bytes */

/* ---- bounded lists of places ------------------------------------------ *
 * A list of places ("file:line" in a glossary, "file:vi:en" in a TMX's
 * x-sources) keeps a bounded number of them and ends with one item "+N
 * more" for the N left out, so no count is lost without a word; readers
 * of either list take the mark back as a count, never as a place. */

/* Append sep (when list is not empty) and "+N more" to list; nothing when
 * n is 0. */
void bt_places_more_add(bt_buf *list, const char *sep, unsigned long n);
/* Is item[0..len) such a mark ("+" digits " more")? Then *n is N (capped
 * at ULONG_MAX). */
int bt_places_more_parse(const char *item, size_t len, unsigned long *n);

/* ---- UTF-8 ---------------------------------------------------------- */

/* Decode one code point from s[0..len). Returns the number of bytes used
 * (1..4) and stores the code point in *cp, or returns -1 for an invalid or
 * truncated sequence (overlongs, surrogates, > U+10FFFF are invalid). */
int bt_utf8_decode(const char *s, size_t len, int32_t *cp);
/* Encode cp into out (at least 4 bytes); returns the byte count. */
int bt_utf8_encode(int32_t cp, char *out);
/* Offset of the first invalid byte, or (size_t)-1 when s is valid UTF-8. */
size_t bt_utf8_invalid_at(const char *s, size_t len);

/* ---- file names as text ---------------------------------------------- *
 * A file name is bytes; every output that names a file (pairs.jsonl,
 * TMX, TBX, glossaries, check's findings, messages) writes it as text by
 * this one rule, which reads back to the same bytes (bitext(1), "File
 * names"): valid UTF-8 is kept as it is, except that %XX (two
 * upper-case hex digits) stands for each byte that is not part of valid
 * UTF-8, each control (below 0x20, 0x7F), a '%' followed by two hex digits
 * (as %25) and a ',' or ';' followed by a space (%2C, %3B: they separate
 * the places of a list of sources). Reading back turns every %XX into its
 * byte. Appends the text of name[0..len) to out. */
void bt_name_text(bt_buf *out, const char *name, size_t len);

/* ---- errors and diagnostics ----------------------------------------- */

typedef enum bt_status {
    BT_OK = 0,
    BT_ERR_IO = -1,       /* cannot open, read or write */
    BT_ERR_UTF8 = -2,     /* invalid UTF-8 */
    BT_ERR_FORMAT = -3,   /* malformed input (gzip, XML, TSV, binary) */
    BT_ERR_LIMIT = -4,    /* a configured size limit was hit */
    BT_ERR_EMPTY = -5,    /* no usable input */
    BT_ERR_ENCODING = -6, /* unknown or failing character conversion */
    BT_ERR_USAGE = -7     /* bad arguments to a library call */
} bt_status;

const char *bt_strerror(int code); /* static string */

/* A diagnostic with a place. line is 0 when the problem concerns a whole
 * file. Strings are borrowed for the duration of the callback. */
typedef struct bt_diag {
    int code;            /* bt_status */
    int is_warning;      /* 1: the run goes on and the item was repaired */
    const char *file;
    unsigned long line;
    const char *msg;
} bt_diag;

typedef void (*bt_diag_fn)(void *ud, const bt_diag *d);

/* Report through fn (which may be NULL). */
void bt_report(bt_diag_fn fn, void *ud, int code, int is_warning,
               const char *file, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* ---- atomic output files -------------------------------------------- *
 * Written to a temporary file beside the final path and renamed into place
 * by bt_outfile_commit, so a killed run never leaves a half-written file.
 * On Linux the file has no name until the commit (O_TMPFILE), so a killed
 * run leaves no temporary either. */
typedef struct bt_outfile bt_outfile;

/* Opens a temporary file in the directory of final_path. NULL on failure
 * with errno set. */
bt_outfile *bt_outfile_open(const char *final_path);
FILE *bt_outfile_fp(bt_outfile *o);          /* borrowed until commit/abort */
int bt_outfile_fd(bt_outfile *o);            /* the file's; write through fp */
/* Writes out what the stream holds: 0, or -1 with errno set when the
 * file cannot be whole (full disk, size limit), known before the fsync
 * and rename of a commit. */
int bt_outfile_flush(bt_outfile *o);
/* Flushes, fsyncs and renames; frees o. Returns 0, or -1 with errno set (the
 * temporary file is then removed). */
int bt_outfile_commit(bt_outfile *o);
void bt_outfile_abort(bt_outfile *o);       /* removes the temporary; NULL ok */
/* The CRC-32 and size of the bytes written to path, when this process
 * committed the file now at path: 0, or -1 (then read it to know). */
int bt_outfile_committed(const char *path, uint32_t *crc, uint64_t *size);

/* ---- input bounds ----------------------------------------------------- *
 * What one XML (TMX, TBX) or TSV (glossary, dictionary, table) file may
 * hold, checked while it streams in, so that a small hostile file cannot
 * take the memory or the time of a large one (a 600 KB gzip'd TMX held
 * 600 MB of <prop> text). Process-wide, set once by the program from
 * BITEXT_LIMITS; a file past a bound is refused with its name and line. */
typedef struct bt_limits {
    size_t text;    /* one text node, the text of one element, one TSV line */
    size_t attr;    /* one attribute value as written; one <prop> or <note> */
    size_t attrs;   /* attributes on one element */
    size_t total;   /* one file's bytes, once decompressed */
    size_t ratio;   /* a gzip'd file: bytes once decompressed per byte read,
                       checked past BT_LIMIT_RATIO_FROM (a bomb, refused
                       early rather than at total) */
} bt_limits;
#define BT_LIMIT_TEXT ((size_t)4 << 20)
#define BT_LIMIT_ATTR ((size_t)1 << 20)
#define BT_LIMIT_ATTRS ((size_t)256)
#define BT_LIMIT_TOTAL ((size_t)1 << 30)
#define BT_LIMIT_RATIO ((size_t)100)
#define BT_LIMIT_RATIO_FROM ((size_t)64 << 20)

const bt_limits *bt_limits_get(void);       /* static; never NULL */
void bt_limits_set(const bt_limits *l);     /* a zero field: its default */
/* Parse "text=16M,attr=2M,attrs=1000,total=4G,ratio=200" (any of them, K/M/G
 * suffixes of 1024) over *l. 0, or -1 with *bad at the item refused. */
int bt_limits_parse(const char *spec, bt_limits *l, const char **bad);

/* Name the file this thread is reading, for the out-of-memory message
 * ("out of memory (N bytes) reading 'FILE'"); NULL when done. Returns the
 * name it replaces, to be put back. path is borrowed until then. */
const char *bt_reading(const char *path);

/* ---- small helpers -------------------------------------------------- */

/* Create a directory and its parents (like mkdir -p). 0 or -1 with errno. */
int bt_mkdir_p(const char *path);

#endif
