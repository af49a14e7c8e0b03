/*
 * Requests and responses: the generic bounded pair table and the HTTP and DNS pairing built on
 * it (see pairing.h for the rules and the bounds).
 */
#include "track/pairing.h"

#include <stdlib.h>
#include <string.h>

#include "dissect/numbers.h"
#include "util/util.h"

/*
 * Entries live in a pool that never moves them (indices stay valid when it grows), linked in
 * insertion order so the oldest is the list's head: evicting it is O(1), not a scan. The hash
 * index is open addressing with linear probing over uint32 pool indices; removal shifts the
 * rest of a probe cluster back (no tombstones). Pool and index start small and double as
 * entries arrive, up to cap entries in at least 2 x cap index slots (a power of two: the load
 * factor stays at most 1/2), so a table costs what it holds, not its bound.
 */
#define PAIR_NONE UINT32_MAX
#define PAIR_FIRST_CAP 16u

struct pair_entry {
    uint8_t key[PAIR_KEY_MAX];
    uint8_t len;    /* 0: free (on the free list) */
    uint32_t older; /* insertion-order neighbours, PAIR_NONE at the ends; */
    uint32_t newer; /* `newer` doubles as the free list's link */
    uint64_t a;
    int64_t b;
};

struct pair_table {
    struct pair_entry *pool; /* pool_size entries, of which count are in use */
    uint32_t *index;         /* nslots pool indices or PAIR_NONE */
    uint32_t pool_size;
    uint32_t nslots;
    uint32_t cap;
    uint32_t count;
    uint32_t free_head; /* free pool entries, linked through `newer` */
    uint32_t oldest, newest;
    uint64_t evicted;
    uint64_t seed; /* of the index's hash */
};

static void index_fill(struct pair_table *pt)
{
    for (uint32_t i = 0; i < pt->nslots; i++)
        pt->index[i] = PAIR_NONE;
}

/* Pool entries [from, to) onto the free list. */
static void pool_free_range(struct pair_table *pt, uint32_t from, uint32_t to)
{
    for (uint32_t i = to; i-- > from;) {
        pt->pool[i].len = 0;
        pt->pool[i].newer = pt->free_head;
        pt->free_head = i;
    }
}

struct pair_table *pair_table_new(uint32_t cap)
{
    if (cap == 0)
        cap = 1;
    struct pair_table *pt = xcalloc(1, sizeof(*pt));
    pt->cap = cap;
    pt->pool_size = cap < PAIR_FIRST_CAP ? cap : PAIR_FIRST_CAP;
    pt->nslots = 2;
    while (pt->nslots < pt->pool_size * 2)
        pt->nslots *= 2;
    pt->pool = xmalloc((size_t)pt->pool_size * sizeof(*pt->pool));
    pt->index = xmalloc((size_t)pt->nslots * sizeof(*pt->index));
    index_fill(pt);
    pt->free_head = PAIR_NONE;
    pool_free_range(pt, 0, pt->pool_size);
    pt->oldest = pt->newest = PAIR_NONE;
    pt->seed = hash_seed();
    return pt;
}

void pair_table_free(struct pair_table *pt)
{
    if (!pt)
        return;
    free(pt->pool);
    free(pt->index);
    free(pt);
}

uint64_t pair_evicted(const struct pair_table *pt)
{
    return pt ? pt->evicted : 0;
}

static uint32_t home_slot(const struct pair_table *pt, const uint8_t *k, size_t n)
{
    return (uint32_t)hash_bytes(pt->seed, k, n) & (pt->nslots - 1); /* a power of two */
}

/* The index slot holding key, or the free slot where it would go (there is always one: the
 * load factor stays at most 1/2). */
static uint32_t find_slot(const struct pair_table *pt, const uint8_t *k, size_t n, bool *found)
{
    uint32_t i = home_slot(pt, k, n);
    *found = false;
    for (uint32_t probe = 0; probe < pt->nslots; probe++) {
        uint32_t e = pt->index[i];
        if (e == PAIR_NONE)
            return i;
        if (pt->pool[e].len == n && memcmp(pt->pool[e].key, k, n) == 0) {
            *found = true;
            return i;
        }
        i = (i + 1) & (pt->nslots - 1);
    }
    return i;
}

