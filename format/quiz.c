/*
 * --quiz: a worksheet of questions about the capture, answered from the model (quiz.h says
 * which kinds, how they are chosen and how the answers can be checked against tshark).
 */
#include "format/quiz.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/numbers.h"
#include "dissect/services.h"
#include "track/hosts.h"
#include "util/ptime.h"
#include "util/strbuf.h"
#include "util/util.h"

enum quiz_kind {
    QK_SYN_SEQ = 0,
    QK_SYNACK_ACK,
    QK_SERVER_PORT,
    QK_TRANSPORT,
    QK_CLOSE,
    QK_SUBNET,
    QK_GATEWAY_MAC,
    QK_PING_RTT,
    QK_DNS_A,
    QK_DHCP_LEASE,
    QK_HANDSHAKE_RTT,
    QK_RETRANSMISSION,
    QK__COUNT
};

#define QUIZ_AFTER_FIN 4u /* data segments after a FIN named in a half-close answer */
#define QUIZ_DNS_NAME 80u
#define QUIZ_MAX_ADDRS 4u /* dns.a and dhcp.option.router values kept */

/* A TCP connection whose SYN was captured. Side 0 is the client (who sent the SYN). */
struct q_tcp {
    uint32_t stream;
    uint8_t addr_len;
    uint8_t addr[2][16];
    uint16_t port[2];
    uint64_t syn_frame, synack_frame, hs_ack_frame, first_data_frame;
    uint32_t syn_seq, synack_seq, synack_ack;
    uint64_t fin_frame[2];     /* each side's first FIN */
    uint32_t fin_expect[2];    /* the acknowledgement number that covers it */
    uint64_t fin_ack_frame[2]; /* the other side's first ACK covering it */
    uint32_t fin_ack_val[2];
    int first_fin_side;                 /* -1 none yet */
    uint64_t after_fin[QUIZ_AFTER_FIN]; /* data the other side sent after the first FIN */
    uint32_t after_fin_len[QUIZ_AFTER_FIN];
    uint32_t nafter_fin;
    bool rst;
    bool simopen; /* both sent a SYN: Wireshark's initial_rtt then counts differently */
    int64_t syn_ns, hs_rtt_ns; /* the last SYN's time; from it to the handshake's ACK */
    uint64_t last_syn_frame;   /* the SYN sent last before the SYN-ACK (Wireshark's RTT start) */
    uint64_t last_frame;
    /* the first retransmission: its sender's side, relative seq, the next new seq before it */
    uint64_t retrans_frame;
    int retrans_side;
    uint32_t retrans_rel_seq, retrans_next_seq, retrans_len;
};

struct q_udp {
    uint32_t stream;
    uint8_t addr_len;
    uint8_t addr[2][16]; /* 0: the first datagram's sender */
    uint16_t port[2];
    uint64_t first_frame;
    uint32_t first_len;
    uint64_t datagrams;
};

struct q_echo {
    uint64_t frame, request_frame;
    int64_t rtt_ns; /* from the two frames' timestamps: tshark's precision, not the tracker's us */
    bool v6;
    uint8_t addr_len;
    uint8_t src[16], dst[16];
};

struct q_dns {
    uint64_t frame, query_frame;
    char name[QUIZ_DNS_NAME]; /* already made safe to print */
    uint8_t a[QUIZ_MAX_ADDRS][4];
    uint32_t na;
};

struct q_dhcp {
    uint64_t frame;
    uint8_t type; /* 2 OFFER, 5 ACK */
    uint8_t yiaddr[4], mask[4];
    bool has_mask;
    uint8_t router[QUIZ_MAX_ADDRS][4];
    uint32_t nrouter;
};

/* A distinct IPv4 source/destination pair with the frame that first carried it. */
struct q_pair {
    uint64_t frame;
    uint8_t src[4], dst[4];
    bool has_eth;
    uint8_t eth_src[6], eth_dst[6];
};

#define QUIZ_ECHO_REQUESTS 64u /* recent echo requests whose time a reply is measured from */

struct quiz {
    struct hosts *hosts;
    struct {
        uint64_t frame;
        int64_t ns;
    } echo_req[QUIZ_ECHO_REQUESTS];
    uint32_t echo_req_next;
    struct q_tcp tcp[QUIZ_MAX_CANDIDATES];
    uint32_t ntcp;
    struct q_udp udp[QUIZ_MAX_CANDIDATES];
    uint32_t nudp;
    struct q_echo echo[QUIZ_MAX_CANDIDATES];
    uint32_t necho;
    struct q_dns dns[QUIZ_MAX_CANDIDATES];
    uint32_t ndns;
    struct q_dhcp dhcp[QUIZ_MAX_CANDIDATES];
    uint32_t ndhcp;
    struct q_pair pair[QUIZ_MAX_CANDIDATES];
    uint32_t npair;
};

struct quiz *quiz_new(void)
{
    struct quiz *q = xmalloc(sizeof(*q));
    memset(q, 0, sizeof(*q));
    q->hosts = hosts_new();
    return q;
}

void quiz_free(struct quiz *q)
{
    if (!q)
        return;
    hosts_free(q->hosts);
    free(q);
}

void quiz_add_subnet(struct quiz *q, const char *cidr)
{
    char err[128];
    hosts_add_subnet(q->hosts, cidr, SUBNET_GIVEN, err, sizeof(err)); /* checked by main */
}

/* ---- collecting --------------------------------------------------------------------------- */

static bool seq_ge(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) >= 0;
}

static struct q_tcp *tcp_find(struct quiz *q, uint32_t stream)
{
    for (uint32_t i = 0; i < q->ntcp; i++)
        if (q->tcp[i].stream == stream)
            return &q->tcp[i];
    return NULL;
}

static void add_tcp(struct quiz *q, const struct dissection *d, const struct track_info *ti,
                    uint64_t frame, int64_t now)
{
    const struct dis_summary *s = &d->sum;
    uint16_t fl = s->tcp_flags;
    struct q_tcp *c = tcp_find(q, ti->stream);
    if (!c) {
        /* Only a connection whose SYN is captured: its client and ISN are then known. */
        if ((fl & (TCP_SYN | TCP_ACK)) != TCP_SYN || q->ntcp >= QUIZ_MAX_CANDIDATES)
            return;
        c = &q->tcp[q->ntcp++];
        memset(c, 0, sizeof(*c));
        c->stream = ti->stream;
        c->addr_len = s->addr_len;
        memcpy(c->addr[0], s->src, s->addr_len);
        memcpy(c->addr[1], s->dst, s->addr_len);
        c->port[0] = s->sport;
        c->port[1] = s->dport;
        c->syn_frame = frame;
        c->syn_seq = s->seq;
        c->first_fin_side = -1;
        c->syn_ns = now;
        c->last_syn_frame = frame;
        c->last_frame = frame;
        return;
    }
    c->last_frame = frame;
    int side = memcmp(s->src, c->addr[0], c->addr_len) == 0 && s->sport == c->port[0] ? 0 : 1;
    int other = 1 - side;
    if (side == 0 && (fl & (TCP_SYN | TCP_ACK)) == TCP_SYN && !c->synack_frame) {
        c->syn_ns = now; /* the SYN again: Wireshark measures from the latest */
        c->last_syn_frame = frame;
    }
    if (fl & TCP_RST)
        c->rst = true;
    if (side == 1 && (fl & (TCP_SYN | TCP_ACK)) == TCP_SYN)
        c->simopen = true;
    if (side == 1 && (fl & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK) && !c->synack_frame) {
        c->synack_frame = frame;
        c->synack_seq = s->seq;
        c->synack_ack = s->ack;
        return;
    }
    if (side == 0 && c->synack_frame && !c->hs_ack_frame && (fl & TCP_ACK) && !(fl & TCP_SYN) &&
        s->ack == c->synack_seq + 1) {
        c->hs_ack_frame = frame;
        c->hs_rtt_ns = now - c->syn_ns; /* Wireshark's tcp.analysis.initial_rtt */
    }
    /* Wireshark marks a fast retransmission tcp.analysis.retransmission too. */
    if ((ti->analysis & (TA_RETRANSMISSION | TA_FAST_RETRANSMISSION)) && !c->retrans_frame &&
        s->payload_len > 0) {
        c->retrans_frame = frame;
        c->retrans_side = side;
        c->retrans_rel_seq = ti->rel_seq;
        c->retrans_next_seq = ti->next_seq;
        c->retrans_len = s->payload_len;
    }
    if (s->payload_len > 0 && !c->first_data_frame)
        c->first_data_frame = frame;
    if ((fl & TCP_ACK) && c->fin_frame[other] && !c->fin_ack_frame[other] &&
        seq_ge(s->ack, c->fin_expect[other])) {
        c->fin_ack_frame[other] = frame;
        c->fin_ack_val[other] = s->ack;
    }
    if (c->first_fin_side == other && !c->fin_frame[side] && s->payload_len > 0 &&
        c->nafter_fin < QUIZ_AFTER_FIN) {
        c->after_fin[c->nafter_fin] = frame;
        c->after_fin_len[c->nafter_fin++] = s->payload_len;
    }
    if ((fl & TCP_FIN) && !c->fin_frame[side]) {
        c->fin_frame[side] = frame;
        c->fin_expect[side] = s->seq + s->payload_len + 1; /* the FIN takes one number */
        if (c->first_fin_side < 0)
            c->first_fin_side = side;
    }
}

