/* The capture session under the TUI and the batch outputs (pipeline.h). */
#include "pipeline/pipeline.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "capture/live.h"
#include "capture/privs.h"
#include "capture/rotate.h"
#include "capture/spool.h"
#include "capture/writer.h"
#include "dissect/numbers.h"
#include "dissect/reasm.h"
#include "pipeline/later_facts.h"
#include "filter/filter.h"
#include "util/linktype.h"
#include "util/ptime.h"
#include "util/util.h"

/* ---- opening the input ------------------------------------------------------------------ */

static struct source *open_live(const struct pipeline_input *in, char *errbuf, bool *privs_failed)
{
    struct live_options lo;
    memset(&lo, 0, sizeof(lo));
    lo.interface = in->interface;
    lo.filter = in->filter;
    lo.snaplen = in->snaplen;
    lo.buffer_kib = in->buffer_kib;
    lo.promisc = in->promisc;
    lo.immediate = in->immediate;
    lo.timeout_ms = in->timeout_ms;
    lo.fanout = in->fanout;
    lo.fanout_group = in->fanout_group;
    struct source *src = live_source_open(&lo, errbuf);
    if (!src)
        return NULL;
    const char *warn = live_source_warning(src);
    if (warn && in->warn)
        in->warn(in->warn_ctx, warn);
    else if (warn)
        fprintf(stderr, "pktscope: warning: %s\n", warn);
    /* Parsing what strangers sent is the risky part: do it without privileges. */
    char perr[PS_ERRBUF_SIZE];
    if (privs_drop(in->user, NULL, perr) < 0) {
        source_close(src);
        ps_err(errbuf, "%s", perr);
        *privs_failed = true;
        return NULL;
    }
    return src;
}

/*
 * --follow may start before the writer (tcpdump -w) has written the file header: wait until the
 * file exists and holds at least a pcap file header (24 bytes; a pcapng section header is
 * longer), instead of calling a half-written file "not a capture". Ctrl-C ends the wait.
 */
static void wait_for_header(const char *path)
{
    bool told = false;
    for (;;) {
        struct stat st;
        if (stat(path, &st) == 0) {
            if (!S_ISREG(st.st_mode) || st.st_size >= 24)
                return;
        } else if (errno != ENOENT) {
            return; /* file_source_open() says what is wrong */
        }
        if (!told) {
            fprintf(stderr, "pktscope: waiting for %s to %s (--follow)\n", path,
                    errno == ENOENT ? "be created" : "get its file header");
            told = true;
        }
        errno = 0;
        poll(NULL, 0, 100);
    }
}

struct source *pipeline_open_input(const struct pipeline_input *in, char *errbuf,
                                   bool *privs_failed)
{
    bool ignored;
    if (!privs_failed)
        privs_failed = &ignored;
    *privs_failed = false;
    if (in->interface)
        return open_live(in, errbuf, privs_failed);
    if (!in->read_file) {
        ps_err(errbuf, "no input: give -r FILE to read a capture or -i IFACE to capture live "
                       "(see pktscope --help)");
        return NULL;
    }
    if (in->follow)
        wait_for_header(in->read_file);
    return file_source_open(in->read_file, in->follow, errbuf);
}

struct source *pipeline_rereadable(struct source *src, const char *write_file, uint64_t spool_limit,
                                   bool limit_given, char *notice, char *errbuf)
{
    notice[0] = '\0';
    if (!source_has(src, SOURCE_CAP_LIVE) && !write_file &&
        source_has(src, SOURCE_CAP_RANDOM_ACCESS))
        return src;
    struct source *spooled = spool_source_new(src, write_file, NULL, errbuf);
    if (!spooled || !spool_limit || (write_file && !limit_given))
        return spooled; /* the default limit is for pktscope's own file, not the user's */
    char why[PS_ERRBUF_SIZE];
    if (spool_set_limit(spool_of_source(spooled), spool_limit, why) < 0) {
        if (limit_given) {
            snprintf(errbuf, PS_ERRBUF_SIZE, "%s", why);
            source_close(spooled);
            return NULL;
        }
        snprintf(notice, PS_ERRBUF_SIZE, "the spool has no disk limit: %.400s", why);
    }
    return spooled;
}

/* ---- the session ------------------------------------------------------------------------ */

