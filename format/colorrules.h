/*
 * colorrules: Wireshark's default colouring rules (its `colorfilters` file), as display-filter
 * strings in Wireshark's order, each with the row attribute (format/line.h) a packet list or a
 * --print --color line takes when it is the first rule the packet matches.
 *
 * The table is data only: format/ does not sit on filter/, so ui/colors.c compiles the strings
 * once and evaluates them in order (color_rule_attr(), which --print --color asks too).
 * A rule whose attribute is ATTR_NORMAL matches (it stops the search, as in Wireshark) but
 * leaves the row's usual colours.
 */
#ifndef PKTSCOPE_FORMAT_COLORRULES_H
#define PKTSCOPE_FORMAT_COLORRULES_H

#include <stddef.h>
#include <stdint.h>

struct color_rule {
    const char *name;   /* Wireshark's rule name */
    const char *filter; /* a display filter pktscope compiles */
    uint8_t attr;       /* enum attr: ATTR_CR_* or ATTR_NORMAL */
    const char *color;  /* the colour in words, for the legend */
};

extern const struct color_rule color_rules[];
extern const size_t color_rules_count;

#endif
