/*
 * dstore: dissections kept whole, for the frames that cannot be dissected again on their own.
 *
 * With reassembly on (Wireshark's default), what a frame reads as depends on the frames before
 * it: the segment that completes an HTTP response carries the whole response, the fragments of
 * a datagram are held. A view that dissects frames again when it shows them (the TUI keeps only
 * an index of record offsets) cannot recompute that without replaying the capture. The frames
 * reassembly changed are flagged (DIS_REASSEMBLED, dissect.h) and only those are kept here, as
 * the pipeline produced them; every other frame reads the same dissected again on its own
 * (checked by tests/tools/check_alone.c and the fuzz harnesses).
 *
 * The dissections go to an unlinked temporary file in $TMPDIR (or /tmp), written once (a
 * megabyte at a time), read back by the handle dstore_put() returned: memory stays a few bytes
 * per kept frame (the caller's handle) and the write buffer. The file is capped (max_bytes); past
 * the cap, or on a write error, dstore_put() returns 0 and counts the frame as not kept, and the
 * caller shows that frame as dissected on its own, saying so.
 *
 * The bytes past the frame (a reassembled message) are most of what would be written: as much
 * as the capture's TCP payload (700 MB for the 1 GB benchmark capture, a quarter of the TUI's
 * indexing time in pwrite). Given a way to read frames again (dstore_set_frames) and a
 * reassembler that notes where bytes came from (reasm_keep_pieces), a record keeps those
 * pieces of earlier frames instead, with a hash of the bytes they make: read back, the bytes
 * are put together from the frames again, and refused if they no longer make the same.
 */
#ifndef PKTSCOPE_PIPELINE_DSTORE_H
#define PKTSCOPE_PIPELINE_DSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dissect/dissect.h"

struct dstore;

/* A buffer that holds a read-back dissection's bytes (its data points into it). */
struct dstore_buf {
    uint8_t *p;
    size_t cap;
};

#define DSTORE_DEFAULT_MAX_BYTES ((uint64_t)1 << 30)

/* Frame `frame`'s captured bytes (valid until the next call), or false with errbuf set. It must
 * not disturb the packet the caller of dstore_get() is reading (a reader of its own). */
typedef bool (*dstore_frame_fn)(void *ctx, uint64_t frame, const uint8_t **data, uint32_t *caplen,
                                char *errbuf);

/* NULL with errbuf (PS_ERRBUF_SIZE) set when no temporary file can be made. */
struct dstore *dstore_new(uint64_t max_bytes, char *errbuf);
void dstore_free(struct dstore *s);
/* From now on, reassembled bytes whose pieces the dissection's reassembler tells
 * (reasm_tail_pieces) are kept as those pieces, read back through fn. */
void dstore_set_frames(struct dstore *s, dstore_frame_fn fn, void *ctx);

/* Keeps d (its layers, fields, anomalies, summary, text and the bytes of data past the frame's,
 * data[caplen, data_len)); returns a handle (never 0), or 0 when it was not kept. */
uint64_t dstore_put(struct dstore *s, const struct dissection *d);

/* Reads the dissection `handle` back into d, its bytes into buf: the frame's own bytes (frame,
 * frame_caplen: the packet as read from the capture again) then the kept ones past them;
 * d->reasm is NULL. false when it cannot be read or the frame is not the one kept (errbuf
 * set). */
bool dstore_get(struct dstore *s, uint64_t handle, const uint8_t *frame, uint32_t frame_caplen,
                struct dissection *d, struct dstore_buf *buf, char *errbuf);
/* Whether a reader of d (its layers and fields read back) will look at its bytes from offset
 * `from` on. */
typedef bool (*dstore_wants_fn)(const void *ctx, const struct dissection *d, uint32_t from);
/* dstore_get for a reader that may not need the bytes past the frame's: when they are kept as
 * pieces of other frames and wants(ctx, d, caplen) says no, they are not read back from those
 * frames, and d->data_len is the frame's caplen (a field past it reads as not captured:
 * dis_field_bytes). Why: a display filter over an indexed capture read every reassembled
 * message back from the file, though most filters look only at the frames' own bytes. */
bool dstore_get_for(struct dstore *s, uint64_t handle, const uint8_t *frame, uint32_t frame_caplen,
                    struct dissection *d, struct dstore_buf *buf, dstore_wants_fn wants,
                    const void *ctx, char *errbuf);

void dstore_buf_free(struct dstore_buf *buf);

struct dstore_stats {
    uint64_t kept, not_kept, bytes;
    uint64_t by_pieces;     /* of those kept, kept with their reassembled bytes as pieces */
    uint64_t open_segments; /* of those kept, kept as the segment of an open message */
};
const struct dstore_stats *dstore_stats(const struct dstore *s);

#endif
