/*
 * Ingest: packets come from the pipeline (which filters, dissects and tracks them), go into the
 * packet index and, when the list's filter passes them, into the list. --replay and --step hold
 * the next packet until its time or a step comes; a capture that never ends lets its oldest
 * packets go past --max-packets. Work is done in bounded slices of the UI's loop.
 *
 * A plain file is outlined first: a second reader reads only its records' headers, about as
 * fast as a bare read of the file, and every packet is listed (index_outline) before the
 * analysis, fifteen times slower, goes through them in order. Until it reaches a packet, that
 * packet is shown dissected on its own (ui_summary marks it pending).
 */
#include <string.h>

#include "capture/spool.h"
#include "track/hosts.h"
#include "ui/internal.h"

/* Packets let go at once: a quarter of the limit, so that the memmove is rare, and a multiple of
 * 8 so that the marks (a bit per packet) move by whole bytes. */
static size_t forget_step(size_t max_packets)
{
    size_t k = (max_packets / 4) & ~(size_t)7;
    return k < 8 ? 8 : k;
}

bool ingest_gated(const struct ui *ui)
{
    return ui->in.replay_speed > 0 || ui->in.pace_ms > 0 || ui->in.step_mode;
}

/* Reads ahead of the analysis: stepping or replaying, counts up to 4,096 records; otherwise
 * outlines records until the deadline and lists them when the list has no filter. */
static void read_ahead(struct ui *ui, int64_t deadline)
{
    struct ingest *in = &ui->in;
    struct packet_index entries[256];
    char err[PS_ERRBUF_SIZE];
    for (unsigned k = 0; !in->ahead_done; k++) {
        size_t n = 0;
        int r = file_source_index(in->ahead, entries, ARRAY_SIZE(entries), &n, err);
        if (in->outlining)
            index_outline(&ui->idx, in->ahead, entries, n);
        in->total += n;
        if (r != SOURCE_PACKET) {
            /* At the end (or at damage, where reading stops too) the count is the file's. */
            in->total_known = r == SOURCE_EOF || r == SOURCE_ERROR;
            in->ahead_done = true;
        } else if (in->outlining ? k % 16 == 15 && ui_now_ms() >= deadline : k == 15) {
            break;
        }
    }
    if (in->outlining)
        listfilter_outlined(ui);
    if (in->ahead_done && !in->outlining) {
        in->ahead->ops->close(in->ahead);
        in->ahead = NULL;
    }
}

bool ingest_total(const struct ui *ui, uint64_t *total)
{
    if (ui->in.eof && !ui->in.live) {
        *total = ui->idx.base + ui->idx.n + (ui->in.have_held ? 1 : 0);
        return true;
    }
    *total = ui->in.total;
    return ui->in.total_known;
}

static void keep_conn_after(struct ui *ui, size_t i, const struct track_info *ti)
{
    struct ingest *in = &ui->in;
    if (!ingest_gated(ui) || i != in->conn_after_n || i >= INGEST_MAX_CONN_AFTER)
        return;
    in->conn_after = xgrow(in->conn_after, &in->conn_after_cap, i + 1, sizeof(*in->conn_after));
    struct conn buf;
    const struct conn *c =
        (ti->flags & TI_HAS_STREAM) ? ui_conn(ui, ti->proto, ti->stream, &buf) : NULL;
    if (c)
        in->conn_after[i] = *c;
    else
        memset(&in->conn_after[i], 0, sizeof(in->conn_after[i]));
    in->conn_after_n = i + 1;
}

const struct conn *ingest_conn_after(const struct ui *ui, size_t idx)
{
    if (idx >= ui->in.conn_after_n || ui->in.conn_after[idx].proto == 0)
        return NULL;
    return &ui->in.conn_after[idx];
}

