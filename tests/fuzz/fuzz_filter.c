/*
 * libFuzzer harness: the display-filter compiler (filter/filter.h).
 *
 * The input is the text of a filter (up to its first NUL byte). When it compiles, it is
 * evaluated against fixed packets (packets.h: ARP, a TCP handshake and HTTP GET, DNS, TLS 1.3
 * Client Hello, SNMP, ICMP, ICMPv6, 802.1Q, Linux SLL, UDP), each dissected and tracked once at
 * start-up; when it does not, the error message must be a three-line text without control
 * bytes other than its newlines. Checks besides ASan/UBSan: the error text, that matching
 * twice gives the same answer (evaluation keeps no state between packets), and that a filter
 * which dfilter_reads_bytes_from says cannot read a packet's bytes from some offset on matches
 * the same without them (what the TUI relies on to leave reassembled bytes unread).
 *
 * Build and run: doc/fuzzing.md.
 */
#include "dissect/dissect.h"
#include "filter/filter.h"
#include "track/track.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#include "packets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NPACKETS (sizeof(fuzz_packets) / sizeof(fuzz_packets[0]))

static struct dissection *dis;
static struct track_info ti[NPACKETS];
static struct filter_packet fp[NPACKETS];
static const char comment[] = "a frame comment";
/* Kept for the whole run (the packets' track_info refer to its state); never freed, reachable. */
static struct tracker *tracker;

/* A packet's dissection copied, its bytes cut (check_without_tail). */
static struct dissection *cut;

static void setup(void)
{
    dis = calloc(NPACKETS, sizeof(*dis));
    cut = calloc(1, sizeof(*cut));
    if (!dis || !cut)
        abort();
    struct tracker_config cfg;
    tracker_config_default(&cfg);
    tracker = tracker_new(&cfg);
    struct dissect_options opt = {.verify_checksums = true};
    for (size_t i = 0; i < NPACKETS; i++) {
        const struct fuzz_packet *p = &fuzz_packets[i];
        dissect_frame(&dis[i], p->data, p->caplen, p->len, p->linktype, &opt);
        tracker_packet(tracker, &dis[i], p->ts_sec, p->ts_nsec, i + 1, &ti[i]);
        fp[i] = (struct filter_packet){
            .d = &dis[i],
            .ti = (i & 3) == 3 ? NULL : &ti[i],
            .number = i + 1,
            .len = p->len,
            .caplen = p->caplen,
            .ts_sec = p->ts_sec,
            .ts_nsec = p->ts_nsec,
            .ts_missing = i == 5,
            .first_sec = fuzz_packets[0].ts_sec,
            .first_nsec = fuzz_packets[0].ts_nsec,
            .prev_sec = i ? fuzz_packets[i - 1].ts_sec : p->ts_sec,
            .prev_nsec = i ? fuzz_packets[i - 1].ts_nsec : p->ts_nsec,
            .comment = (i & 1) ? comment : NULL,
            .comment_len = (i & 1) ? sizeof(comment) - 1 : 0,
        };
    }
}

/* The fixed packets have no reassembled bytes past their frames, so the bytes of the last layer
 * play them: packet i as if its frame ended where that layer starts, matched with the rest of
 * its data there and without it. A filter that cannot read bytes from there on
 * (dfilter_reads_bytes_from) must match both the same. */
static void check_without_tail(struct dfilter *f, size_t i)
{
    const struct dissection *d = &dis[i];
    if (d->nlayers < 2)
        return;
    uint32_t from = d->layers[d->nlayers - 1].offset;
    if (from == 0 || from >= d->data_len || dfilter_reads_bytes_from(f, d, from))
        return;
    *cut = *d;
    cut->caplen = from;
    struct filter_packet p = fp[i];
    p.d = cut;
    bool with_rest = dfilter_match(f, &p);
    cut->data_len = from;
    if (dfilter_match(f, &p) != with_rest)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dis)
        setup();
    if (size > 4096)
        return 0;
    char expr[4097];
    memcpy(expr, data, size);
    expr[size] = '\0';

    char err[1024];
    err[0] = '\0';
    struct dfilter *f = NULL;
    if (dfilter_compile(expr, &f, err, sizeof(err)) < 0) {
        if (f)
            abort(); /* a failed compile hands back nothing */
        size_t n = strnlen(err, sizeof(err));
        if (n == 0 || n == sizeof(err))
            abort(); /* every error says something, NUL-terminated */
        for (size_t i = 0; i < n; i++) {
            unsigned char ch = (unsigned char)err[i];
            if ((ch < 0x20 && ch != '\n') || ch == 0x7f)
                abort(); /* the expression is shown escaped */
        }
        return 0;
    }
    if (!f)
        abort();
    (void)dfilter_uses_tracker(f);
    for (size_t i = 0; i < NPACKETS; i++) {
        bool a = dfilter_match(f, &fp[i]);
        bool b = dfilter_match(f, &fp[i]);
        if (a != b)
            abort();
        check_without_tail(f, i);
    }
    dfilter_free(f);
    return 0;
}
