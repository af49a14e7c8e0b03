/*
 * The TUI's frame: terminal setup and restore on every exit path, the one poll() loop (keyboard,
 * packet source, timers for background slices), the packet index being built as packets arrive,
 * the display filter and search jobs, the layout, and the drawing helpers the views share.
 *
 * Why a poll loop with slices rather than threads: the tracker must see packets in capture
 * order and the views read the same index, so one thread that never blocks (libpcap's
 * selectable fd, tig's get_input) keeps the model consistent without locks; every long job
 * (indexing a 1 GB file, applying a filter, searching) runs in ~15 ms slices between keys, with a
 * progress bar, and Esc cancels it.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "capture/live.h"
#include "capture/spool.h"
#include "dissect/numbers.h"
#include "ui/internal.h"
#include "util/ptime.h"

#if defined(__SANITIZE_ADDRESS__)
#define UI_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UI_SANITIZED 1
#endif
#endif
#ifndef UI_SANITIZED
#define UI_SANITIZED 0
#endif

#define SLICE_MS 15
#define FRAME_MS 33

/* ---- terminal state and signals --------------------------------------------------------- */

static volatile sig_atomic_t sig_quit;
static volatile sig_atomic_t sig_winch;
static bool curses_active;
static SCREEN *screen;
static FILE *tty_in, *tty_out;
static int saved_stderr = -1;
static FILE *stderr_hold;

/* Restores the terminal; safe to call more than once, from atexit and from a crash handler. */
static void terminal_restore(void)
{
    if (curses_active) {
        curses_active = false;
        endwin();
        /* endwin leaves the mouse reporting on in some terminals: switch it off explicitly. */
        if (tty_out) {
            fputs("\033[?1000l\033[?1002l\033[?1006l", tty_out);
            fflush(tty_out);
        }
    }
}

/* Gives standard error back and shows what was written to it while the screen was ours. */
static void stderr_restore(void)
{
    if (saved_stderr < 0)
        return;
    fflush(stderr);
    dup2(saved_stderr, STDERR_FILENO);
    close(saved_stderr);
    saved_stderr = -1;
    if (stderr_hold) {
        char buf[4096];
        size_t n;
        rewind(stderr_hold);
        while ((n = fread(buf, 1, sizeof(buf), stderr_hold)) > 0)
            if (write(STDERR_FILENO, buf, n) < 0)
                break;
        fclose(stderr_hold);
        stderr_hold = NULL;
    }
}

static void at_exit_restore(void)
{
    terminal_restore();
    stderr_restore();
}

static void on_quit_signal(int sig)
{
    (void)sig;
    sig_quit = 1;
}

static void on_winch(int sig)
{
    (void)sig;
    sig_winch = 1;
}

static void on_crash(int sig)
{
    terminal_restore();
    stderr_restore();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: poll() must return so the loop sees the flag at once. */
    sa.sa_handler = on_quit_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = on_winch;
    sigaction(SIGWINCH, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (!UI_SANITIZED) {
        /* Under the sanitizers their own handlers must report the crash. */
        sa.sa_handler = on_crash;
        sa.sa_flags = SA_RESETHAND;
        sigaction(SIGSEGV, &sa, NULL);
        sigaction(SIGBUS, &sa, NULL);
        sigaction(SIGFPE, &sa, NULL);
        sigaction(SIGILL, &sa, NULL);
        sigaction(SIGABRT, &sa, NULL);
    }
}

/* While curses owns the screen, anything written to stderr would tear it: hold it in an
 * unlinked temporary file and print it after the terminal is restored. */
static void stderr_capture(void)
{
    if (UI_SANITIZED)
        return;
    stderr_hold = tmpfile();
    if (!stderr_hold)
        return;
    fflush(stderr);
    saved_stderr = dup(STDERR_FILENO);
    if (saved_stderr < 0 || dup2(fileno(stderr_hold), STDERR_FILENO) < 0) {
        if (saved_stderr >= 0)
            close(saved_stderr);
        saved_stderr = -1;
        fclose(stderr_hold);
        stderr_hold = NULL;
    }
}

static int terminal_open(bool no_color, char *errbuf)
{
    if (isatty(STDIN_FILENO)) {
        tty_in = fdopen(dup(STDIN_FILENO), "r");
    } else {
        /* The capture comes on standard input ("-r -"): the keyboard is the terminal. */
        tty_in = fopen("/dev/tty", "r");
    }
    tty_out = isatty(STDOUT_FILENO) ? fdopen(dup(STDOUT_FILENO), "w") : fopen("/dev/tty", "w");
    if (!tty_in || !tty_out)
        return ps_err(errbuf, "the TUI needs a terminal (no /dev/tty); use --print or --json");
    const char *term = getenv("TERM");
    if (!term || !term[0] || strcmp(term, "dumb") == 0)
        return ps_err(errbuf,
                      "the TUI needs a terminal that can move the cursor (TERM is '%s');"
                      " set TERM, or use --print",
                      term ? term : "");
    screen = newterm(NULL, tty_out, tty_in);
    if (!screen)
        return ps_err(errbuf,
                      "cannot use terminal type '%s' (no terminfo entry?); try "
                      "TERM=xterm-256color, or use --print",
                      term);
    set_term(screen);
    curses_active = true;
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED |
                  BUTTON5_PRESSED,
              NULL);
    mouseinterval(0);
    colors_init(no_color);
    return 0;
}

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

static uint8_t span_attr(const struct line *l, size_t i, unsigned *si)
{
    while (*si < l->nspans && (size_t)l->spans[*si].start + l->spans[*si].len <= i)
        (*si)++;
    if (*si < l->nspans && l->spans[*si].start <= i)
        return l->spans[*si].attr;
    return l->attr;
}

static void draw_bytes(struct ui *ui, const unsigned char *t, size_t n, int w, size_t hscroll,
                       const struct line *l, attr_t plain, attr_t extra, int *colp)
{
    int col = *colp, y0, x0;
    getyx(stdscr, y0, x0);
    size_t vcol = 0;
    unsigned si = 0;
    size_t i = 0;
    attr_t a = plain | extra;
    while (i < n && col < w) {
        a = l ? colors_attr(span_attr(l, i, &si)) : plain;
        if (extra & A_COLOR) /* a bar's pair replaces the span's: OR-ed pairs make a third */
            a &= ~A_COLOR;
        a |= extra;
        unsigned char c = t[i];
        size_t clen = 1;
        const char *out = NULL;
        char one[2] = {'?', 0};
        size_t outn = 1;
        int outw = 1;
        if (c >= 0x20 && c < 0x7f) {
            one[0] = (char)c;
            out = one;
        } else if (c >= 0xc2 && c < 0xf5) {
            clen = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
            bool ok = i + clen <= n;
            for (size_t k = 1; ok && k < clen; k++)
                ok = (t[i + k] & 0xc0) == 0x80;
            if (!ok) {
                clen = 1;
                out = one;
            } else if (ui->utf8) {
                out = (const char *)t + i;
                outn = clen;
            } else if (clen == 3 && t[i] == 0xe2 && t[i + 1] == 0x86 && t[i + 2] == 0x92) {
                out = "->";
                outn = 2;
                outw = 2;
            } else if (clen == 3 && t[i] == 0xe2 && t[i + 1] == 0x86 && t[i + 2] == 0x90) {
                out = "<-";
                outn = 2;
                outw = 2;
            } else {
                out = one;
            }
        } else {
            one[0] = '.';
            out = one;
        }
        if (outw == 1 || outn == clen) {
            if (vcol >= hscroll) {
                attrset(a);
                addnstr(out, (int)outn);
                col++;
            }
            vcol++;
        } else {
            for (int k = 0; k < outw && col < w; k++, vcol++) {
                if (vcol >= hscroll) {
                    attrset(a);
                    addch((chtype)(unsigned char)out[k]);
                    col++;
                }
            }
        }
        i += clen;
    }
    /* Text cut at the edge ends in an ellipsis (">" on a terminal without UTF-8, as less marks a
     * chopped line), so a cut address never passes for a whole one. */
    size_t rest = i;
    while (rest < n && t[rest] == ' ')
        rest++;
    if (col >= w && w > 0 && rest < n) {
        attrset(a);
        mvaddstr(y0, x0 + (col - 1 - *colp), ui->utf8 ? "\xe2\x80\xa6" : ">");
    }
    *colp = col;
}

