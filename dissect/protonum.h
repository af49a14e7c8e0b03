/*
 * dissect: the protocol numbers that layers above dissect/ compare against: EtherTypes (IEEE
 * 802 numbers, IANA "ieee-802-numbers") and IP protocol numbers (IANA "protocol-numbers"),
 * named so that `proto == IP_PROTO_TCP` reads as what it means. IP_PROTO_*, not IPPROTO_*:
 * <netinet/in.h> owns those names.
 *
 * dissect/numbers.h (being written on another branch for dissect/'s own use) may merge with this
 * header later; the names and values here are chosen to agree with it, and each definition is
 * guarded so that including both is harmless.
 */
#ifndef PKTSCOPE_DISSECT_PROTONUM_H
#define PKTSCOPE_DISSECT_PROTONUM_H

#ifndef ETHERTYPE_IPV4
#define ETHERTYPE_IPV4 0x0800
#endif
#ifndef ETHERTYPE_ARP
#define ETHERTYPE_ARP 0x0806
#endif
#ifndef ETHERTYPE_IPV6
#define ETHERTYPE_IPV6 0x86dd
#endif
#ifndef ETHERTYPE_VLAN
#define ETHERTYPE_VLAN 0x8100
#endif

#ifndef IP_PROTO_ICMP
#define IP_PROTO_ICMP 1
#endif
#ifndef IP_PROTO_TCP
#define IP_PROTO_TCP 6
#endif
#ifndef IP_PROTO_UDP
#define IP_PROTO_UDP 17
#endif
#ifndef IP_PROTO_ICMPV6
#define IP_PROTO_ICMPV6 58
#endif

#endif
