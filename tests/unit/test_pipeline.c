/*
 * Unit tests for the capture session (pipeline/pipeline.c): the replay clock's pacing, and a
 * session over a small capture built here byte by byte: the BPF filter decides what is read,
 * the display filter what is shown, -w with -Y keeps what is shown (as tshark -Y -w), the
 * tracker numbers streams, and a filter that does not compile is refused. The dissection store
 * (dstore.h) gives back what it kept, bytes beyond the frame included, and refuses past its cap.
 * The later facts (later_facts.h) tell an echo request where its reply was, once, and forget.
 * A frame's worker for --threads (pipeline_frame_shard) is its dissected address pair's shard,
 * the same both ways, behind each link header; ARP's request and reply meet; short frames are 0;
 * host pairs whose addresses end in the same bits still spread over two and four workers.
 * --conns and --stats (pipeline_frame_worker) place a TCP segment by its connection, both ways
 * alike, so that 64 connections of two hosts spread over two workers, and where its datagram
 * reassembled would go; extension headers and atomic fragments change nothing, a fragment is
 * every worker's (or, without reassembly, a first one goes by its transport, a later by its
 * pair), anything else and a segment cut before its ports go by the pair.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "pipeline/dstore.h"
#include "pipeline/later_facts.h"
#include "pipeline/pipeline.h"
#include "util/linktype.h"
#include "util/util.h"

static void test_replay_clock(void)
{
    struct replay_clock rc;
    replay_clock_init(&rc, 2.0);
    /* The first packet anchors the clock and goes at once. */
    CHECK_EQ(replay_clock_wait_ms(&rc, 1000, 0, 5000), 0);
    /* 3 s later in the capture, at twice the speed: due 1.5 s after the anchor. */
    CHECK_EQ(replay_clock_wait_ms(&rc, 1003, 0, 5000), 1500);
    CHECK_EQ(replay_clock_wait_ms(&rc, 1003, 0, 6000), 500);
    CHECK_EQ(replay_clock_wait_ms(&rc, 1003, 0, 6500), 0);
    /* An hour of silence waits 10 s, and the packets after it keep their spacing. */
    CHECK_EQ(replay_clock_wait_ms(&rc, 1003 + 3600, 0, 6500), 10000);
    CHECK_EQ(replay_clock_wait_ms(&rc, 1003 + 3600, 0, 16500), 0);
    CHECK_EQ(replay_clock_wait_ms(&rc, 1003 + 3602, 0, 16500), 1000);
    /* A packet from before the anchor is due now. */
    CHECK_EQ(replay_clock_wait_ms(&rc, 10, 0, 16500), 0);
    /* After a pause the next packet anchors again. */
    replay_clock_restart(&rc);
    CHECK_EQ(replay_clock_wait_ms(&rc, 99999, 0, 20000), 0);
    CHECK_EQ(replay_clock_wait_ms(&rc, 99999, 500000000, 20000), 250);
    /* Timestamps at the ends of the range, at a slow speed: saturated, never negative. */
    replay_clock_init(&rc, 0.001);
    CHECK_EQ(replay_clock_wait_ms(&rc, INT64_MIN / 2, 0, 0), 0);
    CHECK_EQ(replay_clock_wait_ms(&rc, INT64_MAX / 2, 999999999, 0), 10000);
}

