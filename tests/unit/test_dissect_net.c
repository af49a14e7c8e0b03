/*
 * Unit tests for the network-layer dissectors (IPv6 and its extension headers, ICMP, ICMPv6),
 * the application choice and HTTP first lines, and the teaching annotations (address classes,
 * MAC bits and OUI vendors, services). Byte-exact fixtures: each frame below was built by hand
 * and checked with tshark (every checksum in them is correct).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "dissect/annotate.h"
#include "dissect/dissect.h"
#include "dissect/services.h"
#include "format/format.h"
#include "util/util.h"

/* Writes the ICMPv6 checksum (RFC 4443 2.3) of an Ethernet + IPv6 (no extension header) +
 * ICMPv6 frame of `len` bytes. */
static void icmpv6_fill_checksum(uint8_t *f, size_t len)
{
    uint8_t *ip = f + 14, *m = f + 14 + 40;
    size_t mlen = len - 14 - 40;
    uint8_t pseudo[8] = {(uint8_t)(mlen >> 24),
                         (uint8_t)(mlen >> 16),
                         (uint8_t)(mlen >> 8),
                         (uint8_t)mlen,
                         0,
                         0,
                         0,
                         58};
    m[2] = m[3] = 0;
    uint32_t sum = inet_csum_add(0, ip + 8, 32);
    sum = inet_csum_add(sum, pseudo, sizeof(pseudo));
    uint16_t c = inet_csum_fold(inet_csum_add(sum, m, mlen));
    m[2] = (uint8_t)(c >> 8);
    m[3] = (uint8_t)c;
}

static const uint8_t pkt_v6chain[] = {
    0x00, 0x1b, 0x21, 0x00, 0x00, 0x02, 0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc, 0x86, 0xdd, 0x6b,
    0x81, 0x23, 0x45, 0x00, 0x4c, 0x00, 0x40, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x2b, 0x00, 0x01, 0x04, 0x00, 0x00,
    0x00, 0x00, 0x2c, 0x04, 0x04, 0x00, 0x01, 0x00, 0x0a, 0xbc, 0x20, 0x01, 0x0d, 0xb8, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x20, 0x01, 0x0d, 0xb8,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x99, 0x3c, 0x00, 0x00,
    0x00, 0x12, 0x34, 0x56, 0x78, 0x11, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x9c, 0x40,
    0x27, 0x0f, 0x00, 0x0c, 0x02, 0x41, 0x70, 0x69, 0x6e, 0x67,
};
static const uint8_t pkt_icmpunreach[] = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc, 0x08, 0x00,
    0x45, 0xc0, 0x00, 0x38, 0x22, 0x22, 0x00, 0x00, 0x40, 0x01, 0x43, 0xe1, 0x0a, 0x00,
    0x00, 0x02, 0x0a, 0x00, 0x00, 0x01, 0x03, 0x03, 0xa6, 0x75, 0x00, 0x00, 0x00, 0x00,
    0x45, 0x00, 0x00, 0x28, 0x11, 0x11, 0x00, 0x00, 0x01, 0x11, 0x94, 0xb2, 0x0a, 0x00,
    0x00, 0x01, 0x0a, 0x00, 0x00, 0x02, 0x14, 0xe9, 0x82, 0x9a, 0x00, 0x14, 0xbe, 0xef,
};
static const uint8_t pkt_ns[] = {
    0x33, 0x33, 0xff, 0x00, 0x00, 0x02, 0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc, 0x86, 0xdd, 0x60,
    0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff, 0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x01, 0xff, 0x00, 0x00, 0x02, 0x87, 0x00, 0x9f, 0x06, 0x00, 0x00,
    0x00, 0x00, 0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x02, 0x01, 0x01, 0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc,
};
static const uint8_t pkt_httpreq[] = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc, 0x08, 0x00, 0x45,
    0x00, 0x00, 0x57, 0x00, 0x01, 0x40, 0x00, 0x40, 0x06, 0x43, 0x13, 0xc0, 0xa8, 0x01, 0x0a,
    0x5d, 0xb8, 0xd8, 0x22, 0xc7, 0x38, 0x00, 0x50, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x50, 0x18, 0xff, 0xff, 0xc4, 0xc4, 0x00, 0x00, 0x47, 0x45, 0x54, 0x20, 0x2f, 0x69,
    0x6e, 0x64, 0x65, 0x78, 0x2e, 0x68, 0x74, 0x6d, 0x6c, 0x20, 0x48, 0x54, 0x54, 0x50, 0x2f,
    0x31, 0x2e, 0x31, 0x0d, 0x0a, 0x48, 0x6f, 0x73, 0x74, 0x3a, 0x20, 0x65, 0x78, 0x61, 0x6d,
    0x70, 0x6c, 0x65, 0x2e, 0x63, 0x6f, 0x6d, 0x0d, 0x0a, 0x0d, 0x0a,
};
static const uint8_t pkt_httpresp[] = {
    0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x45,
    0x00, 0x00, 0x55, 0x00, 0x01, 0x40, 0x00, 0x40, 0x06, 0x43, 0x15, 0x5d, 0xb8, 0xd8, 0x22,
    0xc0, 0xa8, 0x01, 0x0a, 0x00, 0x50, 0xc7, 0x38, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
    0x30, 0x50, 0x18, 0xff, 0xff, 0xd2, 0x0d, 0x00, 0x00, 0x48, 0x54, 0x54, 0x50, 0x2f, 0x31,
    0x2e, 0x31, 0x20, 0x34, 0x30, 0x34, 0x20, 0x4e, 0x6f, 0x74, 0x20, 0x46, 0x6f, 0x75, 0x6e,
    0x64, 0x0d, 0x0a, 0x43, 0x6f, 0x6e, 0x74, 0x65, 0x6e, 0x74, 0x2d, 0x4c, 0x65, 0x6e, 0x67,
    0x74, 0x68, 0x3a, 0x20, 0x30, 0x0d, 0x0a, 0x0d, 0x0a,
};

static const uint8_t pkt_dns5353[] = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc, 0x08, 0x00, 0x45,
    0x00, 0x00, 0x39, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x83, 0x26, 0xc0, 0xa8, 0x01, 0x0a,
    0x5d, 0xb8, 0xd8, 0x22, 0x14, 0xe9, 0x00, 0x35, 0x00, 0x25, 0x11, 0x57, 0x12, 0x34, 0x01,
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70,
    0x6c, 0x65, 0x03, 0x63, 0x6f, 0x6d, 0x00, 0x00, 0x01, 0x00, 0x01,
};
static const uint8_t pkt_dnstcp[] = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc, 0x08, 0x00, 0x45,
    0x00, 0x00, 0x47, 0x00, 0x01, 0x40, 0x00, 0x40, 0x06, 0x43, 0x23, 0xc0, 0xa8, 0x01, 0x0a,
    0x5d, 0xb8, 0xd8, 0x22, 0x9c, 0x41, 0x00, 0x35, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x50, 0x18, 0xff, 0xff, 0x39, 0xe9, 0x00, 0x00, 0x00, 0x1d, 0x12, 0x34, 0x01, 0x00,
    0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c,
    0x65, 0x03, 0x63, 0x6f, 0x6d, 0x00, 0x00, 0x01, 0x00, 0x01,
};

static struct dissection dis;

static void run(const uint8_t *p, size_t n, uint32_t wire_len, uint32_t linktype)
{
    struct dissect_options opt = {.verify_checksums = true};
    dissect_frame(&dis, p, (uint32_t)n, wire_len, linktype, &opt);
}

static long long fval(enum field_id id)
{
    const struct field *f = dis_find(&dis, id);
    return f ? (long long)f->value : -1;
}

static int count_field(enum field_id id)
{
    int n = 0;
    for (unsigned i = 0; i < dis.nfields; i++)
        n += dis.fields[i].id == id;
    return n;
}

static bool has_anomaly(enum anomaly_id id)
{
    for (unsigned i = 0; i < dis.nanomalies; i++)
        if (dis.anomalies[i].id == id)
            return true;
    return false;
}

static void field_text(enum field_id id, char *out, size_t cap)
{
    const struct field *f = dis_find(&dis, id);
    out[0] = '\0';
    if (!f)
        return;
    size_t n;
    const char *s = dis_field_text(&dis, f, &n);
    if (n >= cap)
        n = cap - 1;
    memcpy(out, s, n);
    out[n] = '\0';
}

