/*
 * hosts: observations per packet into one bounded hash table, verdicts at the end (hosts.h).
 *
 * An observation is keyed by what it is about (a MAC; a MAC with an IP; an IP; an ARP sender's
 * mapping; a client/server pair with its port; a DHCP lease) and counts when and how often it
 * was seen. The table is a ring of HOSTS_MAX_ENTRIES slots with a hash index: when it is full
 * the oldest observation goes (dhcp.c keeps its exchanges the same way). Observations refer to
 * each other by value, never by slot, so one that goes leaves nothing dangling.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "dissect/annotate.h"
#include "dissect/numbers.h"
#include "track/hosts.h"
#include "util/util.h"

#define SLOT_NONE UINT32_MAX

enum obs_kind {
    OBS_MAC = 1, /* mac */
    OBS_SEEN,    /* mac, a: the IP a frame of that MAC carried (as source or destination) */
    OBS_IP,      /* a */
    OBS_ARP,     /* mac, a: an ARP sender's mapping */
    OBS_ROLE,    /* a client, b server, l4, port */
    OBS_LEASE,   /* mac (client), a the address handed out, b the mask */
    OBS_ND,      /* mac, a: an IPv6 neighbour discovery mapping (flags ND_*) */
    OBS_PREFIX,  /* a: an RA's on-link prefix, port its length; mac, b: the router's */
};

/* OBS_MAC */
#define MAC_SENT 0x1u
/* OBS_SEEN */
#define SEEN_SRC 0x1u
#define SEEN_DST 0x2u
#define SEEN_ARP 0x4u
#define SEEN_DHCP 0x8u
#define SEEN_ND 0x10u /* a neighbour advertisement or solicitation named it the MAC's own */
/* OBS_IP */
#define IP_IN_IP 0x1u /* in an IP header */
#define IP_ARP 0x2u   /* in an ARP message (sender or target) */
/* OBS_LEASE */
#define LEASE_OFFER 0x1u
#define LEASE_ACK 0x2u
#define LEASE_ROUTER 0x4u
/* OBS_ND: what taught it (1 << enum hosts_taught) */
#define ND_FLAG(how) (1u << (how))

struct obs_key {
    uint8_t kind, l4;
    uint16_t port;
    uint8_t mac[6];
    uint8_t alen, blen;
    uint8_t a[16], b[16];
};

struct obs {
    struct obs_key k;
    bool used;
    uint32_t hnext;
    uint32_t flags;
    uint64_t first_frame, last_frame, count;
    int64_t first_sec, last_sec;
    uint32_t first_nsec, last_nsec;
    uint8_t extra[4];   /* OBS_LEASE: the router (option 3); OBS_ND: what taught it first */
    uint64_t ack_frame; /* OBS_LEASE: the first ACK, 0 none (an OFFER alone) */
};

struct hosts {
    struct obs *v; /* HOSTS_MAX_ENTRIES, allocated on the first packet */
    uint32_t *buckets;
    uint64_t seed; /* of the buckets' hash */
    uint64_t next; /* observations made; next % HOSTS_MAX_ENTRIES is the slot to fill */
    uint64_t evicted;
    struct hosts_subnet subnets[HOSTS_MAX_SUBNETS];
    size_t nsubnets;
    /* For hosts_subnet_test: the latest ARP mapping of each MAC (direct-mapped by MAC), and
     * the latest DHCP leases with a mask (a ring). */
    struct arp_by_mac {
        bool used;
        uint8_t how; /* enum hosts_taught */
        uint8_t mac[6];
        uint8_t ip[16];
        uint64_t frame;
    } arp_by_mac[HOSTS_ARP_BY_MAC], nd_by_mac[HOSTS_ARP_BY_MAC];
    struct hosts_subnet leases_now[HOSTS_LEASES_NOW];
    size_t nleases_now;
    struct hosts_subnet ra_now[HOSTS_LEASES_NOW]; /* the latest RA prefixes, a ring */
    size_t nra_now;
};

const char *subnet_source_name(enum subnet_source s)
{
    switch (s) {
    case SUBNET_GIVEN:
        return "given";
    case SUBNET_INTERFACE:
        return "interface";
    case SUBNET_DHCP:
        return "dhcp";
    case SUBNET_INFERRED:
        return "inferred";
    case SUBNET_RA:
        return "ra";
    }
    return "?";
}

const char *hosts_taught_name(enum hosts_taught how)
{
    switch (how) {
    case TAUGHT_ARP:
        return "ARP";
    case TAUGHT_NS:
        return "Neighbor Solicitation";
    case TAUGHT_NA:
        return "Neighbor Advertisement";
    case TAUGHT_RA:
        return "Router Advertisement";
    }
    return "?";
}

struct hosts *hosts_new(void)
{
    return xcalloc(1, sizeof(struct hosts));
}

void hosts_free(struct hosts *h)
{
    if (!h)
        return;
    free(h->v);
    free(h->buckets);
    free(h);
}

/* ---- addresses --------------------------------------------------------------------------- */

static void mask_bits(uint8_t *addr, size_t len, unsigned prefix)
{
    for (size_t i = 0; i < len; i++) {
        unsigned keep = prefix >= 8 * (i + 1) ? 8 : prefix > 8 * i ? prefix - 8 * i : 0;
        addr[i] &= (uint8_t)(keep ? 0xff << (8 - keep) : 0);
    }
}

static bool in_prefix(const uint8_t *net, unsigned prefix, const uint8_t *addr, size_t len)
{
    uint8_t m[16];
    memcpy(m, addr, len);
    mask_bits(m, len, prefix);
    return memcmp(m, net, len) == 0;
}

int hosts_add_subnet(struct hosts *h, const char *cidr, enum subnet_source src, char *err,
                     size_t errlen)
{
    char text[64];
    const char *slash = strchr(cidr, '/');
    size_t alen = slash ? (size_t)(slash - cidr) : 0;
    if (!slash || alen == 0 || alen >= sizeof(text)) {
        snprintf(err, errlen,
                 "'%s' is not a subnet: write ADDRESS/PREFIX (192.0.2.0/24, 2001:db8::/64)", cidr);
        return -1;
    }
    memcpy(text, cidr, alen);
    text[alen] = '\0';
    struct hosts_subnet sn;
    memset(&sn, 0, sizeof(sn));
    unsigned long plen;
    if (inet_pton(AF_INET, text, sn.addr) == 1)
        sn.addr_len = 4;
    else if (inet_pton(AF_INET6, text, sn.addr) == 1)
        sn.addr_len = 16;
    if (!sn.addr_len || parse_ulong(slash + 1, 0, sn.addr_len * 8u, &plen) < 0) {
        snprintf(err, errlen,
                 "'%s' is not a subnet: write ADDRESS/PREFIX with a prefix of 0-32 (IPv4) or "
                 "0-128 (IPv6)",
                 cidr);
        return -1;
    }
    if (h->nsubnets >= HOSTS_MAX_SUBNETS) {
        snprintf(err, errlen, "at most %u subnets can be given", HOSTS_MAX_SUBNETS);
        return -1;
    }
    sn.prefix_len = (uint8_t)plen;
    sn.source = (uint8_t)src;
    mask_bits(sn.addr, sn.addr_len, sn.prefix_len);
    for (size_t i = 0; i < h->nsubnets; i++)
        if (h->subnets[i].addr_len == sn.addr_len && h->subnets[i].prefix_len == sn.prefix_len &&
            memcmp(h->subnets[i].addr, sn.addr, sn.addr_len) == 0)
            return 0; /* the same subnet twice (an interface with two addresses in it) */
    h->subnets[h->nsubnets++] = sn;
    return 0;
}

