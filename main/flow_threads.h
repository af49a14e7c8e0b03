/*
 * --conns, --stats and --print's lines (without a dump) with --threads N on a file: the
 * connections shared among N workers, as Zeek's and Suricata's workers share a link's flows.
 *
 * Each worker reads the file itself (or, from a pipe or when one worker would have nearly every
 * frame, the calling thread reads it and hands the packets over in blocks). Each frame goes to
 * one worker (pipeline_frame_worker): a TCP segment by its connection, so that a capture
 * between two hosts is shared too, anything else by its address pair; that worker dissects,
 * reassembles, tracks and counts it as one thread would. An IP fragment goes to every worker,
 * as Suricata reassembles before it shares out: each reassembles every such datagram alike
 * (their counts and bytes are taken once: reasm_share_frame), and only the worker of the
 * completed datagram's connection goes on with it (pipeline_set_worker), the frames that
 * complete nothing staying with their pair's worker. Fragments inside a tunnel come in frames
 * of the tunnel's pair, and that worker alone reassembles them. FTP's data connections, often
 * another worker's than the control connection that announced them, are matched with the
 * announcements by the merger in frame order (track.h, struct announcement). Every worker also
 * hears every other frame's time (tracker_expire, reasm_frame), so a flow or a datagram times out
 * at the frame it would with one thread (tracker_config.expire_all). What a worker does at a frame
 * -- a row due, a stream number taken, a protocol-hierarchy node or link type first seen,
 * reassembly memory taken or let go -- is handed back with the frame; the calling thread puts
 * those in the order one thread would have made them (per frame: memory other workers let go,
 * timeouts by idle list and last packet, new stream numbers, nodes and link types, the rest in
 * the worker's order, the frame's own memory), numbers the streams and orders the nodes by
 * their first frame across all workers, finds one thread's reassembly peak, and writes the
 * rows or, at the end, the counts added up. --print's workers format the lines of their frames
 * (print_text.h) and the calling thread writes them in frame order; the summary of a segment of
 * undecoded payload, the one line that reads another connection (an FTP data connection's
 * announcement), is formatted for each answer and the merger takes the one one tracker gives.
 * The output, every form of --conns, --stats and --print's lines, is
 * one thread's byte for byte (tests/scripts/threads.sh compares them on every test capture)
 * as long as no cap is reached: each worker holds 1/N of one thread's flow table, summaries
 * and stream numbers kept, and reassembly memory (at least twice the longest message), so that
 * N threads hold no more than one, and has pairing tables of its own (4096 waiting requests
 * each); a capture that fills a cap, or a worker's share of one, may end other connections,
 * let go of other messages or evict fewer requests than one thread.
 *
 * -Y is matched in the workers, given the whole capture's first and previous frame times
 * (pipeline_set_times), unless it names a stream number (a worker does not know the one one
 * tracker gives when it matches) or a DHCP exchange (whose messages are of different address
 * pairs); with --conns=zeek it stays on one thread (#open depends on every summary when the
 * first matching row is written).
 *
 * Not shared (one thread runs them as before): those -Y, -w, --conns-log, --shard, -2, -c,
 * --replay, --max-flows (one table of that many), --stats with colours, live capture and a file
 * still being written; --print with a dump (the formatting threads' work: text_threads.h), -V,
 * --columns, colours or -z tables, where someone waits for each line (a terminal, -l), and
 * with --time=delta and -Y (the time since the frame shown before, which no worker knows).
 *
 * The frames are not copied: the file source hands over its reading buffers
 * (file_source_hand_over), which come back for reuse once every worker is done with the
 * frames in them. Memory: FLOW_BLOCKS blocks of up to FLOW_BLOCK_PACKETS frames in flight,
 * and the reading buffers that hold them (about 4 MB for 1 MB of frames a block), plus each
 * worker's own tracker and reassembly.
 */
#ifndef PKTSCOPE_MAIN_FLOW_THREADS_H
#define PKTSCOPE_MAIN_FLOW_THREADS_H

#include <stdbool.h>

#include "capture/source.h"
#include "main/options.h"

/* Whether this --conns, --stats or --print run can share its connections among o->threads
 * workers. */
bool flow_threads_fit(const struct options *o, struct source *src);

/* Runs --conns, --stats or --print with o->threads workers on src (which it closes); returns the
 * exit status as batch_run() would. */
int flow_threads_run(const struct options *o, struct source *src);

#endif
