/*
 * The pcap/pcapng writers and the spool, checked by reading every file back with our own reader
 * (capture/file.c) and comparing packet by packet: bytes, lengths, timestamps to the nanosecond,
 * link types, comments, interface names and the section comment.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/source.h"
#include "capture/spool.h"
#include "capture/writer.h"
#include "check.h"
#include "util/util.h"

static char tmpdir[] = "/tmp/pktscope-test-writer-XXXXXX";

/* Three small frames: bytes differ so a mix-up shows. */
static const uint8_t frame_a[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00,
                                  0x00, 0x01, 0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06};
static const uint8_t frame_b[] = {0x45, 0x00, 0x00, 0x14, 0x00, 0x00, 0x40, 0x00, 0x40, 0x01,
                                  0x00, 0x00, 0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02};
static const uint8_t frame_c[] = {0x01};

static void path_of(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", tmpdir, name);
}

static struct packet mk(const uint8_t *data, uint32_t caplen, uint32_t len, int64_t sec,
                        uint32_t nsec, uint32_t linktype, uint32_t ifindex, uint64_t number)
{
    struct packet p;
    memset(&p, 0, sizeof(p));
    p.data = data;
    p.caplen = caplen;
    p.len = len;
    p.ts_sec = sec;
    p.ts_nsec = nsec;
    p.linktype = linktype;
    p.ifindex = ifindex;
    p.number = number;
    return p;
}

static void check_same(const struct packet *got, const struct packet *want, bool nano)
{
    CHECK_EQ(got->caplen, want->caplen);
    CHECK_EQ(got->len, want->len);
    CHECK(got->caplen == want->caplen && memcmp(got->data, want->data, want->caplen) == 0);
    CHECK_EQ(got->ts_sec, want->ts_sec);
    CHECK_EQ(got->ts_nsec, nano ? want->ts_nsec : want->ts_nsec / 1000u * 1000u);
    CHECK_EQ(got->linktype, want->linktype);
}

static void test_format_for(void)
{
    CHECK_EQ(writer_format_for("a.pcapng"), WRITER_PCAPNG);
    CHECK_EQ(writer_format_for("/x/A.PCAPNG"), WRITER_PCAPNG);
    CHECK_EQ(writer_format_for("a.pcap"), WRITER_PCAP);
    CHECK_EQ(writer_format_for("pcapng"), WRITER_PCAP);
    CHECK_EQ(writer_format_for("-"), WRITER_PCAP);
}

/* Classic pcap, microsecond and nanosecond magic. */
static void test_pcap(bool nano)
{
    char path[256], err[PS_ERRBUF_SIZE];
    path_of(path, sizeof(path), nano ? "ns.pcap" : "us.pcap");
    struct writer_info wi;
    memset(&wi, 0, sizeof(wi));
    wi.linktype = LINKTYPE_ETHERNET;
    wi.snaplen = 65535;
    wi.nanosecond = nano;
    struct writer *w = writer_open(path, &wi, err);
    CHECK(w != NULL);
    if (!w)
        return;
    CHECK_EQ(writer_offset(w), 24);
    struct packet in[3] = {
        mk(frame_a, sizeof(frame_a), 60, 1700000000, 123456789, LINKTYPE_ETHERNET, 0, 1),
        mk(frame_b, sizeof(frame_b), sizeof(frame_b), 1700000001, 999999999, LINKTYPE_ETHERNET, 0,
           2),
        mk(frame_c, 1, 1, 0, 0, LINKTYPE_ETHERNET, 0, 3),
    };
    uint64_t offs[3];
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(writer_write(w, &in[i], err), 0);
        offs[i] = writer_last_offset(w);
    }
    CHECK_EQ(offs[0], 24);
    CHECK_EQ(offs[1], 24 + 16 + sizeof(frame_a));
    /* A second link type does not fit one pcap file: refused with advice. */
    struct packet other = mk(frame_b, sizeof(frame_b), sizeof(frame_b), 1, 0, LINKTYPE_RAW, 0, 4);
    CHECK(writer_write(w, &other, err) < 0);
    CHECK(strstr(err, ".pcapng") != NULL);
    CHECK_EQ(writer_packets(w), 3);
    CHECK_EQ(writer_close(w, err), 0);

    struct source *src = file_source_open(path, false, err);
    CHECK(src != NULL);
    if (!src)
        return;
    CHECK_STR(src->format, "pcap");
    CHECK_EQ(src->nanosecond, nano);
    CHECK_EQ(src->linktype, LINKTYPE_ETHERNET);
    CHECK_EQ(src->snaplen, 65535);
    struct packet got;
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(source_next(src, &got, err), SOURCE_PACKET);
        check_same(&got, &in[i], nano);
        CHECK_EQ(got.number, (uint64_t)i + 1);
        CHECK_EQ(got.record_off, offs[i]);
    }
    CHECK_EQ(source_next(src, &got, err), SOURCE_EOF);
    source_close(src);
}