/* An address a host can have: not unspecified, broadcast or multicast. */
static bool usable_addr(const uint8_t *a, size_t len)
{
    if (len == 4) {
        enum addr_class c = addr_class_ipv4(a);
        return c != ADDR_THIS_HOST && c != ADDR_BROADCAST && c != ADDR_MULTICAST;
    }
    if (len == 16) {
        enum addr_class c = addr_class_ipv6(a);
        return c != ADDR_UNSPECIFIED && c != ADDR_MULTICAST;
    }
    return false;
}

/* ---- the observation table --------------------------------------------------------------- */

/* Keys are made whole by key_init (memset), so their bytes can be hashed. */
static uint32_t key_hash(const struct hosts *h, const struct obs_key *k)
{
    return (uint32_t)hash_bytes(h->seed, k, sizeof(*k)) & (HOSTS_MAX_ENTRIES - 1);
}

static void obs_unlink(struct hosts *h, uint32_t slot)
{
    uint32_t *p = &h->buckets[key_hash(h, &h->v[slot].k)];
    for (uint32_t n = 0; *p != SLOT_NONE && n < HOSTS_MAX_ENTRIES; n++) {
        if (*p == slot) {
            *p = h->v[slot].hnext;
            break;
        }
        p = &h->v[*p].hnext;
    }
    h->v[slot].used = false;
}

static void table_alloc(struct hosts *h)
{
    h->v = xcalloc(HOSTS_MAX_ENTRIES, sizeof(*h->v));
    h->buckets = xmalloc(HOSTS_MAX_ENTRIES * sizeof(*h->buckets));
    memset(h->buckets, 0xff, HOSTS_MAX_ENTRIES * sizeof(*h->buckets));
    h->seed = hash_seed();
}

/* The observation of key k (in bucket b: key_hash), made now if new (the oldest goes when the
 * table is full). */
static struct obs *obs_touch(struct hosts *h, const struct obs_key *k, uint32_t b, int64_t sec,
                             uint32_t nsec, uint64_t frame)
{
    struct obs *o = NULL;
    for (uint32_t s = h->buckets[b], n = 0; s != SLOT_NONE && n < HOSTS_MAX_ENTRIES;
         s = h->v[s].hnext, n++)
        if (memcmp(&h->v[s].k, k, sizeof(*k)) == 0) {
            o = &h->v[s];
            break;
        }
    if (!o) {
        uint32_t slot = (uint32_t)(h->next++ % HOSTS_MAX_ENTRIES);
        if (h->v[slot].used) {
            obs_unlink(h, slot);
            h->evicted++;
        }
        o = &h->v[slot];
        memset(o, 0, sizeof(*o));
        o->k = *k;
        o->used = true;
        o->first_frame = frame;
        o->first_sec = sec;
        o->first_nsec = nsec;
        o->hnext = h->buckets[b];
        h->buckets[b] = slot;
    }
    o->last_frame = frame;
    o->last_sec = sec;
    o->last_nsec = nsec;
    return o;
}

static void key_init(struct obs_key *k, enum obs_kind kind)
{
    memset(k, 0, sizeof(*k));
    k->kind = (uint8_t)kind;
}

static void key_a(struct obs_key *k, const uint8_t *a, size_t len)
{
    k->alen = (uint8_t)len;
    memcpy(k->a, a, len);
}

struct pkt_at {
    int64_t sec;
    uint32_t nsec;
    uint64_t frame;
};

static struct obs *touch(struct hosts *h, const struct obs_key *k, const struct pkt_at *at)
{
    if (!h->v)
        table_alloc(h);
    return obs_touch(h, k, key_hash(h, k), at->sec, at->nsec, at->frame);
}

/*
 * The observations one packet makes, touched together. An IP packet touches up to seven
 * entries of a table (2 MB) that a capture with many hosts walks at random, and each lookup is
 * two dependent cache misses (the bucket, then the entry): asking memory for every bucket,
 * then for every first entry, before reading any lets those misses overlap instead of following
 * one another (perf put obs_touch at a fifth of --hosts' time on the generated capture). The
 * touches themselves happen in the order they were added, as one at a time would.
 */
enum { TOUCHES_MAX = 8 };

struct touches {
    struct obs_key k[TOUCHES_MAX];
    uint32_t flags[TOUCHES_MAX]; /* or-ed into the observation's */
    bool count[TOUCHES_MAX];     /* count the observation once more */
    size_t n;
};

static struct obs_key *touches_add(struct touches *t, enum obs_kind kind, uint32_t flags,
                                   bool count)
{
    struct obs_key *k = &t->k[t->n];
    key_init(k, kind);
    t->flags[t->n] = flags;
    t->count[t->n] = count;
    t->n++;
    return k;
}

static void touches_run(struct hosts *h, struct touches *t, const struct pkt_at *at)
{
    if (!h->v)
        table_alloc(h);
    uint32_t b[TOUCHES_MAX];
    for (size_t i = 0; i < t->n; i++) {
        b[i] = key_hash(h, &t->k[i]);
        __builtin_prefetch(&h->buckets[b[i]]);
    }
    for (size_t i = 0; i < t->n; i++) {
        uint32_t s = h->buckets[b[i]];
        if (s != SLOT_NONE) { /* an entry is two cache lines: the key, then the times */
            __builtin_prefetch(&h->v[s]);
            __builtin_prefetch((const char *)(&h->v[s] + 1) - 1);
        }
    }
    for (size_t i = 0; i < t->n; i++) {
        struct obs *o = obs_touch(h, &t->k[i], b[i], at->sec, at->nsec, at->frame);
        o->flags |= t->flags[i];
        if (t->count[i])
            o->count++;
    }
    t->n = 0;
}

static const uint8_t *field_bytes(const struct dissection *d, enum field_id id, size_t n)
{
    const struct field *f = dis_find(d, id);
    return f && f->len == n ? dis_field_bytes(d, f, n) : NULL;
}

/* ---- per packet ---------------------------------------------------------------------------- */

static unsigned mask_prefix(const uint8_t m[4], bool *contiguous);

static size_t mac_slot(const uint8_t mac[6])
{
    uint32_t x = 2166136261u;
    for (int i = 0; i < 6; i++)
        x = (x ^ mac[i]) * 16777619u;
    return x % HOSTS_ARP_BY_MAC;
}

/* A DHCP ACK's subnet, for the subnet test of the packets after it. */
static void lease_now(struct hosts *h, const uint8_t yi[4], const uint8_t mask[4],
                      const uint8_t *router, uint64_t frame)
{
    bool contiguous;
    unsigned plen = mask_prefix(mask, &contiguous);
    if (!contiguous || plen == 0 || plen > 30)
        return;
    struct hosts_subnet sn;
    memset(&sn, 0, sizeof(sn));
    sn.addr_len = 4;
    sn.prefix_len = (uint8_t)plen;
    sn.source = SUBNET_DHCP;
    sn.ack = true;
    memcpy(sn.addr, yi, 4);
    mask_bits(sn.addr, 4, plen);
    memcpy(sn.assigned, yi, 4);
    if (router) {
        sn.has_router = true;
        memcpy(sn.router, router, 4);
    }
    sn.frame = frame;
    h->leases_now[h->nleases_now++ % HOSTS_LEASES_NOW] = sn;
}

