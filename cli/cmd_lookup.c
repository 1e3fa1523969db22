/* cmd_lookup.c - bitext lookup: titles, names, places and bodies in the
 * built-in lexicon and in glossary files, Vietnamese to English or back. */
#include "cli.h"
#include "../align/align.h"
#include "../gloss/gloss.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

static const char lookup_usage[] =
    "usage: bitext lookup [OPTIONS] TERM...   (TERM - reads terms from stdin)\n"
    "\n"
    "Look official titles, names, places and bodies up: Vietnamese to English,\n"
    "or English to Vietnamese with --reverse. Case, diacritics, tone placement\n"
    "(hoà/hòa) and abbreviations (UBND, HĐND, MTTQ, TW, ...) do not matter:\n"
    "\"chu tich hdnd tinh\" finds \"Chủ tịch HĐND tỉnh\". Every rendering is\n"
    "shown with its count, the official one first, then the usual one. A post\n"
    "alone (\"Bộ trưởng\") is found, a post followed by a place (\"Chủ tịch UBND\n"
    "tỉnh Nghệ An\") is looked up without it and the place given apart, and\n"
    "a reverse look-up of \"Minister of Finance\" tries \"Minister of the\n"
    "Ministry of Finance\". A TERM - reads one term per line from standard\n"
    "input and answers each.\n"
    "\n"
    "options:\n"
    "  -g, --glossary FILE  also look in FILE: a glossary.tsv or .tbx, or the\n"
    "                       output directory of 'bitext align'; repeatable,\n"
    "                       later files override earlier ones and the\n"
    "                       built-in lexicon. An index FILE.idx is built\n"
    "                       beside it on first use and kept up to date.\n"
    "  -r, --reverse        TERM is English: give the Vietnamese\n"
    "  -f, --fuzzy          when nothing matches, show the nearest terms\n"
    "                       (typing mistakes, also inside an abbreviation:\n"
    "                       UBDN for UBND), best first\n"
    "  -n, --max N          at most N fuzzy results (default 10)\n"
    "      --format FMT     text (default), tsv (a header line, then term, vi,\n"
    "                       en, kind, count, match, official, sources; a term\n"
    "                       not found has a row with match 'none') or json\n"
    "                       (count null for a rendering never seen)\n"
    "      --decisions DB   house renderings set in bitext review (DB is\n"
    "                       DIR/decisions.db) come first, marked official\n"
    "      --no-lexicon     leave the built-in lexicon out\n"
    "      --no-index-write never write FILE.idx (build it in memory)\n"
    "  -h, --help           show this help\n"
    "  -V, --version        show the version\n"
    "\n"
    "Options may stand anywhere among the TERMs; '--' ends them.\n"
    "Exit status: 0 every TERM found, 1 a TERM not found, 2 trouble: a usage\n"
    "error, a glossary that could not be read or an answer not written.\n";

enum { FMT_TEXT, FMT_TSV, FMT_JSON };

typedef struct source {
    bt_gloss_index *ix;
    const char *name;
} source;

static void tsv_field(const char *s)
{
    for (; *s; s++)
        putchar(*s == '\t' || *s == '\n' ? ' ' : *s);
}

static void print_text(const bt_gloss_hits *h, int reverse)
{
    for (size_t i = 0; i < h->n; i++) {
        const bt_gloss_hit *x = &h->v[i];
        printf("%s → %s  (%s", reverse ? x->en : x->vi, reverse ? x->vi : x->en,
               x->kind);
        if (x->count) printf(", %lu×", x->count);
        if (x->official) fputs(", official", stdout);
        if (x->match == BT_MATCH_FUZZY)
            printf(", fuzzy: %u edit%s", x->distance, x->distance == 1 ? "" : "s");
        fputs(")\n", stdout);
    }
}

static void print_tsv(const char *term, const bt_gloss_hits *h)
{
    if (!h->n) {
        tsv_field(term);
        fputs("\t\t\t\t\tnone\t\t\n", stdout); /* every term has its answer */
        return;
    }
    for (size_t i = 0; i < h->n; i++) {
        const bt_gloss_hit *x = &h->v[i];
        tsv_field(term);
        putchar('\t');
        tsv_field(x->vi);
        putchar('\t');
        tsv_field(x->en);
        putchar('\t');
        tsv_field(x->kind);
        printf("\t%lu\t%s\t%s\t", x->count, bt_gloss_match_name(x->match),
               x->official ? "official" : "");
        tsv_field(x->sources);
        putchar('\n');
    }
}

