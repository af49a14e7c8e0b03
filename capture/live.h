/*
 * live: capturing from a network interface through libpcap, behind the same packet-source
 * interface as files (capture/source.h), plus the interface list for -D and the TUI's picker.
 *
 * The order a caller follows (tcpdump's, so that the least code runs with privileges):
 *   1. live_source_open()      as root or with cap_net_raw/cap_net_admin: opens the interface,
 *                              sets the BPF filter in the kernel, goes non-blocking;
 *   2. privs_drop()            (capture/privs.h): from here on the process is unprivileged;
 *   3. writer_open() / spool   (capture/writer.h, spool.h): files are created as that user;
 *   4. loop: poll(source fd), source_next() until SOURCE_AGAIN; stats() at the end.
 *
 * Invariants: the source never blocks: next() returns SOURCE_AGAIN when nothing is ready and the
 * caller polls src->ops->fd(src) (POLLIN; POLLERR/POLLHUP also mean "call next()"). Packets
 * are numbered from 1. Timestamps are in nanoseconds when the platform gives them
 * (src->nanosecond tells). When the interface goes down or disappears, next() first returns
 * every packet already in the kernel's buffer, then SOURCE_ERROR with a message that says so.
 */
#ifndef PKTSCOPE_CAPTURE_LIVE_H
#define PKTSCOPE_CAPTURE_LIVE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "capture/source.h"

/* Snapshot length when -s is not given (tcpdump's). */
#define LIVE_DEFAULT_SNAPLEN 262144u

struct live_options {
    const char *interface; /* required; "any" captures on all interfaces (Linux cooked) */
    const char *filter;    /* BPF expression compiled and set in the kernel, or NULL */
    uint32_t snaplen;      /* -s; 0 = LIVE_DEFAULT_SNAPLEN */
    uint32_t buffer_kib;   /* -B; 0 = libpcap's default (2 MiB) */
    bool promisc;          /* true unless -p */
    /*
     * Deliver each packet as soon as it arrives (pcap_set_immediate_mode): wanted when lines
     * stream to a terminal or a pipe. Without it libpcap batches packets for up to
     * `timeout_ms`, which costs far fewer wake-ups under load (tcpdump -w's way). On Linux,
     * immediate mode also hands out each ring block nearly empty, so the kernel's buffer holds
     * only milliseconds of a heavy load and any pause of the reader drops packets.
     */
    bool immediate;
    int timeout_ms; /* used when !immediate; 0 = 100 ms */
    /*
     * --workers: join the Linux PACKET_FANOUT group with this id in hash mode with
     * defragmentation (PACKET_FANOUT_HASH | PACKET_FANOUT_FLAG_DEFRAG), so that each socket of
     * the group gets whole flows, fragments included, as Zeek's AF_PACKET workers do.
     * libpcap 1.10 has no fanout call; the group is joined on pcap_fileno() after activation,
     * which works with its TPACKET_V3 ring since the fanout belongs to the socket.
     */
    bool fanout;
    uint16_t fanout_group;
};

/* The TUI redraws at most every 33 ms, so batching packets for 30 ms is invisible on screen and
 * keeps the kernel's ring full-sized (measured in bench/live_load.py: immediate mode dropped
 * over half of a 100k packets/s load in the TUI). */
#define LIVE_TUI_TIMEOUT_MS 30

/* The TUI's kernel buffer unless -B says otherwise: 8 MiB instead of libpcap's 2 MiB. The TUI
 * reads packets in the same thread that redraws the screen, and a redraw can stall on a slow
 * terminal; 8 MiB holds about a quarter of a second of 300k small packets a second, where
 * 2 MiB dropped some at 200k (bench/live_load.py). */
#define LIVE_TUI_BUFFER_KIB 8192u

/*
 * Opens and activates the interface. Returns NULL with errbuf set to a message that names the
 * interface, the cause and what to do; every failure is an open error (exit status 2). Lack of
 * permission gets the full explanation (run as root, or setcap cap_net_raw,cap_net_admin=eip on
 * the binary); live_open_failed_permission() tells the caller that was the cause.
 */
struct source *live_source_open(const struct live_options *opt, char *errbuf);

/* True when the last live_source_open() failed for lack of permission (for tests/messages). */
bool live_open_failed_permission(void);

/* A warning from pcap_activate (e.g. promiscuous mode not supported), or NULL. Stays valid until
 * the source is closed. The caller prints it. */
const char *live_source_warning(const struct source *src);

/* The BPF expression in use, or NULL (for the TUI's status line). */
const char *live_source_filter(const struct source *src);

/* True when src was made by live_source_open(). */
bool live_source_is_live(const struct source *src);

/* One interface as pcap_findalldevs reports it. */
struct live_iface {
    char *name;
    char *description; /* or NULL */
    char *addresses;   /* "10.0.0.1/24 fe80::1/64 02:00:00:00:00:01", or "" */
    bool up, running, loopback, wireless;
    const char *connection; /* "connected", "disconnected", "" (unknown / not applicable) */
};

/* Lists interfaces; *out is an array of *n entries to free with live_ifaces_free(). Returns 0 or
 * negative with errbuf set. */
int live_ifaces(struct live_iface **out, size_t *n, char *errbuf);
void live_ifaces_free(struct live_iface *list, size_t n);

/* -D: prints the numbered interface list with flags and addresses. 0, or negative + errbuf. */
int live_list_interfaces(FILE *out, char *errbuf);

#endif
