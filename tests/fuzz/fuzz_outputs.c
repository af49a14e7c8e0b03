/*
 * libFuzzer harness: a capture file through every output of the batch modes.
 *
 * The input is a capture file (pcap or pcapng). It is read as main/batch.c reads it, and each
 * packet goes through dissect_frame() with IP/TCP reassembly on (reasm_frame() first), the
 * tracker, and every renderer a batch mode uses: the --print line in each --time mode (first
 * and previous packet as references, the file's own timestamps), the -V layer tree, the -x hex
 * dump with the reassembled bytes, the why text, --json, --stats, the live --conns stream (rows
 * as connections end) and, at the end, --stats with the reassembly counters, --conns in text,
 * JSON and Zeek form, and the ladders of TCP stream 0, UDP stream 0 and ICMP stream 0 in text,
 * Mermaid, PlantUML and SVG. Output goes to memory (struct lines, struct json_buf), never to a
 * terminal; every line is checked for control bytes and every dissection for the model's
 * invariants (check.h). Small tracker limits reach eviction and summary forgetting too.
 *
 * Build: cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DPKTSCOPE_FUZZ=ON &&
 *        cmake --build build-fuzz --target fuzz_outputs
 * Run:   build-fuzz/tests/fuzz_outputs -max_len=65536 build-fuzz/corpus-outputs
 *        tests/fuzz/corpus/outputs   (doc/fuzzing.md)
 */
#include "capture/source.h"
#include "memsource.h"
#include "dissect/dissect.h"
#include "dissect/reasm.h"
#include "format/conns.h"
#include "format/format.h"
#include "format/ladder.h"
#include "format/line.h"
#include "track/track.h"
#include "util/strbuf.h"
#include "util/util.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_PACKETS 512

static struct dissection dis;
static struct lines ls;
static struct json_buf jb;
static struct stats st;
static struct lines forget_ls;
static struct tracker *cur_tracker;
static bool ready;

/* As batch.c: a summary the tracker lets go gets its --conns row first. */
static void conn_forgotten(void *ctx, const struct conn *c)
{
    struct conns_stream *cs = ctx;
    conns_stream_let_go(cs, cur_tracker, c, &forget_ls);
    fuzz_check_lines(&forget_ls);
    lines_reset(&forget_ls);
}

/* A connection the tracker ended: its row now, as --conns writes it. */
static void conn_ended(void *ctx, const struct conn *c)
{
    struct conns_stream *cs = ctx;
    conns_stream_emit(cs, cur_tracker, c, &forget_ls);
    fuzz_check_lines(&forget_ls);
    lines_reset(&forget_ls);
}

static void check_and_reset(void)
{
    fuzz_check_lines(&ls);
    lines_reset(&ls);
}

static void one_packet(const struct packet *pkt, struct reasm *r, struct tracker *t,
                       struct conns_stream *cs, struct ladder **lad, size_t nlad,
                       const struct packet *first, int64_t prev_sec, uint32_t prev_nsec)
{
    struct dissect_options opt = {.verify_checksums = (pkt->number & 1) != 0, .reasm = r};
    reasm_frame(r, pkt->number, pkt->ts_sec);
    dissect_frame(&dis, pkt->data, pkt->caplen, pkt->len, pkt->linktype, &opt);
    fuzz_check_model(&dis);
    fuzz_check_alone(&dis, pkt->data, pkt->caplen, pkt->len, pkt->linktype, opt.verify_checksums);

    struct track_info ti;
    tracker_packet(t, &dis, pkt->ts_sec, pkt->ts_nsec, pkt->number, &ti);

    /* --print in every --time mode: relative to the first packet, delta to the previous. */
    for (int m = FMT_TIME_RELATIVE; m <= FMT_TIME_DATE; m++) {
        int64_t rs = m == FMT_TIME_DELTA ? prev_sec : first->ts_sec;
        uint32_t rn = m == FMT_TIME_DELTA ? prev_nsec : first->ts_nsec;
        format_summary_line(&ls, pkt, &dis, &ti, (enum fmt_time)m, rs, rn);
    }
    check_and_reset();
    format_layers(&ls, pkt, &dis, &ti, 0);
    format_layers(&ls, NULL, &dis, NULL, FMT_LAYERS_TCPIP | FMT_LAYERS_NO_NOTES);
    check_and_reset();
    const struct field *mark = dis.nfields ? &dis.fields[pkt->number % dis.nfields] : NULL;
    format_hex(&ls, pkt->data, pkt->caplen, mark ? mark->offset : 0, mark ? mark->len : 0);
    if (dis.data_len > dis.caplen)
        format_hex(&ls, dis.data + dis.caplen, dis.data_len - dis.caplen, 0, 0);
    check_and_reset();
    /* tcpdump's -x -xx -X -XX -A, -q and -v */
    for (int dm = FMT_DUMP_HEX; dm <= FMT_DUMP_ASCII; dm++) {
        format_dump(&ls, &dis, (enum fmt_dump)dm, false);
        format_dump(&ls, &dis, (enum fmt_dump)dm, true);
    }
    check_and_reset();
    format_quiet_line(&ls, pkt, &dis, FMT_TIME_DATE, first->ts_sec, first->ts_nsec);
    format_verbose_line(&ls, &dis);
    check_and_reset();

    char why[512];
    format_explain(&ti, &dis, why, sizeof(why));
    fuzz_check_text(why, strnlen(why, sizeof(why)));
    struct summary s;
    format_summary(&s, &dis, &ti);
    fuzz_check_text(s.info, strnlen(s.info, sizeof(s.info)));

    format_json(&jb, pkt, &dis, &ti);
    fuzz_check_text(jb.buf, jb.len);
    stats_add(&st, pkt, &dis, &ti);

    if (ti.flags & TI_HAS_STREAM)
        conns_stream_check(cs, t, ti.proto, ti.stream, &ls);
    check_and_reset();
    for (size_t i = 0; i < nlad; i++)
        ladder_add(lad[i], &dis, &ti, pkt->ts_sec, pkt->ts_nsec, pkt->number);
}

