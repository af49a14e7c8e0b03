/*
 * pktscope's command line (DESIGN.md "Command line"): options in tcpdump's habits where tcpdump
 * has them, the remaining arguments joined into a BPF filter expression, then either the TUI or
 * one of the batch outputs. Usage errors say what is wrong and exit with status 2.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/live.h"
#include "dissect/numbers.h"
#include "format/conv.h"
#include "format/follow.h"
#include "format/format.h"
#include "main/batch.h"
#include "main/open.h"
#include "main/options.h"
#include "main/workers.h"
#include "main/settings.h"
#include "capture/spool.h"
#include "pipeline/pipeline.h"
#include "track/community_id.h" /* commid */
#include "track/hosts.h"        /* hosts */
#include "format/quiz.h"        /* quiz */
#include "main/text_threads.h"
#include "ui/columns.h"
#include "ui/ui.h"
#include "util/util.h"

/*
 * The command line, one table: each row is what --help shows (a synopsis and a paragraph,
 * wrapped by print_usage), the short letters it registers with getopt, and its long name. The
 * long option array and the short option string are made from it, so an option cannot exist
 * without its help line; --list-options prints every name, and tests/scripts/cli_man.sh checks
 * them against the man page. A row with only a synopsis starts a section; one with only help
 * is a note; one without a synopsis is an alias --help leaves out.
 */
struct cli_option {
    const char *synopsis;
    const char *help;
    const char *shorts;    /* getopt letters, ':' after one that takes an argument */
    const char *long_name; /* NULL: no long form */
    int has_arg;
    int id; /* what getopt_long returns for long_name */
};

enum {
    OPT_FOLLOW = 256,
    OPT_TUI,
    OPT_PRINT,
    OPT_JSON,
    OPT_STATS,
    OPT_CONNS,
    OPT_LADDER,
    OPT_FORMAT,
    OPT_REPLAY,
    OPT_STEP,
    OPT_PACE,         /* stepping */
    OPT_COLOR_SCHEME, /* stepping */
    OPT_MAX_FLOWS,
    OPT_MAX_PACKETS,
    OPT_SPOOL_LIMIT,
    OPT_NO_CHECKSUMS,
    OPT_TIME,
    OPT_VERSION,
    OPT_COLOR,
    OPT_IMMEDIATE,
    OPT_CHECKSUMS,
    OPT_LIST_FIELDS,
    OPT_LIST_KEYS,
    OPT_NO_REASSEMBLY,
    /* tcpdump habits */
    OPT_HEX,
    /* end tcpdump habits */
    OPT_LIST_OPTIONS,
    /* scaleout */
    OPT_WORKERS,
    OPT_CONNS_LOG,
    /* end scaleout */
    OPT_COLUMNS,
    OPT_NO_CONFIG,
    OPT_COMPARE, /* clientserver */
    /* hosts */
    OPT_HOSTS,
    OPT_SUBNET,
    /* end hosts */
    /* quiz */
    OPT_QUIZ,
    OPT_FLOW,   /* flow */
    OPT_FRAMES, /* flow */
    OPT_ANSWERS,
    OPT_SEED,
    /* end quiz */
    /* commid */
    OPT_COMMUNITY_ID_SEED,
    OPT_SHARD,
    OPT_THREADS,
    /* end commid */
};

