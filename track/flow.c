/*
 * The bounded flow table (Suricata flow.c memcap habit, Zeek inactivity timeouts).
 *
 * Flows live in a pool grown FLOW_CHUNK at a time up to max_flows, so steady-state tracking
 * allocates nothing: a lookup hashes the canonical key with a per-table seed (so crafted traffic
 * cannot aim at one chain) and walks a chain of pool indices. Each timeout class (TCP, UDP,
 * other) keeps an LRU list ordered by last activity, so the idle flows to expire and the oldest
 * flow to evict are list heads, found in O(1).
 */
#include <stdlib.h>
#include <string.h>

#include "dissect/numbers.h"
#include "track/internal.h"
#include "util/util.h"

/* Flows expired per packet at most: bounds the work of one packet after a long silence. */
#define FLOW_EXPIRE_BATCH 64

struct flow *flow_at(const struct flow_table *ft, uint32_t idx)
{
    return &ft->chunks[idx / FLOW_CHUNK][idx % FLOW_CHUNK];
}

uint32_t flow_key_hash(const struct flow_table *ft, const struct flow_key *k)
{
    /* The key is fully initialised (memset), padding included, so hashing its bytes is sound. */
    uint64_t h = hash_bytes(ft->seed, k, sizeof(*k));
    return (uint32_t)(h ^ (h >> 32));
}

void flow_key_make(struct flow_key *k, uint8_t proto, uint8_t addr_len, const uint8_t *src,
                   const uint8_t *dst, uint16_t sport, uint16_t dport, uint16_t vlan, uint8_t kind,
                   bool *a_is_src)
{
    memset(k, 0, sizeof(*k));
    if (addr_len > 16)
        addr_len = 16;
    int c = memcmp(src, dst, addr_len);
    bool src_first = c < 0 || (c == 0 && sport <= dport);
    const uint8_t *a = src_first ? src : dst, *b = src_first ? dst : src;
    memcpy(k->a, a, addr_len);
    memcpy(k->b, b, addr_len);
    k->pa = src_first ? sport : dport;
    k->pb = src_first ? dport : sport;
    k->vlan = vlan;
    k->addr_len = addr_len;
    k->proto = proto;
    k->kind = kind;
    *a_is_src = src_first;
}

static void lru_unlink(struct flow_table *ft, uint32_t idx)
{
    struct flow *f = flow_at(ft, idx);
    uint8_t c = f->lru_class;
    if (f->lru_prev != FLOW_NONE) {
        flow_at(ft, f->lru_prev)->lru_next = f->lru_next;
    } else {
        ft->lru_head[c] = f->lru_next;
        ft->deadline_stale = true;
    }
    if (f->lru_next != FLOW_NONE)
        flow_at(ft, f->lru_next)->lru_prev = f->lru_prev;
    else
        ft->lru_tail[c] = f->lru_prev;
    f->lru_prev = f->lru_next = FLOW_NONE;
}

static void lru_append(struct flow_table *ft, uint32_t idx)
{
    struct flow *f = flow_at(ft, idx);
    uint8_t c = f->lru_class;
    f->lru_next = FLOW_NONE;
    f->lru_prev = ft->lru_tail[c];
    if (ft->lru_tail[c] != FLOW_NONE) {
        flow_at(ft, ft->lru_tail[c])->lru_next = idx;
    } else {
        ft->lru_head[c] = idx;
        ft->deadline_stale = true;
    }
    ft->lru_tail[c] = idx;
}

static void rehash(struct flow_table *ft, uint32_t nbuckets)
{
    free(ft->buckets);
    ft->buckets = xmalloc((size_t)nbuckets * sizeof(*ft->buckets));
    for (uint32_t i = 0; i < nbuckets; i++)
        ft->buckets[i] = FLOW_NONE;
    ft->nbuckets = nbuckets;
    for (uint32_t i = 0; i < ft->nflows; i++) {
        struct flow *f = flow_at(ft, i);
        if (!f->in_use)
            continue;
        uint32_t b = flow_key_hash(ft, &f->key) & (nbuckets - 1);
        f->hnext = ft->buckets[b];
        ft->buckets[b] = i;
    }
}

