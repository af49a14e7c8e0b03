/*
 * Value names that more than one output shows (the packet list's info and the layer tree), so
 * that both say the same thing. Wireshark's wording, which follows the RFCs.
 */
#include "format/internal.h"

/* DNS RR types (IANA DNS parameters) */
const struct tok dns_type_names[] = {
    {1, "A"},      {2, "NS"},     {5, "CNAME"},  {6, "SOA"},    {12, "PTR"},  {13, "HINFO"},
    {15, "MX"},    {16, "TXT"},   {28, "AAAA"},  {33, "SRV"},   {35, "NAPTR"}, {41, "OPT"},
    {43, "DS"},    {46, "RRSIG"}, {47, "NSEC"},  {48, "DNSKEY"}, {64, "SVCB"}, {65, "HTTPS"},
    {99, "SPF"},   {251, "IXFR"}, {252, "AXFR"}, {255, "ANY"},  {257, "CAA"}, {0, NULL},
};

/* DNS RCODE (RFC 1035 4.1.1) */
const struct tok dns_rcode_names[] = {
    {0, "No error"}, {1, "Format error"}, {2, "Server failure"}, {3, "No such name"},
    {4, "Not implemented"}, {5, "Refused"}, {0, NULL},
};

/* ICMP Destination Unreachable codes (RFC 792, RFC 1812) */
const struct tok icmp_unreach_names[] = {
    {0, "Network unreachable"},
    {1, "Host unreachable"},
    {2, "Protocol unreachable"},
    {3, "Port unreachable"},
    {4, "Fragmentation needed"},
    {5, "Source route failed"},
    {6, "Destination network unknown"},
    {7, "Destination host unknown"},
    {9, "Network administratively prohibited"},
    {10, "Host administratively prohibited"},
    {13, "Communication administratively filtered"},
    {0, NULL},
};
