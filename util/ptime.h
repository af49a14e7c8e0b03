/*
 * ptime: packet timestamps and the arithmetic on them, saturating.
 *
 * A capture file may carry any time: a pcapng timestamp is 64 unsigned bits in units from
 * seconds down to 2^-63 s, plus a signed 64-bit if_tsoffset, so sums, differences and
 * negations of raw times overflow int64 (undefined behaviour in C). One representation for all
 * of pktscope, so that no caller has to think about it again:
 *  - a point in time is (sec, nsec) with nsec in 0..999999999 and sec within
 *    [-PTIME_SEC_MAX, PTIME_SEC_MAX] (about 292 years either side of 1970). Every source clamps
 *    to it with ptime_clamp_sec()/ptime_from_u64(); a time outside it is shown at the bound.
 *  - such a time converts exactly to int64 nanoseconds with ptime_ns();
 *  - spans (differences, durations, offsets) are int64 nanoseconds in [-INT64_MAX, INT64_MAX],
 *    and every sum, difference and negation of times or spans goes through ptime_add(),
 *    ptime_sub() and ptime_neg(), which saturate at those bounds. INT64_MIN is never produced,
 *    so a negation is always defined and a printed span never reads "--9223372036854775808".
 */
#ifndef PKTSCOPE_UTIL_PTIME_H
#define PKTSCOPE_UTIL_PTIME_H

#include <stdbool.h>
#include <stdint.h>

#define PTIME_NS_PER_SEC 1000000000ll
/* The largest |sec| whose nanoseconds (plus up to a second) fit in int64: 9223372035 s. */
#define PTIME_SEC_MAX (INT64_MAX / PTIME_NS_PER_SEC - 1)
#define PTIME_SPAN_MAX INT64_MAX
#define PTIME_SPAN_MIN (-INT64_MAX)

static inline int64_t ptime_clamp_sec(int64_t sec)
{
    return sec > PTIME_SEC_MAX ? PTIME_SEC_MAX : sec < -PTIME_SEC_MAX ? -PTIME_SEC_MAX : sec;
}

/* An unsigned count of seconds (a file's raw field) plus a signed offset (if_tsoffset), exact
 * where the result is representable and clamped where it is not. */
static inline int64_t ptime_from_u64(uint64_t sec, int64_t offset)
{
    const uint64_t max = (uint64_t)PTIME_SEC_MAX;
    if (offset >= 0) {
        if (sec > max || (uint64_t)offset > max || sec + (uint64_t)offset > max)
            return PTIME_SEC_MAX; /* the sum of two values below 2^63 cannot wrap */
        return (int64_t)(sec + (uint64_t)offset);
    }
    uint64_t mag = (uint64_t)(-(offset + 1)) + 1u; /* |offset|, defined for INT64_MIN too */
    if (sec >= mag)
        return sec - mag > max ? PTIME_SEC_MAX : (int64_t)(sec - mag);
    return mag - sec > max ? -PTIME_SEC_MAX : -(int64_t)(mag - sec);
}

static inline int64_t ptime_add(int64_t a, int64_t b)
{
    int64_t r;
    if (__builtin_add_overflow(a, b, &r) || r == INT64_MIN)
        return b > 0 ? PTIME_SPAN_MAX : PTIME_SPAN_MIN;
    return r;
}

static inline int64_t ptime_sub(int64_t a, int64_t b)
{
    int64_t r;
    if (__builtin_sub_overflow(a, b, &r) || r == INT64_MIN)
        return a > b ? PTIME_SPAN_MAX : PTIME_SPAN_MIN;
    return r;
}

static inline int64_t ptime_neg(int64_t a)
{
    return a == INT64_MIN ? PTIME_SPAN_MAX : -a;
}

/* (sec, nsec) in nanoseconds since the epoch; sec is clamped first, so this never overflows. */
static inline int64_t ptime_ns(int64_t sec, uint32_t nsec)
{
    return ptime_clamp_sec(sec) * PTIME_NS_PER_SEC + (int64_t)(nsec % 1000000000u);
}

/* b - a in nanoseconds, saturated: the span from time a to time b. */
static inline int64_t ptime_diff(int64_t b_sec, uint32_t b_nsec, int64_t a_sec, uint32_t a_nsec)
{
    return ptime_sub(ptime_ns(b_sec, b_nsec), ptime_ns(a_sec, a_nsec));
}

/* A span split for printing: sign, whole seconds and nanoseconds of its magnitude. */
static inline void ptime_split(int64_t span, bool *neg, uint64_t *sec, uint32_t *nsec)
{
    *neg = span < 0;
    uint64_t m = span < 0 ? (uint64_t)ptime_neg(span) : (uint64_t)span;
    *sec = m / 1000000000u;
    *nsec = (uint32_t)(m % 1000000000u);
}

#endif
