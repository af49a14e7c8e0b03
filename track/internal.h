/*
 * Internal interface between the files of track/. Not for use outside track/.
 *
 * flow.c   the bounded flow table: a direction-independent key, a seeded hash with chains of
 *          pool indices, a pool of flow states grown in chunks (never per packet) up to
 *          max_flows, one LRU list per timeout class (idle timeouts, eviction of the oldest).
 * tcp.c    TCP: originator/responder, relative numbers, RFC 9293 endpoint states, phases,
 *          Wireshark's tcp.analysis rules, Zeek's conn_state and history.
 * track.c  the tracker object: dispatch by protocol, stream numbering, connection summaries,
 *          UDP and ICMP.
 * explain.c the why text of a packet's labels.
 *
 * Invariants: a flow's `conn` indexes the summary array of its protocol and never changes; a flow
 * index stays valid until flow_release(); LRU lists hold exactly the flows in use.
 */
#ifndef PKTSCOPE_TRACK_INTERNAL_H
#define PKTSCOPE_TRACK_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "track/track.h"
#include "util/ptime.h"

#define FLOW_NONE 0xffffffffu

/* a - b in nanoseconds, saturating (a damaged capture's timestamps may be anything). */
static inline int64_t ns_sub(int64_t a, int64_t b)
{
    return ptime_sub(a, b);
}

/* Endpoint "a" is the smaller (address, port) so that both directions find the same flow. */
struct flow_key {
    uint8_t a[16], b[16];
    uint16_t pa, pb;
    uint16_t vlan;
    uint8_t addr_len;
    uint8_t proto; /* PS_IPPROTO_TCP, _UDP, _ICMP, _ICMPV6 */
    uint8_t kind;  /* ICMP: 1 echo (pa = pb = id), 2 other (pa = type, pb = code) */
    uint8_t pad[3];
};

/* Zeek's endpoint states (TCP_ENDPOINT_*), for conn_state. */
enum zeek_state {
    ZS_INACTIVE = 0,
    ZS_SYN_SENT,
    ZS_SYN_ACK_SENT,
    ZS_PARTIAL,
    ZS_ESTABLISHED,
    ZS_CLOSED,
    ZS_RESET,
};

/* Holes (sequence ranges sent but not seen) kept per direction while their ACK is awaited: a
 * hole the peer acknowledges is missed for good and leaves the table, so only those inside the
 * window in flight are kept; past 4, a new one is taken as filled later (tcp.c). */
#define TCP_SQ_HOLES 4

/* One direction of a TCP connection (Wireshark's tcp_flow_t, reduced to what the rules read). */
struct tcp_dir {
    uint32_t base_seq;        /* ISN (SYN) or first seq - 1 (midstream): relative 0 */
    uint32_t nextseq;         /* highest seq + len (+1 SYN/FIN) seen */
    uint32_t maxseqtobeacked; /* highest contiguous nextseq (for ACKed-unseen) */
    uint32_t lastack;         /* last ack number sent by this side */
    uint32_t window;          /* last window sent, scaled */
    uint32_t fin_seq;         /* seq of this side's FIN */
    uint32_t hist_seq[4];     /* last seq of the S/H/F/R history letters */
    int64_t nextseq_time;     /* ns: when nextseq last advanced */
    int64_t lastack_time;     /* ns: when lastack was last sent */
    int64_t syn_time;         /* ns: first SYN */
    uint32_t dupacknum;
    uint32_t lastsegflags; /* TA_* of this side's previous segment */
    /* The frame of this side's last packet whose ack number differed from the one before
     * (Wireshark's lastnondupack): the ACK a duplicate one repeats,
     * tcp.analysis.duplicate_ack_frame. */
    uint32_t lastnondupack;
    uint32_t counts[4]; /* c, g, t, w history counts */
    int8_t wscale;      /* -1 SYN seen without WS, -2 no SYN seen, else shift */
    uint8_t state;      /* enum tcp_state */
    uint8_t zstate;     /* enum zeek_state */
    uint8_t once;       /* history letters recorded once: bit 0 a, 1 d, 2 i, 3 q */
    uint8_t hist_have;  /* bit n: hist_seq[n] valid */
    bool base_set;
    bool have_nextseq;
    bool have_maxseq;
    bool have_lastack;
    bool fin_sent;
    bool rst_sent;
    bool sent_data;
    /* Zeek's byte count (its TCP_Endpoint::Size()) and content gaps, in this side's sequence
     * space relative to sq_start, unwrapped to 64 bits near sq_end (tcp.c "Zeek's sizes"). */
    bool sq_init;      /* sq_start is set: this side sent a packet */
    bool sq_fin;       /* a FIN was seen from this side (its octet is not a byte) */
    bool sq_rst;       /* a RST was seen: later sequence numbers are not trusted */
    uint8_t sq_nholes; /* holes in use in sq_hole[] */
    uint32_t sq_start; /* raw: the SYN's seq, or the first seq seen - 1 */
    uint32_t sq_ack;   /* the peer's highest ACK, relative (low 32 bits of the 64) */
    uint64_t sq_end;   /* highest seq + len (+1 SYN, +1 FIN) sent, relative (Zeek last_seq) */
    uint64_t sq_lost;  /* bytes of holes the peer acknowledged (or given up): missed */
    uint32_t sq_hole[TCP_SQ_HOLES][2]; /* holes [lo, hi) below sq_end not yet acknowledged,
                                        * ascending; relative, low 32 bits */
};

