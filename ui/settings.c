/*
 * The TUI's settings and their file (settings.h).
 */
#include "ui/settings.h"

#include <string.h>

#include "format/conns.h"
#include "ui/internal.h"

/* The connection view sorts its numbers largest first unless reversed, the ID smallest first
 * (view_conns.c); the file says the direction plainly. */
static bool sort_reverse(int col, bool desc)
{
    return col == CONNS_COL_ID ? desc : conns_cols[col].right != desc;
}

void ui_settings_sort_name(int col, char *buf, size_t size)
{
    size_t n = 0;
    const char *h = col >= 0 && col < CONNS_COL__COUNT ? conns_cols[col].header : "";
    for (; *h && n + 1 < size; h++)
        buf[n++] = *h == ' ' ? '-' : (*h >= 'A' && *h <= 'Z') ? (char)(*h - 'A' + 'a') : *h;
    buf[n] = '\0';
}

int ui_settings_sort_from_name(const char *name)
{
    char buf[32];
    for (int i = 0; i < CONNS_COL__COUNT; i++) {
        ui_settings_sort_name(i, buf, sizeof(buf));
        if (strcmp(buf, name) == 0)
            return i;
    }
    return -1;
}

void ui_settings_init(struct ui *ui, const struct ui_args *args)
{
    struct ui_settings *s = xcalloc(1, sizeof(*s));
    ui->settings = s;
    columns_init(&s->columns);
    char err[PS_ERRBUF_SIZE];
    /* checked when the options were read (main/settings.c) */
    if (args->columns && columns_parse(&s->columns, args->columns, err, sizeof(err)) < 0)
        ui_message(ui, true, "--columns: %s", err);
    if (args->config) {
        s->config = *args->config;
        s->save = true;
        if (s->config.warning[0])
            ui_message(ui, true, "settings: %s", s->config.warning);
    }
    if (args->notice && args->notice[0])
        ui_message(ui, true, "%s", args->notice);
    if (args->conns_sort >= 0 && args->conns_sort < CONNS_COL__COUNT) {
        ui->conns_sort = args->conns_sort;
        ui->conns_reverse = sort_reverse(args->conns_sort, args->conns_desc);
    }
}

void ui_settings_free(struct ui *ui)
{
    if (!ui->settings)
        return;
    columns_release(&ui->settings->columns);
    free(ui->settings);
    ui->settings = NULL;
}

void ui_settings_save(struct ui *ui, enum ui_setting which)
{
    struct ui_settings *s = ui->settings;
    if (!s || !s->save)
        return;
    struct config *c = &s->config;
    switch (which) {
    case UI_SETTING_COLUMNS: {
        struct strbuf sb;
        sb_init(&sb, c->columns, sizeof(c->columns));
        columns_list(&s->columns, &sb);
        break;
    }
    case UI_SETTING_TIME:
        snprintf(c->time, sizeof(c->time), "%s",
                 ui->tmode == FMT_TIME_ABSOLUTE ? "abs"
                 : ui->tmode == FMT_TIME_DELTA  ? "delta"
                                                : "rel");
        break;
    case UI_SETTING_SORT: {
        ui_settings_sort_name(ui->conns_sort, c->conns_sort, sizeof(c->conns_sort));
        c->conns_desc = ui->conns_sort == CONNS_COL_ID
                            ? ui->conns_reverse
                            : conns_cols[ui->conns_sort].right != ui->conns_reverse;
        break;
    }
    }
    char err[PS_ERRBUF_SIZE];
    if (config_save(c, c->path, err) < 0)
        ui_message(ui, true, "settings not saved: %s", err);
}
