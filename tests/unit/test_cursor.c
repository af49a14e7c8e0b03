/* The bounds-checked cursor, the strbuf and the Internet checksum, and the pool of reading
 * buffers (bufpool.h). */
#include <stdlib.h>

#include "check.h"
#include "util/bufpool.h"
#include "util/cursor.h"
#include "util/strbuf.h"
#include "util/util.h"

static void test_reads(void)
{
    static const uint8_t b[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09};
    struct cursor c;
    cur_init(&c, b, sizeof(b));
    CHECK_EQ(cur_u8(&c), 0x01);
    CHECK_EQ(cur_be16(&c), 0x0203);
    CHECK_EQ(cur_le16(&c), 0x0504);
    CHECK_EQ(cur_be32(&c), 0x06070809u);
    CHECK(!c.truncated);
    CHECK_EQ(cur_left(&c), 0);
    CHECK_EQ(cur_u8(&c), 0);
    CHECK(c.truncated);
    /* Once truncated, every read fails even if it would fit. */
    c.off = 0;
    CHECK_EQ(cur_u8(&c), 0);
}

static void test_huge_length_never_wraps(void)
{
    static const uint8_t b[4] = {1, 2, 3, 4};
    struct cursor c;
    cur_init(&c, b, sizeof(b));
    cur_u8(&c);
    CHECK(cur_bytes(&c, (size_t)-1) == NULL);
    CHECK(c.truncated);
    cur_init(&c, b, sizeof(b));
    CHECK(!cur_skip(&c, (size_t)-2));
}

static void test_sub(void)
{
    static const uint8_t b[8] = {0};
    struct cursor c, s;
    bool is_short;
    cur_init(&c, b, sizeof(b));
    cur_skip(&c, 2);
    s = cur_sub(&c, 4, &is_short);
    CHECK(!is_short);
    CHECK_EQ(s.off, 2);
    CHECK_EQ(s.end, 6);
    CHECK_EQ(c.off, 6);
    s = cur_sub(&c, 100, &is_short);
    CHECK(is_short);
    CHECK_EQ(s.end, 8);
    CHECK_EQ(cur_left(&s), 2);
    CHECK(!s.truncated);
}

/* Random access stays inside the window: [start, end], end itself allowed, nothing past it. */
static void test_seek(void)
{
    static const uint8_t b[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    struct cursor c, s;
    cur_init(&c, b, sizeof(b));
    CHECK_EQ(c.start, 0);
    CHECK(cur_seek(&c, 7));
    CHECK_EQ(cur_u8(&c), 7);
    CHECK(cur_seek(&c, 0)); /* backwards */
    CHECK_EQ(cur_be16(&c), 0x0001);
    CHECK(cur_seek(&c, 10)); /* the end itself: nothing left, not an error */
    CHECK(!c.truncated);
    CHECK_EQ(cur_left(&c), 0);
    CHECK(!cur_seek(&c, 11)); /* one past the end */
    CHECK(c.truncated);
    CHECK_EQ(c.off, 10);     /* a failed seek does not move */
    CHECK(!cur_seek(&c, 3)); /* and once truncated, stays so */

    /* A sub-cursor's window starts where it was cut: it cannot seek below that. */
    cur_init(&c, b, sizeof(b));
    cur_skip(&c, 2);
    s = cur_sub(&c, 5, NULL); /* window [2, 7) */
    CHECK_EQ(s.start, 2);
    CHECK(cur_seek(&s, 6));
    CHECK_EQ(cur_u8(&s), 6);
    CHECK_EQ(cur_u8(&s), 0); /* byte 7 is outside the window */
    CHECK(s.truncated);
    s = cur_sub(&(struct cursor){.base = b, .off = 2, .end = 7}, 5, NULL);
    CHECK(!cur_seek(&s, 1));
    CHECK(s.truncated);
    s = cur_sub(&(struct cursor){.base = b, .off = 2, .end = 7}, 5, NULL);
    CHECK(cur_seek(&s, 7));
    CHECK(!cur_seek(&s, 8));

    /* Sizes that would wrap an addition are refused, not wrapped. */
    cur_init(&c, b, sizeof(b));
    CHECK(!cur_seek(&c, (size_t)-1));
    CHECK(c.truncated);
}

static void test_at(void)
{
    static const uint8_t b[6] = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5};
    struct cursor c, s, r;
    cur_init(&c, b, sizeof(b));
    s = cur_sub(&c, 4, NULL); /* window [0, 4) */
    cur_skip(&s, 3);
    r = cur_at(&s, 1);
    CHECK(!r.truncated);
    CHECK_EQ(cur_u8(&r), 0xa1);
    CHECK_EQ(s.off, 3); /* the parent does not move */
    r = cur_at(&s, 3);
    CHECK_EQ(cur_be16(&r), 0); /* 0xa3 0xa4 crosses the window's end */
    CHECK(r.truncated);
    r = cur_at(&s, 4);
    CHECK(!r.truncated);
    CHECK_EQ(cur_left(&r), 0);
    r = cur_at(&s, 5);
    CHECK(r.truncated);
    CHECK_EQ(r.off, r.end);
    r = cur_at(&s, (size_t)-1);
    CHECK(r.truncated);
    /* A truncated parent still gives a usable cursor at a valid offset. */
    CHECK_EQ(cur_be32(&s), 0);
    CHECK(s.truncated);
    r = cur_at(&s, 0);
    CHECK(!r.truncated);
    CHECK_EQ(cur_be32(&r), 0xa0a1a2a3u);
    /* A window that starts after 0: offsets below it are outside. */
    s = cur_sub(&(struct cursor){.base = b, .off = 2, .end = 6}, 3, NULL); /* [2, 5) */
    CHECK(cur_at(&s, 1).truncated);
    CHECK(!cur_at(&s, 2).truncated);
}

