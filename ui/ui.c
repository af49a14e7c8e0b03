/*
 * The TUI's application: the views (three panes and a stack of full-screen views above them),
 * the selection, the marks, the keys and the mouse turned into requests, and the one poll() loop
 * that serves the keyboard, the packet source and the background work. The parts with their own
 * state live in their own files: terminal.c (taking and restoring the terminal, signals),
 * draw.c (drawing and layout), ingest.c (packets coming in), listfilter.c (the list's display
 * filter), search.c, prompt.c, save.c.
 *
 * Why a poll loop with slices rather than threads: the tracker must see packets in capture
 * order and the views read the same index, so one thread that never blocks (libpcap's
 * selectable fd, tig's get_input) keeps the model consistent without locks; every long job
 * (indexing a 1 GB file, applying a filter, searching) runs in ~15 ms slices between keys, with a
 * progress bar, and Esc cancels it.
 */
#include <errno.h>
#include <inttypes.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dissect/numbers.h"
#include "track/hosts.h"
#include "ui/internal.h"
#include "ui/settings.h"

#define SLICE_MS 15
#define FRAME_MS 33

/* ---- small helpers -------------------------------------------------------------------- */

int64_t ui_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void ui_message(struct ui *ui, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ui->msg, sizeof(ui->msg), fmt, ap);
    va_end(ap);
    ui->msg_error = error;
    ui->dirty = true;
}

bool ui_is_marked(const struct ui *ui, size_t idx)
{
    return idx / 8 < ui->marks_cap && (ui->marks[idx / 8] & (1u << (idx % 8)));
}

static void toggle_mark(struct ui *ui, size_t idx)
{
    if (idx / 8 >= ui->marks_cap) {
        size_t old = ui->marks_cap;
        ui->marks = xgrow(ui->marks, &ui->marks_cap, idx / 8 + 1, 1);
        memset(ui->marks + old, 0, ui->marks_cap - old);
    }
    ui->marks[idx / 8] ^= (uint8_t)(1u << (idx % 8));
}

/* ---- drawing helpers -------------------------------------------------------------------- */

static struct view *top_view(struct ui *ui)
{
    if (ui->depth > 0)
        return ui->stack[ui->depth - 1];
    return &ui->panes[ui->focus];
}

void ui_push_view(struct ui *ui, const struct view_ops *ops)
{
    if (ui->depth > 0 && ui->stack[ui->depth - 1]->ops == ops) {
        /* Re-opening the view on top re-targets it. */
        ui_pop_view(ui);
    }
    if (ui->depth == UI_MAX_VIEWS)
        ui_pop_view(ui);
    struct view *v = xcalloc(1, sizeof(*v));
    v->ops = ops;
    ui->stack[ui->depth++] = v;
    ui_layout(ui);
    if (ops->open)
        ops->open(ui, v);
    ui->dirty = true;
}

void ui_pop_view(struct ui *ui)
{
    if (ui->depth == 0)
        return;
    struct view *v = ui->stack[--ui->depth];
    if (v->ops->close)
        v->ops->close(ui, v);
    free(v);
    ui->dirty = true;
}

int ui_read_packet(struct ui *ui, size_t idx, struct packet *pkt, char *errbuf)
{
    return index_read(&ui->idx, ingest_reader_of(ui, idx), idx, pkt, errbuf);
}

const struct summary *ui_summary(struct ui *ui, size_t idx)
{
    struct sum_slot *slot = &ui->cache[idx % SUM_CACHE_SIZE];
    bool analysed = idx < ui->idx.n;
    if (slot->idx == idx + 1 && slot->analysed == analysed)
        return &slot->s;
    struct packet pkt;
    char err[PS_ERRBUF_SIZE];
    if (ui_read_packet(ui, idx, &pkt, err) != SOURCE_PACKET)
        return NULL;
    ui_dissect(ui, idx, &pkt, ui->scratch);
    struct track_info ti_buf;
    format_summary(&slot->s, ui->scratch, index_ti(&ui->idx, idx, &ti_buf));
    if (!analysed) {
        /* Listed from the outline: the Phase column says so (the layers pane says why). */
        snprintf(slot->s.phase, sizeof(slot->s.phase), "pending");
        slot->s.phase_attr = ATTR_DIM;
    }
    slot->idx = idx + 1;
    slot->analysed = analysed;
    return &slot->s;
}

size_t ui_visible_count(const struct ui *ui)
{
    return ui->paused && ui->paused_nshown <= ui->lf.nshown ? ui->paused_nshown : ui->lf.nshown;
}

