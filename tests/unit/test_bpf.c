/*
 * BPF display filters (capture/bpf.c) on libpcap's compiler: an expression compiles or is
 * refused with a message, matches exactly what tcpdump would match, and is compiled per link
 * type (a pcapng file may mix them).
 */
#include "check.h"
#include "capture/source.h"
#include "util/util.h"

#include <string.h>

/* Ethernet / IPv4 / TCP 10.0.0.1:40000 -> 10.0.0.2:80, SYN. */
static const uint8_t eth_tcp[] = {
    0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x08, 0x00, /* eth */
    0x45, 0x00, 0x00, 0x28, 0x00, 0x01, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,             /* ip */
    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,                                     /* addrs */
    0x9c, 0x40, 0x00, 0x50, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,             /* tcp */
    0x50, 0x02, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
};

/* Ethernet / IPv4 / UDP 10.0.0.3:5353 -> 224.0.0.251:5353. */
static const uint8_t eth_udp[] = {
    0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x08, 0x00,
    0x45, 0x00, 0x00, 0x1c, 0x00, 0x02, 0x00, 0x00, 0x01, 0x11, 0x00, 0x00, 0x0a, 0x00,
    0x00, 0x03, 0xe0, 0x00, 0x00, 0xfb, 0x14, 0xe9, 0x14, 0xe9, 0x00, 0x08, 0x00, 0x00,
};

static struct packet mkpkt(const uint8_t *d, size_t n, uint32_t linktype)
{
    struct packet p;
    memset(&p, 0, sizeof(p));
    p.data = d;
    p.caplen = (uint32_t)n;
    p.len = (uint32_t)n;
    p.linktype = linktype;
    return p;
}

static void test_compile(void)
{
    char errbuf[PS_ERRBUF_SIZE];
    struct bpf_filter *f = bpf_filter_new("tcp port 80 and host 10.0.0.2", errbuf);
    CHECK(f != NULL);
    bpf_filter_free(f);

    /* The empty expression matches everything, as tcpdump with no filter. */
    f = bpf_filter_new("", errbuf);
    CHECK(f != NULL);
    struct packet p = mkpkt(eth_udp, sizeof(eth_udp), LINKTYPE_ETHERNET);
    CHECK_EQ(bpf_filter_match(f, &p), 1);
    bpf_filter_free(f);

    errbuf[0] = 0;
    f = bpf_filter_new("tcp port", errbuf);
    CHECK(f == NULL);
    CHECK(strstr(errbuf, "\"tcp port\"") != NULL);
    CHECK(strstr(errbuf, "syntax") != NULL);

    errbuf[0] = 0;
    f = bpf_filter_new("tcp port 99999", errbuf); /* no name lookup: no network */
    CHECK(f == NULL);
    CHECK(errbuf[0] != 0);

    /* No filter at all matches everything; freeing NULL is harmless. */
    CHECK_EQ(bpf_filter_match(NULL, &p), 1);
    bpf_filter_free(NULL);
}

static void test_match(void)
{
    char errbuf[PS_ERRBUF_SIZE];
    struct packet tcp = mkpkt(eth_tcp, sizeof(eth_tcp), LINKTYPE_ETHERNET);
    struct packet udp = mkpkt(eth_udp, sizeof(eth_udp), LINKTYPE_ETHERNET);
    /* The same IPv4 packets without their Ethernet header, as raw IP (101) and IPv4 (228). */
    struct packet raw_tcp = mkpkt(eth_tcp + 14, sizeof(eth_tcp) - 14, LINKTYPE_RAW);
    struct packet v4_udp = mkpkt(eth_udp + 14, sizeof(eth_udp) - 14, LINKTYPE_IPV4);

    struct bpf_filter *f = bpf_filter_new("tcp dst port 80", errbuf);
    CHECK(f != NULL);
    if (f) {
        CHECK_EQ(bpf_filter_match(f, &tcp), 1);
        CHECK_EQ(bpf_filter_match(f, &udp), 0);
        CHECK_EQ(bpf_filter_match(f, &raw_tcp), 1); /* compiled again for raw IP */
        CHECK_EQ(bpf_filter_match(f, &v4_udp), 0);
        CHECK_EQ(bpf_filter_match(f, &tcp), 1); /* back to the first program */
        bpf_filter_free(f);
    }

    f = bpf_filter_new("udp and dst host 224.0.0.251", errbuf);
    CHECK(f != NULL);
    if (f) {
        CHECK_EQ(bpf_filter_match(f, &udp), 1);
        CHECK_EQ(bpf_filter_match(f, &v4_udp), 1);
        CHECK_EQ(bpf_filter_match(f, &tcp), 0);
        CHECK_EQ(bpf_filter_match(f, &raw_tcp), 0);
        bpf_filter_free(f);
    }

    /* An expression that cannot apply to a link type never matches there (raw IP has no MAC). */
    f = bpf_filter_new("ether src 66:77:88:99:aa:bb", errbuf);
    CHECK(f != NULL);
    if (f) {
        CHECK_EQ(bpf_filter_match(f, &tcp), 1);
        CHECK_EQ(bpf_filter_match(f, &udp), 1);
        CHECK_EQ(bpf_filter_match(f, &raw_tcp), 0);
        CHECK_EQ(bpf_filter_match(f, &v4_udp), 0);
        bpf_filter_free(f);
    }

    /* A packet cut short: the filter reads nothing past caplen and does not match. */
    f = bpf_filter_new("tcp dst port 80", errbuf);
    CHECK(f != NULL);
    if (f) {
        struct packet cut = mkpkt(eth_tcp, 30, LINKTYPE_ETHERNET);
        cut.len = sizeof(eth_tcp);
        CHECK_EQ(bpf_filter_match(f, &cut), 0);
        bpf_filter_free(f);
    }
}

int main(void)
{
    test_compile();
    test_match();
    return check_done();
}
