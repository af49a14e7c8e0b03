/*
 * The ladder (sequence) diagram of one connection: the model (ladder_add) and its renderings as
 * text with attribute spans, Mermaid, PlantUML and a standalone SVG. All text in the diagrams is
 * pktscope's own (addresses, numbers, flag and state names), never packet payload.
 */
#include "format/ladder.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/numbers.h"
#include "format/conns.h"
#include "format/diagram.h"
#include "format/format.h"
#include "util/strbuf.h"
#include "util/ptime.h"
#include "util/util.h"

/* Text layout: time column, left lane, right lane, phase brackets. */
#define COL_LEFT 10
#define COL_RIGHT 78
#define COL_SIDE 81

struct ladder *ladder_new(uint32_t stream, uint8_t proto)
{
    struct ladder *l = xcalloc(1, sizeof(*l));
    l->stream = stream;
    l->proto = proto;
    return l;
}

void ladder_free(struct ladder *l)
{
    if (!l)
        return;
    free(l->v);
    free(l);
}

static const struct tok service_ports[] = {
    {21, "ftp"},    {22, "ssh"},    {23, "telnet"}, {25, "smtp"},          {53, "dns"},
    {67, "dhcp"},   {68, "dhcp"},   {79, "finger"}, {80, "http"},          {110, "pop3"},
    {123, "ntp"},   {143, "imap"},  {443, "https"}, {853, "dns-over-tls"}, {5353, "mdns"},
    {8000, "http"}, {8080, "http"}, {0, NULL},
};

bool ladder_add(struct ladder *l, const struct dissection *d, const struct track_info *ti,
                int64_t ts_sec, uint32_t ts_nsec, uint64_t frame)
{
    if (!l || !d || !ti || !(ti->flags & TI_HAS_STREAM) || ti->proto != l->proto ||
        ti->stream != l->stream)
        return false;
    const struct dis_summary *s = &d->sum;
    bool from_orig = (ti->flags & TI_FROM_ORIG) != 0;
    if (!l->have_ends) {
        l->have_ends = true;
        l->addr_len = s->addr_len;
        memcpy(l->orig_addr, from_orig ? s->src : s->dst, s->addr_len);
        memcpy(l->resp_addr, from_orig ? s->dst : s->src, s->addr_len);
        l->orig_port = from_orig ? s->sport : s->dport;
        l->resp_port = from_orig ? s->dport : s->sport;
        l->service_port = tok_name(service_ports, l->resp_port)   ? l->resp_port
                          : tok_name(service_ports, l->orig_port) ? l->orig_port
                                                                  : 0;
    }
    if (ti->announced)
        l->announced = ti->announced;
    if (ti->roles)
        l->roles = ti->roles;
    if (!l->app_proto && s->app_proto)
        l->app_proto = s->app_proto;
    if (!l->server_name[0] && (s->app_proto == PROTO_TLS || s->app_proto == PROTO_HTTP)) {
        const struct field *f = dis_server_name(d);
        size_t n = 0;
        const char *name = f ? dis_field_text(d, f, &n) : NULL;
        if (name && n) {
            if (n >= sizeof(l->server_name))
                n = sizeof(l->server_name) - 1;
            memcpy(l->server_name, name, n);
            l->server_name[n] = '\0';
            l->server_name_len = n;
        }
    }
    if (l->n >= LADDER_MAX_ARROWS) {
        l->dropped++;
        return false;
    }
    l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
    struct ladder_arrow *a = &l->v[l->n++];
    memset(a, 0, sizeof(*a));
    a->frame = frame;
    a->ts_sec = ts_sec;
    a->ts_nsec = ts_nsec;
    a->from_orig = from_orig;
    a->phase = ti->phase;
    a->state_src = ti->state_src;
    a->state_dst = ti->state_dst;
    a->ti_flags = ti->flags;
    a->tcp_flags = l->proto == PS_IPPROTO_TCP ? s->tcp_flags : 0;
    a->rel_seq = ti->rel_seq;
    a->rel_ack = ti->rel_ack;
    a->len = s->payload_len;
    a->window = ti->window_scaled;
    a->analysis = ti->analysis;
    a->dup_ack_num = ti->dup_ack_num;
    a->icmp_type = s->icmp_type;
    a->icmp_code = s->icmp_code;
    a->icmp_seq = s->icmp_seq;
    a->app_proto = s->app_proto;
    return true;
}

/* ---- labels ----------------------------------------------------------------------------- */