static const struct interface_info ifaces[] = {
    {LINKTYPE_ETHERNET, 1500, "eth-test", "first test interface"},
    {LINKTYPE_RAW, 1500, "tun-test", NULL},
};

static const struct interface_info *lookup(void *ctx, uint32_t ifindex)
{
    (void)ctx;
    return ifindex < ARRAY_SIZE(ifaces) ? &ifaces[ifindex] : NULL;
}

/* pcapng: two interfaces of different link types, comments, nanoseconds, the SHB comment. */
static void test_pcapng(void)
{
    char path[256], err[PS_ERRBUF_SIZE];
    path_of(path, sizeof(path), "two.pcapng");
    struct writer_info wi;
    memset(&wi, 0, sizeof(wi));
    wi.linktype = LINKTYPE_ETHERNET;
    wi.filter = "tcp port 80";
    wi.comment = "unit test capture";
    wi.iface_lookup = lookup;
    wi.flush_each = true;
    struct writer *w = writer_open(path, &wi, err);
    CHECK(w != NULL);
    if (!w)
        return;
    CHECK_EQ(writer_get_format(w), WRITER_PCAPNG);
    CHECK_EQ(writer_flushed_offset(w), writer_offset(w));
    struct packet in[3] = {
        mk(frame_a, sizeof(frame_a), 64, 1700000000, 123456789, LINKTYPE_ETHERNET, 0, 1),
        mk(frame_b, sizeof(frame_b), sizeof(frame_b), 1700000001, 5, LINKTYPE_RAW, 1, 2),
        mk(frame_c, 1, 1, 1700000002, 999999999, LINKTYPE_ETHERNET, 0, 3),
    };
    in[1].comment = "hello, reader";
    in[1].comment_len = (uint16_t)strlen(in[1].comment);
    uint64_t offs[3];
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(writer_write(w, &in[i], err), 0);
        offs[i] = writer_last_offset(w);
        /* flush_each: every record is in the file at once (for --follow readers). */
        CHECK_EQ(writer_flushed_offset(w), writer_offset(w));
    }
    uint32_t ifx = 99, lt = 99;
    CHECK_EQ(writer_iface_at(w, 1, &ifx, &lt), 0);
    CHECK_EQ(ifx, 1);
    CHECK_EQ(lt, LINKTYPE_RAW);
    CHECK(writer_iface_at(w, 2, &ifx, &lt) < 0);
    CHECK_EQ(writer_close(w, err), 0);

    struct source *src = file_source_open(path, false, err);
    CHECK(src != NULL);
    if (!src)
        return;
    CHECK_STR(src->format, "pcapng");
    CHECK_STR(src->section_comment, "unit test capture");
    struct packet got;
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(source_next(src, &got, err), SOURCE_PACKET);
        check_same(&got, &in[i], true);
        CHECK_EQ(got.record_off, offs[i]);
        if (i == 1) {
            CHECK(got.comment != NULL);
            CHECK_STR(got.comment, "hello, reader");
        } else {
            CHECK(got.comment == NULL);
        }
    }
    CHECK_EQ(source_next(src, &got, err), SOURCE_EOF);
    CHECK_EQ(file_source_interface_count(src), 2);
    const struct interface_info *i0 = file_source_interface(src, 0);
    const struct interface_info *i1 = file_source_interface(src, 1);
    CHECK(i0 && i1);
    if (i0 && i1) {
        CHECK_STR(i0->name, "eth-test");
        CHECK_STR(i0->description, "first test interface");
        CHECK_EQ(i0->linktype, LINKTYPE_ETHERNET);
        CHECK_STR(i1->name, "tun-test");
        CHECK_EQ(i1->linktype, LINKTYPE_RAW);
    }
    /* Random access by the offsets the writer gave. */
    if (src->ops->read_at) {
        CHECK_EQ(src->ops->read_at(src, offs[1], 2, &got, err), SOURCE_PACKET);
        check_same(&got, &in[1], true);
        CHECK_EQ(got.number, 2);
    } else {
        CHECK(!"file source has no read_at");
    }
    source_close(src);
}

