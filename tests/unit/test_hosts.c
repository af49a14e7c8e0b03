/*
 * track/hosts: --subnet parsing, the ARP conflict, the gateway told by the traffic it carries
 * when no subnet is known, and the bound (observations past HOSTS_MAX_ENTRIES go, counted).
 * Frames are built byte by byte and dissected as the pipeline does.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dissect/dissect.h"
#include "track/hosts.h"

static const uint8_t MAC_HOST[6] = {0x00, 0x1b, 0x21, 0x0a, 0x00, 0x01};
static const uint8_t MAC_GW[6] = {0x00, 0x1e, 0x7a, 0x0a, 0x00, 0x01};
static const uint8_t BCAST[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static size_t eth(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, src, 6);
    f[12] = (uint8_t)(type >> 8);
    f[13] = (uint8_t)type;
    return 14;
}

/* An ARP message (RFC 826) for Ethernet and IPv4. */
static size_t arp_frame(uint8_t *f, uint16_t op, const uint8_t sha[6], const uint8_t spa[4],
                        const uint8_t tha[6], const uint8_t tpa[4], const uint8_t dst[6])
{
    size_t n = eth(f, dst, sha, 0x0806);
    const uint8_t hdr[8] = {0, 1, 8, 0, 6, 4, 0, (uint8_t)op};
    memcpy(f + n, hdr, 8);
    memcpy(f + n + 8, sha, 6);
    memcpy(f + n + 14, spa, 4);
    memcpy(f + n + 18, tha, 6);
    memcpy(f + n + 24, tpa, 4);
    return n + 28;
}

/* A UDP datagram sport -> dport with 4 bytes of payload (checksums left 0: not verified). */
static size_t udp_frame(uint8_t *f, const uint8_t smac[6], const uint8_t dmac[6],
                        const uint8_t src[4], const uint8_t dst[4], uint16_t sport, uint16_t dport)
{
    size_t n = eth(f, dmac, smac, 0x0800);
    uint8_t *ip = f + n;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    ip[3] = 32; /* 20 + 8 + 4 */
    ip[8] = 64;
    ip[9] = 17;
    memcpy(ip + 12, src, 4);
    memcpy(ip + 16, dst, 4);
    uint8_t *u = ip + 20;
    u[0] = (uint8_t)(sport >> 8), u[1] = (uint8_t)sport;
    u[2] = (uint8_t)(dport >> 8), u[3] = (uint8_t)dport;
    u[4] = 0, u[5] = 12, u[6] = 0, u[7] = 0;
    memcpy(u + 8, "ping", 4);
    return n + 32;
}

static struct dissection dis; /* large: not on the stack */

static void feed(struct hosts *h, const uint8_t *f, size_t n, uint64_t frame)
{
    struct dissect_options opt;
    memset(&opt, 0, sizeof(opt));
    dissect_frame(&dis, f, (uint32_t)n, (uint32_t)n, 1, &opt);
    hosts_packet(h, &dis, 1700000000 + (int64_t)frame, 0, frame, true);
}

static void test_subnet_parse(void)
{
    struct hosts *h = hosts_new();
    char err[256];
    CHECK_EQ(hosts_add_subnet(h, "192.0.2.77/24", SUBNET_GIVEN, err, sizeof(err)), 0);
    CHECK_EQ(hosts_add_subnet(h, "2001:db8::1/64", SUBNET_GIVEN, err, sizeof(err)), 0);
    CHECK_EQ(hosts_add_subnet(h, "0.0.0.0/0", SUBNET_GIVEN, err, sizeof(err)), 0);
    CHECK_EQ(hosts_add_subnet(h, "192.0.2.0/33", SUBNET_GIVEN, err, sizeof(err)), -1);
    CHECK_EQ(hosts_add_subnet(h, "192.0.2.0", SUBNET_GIVEN, err, sizeof(err)), -1);
    CHECK_EQ(hosts_add_subnet(h, "/8", SUBNET_GIVEN, err, sizeof(err)), -1);
    CHECK_EQ(hosts_add_subnet(h, "10.0.0.0/8x", SUBNET_GIVEN, err, sizeof(err)), -1);
    struct hosts_report r;
    hosts_report(h, &r);
    CHECK_EQ(r.nsubnets, 3);
    const uint8_t in[4] = {192, 0, 2, 200}, net[4] = {192, 0, 2, 0};
    const struct hosts_subnet *sn = hosts_subnet_of(&r, in, 4);
    CHECK(sn && sn->prefix_len == 24 && memcmp(sn->addr, net, 4) == 0);
    CHECK_EQ(r.nrows, 0);
    hosts_report_release(&r);
    hosts_free(h);
}