/* What a lane's host is: client or server when the tracker could tell (track/roles.c). */
static const char *lane_role(const struct ladder *l, bool orig)
{
    if ((l->roles & TIR_RULE_MASK) == ROLE_NONE)
        return orig ? "originator" : "responder";
    return orig == !(l->roles & TIR_CLIENT_IS_RESP) ? "client" : "server";
}

/* "client and server: the client sent the SYN; B/S: ...", or nothing without roles. */
static void roles_note(struct strbuf *sb, const struct ladder *l)
{
    if ((l->roles & TIR_RULE_MASK) == ROLE_NONE)
        return;
    sb_puts(sb, "client and server: ");
    sb_puts(sb, role_rule_text(l->roles));
    if (l->roles & TIR_BROWSER)
        sb_puts(sb, ", B/S: the client is a web browser");
}

static void lane_label(struct strbuf *sb, const struct ladder *l, bool orig)
{
    if (l->addr_len == 16)
        sb_putc(sb, '[');
    sb_ip(sb, orig ? l->orig_addr : l->resp_addr, l->addr_len);
    if (l->addr_len == 16)
        sb_putc(sb, ']');
    if (l->proto == PS_IPPROTO_TCP || l->proto == PS_IPPROTO_UDP)
        sb_printf(sb, ":%u", orig ? l->orig_port : l->resp_port);
    uint16_t port = orig ? l->orig_port : l->resp_port;
    if (l->announced && !orig) {
        sb_puts(sb, " (ftp-data)"); /* textproto: the endpoint an FTP control connection named */
        return;
    }
    if (l->app_proto && !orig) {
        /* What the conversation carries, as decoded, on the server's lane, with the name its
         * client asked for (TLS SNI, HTTP Host). */
        sb_printf(sb, " (%s", proto_info((enum proto_id)l->app_proto)->col_name);
        if (l->server_name_len) {
            sb_puts(sb, ", ");
            sb_put_safe(sb, (const uint8_t *)l->server_name, l->server_name_len);
        }
        sb_putc(sb, ')');
        return;
    }
    if (l->app_proto)
        return;
    if (l->service_port && port == l->service_port) {
        const char *n = tok_name(service_ports, port);
        if (n)
            sb_printf(sb, " (%s)", n);
    }
}

static const struct {
    uint32_t bit;
    const char *mark;
} marks[] = {
    {TA_REUSED_PORTS, "port reused"},
    {TA_FAST_RETRANSMISSION, "fast retrans"},
    {TA_SPURIOUS_RETRANSMISSION, "spurious retrans"},
    {TA_RETRANSMISSION, "retrans"},
    {TA_OUT_OF_ORDER, "out-of-order"},
    {TA_LOST_SEGMENT, "prev lost"},
    {TA_ACK_LOST_SEGMENT, "acks unseen"},
    {TA_DUPLICATE_ACK, "dup ack"},
    {TA_ZERO_WINDOW, "zero win"},
    {TA_ZERO_WINDOW_PROBE, "zero win probe"},
    {TA_ZERO_WINDOW_PROBE_ACK, "zero win probe ack"},
    {TA_KEEP_ALIVE, "keep-alive"},
    {TA_KEEP_ALIVE_ACK, "keep-alive ack"},
    {TA_WINDOW_UPDATE, "win update"},
    {TA_WINDOW_FULL, "win full"},
    {0, NULL},
};

/* The analysis marks, "[retrans] [dup ack 2]"; a fast/spurious retransmission is not also
 * called a plain retransmission. */
static void put_marks(struct strbuf *sb, const struct ladder_arrow *a)
{
    uint32_t an = format_analysis_labelled(a->analysis);
    for (int i = 0; marks[i].mark; i++) {
        if (!(an & marks[i].bit))
            continue;
        sb_printf(sb, " [%s", marks[i].mark);
        if (marks[i].bit == TA_DUPLICATE_ACK && a->dup_ack_num)
            sb_printf(sb, " %u", a->dup_ack_num);
        sb_putc(sb, ']');
    }
}

/* " (half-closed)": data after one side's FIN, in every format as in the text. */
static void put_half_closed(struct strbuf *sb, const struct ladder_arrow *a)
{
    if (a->ti_flags & TI_HALF_CLOSED)
        sb_puts(sb, " (half-closed)");
}