static void test_peek_bytes(void)
{
    static const uint8_t b[4] = {1, 2, 3, 4};
    struct cursor c;
    cur_init(&c, b, sizeof(b));
    cur_skip(&c, 1);
    CHECK(cur_peek_bytes(&c, 0, 3) == b + 1);
    CHECK(cur_peek_bytes(&c, 3, 0) == b + 4);
    CHECK(cur_peek_bytes(&c, 1, 3) == NULL);
    CHECK(cur_peek_bytes(&c, 4, 0) == NULL);
    CHECK(cur_peek_bytes(&c, 1, (size_t)-1) == NULL);
    CHECK(cur_peek_bytes(&c, (size_t)-1, 1) == NULL);
    CHECK(!c.truncated);
    CHECK_EQ(c.off, 1);
}

static void test_ipv6_text(void)
{
    char buf[64];
    struct strbuf sb;
    static const uint8_t a1[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static const uint8_t a2[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1};
    static const uint8_t a3[16] = {0};
    static const uint8_t a4[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1};
    sb_init(&sb, buf, sizeof(buf));
    sb_ipv6(&sb, a1);
    CHECK_STR(buf, "2001:db8::1");
    sb_reset(&sb);
    sb_ipv6(&sb, a2);
    CHECK_STR(buf, "2001:db8:0:1::1");
    sb_reset(&sb);
    sb_ipv6(&sb, a3);
    CHECK_STR(buf, "::");
    sb_reset(&sb);
    sb_ipv6(&sb, a4); /* a single zero word is not shortened (RFC 5952 4.2.2) */
    CHECK_STR(buf, "2001:db8:0:1:1:1:1:1");
}

static void test_strbuf_bounds(void)
{
    char buf[8];
    struct strbuf sb;
    sb_init(&sb, buf, sizeof(buf));
    sb_puts(&sb, "0123456789");
    CHECK_STR(buf, "0123456");
    CHECK(sb.overflow);
    static const uint8_t raw[] = {'a', 0x1b, '[', 0x07, 'b'};
    sb_init(&sb, buf, sizeof(buf));
    sb_put_safe(&sb, raw, sizeof(raw));
    CHECK_STR(buf, "a.[.b");
}

static void test_checksum(void)
{
    /* RFC 1071 example header: 20 bytes of IPv4 with checksum 0xb861 at offset 10. */
    static const uint8_t ip[20] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                                   0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
    CHECK_EQ(inet_csum_fold(inet_csum_add(0, ip, sizeof(ip))), 0);

    /* The 32-bit-word sum must equal the plain 16-bit one's complement sum of RFC 1071 for every
     * length (odd tails included) and when chained over a pseudo-header first, as TCP does. */
    uint8_t buf[301];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof(buf); i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (uint8_t)(x >> 16);
    }
    for (size_t len = 0; len <= sizeof(buf); len++) {
        uint32_t ref = 0x1234;
        for (size_t i = 0; i + 1 < len; i += 2)
            ref += (uint32_t)(buf[i] << 8 | buf[i + 1]);
        if (len & 1)
            ref += (uint32_t)(buf[len - 1] << 8);
        CHECK_EQ(inet_csum_fold(
                     inet_csum_add(inet_csum_add(0, (const uint8_t *)"\x12\x34", 2), buf, len)),
                 inet_csum_fold(ref));
    }
}

