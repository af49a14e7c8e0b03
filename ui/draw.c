/*
 * Drawing: the helpers every view draws with (one line of formatted text, made safe on the way
 * to the terminal; a bar; cursor movement in a list), the layout of the panes and the views
 * above them, and the frame around them: the title bar with the capture's state and a progress
 * bar for the job at work, and the status line (a message, the prompt or the key hints).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "capture/live.h"
#include "capture/spool.h"
#include "ui/internal.h"

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
    /* Text cut at the edge ends in an ellipsis ("~" on a terminal without UTF-8: ">" would
     * read as an arrow or a comparison), so a cut line never passes for a whole one. */
    size_t rest = i;
    while (rest < n && t[rest] == ' ')
        rest++;
    if (col >= w && w > 0 && rest < n) {
        attrset(a);
        mvaddstr(y0, x0 + (col - 1 - *colp), ui->utf8 ? "\xe2\x80\xa6" : "~");
    }
    *colp = col;
}

/* The columns the character at t[i] takes as draw_bytes draws it (*clen: its bytes). */
static size_t char_cols(const struct ui *ui, const unsigned char *t, size_t n, size_t i,
                        size_t *clen)
{
    unsigned char c = t[i];
    *clen = 1;
    if (c < 0xc2 || c >= 0xf5)
        return 1;
    size_t k = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    for (size_t j = 1; j < k; j++)
        if (i + j >= n || (t[i + j] & 0xc0) != 0x80)
            return 1;
    *clen = k;
    /* without UTF-8 the arrows are "->" and "<-", anything else "?" */
    return !ui->utf8 && k == 3 && t[i] == 0xe2 && t[i + 1] == 0x86 &&
                   (t[i + 2] == 0x92 || t[i + 2] == 0x90)
               ? 2
               : 1;
}

/* Where a line too wide for w columns (after hscroll) is cut: before the last blank that
 * leaves room for the ellipsis, so that the cut falls between tokens and never inside an
 * address or a number; n when the line fits, or when one token fills the whole width (then
 * draw_bytes cuts it at the edge). */
static size_t token_cut(const struct ui *ui, const unsigned char *t, size_t n, int w,
                        size_t hscroll)
{
    size_t end = n;
    while (end > 0 && t[end - 1] == ' ')
        end--;
    size_t vcol = 0, best = n, clen;
    bool seen = false; /* a visible non-blank before the blank */
    for (size_t i = 0; i < end; i += clen) {
        size_t cw = char_cols(ui, t, end, i, &clen);
        if (t[i] == ' ' && seen && vcol >= hscroll && vcol - hscroll <= (size_t)w - 1)
            best = i;
        if (t[i] != ' ' && vcol >= hscroll)
            seen = true;
        vcol += cw;
    }
    if (vcol <= hscroll + (size_t)w)
        return n; /* it fits */
    while (best < n && best > 0 && t[best - 1] == ' ')
        best--;
    return best;
}

static void draw_line(struct ui *ui, int y, int x, int w, const struct line *l, size_t hscroll,
                      attr_t extra, bool between_tokens)
{
    if (w <= 0)
        return;
    move(y, x);
    int col = 0;
    if (l) {
        const unsigned char *t = (const unsigned char *)l->text;
        size_t cut = w > 1 && between_tokens ? token_cut(ui, t, l->len, w, hscroll) : l->len;
        draw_bytes(ui, t, cut, w, hscroll, l, 0, extra, &col);
        if (cut < l->len && col < w) {
            attrset(extra | colors_attr(l->attr));
            addstr(ui->utf8 ? "\xe2\x80\xa6" : "~");
            col++;
        }
    }
    attrset(extra);
    for (; col < w; col++)
        addch(' ');
    attrset(A_NORMAL);
}

void ui_draw_line(struct ui *ui, int y, int x, int w, const struct line *l, size_t hscroll,
                  attr_t extra)
{
    draw_line(ui, y, x, w, l, hscroll, extra, true);
}

void ui_draw_line_at_edge(struct ui *ui, int y, int x, int w, const struct line *l, size_t hscroll,
                          attr_t extra)
{
    draw_line(ui, y, x, w, l, hscroll, extra, false);
}

