/*
 * The batch outputs: one pass over the source, each packet dissected once, tracked once and
 * rendered in the chosen mode. Exit status: 0, 1 when the input was damaged (every readable
 * packet was still shown; the reader's message goes to stderr), 2 for usage/open errors.
 */
#include "main/batch.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dissect/dissect.h"
#include "dissect/reasm.h"
#include "pipeline/later_facts.h"
#include "dissect/numbers.h"
#include "filter/filter.h"
#include "format/conns.h"
#include "capture/live.h" /* hosts: the interface's subnets */
#include "format/hosts.h" /* hosts */
#include "format/quiz.h"  /* quiz */
#include "format/conv.h"
#include "format/follow.h"
#include "format/format.h"
#include "format/compare.h"
#include "format/flow.h"
#include "format/ladder.h"
#include "format/phs.h"
#include "main/open.h"
#include "main/flow_threads.h"
#include "main/connslog.h"
#include "main/print_text.h"
#include "main/progress.h"
#include "main/text_threads.h"
#include "main/workers.h"
#include "ui/columns.h"
#include "ui/ui.h"
#include "pipeline/pipeline.h"
#include "track/track.h"
#include "util/ptime.h"
#include "util/util.h"

/* The protocol of a --ladder stream as its messages name it. */
static const char *ladder_proto_label(uint8_t proto)
{
    return proto == PS_IPPROTO_UDP      ? "UDP"
           : proto == PS_IPPROTO_ICMP   ? "ICMP"
           : proto == PS_IPPROTO_ICMPV6 ? "ICMPv6"
                                        : "TCP";
}

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

/* Waits until the source may have more (live capture, a growing file), or a signal. */
static void wait_for_source(struct source *src, int timeout_ms)
{
    int fd = src->ops->fd ? src->ops->fd(src) : -1;
    if (fd >= 0) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        poll(&p, 1, timeout_ms);
    } else {
        poll(NULL, 0, timeout_ms < 100 ? timeout_ms : 100);
    }
}

/* How long a stopped live capture keeps reading what the kernel had already captured: longer
 * than libpcap's 100 ms buffer timeout, so a partly filled buffer block is handed over. */
#define DRAIN_MS 300

/* Draining ends at the deadline, or as soon as every packet the kernel counted was read. */
static bool drain_done(struct source *src, const struct timespec *end)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec > end->tv_sec || (now.tv_sec == end->tv_sec && now.tv_nsec >= end->tv_nsec))
        return true;
    struct source_stats st;
    memset(&st, 0, sizeof(st));
    src->ops->stats(src, &st);
    return st.has_kernel_stats && st.packets + st.kernel_dropped >= st.kernel_received;
}

/* --replay: sleeps until the packet is due by the replay clock (or a signal). */
static void replay_wait(struct replay_clock *rc, const struct packet *pkt)
{
    for (;;) {
        int64_t wait = replay_clock_wait_ms(rc, pkt->ts_sec, pkt->ts_nsec, pipeline_now_ms());
        if (wait <= 0 || stop_requested)
            return;
        struct timespec req = {(time_t)(wait / 1000), (long)(wait % 1000) * 1000000L};
        nanosleep(&req, NULL);
    }
}

struct batch {
    struct later_facts *later_facts; /* -2: learnt by the first pass */
    const struct options *o;
    struct pipeline *p;
    bool dfilter;                   /* -Y given */
    struct bitset dmatched[4];      /* -Y with --conns: streams with a matching packet */
    struct tracker *tracker;        /* the pipeline's */
    const struct dissection *d;     /* the packet being shown */
    const struct filter_packet *fp; /* the same, as the display filter saw it */
    struct lines lines;
    struct lines forget_lines; /* rows printed as the tracker lets summaries go */
    struct json_buf json;
    /* --json on one thread: objects gathered here and written by write(2) (batch_json_write)
     * at JSON_OUT_WRITE bytes, or each at once where someone waits for each line; not copied
     * into stdio's buffer first (that copy was 4 % of --json's instructions). */
    struct json_buf jout;
    struct stats *stats;
    struct ladder *ladder;
    struct flow *flow;       /* --flow */
    struct compare *compare; /* --compare (clientserver) */
    bool flush_each;
    bool have_ref;
    int64_t ref_sec, prev_sec;
    uint32_t ref_nsec, prev_nsec;
    uint64_t shown;
    bool out_error;
    int out_errno;
    /* --conns: rows written as connections end (conns.h), the rest at the end. */
    bool conns_streaming;
    struct conns_stream cs;
    struct connslog *clog; /* --conns-log: the rows go to its files, not stdout */
    struct hosts *hosts;   /* --hosts */
    struct quiz *quiz;     /* --quiz */
    /* tsharkhabits: -T fields, -z tables; made at the first packet shown (habits_setup) */
    bool habits_ready;
    struct tfields *tfields;
    struct conv_tables *conv;
    struct phs *phs;
    struct follow *follow;
    /* --columns (or the settings file's): NULL for the default --print line */
    struct columns *columns;
    /* --threads: --print and --json formatted on several threads (text_threads.h), or NULL */
    struct text_threads *tt;
};

/*
 * --color: ANSI SGR sequences per attribute for batch output on a terminal. The TUI has its own
 * table in ui/; this one only ever runs when options.color is set (never with NO_COLOR unless
 * --color=always). An empty string leaves the text in the terminal's default colour.
 */
