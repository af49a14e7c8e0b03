/*
 * The connection table (--conns): a text table, Zeek conn.log JSON objects, or a Zeek TSV
 * conn.log (https://docs.zeek.org/en/master/logs/conn.html), all from the tracker's summaries.
 * Deterministic: no clock, no locale, no services database (a built-in port table names the
 * services, so golden files do not depend on the machine's /etc/services).
 */
#include "format/conns.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dissect/numbers.h"
#include "track/community_id.h"
#include "util/strbuf.h"
#include "util/ptime.h"
#include "util/util.h"

static const struct tok service_names[] = {
    {20, "ftp-data"},
    {21, "ftp"},
    {22, "ssh"},
    {23, "telnet"},
    {25, "smtp"},
    {53, "dns"},
    {67, "dhcp"},
    {68, "dhcp"},
    {69, "tftp"},
    {79, "finger"},
    {80, "http"},
    {110, "pop3"},
    {123, "ntp"},
    {137, "netbios-ns"},
    {143, "imap"},
    {161, "snmp"},
    {179, "bgp"},
    {389, "ldap"},
    {443, "ssl"},
    {445, "smb"},
    {514, "syslog"},
    {587, "smtp"},
    {853, "dns-over-tls"},
    {993, "imaps"},
    {995, "pop3s"},
    {1883, "mqtt"},
    {3306, "mysql"},
    {5353, "mdns"},
    {5355, "llmnr"},
    {5432, "postgresql"},
    {6379, "redis"},
    {8000, "http"},
    {8080, "http"},
    {8443, "ssl"},
    {0, NULL},
};

const char *conns_proto_name(uint8_t proto)
{
    switch (proto) {
    case PS_IPPROTO_TCP:
        return "tcp";
    case PS_IPPROTO_UDP:
        return "udp";
    case PS_IPPROTO_ICMP:
    case PS_IPPROTO_ICMPV6:
        return "icmp";
    default:
        return "unknown";
    }
}

static const char *service_of(const struct conn *c)
{
    if (c->proto != PS_IPPROTO_TCP && c->proto != PS_IPPROTO_UDP)
        return NULL;
    if (c->announced != ANNOUNCE_NONE)
        return "ftp-data"; /* textproto: announced by an FTP control connection (Zeek's name) */
    /* The protocol decoded in the connection names it first, in Zeek's words (its DNS
     * analyzer also takes mDNS and LLMNR; its SSL analyzer TLS); the port table is the
     * fallback for protocols pktscope does not decode. */
    static const struct tok decoded[] = {
        {PROTO_TLS, "ssl"},   {PROTO_HTTP, "http"}, {PROTO_DNS, "dns"}, {PROTO_MDNS, "dns"},
        {PROTO_LLMNR, "dns"}, {PROTO_NTP, "ntp"},   {0, NULL},
    };
    const char *d = c->app_proto ? tok_name(decoded, c->app_proto) : NULL;
    if (d)
        return d;
    const char *n = tok_name(service_names, c->service_port);
    if (!n && c->orig_port != c->service_port)
        n = tok_name(service_names, c->orig_port < c->resp_port ? c->orig_port : c->resp_port);
    return n;
}

/* The address class in a word, for the text table. */
static const char *addr_class(const uint8_t *a, uint8_t len)
{
    if (len == 4) {
        if (a[0] == 127)
            return "loopback";
        if (a[0] == 10 || (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168))
            return "private";
        if (a[0] == 169 && a[1] == 254)
            return "link-local";
        if (a[0] >= 224 && a[0] <= 239)
            return "multicast";
        if (a[0] == 255 && a[1] == 255 && a[2] == 255 && a[3] == 255)
            return "broadcast";
        if (a[0] == 100 && (a[1] & 0xc0) == 64)
            return "cgnat";
        if ((a[0] == 192 && a[1] == 0 && a[2] == 2) || (a[0] == 198 && a[1] == 51 && a[2] == 100) ||
            (a[0] == 203 && a[1] == 0 && a[2] == 113))
            return "documentation";
        if (a[0] == 0)
            return "unspecified";
        return "public";
    }
    static const uint8_t loop6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    if (memcmp(a, loop6, 16) == 0)
        return "loopback";
    if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
        return "link-local";
    if (a[0] == 0xff)
        return "multicast";
    if ((a[0] & 0xfe) == 0xfc)
        return "unique-local";
    if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8)
        return "documentation";
    if (a[0] == 0 && a[1] == 0 && a[10] == 0xff && a[11] == 0xff)
        return "v4-mapped";
    return "public";
}