/* Doubles pool and index (up to cap entries), putting every entry back into the new index. */
static void grow(struct pair_table *pt)
{
    uint32_t old_size = pt->pool_size;
    uint32_t size = old_size * 2 < pt->cap ? old_size * 2 : pt->cap;
    pt->pool = xrealloc(pt->pool, (size_t)size * sizeof(*pt->pool));
    pt->pool_size = size;
    pool_free_range(pt, old_size, size);
    uint32_t nslots = pt->nslots;
    while (nslots < size * 2)
        nslots *= 2;
    if (nslots != pt->nslots) {
        free(pt->index);
        pt->index = xmalloc((size_t)nslots * sizeof(*pt->index));
        pt->nslots = nslots;
        index_fill(pt);
        for (uint32_t e = pt->oldest; e != PAIR_NONE; e = pt->pool[e].newer) {
            bool found;
            pt->index[find_slot(pt, pt->pool[e].key, pt->pool[e].len, &found)] = e;
        }
    }
}

/* Empties index slot i (its entry back to the free list, out of the age list) and puts the
 * rest of its probe cluster back where lookups will find it. */
static void remove_slot(struct pair_table *pt, uint32_t i)
{
    uint32_t e = pt->index[i];
    struct pair_entry *x = &pt->pool[e];
    if (x->older != PAIR_NONE)
        pt->pool[x->older].newer = x->newer;
    else
        pt->oldest = x->newer;
    if (x->newer != PAIR_NONE)
        pt->pool[x->newer].older = x->older;
    else
        pt->newest = x->older;
    x->len = 0;
    x->newer = pt->free_head;
    pt->free_head = e;
    pt->count--;

    pt->index[i] = PAIR_NONE;
    uint32_t j = i;
    for (uint32_t probe = 0; probe < pt->nslots; probe++) {
        j = (j + 1) & (pt->nslots - 1);
        uint32_t moved = pt->index[j];
        if (moved == PAIR_NONE)
            break;
        pt->index[j] = PAIR_NONE;
        bool found;
        pt->index[find_slot(pt, pt->pool[moved].key, pt->pool[moved].len, &found)] = moved;
    }
}

void pair_put(struct pair_table *pt, const void *key, size_t len, uint64_t a, int64_t b)
{
    if (!pt || len == 0 || len > PAIR_KEY_MAX)
        return;
    bool found;
    uint32_t i = find_slot(pt, key, len, &found);
    if (found) {
        pt->pool[pt->index[i]].a = a;
        pt->pool[pt->index[i]].b = b;
        return;
    }
    if (pt->count == pt->cap) {
        /* Full: the oldest entry goes. */
        bool oldest_found;
        const struct pair_entry *o = &pt->pool[pt->oldest];
        remove_slot(pt, find_slot(pt, o->key, o->len, &oldest_found));
        pt->evicted++;
        i = find_slot(pt, key, len, &found);
    } else if (pt->count == pt->pool_size) {
        grow(pt);
        i = find_slot(pt, key, len, &found);
    }
    uint32_t e = pt->free_head;
    struct pair_entry *x = &pt->pool[e];
    pt->free_head = x->newer;
    memcpy(x->key, key, len);
    x->len = (uint8_t)len;
    x->a = a;
    x->b = b;
    x->older = pt->newest;
    x->newer = PAIR_NONE;
    if (pt->newest != PAIR_NONE)
        pt->pool[pt->newest].newer = e;
    else
        pt->oldest = e;
    pt->newest = e;
    pt->index[i] = e;
    pt->count++;
}

bool pair_get(struct pair_table *pt, const void *key, size_t len, uint64_t *a, int64_t *b,
              bool take)
{
    if (!pt || len == 0 || len > PAIR_KEY_MAX)
        return false;
    bool found;
    uint32_t i = find_slot(pt, key, len, &found);
    if (!found)
        return false;
    *a = pt->pool[pt->index[i]].a;
    *b = pt->pool[pt->index[i]].b;
    if (take)
        remove_slot(pt, i);
    return true;
}

/* ---- HTTP and DNS ------------------------------------------------------------------------ */

struct pairing {
    struct pair_table *http;   /* {'R', stream, n} -> {frame, time} of request n */
    struct pair_table *counts; /* {'C', stream} -> {requests seen, responses seen} */
    struct pair_table *dns;    /* {id, l4, client, server} -> {frame, time} of the query */
    struct pair_table *echo;   /* {'E', l4, id, seq, addresses} -> {frame, time} of the request */
    struct pair_table *arp;    /* {'A', vlan, asked, asker} -> {frame, time} of the request */
};

