/*
 * file: our own reader for pcap and pcapng capture files (and standard input as a stream).
 *
 * Why not libpcap's reader: it cannot read a pcapng file whose interfaces have different link
 * types, it does not keep record offsets for random access, and it copies every packet.
 *
 * Access: sequential reading (next(), file_source_index()) read()s the file in 256 KB chunks
 * into one reusable buffer that only keeps the record being read, so a file or a stream of any
 * length runs in bounded memory, and each packet is parsed from bytes that are already in the
 * CPU cache. Random access (read_at(), regular files only) pread()s the record into a second
 * buffer that keeps a window of FILE_WINDOW bytes around it, so neighbouring records cost no
 * further system call; or, for a reader that returns to the same region again and again
 * (file_source_cache_blocks), through a small cache of 128 KB blocks of the file.
 *
 * Why not map the file for random access (as this reader did until issue 13): a file that
 * shrinks under us (tcpdump -w restarting on the same name, a rotation, a truncate) turns every
 * mapped byte past the new end into SIGBUS, which no check can rule out, since the file may
 * shrink between the check and the access. A short pread() is damage to report: read_at() says
 * "the file shrank" and the program goes on. The mapping also counted touched pages in our RSS.
 *
 * Why not walk the mapping sequentially too (as this reader first did): records form a chain of
 * dependent loads (each length says where the next record starts), so every record header was a
 * cache and TLB miss plus a page fault every few records, which the kernel's copy in read()
 * avoids (it streams through its direct map with large pages). Measured on a 1 GB, 1M-packet
 * file from the page cache (bench/run.sh, Linux 6.18, 2 vCPU EPYC): the index pass took 1.1 s
 * of CPU walking the mapping, with prefetching and page-table population tried, and 0.33 s
 * with read() into the buffer; libpcap's fread() loop takes 0.6 s.
 *
 * Every length in the file is distrusted: it is checked against what is present, against
 * CAPTURE_MAX_PACKET (packets) and FILE_MAX_BLOCK (pcapng blocks) before anything is read or
 * allocated, and every option loop advances by at least 4 bytes. The first damage ends the
 * file: next() has returned every good packet before it and then returns SOURCE_ERROR with one
 * message naming the file, the byte offset and the cause (sticky: later calls repeat it).
 *
 * Error classes, so callers can choose the exit status: file_source_open() returns NULL only
 * when the file cannot be opened or is not a capture file at all (exit 2). A file that is a
 * capture but whose header is already damaged or of an unsupported version opens, and its first
 * next() returns SOURCE_ERROR (exit 1, like any other damage).
 *
 * Choices where readers disagree (libpcap sf-pcap.c / sf-pcapng.c, Wireshark wiretap):
 *  - caplen > snaplen but <= CAPTURE_MAX_PACKET is tolerated and every captured byte is kept
 *    (libpcap truncates to the snaplen; Wireshark keeps them, and Wireshark is our oracle).
 *  - caplen > len is tolerated as both libpcap and Wireshark do; dissectors clamp anyway.
 *  - caplen 0 is a legal, empty packet.
 *  - pcap fractional seconds of 1000000 us (or 10^9 ns) or more are carried into the seconds so
 *    that ts_nsec stays below 10^9 (Wireshark prints them unnormalised, e.g. ".1000000000").
 *  - pcap thiszone is ignored, as both libpcap and Wireshark do; pcapng if_tsoffset is applied.
 *  - pcap versions accepted are libpcap's: 2.0 to 2.4 and DG/UX 543.0; before 2.3 (and DG/UX)
 *    caplen and len are swapped in every record, in 2.3 only when caplen > len.
 *  - pcap link type: the low 16 bits; reserved bits 0x03ff0000 set = damaged header (libpcap).
 *  - pcapng versions accepted: 1.0 and 1.2 (libpcap).
 */
#include "capture/source.h"
#include "util/cursor.h"
#include "util/ptime.h"
#include "util/strbuf.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PCAP_MAGIC_USEC 0xa1b2c3d4u
#define PCAP_MAGIC_NSEC 0xa1b23c4du
#define PCAP_MAGIC_KUZNETZOV 0xa1b2cd34u /* patched Linux tcpdump: 8 more bytes per record */
#define PCAP_FILE_HDR_LEN 24u

#define PCAPNG_SHB 0x0a0d0d0au
#define PCAPNG_BOM 0x1a2b3c4du
#define PCAPNG_IDB 1u
#define PCAPNG_PB 2u /* obsolete Packet Block */
#define PCAPNG_SPB 3u
#define PCAPNG_EPB 6u

#define PCAPNG_MIN_BLOCK 12u
#define PCAPNG_MIN_SHB 28u
#define PCAPNG_MIN_IDB 20u
#define PCAPNG_MIN_EPB 32u
#define PCAPNG_MIN_PB 32u
#define PCAPNG_MIN_SPB 16u

#define OPT_ENDOFOPT 0
#define OPT_COMMENT 1
#define IF_NAME 2
#define IF_DESCRIPTION 3
#define IF_TSRESOL 9
#define IF_FCSLEN 13
#define IF_TSOFFSET 14

/* libpcap's cap on any pcapng block (sf-pcapng.c): a damaged length can't make us allocate more. */
#define FILE_MAX_BLOCK (16u * 1024u * 1024u)
#define FILE_MAX_INTERFACES 65536u
/*
 * Metadata kept, bounded (issue 13: a stream of sections with 1 MB comments grew without end).
 * Only the first section's comment is used (-w copies it into its section header), so only it
 * is kept, cut to FILE_MAX_COMMENT bytes; later sections' comments are skipped. Interface names
 * and descriptions are cut to FILE_MAX_IFACE_STRING bytes, so the interface table holds at most
 * FILE_MAX_INTERFACES * 2 * FILE_MAX_IFACE_STRING bytes of text (32 MB) however long the file.
 */
#define FILE_MAX_COMMENT 4096u
#define FILE_MAX_IFACE_STRING 256u
#define FILE_MAX_SECTIONS (1u << 20)
/* Sequential reading's first buffer: a regular file's size up to FILE_STREAM_CHUNK (a small file
 * gets a small buffer), a pipe's default capacity for a pipe or a terminal (one read() never
 * gives more). It doubles only when one record needs more. */
#define FILE_STREAM_CHUNK (256u * 1024u)
#define FILE_PIPE_CHUNK (64u * 1024u)
#define FILE_SMALLEST_CHUNK 4096u
/* read_at() reads this much around a record: the TUI re-reads neighbouring packets. */
#define FILE_WINDOW (64u * 1024u)
/* The block of read_at()'s cache (file_source_cache_blocks). */
#define FILE_BLOCK (128u * 1024u)

enum { LEN_NOT_SWAPPED, LEN_SWAPPED, LEN_MAYBE_SWAPPED };

/* Results of fs_need(). */
enum { NEED_OK = 0, NEED_SHORT = 1, NEED_IOERR = 2 };

struct file_iface {
    struct interface_info info;
    int64_t tsoffset;    /* if_tsoffset, seconds */
    uint8_t tsresol_exp; /* 10^-exp or 2^-exp seconds */
    bool tsresol_pow2;
    uint8_t fcslen;
};

struct file_section {
    uint64_t off;      /* byte offset of its SHB */
    uint32_t first_if; /* global index of its interface 0 */
    uint32_t if_count;
    bool be;
};

