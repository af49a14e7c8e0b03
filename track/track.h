/*
 * track: the connection tracker. It reads dissections in capture order and says, for every
 * packet, which connection it belongs to, in what phase that connection is, what state each
 * endpoint is in, and what the TCP analysis found, with the rule that produced each label.
 *
 * Bounded: the flow table has a cap (max_flows) and per-protocol idle timeouts; when full, the
 * oldest idle flow is evicted. Evictions and timeouts are counted. A connection keeps its stream
 * number for ever (it is an index into a compact array of connection summaries that the TUI and
 * --conns read); the per-flow tracking state is bounded and freed, and conn_end tells the caller
 * when a connection is over. With max_conns (every batch run, and the TUI) the oldest summaries
 * whose flow is no longer tracked are let go past it (the caller hears of each first), so memory
 * follows the live flows. DHCP exchanges (track/dhcp.c) are kept in a ring of 4096
 * (DHCP_MAX_EXCHANGES, about 144 KB, allocated on the first DHCP packet): the oldest exchange goes
 * first.
 *
 * struct track_info is small and fixed so that the TUI can keep one per packet. It holds labels
 * and the values the rules compared, never text: format_explain() (format/) rebuilds the why
 * text from it on demand.
 *
 * Memory (x86-64): a live flow costs 436 bytes (432 of state -- key 44, both TCP directions
 * 2 x 168, links and times -- plus its hash bucket); the pool grows 128 flows at a time and
 * never past max_flows (default 100000: at most ~44 MB). Of a direction's 168 bytes, 56 count
 * its bytes as Zeek does (track/tcp.c "Zeek's sizes": up to TCP_SQ_HOLES holes of 8 bytes).
 * A connection's struct conn (200 bytes)
 * lives while its flow does, and after it up to max_conns per protocol (0: for ever). The TUI
 * sets max_conns for a file too and keeps the summaries let go in a file of its own
 * (ui/conns_store.c), from which conn_recall gives one back if its 5-tuple returns. Every 5-tuple
 * seen keeps a stream-index entry (about 33 bytes for IPv4, 57 for IPv6) so that stream numbers
 * stay Wireshark's, up to max_stream_keys (default 1,048,576: at most about 50 MB for IPv4 with
 * the index's hash and growth, 80 MB for IPv6), past which the oldest keys whose summaries went
 * are forgotten; forget_stream_numbers lets each go with its summary (a capture that never
 * ends). --stats shows bytes_per_flow and the keys forgotten.
 */
#ifndef PKTSCOPE_TRACK_TRACK_H
#define PKTSCOPE_TRACK_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dissect/dissect.h"
#include "dissect/reasm.h"

enum phase {
    PHASE_NONE = 0, /* not TCP, or not tracked */
    PHASE_HANDSHAKE,
    PHASE_DATA,
    PHASE_TEARDOWN,
    PHASE_RESET,
};
const char *phase_name(enum phase p); /* "handshake", ... ; "" for PHASE_NONE */

/* RFC 9293 endpoint states. */
enum tcp_state {
    TCPS_NONE = 0, /* unknown (midstream before evidence) or not TCP */
    TCPS_CLOSED,
    TCPS_LISTEN,
    TCPS_SYN_SENT,
    TCPS_SYN_RECEIVED,
    TCPS_ESTABLISHED,
    TCPS_FIN_WAIT_1,
    TCPS_FIN_WAIT_2,
    TCPS_CLOSE_WAIT,
    TCPS_CLOSING,
    TCPS_LAST_ACK,
    TCPS_TIME_WAIT,
};
const char *tcp_state_name(enum tcp_state s); /* "SYN-SENT", ... */

