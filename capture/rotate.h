/*
 * rotate: -w split into files by size and time, as tcpdump's -C, -G and -W do, so that a
 * capture that runs for months hands finished files to a loader and never fills its disk.
 *
 * Names follow tcpdump(8) exactly: with -C the files are NAME, NAME1, NAME2, ...; with -W COUNT
 * as well the numbers ring over COUNT files, zero-padded to the digits of COUNT-1 (NAME0..NAME9
 * for -W 10); with -G the name is first passed through strftime(3) (local time, so TZ applies)
 * and -C numbers, if any, follow it; with -G and -W but no -C, writing stops after COUNT files.
 * The format (pcap or pcapng) follows the name as given, before any number is appended.
 *
 * Which clock -G reads: the packets' own timestamps. For a live capture they are the wall clock
 * as tcpdump reads it; for -r it is the capture's time, so a day's file splits into the hours it
 * was captured in (tcpdump 4.99 reads the wall clock even with -r, so it splits a file by how
 * long it took to read it). As in tcpdump, a file is closed on the first packet past its
 * interval, not on the boundary itself, and -C is checked before each packet, so a file may end
 * up to one packet larger than the limit.
 *
 * Invariants: every file is closed whole, with its own pcap or pcapng header, before the next is
 * created; files are created through writer_open (outfile_create: no symbolic link followed, no
 * file of another owner overwritten; an own file from an earlier ring lap is reused).
 */
#ifndef PKTSCOPE_CAPTURE_ROTATE_H
#define PKTSCOPE_CAPTURE_ROTATE_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/writer.h"

struct rotate_options {
    uint64_t max_bytes; /* -C (already in bytes); 0: no size limit */
    uint32_t seconds;   /* -G; 0: no time limit */
    uint32_t count;     /* -W; 0: no file limit */
};

static inline bool rotate_enabled(const struct rotate_options *ro)
{
    return ro && (ro->max_bytes || ro->seconds || ro->count);
}

struct rotor;

/*
 * Opens the first file now unless -G names it by the first packet's time (then it is created
 * with the first packet, or at rotor_close() when no packet came). info's strings are copied.
 * NULL with errbuf set.
 */
struct rotor *rotor_open(const char *pattern, const struct rotate_options *ro,
                         const struct writer_info *info, char *errbuf);

/* rotor_write's "the -W file limit is reached": nothing written; stop capturing. */
#define ROTOR_DONE 1
/* As writer_write (0, WRITER_SKIPPED, -1), or ROTOR_DONE. */
int rotor_write(struct rotor *r, const struct packet *pkt, char *errbuf);
int rotor_flush(struct rotor *r, char *errbuf);
/* Closes the current file (creating it first if no packet came); r is freed. 0, or -1. */
int rotor_close(struct rotor *r, char *errbuf);

/*
 * The name of file number `n` (tcpdump's MakeFilename): pattern through strftime at `t` when
 * seconds is set, then n zero-padded to `width` digits unless both are 0. 0, or -1 with errbuf
 * when the name is too long.
 */
int rotate_name(char *out, size_t size, const char *pattern, bool use_time, int64_t t, unsigned n,
                int width, char *errbuf);

/* -C's argument: millions of bytes as tcpdump, or with a k, m or g suffix KiB, MiB or GiB (as
 * later tcpdump releases read it). 0, or -1 for anything else (0, a sign, overflow). */
int rotate_parse_size(const char *s, uint64_t *bytes);

/* The digits tcpdump pads -W numbers to: those of COUNT-1 (0 for COUNT 1). */
int rotate_width(uint32_t count);

/*
 * A worker's name for a file (--workers): ".wN" goes before the extension, so that x.pcap
 * becomes x.w0.pcap and keeps its format; a name without extension gets it at the end.
 */
void rotate_worker_name(char *out, size_t size, const char *name, unsigned worker);

#endif