/* A DHCP server's OFFER or ACK: the address handed out, the mask and the router (RFC 2132 3.3,
 * 3.5). */
static void learn_dhcp(struct hosts *h, const struct dissection *d, const struct pkt_at *at,
                       bool shown)
{
    const struct field *op = dis_find(d, FID_DHCP_TYPE);
    const struct field *type = dis_find(d, FID_DHCP_OPTION_DHCP);
    if (!op || op->value != 2 || !type || (type->value != 2 && type->value != 5))
        return;
    const uint8_t *yi = field_bytes(d, FID_DHCP_IP_YOUR, 4);
    const uint8_t *mask = field_bytes(d, FID_DHCP_OPTION_SUBNET_MASK, 4);
    const uint8_t *router = field_bytes(d, FID_DHCP_OPTION_ROUTER, 4);
    const uint8_t *chaddr = field_bytes(d, FID_DHCP_HW_MAC_ADDR, 6);
    if (!yi || !usable_addr(yi, 4))
        return;
    struct obs_key k;
    key_init(&k, OBS_LEASE);
    key_a(&k, yi, 4);
    if (mask) {
        k.blen = 4;
        memcpy(k.b, mask, 4);
    }
    if (chaddr)
        memcpy(k.mac, chaddr, 6);
    struct obs *o = touch(h, &k, at);
    o->count++;
    o->flags |= type->value == 5 ? LEASE_ACK : LEASE_OFFER;
    if (type->value == 5 && !o->ack_frame)
        o->ack_frame = at->frame;
    if (type->value == 5 && mask)
        lease_now(h, yi, mask, router, at->frame);
    if (router && !(o->flags & LEASE_ROUTER)) {
        o->flags |= LEASE_ROUTER;
        memcpy(o->extra, router, 4);
    }
    if (shown && chaddr && type->value == 5 && !mac_is_group(chaddr)) {
        key_init(&k, OBS_SEEN);
        memcpy(k.mac, chaddr, 6);
        key_a(&k, yi, 4);
        touch(h, &k, at)->flags |= SEEN_DHCP;
    }
}

/* The latest mapping of a MAC, for the subnet test of the packets after it. */
static void remember_mac(struct arp_by_mac *table, const uint8_t mac[6], const uint8_t *ip,
                         size_t len, enum hosts_taught how, uint64_t frame)
{
    struct arp_by_mac *m = &table[mac_slot(mac)];
    m->used = true;
    m->how = (uint8_t)how;
    memcpy(m->mac, mac, 6);
    memset(m->ip, 0, sizeof(m->ip));
    memcpy(m->ip, ip, len);
    m->frame = frame;
}

static void learn_arp(struct hosts *h, const struct dissection *d, const struct pkt_at *at)
{
    const uint8_t *smac = field_bytes(d, FID_ARP_SRC_HW_MAC, 6);
    const uint8_t *sip = field_bytes(d, FID_ARP_SRC_PROTO_IPV4, 4);
    const uint8_t *tip = field_bytes(d, FID_ARP_DST_PROTO_IPV4, 4);
    struct obs_key k;
    if (tip && usable_addr(tip, 4)) {
        key_init(&k, OBS_IP);
        key_a(&k, tip, 4);
        touch(h, &k, at)->flags |= IP_ARP;
    }
    /* A probe (sender 0.0.0.0, RFC 5227) teaches no mapping. */
    if (!smac || !sip || !usable_addr(sip, 4) || mac_is_group(smac))
        return;
    key_init(&k, OBS_IP);
    key_a(&k, sip, 4);
    touch(h, &k, at)->flags |= IP_ARP;
    key_init(&k, OBS_ARP);
    memcpy(k.mac, smac, 6);
    key_a(&k, sip, 4);
    touch(h, &k, at)->count++;
    remember_mac(h->arp_by_mac, smac, sip, 4, TAUGHT_ARP, at->frame);
    key_init(&k, OBS_SEEN);
    memcpy(k.mac, smac, 6);
    key_a(&k, sip, 4);
    touch(h, &k, at)->flags |= SEEN_ARP;
}

/* One neighbour discovery mapping: ip is mac's own (the neighbour table's row, and the host's
 * address for the report). */
static void nd_mapping(struct hosts *h, const uint8_t mac[6], const uint8_t ip[16],
                       enum hosts_taught how, const struct pkt_at *at)
{
    if (!usable_addr(ip, 16) || mac_is_group(mac))
        return;
    struct obs_key k;
    key_init(&k, OBS_ND);
    memcpy(k.mac, mac, 6);
    key_a(&k, ip, 16);
    struct obs *o = touch(h, &k, at);
    if (!o->count++)
        o->extra[0] = (uint8_t)how; /* what taught it first */
    o->flags |= ND_FLAG(how);
    remember_mac(h->nd_by_mac, mac, ip, 16, how, at->frame);
    key_init(&k, OBS_SEEN);
    memcpy(k.mac, mac, 6);
    key_a(&k, ip, 16);
    touch(h, &k, at)->flags |= SEEN_ND;
}

/* The MAC an ND message speaks for: its link-layer address option, else the frame's source. */
static const uint8_t *nd_mac(const struct dissection *d, enum field_id opt)
{
    const uint8_t *m = field_bytes(d, opt, 6);
    if (m)
        return m;
    return d->sum.has_eth && !mac_is_group(d->sum.eth_src) ? d->sum.eth_src : NULL;
}

/* IPv6 neighbour discovery (RFC 4861 4.2-4.4): NA and NS teach mappings as ARP does; an RA
 * names the router and its on-link prefixes. */
static void learn_nd(struct hosts *h, const struct dissection *d, const struct pkt_at *at,
                     bool shown)
{
    const struct dis_summary *s = &d->sum;
    const struct field *type = dis_find(d, FID_ICMPV6_TYPE);
    if (!type || s->addr_len != 16)
        return;
    if (type->value == 134) {
        const uint8_t *mac = nd_mac(d, FID_ICMPV6_OPT_SRC_LINKADDR);
        if (mac && shown)
            nd_mapping(h, mac, s->src, TAUGHT_RA, at);
        /* Every prefix information option with L (on-link) set, each with its length before it. */
        unsigned plen = 0;
        bool on_link = false;
        for (size_t i = 0; i < d->nfields; i++) {
            const struct field *f = &d->fields[i];
            if (f->id == FID_ICMPV6_OPT_PREFIX_LENGTH)
                plen = (unsigned)f->value;
            else if (f->id == FID_ICMPV6_OPT_PREFIX_FLAG)
                on_link = (f->value & 0x80) != 0;
            if (f->id != FID_ICMPV6_OPT_PREFIX || f->len != 16 || !on_link || plen == 0 ||
                plen > 128)
                continue;
            const uint8_t *p = dis_field_bytes(d, f, 16);
            if (!p)
                continue;
            struct hosts_subnet sn;
            memset(&sn, 0, sizeof(sn));
            sn.addr_len = 16;
            sn.prefix_len = (uint8_t)plen;
            sn.source = SUBNET_RA;
            memcpy(sn.addr, p, 16);
            mask_bits(sn.addr, 16, plen);
            memcpy(sn.router6, s->src, 16);
            if (mac)
                memcpy(sn.router_mac, mac, 6);
            sn.has_router = mac != NULL;
            sn.frame = at->frame;
            h->ra_now[h->nra_now++ % HOSTS_LEASES_NOW] = sn;
            struct obs_key k;
            key_init(&k, OBS_PREFIX);
            key_a(&k, sn.addr, 16);
            k.port = (uint16_t)plen;
            k.blen = 16;
            memcpy(k.b, s->src, 16);
            if (mac)
                memcpy(k.mac, mac, 6);
            touch(h, &k, at)->count++;
        }
        return;
    }
    if (!shown)
        return;
    if (type->value == 136) {
        const uint8_t *target = field_bytes(d, FID_ICMPV6_NA_TARGET, 16);
        const uint8_t *mac = nd_mac(d, FID_ICMPV6_OPT_TARGET_LINKADDR);
        if (target && mac)
            nd_mapping(h, mac, target, TAUGHT_NA, at);
    } else if (type->value == 135) {
        /* The solicitation's sender (not :: of duplicate address detection) with its
         * link-layer address: the target's cache learns it (RFC 4861 7.2.3). */
        const uint8_t *mac = field_bytes(d, FID_ICMPV6_OPT_SRC_LINKADDR, 6);
        if (mac)
            nd_mapping(h, mac, s->src, TAUGHT_NS, at);
    }
}

