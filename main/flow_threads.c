/* --conns and --stats with --threads N on a file (flow_threads.h). */
#include "main/flow_threads.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dissect/annotate.h"
#include "dissect/fields.h"
#include "dissect/numbers.h"
#include "dissect/reasm.h"
#include "dissect/services.h"
#include "format/conns.h"
#include "filter/filter.h"
#include "format/line.h"
#include "main/open.h"
#include "main/print_text.h"
#include "main/progress.h"
#include "main/text_threads.h"
#include "pipeline/pipeline.h"
#include "track/track.h"
#include "util/bitset.h"
#include "util/bufpool.h"
#include "util/ptime.h"
#include "util/util.h"

#define FLOW_BLOCKS 8
#define FLOW_BLOCK_PACKETS 1024
/* A block is handed over once the reading buffers it holds reach this, whatever its frames:
 * a file of big records (pcapng sections of megabytes of comments) must not keep them all. */
#define FLOW_BLOCK_BUFFER_BYTES ((size_t)2 << 20)
/* Spare reading buffers kept for reuse, at most (the rest are freed). */
#define FLOW_SPARE_BYTES ((size_t)16 << 20)

struct frame {
    struct packet pkt; /* data: in one of the file source's reading buffers */
    uint32_t worker;
    /* The frame read before it (frame.time_delta): a worker sees only its own. */
    uint32_t prev_nsec;
    int64_t prev_sec;
};

/* What a worker did at one frame, in the order one thread would have done it: first the
 * reassembly memory other workers' frames let go (their datagrams timed out), the connections
 * that timed out (by idle list, then by last packet: flow_expire's order), then the stream
 * numbers taken, the protocol-hierarchy nodes and link types first seen, then the rest (rows
 * as they came), and the memory the frame's own reassembly took. */
enum event_kind {
    EV_MEM_DROPS,
    EV_TIMED_OUT,
    EV_NEW_STREAMS,
    EV_ANNOUNCE,
    EV_NEW_NODE,
    EV_NEW_LINKTYPE,
    EV_ROW,
    EV_MEM
};

struct event {
    uint64_t frame;
    uint32_t seq; /* the worker's order */
    uint8_t kind;
    uint8_t idle_list; /* EV_TIMED_OUT: tracker_ending_idle_list() */
    uint8_t slot;      /* EV_NEW_STREAMS: the protocol's slot */
    uint32_t worker;
    uint32_t first_new, nnew; /* EV_NEW_STREAMS: local stream numbers [first_new, +nnew) */
    int64_t first_sec;        /* EV_NEW_STREAMS: the first of them's first packet time */
    /* EV_NEW_NODE: the worker's node `item`, for `proto` under its node `parent`;
     * EV_NEW_LINKTYPE: its link type `item`, `linktype`. */
    uint32_t item, parent, proto, linktype;
    size_t mem_peak, mem_after; /* EV_MEM*: reassembly's most bytes in the frame, and after */
    size_t mem_shared_after;    /* EV_MEM*: of mem_after, what shared datagrams hold */
    size_t name;                /* rows: 1 + offset of the server name in names, 0 none */
    /* Rows: the summary (numbered by the worker) is conns[conn] of the worker's events, kept
     * apart so that an event stays small: --stats makes one at most frames (reassembly's
     * bytes), and with the summary in it each was 290 bytes to write and sort. */
    size_t conn;
    /* (conn, for EV_ANNOUNCE: the announcement in anns; for EV_NEW_STREAMS of TCP with
     * --conns: the first of the nnew connections' beginnings there.) */
    uint64_t last_packet; /* EV_TIMED_OUT: the summary's, for the order */
};

/* --print: the text of one of the worker's frames, text.buf[off, off + len). The summary of a
 * frame that reads its connection's announcement (format_summary_reads_announcement) was
 * formatted for every answer, enum announce's order, in this entry and the ANNOUNCE__COUNT - 1
 * after it (`variants`): one tracker may have marked the connection otherwise than the worker's
 * own table did, and the merger knows how (merge_beginnings). */
struct print_line {
    uint64_t frame;
    size_t off;
    uint32_t len;
    uint32_t stream; /* variants: the connection's stream number in the worker's tracker */
    bool variants;
};

struct events {
    struct event *v;
    size_t n, cap;
    /* --print: the worker's frames' text, in frame order */
    struct text_out text;
    struct print_line *lines;
    size_t nlines, lines_cap;
    struct conn *conns;
    size_t nconns, conns_cap;
    char *names;
    size_t names_len, names_cap;
    struct announcement *anns;
    size_t nanns, anns_cap;
};

struct block {
    struct frame *frames; /* their bytes are where the file source read them */
    size_t n, cap;
    /* Reading buffers the source went on from while this block was filled: free for reuse
     * once it is done (blocks are done in order, so no earlier one reads them any more). */
    struct buf_list retired;
    unsigned pending;  /* workers not done with it (under the lock) */
    struct events *ev; /* one list per worker */
};

struct worker {
    struct shared *sh;
    unsigned index;
    pthread_t thread;
    struct pipeline *p;
    struct tracker *t;
    struct conns_stream cs;
    struct lines unused;  /* conns_stream_* want somewhere to write; the rows are taken */
    struct lines scratch; /* --print: where a frame's lines are made */
    size_t known[4];      /* stream numbers taken so far, per slot */
    struct events *ev;    /* the block being worked on */
    uint64_t frame;
    uint32_t seq;
    /* The merger's: local stream number -> the one one tracker gives it. */
    uint32_t *number[4];
    size_t nnumber[4], number_cap[4];
    /* --stats: the counts of its frames, what of them was reported, and the merger's maps of
     * its nodes and link types into the total's (STATS_NONE: none there, past a cap). */
    struct stats *stats;
    uint32_t known_nodes, known_linktypes;
    size_t mem_after;            /* reassembly's bytes after its last event */
    uint64_t announcements_seen; /* --conns: its tracker's announcements told so far */
    /* The merger's: how each of its TCP connections (by local stream number) began, as one
     * tracker would have marked it (enum announce). */
    uint8_t *announced;
    size_t nannounced, announced_cap;
    uint16_t node_in_total[STATS_MAX_NODES];
    uint8_t linktype_in_total[STATS_MAX_LINKTYPES];
    /* The merger's: its reassembly's bytes at the frame merged, but for shared datagrams'. */
    size_t own_merged;
    struct bitset matched[4]; /* -Y with --conns: its streams with a matching packet, per slot */
    /* Reading the file itself (shared.own_reading): its reading pipeline over a source of its
     * own (worker 0's is the run's), the times of the frames read so far, and how its reading
     * ended. */
    struct pipeline *reader;
    bool have_first;
    int64_t first_sec, prev_sec;
    uint32_t first_nsec, prev_nsec;
    int read_status; /* SOURCE_EOF, SOURCE_ERROR (read_error says why), or 0: stopped */
    /* Stopped by Ctrl-C or a failed output (under the lock): workers stop at different frames
     * of their last block, and --print writes no frame past the first that stopped's last. */
    bool interrupted;
    uint64_t last_frame; /* the last frame worked on */
    char read_error[PS_ERRBUF_SIZE];
};

#define STATS_NONE 0xfffe

