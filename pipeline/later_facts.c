/*
 * The later-facts map (later_facts.h): entries in the order learnt, and a hash index by the
 * frame they are about, each bucket a chain from its newest entry. A sorted array was simpler,
 * but a completion names segments from far back when many connections interleave, and each
 * insertion was a binary search over the whole map (a cache miss a step) and a move of what
 * came after: 8.7 % of the TUI's indexing time on the 1 GB benchmark capture.
 */
#include "pipeline/later_facts.h"

#include <stdlib.h>
#include <string.h>

#include "dissect/numbers.h"
#include "dissect/reasm.h"
#include "util/util.h"

enum fact_kind {
    KIND_IPV4,   /* ip.reassembled_in */
    KIND_IPV6,   /* ipv6.reassembled.in */
    KIND_TCP,    /* tcp.reassembled_in */
    KIND_TLS_HS, /* tls.handshake.reassembled_in */
    KIND_HTTP,   /* http.response_in */
    KIND_DNS,    /* dns.response_in */
    KIND_ICMP,   /* icmp.resp_in */
    KIND_ICMPV6, /* icmpv6.resp_in */
    KIND_ARP,    /* pktscope.arp.reply_in */
};

#define NO_ENTRY UINT32_MAX
#define FIRST_BUCKETS 1024u

struct entry {
    uint64_t frame;    /* the earlier frame */
    uint64_t in_frame; /* the frame that completed what it carried, or that answered it */
    int64_t ns;        /* answers: nanoseconds from the request to the response */
    uint64_t mac;      /* KIND_ARP: the MAC the reply gave (6 bytes, big-endian), 0 none */
    uint32_t older;    /* the next entry of the same bucket, learnt before this one */
    uint8_t kind;      /* enum fact_kind */
    /* KIND_TLS_HS: how many records of the frame held fragments (not the last) of the message,
     * up to 255: Wireshark says where it was completed once a record */
    uint8_t records;
};

struct later_facts {
    struct entry *v; /* in the order learnt */
    size_t n, cap;
    uint32_t *buckets; /* nbuckets (a power of two, at least twice n): its newest entry */
    size_t nbuckets;
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
    free(m->buckets);
    free(m);
}

/* The frame number itself, modulo the buckets: frame numbers are distinct and dense, so
 * consecutive frames fill consecutive buckets, and a view walking the frames in order (a display
 * filter over the whole capture) reads the buckets in order too. A multiplicative hash, tried
 * first, made that walk a cache miss a frame (later_facts_apply 8.9 % of a filter's samples). */
static size_t bucket_of(const struct later_facts *m, uint64_t frame)
{
    return (size_t)(frame & (m->nbuckets - 1));
}

/* The index made again over the entries, with nbuckets buckets. */
static void index_entries(struct later_facts *m, size_t nbuckets)
{
    free(m->buckets);
    m->nbuckets = nbuckets;
    m->buckets = xmalloc(nbuckets * sizeof(*m->buckets));
    memset(m->buckets, 0xff, nbuckets * sizeof(*m->buckets));
    for (size_t i = 0; i < m->n; i++) {
        size_t b = bucket_of(m, m->v[i].frame);
        m->v[i].older = m->buckets[b];
        m->buckets[b] = (uint32_t)i;
    }
}

static void add(struct later_facts *m, uint64_t frame, uint64_t in_frame, int64_t ns,
                enum fact_kind kind, uint64_t mac, uint8_t records)
{
    if (!m->buckets)
        index_entries(m, FIRST_BUCKETS);
    size_t b = bucket_of(m, frame);
    for (uint32_t i = m->buckets[b]; i != NO_ENTRY; i = m->v[i].older)
        if (m->v[i].frame == frame && m->v[i].kind == kind &&
            (kind != KIND_TLS_HS || m->v[i].in_frame == in_frame)) {
            /* A later message it also carried a part of; an answer, though, is the first
             * one's (a frame with two pipelined requests: the first is answered first). A
             * frame may hold records of two handshake messages, completed in two frames: a
             * fact each, as Wireshark says each. */
            if (kind <= KIND_TCP)
                m->v[i].in_frame = in_frame;
            m->v[i].records = records;
            return;
        }
    if (m->n >= LATER_FACTS_MAX) {
        m->dropped++;
        return;
    }
    m->v = xgrow(m->v, &m->cap, m->n + 1, sizeof(*m->v));
    m->v[m->n] = (struct entry){.frame = frame,
                                .in_frame = in_frame,
                                .ns = ns,
                                .mac = mac,
                                .older = m->buckets[b],
                                .kind = (uint8_t)kind,
                                .records = records};
    m->buckets[b] = (uint32_t)m->n;
    m->n++;
    if (m->n > m->nbuckets / 2)
        index_entries(m, m->nbuckets * 2);
}

