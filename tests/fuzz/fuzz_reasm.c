/*
 * libFuzzer harness: a sequence of packets through IP and TCP reassembly and the tracker.
 *
 * One frame at a time cannot reach reassembly, whose state lives across frames; here the input
 * is a script of synthetic packets. The first byte picks the reassembly and tracker limits (small
 * ones, so caps, drops and evictions are reached); then each packet is an 8-byte header and its
 * payload bytes, and the harness builds the link, IPv4 or IPv6, and TCP or UDP headers around
 * them with consistent addresses, ports and sequence numbers:
 *
 *   h[0]  bits 0-1: 0 IPv4/TCP, 1 IPv4/UDP, 2 IPv6/TCP, 3 IPv6/UDP
 *         bit 2: an IP fragment (h[1] bit 0 = more fragments, h[2..3] = offset in 8-byte units,
 *                h[1] bits 1-7 = the datagram id); the offset-0 fragment carries the TCP/UDP
 *                header, the others only payload
 *         bit 3: from the server (responder) instead of the client
 *         bits 4-5: server port 443 (TLS), 80 (HTTP), 53 (DNS), 161 (SNMP)
 *         bits 6-7: which of 4 client ports (flows)
 *   h[1]  TCP flags (FIN SYN RST PSH ACK URG ECE CWR), unless a fragment
 *   h[2..3] TCP: sequence offset from the sender's initial sequence number (big-endian), so
 *         segments overlap, repeat (retransmissions), leave holes and wrap around ISN
 *   h[4]  payload length, low 8 bits;  h[5] bits 0-2: its high bits (up to 2047 bytes)
 *   h[5]  bit 3: capture only part of the frame (the rest counted in len, not captured)
 *         bit 4: Ethernet (else raw IP, link type 101); bits 5-7: seconds since the previous
 *                packet, 0 to 7, as 0, 0, 1, 1, 2, 10, 40, 400 (timeouts and idle expiry)
 *   h[6..7] TCP: acknowledgement offset from the other side's initial sequence number
 *   payload: the next `length` bytes of the input (fewer at its end)
 *
 * Each packet is dissected with a struct reasm (reasm_frame() first, as the pipeline does),
 * tracked, and rendered as the --print line and the --json object; at the end reasm_finish()
 * and the --stats and --conns renderings. For inputs of an odd length the reassembly asks the
 * tracker what each segment around a gap is (reasm_set_segment_kind, as the pipeline does), so
 * that retransmissions are refused and out-of-order completions not handed on; for the others
 * every segment is taken. Checks: check.h, and that the pieces the reassembler
 * tells (reasm_keep_pieces, on here) put the frame's reassembled bytes together again from the
 * earlier frames' captured bytes, exactly.
 *
 * Build and run: doc/fuzzing.md.
 */
#include "dissect/dissect.h"
#include "dissect/reasm.h"
#include "format/conns.h"
#include "format/format.h"
#include "format/line.h"
#include "track/track.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_PACKETS 256
#define FUZZ_FRAME_MAX (14 + 40 + 8 + 20 + 2047)

static struct dissection dis;

/* reasm_set_segment_kind: the tracker's verdict at the current packet's time, as the pipeline
 * asks it. */
static int64_t now_sec;
static uint32_t now_nsec;
static enum reasm_segment ask_tracker(void *ctx, const struct dissection *d)
{
    return tracker_segment_kind(ctx, d, now_sec, now_nsec);
}

/* Every frame's captured bytes so far, to put reassembled bytes together again from. */
static uint8_t kept[FUZZ_MAX_PACKETS][FUZZ_FRAME_MAX];
static uint32_t kept_caplen[FUZZ_MAX_PACKETS];

FUZZ_CHECK void fuzz_check_pieces(const struct reasm *r, const struct dissection *d,
                                  uint64_t number)
{
    const struct reasm_piece *pc;
    size_t np;
    if (!reasm_tail_pieces(r, &pc, &np))
        return;
    size_t pos = 0, tail = d->data_len - d->caplen;
    for (size_t i = 0; i < np; i++) {
        if (pc[i].frame == 0 || pc[i].frame > number)
            abort(); /* a frame not read yet */
        uint32_t cl = kept_caplen[pc[i].frame - 1];
        if (pc[i].off > cl || pc[i].len > cl - pc[i].off || pc[i].len > tail - pos)
            abort(); /* outside the frame's captured bytes, or past the reassembled ones */
        if (memcmp(kept[pc[i].frame - 1] + pc[i].off, d->data + d->caplen + pos, pc[i].len))
            abort(); /* not the bytes reassembled */
        pos += pc[i].len;
    }
    if (pos != tail)
        abort();
}
static struct lines ls;
static struct json_buf jb;
static struct stats st;
static bool ready;

