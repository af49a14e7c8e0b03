/*
 * The later-facts map (later_facts.h): entries sorted by frame, inserted in place. Completions
 * and responses come in capture order and name recent frames, so an insertion lands near the
 * end and moves few entries.
 */
#include "pipeline/later_facts.h"

#include <stdlib.h>
#include <string.h>

#include "dissect/numbers.h"
#include "util/util.h"

enum fact_kind {
    KIND_IPV4,   /* ip.reassembled_in */
    KIND_IPV6,   /* ipv6.reassembled.in */
    KIND_TCP,    /* tcp.reassembled_in */
    KIND_HTTP,   /* http.response_in */
    KIND_DNS,    /* dns.response_in */
    KIND_ICMP,   /* icmp.resp_in */
    KIND_ICMPV6, /* icmpv6.resp_in */
    KIND_ARP,    /* pktscope.arp.reply_in */
};

struct entry {
    uint64_t frame;    /* the earlier frame */
    uint64_t in_frame; /* the frame that completed what it carried, or that answered it */
    int64_t ns;        /* answers: nanoseconds from the request to the response */
    uint64_t mac;      /* KIND_ARP: the MAC the reply gave (6 bytes, big-endian), 0 none */
    uint8_t kind;      /* enum fact_kind */
};

struct later_facts {
    struct entry *v;
    size_t n, cap;
    uint64_t dropped;
};

struct later_facts *later_facts_new(void)
{
    return xcalloc(1, sizeof(struct later_facts));
}

void later_facts_free(struct later_facts *m)
{
    if (!m)
        return;
    free(m->v);
    free(m);
}

/* The first entry with frame >= `frame`. */
static size_t lower_bound(const struct later_facts *m, uint64_t frame)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->v[mid].frame < frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void add(struct later_facts *m, uint64_t frame, uint64_t in_frame, int64_t ns,
                enum fact_kind kind, uint64_t mac)
{
    size_t at = lower_bound(m, frame);
    for (size_t i = at; i < m->n && m->v[i].frame == frame; i++)
        if (m->v[i].kind == kind) {
            /* A later message it also carried a part of; an answer, though, is the first
             * one's (a frame with two pipelined requests: the first is answered first). */
            if (kind <= KIND_TCP)
                m->v[i].in_frame = in_frame;
            return;
        }
    if (m->n >= LATER_FACTS_MAX) {
        m->dropped++;
        return;
    }
    m->v = xgrow(m->v, &m->cap, m->n + 1, sizeof(*m->v));
    memmove(&m->v[at + 1], &m->v[at], (m->n - at) * sizeof(*m->v));
    m->v[at] = (struct entry){
        .frame = frame, .in_frame = in_frame, .ns = ns, .mac = mac, .kind = (uint8_t)kind};
    m->n++;
}

static void learn_reassembly(struct later_facts *m, const struct dissection *d, uint64_t frame)
{
    for (unsigned i = 0; i < d->nfields; i++) {
        const struct field *f = &d->fields[i];
        enum fact_kind kind;
        switch (f->id) {
        case FID_IP_FRAGMENT:
        case FID_IP_FRAGMENT_ERROR:
            kind = KIND_IPV4;
            break;
        case FID_IPV6_FRAGMENT:
        case FID_IPV6_FRAGMENT_ERROR:
            kind = KIND_IPV6;
            break;
        case FID_TCP_SEGMENT:
            kind = KIND_TCP;
            break;
        default:
            continue;
        }
        if (f->value != frame && f->value != 0)
            add(m, f->value, frame, 0, kind, 0);
    }
}