void ui_draw_text(struct ui *ui, int y, int x, int w, attr_t attr, const char *s)
{
    if (w <= 0)
        return;
    move(y, x);
    int col = 0;
    size_t n = strlen(s), cut = w > 1 ? token_cut(ui, (const unsigned char *)s, n, w, 0) : n;
    draw_bytes(ui, (const unsigned char *)s, cut, w, 0, NULL, attr, 0, &col);
    attrset(attr);
    if (cut < n && col < w) {
        addstr(ui->utf8 ? "\xe2\x80\xa6" : "~");
        col++;
    }
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
    /* When the text does not fit, the bar's right end says which lines show and how many there
     * are (as less does), so that what lies below is not mistaken for the end. */
    if (ls->n > rows && rows > 0 && v->w > 24) {
        char where[48];
        size_t last = v->top + rows < ls->n ? v->top + rows : ls->n;
        int n = snprintf(where, sizeof(where), " lines %zu-%zu of %zu ", v->top + 1, last, ls->n);
        attr_t bar = mvinch(v->y, v->x + v->w - 1) & (A_ATTRIBUTES | A_COLOR);
        ui_draw_text(ui, v->y, v->x + v->w - n, n, bar, where);
    }
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
    if (ui_source(ui)) {
        /* The file's name without its directories: the title bar is short. */
        const char *name = ui_source(ui)->name;
        const char *slash = strrchr(name, '/');
        if (slash && slash[1])
            name = slash + 1;
        sb_put_safe(&sb, (const uint8_t *)name, strlen(name));
        sb_puts(&sb, ui->in.growing ? " (following the file)" : ui->in.live ? " (live)" : "");
    }
    uint64_t packets = ui->idx.base + index_count(&ui->idx);
    uint64_t in_file = 0;
    bool total_known = ingest_total(ui, &in_file);
    if (ui_stepping(ui) && ui_source(ui) && !ui->in.live) {
        /* Stepping: which packet is shown, of how many ("packet 5 of 40"). */
        size_t asof = ui_asof_count(ui);
        if (asof == 0)
            sb_printf(&sb, " | before packet %" PRIu64, ui->idx.base + 1);
        else
            sb_printf(&sb, " | packet %" PRIu64, ui_frame(ui, asof - 1));
        if (total_known)
            sb_printf(&sb, " of %" PRIu64, in_file);
        else if (asof < ui->idx.n)
            sb_printf(&sb, " of %" PRIu64 " read so far", packets);
    } else {
        sb_printf(&sb, " | %" PRIu64 " packet%s", packets, packets == 1 ? "" : "s");
    }
    if (ui->idx.base)
        sb_printf(&sb, " (newest %zu listed)", ui->idx.n);
    if (ui->lf.active.text) {
        sb_printf(&sb, ", %zu shown | %s: ", ui->lf.nshown, ui->lf.active.bpf ? "BPF" : "filter");
        sb_put_safe(&sb, (const uint8_t *)ui->lf.active.text, strlen(ui->lf.active.text));
    }
    if (ui->paused)
        sb_puts(&sb, " | PAUSED");
    else if (ui->in.pace_ms > 0)
        sb_printf(&sb, " | pace %.3g s", (double)ui->in.pace_ms / 1000.0);
    else if (ui->in.replay_speed > 0)
        sb_printf(&sb, ui->in.replay_speed >= 1000 ? " | replay x%.0f" : " | replay x%.3g",
                  ui->in.replay_speed);
    if (ui->follow_new && ui->in.live)
        sb_puts(&sb, " | following");
    if (ui->in.live) {
        sb_printf(&sb, " | %.0f pkt/s", ingest_rate(ui));
        struct source *inner = spool_source_inner(ui_source(ui));
        const char *kf = live_source_filter(inner ? inner : ui_source(ui));
        if (kf && kf[0]) {
            sb_puts(&sb, " | capture filter: ");
            sb_put_safe(&sb, (const uint8_t *)kf, strlen(kf));
        }
    }
    const struct spool *sp = spool_of_source(ui_source(ui));
    uint64_t spool_dropped_packets = 0;
    if (sp)
        spool_dropped(sp, &spool_dropped_packets, NULL);
    if (spool_dropped_packets) /* --spool-limit: the oldest packets are no longer on disk */
        sb_printf(&sb, " | %" PRIu64 " oldest off disk (spool limit %" PRIu64 " MiB)",
                  spool_dropped_packets, spool_limit(sp) >> 20);
    if (ui->in.live && ui_source(ui) && ui_source(ui)->ops->stats) {
        struct source_stats st;
        memset(&st, 0, sizeof(st));
        ui_source(ui)->ops->stats(ui_source(ui), &st);
        if (st.has_kernel_stats)
            sb_printf(&sb, " | drops %" PRIu64, st.kernel_dropped + st.if_dropped);
    }

    /* A progress bar for whatever long job runs. */
    double frac = -1;
    const char *what = NULL;
    if (ui->lf.working) {
        what = "filtering";
        size_t scope = listfilter_scope(ui, &ui->lf.pending);
        frac = scope ? (double)ui->lf.pos / (double)scope : 1;
    } else if (ui->search.working) {
        what = "searching";
        size_t n = ui_visible_count(ui);
        frac = n ? (double)ui->search.steps / (double)n : 1;
    } else if (ingest_outlining(ui)) {
        uint64_t done = 0, total = 0;
        file_source_progress(ui->in.ahead, &done, &total);
        what = "indexing";
        frac = total ? (double)done / (double)total : 0;
    } else if (!ui->in.eof && source_is_file(ui_source(ui)) && !ui->in.again && !ingest_gated(ui)) {
        /* (Paced or stepped, the file is read a packet at a time: nothing is being indexed.)
         * Outlined, the file is listed whole and the analysis (tracking, reassembly) follows. */
        uint64_t done = 0, total = 0;
        file_source_progress(ui_source(ui), &done, &total);
        if (total) {
            what = ui->in.outlining ? "analysing" : "indexing";
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
    if (ui->prompt.kind != PROMPT_NONE) {
        prompt_draw(ui, y);
        return;
    }
    if (ui->msg[0]) {
        /* A message of several lines (a filter error with its caret) grows upwards over the
         * bottom of the view until the next key. A line wider than the screen is wrapped, not
         * cut: at 80 columns the end of a filter error is what says what is wrong (and an
         * expression and its caret line wrap at the same columns, so they stay aligned). */
        enum { MAX_PIECES = 64 };
        const char *piece[MAX_PIECES];
        size_t piece_len[MAX_PIECES];
        int npieces = 0;
        size_t width = ui->cols > 0 ? (size_t)ui->cols : 1;
        for (const char *line = ui->msg; line && npieces < MAX_PIECES;) {
            const char *nl = strchr(line, '\n');
            size_t n = nl ? (size_t)(nl - line) : strlen(line);
            /* An indented line is an expression or its caret line: cut at the same columns;
             * prose is cut after a blank when there is one in the piece's last third. */
            bool prose = !(n >= 2 && line[0] == ' ' && line[1] == ' ');
            size_t at = 0;
            do { /* pieces of `width` characters (UTF-8 continuation bytes take no column) */
                size_t start = at, cols = 0;
                while (at < n && (cols < width || ((unsigned char)line[at] & 0xc0) == 0x80)) {
                    cols += ((unsigned char)line[at] & 0xc0) != 0x80;
                    at++;
                }
                if (prose && at < n) {
                    size_t blank = at;
                    while (blank > start + (at - start) * 2 / 3 && line[blank - 1] != ' ')
                        blank--;
                    if (line[blank - 1] == ' ')
                        at = blank;
                }
                piece[npieces] = line + start;
                piece_len[npieces++] = at - start;
            } while (at < n && npieces < MAX_PIECES);
            line = nl ? nl + 1 : NULL;
        }
        int first = 0;
        if (npieces > ui->rows - 2)
            first = npieces - (ui->rows - 2); /* the end says most */
        for (int k = first; k < npieces; k++) {
            char buf[sizeof(ui->msg)];
            memcpy(buf, piece[k], piece_len[k]);
            buf[piece_len[k]] = '\0';
            ui_draw_text(ui, y - (npieces - 1 - k), 0, ui->cols,
                         ui->msg_error ? colors_attr(ATTR_ERROR) : A_BOLD, buf);
        }
        return;
    }
    /* Key hints, most useful first; a hint that does not fit whole is left out rather than cut
     * (at 80 columns "q quit" must not read "q q..."), except that "? help" always shows. */
    static const char *const main_hints[] = {"? help",   "q quit",  "/ search",
                                             "f filter", "c conns", "L ladder",
                                             "F follow", "s stats", "Tab pane"};
    static const char *const view_hints[] = {"? help", "q back", "Enter select", "/ search"};
    /* Stepping, how to step comes first (a class watching must see it, at 60 columns too). */
    static const char *const step_hints[] = {". next",  ", back",   "p play",   "? help",  "q quit",
                                             "c conns", "L ladder", "/ search", "f filter"};
    static const char *const play_hints[] = {"p pause", ". step",   ", back",   "? help",  "q quit",
                                             "c conns", "L ladder", "/ search", "f filter"};
    const char *const *hints = ui->depth ? view_hints : main_hints;
    size_t nhints = ui->depth ? sizeof(view_hints) / sizeof(view_hints[0])
                              : sizeof(main_hints) / sizeof(main_hints[0]);
    static const char *const step_view_hints[] = {". next", ", back", "p play",
                                                  "? help", "q back", "Enter select"};
    if (ui_stepping(ui) && !ui->in.live) {
        hints = ui->depth ? step_view_hints : ui->paused ? step_hints : play_hints;
        nhints = ui->depth    ? ARRAY_SIZE(step_view_hints)
                 : ui->paused ? ARRAY_SIZE(step_hints)
                              : ARRAY_SIZE(play_hints);
    }
    char hint[256];
    size_t len = 0;
    hint[0] = '\0';
    for (size_t i = 0; i < nhints; i++) {
        size_t need = strlen(hints[i]) + (len ? 2 : 0);
        if (len && len + need > (size_t)ui->cols)
            continue;
        if (len + need >= sizeof(hint))
            break;
        len += (size_t)snprintf(hint + len, sizeof(hint) - len, "%s%s", len ? "  " : "", hints[i]);
    }
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

void ui_draw_screen(struct ui *ui)
{
    bool gated = ingest_gated(ui);
    if (ui->follow_new && (!ui->paused || gated) && ui->lf.nshown && ui->depth == 0) {
        ui->sel = ui_visible_count(ui) - 1;
        ui_load_selection(ui);
    }
    if (ui->cur_idx == SIZE_MAX && ui_visible_count(ui) > 0)
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
