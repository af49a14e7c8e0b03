/*
 * The why text of a packet's labels, rebuilt from its struct track_info and its dissection: one
 * clause per label naming the values the rule compared, "; " between clauses. Relative
 * sequence numbers are used throughout, as the user sees them. The tracker only sets the labels
 * (phase, TI_* flags, TA_* analysis bits) and the values its rules compared; the English is here
 * with the other renderings, so track/ stays numbers.
 */
#include <inttypes.h>
#include <string.h>

#include "dissect/numbers.h"
#include "format/conns.h"
#include "format/format.h"
#include "track/track.h"
#include "util/strbuf.h"

static void sep(struct strbuf *sb)
{
    if (sb->len)
        sb_puts(sb, "; ");
}

static void put_addr(struct strbuf *sb, const struct dis_summary *s, bool src)
{
    sb_ip(sb, src ? s->src : s->dst, s->addr_len);
}

static const uint8_t *field_ipv4(const struct dissection *d, enum field_id id)
{
    const struct field *f = dis_find(d, id);
    return f && f->len == 4 ? dis_field_bytes(d, f, 4) : NULL;
}

static const uint8_t *field_mac(const struct dissection *d, enum field_id id)
{
    const struct field *f = dis_find(d, id);
    return f && f->len == 6 ? dis_field_bytes(d, f, 6) : NULL;
}

/* The prefix length of a contiguous subnet mask, or -1. */
static int mask_prefix_len(const uint8_t *m)
{
    uint32_t v = ((uint32_t)m[0] << 24) | ((uint32_t)m[1] << 16) | ((uint32_t)m[2] << 8) | m[3];
    int n = 0;
    while (n < 32 && (v & (0x80000000u >> n)))
        n++;
    return n == 32 || (v << n) == 0 ? n : -1;
}

static void explain_phase(struct strbuf *sb, const struct track_info *ti,
                          const struct dissection *d)
{
    const struct dis_summary *s = &d->sum;
    uint16_t fl = s->tcp_flags;
    uint32_t len = s->payload_len;
    switch ((enum phase)ti->phase) {
    case PHASE_HANDSHAKE:
        sep(sb);
        if ((fl & (TCP_SYN | TCP_ACK)) == TCP_SYN)
            sb_puts(sb, "handshake: SYN opens the connection (relative seq 0 is the ISN)");
        else if (fl & TCP_SYN)
            sb_printf(sb, "handshake: SYN-ACK answers the SYN (ack %" PRIu32 " = ISN + 1)",
                      ti->rel_ack);
        else if (ti->flags & TI_HAS_RTT)
            sb_printf(sb,
                      "handshake: this ACK completes the three-way handshake (RTT %" PRIu32
                      ".%03" PRIu32 " ms)",
                      ti->rtt_usec / 1000, ti->rtt_usec % 1000);
        else
            sb_puts(sb, "handshake: the handshake is not complete yet");
        break;
    case PHASE_DATA:
        sep(sb);
        if (len) {
            /* Most packets of a capture take this clause: without printf. */
            sb_puts(sb, "data: ");
            sb_u64(sb, len);
            sb_puts(sb, " bytes after the handshake");
        } else
            sb_puts(sb, "data: acknowledgment after the handshake, before any FIN");
        break;
    case PHASE_TEARDOWN:
        sep(sb);
        if (fl & TCP_FIN) {
            sb_puts(sb, "teardown: ");
            put_addr(sb, s, true);
            sb_puts(sb, " sends FIN (no more data from it)");
        } else if (ti->flags & TI_HALF_CLOSED) {
            sb_puts(sb, "half-close: ");
            put_addr(sb, s, false);
            sb_puts(sb, " has sent FIN; ");
            put_addr(sb, s, true);
            sb_puts(sb, " is still sending data");
        } else {
            sb_puts(sb, "teardown: after a FIN");
        }
        break;
    case PHASE_RESET:
        sep(sb);
        if (fl & TCP_RST) {
            sb_puts(sb, "reset: ");
            put_addr(sb, s, true);
            if (len)
                sb_printf(sb, " aborts the connection with RST (carrying %" PRIu32 " bytes)", len);
            else
                sb_puts(sb, " aborts the connection with RST");
        } else {
            sb_puts(sb, "reset: after a RST");
        }
        break;
    default:
        break;
    }
}

