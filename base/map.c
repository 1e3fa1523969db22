/* map.c - the one hash map of bitext: byte strings to dense indices.
 *
 * Open addressing with linear probing over a power-of-two slot array, at
 * most half full; each slot holds an index + 1 and each entry its hash, so
 * a probe compares bytes only when the hashes agree. Keys are copied into
 * an arena (bt_arena), whose room never moves, so a key's address is
 * stable until the map is freed (interned strings can be handed out). Indices follow the order of
 * first insertion, never the hash: an output that walks a map in index
 * order does not depend on the hash function. */
#include "base.h"

#include <stdlib.h>
#include <string.h>

enum { MAP_FIRST_SLOTS = 256 };

void bt_map_init(bt_map *m)
{
    memset(m, 0, sizeof *m);
}

void bt_map_free(bt_map *m)
{
    bt_arena_free(&m->keys);
    free(m->key);
    free(m->len);
    free(m->hash);
    free(m->slots);
    memset(m, 0, sizeof *m);
}

/* A copy of key, NUL-terminated, in the arena (64 KiB chunks: the map is
 * zeroed to start). */
static char *key_copy(bt_map *m, const char *key, size_t len)
{
    char *p = bt_arena_alloc(&m->keys, len + 1, 1);
    if (len) memcpy(p, key, len);
    p[len] = '\0';
    return p;
}

static void rehash(bt_map *m)
{
    size_t ns = m->nslots ? m->nslots * 2 : MAP_FIRST_SLOTS;
    uint32_t *slots = bt_xcalloc(ns, sizeof *slots);
    for (size_t id = 0; id < m->n; id++) {
        size_t i = m->hash[id] & (ns - 1);
        while (slots[i]) i = (i + 1) & (ns - 1);
        slots[i] = (uint32_t)id + 1;
    }
    free(m->slots);
    m->slots = slots;
    m->nslots = ns;
}

/* The slot holding key, or the empty slot where it would go. */
static size_t probe(const bt_map *m, const char *key, size_t len, uint64_t h)
{
    size_t i = h & (m->nslots - 1);
    while (m->slots[i]) {
        size_t id = m->slots[i] - 1;
        if (m->hash[id] == h && m->len[id] == len && !memcmp(m->key[id], key, len))
            return i;
        i = (i + 1) & (m->nslots - 1);
    }
    return i;
}

size_t bt_map_find(const bt_map *m, const char *key, size_t len)
{
    if (!m->n) return BT_MAP_NONE;
    size_t i = probe(m, key, len, bt_hash_bytes(0, key, len));
    return m->slots[i] ? m->slots[i] - 1 : BT_MAP_NONE;
}

size_t bt_map_add(bt_map *m, const char *key, size_t len, int *fresh)
{
    if (fresh) *fresh = 0;
    if ((m->n + 1) * 2 > m->nslots) rehash(m);
    uint64_t h = bt_hash_bytes(0, key, len);
    size_t i = probe(m, key, len, h);
    if (m->slots[i]) return m->slots[i] - 1;
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 64;
        m->key = bt_xrealloc(m->key, m->cap * sizeof *m->key);
        m->len = bt_xrealloc(m->len, m->cap * sizeof *m->len);
        m->hash = bt_xrealloc(m->hash, m->cap * sizeof *m->hash);
    }
    m->key[m->n] = key_copy(m, key, len);
    m->len[m->n] = len;
    m->hash[m->n] = h;
    m->slots[i] = (uint32_t)m->n + 1;
    if (fresh) *fresh = 1;
    return m->n++;
}
