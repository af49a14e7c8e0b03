/*
 * ARP (RFC 826), with the special cases a teacher points at: a gratuitous ARP (sender and target
 * protocol address equal, RFC 5227 announcement or RFC 826 cache update), an ARP probe (sender
 * protocol address 0.0.0.0, RFC 5227 duplicate address detection) and an announcement (a
 * gratuitous request whose target hardware address is empty). The flags follow Wireshark's
 * arp.isgratuitous / arp.isprobe / arp.isannouncement, which appear only when true.
 */
#include "dissect/internal.h"

#include <string.h>

#define ARP_FIXED_LEN 8

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

void dissect_arp(struct dissection *d, struct cursor *c)
{
    if (dis_layer_begin(d, PROTO_ARP, c) < 0)
        return;
    dis_protocols_add(d, "arp");
    d->sum.l3 = L3_ARP;
    size_t start = c->off;
    if (!cur_need(c, ARP_FIXED_LEN)) {
        dis_bail(d, c, LAYER_TRUNCATED, ANOM_ARP_TRUNCATED, start);
        return;
    }
    uint16_t hrd = dis_field_be16(d, c, FID_ARP_HW_TYPE);
    uint16_t pro = dis_field_be16(d, c, FID_ARP_PROTO_TYPE);
    size_t sizes_at = c->off;
    uint8_t hln = dis_field_u8(d, c, FID_ARP_HW_SIZE);
    uint8_t pln = dis_field_u8(d, c, FID_ARP_PROTO_SIZE);
    uint16_t op = dis_field_be16(d, c, FID_ARP_OPCODE);
    d->sum.arp_op = op;

    /* As Wireshark: hardware addresses are MACs when the hardware is Ethernet (1) or IEEE 802
     * (6) with 6-byte addresses, protocol addresses IPv4 when the type is 0x0800 with 4 bytes;
     * other sizes are shown as bytes. */
    bool hw_mac = (hrd == PS_ARPHRD_ETHER || hrd == PS_ARPHRD_IEEE802) && hln == 6;
    bool pr_ipv4 = pro == PS_ETHERTYPE_IPV4 && pln == 4;
    if (hrd == PS_ARPHRD_ETHER && pro == PS_ETHERTYPE_IPV4 && !(hln == 6 && pln == 4)) {
        dis_damage(d, LAYER_MALFORMED, ANOM_ARP_BAD_SIZES, sizes_at);
    }
    enum field_id sha_id = hw_mac ? FID_ARP_SRC_HW_MAC : FID_ARP_SRC_HW;
    enum field_id spa_id = pr_ipv4 ? FID_ARP_SRC_PROTO_IPV4 : FID_ARP_SRC_PROTO;
    enum field_id tha_id = hw_mac ? FID_ARP_DST_HW_MAC : FID_ARP_DST_HW;
    enum field_id tpa_id = pr_ipv4 ? FID_ARP_DST_PROTO_IPV4 : FID_ARP_DST_PROTO;
    /* The addresses are checked as one block through c, then recorded one by one through a,
     * a cursor at the sender hardware address. An address of length 0 has no field. */
    struct cursor a = *c;
    const uint8_t *addrs = cur_bytes(c, (size_t)2 * (hln + pln));
    if (!addrs) {
        /* Show the addresses that were captured, then say where it stopped: each one that is
         * there whole (a read that falls short records nothing and stops the later ones). */
        dis_damage(d, LAYER_TRUNCATED, ANOM_ARP_TRUNCATED, a.off);
        if (hln)
            dis_field_skip(d, &a, sha_id, hln);
        if (pln)
            dis_field_skip(d, &a, spa_id, pln);
        if (hln)
            dis_field_skip(d, &a, tha_id, hln);
        dis_layer_end(d, c->end, c->end);
        return;
    }
    const uint8_t *p_spa = addrs + hln, *p_tha = p_spa + pln, *p_tpa = p_tha + hln;
    if (pr_ipv4) {
        /* Wireshark's tests, made only on IPv4 protocol addresses. They have no bytes of
         * their own: isgratuitous and isprobe sit at the sender protocol address,
         * isannouncement at the target hardware address. */
        bool grat = (op == 1 || op == 2) && memcmp(p_spa, p_tpa, 4) == 0;
        bool probe = op == 1 && all_zero(p_spa, 4) && all_zero(p_tha, hln);
        struct cursor m = a;
        cur_skip(&m, hln);
        if (grat)
            dis_field_mark(d, &m, FID_ARP_ISGRATUITOUS, 1);
        if (probe)
            dis_field_mark(d, &m, FID_ARP_ISPROBE, 1);
        cur_skip(&m, pln);
        if (grat && op == 1 && all_zero(p_tha, hln))
            dis_field_mark(d, &m, FID_ARP_ISANNOUNCEMENT, 1);
    }
    if (hln)
        dis_field_skip(d, &a, sha_id, hln);
    if (pln)
        dis_field_skip(d, &a, spa_id, pln);
    if (hln)
        dis_field_skip(d, &a, tha_id, hln);
    if (pln)
        dis_field_skip(d, &a, tpa_id, pln);
    /* The message ends here; the caller reports what follows (Ethernet padding) itself. */
    dis_layer_end(d, a.off, a.off);
}
