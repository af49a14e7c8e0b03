/*
 * spool: packets on disk, read back by record offset (see spool.h).
 */
#include "capture/spool.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/live.h"
#include "util/cursor.h"
#include "util/outfile.h"
#include "util/util.h"

/* A record is at most its header, the packet, one comment option and the trailer. */
#define SPOOL_MAX_RECORD (28u + CAPTURE_MAX_PACKET + 4u + 0x10000u + 8u)

/* Chunks of a limited spool: eight to the limit, so the disk in use stays between 7/8 of the
 * limit and the limit plus one record once the limit is reached. The ring holds more than the
 * ten that can be live at once. */
#define SPOOL_CHUNKS_PER_LIMIT 8u
#define SPOOL_CHUNK_RING 16u

struct spool_chunk {
    uint64_t off;            /* its first record */
    uint64_t packets_before; /* records appended before that one */
};

struct spool {
    struct writer *w;
    int fd; /* the same file, read with pread() */
    char *name;
    bool temporary;
    uint8_t *buf;      /* one record read back */
    uint64_t appended; /* records appended */
    /* --spool-limit (0: none) and what it has dropped: records before kept_from are gone. */
    uint64_t limit;
    uint64_t first_off, kept_from;
    uint64_t dropped_packets;
    struct spool_chunk chunks[SPOOL_CHUNK_RING];
    unsigned chunk_head, chunk_count;
};

struct spool *spool_open(const char *path, const struct writer_info *info, char *errbuf)
{
    int fd;
    enum writer_format fmt;
    const char *name;
    if (path) {
        fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) {
            ps_err(errbuf, "cannot create %s as user %lu: %s%s", path, (unsigned long)geteuid(),
                   strerror(errno),
                   errno == EACCES ? "; write into a directory this user may write to" : "");
            return NULL;
        }
        fmt = writer_format_for(path);
        name = path;
    } else {
        fd =
            outfile_temporary("the captured packets",
                              "set TMPDIR to a writable directory, or name a file with -w", errbuf);
        if (fd < 0)
            return NULL;
        fmt = WRITER_PCAPNG; /* holds any mix of link types */
        name = "the temporary spool file";
    }
    int rfd = dup(fd);
    if (rfd < 0) {
        ps_err(errbuf, "cannot open %s: %s", name, strerror(errno));
        close(fd);
        return NULL;
    }
    struct writer *w = writer_open_fd(fd, name, fmt, info, errbuf);
    if (!w) {
        close(rfd);
        return NULL;
    }
    struct spool *sp = xcalloc(1, sizeof(*sp));
    sp->w = w;
    sp->fd = rfd;
    sp->name = xstrdup(name);
    sp->temporary = path == NULL;
    sp->buf = xmalloc(SPOOL_MAX_RECORD);
    return sp;
}

int spool_set_limit(struct spool *sp, uint64_t max_bytes, char *errbuf)
{
    if (!sp->temporary)
        return ps_err(errbuf,
                      "--spool-limit holds pktscope's own temporary spool, and %s is your capture "
                      "file, which pktscope never cuts; bound -w files with -C and -W",
                      sp->name);
    if (max_bytes < SPOOL_MIN_LIMIT)
        return ps_err(errbuf, "--spool-limit must be at least %u MiB", SPOOL_MIN_LIMIT >> 20);
    /* Ask the filesystem now whether it can give blocks back, rather than find out when the
     * limit is reached: a hole beyond the end changes nothing in the file. */
    if (fallocate(sp->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)1 << 30, 4096) < 0)
        return ps_err(errbuf,
                      "--spool-limit needs a filesystem that can free part of a file (ext4, xfs, "
                      "btrfs, tmpfs), and the one holding the spool cannot: %s; set TMPDIR to a "
                      "directory on such a filesystem",
                      strerror(errno));
    sp->limit = max_bytes;
    return 0;
}

/* Notes where a new chunk starts, and gives back the oldest chunks while the kept records pass
 * the limit. */
