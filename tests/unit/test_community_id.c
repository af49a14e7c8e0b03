/*
 * SHA-1 against FIPS 180-4's example vectors (the NIST "SHA1.pdf" examples and the
 * million-'a' message), base64 against RFC 4648 section 10, and the Community ID against the
 * specification's own baseline (community-id-spec baseline/baseline_deflt.json, seed 0, and
 * baseline_seed1.json, seed 1): TCP, UDP, SCTP, ICMP and ICMPv6 type/code pairs (two-way and
 * one-way), a port-less protocol (RSVP, 46), IPv4 and IPv6, both directions of each flow.
 * The baseline lists ICMP messages by their mapped "ports"; as a type with a counterpart takes
 * the counterpart as its second port whatever its code, and a one-way type keeps its code,
 * feeding (sport, dport) in as (type, code) gives the same tuple.
 * Last, a crafted packet and a connection built by the tracker give the IDs of the packet path.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "dissect/dissect.h"
#include "track/community_id.h"
#include "track/track.h"
#include "util/sha1.h"

static void hex(const uint8_t *d, size_t n, char *out)
{
    static const char h[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = h[d[i] >> 4];
        out[2 * i + 1] = h[d[i] & 15];
    }
    out[2 * n] = '\0';
}

static void sha1_hex(const void *data, size_t n, char out[41])
{
    struct sha1 s;
    uint8_t dg[SHA1_DIGEST_LEN];
    sha1_init(&s);
    sha1_update(&s, data, n);
    sha1_final(&s, dg);
    hex(dg, sizeof(dg), out);
}

static void test_sha1(void)
{
    char out[41];
    sha1_hex("abc", 3, out);
    CHECK_STR(out, "a9993e364706816aba3e25717850c26c9cd0d89d");
    sha1_hex("", 0, out);
    CHECK_STR(out, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    const char *m2 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha1_hex(m2, strlen(m2), out);
    CHECK_STR(out, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    const char *m3 =
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
        "klmnopqrlmnopqrsmnopqrstnopqrstu";
    sha1_hex(m3, strlen(m3), out);
    CHECK_STR(out, "a49b2446a02c645bf419f995b67091253a04a259");
    /* a million 'a', fed in uneven pieces to cross block boundaries */
    struct sha1 s;
    uint8_t a[997], dg[SHA1_DIGEST_LEN];
    memset(a, 'a', sizeof(a));
    sha1_init(&s);
    size_t left = 1000000;
    while (left) {
        size_t n = left < sizeof(a) ? left : sizeof(a);
        sha1_update(&s, a, n);
        left -= n;
    }
    sha1_final(&s, dg);
    hex(dg, sizeof(dg), out);
    CHECK_STR(out, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    /* every length around the padding boundary (55, 56, 63, 64 bytes) one way and in pieces */
    for (size_t n = 50; n <= 70; n++) {
        char whole[41], parts[41];
        sha1_hex(a, n, whole);
        sha1_init(&s);
        for (size_t i = 0; i < n; i++)
            sha1_update(&s, a + i, 1);
        sha1_final(&s, dg);
        hex(dg, sizeof(dg), parts);
        CHECK_STR(parts, whole);
    }
}

static void test_base64(void)
{
    /* RFC 4648 section 10 */
    static const char *const in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const want[] = {"",         "Zg==",     "Zm8=",    "Zm9v",
                                       "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (size_t i = 0; i < 7; i++) {
        char out[16];
        base64_encode((const uint8_t *)in[i], strlen(in[i]), out);
        CHECK_STR(out, want[i]);
    }
}

struct vec {
    uint8_t proto;
    const char *saddr, *daddr;
    int sport, dport; /* -1: no ports */
    const char *seed0, *seed1;
};