struct tcp_flow {
    struct tcp_dir d[2]; /* 0 originator, 1 responder */
    int64_t first_rtt;   /* ns, SYN -> handshake ACK; 0 unknown */
    bool handshake_done;
    bool syn_seen, synack_seen;
    bool flipped;
    bool midstream; /* the first packet was not a SYN */
    uint8_t fins;   /* bit 0 orig FIN, bit 1 resp FIN */
};

struct icmp_flow {
    int64_t req_time[8]; /* echo requests waiting for replies, by seq % 8 */
    uint16_t req_seq[8];
    uint8_t req_valid;
};

struct flow {
    struct flow_key key;
    uint32_t hnext; /* hash chain */
    uint32_t lru_prev, lru_next;
    uint32_t conn; /* index in the protocol's conn array */
    int64_t last_ns;
    uint8_t lru_class;
    bool in_use;
    bool orig_is_a; /* the originator is key endpoint a */
    union {
        struct tcp_flow tcp;
        struct icmp_flow icmp;
    } u;
};

/* Flows by how long they may stay idle: TCP, UDP, the rest, and TCP connections that are over
 * (both ends closed, or reset), which Zeek drops after tcp_close_delay / tcp_reset_delay. */
enum { LRU_TCP, LRU_UDP, LRU_OTHER, LRU_TCP_OVER, LRU__COUNT };

struct flow_table {
    struct flow **chunks; /* pool, grown FLOW_CHUNK flows at a time */
    uint32_t nchunks, chunks_cap;
    uint32_t nflows; /* flows allocated in the pool */
    uint32_t free_head;
    uint32_t *buckets;
    uint32_t nbuckets; /* power of two */
    uint32_t lru_head[LRU__COUNT], lru_tail[LRU__COUNT];
    uint32_t max_flows;
    uint32_t active;
    uint64_t seed;
    int64_t timeout_ns[LRU__COUNT];
    uint64_t created, evicted, timed_out, over_dropped; /* over_dropped: LRU_TCP_OVER's */
    /* Told of each flow that timeout or eviction is about to remove (the tracker ends its
     * connection then); NULL for none. */
    void (*removing)(void *ctx, const struct flow *f);
    void *removing_ctx;
    /* Before this time no idle list's oldest flow is past its timeout, so flow_expire has
     * nothing to do (it is called at every frame, and with --threads at every other worker's
     * frame too); recomputed when a list's oldest flow or its time changed (deadline_stale). */
    int64_t deadline_ns;
    bool deadline_stale;
    bool expire_all; /* tracker_config.expire_all: no FLOW_EXPIRE_BATCH a call */
    bool expiring;   /* flow_expire is removing flows (removing is told of a timeout) */
};

