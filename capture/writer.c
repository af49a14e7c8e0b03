/*
 * writer: pcap (libpcap's savefile format) and pcapng (draft-ietf-opsawg-pcapng) writers.
 * Each record is built in a small header buffer and written with the packet bytes; nothing is
 * allocated per packet.
 */
#include "capture/writer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "util/outfile.h"
#include "util/util.h"

#define PCAP_MAGIC_US 0xa1b2c3d4u
#define PCAP_MAGIC_NS 0xa1b23c4du

#define PCAPNG_SHB 0x0A0D0D0Au
#define PCAPNG_IDB 0x00000001u
#define PCAPNG_EPB 0x00000006u
#define PCAPNG_BOM 0x1A2B3C4Du

enum {
    OPT_ENDOFOPT = 0,
    OPT_COMMENT = 1,
    SHB_HARDWARE = 2,
    SHB_OS = 3,
    SHB_USERAPPL = 4,
    IF_NAME = 2,
    IF_DESCRIPTION = 3,
    IF_TSRESOL = 9,
    IF_FILTER = 11,
};

/* More distinct interfaces than any real capture has; bounds the IDB table. */

struct writer_iface {
    uint32_t ifindex;
    uint32_t linktype;
};

struct writer {
    FILE *fp;
    char *name;
    enum writer_format fmt;
    struct writer_info info;
    char *if_name, *if_description, *filter; /* copies: the info's strings may go away */
    uint64_t off;                            /* bytes written (buffered or not) */
    uint64_t flushed_off;                    /* bytes handed to the kernel */
    uint64_t packets;
    uint64_t last_off; /* where the last packet record starts */
    struct writer_iface *ifaces;
    size_t n_ifaces, cap_ifaces;
    size_t last_iface;
    bool failed;         /* a write failed: later writes fail too instead of producing a gap */
    uint64_t cur_number; /* the packet being written: for messages */
};

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

enum writer_format writer_format_for(const char *path)
{
    static const char ext[] = ".pcapng";
    size_t n = path ? strlen(path) : 0;
    if (n >= sizeof(ext) - 1 && strcasecmp(path + n - (sizeof(ext) - 1), ext) == 0)
        return WRITER_PCAPNG;
    return WRITER_PCAP;
}

static int write_error(struct writer *w, char *errbuf, int err)
{
    w->failed = true;
    if (err == ENOSPC || err == EDQUOT)
        return ps_err(errbuf, "cannot write %s: %s; free some space or write elsewhere with -w",
                      w->name, strerror(err));
    return ps_err(errbuf, "cannot write %s: %s", w->name, strerror(err));
}

static int put(struct writer *w, const void *p, size_t n, char *errbuf)
{
    if (n == 0)
        return 0;
    if (fwrite(p, 1, n, w->fp) != n)
        return write_error(w, errbuf, errno ? errno : EIO);
    w->off += n;
    return 0;
}

static void le_put32(uint8_t *p, uint32_t v)
{
    /* Host byte order, as libpcap writes; memcpy keeps it alignment-safe. */
    memcpy(p, &v, 4);
}

static void le_put16(uint8_t *p, uint16_t v)
{
    memcpy(p, &v, 2);
}

static size_t pad4(size_t n)
{
    return (n + 3u) & ~(size_t)3u;
}

/* Appends one pcapng option to buf (room checked by the caller's sizing); returns bytes used. */
static size_t opt_put(uint8_t *buf, uint16_t code, const void *val, size_t len)
{
    le_put16(buf, code);
    le_put16(buf + 2, (uint16_t)len);
    if (len)
        memcpy(buf + 4, val, len);
    memset(buf + 4 + len, 0, pad4(len) - len);
    return 4 + pad4(len);
}

static size_t opt_size(size_t len)
{
    return 4 + pad4(len);
}

/* Option text is capped so that every block stays far below 64 KiB of options. */
static size_t opt_text_len(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    return n > 4000 ? 4000 : n;
}