/* community-id-spec baseline/baseline_deflt.json and baseline_seed1.json, in their order. */
static const struct vec vectors[] = {
    {58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 135, 136,
     "1:dGHyGvjMfljg6Bppwm3bg0LO8TY=", "1:kHa1FhMYIT6Ym2Vm2AOtoOARDzY="},
    {58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 136, 135,
     "1:dGHyGvjMfljg6Bppwm3bg0LO8TY=", "1:kHa1FhMYIT6Ym2Vm2AOtoOARDzY="},
    {58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 135, 136,
     "1:zavyT/cezQr1fmImYCwYnMXbgck=", "1:2hSqmsDZ2kdcY9kbiUzOEBic0iM="},
    {58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 136, 135,
     "1:zavyT/cezQr1fmImYCwYnMXbgck=", "1:2hSqmsDZ2kdcY9kbiUzOEBic0iM="},
    {58, "3ffe:501:1800:2345::2", "3ffe:507:0:1:200:86ff:fe05:80da", 3, 0,
     "1:2ObVBgIn28oZvibYZhZMBgh7WdQ=", "1:lVEtCZpYu84Xqaa++3lXFyuu2n4="},
    {58, "3ffe:501:410:0:2c0:dfff:fe47:33e", "3ffe:507:0:1:200:86ff:fe05:80da", 1, 4,
     "1:hLZd0XGWojozrvxqE0dWB1iM6R0=", "1:W8MHwXpWzpoSTD+cGcaJr4u0ys8="},
    {58, "3ffe:507:0:1:200:86ff:fe05:80da", "3ffe:501:0:1001::2", 128, 129,
     "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=", "1:GfZxjAkDk2MkegpBYHV6tadtFXQ="},
    {58, "3ffe:501:0:1001::2", "3ffe:507:0:1:200:86ff:fe05:80da", 129, 128,
     "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=", "1:GfZxjAkDk2MkegpBYHV6tadtFXQ="},
    {58, "fe80::200:86ff:fe05:80da", "ff02::2", 133, 134,
     "1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0=", "1:L7Ka0ZMYu+J3bL4ulW2PrqyXNo8="},
    {58, "fe80::260:97ff:fe07:69ea", "ff02::1", 134, 133,
     "1:pkvHqCL88/tg1k4cPigmZXUtL00=", "1:K/ee5UCqAMAQXDorP5nSa2CGLjc="},
    {1, "192.168.0.89", "192.168.0.1", 8, 0,
     "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=", "1:03g6IloqVBdcZlPyX8r0hgoE7kA="},
    {1, "192.168.0.1", "192.168.0.89", 0, 8,
     "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=", "1:03g6IloqVBdcZlPyX8r0hgoE7kA="},
    {1, "10.0.0.1", "10.0.0.2", 11, 0,
     "1:YHxtAirCG//0OzkcVAukqKQN9xM=", "1:XjUibYHaafLQ3pxQeiMI8g25q20="},
    {6, "2001:470:e5bf:dead:4957:2174:e82c:4887", "2607:f8b0:400c:c03::1a", 63943, 25,
     "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=", "1:eJYTW6AOzFLlSUoESovMjnu7rMw="},
    {6, "2607:f8b0:400c:c03::1a", "2001:470:e5bf:dead:4957:2174:e82c:4887", 25, 63943,
     "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=", "1:eJYTW6AOzFLlSUoESovMjnu7rMw="},
    {132, "192.168.170.8", "192.168.170.56", 7, 7,
     "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=", "1:5w3ZRjeKBzqT3zsaEECDGjUbYeg="},
    {132, "192.168.170.56", "192.168.170.8", 7, 7,
     "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=", "1:5w3ZRjeKBzqT3zsaEECDGjUbYeg="},
    {6, "128.232.110.120", "66.35.250.204", 34855, 80,
     "1:LQU9qZlK+B5F3KDmev6m5PMibrg=", "1:3V71V58M3Ksw/yuFALMcW0LAHvc="},
    {6, "66.35.250.204", "128.232.110.120", 80, 34855,
     "1:LQU9qZlK+B5F3KDmev6m5PMibrg=", "1:3V71V58M3Ksw/yuFALMcW0LAHvc="},
    {17, "192.168.1.52", "8.8.8.8", 54585, 53,
     "1:d/FP5EW3wiY1vCndhwleRRKHowQ=", "1:Q9We8WO3piVF8yEQBNJF4uiSVrI="},
    {17, "8.8.8.8", "192.168.1.52", 53, 54585,
     "1:d/FP5EW3wiY1vCndhwleRRKHowQ=", "1:Q9We8WO3piVF8yEQBNJF4uiSVrI="},
    {46, "10.1.12.1", "10.1.12.2", -1, -1,
     "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=", "1:rYir8gphR31noO9iDRQmF/BteEI="},
    {46, "10.1.12.2", "10.1.12.1", -1, -1,
     "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=", "1:rYir8gphR31noO9iDRQmF/BteEI="},
};

