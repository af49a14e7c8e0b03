/*
 * dissect: names of link types. dissect/ decodes link types, so it names them; capture/ only
 * needs the numbers (util/linktype.h), and format/ and ui/ print the names from here.
 */
#ifndef PKTSCOPE_DISSECT_LINKTYPE_H
#define PKTSCOPE_DISSECT_LINKTYPE_H

#include <stdint.h>

#include "util/linktype.h"

/* A human name for a LINKTYPE_* value ("Ethernet"); "unknown" for others. */
const char *linktype_name(uint32_t linktype);

#endif