static int write_shb(struct writer *w, char *errbuf)
{
    char os[160] = "";
    struct utsname un;
    if (uname(&un) == 0)
        snprintf(os, sizeof(os), "%s %s", un.sysname, un.release);
    char appl[64];
    snprintf(appl, sizeof(appl), "pktscope %s", PKTSCOPE_VERSION);
    char comment[512];
    if (w->info.comment)
        snprintf(comment, sizeof(comment), "%s", w->info.comment);
    else if (w->if_name)
        snprintf(comment, sizeof(comment), "captured by pktscope on %s%s%s%s", w->if_name,
                 w->filter ? " with filter \"" : "", w->filter ? w->filter : "",
                 w->filter ? "\"" : "");
    else
        snprintf(comment, sizeof(comment), "written by pktscope");

    size_t lc = opt_text_len(comment), lo = opt_text_len(os), la = opt_text_len(appl);
    size_t opts = opt_size(lc) + (lo ? opt_size(lo) : 0) + opt_size(la) + 4;
    size_t total = 24 + opts + 4;
    uint8_t buf[24 + 4096 + 256 + 128 + 16];
    le_put32(buf, PCAPNG_SHB);
    le_put32(buf + 4, (uint32_t)total);
    le_put32(buf + 8, PCAPNG_BOM);
    le_put16(buf + 12, 1);
    le_put16(buf + 14, 0);
    memset(buf + 16, 0xff, 8); /* section length unknown */
    size_t o = 24;
    o += opt_put(buf + o, OPT_COMMENT, comment, lc);
    if (lo)
        o += opt_put(buf + o, SHB_OS, os, lo);
    o += opt_put(buf + o, SHB_USERAPPL, appl, la);
    o += opt_put(buf + o, OPT_ENDOFOPT, NULL, 0);
    le_put32(buf + o, (uint32_t)total);
    o += 4;
    return put(w, buf, o, errbuf);
}

static int write_idb(struct writer *w, uint32_t ifindex, uint32_t linktype, char *errbuf)
{
    const char *name = NULL, *descr = NULL;
    if (w->info.iface_lookup) {
        const struct interface_info *ii = w->info.iface_lookup(w->info.iface_ctx, ifindex);
        if (ii && ii->linktype == linktype) {
            name = ii->name;
            descr = ii->description;
        }
    }
    if (!name && !descr && linktype == w->info.linktype && w->n_ifaces == 0) {
        name = w->if_name;
        descr = w->if_description;
    }
    size_t ln = opt_text_len(name), ld = opt_text_len(descr), lf = opt_text_len(w->filter);
    size_t opts = (ln ? opt_size(ln) : 0) + (ld ? opt_size(ld) : 0) + opt_size(1) +
                  (lf ? opt_size(lf + 1) : 0) + 4;
    size_t total = 16 + opts + 4;
    uint8_t buf[16 + 3 * (4 + 4004) + 8 + 4 + 4];
    le_put32(buf, PCAPNG_IDB);
    le_put32(buf + 4, (uint32_t)total);
    le_put16(buf + 8, (uint16_t)linktype);
    le_put16(buf + 10, 0);
    le_put32(buf + 12, w->info.snaplen);
    size_t o = 16;
    if (ln)
        o += opt_put(buf + o, IF_NAME, name, ln);
    if (ld)
        o += opt_put(buf + o, IF_DESCRIPTION, descr, ld);
    uint8_t tsresol = 9; /* 10^-9 s: every EPB carries nanoseconds */
    o += opt_put(buf + o, IF_TSRESOL, &tsresol, 1);
    if (lf) {
        /* if_filter: first byte 0 = "a libpcap filter string". */
        uint8_t fb[4001];
        fb[0] = 0;
        memcpy(fb + 1, w->filter, lf);
        o += opt_put(buf + o, IF_FILTER, fb, lf + 1);
    }
    o += opt_put(buf + o, OPT_ENDOFOPT, NULL, 0);
    le_put32(buf + o, (uint32_t)total);
    o += 4;
    return put(w, buf, o, errbuf);
}

/* The pcapng interface id for (ifindex, linktype), writing a new IDB the first time. */
static int iface_id(struct writer *w, uint32_t ifindex, uint32_t linktype, uint32_t *id,
                    char *errbuf)
{
    if (w->last_iface < w->n_ifaces && w->ifaces[w->last_iface].ifindex == ifindex &&
        w->ifaces[w->last_iface].linktype == linktype) {
        *id = (uint32_t)w->last_iface;
        return 0;
    }
    for (size_t i = 0; i < w->n_ifaces; i++) {
        if (w->ifaces[i].ifindex == ifindex && w->ifaces[i].linktype == linktype) {
            w->last_iface = i;
            *id = (uint32_t)i;
            return 0;
        }
    }
    if (w->n_ifaces >= WRITER_MAX_IFACES) {
        ps_err(errbuf,
               "cannot write packet %llu to %s: it is on interface %u and the file "
               "already describes %u, the most pktscope writes",
               (unsigned long long)w->cur_number, w->name, ifindex, WRITER_MAX_IFACES);
        return WRITER_SKIPPED;
    }
    if (linktype > 0xffffu) {
        ps_err(errbuf, "cannot write packet %llu to %s: link type %u does not fit pcapng",
               (unsigned long long)w->cur_number, w->name, linktype);
        return WRITER_SKIPPED;
    }
    if (write_idb(w, ifindex, linktype, errbuf) < 0)
        return -1;
    w->ifaces = xgrow(w->ifaces, &w->cap_ifaces, w->n_ifaces + 1, sizeof(*w->ifaces));
    w->ifaces[w->n_ifaces] = (struct writer_iface){ifindex, linktype};
    w->last_iface = w->n_ifaces;
    *id = (uint32_t)w->n_ifaces++;
    return 0;
}

