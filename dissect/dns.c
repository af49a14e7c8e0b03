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
    DNS_MAX_NAME = 255,   /* RFC 1035 2.3.4: octets on the wire, length bytes included */
    DNS_MAX_HOPS = 64,    /* compression pointers followed in one name */
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

/* The message being read: absolute offsets into the frame. */
struct dns_msg {
    struct dissection *d;
    size_t base;     /* first byte of the DNS header */
    size_t cap_end;  /* end of the captured bytes of the message */
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
 * and pointer hops are capped, so neither label cycles nor pointer-only cycles can loop.
 */
static enum dns_err dns_read_name(const struct dns_msg *m, size_t off, struct dns_name *n,
                                  size_t *bad_at)
{
    const uint8_t *p = m->d->data;
    size_t pos = off;
    size_t wire = 1; /* the terminating root label */
    unsigned hops = 0;
    bool jumped = false;

    n->text_len = 0;
    n->wire_len = 0;
    n->labels = 0;
    for (;;) {
        if (pos >= m->cap_end) {
            *bad_at = pos;
            return pos >= m->decl_end ? DNS_ERR_BAD : DNS_ERR_SHORT;
        }
        uint8_t b = p[pos];
        if (b == 0) {
            if (!jumped)
                n->wire_len = pos + 1 - off;
            break;
        }
        if ((b & 0xc0) == 0xc0) {
            if (m->cap_end - pos < 2) {
                *bad_at = pos;
                return m->decl_end - pos < 2 ? DNS_ERR_BAD : DNS_ERR_SHORT;
            }
            size_t target = m->base + ((size_t)(b & 0x3f) << 8 | p[pos + 1]);
            if (!jumped)
                n->wire_len = pos + 2 - off;
            jumped = true;
            if (++hops > DNS_MAX_HOPS || target >= m->decl_end) {
                *bad_at = pos;
                return DNS_ERR_BAD;
            }
            pos = target;
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
        if (m->cap_end - pos - 1 < b) {
            *bad_at = pos;
            return m->decl_end - pos - 1 < b ? DNS_ERR_BAD : DNS_ERR_SHORT;
        }
        if (n->text_len)
            n->text[n->text_len++] = '.';
        memcpy(n->text + n->text_len, p + pos + 1, b);
        n->text_len += b;
        n->labels++;
        pos += (size_t)b + 1;
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
        dis_layer_status(m->d, m->cap_end < m->decl_end ? LAYER_TRUNCATED : LAYER_MALFORMED);
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

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)((p[0] << 8) | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* A name inside record data (CNAME, NS, PTR): may point anywhere earlier in the message. */
static void dns_rdata_name(const struct dns_msg *m, enum field_id id, size_t off, size_t len)
{
    struct dns_name n;
    size_t bad_at = off;
    enum dns_err e = dns_read_name(m, off, &n, &bad_at);
    if (e != DNS_OK) {
        dns_name_error(m, e, bad_at);
        return;
    }
    dis_field_str(m->d, id, off, len, n.text, n.text_len);
}

/*
 * A name inside record data at `off`, the record data ending at `end`; *after is set past the
 * name's own bytes. False (with the error recorded) when the name is bad or leaves the record.
 */
static bool dns_rdata_name_at(const struct dns_msg *m, enum field_id id, size_t off, size_t end,
                              size_t *after)
{
    struct dns_name n;
    size_t bad_at = off;
    enum dns_err e = off < end ? dns_read_name(m, off, &n, &bad_at) : DNS_ERR_BAD;
    if (e == DNS_OK && n.wire_len > end - off)
        e = DNS_ERR_BAD;
    if (e != DNS_OK) {
        dns_name_error(m, e, bad_at);
        return false;
    }
    dis_field_str(m->d, id, off, n.wire_len, n.text, n.text_len);
    *after = off + n.wire_len;
    return true;
}

/* MX (RFC 1035 3.3.9): preference, then the exchange's name. */
static void dns_rdata_mx(const struct dns_msg *m, size_t rd, size_t rdlen)
{
    size_t after;
    if (rdlen < 3) {
        dis_field(m->d, FID_DNS_RDATA, rd, rdlen, 0);
        return;
    }
    dis_field(m->d, FID_DNS_MX_PREFERENCE, rd, 2, rd16(m->d->data + rd));
    dns_rdata_name_at(m, FID_DNS_MX_MAIL_EXCHANGE, rd + 2, rd + rdlen, &after);
}

/* TXT (RFC 1035 3.3.14): one or more length-prefixed strings; each advances by >= 1 byte. */
static void dns_rdata_txt(const struct dns_msg *m, size_t rd, size_t rdlen)
{
    const uint8_t *p = m->d->data;
    size_t pos = rd, end = rd + rdlen;
    while (pos < end) {
        size_t n = p[pos];
        if (n > end - pos - 1) {
            dis_layer_status(m->d, LAYER_MALFORMED);
            dis_anomaly(m->d, ANOM_DNS_BAD_RDATA, pos);
            return;
        }
        dis_field(m->d, FID_DNS_TXT_LENGTH, pos, 1, n);
        dis_field_str(m->d, FID_DNS_TXT, pos + 1, n, (const char *)p + pos + 1, n);
        pos += n + 1;
    }
}

/* SOA (RFC 1035 3.3.13): two names, then five 32-bit numbers. */
static void dns_rdata_soa(const struct dns_msg *m, size_t rd, size_t rdlen)
{
    static const enum field_id nums[5] = {FID_DNS_SOA_SERIAL_NUMBER, FID_DNS_SOA_REFRESH_INTERVAL,
                                          FID_DNS_SOA_RETRY_INTERVAL, FID_DNS_SOA_EXPIRE_LIMIT,
                                          FID_DNS_SOA_MINIMUM_TTL};
    size_t end = rd + rdlen, pos;
    if (!dns_rdata_name_at(m, FID_DNS_SOA_MNAME, rd, end, &pos) ||
        !dns_rdata_name_at(m, FID_DNS_SOA_RNAME, pos, end, &pos))
        return;
    if (end - pos < 20) {
        dis_layer_status(m->d, LAYER_MALFORMED);
        dis_anomaly(m->d, ANOM_DNS_BAD_RDATA, pos);
        return;
    }
    for (size_t i = 0; i < 5; i++)
        dis_field(m->d, nums[i], pos + 4 * i, 4, rd32(m->d->data + pos + 4 * i));
}

/* SRV (RFC 2782): priority, weight, port, then the target's name. */
static void dns_rdata_srv(const struct dns_msg *m, size_t rd, size_t rdlen)
{
    const uint8_t *p = m->d->data + rd;
    size_t after;
    if (rdlen < 7) {
        dis_field(m->d, FID_DNS_RDATA, rd, rdlen, 0);
        return;
    }
    dis_field(m->d, FID_DNS_SRV_PRIORITY, rd, 2, rd16(p));
    dis_field(m->d, FID_DNS_SRV_WEIGHT, rd + 2, 2, rd16(p + 2));
    dis_field(m->d, FID_DNS_SRV_PORT, rd + 4, 2, rd16(p + 4));
    dns_rdata_name_at(m, FID_DNS_SRV_TARGET, rd + 6, rd + rdlen, &after);
}

/* One question at *pos; false when the message ends before it does. */
static bool dns_question(const struct dns_msg *m, size_t *pos)
{
    struct dissection *d = m->d;
    struct dns_name n;
    size_t bad_at = *pos;
    enum dns_err e = dns_read_name(m, *pos, &n, &bad_at);
    if (e != DNS_OK) {
        dns_name_error(m, e, bad_at);
        return false;
    }
    size_t at = *pos + n.wire_len;
    dis_field_str(d, FID_DNS_QRY_NAME, *pos, n.wire_len, n.text, n.text_len);
    dis_field(d, FID_DNS_QRY_NAME_LEN, *pos, 0, n.text_len);
    dis_field(d, FID_DNS_COUNT_LABELS, *pos, 0, n.labels);
    if (m->cap_end - at < 4) {
        dns_short(m, at);
        return false;
    }
    const uint8_t *p = d->data + at;
    uint16_t qclass = rd16(p + 2);
    dis_field(d, FID_DNS_QRY_TYPE, at, 2, rd16(p));
    if (m->proto == PROTO_MDNS) {
        dis_field(d, FID_DNS_QRY_CLASS, at + 2, 2, qclass & ~MDNS_CLASS_TOP);
        dis_field(d, FID_DNS_QRY_QU, at + 2, 2, (qclass & MDNS_CLASS_TOP) != 0);
    } else {
        dis_field(d, FID_DNS_QRY_CLASS, at + 2, 2, qclass);
    }
    *pos = at + 4;
    return true;
}

/* One resource record at *pos; false when the message ends before it does. */
static bool dns_rr(const struct dns_msg *m, size_t *pos)
{
    struct dissection *d = m->d;
    struct dns_name n;
    size_t bad_at = *pos;
    enum dns_err e = dns_read_name(m, *pos, &n, &bad_at);
    if (e != DNS_OK) {
        dns_name_error(m, e, bad_at);
        return false;
    }
    size_t at = *pos + n.wire_len;
    dis_field_str(d, FID_DNS_RESP_NAME, *pos, n.wire_len, n.text, n.text_len);
    if (m->cap_end - at < 10) {
        dns_short(m, at);
        return false;
    }
    const uint8_t *p = d->data + at;
    uint16_t type = rd16(p);
    uint16_t rclass = rd16(p + 2);
    uint16_t rdlen = rd16(p + 8);
    dis_field(d, FID_DNS_RESP_TYPE, at, 2, type);
    if (type == DNS_TYPE_OPT) {
        /* RFC 6891 6.1.2: class is the UDP payload size, TTL holds extended RCODE and flags. */
        dis_field(d, FID_DNS_RR_UDP_PAYLOAD_SIZE, at + 2, 2, rclass);
        dis_field(d, FID_DNS_RESP_EXT_RCODE, at + 4, 1, p[4]);
        dis_field(d, FID_DNS_RESP_EDNS0_VERSION, at + 5, 1, p[5]);
        dis_field(d, FID_DNS_RESP_Z, at + 6, 2, rd16(p + 6));
    } else if (m->proto == PROTO_MDNS) {
        dis_field(d, FID_DNS_RESP_CLASS, at + 2, 2, rclass & ~MDNS_CLASS_TOP);
        dis_field(d, FID_DNS_RESP_CACHE_FLUSH, at + 2, 2, (rclass & MDNS_CLASS_TOP) != 0);
        dis_field(d, FID_DNS_RESP_TTL, at + 4, 4, rd32(p + 4));
    } else {
        dis_field(d, FID_DNS_RESP_CLASS, at + 2, 2, rclass);
        dis_field(d, FID_DNS_RESP_TTL, at + 4, 4, rd32(p + 4));
    }
    dis_field(d, FID_DNS_RESP_LEN, at + 8, 2, rdlen);

    size_t rd = at + 10;
    if (m->cap_end - rd < rdlen) {
        dns_short(m, rd);
        return false;
    }
    const uint8_t *r = d->data + rd;
    switch (type) {
    case DNS_TYPE_A:
        if (rdlen == 4)
            dis_field(d, FID_DNS_A, rd, 4, rd32(r));
        else
            dis_field(d, FID_DNS_RDATA, rd, rdlen, 0);
        break;
    case DNS_TYPE_AAAA:
        if (rdlen == 16)
            dis_field(d, FID_DNS_AAAA, rd, 16, 0);
        else
            dis_field(d, FID_DNS_RDATA, rd, rdlen, 0);
        break;
    case DNS_TYPE_CNAME:
        dns_rdata_name(m, FID_DNS_CNAME, rd, rdlen);
        break;
    case DNS_TYPE_NS:
        dns_rdata_name(m, FID_DNS_NS, rd, rdlen);
        break;
    case DNS_TYPE_PTR:
        dns_rdata_name(m, FID_DNS_PTR, rd, rdlen);
        break;
    case DNS_TYPE_MX:
        dns_rdata_mx(m, rd, rdlen);
        break;
    case DNS_TYPE_TXT:
        dns_rdata_txt(m, rd, rdlen);
        break;
    case DNS_TYPE_SOA:
        dns_rdata_soa(m, rd, rdlen);
        break;
    case DNS_TYPE_SRV:
        dns_rdata_srv(m, rd, rdlen);
        break;
    default:
        if (rdlen)
            dis_field(d, FID_DNS_RDATA, rd, rdlen, 0);
        break;
    }
    *pos = rd + rdlen;
    return true;
}

static void dns_flags(struct dissection *d, size_t at, uint16_t flags, enum proto_id proto)
{
    bool resp = (flags & DNS_F_RESPONSE) != 0;
    dis_field(d, FID_DNS_FLAGS, at, 2, flags);
    dis_field(d, FID_DNS_FLAGS_RESPONSE, at, 1, resp);
    dis_field(d, FID_DNS_FLAGS_OPCODE, at, 1, (flags >> 11) & 0xf);
    if (proto == PROTO_LLMNR) {
        /* RFC 4795 2.1.1: C, TC, T take the places of AA, TC, RD. */
        dis_field(d, FID_DNS_FLAGS_CONFLICT, at, 1, (flags >> 10) & 1);
        dis_field(d, FID_DNS_FLAGS_TRUNCATED, at, 1, (flags >> 9) & 1);
        dis_field(d, FID_DNS_FLAGS_TENTATIVE, at, 1, (flags >> 8) & 1);
    } else {
        /* Which bits are shown for queries and responses follows Wireshark. */
        if (resp)
            dis_field(d, FID_DNS_FLAGS_AUTHORITATIVE, at, 1, (flags >> 10) & 1);
        dis_field(d, FID_DNS_FLAGS_TRUNCATED, at, 1, (flags >> 9) & 1);
        dis_field(d, FID_DNS_FLAGS_RECDESIRED, at, 1, (flags >> 8) & 1);
        if (resp)
            dis_field(d, FID_DNS_FLAGS_RECAVAIL, at + 1, 1, (flags >> 7) & 1);
        dis_field(d, FID_DNS_FLAGS_Z, at + 1, 1, (flags >> 6) & 1);
        if (resp || (flags & DNS_F_AD))
            dis_field(d, FID_DNS_FLAGS_AUTHENTICATED, at + 1, 1, (flags >> 5) & 1);
        dis_field(d, FID_DNS_FLAGS_CHECKDISABLE, at + 1, 1, (flags >> 4) & 1);
    }
    if (resp)
        dis_field(d, FID_DNS_FLAGS_RCODE, at + 1, 1, flags & 0xf);
}

void dissect_dns_proto(struct dissection *d, struct cursor *c, bool over_tcp, enum proto_id proto)
{
    size_t start = c->off;
    if (dis_layer_begin(d, proto, c) < 0)
        return;
    dis_protocols_add(d, proto_info(proto)->short_name);
    d->sum.app_proto = (uint16_t)proto;

    struct dns_msg m = {d, start, c->end, c->end, proto};
    /* The transport's declared payload may be longer than what was captured. */
    if (d->sum.payload_off == start && d->sum.payload_len > cur_left(c))
        m.decl_end = start + d->sum.payload_len;

    if (over_tcp) {
        if (cur_left(c) < 2) {
            dns_short(&m, c->end);
            dis_layer_end(d, c->end, c->end);
            return;
        }
        uint16_t mlen = cur_be16(c);
        dis_field(d, FID_DNS_LENGTH, start, 2, mlen);
        m.base = start + 2;
        m.decl_end = m.base + mlen;
        if (m.cap_end > m.decl_end)
            m.cap_end = m.decl_end;
    }

    if (m.cap_end - m.base < DNS_HDR) {
        dns_short(&m, m.cap_end);
        dis_layer_end(d, m.cap_end, m.cap_end);
        c->off = c->end;
        return;
    }
    const uint8_t *h = d->data + m.base;
    uint16_t flags = rd16(h + 2);
    uint16_t counts[4] = {rd16(h + 4), rd16(h + 6), rd16(h + 8), rd16(h + 10)};
    dis_field(d, FID_DNS_ID, m.base, 2, rd16(h));
    dns_flags(d, m.base + 2, flags, proto);
    dis_field(d, FID_DNS_COUNT_QUERIES, m.base + 4, 2, counts[0]);
    dis_field(d, FID_DNS_COUNT_ANSWERS, m.base + 6, 2, counts[1]);
    dis_field(d, FID_DNS_COUNT_AUTH_RR, m.base + 8, 2, counts[2]);
    dis_field(d, FID_DNS_COUNT_ADD_RR, m.base + 10, 2, counts[3]);

    static const enum field_id headings[4] = {FID_DNS_QUERIES, FID_DNS_ANSWERS,
                                              FID_DNS_AUTHORITIES, FID_DNS_ADDITIONALS};
    size_t pos = m.base + DNS_HDR;
    bool ok = true;
    /* Each entry consumes at least 5 bytes, so the loops end with the message; they also stop
     * as soon as the model is full. */
    for (unsigned sec = 0; sec < 4 && ok; sec++) {
        if (counts[sec] == 0)
            continue;
        struct field *head = dis_field(d, headings[sec], pos, 0, 0);
        size_t sec_start = pos;
        for (unsigned i = 0; i < counts[sec] && ok; i++) {
            if (d->flags & DIS_OVERFLOW) {
                ok = false;
                break;
            }
            ok = sec == 0 ? dns_question(&m, &pos) : dns_rr(&m, &pos);
        }
        if (head)
            head->len = (uint16_t)(pos - sec_start > UINT16_MAX ? UINT16_MAX : pos - sec_start);
    }
    dis_layer_end(d, ok ? pos : m.cap_end, over_tcp ? m.cap_end : c->end);
    c->off = over_tcp ? m.cap_end : c->end;
}

void dissect_dns(struct dissection *d, struct cursor *c, bool over_tcp)
{
    dissect_dns_proto(d, c, over_tcp, PROTO_DNS);
}
