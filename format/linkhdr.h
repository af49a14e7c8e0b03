/*
 * tcpdump's -e: the link-level header of a frame as `tcpdump -e -n` writes it before the
 * packet ("00:1b:21:0a:00:01 > 02:42:0a:00:00:02, ethertype IPv4 (0x0800), length 74: "),
 * read from the dissection's fields. Ethernet (with its 802.1Q tags and 802.3 length) and
 * Linux cooked captures (SLL, SLL2); other link types give nothing.
 */
#ifndef PKTSCOPE_FORMAT_LINKHDR_H
#define PKTSCOPE_FORMAT_LINKHDR_H

#include <stdint.h>

#include "dissect/dissect.h"
#include "util/strbuf.h"

/* Appends the header text (ending in ": " or ", ") for a frame of `len` bytes on the wire. */
void format_link_header(struct strbuf *sb, const struct dissection *d, uint32_t len);

#endif
