/*
 * hosts: the network a capture shows, not just its packets: every host (a MAC address on the
 * link, or an IP address seen without one), the addresses it used, its roles (client of ...,
 * server of ..., gateway), whether it is on the local subnet, the ARP table the capture reveals
 * (IP -> MAC, the frame that taught it, first and last seen, conflicts) and the subnets with
 * where each came from (--subnet, the live interface, DHCP in the capture, or inferred).
 *
 * Fed one dissected packet at a time (hosts_packet), in capture order, by whoever feeds the
 * tracker; the verdicts (which addresses are a host's own, which MAC is the gateway) need the
 * whole capture, so they are made once, at the end, by hosts_report().
 *
 * Per packet: a few lookups in one hash table of observations (a MAC; a MAC seen with an IP; an
 * IP; an ARP sender mapping; a client/server pair; a DHCP lease), no allocation after the first
 * packet. Bounded: at most HOSTS_MAX_ENTRIES observations (about 2 MB, allocated on the first
 * packet); past it the oldest observation goes first, counted in `evicted` and shown by the
 * report. A typical host costs 3 to 6 observations, so the cap is some thousands of hosts.
 *
 * The rules (each verdict names its evidence in the report):
 *  - an IP address is a MAC's own when it is on a local subnet, or the MAC announced it by ARP
 *    or was given it by DHCP; the other addresses a MAC carries are remote hosts behind it;
 *  - a MAC that carries traffic for an address outside the local subnet is a gateway; when no
 *    subnet is known, one that carries traffic for HOSTS_MANY_REMOTE addresses or more is;
 *    a MAC whose address DHCP named as the router is one too;
 *  - client and server: who sent a TCP SYN (without ACK) to whom; for UDP, the side of the
 *    well-known port (below 1024; of two, the lower); ICMP echo: who asked. A connection whose
 *    SYN was not captured gives no role.
 *  - the subnet, when no --subnet, interface or DHCP gives one: the smallest prefix covering the
 *    addresses seen in ARP (sender and target), widened to /24, and not wider than /16.
 *    IPv6: --subnet, the interface, or a Router Advertisement's prefix information option (on-link
 *    prefixes); link-local addresses are always local.
 *  - IPv6 neighbour discovery is IPv6's ARP (RFC 4861): a Neighbor Advertisement maps its
 *    target address to the MAC (its target link-layer option, else the frame's source), a
 *    Neighbor Solicitation its source address; these make the neighbour table. A MAC that sent a
 *    Router Advertisement is a router (a gateway), its link-local source address its own.
 */
#ifndef PKTSCOPE_TRACK_HOSTS_H
#define PKTSCOPE_TRACK_HOSTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dissect/dissect.h"

#define HOSTS_MAX_ENTRIES 16384u /* observations kept (about 128 bytes each) */
#define HOSTS_MAX_SUBNETS 16u    /* subnets given, from interfaces and from DHCP */
#define HOSTS_MANY_REMOTE 3u     /* addresses behind one MAC that make it a gateway */

enum subnet_source {
    SUBNET_GIVEN = 0, /* --subnet */
    SUBNET_INTERFACE, /* the live interface's address and mask */
    SUBNET_DHCP,      /* option 1 (subnet mask) with the address handed out */
    SUBNET_INFERRED,  /* from the addresses seen in ARP (IPv6, the test: the sender's /64) */
    SUBNET_RA,        /* an IPv6 Router Advertisement's prefix information option (on-link) */
};
/* "given", "interface", "dhcp", "inferred", "ra" */
const char *subnet_source_name(enum subnet_source s);

