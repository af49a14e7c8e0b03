/*
 * SNMP on UDP 161 and 162: v1 (RFC 1157), v2c (RFC 1901, PDUs of RFC 3416) and the header of v3
 * (RFC 3412 6, with the User-based Security Model's parameters of RFC 3414 2.4). Field names and
 * value names are Wireshark's (packet-snmp.c).
 *
 * Decoded: version and community; the PDU type (snmp.data) and its request-id, error-status and
 * error-index (non-repeaters and max-repetitions for GetBulk; enterprise, agent-addr, generic
 * and specific trap, time-stamp for the v1 Trap-PDU); every VarBind's name and value. For v3:
 * msgID, msgMaxSize, msgFlags, msgSecurityModel, the USM parameters, and either the plaintext
 * scopedPDU (decoded as above) or the encrypted one, kept as bytes (no keys, no decryption).
 *
 * The message is BER (dissect/ber.h). Every element is read against its parent's declared
 * end: a length past it is snmp.ber_length_past_parent and ends the decoding of the message, as
 * does a cut capture (snmp.truncated); a value of an unknown constructed type is walked with a
 * depth cap (snmp.ber_too_deep). OIDs are written as tshark writes them, in dotted decimal.
 */
#include "dissect/ber.h"
#include "dissect/internal.h"

enum {
    SNMP_V1 = 0,
    SNMP_V2C = 1,
    SNMP_V3 = 3,
    SNMP_PDU_TRAP = 4,
    SNMP_PDU_GETBULK = 5,
    SNMP_PDU_MAX = 8, /* report (RFC 3416 3) */
    SNMP_SEC_USM = 3,
    SNMP_OID_TEXT = 512, /* longest OID text kept; a longer one is cut */
};

/* Application types (RFC 2578 7.1, RFC 1155 3.2.3) and v2 exceptions (RFC 3416 3). */
enum {
    SNMP_APP_IPADDRESS = 0,
    SNMP_APP_COUNTER32 = 1,
    SNMP_APP_GAUGE32 = 2,
    SNMP_APP_TIMETICKS = 3,
    SNMP_APP_OPAQUE = 4,
    SNMP_APP_COUNTER64 = 6,
    SNMP_EXC_NOSUCHOBJECT = 0,
    SNMP_EXC_NOSUCHINSTANCE = 1,
    SNMP_EXC_ENDOFMIBVIEW = 2,
};

struct snmp {
    struct dissection *d;
    size_t decl_end; /* the message's declared end (the UDP payload's) */
    bool stop;       /* damage that ends the decoding was recorded */
};

/* Records a BER error at `at` and stops the decoding. */
static void snmp_ber_error(struct snmp *s, enum ber_err e, size_t at)
{
    if (s->stop)
        return;
    s->stop = true;
    switch (e) {
    case BER_SHORT:
        dis_damage(s->d, LAYER_TRUNCATED, ANOM_SNMP_TRUNCATED, at);
        break;
    case BER_PAST_PARENT:
        dis_damage(s->d, LAYER_MALFORMED, ANOM_SNMP_BER_PAST_PARENT, at);
        break;
    case BER_TOO_DEEP:
        dis_damage(s->d, LAYER_MALFORMED, ANOM_SNMP_BER_TOO_DEEP, at);
        break;
    case BER_BAD_INTEGER:
        dis_damage(s->d, LAYER_MALFORMED, ANOM_SNMP_BAD_INTEGER, at);
        break;
    case BER_BAD_OID:
        dis_damage(s->d, LAYER_MALFORMED, ANOM_SNMP_BAD_OID, at);
        break;
    case BER_OID_OVERFLOW:
        dis_damage(s->d, LAYER_MALFORMED, ANOM_SNMP_OID_ARC_OVERFLOW, at);
        break;
    default:
        dis_damage(s->d, LAYER_MALFORMED, ANOM_SNMP_BER_BAD_HEADER, at);
        break;
    }
}

