/*
 * Teaching annotations shared by the layer tree and the JSON: the class of an IP address, the
 * vendor and the I/G and U/L bits of a MAC address, the range and service name of a port.
 *
 * The words come from dissect/annotate.c and dissect/services.c, so -V, --json and the TUI say
 * the same thing. JSON keys (DESIGN.md: pktscope's own fields start with "pktscope."):
 *   pktscope.addr_class.src / .dst   stable names of the special-purpose range ("private",
 *                                    "link-local", ...), shown as "Address range" (the name
 *                                    addr_class is kept: scripts and filters use it)
 *   pktscope.ip.class.src / .dst     the historical class, "A" to "E" (IPv4 only)
 *   pktscope.ip.hops                 hops from the TTL or hop limit, pktscope.ip.initial_ttl the
 *                                    initial value assumed (64, 128 or 255)
 *   pktscope.vendor.src / .dst       the NIC vendor of the Ethernet addresses, when known
 *   pktscope.port_range.src / .dst   "well-known", "registered", "ephemeral"
 *   pktscope.service                 the service name of the lower port that has one (the port
 *                                    Wireshark tries first), else of the higher one
 */
#include <string.h>

#include "dissect/annotate.h"
#include "dissect/numbers.h"
#include "dissect/services.h"
#include "format/internal.h"

static void note_begin(struct lines *ls, uint8_t depth)
{
    static const char spaces[] = "                                ";
    struct line *l = lines_begin(ls, ATTR_NOTE);
    l->depth = depth;
    size_t n = (size_t)depth * 2;
    if (n > sizeof(spaces) - 1)
        n = sizeof(spaces) - 1;
    lines_add(ls, ATTR_NORMAL, spaces, n);
}

static void note_str(struct lines *ls, uint8_t attr, const char *s)
{
    lines_add(ls, attr, s, strlen(s));
}

/* "Address range" is the special-purpose range (RFC 6890); it was called "Address class"
 * before the historical classes A-E were shown beside it. */
static void note_ip(struct lines *ls, enum addr_class cls, uint8_t depth)
{
    note_begin(ls, depth);
    note_str(ls, ATTR_LABEL, "Address range: ");
    note_str(ls, ATTR_NOTE, addr_class_text(cls));
    lines_end(ls);
}

static void note_ipv4_class(struct lines *ls, const uint8_t *a, uint8_t depth)
{
    note_begin(ls, depth);
    note_str(ls, ATTR_LABEL, "Historical class: ");
    note_str(ls, ATTR_NOTE, ipv4_class_text(a));
    lines_end(ls);
    const char *block = ipv4_private_block_text(a);
    if (block) {
        note_begin(ls, depth);
        note_str(ls, ATTR_LABEL, "Private block: ");
        note_str(ls, ATTR_NOTE, block);
        lines_end(ls);
    }
}

/* The hops a packet has travelled to the capture point, from its TTL or hop limit (see
 * ttl_hops() for the initial values assumed and why 32 is not one of them). In the packet an
 * ICMP error quotes, the count ends at the host or router that sent the error. */
static void note_hops(struct lines *ls, uint8_t ttl, bool v6, bool quoted, uint8_t depth)
{
    int hops = ttl_hops(ttl);
    const char *what = v6 ? "hop limit" : "TTL";
    const char *where = quoted ? "the host reporting the error" : "this capture point";
    note_begin(ls, depth);
    note_str(ls, ATTR_LABEL, "Hops: ");
    lines_addf(ls, ATTR_NOTE, "%s %u", what, ttl);
    if (hops < 0) {
        lines_addf(ls, ATTR_NOTE,
                   ": set low on purpose (a traceroute probe, or kept on its link); no usual "
                   "initial value explains it within %d hops",
                   TTL_MAX_HOPS);
        lines_end(ls);
        return;
    }
    if (hops == 0)
        lines_addf(ls, ATTR_NOTE, ": no router between the sender and %s", where);
    else if (hops == 1)
        lines_addf(ls, ATTR_NOTE, ": one router between the sender and %s", where);
    else
        lines_addf(ls, ATTR_NOTE, ": %d routers between the sender and %s", hops, where);
    lines_addf(ls, ATTR_NOTE, " (each router takes 1 off; initial %s assumed %u, of 64, 128, 255)",
               what, ttl_initial_guess(ttl));
    lines_end(ls);
}

