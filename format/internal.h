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
/* Checksums (checksum.c). True for the *.checksum.status fields. */
bool checksum_is_status(enum field_id id);
/* True when the checksum status `f` is Bad because the sender left the sum to its NIC. */
bool checksum_offloaded(const struct dissection *d, const struct field *f);
/* For a checksum field (not its status): tshark -V's verdict after the value ("[unverified]",
 * "[correct]", "incorrect", "[zero-value ignored]"), or NULL. */
const char *checksum_verdict(const struct dissection *d, const struct field *f);
/* For a checksum status field: why it is what it is (one sentence), or NULL. */
const char *checksum_why(const struct dissection *d, const struct field *f);
/* Appends the pktscope.addr_class.src/dst and pktscope.service keys (each after a ','). */
void format_json_annotations(struct strbuf *sb, const struct dissection *d);

#endif
