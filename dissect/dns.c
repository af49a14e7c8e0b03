/*
 * DNS (RFC 1035; over TCP with the 2-byte length prefix of RFC 1035 4.2.2 and RFC 7766),
 * also in the variants that share its format: mDNS (RFC 6762: the top bit of a question's class
 * is "QU", of a record's class "cache flush") and LLMNR (RFC 4795: different header flags).
 *
 * Decoded: header, flags, counts, questions, and resource records of the three sections (name,
 * type, class, TTL, data length; A, AAAA, CNAME, NS, PTR, MX, TXT, SOA (RFC 1035 3.3) and SRV
 * (RFC 2782) data; EDNS0 OPT pseudo-records as
 * RFC 6891 lays them out; other data as bytes). Names follow compression pointers with a hop
 * cap, and stop at RFC 1035's 255-byte limit, so a pointer loop ends with dns.bad_name.
 * Names are shown as Wireshark shows them: labels joined by dots, the root as "<Root>".
 */
#include "dissect/internal.h"

#include <string.h>

enum {
    DNS_HDR = 12,
    DNS_MAX_NAME = 255, /* RFC 1035 2.3.4: octets on the wire, length bytes included */
    DNS_MAX_HOPS = 64,  /* compression pointers followed in one name */
    DNS_TYPE_A = 1,
    DNS_TYPE_NS = 2,
    DNS_TYPE_CNAME = 5,
    DNS_TYPE_SOA = 6,
    DNS_TYPE_PTR = 12,
    DNS_TYPE_MX = 15,
    DNS_TYPE_TXT = 16,
    DNS_TYPE_SRV = 33,
    DNS_TYPE_AAAA = 28,
    DNS_TYPE_OPT = 41,
    DNS_F_RESPONSE = 0x8000,
    DNS_F_AD = 0x0020,
    MDNS_CLASS_TOP = 0x8000, /* QU in questions, cache flush in records */
};

/* What went wrong while reading a name: ran out of captured bytes, or a malformed name. */
enum dns_err { DNS_OK = 0, DNS_ERR_SHORT, DNS_ERR_BAD };

/*
 * The message being read. Every byte is read through `c`, whose window is the captured part of
 * the message: it starts at the first byte of the DNS header (compression pointers count from
 * there) and ends where the capture or the declared length does, whichever is first. Offsets
 * are absolute in the frame, as everywhere in the model.
 */
struct dns_msg {
    struct dissection *d;
    struct cursor c;
    size_t decl_end; /* end of the message as declared (UDP length or TCP length prefix) */
    enum proto_id proto;
};

struct dns_name {
    char text[DNS_MAX_NAME + 8];
    size_t text_len;
    size_t wire_len; /* bytes at the name's own position (up to the first pointer, included) */
    unsigned labels;
};

/*
 * Reads the name at `off`. Always ends: each label makes the wire length grow (capped at 255),
 * and pointer hops are capped, so neither label cycles nor pointer-only cycles can loop. Bytes
 * missing from the capture are DNS_ERR_SHORT; bytes missing from the declared message, a
 * pointer past it and unknown label types are DNS_ERR_BAD.
 */
static enum dns_err dns_read_name(const struct dns_msg *m, size_t off, struct dns_name *n,
                                  size_t *bad_at)
{
    struct cursor r = cur_at(&m->c, off);
    size_t wire = 1; /* the terminating root label */
    unsigned hops = 0;
    bool jumped = false;

    n->text_len = 0;
    n->wire_len = 0;
    n->labels = 0;
    if (r.truncated) {
        *bad_at = off;
        return off >= m->decl_end ? DNS_ERR_BAD : DNS_ERR_SHORT;
    }
    for (;;) {
        size_t pos = r.off;
        if (cur_left(&r) == 0) {
            *bad_at = pos;
            return pos >= m->decl_end ? DNS_ERR_BAD : DNS_ERR_SHORT;
        }
        uint8_t b = cur_peek_u8(&r, 0);
        if (b == 0) {
            if (!jumped)
                n->wire_len = pos + 1 - off;
            break;
        }
        if ((b & 0xc0) == 0xc0) {
            uint16_t ptr = cur_be16(&r);
            if (r.truncated) {
                *bad_at = pos;
                return m->decl_end - pos < 2 ? DNS_ERR_BAD : DNS_ERR_SHORT;
            }
            size_t target = m->c.start + (ptr & 0x3fff);
            if (!jumped)
                n->wire_len = pos + 2 - off;
            jumped = true;
            if (++hops > DNS_MAX_HOPS || target >= m->decl_end) {
                *bad_at = pos;
                return DNS_ERR_BAD;
            }
            if (!cur_seek(&r, target)) {
                /* Inside the declared message, past what was captured. */
                *bad_at = target;
                return DNS_ERR_SHORT;
            }
            continue;
        }
        if (b & 0xc0) {
            /* 0x40 and 0x80: extended and binary labels (RFC 6891, RFC 6672), not used. */
            *bad_at = pos;
            return DNS_ERR_BAD;
        }
        wire += (size_t)b + 1;
        if (wire > DNS_MAX_NAME) {
            *bad_at = pos;
            return DNS_ERR_BAD;
        }
        const uint8_t *label = cur_peek_bytes(&r, 1, b);
        if (!label) {
            *bad_at = pos;
            return m->decl_end - pos - 1 < b ? DNS_ERR_BAD : DNS_ERR_SHORT;
        }
        if (n->text_len)
            n->text[n->text_len++] = '.';
        memcpy(n->text + n->text_len, label, b);
        n->text_len += b;
        n->labels++;
        cur_skip(&r, (size_t)b + 1);
    }
    if (n->labels == 0) {
        memcpy(n->text, "<Root>", 6);
        n->text_len = 6;
    }
    return DNS_OK;
}

