/*
 * NTP (RFC 5905 7.3): the 48-byte header of every NTP packet, on UDP port 123. Extension fields
 * and the MAC after the header stay inside the layer undecoded. Field names are Wireshark's.
 * The four timestamps are NTP's own 64-bit format (seconds since 1900 << 32 | fraction), kept
 * as they are in the field's value (FT_TIME); renderers convert.
 */
#include "dissect/internal.h"

enum { NTP_HDR_LEN = 48 };

bool dissect_ntp(struct dissection *d, struct cursor *c, bool over_tcp)
{
    if (over_tcp)
        return false; /* NTP is a UDP protocol (RFC 5905 9) */
    size_t start = c->off;
    if (dis_layer_begin(d, PROTO_NTP, c) < 0)
        return true;
    dis_protocols_add(d, "ntp");
    d->sum.app_proto = PROTO_NTP;
    if (!cur_has(c, NTP_HDR_LEN)) {
        dis_layer_status(d, d->sum.payload_len > cur_left(c) ? LAYER_TRUNCATED : LAYER_MALFORMED);
        dis_anomaly(d, ANOM_NTP_SHORT, start);
        dis_layer_end(d, c->end, c->end);
        c->off = c->end;
        return true;
    }
    uint32_t flags;
    struct field *fl = dis_field_word(d, c, FID_NTP_FLAGS, 1, &flags);
    dis_subfield(d, fl, FID_NTP_FLAGS_LI, flags >> 6);
    dis_subfield(d, fl, FID_NTP_FLAGS_VN, (flags >> 3) & 7);
    dis_subfield(d, fl, FID_NTP_FLAGS_MODE, flags & 7);
    dis_field_u8(d, c, FID_NTP_STRATUM);
    dis_field_u8(d, c, FID_NTP_PPOLL);
    uint32_t prec;
    struct field *pf = dis_field_word(d, c, FID_NTP_PRECISION, 1, &prec);
    dis_field_set(pf, (uint64_t)(int64_t)(int8_t)prec);
    dis_field_be32(d, c, FID_NTP_ROOTDELAY);
    dis_field_be32(d, c, FID_NTP_ROOTDISPERSION);
    dis_field_skip(d, c, FID_NTP_REFID, 4);
    static const enum field_id ts[] = {FID_NTP_REFTIME, FID_NTP_ORG, FID_NTP_REC, FID_NTP_XMT};
    for (size_t i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
        /* No 64-bit reader: the field is the window of the 8 bytes, its value read through it. */
        struct cursor t = cur_sub(c, 8, NULL);
        struct field *tf = dis_field_rest(d, &t, ts[i], 0);
        dis_field_set(tf, cur_be64(&t));
    }
    dis_layer_end(d, c->off, c->end);
    c->off = c->end;
    return true;
}