static const struct cli_option cli_options[] = {
    {.synopsis = "Input:"},
    {.synopsis = "-r, --read FILE",
     .help = "read a pcap or pcapng file (\"-\": standard input)",
     .shorts = "r:",
     .long_name = "read",
     .has_arg = required_argument,
     .id = 'r'},
    {.synopsis = "--follow",
     .help = "with -r: keep reading as the file grows",
     .long_name = "follow",
     .has_arg = no_argument,
     .id = OPT_FOLLOW},
    {.synopsis = "-i, --interface IFACE",
     .help = "capture live (\"any\": all interfaces)",
     .shorts = "i:",
     .long_name = "interface",
     .has_arg = required_argument,
     .id = 'i'},
    {.synopsis = "-D, --list-interfaces",
     .help = "list the interfaces to capture on, and exit",
     .shorts = "D",
     .long_name = "list-interfaces",
     .has_arg = no_argument,
     .id = 'D'},
    {.synopsis = "-s, --snaplen N",
     .help = "capture at most N bytes of each packet",
     .shorts = "s:",
     .long_name = "snaplen",
     .has_arg = required_argument,
     .id = 's'},
    {.synopsis = "-p, --no-promiscuous-mode",
     .help = "do not put the interface into promiscuous mode",
     .shorts = "p",
     .long_name = "no-promiscuous-mode",
     .has_arg = no_argument,
     .id = 'p'},
    {.synopsis = "-B, --buffer-size KIB",
     .help = "the kernel's capture buffer, in KiB",
     .shorts = "B:",
     .long_name = "buffer-size",
     .has_arg = required_argument,
     .id = 'B'},
    {.synopsis = "-Z, --relinquish-privileges USER",
     .help = "after opening the interface (or, in a batch output, the file and -w) run as USER "
             "(default when started as root: nobody)",
     .shorts = "Z:",
     .long_name = "relinquish-privileges",
     .has_arg = required_argument,
     .id = 'Z'},
    {.synopsis = "-c, --count N",
     .help = "stop after N packets (counted after the filter)",
     .shorts = "c:",
     .long_name = "count",
     .has_arg = required_argument,
     .id = 'c'},
    {.synopsis = "-F FILE", .help = "read the filter expression from FILE", .shorts = "F:"},
    {.synopsis = "-Y, --display-filter EXPR",
     .help = "keep only packets matching a Wireshark display filter (ip.addr == 192.0.2.0/24 && "
             "tcp.port in {80, 443}); it also narrows --stats, --conns and --ladder. The trailing "
             "expression stays BPF",
     .shorts = "Y:",
     .long_name = "display-filter",
     .has_arg = required_argument,
     .id = 'Y'},
    {.synopsis = "--immediate-mode",
     .help = "deliver each packet at once even when the output is a file (the default when a "
             "person watches)",
     .long_name = "immediate-mode",
     .has_arg = no_argument,
     .id = OPT_IMMEDIATE},
    {.synopsis = "-w, --write FILE",
     .help = "also write the packets read or captured (pcapng if FILE ends in .pcapng, else pcap; "
             "\"-\": stdout)",
     .shorts = "w:",
     .long_name = "write",
     .has_arg = required_argument,
     .id = 'w'},
    {.synopsis = "-U, --packet-buffered",
     .help = "with -w: write each packet to the file at once",
     .shorts = "U",
     .long_name = "packet-buffered",
     .has_arg = no_argument,
     .id = 'U'},
    /* scaleout: tcpdump's rotation, live workers */
    {.synopsis = "-C, --file-size SIZE",
     .help = "with -w: start a new file (NAME1, NAME2...) before a packet once the current one is "
             "over SIZE millions of bytes, as tcpdump (a k, m or g suffix: KiB, MiB, GiB)",
     .shorts = "C:",
     .long_name = "file-size",
     .has_arg = required_argument,
     .id = 'C'},
    {.synopsis = "-G, --rotate-seconds SECONDS",
     .help = "with -w: a new file every SECONDS of packet time, its name passed through strftime "
             "(-w 'cap-%Y%m%d-%H%M%S.pcap'); with -r the capture's own time",
     .shorts = "G:",
     .long_name = "rotate-seconds",
     .has_arg = required_argument,
     .id = 'G'},
    {.synopsis = "-W, --file-count COUNT",
     .help = "with -C: a ring of COUNT files (NAME0...), the oldest written anew; with -G alone: "
             "stop after COUNT files",
     .shorts = "W:",
     .long_name = "file-count",
     .has_arg = required_argument,
     .id = 'W'},
    {.synopsis = "--workers N",
     .help = "with -i (Linux): N capture processes in one PACKET_FANOUT hash group, so each "
             "sees whole flows; each writes its own -w and --conns-log files (x.w0.pcap, "
             "x.w1.pcap...) and the counters are summed at the end. Output to standard output "
             "is refused: give -w or --conns-log",
     .long_name = "workers",
     .has_arg = required_argument,
     .id = OPT_WORKERS},
    {.synopsis = "--conns-log DIR",
     .help = "with --conns=zeek|json: write the rows into DIR as Zeek does, one file per -G "
             "interval (default 3600) named conn.YYYY-MM-DD-HH-MM-SS.log by its start, each row "
             "in the interval its connection ended in",
     .long_name = "conns-log",
     .has_arg = required_argument,
     .id = OPT_CONNS_LOG},
    /* end scaleout */
    {.synopsis = "Output (default: the TUI on a terminal, otherwise --print):"},
    {.help = "(reading a file over 50 MB, a batch output shows its progress on standard error when "
             "that is a terminal and standard output is not)"},
    {.synopsis = "--tui",
     .help = "the terminal user interface",
     .long_name = "tui",
     .has_arg = no_argument,
     .id = OPT_TUI},
    {.synopsis = "--print",
     .help = "one line per packet: number, time, source, destination, protocol, length, TCP phase, "
             "info",
     .long_name = "print",
     .has_arg = no_argument,
     .id = OPT_PRINT},
    {.synopsis = "-V, --verbose",
     .help = "with each line, the layers on the OSI model, every field with its [offset, length], "
             "teaching notes (tcpdump's -v is the shorter line below)",
     .shorts = "V",
     .long_name = "verbose",
     .has_arg = no_argument,
     .id = 'V'},
    {.synopsis = "-x, -xx",
     .help = "with each line, the bytes in hex as tcpdump -x: from the network header on (-xx: the "
             "link header too)",
     .shorts = "x"},
    {.synopsis = "-X, -XX",
     .help = "the same in hex and ASCII, as tcpdump -X (-XX)",
     .shorts = "X"},
    {.synopsis = "-A",
     .help = "the bytes from the network header on in ASCII, as tcpdump -A: a newline byte breaks "
             "the line, any other byte that is not printable is '.'",
     .shorts = "A"},
    {.synopsis = "--hex",
     .help = "hex and ASCII of the whole frame (-XX)",
     .long_name = "hex",
     .has_arg = no_argument,
     .id = OPT_HEX},
    {.synopsis = "-q",
     .help = "quiet: as tcpdump -q, no TCP phase, and for TCP and UDP only the ports and payload "
             "length; with -z or -T fields, as tshark -q, no line per packet (only the -z tables)",
     .shorts = "q"},
    {.synopsis = "-v",
     .help = "with each line, the IP header in tcpdump -v's words (tos, ttl, id, offset, flags, "
             "proto, length) and the TCP/UDP/ICMP checksum with its status",
     .shorts = "v"},
    {.synopsis = "--json",
     .help = "one JSON object per packet, Wireshark field names",
     .long_name = "json",
     .has_arg = no_argument,
     .id = OPT_JSON},
    {.synopsis = "--stats[=text|json]",
     .help = "totals, link types, protocols, anomalies, flows (json: the same numbers as one JSON "
             "object)",
     .long_name = "stats",
     .has_arg = optional_argument,
     .id = OPT_STATS},
    {.synopsis = "--conns[=text|json|zeek]",
     .help = "the connection table (zeek: a conn.log)",
     .long_name = "conns",
     .has_arg = optional_argument,
     .id = OPT_CONNS},
    /* hosts */
    {.synopsis = "--hosts[=text|json]",
     .help = "every host seen (MAC, vendor, addresses and their classes, client/server/gateway "
             "roles, local or not), the subnets and where they came from, the gateway with its "
             "evidence, and the ARP table with conflicts",
     .long_name = "hosts",
     .has_arg = optional_argument,
     .id = OPT_HOSTS},
    {.synopsis = "--subnet CIDR",
     .help = "a local subnet (192.0.2.0/24, 2001:db8::/64; repeatable), over what DHCP in the "
             "capture, a Router Advertisement, the interface or ARP would say",
     .long_name = "subnet",
     .has_arg = required_argument,
     .id = OPT_SUBNET},
    /* end hosts */
    /* quiz */
    {.synopsis = "--quiz[=N]",
     .help = "a worksheet of N questions about the capture (default 10), in Markdown: handshake "
             "numbers, ports and services, TCP or UDP, the close, subnets in binary, the "
             "gateway's MAC, ping, DNS and DHCP answers",
     .long_name = "quiz",
     .has_arg = optional_argument,
     .id = OPT_QUIZ},
    {.synopsis = "--answers",
     .help = "with --quiz: each question with its answer, the reasoning and the frames that "
             "prove it",
     .long_name = "answers",
     .has_arg = no_argument,
     .id = OPT_ANSWERS},
    {.synopsis = "--seed S",
     .help = "with --quiz: which questions are chosen (default 1: the same capture gives the "
             "same worksheet)",
     .long_name = "seed",
     .has_arg = required_argument,
     .id = OPT_SEED},
    /* end quiz */
    {.synopsis = "--ladder=[tcp:|udp:|icmp:|icmpv6:]N",
     .help = "sequence diagram of TCP (UDP, ICMP) stream N",
     .long_name = "ladder",
     .has_arg = required_argument,
     .id = OPT_LADDER},
    /* flow */
    {.synopsis = "--flow",
     .help = "sequence diagram of every host and protocol together (Wireshark's Flow Graph): one "
             "lane per address, one arrow per packet; -Y and the BPF filter narrow it",
     .long_name = "flow",
     .has_arg = no_argument,
     .id = OPT_FLOW},
    {.synopsis = "--frames A-B",
     .help = "with --ladder or --flow: only frames A to B (A-, -B and N too; the capture's frame "
             "numbers, counted before filtering)",
     .long_name = "frames",
     .has_arg = required_argument,
     .id = OPT_FRAMES},
    /* end flow */
    /* clientserver */
    {.synopsis = "--compare[=text|json] [tcp:N] [udp:M]",
     .help = "TCP connection N beside UDP flow M (default: the first of each): packets and bytes "
             "of setup, teardown, acknowledgements, headers against payload, retransmissions, "
             "time to the first data byte",
     .long_name = "compare",
     .has_arg = optional_argument,
     .id = OPT_COMPARE},
    /* end clientserver */
    {.synopsis = "--format=text|mermaid|plantuml|svg",
     .help = "how --ladder and --flow draw it (default text)",
     .long_name = "format",
     .has_arg = required_argument,
     .id = OPT_FORMAT},
    {.synopsis = "--time=rel|abs|date|delta|epoch",
     .help = "time column: since the first packet (default), UTC time of day, UTC date and time, "
             "since the previous packet, or since 1970; tcpdump's -tt (epoch), -ttt (delta), -tttt "
             "(date), -ttttt (rel)",
     .shorts = "t",
     .long_name = "time",
     .has_arg = required_argument,
     .id = OPT_TIME},
    {.synopsis = "--color[=auto|always|never]",
     .help = "colour --print, -V and -x on a terminal (auto; NO_COLOR=1 in the environment turns "
             "it off)",
     .long_name = "color",
     .has_arg = optional_argument,
     .id = OPT_COLOR},
    {.synopsis = "--columns=LIST",
     .help = "the columns of the packet list and --print, comma-separated: no, time, source, "
             "destination, protocol, length, phase, info (tshark's titles too), or any field of "
             "--list-fields (ip.ttl, tcp.stream, http.host); --print writes them separated by "
             "tabs, an absent field as an empty cell",
     .long_name = "columns",
     .has_arg = required_argument,
     .id = OPT_COLUMNS},
    {.synopsis = "--no-config",
     .help = "neither read nor write the settings file ($XDG_CONFIG_HOME/pktscope/config: "
             "columns, time, conns-sort, color; the command line wins over it)",
     .long_name = "no-config",
     .has_arg = no_argument,
     .id = OPT_NO_CONFIG},
    {.synopsis = "-e",
     .help = "(tcpdump) start each --print line with the link-level header: MAC addresses, "
             "EtherType, length"},
    {.synopsis = "-T fields -e FIELD [-e FIELD ...]",
     .help = "(tshark) one line per packet: the fields' values, every occurrence joined by \",\"; "
             "any field of --list-fields. With -T fields, -e takes a field",
     .shorts = "T:"},
    {.synopsis = "-E separator=/t|/s|C", .help = "-T fields: between fields (tab)", .shorts = "E:"},
    {.synopsis = "-E header=y|n", .help = "-T fields: a first line with the field names"},
    {.synopsis = "-E quote=d|s|n", .help = "-T fields: values in double, single or no quotes"},
    {.synopsis = "-E occurrence=f|l|a", .help = "-T fields: the first, last or all (default)"},
    {.synopsis = "-E aggregator=,|/s|C", .help = "-T fields: between occurrences (,)"},
    {.synopsis = "-z conv,tcp|udp|ip|ipv6|eth",
     .help = "(tshark) the conversation table, after the packets",
     .shorts = "z:"},
    {.synopsis = "-z io,phs", .help = "(tshark) protocol hierarchy statistics"},
    {.synopsis = "-z follow,tcp|udp,ascii|hex|raw,N",
     .help = "(tshark) the payload of TCP or UDP stream N"},
    {.synopsis = "Analysis:"},
    {.synopsis = "--max-flows N",
     .help = "connections tracked at once (oldest idle evicted)",
     .long_name = "max-flows",
     .has_arg = required_argument,
     .id = OPT_MAX_FLOWS},
    {.synopsis = "--community-id-seed N",
     .help = "the seed (0-65535, default 0) of the Community ID v1 in --conns (community_id), "
             "--json and -Y (communityid)",
     .long_name = "community-id-seed",
     .has_arg = required_argument,
     .id = OPT_COMMUNITY_ID_SEED},
    {.synopsis = "--shard I/N",
     .help = "batch outputs: keep only the packets whose address pair hashes to shard I of N "
             "(0 <= I < N <= 1024), so N runs over one capture take whole flows, each packet "
             "once; stream numbers are the shard's own, uid and community_id join the shards",
     .long_name = "shard",
     .has_arg = required_argument,
     .id = OPT_SHARD},
    {.synopsis = "--threads N",
     .help = "--json, and --print with a dump (-x, -X, -A): N threads format the packets, written "
             "in frame order; --conns, --stats and --print without a dump on a file: N workers "
             "share the connections (TCP by connection, the rest by address pair); either way "
             "the same bytes as one thread's (default: the number "
             "of cores, at most 8; 1: none besides the reader)",
     .long_name = "threads",
     .has_arg = required_argument,
     .id = OPT_THREADS},
    {.synopsis = "--max-packets N",
     .help = "a live capture in the TUI lists the newest N packets (default 1000000; 0: all); the "
             "rest stay on disk",
     .long_name = "max-packets",
     .has_arg = required_argument,
     .id = OPT_MAX_PACKETS},
    {.synopsis = "--spool-limit SIZE",
     .help = "the TUI keeps a live capture or a pipe in a temporary file on disk; at most SIZE of "
             "it (K, M, G; a plain number is MiB; default 2G; 0: no limit), the oldest packets "
             "dropped first and counted in the title",
     .long_name = "spool-limit",
     .has_arg = required_argument,
     .id = OPT_SPOOL_LIMIT},
    {.synopsis = "-K, --no-checksums",
     .help = "leave IP/TCP/UDP checksums unverified: the default, as in Wireshark (tcpdump's "
             "flag, accepted)",
     .shorts = "K",
     .long_name = "no-checksums",
     .has_arg = no_argument,
     .id = 'K'},
    {.synopsis = "--no-reassembly",
     .help = "dissect every packet on its own: no IP defragmenting, no TCP reassembly (tshark's -o "
             "ip.defragment:FALSE -o tcp.desegment_tcp_streams:FALSE)",
     .long_name = "no-reassembly",
     .has_arg = no_argument,
     .id = OPT_NO_REASSEMBLY},
    {.synopsis = "-2, --two-pass",
     .help = "(tshark) read the file twice: earlier fragments and segments say where they were "
             "reassembled (ip.reassembled_in, tcp.reassembled_in), requests where they were "
             "answered (http.response_in, dns.response_in, icmp.resp_in, pktscope.arp.reply_in)",
     .shorts = "2",
     .long_name = "two-pass",
     .has_arg = no_argument,
     .id = '2'},
    {.synopsis = "--checksums",
     .help = "verify IP/TCP/UDP checksums as tshark's -o ip.check_checksum:TRUE -o "
             "tcp.check_checksum:TRUE -o udp.check_checksum:TRUE does (off by default: a capture "
             "taken on the sender holds checksums its NIC fills in later); ICMP's are always "
             "verified",
     .long_name = "checksums",
     .has_arg = no_argument,
     .id = OPT_CHECKSUMS},
    {.synopsis = "Replay for demos:"},
    {.synopsis = "--replay[=SPEED]",
     .help = "pace packets by their timestamps (2: twice as fast)",
     .long_name = "replay",
     .has_arg = optional_argument,
     .id = OPT_REPLAY},
    {.synopsis = "--step",
     .help = "start the TUI paused, to step through the packets (. forward, , back, p plays)",
     .long_name = "step",
     .has_arg = no_argument,
     .id = OPT_STEP},
    {.synopsis = "--pace=S",
     .help = "TUI: one packet every S seconds whatever the capture's timing (a lesson's pace; "
             "with --step, p starts it)",
     .long_name = "pace",
     .has_arg = required_argument,
     .id = OPT_PACE},
    {.synopsis = "--color-scheme=default|high-contrast",
     .help = "the TUI's colours: high-contrast is bold light text on black, for a projector "
             "(settings file: color-scheme)",
     .long_name = "color-scheme",
     .has_arg = required_argument,
     .id = OPT_COLOR_SCHEME},
    {.synopsis = "-n, -l",
     .help = "accepted for tcpdump habits (pktscope never resolves names; it flushes each packet "
             "to a pipe)",
     .shorts = "nl"},
    {.synopsis = "--list-keys",
     .help = "every key of the TUI: group, keys, what it does",
     .long_name = "list-keys",
     .has_arg = no_argument,
     .id = OPT_LIST_KEYS},
    {.synopsis = "--list-fields",
     .help = "every protocol and field pktscope decodes, one per line, as tshark -G fields prints "
             "them, and exit",
     .long_name = "list-fields",
     .has_arg = no_argument,
     .id = OPT_LIST_FIELDS},
    {.synopsis = "-h, --help",
     .help = "this help",
     .shorts = "h",
     .long_name = "help",
     .has_arg = no_argument,
     .id = 'h'},
    {.synopsis = "--version",
     .help = "the version",
     .long_name = "version",
     .has_arg = no_argument,
     .id = OPT_VERSION},
    /* Aliases, not shown by --help: tshark's and British spellings. */
    {.long_name = "dont-verify-checksums", .has_arg = no_argument, .id = 'K'},
    {.long_name = "colour", .has_arg = optional_argument, .id = OPT_COLOR},
};

