/*
 * IPv4 (RFC 791): every header field, options (RFC 791 section 3.1, bounded loop), the header
 * checksum (RFC 1071) when the dissection verifies checksums, fragments (a fragment with a
 * nonzero offset carries no transport header and becomes a data layer), and a payload clamped
 * to ip.len - ip.hdr_len and to what was captured.
 *
 * The IPv4 header of the datagram quoted by an ICMP error (RFC 792; dis_ctx.quote_head) is cut
 * short by design, so its length is not held against it.
 */
#include "dissect/reasm_internal.h"

#include <string.h>

#include "util/util.h"

#define IPV4_MIN_HDR 20

/* Wireshark's checksum status values (proto.h PROTO_CHECKSUM_E_*). */
enum { CSUM_BAD = 0, CSUM_GOOD = 1, CSUM_UNVERIFIED = 2 };

/*
 * Options, read from `o`, a sub-cursor over the option bytes the header declares (and the
 * capture holds). Type 0 (end of list) and 1 (no-op) are one byte; every other option has a
 * length byte that counts the type and itself, so it is at least 2 (RFC 791). Every pass
 * advances by at least one byte.
 */
static void ipv4_options(struct dissection *d, struct cursor o)
{
    dis_field_rest(d, &o, FID_IP_OPTIONS, 0);
    while (cur_left(&o) > 0) {
        size_t off = o.off;
        uint32_t type;
        struct field *tf = dis_field_word(d, &o, FID_IP_OPT_TYPE, 1, &type);
        dis_subfield(d, tf, FID_IP_OPT_TYPE_COPY, type >> 7);
        dis_subfield(d, tf, FID_IP_OPT_TYPE_CLASS, (type >> 5) & 3);
        dis_subfield(d, tf, FID_IP_OPT_TYPE_NUMBER, type & 0x1f);
        if (type == 0) { /* End of Option List: the rest is padding */
            return;
        }
        if (type == 1)
            continue;
        if (cur_left(&o) < 1) {
            dis_damage(d, LAYER_MALFORMED, ANOM_IPV4_BAD_OPTION, off);
            return;
        }
        size_t len_at = o.off;
        uint8_t len = dis_field_u8(d, &o, FID_IP_OPT_LEN);
        if (len < 2 || (size_t)len - 2 > cur_left(&o)) {
            dis_damage(d, LAYER_MALFORMED, ANOM_IPV4_BAD_OPTION, len_at);
            return;
        }
        if (len > 2)
            dis_field_skip(d, &o, FID_IP_OPT_DATA, (size_t)len - 2);
    }
}