void ui_draw_line(struct ui *ui, int y, int x, int w, const struct line *l, size_t hscroll,
                  attr_t extra)
{
    if (w <= 0)
        return;
    move(y, x);
    int col = 0;
    if (l)
        draw_bytes(ui, (const unsigned char *)l->text, l->len, w, hscroll, l, 0, extra, &col);
    attrset(extra);
    for (; col < w; col++)
        addch(' ');
    attrset(A_NORMAL);
}

void ui_draw_text(struct ui *ui, int y, int x, int w, attr_t attr, const char *s)
{
    if (w <= 0)
        return;
    move(y, x);
    int col = 0;
    draw_bytes(ui, (const unsigned char *)s, strlen(s), w, 0, NULL, attr, 0, &col);
    attrset(attr);
    for (; col < w; col++)
        addch(' ');
    attrset(A_NORMAL);
}

void ui_draw_bar(struct ui *ui, struct view *v, bool focused, const char *title)
{
    ui_draw_text(ui, v->y, v->x, v->w, colors_pane(focused), title);
}

static void scroll_fix(struct view *v, size_t n, size_t rows)
{
    if (rows == 0)
        rows = 1;
    if (n == 0) {
        v->cur = v->top = 0;
        return;
    }
    if (v->cur >= n)
        v->cur = n - 1;
    if (v->cur < v->top)
        v->top = v->cur;
    if (v->cur >= v->top + rows)
        v->top = v->cur - rows + 1;
    if (v->top + rows > n)
        v->top = n > rows ? n - rows : 0;
}

bool ui_nav(struct view *v, size_t n, size_t rows, enum request r)
{
    size_t half = rows / 2 ? rows / 2 : 1;
    switch (r) {
    case REQ_UP:
        if (v->cur > 0)
            v->cur--;
        break;
    case REQ_DOWN:
        if (v->cur + 1 < n)
            v->cur++;
        break;
    case REQ_PAGE_UP:
        v->cur -= v->cur < rows ? v->cur : rows;
        break;
    case REQ_PAGE_DOWN:
        v->cur = n ? (v->cur + rows < n ? v->cur + rows : n - 1) : 0;
        break;
    case REQ_HALF_UP:
        v->cur -= v->cur < half ? v->cur : half;
        break;
    case REQ_HALF_DOWN:
        v->cur = n ? (v->cur + half < n ? v->cur + half : n - 1) : 0;
        break;
    case REQ_HOME:
        v->cur = 0;
        break;
    case REQ_END:
        v->cur = n ? n - 1 : 0;
        break;
    case REQ_LEFT:
        v->hscroll = v->hscroll > 8 ? v->hscroll - 8 : 0;
        return true;
    case REQ_RIGHT:
        if (v->hscroll < 4096)
            v->hscroll += 8;
        return true;
    default:
        return false;
    }
    scroll_fix(v, n, rows);
    return true;
}

void ui_draw_lines(struct ui *ui, struct view *v, const struct lines *ls, bool show_cursor)
{
    size_t rows = v->h > 1 ? (size_t)v->h - 1 : 0;
    scroll_fix(v, ls->n, rows);
    for (size_t r = 0; r < rows; r++) {
        size_t i = v->top + r;
        const struct line *l = i < ls->n ? &ls->v[i] : NULL;
        attr_t extra = (show_cursor && l && i == v->cur) ? colors_cursor() : 0;
        ui_draw_line(ui, v->y + 1 + (int)r, v->x, v->w, l, v->hscroll, extra);
    }
}

/* ---- views ---------------------------------------------------------------------------- */

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

void ui_layout(struct ui *ui)
{
    getmaxyx(stdscr, ui->rows, ui->cols);
    int avail = ui->rows - 2; /* title bar and status line */
    if (avail < 3)
        avail = 3;
    for (int i = 0; i < ui->depth; i++) {
        struct view *v = ui->stack[i];
        v->y = 1;
        v->x = 0;
        v->h = avail;
        v->w = ui->cols;
    }
    if (ui->zoom) {
        for (int p = 0; p < PANE__COUNT; p++) {
            ui->panes[p].y = 1;
            ui->panes[p].x = 0;
            ui->panes[p].w = ui->cols;
            ui->panes[p].h = p == ui->focus ? avail : 0;
        }
        return;
    }
    int hl = avail * 45 / 100;
    int hy = avail * 30 / 100;
    if (hl < 4)
        hl = 4;
    if (hy < 3)
        hy = 3;
    int hb = avail - hl - hy;
    if (hb < 2)
        hb = 2;
    int y = 1;
    int hs[PANE__COUNT] = {hl, hy, hb};
    for (int p = 0; p < PANE__COUNT; p++) {
        ui->panes[p].y = y;
        ui->panes[p].x = 0;
        ui->panes[p].w = ui->cols;
        ui->panes[p].h = hs[p];
        y += hs[p];
    }
}

/* ---- reading packets -------------------------------------------------------------------- */

int ui_read_packet(struct ui *ui, size_t idx, struct packet *pkt, char *errbuf)
{
    return index_read(&ui->idx, ui->src, idx, pkt, errbuf);
}

const struct summary *ui_summary(struct ui *ui, size_t idx)
{
    struct sum_slot *slot = &ui->cache[idx % SUM_CACHE_SIZE];
    if (slot->idx == idx + 1)
        return &slot->s;
    struct packet pkt;
    char err[PS_ERRBUF_SIZE];
    if (ui_read_packet(ui, idx, &pkt, err) != SOURCE_PACKET)
        return NULL;
    dissect_frame(ui->scratch, pkt.data, pkt.caplen, pkt.len, pkt.linktype, &ui->dopt);
    format_summary(&slot->s, ui->scratch, &ui->idx.ti[idx]);
    slot->idx = idx + 1;
    return &slot->s;
}

static size_t visible_count(const struct ui *ui)
{
    return ui->paused && ui->paused_nshown <= ui->nshown ? ui->paused_nshown : ui->nshown;
}

static void notify_select(struct ui *ui)
{
    for (int i = 0; i < ui->depth; i++)
        if (ui->stack[i]->ops->select)
            ui->stack[i]->ops->select(ui, ui->stack[i]);
}

