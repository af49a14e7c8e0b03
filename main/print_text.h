/*
 * --print's text of one packet but its layer tree (-V), --columns and colours: the summary
 * line (or -q's), tcpdump -v's line, tcpdump -e's link header and the dump. It reads only the
 * packet, its dissection and track_info and the time it is measured from, so it is the same on
 * whatever thread formats it: the reading thread (batch.c), a formatting thread
 * (text_threads.h) or a flow worker (flow_threads.h).
 */
#ifndef PKTSCOPE_MAIN_PRINT_TEXT_H
#define PKTSCOPE_MAIN_PRINT_TEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/source.h"
#include "dissect/dissect.h"
#include "format/format.h"
#include "main/options.h"
#include "main/text_threads.h"
#include "track/track.h"
#include "util/strbuf.h"
#include "util/util.h"

/* The text up to the layer tree: the summary (or -q) line unless first_line is false (--columns
 * replaced it), tcpdump -v's line into `ls`, and tcpdump -e's link header into `hdr` (written
 * before them). The time shown is measured from ref_sec.ref_nsec. */
void print_text_head(const struct options *o, struct lines *ls, struct strbuf *hdr,
                     const struct packet *pkt, const struct dissection *d,
                     const struct track_info *ti, bool first_line, int64_t ref_sec,
                     uint32_t ref_nsec);

/* Whether a blank line follows each packet's text (-V, or a dump but -A alone's). */
bool print_text_blank_after(const struct options *o);

/* The whole text of one packet without -V, appended to `out`; `scratch` is the caller's. */
void print_text_append(const struct options *o, struct lines *scratch, struct text_out *out,
                       const struct packet *pkt, const struct dissection *d,
                       const struct track_info *ti, int64_t ref_sec, uint32_t ref_nsec);

#endif
