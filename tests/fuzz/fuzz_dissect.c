/*
 * libFuzzer harness for the dissectors (dissect_frame) on every link type pktscope decodes,
 * and for what reads their model: the tracker, the one-line summary, the layer tree, the hex
 * dump and the JSON object; and for --threads' placing of a frame by its headers
 * (pipeline_frame_worker).
 *
 * Input: byte 0 picks the link type, bytes 1-2 how many bytes the frame had on the wire beyond
 * those captured (so truncated frames are covered), the rest is the captured frame. Up to three
 * frames in one input share one tracker (split at the byte sequence "FUZZ"), so the TCP state
 * machine sees sequences of segments, not only first packets.
 *
 * Besides memory errors (ASan/UBSan), the checks of check.h: the model's invariants
 * (dissect.h), and every rendered text free of control bytes; any violation aborts. Dissected
 * lean, headerless or no further than the transport, a frame reads as dissected in full but
 * for what those leave out.
 *
 * Build (clang): cmake -S . -B build-fuzz -DPKTSCOPE_FUZZ=ON && cmake --build build-fuzz
 *                --target fuzz_dissect;  run: build-fuzz/tests/fuzz_dissect -max_total_time=300
 * (checksums are not verified in fuzz builds, so mutations reach the layers behind them).
 * Not part of ctest.
 */
#include "check.h"
#include "dissect/dissect.h"
#include "format/format.h"
#include "format/line.h"
#include "pipeline/pipeline.h"
#include "track/track.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint32_t linktypes[] = {1, 113, 276, 12, 14, 101, 228, 229, 0, 108, 147};

#define FUZZ_MAX_FRAMES 3

static struct dissection dis, lean_dis;
static struct lines ls;
static struct json_buf jb;
static bool ready;

/* Header fields a display filter may name, for --stats -Y's headerless dissection
 * (dissect_options.kept_fields): fields carved out of another without that other, and those
 * others without their parts. */
static const uint16_t kept_part_ids[] = {FID_VLAN_DEI,
                                         FID_VLAN_ID,
                                         FID_ETH_SRC_OUI,
                                         FID_ETH_DST_LG,
                                         FID_IP_OPT_TYPE_COPY,
                                         FID_IP_HDR_LEN,
                                         FID_IP_DSFIELD_ECN,
                                         FID_IP_FLAGS_DF,
                                         FID_IP_CHECKSUM_STATUS,
                                         FID_IPV6_FRAG_MORE,
                                         FID_IPV6_TCLASS_DSCP,
                                         FID_TCP_FLAGS_SYN,
                                         FID_TCP_FLAGS_RES,
                                         FID_TCP_SRCPORT,
                                         FID_TCP_CHECKSUM_STATUS,
                                         FID_UDP_CHECKSUM_STATUS,
                                         FID_TCP_OPTIONS_WSCALE_MULTIPLIER};
static const uint16_t kept_whole_ids[] = {FID_ETH_SRC,   FID_VLAN_PRIORITY, FID_IP_VERSION,
                                          FID_IP_FLAGS,  FID_IP_CHECKSUM,   FID_IPV6_TCLASS,
                                          FID_TCP_FLAGS, FID_UDP_CHECKSUM};
static uint8_t kept_parts[DIS_KEPT_FIELDS_BYTES], kept_wholes[DIS_KEPT_FIELDS_BYTES];

static void kept_set(uint8_t *set, const uint16_t *ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        set[ids[i] / 8] |= (uint8_t)(1u << (ids[i] % 8));
}

/* The first of d's layers from i on that is not an application's (OSI layer 7). */
static unsigned next_below_application(const struct dissection *d, unsigned i)
{
    while (i < d->nlayers && proto_info((enum proto_id)d->layers[i].proto)->osi_layer == 7)
        i++;
    return i;
}