static const char *const ansi_attr[ATTR__COUNT] = {
    [ATTR_NORMAL] = "",
    [ATTR_HEADER] = "\033[1m",
    [ATTR_DIM] = "\033[2m",
    [ATTR_LABEL] = "",
    [ATTR_VALUE] = "\033[1m",
    [ATTR_ADDR] = "\033[36m",
    [ATTR_PORT] = "\033[36m",
    [ATTR_PROTO] = "\033[35m",
    [ATTR_HANDSHAKE] = "\033[32m",
    [ATTR_DATA] = "\033[34m",
    [ATTR_TEARDOWN] = "\033[33m",
    [ATTR_RESET] = "\033[31m",
    [ATTR_SYN] = "\033[1;32m",
    [ATTR_FIN] = "\033[1;33m",
    [ATTR_RST] = "\033[1;31m",
    [ATTR_WARN] = "\033[33m",
    [ATTR_ERROR] = "\033[1;31m",
    [ATTR_MARK] = "\033[7m",
    [ATTR_NOTE] = "\033[2;3m",
    [ATTR_ORIG] = "\033[31m",
    [ATTR_RESP] = "\033[34m",
    /* colorrules: a --print line's colour by Wireshark's colouring rules (colorrules.c) */
    [ATTR_CR_BAD] = "\033[1;31;40m",
    [ATTR_CR_ICMPERR] = "\033[1;32;40m",
    [ATTR_CR_ARP] = "\033[33m",
    [ATTR_CR_ICMP] = "\033[35m",
    [ATTR_CR_RST] = "\033[1;33;41m",
    [ATTR_CR_TTL] = "\033[37;41m",
    [ATTR_CR_HTTP] = "\033[32m",
    [ATTR_CR_SYNFIN] = "\033[30;47m",
    [ATTR_CR_UDP] = "\033[36m",
    [ATTR_CR_BCAST] = "\033[2m",
    /* end colorrules */
};

static void put_colored(FILE *out, uint8_t attr, const char *text, size_t n)
{
    const char *sgr = attr < ATTR__COUNT && ansi_attr[attr] ? ansi_attr[attr] : "";
    if (n == 0)
        return;
    if (*sgr)
        fputs(sgr, out);
    fwrite(text, 1, n, out);
    if (*sgr)
        fputs("\033[0m", out);
}

/* lines_print() with each span in its colour; spans are taken in order and clamped. The first
 * line takes `row_attr` whole when it is not ATTR_NORMAL (the packet's colouring rule). */
static void print_lines_color(const struct lines *ls, FILE *out, uint8_t row_attr)
{
    for (size_t i = 0; i < ls->n; i++) {
        const struct line *l = &ls->v[i];
        size_t at = 0;
        if (i == 0 && row_attr != ATTR_NORMAL) {
            put_colored(out, row_attr, l->text, l->len);
            fputc('\n', out);
            continue;
        }
        for (uint16_t k = 0; k < l->nspans && k < LINE_MAX_SPANS; k++) {
            const struct span *sp = &l->spans[k];
            size_t start = sp->start, end = (size_t)sp->start + sp->len;
            if (start < at || start > l->len)
                continue; /* overlapping or out of range: the plain text already covers it */
            if (end > l->len)
                end = l->len;
            put_colored(out, l->attr, l->text + at, start - at);
            put_colored(out, sp->attr, l->text + start, end - start);
            at = end;
        }
        put_colored(out, l->attr, l->text + at, l->len - at);
        fputc('\n', out);
    }
}

static void print_lines(const struct lines *ls, bool color, uint8_t row_attr)
{
    if (color)
        print_lines_color(ls, stdout, row_attr);
    else
        lines_print(ls, stdout);
}

/* ---- tsharkhabits: -T fields, -z, tcpdump -e ---- */

static void habits_setup(struct batch *b)
{
    const struct options *o = b->o;
    char err[1024];
    b->habits_ready = true;
    if (o->nzconv)
        b->conv = conv_new(o->zconv_order, o->nzconv);
    if (o->zphs)
        b->phs = phs_new();
    if (o->zfollow_proto)
        b->follow = follow_new((uint8_t)o->zfollow_proto, (enum follow_mode)o->zfollow_mode,
                               o->zfollow_stream);
    /* The names were checked when the command line was read (main.c). */
    if (o->mode == OUT_FIELDS &&
        tfields_new(o->tfields, o->ntfields, &o->tfopts, &b->tfields, err, sizeof(err)) == 0 &&
        o->tfopts.header && !o->quiet) {
        size_t n;
        const char *h = tfields_header(b->tfields, &n);
        fwrite(h, 1, n, stdout);
        fputc('\n', stdout);
    }
}

static void habits_release(struct batch *b)
{
    conv_free(b->conv);
    b->conv = NULL;
    phs_free(b->phs);
    b->phs = NULL;
    follow_free(b->follow);
    b->follow = NULL;
    tfields_free(b->tfields);
    b->tfields = NULL;
}

/* -T fields: the values read as the display filter reads them, from the pipeline's view of
 * the packet (frame.time_delta from the previous packet read, as tshark's). */
static void emit_fields(struct batch *b)
{
    if (!b->tfields || !b->fp)
        return;
    size_t n;
    const char *line = tfields_line(b->tfields, b->fp, &n);
    fwrite(line, 1, n, stdout);
    fputc('\n', stdout);
}

/* ---- end tsharkhabits ---- */

