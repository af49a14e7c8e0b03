/*
 * The application layer, chosen by port as Wireshark does: the lower port is tried first, then
 * the higher one (packet-tcp.c / packet-udp.c "try low port first"), so a reply from port 53 to
 * an ephemeral port is DNS and traffic between 53 and 5353 is DNS, not mDNS.
 *
 *   67, 68 over UDP: DHCP and BOOTP (RFC 2131, RFC 951)
 *   53    DNS (RFC 1035; over TCP with its 2-byte length prefix, RFC 1035 4.2.2 / RFC 7766)
 *   5353  mDNS (RFC 6762), 5355 LLMNR (RFC 4795): DNS-format messages under their own names
 *   80, 3128, 3132, 5985, 8000, 8080, 8088, 11371 over TCP: HTTP/1.x (a payload that does
 *         not start a message continues one: Wireshark's "Continuation"); on any other TCP
 *         port a payload that starts like HTTP is HTTP too.
 *   443, 465, 636, 853, 993, 995, 5061 over TCP: TLS (tls.c); on any other TCP port a payload
 *         that starts with a ClientHello record is TLS too.
 *   21 FTP, 25/587 SMTP, 110 POP3, 143 IMAP, 23 Telnet, 22 SSH over TCP: the line-based
 *         protocols (ftp.c ... ssh.c; lines.c splits lines for them).
 *
 * Payloads that pktscope does not decode become a "data" layer, like Wireshark's data dissector.
 */
#include "dissect/reasm_internal.h"

/* An application dissector: dissects the payload at `c` and returns true, or returns false
 * when it does not take this payload (then the other port, then the content, are tried). */
typedef bool (*app_dissector)(struct dissection *d, struct cursor *c, bool over_tcp);

static bool app_dns(struct dissection *d, struct cursor *c, bool over_tcp);
static bool app_mdns(struct dissection *d, struct cursor *c, bool over_tcp);
static bool app_llmnr(struct dissection *d, struct cursor *c, bool over_tcp);
static bool app_http(struct dissection *d, struct cursor *c, bool over_tcp);

struct app_port {
    uint16_t port;
    uint8_t l4;     /* PS_IPPROTO_TCP, PS_IPPROTO_UDP, or 0 for both */
    uint16_t proto; /* enum proto_id: what the port carries (the dissector's protocol) */
    app_dissector run;
    /* Over TCP, for reassembly: the length of the message that starts at the stream's next
     * byte (see app_pdu_len_fn in internal.h); NULL when the protocol's messages are not
     * reassembled (each segment is dissected as it comes). */
    app_pdu_len_fn pdu_len;
};

