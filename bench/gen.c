/*
 * gen: writes a large pcap of plausible traffic for bench/run.sh (not part of the build).
 *
 *   gen OUT.pcap NPACKETS [SEED]
 *
 * Traffic: many interleaved connections, as a busy link carries them: TCP over IPv4 (and some
 * over IPv6) with a full three-way handshake, an HTTP request, a response of 10 to 60 full-size
 * segments acknowledged every second segment, and a four-way close; DNS queries and answers
 * over UDP; ICMP echo; ARP. Checksums are correct (pktscope verifies them, and a file full of
 * bad checksums would time the anomaly path instead of the normal one). Deterministic for a
 * seed, so a subset made with the same seed is a prefix of the full file.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 48
#define MAX_STEPS 160

enum kind { K_TCP4, K_TCP6, K_DNS, K_ICMP, K_ARP };

struct step {
    uint8_t dir;   /* 0 client -> server, 1 server -> client */
    uint8_t flags; /* TCP flags */
    uint16_t plen; /* payload bytes */
};

struct flow {
    enum kind kind;
    uint32_t id;
    struct step steps[MAX_STEPS];
    int n, at;
    uint32_t next_seq[2];
    uint16_t cport, sport;
};

static uint64_t rng_state;

static uint32_t rnd(void)
{
    /* xorshift64*: fast and good enough for traffic shapes. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

static uint8_t pattern[2048];
static uint8_t frame[2048];
static uint32_t flow_counter;

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        sum += (uint32_t)p[n - 1] << 8;
    return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* Addresses of flow id: client 10.x.y.z / 2001:db8::..., server 192.0.2.x / 198.51.100.x. */
static void v4_addrs(uint32_t id, uint8_t *c, uint8_t *s)
{
    c[0] = 10;
    c[1] = (uint8_t)(id >> 16);
    c[2] = (uint8_t)(id >> 8);
    c[3] = (uint8_t)(id | 1);
    s[0] = (id & 1) ? 192 : 198;
    s[1] = (id & 1) ? 0 : 51;
    s[2] = (id & 1) ? 2 : 100;
    s[3] = (uint8_t)(1 + id % 250);
}

static void v6_addrs(uint32_t id, uint8_t *c, uint8_t *s)
{
    static const uint8_t pfx[8] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0};
    memcpy(c, pfx, 8);
    memset(c + 8, 0, 8);
    put32(c + 12, id);
    memcpy(s, pfx, 8);
    memset(s + 8, 0, 8);
    s[5] = 2;
    s[15] = (uint8_t)(1 + id % 250);
}

static void eth(uint8_t *f, int dir, uint32_t id, uint16_t type)
{
    uint8_t a[6] = {0x02, 0x00, 0x5e, (uint8_t)(id >> 16), (uint8_t)(id >> 8), (uint8_t)id};
    static const uint8_t gw[6] = {0x00, 0x1b, 0x21, 0x3a, 0x4c, 0x5e};
    memcpy(f, dir ? a : gw, 6);
    memcpy(f + 6, dir ? gw : a, 6);
    put16(f + 12, type);
}

static size_t ipv4(uint8_t *p, const uint8_t *src, const uint8_t *dst, uint8_t proto,
                   size_t payload, uint16_t ipid)
{
    p[0] = 0x45;
    p[1] = 0;
    put16(p + 2, (uint16_t)(20 + payload));
    put16(p + 4, ipid);
    put16(p + 6, 0x4000);
    p[8] = 64;
    p[9] = proto;
    put16(p + 10, 0);
    memcpy(p + 12, src, 4);
    memcpy(p + 16, dst, 4);
    put16(p + 10, csum_fold(csum_add(0, p, 20)));
    return 20;
}

static size_t ipv6(uint8_t *p, const uint8_t *src, const uint8_t *dst, uint8_t nxt, size_t payload)
{
    put32(p, 0x60000000u);
    put16(p + 4, (uint16_t)payload);
    p[6] = nxt;
    p[7] = 64;
    memcpy(p + 8, src, 16);
    memcpy(p + 24, dst, 16);
    return 40;
}

/* Transport checksum with the pseudo header of either IP version. */
static uint16_t l4_csum(const uint8_t *src, const uint8_t *dst, size_t alen, uint8_t proto,
                        const uint8_t *l4, size_t n)
{
    uint32_t sum = csum_add(0, src, alen);
    sum = csum_add(sum, dst, alen);
    sum += proto;
    sum += (uint32_t)n;
    sum = csum_add(sum, l4, n);
    return csum_fold(sum);
}