/* Records a name error: truncation when the capture ran out, else a malformed name. */
static void dns_name_error(const struct dns_msg *m, enum dns_err e, size_t at)
{
    if (e == DNS_ERR_SHORT) {
        dis_layer_status(m->d, m->c.end < m->decl_end ? LAYER_TRUNCATED : LAYER_MALFORMED);
        dis_anomaly(m->d, ANOM_DNS_TRUNCATED, at);
    } else {
        dis_layer_status(m->d, LAYER_MALFORMED);
        dis_anomaly(m->d, ANOM_DNS_BAD_NAME, at);
    }
}

static void dns_short(const struct dns_msg *m, size_t at)
{
    dns_name_error(m, DNS_ERR_SHORT, at);
}

static void dns_bad_rdata(const struct dns_msg *m, size_t at)
{
    dis_layer_status(m->d, LAYER_MALFORMED);
    dis_anomaly(m->d, ANOM_DNS_BAD_RDATA, at);
}

/* A name inside record data (CNAME, NS, PTR): may point anywhere earlier in the message. */
static void dns_rdata_name(const struct dns_msg *m, enum field_id id, const struct cursor *rd)
{
    struct dns_name n;
    size_t bad_at = rd->off;
    enum dns_err e = dns_read_name(m, rd->off, &n, &bad_at);
    if (e != DNS_OK) {
        dns_name_error(m, e, bad_at);
        return;
    }
    dis_field_string_as(m->d, rd, id, n.text, n.text_len);
}

/*
 * A name inside record data at rd->off, which moves past the name's own bytes. False (with the
 * error recorded) when the name is bad or leaves the record data.
 */
static bool dns_rdata_name_at(const struct dns_msg *m, enum field_id id, struct cursor *rd)
{
    struct dns_name n;
    size_t off = rd->off;
    size_t bad_at = off;
    enum dns_err e = cur_left(rd) > 0 ? dns_read_name(m, off, &n, &bad_at) : DNS_ERR_BAD;
    if (e == DNS_OK && n.wire_len > cur_left(rd))
        e = DNS_ERR_BAD;
    if (e != DNS_OK) {
        dns_name_error(m, e, bad_at);
        return false;
    }
    /* the field covers the name's own bytes (n.wire_len of them, all in rd) */
    struct cursor wire = cur_sub(rd, n.wire_len, NULL);
    dis_field_string_as(m->d, &wire, id, n.text, n.text_len);
    return true;
}

/* MX (RFC 1035 3.3.9): preference, then the exchange's name. */
static void dns_rdata_mx(const struct dns_msg *m, struct cursor *rd)
{
    if (cur_left(rd) < 3) {
        dis_field_skip(m->d, rd, FID_DNS_RDATA, cur_left(rd));
        return;
    }
    dis_field_be16(m->d, rd, FID_DNS_MX_PREFERENCE);
    dns_rdata_name_at(m, FID_DNS_MX_MAIL_EXCHANGE, rd);
}