static void test_ipv6_chain(void)
{
    run(pkt_v6chain, sizeof(pkt_v6chain), sizeof(pkt_v6chain), 1);
    CHECK_STR(dis.protocols,
              "eth:ethertype:ipv6:ipv6.hopopts:ipv6.routing:ipv6.fraghdr:ipv6.dstopts:udp:data");
    CHECK_EQ(dis.nanomalies, 0);
    CHECK_EQ(dis_worst_status(&dis), LAYER_OK);
    CHECK_EQ(fval(FID_IPV6_VERSION), 6);
    CHECK_EQ(fval(FID_IPV6_TCLASS), 0xb8);
    CHECK_EQ(fval(FID_IPV6_TCLASS_DSCP), 46);
    CHECK_EQ(fval(FID_IPV6_FLOW), 0x12345);
    CHECK_EQ(fval(FID_IPV6_PLEN), 8 + 40 + 8 + 8 + 12);
    CHECK_EQ(fval(FID_IPV6_NXT), 0);
    CHECK_EQ(fval(FID_IPV6_HLIM), 64);
    CHECK_EQ(fval(FID_IPV6_HOPOPTS_NXT), 43);
    CHECK_EQ(fval(FID_IPV6_ROUTING_TYPE), 4);
    CHECK_EQ(fval(FID_IPV6_ROUTING_LEN), 4);
    CHECK_EQ(fval(FID_IPV6_SRH_LAST_ENTRY), 1);
    CHECK_EQ(fval(FID_IPV6_SRH_TAG), 0x0abc);
    CHECK_EQ(count_field(FID_IPV6_SRH_ADDR), 2);
    const struct field *seg = dis_find(&dis, FID_IPV6_SRH_ADDR);
    CHECK(seg && seg->offset == 14 + 40 + 8 + 8 && seg->len == 16);
    CHECK_EQ(fval(FID_IPV6_FRAG_ID), 0x12345678);
    CHECK_EQ(fval(FID_IPV6_FRAG_MORE), 0);
    CHECK_EQ(fval(FID_IPV6_DSTOPTS_NXT), 17);
    CHECK_EQ(count_field(FID_IPV6_OPT_TYPE), 1 + 3); /* PadN; Pad1, Pad1, PadN */
    CHECK_EQ(fval(FID_IPV6_EXT_NXT), 17);
    CHECK(!dis.sum.is_fragment); /* atomic fragment */
    CHECK_EQ(dis.sum.l3, L3_IPV6);
    CHECK_EQ(dis.sum.l4, 17);
    CHECK_EQ(dis.sum.sport, 40000);
    CHECK_EQ(dis.sum.dport, 9999);
    CHECK_EQ(dis.sum.src[15], 1);
    CHECK_EQ(dis.sum.dst[15], 2);
    CHECK_EQ(fval(FID_UDP_CHECKSUM_STATUS), 1); /* pseudo-header length left the chain out */
    const struct layer *ip = dis_find_layer(&dis, PROTO_IPV6);
    CHECK(ip && ip->hdr_len == 40 && ip->len == sizeof(pkt_v6chain) - 14);
    const struct layer *rt = dis_find_layer(&dis, PROTO_IPV6_ROUTING);
    CHECK(rt && rt->hdr_len == 40 && rt->offset == 14 + 40 + 8);

    /* The same chain as a first fragment ("more fragments", offset 0): dissected through as
     * tshark does without reassembly, but the UDP checksum cannot be verified on a part. */
    uint8_t frag[sizeof(pkt_v6chain)];
    memcpy(frag, pkt_v6chain, sizeof(frag));
    frag[14 + 40 + 8 + 40 + 3] = 1; /* M flag */
    dissect_frame(&dis, frag, sizeof(frag), sizeof(frag), 1, NULL);
    CHECK(strncmp(dis.protocols,
                  "eth:ethertype:ipv6:ipv6.hopopts:ipv6.routing:ipv6.fraghdr:ipv6.dstopts:udp",
                  74) == 0);
    CHECK(dis.sum.is_fragment);
    CHECK(!dis.sum.later_fragment);
    CHECK_EQ(dis.sum.l4, 17);
    CHECK_EQ(fval(FID_UDP_CHECKSUM_STATUS), 2); /* unverified */

    /* A later fragment (offset 8 octets): its bytes are data. */
    frag[14 + 40 + 8 + 40 + 3] = 0x08 | 1; /* offset 1 (8 bytes), M */
    dissect_frame(&dis, frag, sizeof(frag), sizeof(frag), 1, NULL);
    CHECK_STR(dis.protocols, "eth:ethertype:ipv6:ipv6.hopopts:ipv6.routing:ipv6.fraghdr:data");
    CHECK(dis.sum.is_fragment);
    CHECK(dis.sum.later_fragment);
    CHECK_EQ(dis.sum.l4, 0);
    CHECK_EQ(fval(FID_IPV6_EXT_NXT), 60);

    /* ESP after Hop-by-Hop: SPI and sequence, then opaque; the chain ends there. */
    memcpy(frag, pkt_v6chain, sizeof(frag));
    frag[14 + 40] = 50;
    dissect_frame(&dis, frag, sizeof(frag), sizeof(frag), 1, NULL);
    CHECK_STR(dis.protocols, "eth:ethertype:ipv6:ipv6.hopopts:esp");
    CHECK_EQ(fval(FID_ESP_SPI), 0x2c040400);
    CHECK_EQ(fval(FID_ESP_SEQUENCE), 0x01000abc);
    CHECK_EQ(fval(FID_IPV6_EXT_NXT), 50);
    CHECK_EQ(dis.sum.l4, 0);
    CHECK_EQ(dis.nanomalies, 0);
    const struct layer *esp = dis_find_layer(&dis, PROTO_ESP);
    CHECK(esp && esp->hdr_len == 8 && esp->offset + esp->len == sizeof(frag));

    /* Every cut of the chain: no crash, never OK unless whole, the right anomaly. */
    for (size_t n = 0; n < sizeof(pkt_v6chain); n++) {
        run(pkt_v6chain, n, sizeof(pkt_v6chain), 1);
        CHECK(dis_worst_status(&dis) != LAYER_OK || n == 0);
        for (unsigned i = 0; i < dis.nfields; i++)
            CHECK(dis.fields[i].offset + dis.fields[i].len <= n);
    }
    run(pkt_v6chain, 14 + 40 + 8 + 20, sizeof(pkt_v6chain), 1);
    CHECK(has_anomaly(ANOM_IPV6_EXT_TRUNCATED));
    /* A routing header longer than the payload length says: malformed, not truncated. */
    memcpy(frag, pkt_v6chain, sizeof(frag));
    frag[14 + 40 + 8 + 1] = 200;
    run(frag, sizeof(frag), sizeof(frag), 1);
    CHECK(has_anomaly(ANOM_IPV6_BAD_EXT));
    CHECK_EQ(dis_worst_status(&dis), LAYER_MALFORMED);
}

static void test_ipv6_truncated(void)
{
    /* Raw IPv6 (link type 229): 30 of the 40 header bytes captured. */
    const uint8_t *ip = pkt_v6chain + 14;
    run(ip, 30, 200, 229);
    const struct layer *l = dis_find_layer(&dis, PROTO_IPV6);
    CHECK(l && l->status == LAYER_TRUNCATED);
    CHECK(has_anomaly(ANOM_IPV6_TRUNCATED));
    CHECK_EQ(fval(FID_IPV6_PLEN), 76);
    CHECK_EQ(fval(FID_IPV6_HLIM), 64);
    CHECK_EQ(fval(FID_IPV6_SRC), 0);
    CHECK(dis_find(&dis, FID_IPV6_DST) == NULL);
    CHECK_EQ(dis.sum.addr_len, 0);

    /* Payload length beyond a complete frame: malformed. */
    uint8_t bad[sizeof(pkt_v6chain)];
    memcpy(bad, pkt_v6chain, sizeof(bad));
    bad[14 + 5] = 200;
    run(bad, sizeof(bad), sizeof(bad), 1);
    CHECK(has_anomaly(ANOM_IPV6_BAD_PAYLOAD_LENGTH));
    /* Version 4 in an IPv6 EtherType frame. */
    bad[14] = 0x45;
    run(bad, sizeof(bad), sizeof(bad), 1);
    CHECK(has_anomaly(ANOM_IPV6_BAD_VERSION));
}

