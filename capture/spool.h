/*
 * spool: keeps a live capture's packets on disk instead of in memory, so the TUI can run for
 * hours in bounded memory and still scroll back to any packet.
 *
 * Every captured packet is appended to a capture file: the -w file when the user named one
 * (kept), otherwise a temporary pcapng file in $TMPDIR (or /tmp) that is unlinked as soon as it
 * is created, so it disappears on exit and even on a crash. The caller keeps only the record
 * offset of each packet (8 bytes) and reads the packet back with spool_read_at().
 *
 * Two ways to use it:
 *   - spool_source_new(): wraps a source (usually a live one). Its next() returns the inner
 *     source's packets with pkt->record_off set to their place in the spool, and its read_at()
 *     reads them back, so the UI handles a live capture exactly like a file with random access.
 *   - spool_open() / spool_append() / spool_read_at() directly.
 *
 * A temporary spool can be held under a disk limit (spool_set_limit(), the --spool-limit
 * option): the file is cut into eight chunks' worth of the limit, and when the kept bytes pass
 * the limit the oldest chunk's blocks are given back to the filesystem by punching a hole
 * (fallocate FALLOC_FL_PUNCH_HOLE). Record offsets stay valid numbers, so the caller's index is
 * untouched; reading a dropped record says it was dropped, and the dropped packets and bytes are
 * counted (spool_dropped()). A named -w file is the user's capture and is never cut.
 *
 * Invariants: a packet returned by spool_read_at() (or by the wrapper's read_at()) points into
 * the spool's own buffer and stays valid until the next read_at on the same spool. Appended
 * data is flushed before it is read back, so any offset spool_append() returned can be read.
 */
#ifndef PKTSCOPE_CAPTURE_SPOOL_H
#define PKTSCOPE_CAPTURE_SPOOL_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/source.h"
#include "capture/writer.h"

struct spool;

/*
 * path: the file to write and keep (format from its name, as -w), or NULL for an unlinked
 * temporary pcapng file. info: as for writer_open (link type, snaplen, interface name...).
 */
struct spool *spool_open(const char *path, const struct writer_info *info, char *errbuf);

/* Appends one packet; *record_off (if not NULL) receives where it starts. 0 or negative. */
int spool_append(struct spool *sp, const struct packet *pkt, uint64_t *record_off, char *errbuf);

/* Reads back the packet at record_off; pkt->number is set to `number`. SOURCE_PACKET or
 * SOURCE_ERROR (errbuf). */
int spool_read_at(struct spool *sp, uint64_t record_off, uint64_t number, struct packet *pkt,
                  char *errbuf);

/* Bytes in the spool file so far (dropped ones included: offsets keep counting). */
uint64_t spool_size(const struct spool *sp);

/*
 * Keeps a temporary spool's data under `max_bytes` of disk (at least SPOOL_MIN_LIMIT), oldest
 * dropped first. Fails with a message for a named file, or when the spool's filesystem cannot
 * punch holes (checked here, before any packet is lost). 0 or -1.
 */
#define SPOOL_MIN_LIMIT (8u * 1024u * 1024u)
int spool_set_limit(struct spool *sp, uint64_t max_bytes, char *errbuf);

/* What the limit has dropped so far: packets and bytes of records. */
void spool_dropped(const struct spool *sp, uint64_t *packets, uint64_t *bytes);

/* The limit set, 0 for none. */
uint64_t spool_limit(const struct spool *sp);

/* Disk the spool file takes now (its allocated blocks), for the tests and the soak. */
uint64_t spool_disk_bytes(const struct spool *sp);
/* Flushes, closes; the temporary file disappears, a named file is kept. Returns 0 or negative
 * when the final flush of a named file failed. */
int spool_close(struct spool *sp, char *errbuf);

/*
 * Wraps `inner` (ownership passes to the wrapper, also on failure) so that every packet it
 * returns is spooled. path/info as for spool_open(); info may be NULL to take the link type,
 * snaplen, precision and name from `inner`. The wrapper's name, linktype, snaplen, format and
 * nanosecond are the inner source's; fd() and stats() are forwarded. Returns NULL with errbuf.
 */
struct source *spool_source_new(struct source *inner, const char *path,
                                const struct writer_info *info, char *errbuf);

/* The spool behind a source made by spool_source_new(), or NULL. */
struct spool *spool_of_source(struct source *src);

/* The wrapped source (for live_source_filter() etc.), or NULL if src is not a spool source. */
struct source *spool_source_inner(struct source *src);

#endif
