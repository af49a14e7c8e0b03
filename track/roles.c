/*
 * Client and server: which end of a connection asked and which answered, and the rule that
 * told (track.h, enum role_rule). The strongest evidence wins: the SYN (RFC 9293 3.5: the
 * active opener is the client), a DNS query (RFC 1035 4.1.1: QR = 0), an ICMP echo request;
 * without any, the end on a well-known port is taken for the server (Zeek's heuristic for a
 * connection seen midstream), and failing that the first sender for the client. The last two
 * are guesses, and say so.
 */
#include <string.h>

#include "dissect/numbers.h"
#include "track/internal.h"

static bool well_known(uint16_t port)
{
    return port != 0 && port < 1024;
}

static bool is_dns(const struct dissection *d)
{
    uint16_t p = d->sum.app_proto;
    return p == PROTO_DNS || p == PROTO_MDNS || p == PROTO_LLMNR;
}

/* The roles the ports suggest for a packet's sender: a rule and whether the sender is the
 * client. */
static uint8_t roles_by_port(const struct dis_summary *s, bool *sender_is_client)
{
    /* DHCP (RFC 2131 4.1): the client's port is 68, the server's 67, both below 1024. */
    bool udp = s->l4 == PS_IPPROTO_UDP;
    if (udp && s->sport == 68 && s->dport == 67) {
        *sender_is_client = true;
        return ROLE_PORT;
    }
    if (udp && s->sport == 67 && s->dport == 68) {
        *sender_is_client = false;
        return ROLE_PORT;
    }
    if (well_known(s->dport) && !well_known(s->sport)) {
        *sender_is_client = true;
        return ROLE_PORT;
    }
    if (well_known(s->sport) && !well_known(s->dport)) {
        *sender_is_client = false;
        return ROLE_PORT;
    }
    *sender_is_client = true;
    return ROLE_FIRST;
}

/* A DNS message's verdict: ROLE_QUERY with *sender_is_client, or ROLE_NONE if d is not one. */
static uint8_t roles_by_dns(const struct dissection *d, bool *sender_is_client)
{
    if (!is_dns(d))
        return ROLE_NONE;
    const struct field *qr = dis_find(d, FID_DNS_FLAGS_RESPONSE);
    if (!qr)
        return ROLE_NONE;
    *sender_is_client = qr->value == 0;
    return ROLE_QUERY;
}

uint8_t roles_first(const struct dissection *d, uint8_t proto, bool from_orig)
{
    const struct dis_summary *s = &d->sum;
    bool sender_is_client = true;
    uint8_t rule;
    if (proto == PS_IPPROTO_TCP) {
        /* The tracker made the originator the client already (tcp.c, tcp_first_packet): only
         * the rule it used is named here. */
        uint16_t sa = s->tcp_flags & (TCP_SYN | TCP_ACK);
        if (sa == TCP_SYN)
            return ROLE_SYN;
        if (sa == (TCP_SYN | TCP_ACK))
            return ROLE_SYN_ACK;
        return roles_by_port(s, &sender_is_client);
    }
    if (proto == PS_IPPROTO_ICMP || proto == PS_IPPROTO_ICMPV6)
        return s->icmp_is_echo ? ROLE_ECHO : ROLE_NONE; /* the requester is the originator */
    rule = roles_by_dns(d, &sender_is_client);
    if (rule == ROLE_NONE)
        rule = roles_by_port(s, &sender_is_client);
    /* The packet's sender is the client exactly when it is the originator and the sender is
     * the client, or neither. */
    bool client_is_orig = sender_is_client == from_orig;
    return (uint8_t)(rule | (client_is_orig ? 0u : TIR_CLIENT_IS_RESP));
}