/* A live capture names its interface and filter in the IDB and the SHB comment. */
static void test_pcapng_live_names(void)
{
    char path[256], err[PS_ERRBUF_SIZE];
    path_of(path, sizeof(path), "live.pcapng");
    struct writer_info wi;
    memset(&wi, 0, sizeof(wi));
    wi.linktype = LINKTYPE_ETHERNET;
    wi.if_name = "veth-x";
    wi.if_description = "a test interface";
    wi.filter = "icmp";
    struct writer *w = writer_open(path, &wi, err);
    CHECK(w != NULL);
    if (!w)
        return;
    struct packet p = mk(frame_a, sizeof(frame_a), 60, 5, 6, LINKTYPE_ETHERNET, 0, 1);
    CHECK_EQ(writer_write(w, &p, err), 0);
    CHECK_EQ(writer_close(w, err), 0);
    struct source *src = file_source_open(path, false, err);
    CHECK(src != NULL);
    if (!src)
        return;
    struct packet got;
    CHECK_EQ(source_next(src, &got, err), SOURCE_PACKET);
    check_same(&got, &p, true);
    CHECK(src->section_comment && strstr(src->section_comment, "veth-x") &&
          strstr(src->section_comment, "icmp"));
    const struct interface_info *ii = file_source_interface(src, 0);
    CHECK(ii && ii->name && strcmp(ii->name, "veth-x") == 0);
    CHECK(ii && ii->description && strcmp(ii->description, "a test interface") == 0);
    source_close(src);
}

static void test_open_errors(void)
{
    char err[PS_ERRBUF_SIZE];
    struct writer_info wi;
    memset(&wi, 0, sizeof(wi));
    wi.linktype = LINKTYPE_ETHERNET;
    err[0] = '\0';
    CHECK(writer_open("/nonexistent-dir-pktscope/x.pcap", &wi, err) == NULL);
    CHECK(strstr(err, "/nonexistent-dir-pktscope/x.pcap") != NULL);
    CHECK(strstr(err, "No such file") != NULL);
}

/* The spool: a temporary file nobody can see, read back at random. */
static void test_spool_temporary(void)
{
    char err[PS_ERRBUF_SIZE];
    struct writer_info wi;
    memset(&wi, 0, sizeof(wi));
    wi.linktype = LINKTYPE_ETHERNET;
    struct spool *sp = spool_open(NULL, &wi, err);
    CHECK(sp != NULL);
    if (!sp)
        return;
    enum { N = 200 };
    uint64_t offs[N];
    uint8_t buf[64];
    for (int i = 0; i < N; i++) {
        memset(buf, i, sizeof(buf));
        struct packet p = mk(buf, (uint32_t)(i % 64), 64, 1000 + i, (uint32_t)i * 7,
                             i % 3 ? LINKTYPE_ETHERNET : LINKTYPE_RAW, 0, (uint64_t)i + 1);
        if (i == 10) {
            p.comment = "ten";
            p.comment_len = 3;
        }
        CHECK_EQ(spool_append(sp, &p, &offs[i], err), 0);
    }
    CHECK(spool_size(sp) > offs[N - 1]);
    /* Backwards, so every read is a seek. */
    int bad = 0;
    for (int i = N - 1; i >= 0; i--) {
        struct packet got;
        if (spool_read_at(sp, offs[i], (uint64_t)i + 1, &got, err) != SOURCE_PACKET) {
            bad++;
            continue;
        }
        memset(buf, i, sizeof(buf));
        if (got.caplen != (uint32_t)(i % 64) || got.len != 64 ||
            memcmp(got.data, buf, got.caplen) != 0 || got.ts_sec != 1000 + i ||
            got.ts_nsec != (uint32_t)i * 7 ||
            got.linktype != (i % 3 ? LINKTYPE_ETHERNET : LINKTYPE_RAW) ||
            got.number != (uint64_t)i + 1)
            bad++;
        if (i == 10)
            CHECK(got.comment && strcmp(got.comment, "ten") == 0);
    }
    CHECK_EQ(bad, 0);
    struct packet got;
    CHECK_EQ(spool_read_at(sp, offs[0] + 1, 1, &got, err), SOURCE_ERROR);
    CHECK_EQ(spool_read_at(sp, spool_size(sp) + 100, 1, &got, err), SOURCE_ERROR);
    CHECK_EQ(spool_close(sp, err), 0);
}

/* --spool-limit: a spool written far past its limit keeps only the newest records on disk; the
 * dropped ones are counted, and reading one says so instead of returning zeros. */
