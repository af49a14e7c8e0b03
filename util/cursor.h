/*
 * cursor: the only way pktscope reads bytes that somebody else wrote.
 *
 * A cursor is a window [start, end) onto one buffer whose first byte is `base`, read from `off`
 * onwards. Offsets are always absolute from `base` (the start of the frame), so a field's offset
 * is simply `c->off` at the moment it is read, whatever layer is reading it. Reads go forward;
 * cur_seek and cur_at give random access inside the window (DNS compression pointers).
 *
 * Invariants: start <= off <= end <= the buffer's length. Every bounds check is written
 * `n > end - off`, never `p + n <= limit`, which can overflow. A read past `end` returns 0,
 * reads nothing, and sets `truncated`; once truncated, every later read also fails, so a
 * dissector may read a whole header and check `truncated` once (tcpdump's GET_ macros,
 * ND_TTEST_LEN).
 * Byte order is in the function's name: be = network order, le = little endian.
 */
#ifndef PKTSCOPE_UTIL_CURSOR_H
#define PKTSCOPE_UTIL_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cursor {
    const uint8_t *base; /* first byte of the whole buffer (the frame) */
    size_t start;        /* first byte of the window (cur_seek goes no lower), absolute */
    size_t off;          /* next byte to read, absolute */
    size_t end;          /* one past the last readable byte, absolute */
    bool truncated;      /* a read wanted bytes past end */
};

static inline void cur_init(struct cursor *c, const uint8_t *base, size_t len)
{
    c->base = base;
    c->start = 0;
    c->off = 0;
    c->end = len;
    c->truncated = false;
}

static inline size_t cur_left(const struct cursor *c)
{
    return c->end - c->off;
}

/* True when n more bytes can be read (and nothing has failed yet). */
static inline bool cur_has(const struct cursor *c, size_t n)
{
    return !c->truncated && n <= c->end - c->off;
}

/* Marks the cursor truncated when n bytes are not there; returns whether they are. */
static inline bool cur_need(struct cursor *c, size_t n)
{
    if (c->truncated || n > c->end - c->off) {
        c->truncated = true;
        return false;
    }
    return true;
}

static inline uint8_t cur_u8(struct cursor *c)
{
    if (!cur_need(c, 1))
        return 0;
    return c->base[c->off++];
}

static inline uint16_t cur_be16(struct cursor *c)
{
    if (!cur_need(c, 2))
        return 0;
    const uint8_t *p = c->base + c->off;
    c->off += 2;
    return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint16_t cur_le16(struct cursor *c)
{
    if (!cur_need(c, 2))
        return 0;
    const uint8_t *p = c->base + c->off;
    c->off += 2;
    return (uint16_t)((p[1] << 8) | p[0]);
}

static inline uint32_t cur_be24(struct cursor *c)
{
    if (!cur_need(c, 3))
        return 0;
    const uint8_t *p = c->base + c->off;
    c->off += 3;
    return ((uint32_t)p[0] << 16) | ((uint32_t)p[1] << 8) | p[2];
}

static inline uint32_t cur_be32(struct cursor *c)
{
    if (!cur_need(c, 4))
        return 0;
    const uint8_t *p = c->base + c->off;
    c->off += 4;
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline uint32_t cur_le32(struct cursor *c)
{
    if (!cur_need(c, 4))
        return 0;
    const uint8_t *p = c->base + c->off;
    c->off += 4;
    return ((uint32_t)p[3] << 24) | ((uint32_t)p[2] << 16) | ((uint32_t)p[1] << 8) | p[0];
}

static inline uint64_t cur_be64(struct cursor *c)
{
    uint64_t hi = cur_be32(c);
    return (hi << 32) | cur_be32(c);
}

static inline uint64_t cur_le64(struct cursor *c)
{
    uint64_t lo = cur_le32(c);
    return lo | ((uint64_t)cur_le32(c) << 32);
}

/* Returns a pointer to n bytes and advances, or NULL (and truncated) when they are not there. */
static inline const uint8_t *cur_bytes(struct cursor *c, size_t n)
{
    if (!cur_need(c, n))
        return NULL;
    const uint8_t *p = c->base + c->off;
    c->off += n;
    return p;
}

static inline bool cur_skip(struct cursor *c, size_t n)
{
    if (!cur_need(c, n))
        return false;
    c->off += n;
    return true;
}

/*
 * A child cursor over the next n bytes, and the parent advanced past them. When fewer than n
 * bytes are left the child gets what there is and starts out truncated-aware: `*short_out`
 * (if non-NULL) says so, but the child itself is not marked, so the inner layer can still decode
 * the bytes that were captured and report its own truncation where it runs out.
 */
static inline struct cursor cur_sub(struct cursor *c, size_t n, bool *short_out)
{
    struct cursor sub = *c;
    bool is_short = c->truncated || n > c->end - c->off;
    sub.start = c->off;
    if (!is_short)
        sub.end = c->off + n;
    sub.truncated = false;
    c->off = sub.end;
    if (short_out)
        *short_out = is_short;
    return sub;
}

/*
 * Random access: moves to absolute offset `at` inside the window [start, end] (at == end is
 * allowed: nothing left to read). Out of the window, nothing moves and the cursor is truncated.
 */
static inline bool cur_seek(struct cursor *c, size_t at)
{
    if (c->truncated || at < c->start || at > c->end) {
        c->truncated = true;
        return false;
    }
    c->off = at;
    return true;
}

/*
 * A fresh cursor over the same window, positioned at absolute `at` (the parent is not moved, and
 * its truncation is not inherited). Out of the window it comes back truncated, at `end`.
 */
static inline struct cursor cur_at(const struct cursor *c, size_t at)
{
    struct cursor r = *c;
    r.truncated = false;
    if (at < c->start || at > c->end) {
        r.off = c->end;
        r.truncated = true;
    } else {
        r.off = at;
    }
    return r;
}

/* Peek without advancing; 0 (and no state change) when not there. */
static inline uint8_t cur_peek_u8(const struct cursor *c, size_t at)
{
    return (!c->truncated && at < c->end - c->off) ? c->base[c->off + at] : 0;
}

static inline uint16_t cur_peek_be16(const struct cursor *c, size_t at)
{
    if (c->truncated || at > c->end - c->off || 2 > c->end - c->off - at)
        return 0;
    const uint8_t *p = c->base + c->off + at;
    return (uint16_t)((p[0] << 8) | p[1]);
}

/* n bytes at `at` bytes past off, without advancing; NULL (and no state change) when not there. */
static inline const uint8_t *cur_peek_bytes(const struct cursor *c, size_t at, size_t n)
{
    if (c->truncated || at > c->end - c->off || n > c->end - c->off - at)
        return NULL;
    return c->base + c->off + at;
}

#endif