static void learn_ip(struct touches *t, const uint8_t *mac, const uint8_t *ip, size_t len,
                     uint32_t seen_flag)
{
    if (!usable_addr(ip, len))
        return;
    key_a(touches_add(t, OBS_IP, IP_IN_IP, false), ip, len);
    if (!mac || mac_is_group(mac))
        return;
    struct obs_key *k = touches_add(t, OBS_SEEN, seen_flag, false);
    memcpy(k->mac, mac, 6);
    key_a(k, ip, len);
}

static void learn_role(struct touches *t, const struct dis_summary *s)
{
    const uint8_t *client = NULL, *server = NULL;
    uint16_t port = 0;
    if (s->l4 == PS_IPPROTO_TCP) {
        if ((s->tcp_flags & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_SYN)
            return;
        client = s->src, server = s->dst, port = s->dport;
    } else if (s->l4 == PS_IPPROTO_UDP) {
        bool sk = s->sport < 1024, dk = s->dport < 1024;
        if (dk && (!sk || s->dport < s->sport))
            client = s->src, server = s->dst, port = s->dport;
        else if (sk && (!dk || s->sport < s->dport))
            client = s->dst, server = s->src, port = s->sport;
        else
            return;
    } else if (s->l4 == PS_IPPROTO_ICMP || s->l4 == PS_IPPROTO_ICMPV6) {
        uint8_t request = s->l4 == PS_IPPROTO_ICMP ? 8 : 128;
        if (!s->icmp_is_echo || s->icmp_type != request)
            return;
        client = s->src, server = s->dst;
    } else {
        return;
    }
    if (!usable_addr(client, s->addr_len) || !usable_addr(server, s->addr_len))
        return;
    struct obs_key *k = touches_add(t, OBS_ROLE, 0, true);
    k->l4 = s->l4;
    k->port = port;
    key_a(k, client, s->addr_len);
    k->blen = s->addr_len;
    memcpy(k->b, server, s->addr_len);
}

void hosts_packet(struct hosts *h, const struct dissection *d, int64_t ts_sec, uint32_t ts_nsec,
                  uint64_t frame, bool shown)
{
    const struct dis_summary *s = &d->sum;
    struct pkt_at at = {ts_sec, ts_nsec, frame};
    if (dis_find_layer(d, PROTO_DHCP))
        learn_dhcp(h, d, &at, shown);
    if (s->l4 == PS_IPPROTO_ICMPV6)
        learn_nd(h, d, &at, shown);
    if (!shown)
        return;
    const uint8_t *smac = NULL, *dmac = NULL;
    struct touches t;
    t.n = 0;
    if (s->has_eth) {
        if (!mac_is_group(s->eth_src)) {
            smac = s->eth_src;
            memcpy(touches_add(&t, OBS_MAC, MAC_SENT, true)->mac, smac, 6);
        }
        if (!mac_is_group(s->eth_dst)) {
            dmac = s->eth_dst;
            memcpy(touches_add(&t, OBS_MAC, 0, false)->mac, dmac, 6);
        }
    }
    if (s->l3 == L3_ARP) {
        touches_run(h, &t, &at);
        learn_arp(h, d, &at);
        return;
    }
    if ((s->l3 == L3_IPV4 || s->l3 == L3_IPV6) && (s->addr_len == 4 || s->addr_len == 16)) {
        learn_ip(&t, smac, s->src, s->addr_len, SEEN_SRC);
        learn_ip(&t, dmac, s->dst, s->addr_len, SEEN_DST);
        if (!s->later_fragment)
            learn_role(&t, s);
    }
    touches_run(h, &t, &at);
}

/* ---- the subnet test ---------------------------------------------------------------------- */

static bool unicast_v4(const uint8_t a[4])
{
    return usable_addr(a, 4) && a[0] < 224 && !(a[0] == 127);
}

/* The first subnet known before `frame` that holds addr: given and interface ones, then the
 * latest DHCP lease. */
static const struct hosts_subnet *known_subnet(const struct hosts *h, const uint8_t addr[4],
                                               uint64_t frame)
{
    for (size_t i = 0; i < h->nsubnets; i++)
        if (h->subnets[i].addr_len == 4 &&
            in_prefix(h->subnets[i].addr, h->subnets[i].prefix_len, addr, 4))
            return &h->subnets[i];
    size_t n = h->nleases_now < HOSTS_LEASES_NOW ? h->nleases_now : HOSTS_LEASES_NOW;
    const struct hosts_subnet *best = NULL;
    for (size_t i = 0; i < n; i++) {
        const struct hosts_subnet *sn = &h->leases_now[i];
        if (sn->frame < frame && in_prefix(sn->addr, sn->prefix_len, addr, 4) &&
            (!best || sn->frame > best->frame))
            best = sn;
    }
    return best;
}

/* The IPv6 prefix known before `frame` that holds addr: given and interface ones, then the
 * latest Router Advertisement's. */
static const struct hosts_subnet *known_prefix6(const struct hosts *h, const uint8_t addr[16],
                                                uint64_t frame)
{
    for (size_t i = 0; i < h->nsubnets; i++)
        if (h->subnets[i].addr_len == 16 &&
            in_prefix(h->subnets[i].addr, h->subnets[i].prefix_len, addr, 16))
            return &h->subnets[i];
    size_t n = h->nra_now < HOSTS_LEASES_NOW ? h->nra_now : HOSTS_LEASES_NOW;
    const struct hosts_subnet *best = NULL;
    for (size_t i = 0; i < n; i++) {
        const struct hosts_subnet *sn = &h->ra_now[i];
        if (sn->frame < frame && in_prefix(sn->addr, sn->prefix_len, addr, 16) &&
            (!best || sn->frame > best->frame))
            best = sn;
    }
    return best;
}

/* The MAC on the far side of the verdict, and the mapping that named it before `frame`. */
static void test_mac(const struct hosts *h, const struct dissection *d, uint64_t frame,
                     struct subnet_test *t)
{
    const struct dis_summary *s = &d->sum;
    if (!s->has_eth)
        return;
    const uint8_t *mac = t->side_src ? s->eth_dst : s->eth_src;
    t->has_mac = !mac_is_group(mac);
    memcpy(t->mac, mac, 6);
    const struct arp_by_mac *table = s->addr_len == 4 ? h->arp_by_mac : h->nd_by_mac;
    const struct arp_by_mac *m = &table[mac_slot(mac)];
    if (t->has_mac && m->used && memcmp(m->mac, mac, 6) == 0 && m->frame < frame) {
        t->mac_known = true;
        t->mac_ip_len = s->addr_len;
        memcpy(t->mac_ip, m->ip, s->addr_len);
        t->mac_how = m->how;
        t->mac_frame = m->frame;
    }
}

static bool subnet_test6(const struct hosts *h, const struct dissection *d, uint64_t frame,
                         struct subnet_test *t)
{
    const struct dis_summary *s = &d->sum;
    enum addr_class sc = addr_class_ipv6(s->src), dc = addr_class_ipv6(s->dst);
    if (sc == ADDR_UNSPECIFIED || sc == ADDR_MULTICAST || sc == ADDR_LOOPBACK ||
        dc == ADDR_UNSPECIFIED || dc == ADDR_LOOPBACK)
        return false;
    t->side_src = true;
    if (dc == ADDR_MULTICAST) {
        t->kind = SUBNET_TEST_MULTICAST;
        test_mac(h, d, frame, t);
        if (s->has_eth) /* the group's MAC: shown even though it is a group address */
            t->has_mac = true;
        return true;
    }
    if (sc == ADDR_LINK_LOCAL || dc == ADDR_LINK_LOCAL) {
        t->kind = SUBNET_TEST_LINK_LOCAL;
        t->same = true;
        test_mac(h, d, frame, t);
        return true;
    }
    const struct hosts_subnet *sn = known_prefix6(h, s->src, frame);
    if (!sn) {
        const struct hosts_subnet *rx = known_prefix6(h, s->dst, frame);
        if (rx) {
            t->side_src = false;
            sn = rx;
        }
    }
    if (sn) {
        t->subnet = *sn;
    } else { /* no prefix known: the sender's /64, the size of nearly every IPv6 LAN (RFC 7421) */
        t->subnet.addr_len = 16;
        t->subnet.prefix_len = 64;
        t->subnet.source = SUBNET_INFERRED;
        memcpy(t->subnet.addr, s->src, 16);
        mask_bits(t->subnet.addr, 16, 64);
    }
    t->same = in_prefix(t->subnet.addr, t->subnet.prefix_len, t->side_src ? s->dst : s->src, 16);
    test_mac(h, d, frame, t);
    return true;
}

bool hosts_subnet_test(const struct hosts *h, const struct dissection *d, uint64_t frame,
                       struct subnet_test *t)
{
    const struct dis_summary *s = &d->sum;
    if (!h)
        return false;
    memset(t, 0, sizeof(*t));
    if (s->l3 == L3_IPV6 && s->addr_len == 16)
        return subnet_test6(h, d, frame, t);
    if (s->l3 != L3_IPV4 || s->addr_len != 4 || !unicast_v4(s->src) || !unicast_v4(s->dst))
        return false;
    const struct hosts_subnet *sn = known_subnet(h, s->src, frame);
    t->side_src = sn != NULL;
    if (!sn)
        sn = known_subnet(h, s->dst, frame);
    if (!sn)
        return false;
    t->subnet = *sn;
    t->same = in_prefix(sn->addr, sn->prefix_len, t->side_src ? s->dst : s->src, 4);
    test_mac(h, d, frame, t);
    return true;
}

/* ---- the report ---------------------------------------------------------------------------- */

const struct hosts_subnet *hosts_subnet_of(const struct hosts_report *r, const uint8_t *addr,
                                           size_t len)
{
    for (size_t i = 0; i < r->nsubnets; i++) {
        const struct hosts_subnet *sn = &r->subnets[i];
        if (sn->addr_len == len && in_prefix(sn->addr, sn->prefix_len, addr, len))
            return sn;
    }
    return NULL;
}

static bool family_known(const struct hosts_report *r, size_t len)
{
    for (size_t i = 0; i < r->nsubnets; i++)
        if (r->subnets[i].addr_len == len)
            return true;
    return false;
}

/* On the link whatever the subnet: a link-local address (RFC 3927, RFC 4291 2.5.6). */
static bool is_local(const struct hosts_report *r, const uint8_t *a, size_t len)
{
    enum addr_class c = len == 4 ? addr_class_ipv4(a) : addr_class_ipv6(a);
    return c == ADDR_LINK_LOCAL || hosts_subnet_of(r, a, len) != NULL;
}

/* A local IPv4 subnet's broadcast address (all host bits one): not a host. */
static bool is_subnet_broadcast(const struct hosts_report *r, const uint8_t *a, size_t len)
{
    if (len != 4)
        return false;
    const struct hosts_subnet *sn = hosts_subnet_of(r, a, len);
    if (!sn || sn->prefix_len > 30)
        return false;
    uint32_t v = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
    uint32_t host = sn->prefix_len ? 0xffffffffu >> sn->prefix_len : 0xffffffffu;
    return (v & host) == host;
}

static int addr_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    if (alen != blen)
        return alen < blen ? -1 : 1;
    return memcmp(a, b, alen);
}

