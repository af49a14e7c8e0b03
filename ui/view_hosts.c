/*
 * The hosts view: the same report as --hosts (format_hosts): the subnets and where they came
 * from, every host with its MAC, vendor, addresses, roles and whether it is local, the gateway
 * with its evidence, and the ARP table with its conflicts.
 *
 * The view feeds its own hosts table (track/hosts.h) from the packets the TUI indexed, reading
 * them again as the list does: at most HOSTS_VIEW_SLICE packets per slice of the UI's background
 * work, so opening it on a large capture never blocks the keyboard; the title says how far it
 * has read. The report is
 * rebuilt when new packets were fed, at most once a second. Every packet counts, whatever the
 * display filter shows (the network is the capture's, not the filter's).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "format/hosts.h"
#include "track/hosts.h"
#include "ui/internal.h"

#define HOSTS_VIEW_SLICE 2000 /* packets read per slice of background work */

struct hosts_priv {
    struct hosts *hosts;
    struct dissection *d; /* large: allocated once */
    struct lines ls;
    size_t fed;     /* packets fed so far (index order) */
    size_t built_n; /* fed when the lines were built */
    int64_t built_ms;
};

static void feed(struct ui *ui, struct hosts_priv *p)
{
    char err[PS_ERRBUF_SIZE];
    size_t end = ui->idx.n;
    if (end > p->fed + HOSTS_VIEW_SLICE)
        end = p->fed + HOSTS_VIEW_SLICE;
    for (; p->fed < end; p->fed++) {
        struct packet pkt;
        if (ui_read_packet(ui, p->fed, &pkt, err) != SOURCE_PACKET)
            continue; /* gone (--max-packets) or unreadable: the rest still counts */
        ui_dissect(ui, p->fed, &pkt, p->d);
        hosts_packet(p->hosts, p->d, pkt.ts_sec, pkt.ts_nsec, pkt.number, true);
    }
}

static void build(struct hosts_priv *p)
{
    struct hosts_report r;
    hosts_report(p->hosts, &r);
    lines_reset(&p->ls);
    format_hosts(&p->ls, &r);
    hosts_report_release(&r);
    p->built_n = p->fed;
    p->built_ms = ui_now_ms();
}

static void hosts_open(struct ui *ui, struct view *v)
{
    struct hosts_priv *p = xcalloc(1, sizeof(*p));
    p->hosts = hosts_new();
    p->d = xmalloc(sizeof(*p->d));
    lines_init(&p->ls);
    v->priv = p;
    feed(ui, p);
    build(p);
}

static void hosts_close(struct ui *ui, struct view *v)
{
    (void)ui;
    struct hosts_priv *p = v->priv;
    if (p) {
        hosts_free(p->hosts);
        free(p->d);
        lines_release(&p->ls);
        free(p);
    }
}

static void hosts_draw(struct ui *ui, struct view *v)
{
    struct hosts_priv *p = v->priv;
    if (p->fed > ui->idx.n) { /* the index let old packets go: start again */
        hosts_free(p->hosts);
        p->hosts = hosts_new();
        p->fed = 0;
    }
    if (p->built_n != p->fed && (p->fed == ui->idx.n || ui_now_ms() - p->built_ms >= 1000))
        build(p);
    char title[96];
    if (p->built_n < ui->idx.n)
        snprintf(title, sizeof(title), " Hosts (read %zu of %zu packets)", p->built_n, ui->idx.n);
    else
        snprintf(title, sizeof(title), " Hosts (%zu packets)", p->built_n);
    ui_draw_bar(ui, v, true, title);
    ui_draw_lines(ui, v, &p->ls, true);
}

/* Reads the next slice of packets; true while it fed some (the view is redrawn). */
static bool hosts_work(struct ui *ui, struct view *v)
{
    struct hosts_priv *p = v->priv;
    if (p->fed >= ui->idx.n)
        return false;
    feed(ui, p);
    return true;
}

static bool hosts_request(struct ui *ui, struct view *v, enum request r)
{
    struct hosts_priv *p = v->priv;
    (void)ui;
    size_t rows = v->h > 1 ? (size_t)v->h - 1 : 1;
    return ui_nav(v, p->ls.n, rows, r);
}

const struct view_ops view_hosts_ops = {
    .name = "hosts",
    .open = hosts_open,
    .draw = hosts_draw,
    .request = hosts_request,
    .close = hosts_close,
    .work = hosts_work,
};