static void add_udp(struct quiz *q, const struct dissection *d, const struct track_info *ti,
                    uint64_t frame)
{
    const struct dis_summary *s = &d->sum;
    for (uint32_t i = 0; i < q->nudp; i++) {
        if (q->udp[i].stream == ti->stream) {
            q->udp[i].datagrams++;
            return;
        }
    }
    if (q->nudp >= QUIZ_MAX_CANDIDATES || s->is_fragment)
        return;
    struct q_udp *u = &q->udp[q->nudp++];
    memset(u, 0, sizeof(*u));
    u->stream = ti->stream;
    u->addr_len = s->addr_len;
    memcpy(u->addr[0], s->src, s->addr_len);
    memcpy(u->addr[1], s->dst, s->addr_len);
    u->port[0] = s->sport;
    u->port[1] = s->dport;
    u->first_frame = frame;
    u->first_len = s->payload_len;
    u->datagrams = 1;
}

static bool field_ipv4(const struct dissection *d, const struct field *f, uint8_t out[4])
{
    const uint8_t *p = f ? dis_field_bytes(d, f, 4) : NULL;
    if (!p)
        return false;
    memcpy(out, p, 4);
    return true;
}

/* Every occurrence of field id as IPv4 addresses, up to QUIZ_MAX_ADDRS; the count seen. */
static uint32_t field_ipv4_all(const struct dissection *d, enum field_id id, uint8_t out[][4])
{
    uint32_t n = 0, seen = 0;
    for (uint16_t i = 0; i < d->nfields; i++) {
        if (d->fields[i].id != id)
            continue;
        seen++;
        if (n < QUIZ_MAX_ADDRS && field_ipv4(d, &d->fields[i], out[n]))
            n++;
    }
    return seen == n ? n : 0; /* all of them or none: the answer must be tshark's whole list */
}

static void add_dns(struct quiz *q, const struct dissection *d, const struct track_info *ti,
                    uint64_t frame)
{
    if (q->ndns >= QUIZ_MAX_CANDIDATES || !dis_find(d, FID_DNS_A))
        return;
    struct q_dns *r = &q->dns[q->ndns];
    memset(r, 0, sizeof(*r));
    r->na = field_ipv4_all(d, FID_DNS_A, r->a);
    if (!r->na)
        return;
    r->frame = frame;
    if (ti && ti->pair_kind == TI_PAIR_DNS)
        r->query_frame = ti->pair_frame;
    const struct field *nf = dis_find(d, FID_DNS_QRY_NAME);
    size_t len = 0;
    const char *name = nf ? dis_field_text(d, nf, &len) : NULL;
    struct strbuf sb;
    sb_init(&sb, r->name, sizeof(r->name));
    if (name && len)
        sb_put_safe(&sb, (const uint8_t *)name, len);
    else
        sb_puts(&sb, "(no name)");
    for (char *p = r->name; *p; p++)
        if (*p == '`') /* it goes inside a Markdown code span */
            *p = '\'';
    q->ndns++;
}

static void add_dhcp(struct quiz *q, const struct dissection *d, uint64_t frame)
{
    const struct field *type = dis_find(d, FID_DHCP_OPTION_DHCP);
    if (q->ndhcp >= QUIZ_MAX_CANDIDATES || !type || (type->value != 2 && type->value != 5))
        return;
    struct q_dhcp *l = &q->dhcp[q->ndhcp];
    memset(l, 0, sizeof(*l));
    if (!field_ipv4(d, dis_find(d, FID_DHCP_IP_YOUR), l->yiaddr) ||
        (l->yiaddr[0] | l->yiaddr[1] | l->yiaddr[2] | l->yiaddr[3]) == 0)
        return;
    l->has_mask = field_ipv4(d, dis_find(d, FID_DHCP_OPTION_SUBNET_MASK), l->mask);
    l->nrouter = field_ipv4_all(d, FID_DHCP_OPTION_ROUTER, l->router);
    if (!l->has_mask && !l->nrouter)
        return;
    l->frame = frame;
    l->type = (uint8_t)type->value;
    q->ndhcp++;
}

static void add_pair(struct quiz *q, const struct dissection *d, uint64_t frame)
{
    const struct dis_summary *s = &d->sum;
    static const uint8_t zero[4] = {0, 0, 0, 0};
    if (s->addr_len != 4 || memcmp(s->src, zero, 4) == 0 || s->dst[0] >= 224 ||
        memcmp(s->src, s->dst, 4) == 0)
        return;
    for (uint32_t i = 0; i < q->npair; i++) {
        const struct q_pair *p = &q->pair[i];
        if ((memcmp(p->src, s->src, 4) == 0 && memcmp(p->dst, s->dst, 4) == 0) ||
            (memcmp(p->src, s->dst, 4) == 0 && memcmp(p->dst, s->src, 4) == 0))
            return;
    }
    if (q->npair >= QUIZ_MAX_CANDIDATES)
        return;
    struct q_pair *p = &q->pair[q->npair++];
    p->frame = frame;
    memcpy(p->src, s->src, 4);
    memcpy(p->dst, s->dst, 4);
    p->has_eth = s->has_eth;
    memcpy(p->eth_src, s->eth_src, 6);
    memcpy(p->eth_dst, s->eth_dst, 6);
}