struct hosts_subnet {
    uint8_t addr_len;   /* 4 or 16 */
    uint8_t prefix_len; /* 0..32 or 0..128 */
    uint8_t source;     /* enum subnet_source */
    bool has_router;    /* DHCP option 3 */
    bool ack;           /* DHCP: frame is an ACK (else an OFFER, no ACK captured) */
    uint8_t addr[16];   /* the network address (host bits zero) */
    uint8_t router[4];
    uint8_t assigned[4];   /* DHCP: the address handed out (yiaddr) */
    uint64_t frame;        /* DHCP: the ACK (or OFFER) that taught it; RA: the advertisement */
    uint8_t router6[16];   /* RA: the router's (link-local) source address */
    uint8_t router_mac[6]; /* RA: the router's MAC */
    uint32_t covered;      /* inferred: how many ARP-seen addresses it covers */
    uint8_t covering_len;  /* inferred: the smallest prefix covering them, before widening */
};

struct hosts;

struct hosts *hosts_new(void);
void hosts_free(struct hosts *h);

/*
 * Adds a subnet from text "ADDR/LEN" (IPv4 or IPv6; host bits are cleared). 0, or -1 with a
 * message in err when the text is not a CIDR or HOSTS_MAX_SUBNETS are already known.
 */
int hosts_add_subnet(struct hosts *h, const char *cidr, enum subnet_source src, char *err,
                     size_t errlen);

/*
 * One packet. `shown`: the packet passed the display filter; a packet that did not still
 * teaches the network's facts (a DHCP lease's subnet and router) but adds no host, ARP entry
 * or role.
 */
void hosts_packet(struct hosts *h, const struct dissection *d, int64_t ts_sec, uint32_t ts_nsec,
                  uint64_t frame, bool shown);

/* ---- the subnet test, per packet ------------------------------------------------------- */

/*
 * The subnet test a host makes before it sends (issue 15 item 3), worked on one IP packet with
 * what the capture taught before it: a subnet given, from the interface, from a DHCP ACK or (IPv6)
 * a Router Advertisement seen before this frame (not the inferred IPv4 one, which needs the whole
 * capture; IPv6 with no prefix known: the sender's /64, labelled inferred), and the ARP or
 * neighbour discovery mapping that names the frame's destination (or, for a packet that arrived
 * from outside, source) MAC. `side_src` says whose subnet it is: the sender's (true) or, when
 * only the receiver's is known, the receiver's. The mapping memory is HOSTS_ARP_BY_MAC slots per
 * family indexed by MAC (a collision forgets the older mapping: then the link-layer half is
 * simply not told).
 */
#define HOSTS_ARP_BY_MAC 1024u
#define HOSTS_LEASES_NOW 8u /* the latest DHCP ACKs with a mask (and RA prefixes), for the test */

/* What taught a MAC mapping. */
enum hosts_taught { TAUGHT_ARP = 0, TAUGHT_NS, TAUGHT_NA, TAUGHT_RA };
/* "ARP", "Neighbor Solicitation", "Neighbor Advertisement", "Router Advertisement" */
const char *hosts_taught_name(enum hosts_taught how);

enum subnet_test_kind {
    SUBNET_TEST_PREFIX = 0, /* the mask / prefix comparison */
    SUBNET_TEST_LINK_LOCAL, /* IPv6 fe80::/10 at one end: on the link whatever the prefix */
    SUBNET_TEST_MULTICAST,  /* IPv6 ff00::/8 destination: 33:33 and the group's last 32 bits */
};

struct subnet_test {
    uint8_t kind;               /* enum subnet_test_kind */
    struct hosts_subnet subnet; /* the subnet tested against (source: given, interface, dhcp, ra,
                                   inferred) */
    bool side_src;              /* the sender's subnet (else the receiver's) */
    bool same;                  /* the other address is in it too */
    bool has_mac;               /* the frame's MAC on the far side of the verdict ... */
    uint8_t mac[6];             /* (destination MAC when side_src, else source MAC) */
    bool mac_known;             /* ... was named by ARP or neighbour discovery before this frame: */
    uint8_t mac_ip_len;         /* 4 or 16 */
    uint8_t mac_ip[16];         /* the address it answered for */
    uint8_t mac_how;            /* enum hosts_taught */
    uint64_t mac_frame;         /* in this frame */
};
/* True and *t when the packet is IPv4 between two unicast addresses and a subnet holding one of
 * them is known before `frame`; or IPv6 with a unicast source (a known or inferred prefix, a
 * link-local end, or a multicast destination). */
