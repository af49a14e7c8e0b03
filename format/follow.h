/*
 * -z follow,tcp|udp,ascii|hex|raw,N: one stream's payload, as tshark -q -z follow writes it
 * (the ==== header, Filter:, Node 0: / Node 1:, then each packet's payload as a chunk in the
 * mode asked, Node 1's marked by a tab). Node 0 is the source of the stream's first packet.
 * The payload is chosen as the TUI's follow view chooses it (follow_payload, shared with
 * ui/view_follow.c): a packet of the stream with payload, retransmissions left out. The chunks
 * are kept (at most FOLLOW_MAX_BYTES; the rest is counted and said) and written at the end.
 */
#ifndef PKTSCOPE_FORMAT_FOLLOW_H
#define PKTSCOPE_FORMAT_FOLLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "capture/source.h"
#include "dissect/dissect.h"
#include "track/track.h"

enum follow_mode { FOLLOW_ASCII, FOLLOW_HEX, FOLLOW_RAW };

#define FOLLOW_MAX_BYTES (64u << 20)

struct follow;

struct follow *follow_new(uint8_t proto, enum follow_mode mode, uint32_t stream);
void follow_add(struct follow *fw, const struct packet *pkt, const struct dissection *d,
                const struct track_info *ti);
void follow_print(const struct follow *fw, FILE *out);
/* The payload a follow shows for one packet of stream (proto, stream): false when the packet
 * is not of the stream, has none, or is a retransmission (Wireshark leaves those out). */
bool follow_payload(const struct packet *pkt, const struct dissection *d,
                    const struct track_info *ti, uint8_t proto, uint32_t stream,
                    const uint8_t **data, size_t *len);
void follow_free(struct follow *fw);

#endif
