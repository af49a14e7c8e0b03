/*
 * Unit tests for the disagreements with tshark that the oracle (tests/scripts/oracle.sh) found
 * in the link, ARP, IPv4 and TCP dissectors, each fixed to what tshark 4.0 shows for the same
 * bytes: the NULL/loopback header heuristic (an EtherType, IRIX's 16-bit family), RARP, ARP
 * address fields chosen by hardware and protocol type, an IPv4 total length beyond the frame,
 * and tcp.len only where the segment length is known; DNS SOA/SRV/MX record data with
 * compressed names (values as tshark 4.0 shows them). Frames are built byte by byte below.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dissect/dissect.h"

static struct dissection dis;

static const struct dissect_options no_csum = {.verify_checksums = false};

/* A frame under construction. */
struct frame {
    uint8_t b[256];
    size_t n;
};

static void put(struct frame *f, const void *p, size_t n)
{
    memcpy(f->b + f->n, p, n);
    f->n += n;
}

static void put16(struct frame *f, unsigned v)
{
    uint8_t x[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    put(f, x, 2);
}

static void eth(struct frame *f, unsigned type)
{
    static const uint8_t macs[12] = {0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2};
    put(f, macs, sizeof(macs));
    put16(f, type);
}

/* IPv4 header, 20 bytes, addresses 192.0.2.1 -> 192.0.2.2. */
static void ipv4(struct frame *f, unsigned total, unsigned frag, unsigned proto)
{
    uint8_t h[20] = {0x45,
                     0,
                     (uint8_t)(total >> 8),
                     (uint8_t)total,
                     0x12,
                     0x34,
                     (uint8_t)(frag >> 8),
                     (uint8_t)frag,
                     64,
                     (uint8_t)proto,
                     0,
                     0,
                     192,
                     0,
                     2,
                     1,
                     192,
                     0,
                     2,
                     2};
    put(f, h, sizeof(h));
}

/* TCP header with data offset `off` (bytes, a multiple of 4), SYN, zero-filled options. */
static void tcp(struct frame *f, unsigned off)
{
    uint8_t h[60] = {0x9c, 0x40, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, (uint8_t)((off / 4) << 4),
                     0x02, 0xfa, 0xf0, 0,    0, 0, 0};
    put(f, h, off < 20 ? 20 : off);
}

static const struct field *field(enum field_id id)
{
    return dis_find(&dis, id);
}

static long long value(enum field_id id)
{
    const struct field *f = field(id);
    return f ? (long long)f->value : -1;
}

static bool has_anomaly(const char *name)
{
    for (unsigned i = 0; i < dis.nanomalies; i++)
        if (strcmp(anomaly_name((enum anomaly_id)dis.anomalies[i].id), name) == 0)
            return true;
    return false;
}

static void test_null_headers(void)
{
    /* Linux DLT_NULL: an EtherType in host order (ppp_null_loopback.pcap frame 3). */
    struct frame f = {.n = 0};
    static const uint8_t linux_hdr[4] = {0x0f, 0x00, 0x08, 0x00};
    put(&f, linux_hdr, 4);
    ipv4(&f, 28, 0, 17);
    static const uint8_t udp[8] = {0, 53, 0xe3, 0x0d, 0, 8, 0, 0};
    put(&f, udp, 8);
    dissect_frame(&dis, f.b, (uint32_t)f.n, (uint32_t)f.n, 0, &no_csum);
    CHECK_STR(dis.protocols, "null:ip:udp");
    CHECK_EQ(value(FID_NULL_TYPE), 0x0800);
    CHECK(field(FID_NULL_FAMILY) == NULL);
    CHECK_EQ(value(FID_UDP_SRCPORT), 53);

    /* BSD, little-endian AF_INET. */
    f.n = 0;
    static const uint8_t bsd_le[4] = {2, 0, 0, 0};
    put(&f, bsd_le, 4);
    ipv4(&f, 28, 0, 17);
    put(&f, udp, 8);
    dissect_frame(&dis, f.b, (uint32_t)f.n, (uint32_t)f.n, 0, &no_csum);
    CHECK_STR(dis.protocols, "null:ip:udp");
    CHECK_EQ(value(FID_NULL_FAMILY), 2);

    /* BSD written big-endian: byte-swapped. */
    memcpy(f.b, "\0\0\0\2", 4);
    dissect_frame(&dis, f.b, (uint32_t)f.n, (uint32_t)f.n, 0, &no_csum);
    CHECK_EQ(value(FID_NULL_FAMILY), 2);
    CHECK_STR(dis.protocols, "null:ip:udp");

    /* IRIX / UNICOS: a big-endian 16-bit family in the first two bytes. */
    memcpy(f.b, "\0\2\0\0", 4);
    dissect_frame(&dis, f.b, (uint32_t)f.n, (uint32_t)f.n, 0, &no_csum);
    CHECK_EQ(value(FID_NULL_FAMILY), 2);
    CHECK_STR(dis.protocols, "null:ip:udp");

    /* FF 03: PPP in HDLC framing, not decoded. */
    memcpy(f.b, "\xff\x03\0\x21", 4);
    dissect_frame(&dis, f.b, (uint32_t)f.n, (uint32_t)f.n, 0, &no_csum);
    CHECK_STR(dis.protocols, "null:data");

    /* LOOP (108) stays a network-order family. */
    memcpy(f.b, "\0\0\0\2", 4);
    dissect_frame(&dis, f.b, (uint32_t)f.n, (uint32_t)f.n, 108, &no_csum);
    CHECK_EQ(value(FID_NULL_FAMILY), 2);
    CHECK_STR(dis.protocols, "null:ip:udp");
}

static void test_arp(void)
{
    /* RARP reverse request over Ethernet (zeek_linux_dlt_sll2.pcap frame 6's message). */
    struct frame f = {.n = 0};
    eth(&f, 0x8035);
    static const uint8_t rarp[28] = {0,   1, 8, 0, 6, 4, 0, 3, 0x8e, 0x36, 0x06, 0x44, 0xac, 0xaf,
                                     192, 0, 2, 1, 0, 0, 0, 0, 0,    0,    192,  0,    2,    2};
    put(&f, rarp, sizeof(rarp));
    dissect_frame(&dis, f.b, (uint32_t)f.n, (uint32_t)f.n, 1, &no_csum);
    CHECK_STR(dis.protocols, "eth:ethertype:arp");
    CHECK_EQ(value(FID_ARP_OPCODE), 3);
    CHECK(field(FID_ARP_SRC_HW_MAC) != NULL);
    CHECK(field(FID_ARP_DST_PROTO_IPV4) != NULL);

    /* Unknown hardware type with 14-byte addresses, IPv4 protocol addresses
     * (tcpdump_arp-too-long-tha.pcap): hardware addresses as bytes, IPv4 as IPv4. */
    f.n = 0;
    eth(&f, 0x0806);
    static const uint8_t odd[8] = {0x30, 0x30, 8, 0, 14, 4, 0, 1};
    put(&f, odd, sizeof(odd));
    uint8_t addrs[36];
    memset(addrs, 0x30, sizeof(addrs));
    put(&f, addrs, sizeof(addrs));
    dissect_frame(&dis, f.b, (uint32_t)f.n, (uint32_t)f.n, 1, &no_csum);
    CHECK(field(FID_ARP_SRC_HW_MAC) == NULL);
    const struct field *hw = field(FID_ARP_SRC_HW);
    CHECK(hw != NULL && hw->len == 14);
    const struct field *spa = field(FID_ARP_SRC_PROTO_IPV4);
    CHECK(spa != NULL && spa->offset == 14 + 8 + 14);
    CHECK(field(FID_ARP_DST_PROTO_IPV4) != NULL);
    CHECK(field(FID_ARP_ISGRATUITOUS) != NULL); /* 48.48.48.48 asks for itself */
}

static void test_ipv4_length(void)
{
    /* ip.len 1500 in a 120-byte frame that was not cut by the capture (tcptrace_6syns.pcap):
     * malformed, and the segment is what the frame holds: 120 - 14 - 20 - 32 = 54 bytes. */
    struct frame f = {.n = 0};
    eth(&f, 0x0800);
    ipv4(&f, 1500, 0, 6);
    tcp(&f, 32);
    memset(f.b + f.n, 'x', 120 - f.n);
    f.n = 120;
    dissect_frame(&dis, f.b, 120, 120, 1, &no_csum);
    CHECK_EQ(value(FID_TCP_LEN), 54);
    CHECK(has_anomaly("ipv4.total_length_exceeds_frame"));

    /* The same bytes from a capture cut at 120 of 1514: truncated, not malformed, and the
     * segment length comes from ip.len. */
    dissect_frame(&dis, f.b, 120, 1514, 1, &no_csum);
    CHECK_EQ(value(FID_TCP_LEN), 1448);
    CHECK(!has_anomaly("ipv4.total_length_exceeds_frame"));
    const struct layer *ip = dis_find_layer(&dis, PROTO_IPV4);
    CHECK(ip != NULL && ip->status == LAYER_TRUNCATED);
}

static void test_tcp_len(void)
{
    /* A first fragment (MF set, offset 0): the segment's length is not known from it. */
    struct frame f = {.n = 0};
    eth(&f, 0x0800);
    ipv4(&f, 60, 0x2000, 6);
    tcp(&f, 20);
    memset(f.b + f.n, 'y', 20);
    f.n += 20;
    dissect_frame(&dis, f.b, (uint32_t)f.n, (uint32_t)f.n, 1, &no_csum);
    CHECK(field(FID_TCP_SRCPORT) != NULL);
    CHECK(field(FID_TCP_LEN) == NULL);

    /* Not a fragment: 20 bytes of payload. */
    f.b[14 + 6] = 0x40; /* DF */
    dissect_frame(&dis, f.b, (uint32_t)f.n, (uint32_t)f.n, 1, &no_csum);
    CHECK_EQ(value(FID_TCP_LEN), 20);

    /* A data offset of 12 bytes (below 20) in a 20-byte segment: like tshark, tcp.len is
     * 20 - 12 = 8, and the header is malformed. */
    f.n = 0;
    eth(&f, 0x0800);
    ipv4(&f, 40, 0x4000, 6);
    tcp(&f, 12);
    dissect_frame(&dis, f.b, (uint32_t)f.n, (uint32_t)f.n, 1, &no_csum);
    CHECK_EQ(value(FID_TCP_LEN), 8);
    CHECK(has_anomaly("tcp.bad_header_length"));

    /* A data offset beyond the segment: no length. */
    f.b[14 + 20 + 12] = 0xf0;
    dissect_frame(&dis, f.b, (uint32_t)f.n, (uint32_t)f.n, 1, &no_csum);
    CHECK(field(FID_TCP_LEN) == NULL);
}

/* Ethernet/IPv4/UDP DNS responses: SOA and SRV answers whose names point back at the question
 * (tshark: ns.example.com, hostmaster.example.com, expire 1209600; port 5060 sip.example.com),
 * and an MX whose exchange name runs past its record data (tshark: malformed). */
static const uint8_t dns_soa[] = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x45, 0x00,
    0x00, 0x6b, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x66, 0x7f, 0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00,
    0x00, 0x02, 0x00, 0x35, 0x9c, 0x40, 0x00, 0x57, 0x00, 0x00, 0x12, 0x34, 0x81, 0x80, 0x00, 0x01,
    0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x03, 0x63,
    0x6f, 0x6d, 0x00, 0x00, 0x06, 0x00, 0x01, 0xc0, 0x0c, 0x00, 0x06, 0x00, 0x01, 0x00, 0x00, 0x01,
    0x2c, 0x00, 0x26, 0x02, 0x6e, 0x73, 0xc0, 0x0c, 0x0a, 0x68, 0x6f, 0x73, 0x74, 0x6d, 0x61, 0x73,
    0x74, 0x65, 0x72, 0xc0, 0x0c, 0x78, 0xa3, 0xf1, 0x75, 0x00, 0x00, 0x1c, 0x20, 0x00, 0x00, 0x0e,
    0x10, 0x00, 0x12, 0x75, 0x00, 0x00, 0x00, 0x01, 0x2c,
};
static const uint8_t dns_srv[] = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x45,
    0x00, 0x00, 0x5b, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x66, 0x8f, 0x0a, 0x00, 0x00, 0x01,
    0x0a, 0x00, 0x00, 0x02, 0x00, 0x35, 0x9c, 0x40, 0x00, 0x47, 0x00, 0x00, 0x12, 0x34, 0x81,
    0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x04, 0x5f, 0x73, 0x69, 0x70, 0x04,
    0x5f, 0x74, 0x63, 0x70, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x03, 0x63, 0x6f,
    0x6d, 0x00, 0x00, 0x21, 0x00, 0x01, 0xc0, 0x0c, 0x00, 0x21, 0x00, 0x01, 0x00, 0x00, 0x01,
    0x2c, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x05, 0x13, 0xc4, 0x03, 0x73, 0x69, 0x70, 0xc0, 0x16,
};
static const uint8_t dns_mx_bad[] = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x45,
    0x00, 0x00, 0x4c, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x66, 0x9e, 0x0a, 0x00, 0x00, 0x01,
    0x0a, 0x00, 0x00, 0x02, 0x00, 0x35, 0x9c, 0x40, 0x00, 0x38, 0x00, 0x00, 0x12, 0x34, 0x81,
    0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70,
    0x6c, 0x65, 0x03, 0x63, 0x6f, 0x6d, 0x00, 0x00, 0x0f, 0x00, 0x01, 0xc0, 0x0c, 0x00, 0x0f,
    0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x07, 0x00, 0x0a, 0x04, 0x6d, 0x61, 0x69, 0x6c,
};

