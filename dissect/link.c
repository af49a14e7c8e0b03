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
    if (!cur_need(c, 3)) {
        dis_bail(d, c, LAYER_TRUNCATED, ANOM_LLC_TRUNCATED, start);
        return;
    }
    uint8_t dsap = dis_field_u8(d, c, FID_LLC_DSAP);
    uint8_t ssap = dis_field_u8(d, c, FID_LLC_SSAP);
    /* Only U-format (low two bits 11) control fields are one byte; I/S formats are two, the
     * first byte the low one. */
    uint8_t ctl = cur_peek_u8(c, 0);
    if ((ctl & 3) == 3) {
        dis_field_u8(d, c, FID_LLC_CONTROL);
    } else {
        struct cursor ctl_at = *c;
        uint32_t w;
        struct field *cf = dis_field_word(d, c, FID_LLC_CONTROL, 2, &w);
        dis_field_set(cf, ((w & 0xff) << 8) | (w >> 8));
        if (c->truncated) {
            /* The second byte is past the LLC window: the field still claims both bytes as
             * far as the frame holds them, with the first byte's value. That is a field
             * reaching outside its layer, kept as it is so that moving to the readers
             * changes no dissection (a cursor over the frame reads it). */
            struct cursor fr;
            cur_init(&fr, d->data, d->data_len);
            cur_seek(&fr, ctl_at.off);
            size_t n = cur_left(&fr) < 2 ? cur_left(&fr) : 2;
            dis_field_set(dis_field_blob(d, &fr, FID_LLC_CONTROL, n), ctl);
        }
    }
    if (!c->truncated && dsap == 0xaa && ssap == 0xaa && ctl == 3) {
        if (cur_need(c, 5)) {
            uint32_t oui;
            dis_field_word(d, c, FID_LLC_OUI, 3, &oui);
            uint16_t pid = dis_field_be16(d, c, FID_LLC_PID);
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
    if (!cur_need(c, 4)) {
        dis_bail(d, c, LAYER_TRUNCATED, ANOM_ETH_TRUNCATED, start);
        return;
    }
    /* The TCI: priority, DEI and VLAN ID are its bits, each shown over the whole word. */
    uint32_t tci;
    struct field *tf =
        dis_field_word(d, c, s_tag ? FID_IEEE8021AD_PRIORITY : FID_VLAN_PRIORITY, 2, &tci);
    dis_field_set(tf, tci >> 13);
    uint16_t id = tci & 0x0fff;
    dis_subfield(d, tf, s_tag ? FID_IEEE8021AD_DEI : FID_VLAN_DEI, (tci >> 12) & 1);
    dis_subfield(d, tf, s_tag ? FID_IEEE8021AD_ID : FID_VLAN_ID, id);
    if (!d->sum.has_vlan) {
        d->sum.has_vlan = true;
        d->sum.vlan_id = id;
    }
    size_t type_at = c->off;
    uint16_t type = cur_peek_be16(c, 0);
    if (type <= ETH_MAX_LENGTH) {
        dis_field_be16(d, c, FID_VLAN_LEN);
        dis_layer_end(d, c->off, c->end);
        dissect_8023_payload(d, c, type, type_at);
        return;
    }
    /* Wireshark names an S-tag's type field ieee8021ah.etype (its 802.1ad dissector shares
     * 802.1ah's field), not vlan.etype, which stays the C-tag's. */
    dis_field_be16(d, c, s_tag ? FID_IEEE8021AH_ETYPE : FID_VLAN_ETYPE);
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
    struct cursor z = c; /* runs over the zero bytes */
    while (z.off < pad_limit && cur_peek_u8(&z, 0) == 0)
        cur_skip(&z, 1);
    /* A non-zero byte before 60, or a short frame: no padding. */
    if (!(z.off < pad_limit || d->len < ETH_MIN_FRAME) && z.off > c.off)
        dis_field_skip(d, &c, FID_ETH_PADDING, z.off - c.off);
    size_t trailer_len = cur_left(&c);
    bool has_fcs = false;
    if (trailer_len >= 4 && d->caplen >= d->len) {
        struct cursor f = cur_at(frame, end - 4);
        uint32_t wire = cur_le32(&f);
        size_t n = end - 4 - frame->off; /* the CRC covers the frame from its first byte */
        const uint8_t *covered = cur_peek_bytes(frame, 0, n);
        if (!f.truncated && covered && eth_crc32(covered, n) == wire) {
            has_fcs = true;
            trailer_len -= 4;
        }
    }
    if (trailer_len > 0)
        dis_field_skip(d, &c, vlan ? FID_VLAN_TRAILER : FID_ETH_TRAILER, trailer_len);
    /* The CRC goes out least significant byte first; the field shows the four bytes in wire
     * order, as Wireshark's eth.fcs does (tvb_get_ntohl). c is at them: the trailer stopped
     * 4 bytes before the end. */
    if (has_fcs)
        dis_field_be32(d, &c, FID_ETH_FCS);
    dis_layer_end(d, payload_end, end);
}

/* The fields of an Ethernet address: the address, and its OUI and L/G and I/G bits, shown
 * over the OUI's three bytes. */
struct eth_addr_ids {
    enum field_id addr, oui, lg, ig;
};
static const struct eth_addr_ids eth_dst_ids = {FID_ETH_DST, FID_ETH_DST_OUI, FID_ETH_DST_LG,
                                                FID_ETH_DST_IG};
static const struct eth_addr_ids eth_src_ids = {FID_ETH_SRC, FID_ETH_SRC_OUI, FID_ETH_SRC_LG,
                                                FID_ETH_SRC_IG};

/* Reads an address the caller knows is there (6 bytes) and returns its bytes. */
static const uint8_t *eth_address(struct dissection *d, struct cursor *c,
                                  const struct eth_addr_ids *ids)
{
    const uint8_t *a = cur_peek_bytes(c, 0, 6);
    struct field *f = dis_field_blob(d, c, ids->addr, 6);
    if (d->lean) /* details (dis_field_is_detail) */
        return a;
    dis_subfield_span(d, f, 0, 3, ids->oui, ((uint32_t)a[0] << 16) | ((uint32_t)a[1] << 8) | a[2]);
    dis_subfield_span(d, f, 0, 3, ids->lg, (a[0] >> 1) & 1);
    dis_subfield_span(d, f, 0, 3, ids->ig, a[0] & 1);
    return a;
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
    if (!cur_need(c, ETH_HDR_LEN)) {
        dis_bail(d, c, LAYER_TRUNCATED, ANOM_ETH_TRUNCATED, start);
        return;
    }
    const uint8_t *dst = eth_address(d, c, &eth_dst_ids);
    const uint8_t *src = eth_address(d, c, &eth_src_ids);
    note_eth_addrs(d, dst, src);
    size_t type_at = c->off;
    uint16_t type = cur_peek_be16(c, 0);
    dis_field_be16(d, c, type <= ETH_MAX_LENGTH ? FID_ETH_LEN : FID_ETH_TYPE);
    dis_layer_end(d, c->off, c->end);

    unsigned first_inner = d->nlayers;
    if (type <= ETH_MAX_LENGTH)
        dissect_8023_payload(d, c, type, type_at);
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

/*
 * The protocol field of Linux cooked capture v1 or v2, read through `pf`, a cursor at it (c
 * itself in v1, where it is the last field; a copy of the header's start in v2, where it is
 * the first field but shown last), then the payload at c.
 */
static void dissect_sll_proto(struct dissection *d, struct cursor *c, struct cursor *pf,
                              uint16_t hatype)
{
    uint16_t proto = cur_peek_be16(pf, 0);
    if (hatype == PS_ARPHRD_IPGRE) { /* the protocol is a GRE protocol type */
        dis_field_be16(d, pf, FID_SLL_GRETYPE);
    } else if (proto > ETH_MAX_LENGTH) {
        dis_field_be16(d, pf, FID_SLL_ETYPE);
    } else {
        dis_field_be16(d, pf, FID_SLL_LTYPE);
    }
    dis_layer_end(d, c->off, c->end);
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

/* The 8-byte address field at c (which the caller knows is there): the address's halen bytes
 * (at most 8), then the unused rest. */
static void sll_address(struct dissection *d, struct cursor *c, uint16_t hatype, uint16_t halen)
{
    struct cursor a = cur_sub(c, 8, NULL);
    size_t n = halen > 8 ? 8 : halen;
    if (n == 0) {
        /* no address */
    } else if ((hatype == PS_ARPHRD_ETHER || hatype == PS_ARPHRD_LOOPBACK) && n == 6) {
        dis_field_skip(d, &a, FID_SLL_SRC_ETH, 6);
    } else if (n == 4 && (hatype == PS_ARPHRD_IPGRE || hatype == PS_ARPHRD_SIT ||
                          hatype == PS_ARPHRD_TUNNEL)) {
        dis_field_skip(d, &a, FID_SLL_SRC_IPV4, 4);
    } else {
        dis_field_skip(d, &a, FID_SLL_SRC_UNKNOWN, n);
    }
    if (halen < 8)
        dis_field_rest(d, &a, FID_SLL_UNUSED, 0);
}

/* Linux cooked capture v1: 16-byte header, protocol last. */
static void dissect_sll(struct dissection *d, struct cursor *c)
{
    if (dis_layer_begin(d, PROTO_SLL, c) < 0)
        return;
    dis_protocols_add(d, "sll");
    size_t start = c->off;
    if (!cur_need(c, 16)) {
        dis_bail(d, c, LAYER_TRUNCATED, ANOM_SLL_TRUNCATED, start);
        return;
    }
    dis_field_be16(d, c, FID_SLL_PKTTYPE);
    uint16_t hatype = dis_field_be16(d, c, FID_SLL_HATYPE);
    uint16_t halen = dis_field_be16(d, c, FID_SLL_HALEN);
    sll_address(d, c, hatype, halen);
    if (hatype == PS_ARPHRD_ETHER && halen == 6) {
        /* The source MAC is the only Ethernet address SLL keeps. */
        d->sum.has_eth = false;
    }
    dissect_sll_proto(d, c, c, hatype);
}

/* Linux cooked capture v2: protocol first, then interface index, 20 bytes. */
static void dissect_sll2(struct dissection *d, struct cursor *c)
{
    if (dis_layer_begin(d, PROTO_SLL2, c) < 0)
        return;
    dis_protocols_add(d, "sll");
    size_t start = c->off;
    if (!cur_need(c, 20)) {
        dis_bail(d, c, LAYER_TRUNCATED, ANOM_SLL_TRUNCATED, start);
        return;
    }
    struct cursor pf = *c; /* the protocol, shown after the other fields */
    cur_skip(c, 4);        /* protocol and reserved */
    dis_field_be32(d, c, FID_SLL_IFINDEX);
    uint16_t hatype = dis_field_be16(d, c, FID_SLL_HATYPE);
    dis_field_u8(d, c, FID_SLL_PKTTYPE);
    uint8_t halen = dis_field_u8(d, c, FID_SLL_HALEN);
    sll_address(d, c, hatype, halen);
    dissect_sll_proto(d, c, &pf, hatype);
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
    if (!cur_need(c, 4)) {
        dis_bail(d, c, LAYER_TRUNCATED, ANOM_NULL_TRUNCATED, start);
        return;
    }
    struct cursor hdr = *c; /* the header, recorded once its meaning is known */
    uint32_t fam = loop ? cur_be32(c) : cur_le32(c);
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
        dis_field_set(dis_field_blob(d, &hdr, FID_NULL_TYPE, 4), type);
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
    dis_field_set(dis_field_blob(d, &hdr, FID_NULL_FAMILY, 4), fam);
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
