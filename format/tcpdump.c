/*
 * tcpdump's -q and -v on pktscope's --print line (doc/pktscope.1).
 *
 * -q (quiet): number, time, source, destination, protocol and length, then for TCP and UDP
 * only the ports and the payload length ("53448 → 80 Len=81"), as tcpdump -q keeps only "tcp
 * 81" of them; other packets (ARP, ICMP, an IP fragment of a datagram not yet whole) keep
 * their short info text, as tcpdump -q keeps theirs. No TCP phase.
 *
 * -v: the line, then one indented line with the IP header in tcpdump -v's words ("(tos 0x0,
 * ttl 64, id 5503, offset 0, flags [DF], proto TCP (6), length 60)"; IPv6: "(flowlabel
 * 0x6e4d2, hlim 64, next-header TCP (6) payload length: 40)") and the transport's checksum and
 * its status ("TCP cksum 0xf159 (correct)"). Read from the model's fields, never the bytes.
 */
#include <inttypes.h>
#include <string.h>

#include "dissect/numbers.h"
#include "format/internal.h"

/* The first field with `id` in layer `l`, or NULL. */
static const struct field *find(const struct dissection *d, const struct layer *l, enum field_id id)
{
    for (unsigned i = l->first_field; i < (unsigned)l->first_field + l->nfields && i < d->nfields;
         i++)
        if (d->fields[i].id == id)
            return &d->fields[i];
    return NULL;
}

static uint64_t val(const struct dissection *d, const struct layer *l, enum field_id id, bool *ok)
{
    const struct field *f = find(d, l, id);
    if (!f)
        *ok = false;
    return f ? f->value : 0;
}

void format_quiet_line(struct lines *ls, const struct packet *pkt, const struct dissection *d,
                       enum fmt_time tmode, int64_t ref_sec, uint32_t ref_nsec)
{
    struct summary s;
    format_summary(&s, d, NULL);
    format_line_start(ls, pkt, d, &s, tmode, ref_sec, ref_nsec);
    const struct dis_summary *sum = &d->sum;
    if ((sum->l4 == PS_IPPROTO_TCP || sum->l4 == PS_IPPROTO_UDP) && !sum->later_fragment)
        lines_addf(ls, ATTR_PORT, " %u \xe2\x86\x92 %u Len=%" PRIu32, sum->sport, sum->dport,
                   sum->payload_len);
    else if (s.info[0]) {
        lines_add(ls, ATTR_NORMAL, " ", 1);
        lines_add(ls, s.info_attr, s.info, s.info_len);
    }
    lines_end(ls);
}

/* tcpdump's names of IP protocols (its ipproto_values), for "proto TCP (6)". */
static const struct tok ipproto_names[] = {
    {0, "Options"},
    {1, "ICMP"},
    {2, "IGMP"},
    {4, "IPIP"},
    {6, "TCP"},
    {8, "EGP"},
    {9, "IGRP"},
    {17, "UDP"},
    {33, "DCCP"},
    {41, "IPv6"},
    {43, "Routing"},
    {44, "Fragment"},
    {46, "RSVP"},
    {47, "GRE"},
    {50, "ESP"},
    {51, "AH"},
    {55, "Mobile IP"},
    {58, "ICMPv6"},
    {62, "Mobile IP (old)"},
    {88, "EIGRP"},
    {89, "OSPF"},
    {103, "PIM"},
    {108, "Compressed IP"},
    {112, "VRRP"},
    {113, "PGM"},
    {132, "SCTP"},
    {135, "Mobility"},
    {0, NULL},
};

static const char *ipproto_name(uint64_t p)
{
    const char *n = p > UINT32_MAX ? NULL : tok_name(ipproto_names, (uint32_t)p);
    return n ? n : "unknown";
}

static bool ipv4_part(struct lines *ls, const struct dissection *d, const struct layer *l)
{
    bool ok = true;
    uint64_t tos = val(d, l, FID_IP_DSFIELD, &ok), ttl = val(d, l, FID_IP_TTL, &ok);
    uint64_t id = val(d, l, FID_IP_ID, &ok), off = val(d, l, FID_IP_FRAG_OFFSET, &ok);
    uint64_t proto = val(d, l, FID_IP_PROTO, &ok), len = val(d, l, FID_IP_LEN, &ok);
    bool fok = true;
    uint64_t mf = val(d, l, FID_IP_FLAGS_MF, &fok), df = val(d, l, FID_IP_FLAGS_DF, &fok),
             rb = val(d, l, FID_IP_FLAGS_RB, &fok);
    if (!ok || !fok)
        return false;
    off *= 8; /* ip.frag_offset counts 8-byte units; tcpdump says bytes */ /* a header cut short:
                                                                              nothing tcpdump would
                                                                              print either */
    char flags[16];
    struct strbuf fb;
    sb_init(&fb, flags, sizeof(flags));
    /* tcpdump's bittok2str_nosep over {MF "+", DF "DF", RF "rsvd"} */
    if (mf)
        sb_puts(&fb, "+");
    if (df)
        sb_puts(&fb, "DF");
    if (rb)
        sb_puts(&fb, "rsvd");
    if (!fb.len)
        sb_puts(&fb, "none");
    lines_addf(ls, ATTR_NORMAL,
               "(tos 0x%" PRIx64 ", ttl %" PRIu64 ", id %" PRIu64 ", offset %" PRIu64
               ", flags [%s], proto %s (%" PRIu64 "), length %" PRIu64,
               tos, ttl, id, off, flags, ipproto_name(proto), proto, len);
    bool cok = true;
    uint64_t st = val(d, l, FID_IP_CHECKSUM_STATUS, &cok);
    uint64_t ck = val(d, l, FID_IP_CHECKSUM, &cok);
    if (cok && st == 0)
        lines_addf(ls, ATTR_ERROR, ", bad cksum %" PRIx64 "!", ck);
    lines_add(ls, ATTR_NORMAL, ")", 1);
    return true;
}

