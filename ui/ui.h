/*
 * ui: the ncurses terminal interface, the only code that includes curses.
 *
 * ui_run() takes a packet source (a file, standard input, or a live capture spooled to disk so
 * that it has read_at) and runs the interactive views until the user quits. Packets are read
 * from the source in bounded batches inside the UI's poll() loop, so packets that arrive while
 * the UI runs (a live capture, a file that grows with --follow) simply appear.
 */
#ifndef PKTSCOPE_UI_UI_H
#define PKTSCOPE_UI_UI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "capture/source.h"
#include "util/config.h"

struct ui_args {
    struct source *src;         /* owned by the UI from here on (closed on exit); NULL: picker */
    const char *filter;         /* BPF: the list's first display filter for a file (with -Y, a read
                                 * filter); the kernel's for a live capture; or NULL */
    const char *display_filter; /* -Y: the list's first display filter, or NULL */
    bool step;                  /* start paused */
    double replay_speed;        /* 0: as fast as possible */
    double pace_sec;            /* --pace: one packet every this many seconds; 0: none */
    uint32_t max_flows;
    size_t max_packets; /* --max-packets: a live capture lists the newest this many;
                         * 0: UI_DEFAULT_MAX_PACKETS, SIZE_MAX: no limit */
    bool no_checksums;  /* --no-checksums */
    bool no_reassembly; /* --no-reassembly: every packet dissected on its own */
    /* --subnet: the local subnets for the layer view's subnet test (text checked by main) */
    const char *const *subnets;
    size_t nsubnets;
    int time_format; /* enum fmt_time of the time column (--time), 0 relative */
    bool follow;     /* --follow: the file grows; show the newest packets as they come */
    bool no_color;   /* --color=never */
    /* --color-scheme: "default" or "high-contrast"; NULL: the settings file's, else default */
    const char *color_scheme;
    /* For a capture started from the interface picker (src NULL): -Z, -s, -B, -p and -w. */
    const char *user;
    uint32_t snaplen;       /* 0: libpcap's default */
    uint32_t buffer_kib;    /* 0: LIVE_TUI_BUFFER_KIB */
    bool no_promisc;        /* -p */
    const char *write_file; /* spool into this file (kept), else an unlinked temporary */
    uint64_t spool_limit;   /* --spool-limit for the temporary spool (bytes, 0: none) */
    bool spool_limit_given; /* ... given on the command line: a limit that cannot hold is fatal */
    const char *notice;     /* shown on the message line at start (NULL or empty: nothing) */
    /* columns: the packet list's columns (ui/columns.h; NULL: the default), and the settings
     * file as read (util/config.h; NULL: --no-config, nothing is written), its warning shown at
     * start; the connection view's first sort from it (conns_sort -1: none). */
    const char *columns;
    const struct config *config;
    int conns_sort;
    bool conns_desc;
};

/* About 90 MB of index: an entry, its tracking, and its place in the list take ~90 bytes. */
#define UI_DEFAULT_MAX_PACKETS 1000000u

/* Every key of the TUI, one request per line: group, the keys' names, what it does, separated
 * by tabs (--list-keys; the man page's KEYS section is checked against it). */
void ui_list_keys(FILE *out);

/* The attribute (enum attr, format/line.h) of Wireshark's first colouring rule the packet matches
 * (format/colorrules.h), or ATTR_NORMAL: the TUI's packet list and --print --color both ask
 * here. The rules are compiled at the first call. */
struct filter_packet;
uint8_t color_rule_attr(const struct filter_packet *fp);

/* Runs until the user quits; returns the process exit status. */
int ui_run(const struct ui_args *args);

#endif
