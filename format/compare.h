/*
 * compare: one TCP connection and one UDP flow side by side, with numbers from the capture
 * (--compare tcp:N udp:M), so that a class sees what TCP's reliability costs: the packets and
 * bytes spent on setup (the handshake), teardown (the FIN/RST exchange), pure
 * acknowledgements, headers against payload, the retransmissions seen, and the time from the
 * first packet to the first data byte.
 *
 * How a packet is counted (each TCP packet in exactly one of four kinds, by the tracker's
 * phase, track.h): setup, the handshake phase; teardown, the teardown and reset phases
 * without payload, or with FIN or RST; pure ACK, no payload and no SYN/FIN/RST in the data
 * phase; data, every packet with payload otherwise (half-closed data included). A UDP
 * datagram is always data: UDP has no setup, teardown or acknowledgement. Bytes are frame
 * bytes (frame.len); "headers" is a frame's bytes that are not L4 payload (tcp.len /
 * the UDP payload): its L2-L4 headers and any link padding.
 *
 * Invariants: bounded (two fixed sides, no allocation); a pure function of the packets
 * offered, in order; a side whose stream never appeared says so.
 */
#ifndef PKTSCOPE_FORMAT_COMPARE_H
#define PKTSCOPE_FORMAT_COMPARE_H

#include <stdbool.h>
#include <stdint.h>

#include "dissect/dissect.h"
#include "format/line.h"
#include "track/track.h"
#include "util/strbuf.h"

enum compare_kind { CMP_SETUP, CMP_TEARDOWN, CMP_ACK, CMP_DATA, CMP__COUNT };

struct compare_side {
    uint8_t proto;   /* PS_IPPROTO_TCP or _UDP */
    uint32_t stream; /* tcp.stream / udp.stream */
    bool seen;
    uint8_t roles; /* track_info.roles of the latest packet */
    uint8_t addr_len;
    uint8_t client_addr[16], server_addr[16];
    uint16_t client_port, server_port;
    uint64_t first_frame, last_frame;
    int64_t first_ns, last_ns;
    uint64_t pkts, bytes;
    uint64_t kind_pkts[CMP__COUNT], kind_bytes[CMP__COUNT];
    uint64_t payload_bytes; /* L4 payload */
    uint64_t retrans_pkts, retrans_bytes;
    bool have_data;
    uint64_t first_data_frame;
    int64_t first_data_ns;
};

struct compare {
    struct compare_side side[2]; /* 0 TCP, 1 UDP */
};

void compare_init(struct compare *c, uint32_t tcp_stream, uint32_t udp_stream);
/* Offers one tracked packet (ti from tracker_packet() on d); frame_len is frame.len. */
void compare_add(struct compare *c, const struct dissection *d, const struct track_info *ti,
                 int64_t ts_sec, uint32_t ts_nsec, uint64_t frame, uint32_t frame_len);
/* The comparison as a text table with a reading of the difference. */
void compare_render(const struct compare *c, struct lines *out);
/* The same for a screen `width` columns wide (0: any): narrower than the table, each cell
 * wraps in its own column and the notes wrap at the width, so that nothing is cut (the TUI). */
void compare_render_width(const struct compare *c, size_t width, struct lines *out);
/* The same numbers as one JSON object (no newline). */
void compare_json(const struct compare *c, struct strbuf *sb);

#endif
