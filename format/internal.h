/*
 * Internal interface between the files of format/. Not for use outside format/.
 *
 * notes.c holds every teaching annotation (address class, OUI vendor, MAC bits, port range and
 * service) so that the layer tree and the JSON say the same thing in the same words.
 */
#ifndef PKTSCOPE_FORMAT_INTERNAL_H
#define PKTSCOPE_FORMAT_INTERNAL_H

#include "format/format.h"
#include "util/util.h"

/* Appends note lines (ATTR_NOTE, tree depth `depth`) about field `f`; nothing for most fields. */
void notes_field(struct lines *ls, const struct dissection *d, const struct field *f,
                 uint8_t depth);
/* Appends the pktscope.addr_class.src/dst and pktscope.service keys (each after a ','). */
void format_json_annotations(struct strbuf *sb, const struct dissection *d);

#endif