static void explain_analysis(struct strbuf *sb, const struct track_info *ti,
                             const struct dissection *d)
{
    const struct dis_summary *s = &d->sum;
    uint32_t len = s->payload_len;
    uint32_t a = ti->analysis;
    if (a & TA_REUSED_PORTS) {
        sep(sb);
        sb_puts(sb, "port numbers reused: a new SYN with a different ISN on a known port pair "
                    "starts a new stream");
    }
    if (a & TA_FAST_RETRANSMISSION) {
        sep(sb);
        sb_printf(sb,
                  "fast retransmission: seq %" PRIu32 " equals the ack repeated by 2 or more "
                  "duplicate ACKs within 20 ms, below the next expected %" PRIu32,
                  ti->rel_seq, ti->next_seq);
    } else if (a & TA_SPURIOUS_RETRANSMISSION) {
        sep(sb);
        sb_printf(sb,
                  "spurious retransmission: seq %" PRIu32 " + %" PRIu32
                  " bytes ends at or below %" PRIu32 ", already acknowledged by the receiver",
                  ti->rel_seq, len, ti->peer_ack);
    } else if (a & TA_RETRANSMISSION) {
        sep(sb);
        sb_printf(sb, "retransmission: seq %" PRIu32 " is below the next expected %" PRIu32,
                  ti->rel_seq, ti->next_seq);
        if (len)
            sb_printf(sb, " and the segment carries %" PRIu32 " bytes", len);
        else
            sb_puts(sb, " and the segment carries a SYN or FIN");
    }
    if (a & TA_OUT_OF_ORDER) {
        sep(sb);
        sb_printf(sb,
                  "out-of-order: seq %" PRIu32 " is below the next expected %" PRIu32
                  " and arrived within the handshake RTT (or 3 ms) of the highest segment",
                  ti->rel_seq, ti->next_seq);
    }
    if (a & TA_LOST_SEGMENT) {
        sep(sb);
        sb_printf(sb,
                  "previous segment not captured: seq %" PRIu32
                  " is above the next expected %" PRIu32 " (%" PRIu32 " bytes missing)",
                  ti->rel_seq, ti->next_seq, ti->rel_seq - ti->next_seq);
    }
    if (a & TA_ACK_LOST_SEGMENT) {
        sep(sb);
        sb_printf(sb,
                  "ACKed unseen segment: ack %" PRIu32 " is above %" PRIu32
                  ", the end of what the other side was seen to send",
                  ti->rel_ack, ti->peer_next);
    }
    if (a & TA_DUPLICATE_ACK) {
        sep(sb);
        sb_printf(sb,
                  "duplicate ACK #%u: no data, and ack %" PRIu32 ", seq %" PRIu32
                  " and window %" PRIu32 " repeat this side's previous segment",
                  ti->dup_ack_num, ti->rel_ack, ti->rel_seq, ti->window_scaled);
    }
    if (a & TA_ZERO_WINDOW) {
        sep(sb);
        sb_puts(sb, "zero window: the sender advertises window 0, so the peer must stop sending");
    }
    if (a & TA_ZERO_WINDOW_PROBE) {
        sep(sb);
        sb_printf(sb,
                  "zero-window probe: 1 byte at the next expected seq %" PRIu32
                  " while the receiver's window is 0",
                  ti->rel_seq);
    }
    if (a & TA_ZERO_WINDOW_PROBE_ACK) {
        sep(sb);
        sb_puts(sb, "zero-window probe ACK: repeats the previous ACK and window 0 after a probe");
    }
    if (a & TA_KEEP_ALIVE) {
        sep(sb);
        sb_printf(sb,
                  "keep-alive: seq %" PRIu32 " is one below the next expected %" PRIu32
                  " with %" PRIu32 " bytes",
                  ti->rel_seq, ti->next_seq, len);
    }
    if (a & TA_KEEP_ALIVE_ACK) {
        sep(sb);
        sb_puts(sb, "keep-alive ACK: repeats the previous ACK right after the peer's keep-alive");
    }
    if (a & TA_WINDOW_UPDATE) {
        sep(sb);
        sb_printf(sb,
                  "window update: no data, same seq and ack as before, window changed to %" PRIu32,
                  ti->window_scaled);
    }
    if (a & TA_WINDOW_FULL) {
        sep(sb);
        sb_printf(sb,
                  "window full: seq %" PRIu32 " + %" PRIu32
                  " bytes reaches the edge of the receiver's advertised window",
                  ti->rel_seq, len);
    }
}