static int obs_by_frame(const void *x, const void *y)
{
    const struct obs *a = *(const struct obs *const *)x, *b = *(const struct obs *const *)y;
    if (a->first_frame != b->first_frame)
        return a->first_frame < b->first_frame ? -1 : 1;
    return memcmp(&a->k, &b->k, sizeof(a->k));
}

/* The observations of one kind, in order of first sight (allocated; *n set). */
static struct obs **obs_list(const struct hosts *h, enum obs_kind kind, size_t *n)
{
    *n = 0;
    if (!h->v)
        return NULL;
    size_t count = 0;
    for (size_t i = 0; i < HOSTS_MAX_ENTRIES; i++)
        count += h->v[i].used && h->v[i].k.kind == kind;
    struct obs **list = xmalloc((count ? count : 1) * sizeof(*list));
    for (size_t i = 0; i < HOSTS_MAX_ENTRIES; i++)
        if (h->v[i].used && h->v[i].k.kind == kind)
            list[(*n)++] = &h->v[i];
    if (*n > 1)
        qsort(list, *n, sizeof(*list), obs_by_frame);
    return list;
}

static unsigned mask_prefix(const uint8_t m[4], bool *contiguous)
{
    uint32_t v = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | m[3];
    unsigned n = 0;
    while (n < 32 && (v & (0x80000000u >> n)))
        n++;
    *contiguous = n == 32 || (v & (0xffffffffu >> n)) == 0;
    return n;
}

