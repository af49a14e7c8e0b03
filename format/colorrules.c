/*
 * Wireshark 4.0's default colouring rules (/usr/share/wireshark/colorfilters: "@name@filter@
 * [background][foreground]"), first match wins. The rules pktscope can decide are here, in
 * Wireshark's order; left out because pktscope dissects none of their protocols: HSRP State
 * Change, Spanning Tree Topology Change, OSPF State Change, SCTP ABORT, SMB, DCERPC, Routing,
 * System Event. Adapted filters say how they differ.
 *
 * Colours. Wireshark paints whole rows: alarms on a dark background (Bad TCP and Checksum
 * Errors salmon on near-black, ICMP errors green on near-black, TCP RST light yellow on dark
 * red, TTL low grey on dark red), ordinary traffic on a pale tint with dark text. A terminal's
 * 8 colours have no pale tints, and saturated backgrounds on every row would drown the alarms,
 * so the alarms keep a background (the nearest of the 8 colours) and the tints become the
 * foreground of their hue on the terminal's own background. TCP's lavender is near-white: TCP
 * rows keep their usual colours. The mid-grey of TCP SYN/FIN becomes black on white (grey),
 * Broadcast's grey text on white becomes dim text.
 */
#include "format/colorrules.h"

#include "format/line.h"

const struct color_rule color_rules[] = {
    {"Bad TCP",
     "tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive && "
     "!tcp.analysis.keep_alive_ack",
     ATTR_CR_BAD, "bold red on black"},
    {"ICMP errors", "icmp.type in { 3..5, 11 } || icmpv6.type in { 1..4 }", ATTR_CR_ICMPERR,
     "bold green on black"},
    {"ARP", "arp", ATTR_CR_ARP, "yellow"},
    {"ICMP", "icmp || icmpv6", ATTR_CR_ICMP, "magenta"},
    {"TCP RST", "tcp.flags.reset eq 1", ATTR_CR_RST, "bold yellow on red"},
    /* Wireshark also excludes pim, ospf, vrrp and carp, which pktscope does not dissect. */
    {"TTL low or unexpected",
     "(ip.dst != 224.0.0.0/4 && ip.ttl < 5) || (ip.dst == 224.0.0.0/24 && ip.dst != 224.0.0.251 "
     "&& ip.ttl != 1)",
     ATTR_CR_TTL, "white on red"},
    /* 0 is "Bad" (pktscope's filter takes the number); the checksums Wireshark's rule names
     * that pktscope verifies (with --checksums: unverified by default, so the rule does not
     * fire then, as in Wireshark). A TCP/UDP checksum left to the NIC (offload) is Bad as in
     * tshark, but not an error: that row keeps its protocol's colour. */
    {"Checksum Errors",
     "ip.checksum.status == 0 || ((tcp.checksum.status == 0 || udp.checksum.status == 0) && "
     "!(pktscope.anomalies == \"tcp.checksum_offload\" || "
     "pktscope.anomalies == \"udp.checksum_offload\"))",
     ATTR_CR_BAD, "bold red on black"},
    /* Wireshark's also has http2, which pktscope does not dissect. */
    {"HTTP", "http || tcp.port == 80", ATTR_CR_HTTP, "green"},
    {"TCP SYN/FIN", "tcp.flags & 0x02 || tcp.flags.fin == 1", ATTR_CR_SYNFIN, "black on white"},
    {"TCP", "tcp", ATTR_NORMAL, "the usual colours"},
    {"UDP", "udp", ATTR_CR_UDP, "cyan"},
    /* Wireshark's "eth[0] & 1": the group bit of the destination. */
    {"Broadcast", "eth.dst.ig == 1", ATTR_CR_BCAST, "dim"},
};

const size_t color_rules_count = sizeof(color_rules) / sizeof(color_rules[0]);