static void tcp_flow(struct flow *fl, bool v6)
{
    fl->kind = v6 ? K_TCP6 : K_TCP4;
    fl->n = 0;
    fl->at = 0;
    fl->next_seq[0] = rnd();
    fl->next_seq[1] = rnd();
    fl->cport = (uint16_t)(32768 + rnd() % 28000);
    fl->sport = (rnd() % 4) ? 80 : 443;
    struct step *s = fl->steps;
    int n = 0;
    s[n++] = (struct step){0, 0x02, 0};
    s[n++] = (struct step){1, 0x12, 0};
    s[n++] = (struct step){0, 0x10, 0};
    s[n++] = (struct step){0, 0x18, (uint16_t)(200 + rnd() % 300)};
    int data = 10 + (int)(rnd() % 51);
    for (int i = 0; i < data; i++) {
        s[n++] = (struct step){1, (uint8_t)(i == data - 1 ? 0x18 : 0x10), 1448};
        if (i % 2 == 1 || i == data - 1)
            s[n++] = (struct step){0, 0x10, 0};
    }
    s[n++] = (struct step){1, 0x11, 0};
    s[n++] = (struct step){0, 0x10, 0};
    s[n++] = (struct step){0, 0x11, 0};
    s[n++] = (struct step){1, 0x10, 0};
    fl->n = n;
}

static void new_flow(struct flow *fl)
{
    fl->id = ++flow_counter;
    uint32_t r = rnd() % 100;
    if (r < 80)
        tcp_flow(fl, false);
    else if (r < 88)
        tcp_flow(fl, true);
    else {
        fl->kind = r < 96 ? K_DNS : r < 99 ? K_ICMP : K_ARP;
        fl->n = 2;
        fl->at = 0;
        fl->cport = (uint16_t)(32768 + rnd() % 28000);
        fl->sport = 53;
    }
}

static const char http_req[] = "GET /index.html HTTP/1.1\r\nHost: www.example.com\r\n"
                               "User-Agent: pktscope-bench\r\nAccept: */*\r\n\r\n";
static const char http_resp[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                                "Content-Length: 86000\r\n\r\n";

/* Builds the flow's next packet into frame; returns its length. */
static size_t emit(struct flow *fl)
{
    uint8_t *f = frame;
    size_t n = 0;
    if (fl->kind == K_TCP4 || fl->kind == K_TCP6) {
        const struct step *st = &fl->steps[fl->at++];
        bool v6 = fl->kind == K_TCP6;
        uint8_t c[16], s[16];
        if (v6)
            v6_addrs(fl->id, c, s);
        else
            v4_addrs(fl->id, c, s);
        const uint8_t *src = st->dir ? s : c, *dst = st->dir ? c : s;
        bool syn = st->flags & 0x02;
        size_t thl = syn ? 40 : 20;
        size_t l4len = thl + st->plen;
        eth(f, st->dir, fl->id, v6 ? 0x86dd : 0x0800);
        n = 14;
        n += v6 ? ipv6(f + n, src, dst, 6, l4len)
                : ipv4(f + n, src, dst, 6, l4len, (uint16_t)(fl->id * 7 + (unsigned)fl->at));
        uint8_t *t = f + n;
        put16(t, st->dir ? fl->sport : fl->cport);
        put16(t + 2, st->dir ? fl->cport : fl->sport);
        put32(t + 4, fl->next_seq[st->dir]);
        bool ack = st->flags & 0x10;
        put32(t + 8, ack ? fl->next_seq[!st->dir] : 0);
        t[12] = (uint8_t)((thl / 4) << 4);
        t[13] = st->flags;
        put16(t + 14, syn ? 64240 : 502);
        put16(t + 16, 0);
        put16(t + 18, 0);
        if (syn) {
            static const uint8_t opts[20] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0,
                                             0, 1, 0,    0,    0, 0, 1, 3,  3, 7};
            memcpy(t + 20, opts, 20);
        }
        uint8_t *pl = t + thl;
        memcpy(pl, pattern + (fl->at % 64), st->plen);
        if (st->plen && st->dir == 0)
            memcpy(pl, http_req, sizeof(http_req) - 1 < st->plen ? sizeof(http_req) - 1 : st->plen);
        else if (st->plen && fl->at == 5)
            memcpy(pl, http_resp, sizeof(http_resp) - 1);
        put16(t + 16, l4_csum(src, dst, v6 ? 16 : 4, 6, t, l4len));
        n += l4len;
        fl->next_seq[st->dir] += st->plen + (syn ? 1 : 0) + ((st->flags & 0x01) ? 1 : 0);
        return n;
    }
    int dir = fl->at++;
    uint8_t c[4], s[4];
    v4_addrs(fl->id, c, s);
    if (fl->kind == K_ARP) {
        eth(f, dir, fl->id, 0x0806);
        if (!dir)
            memset(f, 0xff, 6);
        uint8_t *a = f + 14;
        put16(a, 1);
        put16(a + 2, 0x0800);
        a[4] = 6;
        a[5] = 4;
        put16(a + 6, (uint16_t)(dir ? 2 : 1));
        memcpy(a + 8, f + 6, 6);
        memcpy(a + 14, dir ? s : c, 4);
        memset(a + 18, 0, 6);
        if (dir)
            memcpy(a + 18, f, 6);
        memcpy(a + 24, dir ? c : s, 4);
        memset(a + 28, 0, 18); /* padding to 60 */
        return 60;
    }
    const uint8_t *src = dir ? s : c, *dst = dir ? c : s;
    eth(f, dir, fl->id, 0x0800);
    n = 14;
    if (fl->kind == K_ICMP) {
        size_t l4len = 8 + 56;
        n += ipv4(f + n, src, dst, 1, l4len, (uint16_t)fl->id);
        uint8_t *m = f + n;
        m[0] = dir ? 0 : 8;
        m[1] = 0;
        put16(m + 2, 0);
        put16(m + 4, (uint16_t)fl->id);
        put16(m + 6, 1);
        memcpy(m + 8, pattern, 56);
        put16(m + 2, csum_fold(csum_add(0, m, l4len)));
        return n + l4len;
    }
    /* DNS: a query for www<id>.example.com and, in the answer, one A record. */
    uint8_t dns[128];
    size_t d = 0;
    put16(dns, (uint16_t)fl->id);
    put16(dns + 2, dir ? 0x8180 : 0x0100);
    put16(dns + 4, 1);
    put16(dns + 6, (uint16_t)(dir ? 1 : 0));
    put16(dns + 8, 0);
    put16(dns + 10, 0);
    d = 12;
    char label[16];
    int ll = snprintf(label, sizeof(label), "www%u", fl->id % 100000);
    dns[d++] = (uint8_t)ll;
    memcpy(dns + d, label, (size_t)ll);
    d += (size_t)ll;
    static const uint8_t rest[] = {7,   'e', 'x', 'a', 'm', 'p', 'l', 'e', 3,
                                   'c', 'o', 'm', 0,   0,   1,   0,   1};
    memcpy(dns + d, rest, sizeof(rest));
    d += sizeof(rest);
    if (dir) {
        static const uint8_t ans[] = {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4};
        memcpy(dns + d, ans, sizeof(ans));
        d += sizeof(ans);
        memcpy(dns + d, c, 4);
        dns[d] = 203;
        dns[d + 1] = 0;
        dns[d + 2] = 113;
        d += 4;
    }
    size_t l4len = 8 + d;
    n += ipv4(f + n, src, dst, 17, l4len, (uint16_t)fl->id);
    uint8_t *u = f + n;
    put16(u, dir ? 53 : fl->cport);
    put16(u + 2, dir ? fl->cport : 53);
    put16(u + 4, (uint16_t)l4len);
    put16(u + 6, 0);
    memcpy(u + 8, dns, d);
    uint16_t cs = l4_csum(src, dst, 4, 17, u, l4len);
    put16(u + 6, cs ? cs : 0xffff);
    n += l4len;
    if (n < 60) {
        memset(f + n, 0, 60 - n);
        n = 60;
    }
    return n;
}

