/*
 * pairing: requests and their responses, for the tracker (track/ only).
 *
 * A pair table is a small generic bounded map from a key of up to PAIR_KEY_MAX bytes to a
 * value {a, b} (two 64-bit numbers: a frame number and a time, or two counters). It has a fixed
 * capacity chosen at creation; when it is full the oldest entry (by insertion) is evicted, in
 * constant time, and counted. It starts small and doubles as entries arrive, up to cap (4096
 * entries of 72 bytes and an index of 8192 slots: 320 KiB per table at most). Other
 * request/response protocols (DHCP by transaction id, ...) can use the same table with their
 * own key.
 *
 * On top of it, what the tracker pairs (one pass, as tshark -r without -2):
 *  - HTTP/1.x: requests and responses of one TCP stream in order (RFC 9112 9.3: a server
 *    answers pipelined requests in the order they came): a FIFO per stream, at most
 *    PAIR_HTTP_MAX_OUTSTANDING requests waiting per stream (the oldest is dropped past it), and
 *    PAIR_HTTP_CAP waiting requests in all.
 *  - DNS (and mDNS, LLMNR) over UDP and TCP: a query and its response by (transaction id,
 *    transport, the two endpoints in either direction), as Wireshark 4.0 pairs them: a query
 *    repeated within 5 s of an unanswered one is a retransmission (the first keeps the
 *    transaction), a response pairs only with an unanswered query (a repeated response gets
 *    nothing). At most PAIR_DNS_CAP queries remembered in all, the oldest evicted.
 *  - ICMP and ICMPv6 echo: a reply and its request by (identifier, sequence number, the two
 *    addresses in either order), as Wireshark pairs them: icmp.resp_to / icmpv6.resp_to on
 *    the reply. A request repeated before its reply replaces the earlier one. At most
 *    PAIR_ECHO_CAP requests waiting, the oldest evicted.
 *  - ARP (pktscope's own: Wireshark does not pair ARP): a reply and the request it answers by
 *    (the address asked for, the asker's address, VLAN): pktscope.arp.request_in /
 *    pktscope.arp.time. A request asking again for an address whose earlier request got no
 *    reply says so (pair kind TI_PAIR_ARP_AGAIN, pktscope.arp.unanswered: the earlier frame);
 *    one pass cannot tell a request that it will stay unanswered. Gratuitous ARPs and
 *    announcements expect no reply and are not remembered. At most PAIR_ARP_CAP requests
 *    waiting, the oldest evicted.
 * A response gets the frame number of its request and the time since it (track_info
 * pair_frame / pair_ns): http.request_in / http.time, dns.response_to / dns.time.
 */
#ifndef PKTSCOPE_TRACK_PAIRING_H
#define PKTSCOPE_TRACK_PAIRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "track/track.h"

#define PAIR_KEY_MAX 40
#define PAIR_HTTP_MAX_OUTSTANDING 32u
#define PAIR_HTTP_CAP 4096u
#define PAIR_DNS_CAP 4096u
#define PAIR_ECHO_CAP 4096u
#define PAIR_ARP_CAP 4096u

struct pair_table;
struct pairing;

/* A table of cap entries (cap >= 1). */
struct pair_table *pair_table_new(uint32_t cap);
void pair_table_free(struct pair_table *pt);
/* Sets key -> {a, b}, replacing the value of an equal key (which keeps its age). */
void pair_put(struct pair_table *pt, const void *key, size_t len, uint64_t a, int64_t b);
/* Finds key: true and its value; with `take`, the entry is removed. */
bool pair_get(struct pair_table *pt, const void *key, size_t len, uint64_t *a, int64_t *b,
              bool take);
/* Entries evicted because the table was full. */
uint64_t pair_evicted(const struct pair_table *pt);
/* Entries evicted from all of a pairing's tables. */
uint64_t pairing_evicted(const struct pairing *p);

/* The tracker's request/response pairing (HTTP and DNS). */
struct pairing *pairing_new(void);
void pairing_free(struct pairing *p);
/* An ARP message (the dissection's l3 is L3_ARP): fills info->pair_* for a reply whose request
 * was seen, or a request that repeats an unanswered one. */
void pairing_arp(struct pairing *p, const struct dissection *d, int64_t now_ns, uint64_t frame,
                 struct track_info *info);
/* Looks at the HTTP and DNS layers of a tracked packet (info->stream set for TCP) and fills
 * info->pair_* when it is a response whose request was seen. */
void pairing_packet(struct pairing *p, const struct dissection *d, int64_t now_ns, uint64_t frame,
                    struct track_info *info);

#endif
