/*
 * dissect: bytes in, a model out. Pure functions, no I/O, no allocation per packet.
 *
 * dissect_frame() fills a caller-owned `struct dissection`: the layers found (protocol, byte
 * span, status), the fields of each layer ({id, offset, len, value}), bounded anomaly events with
 * stable names, and a summary of the values the tracker and the packet list need without walking
 * fields. Every renderer (one-line summary, layer tree, hex highlight, JSON) reads this model.
 *
 * Invariants:
 *  - every field and layer span lies inside the captured bytes [0, caplen);
 *  - fields of a layer are contiguous: layer.first_field .. first_field + nfields - 1;
 *  - the arrays are bounded; a packet that needs more sets DIS_OVERFLOW and an anomaly, and the
 *    dissection stops adding (never writes past the arrays);
 *  - inner layers are clamped to their declared lengths (TCP sees ip.len - ip.hdr_len bytes),
 *    and bytes after them (Ethernet padding, trailers) are their own span.
 */
#ifndef PKTSCOPE_DISSECT_DISSECT_H
#define PKTSCOPE_DISSECT_DISSECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dissect/fields.h"

#define DIS_MAX_LAYERS 16 /* nesting cap (Suricata's 16-layer cap) */
#define DIS_MAX_FIELDS 512
#define DIS_MAX_ANOMALIES 16
#define DIS_TEXT_SIZE 4096 /* decoded strings (DNS names, HTTP lines) */

enum layer_status {
    LAYER_OK = 0,
    LAYER_TRUNCATED,   /* the capture stopped before the layer's declared end */
    LAYER_MALFORMED,   /* the bytes contradict the protocol (bad length, bad version, ...) */
    LAYER_UNSUPPORTED, /* a protocol or link type pktscope does not decode: shown as bytes */
};

/* Protocols, in the order of dissect/protos.def. */
enum proto_id {
#define PROTO(id, filter_name, short_name, long_name, osi) id,
#include "dissect/protos.def"
#undef PROTO
    PROTO__COUNT
};

struct proto_info {
    const char *short_name; /* filter name, the frame.protocols element ("eth", "ip", "tcp") */
    const char *long_name;  /* "Internet Protocol Version 4" */
    uint8_t osi_layer;      /* 1..7 in the OSI model; TCP/IP's 5 layers fold 5-7 into 7 */
    const char *col_name;   /* Wireshark's short name, the Protocol column ("IPv4", "TCP") */
};
const struct proto_info *proto_info(enum proto_id id);
/* The protocol whose filter name is `name` (the first one, as SLL v1 and v2 share "sll"), or
 * PROTO_NONE. */
enum proto_id proto_by_name(const char *name);

struct layer {
    uint16_t proto; /* enum proto_id */
    uint8_t status; /* enum layer_status */
    uint8_t reserved;
    uint32_t offset;      /* first byte of the layer in the frame */
    uint32_t len;         /* bytes of the layer that were captured (header + its payload) */
    uint32_t hdr_len;     /* bytes of the header itself (<= len) */
    uint16_t first_field; /* index into dissection.fields */
    uint16_t nfields;
};

struct field {
    uint64_t value;  /* numbers and flags; FT_STRING: (text offset << 16) | text length */
    uint32_t offset; /* byte offset in the frame of the bytes it was read from */
    uint16_t len;    /* bytes (0 when derived from nothing in particular) */
    uint16_t id;     /* enum field_id */
};

enum anomaly_id {
#define ANOMALY(id, name, text) id,
#include "dissect/anomalies.def"
#undef ANOMALY
    ANOM__COUNT
};

struct anomaly {
    uint16_t id;     /* enum anomaly_id */
    uint16_t layer;  /* index of the layer it belongs to */
    uint32_t offset; /* where in the frame */
};

/* The anomaly's stable name ("ipv4.bad_header_length") and its one-line explanation. */
const char *anomaly_name(enum anomaly_id id);
const char *anomaly_text(enum anomaly_id id);
/* True for the anomalies that are notes, not damage: a checksum left to the NIC (offload).
 * The Info column, the layer tree and the colouring rules show them without the error colour. */