/* --columns: the configured cells of the packet, tab-separated (ui/columns.h). */
static void print_columns(struct batch *b, const struct packet *pkt, const struct track_info *ti,
                          enum fmt_time tm, int64_t rs, uint32_t rn)
{
    char number[24], tbuf[48], length[16];
    struct strbuf tsb;
    struct summary s;
    snprintf(number, sizeof(number), "%" PRIu64, pkt->number);
    snprintf(length, sizeof(length), "%" PRIu32, pkt->len);
    sb_init(&tsb, tbuf, sizeof(tbuf));
    format_time(&tsb, tm, pkt->ts_sec, pkt->ts_nsec, rs, rn);
    format_summary(&s, b->d, ti);
    struct column_row row = {number, tbuf, length, &s, b->fp};
    columns_print_line(&b->lines, b->columns, &row, pkt->number);
}

/* --threads: one packet's --print or --json text, on any thread (text_threads.h). Only what
 * needs nothing but the packet: -V, --columns and colours read the batch's state and stay on
 * the reading thread (batch_run). */
static void text_of_packet(const void *cfg, const struct text_job *j, struct text_scratch *s,
                           struct text_out *out)
{
    const struct options *o = cfg;
    if (o->mode == OUT_JSON) {
        /* Straight into the batch's text (the same kind of buffer), not copied there. */
        struct json_buf jb = {out->buf, out->len, out->cap};
        format_json_append(&jb, &j->pkt, j->d, &j->ti);
        jb.buf[jb.len++] = '\n'; /* (format_json_append leaves room) */
        *out = (struct text_out){jb.buf, jb.len, jb.cap};
        return;
    }
    print_text_append(o, &s->lines, out, &j->pkt, j->d, &j->ti, j->ref_sec, j->ref_nsec);
}

/* The time --print shows is measured from: the first packet, or with --time=delta the one
 * shown before. */
static void text_time_ref(const struct batch *b, int64_t *rs, uint32_t *rn)
{
    bool delta = b->o->time_format == FMT_TIME_DELTA;
    *rs = delta ? b->prev_sec : b->ref_sec;
    *rn = delta ? b->prev_nsec : b->ref_nsec;
}

/* --json gathers this much before a write, where nobody waits for each line. */
#define JSON_OUT_WRITE ((size_t)64 << 10)

/* Writes the gathered --json objects: after whatever stdio holds, so the order is kept. */
static void batch_json_write(struct batch *b)
{
    size_t n = b->jout.len;
    b->jout.len = 0;
    if (n == 0 || b->out_error)
        return;
    int err = write_after_stdio(stdout, b->jout.buf, n);
    if (err) {
        b->out_error = true;
        b->out_errno = err;
    }
}

/* Everything formatted so far written: the threads' batches, the gathered objects. */
static void batch_text_flush(struct batch *b)
{
    if (b->tt && !text_threads_flush(b->tt) && !b->out_error) {
        b->out_error = true;
        b->out_errno = text_threads_errno(b->tt);
    }
    batch_json_write(b);
}

/* --threads: --print's or --json's packet handed over to be formatted and written in turn. */
static void emit_threaded(struct batch *b, const struct packet *pkt, const struct track_info *ti)
{
    int64_t rs;
    uint32_t rn;
    text_time_ref(b, &rs, &rn);
    if (!text_threads_add(b->tt, pkt, b->d, ti, rs, rn) && !b->out_error) {
        b->out_error = true;
        b->out_errno = text_threads_errno(b->tt);
    }
}

static void emit_print(struct batch *b, const struct packet *pkt, const struct track_info *ti)
{
    const struct options *o = b->o;
    int64_t rs;
    uint32_t rn;
    text_time_ref(b, &rs, &rn);
    lines_reset(&b->lines);
    if (b->columns)
        print_columns(b, pkt, ti, (enum fmt_time)o->time_format, rs, rn);
    char hdr[256];
    struct strbuf sb;
    sb_init(&sb, hdr, sizeof(hdr));
    print_text_head(o, &b->lines, &sb, pkt, b->d, ti, !b->columns, rs, rn);
    fwrite(hdr, 1, sb.len, stdout);
    if (o->verbose) {
        format_layers(&b->lines, pkt, b->d, ti, 0);
        /* The subnet test, with what the packets before this one taught. */
        struct subnet_test st;
        hosts_packet(b->hosts, b->d, pkt->ts_sec, pkt->ts_nsec, pkt->number, true);
        if (hosts_subnet_test(b->hosts, b->d, pkt->number, &st))
            format_subnet_test(&b->lines, b->d, &st);
    }
    format_dump(&b->lines, b->d, (enum fmt_dump)o->dump_style, o->dump_link);
    uint8_t row_attr = ATTR_NORMAL;
    if (o->color && b->fp)
        row_attr = color_rule_attr(b->fp); /* the packet as the display filter saw it */
    print_lines(&b->lines, o->color, row_attr);
    if (print_text_blank_after(o))
        fputc('\n', stdout);
}

/* Prints what conns_stream_* appended to b->lines (plain text, no attributes). */
static void conns_flush(struct batch *b)
{
    if (b->lines.n == 0)
        return;
    lines_print(&b->lines, stdout);
    lines_reset(&b->lines);
    if (b->flush_each)
        fflush(stdout);
}

/* conns_stream_finish() hands over its rows in batches: written and dropped. */
static void conns_finish_flush(void *ctx, struct lines *out)
{
    (void)ctx;
    lines_print(out, stdout);
    lines_reset(out);
}

/* The tracker ended a connection (its flow state is dropped): its --conns row is due now,
 * as Zeek writes conn.log, so rows come in order of ending. */
static void conn_ended(void *ctx, const struct conn *c)
{
    struct batch *b = ctx;
    if (!b->conns_streaming)
        return;
    lines_reset(&b->forget_lines);
    conns_stream_emit(&b->cs, b->tracker, c, &b->forget_lines);
    lines_print(&b->forget_lines, stdout);
}