void ladder_fold_text(struct strbuf *sb, const struct ladder *l, const struct ladder_fold *fd)
{
    uint64_t bytes = 0;
    for (size_t i = fd->first; i <= fd->last && i < l->n; i++)
        bytes += l->v[i].len;
    sb_printf(sb, "%zu data segments, %.1f KB (frames %" PRIu64 "-%" PRIu64 ")",
              fd->last - fd->first + 1, (double)bytes / 1000.0, l->v[fd->first].frame,
              l->v[fd->last].frame);
}

/* The fold that starts at arrow `i`, or NULL; `*k` walks the (ascending) folds along. */
static const struct ladder_fold *fold_at(const struct ladder *l, const struct ladder_fold *folds,
                                         size_t nfolds, size_t *k, size_t i)
{
    while (*k < nfolds && folds[*k].first < i)
        (*k)++;
    if (*k < nfolds && folds[*k].first == i && folds[*k].last >= i && folds[*k].last < l->n)
        return &folds[*k];
    return NULL;
}

/* The arrow's text, without the analysis marks. */
static void arrow_label(struct strbuf *sb, const struct ladder *l, const struct ladder_arrow *a)
{
    if (l->proto == PS_IPPROTO_TCP) {
        format_tcp_flags_sep(sb, a->tcp_flags, ",", "none");
        sb_printf(sb, " seq=%" PRIu32, a->rel_seq);
        if (a->tcp_flags & TCP_ACK)
            sb_printf(sb, " ack=%" PRIu32, a->rel_ack);
        sb_printf(sb, " win=%" PRIu32 " len=%" PRIu32, a->window, a->len);
    } else if (l->proto == PS_IPPROTO_UDP) {
        sb_printf(sb, "UDP len=%" PRIu32, a->len);
    } else {
        sb_printf(sb, "ICMP type=%u code=%u", a->icmp_type, a->icmp_code);
    }
    /* The application protocol by its short name in the registry ("HTTP", "DNS", "MDNS"). */
    if (a->app_proto && a->len)
        sb_printf(sb, " %s", proto_info((enum proto_id)a->app_proto)->col_name);
    else if (l->announced && a->len)
        sb_puts(sb, " FTP-DATA");
}

static uint8_t arrow_attr(const struct ladder_arrow *a)
{
    if (a->tcp_flags & TCP_RST)
        return ATTR_RST;
    if (a->tcp_flags & TCP_SYN)
        return ATTR_SYN;
    if (a->tcp_flags & TCP_FIN)
        return ATTR_FIN;
    return ATTR_NORMAL;
}

static const uint8_t phase_attr[] = {ATTR_NORMAL, ATTR_HANDSHAKE, ATTR_DATA, ATTR_TEARDOWN,
                                     ATTR_RESET};

static bool state_changed_src(const struct ladder_arrow *a, uint8_t prev)
{
    return a->state_src != prev && a->state_src != TCPS_NONE;
}

/* ---- text ------------------------------------------------------------------------------- */

static void render_text(const struct ladder *l, const struct ladder_fold *folds, size_t nfolds,
                        struct lines *out)
{
    char buf[256], lab[160];
    struct strbuf sb, lb;
    sb_init(&sb, buf, sizeof(buf));
    sb_printf(&sb, "%s.stream %" PRIu32 ": ", conns_proto_name(l->proto), l->stream);
    lane_label(&sb, l, true);
    sb_puts(&sb, " <-> ");
    lane_label(&sb, l, false);
    diagram_line(out, ATTR_HEADER, buf, sb.len, -1);

    /* Lane heads: the originator's label left-aligned on the left lane, the responder's
     * right-aligned on the right lane. */
    sb_init(&sb, buf, sizeof(buf));
    sb_init(&lb, lab, sizeof(lab));
    lane_label(&lb, l, true);
    diagram_pad(&sb, COL_LEFT);
    sb_puts(&sb, lab);
    sb_init(&lb, lab, sizeof(lab));
    lane_label(&lb, l, false);
    size_t rcol = COL_RIGHT + 1 > lb.len ? COL_RIGHT + 1 - lb.len : 0;
    if (sb.len + 2 > rcol)
        rcol = sb.len + 2;
    diagram_pad(&sb, rcol);
    sb_puts(&sb, lab);
    diagram_line(out, ATTR_ADDR, buf, sb.len, -1);
    /* The lanes' roles, the client's with the rule that told ("client: sent the SYN"): one
     * line, so that the diagram keeps its rows on a projector's 80x24. */
    sb_init(&sb, buf, sizeof(buf));
    diagram_pad(&sb, COL_LEFT);
    const char *rl = lane_role(l, true), *rr = lane_role(l, false);
    sb_puts(&sb, rl);
    char why[96];
    struct strbuf wb;
    sb_init(&wb, why, sizeof(why));
    if ((l->roles & TIR_RULE_MASK) != ROLE_NONE) {
        sb_puts(&wb, ": ");
        if (l->roles & TIR_BROWSER)
            sb_puts(&wb, "a browser (B/S), ");
        sb_puts(&wb, role_rule_short(l->roles));
    }
    bool client_left = !(l->roles & TIR_CLIENT_IS_RESP);
    if (client_left && sb.len + wb.len + 2 + strlen(rr) <= COL_RIGHT + 1)
        sb_putn(&sb, why, wb.len);
    diagram_pad(&sb, COL_RIGHT + 1 - strlen(rr) - (client_left ? 0 : wb.len));
    sb_puts(&sb, rr);
    if (!client_left)
        sb_putn(&sb, why, wb.len);
    diagram_line(out, ATTR_DIM, buf, sb.len, -1);

