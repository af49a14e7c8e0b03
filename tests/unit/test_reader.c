/*
 * The pcap/pcapng file reader (capture/file.c). Every capture is built here byte by byte and
 * written to a temporary file (or a pipe), so each expected value below is known exactly.
 */
#include "check.h"
#include "capture/source.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- byte builder ----------------------------------------------------------------------- */

struct bb {
    uint8_t *p;
    size_t n, cap;
    bool be;
};

static void bb_bytes(struct bb *b, const void *v, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 64;
        b->p = realloc(b->p, b->cap);
        if (!b->p)
            abort();
    }
    if (n)
        memcpy(b->p + b->n, v, n);
    b->n += n;
}

static void bb_u8(struct bb *b, uint8_t v)
{
    bb_bytes(b, &v, 1);
}

static void bb_u16(struct bb *b, uint16_t v)
{
    uint8_t x[2];
    if (b->be) {
        x[0] = (uint8_t)(v >> 8);
        x[1] = (uint8_t)v;
    } else {
        x[0] = (uint8_t)v;
        x[1] = (uint8_t)(v >> 8);
    }
    bb_bytes(b, x, 2);
}

static void bb_u32(struct bb *b, uint32_t v)
{
    uint8_t x[4];
    for (int i = 0; i < 4; i++)
        x[b->be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
    bb_bytes(b, x, 4);
}

static void bb_u64(struct bb *b, uint64_t v)
{
    uint8_t x[8];
    for (int i = 0; i < 8; i++)
        x[b->be ? 7 - i : i] = (uint8_t)(v >> (8 * i));
    bb_bytes(b, x, 8);
}

static void bb_put32_at(struct bb *b, size_t at, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b->p[at + (size_t)(b->be ? 3 - i : i)] = (uint8_t)(v >> (8 * i));
}

static void bb_pad4(struct bb *b)
{
    while (b->n % 4)
        bb_u8(b, 0);
}

static void bb_free(struct bb *b)
{
    free(b->p);
    memset(b, 0, sizeof(*b));
}

/* Payload byte i of a packet tagged `tag`: recognisable in every packet. */
static uint8_t pay(unsigned tag, size_t i)
{
    return (uint8_t)(tag * 31u + i * 7u + 1u);
}

/* ---- pcap ---- */

static void pcap_hdr(struct bb *b, uint32_t magic, uint16_t major, uint16_t minor, uint32_t snaplen,
                     uint32_t linktype)
{
    bb_u32(b, magic);
    bb_u16(b, major);
    bb_u16(b, minor);
    bb_u32(b, 0); /* thiszone */
    bb_u32(b, 0); /* sigfigs */
    bb_u32(b, snaplen);
    bb_u32(b, linktype);
}

/* A record whose header says caplen_f/len_f and carries `present` payload bytes. */
static void pcap_rec_raw(struct bb *b, uint32_t sec, uint32_t frac, uint32_t caplen_f,
                         uint32_t len_f, unsigned tag, size_t present)
{
    bb_u32(b, sec);
    bb_u32(b, frac);
    bb_u32(b, caplen_f);
    bb_u32(b, len_f);
    for (size_t i = 0; i < present; i++)
        bb_u8(b, pay(tag, i));
}

static void pcap_rec(struct bb *b, uint32_t sec, uint32_t frac, uint32_t caplen, uint32_t len,
                     unsigned tag)
{
    pcap_rec_raw(b, sec, frac, caplen, len, tag, caplen);
}

/* ---- pcapng ---- */

static size_t ng_begin(struct bb *b, uint32_t type)
{
    size_t at = b->n;
    bb_u32(b, type);
    bb_u32(b, 0); /* length, patched by ng_end */
    return at;
}

static void ng_end(struct bb *b, size_t at)
{
    bb_pad4(b);
    uint32_t total = (uint32_t)(b->n - at + 4);
    bb_put32_at(b, at + 4, total);
    bb_u32(b, total);
}

static void ng_opt(struct bb *b, uint16_t code, const void *v, uint16_t len)
{
    bb_u16(b, code);
    bb_u16(b, len);
    bb_bytes(b, v, len);
    bb_pad4(b);
}

static void ng_opt_end(struct bb *b)
{
    bb_u16(b, 0);
    bb_u16(b, 0);
}

static void ng_shb(struct bb *b, const char *comment)
{
    size_t at = ng_begin(b, 0x0a0d0d0au);
    bb_u32(b, 0x1a2b3c4du);
    bb_u16(b, 1);
    bb_u16(b, 0);
    bb_u64(b, UINT64_MAX); /* section length unknown */
    if (comment) {
        ng_opt(b, 1, comment, (uint16_t)strlen(comment));
        ng_opt_end(b);
    }
    ng_end(b, at);
}

/* tsresol < 0: no option. tsoffset set when has_off. */
static void ng_idb(struct bb *b, uint16_t linktype, uint32_t snaplen, const char *name, int tsresol,
                   bool has_off, int64_t tsoffset)
{
    size_t at = ng_begin(b, 1);
    bb_u16(b, linktype);
    bb_u16(b, 0);
    bb_u32(b, snaplen);
    bool any = false;
    if (name) {
        ng_opt(b, 2, name, (uint16_t)strlen(name));
        any = true;
    }
    if (tsresol >= 0) {
        uint8_t r = (uint8_t)tsresol;
        ng_opt(b, 9, &r, 1);
        any = true;
    }
    if (has_off) {
        struct bb v = {.be = b->be};
        bb_u64(&v, (uint64_t)tsoffset);
        ng_opt(b, 14, v.p, 8);
        bb_free(&v);
        any = true;
    }
    if (any)
        ng_opt_end(b);
    ng_end(b, at);
}

static void ng_epb_raw(struct bb *b, uint32_t if_id, uint64_t ts, uint32_t caplen_f, uint32_t len,
                       unsigned tag, size_t present, const char *comment)
{
    size_t at = ng_begin(b, 6);
    bb_u32(b, if_id);
    bb_u32(b, (uint32_t)(ts >> 32));
    bb_u32(b, (uint32_t)ts);
    bb_u32(b, caplen_f);
    bb_u32(b, len);
    for (size_t i = 0; i < present; i++)
        bb_u8(b, pay(tag, i));
    bb_pad4(b);
    if (comment) {
        ng_opt(b, 1, comment, (uint16_t)strlen(comment));
        ng_opt_end(b);
    }
    ng_end(b, at);
}

static void ng_epb(struct bb *b, uint32_t if_id, uint64_t ts, uint32_t caplen, uint32_t len,
                   unsigned tag, const char *comment)
{
    ng_epb_raw(b, if_id, ts, caplen, len, tag, caplen, comment);
}

static void ng_spb(struct bb *b, uint32_t len, unsigned tag, size_t present)
{
    size_t at = ng_begin(b, 3);
    bb_u32(b, len);
    for (size_t i = 0; i < present; i++)
        bb_u8(b, pay(tag, i));
    ng_end(b, at);
}

static void ng_pb(struct bb *b, uint16_t if_id, uint64_t ts, uint32_t caplen, uint32_t len,
                  unsigned tag)
{
    size_t at = ng_begin(b, 2);
    bb_u16(b, if_id);
    bb_u16(b, 0); /* drops */
    bb_u32(b, (uint32_t)(ts >> 32));
    bb_u32(b, (uint32_t)ts);
    bb_u32(b, caplen);
    bb_u32(b, len);
    for (size_t i = 0; i < caplen; i++)
        bb_u8(b, pay(tag, i));
    ng_end(b, at);
}

/* A block the reader must skip: name resolution, statistics, custom, or an unknown type. */
static void ng_other(struct bb *b, uint32_t type, size_t body)
{
    size_t at = ng_begin(b, type);
    for (size_t i = 0; i < body; i++)
        bb_u8(b, (uint8_t)(0xa0 + i));
    ng_end(b, at);
}

/* ---- files and reading ------------------------------------------------------------------ */

static char tmp_dir[256];
static unsigned tmp_seq;

static void tmp_path(char *out, size_t n)
{
    snprintf(out, n, "%s/f%u.cap", tmp_dir, tmp_seq++);
}

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(p, 1, n, f) != n)) {
        perror(path);
        exit(2);
    }
    fclose(f);
}

static void append_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "ab");
    if (!f || (n && fwrite(p, 1, n, f) != n)) {
        perror(path);
        exit(2);
    }
    fclose(f);
}

#define MAX_GOT 400
#define GOT_DATA 64

struct got {
    uint32_t caplen, len, linktype, ifindex;
    int64_t ts_sec;
    uint32_t ts_nsec;
    uint64_t number, record_off;
    uint8_t data[GOT_DATA];
    char comment[64];
    bool has_comment;
    bool ts_missing;
};