/* Whether field f sits in the packet an ICMP error quotes (after the ICMP layer's start). */
static bool in_icmp_quote(const struct dissection *d, const struct field *f)
{
    for (unsigned i = 0; i < d->nlayers; i++) {
        const struct layer *l = &d->layers[i];
        if (l->proto == PROTO_ICMP || l->proto == PROTO_ICMPV6)
            return f->offset > l->offset;
    }
    return false;
}

static void note_ig(struct lines *ls, bool group, uint8_t depth)
{
    note_begin(ls, depth);
    note_str(ls, ATTR_LABEL, "I/G bit: ");
    note_str(ls, ATTR_NOTE,
             group ? "1, group (multicast/broadcast) address" : "0, individual (unicast) address");
    lines_end(ls);
}

static void note_ul(struct lines *ls, bool local, uint8_t depth)
{
    note_begin(ls, depth);
    note_str(ls, ATTR_LABEL, "U/L bit: ");
    note_str(ls, ATTR_NOTE,
             local ? "1, locally administered (not from the vendor)"
                   : "0, universally administered (assigned by the vendor)");
    lines_end(ls);
}

/* `bits`: also explain the I/G and U/L bits (when the layer has no fields of its own for them). */
static void note_mac(struct lines *ls, const uint8_t *mac, uint8_t depth, bool bits)
{
    bool group = mac_is_group(mac);
    bool local = mac_is_local(mac);
    note_begin(ls, depth);
    note_str(ls, ATTR_LABEL, "Vendor: ");
    if (mac_is_broadcast(mac)) {
        note_str(ls, ATTR_NOTE, "none (broadcast address: every host on the link)");
    } else if (group) {
        note_str(ls, ATTR_NOTE, "none (a group address names receivers, not a NIC)");
    } else if (local) {
        note_str(ls, ATTR_NOTE,
                 "none (locally administered: set by software, e.g. a randomised or virtual NIC)");
    } else {
        const char *v = oui_vendor(mac);
        if (v)
            lines_add_safe(ls, ATTR_NOTE, (const uint8_t *)v, strlen(v));
        lines_addf(ls, ATTR_NOTE, "%sOUI %02x:%02x:%02x%s", v ? " (" : "", mac[0], mac[1], mac[2],
                   v                     ? ")"
                   : oui_have_database() ? " (not in the vendor database)"
                                         : " (no OUI database installed: Debian package "
                                           "ieee-data)");
    }
    lines_end(ls);
    if (bits) {
        note_ig(ls, group, depth);
        note_ul(ls, local, depth);
    }
}

static void note_port(struct lines *ls, uint16_t port, uint8_t l4, uint8_t depth)
{
    enum port_range r = port_range(port);
    note_begin(ls, depth);
    note_str(ls, ATTR_LABEL, "Port range: ");
    lines_addf(ls, ATTR_NOTE, "%s (%s)", port_range_name(r), port_range_span(r));
    const char *svc = services_name(port, l4);
    if (svc) {
        note_str(ls, ATTR_LABEL, ", service: ");
        lines_add_safe(ls, ATTR_NOTE, (const uint8_t *)svc, strlen(svc));
    }
    lines_end(ls);
}

/* Counts the leading one bits of a subnet mask: its prefix length, or -1 when the mask is not
 * contiguous. */
static int mask_prefix(const uint8_t *m)
{
    uint32_t v = ((uint32_t)m[0] << 24) | ((uint32_t)m[1] << 16) | ((uint32_t)m[2] << 8) | m[3];
    int n = 0;
    while (n < 32 && (v & (0x80000000u >> n)))
        n++;
    return n == 32 || (v << n) == 0 ? n : -1;
}

