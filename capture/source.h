/*
 * capture: where packets come from. Every source (a pcap or pcapng file, standard input, a file
 * that is still growing, a live interface) sits behind the same small interface, so the batch
 * outputs and the TUI never know which one they read.
 *
 * Ownership: a packet returned by next() points into memory the source owns (the source's own
 * buffers). It stays valid until the next call of next() or read_at() on the same
 * source, or until close(). Callers that need it longer copy it.
 *
 * Only capture/ includes pcap.h.
 */
#ifndef PKTSCOPE_CAPTURE_SOURCE_H
#define PKTSCOPE_CAPTURE_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/linktype.h"

/* The largest packet we accept from any source (libpcap's MAXIMUM_SNAPLEN). */
#define CAPTURE_MAX_PACKET 262144u

struct packet {
    const uint8_t *data; /* caplen bytes */
    uint32_t caplen;     /* bytes captured */
    uint32_t len;        /* bytes on the wire */
    int64_t ts_sec;      /* seconds since the epoch, UTC, if_tsoffset applied */
    uint32_t ts_nsec;    /* nanoseconds, 0..999999999 */
    uint32_t linktype; /* LINKTYPE_* (util/linktype.h), per packet: pcapng interfaces may differ */
    uint32_t ifindex;  /* pcapng interface id (global across sections), 0 for pcap */
    uint64_t number;   /* 1-based frame number, as tshark counts */
    uint64_t record_off; /* byte offset of the record in the file (for read_at); 0 if none */
    const char *comment; /* pcapng opt_comment (first one), NUL-terminated, or NULL */
    uint16_t comment_len;
    bool ts_missing; /* pcapng Simple Packet Block: no timestamp in the file (ts is 0);
                        Wireshark shows no time for it */
};

enum source_status {
    SOURCE_PACKET = 1, /* *pkt filled */
    SOURCE_AGAIN = 0,  /* nothing now (live, growing file): poll fd() and call again */
    SOURCE_EOF = -1,   /* no more packets */
    SOURCE_ERROR = -2, /* damaged input or I/O error: message in the errbuf; no more packets */
};

struct source_stats {
    uint64_t packets;         /* packets returned so far */
    uint64_t bytes;           /* their captured bytes */
    uint64_t kernel_received; /* live: ps_recv */
    uint64_t kernel_dropped;  /* live: ps_drop */
    uint64_t if_dropped;      /* live: ps_ifdrop */
    bool has_kernel_stats;
};

struct source;

struct source_ops {
    /* Next packet. Returns enum source_status; on SOURCE_ERROR writes errbuf. */
    int (*next)(struct source *src, struct packet *pkt, char *errbuf);
    /* A descriptor that becomes readable when next() may have more, or -1 (files: always ready). */
    int (*fd)(struct source *src);
    void (*stats)(struct source *src, struct source_stats *st);
    /* Optional: re-read the record at byte offset `record_off` (files only; NULL otherwise). The
     * packet's number is filled from `number`. Returns SOURCE_PACKET or SOURCE_ERROR. */
    int (*read_at)(struct source *src, uint64_t record_off, uint64_t number, struct packet *pkt,
                   char *errbuf);
    void (*close)(struct source *src); /* releases everything, including src itself */
};

struct interface_info {
    uint32_t linktype;
    uint32_t snaplen;
    const char *name;        /* if_name, or NULL */
    const char *description; /* if_description, or NULL */
};

/*
 * What a source can do, asked once here instead of by its format or its ops: a spool over a
 * live capture is live, growing and re-readable at once.
 */
enum source_caps {
    SOURCE_CAP_LIVE = 1u << 0,          /* packets captured now on an interface (kernel BPF) */
    SOURCE_CAP_GROWING = 1u << 1,       /* more may come after SOURCE_AGAIN: live, --follow */
    SOURCE_CAP_RANDOM_ACCESS = 1u << 2, /* read_at() re-reads any packet: a file, a spool */
};

struct source {
    const struct source_ops *ops;
    unsigned caps;     /* enum source_caps */
    const char *name;  /* file path, "-", or interface name: for messages */
    uint32_t linktype; /* of the first interface (pcap: the only one) */
    uint32_t snaplen;
    const char *format;          /* "pcap", "pcapng", "live" */
    bool nanosecond;             /* pcap: nanosecond magic */
    const char *section_comment; /* pcapng SHB opt_comment, or NULL */
};

static inline int source_next(struct source *s, struct packet *p, char *errbuf)
{
    return s->ops->next(s, p, errbuf);
}

static inline bool source_has(const struct source *s, unsigned caps)
{
    return s && (s->caps & caps) == caps;
}

static inline void source_close(struct source *s)
{
    if (s)
        s->ops->close(s);
}