size_t ui_asof_count(const struct ui *ui)
{
    if (!ui->paused)
        return ui->idx.n;
    size_t vis = ui_visible_count(ui);
    size_t n = vis ? (size_t)ui_shown_at(ui, vis - 1) + 1 : 0;
    return n < ui->idx.n ? n : ui->idx.n;
}

bool ui_stepping(const struct ui *ui)
{
    return ui->paused || ingest_gated(ui);
}

void ui_step(struct ui *ui, int dir)
{
    if (!ui->paused) {
        ui->paused = true;
        ui->paused_nshown = ui_visible_count(ui);
        replay_clock_restart(&ui->in.replay);
    }
    if (ui->paused_nshown > ui->lf.nshown)
        ui->paused_nshown = ui->lf.nshown;
    if (dir > 0) {
        if (ui->paused_nshown < ui->lf.nshown)
            ui->paused_nshown++; /* read already (after a step back, or read on while paused) */
        else if (ingest_gated(ui) && !ui->in.eof)
            ui->in.step_credit++;
        else if (ui->in.eof)
            ui_message(ui, false, "that is the last packet (, steps back, p plays on)");
        else
            ui_message(ui, false, "no further packet yet");
    } else {
        /* A step forward not taken yet (keys typed faster than packets came) is undone first. */
        if (ui->in.step_credit)
            ui->in.step_credit--;
        else if (ui->paused_nshown > 1) {
            ui->paused_nshown--;
            ui->step_back_count++;
        } else
            ui_message(ui, false, "this is the first packet (. steps forward)");
    }
    ui->follow_new = ingest_gated(ui);
    if (ui->paused_nshown) {
        ui->sel = ui->paused_nshown - 1;
        ui_load_selection(ui);
    }
    ui->dirty = true;
}

static void notify_select(struct ui *ui)
{
    for (int i = 0; i < ui->depth; i++)
        if (ui->stack[i]->ops->select)
            ui->stack[i]->ops->select(ui, ui->stack[i]);
}

void ui_load_selection(struct ui *ui)
{
    size_t n = ui_visible_count(ui);
    if (n == 0) {
        if (ui->cur_idx != SIZE_MAX) {
            ui->cur_idx = SIZE_MAX;
            ui->pkt_ok = false;
            view_layers_reload(ui);
            view_bytes_reload(ui);
        }
        return;
    }
    if (ui->sel >= n)
        ui->sel = n - 1;
    size_t idx = ui_shown_at(ui, ui->sel);
    if (idx == ui->cur_idx)
        return;
    ui->cur_idx = idx;
    struct packet pkt;
    char err[PS_ERRBUF_SIZE];
    ui->pkt_ok = false;
    if (ui_read_packet(ui, idx, &pkt, err) == SOURCE_PACKET) {
        ui->pkt = pkt;
        if (pkt.caplen)
            memcpy(ui->pdata, pkt.data, pkt.caplen);
        ui->pkt.data = ui->pdata;
        ui->pkt.number = ui_frame(ui, idx);
        ui->pkt.comment = NULL;
        if (pkt.comment && pkt.comment_len) {
            free(ui->pcomment);
            ui->pcomment = xmalloc((size_t)pkt.comment_len + 1);
            memcpy(ui->pcomment, pkt.comment, pkt.comment_len);
            ui->pcomment[pkt.comment_len] = '\0';
            ui->pkt.comment = ui->pcomment;
        }
        ui_dissect(ui, idx, &ui->pkt, ui->d);
        ui->pkt_ok = true;
    } else {
        ui_message(ui, true, "%s", err);
    }
    ui->byte_cursor = 0;
    ui->mark_off = ui->mark_len = 0;
    ui->sel_field = -1;
    view_layers_reload(ui);
    view_bytes_reload(ui);
    notify_select(ui);
}

bool ui_select_packet(struct ui *ui, size_t idx)
{
    size_t n = ui_visible_count(ui);
    if (n == 0)
        return false;
    size_t pos = shown_lower_bound(ui->lf.shown, n, idx);
    bool exact = pos < n && ui_shown_at(ui, pos) == idx;
    if (pos >= n)
        pos = n - 1;
    ui->sel = pos;
    ui->follow_new = false;
    ui_load_selection(ui);
    ui->dirty = true;
    return exact;
}

uint64_t ui_frame(const struct ui *ui, size_t idx)
{
    return ui->idx.base + idx + 1;
}

size_t ui_index_from_frame(const struct ui *ui, uint64_t frame)
{
    if (frame <= ui->idx.base + 1)
        return 0;
    uint64_t i = frame - ui->idx.base - 1;
    size_t n = index_count(&ui->idx);
    return i > n ? n : (size_t)i;
}

