/*
 * pipeline: one capture session, under the TUI and the batch outputs alike.
 *
 * Everything between "a packet source" and "what a consumer shows" lives here once: opening the
 * input (a file, standard input, a growing file, an interface) and giving up privileges once the
 * input and output are open; the BPF filter for sources whose kernel did not apply it; the
 * display filter (-Y); writing -w; IP/TCP reassembly, dissection and tracking; the replay clock;
 * the kernel's counters at the end. The batch outputs (main/batch.c) and the TUI (ui/) are two
 * consumers: each reads packets with pipeline_read(), processes them with pipeline_process(),
 * and renders the result its own way.
 *
 * Why read and process are two steps: a consumer that paces packets (--replay, --step) holds a
 * packet between them, the batch loop by sleeping, the TUI by returning to its poll() loop.
 *
 * Ownership: the pipeline owns its source (closed by pipeline_free), tracker, reassembler and
 * dissection. What pipeline_process() hands back is valid until the next call.
 */
#ifndef PKTSCOPE_PIPELINE_PIPELINE_H
#define PKTSCOPE_PIPELINE_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "capture/rotate.h"
#include "capture/source.h"
#include "dissect/dissect.h"
#include "filter/filter.h"
#include "track/track.h"

/* ---- opening the input ------------------------------------------------------------------ */

struct pipeline_input {
    const char *read_file; /* -r FILE ("-": standard input), or NULL */
    bool follow;           /* --follow: the file grows */
    const char *interface; /* -i IFACE, or NULL */
    const char *filter;    /* BPF: set in the kernel for a live capture */
    uint32_t snaplen;      /* 0: libpcap's default */
    uint32_t buffer_kib;   /* 0: libpcap's default */
    bool promisc;
    bool immediate;   /* deliver each live packet at once */
    int timeout_ms;   /* live: how long libpcap may batch packets */
    const char *user; /* -Z: who a live capture runs as once the interface is open */
    bool fanout;      /* --workers: join PACKET_FANOUT group fanout_group (live.h) */
    uint16_t fanout_group;
    /* Where a live capture's warning goes (libpcap's, e.g. no promiscuous mode); NULL: stderr.
     * The TUI shows it on screen. */
    void (*warn)(void *ctx, const char *text);
    void *warn_ctx;
};

/*
 * Opens the input: a capture file, standard input, a file still being written (--follow: waits
 * for its header), or an interface. A live capture's warning goes to in->warn, and privileges
 * are given up (-Z USER, nobody when root) before any packet is read. Returns NULL with errbuf
 * set (PS_ERRBUF_SIZE) on failure; *privs_failed (may be NULL) then says whether it was the
 * privileges that could not be given up: the process must not go on.
 */
struct source *pipeline_open_input(const struct pipeline_input *in, char *errbuf,
                                   bool *privs_failed);

/*
 * The TUI re-reads packets by record offset: a live capture, a stream that cannot be re-read
 * (-r - from a pipe) and any input with -w are spooled to disk, to write_file when there is
 * one, else to an unlinked temporary (capture/spool.h); other sources come back as they are.
 * Call it after the privileges are given up, so that the file belongs to that user. NULL with
 * errbuf set on failure (src is closed then).
 *
 * spool_limit: the temporary spool's disk limit in bytes (--spool-limit; 0: none). When the
 * user asked for it (limit_given), a limit that cannot be kept is an error; the default limit
 * is dropped instead, and why is written to `notice` (empty when all is well) for the caller to
 * show.
 */
#define PIPELINE_SPOOL_LIMIT_DEFAULT (2ull << 30) /* 2 GiB: about 20 minutes of a busy LAN */
struct source *pipeline_rereadable(struct source *src, const char *write_file, uint64_t spool_limit,
                                   bool limit_given, char *notice, char *errbuf);

/* ---- the session ------------------------------------------------------------------------ */

struct pipeline_config {
    const char *filter;           /* BPF, applied per packet unless the kernel did (live) */
    const char *display_filter;   /* -Y, or NULL */
    const char *write_file;       /* -w FILE ("-": standard output), or NULL */
    bool packet_buffered;         /* -U: flush -w after each packet */
    struct rotate_options rotate; /* -C, -G, -W: -w split into files (capture/rotate.h) */
    /* Give up root once the input and -w are open: a file is as much a stranger's bytes as an
     * interface (a live source already gave it up when it opened). */
    bool drop_privileges;
    const char *user; /* -Z USER for that, NULL: nobody when root */
    bool verify_checksums;
    bool reassembly; /* IP defragmenting and TCP reassembly (Wireshark's default) */
    /* Fill pipeline_result.fp for every packet (-T fields, colouring rules); with -Y it is
     * filled anyway. */
    bool filter_view;
    /* The consumer reads no detail field (dis_field_is_detail): the frames are dissected lean
     * (dissect_options.lean) unless the display filter or filter_view needs them. */
    bool no_detail_fields;
    /* With no_detail_fields: nor any header's field but the IP lengths; the frames are also
     * dissected headerless (dissect_options.headerless), keeping the fields a display filter
     * names, unless filter_view. */
    bool no_header_fields;
    struct tracker_config tracker;
    /* Reassembly's caps; NULL: reasm_default_limits(). */
    const struct reasm_limits *reasm_limits;
    /* What later frames told of earlier ones (-2's first pass, the TUI): where fragments and
     * segments were reassembled, where requests were answered; added to each frame's
     * dissection; not owned, may be NULL. */
    const struct later_facts *later_facts;
    /* --shard I/N: only the packets of shard shard_index of shard_count go on past dissection
     * (pipeline_shard_of); shard_count 0: all. */
    uint32_t shard_index, shard_count;
};

