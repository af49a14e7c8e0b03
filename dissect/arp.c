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
    uint16_t hrd = cur_be16(c);
    uint16_t pro = cur_be16(c);
    uint8_t hln = cur_u8(c);
    uint8_t pln = cur_u8(c);
    uint16_t op = cur_be16(c);
    if (c->truncated) {
        dis_layer_status(d, LAYER_TRUNCATED);
        dis_anomaly(d, ANOM_ARP_TRUNCATED, start);
        dis_layer_end(d, c->end, c->end);
        return;
    }
    d->sum.arp_op = op;
    dis_field(d, FID_ARP_HW_TYPE, start, 2, hrd);
    dis_field(d, FID_ARP_PROTO_TYPE, start + 2, 2, pro);
    dis_field(d, FID_ARP_HW_SIZE, start + 4, 1, hln);
    dis_field(d, FID_ARP_PROTO_SIZE, start + 5, 1, pln);
    dis_field(d, FID_ARP_OPCODE, start + 6, 2, op);

    size_t sha = start + ARP_FIXED_LEN, spa = sha + hln, tha = spa + pln, tpa = tha + hln;
    size_t msg_end = tpa + pln;
    const uint8_t *addrs = cur_bytes(c, (size_t)2 * (hln + pln));
    bool eth_ip = hln == 6 && pln == 4 && pro == 0x0800;
    if (hrd == 1 && pro == 0x0800 && !eth_ip) {
        dis_anomaly(d, ANOM_ARP_BAD_SIZES, start + 4);
        dis_layer_status(d, LAYER_MALFORMED);
    }
    if (!addrs) {
        /* Show the addresses that were captured, then say where it stopped. */
        dis_layer_status(d, LAYER_TRUNCATED);
        dis_anomaly(d, ANOM_ARP_TRUNCATED, start + ARP_FIXED_LEN);
        if (eth_ip) {
            if (cur_left(c) >= 6)
                dis_field(d, FID_ARP_SRC_HW_MAC, sha, 6, 0);
            if (cur_left(c) >= 10)
                dis_field(d, FID_ARP_SRC_PROTO_IPV4, spa, 4, 0);
            if (cur_left(c) >= 16)
                dis_field(d, FID_ARP_DST_HW_MAC, tha, 6, 0);
        }
        dis_layer_end(d, c->end, c->end);
        return;
    }
    if (eth_ip) {
        dis_field(d, FID_ARP_SRC_HW_MAC, sha, 6, 0);
        dis_field(d, FID_ARP_SRC_PROTO_IPV4, spa, 4, 0);
        dis_field(d, FID_ARP_DST_HW_MAC, tha, 6, 0);
        dis_field(d, FID_ARP_DST_PROTO_IPV4, tpa, 4, 0);
        const uint8_t *p_spa = addrs + hln, *p_tha = p_spa + pln, *p_tpa = p_tha + hln;
        bool grat = (op == 1 || op == 2) && memcmp(p_spa, p_tpa, 4) == 0;
        bool probe = op == 1 && all_zero(p_spa, 4) && all_zero(p_tha, 6);
        if (grat)
            dis_field(d, FID_ARP_ISGRATUITOUS, spa, 0, 1);
        if (probe)
            dis_field(d, FID_ARP_ISPROBE, spa, 0, 1);
        if (grat && op == 1 && all_zero(p_tha, 6))
            dis_field(d, FID_ARP_ISANNOUNCEMENT, tha, 0, 1);
    } else {
        if (hln)
            dis_field(d, FID_ARP_SRC_HW, sha, hln, 0);
        if (pln)
            dis_field(d, FID_ARP_SRC_PROTO, spa, pln, 0);
        if (hln)
            dis_field(d, FID_ARP_DST_HW, tha, hln, 0);
        if (pln)
            dis_field(d, FID_ARP_DST_PROTO, tpa, pln, 0);
    }
    /* The message ends here; the caller reports what follows (Ethernet padding) itself. */
    dis_layer_end(d, msg_end, msg_end);
}
