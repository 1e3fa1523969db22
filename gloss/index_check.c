/* index_check.c - what lets the look-up index prove itself: the hash of
 * its checksums and of the key functions' fingerprint, the check of each
 * body block on its first read, and the SIGBUS handler that maps zeros over
 * the pages of an index cut while it is mapped (see index.c). */
#include "gloss_int.h"

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* ---- hashing ------------------------------------------------------------ */

static uint64_t mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

static inline uint64_t rotl64(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static inline uint64_t load64(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

/* Change detection, not security: four lanes of eight bytes a step, so that
 * checking a block costs little next to reading it. The lanes are four
 * variables, not an array: an array was kept in memory, and each step
 * waited for its lane to be stored and loaded again (the sums at open
 * and the blocks a look-up reads took it a third of its instructions). */
uint64_t idx_hash_bytes(const void *vp, size_t n)
{
    const unsigned char *p = vp;
    const uint64_t P1 = 0x9E3779B185EBCA87ULL, P2 = 0xC2B2AE3D27D4EB4FULL;
    uint64_t v0 = P1 + P2, v1 = P2, v2 = 0, v3 = 0 - P1;
    uint64_t h = (uint64_t)n * P1;
    while (n >= 32) {
        v0 = rotl64(v0 + load64(p) * P2, 31) * P1;
        v1 = rotl64(v1 + load64(p + 8) * P2, 31) * P1;
        v2 = rotl64(v2 + load64(p + 16) * P2, 31) * P1;
        v3 = rotl64(v3 + load64(p + 24) * P2, 31) * P1;
        p += 32;
        n -= 32;
    }
    h = mix64(h ^ v0);
    h = mix64(h ^ v1) + 1;
    h = mix64(h ^ v2) + 2;
    h = mix64(h ^ v3) + 3;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = mix64(h ^ w);
        p += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, p, n);
    return mix64(h ^ mix64(w ^ n));
}

uint64_t idx_key_fingerprint(void)
{
    static const char probe_vi[] =
        "Ủy viên BTV Tỉnh ủy, Phó Chủ tịch Thường trực UBND tỉnh Nghệ An; "
        "Chủ tịch HĐND TP. Hồ Chí Minh - thuỷ hoà khoẻ quý Đà Nẵng TW MTTQ HÐND TƯ PTNT";
    static const char probe_en[] =
        "The Standing Deputy Secretary of the Provincial People’s Committee";
    bt_buf b;
    bt_buf_init(&b);
    bt_gloss_key_vi(probe_vi, sizeof probe_vi - 1, &b);
    bt_buf_addc(&b, '|');
    bt_gloss_key_en(probe_en, sizeof probe_en - 1, &b);
    /* and the reader's repair of a line: an index read with other rules
     * holds other terms */
    static const char probe_line[] = "Ph\xC3\xB3\xE2\x80\x8E" " Ch\xE1\xBB\xA7\xE2\x80\x8B"
                                     "\xC2\xA0t\xE1\xBB\x8B" "ch\x01\xEF\xBB\xBF\tx";
    char line[sizeof probe_line];
    size_t n = sizeof probe_line - 1;
    memcpy(line, probe_line, sizeof probe_line);
    bt_buf_addc(&b, '|');
    gloss_clean_line(line, &n);
    bt_buf_add(&b, line, n);
    uint64_t h = idx_hash_bytes(b.ptr, b.len) ^ IDX_VERSION;
    bt_buf_free(&b);
    return h;
}

/* ---- checking as it is read ---------------------------------------------- */

int idx_check_block(const bt_gloss_index *ix, uint64_t b)
{
    idx_check *c = ix->chk;
    if (b >= ix->h->nblocks) {
        c->damaged = 1;
        return 0;
    }
    uint64_t bit = (uint64_t)1 << (b % 64);
    if (c->good[b / 64] & bit) return 1;
    if (c->bad[b / 64] & bit) return 0;
    const idx_header *h = ix->h;
    uint64_t t = b / IDX_SUMGROUP, tbit = (uint64_t)1 << (t % 64);
    if (!(c->tgood[t / 64] & tbit)) { /* its group of sums first */
        uint64_t first = t * IDX_SUMGROUP;
        uint64_t k = h->nblocks - first < IDX_SUMGROUP ? h->nblocks - first : IDX_SUMGROUP;
        if (idx_hash_bytes(ix->sums + first, (size_t)k * sizeof *ix->sums) != ix->tops[t]) {
            c->bad[b / 64] |= bit;
            c->damaged = 1;
            return 0;
        }
        c->tgood[t / 64] |= tbit;
    }
    uint64_t off = h->body_off + b * IDX_BLOCK;
    uint64_t n = h->total_size - off < IDX_BLOCK ? h->total_size - off : IDX_BLOCK;
    int good = idx_hash_bytes(ix->base + off, (size_t)n) == ix->sums[b];
    if (good) c->good[b / 64] |= bit;
    else c->bad[b / 64] |= bit;
    if (!good) c->damaged = 1;
    return good;
}

/* Mapped indexes, for the SIGBUS handler: a file cut under its mapping
 * faults on the pages past its new end. The handler maps zeros there and
 * marks the index cut, so the look-up ends and reports it. */
enum { MAX_MAPS = 32 };
static struct {
    volatile uintptr_t lo, hi;
    volatile sig_atomic_t cut;
} maps[MAX_MAPS];
static struct sigaction old_bus;
static volatile sig_atomic_t bus_installed;
static uintptr_t page_size;
static pthread_mutex_t maps_lock = PTHREAD_MUTEX_INITIALIZER;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    uintptr_t a = (uintptr_t)si->si_addr;
    for (int i = 0; i < MAX_MAPS; i++) {
        if (maps[i].lo <= a && a < maps[i].hi) {
            void *pg = (void *)(a & ~(page_size - 1));
            if (mmap(pg, page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                     -1, 0) != MAP_FAILED) {
                maps[i].cut = 1;
                return;
            }
        }
    }
    /* not ours: the fault happens again under the previous handler */
    sigaction(sig, &old_bus, NULL);
}