struct result {
    struct got p[MAX_GOT];
    size_t n;
    int last;                 /* the status that ended reading */
    char err[PS_ERRBUF_SIZE]; /* its message */
};

static struct result res; /* large: static */

static void got_fill(struct got *g, const struct packet *pkt)
{
    memset(g, 0, sizeof(*g));
    g->caplen = pkt->caplen;
    g->len = pkt->len;
    g->linktype = pkt->linktype;
    g->ifindex = pkt->ifindex;
    g->ts_sec = pkt->ts_sec;
    g->ts_nsec = pkt->ts_nsec;
    g->number = pkt->number;
    g->record_off = pkt->record_off;
    g->ts_missing = pkt->ts_missing;
    memcpy(g->data, pkt->data, pkt->caplen < GOT_DATA ? pkt->caplen : GOT_DATA);
    if (pkt->comment) {
        g->has_comment = true;
        snprintf(g->comment, sizeof(g->comment), "%s", pkt->comment);
    }
}

/* True when the packet's first bytes are those of payload `tag`. */
static bool got_is(const struct got *g, unsigned tag)
{
    size_t n = g->caplen < GOT_DATA ? g->caplen : GOT_DATA;
    for (size_t i = 0; i < n; i++)
        if (g->data[i] != pay(tag, i))
            return false;
    return true;
}

/* Reads every packet of an open source into res (bounded). */
static void drain(struct source *src)
{
    res.n = 0;
    res.err[0] = 0;
    struct packet pkt;
    for (int i = 0; i < 100000; i++) {
        int r = source_next(src, &pkt, res.err);
        if (r != SOURCE_PACKET) {
            res.last = r;
            return;
        }
        if (res.n < MAX_GOT)
            got_fill(&res.p[res.n++], &pkt);
    }
    res.last = 99; /* never ended */
}

/* Writes the bytes to a file, opens it and reads it all; returns the source (caller closes). */
static struct source *read_bytes(const struct bb *b, char *path, size_t pathlen)
{
    tmp_path(path, pathlen);
    write_file(path, b->p, b->n);
    char errbuf[PS_ERRBUF_SIZE];
    struct source *src = file_source_open(path, false, errbuf);
    if (!src) {
        fprintf(stderr, "open %s: %s\n", path, errbuf);
        res.n = 0;
        res.last = 98;
        snprintf(res.err, sizeof(res.err), "%s", errbuf);
        return NULL;
    }
    drain(src);
    return src;
}

/* The file of b's bytes (b is freed), opened, not read yet; NULL is a failed check. */
static struct source *open_written(struct bb *b, char *path, size_t pathlen)
{
    tmp_path(path, pathlen);
    write_file(path, b->p, b->n);
    bb_free(b);
    char errbuf[PS_ERRBUF_SIZE];
    struct source *src = file_source_open(path, false, errbuf);
    CHECK(src != NULL);
    return src;
}

/* read_bytes, then close and remove the file. */
static void read_and_close(const struct bb *b)
{
    char path[300];
    struct source *src = read_bytes(b, path, sizeof(path));
    source_close(src);
    unlink(path);
}

/* Every packet re-read by its offset, in reverse order, equals what next() gave. */
static void check_read_at(struct source *src)
{
    CHECK(src->ops->read_at != NULL);
    if (!src->ops->read_at)
        return;
    for (size_t k = res.n; k-- > 0;) {
        struct packet pkt;
        char errbuf[PS_ERRBUF_SIZE];
        int r = src->ops->read_at(src, res.p[k].record_off, res.p[k].number, &pkt, errbuf);
        CHECK_EQ(r, SOURCE_PACKET);
        if (r != SOURCE_PACKET)
            continue;
        struct got g;
        got_fill(&g, &pkt);
        CHECK(memcmp(&g, &res.p[k], sizeof(g)) == 0);
    }
}

/* ---- pcap tests ------------------------------------------------------------------------- */

static void test_pcap_usec_le(void)
{
    struct bb b = {.be = false};
    pcap_hdr(&b, 0xa1b2c3d4u, 2, 4, 65535, 1);
    pcap_rec(&b, 1700000000, 123456, 60, 60, 1);
    pcap_rec(&b, 1700000001, 999999, 40, 1514, 2);
    pcap_rec(&b, 1700000002, 1500000, 3, 3, 3); /* fraction >= 1 s: carried */
    char path[300];
    struct source *src = read_bytes(&b, path, sizeof(path));
    CHECK(src != NULL);
    if (src) {
        CHECK_STR(src->format, "pcap");
        CHECK(!src->nanosecond);
        CHECK_EQ(src->linktype, 1);
        CHECK_EQ(src->snaplen, 65535);
        CHECK_EQ(res.last, SOURCE_EOF);
        CHECK_EQ(res.n, 3);
        CHECK_EQ(res.p[0].number, 1);
        CHECK_EQ(res.p[0].record_off, 24);
        CHECK_EQ(res.p[0].ts_sec, 1700000000);
        CHECK_EQ(res.p[0].ts_nsec, 123456000);
        CHECK_EQ(res.p[0].caplen, 60);
        CHECK_EQ(res.p[0].len, 60);
        CHECK_EQ(res.p[0].linktype, 1);
        CHECK(got_is(&res.p[0], 1));
        CHECK_EQ(res.p[1].record_off, 24 + 16 + 60);
        CHECK_EQ(res.p[1].caplen, 40);
        CHECK_EQ(res.p[1].len, 1514);
        CHECK_EQ(res.p[1].ts_nsec, 999999000);
        CHECK(got_is(&res.p[1], 2));
        CHECK_EQ(res.p[2].number, 3);
        CHECK_EQ(res.p[2].ts_sec, 1700000003);
        CHECK_EQ(res.p[2].ts_nsec, 500000000);
        CHECK(got_is(&res.p[2], 3));
        CHECK(!res.p[0].has_comment);
        struct source_stats st;
        src->ops->stats(src, &st);
        CHECK_EQ(st.packets, 3);
        CHECK_EQ(st.bytes, 103);
        uint64_t done, total;
        file_source_progress(src, &done, &total);
        CHECK_EQ(done, b.n);
        CHECK_EQ(total, b.n);
        CHECK_EQ(file_source_interface_count(src), 1);
        const struct interface_info *ii = file_source_interface(src, 0);
        CHECK(ii && ii->linktype == 1 && ii->snaplen == 65535);
        CHECK(file_source_interface(src, 1) == NULL);
        check_read_at(src);
        /* An offset that is not a record boundary inside the header is refused. */
        struct packet pkt;
        char errbuf[PS_ERRBUF_SIZE];
        CHECK_EQ(src->ops->read_at(src, 4, 1, &pkt, errbuf), SOURCE_ERROR);
        CHECK_EQ(src->ops->read_at(src, b.n + 100, 1, &pkt, errbuf), SOURCE_ERROR);
        CHECK(strstr(errbuf, path) != NULL);
        /* A failed read_at does not end sequential reading: next() still says EOF. */
        CHECK_EQ(source_next(src, &pkt, errbuf), SOURCE_EOF);
    }
    source_close(src);
    unlink(path);
    bb_free(&b);
}

/* file_source_stop_at: reading ends at the given byte as at the end of a file cut there (a
 * record cut short is the same damage), and file_source_same_file tells the same file opened
 * twice from another one. */
static void test_stop_at(void)
{
    struct bb b = {.be = false};
    pcap_hdr(&b, 0xa1b2c3d4u, 2, 4, 65535, 1);
    pcap_rec(&b, 1700000000, 1, 60, 60, 1);
    pcap_rec(&b, 1700000001, 2, 40, 40, 2);
    pcap_rec(&b, 1700000002, 3, 3, 3, 3);
    const size_t two = 24 + 16 + 60 + 16 + 40;
    char path[300], cut_path[300];
    tmp_path(path, sizeof(path));
    write_file(path, b.p, b.n);
    char errbuf[PS_ERRBUF_SIZE];
    for (size_t end = two; end <= two + 10; end += 10) {
        struct source *src = file_source_open(path, false, errbuf);
        CHECK(src != NULL);
        if (!src)
            break;
        file_source_stop_at(src, end);
        drain(src);
        int last = res.last;
        size_t n = res.n;
        source_close(src);
        /* The same as a file of its first `end` bytes. */
        tmp_path(cut_path, sizeof(cut_path));
        write_file(cut_path, b.p, end);
        struct source *cut = file_source_open(cut_path, false, errbuf);
        CHECK(cut != NULL);
        if (cut) {
            drain(cut);
            CHECK_EQ(n, 2);
            CHECK_EQ(res.n, n);
            CHECK_EQ(last, res.last);
            CHECK_EQ(last, end == two ? SOURCE_EOF : SOURCE_ERROR);
            source_close(cut);
        }
        unlink(cut_path);
    }
    struct source *a = file_source_open(path, false, errbuf);
    struct source *again = file_source_open(path, false, errbuf);
    tmp_path(cut_path, sizeof(cut_path));
    write_file(cut_path, b.p, b.n);
    struct source *other = file_source_open(cut_path, false, errbuf);
    CHECK(a && again && other);
    if (a && again && other) {
        CHECK(file_source_same_file(a, again));
        CHECK(!file_source_same_file(a, other));
    }
    source_close(a);
    source_close(again);
    source_close(other);
    unlink(cut_path);
    unlink(path);
    bb_free(&b);
}

