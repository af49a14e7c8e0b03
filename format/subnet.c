/*
 * The subnet test worked on one packet (issue 15 item 3), for -V and the TUI's layer view: the
 * two addresses and the mask in binary, the two AND results, and the verdict tied to layer 2 (the
 * frame goes to the host's own MAC on the same subnet, to the gateway's otherwise), with the ARP
 * frame that taught the MAC when the capture has it. What is known comes from
 * hosts_subnet_test() (track/hosts.h).
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

void format_subnet_test(struct lines *ls, const struct dissection *d, const struct subnet_test *t)
{
    const struct dis_summary *s = &d->sum;
    const struct hosts_subnet *sn = &t->subnet;
    const uint8_t *mine = t->side_src ? s->src : s->dst;  /* the address on the known subnet */
    const uint8_t *other = t->side_src ? s->dst : s->src; /* the one tested against it */
    uint8_t mask[4] = {0}, a_and[4], b_and[4];
    for (unsigned i = 0; i < sn->prefix_len && i < 32; i++)
        mask[i / 8] |= (uint8_t)(0x80u >> (i % 8));
    for (int i = 0; i < 4; i++) {
        a_and[i] = mine[i] & mask[i];
        b_and[i] = other[i] & mask[i];
    }
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

    char other_text[16], mac[18] = "", ip[16] = "";
    snprintf(other_text, sizeof(other_text), "%u.%u.%u.%u", other[0], other[1], other[2], other[3]);
    if (t->has_mac)
        mac_text(mac, t->mac);
    if (t->mac_known)
        snprintf(ip, sizeof(ip), "%u.%u.%u.%u", t->mac_ip[0], t->mac_ip[1], t->mac_ip[2],
                 t->mac_ip[3]);
    bool mac_is_other = t->mac_known && memcmp(t->mac_ip, other, 4) == 0;

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
    if (t->has_mac) {
        lines_addf(ls, ATTR_NOTE, ": %s MAC %s", t->side_src ? "destination" : "source", mac);
        if (t->mac_known && (t->same ? mac_is_other : !mac_is_other))
            lines_addf(ls, ATTR_NOTE, " is %s's (ARP in frame %llu)", ip,
                       (unsigned long long)t->mac_frame);
        else if (t->mac_known)
            lines_addf(ls, ATTR_NOTE, " answered ARP for %s (frame %llu)", ip,
                       (unsigned long long)t->mac_frame);
        else
            put_str(ls, ATTR_NOTE, " (no ARP for it seen before this frame)");
    }
    if (!t->same && sn->has_router)
        lines_addf(ls, ATTR_NOTE, "; DHCP named the router %u.%u.%u.%u", sn->router[0],
                   sn->router[1], sn->router[2], sn->router[3]);
    lines_end(ls);
}
