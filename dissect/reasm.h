/*
 * reasm: the state that lets dissection see across packets, as Wireshark's defaults do (IP
 * fragments put back together, TCP streams reassembled for the application above).
 *
 * The dissector itself stays a pure function of its inputs; this object is one of them. The
 * pipeline owns one `struct reasm`, tells it the number and time of each frame before
 * dissecting it (reasm_frame), and passes it in dissect_options. Without one (--no-reassembly,
 * or callers that dissect a single packet out of order) every frame is dissected on its own.
 *
 * When a frame completes a datagram or an application message, the reassembled bytes are
 * appended to a copy of the frame held here, so one offset space covers both: offsets below the
 * frame's caplen are the frame's bytes, offsets from caplen on are the reassembled bytes
 * (Wireshark's second "data source"). dissection.data then points here until the next frame.
 *
 * Bounded: pending datagrams and streams are capped in number and in bytes overall (the man
 * page gives the defaults); what is dropped for a cap, and datagrams that never complete, are
 * counted and named, never silently lost.
 */
#ifndef PKTSCOPE_DISSECT_REASM_H
#define PKTSCOPE_DISSECT_REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct reasm;
struct dissection;

struct reasm_limits {
    size_t max_bytes;        /* buffered bytes over every datagram and stream (default 64 MiB) */
    uint32_t max_datagrams;  /* IP datagrams being reassembled at once (default 4096) */
    uint32_t frag_timeout_s; /* an incomplete datagram is dropped after this (default 30 s) */
    uint32_t max_streams;    /* TCP directions holding a partial message (default 4096) */
    uint32_t max_pdu;        /* the longest application message reassembled (default 8 MiB) */
};

/* What happened, for --stats. */
struct reasm_stats {
    uint64_t datagrams_completed;
    uint64_t datagrams_timed_out; /* never completed: the timeout or the end of the capture */
    uint64_t datagrams_dropped;   /* a cap was reached */
    uint64_t fragments_overlapping;
    uint64_t pdus_reassembled; /* application messages built from more than one segment */
    uint64_t pdus_dropped;     /* longer than max_pdu, or a cap was reached */
    uint64_t stream_holes;     /* a gap in a stream cut a message short */
    /* segments that came past a gap within their message, held at their offset until the
     * bytes before them came (reasm_tcp.c, dir_hold) */
    uint64_t segments_out_of_order;
    /* TCP directions let go, their open messages dropped, to make room under max_bytes for a
     * message still growing: the ones longest without a segment first. */
    uint64_t streams_evicted_for_memory;
    size_t bytes_now, bytes_peak;
    /* --threads: of the datagram counts and of bytes_now, what the datagrams of shared frames
     * (reasm_share_frame) came to, which every worker reassembles alike: counted once. */
    struct {
        uint64_t completed, timed_out, dropped, overlapping;
        size_t bytes_now;
    } shared;
    /* The most bytes_now reached since this frame began (reasm_frame): --stats --threads adds
     * it to the other workers' bytes_now to find one thread's bytes_peak. */
    size_t bytes_frame_peak;
};

/* The defaults above. */
void reasm_default_limits(struct reasm_limits *lim);
struct reasm *reasm_new(const struct reasm_limits *lim); /* NULL only on allocation failure */
void reasm_free(struct reasm *r);
/* The frame about to be dissected: its number (from 1) and capture time. */
void reasm_frame(struct reasm *r, uint64_t number, int64_t ts_sec);
/*
 * Where a frame's reassembled bytes came from. A store that keeps dissections (the TUI's
 * dstore) can then keep where the bytes are in the capture instead of the bytes themselves: an
 * HTTP download of 4 MB is some 2,800 pieces of 16 bytes, not 4 MB more on disk. A piece is a
 * run of one earlier (or the same) frame's own captured bytes.
 */
struct reasm_piece {
    uint64_t frame;    /* the frame (numbered as reasm_frame was told) that carried them */
    uint32_t off, len; /* where they are in that frame's captured bytes */
};
/* Off by default (the batch outputs keep no dissections). On, the TCP reassembly notes the
 * pieces of each message it holds, within a budget of its own (max_bytes / 16 for every
 * message's list together), so that what is reassembled, and when, does not change. */