static void test_conflict(void)
{
    struct hosts *h = hosts_new();
    uint8_t f[128];
    const uint8_t host_ip[4] = {192, 0, 2, 10}, gw_ip[4] = {192, 0, 2, 1};
    const uint8_t spoofer[6] = {0x02, 0xde, 0xad, 0xbe, 0xef, 0x01};
    const uint8_t zero[6] = {0};
    feed(h, f, arp_frame(f, 1, MAC_HOST, host_ip, zero, gw_ip, BCAST), 1);
    feed(h, f, arp_frame(f, 2, MAC_GW, gw_ip, MAC_HOST, host_ip, MAC_HOST), 2);
    feed(h, f, arp_frame(f, 2, spoofer, gw_ip, MAC_HOST, host_ip, MAC_HOST), 3);
    struct hosts_report r;
    hosts_report(h, &r);
    CHECK_EQ(r.narp, 3);
    CHECK_EQ(r.conflicts, 1);
    CHECK(r.arp[0].conflict && r.arp[1].conflict && !r.arp[2].conflict);
    CHECK_EQ(r.arp[0].frame, 2);
    CHECK_EQ(r.arp[1].frame, 3);
    CHECK_EQ(r.nsubnets, 1);
    CHECK_EQ(r.subnets[0].source, SUBNET_INFERRED);
    CHECK_EQ(r.subnets[0].prefix_len, 24);
    CHECK_EQ(r.subnets[0].covering_len, 28);
    CHECK_EQ(r.nrows, 3);
    hosts_report_release(&r);
    hosts_free(h);
}

/* No ARP, no DHCP: one MAC carries three remote addresses, so it is the gateway. */
static void test_gateway_without_subnet(void)
{
    struct hosts *h = hosts_new();
    uint8_t f[128];
    const uint8_t me[4] = {10, 1, 2, 3};
    uint64_t frame = 1;
    for (uint8_t i = 0; i < 3; i++) {
        const uint8_t remote[4] = {203, 0, 113, (uint8_t)(10 + i)};
        feed(h, f, udp_frame(f, MAC_HOST, MAC_GW, me, remote, 40000, 53), frame++);
        feed(h, f, udp_frame(f, MAC_GW, MAC_HOST, remote, me, 53, 40000), frame++);
    }
    struct hosts_report r;
    hosts_report(h, &r);
    CHECK_EQ(r.nsubnets, 0);
    CHECK_EQ(r.nrows, 5); /* two MACs, three remote servers */
    CHECK(r.rows[0].has_mac && memcmp(r.rows[0].mac, MAC_HOST, 6) == 0);
    CHECK(!r.rows[0].gateway && r.rows[0].naddrs == 1 && r.rows[0].local == -1);
    CHECK_EQ(r.rows[0].nroles, 3);
    CHECK(r.rows[1].has_mac && r.rows[1].gateway && r.rows[1].carried == 3);
    CHECK(r.rows[1].outside_of == NULL && r.rows[1].naddrs == 0);
    for (size_t i = 2; i < r.nrows; i++) {
        CHECK(!r.rows[i].has_mac && r.rows[i].has_via && r.rows[i].local == 0);
        CHECK(r.rows[i].nroles == 1 && r.rows[i].roles[0].kind == ROLE_SERVER);
        CHECK_EQ(r.rows[i].roles[0].port, 53);
    }
    hosts_report_release(&r);
    hosts_free(h);
}

/* Far more hosts than the table holds: the oldest observations go, counted; nothing breaks. */
static void test_bounded(void)
{
    struct hosts *h = hosts_new();
    uint8_t f[128];
    const uint8_t target[4] = {10, 0, 0, 1};
    uint32_t n = HOSTS_MAX_ENTRIES + 4000;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t mac[6] = {0x00, 0x1b, 0x21, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i};
        uint8_t ip[4] = {10, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i};
        if (ip[3] == 0 || ip[3] == 255)
            ip[3] = 7; /* a repeat: fine */
        feed(h, f, arp_frame(f, 2, mac, ip, MAC_HOST, target, MAC_HOST), i + 1);
    }
    struct hosts_report r;
    hosts_report(h, &r);
    CHECK(r.evicted > 0);
    CHECK_EQ(r.cap, HOSTS_MAX_ENTRIES);
    CHECK(r.nrows <= HOSTS_MAX_ENTRIES);
    CHECK(r.narp <= HOSTS_MAX_ENTRIES);
    CHECK(r.nrows > 1000); /* the newest are still there */
    hosts_report_release(&r);
    hosts_free(h);
}

int main(void)
{
    test_subnet_parse();
    test_conflict();
    test_gateway_without_subnet();
    test_bounded();
    return check_done();
}