static const char usage_head[] =
    "Usage: pktscope [-r FILE | -i IFACE] [options] [BPF filter expression]\n"
    "\n";

static const char usage_tail[] =
    "\n"
    "Exit status: 0 success, 1 the input was damaged or the interface went away\n"
    "(everything readable was shown), 2 usage or open error. See pktscope(1).\n"
    "\n"
    "Examples:\n"
    "  pktscope -r capture.pcapng                    browse a capture in the TUI\n"
    "  pktscope -r capture.pcap --print tcp port 80  one line per HTTP packet\n"
    "  pktscope -r capture.pcap -Y 'tcp.analysis.retransmission' --conns\n"
    "                                                connections that lost data\n"
    "  sudo pktscope -i eth0 -w out.pcapng --json    capture, save, stream JSON\n"
    "  tcpdump -U -w - | pktscope -r - --conns       connections of a pipe\n"
    "  pktscope -r lesson.pcap --hosts               hosts, subnets, the gateway\n";

/* One help paragraph from column `at`, wrapped at 78 columns, continuation lines at 25. */
static void print_paragraph(FILE *out, const char *text, size_t at)
{
    const size_t indent = 25, width = 78;
    const char *p = text;
    while (*p) {
        size_t room = width > at ? width - at : 1, n = strlen(p);
        if (n > room) {
            n = room;
            while (n > 0 && p[n] != ' ')
                n--;
            if (n == 0) /* one word longer than the line: let it run */
                n = strcspn(p, " ");
        }
        fprintf(out, "%.*s\n", (int)n, p);
        p += n;
        while (*p == ' ')
            p++;
        if (*p)
            fprintf(out, "%*s", (int)indent, "");
        at = indent;
    }
}

static void print_usage(FILE *out)
{
    fputs(usage_head, out);
    for (size_t i = 0; i < ARRAY_SIZE(cli_options); i++) {
        const struct cli_option *c = &cli_options[i];
        if (c->synopsis && !c->help) {
            fprintf(out, "%s%s\n", i ? "\n" : "", c->synopsis);
        } else if (!c->synopsis && c->help) {
            fputs("  ", out);
            print_paragraph(out, c->help, 2);
        } else if (c->synopsis) {
            /* Long-only options line up under the long names of the others. */
            bool long_only = c->synopsis[1] == '-';
            int at = fprintf(out, "%s%s", long_only ? "      " : "  ", c->synopsis);
            if (at > 23) {
                fprintf(out, "\n%25s", "");
                at = 25;
            } else {
                at += fprintf(out, "%*s", 25 - at, "");
            }
            print_paragraph(out, c->help, (size_t)at);
        }
    }
    fputs(usage_tail, out);
}

/* --list-options: every option's names, one per line ("-r", "--read"), aliases too. */
static void print_option_names(FILE *out)
{
    for (size_t i = 0; i < ARRAY_SIZE(cli_options); i++) {
        const struct cli_option *c = &cli_options[i];
        for (const char *s = c->shorts; s && *s; s++)
            if (*s != ':')
                fprintf(out, "-%c\n", *s);
        if (c->long_name)
            fprintf(out, "--%s\n", c->long_name);
    }
    fputs("-e\n", out); /* registered by make_getopt_tables, whose comment says why */
}

/* The long option array and the short option string, made from the table. `field_e`: -e takes
 * a field name (-T fields is on the command line) instead of being tcpdump's -e. */
static void make_getopt_tables(struct option *longs, char *shorts, size_t size, bool field_e)
{
    size_t n = 0, k = 0;
    shorts[k++] = ':';
    for (size_t i = 0; i < ARRAY_SIZE(cli_options); i++) {
        const struct cli_option *c = &cli_options[i];
        for (const char *s = c->shorts; s && *s && k + 1 < size; s++)
            shorts[k++] = *s;
        if (c->long_name)
            longs[n++] = (struct option){c->long_name, c->has_arg, NULL, c->id};
    }
    for (const char *e = field_e ? "e:" : "e"; *e && k + 1 < size; e++)
        shorts[k++] = *e;
    shorts[k] = '\0';
    /* Not in --help: for the man page check (tests/scripts/cli_man.sh). */
    longs[n++] = (struct option){"list-options", no_argument, NULL, OPT_LIST_OPTIONS};
    longs[n] = (struct option){NULL, 0, NULL, 0};
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("pktscope: ", stderr);
    fprintf(stderr, fmt, arg ? arg : "");
    fputs("\nTry 'pktscope --help' for the options.\n", stderr);
    return PS_EXIT_USAGE;
}

static const char *mode_flag(enum output_mode m)
{
    switch (m) {
    case OUT_TUI:
        return "--tui";
    case OUT_PRINT:
        return "--print";
    case OUT_JSON:
        return "--json";
    case OUT_STATS:
        return "--stats";
    case OUT_CONNS:
        return "--conns";
    case OUT_LADDER:
        return "--ladder";
    case OUT_HOSTS: /* hosts */
        return "--hosts";
    case OUT_QUIZ: /* quiz */
        return "--quiz";
    case OUT_FLOW: /* flow */
        return "--flow";
    case OUT_FIELDS: /* tsharkhabits */
        return "-T fields";
    case OUT_COMPARE:
        return "--compare";
    default:
        return "?";
    }
}