static void add_dhcp_subnets(const struct hosts *h, struct hosts_report *r)
{
    size_t n;
    struct obs **leases = obs_list(h, OBS_LEASE, &n);
    /* An ACK is what the client took; an OFFER alone (no ACK captured) still names the net. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n && r->nsubnets < HOSTS_MAX_SUBNETS; i++) {
            const struct obs *o = leases[i];
            if (!(o->flags & (pass == 0 ? LEASE_ACK : LEASE_OFFER)) || o->k.blen != 4)
                continue;
            bool contiguous;
            unsigned plen = mask_prefix(o->k.b, &contiguous);
            if (!contiguous || plen == 0)
                continue;
            struct hosts_subnet sn;
            memset(&sn, 0, sizeof(sn));
            sn.addr_len = 4;
            sn.prefix_len = (uint8_t)plen;
            sn.source = SUBNET_DHCP;
            memcpy(sn.addr, o->k.a, 4);
            mask_bits(sn.addr, 4, plen);
            memcpy(sn.assigned, o->k.a, 4);
            sn.has_router = (o->flags & LEASE_ROUTER) != 0;
            memcpy(sn.router, o->extra, 4);
            sn.frame = o->ack_frame ? o->ack_frame : o->first_frame;
            sn.ack = o->ack_frame != 0;
            bool dup = false;
            for (size_t j = 0; j < r->nsubnets; j++)
                dup |= r->subnets[j].addr_len == 4 && r->subnets[j].prefix_len == plen &&
                       memcmp(r->subnets[j].addr, sn.addr, 4) == 0;
            if (!dup)
                r->subnets[r->nsubnets++] = sn;
        }
        if (r->nsubnets && family_known(r, 4))
            break;
    }
    free(leases);
}

/* No IPv4 subnet known: the smallest prefix covering the ARP-seen addresses, widened to /24;
 * none when they are further apart than a /16. */
static void infer_subnet(const struct hosts *h, struct hosts_report *r)
{
    if (family_known(r, 4) || r->nsubnets >= HOSTS_MAX_SUBNETS)
        return;
    size_t n;
    struct obs **ips = obs_list(h, OBS_IP, &n);
    uint32_t lo = UINT32_MAX, hi = 0, covered = 0;
    for (size_t i = 0; i < n; i++) {
        const struct obs *o = ips[i];
        if (o->k.alen != 4 || !(o->flags & IP_ARP) || addr_class_ipv4(o->k.a) == ADDR_LINK_LOCAL)
            continue;
        uint32_t v = (uint32_t)o->k.a[0] << 24 | (uint32_t)o->k.a[1] << 16 |
                     (uint32_t)o->k.a[2] << 8 | o->k.a[3];
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
        covered++;
    }
    free(ips);
    if (!covered)
        return;
    unsigned plen = 0;
    while (plen < 32 && ((lo ^ hi) & (0x80000000u >> plen)) == 0)
        plen++;
    unsigned covering = plen;
    if (plen > 24)
        plen = 24;
    if (plen < 16)
        return;
    struct hosts_subnet sn;
    memset(&sn, 0, sizeof(sn));
    sn.addr_len = 4;
    sn.prefix_len = (uint8_t)plen;
    sn.source = SUBNET_INFERRED;
    sn.covered = covered;
    sn.covering_len = (uint8_t)covering;
    for (int i = 0; i < 4; i++) {
        r->inferred_low[i] = (uint8_t)(lo >> (24 - 8 * i));
        r->inferred_high[i] = (uint8_t)(hi >> (24 - 8 * i));
    }
    memcpy(sn.addr, r->inferred_low, 4);
    mask_bits(sn.addr, 4, plen);
    r->subnets[r->nsubnets++] = sn;
}

static void row_add_addr(struct host_row *row, size_t *cap, const uint8_t *a, size_t len,
                         uint64_t frame)
{
    for (size_t i = 0; i < row->naddrs; i++)
        if (addr_cmp(row->addrs[i].a, row->addrs[i].len, a, len) == 0) {
            if (frame < row->addrs[i].first_frame)
                row->addrs[i].first_frame = frame;
            return;
        }
    row->addrs = xgrow(row->addrs, cap, row->naddrs + 1, sizeof(*row->addrs));
    struct host_addr *ha = &row->addrs[row->naddrs++];
    memset(ha, 0, sizeof(*ha));
    ha->len = (uint8_t)len;
    memcpy(ha->a, a, len);
    ha->first_frame = frame;
}

static int host_addr_order(const void *x, const void *y)
{
    const struct host_addr *a = x, *b = y;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1; /* IPv4 first */
    if (a->first_frame != b->first_frame)
        return a->first_frame < b->first_frame ? -1 : 1;
    return memcmp(a->a, b->a, a->len);
}

static int role_order(const void *x, const void *y)
{
    const struct host_role *a = x, *b = y;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->first_frame != b->first_frame)
        return a->first_frame < b->first_frame ? -1 : 1;
    int c = addr_cmp(a->peer, a->peer_len, b->peer, b->peer_len);
    if (c)
        return c;
    if (a->l4 != b->l4)
        return a->l4 < b->l4 ? -1 : 1;
    return a->port < b->port ? -1 : a->port > b->port;
}

static int row_order(const void *x, const void *y)
{
    const struct host_row *a = x, *b = y;
    if (a->has_mac != b->has_mac)
        return a->has_mac ? -1 : 1;
    if (a->first_frame != b->first_frame)
        return a->first_frame < b->first_frame ? -1 : 1;
    if (a->has_mac)
        return memcmp(a->mac, b->mac, 6);
    if (a->naddrs && b->naddrs)
        return addr_cmp(a->addrs[0].a, a->addrs[0].len, b->addrs[0].a, b->addrs[0].len);
    return 0;
}

/* Which row owns an address: (addr, row index), sorted by address. */
struct owner {
    uint8_t len;
    uint8_t a[16];
    size_t row;
};

static int owner_cmp(const void *x, const void *y)
{
    const struct owner *a = x, *b = y;
    return addr_cmp(a->a, a->len, b->a, b->len);
}

static const struct owner *owner_find(const struct owner *v, size_t n, const uint8_t *a, size_t len)
{
    struct owner key;
    memset(&key, 0, sizeof(key));
    key.len = (uint8_t)len;
    memcpy(key.a, a, len);
    return bsearch(&key, v, n, sizeof(*v), owner_cmp);
}

/* MAC -> row, sorted by MAC. */
struct mac_index {
    uint8_t mac[6];
    size_t row;
};

static int mac_index_cmp(const void *x, const void *y)
{
    return memcmp(((const struct mac_index *)x)->mac, ((const struct mac_index *)y)->mac, 6);
}

static ssize_t row_of_mac(const struct mac_index *v, size_t n, const uint8_t mac[6])
{
    struct mac_index key;
    memcpy(key.mac, mac, 6);
    key.row = 0;
    const struct mac_index *m = bsearch(&key, v, n, sizeof(*v), mac_index_cmp);
    return m ? (ssize_t)m->row : -1;
}

static int arp_order(const void *x, const void *y)
{
    const struct arp_row *a = x, *b = y;
    int c = memcmp(a->ip, b->ip, 4);
    if (c)
        return c;
    return a->frame < b->frame ? -1 : a->frame > b->frame;
}

static void build_arp(const struct hosts *h, struct hosts_report *r)
{
    size_t n;
    struct obs **arp = obs_list(h, OBS_ARP, &n);
    r->arp = xcalloc(n ? n : 1, sizeof(*r->arp));
    for (size_t i = 0; i < n; i++) {
        struct arp_row *a = &r->arp[r->narp++];
        memcpy(a->ip, arp[i]->k.a, 4);
        memcpy(a->mac, arp[i]->k.mac, 6);
        a->frame = arp[i]->first_frame;
        a->count = arp[i]->count;
        a->first_sec = arp[i]->first_sec;
        a->first_nsec = arp[i]->first_nsec;
        a->last_sec = arp[i]->last_sec;
        a->last_nsec = arp[i]->last_nsec;
    }
    free(arp);
    if (r->narp > 1)
        qsort(r->arp, r->narp, sizeof(*r->arp), arp_order);
    for (size_t i = 0; i < r->narp;) {
        size_t j = i + 1;
        while (j < r->narp && memcmp(r->arp[j].ip, r->arp[i].ip, 4) == 0)
            j++;
        if (j - i > 1) {
            r->conflicts++;
            for (size_t k = i; k < j; k++)
                r->arp[k].conflict = true;
        }
        i = j;
    }
}