    uint8_t st_orig = TCPS_NONE, st_resp = TCPS_NONE;
    int64_t t0s = l->n ? l->v[0].ts_sec : 0;
    uint32_t t0n = l->n ? l->v[0].ts_nsec : 0;
    size_t fk = 0;
    for (size_t i = 0; i < l->n; i++) {
        const struct ladder_arrow *a = &l->v[i];
        sb_init(&sb, buf, sizeof(buf));
        int64_t dt = ptime_diff(a->ts_sec, a->ts_nsec, t0s, t0n);
        if (dt < 0)
            dt = 0;
        sb_printf(&sb, "%3" PRId64 ".%06" PRId64, (int64_t)(dt / 1000000000),
                  (int64_t)(dt % 1000000000) / 1000);
        diagram_pad(&sb, COL_LEFT);
        sb_putc(&sb, '|');
        const struct ladder_fold *fd = fold_at(l, folds, nfolds, &fk, i);
        if (fd) {
            /* A folded run (plain data: no state changes in it), as the TUI showed it. */
            sb_puts(&sb, "      ... ");
            ladder_fold_text(&sb, l, fd);
            sb_puts(&sb, ", folded ...");
            diagram_pad(&sb, COL_RIGHT);
            sb_putc(&sb, '|');
            uint8_t ph = a->phase;
            bool starts = fd->first == 0 || l->v[fd->first - 1].phase != ph;
            bool ends = fd->last + 1 == l->n || l->v[fd->last + 1].phase != ph;
            diagram_pad(&sb, COL_SIDE);
            if (starts && ends)
                sb_printf(&sb, "[ %s", phase_name((enum phase)ph));
            else if (starts)
                sb_printf(&sb, ".- %s", phase_name((enum phase)ph));
            else
                sb_puts(&sb, ends ? "'-" : "|");
            diagram_line(out, ATTR_DATA, buf, sb.len, -1);
            i = fd->last;
            continue;
        }

        sb_init(&lb, lab, sizeof(lab));
        sb_putc(&lb, ' ');
        arrow_label(&lb, l, a);
        size_t label_end = lb.len;
        put_marks(&lb, a);
        sb_putc(&lb, ' ');
        size_t body = COL_RIGHT - COL_LEFT - 1; /* columns between the lanes */
        size_t ll = lb.len;
        if (ll > body - 4) {
            ll = body - 4; /* cut an overlong label, keep the arrow */
            if (label_end > ll)
                label_end = ll;
        }
        size_t dashes = body - 1 - ll; /* one column for the arrow head */
        size_t left_d = dashes / 2, right_d = dashes - left_d;
        size_t label_col;
        if (a->from_orig) {
            for (size_t k = 0; k < left_d; k++)
                sb_putc(&sb, '-');
            label_col = sb.len;
            sb_putn(&sb, lab, ll);
            for (size_t k = 0; k < right_d; k++)
                sb_putc(&sb, '-');
            sb_putc(&sb, '>');
        } else {
            sb_putc(&sb, '<');
            for (size_t k = 0; k < left_d; k++)
                sb_putc(&sb, '-');
            label_col = sb.len;
            sb_putn(&sb, lab, ll);
            for (size_t k = 0; k < right_d; k++)
                sb_putc(&sb, '-');
        }
        sb_putc(&sb, '|');
        /* Phase bracket: opens where a phase starts, closes where it ends. */
        uint8_t ph = a->phase;
        bool starts = i == 0 || l->v[i - 1].phase != ph;
        bool ends = i + 1 == l->n || l->v[i + 1].phase != ph;
        if (ph != PHASE_NONE || (a->ti_flags & TI_HALF_CLOSED))
            diagram_pad(&sb, COL_SIDE);
        size_t side_col = sb.len;
        if (ph != PHASE_NONE) {
            if (starts && ends)
                sb_printf(&sb, "[ %s", phase_name((enum phase)ph));
            else if (starts)
                sb_printf(&sb, ".- %s", phase_name((enum phase)ph));
            else if (ends)
                sb_puts(&sb, "'-");
            else
                sb_puts(&sb, "|");
        }
        put_half_closed(&sb, a);

        struct line *ln = lines_begin(out, ATTR_NORMAL);
        ln->ref = a->frame > INT32_MAX ? INT32_MAX : (int32_t)a->frame;
        uint8_t at = arrow_attr(a);
        lines_add(out, ATTR_DIM, buf, COL_LEFT);
        lines_add(out, at, buf + COL_LEFT, label_col + label_end - COL_LEFT);
        size_t mark_end = label_col + ll;
        if (mark_end > label_col + label_end)
            lines_add(out, a->analysis ? ATTR_WARN : at, buf + label_col + label_end,
                      mark_end - (label_col + label_end));
        lines_add(out, at, buf + mark_end, side_col - mark_end);
        lines_add(out, ph < ARRAY_SIZE(phase_attr) ? phase_attr[ph] : ATTR_NORMAL, buf + side_col,
                  sb.len - side_col);
        lines_end(out);

        /* The endpoints' new states, written on their lanes. */
        if (l->proto == PS_IPPROTO_TCP) {
            uint8_t so = a->from_orig ? a->state_src : a->state_dst;
            uint8_t sr = a->from_orig ? a->state_dst : a->state_src;
            bool co = so != st_orig && so != TCPS_NONE;
            bool cr = sr != st_resp && sr != TCPS_NONE;
            (void)state_changed_src;
            if (co || cr) {
                sb_init(&sb, buf, sizeof(buf));
                diagram_pad(&sb, COL_LEFT);
                if (co)
                    sb_puts(&sb, tcp_state_name((enum tcp_state)so));
                else
                    sb_putc(&sb, '|');
                if (cr) {
                    const char *n = tcp_state_name((enum tcp_state)sr);
                    size_t at_col = COL_RIGHT + 1 - strlen(n);
                    if (sb.len + 1 > at_col)
                        at_col = sb.len + 1;
                    diagram_pad(&sb, at_col);
                    sb_puts(&sb, n);
                } else {
                    diagram_pad(&sb, COL_RIGHT);
                    sb_putc(&sb, '|');
                }
                diagram_line(out, ATTR_NOTE, buf, sb.len, -1);
            }
            st_orig = so;
            st_resp = sr;
        }
    }
    if (l->dropped) {
        sb_init(&sb, buf, sizeof(buf));
        sb_printf(&sb, "(%" PRIu64 " more packets not drawn: the ladder holds %u arrows)",
                  l->dropped, LADDER_MAX_ARROWS);
        diagram_line(out, ATTR_WARN, buf, sb.len, -1);
    }
}