/* TCP analysis flags (Wireshark's tcp.analysis.* names). */
#define TA_RETRANSMISSION 0x0001u
#define TA_FAST_RETRANSMISSION 0x0002u
#define TA_SPURIOUS_RETRANSMISSION 0x0004u
#define TA_OUT_OF_ORDER 0x0008u
#define TA_DUPLICATE_ACK 0x0010u
#define TA_LOST_SEGMENT 0x0020u     /* previous segment not captured */
#define TA_ACK_LOST_SEGMENT 0x0040u /* ACKed unseen segment */
#define TA_ZERO_WINDOW 0x0080u
#define TA_ZERO_WINDOW_PROBE 0x0100u
#define TA_ZERO_WINDOW_PROBE_ACK 0x0200u
#define TA_KEEP_ALIVE 0x0400u
#define TA_KEEP_ALIVE_ACK 0x0800u
#define TA_WINDOW_UPDATE 0x1000u
#define TA_WINDOW_FULL 0x2000u
#define TA_REUSED_PORTS 0x4000u

/* Per-packet flags. */
#define TI_FROM_ORIG 0x01u    /* sent by the connection's originator */
#define TI_MIDSTREAM 0x02u    /* the connection's start was not captured */
#define TI_HALF_CLOSED 0x04u  /* data after one side's FIN */
#define TI_WIN_SCALED 0x08u   /* window_scaled is known (both WS options seen, or none) */
#define TI_HAS_STREAM 0x10u   /* stream is valid */
#define TI_STATE_CHANGE 0x20u /* an endpoint's state changed with this packet */
#define TI_HAS_RELATED 0x40u  /* related_*: the connection an ICMP error quotes */
#define TI_HAS_RTT 0x80u      /* rtt_usec is valid (ICMP echo reply; ACK completing a handshake) */

/* Application pairing flags (track_info.app_flags). */
#define TIA_DHCP 0x01u /* dhcp_*: the packet is a DHCP/BOOTP message of a tracked exchange */

struct track_info {
    uint32_t stream;        /* tcp.stream / udp.stream / icmp exchange number */
    uint32_t rel_seq;       /* tcp.seq (relative) */
    uint32_t rel_ack;       /* tcp.ack (relative) */
    uint32_t next_seq;      /* relative seq expected next from this sender before this packet */
    uint32_t window_scaled; /* tcp.window_size */
    uint32_t analysis;      /* TA_* */
    uint16_t dup_ack_num;   /* tcp.analysis.duplicate_ack_num */
    uint8_t proto;          /* PS_IPPROTO_TCP, _UDP, _ICMP, _ICMPV6, or 0 */
    uint8_t phase;          /* enum phase */
    uint8_t state_src;      /* enum tcp_state of the sender after this packet */
    uint8_t state_dst;      /* of the receiver */
    uint8_t flags;          /* TI_* */
    uint8_t app_flags;      /* TIA_*: application-level pairing */
    uint8_t related_proto;  /* with TI_HAS_RELATED: PS_IPPROTO_TCP or _UDP */
    uint8_t announced;      /* enum announce: the connection another one announced (FTP data) */
    /* The connection's application protocol version once a packet has stated it (TLS: the
     * first record that is not a ClientHello, or the ServerHello's supported_versions); 0
     * unknown. The packet list's Protocol column names it (Wireshark keeps it per conversation). */
    uint16_t app_version;
    uint32_t related_stream; /* with TI_HAS_RELATED: that connection's stream number */
    uint32_t rtt_usec;       /* with TI_HAS_RTT: echo request -> reply, or SYN -> handshake ACK */
    /* Values the analysis compared, for format_explain()'s why texts (TCP only). */
    uint32_t peer_ack;  /* the receiver's last ACK, relative to this sender's ISN */
    uint32_t peer_next; /* the receiver's highest contiguous seq + len, relative to its ISN */
    /* DHCP (track/dhcp.c), with TIA_DHCP: the exchange (RFC 2131 3.1's DISCOVER, OFFER, REQUEST,
     * ACK) this message belongs to, by transaction id and client MAC; frame numbers, 0 none. */
    uint32_t dhcp_exchange; /* pktscope.dhcp.exchange: numbered from 0 like tcp.stream */
    uint32_t dhcp_first;    /* the exchange's first message seen */
    uint32_t dhcp_prev;     /* the exchange's message before this one */
    uint32_t dhcp_request;  /* a server reply: the latest client message of the exchange */
    /* Request/response pairing (track/pairing.h): a response whose request was seen. */
    uint8_t pair_kind; /* TI_PAIR_*, or 0 */
    uint8_t pair_pad[3];
    union {
        uint32_t pair_frame; /* http.request_in / dns.response_to: the request's frame number */
        /* With TA_DUPLICATE_ACK: tcp.analysis.duplicate_ack_frame, the frame of the ACK it
         * repeats. A duplicate ACK carries no payload, so it is never paired. */
        uint32_t dup_ack_frame;
    };
    /* Client and server (track/roles.c): the connection's roles as known after this packet,
     * enum role_rule | TIR_*; fills a hole, so the struct stays 88 bytes. */
    uint8_t roles;
    int64_t pair_ns; /* http.time / dns.time: nanoseconds since the request */
};
#define TI_PAIR_HTTP 1u
#define TI_PAIR_DNS 2u
/* explain: ICMP echo and ARP pairing (track/pairing.c). ARP_AGAIN: a request repeating an
 * unanswered one (pair_frame is that one, pair_ns the time since). */
