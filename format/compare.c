/*
 * --compare: one TCP connection and one UDP flow, counted from the capture (compare.h says
 * how each packet is counted).
 */
#include "format/compare.h"

#include <inttypes.h>
#include <string.h>

#include "dissect/numbers.h"
#include "util/ptime.h"

void compare_init(struct compare *c, uint32_t tcp_stream, uint32_t udp_stream)
{
    memset(c, 0, sizeof(*c));
    c->side[0].proto = PS_IPPROTO_TCP;
    c->side[0].stream = tcp_stream;
    c->side[1].proto = PS_IPPROTO_UDP;
    c->side[1].stream = udp_stream;
}

static enum compare_kind tcp_kind(const struct dissection *d, const struct track_info *ti)
{
    uint16_t fl = d->sum.tcp_flags;
    bool payload = d->sum.payload_len > 0;
    switch (ti->phase) {
    case PHASE_HANDSHAKE:
        return CMP_SETUP;
    case PHASE_TEARDOWN:
    case PHASE_RESET:
        if (!payload || (fl & (TCP_FIN | TCP_RST)))
            return CMP_TEARDOWN;
        return CMP_DATA; /* data still flowing one way after a FIN (half-closed) */
    default:
        if (fl & (TCP_FIN | TCP_RST))
            return CMP_TEARDOWN;
        return payload ? CMP_DATA : CMP_ACK;
    }
}

void compare_add(struct compare *c, const struct dissection *d, const struct track_info *ti,
                 int64_t ts_sec, uint32_t ts_nsec, uint64_t frame, uint32_t frame_len)
{
    if (!c || !d || !ti || !(ti->flags & TI_HAS_STREAM))
        return;
    struct compare_side *s = ti->proto == PS_IPPROTO_TCP   ? &c->side[0]
                             : ti->proto == PS_IPPROTO_UDP ? &c->side[1]
                                                           : NULL;
    if (!s || ti->stream != s->stream)
        return;
    const struct dis_summary *sum = &d->sum;
    int64_t now = ptime_ns(ts_sec, ts_nsec);
    bool from_client = track_from_client(ti) || (ti->roles & TIR_RULE_MASK) == ROLE_NONE;
    s->roles = ti->roles;
    if (!s->seen) {
        s->seen = true;
        s->first_frame = frame;
        s->first_ns = now;
    }
    /* The ends as the latest packet knows them (a UDP guess may become a DNS query). */
    s->addr_len = sum->addr_len <= 16 ? sum->addr_len : 16;
    memcpy(s->client_addr, from_client ? sum->src : sum->dst, s->addr_len);
    memcpy(s->server_addr, from_client ? sum->dst : sum->src, s->addr_len);
    s->client_port = from_client ? sum->sport : sum->dport;
    s->server_port = from_client ? sum->dport : sum->sport;
    s->last_frame = frame;
    s->last_ns = now;
    s->pkts++;
    s->bytes += frame_len;
    enum compare_kind k = s->proto == PS_IPPROTO_TCP ? tcp_kind(d, ti) : CMP_DATA;
    s->kind_pkts[k]++;
    s->kind_bytes[k] += frame_len;
    /* The payload counted is what the headers declare, but never more than the frame. */
    uint32_t payload = sum->payload_len < frame_len ? sum->payload_len : frame_len;
    s->payload_bytes += payload;
    if (ti->analysis & (TA_RETRANSMISSION | TA_FAST_RETRANSMISSION | TA_SPURIOUS_RETRANSMISSION)) {
        s->retrans_pkts++;
        s->retrans_bytes += frame_len;
    }
    if (payload > 0 && !s->have_data) {
        s->have_data = true;
        s->first_data_frame = frame;
        s->first_data_ns = now;
    }
}

/* ---- text ------------------------------------------------------------------------------- */

#define COL_TCP 28
#define COL_UDP 72

static void put_pct(struct strbuf *sb, uint64_t part, uint64_t whole)
{
    if (!whole) {
        sb_puts(sb, "-");
        return;
    }
    uint64_t per_mille = (part * 1000 + whole / 2) / whole;
    sb_printf(sb, "%" PRIu64 ".%" PRIu64 "%%", per_mille / 10, per_mille % 10);
}

static void put_secs(struct strbuf *sb, int64_t ns)
{
    if (ns < 0)
        ns = 0;
    sb_printf(sb, "%" PRId64 ".%06" PRId64 " s", ns / 1000000000, (ns % 1000000000) / 1000);
}