/* One output mode per run: a second, different one is a usage error. */
/* --spool-limit SIZE: a number with K, M or G (binary units); a plain number is MiB; 0 is no
 * limit. */
static int parse_spool_limit(const char *arg, uint64_t *bytes)
{
    char num[32];
    size_t len = strlen(arg);
    if (len == 0 || len >= sizeof(num))
        return -1;
    memcpy(num, arg, len + 1);
    unsigned shift = 20;
    char unit = (char)toupper((unsigned char)num[len - 1]);
    if (unit == 'K' || unit == 'M' || unit == 'G') {
        shift = unit == 'K' ? 10 : unit == 'M' ? 20 : 30;
        num[len - 1] = '\0';
    }
    unsigned long n;
    if (parse_ulong(num, 0, 1ul << 20, &n) < 0)
        return -1;
    *bytes = (uint64_t)n << shift;
    return *bytes == 0 || *bytes >= SPOOL_MIN_LIMIT ? 0 : -1;
}

static int set_mode(struct options *o, enum output_mode m)
{
    if (o->mode != OUT_DEFAULT && o->mode != m) {
        fprintf(stderr,
                "pktscope: %s and %s cannot be used together: choose one output\n"
                "Try 'pktscope --help' for the options.\n",
                mode_flag(o->mode), mode_flag(m));
        return -1;
    }
    o->mode = m;
    return 0;
}

/* ladderfiles: --ladder names any stream the TUI draws, ICMP and ICMPv6 included. */
static int parse_ladder(struct options *o, const char *arg)
{
    static const struct {
        const char *prefix;
        uint8_t proto;
    } kinds[] = {{"tcp:", PS_IPPROTO_TCP},
                 {"udp:", PS_IPPROTO_UDP},
                 {"icmp:", PS_IPPROTO_ICMP},
                 {"icmpv6:", PS_IPPROTO_ICMPV6}};
    unsigned long n;
    const char *num = arg;
    o->ladder_proto = PS_IPPROTO_TCP;
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        size_t len = strlen(kinds[k].prefix);
        if (strncmp(arg, kinds[k].prefix, len) == 0) {
            o->ladder_proto = kinds[k].proto;
            num = arg + len;
            break;
        }
    }
    if (parse_ulong(num, 0, UINT32_MAX, &n) < 0)
        return -1;
    o->ladder_stream = (uint32_t)n;
    return 0;
}
/* end ladderfiles */

/* flow: --frames A-B, A-, -B or N; frame numbers count from 1. */
static int parse_frames(struct options *o, const char *arg)
{
    char lo[24], hi[24];
    const char *dash = strchr(arg, '-');
    size_t nlo = dash ? (size_t)(dash - arg) : strlen(arg);
    const char *rest = dash ? dash + 1 : arg;
    size_t nhi = strlen(rest);
    unsigned long a = 1, b = ULONG_MAX;
    if (nlo >= sizeof(lo) || nhi >= sizeof(hi) || (dash && !nlo && !nhi))
        return -1;
    memcpy(lo, arg, nlo);
    lo[nlo] = '\0';
    memcpy(hi, rest, nhi);
    hi[nhi] = '\0';
    if (nlo && parse_ulong(lo, 1, ULONG_MAX, &a) < 0)
        return -1;
    if (!dash)
        b = a;
    else if (nhi && parse_ulong(hi, 1, ULONG_MAX, &b) < 0)
        return -1;
    if (a > b)
        return -1;
    o->frames_first = a;
    o->frames_last = b == ULONG_MAX ? UINT64_MAX : b;
    o->frames_given = true;
    return 0;
}
/* end flow */

static int parse_speed(const char *arg, double *out)
{
    char *end = NULL;
    double v = strtod(arg, &end);
    if (!end || end == arg || *end != '\0' || !(v > 0) || v > 1e6)
        return -1;
    *out = v;
    return 0;
}

/* The filter expression: every remaining argument, joined by spaces as tcpdump does. */
static char *join_args(int argc, char **argv, int first)
{
    size_t n = 0;
    for (int i = first; i < argc; i++)
        n += strlen(argv[i]) + 1;
    if (n == 0)
        return NULL;
    char *s = xmalloc(n);
    size_t at = 0;
    for (int i = first; i < argc; i++) {
        size_t k = strlen(argv[i]);
        memcpy(s + at, argv[i], k);
        at += k;
        s[at++] = i + 1 < argc ? ' ' : '\0';
    }
    return s;
}

/* -F FILE: the filter expression from a file (tcpdump's), '#' to the end of a line a comment. */
static char *read_filter_file(const char *path, char *errbuf)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        ps_err(errbuf, "-F %s: cannot open the filter file: %s", path, strerror(errno));
        return NULL;
    }
    enum { MAX_FILTER = 65536 };
    char *s = xmalloc(MAX_FILTER + 1);
    size_t n = fread(s, 1, MAX_FILTER + 1, f);
    bool err = ferror(f) != 0;
    fclose(f);
    if (err || n > MAX_FILTER) {
        ps_err(errbuf, "-F %s: %s", path,
               err ? "cannot read the filter file" : "the filter file is larger than 64 KiB");
        free(s);
        return NULL;
    }
    s[n] = '\0';
    bool comment = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '#')
            comment = true;
        if (s[i] == '\n')
            comment = false;
        if (comment || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')
            s[i] = ' ';
    }
    return s;
}

/* ---- tsharkhabits: tshark's -T fields, -E, -z, -q; tcpdump's -e ---- */

/* Whether "-T fields" is on the command line anywhere (tshark takes options in any order):
 * then -e takes a field name, otherwise it is tcpdump's -e. Stops at "--". */
static bool argv_has_tfields(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            return false;
        if (strcmp(a, "-Tfields") == 0)
            return true;
        if (strcmp(a, "-T") == 0 && i + 1 < argc && strcmp(argv[i + 1], "fields") == 0)
            return true;
    }
    return false;
}

/* tshark's /t and /s stand for a tab and a space. */
static const char *tshark_sep(const char *v)
{
    if (strcmp(v, "/t") == 0)
        return "\t";
    if (strcmp(v, "/s") == 0)
        return " ";
    return v;
}

static int parse_E(struct options *o, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (!eq)
        return usage_error("-E wants NAME=VALUE (separator, header, quote, occurrence or "
                           "aggregator), not '%s'",
                           arg);
    size_t k = (size_t)(eq - arg);
    const char *v = eq + 1;
    if (k == 9 && strncmp(arg, "separator", k) == 0 && *v) {
        o->tfopts.separator = tshark_sep(v);
    } else if (k == 10 && strncmp(arg, "aggregator", k) == 0 && *v) {
        o->tfopts.aggregator = tshark_sep(v);
    } else if (k == 6 && strncmp(arg, "header", k) == 0 &&
               (strcmp(v, "y") == 0 || strcmp(v, "n") == 0)) {
        o->tfopts.header = *v == 'y';
    } else if (k == 5 && strncmp(arg, "quote", k) == 0 &&
               (strcmp(v, "d") == 0 || strcmp(v, "s") == 0 || strcmp(v, "n") == 0)) {
        o->tfopts.quote = *v == 'd' ? '"' : *v == 's' ? '\'' : 0;
    } else if (k == 10 && strncmp(arg, "occurrence", k) == 0) {
        if (strcmp(v, "a") == 0)
            o->tfopts.occurrence = 0;
        else if (strcmp(v, "f") == 0)
            o->tfopts.occurrence = 1;
        else if (strcmp(v, "l") == 0)
            o->tfopts.occurrence = -1;
        else
            return usage_error("-E occurrence wants f, l or a, not '%s'", v);
    } else {
        return usage_error("-E '%s' is not one of separator=/t|/s|C, header=y|n, "
                           "quote=d|s|n, occurrence=f|l|a, aggregator=,|/s|C",
                           arg);
    }
    return PS_EXIT_OK;
}