bool ui_select_frame(struct ui *ui, uint64_t frame)
{
    if (frame <= ui->idx.base) {
        ui_message(ui, true,
                   "packet %" PRIu64 " is no longer listed (--max-packets %zu); it is still in "
                   "the capture file",
                   frame, ui->in.max_packets);
        return false;
    }
    return ui_select_packet(ui, (size_t)(frame - ui->idx.base - 1));
}

bool ui_target_from_selection(struct ui *ui)
{
    if (ui->cur_idx == SIZE_MAX)
        return false;
    struct track_info ti_buf;
    const struct track_info *ti = index_ti(&ui->idx, ui->cur_idx, &ti_buf);
    if (!(ti->flags & TI_HAS_STREAM))
        return false;
    ui->target_proto = ti->proto;
    ui->target_stream = ti->stream;
    ui->target_set = true;
    return true;
}

/* ---- display filter --------------------------------------------------------------------- */

/* ---- bounded memory for a capture that never ends ---------------------------------------- */

static size_t minus_or_zero(size_t a, size_t b)
{
    return a > b ? a - b : 0;
}

/*
 * A live capture past --max-packets: the oldest k packets leave the index (they stay in the
 * spool or -w file on disk), so the index, and with it the UI's memory, stops growing. Every
 * packet index the UI holds is rebased; positions in the shown list move with it.
 */
void ui_forget_oldest(struct ui *ui, size_t k)
{
    if (k > ui->idx.n)
        k = ui->idx.n;
    index_forget_oldest(&ui->idx, k);
    /* Kept by packet index, they no longer match; none are kept from here on (the next
     * packet's index is not conn_after_n). */
    free(ui->in.conn_after);
    ui->in.conn_after = NULL;
    ui->in.conn_after_n = ui->in.conn_after_cap = 0;
    size_t drop = listfilter_forget_oldest(ui, k);
    kept_forget_oldest(ui, k);
    ui->paused_nshown = minus_or_zero(ui->paused_nshown, drop);
    ui->sel = minus_or_zero(ui->sel, drop);
    ui->list_top = minus_or_zero(ui->list_top, drop);
    ui->search.pos = minus_or_zero(ui->search.pos, drop);
    if (ui->cur_idx != SIZE_MAX)
        ui->cur_idx = ui->cur_idx >= k ? ui->cur_idx - k : SIZE_MAX;
    size_t kb = k / 8;
    if (ui->marks_cap > kb) {
        memmove(ui->marks, ui->marks + kb, ui->marks_cap - kb);
        memset(ui->marks + ui->marks_cap - kb, 0, kb);
    } else if (ui->marks_cap) {
        memset(ui->marks, 0, ui->marks_cap);
    }
    for (size_t i = 0; i < SUM_CACHE_SIZE; i++)
        ui->cache[i].idx = 0;
    ui_load_selection(ui);
    ui->dirty = true;
}

/* ---- indexing ---------------------------------------------------------------------------- */

/* ---- global requests ------------------------------------------------------------------------ */

static void move_to_mark(struct ui *ui, int dir)
{
    size_t n = ui_visible_count(ui);
    for (size_t step = 1; step <= n; step++) {
        size_t pos = dir > 0 ? (ui->sel + step) % n : (ui->sel + n - step % n) % n;
        if (ui_is_marked(ui, ui_shown_at(ui, pos))) {
            ui->sel = pos;
            ui->follow_new = false;
            ui_load_selection(ui);
            return;
        }
    }
    ui_message(ui, true, "no marked packet (m marks one)");
}

static void open_stream_view(struct ui *ui, const struct view_ops *ops)
{
    /* From the connections view the target is its selected row; elsewhere the packet's. */
    struct view *top = ui->depth ? ui->stack[ui->depth - 1] : NULL;
    bool from_conns = top && top->ops == &view_conns_ops && ui->target_set;
    if (!from_conns && !ui_target_from_selection(ui)) {
        if (ui->cur_idx != SIZE_MAX && ui->cur_idx >= ui->idx.n)
            ui_message(ui, true,
                       "packet %" PRIu64 " is not analysed yet: its stream is known once the "
                       "analysis (in the title) reaches it",
                       ui_frame(ui, ui->cur_idx));
        else
            ui_message(ui, true, "this packet belongs to no TCP or UDP stream; select one first");
        return;
    }
    if (ops == &view_follow_ops && ui->target_proto != PS_IPPROTO_TCP &&
        ui->target_proto != PS_IPPROTO_UDP) {
        ui_message(ui, true, "follow stream needs a TCP or UDP packet");
        return;
    }
    ui_push_view(ui, ops);
}

