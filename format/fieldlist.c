/*
 * --list-fields: the registry as tshark -G fields prints it, one line per protocol and per
 * field, tab-separated, so that scripts written for tshark's list read pktscope's:
 *   P  display name  filter name
 *   F  display name  filter name  type  protocol  display base  bitmask  description
 * Types are Wireshark's names without the size (FT_UINT, not FT_UINT16): pktscope holds every
 * number in 64 bits. Headings that have no filter name (the layer tree's "Options") are not
 * fields and are not listed. The bitmask and description columns are always 0x0 and empty.
 */
#include <stdio.h>

#include "format/format.h"

void format_list_fields(FILE *out)
{
    for (unsigned p = 1; p < PROTO__COUNT; p++) {
        const struct proto_info *pi = proto_info((enum proto_id)p);
        if (!pi->short_name[0] || proto_by_name(pi->short_name) != (enum proto_id)p)
            continue; /* unnamed, or a second protocol under the same filter name */
        fprintf(out, "P\t%s\t%s\n", pi->long_name, pi->short_name);
    }
    for (unsigned id = 0; id < FID__COUNT; id++) {
        const struct field_def *def = field_def(id);
        if (!def->name)
            continue;
        const char *proto = proto_info((enum proto_id)field_proto(id))->short_name;
        fprintf(out, "F\t%s\t%s\t%s\t%s\t%s\t0x0\t\n", def->label, def->name,
                field_type_name(def->type), proto[0] ? proto : "pktscope",
                field_type_display(def->type));
    }
}
