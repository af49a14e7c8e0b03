/*
 * --threads N for the per-packet text outputs (--print and its dumps, --json).
 *
 * The reading thread still reads, dissects, tracks and filters every packet in frame order, as
 * with one thread; it hands each packet to be shown over with copies of its dissection and
 * track_info (and of its bytes, unless they are read where a file's reader put them), 64 to a
 * batch. N threads (the reading one among them whenever its batches are all handed over) turn
 * batches into text, each prefetching a packet's parts while it formats the one before, and
 * the finished batches are written in frame order, each by a thread that finds it next and
 * nobody writing (mostly the one that formatted it). A packet's text depends on nothing else
 * (format/ keeps no state across packets; the Community ID cache is per thread), so the output
 * is byte for byte one thread's.
 *
 * Memory: 2N + 2 batches of 64 dissections (about 0.8 MB each) plus the bytes and text they
 * hold, and the file's reading buffers (256 KB each) until the batches that read them are
 * written.
 */
#ifndef PKTSCOPE_MAIN_TEXT_THREADS_H
#define PKTSCOPE_MAIN_TEXT_THREADS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "capture/source.h"
#include "dissect/dissect.h"
#include "format/format.h"
#include "track/track.h"

/* One packet as the formatter sees it: every pointer in it is into its batch. */
struct text_job {
    struct packet pkt;
    const struct dissection *d;
    struct track_info ti;
    int64_t ref_sec; /* the time shown is measured from this one (--time) */
    uint32_t ref_nsec;
};

/* A formatting thread's own buffers. */
struct text_scratch {
    struct lines lines;
};

/* Growing text: what one batch writes. */
struct text_out {
    char *buf;
    size_t len, cap;
};
void text_out_put(struct text_out *o, const char *p, size_t n);

/* Appends the text of one packet to `out`; runs on any of the threads at once. */
typedef void (*text_format_fn)(const void *cfg, const struct text_job *job, struct text_scratch *s,
                               struct text_out *out);

struct text_threads;

#define TEXT_THREADS_MAX 64 /* --threads' limit (its usage message says 64) */

/* `threads` >= 2 formatting threads in all, counting the caller's; the text goes to `out`. */
struct text_threads *text_threads_new(unsigned threads, text_format_fn fn, const void *cfg,
                                      FILE *out);
/* Formats each frame where `src` read it instead of a copy: src's reading buffers stay with the
 * batches that read them until those are written (file_source_hand_over). False, and frames are
 * copied, for a source that is not a file or a pipe. Before the first packet is read. */
bool text_threads_read_in_place(struct text_threads *tt, struct source *src);
/* Hands one packet over. False once writing has failed (text_threads_errno tells why): the
 * caller stops reading. */
bool text_threads_add(struct text_threads *tt, const struct packet *pkt, const struct dissection *d,
                      const struct track_info *ti, int64_t ref_sec, uint32_t ref_nsec);
/* Formats and writes everything handed over so far; false as text_threads_add. */
bool text_threads_flush(struct text_threads *tt);
int text_threads_errno(const struct text_threads *tt);
/* Stops and joins the threads (what was not flushed is not written). NULL is fine. */
void text_threads_free(struct text_threads *tt);

#endif