/* The TLS handshake messages completed in this frame, each from the fragments listed after its
 * tls.handshake.fragments field (tls.handshake.fragment, then their count): Wireshark tells each
 * record but the last, its own frame's too, where its message was completed; when more fragments
 * came than are listed, every listed one is such a record. The records are counted per frame over
 * all the messages (two completed here may both have had records in one earlier frame), so that
 * learning the frame again says the same. */
static void learn_tls_fragments(struct later_facts *m, const struct dissection *d, uint64_t frame)
{
    struct held_records {
        uint64_t frame;
        unsigned records;
    } held[16];
    size_t nheld = 0;
    for (unsigned i = 0; i < d->nfields; i++) {
        if (d->fields[i].id != FID_TLS_HANDSHAKE_FRAGMENTS)
            continue;
        unsigned first = i + 1, end = first;
        while (end < d->nfields && d->fields[end].id == FID_TLS_HANDSHAKE_FRAGMENT)
            end++;
        uint64_t count = end < d->nfields && d->fields[end].id == FID_TLS_HANDSHAKE_FRAGMENT_COUNT
                             ? d->fields[end].value
                             : 0;
        if (end > first && count <= end - first)
            end--; /* the last fragment, this frame's */
        for (unsigned k = first; k < end; k++) {
            uint64_t f = d->fields[k].value;
            size_t j = 0;
            while (j < nheld && held[j].frame != f)
                j++;
            if (j == nheld && nheld < ARRAY_SIZE(held))
                held[nheld++] = (struct held_records){f, 0};
            if (j < nheld)
                held[j].records++;
        }
    }
    for (size_t j = 0; j < nheld; j++)
        if (held[j].frame != 0)
            add(m, held[j].frame, frame, 0, KIND_TLS_HS, 0,
                (uint8_t)(held[j].records < UINT8_MAX ? held[j].records : UINT8_MAX));
}

static void learn_reassembly(struct later_facts *m, const struct dissection *d, uint64_t frame)
{
    /* (Only a frame that completed something lists fragments: no second walk of every frame's
     * fields as the TUI analyses them.) */
    if (d->flags & DIS_REASSEMBLED)
        learn_tls_fragments(m, d, frame);
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
            add(m, f->value, frame, 0, kind, 0, 1);
    }
    /* A message or datagram of more parts than its tcp.segment or ip.fragment fields list:
     * the others, as the reassembler handed them over (reasm_keep_all_frames). */
    const struct reasm_told *more;
    size_t nmore = d->reasm ? reasm_more_frames(d->reasm, &more) : 0;
    for (size_t i = 0; i < nmore; i++) {
        enum fact_kind kind = more[i].kind == REASM_TOLD_IPV4   ? KIND_IPV4
                              : more[i].kind == REASM_TOLD_IPV6 ? KIND_IPV6
                                                                : KIND_TCP;
        if (more[i].frame != frame && more[i].frame != 0)
            add(m, more[i].frame, frame, 0, kind, 0, 1);
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
    add(m, ti->pair_frame, frame, ti->pair_ns, kind, mac, 1);
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
    if (!m->buckets)
        return;
    /* The newest first, as the sorted map gave them; but the handshake messages a frame held
     * records of in the order they were completed, as Wireshark lists them (a few at most). */
    const struct entry *tls[8];
    size_t ntls = 0;
    for (uint32_t i = m->buckets[bucket_of(m, frame)]; i != NO_ENTRY; i = m->v[i].older) {
        const struct entry *e = &m->v[i];
        if (e->frame != frame)
            continue;
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
        case KIND_TLS_HS:
            if (ntls < ARRAY_SIZE(tls))
                tls[ntls++] = e;
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
    for (size_t k = ntls; k-- > 0;)
        for (unsigned r = 0; r < tls[k]->records; r++)
            dis_add_late_field(d, PROTO_TLS, FID_TLS_HANDSHAKE_REASSEMBLED_IN, tls[k]->in_frame);
}

void later_facts_forget_before(struct later_facts *m, uint64_t frame)
{
    size_t kept = 0;
    for (size_t i = 0; i < m->n; i++)
        if (m->v[i].frame >= frame)
            m->v[kept++] = m->v[i];
    if (kept == m->n)
        return;
    m->n = kept;
    index_entries(m, m->nbuckets);
}

size_t later_facts_count(const struct later_facts *m)
{
    return m->n;
}

uint64_t later_facts_dropped(const struct later_facts *m)
{
    return m->dropped;
}
