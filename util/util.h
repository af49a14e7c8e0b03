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
/* Grows an array of *cap elements of `size` bytes to hold at least `need`; doubles. */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);

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

/* A hash of the n bytes at p (a key fully initialised, padding included), keyed by seed: mix64
 * over them 8 at a time, the last word padded with zeros, and over n. Byte-at-a-time FNV-1a was
 * a sixth of the TUI's indexing time in the hosts table alone. */
static inline uint64_t hash_bytes(uint64_t seed, const void *p, size_t n)
{
    const uint8_t *b = p;
    uint64_t h = seed ^ n, w;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&w, b + i, 8);
        h = mix64(h ^ w);
    }
    if (i < n) {
        w = 0;
        memcpy(&w, b + i, n - i);
        h = mix64(h ^ w);
    }
    return h;
}

/* A seed for hash_bytes: not secret, only unpredictable to whoever wrote the capture, so that
 * crafted traffic cannot aim at one bucket. */
uint64_t hash_seed(void);

/* The Internet checksum (RFC 1071) accumulator: add buffers, then fold. */
uint32_t inet_csum_add(uint32_t sum, const uint8_t *p, size_t len);
uint16_t inet_csum_fold(uint32_t sum);

#endif
