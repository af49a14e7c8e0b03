/* Community ID v1 (community_id.h). */
#include "track/community_id.h"

#include <string.h>

#include "dissect/numbers.h"
#include "util/sha1.h"

static uint16_t process_seed;

/* The hash input of community_id_v1: seed, two addresses, protocol, padding, two ports. */
#define CID_INPUT_MAX (2 + 16 + 16 + 2 + 4)
/* 1024 slots (80 KB a thread): with 256, the generated capture's interleaved flows evicted one
 * another (3,272 SHA-1s in its first 30,000 packets, 1,374 with 1024, 904 with 4096). */
#define CID_CACHE_SLOTS 1024
struct cid_cache_slot {
    uint8_t len; /* 0: empty */
    uint8_t input[CID_INPUT_MAX];
    char id[COMMUNITY_ID_SIZE];
};
static _Thread_local struct cid_cache_slot cid_cache[CID_CACHE_SLOTS];

void community_id_set_seed(uint16_t seed)
{
    process_seed = seed;
}

uint16_t community_id_seed(void)
{
    return process_seed;
}

void community_id_v1(uint16_t seed, uint8_t proto, uint8_t addr_len, const uint8_t *saddr,
                     const uint8_t *daddr, uint16_t sport, uint16_t dport, bool has_ports,
                     bool one_way, char out[COMMUNITY_ID_SIZE])
{
    if (addr_len > 16)
        addr_len = 16;
    int c = memcmp(saddr, daddr, addr_len);
    /* The spec's order: the smaller address first; equal addresses, the smaller port. */
    bool swap = !one_way && (c > 0 || (c == 0 && has_ports && sport > dport));
    const uint8_t *a = swap ? daddr : saddr, *b = swap ? saddr : daddr;
    uint16_t pa = swap ? dport : sport, pb = swap ? sport : dport;
    uint8_t buf[CID_INPUT_MAX];
    size_t n = 0;
    buf[n++] = (uint8_t)(seed >> 8);
    buf[n++] = (uint8_t)seed;
    memcpy(buf + n, a, addr_len);
    n += addr_len;
    memcpy(buf + n, b, addr_len);
    n += addr_len;
    buf[n++] = proto;
    buf[n++] = 0;
    if (has_ports) {
        buf[n++] = (uint8_t)(pa >> 8);
        buf[n++] = (uint8_t)pa;
        buf[n++] = (uint8_t)(pb >> 8);
        buf[n++] = (uint8_t)pb;
    }
    /* A flow's packets hash the same input: a small cache of recent inputs saves SHA-1 (a
     * third of --json's time on real traffic went into it). Per thread, so no locking. */
    uint32_t h = 2166136261u; /* FNV-1a of the input picks the slot */
    for (size_t i = 0; i < n; i++)
        h = (h ^ buf[i]) * 16777619u;
    struct cid_cache_slot *slot = &cid_cache[h % CID_CACHE_SLOTS];
    if (slot->len == n && memcmp(slot->input, buf, n) == 0) {
        memcpy(out, slot->id, COMMUNITY_ID_SIZE);
        return;
    }
    struct sha1 s;
    uint8_t digest[SHA1_DIGEST_LEN];
    sha1_init(&s);
    sha1_update(&s, buf, n);
    sha1_final(&s, digest);
    out[0] = '1';
    out[1] = ':';
    base64_encode(digest, sizeof(digest), out + 2);
    slot->len = (uint8_t)n;
    memcpy(slot->input, buf, n);
    memcpy(slot->id, out, COMMUNITY_ID_SIZE);
}

/* Zeek's ICMP "counterpart" types (Zeek's ICMP analyzer, pycommunityid's icmp.py and
 * icmp6.py): pairs {a, b} map a to b and b to a. */
static const uint8_t icmp4_pairs[][2] = {
    {8, 0},   /* echo request, reply */
    {13, 14}, /* timestamp */
    {15, 16}, /* information */
    {10, 9},  /* router solicitation, advertisement */
    {17, 18}, /* address mask */
};
static const uint8_t icmp6_pairs[][2] = {
    {128, 129}, /* echo request, reply */
    {130, 131}, /* MLD query, report */
    {133, 134}, /* router solicitation, advertisement */
    {135, 136}, /* neighbour solicitation, advertisement */
    {139, 140}, /* node information (who are you) */
    {144, 145}, /* home agent address discovery */
};