/* The tracker lets an old connection summary go (max_conns): its --conns row, if not written
 * yet, is written now, as it cannot be later. The stream number may come back with a new
 * summary (a 5-tuple seen again), which then needs its own row and its own -Y match. */
static void conn_forgotten(void *ctx, const struct conn *c)
{
    struct batch *b = ctx;
    int slot = tracker_proto_slot(c->proto);
    if (slot >= 0)
        bitset_clear(&b->dmatched[slot], c->id);
    if (!b->conns_streaming)
        return;
    lines_reset(&b->forget_lines);
    conns_stream_let_go(&b->cs, b->tracker, c, &b->forget_lines);
    lines_print(&b->forget_lines, stdout);
}

/* -Y with --conns: a connection gets its row when one of its packets matched. Streams are
 * numbered per protocol, so one set per protocol the tracker numbers (tracker_proto_slot). */
static bool conn_matched(void *ctx, const struct conn *c)
{
    struct batch *b = ctx;
    int slot = tracker_proto_slot(c->proto);
    return slot >= 0 && bitset_test(&b->dmatched[slot], c->id);
}

/* -Y with --conns: the packet's connection has a matching packet, so it gets its row. */
static void mark_matched(struct batch *b, const struct track_info *ti)
{
    if (b->o->mode == OUT_CONNS && (ti->flags & TI_HAS_STREAM)) {
        int slot = tracker_proto_slot(ti->proto);
        if (slot >= 0)
            bitset_set(&b->dmatched[slot], ti->stream);
    }
}

/* --hosts: the subnets given, and in a live capture the interface's own (pcap_findalldevs). */
static void hosts_setup(struct batch *b, const struct options *o)
{
    char err[PS_ERRBUF_SIZE];
    b->hosts = hosts_new();
    for (size_t i = 0; i < o->nsubnets; i++)
        hosts_add_subnet(b->hosts, o->subnets[i], SUBNET_GIVEN, err, sizeof(err)); /* checked */
    if (!o->interface)
        return;
    struct live_iface *ifs;
    size_t n;
    if (live_ifaces(&ifs, &n, err) < 0)
        return; /* the subnet is then inferred, and says so */
    for (size_t i = 0; i < n; i++) {
        if (strcmp(ifs[i].name, o->interface) != 0)
            continue;
        /* "10.0.0.1/24 fe80::1/64 02:00:00:00:00:01": the addresses with a prefix */
        char tok[64];
        for (const char *p = ifs[i].addresses; *p;) {
            size_t len = strcspn(p, " ");
            if (len > 0 && len < sizeof(tok) && memchr(p, '/', len)) {
                memcpy(tok, p, len);
                tok[len] = '\0';
                hosts_add_subnet(b->hosts, tok, SUBNET_INTERFACE, err, sizeof(err));
            }
            p += len;
            p += strspn(p, " ");
        }
    }
    live_ifaces_free(ifs, n);
}

/* flow: --frames A-B keeps --ladder and --flow to those frames (the tracker still sees every
 * packet, so states and relative numbers are those of the whole capture). */
static bool in_frames(const struct options *o, uint64_t frame)
{
    return !o->frames_given || (frame >= o->frames_first && frame <= o->frames_last);
}

static void emit(struct batch *b, const struct packet *pkt, const struct track_info *ti)
{
    if (!b->habits_ready) /* tsharkhabits */
        habits_setup(b);
    if (b->conv)
        conv_add(b->conv, pkt, b->d, b->ref_sec, b->ref_nsec);
    if (b->phs)
        phs_add(b->phs, pkt, b->d);
    if (b->follow)
        follow_add(b->follow, pkt, b->d, ti);
    if (b->o->quiet)
        return;
    switch (b->o->mode) {
    case OUT_FIELDS: /* tsharkhabits */
        emit_fields(b);
        break;
    case OUT_JSON:
        if (b->tt) {
            emit_threaded(b, pkt, ti);
            return; /* nothing written here; the threads' writes are checked as they go */
        }
        format_json_append(&b->jout, pkt, b->d, ti);
        b->jout.buf[b->jout.len++] = '\n'; /* (format_json_append leaves room) */
        if (b->flush_each || b->jout.len >= JSON_OUT_WRITE)
            batch_json_write(b);
        return; /* its errors are checked as it writes */
    case OUT_STATS:
        stats_add(b->stats, pkt, b->d, ti);
        return;
    case OUT_CONNS:
        lines_reset(&b->lines);
        if (ti->flags & TI_HAS_STREAM)
            conns_stream_check(&b->cs, b->tracker, ti->proto, ti->stream, &b->lines);
        conns_flush(b);
        break;
    case OUT_LADDER:
        if (!in_frames(b->o, pkt->number))
            return;
        ladder_add(b->ladder, b->d, ti, pkt->ts_sec, pkt->ts_nsec, pkt->number);
        return;
    case OUT_FLOW: /* flow */
        if (in_frames(b->o, pkt->number))
            flow_add(b->flow, b->d, ti, pkt->ts_sec, pkt->ts_nsec, pkt->number);
        return;
    case OUT_COMPARE:
        compare_add(b->compare, b->d, ti, pkt->ts_sec, pkt->ts_nsec, pkt->number, pkt->len);
        return;
    case OUT_HOSTS:
        hosts_packet(b->hosts, b->d, pkt->ts_sec, pkt->ts_nsec, pkt->number, true);
        return;
    case OUT_QUIZ:
        quiz_add(b->quiz, b->d, ti, pkt->ts_sec, pkt->ts_nsec, pkt->number, true);
        return;
    default:
        if (b->tt) {
            emit_threaded(b, pkt, ti);
            return;
        }
        emit_print(b, pkt, ti);
        break;
    }
    if (b->flush_each)
        fflush(stdout);
    if (ferror(stdout) && !b->out_error) {
        b->out_error = true;
        b->out_errno = errno;
    }
}