/* hash_bytes as it is defined (util.h): 16-byte blocks, the last one padded with zeros. */
static uint64_t hash_bytes_padded(uint64_t seed, const void *p, size_t n)
{
    const uint8_t *b = p;
    uint64_t h = seed ^ ((uint64_t)n * HASH_K3), lo, hi;
    for (size_t i = 0; i < n; i += 16) {
        uint8_t block[16] = {0};
        memcpy(block, b + i, n - i < 16 ? n - i : 16);
        memcpy(&lo, block, 8);
        memcpy(&hi, block + 8, 8);
        h = fold_mul(lo ^ h ^ HASH_K1, hi ^ seed ^ HASH_K2);
    }
    return fold_mul(h ^ HASH_K2, seed ^ HASH_K3);
}

/* hash_bytes' last block read in place (shifted out of the last 16 bytes) is the padded block:
 * every length to 80 at every offset into a buffer, with bytes of every value around it. */
static void test_hash_tail(void)
{
    uint8_t buf[128];
    uint64_t x = 7;
    for (int round = 0; round < 20; round++) {
        for (size_t j = 0; j < sizeof(buf); j++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            buf[j] = (uint8_t)(x >> 56);
        }
        uint64_t seed = x ^ 0x9e3779b97f4a7c15ull;
        for (size_t off = 0; off < 16; off++)
            for (size_t n = 0; n <= 80; n++)
                CHECK(hash_bytes(seed, buf + off, n) == hash_bytes_padded(seed, buf + off, n));
    }
}

/* hash_bytes (util.h), the flow, host and reassembly tables' hash: flows that differ in one port
 * or one address byte spread evenly over the buckets, each input bit changes about half the
 * output bits, and the seed and the length change the result. */
