/*
 * format: the dissection model (and the tracker's per-packet labels) rendered as text.
 *
 * Every renderer here is shared by the batch outputs (main/batch.c) and the TUI (ui/): the
 * one-line summary, the OSI layer tree, the hex dump, the JSON object and the statistics. They
 * read `struct dissection` and, when a tracker ran, `struct track_info`; they never read packet
 * bytes except through the model's spans, and every piece of packet-derived text goes through
 * safe escaping (printable ASCII or `.`; JSON escapes), so no output carries a control byte.
 *
 * Invariants:
 *  - no allocation per packet: `struct lines` and `struct json_buf` are reused by the caller and
 *    only grow (amortised) until they fit the largest packet seen;
 *  - `ti` (track_info) is always optional: NULL means "no tracker ran", and the output then
 *    shows raw sequence numbers and no phase;
 *  - output is a pure function of its inputs (no clock, no locale, no time zone except where a
 *    caller asks for absolute local time), so golden files are stable under TZ=UTC LC_ALL=C.
 */
#ifndef PKTSCOPE_FORMAT_FORMAT_H
#define PKTSCOPE_FORMAT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "capture/source.h"
#include "dissect/dissect.h"
#include "dissect/reasm.h"
#include "format/line.h"
#include "track/track.h"
#include "util/strbuf.h"

/* ---- one-line summary (summary.c) ------------------------------------------------------ */

enum fmt_time {
    FMT_TIME_RELATIVE = 0, /* seconds since the first packet (tshark's default) */
    FMT_TIME_ABSOLUTE,     /* HH:MM:SS.nnnnnn in UTC (tcpdump's default, but zone-free) */
    FMT_TIME_DELTA,        /* seconds since the previous packet shown */
    FMT_TIME_EPOCH,        /* seconds since 1970, 6 decimals */
    FMT_TIME_DATE,         /* YYYY-MM-DD HH:MM:SS.nnnnnn in UTC (tcpdump -tttt, zone-free) */
};

/* The columns of the packet list, as text, with the attribute the info column is shown in. */
struct summary {
    char src[64];
    char dst[64];
    char proto[16];
    char phase[12];     /* "handshake", ... ; "" when no tracker or not TCP */
    char info[512];     /* safe text: never a control byte */
    uint8_t info_attr;  /* ATTR_SYN / ATTR_FIN / ATTR_RST / ATTR_WARN / ATTR_ERROR / ATTR_NORMAL */
    uint8_t phase_attr; /* ATTR_HANDSHAKE ... or ATTR_NORMAL */
    /* strlen() of src, dst, proto and info as format_summary() left them (a line writes them
     * without looking for their ends) */
    uint16_t src_len, dst_len, proto_len, info_len;
};

/* Fills the columns for one dissected packet; `ti` may be NULL. */
void format_summary(struct summary *s, const struct dissection *d, const struct track_info *ti);
/* Whether the summary of a TCP packet dissected as `d` reads ti->announced (FTP data: undecoded
 * payload), the one thing of another connection a summary reads: flow workers that track
 * connections apart format such a packet for every answer (flow_threads.c). */
bool format_summary_reads_announcement(const struct dissection *d);

/* Formats a timestamp in `mode`; `ref_*` is the first packet (RELATIVE) or previous (DELTA). */
void format_time(struct strbuf *sb, enum fmt_time mode, int64_t sec, uint32_t nsec, int64_t ref_sec,
                 uint32_t ref_nsec);

/*
 * One --print line: "number time src → dst proto length phase info", appended to `ls` with
 * attribute spans (line.ref = the frame number, clamped to INT32_MAX).
 */
/* The start both --print lines share (its own line begun in ls, not ended): number, time,
 * source -> destination, protocol, length. */
struct summary;
void format_line_start(struct lines *ls, const struct packet *pkt, const struct dissection *d,
                       const struct summary *s, enum fmt_time tmode, int64_t ref_sec,
                       uint32_t ref_nsec);
void format_summary_line(struct lines *ls, const struct packet *pkt, const struct dissection *d,
                         const struct track_info *ti, enum fmt_time tmode, int64_t ref_sec,
                         uint32_t ref_nsec);

/* ---- the layer tree (layers.c) --------------------------------------------------------- */

#define FMT_LAYERS_TCPIP 0x1    /* number the layers as the TCP/IP 5-layer model does */
#define FMT_LAYERS_NO_NOTES 0x2 /* leave out the teaching annotations */

