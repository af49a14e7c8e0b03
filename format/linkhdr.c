/*
 * tcpdump -e's link-level header (print-ether.c, print-sll.c), from the dissection model.
 */
#include "format/linkhdr.h"

#include <inttypes.h>

#include "util/util.h"

/* tcpdump's ethertype_values[] names, for the types pktscope meets. */
static const struct {
    uint16_t type;
    const char *name;
} ethertypes[] = {
    {0x0800, "IPv4"},
    {0x0806, "ARP"},
    {0x86dd, "IPv6"},
    {0x8100, "802.1Q"},
    {0x88a8, "802.1Q-QinQ"},
    {0x9100, "802.1Q-9100"},
    {0x8035, "Reverse ARP"},
    {0x888e, "EAPOL"},
    {0x88cc, "LLDP"},
    {0x8847, "MPLS unicast"},
    {0x8848, "MPLS multicast"},
    {0x8863, "PPPoE D"},
    {0x8864, "PPPoE S"},
    {0x9000, "Loopback"},
    {0x88f7, "PTP"},
};

static void put_ethertype(struct strbuf *sb, uint64_t type)
{
    const char *name = "Unknown";
    for (size_t i = 0; i < ARRAY_SIZE(ethertypes); i++)
        if (ethertypes[i].type == type)
            name = ethertypes[i].name;
    sb_printf(sb, "ethertype %s (0x%04" PRIx64 ")", name, type);
}

static bool put_mac(struct strbuf *sb, const struct dissection *d, const struct field *f)
{
    const uint8_t *p = f && f->len == 6 ? dis_field_bytes(d, f, 6) : NULL;
    if (!p)
        return false;
    sb_mac(sb, p);
    return true;
}

/* The 802.1Q tags after the colon: "vlan 100, p 0, ethertype IPv4 (0x0800), ". */
static void put_vlans(struct strbuf *sb, const struct dissection *d)
{
    uint64_t id = 0, prio = 0;
    for (unsigned i = 0; i < d->nfields; i++) {
        const struct field *f = &d->fields[i];
        if (f->id == FID_VLAN_PRIORITY)
            prio = f->value;
        else if (f->id == FID_VLAN_ID)
            id = f->value;
        else if (f->id == FID_VLAN_ETYPE) {
            sb_printf(sb, "vlan %" PRIu64 ", p %" PRIu64 ", ", id, prio);
            put_ethertype(sb, f->value);
            sb_puts(sb, ", ");
        }
    }
}

static void put_sll(struct strbuf *sb, const struct dissection *d, uint32_t len)
{
    static const char *const dirs[] = {" In", "  B", "  M", "  P", "Out"};
    const struct field *pt = dis_find(d, FID_SLL_PKTTYPE);
    if (pt)
        sb_puts(sb, pt->value < ARRAY_SIZE(dirs) ? dirs[pt->value] : "  ?");
    const struct field *ifx = dis_find(d, FID_SLL_IFINDEX);
    if (ifx)
        sb_printf(sb, " ifindex %" PRIu64, ifx->value);
    sb_putc(sb, ' ');
    if (put_mac(sb, d, dis_find(d, FID_SLL_SRC_ETH)))
        sb_putc(sb, ' ');
    const struct field *et = dis_find(d, FID_SLL_ETYPE);
    if (et) {
        put_ethertype(sb, et->value);
        sb_puts(sb, ", ");
    }
    sb_printf(sb, "length %" PRIu32 ": ", len);
}

void format_link_header(struct strbuf *sb, const struct dissection *d, uint32_t len)
{
    if (d->nlayers == 0)
        return;
    enum proto_id link = (enum proto_id)d->layers[0].proto;
    if (link == PROTO_SLL || link == PROTO_SLL2) {
        put_sll(sb, d, len);
        return;
    }
    if (link != PROTO_ETH)
        return;
    if (!put_mac(sb, d, dis_find(d, FID_ETH_SRC)))
        return;
    sb_puts(sb, " > ");
    put_mac(sb, d, dis_find(d, FID_ETH_DST));
    const struct field *type = dis_find(d, FID_ETH_TYPE);
    if (type) {
        sb_puts(sb, ", ");
        put_ethertype(sb, type->value);
        sb_printf(sb, ", length %" PRIu32 ": ", len);
        if (type->value == 0x8100 || type->value == 0x88a8 || type->value == 0x9100)
            put_vlans(sb, d);
        return;
    }
    /* 802.3: tcpdump gives the length field, not the frame's (which may be padded) */
    const struct field *l = dis_find(d, FID_ETH_LEN);
    sb_printf(sb, ", 802.3, length %" PRIu64 ": ", l ? l->value : (uint64_t)len);
}