struct pipeline {
    struct source *src;
    struct bpf_filter *bpf; /* NULL: none, or the kernel applies it */
    struct dfilter *dfilter;
    bool filter_view;     /* pipeline_config.filter_view */
    struct rotor *writer; /* -w, split by -C/-G/-W when asked */
    const char *write_file;
    uint64_t unwritten; /* packets -w could not hold (WRITER_SKIPPED) */
    struct tracker *tracker;
    struct dissect_options dopt; /* .reasm: the reassembler, or NULL */
    uint8_t *kept_fields;        /* dopt.kept_fields: what the display filter names */
    struct dissection *d;
    const struct later_facts *later_facts;
    uint32_t shard_index, shard_count; /* --shard; count 0 or 1: every packet */
    /* --threads: pipeline_set_worker(); `deciding` while pipeline_process_shared() runs. */
    uint32_t worker_index, worker_count;
    bool deciding;
    /* The time of the packet being dissected, for the reassembly's question to the tracker
     * (segment_kind). */
    int64_t dissecting_sec;
    uint32_t dissecting_nsec;
    /* For frame.time_relative and frame.time_delta in -Y: the first and the previous packet
     * processed. */
    bool have_first;
    int64_t first_sec, prev_sec;
    uint32_t first_nsec, prev_nsec;
};

static const struct interface_info *file_iface_lookup(void *ctx, uint32_t ifindex)
{
    return file_source_interface((struct source *)ctx, ifindex);
}

/* The interface's description for the pcapng IDB: pcap_findalldevs' text, else its addresses. */
static bool live_iface_description(const char *name, char *buf, size_t size)
{
    struct live_iface *list;
    size_t n;
    char err[PS_ERRBUF_SIZE];
    if (live_ifaces(&list, &n, err) < 0)
        return false;
    bool found = false;
    for (size_t i = 0; i < n && !found; i++) {
        if (strcmp(list[i].name, name) != 0)
            continue;
        found = true;
        if (list[i].description)
            snprintf(buf, size, "%s", list[i].description);
        else if (*list[i].addresses)
            snprintf(buf, size, "%s", list[i].addresses);
        else
            found = false;
    }
    live_ifaces_free(list, n);
    return found;
}

static int open_writer(struct pipeline *p, const struct pipeline_config *cfg, char *errbuf)
{
    struct source *src = p->src;
    struct writer_info wi;
    memset(&wi, 0, sizeof(wi));
    wi.linktype = src->linktype;
    wi.snaplen = src->snaplen;
    wi.nanosecond = src->nanosecond;
    /* -U flushes every packet; otherwise a live capture's file is flushed whenever the kernel's
     * buffer has been drained (pipeline_flush), so a reader following it is never more than one
     * batch behind, and a busy capture still makes few write() calls. */
    wi.flush_each = cfg->packet_buffered;
    char descr[256] = "";
    if (source_has(src, SOURCE_CAP_LIVE)) {
        wi.if_name = src->name;
        wi.filter = cfg->filter;
        if (live_iface_description(src->name, descr, sizeof(descr)))
            wi.if_description = descr;
    } else {
        /* A copy of a file: keep its interfaces' names and its section comment (pcapng). */
        wi.iface_lookup = file_iface_lookup;
        wi.iface_ctx = src;
        wi.comment = src->section_comment;
    }
    p->writer = rotor_open(cfg->write_file, &cfg->rotate, &wi, errbuf);
    p->write_file = cfg->write_file;
    return p->writer ? 0 : -1;
}

/* Frees what pipeline_new made before a failure (and the source it owns). */
static struct pipeline *setup_failed(struct pipeline *p)
{
    char ignored[PS_ERRBUF_SIZE];
    if (p->writer)
        rotor_close(p->writer, ignored);
    dfilter_free(p->dfilter);
    bpf_filter_free(p->bpf);
    source_close(p->src);
    free(p);
    return NULL;
}

/* reasm_set_segment_kind: the tracker has seen every segment of the connection before this one,
 * and says what its analysis will say of this one. */
static enum reasm_segment segment_kind(void *ctx, const struct dissection *d)
{
    const struct pipeline *p = ctx;
    return tracker_segment_kind(p->tracker, d, p->dissecting_sec, p->dissecting_nsec);
}

