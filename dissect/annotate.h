/*
 * annotate: what an address or a port means, for teaching: the class of an IPv4 or IPv6 address
 * from the IANA special-purpose address registries (RFC 6890 and its updates), the I/G and U/L
 * bits of a MAC address and the NIC vendor named by its OUI, and the IANA range of a port
 * (RFC 6335 6: system 0-1023, user 1024-49151, dynamic 49152-65535).
 *
 * The OUI database is read once, lazily, on the first vendor lookup: Debian's ieee-data
 * (/usr/share/ieee-data/oui.txt) or else Wireshark's manuf (/usr/share/wireshark/manuf), into
 * one sorted array searched by binary search. Without either file a lookup returns NULL and the
 * caller shows the OUI alone. Nothing here fails or allocates per lookup; names returned are
 * printable ASCII (anything else in the files is replaced by '?'). Not thread-safe on the first
 * vendor lookup.
 */
#ifndef PKTSCOPE_DISSECT_ANNOTATE_H
#define PKTSCOPE_DISSECT_ANNOTATE_H

#include <stdbool.h>
#include <stdint.h>

enum addr_class {
    ADDR_PUBLIC = 0,    /* globally routable unicast */
    ADDR_PRIVATE,       /* RFC 1918 */
    ADDR_ULA,           /* fc00::/7, RFC 4193 */
    ADDR_LOOPBACK,      /* 127/8, ::1 */
    ADDR_LINK_LOCAL,    /* 169.254/16 (RFC 3927), fe80::/10 */
    ADDR_MULTICAST,     /* 224/4 (RFC 5771), ff00::/8 */
    ADDR_BROADCAST,     /* 255.255.255.255 (RFC 919, RFC 8190) */
    ADDR_CGNAT,         /* 100.64/10, RFC 6598 shared address space */
    ADDR_DOCUMENTATION, /* RFC 5737, 2001:db8::/32 (RFC 3849), 3fff::/20 (RFC 9637) */
    ADDR_THIS_HOST,     /* 0/8 "this network" (RFC 791), 0.0.0.0 */
    ADDR_UNSPECIFIED,   /* :: (RFC 4291) */
    ADDR_BENCHMARKING,  /* 198.18/15 (RFC 2544), 2001:2::/48 (RFC 5180) */
    ADDR_RESERVED,      /* 240/4 (RFC 1112), IPv6 space outside 2000::/3 not listed */
    ADDR_IETF_PROTOCOL, /* 192.0.0/24 (RFC 6890), 2001::/23 */
    ADDR_IPV4_MAPPED,   /* ::ffff:0:0/96 (RFC 4291) */
    ADDR_NAT64,         /* 64:ff9b::/96 (RFC 6052), 64:ff9b:1::/48 (RFC 8215) */
    ADDR_TEREDO,        /* 2001::/32 (RFC 4380) */
    ADDR_6TO4,          /* 2002::/16 (RFC 3056), 192.88.99/24 relay anycast (RFC 7526) */
    ADDR_DISCARD,       /* 100::/64 (RFC 6666) */
    ADDR_SITE_LOCAL,    /* fec0::/10, deprecated (RFC 3879) */
    ADDR__COUNT
};

enum addr_class addr_class_ipv4(const uint8_t a[4]);
enum addr_class addr_class_ipv6(const uint8_t a[16]);
/* A stable short name ("private", "link-local") used as the JSON value. */
const char *addr_class_name(enum addr_class c);
/* A one-line explanation ("private network address (RFC 1918), not routed on the Internet"). */
const char *addr_class_text(enum addr_class c);

/* I/G bit (bit 0 of the first byte): a group (multicast/broadcast) address. */
bool mac_is_group(const uint8_t mac[6]);
/* U/L bit (bit 1 of the first byte): locally administered, not vendor-assigned. */
bool mac_is_local(const uint8_t mac[6]);
bool mac_is_broadcast(const uint8_t mac[6]);

/*
 * The vendor registered for the MAC's OUI (first 3 bytes), or NULL when unknown or when no OUI
 * database is installed. Locally administered and group addresses have no vendor.
 */
const char *oui_vendor(const uint8_t mac[6]);
/* True when an OUI database was found (loads it if not yet done). */
bool oui_have_database(void);
/* Uses these files (NULL: none) for the next load and drops the table; for tests. */
void oui_set_paths(const char *ieee_oui_txt, const char *wireshark_manuf);
void oui_release(void);

/*
 * The historical class of an IPv4 address (RFC 791 3.2, as courses still teach it; CIDR replaced
 * it in 1993, RFC 1519): A (first bit 0, 0-127, default mask /8), B (10, 128-191, /16), C (110,
 * 192-223, /24), D (1110, 224-239, multicast), E (1111, 240-255, reserved). The letter, a
 * one-line explanation, and for an RFC 1918 address the class whose reserved block holds it
 * (10/8 in A, 172.16/12 in B, 192.168/16 in C), else NULL.
 */
char ipv4_class_letter(const uint8_t a[4]);
const char *ipv4_class_text(const uint8_t a[4]);
const char *ipv4_private_block_text(const uint8_t a[4]);

/*
 * Hops travelled, from a TTL (IPv4) or hop limit (IPv6): the initial value is taken to be the
 * smallest usual one at or above it -- 64 (Linux, macOS, BSD, Android), 128 (Windows) or 255
 * (routers, Solaris, and what RFC 4861 requires of neighbour discovery) -- and the hops are the
 * difference. 32 (Windows 95 and some other old systems) is not assumed: a TTL at or below 32
 * is far more often a modern host's 64 after many hops, or a TTL set low on purpose
 * (traceroute), than a host of that age. Counted to the capture point, not to the receiver.
 * More than TTL_MAX_HOPS hops is no real path (Internet paths are shorter): the TTL was set low
 * on purpose (traceroute's probes, TTL 1 to keep a packet on its link) and ttl_hops() is -1.
 */
#define TTL_MAX_HOPS 32
uint8_t ttl_initial_guess(uint8_t ttl);
int ttl_hops(uint8_t ttl);

enum port_range { PORT_WELL_KNOWN, PORT_REGISTERED, PORT_EPHEMERAL };
enum port_range port_range(uint16_t port);
/* "well-known", "registered", "ephemeral". */
const char *port_range_name(enum port_range r);
/* "0-1023" ... */
const char *port_range_span(enum port_range r);

#endif