/* The on-link prefixes Router Advertisements announced, after the given and DHCP subnets. */
static void add_ra_subnets(const struct hosts *h, struct hosts_report *r)
{
    size_t n;
    struct obs **pfx = obs_list(h, OBS_PREFIX, &n);
    for (size_t i = 0; i < n && r->nsubnets < HOSTS_MAX_SUBNETS; i++) {
        const struct obs *o = pfx[i];
        bool dup = false;
        for (size_t j = 0; j < r->nsubnets; j++)
            dup |= r->subnets[j].addr_len == 16 && r->subnets[j].prefix_len == o->k.port &&
                   memcmp(r->subnets[j].addr, o->k.a, 16) == 0;
        if (dup)
            continue;
        struct hosts_subnet *sn = &r->subnets[r->nsubnets++];
        memset(sn, 0, sizeof(*sn));
        sn->addr_len = 16;
        sn->prefix_len = (uint8_t)o->k.port;
        sn->source = SUBNET_RA;
        memcpy(sn->addr, o->k.a, 16);
        memcpy(sn->router6, o->k.b, 16);
        memcpy(sn->router_mac, o->k.mac, 6);
        static const uint8_t no_mac[6] = {0};
        sn->has_router = memcmp(o->k.mac, no_mac, 6) != 0;
        sn->frame = o->first_frame;
    }
    free(pfx);
}

static int nd_order(const void *x, const void *y)
{
    const struct nd_row *a = x, *b = y;
    int c = memcmp(a->ip, b->ip, 16);
    if (c)
        return c;
    return a->frame < b->frame ? -1 : a->frame > b->frame;
}

/* The neighbour table: every IPv6 address -> MAC mapping NS, NA or RA taught. */
static void build_nd(const struct hosts *h, struct hosts_report *r)
{
    size_t n;
    struct obs **nd = obs_list(h, OBS_ND, &n);
    r->nd = xcalloc(n ? n : 1, sizeof(*r->nd));
    for (size_t i = 0; i < n; i++) {
        struct nd_row *e = &r->nd[r->nnd++];
        memcpy(e->ip, nd[i]->k.a, 16);
        memcpy(e->mac, nd[i]->k.mac, 6);
        e->frame = nd[i]->first_frame;
        e->count = nd[i]->count;
        e->router = (nd[i]->flags & ND_FLAG(TAUGHT_RA)) != 0;
        e->how = nd[i]->extra[0];
    }
    free(nd);
    if (r->nnd > 1)
        qsort(r->nd, r->nnd, sizeof(*r->nd), nd_order);
}