/* A block of the file as read_at()'s cache holds it: bytes [index * FILE_BLOCK, + len). */
struct file_block {
    uint64_t index; /* UINT64_MAX: holds nothing */
    uint32_t len;   /* FILE_BLOCK, or fewer at the end of the file */
    uint8_t *p;     /* FILE_BLOCK bytes, made on first use */
};

struct file_source {
    struct source base; /* first: the ops receive &base */
    char *path;
    int fd;
    bool own_fd;
    bool mapped; /* a regular file: read_at() works (by pread: the name is historical) */
    bool follow;
    bool pcapng;

    /* random access (read_at): rbuf holds file bytes [rbuf_off, rbuf_off + rbuf_len) */
    uint8_t *rbuf;
    size_t rbuf_cap, rbuf_len;
    uint64_t rbuf_off;
    /* read_at()'s block cache, direct-mapped by block index (file_source_cache_blocks) */
    struct file_block *blocks;
    size_t nblocks;

    /* sequential reading: buf holds file bytes [buf_off, buf_off + buf_len) */
    uint8_t *buf;
    size_t buf_cap, buf_len;
    size_t buf_first_cap; /* buf's size when first made */
    uint64_t buf_off;
    bool would_block; /* the last read said EAGAIN */

    uint64_t pos; /* offset of the next record or block */
    /* file_source_stop_at(): sequential reading ends here as at the end of the file (0: at
     * the end of the file) */
    uint64_t read_end;

    /* pcap */
    bool be;
    uint32_t rec_hdr_len;
    int len_swap;

    /* pcapng */
    struct file_section *sections;
    size_t n_sections, cap_sections;
    struct file_iface *ifaces;
    size_t n_ifaces, cap_ifaces;
    char *comment_buf; /* 65536 bytes, made on the first packet comment */
    struct interface_info pcap_iface;

    uint64_t number;
    struct source_stats stats;
    bool indexing; /* file_source_index(): nobody looks at comments, don't copy them */
    /* file_source_hand_over(): at a refill the sequential buffer, which holds the packets
     * returned so far, goes to hand_retire and reading goes on in one from hand_fresh. */
    uint8_t *(*hand_fresh)(void *ctx, size_t *cap);
    void (*hand_retire)(void *ctx, uint8_t *buf, size_t cap);
    void *hand_ctx;
    bool failed;
    char error[PS_ERRBUF_SIZE];
};

static inline uint16_t rd16(const uint8_t *p, bool be)
{
    return be ? (uint16_t)((p[0] << 8) | p[1]) : (uint16_t)((p[1] << 8) | p[0]);
}

static inline uint32_t rd32(const uint8_t *p, bool be)
{
    if (be)
        return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
    return ((uint32_t)p[3] << 24) | ((uint32_t)p[2] << 16) | ((uint32_t)p[1] << 8) | p[0];
}

static inline uint16_t cur_u16o(struct cursor *c, bool be)
{
    return be ? cur_be16(c) : cur_le16(c);
}

static inline uint32_t cur_u32o(struct cursor *c, bool be)
{
    return be ? cur_be32(c) : cur_le32(c);
}

static inline uint64_t cur_u64o(struct cursor *c, bool be)
{
    return be ? cur_be64(c) : cur_le64(c);
}

static struct file_source *fs_of(struct source *src)
{
    return (struct file_source *)src;
}

/* ---- messages ---------------------------------------------------------------------------- */

/*
 * Damage: "<file>: <what>; the N packets before it were read". Sticky when `seq` (sequential
 * reading); read_at() failures are not.
 */