static int parse_z(struct options *o, const char *arg)
{
    static const struct {
        const char *name;
        unsigned bit;
    } convs[] = {{"tcp", ZCONV_TCP},
                 {"udp", ZCONV_UDP},
                 {"ip", ZCONV_IP},
                 {"ipv6", ZCONV_IPV6},
                 {"eth", ZCONV_ETH}};
    if (strncmp(arg, "conv,", 5) == 0) {
        for (size_t i = 0; i < sizeof(convs) / sizeof(convs[0]); i++) {
            if (strcmp(arg + 5, convs[i].name) != 0)
                continue;
            if (!(o->zconv & convs[i].bit) && o->nzconv < 8 && o->nzorder < sizeof(o->zorder)) {
                o->zconv_order[o->nzconv++] = convs[i].bit;
                o->zorder[o->nzorder++] = 'c';
            }
            o->zconv |= convs[i].bit;
            return PS_EXIT_OK;
        }
        return usage_error("-z conv wants tcp, udp, ip, ipv6 or eth (conv,tcp), not '%s'", arg + 5);
    }
    if (strcmp(arg, "io,phs") == 0) {
        if (!o->zphs && o->nzorder < sizeof(o->zorder))
            o->zorder[o->nzorder++] = 'p';
        o->zphs = true;
        return PS_EXIT_OK;
    }
    if (strncmp(arg, "follow,", 7) == 0) {
        char proto[8], mode[8];
        const char *p = arg + 7, *c1 = strchr(p, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
        unsigned long n;
        if (!c1 || !c2 || (size_t)(c1 - p) >= sizeof(proto) ||
            (size_t)(c2 - c1 - 1) >= sizeof(mode) || parse_ulong(c2 + 1, 0, UINT32_MAX, &n) < 0)
            return usage_error("-z follow wants follow,tcp|udp,ascii|hex|raw,N (N: the "
                               "stream number, tcp.stream or udp.stream), not '%s'",
                               arg);
        memcpy(proto, p, (size_t)(c1 - p));
        proto[c1 - p] = '\0';
        memcpy(mode, c1 + 1, (size_t)(c2 - c1 - 1));
        mode[c2 - c1 - 1] = '\0';
        if (strcmp(proto, "tcp") != 0 && strcmp(proto, "udp") != 0)
            return usage_error("-z follow: pktscope follows tcp or udp streams, not '%s'", proto);
        if (strcmp(mode, "ascii") == 0)
            o->zfollow_mode = FOLLOW_ASCII;
        else if (strcmp(mode, "hex") == 0)
            o->zfollow_mode = FOLLOW_HEX;
        else if (strcmp(mode, "raw") == 0)
            o->zfollow_mode = FOLLOW_RAW;
        else
            return usage_error("-z follow: the mode is ascii, hex or raw, not '%s'", mode);
        if (o->zfollow_proto)
            return usage_error("-z follow given twice: pktscope follows one stream a run%s", "");
        o->zfollow_proto = strcmp(proto, "tcp") == 0 ? 6 : 17;
        o->zfollow_stream = (uint32_t)n;
        if (o->nzorder < sizeof(o->zorder))
            o->zorder[o->nzorder++] = 'f';
        return PS_EXIT_OK;
    }
    return usage_error("-z '%s' is not supported; pktscope has conv,tcp|udp|ip|ipv6|eth, "
                       "io,phs and follow,tcp|udp,ascii|hex|raw,N",
                       arg);
}

/* ---- end tsharkhabits ---- */

/* scaleout: what -C/-G/-W, --workers and --conns-log go with. */
static int check_scaleout(const struct options *o, bool write_stdout)
{
    bool splits_w = o->rotate.max_bytes || o->rotate.count || (o->rotate.seconds && !o->conns_log);
    if (splits_w && (!o->write_file || write_stdout))
        return usage_error("-C, -G and -W split the -w FILE into files: give -w FILE (not "
                           "-w -); -G also splits --conns-log%s",
                           "");
    if (o->rotate.count && !o->rotate.max_bytes && !o->rotate.seconds)
        return usage_error("-W goes with -C (a ring of files) or -G (stop after COUNT "
                           "files)%s",
                           "");
    if (rotate_enabled(&o->rotate) && o->mode == OUT_TUI)
        return usage_error("-C, -G and -W go with a batch output (--print, --conns, ...): the "
                           "TUI re-reads its one -w file%s",
                           "");
    if (o->conns_log && (o->mode != OUT_CONNS || o->conns_format == CONNS_TEXT))
        return usage_error("--conns-log writes Zeek's conn.log files: it goes with "
                           "--conns=zeek or --conns=json%s",
                           "");
    if (!o->workers)
        return PS_EXIT_OK;
    if (!o->interface)
        return usage_error("--workers shares a live capture (-i IFACE) among processes; a "
                           "file is split with --shard%s",
                           "");
    if (o->mode == OUT_TUI)
        return usage_error("--workers goes with a batch output, not the TUI%s", "");
    /* Several processes' lines interleaved on one standard output could not be told apart,
     * and whole flows per worker is the point: each worker writes files of its own. */
    bool to_files = o->conns_log ? o->mode == OUT_CONNS : !o->mode_explicit && o->write_file;
    if (write_stdout || !to_files)
        return usage_error("--workers: each worker writes files of its own, nothing goes to "
                           "standard output: give -w FILE (no output option), or "
                           "--conns=zeek|json --conns-log DIR (with -w FILE or not)%s",
                           "");
    return PS_EXIT_OK;
}

/* --shard I/N: 0 <= I < N <= PIPELINE_MAX_SHARDS. */
static int parse_shard(const char *arg, uint32_t *index, uint32_t *count)
{
    const char *slash = strchr(arg, '/');
    char num[16];
    unsigned long i, n;
    if (!slash || (size_t)(slash - arg) >= sizeof(num))
        return -1;
    memcpy(num, arg, (size_t)(slash - arg));
    num[slash - arg] = '\0';
    if (parse_ulong(num, 0, PIPELINE_MAX_SHARDS - 1, &i) < 0 ||
        parse_ulong(slash + 1, 1, PIPELINE_MAX_SHARDS, &n) < 0 || i >= n)
        return -1;
    *index = (uint32_t)i;
    *count = (uint32_t)n;
    return 0;
}

/* --threads' default: a formatting thread per core, up to 8: one reading thread keeps about
 * four busy with --json (it spends about a fifth of the time formatting takes), and each
 * thread more holds batches of its own (text_threads.h). */
static unsigned default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        return 1;
    return n > 8 ? 8 : (unsigned)n;
}

