/*
 * quiz: questions about a capture, to check what a class learned (--quiz[=N] [--answers]
 * [--seed S]). Every question is asked about frames of this capture and answered from the
 * model: the dissector's fields, the tracker's streams, pairings and round trips, and the
 * hosts report (track/hosts.h: subnets, the gateway, the ARP table).
 *
 * Kinds (each asked only when the capture has what it needs): a SYN's raw sequence number;
 * the SYN-ACK's acknowledgement number; the server's port and its service; TCP or UDP and what
 * it means; the frames of a four-way close (or half-close); two addresses under a subnet mask,
 * worked in binary; the MAC a host uses to reach a remote address (the gateway's); a ping's
 * round trip (icmp.resptime); a DNS answer (dns.a); a DHCP lease (address, mask, router);
 * the handshake's round trip (tcp.analysis.initial_rtt, from the last SYN sent before the
 * SYN-ACK, as Wireshark measures it; not asked after a simultaneous open); a connection's
 * first retransmission (tcp.analysis.retransmission, fast ones included as Wireshark marks them).
 *
 * The choice: a splitmix64 generator seeded with --seed (default 1) shuffles the kinds, then
 * takes one unused question of each kind in that order, round after round, until N are taken:
 * kinds vary before one repeats, and the same capture and seed give the same worksheet.
 *
 * The answers are machine-readable for tests/scripts/quiz_oracle.sh: in a fenced block after
 * each question, "Answer: ...", "Frame: N[, M...]" and "Check: N FIELD VALUE" lines, each
 * saying that tshark -r F -Y frame.number==N -T fields -e FIELD prints VALUE. A subnet
 * question adds "Subnet: A B MASK same|different" so the verdict itself can be recomputed.
 *
 * Bounded: at most QUIZ_MAX_CANDIDATES candidates per kind, kept from the first ones seen;
 * no allocation per packet (the struct is allocated once; hosts_packet allocates on its
 * first packet only).
 */
#ifndef PKTSCOPE_FORMAT_QUIZ_H
#define PKTSCOPE_FORMAT_QUIZ_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dissect/dissect.h"
#include "track/track.h"

#define QUIZ_DEFAULT_COUNT 10u
#define QUIZ_MAX_COUNT 100u
#define QUIZ_MAX_CANDIDATES 32u

struct quiz;

struct quiz *quiz_new(void);
void quiz_free(struct quiz *q);
/* A local subnet given on the command line (--subnet), as --hosts takes it. */
void quiz_add_subnet(struct quiz *q, const char *cidr);
/* One packet; `shown`: it passed the display filter (else it only teaches the subnets). */
void quiz_add(struct quiz *q, const struct dissection *d, const struct track_info *ti,
              int64_t ts_sec, uint32_t ts_nsec, uint64_t frame, bool shown);
/*
 * Writes the worksheet (Markdown): `count` questions chosen with `seed`, with the answers,
 * their reasons and proof when `answers`. `title` names the capture (escaped here). Returns
 * the number of questions written.
 */
unsigned quiz_print(struct quiz *q, FILE *out, const char *title, unsigned count, uint64_t seed,
                    bool answers);

#endif
