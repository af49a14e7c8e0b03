/*
 * later_facts: what later frames tell about earlier ones, for a second look at those frames.
 *
 * Two kinds of facts, which only a later frame knows:
 *  - Reassembly: a frame that completes an IP datagram or a TCP message lists the frames it was
 *    made of (ip.fragment, ipv6.fragment, tcp.segment); tshark shows it on them with -2
 *    (ip.reassembled_in, ipv6.reassembled.in, tcp.reassembled_in). Frames beyond the 64 a
 *    completion lists (REASM_MAX_LISTED) are not known.
 *  - Answers: a response that the tracker paired with its request (track_info pair_kind,
 *    pair_frame, pair_ns: track/pairing.h) tells the request where it was answered; tshark -2
 *    shows http.response_in, dns.response_in, icmp.resp_in, icmpv6.resp_in; pktscope adds
 *    pktscope.arp.reply_in, and pktscope.response_time (the time from request to response) on
 *    all five.
 * Wireshark's window always shows both. The map is learnt from each frame as it is processed
 * (the first pass of -2, or the TUI as it indexes) and applied to a frame's dissection when it
 * is dissected again, as late fields (dis_add_late_field).
 *
 * Bounded: at most LATER_FACTS_MAX facts (40 bytes each and up to 8 of index, 192 MiB); past
 * it a new fact is dropped and counted (later_facts_dropped), and the frame it was about says
 * nothing of it. A live TUI lets the facts of its forgotten frames go
 * (later_facts_forget_before). Learning and applying allocate nothing per packet but the map's
 * own growth (doubling).
 */
#ifndef PKTSCOPE_PIPELINE_LATER_FACTS_H
#define PKTSCOPE_PIPELINE_LATER_FACTS_H

#include <stddef.h>
#include <stdint.h>

#include "dissect/dissect.h"
#include "track/track.h"

#define LATER_FACTS_MAX (UINT32_C(1) << 22)

struct later_facts;

struct later_facts *later_facts_new(void);
void later_facts_free(struct later_facts *m);
/* Learns from frame `frame`'s dissection (anything it completed) and its tracking (a response
 * paired with its request; ti may be NULL). */
void later_facts_learn(struct later_facts *m, const struct dissection *d,
                       const struct track_info *ti, uint64_t frame);
/* Adds to frame `frame`'s dissection what later frames told of it. */
void later_facts_apply(const struct later_facts *m, struct dissection *d, uint64_t frame);
/* Forgets what it knows of frames before `frame` (a live capture letting its oldest go). */
void later_facts_forget_before(struct later_facts *m, uint64_t frame);
size_t later_facts_count(const struct later_facts *m);
/* Facts not kept because the map held LATER_FACTS_MAX. */
uint64_t later_facts_dropped(const struct later_facts *m);

#endif