void dissect_ipv4(struct dissection *d, struct cursor *c, const struct dis_ctx *ctx)
{
    bool quoted = ctx->quote_head;
    if (dis_layer_begin(d, PROTO_IPV4, c) < 0)
        return;
    dis_protocols_add(d, "ip");
    size_t start = c->off;
    size_t avail = cur_left(c);
    const struct cursor at_start = *c;
    uint32_t vhl;
    struct field *vf = dis_field_word(d, c, FID_IP_VERSION, 1, &vhl);
    if (c->truncated) {
        dis_damage(d, LAYER_TRUNCATED, ANOM_IPV4_TRUNCATED, start);
        dis_layer_end(d, start, start);
        return;
    }
    uint8_t version = (uint8_t)(vhl >> 4);
    size_t hlen = (size_t)(vhl & 0x0f) * 4;
    dis_field_set(vf, version);
    if (version != 4) {
        dis_bail(d, c, LAYER_MALFORMED, ANOM_IPV4_BAD_VERSION, start);
        return;
    }
    dis_subfield(d, vf, FID_IP_HDR_LEN, hlen);
    if (hlen < IPV4_MIN_HDR) {
        dis_bail(d, c, LAYER_MALFORMED, ANOM_IPV4_BAD_HEADER_LENGTH, start);
        return;
    }
    /* The DS field is shown even when the rest of the fixed header was not captured. */
    uint32_t tos;
    struct field *ds = dis_field_word(d, c, FID_IP_DSFIELD, 1, &tos);
    if (!d->lean) { /* details (dis_field_is_detail) */
        dis_subfield(d, ds, FID_IP_DSFIELD_DSCP, tos >> 2);
        dis_subfield(d, ds, FID_IP_DSFIELD_ECN, tos & 3);
    }
    if (!cur_need(c, IPV4_MIN_HDR - 2)) {
        dis_bail(d, c, LAYER_TRUNCATED, ANOM_IPV4_TRUNCATED, start);
        return;
    }
    /* The fixed header is all there: every read below succeeds. */
    size_t total_at = c->off;
    uint16_t total = dis_field_be16(d, c, FID_IP_LEN);
    uint16_t ip_id = dis_field_be16(d, c, FID_IP_ID);
    /* Flags and fragment offset share a word; Wireshark's ip.flags covers only its first byte,
     * so that byte is read on its own first (from a copy of the cursor), then the whole word. */
    struct cursor fc = *c;
    uint32_t fb;
    struct field *ff = dis_field_word(d, &fc, FID_IP_FLAGS, 1, &fb);
    dis_field_set(ff, fb >> 5);
    if (!d->lean) {
        dis_subfield(d, ff, FID_IP_FLAGS_RB, (fb >> 7) & 1);
        dis_subfield(d, ff, FID_IP_FLAGS_DF, (fb >> 6) & 1);
        dis_subfield(d, ff, FID_IP_FLAGS_MF, (fb >> 5) & 1);
    }
    uint32_t frag;
    struct field *fo = dis_field_word(d, c, FID_IP_FRAG_OFFSET, 2, &frag);
    uint16_t frag_off = frag & 0x1fff;
    bool mf = (frag & 0x2000) != 0;
    dis_field_set(fo, frag_off);
    uint8_t ttl = dis_field_u8(d, c, FID_IP_TTL);
    uint8_t proto = dis_field_u8(d, c, FID_IP_PROTO);
    size_t csum_at = c->off;
    struct field *csum = dis_field_word(d, c, FID_IP_CHECKSUM, 2, NULL);
    struct field *csum_status = dis_subfield(d, csum, FID_IP_CHECKSUM_STATUS, CSUM_UNVERIFIED);
    const uint8_t *src = cur_peek_bytes(c, 0, 4);
    dis_field_skip(d, c, FID_IP_SRC, 4);
    const uint8_t *dst = cur_peek_bytes(c, 0, 4);
    dis_field_skip(d, c, FID_IP_DST, 4);

    d->sum.l3 = L3_IPV4;
    d->sum.addr_len = 4;
    /* What the layers above see: this header's addresses, not a quoted header's. */
    const struct dis_ctx up = {
        .quote_depth = ctx->quote_depth, .addr_len = 4, .src = src, .dst = dst};
    d->sum.ttl = ttl;
    for (int i = 0; i < 4; i++) {
        d->sum.src[i] = src[i];
        d->sum.dst[i] = dst[i];
    }
    if (mf || frag_off) {
        d->sum.is_fragment = true;
        d->sum.later_fragment = frag_off != 0;
    }

    bool bad_total = total < hlen;
    if (bad_total) {
        /* Nothing sensible can be said about the payload. */
        dis_damage(d, LAYER_MALFORMED, ANOM_IPV4_BAD_TOTAL_LENGTH, total_at);
    }
    if (hlen > avail) {
        bool cut = d->caplen < d->len || quoted;
        dis_damage(d, cut ? LAYER_TRUNCATED : LAYER_MALFORMED,
                   cut ? ANOM_IPV4_TRUNCATED : ANOM_IPV4_BAD_HEADER_LENGTH, start);
        if (avail > IPV4_MIN_HDR) {
            struct cursor t = *c;
            ipv4_options(d, cur_sub(&t, avail - IPV4_MIN_HDR, NULL));
        }
        dis_layer_end(d, c->end, c->end);
        c->off = c->end;
        return;
    }
    if (hlen > total && !bad_total) {
        dis_damage(d, LAYER_MALFORMED, ANOM_IPV4_BAD_HEADER_LENGTH, start);
        bad_total = true;
    }
    if (hlen > IPV4_MIN_HDR) {
        struct cursor t = *c;
        ipv4_options(d, cur_sub(&t, hlen - IPV4_MIN_HDR, NULL));
    }

    const uint8_t *hdr = cur_peek_bytes(&at_start, 0, hlen);
    if (d->verify_checksums && csum_status && hdr) {
        uint16_t r = inet_csum_fold(inet_csum_add(0, hdr, hlen));
        csum_status->value = r == 0 ? CSUM_GOOD : CSUM_BAD;
        if (r != 0) {
            dis_anomaly(d, ANOM_IPV4_BAD_CHECKSUM, csum_at);
            /* A wrong checksum is not a malformed header: the rest is still decoded. */
        }
    }

    size_t hdr_end = start + hlen;
    if (bad_total) {
        dis_layer_end(d, hdr_end, hdr_end);
        c->off = hdr_end;
        return;
    }
    /* The bytes the datagram may have on the wire: what was captured, plus what the capture
     * cut off the end of the frame when this layer runs to the frame's end. A total length
     * beyond that is a lie; the payload is then what the frame holds (as in Wireshark, whose
     * TCP segment length comes from the frame then, not from ip.len). */
    size_t wire_avail = avail;
    if (c->end == d->caplen && d->len > d->caplen)
        wire_avail += d->len - d->caplen;
    size_t payload_decl = (size_t)total - hlen;
    size_t layer_end = start + total;
    if (total > avail) {
        layer_end = start + avail;
        if (!quoted) {
            if (total <= wire_avail) {
                dis_layer_status(d, LAYER_TRUNCATED);
            } else {
                dis_damage(d, LAYER_MALFORMED, ANOM_IPV4_LENGTH_EXCEEDS_FRAME, total_at);
                payload_decl = wire_avail - hlen;
            }
        }
    }
    dis_layer_end(d, hdr_end, layer_end);
    c->off = hdr_end;
    struct cursor payload = cur_sub(c, layer_end - hdr_end, NULL);
    c->off = layer_end;
    d->sum.l4_declared_len = (uint32_t)payload_decl;
    if ((mf || frag_off) && d->reasm && ctx->quote_depth == 0 && !quoted) {
        /* Reassembly on (the default, as in Wireshark): the fragment waits for the rest of its
         * datagram, and the frame that completes it carries the whole datagram. */
        struct reasm_ip_key k = {.version = 4, .proto = proto, .id = ip_id};
        memcpy(k.src, src, 4);
        memcpy(k.dst, dst, 4);
        struct cursor whole;
        if (dis_ip_reassemble(d, &payload, &k, (uint32_t)frag_off * 8, mf, &whole)) {
            dissect_ip_payload(d, &whole, proto, &up);
            return;
        }
        d->sum.later_fragment = true; /* nothing of the transport is decoded here */
        dissect_data(d, &payload, LAYER_OK);
        return;
    }
    if (frag_off != 0) {
        /* A later fragment: its bytes continue a transport header seen elsewhere. */
        dissect_data(d, &payload, LAYER_OK);
        return;
    }
    dissect_ip_payload(d, &payload, proto, &up);
}