static void test_spool_limit(void)
{
    char err[PS_ERRBUF_SIZE];
    struct writer_info wi;
    memset(&wi, 0, sizeof(wi));
    wi.linktype = LINKTYPE_ETHERNET;
    struct spool *sp = spool_open(NULL, &wi, err);
    CHECK(sp != NULL);
    if (!sp)
        return;
    const uint64_t limit = SPOOL_MIN_LIMIT;
    CHECK_EQ(spool_set_limit(sp, limit / 2, err), -1); /* below the minimum */
    CHECK_EQ(spool_set_limit(sp, limit, err), 0);
    enum { N = 40000 }; /* 1,500-byte packets: about 60 MB, seven times the limit */
    static uint64_t offs[N];
    static uint8_t buf[1500];
    uint64_t peak_disk = 0;
    for (int i = 0; i < N; i++) {
        memset(buf, i & 0xff, sizeof(buf));
        struct packet p =
            mk(buf, sizeof(buf), sizeof(buf), 1000 + i, 0, LINKTYPE_ETHERNET, 0, (uint64_t)i + 1);
        CHECK_EQ(spool_append(sp, &p, &offs[i], err), 0);
        if (i % 1000 == 999) {
            uint64_t disk = spool_disk_bytes(sp);
            peak_disk = disk > peak_disk ? disk : peak_disk;
        }
    }
    /* The limit, plus what the writer's buffer and the filesystem's block rounding add. */
    CHECK(peak_disk <= limit + limit / 8 + (1u << 20));
    CHECK(spool_size(sp) > 7 * limit);
    uint64_t dropped_packets, dropped_bytes;
    spool_dropped(sp, &dropped_packets, &dropped_bytes);
    CHECK(dropped_packets > N / 2 && dropped_packets < N);
    CHECK(dropped_bytes >= spool_size(sp) - limit - limit / 8);
    /* Exactly the first dropped_packets records are gone; every later one reads back whole. */
    int bad = 0;
    for (int i = 0; i < N; i++) {
        struct packet got;
        int rc = spool_read_at(sp, offs[i], (uint64_t)i + 1, &got, err);
        if ((uint64_t)i < dropped_packets) {
            if (rc != SOURCE_ERROR || !strstr(err, "dropped from the spool"))
                bad++;
        } else if (rc != SOURCE_PACKET || got.caplen != sizeof(buf) ||
                   got.data[0] != (uint8_t)(i & 0xff) || got.ts_sec != 1000 + i) {
            bad++;
        }
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(spool_close(sp, err), 0);

    /* A named file is the user's capture: never cut. */
    char path[256];
    path_of(path, sizeof(path), "limit.pcapng");
    sp = spool_open(path, &wi, err);
    CHECK(sp != NULL);
    if (sp) {
        CHECK_EQ(spool_set_limit(sp, limit, err), -1);
        CHECK(strstr(err, "never cuts") != NULL);
        CHECK_EQ(spool_close(sp, err), 0);
    }
    unlink(path);
}

/* The spool wrapper around a file source, writing a named pcap file that is kept. */
static void test_spool_source(void)
{
    char in_path[256], out_path[256], err[PS_ERRBUF_SIZE];
    path_of(in_path, sizeof(in_path), "us.pcap");
    path_of(out_path, sizeof(out_path), "spooled.pcap");
    struct source *inner = file_source_open(in_path, false, err);
    CHECK(inner != NULL);
    if (!inner)
        return;
    struct source *src = spool_source_new(inner, out_path, NULL, err);
    CHECK(src != NULL);
    if (!src)
        return;
    CHECK(spool_source_inner(src) == inner);
    CHECK(spool_source_inner(inner) == NULL);
    CHECK_EQ(src->linktype, LINKTYPE_ETHERNET);
    struct packet got;
    uint64_t offs[3];
    uint32_t lens[3];
    int n = 0;
    while (n < 3 && source_next(src, &got, err) == SOURCE_PACKET) {
        offs[n] = got.record_off;
        lens[n] = got.caplen;
        n++;
    }
    CHECK_EQ(n, 3);
    CHECK_EQ(source_next(src, &got, err), SOURCE_EOF);
    for (int i = 0; i < n; i++) {
        CHECK_EQ(src->ops->read_at(src, offs[i], (uint64_t)i + 1, &got, err), SOURCE_PACKET);
        CHECK_EQ(got.caplen, lens[i]);
    }
    CHECK_EQ(src->ops->read_at(src, offs[0], 1, &got, err), SOURCE_PACKET);
    CHECK(memcmp(got.data, frame_a, sizeof(frame_a)) == 0);
    source_close(src);
    /* The kept file holds the same packets. */
    struct source *again = file_source_open(out_path, false, err);
    CHECK(again != NULL);
    if (!again)
        return;
    int m = 0;
    while (source_next(again, &got, err) == SOURCE_PACKET)
        m++;
    CHECK_EQ(m, 3);
    source_close(again);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_format_for();
    test_pcap(false);
    test_pcap(true);
    test_pcapng();
    test_pcapng_live_names();
    test_open_errors();
    test_spool_temporary();
    test_spool_source();
    test_spool_limit();
    const char *names[] = {"us.pcap", "ns.pcap", "two.pcapng", "live.pcapng", "spooled.pcap"};
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        char p[256];
        path_of(p, sizeof(p), names[i]);
        unlink(p);
    }
    rmdir(tmpdir);
    return check_done();
}