static void add_packet(struct ui *ui, const struct packet *pkt)
{
    struct pipeline_result res;
    char err[PS_ERRBUF_SIZE];
    /* The TUI's pipeline has no -w of its own (a spool writes it), so this cannot fail. */
    (void)pipeline_process(ui->pipe, pkt, &res, err);
    stats_add(ui->stats, pkt, res.d, &res.ti);
    hosts_packet(ui->network, res.d, pkt->ts_sec, pkt->ts_nsec, pkt->number, true);
    size_t i = index_add(&ui->idx, pkt, &res.ti);
    if (!ui->in.ti_error_shown && index_ti_error(&ui->idx)) {
        ui_message(ui, true, "%s", index_ti_error(&ui->idx));
        ui->in.ti_error_shown = true;
    }
    if (!ui->in.conns_error_shown && conns_store_error(ui->conns)) {
        ui_message(ui, true, "%s", conns_store_error(ui->conns));
        ui->in.conns_error_shown = true;
    }
    if (i > UINT32_MAX - 1)
        return;
    kept_add(ui, i, res.d, &res.ti);
    keep_conn_after(ui, i, &res.ti);
    if (listfilter_offer(ui, i, pkt, res.d)) {
        /* Paused, the display stays as it was; with --replay/--step, pausing stops the
         * packets themselves, so whatever is let in (a step) is shown. */
        if (!ui->paused || ingest_gated(ui))
            ui->paused_nshown = ui->lf.nshown;
    }
    if (ui->in.max_packets && ui->idx.n >= ui->in.max_packets)
        ui_forget_oldest(ui, forget_step(ui->in.max_packets));
}

/* Replay and --step hold the next packet until its time (or a step) comes. Returns true when
 * the held packet may go in now; *wait_ms says how long until it may. */
static bool replay_gate(struct ui *ui, int64_t *wait_ms)
{
    *wait_ms = -1;
    if (ui->paused) {
        if (ui->in.step_credit) {
            ui->in.step_credit--;
            replay_clock_restart(&ui->in.replay); /* re-anchor the clock after a pause */
            ui->in.paced_ms = ui_now_ms();        /* and the pace: a full S after a step */
            return true;
        }
        return false;
    }
    if (ui->in.pace_ms > 0) {
        int64_t now = ui_now_ms(), next = ui->in.paced_ms + ui->in.pace_ms;
        if (ui->in.paced_ms && now < next) {
            *wait_ms = next - now;
            return false;
        }
        ui->in.paced_ms = now;
        return true;
    }
    if (ui->in.replay_speed <= 0)
        return true;
    int64_t wait =
        replay_clock_wait_ms(&ui->in.replay, ui->in.held.ts_sec, ui->in.held.ts_nsec, ui_now_ms());
    if (wait <= 0)
        return true;
    *wait_ms = wait;
    return false;
}

static bool ingest_read(struct ui *ui, int64_t deadline, int64_t *wait_ms);

bool ingest_work(struct ui *ui, int64_t deadline, int64_t *wait_ms)
{
    bool reading_ahead = ui->in.ahead && !ui->in.ahead_done;
    if (reading_ahead) {
        read_ahead(ui, deadline);
        ui->dirty = true;
        if (ui->in.outlining) {
            /* The outline first, whole (a gigabyte in a few slices); then the analysis. */
            *wait_ms = -1;
            return true;
        }
    }
    bool more = ingest_read(ui, deadline, wait_ms);
    return more || (ui->in.ahead && !ui->in.ahead_done);
}

bool ingest_outlining(const struct ui *ui)
{
    return ui->in.outlining && !ui->in.ahead_done;
}

struct source *ingest_reader_of(struct ui *ui, size_t idx)
{
    /* A packet the analysis has not reached is read through the reader that outlined it: a
     * pcapng file's read_at() knows only the sections and interfaces its reader has passed. */
    if (idx >= ui->idx.n && ui->in.outlining)
        return ui->in.ahead;
    return ui_source(ui);
}

static bool ingest_read(struct ui *ui, int64_t deadline, int64_t *wait_ms)
{
    *wait_ms = -1;
    if (ui->in.eof || ui->lf.working || !ui_source(ui))
        return false;
    bool gated = ingest_gated(ui);
    for (unsigned k = 0;; k++) {
        if (gated && ui->in.have_held) {
            if (!replay_gate(ui, wait_ms))
                return false;
            ui->in.have_held = false;
            add_packet(ui, &ui->in.held);
            ui->dirty = true;
            continue;
        }
        if (ui->in.again)
            return false;
        struct packet pkt;
        int r = pipeline_read(ui->pipe, &pkt, ui->in.error);
        if (r == SOURCE_PACKET) {
            if (pkt.caplen > CAPTURE_MAX_PACKET)
                pkt.caplen = CAPTURE_MAX_PACKET;
            if (gated) {
                ui->in.held = pkt;
                if (pkt.caplen)
                    memcpy(ui->in.held_data, pkt.data, pkt.caplen);
                ui->in.held.data = ui->in.held_data;
                ui->in.held.comment = NULL;
                ui->in.held.comment_len = 0;
                ui->in.have_held = true;
            } else {
                add_packet(ui, &pkt);
            }
            ui->dirty = true;
        } else if (r == SOURCE_AGAIN) {
            ui->in.again = true;
            return false;
        } else {
            ui->in.eof = true;
            if (r == SOURCE_ERROR) {
                ui->in.damaged = true;
                ui_message(ui, true, "%s", ui->in.error);
            }
            /* Ended before the outline's end: the file shrank or changed under us, and the
             * packets the analysis read are the file's now. */
            if (ui->idx.outlined > ui->idx.n) {
                index_outline_trim(&ui->idx);
                listfilter_trim(ui, ui->idx.n);
            }
            ui->dirty = true;
            return false;
        }
        if (k % 64 == 63 && ui_now_ms() >= deadline)
            return true;
    }
}