/* DHCP: which step of RFC 2131 3.1's exchange this message is (the exchange and its frames are
 * the pktscope.dhcp.* fields, shown by the layer tree). */
static void explain_dhcp(struct strbuf *sb, const struct dissection *d)
{
    static const char *const steps[] = {
        NULL,
        "DHCP step 1 of 4: DISCOVER, the client broadcasts to find a DHCP server",
        "DHCP step 2 of 4: OFFER, a server offers an address, mask, gateway and DNS servers",
        "DHCP step 3 of 4: REQUEST, the client asks for the offered (or its old) address",
        "DHCP DECLINE: the client found the offered address already in use",
        "DHCP step 4 of 4: ACK, the server confirms the lease; the client may now use the "
        "address, mask, router and DNS servers",
        "DHCP NAK: the server refuses the request; the client starts over with DISCOVER",
        "DHCP RELEASE: the client gives its address back before the lease ends",
        "DHCP INFORM: the client has an address and asks only for the other settings",
    };
    const struct field *mt = dis_find(d, FID_DHCP_OPTION_DHCP);
    if (!mt || mt->value >= sizeof(steps) / sizeof(steps[0]) || !steps[mt->value])
        return;
    sep(sb);
    sb_puts(sb, steps[mt->value]);
    if (mt->value != 2 && mt->value != 5)
        return;
    /* OFFER and ACK: what the server hands out (RFC 2131 3.1, RFC 2132 3.3 and 3.5). */
    const uint8_t *yi = field_ipv4(d, FID_DHCP_IP_YOUR);
    const uint8_t *mask = field_ipv4(d, FID_DHCP_OPTION_SUBNET_MASK);
    const uint8_t *router = field_ipv4(d, FID_DHCP_OPTION_ROUTER);
    if (yi && !(yi[0] | yi[1] | yi[2] | yi[3])) /* 0.0.0.0: an ACK to INFORM hands out none */
        yi = NULL;
    if (!yi && !mask && !router)
        return;
    sb_puts(sb, mt->value == 2 ? "; offered:" : "; handed out:");
    if (yi) {
        sb_puts(sb, " address ");
        sb_ipv4(sb, yi);
    }
    if (mask) {
        sb_puts(sb, yi ? ", mask " : " mask ");
        sb_ipv4(sb, mask);
        int n = mask_prefix_len(mask);
        if (n >= 0) {
            sb_printf(sb, " (/%d", n);
            if (yi) {
                uint8_t net[4];
                for (int i = 0; i < 4; i++)
                    net[i] = (uint8_t)(yi[i] & mask[i]);
                sb_puts(sb, ": the client's subnet is ");
                sb_ipv4(sb, net);
                sb_printf(sb, "/%d", n);
            }
            sb_putc(sb, ')');
        }
    }
    if (router) {
        sb_puts(sb, yi || mask ? ", gateway " : " gateway ");
        sb_ipv4(sb, router);
        sb_puts(sb, " (the router for every address outside that subnet)");
    }
}

/* ---- ARP, UDP, ICMP, DNS ------------------------------------------------------------------ */

static void put_ms(struct strbuf *sb, int64_t ns)
{
    sb_printf(sb, "%" PRId64 ".%03" PRId64 " ms", ns / 1000000, (ns / 1000) % 1000);
}