static bool ipv6_part(struct lines *ls, const struct dissection *d, const struct layer *l)
{
    bool ok = true;
    uint64_t tc = val(d, l, FID_IPV6_TCLASS, &ok), flow = val(d, l, FID_IPV6_FLOW, &ok);
    uint64_t hlim = val(d, l, FID_IPV6_HLIM, &ok), nxt = val(d, l, FID_IPV6_NXT, &ok);
    uint64_t plen = val(d, l, FID_IPV6_PLEN, &ok);
    if (!ok)
        return false;
    lines_add(ls, ATTR_NORMAL, "(", 1);
    if (tc)
        lines_addf(ls, ATTR_NORMAL, "class 0x%" PRIx64 ", ", tc);
    if (flow)
        lines_addf(ls, ATTR_NORMAL, "flowlabel 0x%05" PRIx64 ", ", flow);
    lines_addf(ls, ATTR_NORMAL,
               "hlim %" PRIu64 ", next-header %s (%" PRIu64 ") payload length: %" PRIu64 ")", hlim,
               ipproto_name(nxt), nxt, plen);
    return true;
}

/* The transport checksum: "TCP cksum 0xf159 (correct)"; Wireshark's status 0 bad, 1 good. */
static const struct {
    uint16_t proto, value, status;
} cksums[] = {
    {PROTO_TCP, FID_TCP_CHECKSUM, FID_TCP_CHECKSUM_STATUS},
    {PROTO_UDP, FID_UDP_CHECKSUM, FID_UDP_CHECKSUM_STATUS},
    {PROTO_ICMP, FID_ICMP_CHECKSUM, FID_ICMP_CHECKSUM_STATUS},
    {PROTO_ICMPV6, FID_ICMPV6_CHECKSUM, FID_ICMPV6_CHECKSUM_STATUS},
};

static void cksum_part(struct lines *ls, const struct dissection *d, const struct layer *l,
                       bool sep)
{
    for (size_t k = 0; k < sizeof(cksums) / sizeof(cksums[0]); k++) {
        if (l->proto != cksums[k].proto)
            continue;
        const struct field *c = find(d, l, (enum field_id)cksums[k].value);
        if (!c)
            return;
        const struct field *s = find(d, l, (enum field_id)cksums[k].status);
        const char *st = !s              ? "unverified"
                         : s->value == 0 ? "incorrect"
                         : s->value == 1 ? "correct"
                                         : "unverified";
        lines_addf(ls, ATTR_NORMAL, "%s%s cksum 0x%04" PRIx64 " ", sep ? ", " : "",
                   proto_info(l->proto)->col_name, c->value);
        /* A checksum left to the NIC (offload) is wrong but not damage: not in the error colour. */
        uint8_t attr = !s || s->value != 0        ? ATTR_NORMAL
                       : checksum_offloaded(d, s) ? ATTR_NOTE
                                                  : ATTR_ERROR;
        lines_addf(ls, attr, "(%s)", st);
        return;
    }
}

void format_verbose_line(struct lines *ls, const struct dissection *d)
{
    const struct layer *ip = NULL;
    const struct layer *l4 = NULL;
    for (unsigned i = 0; i < d->nlayers; i++) {
        const struct layer *l = &d->layers[i];
        if (!ip && (l->proto == PROTO_IPV4 || l->proto == PROTO_IPV6))
            ip = l;
        else if (ip && !l4 &&
                 (l->proto == PROTO_TCP || l->proto == PROTO_UDP || l->proto == PROTO_ICMP ||
                  l->proto == PROTO_ICMPV6))
            l4 = l;
    }
    if (!ip)
        return;
    lines_begin(ls, ATTR_NORMAL);
    lines_add(ls, ATTR_NORMAL, "      ", 6);
    lines_addf(ls, ATTR_PROTO, "%s ", proto_info(ip->proto)->col_name);
    bool any = ip->proto == PROTO_IPV4 ? ipv4_part(ls, d, ip) : ipv6_part(ls, d, ip);
    if (l4)
        cksum_part(ls, d, l4, any);
    lines_end(ls);
}