static void put_endpoint(struct strbuf *sb, const struct conn *c, bool orig)
{
    const uint8_t *a = orig ? c->orig_addr : c->resp_addr;
    uint16_t port = orig ? c->orig_port : c->resp_port;
    if (c->addr_len == 16)
        sb_putc(sb, '[');
    sb_ip(sb, a, c->addr_len);
    if (c->addr_len == 16)
        sb_putc(sb, ']');
    if (c->proto == PS_IPPROTO_TCP || c->proto == PS_IPPROTO_UDP) {
        sb_putc(sb, ':');
        sb_u64(sb, port);
    }
}

static int64_t duration_ns(const struct conn *c)
{
    int64_t d = ptime_diff(c->last_sec, c->last_nsec, c->first_sec, c->first_nsec);
    return d < 0 ? 0 : d;
}

/* printf's "%lld.%06lld" of the seconds and microseconds in ns (never negative here: a
 * duration), without printf: a table of a million rows writes several a row. */
static void put_seconds(struct strbuf *sb, int64_t ns)
{
    if (ns < 0)
        ns = 0;
    sb_u64(sb, (uint64_t)(ns / 1000000000));
    sb_putc(sb, '.');
    sb_u64_width(sb, (uint64_t)(ns % 1000000000) / 1000, 6, '0');
}

/* "a/b" of two counts. */
static void put_pair(struct strbuf *sb, uint64_t a, uint64_t b)
{
    sb_u64(sb, a);
    sb_putc(sb, '/');
    sb_u64(sb, b);
}

/* " (class)" after an endpoint. */
static void put_class(struct strbuf *sb, const uint8_t *addr, uint8_t addr_len)
{
    sb_puts(sb, " (");
    sb_puts(sb, addr_class(addr, addr_len));
    sb_putc(sb, ')');
}

/* The TCP states of client and server, "?" for one not known. */
static void put_tcp_states(struct strbuf *sb, const struct conn *c, bool co)
{
    const char *a = tcp_state_name((enum tcp_state)(co ? c->state_orig : c->state_resp));
    const char *b = tcp_state_name((enum tcp_state)(co ? c->state_resp : c->state_orig));
    sb_puts(sb, a[0] ? a : "?");
    sb_putc(sb, '/');
    sb_puts(sb, b[0] ? b : "?");
}

void conns_uid(const struct conn *c, char *buf, size_t size)
{
    static const char b62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    if (!buf || size == 0)
        return;
    /* The flow's own tuple and first time, never its stream number: a --shard run numbers its
     * streams anew, and its rows must join those of an unsharded run (and of other shards). */
    uint64_t h1 = mix64(((uint64_t)c->proto << 56) ^ ((uint64_t)c->addr_len << 48) ^
                        ((uint64_t)c->vlan_id << 32) ^ ((uint64_t)c->orig_port << 16) ^
                        c->resp_port ^ 0x706b7473636f7065ull);
    for (size_t i = 0; i < c->addr_len && i < sizeof(c->orig_addr); i += 8) {
        uint64_t a = 0, b = 0;
        memcpy(&a, c->orig_addr + i, c->addr_len - i < 8 ? c->addr_len - i : 8);
        memcpy(&b, c->resp_addr + i, c->addr_len - i < 8 ? c->addr_len - i : 8);
        h1 = mix64(h1 ^ a);
        h1 = mix64(h1 ^ b);
    }
    uint64_t h2 = mix64(h1 ^ (uint64_t)c->first_sec ^ ((uint64_t)c->first_nsec << 20));
    char tmp[19];
    tmp[0] = 'C';
    for (int i = 1; i <= 17; i++) {
        uint64_t *h = i <= 9 ? &h1 : &h2;
        tmp[i] = b62[*h % 62];
        *h /= 62;
    }
    tmp[18] = '\0';
    struct strbuf sb;
    sb_init(&sb, buf, size);
    sb_puts(&sb, tmp);
}

/* ---- ordering: every protocol's connections merged by first packet ----------------------- */