const struct field *format_answered_in(const struct dissection *d, int64_t *ns)
{
    static const enum field_id answer_ids[] = {FID_HTTP_RESPONSE_IN, FID_DNS_RESPONSE_IN,
                                               FID_ICMP_RESP_IN, FID_ICMPV6_RESP_IN,
                                               FID_PS_ARP_REPLY_IN};
    *ns = 0;
    for (size_t i = 0; i < sizeof(answer_ids) / sizeof(answer_ids[0]); i++) {
        const struct field *f = dis_find(d, answer_ids[i]);
        if (!f)
            continue;
        /* apply_answer() puts the time right after the frame it belongs to */
        const struct field *t = f + 1;
        if (t < d->fields + d->nfields && t->id == FID_PS_RESPONSE_TIME) {
            double s;
            memcpy(&s, &t->value, sizeof(s));
            if (s >= 0 && s < 1e9)
                *ns = (int64_t)(s * 1e9 + 0.5);
        }
        return f;
    }
    return NULL;
}

/* "; answered in frame N (x ms later<in_brackets>)<after>" when a later frame told where
 * (format_answered_in). */
static void put_answered(struct strbuf *sb, const struct dissection *d, const char *in_brackets,
                         const char *after)
{
    int64_t ns;
    const struct field *in = format_answered_in(d, &ns);
    if (!in)
        return;
    sb_printf(sb, "; answered in frame %" PRIu64 " (", in->value);
    put_ms(sb, ns);
    sb_printf(sb, " later%s)%s", in_brackets, after);
}

/* ARP (RFC 826; probes and announcements RFC 5227). Wireshark's arp.isgratuitous, arp.isprobe
 * and arp.isannouncement name the special cases; the pairing is the tracker's. */
static void explain_arp(struct strbuf *sb, const struct track_info *ti, const struct dissection *d)
{
    const uint8_t *sha = field_mac(d, FID_ARP_SRC_HW_MAC);
    const uint8_t *spa = field_ipv4(d, FID_ARP_SRC_PROTO_IPV4);
    const uint8_t *tpa = field_ipv4(d, FID_ARP_DST_PROTO_IPV4);
    if (!sha || !spa || !tpa)
        return; /* not IPv4 over Ethernet, or cut short */
    uint16_t op = d->sum.arp_op;
    sep(sb);
    if (dis_find(d, FID_ARP_ISPROBE)) {
        sb_puts(sb, "ARP probe (RFC 5227, arp.isprobe): ");
        sb_mac(sb, sha);
        sb_puts(sb, " asks for ");
        sb_ipv4(sb, tpa);
        sb_puts(sb, " with sender address 0.0.0.0, to check that no host uses that address "
                    "before taking it; a reply would mean an address conflict");
    } else if (dis_find(d, FID_ARP_ISANNOUNCEMENT)) {
        sb_puts(sb, "ARP announcement (RFC 5227, arp.isannouncement, a gratuitous request): ");
        sb_mac(sb, sha);
        sb_puts(sb, " tells every host on the link that it now uses ");
        sb_ipv4(sb, spa);
        sb_puts(sb, ", so that they update their ARP caches; no reply is expected");
    } else if (dis_find(d, FID_ARP_ISGRATUITOUS)) {
        sb_printf(sb, "gratuitous ARP %s (arp.isgratuitous): ", op == 1 ? "request" : "reply");
        sb_mac(sb, sha);
        sb_puts(sb, " announces unasked that ");
        sb_ipv4(sb, spa);
        sb_puts(sb, " is at ");
        sb_mac(sb, sha);
        sb_puts(sb, " (sender and target address are the same), so that hosts update their ARP "
                    "caches, e.g. after a failover; another host answering would mean a "
                    "conflict");
    } else if (op == 1) {
        sb_puts(sb, "ARP request: ");
        sb_ipv4(sb, spa);
        sb_puts(sb, " asks every host on the link (broadcast) \"who has ");
        sb_ipv4(sb, tpa);
        sb_puts(sb, "?\" to learn its MAC address; only the owner replies");
        /* what the reply said (a later frame: -2 and the TUI know it) */
        const struct field *rm = dis_find(d, FID_PS_ARP_REPLY_MAC);
        uint8_t mac[6];
        char said[64] = ": the reply carries the MAC address asked for";
        if (rm && dis_field_mac(d, rm, mac)) {
            struct strbuf ab;
            sb_init(&ab, said, sizeof(said));
            sb_puts(&ab, ": ");
            sb_ipv4(&ab, tpa);
            sb_puts(&ab, " is at ");
            sb_mac(&ab, mac);
        }
        put_answered(sb, d, "", said);
        if (ti->pair_kind == TI_PAIR_ARP_AGAIN) {
            sb_printf(sb, "; asks again: the request in frame %" PRIu32 " (", ti->pair_frame);
            put_ms(sb, ti->pair_ns);
            sb_puts(sb, " earlier) got no reply");
        }
    } else if (op == 2) {
        sb_puts(sb, "ARP reply: ");
        sb_ipv4(sb, spa);
        sb_puts(sb, " is at ");
        sb_mac(sb, sha);
        if (ti->pair_kind == TI_PAIR_ARP) {
            sb_printf(sb, "; answers the request in frame %" PRIu32 " (", ti->pair_frame);
            put_ms(sb, ti->pair_ns);
            sb_puts(sb, " later), sent straight to the asker: ");
        } else {
            sb_puts(sb, "; its request was not captured: ");
        }
        sb_ipv4(sb, tpa);
        sb_puts(sb, " can now put ");
        sb_mac(sb, sha);
        sb_puts(sb, " as the destination of its frames for ");
        sb_ipv4(sb, spa);
    } else {
        sb_printf(sb, "ARP opcode %u: neither a request (1) nor a reply (2)", op);
    }
}