static void test_hash_spread(void)
{
    enum { KEY = 44, NKEYS = 262144, NBUCKETS = 65536 };
    static uint16_t bucket[NBUCKETS];
    const uint64_t seed = 0x5eed5eed12345678ull;
    uint8_t k[KEY];
    /* Clients 10.0.x.y with ports counting up, to one server's port 80: a flow table's keys. */
    for (uint32_t i = 0; i < NKEYS; i++) {
        memset(k, 0, sizeof(k));
        k[0] = 10, k[2] = (uint8_t)(i >> 14), k[3] = (uint8_t)(i >> 6);
        k[16] = 192, k[17] = 168, k[19] = 1;
        uint16_t port = (uint16_t)(40000 + (i & 63));
        memcpy(k + 32, &port, 2);
        k[35] = 80;
        bucket[hash_bytes(seed, k, KEY) & (NBUCKETS - 1)]++;
    }
    double chi = 0;
    unsigned most = 0;
    for (uint32_t b = 0; b < NBUCKETS; b++) {
        double d = bucket[b] - (double)NKEYS / NBUCKETS;
        chi += d * d / ((double)NKEYS / NBUCKETS);
        most = bucket[b] > most ? bucket[b] : most;
    }
    /* Uniform: chi-square near 65,535 (standard deviation 362); a bucket of 4 on average rarely
     * holds 20 (Poisson: about once in 10,000 tables like this one). */
    CHECK(chi < NBUCKETS * 1.05);
    CHECK(most < 20);

    /* Avalanche: 1,000 keys from a fixed generator, each of their 352 bits flipped in turn. */
    uint64_t x = 1, flips = 0, changed = 0, low_same = 0;
    for (int n = 0; n < 1000; n++) {
        for (int j = 0; j < KEY; j++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            k[j] = (uint8_t)(x >> 56);
        }
        uint64_t h = hash_bytes(seed, k, KEY);
        for (int bit = 0; bit < KEY * 8; bit++) {
            k[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            uint64_t g = hash_bytes(seed, k, KEY);
            k[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            changed += (uint64_t)__builtin_popcountll(h ^ g);
            low_same += ((h ^ g) & (NBUCKETS - 1)) == 0;
            flips++;
        }
    }
    double mean = (double)changed / (double)flips;
    CHECK(mean > 31.5 && mean < 32.5);
    CHECK(low_same < 40); /* about 5 expected of 352,000 */

    /* The seed and the length are part of the hash. */
    memset(k, 0, sizeof(k));
    CHECK(hash_bytes(seed, k, KEY) == hash_bytes(seed, k, KEY));
    CHECK(hash_bytes(seed, k, KEY) != hash_bytes(seed + 1, k, KEY));
    for (size_t n = 1; n < KEY; n++)
        CHECK(hash_bytes(seed, k, n) != hash_bytes(seed, k, n - 1));
}

/* hash_bulk (util.h), the TUI store's check that reassembled bytes read again from the file are
 * the ones kept: any one bit flipped anywhere in 1,000 bytes (in any lane, or in the tail past
 * the last 64) changes about half the bits, two 16-byte blocks swapped between lanes change it,
 * and the seed and the length are part of it. */
static void test_hash_bulk(void)
{
    enum { LEN = 1000 };
    const uint64_t seed = 0x70a4e5cbd17a2f3bull;
    static uint8_t buf[LEN];
    uint64_t x = 7;
    for (int i = 0; i < LEN; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        buf[i] = (uint8_t)(x >> 56);
    }
    uint64_t h = hash_bulk(seed, buf, LEN), changed = 0, unchanged = 0;
    CHECK(h == hash_bulk(seed, buf, LEN));
    for (int bit = 0; bit < LEN * 8; bit++) {
        buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        uint64_t g = hash_bulk(seed, buf, LEN);
        buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        changed += (uint64_t)__builtin_popcountll(h ^ g);
        unchanged += g == h;
    }
    CHECK_EQ(unchanged, 0);
    double mean = (double)changed / (LEN * 8);
    CHECK(mean > 31.5 && mean < 32.5);
    uint8_t block[16];
    memcpy(block, buf, 16);
    memcpy(buf, buf + 16, 16);
    memcpy(buf + 16, block, 16);
    CHECK(hash_bulk(seed, buf, LEN) != h);
    CHECK(hash_bulk(seed + 1, buf, LEN) != hash_bulk(seed, buf, LEN));
    memset(buf, 0, sizeof(buf));
    for (size_t n = 1; n <= 200; n++)
        CHECK(hash_bulk(seed, buf, n) != hash_bulk(seed, buf, n - 1));
}

/* Buffers go back to the spares while they fit in the limit, and a spare big enough is taken
 * again before a new buffer is made. */
static void test_bufpool(void)
{
    struct bufpool bp;
    bufpool_init(&bp, 300);
    uint8_t *a = malloc(100), *b = malloc(200), *c = malloc(50);
    struct buf_list l = {0};
    buf_list_add(&l, a, 100);
    buf_list_add(&l, b, 200);
    buf_list_add(&l, c, 50);
    CHECK_EQ(l.n, 3);
    CHECK_EQ(l.bytes, 350);
    bufpool_keep(&bp, &l); /* a and b fill the 300 bytes: c is freed */
    CHECK_EQ(l.n, 0);
    CHECK_EQ(l.bytes, 0);
    CHECK_EQ(bp.spares.n, 2);
    CHECK_EQ(bp.spares.bytes, 300);
    size_t cap = 150;
    CHECK(bufpool_take(&bp, &cap) == b); /* the only one big enough */
    CHECK_EQ(cap, 200);
    CHECK_EQ(bp.spares.bytes, 100);
    cap = 100;
    CHECK(bufpool_take(&bp, &cap) == a);
    CHECK_EQ(cap, 100);
    CHECK_EQ(bp.spares.n, 0);
    cap = 10;
    uint8_t *d = bufpool_take(&bp, &cap); /* none left: a new one of the size asked */
    CHECK(d && d != a && d != b);
    CHECK_EQ(cap, 10);
    buf_list_add(&l, a, 100);
    buf_list_add(&l, b, 200);
    buf_list_add(&l, d, 10);
    bufpool_keep(&bp, &l); /* a and b again; d would pass the limit */
    CHECK_EQ(bp.spares.bytes, 300);
    buf_list_free(&l);
    bufpool_free(&bp);
}

int main(void)
{
    test_reads();
    test_huge_length_never_wraps();
    test_sub();
    test_seek();
    test_at();
    test_peek_bytes();
    test_ipv6_text();
    test_strbuf_bounds();
    test_checksum();
    test_hash_tail();
    test_hash_spread();
    test_hash_bulk();
    test_bufpool();
    return check_done();
}