void later_facts_learn(struct later_facts *m, const struct dissection *d,
                       const struct track_info *ti, uint64_t frame)
{
    if (d->flags & DIS_REASSEMBLED)
        learn_reassembly(m, d, frame);
    if (!ti || !ti->pair_frame || ti->pair_frame >= frame)
        return;
    enum fact_kind kind;
    switch (ti->pair_kind) {
    case TI_PAIR_HTTP:
        kind = KIND_HTTP;
        break;
    case TI_PAIR_DNS:
        kind = KIND_DNS;
        break;
    case TI_PAIR_ECHO:
        kind = d->sum.l4 == PS_IPPROTO_ICMPV6 ? KIND_ICMPV6 : KIND_ICMP;
        break;
    case TI_PAIR_ARP:
        kind = KIND_ARP;
        break;
    default:
        return; /* not a response (TI_PAIR_ARP_AGAIN is a request) */
    }
    uint64_t mac = 0;
    const struct field *sha = kind == KIND_ARP ? dis_find(d, FID_ARP_SRC_HW_MAC) : NULL;
    const uint8_t *p = sha && sha->len == 6 ? dis_field_bytes(d, sha, 6) : NULL;
    for (int i = 0; p && i < 6; i++)
        mac = mac << 8 | p[i];
    add(m, ti->pair_frame, frame, ti->pair_ns, kind, mac);
}

/* The response's frame and, after it, the time since the request (pktscope.response_time) in
 * the first layer of `proto`. */
static void apply_answer(struct dissection *d, enum proto_id proto, enum field_id id,
                         const struct entry *e)
{
    if (!dis_add_late_field(d, proto, id, e->in_frame))
        return;
    double s = (double)e->ns / 1e9;
    uint64_t bits;
    memcpy(&bits, &s, sizeof(bits));
    dis_add_late_field(d, proto, FID_PS_RESPONSE_TIME, bits);
}

/* The layer a DNS answer goes in: DNS, or the DNS-format protocol the frame carries. */
static enum proto_id dns_layer(const struct dissection *d)
{
    enum proto_id p = (enum proto_id)d->sum.app_proto;
    return p == PROTO_MDNS || p == PROTO_LLMNR ? p : PROTO_DNS;
}

void later_facts_apply(const struct later_facts *m, struct dissection *d, uint64_t frame)
{
    for (size_t i = lower_bound(m, frame); i < m->n && m->v[i].frame == frame; i++) {
        const struct entry *e = &m->v[i];
        switch ((enum fact_kind)e->kind) {
        case KIND_IPV4:
            dis_add_late_field(d, PROTO_IPV4, FID_IP_REASSEMBLED_IN, e->in_frame);
            break;
        case KIND_IPV6:
            dis_add_late_field(d, PROTO_IPV6, FID_IPV6_REASSEMBLED_IN, e->in_frame);
            break;
        case KIND_TCP:
            dis_add_late_field(d, PROTO_TCP, FID_TCP_REASSEMBLED_IN, e->in_frame);
            break;
        case KIND_HTTP:
            apply_answer(d, PROTO_HTTP, FID_HTTP_RESPONSE_IN, e);
            break;
        case KIND_DNS:
            apply_answer(d, dns_layer(d), FID_DNS_RESPONSE_IN, e);
            break;
        case KIND_ICMP:
            apply_answer(d, PROTO_ICMP, FID_ICMP_RESP_IN, e);
            break;
        case KIND_ICMPV6:
            apply_answer(d, PROTO_ICMPV6, FID_ICMPV6_RESP_IN, e);
            break;
        case KIND_ARP:
            apply_answer(d, PROTO_ARP, FID_PS_ARP_REPLY_IN, e);
            if (e->mac) /* what the reply said, for the request's explanation */
                dis_add_late_field(d, PROTO_ARP, FID_PS_ARP_REPLY_MAC, e->mac);
            break;
        }
    }
}

void later_facts_forget_before(struct later_facts *m, uint64_t frame)
{
    size_t drop = lower_bound(m, frame);
    if (drop == 0)
        return; /* (nothing to move; m->v may not exist yet) */
    memmove(m->v, m->v + drop, (m->n - drop) * sizeof(*m->v));
    m->n -= drop;
}

size_t later_facts_count(const struct later_facts *m)
{
    return m->n;
}

uint64_t later_facts_dropped(const struct later_facts *m)
{
    return m->dropped;
}
