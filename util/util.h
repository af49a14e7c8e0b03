/*
 * util: small pieces every other folder uses. No I/O beyond the error buffer convention.
 *
 * Errors: functions return 0 or a negative value; human text goes into a caller-supplied
 * buffer of PS_ERRBUF_SIZE bytes (libpcap's errbuf habit). No static return buffers.
 */
#ifndef PKTSCOPE_UTIL_UTIL_H
#define PKTSCOPE_UTIL_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define PS_ERRBUF_SIZE 512
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Exit statuses (DESIGN.md). */
enum ps_exit {
    PS_EXIT_OK = 0,      /* success */
    PS_EXIT_DAMAGED = 1, /* input was damaged; everything readable was still processed */
    PS_EXIT_USAGE = 2,   /* usage or open error */
};

/* Writes printf-style text into errbuf (always NUL-terminated) and returns -1. */
int ps_err(char *errbuf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Allocation that ends the program with a message on failure: callers never see NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/*
 * n bytes for bulk data that is filled soon after (reassembly's messages and the frame copy they
 * are appended to); free() lets it go. From 2 MiB up the buffer is aligned to 2 MiB and marked
 * MADV_HUGEPAGE, so that where the kernel keeps transparent huge pages for those who ask
 * (Debian's default, "madvise") filling it takes a page fault every 2 MiB, not every 4 KiB.
 */
void *xmalloc_bulk(size_t n);
/* Grows an array of *cap elements of `size` bytes to hold at least `need`; doubles. */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
/* Writes n bytes at p to f's descriptor with write(2), after flushing what f's stdio buffer
 * holds (so the order is kept), without stdio's copy of every byte: the --json writers' way
 * (several KB a packet). Returns 0 or the errno (EIO for a write of nothing). */
int write_after_stdio(FILE *f, const void *p, size_t n);

/* Parses a whole decimal number in [min, max]; 0 on success, -1 otherwise. Replaces atoi. */
int parse_ulong(const char *s, unsigned long min, unsigned long max, unsigned long *out);

/* The value of a hexadecimal digit (0-9, a-f, A-F), or -1. */
int hex_digit(int c);

/* The length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF) with its code point in *cp, or 0 when the n bytes there
 * do not start one. */
size_t utf8_seq_len(const uint8_t *p, size_t n, uint32_t *cp);

/* Token-value tables (tcpdump's struct tok): const arrays ending in { 0, NULL }. */
struct tok {
    uint32_t value;
    const char *name;
};
/* The name for value, or NULL when the table has none. */
const char *tok_name(const struct tok *table, uint32_t value);

/* The one hash pktscope uses (flow buckets, connection uids): the splitmix64 finaliser, cheap and
 * spreading every input bit over the output. Callers that face attackers add a random seed. */
static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

/* The 128-bit product of a and b folded to 64 bits (its high half xor its low half): every bit
 * of both operands reaches every bit of the result, in one multiplication. */
static inline uint64_t fold_mul(uint64_t a, uint64_t b)
{
    unsigned __int128 p = (unsigned __int128)a * b;
    return (uint64_t)p ^ (uint64_t)(p >> 64);
}

/* A hash of the n bytes at p (a key fully initialised, padding included), keyed by seed: 16
 * bytes at a time, each pair of words multiplied against each other with the running hash and
 * the seed mixed in, the last block padded with zeros, the length in the start value and a last
 * multiplication to spread the result. Byte-at-a-time FNV-1a was a sixth of the TUI's indexing
 * time in the hosts table alone; then mix64 over 8-byte words (six serial rounds of two
 * multiplications for a flow's 44-byte key) was 4 % of --stats. A key that would send the
 * product to zero must know the seed: a capture cannot aim at a bucket without it. */
#define HASH_K1 0xa0761d6478bd642full
#define HASH_K2 0xe7037ed1a0b428dbull
#define HASH_K3 0x8ebc6af09c88c6e3ull
static inline uint64_t hash_bytes(uint64_t seed, const void *p, size_t n)
{
    const uint8_t *b = p;
    uint64_t h = seed ^ ((uint64_t)n * HASH_K3), lo, hi;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        memcpy(&lo, b + i, 8);
        memcpy(&hi, b + i + 8, 8);
        h = fold_mul(lo ^ h ^ HASH_K1, hi ^ seed ^ HASH_K2);
    }
    if (i < n) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        if (n >= 16) {
            /* The key's last 16 bytes loaded whole and shifted down past the ones hashed
             * already: the same block as the zero-padded copy below, without its trip through
             * memory (wider loads of a block just stored in parts stall store-to-load
             * forwarding, where perf's samples in the hosts table's lookups piled up). */
            uint64_t a, z;
            memcpy(&a, b + n - 16, 8);
            memcpy(&z, b + n - 8, 8);
            unsigned __int128 v = ((unsigned __int128)z << 64 | a) >> (8 * (16 - (n - i)));
            lo = (uint64_t)v;
            hi = (uint64_t)(v >> 64);
            return fold_mul(fold_mul(lo ^ h ^ HASH_K1, hi ^ seed ^ HASH_K2) ^ HASH_K2,
                            seed ^ HASH_K3);
        }
#endif
        uint8_t last[16] = {0};
        memcpy(last, b + i, n - i);
        memcpy(&lo, last, 8);
        memcpy(&hi, last + 8, 8);
        h = fold_mul(lo ^ h ^ HASH_K1, hi ^ seed ^ HASH_K2);
    }
    return fold_mul(h ^ HASH_K2, seed ^ HASH_K3);
}