static int finish(struct batch *b)
{
    int status = PS_EXIT_OK;
    const struct options *o = b->o;
    if (!b->habits_ready) /* tsharkhabits: no packet was shown; -E header=y still writes */
        habits_setup(b);
    /* tsharkhabits: -z tables after the packets, the last asked first, as tshark writes them */
    for (size_t k = o->nzorder, conv_at = o->nzconv; k-- > 0;) {
        if (o->zorder[k] == 'c' && b->conv) {
            conv_print(b->conv, conv_at - 1, conv_at, stdout);
            conv_at--;
        } else if (o->zorder[k] == 'p' && b->phs) {
            phs_print(b->phs, stdout);
        } else if (o->zorder[k] == 'f' && b->follow) {
            follow_print(b->follow, stdout);
        }
    }
    if (o->mode == OUT_STATS) {
        lines_reset(&b->lines);
        struct reasm *ra = pipeline_reasm(b->p);
        if (ra)
            reasm_finish(ra);
        struct tracker_totals tt;
        tracker_totals(b->tracker, &tt);
        if (o->stats_json) {
            format_stats_json(&b->json, b->stats, &tt, ra ? reasm_stats(ra) : NULL);
            fwrite(b->json.buf, 1, b->json.len, stdout);
            fputc('\n', stdout);
        } else {
            format_stats(&b->lines, b->stats, &tt, ra ? reasm_stats(ra) : NULL);
            print_lines(&b->lines, o->color, ATTR_NORMAL);
        }
    } else if (o->mode == OUT_CONNS) {
        lines_reset(&b->lines);
        conns_stream_finish(&b->cs, b->tracker, &b->lines, conns_finish_flush, NULL);
        lines_print(&b->lines, stdout);
        if (ferror(stdout))
            b->out_error = true, b->out_errno = errno;
    } else if (o->mode == OUT_COMPARE) {
        const struct compare_side *sd = b->compare->side;
        if (!sd[0].seen || !sd[1].seen) {
            fprintf(stderr,
                    "pktscope: --compare: %s%s%s in this capture (it has %zu TCP and %zu UDP "
                    "streams, numbered from 0); --conns lists them\n",
                    sd[0].seen ? "" : "no such TCP stream",
                    !sd[0].seen && !sd[1].seen ? " and " : "",
                    sd[1].seen ? "" : "no such UDP stream",
                    tracker_conn_count(b->tracker, PS_IPPROTO_TCP),
                    tracker_conn_count(b->tracker, PS_IPPROTO_UDP));
            status = PS_EXIT_USAGE;
        }
        if (o->compare_json) {
            char buf[2048];
            struct strbuf sb;
            sb_init(&sb, buf, sizeof(buf));
            compare_json(b->compare, &sb);
            fwrite(buf, 1, sb.len, stdout);
            fputc('\n', stdout);
        } else {
            lines_reset(&b->lines);
            compare_render(b->compare, &b->lines);
            print_lines(&b->lines, o->color, ATTR_NORMAL);
        }
    } else if (o->mode == OUT_HOSTS) {
        struct hosts_report hr;
        hosts_report(b->hosts, &hr);
        if (o->hosts_json) {
            format_hosts_json(&b->json, &hr);
            fwrite(b->json.buf, 1, b->json.len, stdout);
            fputc('\n', stdout);
        } else {
            lines_reset(&b->lines);
            format_hosts(&b->lines, &hr);
            lines_print(&b->lines, stdout);
        }
        hosts_report_release(&hr);
        if (ferror(stdout))
            b->out_error = true, b->out_errno = errno;
    } else if (o->mode == OUT_QUIZ) {
        const char *title = o->read_file ? o->read_file : o->interface ? o->interface : "-";
        const char *slash = strrchr(title, '/');
        quiz_print(b->quiz, stdout, slash && slash[1] ? slash + 1 : title, o->quiz_count,
                   o->quiz_seed, o->quiz_answers);
        if (ferror(stdout))
            b->out_error = true, b->out_errno = errno;
    } else if (o->mode == OUT_LADDER) {
        uint8_t proto = o->ladder_proto;
        size_t have = tracker_conn_count(b->tracker, proto);
        if (b->ladder->n == 0 && o->frames_given && o->ladder_stream < have) { /* flow */
            char last[24] = "";
            if (o->frames_last != UINT64_MAX)
                snprintf(last, sizeof(last), "%" PRIu64, o->frames_last);
            fprintf(stderr,
                    "pktscope: no packet of %s stream %" PRIu32 " in frames %" PRIu64 "-%s "
                    "(--frames counts the capture's frames from 1)\n",
                    ladder_proto_label(proto), o->ladder_stream, o->frames_first, last);
            status = PS_EXIT_USAGE;
        } else if (b->ladder->n == 0 && b->dfilter && o->ladder_stream < have) {
            fprintf(stderr,
                    "pktscope: no packet of %s stream %" PRIu32 " matches the display "
                    "filter (-Y %s)\n",
                    ladder_proto_label(proto), o->ladder_stream, o->display_filter);
            status = PS_EXIT_USAGE;
        } else if (b->ladder->n == 0) {
            fprintf(stderr,
                    "pktscope: there is no %s stream %" PRIu32 " in this capture (it has %zu%s); "
                    "--conns lists them\n",
                    ladder_proto_label(proto), o->ladder_stream, have,
                    have ? ", numbered from 0" : "");
            status = PS_EXIT_USAGE;
        } else if (ladder_print(b->ladder, o->ladder_format, stdout) < 0) {
            b->out_error = true;
            b->out_errno = errno;
        }
    } else if (o->mode == OUT_FLOW) { /* flow */
        if (flow_print(b->flow, o->ladder_format, stdout) < 0) {
            b->out_error = true;
            b->out_errno = errno;
        }
    }
    return status;
}