static int fs_fail(struct file_source *s, char *errbuf, bool seq, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fs_fail(struct file_source *s, char *errbuf, bool seq, const char *fmt, ...)
{
    char what[PS_ERRBUF_SIZE];
    char tail[80];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if (!seq) {
        ps_err(errbuf, "%s: %s", s->path, what);
        return SOURCE_ERROR;
    }
    if (s->number == 0)
        snprintf(tail, sizeof(tail), "no packet comes before it");
    else if (s->number == 1)
        snprintf(tail, sizeof(tail), "the packet before it was read");
    else
        snprintf(tail, sizeof(tail), "the %" PRIu64 " packets before it were read", s->number);
    snprintf(s->error, sizeof(s->error), "%.200s: %.220s; %.79s", s->path, what, tail);
    s->failed = true;
    ps_err(errbuf, "%s", s->error);
    return SOURCE_ERROR;
}

/* ---- byte access --------------------------------------------------------------------------- */

/* Block `index` of the file in the cache, read if it is not there; NULL on a read error (the
 * caller then reads as if there were no cache, and reports it). */
static struct file_block *fs_block(struct file_source *s, uint64_t index)
{
    struct file_block *b = &s->blocks[index % s->nblocks];
    if (b->index == index)
        return b;
    if (!b->p)
        b->p = xmalloc(FILE_BLOCK);
    b->index = UINT64_MAX;
    b->len = 0;
    while (b->len < FILE_BLOCK) {
        ssize_t r =
            pread(s->fd, b->p + b->len, FILE_BLOCK - b->len, (off_t)(index * FILE_BLOCK + b->len));
        if (r > 0) {
            b->len += (uint32_t)r;
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return NULL;
        break; /* end of file */
    }
    b->index = index;
    return b;
}

/*
 * Random access through the block cache: true with *p at the file bytes [off, off + n), within
 * one block or copied from several into rbuf. false when the cache cannot say (bytes past the
 * end of the file, a read error, more bytes than the cache holds): fs_pread() then reads them
 * itself and says what went wrong.
 */
static bool fs_cached(struct file_source *s, uint64_t off, size_t n, const uint8_t **p)
{
    if (n == 0 || off > UINT64_MAX - n)
        return false;
    uint64_t first = off / FILE_BLOCK, last = (off + n - 1) / FILE_BLOCK;
    if (last - first >= s->nblocks)
        return false;
    if (first == last) {
        struct file_block *b = fs_block(s, first);
        size_t in = (size_t)(off % FILE_BLOCK);
        if (!b || in > b->len || n > b->len - in)
            return false;
        *p = b->p + in;
        return true;
    }
    /* A record across blocks: its bytes side by side in rbuf, as a window of exactly them. */
    if (s->rbuf_cap < n) {
        free(s->rbuf);
        s->rbuf = xmalloc(n);
        s->rbuf_cap = n;
    }
    s->rbuf_off = UINT64_MAX;
    size_t done = 0;
    for (uint64_t i = first; i <= last; i++) {
        struct file_block *b = fs_block(s, i);
        size_t in = i == first ? (size_t)(off % FILE_BLOCK) : 0;
        size_t take = n - done < FILE_BLOCK - in ? n - done : FILE_BLOCK - in;
        if (!b || b->len < in + take)
            return false;
        memcpy(s->rbuf + done, b->p + in, take);
        done += take;
    }
    s->rbuf_off = off;
    s->rbuf_len = n;
    *p = s->rbuf;
    return true;
}

/*
 * Random access: the file bytes [off, off + n) into rbuf by pread(). NEED_SHORT when fewer
 * exist (*have says how many); when bytes that sequential reading already passed are gone, the
 * file shrank: NEED_IOERR with a message saying so (a file that shrinks is damage, not a crash).
 */
static int fs_pread(struct file_source *s, uint64_t off, size_t n, const uint8_t **p,
                    uint64_t *have, char *errbuf)
{
    if (s->nblocks && fs_cached(s, off, n, p))
        return NEED_OK;
    if (s->rbuf_off != UINT64_MAX && off >= s->rbuf_off && off - s->rbuf_off <= s->rbuf_len &&
        n <= s->rbuf_len - (size_t)(off - s->rbuf_off)) {
        *p = s->rbuf + (off - s->rbuf_off);
        return NEED_OK;
    }
    size_t want = n > FILE_WINDOW ? n : FILE_WINDOW;
    if (!s->rbuf) {
        s->rbuf = xmalloc(FILE_WINDOW);
        s->rbuf_cap = FILE_WINDOW;
    }
    s->rbuf_off = off;
    s->rbuf_len = 0;
    while (s->rbuf_len < want) {
        /* Grow only as bytes actually arrive: a damaged length must not make us allocate (and
         * copy) what it claims when the file holds less. */
        if (s->rbuf_len == s->rbuf_cap) {
            size_t cap = s->rbuf_cap * 2 < want ? s->rbuf_cap * 2 : want;
            s->rbuf = xrealloc(s->rbuf, cap);
            s->rbuf_cap = cap;
        }
        size_t room = (want < s->rbuf_cap ? want : s->rbuf_cap) - s->rbuf_len;
        ssize_t r = pread(s->fd, s->rbuf + s->rbuf_len, room, (off_t)(off + s->rbuf_len));
        if (r > 0) {
            s->rbuf_len += (size_t)r;
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            ps_err(errbuf, "%s: read error at byte %" PRIu64 ": %s", s->path, off + s->rbuf_len,
                   strerror(errno));
            s->rbuf_len = 0;
            return NEED_IOERR;
        }
        break; /* end of file */
    }
    if (s->rbuf_len >= n) {
        *p = s->rbuf;
        return NEED_OK;
    }
    *have = s->rbuf_len;
    if (off + n <= s->pos) {
        struct stat st;
        long long size = fstat(s->fd, &st) == 0 ? (long long)st.st_size : -1;
        ps_err(errbuf,
               "%s: the file shrank to %lld bytes while open (truncated or replaced?): "
               "packets past byte %lld are gone; open it again",
               s->path, size, size);
        return NEED_IOERR;
    }
    return NEED_SHORT;
}

/*
 * Makes the file bytes [off, off + n) available at *p. NEED_SHORT: fewer exist (yet); *have says
 * how many. NEED_IOERR: errbuf is set. seq: sequential reading, through the buffer, which keeps
 * nothing before s->pos, so a pointer from an earlier call is dead after the next one; otherwise
 * random access through the mapping (regular files only).
 */
static int fs_need(struct file_source *s, uint64_t off, size_t n, const uint8_t **p, uint64_t *have,
                   char *errbuf, bool seq)
{
    if (!seq)
        return fs_pread(s, off, n, p, have, errbuf);

    /* Sequential: off is never before pos. */
    if (off < s->buf_off || off - s->buf_off > s->buf_len) {
        ps_err(errbuf, "%s: internal error: stream read out of order at byte %" PRIu64, s->path,
               off);
        return NEED_IOERR;
    }
    size_t start = (size_t)(off - s->buf_off);
    if (n <= s->buf_len - start) {
        *p = s->buf + start;
        return NEED_OK;
    }
    /* Drop what lies before the current record, then read at least the rest. */
    if (s->pos > s->buf_off && s->pos <= off) {
        size_t drop = (size_t)(s->pos - s->buf_off);
        if (s->hand_retire) {
            /* The packets returned so far stay where they are, for whoever reads them. */
            size_t cap = s->buf_cap;
            uint8_t *fresh = s->hand_fresh(s->hand_ctx, &cap);
            memcpy(fresh, s->buf + drop, s->buf_len - drop);
            s->hand_retire(s->hand_ctx, s->buf, s->buf_cap);
            s->buf = fresh;
            s->buf_cap = cap;
        } else {
            memmove(s->buf, s->buf + drop, s->buf_len - drop);
        }
        s->buf_len -= drop;
        s->buf_off = s->pos;
        start -= drop;
    }
    size_t want = start + n;
    s->would_block = false;
    while (s->buf_len < want) {
        /* Grow only as bytes actually arrive: a damaged length on a short stream must not
         * make us allocate what it claims (at most twice what is there, plus one chunk). */
        if (s->buf_len == s->buf_cap) {
            size_t cap = s->buf_cap ? s->buf_cap * 2 : s->buf_first_cap;
            s->buf = xrealloc(s->buf, cap);
            s->buf_cap = cap;
        }
        size_t room = s->buf_cap - s->buf_len;
        if (s->read_end) {
            uint64_t at = s->buf_off + s->buf_len;
            if (at >= s->read_end)
                break; /* the end that was set: as the end of the file */
            if (room > s->read_end - at)
                room = (size_t)(s->read_end - at);
        }
        ssize_t r = read(s->fd, s->buf + s->buf_len, room);
        if (r > 0) {
            s->buf_len += (size_t)r;
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            s->would_block = true;
            break;
        }
        if (r < 0) {
            ps_err(errbuf, "%s: read error at byte %" PRIu64 ": %s", s->path,
                   s->buf_off + s->buf_len, strerror(errno));
            return NEED_IOERR;
        }
        break; /* end of file (for now) */
    }
    if (s->buf_len < want) {
        *have = s->buf_len - start;
        return NEED_SHORT;
    }
    *p = s->buf + start;
    return NEED_OK;
}

/* What to say when fewer bytes than a record needs are there. */
static int fs_short(struct file_source *s, char *errbuf, bool seq, uint64_t off, uint64_t have,
                    const char *what, uint64_t need)
{
    if (seq && (s->follow || s->would_block))
        return SOURCE_AGAIN; /* the rest may still come */
    if (have == 0 && seq)
        return SOURCE_EOF;
    if (!seq)
        return fs_fail(s, errbuf, false, "no complete %s at byte %" PRIu64, what, off);
    return fs_fail(s, errbuf, true,
                   "file ends in the middle of a %s at byte %" PRIu64 " (%" PRIu64
                   " bytes needed, %" PRIu64 " present)",
                   what, off, need, have);
}

/* ---- timestamps ---------------------------------------------------------------------------- */

/* A pcapng timestamp in if_tsresol units to seconds and nanoseconds (if_tsoffset applied). */
static void ng_time(const struct file_iface *ifc, uint64_t ts, struct packet *pkt)
{
    uint64_t sec, nsec;
    unsigned e = ifc->tsresol_exp;
    if (ifc->tsresol_pow2) {
        if (e == 0) {
            sec = ts;
            nsec = 0;
        } else {
            sec = e >= 64 ? 0 : ts >> e;
            uint64_t rem = e >= 64 ? ts : ts & ((1ull << e) - 1);
            /* rem * 10^9 must fit in 64 bits: 10^9 < 2^30, so keep rem below 2^34. */
            if (e > 34) {
                rem >>= e - 34;
                e = 34;
            }
            nsec = (rem * 1000000000ull) >> e;
        }
    } else {
        uint64_t units = pow10_u64[e];
        sec = ts / units;
        uint64_t rem = ts % units;
        nsec = e <= 9 ? rem * pow10_u64[9 - e] : rem / pow10_u64[e - 9];
    }
    /* Clamped to the one time range of util/ptime.h: an absurd timestamp or offset shows at the
     * bound instead of wrapping to a negative time that every later difference overflows on. */
    pkt->ts_sec = ptime_from_u64(sec, ifc->tsoffset);
    pkt->ts_nsec = (uint32_t)nsec;
}

/* ---- pcap ---------------------------------------------------------------------------------- */

/* A pcap record's header: caplen and len as the file means them (swapped by writers that
 * wrote them the wrong way round). */
struct pcap_rec_hdr {
    uint32_t ts_sec, ts_frac, caplen, len;
};

static inline struct pcap_rec_hdr pcap_rec_hdr(const struct file_source *s, const uint8_t *h)
{
    struct pcap_rec_hdr rh = {rd32(h, s->be), rd32(h + 4, s->be), rd32(h + 8, s->be),
                              rd32(h + 12, s->be)};
    if (s->len_swap == LEN_SWAPPED || (s->len_swap == LEN_MAYBE_SWAPPED && rh.caplen > rh.len)) {
        uint32_t t = rh.caplen;
        rh.caplen = rh.len;
        rh.len = t;
    }
    return rh;
}

/* Its time in seconds and nanoseconds (a microsecond file's fraction scaled). */
static inline void pcap_rec_time(const struct file_source *s, const struct pcap_rec_hdr *rh,
                                 int64_t *sec_out, uint32_t *nsec_out)
{
    uint64_t sec = rh->ts_sec;
    uint64_t nsec = s->base.nanosecond ? rh->ts_frac : (uint64_t)rh->ts_frac * 1000u;
    sec += nsec / 1000000000u;
    *sec_out = (int64_t)sec;
    *nsec_out = (uint32_t)(nsec % 1000000000u);
}

/* Reads the pcap record at off. seq: sequential reading (AGAIN/EOF possible, damage sticky). */
static int pcap_record(struct file_source *s, uint64_t off, struct packet *pkt, char *errbuf,
                       bool seq)
{
    const uint8_t *h;
    uint64_t have = 0;
    int r = fs_need(s, off, s->rec_hdr_len, &h, &have, errbuf, seq);
    if (r == NEED_IOERR)
        return SOURCE_ERROR;
    if (r == NEED_SHORT)
        return fs_short(s, errbuf, seq, off, have, "packet record header", s->rec_hdr_len);

    struct pcap_rec_hdr rh = pcap_rec_hdr(s, h);
    uint32_t caplen = rh.caplen;
    uint32_t len = rh.len;
    if (caplen > CAPTURE_MAX_PACKET)
        return fs_fail(s, errbuf, seq,
                       "damaged record at byte %" PRIu64 ": caplen %" PRIu32
                       " exceeds the maximum %u",
                       off, caplen, CAPTURE_MAX_PACKET);

    const uint8_t *rec;
    size_t total = (size_t)s->rec_hdr_len + caplen;
    r = fs_need(s, off, total, &rec, &have, errbuf, seq);
    if (r == NEED_IOERR)
        return SOURCE_ERROR;
    if (r == NEED_SHORT)
        return fs_short(s, errbuf, seq, off, have, "packet record", total);

    memset(pkt, 0, sizeof(*pkt));
    pkt->data = rec + s->rec_hdr_len;
    pkt->caplen = caplen;
    pkt->len = len;
    pcap_rec_time(s, &rh, &pkt->ts_sec, &pkt->ts_nsec);
    pkt->linktype = s->base.linktype;
    pkt->ifindex = 0;
    pkt->record_off = off;
    if (seq)
        s->pos = off + total;
    return SOURCE_PACKET;
}

static int pcap_open_header(struct file_source *s, uint32_t magic_le, char *errbuf)
{
    const uint8_t *h;
    uint64_t have = 0;
    s->base.format = "pcap";
    if (magic_le == PCAP_MAGIC_USEC || magic_le == PCAP_MAGIC_NSEC ||
        magic_le == PCAP_MAGIC_KUZNETZOV) {
        s->be = false;
    } else {
        s->be = true;
        magic_le = __builtin_bswap32(magic_le);
    }
    s->base.nanosecond = magic_le == PCAP_MAGIC_NSEC;
    s->rec_hdr_len = magic_le == PCAP_MAGIC_KUZNETZOV ? 24u : 16u;
    s->pcap_iface.name = NULL;
    s->pcap_iface.description = NULL;

    int r = fs_need(s, 0, PCAP_FILE_HDR_LEN, &h, &have, errbuf, true);
    if (r == NEED_IOERR)
        return -1;
    if (r == NEED_SHORT) {
        fs_fail(s, errbuf, true,
                "file ends in the middle of the pcap file header (%" PRIu64 " of %u bytes)", have,
                PCAP_FILE_HDR_LEN);
        return 0;
    }
    uint16_t major = rd16(h + 4, s->be);
    uint16_t minor = rd16(h + 6, s->be);
    uint32_t snaplen = rd32(h + 16, s->be);
    uint32_t linktype = rd32(h + 20, s->be);
    s->base.linktype = linktype & 0xffffu;
    s->base.snaplen = snaplen;
    s->pcap_iface.linktype = s->base.linktype;
    s->pcap_iface.snaplen = snaplen;
    s->pos = PCAP_FILE_HDR_LEN;

    if (major == 2 && minor < 3)
        s->len_swap = LEN_SWAPPED;
    else if (major == 2 && minor == 3)
        s->len_swap = LEN_MAYBE_SWAPPED;
    else if (major == 543 && minor == 0)
        s->len_swap = LEN_SWAPPED; /* DG/UX tcpdump */
    else
        s->len_swap = LEN_NOT_SWAPPED;

    if (!((major == 2 && minor <= 4) || (major == 543 && minor == 0))) {
        fs_fail(s, errbuf, true,
                "damaged file header at byte 4: pcap version %u.%u is not supported (2.0 to 2.4)",
                major, minor);
        return 0;
    }
    if (linktype & 0x03ff0000u) {
        fs_fail(s, errbuf, true,
                "damaged file header at byte 20: the link-type field 0x%08" PRIx32
                " has reserved bits set",
                linktype);
        return 0;
    }
    return 0;
}

/* ---- pcapng -------------------------------------------------------------------------------- */

/*
 * One option of a pcapng block: 1 with code/len/val, 0 at the end, -1 when an option's length
 * runs past the block. Each call consumes at least 4 bytes, so the loop is bounded.
 */
static int ng_opt_next(struct cursor *c, bool be, uint16_t *code, uint16_t *len,
                       const uint8_t **val)
{
    if (cur_left(c) < 4)
        return 0; /* fewer than 4 bytes of padding at the end: no more options */
    *code = cur_u16o(c, be);
    *len = cur_u16o(c, be);
    if (*code == OPT_ENDOFOPT)
        return 0;
    if (*len > cur_left(c))
        return -1;
    *val = cur_bytes(c, *len);
    size_t pad = (4u - (*len & 3u)) & 3u;
    if (pad > cur_left(c))
        pad = cur_left(c); /* tolerate a missing final padding */
    cur_skip(c, pad);
    return 1;
}

/* A printable NUL-terminated copy of an interface name or description, cut to
 * FILE_MAX_IFACE_STRING bytes and escaped as packet bytes are (sb_put_safe: C0, DEL and every
 * byte from 0x80, such as an 8-bit CSI, become '.'), so that whoever shows it shows no escape
 * sequence a file planted. It ends at the first NUL, as the option's text does. */
static char *ng_strdup(const uint8_t *v, size_t n)
{
    if (n > FILE_MAX_IFACE_STRING)
        n = FILE_MAX_IFACE_STRING;
    const uint8_t *nul = memchr(v, 0, n);
    if (nul)
        n = (size_t)(nul - v);
    char *d = xmalloc(n + 1);
    struct strbuf sb;
    sb_init(&sb, d, n + 1);
    sb_put_safe(&sb, v, n);
    return d;
}

/* Reads the block header at off; on success *b points at total_len bytes. be: the section's
 * byte order (an SHB carries its own). */
static int ng_block(struct file_source *s, uint64_t off, bool be, bool seq, const uint8_t **b,
                    uint32_t *type, uint32_t *total, bool *block_be, char *errbuf)
{
    const uint8_t *p;
    uint64_t have = 0;
    int r = fs_need(s, off, 8, &p, &have, errbuf, seq);
    if (r == NEED_IOERR)
        return SOURCE_ERROR;
    if (r == NEED_SHORT)
        return fs_short(s, errbuf, seq, off, have, "block header", 8);
    if (p[0] == 0x0a && p[1] == 0x0d && p[2] == 0x0d && p[3] == 0x0a) {
        r = fs_need(s, off, 12, &p, &have, errbuf, seq);
        if (r == NEED_IOERR)
            return SOURCE_ERROR;
        if (r == NEED_SHORT)
            return fs_short(s, errbuf, seq, off, have, "section header block", 12);
        if (rd32(p + 8, true) == PCAPNG_BOM)
            be = true;
        else if (rd32(p + 8, false) == PCAPNG_BOM)
            be = false;
        else
            return fs_fail(s, errbuf, seq,
                           "damaged block at byte %" PRIu64
                           ": section header block with an unknown byte-order magic 0x%08" PRIx32,
                           off, rd32(p + 8, true));
    }
    *type = rd32(p, be);
    *total = rd32(p + 4, be);
    *block_be = be;
    uint32_t min = PCAPNG_MIN_BLOCK;
    switch (*type) {
    case PCAPNG_SHB:
        min = PCAPNG_MIN_SHB;
        break;
    case PCAPNG_IDB:
        min = PCAPNG_MIN_IDB;
        break;
    case PCAPNG_EPB:
        min = PCAPNG_MIN_EPB;
        break;
    case PCAPNG_PB:
        min = PCAPNG_MIN_PB;
        break;
    case PCAPNG_SPB:
        min = PCAPNG_MIN_SPB;
        break;
    default:
        break;
    }
    if (*total < min)
        return fs_fail(s, errbuf, seq,
                       "damaged block at byte %" PRIu64 ": block length %" PRIu32
                       " is below the minimum %" PRIu32 " for block type 0x%" PRIx32,
                       off, *total, min, *type);
    if (*total % 4)
        return fs_fail(s, errbuf, seq,
                       "damaged block at byte %" PRIu64 ": block length %" PRIu32
                       " is not a multiple of 4",
                       off, *total);
    if (*total > FILE_MAX_BLOCK)
        return fs_fail(s, errbuf, seq,
                       "damaged block at byte %" PRIu64 ": block length %" PRIu32
                       " exceeds the maximum %u",
                       off, *total, FILE_MAX_BLOCK);
    r = fs_need(s, off, *total, b, &have, errbuf, seq);
    if (r == NEED_IOERR)
        return SOURCE_ERROR;
    if (r == NEED_SHORT)
        return fs_short(s, errbuf, seq, off, have, "block", *total);
    uint32_t trailer = rd32(*b + *total - 4, be);
    if (trailer != *total)
        return fs_fail(s, errbuf, seq,
                       "damaged block at byte %" PRIu64 ": the trailing block length %" PRIu32
                       " differs from the leading one %" PRIu32,
                       off, trailer, *total);
    return SOURCE_PACKET; /* "a block is there" */
}

static int ng_shb(struct file_source *s, uint64_t off, const uint8_t *b, uint32_t total, bool be,
                  char *errbuf)
{
    struct cursor c;
    cur_init(&c, b, total - 4);
    cur_skip(&c, 12); /* type, length, byte-order magic */
    uint16_t major = cur_u16o(&c, be);
    uint16_t minor = cur_u16o(&c, be);
    cur_skip(&c, 8); /* section length: may be -1, and we never need it */
    if (!(major == 1 && (minor == 0 || minor == 2)))
        return fs_fail(s, errbuf, true,
                       "damaged block at byte %" PRIu64
                       ": pcapng version %u.%u is not supported (1.0)",
                       off, major, minor);
    if (s->n_sections >= FILE_MAX_SECTIONS)
        return fs_fail(s, errbuf, true, "damaged block at byte %" PRIu64 ": more than %u sections",
                       off, FILE_MAX_SECTIONS);
    char *comment = NULL;
    uint16_t code, len;
    const uint8_t *val;
    int r;
    while ((r = ng_opt_next(&c, be, &code, &len, &val)) > 0) {
        if (code == OPT_COMMENT && !comment && s->n_sections == 0) {
            size_t n = len < FILE_MAX_COMMENT ? len : FILE_MAX_COMMENT;
            comment = xmalloc(n + 1);
            memcpy(comment, val, n);
            comment[n] = 0;
        }
    }
    if (r < 0) {
        free(comment);
        return fs_fail(s, errbuf, true,
                       "damaged block at byte %" PRIu64
                       ": an option of the section header block runs past its end",
                       off);
    }
    s->sections = xgrow(s->sections, &s->cap_sections, s->n_sections + 1, sizeof(*s->sections));
    struct file_section *sec = &s->sections[s->n_sections++];
    sec->off = off;
    sec->first_if = (uint32_t)s->n_ifaces;
    sec->if_count = 0;
    sec->be = be;
    if (s->n_sections == 1)
        s->base.section_comment = comment;
    return 0;
}

static int ng_idb(struct file_source *s, uint64_t off, const uint8_t *b, uint32_t total, bool be,
                  char *errbuf)
{
    if (s->n_sections == 0)
        return fs_fail(s, errbuf, true,
                       "damaged block at byte %" PRIu64 ": interface block before any section",
                       off);
    if (s->n_ifaces >= FILE_MAX_INTERFACES)
        return fs_fail(s, errbuf, true,
                       "damaged block at byte %" PRIu64 ": more than %u interfaces", off,
                       FILE_MAX_INTERFACES);
    struct cursor c;
    cur_init(&c, b, total - 4);
    cur_skip(&c, 8);
    struct file_iface ifc;
    memset(&ifc, 0, sizeof(ifc));
    ifc.info.linktype = cur_u16o(&c, be);
    cur_skip(&c, 2); /* reserved */
    ifc.info.snaplen = cur_u32o(&c, be);
    ifc.tsresol_exp = 6;
    uint16_t code, len;
    const uint8_t *val;
    int r;
    while ((r = ng_opt_next(&c, be, &code, &len, &val)) > 0) {
        if (code == IF_NAME && !ifc.info.name) {
            ifc.info.name = ng_strdup(val, len);
        } else if (code == IF_DESCRIPTION && !ifc.info.description) {
            ifc.info.description = ng_strdup(val, len);
        } else if (code == IF_TSRESOL && len >= 1) {
            ifc.tsresol_pow2 = (val[0] & 0x80) != 0;
            ifc.tsresol_exp = val[0] & 0x7f;
            if (ifc.tsresol_pow2 ? ifc.tsresol_exp > 63 : ifc.tsresol_exp > 19) {
                free((char *)ifc.info.name);
                free((char *)ifc.info.description);
                return fs_fail(s, errbuf, true,
                               "damaged block at byte %" PRIu64
                               ": timestamp resolution if_tsresol 0x%02x is not supported",
                               off, val[0]);
            }
        } else if (code == IF_TSOFFSET && len >= 8) {
            struct cursor vc;
            cur_init(&vc, val, len);
            ifc.tsoffset = (int64_t)cur_u64o(&vc, be);
        } else if (code == IF_FCSLEN && len >= 1) {
            ifc.fcslen = val[0];
        }
    }
    if (r < 0) {
        free((char *)ifc.info.name);
        free((char *)ifc.info.description);
        return fs_fail(s, errbuf, true,
                       "damaged block at byte %" PRIu64
                       ": an option of the interface description block runs past its end",
                       off);
    }
    s->ifaces = xgrow(s->ifaces, &s->cap_ifaces, s->n_ifaces + 1, sizeof(*s->ifaces));
    s->ifaces[s->n_ifaces++] = ifc;
    s->sections[s->n_sections - 1].if_count++;
    if (s->n_ifaces == 1) {
        s->base.linktype = ifc.info.linktype;
        s->base.snaplen = ifc.info.snaplen;
    }
    return 0;
}

/* Decodes an EPB, SPB or obsolete PB of section `si` (the block is complete and checked). */
static int ng_packet(struct file_source *s, uint64_t off, uint32_t type, const uint8_t *b,
                     uint32_t total, size_t si, bool seq, struct packet *pkt, char *errbuf)
{
    const struct file_section *sec = &s->sections[si];
    bool be = sec->be;
    struct cursor c;
    cur_init(&c, b, total - 4);
    cur_skip(&c, 8);
    uint32_t if_id, caplen, len;
    uint64_t ts = 0;
    if (type == PCAPNG_SPB) {
        if_id = 0;
        len = cur_u32o(&c, be);
    } else {
        if (type == PCAPNG_EPB) {
            if_id = cur_u32o(&c, be);
        } else {
            if_id = cur_u16o(&c, be);
            cur_skip(&c, 2); /* drops count */
        }
        uint64_t hi = cur_u32o(&c, be);
        ts = (hi << 32) | cur_u32o(&c, be);
        caplen = cur_u32o(&c, be);
        len = cur_u32o(&c, be);
    }
    if (if_id >= sec->if_count)
        return fs_fail(s, errbuf, seq,
                       "damaged block at byte %" PRIu64 ": the packet refers to interface %" PRIu32
                       " but its section describes %" PRIu32,
                       off, if_id, sec->if_count);
    const struct file_iface *ifc = &s->ifaces[sec->first_if + if_id];
    if (type == PCAPNG_SPB) {
        /* No captured length in an SPB: min(original length, snaplen), and what the block holds. */
        caplen = len;
        if (ifc->info.snaplen && caplen > ifc->info.snaplen)
            caplen = ifc->info.snaplen;
        if (caplen > cur_left(&c))
            caplen = (uint32_t)cur_left(&c);
    }
    if (caplen > CAPTURE_MAX_PACKET)
        return fs_fail(s, errbuf, seq,
                       "damaged block at byte %" PRIu64 ": captured length %" PRIu32
                       " exceeds the maximum %u",
                       off, caplen, CAPTURE_MAX_PACKET);
    if (caplen > cur_left(&c))
        return fs_fail(s, errbuf, seq,
                       "damaged block at byte %" PRIu64 ": captured length %" PRIu32
                       " exceeds the %zu bytes left in the block",
                       off, caplen, cur_left(&c));
    memset(pkt, 0, sizeof(*pkt));
    pkt->data = cur_bytes(&c, caplen);
    pkt->caplen = caplen;
    pkt->len = len;
    size_t pad = (4u - (caplen & 3u)) & 3u;
    if (pad > cur_left(&c))
        pad = cur_left(&c);
    cur_skip(&c, pad);
    if (type != PCAPNG_SPB) {
        uint16_t code, olen;
        const uint8_t *val;
        int r;
        while ((r = ng_opt_next(&c, be, &code, &olen, &val)) > 0) {
            if (code == OPT_COMMENT && !pkt->comment && !s->indexing && s->hand_retire) {
                /* Handed over, the block stays where it was read, its comment with it. */
                pkt->comment = (const char *)val;
                pkt->comment_len = olen;
            } else if (code == OPT_COMMENT && !pkt->comment && !s->indexing) {
                if (!s->comment_buf)
                    s->comment_buf = xmalloc(65536);
                memcpy(s->comment_buf, val, olen);
                s->comment_buf[olen] = 0;
                pkt->comment = s->comment_buf;
                pkt->comment_len = olen;
            }
        }
        if (r < 0)
            return fs_fail(s, errbuf, seq,
                           "damaged block at byte %" PRIu64
                           ": an option of the packet block runs past its end",
                           off);
        ng_time(ifc, ts, pkt);
    } else {
        /* An SPB has no timestamp. */
        pkt->ts_sec = 0;
        pkt->ts_nsec = 0;
        pkt->ts_missing = true;
    }
    pkt->linktype = ifc->info.linktype;
    pkt->ifindex = sec->first_if + if_id;
    pkt->record_off = off;
    return SOURCE_PACKET;
}

/* Sequential pcapng: handles blocks until a packet, the end, or damage. */
static int ng_next(struct file_source *s, struct packet *pkt, char *errbuf, bool stop_after_idb)
{
    for (;;) {
        const uint8_t *b;
        uint32_t type, total;
        bool be = s->n_sections ? s->sections[s->n_sections - 1].be : false;
        bool block_be;
        uint64_t off = s->pos;
        int r = ng_block(s, off, be, true, &b, &type, &total, &block_be, errbuf);
        if (r != SOURCE_PACKET)
            return r;
        if (type != PCAPNG_SHB && s->n_sections == 0)
            return fs_fail(s, errbuf, true,
                           "damaged block at byte %" PRIu64 ": the file does not start with a "
                           "section header block",
                           off);
        switch (type) {
        case PCAPNG_SHB:
            if (ng_shb(s, off, b, total, block_be, errbuf) < 0)
                return SOURCE_ERROR;
            break;
        case PCAPNG_IDB:
            if (ng_idb(s, off, b, total, block_be, errbuf) < 0)
                return SOURCE_ERROR;
            break;
        case PCAPNG_EPB:
        case PCAPNG_SPB:
        case PCAPNG_PB:
            if (stop_after_idb)
                return SOURCE_AGAIN;
            r = ng_packet(s, off, type, b, total, s->n_sections - 1, true, pkt, errbuf);
            if (r != SOURCE_PACKET)
                return r;
            s->pos = off + total;
            return SOURCE_PACKET;
        default:
            /* NRB, ISB, DSB, custom and unknown blocks: nothing for us; the length was checked. */
            break;
        }
        s->pos = off + total;
        if (stop_after_idb && type == PCAPNG_IDB)
            return SOURCE_AGAIN;
    }
}

/* ---- source ops ---------------------------------------------------------------------------- */

static int fs_next(struct source *src, struct packet *pkt, char *errbuf)
{
    struct file_source *s = fs_of(src);
    if (s->failed) {
        ps_err(errbuf, "%s", s->error);
        return SOURCE_ERROR;
    }
    int r = s->pcapng ? ng_next(s, pkt, errbuf, false) : pcap_record(s, s->pos, pkt, errbuf, true);
    if (r == SOURCE_PACKET) {
        pkt->number = ++s->number;
        s->stats.packets++;
        s->stats.bytes += pkt->caplen;
    } else if (r == SOURCE_ERROR && !s->failed) {
        /* An I/O error: sticky as well. */
        snprintf(s->error, sizeof(s->error), "%s", errbuf);
        s->failed = true;
    }
    return r;
}

static int fs_fd(struct source *src)
{
    struct file_source *s = fs_of(src);
    return s->mapped ? -1 : s->fd;
}

static void fs_stats(struct source *src, struct source_stats *st)
{
    *st = fs_of(src)->stats;
}

static int fs_read_at(struct source *src, uint64_t record_off, uint64_t number, struct packet *pkt,
                      char *errbuf)
{
    struct file_source *s = fs_of(src);
    int r;
    if (!s->mapped) {
        ps_err(errbuf, "%s: cannot re-read a packet from a stream", s->path);
        return SOURCE_ERROR;
    }
    if (!s->pcapng) {
        if (record_off < PCAP_FILE_HDR_LEN)
            return fs_fail(s, errbuf, false, "no packet record at byte %" PRIu64, record_off);
        r = pcap_record(s, record_off, pkt, errbuf, false);
    } else {
        /* The section holding the record: the last one starting before it. */
        size_t lo = 0, hi = s->n_sections;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (s->sections[mid].off < record_off)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == 0)
            return fs_fail(s, errbuf, false, "no packet block at byte %" PRIu64, record_off);
        size_t si = lo - 1;
        const uint8_t *b;
        uint32_t type, total;
        bool block_be;
        r = ng_block(s, record_off, s->sections[si].be, false, &b, &type, &total, &block_be,
                     errbuf);
        if (r != SOURCE_PACKET)
            return SOURCE_ERROR;
        if (type != PCAPNG_EPB && type != PCAPNG_SPB && type != PCAPNG_PB)
            return fs_fail(s, errbuf, false, "no packet block at byte %" PRIu64, record_off);
        r = ng_packet(s, record_off, type, b, total, si, false, pkt, errbuf);
    }
    if (r == SOURCE_PACKET)
        pkt->number = number;
    return r == SOURCE_PACKET ? SOURCE_PACKET : SOURCE_ERROR;
}

static void fs_close(struct source *src)
{
    struct file_source *s = fs_of(src);
    if (!s)
        return;
    if (s->own_fd && s->fd >= 0)
        close(s->fd);
    free((char *)s->base.section_comment);
    for (size_t i = 0; i < s->n_ifaces; i++) {
        free((char *)s->ifaces[i].info.name);
        free((char *)s->ifaces[i].info.description);
    }
    free(s->sections);
    free(s->ifaces);
    free(s->comment_buf);
    free(s->buf);
    free(s->rbuf);
    for (size_t i = 0; i < s->nblocks; i++)
        free(s->blocks[i].p);
    free(s->blocks);
    free(s->path);
    free(s);
}

static const struct source_ops file_ops = {
    .next = fs_next,
    .fd = fs_fd,
    .stats = fs_stats,
    .read_at = fs_read_at,
    .close = fs_close,
};

static const struct source_ops stream_ops = {
    .next = fs_next,
    .fd = fs_fd,
    .stats = fs_stats,
    .read_at = NULL,
    .close = fs_close,
};

/* ---- open ---------------------------------------------------------------------------------- */

static const char *fs_hint(const uint8_t *p, size_t n)
{
    if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
        return "it looks gzip-compressed: gunzip it first";
    if (n >= 3 && p[0] == 'B' && p[1] == 'Z' && p[2] == 'h')
        return "it looks bzip2-compressed: bunzip2 it first";
    if (n >= 4 && p[0] == 0xfd && p[1] == '7' && p[2] == 'z' && p[3] == 'X')
        return "it looks xz-compressed: unxz it first";
    if (n >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd)
        return "it looks zstd-compressed: unzstd it first";
    return "pktscope reads pcap and pcapng captures, such as those tcpdump -w and Wireshark "
           "write";
}

struct source *file_source_open(const char *path, bool follow, char *errbuf)
{
    if (!path || !*path) {
        ps_err(errbuf, "no capture file named: give a path, or - for standard input");
        return NULL;
    }
    bool is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        ps_err(errbuf, "%s: cannot open: %s; %s", path, strerror(e),
               e == ENOENT   ? "check the path"
               : e == EACCES ? "check the file's permissions (or run with enough privileges)"
                             : "check the path and that the file can be read");
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        ps_err(errbuf, "%s: cannot open: %s", path, strerror(errno));
        if (!is_stdin)
            close(fd);
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        ps_err(errbuf,
               "%s: is a directory, not a capture file; give the path of a .pcap or "
               ".pcapng file",
               path);
        if (!is_stdin)
            close(fd);
        return NULL;
    }

    struct file_source *s = xcalloc(1, sizeof(*s));
    s->path = xstrdup(path);
    s->fd = fd;
    s->own_fd = !is_stdin;
    s->rbuf_off = UINT64_MAX; /* nothing read at random yet */
    s->base.name = s->path;
    s->base.ops = &stream_ops;
    /* Following only means something for a regular file that grows. */
    s->follow = follow && S_ISREG(st.st_mode);

    if (!is_stdin && S_ISREG(st.st_mode)) {
        s->mapped = true;
        s->base.ops = &file_ops;
        s->base.caps |= SOURCE_CAP_RANDOM_ACCESS;
    }
    if (s->follow)
        s->base.caps |= SOURCE_CAP_GROWING;
    if (S_ISREG(st.st_mode))
        posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL); /* a larger read-ahead for cold files */
    s->buf_first_cap = FILE_PIPE_CHUNK;
    if (S_ISREG(st.st_mode) && !s->follow) {
        uint64_t size = st.st_size > 0 ? (uint64_t)st.st_size : 0;
        s->buf_first_cap = size < FILE_SMALLEST_CHUNK ? FILE_SMALLEST_CHUNK
                           : size < FILE_STREAM_CHUNK ? (size_t)size + 1
                                                      : FILE_STREAM_CHUNK;
    }

    const uint8_t *p;
    uint64_t have = 0;
    int r = fs_need(s, 0, 4, &p, &have, errbuf, true);
    if (r == NEED_IOERR) {
        fs_close(&s->base);
        return NULL;
    }
    if (r == NEED_SHORT) {
        uint8_t start[4] = {0};
        if (have)
            memcpy(start, s->buf, (size_t)have);
        if (have == 0)
            ps_err(errbuf, "%s: the file is empty, not a pcap or pcapng file; %s", path,
                   fs_hint(start, 0));
        else
            ps_err(errbuf, "%s: only %" PRIu64 " bytes long: not a pcap or pcapng file; %s", path,
                   have, fs_hint(start, (size_t)have));
        fs_close(&s->base);
        return NULL;
    }
    uint8_t first[4];
    memcpy(first, p, 4); /* p dies at the next fs_need() of a stream */
    uint32_t magic_le = rd32(first, false);
    uint32_t magic_be = rd32(first, true);
    if (magic_le == PCAP_MAGIC_USEC || magic_le == PCAP_MAGIC_NSEC ||
        magic_le == PCAP_MAGIC_KUZNETZOV || magic_be == PCAP_MAGIC_USEC ||
        magic_be == PCAP_MAGIC_NSEC || magic_be == PCAP_MAGIC_KUZNETZOV) {
        if (pcap_open_header(s, magic_le, errbuf) < 0) {
            fs_close(&s->base);
            return NULL;
        }
        return &s->base;
    }
    if (magic_le == PCAPNG_SHB) {
        /* "\n\r\r\n" could start a text file: only the byte-order magic makes it pcapng. */
        r = fs_need(s, 0, 12, &p, &have, errbuf, true);
        if (r == NEED_OK && (rd32(p + 8, false) == PCAPNG_BOM || rd32(p + 8, true) == PCAPNG_BOM)) {
            struct packet dummy;
            s->pcapng = true;
            s->base.format = "pcapng";
            /* Read the section header and the first interface so that linktype and snaplen are
             * known; damage here is reported by the first next(). */
            ng_next(s, &dummy, errbuf, true);
            return &s->base;
        }
        if (r == NEED_IOERR) {
            fs_close(&s->base);
            return NULL;
        }
    }
    ps_err(errbuf, "%s: not a pcap or pcapng file (first bytes 0x%02x%02x%02x%02x); %s", path,
           first[0], first[1], first[2], first[3], fs_hint(first, 4));
    fs_close(&s->base);
    return NULL;
}

