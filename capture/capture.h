/*
 * capture helpers shared by every source and by callers (names, no pcap.h here).
 */
#ifndef PKTSCOPE_CAPTURE_CAPTURE_H
#define PKTSCOPE_CAPTURE_CAPTURE_H

#include "capture/source.h"

/* A human name for a LINKTYPE_* value ("Ethernet"); "unknown" for others. */
const char *linktype_name(uint32_t linktype);

#endif