static void test_pcap_nsec_be(void)
{
    struct bb b = {.be = true};
    pcap_hdr(&b, 0xa1b23c4du, 2, 4, 262144, 101);
    pcap_rec(&b, 1, 999999999, 20, 20, 7);
    pcap_rec(&b, 2, 5, 1, 100, 8);
    char path[300];
    struct source *src = read_bytes(&b, path, sizeof(path));
    CHECK(src != NULL);
    if (src) {
        CHECK(src->nanosecond);
        CHECK_EQ(src->linktype, 101);
        CHECK_EQ(res.last, SOURCE_EOF);
        CHECK_EQ(res.n, 2);
        CHECK_EQ(res.p[0].ts_sec, 1);
        CHECK_EQ(res.p[0].ts_nsec, 999999999);
        CHECK_EQ(res.p[0].linktype, 101);
        CHECK(got_is(&res.p[0], 7));
        CHECK_EQ(res.p[1].ts_nsec, 5);
        CHECK_EQ(res.p[1].caplen, 1);
        CHECK_EQ(res.p[1].len, 100);
        check_read_at(src);
    }
    source_close(src);
    unlink(path);
    bb_free(&b);
}

static void test_pcap_usec_be_and_nsec_le(void)
{
    struct bb b = {.be = true};
    pcap_hdr(&b, 0xa1b2c3d4u, 2, 4, 65535, 1);
    pcap_rec(&b, 10, 1, 4, 4, 1);
    read_and_close(&b);
    CHECK_EQ(res.last, SOURCE_EOF);
    CHECK_EQ(res.n, 1);
    CHECK_EQ(res.p[0].ts_sec, 10);
    CHECK_EQ(res.p[0].ts_nsec, 1000);
    CHECK(got_is(&res.p[0], 1));
    bb_free(&b);

    b.be = false;
    pcap_hdr(&b, 0xa1b23c4du, 2, 4, 65535, 1);
    pcap_rec(&b, 10, 1, 4, 4, 1);
    read_and_close(&b);
    CHECK_EQ(res.n, 1);
    CHECK_EQ(res.p[0].ts_nsec, 1);
    bb_free(&b);
}

/* Versions before 2.3 store len where caplen belongs and vice versa; 2.3 only sometimes. */
static void test_pcap_swapped_lengths(void)
{
    struct bb b = {.be = false};
    pcap_hdr(&b, 0xa1b2c3d4u, 2, 2, 65535, 1);
    pcap_rec_raw(&b, 1, 0, 100, 10, 1, 10); /* fields: "caplen" 100, "len" 10 */
    pcap_rec_raw(&b, 2, 0, 8, 8, 2, 8);
    read_and_close(&b);
    CHECK_EQ(res.last, SOURCE_EOF);
    CHECK_EQ(res.n, 2);
    CHECK_EQ(res.p[0].caplen, 10);
    CHECK_EQ(res.p[0].len, 100);
    CHECK(got_is(&res.p[0], 1));
    CHECK_EQ(res.p[1].caplen, 8);
    CHECK(got_is(&res.p[1], 2));
    bb_free(&b);

    /* 2.3: swapped only when "caplen" > "len". */
    pcap_hdr(&b, 0xa1b2c3d4u, 2, 3, 65535, 1);
    pcap_rec_raw(&b, 1, 0, 100, 10, 1, 10);
    pcap_rec_raw(&b, 2, 0, 10, 100, 2, 10);
    read_and_close(&b);
    CHECK_EQ(res.last, SOURCE_EOF);
    CHECK_EQ(res.n, 2);
    CHECK_EQ(res.p[0].caplen, 10);
    CHECK_EQ(res.p[0].len, 100);
    CHECK_EQ(res.p[1].caplen, 10);
    CHECK_EQ(res.p[1].len, 100);
    CHECK(got_is(&res.p[1], 2));
    bb_free(&b);

    /* 2.4: never swapped; caplen > len is tolerated as libpcap and Wireshark do. */
    pcap_hdr(&b, 0xa1b2c3d4u, 2, 4, 65535, 1);
    pcap_rec(&b, 1, 0, 10, 5, 1);
    read_and_close(&b);
    CHECK_EQ(res.last, SOURCE_EOF);
    CHECK_EQ(res.n, 1);
    CHECK_EQ(res.p[0].caplen, 10);
    CHECK_EQ(res.p[0].len, 5);
    CHECK(got_is(&res.p[0], 1));
    bb_free(&b);
}

static void test_pcap_linktype_bits(void)
{
    struct bb b = {.be = false};
    /* FCS-length bits (0xf0000000, 0x04000000) are masked off, as libpcap's LT_LINKTYPE. */
    pcap_hdr(&b, 0xa1b2c3d4u, 2, 4, 65535, 0x24000071u);
    pcap_rec(&b, 1, 0, 4, 4, 1);
    char path[300];
    struct source *src = read_bytes(&b, path, sizeof(path));
    CHECK(src != NULL);
    if (src) {
        CHECK_EQ(src->linktype, 113);
        CHECK_EQ(res.n, 1);
        CHECK_EQ(res.p[0].linktype, 113);
        CHECK_EQ(res.last, SOURCE_EOF);
    }
    source_close(src);
    unlink(path);
    bb_free(&b);

    /* Reserved bits set: a damaged header, reported by the first next() (exit-1 class). */
    pcap_hdr(&b, 0xa1b2c3d4u, 2, 4, 65535, 0x00010001u);
    pcap_rec(&b, 1, 0, 4, 4, 1);
    src = read_bytes(&b, path, sizeof(path));
    CHECK(src != NULL);
    CHECK_EQ(res.n, 0);
    CHECK_EQ(res.last, SOURCE_ERROR);
    CHECK(strstr(res.err, "reserved bits") != NULL);
    CHECK(strstr(res.err, "byte 20") != NULL);
    source_close(src);
    unlink(path);
    bb_free(&b);
}

static void test_pcap_versions(void)
{
    struct bb b = {.be = false};
    pcap_hdr(&b, 0xa1b2c3d4u, 3, 0, 65535, 1);
    pcap_rec(&b, 1, 0, 4, 4, 1);
    read_and_close(&b);
    CHECK_EQ(res.n, 0);
    CHECK_EQ(res.last, SOURCE_ERROR);
    CHECK(strstr(res.err, "version 3.0") != NULL);
    bb_free(&b);

    /* Kuznetzov's patched tcpdump: 8 more bytes in every record header. */
    pcap_hdr(&b, 0xa1b2cd34u, 2, 4, 65535, 1);
    bb_u32(&b, 5);
    bb_u32(&b, 6);
    bb_u32(&b, 3);
    bb_u32(&b, 3);
    bb_u32(&b, 0xdeadbeefu); /* ifindex, protocol... */
    bb_u32(&b, 0xdeadbeefu);
    for (size_t i = 0; i < 3; i++)
        bb_u8(&b, pay(4, i));
    read_and_close(&b);
    CHECK_EQ(res.last, SOURCE_EOF);
    CHECK_EQ(res.n, 1);
    CHECK_EQ(res.p[0].caplen, 3);
    CHECK_EQ(res.p[0].ts_sec, 5);
    CHECK(got_is(&res.p[0], 4));
    bb_free(&b);
}

static void test_pcap_edge_lengths(void)
{
    struct bb b = {.be = false};
    pcap_hdr(&b, 0xa1b2c3d4u, 2, 4, 64, 1);
    pcap_rec(&b, 1, 0, 0, 60, 1);          /* caplen 0: an empty packet, not an error */
    pcap_rec(&b, 2, 0, 100, 100, 2);       /* caplen > snaplen: every byte kept */
    pcap_rec(&b, 3, 0, 262144, 262144, 3); /* exactly the maximum */
    char path[300];
    struct source *src = read_bytes(&b, path, sizeof(path));
    CHECK_EQ(res.last, SOURCE_EOF);
    CHECK_EQ(res.n, 3);
    CHECK_EQ(res.p[0].caplen, 0);
    CHECK_EQ(res.p[0].len, 60);
    CHECK_EQ(res.p[1].caplen, 100);
    CHECK(got_is(&res.p[1], 2));
    CHECK_EQ(res.p[2].caplen, 262144);
    CHECK(got_is(&res.p[2], 3));
    if (src)
        check_read_at(src);
    source_close(src);
    unlink(path);
    bb_free(&b);
}

