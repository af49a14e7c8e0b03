/*
 * flow: the packets of several hosts and any protocol as one sequence diagram, Wireshark's Flow
 * Graph ("all packets", network-address lanes): one lane per address in order of first
 * appearance (IPv4/IPv6; the MAC for ARP and other frames without IP, named with the IPv4 address
 * its ARP claims), one arrow per packet with a short label (its one-line info, or for TCP the
 * flags, relative seq/ack and length), broadcasts drawn to one "broadcast" lane.
 *
 * The model (struct flow) is built with flow_add(), so the batch output (--flow) and the TUI's
 * flow view share it, as format/ladder.h's ladder is shared. Renderers: text with attribute
 * spans (line.ref = the arrow's frame), Mermaid, PlantUML and a standalone SVG, all from the
 * same labels, so every format carries the same arrows and notes.
 *
 * Invariants: at most FLOW_MAX_LANES named lanes; the hosts beyond them share one "others" lane
 * (the last, counted: FLOW_OTHERS_COUNTED distinct hosts at most, then "more than"); at most
 * LADDER_MAX_ARROWS arrows (further packets are counted in `dropped` and the renderers say so);
 * labels are printable ASCII (packet text went through the summary's safe text); rendering is a
 * pure function of the model.
 */
#ifndef PKTSCOPE_FORMAT_FLOW_H
#define PKTSCOPE_FORMAT_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dissect/dissect.h"
#include "format/ladder.h"
#include "format/line.h"
#include "track/track.h"
#include "util/strbuf.h"

#define FLOW_MAX_LANES 16
#define FLOW_OTHERS_COUNTED 4096
#define FLOW_LABEL_MAX 120 /* bytes of one arrow's label */

enum flow_lane_kind { FLOW_LANE_IP, FLOW_LANE_MAC, FLOW_LANE_BROADCAST, FLOW_LANE_OTHERS };

struct flow_key {
    uint8_t kind;     /* enum flow_lane_kind */
    uint8_t addr_len; /* IP: 4 or 16; MAC: 6; 0 for broadcast and others */
    uint8_t addr[16];
};

struct flow_lane {
    struct flow_key key;
    bool has_claim;   /* a MAC lane: the IPv4 address its ARP claimed is known */
    uint8_t claim[4]; /* ... that address */
    uint64_t first_frame;
    uint64_t packets; /* arrows from or to the lane */
};

struct flow_arrow {
    uint64_t frame;
    int64_t ts_sec;
    uint32_t ts_nsec;
    uint8_t from, to; /* lane indices (equal: a packet within one lane, e.g. between two others) */
    uint8_t attr;     /* ATTR_SYN, ATTR_FIN, ATTR_RST, ATTR_WARN, ATTR_NORMAL ... */
    uint16_t label_len;
    uint32_t label_off; /* into flow.labels */
};

struct flow {
    struct flow_lane lanes[FLOW_MAX_LANES + 1]; /* the named lanes, then "others" */
    size_t nlanes;
    size_t others; /* index of the others lane, or SIZE_MAX while every host has its own */
    struct flow_key *others_seen; /* owned: the distinct hosts in "others", counted */
    size_t nothers_seen, others_seen_cap;
    bool others_more;     /* more than FLOW_OTHERS_COUNTED */
    struct flow_arrow *v; /* owned */
    size_t n, cap;
    char *labels; /* owned: the arrows' label text, back to back */
    size_t labels_len, labels_cap;
    uint64_t dropped;  /* packets beyond LADDER_MAX_ARROWS */
    uint64_t unplaced; /* frames with neither an IP nor a MAC address (no lane to draw on) */
};

struct flow *flow_new(void);
void flow_free(struct flow *f);

/* Adds one packet as an arrow; `ti` (tracker_packet() on the same packet) may be NULL. Returns
 * true when an arrow was added. */
bool flow_add(struct flow *f, const struct dissection *d, const struct track_info *ti,
              int64_t ts_sec, uint32_t ts_nsec, uint64_t frame);

/* The name of lane `i` ("192.168.1.1", "00:1b:21:0a:00:01 (192.168.1.130)", "broadcast",
 * "others (5 hosts)"), appended to `sb`. */
void flow_lane_name(struct strbuf *sb, const struct flow *f, size_t i);

/*
 * The text diagram into `out` (attribute spans; line.ref = the frame of an arrow's line, -1
 * otherwise). `width` 0 draws for a file (LADDER_TEXT_WIDTH, labels whole); a terminal's width
 * narrows the lanes down to two columns each and ends a label that does not fit in "..." at a
 * word's end, never inside an address.
 */
void flow_render_text(const struct flow *f, size_t width, struct lines *out);

/* Any format; LADDER_TEXT is flow_render_text(f, 0, out). */
void flow_render(const struct flow *f, enum ladder_format fmt, struct lines *out);

/* flow_render() printed to `out`. Returns 0, or -1 on a write error. */
int flow_print(const struct flow *f, enum ladder_format fmt, FILE *out);

#endif
