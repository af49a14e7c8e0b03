/*
 * writer: our own pcap and pcapng writers (-w FILE, and the TUI's spool).
 *
 * The format follows the file name: a name ending in ".pcapng" gets pcapng (one Section Header
 * Block naming pktscope and carrying a capture comment, one Interface Description Block per
 * (interface, link type) pair with if_name, if_filter and if_tsresol = 9, then Enhanced Packet
 * Blocks with nanosecond timestamps and the packet's comment); any other name gets classic pcap
 * (nanosecond magic 0xa1b23c4d when the timestamps are nanoseconds, else microsecond 0xa1b2c3d4).
 * Both are written in host byte order, as libpcap does.
 *
 * Invariants: a classic pcap file holds one link type, so a packet of another link type is an
 * error that tells the user to write .pcapng. After writer_write(), writer_last_offset() is where
 * that packet's record starts (a pcapng Interface Description Block written for a packet's new
 * interface goes before it), so a reader can seek back to it. Buffered; with
 * `flush_each` every packet is flushed to the kernel at once (a reader following the file, e.g.
 * `pktscope --follow`, sees whole records), otherwise on writer_flush() and writer_close().
 */
#ifndef PKTSCOPE_CAPTURE_WRITER_H
#define PKTSCOPE_CAPTURE_WRITER_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/source.h"

enum writer_format { WRITER_PCAP, WRITER_PCAPNG };

struct writer_info {
    uint32_t linktype;          /* of the first packets (classic pcap's only link type) */
    uint32_t snaplen;           /* 0 = CAPTURE_MAX_PACKET */
    bool nanosecond;            /* classic pcap: write the nanosecond magic */
    const char *if_name;        /* pcapng if_name of the capture interface, or NULL */
    const char *if_description; /* or NULL */
    const char *filter;         /* pcapng if_filter (the BPF expression), or NULL */
    const char *comment;        /* pcapng SHB comment; NULL = a default naming the tool */
    bool flush_each;            /* flush after every packet */
    /* Optional: names for pcapng interfaces of a multi-interface input (file sources). */
    const struct interface_info *(*iface_lookup)(void *ctx, uint32_t ifindex);
    void *iface_ctx;
};

struct writer;

/* The format a path selects: WRITER_PCAPNG when it ends in ".pcapng" (any case). */
enum writer_format writer_format_for(const char *path);

/*
 * Creates (truncates) `path` with mode 0644 minus umask, as the current user, and writes the
 * file header. "-" writes to standard output. NULL with errbuf naming the file, the cause and
 * what to do.
 */
struct writer *writer_open(const char *path, const struct writer_info *info, char *errbuf);
/* Same in a format chosen by the caller (a rotated name "x.pcapng1" keeps its pattern's). */
struct writer *writer_open_as(const char *path, enum writer_format fmt,
                              const struct writer_info *info, char *errbuf);

/* Same, on a descriptor the writer then owns (the spool's temporary file). */
struct writer *writer_open_fd(int fd, const char *name, enum writer_format fmt,
                              const struct writer_info *info, char *errbuf);

/*
 * Appends one packet. 0; WRITER_SKIPPED with errbuf when this file cannot hold the packet (a pcap
 * file has one link type; a pcapng file at most WRITER_MAX_IFACES interfaces): nothing was
 * written, the file is intact and later packets may still go in, so a caller keeps reading and
 * counts what it could not write; or -1 with errbuf when a write failed (disk full): the file
 * is damaged and every later call fails.
 */
#define WRITER_SKIPPED (-2)
#define WRITER_MAX_IFACES 4096u
int writer_write(struct writer *w, const struct packet *pkt, char *errbuf);
int writer_flush(struct writer *w, char *errbuf);

/* Bytes written so far, buffered or not (a new interface's IDB may still precede the next
 * packet's record, so this is not where it will start: see writer_last_offset()). */
uint64_t writer_offset(const struct writer *w);
/* Where the record of the packet last written by writer_write() starts. */
uint64_t writer_last_offset(const struct writer *w);
/* Bytes that have reached the kernel (everything before this offset can be read back). */
uint64_t writer_flushed_offset(const struct writer *w);
enum writer_format writer_get_format(const struct writer *w);
/* pcapng: the (ifindex, link type) behind interface id `id`; classic pcap: id 0 is the file's
 * link type. 0, or -1 when no such interface has been written. */
int writer_iface_at(const struct writer *w, uint32_t id, uint32_t *ifindex, uint32_t *linktype);
bool writer_nanosecond(const struct writer *w);
uint64_t writer_packets(const struct writer *w);

/* Flushes and closes. Returns 0, or negative with errbuf when the final write failed. w is freed
 * either way. */
int writer_close(struct writer *w, char *errbuf);

#endif
