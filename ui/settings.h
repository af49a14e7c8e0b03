/*
 * The TUI's settings (ui/ private): the packet list's columns (ui/columns.h) and the settings
 * file (util/config.h) it writes back when the user changes the columns (the chooser, C), the
 * time format (t) or the connection view's sort. Only the key the user changed is rewritten;
 * the others keep what the file said, so a one-off command-line choice (--time=abs) does not
 * become the saved one. A failure to write is a message, never an error. The file is rewritten
 * whole: its comments and lines that did not parse are not kept.
 */
#ifndef PKTSCOPE_UI_SETTINGS_H
#define PKTSCOPE_UI_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/columns.h"
#include "util/config.h"

struct ui;
struct ui_args;

struct ui_settings {
    struct columns columns;
    unsigned generation;  /* changes with the columns: the list measures them afresh */
    struct config config; /* the file as read, then as written */
    bool save;            /* a settings file is in use (not --no-config, a HOME exists) */
};

enum ui_setting { UI_SETTING_COLUMNS, UI_SETTING_TIME, UI_SETTING_SORT };

/* Sets up ui->settings from the arguments: the columns, the connection sort, and the file's
 * warning on the message line. */
void ui_settings_init(struct ui *ui, const struct ui_args *args);
void ui_settings_free(struct ui *ui);
/* Writes `which` to the settings file (nothing with --no-config). */
void ui_settings_save(struct ui *ui, enum ui_setting which);

/* A connection table column's name in the file: its header in lower case, '-' for a blank
 * ("bytes", "server-name"); and back (-1: no such column). Also used by main/settings.c. */
void ui_settings_sort_name(int col, char *buf, size_t size);
int ui_settings_sort_from_name(const char *name);

/* The column chooser (view_columns.c): Enter at its "add a column" prompt. */
void view_columns_accept(struct ui *ui);

#endif