/* 128 flows (52 KB) a chunk: a tracker with a small max_flows, or a short run, does not pay for
 * a thousand flows (416 KB to allocate and fault in, the fuzz harnesses' main cost per input). */
#define FLOW_CHUNK 128u

void flow_table_init(struct flow_table *ft, uint32_t max_flows,
                     const int64_t timeout_ns[LRU__COUNT]);
void flow_table_release(struct flow_table *ft);
struct flow *flow_at(const struct flow_table *ft, uint32_t idx);
/* Moves flow idx, just touched, to the idle list of class c (LRU_TCP_OVER once it is over). */
void flow_set_lru_class(struct flow_table *ft, uint32_t idx, uint8_t c);
/* Builds the canonical key; *a_is_src tells whether the packet's source is endpoint a. */
void flow_key_make(struct flow_key *k, uint8_t proto, uint8_t addr_len, const uint8_t *src,
                   const uint8_t *dst, uint16_t sport, uint16_t dport, uint16_t vlan, uint8_t kind,
                   bool *a_is_src);
uint32_t flow_key_hash(const struct flow_table *ft, const struct flow_key *k);
uint32_t flow_lookup(const struct flow_table *ft, const struct flow_key *k);
/* Expires flows idle past their timeout at time now_ns (a bounded number per call unless
 * expire_all). */
void flow_expire(struct flow_table *ft, int64_t now_ns);
/* A new zeroed flow for key (evicting the oldest idle flow when full). */
uint32_t flow_insert(struct flow_table *ft, const struct flow_key *k, int64_t now_ns);
void flow_remove(struct flow_table *ft, uint32_t idx);
/* Marks the flow used at now_ns (moves it to its LRU tail). */
void flow_touch(struct flow_table *ft, uint32_t idx, int64_t now_ns);

struct conn_array {
    struct conn *v; /* streams base .. base + n - 1 */
    size_t n, cap;
    uint32_t base;     /* streams below were let go (max_conns), except those in kept */
    struct conn *kept; /* streams below base whose flow is still tracked, in stream order */
    size_t nkept, kept_cap;
};

/*
 * Stream numbers outlive flow state: Wireshark keeps a conversation for ever, so a 5-tuple seen
 * again after its flow timed out or was evicted continues its stream number (with fresh
 * tracking state). One entry per 5-tuple. A file keeps every one, so entries are small: the key
 * is packed in `packed` (17 bytes for IPv4, 41 for IPv6: addr_len, proto, kind, both addresses,
 * both ports, the VLAN), found by its offset; with the offset, number, chain and bucket an IPv4
 * entry costs about 33 bytes.
 */
struct stream_index {
    uint8_t *packed;
    size_t packed_len, packed_cap;
    uint32_t *off;  /* where entry i's key starts in packed */
    uint32_t *ids;  /* the latest connection (per-protocol stream number) of the key */
    uint32_t *next; /* hash chain */
    size_t n, cap;
    uint32_t *buckets;
    uint32_t nbuckets;  /* power of two */
    uint64_t forgotten; /* keys let go (forget_stream_numbers, max_stream_keys) or not kept */
};

/* dhcp.c: DHCP exchanges keyed by (transaction id, client MAC), in a ring of DHCP_MAX_EXCHANGES
 * entries with a hash index: exchange n lives in slot n % DHCP_MAX_EXCHANGES, so a new exchange
 * evicts the oldest one once the ring is full. Allocated on the first DHCP packet. */
#define DHCP_MAX_EXCHANGES 4096u
struct dhcp_exchange {
    uint32_t xid;
    uint8_t mac[6];
    bool used;
    uint8_t pad;
    uint32_t id;                       /* exchange number */
    uint32_t first, last, last_client; /* frame numbers */
    uint32_t hnext;                    /* hash chain (slot index), FLOW_NONE ends */
};
struct dhcp_table {
    struct dhcp_exchange *v; /* DHCP_MAX_EXCHANGES slots */
    uint32_t *buckets;       /* DHCP_MAX_EXCHANGES chain heads */
    uint32_t next_id;
    uint64_t evicted;
};
/* Endpoints that an FTP control connection announced for a data connection (expect.c): a
 * small ring, the oldest overwritten; an entry is used by the first TCP connection to it. */