static uint8_t parse_addr(const char *s, uint8_t out[16])
{
    if (strchr(s, ':'))
        return inet_pton(AF_INET6, s, out) == 1 ? 16 : 0;
    return inet_pton(AF_INET, s, out) == 1 ? 4 : 0;
}

static void vector_id(const struct vec *v, uint16_t seed, char out[COMMUNITY_ID_SIZE])
{
    uint8_t sa[16], da[16];
    uint8_t len = parse_addr(v->saddr, sa);
    CHECK(len != 0 && parse_addr(v->daddr, da) == len);
    if (v->proto == 1 || v->proto == 58)
        community_id_icmp(seed, v->proto, len, sa, da, (uint8_t)v->sport, (uint8_t)v->dport, out);
    else
        community_id_v1(seed, v->proto, len, sa, da, (uint16_t)(v->sport < 0 ? 0 : v->sport),
                        (uint16_t)(v->dport < 0 ? 0 : v->dport), v->sport >= 0, false, out);
}

static void test_baseline(void)
{
    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        char out[COMMUNITY_ID_SIZE];
        vector_id(&vectors[i], 0, out);
        CHECK_STR(out, vectors[i].seed0);
        vector_id(&vectors[i], 1, out);
        CHECK_STR(out, vectors[i].seed1);
    }
    /* An echo request's code does not matter (its second port is the reply's type); a
     * one-way message's does. */
    uint8_t a[4] = {192, 168, 0, 89}, b[4] = {192, 168, 0, 1};
    char x[COMMUNITY_ID_SIZE], y[COMMUNITY_ID_SIZE];
    community_id_icmp(0, 1, 4, a, b, 8, 5, x);
    CHECK_STR(x, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=");
    community_id_icmp(0, 1, 4, a, b, 3, 1, x);
    community_id_icmp(0, 1, 4, b, a, 3, 1, y);
    CHECK(strcmp(x, y) != 0);
}

/* An Ethernet/IPv4/UDP frame 192.168.1.52:54585 -> 8.8.8.8:53 (the baseline's UDP flow). */
static size_t udp_frame(uint8_t *f, bool reply)
{
    static const uint8_t hdr[] = {
        0x02, 0,    0, 0,  0, 1, 0x02, 0, 0,  0,  0, 2, 0x08, 0x00, /* Ethernet */
        0x45, 0,    0, 28, 0, 1, 0,    0, 64, 17, 0, 0, 192,  168,  1, 52, 8, 8, 8, 8, /* IPv4 */
        0xd5, 0x39, 0, 53, 0, 8, 0,    0,                                              /* UDP */
    };
    memcpy(f, hdr, sizeof(hdr));
    if (reply) {
        uint8_t t[4];
        memcpy(t, f + 26, 4);
        memcpy(f + 26, f + 30, 4);
        memcpy(f + 30, t, 4);
        uint8_t p[2] = {f[34], f[35]};
        f[34] = f[36];
        f[35] = f[37];
        f[36] = p[0];
        f[37] = p[1];
    }
    return sizeof(hdr);
}

static const struct dissect_options dopt = {.verify_checksums = false};