static void test_icmp_unreachable(void)
{
    run(pkt_icmpunreach, sizeof(pkt_icmpunreach), sizeof(pkt_icmpunreach), 1);
    CHECK_STR(dis.protocols, "eth:ethertype:ip:icmp:ip:udp");
    CHECK_EQ(dis.nanomalies, 0);
    CHECK_EQ(dis_worst_status(&dis), LAYER_OK);
    CHECK_EQ(fval(FID_ICMP_TYPE), 3);
    CHECK_EQ(fval(FID_ICMP_CODE), 3);
    CHECK_EQ(fval(FID_ICMP_CHECKSUM_STATUS), 1);
    CHECK_EQ(dis.sum.icmp_type, 3);
    CHECK_EQ(dis.sum.icmp_code, 3);
    /* The summary is the outer packet's; the quote is in q_*. */
    CHECK_EQ(dis.sum.l4, 1);
    CHECK_EQ(dis.sum.addr_len, 4);
    CHECK_EQ(dis.sum.src[3], 2);
    CHECK_EQ(dis.sum.dst[3], 1);
    CHECK_EQ(dis.sum.ttl, 64);
    CHECK(dis.sum.has_quoted);
    CHECK_EQ(dis.sum.q_l4, 17);
    CHECK_EQ(dis.sum.q_addr_len, 4);
    CHECK_EQ(dis.sum.q_src[3], 1);
    CHECK_EQ(dis.sum.q_dst[3], 2);
    CHECK_EQ(dis.sum.q_sport, 5353);
    CHECK_EQ(dis.sum.q_dport, 33434);
    CHECK_EQ(dis.sum.sport, 0);
    CHECK_EQ(dis.sum.app_proto, 0);
    CHECK_EQ(count_field(FID_IP_SRC), 2);
    CHECK_EQ(count_field(FID_UDP_SRCPORT), 1);

    /* A flipped byte: the checksum says so, the rest is still decoded. */
    uint8_t bad[sizeof(pkt_icmpunreach)];
    memcpy(bad, pkt_icmpunreach, sizeof(bad));
    bad[sizeof(bad) - 1] ^= 0xff;
    run(bad, sizeof(bad), sizeof(bad), 1);
    CHECK_EQ(fval(FID_ICMP_CHECKSUM_STATUS), 0);
    CHECK(has_anomaly(ANOM_ICMP_BAD_CHECKSUM));
    CHECK(dis.sum.has_quoted);

    for (size_t n = 0; n < sizeof(pkt_icmpunreach); n++) {
        run(pkt_icmpunreach, n, sizeof(pkt_icmpunreach), 1);
        for (unsigned i = 0; i < dis.nfields; i++)
            CHECK(dis.fields[i].offset + dis.fields[i].len <= n);
    }
}

static void test_icmpv6_error_quote(void)
{
    /* Destination unreachable (port) quoting the start of the extension-chain packet. */
    uint8_t f[14 + 40 + 8 + 112];
    size_t q = 112; /* IPv6 + HBH + SRH + fragment + dstopts + UDP header */
    memcpy(f, pkt_ns, 14 + 40);
    f[14 + 4] = 0;
    f[14 + 5] = (uint8_t)(8 + q);
    f[14 + 6] = 58;
    uint8_t *m = f + 14 + 40;
    m[0] = 1, m[1] = 4, m[2] = m[3] = 0, m[4] = m[5] = m[6] = m[7] = 0;
    memcpy(m + 8, pkt_v6chain + 14, q);
    icmpv6_fill_checksum(f, sizeof(f)); /* ICMPv6 checksums are always verified */
    struct dissect_options opt = {.verify_checksums = false};
    dissect_frame(&dis, f, sizeof(f), sizeof(f), 1, &opt);
    CHECK_STR(dis.protocols, "eth:ethertype:ipv6:icmpv6:ipv6:ipv6.hopopts:ipv6.routing:"
                             "ipv6.fraghdr:ipv6.dstopts:udp");
    CHECK_EQ(dis.nanomalies, 0);
    CHECK_EQ(dis_worst_status(&dis), LAYER_OK);
    CHECK_EQ(dis.sum.l4, 58);
    CHECK_EQ(dis.sum.icmp_type, 1);
    CHECK_EQ(dis.sum.src[15], 1); /* the outer fe80::1 */
    CHECK_EQ(dis.sum.src[0], 0xfe);
    CHECK(dis.sum.has_quoted);
    CHECK_EQ(dis.sum.q_addr_len, 16);
    CHECK_EQ(dis.sum.q_l4, 17);
    CHECK_EQ(dis.sum.q_sport, 40000);
    CHECK_EQ(dis.sum.q_dport, 9999);
    CHECK_EQ(dis.sum.q_src[0], 0x20);
    CHECK_EQ(dis.sum.q_dst[15], 2);
    /* The quote cut inside the routing header: still no damage reported, no 5-tuple ports. */
    f[14 + 5] = 8 + 60;
    icmpv6_fill_checksum(f, 14 + 40 + 8 + 60);
    dissect_frame(&dis, f, 14 + 40 + 8 + 60, 14 + 40 + 8 + 60, 1, &opt);
    CHECK_EQ(dis.nanomalies, 0);
    CHECK(dis.sum.has_quoted);
    CHECK_EQ(dis.sum.q_sport, 0);
}

static void test_icmpv6_ns(void)
{
    run(pkt_ns, sizeof(pkt_ns), sizeof(pkt_ns), 1);
    CHECK_STR(dis.protocols, "eth:ethertype:ipv6:icmpv6");
    CHECK_EQ(dis.nanomalies, 0);
    CHECK_EQ(fval(FID_ICMPV6_TYPE), 135);
    CHECK_EQ(fval(FID_ICMPV6_CHECKSUM_STATUS), 1);
    const struct field *t = dis_find(&dis, FID_ICMPV6_NS_TARGET);
    CHECK(t && t->offset == 14 + 40 + 8 && t->len == 16);
    CHECK_EQ(fval(FID_ICMPV6_OPT_TYPE), 1);
    CHECK_EQ(fval(FID_ICMPV6_OPT_LENGTH), 1);
    const struct field *ll = dis_find(&dis, FID_ICMPV6_OPT_SRC_LINKADDR);
    CHECK(ll && ll->offset == 14 + 40 + 24 + 2 && ll->len == 6);
    CHECK(ll && memcmp(pkt_ns + ll->offset, "\x00\x1b\x21\xaa\xbb\xcc", 6) == 0);
    CHECK_EQ(dis.sum.l4, 58);
    CHECK_EQ(dis.sum.ttl, 255);

    /* Option length 0 is invalid (RFC 4861 4.6): the walk stops, the message is malformed. */
    uint8_t bad[sizeof(pkt_ns)];
    memcpy(bad, pkt_ns, sizeof(bad));
    bad[14 + 40 + 24 + 1] = 0;
    dissect_frame(&dis, bad, sizeof(bad), sizeof(bad), 1, NULL);
    CHECK(has_anomaly(ANOM_ICMPV6_BAD_OPTION));
    CHECK(has_anomaly(ANOM_ICMPV6_BAD_CHECKSUM));
}

/* Header lines as Wireshark's tvb_find_line_end() ends them (CRLF, LF alone, CR alone), of
 * lengths about the 128-byte windows http.c's line scan looks through: a CRLF split across
 * two windows, a line of 208 bytes ended by a LF alone, a CR alone ending a short line. */
static void test_http_line_ends(void)
{
    char payload[512];
    char ua[116], accept[201];
    memset(ua, 'u', sizeof(ua) - 1);
    ua[sizeof(ua) - 1] = '\0';
    memset(accept, 'a', sizeof(accept) - 1);
    accept[sizeof(accept) - 1] = '\0';
    /* "User-Agent: " is 12 bytes, so this line's CR is its 128th byte and its LF the 129th. */
    int n = snprintf(payload, sizeof(payload),
                     "GET /a HTTP/1.1\r\nUser-Agent: %s\r\nAccept: %s\nHost: h\rReferer: r\r\n\r\n",
                     ua, accept);
    CHECK(n > 0 && (size_t)n < sizeof(payload));
    uint8_t frame[54 + sizeof(payload)];
    memcpy(frame, pkt_httpreq, 54);
    memcpy(frame + 54, payload, (size_t)n);
    size_t len = 54 + (size_t)n;
    frame[14 + 2] = (uint8_t)((len - 14) >> 8);
    frame[14 + 3] = (uint8_t)(len - 14);
    dissect_frame(&dis, frame, (uint32_t)len, (uint32_t)len, 1, NULL);
    CHECK_STR(dis.protocols, "eth:ethertype:ip:tcp:http");
    char s[256];
    field_text(FID_HTTP_USER_AGENT, s, sizeof(s));
    CHECK_STR(s, ua);
    field_text(FID_HTTP_ACCEPT, s, sizeof(s));
    CHECK_STR(s, accept);
    field_text(FID_HTTP_HOST, s, sizeof(s));
    CHECK_STR(s, "h");
    field_text(FID_HTTP_REFERER, s, sizeof(s));
    CHECK_STR(s, "r");
    CHECK_EQ(count_field(FID_HTTP_REQUEST_LINE), 4);
    const struct layer *h = dis_find_layer(&dis, PROTO_HTTP);
    CHECK(h && h->hdr_len == (size_t)n); /* through the empty line */
}