int idx_maps_add(const void *p, size_t n)
{
    int slot = -1;
    pthread_mutex_lock(&maps_lock);
    /* (again when someone else took SIGBUS since: a test harness) */
    struct sigaction cur;
    if (bus_installed && sigaction(SIGBUS, NULL, &cur) == 0 &&
        (!(cur.sa_flags & SA_SIGINFO) || cur.sa_sigaction != on_sigbus))
        bus_installed = 0;
    if (!bus_installed) {
        page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_sigbus;
        sa.sa_flags = SA_SIGINFO;
        sigemptyset(&sa.sa_mask);
        if (sigaction(SIGBUS, &sa, &old_bus) == 0) bus_installed = 1;
    }
    for (int i = 0; bus_installed && i < MAX_MAPS; i++) {
        if (!maps[i].hi) {
            maps[i].cut = 0;
            maps[i].lo = (uintptr_t)p;
            maps[i].hi = (uintptr_t)p + n;
            slot = i;
            break;
        }
    }
    pthread_mutex_unlock(&maps_lock);
    return slot;
}

void idx_maps_remove(int slot)
{
    if (slot < 0) return;
    pthread_mutex_lock(&maps_lock);
    maps[slot].hi = 0;
    maps[slot].lo = 0;
    pthread_mutex_unlock(&maps_lock);
}

int idx_map_cut(int slot)
{
    return slot >= 0 && maps[slot].cut;
}

int bt_gloss_index_damaged(const bt_gloss_index *ix)
{
    if (!ix || !ix->chk) return 0;
    if (ix->chk->slot >= 0 && maps[ix->chk->slot].cut) ix->chk->damaged = 1;
    return ix->chk->damaged;
}