/* ---- damage ----------------------------------------------------------------------------- */

static void test_pcap_damage(void)
{
    char path[300];
    struct bb b = {.be = false};
    pcap_hdr(&b, 0xa1b2c3d4u, 2, 4, 65535, 1);
    pcap_rec(&b, 1, 0, 10, 10, 1);
    pcap_rec(&b, 2, 0, 10, 10, 2);
    size_t bad = b.n;
    /* A huge caplen: rejected from the header alone, before anything is allocated or read. */
    pcap_rec_raw(&b, 3, 0, 0x7fffffffu, 0x7fffffffu, 3, 10);
    pcap_rec(&b, 4, 0, 10, 10, 4);
    struct source *src = read_bytes(&b, path, sizeof(path));
    CHECK(src != NULL);
    CHECK_EQ(res.n, 2);
    CHECK_EQ(res.last, SOURCE_ERROR);
    CHECK(strstr(res.err, path) != NULL);
    char at[64];
    snprintf(at, sizeof(at), "byte %zu", bad);
    CHECK(strstr(res.err, at) != NULL);
    CHECK(strstr(res.err, "caplen 2147483647") != NULL);
    CHECK(strstr(res.err, "2 packets before it were read") != NULL);
    if (src) {
        /* Sticky: the same message again, no packet after the damage. */
        struct packet pkt;
        char errbuf[PS_ERRBUF_SIZE];
        CHECK_EQ(source_next(src, &pkt, errbuf), SOURCE_ERROR);
        CHECK_STR(errbuf, res.err);
        /* The good packets are still reachable by offset. */
        check_read_at(src);
    }
    source_close(src);
    unlink(path);
    bb_free(&b);

    /* The file ends inside a record's data. */
    pcap_hdr(&b, 0xa1b2c3d4u, 2, 4, 65535, 1);
    pcap_rec(&b, 1, 0, 10, 10, 1);
    bad = b.n;
    pcap_rec_raw(&b, 2, 0, 50, 50, 2, 20);
    src = read_bytes(&b, path, sizeof(path));
    CHECK_EQ(res.n, 1);
    CHECK_EQ(res.last, SOURCE_ERROR);
    snprintf(at, sizeof(at), "byte %zu", bad);
    CHECK(strstr(res.err, at) != NULL);
    CHECK(strstr(res.err, "ends in the middle") != NULL);
    CHECK(strstr(res.err, "66 bytes needed, 36 present") != NULL);
    CHECK(strstr(res.err, "the packet before it was read") != NULL);
    source_close(src);
    unlink(path);
    bb_free(&b);

    /* The file ends inside a record header. */
    pcap_hdr(&b, 0xa1b2c3d4u, 2, 4, 65535, 1);
    pcap_rec(&b, 1, 0, 10, 10, 1);
    bb_u32(&b, 7);
    read_and_close(&b);
    CHECK_EQ(res.n, 1);
    CHECK_EQ(res.last, SOURCE_ERROR);
    CHECK(strstr(res.err, "record header") != NULL);
    bb_free(&b);

    /* The file ends inside the file header: a capture, damaged (exit-1 class, not 2). */
    bb_u32(&b, 0xa1b2c3d4u);
    bb_u32(&b, 0x00040002u);
    char errbuf[PS_ERRBUF_SIZE];
    tmp_path(path, sizeof(path));
    write_file(path, b.p, b.n);
    src = file_source_open(path, false, errbuf);
    CHECK(src != NULL);
    if (src) {
        drain(src);
        CHECK_EQ(res.n, 0);
        CHECK_EQ(res.last, SOURCE_ERROR);
        CHECK(strstr(res.err, "file header") != NULL);
        CHECK(strstr(res.err, "no packet comes before it") != NULL);
    }
    source_close(src);
    unlink(path);
    bb_free(&b);
}

static void test_not_a_capture(void)
{
    char path[300], errbuf[PS_ERRBUF_SIZE];
    static const char text[] = "hello, this is a text file\n";
    tmp_path(path, sizeof(path));
    write_file(path, text, sizeof(text) - 1);
    errbuf[0] = 0;
    struct source *src = file_source_open(path, false, errbuf);
    CHECK(src == NULL);
    CHECK(strstr(errbuf, path) != NULL);
    CHECK(strstr(errbuf, "not a pcap or pcapng file") != NULL);
    source_close(src);
    unlink(path);

    static const uint8_t gz[] = {0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0};
    write_file(path, gz, sizeof(gz));
    src = file_source_open(path, false, errbuf);
    CHECK(src == NULL);
    CHECK(strstr(errbuf, "gunzip") != NULL);
    unlink(path);

    /* "\n\r\r\n" without the byte-order magic is text, not pcapng. */
    static const char crlf[] = "\n\r\r\nabcdefghijklmnop";
    write_file(path, crlf, sizeof(crlf) - 1);
    src = file_source_open(path, false, errbuf);
    CHECK(src == NULL);
    CHECK(strstr(errbuf, "not a pcap or pcapng file") != NULL);
    unlink(path);

    write_file(path, "", 0);
    src = file_source_open(path, false, errbuf);
    CHECK(src == NULL);
    CHECK(strstr(errbuf, "empty") != NULL);
    unlink(path);

    write_file(path, "\xd4\xc3", 2);
    src = file_source_open(path, false, errbuf);
    CHECK(src == NULL);
    CHECK(strstr(errbuf, "only 2 bytes") != NULL);
    unlink(path);

    src = file_source_open(path, false, errbuf); /* removed: does not exist */
    CHECK(src == NULL);
    CHECK(strstr(errbuf, "cannot open") != NULL);
    CHECK(strstr(errbuf, "check the path") != NULL);

    src = file_source_open(tmp_dir, false, errbuf);
    CHECK(src == NULL);
    CHECK(strstr(errbuf, "directory") != NULL);

    src = file_source_open("", false, errbuf);
    CHECK(src == NULL);
}

/* ---- pcapng ----------------------------------------------------------------------------- */

/*
 * Two sections of opposite byte order; three interfaces with different link types, snaplens
 * and resolutions; every packet block type; blocks that must be skipped; comments.
 */
static void build_ng_mixed(struct bb *b, size_t *offs)
{
    b->be = false;
    ng_shb(b, "first section");
    ng_idb(b, 1, 65535, "eth0", -1, false, 0); /* if 0: microseconds */
    ng_idb(b, 101, 128, "tun0", 9, false, 0);  /* if 1: nanoseconds */
    ng_other(b, 4, 12);                        /* NRB */
    offs[0] = b->n;
    ng_epb(b, 0, 1700000000123456ull, 60, 60, 1, "hello");
    offs[1] = b->n;
    ng_epb(b, 1, 1700000000987654321ull, 20, 1500, 2, NULL);
    ng_other(b, 5, 24);         /* ISB */
    ng_other(b, 0x00000bad, 8); /* custom, copiable */
    ng_other(b, 0x40000bad, 0); /* custom, not copiable */
    ng_other(b, 0x12345678, 4); /* unknown */
    b->be = true;
    ng_shb(b, "second section");
    ng_idb(b, 113, 0, NULL, 0x8a, true, 1000); /* if 2: 2^-10 s, +1000 s */
    ng_idb(b, 228, 32, NULL, 3, true, -100);   /* if 3: ms, -100 s */
    offs[2] = b->n;
    ng_epb(b, 0, 5 * 1024 + 512, 30, 30, 3, "c2");
    offs[3] = b->n;
    ng_epb(b, 1, 1234567, 10, 10, 4, NULL);
    offs[4] = b->n;
    ng_spb(b, 100, 5, 32); /* SPB on if 0 (link 113, snaplen 0): holds 32 of 100 */
    offs[5] = b->n;
    ng_pb(b, 1, 2500, 7, 9, 6);
}

