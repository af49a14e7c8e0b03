/*
 * The BER reader of ber.h (ITU-T X.690): bounded by the cursor's window and by the caller's
 * declared limit, no recursion (ber_walk keeps its own bounded stack).
 */
#include "dissect/ber.h"

#include <stdio.h>

enum ber_err ber_read_tlv(struct cursor *c, size_t limit, struct ber_tlv *t)
{
    t->start = c->off;
    if (!cur_has(c, 1))
        return BER_SHORT;
    uint8_t id = cur_u8(c);
    t->cls = (uint8_t)(id >> 6);
    t->constructed = (id & 0x20) != 0;
    t->tag = id & 0x1f;
    if (t->tag == 0x1f) {
        /* High tag number form (X.690 8.1.2.4): base-128, at most 4 octets (28 bits). */
        uint32_t tag = 0;
        for (unsigned i = 0;; i++) {
            if (!cur_has(c, 1))
                return BER_SHORT;
            if (i == 4)
                return BER_BAD_TAG;
            uint8_t b = cur_u8(c);
            tag = (tag << 7) | (b & 0x7f);
            if (!(b & 0x80))
                break;
        }
        t->tag = tag;
    }
    if (!cur_has(c, 1))
        return BER_SHORT;
    uint8_t l = cur_u8(c);
    size_t len = l;
    if (l == 0x80)
        return BER_BAD_LENGTH; /* indefinite form: RFC 3417 8 forbids it for SNMP */
    if (l & 0x80) {
        unsigned n = l & 0x7f;
        if (n > 4)
            return BER_BAD_LENGTH;
        if (!cur_has(c, n))
            return BER_SHORT;
        len = 0;
        for (unsigned i = 0; i < n; i++)
            len = (len << 8) | cur_u8(c);
    }
    t->off = c->off;
    t->len = len;
    if (c->off > limit || len > limit - c->off)
        return BER_PAST_PARENT;
    return BER_OK;
}

enum ber_err ber_int64(const uint8_t *p, size_t n, int64_t *out)
{
    *out = 0;
    if (n == 0 || n > 8)
        return BER_BAD_INTEGER;
    uint64_t v = (p[0] & 0x80) ? UINT64_MAX : 0; /* sign extension */
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | p[i];
    *out = (int64_t)v;
    return BER_OK;
}

enum ber_err ber_uint64(const uint8_t *p, size_t n, uint64_t *out)
{
    *out = 0;
    if (n == 0 || n > 9 || (n == 9 && p[0] != 0))
        return BER_BAD_INTEGER;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | p[i];
    *out = v;
    return BER_OK;
}

/* Appends ".v" (or "v" first) to out[*len]; stops (leaving *len at size - 1) when full. */
static void oid_put(char *out, size_t size, size_t *len, uint64_t v, bool dot)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof(tmp), "%s%llu", dot ? "." : "", (unsigned long long)v);
    for (int i = 0; i < n && *len + 1 < size; i++)
        out[(*len)++] = tmp[i];
    out[*len] = '\0';
}

enum ber_err ber_oid_text(const uint8_t *p, size_t n, char *out, size_t size, size_t *len)
{
    *len = 0;
    if (size == 0)
        return BER_BAD_OID;
    out[0] = '\0';
    if (n == 0)
        return BER_BAD_OID;
    bool first = true;
    size_t i = 0;
    while (i < n) {
        uint64_t v = 0;
        bool done = false;
        while (i < n) {
            uint8_t b = p[i++];
            if (v > (UINT64_MAX >> 7))
                return BER_OID_OVERFLOW; /* the next 7 bits would push bits out of the top */
            v = (v << 7) | (b & 0x7f);
            if (!(b & 0x80)) {
                done = true;
                break;
            }
        }
        if (!done)
            return BER_BAD_OID;
        if (first) {
            /* X.690 8.19.4: the first subidentifier is 40 * arc1 + arc2, arc1 in 0..2 */
            uint64_t a1 = v < 40 ? 0 : v < 80 ? 1 : 2;
            oid_put(out, size, len, a1, false);
            oid_put(out, size, len, v - 40 * a1, true);
            first = false;
        } else {
            oid_put(out, size, len, v, true);
        }
    }
    return BER_OK;
}

enum ber_err ber_walk(struct cursor *c, size_t limit, size_t *at)
{
    size_t ends[BER_MAX_DEPTH + 1];
    unsigned depth = 0;
    ends[0] = limit;
    for (;;) {
        /* Close every element whose end has been reached. */
        while (depth > 0 && c->off >= ends[depth])
            depth--;
        if (c->off >= ends[depth])
            return BER_OK;
        if (c->off >= c->end) {
            *at = c->off;
            return BER_SHORT;
        }
        struct ber_tlv t;
        *at = c->off;
        enum ber_err e = ber_read_tlv(c, ends[depth], &t);
        if (e != BER_OK)
            return e;
        if (t.constructed) {
            if (depth == BER_MAX_DEPTH)
                return BER_TOO_DEEP;
            ends[++depth] = t.off + t.len;
            continue;
        }
        /* Each element advances: its header took at least 2 octets. */
        if (t.len > cur_left(c)) {
            *at = c->end;
            c->off = c->end;
            return BER_SHORT;
        }
        cur_skip(c, t.len);
    }
}