/*
 * Reads the next element's header inside `c` (whose declared end is `limit`). On success `in` is
 * a cursor over its captured contents, `whole` (when not NULL) one over the captured element,
 * header and contents (for the fields that describe a constructed element), and c is past it;
 * false (with the damage recorded) otherwise.
 */
static bool snmp_elem(struct snmp *s, struct cursor *c, size_t limit, struct ber_tlv *t,
                      struct cursor *in, struct cursor *whole)
{
    if (s->stop)
        return false;
    size_t at = c->off;
    if (whole)
        *whole = *c; /* at the identifier octet */
    enum ber_err e = ber_read_tlv(c, limit, t);
    if (e != BER_OK) {
        snmp_ber_error(s, e, at);
        return false;
    }
    bool is_short;
    *in = cur_sub(c, t->len, &is_short);
    if (whole)
        *whole = cur_sub(whole, c->off - whole->off, NULL);
    return true;
}

/* snmp_elem, and the element's class and tag checked against cls and tag. */
static bool snmp_expect(struct snmp *s, struct cursor *c, size_t limit, uint8_t cls, uint32_t tag,
                        struct ber_tlv *t, struct cursor *in, struct cursor *whole)
{
    if (!snmp_elem(s, c, limit, t, in, whole))
        return false;
    if (t->cls != cls || t->tag != tag) {
        s->stop = true;
        dis_damage(s->d, LAYER_MALFORMED, ANOM_SNMP_UNEXPECTED_TAG, t->start);
        return false;
    }
    return true;
}

/*
 * The contents of a primitive element, all captured; NULL (truncation recorded) when cut. `in`
 * is not moved: when they are all there its window is exactly the contents, for the field.
 */
static const uint8_t *snmp_contents(struct snmp *s, const struct ber_tlv *t,
                                    const struct cursor *in)
{
    const uint8_t *p = cur_peek_bytes(in, 0, t->len);
    if (!p)
        snmp_ber_error(s, BER_SHORT, in->end);
    return p;
}

/*
 * An INTEGER element's value, and in *contents a cursor whose window is exactly its contents
 * (for the field that describes them); false (damage recorded) when it is not one.
 */
static bool snmp_int_tlv(struct snmp *s, struct cursor *c, size_t limit, int64_t *v,
                         struct cursor *contents)
{
    struct ber_tlv t;
    struct cursor in;
    *v = 0;
    if (!snmp_expect(s, c, limit, BER_UNIVERSAL, BER_TAG_INTEGER, &t, &in, NULL))
        return false;
    *contents = in;
    const uint8_t *p = snmp_contents(s, &t, &in);
    if (!p)
        return false;
    if (ber_int64(p, t.len, v) != BER_OK) {
        snmp_ber_error(s, BER_BAD_INTEGER, t.start);
        return false;
    }
    return true;
}

/* An INTEGER element as field `id` over its contents. */
static bool snmp_int(struct snmp *s, struct cursor *c, size_t limit, enum field_id id, int64_t *v)
{
    struct cursor w;
    if (!snmp_int_tlv(s, c, limit, v, &w))
        return false;
    dis_field_rest(s->d, &w, id, (uint64_t)*v);
    return true;
}

/* An OCTET STRING element as bytes (FT_BYTES) or text (FT_STRING) field `id`. */
static bool snmp_octets(struct snmp *s, struct cursor *c, size_t limit, enum field_id id)
{
    struct ber_tlv t;
    struct cursor in;
    if (!snmp_expect(s, c, limit, BER_UNIVERSAL, BER_TAG_OCTET_STRING, &t, &in, NULL))
        return false;
    const uint8_t *p = snmp_contents(s, &t, &in);
    if (!p)
        return false;
    if (t.len == 0)
        return true; /* tshark -T fields has no value for an empty one either */
    if (field_def(id)->type == FT_STRING)
        dis_field_string_rest(s->d, &in, id, t.len);
    else
        dis_field_rest(s->d, &in, id, 0);
    return true;
}