static void test_pcapng_mixed(void)
{
    struct bb b = {0};
    size_t offs[6];
    build_ng_mixed(&b, offs);
    char path[300];
    struct source *src = read_bytes(&b, path, sizeof(path));
    CHECK(src != NULL);
    if (src) {
        CHECK_STR(src->format, "pcapng");
        CHECK_EQ(src->linktype, 1);
        CHECK_EQ(src->snaplen, 65535);
        CHECK_STR(src->section_comment, "first section");
        CHECK_EQ(res.last, SOURCE_EOF);
        CHECK_EQ(res.n, 6);
        for (size_t i = 0; i < 6 && i < res.n; i++) {
            CHECK_EQ(res.p[i].record_off, offs[i]);
            CHECK_EQ(res.p[i].number, i + 1);
            CHECK(got_is(&res.p[i], (unsigned)i + 1));
        }
        CHECK_EQ(res.p[0].linktype, 1);
        CHECK_EQ(res.p[0].ifindex, 0);
        CHECK_EQ(res.p[0].ts_sec, 1700000000);
        CHECK_EQ(res.p[0].ts_nsec, 123456000);
        CHECK(res.p[0].has_comment);
        CHECK_STR(res.p[0].comment, "hello");

        CHECK_EQ(res.p[1].linktype, 101);
        CHECK_EQ(res.p[1].ifindex, 1);
        CHECK_EQ(res.p[1].ts_sec, 1700000000);
        CHECK_EQ(res.p[1].ts_nsec, 987654321);
        CHECK_EQ(res.p[1].caplen, 20);
        CHECK_EQ(res.p[1].len, 1500);
        CHECK(!res.p[1].has_comment);

        CHECK_EQ(res.p[2].linktype, 113);
        CHECK_EQ(res.p[2].ifindex, 2);
        CHECK_EQ(res.p[2].ts_sec, 1005);
        CHECK_EQ(res.p[2].ts_nsec, 500000000);
        CHECK_STR(res.p[2].comment, "c2");

        CHECK_EQ(res.p[3].linktype, 228);
        CHECK_EQ(res.p[3].ifindex, 3);
        CHECK_EQ(res.p[3].ts_sec, 1234 - 100);
        CHECK_EQ(res.p[3].ts_nsec, 567000000);

        CHECK_EQ(res.p[4].linktype, 113); /* SPB: interface 0 of its section */
        CHECK_EQ(res.p[4].ifindex, 2);
        CHECK_EQ(res.p[4].caplen, 32);
        CHECK_EQ(res.p[4].len, 100);
        CHECK_EQ(res.p[4].ts_sec, 0);
        CHECK(res.p[4].ts_missing);
        CHECK(!res.p[3].ts_missing && !res.p[5].ts_missing);

        CHECK_EQ(res.p[5].linktype, 228); /* obsolete PB on interface 1 */
        CHECK_EQ(res.p[5].caplen, 7);
        CHECK_EQ(res.p[5].len, 9);
        CHECK_EQ(res.p[5].ts_sec, 2 - 100);
        CHECK_EQ(res.p[5].ts_nsec, 500000000);

        CHECK_EQ(file_source_interface_count(src), 4);
        const struct interface_info *ii = file_source_interface(src, 0);
        CHECK(ii && ii->name && strcmp(ii->name, "eth0") == 0);
        ii = file_source_interface(src, 1);
        CHECK(ii && ii->linktype == 101 && ii->snaplen == 128);
        ii = file_source_interface(src, 3);
        CHECK(ii && ii->linktype == 228 && ii->snaplen == 32 && ii->name == NULL);
        CHECK(file_source_interface(src, 4) == NULL);
        check_read_at(src);
        /* An offset that is not a packet block: an IDB, and the middle of a block. */
        struct packet pkt;
        char errbuf[PS_ERRBUF_SIZE];
        CHECK_EQ(src->ops->read_at(src, 28, 1, &pkt, errbuf), SOURCE_ERROR);
        CHECK_EQ(src->ops->read_at(src, offs[0] + 4, 1, &pkt, errbuf), SOURCE_ERROR);
        CHECK_EQ(src->ops->read_at(src, 0, 1, &pkt, errbuf), SOURCE_ERROR);
    }
    source_close(src);
    unlink(path);
    bb_free(&b);
}

static void test_pcapng_tsresol(void)
{
    struct bb b = {.be = false};
    ng_shb(&b, NULL);
    ng_idb(&b, 1, 0, NULL, 0x80, false, 0); /* 2^0: seconds */
    ng_idb(&b, 1, 0, NULL, 0x9e, false, 0); /* 2^-30 */
    ng_idb(&b, 1, 0, NULL, 0, false, 0);    /* 10^0 */
    ng_idb(&b, 1, 0, NULL, 19, false, 0);   /* 10^-19 */
    ng_idb(&b, 1, 0, NULL, 0xbf, false, 0); /* 2^-63 */
    ng_epb(&b, 0, 77, 1, 1, 1, NULL);
    ng_epb(&b, 1, (3ull << 30) | (1ull << 29), 1, 1, 2, NULL); /* 3.5 s */
    ng_epb(&b, 2, 12, 1, 1, 3, NULL);
    ng_epb(&b, 3, 10000000000000000000ull + 250000000000000000ull, 1, 1, 4, NULL); /* 1.025 */
    ng_epb(&b, 4, (1ull << 63) | (1ull << 62), 1, 1, 5, NULL);                     /* 1.5 */
    read_and_close(&b);
    CHECK_EQ(res.last, SOURCE_EOF);
    CHECK_EQ(res.n, 5);
    CHECK_EQ(res.p[0].ts_sec, 77);
    CHECK_EQ(res.p[0].ts_nsec, 0);
    CHECK_EQ(res.p[1].ts_sec, 3);
    CHECK_EQ(res.p[1].ts_nsec, 500000000);
    CHECK_EQ(res.p[2].ts_sec, 12);
    CHECK_EQ(res.p[3].ts_sec, 1);
    CHECK_EQ(res.p[3].ts_nsec, 25000000);
    CHECK_EQ(res.p[4].ts_sec, 1);
    CHECK_EQ(res.p[4].ts_nsec, 500000000);
    bb_free(&b);

    /* 10^-20 is past what 64 bits can hold: damaged, after the good packets. */
    ng_shb(&b, NULL);
    ng_idb(&b, 1, 0, NULL, -1, false, 0);
    ng_epb(&b, 0, 1, 1, 1, 1, NULL);
    ng_idb(&b, 1, 0, NULL, 20, false, 0);
    read_and_close(&b);
    CHECK_EQ(res.n, 1);
    CHECK_EQ(res.last, SOURCE_ERROR);
    CHECK(strstr(res.err, "if_tsresol") != NULL);
    bb_free(&b);
}