void quiz_add(struct quiz *q, const struct dissection *d, const struct track_info *ti,
              int64_t ts_sec, uint32_t ts_nsec, uint64_t frame, bool shown)
{
    if (!q || !d)
        return;
    hosts_packet(q->hosts, d, ts_sec, ts_nsec, frame, shown);
    const struct dis_summary *s = &d->sum;
    int64_t now = ptime_ns(ts_sec, ts_nsec);
    if (s->icmp_is_echo && ((s->l4 == PS_IPPROTO_ICMP && s->icmp_type == 8) ||
                            (s->l4 == PS_IPPROTO_ICMPV6 && s->icmp_type == 128))) {
        uint32_t at = q->echo_req_next++ % QUIZ_ECHO_REQUESTS; /* shown or not: a reply may be */
        q->echo_req[at].frame = frame;
        q->echo_req[at].ns = now;
    }
    if (!shown)
        return;
    add_pair(q, d, frame);
    if (ti && (ti->flags & TI_HAS_STREAM) && ti->proto == PS_IPPROTO_TCP && s->l4 == PS_IPPROTO_TCP)
        add_tcp(q, d, ti, frame, now);
    if (ti && (ti->flags & TI_HAS_STREAM) && ti->proto == PS_IPPROTO_UDP && s->l4 == PS_IPPROTO_UDP)
        add_udp(q, d, ti, frame);
    if (ti && (ti->flags & TI_HAS_RTT) && (ti->flags & TI_HAS_STREAM) &&
        (ti->proto == PS_IPPROTO_ICMP || ti->proto == PS_IPPROTO_ICMPV6) &&
        (s->l4 == PS_IPPROTO_ICMP || s->l4 == PS_IPPROTO_ICMPV6) &&
        q->necho < QUIZ_MAX_CANDIDATES) {
        struct q_echo *e = &q->echo[q->necho++];
        e->frame = frame;
        e->request_frame = ti->pair_kind == TI_PAIR_ECHO ? ti->pair_frame : 0;
        e->rtt_ns = (int64_t)ti->rtt_usec * 1000;
        for (uint32_t k = 0; k < QUIZ_ECHO_REQUESTS && e->request_frame; k++)
            if (q->echo_req[k].frame == e->request_frame)
                e->rtt_ns = now - q->echo_req[k].ns;
        e->v6 = s->l4 == PS_IPPROTO_ICMPV6;
        e->addr_len = s->addr_len;
        memcpy(e->src, s->src, s->addr_len);
        memcpy(e->dst, s->dst, s->addr_len);
    }
    if (s->app_proto == PROTO_DNS)
        add_dns(q, d, ti, frame);
    if (dis_find_layer(d, PROTO_DHCP))
        add_dhcp(q, d, frame);
}

/* ---- choosing ----------------------------------------------------------------------------- */

/* splitmix64: small, and the same sequence on every platform. */
static uint64_t rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* A gateway question: the gateway's row and the pair whose frame went through it. */
struct q_gw {
    const struct host_row *gw;
    const struct q_pair *pair;
};

/* The candidates of every kind, as indexes into the quiz's arrays (or the report's). */
struct q_cands {
    uint32_t idx[QK__COUNT][QUIZ_MAX_CANDIDATES];
    uint32_t n[QK__COUNT];
    const struct hosts_subnet *pair_subnet[QUIZ_MAX_CANDIDATES];
    struct q_gw gw[QUIZ_MAX_CANDIDATES];
};

static void cand_add(struct q_cands *c, enum quiz_kind k, uint32_t i)
{
    if (c->n[k] < QUIZ_MAX_CANDIDATES)
        c->idx[k][c->n[k]++] = i;
}

static const struct hosts_subnet *subnet_v4(const struct hosts_report *r, const uint8_t *a)
{
    const struct hosts_subnet *s = hosts_subnet_of(r, a, 4);
    return s && s->addr_len == 4 ? s : NULL;
}

static void find_candidates(const struct quiz *q, const struct hosts_report *r, struct q_cands *c)
{
    memset(c, 0, sizeof(*c));
    for (uint32_t i = 0; i < q->ntcp; i++) {
        const struct q_tcp *t = &q->tcp[i];
        cand_add(c, QK_SYN_SEQ, i);
        if (t->synack_frame)
            cand_add(c, QK_SYNACK_ACK, i);
        cand_add(c, QK_SERVER_PORT, i);
        cand_add(c, QK_TRANSPORT, i);
        if (t->fin_frame[0] && t->fin_frame[1])
            cand_add(c, QK_CLOSE, i);
        if (t->hs_ack_frame && !t->simopen)
            cand_add(c, QK_HANDSHAKE_RTT, i);
        if (t->retrans_frame)
            cand_add(c, QK_RETRANSMISSION, i);
    }
    for (uint32_t i = 0; i < q->nudp; i++) {
        const struct q_udp *u = &q->udp[i];
        /* UDP has no SYN: the server is the side of a well-known port (hosts.h's rule). */
        if (u->port[0] < 1024 || u->port[1] < 1024)
            cand_add(c, QK_SERVER_PORT, QUIZ_MAX_CANDIDATES + i);
        cand_add(c, QK_TRANSPORT, QUIZ_MAX_CANDIDATES + i);
    }
    for (uint32_t i = 0; i < q->npair; i++) {
        const struct q_pair *p = &q->pair[i];
        const struct hosts_subnet *s = subnet_v4(r, p->src);
        if (!s)
            s = subnet_v4(r, p->dst);
        if (s && s->prefix_len > 0 && s->prefix_len < 32) {
            c->pair_subnet[i] = s;
            cand_add(c, QK_SUBNET, i);
        }
    }
    uint32_t ngw = 0;
    for (size_t g = 0; g < r->nrows && ngw < QUIZ_MAX_CANDIDATES; g++) {
        const struct host_row *row = &r->rows[g];
        if (!row->gateway || !row->has_mac)
            continue;
        for (uint32_t i = 0; i < q->npair && ngw < QUIZ_MAX_CANDIDATES; i++) {
            const struct q_pair *p = &q->pair[i];
            if (!p->has_eth || memcmp(p->eth_dst, row->mac, 6) != 0 || !subnet_v4(r, p->src) ||
                subnet_v4(r, p->dst))
                continue;
            c->gw[ngw] = (struct q_gw){row, p};
            cand_add(c, QK_GATEWAY_MAC, ngw++);
        }
    }
    for (uint32_t i = 0; i < q->necho; i++)
        cand_add(c, QK_PING_RTT, i);
    for (uint32_t i = 0; i < q->ndns; i++)
        cand_add(c, QK_DNS_A, i);
    for (uint32_t i = 0; i < q->ndhcp; i++)
        cand_add(c, QK_DHCP_LEASE, i);
}

/* ---- writing ------------------------------------------------------------------------------ */

#define QBUF 4096

struct q_out {
    FILE *out;
    bool answers;
    char buf[QBUF];
    struct strbuf sb;
};

static void q_flush(struct q_out *o)
{
    fwrite(o->buf, 1, o->sb.len, o->out);
    sb_reset(&o->sb);
}

static void put_ip(struct strbuf *sb, const uint8_t *a, size_t len)
{
    sb_putc(sb, '`');
    sb_ip(sb, a, len);
    sb_putc(sb, '`');
}

const char *quiz_rule_text(enum quiz_rule r)
{
    switch (r) {
    case QUIZ_RULE_SYN_ONE:
        return "a SYN takes up one sequence number";
    case QUIZ_RULE_FIN_ONE:
        return "a FIN takes up one sequence number";
    case QUIZ_RULE_ACK_NEXT:
        return "an acknowledgement names the next byte expected";
    }
    return "";
}

static void put_ep(struct strbuf *sb, const uint8_t *a, size_t len, uint16_t port)
{
    sb_putc(sb, '`');
    if (len == 16)
        sb_putc(sb, '[');
    sb_ip(sb, a, len);
    if (len == 16)
        sb_putc(sb, ']');
    sb_printf(sb, ":%u`", port);
}