static bool icmp_counterpart(uint8_t proto, uint8_t type, uint8_t *other)
{
    const uint8_t(*pairs)[2] = proto == PS_IPPROTO_ICMPV6 ? icmp6_pairs : icmp4_pairs;
    size_t n = proto == PS_IPPROTO_ICMPV6 ? sizeof(icmp6_pairs) / sizeof(icmp6_pairs[0])
                                          : sizeof(icmp4_pairs) / sizeof(icmp4_pairs[0]);
    for (size_t i = 0; i < n; i++) {
        if (pairs[i][0] == type || pairs[i][1] == type) {
            *other = pairs[i][0] == type ? pairs[i][1] : pairs[i][0];
            return true;
        }
    }
    return false;
}

void community_id_icmp(uint16_t seed, uint8_t proto, uint8_t addr_len, const uint8_t *saddr,
                       const uint8_t *daddr, uint8_t type, uint8_t code,
                       char out[COMMUNITY_ID_SIZE])
{
    uint8_t other;
    if (icmp_counterpart(proto, type, &other))
        community_id_v1(seed, proto, addr_len, saddr, daddr, type, other, true, false, out);
    else
        community_id_v1(seed, proto, addr_len, saddr, daddr, type, code, true, true, out);
}

bool community_id_packet(const struct dissection *d, char out[COMMUNITY_ID_SIZE])
{
    const struct dis_summary *s = &d->sum;
    out[0] = '\0';
    if ((s->addr_len != 4 && s->addr_len != 16) || s->later_fragment)
        return false;
    switch (s->l4) {
    case PS_IPPROTO_TCP:
    case PS_IPPROTO_UDP: {
        /* The ports must have been read: 4 bytes of the transport header at least. */
        const struct layer *l = dis_find_layer(d, s->l4 == PS_IPPROTO_TCP ? PROTO_TCP : PROTO_UDP);
        if (!l || l->len < 4)
            return false;
        community_id_v1(process_seed, s->l4, s->addr_len, s->src, s->dst, s->sport, s->dport, true,
                        false, out);
        return true;
    }
    case PS_IPPROTO_ICMP:
    case PS_IPPROTO_ICMPV6: {
        const struct layer *l =
            dis_find_layer(d, s->l4 == PS_IPPROTO_ICMP ? PROTO_ICMP : PROTO_ICMPV6);
        if (!l || l->len < 2)
            return false;
        community_id_icmp(process_seed, s->l4, s->addr_len, s->src, s->dst, s->icmp_type,
                          s->icmp_code, out);
        return true;
    }
    default:
        return false;
    }
}

bool community_id_tracked(const struct dissection *d, const struct track_info *ti,
                          char out[COMMUNITY_ID_SIZE])
{
    out[0] = '\0';
    if (!d || !ti || !(ti->flags & TI_HAS_STREAM) || ti->proto != d->sum.l4)
        return false;
    return community_id_packet(d, out);
}

void community_id_conn(const struct conn *c, char out[COMMUNITY_ID_SIZE])
{
    if (c->proto == PS_IPPROTO_TCP || c->proto == PS_IPPROTO_UDP) {
        community_id_v1(process_seed, c->proto, c->addr_len, c->orig_addr, c->resp_addr,
                        c->orig_port, c->resp_port, true, false, out);
        return;
    }
    /* ICMP: an echo exchange's originator sent the request (its ports hold the echo id);
     * any other exchange's ports are its first message's type and code. */
    uint8_t type = (uint8_t)c->orig_port, code = (uint8_t)c->resp_port;
    if (c->icmp_echo) {
        type = c->proto == PS_IPPROTO_ICMPV6 ? 128 : 8;
        code = 0;
    }
    community_id_icmp(process_seed, c->proto, c->addr_len, c->orig_addr, c->resp_addr, type, code,
                      out);
}