#define EXPECT_SLOTS 16
#if EXPECT_SLOTS != TRACKER_ANNOUNCEMENTS_KEPT
#error "tracker_announcement() reads the announcements kept in the ring"
#endif
struct expect_table {
    struct announcement v[EXPECT_SLOTS]; /* addr_len 0: free */
    unsigned next;
    uint64_t added; /* announcements heard; the k-th went to v[k % EXPECT_SLOTS] */
};

/* server_names.c: the names connections ask for, interned; ids from 1 (0 is none). */
#define SERVER_NAMES_MAX 65535u
#define SERVER_NAME_MAX_LEN 255u
#define SERVER_NAME_BUCKETS 16384u
struct server_names {
    char *arena; /* NUL-terminated names */
    size_t arena_len, arena_cap;
    uint32_t *off;     /* name id starts at arena + off[id - 1] */
    uint32_t *next;    /* hash chain: the next id, 0 ends */
    uint32_t *buckets; /* SERVER_NAME_BUCKETS chain heads (ids), allocated on the first name */
    uint32_t n;
    size_t cap;
    uint64_t dropped; /* names not kept: the table was full */
};
uint16_t server_name_intern(struct server_names *sn, const char *s, size_t n);
const char *server_name_at(const struct server_names *sn, uint16_t id);
void server_names_release(struct server_names *sn);

struct tracker {
    struct tracker_config cfg;
    struct expect_table expect;
    struct flow_table ft;
    struct conn_array conns[4]; /* tcp, udp, icmp, icmpv6 */
    struct stream_index streams;
    struct dhcp_table dhcp;
    struct pairing *pairing;   /* HTTP and DNS requests and responses (pairing.c) */
    struct server_names names; /* server_names.c */
    uint8_t ending_idle_list;  /* the flow conn_end is told of: its lru_class */
};

struct conn_array *tracker_conns(struct tracker *t, uint8_t proto);

/* dhcp.c */
void dhcp_track(struct tracker *t, const struct dissection *d, uint64_t frame,
                struct track_info *ti);
void dhcp_table_release(struct dhcp_table *dt);

/* tcp.c */
void tcp_track(struct tracker *t, struct flow *f, struct conn *c, const struct dissection *d,
               uint64_t frame, bool from_orig, bool analysable, int64_t now_ns,
               struct track_info *ti);
/* The TCP analysis' verdict on a segment of the flow before it is tracked (tracker_segment_kind):
 * TA_RETRANSMISSION (and its kind), TA_OUT_OF_ORDER or 0. Changes nothing. */
uint32_t tcp_resend(const struct flow *f, const struct dissection *d, bool from_orig, int64_t now);
/* True when a SYN on this flow starts a new connection (Wireshark's port reuse rule). */
bool tcp_is_reuse(const struct flow *f, const struct dissection *d, bool from_orig);
/* Sets up a new TCP flow's roles from its first packet; returns from_orig for that packet. */
bool tcp_first_packet(struct flow *f, const struct dissection *d, bool a_is_src);
/* Zeek's conn_state and history written into the conn summary. */
void tcp_update_outcome(const struct flow *f, struct conn *c);
/* True when the connection is over in Zeek's terms: a side reset, or both sides closed. */
bool tcp_is_over(const struct flow *f);

/* roles.c: the roles a new connection's first packet gives (d sent by the originator when
 * from_orig), and what a later packet adds (simultaneous open, a DNS query, a browser). */
uint8_t roles_first(const struct dissection *d, uint8_t proto, bool from_orig);
void roles_update(struct conn *c, const struct dissection *d, bool from_orig);

/* expect.c: notes the data-connection endpoint an FTP packet announces; marks a new TCP
 * connection whose responder is an announced endpoint (and uses the announcement up). */
void expect_note(struct expect_table *e, const struct dissection *d, int64_t now_ns);
void expect_match(struct expect_table *e, struct conn *c, int64_t now_ns);

#endif
