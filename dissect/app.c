/*
 * The application layer, chosen by port as Wireshark does: the lower port is tried first, then
 * the higher one (packet-tcp.c / packet-udp.c "try low port first"), so a reply from port 53 to
 * an ephemeral port is DNS and traffic between 53 and 5353 is DNS, not mDNS.
 *
 *   53    DNS (RFC 1035; over TCP with its 2-byte length prefix, RFC 1035 4.2.2 / RFC 7766)
 *   5353  mDNS (RFC 6762), 5355 LLMNR (RFC 4795): DNS-format messages under their own names
 *   80, 3128, 3132, 5985, 8000, 8080, 8088, 11371 over TCP: HTTP/1.x (a payload that does
 *         not start a message continues one: Wireshark's "Continuation"); on any other TCP
 *         port a payload that starts like HTTP is HTTP too.
 *
 * Payloads that pktscope does not decode become a "data" layer, like Wireshark's data dissector.
 */
#include "dissect/internal.h"

/* An application dissector: dissects the payload at `c` and returns true, or returns false
 * when it does not take this payload (then the other port, then the content, are tried). */
typedef bool (*app_dissector)(struct dissection *d, struct cursor *c, bool over_tcp);

static bool app_dns(struct dissection *d, struct cursor *c, bool over_tcp);
static bool app_mdns(struct dissection *d, struct cursor *c, bool over_tcp);
static bool app_llmnr(struct dissection *d, struct cursor *c, bool over_tcp);
static bool app_http(struct dissection *d, struct cursor *c, bool over_tcp);

struct app_port {
    uint16_t port;
    uint8_t l4; /* PS_IPPROTO_TCP, PS_IPPROTO_UDP, or 0 for both */
    app_dissector run;
    /* Over TCP, for reassembly: the length of the message that starts at the stream's next
     * byte (see app_pdu_len_fn in internal.h); NULL when the protocol's messages are not
     * reassembled (each segment is dissected as it comes). */
    app_pdu_len_fn pdu_len;
};

/* The port table: adding an application protocol is one row here (see doc/dissectors.md). */
static const struct app_port app_ports[] = {
    {53, 0, app_dns, dis_dns_tcp_pdu_len},
    {5353, 0, app_mdns, NULL},
    {5355, 0, app_llmnr, NULL},
    {80, PS_IPPROTO_TCP, app_http, dis_http_pdu_len},
    {3128, PS_IPPROTO_TCP, app_http, dis_http_pdu_len},
    {3132, PS_IPPROTO_TCP, app_http, dis_http_pdu_len},
    {5985, PS_IPPROTO_TCP, app_http, dis_http_pdu_len},
    {8000, PS_IPPROTO_TCP, app_http, dis_http_pdu_len},
    {8080, PS_IPPROTO_TCP, app_http, dis_http_pdu_len},
    {8088, PS_IPPROTO_TCP, app_http, dis_http_pdu_len},
    {11371, PS_IPPROTO_TCP, app_http, dis_http_pdu_len},
    {123, PS_IPPROTO_UDP, dissect_ntp, NULL},
    {0, 0, NULL, NULL},
};

/* Runs the dissector registered for `port`; false when there is none or it declines. */
static bool app_run(struct dissection *d, struct cursor *c, uint16_t port, uint8_t l4)
{
    for (const struct app_port *a = app_ports; a->run; a++)
        if (a->port == port && (a->l4 == 0 || a->l4 == l4))
            return a->run(d, c, l4 == PS_IPPROTO_TCP);
    return false;
}

void dissect_data(struct dissection *d, struct cursor *c, enum layer_status st)
{
    size_t start = c->off;
    size_t n = cur_left(c);
    if (n == 0 || dis_layer_begin(d, PROTO_DATA, c) < 0)
        return;
    dis_protocols_add(d, "data");
    dis_field(d, FID_DATA, start, n, 0);
    dis_field(d, FID_DATA_LEN, start, 0, n);
    /* Not decoding a protocol is not damage: a status, no anomaly (as for EtherTypes). */
    if (st != LAYER_OK)
        dis_layer_status(d, st);
    dis_layer_end(d, start, c->end);
    c->off = c->end;
}

static bool app_dns(struct dissection *d, struct cursor *c, bool over_tcp)
{
    dissect_dns(d, c, over_tcp);
    return true;
}

static bool app_mdns(struct dissection *d, struct cursor *c, bool over_tcp)
{
    dissect_dns_proto(d, c, over_tcp, PROTO_MDNS);
    return true;
}

static bool app_llmnr(struct dissection *d, struct cursor *c, bool over_tcp)
{
    dissect_dns_proto(d, c, over_tcp, PROTO_LLMNR);
    return true;
}

static bool app_http(struct dissection *d, struct cursor *c, bool over_tcp)
{
    (void)over_tcp;
    dissect_http(d, c); /* a payload that starts no message is a continuation */
    return true;
}

void dissect_app(struct dissection *d, struct cursor *c, uint8_t l4, uint16_t sport, uint16_t dport)
{
    if (cur_left(c) == 0)
        return;
    uint16_t lo = sport < dport ? sport : dport;
    uint16_t hi = sport < dport ? dport : sport;
    if (app_run(d, c, lo, l4))
        return;
    if (hi != lo && app_run(d, c, hi, l4))
        return;
    if (l4 == PS_IPPROTO_TCP && dis_http_detect(c)) {
        dissect_http(d, c);
        return;
    }
    dissect_data(d, c, LAYER_OK);
}