#define TI_PAIR_ECHO 3u /* an echo reply: icmp.resp_to / icmpv6.resp_to */
#define TI_PAIR_ARP 4u  /* an ARP reply: pktscope.arp.request_in / pktscope.arp.time */
#define TI_PAIR_ARP_AGAIN 5u

/* How a connection was announced by another one before it began (textproto): FTP's data
 * connections, whose endpoint the control connection names (RFC 959 PASV/PORT, RFC 2428
 * EPSV/EPRT). Zeek calls their service "ftp-data"; Wireshark names their payload "FTP Data". */
enum announce {
    ANNOUNCE_NONE = 0,
    ANNOUNCE_FTP_PASV,
    ANNOUNCE_FTP_PORT,
    ANNOUNCE_FTP_EPSV,
    ANNOUNCE_FTP_EPRT,
    ANNOUNCE__COUNT
};
/* "PASV", "PORT", "EPSV", "EPRT"; "" for ANNOUNCE_NONE */
const char *announce_method(enum announce a);

/*
 * --threads: a data connection is often another worker's than the control connection that
 * announced it, so the merger replays the announcements and the TCP connections' beginnings in
 * frame order through a table of its own, and decides what one tracker would have.
 */
struct announcement {
    int64_t when_ns;  /* announced at; for a connection that began: its first packet */
    uint8_t addr_len; /* 4 or 16 */
    uint8_t method;   /* enum announce (unused for a beginning) */
    uint16_t port;
    uint8_t addr[16]; /* the data connection's responder */
};
#define TRACKER_ANNOUNCEMENTS_KEPT 16
struct tracker;
struct announcements;
/* Announcements the tracker has heard so far; the k-th (from 0) of them, one of the last
 * TRACKER_ANNOUNCEMENTS_KEPT, as heard (read it before a later frame may use it up). */
uint64_t tracker_announcements(const struct tracker *t);
void tracker_announcement(const struct tracker *t, uint64_t k, struct announcement *out);
struct announcements *announcements_new(void);
void announcements_free(struct announcements *a);
void announcements_add(struct announcements *a, const struct announcement *x);
/* A TCP connection began (when_ns, and its responder in addr, port): the method that announced
 * it, its announcement used up, or ANNOUNCE_NONE; as the tracker marks a connection. */
uint8_t announcements_match(struct announcements *a, const struct announcement *began);