static void note_ipv4_field(struct lines *ls, const struct dissection *d, enum field_id id,
                            const char *label)
{
    bool first = true;
    for (unsigned i = 0; i < d->nfields; i++) {
        const struct field *f = &d->fields[i];
        const uint8_t *p = f->id == id && f->len == 4 ? dis_field_bytes(d, f, 4) : NULL;
        if (!p)
            continue;
        if (first)
            note_str(ls, ATTR_LABEL, label);
        else
            note_str(ls, ATTR_NOTE, ", ");
        lines_addf(ls, ATTR_NOTE, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
        first = false;
    }
}

/* DHCP OFFER and ACK: what the server hands out, on one line (RFC 2131 3.1, RFC 2132). */
static void note_dhcp(struct lines *ls, const struct dissection *d, uint64_t type, uint8_t depth)
{
    if (type != 2 && type != 5)
        return;
    note_begin(ls, depth);
    note_str(ls, ATTR_LABEL, type == 2 ? "Offers: " : "Hands out: ");
    const struct field *y = dis_find(d, FID_DHCP_IP_YOUR);
    const uint8_t *p = y ? dis_field_bytes(d, y, 4) : NULL;
    if (p)
        lines_addf(ls, ATTR_NOTE, "address %u.%u.%u.%u", p[0], p[1], p[2], p[3]);
    const struct field *m = dis_find(d, FID_DHCP_OPTION_SUBNET_MASK);
    const uint8_t *mp = m ? dis_field_bytes(d, m, 4) : NULL;
    if (mp) {
        lines_addf(ls, ATTR_NOTE, ", mask %u.%u.%u.%u", mp[0], mp[1], mp[2], mp[3]);
        int n = mask_prefix(mp);
        if (n >= 0)
            lines_addf(ls, ATTR_NOTE, " (/%d)", n);
    }
    note_ipv4_field(ls, d, FID_DHCP_OPTION_ROUTER, ", router (gateway) ");
    note_ipv4_field(ls, d, FID_DHCP_OPTION_DOMAIN_NAME_SERVER, ", DNS ");
    const struct field *lt = dis_find(d, FID_DHCP_OPTION_IP_ADDRESS_LEASE_TIME);
    if (lt)
        lines_addf(ls, ATTR_NOTE, ", for %llu s", (unsigned long long)lt->value);
    lines_end(ls);
}

/* The X.520 attribute (2.5.4.N) whose value an x509sat string field is: in DER the value's tag
 * and one-byte length follow the attribute's OID 06 03 55 04 N, so the name is read back from
 * the bytes before the value. NULL when they are not there. */
static const char *x520_attribute_name(const struct dissection *d, const struct field *f)
{
    static const struct {
        uint8_t at;
        const char *name;
    } names[] = {{3, "commonName (CN)"},
                 {4, "surname"},
                 {7, "localityName (L)"},
                 {8, "stateOrProvinceName (ST)"},
                 {9, "streetAddress"},
                 {10, "organizationName (O)"},
                 {11, "organizationalUnitName (OU)"},
                 {12, "title"},
                 {13, "description"},
                 {15, "businessCategory"},
                 {17, "postalCode"},
                 {18, "postOfficeBox"},
                 {41, "name"},
                 {42, "givenName"},
                 {43, "initials"},
                 {44, "generationQualifier"},
                 {65, "pseudonym"}};
    if (f->offset < 7 || f->offset > d->data_len || f->len > 127)
        return NULL;
    const uint8_t *b = d->data + f->offset - 7;
    if (b[0] != 0x06 || b[1] != 0x03 || b[2] != 0x55 || b[3] != 0x04 || b[6] != f->len)
        return NULL;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].at == b[4])
            return names[i].name;
    return NULL;
}

void notes_field(struct lines *ls, const struct dissection *d, const struct field *f, uint8_t depth)
{
    const uint8_t *p = dis_field_bytes(d, f, f->len);
    if (!p)
        return;
    switch (f->id) {
    case FID_IP_SRC:
    case FID_IP_DST:
    case FID_ARP_SRC_PROTO_IPV4:
    case FID_ARP_DST_PROTO_IPV4:
        if (f->len == 4) {
            enum addr_class cls = addr_class_ipv4(p);
            note_ip(ls, cls, depth);
            /* 0.0.0.0 and 255.255.255.255 lie in A and E but are no network's addresses. */
            if (cls != ADDR_THIS_HOST && cls != ADDR_BROADCAST)
                note_ipv4_class(ls, p, depth);
        }
        break;
    case FID_IP_TTL:
    case FID_IPV6_HLIM:
        note_hops(ls, (uint8_t)f->value, f->id == FID_IPV6_HLIM, in_icmp_quote(d, f), depth);
        break;
    case FID_IPV6_SRC:
    case FID_IPV6_DST:
        if (f->len == 16)
            note_ip(ls, addr_class_ipv6(p), depth);
        break;
    case FID_ETH_SRC:
    case FID_ETH_DST:
        /* Ethernet shows the I/G and L/G bits as fields of their own: explained there. */
        if (f->len == 6)
            note_mac(ls, p, depth,
                     !dis_find(d, f->id == FID_ETH_SRC ? FID_ETH_SRC_IG : FID_ETH_DST_IG));
        break;
    case FID_ETH_SRC_IG:
    case FID_ETH_DST_IG:
        note_ig(ls, f->value != 0, depth);
        break;
    case FID_ETH_SRC_LG:
    case FID_ETH_DST_LG:
        note_ul(ls, f->value != 0, depth);
        break;
    case FID_ARP_SRC_HW_MAC:
    case FID_ARP_DST_HW_MAC:
    case FID_SLL_SRC_ETH:
        if (f->len == 6)
            note_mac(ls, p, depth, true);
        break;
    case FID_TCP_SRCPORT:
    case FID_TCP_DSTPORT:
        note_port(ls, (uint16_t)f->value, PS_IPPROTO_TCP, depth);
        break;
    case FID_UDP_SRCPORT:
    case FID_UDP_DSTPORT:
        note_port(ls, (uint16_t)f->value, PS_IPPROTO_UDP, depth);
        break;
    case FID_DHCP_OPTION_DHCP:
        note_dhcp(ls, d, f->value, depth);
        break;
    case FID_X509SAT_UTF8STRING:
    case FID_X509SAT_PRINTABLESTRING: {
        const char *attr = x520_attribute_name(d, f);
        if (attr) {
            note_begin(ls, depth);
            note_str(ls, ATTR_LABEL, "Attribute: ");
            note_str(ls, ATTR_NOTE, attr);
            lines_end(ls);
        }
        break;
    }
    default:
        if (checksum_is_status((enum field_id)f->id)) {
            const char *why = checksum_why(d, f);
            if (why) {
                note_begin(ls, depth);
                note_str(ls, ATTR_LABEL, "Why: ");
                note_str(ls, ATTR_NOTE, why);
                lines_end(ls);
            }
        }
        break;
    }
}