static json_t *hits_json(const char *term, const bt_gloss_hits *h)
{
    json_t *o = json_object();
    json_object_set_new(o, "term", json_string(term));
    json_object_set_new(o, "found", json_boolean(h->n > 0));
    json_t *a = json_array();
    for (size_t i = 0; i < h->n; i++) {
        const bt_gloss_hit *x = &h->v[i];
        json_t *e = json_object();
        json_object_set_new(e, "vi", json_string(x->vi));
        json_object_set_new(e, "en", json_string(x->en));
        json_object_set_new(e, "kind", json_string(x->kind));
        /* 0 is "never seen" (the lexicon's renderings), not a count */
        json_object_set_new(e, "count", x->count ? json_integer((json_int_t)x->count)
                                                 : json_null());
        json_object_set_new(e, "official", json_boolean(x->official));
        json_object_set_new(e, "match", json_string(bt_gloss_match_name(x->match)));
        if (x->match == BT_MATCH_FUZZY)
            json_object_set_new(e, "distance", json_integer(x->distance));
        json_t *src = json_array();
        const char *p = x->sources;
        while (*p) {
            const char *q = strstr(p, ", ");
            size_t n = q ? (size_t)(q - p) : strlen(p);
            json_array_append_new(src, json_stringn(p, n));
            if (!q) break;
            p = q + 2;
        }
        json_object_set_new(e, "sources", src);
        json_array_append_new(a, e);
    }
    json_object_set_new(o, "hits", a);
    return o;
}

/* One term's answer: its hits, and a place named after a post, apart. */
typedef struct answer {
    bt_gloss_hits h, place;
    char *place_term;
} answer;

static void answer_free(answer *a)
{
    bt_gloss_hits_free(&a->h);
    bt_gloss_hits_free(&a->place);
    free(a->place_term);
}

/* The hits of term in the built-in lexicon (source 0, when lexicon is set)
 * and the glossaries (1..), then ranked; fuzzy ones only when nothing is
 * close. The lexicon's tables are made only when its rows by key do not
 * answer: most look-ups start without them. */
static void hits_of(bt_gloss_hits *h, source *srcs, size_t nsrc, int lexicon,
                    const char *term, unsigned flags, size_t max_fuzzy)
{
    size_t len = strlen(term);
    if (lexicon) bt_gloss_default_lookup(term, len, flags & ~(unsigned)BT_LOOKUP_FUZZY, 0, h);
    for (size_t s = 0; s < nsrc; s++)
        bt_gloss_index_lookup(srcs[s].ix, term, len, flags & ~(unsigned)BT_LOOKUP_FUZZY, 0,
                              (unsigned)s + 1, h);
    if (!h->n && (flags & BT_LOOKUP_FUZZY)) {
        if (lexicon) bt_gloss_default_lookup(term, len, flags, 0, h);
        for (size_t s = 0; s < nsrc; s++)
            bt_gloss_index_lookup(srcs[s].ix, term, len, flags, max_fuzzy, (unsigned)s + 1, h);
    }
    bt_gloss_hits_rank(h, term, len, flags, max_fuzzy);
}

/* term's answer; when nothing has its key: for an English post, the long
 * form of its ministry; for a Vietnamese post followed by a place the
 * lexicon knows ("Chủ tịch UBND tỉnh Nghệ An"), the post, the place apart. */
static void look_up(answer *a, source *srcs, size_t nsrc, int lexicon,
                    const char *term, unsigned flags, size_t max_fuzzy)
{
    memset(a, 0, sizeof *a);
    bt_gloss_hits_init(&a->h);
    bt_gloss_hits_init(&a->place);
    unsigned exact = flags & ~(unsigned)BT_LOOKUP_FUZZY;
    hits_of(&a->h, srcs, nsrc, lexicon, term, exact, max_fuzzy);
    if (a->h.n) return;
    size_t len = strlen(term);
    if (flags & BT_LOOKUP_REVERSE) {
        char *lf = bt_gloss_en_long_form(term, len);
        if (lf) hits_of(&a->h, srcs, nsrc, lexicon, lf, exact, max_fuzzy);
        free(lf);
    } else if (lexicon) {
        bt_title_match m[16];
        size_t n = bt_lexicon_find(bt_lexicon_default(), BT_LANG_VI, term, len, m, 16);
        const bt_title_match *last = n ? &m[n - 1] : NULL;
        size_t end = len;
        while (end && (term[end - 1] == ' ' || term[end - 1] == '.')) end--;
        if (last && last->kind == BT_TERM_PLACE && last->end == end && last->start > 0) {
            size_t head = last->start;
            while (head && (term[head - 1] == ' ' || term[head - 1] == ',')) head--;
            if (head) {
                char *post = bt_xstrndup(term, head);
                a->place_term = bt_xstrndup(term + last->start, last->end - last->start);
                hits_of(&a->h, srcs, nsrc, lexicon, post, exact, max_fuzzy);
                if (a->h.n)
                    hits_of(&a->place, srcs, nsrc, lexicon, a->place_term, exact, max_fuzzy);
                free(post);
            }
        }
    }
    if (!a->h.n && (flags & BT_LOOKUP_FUZZY))
        hits_of(&a->h, srcs, nsrc, lexicon, term, flags, max_fuzzy);
    if (!a->h.n && (flags & BT_LOOKUP_FUZZY) && !(flags & BT_LOOKUP_REVERSE)) {
        /* a typo inside an abbreviation (UBDN): its expansion is too far
         * from the right one's for the edit distance */
        char *fixed = bt_gloss_fix_abbrev(term, len);
        if (fixed) hits_of(&a->h, srcs, nsrc, lexicon, fixed, flags, max_fuzzy);
        free(fixed);
        for (size_t i = 0; i < a->h.n; i++) { /* found through a correction */
            if (a->h.v[i].match != BT_MATCH_FUZZY) a->h.v[i].distance = 1;
            a->h.v[i].match = BT_MATCH_FUZZY;
        }
    }
}