static void put_end(struct strbuf *sb, const struct compare_side *s, bool client)
{
    if (s->addr_len == 16)
        sb_putc(sb, '[');
    sb_ip(sb, client ? s->client_addr : s->server_addr, s->addr_len);
    if (s->addr_len == 16)
        sb_putc(sb, ']');
    sb_printf(sb, ":%u", client ? s->client_port : s->server_port);
}

static void pad_to(struct strbuf *sb, size_t col)
{
    while (sb->len < col && !sb->overflow)
        sb_putc(sb, ' ');
    if (sb->len > col && sb->buf[sb->len - 1] != ' ')
        sb_putc(sb, ' ');
}

static void add_line(struct lines *out, uint8_t attr, const char *s, size_t n)
{
    lines_begin(out, attr);
    lines_add(out, attr, s, n);
    lines_end(out);
}

enum row {
    ROW_ENDS,
    ROW_TOTAL,
    ROW_SETUP,
    ROW_TEARDOWN,
    ROW_ACK,
    ROW_DATA,
    ROW_HEADERS,
    ROW_RETRANS,
    ROW_FIRST_DATA,
    ROW__COUNT
};

static const char *const row_label[ROW__COUNT] = {
    "client -> server",   "packets, bytes",        "setup (handshake)",
    "teardown (FIN/RST)", "pure acknowledgements", "data packets",
    "headers / payload",  "retransmissions",       "first data byte",
};

static void put_kind(struct strbuf *sb, const struct compare_side *s, enum compare_kind k)
{
    sb_printf(sb, "%" PRIu64 " pkts, %" PRIu64 " B", s->kind_pkts[k], s->kind_bytes[k]);
}

static void cell(struct strbuf *sb, const struct compare_side *s, enum row r)
{
    bool udp = s->proto == PS_IPPROTO_UDP;
    switch (r) {
    case ROW_ENDS:
        put_end(sb, s, true);
        sb_puts(sb, " -> ");
        put_end(sb, s, false);
        break;
    case ROW_TOTAL:
        sb_printf(sb, "%" PRIu64 " pkts, %" PRIu64 " B", s->pkts, s->bytes);
        break;
    case ROW_SETUP:
        if (udp)
            sb_puts(sb, "none (no handshake)");
        else
            put_kind(sb, s, CMP_SETUP);
        break;
    case ROW_TEARDOWN:
        if (udp)
            sb_puts(sb, "none (nothing to close)");
        else
            put_kind(sb, s, CMP_TEARDOWN);
        break;
    case ROW_ACK:
        if (udp)
            sb_puts(sb, "none (no acknowledgements)");
        else
            put_kind(sb, s, CMP_ACK);
        break;
    case ROW_DATA:
        put_kind(sb, s, CMP_DATA);
        break;
    case ROW_HEADERS:
        sb_printf(sb, "%" PRIu64 " B / %" PRIu64 " B (", s->bytes - s->payload_bytes,
                  s->payload_bytes);
        put_pct(sb, s->bytes - s->payload_bytes, s->bytes);
        sb_puts(sb, " headers)");
        break;
    case ROW_RETRANS:
        if (udp)
            sb_puts(sb, "not visible (UDP never resends)");
        else
            sb_printf(sb, "%" PRIu64 " pkts, %" PRIu64 " B", s->retrans_pkts, s->retrans_bytes);
        break;
    case ROW_FIRST_DATA:
        if (!s->have_data) {
            sb_puts(sb, "no payload");
            break;
        }
        sb_printf(sb, "frame %" PRIu64 ", ", s->first_data_frame);
        put_secs(sb, s->first_data_ns - s->first_ns);
        break;
    default:
        break;
    }
}

/* One sentence for a class: what TCP spent that UDP did not, from these numbers. */
static void reading(struct strbuf *sb, const struct compare_side *t, const struct compare_side *u)
{
    uint64_t tcp_ctl = t->kind_pkts[CMP_SETUP] + t->kind_pkts[CMP_TEARDOWN] + t->kind_pkts[CMP_ACK];
    uint64_t tcp_ctl_b =
        t->kind_bytes[CMP_SETUP] + t->kind_bytes[CMP_TEARDOWN] + t->kind_bytes[CMP_ACK];
    sb_printf(sb,
              "Reading: TCP sent %" PRIu64 " of its %" PRIu64 " packets (%" PRIu64
              " B) only to open, acknowledge and close, and its first data byte came ",
              tcp_ctl, t->pkts, tcp_ctl_b);
    if (t->have_data)
        put_secs(sb, t->first_data_ns - t->first_ns);
    else
        sb_puts(sb, "never");
    sb_printf(sb,
              " after its first packet; UDP's %" PRIu64
              " datagrams all carried data from the first, with no handshake, no "
              "acknowledgement and no close: each stands alone, and a lost one is the "
              "application's to notice. Headers were ",
              u->pkts);
    put_pct(sb, t->bytes - t->payload_bytes, t->bytes);
    sb_puts(sb, " of TCP's bytes and ");
    put_pct(sb, u->bytes - u->payload_bytes, u->bytes);
    sb_puts(sb, " of UDP's.");
}