static const uint8_t protos[] = {PS_IPPROTO_TCP, PS_IPPROTO_UDP, PS_IPPROTO_ICMP,
                                 PS_IPPROTO_ICMPV6};

/* The next connection in first-packet order after the cursor positions pos[] (positions among
 * the summaries kept, see tracker_conn_nth); NULL at the end. */
static const struct conn *next_conn(const struct tracker *t, size_t pos[4])
{
    int best = -1;
    const struct conn *bc = NULL;
    for (int i = 0; i < 4; i++) {
        const struct conn *c = tracker_conn_nth(t, protos[i], pos[i]);
        if (c && (!bc || c->first_packet < bc->first_packet)) {
            bc = c;
            best = i;
        }
    }
    if (best >= 0)
        pos[best]++;
    return bc;
}

/* ---- text ------------------------------------------------------------------------------- */

/* Client and server (track/roles.c): the client is the originator unless the roles say
 * otherwise (a UDP flow first seen with a DNS response). Without roles (ICMP other than echo)
 * the originator stands in the client's place. */
static bool client_is_orig(const struct conn *c)
{
    return !(c->roles & TIR_CLIENT_IS_RESP);
}

/* The ROLE cell: the rule that named the client ("?" when guessed), "B/S" for a browser. */
static void put_role(struct strbuf *sb, const struct conn *c)
{
    const char *rule = role_rule_name(c->roles);
    if (!rule[0]) {
        sb_puts(sb, "-");
        return;
    }
    sb_puts(sb, rule);
    if (role_guessed(c->roles))
        sb_putc(sb, '?');
    if (c->roles & TIR_BROWSER)
        sb_puts(sb, " B/S");
}

#define TEXT_HEADER                                                                                \
    "  ID PROTO CLIENT                                          SERVER                          "  \
    "                SERVICE      ROLE        STATES (client/server)    ZEEK   HISTORY       "     \
    "PKTS >/<    BYTES >/<          DURATION      RTT_MS  RETR  MISSED    SERVER NAME"             \
    "                     COMMUNITY_ID"

void conns_header(struct lines *out)
{
    lines_begin(out, ATTR_HEADER);
    lines_add(out, ATTR_HEADER, TEXT_HEADER, strlen(TEXT_HEADER));
    lines_end(out);
}

static void pad_to(struct strbuf *sb, size_t col)
{
    while (sb->len < col && !sb->overflow)
        sb_putc(sb, ' ');
    if (sb->len >= col && !sb->overflow && sb->len && sb->buf[sb->len - 1] != ' ')
        sb_putc(sb, ' ');
}