bool hosts_subnet_test(const struct hosts *h, const struct dissection *d, uint64_t frame,
                       struct subnet_test *t);

/* ---- the report ---------------------------------------------------------------------- */

enum host_role_kind { ROLE_CLIENT = 0, ROLE_SERVER };

struct host_role {
    uint8_t kind;     /* enum host_role_kind: this host is the client (or server) of peer */
    uint8_t l4;       /* PS_IPPROTO_TCP, _UDP, _ICMP, _ICMPV6 */
    uint16_t port;    /* the server's port (0 for ICMP echo) */
    uint8_t addr_len; /* this host's address the role was seen with */
    uint8_t peer_len;
    uint8_t addr[16];
    uint8_t peer[16];
    uint64_t count;       /* SYNs, datagrams, echo requests */
    uint64_t first_frame; /* where it was first seen */
};

struct host_addr {
    uint8_t len; /* 4 or 16 */
    uint8_t a[16];
    uint64_t first_frame;
};

struct host_row {
    bool has_mac;
    uint8_t mac[6];
    int8_t local; /* 1 on a local subnet, 0 reached through a gateway / outside, -1 unknown */
    bool gateway;
    bool has_via; /* an address without a MAC of its own, carried by this MAC */
    uint8_t via[6];
    uint64_t first_frame, last_frame; /* 0 when not seen in a frame of its own */
    uint64_t frames;                  /* frames sent (MAC rows) */
    struct host_addr *addrs;          /* its own addresses: IPv4 first, in order of first use */
    size_t naddrs;
    struct host_role *roles;
    size_t nroles;
    /* gateway evidence */
    uint32_t carried;            /* addresses outside the local subnet it carries traffic for */
    struct host_addr carried_ex; /* one of them, the first seen */
    const struct hosts_subnet *outside_of; /* the subnet they are outside of (NULL: none known) */
    bool arp_taught;                       /* its gateway address was taught by ARP ... */
    uint64_t arp_frame;                    /* ... in this frame */
    struct host_addr gw_addr;              /* its address named as the router (DHCP) or by ARP */
    uint64_t dhcp_router_frame; /* DHCP named gw_addr as the router in this frame, 0 none */
    uint64_t ra_frame;          /* it sent a Router Advertisement (first in this frame), 0 none */
};

struct arp_row {
    uint8_t ip[4];
    uint8_t mac[6];
    bool conflict;  /* another MAC answered for the same IP */
    uint64_t frame; /* the frame that taught it */
    uint64_t count;
    int64_t first_sec, last_sec;
    uint32_t first_nsec, last_nsec;
};

/* The neighbour table neighbour discovery reveals (IPv6's ARP table). */
struct nd_row {
    uint8_t ip[16];
    uint8_t mac[6];
    uint8_t how;    /* enum hosts_taught: what first taught it */
    bool router;    /* the MAC sent a Router Advertisement from this address */
    uint64_t frame; /* the frame that taught it */
    uint64_t count;
};

struct hosts_report {
    struct hosts_subnet *subnets;
    size_t nsubnets;
    struct host_row *rows;
    size_t nrows;
    struct arp_row *arp;
    size_t narp;
    size_t conflicts; /* IPs with more than one MAC */
    struct nd_row *nd;
    size_t nnd;
    uint64_t evicted; /* observations let go past HOSTS_MAX_ENTRIES */
    size_t cap;       /* HOSTS_MAX_ENTRIES */
    /* the inferred subnet's evidence: the lowest and highest ARP-seen addresses */
    uint8_t inferred_low[4], inferred_high[4];
};

/* Builds the report from everything fed so far (allocates; free with hosts_report_release). */
void hosts_report(const struct hosts *h, struct hosts_report *r);
void hosts_report_release(struct hosts_report *r);

/* The subnet of r that holds addr, or NULL. */
const struct hosts_subnet *hosts_subnet_of(const struct hosts_report *r, const uint8_t *addr,
                                           size_t len);

#endif
