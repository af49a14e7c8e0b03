/*
 * bitset: a growable set of small non-negative integers (stream numbers), one bit each. Grows
 * geometrically, so marking numbers in increasing order costs a reallocation per thousands.
 */
#ifndef PKTSCOPE_UTIL_BITSET_H
#define PKTSCOPE_UTIL_BITSET_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

struct bitset {
    uint8_t *bits;
    size_t cap; /* bytes */
};

static inline bool bitset_test(const struct bitset *s, uint32_t id)
{
    size_t byte = id / 8u;
    return byte < s->cap && (s->bits[byte] & (1u << (id % 8u)));
}

static inline void bitset_set(struct bitset *s, uint32_t id)
{
    size_t byte = id / 8u;
    if (byte >= s->cap) {
        size_t old = s->cap;
        s->bits = xgrow(s->bits, &s->cap, byte + 1, 1);
        memset(s->bits + old, 0, s->cap - old);
    }
    s->bits[byte] |= (uint8_t)(1u << (id % 8u));
}

static inline void bitset_clear(struct bitset *s, uint32_t id)
{
    size_t byte = id / 8u;
    if (byte < s->cap)
        s->bits[byte] &= (uint8_t) ~(1u << (id % 8u));
}

static inline void bitset_release(struct bitset *s)
{
    free(s->bits);
    s->bits = NULL;
    s->cap = 0;
}

#endif