/* One connection's text row, its server name given. */
static void row_text(const struct conn *c, const char *name, struct lines *out)
{
    char buf[640], tmp[96]; /* 282 columns, a server name of up to 255 bytes, the ID */
    struct strbuf sb, tb;
    bool co = client_is_orig(c);
    sb_init(&sb, buf, sizeof(buf));
    sb_u64_width(&sb, c->id, 4, ' ');
    sb_putc(&sb, ' ');
    sb_pad(&sb, c->proto == PS_IPPROTO_ICMPV6 ? "icmp6" : conns_proto_name(c->proto), -5);
    sb_putc(&sb, ' ');
    sb_init(&tb, tmp, sizeof(tmp));
    put_endpoint(&tb, c, co);
    put_class(&tb, co ? c->orig_addr : c->resp_addr, c->addr_len);
    sb_puts(&sb, tmp);
    pad_to(&sb, 59);
    sb_init(&tb, tmp, sizeof(tmp));
    put_endpoint(&tb, c, !co);
    put_class(&tb, co ? c->resp_addr : c->orig_addr, c->addr_len);
    sb_puts(&sb, tmp);
    pad_to(&sb, 107);
    const char *svc = service_of(c);
    sb_puts(&sb, svc ? svc : "-");
    pad_to(&sb, 120);
    put_role(&sb, c);
    pad_to(&sb, 132);
    if (c->proto == PS_IPPROTO_TCP) {
        put_tcp_states(&sb, c, co);
    } else {
        sb_puts(&sb, "-");
    }
    pad_to(&sb, 158);
    sb_puts(&sb, c->conn_state[0] ? c->conn_state : "-");
    pad_to(&sb, 165);
    sb_puts(&sb, c->history[0] ? c->history : "-");
    pad_to(&sb, 179);
    /* > is client to server, < server to client */
    put_pair(&sb, co ? c->orig_pkts : c->resp_pkts, co ? c->resp_pkts : c->orig_pkts);
    pad_to(&sb, 191);
    put_pair(&sb, co ? c->orig_bytes : c->resp_bytes, co ? c->resp_bytes : c->orig_bytes);
    pad_to(&sb, 210);
    put_seconds(&sb, duration_ns(c));
    pad_to(&sb, 224);
    if (c->rtt_nsec >= 0) { /* milliseconds, to the microsecond */
        sb_u64(&sb, (uint64_t)(c->rtt_nsec / 1000000));
        sb_putc(&sb, '.');
        sb_u64_width(&sb, (uint64_t)(c->rtt_nsec / 1000) % 1000, 3, '0');
    } else {
        sb_puts(&sb, "-");
    }
    pad_to(&sb, 234);
    sb_u64(&sb, c->retransmissions);
    pad_to(&sb, 240);
    /* Zeek's missed_bytes: TCP bytes of the sequence space no packet carried. */
    sb_u64(&sb, c->missed_bytes);
    pad_to(&sb, 250);
    if (name)
        sb_put_safe(&sb, (const uint8_t *)name, strlen(name));
    else
        sb_puts(&sb, "-");
    /* Last: it is wide, and a long server name only pushes it right. */
    pad_to(&sb, 282);
    char cid[COMMUNITY_ID_SIZE];
    community_id_conn(c, cid);
    sb_puts(&sb, cid);

    struct line *l = lines_begin(out, ATTR_NORMAL);
    l->ref = (int32_t)(c->id > INT32_MAX ? INT32_MAX : c->id);
    lines_add(out, ATTR_NORMAL, buf, sb.len);
    lines_end(out);
}

void conns_row(const struct tracker *t, const struct conn *c, struct lines *out)
{
    row_text(c, tracker_server_name(t, c), out);
}

/* ---- columns, for views that lay the table out themselves ----------------------------- */

const struct conns_col_info conns_cols[CONNS_COL__COUNT] = {
    [CONNS_COL_ID] = {.header = "ID", .right = true, .give_way = 0, .min_width = 2},
    [CONNS_COL_PROTO] = {.header = "PROTO", .right = false, .give_way = 4, .min_width = 5},
    [CONNS_COL_CLIENT] = {.header = "CLIENT", .right = false, .give_way = 0, .min_width = 12},
    [CONNS_COL_SERVER] = {.header = "SERVER", .right = false, .give_way = 0, .min_width = 12},
    [CONNS_COL_SERVICE] = {.header = "SERVICE", .right = false, .give_way = 6, .min_width = 7},
    /* Before DURATION (the same rank, earlier in the table): a narrow screen keeps who is the
     * server, which the CLIENT and SERVER columns already show, over how it was told. */
    [CONNS_COL_ROLE] = {.header = "ROLE", .right = false, .give_way = 7, .min_width = 4},
    [CONNS_COL_STATE] = {.header = "STATE", .right = false, .give_way = 2, .min_width = 5},
    [CONNS_COL_ENDPOINTS] = {.header = "ENDPOINTS", .right = false, .give_way = 8, .min_width = 9},
    [CONNS_COL_PKTS] = {.header = "PKTS", .right = true, .give_way = 5, .min_width = 4},
    [CONNS_COL_BYTES] = {.header = "BYTES", .right = true, .give_way = 3, .min_width = 5},
    [CONNS_COL_DURATION] = {.header = "DURATION", .right = true, .give_way = 7, .min_width = 8},
    [CONNS_COL_SERVER_NAME] = {.header = "SERVER NAME",
                               .right = false,
                               .give_way = 9,
                               .min_width = 11},
};

