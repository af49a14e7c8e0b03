/*
 * The hosts view: the same report as --hosts (format_hosts): the subnets and where they came
 * from, every host with its MAC, vendor, addresses, roles and whether it is local, the gateway
 * with its evidence, and the ARP table with its conflicts.
 *
 * The report is made from the hosts table the TUI feeds as it indexes packets (ui->network,
 * which the layer view's subnet test reads too, with the subnets of --subnet), and rebuilt when
 * new packets came, at most once a second. Every packet counts, whatever the display filter
 * shows (the network is the capture's, not the filter's); in a live capture the table keeps what
 * it learnt from packets the list has since let go (it is bounded on its own).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "format/hosts.h"
#include "track/hosts.h"
#include "ui/internal.h"

struct hosts_priv {
    struct lines ls;
    size_t built_n; /* packets indexed when the lines were built */
    int64_t built_ms;
};

static void build(struct ui *ui, struct hosts_priv *p)
{
    struct hosts_report r;
    hosts_report(ui->network, &r);
    lines_reset(&p->ls);
    format_hosts(&p->ls, &r);
    hosts_report_release(&r);
    p->built_n = ui->idx.n;
    p->built_ms = ui_now_ms();
}

static void hosts_open(struct ui *ui, struct view *v)
{
    struct hosts_priv *p = xcalloc(1, sizeof(*p));
    lines_init(&p->ls);
    v->priv = p;
    build(ui, p);
}

static void hosts_close(struct ui *ui, struct view *v)
{
    (void)ui;
    struct hosts_priv *p = v->priv;
    if (p) {
        lines_release(&p->ls);
        free(p);
    }
}

static void hosts_draw(struct ui *ui, struct view *v)
{
    struct hosts_priv *p = v->priv;
    if (p->built_n != ui->idx.n && ui_now_ms() - p->built_ms >= 1000)
        build(ui, p);
    char title[96];
    snprintf(title, sizeof(title), " Hosts (%zu packets)", p->built_n);
    ui_draw_bar(ui, v, true, title);
    ui_draw_lines(ui, v, &p->ls, true);
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
};