/* TXT (RFC 1035 3.3.14): one or more length-prefixed strings; each advances by >= 1 byte. */
static void dns_rdata_txt(const struct dns_msg *m, struct cursor *rd)
{
    while (cur_left(rd) > 0) {
        size_t pos = rd->off;
        size_t n = cur_peek_u8(rd, 0);
        if (!cur_peek_bytes(rd, 1, n)) {
            dns_bad_rdata(m, pos);
            return;
        }
        dis_field_u8(m->d, rd, FID_DNS_TXT_LENGTH);
        dis_field_string(m->d, rd, FID_DNS_TXT, n);
    }
}

/* SOA (RFC 1035 3.3.13): two names, then five 32-bit numbers. */
static void dns_rdata_soa(const struct dns_msg *m, struct cursor *rd)
{
    static const enum field_id nums[5] = {FID_DNS_SOA_SERIAL_NUMBER, FID_DNS_SOA_REFRESH_INTERVAL,
                                          FID_DNS_SOA_RETRY_INTERVAL, FID_DNS_SOA_EXPIRE_LIMIT,
                                          FID_DNS_SOA_MINIMUM_TTL};
    if (!dns_rdata_name_at(m, FID_DNS_SOA_MNAME, rd) ||
        !dns_rdata_name_at(m, FID_DNS_SOA_RNAME, rd))
        return;
    if (cur_left(rd) < 20) {
        dns_bad_rdata(m, rd->off);
        return;
    }
    for (size_t i = 0; i < 5; i++)
        dis_field_be32(m->d, rd, nums[i]);
}

/* SRV (RFC 2782): priority, weight, port, then the target's name. */
static void dns_rdata_srv(const struct dns_msg *m, struct cursor *rd)
{
    if (cur_left(rd) < 7) {
        dis_field_skip(m->d, rd, FID_DNS_RDATA, cur_left(rd));
        return;
    }
    dis_field_be16(m->d, rd, FID_DNS_SRV_PRIORITY);
    dis_field_be16(m->d, rd, FID_DNS_SRV_WEIGHT);
    dis_field_be16(m->d, rd, FID_DNS_SRV_PORT);
    dns_rdata_name_at(m, FID_DNS_SRV_TARGET, rd);
}

/* The owner name of a question or record at r->off, recorded as `id`; r moves past it. */
static bool dns_owner_name(const struct dns_msg *m, struct cursor *r, enum field_id id,
                           struct dns_name *n)
{
    size_t bad_at = r->off;
    enum dns_err e = dns_read_name(m, r->off, n, &bad_at);
    if (e != DNS_OK) {
        dns_name_error(m, e, bad_at);
        return false;
    }
    /* the field covers the name's own bytes: dns_read_name found them all in m->c, r's window */
    struct cursor wire = cur_sub(r, n->wire_len, NULL);
    dis_field_string_as(m->d, &wire, id, n->text, n->text_len);
    return true;
}

/* One question at r->off; false when the message ends before it does. */
static bool dns_question(const struct dns_msg *m, struct cursor *r)
{
    struct dissection *d = m->d;
    struct dns_name n;
    const struct cursor name_at = *r; /* the computed length and label count sit here */
    if (!dns_owner_name(m, r, FID_DNS_QRY_NAME, &n))
        return false;
    dis_field_mark(d, &name_at, FID_DNS_QRY_NAME_LEN, n.text_len);
    dis_field_mark(d, &name_at, FID_DNS_COUNT_LABELS, n.labels);
    if (!cur_has(r, 4)) {
        dns_short(m, r->off);
        return false;
    }
    dis_field_be16(d, r, FID_DNS_QRY_TYPE);
    if (m->proto == PROTO_MDNS) {
        uint32_t qclass;
        struct field *cl = dis_field_word(d, r, FID_DNS_QRY_CLASS, 2, &qclass);
        dis_field_set(cl, qclass & ~MDNS_CLASS_TOP);
        dis_subfield(d, cl, FID_DNS_QRY_QU, (qclass & MDNS_CLASS_TOP) != 0);
    } else {
        dis_field_be16(d, r, FID_DNS_QRY_CLASS);
    }
    return true;
}