void conns_cell(const struct tracker *t, const struct conn *c, enum conns_col col,
                struct strbuf *sb)
{
    switch (col) {
    case CONNS_COL_ID:
        sb_printf(sb, "%" PRIu32, c->id);
        break;
    case CONNS_COL_PROTO:
        sb_puts(sb, c->proto == PS_IPPROTO_ICMPV6 ? "icmp6" : conns_proto_name(c->proto));
        break;
    case CONNS_COL_CLIENT:
    case CONNS_COL_SERVER:
        put_endpoint(sb, c, (col == CONNS_COL_CLIENT) == client_is_orig(c));
        break;
    case CONNS_COL_SERVICE: {
        const char *svc = service_of(c);
        sb_puts(sb, svc ? svc : "-");
        break;
    }
    case CONNS_COL_ROLE:
        put_role(sb, c);
        break;
    case CONNS_COL_STATE:
        sb_puts(sb, c->conn_state[0] ? c->conn_state : "-");
        break;
    case CONNS_COL_ENDPOINTS:
        if (c->proto == PS_IPPROTO_TCP) {
            put_tcp_states(sb, c, client_is_orig(c));
        } else {
            sb_puts(sb, "-");
        }
        break;
    case CONNS_COL_PKTS:
        sb_printf(sb, "%" PRIu64, c->orig_pkts + c->resp_pkts);
        break;
    case CONNS_COL_BYTES:
        sb_printf(sb, "%" PRIu64, c->orig_bytes + c->resp_bytes);
        break;
    case CONNS_COL_DURATION:
        /* In microseconds, as Zeek writes it: a LAN connection lasts well under a millisecond,
         * and three decimals showed it as 0.000. */
        put_seconds(sb, duration_ns(c));
        break;
    case CONNS_COL_SERVER_NAME: {
        const char *name = tracker_server_name(t, c);
        if (name)
            sb_put_safe(sb, (const uint8_t *)name, strlen(name));
        else
            sb_puts(sb, "-");
        break;
    }
    default:
        break;
    }
}

/* ---- JSON (Zeek conn.log names) --------------------------------------------------------- */

static void json_str(struct strbuf *sb, const char *key, const char *v)
{
    sb_printf(sb, ",\"%s\":\"", key);
    sb_put_json(sb, v, strlen(v));
    sb_putc(sb, '"');
}

static void zeek_ports(const struct conn *c, uint16_t *op, uint16_t *rp)
{
    *op = c->orig_port;
    *rp = c->resp_port;
    if (c->proto == PS_IPPROTO_ICMP && c->icmp_echo) {
        /* An echo exchange: Zeek writes the request type and the reply type as ports. */
        *op = 8;
        *rp = 0;
    } else if (c->proto == PS_IPPROTO_ICMPV6 && c->icmp_echo) {
        *op = 128;
        *rp = 129;
    }
}