static int write_file_header(struct writer *w, char *errbuf)
{
    if (w->fmt == WRITER_PCAPNG)
        return write_shb(w, errbuf);
    uint8_t h[24];
    le_put32(h, w->info.nanosecond ? PCAP_MAGIC_NS : PCAP_MAGIC_US);
    le_put16(h + 4, 2);
    le_put16(h + 6, 4);
    le_put32(h + 8, 0);  /* thiszone */
    le_put32(h + 12, 0); /* sigfigs */
    le_put32(h + 16, w->info.snaplen);
    le_put32(h + 20, w->info.linktype);
    return put(w, h, sizeof(h), errbuf);
}

struct writer *writer_open_fd(int fd, const char *name, enum writer_format fmt,
                              const struct writer_info *info, char *errbuf)
{
    FILE *fp = fdopen(fd, "w");
    if (!fp) {
        ps_err(errbuf, "cannot write %s: %s", name, strerror(errno));
        close(fd);
        return NULL;
    }
    struct writer *w = xcalloc(1, sizeof(*w));
    w->fp = fp;
    /* Big enough that a busy capture makes few write() calls. */
    setvbuf(fp, NULL, _IOFBF, 256 * 1024);
    w->name = xstrdup(name);
    w->fmt = fmt;
    w->info = *info;
    if (w->info.snaplen == 0 || w->info.snaplen > CAPTURE_MAX_PACKET)
        w->info.snaplen = CAPTURE_MAX_PACKET;
    w->if_name = dup_or_null(info->if_name);
    w->if_description = dup_or_null(info->if_description);
    w->filter = dup_or_null(info->filter);
    w->info.if_name = w->if_name;
    w->info.if_description = w->if_description;
    w->info.filter = w->filter;
    /* The comment is only needed for the SHB, written now; the caller's string may go away. */
    int rc = write_file_header(w, errbuf);
    w->info.comment = NULL;
    if (rc == 0)
        rc = writer_flush(w, errbuf);
    if (rc < 0) {
        char discard[PS_ERRBUF_SIZE];
        writer_close(w, discard);
        return NULL;
    }
    return w;
}

struct writer *writer_open(const char *path, const struct writer_info *info, char *errbuf)
{
    return writer_open_as(path, writer_format_for(path), info, errbuf);
}

struct writer *writer_open_as(const char *path, enum writer_format fmt,
                              const struct writer_info *info, char *errbuf)
{
    int fd;
    if (strcmp(path, "-") == 0) {
        fd = dup(STDOUT_FILENO);
        if (fd < 0) {
            ps_err(errbuf, "cannot write to standard output: %s", strerror(errno));
            return NULL;
        }
        return writer_open_fd(fd, "standard output", WRITER_PCAP, info, errbuf);
    }
    errbuf[0] = '\0';
    fd = outfile_create(path, false, errbuf);
    if (fd < 0 && errbuf[0])
        return NULL; /* a symlink or another user's file: outfile_create said so */
    if (fd < 0) {
        int err = -fd;
        if (err == EACCES || err == EPERM) {
            if (geteuid() != 0 && getuid() != geteuid())
                ps_err(errbuf, "cannot create %s: %s", path, strerror(err));
            else
                ps_err(errbuf,
                       "cannot create %s as user %lu: %s; write into a directory this user may "
                       "write to (after opening an interface pktscope runs as -Z USER, "
                       "\"nobody\" by default when started as root)",
                       path, (unsigned long)geteuid(), strerror(err));
        } else {
            ps_err(errbuf, "cannot create %s: %s", path, strerror(err));
        }
        return NULL;
    }
    return writer_open_fd(fd, path, fmt, info, errbuf);
}