static void one_frame(struct tracker *t, const uint8_t *p, size_t n, uint64_t number)
{
    if (n < 3)
        return;
    uint32_t linktype = linktypes[p[0] % (sizeof(linktypes) / sizeof(linktypes[0]))];
    uint32_t extra = (uint32_t)p[1] << 8 | p[2];
    const uint8_t *frame = p + 3;
    uint32_t caplen = (uint32_t)(n - 3);
    /* A private copy: a read one past the captured bytes is then an ASan report. */
    uint8_t *copy = malloc(caplen ? caplen : 1);
    if (!copy)
        return;
    memcpy(copy, frame, caplen);
    /* A frame time, which an ICMP echo's timestamp is read against (icmp.c, echo_data_time):
     * an ordinary one, and the two ends of a pcapng clock, by turns. */
    static const int64_t times[] = {1700000000, INT64_MIN + 1700000000, INT64_MAX - 5};
    struct dissect_options opt = {.verify_checksums = true,
                                  .has_time = true,
                                  .ts_sec = times[number % 3],
                                  .ts_nsec = 500000000};
    dissect_frame(&dis, copy, caplen, caplen + extra, linktype, &opt);
    fuzz_check_model(&dis);
    /* Dissected lean (as --print does), it reads the same but for the detail fields;
     * headerless too (as --stats and --conns do), but for the headers' fields as well, those a
     * display filter names kept (detail fields among them: then not lean). */
    static const char *const how[] = {"lean", "headerless", "headerless keeping parts",
                                      "headerless keeping wholes"};
    for (int k = 0; k < 4; k++) {
        struct dissect_options lean_opt = opt;
        lean_opt.lean = k != 2;
        lean_opt.headerless = k > 0;
        lean_opt.kept_fields = k == 2 ? kept_parts : k == 3 ? kept_wholes : NULL;
        dissect_frame(&lean_dis, copy, caplen, caplen + extra, linktype, &lean_opt);
        const char *lean_diff = dis_lean_difference(&dis, &lean_dis);
        if (lean_diff) {
            fprintf(stderr, "fuzz_dissect: dissected %s, its %s differ\n", how[k], lean_diff);
            abort();
        }
    }
    /* No further than the transport (as the TUI dissects for a frame-local display filter):
     * a sound model, whose layers but the application's are the full dissection's (the
     * application's come before a link trailer such as the Ethernet padding). */
    struct dissect_options transport_opt = opt;
    transport_opt.lean = transport_opt.headerless = transport_opt.transport_only = true;
    transport_opt.kept_fields = kept_parts;
    dissect_frame(&lean_dis, copy, caplen, caplen + extra, linktype, &transport_opt);
    fuzz_check_model(&lean_dis);
    for (unsigned i = 0, k = 0;; i++, k++) {
        i = next_below_application(&dis, i);
        k = next_below_application(&lean_dis, k);
        if (i == dis.nlayers || k == lean_dis.nlayers) {
            if (i != dis.nlayers || k != lean_dis.nlayers) {
                fprintf(stderr, "fuzz_dissect: transport only, a layer more or less\n");
                abort();
            }
            break;
        }
        const struct layer *a = &dis.layers[i], *b = &lean_dis.layers[k];
        if (a->proto != b->proto || a->offset != b->offset || a->len != b->len) {
            fprintf(stderr, "fuzz_dissect: transport only, layer %u differs\n", k);
            abort();
        }
    }

    struct packet pkt;
    memset(&pkt, 0, sizeof(pkt));
    pkt.data = copy;
    pkt.caplen = caplen;
    pkt.len = caplen + extra;
    pkt.ts_sec = 1700000000 + (int64_t)number;
    pkt.linktype = linktype;
    /* --threads places every frame by its headers before dissecting it: within caplen too. */
    uint32_t w = pipeline_frame_worker(&pkt, 7, true);
    if ((w >= 7 && w != PIPELINE_EVERY_WORKER) || pipeline_frame_worker(&pkt, 7, false) >= 7)
        abort(); /* no such worker */
    pkt.number = number;

    struct track_info ti;
    tracker_packet(t, &dis, pkt.ts_sec, 0, number, &ti);

    char why[512];
    format_explain(&ti, &dis, why, sizeof(why));
    fuzz_check_text(why, strnlen(why, sizeof(why)));

    struct summary s;
    format_summary(&s, &dis, &ti);
    fuzz_check_text(s.info, strnlen(s.info, sizeof(s.info)));
    fuzz_check_text(s.src, strnlen(s.src, sizeof(s.src)));
    fuzz_check_text(s.dst, strnlen(s.dst, sizeof(s.dst)));

    lines_reset(&ls);
    format_summary_line(&ls, &pkt, &dis, &ti, FMT_TIME_RELATIVE, 1700000000, 0);
    format_layers(&ls, &pkt, &dis, &ti, 0);
    const struct field *mark = dis.nfields ? &dis.fields[dis.nfields / 2] : NULL;
    format_hex(&ls, copy, caplen, mark ? mark->offset : 0, mark ? mark->len : 0);
    format_dump(&ls, &dis, FMT_DUMP_ASCII, false);
    format_dump(&ls, &dis, FMT_DUMP_HEX, false);
    format_verbose_line(&ls, &dis);
    fuzz_check_lines(&ls);

    format_json(&jb, &pkt, &dis, &ti);
    fuzz_check_text(jb.buf, jb.len);
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready) {
        lines_init(&ls);
        json_buf_init(&jb);
        kept_set(kept_parts, kept_part_ids, sizeof(kept_part_ids) / sizeof(kept_part_ids[0]));
        kept_set(kept_wholes, kept_whole_ids, sizeof(kept_whole_ids) / sizeof(kept_whole_ids[0]));
        ready = true;
    }
    if (size > 70000)
        return 0;
    struct tracker_config cfg;
    tracker_config_default(&cfg);
    cfg.max_flows = 4; /* eviction paths too */
    struct tracker *t = tracker_new(&cfg);
    if (!t)
        return 0;
    size_t start = 0;
    uint64_t number = 1;
    for (size_t i = 0; i + 4 <= size && number < FUZZ_MAX_FRAMES; i++) {
        if (memcmp(data + i, "FUZZ", 4) == 0) {
            one_frame(t, data + start, i - start, number++);
            start = i + 4;
            i += 3;
        }
    }
    one_frame(t, data + start, size - start, number);
    tracker_free(t);
    return 0;
}