static bool names_browser(const struct dissection *d)
{
    const struct field *f = dis_find(d, FID_HTTP_USER_AGENT);
    size_t n = 0;
    const char *ua = f ? dis_field_text(d, f, &n) : NULL;
    if (!ua)
        return false;
    /* Every current browser's User-Agent begins with "Mozilla/" (a relic of the 1990s, RFC
     * 9110 10.1.5 notes it); old Opera began with "Opera/". Tools (curl/, Wget/, python-
     * requests/) name themselves. */
    return (n >= 8 && memcmp(ua, "Mozilla/", 8) == 0) || (n >= 6 && memcmp(ua, "Opera/", 6) == 0);
}

void roles_update(struct conn *c, const struct dissection *d, bool from_orig)
{
    uint8_t rule = c->roles & TIR_RULE_MASK;
    bool from_client = from_orig != ((c->roles & TIR_CLIENT_IS_RESP) != 0);
    if (c->proto == PS_IPPROTO_TCP) {
        /* The responder's own SYN (no ACK) after the originator's: a simultaneous open. */
        if (rule == ROLE_SYN && !from_orig &&
            (d->sum.tcp_flags & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN)
            c->roles = (uint8_t)((c->roles & ~TIR_RULE_MASK) | ROLE_SIMOPEN);
    } else if (c->proto == PS_IPPROTO_UDP && role_guessed(c->roles)) {
        bool sender_is_client;
        if (roles_by_dns(d, &sender_is_client) == ROLE_QUERY) {
            bool client_is_orig = sender_is_client == from_orig;
            c->roles = (uint8_t)((c->roles & TIR_BROWSER) | ROLE_QUERY |
                                 (client_is_orig ? 0u : TIR_CLIENT_IS_RESP));
        }
    }
    if (from_client && !(c->roles & TIR_BROWSER) && d->sum.app_proto == PROTO_HTTP &&
        names_browser(d))
        c->roles |= TIR_BROWSER;
}

const char *role_rule_name(uint8_t roles)
{
    static const char *const names[] = {"",      "syn",  "syn-ack", "simopen",
                                        "query", "echo", "port",    "first"};
    unsigned r = roles & TIR_RULE_MASK;
    return r < sizeof(names) / sizeof(names[0]) ? names[r] : "";
}

const char *role_rule_text(uint8_t roles)
{
    static const char *const texts[] = {
        "",
        "the client sent the SYN",
        "the SYN was not captured: the client received the SYN-ACK",
        "simultaneous open: both sent a SYN, and the first SYN's sender is called the client",
        "the client sent the DNS query",
        "the client sent the echo request",
        "guessed: the server is the end on the well-known port",
        "guessed: the client sent the first packet seen",
    };
    unsigned r = roles & TIR_RULE_MASK;
    return r < sizeof(texts) / sizeof(texts[0]) ? texts[r] : "";
}

const char *role_rule_short(uint8_t roles)
{
    static const char *const texts[] = {
        "",
        "sent the SYN",
        "got the SYN-ACK",
        "first SYN of a simultaneous open",
        "sent the DNS query",
        "sent the echo request",
        "guessed: the server has the well-known port",
        "guessed: sent the first packet",
    };
    unsigned r = roles & TIR_RULE_MASK;
    return r < sizeof(texts) / sizeof(texts[0]) ? texts[r] : "";
}

bool role_guessed(uint8_t roles)
{
    unsigned r = roles & TIR_RULE_MASK;
    return r == ROLE_PORT || r == ROLE_FIRST;
}

bool track_from_client(const struct track_info *ti)
{
    if ((ti->roles & TIR_RULE_MASK) == ROLE_NONE)
        return false;
    return ((ti->flags & TI_FROM_ORIG) != 0) != ((ti->roles & TIR_CLIENT_IS_RESP) != 0);
}

uint8_t track_state_of(const struct track_info *ti, bool client)
{
    if ((ti->roles & TIR_RULE_MASK) == ROLE_NONE)
        return TCPS_NONE;
    return track_from_client(ti) == client ? ti->state_src : ti->state_dst;
}