struct pipeline;

/* The frame's arrival time into dissect options, for each frame dissected with them: every
 * caller that dissects a packet of a capture (the pipeline, the TUI's own dissections) does,
 * so that what depends on the time (an ICMP echo's timestamp) reads alike everywhere. A pcapng
 * Simple Packet Block has none. */
static inline void dissect_options_at(struct dissect_options *o, const struct packet *pkt)
{
    o->has_time = !pkt->ts_missing;
    o->ts_sec = pkt->ts_sec;
    o->ts_nsec = pkt->ts_nsec;
}
struct later_facts;

/*
 * --shard: the shard (0 to count - 1) of a dissected packet. The hash, fixed so that runs on
 * other machines agree: 64-bit FNV-1a over the address pair sorted as bytes (the lower one
 * first) -- the IP source and destination (4 or 16 bytes each) for an IP packet, fragments
 * included, else the Ethernet source and destination (6 each: ARP and other frames without IP),
 * else nothing -- then MurmurHash3's fmix64 finalizer, then modulo count. Both directions, all
 * ports and every fragment of a host pair meet in one shard; a frame with neither IP nor Ethernet
 * addresses is shard 0.
 */
#define PIPELINE_MAX_SHARDS 1024u
uint32_t pipeline_shard_of(const struct dissection *d, uint32_t count);

/*
 * --threads: the worker (0 to count - 1) of a frame not yet dissected, from its own headers:
 * the same hash of the IP address pair as pipeline_shard_of, the IPv4 or IPv6 header found
 * behind Ethernet (up to two VLAN tags), Linux cooked (SLL, SLL2), BSD loopback or raw IP; for
 * ARP over Ethernet the sender's and target's IPv4 addresses, so that a request and its reply
 * meet; anything else is 0. Both directions, every port and every fragment of a host pair
 * meet in one worker. Reads only within caplen.
 */
uint32_t pipeline_frame_shard(const struct packet *pkt, uint32_t count);

/*
 * --threads --conns/--stats: the worker of a frame not yet dissected. A TCP segment goes by its
 * connection (the address pair and both ports, either way round), so that a capture between
 * two hosts is shared too; anything else by its address pair as pipeline_frame_shard. An IP
 * fragment, when `reassembly` holds it, is PIPELINE_EVERY_WORKER: every worker reassembles
 * every datagram (a later fragment has no ports to say whose it is), and the worker of the
 * datagram's connection goes on with the frame that completes it (pipeline_set_worker). Without
 * reassembly a first fragment shows its transport and goes by it, a later one by its pair.
 * IPv6 extension headers (after IPv4 too) are walked as the dissector walks them.
 */
#define PIPELINE_EVERY_WORKER UINT32_MAX
uint32_t pipeline_frame_worker(const struct packet *pkt, uint32_t count, bool reassembly);
/* The worker of a reassembled datagram: addresses of addr_len bytes, the protocol its header
 * names and its payload, as pipeline_frame_worker would place its unfragmented self. */
uint32_t pipeline_datagram_worker(size_t addr_len, const uint8_t *src, const uint8_t *dst,
                                  uint8_t proto, const uint8_t *payload, size_t n, uint32_t count);

/* tshark's -2: reads the capture once from `src` (a second opening of the file, which it
 * closes), as `cfg` would (its read filter, reassembly and tracker; no -w, no display filter), to
 * learn where each fragment and segment was reassembled and where each request was answered
 * (pipeline/later_facts.h). Open src before the session gives up root
 * (pipeline_new): this pass must not dissect as root either. NULL with errbuf set when the
 * pass cannot start (a read filter that does not compile). */
struct later_facts *pipeline_learn_later_facts(struct source *src,
                                               const struct pipeline_config *cfg, char *errbuf);
/* Sets what later frames told of earlier ones (not owned; NULL: none). */
void pipeline_set_later_facts(struct pipeline *p, const struct later_facts *m);

/*
 * Sets up a session over src (which it owns from here, also on failure; NULL: a source comes
 * later through pipeline_set_source, as the TUI's interface picker does). Returns NULL with
 * errbuf (PS_ERRBUF_SIZE) set when a filter does not compile, -w cannot be created or the
 * privileges cannot be dropped: usage errors.
 */
