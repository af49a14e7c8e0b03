/*
 * IPv6 (RFC 8200) and the IP payload dispatcher shared with IPv4.
 *
 * Extension headers are layers of their own, as in Wireshark: Hop-by-Hop Options and Destination
 * Options (RFC 8200 4.3, 4.6), Routing (4.4: type 0 of RFC 5095, type 2 of RFC 6275, Segment
 * Routing of RFC 8754), Fragment (4.5), the Authentication Header (RFC 4302: walked, because its
 * length field lets us reach what it protects) and ESP (RFC 4303: SPI and sequence number only;
 * everything after them is encrypted, so the chain ends there). The chain is bounded by
 * IPV6_MAX_EXT headers and by the layer array, and every step advances by at least 8 bytes.
 *
 * Fragments are reassembled when the dissection has a reassembler (reasm.h, the default): the
 * frame that completes a datagram continues the chain with the datagram's payload, the others
 * are data. Without one (--no-reassembly), as tshark does without reassembly, a first fragment
 * (offset 0) is dissected through (its transport checksum is not verified: the datagram is
 * incomplete) and the bytes of a later fragment become a data layer. An atomic fragment
 * (RFC 6946) is a whole packet either way.
 * The IPv6 header of the packet quoted by an ICMPv6 error (RFC 4443 2.4 c; dis_ctx.quote_head) is
 * cut short by design, so its payload length is not held against it.
 */
#include "dissect/reasm_internal.h"

#include <string.h>

enum {
    IPV6_HDR = 40,
    IPV6_MAX_EXT = 8,         /* more extension headers than any sane packet carries */
    IPV6_MAX_OPT_FIELDS = 64, /* options shown per header; the rest are still walked */
    IPV6_MAX_RT_ADDRS = 32,   /* routing addresses shown per header */
    RT_TYPE0 = 0,
    RT_MIP6 = 2,
    RT_SRH = 4,
};

static bool is_ext(uint8_t nh)
{
    return nh == PS_IPPROTO_HOPOPTS || nh == PS_IPPROTO_ROUTING || nh == PS_IPPROTO_FRAGMENT ||
           nh == PS_IPPROTO_ESP || nh == PS_IPPROTO_AH || nh == PS_IPPROTO_DSTOPTS;
}

/* An extension header's length in bytes from its type and its second byte (RFC 8200 4.5:
 * a Fragment header is 8 bytes whatever that byte holds; RFC 4302 2.2: AH counts 4-byte words
 * less two; the others count 8-byte words past the first). */
static size_t ext_len(uint8_t nh, uint8_t len_byte)
{
    return nh == PS_IPPROTO_AH         ? ((size_t)len_byte + 2) * 4
           : nh == PS_IPPROTO_FRAGMENT ? 8
                                       : ((size_t)len_byte + 1) * 8;
}

static enum proto_id ext_proto(uint8_t nh)
{
    switch (nh) {
    case PS_IPPROTO_HOPOPTS:
        return PROTO_IPV6_HOPOPTS;
    case PS_IPPROTO_ROUTING:
        return PROTO_IPV6_ROUTING;
    case PS_IPPROTO_FRAGMENT:
        return PROTO_IPV6_FRAGMENT;
    case PS_IPPROTO_AH:
        return PROTO_AH;
    case PS_IPPROTO_ESP:
        return PROTO_ESP;
    default:
        return PROTO_IPV6_DSTOPTS;
    }
}

/* Hop-by-Hop and Destination Options: TLVs, Pad1 being the only one without a length. */
static void ext_options(struct dissection *d, struct cursor *h, bool hop)
{
    /* h holds the whole header, at least 8 bytes. */
    dis_field_u8(d, h, hop ? FID_IPV6_HOPOPTS_NXT : FID_IPV6_DSTOPTS_NXT);
    dis_field_u8(d, h, hop ? FID_IPV6_HOPOPTS_LEN : FID_IPV6_DSTOPTS_LEN);
    unsigned shown = 0;
    while (cur_left(h) > 0) {
        size_t off = h->off;
        struct cursor opt = *h; /* the option is read again by the field readers when shown */
        uint8_t type = cur_u8(h);
        bool show = shown++ < IPV6_MAX_OPT_FIELDS;
        if (type == 0) { /* Pad1 */
            if (show)
                dis_field_u8(d, &opt, FID_IPV6_OPT_TYPE);
            continue;
        }
        uint8_t olen = cur_u8(h);
        if (h->truncated || olen > cur_left(h)) {
            dis_damage(d, LAYER_MALFORMED, ANOM_IPV6_BAD_EXT, off);
            return;
        }
        if (show) {
            /* ipv6.opt.type covers the whole option, ipv6.opt.length its second byte. */
            struct field *of = dis_field_blob(d, &opt, FID_IPV6_OPT_TYPE, (size_t)olen + 2);
            dis_field_set(of, type);
            dis_subfield_span(d, of, 1, 1, FID_IPV6_OPT_LENGTH, olen);
        }
        cur_skip(h, olen);
    }
}