static void test_http(void)
{
    char s[64];
    run(pkt_httpreq, sizeof(pkt_httpreq), sizeof(pkt_httpreq), 1);
    CHECK_STR(dis.protocols, "eth:ethertype:ip:tcp:http");
    CHECK_EQ(dis.sum.app_proto, PROTO_HTTP);
    CHECK_EQ(dis.nanomalies, 0);
    field_text(FID_HTTP_REQUEST_METHOD, s, sizeof(s));
    CHECK_STR(s, "GET");
    field_text(FID_HTTP_REQUEST_URI, s, sizeof(s));
    CHECK_STR(s, "/index.html");
    field_text(FID_HTTP_REQUEST_VERSION, s, sizeof(s));
    CHECK_STR(s, "HTTP/1.1");
    const struct field *u = dis_find(&dis, FID_HTTP_REQUEST_URI);
    CHECK(u && u->offset == 14 + 20 + 20 + 4 && u->len == 11);
    const struct layer *h = dis_find_layer(&dis, PROTO_HTTP);
    /* The header is the request line and the header lines through the empty line. */
    CHECK(h && h->hdr_len == h->len);

    run(pkt_httpresp, sizeof(pkt_httpresp), sizeof(pkt_httpresp), 1);
    CHECK_STR(dis.protocols, "eth:ethertype:ip:tcp:http");
    field_text(FID_HTTP_RESPONSE_VERSION, s, sizeof(s));
    CHECK_STR(s, "HTTP/1.1");
    CHECK_EQ(fval(FID_HTTP_RESPONSE_CODE), 404);
    field_text(FID_HTTP_RESPONSE_PHRASE, s, sizeof(s));
    CHECK_STR(s, "Not Found");
    CHECK(dis_find(&dis, FID_HTTP_REQUEST_METHOD) == NULL);

    /* Port 80 but not an HTTP first line: a continuation, an HTTP layer holding the bytes as
     * data (tshark without reassembly: http:data), with no request or response fields. */
    uint8_t cont[sizeof(pkt_httpresp)];
    memcpy(cont, pkt_httpresp, sizeof(cont));
    cont[14 + 40] = 'X';
    dissect_frame(&dis, cont, sizeof(cont), sizeof(cont), 1, NULL);
    CHECK_STR(dis.protocols, "eth:ethertype:ip:tcp:http:data");
    CHECK_EQ(dis.sum.app_proto, 0);
    CHECK(dis_find(&dis, FID_HTTP_RESPONSE_CODE) == NULL);
    CHECK_EQ(fval(FID_DATA_LEN), sizeof(cont) - 14 - 40);
    /* The request line cut short by the capture: what is there is shown. */
    run(pkt_httpreq, 14 + 40 + 9, sizeof(pkt_httpreq), 1);
    field_text(FID_HTTP_REQUEST_URI, s, sizeof(s));
    CHECK_STR(s, "/inde");
    CHECK(dis_find(&dis, FID_HTTP_REQUEST_VERSION) == NULL);
}

static void test_app_choice(void)
{
    char s[64];
    /* 5353 -> 53: the lower port is tried first, so this is DNS, not mDNS (as Wireshark). */
    run(pkt_dns5353, sizeof(pkt_dns5353), sizeof(pkt_dns5353), 1);
    CHECK_STR(dis.protocols, "eth:ethertype:ip:udp:dns");
    CHECK_EQ(dis.sum.app_proto, PROTO_DNS);
    field_text(FID_DNS_QRY_NAME, s, sizeof(s));
    CHECK_STR(s, "example.com");
    /* Swapped ports: the same answer. */
    uint8_t sw[sizeof(pkt_dns5353)];
    memcpy(sw, pkt_dns5353, sizeof(sw));
    sw[34] = pkt_dns5353[36], sw[35] = pkt_dns5353[37];
    sw[36] = pkt_dns5353[34], sw[37] = pkt_dns5353[35];
    dissect_frame(&dis, sw, sizeof(sw), sizeof(sw), 1, NULL);
    CHECK_STR(dis.protocols, "eth:ethertype:ip:udp:dns");
    /* 5353 alone is mDNS. */
    sw[34] = 0x14, sw[35] = 0xe9; /* 5353 */
    sw[36] = 0x9c, sw[37] = 0x40; /* 40000 */
    dissect_frame(&dis, sw, sizeof(sw), sizeof(sw), 1, NULL);
    CHECK_STR(dis.protocols, "eth:ethertype:ip:udp:mdns");
    CHECK_EQ(dis.sum.app_proto, PROTO_MDNS);
    /* 5355 is LLMNR. */
    sw[34] = 0x14, sw[35] = 0xeb;
    dissect_frame(&dis, sw, sizeof(sw), sizeof(sw), 1, NULL);
    CHECK_STR(dis.protocols, "eth:ethertype:ip:udp:llmnr");
    /* No known port: data. */
    sw[34] = 0x9c, sw[35] = 0x41;
    dissect_frame(&dis, sw, sizeof(sw), sizeof(sw), 1, NULL);
    CHECK_STR(dis.protocols, "eth:ethertype:ip:udp:data");
    CHECK_EQ(fval(FID_DATA_LEN), sizeof(pkt_dns5353) - 42);

    /* DNS over TCP, with its 2-byte length. */
    run(pkt_dnstcp, sizeof(pkt_dnstcp), sizeof(pkt_dnstcp), 1);
    CHECK_STR(dis.protocols, "eth:ethertype:ip:tcp:dns");
    CHECK_EQ(fval(FID_DNS_LENGTH), sizeof(pkt_dnstcp) - 54 - 2);
    CHECK_EQ(fval(FID_DNS_ID), 0x1234);
    CHECK_EQ(fval(FID_TCP_CHECKSUM_STATUS), 1);

    /* An HTTP request line on a port nobody claims is still HTTP (content check). */
    uint8_t h[sizeof(pkt_httpreq)];
    memcpy(h, pkt_httpreq, sizeof(h));
    h[36] = 0x1f, h[37] = 0x91; /* 8081 */
    dissect_frame(&dis, h, sizeof(h), sizeof(h), 1, NULL);
    CHECK_STR(dis.protocols, "eth:ethertype:ip:tcp:http");
}