bool anomaly_is_note(enum anomaly_id id);

/* Summary values: what the tracker, the packet list and the filters need, without a field walk. */
enum l3_kind { L3_NONE = 0, L3_IPV4 = 4, L3_IPV6 = 6, L3_ARP = 1 };

#define TCP_FIN 0x001
#define TCP_SYN 0x002
#define TCP_RST 0x004
#define TCP_PSH 0x008
#define TCP_ACK 0x010
#define TCP_URG 0x020
#define TCP_ECE 0x040
#define TCP_CWR 0x080
#define TCP_AE 0x100 /* formerly NS (RFC 3540, RFC 9768) */

/* tls.handshake's value (dissect/tls.c), which the Info column and the layer tree read: a
 * message whose type follows; an encrypted one; or a fragment of a message that spans records,
 * plus the message's type: its start when it is the record's first message (Wireshark's Info
 * names it, "[Certificate Fragment]"), another fragment but the last, or the last. */
enum tls_handshake_kind {
    TLS_HS_WHOLE = 0,
    TLS_HS_ENCRYPTED = 1,
    TLS_HS_FIRST_FRAGMENT = 0x100,
    TLS_HS_FRAGMENT = 0x200,
    TLS_HS_LAST_FRAGMENT = 0x300,
};

struct dis_summary {
    uint8_t l3;       /* enum l3_kind */
    uint8_t l4;       /* PS_IPPROTO_* (numbers.h) of the transport reached, 0 none */
    uint8_t addr_len; /* 4 or 16, 0 when no IP */
    uint8_t ttl;      /* TTL / hop limit */
    uint8_t src[16];  /* IP source (first addr_len bytes) */
    uint8_t dst[16];
    uint16_t vlan_id; /* outermost 802.1Q id, 0 if none */
    bool has_vlan;
    bool is_fragment;    /* an IPv4/IPv6 fragment (first or not) */
    bool later_fragment; /* a fragment with offset > 0: no transport header in it */
    bool has_eth;
    uint8_t eth_src[6];
    uint8_t eth_dst[6];

    uint16_t sport, dport; /* TCP/UDP ports */

    /* TCP */
    uint32_t seq, ack;
    uint16_t tcp_flags; /* TCP_* bits */
    uint16_t window;    /* raw window field */
    uint16_t tcp_hdr_len;
    int32_t mss;   /* -1 when absent */
    int8_t wscale; /* shift, -1 when absent */
    bool tcp_checksum_bad;

    /* Set by the IP layer before it calls the transport: the IP payload's declared length (which
     * may exceed what was captured). 0 means unknown: the transport uses its cursor's window. */
    uint32_t l4_declared_len;

    /* Transport payload: bytes after the TCP/UDP header inside the IP payload's declared length. */
    uint32_t payload_off;
    uint32_t payload_len;    /* declared (may exceed what was captured) */
    uint32_t payload_caplen; /* captured */
    /* TCP reassembly: this segment's payload went into a message that is still open ("[TCP
     * segment of a reassembled PDU]"); it has no application layer of its own. */
    bool tcp_pdu_open;
    /* ... its protocol (enum proto_id), whether the protocol looked at it in this segment (it
     * starts here, or its length was still unknown), and its first line
     * (up to CR or LF, at most 256 bytes: d->text[tcp_pdu_line_off, + tcp_pdu_line_len)), which
     * tshark's info column shows for a line-based protocol such as HTTP. */
    uint16_t tcp_pdu_proto;
    bool tcp_pdu_head;
    /* The application stopped before the end of the segment at a message that runs on past it
     * (reassembly holds it, or without reassembly it is left undecoded): tshark's IMAP, which
     * stops there to ask for more, leaves the info column to TCP. */
    bool tcp_pdu_tail;
    uint16_t tcp_pdu_line_off, tcp_pdu_line_len;

