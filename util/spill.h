/*
 * spill: a store of fixed-size records numbered 0, 1, 2, ... in the order they are put, that
 * keeps only a few blocks of them in memory. Records go in blocks (of a size the store is made
 * with); a full block
 * is written to an unlinked temporary file (outfile_temporary) and its memory reused for the
 * next one; records are read back, a block at a time, through a cache of SPILL_CACHE blocks
 * (least recently used replaced), so reading in order costs one read a block. The file is page
 * cache, not the process's memory. If no temporary file can be made or written, blocks stay in
 * memory (spill_error() says why, once).
 *
 * Used by the TUI for each packet's track_info (ui/index.c) and for the connection summaries
 * the tracker lets go (ui/conns_store.c).
 */
#ifndef PKTSCOPE_UTIL_SPILL_H
#define PKTSCOPE_UTIL_SPILL_H

#include <stddef.h>
#include <stdint.h>

#define SPILL_CACHE 8u /* blocks read back and kept */

struct spill;

/* Records of rec_size bytes in blocks of block_recs; `what` names them in messages ("the
 * packets' tracking") and must outlive the store. */
struct spill *spill_new(size_t rec_size, size_t block_recs, const char *what);
void spill_free(struct spill *s);
/* Puts record k: k is the next number (one past the last put, or the first one after
 * spill_forget_below). */
void spill_put(struct spill *s, uint64_t k, const void *rec);
/* Copies record k into buf (rec_size bytes) and returns buf; zeroes it when record k was never
 * put, was let go, or cannot be read back. */
void *spill_get(struct spill *s, uint64_t k, void *buf);
/* How many records were put (the next k). */
uint64_t spill_count(const struct spill *s);
/* Lets the records below k go (their disk given back where the filesystem can). */
void spill_forget_below(struct spill *s, uint64_t k);
/* The first failure of the temporary file, or NULL. */
const char *spill_error(const struct spill *s);

#endif