static void test_addr_classes(void)
{
    static const struct {
        uint8_t a[4];
        const char *cls;
    } v4[] = {
        {{8, 8, 8, 8}, "public"},
        {{10, 1, 2, 3}, "private"},
        {{172, 16, 0, 1}, "private"},
        {{172, 32, 0, 1}, "public"},
        {{192, 168, 1, 1}, "private"},
        {{100, 64, 0, 1}, "cgnat"},
        {{100, 128, 0, 1}, "public"},
        {{127, 0, 0, 1}, "loopback"},
        {{169, 254, 1, 1}, "link-local"},
        {{224, 0, 0, 251}, "multicast"},
        {{239, 255, 255, 250}, "multicast"},
        {{255, 255, 255, 255}, "broadcast"},
        {{192, 0, 2, 1}, "documentation"},
        {{198, 51, 100, 7}, "documentation"},
        {{203, 0, 113, 9}, "documentation"},
        {{0, 0, 0, 0}, "this-host"},
        {{198, 19, 0, 1}, "benchmarking"},
        {{240, 0, 0, 1}, "reserved"},
        {{192, 0, 0, 8}, "ietf-protocol"},
        /* About the first octets that start a block: next to them, and past a block within
         * one (100.64/10, 198.18/15). */
        {{1, 1, 1, 1}, "public"},
        {{9, 255, 255, 255}, "public"},
        {{11, 0, 0, 0}, "public"},
        {{100, 63, 255, 255}, "public"},
        {{126, 255, 255, 255}, "public"},
        {{128, 0, 0, 1}, "public"},
        {{198, 20, 0, 1}, "public"},
        {{223, 255, 255, 255}, "public"},
        {{254, 1, 2, 3}, "reserved"},
        {{0, 255, 255, 255}, "this-host"},
    };
    for (size_t i = 0; i < sizeof(v4) / sizeof(v4[0]); i++)
        CHECK_STR(addr_class_name(addr_class_ipv4(v4[i].a)), v4[i].cls);

    /* The historical classes and the private blocks (explain). */
    static const uint8_t a10[4] = {10, 1, 2, 3}, b172[4] = {172, 31, 0, 1},
                         b172x[4] = {172, 32, 0, 1};
    static const uint8_t c192[4] = {192, 168, 1, 1}, d224[4] = {224, 0, 0, 251},
                         e240[4] = {240, 0, 0, 1}, a127[4] = {127, 255, 255, 255},
                         b128[4] = {128, 0, 0, 0}, c223[4] = {223, 255, 255, 255};
    CHECK(ipv4_class_letter(a10) == 'A' && ipv4_class_letter(a127) == 'A');
    CHECK(ipv4_class_letter(b128) == 'B' && ipv4_class_letter(b172) == 'B');
    CHECK(ipv4_class_letter(c192) == 'C' && ipv4_class_letter(c223) == 'C');
    CHECK(ipv4_class_letter(d224) == 'D' && ipv4_class_letter(e240) == 'E');
    CHECK(strstr(ipv4_private_block_text(a10), "class A") != NULL);
    CHECK(strstr(ipv4_private_block_text(b172), "class B") != NULL);
    CHECK(ipv4_private_block_text(b172x) == NULL);
    CHECK(strstr(ipv4_private_block_text(c192), "class C") != NULL);
    CHECK(ipv4_private_block_text(d224) == NULL);
    /* Hops: 64, 128, 255 assumed; more than 32 hops is a TTL set low on purpose. */
    CHECK(ttl_hops(64) == 0 && ttl_initial_guess(64) == 64);
    CHECK(ttl_hops(63) == 1 && ttl_hops(33) == 31 && ttl_hops(32) == 32);
    CHECK(ttl_hops(31) == -1 && ttl_hops(1) == -1 && ttl_hops(0) == -1);
    CHECK(ttl_hops(65) == -1 && ttl_initial_guess(65) == 128 && ttl_hops(96) == 32);
    CHECK(ttl_hops(128) == 0 && ttl_hops(120) == 8 && ttl_hops(247) == 8);
    CHECK(ttl_hops(129) == -1 && ttl_initial_guess(129) == 255 && ttl_hops(255) == 0);

    static const struct {
        uint8_t a[16];
        const char *cls;
    } v6[] = {
        {{0x20, 0x01, 0x48, 0x60}, "public"},
        {{0}, "unspecified"},
        {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, "loopback"},
        {{0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, "link-local"},
        {{0xfd, 0x12, 0x34}, "ula"},
        {{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, "multicast"},
        {{0x20, 0x01, 0x0d, 0xb8, 0, 1}, "documentation"},
        {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1}, "ipv4-mapped"},
        {{0x20, 0x02, 0xc0, 0}, "6to4"},
        {{0x20, 0x01, 0, 0, 1}, "teredo"},
        {{0x20, 0x01, 0, 2, 0, 0, 1}, "benchmarking"},
        {{0x40, 0}, "reserved"},
        {{0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, 8, 8, 8, 8}, "nat64"},
    };
    for (size_t i = 0; i < sizeof(v6) / sizeof(v6[0]); i++)
        CHECK_STR(addr_class_name(addr_class_ipv6(v6[i].a)), v6[i].cls);

    CHECK_STR(port_range_name(port_range(443)), "well-known");
    CHECK_STR(port_range_name(port_range(1023)), "well-known");
    CHECK_STR(port_range_name(port_range(1024)), "registered");
    CHECK_STR(port_range_name(port_range(49151)), "registered");
    CHECK_STR(port_range_name(port_range(49152)), "ephemeral");
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs(text, f);
    fclose(f);
}

static void test_oui_and_services(void)
{
    static const uint8_t intel[6] = {0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc};
    static const uint8_t local[6] = {0x02, 0x1b, 0x21, 0xaa, 0xbb, 0xcc};
    static const uint8_t mcast[6] = {0x33, 0x33, 0xff, 0, 0, 2};
    CHECK(!mac_is_group(intel) && !mac_is_local(intel));
    CHECK(mac_is_local(local) && !mac_is_group(local));
    CHECK(mac_is_group(mcast) && mac_is_local(mcast));

    /* No database at all: no vendor, never a failure. */
    oui_set_paths(NULL, NULL);
    CHECK(oui_vendor(intel) == NULL);
    CHECK(!oui_have_database());
    oui_set_paths("/nonexistent/oui.txt", "/nonexistent/manuf");
    CHECK(oui_vendor(intel) == NULL);

    char dir[] = "/tmp/pktscope-net-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char oui_path[64], manuf_path[64], serv_path[64];
    snprintf(oui_path, sizeof(oui_path), "%s/oui.txt", dir);
    snprintf(manuf_path, sizeof(manuf_path), "%s/manuf", dir);
    snprintf(serv_path, sizeof(serv_path), "%s/services", dir);
    write_file(oui_path, "OUI/MA-L\t\tOrganization\n\n"
                         "00-1B-21   (hex)\t\tIntel Corporate\r\n"
                         "001B21     (base 16)\t\tIntel Corporate\n"
                         "\t\t\t\tLot 8, Jalan Hi-Tech 2/3\n\n"
                         "00-00-0C   (hex)\t\tCisco Systems, Inc\n"
                         "00-1B-21   (hex)\t\tDuplicate Later Entry\n");
    write_file(manuf_path, "# manuf\n00:1B:21\tIntel\tIntel Corporate (manuf)\n"
                           "00:50:C2:00:00:00/36\tBlock\tA 36-bit block\n"
                           "00:00:0C\tCisco\n");
    oui_set_paths(oui_path, manuf_path);
    const char *v = oui_vendor(intel);
    CHECK_STR(v, "Intel Corporate");
    CHECK(oui_vendor(local) == NULL);
    CHECK(oui_vendor(mcast) == NULL);
    static const uint8_t cisco[6] = {0x00, 0x00, 0x0c, 1, 2, 3};
    CHECK_STR(oui_vendor(cisco), "Cisco Systems, Inc");
    /* A list of a megabyte, read through a 256 KB buffer: entries in descending order (the
     * sort), lines across every buffer boundary, later duplicates of the first hundred (the
     * first entry wins), "(hex)" away from its usual column, a last line without a newline. */
    {
        enum { N = 12000 };
        char big_path[64];
        snprintf(big_path, sizeof(big_path), "%s/oui-big.txt", dir);
        FILE *f = fopen(big_path, "w");
        CHECK(f != NULL);
        if (f) {
            for (unsigned i = 0; i < N; i++) {
                unsigned o = 0x100000 + (N - 1 - i);
                fprintf(f, "%02X-%02X-%02X   (hex)\t\tVendor %u\n", o >> 16, (o >> 8) & 0xff,
                        o & 0xff, o);
                fprintf(f, "%06X     (base 16)\t\tVendor %u\n\t\t\t\tSome Street %u\n\n", o, o, i);
            }
            for (unsigned o = 0x100000; o < 0x100000 + 100; o++)
                fprintf(f, "%02X-%02X-%02X   (hex)\t\tLater %u\n", o >> 16, (o >> 8) & 0xff,
                        o & 0xff, o);
            fputs("00-00-01 (hex) Spaced\nA8-BB-CC   (hex)\t\tLast Line", f);
            fclose(f);
        }
        oui_set_paths(big_path, manuf_path);
        unsigned wrong = 0;
        for (unsigned o = 0x100000; o < 0x100000 + N; o++) {
            const uint8_t mac[6] = {(uint8_t)(o >> 16), (uint8_t)(o >> 8), (uint8_t)o, 0, 0, 1};
            char want[32];
            snprintf(want, sizeof(want), "Vendor %u", o);
            const char *got = oui_vendor(mac);
            if (!got || strcmp(got, want) != 0)
                wrong++;
        }
        CHECK(wrong == 0);
        static const uint8_t spaced[6] = {0, 0, 1, 1, 2, 3}, last[6] = {0xa8, 0xbb, 0xcc, 1, 2, 3};
        CHECK_STR(oui_vendor(spaced), "Spaced");
        CHECK_STR(oui_vendor(last), "Last Line");
        unlink(big_path);
    }

    /* Only manuf present: its long name, or the short one when there is no long one. */
    oui_set_paths("/nonexistent/oui.txt", manuf_path);
    CHECK_STR(oui_vendor(intel), "Intel Corporate (manuf)");
    CHECK_STR(oui_vendor(cisco), "Cisco");

    /* Services: a file of our own, then none (the built-in table). */
    write_file(serv_path, "# comment\nhttp\t\t80/tcp\t\twww\t# WorldWideWeb HTTP\n"
                          "first\t\t7777/udp\nsecond\t\t7777/udp\n"
                          "weird\t\t99999/tcp\nbad name\x01\t1/tcp\nsctponly 9/sctp\n");
    services_set_path(serv_path);
    CHECK_STR(services_name(80, 6), "http");
    CHECK(services_name(80, 17) == NULL);
    CHECK_STR(services_name(7777, 17), "first");
    CHECK(services_name(9, 6) == NULL);
    CHECK(services_from_file());
    services_set_path("/nonexistent/services");
    CHECK(!services_from_file());
    CHECK_STR(services_name(80, 6), "http");
    CHECK_STR(services_name(53, 17), "domain");
    CHECK_STR(services_name(5353, 17), "mdns");
    CHECK(services_name(7777, 17) == NULL);

    /* The notes in -V say it: address class, vendor (or the OUI alone), port range. */
    oui_set_paths(oui_path, NULL);
    services_set_path(serv_path);
    struct lines ls;
    lines_init(&ls);
    run(pkt_httpreq, sizeof(pkt_httpreq), sizeof(pkt_httpreq), 1);
    format_layers(&ls, NULL, &dis, NULL, 0);
    bool saw_class = false, saw_vendor = false, saw_range = false, saw_ig = false;
    for (size_t i = 0; i < ls.n; i++) {
        const char *t = ls.v[i].text;
        saw_class |= strstr(t, "Address range: private") != NULL;
        saw_vendor |= strstr(t, "Vendor: Intel Corporate (OUI 00:1b:21)") != NULL;
        saw_range |= strstr(t, "Port range: well-known (0-1023), service: http") != NULL;
        saw_ig |= strstr(t, "I/G bit: 0, individual") != NULL;
    }
    CHECK(saw_class && saw_vendor && saw_range && saw_ig);
    oui_set_paths(NULL, NULL);
    lines_reset(&ls);
    format_layers(&ls, NULL, &dis, NULL, 0);
    bool saw_oui = false;
    for (size_t i = 0; i < ls.n; i++)
        saw_oui |= strstr(ls.v[i].text, "Vendor: OUI 00:1b:21 (no OUI database") != NULL;
    CHECK(saw_oui);
    lines_release(&ls);

    unlink(oui_path);
    unlink(manuf_path);
    unlink(serv_path);
    rmdir(dir);
    oui_release();
    services_release();
}

/*
 * Deterministic mutations of every fixture (a fixed-seed xorshift, a bounded count): the model's
 * invariants hold whatever the bytes say (fields and layers inside the capture, counts within
 * the arrays), and the sanitizer build catches any read outside the frame.
 */
/*
 * DNS names through compression pointers (RFC 1035 4.1.4). The message `msg` is wrapped in raw
 * IPv4 (LINKTYPE_RAW) and UDP 53 -> 40000 with a correct IP checksum and no UDP checksum. `wire`
 * is the message's declared length (UDP and IP lengths say so); the frame is cut after `cap`
 * bytes of the message, so a pointer can aim past the capture but inside the message.
 */
static uint8_t dns_frame[28 + 512];

static void run_dns(const uint8_t *msg, size_t cap, size_t wire)
{
    size_t ulen = 8 + wire, total = 20 + ulen;
    static const uint8_t ip[20] = {0x45, 0, 0,   0, 0x12, 0x34, 0,   0, 64, 17,
                                   0,    0, 192, 0, 2,    53,   192, 0, 2,  1};
    memcpy(dns_frame, ip, 20);
    dns_frame[2] = (uint8_t)(total >> 8);
    dns_frame[3] = (uint8_t)total;
    uint16_t ck = inet_csum_fold(inet_csum_add(0, dns_frame, 20));
    dns_frame[10] = (uint8_t)(ck >> 8);
    dns_frame[11] = (uint8_t)ck;
    const uint8_t udp[8] = {0, 53, 0x9c, 0x40, (uint8_t)(ulen >> 8), (uint8_t)ulen, 0, 0};
    memcpy(dns_frame + 20, udp, 8);
    memcpy(dns_frame + 28, msg, cap);
    run(dns_frame, 28 + cap, (uint32_t)total, 101);
}

static const struct layer *dns_layer(void)
{
    return dis_find_layer(&dis, PROTO_DNS);
}

/* Where the first anomaly `id` was recorded, or -1. */
static long anomaly_at(enum anomaly_id id)
{
    for (unsigned i = 0; i < dis.nanomalies; i++)
        if (dis.anomalies[i].id == id)
            return (long)dis.anomalies[i].offset;
    return -1;
}

static void test_dns_pointers(void)
{
    char s[300];
    /* A response: question "ab.cd", answer named by a pointer to it (offset 12), A 192.0.2.7. */
    static const uint8_t ok[] = {
        0x12, 0x34, 0x81, 0x80, 0,   1,   0, 1, 0, 0,  0, 0,               /* header */
        2,    'a',  'b',  2,    'c', 'd', 0, 0, 1, 0,  1,                  /* question at 12 */
        0xc0, 12,   0,    1,    0,   1,   0, 0, 0, 60, 0, 4, 192, 0, 2, 7, /* answer at 23 */
    };
    run_dns(ok, sizeof(ok), sizeof(ok));
    CHECK_STR(dis.protocols, "raw:ip:udp:dns");
    field_text(FID_DNS_RESP_NAME, s, sizeof(s));
    CHECK_STR(s, "ab.cd");
    const struct field *f = dis_find(&dis, FID_DNS_RESP_NAME);
    CHECK(f && f->offset == 28 + 23 && f->len == 2); /* the pointer's own two bytes */
    CHECK_EQ(fval(FID_DNS_A), 0xc0000207);
    CHECK(dns_layer() && dns_layer()->status == LAYER_OK);
    CHECK_EQ(dis.nanomalies, 0);

    /* A name that is a pointer to itself: the hop cap ends it, as a bad name at the pointer. */
    static const uint8_t self[] = {
        0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1,
    };
    run_dns(self, sizeof(self), sizeof(self));
    CHECK_EQ(anomaly_at(ANOM_DNS_BAD_NAME), 28 + 12);
    CHECK(dns_layer() && dns_layer()->status == LAYER_MALFORMED);
    CHECK_EQ(count_field(FID_DNS_QRY_NAME), 0);

    /* A label, then a pointer back to it: the name grows each lap until RFC 1035's 255 bytes. */
    static const uint8_t lap[] = {
        0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'w', 'w', 'w', 0xc0, 12, 0, 1, 0, 1,
    };
    run_dns(lap, sizeof(lap), sizeof(lap));
    CHECK(has_anomaly(ANOM_DNS_BAD_NAME));
    CHECK(!has_anomaly(ANOM_DNS_TRUNCATED));
    CHECK_EQ(count_field(FID_DNS_QRY_NAME), 0);

    /* Two pointers aiming at each other. */
    static const uint8_t pair[] = {
        0x12, 0x34, 0x01, 0x00, 0,  2, 0, 0, 0,
        0,    0,    0,    0xc0, 18, 0, 1, 0, 1, /* question 1 at 12 -> 18 */
        0xc0, 12,   0,    1,    0,  1,          /* question 2 at 18 -> 12 */
    };
    run_dns(pair, sizeof(pair), sizeof(pair));
    CHECK(has_anomaly(ANOM_DNS_BAD_NAME));
    CHECK_EQ(count_field(FID_DNS_QRY_NAME), 0);

    /* A pointer past the end of the message (0x3fff, and just past it: offset 18 = length). */
    static const uint8_t far[] = {
        0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 1, 0, 1,
    };
    run_dns(far, sizeof(far), sizeof(far));
    CHECK_EQ(anomaly_at(ANOM_DNS_BAD_NAME), 28 + 12);
    uint8_t edge[sizeof(far)];
    memcpy(edge, far, sizeof(far));
    edge[12] = 0xc0;
    edge[13] = sizeof(far); /* one past the last byte */
    run_dns(edge, sizeof(edge), sizeof(edge));
    CHECK(has_anomaly(ANOM_DNS_BAD_NAME));
    edge[13] = sizeof(far) - 1; /* the last byte (1, a class byte) reads as a label past the end */
    run_dns(edge, sizeof(edge), sizeof(edge));
    CHECK(has_anomaly(ANOM_DNS_BAD_NAME));
    CHECK(!has_anomaly(ANOM_DNS_TRUNCATED));

    /* A pointer inside the declared message but past the captured bytes: truncation (at the
     * target, which an anomaly clamps to the end of the capture), not a bad name. */
    static const uint8_t cut[] = {
        0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 0xc0, 30,  0,   1,
        0,    1, /* question at 12 -> 30, which is not captured */
        0,    0,    0,    0,    0, 0, 0, 0, 0, 0, 0, 0, 2,    'a', 'b', 0,
    };
    run_dns(cut, 18, sizeof(cut));
    CHECK_EQ(anomaly_at(ANOM_DNS_TRUNCATED), 28 + 18);
    CHECK(!has_anomaly(ANOM_DNS_BAD_NAME));
    CHECK(dns_layer() && dns_layer()->status == LAYER_TRUNCATED);
    /* Exactly at the end of the capture: still a truncation. */
    run_dns(cut, 30, sizeof(cut));
    CHECK(has_anomaly(ANOM_DNS_TRUNCATED));
    CHECK(!has_anomaly(ANOM_DNS_BAD_NAME));
    /* And all of it captured: the name reads. */
    run_dns(cut, sizeof(cut), sizeof(cut));
    field_text(FID_DNS_QRY_NAME, s, sizeof(s));
    CHECK_STR(s, "ab");

    /* A pointer cut in half by the end of the message. */
    static const uint8_t half[] = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0};
    run_dns(half, sizeof(half), sizeof(half));
    CHECK(has_anomaly(ANOM_DNS_BAD_NAME));
    run_dns(half, sizeof(half), sizeof(half) + 5); /* the rest was not captured */
    CHECK(has_anomaly(ANOM_DNS_TRUNCATED));
    CHECK(!has_anomaly(ANOM_DNS_BAD_NAME));
}