    /* ICMP / ICMPv6 */
    uint8_t icmp_type, icmp_code;
    uint16_t icmp_id, icmp_seq; /* echo */
    bool icmp_is_echo;
    /* ICMP errors: the quoted packet's 5-tuple, so the tracker can link it to its connection. */
    bool has_quoted;
    uint8_t q_l4, q_addr_len;
    uint8_t q_src[16], q_dst[16];
    uint16_t q_sport, q_dport;

    /* ARP */
    uint16_t arp_op;

    /* Application, by port or by content */
    uint16_t app_proto; /* enum proto_id of the application layer (PROTO_DNS, PROTO_HTTP), 0 none */
    /* The application protocol's version as the packet list names it (TLS: 0x0303 is TLSv1.2),
     * 0 when it has none or it is not known. */
    uint16_t app_version;
    bool app_version_sure; /* app_version is the conversation's, not only this message's */
};

#define DIS_OVERFLOW 0x1 /* some array was full: the model is incomplete */
/* Reassembly made this frame's dissection differ from the frame's own (it completed or holds part
 * of a datagram or a message, or skipped bytes already dissected): dissected again on its own,
 * without the reassembler's state, it would read differently. Views that re-dissect frames
 * (the TUI) keep such a dissection instead. */
#define DIS_REASSEMBLED 0x2

/* dissection.unrecording: what a headerless dissection does with the current layer's fields. */
enum dis_unrecording {
    DIS_RECORDING = 0,   /* keeps them (not headerless, or a layer it keeps whole) */
    DIS_UNRECORDING = 1, /* leaves them out but the IP lengths */
    DIS_KEEPING = 2,     /* leaves them out but the IP lengths and its kept_fields */
};

struct dissection {
    /* The frame: caplen bytes (not owned). When reassembly completed something in this frame,
     * the reassembled bytes follow the frame's in the same buffer, up to data_len (reasm.h):
     * a field or layer at an offset >= caplen lies in reassembled data. */
    const uint8_t *data;
    uint32_t caplen, len;
    uint32_t data_len; /* caplen, plus reassembled bytes */
    uint32_t linktype;
    uint32_t flags;
    bool verify_checksums;                       /* from dissect_options: IPv4, TCP, UDP */
    bool lean;                                   /* from dissect_options */
    bool headerless;                             /* from dissect_options */
    bool transport_only;                         /* from dissect_options */
    bool verify_icmp_checksums;                  /* always, as Wireshark does; not in fuzz builds */
    struct reasm *reasm;                         /* from dissect_options */
    const struct dis_open_segment *open_segment; /* from dissect_options */
    const uint8_t *kept_fields;                  /* from dissect_options */
    bool has_time;                               /* from dissect_options, with ts_*: */
    int64_t ts_sec;                              /* the frame's arrival time */
    uint32_t ts_nsec;

    uint16_t nlayers, nfields, nanomalies;
    uint16_t text_len;
    uint8_t protocols_len; /* strlen(protocols), kept so that adding a name needs no strlen */
    /* headerless: what the current layer (the last begun) does with its fields, the fields not
     * kept, counted, and where their callers write them. Here, not one per layer: read from
     * the layer, behind a load of nlayers, it was a quarter of dissect_tcp's time (perf). */
    uint8_t unrecording; /* enum dis_unrecording */
    uint32_t nunrecorded;
    struct field unrecorded;
    struct layer layers[DIS_MAX_LAYERS];
    struct field fields[DIS_MAX_FIELDS];
    struct anomaly anomalies[DIS_MAX_ANOMALIES];
    struct dis_summary sum;
    char text[DIS_TEXT_SIZE];
    /* frame.protocols, "eth:ethertype:ip:tcp" */
    char protocols[128];
};

/* A TCP segment whose payload went into a message still open ("[TCP segment of a reassembled
 * PDU]"), as reassembly left it: what the segment shows besides what it reads on its own. A
 * view that keeps dissections (pipeline/dstore.h) keeps this instead of the whole dissection,
 * and dissects the frame again with it (dissect_options.open_segment). */