static int spool_keep_limit(struct spool *sp, uint64_t off, char *errbuf)
{
    uint64_t chunk_size = sp->limit / SPOOL_CHUNKS_PER_LIMIT;
    if (sp->chunk_count == 0) {
        sp->first_off = sp->kept_from = off;
    }
    if (sp->chunk_count == 0 ||
        off - sp->chunks[(sp->chunk_head + sp->chunk_count - 1) % SPOOL_CHUNK_RING].off >=
            chunk_size) {
        if (sp->chunk_count == SPOOL_CHUNK_RING) { /* cannot happen with eight to the limit */
            sp->chunk_head = (sp->chunk_head + 1) % SPOOL_CHUNK_RING;
            sp->chunk_count--;
        }
        struct spool_chunk *c = &sp->chunks[(sp->chunk_head + sp->chunk_count) % SPOOL_CHUNK_RING];
        c->off = off;
        c->packets_before = sp->appended - 1;
        sp->chunk_count++;
    }
    while (sp->chunk_count >= 2 && writer_offset(sp->w) - sp->kept_from > sp->limit) {
        const struct spool_chunk *next = &sp->chunks[(sp->chunk_head + 1) % SPOOL_CHUNK_RING];
        if (writer_flushed_offset(sp->w) < next->off && writer_flush(sp->w, errbuf) < 0)
            return -1;
        if (fallocate(sp->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)sp->kept_from,
                      (off_t)(next->off - sp->kept_from)) < 0)
            return ps_err(errbuf, "cannot free the oldest part of %s for --spool-limit: %s",
                          sp->name, strerror(errno));
        sp->kept_from = next->off;
        sp->dropped_packets = next->packets_before;
        sp->chunk_head = (sp->chunk_head + 1) % SPOOL_CHUNK_RING;
        sp->chunk_count--;
    }
    return 0;
}

int spool_append(struct spool *sp, const struct packet *pkt, uint64_t *record_off, char *errbuf)
{
    if (writer_write(sp->w, pkt, errbuf) < 0)
        return -1;
    uint64_t off = writer_last_offset(sp->w);
    sp->appended++;
    if (sp->limit && spool_keep_limit(sp, off, errbuf) < 0)
        return -1;
    if (record_off)
        *record_off = off;
    return 0;
}

void spool_dropped(const struct spool *sp, uint64_t *packets, uint64_t *bytes)
{
    if (packets)
        *packets = sp->dropped_packets;
    if (bytes)
        *bytes = sp->kept_from - sp->first_off;
}

uint64_t spool_limit(const struct spool *sp)
{
    return sp->limit;
}

uint64_t spool_disk_bytes(const struct spool *sp)
{
    struct stat st;
    if (fstat(sp->fd, &st) < 0)
        return 0;
    return (uint64_t)st.st_blocks * 512u;
}

static uint32_t host32(struct cursor *c)
{
    const uint8_t *b = cur_bytes(c, 4);
    uint32_t v = 0;
    if (b)
        memcpy(&v, b, 4);
    return v;
}

static uint16_t host16(struct cursor *c)
{
    const uint8_t *b = cur_bytes(c, 2);
    uint16_t v = 0;
    if (b)
        memcpy(&v, b, 2);
    return v;
}