/* A connection's lasting summary (one per stream, kept after its flow state is freed). */
struct conn {
    uint32_t id;      /* stream number */
    uint8_t proto;    /* PS_IPPROTO_TCP, _UDP, _ICMP, _ICMPV6 */
    uint8_t addr_len; /* 4 or 16 */
    uint8_t orig_addr[16], resp_addr[16];
    uint16_t orig_port, resp_port; /* ICMP: type/code of the first packet; echo: id */
    uint16_t vlan_id;
    int64_t first_sec, last_sec; /* timestamps */
    uint32_t first_nsec, last_nsec;
    uint64_t orig_pkts, resp_pkts;
    /* Zeek's orig_bytes, resp_bytes: TCP from sequence numbers (retransmissions once, holes
     * counted: track/tcp.c "Zeek's sizes"); UDP and ICMP the payload bytes sent. */
    uint64_t orig_bytes, resp_bytes;
    uint64_t missed_bytes;                 /* Zeek's missed_bytes: TCP content gaps, both ways */
    uint64_t orig_ip_bytes, resp_ip_bytes; /* IP-level bytes */
    uint64_t first_packet, last_packet;    /* frame numbers */
    uint32_t retransmissions;
    /* Here, in the hole before rtt_nsec, the flags keep the struct at 200 bytes. */
    bool midstream : 1;
    bool closed : 1;
    bool icmp_echo : 1;   /* ICMP: an echo exchange (ports hold its id) */
    bool ended : 1;       /* conn_end was told: a 5-tuple seen again begins a new summary */
    uint8_t announced;    /* enum announce: set when it began as another connection announced */
    uint16_t server_name; /* tracker_server_name(): 0 none */
    int64_t rtt_nsec;     /* handshake RTT (SYN to ACK), -1 unknown */
    uint8_t state_orig, state_resp; /* enum tcp_state now */
    char conn_state[7];             /* Zeek conn_state, e.g. "SF" (the longest, RSTOS0, is 6) */
    uint8_t roles;                  /* client and server: enum role_rule | TIR_* (roles.c) */
    char history[24];               /* Zeek history, e.g. "ShADadFf" */
    uint16_t service_port;          /* the port that names the service */
    /* The service: the first application protocol (enum proto_id) a packet of the connection
     * decoded, 0 none (Zeek names a service only once an analyzer confirmed it). */
    uint16_t app_proto;
    uint16_t app_version; /* see track_info.app_version */
};

/*
 * Client and server (track/roles.c). Which end is the client, and the rule that decided, in
 * one byte (track_info.roles, conn.roles): the low bits an enum role_rule, TIR_CLIENT_IS_RESP
 * when the client is the responder (a UDP flow whose first packet was a DNS response), and
 * TIR_BROWSER when the client's HTTP User-Agent names a browser (B/S: "Mozilla/" or "Opera/";
 * curl, wget and other tools are not browsers). TCP's client is always the originator. A
 * later packet may replace a guess with certainty (UDP: a DNS query seen after the first
 * packet), so a packet's roles are those known after it.
 */
enum role_rule {
    ROLE_NONE = 0, /* no client or server (ICMP other than echo) */
    ROLE_SYN,      /* the client sent the SYN */
    ROLE_SYN_ACK,  /* the SYN was not captured: the SYN-ACK's receiver asked for it */
    ROLE_SIMOPEN,  /* both sent a SYN (simultaneous open): the first SYN's sender is called
                    * the client, by convention (RFC 9293 3.5 makes them peers) */
    ROLE_QUERY,    /* DNS: the client sent the query (dns.flags.response == 0) */
    ROLE_ECHO,     /* ICMP echo: the client sent the request */
    ROLE_PORT,     /* guessed: the end on the well-known port (below 1024) is the server */
    ROLE_FIRST,    /* guessed: the first packet's sender is the client */
};
#define TIR_RULE_MASK 0x0fu
#define TIR_CLIENT_IS_RESP 0x10u
#define TIR_BROWSER 0x20u
/* "syn", "syn-ack", "simopen", "query", "echo", "port", "first"; "" for ROLE_NONE */
const char *role_rule_name(uint8_t roles);
/* What the rule says in words, e.g. "sent the SYN"; "" for ROLE_NONE */
const char *role_rule_text(uint8_t roles);
/* The same in a few words for a narrow place (the ladder's lane head): "sent the SYN" */
const char *role_rule_short(uint8_t roles);
/* Whether the roles were guessed (midstream or connectionless, no stronger evidence). */
bool role_guessed(uint8_t roles);
/* Whether a packet was sent by its connection's client (false when there is none). */
bool track_from_client(const struct track_info *ti);
/* The TCP state after the packet of the client (client true) or of the server, enum tcp_state;
 * TCPS_NONE when the roles are not known. */
uint8_t track_state_of(const struct track_info *ti, bool client);