static void global_request(struct ui *ui, enum request r)
{
    size_t n = ui_visible_count(ui);
    switch (r) {
    case REQ_QUIT:
        ui->quit = true;
        break;
    case REQ_BACK:
    case REQ_CLOSE:
        /* Esc never quits: pressing it "to get back" must not lose the session; q does. */
        if (ui->depth > 0)
            ui_pop_view(ui);
        else if (ui->zoom) {
            ui->zoom = false;
            ui_layout(ui);
        } else if (ui->focus != PANE_LIST) {
            ui->focus = PANE_LIST;
        } else if (r == REQ_CLOSE) {
            ui->quit = true;
        } else if (ui->lf.active.text) {
            ui_set_filter(ui, ""); /* says "No filter: N packets" when done */
        } else {
            ui_message(ui, false, "q quits pktscope");
        }
        break;
    case REQ_HELP:
        ui_push_view(ui, &view_help_ops);
        break;
    case REQ_REDRAW:
        clearok(curscr, TRUE);
        break;
    case REQ_NEXT_PANE:
    case REQ_PREV_PANE:
        if (ui->depth > 0)
            break;
        ui->focus = (ui->focus + (r == REQ_NEXT_PANE ? 1 : PANE__COUNT - 1)) % PANE__COUNT;
        ui_layout(ui);
        break;
    case REQ_ZOOM:
        if (ui->depth == 0) {
            ui->zoom = !ui->zoom;
            ui_layout(ui);
        }
        break;
    case REQ_SEARCH:
        prompt_open(ui, PROMPT_SEARCH, NULL);
        break;
    case REQ_SEARCH_NEXT:
        search_start(ui, +1);
        break;
    case REQ_SEARCH_PREV:
        search_start(ui, -1);
        break;
    case REQ_FILTER:
        prompt_open(ui, PROMPT_FILTER, ui->lf.active.text);
        break;
    case REQ_GOTO:
        prompt_open(ui, PROMPT_GOTO, NULL);
        break;
    case REQ_WRITE_PACKETS: /* ladderfiles: the connections view writes its selected one */
        if (ui->depth > 0)
            ui_message(ui, true, "w writes packets from the packet list or the connections view");
        else if (n == 0)
            ui_message(ui, true, "no packet to write: the display filter shows none");
        else
            ui_save_prompt(ui, "the displayed packets", "pktscope-packets.pcapng", ui_write_shown,
                           NULL);
        break;
    case REQ_MARK:
        if (ui->cur_idx != SIZE_MAX) {
            toggle_mark(ui, ui->cur_idx);
            ui_message(ui, false, "packet %" PRIu64 " %s", ui_frame(ui, ui->cur_idx),
                       ui_is_marked(ui, ui->cur_idx) ? "marked" : "unmarked");
        }
        break;
    case REQ_NEXT_MARK:
        if (n)
            move_to_mark(ui, +1);
        break;
    case REQ_PREV_MARK:
        if (n)
            move_to_mark(ui, -1);
        break;
    case REQ_TIME:
        ui->tmode = ui->tmode == FMT_TIME_RELATIVE   ? FMT_TIME_ABSOLUTE
                    : ui->tmode == FMT_TIME_ABSOLUTE ? FMT_TIME_DELTA
                                                     : FMT_TIME_RELATIVE;
        ui_message(ui, false, "time: %s%s",
                   ui->tmode == FMT_TIME_RELATIVE   ? "seconds since the first packet"
                   : ui->tmode == FMT_TIME_ABSOLUTE ? "time of day, UTC"
                                                    : "seconds since the previous packet",
                   ui->list_time_hidden ? " (the list has no room for it here: whole addresses "
                                          "come first; the Frame layer shows it)"
                                        : "");
        ui_settings_save(ui, UI_SETTING_TIME);
        break;
    case REQ_OSI:
        ui->tcpip = !ui->tcpip;
        view_layers_reload(ui);
        ui_message(ui, false, "layers numbered as %s",
                   ui->tcpip ? "the TCP/IP model (5 layers)" : "the OSI model (7 layers)");
        break;
    case REQ_FOLLOW_NEW:
        ui->follow_new = !ui->follow_new;
        ui_message(ui, false, "follow newest packet: %s", ui->follow_new ? "on" : "off");
        break;
    case REQ_PAUSE:
        ui->paused = !ui->paused;
        ui->paused_nshown = ui->lf.nshown;
        replay_clock_restart(&ui->in.replay);
        ui_message(ui, false, "%s",
                   ui->paused ? "display paused (p resumes; . and , step forward and back)"
                              : "display resumed");
        break;
    case REQ_STEP:
        ui_step(ui, +1);
        break;
    case REQ_STEP_BACK:
        ui_step(ui, -1);
        break;
    case REQ_TOGGLE:
    case REQ_EXPAND_ALL:
    case REQ_COLLAPSE_ALL:
        /* From the list, these act on the layers of the selected packet. */
        if (ui->depth == 0 && ui->panes[PANE_LAYERS].ops->request)
            ui->panes[PANE_LAYERS].ops->request(ui, &ui->panes[PANE_LAYERS], r);
        break;
    case REQ_VIEW_CONNS:
        ui_push_view(ui, &view_conns_ops);
        break;
    case REQ_VIEW_STATS:
        ui_push_view(ui, &view_stats_ops);
        break;
    case REQ_VIEW_HOSTS: /* hosts */
        ui_push_view(ui, &view_hosts_ops);
        break;
    case REQ_VIEW_FLOW: /* flow */
        ui_push_view(ui, &view_flow_ops);
        break;
    case REQ_VIEW_COMPARE:
        ui_push_view(ui, &view_compare_ops);
        break;
    case REQ_VIEW_QUIZ:
        ui_push_view(ui, &view_quiz_ops);
        break;
    case REQ_VIEW_COLUMNS:
        ui_push_view(ui, &view_columns_ops);
        break;
    case REQ_VIEW_LADDER:
        open_stream_view(ui, &view_ladder_ops);
        break;
    case REQ_VIEW_FOLLOW:
        open_stream_view(ui, &view_follow_ops);
        break;
    default:
        ui_message(ui, true, "'%s' does nothing here (? for help)", keys_names(r));
        break;
    }
    ui->dirty = true;
}