static void put_bin(struct strbuf *sb, const uint8_t a[4])
{
    for (int i = 0; i < 4; i++) {
        for (int b = 7; b >= 0; b--)
            sb_putc(sb, (a[i] >> b) & 1 ? '1' : '0');
        if (i < 3)
            sb_putc(sb, '.');
    }
}

static void put_service(struct strbuf *sb, uint16_t port, uint8_t l4)
{
    const char *name = services_name(port, l4);
    if (name)
        sb_printf(sb, "%s", name);
    else
        sb_puts(sb, "no well-known service");
}

static void prefix_mask(uint8_t len, uint8_t m[4])
{
    uint32_t v = len ? 0xffffffffu << (32 - len) : 0;
    m[0] = (uint8_t)(v >> 24), m[1] = (uint8_t)(v >> 16), m[2] = (uint8_t)(v >> 8),
    m[3] = (uint8_t)v;
}

static const char *subnet_from(const struct hosts_subnet *s)
{
    switch (s->source) {
    case SUBNET_GIVEN:
        return "given with --subnet";
    case SUBNET_INTERFACE:
        return "the capturing interface's";
    case SUBNET_DHCP:
        return "handed out by DHCP";
    default:
        return "inferred from the addresses seen in ARP, not stated in the capture";
    }
}

/* The question's heading and text; then, with answers, the proof block and the reasoning. */
static void q_begin(struct q_out *o, unsigned n, const char *title)
{
    sb_printf(&o->sb, "## %u. %s\n\n", n, title);
}

static void q_question_end(struct q_out *o)
{
    sb_puts(&o->sb, "\n\n");
    if (!o->answers)
        sb_puts(&o->sb, "_Your answer:_\n\n");
    q_flush(o);
}

static void ask_syn_seq(struct q_out *o, const struct q_tcp *t)
{
    struct strbuf *sb = &o->sb;
    sb_printf(sb, "Frame %" PRIu64 " is the SYN that opens TCP connection %" PRIu32 " from ",
              t->syn_frame, t->stream);
    put_ep(sb, t->addr[0], t->addr_len, t->port[0]);
    sb_puts(sb, " to ");
    put_ep(sb, t->addr[1], t->addr_len, t->port[1]);
    sb_puts(sb, ". What is its raw sequence number (`tcp.seq_raw`), and what acknowledgement "
                "number will the SYN-ACK carry?");
    q_question_end(o);
    if (!o->answers)
        return;
    sb_printf(sb, "```\nAnswer: %" PRIu32 "\nFrame: %" PRIu64, t->syn_seq, t->syn_frame);
    if (t->synack_frame)
        sb_printf(sb, ", %" PRIu64, t->synack_frame);
    sb_printf(sb, "\nCheck: %" PRIu64 " tcp.seq_raw %" PRIu32 "\n", t->syn_frame, t->syn_seq);
    if (t->synack_frame)
        sb_printf(sb, "Check: %" PRIu64 " tcp.ack_raw %" PRIu32 "\n", t->synack_frame,
                  t->synack_ack);
    sb_printf(sb,
              "```\n\nWhy: the client picks its initial sequence number (ISN) at random, and "
              "the SYN carries it: %" PRIu32 " (Wireshark shows it as the relative sequence "
              "number 0). A%s although it carries no data, so the SYN-ACK acknowledges ISN + "
              "1 = %" PRIu32,
              /* the rule without its article: "A SYN takes up ..." */
              t->syn_seq, quiz_rule_text(QUIZ_RULE_SYN_ONE) + 1, t->syn_seq + 1);
    if (t->synack_frame)
        sb_printf(sb, " (frame %" PRIu64 ": ack %" PRIu32 ")", t->synack_frame, t->synack_ack);
    else
        sb_puts(sb, " (the SYN-ACK was not captured)");
    sb_puts(sb, ".\n\n");
    q_flush(o);
}

static void ask_synack_ack(struct q_out *o, const struct q_tcp *t)
{
    struct strbuf *sb = &o->sb;
    sb_printf(sb,
              "Frame %" PRIu64 " is the SYN-ACK of TCP connection %" PRIu32 ", sent by the "
              "server ",
              t->synack_frame, t->stream);
    put_ep(sb, t->addr[1], t->addr_len, t->port[1]);
    sb_puts(sb, ". What is its raw acknowledgement number (`tcp.ack_raw`), and why that value?");
    q_question_end(o);
    if (!o->answers)
        return;
    sb_printf(sb,
              "```\nAnswer: %" PRIu32 "\nFrame: %" PRIu64 ", %" PRIu64 "\nCheck: %" PRIu64
              " tcp.ack_raw %" PRIu32 "\nCheck: %" PRIu64 " tcp.seq_raw %" PRIu32 "\n```\n\n",
              t->synack_ack, t->synack_frame, t->syn_frame, t->synack_frame, t->synack_ack,
              t->syn_frame, t->syn_seq);
    sb_printf(sb,
              "Why: the client's SYN (frame %" PRIu64 ") carried sequence number %" PRIu32
              ", and %s, so the next number the server expects is %" PRIu32 "; %s",
              t->syn_frame, t->syn_seq, quiz_rule_text(QUIZ_RULE_SYN_ONE), t->syn_seq + 1,
              quiz_rule_text(QUIZ_RULE_ACK_NEXT));
    if (t->synack_ack != t->syn_seq + 1)
        sb_puts(sb, " (this SYN-ACK does not: the handshake went wrong here)");
    sb_printf(
        sb, ". The SYN-ACK's own sequence number %" PRIu32 " is the server's ISN; the client's ACK",
        t->synack_seq);
    if (t->hs_ack_frame)
        sb_printf(sb, " in frame %" PRIu64, t->hs_ack_frame);
    else
        sb_puts(sb, " (not captured)");
    sb_printf(sb, " acknowledges %" PRIu32 ".\n\n", t->synack_seq + 1);
    q_flush(o);
}

static void ask_server_port_tcp(struct q_out *o, const struct q_tcp *t)
{
    struct strbuf *sb = &o->sb;
    sb_printf(sb, "TCP connection %" PRIu32 " (frames from %" PRIu64 ") is between ", t->stream,
              t->syn_frame);
    put_ep(sb, t->addr[0], t->addr_len, t->port[0]);
    sb_puts(sb, " and ");
    put_ep(sb, t->addr[1], t->addr_len, t->port[1]);
    sb_puts(sb, ". Which port is the server's, and which well-known service is it?");
    q_question_end(o);
    if (!o->answers)
        return;
    sb_printf(sb, "```\nAnswer: %u (", t->port[1]);
    put_service(sb, t->port[1], PS_IPPROTO_TCP);
    sb_printf(sb, ")\nFrame: %" PRIu64 "\nCheck: %" PRIu64 " tcp.dstport %u\n```\n\n", t->syn_frame,
              t->syn_frame, t->port[1]);
    sb_printf(sb,
              "Why: the client is the side that sent the SYN (frame %" PRIu64 "), so the "
              "server is the other end and its port is the SYN's destination port, %u: a "
              "server listens on a fixed port (0-1023 are the well-known ones), while the "
              "client's port %u is an ephemeral one its system picked for this connection.\n\n",
              t->syn_frame, t->port[1], t->port[0]);
    q_flush(o);
}

