/*
 * The interface picker: `pktscope` in a terminal with neither -r nor -i lists the interfaces
 * (pcap_findalldevs through capture/live.h, with their state and addresses); Enter starts a live
 * capture on the chosen one. The capture is opened, privileges are dropped (-Z, default nobody
 * when root) before the first packet is read, and the packets are spooled to an unlinked
 * temporary file so the UI can re-read any of them, exactly as `pktscope -i IFACE` does.
 */
#include <string.h>

#include "capture/live.h"
#include "ui/internal.h"

struct picker_priv {
    struct live_iface *list;
    size_t n;
    struct lines ls;
    char error[PS_ERRBUF_SIZE];
};

static void picker_open(struct ui *ui, struct view *v)
{
    (void)ui;
    struct picker_priv *p = xcalloc(1, sizeof(*p));
    lines_init(&p->ls);
    v->priv = p;
    if (live_ifaces(&p->list, &p->n, p->error) < 0) {
        p->list = NULL;
        p->n = 0;
    }
    for (size_t i = 0; i < p->n; i++) {
        const struct live_iface *f = &p->list[i];
        lines_begin(&p->ls, ATTR_NORMAL);
        /* A name from the system may hold any byte: escaped as packet bytes are. */
        size_t nl = strlen(f->name);
        lines_add_safe(&p->ls, ATTR_HEADER, (const uint8_t *)f->name, nl);
        if (nl < 16)
            lines_addf(&p->ls, ATTR_HEADER, "%*s", (int)(16 - nl), "");
        lines_addf(&p->ls, f->up ? ATTR_HANDSHAKE : ATTR_DIM, " %-5s", f->up ? "up" : "down");
        lines_addf(&p->ls, ATTR_DIM, " %-9s", f->running ? "running" : "");
        lines_addf(&p->ls, ATTR_DIM, " %-9s",
                   f->loopback   ? "loopback"
                   : f->wireless ? "wireless"
                                 : "");
        if (f->addresses && f->addresses[0])
            lines_addf(&p->ls, ATTR_ADDR, " %s", f->addresses);
        if (f->description && f->description[0]) {
            lines_addf(&p->ls, ATTR_NOTE, "  (");
            lines_add_safe(&p->ls, ATTR_NOTE, (const uint8_t *)f->description,
                           strlen(f->description));
            lines_addf(&p->ls, ATTR_NOTE, ")");
        }
        lines_end(&p->ls);
    }
}

static void picker_close(struct ui *ui, struct view *v)
{
    (void)ui;
    struct picker_priv *p = v->priv;
    if (p) {
        live_ifaces_free(p->list, p->n);
        lines_release(&p->ls);
        free(p);
    }
}

static void picker_draw(struct ui *ui, struct view *v)
{
    struct picker_priv *p = v->priv;
    ui_draw_bar(ui, v, true,
                " Capture on which interface? (Enter starts, q quits; pktscope -r FILE reads a "
                "file)");
    if (p->n == 0) {
        ui_draw_text(ui, v->y + 1, v->x, v->w, colors_attr(ATTR_ERROR),
                     p->error[0] ? p->error : "no interface can be captured on");
        for (int r = 2; r < v->h; r++)
            ui_draw_line(ui, v->y + r, v->x, v->w, NULL, 0, 0);
        return;
    }
    ui_draw_lines(ui, v, &p->ls, true);
}

/* libpcap's warning about the interface just opened (e.g. no promiscuous mode). */
static void show_warning(void *ctx, const char *text)
{
    ui_message(ctx, false, "warning: %s", text);
}

/* Opens the interface, drops privileges, spools; returns the source or NULL (message set). */
static struct source *start_capture(struct ui *ui, const char *name, bool *fatal)
{
    char err[PS_ERRBUF_SIZE];
    struct pipeline_input in;
    memset(&in, 0, sizeof(in));
    in.interface = name;
    in.filter = ui->pick_filter;
    in.snaplen = ui->pick_snaplen;
    in.promisc = !ui->pick_no_promisc;
    in.timeout_ms = LIVE_TUI_TIMEOUT_MS; /* see there: not immediate mode */
    in.buffer_kib = ui->pick_buffer_kib ? ui->pick_buffer_kib : LIVE_TUI_BUFFER_KIB;
    in.user = ui->pick_user;
    in.warn = show_warning;
    in.warn_ctx = ui;
    struct source *src = pipeline_open_input(&in, err, fatal);
    if (!src) {
        if (*fatal) /* never go on with privileges: the caller quits with status 2 */
            snprintf(ui->in.error, sizeof(ui->in.error), "%s", err);
        else
            ui_message(ui, true, "%s", err);
        return NULL;
    }
    /* Created after the privileges are dropped: a -w file belongs to that user. */
    char notice[PS_ERRBUF_SIZE];
    src = pipeline_rereadable(src, ui->pick_write_file, ui->pick_spool_limit,
                              ui->pick_spool_limit_given, notice, err);
    if (!src) {
        snprintf(ui->in.error, sizeof(ui->in.error), "%s", err);
        *fatal = true;
        return NULL;
    }
    if (notice[0])
        ui_message(ui, true, "%s", notice);
    return src;
}

static bool picker_request(struct ui *ui, struct view *v, enum request r)
{
    struct picker_priv *p = v->priv;
    size_t rows = v->h > 1 ? (size_t)v->h - 1 : 1;
    switch (r) {
    case REQ_BACK:
    case REQ_CLOSE:
    case REQ_QUIT:
        ui->quit = true;
        return true;
    case REQ_ENTER: {
        if (v->cur >= p->n)
            return true;
        bool fatal;
        struct source *src = start_capture(ui, p->list[v->cur].name, &fatal);
        if (fatal) {
            ui->exit_status = PS_EXIT_USAGE;
            ui->quit = true;
            return true;
        }
        if (src) {
            ui_attach_source(ui, src);
            ui_pop_view(ui); /* frees v and p */
        }
        return true;
    }
    default:
        return ui_nav(v, p->n, rows, r) || r != REQ_HELP;
    }
}

static void picker_click(struct ui *ui, struct view *v, int row, int col)
{
    struct picker_priv *p = v->priv;
    (void)ui;
    (void)col;
    if (v->top + (size_t)row < p->n)
        v->cur = v->top + (size_t)row;
}

const struct view_ops view_picker_ops = {
    .name = "interfaces",
    .open = picker_open,
    .draw = picker_draw,
    .request = picker_request,
    .close = picker_close,
    .click = picker_click,
};