static void test_pcapng_damage(void)
{
    char at[64];
    struct bb b = {.be = false};

    /* Block length not a multiple of 4. */
    ng_shb(&b, NULL);
    ng_idb(&b, 1, 0, NULL, -1, false, 0);
    ng_epb(&b, 0, 1, 4, 4, 1, NULL);
    size_t bad = b.n;
    ng_epb(&b, 0, 2, 4, 4, 2, NULL);
    bb_put32_at(&b, bad + 4, 38);
    read_and_close(&b);
    CHECK_EQ(res.n, 1);
    CHECK(got_is(&res.p[0], 1));
    CHECK_EQ(res.last, SOURCE_ERROR);
    snprintf(at, sizeof(at), "byte %zu", bad);
    CHECK(strstr(res.err, at) != NULL);
    CHECK(strstr(res.err, "not a multiple of 4") != NULL);
    bb_free(&b);

    /* A huge block length: refused before anything is allocated. */
    ng_shb(&b, NULL);
    ng_idb(&b, 1, 0, NULL, -1, false, 0);
    ng_epb(&b, 0, 1, 4, 4, 1, NULL);
    bad = b.n;
    ng_epb(&b, 0, 2, 4, 4, 2, NULL);
    bb_put32_at(&b, bad + 4, 0xfffffff0u);
    read_and_close(&b);
    CHECK_EQ(res.n, 1);
    CHECK(strstr(res.err, "exceeds the maximum") != NULL);
    bb_free(&b);

    /* Trailing length differs from the leading one. */
    ng_shb(&b, NULL);
    ng_idb(&b, 1, 0, NULL, -1, false, 0);
    ng_epb(&b, 0, 1, 4, 4, 1, NULL);
    bad = b.n;
    ng_epb(&b, 0, 2, 4, 4, 2, NULL);
    bb_put32_at(&b, b.n - 4, 99);
    read_and_close(&b);
    CHECK_EQ(res.n, 1);
    CHECK(strstr(res.err, "trailing block length") != NULL);
    bb_free(&b);

    /* Below the minimum for its type. */
    ng_shb(&b, NULL);
    ng_idb(&b, 1, 0, NULL, -1, false, 0);
    bad = b.n;
    bb_u32(&b, 6);
    bb_u32(&b, 12);
    bb_u32(&b, 12);
    read_and_close(&b);
    CHECK_EQ(res.n, 0);
    CHECK(strstr(res.err, "below the minimum") != NULL);
    bb_free(&b);

    /* Captured length past the block. */
    ng_shb(&b, NULL);
    ng_idb(&b, 1, 0, NULL, -1, false, 0);
    ng_epb(&b, 0, 1, 4, 4, 1, NULL);
    bad = b.n;
    ng_epb_raw(&b, 0, 2, 400, 400, 2, 8, NULL);
    read_and_close(&b);
    CHECK_EQ(res.n, 1);
    snprintf(at, sizeof(at), "byte %zu", bad);
    CHECK(strstr(res.err, at) != NULL);
    CHECK(strstr(res.err, "captured length 400") != NULL);
    bb_free(&b);

    /* Captured length over the hard maximum, in a block that is long enough. */
    ng_shb(&b, NULL);
    ng_idb(&b, 1, 0, NULL, -1, false, 0);
    ng_epb_raw(&b, 0, 2, 300000, 300000, 2, 300000, NULL);
    read_and_close(&b);
    CHECK_EQ(res.n, 0);
    CHECK(strstr(res.err, "exceeds the maximum 262144") != NULL);
    bb_free(&b);

    /* A packet on an interface its section does not describe (interfaces are per section). */
    ng_shb(&b, NULL);
    ng_idb(&b, 1, 0, NULL, -1, false, 0);
    ng_idb(&b, 1, 0, NULL, -1, false, 0);
    ng_epb(&b, 1, 1, 4, 4, 1, NULL);
    ng_shb(&b, NULL);
    ng_idb(&b, 1, 0, NULL, -1, false, 0);
    ng_epb(&b, 1, 1, 4, 4, 2, NULL);
    read_and_close(&b);
    CHECK_EQ(res.n, 1);
    CHECK(strstr(res.err, "interface 1") != NULL);
    bb_free(&b);

    /* An option running past its block. */
    ng_shb(&b, NULL);
    size_t idb = b.n;
    ng_idb(&b, 1, 0, "eth0", -1, false, 0);
    b.p[idb + 16 + 2] = 200; /* if_name length */
    read_and_close(&b);
    CHECK_EQ(res.n, 0);
    CHECK_EQ(res.last, SOURCE_ERROR);
    CHECK(strstr(res.err, "option") != NULL);
    bb_free(&b);

    /* The file ends inside a block. */
    ng_shb(&b, NULL);
    ng_idb(&b, 1, 0, NULL, -1, false, 0);
    ng_epb(&b, 0, 1, 4, 4, 1, NULL);
    bad = b.n;
    ng_epb(&b, 0, 2, 40, 40, 2, NULL);
    b.n -= 10;
    read_and_close(&b);
    CHECK_EQ(res.n, 1);
    CHECK(strstr(res.err, "ends in the middle of a block") != NULL);
    bb_free(&b);

    /* A file that starts like pcapng but whose first block is not a section header. */
    ng_shb(&b, NULL);
    b.p[11] = 0x99; /* byte-order magic broken -> not pcapng at all */
    char path[300], errbuf[PS_ERRBUF_SIZE];
    tmp_path(path, sizeof(path));
    write_file(path, b.p, b.n);
    CHECK(file_source_open(path, false, errbuf) == NULL);
    CHECK(strstr(errbuf, "not a pcap or pcapng") != NULL);
    unlink(path);
    bb_free(&b);

    /* Unsupported version in the section header: a damaged capture (exit-1 class). */
    ng_shb(&b, NULL);
    b.p[12] = 2;
    ng_idb(&b, 1, 0, NULL, -1, false, 0);
    read_and_close(&b);
    CHECK_EQ(res.n, 0);
    CHECK_EQ(res.last, SOURCE_ERROR);
    CHECK(strstr(res.err, "version 2.0") != NULL);
    bb_free(&b);

    /* A packet before any interface. */
    ng_shb(&b, NULL);
    ng_epb(&b, 0, 1, 4, 4, 1, NULL);
    read_and_close(&b);
    CHECK_EQ(res.n, 0);
    CHECK_EQ(res.last, SOURCE_ERROR);
    CHECK(strstr(res.err, "interface 0") != NULL);
    bb_free(&b);

    /* A section with no packets at all is a good (empty) file. */
    ng_shb(&b, "empty");
    read_and_close(&b);
    CHECK_EQ(res.n, 0);
    CHECK_EQ(res.last, SOURCE_EOF);
    bb_free(&b);
}

/* ---- stream (pipe) ---------------------------------------------------------------------- */

/* Reads the bytes through a pipe (stream backend), the writer a child process. */
static struct source *read_via_pipe(const struct bb *b, size_t chunk)
{
    int pfd[2];
    if (pipe(pfd) < 0) {
        perror("pipe");
        exit(2);
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(2);
    }
    if (pid == 0) {
        close(pfd[0]);
        for (size_t off = 0; off < b->n;) {
            size_t n = b->n - off < chunk ? b->n - off : chunk;
            ssize_t w = write(pfd[1], b->p + off, n);
            if (w <= 0)
                _exit(1);
            off += (size_t)w;
        }
        _exit(0);
    }
    close(pfd[1]);
    char path[64], errbuf[PS_ERRBUF_SIZE];
    snprintf(path, sizeof(path), "/dev/fd/%d", pfd[0]);
    struct source *src = file_source_open(path, false, errbuf);
    if (src) {
        drain(src);
    } else {
        res.n = 0;
        res.last = 98;
        snprintf(res.err, sizeof(res.err), "%s", errbuf);
    }
    close(pfd[0]); /* the source opened its own descriptor */
    int st;
    waitpid(pid, &st, 0);
    return src;
}

static void test_stream(void)
{
    struct bb b = {0};
    size_t offs[6];
    build_ng_mixed(&b, offs);
    /* Enough packets to pass several pipe buffers and the reader's chunk. */
    b.be = true;
    for (unsigned i = 0; i < 300; i++)
        ng_epb(&b, 0, i, 1400, 1400, 10 + i, NULL);
    struct source *src = read_via_pipe(&b, 777);
    CHECK(src != NULL);
    if (src) {
        CHECK_STR(src->format, "pcapng");
        CHECK(src->ops->read_at == NULL);
        CHECK_EQ(res.last, SOURCE_EOF);
        CHECK_EQ(res.n, 306);
        for (size_t i = 0; i < 6 && i < res.n; i++) {
            CHECK_EQ(res.p[i].record_off, offs[i]);
            CHECK(got_is(&res.p[i], (unsigned)i + 1));
        }
        CHECK_STR(res.p[0].comment, "hello");
        CHECK_EQ(res.p[5].linktype, 228);
        bool all = res.n == 306;
        for (size_t i = 6; i < res.n; i++)
            all = all && res.p[i].caplen == 1400 && got_is(&res.p[i], 10 + (unsigned)(i - 6));
        CHECK(all);
        CHECK_EQ(res.p[305].number, 306);
    }
    source_close(src);
    bb_free(&b);

    /* pcap through a pipe, one byte per write, with damage at the end. */
    b.be = false;
    pcap_hdr(&b, 0xa1b2c3d4u, 2, 4, 65535, 1);
    for (unsigned i = 0; i < 5; i++)
        pcap_rec(&b, i, 0, 30, 30, i);
    pcap_rec_raw(&b, 9, 0, 300000, 300000, 9, 4);
    src = read_via_pipe(&b, 1);
    CHECK(src != NULL);
    CHECK_EQ(res.n, 5);
    CHECK_EQ(res.last, SOURCE_ERROR);
    CHECK(strstr(res.err, "byte 254") != NULL);
    CHECK(got_is(&res.p[4], 4));
    source_close(src);
    bb_free(&b);

    /* Not a capture, through a pipe. */
    static const char text[] = "GET / HTTP/1.1\r\n";
    b.be = false;
    bb_bytes(&b, text, sizeof(text) - 1);
    src = read_via_pipe(&b, 4096);
    CHECK(src == NULL);
    CHECK(strstr(res.err, "not a pcap or pcapng") != NULL);
    bb_free(&b);
}

/* ---- follow ----------------------------------------------------------------------------- */

/* next() until something other than SOURCE_AGAIN, waiting 5 ms between tries (bounded). */
static int next_wait(struct source *src, struct packet *pkt, char *errbuf, int tries)
{
    int r = SOURCE_AGAIN;
    for (int i = 0; i < tries && r == SOURCE_AGAIN; i++) {
        r = source_next(src, pkt, errbuf);
        if (r == SOURCE_AGAIN) {
            struct timespec ts = {0, 5000000};
            nanosleep(&ts, NULL);
        }
    }
    return r;
}

