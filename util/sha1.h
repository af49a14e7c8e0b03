/*
 * sha1: SHA-1 as FIPS 180-4 section 6.1 defines it, for the Community ID (track/community_id.h),
 * whose version 1 is a SHA-1 digest. Not for secrets: SHA-1 is broken for collision resistance,
 * and the Community ID only needs a fixed, public, well-spread function.
 *
 * Streaming: sha1_init, any number of sha1_update calls, sha1_final. No allocation.
 */
#ifndef PKTSCOPE_UTIL_SHA1_H
#define PKTSCOPE_UTIL_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_DIGEST_LEN 20

struct sha1 {
    uint32_t h[5];
    uint64_t len; /* bytes hashed so far */
    uint8_t block[64];
    size_t nblock; /* bytes waiting in block */
};

void sha1_init(struct sha1 *s);
void sha1_update(struct sha1 *s, const void *data, size_t n);
void sha1_final(struct sha1 *s, uint8_t digest[SHA1_DIGEST_LEN]);

/* Base64 (RFC 4648 section 4, with padding) of n bytes into out, NUL-terminated; out needs
 * 4 * ((n + 2) / 3) + 1 bytes. */
void base64_encode(const uint8_t *in, size_t n, char *out);

#endif