/* ---- Mermaid and PlantUML ---------------------------------------------------------------- */

static void render_seq(const struct ladder *l, bool mermaid, const struct ladder_fold *folds,
                       size_t nfolds, struct lines *out)
{
    char buf[512], lab[256];
    struct strbuf sb, lb;
    diagram_seq_begin(out, mermaid);
    for (int side = 0; side < 2; side++) {
        sb_init(&lb, lab, sizeof(lab));
        sb_printf(&lb, "%s ", lane_role(l, side == 0));
        lane_label(&lb, l, side == 0);
        sb_init(&sb, buf, sizeof(buf));
        if (mermaid) {
            sb_printf(&sb, "    participant %c as ", side == 0 ? 'O' : 'R');
            diagram_put_text(&sb, lab, lb.len);
        } else {
            sb_puts(&sb, "participant \"");
            diagram_put_text(&sb, lab, lb.len);
            sb_printf(&sb, "\" as %c", side == 0 ? 'O' : 'R');
        }
        diagram_line(out, ATTR_NORMAL, buf, sb.len, -1);
    }
    sb_init(&lb, lab, sizeof(lab));
    roles_note(&lb, l);
    if (lb.len) {
        sb_init(&sb, buf, sizeof(buf));
        sb_puts(&sb, mermaid ? "    Note over O,R: " : "note over O,R : ");
        diagram_put_text(&sb, lab, lb.len);
        diagram_line(out, ATTR_NORMAL, buf, sb.len, -1);
    }
    uint8_t st_orig = TCPS_NONE, st_resp = TCPS_NONE;
    size_t fk = 0;
    for (size_t i = 0; i < l->n; i++) {
        const struct ladder_arrow *a = &l->v[i];
        if (a->phase != PHASE_NONE && (i == 0 || l->v[i - 1].phase != a->phase)) {
            sb_init(&sb, buf, sizeof(buf));
            if (mermaid)
                sb_printf(&sb, "    Note over O,R: %s", phase_name((enum phase)a->phase));
            else
                sb_printf(&sb, "== %s ==", phase_name((enum phase)a->phase));
            diagram_line(out, ATTR_NORMAL, buf, sb.len, -1);
        }
        const struct ladder_fold *fd = fold_at(l, folds, nfolds, &fk, i);
        if (fd) {
            sb_init(&lb, lab, sizeof(lab));
            ladder_fold_text(&lb, l, fd);
            sb_init(&sb, buf, sizeof(buf));
            sb_puts(&sb, mermaid ? "    Note over O,R: ... " : "...");
            diagram_put_text(&sb, lab, lb.len);
            sb_puts(&sb, mermaid ? ", folded ..." : ", folded...");
            diagram_line(out, ATTR_NORMAL, buf, sb.len, -1);
            i = fd->last;
            continue;
        }
        sb_init(&lb, lab, sizeof(lab));
        arrow_label(&lb, l, a);
        put_marks(&lb, a);
        put_half_closed(&lb, a);
        sb_init(&sb, buf, sizeof(buf));
        const char *from = a->from_orig ? "O" : "R", *to = a->from_orig ? "R" : "O";
        if (mermaid)
            sb_printf(&sb, "    %s->>%s: ", from, to);
        else
            sb_printf(&sb, "%s -> %s : ", from, to);
        diagram_put_text(&sb, lab, lb.len);
        diagram_line(out, ATTR_NORMAL, buf, sb.len,
                     (int32_t)(a->frame > INT32_MAX ? INT32_MAX : a->frame));
        if (l->proto == PS_IPPROTO_TCP) {
            uint8_t so = a->from_orig ? a->state_src : a->state_dst;
            uint8_t sr = a->from_orig ? a->state_dst : a->state_src;
            if (so != st_orig && so != TCPS_NONE) {
                sb_init(&sb, buf, sizeof(buf));
                sb_printf(&sb, mermaid ? "    Note left of O: %s" : "note left of O : %s",
                          tcp_state_name((enum tcp_state)so));
                diagram_line(out, ATTR_NORMAL, buf, sb.len, -1);
            }
            if (sr != st_resp && sr != TCPS_NONE) {
                sb_init(&sb, buf, sizeof(buf));
                sb_printf(&sb, mermaid ? "    Note right of R: %s" : "note right of R : %s",
                          tcp_state_name((enum tcp_state)sr));
                diagram_line(out, ATTR_NORMAL, buf, sb.len, -1);
            }
            st_orig = so;
            st_resp = sr;
        }
    }
    if (l->dropped) {
        sb_init(&sb, buf, sizeof(buf));
        sb_printf(&sb,
                  mermaid ? "    Note over O,R: %" PRIu64 " more packets not drawn"
                          : "note across : %" PRIu64 " more packets not drawn",
                  l->dropped);
        diagram_line(out, ATTR_NORMAL, buf, sb.len, -1);
    }
    diagram_seq_end(out, mermaid);
}

