/*
 * UDP (RFC 768; over IPv6, RFC 8200 8.1: the checksum is mandatory).
 *
 * The cursor's window is the IP payload as captured; d->sum.l4_declared_len is the declared IP
 * payload length. The UDP length must lie in [8, declared]; a shorter UDP length than the IP
 * payload trims the payload (the rest is IP-level trailer), as Wireshark does.
 */
#include "dissect/internal.h"

enum {
    UDP_HDR = 8,
    /* tshark's checksum status values: 0 bad, 1 good, 2 unverified, 3 not present, 4 illegal. */
    CSUM_BAD = 0,
    CSUM_GOOD = 1,
    CSUM_UNVERIFIED = 2,
    CSUM_NOT_PRESENT = 3,
    CSUM_ILLEGAL = 4,
};

void dissect_udp(struct dissection *d, struct cursor *c, const struct dis_ctx *ctx)
{
    struct dis_summary *s = &d->sum;
    size_t start = c->off;
    size_t caplen = cur_left(c);
    size_t declared = s->l4_declared_len;
    if (declared < caplen)
        declared = caplen;

    if (dis_layer_begin(d, PROTO_UDP, c) < 0)
        return;
    dis_protocols_add(d, "udp");
    s->l4 = PS_IPPROTO_UDP;

    if (caplen < UDP_HDR) {
        if (caplen >= 4) {
            s->sport = dis_field_be16(d, c, FID_UDP_SRCPORT);
            s->dport = dis_field_be16(d, c, FID_UDP_DSTPORT);
        }
        bool short_decl = declared < UDP_HDR;
        dis_bail(d, c, short_decl ? LAYER_MALFORMED : LAYER_TRUNCATED,
                 short_decl ? ANOM_UDP_BAD_LENGTH : ANOM_UDP_TRUNCATED, start);
        return;
    }

    /* All 8 bytes are there: the readers below cannot fail. */
    uint16_t sport = dis_field_be16(d, c, FID_UDP_SRCPORT);
    uint16_t dport = dis_field_be16(d, c, FID_UDP_DSTPORT);
    size_t ulen_at = c->off;
    uint16_t ulen = dis_field_be16(d, c, FID_UDP_LENGTH);
    size_t csum_at = c->off;
    uint32_t csum;
    struct field *csum_f = dis_field_word(d, c, FID_UDP_CHECKSUM, 2, &csum);
    struct field *status = dis_subfield(d, csum_f, FID_UDP_CHECKSUM_STATUS, CSUM_UNVERIFIED);
    s->sport = sport;
    s->dport = dport;

    /* The datagram's extent: the UDP length when it is sane, else the IP payload. */
    size_t dgram = declared;
    bool len_ok = ulen >= UDP_HDR && ulen <= declared;
    if (!len_ok && ulen >= UDP_HDR && s->is_fragment) {
        /* A first fragment: the length covers the whole datagram, which the later fragments
         * complete; nothing is wrong, and this fragment's part ends with the IP payload. */
    } else if (!len_ok) {
        dis_damage(d, LAYER_MALFORMED, ANOM_UDP_BAD_LENGTH, ulen_at);
    } else {
        dgram = ulen;
    }
    size_t dgram_cap = dgram < caplen ? dgram : caplen;
    if (dgram_cap < dgram)
        dis_layer_status(d, LAYER_TRUNCATED);

    if (csum == 0 && ctx->addr_len == 4) {
        /* RFC 768: an all-zero checksum means the sender computed none. */
        if (status)
            status->value = CSUM_NOT_PRESENT;
    } else if (csum == 0 && ctx->addr_len == 16) {
        /* RFC 8200 8.1: mandatory over IPv6. tshark says Illegal whether it verifies or not. */
        if (status)
            status->value = CSUM_ILLEGAL;
        dis_anomaly(d, ANOM_UDP_BAD_CHECKSUM, csum_at);
    } else if (status && len_ok && dgram_cap == dgram && d->verify_checksums && !s->is_fragment &&
               (ctx->addr_len == 4 || ctx->addr_len == 16)) {
        enum dis_csum v = dis_l4_checksum(d, ctx, start, dgram, PS_IPPROTO_UDP, 6);
        status->value = v == DIS_CSUM_GOOD ? CSUM_GOOD : CSUM_BAD; /* as in tcp.c */
        if (v != DIS_CSUM_GOOD)
            dis_anomaly(d,
                        v == DIS_CSUM_PARTIAL ? ANOM_UDP_CHECKSUM_OFFLOAD : ANOM_UDP_BAD_CHECKSUM,
                        csum_at);
    }

    size_t pay_off = start + UDP_HDR;
    size_t pay_cap = dgram_cap - UDP_HDR;
    s->payload_off = (uint32_t)pay_off;
    s->payload_len = (uint32_t)(dgram >= UDP_HDR ? dgram - UDP_HDR : 0);
    s->payload_caplen = (uint32_t)pay_cap;

    dis_layer_end(d, pay_off, start + dgram_cap);
    /* Like Wireshark, a datagram whose length field is below 8 is not dissected further. */
    if (pay_cap > 0 && !(ulen < UDP_HDR)) {
        struct cursor pc = *c; /* at the payload: the header was all there */
        pc.end = pay_off + pay_cap;
        dis_field_rest(d, &pc, FID_UDP_PAYLOAD, 0);
        dissect_app(d, &pc, PS_IPPROTO_UDP, sport, dport);
    }
    c->off = c->end;
}