void flow_table_init(struct flow_table *ft, uint32_t max_flows,
                     const int64_t timeout_ns[LRU__COUNT])
{
    memset(ft, 0, sizeof(*ft));
    ft->max_flows = max_flows ? max_flows : 1;
    ft->free_head = FLOW_NONE;
    for (int i = 0; i < LRU__COUNT; i++) {
        ft->lru_head[i] = ft->lru_tail[i] = FLOW_NONE;
        ft->timeout_ns[i] = timeout_ns[i];
    }
    ft->seed = hash_seed();
    ft->deadline_stale = true;
    rehash(ft, 1024);
}

void flow_table_release(struct flow_table *ft)
{
    for (uint32_t i = 0; i < ft->nchunks; i++)
        free(ft->chunks[i]);
    free(ft->chunks);
    free(ft->buckets);
    memset(ft, 0, sizeof(*ft));
}

static bool key_eq(const struct flow_key *x, const struct flow_key *y)
{
    return memcmp(x, y, sizeof(*x)) == 0;
}

uint32_t flow_lookup(const struct flow_table *ft, const struct flow_key *k)
{
    uint32_t b = flow_key_hash(ft, k) & (ft->nbuckets - 1);
    for (uint32_t i = ft->buckets[b]; i != FLOW_NONE; i = flow_at(ft, i)->hnext)
        if (key_eq(&flow_at(ft, i)->key, k))
            return i;
    return FLOW_NONE;
}

void flow_remove(struct flow_table *ft, uint32_t idx)
{
    struct flow *f = flow_at(ft, idx);
    uint32_t b = flow_key_hash(ft, &f->key) & (ft->nbuckets - 1);
    uint32_t *pp = &ft->buckets[b];
    while (*pp != FLOW_NONE && *pp != idx)
        pp = &flow_at(ft, *pp)->hnext;
    if (*pp == idx)
        *pp = f->hnext;
    lru_unlink(ft, idx);
    f->in_use = false;
    f->hnext = ft->free_head;
    ft->free_head = idx;
    ft->active--;
}

static uint8_t lru_class_of(uint8_t proto)
{
    return proto == PS_IPPROTO_TCP ? LRU_TCP : proto == PS_IPPROTO_UDP ? LRU_UDP : LRU_OTHER;
}

/* The earliest time at which an idle list's oldest flow can be past its timeout: the least of
 * their last packet times plus timeouts, saturating (INT64_MIN when a sum falls below it, so
 * that no time is before it). */
static int64_t expiry_deadline(const struct flow_table *ft)
{
    int64_t deadline = INT64_MAX;
    for (int c = 0; c < LRU__COUNT; c++) {
        if (ft->lru_head[c] == FLOW_NONE)
            continue;
        int64_t at;
        if (__builtin_add_overflow(flow_at(ft, ft->lru_head[c])->last_ns, ft->timeout_ns[c], &at))
            at = ft->timeout_ns[c] > 0 ? INT64_MAX : INT64_MIN;
        if (at < deadline)
            deadline = at;
    }
    return deadline;
}

