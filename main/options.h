/*
 * The command line, parsed once into one struct that every part of main reads.
 */
#ifndef PKTSCOPE_MAIN_OPTIONS_H
#define PKTSCOPE_MAIN_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/rotate.h"
#include "filter/filter.h"
#include "format/conns.h"
#include "format/ladder.h"
#include "util/config.h"

enum output_mode {
    OUT_DEFAULT = 0, /* TUI when stdout is a terminal, otherwise --print */
    OUT_TUI,
    OUT_PRINT,
    OUT_JSON,
    OUT_STATS,
    OUT_CONNS,
    OUT_LADDER,
    OUT_FIELDS,  /* -T fields (tsharkhabits) */
    OUT_COMPARE, /* --compare (clientserver) */
    OUT_HOSTS,   /* --hosts */
    OUT_QUIZ,    /* --quiz */
    OUT_FLOW,    /* --flow (flow) */
};

/* enum conns_format and enum ladder_format live with their renderers. */

struct options {
    const char *read_file;      /* -r */
    const char *interface;      /* -i */
    const char *write_file;     /* -w */
    const char *filter;         /* BPF expression from the remaining arguments, or NULL */
    const char *display_filter; /* -Y: a Wireshark display filter, or NULL */
    const char *user;           /* -Z */
    bool list_interfaces;       /* -D */
    bool follow;                /* --follow */
    bool promisc;               /* true unless -p */
    bool verbose;               /* -V: layer detail (with --print) */
    bool hex;                   /* any of -x -X -A --hex: a dump (with --print) */
    bool step;                  /* --step */
    bool verify_checksums;      /* --checksums (IPv4/TCP/UDP; off by default, as in Wireshark) */
    bool no_reassembly;         /* --no-reassembly */
    bool two_pass;              /* -2: where earlier fragments and segments were reassembled */
    double replay_speed;        /* --replay[=SPEED]; 0 = off */
    double pace_sec;            /* --pace=S: seconds between packets in the TUI; 0 = off */
    const char *color_scheme;   /* --color-scheme: default or high-contrast; NULL: not given */
    uint64_t count;             /* -c, 0 = unlimited */
    uint32_t snaplen;           /* -s, 0 = default */
    uint32_t buffer_kib;        /* -B, 0 = default */
    uint32_t max_flows;         /* --max-flows, 0 = default */
    size_t max_packets;         /* --max-packets (live TUI): 0 = default, SIZE_MAX = no limit */
    uint64_t spool_limit;       /* --spool-limit in bytes, 0 = none */
    bool spool_limit_given;     /* --spool-limit was on the command line */
    enum output_mode mode;
    enum conns_format conns_format;
    enum ladder_format ladder_format;
    uint32_t ladder_stream; /* --ladder=N */
    uint8_t ladder_proto;   /* --ladder=[tcp:|udp:|icmp:|icmpv6:]N: PS_IPPROTO_* */
    int time_format;        /* --time: enum fmt_time (format/format.h), 0 = relative */
    bool color;       /* --color / auto: ANSI colours in --print, -V, -x (never with NO_COLOR) */
    bool color_never; /* --color=never: no colour in the TUI either */
    bool quiet;       /* -w - without an output option: the capture is the output */
    bool immediate;   /* --immediate-mode: live packets delivered at once even to a file */
    bool packet_buffered; /* -U: flush -w output after every packet */
    bool line_buffered;   /* -l: flush standard output after every packet */
    bool mode_explicit;   /* an output option was given (not the default) */
    char *filter_buf;     /* owned storage behind `filter` (joined arguments or -F file) */
    /* tcpdump habits (-x -X -A -q -v -tttt, --stats=json) */
    uint8_t dump_x, dump_X, dump_A; /* how often -x, -X, -A were given (-XX: 2) */
    int dump_style;                 /* enum fmt_dump (format/format.h) */
    bool dump_link;                 /* -xx / -XX / --hex: from the link header on */
    bool brief;                     /* -q: tcpdump's quiet line */
    uint8_t tcpdump_v;              /* -v (-vv, -vvv): the IP header line */
    bool print_extras;              /* any of -q -v -x -X -A: they go with --print */
    bool stats_json;                /* --stats=json */
    /* end tcpdump habits */
    /* ---- tshark habits (tsharkhabits): -T fields, -e, -E, -z, -q; tcpdump's -e ---- */
    const char **tfields; /* -e names with -T fields (owned array, argv strings) */
    size_t ntfields;
    struct tfields_opts tfopts; /* -E */
    bool link_header;           /* tcpdump's -e (without -T fields) */
    bool tshark_quiet;          /* -q: no per-packet output (with -z: only the tables) */
    unsigned zconv;             /* -z conv,TYPE: bits of enum zconv_type (format/conv.h) */
    unsigned zconv_order[8];    /* the conv types in the order asked (tshark's order) */
    size_t nzconv;
    bool zphs;               /* -z io,phs */
    int zfollow_proto;       /* -z follow: 6 (tcp), 17 (udp), 0 none */
    int zfollow_mode;        /* enum follow_mode (format/follow.h) */
    uint32_t zfollow_stream; /* -z follow,...,N */
    char zorder[16];         /* the -z options in order: 'c' conv, 'p' phs, 'f' follow */
    size_t nzorder;
    /* ---- end tsharkhabits ---- */
    /* ---- columns and the settings file (settings.c) ---- */
    const char *columns;  /* --columns LIST, else the settings file's; NULL: the default */
    bool no_config;       /* --no-config: the settings file is neither read nor written */
    struct config config; /* the settings file as read (config.path "": none) */
    int conns_sort;       /* the file's conns-sort: a column of format/conns.h, -1: none */
    bool conns_desc;
    /* ---- end columns ---- */
    /* ---- clientserver: --compare[=text|json] [tcp:N] [udp:M] ---- */
    uint32_t compare_tcp, compare_udp; /* the streams compared (default 0: the first of each) */
    bool compare_json;
    /* ---- end clientserver ---- */
    /* ---- hosts ---- */
    bool hosts_json;         /* --hosts=json */
    const char *subnets[16]; /* --subnet CIDR (checked when parsed; HOSTS_MAX_SUBNETS) */
    size_t nsubnets;
    /* ---- end hosts ---- */
    /* ---- quiz: --quiz[=N] [--answers] [--seed S] ---- */
    unsigned quiz_count; /* questions asked (QUIZ_DEFAULT_COUNT) */
    bool quiz_answers;   /* --answers */
    bool quiz_seed_given;
    uint64_t quiz_seed; /* --seed (default 1) */
    /* ---- end quiz ---- */
    /* ---- flow: --flow, --frames A-B (with --ladder too) ---- */
    uint64_t frames_first, frames_last; /* --frames: 1 and UINT64_MAX when not given */
    bool frames_given;
    /* ---- end flow ---- */
    /* ---- scaleout: -C -G -W, --workers, --conns-log ---- */
    struct rotate_options rotate; /* -C (bytes), -G, -W */
    unsigned workers;             /* --workers N (live fanout); 0: one process, no fanout */
    const char *conns_log;        /* --conns-log DIR */
    /* Set by main/workers.c in each worker, not by the command line: */
    bool fanout; /* join this PACKET_FANOUT group (capture/live.h) */
    uint16_t fanout_group;
    int worker;   /* this worker's number, -1: not a worker */
    int stats_fd; /* a worker's pipe to the parent, -1: none (the counters go to stderr) */
    /* ---- end scaleout ---- */
    /* ---- commid ---- */
    uint16_t community_id_seed; /* --community-id-seed */
    uint32_t shard_index;       /* --shard I/N: I */
    uint32_t shard_count;       /* N; 0: no sharding */
    /* ---- end commid ---- */
    unsigned threads; /* --threads N: threads that format --print and --json (1: only the reader) */
};

#endif
