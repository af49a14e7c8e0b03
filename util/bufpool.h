/*
 * bufpool: the reading buffers a file source hands over (file_source_hand_over) while other
 * threads still read frames in them. A buffer the source went on from is put in a list
 * (buf_list_add) that goes with the work holding its frames; once that work is done, the list's
 * buffers go back to the pool's spares (bufpool_keep), which the source takes again for its next
 * buffer (bufpool_take), so that reading does not fault in fresh pages all along the file. The
 * spares hold at most the pool's limit in bytes; the rest is freed.
 *
 * Not thread-safe: the callers (main/flow_threads.c, main/text_threads.c) lock around it where
 * two threads may reach the pool.
 */
#ifndef PKTSCOPE_UTIL_BUFPOOL_H
#define PKTSCOPE_UTIL_BUFPOOL_H

#include <stddef.h>
#include <stdint.h>

struct buf {
    uint8_t *p;
    size_t cap;
};

struct buf_list {
    struct buf *v;
    size_t n, cap;
    size_t bytes; /* the buffers' capacities added up */
};

/* Appends buffer p of cap bytes (the list owns it from here). */
void buf_list_add(struct buf_list *l, uint8_t *p, size_t cap);
/* Frees the buffers in l and its array. */
void buf_list_free(struct buf_list *l);

struct bufpool {
    struct buf_list spares;
    size_t limit; /* bytes of spares kept at most */
};

void bufpool_init(struct bufpool *bp, size_t limit);
/* A spare of at least *cap bytes (*cap set to its size), or a new buffer of *cap bytes. */
uint8_t *bufpool_take(struct bufpool *bp, size_t *cap);
/* l's buffers kept as spares while they fit in the limit, the others freed; l is left empty
 * (its array kept for reuse). */
void bufpool_keep(struct bufpool *bp, struct buf_list *l);
void bufpool_free(struct bufpool *bp);

#endif