/* ---- SVG -------------------------------------------------------------------------------- */

#define SVG_WIDTH 900
#define SVG_LEFT 170
#define SVG_RIGHT 650
#define SVG_TOP 70
#define SVG_STEP 34

static const char *phase_colour(uint8_t ph)
{
    switch (ph) {
    case PHASE_HANDSHAKE:
        return "#2e7d32";
    case PHASE_DATA:
        return "#1565c0";
    case PHASE_TEARDOWN:
        return "#ef6c00";
    case PHASE_RESET:
        return "#c62828";
    default:
        return "#555555";
    }
}

static void svg_line(struct lines *out, struct strbuf *sb)
{
    diagram_line(out, ATTR_NORMAL, sb->buf, sb->len, -1);
}

static void render_svg(const struct ladder *l, const struct ladder_fold *folds, size_t nfolds,
                       struct lines *out)
{
    char buf[1024], lab[256];
    struct strbuf sb, lb;
    size_t rows = l->n;
    for (size_t i = 0; i < l->n; i++)
        if (l->proto == PS_IPPROTO_TCP && (l->v[i].ti_flags & TI_STATE_CHANGE))
            rows++;
    for (size_t k = 0; k < nfolds; k++) /* a folded run takes one row */
        if (folds[k].last < l->n && rows > folds[k].last - folds[k].first)
            rows -= folds[k].last - folds[k].first;
    unsigned height = SVG_TOP + 40 + (unsigned)(rows > 20000 ? 20000 : rows) * SVG_STEP + 40;