static void json_row(const struct conn *c, const char *name, struct strbuf *sb)
{
    char uid[24], addr[64];
    struct strbuf ab;
    conns_uid(c, uid, sizeof(uid));
    sb_printf(sb, "{\"ts\":%" PRId64 ".%06" PRIu32, c->first_sec, c->first_nsec / 1000);
    json_str(sb, "uid", uid);
    sb_init(&ab, addr, sizeof(addr));
    sb_ip(&ab, c->orig_addr, c->addr_len);
    json_str(sb, "id.orig_h", addr);
    uint16_t op, rp;
    zeek_ports(c, &op, &rp);
    sb_printf(sb, ",\"id.orig_p\":%u", op);
    sb_init(&ab, addr, sizeof(addr));
    sb_ip(&ab, c->resp_addr, c->addr_len);
    json_str(sb, "id.resp_h", addr);
    sb_printf(sb, ",\"id.resp_p\":%u", rp);
    json_str(sb, "proto", conns_proto_name(c->proto));
    const char *svc = service_of(c);
    if (svc)
        json_str(sb, "service", svc);
    sb_puts(sb, ",\"duration\":");
    put_seconds(sb, duration_ns(c));
    sb_printf(sb, ",\"orig_bytes\":%" PRIu64 ",\"resp_bytes\":%" PRIu64, c->orig_bytes,
              c->resp_bytes);
    json_str(sb, "conn_state", c->conn_state);
    sb_printf(sb, ",\"missed_bytes\":%" PRIu64, c->missed_bytes);
    if (c->history[0])
        json_str(sb, "history", c->history);
    sb_printf(sb,
              ",\"orig_pkts\":%" PRIu64 ",\"orig_ip_bytes\":%" PRIu64 ",\"resp_pkts\":%" PRIu64
              ",\"resp_ip_bytes\":%" PRIu64,
              c->orig_pkts, c->orig_ip_bytes, c->resp_pkts, c->resp_ip_bytes);
    char cid[COMMUNITY_ID_SIZE];
    community_id_conn(c, cid);
    json_str(sb, "community_id", cid); /* Zeek's policy/protocols/conn/community-id-logging */
    sb_printf(sb, ",\"pktscope.stream\":%" PRIu32, c->id);
    if (c->vlan_id)
        sb_printf(sb, ",\"pktscope.vlan\":%u", c->vlan_id);
    /* Zeek's id.* keep its originator and responder; pktscope's own keys name the client and
     * the server (the originator and responder where there are none: ICMP other than echo). */
    bool roles = (c->roles & TIR_RULE_MASK) != ROLE_NONE, co = client_is_orig(c);
    if (roles) {
        sb_init(&ab, addr, sizeof(addr));
        put_endpoint(&ab, c, co);
        json_str(sb, "pktscope.client", addr);
        sb_init(&ab, addr, sizeof(addr));
        put_endpoint(&ab, c, !co);
        json_str(sb, "pktscope.server", addr);
        json_str(sb, "pktscope.roles_by", role_rule_name(c->roles));
        sb_printf(sb, ",\"pktscope.roles_guessed\":%s", role_guessed(c->roles) ? "true" : "false");
        json_str(sb, "pktscope.architecture", (c->roles & TIR_BROWSER) ? "B/S" : "C/S");
    }
    const char *ck = roles ? "pktscope.addr_class.client" : "pktscope.addr_class.orig";
    const char *sk = roles ? "pktscope.addr_class.server" : "pktscope.addr_class.resp";
    json_str(sb, ck, addr_class(co ? c->orig_addr : c->resp_addr, c->addr_len));
    json_str(sb, sk, addr_class(co ? c->resp_addr : c->orig_addr, c->addr_len));
    if (c->proto == PS_IPPROTO_TCP) {
        const char *a = tcp_state_name((enum tcp_state)(co ? c->state_orig : c->state_resp));
        const char *b = tcp_state_name((enum tcp_state)(co ? c->state_resp : c->state_orig));
        if (a[0])
            json_str(sb, "pktscope.state.client", a);
        if (b[0])
            json_str(sb, "pktscope.state.server", b);
        sb_printf(sb, ",\"pktscope.retransmissions\":%" PRIu32, c->retransmissions);
    }
    if (c->rtt_nsec >= 0)
        sb_printf(sb, ",\"pktscope.rtt\":%" PRId64 ".%06" PRId64,
                  (int64_t)(c->rtt_nsec / 1000000000), (int64_t)(c->rtt_nsec % 1000000000) / 1000);
    sb_printf(sb, ",\"pktscope.midstream\":%s", c->midstream ? "true" : "false");
    if (name)
        json_str(sb, "pktscope.server_name", name);
    sb_printf(sb, ",\"pktscope.first_frame\":%" PRIu64 ",\"pktscope.last_frame\":%" PRIu64 "}",
              c->first_packet, c->last_packet);
}

/* ---- Zeek TSV ---------------------------------------------------------------------------- */