/* The contents of an OID element (`in`, from snmp_elem) as text field `id`. */
static bool snmp_oid_field(struct snmp *s, const struct ber_tlv *t, const struct cursor *in,
                           enum field_id id)
{
    const uint8_t *p = snmp_contents(s, t, in);
    if (!p)
        return false;
    char text[SNMP_OID_TEXT];
    size_t n;
    enum ber_err e = ber_oid_text(p, t->len, text, sizeof(text), &n);
    if (e != BER_OK) {
        snmp_ber_error(s, e, t->off);
        return false;
    }
    dis_field_string_as(s->d, in, id, text, n);
    return true;
}

/* A value of an application type read as unsigned (RFC 2578 7.1.6-7.1.10), as field `id` over
 * its contents `in` (all captured: p is them). */
static void snmp_unsigned(struct snmp *s, const struct ber_tlv *t, const struct cursor *in,
                          const uint8_t *p, enum field_id id)
{
    uint64_t v;
    if (ber_uint64(p, t->len, &v) != BER_OK) {
        snmp_ber_error(s, BER_BAD_INTEGER, t->start);
        return;
    }
    dis_field_rest(s->d, in, id, v);
}

/* A VarBind's value (RFC 3416 3 ObjectSyntax, plus the v2 exceptions). */
static void snmp_value(struct snmp *s, struct cursor *c, size_t limit)
{
    struct ber_tlv t;
    struct cursor in, whole;
    if (!snmp_elem(s, c, limit, &t, &in, &whole))
        return;
    if (t.constructed) {
        /* No SNMP value is constructed: check it is well-formed BER, keep it as bytes. */
        struct cursor walk = in;
        size_t at = walk.off;
        enum ber_err e = ber_walk(&walk, t.off + t.len, &at);
        if (e != BER_OK) {
            snmp_ber_error(s, e, at);
            return;
        }
        dis_field_rest(s->d, &in, FID_SNMP_VALUE_UNK, 0); /* all captured: the walk got through */
        return;
    }
    if (t.cls == BER_UNIVERSAL && t.tag == BER_TAG_OID) {
        snmp_oid_field(s, &t, &in, FID_SNMP_VALUE_OID);
        return;
    }
    const uint8_t *p = snmp_contents(s, &t, &in);
    if (!p)
        return;
    int64_t iv;
    if (t.cls == BER_UNIVERSAL) {
        switch (t.tag) {
        case BER_TAG_INTEGER:
            if (ber_int64(p, t.len, &iv) != BER_OK)
                snmp_ber_error(s, BER_BAD_INTEGER, t.start);
            else
                dis_field_rest(s->d, &in, FID_SNMP_VALUE_INT, (uint64_t)iv);
            return;
        case BER_TAG_OCTET_STRING:
            dis_field_rest(s->d, &in, FID_SNMP_VALUE_OCTETS, 0);
            return;
        case BER_TAG_NULL:
            dis_field_rest(s->d, &in, FID_SNMP_VALUE_NULL, 0);
            return;
        }
    } else if (t.cls == BER_APPLICATION) {
        switch (t.tag) {
        case SNMP_APP_IPADDRESS:
            dis_field_rest(s->d, &in, t.len == 4 ? FID_SNMP_VALUE_IPV4 : FID_SNMP_VALUE_ADDR, 0);
            return;
        case SNMP_APP_COUNTER32:
        case SNMP_APP_COUNTER64:
            snmp_unsigned(s, &t, &in, p, FID_SNMP_VALUE_COUNTER);
            return;
        case SNMP_APP_GAUGE32:
            snmp_unsigned(s, &t, &in, p, FID_SNMP_VALUE_G32);
            return;
        case SNMP_APP_TIMETICKS:
            snmp_unsigned(s, &t, &in, p, FID_SNMP_VALUE_TIMETICKS);
            return;
        case SNMP_APP_OPAQUE:
            dis_field_rest(s->d, &in, FID_SNMP_VALUE_OPAQUE, 0);
            return;
        }
    } else if (t.cls == BER_CONTEXT) {
        static const enum field_id exc[] = {FID_SNMP_NOSUCHOBJECT, FID_SNMP_NOSUCHINSTANCE,
                                            FID_SNMP_ENDOFMIBVIEW};
        if (t.tag <= SNMP_EXC_ENDOFMIBVIEW) {
            dis_field_rest(s->d, &whole, exc[t.tag], 0);
            return;
        }
    }
    dis_field_rest(s->d, &in, FID_SNMP_VALUE_UNK, 0);
}