static struct view *view_at(struct ui *ui, int y, int x)
{
    if (ui->depth > 0) {
        struct view *v = ui->stack[ui->depth - 1];
        return y >= v->y && y < v->y + v->h && x >= v->x && x < v->x + v->w ? v : NULL;
    }
    for (int p = 0; p < PANE__COUNT; p++) {
        struct view *v = &ui->panes[p];
        if (v->h > 0 && y >= v->y && y < v->y + v->h && x >= v->x && x < v->x + v->w) {
            ui->focus = p;
            return v;
        }
    }
    return NULL;
}

static void handle_mouse(struct ui *ui)
{
    MEVENT ev;
    if (getmouse(&ev) != OK)
        return;
    struct view *v = view_at(ui, ev.y, ev.x);
    if (!v)
        return;
    if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
        enum request r = (ev.bstate & BUTTON4_PRESSED) ? REQ_UP : REQ_DOWN;
        for (int i = 0; i < 3; i++)
            if (!v->ops->request || !v->ops->request(ui, v, r))
                break;
    } else if (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED)) {
        if (ev.y > v->y && v->ops->click)
            v->ops->click(ui, v, ev.y - v->y - 1, ev.x - v->x);
        if ((ev.bstate & BUTTON1_DOUBLE_CLICKED) && v->ops->request)
            v->ops->request(ui, v, REQ_ENTER);
    }
    ui->dirty = true;
}

static void handle_resize(struct ui *ui)
{
    terminal_resize();
    ui_layout(ui);
    clearok(curscr, TRUE);
    ui->dirty = true;
}

static void handle_key(struct ui *ui, int ch)
{
    ui->dirty = true;
    if (ch == KEY_RESIZE) {
        handle_resize(ui);
        return;
    }
    if (ch == KEY_MOUSE) {
        MEVENT ev;
        if (ui->prompt.kind == PROMPT_NONE)
            handle_mouse(ui);
        else if (getmouse(&ev) == OK) /* ladderfiles: a click must not close a saving view */
            ui->dirty = true;
        return;
    }
    if (ui->prompt.kind != PROMPT_NONE) {
        prompt_key(ui, ch);
        return;
    }
    bool had_msg = ui->msg[0] != '\0';
    ui->msg[0] = '\0';
    enum request r = keys_request(ch, top_view(ui)->ops);
    if (r == REQ_NONE) {
        ui_message(ui, true, "no action on that key: ? shows the keys");
        return;
    }
    /* Esc over a message (a filter error with its caret) puts it away first; only the next Esc
     * goes back. */
    if (r == REQ_BACK && had_msg && ui->depth == 0)
        return;
    if (r == REQ_BACK && (ui->lf.working || ui->search.working)) {
        if (ui->lf.working)
            listfilter_cancel(ui);
        if (ui->search.working)
            search_cancel(ui);
        return;
    }
    if (ui->rows < UI_MIN_ROWS || ui->cols < UI_MIN_COLS) {
        if (r == REQ_CLOSE || r == REQ_QUIT)
            ui->quit = true;
        return;
    }
    struct view *v = top_view(ui);
    if (v->ops->request && v->ops->request(ui, v, r))
        return;
    global_request(ui, r);
}