void file_source_cache_blocks(struct source *src, size_t count)
{
    if (!src || src->ops != &file_ops) /* a stream has no read_at(), another source no cache */
        return;
    struct file_source *s = fs_of(src);
    if (s->nblocks || count == 0)
        return;
    s->blocks = xcalloc(count, sizeof(*s->blocks));
    for (size_t i = 0; i < count; i++)
        s->blocks[i].index = UINT64_MAX;
    s->nblocks = count;
}

uint32_t file_source_interface_count(struct source *src)
{
    struct file_source *s = fs_of(src);
    if (!s)
        return 0;
    return s->pcapng ? (uint32_t)s->n_ifaces : 1u;
}

const struct interface_info *file_source_interface(struct source *src, uint32_t ifindex)
{
    struct file_source *s = fs_of(src);
    if (!s)
        return NULL;
    if (!s->pcapng)
        return ifindex == 0 ? &s->pcap_iface : NULL;
    return ifindex < s->n_ifaces ? &s->ifaces[ifindex].info : NULL;
}

bool file_source_is(const struct source *src)
{
    return src && (src->ops == &file_ops || src->ops == &stream_ops);
}

void file_source_stop_at(struct source *src, uint64_t end)
{
    if (!file_source_is(src))
        return;
    struct file_source *s = fs_of(src);
    if (end && end < s->pos)
        end = s->pos; /* what was returned already stays returned */
    s->read_end = end;
    /* Bytes past it that opening read ahead are as if never read. */
    if (end && s->buf_off + s->buf_len > end)
        s->buf_len = end > s->buf_off ? (size_t)(end - s->buf_off) : 0;
}

