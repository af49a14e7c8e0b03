/*
 * columns: the packet list's columns, for --print --columns, the TUI's packet list and its
 * column chooser, and the settings file's `columns =` (util/config.h).
 *
 * A column is either one of the list's own (no, time, source, destination, protocol, length,
 * phase, info) or any field of the registry (`pktscope --list-fields`): its cell is the field's
 * values in the packet as -T fields writes them (fields.c: the same reader and the same
 * rendering, every occurrence joined by ","), empty when the packet has none.
 *
 * Names: the built-in columns answer to their own names and, case-insensitively, to tshark's
 * column titles and a few short forms (No., Source, src, Proto, len...). Anything else must be
 * a registry field; an unknown name is an error naming it and the nearest fields.
 *
 * It lives in ui/ because ui/ is the first layer with both the summary (format/) and -T fields
 * (filter/), as the colouring rules' matcher does; it includes no curses, and the batch outputs
 * (main/) use it too.
 *
 * Invariants: at most COLUMNS_MAX columns; the set owns its field readers (columns_release);
 * a cell never holds a control byte (the summary's text and -T fields' rendering are safe).
 * Reading a field cell needs the packet's filter view (struct filter_packet); a set without
 * field columns (columns_need_fields false) never asks for one, so the default list costs
 * nothing more than before.
 */
#ifndef PKTSCOPE_UI_COLUMNS_H
#define PKTSCOPE_UI_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "filter/filter.h"
#include "format/format.h"
#include "format/line.h"
#include "util/strbuf.h"

enum column_kind {
    COLUMN_NO,
    COLUMN_TIME,
    COLUMN_SOURCE,
    COLUMN_DESTINATION,
    COLUMN_PROTOCOL,
    COLUMN_LENGTH,
    COLUMN_PHASE,
    COLUMN_INFO,
    COLUMN_FIELD,
};

#define COLUMNS_MAX 24
#define COLUMNS_DEFAULT "no,time,source,destination,protocol,length,phase,info"

struct column {
    enum column_kind kind;
    char *name;         /* owned: the built-in column's own name, or the field's */
    struct tfields *tf; /* COLUMN_FIELD: the field's reader (owned) */
};

struct columns {
    struct column v[COLUMNS_MAX];
    size_t n;
};

/* The default set: COLUMNS_DEFAULT. */
void columns_init(struct columns *cs);
void columns_release(struct columns *cs);

/* Replaces the set with a comma-separated list of names. On error (an unknown name, an empty
 * one, more than COLUMNS_MAX) returns -1 with one line in errbuf and leaves the set as it was. */
int columns_parse(struct columns *cs, const char *list, char *errbuf, size_t errlen);

/* Inserts the column `name` at position at (<= n); -1 with errbuf as columns_parse. */
int columns_insert(struct columns *cs, size_t at, const char *name, char *errbuf, size_t errlen);
void columns_remove(struct columns *cs, size_t i);
/* Swaps column i with its neighbour (dir -1 left, +1 right); false when there is none. */
bool columns_move(struct columns *cs, size_t i, int dir);

/* Whether the set is COLUMNS_DEFAULT (the list and --print then look as they always have). */
bool columns_is_default(const struct columns *cs);
/* Whether a column reads a registry field (each row then needs its filter_packet). */
bool columns_need_fields(const struct columns *cs);

/* The names joined by commas, as columns_parse and the settings file read them. */
void columns_list(const struct columns *cs, struct strbuf *sb);

/* A column's title in a header: "No.", "Time" (by the time mode), "Source", ... or the field's
 * name. */
const char *column_title(const struct column *c, enum fmt_time tmode);
/* Whether a column holds numbers (right-aligned in the TUI). */
bool column_numeric(const struct column *c);

/* What one packet's cells are made from. */
struct column_row {
    const char *number;             /* the No. cell, as the caller writes it */
    const char *time;               /* the time cell in the caller's mode */
    const char *length;             /* the Len cell (frame.len) */
    const struct summary *s;        /* NULL: the packet could not be read (cells empty) */
    const struct filter_packet *fp; /* NULL: field cells are empty */
};

/* The text of column i for a row (valid until the next call for the same column) and the
 * attribute it is shown with. */
const char *columns_cell(struct columns *cs, size_t i, const struct column_row *r, uint8_t *attr);

/*
 * --print --columns: one line, the cells separated by a tab (so that `cut -f`, awk -F'\t' and
 * `column -t -s $'\t'` take them as they are), an absent field an empty cell. The line is
 * begun and ended in ls, with ref = the frame number as format_summary_line's.
 */
void columns_print_line(struct lines *ls, struct columns *cs, const struct column_row *r,
                        uint64_t frame);

#endif
