/*
 * -z io,phs: protocol hierarchy statistics as tshark -q -z io,phs writes them: frames and bytes
 * per protocol path, indented by depth, children in the order first seen. Built from each
 * packet's frame.protocols (the dissection's protocol path) with tshark's omissions: the
 * "ethertype" step, extension headers (ipv6.hopopts), and "data" inside an application or ICMP
 * layer (tshark counts only protocols at the top of the packet's tree).
 * Bounded: PHS_MAX_NODES nodes; packets whose path needs more are counted under the last node.
 */
#ifndef PKTSCOPE_FORMAT_PHS_H
#define PKTSCOPE_FORMAT_PHS_H

#include <stdint.h>
#include <stdio.h>

#include "capture/source.h"
#include "dissect/dissect.h"

#define PHS_MAX_NODES 512

struct phs;

struct phs *phs_new(void);
void phs_add(struct phs *ph, const struct packet *pkt, const struct dissection *d);
void phs_print(const struct phs *ph, FILE *out);
void phs_free(struct phs *ph);

#endif
