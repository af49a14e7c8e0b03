/*
 * The packet list's columns (columns.h): names, the set, and each cell's text. Field cells are
 * -T fields' own (fields.c), one reader per column, so a column and `-T fields -e` agree.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui/columns.h"
#include "util/util.h"

/* The built-in columns: their own name, then the other names they answer to (tshark's column
 * titles and short forms), case-insensitively. */
static const struct {
    enum column_kind kind;
    const char *names[5];
} builtins[] = {
    {COLUMN_NO, {"no", "no.", "number", NULL}},
    {COLUMN_TIME, {"time", NULL}},
    {COLUMN_SOURCE, {"source", "src", NULL}},
    {COLUMN_DESTINATION, {"destination", "dst", NULL}},
    {COLUMN_PROTOCOL, {"protocol", "proto", NULL}},
    {COLUMN_LENGTH, {"length", "len", NULL}},
    {COLUMN_PHASE, {"phase", NULL}},
    {COLUMN_INFO, {"info", NULL}},
};

static const char *builtin_name(enum column_kind k)
{
    for (size_t i = 0; i < ARRAY_SIZE(builtins); i++)
        if (builtins[i].kind == k)
            return builtins[i].names[0];
    return "?";
}

static int builtin_kind(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(builtins); i++)
        for (const char *const *n = builtins[i].names; *n; n++)
            if (strcasecmp(name, *n) == 0)
                return (int)builtins[i].kind;
    return -1;
}

static void column_release(struct column *c)
{
    free(c->name);
    tfields_free(c->tf);
    c->name = NULL;
    c->tf = NULL;
}

/* Makes column c from a name; -1 with errbuf for a name that is neither built in nor a
 * registry field. */
static int column_make(struct column *c, const char *name, char *errbuf, size_t errlen)
{
    memset(c, 0, sizeof(*c));
    int k = builtin_kind(name);
    if (k >= 0) {
        c->kind = (enum column_kind)k;
        c->name = xstrdup(builtin_name(c->kind));
        return 0;
    }
    c->kind = COLUMN_FIELD;
    c->name = xstrdup(name);
    struct tfields_opts o;
    tfields_opts_default(&o);
    const char *names[1] = {c->name};
    char err[1024];
    if (tfields_new(names, 1, &o, &c->tf, err, sizeof(err)) < 0) {
        /* tfields says "-e NAME: why"; the why is what a column needs. */
        const char *why = err;
        size_t pre = strlen(name) + 5;
        if (strncmp(err, "-e ", 3) == 0 && strlen(err) > pre && err[pre - 2] == ':')
            why = err + pre;
        else if (strncmp(err, "-e '", 4) == 0)
            why = "not a field name";
        snprintf(errbuf, errlen,
                 "unknown column '%s': %s (a column is one of no, time, source, destination, "
                 "protocol, length, phase, info, or a field of pktscope --list-fields)",
                 name, why);
        column_release(c);
        return -1;
    }
    return 0;
}

void columns_init(struct columns *cs)
{
    char err[PS_ERRBUF_SIZE];
    memset(cs, 0, sizeof(*cs));
    int r = columns_parse(cs, COLUMNS_DEFAULT, err, sizeof(err));
    (void)r; /* built-in names only: cannot fail */
}

void columns_release(struct columns *cs)
{
    for (size_t i = 0; i < cs->n; i++)
        column_release(&cs->v[i]);
    cs->n = 0;
}

int columns_parse(struct columns *cs, const char *list, char *errbuf, size_t errlen)
{
    struct columns next;
    memset(&next, 0, sizeof(next));
    const char *p = list;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char name[128];
        while (len && (*p == ' ' || *p == '\t')) {
            p++;
            len--;
        }
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len == 0 || len >= sizeof(name)) {
            snprintf(errbuf, errlen, "%s column name in '%.200s'", len ? "a too long" : "an empty",
                     list);
            columns_release(&next);
            return -1;
        }
        if (next.n == COLUMNS_MAX) {
            snprintf(errbuf, errlen, "at most %d columns", COLUMNS_MAX);
            columns_release(&next);
            return -1;
        }
        memcpy(name, p, len);
        name[len] = '\0';
        if (column_make(&next.v[next.n], name, errbuf, errlen) < 0) {
            columns_release(&next);
            return -1;
        }
        next.n++;
        if (!comma)
            break;
        p = comma + 1;
    }
    columns_release(cs);
    *cs = next;
    return 0;
}