void ui_load_selection(struct ui *ui)
{
    size_t n = visible_count(ui);
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
    size_t idx = ui->shown[ui->sel];
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
        dissect_frame(ui->d, ui->pdata, pkt.caplen, pkt.len, pkt.linktype, &ui->dopt);
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

/* Position of the first shown packet with index >= idx. */
static size_t lower_bound(const uint32_t *v, size_t n, size_t idx)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < idx)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool ui_select_packet(struct ui *ui, size_t idx)
{
    size_t n = visible_count(ui);
    if (n == 0)
        return false;
    size_t pos = lower_bound(ui->shown, n, idx);
    bool exact = pos < n && ui->shown[pos] == idx;
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
    return i > ui->idx.n ? ui->idx.n : (size_t)i;
}

bool ui_select_frame(struct ui *ui, uint64_t frame)
{
    if (frame <= ui->idx.base) {
        ui_message(ui, true,
                   "packet %" PRIu64 " is no longer listed (--max-packets %zu); it is still in "
                   "the capture file",
                   frame, ui->max_packets);
        return false;
    }
    return ui_select_packet(ui, (size_t)(frame - ui->idx.base - 1));
}

bool ui_target_from_selection(struct ui *ui)
{
    if (ui->cur_idx == SIZE_MAX)
        return false;
    const struct track_info *ti = &ui->idx.ti[ui->cur_idx];
    if (!(ti->flags & TI_HAS_STREAM))
        return false;
    ui->target_proto = ti->proto;
    ui->target_stream = ti->stream;
    ui->target_set = true;
    return true;
}

/* ---- display filter --------------------------------------------------------------------- */

static void filter_release(struct display_filter *f)
{
    if (f->bpf)
        bpf_filter_free(f->bpf);
    dfilter_free(f->df);
    free(f->text);
    memset(f, 0, sizeof(*f));
}

/* "tcp.stream == 3", "udp.stream eq 0": Wireshark's way to name one connection. */
static bool parse_stream_filter(const char *s, uint8_t *proto, uint32_t *stream)
{
    while (*s == ' ')
        s++;
    if (strncmp(s, "tcp.stream", 10) == 0)
        *proto = 6, s += 10;
    else if (strncmp(s, "udp.stream", 10) == 0)
        *proto = 17, s += 10;
    else if (strncmp(s, "icmpv6.stream", 13) == 0)
        *proto = 58, s += 13;
    else if (strncmp(s, "icmp.stream", 11) == 0)
        *proto = 1, s += 11;
    else
        return false;
    while (*s == ' ')
        s++;
    if (strncmp(s, "==", 2) == 0 || strncmp(s, "eq", 2) == 0)
        s += 2;
    else
        return false;
    while (*s == ' ')
        s++;
    char num[16];
    size_t k = 0;
    while (s[k] >= '0' && s[k] <= '9' && k < sizeof(num) - 1) {
        num[k] = s[k];
        k++;
    }
    num[k] = '\0';
    const char *rest = s + k;
    while (*rest == ' ')
        rest++;
    unsigned long v;
    if (*rest || parse_ulong(num, 0, UINT32_MAX, &v) < 0)
        return false;
    *stream = (uint32_t)v;
    return true;
}

/* Runs a display filter on packet idx (pkt). `d` is its dissection when the caller has one (a
 * packet just indexed), else it is dissected again. */
static bool display_filter_match(struct ui *ui, const struct display_filter *f, size_t idx,
                                 const struct packet *pkt, const struct dissection *d)
{
    if (!d) {
        dissect_frame(ui->scratch, pkt->data, pkt->caplen, pkt->len, pkt->linktype, &ui->dopt);
        d = ui->scratch;
    }
    const struct pkt_entry *prev = idx ? &ui->idx.v[idx - 1] : NULL;
    struct filter_packet fp = {
        .d = d,
        .ti = &ui->idx.ti[idx],
        .number = ui->idx.base + idx + 1,
        .len = pkt->len,
        .caplen = pkt->caplen,
        .ts_sec = pkt->ts_sec,
        .ts_nsec = pkt->ts_nsec,
        .ts_missing = pkt->ts_missing,
        .first_sec = ui->idx.first_ts_sec,
        .first_nsec = ui->idx.first_ts_nsec,
        .prev_sec = prev ? prev->ts_sec : ui->idx.first_ts_sec,
        .prev_nsec = prev ? prev->ts_nsec : ui->idx.first_ts_nsec,
        .comment = pkt->comment,
        .comment_len = pkt->comment_len,
    };
    return dfilter_match(f->df, &fp);
}

static bool filter_match(struct ui *ui, const struct display_filter *f, size_t idx,
                         const struct packet *pkt, const struct dissection *d)
{
    if (!f->text)
        return true;
    if (f->stream) {
        const struct track_info *ti = &ui->idx.ti[idx];
        return (ti->flags & TI_HAS_STREAM) && ti->proto == f->proto && ti->stream == f->stream_id;
    }
    struct packet tmp;
    char err[PS_ERRBUF_SIZE];
    if (!pkt) {
        if (ui_read_packet(ui, idx, &tmp, err) != SOURCE_PACKET)
            return false;
        pkt = &tmp;
    }
    if (f->df)
        return display_filter_match(ui, f, idx, pkt, d);
    if (f->bpf)
        return bpf_filter_match(f->bpf, pkt) == 1;
    return true;
}

bool ui_set_filter(struct ui *ui, const char *text)
{
    char err[PS_ERRBUF_SIZE];
    struct display_filter nf;
    memset(&nf, 0, sizeof(nf));
    while (*text == ' ')
        text++;
    if (text[0]) {
        /* A display filter first; BPF only when the text is not one ("host 10.0.0.1"). When
         * it is neither, the display filter's error (with its caret) is the one shown, unless
         * the text reads like BPF and failed there. */
        char derr[1024];
        if (parse_stream_filter(text, &nf.proto, &nf.stream_id)) {
            nf.stream = true;
        } else if (dfilter_compile(text, &nf.df, derr, sizeof(derr)) < 0) {
            nf.bpf = bpf_filter_new(text, err);
            if (!nf.bpf) {
                ui_message(ui, true, "Filter not applied (the old one is kept).\n%s\nAs BPF: %s",
                           derr, err);
                return false;
            }
        }
        nf.text = xstrdup(text);
    }
    if (ui->refiltering) {
        filter_release(&ui->new_filter);
        free(ui->new_shown);
        ui->new_shown = NULL;
    }
    ui->new_filter = nf;
    ui->new_shown = NULL;
    ui->new_nshown = ui->new_shown_cap = 0;
    ui->refilter_pos = 0;
    ui->refiltering = true;
    ui->dirty = true;
    return true;
}

static void refilter_cancel(struct ui *ui)
{
    filter_release(&ui->new_filter);
    free(ui->new_shown);
    ui->new_shown = NULL;
    ui->refiltering = false;
    ui_message(ui, false, "Filter cancelled; the old one is kept");
}

