/*
 * -z follow,tcp|udp,ascii|hex|raw,N: one stream's payload, as tshark -q -z follow writes it
 * (the ==== header, Filter:, Node 0: / Node 1:, each chunk of data in the mode asked, replies
 * indented by a tab in ascii and hex modes). Data is taken from each packet of the stream in
 * order; the chunks are kept (bounded by FOLLOW_MAX_BYTES) and written at the end.
 */
#ifndef PKTSCOPE_FORMAT_FOLLOW_H
#define PKTSCOPE_FORMAT_FOLLOW_H

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
void follow_free(struct follow *fw);

#endif