static void test_mutations(void)
{
    static const struct {
        const uint8_t *p;
        size_t n;
    } fx[] = {
        {pkt_v6chain, sizeof(pkt_v6chain)},
        {pkt_icmpunreach, sizeof(pkt_icmpunreach)},
        {pkt_ns, sizeof(pkt_ns)},
        {pkt_httpreq, sizeof(pkt_httpreq)},
        {pkt_httpresp, sizeof(pkt_httpresp)},
    };
    uint32_t x = 2463534242u;
    uint8_t buf[256];
    unsigned violations = 0;
    for (size_t k = 0; k < sizeof(fx) / sizeof(fx[0]); k++) {
        for (int round = 0; round < 3000; round++) {
            size_t n = fx[k].n < sizeof(buf) ? fx[k].n : sizeof(buf);
            memcpy(buf, fx[k].p, n);
            int flips = 1 + round % 4;
            for (int i = 0; i < flips; i++) {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                /* Mostly the headers after Ethernet, where the lengths and types are. */
                size_t at = 14 + x % (n - 14);
                buf[at] = (uint8_t)(x >> 8);
            }
            size_t cut = (round & 1) ? n : 14 + (x >> 4) % (n - 14);
            dissect_frame(&dis, buf, (uint32_t)cut, (uint32_t)n, 1, NULL);
            if (dis.nlayers > DIS_MAX_LAYERS || dis.nfields > DIS_MAX_FIELDS ||
                dis.nanomalies > DIS_MAX_ANOMALIES || dis.text_len > DIS_TEXT_SIZE)
                violations++;
            for (unsigned i = 0; i < dis.nfields; i++)
                if (dis.fields[i].offset + dis.fields[i].len > cut)
                    violations++;
            for (unsigned i = 0; i < dis.nlayers; i++)
                if (dis.layers[i].offset + dis.layers[i].len > cut ||
                    dis.layers[i].hdr_len > dis.layers[i].len)
                    violations++;
        }
    }
    CHECK_EQ(violations, 0);
}