static bool refilter_work(struct ui *ui, int64_t deadline)
{
    unsigned k = 0;
    while (ui->refilter_pos < ui->idx.n) {
        size_t i = ui->refilter_pos++;
        if (filter_match(ui, &ui->new_filter, i, NULL, NULL)) {
            ui->new_shown = xgrow(ui->new_shown, &ui->new_shown_cap, ui->new_nshown + 1,
                                  sizeof(*ui->new_shown));
            ui->new_shown[ui->new_nshown++] = (uint32_t)i;
        }
        if (++k % 256 == 0 && ui_now_ms() >= deadline)
            return true;
    }
    /* Done: swap, keeping the selected packet (or the nearest one after it). */
    size_t keep = ui->cur_idx;
    filter_release(&ui->filter);
    ui->filter = ui->new_filter;
    memset(&ui->new_filter, 0, sizeof(ui->new_filter));
    free(ui->shown);
    ui->shown = ui->new_shown;
    ui->nshown = ui->new_nshown;
    ui->shown_cap = ui->new_shown_cap;
    ui->new_shown = NULL;
    ui->refiltering = false;
    ui->paused_nshown = ui->nshown;
    ui->sel = keep == SIZE_MAX ? 0 : lower_bound(ui->shown, ui->nshown, keep);
    if (ui->nshown && ui->sel >= ui->nshown)
        ui->sel = ui->nshown - 1;
    ui->cur_idx = SIZE_MAX;
    ui_load_selection(ui);
    if (ui->filter.text)
        ui_message(ui, false, "%s '%s': %zu of %zu packets",
                   ui->filter.bpf ? "BPF filter" : "Display filter", ui->filter.text, ui->nshown,
                   ui->idx.n);
    else
        ui_message(ui, false, "No filter: %zu packets", ui->nshown);
    ui->dirty = true;
    return false;
}

/* ---- search ------------------------------------------------------------------------------ */

static bool search_compile(struct ui *ui, const char *text)
{
    if (ui->search_re_ok) {
        regfree(&ui->search_re);
        ui->search_re_ok = false;
    }
    ui->search_have = false;
    if (strncmp(text, "x:", 2) == 0) {
        ui->search_kind = SEARCH_HEX;
        ui->search_nbytes = 0;
        int hi = -1;
        for (const char *p = text + 2; *p; p++) {
            if (*p == ' ' || *p == ':')
                continue;
            int v = hex_digit(*p);
            if (v < 0) {
                ui_message(ui, true, "x: wants hex bytes (x:474554 or x:47 45 54), not '%c'", *p);
                return false;
            }
            if (hi < 0) {
                hi = v;
            } else {
                if (ui->search_nbytes == sizeof(ui->search_bytes)) {
                    ui_message(ui, true, "hex search: at most %zu bytes", sizeof(ui->search_bytes));
                    return false;
                }
                ui->search_bytes[ui->search_nbytes++] = (uint8_t)(hi << 4 | v);
                hi = -1;
            }
        }
        if (hi >= 0 || ui->search_nbytes == 0) {
            ui_message(ui, true, "hex search wants whole bytes: two hex digits each");
            return false;
        }
    } else if (strncmp(text, "r:", 2) == 0) {
        ui->search_kind = SEARCH_REGEX;
        int rc = regcomp(&ui->search_re, text + 2, REG_EXTENDED | REG_ICASE | REG_NOSUB);
        if (rc != 0) {
            char eb[128];
            regerror(rc, &ui->search_re, eb, sizeof(eb));
            ui_message(ui, true, "regex: %s", eb);
            return false;
        }
        ui->search_re_ok = true;
    } else {
        ui->search_kind = SEARCH_TEXT;
        if (!text[0]) {
            ui_message(ui, true, "empty search");
            return false;
        }
    }
    snprintf(ui->search_text, sizeof(ui->search_text), "%s", text);
    ui->search_have = true;
    return true;
}