/*
 * `*final` is set to the packet's final destination when addresses remain to be visited: the
 * transport checksum's pseudo-header uses it (RFC 8200 8.1), as the receiver will.
 */
static void ext_routing(struct dissection *d, struct cursor *h, const uint8_t **final)
{
    size_t hlen = cur_left(h);
    /* h holds the whole header, at least 8 bytes: the fixed fields are all there. */
    dis_field_u8(d, h, FID_IPV6_ROUTING_NXT);
    dis_field_u8(d, h, FID_IPV6_ROUTING_LEN);
    uint8_t type = dis_field_u8(d, h, FID_IPV6_ROUTING_TYPE);
    uint8_t segleft = dis_field_u8(d, h, FID_IPV6_ROUTING_SEGLEFT);
    if (type == RT_SRH) {
        /* RFC 8754 2: Last Entry indexes the segment list, which starts after 8 bytes. */
        size_t last_at = h->off;
        uint8_t last = dis_field_u8(d, h, FID_IPV6_SRH_LAST_ENTRY);
        dis_field_u8(d, h, FID_IPV6_SRH_FLAGS);
        dis_field_be16(d, h, FID_IPV6_SRH_TAG);
        size_t nseg = (size_t)last + 1;
        if (nseg > (hlen - 8) / 16 || segleft > nseg) {
            dis_damage(d, LAYER_MALFORMED, ANOM_IPV6_BAD_EXT, last_at);
            if (nseg > (hlen - 8) / 16)
                nseg = (hlen - 8) / 16;
        }
        for (size_t i = 0; i < nseg && i < IPV6_MAX_RT_ADDRS; i++) {
            const uint8_t *a = cur_peek_bytes(h, 0, 16);
            if (!dis_field_skip(d, h, FID_IPV6_SRH_ADDR, 16))
                break;
            /* RFC 8754 2: Segment List[0] is the last segment of the path. */
            if (i == 0 && segleft > 0)
                *final = a;
        }
        return;
    }
    if (type == RT_TYPE0 || type == RT_MIP6) {
        /* 4 reserved bytes, then addresses (RFC 5095 deprecates type 0, RFC 6275 6.4). */
        cur_skip(h, 4);
        for (size_t i = 0; cur_left(h) >= 16; i++) {
            if (segleft > 0)
                *final = cur_peek_bytes(h, 0, 16); /* the last address listed */
            if (i < IPV6_MAX_RT_ADDRS)
                dis_field_skip(d, h, FID_IPV6_ROUTING_ADDR, 16);
            else
                cur_skip(h, 16);
        }
    }
}

/* The fragment header's values that reassembly needs. */
struct ipv6_frag {
    uint32_t id;
    uint16_t offset; /* in 8-byte units */
    bool more;
};

/*
 * Returns true when this is a fragment (not an atomic one, RFC 6946); f gets its values.
 */
static bool ext_fragment(struct dissection *d, struct cursor *h, struct ipv6_frag *f)
{
    /* h holds the whole 8-byte header. */
    dis_field_u8(d, h, FID_IPV6_FRAGHDR_NXT);
    cur_skip(h, 1); /* reserved */
    uint32_t offlg; /* offset and M flag: bit fields of one word */
    struct field *of = dis_field_word(d, h, FID_IPV6_FRAG_OFFSET, 2, &offlg);
    f->offset = (uint16_t)(offlg >> 3);
    f->more = (offlg & 1) != 0;
    dis_field_set(of, f->offset);
    dis_subfield_span(d, of, 1, 1, FID_IPV6_FRAG_MORE, f->more);
    f->id = dis_field_be32(d, h, FID_IPV6_FRAG_ID);
    /* An "atomic fragment" (offset 0, M 0, RFC 6946) is a whole packet. */
    if (f->offset != 0 || f->more) {
        d->sum.is_fragment = true;
        d->sum.later_fragment = f->offset != 0;
        return true;
    }
    return false;
}