/* ---- the loop ---------------------------------------------------------------------------- */

static void run_loop(struct ui *ui)
{
    int64_t last_draw = 0;
    int64_t last_again_try = 0;
    int64_t last_tick = 0;
    size_t drawn_packets = 0; /* the list's length at the last draw */
    /* Keys typed after a step forward (". . P" in one read) wait for the ingest slice that
     * takes the step: the quiz, the ladder or a jump must see the packet it lets in. */
    bool keys_after_step = false;
    int in_fd = terminal_input_fd();
    while (!ui->quit) {
        if (terminal_quit_requested())
            break;
        if (terminal_take_resize())
            handle_resize(ui);
        int64_t now = ui_now_ms();
        /* Frames are spaced FRAME_MS apart, except while the list is still filling the screen
         * for the first time: the first packets are shown as soon as they are read. */
        bool first_rows = index_count(&ui->idx) > drawn_packets && drawn_packets < (size_t)ui->rows;
        if (ui->dirty && (now - last_draw >= FRAME_MS || first_rows)) {
            ui_draw_screen(ui);
            ui->dirty = false;
            last_draw = now;
            drawn_packets = index_count(&ui->idx);
        }

        /* Background work, one slice: a filter or a search first, then the index, then the
         * view on top (a ladder or a stream being built). */
        /* (The clock is read again: drawing may have taken a while on a loaded machine.) */
        int64_t deadline = ui_now_ms() + SLICE_MS;
        int64_t wait_ms = -1;
        bool busy = false;
        if (ui->lf.working)
            busy = listfilter_work(ui, deadline) || busy;
        else if (ui->search.working)
            busy = search_work(ui, deadline) || busy;
        size_t before = ui->idx.n, listed_before = index_count(&ui->idx);
        if (!ui->lf.working)
            busy = ingest_work(ui, ui_now_ms() + SLICE_MS, &wait_ms) || busy;
        if (ui->idx.n != before || index_count(&ui->idx) != listed_before)
            ui->dirty = true;
        /* The analysis passed the selected packet, shown from its outline until now: shown
         * again with its tracking and reassembly. */
        if (ui->cur_idx != SIZE_MAX && ui->cur_idx >= before && ui->cur_idx < ui->idx.n) {
            ui->cur_idx = SIZE_MAX;
            ui_load_selection(ui);
        }
        if (ui->depth > 0) {
            struct view *v = ui->stack[ui->depth - 1];
            if (v->ops->work && v->ops->work(ui, v)) {
                busy = true;
                ui->dirty = true;
            }
        }
        busy = busy || ui->lf.working || ui->search.working;

        int timeout;
        if (busy || keys_after_step) {
            timeout = 0;
        } else {
            timeout = ui->in.live ? 500 : -1;
            if (ui->dirty) {
                int64_t left = FRAME_MS - (ui_now_ms() - last_draw);
                timeout = left > 0 ? (int)left : 0;
            }
            if (wait_ms >= 0 && (timeout < 0 || wait_ms < timeout))
                timeout = (int)wait_ms;
            /* A source with nothing now and no descriptor to wait on is tried again soon. */
            if (ingest_waiting(ui) && ingest_wait_fd(ui) < 0 && (timeout < 0 || timeout > 200))
                timeout = 200;
        }

        struct pollfd pfd[2];
        int nfds = 0;
        pfd[nfds].fd = in_fd;
        pfd[nfds].events = POLLIN;
        pfd[nfds++].revents = 0;
        int src_fd = ingest_wait_fd(ui);
        if (src_fd >= 0) {
            pfd[nfds].fd = src_fd;
            pfd[nfds].events = POLLIN;
            pfd[nfds++].revents = 0;
        }
        int pr = poll(pfd, (nfds_t)nfds, timeout);
        if (pr < 0 && errno != EINTR)
            break;
        if (pr > 0 && (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)) &&
            !(pfd[0].revents & POLLIN))
            break; /* the terminal went away */
        /* (ncurses may hold keys read ahead already, which poll() does not see.) */
        if ((pr > 0 && (pfd[0].revents & POLLIN)) || keys_after_step) {
            keys_after_step = false;
            int ch;
            unsigned k = 0;
            while (!keys_after_step && (ch = getch()) != ERR && k++ < 256 && !ui->quit) {
                unsigned credit = ui->in.step_credit;
                handle_key(ui, ch);
                /* Only a step that waits for its packet defers the rest: once, so that a
                 * step no packet comes for (live, nothing yet) holds no key back. */
                keys_after_step = ui->in.step_credit > credit;
            }
        }
        if (src_fd >= 0 && pr > 0 && pfd[1].revents)
            ui->in.again = false;
        if (ui->in.again && src_fd < 0) {
            int64_t t = ui_now_ms();
            if (t - last_again_try >= 200) {
                last_again_try = t;
                ui->in.again = false;
            }
        }
        if (ui->in.live && ui_now_ms() - last_tick >= 1000) {
            last_tick = ui_now_ms();
            ui->dirty = true; /* the rate and drop counters, once a second */
        }
    }
}

