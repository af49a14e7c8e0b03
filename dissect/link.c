/*
 * Link layers: Ethernet II and IEEE 802.3 with 802.2 LLC/SNAP, stacked 802.1Q / 802.1ad tags
 * (IEEE 802.1Q-2018), Linux cooked capture v1 and v2 (LINKTYPE_LINUX_SLL 113, LINKTYPE_LINUX_SLL2
 * 276), raw IP (12, 14, 101, 228, 229) and BSD loopback (NULL 0, LOOP 108).
 *
 * Ethernet keeps the bytes after its payload's declared end (minimum-size padding, trailers, an
 * FCS) as their own span, the way Wireshark reports eth.padding / eth.trailer / eth.fcs: the
 * network layer below is always clamped to its own length, never to the frame.
 */
#include "dissect/internal.h"

#define ETH_HDR_LEN 14
#define ETH_MIN_FRAME 60    /* minimum Ethernet frame without FCS: shorter payloads are padded */
#define ETH_MAX_LENGTH 1500 /* type/length values up to this are 802.3 lengths */
#define VLAN_MAX_TAGS 8     /* deeper stacks are not followed (Wireshark caps at 20) */

/* Bytes that pktscope does not decode: one data layer over the rest of the cursor. */
static void link_data_layer(struct dissection *d, struct cursor *c, enum layer_status st)
{
    if (cur_left(c) == 0 && st == LAYER_OK)
        return;
    if (dis_layer_begin(d, PROTO_DATA, c) < 0)
        return;
    dis_protocols_add(d, "data");
    dis_layer_status(d, st);
    dis_layer_end(d, c->off, c->end);
    c->off = c->end;
}

static void note_eth_addrs(struct dissection *d, const uint8_t *dst, const uint8_t *src)
{
    d->sum.has_eth = true;
    for (int i = 0; i < 6; i++) {
        d->sum.eth_dst[i] = dst[i];
        d->sum.eth_src[i] = src[i];
    }
}

/* IEEE 802.2 LLC, and SNAP (RFC 1042) when DSAP = SSAP = 0xAA. */
static void dissect_llc(struct dissection *d, struct cursor *c)
{
    if (dis_layer_begin(d, PROTO_LLC, c) < 0)
        return;
    dis_protocols_add(d, "llc");
    size_t start = c->off;
    uint8_t dsap = cur_u8(c), ssap = cur_u8(c);
    uint8_t ctl = cur_u8(c);
    if (c->truncated) {
        dis_bail(d, c, LAYER_TRUNCATED, ANOM_LLC_TRUNCATED, start);
        return;
    }
    dis_field(d, FID_LLC_DSAP, start, 1, dsap);
    dis_field(d, FID_LLC_SSAP, start + 1, 1, ssap);
    /* Only U-format (low two bits 11) control fields are one byte; I/S formats are two. */
    size_t ctl_len = (ctl & 3) == 3 ? 1 : 2;
    uint16_t ctl_val = ctl;
    if (ctl_len == 2) {
        ctl_val = (uint16_t)(ctl | (cur_u8(c) << 8));
    }
    dis_field(d, FID_LLC_CONTROL, start + 2, ctl_len, ctl_val);
    if (!c->truncated && dsap == 0xaa && ssap == 0xaa && ctl == 3) {
        uint32_t oui = cur_be24(c);
        uint16_t pid = cur_be16(c);
        if (!c->truncated) {
            dis_field(d, FID_LLC_OUI, start + 3, 3, oui);
            dis_field(d, FID_LLC_PID, start + 6, 2, pid);
            dis_layer_end(d, c->off, c->end);
            if (oui == 0) {
                /* RFC 1042: the PID is an EtherType. Wireshark lists no "ethertype" here. */
                switch (pid) {
                case PS_ETHERTYPE_IPV4:
                    dissect_ipv4(d, c, DIS_CTX_FRAME);
                    return;
                case PS_ETHERTYPE_IPV6:
                    dissect_ipv6(d, c, DIS_CTX_FRAME);
                    return;
                case PS_ETHERTYPE_ARP:
                case PS_ETHERTYPE_RARP:
                    dissect_arp(d, c);
                    return;
                default:
                    break;
                }
            }
            link_data_layer(d, c, LAYER_UNSUPPORTED);
            return;
        }
    }
    if (c->truncated) {
        dis_bail(d, c, LAYER_TRUNCATED, ANOM_LLC_TRUNCATED, start);
        return;
    }
    dis_layer_end(d, c->off, c->end);
    /* STP, NetBIOS, IPX ... are not decoded. */
    link_data_layer(d, c, LAYER_UNSUPPORTED);
}