    char title[64];
    snprintf(title, sizeof(title), "%s.stream %" PRIu32, conns_proto_name(l->proto), l->stream);
    diagram_svg_begin(out, SVG_WIDTH, height, title);
    sb_init(&lb, lab, sizeof(lab));
    roles_note(&lb, l);
    if (lb.len) {
        /* Above the lane heads: who is the client, and by which rule. */
        sb_init(&sb, buf, sizeof(buf));
        sb_printf(&sb, "<text x=\"%d\" y=\"14\" text-anchor=\"middle\" fill=\"#555555\">",
                  SVG_WIDTH / 2);
        diagram_put_xml(&sb, lab, lb.len);
        sb_puts(&sb, "</text>");
        svg_line(out, &sb);
    }
    for (int side = 0; side < 2; side++) {
        int x = side == 0 ? SVG_LEFT : SVG_RIGHT;
        sb_init(&lb, lab, sizeof(lab));
        lane_label(&lb, l, side == 0);
        sb_init(&sb, buf, sizeof(buf));
        sb_printf(&sb, "<text x=\"%d\" y=\"30\" text-anchor=\"middle\" font-weight=\"bold\">", x);
        diagram_put_xml(&sb, lab, lb.len);
        sb_puts(&sb, "</text>");
        svg_line(out, &sb);
        sb_init(&sb, buf, sizeof(buf));
        sb_printf(&sb, "<text x=\"%d\" y=\"46\" text-anchor=\"middle\" fill=\"#555555\">%s</text>",
                  x, lane_role(l, side == 0));
        svg_line(out, &sb);
        sb_init(&sb, buf, sizeof(buf));
        sb_printf(&sb,
                  "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%u\" stroke=\"#888888\" "
                  "stroke-width=\"2\"/>",
                  x, SVG_TOP - 10, x, height - 30);
        svg_line(out, &sb);
    }
    unsigned y = SVG_TOP + 20;
    uint8_t st_orig = TCPS_NONE, st_resp = TCPS_NONE;
    unsigned phase_y0 = y;
    size_t fk = 0;
    for (size_t i = 0; i < l->n && y < height - 40; i++) {
        const struct ladder_arrow *a = &l->v[i];
        if (i == 0 || l->v[i - 1].phase != a->phase)
            phase_y0 = y - 12;
        const struct ladder_fold *fd = fold_at(l, folds, nfolds, &fk, i);
        if (fd) {
            sb_init(&lb, lab, sizeof(lab));
            sb_puts(&lb, "... ");
            ladder_fold_text(&lb, l, fd);
            sb_puts(&lb, ", folded ...");
            sb_init(&sb, buf, sizeof(buf));
            sb_printf(&sb, "<text x=\"%d\" y=\"%u\" text-anchor=\"middle\" fill=\"%s\">",
                      (SVG_LEFT + SVG_RIGHT) / 2, y + 8, phase_colour(PHASE_DATA));
            diagram_put_xml(&sb, lab, lb.len);
            sb_puts(&sb, "</text>");
            svg_line(out, &sb);
            y += SVG_STEP;
            i = fd->last;
            a = &l->v[i];
        } else {
            int x1 = a->from_orig ? SVG_LEFT : SVG_RIGHT, x2 = a->from_orig ? SVG_RIGHT : SVG_LEFT;
            const char *colour = (a->tcp_flags & TCP_RST) ? "#c62828"
                                 : a->analysis            ? "#b26a00"
                                                          : "#222222";
            sb_init(&sb, buf, sizeof(buf));
            sb_printf(
                &sb,
                "<line x1=\"%d\" y1=\"%u\" x2=\"%d\" y2=\"%u\" stroke=\"%s\" stroke-width=\"1.5\" "
                "marker-end=\"url(#head)\"/>",
                x1, y, x2, y + 14, colour);
            svg_line(out, &sb);
            sb_init(&lb, lab, sizeof(lab));
            arrow_label(&lb, l, a);
            put_marks(&lb, a);
            put_half_closed(&lb, a);
            sb_init(&sb, buf, sizeof(buf));
            sb_printf(&sb, "<text x=\"%d\" y=\"%u\" text-anchor=\"middle\" fill=\"%s\">",
                      (SVG_LEFT + SVG_RIGHT) / 2, y + 2, colour);
            diagram_put_xml(&sb, lab, lb.len);
            sb_puts(&sb, "</text>");
            svg_line(out, &sb);
            sb_init(&sb, buf, sizeof(buf));
            sb_printf(&sb, "<text x=\"10\" y=\"%u\" fill=\"#555555\">#%" PRIu64 "</text>", y + 10,
                      a->frame);
            svg_line(out, &sb);
            y += SVG_STEP;
            if (l->proto == PS_IPPROTO_TCP) {
                uint8_t so = a->from_orig ? a->state_src : a->state_dst;
                uint8_t sr = a->from_orig ? a->state_dst : a->state_src;
                bool co = so != st_orig && so != TCPS_NONE, cr = sr != st_resp && sr != TCPS_NONE;
                if (co || cr) {
                    if (co) {
                        sb_init(&sb, buf, sizeof(buf));
                        sb_printf(&sb,
                                  "<text x=\"%d\" y=\"%u\" text-anchor=\"end\" "
                                  "fill=\"#6a1b9a\">%s</text>",
                                  SVG_LEFT - 6, y - 8, tcp_state_name((enum tcp_state)so));
                        svg_line(out, &sb);
                    }
                    if (cr) {
                        sb_init(&sb, buf, sizeof(buf));
                        sb_printf(&sb, "<text x=\"%d\" y=\"%u\" fill=\"#6a1b9a\">%s</text>",
                                  SVG_RIGHT + 6, y - 8, tcp_state_name((enum tcp_state)sr));
                        svg_line(out, &sb);
                    }
                    y += SVG_STEP / 2;
                }
                st_orig = so;
                st_resp = sr;
            }
        }
        bool ends = i + 1 == l->n || l->v[i + 1].phase != a->phase;
        if (ends && a->phase != PHASE_NONE) {
            const char *pc = phase_colour(a->phase);
            sb_init(&sb, buf, sizeof(buf));
            sb_printf(
                &sb,
                "<path d=\"M%d,%u h8 v%u h-8\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>",
                SVG_RIGHT + 110, phase_y0, y - 14 - phase_y0, pc);
            svg_line(out, &sb);
            sb_init(&sb, buf, sizeof(buf));
            sb_printf(&sb, "<text x=\"%d\" y=\"%u\" fill=\"%s\">%s</text>", SVG_RIGHT + 124,
                      (phase_y0 + y - 14) / 2 + 4, pc, phase_name((enum phase)a->phase));
            svg_line(out, &sb);
        }
    }
    if (l->dropped) {
        sb_init(&sb, buf, sizeof(buf));
        sb_printf(&sb, "<text x=\"10\" y=\"%u\">%" PRIu64 " more packets not drawn</text>",
                  height - 10, l->dropped);
        svg_line(out, &sb);
    }
    sb_init(&sb, buf, sizeof(buf));
    sb_puts(&sb, "</svg>");
    svg_line(out, &sb);
}

void ladder_render_folded(const struct ladder *l, enum ladder_format f,
                          const struct ladder_fold *folds, size_t nfolds, struct lines *out)
{
    if (!l || !out)
        return;
    switch (f) {
    case LADDER_MERMAID:
        render_seq(l, true, folds, nfolds, out);
        break;
    case LADDER_PLANTUML:
        render_seq(l, false, folds, nfolds, out);
        break;
    case LADDER_SVG:
        render_svg(l, folds, nfolds, out);
        break;
    default:
        render_text(l, folds, nfolds, out);
        break;
    }
}

void ladder_render(const struct ladder *l, enum ladder_format f, struct lines *out)
{
    ladder_render_folded(l, f, NULL, 0, out);
}

int ladder_print_folded(const struct ladder *l, enum ladder_format f,
                        const struct ladder_fold *folds, size_t nfolds, FILE *out)
{
    struct lines ls;
    lines_init(&ls);
    ladder_render_folded(l, f, folds, nfolds, &ls);
    lines_print(&ls, out);
    lines_release(&ls);
    return ferror(out) ? -1 : 0;
}

int ladder_print(const struct ladder *l, enum ladder_format f, FILE *out)
{
    return ladder_print_folded(l, f, NULL, 0, out);
}