static bool text_is(enum field_id id, const char *want)
{
    const struct field *f = field(id);
    size_t n = 0;
    const char *t = f ? dis_field_text(&dis, f, &n) : NULL;
    return t && n == strlen(want) && memcmp(t, want, n) == 0;
}

static void test_dns_rdata(void)
{
    dissect_frame(&dis, dns_soa, sizeof(dns_soa), sizeof(dns_soa), 1, &no_csum);
    CHECK(text_is(FID_DNS_SOA_MNAME, "ns.example.com"));
    CHECK(text_is(FID_DNS_SOA_RNAME, "hostmaster.example.com"));
    CHECK_EQ(value(FID_DNS_SOA_SERIAL_NUMBER), 2024010101);
    CHECK_EQ(value(FID_DNS_SOA_EXPIRE_LIMIT), 1209600);
    CHECK_EQ(value(FID_DNS_SOA_MINIMUM_TTL), 300);
    CHECK(dis.nanomalies == 0);

    dissect_frame(&dis, dns_srv, sizeof(dns_srv), sizeof(dns_srv), 1, &no_csum);
    CHECK_EQ(value(FID_DNS_SRV_PRIORITY), 0);
    CHECK_EQ(value(FID_DNS_SRV_WEIGHT), 5);
    CHECK_EQ(value(FID_DNS_SRV_PORT), 5060);
    CHECK(text_is(FID_DNS_SRV_TARGET, "sip.example.com"));
    CHECK(dis.nanomalies == 0);

    dissect_frame(&dis, dns_mx_bad, sizeof(dns_mx_bad), sizeof(dns_mx_bad), 1, &no_csum);
    CHECK_EQ(value(FID_DNS_MX_PREFERENCE), 10);
    CHECK(field(FID_DNS_MX_MAIL_EXCHANGE) == NULL);
    CHECK(has_anomaly("dns.bad_name"));

    /* The SOA's record data cut to 32 bytes (its rdlength at offset 81): both names fit, the
     * five numbers do not, and that is said as bad record data, not as a bad name. */
    uint8_t soa_short[sizeof(dns_soa)];
    memcpy(soa_short, dns_soa, sizeof(soa_short));
    CHECK_EQ(soa_short[82], 0x26);
    soa_short[82] = 0x20;
    dissect_frame(&dis, soa_short, sizeof(soa_short), sizeof(soa_short), 1, &no_csum);
    CHECK(text_is(FID_DNS_SOA_RNAME, "hostmaster.example.com"));
    CHECK(field(FID_DNS_SOA_SERIAL_NUMBER) == NULL);
    CHECK(has_anomaly("dns.bad_rdata"));
    CHECK(!has_anomaly("dns.bad_name"));
}