static unsigned count_vlan_layers(const struct dissection *d)
{
    unsigned n = 0;
    for (unsigned i = 0; i < d->nlayers; i++)
        if (d->layers[i].proto == PROTO_VLAN || d->layers[i].proto == PROTO_IEEE8021AD)
            n++;
    return n;
}

/* A payload whose type/length field is a length (<= 1500): clamp to it, then LLC. */
static void dissect_8023_payload(struct dissection *d, struct cursor *c, uint16_t length,
                                 size_t len_off)
{
    if (length > cur_left(c) && d->caplen >= d->len)
        dis_anomaly(d, ANOM_ETH_BAD_LENGTH, len_off);
    struct cursor sub = cur_sub(c, length, NULL);
    dissect_llc(d, &sub);
}

/* IEEE 802.1Q C-tag (0x8100, and the old 0x9100 Q-in-Q) or 802.1ad S-tag (0x88a8). */
static void dissect_vlan(struct dissection *d, struct cursor *c, uint16_t tpid)
{
    if (count_vlan_layers(d) >= VLAN_MAX_TAGS) {
        dis_anomaly(d, ANOM_VLAN_TOO_DEEP, c->off);
        link_data_layer(d, c, LAYER_UNSUPPORTED);
        return;
    }
    bool s_tag = tpid == PS_ETHERTYPE_8021AD;
    if (dis_layer_begin(d, s_tag ? PROTO_IEEE8021AD : PROTO_VLAN, c) < 0)
        return;
    dis_protocols_add(d, s_tag ? "ieee8021ad" : "vlan");
    size_t start = c->off;
    uint16_t tci = cur_be16(c);
    uint16_t type = cur_be16(c);
    if (c->truncated) {
        dis_bail(d, c, LAYER_TRUNCATED, ANOM_ETH_TRUNCATED, start);
        return;
    }
    uint16_t id = tci & 0x0fff;
    dis_field(d, s_tag ? FID_IEEE8021AD_PRIORITY : FID_VLAN_PRIORITY, start, 2, tci >> 13);
    dis_field(d, s_tag ? FID_IEEE8021AD_DEI : FID_VLAN_DEI, start, 2, (tci >> 12) & 1);
    dis_field(d, s_tag ? FID_IEEE8021AD_ID : FID_VLAN_ID, start, 2, id);
    if (!d->sum.has_vlan) {
        d->sum.has_vlan = true;
        d->sum.vlan_id = id;
    }
    if (type <= ETH_MAX_LENGTH) {
        dis_field(d, FID_VLAN_LEN, start + 2, 2, type);
        dis_layer_end(d, c->off, c->end);
        dissect_8023_payload(d, c, type, start + 2);
        return;
    }
    /* Wireshark names an S-tag's type field ieee8021ah.etype (its 802.1ad dissector shares
     * 802.1ah's field), not vlan.etype, which stays the C-tag's. */
    dis_field(d, s_tag ? FID_IEEE8021AH_ETYPE : FID_VLAN_ETYPE, start + 2, 2, type);
    dis_layer_end(d, c->off, c->end);
    dissect_ethertype(d, c, type);
}

void dissect_ethertype(struct dissection *d, struct cursor *c, uint16_t ethertype)
{
    dis_protocols_add(d, "ethertype");
    switch (ethertype) {
    case PS_ETHERTYPE_IPV4:
        dissect_ipv4(d, c, DIS_CTX_FRAME);
        break;
    case PS_ETHERTYPE_IPV6:
        dissect_ipv6(d, c, DIS_CTX_FRAME);
        break;
    case PS_ETHERTYPE_ARP:
    case PS_ETHERTYPE_RARP:
        dissect_arp(d, c);
        break; /* RARP (RFC 903) has ARP's format */
    case PS_ETHERTYPE_VLAN:
    case PS_ETHERTYPE_8021AD:
    case PS_ETHERTYPE_QINQ:
        dissect_vlan(d, c, ethertype);
        break;
    default:
        if (d->nlayers)
            dis_anomaly(d, ANOM_ETHERTYPE_UNSUPPORTED, c->off);
        link_data_layer(d, c, LAYER_UNSUPPORTED);
        break;
    }
}