static void ext_ah(struct dissection *d, struct cursor *h)
{
    size_t hlen = cur_left(h);
    /* h holds the whole header, at least 8 bytes. */
    dis_field_u8(d, h, FID_AH_NEXT_HEADER);
    size_t len_at = h->off;
    dis_field_u8(d, h, FID_AH_LENGTH);
    if (hlen < 12) {
        /* RFC 4302 2.2: SPI and sequence number are mandatory, so the length is at least 1. */
        dis_damage(d, LAYER_MALFORMED, ANOM_IPV6_BAD_EXT, len_at);
        return;
    }
    cur_skip(h, 2); /* reserved */
    dis_field_be32(d, h, FID_AH_SPI);
    dis_field_be32(d, h, FID_AH_SEQUENCE);
    if (hlen > 12)
        dis_field_skip(d, h, FID_AH_ICV, hlen - 12);
}

static void esp_layer(struct dissection *d, struct cursor *c, const struct dis_ctx *ctx)
{
    size_t start = c->off;
    if (dis_layer_begin(d, PROTO_ESP, c) < 0)
        return;
    dis_protocols_add(d, "esp");
    if (!cur_need(c, 8)) {
        bool cut = d->caplen < d->len || ctx->quote_depth > 0;
        dis_bail(d, c, cut ? LAYER_TRUNCATED : LAYER_MALFORMED,
                 cut ? ANOM_IPV6_EXT_TRUNCATED : ANOM_IPV6_BAD_EXT, start);
        return;
    }
    dis_field_be32(d, c, FID_ESP_SPI);
    dis_field_be32(d, c, FID_ESP_SEQUENCE);
    /* The rest is ciphertext, padding and ICV: opaque without the keys. */
    dis_layer_end(d, start + 8, c->end);
    c->off = c->end;
}

static void upper_layer(struct dissection *d, struct cursor *c, uint8_t nh,
                        const struct dis_ctx *ctx)
{
    switch (nh) {
    case PS_IPPROTO_TCP:
        dissect_tcp(d, c, ctx);
        break;
    case PS_IPPROTO_UDP:
        dissect_udp(d, c, ctx);
        break;
    case PS_IPPROTO_ICMP:
        dissect_icmp(d, c, ctx);
        break;
    case PS_IPPROTO_ICMPV6:
        dissect_icmpv6(d, c, ctx);
        break;
    case PS_IPPROTO_IPIP:
        dissect_ipv4(d, c, ctx);
        break; /* RFC 2003; depth bounded by the layer array */
    case PS_IPPROTO_IPV6:
        dissect_ipv6(d, c, ctx);
        break; /* RFC 2473 */
    case PS_IPPROTO_NONE:
        dissect_data(d, c, LAYER_OK);
        break; /* RFC 8200 4.7: bytes after it are ignored */
    default:
        dissect_data(d, c, LAYER_UNSUPPORTED);
        break;
    }
}

/*
 * Walks the extension headers starting with `nh`, then hands the rest to the upper layer.
 * `first`: called straight after an IPv6 header, the only place Hop-by-Hop may appear.
 */