struct pairing *pairing_new(void)
{
    struct pairing *p = xcalloc(1, sizeof(*p));
    p->http = pair_table_new(PAIR_HTTP_CAP);
    p->counts = pair_table_new(PAIR_HTTP_CAP);
    p->dns = pair_table_new(PAIR_DNS_CAP);
    p->echo = pair_table_new(PAIR_ECHO_CAP);
    p->arp = pair_table_new(PAIR_ARP_CAP);
    return p;
}

void pairing_free(struct pairing *p)
{
    if (!p)
        return;
    pair_table_free(p->http);
    pair_table_free(p->counts);
    pair_table_free(p->dns);
    pair_table_free(p->echo);
    pair_table_free(p->arp);
    free(p);
}

static void set_pair(struct track_info *ti, uint8_t kind, uint64_t frame, int64_t req_ns,
                     int64_t now_ns)
{
    ti->pair_kind = kind;
    ti->pair_frame = frame > UINT32_MAX ? UINT32_MAX : (uint32_t)frame;
    ti->pair_ns = now_ns >= req_ns ? now_ns - req_ns : 0;
}

static void http_key(uint8_t k[12], char tag, uint32_t stream, uint64_t n)
{
    memset(k, 0, 12);
    k[0] = (uint8_t)tag;
    memcpy(k + 1, &stream, 4);
    if (tag == 'R')
        memcpy(k + 4 + 1, &n, 7 > sizeof(n) ? sizeof(n) : 7);
}

/* Each HTTP layer with a request line is a request, with a status line a response, in the
 * order of the payload. Only the first response of a packet is reported (track_info holds
 * one pairing); the others still take their requests off the stream's FIFO. */
static void pair_http(struct pairing *p, const struct dissection *d, int64_t now_ns, uint64_t frame,
                      struct track_info *ti)
{
    uint8_t ck[12];
    http_key(ck, 'C', ti->stream, 0);
    uint64_t nreq = 0;
    int64_t nresp = 0;
    bool have = pair_get(p->counts, ck, sizeof(ck), &nreq, &nresp, false);
    bool changed = false;
    for (unsigned i = 0; i < d->nlayers; i++) {
        const struct layer *l = &d->layers[i];
        if (l->proto != PROTO_HTTP)
            continue;
        bool req = false, resp = false;
        for (unsigned f = l->first_field;
             f < (unsigned)l->first_field + l->nfields && f < d->nfields; f++) {
            if (d->fields[f].id == FID_HTTP_REQUEST_METHOD)
                req = true;
            else if (d->fields[f].id == FID_HTTP_RESPONSE_VERSION)
                resp = true;
        }
        uint8_t rk[12];
        if (req) {
            /* Past the per-stream bound the oldest waiting request is forgotten. */
            if (nreq - (uint64_t)nresp >= PAIR_HTTP_MAX_OUTSTANDING) {
                uint64_t fa;
                int64_t fb;
                http_key(rk, 'R', ti->stream, (uint64_t)nresp);
                pair_get(p->http, rk, sizeof(rk), &fa, &fb, true);
                nresp++;
            }
            http_key(rk, 'R', ti->stream, nreq);
            pair_put(p->http, rk, sizeof(rk), frame, now_ns);
            nreq++;
            changed = true;
        } else if (resp) {
            if ((uint64_t)nresp < nreq) {
                uint64_t rf;
                int64_t rt;
                http_key(rk, 'R', ti->stream, (uint64_t)nresp);
                if (pair_get(p->http, rk, sizeof(rk), &rf, &rt, true) && !ti->pair_kind)
                    set_pair(ti, TI_PAIR_HTTP, rf, rt, now_ns);
                nresp++;
                changed = true;
            }
        }
    }
    if (changed || have)
        pair_put(p->counts, ck, sizeof(ck), nreq, nresp);
}

/* The DNS key: transaction id, transport, and the two endpoints (address and port) in a fixed
 * order, so that both directions find it (Wireshark's conversation; an mDNS response goes to
 * the same multicast group as its query). */
