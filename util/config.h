/*
 * config: pktscope's settings file, $XDG_CONFIG_HOME/pktscope/config (or
 * $HOME/.config/pktscope/config), read at start by the batch outputs and the TUI and written by
 * the TUI when the user changes a setting.
 *
 * The format is small on purpose, so that a person can edit it:
 *     # comment
 *     columns = no,time,source,destination,protocol,ip.ttl,info
 *     time = rel            (rel, abs, date, delta or epoch: the --time names)
 *     conns-sort = bytes desc   (a connection table column, then asc or desc)
 *     color = auto          (auto, always or never)
 *     color-scheme = high-contrast   (default or high-contrast: the TUI's colours)
 * Blank lines and lines starting with '#' are skipped; blanks around '=' and at the ends do not
 * matter.
 *
 * Invariants: a settings file can never stop pktscope. A missing file is silent; an unreadable
 * one, a line that does not parse, an unknown key or a value of the wrong shape produces ONE
 * warning (naming the file and the first bad line, and how many more there are) and the rest
 * of the file is used. This module checks only the shape of values; what a column or sort name
 * means is for the caller, which reports it with config_warn_line(). Everything is bounded:
 * at most CONFIG_MAX_BYTES are read and every value has a fixed size.
 *
 * Saving is atomic: the text goes to a new file beside the config (created with O_EXCL and
 * O_NOFOLLOW, util/outfile.h) which is then renamed over it; the directory is created 0700 if
 * it is missing. A failure is returned as text for the caller to show, never fatal.
 */
#ifndef PKTSCOPE_UTIL_CONFIG_H
#define PKTSCOPE_UTIL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

#define CONFIG_MAX_BYTES 65536
#define CONFIG_WARN_SIZE 512

struct config {
    /* Each value is "" when the file did not set it; *_line is the line that did (0: none). */
    char columns[1024];
    unsigned columns_line;
    char time[16]; /* rel, abs, date, delta or epoch (relative/absolute are taken as rel/abs) */
    unsigned time_line;
    char conns_sort[32]; /* the column's name as the connection table heads it, lower case */
    bool conns_desc;
    unsigned conns_sort_line;
    char color[8]; /* auto, always or never */
    unsigned color_line;
    char color_scheme[16]; /* the TUI's colours: default or high-contrast (a projector) */
    unsigned color_scheme_line;
    char path[1024]; /* the file read (for messages), "" when none */
    /* The first problem, "FILE:LINE: what" (plus "; N more problems"), "" when none. */
    char warning[CONFIG_WARN_SIZE];
    unsigned nproblems;
};

void config_init(struct config *c);

/* The settings file's path: $XDG_CONFIG_HOME/pktscope/config when that is set and absolute
 * (the XDG Base Directory rule), else $HOME/.config/pktscope/config. -1 when neither is set or
 * the path does not fit. */
int config_default_path(char *buf, size_t size);

/* Parses `len` bytes of text as read from `name` (for the messages). Problems are counted into
 * c->warning / c->nproblems; what parses is kept. */
void config_parse(struct config *c, const char *text, size_t len, const char *name);

/* Reads and parses the file at path: a missing file leaves c empty and silent; any other
 * failure to read is a warning. */
void config_load(struct config *c, const char *path);

/* A problem the caller found in a value (an unknown column): counted like the parser's own, so
 * that only the first one is told. */
void config_warn_line(struct config *c, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The file's text for the values that are set, with a comment saying what wrote it. */
void config_format(const struct config *c, struct strbuf *sb);

/* Writes config_format()'s text to path atomically (see above). 0, or -1 with errbuf
 * (PS_ERRBUF_SIZE) saying what failed. */
int config_save(const struct config *c, const char *path, char *errbuf);

#endif