/*
 * A hash of a long run of bytes (kilobytes: the reassembled bytes the TUI's store keeps only a
 * hash of), keyed by seed: hash_bytes' step on four 16-byte lanes at once, so that the four
 * multiplications of each 64 bytes overlap instead of each waiting for the one before (a
 * verification of an indexed capture's reassembled bytes was 12 % of the TUI's display filter,
 * perf); the lanes folded together, then the last bytes and the length by hash_bytes. Not the
 * same values as hash_bytes.
 */
static inline uint64_t hash_bulk_step(uint64_t h, uint64_t seed, const uint8_t *b)
{
    uint64_t lo, hi;
    memcpy(&lo, b, 8);
    memcpy(&hi, b + 8, 8);
    return fold_mul(lo ^ h ^ HASH_K1, hi ^ seed ^ HASH_K2);
}
static inline uint64_t hash_bulk(uint64_t seed, const void *p, size_t n)
{
    const uint8_t *b = p;
    /* Four named lanes, not an array: GCC kept an array's lanes on the stack. */
    uint64_t l0 = seed ^ HASH_K1, l1 = seed ^ HASH_K2, l2 = seed ^ HASH_K3, l3 = ~seed;
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        l0 = hash_bulk_step(l0, seed, b + i);
        l1 = hash_bulk_step(l1, seed, b + i + 16);
        l2 = hash_bulk_step(l2, seed, b + i + 32);
        l3 = hash_bulk_step(l3, seed, b + i + 48);
    }
    uint64_t folded = fold_mul(l0 ^ HASH_K1, l1 ^ HASH_K2) ^ fold_mul(l2 ^ HASH_K3, l3 ^ seed);
    return hash_bytes(folded, b + i, n - i) ^ (uint64_t)n;
}

/* 10^0 to 10^19: every power of ten a uint64_t holds. */
extern const uint64_t pow10_u64[20];

/* A seed for hash_bytes: not secret, only unpredictable to whoever wrote the capture, so that
 * crafted traffic cannot aim at one bucket. */
uint64_t hash_seed(void);

/* The Internet checksum (RFC 1071) accumulator: add buffers, then fold. */
uint32_t inet_csum_add(uint32_t sum, const uint8_t *p, size_t len);
uint16_t inet_csum_fold(uint32_t sum);

/* Clears a small struct of n bytes (n known at compile time) with vector stores. gcc clears one
 * of more than 64 bytes with `rep stos`, whose start-up perf put 3 % of --stats on when it
 * cleared each frame's summary (164 bytes); memsets of 64 bytes at most it writes out. */
static inline void clear_small(void *p, size_t n)
{
    char *b = p;
    for (; n > 64; b += 64, n -= 64)
        memset(b, 0, 64);
    memset(b, 0, n);
}

/* Asks for the cache lines of [p, p + n) ahead of their use: for bytes another thread wrote,
 * which this core would otherwise fetch one miss at a time. The empty asm keeps the loop:
 * compilers delete a loop whose body is only __builtin_prefetch, which they treat as having no
 * effect. */
static inline void prefetch_bytes(const void *p, size_t n)
{
    for (size_t o = 0; o < n; o += 64) {
        __builtin_prefetch((const char *)p + o, 0, 3);
        __asm__ volatile("");
    }
}

#endif