/*
 * -V: the frame line, then each layer headed by its place in the OSI model ("L2 Data link"),
 * its fields (label, value, [offset, len]) indented by their tree depth, teaching notes (address
 * class, OUI vendor, I/G and U/L bits, port range and service), the layer's status and its
 * anomalies, and the tracker's phase, endpoint states, analysis and why text when `ti` is given.
 * Lines that stand for a field have ref = field index and ref_off/ref_len = its bytes; a layer
 * heading has ref = -2 - layer index and the layer's bytes; other lines ref = -1.
 * `pkt` may be NULL (then the frame line shows only lengths).
 */
void format_layers(struct lines *ls, const struct packet *pkt, const struct dissection *d,
                   const struct track_info *ti, unsigned flags);

/* The subnet test worked on the packet (format/subnet.c): the addresses and mask in binary, the
 * ANDs and the verdict tied to layer 2, from hosts_subnet_test(). */
struct subnet_test;
void format_subnet_test(struct lines *ls, const struct dissection *d, const struct subnet_test *t);

/* The name of a layer's place: "L2 Data link", "L3 Network", "L4 Transport", "L7 Application";
 * in the TCP/IP model (tcpip true) application is layer 5. */
const char *format_osi_name(unsigned osi_layer, bool tcpip);

/* The why text of the packet's labels (phase, states, analysis), one clause per label, "; "
 * between, in English, from the values the tracker recorded in `info` and the packet `d`
 * (explain.c). Empty when the packet belongs to no stream. */
void format_explain(const struct track_info *info, const struct dissection *d, char *buf,
                    size_t size);
/* Where the request a packet carries was answered, as a later frame told it (the late fields
 * of pipeline/later_facts.h: -2, the TUI): the field that says so (http.response_in,
 * dns.response_in, icmp.resp_in, icmpv6.resp_in, pktscope.arp.reply_in) and, in *ns, the time
 * until the response (pktscope.response_time; 0 when absent). NULL when nothing told it. */
const struct field *format_answered_in(const struct dissection *d, int64_t *ns);

/* The value of field `f` as display text ("0x0800", "192.0.2.1", "64"), safe. */
void format_field_value(struct strbuf *sb, const struct dissection *d, const struct field *f);

/* ---- hex dump (hex.c) ------------------------------------------------------------------ */

/*
 * -x: 16 bytes a line: "0000  45 00 ... 00  E......." with offset (ATTR_DIM), hex and ASCII;
 * bytes in [mark_off, mark_off + mark_len) get ATTR_MARK spans in both columns (mark_len 0:
 * none). line.ref = the line's first byte offset; ref_off/ref_len = the bytes it shows.
 */
void format_hex(struct lines *ls, const uint8_t *data, size_t len, size_t mark_off,
                size_t mark_len);

/* ---- tcpdump's dumps (dump.c) ---------------------------------------------------------- */

enum fmt_dump {
    FMT_DUMP_NONE = 0,
    FMT_DUMP_HEX,       /* -x / -xx: hex only */
    FMT_DUMP_HEX_ASCII, /* -X / -XX / --hex: format_hex(), hex and ASCII */
    FMT_DUMP_ASCII,     /* -A: printable bytes, newline bytes as line breaks, others '.' */
};

/* The bytes before the network header (tcpdump's link-layer hdrlen): Ethernet with VLAN tags
 * and LLC/SNAP, SLL, Null...; at most caplen. */
size_t format_link_header_len(const struct dissection *d);

/* The frame's captured bytes in `style`, from the network header on, or all of them with
 * `with_link` (tcpdump's doubled letter); then the bytes reassembly built, if any. */
void format_dump(struct lines *ls, const struct dissection *d, enum fmt_dump style, bool with_link);

/* ---- tcpdump's -q and -v (tcpdump.c) ------------------------------------------------- */

/* -q: the --print line without the TCP phase; TCP and UDP show only "SPORT → DPORT Len=N". */
void format_quiet_line(struct lines *ls, const struct packet *pkt, const struct dissection *d,
                       enum fmt_time tmode, int64_t ref_sec, uint32_t ref_nsec);
/* -v: one indented line after the --print line: the IP header in tcpdump -v's words and the
 * transport checksum with its status. Nothing for a packet without IP. */
void format_verbose_line(struct lines *ls, const struct dissection *d);

/* ---- JSON (json.c) --------------------------------------------------------------------- */

/* A growable text buffer for one JSON object; reuse it across packets (no malloc per packet). */
struct json_buf {
    char *buf;
    size_t len, cap;
};
void json_buf_init(struct json_buf *jb);
void json_buf_release(struct json_buf *jb);