int writer_write(struct writer *w, const struct packet *pkt, char *errbuf)
{
    if (w->failed)
        return ps_err(errbuf, "cannot write %s: an earlier write failed", w->name);
    uint32_t caplen = pkt->caplen;
    uint32_t len = pkt->len < caplen ? caplen : pkt->len;
    static const uint8_t zeros[4];
    w->cur_number = pkt->number;
    if (w->fmt == WRITER_PCAP) {
        if (pkt->linktype != w->info.linktype) {
            ps_err(errbuf,
                   "cannot write packet %llu to %s: its link type (%u) differs from the "
                   "file's (%u) and a pcap file holds one; write .pcapng instead",
                   (unsigned long long)pkt->number, w->name, pkt->linktype, w->info.linktype);
            return WRITER_SKIPPED;
        }
        uint8_t h[16];
        w->last_off = w->off;
        int64_t sec = pkt->ts_sec < 0 ? 0 : pkt->ts_sec;
        le_put32(h, (uint32_t)sec);
        le_put32(h + 4, w->info.nanosecond ? pkt->ts_nsec : pkt->ts_nsec / 1000u);
        le_put32(h + 8, caplen);
        le_put32(h + 12, len);
        if (put(w, h, sizeof(h), errbuf) < 0 || put(w, pkt->data, caplen, errbuf) < 0)
            return -1;
    } else {
        uint32_t id = 0;
        int r = iface_id(w, pkt->ifindex, pkt->linktype, &id, errbuf);
        if (r < 0)
            return r;
        size_t lc = pkt->comment ? pkt->comment_len : 0;
        if (lc > 0xfff0u)
            lc = 0xfff0u;
        size_t opts = lc ? opt_size(lc) + 4 : 0;
        size_t total = 28 + pad4(caplen) + opts + 4;
        uint8_t h[28];
        uint64_t ts = pkt->ts_sec < 0 ? 0 : (uint64_t)pkt->ts_sec * 1000000000u + pkt->ts_nsec;
        w->last_off = w->off; /* after any IDB iface_id() wrote */
        le_put32(h, PCAPNG_EPB);
        le_put32(h + 4, (uint32_t)total);
        le_put32(h + 8, id);
        le_put32(h + 12, (uint32_t)(ts >> 32));
        le_put32(h + 16, (uint32_t)ts);
        le_put32(h + 20, caplen);
        le_put32(h + 24, len);
        if (put(w, h, sizeof(h), errbuf) < 0 || put(w, pkt->data, caplen, errbuf) < 0 ||
            put(w, zeros, pad4(caplen) - caplen, errbuf) < 0)
            return -1;
        if (lc) {
            uint8_t oh[4];
            le_put16(oh, OPT_COMMENT);
            le_put16(oh + 2, (uint16_t)lc);
            uint8_t end[4] = {0, 0, 0, 0};
            if (put(w, oh, 4, errbuf) < 0 || put(w, pkt->comment, lc, errbuf) < 0 ||
                put(w, zeros, pad4(lc) - lc, errbuf) < 0 || put(w, end, 4, errbuf) < 0)
                return -1;
        }
        uint8_t t[4];
        le_put32(t, (uint32_t)total);
        if (put(w, t, 4, errbuf) < 0)
            return -1;
    }
    w->packets++;
    if (w->info.flush_each)
        return writer_flush(w, errbuf);
    return 0;
}

int writer_flush(struct writer *w, char *errbuf)
{
    if (fflush(w->fp) != 0)
        return write_error(w, errbuf, errno ? errno : EIO);
    w->flushed_off = w->off;
    return 0;
}

uint64_t writer_offset(const struct writer *w)
{
    return w->off;
}

uint64_t writer_last_offset(const struct writer *w)
{
    return w->last_off;
}

uint64_t writer_flushed_offset(const struct writer *w)
{
    return w->flushed_off;
}

enum writer_format writer_get_format(const struct writer *w)
{
    return w->fmt;
}

int writer_iface_at(const struct writer *w, uint32_t id, uint32_t *ifindex, uint32_t *linktype)
{
    if (w->fmt == WRITER_PCAP) {
        if (id != 0)
            return -1;
        *ifindex = 0;
        *linktype = w->info.linktype;
        return 0;
    }
    if (id >= w->n_ifaces)
        return -1;
    *ifindex = w->ifaces[id].ifindex;
    *linktype = w->ifaces[id].linktype;
    return 0;
}

bool writer_nanosecond(const struct writer *w)
{
    return w->fmt == WRITER_PCAPNG || w->info.nanosecond;
}

uint64_t writer_packets(const struct writer *w)
{
    return w->packets;
}

int writer_close(struct writer *w, char *errbuf)
{
    if (!w)
        return 0;
    int rc = 0;
    if (!w->failed && fflush(w->fp) != 0)
        rc = write_error(w, errbuf, errno ? errno : EIO);
    if (fclose(w->fp) != 0 && rc == 0 && !w->failed)
        rc = write_error(w, errbuf, errno ? errno : EIO);
    free(w->ifaces);
    free(w->name);
    free(w->if_name);
    free(w->if_description);
    free(w->filter);
    free(w);
    return rc;
}