static void explain_udp(struct strbuf *sb)
{
    sep(sb);
    sb_puts(sb, "UDP: no handshake and no acknowledgement: each datagram stands alone; the "
                "application must cope with loss");
}

static const char *icmp_error_text(uint8_t l4, uint8_t type, uint8_t code)
{
    if (l4 == PS_IPPROTO_ICMP) {
        switch (type) {
        case 3:
            switch (code) {
            case 0:
                return "destination unreachable (network unreachable): no route to the network";
            case 1:
                return "destination unreachable (host unreachable): the last router got no "
                       "answer from the host (no ARP reply)";
            case 2:
                return "destination unreachable (protocol unreachable): the host does not speak "
                       "the quoted transport";
            case 3:
                return "destination unreachable (port unreachable): no program listens on the "
                       "quoted destination port";
            case 4:
                return "destination unreachable (fragmentation needed): the packet was too big "
                       "for the next link and had Don't Fragment set";
            case 9:
            case 10:
            case 13:
                return "destination unreachable (administratively prohibited): a firewall "
                       "refused it";
            default:
                return "destination unreachable";
            }
        case 11:
            return code == 0 ? "time exceeded: a router dropped the packet when its TTL reached "
                               "0 (how traceroute finds the routers on a path)"
                             : "time exceeded: the fragments were not all received in time";
        case 5:
            return "redirect: a router tells the sender a better first hop";
        case 12:
            return "parameter problem: the header of the packet was wrong";
        case 4:
            return "source quench (deprecated, RFC 6633)";
        default:
            return NULL;
        }
    }
    switch (type) {
    case 1:
        switch (code) {
        case 0:
            return "destination unreachable (no route to the destination)";
        case 1:
            return "destination unreachable (administratively prohibited): a firewall refused it";
        case 3:
            return "destination unreachable (address unreachable): neighbour discovery got no "
                   "answer from the host";
        case 4:
            return "destination unreachable (port unreachable): no program listens on the "
                   "quoted destination port";
        default:
            return "destination unreachable";
        }
    case 2:
        return "packet too big: the next link's MTU is smaller (IPv6 routers never fragment)";
    case 3:
        return code == 0 ? "time exceeded: a router dropped the packet when its hop limit reached "
                           "0 (how traceroute finds the routers on a path)"
                         : "time exceeded: the fragments were not all received in time";
    case 4:
        return "parameter problem: the header of the packet was wrong";
    default:
        return NULL;
    }
}