static void ask_server_port_udp(struct q_out *o, const struct q_udp *u)
{
    struct strbuf *sb = &o->sb;
    int srv = u->port[1] < 1024 && (u->port[0] >= 1024 || u->port[1] <= u->port[0]) ? 1 : 0;
    sb_printf(sb, "UDP flow %" PRIu32 " (from frame %" PRIu64 ") is between ", u->stream,
              u->first_frame);
    put_ep(sb, u->addr[0], u->addr_len, u->port[0]);
    sb_puts(sb, " and ");
    put_ep(sb, u->addr[1], u->addr_len, u->port[1]);
    sb_puts(sb, ". Which port is the server's, and which well-known service is it?");
    q_question_end(o);
    if (!o->answers)
        return;
    sb_printf(sb, "```\nAnswer: %u (", u->port[srv]);
    put_service(sb, u->port[srv], PS_IPPROTO_UDP);
    sb_printf(sb, ")\nFrame: %" PRIu64 "\nCheck: %" PRIu64 " udp.%s %u\n```\n\n", u->first_frame,
              u->first_frame, srv ? "dstport" : "srcport", u->port[srv]);
    sb_printf(sb,
              "Why: UDP has no SYN to tell who started, so the server is the side of the "
              "well-known port (below 1024), %u; the other port, %u, is the client's.\n\n",
              u->port[srv], u->port[1 - srv]);
    q_flush(o);
}

/* The question the two transport kinds ask about a flow's frame f, and (with the answers) the
 * answer block's first lines: the transport, the frame, and the checks that prove it (its stream
 * field, and over IPv4 ip.proto; ipv6.nxt would name an extension header first). False when
 * only the question is wanted. */
static bool ask_transport_begin(struct q_out *o, uint64_t f, const uint8_t addr[2][16],
                                uint8_t addr_len, const uint16_t port[2], const char *answer,
                                const char *stream_field, uint32_t stream, unsigned ip_proto)
{
    struct strbuf *sb = &o->sb;
    sb_printf(sb, "Frame %" PRIu64 " goes from ", f);
    put_ep(sb, addr[0], addr_len, port[0]);
    sb_puts(sb, " to ");
    put_ep(sb, addr[1], addr_len, port[1]);
    sb_puts(sb, ". Is its flow TCP or UDP, and what does that mean for how it starts and for "
                "lost data?");
    q_question_end(o);
    if (!o->answers)
        return false;
    sb_printf(sb, "```\nAnswer: %s\nFrame: %" PRIu64 "\nCheck: %" PRIu64 " %s %" PRIu32 "\n",
              answer, f, f, stream_field, stream);
    if (addr_len == 4)
        sb_printf(sb, "Check: %" PRIu64 " ip.proto %u\n", f, ip_proto);
    return true;
}

static void ask_transport_tcp(struct q_out *o, const struct q_tcp *t)
{
    struct strbuf *sb = &o->sb;
    uint64_t f = t->syn_frame;
    if (!ask_transport_begin(o, f, t->addr, t->addr_len, t->port, "TCP", "tcp.stream", t->stream,
                             6))
        return;
    sb_printf(sb,
              "```\n\nWhy: the IP header's %s is 6, TCP. TCP is connection-oriented: "
              "the three-way handshake (SYN frame %" PRIu64,
              t->addr_len == 16 ? "last next header (after any extension headers)"
                                : "protocol number",
              f);
    if (t->synack_frame)
        sb_printf(sb, ", SYN-ACK frame %" PRIu64, t->synack_frame);
    if (t->hs_ack_frame)
        sb_printf(sb, ", ACK frame %" PRIu64, t->hs_ack_frame);
    sb_puts(sb, ") sets the connection up before any data, every byte is acknowledged and sent "
                "again if it is lost, and a FIN exchange closes it.\n\n");
    q_flush(o);
}

static void ask_transport_udp(struct q_out *o, const struct q_udp *u)
{
    struct strbuf *sb = &o->sb;
    uint64_t f = u->first_frame;
    if (!ask_transport_begin(o, f, u->addr, u->addr_len, u->port, "UDP", "udp.stream", u->stream,
                             17))
        return;
    sb_printf(sb,
              "```\n\nWhy: the IP header's %s is 17, UDP. UDP is connectionless: no "
              "handshake, so the very first datagram (frame %" PRIu64 ", %" PRIu32
              " bytes of payload) already carries data, and no acknowledgement: each of the "
              "flow's %" PRIu64 " datagram%s stands alone, and the application must cope with "
              "loss.\n\n",
              u->addr_len == 16 ? "last next header (after any extension headers)"
                                : "protocol number",
              f, u->first_len, u->datagrams, u->datagrams == 1 ? "" : "s");
    q_flush(o);
}

static void ask_close(struct q_out *o, const struct q_tcp *t)
{
    struct strbuf *sb = &o->sb;
    int a = t->first_fin_side < 0 ? 0 : t->first_fin_side, b = 1 - a;
    static const char *const who[2] = {"client", "server"};
    sb_printf(sb, "TCP connection %" PRIu32 " between ", t->stream);
    put_ep(sb, t->addr[0], t->addr_len, t->port[0]);
    sb_puts(sb, " (client) and ");
    put_ep(sb, t->addr[1], t->addr_len, t->port[1]);
    sb_puts(sb, " (server) is closed. Which frames make its close (FIN and ACK each way), and "
                "is it a half-close?");
    q_question_end(o);
    if (!o->answers)
        return;
    uint64_t fr[4] = {t->fin_frame[a], t->fin_ack_frame[a], t->fin_frame[b], t->fin_ack_frame[b]};
    sb_puts(sb, "```\nAnswer: ");
    for (int i = 0; i < 4; i++) {
        if (i)
            sb_puts(sb, ", ");
        if (fr[i])
            sb_u64(sb, fr[i]);
        else
            sb_puts(sb, "-");
    }
    sb_puts(sb, t->nafter_fin ? " (half-close)\n" : "\n");
    sb_puts(sb, "Frame: ");
    bool first = true;
    for (int i = 0; i < 4; i++) {
        bool dup = false;
        for (int j = 0; j < i; j++)
            dup = dup || fr[j] == fr[i];
        if (!fr[i] || dup)
            continue;
        sb_printf(sb, "%s%" PRIu64, first ? "" : ", ", fr[i]);
        first = false;
    }
    sb_puts(sb, "\n");
    int side[2] = {a, b};
    for (int k = 0; k < 2; k++) {
        int s = side[k];
        sb_printf(sb, "Check: %" PRIu64 " tcp.flags.fin 1\n", t->fin_frame[s]);
        if (t->fin_ack_frame[s])
            sb_printf(sb, "Check: %" PRIu64 " tcp.ack_raw %" PRIu32 "\n", t->fin_ack_frame[s],
                      t->fin_ack_val[s]);
    }
    for (uint32_t i = 0; i < t->nafter_fin; i++)
        sb_printf(sb, "Check: %" PRIu64 " tcp.len %" PRIu32 "\n", t->after_fin[i],
                  t->after_fin_len[i]);
    sb_puts(sb, "```\n\n");
    sb_printf(sb,
              "Why: the %s closes first with a FIN (frame %" PRIu64 "); the %s acknowledges "
              "it (",
              who[a], t->fin_frame[a], who[b]);
    if (t->fin_ack_frame[a])
        sb_printf(sb, "frame %" PRIu64 ", ack %" PRIu32 ": the number after the FIN's, since %s",
                  t->fin_ack_frame[a], t->fin_ack_val[a], quiz_rule_text(QUIZ_RULE_FIN_ONE));
    else
        sb_puts(sb, "not captured");
    sb_printf(sb, "), then sends its own FIN (frame %" PRIu64 "), which the %s acknowledges (",
              t->fin_frame[b], who[a]);
    if (t->fin_ack_frame[b])
        sb_printf(sb, "frame %" PRIu64 ")", t->fin_ack_frame[b]);
    else
        sb_puts(sb, "not captured)");
    sb_puts(sb, ": four steps, two FIN/ACK pairs, because each direction closes on its own.");
    if (t->fin_ack_frame[a] == t->fin_frame[b])
        sb_printf(sb,
                  " Here the %s's FIN carries the ACK of the %s's, so the four steps take "
                  "three packets.",
                  who[b], who[a]);
    if (t->nafter_fin) {
        sb_printf(sb, " It is a half-close: after the %s's FIN the %s still sent data (frame",
                  who[a], who[b]);
        for (uint32_t i = 0; i < t->nafter_fin; i++)
            sb_printf(sb, "%s %" PRIu64, i ? "," : (t->nafter_fin > 1 ? "s" : ""), t->after_fin[i]);
        sb_printf(sb,
                  "%s); a FIN only says \"I will send no more\", the other direction stays "
                  "open until its own FIN.",
                  t->nafter_fin >= QUIZ_AFTER_FIN ? ", ..." : "");
    } else {
        sb_puts(sb, " It is not a half-close: no data followed the first FIN.");
    }
    sb_puts(sb, "\n\n");
    q_flush(o);
}

