/*
 * The subnet test worked on one packet (issue 15 item 3), for -V and the TUI's layer view: the
 * two addresses and the mask in binary, the two AND results, and the verdict tied to layer 2 (the
 * frame goes to the host's own MAC on the same subnet, to the gateway's otherwise), with the ARP
 * frame that taught the MAC when the capture has it. IPv6 the same way in hex groups with the
 * prefix bits marked, neighbour discovery in ARP's place, and what link-local and multicast
 * destinations mean instead of a test. What is known comes from hosts_subnet_test()
 * (track/hosts.h).
 */
#include <stdio.h>
#include <string.h>

#include "format/internal.h"
#include "track/hosts.h"

static void put_str(struct lines *ls, uint8_t attr, const char *s)
{
    lines_add(ls, attr, s, strlen(s));
}

/* "11000000.10101000.00000001.00001010" */
static void binary_v4(char out[36], const uint8_t a[4])
{
    size_t n = 0;
    for (int i = 0; i < 4; i++) {
        for (int b = 7; b >= 0; b--)
            out[n++] = (char)('0' + ((a[i] >> b) & 1));
        if (i < 3)
            out[n++] = '.';
    }
    out[n] = '\0';
}

/* One row: a label, the dotted address (left-aligned in 16) and its bits. */
static void bits_row(struct lines *ls, const char *label, const uint8_t a[4], uint8_t attr)
{
    char dotted[16], bits[36];
    snprintf(dotted, sizeof(dotted), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
    binary_v4(bits, a);
    lines_begin(ls, ATTR_NORMAL)->depth = 1;
    lines_addf(ls, ATTR_LABEL, "  %-22s", label);
    lines_addf(ls, attr, "%-16s", dotted);
    put_str(ls, ATTR_VALUE, bits);
    lines_end(ls);
}

static void mac_text(char out[18], const uint8_t m[6])
{
    snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

#define INET6_ADDRSTRLEN_PS 46

static void ip_text(char *out, size_t n, const uint8_t *a, size_t len)
{
    struct strbuf sb;
    sb_init(&sb, out, n);
    sb_ip(&sb, a, len);
}

/* The mask of a prefix length and the two addresses ANDed with it (len 4 or 16). */
static void mask_and(size_t len, unsigned plen, const uint8_t *a, const uint8_t *b, uint8_t *mask,
                     uint8_t *a_and, uint8_t *b_and)
{
    memset(mask, 0, len);
    for (unsigned i = 0; i < plen && i < 8 * len; i++)
        mask[i / 8] |= (uint8_t)(0x80u >> (i % 8));
    for (size_t i = 0; i < len; i++) {
        a_and[i] = a[i] & mask[i];
        b_and[i] = b[i] & mask[i];
    }
}

/* The verdict's layer-2 half: "MAC m is IP's (ARP in frame N)" and its variants. */
static void verdict_mac(struct lines *ls, const struct subnet_test *t, const uint8_t *other,
                        size_t alen)
{
    if (!t->has_mac)
        return;
    char mac[18], ip[INET6_ADDRSTRLEN_PS] = "";
    mac_text(mac, t->mac);
    if (t->mac_known)
        ip_text(ip, sizeof(ip), t->mac_ip, t->mac_ip_len);
    bool mac_is_other = t->mac_known && memcmp(t->mac_ip, other, alen) == 0;
    const char *how = hosts_taught_name((enum hosts_taught)t->mac_how);
    lines_addf(ls, ATTR_NOTE, ": %s MAC %s", t->side_src ? "destination" : "source", mac);
    if (t->mac_known && (t->same ? mac_is_other : !mac_is_other))
        lines_addf(ls, ATTR_NOTE, " is %s's (%s in frame %llu)", ip, how,
                   (unsigned long long)t->mac_frame);
    else if (t->mac_known && t->mac_how == TAUGHT_ARP)
        lines_addf(ls, ATTR_NOTE, " answered ARP for %s (frame %llu)", ip,
                   (unsigned long long)t->mac_frame);
    else if (t->mac_known)
        lines_addf(ls, ATTR_NOTE, " is %s's (%s in frame %llu)%s", ip, how,
                   (unsigned long long)t->mac_frame,
                   t->same ? ", another address's: is that prefix the link's?" : "");
    else
        lines_addf(ls, ATTR_NOTE, " (no %s for it seen before this frame)",
                   alen == 4 ? "ARP" : "neighbour discovery");
}

/* "2001:0db8:0001:0000|0000:0000:0000:0100": every hex digit, '|' where the prefix ends (after
 * the digit holding its last bit), the prefix part in `attr`. */
static void hex_row(struct lines *ls, const char *label, const uint8_t a[16], unsigned plen,
                    uint8_t attr, const char *tail)
{
    char hex[48];
    size_t n = 0, cut = 0;
    unsigned digits = (plen + 3) / 4;
    for (unsigned i = 0; i < 32; i++) {
        if (i && i % 4 == 0)
            hex[n++] = i == digits ? '|' : ':';
        else if (i && i == digits)
            hex[n++] = '|';
        if (i == digits)
            cut = n;
        hex[n++] = "0123456789abcdef"[(a[i / 2] >> (i % 2 ? 0 : 4)) & 0xf];
    }
    hex[n] = '\0';
    if (digits >= 32)
        cut = n;
    lines_begin(ls, ATTR_NORMAL)->depth = 1;
    lines_addf(ls, ATTR_LABEL, "  %-22s", label);
    lines_add(ls, attr, hex, cut);
    lines_add(ls, ATTR_VALUE, hex + cut, n - cut);
    if (tail)
        lines_addf(ls, ATTR_VALUE, "  %s", tail);
    lines_end(ls);
}

static void prefix_where(char *out, size_t n, const struct hosts_subnet *sn)
{
    if (sn->source == SUBNET_RA)
        snprintf(out, n, "Router Advertisement in frame %llu", (unsigned long long)sn->frame);
    else if (sn->source == SUBNET_INTERFACE)
        snprintf(out, n, "the capturing interface's");
    else if (sn->source == SUBNET_INFERRED)
        snprintf(out, n, "inferred: the sender's /64, none announced or given");
    else
        snprintf(out, n, "given with --subnet");
}

/* IPv6: the prefix comparison in hex groups (RFC 4861 5.2: on-link or via the router). */
static void subnet_test6(struct lines *ls, const struct dissection *d, const struct subnet_test *t)
{
    const struct dis_summary *s = &d->sum;
    char src[INET6_ADDRSTRLEN_PS], dst[INET6_ADDRSTRLEN_PS];
    ip_text(src, sizeof(src), s->src, 16);
    ip_text(dst, sizeof(dst), s->dst, 16);
    if (t->kind == SUBNET_TEST_MULTICAST) {
        lines_begin(ls, ATTR_HEADER)->depth = 0;
        lines_addf(ls, ATTR_HEADER, "Subnet test (pktscope): %s is a multicast group (ff00::/8)",
                   dst);
        lines_end(ls);
        lines_begin(ls, ATTR_NOTE)->depth = 1;
        put_str(ls, ATTR_LABEL, "  Verdict: ");
        lines_addf(ls, ATTR_NOTE,
                   "no prefix test: a multicast frame goes to every host that joined the group, "
                   "to MAC 33:33 and the group's last 32 bits (RFC 2464 7): %02x:%02x:%02x:%02x",
                   s->dst[12], s->dst[13], s->dst[14], s->dst[15]);
        if (t->has_mac) {
            char mac[18];
            mac_text(mac, t->mac);
            bool match =
                t->mac[0] == 0x33 && t->mac[1] == 0x33 && memcmp(t->mac + 2, s->dst + 12, 4) == 0;
            lines_addf(ls, ATTR_NOTE, "; destination MAC %s%s", mac,
                       match ? ", as expected" : ", which is not that MAC");
        }
        if (s->dst[1] == 0x02 && s->dst[11] == 0x01 && s->dst[12] == 0xff)
            lines_addf(
                ls, ATTR_NOTE,
                "; ff02::1:ff00:0/104 is a solicited-node group: the neighbour "
                "solicitation reaches only the hosts whose address ends in the same 24 bits, "
                "%02x%02x%02x",
                s->dst[13], s->dst[14], s->dst[15]);
        lines_end(ls);
        return;
    }
    if (t->kind == SUBNET_TEST_LINK_LOCAL) {
        lines_begin(ls, ATTR_HEADER)->depth = 0;
        put_str(ls, ATTR_HEADER, "Subnet test (pktscope): a link-local address (fe80::/10)");
        lines_end(ls);
        lines_begin(ls, ATTR_NOTE)->depth = 1;
        put_str(ls, ATTR_LABEL, "  Verdict: ");
        put_str(ls, ATTR_NOTE,
                "fe80::/10 is on this link whatever the prefix and never routed (RFC 4291 "
                "2.5.6), so the frame is delivered directly");
        verdict_mac(ls, t, t->side_src ? s->dst : s->src, 16);
        lines_end(ls);
        return;
    }
    const struct hosts_subnet *sn = &t->subnet;
    const uint8_t *mine = t->side_src ? s->src : s->dst;
    const uint8_t *other = t->side_src ? s->dst : s->src;
    uint8_t mask[16], a_and[16], b_and[16];
    mask_and(16, sn->prefix_len, mine, other, mask, a_and, b_and);
    char net[INET6_ADDRSTRLEN_PS + 4], where[96], pfx[INET6_ADDRSTRLEN_PS];
    ip_text(pfx, sizeof(pfx), sn->addr, 16);
    snprintf(net, sizeof(net), "%s/%u", pfx, sn->prefix_len);
    prefix_where(where, sizeof(where), sn);
    lines_begin(ls, ATTR_HEADER)->depth = 0;
    lines_addf(ls, ATTR_HEADER, "Subnet test (pktscope): is the %s in the %s's prefix %s (%s)?",
               t->side_src ? "destination" : "source", t->side_src ? "sender" : "receiver", net,
               where);
    lines_end(ls);
    const char *me = t->side_src ? "source" : "destination";
    const char *it = t->side_src ? "destination" : "source";
    char label[32];
    hex_row(ls, me, mine, sn->prefix_len, ATTR_ADDR, t->side_src ? src : dst);
    snprintf(label, sizeof(label), "prefix /%u", sn->prefix_len);
    hex_row(ls, label, mask, sn->prefix_len, ATTR_VALUE, NULL);
    snprintf(label, sizeof(label), "%s's prefix", me);
    hex_row(ls, label, a_and, sn->prefix_len, ATTR_VALUE, NULL);
    hex_row(ls, it, other, sn->prefix_len, ATTR_ADDR, t->side_src ? dst : src);
    snprintf(label, sizeof(label), "%s's prefix", it);
    hex_row(ls, label, b_and, sn->prefix_len, ATTR_VALUE, NULL);

    lines_begin(ls, ATTR_NOTE)->depth = 1;
    put_str(ls, ATTR_LABEL, "  Verdict: ");
    if (t->same)
        lines_addf(ls, ATTR_NOTE, "the prefixes (before |) are equal: on-link, so %s",
                   t->side_src ? "the frame is delivered directly to the host's own MAC"
                               : "it came straight from the sending host");
    else
        lines_addf(ls, ATTR_NOTE, "the prefixes differ: %s is outside %s, so the frame %s",
                   t->side_src ? dst : src, net,
                   t->side_src ? "goes to the router" : "came through a router");
    verdict_mac(ls, t, other, 16);
    if (!t->same && sn->source == SUBNET_RA && sn->has_router) {
        char mac[18];
        mac_text(mac, sn->router_mac);
        lines_addf(ls, ATTR_NOTE, "; the Router Advertisement came from %s", mac);
    }
    lines_end(ls);
}

void format_subnet_test(struct lines *ls, const struct dissection *d, const struct subnet_test *t)
{
    const struct dis_summary *s = &d->sum;
    if (s->addr_len == 16) {
        subnet_test6(ls, d, t);
        return;
    }
    const struct hosts_subnet *sn = &t->subnet;
    const uint8_t *mine = t->side_src ? s->src : s->dst;  /* the address on the known subnet */
    const uint8_t *other = t->side_src ? s->dst : s->src; /* the one tested against it */
    uint8_t mask[16], a_and[16], b_and[16];
    mask_and(4, sn->prefix_len, mine, other, mask, a_and, b_and);
    char net[20], where[96];
    snprintf(net, sizeof(net), "%u.%u.%u.%u/%u", sn->addr[0], sn->addr[1], sn->addr[2], sn->addr[3],
             sn->prefix_len);
    if (sn->source == SUBNET_DHCP)
        snprintf(where, sizeof(where), "handed out by DHCP in frame %llu",
                 (unsigned long long)sn->frame);
    else if (sn->source == SUBNET_INTERFACE)
        snprintf(where, sizeof(where), "the capturing interface's");
    else
        snprintf(where, sizeof(where), "given with --subnet");

    lines_begin(ls, ATTR_HEADER)->depth = 0;
    lines_addf(ls, ATTR_HEADER, "Subnet test (pktscope): is the %s on the %s's subnet %s (%s)?",
               t->side_src ? "destination" : "source", t->side_src ? "sender" : "receiver", net,
               where);
    lines_end(ls);
    char label[32];
    snprintf(label, sizeof(label), "%s", t->side_src ? "source" : "destination");
    bits_row(ls, label, mine, ATTR_ADDR);
    snprintf(label, sizeof(label), "mask /%u", sn->prefix_len);
    bits_row(ls, label, mask, ATTR_VALUE);
    snprintf(label, sizeof(label), "%s AND mask", t->side_src ? "source" : "destination");
    bits_row(ls, label, a_and, ATTR_VALUE);
    snprintf(label, sizeof(label), "%s", t->side_src ? "destination" : "source");
    bits_row(ls, label, other, ATTR_ADDR);
    snprintf(label, sizeof(label), "%s AND mask", t->side_src ? "destination" : "source");
    bits_row(ls, label, b_and, ATTR_VALUE);

    char other_text[16];
    snprintf(other_text, sizeof(other_text), "%u.%u.%u.%u", other[0], other[1], other[2], other[3]);
    lines_begin(ls, ATTR_NOTE)->depth = 1;
    put_str(ls, ATTR_LABEL, "  Verdict: ");
    if (t->same)
        lines_addf(ls, ATTR_NOTE, "the two ANDs are equal: same subnet, so %s",
                   t->side_src ? "the frame is delivered directly to the host's own MAC"
                               : "it came straight from the sending host");
    else if (t->side_src)
        lines_addf(ls, ATTR_NOTE,
                   "the ANDs differ: %s is outside %s, so the frame goes to the gateway",
                   other_text, net);
    else
        lines_addf(ls, ATTR_NOTE,
                   "the ANDs differ: %s is outside %s, so the frame came through a router",
                   other_text, net);
    verdict_mac(ls, t, other, 4);
    if (!t->same && sn->has_router)
        lines_addf(ls, ATTR_NOTE, "; DHCP named the router %u.%u.%u.%u", sn->router[0],
                   sn->router[1], sn->router[2], sn->router[3]);
    lines_end(ls);
}