/* ---- setup and teardown ------------------------------------------------------------------ */

/* Sets up the state; false (errbuf set) when the pipeline cannot start: a BPF filter that does
 * not compile. The source is the pipeline's either way. */
static bool ui_init_state(struct ui *ui, const struct ui_args *args, char *errbuf)
{
    memset(ui, 0, sizeof(*ui));
    ingest_init(&ui->in, args);
    ui->dopt.verify_checksums = !args->no_checksums;
    struct pipeline_config pc;
    memset(&pc, 0, sizeof(pc));
    pc.verify_checksums = ui->dopt.verify_checksums;
    /* With reassembly, as the batch outputs: the dissections it changed are kept (kept.c), so
     * that the views, which dissect packets again, show what the pipeline saw. */
    pc.reassembly = !args->no_reassembly;
    kept_init(ui, pc.reassembly);
    if (pc.reassembly && !ui->kept.store) {
        snprintf(errbuf, PS_ERRBUF_SIZE, "%s", ui->kept.error);
        return false;
    }
    tracker_config_default(&pc.tracker);
    if (args->max_flows)
        pc.tracker.max_flows = args->max_flows;
    /* A capture that never ends (live, --follow, a pipe listed by its newest packets, or one
     * the picker will start) keeps the newest connection summaries, as the list keeps the
     * newest packets, and forgets the 5-tuples of those it let go (a 5-tuple that comes back
     * gets a new stream number): nothing grows with every flow ever seen. A file keeps every
     * summary, those the tracker lets go on disk (conns_store.c): memory follows the live
     * flows, as in the batch modes (issue 13). */
    if (ui->in.live || ui->in.max_packets || !args->src) {
        pc.tracker.max_conns = TRACKER_LIVE_MAX_CONNS;
        pc.tracker.forget_stream_numbers = true;
    } else {
        ui->conns = conns_store_new();
        pc.tracker.max_conns = TRACKER_MAX_CONNS;
        pc.tracker.conn_forget = conns_store_forget;
        pc.tracker.conn_recall = conns_store_recall;
        pc.tracker.conn_ctx = ui->conns;
    }
    /* A BPF filter on a file is the list's first display filter, which the user may change;
     * with -Y as well, -Y is that filter and BPF decides which packets are read at all, as in
     * the batch outputs. A live capture's BPF is the kernel's. */
    if (args->display_filter && !source_has(args->src, SOURCE_CAP_LIVE))
        pc.filter = args->filter;
    ui->tracker_cfg = pc.tracker;
    /* A tracker of a view's own (the statistics as of a packet, at most STATS_ASOF_MAX
     * packets) keeps every summary in memory, as nothing of it goes to disk. */
    if (ui->conns)
        ui->tracker_cfg.max_conns = 0;
    ui->tracker_cfg.conn_forget = NULL;
    ui->tracker_cfg.conn_recall = NULL;
    ui->tracker_cfg.conn_ctx = NULL;
    ui->pipe = pipeline_new(args->src, &pc, errbuf);
    if (!ui->pipe)
        return false;
    kept_read_frames(ui, args->src);
    ui->stats = xmalloc(sizeof(*ui->stats));
    stats_init(ui->stats);
    ui->network = hosts_new();
    for (size_t i = 0; i < args->nsubnets; i++) {
        char err[PS_ERRBUF_SIZE];
        hosts_add_subnet(ui->network, args->subnets[i], SUBNET_GIVEN, err, sizeof(err));
    }
    index_init(&ui->idx, !ui->in.random_access);
    ui->d = xmalloc(sizeof(*ui->d));
    ui->scratch = xmalloc(sizeof(*ui->scratch));
    memset(ui->d, 0, sizeof(*ui->d));
    memset(ui->scratch, 0, sizeof(*ui->scratch));
    ui->cache = xcalloc(SUM_CACHE_SIZE, sizeof(*ui->cache));
    ui->pdata = xmalloc(CAPTURE_MAX_PACKET);
    ui->cur_idx = SIZE_MAX;
    ui->sel_field = -1;
    ui->tmode = (enum fmt_time)args->time_format;
    if (ui->tmode == FMT_TIME_EPOCH || ui->tmode == FMT_TIME_DATE)
        ui->tmode = FMT_TIME_ABSOLUTE; /* the list's column holds a time of day */
    if (ui->in.step_mode)
        ui->paused = true;
    ui->follow_new = ui->in.live || ingest_gated(ui);
    ui_settings_init(ui, args);
    ui->panes[PANE_LIST].ops = &view_list_ops;
    ui->panes[PANE_LAYERS].ops = &view_layers_ops;
    ui->panes[PANE_BYTES].ops = &view_bytes_ops;
    ui->dirty = true;
    return true;
}