static void zeek_time(struct strbuf *sb, int64_t sec)
{
    time_t t = (time_t)sec;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        sb_puts(sb, "-");
        return;
    }
    sb_printf(sb, "%04d-%02d-%02d-%02d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
              tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void zeek_row(const struct conn *c, struct strbuf *sb)
{
    char uid[24];
    conns_uid(c, uid, sizeof(uid));
    sb_printf(sb, "%" PRId64 ".%06" PRIu32 "\t%s\t", c->first_sec, c->first_nsec / 1000, uid);
    uint16_t op, rp;
    zeek_ports(c, &op, &rp);
    sb_ip(sb, c->orig_addr, c->addr_len);
    sb_printf(sb, "\t%u\t", op);
    sb_ip(sb, c->resp_addr, c->addr_len);
    sb_printf(sb, "\t%u\t%s\t", rp, conns_proto_name(c->proto));
    const char *svc = service_of(c);
    sb_puts(sb, svc ? svc : "-");
    sb_putc(sb, '\t');
    put_seconds(sb, duration_ns(c));
    sb_printf(sb,
              "\t%" PRIu64 "\t%" PRIu64 "\t%s\t-\t-\t%" PRIu64 "\t%s\t%" PRIu64 "\t%" PRIu64
              "\t%" PRIu64 "\t%" PRIu64 "\t(empty)",
              c->orig_bytes, c->resp_bytes, c->conn_state[0] ? c->conn_state : "-", c->missed_bytes,
              c->history[0] ? c->history : "-", c->orig_pkts, c->orig_ip_bytes, c->resp_pkts,
              c->resp_ip_bytes);
    char cid[COMMUNITY_ID_SIZE];
    community_id_conn(c, cid);
    sb_putc(sb, '\t');
    sb_puts(sb, cid);
}

static void add_plain(struct lines *out, const char *s, size_t n)
{
    lines_begin(out, ATTR_NORMAL);
    lines_add(out, ATTR_NORMAL, s, n);
    lines_end(out);
}

/* The earliest start and the latest end of all connections (0 when there are none). */
static void conns_span(const struct tracker *t, int64_t *first, int64_t *last)
{
    bool any = false;
    size_t p2[4] = {0, 0, 0, 0};
    const struct conn *c;
    *first = *last = 0;
    while ((c = next_conn(t, p2)) != NULL) {
        if (!any || c->first_sec < *first)
            *first = c->first_sec;
        if (!any || c->last_sec > *last)
            *last = c->last_sec;
        any = true;
    }
}

void conns_zeek_header(int64_t first, struct lines *out)
{
    char buf[64];
    struct strbuf sb;
    static const char *const head[] = {
        "#separator \\x09", "#set_separator\t,", "#empty_field\t(empty)",
        "#unset_field\t-",  "#path\tconn",       NULL,
    };
    for (int i = 0; head[i]; i++)
        add_plain(out, head[i], strlen(head[i]));
    sb_init(&sb, buf, sizeof(buf));
    sb_puts(&sb, "#open\t");
    zeek_time(&sb, first);
    add_plain(out, buf, sb.len);
    static const char fields[] =
        "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\t"
        "orig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\t"
        "orig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\tcommunity_id";
    static const char types[] =
        "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\t"
        "string\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\tstring";
    add_plain(out, fields, strlen(fields));
    add_plain(out, types, strlen(types));
}

void conns_zeek_close(int64_t last, struct lines *out)
{
    char buf[64];
    struct strbuf sb;
    sb_init(&sb, buf, sizeof(buf));
    sb_puts(&sb, "#close\t");
    zeek_time(&sb, last);
    add_plain(out, buf, sb.len);
}

/* A json or zeek row. */
static void machine_row(enum conns_format f, const struct conn *c, const char *name,
                        struct strbuf *sb)
{
    if (f == CONNS_JSON)
        json_row(c, name, sb);
    else
        zeek_row(c, sb);
}

void conns_line(enum conns_format f, const struct conn *c, const char *server_name,
                struct lines *out)
{
    char buf[4096]; /* a JSON row with a server name of 255 escaped bytes fits */
    struct strbuf sb;
    if (f == CONNS_TEXT) {
        row_text(c, server_name, out);
        return;
    }
    sb_init(&sb, buf, sizeof(buf));
    machine_row(f, c, server_name, &sb);
    add_plain(out, buf, sb.len);
}

/* One connection's row in format f. */
static void conn_line(const struct tracker *t, enum conns_format f, const struct conn *c,
                      struct lines *out)
{
    conns_line(f, c, tracker_server_name(t, c), out);
}

void conns_render(const struct tracker *t, enum conns_format f, const struct conns_select *sel,
                  struct lines *out)
{
    size_t pos[4] = {0, 0, 0, 0};
    const struct conn *c;
    /* Zeek TSV: the header lines of a Zeek ASCII log. #open/#close use the capture's first
     * and last packet times so that the output does not depend on when it was made. */
    int64_t first = 0, last = 0;
    if (f == CONNS_ZEEK) {
        conns_span(t, &first, &last);
        conns_zeek_header(first, out);
    } else if (f == CONNS_TEXT) {
        conns_header(out);
    }
    while ((c = next_conn(t, pos)) != NULL)
        if (!sel || !sel->keep || sel->keep(sel->ctx, c))
            conn_line(t, f, c, out);
    if (f == CONNS_ZEEK)
        conns_zeek_close(last, out);
}

/* ---- streaming -------------------------------------------------------------------------- */

static void stream_header(struct conns_stream *s, const struct tracker *t, struct lines *out)
{
    if (s->header_done || s->row || s->taken)
        return;
    s->header_done = true;
    if (s->f == CONNS_TEXT) {
        conns_header(out);
    } else if (s->f == CONNS_ZEEK) {
        /* The earliest connection so far starts first: later ones cannot start before it. */
        size_t pos[4] = {0, 0, 0, 0};
        const struct conn *c = next_conn(t, pos);
        conns_zeek_header(c ? c->first_sec : 0, out);
    }
}

/* Rows conns_stream_finish() gathers before it hands them to its flush: the rows of the
 * connections still live at the end may be as many as the flow table holds (100,000). */
#define CONNS_FLUSH_ROWS 1024

void conns_stream_init(struct conns_stream *s, enum conns_format f)
{
    memset(s, 0, sizeof(*s));
    s->f = f;
}

void conns_stream_release(struct conns_stream *s)
{
    for (int i = 0; i < 4; i++)
        bitset_release(&s->printed[i]);
    memset(s, 0, sizeof(*s));
}

static int stream_slot(uint8_t proto)
{
    for (int i = 0; i < 4; i++)
        if (protos[i] == proto)
            return i;
    return -1;
}

static bool stream_printed(const struct conns_stream *s, int slot, uint32_t id)
{
    return bitset_test(&s->printed[slot], id);
}

static void stream_emit(struct conns_stream *s, const struct tracker *t, int slot,
                        const struct conn *c, struct lines *out)
{
    if (!s->sel.keep || s->sel.keep(s->sel.ctx, c)) {
        if (s->taken) {
            s->taken(s->row_ctx, t, c);
        } else if (s->row && s->f != CONNS_TEXT) {
            char buf[4096];
            struct strbuf sb;
            sb_init(&sb, buf, sizeof(buf));
            machine_row(s->f, c, tracker_server_name(t, c), &sb);
            s->row(s->row_ctx, c, buf, sb.len);
        } else {
            stream_header(s, t, out);
            conn_line(t, s->f, c, out);
        }
    }
    bitset_set(&s->printed[slot], c->id);
}

bool conns_stream_printed(const struct conns_stream *s, const struct conn *c)
{
    int slot = stream_slot(c->proto);
    return slot >= 0 && stream_printed(s, slot, c->id);
}

void conns_stream_check(struct conns_stream *s, struct tracker *t, uint8_t proto, uint32_t stream,
                        struct lines *out)
{
    int slot = stream_slot(proto);
    if (slot < 0 || stream_printed(s, slot, stream) || !tracker_conn_closed(t, proto, stream))
        return;
    stream_emit(s, t, slot, tracker_conn(t, proto, stream), out);
}

void conns_stream_emit(struct conns_stream *s, const struct tracker *t, const struct conn *c,
                       struct lines *out)
{
    int slot = stream_slot(c->proto);
    if (slot >= 0 && !stream_printed(s, slot, c->id))
        stream_emit(s, t, slot, c, out);
}

void conns_stream_let_go(struct conns_stream *s, const struct tracker *t, const struct conn *c,
                         struct lines *out)
{
    int slot = stream_slot(c->proto);
    if (slot < 0)
        return;
    if (!stream_printed(s, slot, c->id))
        stream_emit(s, t, slot, c, out);
    bitset_clear(&s->printed[slot], c->id);
}

void conns_stream_finish(struct conns_stream *s, const struct tracker *t, struct lines *out,
                         void (*flush)(void *ctx, struct lines *out), void *flush_ctx)
{
    stream_header(s, t, out);
    size_t pos[4] = {0, 0, 0, 0};
    const struct conn *c;
    while ((c = next_conn(t, pos)) != NULL) {
        int slot = stream_slot(c->proto);
        if (!stream_printed(s, slot, c->id))
            stream_emit(s, t, slot, c, out);
        if (flush && out->n >= CONNS_FLUSH_ROWS)
            flush(flush_ctx, out);
    }
    if (s->f == CONNS_ZEEK && !s->row && !s->taken) {
        int64_t first, last;
        conns_span(t, &first, &last);
        conns_zeek_close(last, out);
    }
}