/* A capture that never ends (live, --follow, or a stream such as -r - from a pipe) keeps its
 * newest packets listed; a file, whose size is its own bound, keeps them all. Only an index
 * whose packets are on disk can let entries go. */
static size_t live_packet_limit(const struct ingest *in, struct source *src)
{
    struct source *inner = src ? spool_source_inner(src) : NULL;
    bool stream = inner && !source_has(inner, SOURCE_CAP_RANDOM_ACCESS);
    if (!(in->live || stream) || !in->random_access || in->max_packets_arg == SIZE_MAX)
        return 0;
    return in->max_packets_arg;
}

static void ingest_set_source(struct ingest *in, struct source *src)
{
    in->live = source_has(src, SOURCE_CAP_GROWING);
    in->growing = in->live && !source_has(src, SOURCE_CAP_LIVE);
    in->random_access = source_has(src, SOURCE_CAP_RANDOM_ACCESS);
    in->max_packets = live_packet_limit(in, src);
    in->eof = in->again = false;
}

void ingest_init(struct ingest *in, const struct ui_args *args)
{
    memset(in, 0, sizeof(*in));
    in->max_packets_arg = args->max_packets ? args->max_packets : UI_DEFAULT_MAX_PACKETS;
    ingest_set_source(in, args->src);
    in->replay_speed = args->replay_speed;
    replay_clock_init(&in->replay, args->replay_speed);
    in->step_mode = args->step;
    in->pace_ms = (int64_t)(args->pace_sec * 1000.0 + 0.5);
    if (args->pace_sec > 0 && in->pace_ms < 1)
        in->pace_ms = 1;
    bool gated = in->replay_speed > 0 || in->step_mode || in->pace_ms > 0;
    if (gated)
        in->held_data = xmalloc(CAPTURE_MAX_PACKET);
    /* A plain file read whole (no BPF read filter, which -Y with an expression makes): a
     * second reader counts its packets while stepping, outlines them otherwise. */
    struct source *src = args->src;
    bool plain_file = src && !in->live && in->random_access && !spool_source_inner(src) &&
                      !(args->display_filter && args->filter) && src->name &&
                      strcmp(src->name, "-") != 0;
    char err[PS_ERRBUF_SIZE];
    if (plain_file)
        in->ahead = file_source_open(src->name, false, err);
    in->outlining = in->ahead && !gated;
}

void ingest_attach(struct ingest *in, struct source *src)
{
    if (in->ahead)
        in->ahead->ops->close(in->ahead);
    in->ahead = NULL;
    in->outlining = in->ahead_done = false;
    ingest_set_source(in, src);
}

bool ingest_waiting(const struct ui *ui)
{
    return ui->in.again && !ui->in.eof;
}

int ingest_wait_fd(const struct ui *ui)
{
    struct source *src = ui_source(ui);
    if (!ingest_waiting(ui) || !src || !src->ops->fd)
        return -1;
    return src->ops->fd(src);
}

void ingest_release(struct ingest *in)
{
    free(in->conn_after);
    in->conn_after = NULL;
    in->conn_after_n = in->conn_after_cap = 0;
    if (in->ahead)
        in->ahead->ops->close(in->ahead);
    in->ahead = NULL;
    in->outlining = in->ahead_done = false;
    free(in->held_data);
    in->held_data = NULL;
}

double ingest_rate(struct ui *ui)
{
    /* Packets per second over the last whole second or so. */
    uint64_t packets = ui->idx.base + ui->idx.n;
    int64_t t = ui_now_ms();
    if (t - ui->in.rate_ms >= 1000) {
        ui->in.rate = ui->in.rate_ms ? (double)(packets - ui->in.rate_n) * 1000.0 /
                                           (double)(t - ui->in.rate_ms)
                                     : 0;
        ui->in.rate_ms = t;
        ui->in.rate_n = packets;
    }
    return ui->in.rate;
}
