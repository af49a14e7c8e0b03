/*
 * --conns --threads N on a file: the connections shared among N workers, as Zeek's and
 * Suricata's workers share a link's flows.
 *
 * The calling thread reads the file (and its BPF filter) and hands the packets over in blocks.
 * Each frame goes to one worker, chosen by its address pair (pipeline_frame_shard: both
 * directions, every port and every fragment of a host pair meet in one worker), which
 * dissects, reassembles and tracks it as one thread would; every worker also hears every other
 * frame's time (tracker_expire), so a flow times out at the frame it would with one tracker
 * (tracker_config.expire_all). What a worker's tracker says of a connection -- a row due, a
 * stream number taken -- is handed back with the frame that caused it; the calling thread puts
 * those in the order one tracker would have made them (per frame: timeouts by idle list and
 * last packet, then new stream numbers, then the rest in the worker's order), numbers the
 * streams by their first frame across all workers, and writes the rows. The output, text,
 * JSON or Zeek, is one thread's byte for byte (tests/scripts/threads.sh compares them on every
 * test capture) as long as no worker reaches its share of a cap: each holds 1/N of one
 * thread's flow table, summaries and stream numbers kept, and reassembly memory (at least
 * twice the longest message), so that N threads hold no more than one; a capture that fills a
 * worker's share may end other connections than one thread ends.
 *
 * Not shared (one thread runs them as before): -Y (a filter may name a stream number, which
 * a worker does not know yet), -w, --conns-log, --shard, -2, -c, --replay, live capture and a
 * file still being written.
 *
 * The frames are not copied: the file source hands over its reading buffers
 * (file_source_hand_over), which come back for reuse once every worker is done with the
 * frames in them. Memory: CONNS_BLOCKS blocks of up to CONNS_BLOCK_PACKETS frames in flight,
 * and the reading buffers that hold them (about 4 MB for 1 MB of frames a block), plus each
 * worker's own tracker and reassembly.
 */
#ifndef PKTSCOPE_MAIN_FLOW_THREADS_H
#define PKTSCOPE_MAIN_FLOW_THREADS_H

#include <stdbool.h>

#include "capture/source.h"
#include "main/options.h"

/* Whether this --conns run can share its connections among o->threads workers (above). */
bool flow_threads_fit(const struct options *o, struct source *src);

/* Runs --conns with o->threads workers on src (which it closes); returns the exit status as
 * batch_run() would. */
int flow_threads_run(const struct options *o, struct source *src);

#endif
