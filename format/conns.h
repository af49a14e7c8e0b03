/*
 * conns: the connection table (--conns), rendered from the tracker's struct conn summaries.
 *
 * Three forms: a text table for people (id, protocol, endpoints with their address class,
 * service, endpoint states, Zeek conn_state and history, packets and bytes each way, duration,
 * handshake RTT, retransmissions), one JSON object per connection with Zeek conn.log names
 * (uid, id.orig_h, ... plus pktscope.*), and a Zeek TSV conn.log with its header lines.
 *
 * Invariants: output is a pure function of the tracker's summaries (no clock, no locale), rows are
 * ordered by each connection's first packet, and the uid of a connection is derived from its
 * protocol, stream number and first timestamp only, so golden files are stable.
 */
#ifndef PKTSCOPE_FORMAT_CONNS_H
#define PKTSCOPE_FORMAT_CONNS_H

#include <stddef.h>
#include <stdio.h>

#include "format/line.h"
#include "track/track.h"

enum conns_format { CONNS_TEXT, CONNS_JSON, CONNS_ZEEK };

/* The whole table (every protocol, ordered by first packet) appended to `out`.
 * Text: one header line (ATTR_HEADER) then one line per connection with line.ref = the stream
 * number; JSON: one object per line; Zeek: the #-header lines, the rows, then "#close". */
void conns_render(const struct tracker *t, enum conns_format f, struct lines *out);

/* conns_render() printed to `out` (text only, no attributes). Returns 0, or -1 on a write error. */
int conns_print(const struct tracker *t, enum conns_format f, FILE *out);

/* For the TUI connection view: the text table's header line, and one connection's row. */
void conns_header(struct lines *out);
void conns_row(const struct conn *c, struct lines *out);

/* Zeek-style uid ("C" + 17 base62 characters), deterministic for a given connection. */
void conns_uid(const struct conn *c, char *buf, size_t size);

/* "tcp", "udp", "icmp" (Zeek's proto column; ICMPv6 is "icmp" as in Zeek). */
const char *conns_proto_name(uint8_t proto);

#endif