void hosts_report(const struct hosts *h, struct hosts_report *r)
{
    memset(r, 0, sizeof(*r));
    r->cap = HOSTS_MAX_ENTRIES;
    r->evicted = h->evicted;
    /* fixed capacity: rows point into it (outside_of) */
    r->subnets = xcalloc(HOSTS_MAX_SUBNETS, sizeof(*r->subnets));
    memcpy(r->subnets, h->subnets, h->nsubnets * sizeof(*r->subnets));
    r->nsubnets = h->nsubnets;
    add_dhcp_subnets(h, r);
    add_ra_subnets(h, r);
    infer_subnet(h, r);
    build_arp(h, r);
    build_nd(h, r);

    size_t nmacs, nseen, nips, nroles, nleases;
    struct obs **macs = obs_list(h, OBS_MAC, &nmacs);
    struct obs **seen = obs_list(h, OBS_SEEN, &nseen);
    struct obs **ips = obs_list(h, OBS_IP, &nips);
    struct obs **roles = obs_list(h, OBS_ROLE, &nroles);
    struct obs **leases = obs_list(h, OBS_LEASE, &nleases);
    size_t rows_cap = nmacs + nips + 1;
    r->rows = xcalloc(rows_cap, sizeof(*r->rows));
    size_t *addr_caps = xcalloc(rows_cap, sizeof(*addr_caps));

    /* Hosts on the link: one per MAC. */
    for (size_t i = 0; i < nmacs; i++) {
        struct host_row *row = &r->rows[r->nrows++];
        row->has_mac = true;
        memcpy(row->mac, macs[i]->k.mac, 6);
        row->local = -1;
        row->first_frame = macs[i]->first_frame;
        row->last_frame = macs[i]->last_frame;
        row->frames = macs[i]->count;
    }
    struct mac_index *mac_rows = xmalloc((nmacs ? nmacs : 1) * sizeof(*mac_rows));
    for (size_t i = 0; i < nmacs; i++) {
        memcpy(mac_rows[i].mac, r->rows[i].mac, 6);
        mac_rows[i].row = i;
    }
    if (nmacs > 1)
        qsort(mac_rows, nmacs, sizeof(*mac_rows), mac_index_cmp);
    /* The addresses each MAC carried: its own, or remote ones it carries (a gateway). */
    size_t *per_family = xcalloc(2 * (r->nrows + 1), sizeof(*per_family));
    ssize_t *seen_row = xmalloc((nseen ? nseen : 1) * sizeof(*seen_row));
    for (size_t i = 0; i < nseen; i++) {
        const struct obs *o = seen[i];
        seen_row[i] = row_of_mac(mac_rows, nmacs, o->k.mac);
        if (seen_row[i] >= 0 && !is_subnet_broadcast(r, o->k.a, o->k.alen))
            per_family[2 * (size_t)seen_row[i] + (o->k.alen == 16)]++;
    }
    struct owner *carried = xmalloc((nseen ? nseen : 1) * sizeof(*carried));
    size_t ncarried = 0;
    for (size_t i = 0; i < nseen; i++) {
        const struct obs *o = seen[i];
        if (seen_row[i] < 0 || is_subnet_broadcast(r, o->k.a, o->k.alen))
            continue;
        struct host_row *row = &r->rows[seen_row[i]];
        size_t fam = per_family[2 * (size_t)seen_row[i] + (o->k.alen == 16)];
        bool known = family_known(r, o->k.alen);
        bool own = is_local(r, o->k.a, o->k.alen) ||
                   (o->flags & (SEEN_ARP | SEEN_DHCP | SEEN_ND)) ||
                   (!known && fam < HOSTS_MANY_REMOTE);
        if (own) {
            row_add_addr(row, &addr_caps[seen_row[i]], o->k.a, o->k.alen, o->first_frame);
            continue;
        }
        if (row->carried == 0 || o->first_frame < row->carried_ex.first_frame) {
            row->carried_ex.len = o->k.alen;
            memcpy(row->carried_ex.a, o->k.a, o->k.alen);
            row->carried_ex.first_frame = o->first_frame;
        }
        row->carried++;
        for (size_t j = 0; j < r->nsubnets && !row->outside_of; j++)
            if (r->subnets[j].addr_len == o->k.alen)
                row->outside_of = &r->subnets[j];
        struct owner *c = &carried[ncarried++];
        memset(c, 0, sizeof(*c));
        c->len = o->k.alen;
        memcpy(c->a, o->k.a, o->k.alen);
        c->row = (size_t)seen_row[i];
    }
    for (size_t i = 0; i < r->nrows; i++) {
        struct host_row *row = &r->rows[i];
        row->gateway = row->carried > 0 && (row->outside_of || row->carried >= HOSTS_MANY_REMOTE);
        bool any_local = false, all_known = row->naddrs > 0;
        for (size_t j = 0; j < row->naddrs; j++) {
            any_local |= is_local(r, row->addrs[j].a, row->addrs[j].len);
            all_known &= family_known(r, row->addrs[j].len);
        }
        row->local = any_local ? 1 : all_known ? 0 : -1;
    }
    /* DHCP's router option names a gateway by address; ARP ties the address to a MAC. */
    for (size_t i = 0; i < nleases; i++) {
        const struct obs *o = leases[i];
        if (!(o->flags & LEASE_ROUTER))
            continue;
        for (size_t j = 0; j < r->nrows; j++) {
            struct host_row *row = &r->rows[j];
            for (size_t k = 0; k < row->naddrs; k++)
                if (row->addrs[k].len == 4 && memcmp(row->addrs[k].a, o->extra, 4) == 0 &&
                    !row->dhcp_router_frame) {
                    row->gateway = true;
                    row->dhcp_router_frame = o->ack_frame ? o->ack_frame : o->first_frame;
                    row->gw_addr = row->addrs[k];
                }
        }
    }
    /* A MAC that sent a Router Advertisement is a router (RFC 4861 6.2). */
    for (size_t i = 0; i < r->nnd; i++) {
        const struct nd_row *e = &r->nd[i];
        ssize_t ri = e->router ? row_of_mac(mac_rows, nmacs, e->mac) : -1;
        if (ri < 0)
            continue;
        struct host_row *row = &r->rows[ri];
        row->gateway = true;
        if (!row->ra_frame || e->frame < row->ra_frame)
            row->ra_frame = e->frame;
    }
    for (size_t j = 0; j < r->nrows; j++) {
        struct host_row *row = &r->rows[j];
        if (!row->gateway)
            continue;
        for (size_t a = 0; a < r->narp; a++) {
            const struct arp_row *e = &r->arp[a];
            if (memcmp(e->mac, row->mac, 6) != 0)
                continue;
            bool named = row->dhcp_router_frame && memcmp(row->gw_addr.a, e->ip, 4) == 0;
            if (named || (!row->dhcp_router_frame && !row->arp_taught)) {
                row->arp_taught = true;
                row->arp_frame = e->frame;
                if (!row->dhcp_router_frame) {
                    memset(&row->gw_addr, 0, sizeof(row->gw_addr));
                    row->gw_addr.len = 4;
                    memcpy(row->gw_addr.a, e->ip, 4);
                }
                if (named)
                    break;
            }
        }
    }

    /* Who owns which address, for the roles and the hosts without a MAC of their own. */
    size_t nowners = 0;
    for (size_t i = 0; i < r->nrows; i++)
        nowners += r->rows[i].naddrs;
    struct owner *owners = xmalloc((nowners + nips + 1) * sizeof(*owners));
    nowners = 0;
    for (size_t i = 0; i < r->nrows; i++)
        for (size_t j = 0; j < r->rows[i].naddrs; j++) {
            struct owner *w = &owners[nowners++];
            memset(w, 0, sizeof(*w));
            w->len = r->rows[i].addrs[j].len;
            memcpy(w->a, r->rows[i].addrs[j].a, w->len);
            w->row = i;
        }
    if (nowners > 1)
        qsort(owners, nowners, sizeof(*owners), owner_cmp);
    if (ncarried > 1)
        qsort(carried, ncarried, sizeof(*carried), owner_cmp);
    size_t mac_owners = nowners;
    for (size_t i = 0; i < nips; i++) {
        const struct obs *o = ips[i];
        if (!(o->flags & IP_IN_IP) || is_subnet_broadcast(r, o->k.a, o->k.alen) ||
            owner_find(owners, mac_owners, o->k.a, o->k.alen))
            continue;
        size_t ri = r->nrows++;
        struct host_row *row = &r->rows[ri];
        row_add_addr(row, &addr_caps[ri], o->k.a, o->k.alen, o->first_frame);
        row->first_frame = o->first_frame;
        row->last_frame = o->last_frame;
        const struct owner *via = owner_find(carried, ncarried, o->k.a, o->k.alen);
        if (via) {
            row->has_via = true;
            memcpy(row->via, r->rows[via->row].mac, 6);
        }
        row->local = is_local(r, o->k.a, o->k.alen)      ? 1
                     : via || family_known(r, o->k.alen) ? 0
                                                         : -1;
        struct owner *w = &owners[nowners++];
        memset(w, 0, sizeof(*w));
        w->len = o->k.alen;
        memcpy(w->a, o->k.a, w->len);
        w->row = ri;
    }
    if (nowners > 1)
        qsort(owners, nowners, sizeof(*owners), owner_cmp);

    /* Roles: each client/server pair on both of its hosts. */
    size_t *role_caps = xcalloc(rows_cap, sizeof(*role_caps));
    for (size_t i = 0; i < nroles; i++) {
        const struct obs *o = roles[i];
        for (int side = 0; side < 2; side++) {
            const uint8_t *me = side == 0 ? o->k.a : o->k.b;
            const uint8_t *peer = side == 0 ? o->k.b : o->k.a;
            const struct owner *w = owner_find(owners, nowners, me, o->k.alen);
            if (!w)
                continue;
            struct host_row *row = &r->rows[w->row];
            row->roles =
                xgrow(row->roles, &role_caps[w->row], row->nroles + 1, sizeof(*row->roles));
            struct host_role *hr = &row->roles[row->nroles++];
            memset(hr, 0, sizeof(*hr));
            hr->kind = side == 0 ? ROLE_CLIENT : ROLE_SERVER;
            hr->l4 = o->k.l4;
            hr->port = o->k.port;
            hr->addr_len = hr->peer_len = o->k.alen;
            memcpy(hr->addr, me, o->k.alen);
            memcpy(hr->peer, peer, o->k.alen);
            hr->count = o->count;
            hr->first_frame = o->first_frame;
        }
    }
    for (size_t i = 0; i < r->nrows; i++) {
        struct host_row *row = &r->rows[i];
        /* (qsort's array may not be NULL, even with no element: C11 7.22.5) */
        if (row->naddrs)
            qsort(row->addrs, row->naddrs, sizeof(*row->addrs), host_addr_order);
        if (row->nroles)
            qsort(row->roles, row->nroles, sizeof(*row->roles), role_order);
    }
    if (r->nrows)
        qsort(r->rows, r->nrows, sizeof(*r->rows), row_order);

    free(role_caps);
    free(mac_rows);
    free(owners);
    free(carried);
    free(seen_row);
    free(per_family);
    free(addr_caps);
    free(macs);
    free(seen);
    free(ips);
    free(roles);
    free(leases);
}

void hosts_report_release(struct hosts_report *r)
{
    for (size_t i = 0; i < r->nrows; i++) {
        free(r->rows[i].addrs);
        free(r->rows[i].roles);
    }
    free(r->rows);
    free(r->arp);
    free(r->nd);
    free(r->subnets);
    memset(r, 0, sizeof(*r));
}