static uint8_t fold_ascii(uint8_t c)
{
    return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

/* memmem, optionally ignoring the case of ASCII letters. */
static bool mem_contains(const uint8_t *hay, size_t n, const uint8_t *needle, size_t k, bool fold)
{
    if (k == 0 || k > n)
        return false;
    for (size_t i = 0; i + k <= n; i++) {
        size_t j = 0;
        if (fold)
            while (j < k && fold_ascii(hay[i + j]) == fold_ascii(needle[j]))
                j++;
        else
            while (j < k && hay[i + j] == needle[j])
                j++;
        if (j == k)
            return true;
    }
    return false;
}

static bool search_match(struct ui *ui, size_t idx)
{
    const struct summary *s = ui_summary(ui, idx);
    if (s && ui->search_kind != SEARCH_HEX) {
        char line[sizeof(s->info) + 200];
        snprintf(line, sizeof(line), "%" PRIu64 " %s %s %s %s %s", ui_frame(ui, idx), s->src,
                 s->dst, s->proto, s->phase, s->info);
        if (ui->search_kind == SEARCH_REGEX)
            return regexec(&ui->search_re, line, 0, NULL, 0) == 0;
        if (mem_contains((const uint8_t *)line, strlen(line), (const uint8_t *)ui->search_text,
                         strlen(ui->search_text), true))
            return true;
    }
    if (ui->search_kind == SEARCH_REGEX)
        return false;
    struct packet pkt;
    char err[PS_ERRBUF_SIZE];
    if (ui_read_packet(ui, idx, &pkt, err) != SOURCE_PACKET)
        return false;
    if (ui->search_kind == SEARCH_HEX)
        return mem_contains(pkt.data, pkt.caplen, ui->search_bytes, ui->search_nbytes, false);
    return mem_contains(pkt.data, pkt.caplen, (const uint8_t *)ui->search_text,
                        strlen(ui->search_text), false);
}

static void search_start(struct ui *ui, int dir)
{
    if (!ui->search_have) {
        ui_message(ui, true, "no search yet: press / to search");
        return;
    }
    if (visible_count(ui) == 0)
        return;
    ui->searching = true;
    ui->search_dir = dir;
    ui->search_pos = ui->sel;
    ui->search_steps = 0;
    ui->dirty = true;
}

static bool search_work(struct ui *ui, int64_t deadline)
{
    size_t n = visible_count(ui);
    unsigned k = 0;
    while (ui->search_steps < n) {
        ui->search_steps++;
        if (ui->search_dir > 0)
            ui->search_pos = ui->search_pos + 1 < n ? ui->search_pos + 1 : 0;
        else
            ui->search_pos = ui->search_pos > 0 ? ui->search_pos - 1 : n - 1;
        if (search_match(ui, ui->shown[ui->search_pos])) {
            ui->searching = false;
            bool wrapped =
                ui->search_dir > 0 ? ui->search_pos <= ui->sel : ui->search_pos >= ui->sel;
            ui->sel = ui->search_pos;
            ui->follow_new = false;
            ui_load_selection(ui);
            ui_message(ui, false, "Found '%s' in packet %" PRIu64 "%s", ui->search_text,
                       ui_frame(ui, ui->shown[ui->search_pos]), wrapped ? " (search wrapped)" : "");
            return false;
        }
        if (++k % 64 == 0 && ui_now_ms() >= deadline)
            return true;
    }
    ui->searching = false;
    ui_message(ui, true, "Not found: '%s'", ui->search_text);
    return false;
}

/* ---- bounded memory for a capture that never ends ---------------------------------------- */

static size_t minus_or_zero(size_t a, size_t b)
{
    return a > b ? a - b : 0;
}

/* Drops the entries of shown-style list v (ascending packet indices) below k and rebases the
 * rest by k; returns how many were dropped. */
static size_t rebase_list(uint32_t *v, size_t n, size_t k)
{
    size_t drop = lower_bound(v, n, k);
    for (size_t j = drop; j < n; j++)
        v[j - drop] = v[j] - (uint32_t)k;
    return drop;
}

/* Packets let go at once: a quarter of the limit, so that the memmove is rare, and a multiple of
 * 8 so that the marks (a bit per packet) move by whole bytes. */
static size_t forget_step(size_t max_packets)
{
    size_t k = (max_packets / 4) & ~(size_t)7;
    return k < 8 ? 8 : k;
}

/*
 * A live capture past --max-packets: the oldest k packets leave the index (they stay in the
 * spool or -w file on disk), so the index, and with it the UI's memory, stops growing. Every
 * packet index the UI holds is rebased; positions in the shown list move with it.
 */
static void forget_oldest(struct ui *ui, size_t k)
{
    if (k > ui->idx.n)
        k = ui->idx.n;
    index_forget_oldest(&ui->idx, k);
    size_t drop = rebase_list(ui->shown, ui->nshown, k);
    ui->nshown -= drop;
    ui->paused_nshown = minus_or_zero(ui->paused_nshown, drop);
    ui->sel = minus_or_zero(ui->sel, drop);
    ui->list_top = minus_or_zero(ui->list_top, drop);
    ui->search_pos = minus_or_zero(ui->search_pos, drop);
    if (ui->refiltering) {
        ui->new_nshown -= rebase_list(ui->new_shown, ui->new_nshown, k);
        ui->refilter_pos = minus_or_zero(ui->refilter_pos, k);
    }
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

static void add_packet(struct ui *ui, const struct packet *pkt)
{
    struct pipeline_result res;
    char err[PS_ERRBUF_SIZE];
    /* The TUI's pipeline has no -w of its own (a spool writes it), so this cannot fail. */
    (void)pipeline_process(ui->pipe, pkt, &res, err);
    stats_add(ui->stats, pkt, res.d, &res.ti);
    size_t i = index_add(&ui->idx, pkt, &res.ti);
    if (i > UINT32_MAX - 1)
        return;
    if (filter_match(ui, &ui->filter, i, pkt, res.d)) {
        ui->shown = xgrow(ui->shown, &ui->shown_cap, ui->nshown + 1, sizeof(*ui->shown));
        ui->shown[ui->nshown++] = (uint32_t)i;
        /* Paused, the display stays as it was; with --replay/--step, pausing stops the
         * packets themselves, so whatever is let in (a step) is shown. */
        if (!ui->paused || ui->replay_speed > 0 || ui->step_mode)
            ui->paused_nshown = ui->nshown;
    }
    if (ui->max_packets && ui->idx.n >= ui->max_packets)
        forget_oldest(ui, forget_step(ui->max_packets));
}

/* Replay and --step hold the next packet until its time (or a step) comes. Returns true when
 * the held packet may go in now; *wait_ms says how long until it may. */
static bool replay_gate(struct ui *ui, int64_t *wait_ms)
{
    *wait_ms = -1;
    if (ui->paused) {
        if (ui->step_credit) {
            ui->step_credit--;
            replay_clock_restart(&ui->replay); /* re-anchor the clock after a pause */
            return true;
        }
        return false;
    }
    if (ui->replay_speed <= 0)
        return true;
    int64_t wait =
        replay_clock_wait_ms(&ui->replay, ui->held.ts_sec, ui->held.ts_nsec, ui_now_ms());
    if (wait <= 0)
        return true;
    *wait_ms = wait;
    return false;
}

static bool index_work(struct ui *ui, int64_t deadline, int64_t *wait_ms)
{
    *wait_ms = -1;
    if (ui->src_eof || ui->refiltering || !ui->src)
        return false;
    bool gated = ui->replay_speed > 0 || ui->step_mode;
    for (unsigned k = 0;; k++) {
        if (gated && ui->have_held) {
            if (!replay_gate(ui, wait_ms))
                return false;
            ui->have_held = false;
            add_packet(ui, &ui->held);
            ui->dirty = true;
            continue;
        }
        if (ui->src_again)
            return false;
        struct packet pkt;
        int r = pipeline_read(ui->pipe, &pkt, ui->src_error);
        if (r == SOURCE_PACKET) {
            if (pkt.caplen > CAPTURE_MAX_PACKET)
                pkt.caplen = CAPTURE_MAX_PACKET;
            if (gated) {
                ui->held = pkt;
                if (pkt.caplen)
                    memcpy(ui->held_data, pkt.data, pkt.caplen);
                ui->held.data = ui->held_data;
                ui->held.comment = NULL;
                ui->held.comment_len = 0;
                ui->have_held = true;
            } else {
                add_packet(ui, &pkt);
            }
            ui->dirty = true;
        } else if (r == SOURCE_AGAIN) {
            ui->src_again = true;
            return false;
        } else {
            ui->src_eof = true;
            if (r == SOURCE_ERROR) {
                ui->src_damaged = true;
                ui_message(ui, true, "%s", ui->src_error);
            }
            ui->dirty = true;
            return false;
        }
        if (k % 64 == 63 && ui_now_ms() >= deadline)
            return true;
    }
}

/* ---- prompt ------------------------------------------------------------------------------ */

static void prompt_open(struct ui *ui, enum prompt_kind kind, const char *init)
{
    ui->prompt = kind;
    snprintf(ui->pbuf, sizeof(ui->pbuf), "%s", init ? init : "");
    ui->plen = strlen(ui->pbuf);
    ui->msg[0] = '\0';
    curs_set(1);
    ui->dirty = true;
}

static void goto_packet(struct ui *ui, const char *text)
{
    unsigned long n;
    uint64_t total = ui->idx.base + ui->idx.n;
    if (parse_ulong(text, 1, SIZE_MAX, &n) < 0) {
        ui_message(ui, true, "go to packet: a packet number from 1 to %" PRIu64 ", not '%s'", total,
                   text);
        return;
    }
    if (n > total) {
        ui_message(ui, true, "there is no packet %lu yet (%" PRIu64 " so far)", n, total);
        return;
    }
    if (n <= ui->idx.base) {
        ui_select_frame(ui, n); /* says why it cannot */
        return;
    }
    if (ui->depth > 0)
        while (ui->depth > 0)
            ui_pop_view(ui);
    if (!ui_select_frame(ui, n))
        ui_message(ui, true, "packet %lu is hidden by the filter; showing the next one", n);
}

static void prompt_accept(struct ui *ui)
{
    enum prompt_kind kind = ui->prompt;
    ui->prompt = PROMPT_NONE;
    curs_set(0);
    ui->pbuf[ui->plen] = '\0';
    switch (kind) {
    case PROMPT_SEARCH:
        if (search_compile(ui, ui->pbuf))
            search_start(ui, +1);
        break;
    case PROMPT_FILTER:
        ui_set_filter(ui, ui->pbuf);
        break;
    case PROMPT_GOTO:
        goto_packet(ui, ui->pbuf);
        break;
    case PROMPT_SAVE: /* ladderfiles */
        ui_save_accept(ui);
        break;
    default:
        break;
    }
    ui->dirty = true;
}

static void prompt_key(struct ui *ui, int ch)
{
    if (ui->prompt == PROMPT_OVERWRITE) { /* ladderfiles: y/n */
        ui_save_overwrite_key(ui, ch);
        return;
    }
    if (ch == 27) {
        ui->prompt = PROMPT_NONE;
        curs_set(0);
    } else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
        prompt_accept(ui);
    } else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
        if (ui->plen > 0)
            ui->plen--;
        else {
            ui->prompt = PROMPT_NONE;
            curs_set(0);
        }
    } else if (ch == 21) { /* Ctrl-U */
        ui->plen = 0;
    } else if (ch >= 0x20 && ch < 0x7f && ui->plen + 1 < sizeof(ui->pbuf)) {
        ui->pbuf[ui->plen++] = (char)ch;
    }
    ui->pbuf[ui->plen] = '\0';
    ui->dirty = true;
}

