/*
 * community_id: the Community ID v1 of a flow (the public specification at
 * github.com/corelight/community-id-spec), the key Zeek, Suricata, Wireshark and Arkime share
 * to join records of one flow across tools and, here, across --shard runs.
 *
 * "1:" and the base64 of SHA-1 over seed (2 bytes, big-endian) | lower address | higher
 * address | IP protocol | 0 | lower port | higher port, the endpoints ordered so that the
 * smaller (address, port) comes first (addresses as bytes, then ports). ICMP and ICMPv6 map
 * their type and code to ports as Zeek does: a type with a counterpart (echo request and reply,
 * router solicitation and advertisement, ...) takes the counterpart's type as its "destination
 * port" and is ordered like TCP; any other type is one-way: (type, code), never reordered.
 * Protocols without ports hash no ports.
 *
 * The seed (--community-id-seed) is one setting of the process, set once before any packet,
 * like the OUI database: every output that shows an ID shows it with the same seed.
 */
#ifndef PKTSCOPE_TRACK_COMMUNITY_ID_H
#define PKTSCOPE_TRACK_COMMUNITY_ID_H

#include <stdbool.h>
#include <stdint.h>

#include "dissect/dissect.h"
#include "track/track.h"

/* "1:" + 28 base64 characters + NUL */
#define COMMUNITY_ID_SIZE 31

void community_id_set_seed(uint16_t seed);
uint16_t community_id_seed(void);

/* The ID of a tuple. has_ports false: a protocol without ports (sport, dport unused);
 * one_way: the endpoints are not reordered. addr_len is 4 or 16. */
void community_id_v1(uint16_t seed, uint8_t proto, uint8_t addr_len, const uint8_t *saddr,
                     const uint8_t *daddr, uint16_t sport, uint16_t dport, bool has_ports,
                     bool one_way, char out[COMMUNITY_ID_SIZE]);

/* The ID of an ICMP (proto 1) or ICMPv6 (58) message of this type and code. */
void community_id_icmp(uint16_t seed, uint8_t proto, uint8_t addr_len, const uint8_t *saddr,
                       const uint8_t *daddr, uint8_t type, uint8_t code,
                       char out[COMMUNITY_ID_SIZE]);

/* A packet's ID, with the process's seed: TCP, UDP, ICMP and ICMPv6 whose transport header was
 * read (not a later IP fragment, which has none). false (out "") for any other packet. */
bool community_id_packet(const struct dissection *d, char out[COMMUNITY_ID_SIZE]);

/* The ID a packet shows (--json, -Y, -V): that of a packet of a tracked flow (ti says so),
 * with the process's seed. false (out "") for any other. */
bool community_id_tracked(const struct dissection *d, const struct track_info *ti,
                          char out[COMMUNITY_ID_SIZE]);

/* A connection's ID, with the process's seed: that of its packets (its first packet's tuple;
 * an ICMP echo exchange as its request). */
void community_id_conn(const struct conn *c, char out[COMMUNITY_ID_SIZE]);

#endif