struct pipeline *pipeline_new(struct source *src, const struct pipeline_config *cfg, char *errbuf)
{
    struct pipeline *p = xcalloc(1, sizeof(*p));
    p->src = src;
    /* A live source's filter runs in the kernel; anything else is matched per packet. */
    if (cfg->filter && cfg->filter[0] && src && !source_has(src, SOURCE_CAP_LIVE)) {
        p->bpf = bpf_filter_new(cfg->filter, errbuf);
        if (!p->bpf)
            return setup_failed(p);
    }
    if (cfg->display_filter) {
        char derr[1024];
        if (dfilter_compile(cfg->display_filter, &p->dfilter, derr, sizeof(derr)) < 0) {
            ps_err(errbuf, "%s", derr);
            return setup_failed(p);
        }
    }
    /* Files that rotate are all made by the user the capture runs as, the first one too (as
     * tcpdump -C does): a ring must be able to write its first file anew. */
    bool rotating = rotate_enabled(&cfg->rotate);
    if (cfg->write_file && src && !rotating && open_writer(p, cfg, errbuf) < 0)
        return setup_failed(p);
    if (cfg->drop_privileges && src && !source_has(src, SOURCE_CAP_LIVE)) {
        char perr[PS_ERRBUF_SIZE];
        if (privs_drop(cfg->user, NULL, perr) < 0) {
            ps_err(errbuf, "%s", perr);
            return setup_failed(p);
        }
    }
    if (cfg->write_file && src && rotating && open_writer(p, cfg, errbuf) < 0)
        return setup_failed(p);
    /* Made only now, past every failure above, so that no error path leaks them. */
    p->tracker = tracker_new(&cfg->tracker);
    p->dopt.verify_checksums = cfg->verify_checksums;
    p->dopt.lean = cfg->no_detail_fields && !cfg->filter_view && !dfilter_reads_detail(p->dfilter);
    p->dopt.headerless = cfg->no_detail_fields && cfg->no_header_fields && !cfg->filter_view;
    if (p->dopt.headerless && p->dfilter) {
        /* The filter reads the fields it names and no other (filter/eval.c): a headerless
         * dissection keeps those, as a lean one keeps the detail fields a filter names.
         * Recording every header's fields for it made --stats -Y some 14 % slower (455 ms
         * against 400 on the 1 GB benchmark capture). */
        p->kept_fields = dfilter_kept_fields(p->dfilter);
        p->dopt.kept_fields = p->kept_fields;
    }
    p->filter_view = cfg->filter_view;
    p->later_facts = cfg->later_facts;
    p->shard_index = cfg->shard_index;
    p->shard_count = cfg->shard_count;
    if (cfg->reassembly) {
        p->dopt.reasm = reasm_new(cfg->reasm_limits);
        reasm_set_segment_kind(p->dopt.reasm, segment_kind, p);
    }
    p->d = xcalloc(1, sizeof(*p->d));
    return p;
}

void pipeline_free(struct pipeline *p)
{
    if (!p)
        return;
    if (p->writer) {
        char ignored[PS_ERRBUF_SIZE];
        rotor_close(p->writer, ignored);
    }
    tracker_free(p->tracker);
    reasm_free(p->dopt.reasm);
    free(p->d);
    dfilter_free(p->dfilter);
    free(p->kept_fields);
    bpf_filter_free(p->bpf);
    source_close(p->src);
    free(p);
}

void pipeline_set_source(struct pipeline *p, struct source *src)
{
    if (p->src != src)
        source_close(p->src);
    p->src = src;
}

struct source *pipeline_source(const struct pipeline *p)
{
    return p->src;
}

struct tracker *pipeline_tracker(const struct pipeline *p)
{
    return p->tracker;
}

struct reasm *pipeline_reasm(const struct pipeline *p)
{
    return p->dopt.reasm;
}

bool pipeline_has_display_filter(const struct pipeline *p)
{
    return p->dfilter != NULL;
}

void pipeline_set_times(struct pipeline *p, int64_t first_sec, uint32_t first_nsec,
                        int64_t prev_sec, uint32_t prev_nsec)
{
    p->have_first = true;
    p->first_sec = first_sec;
    p->first_nsec = first_nsec;
    p->prev_sec = prev_sec;
    p->prev_nsec = prev_nsec;
}

int pipeline_read(struct pipeline *p, struct packet *pkt, char *errbuf)
{
    if (!p->src)
        return SOURCE_EOF;
    for (;;) {
        int r = source_next(p->src, pkt, errbuf);
        if (r != SOURCE_PACKET || !p->bpf || bpf_filter_match(p->bpf, pkt))
            return r;
    }
}

