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

/* The rules the answers rest on, one sentence each without a capital or a full stop ("a SYN
 * takes up one sequence number"), shared by the worksheet and the TUI's quiz so that both say
 * them alike. */
enum quiz_rule { QUIZ_RULE_SYN_ONE, QUIZ_RULE_FIN_ONE, QUIZ_RULE_ACK_NEXT };
const char *quiz_rule_text(enum quiz_rule r);

/*
 * The TUI's quiz (predict the next packet, quiz_next.c): what the class is asked about one
 * packet, its answers and why, derived from the packet's dissection and tracking (never from
 * anything else): which of its two ends sends it; for TCP its flags (S A F R P), relative
 * sequence and acknowledgement numbers as the list shows them; for ARP, DNS and ICMP echo
 * whether it asks or answers. The two ends are named in an order that does not give the
 * direction away: client first when the tracker knows the roles, else the lower address.
 */
enum quiz_part {
    QUIZ_PART_DIR,
    QUIZ_PART_FLAGS,
    QUIZ_PART_SEQ,
    QUIZ_PART_ACK,
    QUIZ_PART_KIND,
    QUIZ_PART__COUNT
};
#define QUIZ_WHY_LEN 240

struct quiz_next {
    bool asks[QUIZ_PART__COUNT];
    char end[2][64];          /* the two ends, "10.0.0.1:53448" */
    char end_role[2][8];      /* "client", "server", or "" */
    char what[32];            /* "TCP stream 0", "ARP", "DNS over UDP stream 2" */
    unsigned dir;             /* 1: end 1 sends it, 2: end 2 does */
    char flags[6];            /* of S A F R P, those set, in that order */
    uint32_t seq, ack;        /* relative */
    bool has_ack;             /* the ACK flag: without it there is no acknowledgement number */
    unsigned kind;            /* 1: a request (query, echo request), 2: an answer */
    const char *kind_name[2]; /* "request", "reply" / "query", "response" */
    char why[QUIZ_PART__COUNT][QUIZ_WHY_LEN];
};

/* Fills *qn for the packet (d, ti); false when there is nothing to ask about it (no two ends). */
bool quiz_next_of(const struct dissection *d, const struct track_info *ti, struct quiz_next *qn);
/* A TCP flags answer as typed ("as", "S A", "sa") made canonical ("SA"): false when it holds a
 * letter that is not one of S A F R P. */
bool quiz_flags_parse(const char *text, char out[6]);

#endif