static const char compare_title[] =
    "TCP versus UDP, counted from this capture (bytes are frame.len)";

static void render_wide(const struct compare *c, struct lines *out)
{
    char buf[512];
    struct strbuf sb;
    const struct compare_side *t = &c->side[0], *u = &c->side[1];
    add_line(out, ATTR_HEADER, compare_title, strlen(compare_title));
    sb_init(&sb, buf, sizeof(buf));
    pad_to(&sb, COL_TCP);
    sb_printf(&sb, "TCP: tcp.stream %" PRIu32, t->stream);
    pad_to(&sb, COL_UDP);
    sb_printf(&sb, "UDP: udp.stream %" PRIu32, u->stream);
    add_line(out, ATTR_HEADER, buf, sb.len);
    for (int r = 0; r < ROW__COUNT; r++) {
        sb_init(&sb, buf, sizeof(buf));
        sb_puts(&sb, row_label[r]);
        pad_to(&sb, COL_TCP);
        if (t->seen)
            cell(&sb, t, (enum row)r);
        else if (r == 0)
            sb_puts(&sb, "(no such stream)");
        pad_to(&sb, COL_UDP);
        if (u->seen)
            cell(&sb, u, (enum row)r);
        else if (r == 0)
            sb_puts(&sb, "(no such stream)");
        add_line(out, ATTR_NORMAL, buf, sb.len);
    }
}

/* One row of cells, each wrapped in its column (start col[i], w[i] columns wide): as many
 * lines as the longest cell needs. */
static void add_wrapped(struct lines *out, uint8_t attr, const char *const cells[],
                        const size_t col[], const size_t w[], int ncells)
{
    const char *at[3];
    size_t left[3];
    for (int i = 0; i < ncells; i++) {
        at[i] = cells[i];
        left[i] = strlen(cells[i]);
    }
    for (;;) {
        bool any = false;
        for (int i = 0; i < ncells; i++)
            any = any || left[i] > 0;
        if (!any)
            break;
        char buf[512];
        struct strbuf sb;
        sb_init(&sb, buf, sizeof(buf));
        for (int i = 0; i < ncells; i++) {
            if (!left[i])
                continue;
            pad_to(&sb, col[i]);
            size_t k = lines_fit(at[i], left[i], w[i]);
            sb_putn(&sb, at[i], k);
            at[i] += k;
            left[i] -= k;
            while (left[i] && *at[i] == ' ') {
                at[i]++;
                left[i]--;
            }
        }
        add_line(out, attr, buf, sb.len);
    }
}

/* A paragraph wrapped at width. */
static void add_para(struct lines *out, uint8_t attr, const char *text, size_t width)
{
    const char *cells[1] = {text};
    const size_t col[1] = {0}, w[1] = {width};
    add_wrapped(out, attr, cells, col, w, 1);
}

/* The narrow form (a terminal of 60 or 80 columns): the same rows, labels and cells, each cell
 * wrapped in a column of its own so that nothing is cut. */
