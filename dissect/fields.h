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
 *   fields_app.def   DNS, HTTP, NTP, application data
 *   fields_tls.def, fields_dhcp.def, fields_text.def, fields_snmp.def: one per application family
 *   fields_track.def frame values, tracker results, teaching notes and either-side fields
 *                    (ip.addr, tcp.port): no dissector emits them; filter/ reads them
 */
#ifndef PKTSCOPE_DISSECT_FIELDS_H
#define PKTSCOPE_DISSECT_FIELDS_H

#include <stdint.h>

#include "util/util.h"

/*
 * Field types, as Wireshark's ftenum but without sizes (a value is always held in 64 bits).
 * FT_HEX is not a type of its own: it is FT_UINT shown in base 16 (Wireshark's BASE_HEX), kept
 * as one enum value so that a FIELD(...) line says both at once; field_type_base() folds it.
 */
enum field_type {
    FT_NONE,     /* a heading or a marker with no value of its own (e.g. "Options") */
    FT_UINT,     /* unsigned number, shown in decimal */
    FT_HEX,      /* FT_UINT shown as 0x%0*x with 2*len digits (len 0: as needed) */
    FT_BOOL,     /* 0 or 1 */
    FT_MAC,      /* 6 bytes at offset */
    FT_IPV4,     /* 4 bytes at offset */
    FT_IPV6,     /* 16 bytes at offset */
    FT_BYTES,    /* len bytes at offset, shown as hex */
    FT_STRING,   /* text in dissection.text */
    FT_INT,      /* signed number stored as int64 in value */
    FT_TIME,     /* seconds.nanoseconds (value: seconds << 32 | fraction of 2^32, as NTP) */
    FT_FLOAT,    /* a double stored bit for bit in value */
    FT_PROTOCOL, /* a protocol as a whole (only in the protocol list and filters) */
    FT__COUNT
};

/* An FT_TIME value (NTP's format: seconds since 1900-01-01 UTC << 32 | fraction of 2^32) as
 * seconds since 1970 and nanoseconds. RFC 4330 3: with the top bit of the seconds clear, the
 * time is in era 1, counted from 2036-02-07 06:28:16 UTC (2^32 seconds after 1900). */
static inline void field_time_split(uint64_t v, int64_t *sec, uint32_t *nsec)
{
    int64_t s = (int64_t)(v >> 32);
    if (!(s & 0x80000000))
        s += INT64_C(0x100000000);
    *sec = s - 2208988800; /* 70 years and 17 leap days */
    *nsec = (uint32_t)(((v & 0xffffffffu) * 1000000000u) >> 32);
}

/* field_time_split's inverse: seconds since 1970 and nanoseconds as an FT_TIME value, the
 * fraction rounded up so that the split gives the nanoseconds back; false when NTP's two eras
 * (1968 to 2104) do not hold the time. */
static inline bool field_time_make(int64_t sec, uint32_t nsec, uint64_t *out)
{
    int64_t ntp = sec + 2208988800;
    if (ntp < INT64_C(0x80000000) || ntp >= INT64_C(0x180000000))
        return false;
    uint64_t frac = (((uint64_t)nsec << 32) + 999999999u) / 1000000000u;
    *out = (uint64_t)(uint32_t)ntp << 32 | frac;
    return true;
}

/* The type a value has (FT_HEX folds into FT_UINT). */
static inline enum field_type field_type_base(unsigned type)
{
    return type == FT_HEX ? FT_UINT : (enum field_type)type;
}
/* Wireshark's name of a type ("FT_UINT", "FT_IPv4", "FT_ETHER", ...) and of its display base
 * ("BASE_DEC", "BASE_HEX", "BASE_NONE"), as tshark -G fields prints them. */
const char *field_type_name(unsigned type);
const char *field_type_display(unsigned type);

enum field_id {
#define FIELD(id, name, label, type, indent) id,
#include "dissect/fields_all.def"
#undef FIELD
    FID__COUNT
};

/* The FT_FLOAT fields that are Wireshark's FT_RELATIVE_TIME (seconds): written with nine
 * decimals, as tshark writes them, by -T fields, --json and the layer tree. */
static inline bool field_is_relative_time(unsigned id)
{
    return id == FID_HTTP_TIME || id == FID_DNS_TIME || id == FID_ICMP_DATA_TIME_RELATIVE;
}

struct field_def {
    const char *name;  /* JSON / filter name, or NULL */
    const char *label; /* human label */
    uint8_t type;      /* enum field_type */
    uint8_t indent;
    uint8_t name_len; /* strlen(name), 0 without one: --json writes a key per field */
};

/* The table behind field_def, indexed by enum field_id (dissect.c). */
extern const struct field_def dis_field_table[FID__COUNT];
extern const struct field_def dis_field_unknown;

/* The definition of a field id (always valid for id < FID__COUNT). Inline: --json and the
 * filters look one up per field of every packet. */
static inline const struct field_def *field_def(unsigned id)
{
    return id < FID__COUNT ? &dis_field_table[id] : &dis_field_unknown;
}
/* The id for a JSON name, or -1. */
int field_by_name(const char *name);
/* The protocol (enum proto_id) a field belongs to, from its name: the protocol whose filter
 * name is the longest dotted prefix of it ("ipv6.fraghdr.offset": ipv6.fraghdr; a "pktscope."
 * name is looked up without that prefix). PROTO_NONE (0) when none is. */
unsigned field_proto(unsigned id);

/*
 * Value names (Wireshark's value_string on a field), kept in dissect/values.c indexed by field
 * id, so the FIELD(...) lines stay as they are. Three kinds:
 *   FV_NAMES      value (after `mask`, when not 0) -> name
 *   FV_BITS       each entry is one bit; a value is shown as the names of its set bits
 *   FV_BY_PARENT  the names depend on the value of an earlier field `parent` in the same layer
 *                 (an ICMP code's meaning depends on its type): `by` maps that value to a table
 */
enum field_values_kind { FV_NONE, FV_NAMES, FV_BITS, FV_BY_PARENT };

struct tok_by {
    uint32_t key;            /* the parent field's value */
    const struct tok *names; /* NULL ends the array */
};

struct field_values {
    uint8_t kind;            /* enum field_values_kind */
    uint16_t parent;         /* FV_BY_PARENT: the field id whose value picks the table */
    uint64_t mask;           /* FV_NAMES: applied to the value before the look-up; 0: none */
    const struct tok *names; /* FV_NAMES, FV_BITS */
    const struct tok_by *by; /* FV_BY_PARENT */
};

/* The value names of a field, or NULL when its values have none. */
const struct field_values *field_values(unsigned id);
/* The name of `value` of field `id` (FV_NAMES), or NULL. */
const char *field_value_name(unsigned id, uint64_t value);
/* The same for an FV_BY_PARENT field given its parent's value (any other kind: as above). */
const char *field_value_name_in(unsigned id, uint64_t parent_value, uint64_t value);

#endif