/* --decisions: a rendering a reviewer made the house one goes first and
 * is the official one; added when no glossary has it. */
static void house_first(bt_gloss_hits *h, const bt_review_index *x, int reverse)
{
    if (!x || !h->n || reverse) return;
    const char *vi = h->v[0].vi;
    const char *house = bt_review_house(x, vi);
    if (!house) return;
    size_t i = 0;
    while (i < h->n && (strcmp(h->v[i].vi, vi) || strcasecmp(h->v[i].en, house))) i++;
    bt_gloss_hit hit;
    if (i < h->n) {
        hit = h->v[i];
    } else {
        hit = h->v[0];
        hit.en = house;
        hit.count = 0;
        hit.sources = "";
        BT_GROW(h->v, h->cap, h->n + 1);
        i = h->n++;
    }
    hit.official = 1;
    memmove(&h->v[1], &h->v[0], i * sizeof *h->v);
    h->v[0] = hit;
    for (size_t k = 1; k < h->n; k++)
        if (!strcmp(h->v[k].vi, vi)) h->v[k].official = 0;
}

int bt_cmd_lookup(int argc, char **argv)
{
    static const struct option opts[] = {
        { "glossary", required_argument, NULL, 'g' },
        { "reverse", no_argument, NULL, 'r' },
        { "fuzzy", no_argument, NULL, 'f' },
        { "max", required_argument, NULL, 'n' },
        { "format", required_argument, NULL, 'F' },
        { "no-lexicon", no_argument, NULL, 'L' },
        { "no-index-write", no_argument, NULL, 'W' },
        { "decisions", required_argument, NULL, 'D' },
        { NULL, 0, NULL, 0 },
    };
    const char **files = bt_xcalloc((size_t)argc + 1, sizeof *files);
    size_t nfiles = 0;
    unsigned flags = 0, ixflags = 0;
    int fmt = FMT_TEXT, use_lexicon = 1, c;
    size_t max_fuzzy = 10;
    const char *decisions = NULL;
    bt_review_index *review = NULL;
    cli_args args;
    cli_args_init(&args, "lookup", lookup_usage, "g:rfn:", opts);
    while ((c = cli_args_next(&args, argc, argv)) != -1) {
        switch (c) {
        case CLI_ARGS_EXIT:
            free(files);
            return args.status;
        case 'g': files[nfiles++] = optarg; break;
        case 'r': flags |= BT_LOOKUP_REVERSE; break;
        case 'f': flags |= BT_LOOKUP_FUZZY; break;
        case 'n': {
            char *e;
            long v = strtol(optarg, &e, 10);
            if (*e || v < 1 || v > 100000) {
                free(files);
                return cli_usage_error("lookup", "--max wants a number from 1, "
                                       "not '%s'", optarg);
            }
            max_fuzzy = (size_t)v;
            break;
        }
        case 'F':
            if (!strcmp(optarg, "text")) fmt = FMT_TEXT;
            else if (!strcmp(optarg, "tsv")) fmt = FMT_TSV;
            else if (!strcmp(optarg, "json")) fmt = FMT_JSON;
            else {
                free(files);
                return cli_usage_error("lookup", "unknown format '%s' (text, "
                                       "tsv or json)", optarg);
            }
            break;
        case 'L': use_lexicon = 0; break;
        case 'W': ixflags |= BT_INDEX_NO_WRITE; break;
        case 'D': decisions = optarg; break;
        }
    }
    if (optind >= argc) {
        free(files);
        return cli_usage_error("lookup", "no TERM given");
    }

    if (decisions && !(review = cli_review_load(decisions))) {
        free(files);
        return BT_EXIT_TROUBLE;
    }
    source *srcs = bt_xcalloc(nfiles + 1, sizeof *srcs);
    size_t nsrc = 0;
    int rc = BT_EXIT_OK;
    cli_diag_state ds = { 0, 0, 0 };
    for (size_t i = 0; i < nfiles; i++) {
        bt_gloss_index *ix = NULL;
        if (bt_gloss_index_open(files[i], ixflags, cli_diag, &ds, &ix) != BT_OK) {
            rc = BT_EXIT_TROUBLE;
            goto out;
        }
        srcs[nsrc].ix = ix;
        srcs[nsrc++].name = files[i];
    }

    json_t *all = fmt == FMT_JSON ? json_array() : NULL;
    if (fmt == FMT_TSV)
        fputs("term\tvi\ten\tkind\tcount\tmatch\tofficial\tsources\n", stdout);
    /* the terms: operands, and the lines of standard input for "-" */
    size_t nterms = 0, cap = 0;
    char **terms = NULL;
    long retried = -1; /* the term asked again after an index was rebuilt */
    for (int t = optind; t < argc; t++) {
        if (strcmp(argv[t], "-")) {
            BT_GROW(terms, cap, nterms + 1);
            terms[nterms++] = bt_xstrdup(argv[t]);
            continue;
        }
        char *line = NULL;
        size_t lcap = 0;
        ssize_t n;
        while ((n = getline(&line, &lcap, stdin)) >= 0) {
            while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
                line[--n] = '\0';
            char *p = line;
            while (*p == ' ' || *p == '\t') p++;
            if (!*p) continue;
            BT_GROW(terms, cap, nterms + 1);
            terms[nterms++] = bt_xstrdup(p);
        }
        free(line);
    }
    for (size_t t = 0; t < nterms; t++) {
        const char *term = terms[t];
        answer a;
        look_up(&a, srcs, nsrc, use_lexicon, term, flags, max_fuzzy);
        /* an index found damaged or cut while read: its answer is not
         * given; built anew from its glossary and asked again */
        int redo = 0, broken = 0;
        for (size_t s = 0; s < nsrc && !broken; s++) {
            if (!bt_gloss_index_damaged(srcs[s].ix)) continue;
            bt_report(cli_diag, &ds, BT_ERR_FORMAT, 1, srcs[s].name, 0,
                      "its index is damaged or was cut while in use; built "
                      "again from the glossary");
            bt_gloss_index_free(srcs[s].ix);
            srcs[s].ix = NULL;
            /* a second time for one term: in memory, out of reach */
            unsigned again = ixflags | BT_INDEX_REBUILD |
                             (retried == (long)t ? (unsigned)BT_INDEX_NO_WRITE : 0u);
            if (bt_gloss_index_open(srcs[s].name, again, cli_diag, &ds, &srcs[s].ix) != BT_OK)
                broken = 1;
            redo = 1;
        }
        if (broken) {
            answer_free(&a);
            rc = BT_EXIT_TROUBLE;
            break;
        }
        if (redo) {
            retried = (long)t;
            answer_free(&a);
            t--;
            continue;
        }
        if (!a.h.n) rc = BT_EXIT_NO;
        house_first(&a.h, review, (flags & BT_LOOKUP_REVERSE) != 0);
        if (fmt == FMT_JSON) {
            json_t *o = hits_json(term, &a.h);
            if (a.place.n) json_object_set_new(o, "place", hits_json(a.place_term, &a.place));
            json_array_append_new(all, o);
        } else if (fmt == FMT_TSV) {
            print_tsv(term, &a.h);
            if (a.h.n && a.place.n) print_tsv(term, &a.place);
        }
        if (!a.h.n) {
            cli_error("'%s': not found%s", term,
                      (flags & BT_LOOKUP_FUZZY) ? "" : " (try --fuzzy)");
        } else if (fmt == FMT_TEXT) {
            if (nterms > 1) printf("%s%s:\n", t ? "\n" : "", term);
            print_text(&a.h, (flags & BT_LOOKUP_REVERSE) != 0);
            if (a.place.n) {
                fputs("place: ", stdout);
                print_text(&a.place, 0);
            }
        }
        answer_free(&a);
    }
    for (size_t t = 0; t < nterms; t++) free(terms[t]);
    free(terms);
    if (all) {
        json_dumpf(all, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        putchar('\n');
        json_decref(all);
    }
    /* a write error on stdout is found and reported by cli_close_stdout */
out:
    /* the program ends after: the exit unmaps the index files */
    for (size_t s = 0; s < nsrc; s++) bt_gloss_index_free_at_exit(srcs[s].ix);
    free(srcs);
    free(files);
    bt_review_index_free(review);
    return rc;
}
