/*
 * numbers: the protocol numbers that select the next dissector, named once.
 *
 * EtherTypes (IEEE 802 EtherType registry), IP protocol numbers (IANA "Assigned Internet
 * Protocol Numbers", shared by IPv4's protocol field and IPv6's next header, RFC 8200 4) and
 * ARP hardware types (IANA "Hardware Types", which Linux's ARPHRD_* and the cooked-capture
 * headers reuse). Public: dissect/ sits below track/ and format/, which may compare against them.
 *
 * The names carry a PS_ prefix because <net/ethernet.h>, <netinet/in.h> and <net/if_arp.h>
 * define ETHERTYPE_*, IPPROTO_* and ARPHRD_* macros of their own; a file may include both.
 */
#ifndef PKTSCOPE_DISSECT_NUMBERS_H
#define PKTSCOPE_DISSECT_NUMBERS_H

enum {
    PS_ETHERTYPE_IPV4 = 0x0800,
    PS_ETHERTYPE_ARP = 0x0806,
    PS_ETHERTYPE_RARP = 0x8035, /* RFC 903: ARP's format */
    PS_ETHERTYPE_VLAN = 0x8100, /* IEEE 802.1Q C-tag */
    PS_ETHERTYPE_IPV6 = 0x86dd,
    PS_ETHERTYPE_8021AD = 0x88a8, /* IEEE 802.1ad S-tag */
    PS_ETHERTYPE_QINQ = 0x9100,   /* the pre-802.1ad Q-in-Q tag */
};

enum {
    PS_IPPROTO_HOPOPTS = 0, /* IPv6 Hop-by-Hop Options (RFC 8200 4.3) */
    PS_IPPROTO_ICMP = 1,
    PS_IPPROTO_IPIP = 4, /* IPv4 in IP (RFC 2003) */
    PS_IPPROTO_TCP = 6,
    PS_IPPROTO_UDP = 17,
    PS_IPPROTO_IPV6 = 41, /* IPv6 in IP (RFC 2473) */
    PS_IPPROTO_ROUTING = 43,
    PS_IPPROTO_FRAGMENT = 44,
    PS_IPPROTO_ESP = 50,
    PS_IPPROTO_AH = 51,
    PS_IPPROTO_ICMPV6 = 58,
    PS_IPPROTO_NONE = 59, /* IPv6 No Next Header (RFC 8200 4.7) */
    PS_IPPROTO_DSTOPTS = 60,
};

enum {
    PS_ARPHRD_ETHER = 1,
    PS_ARPHRD_IEEE802 = 6,
    PS_ARPHRD_TUNNEL = 768,   /* Linux: IPIP tunnel */
    PS_ARPHRD_LOOPBACK = 772, /* Linux */
    PS_ARPHRD_SIT = 776,      /* Linux: IPv6 in IPv4 */
    PS_ARPHRD_IPGRE = 778,    /* Linux: GRE over IP */
};

#endif