void flow_expire(struct flow_table *ft, int64_t now_ns)
{
    /* now < last + timeout (without overflow) means now - last <= timeout however ns_sub
     * saturates, so before the deadline no flow is due; at or after it the walk decides. */
    if (!ft->deadline_stale && now_ns < ft->deadline_ns)
        return;
    int budget = FLOW_EXPIRE_BATCH;
    ft->expiring = true;
    for (int c = 0; c < LRU__COUNT; c++) {
        while ((budget > 0 || ft->expire_all) && ft->lru_head[c] != FLOW_NONE) {
            uint32_t idx = ft->lru_head[c];
            if (ns_sub(now_ns, flow_at(ft, idx)->last_ns) <= ft->timeout_ns[c])
                break;
            if (ft->removing)
                ft->removing(ft->removing_ctx, flow_at(ft, idx));
            flow_remove(ft, idx);
            if (c == LRU_TCP_OVER)
                ft->over_dropped++;
            else
                ft->timed_out++;
            budget--;
        }
    }
    ft->expiring = false;
    /* Last, after every removal (and whatever the removing hook did). */
    ft->deadline_ns = expiry_deadline(ft);
    ft->deadline_stale = false;
}

static void evict_oldest(struct flow_table *ft)
{
    uint32_t best = FLOW_NONE;
    for (int c = 0; c < LRU__COUNT; c++) {
        uint32_t h = ft->lru_head[c];
        if (h != FLOW_NONE &&
            (best == FLOW_NONE || flow_at(ft, h)->last_ns < flow_at(ft, best)->last_ns))
            best = h;
    }
    if (best != FLOW_NONE) {
        if (ft->removing)
            ft->removing(ft->removing_ctx, flow_at(ft, best));
        flow_remove(ft, best);
        ft->evicted++;
    }
}

uint32_t flow_insert(struct flow_table *ft, const struct flow_key *k, int64_t now_ns)
{
    if (ft->active >= ft->max_flows)
        evict_oldest(ft);
    if (ft->free_head == FLOW_NONE) {
        /* Grow by one chunk (never beyond max_flows rounded up to a chunk). */
        if (ft->nchunks == ft->chunks_cap) {
            size_t cap = ft->chunks_cap;
            ft->chunks = xgrow(ft->chunks, &cap, (size_t)ft->nchunks + 1, sizeof(*ft->chunks));
            ft->chunks_cap = (uint32_t)cap;
        }
        struct flow *chunk = xcalloc(FLOW_CHUNK, sizeof(*chunk));
        ft->chunks[ft->nchunks++] = chunk;
        uint32_t base = ft->nflows;
        ft->nflows += FLOW_CHUNK;
        for (uint32_t i = FLOW_CHUNK; i-- > 0;) {
            chunk[i].hnext = ft->free_head;
            ft->free_head = base + i;
        }
        if (ft->nflows > ft->nbuckets)
            rehash(ft, ft->nbuckets * 2);
    }
    uint32_t idx = ft->free_head;
    struct flow *f = flow_at(ft, idx);
    ft->free_head = f->hnext;
    memset(f, 0, sizeof(*f));
    f->key = *k;
    f->in_use = true;
    f->conn = FLOW_NONE;
    f->last_ns = now_ns;
    f->lru_class = lru_class_of(k->proto);
    uint32_t b = flow_key_hash(ft, k) & (ft->nbuckets - 1);
    f->hnext = ft->buckets[b];
    ft->buckets[b] = idx;
    lru_append(ft, idx);
    ft->active++;
    ft->created++;
    return idx;
}

void flow_set_lru_class(struct flow_table *ft, uint32_t idx, uint8_t c)
{
    struct flow *f = flow_at(ft, idx);
    if (f->lru_class == c)
        return;
    lru_unlink(ft, idx);
    f->lru_class = c;
    lru_append(ft, idx); /* its last packet is the newest: the list stays in idle order */
}

void flow_touch(struct flow_table *ft, uint32_t idx, int64_t now_ns)
{
    struct flow *f = flow_at(ft, idx);
    /* Capture order is nearly time order; a packet stamped earlier does not make a flow younger. */
    if (now_ns > f->last_ns) {
        f->last_ns = now_ns;
        if (f->lru_prev == FLOW_NONE) /* its list's oldest: the deadline moves */
            ft->deadline_stale = true;
    }
    if (ft->lru_tail[f->lru_class] != idx) {
        lru_unlink(ft, idx);
        lru_append(ft, idx);
    }
}
