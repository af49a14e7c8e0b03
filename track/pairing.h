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

struct pair_table;

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

/* The tracker's request/response pairing (HTTP and DNS). */
struct pairing;
struct pairing *pairing_new(void);
void pairing_free(struct pairing *p);
/* Looks at the HTTP and DNS layers of a tracked packet (info->stream set for TCP) and fills
 * info->pair_* when it is a response whose request was seen. */
void pairing_packet(struct pairing *p, const struct dissection *d, int64_t now_ns, uint64_t frame,
                    struct track_info *info);

#endif