static void test_packets_and_conns(void)
{
    static struct dissection d;
    uint8_t f[64];
    char id[COMMUNITY_ID_SIZE], cid[COMMUNITY_ID_SIZE];
    struct tracker_config cfg;
    tracker_config_default(&cfg);
    struct tracker *t = tracker_new(&cfg);
    struct track_info ti;
    for (int seed = 0; seed <= 1; seed++) {
        community_id_set_seed((uint16_t)seed);
        for (int reply = 0; reply <= 1; reply++) {
            size_t n = udp_frame(f, reply);
            dissect_frame(&d, f, (uint32_t)n, (uint32_t)n, 1, &dopt);
            CHECK(community_id_packet(&d, id));
            CHECK_STR(id,
                      seed ? "1:Q9We8WO3piVF8yEQBNJF4uiSVrI=" : "1:d/FP5EW3wiY1vCndhwleRRKHowQ=");
            tracker_packet(t, &d, 100 + reply, 0, (uint64_t)(1 + reply), &ti);
        }
        const struct conn *c = tracker_conn(t, 17, 0);
        CHECK(c != NULL);
        if (c) {
            community_id_conn(c, cid);
            CHECK_STR(cid, id);
        }
    }
    community_id_set_seed(0);
    tracker_free(t);
}

/* The ID computed straight from the spec, without community_id_v1's cache: seed, the smaller
 * address (and its port) first, protocol, a zero byte, the ports. */
static void spec_id(uint16_t seed, uint8_t proto, const uint8_t a[4], const uint8_t b[4],
                    uint16_t pa, uint16_t pb, char out[COMMUNITY_ID_SIZE])
{
    bool swap = memcmp(a, b, 4) > 0 || (memcmp(a, b, 4) == 0 && pa > pb);
    uint8_t in[2 + 4 + 4 + 2 + 4] = {(uint8_t)(seed >> 8), (uint8_t)seed};
    memcpy(in + 2, swap ? b : a, 4);
    memcpy(in + 6, swap ? a : b, 4);
    in[10] = proto;
    uint16_t p1 = swap ? pb : pa, p2 = swap ? pa : pb;
    in[12] = (uint8_t)(p1 >> 8);
    in[13] = (uint8_t)p1;
    in[14] = (uint8_t)(p2 >> 8);
    in[15] = (uint8_t)p2;
    struct sha1 s;
    uint8_t dg[SHA1_DIGEST_LEN];
    sha1_init(&s);
    sha1_update(&s, in, sizeof(in));
    sha1_final(&s, dg);
    out[0] = '1';
    out[1] = ':';
    base64_encode(dg, sizeof(dg), out + 2);
}

/* community_id_v1 remembers recent inputs: 3,000 flows (many more than its slots, so slots are
 * shared and replaced), both directions, two seeds, asked in three orders, must each get the
 * spec's ID every time. */
static void test_cache(void)
{
    char got[COMMUNITY_ID_SIZE], want[COMMUNITY_ID_SIZE];
    unsigned wrong = 0;
    for (int round = 0; round < 3; round++) {
        for (unsigned k = 0; k < 3000; k++) {
            unsigned i = round == 1 ? 2999 - k : (round == 2 ? (k * 7) % 3000 : k);
            uint8_t a[4] = {10, 0, (uint8_t)(i >> 8), (uint8_t)i}, b[4] = {10, 0, 0, 1};
            uint16_t pa = (uint16_t)(40000 + i % 7), pb = (uint16_t)(i % 3 ? 443 : 53);
            uint16_t seed = (uint16_t)(i % 2);
            uint8_t proto = i % 5 ? 6 : 17;
            spec_id(seed, proto, a, b, pa, pb, want);
            community_id_v1(seed, proto, 4, a, b, pa, pb, true, false, got);
            wrong += strcmp(got, want) != 0;
            community_id_v1(seed, proto, 4, b, a, pb, pa, true, false, got);
            wrong += strcmp(got, want) != 0;
        }
    }
    CHECK_EQ(wrong, 0);
}

int main(void)
{
    test_sha1();
    test_base64();
    test_baseline();
    test_packets_and_conns();
    test_cache();
    return check_done();
}