static void ip_chain(struct dissection *d, struct cursor *c, uint8_t nh, bool first,
                     const struct dis_ctx *ctx)
{
    bool any_ext = false;
    struct cursor last_nxt = *c; /* the Next Header byte of the last extension header */
    const uint8_t *final_dst = NULL;
    for (unsigned depth = 0;; depth++) {
        if (!is_ext(nh) || nh == PS_IPPROTO_ESP) {
            if (any_ext)
                dis_field_u8(d, &last_nxt, FID_IPV6_EXT_NXT);
            if (nh == PS_IPPROTO_ESP) {
                esp_layer(d, c, ctx);
            } else {
                /* The transport checksums against the final destination; the summary keeps
                 * the header's, which is what the packet list and flows show. */
                if (final_dst && ctx->addr_len == 16) {
                    struct dis_ctx routed = *ctx;
                    routed.dst = final_dst;
                    upper_layer(d, c, nh, &routed);
                } else {
                    upper_layer(d, c, nh, ctx);
                }
            }
            return;
        }
        if (depth >= IPV6_MAX_EXT) {
            dis_damage(d, LAYER_UNSUPPORTED, ANOM_IPV6_EXT_TOO_MANY, c->off);
            dissect_data(d, c, LAYER_OK);
            return;
        }
        enum proto_id p = ext_proto(nh);
        size_t start = c->off;
        size_t avail = cur_left(c);
        if (avail == 0) {
            /* Nothing of the next header was captured: say so on the layer we are in, rather
             * than open an empty one. */
            if (ctx->quote_depth > 0)
                return; /* an ICMP error's quote ends where it ends */
            /* Bytes declared by the payload length but not captured, or none declared. */
            bool cut = d->sum.l4_declared_len > 0;
            dis_damage(d, cut ? LAYER_TRUNCATED : LAYER_MALFORMED,
                       cut ? ANOM_IPV6_EXT_TRUNCATED : ANOM_IPV6_BAD_EXT, start);
            return;
        }
        if (dis_layer_begin(d, p, c) < 0)
            return;
        dis_protocols_add(d, proto_info(p)->short_name);
        any_ext = true;
        last_nxt = *c;
        if (nh == PS_IPPROTO_HOPOPTS && !(first && depth == 0)) {
            /* RFC 8200 4.1: Hop-by-Hop Options only immediately after the IPv6 header. */
            dis_damage(d, LAYER_MALFORMED, ANOM_IPV6_BAD_EXT, start);
        }
        uint8_t next = cur_peek_u8(c, 0);
        uint8_t raw = cur_peek_u8(c, 1);
        size_t hlen = ext_len(nh, raw);
        if (avail < 2 || hlen > avail) {
            /* Cut by the capture (or by design in an ICMP quote), or longer than declared. */
            uint32_t declared = d->sum.l4_declared_len;
            bool cut = ctx->quote_depth > 0 || declared > avail;
            dis_bail(d, c, cut ? LAYER_TRUNCATED : LAYER_MALFORMED,
                     cut ? ANOM_IPV6_EXT_TRUNCATED : ANOM_IPV6_BAD_EXT, start);
            return;
        }
        struct cursor h = cur_sub(c, hlen, NULL);
        bool frag = false;
        struct ipv6_frag fh = {0};
        switch (nh) {
        case PS_IPPROTO_HOPOPTS:
            ext_options(d, &h, true);
            break;
        case PS_IPPROTO_DSTOPTS:
            ext_options(d, &h, false);
            break;
        case PS_IPPROTO_ROUTING:
            ext_routing(d, &h, &final_dst);
            break;
        case PS_IPPROTO_FRAGMENT:
            frag = ext_fragment(d, &h, &fh);
            break;
        default:
            ext_ah(d, &h);
            break;
        }
        d->sum.l4_declared_len =
            d->sum.l4_declared_len > hlen ? d->sum.l4_declared_len - (uint32_t)hlen : 0;
        dis_layer_end(d, start + hlen, c->end);
        if (frag && d->reasm && ctx->quote_depth == 0) {
            /* RFC 8200 4.5: the fragments of one datagram share source, destination and
             * identification; the payload after this header is the fragmentable part. */
            struct reasm_ip_key k = {.version = 6, .proto = next, .id = fh.id};
            memcpy(k.src, d->sum.src, 16);
            memcpy(k.dst, d->sum.dst, 16);
            struct cursor whole;
            if (!dis_ip_reassemble(d, c, &k, (uint32_t)fh.offset * 8, fh.more, &whole)) {
                dis_field_u8(d, &last_nxt, FID_IPV6_EXT_NXT);
                d->sum.later_fragment = true; /* nothing of the transport is decoded here */
                dissect_data(d, c, LAYER_OK);
                return;
            }
            c->off = c->end;
            *c = whole;
        } else if (frag && fh.offset != 0) {
            dis_field_u8(d, &last_nxt, FID_IPV6_EXT_NXT);
            dissect_data(d, c, LAYER_OK);
            return;
        }
        nh = next;
    }
}

enum dis_ip_walk dis_ip_transport(uint8_t nh, const uint8_t *p, size_t n, bool reassembly,
                                  uint8_t *proto, size_t *off)
{
    /* ip_chain's steps, without its fields: where it stops, this stops. */
    size_t at = 0;
    for (unsigned depth = 0;; depth++) {
        if (!is_ext(nh) || nh == PS_IPPROTO_ESP) {
            if (nh == PS_IPPROTO_ESP)
                return DIS_WALK_OTHER;
            *proto = nh;
            *off = at;
            return DIS_WALK_TRANSPORT;
        }
        size_t avail = n - at;
        if (depth >= IPV6_MAX_EXT || avail < 2)
            return DIS_WALK_OTHER;
        size_t hlen = ext_len(nh, p[at + 1]);
        if (hlen > avail)
            return DIS_WALK_OTHER;
        if (nh == PS_IPPROTO_FRAGMENT) {
            unsigned offlg = (unsigned)(p[at + 2] << 8 | p[at + 3]);
            bool atomic = (offlg >> 3) == 0 && !(offlg & 1); /* a whole packet (ext_fragment) */
            if (!atomic && reassembly)
                return DIS_WALK_FRAGMENT;
            if (offlg >> 3) /* a later fragment: shown as data */
                return DIS_WALK_OTHER;
        }
        nh = p[at];
        at += hlen;
    }
}

