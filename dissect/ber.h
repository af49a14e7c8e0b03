/*
 * ber: a small, strictly bounded reader of ASN.1 BER (ITU-T X.690 8.1-8.3, 8.19), enough for
 * SNMP (RFC 1157, RFC 3416, RFC 3412): identifier and length octets, INTEGERs, OBJECT
 * IDENTIFIERs as dotted text, and a walk over nested constructed elements with a depth cap.
 *
 * Every read goes through a cursor (util/cursor.h). The caller passes `limit`, the declared end
 * of the enclosing element (which may lie past the captured bytes, c->end): a length that runs
 * past its parent's end is malformed (BER_PAST_PARENT), a length that only runs past the
 * captured bytes is truncation (the caller sees it when it reads the contents). Nothing
 * allocates; integers never overflow silently; OID arcs wider than 64 bits are an error, not a
 * wrapped number.
 */
#ifndef PKTSCOPE_DISSECT_BER_H
#define PKTSCOPE_DISSECT_BER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/cursor.h"

enum ber_class { BER_UNIVERSAL = 0, BER_APPLICATION = 1, BER_CONTEXT = 2, BER_PRIVATE = 3 };

/* Universal tags (X.680 8.4) that SNMP uses. */
enum {
    BER_TAG_INTEGER = 2,
    BER_TAG_OCTET_STRING = 4,
    BER_TAG_NULL = 5,
    BER_TAG_OID = 6,
    BER_TAG_SEQUENCE = 16,
};

#define BER_MAX_DEPTH 16 /* nesting followed by ber_walk(); deeper is BER_TOO_DEEP */

enum ber_err {
    BER_OK = 0,
    BER_SHORT,        /* the captured bytes end inside the identifier or length octets */
    BER_PAST_PARENT,  /* the contents would end after the enclosing element's declared end */
    BER_BAD_LENGTH,   /* indefinite length (not allowed in SNMP) or more than 4 length octets */
    BER_BAD_TAG,      /* a high tag number of more than 4 octets (28 bits) */
    BER_TOO_DEEP,     /* ber_walk(): more than BER_MAX_DEPTH nested constructed elements */
    BER_BAD_INTEGER,  /* zero-length, or too wide for 64 bits */
    BER_BAD_OID,      /* empty, or its last subidentifier is cut (continuation bit set) */
    BER_OID_OVERFLOW, /* a subidentifier does not fit in 64 bits */
};

struct ber_tlv {
    uint8_t cls; /* enum ber_class */
    bool constructed;
    uint32_t tag;
    size_t start; /* offset of the identifier octet */
    size_t off;   /* offset of the contents */
    size_t len;   /* declared length of the contents */
};

/* Reads the identifier and length at c->off; on BER_OK c stands at the contents. `limit` is the
 * declared end of the enclosing element. On an error c's position is unspecified. */
enum ber_err ber_read_tlv(struct cursor *c, size_t limit, struct ber_tlv *t);

/* A two's-complement INTEGER of 1..8 octets. */
enum ber_err ber_int64(const uint8_t *p, size_t n, int64_t *out);
/* A non-negative value of 1..9 octets (9 only with a leading zero octet), read as unsigned: the
 * SNMP application types Counter32, Gauge32, TimeTicks and Counter64 (RFC 2578 7.1). */
enum ber_err ber_uint64(const uint8_t *p, size_t n, uint64_t *out);

/*
 * An OBJECT IDENTIFIER's contents as dotted decimal text ("1.3.6.1.2.1.1.1.0"; the first
 * subidentifier splits into two arcs, X.690 8.19.4). Writes at most size - 1 characters and a
 * NUL into `out` and the text's length into *len. On BER_OID_OVERFLOW or BER_BAD_OID, `out` holds
 * the arcs decoded before the bad one (possibly none). A text longer than `size` is cut (and
 * *len says so: *len == size - 1).
 */
enum ber_err ber_oid_text(const uint8_t *p, size_t n, char *out, size_t size, size_t *len);

/* Checks the elements in [c->off, limit) and every constructed element inside them, down to
 * BER_MAX_DEPTH levels; c ends at the end of what was read. *at is where a problem is. Stops at
 * the captured end with BER_SHORT when limit lies past it. */
enum ber_err ber_walk(struct cursor *c, size_t limit, size_t *at);

#endif