/* -w: one packet. A packet the file format cannot hold is left out (the analysis goes on, the
 * output is incomplete) and the first reason is said once; -1 on a failed write. */
static int write_packet(struct pipeline *p, const struct packet *pkt, char *errbuf)
{
    int w = rotor_write(p->writer, pkt, errbuf);
    if (w == ROTOR_DONE)
        return 1;
    if (w == WRITER_SKIPPED) {
        if (!p->unwritten++)
            fprintf(stderr, "pktscope: %s; later such packets are counted, not named\n", errbuf);
        return 0;
    }
    return w < 0 ? -1 : 0;
}

static void fill_filter_packet(struct pipeline *p, const struct packet *pkt,
                               struct pipeline_result *res)
{
    res->fp = (struct filter_packet){
        .d = p->d,
        .ti = &res->ti,
        .number = pkt->number,
        .len = pkt->len,
        .caplen = pkt->caplen,
        .ts_sec = pkt->ts_sec,
        .ts_nsec = pkt->ts_nsec,
        .ts_missing = pkt->ts_missing,
        .first_sec = p->first_sec,
        .first_nsec = p->first_nsec,
        .prev_sec = p->prev_sec,
        .prev_nsec = p->prev_nsec,
        .comment = pkt->comment,
        .comment_len = pkt->comment_len,
    };
}