struct dis_open_segment {
    uint16_t app;      /* enum proto_id of the message */
    bool head;         /* the message is named in this segment (dis_summary.tcp_pdu_head) */
    bool tls_named;    /* "tls" added to the protocols */
    bool imap_waiting; /* IMAP's "waiting for a literal" shown */
    uint16_t line_len; /* the message's first line (the info column's text) */
    const char *line;
};

/* Options that change what is decoded (not how it is shown). */
struct reasm;
struct dissect_options {
    /* IPv4, TCP and UDP checksums (Wireshark's ip/tcp/udp.check_checksum, off by default
     * there; --checksums). ICMP and ICMPv6 are always verified, as in Wireshark, except in
     * fuzz builds. */
    bool verify_checksums;
    /* IP and TCP reassembly across frames (reasm.h), or NULL: every frame on its own
     * (--no-reassembly). The caller calls reasm_frame() before each dissect_frame(). */
    struct reasm *reasm;
    /* Without a reasm: this frame's TCP payload is the segment of an open message described
     * here (dstore.c dissects a kept frame again so); NULL otherwise. */
    const struct dis_open_segment *open_segment;
    /* Leave out the detail fields (dis_field_is_detail): the bits and parts of a header word
     * that Wireshark shows under it (tcp.flags.syn, ip.flags.df, eth.src.oui). For a caller
     * that shows no fields and whose display filter names none of them (--stats, --conns), as
     * Wireshark adds no tree items when there is no tree: a fifth of a TCP packet's fields. Every
     * other field, the layers, the summary, the anomalies and the text are the same. */
    bool lean;
    /* Leave out the fields of the link, IP, TCP and UDP headers (dis_layer_unrecorded) but the
     * IP lengths the tracker counts bytes by: for a caller that reads the layers, the summary,
     * the anomalies and the application's fields, and of the headers only what its display
     * filter names (kept_fields) (--stats, --conns). Recording them was a sixth of --stats (perf:
     * nothing recorded at all made it 14-18 % faster). The rest is as lean: the layers (but their
     * field ranges), the application's fields, the summary, the anomalies and the text are the
     * same. */
    bool headerless;
    /* With headerless, the headers' fields kept all the same besides the IP lengths: a set of
     * field ids (bit id % 8 of byte id / 8, DIS_KEPT_FIELDS_BYTES bytes) that a display
     * filter names, so that --stats and --conns with -Y still leave out every other one.
     * NULL: none. */
    const uint8_t *kept_fields;
    /* Dissect no further than the transport header: no application protocol (its layers,
     * fields, text or summary), nor the "data" of an unknown payload. For a caller whose
     * display filter names only link, network and transport headers (dfilter_frame_local):
     * the TUI applying such a filter to the packets ahead of the analysis, where parsing
     * every HTTP header it would not read was a sixth of the filter's time (perf). */
    bool transport_only;
    /* The frame's arrival time, when the caller knows it (has_time). What ICMP's echo data is
     * read by: Wireshark takes its first 8 bytes for the sender's timestamp (icmp.data_time)
     * only when they lie within a day of the frame's time, and the data after them. Without
     * it the echo data is all data, as before. */
    bool has_time;
    int64_t ts_sec;
    uint32_t ts_nsec;
};

#define DIS_KEPT_FIELDS_BYTES ((FID__COUNT + 7) / 8)

/* Whether field `id` is one that a lean dissection leaves out. */
bool dis_field_is_detail(enum field_id id);
/* Whether a headerless dissection leaves out the fields of a layer of protocol `proto`. */
bool dis_layer_unrecorded(enum proto_id proto);
/* Of such a layer's fields, those the headerless dissection d keeps: the IP lengths, by which
 * the tracker counts a connection's bytes (track.c, ip_bytes), and those of its kept_fields.
 * dis_field() makes the same choice inline, the set looked up only under DIS_KEEPING: a helper
 * shared by the two measured --stats 2-4 % and --stats -Y 7 % slower. */
static inline bool dis_field_kept_headerless(const struct dissection *d, enum field_id id)
{
    return id == FID_IP_LEN || id == FID_IPV6_PLEN ||
           (d->kept_fields && (unsigned)id < FID__COUNT &&
            (d->kept_fields[id / 8] >> (id % 8) & 1));
}
/* The dissection `lean` made with dissect_options.lean (and .headerless, as lean->headerless
 * says) against `full` made without them: what differs besides the fields they leave out (as
 * dis_difference says), or NULL. */