int columns_insert(struct columns *cs, size_t at, const char *name, char *errbuf, size_t errlen)
{
    if (cs->n == COLUMNS_MAX) {
        snprintf(errbuf, errlen, "at most %d columns", COLUMNS_MAX);
        return -1;
    }
    struct column c;
    if (column_make(&c, name, errbuf, errlen) < 0)
        return -1;
    if (at > cs->n)
        at = cs->n;
    memmove(&cs->v[at + 1], &cs->v[at], (cs->n - at) * sizeof(cs->v[0]));
    cs->v[at] = c;
    cs->n++;
    return 0;
}

void columns_remove(struct columns *cs, size_t i)
{
    if (i >= cs->n)
        return;
    column_release(&cs->v[i]);
    memmove(&cs->v[i], &cs->v[i + 1], (cs->n - i - 1) * sizeof(cs->v[0]));
    cs->n--;
}

bool columns_move(struct columns *cs, size_t i, int dir)
{
    if (i >= cs->n || (dir < 0 && i == 0) || (dir > 0 && i + 1 >= cs->n))
        return false;
    size_t j = dir < 0 ? i - 1 : i + 1;
    struct column t = cs->v[i];
    cs->v[i] = cs->v[j];
    cs->v[j] = t;
    return true;
}

bool columns_is_default(const struct columns *cs)
{
    static const enum column_kind def[] = {COLUMN_NO,          COLUMN_TIME,     COLUMN_SOURCE,
                                           COLUMN_DESTINATION, COLUMN_PROTOCOL, COLUMN_LENGTH,
                                           COLUMN_PHASE,       COLUMN_INFO};
    if (cs->n != ARRAY_SIZE(def))
        return false;
    for (size_t i = 0; i < cs->n; i++)
        if (cs->v[i].kind != def[i])
            return false;
    return true;
}

bool columns_need_fields(const struct columns *cs)
{
    for (size_t i = 0; i < cs->n; i++)
        if (cs->v[i].kind == COLUMN_FIELD)
            return true;
    return false;
}

void columns_list(const struct columns *cs, struct strbuf *sb)
{
    for (size_t i = 0; i < cs->n; i++)
        sb_printf(sb, "%s%s", i ? "," : "", cs->v[i].name);
}

const char *column_title(const struct column *c, enum fmt_time tmode)
{
    switch (c->kind) {
    case COLUMN_NO:
        return "No.";
    case COLUMN_TIME:
        return tmode == FMT_TIME_ABSOLUTE ? "Time (UTC)"
               : tmode == FMT_TIME_DELTA  ? "Delta"
                                          : "Time";
    case COLUMN_SOURCE:
        return "Source";
    case COLUMN_DESTINATION:
        return "Destination";
    case COLUMN_PROTOCOL:
        return "Proto";
    case COLUMN_LENGTH:
        return "Len";
    case COLUMN_PHASE:
        return "Phase";
    case COLUMN_INFO:
        return "Info";
    case COLUMN_FIELD:
        break;
    }
    return c->name;
}

bool column_numeric(const struct column *c)
{
    return c->kind == COLUMN_NO || c->kind == COLUMN_LENGTH;
}

const char *columns_cell(struct columns *cs, size_t i, const struct column_row *r, uint8_t *attr)
{
    static const char *const empty = "";
    struct column *c = &cs->v[i];
    const struct summary *s = r->s;
    *attr = ATTR_NORMAL;
    switch (c->kind) {
    case COLUMN_NO:
        *attr = ATTR_DIM;
        return r->number;
    case COLUMN_TIME:
        return r->time;
    case COLUMN_SOURCE:
        *attr = ATTR_ADDR;
        return s ? s->src : empty;
    case COLUMN_DESTINATION:
        *attr = ATTR_ADDR;
        return s ? s->dst : empty;
    case COLUMN_PROTOCOL:
        *attr = ATTR_PROTO;
        return s ? s->proto : empty;
    case COLUMN_LENGTH:
        return r->length;
    case COLUMN_PHASE:
        if (s)
            *attr = s->phase_attr;
        return s ? s->phase : empty;
    case COLUMN_INFO:
        if (s)
            *attr = s->info_attr;
        return s ? s->info : empty;
    case COLUMN_FIELD:
        if (!r->fp || !c->tf)
            return empty;
        size_t n;
        return tfields_line(c->tf, r->fp, &n);
    }
    return empty;
}

void columns_print_line(struct lines *ls, struct columns *cs, const struct column_row *r,
                        uint64_t frame)
{
    struct line *l = lines_begin(ls, ATTR_NORMAL);
    l->ref = frame > INT32_MAX ? INT32_MAX : (int32_t)frame;
    for (size_t i = 0; i < cs->n; i++) {
        if (i)
            lines_add(ls, ATTR_NORMAL, "\t", 1);
        uint8_t attr;
        const char *text = columns_cell(cs, i, r, &attr);
        lines_add(ls, attr, text, strlen(text));
    }
    lines_end(ls);
}