static int read_exact(struct spool *sp, uint64_t off, size_t n, char *errbuf)
{
    size_t done = 0;
    while (done < n) {
        ssize_t r = pread(sp->fd, sp->buf + done, n - done, (off_t)(off + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return ps_err(errbuf, "cannot read back %s: %s", sp->name, strerror(errno));
        if (r == 0)
            return ps_err(errbuf, "cannot read back %s: record at offset %llu is cut short",
                          sp->name, (unsigned long long)off);
        done += (size_t)r;
    }
    return 0;
}

static int bad_record(struct spool *sp, uint64_t off, char *errbuf)
{
    return ps_err(errbuf, "cannot read back %s: no valid record at offset %llu", sp->name,
                  (unsigned long long)off);
}

int spool_read_at(struct spool *sp, uint64_t record_off, uint64_t number, struct packet *pkt,
                  char *errbuf)
{
    if (record_off >= writer_offset(sp->w))
        return bad_record(sp, record_off, errbuf), SOURCE_ERROR;
    if (sp->limit && record_off >= sp->first_off && record_off < sp->kept_from) {
        ps_err(errbuf,
               "packet %" PRIu64 " was dropped from the spool to keep it under --spool-limit "
               "(%" PRIu64 " MiB; %" PRIu64 " oldest packets dropped)",
               number, sp->limit >> 20, sp->dropped_packets);
        return SOURCE_ERROR;
    }
    /* Whatever is still in the writer's buffer must reach the file before pread sees it. */
    if (record_off + SPOOL_MAX_RECORD > writer_flushed_offset(sp->w) &&
        writer_flushed_offset(sp->w) < writer_offset(sp->w) && writer_flush(sp->w, errbuf) < 0)
        return SOURCE_ERROR;
    memset(pkt, 0, sizeof(*pkt));
    pkt->number = number;
    pkt->record_off = record_off;
    struct cursor c;
    if (writer_get_format(sp->w) == WRITER_PCAP) {
        if (read_exact(sp, record_off, 16, errbuf) < 0)
            return SOURCE_ERROR;
        cur_init(&c, sp->buf, 16);
        uint32_t sec = host32(&c), frac = host32(&c), caplen = host32(&c), len = host32(&c);
        if (caplen > CAPTURE_MAX_PACKET)
            return bad_record(sp, record_off, errbuf), SOURCE_ERROR;
        if (read_exact(sp, record_off + 16, caplen, errbuf) < 0)
            return SOURCE_ERROR;
        uint32_t ifindex, linktype;
        writer_iface_at(sp->w, 0, &ifindex, &linktype);
        pkt->data = sp->buf;
        pkt->caplen = caplen;
        pkt->len = len < caplen ? caplen : len;
        pkt->ts_sec = sec;
        pkt->ts_nsec = writer_nanosecond(sp->w) ? frac % 1000000000u : (frac % 1000000u) * 1000u;
        pkt->linktype = linktype;
        return SOURCE_PACKET;
    }
    if (read_exact(sp, record_off, 8, errbuf) < 0)
        return SOURCE_ERROR;
    cur_init(&c, sp->buf, 8);
    uint32_t type = host32(&c), total = host32(&c);
    if (type != 6 || total < 32 || total > SPOOL_MAX_RECORD || total % 4 != 0)
        return bad_record(sp, record_off, errbuf), SOURCE_ERROR;
    if (read_exact(sp, record_off, total, errbuf) < 0)
        return SOURCE_ERROR;
    cur_init(&c, sp->buf, total - 4u); /* the trailing length is not part of the body */
    cur_skip(&c, 8);
    uint32_t id = host32(&c), hi = host32(&c), lo = host32(&c);
    uint32_t caplen = host32(&c), len = host32(&c);
    size_t data_off = c.off;
    if (c.truncated || caplen > CAPTURE_MAX_PACKET || !cur_skip(&c, ((size_t)caplen + 3u) & ~3u))
        return bad_record(sp, record_off, errbuf), SOURCE_ERROR;
    uint32_t ifindex, linktype;
    if (writer_iface_at(sp->w, id, &ifindex, &linktype) < 0)
        return bad_record(sp, record_off, errbuf), SOURCE_ERROR;
    /* Options: we only ever write opt_comment; every step advances and is bounded. */
    while (cur_left(&c) >= 4) {
        uint16_t code = host16(&c), olen = host16(&c);
        if (code == 0)
            break;
        size_t at = c.off;
        if (!cur_skip(&c, ((size_t)olen + 3u) & ~(size_t)3u))
            break;
        if (code == 1 && !pkt->comment) {
            /* NUL-terminate in place: the padding (or the next option) byte is ours to reuse. */
            if (olen > 0 && at + olen < total) {
                sp->buf[at + olen] = '\0';
                pkt->comment = (const char *)sp->buf + at;
                pkt->comment_len = olen;
            }
        }
    }
    uint64_t ts = ((uint64_t)hi << 32) | lo;
    pkt->data = sp->buf + data_off;
    pkt->caplen = caplen;
    pkt->len = len < caplen ? caplen : len;
    pkt->ts_sec = (int64_t)(ts / 1000000000u);
    pkt->ts_nsec = (uint32_t)(ts % 1000000000u);
    pkt->linktype = linktype;
    pkt->ifindex = ifindex;
    return SOURCE_PACKET;
}

uint64_t spool_size(const struct spool *sp)
{
    return writer_offset(sp->w);
}

int spool_close(struct spool *sp, char *errbuf)
{
    if (!sp)
        return 0;
    char discard[PS_ERRBUF_SIZE];
    bool temporary = sp->temporary;
    int rc = writer_close(sp->w, temporary ? discard : errbuf);
    close(sp->fd);
    free(sp->name);
    free(sp->buf);
    free(sp);
    return temporary ? 0 : rc;
}

/* ---- the wrapping source ---- */

struct spool_source {
    struct source base;
    struct source *inner;
    struct spool *sp;
};

static int spsrc_next(struct source *src, struct packet *pkt, char *errbuf)
{
    struct spool_source *ss = (struct spool_source *)src;
    int rc = source_next(ss->inner, pkt, errbuf);
    if (rc != SOURCE_PACKET)
        return rc;
    uint64_t off;
    if (spool_append(ss->sp, pkt, &off, errbuf) < 0)
        return SOURCE_ERROR;
    pkt->record_off = off;
    return SOURCE_PACKET;
}

static int spsrc_fd(struct source *src)
{
    struct spool_source *ss = (struct spool_source *)src;
    return ss->inner->ops->fd(ss->inner);
}

static void spsrc_stats(struct source *src, struct source_stats *st)
{
    struct spool_source *ss = (struct spool_source *)src;
    ss->inner->ops->stats(ss->inner, st);
}

static int spsrc_read_at(struct source *src, uint64_t record_off, uint64_t number,
                         struct packet *pkt, char *errbuf)
{
    struct spool_source *ss = (struct spool_source *)src;
    return spool_read_at(ss->sp, record_off, number, pkt, errbuf);
}

static void spsrc_close(struct source *src)
{
    struct spool_source *ss = (struct spool_source *)src;
    char discard[PS_ERRBUF_SIZE];
    spool_close(ss->sp, discard);
    source_close(ss->inner);
    free(ss);
}

static const struct source_ops spool_source_ops = {
    .next = spsrc_next,
    .fd = spsrc_fd,
    .stats = spsrc_stats,
    .read_at = spsrc_read_at,
    .close = spsrc_close,
};

struct source *spool_source_new(struct source *inner, const char *path,
                                const struct writer_info *info, char *errbuf)
{
    struct writer_info def;
    if (!info) {
        memset(&def, 0, sizeof(def));
        def.linktype = inner->linktype;
        def.snaplen = inner->snaplen;
        def.nanosecond = inner->nanosecond;
        if (source_has(inner, SOURCE_CAP_LIVE)) {
            def.if_name = inner->name;
            def.filter = live_source_filter(inner);
        }
        info = &def;
    }
    struct spool *sp = spool_open(path, info, errbuf);
    if (!sp) {
        source_close(inner);
        return NULL;
    }
    struct spool_source *ss = xcalloc(1, sizeof(*ss));
    ss->inner = inner;
    ss->sp = sp;
    ss->base = *inner;
    ss->base.ops = &spool_source_ops;
    ss->base.caps = inner->caps | SOURCE_CAP_RANDOM_ACCESS;
    return &ss->base;
}

struct spool *spool_of_source(struct source *src)
{
    if (!src || src->ops != &spool_source_ops)
        return NULL;
    return ((struct spool_source *)src)->sp;
}

struct source *spool_source_inner(struct source *src)
{
    if (!src || src->ops != &spool_source_ops)
        return NULL;
    return ((struct spool_source *)src)->inner;
}