/* ,"key":"value" for a value read from a file (a vendor, a service name): escaped. */
static inline void json_key_str(struct strbuf *sb, const char *key, const char *val)
{
    key_n(sb, key, strlen(key));
    sb_putc(sb, '"');
    sb_put_json(sb, val, strlen(val));
    sb_putc(sb, '"');
}

void format_json_annotations(struct strbuf *sb, const struct dissection *d)
{
    const struct dis_summary *s = &d->sum;
    if (s->addr_len == 4 || s->addr_len == 16) {
        bool v4 = s->addr_len == 4;
        JSON_KEY_PLAIN(sb, "pktscope.addr_class.src",
                       addr_class_name(v4 ? addr_class_ipv4(s->src) : addr_class_ipv6(s->src)));
        JSON_KEY_PLAIN(sb, "pktscope.addr_class.dst",
                       addr_class_name(v4 ? addr_class_ipv4(s->dst) : addr_class_ipv6(s->dst)));
        if (v4) {
            char cls = ipv4_class_letter(s->src);
            json_key_plain(sb, "pktscope.ip.class.src", sizeof("pktscope.ip.class.src") - 1, &cls,
                           1);
            cls = ipv4_class_letter(s->dst);
            json_key_plain(sb, "pktscope.ip.class.dst", sizeof("pktscope.ip.class.dst") - 1, &cls,
                           1);
        }
        if (ttl_hops(s->ttl) >= 0) {
            sb_puts(sb, ",\"pktscope.ip.hops\":");
            sb_u64(sb, (uint64_t)ttl_hops(s->ttl));
            sb_puts(sb, ",\"pktscope.ip.initial_ttl\":");
            sb_u64(sb, ttl_initial_guess(s->ttl));
        }
    }
    if (s->has_eth) {
        const char *vs = oui_vendor(s->eth_src);
        const char *vd = oui_vendor(s->eth_dst);
        if (vs)
            json_key_str(sb, "pktscope.vendor.src", vs);
        if (vd)
            json_key_str(sb, "pktscope.vendor.dst", vd);
    }
    bool ports = (s->l4 == PS_IPPROTO_TCP && dis_find_layer(d, PROTO_TCP)) ||
                 (s->l4 == PS_IPPROTO_UDP && dis_find_layer(d, PROTO_UDP));
    if (ports && (s->sport || s->dport)) {
        JSON_KEY_PLAIN(sb, "pktscope.port_range.src", port_range_name(port_range(s->sport)));
        JSON_KEY_PLAIN(sb, "pktscope.port_range.dst", port_range_name(port_range(s->dport)));
        uint16_t lo = s->sport < s->dport ? s->sport : s->dport;
        uint16_t hi = s->sport < s->dport ? s->dport : s->sport;
        const char *svc = services_name(lo, s->l4);
        if (!svc)
            svc = services_name(hi, s->l4);
        if (svc)
            json_key_str(sb, "pktscope.service", svc);
    }
}