/* ---- global requests ------------------------------------------------------------------------ */

static void move_to_mark(struct ui *ui, int dir)
{
    size_t n = visible_count(ui);
    for (size_t step = 1; step <= n; step++) {
        size_t pos = dir > 0 ? (ui->sel + step) % n : (ui->sel + n - step % n) % n;
        if (ui_is_marked(ui, ui->shown[pos])) {
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
    size_t n = visible_count(ui);
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
        } else if (ui->filter.text) {
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
        prompt_open(ui, PROMPT_FILTER, ui->filter.text);
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
        ui_message(ui, false, "time: %s",
                   ui->tmode == FMT_TIME_RELATIVE   ? "seconds since the first packet"
                   : ui->tmode == FMT_TIME_ABSOLUTE ? "time of day, UTC"
                                                    : "seconds since the previous packet");
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
        ui->paused_nshown = ui->nshown;
        replay_clock_restart(&ui->replay);
        ui_message(ui, false, "%s", ui->paused ? "display paused (p resumes)" : "display resumed");
        break;
    case REQ_STEP:
        if (ui->replay_speed > 0 || ui->step_mode) {
            if (!ui->paused) {
                ui->paused = true;
                ui->paused_nshown = ui->nshown;
            }
            ui->step_credit++;
        } else {
            ui_message(ui, true, "stepping is for --replay and --step");
        }
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
    struct winsize ws;
    if (tty_out && ioctl(fileno(tty_out), TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
        resizeterm(ws.ws_row, ws.ws_col);
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
        if (ui->prompt == PROMPT_NONE)
            handle_mouse(ui);
        else if (getmouse(&ev) == OK) /* ladderfiles: a click must not close a saving view */
            ui->dirty = true;
        return;
    }
    if (ui->prompt != PROMPT_NONE) {
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
    if (r == REQ_BACK && (ui->refiltering || ui->searching)) {
        if (ui->refiltering)
            refilter_cancel(ui);
        if (ui->searching) {
            ui->searching = false;
            ui_message(ui, false, "search cancelled");
        }
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

/* ---- drawing the frame ---------------------------------------------------------------------- */

/* A file read as it is (not through a spool): its reading has a percentage. */
static bool source_is_file(struct source *src)
{
    return src && !source_has(src, SOURCE_CAP_LIVE) && !spool_source_inner(src);
}

static void draw_title(struct ui *ui)
{
    char buf[512];
    struct strbuf sb;
    sb_init(&sb, buf, sizeof(buf));
    sb_puts(&sb, "pktscope ");
    if (ui->src) {
        /* The file's name without its directories: the title bar is short. */
        const char *name = ui->src->name;
        const char *slash = strrchr(name, '/');
        if (slash && slash[1])
            name = slash + 1;
        sb_put_safe(&sb, (const uint8_t *)name, strlen(name));
        sb_puts(&sb, ui->growing ? " (following the file)" : ui->live ? " (live)" : "");
    }
    uint64_t packets = ui->idx.base + ui->idx.n;
    sb_printf(&sb, " | %" PRIu64 " packets", packets);
    if (ui->idx.base)
        sb_printf(&sb, " (newest %zu listed)", ui->idx.n);
    if (ui->filter.text) {
        sb_printf(&sb, ", %zu shown | %s: ", ui->nshown, ui->filter.bpf ? "BPF" : "filter");
        sb_put_safe(&sb, (const uint8_t *)ui->filter.text, strlen(ui->filter.text));
    }
    if (ui->paused)
        sb_puts(&sb, " | PAUSED");
    if (ui->follow_new && ui->live)
        sb_puts(&sb, " | following");
    if (ui->live) {
        /* Packets per second over the last whole second or so. */
        int64_t t = ui_now_ms();
        if (t - ui->rate_ms >= 1000) {
            ui->rate = ui->rate_ms
                           ? (double)(packets - ui->rate_n) * 1000.0 / (double)(t - ui->rate_ms)
                           : 0;
            ui->rate_ms = t;
            ui->rate_n = packets;
        }
        sb_printf(&sb, " | %.0f pkt/s", ui->rate);
        struct source *inner = spool_source_inner(ui->src);
        const char *kf = live_source_filter(inner ? inner : ui->src);
        if (kf && kf[0]) {
            sb_puts(&sb, " | capture filter: ");
            sb_put_safe(&sb, (const uint8_t *)kf, strlen(kf));
        }
    }
    if (ui->live && ui->src && ui->src->ops->stats) {
        struct source_stats st;
        memset(&st, 0, sizeof(st));
        ui->src->ops->stats(ui->src, &st);
        if (st.has_kernel_stats)
            sb_printf(&sb, " | drops %" PRIu64, st.kernel_dropped + st.if_dropped);
    }

    /* A progress bar for whatever long job runs. */
    double frac = -1;
    const char *what = NULL;
    if (ui->refiltering) {
        what = "filtering";
        frac = ui->idx.n ? (double)ui->refilter_pos / (double)ui->idx.n : 1;
    } else if (ui->searching) {
        what = "searching";
        size_t n = visible_count(ui);
        frac = n ? (double)ui->search_steps / (double)n : 1;
    } else if (!ui->src_eof && source_is_file(ui->src) && !ui->src_again) {
        uint64_t done = 0, total = 0;
        file_source_progress(ui->src, &done, &total);
        if (total) {
            what = "indexing";
            frac = (double)done / (double)total;
        }
    }
    int cols = ui->cols;
    int barw = what ? 24 : 0;
    ui_draw_text(ui, 0, 0, cols - barw, colors_title(), buf);
    if (what && cols > barw) {
        char bar[64];
        int inner = barw - 16;
        int fill = (int)(frac * inner);
        if (fill > inner)
            fill = inner;
        int k = snprintf(bar, sizeof(bar), "%s %3d%% [", what, (int)(frac * 100));
        for (int i = 0; i < inner && k < (int)sizeof(bar) - 2; i++)
            bar[k++] = i < fill ? '#' : '.';
        bar[k++] = ']';
        bar[k] = '\0';
        ui_draw_text(ui, 0, cols - barw, barw, colors_title(), bar);
    }
}

static void draw_status(struct ui *ui)
{
    int y = ui->rows - 1;
    if (ui->prompt != PROMPT_NONE) {
        const char *label = ui->prompt == PROMPT_SEARCH ? "Search (text, x:hex, r:regex): "
                            : ui->prompt == PROMPT_FILTER
                                ? "Filter (display filter or BPF; empty clears): "
                                : "Go to packet: ";
        char buf[700], save_label[400];
        if (ui->prompt == PROMPT_SAVE || ui->prompt == PROMPT_OVERWRITE) { /* ladderfiles */
            ui_save_label(ui, save_label, sizeof(save_label));
            label = save_label;
        }
        snprintf(buf, sizeof(buf), "%s%s", label, ui->prompt == PROMPT_OVERWRITE ? "" : ui->pbuf);
        ui_draw_text(ui, y, 0, ui->cols, A_BOLD, buf);
        int cx = (int)strlen(buf);
        move(y, cx < ui->cols ? cx : ui->cols - 1);
        return;
    }
    if (ui->msg[0]) {
        /* A message of several lines (a filter error with its caret) grows upwards over the
         * bottom of the view until the next key. */
        int nlines = 1;
        for (const char *c = ui->msg; *c; c++)
            nlines += *c == '\n';
        if (nlines > ui->rows - 2)
            nlines = ui->rows - 2;
        const char *line = ui->msg;
        for (int k = 0; k < nlines; k++) {
            const char *nl = strchr(line, '\n');
            char buf[sizeof(ui->msg)];
            size_t n = nl ? (size_t)(nl - line) : strlen(line);
            memcpy(buf, line, n);
            buf[n] = '\0';
            ui_draw_text(ui, y - (nlines - 1) + k, 0, ui->cols,
                         ui->msg_error ? colors_attr(ATTR_ERROR) : A_BOLD, buf);
            if (!nl)
                break;
            line = nl + 1;
        }
        return;
    }
    const char *hint = ui->depth ? "q back  ? help  Enter select  / search"
                                 : "? help  Tab pane  / search  f filter  c conns  L ladder  "
                                   "F follow  s stats  q quit";
    ui_draw_text(ui, y, 0, ui->cols, colors_attr(ATTR_DIM), hint);
}

static void draw_too_small(struct ui *ui)
{
    erase();
    char buf[200];
    snprintf(buf, sizeof(buf), "pktscope needs at least %dx%d; this terminal is %dx%d.",
             UI_MIN_COLS, UI_MIN_ROWS, ui->cols, ui->rows);
    int w = ui->cols;
    mvaddnstr(0, 0, buf, w);
    mvaddnstr(1, 0, "Make the window larger, or press q to quit.", w);
}

static void draw(struct ui *ui)
{
    bool gated = ui->replay_speed > 0 || ui->step_mode;
    if (ui->follow_new && (!ui->paused || gated) && ui->nshown && ui->depth == 0) {
        ui->sel = visible_count(ui) - 1;
        ui_load_selection(ui);
    }
    if (ui->cur_idx == SIZE_MAX && visible_count(ui) > 0)
        ui_load_selection(ui);
    if (ui->rows < UI_MIN_ROWS || ui->cols < UI_MIN_COLS) {
        draw_too_small(ui);
        refresh();
        return;
    }
    draw_title(ui);
    if (ui->depth > 0) {
        struct view *v = ui->stack[ui->depth - 1];
        v->ops->draw(ui, v);
    } else {
        for (int p = 0; p < PANE__COUNT; p++)
            if (ui->panes[p].h > 0)
                ui->panes[p].ops->draw(ui, &ui->panes[p]);
    }
    draw_status(ui);
    refresh();
}

size_t ui_visible_count(const struct ui *ui);
size_t ui_visible_count(const struct ui *ui)
{
    return visible_count(ui);
}

/* ---- the loop ---------------------------------------------------------------------------- */

static void run_loop(struct ui *ui)
{
    int64_t last_draw = 0;
    int64_t last_again_try = 0;
    int64_t last_tick = 0;
    int in_fd = fileno(tty_in);
    while (!ui->quit) {
        if (sig_quit)
            break;
        if (sig_winch) {
            sig_winch = 0;
            handle_resize(ui);
        }
        int64_t now = ui_now_ms();
        if (ui->dirty && now - last_draw >= FRAME_MS) {
            draw(ui);
            ui->dirty = false;
            last_draw = now;
        }

        /* Background work, one slice: a filter or a search first, then the index, then the
         * view on top (a ladder or a stream being built). */
        /* (The clock is read again: drawing may have taken a while on a loaded machine.) */
        int64_t deadline = ui_now_ms() + SLICE_MS;
        int64_t wait_ms = -1;
        bool busy = false;
        if (ui->refiltering)
            busy = refilter_work(ui, deadline) || busy;
        else if (ui->searching)
            busy = search_work(ui, deadline) || busy;
        size_t before = ui->idx.n;
        if (!ui->refiltering)
            busy = index_work(ui, ui_now_ms() + SLICE_MS, &wait_ms) || busy;
        if (ui->idx.n != before)
            ui->dirty = true;
        if (ui->depth > 0) {
            struct view *v = ui->stack[ui->depth - 1];
            if (v->ops->work && v->ops->work(ui, v)) {
                busy = true;
                ui->dirty = true;
            }
        }
        busy = busy || ui->refiltering || ui->searching;

        int timeout;
        if (busy) {
            timeout = 0;
        } else {
            timeout = ui->live ? 500 : -1;
            if (ui->dirty) {
                int64_t left = FRAME_MS - (ui_now_ms() - last_draw);
                timeout = left > 0 ? (int)left : 0;
            }
            if (wait_ms >= 0 && (timeout < 0 || wait_ms < timeout))
                timeout = (int)wait_ms;
            if (ui->src_again && !ui->src_eof) {
                int fd = ui->src->ops->fd ? ui->src->ops->fd(ui->src) : -1;
                if (fd < 0 && (timeout < 0 || timeout > 200))
                    timeout = 200;
            }
        }

        struct pollfd pfd[2];
        int nfds = 0;
        pfd[nfds].fd = in_fd;
        pfd[nfds].events = POLLIN;
        pfd[nfds++].revents = 0;
        int src_fd = -1;
        if (ui->src_again && !ui->src_eof && ui->src->ops->fd)
            src_fd = ui->src->ops->fd(ui->src);
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
        if (pr > 0 && (pfd[0].revents & POLLIN)) {
            int ch;
            unsigned k = 0;
            while ((ch = getch()) != ERR && k++ < 256 && !ui->quit)
                handle_key(ui, ch);
        }
        if (src_fd >= 0 && pr > 0 && pfd[1].revents)
            ui->src_again = false;
        if (ui->src_again && src_fd < 0) {
            int64_t t = ui_now_ms();
            if (t - last_again_try >= 200) {
                last_again_try = t;
                ui->src_again = false;
            }
        }
        if (ui->live && ui_now_ms() - last_tick >= 1000) {
            last_tick = ui_now_ms();
            ui->dirty = true; /* the rate and drop counters, once a second */
        }
    }
}

/* ---- setup and teardown ------------------------------------------------------------------ */

/* A capture that never ends (live, --follow, or a stream such as -r - from a pipe) keeps its
 * newest packets listed; a file, whose size is its own bound, keeps them all. Only an index
 * whose packets are on disk can let entries go. */
static size_t live_packet_limit(const struct ui *ui)
{
    struct source *inner = ui->src ? spool_source_inner(ui->src) : NULL;
    bool stream = inner && !source_has(inner, SOURCE_CAP_RANDOM_ACCESS);
    if (!(ui->live || stream) || !ui->random_access || ui->max_packets_arg == SIZE_MAX)
        return 0;
    return ui->max_packets_arg;
}

/* Sets up the state; false (errbuf set) when the pipeline cannot start: a BPF filter that does
 * not compile. The source is the pipeline's either way. */
static bool ui_init_state(struct ui *ui, const struct ui_args *args, char *errbuf)
{
    memset(ui, 0, sizeof(*ui));
    ui->src = args->src;
    ui->live = source_has(args->src, SOURCE_CAP_GROWING);
    ui->growing = ui->live && !source_has(args->src, SOURCE_CAP_LIVE);
    ui->random_access = source_has(args->src, SOURCE_CAP_RANDOM_ACCESS);
    ui->max_packets_arg = args->max_packets ? args->max_packets : UI_DEFAULT_MAX_PACKETS;
    ui->max_packets = live_packet_limit(ui);
    ui->dopt.verify_checksums = !args->no_checksums;
    struct pipeline_config pc;
    memset(&pc, 0, sizeof(pc));
    pc.verify_checksums = ui->dopt.verify_checksums;
    /* Not yet: the views re-dissect any packet on its own, so the list and the layers would
     * disagree with a tracker that saw reassembled data (issue 10 keeps it open). */
    pc.reassembly = false;
    tracker_config_default(&pc.tracker);
    if (args->max_flows)
        pc.tracker.max_flows = args->max_flows;
    /* A capture that never ends (live, --follow, or one the picker will start) keeps the
     * newest connection summaries, as the list keeps the newest packets. */
    if (ui->live || !args->src)
        pc.tracker.max_conns = TRACKER_LIVE_MAX_CONNS;
    /* A BPF filter on a file is the list's first display filter, which the user may change;
     * with -Y as well, -Y is that filter and BPF decides which packets are read at all, as in
     * the batch outputs. A live capture's BPF is the kernel's. */
    if (args->display_filter && !source_has(args->src, SOURCE_CAP_LIVE))
        pc.filter = args->filter;
    ui->pipe = pipeline_new(args->src, &pc, errbuf);
    if (!ui->pipe)
        return false;
    ui->tracker = pipeline_tracker(ui->pipe);
    ui->stats = xmalloc(sizeof(*ui->stats));
    stats_init(ui->stats);
    index_init(&ui->idx, !ui->random_access);
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
    ui->replay_speed = args->replay_speed;
    replay_clock_init(&ui->replay, args->replay_speed);
    ui->step_mode = args->step;
    if (ui->replay_speed > 0 || ui->step_mode)
        ui->held_data = xmalloc(CAPTURE_MAX_PACKET);
    if (ui->step_mode)
        ui->paused = true;
    ui->follow_new = ui->live || ui->replay_speed > 0 || ui->step_mode;
    ui->panes[PANE_LIST].ops = &view_list_ops;
    ui->panes[PANE_LAYERS].ops = &view_layers_ops;
    ui->panes[PANE_BYTES].ops = &view_bytes_ops;
    ui->dirty = true;
    return true;
}

void ui_attach_source(struct ui *ui, struct source *src)
{
    pipeline_set_source(ui->pipe, src);
    ui->src = src;
    ui->live = source_has(src, SOURCE_CAP_GROWING);
    ui->random_access = source_has(src, SOURCE_CAP_RANDOM_ACCESS);
    ui->max_packets = live_packet_limit(ui);
    index_release(&ui->idx);
    index_init(&ui->idx, !ui->random_access);
    ui->src_eof = ui->src_again = false;
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
    filter_release(&ui->filter);
    if (ui->refiltering)
        filter_release(&ui->new_filter);
    free(ui->new_shown);
    free(ui->shown);
    if (ui->search_re_ok)
        regfree(&ui->search_re);
    pipeline_free(ui->pipe); /* its source and tracker too */
    ui->pipe = NULL;
    ui->src = NULL;
    ui->tracker = NULL;
    free(ui->stats);
    index_release(&ui->idx);
    free(ui->d);
    free(ui->scratch);
    free(ui->cache);
    free(ui->pdata);
    free(ui->pcomment);
    free(ui->held_data);
    free(ui->marks);
}

int ui_run(const struct ui_args *args)
{
    char errbuf[PS_ERRBUF_SIZE];
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
    /* The list's first display filter: -Y, else a BPF filter on a file (the kernel applies it
     * to a live capture). */
    const char *first = args->display_filter;
    if (!first && !source_has(args->src, SOURCE_CAP_LIVE))
        first = args->filter;
    if (args->src && first && first[0]) {
        struct display_filter nf;
        memset(&nf, 0, sizeof(nf));
        char derr[1024];
        if (parse_stream_filter(first, &nf.proto, &nf.stream_id)) {
            nf.stream = true;
        } else if (args->display_filter) {
            if (dfilter_compile(first, &nf.df, derr, sizeof(derr)) < 0) {
                fprintf(stderr, "pktscope: %s\n", derr);
                ui_free_state(ui);
                free(ui);
                return PS_EXIT_USAGE;
            }
        } else {
            nf.bpf = bpf_filter_new(first, errbuf);
            if (!nf.bpf) {
                fprintf(stderr, "pktscope: %s\n", errbuf);
                ui_free_state(ui);
                free(ui);
                return PS_EXIT_USAGE;
            }
        }
        nf.text = xstrdup(first);
        ui->filter = nf;
    }

    setlocale(LC_CTYPE, "");
    const char *cs = nl_langinfo(CODESET);
    ui->utf8 = cs && strcmp(cs, "UTF-8") == 0;

    install_signals();
    atexit(at_exit_restore);
    if (terminal_open(args->no_color, errbuf) < 0) {
        terminal_restore();
        fprintf(stderr, "pktscope: %s\n", errbuf);
        ui_free_state(ui);
        free(ui);
        return PS_EXIT_USAGE;
    }
    stderr_capture();
    ui_layout(ui);
    for (int p = 0; p < PANE__COUNT; p++)
        if (ui->panes[p].ops->open)
            ui->panes[p].ops->open(ui, &ui->panes[p]);
    if (!ui->src)
        ui_push_view(ui, &view_picker_ops);

    run_loop(ui);

    terminal_restore();
    stderr_restore();
    int status = ui->exit_status ? ui->exit_status : ui->src_damaged ? PS_EXIT_DAMAGED : PS_EXIT_OK;
    if (ui->src_damaged || ui->exit_status)
        fprintf(stderr, "pktscope: %s\n", ui->src_error);
    pipeline_print_kernel_stats(ui->pipe, stderr);
    ui_free_state(ui);
    free(ui);
    if (screen) {
        delscreen(screen);
        screen = NULL;
    }
    if (tty_in) {
        fclose(tty_in);
        tty_in = NULL;
    }
    if (tty_out) {
        fclose(tty_out);
        tty_out = NULL;
    }
    return status;
}