/* A pcap file of UDP datagrams from 10.0.0.1:1000+i to 10.0.0.2:53 (i even) or :123 (odd). */
static char *write_capture(int npackets)
{
    char *path = xstrdup("/tmp/pktscope-test-pipeline-XXXXXX");
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    const uint8_t hdr[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2,    0,    4, 0, 0, 0, 0, 0,
                             0,    0,    0,    0,    0xff, 0xff, 0, 0, 1, 0, 0, 0};
    fwrite(hdr, 1, sizeof(hdr), f);
    for (int i = 0; i < npackets; i++) {
        uint8_t p[14 + 20 + 8 + 4];
        memset(p, 0, sizeof(p));
        memcpy(p, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00", 14);
        uint8_t *ip = p + 14;
        ip[0] = 0x45;
        ip[3] = 32; /* total length */
        ip[8] = 64; /* TTL */
        ip[9] = 17; /* UDP */
        memcpy(ip + 12, "\x0a\0\0\x01\x0a\0\0\x02", 8);
        uint32_t sum = inet_csum_add(0, ip, 20);
        uint16_t c = inet_csum_fold(sum);
        ip[10] = (uint8_t)(c >> 8);
        ip[11] = (uint8_t)c;
        uint8_t *udp = ip + 20;
        uint16_t sport = (uint16_t)(1000 + i), dport = i % 2 ? 123 : 53;
        udp[0] = (uint8_t)(sport >> 8), udp[1] = (uint8_t)sport;
        udp[2] = (uint8_t)(dport >> 8), udp[3] = (uint8_t)dport;
        udp[5] = 12; /* length; checksum 0: none */
        memcpy(udp + 8, "abcd", 4);
        uint32_t rec[4] = {(uint32_t)(1700000000 + i), 0, sizeof(p), sizeof(p)};
        fwrite(rec, 1, sizeof(rec), f);
        fwrite(p, 1, sizeof(p), f);
    }
    CHECK_EQ(fclose(f), 0);
    return path;
}

static struct pipeline *session(const char *path, const char *bpf, const char *yfilter,
                                const char *wfile, char *err)
{
    struct pipeline_input in;
    memset(&in, 0, sizeof(in));
    in.read_file = path;
    struct source *src = pipeline_open_input(&in, err, NULL);
    CHECK(src != NULL);
    CHECK(source_has(src, SOURCE_CAP_RANDOM_ACCESS));
    CHECK(!source_has(src, SOURCE_CAP_LIVE) && !source_has(src, SOURCE_CAP_GROWING));
    struct pipeline_config pc;
    memset(&pc, 0, sizeof(pc));
    pc.filter = bpf;
    pc.display_filter = yfilter;
    pc.write_file = wfile;
    pc.verify_checksums = true;
    pc.reassembly = true;
    tracker_config_default(&pc.tracker);
    return pipeline_new(src, &pc, err);
}

/* Reads the whole session: how many packets were read and how many shown. */
static void run(struct pipeline *p, int *nread, int *nshown, uint32_t *max_stream)
{
    char err[PS_ERRBUF_SIZE];
    struct packet pkt;
    struct pipeline_result res;
    *nread = *nshown = 0;
    *max_stream = 0;
    while (pipeline_read(p, &pkt, err) == SOURCE_PACKET) {
        CHECK_EQ(pipeline_process(p, &pkt, &res, err), 0);
        CHECK(res.d != NULL);
        (*nread)++;
        *nshown += res.shown;
        if ((res.ti.flags & TI_HAS_STREAM) && res.ti.stream > *max_stream)
            *max_stream = res.ti.stream;
    }
}

static void test_session(void)
{
    char err[PS_ERRBUF_SIZE];
    char *path = write_capture(10);
    int nread, nshown;
    uint32_t max_stream;

    struct pipeline *p = session(path, NULL, NULL, NULL, err);
    CHECK(p != NULL);
    run(p, &nread, &nshown, &max_stream);
    CHECK_EQ(nread, 10);
    CHECK_EQ(nshown, 10);
    CHECK_EQ(max_stream, 9); /* ten source ports: ten UDP streams, numbered from 0 */
    pipeline_free(p);

    /* BPF: only what matches is read at all. */
    p = session(path, "udp dst port 53", NULL, NULL, err);
    CHECK(p != NULL);
    run(p, &nread, &nshown, &max_stream);
    CHECK_EQ(nread, 5);
    CHECK_EQ(nshown, 5);
    pipeline_free(p);

    /* -Y: everything is read and tracked, the matching ones shown; -w keeps those. */
    char wpath[] = "/tmp/pktscope-test-pipeline-w-XXXXXX";
    int wfd = mkstemp(wpath);
    CHECK(wfd >= 0);
    close(wfd);
    unlink(wpath); /* the writer creates it and refuses to follow anything in its place */
    p = session(path, NULL, "udp.dstport == 123 && udp.srcport > 1004", wpath, err);
    CHECK(p != NULL);
    run(p, &nread, &nshown, &max_stream);
    CHECK_EQ(nread, 10);
    CHECK_EQ(nshown, 3); /* source ports 1005, 1007 and 1009 */
    CHECK_EQ(pipeline_close_output(p, err), 0);
    pipeline_free(p);
    p = session(wpath, NULL, NULL, NULL, err);
    CHECK(p != NULL);
    run(p, &nread, &nshown, &max_stream);
    CHECK_EQ(nread, 3);
    pipeline_free(p);
    unlink(wpath);

    /* Filters that do not compile are refused, with the reason. */
    CHECK(session(path, "udp port banana", NULL, NULL, err) == NULL);
    CHECK(strlen(err) > 0);
    CHECK(session(path, NULL, "udp.port ==", NULL, err) == NULL);
    CHECK(strlen(err) > 0);
    unlink(path);
    free(path);
}

/* A kept dissection reads back the same, with reassembled bytes after the frame's (the frame's
 * own come from the caller, as the TUI reads them from the capture again); a frame of another
 * length is refused; records read back the same from the write buffer, from the file after it
 * was flushed and when one is larger than the buffer; a store at its cap refuses (0) and
 * counts it; a handle it never gave is an error, not a read. */
static void test_dstore(void)
{
    uint8_t frame[14 + 20 + 8 + 4];
    memset(frame, 0, sizeof(frame));
    memcpy(frame, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00", 14);
    uint8_t *ip = frame + 14;
    ip[0] = 0x45;
    ip[3] = 32;
    ip[8] = 64;
    ip[9] = 17;
    memcpy(ip + 12, "\x0a\0\0\x01\x0a\0\0\x02", 8);
    ip[20 + 1] = 99; /* sport 99 */
    ip[20 + 3] = 53; /* dport 53 */
    ip[20 + 5] = 12; /* UDP length */
    struct dissection *d = xcalloc(1, sizeof(*d)), *back = xcalloc(1, sizeof(*back));
    struct dissect_options opt = {.verify_checksums = false, .reasm = NULL};
    dissect_frame(d, frame, sizeof(frame), sizeof(frame), 1, &opt);
    /* As a frame that completed a reassembly: bytes after the frame's in the same buffer. */
    uint8_t with_tail[sizeof(frame) + 5];
    memcpy(with_tail, frame, sizeof(frame));
    memcpy(with_tail + sizeof(frame), "tail!", 5);
    d->data = with_tail;
    d->data_len = sizeof(with_tail);
    d->flags |= DIS_REASSEMBLED;

    char err[PS_ERRBUF_SIZE];
    struct dstore *s = dstore_new(0, err);
    CHECK(s != NULL);
    uint64_t h1 = dstore_put(s, d), h2 = dstore_put(s, d);
    CHECK(h1 != 0 && h2 != 0 && h1 != h2);
    struct dstore_buf buf = {0};
    CHECK(dstore_get(s, h2, frame, sizeof(frame), back, &buf, err));
    CHECK(dis_difference(d, back) == NULL);
    CHECK(back->flags & DIS_REASSEMBLED);
    CHECK_EQ(back->data_len, sizeof(with_tail));
    CHECK(memcmp(back->data, with_tail, sizeof(with_tail)) == 0);
    CHECK(back->reasm == NULL);
    /* The capture no longer holds the frame as it was: refused, not shown with wrong bytes. */
    CHECK(!dstore_get(s, h2, frame, sizeof(frame) - 1, back, &buf, err));
    CHECK(strstr(err, "no longer holds") != NULL);
    CHECK(!dstore_get(s, h2 + 1, frame, sizeof(frame), back, &buf, err)); /* inside a record */
    CHECK(!dstore_get(s, 0, frame, sizeof(frame), back, &buf, err));
    CHECK(!dstore_get(s, UINT64_MAX, frame, sizeof(frame), back, &buf, err));
    CHECK_EQ(dstore_stats(s)->kept, 2);

    /* Past the 1 MiB write buffer: the first records are read back from the file, the last
     * from the buffer, and one record larger than the buffer is written on its own. */
    size_t big_len = sizeof(frame) + (3u << 19);
    uint8_t *big = xmalloc(big_len);
    memcpy(big, frame, sizeof(frame));
    for (size_t i = sizeof(frame); i < big_len; i++)
        big[i] = (uint8_t)(i * 7);
    d->data = big;
    d->data_len = (uint32_t)big_len;
    uint64_t hbig = dstore_put(s, d);
    CHECK(hbig != 0);
    d->data = with_tail;
    d->data_len = sizeof(with_tail);
    uint64_t handles[3000];
    for (size_t i = 0; i < 3000; i++) {
        handles[i] = dstore_put(s, d);
        CHECK(handles[i] != 0);
    }
    CHECK(dstore_stats(s)->bytes > (2u << 20));
    const size_t probe[] = {0, 1, 1500, 2998, 2999};
    for (size_t i = 0; i < sizeof(probe) / sizeof(probe[0]); i++) {
        CHECK(dstore_get(s, handles[probe[i]], frame, sizeof(frame), back, &buf, err));
        CHECK(dis_difference(d, back) == NULL);
        CHECK(memcmp(back->data, with_tail, sizeof(with_tail)) == 0);
    }
    CHECK(dstore_get(s, h1, frame, sizeof(frame), back, &buf, err));
    CHECK(dstore_get(s, hbig, frame, sizeof(frame), back, &buf, err));
    CHECK_EQ(back->data_len, big_len);
    CHECK(memcmp(back->data, big, big_len) == 0);
    free(big);
    dstore_free(s);

    /* A cap smaller than two records: the second is refused and counted. */
    s = dstore_new(h2 - h1 + (h2 - h1) / 2, err);
    CHECK(s != NULL);
    CHECK(dstore_put(s, d) != 0);
    CHECK_EQ(dstore_put(s, d), 0);
    CHECK_EQ(dstore_stats(s)->not_kept, 1);
    dstore_free(s);
    dstore_buf_free(&buf);
    free(d);
    free(back);
}

/* An echo request (ICMP type 8) from 10.0.0.1 to 10.0.0.2. */
static void dissect_echo_request(struct dissection *d, uint8_t *frame, size_t len)
{
    memset(frame, 0, len);
    memcpy(frame, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00", 14);
    uint8_t *ip = frame + 14;
    ip[0] = 0x45;
    ip[3] = (uint8_t)(len - 14);
    ip[8] = 64;
    ip[9] = 1;
    memcpy(ip + 12, "\x0a\0\0\x01\x0a\0\0\x02", 8);
    ip[20] = 8; /* echo request */
    struct dissect_options opt = {.verify_checksums = false, .reasm = NULL};
    dissect_frame(d, frame, len, len, 1, &opt);
}

static void test_later_facts(void)
{
    uint8_t frame[14 + 20 + 8];
    struct dissection *d = xcalloc(1, sizeof(*d));
    dissect_echo_request(d, frame, sizeof(frame));
    CHECK(dis_find_layer(d, PROTO_ICMP) != NULL);
    struct later_facts *m = later_facts_new();
    /* Frame 5 replies to frame 3, 1.5 ms later (learnt from the reply's tracking; the reply's
     * own dissection only says it is ICMP, not ICMPv6). */
    struct track_info ti;
    memset(&ti, 0, sizeof(ti));
    ti.pair_kind = TI_PAIR_ECHO;
    ti.pair_frame = 3;
    ti.pair_ns = 1500000;
    later_facts_learn(m, d, &ti, 5);
    /* A second reply to the same request does not move the answer; a request asking again
     * (ARP_AGAIN) and a pairing that names a later frame teach nothing. */
    later_facts_learn(m, d, &ti, 7);
    ti.pair_kind = TI_PAIR_ARP_AGAIN;
    later_facts_learn(m, d, &ti, 8);
    ti.pair_kind = TI_PAIR_ECHO;
    ti.pair_frame = 9;
    later_facts_learn(m, d, &ti, 9);
    later_facts_learn(m, d, NULL, 10);
    CHECK_EQ(later_facts_count(m), 1);

    dissect_echo_request(d, frame, sizeof(frame));
    later_facts_apply(m, d, 3);
    const struct field *in = dis_find(d, FID_ICMP_RESP_IN);
    CHECK(in != NULL && in->value == 5);
    const struct field *t = dis_find(d, FID_PS_RESPONSE_TIME);
    double s = 0;
    if (t)
        memcpy(&s, &t->value, sizeof(s));
    CHECK(t == in + 1 && s > 0.0014999 && s < 0.0015001);
    dissect_echo_request(d, frame, sizeof(frame));
    later_facts_apply(m, d, 4);
    CHECK(dis_find(d, FID_ICMP_RESP_IN) == NULL);

    later_facts_forget_before(m, 4);
    CHECK_EQ(later_facts_count(m), 0);
    CHECK_EQ(later_facts_dropped(m), 0);
    later_facts_free(m);
    free(d);
}

/* An IPv4 (v = 4) or IPv6 UDP packet from host a to host b, behind `link` bytes of header. */
static size_t shard_frame(uint8_t *f, size_t link, int v, uint8_t a, uint8_t b)
{
    uint8_t *ip = f + link;
    size_t ipn = v == 4 ? 20 : 40;
    memset(ip, 0, ipn + 8);
    if (v == 4) {
        ip[0] = 0x45;
        ip[3] = (uint8_t)(ipn + 8);
        ip[8] = 64;
        ip[9] = 17;
        ip[12] = ip[16] = 10;
        ip[15] = a;
        ip[19] = b;
    } else {
        ip[0] = 0x60;
        ip[5] = 8;
        ip[6] = 17;
        ip[7] = 64;
        ip[8] = ip[24] = 0xfd;
        ip[23] = a;
        ip[39] = b;
    }
    ip[ipn + 1] = 53;
    ip[ipn + 3] = 53;
    ip[ipn + 5] = 8;
    return link + ipn + 8;
}

static void test_frame_shard(void)
{
    static struct dissection d;
    const struct dissect_options dopt = {.verify_checksums = false};
    uint8_t f[128];
    unsigned spread[7] = {0};
    for (int v = 4; v <= 6; v += 2) {
        for (uint8_t a = 1; a < 40; a++) {
            /* Ethernet, with a VLAN tag on odd hosts */
            memset(f, 0, 18);
            size_t link = 14;
            f[12] = 0x81;
            if (a % 2) {
                link = 18;
                f[16] = v == 4 ? 0x08 : 0x86;
                f[17] = v == 4 ? 0x00 : 0xdd;
            } else {
                f[12] = v == 4 ? 0x08 : 0x86;
                f[13] = v == 4 ? 0x00 : 0xdd;
            }
            size_t n = shard_frame(f, link, v, a, (uint8_t)(a * 7));
            struct packet pkt = {.data = f,
                                 .caplen = (uint32_t)n,
                                 .len = (uint32_t)n,
                                 .linktype = LINKTYPE_ETHERNET};
            uint32_t w = pipeline_frame_shard(&pkt, 7);
            dissect_frame(&d, f, (uint32_t)n, (uint32_t)n, LINKTYPE_ETHERNET, &dopt);
            CHECK_EQ(w, pipeline_shard_of(&d, 7));
            spread[w]++;
            shard_frame(f, link, v, (uint8_t)(a * 7), a); /* the reply */
            CHECK_EQ(pipeline_frame_shard(&pkt, 7), w);
            /* Raw IP and Linux cooked (SLL2: protocol first) say the same. */
            n = shard_frame(f, 0, v, a, (uint8_t)(a * 7));
            pkt = (struct packet){.data = f, .caplen = (uint32_t)n, .linktype = LINKTYPE_RAW};
            CHECK_EQ(pipeline_frame_shard(&pkt, 7), w);
            memset(f, 0, 20);
            f[0] = v == 4 ? 0x08 : 0x86;
            f[1] = v == 4 ? 0x00 : 0xdd;
            n = shard_frame(f, 20, v, a, (uint8_t)(a * 7));
            pkt =
                (struct packet){.data = f, .caplen = (uint32_t)n, .linktype = LINKTYPE_LINUX_SLL2};
            CHECK_EQ(pipeline_frame_shard(&pkt, 7), w);
            /* Cut short before the addresses: worker 0, nothing read past caplen. */
            pkt.caplen = 20 + (v == 4 ? 19 : 39);
            CHECK_EQ(pipeline_frame_shard(&pkt, 7), 0);
        }
    }
    for (int i = 0; i < 7; i++)
        CHECK(spread[i] > 0); /* 78 host pairs: every worker gets some */
    /* ARP: the request (to broadcast) and the reply (to the asker) meet. */
    uint8_t arp[42];
    memset(arp, 0, sizeof(arp));
    arp[12] = 0x08;
    arp[13] = 0x06;
    arp[14 + 4] = 6;
    arp[14 + 5] = 4;
    arp[14 + 17] = 1; /* sender 0.0.0.1 asks */
    arp[14 + 27] = 9; /* for 0.0.0.9 */
    struct packet pkt = {.data = arp, .caplen = 42, .linktype = LINKTYPE_ETHERNET};
    uint32_t w = pipeline_frame_shard(&pkt, 1000);
    arp[14 + 17] = 9;
    arp[14 + 27] = 1;
    CHECK_EQ(pipeline_frame_shard(&pkt, 1000), w);
    CHECK(w != 0);
    pkt.caplen = 41;
    CHECK_EQ(pipeline_frame_shard(&pkt, 1000), 0);
    CHECK_EQ(pipeline_frame_shard(&pkt, 1), 0);
    /* Pairs whose addresses end in the same bits (10.0.0.a and 10.0.0.a+128) still spread over
     * two and four workers: FNV-1a alone modulo 2 gave all 128 of them one worker. */
    unsigned two[2] = {0}, four[4] = {0};
    for (unsigned a = 0; a < 128; a++) {
        size_t n = shard_frame(f, 0, 4, (uint8_t)a, (uint8_t)(a + 128));
        pkt = (struct packet){.data = f, .caplen = (uint32_t)n, .linktype = LINKTYPE_RAW};
        two[pipeline_frame_shard(&pkt, 2)]++;
        four[pipeline_frame_shard(&pkt, 4)]++;
    }
    CHECK(two[0] >= 40 && two[1] >= 40);
    for (int i = 0; i < 4; i++)
        CHECK(four[i] >= 16);
}

/* A TCP segment's first bytes as raw IP (v = 4 or 6) from 10.0.0.a:pa to 10.0.0.b:pb (fd00::
 * for IPv6), its transport behind `ext` (IPv6 extension headers, nlen bytes, whose first is
 * next header `first`; none: 0). Returns its length. */
static size_t worker_tcp(uint8_t *f, int v, uint8_t a, uint8_t b, uint16_t pa, uint16_t pb,
                         uint8_t first, const uint8_t *ext, size_t nlen)
{
    size_t n = shard_frame(f, 0, v, a, b); /* the addresses; UDP for now */
    size_t ipn = v == 4 ? 20 : 40;
    if (v == 4)
        f[9] = nlen ? first : 6;
    else
        f[6] = nlen ? first : 6;
    if (nlen) /* (memcpy from NULL, even of nothing, is undefined) */
        memcpy(f + ipn, ext, nlen);
    uint8_t *t = f + ipn + nlen;
    memset(t, 0, 20);
    t[0] = (uint8_t)(pa >> 8);
    t[1] = (uint8_t)pa;
    t[2] = (uint8_t)(pb >> 8);
    t[3] = (uint8_t)pb;
    t[12] = 5 << 4;
    (void)n;
    return ipn + nlen + 20;
}

static uint32_t raw_worker(const uint8_t *f, size_t n, uint32_t count, bool reassembly)
{
    struct packet pkt = {.data = f, .caplen = (uint32_t)n, .linktype = LINKTYPE_RAW};
    return pipeline_frame_worker(&pkt, count, reassembly);
}

static void test_frame_worker(void)
{
    uint8_t f[160], g[160];
    /* 64 connections between two hosts spread over two workers, each the same both ways; a
     * datagram reassembled from the same segment goes where the segment goes. */
    for (int v = 4; v <= 6; v += 2) {
        unsigned two[2] = {0};
        for (uint16_t k = 0; k < 64; k++) {
            uint16_t client = (uint16_t)(40000 + k * 3);
            size_t n = worker_tcp(f, v, 1, 2, client, 80, 0, NULL, 0);
            uint32_t w = raw_worker(f, n, 2, true);
            CHECK(w < 2);
            two[w < 2 ? w : 0]++;
            worker_tcp(g, v, 2, 1, 80, client, 0, NULL, 0);
            CHECK_EQ(raw_worker(g, n, 2, true), w);
            size_t ipn = v == 4 ? 20 : 40;
            size_t alen = v == 4 ? 4 : 16;
            CHECK_EQ(pipeline_datagram_worker(alen, f + (v == 4 ? 12 : 8), f + (v == 4 ? 16 : 24),
                                              6, f + ipn, 20, 2),
                     w);
        }
        CHECK(two[0] >= 16 && two[1] >= 16);
    }
    /* IPv6: Hop-by-Hop and Destination Options before the segment, or an atomic fragment
     * (RFC 6946: a whole packet), change nothing; a fragment is every worker's, reassembled, and
     * without reassembly a first fragment goes by its transport, a later one by its pair. */
    const uint8_t opts[16] = {60, 0, 1, 4, 0, 0, 0, 0, 6, 0, 1, 4, 0, 0, 0, 0};
    const uint8_t atomic[8] = {6, 0, 0, 0, 0, 0, 0, 7};
    const uint8_t first[8] = {6, 0, 0, 1, 0, 0, 0, 7};
    const uint8_t later[8] = {6, 0, 0, 8, 0, 0, 0, 7};
    size_t n = worker_tcp(f, 6, 1, 2, 40001, 443, 0, NULL, 0);
    uint32_t w = raw_worker(f, n, 1000, true);
    n = worker_tcp(g, 6, 1, 2, 40001, 443, 0, opts, sizeof(opts));
    CHECK_EQ(raw_worker(g, n, 1000, true), w);
    CHECK_EQ(pipeline_datagram_worker(16, g + 8, g + 24, 60, g + 40 + 8, n - 48, 1000), w);
    n = worker_tcp(g, 6, 1, 2, 40001, 443, 44, atomic, sizeof(atomic));
    CHECK_EQ(raw_worker(g, n, 1000, true), w);
    n = worker_tcp(g, 6, 1, 2, 40001, 443, 44, first, sizeof(first));
    CHECK_EQ(raw_worker(g, n, 1000, true), PIPELINE_EVERY_WORKER);
    CHECK_EQ(raw_worker(g, n, 1000, false), w);
    /* The address pair's worker: where a UDP datagram of the same hosts goes. */
    uint8_t u[160];
    size_t un = shard_frame(u, 0, 6, 1, 2);
    uint32_t pair6 = raw_worker(u, un, 1000, true);
    un = shard_frame(u, 0, 4, 1, 2);
    uint32_t pair4 = raw_worker(u, un, 1000, true);
    CHECK(pair4 != PIPELINE_EVERY_WORKER && pair6 != PIPELINE_EVERY_WORKER);
    n = worker_tcp(g, 6, 1, 2, 40001, 443, 44, later, sizeof(later));
    CHECK_EQ(raw_worker(g, n, 1000, false), pair6);
    /* IPv4: the same with the header's flags; a segment cut before its ports goes by its
     * pair. */
    n = worker_tcp(f, 4, 1, 2, 40001, 443, 0, NULL, 0);
    w = raw_worker(f, n, 1000, true);
    memcpy(g, f, n);
    g[6] = 0x20; /* MF */
    CHECK_EQ(raw_worker(g, n, 1000, true), PIPELINE_EVERY_WORKER);
    CHECK_EQ(raw_worker(g, n, 1000, false), w);
    g[6] = 0;
    g[7] = 1; /* offset 8 */
    CHECK_EQ(raw_worker(g, n, 1000, true), PIPELINE_EVERY_WORKER);
    CHECK_EQ(raw_worker(g, n, 1000, false), pair4);
    CHECK_EQ(raw_worker(f, 23, 1000, true), pair4);
    CHECK_EQ(pipeline_datagram_worker(4, f + 12, f + 16, 17, u + 20, 8, 1000), pair4);
    CHECK_EQ(raw_worker(u, un, 1, true), 0);
    /* Host pairs whose addresses end in the same bits spread by pair too. */
    unsigned two[2] = {0}, four[4] = {0};
    for (unsigned a = 0; a < 128; a++) {
        un = shard_frame(u, 0, a % 2 ? 6 : 4, (uint8_t)a, (uint8_t)(a + 128));
        two[raw_worker(u, un, 2, true) & 1]++;
        four[raw_worker(u, un, 4, true) & 3]++;
    }
    CHECK(two[0] >= 40 && two[1] >= 40);
    for (int i = 0; i < 4; i++)
        CHECK(four[i] >= 16);
}

int main(void)
{
    test_replay_clock();
    test_session();
    test_dstore();
    test_later_facts();
    test_frame_shard();
    test_frame_worker();
    return check_done();
}
