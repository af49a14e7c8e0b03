/*
 * conns: the connection table (--conns), rendered from the tracker's struct conn summaries.
 *
 * Three forms: a text table for people (id, protocol, endpoints with their address class,
 * service, endpoint states, Zeek conn_state and history, packets and bytes each way, duration,
 * handshake RTT, retransmissions), one JSON object per connection with Zeek conn.log names
 * (uid, id.orig_h, ... plus pktscope.*), and a Zeek TSV conn.log with its header lines.
 *
 * Invariants: output is a pure function of the tracker's summaries (no clock, no locale);
 * conns_render() orders rows by each connection's first packet, --conns by ending (streaming,
 * below); the uid of a connection is derived from its
 * 5-tuple (protocol, addresses, ports, VLAN) and first timestamp only, so golden files are
 * stable and a --shard run gives a connection the uid an unsharded run gives it.
 */
#ifndef PKTSCOPE_FORMAT_CONNS_H
#define PKTSCOPE_FORMAT_CONNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "format/line.h"
#include "track/track.h"

#include "util/bitset.h"
#include "util/strbuf.h"

enum conns_format { CONNS_TEXT, CONNS_JSON, CONNS_ZEEK };

/* Which connections get a row: all when keep is NULL (--conns -Y keeps those with a packet that
 * matched the display filter). */
struct conns_select {
    bool (*keep)(void *ctx, const struct conn *c);
    void *ctx;
};

/* The whole table (every protocol, ordered by first packet) appended to `out`.
 * Text: one header line (ATTR_HEADER) then one line per connection with line.ref = the stream
 * number; JSON: one object per line; Zeek: the #-header lines, the rows, then "#close". */
void conns_render(const struct tracker *t, enum conns_format f, const struct conns_select *sel,
                  struct lines *out);

/* The text table's header line, and one connection's row (the --conns text form). */
void conns_header(struct lines *out);
void conns_row(const struct tracker *t, const struct conn *c, struct lines *out);
/* One connection's row in form f, from a copy of its summary and its server name (NULL: none),
 * with no tracker: --threads renders the summaries its workers handed over. */
void conns_line(enum conns_format f, const struct conn *c, const char *server_name,
                struct lines *out);

/*
 * The connection table as columns, for a view that lays them out itself (the TUI: widths that
 * follow the data, the least important columns giving way on a narrow screen). Client and server
 * are Zeek's originator and responder; BYTES is Zeek's orig_bytes + resp_bytes (TCP: sequence
 * space), ROLE the rule that told client from server (as --conns), STATE Zeek's conn_state,
 * ENDPOINTS the RFC 9293 states of both ends.
 */
enum conns_col {
    CONNS_COL_ID,
    CONNS_COL_PROTO,
    CONNS_COL_CLIENT,
    CONNS_COL_SERVER,
    CONNS_COL_SERVICE,
    CONNS_COL_ROLE,
    CONNS_COL_STATE,
    CONNS_COL_ENDPOINTS,
    CONNS_COL_PKTS,
    CONNS_COL_BYTES,
    CONNS_COL_DURATION,
    CONNS_COL_SERVER_NAME,
    CONNS_COL__COUNT
};

struct conns_col_info {
    const char *header;
    bool right;        /* a number: aligned right */
    uint8_t give_way;  /* on a narrow screen the highest go first; 0: always shown */
    uint8_t min_width; /* narrower than this, the column is left out rather than cut */
};

extern const struct conns_col_info conns_cols[CONNS_COL__COUNT];

/* One cell's text, appended to sb (bytes from packets, a server name, escaped). */
void conns_cell(const struct tracker *t, const struct conn *c, enum conns_col col,
                struct strbuf *sb);

/*
 * Streaming (every --conns run): each connection's row is written once, as soon as it is over
 * (the tracker ends it, or both TCP endpoints closed), so rows come in order of ending as in
 * Zeek's conn.log; the rest at the end in first-packet order. The header is added before the
 * first row (Zeek: #open is the earliest connection's start); conns_stream_finish() adds the
 * remaining rows and Zeek's #close. A bitmap per protocol remembers which streams have their row.
 */
struct conns_stream {
    enum conns_format f;
    bool header_done;
    struct bitset printed[4]; /* one bit per stream number, per protocol (tcp, udp, icmp, icmp6);
                                 a row that sel left out counts as printed */
    struct conns_select sel;
    /* Optional (--conns-log): each zeek or json row goes here instead of into `out`, with no
     * header or #close (the receiver writes its own per file); NULL: rows go into `out`. */
    void (*row)(void *ctx, const struct conn *c, const char *text, size_t len);
    /* Optional (--threads, main/flow_threads.c): each connection due a row is handed over
     * as it is, with row_ctx, to be numbered and rendered elsewhere; nothing goes to `out`. */
    void (*taken)(void *ctx, const struct tracker *t, const struct conn *c);
    void *row_ctx;
};

void conns_stream_init(struct conns_stream *s, enum conns_format f);
void conns_stream_release(struct conns_stream *s);
/* Whether c's row was written (or handed over, or left out by sel). */
bool conns_stream_printed(const struct conns_stream *s, const struct conn *c);
/* Appends the row of connection (proto, stream) if it closed (tracker_conn_closed) and is not
 * printed yet. */
void conns_stream_check(struct conns_stream *s, struct tracker *t, uint8_t proto, uint32_t stream,
                        struct lines *out);
/* c's row unless it was printed already: for a connection that just ended. */
void conns_stream_emit(struct conns_stream *s, const struct tracker *t, const struct conn *c,
                       struct lines *out);
/* For a summary the tracker is about to let go: its row unless printed already, and its stream
 * forgotten, so that a new summary under the same number (a 5-tuple seen again) gets a row too. */
void conns_stream_let_go(struct conns_stream *s, const struct tracker *t, const struct conn *c,
                         struct lines *out);
/* Appends the header if not yet printed, every remaining row, and Zeek's #close; when flush is
 * not NULL it is handed `out` every so many rows (to write and empty it), so that memory does
 * not follow the number of rows. */
void conns_stream_finish(struct conns_stream *s, const struct tracker *t, struct lines *out,
                         void (*flush)(void *ctx, struct lines *out), void *flush_ctx);

/* A Zeek conn.log header, #open at `first` (seconds, UTC), and its #close line. */
void conns_zeek_header(int64_t first, struct lines *out);
void conns_zeek_close(int64_t last, struct lines *out);

/* Zeek-style uid ("C" + 17 base62 characters), deterministic for a given connection. */
void conns_uid(const struct conn *c, char *buf, size_t size);

/* "tcp", "udp", "icmp" (Zeek's proto column; ICMPv6 is "icmp" as in Zeek). */
const char *conns_proto_name(uint8_t proto);

#endif
