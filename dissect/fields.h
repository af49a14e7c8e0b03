/*
 * fields: every field pktscope decodes, defined once.
 *
 * Each FIELD(id, name, label, type, indent) line gives the enum id, the name used in JSON and
 * display filters (Wireshark's display-filter field name wherever Wireshark has the field, else a
 * "pktscope." name, or NULL for a heading that is only shown in the layer tree), the label shown
 * in the layer tree, how the value is rendered, and its indent under its layer in the tree.
 *
 * The lists are split by area so that each dissector file owns its own list:
 *   fields_link.def  Ethernet, 802.1Q, LLC, SLL, SLL2, NULL, ARP
 *   fields_ip.def    IPv4, IPv6 and its extension headers, ICMP, ICMPv6
 *   fields_l4.def    TCP, UDP
 *   fields_app.def   DNS, HTTP, application data
 *   fields_track.def frame values, tracker results, teaching notes and either-side fields
 *                    (ip.addr, tcp.port): no dissector emits them; filter/ reads them
 */
#ifndef PKTSCOPE_DISSECT_FIELDS_H
#define PKTSCOPE_DISSECT_FIELDS_H

#include <stdint.h>

enum field_type {
    FT_NONE,   /* a heading with no value of its own (e.g. "Options") */
    FT_UINT,   /* unsigned number, shown in decimal */
    FT_HEX,    /* unsigned number, shown as 0x%0*x with 2*len digits (len 0: as needed) */
    FT_BOOL,   /* 0 or 1 */
    FT_MAC,    /* 6 bytes at offset */
    FT_IPV4,   /* 4 bytes at offset */
    FT_IPV6,   /* 16 bytes at offset */
    FT_BYTES,  /* len bytes at offset, shown as hex */
    FT_STRING, /* text in dissection.text */
    FT_INT,    /* signed number stored as int64 in value */
    FT_TIME,   /* a point in time or a time span (seconds with nanoseconds) */
    FT_FLOAT,  /* a real number */
};

enum field_id {
#define FIELD(id, name, label, type, indent) id,
#include "dissect/fields_link.def"
#include "dissect/fields_ip.def"
#include "dissect/fields_l4.def"
#include "dissect/fields_app.def"
#include "dissect/fields_track.def"
#undef FIELD
    FID__COUNT
};

struct field_def {
    const char *name;  /* JSON / filter name, or NULL */
    const char *label; /* human label */
    uint8_t type;      /* enum field_type */
    uint8_t indent;
};

/* The definition of a field id (always valid for id < FID__COUNT). */
const struct field_def *field_def(unsigned id);
/* The id for a JSON name, or -1. */
int field_by_name(const char *name);

#endif