/* VarBindList (RFC 3416 3): SEQUENCE OF SEQUENCE { name OID, value }. */
static void snmp_varbinds(struct snmp *s, struct cursor *c, size_t limit)
{
    struct ber_tlv list;
    struct cursor in, whole;
    if (!snmp_expect(s, c, limit, BER_UNIVERSAL, BER_TAG_SEQUENCE, &list, &in, &whole))
        return;
    size_t list_end = list.off + list.len;
    struct field *count = dis_field_rest(s->d, &whole, FID_SNMP_VARIABLE_BINDINGS, 0);
    unsigned n = 0;
    /* Each VarBind advances by at least its 2-byte header; the list is inside the message. */
    while (!s->stop && in.off < list_end) {
        struct ber_tlv vb, name;
        struct cursor vin, nin;
        if (in.off >= in.end) {
            snmp_ber_error(s, BER_SHORT, in.off);
            break;
        }
        if (!snmp_expect(s, &in, list_end, BER_UNIVERSAL, BER_TAG_SEQUENCE, &vb, &vin, NULL))
            break;
        n++;
        size_t vb_end = vb.off + vb.len;
        if (!snmp_expect(s, &vin, vb_end, BER_UNIVERSAL, BER_TAG_OID, &name, &nin, NULL) ||
            !snmp_oid_field(s, &name, &nin, FID_SNMP_NAME))
            break;
        snmp_value(s, &vin, vb_end);
        if (!s->stop && vin.off < vb_end && vin.off < vin.end)
            dis_anomaly(s->d, ANOM_SNMP_TRAILING_BYTES, vin.off);
    }
    if (count)
        count->value = n;
}

/* The PDU (RFC 3416 3, RFC 1157 4.1): a context-specific constructed tag names its type. */
static void snmp_pdu(struct snmp *s, struct cursor *c, size_t limit)
{
    struct ber_tlv t;
    struct cursor in, whole;
    if (!snmp_elem(s, c, limit, &t, &in, &whole))
        return;
    if (t.cls != BER_CONTEXT || !t.constructed || t.tag > SNMP_PDU_MAX) {
        s->stop = true;
        dis_damage(s->d, LAYER_MALFORMED, ANOM_SNMP_UNEXPECTED_TAG, t.start);
        return;
    }
    dis_field_rest(s->d, &whole, FID_SNMP_DATA, t.tag);
    size_t end = t.off + t.len;
    int64_t v;
    if (t.tag == SNMP_PDU_TRAP) {
        struct ber_tlv e, a;
        struct cursor ein, ain;
        if (!snmp_expect(s, &in, end, BER_UNIVERSAL, BER_TAG_OID, &e, &ein, NULL) ||
            !snmp_oid_field(s, &e, &ein, FID_SNMP_ENTERPRISE))
            return;
        /* NetworkAddress: the internet CHOICE, [APPLICATION 0] IpAddress (RFC 1155 3.2.3.2) */
        if (!snmp_expect(s, &in, end, BER_APPLICATION, SNMP_APP_IPADDRESS, &a, &ain, NULL) ||
            !snmp_contents(s, &a, &ain))
            return;
        dis_field_rest(s->d, &ain, a.len == 4 ? FID_SNMP_AGENT_ADDR : FID_SNMP_VALUE_ADDR, 0);
        if (!snmp_int(s, &in, end, FID_SNMP_GENERIC_TRAP, &v) ||
            !snmp_int(s, &in, end, FID_SNMP_SPECIFIC_TRAP, &v))
            return;
        struct ber_tlv ts;
        struct cursor tin;
        if (!snmp_expect(s, &in, end, BER_APPLICATION, SNMP_APP_TIMETICKS, &ts, &tin, NULL))
            return;
        const uint8_t *p = snmp_contents(s, &ts, &tin);
        if (!p)
            return;
        snmp_unsigned(s, &ts, &tin, p, FID_SNMP_TIME_STAMP);
    } else {
        bool bulk = t.tag == SNMP_PDU_GETBULK;
        if (!snmp_int(s, &in, end, FID_SNMP_REQUEST_ID, &v))
            return;
        /* the second and third INTEGERs: error-status and error-index, or for GetBulk
         * non-repeaters and max-repetitions (RFC 3416 4.2.3) */
        if (!snmp_int(s, &in, end, bulk ? FID_SNMP_NON_REPEATERS : FID_SNMP_ERROR_STATUS, &v))
            return;
        if (!snmp_int(s, &in, end, bulk ? FID_SNMP_MAX_REPETITIONS : FID_SNMP_ERROR_INDEX, &v))
            return;
    }
    snmp_varbinds(s, &in, end);
}

