/*
 * The settings file applied to the options (settings.h).
 */
#include "main/settings.h"

#include <stdio.h>
#include <string.h>

#include "format/format.h"
#include "ui/columns.h"
#include "ui/settings.h"
#include "util/util.h"

static int time_format(const char *name)
{
    static const struct {
        const char *name;
        int fmt;
    } times[] = {{"rel", FMT_TIME_RELATIVE},
                 {"abs", FMT_TIME_ABSOLUTE},
                 {"date", FMT_TIME_DATE},
                 {"delta", FMT_TIME_DELTA},
                 {"epoch", FMT_TIME_EPOCH}};
    for (size_t i = 0; i < ARRAY_SIZE(times); i++)
        if (strcmp(times[i].name, name) == 0)
            return times[i].fmt;
    return -1;
}

void settings_load(struct options *o, const struct settings_given *given, int *color)
{
    struct config *c = &o->config;
    config_init(c);
    o->conns_sort = -1;
    if (o->no_config)
        return;
    char path[sizeof(c->path)];
    if (config_default_path(path, sizeof(path)) < 0)
        return; /* no HOME: nothing to read, nowhere to write */
    config_load(c, path);
    if (c->time[0] && !given->time) {
        int t = time_format(c->time);
        if (t >= 0)
            o->time_format = t;
    }
    if (c->color[0] && !given->color)
        *color = strcmp(c->color, "always") == 0 ? 1 : strcmp(c->color, "never") == 0 ? 2 : 0;
    if (c->columns[0] && !given->columns) {
        struct columns cs;
        char err[PS_ERRBUF_SIZE];
        columns_init(&cs);
        if (columns_parse(&cs, c->columns, err, sizeof(err)) == 0)
            o->columns = c->columns;
        else
            config_warn_line(c, c->columns_line, "%s", err);
        columns_release(&cs);
    }
    if (c->conns_sort[0]) {
        o->conns_sort = ui_settings_sort_from_name(c->conns_sort);
        o->conns_desc = c->conns_desc;
        if (o->conns_sort < 0)
            config_warn_line(c, c->conns_sort_line,
                             "conns-sort: no connection table column is called '%s'",
                             c->conns_sort);
    }
}