static void render_narrow(const struct compare *c, size_t width, struct lines *out)
{
    const struct compare_side *t = &c->side[0], *u = &c->side[1];
    /* The labels whole from 80 columns ("pure acknowledgements" and a space); below, wrapped
     * at 16 ("acknowledgements"), so that an IPv4 address and port (21) fits a side at 60. */
    size_t label = width >= 80 ? 22 : 17;
    size_t side = width > label + 25 ? (width - label - 1) / 2 : 12;
    const size_t col[3] = {0, label, label + side + 1};
    const size_t w[3] = {label - 1, side, side};
    char tb[256], ub[256];
    struct strbuf ts, us;
    add_para(out, ATTR_HEADER, compare_title, width);
    sb_init(&ts, tb, sizeof(tb));
    sb_printf(&ts, "TCP: tcp.stream %" PRIu32, t->stream);
    sb_init(&us, ub, sizeof(ub));
    sb_printf(&us, "UDP: udp.stream %" PRIu32, u->stream);
    const char *head[3] = {"", tb, ub};
    add_wrapped(out, ATTR_HEADER, head, col, w, 3);
    for (int r = 0; r < ROW__COUNT; r++) {
        sb_init(&ts, tb, sizeof(tb));
        sb_init(&us, ub, sizeof(ub));
        if (t->seen)
            cell(&ts, t, (enum row)r);
        else if (r == 0)
            sb_puts(&ts, "(no such stream)");
        if (u->seen)
            cell(&us, u, (enum row)r);
        else if (r == 0)
            sb_puts(&us, "(no such stream)");
        const char *cells[3] = {row_label[r], tb, ub};
        add_wrapped(out, ATTR_NORMAL, cells, col, w, 3);
    }
}

void compare_render_width(const struct compare *c, size_t width, struct lines *out)
{
    char buf[512];
    struct strbuf sb;
    const struct compare_side *t = &c->side[0], *u = &c->side[1];
    bool wide = width == 0 || width >= COL_UDP + 40;
    if (wide)
        render_wide(c, out);
    else
        render_narrow(c, width, out);
    for (int i = 0; i < 2; i++) {
        const struct compare_side *s = &c->side[i];
        if (!s->seen || !role_guessed(s->roles))
            continue;
        sb_init(&sb, buf, sizeof(buf));
        sb_printf(&sb, "(%s: client and server %s)", i ? "UDP" : "TCP", role_rule_text(s->roles));
        if (wide)
            add_line(out, ATTR_DIM, buf, sb.len);
        else
            add_para(out, ATTR_DIM, buf, width);
    }
    if (t->seen && u->seen) {
        sb_init(&sb, buf, sizeof(buf));
        reading(&sb, t, u);
        if (wide)
            add_line(out, ATTR_NOTE, buf, sb.len);
        else
            add_para(out, ATTR_NOTE, buf, width);
    }
}

void compare_render(const struct compare *c, struct lines *out)
{
    compare_render_width(c, 0, out);
}

/* ---- JSON ------------------------------------------------------------------------------- */

static void json_side(struct strbuf *sb, const struct compare_side *s)
{
    static const char *const kinds[CMP__COUNT] = {"setup", "teardown", "pure_ack", "data"};
    sb_printf(sb, "{\"stream\":%" PRIu32 ",\"found\":%s", s->stream, s->seen ? "true" : "false");
    if (!s->seen) {
        sb_putc(sb, '}');
        return;
    }
    sb_puts(sb, ",\"client\":\"");
    put_end(sb, s, true);
    sb_puts(sb, "\",\"server\":\"");
    put_end(sb, s, false);
    sb_printf(sb, "\",\"roles_by\":\"%s\"", role_rule_name(s->roles));
    sb_printf(sb,
              ",\"first_frame\":%" PRIu64 ",\"last_frame\":%" PRIu64 ",\"packets\":%" PRIu64
              ",\"bytes\":%" PRIu64,
              s->first_frame, s->last_frame, s->pkts, s->bytes);
    for (int k = 0; k < CMP__COUNT; k++)
        sb_printf(sb, ",\"%s_packets\":%" PRIu64 ",\"%s_bytes\":%" PRIu64, kinds[k],
                  s->kind_pkts[k], kinds[k], s->kind_bytes[k]);
    sb_printf(sb,
              ",\"header_bytes\":%" PRIu64 ",\"payload_bytes\":%" PRIu64
              ",\"retransmitted_packets\":%" PRIu64 ",\"retransmitted_bytes\":%" PRIu64,
              s->bytes - s->payload_bytes, s->payload_bytes, s->retrans_pkts, s->retrans_bytes);
    if (s->have_data) {
        int64_t ns = s->first_data_ns - s->first_ns;
        if (ns < 0)
            ns = 0;
        sb_printf(sb,
                  ",\"first_data_frame\":%" PRIu64 ",\"time_to_first_data\":%" PRId64 ".%09" PRId64,
                  s->first_data_frame, ns / 1000000000, ns % 1000000000);
    }
    sb_putc(sb, '}');
}

void compare_json(const struct compare *c, struct strbuf *sb)
{
    sb_puts(sb, "{\"tcp\":");
    json_side(sb, &c->side[0]);
    sb_puts(sb, ",\"udp\":");
    json_side(sb, &c->side[1]);
    sb_putc(sb, '}');
}