/* One resource record at r->off; false when the message ends before it does. */
static bool dns_rr(const struct dns_msg *m, struct cursor *r)
{
    struct dissection *d = m->d;
    struct dns_name n;
    if (!dns_owner_name(m, r, FID_DNS_RESP_NAME, &n))
        return false;
    if (!cur_has(r, 10)) {
        dns_short(m, r->off);
        return false;
    }
    uint16_t type = dis_field_be16(d, r, FID_DNS_RESP_TYPE);
    if (type == DNS_TYPE_OPT) {
        /* RFC 6891 6.1.2: class is the UDP payload size, TTL holds extended RCODE and flags. */
        dis_field_be16(d, r, FID_DNS_RR_UDP_PAYLOAD_SIZE);
        dis_field_u8(d, r, FID_DNS_RESP_EXT_RCODE);
        dis_field_u8(d, r, FID_DNS_RESP_EDNS0_VERSION);
        dis_field_be16(d, r, FID_DNS_RESP_Z);
    } else if (m->proto == PROTO_MDNS) {
        uint32_t rclass;
        struct field *cl = dis_field_word(d, r, FID_DNS_RESP_CLASS, 2, &rclass);
        dis_field_set(cl, rclass & ~MDNS_CLASS_TOP);
        dis_subfield(d, cl, FID_DNS_RESP_CACHE_FLUSH, (rclass & MDNS_CLASS_TOP) != 0);
        dis_field_be32(d, r, FID_DNS_RESP_TTL);
    } else {
        dis_field_be16(d, r, FID_DNS_RESP_CLASS);
        dis_field_be32(d, r, FID_DNS_RESP_TTL);
    }
    uint16_t rdlen = dis_field_be16(d, r, FID_DNS_RESP_LEN);

    if (!cur_has(r, rdlen)) {
        dns_short(m, r->off);
        return false;
    }
    struct cursor rd = cur_sub(r, rdlen, NULL);
    switch (type) {
    case DNS_TYPE_A:
        if (rdlen == 4)
            dis_field_be32(d, &rd, FID_DNS_A);
        else
            dis_field_skip(d, &rd, FID_DNS_RDATA, rdlen);
        break;
    case DNS_TYPE_AAAA:
        dis_field_skip(d, &rd, rdlen == 16 ? FID_DNS_AAAA : FID_DNS_RDATA, rdlen);
        break;
    case DNS_TYPE_CNAME:
        dns_rdata_name(m, FID_DNS_CNAME, &rd);
        break;
    case DNS_TYPE_NS:
        dns_rdata_name(m, FID_DNS_NS, &rd);
        break;
    case DNS_TYPE_PTR:
        dns_rdata_name(m, FID_DNS_PTR, &rd);
        break;
    case DNS_TYPE_MX:
        dns_rdata_mx(m, &rd);
        break;
    case DNS_TYPE_TXT:
        dns_rdata_txt(m, &rd);
        break;
    case DNS_TYPE_SOA:
        dns_rdata_soa(m, &rd);
        break;
    case DNS_TYPE_SRV:
        dns_rdata_srv(m, &rd);
        break;
    default:
        if (rdlen)
            dis_field_skip(d, &rd, FID_DNS_RDATA, rdlen);
        break;
    }
    return true;
}

/* The flags word at c->off: the whole word, then its bits as Wireshark lists them, each over
 * the byte of the word that holds it. */
static void dns_flags(struct dissection *d, struct cursor *c, enum proto_id proto)
{
    uint32_t flags;
    const struct field *w = dis_field_word(d, c, FID_DNS_FLAGS, 2, &flags);
    bool resp = (flags & DNS_F_RESPONSE) != 0;
    dis_subfield_span(d, w, 0, 1, FID_DNS_FLAGS_RESPONSE, resp);
    dis_subfield_span(d, w, 0, 1, FID_DNS_FLAGS_OPCODE, (flags >> 11) & 0xf);
    if (proto == PROTO_LLMNR) {
        /* RFC 4795 2.1.1: C, TC, T take the places of AA, TC, RD. */
        dis_subfield_span(d, w, 0, 1, FID_DNS_FLAGS_CONFLICT, (flags >> 10) & 1);
        dis_subfield_span(d, w, 0, 1, FID_DNS_FLAGS_TRUNCATED, (flags >> 9) & 1);
        dis_subfield_span(d, w, 0, 1, FID_DNS_FLAGS_TENTATIVE, (flags >> 8) & 1);
    } else {
        /* Which bits are shown for queries and responses follows Wireshark. */
        if (resp)
            dis_subfield_span(d, w, 0, 1, FID_DNS_FLAGS_AUTHORITATIVE, (flags >> 10) & 1);
        dis_subfield_span(d, w, 0, 1, FID_DNS_FLAGS_TRUNCATED, (flags >> 9) & 1);
        dis_subfield_span(d, w, 0, 1, FID_DNS_FLAGS_RECDESIRED, (flags >> 8) & 1);
        if (resp)
            dis_subfield_span(d, w, 1, 1, FID_DNS_FLAGS_RECAVAIL, (flags >> 7) & 1);
        dis_subfield_span(d, w, 1, 1, FID_DNS_FLAGS_Z, (flags >> 6) & 1);
        if (resp || (flags & DNS_F_AD))
            dis_subfield_span(d, w, 1, 1, FID_DNS_FLAGS_AUTHENTICATED, (flags >> 5) & 1);
        dis_subfield_span(d, w, 1, 1, FID_DNS_FLAGS_CHECKDISABLE, (flags >> 4) & 1);
    }
    if (resp)
        dis_subfield_span(d, w, 1, 1, FID_DNS_FLAGS_RCODE, flags & 0xf);
}