/*
 * --json: one object for one packet, without the trailing newline. Keys are Wireshark's field
 * names (DESIGN.md); a field that occurs several times is an array of its values in the
 * packet's order, as tshark -T json writes it (json.c says more). Numbers (hex
 * fields too) are JSON numbers, booleans of the wire (ip.flags.df) are 0/1 numbers as tshark
 * prints them, addresses canonical strings, tcp.analysis.* `true` when set and absent
 * otherwise, frame.time_epoch a string with 9 decimals. `pktscope.*` keys are pktscope's own.
 */
void format_json(struct json_buf *jb, const struct packet *pkt, const struct dissection *d,
                 const struct track_info *ti);
/* The same object after what jb holds already (--json gathers many before a write). */
void format_json_append(struct json_buf *jb, const struct packet *pkt, const struct dissection *d,
                        const struct track_info *ti);

/* ---- statistics (stats.c) -------------------------------------------------------------- */

#define STATS_MAX_NODES 256 /* protocol-hierarchy nodes kept; more are counted as "other" */
#define STATS_MAX_LINKTYPES 16

struct stats_node {
    uint16_t parent; /* index of the parent node; 0xffff for a top-level node */
    uint16_t proto;  /* enum proto_id */
    uint64_t packets, bytes;
};

#define STATS_PATH_CACHE 16
struct stats {
    uint64_t packets, bytes, wire_bytes;
    int64_t first_sec, last_sec;
    uint32_t first_nsec, last_nsec;
    uint64_t truncated, malformed, unsupported; /* packets whose worst layer status was that */
    uint32_t linktypes[STATS_MAX_LINKTYPES];
    uint64_t linktype_packets[STATS_MAX_LINKTYPES];
    uint32_t nlinktypes;
    uint64_t linktype_other;
    struct stats_node nodes[STATS_MAX_NODES];
    uint32_t nnodes;
    uint64_t nodes_dropped;
    /* The previous packet's protocol path and its nodes: most packets follow the path of the one
     * before, and matching it layer by layer spares node_find's search of every node. */
    uint16_t path_proto[STATS_PATH_CACHE], path_node[STATS_PATH_CACHE];
    uint32_t path_len;
    uint64_t anomalies[ANOM__COUNT];
    uint64_t analysis[16]; /* by TA_* bit */
    uint64_t phases[5];    /* by enum phase */
};

void stats_init(struct stats *st);
void stats_add(struct stats *st, const struct packet *pkt, const struct dissection *d,
               const struct track_info *ti);
/* Renders the statistics; `tt` (may be NULL) adds the tracker's flow counters (tracker_totals);
 * rs: the reassembler's counters, or NULL when reassembly was off. */
void format_stats(struct lines *ls, const struct stats *st, const struct tracker_totals *tt,
                  const struct reasm_stats *rs);
/* --stats=json: the same numbers as one JSON object over several lines, without the final
 * newline (stats_json.c lists the keys). */
void format_stats_json(struct json_buf *jb, const struct stats *st, const struct tracker_totals *tt,
                       const struct reasm_stats *rs);

/* ---- small helpers shared with the TUI ------------------------------------------------- */

/* Prints every line's text followed by '\n' (no attributes). */
void lines_print(const struct lines *ls, FILE *out);
/* --list-fields: every protocol and field of the registry, as tshark -G fields lists them. */
void format_list_fields(FILE *out);
/* The TCP flags as Wireshark writes them: "SYN, ACK"; "<None>" when none. */
void format_tcp_flags(struct strbuf *sb, uint16_t flags);
/* The same names with another separator and text for "no flags" (the ladder's "SYN,ACK", the
 * why-text's "PSH/ACK"): one list, so every view names and orders the flags alike. */
void format_tcp_flags_sep(struct strbuf *sb, uint16_t flags, const char *sep, const char *none);
/* The names of the bits set in `flags` from an FV_BITS table, ", "-separated ("<None>"). */
void format_bits(struct strbuf *sb, const struct tok *names, uint64_t flags);
/* The name of a TA_* analysis bit ("retransmission"), its Wireshark field
 * ("tcp.analysis.retransmission") and its tshark info label ("TCP Retransmission"). */
const char *format_analysis_name(uint32_t ta_bit);
const char *format_analysis_field(uint32_t ta_bit);
const char *format_analysis_label(uint32_t ta_bit);
/* The TA_* bits a packet's labels name: a fast or spurious retransmission is also a
 * retransmission (tcp.analysis.retransmission is there too), but tshark's info names only the
 * kind, "[TCP Fast Retransmission]". */
uint32_t format_analysis_labelled(uint32_t analysis);

#endif
