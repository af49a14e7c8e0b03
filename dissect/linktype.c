/* Names of link types, for messages and --stats. */
#include "dissect/linktype.h"

#include "util/util.h"

static const struct tok linktype_names[] = {
    {LINKTYPE_NULL, "NULL (BSD loopback)"},
    {LINKTYPE_ETHERNET, "Ethernet"},
    {LINKTYPE_PPP, "PPP"},
    {LINKTYPE_RAW_BSD, "Raw IP (BSD 12)"},
    {LINKTYPE_RAW_BSD14, "Raw IP (BSD 14)"},
    {LINKTYPE_RAW, "Raw IP"},
    {LINKTYPE_LOOP, "OpenBSD loopback"},
    {LINKTYPE_LINUX_SLL, "Linux cooked (SLL)"},
    {LINKTYPE_IPV4, "Raw IPv4"},
    {LINKTYPE_IPV6, "Raw IPv6"},
    {LINKTYPE_LINUX_SLL2, "Linux cooked v2 (SLL2)"},
    {0, NULL},
};

const char *linktype_name(uint32_t linktype)
{
    const char *name = tok_name(linktype_names, linktype);
    return name ? name : "unknown";
}