static void finish(struct reasm *r, struct tracker *t, struct conns_stream *cs, struct ladder **lad,
                   size_t nlad)
{
    reasm_finish(r);
    struct tracker_totals tt;
    tracker_totals(t, &tt);
    format_stats(&ls, &st, &tt, reasm_stats(r));
    check_and_reset();
    /* --stats=json spans several lines: each of them is checked. */
    format_stats_json(&jb, &st, &tt, reasm_stats(r));
    for (size_t at = 0; at < jb.len;) {
        const char *nl = memchr(jb.buf + at, '\n', jb.len - at);
        size_t end = nl ? (size_t)(nl - jb.buf) : jb.len;
        fuzz_check_text(jb.buf + at, end - at);
        at = end + 1;
    }
    for (int f = CONNS_TEXT; f <= CONNS_ZEEK; f++) {
        conns_render(t, (enum conns_format)f, NULL, &ls);
        check_and_reset();
    }
    conns_stream_finish(cs, t, &ls, NULL, NULL);
    check_and_reset();
    for (size_t i = 0; i < nlad; i++)
        for (int f = LADDER_TEXT; f <= LADDER_SVG; f++) {
            ladder_render(lad[i], (enum ladder_format)f, &ls);
            check_and_reset();
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready) {
        lines_init(&ls);
        lines_init(&forget_ls);
        json_buf_init(&jb);
        ready = true;
    }
    if (size > (1u << 20))
        return 0;
    char errbuf[PS_ERRBUF_SIZE];
    struct source *src = fuzz_open_file(data, size, errbuf);
    if (!src)
        return 0;

    struct reasm_limits lim;
    reasm_default_limits(&lim);
    lim.max_bytes = 16384; /* small caps: the drop paths are reached too */
    lim.max_datagrams = 8;
    lim.max_streams = 8;
    lim.max_pdu = 8192;
    struct reasm *r = reasm_new(&lim);
    struct tracker_config cfg;
    tracker_config_default(&cfg);
    cfg.max_flows = 8;
    cfg.max_conns = 16;                   /* summaries let go and revived, as in every batch run */
    cfg.forget_stream_numbers = size & 1; /* as a live capture does, or keeping numbers */
    cfg.max_stream_keys = 24;             /* and forgetting the oldest past a cap */
    struct conns_stream cs;
    conns_stream_init(&cs, (enum conns_format)(size % 3));
    cfg.conn_forget = conn_forgotten;
    cfg.conn_end = conn_ended;
    cfg.conn_ctx = &cs;
    struct tracker *t = tracker_new(&cfg);
    cur_tracker = t;
    struct ladder *lad[3] = {ladder_new(0, 6), ladder_new(0, 17), ladder_new(0, 1)};
    stats_init(&st);

    struct packet pkt, first;
    memset(&first, 0, sizeof(first));
    int64_t prev_sec = 0;
    uint32_t prev_nsec = 0;
    for (unsigned i = 0; i < FUZZ_MAX_PACKETS; i++) {
        if (source_next(src, &pkt, errbuf) != SOURCE_PACKET)
            break;
        if (i == 0) {
            first = pkt;
            prev_sec = pkt.ts_sec;
            prev_nsec = pkt.ts_nsec;
        }
        one_packet(&pkt, r, t, &cs, lad, 3, &first, prev_sec, prev_nsec);
        prev_sec = pkt.ts_sec;
        prev_nsec = pkt.ts_nsec;
    }
    finish(r, t, &cs, lad, 3);

    for (size_t i = 0; i < 3; i++)
        ladder_free(lad[i]);
    conns_stream_release(&cs);
    tracker_free(t);
    reasm_free(r);
    source_close(src);
    return 0;
}