struct pipeline *pipeline_new(struct source *src, const struct pipeline_config *cfg, char *errbuf);
void pipeline_free(struct pipeline *p);

/* Replaces the source (the TUI's picker started a capture); the old one, if any, is closed. */
void pipeline_set_source(struct pipeline *p, struct source *src);
struct source *pipeline_source(const struct pipeline *p);
struct tracker *pipeline_tracker(const struct pipeline *p);
struct reasm *pipeline_reasm(const struct pipeline *p); /* NULL without reassembly */
bool pipeline_has_display_filter(const struct pipeline *p);
/* The capture's first frame's time and the time of the frame read before the next one
 * pipeline_process() is given (frame.time_relative, frame.time_delta): for a --threads worker,
 * which is given only some of the frames. */
void pipeline_set_times(struct pipeline *p, int64_t first_sec, uint32_t first_nsec,
                        int64_t prev_sec, uint32_t prev_nsec);

/*
 * The next packet that passes the BPF filter. Returns enum source_status (SOURCE_ERROR with
 * errbuf set on damage; the source then has no more packets).
 */
int pipeline_read(struct pipeline *p, struct packet *pkt, char *errbuf);

struct pipeline_result {
    const struct dissection *d; /* valid until the next pipeline_process() */
    struct track_info ti;
    bool shown; /* passed the display filter (always, without one) */
    /* The packet as the display filter saw it (d, ti, the first and the previous packet read
     * for frame.time_relative and frame.time_delta): for a consumer that reads fields the
     * same way (-T fields). Valid as long as pkt and res are; only with -Y or filter_view
     * (has_fp). */
    struct filter_packet fp;
    bool has_fp;
    /* --shard: the packet belongs to another shard. Nothing else was done with it (not
     * tracked, not written, not filtered): the consumer skips it as if it were not read. */
    bool other_shard;
};

/*
 * Processes a packet pipeline_read() returned: written to -w (every packet, or with -Y those
 * that match, as tshark -Y -w), reassembled, dissected, tracked and matched against the display
 * filter. Returns 0, or -1 when -w failed (errbuf says why; the output is unusable), or
 * ROTOR_DONE when -G with -W has written its COUNT files: the capture is over, and this packet
 * was not written (as tcpdump, which exits then); with -Y it was processed already, so the
 * caller must not show it either.
 */
int pipeline_process(struct pipeline *p, const struct packet *pkt, struct pipeline_result *res,
                     char *errbuf);
/* --threads: this pipeline is worker `index` of `count`: its reassembly goes on only with the
 * datagrams whose connection is its own (pipeline_datagram_worker). */
void pipeline_set_worker(struct pipeline *p, uint32_t index, uint32_t count);
/* A frame pipeline_frame_worker() gave to every worker: dissected (its fragment held or its
 * datagram completed) and processed on only when it is this worker's -- the completed
 * datagram's connection, else the frame's address pair -- and res->other_shard otherwise, as
 * with --shard (nothing counted, tracked or matched). */
int pipeline_process_shared(struct pipeline *p, const struct packet *pkt,
                            struct pipeline_result *res, char *errbuf);

/* -w: flush what is buffered (a live capture with nothing new for now); -1 on failure. */
int pipeline_flush(struct pipeline *p, char *errbuf);
/* Closes -w; -1 on failure (errbuf). Says on stderr how many packets the file format could not
 * hold, and returns 1 then (the file is incomplete). */
int pipeline_close_output(struct pipeline *p, char *errbuf);

/* A live source's counters in tcpdump's words, on out; nothing for a file. */
void pipeline_print_kernel_stats(const struct pipeline *p, FILE *out);

/* ---- the replay clock (--replay, the TUI's --step) --------------------------------------- */

struct replay_clock {
    double speed; /* 2: twice as fast */
    bool started;
    int64_t wall0_ms; /* monotonic time the first packet was let through */
    int64_t ts0_ms;   /* that packet's timestamp */
};

void replay_clock_init(struct replay_clock *rc, double speed);
/* After a pause: the next packet anchors the clock again. */
static inline void replay_clock_restart(struct replay_clock *rc)
{
    rc->started = false;
}
/*
 * Milliseconds until a packet stamped (ts_sec, ts_nsec) is due, by the monotonic clock now_ms;
 * 0: now. The first packet anchors the clock. Hours of silence would stall a demo, so no packet
 * waits more than 10 s after the previous one (later packets keep their spacing). Timestamps
 * may be anything: the arithmetic saturates.
 */
int64_t replay_clock_wait_ms(struct replay_clock *rc, int64_t ts_sec, uint32_t ts_nsec,
                             int64_t now_ms);
int64_t pipeline_now_ms(void); /* CLOCK_MONOTONIC in milliseconds */

#endif