struct shared {
    const struct options *o;
    unsigned nworkers;
    bool print; /* --print's text (flow_threads_fit), not --conns' rows nor --stats' counts */
    /* Each worker reads the whole file through a source of its own and works on its frames
     * as they arrive, instead of being handed them by the reading thread: a frame's bytes are
     * then in the cache of the core that dissects them (handed over, they came from the
     * reader's core, and the worker dissected at two thirds of one thread's pace). Block k is
     * frames [k * FLOW_BLOCK_PACKETS + 1, ...] for every worker, so the merger sees the same
     * blocks. Not for a pipe, which only one reader can read. */
    bool own_reading;
    bool abandon;              /* own_reading: the output failed, workers stop (atomic) */
    unsigned finished;         /* own_reading: workers that stopped reading (under the lock) */
    struct progress *progress; /* own_reading: drawn by worker 0 */
    struct worker *w;
    struct block blocks[FLOW_BLOCKS];
    pthread_mutex_t lock;
    pthread_cond_t work, done;
    uint64_t published; /* blocks handed to the workers */
    bool eof;
    /* The merger (the reading thread). */
    uint64_t merged;
    uint32_t next_number[4];
    bool any_stream;
    int64_t open_sec; /* Zeek's #open: the first connection's start */
    bool header_done;
    struct lines out;
    bool out_error;
    int out_errno;
    /* --stats: the totals (nodes and link types made in order of first frame as the workers'
     * come; counts added at the end) and reassembly's bytes over every worker. */
    struct stats *total;
    size_t mem_now, mem_peak;
    /* Of mem_now, what shared datagrams hold: every worker holds every one of them
     * (pipeline_frame_worker, reasm_share_frame), so they count once. */
    size_t shared_now;
    bool reassembly;
    /* --conns: FTP's announcements, replayed in frame order (track.h). */
    struct announcements *ann;
    /* The capture's first frame's time (frame.time_relative), set before any block is handed
     * over; the reading thread's last frame's. */
    bool have_first;
    int64_t first_sec, prev_sec;
    uint32_t first_nsec, prev_nsec;
    struct text_out print_out; /* --print: the block's text in frame order */
    /* The reading thread's: the block being filled, and reading buffers free for reuse. */
    struct block *filling;
    struct bufpool spares;
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

/* Whether -Y can be matched in the workers: not when it names what only one tracker over
 * every frame knows -- stream numbers (taken in the order of all workers' frames) and DHCP
 * exchanges (a client's broadcasts and the server's replies are different address pairs). A
 * filter that does not compile stays on one thread, which says why. */
static bool filter_fits(const char *expr)
{
    static const uint16_t global[] = {FID_TCP_STREAM,        FID_UDP_STREAM,    FID_ICMP_STREAM,
                                      FID_PS_DHCP_EXCHANGE,  FID_PS_DHCP_FIRST, FID_PS_DHCP_PREV,
                                      FID_PS_DHCP_REQUEST_IN};
    if (!expr)
        return true;
    struct dfilter *f = NULL;
    char err[256];
    if (dfilter_compile(expr, &f, err, sizeof(err)) < 0)
        return false;
    bool fits = true;
    for (size_t i = 0; i < ARRAY_SIZE(global); i++)
        fits = fits && !dfilter_names_field(f, global[i]);
    dfilter_free(f);
    return fits;
}

/* --print's text that print_text_append() makes (the summary or -q line, -v's, -e's), but a
 * dump's: formatting that is the formatting threads' work (text_threads.h), and a block of
 * dumps would hold megabytes. Not where someone waits for each line (-l, a terminal), not with
 * -z's tables, and --time=delta only without -Y: the frame shown before is no worker's to
 * know. */
static bool print_fits(const struct options *o)
{
    bool print_mode = o->mode == OUT_PRINT || o->mode == OUT_DEFAULT;
    bool tables = o->nzconv || o->zphs || o->zfollow_proto;
    bool delta_filtered = o->time_format == FMT_TIME_DELTA && o->display_filter;
    return print_mode && !o->verbose && !o->hex && !o->columns && !o->color && !tables &&
           !delta_filtered && !o->line_buffered && !isatty(STDOUT_FILENO);
}

bool flow_threads_fit(const struct options *o, struct source *src)
{
    /* The Zeek form's #open is the first summary's start when the first row is written: with
     * -Y that may be late, after summaries began anew, which the workers do not report. */
    bool zeek_filtered = o->conns_format == CONNS_ZEEK && o->display_filter;
    bool mode = (o->mode == OUT_CONNS && !zeek_filtered) || (o->mode == OUT_STATS && !o->color) ||
                print_fits(o);
    return mode && o->threads > 1 && !o->write_file && !o->conns_log && !o->shard_count &&
           !o->two_pass && !o->count && o->replay_speed <= 0 && !o->step && !o->nzorder &&
           !o->quiet && !o->max_flows && o->stats_fd < 0 && file_source_is(src) &&
           !source_has(src, SOURCE_CAP_GROWING) && filter_fits(o->display_filter);
}

/* ---- the workers ------------------------------------------------------------------------ */

static struct event *event_add(struct worker *w, enum event_kind kind)
{
    struct events *ev = w->ev;
    ev->v = xgrow(ev->v, &ev->cap, ev->n + 1, sizeof(*ev->v));
    struct event *e = &ev->v[ev->n++];
    memset(e, 0, sizeof(*e));
    e->frame = w->frame;
    e->seq = w->seq++;
    e->kind = (uint8_t)kind;
    e->worker = w->index;
    return e;
}

/* conns_stream: a connection's row is due; numbered and written by the merger. */
static void row_taken(void *ctx, const struct tracker *t, const struct conn *c)
{
    struct worker *w = ctx;
    int idle = tracker_ending_idle_list(t);
    struct event *e = event_add(w, idle >= 0 ? EV_TIMED_OUT : EV_ROW);
    e->idle_list = (uint8_t)(idle >= 0 ? idle : 0);
    e->last_packet = c->last_packet;
    struct events *ev = w->ev;
    ev->conns = xgrow(ev->conns, &ev->conns_cap, ev->nconns + 1, sizeof(*ev->conns));
    e->conn = ev->nconns;
    ev->conns[ev->nconns++] = *c;
    const char *name = tracker_server_name(t, c);
    if (name) {
        size_t n = strlen(name) + 1;
        ev->names = xgrow(ev->names, &ev->names_cap, ev->names_len + n, 1);
        memcpy(ev->names + ev->names_len, name, n);
        e->name = ev->names_len + 1;
        ev->names_len += n;
    }
}

/* Told to the tracker with --stats too, as batch_run() does: with conn_end set, a 5-tuple
 * seen again after its end begins a new summary. */
static void conn_ended(void *ctx, const struct conn *c)
{
    struct worker *w = ctx;
    if (!w->stats && !w->sh->print)
        conns_stream_emit(&w->cs, w->t, c, &w->unused);
}

static void conn_forgotten(void *ctx, const struct conn *c)
{
    struct worker *w = ctx;
    int slot = tracker_proto_slot(c->proto);
    if (slot >= 0) /* a summary under this number again needs a match of its own */
        bitset_clear(&w->matched[slot], c->id);
    if (!w->stats && !w->sh->print)
        conns_stream_let_go(&w->cs, w->t, c, &w->unused);
}

/* -Y with --conns: a connection gets its row when one of its packets matched (batch.c). */
static bool conn_matched(void *ctx, const struct conn *c)
{
    struct worker *w = ctx;
    int slot = tracker_proto_slot(c->proto);
    return slot >= 0 && bitset_test(&w->matched[slot], c->id);
}

static void note_beginnings(struct worker *w, struct event *e);

/* Stream numbers the packet just processed took (at most one per protocol, in practice). */
static void note_new_streams(struct worker *w)
{
    for (int s = 0; s < 4; s++) {
        size_t n = tracker_conn_count(w->t, tracker_slot_proto(s));
        if (n <= w->known[s])
            continue;
        struct event *e = event_add(w, EV_NEW_STREAMS);
        e->slot = (uint8_t)s;
        e->first_new = (uint32_t)w->known[s];
        e->nnew = (uint32_t)(n - w->known[s]);
        const struct conn *c = tracker_conn(w->t, tracker_slot_proto(s), e->first_new);
        e->first_sec = c ? c->first_sec : 0;
        w->known[s] = n;
        if (tracker_slot_proto(s) == PS_IPPROTO_TCP)
            note_beginnings(w, e);
    }
}

static struct announcement *announcement_add(struct events *ev)
{
    ev->anns = xgrow(ev->anns, &ev->anns_cap, ev->nanns + 1, sizeof(*ev->anns));
    struct announcement *a = &ev->anns[ev->nanns++];
    memset(a, 0, sizeof(*a));
    return a;
}

/* EV_NEW_STREAMS of TCP: where and when each of its connections began, for the merger to find
 * the announcement one tracker would have matched it with (FTP data). */
static void note_beginnings(struct worker *w, struct event *e)
{
    e->conn = w->ev->nanns;
    for (uint32_t k = 0; k < e->nnew; k++) {
        const struct conn *c = tracker_conn(w->t, PS_IPPROTO_TCP, e->first_new + k);
        struct announcement *a = announcement_add(w->ev);
        if (!c)
            continue;
        a->when_ns = ptime_ns(c->first_sec, c->first_nsec);
        a->addr_len = c->addr_len;
        a->port = c->resp_port;
        memcpy(a->addr, c->resp_addr, c->addr_len);
    }
}

/* --conns: what the frame's FTP control connection announced, for the merger's table. */
static void note_announcements(struct worker *w)
{
    uint64_t made = tracker_announcements(w->t);
    for (; w->announcements_seen < made; w->announcements_seen++) {
        struct event *e = event_add(w, EV_ANNOUNCE);
        e->conn = w->ev->nanns;
        tracker_announcement(w->t, w->announcements_seen, announcement_add(w->ev));
    }
}

/* --stats: the nodes and link types the packet just counted was the first to reach. */
static void note_new_counts(struct worker *w)
{
    const struct stats *st = w->stats;
    for (; w->known_nodes < st->nnodes; w->known_nodes++) {
        struct event *e = event_add(w, EV_NEW_NODE);
        e->item = w->known_nodes;
        e->parent = st->nodes[w->known_nodes].parent;
        e->proto = st->nodes[w->known_nodes].proto;
    }
    for (; w->known_linktypes < st->nlinktypes; w->known_linktypes++) {
        struct event *e = event_add(w, EV_NEW_LINKTYPE);
        e->item = w->known_linktypes;
        e->linktype = st->linktypes[w->known_linktypes];
    }
}

/* Reassembly's memory, when the frame changed it: `kind` EV_MEM for the worker's own frame,
 * EV_MEM_DROPS for another's (only timeouts let go of memory then). */
static void note_memory(struct worker *w, enum event_kind kind)
{
    struct reasm *r = pipeline_reasm(w->p);
    if (!r)
        return;
    const struct reasm_stats *rs = reasm_stats(r);
    if (rs->bytes_frame_peak == w->mem_after && rs->bytes_now == w->mem_after)
        return;
    struct event *e = event_add(w, kind);
    e->mem_peak = rs->bytes_frame_peak;
    e->mem_after = rs->bytes_now;
    e->mem_shared_after = rs->shared.bytes_now;
    w->mem_after = rs->bytes_now;
}

/* --print: the text of the worker's frame shown, for the merger to write in frame order; the
 * time is measured from the capture's first frame, or with --time=delta from the frame before
 * (flow_threads_fit: every frame is shown then). */
static void print_frame(struct worker *w, const struct packet *pkt,
                        const struct pipeline_result *res, int64_t first_sec, uint32_t first_nsec,
                        int64_t prev_sec, uint32_t prev_nsec)
{
    const struct options *o = w->sh->o;
    bool delta = o->time_format == FMT_TIME_DELTA;
    int64_t ref_sec = delta ? prev_sec : first_sec;
    uint32_t ref_nsec = delta ? prev_nsec : first_nsec;
    struct events *ev = w->ev;
    struct track_info ti = res->ti;
    bool variants = (ti.flags & TI_HAS_STREAM) && ti.proto == PS_IPPROTO_TCP &&
                    format_summary_reads_announcement(res->d);
    unsigned n = variants ? ANNOUNCE__COUNT : 1;
    for (unsigned k = 0; k < n; k++) {
        if (variants)
            ti.announced = (uint8_t)k;
        size_t off = ev->text.len;
        print_text_append(o, &w->scratch, &ev->text, pkt, res->d, &ti, ref_sec, ref_nsec);
        ev->lines = xgrow(ev->lines, &ev->lines_cap, ev->nlines + 1, sizeof(*ev->lines));
        ev->lines[ev->nlines++] = (struct print_line){
            pkt->number, off, (uint32_t)(ev->text.len - off), ti.stream, variants};
    }
}

/* One frame of the capture: `owner` is pipeline_frame_worker()'s answer, this worker's own
 * frame, another's, or every worker's (an IP fragment: each reassembles it, and goes on with it
 * only if it is its own); prev_*: the frame read before it (frame.time_delta), first_*: the
 * capture's first. */
static void work_frame(struct worker *w, const struct packet *pkt, uint32_t owner,
                       int64_t first_sec, uint32_t first_nsec, int64_t prev_sec, uint32_t prev_nsec)
{
    char errbuf[PS_ERRBUF_SIZE];
    w->frame = pkt->number;
    if (owner != w->index && owner != PIPELINE_EVERY_WORKER) {
        /* Another worker's frame: only its time, which may end flows and time out datagrams
         * here too. */
        tracker_expire(w->t, pkt->ts_sec, pkt->ts_nsec);
        struct reasm *r = pipeline_reasm(w->p);
        if (r) {
            reasm_frame(r, pkt->number, pkt->ts_sec);
            note_memory(w, EV_MEM_DROPS);
        }
        return;
    }
    struct pipeline_result res;
    pipeline_set_times(w->p, first_sec, first_nsec, prev_sec, prev_nsec);
    if (owner != PIPELINE_EVERY_WORKER) {
        (void)pipeline_process(w->p, pkt, &res, errbuf); /* fails only writing -w */
    } else {
        (void)pipeline_process_shared(w->p, pkt, &res, errbuf);
        if (res.other_shard) {
            /* Reassembled here too, someone else's: only its time, as for another's frame. */
            tracker_expire(w->t, pkt->ts_sec, pkt->ts_nsec);
            note_memory(w, EV_MEM_DROPS);
            return;
        }
    }
    if (w->stats) {
        if (res.shown)
            stats_add(w->stats, pkt, res.d, &res.ti);
        note_new_counts(w);
        note_memory(w, EV_MEM);
        return;
    }
    /* The connections that began and what FTP announced: the merger marks FTP data as one
     * tracker would have, for --conns' rows and --print's lines. */
    note_new_streams(w);
    note_announcements(w);
    if (w->sh->print) {
        if (res.shown)
            print_frame(w, pkt, &res, first_sec, first_nsec, prev_sec, prev_nsec);
        return;
    }
    if (res.shown && w->sh->o->display_filter && (res.ti.flags & TI_HAS_STREAM)) {
        int slot = tracker_proto_slot(res.ti.proto);
        if (slot >= 0)
            bitset_set(&w->matched[slot], res.ti.stream);
    }
    if (res.ti.flags & TI_HAS_STREAM)
        conns_stream_check(&w->cs, w->t, res.ti.proto, res.ti.stream, &w->unused);
}

static void work_block(struct worker *w, struct block *b)
{
    w->ev = &b->ev[w->index];
    const struct shared *sh = w->sh;
    for (size_t i = 0; i < b->n; i++) {
        const struct frame *f = &b->frames[i];
        work_frame(w, &f->pkt, f->worker, sh->first_sec, sh->first_nsec, f->prev_sec, f->prev_nsec);
    }
}

/* own_reading: reads block after block of the file, each once the merger has let go of its
 * slot, works on every frame of it, and says when it is done with it; at the end of the file
 * (or its damage, or Ctrl-C) it stops, done with the block it was in. */
static void *worker_main_own(void *arg)
{
    struct worker *w = arg;
    struct shared *sh = w->sh;
    int status = SOURCE_PACKET;
    uint64_t last_frame = 0;
    for (uint64_t seq = 0; status == SOURCE_PACKET; seq++) {
        pthread_mutex_lock(&sh->lock);
        while (seq >= sh->merged + FLOW_BLOCKS)
            pthread_cond_wait(&sh->work, &sh->lock);
        pthread_mutex_unlock(&sh->lock);
        struct block *b = &sh->blocks[seq % FLOW_BLOCKS];
        w->ev = &b->ev[w->index];
        for (size_t i = 0; i < FLOW_BLOCK_PACKETS; i++) {
            if (__atomic_load_n(&stop_requested, __ATOMIC_RELAXED) ||
                __atomic_load_n(&sh->abandon, __ATOMIC_RELAXED)) {
                status = 0;
                break;
            }
            struct packet pkt;
            status = pipeline_read(w->reader, &pkt, w->read_error);
            if (status != SOURCE_PACKET)
                break;
            if (w->index == 0)
                progress_update(sh->progress);
            /* As pipeline_process() keeps them: the first frame is its own previous one. */
            if (!w->have_first) {
                w->have_first = true;
                w->first_sec = w->prev_sec = pkt.ts_sec;
                w->first_nsec = w->prev_nsec = pkt.ts_nsec;
            }
            uint32_t owner = pipeline_frame_worker(&pkt, sh->nworkers, sh->reassembly);
            work_frame(w, &pkt, owner, w->first_sec, w->first_nsec, w->prev_sec, w->prev_nsec);
            last_frame = pkt.number;
            w->prev_sec = pkt.ts_sec;
            w->prev_nsec = pkt.ts_nsec;
        }
        pthread_mutex_lock(&sh->lock);
        w->last_frame = last_frame;
        w->interrupted = status == 0;
        if (--b->pending == 0)
            pthread_cond_broadcast(&sh->done);
        if (status != SOURCE_PACKET) {
            w->read_status = status;
            sh->finished++;
            pthread_cond_broadcast(&sh->done);
        }
        pthread_mutex_unlock(&sh->lock);
    }
    return NULL;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct shared *sh = w->sh;
    for (uint64_t seq = 0;; seq++) {
        pthread_mutex_lock(&sh->lock);
        while (seq >= sh->published && !sh->eof)
            pthread_cond_wait(&sh->work, &sh->lock);
        bool have = seq < sh->published;
        pthread_mutex_unlock(&sh->lock);
        if (!have)
            break;
        struct block *b = &sh->blocks[seq % FLOW_BLOCKS];
        work_block(w, b);
        pthread_mutex_lock(&sh->lock);
        if (--b->pending == 0)
            pthread_cond_broadcast(&sh->done);
        pthread_mutex_unlock(&sh->lock);
    }
    return NULL;
}

/* ---- the merger ------------------------------------------------------------------------- */

static int event_order(const void *pa, const void *pb)
{
    const struct event *a = *(const struct event *const *)pa;
    const struct event *b = *(const struct event *const *)pb;
    if (a->frame != b->frame)
        return a->frame < b->frame ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->kind == EV_TIMED_OUT) {
        if (a->idle_list != b->idle_list)
            return a->idle_list < b->idle_list ? -1 : 1;
        if (a->last_packet != b->last_packet)
            return a->last_packet < b->last_packet ? -1 : 1;
    }
    if (a->worker != b->worker)
        return a->worker < b->worker ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void header(struct shared *sh, int64_t open_sec)
{
    if (sh->header_done)
        return;
    sh->header_done = true;
    if (sh->o->conns_format == CONNS_TEXT)
        conns_header(&sh->out);
    else if (sh->o->conns_format == CONNS_ZEEK)
        conns_zeek_header(open_sec, &sh->out);
}

/* One row: the worker's summary under the number one tracker gives it. */
static void row(struct shared *sh, const struct worker *w, const struct conn *c, const char *name)
{
    int s = tracker_proto_slot(c->proto);
    struct conn numbered = *c;
    if (s >= 0 && c->id < w->nnumber[s])
        numbered.id = w->number[s][c->id];
    /* How it began as one tracker saw it, not as its worker's own table did. */
    if (c->proto == PS_IPPROTO_TCP && sh->ann)
        numbered.announced = c->id < w->nannounced ? w->announced[c->id] : ANNOUNCE_NONE;
    header(sh, sh->open_sec);
    conns_line(sh->o->conns_format, &numbered, name, &sh->out);
}

static void write_out(struct shared *sh)
{
    if (sh->out.n == 0)
        return;
    lines_print(&sh->out, stdout);
    lines_reset(&sh->out);
    if (ferror(stdout) && !sh->out_error) {
        sh->out_error = true;
        sh->out_errno = errno;
    }
}

/* --stats, in frame order: one thread's reassembly peak is the most any frame's own
 * reassembly reached on top of what the other workers held then; the totals' nodes and link
 * types are made in order of their first frame over all workers. */
static void merge_count_event(struct shared *sh, struct worker *w, const struct event *e)
{
    struct stats *t = sh->total;
    if (e->kind == EV_MEM_DROPS || e->kind == EV_MEM) {
        /* The other workers' own bytes; the shared datagrams, which every worker holds alike,
         * are in the event's own bytes. */
        size_t others = sh->mem_now - sh->shared_now - w->own_merged;
        if (others + e->mem_peak > sh->mem_peak)
            sh->mem_peak = others + e->mem_peak;
        w->own_merged = e->mem_after - e->mem_shared_after;
        sh->shared_now = e->mem_shared_after;
        sh->mem_now = others + e->mem_after;
    } else if (e->kind == EV_NEW_NODE) {
        /* A top-level node's parent is 0xffff (format/stats.c), in the total as well. */
        uint32_t parent = e->parent == 0xffff ? 0xffff : w->node_in_total[e->parent];
        uint32_t n = STATS_NONE;
        for (uint32_t i = 0; i < t->nnodes && parent != STATS_NONE; i++)
            if (t->nodes[i].parent == parent && t->nodes[i].proto == e->proto)
                n = i;
        if (n == STATS_NONE && parent != STATS_NONE && t->nnodes < STATS_MAX_NODES) {
            n = t->nnodes++;
            t->nodes[n].parent = (uint16_t)parent;
            t->nodes[n].proto = (uint16_t)e->proto;
        }
        w->node_in_total[e->item] = (uint16_t)n;
    } else {
        uint32_t n = 0;
        while (n < t->nlinktypes && t->linktypes[n] != e->linktype)
            n++;
        if (n == t->nlinktypes && n < STATS_MAX_LINKTYPES)
            t->linktypes[t->nlinktypes++] = e->linktype;
        w->linktype_in_total[e->item] = (uint8_t)(n < t->nlinktypes ? n : 0xff);
    }
}

/* EV_NEW_STREAMS of TCP: each connection that began is matched with the announcements made
 * before it, in frame order, as one tracker matches it when it begins (FTP data). */
static void merge_beginnings(struct worker *w, const struct event *e, const struct events *ev,
                             struct announcements *ann)
{
    size_t need = (size_t)e->first_new + e->nnew;
    w->announced = xgrow(w->announced, &w->announced_cap, need, 1);
    for (size_t k = w->nannounced; k < e->first_new; k++)
        w->announced[k] = ANNOUNCE_NONE;
    for (uint32_t k = 0; k < e->nnew; k++)
        w->announced[e->first_new + k] = announcements_match(ann, &ev->anns[e->conn + k]);
    if (w->nannounced < need)
        w->nannounced = need;
}

/* --print: the block's text, the workers' frames merged in frame order (each worker's are in
 * order already), a frame of FTP data with the summary of how one tracker marked its connection
 * (the block's events merged first: its connection began at this frame or before); none past
 * frame `last`, where every worker is known to have come. */
static void merge_print(struct shared *sh, struct block *b, uint64_t last)
{
    size_t pos[TEXT_THREADS_MAX] = {0};
    struct text_out *out = &sh->print_out;
    out->len = 0;
    for (;;) {
        int next = -1;
        uint64_t frame = 0;
        for (unsigned i = 0; i < sh->nworkers; i++) {
            const struct events *ev = &b->ev[i];
            if (pos[i] < ev->nlines && (next < 0 || ev->lines[pos[i]].frame < frame)) {
                next = (int)i;
                frame = ev->lines[pos[i]].frame;
            }
        }
        if (next < 0 || frame > last)
            break;
        const struct events *ev = &b->ev[next];
        const struct print_line *l = &ev->lines[pos[next]];
        if (l->variants) {
            const struct worker *w = &sh->w[next];
            uint8_t a = l->stream < w->nannounced ? w->announced[l->stream] : ANNOUNCE_NONE;
            pos[next] += ANNOUNCE__COUNT;
            l += a < ANNOUNCE__COUNT ? a : ANNOUNCE_NONE;
        } else {
            pos[next]++;
        }
        text_out_put(out, ev->text.buf + l->off, l->len);
    }
    if (out->len && !sh->out_error && fwrite(out->buf, 1, out->len, stdout) != out->len) {
        sh->out_error = true;
        sh->out_errno = errno;
    }
}

/* Waits until every worker is done with block seq, writes what they found in it in one
 * tracker's order, and makes it free. */
static void merge_block(struct shared *sh, uint64_t seq)
{
    struct block *b = &sh->blocks[seq % FLOW_BLOCKS];
    pthread_mutex_lock(&sh->lock);
    while (b->pending)
        pthread_cond_wait(&sh->done, &sh->lock);
    uint64_t last = UINT64_MAX; /* a worker stopped by Ctrl-C: the last frame it worked on */
    for (unsigned i = 0; i < sh->nworkers; i++)
        if (sh->w[i].interrupted && sh->w[i].last_frame < last)
            last = sh->w[i].last_frame;
    pthread_mutex_unlock(&sh->lock);
    size_t n = 0;
    for (unsigned i = 0; i < sh->nworkers; i++)
        n += b->ev[i].n;
    const struct event **order = n ? xmalloc(n * sizeof(*order)) : NULL;
    n = 0;
    for (unsigned i = 0; i < sh->nworkers; i++)
        for (size_t k = 0; k < b->ev[i].n; k++)
            order[n++] = &b->ev[i].v[k];
    if (n > 1)
        qsort(order, n, sizeof(*order), event_order);
    for (size_t k = 0; k < n; k++) {
        const struct event *e = order[k];
        struct worker *w = &sh->w[e->worker];
        if (e->kind == EV_MEM_DROPS || e->kind == EV_MEM || e->kind == EV_NEW_NODE ||
            e->kind == EV_NEW_LINKTYPE) {
            merge_count_event(sh, w, e);
            continue;
        }
        if (e->kind == EV_NEW_STREAMS) {
            int s = e->slot;
            size_t need = (size_t)e->first_new + e->nnew;
            w->number[s] = xgrow(w->number[s], &w->number_cap[s], need, sizeof(uint32_t));
            for (uint32_t j = 0; j < e->nnew; j++)
                w->number[s][e->first_new + j] = sh->next_number[s]++;
            if (w->nnumber[s] < need)
                w->nnumber[s] = need;
            if (!sh->any_stream) {
                sh->any_stream = true;
                sh->open_sec = e->first_sec;
            }
            if (sh->ann && tracker_slot_proto(s) == PS_IPPROTO_TCP)
                merge_beginnings(w, e, &b->ev[e->worker], sh->ann);
            continue;
        }
        if (e->kind == EV_ANNOUNCE) {
            announcements_add(sh->ann, &b->ev[e->worker].anns[e->conn]);
            continue;
        }
        const struct events *ev = &b->ev[e->worker];
        row(sh, w, &ev->conns[e->conn], e->name ? ev->names + e->name - 1 : NULL);
    }
    free(order);
    if (sh->print)
        merge_print(sh, b, last);
    for (unsigned i = 0; i < sh->nworkers; i++) {
        b->ev[i].n = 0;
        b->ev[i].nconns = 0;
        b->ev[i].names_len = 0;
        b->ev[i].nanns = 0;
        b->ev[i].text.len = 0;
        b->ev[i].nlines = 0;
    }
    bufpool_keep(&sh->spares, &b->retired);
    write_out(sh);
}

/* One of the summaries left at the end, as conns_stream_finish() walks them. */
struct kept {
    const struct conn *c;
    const struct worker *w;
    uint32_t number;
};

/* Protocol slot s's next summary over every worker: each worker's summaries come in its own
 * stream order, and its streams were numbered in that order (merge_block), so the lowest
 * number among the workers' next ones is next. pos[i] is how far worker i has come. False
 * when none is left. Merging in place, not gathering every summary into one sorted list: that
 * list and qsort's copy of it were the peak of a capture of a million connections. */
static bool kept_next(const struct shared *sh, int s, size_t *pos, struct kept *out)
{
    bool any = false;
    for (unsigned i = 0; i < sh->nworkers; i++) {
        const struct worker *w = &sh->w[i];
        const struct conn *c = tracker_conn_nth(w->t, tracker_slot_proto(s), pos[i]);
        if (!c)
            continue;
        uint32_t number = c->id < w->nnumber[s] ? w->number[s][c->id] : c->id;
        if (!any || number < out->number)
            *out = (struct kept){c, w, number};
        any = true;
    }
    return any;
}

/* conns_stream_finish() over every worker's tracker at once: the summaries kept, per protocol
 * in stream order, merged by first packet; rows for those not written yet; Zeek's #close. */
static void finish(struct shared *sh)
{
    size_t *pos[4];
    struct kept head[4];
    bool have[4];
    for (int s = 0; s < 4; s++) {
        pos[s] = xcalloc(sh->nworkers, sizeof(**pos));
        have[s] = kept_next(sh, s, pos[s], &head[s]);
    }
    /* next_conn() in format/conns.c: the lowest first packet among the protocols' next. */
    bool any = false;
    int64_t last = 0;
    for (;;) {
        int best = -1;
        for (int s = 0; s < 4; s++)
            if (have[s] && (best < 0 || head[s].c->first_packet < head[best].c->first_packet))
                best = s;
        if (best < 0)
            break;
        const struct kept k = head[best];
        pos[best][k.w->index]++;
        have[best] = kept_next(sh, best, pos[best], &head[best]);
        header(sh, k.c->first_sec);
        if (!any || k.c->last_sec > last)
            last = k.c->last_sec;
        any = true;
        bool kept = !sh->o->display_filter || conn_matched((void *)k.w, k.c);
        if (!conns_stream_printed(&k.w->cs, k.c) && kept)
            row(sh, k.w, k.c, tracker_server_name(k.w->t, k.c));
        if (sh->out.n >= 1024)
            write_out(sh);
    }
    header(sh, 0);
    if (sh->o->conns_format == CONNS_ZEEK)
        conns_zeek_close(last, &sh->out);
    write_out(sh);
    for (int s = 0; s < 4; s++)
        free(pos[s]);
}

/* --stats: the workers' counts added into the total, whose nodes and link types are in
 * order of first frame already; then written as batch_run() writes them. */
static void finish_stats(struct shared *sh)
{
    struct stats *t = sh->total;
    struct tracker_totals tt, wtt;
    struct reasm_stats rs;
    memset(&tt, 0, sizeof(tt));
    memset(&rs, 0, sizeof(rs));
    bool reassembly = false;
    for (unsigned i = 0; i < sh->nworkers; i++) {
        const struct worker *w = &sh->w[i];
        const struct stats *s = w->stats;
        if (s->packets) {
            bool earlier = !t->packets || s->first_sec < t->first_sec ||
                           (s->first_sec == t->first_sec && s->first_nsec < t->first_nsec);
            bool later = !t->packets || s->last_sec > t->last_sec ||
                         (s->last_sec == t->last_sec && s->last_nsec > t->last_nsec);
            if (earlier) {
                t->first_sec = s->first_sec;
                t->first_nsec = s->first_nsec;
            }
            if (later) {
                t->last_sec = s->last_sec;
                t->last_nsec = s->last_nsec;
            }
        }
        t->packets += s->packets;
        t->bytes += s->bytes;
        t->wire_bytes += s->wire_bytes;
        t->truncated += s->truncated;
        t->malformed += s->malformed;
        t->unsupported += s->unsupported;
        t->linktype_other += s->linktype_other;
        for (uint32_t k = 0; k < s->nlinktypes; k++) {
            uint8_t m = w->linktype_in_total[k];
            if (m < t->nlinktypes)
                t->linktype_packets[m] += s->linktype_packets[k];
            else
                t->linktype_other += s->linktype_packets[k];
        }
        t->nodes_dropped += s->nodes_dropped;
        for (uint32_t k = 0; k < s->nnodes; k++) {
            uint16_t m = w->node_in_total[k];
            if (m < t->nnodes) {
                t->nodes[m].packets += s->nodes[k].packets;
                t->nodes[m].bytes += s->nodes[k].bytes;
            } else {
                t->nodes_dropped += s->nodes[k].packets;
            }
        }
        for (size_t k = 0; k < ARRAY_SIZE(t->anomalies); k++)
            t->anomalies[k] += s->anomalies[k];
        for (size_t k = 0; k < ARRAY_SIZE(t->analysis); k++)
            t->analysis[k] += s->analysis[k];
        for (size_t k = 0; k < ARRAY_SIZE(t->phases); k++)
            t->phases[k] += s->phases[k];
        tracker_totals(w->t, &wtt);
        tracker_totals_add(&tt, &wtt);
        struct reasm *r = pipeline_reasm(w->p);
        if (r) {
            reassembly = true;
            reasm_finish(r);
            const struct reasm_stats *a = reasm_stats(r);
            /* Every worker reassembled the shared datagrams alike: counted once. */
            bool first = i == 0;
            rs.datagrams_completed += a->datagrams_completed - (first ? 0 : a->shared.completed);
            rs.datagrams_timed_out += a->datagrams_timed_out - (first ? 0 : a->shared.timed_out);
            rs.datagrams_dropped += a->datagrams_dropped - (first ? 0 : a->shared.dropped);
            rs.fragments_overlapping +=
                a->fragments_overlapping - (first ? 0 : a->shared.overlapping);
            rs.bytes_now += a->bytes_now - (first ? 0 : a->shared.bytes_now);
            rs.pdus_reassembled += a->pdus_reassembled;
            rs.pdus_dropped += a->pdus_dropped;
            rs.stream_holes += a->stream_holes;
            rs.segments_out_of_order += a->segments_out_of_order;
            rs.streams_evicted_for_memory += a->streams_evicted_for_memory;
        }
    }
    rs.bytes_peak = sh->mem_peak;
    lines_reset(&sh->out);
    if (sh->o->stats_json) {
        struct json_buf jb;
        json_buf_init(&jb);
        format_stats_json(&jb, t, &tt, reassembly ? &rs : NULL);
        fwrite(jb.buf, 1, jb.len, stdout);
        fputc('\n', stdout);
        json_buf_release(&jb);
    } else {
        format_stats(&sh->out, t, &tt, reassembly ? &rs : NULL);
        write_out(sh);
    }
}

/* own_reading: merges block after block as every worker is done with it and hands its slot
 * back; ends when the workers have stopped and the next block is not done by all of them
 * (after Ctrl-C they may stop in different blocks: what all of them did is written). */
static void merge_own(struct shared *sh)
{
    for (;;) {
        struct block *b = &sh->blocks[sh->merged % FLOW_BLOCKS];
        pthread_mutex_lock(&sh->lock);
        while (b->pending && sh->finished < sh->nworkers)
            pthread_cond_wait(&sh->done, &sh->lock);
        bool ready = b->pending == 0;
        pthread_mutex_unlock(&sh->lock);
        if (!ready)
            break;
        merge_block(sh, sh->merged);
        pthread_mutex_lock(&sh->lock);
        b->pending = sh->nworkers;
        sh->merged++;
        pthread_cond_broadcast(&sh->work);
        pthread_mutex_unlock(&sh->lock);
        if (sh->out_error)
            break;
    }
    /* Workers still reading (the output failed) stop, and those waiting for a slot go. */
    __atomic_store_n(&sh->abandon, true, __ATOMIC_RELAXED);
    pthread_mutex_lock(&sh->lock);
    sh->merged += FLOW_BLOCKS;
    pthread_cond_broadcast(&sh->work);
    pthread_mutex_unlock(&sh->lock);
}

/* ---- the reading thread ----------------------------------------------------------------- */

/* cap / n, at least `least`: a worker's share of one thread's cap (0, none, stays none). */
static uint32_t share(uint32_t cap, unsigned n, uint32_t least)
{
    if (cap == 0)
        return 0;
    uint32_t s = cap / n;
    return s > least ? s : least;
}

static bool start_workers(struct shared *sh, const struct pipeline_config *pc, char *errbuf)
{
    /* Each worker holds 1/N of what one thread may hold, so that N threads hold no more: of
     * the flow table, the summaries and stream numbers kept, and reassembly's memory (at least
     * twice its longest message, so that a worker reassembles what one thread does). */
    unsigned n = sh->nworkers;
    struct tracker_config tc = pc->tracker;
    tc.max_flows = share(tc.max_flows, n, 1);
    tc.max_conns = share(tc.max_conns, n, 1);
    tc.max_stream_keys = share(tc.max_stream_keys, n, 1);
    struct reasm_limits rl;
    reasm_default_limits(&rl);
    size_t bytes = rl.max_bytes / n;
    rl.max_bytes = bytes > 2 * (size_t)rl.max_pdu ? bytes : 2 * (size_t)rl.max_pdu;
    /* Not max_datagrams: every worker holds every datagram of the fragments all are given
     * (pipeline_frame_worker), one thread's count. */
    rl.max_streams = share(rl.max_streams, n, 1);
    for (unsigned i = 0; i < sh->nworkers; i++) {
        struct worker *w = &sh->w[i];
        w->sh = sh;
        w->index = i;
        struct pipeline_config wc = *pc;
        wc.tracker = tc;
        wc.reasm_limits = &rl;
        wc.filter = NULL;
        wc.display_filter = sh->o->display_filter; /* flow_threads_fit: it fits */
        wc.drop_privileges = false;                /* the reading pipeline gave them up already */
        wc.tracker.conn_end = conn_ended;
        wc.tracker.conn_forget = conn_forgotten;
        wc.tracker.conn_ctx = w;
        w->p = pipeline_new(NULL, &wc, errbuf);
        if (!w->p)
            return false;
        w->t = pipeline_tracker(w->p);
        pipeline_set_worker(w->p, i, n);
        if (sh->o->mode == OUT_STATS) {
            w->stats = xmalloc(sizeof(*w->stats));
            stats_init(w->stats);
        }
        conns_stream_init(&w->cs, sh->o->conns_format);
        w->cs.taken = row_taken;
        w->cs.row_ctx = w;
        if (sh->o->display_filter)
            w->cs.sel = (struct conns_select){conn_matched, w};
        lines_init(&w->unused);
        lines_init(&w->scratch);
    }
    /* Tables a display filter loads on first use (services, vendors: filter/eval.c) are
     * loaded now, before workers could race to load them; without a filter nobody does
     * (reading the vendor table was a quarter of the reading thread's work on 100,000
     * packets). */
    if (sh->o->display_filter) {
        (void)services_from_file();
        (void)oui_have_database();
    }
    for (unsigned i = 0; i < sh->nworkers; i++)
        if (pthread_create(&sh->w[i].thread, NULL, sh->own_reading ? worker_main_own : worker_main,
                           &sh->w[i]) != 0) {
            ps_err(errbuf, "cannot start --threads' workers: %s", strerror(errno));
            /* Those started end at once: nothing is published (or, reading for themselves,
             * they stop at their next frame and wait for no slot). */
            __atomic_store_n(&sh->abandon, true, __ATOMIC_RELAXED);
            pthread_mutex_lock(&sh->lock);
            sh->eof = true;
            if (sh->own_reading)
                sh->merged += FLOW_BLOCKS;
            pthread_cond_broadcast(&sh->work);
            pthread_mutex_unlock(&sh->lock);
            for (unsigned k = 0; k < i; k++)
                pthread_join(sh->w[k].thread, NULL);
            sh->nworkers = 0;
            return false;
        }
    return true;
}

/* file_source_hand_over(): a reading buffer of at least *cap bytes, a spare one if one is
 * big enough (its pages are memory already: a new one is page faults). */
static uint8_t *buffer_fresh(void *ctx, size_t *cap)
{
    return bufpool_take(&((struct shared *)ctx)->spares, cap);
}

/* file_source_hand_over(): the buffer the frames read so far are in; theirs until the block
 * being filled is done. */
static void buffer_retire(void *ctx, uint8_t *p, size_t cap)
{
    buf_list_add(&((struct shared *)ctx)->filling->retired, p, cap);
}

static void block_add(struct shared *sh, struct block *b, const struct packet *pkt, uint32_t worker)
{
    b->frames = xgrow(b->frames, &b->cap, b->n + 1, sizeof(*b->frames));
    struct frame *f = &b->frames[b->n++];
    f->pkt = *pkt;
    f->worker = worker;
    /* As pipeline_process() keeps them: the first frame is its own previous one. */
    if (!sh->have_first) {
        sh->have_first = true;
        sh->first_sec = sh->prev_sec = pkt->ts_sec;
        sh->first_nsec = sh->prev_nsec = pkt->ts_nsec;
    }
    f->prev_sec = sh->prev_sec;
    f->prev_nsec = sh->prev_nsec;
    sh->prev_sec = pkt->ts_sec;
    sh->prev_nsec = pkt->ts_nsec;
}

static void publish(struct shared *sh, struct block *b)
{
    pthread_mutex_lock(&sh->lock);
    b->pending = sh->nworkers;
    sh->published++;
    pthread_cond_broadcast(&sh->work);
    pthread_mutex_unlock(&sh->lock);
}

/* Merges, without waiting, the blocks every worker is done with. */
static void merge_ready(struct shared *sh)
{
    while (sh->merged < sh->published) {
        pthread_mutex_lock(&sh->lock);
        bool ready = sh->blocks[sh->merged % FLOW_BLOCKS].pending == 0;
        pthread_mutex_unlock(&sh->lock);
        if (!ready)
            return;
        merge_block(sh, sh->merged++);
    }
}

/* Frames of a file's beginning that say whether one worker would have nearly all of them. */
#define FLOW_SAMPLE_FRAMES 16384

/* Whether nine in ten of the first FLOW_SAMPLE_FRAMES frames of src's file go to one of n
 * workers: one connection, or one host pair without TCP. Every worker reading the file itself
 * then leaves one worker with the whole work and its own reading on top (1.04x one thread's
 * wall, when the real-traffic benchmark capture between two hosts still went by address pair),
 * where a reading thread that hands the frames over takes the reading off it (0.86x). Read
 * through a source of its own: src is not moved. */
static bool one_worker_has_most(struct source *src, unsigned n, bool reassembly)
{
    char errbuf[PS_ERRBUF_SIZE];
    struct source *sample = file_source_open(src->name, false, errbuf);
    if (!sample)
        return false;
    size_t count[TEXT_THREADS_MAX] = {0}, total = 0;
    struct packet pkt;
    while (total < FLOW_SAMPLE_FRAMES && source_next(sample, &pkt, errbuf) == SOURCE_PACKET) {
        uint32_t owner = pipeline_frame_worker(&pkt, n, reassembly);
        if (owner != PIPELINE_EVERY_WORKER)
            count[owner]++;
        total++;
    }
    source_close(sample);
    size_t most = 0;
    for (unsigned i = 0; i < n; i++)
        most = count[i] > most ? count[i] : most;
    return total > 0 && most * 10 >= total * 9;
}

/* own_reading: sources of their own on src's file for workers 1 to n - 1 (own[1..]), opened
 * while the privileges that opened src are still held. False (none kept) for a pipe, for a
 * capture whose frames nearly all go to one worker, or when one cannot be opened or is not the
 * same file (renamed over since): the reading thread hands the frames over then. */
static bool open_own_sources(struct source *src, unsigned n, bool reassembly, struct source **own)
{
    if (n < 2 || !source_has(src, SOURCE_CAP_RANDOM_ACCESS) ||
        one_worker_has_most(src, n, reassembly))
        return false;
    char errbuf[PS_ERRBUF_SIZE];
    /* All of them read the bytes the file has now, should another program still be writing
     * it: each would otherwise stop where it found the end. */
    uint64_t done, size;
    file_source_progress(src, &done, &size);
    if (size == 0)
        return false;
    for (unsigned i = 1; i < n; i++) {
        own[i] = file_source_open(src->name, false, errbuf);
        if (own[i])
            file_source_stop_at(own[i], size);
        if (!own[i] || !file_source_same_file(src, own[i])) {
            for (unsigned k = 1; k <= i; k++) {
                if (own[k])
                    source_close(own[k]);
                own[k] = NULL;
            }
            return false;
        }
    }
    file_source_stop_at(src, size);
    return true;
}

int flow_threads_run(const struct options *o, struct source *src)
{
    char errbuf[PS_ERRBUF_SIZE];
    char read_error[PS_ERRBUF_SIZE] = "";
    int status = PS_EXIT_OK;
    struct pipeline_config pc;
    memset(&pc, 0, sizeof(pc));
    pc.filter = o->filter;
    pc.drop_privileges = true;
    pc.user = o->user;
    pc.verify_checksums = o->verify_checksums;
    pc.reassembly = !o->no_reassembly;
    /* As batch_run(): --conns and --stats read no header's field but the IP lengths, --print's
     * lines no header's bits unless -v's line prints the IP flags. */
    bool print = print_fits(o);
    pc.no_detail_fields = !(print && o->tcpdump_v);
    pc.no_header_fields = !print;
    tracker_config_default(&pc.tracker);
    if (o->max_flows)
        pc.tracker.max_flows = o->max_flows;
    pc.tracker.max_conns = TRACKER_MAX_CONNS;
    pc.tracker.expire_all = true;
    unsigned nworkers = o->threads > TEXT_THREADS_MAX ? TEXT_THREADS_MAX : o->threads;
    struct source *own[TEXT_THREADS_MAX] = {NULL};
    bool own_reading = open_own_sources(src, nworkers, pc.reassembly, own);
    /* The reading pipelines only read and filter: no reassembly of their own. The first gives
     * up the privileges. */
    struct pipeline_config rc = pc;
    rc.reassembly = false;
    struct pipeline *reader = pipeline_new(src, &rc, errbuf);
    if (!reader) {
        fprintf(stderr, "pktscope: %s\n", errbuf);
        for (unsigned i = 1; i < nworkers; i++)
            if (own[i])
                source_close(own[i]);
        return PS_EXIT_USAGE;
    }

    struct shared *sh = xcalloc(1, sizeof(*sh));
    bufpool_init(&sh->spares, FLOW_SPARE_BYTES);
    sh->o = o;
    sh->nworkers = nworkers;
    sh->print = print;
    sh->own_reading = own_reading;
    sh->reassembly = pc.reassembly;
    if (o->mode == OUT_CONNS || print)
        sh->ann = announcements_new();
    sh->w = xcalloc(sh->nworkers, sizeof(*sh->w));
    if (own_reading) {
        rc.drop_privileges = false; /* given up already */
        sh->w[0].reader = reader;
        for (unsigned i = 1; i < nworkers; i++) {
            sh->w[i].reader = pipeline_new(own[i], &rc, errbuf);
            if (!sh->w[i].reader) { /* the same file and filter as the first: not expected */
                fprintf(stderr, "pktscope: %s\n", errbuf);
                /* pipeline_new closed own[i]; the pipelines before it close theirs. */
                for (unsigned k = 1; k < nworkers; k++)
                    if (k > i)
                        source_close(own[k]);
                    else if (k < i)
                        pipeline_free(sh->w[k].reader);
                free(sh->w);
                free(sh);
                pipeline_free(reader);
                return PS_EXIT_USAGE;
            }
        }
    }
    pthread_mutex_init(&sh->lock, NULL);
    pthread_cond_init(&sh->work, NULL);
    pthread_cond_init(&sh->done, NULL);
    for (int i = 0; i < FLOW_BLOCKS; i++) {
        sh->blocks[i].ev = xcalloc(sh->nworkers, sizeof(struct events));
        sh->blocks[i].pending = own_reading ? sh->nworkers : 0; /* own_reading: every slot */
    }
    lines_init(&sh->out);
    if (o->mode == OUT_STATS) {
        sh->total = xmalloc(sizeof(*sh->total));
        stats_init(sh->total);
    }
    unsigned made = sh->nworkers;
    if (!own_reading)
        (void)file_source_hand_over(src, buffer_fresh, buffer_retire, sh); /* a file: fit */
    /* As batch_run(): whole buffers of 64 KB where nobody waits for each line. */
    static char stdout_buffer[64 * 1024];
    setvbuf(stdout, stdout_buffer, _IOFBF, sizeof(stdout_buffer));
    install_stop_signals(on_signal);
    struct progress progress;
    progress_start(&progress, src);
    sh->progress = &progress;
    if (!start_workers(sh, &pc, errbuf)) {
        fprintf(stderr, "pktscope: %s\n", errbuf);
        status = PS_EXIT_USAGE;
    }
    if (own_reading && sh->nworkers) {
        merge_own(sh);
        for (unsigned i = 0; i < sh->nworkers; i++)
            pthread_join(sh->w[i].thread, NULL);
        progress_end(&progress);
        /* Every worker read the same bytes: the first one's damage is the file's, told after
         * what was read before it (as one thread tells it). */
        for (unsigned i = 0; i < sh->nworkers; i++)
            if (sh->w[i].read_status == SOURCE_ERROR) {
                fflush(stdout);
                fprintf(stderr, "pktscope: %s\n", sh->w[i].read_error);
                status = PS_EXIT_DAMAGED;
                break;
            }
    }
    bool more = sh->nworkers > 0 && !own_reading;
    while (more && !stop_requested && !sh->out_error) {
        if (sh->published - sh->merged == FLOW_BLOCKS)
            merge_block(sh, sh->merged++);
        struct block *b = &sh->blocks[sh->published % FLOW_BLOCKS];
        b->n = 0;
        sh->filling = b;
        while (b->n < FLOW_BLOCK_PACKETS && b->retired.bytes < FLOW_BLOCK_BUFFER_BYTES) {
            struct packet pkt;
            int r = pipeline_read(reader, &pkt, errbuf);
            if (r == SOURCE_AGAIN) {
                /* A pipe with nothing yet (-r -): wait for it, or for Ctrl-C. */
                if (stop_requested) {
                    more = false;
                    break;
                }
                struct pollfd pfd = {.fd = src->ops->fd ? src->ops->fd(src) : -1, .events = POLLIN};
                poll(pfd.fd >= 0 ? &pfd : NULL, pfd.fd >= 0 ? 1 : 0, 100);
                continue;
            }
            if (r == SOURCE_EOF) {
                more = false;
                break;
            }
            progress_update(&progress);
            if (r == SOURCE_ERROR) {
                /* told once the frames read before it are written */
                snprintf(read_error, sizeof(read_error), "%s", errbuf);
                status = PS_EXIT_DAMAGED;
                more = false;
                break;
            }
            block_add(sh, b, &pkt, pipeline_frame_worker(&pkt, sh->nworkers, sh->reassembly));
        }
        if (b->n || b->retired.n)
            publish(sh, b);
        merge_ready(sh);
    }
    if (!own_reading) {
        progress_end(&progress);
        pthread_mutex_lock(&sh->lock);
        sh->eof = true;
        pthread_cond_broadcast(&sh->work);
        pthread_mutex_unlock(&sh->lock);
        while (sh->merged < sh->published)
            merge_block(sh, sh->merged++);
        for (unsigned i = 0; i < sh->nworkers; i++)
            pthread_join(sh->w[i].thread, NULL);
        if (read_error[0]) {
            fflush(stdout);
            fprintf(stderr, "pktscope: %s\n", read_error);
        }
    }
    if (sh->nworkers && !sh->out_error && o->mode == OUT_STATS)
        finish_stats(sh);
    else if (sh->nworkers && !sh->out_error && !print)
        finish(sh);
    if ((fflush(stdout) != 0 || ferror(stdout)) && !sh->out_error) {
        sh->out_error = true;
        sh->out_errno = errno;
    }
    /* A closed pipe (`| head`) is not an error of ours; a full disk is. */
    if (sh->out_error && sh->out_errno != EPIPE && status == PS_EXIT_OK) {
        fprintf(stderr, "pktscope: error writing the output: %s\n", strerror(sh->out_errno));
        status = PS_EXIT_USAGE;
    }

    for (unsigned i = 0; i < made; i++) {
        struct worker *w = &sh->w[i];
        if (w->p) {
            conns_stream_release(&w->cs);
            lines_release(&w->unused);
            lines_release(&w->scratch);
            pipeline_free(w->p);
        }
        if (i > 0)
            pipeline_free(w->reader); /* and its source; worker 0's is the run's */
        for (int s = 0; s < 4; s++) {
            free(w->number[s]);
            bitset_release(&w->matched[s]);
        }
        free(w->announced);
        free(w->stats);
    }
    free(sh->total);
    announcements_free(sh->ann);
    for (int i = 0; i < FLOW_BLOCKS; i++) {
        struct block *b = &sh->blocks[i];
        for (unsigned k = 0; k < made; k++) {
            free(b->ev[k].v);
            free(b->ev[k].conns);
            free(b->ev[k].names);
            free(b->ev[k].anns);
            free(b->ev[k].text.buf);
            free(b->ev[k].lines);
        }
        free(b->ev);
        free(b->frames);
        buf_list_free(&b->retired);
    }
    bufpool_free(&sh->spares);
    free(sh->print_out.buf);
    lines_release(&sh->out);
    pthread_mutex_destroy(&sh->lock);
    pthread_cond_destroy(&sh->work);
    pthread_cond_destroy(&sh->done);
    free(sh->w);
    free(sh);
    pipeline_free(reader);
    return status;
}