static void ask_subnet(struct q_out *o, const struct q_pair *p, const struct hosts_subnet *s)
{
    struct strbuf *sb = &o->sb;
    uint8_t m[4], an[4], bn[4];
    prefix_mask(s->prefix_len, m);
    for (int i = 0; i < 4; i++)
        an[i] = p->src[i] & m[i], bn[i] = p->dst[i] & m[i];
    bool same = memcmp(an, bn, 4) == 0;
    sb_puts(sb, "Frame ");
    sb_u64(sb, p->frame);
    sb_puts(sb, " goes from ");
    put_ip(sb, p->src, 4);
    sb_puts(sb, " to ");
    put_ip(sb, p->dst, 4);
    sb_puts(sb, ". The local subnet's mask is ");
    put_ip(sb, m, 4);
    sb_printf(sb, " (/%u, %s", s->prefix_len, subnet_from(s));
    if (s->source == SUBNET_DHCP && s->frame)
        sb_printf(sb, " in frame %" PRIu64, s->frame);
    sb_puts(sb, "). Are the two addresses on the same subnet? Work it out in binary.");
    q_question_end(o);
    if (!o->answers)
        return;
    sb_printf(sb, "```\nAnswer: %s\nFrame: %" PRIu64, same ? "same subnet" : "different subnets",
              p->frame);
    if (s->source == SUBNET_DHCP && s->frame)
        sb_printf(sb, ", %" PRIu64, s->frame);
    sb_printf(sb, "\nCheck: %" PRIu64 " ip.src ", p->frame);
    sb_ipv4(sb, p->src);
    sb_printf(sb, "\nCheck: %" PRIu64 " ip.dst ", p->frame);
    sb_ipv4(sb, p->dst);
    if (s->source == SUBNET_DHCP && s->frame) {
        sb_printf(sb, "\nCheck: %" PRIu64 " dhcp.option.subnet_mask ", s->frame);
        sb_ipv4(sb, m);
    }
    sb_puts(sb, "\nSubnet: ");
    sb_ipv4(sb, p->src);
    sb_putc(sb, ' ');
    sb_ipv4(sb, p->dst);
    sb_putc(sb, ' ');
    sb_ipv4(sb, m);
    sb_printf(sb,
              " %s\n```\n\nWhy: AND each address with the mask, bit by bit; the addresses "
              "are on the same subnet when the results (the network addresses) are equal.\n\n",
              same ? "same" : "different");
    sb_puts(sb, "```\n");
    const uint8_t *rows[5] = {p->src, m, an, p->dst, bn};
    static const char *const names[5] = {"source     ", "mask       ", "source AND ", "destination",
                                         "dest.  AND "};
    for (int i = 0; i < 5; i++) {
        sb_printf(sb, "%s  ", names[i]);
        put_bin(sb, rows[i]);
        sb_puts(sb, "  ");
        sb_ipv4(sb, rows[i]);
        sb_putc(sb, '\n');
        if (i == 2)
            sb_putc(sb, '\n');
    }
    sb_puts(sb, "```\n\n");
    sb_ipv4(sb, an);
    sb_puts(sb, same ? " = " : " differs from ");
    sb_ipv4(sb, bn);
    sb_puts(sb, same ? ": same subnet, so the frame is delivered directly to the destination's "
                       "own MAC (found by ARP).\n\n"
                     : ": different subnets, so the frame goes to the gateway (a router) "
                       "instead of straight to the destination.\n\n");
    q_flush(o);
}

static void ask_gateway(struct q_out *o, const struct q_gw *g, const struct hosts_report *r)
{
    struct strbuf *sb = &o->sb;
    const struct q_pair *p = g->pair;
    const struct host_row *gw = g->gw;
    const struct hosts_subnet *local = subnet_v4(r, p->src);
    sb_puts(sb, "Host ");
    put_ip(sb, p->src, 4);
    sb_puts(sb, " sends a packet to ");
    put_ip(sb, p->dst, 4);
    sb_printf(sb,
              " in frame %" PRIu64 ". Which destination MAC address does that frame carry, "
              "and whose MAC is it?",
              p->frame);
    q_question_end(o);
    if (!o->answers)
        return;
    bool named = gw->gw_addr.len == 4;
    sb_puts(sb, "```\nAnswer: ");
    sb_mac(sb, gw->mac);
    if (named) {
        sb_puts(sb, " (the gateway ");
        sb_ipv4(sb, gw->gw_addr.a);
        sb_puts(sb, ")");
    } else {
        sb_puts(sb, " (the gateway)");
    }
    sb_printf(sb, "\nFrame: %" PRIu64, p->frame);
    if (gw->arp_taught && gw->arp_frame)
        sb_printf(sb, ", %" PRIu64, gw->arp_frame);
    sb_printf(sb, "\nCheck: %" PRIu64 " eth.dst ", p->frame);
    sb_mac(sb, gw->mac);
    sb_printf(sb, "\nCheck: %" PRIu64 " ip.dst ", p->frame);
    sb_ipv4(sb, p->dst);
    if (gw->arp_taught && gw->arp_frame) {
        sb_printf(sb, "\nCheck: %" PRIu64 " arp.src.hw_mac ", gw->arp_frame);
        sb_mac(sb, gw->mac);
        if (named) {
            sb_printf(sb, "\nCheck: %" PRIu64 " arp.src.proto_ipv4 ", gw->arp_frame);
            sb_ipv4(sb, gw->gw_addr.a);
        }
    }
    sb_puts(sb, "\n```\n\nWhy: ");
    put_ip(sb, p->dst, 4);
    if (local) {
        sb_puts(sb, " is outside the local subnet ");
        sb_putc(sb, '`');
        sb_ip(sb, local->addr, 4);
        sb_printf(sb, "/%u`", local->prefix_len);
    } else {
        sb_puts(sb, " is not on the local link");
    }
    sb_puts(sb, ", so the sender does not ask ARP for that address: it hands the frame to its "
                "default gateway, the router");
    if (named) {
        sb_putc(sb, ' ');
        put_ip(sb, gw->gw_addr.a, 4);
    }
    if (gw->arp_taught && gw->arp_frame)
        sb_printf(sb, ", whose MAC it learned by ARP (frame %" PRIu64 ")", gw->arp_frame);
    else if (gw->dhcp_router_frame)
        sb_printf(sb, " (named by DHCP in frame %" PRIu64 ")", gw->dhcp_router_frame);
    sb_puts(sb, ". The IP destination stays the remote host end to end; the MAC destination is "
                "only the next hop on this LAN.\n\n");
    q_flush(o);
}