static const uint16_t server_ports[4] = {443, 80, 53, 161};
static const uint32_t time_steps[8] = {0, 0, 1, 1, 2, 10, 40, 400};

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v);
}

static void addr4(uint8_t *p, bool server)
{
    p[0] = 192, p[1] = 0, p[2] = 2, p[3] = server ? 80 : 10;
}

static void addr6(uint8_t *p, bool server)
{
    memset(p, 0, 16);
    p[0] = 0x20, p[1] = 0x01, p[2] = 0x0d, p[3] = 0xb8;
    p[15] = server ? 0x80 : 0x10;
}

/* Builds one frame into f; returns its length (captured bytes are decided by the caller). */
static size_t build(uint8_t *f, const uint8_t *h, const uint8_t *payload, size_t plen)
{
    bool v6 = (h[0] & 2) != 0, udp = (h[0] & 1) != 0, frag = (h[0] & 4) != 0;
    bool from_server = (h[0] & 8) != 0, eth = (h[5] & 0x10) != 0;
    uint16_t sport_srv = server_ports[(h[0] >> 4) & 3];
    uint16_t cport = (uint16_t)(40000 + (h[0] >> 6));
    uint16_t sport = from_server ? sport_srv : cport, dport = from_server ? cport : sport_srv;
    uint32_t isn_self = from_server ? 0xfffff000u : 1000u; /* the server's wraps */
    uint32_t isn_peer = from_server ? 1000u : 0xfffff000u;
    uint16_t frag_off = (uint16_t)(((uint32_t)h[2] << 8 | h[3]) & 0x1fff);
    bool more = (h[1] & 1) != 0;
    bool with_l4 = !frag || frag_off == 0;
    size_t at = 0;

    if (eth) {
        static const uint8_t macs[12] = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2};
        memcpy(f, macs, 12);
        put16(f + 12, v6 ? 0x86dd : 0x0800);
        at = 14;
    }
    size_t ip_at = at;
    size_t ip_hdr = v6 ? 40 + (frag ? 8 : 0) : 20;
    size_t l4_len = with_l4 ? (udp ? 8 : 20) : 0;
    size_t ip_payload = l4_len + plen;
    uint8_t proto = udp ? 17 : 6;
    if (v6) {
        f[at] = 0x60, f[at + 1] = 0, f[at + 2] = 0, f[at + 3] = 0;
        put16(f + at + 4, (uint32_t)(ip_payload + (frag ? 8 : 0)));
        f[at + 6] = frag ? 44 : proto;
        f[at + 7] = 64;
        addr6(f + at + 8, from_server);
        addr6(f + at + 24, !from_server);
        if (frag) {
            uint8_t *x = f + at + 40;
            x[0] = proto, x[1] = 0;
            put16(x + 2, (uint32_t)frag_off << 3 | (more ? 1 : 0));
            put32(x + 4, 0x1000u + (h[1] >> 1));
        }
    } else {
        f[at] = 0x45, f[at + 1] = 0;
        put16(f + at + 2, (uint32_t)(20 + ip_payload));
        put16(f + at + 4, frag ? 0x1000u + (h[1] >> 1) : 0x1234);
        put16(f + at + 6, frag ? ((more ? 0x2000u : 0) | frag_off) : 0x4000);
        f[at + 8] = 64, f[at + 9] = proto;
        f[at + 10] = 0, f[at + 11] = 0; /* checksums are not verified here */
        addr4(f + at + 12, from_server);
        addr4(f + at + 16, !from_server);
    }
    at = ip_at + ip_hdr;
    if (with_l4 && udp) {
        put16(f + at, sport);
        put16(f + at + 2, dport);
        put16(f + at + 4, (uint32_t)(8 + plen));
        put16(f + at + 6, 0);
    } else if (with_l4) {
        put16(f + at, sport);
        put16(f + at + 2, dport);
        uint32_t seq_off = frag ? 0 : ((uint32_t)h[2] << 8 | h[3]);
        put32(f + at + 4, isn_self + seq_off);
        put32(f + at + 8, isn_peer + ((uint32_t)h[6] << 8 | h[7]));
        f[at + 12] = 5 << 4;
        f[at + 13] = frag ? 0x18 : h[1];
        put16(f + at + 14, 65535);
        put16(f + at + 16, 0);
        put16(f + at + 18, 0);
    }
    at += l4_len;
    memcpy(f + at, payload, plen);
    return at + plen;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready) {
        lines_init(&ls);
        json_buf_init(&jb);
        ready = true;
    }
    if (size < 1 || size > 65536)
        return 0;
    uint8_t cfgb = data[0];
    struct reasm_limits lim;
    reasm_default_limits(&lim);
    if (!(cfgb & 0x80)) {
        /* Small caps, so that drops, evictions and timeouts happen within a few packets. */
        lim.max_bytes = 256u << (cfgb & 7);
        lim.max_datagrams = 1u + ((cfgb >> 3) & 3);
        lim.max_streams = 1u + ((cfgb >> 3) & 3);
        lim.max_pdu = 128u << ((cfgb >> 5) & 3);
        lim.frag_timeout_s = 5;
    }
    struct reasm *r = reasm_new(&lim);
    struct tracker_config tc;
    tracker_config_default(&tc);
    tc.max_flows = 1u + (cfgb & 3);
    tc.max_conns = (cfgb & 0x40) ? 4 : 0;
    tc.tcp_idle_sec = 60;
    tc.udp_idle_sec = 30;
    struct tracker *t = tracker_new(&tc);
    if (!r || !t) {
        reasm_free(r);
        tracker_free(t);
        return 0;
    }
    reasm_keep_pieces(r, true);
    if (size & 1)
        reasm_set_segment_kind(r, ask_tracker, t);
    /* the TUI's and -2's way: every segment of a long message kept (reasm_more_frames) */
    reasm_keep_all_frames(r, (cfgb & 0x20) != 0);
    stats_init(&st);

    static uint8_t frame[FUZZ_FRAME_MAX];
    size_t at = 1;
    int64_t ts = 1700000000;
    for (uint64_t number = 1; number <= FUZZ_MAX_PACKETS && size - at >= 8; number++) {
        const uint8_t *h = data + at;
        at += 8;
        size_t plen = (size_t)h[4] | (size_t)(h[5] & 7) << 8;
        if (plen > size - at)
            plen = size - at;
        size_t n = build(frame, h, data + at, plen);
        at += plen;
        uint32_t caplen = (uint32_t)n;
        if ((h[5] & 8) && caplen > 0)
            caplen = (uint32_t)(caplen * (h[7] & 0xf) / 16); /* a short snaplen */
        ts += time_steps[h[5] >> 5];
        /* A private copy of the captured bytes: reading past them is an ASan report. */
        uint8_t *copy = malloc(caplen ? caplen : 1);
        if (!copy)
            break;
        memcpy(copy, frame, caplen);
        uint32_t linktype = (h[5] & 0x10) ? 1 : 101;

        memcpy(kept[number - 1], frame, caplen);
        kept_caplen[number - 1] = caplen;

        struct dissect_options opt = {.verify_checksums = false, .reasm = r};
        now_sec = ts;
        now_nsec = (uint32_t)(number * 1000);
        reasm_frame(r, number, ts);
        dissect_frame(&dis, copy, caplen, (uint32_t)n, linktype, &opt);
        fuzz_check_model(&dis);
        fuzz_check_pieces(r, &dis, number);
        const struct reasm_told *more;
        size_t nmore = reasm_more_frames(r, &more);
        if (nmore && !(dis.flags & DIS_REASSEMBLED))
            abort(); /* segments told where they went in a frame that completed nothing */
        for (size_t i = 0; i < nmore; i++)
            if (more[i].frame == 0 || more[i].frame > number || more[i].kind > REASM_TOLD_IPV6)
                abort(); /* a segment of no frame read so far */
        fuzz_check_alone(&dis, copy, caplen, (uint32_t)n, linktype, opt.verify_checksums);
        struct track_info ti;
        tracker_packet(t, &dis, ts, (uint32_t)(number * 1000), number, &ti);

        struct packet pkt;
        memset(&pkt, 0, sizeof(pkt));
        pkt.data = copy;
        pkt.caplen = caplen;
        pkt.len = (uint32_t)n;
        pkt.ts_sec = ts;
        pkt.ts_nsec = (uint32_t)(number * 1000);
        pkt.linktype = linktype;
        pkt.number = number;
        format_summary_line(&ls, &pkt, &dis, &ti, FMT_TIME_RELATIVE, 1700000000, 0);
        if (dis.data_len > dis.caplen)
            format_hex(&ls, dis.data + dis.caplen, dis.data_len - dis.caplen, 0, 0);
        fuzz_check_lines(&ls);
        lines_reset(&ls);
        format_json(&jb, &pkt, &dis, &ti);
        fuzz_check_text(jb.buf, jb.len);
        stats_add(&st, &pkt, &dis, &ti);
        free(copy);
    }
    reasm_finish(r);
    const struct reasm_stats *rs = reasm_stats(r);
    if (rs->bytes_now > lim.max_bytes || rs->bytes_peak > lim.max_bytes)
        abort(); /* the byte cap holds */
    struct tracker_totals tt;
    tracker_totals(t, &tt);
    format_stats(&ls, &st, &tt, rs);
    conns_render(t, CONNS_JSON, NULL, &ls);
    fuzz_check_lines(&ls);
    lines_reset(&ls);
    tracker_free(t);
    reasm_free(r);
    return 0;
}
