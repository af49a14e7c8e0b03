/*
 * settings: the settings file (util/config.h) under the command line. The file fills only what
 * the command line left unset (the command line wins), its names are checked here (columns
 * against the registry, conns-sort against the connection table's columns), and whatever is
 * wrong with it becomes one warning in o->config.warning: never an error, never another exit
 * status.
 */
#ifndef PKTSCOPE_MAIN_SETTINGS_H
#define PKTSCOPE_MAIN_SETTINGS_H

#include <stdbool.h>

#include "main/options.h"

/* What the command line gave, so that the file does not override it. color is parse_args'
 * choice: 0 auto, 1 always, 2 never. */
struct settings_given {
    bool time;
    bool color;
    bool columns;
};

/* Reads the settings file (unless --no-config) and applies it to o and *color. */
void settings_load(struct options *o, const struct settings_given *given, int *color);

#endif