const char *dis_lean_difference(const struct dissection *full, const struct dissection *lean);

/*
 * The transport behind an IP header, found as the dissector finds it: IPv6 extension headers
 * (after an IPv4 header too) walked from next header `nh` over the payload p[0, n). TRANSPORT:
 * protocol *proto starts at p[*off] (its header may be cut short); FRAGMENT: a Fragment header
 * comes first, which `reassembly` holds for its datagram (without it, a first fragment's
 * transport is read on, a later one's bytes are data: OTHER; an atomic fragment, RFC 6946, is
 * read on either way); OTHER: none can be told (ESP, cut short, too many headers). --threads
 * asks it of every frame (pipeline_frame_worker).
 */
enum dis_ip_walk { DIS_WALK_OTHER, DIS_WALK_FRAGMENT, DIS_WALK_TRANSPORT };
enum dis_ip_walk dis_ip_transport(uint8_t nh, const uint8_t *p, size_t n, bool reassembly,
                                  uint8_t *proto, size_t *off);

/*
 * Dissects one frame of link type `linktype`. `data` must stay valid while `d` is used.
 * Never fails: damage is recorded as layer status and anomalies.
 */
void dissect_frame(struct dissection *d, const uint8_t *data, uint32_t caplen, uint32_t len,
                   uint32_t linktype, const struct dissect_options *opt);

/* Lookups over the model. */
const struct field *dis_find(const struct dissection *d, enum field_id id); /* first, or NULL */
/* The name of the server a client asks for in this packet: a TLS ClientHello's server name
 * (SNI), else an HTTP request's Host; NULL when none. What connections are named by. */
const struct field *dis_server_name(const struct dissection *d);
const struct layer *dis_find_layer(const struct dissection *d, enum proto_id proto);
/* How many bytes a field covers: its len, but for an FT_BYTES field or a heading (FT_NONE)
 * longer than a 16-bit length holds (a reassembled message past 64 KiB: tcp.reassembled.data,
 * the data of its body, tcp.segments), whose whole length its value keeps. What renderers and
 * filters read an FT_BYTES field by. */
size_t dis_field_size(const struct field *f);
/* The n bytes at a field's offset, or NULL when they are not all inside the captured bytes.
 * Renderers read packet bytes (addresses, FT_BYTES) only through this. */
const uint8_t *dis_field_bytes(const struct dissection *d, const struct field *f, size_t n);
/* An FT_MAC field's address: its bytes, or a late field's value (dis_add_late_field); false
 * when the bytes were not captured. */
bool dis_field_mac(const struct dissection *d, const struct field *f, uint8_t out[6]);
/* The text of an FT_STRING field (not NUL-terminated; *len set). */
const char *dis_field_text(const struct dissection *d, const struct field *f, size_t *len);
/* Adds to the first layer of protocol `proto` a field without bytes of its own (at the layer's
 * start), after the layer's other fields: what a second pass learns about a frame from later
 * ones (ip.reassembled_in, tcp.reassembled_in). False when there is no such layer or no room. */
bool dis_add_late_field(struct dissection *d, enum proto_id proto, enum field_id id,
                        uint64_t value);
/* NULL when a and b read the same (layers, fields, anomalies, summary, text, protocols, lengths),
 * else the name of the first part that differs. For the checks of DIS_REASSEMBLED's promise. */
const char *dis_difference(const struct dissection *a, const struct dissection *b);
/* `src` into `dst`, only the parts in use (layers, fields, anomalies, text, summary): what a
 * formatter reads, for a dissection that must outlive the next frame's (--threads). dst->data is
 * set to `data`, which must hold src->data_len bytes equal to src's; dst keeps no reassembly. */
void dis_copy(struct dissection *dst, const struct dissection *src, const uint8_t *data);
/* The worst status over all layers. */
enum layer_status dis_worst_status(const struct dissection *d);

#endif