bool file_source_same_file(const struct source *a, const struct source *b)
{
    if (!file_source_is(a) || !file_source_is(b))
        return false;
    const struct file_source *fa = (const struct file_source *)a;
    const struct file_source *fb = (const struct file_source *)b;
    struct stat sa, sb;
    return fa->mapped && fb->mapped && fstat(fa->fd, &sa) == 0 && fstat(fb->fd, &sb) == 0 &&
           S_ISREG(sa.st_mode) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

bool file_source_hand_over(struct source *src, uint8_t *(*fresh)(void *ctx, size_t *cap),
                           void (*retire)(void *ctx, uint8_t *buf, size_t cap), void *ctx)
{
    if (!file_source_is(src))
        return false;
    struct file_source *s = fs_of(src);
    s->hand_fresh = fresh;
    s->hand_retire = retire;
    s->hand_ctx = ctx;
    return true;
}

void file_source_progress(struct source *src, uint64_t *done, uint64_t *total)
{
    struct file_source *s = fs_of(src);
    struct stat st;
    *done = s->pos;
    *total = 0;
    if (s->mapped && fstat(s->fd, &st) == 0 && st.st_size > 0)
        *total = (uint64_t)st.st_size; /* grows with --follow */
}

/*
 * file_source_index's common case, pcap records lying whole in the sequential buffer: their
 * entries written straight from the headers, as fs_next() and packet_index_of() would, without
 * a struct packet each and its two fs_need() calls (the TUI outlines a gigabyte through here,
 * and these were a third of its time outside the kernel's read). It stops at the first record
 * not whole in the buffer, or whose caplen is damaged: fs_next() reads or reports that one.
 */
static size_t pcap_index_buffered(struct file_source *s, struct packet_index *out, size_t max)
{
    size_t n = 0;
    while (n < max && s->pos >= s->buf_off && s->pos - s->buf_off <= s->buf_len) {
        size_t start = (size_t)(s->pos - s->buf_off);
        size_t have = s->buf_len - start;
        if (have < s->rec_hdr_len)
            break;
        struct pcap_rec_hdr rh = pcap_rec_hdr(s, s->buf + start);
        if (rh.caplen > CAPTURE_MAX_PACKET || have - s->rec_hdr_len < rh.caplen)
            break;
        struct packet_index *e = &out[n++];
        e->record_off = s->pos;
        pcap_rec_time(s, &rh, &e->ts_sec, &e->ts_nsec);
        e->caplen = rh.caplen;
        e->len = rh.len;
        e->ifindex = 0;
        s->pos += s->rec_hdr_len + rh.caplen;
        s->number++;
        s->stats.packets++;
        s->stats.bytes += rh.caplen;
    }
    return n;
}

int file_source_index(struct source *src, struct packet_index *out, size_t max, size_t *n,
                      char *errbuf)
{
    struct file_source *s = fs_of(src);
    struct packet pkt;
    int r = SOURCE_PACKET;
    *n = 0;
    if (src->ops != &file_ops && src->ops != &stream_ops) {
        ps_err(errbuf, "%s: not a capture file: index it with next() and packet_index_of()",
               src->name);
        return SOURCE_ERROR;
    }
    s->indexing = true;
    while (*n < max) {
        if (!s->pcapng && !s->failed && s->buf) {
            *n += pcap_index_buffered(s, out + *n, max - *n);
            if (*n == max)
                break;
        }
        r = fs_next(src, &pkt, errbuf);
        if (r != SOURCE_PACKET)
            break;
        packet_index_of(&pkt, &out[(*n)++]);
    }
    s->indexing = false;
    return r;
}