static size_t dns_key(uint8_t k[PAIR_KEY_MAX], const struct dissection *d, uint16_t id)
{
    const struct dis_summary *s = &d->sum;
    size_t al = s->addr_len == 16 ? 16 : 4;
    int c = memcmp(s->src, s->dst, al);
    bool src_first = c < 0 || (c == 0 && s->sport <= s->dport);
    const uint8_t *a = src_first ? s->src : s->dst;
    const uint8_t *b = src_first ? s->dst : s->src;
    uint16_t pa = src_first ? s->sport : s->dport;
    uint16_t pb = src_first ? s->dport : s->sport;
    size_t n = 0;
    memcpy(k + n, &id, 2);
    n += 2;
    k[n++] = s->l4;
    k[n++] = (uint8_t)al;
    memcpy(k + n, a, al);
    n += al;
    memcpy(k + n, b, al);
    n += al;
    memcpy(k + n, &pa, 2);
    n += 2;
    memcpy(k + n, &pb, 2);
    n += 2;
    return n; /* at most 2 + 2 + 32 + 4 = 40 */
}

/* A query's entry: a = its frame number, with DNS_ANSWERED once a response took it. */
#define DNS_ANSWERED (UINT64_C(1) << 63)
/* Wireshark's dns.retransmission_timer: a query repeated sooner is a retransmission of the
 * first one (which keeps the transaction); a later one starts a new transaction. */
#define DNS_RETRANSMISSION_NS (INT64_C(5) * 1000000000)

static void pair_dns(struct pairing *p, const struct dissection *d, int64_t now_ns, uint64_t frame,
                     struct track_info *ti)
{
    for (unsigned i = 0; i < d->nlayers; i++) {
        const struct layer *l = &d->layers[i];
        if (l->proto == PROTO_ICMP || l->proto == PROTO_ICMPV6)
            return; /* a quoted datagram is no query or response of its own */
        if (l->proto != PROTO_DNS && l->proto != PROTO_MDNS && l->proto != PROTO_LLMNR)
            continue;
        const struct field *id = NULL, *qr = NULL;
        for (unsigned f = l->first_field;
             f < (unsigned)l->first_field + l->nfields && f < d->nfields; f++) {
            if (d->fields[f].id == FID_DNS_ID && !id)
                id = &d->fields[f];
            else if (d->fields[f].id == FID_DNS_FLAGS_RESPONSE && !qr)
                qr = &d->fields[f];
        }
        if (!id || !qr)
            continue;
        uint8_t k[PAIR_KEY_MAX];
        size_t n = dns_key(k, d, (uint16_t)id->value);
        uint64_t qf = 0;
        int64_t qt = 0;
        bool known = pair_get(p->dns, k, n, &qf, &qt, false);
        if (!qr->value) {
            bool retransmission =
                known && !(qf & DNS_ANSWERED) && now_ns - qt < DNS_RETRANSMISSION_NS;
            if (!retransmission)
                pair_put(p->dns, k, n, frame, now_ns);
        } else if (known && !(qf & DNS_ANSWERED) && qf < frame) {
            /* Wireshark shows the pairing after the whole message is decoded: not on a
             * response cut short or damaged (the transaction is answered all the same). */
            if (!ti->pair_kind && l->status == LAYER_OK)
                set_pair(ti, TI_PAIR_DNS, qf, qt, now_ns);
            pair_put(p->dns, k, n, qf | DNS_ANSWERED, qt);
        }
    }
}

uint64_t pairing_evicted(const struct pairing *p)
{
    if (!p)
        return 0;
    return pair_evicted(p->http) + pair_evicted(p->counts) + pair_evicted(p->dns) +
           pair_evicted(p->echo) + pair_evicted(p->arp);
}

/* ---- ICMP echo ---------------------------------------------------------------------------- */

static bool echo_is_request(uint8_t l4, uint8_t type)
{
    return l4 == PS_IPPROTO_ICMP ? type == 8 : type == 128;
}

/* The echo key: identifier, sequence number and the two addresses in a fixed order. */
static size_t echo_key(uint8_t k[PAIR_KEY_MAX], const struct dis_summary *s)
{
    size_t al = s->addr_len == 16 ? 16 : 4;
    bool src_first = memcmp(s->src, s->dst, al) <= 0;
    size_t n = 0;
    k[n++] = 'E';
    k[n++] = s->l4;
    memcpy(k + n, &s->icmp_id, 2);
    n += 2;
    memcpy(k + n, &s->icmp_seq, 2);
    n += 2;
    memcpy(k + n, src_first ? s->src : s->dst, al);
    n += al;
    memcpy(k + n, src_first ? s->dst : s->src, al);
    n += al;
    return n; /* at most 6 + 32 = 38 */
}