void reasm_keep_pieces(struct reasm *r, bool on);
/*
 * Off by default. On (-2's first pass and the TUI, which tell every segment of a message and
 * every fragment of a datagram where it was reassembled: tcp.reassembled_in, ip.reassembled_in),
 * the reassembly hands over the frames past the REASM_MAX_LISTED that the completing frame
 * lists as tcp.segment or ip.fragment (a 4 MB download has some 2,900 segments): the TCP
 * reassembly keeps them for each open message, up to REASM_MAX_MORE_FRAMES for every message
 * together (a datagram holds all its fragments anyway). What is reassembled, and when, does
 * not change.
 */
void reasm_keep_all_frames(struct reasm *r, bool on);
/* One of those frames, and what of it was reassembled. */
enum reasm_told_kind { REASM_TOLD_TCP, REASM_TOLD_IPV4, REASM_TOLD_IPV6 };
struct reasm_told {
    uint64_t frame;
    uint8_t kind; /* enum reasm_told_kind */
};
/* Those frames of the messages and datagrams the current frame completed, in order (the
 * current frame's own number among them when it carried one of those parts); 0 when none.
 * Valid until the next frame. */
size_t reasm_more_frames(const struct reasm *r, const struct reasm_told **told);
/* The pieces, in order, that make up the bytes the current frame's reassembly appended
 * (d->data[caplen, data_len) of its dissection). false when there are none, or when the
 * bytes are not all told by pieces: an IP datagram's payload (it is held, not the frames'
 * own bytes), a segment within one, a list past its budget, or pieces off. Valid until the
 * next frame. */
bool reasm_tail_pieces(const struct reasm *r, const struct reasm_piece **pieces, size_t *n);

/*
 * --threads: every worker reassembles every IP datagram, and only the one whose connection it
 * carries goes on with it. When a frame completes its first datagram, `owned` is asked (with
 * the datagram's addresses, 4 or 16 bytes, the protocol its header names and its payload)
 * before anything past IP is dissected; false: the frame is shown as a fragment held, and
 * reasm_frame_datagram() says REFUSED. A datagram completed inside that one goes on with it.
 * NULL (the default): every datagram goes on.
 */
typedef bool (*reasm_owned_fn)(void *ctx, size_t addr_len, const uint8_t *src, const uint8_t *dst,
                               uint8_t proto, const uint8_t *payload, size_t n);
void reasm_set_owner(struct reasm *r, reasm_owned_fn owned, void *ctx);
/* What became of a datagram the current frame completed. */
enum reasm_datagram { REASM_DATAGRAM_NONE, REASM_DATAGRAM_KEPT, REASM_DATAGRAM_REFUSED };
enum reasm_datagram reasm_frame_datagram(const struct reasm *r);
/* After reasm_frame(): the frame is every worker's (an IP fragment), so the datagram its first
 * fragment belongs to is reassembled by every worker (reasm_stats' `shared`); a datagram inside
 * it (a tunnel's), like every datagram of other frames, is this worker's own. */
void reasm_share_frame(struct reasm *r);

/*
 * What the TCP analysis calls a segment that would fill a gap in an open message, or be held
 * past one. Wireshark takes no retransmission into a message (RESENT: its bytes are shown as
 * the segment's payload only, and the message waits for bytes it may never get); it takes an
 * out-of-order segment, but when that one completes the message, the message is not handed to
 * the application (OUT_OF_ORDER: the frame shows the reassembly's fields and no more); a fast
 * retransmission, or new data, is taken as any segment is (NEW).
 */
enum reasm_segment { REASM_SEGMENT_NEW, REASM_SEGMENT_OUT_OF_ORDER, REASM_SEGMENT_RESENT };
/* The pipeline asks its tracker (tracker_segment_kind), which has seen every segment before this
 * one. NULL (the default): every segment is NEW. */
typedef enum reasm_segment (*reasm_segment_fn)(void *ctx, const struct dissection *d);
void reasm_set_segment_kind(struct reasm *r, reasm_segment_fn kind, void *ctx);

/* At the end of the capture: what is still pending counts as never completed. */
void reasm_finish(struct reasm *r);
const struct reasm_stats *reasm_stats(const struct reasm *r);

#endif