static void test_follow(void)
{
    char path[300], errbuf[PS_ERRBUF_SIZE];
    struct packet pkt;
    struct bb b = {.be = false};
    tmp_path(path, sizeof(path));
    pcap_hdr(&b, 0xa1b2c3d4u, 2, 4, 65535, 1);
    pcap_rec(&b, 1, 0, 10, 10, 1);
    write_file(path, b.p, b.n);
    bb_free(&b);

    struct source *src = file_source_open(path, true, errbuf);
    CHECK(src != NULL);
    if (!src)
        return;
    CHECK_EQ(next_wait(src, &pkt, errbuf, 1), SOURCE_PACKET);
    CHECK_EQ(pkt.number, 1);
    /* At the end: "again", not EOF. */
    CHECK_EQ(next_wait(src, &pkt, errbuf, 3), SOURCE_AGAIN);

    /* Half a record arrives: still again (the writer is mid-write). */
    pcap_rec(&b, 2, 0, 100, 100, 2);
    append_file(path, b.p, 50);
    CHECK_EQ(next_wait(src, &pkt, errbuf, 3), SOURCE_AGAIN);
    append_file(path, b.p + 50, b.n - 50);
    CHECK_EQ(next_wait(src, &pkt, errbuf, 100), SOURCE_PACKET);
    CHECK_EQ(pkt.number, 2);
    CHECK_EQ(pkt.caplen, 100);
    CHECK(pkt.data[99] == pay(2, 99));
    bb_free(&b);

    /* Many more pages at once (the mapping must grow). */
    for (unsigned i = 0; i < 50; i++)
        pcap_rec(&b, 3 + i, 0, 1000, 1000, 3 + i);
    append_file(path, b.p, b.n);
    bb_free(&b);
    unsigned got = 0;
    uint64_t last_off = 0;
    for (int i = 0; i < 50; i++) {
        if (next_wait(src, &pkt, errbuf, 100) == SOURCE_PACKET && pkt.caplen == 1000 &&
            pkt.data[999] == pay(3 + (unsigned)i, 999))
            got++;
        last_off = pkt.record_off;
    }
    CHECK_EQ(got, 50);
    CHECK_EQ(next_wait(src, &pkt, errbuf, 2), SOURCE_AGAIN);
    uint64_t done = 0, size = 0;
    file_source_progress(src, &done, &size);
    CHECK_EQ(done, 24 + 26 + 116 + 50 * 1016);
    CHECK_EQ(size, done);
    /* Random access past the size the file had when it was opened (the mapping grows), and
     * back to the start (the mapping may have moved). */
    CHECK(src->ops->read_at != NULL);
    if (src->ops->read_at) {
        CHECK_EQ(src->ops->read_at(src, last_off, 52, &pkt, errbuf), SOURCE_PACKET);
        CHECK(pkt.caplen == 1000 && pkt.data[999] == pay(52, 999));
        CHECK_EQ(src->ops->read_at(src, 24, 1, &pkt, errbuf), SOURCE_PACKET);
        CHECK(pkt.caplen == 10 && pkt.data[9] == pay(1, 9));
    }

    /* Damage that arrives later is still damage, not "again". */
    pcap_rec_raw(&b, 1, 0, 0x7fffffffu, 1, 1, 0);
    append_file(path, b.p, b.n);
    bb_free(&b);
    CHECK_EQ(next_wait(src, &pkt, errbuf, 100), SOURCE_ERROR);
    source_close(src);
    unlink(path);

    /* pcapng, growing block by block. */
    b.be = true;
    ng_shb(&b, NULL);
    ng_idb(&b, 1, 0, NULL, -1, false, 0);
    tmp_path(path, sizeof(path));
    write_file(path, b.p, b.n);
    bb_free(&b);
    src = file_source_open(path, true, errbuf);
    CHECK(src != NULL);
    if (!src)
        return;
    CHECK_EQ(src->linktype, 1);
    CHECK_EQ(next_wait(src, &pkt, errbuf, 2), SOURCE_AGAIN);
    b.be = true;
    ng_epb(&b, 0, 7, 33, 33, 5, NULL);
    append_file(path, b.p, 20);
    CHECK_EQ(next_wait(src, &pkt, errbuf, 2), SOURCE_AGAIN);
    append_file(path, b.p + 20, b.n - 20);
    CHECK_EQ(next_wait(src, &pkt, errbuf, 100), SOURCE_PACKET);
    CHECK_EQ(pkt.caplen, 33);
    CHECK(pkt.data[32] == pay(5, 32));
    bb_free(&b);
    /* The index pass at the end of a growing file says "again", then picks up what came. */
    struct packet_index e[4];
    size_t n = 9;
    CHECK_EQ(file_source_index(src, e, 4, &n, errbuf), SOURCE_AGAIN);
    CHECK_EQ(n, 0);
    b.be = true;
    ng_epb(&b, 0, 8, 5, 5, 6, NULL);
    ng_epb(&b, 0, 9, 6, 6, 7, NULL);
    append_file(path, b.p, b.n);
    bb_free(&b);
    CHECK_EQ(file_source_index(src, e, 4, &n, errbuf), SOURCE_AGAIN);
    CHECK_EQ(n, 2);
    CHECK_EQ(e[1].caplen, 6);
    CHECK_EQ(e[1].ts_sec, 0);
    CHECK_EQ(e[1].ts_nsec, 9000);
    source_close(src);
    unlink(path);
}

/* ---- index pass ------------------------------------------------------------------------- */

static void test_index(void)
{
    struct bb b = {0};
    size_t offs[6];
    build_ng_mixed(&b, offs);
    char path[300], errbuf[PS_ERRBUF_SIZE];
    /* What next() gives, for comparison. */
    struct source *src = read_bytes(&b, path, sizeof(path));
    CHECK_EQ(res.n, 6);
    source_close(src);

    src = file_source_open(path, false, errbuf);
    CHECK(src != NULL);
    if (src) {
        struct packet_index e[8];
        size_t n = 99, total = 0;
        int r;
        /* Slices of 4: a full slice says "more may follow", the last one says EOF. */
        r = file_source_index(src, e, 4, &n, errbuf);
        CHECK_EQ(r, SOURCE_PACKET);
        CHECK_EQ(n, 4);
        total += n;
        r = file_source_index(src, e + 4, 4, &n, errbuf);
        CHECK_EQ(r, SOURCE_EOF);
        CHECK_EQ(n, 2);
        total += n;
        CHECK_EQ(total, 6);
        r = file_source_index(src, e, 4, &n, errbuf);
        CHECK_EQ(r, SOURCE_EOF);
        CHECK_EQ(n, 0);
        for (size_t i = 0; i < 6; i++) {
            CHECK_EQ(e[i].record_off, res.p[i].record_off);
            CHECK_EQ(e[i].ts_sec, res.p[i].ts_sec);
            CHECK_EQ(e[i].ts_nsec, res.p[i].ts_nsec);
            CHECK_EQ(e[i].caplen, res.p[i].caplen);
            CHECK_EQ(e[i].len, res.p[i].len);
            CHECK_EQ(e[i].ifindex, res.p[i].ifindex);
        }
        /* Everything read_at() needs was built along the way: comments come back too. */
        struct packet pkt;
        for (size_t i = 6; i-- > 0;) {
            CHECK_EQ(src->ops->read_at(src, e[i].record_off, i + 1, &pkt, errbuf), SOURCE_PACKET);
            struct got g;
            got_fill(&g, &pkt);
            CHECK(memcmp(&g, &res.p[i], sizeof(g)) == 0);
        }
        CHECK_EQ(sizeof(struct packet_index), 32);
        struct source_stats st;
        src->ops->stats(src, &st);
        CHECK_EQ(st.packets, 6);
    }
    source_close(src);

    /* next() and the index share one position and one numbering. */
    src = file_source_open(path, false, errbuf);
    if (src) {
        struct packet pkt;
        struct packet_index e[8];
        size_t n = 0;
        CHECK_EQ(source_next(src, &pkt, errbuf), SOURCE_PACKET);
        CHECK_EQ(file_source_index(src, e, 2, &n, errbuf), SOURCE_PACKET);
        CHECK_EQ(n, 2);
        CHECK_EQ(e[0].record_off, offs[1]);
        CHECK_EQ(e[1].record_off, offs[2]);
        CHECK_EQ(source_next(src, &pkt, errbuf), SOURCE_PACKET);
        CHECK_EQ(pkt.number, 4);
        CHECK_EQ(pkt.record_off, offs[3]);
    }
    source_close(src);
    unlink(path);
    bb_free(&b);

    /* Damage: the entries before it, then the error, sticky. */
    b.be = false;
    pcap_hdr(&b, 0xa1b2c3d4u, 2, 4, 65535, 1);
    for (unsigned i = 0; i < 5; i++)
        pcap_rec(&b, i, 0, 10, 10, i);
    pcap_rec_raw(&b, 1, 0, 10, 10, 1, 3);
    tmp_path(path, sizeof(path));
    write_file(path, b.p, b.n);
    src = file_source_open(path, false, errbuf);
    CHECK(src != NULL);
    if (src) {
        struct packet_index e[16];
        size_t n = 0;
        errbuf[0] = 0;
        CHECK_EQ(file_source_index(src, e, 16, &n, errbuf), SOURCE_ERROR);
        CHECK_EQ(n, 5);
        CHECK_EQ(e[4].record_off, 24 + 4 * 26);
        CHECK_EQ(e[4].ts_sec, 4);
        CHECK(strstr(errbuf, "5 packets before it") != NULL);
        CHECK_EQ(file_source_index(src, e, 16, &n, errbuf), SOURCE_ERROR);
        CHECK_EQ(n, 0);
    }
    source_close(src);
    unlink(path);

    /* A stream indexes too (no read_at). */
    bb_free(&b);
    pcap_hdr(&b, 0xa1b2c3d4u, 2, 4, 65535, 1);
    for (unsigned i = 0; i < 100; i++)
        pcap_rec(&b, i, 0, 1000, 1000, i);
    src = read_via_pipe(&b, 4000); /* drains it with next() */
    CHECK_EQ(res.n, 100);
    source_close(src);
    bb_free(&b);
}