/* An ICMP error (RFC 792, RFC 4443): what went wrong, who says so, and the packet it quotes. */
static void explain_icmp_error(struct strbuf *sb, const struct dissection *d)
{
    const struct dis_summary *s = &d->sum;
    const char *what = icmp_error_text(s->l4, s->icmp_type, s->icmp_code);
    if (!what)
        return;
    sep(sb);
    sb_puts(sb, what);
    sb_puts(sb, "; sent by ");
    put_addr(sb, s, true);
    if (!s->has_quoted) {
        sb_puts(sb, "; the quoted packet was not captured");
        return;
    }
    sb_puts(sb, " about the packet it quotes: ");
    bool ports = s->q_l4 == PS_IPPROTO_TCP || s->q_l4 == PS_IPPROTO_UDP;
    sb_ip(sb, s->q_src, s->q_addr_len);
    if (ports)
        sb_printf(sb, " port %u", s->q_sport);
    sb_puts(sb, " -> ");
    sb_ip(sb, s->q_dst, s->q_addr_len);
    if (ports)
        sb_printf(sb, " port %u", s->q_dport);
    const char *pn = s->q_l4 == PS_IPPROTO_TCP      ? "TCP"
                     : s->q_l4 == PS_IPPROTO_UDP    ? "UDP"
                     : s->q_l4 == PS_IPPROTO_ICMP   ? "ICMP"
                     : s->q_l4 == PS_IPPROTO_ICMPV6 ? "ICMPv6"
                                                    : NULL;
    if (pn)
        sb_printf(sb, " (%s)", pn);
    else
        sb_printf(sb, " (IP protocol %u)", s->q_l4);
    sb_puts(sb, ", its first bytes copied back to the sender");
}

/* DNS: the pairing of track/pairing.c, said in words. */
static void explain_dns(struct strbuf *sb, const struct track_info *ti, const struct dissection *d)
{
    const struct field *id = dis_find(d, FID_DNS_ID);
    const struct field *qr = dis_find(d, FID_DNS_FLAGS_RESPONSE);
    if (!id || !qr)
        return;
    sep(sb);
    if (!qr->value) {
        sb_printf(sb,
                  "DNS query with transaction id 0x%04x: the response carries the same id, "
                  "which (with the addresses and ports) is how the two are paired",
                  (unsigned)id->value);
        put_answered(sb, d, "", "");
    } else if (ti->pair_kind == TI_PAIR_DNS) {
        sb_printf(sb, "DNS response to the query in frame %" PRIu32 " (", ti->pair_frame);
        put_ms(sb, ti->pair_ns);
        sb_printf(sb, " later): paired by transaction id 0x%04x, addresses and ports",
                  (unsigned)id->value);
    } else {
        sb_printf(sb,
                  "DNS response with transaction id 0x%04x: its query was not captured (or "
                  "was answered already)",
                  (unsigned)id->value);
    }
}

/* HTTP/1.x (RFC 9112 9.3): no id pairs a response with its request; responses come back on the
 * same connection in the order of the requests. The pairing is track/pairing.c's. */