/* Frames captured on the loopback interface of a Linux host (tests/pcaps/loopback-offload.pcap
 * 3, 13 and 19): TCP/IPv4, UDP/IPv4 and TCP/IPv6 whose checksum field holds only the
 * pseudo-header's sum (CHECKSUM_PARTIAL, left to a NIC that loopback does not have). */
static const uint8_t pkt_lo_tcp4[] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00,
    0x45, 0x00, 0x00, 0x34, 0x40, 0x76, 0x40, 0x00, 0x40, 0x06, 0xfc, 0x4b, 0x7f, 0x00,
    0x00, 0x01, 0x7f, 0x00, 0x00, 0x01, 0xb2, 0x46, 0x00, 0x50, 0x35, 0x45, 0xce, 0xb5,
    0x79, 0x48, 0x90, 0x80, 0x80, 0x10, 0x00, 0x40, 0xfe, 0x28, 0x00, 0x00, 0x01, 0x01,
    0x08, 0x0a, 0x66, 0x23, 0x45, 0xa5, 0xae, 0xf4, 0x5d, 0x6c,
};
static const uint8_t pkt_lo_udp4[] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x45, 0x00,
    0x00, 0x40, 0xcb, 0xbf, 0x40, 0x00, 0x40, 0x11, 0x70, 0xeb, 0x7f, 0x00, 0x00, 0x01, 0x7f, 0x00,
    0x00, 0x01, 0x9c, 0x47, 0x00, 0x07, 0x00, 0x2c, 0xfe, 0x3f, 0x65, 0x63, 0x68, 0x6f, 0x20, 0x72,
    0x65, 0x71, 0x75, 0x65, 0x73, 0x74, 0x20, 0x31, 0x3a, 0x20, 0x74, 0x68, 0x65, 0x20, 0x71, 0x75,
    0x69, 0x63, 0x6b, 0x20, 0x62, 0x72, 0x6f, 0x77, 0x6e, 0x20, 0x66, 0x6f, 0x78, 0x0a,
};
static const uint8_t pkt_lo_tcp6[] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x86, 0xdd, 0x60,
    0x0d, 0x1c, 0xd3, 0x00, 0x20, 0x06, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xdc, 0x6e, 0x1f, 0x90, 0x54, 0x63,
    0xfb, 0x3d, 0x56, 0xe4, 0x47, 0x72, 0x80, 0x10, 0x00, 0x40, 0x00, 0x28, 0x00, 0x00, 0x01,
    0x01, 0x08, 0x0a, 0x88, 0x3e, 0xc2, 0x67, 0x0e, 0xb9, 0x86, 0x44,
};

static void test_checksum_offload(void)
{
    struct dissect_options deflt = {.verify_checksums = false};
    /* Wireshark's default: unverified (2), nothing to report. */
    dissect_frame(&dis, pkt_lo_tcp4, sizeof(pkt_lo_tcp4), sizeof(pkt_lo_tcp4), 1, &deflt);
    CHECK_EQ(fval(FID_TCP_CHECKSUM_STATUS), 2);
    CHECK_EQ(fval(FID_IP_CHECKSUM_STATUS), 2);
    CHECK_EQ(dis.nanomalies, 0);
    /* Verified: Bad as tshark says, but named as offload, a note and not damage. */
    run(pkt_lo_tcp4, sizeof(pkt_lo_tcp4), sizeof(pkt_lo_tcp4), 1);
    CHECK_EQ(fval(FID_TCP_CHECKSUM_STATUS), 0);
    CHECK_EQ(fval(FID_IP_CHECKSUM_STATUS), 1);
    CHECK(has_anomaly(ANOM_TCP_CHECKSUM_OFFLOAD));
    CHECK(!has_anomaly(ANOM_TCP_BAD_CHECKSUM));
    CHECK(anomaly_is_note(ANOM_TCP_CHECKSUM_OFFLOAD));
    CHECK(!anomaly_is_note(ANOM_TCP_BAD_CHECKSUM));
    CHECK(dis.sum.tcp_checksum_bad); /* Zeek's history letter C counts it */
    run(pkt_lo_udp4, sizeof(pkt_lo_udp4), sizeof(pkt_lo_udp4), 1);
    CHECK_EQ(fval(FID_UDP_CHECKSUM_STATUS), 0);
    CHECK(has_anomaly(ANOM_UDP_CHECKSUM_OFFLOAD));
    CHECK(!has_anomaly(ANOM_UDP_BAD_CHECKSUM));
    run(pkt_lo_tcp6, sizeof(pkt_lo_tcp6), sizeof(pkt_lo_tcp6), 1);
    CHECK_EQ(fval(FID_TCP_CHECKSUM_STATUS), 0);
    CHECK(has_anomaly(ANOM_TCP_CHECKSUM_OFFLOAD));

    /* Any other wrong value is damage: one bit of the field, or of the payload. */
    uint8_t f[sizeof(pkt_lo_udp4)];
    memcpy(f, pkt_lo_udp4, sizeof(f));
    f[14 + 20 + 7] ^= 0x01;
    run(f, sizeof(f), sizeof(f), 1);
    CHECK_EQ(fval(FID_UDP_CHECKSUM_STATUS), 0);
    CHECK(has_anomaly(ANOM_UDP_BAD_CHECKSUM));
    CHECK(!has_anomaly(ANOM_UDP_CHECKSUM_OFFLOAD));
    /* The field completed as the NIC would (pseudo-header sum + data, complemented): good. */
    memcpy(f, pkt_lo_udp4, sizeof(f));
    f[14 + 20 + 6] = f[14 + 20 + 7] = 0;
    uint8_t pseudo[12] = {0x7f, 0, 0, 1, 0x7f, 0, 0, 1, 0, 17, 0, 44};
    uint16_t c = inet_csum_fold(inet_csum_add(inet_csum_add(0, pseudo, 12), f + 34, 44));
    f[14 + 20 + 6] = (uint8_t)(c >> 8);
    f[14 + 20 + 7] = (uint8_t)c;
    run(f, sizeof(f), sizeof(f), 1);
    CHECK_EQ(fval(FID_UDP_CHECKSUM_STATUS), 1);
    CHECK_EQ(dis.nanomalies, 0);
}