/* A larger file indexed in slices: every entry in order, offsets consistent with lengths. */
static void test_index_many(void)
{
    enum { N = 20000, SLICE = 4096 };
    struct bb b = {.be = true};
    pcap_hdr(&b, 0xa1b23c4du, 2, 4, 65535, 1);
    for (unsigned i = 0; i < N; i++)
        pcap_rec(&b, 1000 + i / 10, (i % 10) * 100000000u, 40 + i % 50, 1500, i);
    char path[300], errbuf[PS_ERRBUF_SIZE];
    tmp_path(path, sizeof(path));
    write_file(path, b.p, b.n);
    struct source *src = file_source_open(path, false, errbuf);
    CHECK(src != NULL);
    if (src) {
        struct packet_index *e = calloc(N + SLICE, sizeof(*e));
        size_t total = 0, n = 0;
        int r = SOURCE_PACKET, calls = 0;
        while (r == SOURCE_PACKET && calls++ < 100) {
            r = file_source_index(src, e + total, SLICE, &n, errbuf);
            total += n;
        }
        CHECK_EQ(r, SOURCE_EOF);
        CHECK_EQ(total, N);
        bool ok = e[0].record_off == 24;
        for (size_t i = 1; i < total && ok; i++)
            ok = e[i].record_off == e[i - 1].record_off + 16 + e[i - 1].caplen &&
                 e[i].caplen == 40 + i % 50 && e[i].len == 1500 &&
                 e[i].ts_sec == (int64_t)(1000 + i / 10) &&
                 e[i].ts_nsec == (uint32_t)(i % 10) * 100000000u;
        CHECK(ok);
        /* Random access by number, from the index. */
        struct packet pkt;
        static const size_t pick[] = {N - 1, 0, 12345, 7};
        for (size_t k = 0; k < ARRAY_SIZE(pick); k++) {
            size_t i = pick[k];
            CHECK_EQ(src->ops->read_at(src, e[i].record_off, i + 1, &pkt, errbuf), SOURCE_PACKET);
            CHECK_EQ(pkt.number, i + 1);
            CHECK_EQ(pkt.caplen, 40 + i % 50);
            CHECK(pkt.data[0] == pay((unsigned)i, 0) && pkt.data[39] == pay((unsigned)i, 39));
        }
        uint64_t done, size;
        file_source_progress(src, &done, &size);
        CHECK_EQ(done, b.n);
        CHECK_EQ(size, b.n);
        free(e);
    }
    source_close(src);
    unlink(path);
    bb_free(&b);
}

/*
 * A file bigger than the read buffer (256 KB) and than one read_at() window (2 MB): every packet
 * read sequentially, then re-read in an order that jumps between windows, has its own bytes
 * (a window read_at() let go reads back the same).
 */
static void test_big_mapping(void)
{
    enum { N = 12000, LEN = 1000 };
    struct bb b = {.be = false};
    pcap_hdr(&b, 0xa1b2c3d4u, 2, 4, 65535, 1);
    for (unsigned i = 0; i < N; i++)
        pcap_rec(&b, i, 0, LEN, LEN, i);
    char path[300], errbuf[PS_ERRBUF_SIZE];
    struct source *src = open_written(&b, path, sizeof(path));
    if (src) {
        struct packet pkt;
        unsigned good = 0;
        for (unsigned i = 0; i < N; i++) {
            if (source_next(src, &pkt, errbuf) == SOURCE_PACKET && pkt.caplen == LEN &&
                pkt.data[0] == pay(i, 0) && pkt.data[LEN - 1] == pay(i, LEN - 1))
                good++;
        }
        CHECK_EQ(good, N);
        CHECK_EQ(source_next(src, &pkt, errbuf), SOURCE_EOF);
        good = 0;
        for (unsigned k = 0; k < 2000; k++) {
            unsigned i = (k * 7919u) % N;
            uint64_t off = 24 + (uint64_t)i * (16 + LEN);
            if (src->ops->read_at(src, off, i + 1, &pkt, errbuf) == SOURCE_PACKET &&
                pkt.caplen == LEN && pkt.data[0] == pay(i, 0) &&
                pkt.data[LEN - 1] == pay(i, LEN - 1) && pkt.ts_sec == i)
                good++;
        }
        CHECK_EQ(good, 2000);
    }
    source_close(src);
    unlink(path);
}

/* Whether pkt is record i of test_block_cache's file, every byte. */
static bool block_cache_record_ok(const struct packet *pkt, unsigned i, uint32_t caplen)
{
    if (pkt->caplen != caplen || pkt->ts_sec != i)
        return false;
    for (uint32_t j = 0; j < caplen; j++)
        if (pkt->data[j] != pay(i, j))
            return false;
    return true;
}

/*
 * read_at() through the block cache (file_source_cache_blocks): records inside a block, across
 * two, and one bigger than the whole cache, in an order that jumps about, each with its own
 * bytes; then, the file cut short, a record in a block never read says the file shrank.
 */
static void test_block_cache(void)
{
    enum { N = 3000, BIG = 2000, BIG_LEN = 250000 };
    struct bb b = {.be = false};
    pcap_hdr(&b, 0xa1b2c3d4u, 2, 4, 262144, 1);
    uint64_t *off = calloc(N, sizeof(*off));
    uint32_t *caplen = calloc(N, sizeof(*caplen));
    for (unsigned i = 0; i < N; i++) {
        off[i] = b.n;
        caplen[i] = i == BIG ? BIG_LEN : 60 + (i * 977u) % 3000u;
        pcap_rec(&b, i, 0, caplen[i], caplen[i], i);
    }
    char path[300], errbuf[PS_ERRBUF_SIZE];
    struct source *src = open_written(&b, path, sizeof(path));
    if (src) {
        file_source_cache_blocks(src, 2); /* 256 KB: the big record is more than it holds */
        struct packet pkt;
        unsigned good = 0, across = 0;
        for (unsigned k = 0; k < 3 * N; k++) {
            unsigned i = k == N ? BIG : (k * 7919u) % N;
            if (off[i] / (128 * 1024) != (off[i] + 16 + caplen[i] - 1) / (128 * 1024))
                across++;
            if (src->ops->read_at(src, off[i], i + 1, &pkt, errbuf) == SOURCE_PACKET &&
                block_cache_record_ok(&pkt, i, caplen[i]))
                good++;
        }
        CHECK_EQ(good, 3 * N);
        CHECK(across > 20); /* the test did read records across blocks */
        /* Cut short in the block of record N - 2, which is not in the cache now (record 1's
         * block and the next are): N - 2 is read short, as without the cache. */
        CHECK_EQ(src->ops->read_at(src, off[1], 2, &pkt, errbuf), SOURCE_PACKET);
        CHECK(off[N - 2] / (128 * 1024) > off[1] / (128 * 1024) + 1);
        CHECK_EQ(truncate(path, (off_t)off[N - 2] + 20), 0);
        CHECK_EQ(src->ops->read_at(src, off[N - 2], N - 1, &pkt, errbuf), SOURCE_ERROR);
        char want[64];
        snprintf(want, sizeof(want), "no complete packet record at byte %llu",
                 (unsigned long long)off[N - 2]);
        CHECK(strstr(errbuf, want) != NULL);
        CHECK_EQ(src->ops->read_at(src, off[1], 2, &pkt, errbuf), SOURCE_PACKET);
        CHECK(block_cache_record_ok(&pkt, 1, caplen[1]));
    }
    source_close(src);
    unlink(path);
    free(off);
    free(caplen);
}

int main(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(tmp_dir, sizeof(tmp_dir), "%s/pktscope-reader-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(tmp_dir)) {
        perror("mkdtemp");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    test_pcap_usec_le();
    test_pcap_nsec_be();
    test_pcap_usec_be_and_nsec_le();
    test_pcap_swapped_lengths();
    test_pcap_linktype_bits();
    test_pcap_versions();
    test_pcap_edge_lengths();
    test_pcap_damage();
    test_not_a_capture();
    test_pcapng_mixed();
    test_pcapng_tsresol();
    test_pcapng_damage();
    test_stream();
    test_follow();
    test_stop_at();
    test_index();
    test_index_many();
    test_big_mapping();
    test_block_cache();
    rmdir(tmp_dir);
    return check_done();
}