static void explain_http(struct strbuf *sb, const struct track_info *ti, const struct dissection *d)
{
    const struct field *method = dis_find(d, FID_HTTP_REQUEST_METHOD);
    const struct field *code = dis_find(d, FID_HTTP_RESPONSE_CODE);
    if (!method && !code)
        return;
    sep(sb);
    if (method) {
        size_t n;
        const char *m = dis_field_text(d, method, &n);
        sb_puts(sb, "HTTP request: the client asks the server with ");
        sb_put_safe(sb, (const uint8_t *)m, n < 16 ? n : 16);
        sb_puts(sb, " over the TCP connection; HTTP carries no id, so the response is the "
                    "next one back on the same connection (requests are answered in order)");
        put_answered(sb, d, "", "");
    } else if (ti->pair_kind == TI_PAIR_HTTP) {
        sb_printf(sb, "HTTP response %u to the request in frame %" PRIu32 " (",
                  (unsigned)code->value, ti->pair_frame);
        put_ms(sb, ti->pair_ns);
        sb_puts(sb, " later): paired by order on the connection, since HTTP has no id");
    } else {
        sb_printf(sb,
                  "HTTP response %u: its request was not captured (or the connection was "
                  "picked up in the middle)",
                  (unsigned)code->value);
    }
}

void format_explain(const struct track_info *info, const struct dissection *d, char *buf,
                    size_t size)
{
    if (!buf || size == 0)
        return;
    struct strbuf sb;
    sb_init(&sb, buf, size);
    if (!info || !d)
        return;
    const struct dis_summary *s = &d->sum;
    if (s->l3 == L3_ARP) {
        explain_arp(&sb, info, d);
        return;
    }
    if (!(info->flags & TI_HAS_STREAM))
        return;
    if (info->proto == PS_IPPROTO_TCP) {
        explain_phase(&sb, info, d);
        if (info->flags & TI_MIDSTREAM) {
            sep(&sb);
            sb_puts(&sb, "midstream: the connection's SYN was not captured");
        }
        if (info->flags & TI_STATE_CHANGE) {
            sep(&sb);
            sb_puts(&sb, "states: ");
            format_tcp_flags_sep(&sb, s->tcp_flags, "/", "no flags");
            sb_printf(&sb, " leaves the sender %s and the receiver %s",
                      tcp_state_name((enum tcp_state)info->state_src),
                      tcp_state_name((enum tcp_state)info->state_dst));
        }
        explain_analysis(&sb, info, d);
    } else if (info->proto == PS_IPPROTO_ICMP || info->proto == PS_IPPROTO_ICMPV6) {
        bool request =
            s->icmp_is_echo && s->icmp_type == (info->proto == PS_IPPROTO_ICMP ? 8 : 128);
        if (request) {
            sep(&sb);
            sb_printf(&sb, "echo request with id %u, seq %u: the reply carries the same pair",
                      s->icmp_id, s->icmp_seq);
            put_answered(&sb, d, ": the round trip", "");
        } else if (info->pair_kind == TI_PAIR_ECHO) {
            sep(&sb);
            sb_printf(&sb,
                      "echo reply to the request in frame %" PRIu32
                      " (same id %u and seq %u): round trip ",
                      info->pair_frame, s->icmp_id, s->icmp_seq);
            put_ms(&sb, info->pair_ns);
        } else if (info->flags & TI_HAS_RTT) {
            sep(&sb);
            sb_printf(&sb,
                      "echo reply to the request with seq %u: RTT %" PRIu32 ".%03" PRIu32 " ms",
                      s->icmp_seq, info->rtt_usec / 1000, info->rtt_usec % 1000);
        } else if (s->icmp_is_echo) {
            sep(&sb);
            sb_printf(&sb, "echo reply with id %u, seq %u: its request was not captured",
                      s->icmp_id, s->icmp_seq);
        } else {
            explain_icmp_error(&sb, d);
        }
    } else if (info->proto == PS_IPPROTO_UDP) {
        explain_udp(&sb);
    }
    if (s->app_proto == PROTO_DNS || s->app_proto == PROTO_MDNS || s->app_proto == PROTO_LLMNR)
        explain_dns(&sb, info, d);
    if (s->app_proto == PROTO_HTTP)
        explain_http(&sb, info, d);
    if (info->app_flags & TIA_DHCP)
        explain_dhcp(&sb, d);
    if (info->flags & TI_HAS_RELATED) {
        sep(&sb);
        sb_printf(&sb, "this ICMP error quotes a packet of %s.stream %" PRIu32,
                  conns_proto_name(info->related_proto), info->related_stream);
    }
}