static int parse_args(int argc, char **argv, struct options *o, bool *done)
{
    unsigned long n;
    bool format_given = false, time_given = false, color_given = false;
    int c, t_count = 0;
    bool checksums = false, no_checksums = false;
    const char *filter_file = NULL;
    enum { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER } color = COLOR_AUTO;
    *done = false;
    memset(o, 0, sizeof(*o));
    o->promisc = true;
    o->spool_limit = PIPELINE_SPOOL_LIMIT_DEFAULT;
    o->threads = default_threads();
    o->worker = -1;   /* scaleout */
    o->stats_fd = -1; /* scaleout */
    opterr = 0;
    /* tsharkhabits: -e takes a field name only when -T fields is given */
    bool tfields_cmdline = argv_has_tfields(argc, argv);
    const char *tmode = NULL;
    tfields_opts_default(&o->tfopts);
    bool e_opts_given = false;
    /* end tsharkhabits */
    char optstring[2 * ARRAY_SIZE(cli_options) + 8];
    struct option long_options[ARRAY_SIZE(cli_options) + 2];
    make_getopt_tables(long_options, optstring, sizeof(optstring), tfields_cmdline);
    while ((c = getopt_long(argc, argv, optstring, long_options, NULL)) != -1) {
        switch (c) {
        case 'r':
            o->read_file = optarg;
            break;
        case 'i':
            o->interface = optarg;
            break;
        case 'D':
            o->list_interfaces = true;
            break;
        case 'w':
            o->write_file = optarg;
            break;
        /* scaleout */
        case 'C':
            if (rotate_parse_size(optarg, &o->rotate.max_bytes) < 0)
                return usage_error("-C wants a file size in millions of bytes (1 or more, or "
                                   "with a k, m or g suffix), not '%s'",
                                   optarg);
            break;
        case 'G':
            if (parse_ulong(optarg, 1, UINT32_MAX, &n) < 0)
                return usage_error("-G wants a number of seconds, 1 or more, not '%s'", optarg);
            o->rotate.seconds = (uint32_t)n;
            break;
        case 'W':
            if (parse_ulong(optarg, 1, 1000000, &n) < 0)
                return usage_error("-W wants a file count from 1 to 1000000, not '%s'", optarg);
            o->rotate.count = (uint32_t)n;
            break;
        case OPT_WORKERS:
            if (parse_ulong(optarg, 1, WORKERS_MAX, &n) < 0)
                return usage_error("--workers wants a number of processes from 1 to 64, not "
                                   "'%s'",
                                   optarg);
            o->workers = (unsigned)n;
            break;
        case OPT_CONNS_LOG:
            o->conns_log = optarg;
            break;
        /* end scaleout */
        case 'Y':
            o->display_filter = optarg;
            break;
        case 'c':
            if (parse_ulong(optarg, 1, ULONG_MAX, &n) < 0)
                return usage_error("-c wants a packet count of 1 or more, not '%s'", optarg);
            o->count = n;
            break;
        case 's':
            if (parse_ulong(optarg, 0, 262144, &n) < 0)
                return usage_error("-s wants a snapshot length from 0 to 262144, not '%s'", optarg);
            o->snaplen = (uint32_t)n;
            break;
        case 'p':
            o->promisc = false;
            break;
        case 'Z':
            o->user = optarg;
            break;
        case 'B':
            if (parse_ulong(optarg, 1, 4194304, &n) < 0)
                return usage_error("-B wants a buffer size in KiB (1 to 4194304), not '%s'",
                                   optarg);
            o->buffer_kib = (uint32_t)n;
            break;
        case 'V':
            o->verbose = true;
            break;
        /* tcpdump habits */
        case 'x':
            o->dump_x++;
            break;
        case 'X':
            o->dump_X++;
            break;
        case 'A':
            o->dump_A++;
            break;
        case OPT_HEX:
            o->dump_X = 2;
            break;
        case 'q': /* tcpdump's quieter line, or tshark's quiet (see below) */
            o->brief = true;
            o->tshark_quiet = true;
            break;
        case 'v':
            o->tcpdump_v++;
            break;
        /* end tcpdump habits */
        case 'n':
            break;
        case 'h':
            print_usage(stdout);
            *done = true;
            return PS_EXIT_OK;
        case OPT_VERSION:
            printf("pktscope %s\n", PKTSCOPE_VERSION);
            *done = true;
            return PS_EXIT_OK;
        case OPT_LIST_FIELDS:
            format_list_fields(stdout);
            *done = true;
            return PS_EXIT_OK;
        case OPT_LIST_KEYS:
            ui_list_keys(stdout);
            *done = true;
            return PS_EXIT_OK;
        case OPT_LIST_OPTIONS:
            print_option_names(stdout);
            *done = true;
            return PS_EXIT_OK;
        case OPT_FOLLOW:
            o->follow = true;
            break;
        case OPT_TUI:
            if (set_mode(o, OUT_TUI) < 0)
                return PS_EXIT_USAGE;
            break;
        case OPT_PRINT:
            if (set_mode(o, OUT_PRINT) < 0)
                return PS_EXIT_USAGE;
            break;
        case OPT_JSON:
            if (set_mode(o, OUT_JSON) < 0)
                return PS_EXIT_USAGE;
            break;
        case OPT_STATS:
            if (set_mode(o, OUT_STATS) < 0)
                return PS_EXIT_USAGE;
            /* tcpdump habits: --stats=json */
            if (!optarg || strcmp(optarg, "text") == 0)
                o->stats_json = false;
            else if (strcmp(optarg, "json") == 0)
                o->stats_json = true;
            else
                return usage_error("--stats wants text or json, not '%s'", optarg);
            /* end tcpdump habits */
            break;
        case OPT_CONNS:
            if (set_mode(o, OUT_CONNS) < 0)
                return PS_EXIT_USAGE;
            if (!optarg || strcmp(optarg, "text") == 0)
                o->conns_format = CONNS_TEXT;
            else if (strcmp(optarg, "json") == 0)
                o->conns_format = CONNS_JSON;
            else if (strcmp(optarg, "zeek") == 0)
                o->conns_format = CONNS_ZEEK;
            else
                return usage_error("--conns wants text, json or zeek, not '%s'", optarg);
            break;
        case OPT_COMPARE: /* clientserver */
            if (set_mode(o, OUT_COMPARE) < 0)
                return PS_EXIT_USAGE;
            if (optarg && strcmp(optarg, "json") == 0)
                o->compare_json = true;
            else if (optarg && strcmp(optarg, "text") != 0)
                return usage_error("--compare wants text or json, not '%s' (the streams follow "
                                   "it: --compare tcp:N udp:M)",
                                   optarg);
            break;
        /* hosts */
        case OPT_HOSTS:
            if (set_mode(o, OUT_HOSTS) < 0)
                return PS_EXIT_USAGE;
            if (!optarg || strcmp(optarg, "text") == 0)
                o->hosts_json = false;
            else if (strcmp(optarg, "json") == 0)
                o->hosts_json = true;
            else
                return usage_error("--hosts wants text or json, not '%s'", optarg);
            break;
        case OPT_SUBNET: {
            char err[PS_ERRBUF_SIZE];
            struct hosts *check = hosts_new();
            int bad = o->nsubnets >= HOSTS_MAX_SUBNETS
                          ? (snprintf(err, sizeof(err), "at most %u subnets can be given",
                                      HOSTS_MAX_SUBNETS),
                             -1)
                          : hosts_add_subnet(check, optarg, SUBNET_GIVEN, err, sizeof(err));
            hosts_free(check);
            if (bad < 0)
                return usage_error("--subnet: %s", err);
            o->subnets[o->nsubnets++] = optarg;
            break;
        }
        /* end hosts */
        /* quiz */
        case OPT_QUIZ:
            if (set_mode(o, OUT_QUIZ) < 0)
                return PS_EXIT_USAGE;
            o->quiz_count = QUIZ_DEFAULT_COUNT;
            if (optarg && parse_ulong(optarg, 1, QUIZ_MAX_COUNT, &n) < 0)
                return usage_error("--quiz wants a number of questions from 1 to 100, not '%s'",
                                   optarg);
            if (optarg)
                o->quiz_count = (unsigned)n;
            break;
        case OPT_ANSWERS:
            o->quiz_answers = true;
            break;
        case OPT_SEED: {
            char *end;
            errno = 0;
            unsigned long long seed = strtoull(optarg, &end, 10);
            if (optarg[0] < '0' || optarg[0] > '9' || *end || errno)
                return usage_error("--seed wants a number from 0 to 18446744073709551615, not "
                                   "'%s'",
                                   optarg);
            o->quiz_seed = (uint64_t)seed;
            o->quiz_seed_given = true;
            break;
        }
        /* end quiz */
        case OPT_LADDER:
            if (set_mode(o, OUT_LADDER) < 0)
                return PS_EXIT_USAGE;
            if (parse_ladder(o, optarg) < 0)
                return usage_error(
                    "--ladder wants a stream number (N, tcp:N, udp:N, icmp:N or icmpv6:N), not "
                    "'%s'",
                    optarg);
            break;
        /* flow */
        case OPT_FLOW:
            if (set_mode(o, OUT_FLOW) < 0)
                return PS_EXIT_USAGE;
            break;
        case OPT_FRAMES:
            if (parse_frames(o, optarg) < 0)
                return usage_error("--frames wants frame numbers from 1: A-B (A <= B), A-, -B or "
                                   "N, not '%s'",
                                   optarg);
            break;
        /* end flow */
        case OPT_FORMAT:
            format_given = true;
            if (strcmp(optarg, "text") == 0)
                o->ladder_format = LADDER_TEXT;
            else if (strcmp(optarg, "mermaid") == 0)
                o->ladder_format = LADDER_MERMAID;
            else if (strcmp(optarg, "plantuml") == 0)
                o->ladder_format = LADDER_PLANTUML;
            else if (strcmp(optarg, "svg") == 0)
                o->ladder_format = LADDER_SVG;
            else
                return usage_error("--format wants text, mermaid, plantuml or svg, not '%s'",
                                   optarg);
            break;
        case OPT_REPLAY:
            o->replay_speed = 1.0;
            if (optarg && parse_speed(optarg, &o->replay_speed) < 0)
                return usage_error("--replay wants a speed above 0 (1 = real time), not '%s'",
                                   optarg);
            break;
        case OPT_STEP:
            o->step = true;
            break;
        case OPT_COLOR_SCHEME:
            if (strcmp(optarg, "default") != 0 && strcmp(optarg, "high-contrast") != 0)
                return usage_error("--color-scheme wants default or high-contrast, not '%s'",
                                   optarg);
            o->color_scheme = optarg;
            break;
        case OPT_PACE:
            if (parse_speed(optarg, &o->pace_sec) < 0 || o->pace_sec > 86400)
                return usage_error("--pace wants seconds between packets, above 0 and at most "
                                   "86400 (0.5, 2), not '%s'",
                                   optarg);
            break;
        case OPT_COMMUNITY_ID_SEED:
            if (parse_ulong(optarg, 0, 65535, &n) < 0)
                return usage_error("--community-id-seed wants a number from 0 to 65535, not '%s'",
                                   optarg);
            o->community_id_seed = (uint16_t)n;
            break;
        case OPT_THREADS:
            if (parse_ulong(optarg, 1, TEXT_THREADS_MAX, &n) < 0)
                return usage_error("--threads wants a number from 1 to 64, not '%s'", optarg);
            o->threads = (unsigned)n;
            break;
        case OPT_SHARD:
            if (parse_shard(optarg, &o->shard_index, &o->shard_count) < 0)
                return usage_error("--shard wants I/N with 0 <= I < N <= 1024 (0/2, 1/2), not "
                                   "'%s'",
                                   optarg);
            break;
        case OPT_MAX_FLOWS:
            if (parse_ulong(optarg, 1, 100000000, &n) < 0)
                return usage_error("--max-flows wants a number from 1 to 100000000, not '%s'",
                                   optarg);
            o->max_flows = (uint32_t)n;
            break;
        case OPT_MAX_PACKETS:
            if (strcmp(optarg, "0") == 0) {
                o->max_packets = SIZE_MAX;
                break;
            }
            if (parse_ulong(optarg, 100, 1000000000, &n) < 0)
                return usage_error("--max-packets wants 0 (no limit) or a number from 100 to "
                                   "1000000000, not '%s'",
                                   optarg);
            o->max_packets = (size_t)n;
            break;
        case OPT_SPOOL_LIMIT:
            if (parse_spool_limit(optarg, &o->spool_limit) < 0)
                return usage_error("--spool-limit wants 0 (no limit) or a size of at least 8M "
                                   "(8M, 500M, 2G; a plain number is MiB), not '%s'",
                                   optarg);
            o->spool_limit_given = true;
            break;
        case 'K':
            no_checksums = true;
            break;
        case OPT_NO_REASSEMBLY:
            o->no_reassembly = true;
            break;
        case '2':
            o->two_pass = true;
            break;
        case 'U':
            o->packet_buffered = true;
            break;
        case 'l':
            o->line_buffered = true;
            break;
        case 't':
            t_count++;
            break;
        case 'F':
            filter_file = optarg;
            break;
        case OPT_IMMEDIATE:
            o->immediate = true;
            break;
        case OPT_CHECKSUMS:
            checksums = true;
            break;
        case OPT_COLOR:
            color_given = true;
            if (!optarg || strcmp(optarg, "auto") == 0)
                color = COLOR_AUTO;
            else if (strcmp(optarg, "always") == 0)
                color = COLOR_ALWAYS;
            else if (strcmp(optarg, "never") == 0)
                color = COLOR_NEVER;
            else
                return usage_error("--color wants auto, always or never, not '%s'", optarg);
            break;
        case OPT_COLUMNS:
            o->columns = optarg;
            break;
        case OPT_NO_CONFIG:
            o->no_config = true;
            break;
        case OPT_TIME:
            time_given = true;
            if (strcmp(optarg, "rel") == 0 || strcmp(optarg, "relative") == 0)
                o->time_format = FMT_TIME_RELATIVE;
            else if (strcmp(optarg, "abs") == 0 || strcmp(optarg, "absolute") == 0)
                o->time_format = FMT_TIME_ABSOLUTE;
            else if (strcmp(optarg, "delta") == 0)
                o->time_format = FMT_TIME_DELTA;
            else if (strcmp(optarg, "epoch") == 0)
                o->time_format = FMT_TIME_EPOCH;
            /* tcpdump habits */
            else if (strcmp(optarg, "date") == 0)
                o->time_format = FMT_TIME_DATE;
            /* end tcpdump habits */
            else
                return usage_error("--time wants rel, abs, date, delta or epoch, not '%s'", optarg);
            break;
        /* tsharkhabits */
        case 'T':
            tmode = optarg;
            if (strcmp(optarg, "fields") == 0) {
                if (set_mode(o, OUT_FIELDS) < 0)
                    return PS_EXIT_USAGE;
            } else if (strcmp(optarg, "text") == 0) {
                if (set_mode(o, OUT_PRINT) < 0)
                    return PS_EXIT_USAGE;
            } else if (strcmp(optarg, "json") == 0 || strcmp(optarg, "ek") == 0 ||
                       strcmp(optarg, "jsonraw") == 0) {
                return usage_error("-T %s is not supported: --json writes one JSON object per "
                                   "packet, keyed by Wireshark's field names",
                                   optarg);
            } else {
                return usage_error("-T wants fields (or text), not '%s'; for JSON use --json",
                                   optarg);
            }
            break;
        case 'e':
            if (!tfields_cmdline) {
                o->link_header = true;
                break;
            }
            if (!o->tfields)
                o->tfields = xcalloc((size_t)argc, sizeof(*o->tfields));
            o->tfields[o->ntfields++] = optarg;
            break;
        case 'E':
            e_opts_given = true;
            if (parse_E(o, optarg) != PS_EXIT_OK)
                return PS_EXIT_USAGE;
            break;
        case 'z':
            if (parse_z(o, optarg) != PS_EXIT_OK)
                return PS_EXIT_USAGE;
            break;
        /* end tsharkhabits */
        case ':':
            if (optopt && optopt < 256)
                fprintf(stderr, "pktscope: option -%c needs a value\n", optopt);
            else
                fprintf(stderr, "pktscope: option %s needs a value\n", argv[optind - 1]);
            fputs("Try 'pktscope --help' for the options.\n", stderr);
            return PS_EXIT_USAGE;
        default:
            if (optopt && optopt < 256)
                fprintf(stderr, "pktscope: unknown option -%c\n", optopt);
            else
                fprintf(stderr, "pktscope: unknown option %s\n", argv[optind - 1]);
            fputs("Try 'pktscope --help' for the options.\n", stderr);
            return PS_EXIT_USAGE;
        }
    }
    /* clientserver: --compare's streams, tcp:N and udp:M, lead the arguments after the options
     * (no BPF expression looks like them). */
    while (o->mode == OUT_COMPARE && optind < argc) {
        const char *a = argv[optind];
        bool tcp = strncmp(a, "tcp:", 4) == 0, udp = strncmp(a, "udp:", 4) == 0;
        if (!tcp && !udp)
            break;
        char *end;
        errno = 0;
        unsigned long num = strtoul(a + 4, &end, 10);
        if (a[4] < '0' || a[4] > '9' || *end || errno || num > UINT32_MAX)
            return usage_error("--compare wants tcp:N and udp:M with stream numbers, not '%s'", a);
        if (tcp)
            o->compare_tcp = (uint32_t)num;
        else
            o->compare_udp = (uint32_t)num;
        optind++;
    }
    if (filter_file && optind < argc)
        return usage_error("give the filter either with -F %s or after the options, not both",
                           filter_file);
    if (filter_file) {
        char errbuf[PS_ERRBUF_SIZE];
        o->filter_buf = read_filter_file(filter_file, errbuf);
        if (!o->filter_buf) {
            fprintf(stderr, "pktscope: %s\n", errbuf);
            return PS_EXIT_USAGE;
        }
    } else if (optind < argc) {
        o->filter_buf = join_args(argc, argv, optind);
    }
    o->filter = o->filter_buf;

    if (t_count) {
        /* tcpdump's -t family, mapped onto --time where pktscope has the column. */
        if (time_given)
            return usage_error("-t%s and --time cannot be used together", "t...");
        if (t_count == 1)
            return usage_error("-t (no time column) is not supported; --time=%s etc. choose "
                               "the column (see --help)",
                               "delta");
        /* tcpdump habits: -tttt is the date and time, as tcpdump prints it (in UTC) */
        static const int t_map[] = {FMT_TIME_EPOCH, FMT_TIME_DELTA, FMT_TIME_DATE,
                                    FMT_TIME_RELATIVE};
        if (t_count > 5)
            return usage_error("-t given more than five times%s", "");
        o->time_format = t_map[t_count - 2];
    }
    /* tcpdump habits: which dump, as tcpdump chooses (print.c): -X before -x before -A. */
    if (o->dump_X) {
        o->dump_style = FMT_DUMP_HEX_ASCII;
        o->dump_link = o->dump_X > 1;
    } else if (o->dump_x) {
        o->dump_style = FMT_DUMP_HEX;
        o->dump_link = o->dump_x > 1;
    } else if (o->dump_A) {
        o->dump_style = FMT_DUMP_ASCII;
    }
    o->hex = o->dump_style != FMT_DUMP_NONE;
    o->print_extras = o->hex || o->brief || o->tcpdump_v;
    /* end tcpdump habits */
    /* quiz */
    if ((o->quiz_answers || o->quiz_seed_given) && o->mode != OUT_QUIZ)
        return usage_error("%s goes with --quiz", o->quiz_answers ? "--answers" : "--seed");
    if (!o->quiz_seed_given)
        o->quiz_seed = 1;
    /* end quiz */
    /* tsharkhabits */
    if (o->mode == OUT_FIELDS && o->ntfields == 0)
        return usage_error("-T fields wants the fields to write: -e FIELD (one -e each)%s", "");
    if (e_opts_given && o->mode != OUT_FIELDS)
        return usage_error("-E goes with -T fields%s", "");
    if (o->mode == OUT_FIELDS) {
        struct tfields *tf;
        char err[1024];
        if (tfields_new(o->tfields, o->ntfields, &o->tfopts, &tf, err, sizeof(err)) < 0)
            return usage_error("%s", err);
        tfields_free(tf);
    }
    (void)tmode;
    bool zstats = o->zconv != 0 || o->zphs || o->zfollow_proto;
    /* -q is tshark's "no packets, only the tables" with -z or -T fields, else tcpdump's
     * quieter line (-q sets both; one meaning is kept). */
    if (zstats || o->mode == OUT_FIELDS)
        o->brief = false;
    else
        o->tshark_quiet = false;
    if (zstats && o->mode != OUT_DEFAULT && o->mode != OUT_PRINT && o->mode != OUT_FIELDS)
        return usage_error("-z goes with --print or -T fields (or -q: only the tables), not "
                           "with %s",
                           mode_flag(o->mode));
    if (zstats && o->mode == OUT_DEFAULT)
        o->mode = OUT_PRINT;
    if (o->link_header && o->mode != OUT_DEFAULT && o->mode != OUT_PRINT)
        return usage_error("-e (the link-level header) goes with --print; with -T fields, "
                           "-e names a field%s",
                           "");
    if (o->link_header && o->mode == OUT_DEFAULT)
        o->mode = OUT_PRINT;
    if (o->tshark_quiet)
        o->quiet = true;
    /* end tsharkhabits */
    o->mode_explicit = o->mode != OUT_DEFAULT;
    if (checksums && no_checksums)
        return usage_error("--checksums and -K (--no-checksums) contradict each other%s", "");
    /* Checksum offload: what a host sends is captured before its NIC (or, on veth and loopback,
     * nobody at all) computes the TCP/UDP checksum, so a capture taken on the sender would flag
     * every outgoing packet. Wireshark does not verify IPv4/TCP/UDP checksums by default for
     * this reason; nor does pktscope, in files, standard input and live captures alike. -K
     * (tcpdump's flag) asks for that default. */
    o->verify_checksums = checksums;
    if (o->read_file && o->interface)
        return usage_error("-r and -i cannot be used together: read a file or capture live%s",
                           NULL);
    if (o->follow && !o->read_file)
        return usage_error("--follow goes with -r FILE%s", NULL);
    /* The first pass reads the file from its start again: a pipe or a growing file cannot. */
    if (o->two_pass && (!o->read_file || strcmp(o->read_file, "-") == 0 || o->follow))
        return usage_error("-2 (two passes) reads a capture file twice: it goes with -r FILE, "
                           "not standard input, --follow or -i%s",
                           "");
    if (o->follow && strcmp(o->read_file, "-") == 0)
        return usage_error("--follow needs a file name: standard input is read until it ends "
                           "anyway%s",
                           NULL);
    if (format_given && o->mode != OUT_LADDER && o->mode != OUT_FLOW)
        return usage_error("--format goes with --ladder=N or --flow%s", NULL);
    if (o->frames_given && o->mode != OUT_LADDER && o->mode != OUT_FLOW) /* flow */
        return usage_error("--frames goes with --ladder=N or --flow%s", NULL);
    if ((o->snaplen || o->buffer_kib || !o->promisc || o->immediate) && o->read_file)
        return usage_error("-s, -B, -p and --immediate-mode go with -i IFACE (live "
                           "capture)%s",
                           NULL);
    if (o->replay_speed > 0 && o->interface)
        return usage_error("--replay paces packets read from a file (-r), not a live capture%s",
                           "");
    if (o->packet_buffered && !o->write_file)
        return usage_error("-U goes with -w FILE%s", NULL);
    if ((o->verbose || o->print_extras) && o->mode != OUT_DEFAULT && o->mode != OUT_PRINT &&
        o->mode != OUT_TUI)
        return usage_error("-V, -v, -q, -x, -X and -A go with --print, not with %s",
                           mode_flag(o->mode));
    bool write_stdout = o->write_file && strcmp(o->write_file, "-") == 0;
    if (write_stdout && (o->mode_explicit || o->verbose || o->print_extras))
        return usage_error("-w - writes the capture to standard output, so %s cannot go there "
                           "too; write the capture to a file instead",
                           o->verbose || o->print_extras ? "-V/-v/-q/-x/-A" : mode_flag(o->mode));
    /* scaleout: -w split into files, or shared among workers, with no output asked for runs
     * as tcpdump -w does: it writes the files and shows nothing (the TUI re-reads one file). */
    if (o->mode == OUT_DEFAULT && o->write_file && !write_stdout &&
        (rotate_enabled(&o->rotate) || o->workers)) {
        o->mode = OUT_PRINT;
        o->quiet = true;
    }
    /* end scaleout */
    if (o->mode == OUT_DEFAULT) {
        if (write_stdout) {
            o->mode = OUT_PRINT;
            o->quiet = true; /* tcpdump -w -: the capture itself is the output */
        } else if (o->verbose || o->print_extras) {
            o->mode = OUT_PRINT;
        } else {
            o->mode = isatty(STDOUT_FILENO) ? OUT_TUI : OUT_PRINT;
        }
    }
    /* A batch run reading a file drops root once its files are open (batch.c); the TUI keeps
     * its user, as it saves ladders where it was started. */
    if (o->user && o->read_file && o->mode == OUT_TUI)
        return usage_error("-Z with -r goes with a batch output (--print, --json, --stats, "
                           "--conns, --ladder); the TUI reading a file keeps its user%s",
                           NULL);
    if (o->step && o->mode != OUT_TUI)
        return usage_error("--step goes with the TUI (--tui, or a terminal)%s", NULL);
    if (o->pace_sec > 0 && (o->mode != OUT_TUI || o->interface))
        return usage_error("--pace goes with the TUI reading a file (-r FILE --tui)%s", NULL);
    if (o->pace_sec > 0 && o->replay_speed > 0)
        return usage_error("--pace and --replay both set the pace: give one%s", NULL);
    if (o->mode == OUT_TUI && o->shard_count)
        return usage_error("--shard goes with the batch outputs (--print, --json, --stats, "
                           "--conns, -w), not the TUI%s",
                           NULL);
    if (o->mode == OUT_TUI && o->count)
        return usage_error("-c goes with the batch outputs (--print, --json, ...), not the "
                           "TUI%s",
                           NULL);
    /* scaleout */
    int sc = check_scaleout(o, write_stdout);
    if (sc != PS_EXIT_OK)
        return sc;
    /* end scaleout */
    /* columns: checked here so that an unknown name is a usage error before anything opens */
    struct settings_given given = {time_given || t_count, color_given, o->columns != NULL};
    if (o->columns) {
        struct columns cs;
        char err[PS_ERRBUF_SIZE];
        columns_init(&cs);
        int r = columns_parse(&cs, o->columns, err, sizeof(err));
        columns_release(&cs);
        if (r < 0)
            return usage_error("--columns: %s", err);
        if (o->mode != OUT_PRINT && o->mode != OUT_TUI)
            return usage_error("--columns goes with --print or the TUI, not with %s",
                               mode_flag(o->mode));
        if (o->brief)
            return usage_error("--columns and -q both choose what a --print line holds; give "
                               "one%s",
                               "");
    }
    int color_choice = (int)color;
    settings_load(o, &given, &color_choice);
    color = color_choice == 1 ? COLOR_ALWAYS : color_choice == 2 ? COLOR_NEVER : COLOR_AUTO;
    /* end columns */
    /* NO_COLOR (no-color.org): set and not empty means no colour unless asked for explicitly. */
    const char *nc = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    o->color_never = color == COLOR_NEVER; /* the TUI's colours too */
    if (color == COLOR_ALWAYS)
        o->color = true;
    else if (color == COLOR_AUTO)
        o->color = isatty(STDOUT_FILENO) && !(nc && *nc) && !(term && strcmp(term, "dumb") == 0);
    return PS_EXIT_OK;
}