static void ask_ping(struct q_out *o, const struct q_echo *e)
{
    struct strbuf *sb = &o->sb;
    sb_printf(sb, "Frame %" PRIu64 " is an ICMP%s echo reply from ", e->frame, e->v6 ? "v6" : "");
    put_ip(sb, e->src, e->addr_len);
    sb_puts(sb, " to ");
    put_ip(sb, e->dst, e->addr_len);
    sb_puts(sb, ". How long did the round trip of this ping take, in milliseconds?");
    q_question_end(o);
    if (!o->answers)
        return;
    char ms[32];
    /* milliseconds to the nanosecond, trailing zeros past the microseconds dropped */
    int64_t ns = e->rtt_ns < 0 ? 0 : e->rtt_ns;
    int len = snprintf(ms, sizeof(ms), "%" PRId64 ".%06" PRId64, ns / 1000000, ns % 1000000);
    while (len > 0 && (size_t)len < sizeof(ms) && ms[len - 1] == '0' &&
           strchr(ms, '.') + 4 < ms + len)
        ms[--len] = '\0';
    sb_printf(sb, "```\nAnswer: %s ms\nFrame: %" PRIu64, ms, e->frame);
    if (e->request_frame)
        sb_printf(sb, ", %" PRIu64, e->request_frame);
    sb_printf(sb, "\nCheck: %" PRIu64 " %s %s\n```\n\n", e->frame,
              e->v6 ? "icmpv6.resptime" : "icmp.resptime", ms);
    sb_puts(sb, "Why: the reply answers the echo request ");
    if (e->request_frame)
        sb_printf(sb, "in frame %" PRIu64 " ", e->request_frame);
    sb_printf(sb,
              "with the same identifier and sequence number; the round trip is the time "
              "between the two as captured here, %s ms (Wireshark's %s).\n\n",
              ms, e->v6 ? "icmpv6.resptime" : "icmp.resptime");
    q_flush(o);
}

static void ask_dns(struct q_out *o, const struct q_dns *r)
{
    struct strbuf *sb = &o->sb;
    sb_printf(sb, "Frame %" PRIu64 " is a DNS response", r->frame);
    if (r->query_frame)
        sb_printf(sb, " to the query in frame %" PRIu64, r->query_frame);
    sb_printf(sb, " for `%s`. Which IPv4 address%s does it give (its A record%s)?", r->name,
              r->na > 1 ? "es" : "", r->na > 1 ? "s" : "");
    q_question_end(o);
    if (!o->answers)
        return;
    char list[QUIZ_MAX_ADDRS * 16 + 8];
    struct strbuf lb;
    sb_init(&lb, list, sizeof(list));
    for (uint32_t i = 0; i < r->na; i++) {
        if (i)
            sb_putc(&lb, ',');
        sb_ipv4(&lb, r->a[i]);
    }
    sb_printf(sb, "```\nAnswer: %s\nFrame: %" PRIu64, list, r->frame);
    if (r->query_frame)
        sb_printf(sb, ", %" PRIu64, r->query_frame);
    sb_printf(sb, "\nCheck: %" PRIu64 " dns.a %s\n```\n\n", r->frame, list);
    sb_printf(sb,
              "Why: an A record maps a name to an IPv4 address; the response's answer "
              "section holds %s for `%s`, which the client can now connect to.\n\n",
              list, r->name);
    q_flush(o);
}

static void ask_dhcp(struct q_out *o, const struct q_dhcp *l)
{
    struct strbuf *sb = &o->sb;
    const char *type = l->type == 5 ? "ACK" : "OFFER";
    sb_printf(sb,
              "Frame %" PRIu64 " is a DHCP %s. Which address does the server hand out, "
              "with which subnet mask and which router (default gateway)?",
              l->frame, type);
    q_question_end(o);
    if (!o->answers)
        return;
    sb_puts(sb, "```\nAnswer: ");
    sb_ipv4(sb, l->yiaddr);
    if (l->has_mask) {
        sb_puts(sb, " mask ");
        sb_ipv4(sb, l->mask);
    }
    char routers[QUIZ_MAX_ADDRS * 16 + 8];
    struct strbuf rb;
    sb_init(&rb, routers, sizeof(routers));
    for (uint32_t i = 0; i < l->nrouter; i++) {
        if (i)
            sb_putc(&rb, ',');
        sb_ipv4(&rb, l->router[i]);
    }
    if (l->nrouter)
        sb_printf(sb, " router %s", routers);
    sb_printf(sb, "\nFrame: %" PRIu64 "\nCheck: %" PRIu64 " dhcp.ip.your ", l->frame, l->frame);
    sb_ipv4(sb, l->yiaddr);
    if (l->has_mask) {
        sb_printf(sb, "\nCheck: %" PRIu64 " dhcp.option.subnet_mask ", l->frame);
        sb_ipv4(sb, l->mask);
    }
    if (l->nrouter)
        sb_printf(sb, "\nCheck: %" PRIu64 " dhcp.option.router %s", l->frame, routers);
    sb_puts(sb, "\n```\n\nWhy: the address handed out is the \"your IP address\" field "
                "(yiaddr) of the server's reply");
    if (l->has_mask) {
        uint8_t net[4];
        for (int i = 0; i < 4; i++)
            net[i] = l->yiaddr[i] & l->mask[i];
        sb_puts(sb, "; option 1, the subnet mask, tells the client which addresses share its "
                    "link (");
        sb_ipv4(sb, l->yiaddr);
        sb_puts(sb, " AND ");
        sb_ipv4(sb, l->mask);
        sb_puts(sb, " = ");
        sb_ipv4(sb, net);
        sb_puts(sb, ")");
    }
    if (l->nrouter)
        sb_printf(sb,
                  "; option 3, the router, is where it sends packets for every other "
                  "network: %s",
                  routers);
    sb_printf(sb, ".%s\n\n",
              l->type == 5 ? "" : " An OFFER only proposes them; the ACK confirms the lease.");
    q_flush(o);
}

static void ask_handshake_rtt(struct q_out *o, const struct q_tcp *t)
{
    struct strbuf *sb = &o->sb;
    sb_printf(sb,
              "TCP connection %" PRIu32 " opens with the SYN in frame %" PRIu64
              ", the SYN-ACK in frame %" PRIu64 " and the ACK in frame %" PRIu64
              ". How long did the handshake's round trip take (`tcp.analysis.initial_rtt`)?",
              t->stream, t->last_syn_frame, t->synack_frame, t->hs_ack_frame);
    q_question_end(o);
    if (!o->answers)
        return;
    int64_t ns = t->hs_rtt_ns < 0 ? 0 : t->hs_rtt_ns;
    char secs[40];
    snprintf(secs, sizeof(secs), "%" PRId64 ".%09" PRId64, ns / 1000000000, ns % 1000000000);
    sb_printf(sb,
              "```\nAnswer: %s s\nFrame: %" PRIu64 ", %" PRIu64 "\nCheck: %" PRIu64
              " tcp.analysis.initial_rtt %s\n```\n\n",
              secs, t->hs_ack_frame, t->last_syn_frame, t->hs_ack_frame, secs);
    sb_printf(sb,
              "Why: the client's handshake takes one full round trip: from its SYN (frame %" PRIu64
              ") to its ACK of the SYN-ACK (frame %" PRIu64
              "), the time Wireshark calls the initial RTT, %s s. Where the capture was taken "
              "matters: seen at the client, it is the network's round trip plus the server's "
              "time to answer.\n\n",
              t->last_syn_frame, t->hs_ack_frame, secs);
    q_flush(o);
}