struct tracker_config {
    uint32_t max_flows; /* live flow-state cap (default 100000) */
    /* Connection summaries kept per protocol; 0 keeps all. When full, the oldest quarter goes,
     * except those a tracked flow still uses; conn_forget is called with each before it goes, in
     * stream order. Stream numbers keep counting. */
    uint32_t max_conns;
    /* With max_conns: whether a stream number goes with its summary, so that a 5-tuple seen
     * again gets a new number (a capture that never ends: the stream index stays bounded too).
     * Otherwise every 5-tuple keeps its number for ever, as in Wireshark (a stream-index entry
     * of 56 bytes each), and one that returns after its summary went gets a fresh summary
     * under its old number. */
    bool forget_stream_numbers;
    /* 5-tuples whose stream number is remembered (0: all). A 5-tuple that returns after more
     * than this many others were seen since its summary went gets a new number: the numbers
     * stay Wireshark's on any capture of fewer distinct 5-tuples, and memory stays bounded on
     * one that never ends (a pipe, -r -). */
    uint32_t max_stream_keys;
    /* The summaries let go have no flow left (a tracked flow keeps its own), and only a flow
     * changes a summary: so each one conn_forget is told is final, unless its stream number
     * comes back (a 5-tuple seen again, without forget_stream_numbers). Then conn_recall, if
     * set, is asked for the summary as it was let go: true (*out filled) and it goes on from
     * there, told to conn_forget again when let go again; false and a fresh one begins. */
    void (*conn_forget)(void *ctx, const struct conn *c);
    bool (*conn_recall)(void *ctx, uint8_t proto, uint32_t stream, struct conn *out);
    /* Called when a connection's flow state is dropped (idle timeout, eviction by max_flows,
     * a new connection on the same ports): the connection is over, as Zeek writes its conn.log
     * row then. NULL for none. */
    void (*conn_end)(void *ctx, const struct conn *c);
    void *conn_ctx;         /* passed to conn_forget, conn_recall and conn_end */
    uint32_t tcp_idle_sec;  /* Zeek: tcp_inactivity_timeout 5 min */
    uint32_t udp_idle_sec;  /* Zeek: udp_inactivity_timeout 1 min */
    uint32_t icmp_idle_sec; /* Zeek: icmp_inactivity_timeout 1 min */
    /* A TCP connection that is over (both ends closed by FINs, or a RST) is dropped this long
     * after its last packet: Zeek's tcp_close_delay and tcp_reset_delay, 5 s. */
    uint32_t tcp_over_sec;
    /* Every flow idle past its timeout ends at the first packet after it, however many: a file
     * then ends the same connections at the same frame whether one tracker reads it or several
     * share its flows (--threads, main/flow_threads.h). Otherwise (a live capture, the TUI) at
     * most 64 end per packet, so that one packet after a quiet spell does not wait for a
     * hundred thousand rows. */
    bool expire_all;
};

struct tracker_stats {
    uint64_t flows_created;
    uint64_t flows_active;          /* still tracked at the end: closed ones until they time out */
    uint64_t flows_open;            /* of those, not closed (a TCP connection whose both ends
                                     * closed, by FINs or a RST, is not open) */
    uint64_t flows_evicted;         /* pushed out by the cap */
    uint64_t flows_timed_out;       /* idle past their timeout */
    uint64_t flows_over_dropped;    /* TCP connections over (FINs both ways, or a RST) and
                                     * dropped tcp_over_sec after their last packet */
    size_t bytes_per_flow;          /* memory of one flow's state */
    uint64_t pairs_evicted;         /* explain: waiting requests pushed out of full pair tables */
    uint64_t stream_keys_forgotten; /* 5-tuples whose stream number was let go (max_stream_keys,
                                     * forget_stream_numbers) */
};

/* max_conns of the TUI on a capture that never ends (live, --follow) */
#define TRACKER_LIVE_MAX_CONNS 100000u
/* max_conns of the batch modes, which need a summary only until its --conns row is written:
 * 16384 per protocol (3 MB) besides those of the live flows (at most max_flows). */
#define TRACKER_MAX_CONNS 16384u
/* max_stream_keys by default: more than the 1,000,000-flow captures of issue 13 */
#define TRACKER_MAX_STREAM_KEYS 1048576u

struct tracker;

