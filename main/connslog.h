/*
 * connslog: --conns-log DIR, the --conns rows of a long capture written as Zeek writes its
 * logs, one file per interval (-G SECONDS, default an hour), so a loader takes each file once
 * it is closed and the disk holds what the loader has not taken yet.
 *
 * Files are DIR/conn.YYYY-MM-DD-HH-MM-SS.log (a worker's: conn.<time>.wN.log), named by the
 * start of their interval in UTC (Zeek's naming; UTC, as the #open lines and as a loader
 * merging several sensors wants), intervals aligned to multiples of the length since the epoch
 * as Zeek's rotation is. A row goes to the file of the interval its connection ended in (its
 * last packet). A connection's row comes once it is over, up to the tracker's longest idle
 * timeout after its last packet, so an interval's file stays open that much longer (`grace`),
 * by the packets' clock (for a live capture also the wall clock when the interface is quiet),
 * then is closed for good; a row that still comes later goes to the oldest file open.
 * A zeek file has Zeek's header (#open: the interval's start) and #close; json files hold rows.
 * Files are created only when a row comes, through outfile_create (no symbolic link followed,
 * no file of another owner overwritten).
 */
#ifndef PKTSCOPE_MAIN_CONNSLOG_H
#define PKTSCOPE_MAIN_CONNSLOG_H

#include <stdint.h>

#include "format/conns.h"

#define CONNSLOG_DEFAULT_INTERVAL 3600u

struct connslog;

/* worker: its number for the file names, -1: none. NULL with errbuf when DIR is unusable. */
struct connslog *connslog_open(const char *dir, uint32_t interval, uint32_t grace,
                               enum conns_format f, int worker, char *errbuf);
/* conns_stream.row: one row. */
void connslog_row(void *ctx, const struct conn *c, const char *text, size_t len);
/* The clock moved to `now`: files past their interval and grace are closed. */
void connslog_tick(struct connslog *l, int64_t now);
int connslog_flush(struct connslog *l, char *errbuf);
/* Closes every file; l is freed. 0, or -1 with errbuf when a write failed (at any time). */
int connslog_close(struct connslog *l, char *errbuf);

#endif