/* 64-bit FNV-1a (Fowler, Noll, Vo), as pipeline.h documents it for --shard. */
static uint64_t fnv1a(uint64_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* memcmp(a, b, n) > 0 for the address lengths met here, without the call: --threads' workers
 * ask it of every frame of the file. */
static bool addr_after(const uint8_t *a, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return a[i] > b[i];
    return false;
}

/* FNV-1a over the address pair, the lower one first (the same both ways). */
static uint64_t pair_hash(const uint8_t *a, const uint8_t *b, size_t n)
{
    if (addr_after(a, b, n)) {
        const uint8_t *t = a;
        a = b;
        b = t;
    }
    uint64_t h = fnv1a(0xcbf29ce484222325ull, a, n);
    return fnv1a(h, b, n);
}

/* MurmurHash3's 64-bit finalizer: every bit of h spread over the low ones. */
static uint64_t fmix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

/* The shard or worker, of count, of hash h (--shard's FNV-1a, or --threads' own below). */
static uint32_t hash_shard(uint64_t h, uint32_t count)
{
    /* FNV-1a's low k bits depend only on the low k bits of each byte (a multiplication
     * carries upwards only), so modulo 2 it was the parity of the addresses' last bits: the
     * 300 host pairs of tests/scripts/threads.sh went 93 % to one of two workers. The
     * finalizer spreads every bit over the low ones first. */
    h = fmix64(h);
    /* A power of two's remainder is a mask (the same value, without a 64-bit division). */
    return (uint32_t)((count & (count - 1)) == 0 ? h & (count - 1) : h % count);
}

static uint32_t pair_shard(const uint8_t *a, const uint8_t *b, size_t n, uint32_t count)
{
    return hash_shard(pair_hash(a, b, n), count);
}

/* --threads' own hash of an address pair (n bytes each), the same both ways: each address
 * folded to 64 bits, the lower first. Not --shard's FNV-1a, which runs on other machines must
 * agree on: every worker places every frame of the file, and FNV-1a's byte at a time was 6 %
 * of a worker's samples. */
static uint64_t addr_fold(const uint8_t *a, size_t n)
{
    if (n == 4) {
        uint32_t v;
        memcpy(&v, a, 4);
        return v;
    }
    uint64_t hi, lo;
    memcpy(&hi, a, 8);
    memcpy(&lo, a + 8, 8);
    return fmix64(hi) ^ lo;
}

static uint64_t pair_fold(const uint8_t *a, const uint8_t *b, size_t n)
{
    uint64_t x = addr_fold(a, n), y = addr_fold(b, n);
    return x < y ? x * 0x9e3779b97f4a7c15ull + y : y * 0x9e3779b97f4a7c15ull + x;
}

/* --threads: a TCP connection's worker, from its address pair and its ports (the lower port
 * first: the same both ways). */
static uint32_t conn_worker(const uint8_t *a, const uint8_t *b, size_t n, const uint8_t *ports,
                            uint32_t count)
{
    uint32_t pa = (uint32_t)(ports[0] << 8 | ports[1]);
    uint32_t pb = (uint32_t)(ports[2] << 8 | ports[3]);
    uint64_t both = pa < pb ? pa << 16 | pb : pb << 16 | pa;
    return hash_shard(pair_fold(a, b, n) ^ both * 0xc2b2ae3d27d4eb4full, count);
}

/* --threads: the worker of an IP packet of addresses a and b (n bytes each) whose header names
 * protocol nh for its payload p[0, len): a TCP segment's connection, else the address pair;
 * PIPELINE_EVERY_WORKER for a fragment that reassembly holds. */
static uint32_t ip_worker(const uint8_t *a, const uint8_t *b, size_t n, uint8_t nh,
                          const uint8_t *p, size_t len, bool reassembly, uint32_t count)
{
    uint8_t proto;
    size_t off;
    switch (dis_ip_transport(nh, p, len, reassembly, &proto, &off)) {
    case DIS_WALK_FRAGMENT:
        return PIPELINE_EVERY_WORKER;
    case DIS_WALK_TRANSPORT:
        if (proto == PS_IPPROTO_TCP && len - off >= 4)
            return conn_worker(a, b, n, p + off, count);
        break;
    default:
        break;
    }
    return hash_shard(pair_fold(a, b, n), count);
}

uint32_t pipeline_datagram_worker(size_t addr_len, const uint8_t *src, const uint8_t *dst,
                                  uint8_t proto, const uint8_t *payload, size_t n, uint32_t count)
{
    if (count <= 1)
        return 0;
    uint32_t w = ip_worker(src, dst, addr_len, proto, payload, n, true, count);
    /* A Fragment header inside a reassembled datagram: nobody's connection, its pair's. */
    return w == PIPELINE_EVERY_WORKER ? hash_shard(pair_fold(src, dst, addr_len), count) : w;
}

static uint32_t l3_shard(uint16_t ethertype, const uint8_t *p, size_t n, uint32_t count);

/* The worker of a frame's address pair alone, as pipeline_frame_worker places what is not TCP:
 * ethertype's packet at p[0, n). */
static uint32_t l3_pair_worker(uint16_t ethertype, const uint8_t *p, size_t n, uint32_t count)
{
    if (ethertype == 0x0800 && n >= 20 && (p[0] >> 4) == 4)
        return hash_shard(pair_fold(p + 12, p + 16, 4), count);
    if (ethertype == 0x86dd && n >= 40 && (p[0] >> 4) == 6)
        return hash_shard(pair_fold(p + 8, p + 24, 16), count);
    return l3_shard(ethertype, p, n, count);
}

/* pipeline_frame_worker() behind the link layer. */
static uint32_t l3_worker(uint16_t ethertype, const uint8_t *p, size_t n, bool reassembly,
                          uint32_t count)
{
    if (ethertype == 0x0800 && n >= 20 && (p[0] >> 4) == 4) {
        size_t ihl = (size_t)(p[0] & 15) * 4;
        uint16_t frag = (uint16_t)(p[6] << 8 | p[7]);
        bool mf = (frag & 0x2000) != 0;
        uint16_t offset = frag & 0x1fff;
        if ((mf || offset) && reassembly)
            return PIPELINE_EVERY_WORKER;
        if (!offset && ihl >= 20 && ihl <= n)
            return ip_worker(p + 12, p + 16, 4, p[9], p + ihl, n - ihl, reassembly, count);
    } else if (ethertype == 0x86dd && n >= 40 && (p[0] >> 4) == 6) {
        return ip_worker(p + 8, p + 24, 16, p[6], p + 40, n - 40, reassembly, count);
    }
    return l3_pair_worker(ethertype, p, n, count);
}

uint32_t pipeline_shard_of(const struct dissection *d, uint32_t count)
{
    const struct dis_summary *s = &d->sum;
    const uint8_t *a, *b;
    size_t n;
    if (count <= 1)
        return 0;
    if (s->addr_len == 4 || s->addr_len == 16) {
        a = s->src;
        b = s->dst;
        n = s->addr_len;
    } else if (s->has_eth) {
        a = s->eth_src;
        b = s->eth_dst;
        n = 6;
    } else {
        return 0;
    }
    return pair_shard(a, b, n, count);
}

/* The shard of an IPv4 or IPv6 packet at p[0, n), or of ARP (ethertype 0x0806); 0 else. */
static uint32_t l3_shard(uint16_t ethertype, const uint8_t *p, size_t n, uint32_t count)
{
    if (ethertype == 0x0800 && n >= 20 && (p[0] >> 4) == 4)
        return pair_shard(p + 12, p + 16, 4, count);
    if (ethertype == 0x86dd && n >= 40 && (p[0] >> 4) == 6)
        return pair_shard(p + 8, p + 24, 16, count);
    /* ARP for IPv4 over Ethernet (RFC 826): sender and target protocol addresses. */
    if (ethertype == 0x0806 && n >= 28 && p[4] == 6 && p[5] == 4)
        return pair_shard(p + 14, p + 24, 4, count);
    return 0;
}

/* Where a frame's network-layer packet starts behind its link header (Ethernet with up to two
 * VLAN tags, Linux cooked SLL and SLL2, BSD loopback, raw IP), and its ethertype; false for
 * any other link type or a frame too short. */
static bool frame_l3(const struct packet *pkt, uint16_t *type, size_t *off)
{
    const uint8_t *p = pkt->data;
    size_t n = pkt->caplen;
    switch (pkt->linktype) {
    case LINKTYPE_ETHERNET:
        if (n < 14)
            return false;
        *type = (uint16_t)(p[12] << 8 | p[13]);
        *off = 14;
        for (int tags = 0; tags < 2 && (*type == 0x8100 || *type == 0x88a8) && n >= *off + 4;
             tags++) {
            *type = (uint16_t)(p[*off + 2] << 8 | p[*off + 3]);
            *off += 4;
        }
        return true;
    case LINKTYPE_LINUX_SLL:
        *type = n < 16 ? 0 : (uint16_t)(p[14] << 8 | p[15]);
        *off = 16;
        return n >= 16;
    case LINKTYPE_LINUX_SLL2:
        *type = n < 20 ? 0 : (uint16_t)(p[0] << 8 | p[1]);
        *off = 20;
        return n >= 20;
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP:
        /* The address family, in the writer's byte order (NULL) or network order (LOOP): the
         * IP version in the header behind it says which. */
        if (n < 5)
            return false;
        *type = (p[4] >> 4) == 6 ? 0x86dd : 0x0800;
        *off = 4;
        return true;
    case LINKTYPE_RAW:
    case LINKTYPE_RAW_BSD:
    case LINKTYPE_RAW_BSD14:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
        if (n < 1)
            return false;
        *type = (p[0] >> 4) == 6 ? 0x86dd : 0x0800;
        *off = 0;
        return true;
    default:
        return false;
    }
}

uint32_t pipeline_frame_shard(const struct packet *pkt, uint32_t count)
{
    uint16_t type;
    size_t off;
    if (count <= 1 || !frame_l3(pkt, &type, &off))
        return 0;
    return l3_shard(type, pkt->data + off, pkt->caplen - off, count);
}

uint32_t pipeline_frame_worker(const struct packet *pkt, uint32_t count, bool reassembly)
{
    uint16_t type;
    size_t off;
    if (count <= 1 || !frame_l3(pkt, &type, &off))
        return 0;
    return l3_worker(type, pkt->data + off, pkt->caplen - off, reassembly, count);
}

/* A shared frame that completed no datagram: its address pair's worker. */
static uint32_t frame_pair_worker(const struct packet *pkt, uint32_t count)
{
    uint16_t type;
    size_t off;
    if (count <= 1 || !frame_l3(pkt, &type, &off))
        return 0;
    return l3_pair_worker(type, pkt->data + off, pkt->caplen - off, count);
}

static bool owns_datagram(void *ctx, size_t addr_len, const uint8_t *src, const uint8_t *dst,
                          uint8_t proto, const uint8_t *payload, size_t n)
{
    const struct pipeline *p = ctx;
    /* Only a frame every worker reassembles is shared out by its datagram: a fragment inside a
     * tunnel came in a frame that was this worker's alone, and stays so. */
    if (!p->deciding)
        return true;
    return pipeline_datagram_worker(addr_len, src, dst, proto, payload, n, p->worker_count) ==
           p->worker_index;
}

void pipeline_set_worker(struct pipeline *p, uint32_t index, uint32_t count)
{
    p->worker_index = index;
    p->worker_count = count;
    if (p->dopt.reasm)
        reasm_set_owner(p->dopt.reasm, owns_datagram, p);
}

/* A frame every worker dissected: this worker's when the datagram it completed is, else when
 * its address pair is (a fragment held, or one that completed nothing). */
static bool shared_frame_mine(const struct pipeline *p, const struct packet *pkt)
{
    switch (p->dopt.reasm ? reasm_frame_datagram(p->dopt.reasm) : REASM_DATAGRAM_NONE) {
    case REASM_DATAGRAM_KEPT:
        return true;
    case REASM_DATAGRAM_REFUSED:
        return false;
    default:
        return frame_pair_worker(pkt, p->worker_count) == p->worker_index;
    }
}

int pipeline_process_shared(struct pipeline *p, const struct packet *pkt,
                            struct pipeline_result *res, char *errbuf)
{
    p->deciding = true;
    int r = pipeline_process(p, pkt, res, errbuf);
    p->deciding = false;
    return r;
}

int pipeline_process(struct pipeline *p, const struct packet *pkt, struct pipeline_result *res,
                     char *errbuf)
{
    /* Without -Y every packet read is written before it is even dissected; with -Y only those
     * that match, as tshark -Y -w does. */
    bool sharded = p->shard_count > 1;
    int wr = 0;
    if (p->writer && !p->dfilter && !sharded && (wr = write_packet(p, pkt, errbuf)) != 0)
        return wr; /* -1, or the -W files are all written: this packet is not processed */
    if (p->dopt.reasm) {
        reasm_frame(p->dopt.reasm, pkt->number, pkt->ts_sec);
        if (p->deciding)
            reasm_share_frame(p->dopt.reasm);
    }
    p->dissecting_sec = pkt->ts_sec;
    p->dissecting_nsec = pkt->ts_nsec;
    dissect_options_at(&p->dopt, pkt);
    dissect_frame(p->d, pkt->data, pkt->caplen, pkt->len, pkt->linktype, &p->dopt);
    /* --shard: after dissection (the addresses are known, fragments were reassembled by every
     * shard alike), before anything that counts or numbers the packet. */
    res->other_shard = sharded && pipeline_shard_of(p->d, p->shard_count) != p->shard_index;
    if (p->deciding)
        res->other_shard = !shared_frame_mine(p, pkt);
    if (res->other_shard) {
        res->d = p->d;
        res->shown = false;
        res->has_fp = false;
        memset(&res->ti, 0, sizeof(res->ti));
        return 0;
    }
    if (p->writer && !p->dfilter && sharded && (wr = write_packet(p, pkt, errbuf)) != 0)
        return wr;
    if (p->later_facts)
        later_facts_apply(p->later_facts, p->d, pkt->number);
    tracker_packet(p->tracker, p->d, pkt->ts_sec, pkt->ts_nsec, pkt->number, &res->ti);
    res->d = p->d;
    if (!p->have_first) {
        p->first_sec = p->prev_sec = pkt->ts_sec;
        p->first_nsec = p->prev_nsec = pkt->ts_nsec;
        p->have_first = true;
    }
    /* Filled only when someone reads it: a --stats run need not pay for it. */
    res->has_fp = p->dfilter || p->filter_view;
    if (res->has_fp)
        fill_filter_packet(p, pkt, res);
    res->shown = !p->dfilter || dfilter_match(p->dfilter, &res->fp);
    p->prev_sec = pkt->ts_sec;
    p->prev_nsec = pkt->ts_nsec;
    if (p->writer && p->dfilter && res->shown)
        return write_packet(p, pkt, errbuf);
    return 0;
}

int pipeline_flush(struct pipeline *p, char *errbuf)
{
    return p->writer ? rotor_flush(p->writer, errbuf) : 0;
}

int pipeline_close_output(struct pipeline *p, char *errbuf)
{
    if (!p->writer)
        return 0;
    int r = rotor_close(p->writer, errbuf);
    p->writer = NULL;
    if (r < 0)
        return -1;
    if (p->unwritten) {
        fprintf(stderr,
                "pktscope: %s is incomplete: %" PRIu64 " of the packets read could not "
                "be written to it (all were analysed)\n",
                p->write_file, p->unwritten);
        return 1;
    }
    return 0;
}

void pipeline_print_kernel_stats(const struct pipeline *p, FILE *out)
{
    struct source *src = p->src;
    if (!src || !src->ops->stats)
        return;
    struct source_stats st;
    memset(&st, 0, sizeof(st));
    src->ops->stats(src, &st);
    if (!st.has_kernel_stats)
        return;
    /* tcpdump's wording, so scripts that parse it keep working (tcpdump leaves out the
     * interface line when it is 0; saying 0 is clearer). */
    fprintf(out, "%" PRIu64 " packet%s captured\n", st.packets, st.packets == 1 ? "" : "s");
    fprintf(out, "%" PRIu64 " packet%s received by filter\n", st.kernel_received,
            st.kernel_received == 1 ? "" : "s");
    fprintf(out, "%" PRIu64 " packet%s dropped by kernel\n", st.kernel_dropped,
            st.kernel_dropped == 1 ? "" : "s");
    fprintf(out, "%" PRIu64 " packet%s dropped by interface\n", st.if_dropped,
            st.if_dropped == 1 ? "" : "s");
}

/* ---- the replay clock -------------------------------------------------------------------- */

/* The longest a replay waits between two packets. */
#define REPLAY_MAX_GAP_MS 10000

void replay_clock_init(struct replay_clock *rc, double speed)
{
    memset(rc, 0, sizeof(*rc));
    rc->speed = speed > 0 ? speed : 1.0;
}

int64_t pipeline_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t replay_clock_wait_ms(struct replay_clock *rc, int64_t ts_sec, uint32_t ts_nsec,
                             int64_t now_ms)
{
    int64_t ts_ms = ptime_ns(ts_sec, ts_nsec) / 1000000;
    if (!rc->started) {
        rc->started = true;
        rc->wall0_ms = now_ms;
        rc->ts0_ms = ts_ms;
        return 0;
    }
    /* The span is saturated, and bounded before the conversion so that a slow replay speed
     * cannot push it out of int64. */
    double span = (double)ptime_sub(ts_ms, rc->ts0_ms) / rc->speed;
    int64_t due = ptime_add(rc->wall0_ms, span > 1e15    ? (int64_t)1e15
                                          : span < -1e15 ? (int64_t)-1e15
                                                         : (int64_t)span);
    if (ptime_sub(due, now_ms) > REPLAY_MAX_GAP_MS) {
        /* Shift the anchor so that later packets keep their spacing. */
        rc->wall0_ms = ptime_sub(rc->wall0_ms, ptime_sub(due, now_ms) - REPLAY_MAX_GAP_MS);
        due = now_ms + REPLAY_MAX_GAP_MS;
    }
    return due <= now_ms ? 0 : due - now_ms;
}

void pipeline_set_later_facts(struct pipeline *p, const struct later_facts *m)
{
    p->later_facts = m;
}

struct later_facts *pipeline_learn_later_facts(struct source *src,
                                               const struct pipeline_config *cfg, char *errbuf)
{
    /* The same packets through the same reassembly and tracker as the pass that shows them, so
     * that frame numbers, completions and pairings are the same; nothing written, nothing
     * hidden. */
    struct pipeline_config first = *cfg;
    first.display_filter = NULL;
    first.write_file = NULL;
    first.filter_view = false;
    first.drop_privileges = false;
    /* What is learnt is read from the fields of the IP and TCP layers (ip.fragment,
     * tcp.segment), which a headerless dissection leaves out (--stats and --conns are
     * headerless, keeping only what -Y names, and this pass has no -Y). */
    first.no_header_fields = false;
    first.later_facts = NULL;
    first.tracker.conn_forget = NULL;
    first.tracker.conn_recall = NULL;
    first.tracker.conn_end = NULL;
    first.tracker.conn_ctx = NULL;
    struct pipeline *p = pipeline_new(src, &first, errbuf);
    if (!p)
        return NULL;
    if (p->dopt.reasm)
        reasm_keep_all_frames(p->dopt.reasm, true); /* every segment told, not the first 64 */
    struct later_facts *m = later_facts_new();
    for (;;) {
        struct packet pkt;
        int r = pipeline_read(p, &pkt, errbuf);
        if (r != SOURCE_PACKET)
            break; /* damage is reported by the pass that shows the packets */
        struct pipeline_result res;
        if (pipeline_process(p, &pkt, &res, errbuf) < 0)
            break;
        later_facts_learn(m, res.d, &res.ti, pkt.number);
    }
    pipeline_free(p);
    return m;
}