void tracker_config_default(struct tracker_config *cfg);
struct tracker *tracker_new(const struct tracker_config *cfg);
void tracker_free(struct tracker *t);

/* Tracks one packet; fills *info (always: PHASE_NONE and no stream for untracked packets). */
void tracker_packet(struct tracker *t, const struct dissection *d, int64_t ts_sec, uint32_t ts_nsec,
                    uint64_t frame_number, struct track_info *info);

/*
 * What a TCP segment about to be tracked is to the reassembly, asked while it is dissected
 * (reasm_set_segment_kind): from what the TCP analysis will say of it, RESENT for a
 * retransmission (spurious or not, but not a fast one), OUT_OF_ORDER, else NEW (new data, a
 * fast retransmission, or no connection tracked so far). The analysis then gives the segment
 * the same flags, and asking changes nothing. The flow is the one the packets so far made: one
 * that tracker_packet would first let go as idle by this packet's time (minutes without a
 * packet) is still asked.
 */
enum reasm_segment tracker_segment_kind(const struct tracker *t, const struct dissection *d,
                                        int64_t ts_sec, uint32_t ts_nsec);

/* The connections seen so far, by stream number (a TCP stream and a UDP stream may share a
 * number: Wireshark numbers each protocol separately, so the list is per protocol).
 * tracker_conn_count() is how many streams were numbered; tracker_conn() is NULL for one that
 * was let go (max_conns). To walk the summaries still kept, in stream order, use
 * tracker_conn_nth() for pos from 0 to tracker_conn_kept() - 1. */
/* Where a protocol's streams are kept: 0 TCP, 1 UDP, 2 ICMP, 3 ICMPv6, -1 for any other (a
 * caller keeping something per numbered protocol indexes by it too). */
int tracker_proto_slot(uint8_t proto);
/* The protocol of slot 0 to 3 (the inverse of tracker_proto_slot); 0 for another. */
uint8_t tracker_slot_proto(int slot);
size_t tracker_conn_count(const struct tracker *t, uint8_t proto);
const struct conn *tracker_conn(const struct tracker *t, uint8_t proto, uint32_t stream);
size_t tracker_conn_kept(const struct tracker *t, uint8_t proto);
const struct conn *tracker_conn_nth(const struct tracker *t, uint8_t proto, size_t pos);
void tracker_stats(const struct tracker *t, struct tracker_stats *st);

/* What --stats says of the tracker: its counters and the streams numbered per protocol; summed
 * over the workers of --threads (tracker_totals_add). */
struct tracker_totals {
    struct tracker_stats st;
    uint64_t streams[4]; /* tracker_conn_count(), in tracker_proto_slot() order */
};
void tracker_totals(const struct tracker *t, struct tracker_totals *tt);
void tracker_totals_add(struct tracker_totals *sum, const struct tracker_totals *tt);

/* Whether a connection is over by its own packets, so that --conns can write its row at once:
 * TCP when both endpoints are CLOSED or in TIME-WAIT (both FINs acknowledged, or a RST), or its
 * ports were reused. (Its flow state being freed -- idle timeout, eviction -- is told by
 * conn_end.) Cheap enough to ask on every packet: no flow lookup. */
/* The name of the server c's client asked for first (TLS SNI, or an HTTP request's Host), or
 * NULL. Raw bytes of the packet (NUL shown as '.'): renderers escape them. */
const char *tracker_server_name(const struct tracker *t, const struct conn *c);

bool tracker_conn_closed(const struct tracker *t, uint8_t proto, uint32_t stream);

/* Expires flows idle at wall-clock time (sec, nsec), for a live capture that has gone quiet:
 * packet times drive expiry otherwise, so a silent interface would keep flows open for ever. */
void tracker_expire(struct tracker *t, int64_t sec, uint32_t nsec);

/* While conn_end is told of a flow that timed out (and only then): the idle list it was on
 * (0 TCP, 1 UDP, 2 other, 3 TCP connections that are over), which with the connection's last
 * frame orders the endings of one packet as one tracker makes them (main/flow_threads.c
 * merges several trackers' that way); -1 otherwise (an eviction, ports reused). */
int tracker_ending_idle_list(const struct tracker *t);

#endif
