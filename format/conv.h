/*
 * -z conv,TYPE: tshark's conversation tables (tshark -q -z conv,tcp), computed from the packets
 * as they are shown: one row per conversation (an address pair, or an address-and-port pair),
 * frames and bytes each way, relative start and duration, in tshark 4.0's layout and order.
 *
 * Bounded: at most CONV_MAX rows per table are kept; packets of further conversations are
 * counted and said in a line under the table.
 */
#ifndef PKTSCOPE_FORMAT_CONV_H
#define PKTSCOPE_FORMAT_CONV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "capture/source.h"
#include "dissect/dissect.h"

enum zconv_type {
    ZCONV_ETH = 1,
    ZCONV_IP = 2,
    ZCONV_IPV6 = 4,
    ZCONV_TCP = 8,
    ZCONV_UDP = 16,
};

#define CONV_MAX 100000

struct conv_tables;

/* `types`: the ZCONV_ bits asked for, tables printed in the order they were asked (order[]). */
struct conv_tables *conv_new(const unsigned *order, size_t norder);
/* ref: the first packet's time (the "Relative Start" column counts from it). */
void conv_add(struct conv_tables *ct, const struct packet *pkt, const struct dissection *d,
              int64_t ref_sec, uint32_t ref_nsec);
/* Prints the tables asked in places [from, to) of order[], the last first (tshark's order). */
void conv_print(const struct conv_tables *ct, size_t from, size_t to, FILE *out);
void conv_free(struct conv_tables *ct);

#endif