/*
 * Opens a pcap or pcapng file ("-" is standard input, read as a stream). next() reads it in
 * large chunks into one reusable buffer; for a regular file read_at() re-reads any packet with
 * pread() (read_at is NULL for pipes and standard input). A file that shrinks while open is
 * reported by read_at() as damage ("the file shrank"), never a crash.
 * Returns NULL with errbuf set: "not a capture file" and "cannot open" are distinct messages
 * that name the file and say what to do (exit status 2); a capture damaged later, even in its
 * header, opens and its next() reports the damage (exit status 1). `follow`: keep reading as the
 * file grows (next() returns SOURCE_AGAIN at the current end instead of SOURCE_EOF).
 */
struct source *file_source_open(const char *path, bool follow, char *errbuf);

/*
 * read_at() through a cache of `count` blocks of 128 KB each (made as they are first read),
 * instead of a pread() of a window around each record: for a reader asked for records all over
 * a region of the file again and again, such as the frames a reassembled message came from
 * (ui/kept.c). Once per source; a stream (no read_at) ignores it.
 */
void file_source_cache_blocks(struct source *src, size_t count);

/* Number of interfaces a file source has seen so far, and one of them (NULL if out of range). */
uint32_t file_source_interface_count(struct source *src);
const struct interface_info *file_source_interface(struct source *src, uint32_t ifindex);

/* Bytes of the file consumed so far and the file's size (0 when unknown): for progress bars. */
void file_source_progress(struct source *src, uint64_t *done, uint64_t *total);

/* True when a and b are file sources reading the same regular file (not a pipe): one opened
 * again by name is checked with this, since the name may have been renamed over since. */
bool file_source_same_file(const struct source *a, const struct source *b);
/* Sequential reading ends at byte `end` of the file as at its end (0: no such end): readers
 * of one file that another program may still be writing all see the same records. */
void file_source_stop_at(struct source *src, uint64_t end);

/*
 * --threads: the packets next() returns stay valid after the next one is read, so that other
 * threads can read them where they are. When the sequential buffer is refilled, the buffer
 * that holds every packet returned so far goes to retire() (the caller frees or reuses it once
 * nothing reads those), and reading goes on in one from fresh(), of at least *cap bytes (*cap
 * set to its size). A packet's comment is then where the file had it, in the same buffer.
 * False, and nothing changes, for a source that is not a file.
 */
bool file_source_is(const struct source *src); /* a file's or a pipe's records (not live) */
bool file_source_hand_over(struct source *src, uint8_t *(*fresh)(void *ctx, size_t *cap),
                           void (*retire)(void *ctx, uint8_t *buf, size_t cap), void *ctx);

/*
 * The index pass, for big files (the TUI opens a 1 GB capture at once and indexes it in the
 * background): one small fixed entry per packet, enough to list it by number and time and to
 * re-read it with read_at(), made without dissecting and without copying any packet.
 *
 * file_source_index() continues sequential reading where next() (or the previous call) left
 * off: it shares the position, the packet numbering, the statistics and the sticky error with
 * next(), so entry i of a call describes packet number (packets read before the call) + i + 1.
 * It handles at most `max` records, so a caller that must stay responsive (the UI's poll loop)
 * indexes in slices: a slice of 65536 records takes a few milliseconds on a file in the page
 * cache. The section and interface tables read_at() needs are built along the way.
 *
 * Returns SOURCE_PACKET when `max` entries were written (more may follow); otherwise the status
 * that stopped it early: SOURCE_EOF, SOURCE_AGAIN (--follow: the file may grow; call again
 * later) or SOURCE_ERROR (errbuf says where and why; entries before the damage are valid and
 * every later call repeats the error). *n is the number of entries written in every case.
 * Not thread-safe: index and read_at() from the same thread (or lock around both).
 *
 * Sources other than files (live capture through a spool) fill the same entry from next() with
 * packet_index_of().
 */
struct packet_index {
    uint64_t record_off; /* for read_at() */
    int64_t ts_sec;      /* as struct packet */
    uint32_t ts_nsec;
    uint32_t caplen;
    uint32_t len;
    uint32_t ifindex; /* file_source_interface(src, ifindex)->linktype */
};

static inline void packet_index_of(const struct packet *p, struct packet_index *e)
{
    e->record_off = p->record_off;
    e->ts_sec = p->ts_sec;
    e->ts_nsec = p->ts_nsec;
    e->caplen = p->caplen;
    e->len = p->len;
    e->ifindex = p->ifindex;
}

int file_source_index(struct source *src, struct packet_index *out, size_t max, size_t *n,
                      char *errbuf);

/*
 * BPF display filters over file packets through libpcap's compiler (pcap_open_dead +
 * pcap_compile + pcap_offline_filter). One compiled program per link type, made on demand.
 */
struct bpf_filter;
/* Checks the expression by compiling it for Ethernet; NULL with errbuf explaining why. */
struct bpf_filter *bpf_filter_new(const char *expr, char *errbuf);
/* 1 if the packet matches, 0 if not. A link type the expression cannot apply to never matches. */
int bpf_filter_match(struct bpf_filter *f, const struct packet *pkt);
void bpf_filter_free(struct bpf_filter *f);

#endif
