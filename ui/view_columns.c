/*
 * The column chooser (C): the packet list's columns, one a line, in order. a adds a column
 * after the cursor (a prompt takes a built-in name or any registry field, checked at once, with
 * the nearest names offered for a typo), d removes the one under the cursor, < and > move it.
 * Every change shows in the list at once and is saved to the settings file (settings.h).
 */
#include <string.h>

#include "ui/internal.h"
#include "ui/settings.h"

struct columns_priv {
    struct lines ls;
};

static void rebuild(struct ui *ui, struct view *v)
{
    struct columns_priv *p = v->priv;
    const struct columns *cs = &ui->settings->columns;
    lines_reset(&p->ls);
    for (size_t i = 0; i < cs->n; i++) {
        const struct column *c = &cs->v[i];
        lines_begin(&p->ls, ATTR_NORMAL);
        lines_addf(&p->ls, ATTR_DIM, " %2zu  ", i + 1);
        lines_addf(&p->ls, ATTR_HEADER, "%-14s", column_title(c, ui->tmode));
        lines_addf(&p->ls, c->kind == COLUMN_FIELD ? ATTR_VALUE : ATTR_NORMAL, " %s",
                   c->kind == COLUMN_FIELD ? "field" : "built-in");
        if (c->kind != COLUMN_FIELD)
            lines_addf(&p->ls, ATTR_DIM, " (%s)", c->name);
        lines_end(&p->ls);
    }
    if (v->cur >= cs->n && cs->n)
        v->cur = cs->n - 1;
}

static void columns_open(struct ui *ui, struct view *v)
{
    struct columns_priv *p = xcalloc(1, sizeof(*p));
    lines_init(&p->ls);
    v->priv = p;
    rebuild(ui, v);
}

static void columns_close(struct ui *ui, struct view *v)
{
    (void)ui;
    struct columns_priv *p = v->priv;
    if (p) {
        lines_release(&p->ls);
        free(p);
    }
    v->priv = NULL;
}

static void columns_draw(struct ui *ui, struct view *v)
{
    struct columns_priv *p = v->priv;
    ui_draw_bar(ui, v, true,
                " Columns of the packet list: a add  d remove  < > move  q close (saved at once)");
    rebuild(ui, v);
    ui_draw_lines(ui, v, &p->ls, true);
}

/* The list shows the change, and the settings file keeps it. */
static void changed(struct ui *ui, struct view *v)
{
    ui->settings->generation++;
    rebuild(ui, v);
    ui_settings_save(ui, UI_SETTING_COLUMNS);
    ui->dirty = true;
}

static bool columns_request(struct ui *ui, struct view *v, enum request r)
{
    struct columns *cs = &ui->settings->columns;
    size_t rows = v->h > 1 ? (size_t)v->h - 1 : 1;
    switch (r) {
    case REQ_COLUMN_ADD:
        prompt_open(ui, PROMPT_COLUMN, NULL);
        return true;
    case REQ_COLUMN_REMOVE:
        if (cs->n <= 1) {
            ui_message(ui, true, "the list keeps at least one column");
            return true;
        }
        columns_remove(cs, v->cur);
        changed(ui, v);
        return true;
    case REQ_COLUMN_LEFT:
    case REQ_COLUMN_RIGHT: {
        int dir = r == REQ_COLUMN_LEFT ? -1 : +1;
        if (columns_move(cs, v->cur, dir)) {
            v->cur = dir < 0 ? v->cur - 1 : v->cur + 1;
            changed(ui, v);
        }
        return true;
    }
    default:
        break;
    }
    if (ui_nav(v, cs->n, rows, r)) {
        ui->dirty = true;
        return true;
    }
    return false;
}

void view_columns_accept(struct ui *ui)
{
    struct view *v = ui->depth > 0 ? ui->stack[ui->depth - 1] : NULL;
    if (!v || v->ops != &view_columns_ops || !ui->prompt.buf[0])
        return;
    struct columns *cs = &ui->settings->columns;
    char err[PS_ERRBUF_SIZE];
    size_t at = cs->n ? v->cur + 1 : 0;
    if (columns_insert(cs, at, ui->prompt.buf, err, sizeof(err)) < 0) {
        ui_message(ui, true, "%s", err);
        return;
    }
    v->cur = at;
    ui_message(ui, false, "column %s added", ui->prompt.buf);
    changed(ui, v); /* after the message: a failure to save replaces it */
}

const struct view_ops view_columns_ops = {
    .name = "columns",
    .open = columns_open,
    .draw = columns_draw,
    .request = columns_request,
    .close = columns_close,
};