/* v3's msgGlobalData (RFC 3412 6): msgID, msgMaxSize, msgFlags, msgSecurityModel. */
static bool snmp_v3_header(struct snmp *s, struct cursor *c, size_t limit, int64_t *model,
                           uint8_t *flags)
{
    struct ber_tlv g, f;
    struct cursor in, fin, whole;
    int64_t v;
    if (!snmp_expect(s, c, limit, BER_UNIVERSAL, BER_TAG_SEQUENCE, &g, &in, &whole))
        return false;
    size_t end = g.off + g.len;
    dis_field_rest(s->d, &whole, FID_SNMP_MSGGLOBALDATA, 0);
    if (!snmp_int(s, &in, end, FID_SNMP_MSGID, &v) ||
        !snmp_int(s, &in, end, FID_SNMP_MSGMAXSIZE, &v))
        return false;
    if (!snmp_expect(s, &in, end, BER_UNIVERSAL, BER_TAG_OCTET_STRING, &f, &fin, NULL))
        return false;
    const uint8_t *p = snmp_contents(s, &f, &fin);
    if (!p)
        return false;
    *flags = f.len ? p[0] : 0;
    struct field *mf = dis_field_rest(s->d, &fin, FID_SNMP_MSGFLAGS, 0);
    if (f.len) {
        /* the flag bits are carved from the first octet */
        dis_subfield_span(s->d, mf, 0, 1, FID_SNMP_V3_FLAGS_REPORT, (*flags >> 2) & 1);
        dis_subfield_span(s->d, mf, 0, 1, FID_SNMP_V3_FLAGS_CRYPT, (*flags >> 1) & 1);
        dis_subfield_span(s->d, mf, 0, 1, FID_SNMP_V3_FLAGS_AUTH, *flags & 1);
    }
    return snmp_int(s, &in, end, FID_SNMP_MSGSECURITYMODEL, model);
}

/* msgSecurityParameters: an OCTET STRING; under USM it holds UsmSecurityParameters. */
static bool snmp_v3_security(struct snmp *s, struct cursor *c, size_t limit, int64_t model)
{
    struct ber_tlv t, u;
    struct cursor in, uin;
    int64_t v;
    if (!snmp_expect(s, c, limit, BER_UNIVERSAL, BER_TAG_OCTET_STRING, &t, &in, NULL))
        return false;
    size_t end = t.off + t.len;
    if (model != SNMP_SEC_USM) {
        if (!snmp_contents(s, &t, &in))
            return false;
        dis_field_rest(s->d, &in, FID_SNMP_MSGSECURITYPARAMETERS, 0);
        return true;
    }
    if (!snmp_expect(s, &in, end, BER_UNIVERSAL, BER_TAG_SEQUENCE, &u, &uin, NULL))
        return false;
    size_t uend = u.off + u.len;
    return snmp_octets(s, &uin, uend, FID_SNMP_MSGAUTHORITATIVEENGINEID) &&
           snmp_int(s, &uin, uend, FID_SNMP_MSGAUTHORITATIVEENGINEBOOTS, &v) &&
           snmp_int(s, &uin, uend, FID_SNMP_MSGAUTHORITATIVEENGINETIME, &v) &&
           snmp_octets(s, &uin, uend, FID_SNMP_MSGUSERNAME) &&
           snmp_octets(s, &uin, uend, FID_SNMP_MSGAUTHENTICATIONPARAMETERS) &&
           snmp_octets(s, &uin, uend, FID_SNMP_MSGPRIVACYPARAMETERS);
}

