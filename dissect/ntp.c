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
    uint8_t flags = cur_u8(c);
    dis_field(d, FID_NTP_FLAGS, start, 1, flags);
    dis_field(d, FID_NTP_FLAGS_LI, start, 1, flags >> 6);
    dis_field(d, FID_NTP_FLAGS_VN, start, 1, (flags >> 3) & 7);
    dis_field(d, FID_NTP_FLAGS_MODE, start, 1, flags & 7);
    dis_field(d, FID_NTP_STRATUM, start + 1, 1, cur_u8(c));
    dis_field(d, FID_NTP_PPOLL, start + 2, 1, cur_u8(c));
    dis_field(d, FID_NTP_PRECISION, start + 3, 1, (uint64_t)(int64_t)(int8_t)cur_u8(c));
    dis_field(d, FID_NTP_ROOTDELAY, start + 4, 4, cur_be32(c));
    dis_field(d, FID_NTP_ROOTDISPERSION, start + 8, 4, cur_be32(c));
    (void)cur_be32(c);
    dis_field(d, FID_NTP_REFID, start + 12, 4, 0);
    static const enum field_id ts[] = {FID_NTP_REFTIME, FID_NTP_ORG, FID_NTP_REC, FID_NTP_XMT};
    for (size_t i = 0; i < sizeof(ts) / sizeof(ts[0]); i++)
        dis_field(d, ts[i], start + 16 + 8 * i, 8, cur_be64(c));
    dis_layer_end(d, c->off, c->end);
    c->off = c->end;
    return true;
}