/* The port table: adding an application protocol is one row here (see doc/dissectors.md). */
static const struct app_port app_ports[] = {
    {53, 0, PROTO_DNS, app_dns, dis_dns_tcp_pdu_len},
    {5353, 0, PROTO_MDNS, app_mdns, NULL},
    {5355, 0, PROTO_LLMNR, app_llmnr, NULL},
    {80, PS_IPPROTO_TCP, PROTO_HTTP, app_http, dis_http_pdu_len},
    {3128, PS_IPPROTO_TCP, PROTO_HTTP, app_http, dis_http_pdu_len},
    {3132, PS_IPPROTO_TCP, PROTO_HTTP, app_http, dis_http_pdu_len},
    {5985, PS_IPPROTO_TCP, PROTO_HTTP, app_http, dis_http_pdu_len},
    {8000, PS_IPPROTO_TCP, PROTO_HTTP, app_http, dis_http_pdu_len},
    {8080, PS_IPPROTO_TCP, PROTO_HTTP, app_http, dis_http_pdu_len},
    {8088, PS_IPPROTO_TCP, PROTO_HTTP, app_http, dis_http_pdu_len},
    {11371, PS_IPPROTO_TCP, PROTO_HTTP, app_http, dis_http_pdu_len},
    {123, PS_IPPROTO_UDP, PROTO_NTP, dissect_ntp, NULL},
    /* TLS: the TCP ports Wireshark 4.0 gives TLS by default (tshark -G decodes) */
    {443, PS_IPPROTO_TCP, PROTO_TLS, dissect_tls, tls_pdu_len},
    {465, PS_IPPROTO_TCP, PROTO_TLS, dissect_tls, tls_pdu_len},
    {636, PS_IPPROTO_TCP, PROTO_TLS, dissect_tls, tls_pdu_len},
    {853, PS_IPPROTO_TCP, PROTO_TLS, dissect_tls, tls_pdu_len},
    {993, PS_IPPROTO_TCP, PROTO_TLS, dissect_tls, tls_pdu_len},
    {995, PS_IPPROTO_TCP, PROTO_TLS, dissect_tls, tls_pdu_len},
    {5061, PS_IPPROTO_TCP, PROTO_TLS, dissect_tls, tls_pdu_len},
    /* SNMP: agents on 161, notifications (traps, informs) on 162 (RFC 3417 3) */
    {161, PS_IPPROTO_UDP, PROTO_SNMP, dissect_snmp, NULL},
    {162, PS_IPPROTO_UDP, PROTO_SNMP, dissect_snmp, NULL},
    /* DHCP (dhcp.c): server and client ports */
    {67, PS_IPPROTO_UDP, PROTO_DHCP, dissect_dhcp, NULL},
    {68, PS_IPPROTO_UDP, PROTO_DHCP, dissect_dhcp, NULL},
    /* textproto: line-based protocols */
    {21, PS_IPPROTO_TCP, PROTO_FTP, dissect_ftp, NULL},
    {25, PS_IPPROTO_TCP, PROTO_SMTP, dissect_smtp, dis_smtp_pdu_len},
    {587, PS_IPPROTO_TCP, PROTO_SMTP, dissect_smtp, dis_smtp_pdu_len},
    {110, PS_IPPROTO_TCP, PROTO_POP, dissect_pop, NULL},
    {143, PS_IPPROTO_TCP, PROTO_IMAP, dissect_imap, dis_imap_pdu_len},
    {23, PS_IPPROTO_TCP, PROTO_TELNET, dissect_telnet, NULL},
    {22, PS_IPPROTO_TCP, PROTO_SSH, dissect_ssh, NULL},
    /* end textproto */
    {0, 0, PROTO_NONE, NULL, NULL},
};

/* Runs the dissector registered for `port`; false when there is none or it declines. */
static bool app_run(struct dissection *d, struct cursor *c, uint16_t port, uint8_t l4)
{
    for (const struct app_port *a = app_ports; a->run; a++)
        if (a->port == port && (a->l4 == 0 || a->l4 == l4))
            return a->run(d, c, l4 == PS_IPPROTO_TCP);
    return false;
}

static const struct app_port *app_row(uint16_t port, uint8_t l4)
{
    for (const struct app_port *a = app_ports; a->run; a++)
        if (a->port == port && (a->l4 == 0 || a->l4 == l4))
            return a;
    return NULL;
}

app_pdu_len_fn dis_app_pdu_len(uint16_t sport, uint16_t dport, uint16_t *proto)
{
    uint16_t lo = sport < dport ? sport : dport;
    uint16_t hi = sport < dport ? dport : sport;
    const struct app_port *a = app_row(lo, PS_IPPROTO_TCP);
    if (!a)
        a = app_row(hi, PS_IPPROTO_TCP);
    *proto = a ? a->proto : PROTO_NONE;
    return a ? a->pdu_len : NULL;
}

app_pdu_len_fn dis_app_pdu_len_of(uint16_t proto)
{
    for (const struct app_port *a = app_ports; a->run; a++)
        if (a->proto == proto)
            return a->pdu_len;
    return NULL;
}

bool dis_app_run_proto(struct dissection *d, struct cursor *c, uint16_t proto)
{
    for (const struct app_port *a = app_ports; a->run; a++)
        if (a->proto == proto)
            return a->run(d, c, a->l4 != PS_IPPROTO_UDP);
    return false;
}

void dissect_data(struct dissection *d, struct cursor *c, enum layer_status st)
{
    size_t start = c->off;
    size_t n = cur_left(c);
    if (n == 0 || dis_layer_begin(d, PROTO_DATA, c) < 0)
        return;
    dis_protocols_add(d, "data");
    dis_field_rest(d, c, FID_DATA, 0);
    dis_field_mark(d, c, FID_DATA_LEN, n);
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
    if (cur_left(c) == 0 || d->transport_only)
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
    /* TLS: a ClientHello on any TCP port (Wireshark's enabled tls_tcp heuristic) */
    if (l4 == PS_IPPROTO_TCP && dis_tls_detect(c) && dissect_tls(d, c, true)) {
        reasm_tcp_adopt(d, PROTO_TLS); /* with reassembly: the conversation is TLS from now on */
        return;
    }
    dissect_data(d, c, LAYER_OK);
}