void dissect_dns_proto(struct dissection *d, struct cursor *c, bool over_tcp, enum proto_id proto)
{
    size_t start = c->off;
    if (dis_layer_begin(d, proto, c) < 0)
        return;
    dis_protocols_add(d, proto_info(proto)->short_name);
    d->sum.app_proto = (uint16_t)proto;

    struct dns_msg m = {d, *c, c->end, proto};
    /* The transport's declared payload may be longer than what was captured. */
    if (d->sum.payload_off == start && d->sum.payload_len > cur_left(c))
        m.decl_end = start + d->sum.payload_len;

    if (over_tcp) {
        if (cur_left(c) < 2) {
            dns_short(&m, c->end);
            dis_layer_end(d, c->end, c->end);
            return;
        }
        uint16_t mlen = dis_field_be16(d, c, FID_DNS_LENGTH);
        m.decl_end = c->off + mlen;
    }
    /* The message's window: from its header (where compression pointers count from) to the
     * end of what was captured of it. */
    size_t cap_end = c->end < m.decl_end ? c->end : m.decl_end;
    struct cursor rest = *c;
    m.c = cur_sub(&rest, cap_end - c->off, NULL);

    if (!cur_has(&m.c, DNS_HDR)) {
        dns_short(&m, cap_end);
        dis_layer_end(d, cap_end, cap_end);
        c->off = c->end;
        return;
    }
    struct cursor h = m.c;
    dis_field_be16(d, &h, FID_DNS_ID);
    dns_flags(d, &h, proto);
    uint16_t counts[4];
    counts[0] = dis_field_be16(d, &h, FID_DNS_COUNT_QUERIES);
    counts[1] = dis_field_be16(d, &h, FID_DNS_COUNT_ANSWERS);
    counts[2] = dis_field_be16(d, &h, FID_DNS_COUNT_AUTH_RR);
    counts[3] = dis_field_be16(d, &h, FID_DNS_COUNT_ADD_RR);

    static const enum field_id headings[4] = {FID_DNS_QUERIES, FID_DNS_ANSWERS, FID_DNS_AUTHORITIES,
                                              FID_DNS_ADDITIONALS};
    bool ok = true;
    /* Each entry consumes at least 5 bytes, so the loops end with the message; they also stop
     * as soon as the model is full. */
    for (unsigned sec = 0; sec < 4 && ok; sec++) {
        if (counts[sec] == 0)
            continue;
        struct field *head = dis_field_mark(d, &h, headings[sec], 0);
        for (unsigned i = 0; i < counts[sec] && ok; i++) {
            if (d->flags & DIS_OVERFLOW) {
                ok = false;
                break;
            }
            /* An entry that ends early does not count towards its section's bytes. */
            struct cursor e = h;
            ok = sec == 0 ? dns_question(&m, &e) : dns_rr(&m, &e);
            if (ok)
                h = e;
        }
        dis_field_close(head, &h); /* the section's bytes: its complete entries */
    }
    dis_layer_end(d, ok ? h.off : cap_end, over_tcp ? cap_end : c->end);
    c->off = over_tcp ? cap_end : c->end;
}

void dissect_dns(struct dissection *d, struct cursor *c, bool over_tcp)
{
    dissect_dns_proto(d, c, over_tcp, PROTO_DNS);
}

/* DNS over TCP (RFC 1035 4.2.2, RFC 7766 8): a 2-byte length, then that many bytes. A length
 * shorter than the 12-byte header cannot start a message. */
size_t dis_dns_tcp_pdu_len(const uint8_t *p, size_t n)
{
    struct cursor c;
    cur_init(&c, p, n);
    if (!cur_has(&c, 2))
        return 0;
    size_t len = cur_be16(&c);
    return len < DNS_HDR ? DIS_PDU_NOT_A_START : 2 + len;
}