int main(int argc, char **argv)
{
    struct options o;
    bool done;
    int status = parse_args(argc, argv, &o, &done);
    if (status != PS_EXIT_OK || done) {
        free(o.filter_buf);
        free(o.tfields); /* tsharkhabits */
        return status;
    }

    community_id_set_seed(o.community_id_seed);
    char errbuf[PS_ERRBUF_SIZE];
    if (o.config.warning[0] && o.mode != OUT_TUI) /* the TUI shows it on its message line */
        fprintf(stderr, "pktscope: warning: %s\n", o.config.warning);
    if (o.list_interfaces) {
        int r = live_list_interfaces(stdout, errbuf);
        if (r < 0)
            fprintf(stderr, "pktscope: %s\n", errbuf);
        free(o.filter_buf);
        free(o.tfields); /* tsharkhabits */
        return r < 0 ? PS_EXIT_USAGE : PS_EXIT_OK;
    }

    if (o.workers) { /* scaleout */
        status = workers_run(&o);
        free(o.filter_buf);
        free(o.tfields);
        return status;
    }
    struct source *src = NULL;
    if (o.mode == OUT_TUI && !o.read_file && !o.interface) {
        src = NULL; /* the TUI offers an interface picker */
    } else {
        int code;
        src = open_input(&o, errbuf, &code);
        if (!src) {
            fprintf(stderr, "pktscope: %s\n", errbuf);
            free(o.filter_buf);
            free(o.tfields); /* tsharkhabits */
            return code;
        }
    }

    if (o.mode == OUT_TUI) {
        /* A stream held in memory instead grew without bound, whatever --max-packets said
         * (issue 13); spooled, its index keeps the newest --max-packets packets as a live
         * capture's does. */
        char spool_notice[PS_ERRBUF_SIZE] = "";
        if (src) {
            src = pipeline_rereadable(src, o.write_file, o.spool_limit, o.spool_limit_given,
                                      spool_notice, errbuf);
            if (!src) {
                fprintf(stderr, "pktscope: %s\n", errbuf);
                free(o.filter_buf);
                free(o.tfields); /* tsharkhabits */
                return PS_EXIT_USAGE;
            }
        }
        struct ui_args ua;
        memset(&ua, 0, sizeof(ua));
        ua.src = src;
        ua.filter = o.filter;
        ua.display_filter = o.display_filter;
        ua.step = o.step;
        ua.replay_speed = o.replay_speed;
        ua.pace_sec = o.pace_sec;
        ua.color_scheme = o.color_scheme;
        ua.max_flows = o.max_flows;
        ua.max_packets = o.max_packets;
        ua.no_checksums = !o.verify_checksums;
        ua.no_reassembly = o.no_reassembly;
        ua.subnets = o.subnets;
        ua.nsubnets = o.nsubnets;
        ua.time_format = o.time_format;
        ua.follow = o.follow;
        ua.no_color = o.color_never;
        ua.user = o.user;
        ua.snaplen = o.snaplen;
        ua.buffer_kib = o.buffer_kib;
        ua.no_promisc = !o.promisc;
        ua.write_file = o.write_file;
        ua.spool_limit = o.spool_limit;
        ua.spool_limit_given = o.spool_limit_given;
        ua.notice = spool_notice;
        ua.columns = o.columns;
        ua.config = o.no_config || !o.config.path[0] ? NULL : &o.config;
        ua.conns_sort = o.conns_sort;
        ua.conns_desc = o.conns_desc;
        status = ui_run(&ua);
    } else {
        status = batch_run(&o, src);
    }
    free(o.filter_buf);
    free(o.tfields); /* tsharkhabits */
    return status;
}