void dissect_ip_payload(struct dissection *d, struct cursor *c, uint8_t proto,
                        const struct dis_ctx *ctx)
{
    ip_chain(d, c, proto, false, ctx);
}

void dissect_ipv6(struct dissection *d, struct cursor *c, const struct dis_ctx *ctx)
{
    bool quoted = ctx->quote_head;
    if (dis_layer_begin(d, PROTO_IPV6, c) < 0)
        return;
    dis_protocols_add(d, "ipv6");
    size_t start = c->off;
    size_t avail = cur_left(c);
    /* Version, traffic class and flow label are bit fields of the first word: each is read
     * again, from a copy of the cursor, over the bytes Wireshark shows it on. */
    const struct cursor at_start = *c;
    struct cursor w = at_start;
    uint32_t vb;
    struct field *vf = dis_field_word(d, &w, FID_IPV6_VERSION, 1, &vb);
    uint8_t version = (uint8_t)(vb >> 4);
    dis_field_set(vf, version);
    if (avail >= 1 && version != 6) {
        dis_bail(d, c, LAYER_MALFORMED, ANOM_IPV6_BAD_VERSION, start);
        return;
    }
    /* Each reader records its field only when its bytes were captured, so a header cut short
     * shows the fields before the cut. Traffic class and flow label are bit fields. */
    uint32_t vtf = cur_be32(c);
    uint8_t tclass = (uint8_t)(vtf >> 20);
    if (!c->truncated) {
        w = at_start;
        struct field *tf = dis_field_word(d, &w, FID_IPV6_TCLASS, 2, NULL);
        dis_field_set(tf, tclass);
        if (!d->lean) { /* details (dis_field_is_detail) */
            dis_subfield(d, tf, FID_IPV6_TCLASS_DSCP, tclass >> 2);
            dis_subfield(d, tf, FID_IPV6_TCLASS_ECN, tclass & 3);
        }
        w = at_start;
        cur_skip(&w, 1);
        dis_field_set(dis_field_word(d, &w, FID_IPV6_FLOW, 3, NULL), vtf & 0xfffff);
    }
    size_t plen_at = c->off;
    uint16_t plen = dis_field_be16(d, c, FID_IPV6_PLEN);
    uint8_t nxt = dis_field_u8(d, c, FID_IPV6_NXT);
    uint8_t hlim = dis_field_u8(d, c, FID_IPV6_HLIM);
    const uint8_t *src = cur_peek_bytes(c, 0, 16);
    dis_field_skip(d, c, FID_IPV6_SRC, 16);
    const uint8_t *dst = cur_peek_bytes(c, 0, 16);
    dis_field_skip(d, c, FID_IPV6_DST, 16);
    if (c->truncated) {
        dis_bail(d, c, LAYER_TRUNCATED, ANOM_IPV6_TRUNCATED, start);
        return;
    }

    struct dis_summary *s = &d->sum;
    s->l3 = L3_IPV6;
    s->addr_len = 16;
    /* What the layers above see: this header's addresses, not a quoted header's. */
    const struct dis_ctx up = {
        .quote_depth = ctx->quote_depth, .addr_len = 16, .src = src, .dst = dst};
    s->ttl = hlim;
    for (int i = 0; i < 16; i++) {
        s->src[i] = src[i];
        s->dst[i] = dst[i];
    }

    size_t cap_pay = avail - IPV6_HDR;
    /* RFC 2675: payload length 0 with a Hop-by-Hop header is a jumbogram; its real length is
     * in the Jumbo Payload option, so take what was captured. */
    bool jumbo = plen == 0 && nxt == PS_IPPROTO_HOPOPTS;
    size_t pay = jumbo ? cap_pay : plen;
    if (pay > cap_pay) {
        if (!quoted) {
            if (d->caplen < d->len) {
                dis_layer_status(d, LAYER_TRUNCATED);
            } else {
                dis_damage(d, LAYER_MALFORMED, ANOM_IPV6_BAD_PAYLOAD_LENGTH, plen_at);
            }
        }
        pay = cap_pay;
    }
    size_t hdr_end = start + IPV6_HDR;
    dis_layer_end(d, hdr_end, hdr_end + pay);
    struct cursor payload = cur_sub(c, pay, NULL);
    s->l4_declared_len = jumbo ? 0 : plen;
    ip_chain(d, &payload, nxt, true, &up);
    c->off = hdr_end + pay;
}
