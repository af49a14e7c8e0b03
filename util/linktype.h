/*
 * Link-type numbers: the LINKTYPE_* values that pcap and pcapng files store (DLT_* where they
 * coincide). They are a fact of the file formats that both capture/ (reading and writing files,
 * libpcap's DLT_ values) and dissect/ (decoding the link layer, naming it) need, and those two
 * are siblings, so the numbers live here, below both. Their names live in dissect/linktype.h.
 */
#ifndef PKTSCOPE_UTIL_LINKTYPE_H
#define PKTSCOPE_UTIL_LINKTYPE_H

enum {
    LINKTYPE_NULL = 0,
    LINKTYPE_ETHERNET = 1,
    LINKTYPE_PPP = 9,
    LINKTYPE_RAW_BSD = 12, /* DLT_RAW on some BSDs */
    LINKTYPE_RAW_BSD14 = 14,
    LINKTYPE_RAW = 101,
    LINKTYPE_LINUX_SLL = 113,
    LINKTYPE_LOOP = 108,
    LINKTYPE_IPV4 = 228,
    LINKTYPE_IPV6 = 229,
    LINKTYPE_LINUX_SLL2 = 276,
};

#endif