int batch_run(const struct options *o, struct source *src)
{
    char errbuf[PS_ERRBUF_SIZE];
    struct batch b;
    memset(&b, 0, sizeof(b));
    b.o = o;
    int status = PS_EXIT_OK;

    /* A live capture, or a file another program is still writing. */
    bool never_ends = source_has(src, SOURCE_CAP_GROWING);
    bool live = source_has(src, SOURCE_CAP_LIVE);
    if (flow_threads_fit(o, src))
        return flow_threads_run(o, src);
    struct pipeline_config pc;
    memset(&pc, 0, sizeof(pc));
    pc.filter = o->filter;
    pc.display_filter = o->display_filter;
    pc.write_file = o->write_file;
    pc.packet_buffered = o->packet_buffered;
    pc.rotate = o->rotate;
    pc.drop_privileges = true;
    pc.user = o->user;
    pc.verify_checksums = o->verify_checksums;
    pc.reassembly = !o->no_reassembly;
    pc.filter_view = o->mode == OUT_FIELDS || o->color; /* -T fields, colouring rules */
    /* Counts and connection rows read the layers, the summary and a few named fields, never a
     * header's bits one by one (dissect_options.lean) nor, but for the IP lengths, a header's
     * fields (dissect_options.headerless). --print's summary line (and -q's, -x's dump, -e's
     * link header) reads header fields but no bits: lean too, unless -V or tcpdump's -v (the
     * IP flags) print them. (Colouring rules and --columns' field columns read the packet
     * through the filter view, which the pipeline dissects in full.) */
    bool counts = o->mode == OUT_STATS || o->mode == OUT_CONNS;
    bool lines = (o->mode == OUT_PRINT || o->mode == OUT_DEFAULT) && !o->verbose && !o->tcpdump_v;
    pc.no_detail_fields = counts || lines;
    pc.no_header_fields = counts;
    if (o->columns && o->mode == OUT_PRINT && !o->brief) {
        b.columns = xmalloc(sizeof(*b.columns));
        columns_init(b.columns);
        /* checked when the options were read (main.c, settings.c) */
        if (columns_parse(b.columns, o->columns, errbuf, sizeof(errbuf)) < 0 ||
            columns_is_default(b.columns)) {
            columns_release(b.columns);
            free(b.columns);
            b.columns = NULL;
        }
    }
    if (b.columns && columns_need_fields(b.columns))
        pc.filter_view = true; /* a field column reads the packet as -T fields does */
    pc.shard_index = o->shard_index;
    pc.shard_count = o->shard_count;
    tracker_config_default(&pc.tracker);
    if (o->max_flows)
        pc.tracker.max_flows = o->max_flows;
    /* Memory follows the live flows, not every connection seen: a summary is let go once its
     * flow is over and its --conns row written. A file keeps every 5-tuple's stream number
     * (tshark's numbering; 56 bytes each); a capture that never ends lets those go too. */
    pc.tracker.max_conns = TRACKER_MAX_CONNS;
    pc.tracker.forget_stream_numbers = never_ends;
    /* A file ends every connection due at a frame at that frame, as --threads does. */
    pc.tracker.expire_all = !never_ends && !live;
    pc.tracker.conn_forget = conn_forgotten;
    pc.tracker.conn_end = conn_ended;
    pc.tracker.conn_ctx = &b;
    /* -2: the file opened a second time for the first pass, while the session may still read
     * what only root can; the pass itself runs once root is given up (pipeline_new). Without
     * reassembly it still learns where requests were answered. */
    struct source *first_pass = NULL;
    if (o->two_pass) {
        first_pass = file_source_open(o->read_file, false, errbuf);
        if (!first_pass) {
            fprintf(stderr, "pktscope: %s\n", errbuf);
            return PS_EXIT_USAGE;
        }
    }
    b.p = pipeline_new(src, &pc, errbuf);
    if (b.p && first_pass) {
        b.later_facts = pipeline_learn_later_facts(first_pass, &pc, errbuf);
        if (b.later_facts) {
            pipeline_set_later_facts(b.p, b.later_facts);
            if (later_facts_dropped(b.later_facts))
                fprintf(stderr,
                        "pktscope: -2: %" PRIu64 " facts from later frames (reassembled in, "
                        "answered in) were not kept past the cap of %" PRIu32 "\n",
                        later_facts_dropped(b.later_facts), LATER_FACTS_MAX);
        } else {
            pipeline_free(b.p);
            b.p = NULL;
        }
    } else if (first_pass) {
        source_close(first_pass);
    }
    if (!b.p) {
        fprintf(stderr, "pktscope: %s\n", errbuf);
        return PS_EXIT_USAGE;
    }
    b.tracker = pipeline_tracker(b.p);
    b.dfilter = o->display_filter != NULL;
    lines_init(&b.lines);
    lines_init(&b.forget_lines);
    json_buf_init(&b.json);
    json_buf_init(&b.jout);
    if (o->mode == OUT_STATS) {
        b.stats = xmalloc(sizeof(*b.stats));
        stats_init(b.stats);
    }
    if (o->mode == OUT_LADDER)
        b.ladder = ladder_new(o->ladder_stream, o->ladder_proto);
    if (o->mode == OUT_FLOW) /* flow */
        b.flow = flow_new();
    if (o->mode == OUT_COMPARE) {
        b.compare = xmalloc(sizeof(*b.compare));
        compare_init(b.compare, o->compare_tcp, o->compare_udp);
    }
    /* Flushing per packet costs a write() each (a quarter of --print's time into a pipe), so it is
     * done only where someone waits for each packet: a terminal, -l, or a pipe or socket fed by
     * a source that is still producing (live capture, --follow, --replay). A file or /dev/null
     * gets whole buffers, and is flushed whenever the source has nothing more for now. */
    bool producing = never_ends || o->replay_speed > 0 || o->step;
    b.flush_each = o->line_buffered || isatty(STDOUT_FILENO) || (producing && stdout_is_watched());
    /* stdio's whole buffer is 4 KB on a pipe, a file or /dev/null: --json's 3 KB a packet took
     * a write() each (258,645 for 300,000 generated packets). Where nobody waits for each line,
     * 64 KB a write. Nothing has been written to stdout yet. */
    static char stdout_buffer[64 * 1024];
    if (!b.flush_each)
        setvbuf(stdout, stdout_buffer, _IOFBF, sizeof(stdout_buffer));
    /* --threads: only where the text of a packet needs nothing but the packet, and nobody
     * waits for each line (text_threads.h). */
    bool print_mode = o->mode == OUT_PRINT || o->mode == OUT_DEFAULT;
    /* --print's summary line alone costs less to write than to hand over; a dump is worth it
     * (bench/RESULTS.md, 2026-12-04 15:00). Tried again with the prefetching threads and frames
     * read in place (2026-12-05 22:50): 0.64x one thread's wall when the VM's two vCPUs were in
     * their fast band, but in the slow one 1.03-1.09x for half as much CPU again, the reading
     * thread the slower of the two. The flow workers take plain --print on a file instead
     * (flow_threads_fit), each dissecting its own frames; what they do not take stays here. */
    bool threadable =
        o->mode == OUT_JSON || (print_mode && o->hex && !o->verbose && !b.columns && !o->color);
    if (o->threads > 1 && threadable && !o->quiet && !b.flush_each && !producing) {
        b.tt = text_threads_new(o->threads, text_of_packet, o, stdout);
        /* No packet has been read yet: every one is formatted where it was read. */
        (void)text_threads_read_in_place(b.tt, pipeline_source(b.p));
    }
    if (o->mode == OUT_CONNS) {
        b.conns_streaming = true;
        conns_stream_init(&b.cs, o->conns_format);
        if (b.dfilter)
            b.cs.sel = (struct conns_select){conn_matched, &b};
        if (o->conns_log) {
            /* A row comes up to the longest idle timeout after its connection's last packet:
             * an interval's file waits that long before it is closed. */
            const struct tracker_config *tc = &pc.tracker;
            uint32_t grace =
                tc->tcp_idle_sec > tc->udp_idle_sec ? tc->tcp_idle_sec : tc->udp_idle_sec;
            if (tc->icmp_idle_sec > grace)
                grace = tc->icmp_idle_sec;
            b.clog = connslog_open(o->conns_log, o->rotate.seconds, grace, o->conns_format,
                                   o->worker, errbuf);
            if (!b.clog) {
                fprintf(stderr, "pktscope: %s\n", errbuf);
                conns_stream_release(&b.cs);
                lines_release(&b.lines);
                lines_release(&b.forget_lines);
                json_buf_release(&b.json);
                json_buf_release(&b.jout);
                pipeline_free(b.p);
                later_facts_free(b.later_facts);
                return PS_EXIT_USAGE;
            }
            b.cs.row = connslog_row;
            b.cs.row_ctx = b.clog;
        }
    }
    if (o->mode == OUT_HOSTS || (o->mode == OUT_PRINT && o->verbose))
        hosts_setup(&b, o); /* -V: for the subnet test */
    if (o->mode == OUT_QUIZ) {
        b.quiz = quiz_new();
        for (size_t i = 0; i < o->nsubnets; i++)
            quiz_add_subnet(b.quiz, o->subnets[i]);
    }
    install_stop_signals(on_signal);

    struct replay_clock replay;
    replay_clock_init(&replay, o->replay_speed);
    struct packet pkt;
    struct pipeline_result res;
    struct progress progress;
    progress_start(&progress, src);
    bool draining = false;
    struct timespec drain_end = {0, 0};
    for (;;) {
        if (stop_requested && !draining) {
            /* Ctrl-C on a live capture: first take what the kernel already holds (bounded in
             * time), so "captured" matches "received by filter" whenever it can. */
            if (!live)
                break;
            draining = true;
            clock_gettime(CLOCK_MONOTONIC, &drain_end);
            drain_end.tv_nsec += DRAIN_MS * 1000000L;
            drain_end.tv_sec += drain_end.tv_nsec / 1000000000L;
            drain_end.tv_nsec %= 1000000000L;
        }
        if (draining && drain_done(src, &drain_end))
            break;
        int r = pipeline_read(b.p, &pkt, errbuf);
        if (r == SOURCE_AGAIN) {
            batch_text_flush(&b);
            if (b.conns_streaming && live) {
                /* A quiet interface: let flows time out by the clock that stamps its packets
                 * (their rows are written as they end). */
                struct timespec rt;
                clock_gettime(CLOCK_REALTIME, &rt);
                tracker_expire(b.tracker, (int64_t)rt.tv_sec, (uint32_t)rt.tv_nsec);
                if (b.clog)
                    connslog_tick(b.clog, (int64_t)rt.tv_sec);
            }
            if (b.clog && connslog_flush(b.clog, errbuf) < 0) {
                fprintf(stderr, "pktscope: %s\n", errbuf);
                status = PS_EXIT_USAGE;
                break;
            }
            if (b.flush_each || o->mode == OUT_PRINT || o->mode == OUT_JSON || b.conns_streaming)
                fflush(stdout);
            if (pipeline_flush(b.p, errbuf) < 0) {
                fprintf(stderr, "pktscope: %s\n", errbuf);
                status = PS_EXIT_USAGE;
                break;
            }
            wait_for_source(src, draining ? 20 : 250);
            continue;
        }
        if (r == SOURCE_EOF)
            break;
        progress_update(&progress);
        if (r == SOURCE_ERROR) {
            batch_text_flush(&b);
            fflush(stdout);
            fprintf(stderr, "pktscope: %s\n", errbuf);
            status = PS_EXIT_DAMAGED;
            break;
        }
        if (o->replay_speed > 0)
            replay_wait(&replay, &pkt);
        int pr = pipeline_process(b.p, &pkt, &res, errbuf);
        if (pr < 0) {
            fprintf(stderr, "pktscope: %s\n", errbuf);
            status = PS_EXIT_USAGE;
            break;
        }
        if (pr == ROTOR_DONE) { /* tcpdump's words */
            fprintf(stderr, "pktscope: Maximum file limit reached: %u\n", o->rotate.count);
            break;
        }
        if (b.clog)
            connslog_tick(b.clog, pkt.ts_sec);
        if (res.other_shard)
            continue; /* --shard: as if it had not been read */
        b.d = res.d;
        b.fp = res.has_fp ? &res.fp : NULL;
        if (!b.have_ref) {
            b.ref_sec = b.prev_sec = pkt.ts_sec;
            b.ref_nsec = b.prev_nsec = pkt.ts_nsec;
            b.have_ref = true;
        }
        if (!res.shown) {
            if (b.hosts) /* a DHCP lease still names the subnet */
                hosts_packet(b.hosts, res.d, pkt.ts_sec, pkt.ts_nsec, pkt.number, false);
            if (b.quiz) /* quiz: the same */
                quiz_add(b.quiz, res.d, &res.ti, pkt.ts_sec, pkt.ts_nsec, pkt.number, false);
            /* --conns -Y still hears of every packet: a connection can end on one that did
             * not match, and its row is due then if an earlier one did. */
            if (b.conns_streaming && (res.ti.flags & TI_HAS_STREAM)) {
                lines_reset(&b.lines);
                conns_stream_check(&b.cs, b.tracker, res.ti.proto, res.ti.stream, &b.lines);
                conns_flush(&b);
            }
            continue;
        }
        if (b.dfilter)
            mark_matched(&b, &res.ti);
        emit(&b, &pkt, &res.ti);
        b.prev_sec = pkt.ts_sec;
        b.prev_nsec = pkt.ts_nsec;
        b.shown++;
        if (b.out_error)
            break;
        if (o->count && b.shown >= o->count)
            break;
    }

    progress_end(&progress);
    batch_text_flush(&b);
    if (!b.out_error) {
        int st = finish(&b);
        if (st != PS_EXIT_OK && status == PS_EXIT_OK)
            status = st;
    }
    if ((fflush(stdout) != 0 || ferror(stdout)) && !b.out_error) {
        b.out_error = true;
        b.out_errno = errno;
    }
    if (b.clog && connslog_close(b.clog, errbuf) < 0) {
        fprintf(stderr, "pktscope: %s\n", errbuf);
        if (status == PS_EXIT_OK)
            status = PS_EXIT_USAGE;
    }
    int wr = pipeline_close_output(b.p, errbuf);
    if (wr < 0) {
        fprintf(stderr, "pktscope: %s\n", errbuf);
        if (status == PS_EXIT_OK)
            status = PS_EXIT_USAGE;
    } else if (wr > 0 && status == PS_EXIT_OK) {
        status = PS_EXIT_DAMAGED; /* -w could not hold every packet */
    }
    if (o->stats_fd >= 0) { /* a worker: the parent sums the counters (workers.h) */
        struct source *ws = pipeline_source(b.p);
        struct source_stats st;
        memset(&st, 0, sizeof(st));
        if (ws && ws->ops->stats)
            ws->ops->stats(ws, &st);
        workers_report(o, &st);
    } else {
        pipeline_print_kernel_stats(b.p, stderr);
    }

    text_threads_free(b.tt);
    if (b.conns_streaming)
        conns_stream_release(&b.cs);
    habits_release(&b); /* tsharkhabits */
    pipeline_free(b.p);
    later_facts_free(b.later_facts);
    free(b.stats);
    hosts_free(b.hosts);
    quiz_free(b.quiz);
    if (b.ladder)
        ladder_free(b.ladder);
    flow_free(b.flow); /* flow */
    free(b.compare);
    lines_release(&b.lines);
    if (b.columns) {
        columns_release(b.columns);
        free(b.columns);
    }
    lines_release(&b.forget_lines);
    json_buf_release(&b.json);
    json_buf_release(&b.jout);
    for (int i = 0; i < 4; i++)
        bitset_release(&b.dmatched[i]);
    /* A closed pipe (`| head`) is not an error of ours; a full disk is. */
    if (b.out_error && b.out_errno != EPIPE && status == PS_EXIT_OK) {
        fprintf(stderr, "pktscope: error writing the output: %s\n", strerror(b.out_errno));
        status = PS_EXIT_USAGE;
    }
    return status;
}
