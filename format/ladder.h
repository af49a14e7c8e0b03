/*
 * ladder: one connection drawn as a sequence (ladder) diagram, the figure of a networking
 * textbook: two lanes (originator on the left, responder on the right, each named client or
 * server, with the rule that told, when the tracker could tell) labelled address:port
 * (service), time running down, one arrow per packet with its flags, relative seq/ack, length
 * and analysis marks, each endpoint's RFC 9293 state written on its lane when it changes, and the
 * phases (handshake, data, teardown, reset) bracketed at the side.
 *
 * The model (struct ladder: an array of arrows) is built incrementally with ladder_add(), so the
 * batch output (main: run the tracker over the file, add every packet) and the TUI's ladder view
 * (add packets as they arrive) share it. Renderers: text (with attribute spans), Mermaid,
 * PlantUML, and a standalone SVG.
 *
 * Invariants: the ladder owns its arrows; it holds at most LADDER_MAX_ARROWS arrows (further
 * packets are counted in `dropped`, and the renderers say so); rendering is a pure function of
 * the model.
 */
#ifndef PKTSCOPE_FORMAT_LADDER_H
#define PKTSCOPE_FORMAT_LADDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dissect/dissect.h"
#include "format/line.h"
#include "track/track.h"
#include "util/strbuf.h"

enum ladder_format { LADDER_TEXT, LADDER_MERMAID, LADDER_PLANTUML, LADDER_SVG };

#define LADDER_MAX_ARROWS 100000u
#define LADDER_TEXT_WIDTH 100 /* columns of the text diagram */

struct ladder_arrow {
    uint64_t frame;
    int64_t ts_sec;
    uint32_t ts_nsec;
    bool from_orig;               /* left to right */
    uint8_t phase;                /* enum phase */
    uint8_t state_src, state_dst; /* enum tcp_state after this packet */
    uint8_t ti_flags;             /* TI_* */
    uint16_t tcp_flags;           /* TCP_* */
    uint32_t rel_seq, rel_ack;
    uint32_t len;      /* TCP/UDP payload length */
    uint32_t window;   /* scaled window */
    uint32_t analysis; /* TA_* */
    uint16_t dup_ack_num;
    uint8_t icmp_type, icmp_code; /* ICMP ladders */
    uint16_t icmp_seq;
    uint16_t app_proto; /* enum proto_id of the payload (PROTO_HTTP, PROTO_DNS), 0 none */
};

struct ladder {
    uint32_t stream;
    uint8_t proto;    /* PS_IPPROTO_TCP, _UDP, _ICMP, _ICMPV6 */
    bool have_ends;   /* the endpoints below are known (first packet added) */
    uint8_t addr_len; /* 4 or 16 */
    uint8_t orig_addr[16], resp_addr[16];
    uint16_t orig_port, resp_port;
    uint16_t service_port; /* the port whose service names the lanes, 0 none */
    /* The first application protocol decoded in the conversation (enum proto_id), 0 none: it
     * names the service (TLS on 443, HTTP on 8080) before the port table does. */
    uint16_t app_proto;
    uint8_t announced; /* enum announce: an FTP data connection (textproto) */
    uint8_t roles;     /* client and server (track/roles.c), as the latest packet knew them */
    /* The server name the client asked for first (TLS SNI, HTTP Host), raw bytes. */
    char server_name[256];
    size_t server_name_len;
    struct ladder_arrow *v; /* owned */
    size_t n, cap;
    uint64_t dropped;                         /* packets beyond LADDER_MAX_ARROWS */
    uint8_t last_state_orig, last_state_resp; /* for "state changed" marks while building */
};

/* A ladder for stream `stream` of protocol `proto` (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6). */
struct ladder *ladder_new(uint32_t stream, uint8_t proto);
void ladder_free(struct ladder *l);

/*
 * Offers one tracked packet; it is added when `ti` says it belongs to this ladder's stream and
 * protocol. Returns true when added. `ti` must come from tracker_packet() on the same packet.
 */
bool ladder_add(struct ladder *l, const struct dissection *d, const struct track_info *ti,
                int64_t ts_sec, uint32_t ts_nsec, uint64_t frame);

/* A run of arrows drawn as one line (the TUI's folded data segments): arrow indices, first <=
 * last. Folds passed to the renderers are ascending and do not overlap. */
struct ladder_fold {
    size_t first, last;
};

/* The words of a fold: "37 data segments, 52.0 KB (frames 10-46)". */
void ladder_fold_text(struct strbuf *sb, const struct ladder *l, const struct ladder_fold *fd);

/* Renders the diagram into `out` (text: with attribute spans, line.ref = frame number of the
 * arrow's line, -1 otherwise; other formats: plain lines of the file). */
void ladder_render(const struct ladder *l, enum ladder_format f, struct lines *out);

/* ladder_render() printed to `out`. Returns 0, or -1 on a write error. */
int ladder_print(const struct ladder *l, enum ladder_format f, FILE *out);

/* The same with the runs `folds` drawn folded, in every format (what the TUI saves). */
void ladder_render_folded(const struct ladder *l, enum ladder_format f,
                          const struct ladder_fold *folds, size_t nfolds, struct lines *out);
int ladder_print_folded(const struct ladder *l, enum ladder_format f,
                        const struct ladder_fold *folds, size_t nfolds, FILE *out);

#endif
