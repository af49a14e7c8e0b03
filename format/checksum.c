/*
 * How a checksum is shown and why: the verdict after its value in the layer tree (tshark -V's
 * words: "[unverified]", "[correct]", "incorrect"), and the note under its status that says why
 * it was or was not verified.
 *
 * Why these words. Wireshark leaves IPv4, TCP and UDP checksums unverified by default (its
 * ip/tcp/udp.check_checksum preferences are FALSE): a capture taken on the sending host sees
 * packets before the NIC computes their checksums (checksum offload; Linux CHECKSUM_PARTIAL,
 * also on loopback and veth), and every outgoing packet would look damaged. pktscope does the
 * same; --checksums verifies them. ICMP and ICMPv6 checksums are computed by the kernel itself,
 * never offloaded, and Wireshark always verifies them: so does pktscope. When verification is
 * on, a wrong TCP/UDP checksum that holds exactly the pseudo-header's sum is the one the NIC
 * would have completed (dissect/tcp.c): it is still "Bad", as in tshark, but its anomaly is
 * tcp/udp.checksum_offload, a note, not damage.
 */
#include <string.h>

#include "format/internal.h"

/* Checksum status values (Wireshark's PROTO_CHECKSUM_E_*). */
enum { CSUM_BAD = 0, CSUM_GOOD = 1, CSUM_UNVERIFIED = 2, CSUM_NOT_PRESENT = 3, CSUM_ILLEGAL = 4 };

bool checksum_is_status(enum field_id id)
{
    return id == FID_IP_CHECKSUM_STATUS || id == FID_TCP_CHECKSUM_STATUS ||
           id == FID_UDP_CHECKSUM_STATUS || id == FID_ICMP_CHECKSUM_STATUS ||
           id == FID_ICMPV6_CHECKSUM_STATUS;
}

static bool is_checksum(enum field_id id)
{
    return id == FID_IP_CHECKSUM || id == FID_TCP_CHECKSUM || id == FID_UDP_CHECKSUM ||
           id == FID_ICMP_CHECKSUM || id == FID_ICMPV6_CHECKSUM;
}

/* The layer of field index `fi`, or -1. */
static int field_layer(const struct dissection *d, size_t fi)
{
    for (unsigned li = 0; li < d->nlayers; li++) {
        const struct layer *ly = &d->layers[li];
        if (fi >= ly->first_field && fi < (size_t)ly->first_field + ly->nfields)
            return (int)li;
    }
    return -1;
}

bool checksum_offloaded(const struct dissection *d, const struct field *f)
{
    int li = field_layer(d, (size_t)(f - d->fields));
    for (unsigned ai = 0; li >= 0 && ai < d->nanomalies; ai++) {
        const struct anomaly *a = &d->anomalies[ai];
        if (a->layer == (unsigned)li &&
            (a->id == ANOM_TCP_CHECKSUM_OFFLOAD || a->id == ANOM_UDP_CHECKSUM_OFFLOAD))
            return true;
    }
    return false;
}

const char *checksum_verdict(const struct dissection *d, const struct field *f)
{
    if (!is_checksum((enum field_id)f->id))
        return NULL;
    size_t fi = (size_t)(f - d->fields);
    /* The status is the checksum's subfield: the next field. */
    if (fi + 1 >= d->nfields || !checksum_is_status((enum field_id)d->fields[fi + 1].id))
        return NULL;
    switch (d->fields[fi + 1].value) {
    case CSUM_BAD:
        return "incorrect";
    case CSUM_GOOD:
        return "[correct]";
    case CSUM_UNVERIFIED:
        return "[unverified]";
    case CSUM_NOT_PRESENT:
        return "[zero-value ignored]";
    case CSUM_ILLEGAL:
        return "[zero-value illegal]";
    default:
        return NULL;
    }
}

const char *checksum_why(const struct dissection *d, const struct field *f)
{
    if (!checksum_is_status((enum field_id)f->id))
        return NULL;
    bool icmp = f->id == FID_ICMP_CHECKSUM_STATUS || f->id == FID_ICMPV6_CHECKSUM_STATUS;
    bool l4 = f->id == FID_TCP_CHECKSUM_STATUS || f->id == FID_UDP_CHECKSUM_STATUS;
    switch (f->value) {
    case CSUM_UNVERIFIED:
        if (icmp || d->verify_checksums)
            return "not verified: what it covers is not all in this packet (cut short by the "
                   "capture, an IP fragment, or quoted in an ICMP error)";
        return "not verified, as Wireshark does by default: a capture taken on the sending "
               "host holds checksums its NIC fills in later (offload); --checksums verifies";
    case CSUM_BAD:
        if (checksum_offloaded(d, f))
            return "left to the NIC: the field holds only the pseudo-header's sum, as the "
                   "sending host hands the packet to a NIC that completes it (offload); "
                   "captured on the sender, this is not damage";
        if (l4)
            return "damage: the bytes changed after the checksum was computed (it does not hold "
                   "the pseudo-header's sum that a Linux sender leaves to its NIC either)";
        return "damage: the bytes changed after the checksum was computed";
    case CSUM_NOT_PRESENT:
        return "0: the sender computed none, which UDP over IPv4 allows (RFC 768)";
    case CSUM_ILLEGAL:
        return "0: the sender computed none, which UDP over IPv6 does not allow (RFC 8200 8.1)";
    default:
        return NULL;
    }
}