static void pair_echo(struct pairing *p, const struct dissection *d, int64_t now_ns, uint64_t frame,
                      struct track_info *ti)
{
    const struct dis_summary *s = &d->sum;
    uint8_t k[PAIR_KEY_MAX];
    size_t n = echo_key(k, s);
    if (echo_is_request(s->l4, s->icmp_type)) {
        pair_put(p->echo, k, n, frame, now_ns);
        return;
    }
    uint64_t qf;
    int64_t qt;
    if (pair_get(p->echo, k, n, &qf, &qt, true) && qf < frame && !ti->pair_kind)
        set_pair(ti, TI_PAIR_ECHO, qf, qt, now_ns);
}

/* ---- ARP ---------------------------------------------------------------------------------- */

static const uint8_t *arp_ipv4(const struct dissection *d, enum field_id id)
{
    const struct field *f = dis_find(d, id);
    return f && f->len == 4 ? dis_field_bytes(d, f, 4) : NULL;
}

/* {'A', vlan, the address asked for, the asker's address}. */
static size_t arp_key(uint8_t k[PAIR_KEY_MAX], uint16_t vlan, const uint8_t *asked,
                      const uint8_t *asker)
{
    k[0] = 'A';
    memcpy(k + 1, &vlan, 2);
    memcpy(k + 3, asked, 4);
    memcpy(k + 7, asker, 4);
    return 11;
}

void pairing_arp(struct pairing *p, const struct dissection *d, int64_t now_ns, uint64_t frame,
                 struct track_info *ti)
{
    if (!p || !d || d->sum.l3 != L3_ARP)
        return;
    const uint8_t *spa = arp_ipv4(d, FID_ARP_SRC_PROTO_IPV4);
    const uint8_t *tpa = arp_ipv4(d, FID_ARP_DST_PROTO_IPV4);
    if (!spa || !tpa || dis_find(d, FID_ARP_ISGRATUITOUS))
        return; /* not IPv4 over Ethernet, cut short, or expecting no reply */
    uint16_t vlan = d->sum.has_vlan ? d->sum.vlan_id : 0;
    uint8_t k[PAIR_KEY_MAX];
    uint64_t qf;
    int64_t qt;
    if (d->sum.arp_op == 1) {
        size_t n = arp_key(k, vlan, tpa, spa);
        if (pair_get(p->arp, k, n, &qf, &qt, false) && qf < frame)
            set_pair(ti, TI_PAIR_ARP_AGAIN, qf, qt, now_ns);
        pair_put(p->arp, k, n, frame, now_ns);
    } else if (d->sum.arp_op == 2) {
        /* The reply's sender is the address asked for; its target is the asker. */
        size_t n = arp_key(k, vlan, spa, tpa);
        if (pair_get(p->arp, k, n, &qf, &qt, true) && qf < frame)
            set_pair(ti, TI_PAIR_ARP, qf, qt, now_ns);
    }
}

void pairing_packet(struct pairing *p, const struct dissection *d, int64_t now_ns, uint64_t frame,
                    struct track_info *info)
{
    if (!p || !d || !(d->sum.addr_len == 4 || d->sum.addr_len == 16))
        return;
    if (d->sum.app_proto == PROTO_HTTP && d->sum.l4 == PS_IPPROTO_TCP &&
        (info->flags & TI_HAS_STREAM) && info->proto == PS_IPPROTO_TCP)
        pair_http(p, d, now_ns, frame, info);
    else if (d->sum.app_proto == PROTO_DNS || d->sum.app_proto == PROTO_MDNS ||
             d->sum.app_proto == PROTO_LLMNR)
        pair_dns(p, d, now_ns, frame, info);
    else if (d->sum.icmp_is_echo && !d->sum.later_fragment &&
             ((d->sum.l4 == PS_IPPROTO_ICMP && dis_find_layer(d, PROTO_ICMP)) ||
              (d->sum.l4 == PS_IPPROTO_ICMPV6 && dis_find_layer(d, PROTO_ICMPV6))))
        pair_echo(p, d, now_ns, frame, info);
}