static void ask_retransmission(struct q_out *o, const struct q_tcp *t)
{
    struct strbuf *sb = &o->sb;
    static const char *const who[2] = {"client", "server"};
    sb_printf(sb, "TCP connection %" PRIu32 " (frames %" PRIu64 " to %" PRIu64 ") between ",
              t->stream, t->syn_frame, t->last_frame);
    put_ep(sb, t->addr[0], t->addr_len, t->port[0]);
    sb_puts(sb, " and ");
    put_ep(sb, t->addr[1], t->addr_len, t->port[1]);
    sb_puts(sb, " lost data on the way. Which frame is its first retransmission, and how can you "
                "tell?");
    q_question_end(o);
    if (!o->answers)
        return;
    sb_printf(sb,
              "```\nAnswer: %" PRIu64 "\nFrame: %" PRIu64 "\nCheck: %" PRIu64
              " tcp.analysis.retransmission 1\nCheck: %" PRIu64 " tcp.seq %" PRIu32 "\n```\n\n",
              t->retrans_frame, t->retrans_frame, t->retrans_frame, t->retrans_frame,
              t->retrans_rel_seq);
    sb_printf(sb,
              "Why: the %s had already sent up to relative sequence number %" PRIu32
              ", yet frame %" PRIu64 " carries %" PRIu32 " bytes from %" PRIu32
              ": bytes sent before, sent again because they (or their acknowledgement) were "
              "lost. TCP resends on a timeout, or at once after three duplicate ACKs (a fast "
              "retransmission); UDP would not resend at all.\n\n",
              who[t->retrans_side], t->retrans_next_seq, t->retrans_frame, t->retrans_len,
              t->retrans_rel_seq);
    q_flush(o);
}

static const char *const kind_titles[QK__COUNT] = {
    [QK_SYN_SEQ] = "The SYN's sequence number",
    [QK_SYNACK_ACK] = "The SYN-ACK's acknowledgement number",
    [QK_SERVER_PORT] = "The server's port",
    [QK_TRANSPORT] = "TCP or UDP?",
    [QK_CLOSE] = "Closing a connection",
    [QK_SUBNET] = "Same subnet?",
    [QK_GATEWAY_MAC] = "Reaching a remote address",
    [QK_PING_RTT] = "A ping's round trip",
    [QK_DNS_A] = "A DNS answer",
    [QK_DHCP_LEASE] = "A DHCP lease",
    [QK_HANDSHAKE_RTT] = "The handshake's round trip",
    [QK_RETRANSMISSION] = "A retransmission",
};

static void ask(struct q_out *o, const struct quiz *q, const struct q_cands *c,
                const struct hosts_report *r, enum quiz_kind k, uint32_t i, unsigned n)
{
    q_begin(o, n, kind_titles[k]);
    switch (k) {
    case QK_SYN_SEQ:
        ask_syn_seq(o, &q->tcp[i]);
        break;
    case QK_SYNACK_ACK:
        ask_synack_ack(o, &q->tcp[i]);
        break;
    case QK_SERVER_PORT:
        if (i < QUIZ_MAX_CANDIDATES)
            ask_server_port_tcp(o, &q->tcp[i]);
        else
            ask_server_port_udp(o, &q->udp[i - QUIZ_MAX_CANDIDATES]);
        break;
    case QK_TRANSPORT:
        if (i < QUIZ_MAX_CANDIDATES)
            ask_transport_tcp(o, &q->tcp[i]);
        else
            ask_transport_udp(o, &q->udp[i - QUIZ_MAX_CANDIDATES]);
        break;
    case QK_CLOSE:
        ask_close(o, &q->tcp[i]);
        break;
    case QK_SUBNET:
        ask_subnet(o, &q->pair[i], c->pair_subnet[i]);
        break;
    case QK_GATEWAY_MAC:
        ask_gateway(o, &c->gw[i], r);
        break;
    case QK_PING_RTT:
        ask_ping(o, &q->echo[i]);
        break;
    case QK_DNS_A:
        ask_dns(o, &q->dns[i]);
        break;
    case QK_HANDSHAKE_RTT:
        ask_handshake_rtt(o, &q->tcp[i]);
        break;
    case QK_RETRANSMISSION:
        ask_retransmission(o, &q->tcp[i]);
        break;
    default:
        ask_dhcp(o, &q->dhcp[i]);
        break;
    }
}

unsigned quiz_print(struct quiz *q, FILE *out, const char *title, unsigned count, uint64_t seed,
                    bool answers)
{
    struct hosts_report r;
    hosts_report(q->hosts, &r);
    struct q_cands *c = xmalloc(sizeof(*c));
    find_candidates(q, &r, c);

    /* The kinds in an order of the seed's, then one unused question of each per round. */
    uint64_t rng = seed;
    unsigned order[QK__COUNT];
    for (unsigned k = 0; k < QK__COUNT; k++)
        order[k] = k;
    for (unsigned k = QK__COUNT - 1; k > 0; k--) {
        unsigned j = (unsigned)(rng_next(&rng) % (k + 1));
        unsigned t = order[k];
        order[k] = order[j];
        order[j] = t;
    }
    bool used[QK__COUNT][QUIZ_MAX_CANDIDATES];
    memset(used, 0, sizeof(used));
    uint32_t left[QK__COUNT];
    memcpy(left, c->n, sizeof(left));
    struct {
        uint8_t kind;
        uint32_t i;
    } picked[QUIZ_MAX_COUNT];
    unsigned npicked = 0;
    if (count > QUIZ_MAX_COUNT)
        count = QUIZ_MAX_COUNT;
    bool progress = true;
    while (npicked < count && progress) {
        progress = false;
        for (unsigned oi = 0; oi < QK__COUNT && npicked < count; oi++) {
            unsigned k = order[oi];
            if (!left[k])
                continue;
            uint32_t nth = (uint32_t)(rng_next(&rng) % left[k]);
            for (uint32_t j = 0; j < c->n[k]; j++) {
                if (used[k][j])
                    continue;
                if (nth-- == 0) {
                    used[k][j] = true;
                    left[k]--;
                    picked[npicked].kind = (uint8_t)k;
                    picked[npicked++].i = c->idx[k][j];
                    progress = true;
                    break;
                }
            }
        }
    }

    struct q_out *o = xmalloc(sizeof(*o));
    o->out = out;
    o->answers = answers;
    sb_init(&o->sb, o->buf, sizeof(o->buf));
    sb_puts(&o->sb, answers ? "# Answers: " : "# Worksheet: ");
    sb_putc(&o->sb, '`');
    size_t tlen = strlen(title);
    struct strbuf *sb = &o->sb;
    size_t at = sb->len;
    sb_put_safe(sb, (const uint8_t *)title, tlen > 200 ? 200 : tlen);
    for (size_t i = at; i < sb->len; i++)
        if (sb->buf[i] == '`')
            sb->buf[i] = '\'';
    sb_printf(sb,
              "`\n\n%u question%s about this capture (seed %" PRIu64 "; the same capture and "
              "seed give the same questions).",
              npicked, npicked == 1 ? "" : "s", seed);
    if (npicked < count)
        sb_printf(sb, " The capture has material for %u, fewer than the %u asked.", npicked, count);
    sb_puts(sb, answers ? " Each answer is followed by the frames that prove it and the reasoning."
                        : " Open the capture in pktscope (or Wireshark) to find the answers.");
    sb_puts(sb, "\n\n");
    q_flush(o);
    for (unsigned i = 0; i < npicked; i++)
        ask(o, q, c, &r, picked[i].kind, picked[i].i, i + 1);
    free(o);
    free(c);
    hosts_report_release(&r);
    return npicked;
}
