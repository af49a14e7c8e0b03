/*
 * reasm_in: where each earlier fragment or segment of a reassembled message was reassembled,
 * for a second look at those frames.
 *
 * A frame that completes an IP datagram or a TCP message lists the frames it was made of
 * (ip.fragment, ipv6.fragment, tcp.segment). Only later frames can say so of the earlier ones;
 * tshark shows it on them with -2 (ip.reassembled_in, ipv6.reassembled.in, tcp.reassembled_in),
 * and Wireshark's window always does. This map is learnt from the completing frames (the first
 * pass of -2, or the TUI as it indexes) and applied to a frame's dissection when it is dissected
 * again. Frames beyond the 64 a completion lists (REASM_MAX_LISTED) are not known.
 */
#ifndef PKTSCOPE_PIPELINE_REASM_IN_H
#define PKTSCOPE_PIPELINE_REASM_IN_H

#include <stddef.h>
#include <stdint.h>

#include "dissect/dissect.h"

struct reasm_in;

struct reasm_in *reasm_in_new(void);
void reasm_in_free(struct reasm_in *m);
/* Learns from frame `frame`'s dissection (anything it completed). */
void reasm_in_learn(struct reasm_in *m, const struct dissection *d, uint64_t frame);
/* Adds to frame `frame`'s dissection where its fragment or segment was reassembled. */
void reasm_in_apply(const struct reasm_in *m, struct dissection *d, uint64_t frame);
/* Forgets what it knows of frames before `frame` (a live capture letting its oldest go). */
void reasm_in_forget_before(struct reasm_in *m, uint64_t frame);
size_t reasm_in_count(const struct reasm_in *m);

#endif