void ui_attach_source(struct ui *ui, struct source *src)
{
    pipeline_set_source(ui->pipe, src);
    kept_read_frames(ui, src);
    ingest_attach(&ui->in, src);
    index_release(&ui->idx);
    index_init(&ui->idx, !ui->in.random_access);
    ui->follow_new = true;
    ui->dirty = true;
}

static void ui_free_state(struct ui *ui)
{
    while (ui->depth > 0)
        ui_pop_view(ui);
    for (int p = 0; p < PANE__COUNT; p++)
        if (ui->panes[p].ops && ui->panes[p].ops->close)
            ui->panes[p].ops->close(ui, &ui->panes[p]);
    listfilter_release(ui);
    search_release(ui);
    kept_release(ui);
    pipeline_free(ui->pipe); /* its source and tracker too */
    ui->pipe = NULL;
    conns_store_free(ui->conns);
    ui->conns = NULL;
    free(ui->stats);
    hosts_free(ui->network);
    index_release(&ui->idx);
    free(ui->d);
    free(ui->scratch);
    free(ui->cache);
    free(ui->pdata);
    free(ui->pcomment);
    ingest_release(&ui->in);
    free(ui->marks);
    ui_settings_free(ui);
}

int ui_run(const struct ui_args *args)
{
    char errbuf[1024];
    struct ui *ui = xmalloc(sizeof(*ui));
    if (!ui_init_state(ui, args, errbuf)) {
        fprintf(stderr, "pktscope: %s\n", errbuf);
        ui_free_state(ui);
        free(ui);
        return PS_EXIT_USAGE;
    }
    ui->pick_filter = args->filter;
    ui->pick_user = args->user;
    ui->pick_snaplen = args->snaplen;
    ui->pick_buffer_kib = args->buffer_kib;
    ui->pick_no_promisc = args->no_promisc;
    ui->pick_write_file = args->write_file;
    ui->pick_spool_limit = args->spool_limit;
    ui->pick_spool_limit_given = args->spool_limit_given;
    /* The list's first display filter: -Y, else a BPF filter on a file (the kernel applies it
     * to a live capture). */
    const char *first = args->display_filter;
    if (!first && !source_has(args->src, SOURCE_CAP_LIVE))
        first = args->filter;
    if (args->src && first && first[0] &&
        listfilter_init(ui, first, args->display_filter != NULL, errbuf, sizeof(errbuf)) < 0) {
        fprintf(stderr, "pktscope: %s\n", errbuf);
        ui_free_state(ui);
        free(ui);
        return PS_EXIT_USAGE;
    }

    setlocale(LC_CTYPE, "");
    const char *cs = nl_langinfo(CODESET);
    ui->utf8 = cs && strcmp(cs, "UTF-8") == 0;

    const char *scheme = args->color_scheme;
    if (!scheme && args->config && args->config->color_scheme[0])
        scheme = args->config->color_scheme;
    colors_set_high_contrast(scheme && strcmp(scheme, "high-contrast") == 0);
    if (terminal_open(args->no_color, errbuf) < 0) {
        fprintf(stderr, "pktscope: %s\n", errbuf);
        ui_free_state(ui);
        free(ui);
        return PS_EXIT_USAGE;
    }
    ui_layout(ui);
    for (int p = 0; p < PANE__COUNT; p++)
        if (ui->panes[p].ops->open)
            ui->panes[p].ops->open(ui, &ui->panes[p]);
    if (!ui_source(ui))
        ui_push_view(ui, &view_picker_ops);

    run_loop(ui);

    terminal_close();
    int status = ui->exit_status ? ui->exit_status : ui->in.damaged ? PS_EXIT_DAMAGED : PS_EXIT_OK;
    if (ui->in.damaged || ui->exit_status)
        fprintf(stderr, "pktscope: %s\n", ui->in.error);
    pipeline_print_kernel_stats(ui->pipe, stderr);
    ui_free_state(ui);
    free(ui);
    terminal_release();
    return status;
}