/* v3's msgData: a plaintext ScopedPDU, or an encrypted one kept as bytes. */
static void snmp_v3_data(struct snmp *s, struct cursor *c, size_t limit)
{
    struct ber_tlv t;
    struct cursor in, whole;
    if (!snmp_elem(s, c, limit, &t, &in, &whole))
        return;
    size_t end = t.off + t.len;
    if (t.cls == BER_UNIVERSAL && t.tag == BER_TAG_OCTET_STRING && !t.constructed) {
        dis_field_rest(s->d, &whole, FID_SNMP_MSGDATA, 1);
        if (snmp_contents(s, &t, &in))
            dis_field_rest(s->d, &in, FID_SNMP_ENCRYPTEDPDU, 0);
        return;
    }
    if (t.cls != BER_UNIVERSAL || t.tag != BER_TAG_SEQUENCE) {
        s->stop = true;
        dis_damage(s->d, LAYER_MALFORMED, ANOM_SNMP_UNEXPECTED_TAG, t.start);
        return;
    }
    dis_field_rest(s->d, &whole, FID_SNMP_MSGDATA, 0);
    if (snmp_octets(s, &in, end, FID_SNMP_CONTEXTENGINEID) &&
        snmp_octets(s, &in, end, FID_SNMP_CONTEXTNAME))
        snmp_pdu(s, &in, end);
}

bool dissect_snmp(struct dissection *d, struct cursor *c, bool over_tcp)
{
    if (over_tcp)
        return false; /* SNMP over TCP (RFC 3430) is not decoded */
    size_t start = c->off;
    if (dis_layer_begin(d, PROTO_SNMP, c) < 0)
        return true;
    dis_protocols_add(d, "snmp");
    d->sum.app_proto = PROTO_SNMP;
    struct snmp s = {.d = d, .decl_end = c->end, .stop = false};
    /* The UDP payload's declared end may lie past the captured bytes. */
    if (d->sum.payload_off == start && d->sum.payload_len > cur_left(c))
        s.decl_end = start + d->sum.payload_len;

    struct ber_tlv msg;
    struct cursor in, vw;
    int64_t version;
    if (snmp_expect(&s, c, s.decl_end, BER_UNIVERSAL, BER_TAG_SEQUENCE, &msg, &in, NULL) &&
        snmp_int_tlv(&s, &in, msg.off + msg.len, &version, &vw)) {
        size_t end = msg.off + msg.len;
        if (version == SNMP_V3) {
            int64_t model = 0;
            uint8_t flags = 0;
            dis_field_rest(d, &vw, FID_SNMP_MSGVERSION, (uint64_t)version);
            if (snmp_v3_header(&s, &in, end, &model, &flags) &&
                snmp_v3_security(&s, &in, end, model))
                snmp_v3_data(&s, &in, end);
        } else {
            dis_field_rest(d, &vw, FID_SNMP_VERSION, (uint64_t)version);
            /* v1 and v2c share the layout; v2u (2) and others are not decoded further */
            if ((version == SNMP_V1 || version == SNMP_V2C) &&
                snmp_octets(&s, &in, end, FID_SNMP_COMMUNITY))
                snmp_pdu(&s, &in, end);
        }
        if (!s.stop && in.off < end && in.off < in.end)
            dis_anomaly(d, ANOM_SNMP_TRAILING_BYTES, in.off);
    }
    if (!s.stop && c->off < c->end)
        dis_anomaly(d, ANOM_SNMP_TRAILING_BYTES, c->off);
    dis_layer_end(d, c->end, c->end);
    c->off = c->end;
    return true;
}