static void le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: gen OUT.pcap NPACKETS [SEED]\n");
        return 2;
    }
    char *end;
    unsigned long long count = strtoull(argv[2], &end, 10);
    if (*end || count == 0) {
        fprintf(stderr, "gen: bad packet count %s\n", argv[2]);
        return 2;
    }
    rng_state = argc > 3 ? strtoull(argv[3], NULL, 10) | 1 : 0x9e3779b97f4a7c15ull;
    for (size_t i = 0; i < sizeof(pattern); i++)
        pattern[i] = (uint8_t)(' ' + (i * 7) % 95);
    FILE *out = fopen(argv[1], "wb");
    if (!out) {
        perror(argv[1]);
        return 2;
    }
    static char obuf[1 << 20];
    setvbuf(out, obuf, _IOFBF, sizeof(obuf));
    uint8_t hdr[24];
    le32(hdr, 0xa1b2c3d4u);
    hdr[4] = 2;
    hdr[5] = 0;
    hdr[6] = 4;
    hdr[7] = 0;
    le32(hdr + 8, 0);
    le32(hdr + 12, 0);
    le32(hdr + 16, 262144);
    le32(hdr + 20, 1);
    fwrite(hdr, 1, sizeof(hdr), out);

    static struct flow slots[SLOTS];
    for (int i = 0; i < SLOTS; i++)
        new_flow(&slots[i]);
    uint64_t usec = 1700000000ull * 1000000ull;
    unsigned long long bytes = 24;
    for (unsigned long long i = 0; i < count; i++) {
        struct flow *fl = &slots[rnd() % SLOTS];
        size_t len = emit(fl);
        if (fl->at >= fl->n)
            new_flow(fl);
        usec += 1 + rnd() % 20;
        uint8_t rec[16];
        le32(rec, (uint32_t)(usec / 1000000u));
        le32(rec + 4, (uint32_t)(usec % 1000000u));
        le32(rec + 8, (uint32_t)len);
        le32(rec + 12, (uint32_t)len);
        fwrite(rec, 1, 16, out);
        fwrite(frame, 1, len, out);
        bytes += 16 + len;
    }
    if (fclose(out) != 0) {
        perror(argv[1]);
        return 2;
    }
    fprintf(stderr, "gen: %s: %llu packets, %llu bytes, %u flows\n", argv[1], count, bytes,
            flow_counter);
    return 0;
}