static void test_eth_padding(void)
{
    /* A 40-byte IPv4 packet in a 60-byte frame (tcptrace_pcap_v2.2.pcap #10): the six bytes
     * up to the 60-byte minimum are padding only when all of them are zero; otherwise, as
     * Wireshark's default (padding of zeros) has it, there is no padding and all six bytes
     * are the trailer. */
    static const uint8_t tail[6] = {0, 0, 0xc0, 0x02, 0x40, 0x00};
    struct frame f = {.n = 0};
    eth(&f, 0x0800);
    ipv4(&f, 40, 0, 6);
    tcp(&f, 20);
    put(&f, tail, sizeof(tail));
    dissect_frame(&dis, f.b, f.n, f.n, 1, &no_csum);
    CHECK(field(FID_ETH_PADDING) == NULL);
    CHECK(field(FID_ETH_TRAILER) != NULL && field(FID_ETH_TRAILER)->len == 6);

    memset(f.b + 54, 0, 6);
    dissect_frame(&dis, f.b, f.n, f.n, 1, &no_csum);
    CHECK(field(FID_ETH_PADDING) != NULL && field(FID_ETH_PADDING)->len == 6);
    CHECK(field(FID_ETH_TRAILER) == NULL);
}

static void test_ntp_era(void)
{
    /* RFC 4330 3: seconds with the top bit set count from 1900, with it clear from 2036
     * (zeek_ipv4_fragmented-1.pcap: 0x58585858 is 2083-01-26, as tshark shows it). */
    int64_t sec;
    uint32_t nsec;
    field_time_split((uint64_t)0x58585858u << 32, &sec, &nsec);
    CHECK_EQ(sec, 3568163288LL);
    field_time_split((uint64_t)0xe8fe6f80u << 32, &sec, &nsec);
    CHECK_EQ(sec, 1700000000LL);
}

int main(void)
{
    test_null_headers();
    test_arp();
    test_ipv4_length();
    test_tcp_len();
    test_dns_rdata();
    test_eth_padding();
    test_ntp_era();
    return check_done();
}