/* An Ethernet + IPv4 + ICMP echo request frame of 42 + n bytes whose echo data is data[0, n),
 * checksums filled in. */
static size_t echo_frame(uint8_t *f, const uint8_t *data, size_t n)
{
    static const uint8_t head[42] = {
        0x02, 0, 0, 0, 0, 2, 0x02, 0, 0,    0,    0, 1, 0x08, 0x00,       /* Ethernet */
        0x45, 0, 0, 0, 0, 1, 0,    0, 64,   1,    0, 0, 10,   0,    0, 1, /* IPv4 */
        10,   0, 0, 2, 8, 0, 0,    0, 0x12, 0x34, 0, 1};                  /* ICMP echo */
    memcpy(f, head, sizeof(head));
    memcpy(f + 42, data, n);
    size_t ip_len = 20 + 8 + n;
    f[16] = (uint8_t)(ip_len >> 8);
    f[17] = (uint8_t)ip_len;
    uint32_t sum = 0;
    for (size_t i = 14; i < 34; i += 2)
        sum += (uint32_t)(f[i] << 8 | f[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    f[24] = (uint8_t)(~sum >> 8);
    f[25] = (uint8_t)~sum;
    sum = 0;
    for (size_t i = 34; i < 42 + n; i += 2)
        sum += (uint32_t)(f[i] << 8 | (i + 1 < 42 + n ? f[i + 1] : 0));
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    f[36] = (uint8_t)(~sum >> 8);
    f[37] = (uint8_t)~sum;
    return 42 + n;
}

static void run_at(const uint8_t *p, size_t n, int64_t sec, uint32_t nsec)
{
    struct dissect_options opt = {
        .verify_checksums = true, .has_time = true, .ts_sec = sec, .ts_nsec = nsec};
    dissect_frame(&dis, p, (uint32_t)n, (uint32_t)n, 1, &opt);
}

static double relative_time(void)
{
    const struct field *f = dis_find(&dis, FID_ICMP_DATA_TIME_RELATIVE);
    double v = -1e99;
    if (f)
        memcpy(&v, &f->value, sizeof(v));
    return v;
}

/* An echo's first 8 data bytes as the sender's timestamp, as Wireshark 4.0 reads them (checked
 * against tshark 4.0.17 on frames made so): 32-bit seconds and microseconds, big-endian or
 * little-endian, within a day of the frame's time either side. */
static void test_icmp_echo_timestamp(void)
{
    const int64_t t = 1700000000; /* the frame: t + 0.5 s */
    uint8_t data[16], f[128];
    size_t n;
    /* little-endian (Linux on x86: a 64-bit timeval's low word, then 0): t + 0.4 s */
    for (int i = 0; i < 16; i++)
        data[i] = (uint8_t)(0x10 + i);
    data[0] = (uint8_t)t, data[1] = (uint8_t)(t >> 8), data[2] = (uint8_t)(t >> 16),
    data[3] = (uint8_t)(t >> 24);
    data[4] = 0x80, data[5] = 0x1a, data[6] = 0x06, data[7] = 0; /* 400000 */
    n = echo_frame(f, data, sizeof(data));
    run_at(f, n, t, 500000000);
    CHECK_STR(dis.protocols, "eth:ethertype:ip:icmp:data");
    int64_t sec;
    uint32_t nsec;
    const struct field *when = dis_find(&dis, FID_ICMP_DATA_TIME);
    CHECK(when != NULL);
    if (when) {
        field_time_split(when->value, &sec, &nsec);
        CHECK_EQ(sec, t);
        CHECK_EQ(nsec, 400000000);
        CHECK_EQ(when->offset, 42);
        CHECK_EQ(when->len, 8);
    }
    CHECK(relative_time() > 0.0999999 && relative_time() < 0.1000001);
    CHECK_EQ(fval(FID_DATA_LEN), 8);
    /* the previous second (the frame at t + 1 s): near enough either side */
    run_at(f, n, t + 1, 100000);
    CHECK(dis_find(&dis, FID_ICMP_DATA_TIME) != NULL);
    CHECK(relative_time() > 0.6000999 && relative_time() < 0.6001001);
    /* more than a day apart: all of it is data */
    run_at(f, n, t + 90000, 0);
    CHECK(dis_find(&dis, FID_ICMP_DATA_TIME) == NULL);
    CHECK_EQ(fval(FID_DATA_LEN), 16);
    /* no time known (a pcapng Simple Packet Block, a caller without one): data as before */
    run(f, n, (uint32_t)n, 1);
    CHECK(dis_find(&dis, FID_ICMP_DATA_TIME) == NULL);
    CHECK_EQ(fval(FID_DATA_LEN), 16);
    /* big-endian */
    data[0] = (uint8_t)(t >> 24), data[1] = (uint8_t)(t >> 16), data[2] = (uint8_t)(t >> 8),
    data[3] = (uint8_t)t;
    data[4] = 0, data[5] = 0x06, data[6] = 0x1a, data[7] = 0x80;
    n = echo_frame(f, data, sizeof(data));
    run_at(f, n, t, 500000000);
    CHECK(dis_find(&dis, FID_ICMP_DATA_TIME) != NULL);
    /* microseconds of a million or more: not a time */
    data[4] = 0, data[5] = 0x0f, data[6] = 0x42, data[7] = 0x40; /* 1000000 */
    n = echo_frame(f, data, sizeof(data));
    run_at(f, n, t, 500000000);
    CHECK(dis_find(&dis, FID_ICMP_DATA_TIME) == NULL);
    /* exactly 8 bytes: the timestamp, and no data layer after it */
    data[4] = 0, data[5] = 0x06, data[6] = 0x1a, data[7] = 0x80;
    n = echo_frame(f, data, 8);
    run_at(f, n, t, 500000000);
    CHECK(dis_find(&dis, FID_ICMP_DATA_TIME) != NULL);
    CHECK_STR(dis.protocols, "eth:ethertype:ip:icmp");
    /* a frame time far from 1970 (a pcapng clock), equal to the stamp modulo 2^32: taken, as
     * Wireshark's test is modulo 2^32, and nothing overflows on the way */
    n = echo_frame(f, data, sizeof(data));
    run_at(f, n, (INT64_C(1) << 62) + t, 500000000);
    CHECK(dis_find(&dis, FID_ICMP_DATA_TIME) != NULL);
    CHECK(relative_time() > 4.6e18);
    run_at(f, n, INT64_MIN + (t - 1), 0);
    CHECK(dis_find(&dis, FID_ICMP_DATA_TIME) != NULL);
    CHECK(dis_find(&dis, FID_ICMP_DATA_TIME_RELATIVE) == NULL); /* past 64 bits */
    CHECK_EQ(fval(FID_DATA_LEN), 8);
    /* 7 bytes: too few for it */
    n = echo_frame(f, data, 7);
    run_at(f, n, t, 500000000);
    CHECK(dis_find(&dis, FID_ICMP_DATA_TIME) == NULL);
    CHECK_EQ(fval(FID_DATA_LEN), 7);
}

int main(void)
{
    test_ipv6_chain();
    test_ipv6_truncated();
    test_icmp_unreachable();
    test_icmp_echo_timestamp();
    test_icmpv6_ns();
    test_checksum_offload();
    test_icmpv6_error_quote();
    test_http();
    test_http_line_ends();
    test_app_choice();
    test_dns_pointers();
    test_addr_classes();
    test_oui_and_services();
    test_mutations();
    return check_done();
}