/* CRC-32 (IEEE 802.3), bitwise: only run on frames that carry a trailer of 4 bytes or more. */
static uint32_t eth_crc32(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

/*
 * The bytes after the payload's declared end. Wireshark's rule: in a frame of 60 bytes or more,
 * the bytes up to the 60-byte minimum are padding when they are all zero (else there is no
 * padding); the rest is a trailer (vlan.trailer under a VLAN tag), whose last 4 bytes are an FCS
 * when they are the frame's CRC-32.
 */
static void eth_trailer(struct dissection *d, const struct cursor *frame, size_t payload_end,
                        bool vlan)
{
    size_t end = frame->end;
    struct cursor c = cur_at(frame, payload_end);
    if (cur_left(&c) == 0 || dis_layer_begin(d, PROTO_PADDING, &c) < 0)
        return;
    size_t pad_limit = end < ETH_MIN_FRAME ? end : ETH_MIN_FRAME;
    while (c.off < pad_limit && cur_peek_u8(&c, 0) == 0)
        cur_skip(&c, 1);
    if (c.off < pad_limit || d->len < ETH_MIN_FRAME)
        c.off = payload_end; /* a non-zero byte before 60, or a short frame: no padding */
    if (c.off > payload_end)
        dis_field(d, FID_ETH_PADDING, payload_end, c.off - payload_end, 0);
    size_t trailer_len = cur_left(&c);
    uint32_t fcs = 0;
    bool has_fcs = false;
    if (trailer_len >= 4 && d->caplen >= d->len) {
        struct cursor f = cur_at(frame, end - 4);
        uint32_t wire = cur_le32(&f);
        size_t n = end - 4 - frame->off; /* the CRC covers the frame from its first byte */
        const uint8_t *covered = cur_peek_bytes(frame, 0, n);
        if (!f.truncated && covered && eth_crc32(covered, n) == wire) {
            has_fcs = true;
            /* the CRC goes out least significant byte first; the field shows the four bytes
             * in wire order, as Wireshark's eth.fcs does (tvb_get_ntohl) */
            fcs = ((wire & 0xffu) << 24) | ((wire & 0xff00u) << 8) | ((wire >> 8) & 0xff00u) |
                  (wire >> 24);
            trailer_len -= 4;
        }
    }
    if (trailer_len > 0)
        dis_field_skip(d, &c, vlan ? FID_VLAN_TRAILER : FID_ETH_TRAILER, trailer_len);
    if (has_fcs)
        dis_field(d, FID_ETH_FCS, end - 4, 4, fcs);
    dis_layer_end(d, payload_end, end);
}

/* Ethernet II (DIX) and IEEE 802.3. */
static void dissect_eth(struct dissection *d, struct cursor *c)
{
    const struct cursor frame = *c; /* the whole frame, for the trailer and its FCS */
    int idx = dis_layer_begin(d, PROTO_ETH, c);
    if (idx < 0)
        return;
    dis_protocols_add(d, "eth");
    size_t start = c->off;
    const uint8_t *dst = cur_bytes(c, 6);
    const uint8_t *src = cur_bytes(c, 6);
    uint16_t type = cur_be16(c);
    if (c->truncated) {
        dis_bail(d, c, LAYER_TRUNCATED, ANOM_ETH_TRUNCATED, start);
        return;
    }
    note_eth_addrs(d, dst, src);
    dis_field(d, FID_ETH_DST, start, 6, 0);
    dis_field(d, FID_ETH_DST_OUI, start, 3,
              ((uint32_t)dst[0] << 16) | ((uint32_t)dst[1] << 8) | dst[2]);
    dis_field(d, FID_ETH_DST_LG, start, 3, (dst[0] >> 1) & 1);
    dis_field(d, FID_ETH_DST_IG, start, 3, dst[0] & 1);
    dis_field(d, FID_ETH_SRC, start + 6, 6, 0);
    dis_field(d, FID_ETH_SRC_OUI, start + 6, 3,
              ((uint32_t)src[0] << 16) | ((uint32_t)src[1] << 8) | src[2]);
    dis_field(d, FID_ETH_SRC_LG, start + 6, 3, (src[0] >> 1) & 1);
    dis_field(d, FID_ETH_SRC_IG, start + 6, 3, src[0] & 1);
    if (type <= ETH_MAX_LENGTH)
        dis_field(d, FID_ETH_LEN, start + 12, 2, type);
    else
        dis_field(d, FID_ETH_TYPE, start + 12, 2, type);
    dis_layer_end(d, c->off, c->end);

    unsigned first_inner = d->nlayers;
    if (type <= ETH_MAX_LENGTH)
        dissect_8023_payload(d, c, type, start + 12);
    else
        dissect_ethertype(d, c, type);

    /* Where did the payload end? The furthest end of an inner layer that is not a tag. */
    size_t payload_end = 0;
    bool any = false, vlan = false;
    for (unsigned i = first_inner; i < d->nlayers; i++) {
        const struct layer *l = &d->layers[i];
        if (l->offset >= d->caplen)
            continue; /* a layer of reassembled data (dissect/reasm.h), not of this frame */
        if (l->proto == PROTO_VLAN || l->proto == PROTO_IEEE8021AD) {
            vlan = true;
            if (l->offset + l->hdr_len > payload_end)
                payload_end = l->offset + l->hdr_len;
            continue;
        }
        any = true;
        if ((size_t)l->offset + l->len > payload_end)
            payload_end = (size_t)l->offset + l->len;
    }
    if (any && payload_end < frame.end)
        eth_trailer(d, &frame, payload_end, vlan);
}

/* Linux cooked capture v1: 16-byte header, protocol last. */
static void dissect_sll_proto(struct dissection *d, struct cursor *c, uint16_t hatype,
                              uint16_t proto, size_t proto_off, bool v2)
{
    if (hatype == PS_ARPHRD_IPGRE) { /* the protocol is a GRE protocol type */
        dis_field(d, FID_SLL_GRETYPE, proto_off, 2, proto);
    } else if (proto > ETH_MAX_LENGTH) {
        dis_field(d, FID_SLL_ETYPE, proto_off, 2, proto);
    } else {
        dis_field(d, FID_SLL_LTYPE, proto_off, 2, proto);
    }
    dis_layer_end(d, c->off, c->end);
    (void)v2;
    if (hatype != PS_ARPHRD_IPGRE && proto > ETH_MAX_LENGTH) {
        dissect_ethertype(d, c, proto);
        return;
    }
    if (proto == 0x0004) { /* LINUX_SLL_P_802_2: an LLC header follows */
        dissect_llc(d, c);
        return;
    }
    link_data_layer(d, c, LAYER_UNSUPPORTED);
}

static void sll_address(struct dissection *d, size_t off, uint16_t hatype, uint16_t halen)
{
    if (halen == 0)
        return;
    if (halen > 8)
        halen = 8;
    if ((hatype == PS_ARPHRD_ETHER || hatype == PS_ARPHRD_LOOPBACK) && halen == 6)
        dis_field(d, FID_SLL_SRC_ETH, off, 6, 0);
    else if (halen == 4 &&
             (hatype == PS_ARPHRD_IPGRE || hatype == PS_ARPHRD_SIT || hatype == PS_ARPHRD_TUNNEL))
        dis_field(d, FID_SLL_SRC_IPV4, off, 4, 0);
    else
        dis_field(d, FID_SLL_SRC_UNKNOWN, off, halen, 0);
}

static void dissect_sll(struct dissection *d, struct cursor *c)
{
    if (dis_layer_begin(d, PROTO_SLL, c) < 0)
        return;
    dis_protocols_add(d, "sll");
    size_t start = c->off;
    uint16_t pkttype = cur_be16(c);
    uint16_t hatype = cur_be16(c);
    uint16_t halen = cur_be16(c);
    cur_skip(c, 8);
    uint16_t proto = cur_be16(c);
    if (c->truncated) {
        dis_bail(d, c, LAYER_TRUNCATED, ANOM_SLL_TRUNCATED, start);
        return;
    }
    dis_field(d, FID_SLL_PKTTYPE, start, 2, pkttype);
    dis_field(d, FID_SLL_HATYPE, start + 2, 2, hatype);
    dis_field(d, FID_SLL_HALEN, start + 4, 2, halen);
    sll_address(d, start + 6, hatype, halen);
    if (halen < 8)
        dis_field(d, FID_SLL_UNUSED, start + 6 + halen, (size_t)(8 - halen), 0);
    if (hatype == PS_ARPHRD_ETHER && halen == 6) {
        /* The source MAC is the only Ethernet address SLL keeps. */
        d->sum.has_eth = false;
    }
    dissect_sll_proto(d, c, hatype, proto, start + 14, false);
}

/* Linux cooked capture v2: protocol first, then interface index, 20 bytes. */
static void dissect_sll2(struct dissection *d, struct cursor *c)
{
    if (dis_layer_begin(d, PROTO_SLL2, c) < 0)
        return;
    dis_protocols_add(d, "sll");
    size_t start = c->off;
    uint16_t proto = cur_be16(c);
    cur_skip(c, 2);
    uint32_t ifindex = cur_be32(c);
    uint16_t hatype = cur_be16(c);
    uint8_t pkttype = cur_u8(c);
    uint8_t halen = cur_u8(c);
    cur_skip(c, 8);
    if (c->truncated) {
        dis_bail(d, c, LAYER_TRUNCATED, ANOM_SLL_TRUNCATED, start);
        return;
    }
    dis_field(d, FID_SLL_IFINDEX, start + 4, 4, ifindex);
    dis_field(d, FID_SLL_HATYPE, start + 8, 2, hatype);
    dis_field(d, FID_SLL_PKTTYPE, start + 10, 1, pkttype);
    dis_field(d, FID_SLL_HALEN, start + 11, 1, halen);
    sll_address(d, start + 12, hatype, halen);
    if (halen < 8)
        dis_field(d, FID_SLL_UNUSED, start + 12 + halen, (size_t)(8 - halen), 0);
    dissect_sll_proto(d, c, hatype, proto, start, true);
}

/* The version nibble decides (raw IP, and what NULL/LOOP carry). */
static void dissect_ip_by_version(struct dissection *d, struct cursor *c)
{
    uint8_t v = cur_peek_u8(c, 0) >> 4;
    if (cur_left(c) == 0) {
        dis_layer_status(d, LAYER_TRUNCATED);
        return;
    }
    if (v == 4)
        dissect_ipv4(d, c, DIS_CTX_FRAME);
    else if (v == 6)
        dissect_ipv6(d, c, DIS_CTX_FRAME);
    else {
        dis_damage(d, LAYER_MALFORMED, ANOM_RAW_BAD_VERSION, c->off);
        link_data_layer(d, c, LAYER_MALFORMED);
    }
}

static void dissect_raw(struct dissection *d, struct cursor *c)
{
    if (dis_layer_begin(d, PROTO_RAW, c) < 0)
        return;
    dis_protocols_add(d, "raw");
    dis_layer_end(d, c->off, c->end);
    dissect_ip_by_version(d, c);
}

/*
 * BSD loopback. NULL (0) stores a 4-byte header in the capturing host's byte order: usually an
 * address family, but IRIX and UNICOS/mp put a 16-bit family in its first two bytes and Linux
 * an EtherType. As Wireshark decides (packet-null.c), read it little-endian and then: nonzero
 * upper 16 bits are a family or EtherType of the other byte order (or IRIX's big-endian
 * 16-bit family, when the top byte is 0 and the next below 0x06); a value above 1500 is an
 * EtherType. LOOP (108) is always a family in network order. AF_INET is 2 everywhere; AF_INET6
 * is 24 (NetBSD, OpenBSD), 28 (FreeBSD, DragonFly) or 30 (Darwin). FF 03 starts a PPP frame in
 * HDLC framing, which pktscope does not decode.
 */
static void dissect_null(struct dissection *d, struct cursor *c, bool loop)
{
    if (dis_layer_begin(d, PROTO_NULL, c) < 0)
        return;
    dis_protocols_add(d, "null");
    size_t start = c->off;
    if (!loop && cur_left(c) >= 2 && cur_peek_u8(c, 0) == 0xff && cur_peek_u8(c, 1) == 0x03) {
        dis_anomaly(d, ANOM_NULL_UNKNOWN_FAMILY, start);
        dis_layer_end(d, start, start);
        link_data_layer(d, c, LAYER_UNSUPPORTED);
        return;
    }
    uint32_t fam = loop ? cur_be32(c) : cur_le32(c);
    if (c->truncated) {
        dis_bail(d, c, LAYER_TRUNCATED, ANOM_NULL_TRUNCATED, start);
        return;
    }
    if (!loop) {
        if (fam & 0xffff0000u) {
            if ((fam & 0xff000000u) == 0 && (fam & 0x00ff0000u) < 0x00060000u)
                fam >>= 16;
            else
                fam = ((fam & 0xff) << 24) | ((fam & 0xff00) << 8) | ((fam >> 8) & 0xff00) |
                      (fam >> 24);
        } else if ((fam & 0xff) == 0 && (fam & 0xff00) < 0x0600) {
            fam = ((fam & 0xff) << 8) | ((fam >> 8) & 0xff);
        }
    }
    if (!loop && fam > ETH_MAX_LENGTH) {
        /* An EtherType: Wireshark hands it straight to the EtherType table, so no
         * "ethertype" element in frame.protocols. */
        uint16_t type = (uint16_t)fam;
        dis_field(d, FID_NULL_TYPE, start, 4, type);
        dis_layer_end(d, c->off, c->end);
        switch (type) {
        case PS_ETHERTYPE_IPV4:
            dissect_ipv4(d, c, DIS_CTX_FRAME);
            break;
        case PS_ETHERTYPE_IPV6:
            dissect_ipv6(d, c, DIS_CTX_FRAME);
            break;
        case PS_ETHERTYPE_ARP:
        case PS_ETHERTYPE_RARP:
            dissect_arp(d, c);
            break;
        default:
            dis_anomaly(d, ANOM_ETHERTYPE_UNSUPPORTED, start);
            link_data_layer(d, c, LAYER_UNSUPPORTED);
            break;
        }
        return;
    }
    dis_field(d, FID_NULL_FAMILY, start, 4, fam);
    dis_layer_end(d, c->off, c->end);
    switch (fam) {
    case 2:
        dissect_ipv4(d, c, DIS_CTX_FRAME);
        break;
    case 24:
    case 28:
    case 30:
        dissect_ipv6(d, c, DIS_CTX_FRAME);
        break;
    default:
        dis_anomaly(d, ANOM_NULL_UNKNOWN_FAMILY, start);
        link_data_layer(d, c, LAYER_UNSUPPORTED);
        break;
    }
}

void dissect_link(struct dissection *d, struct cursor *c, uint32_t linktype)
{
    switch (linktype) {
    case 1:
        dissect_eth(d, c);
        return;
    case 113:
        dissect_sll(d, c);
        return;
    case 276:
        dissect_sll2(d, c);
        return;
    case 12:
    case 14:
    case 101:
        dissect_raw(d, c);
        return;
    case 228:
        dissect_ipv4(d, c, DIS_CTX_FRAME);
        return;
    case 229:
        dissect_ipv6(d, c, DIS_CTX_FRAME);
        return;
    case 0:
        dissect_null(d, c, false);
        return;
    case 108:
        dissect_null(d, c, true);
        return;
    default:
        break;
    }
    /* Never an error: the frame is shown as bytes. */
    if (dis_layer_begin(d, PROTO_UNKNOWN_LINK, c) < 0)
        return;
    dis_damage(d, LAYER_UNSUPPORTED, ANOM_LINK_UNSUPPORTED, c->off);
    dis_layer_end(d, c->off, c->end);
    c->off = c->end;
}
