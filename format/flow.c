/*
 * The flow graph of several hosts (format/flow.h): the model (flow_add) and its renderings as
 * text with attribute spans, Mermaid, PlantUML and a standalone SVG. Arrow labels come from the
 * packet list's info column (format_summary: safe text), or for TCP from the tracker's relative
 * numbers, so the flow says what the list and the ladder say.
 */
#include "format/flow.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/numbers.h"
#include "format/diagram.h"
#include "format/format.h"
#include "util/strbuf.h"
#include "util/util.h"

/* Text layout: the frame column, then the lanes `spacing` columns apart, then the labels. */
#define FLOW_PREFIX 8
#define FLOW_SPACING 4     /* in a file */
#define FLOW_MIN_SPACING 2 /* a terminal: "|>|" still shows the direction */
#define FLOW_MIN_LABEL 40  /* what a terminal keeps for labels before it narrows the lanes */

static const uint8_t broadcast_mac[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const uint8_t broadcast_ip4[4] = {255, 255, 255, 255};

struct flow *flow_new(void)
{
    struct flow *f = xcalloc(1, sizeof(*f));
    f->others = SIZE_MAX;
    return f;
}

void flow_free(struct flow *f)
{
    if (!f)
        return;
    free(f->others_seen);
    free(f->v);
    free(f->labels);
    free(f);
}

/* ---- lanes ------------------------------------------------------------------------------ */

static bool key_eq(const struct flow_key *a, const struct flow_key *b)
{
    return a->kind == b->kind && a->addr_len == b->addr_len &&
           memcmp(a->addr, b->addr, a->addr_len) == 0;
}

static struct flow_key key_ip(const uint8_t *addr, uint8_t len)
{
    struct flow_key k = {.kind = FLOW_LANE_IP, .addr_len = len};
    /* Broadcasts get one lane of their own rather than an arrow to every lane: the hosts not
     * yet seen (or never seen) receive them too, and a fan of arrows would fill a projector's
     * screen for one frame. */
    if (len == 4 && memcmp(addr, broadcast_ip4, 4) == 0)
        return (struct flow_key){.kind = FLOW_LANE_BROADCAST};
    memcpy(k.addr, addr, len);
    return k;
}

static struct flow_key key_mac(const uint8_t mac[6])
{
    if (memcmp(mac, broadcast_mac, 6) == 0)
        return (struct flow_key){.kind = FLOW_LANE_BROADCAST};
    struct flow_key k = {.kind = FLOW_LANE_MAC, .addr_len = 6};
    memcpy(k.addr, mac, 6);
    return k;
}

/* Counts `k` among the hosts of the others lane (once each, up to FLOW_OTHERS_COUNTED). */
static void count_other(struct flow *f, const struct flow_key *k)
{
    for (size_t i = 0; i < f->nothers_seen; i++)
        if (key_eq(&f->others_seen[i], k))
            return;
    if (f->nothers_seen >= FLOW_OTHERS_COUNTED) {
        f->others_more = true;
        return;
    }
    f->others_seen =
        xgrow(f->others_seen, &f->others_seen_cap, f->nothers_seen + 1, sizeof(*f->others_seen));
    f->others_seen[f->nothers_seen++] = *k;
}

/* The lane of `k`, made when it is new (the others lane once FLOW_MAX_LANES are named). */
static size_t lane_of(struct flow *f, const struct flow_key *k, uint64_t frame)
{
    for (size_t i = 0; i < f->nlanes; i++)
        if (i != f->others && key_eq(&f->lanes[i].key, k))
            return i;
    size_t named = f->nlanes - (f->others != SIZE_MAX);
    if (named < FLOW_MAX_LANES && f->others == SIZE_MAX) {
        struct flow_lane *ln = &f->lanes[f->nlanes];
        memset(ln, 0, sizeof(*ln));
        ln->key = *k;
        ln->first_frame = frame;
        return f->nlanes++;
    }
    if (f->others == SIZE_MAX) {
        f->others = f->nlanes++;
        struct flow_lane *ln = &f->lanes[f->others];
        memset(ln, 0, sizeof(*ln));
        ln->key.kind = FLOW_LANE_OTHERS;
        ln->first_frame = frame;
    }
    count_other(f, k);
    return f->others;
}

static void claim(struct flow *f, size_t lane, const struct dissection *d, enum field_id id)
{
    struct flow_lane *ln = &f->lanes[lane];
    if (ln->key.kind != FLOW_LANE_MAC || ln->has_claim)
        return;
    const struct field *fl = dis_find(d, id);
    const uint8_t *ip = fl ? dis_field_bytes(d, fl, 4) : NULL;
    static const uint8_t zero[4];
    if (!ip || memcmp(ip, zero, 4) == 0) /* an ARP probe claims nothing yet */
        return;
    memcpy(ln->claim, ip, 4);
    ln->has_claim = true;
}

void flow_lane_name(struct strbuf *sb, const struct flow *f, size_t i)
{
    const struct flow_lane *ln = &f->lanes[i];
    switch (ln->key.kind) {
    case FLOW_LANE_IP:
        sb_ip(sb, ln->key.addr, ln->key.addr_len);
        break;
    case FLOW_LANE_MAC:
        sb_mac(sb, ln->key.addr);
        if (ln->has_claim) {
            sb_puts(sb, " (");
            sb_ipv4(sb, ln->claim);
            sb_putc(sb, ')');
        }
        break;
    case FLOW_LANE_BROADCAST:
        sb_puts(sb, "broadcast");
        break;
    default:
        sb_printf(sb, "others (%s%zu host%s)", f->others_more ? "more than " : "", f->nothers_seen,
                  f->nothers_seen == 1 && !f->others_more ? "" : "s");
        break;
    }
}

/* ---- labels ----------------------------------------------------------------------------- */

/* Appends the summary's text with runs of spaces made one and its arrows ("→") made "->". */
static void put_compact(struct strbuf *sb, const char *s)
{
    bool space = sb->len == 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == 0xe2 && (unsigned char)s[1] == 0x86 && (unsigned char)s[2] == 0x92) {
            sb_puts(sb, "->");
            s += 2;
            space = false;
        } else if (c == ' ') {
            if (!space)
                sb_putc(sb, ' ');
            space = true;
        } else {
            /* Other non-ASCII bytes (the summary's UTF-8) would not survive every format. */
            sb_putc(sb, c >= 0x20 && c < 0x7f ? (char)c : '.');
            space = false;
        }
    }
    while (sb->len && sb->buf[sb->len - 1] == ' ')
        sb->len--;
}

static void arrow_label(struct strbuf *sb, const struct dissection *d, const struct track_info *ti,
                        const struct summary *sum)
{
    const struct dis_summary *s = &d->sum;
    bool tcp_plain = s->l4 == PS_IPPROTO_TCP && strcmp(sum->proto, "TCP") == 0 && ti &&
                     ti->proto == PS_IPPROTO_TCP;
    if (tcp_plain) {
        /* The ladder's words: flags, relative seq/ack, payload length, analysis marks. */
        sb_printf(sb, "TCP %u->%u ", s->sport, s->dport);
        format_tcp_flags_sep(sb, s->tcp_flags, ",", "none");
        sb_printf(sb, " seq=%" PRIu32, ti->rel_seq);
        if (s->tcp_flags & TCP_ACK)
            sb_printf(sb, " ack=%" PRIu32, ti->rel_ack);
        sb_printf(sb, " len=%" PRIu32, s->payload_len);
        if (s->tcp_pdu_open && s->tcp_pdu_proto)
            sb_printf(sb, " (%s segment)", proto_info((enum proto_id)s->tcp_pdu_proto)->col_name);
        for (uint32_t bit = 1; bit; bit <<= 1)
            if (ti->analysis & bit)
                sb_printf(sb, " [%s]", format_analysis_label(bit));
        return;
    }
    /* The protocol first, unless the info says it already ("DHCP Discover"). */
    size_t pl = strlen(sum->proto);
    if (pl && strncmp(sum->info, sum->proto, pl) != 0) {
        put_compact(sb, sum->proto);
        sb_putc(sb, ' ');
    }
    put_compact(sb, sum->info);
}

static uint8_t arrow_attr(const struct dissection *d, const struct summary *sum)
{
    if (d->sum.l3 == L3_ARP)
        return ATTR_CR_ARP;
    return sum->info_attr;
}

bool flow_add(struct flow *f, const struct dissection *d, const struct track_info *ti,
              int64_t ts_sec, uint32_t ts_nsec, uint64_t frame)
{
    if (!f || !d)
        return false;
    const struct dis_summary *s = &d->sum;
    struct flow_key from, to;
    bool arp = s->l3 == L3_ARP;
    if (s->addr_len == 4 || s->addr_len == 16) {
        from = key_ip(s->src, s->addr_len);
        to = key_ip(s->dst, s->addr_len);
    } else if (s->has_eth) {
        /* ARP and the frames without IP: the network's addresses are the MACs (Wireshark's
         * flow graph does the same), named below with the IPv4 address an ARP claims. */
        const struct field *fl = arp ? dis_find(d, FID_ARP_SRC_HW_MAC) : NULL;
        const uint8_t *smac = fl ? dis_field_bytes(d, fl, 6) : NULL;
        from = key_mac(smac ? smac : s->eth_src);
        to = key_mac(s->eth_dst);
    } else {
        f->unplaced++;
        return false;
    }
    if (f->n >= LADDER_MAX_ARROWS) {
        f->dropped++;
        return false;
    }
    size_t a = lane_of(f, &from, frame), b = lane_of(f, &to, frame);
    if (arp) {
        claim(f, a, d, FID_ARP_SRC_PROTO_IPV4);
        if (s->arp_op == 2) /* a reply goes to the asker, whose address the request gave */
            claim(f, b, d, FID_ARP_DST_PROTO_IPV4);
    }
    f->lanes[a].packets++;
    if (b != a)
        f->lanes[b].packets++;

    struct summary sum;
    format_summary(&sum, d, ti);
    char lab[FLOW_LABEL_MAX + 1];
    struct strbuf lb;
    sb_init(&lb, lab, sizeof(lab));
    arrow_label(&lb, d, ti, &sum);
    size_t ll = lb.len > FLOW_LABEL_MAX ? FLOW_LABEL_MAX : lb.len;

    f->labels = xgrow(f->labels, &f->labels_cap, f->labels_len + ll, 1);
    memcpy(f->labels + f->labels_len, lab, ll);
    f->v = xgrow(f->v, &f->cap, f->n + 1, sizeof(*f->v));
    struct flow_arrow *ar = &f->v[f->n++];
    memset(ar, 0, sizeof(*ar));
    ar->frame = frame;
    ar->ts_sec = ts_sec;
    ar->ts_nsec = ts_nsec;
    ar->from = (uint8_t)a;
    ar->to = (uint8_t)b;
    ar->attr = arrow_attr(d, &sum);
    ar->label_off = (uint32_t)f->labels_len;
    ar->label_len = (uint16_t)ll;
    f->labels_len += ll;
    return true;
}

static const char *label_of(const struct flow *f, const struct flow_arrow *a)
{
    return f->labels + a->label_off;
}

/* ---- notes shared by every format ------------------------------------------------------- */

enum { NOTE_BROADCAST, NOTE_OTHERS, NOTE_UNPLACED, NOTE_DROPPED, NOTE_EMPTY, NOTE__COUNT };

/* The explanation `which`, or false when it does not apply to this flow. */
static bool note_text(const struct flow *f, int which, struct strbuf *sb)
{
    switch (which) {
    case NOTE_BROADCAST:
        for (size_t i = 0; i < f->nlanes; i++)
            if (f->lanes[i].key.kind == FLOW_LANE_BROADCAST) {
                sb_puts(sb, "broadcast: to ff:ff:ff:ff:ff:ff or 255.255.255.255, for every host "
                            "on the link");
                return true;
            }
        return false;
    case NOTE_OTHERS:
        if (f->others == SIZE_MAX)
            return false;
        sb_printf(sb, "others: %s%zu more host%s share one lane (%d lanes are named)",
                  f->others_more ? "more than " : "", f->nothers_seen,
                  f->nothers_seen == 1 && !f->others_more ? "" : "s", FLOW_MAX_LANES);
        return true;
    case NOTE_UNPLACED:
        if (!f->unplaced)
            return false;
        sb_printf(sb, "%" PRIu64 " frame%s without an IP or MAC address not drawn", f->unplaced,
                  f->unplaced == 1 ? "" : "s");
        return true;
    case NOTE_DROPPED:
        if (!f->dropped)
            return false;
        sb_printf(sb, "%" PRIu64 " more packets not drawn: the flow holds %u arrows", f->dropped,
                  LADDER_MAX_ARROWS);
        return true;
    case NOTE_EMPTY:
        if (f->n)
            return false;
        sb_puts(sb, "no packet to draw");
        return true;
    default:
        return false;
    }
}

/* ---- text ------------------------------------------------------------------------------- */

static char lane_letter(size_t i)
{
    return (char)('A' + i);
}

/* How far apart the lanes are drawn for `width` columns (0: a file). */
static size_t lane_spacing(const struct flow *f, size_t width)
{
    if (!width || f->nlanes < 2)
        return FLOW_SPACING;
    size_t fixed = FLOW_PREFIX + 3 + FLOW_MIN_LABEL;
    size_t sp = width > fixed ? (width - fixed) / (f->nlanes - 1) : 0;
    if (sp > FLOW_SPACING)
        sp = FLOW_SPACING;
    return sp < FLOW_MIN_SPACING ? FLOW_MIN_SPACING : sp;
}

/* Appends `s[0..n)`, cut for a terminal at the last word end that fits in `room` columns
 * (with "..." after it), so an address is shown whole or not at all. */
static void put_fitted(struct strbuf *sb, const char *s, size_t n, size_t room)
{
    if (!room || n <= room) {
        sb_putn(sb, s, n);
        return;
    }
    if (room <= 3) {
        sb_putn(sb, "...", room);
        return;
    }
    size_t cut = room - 3;
    while (cut > 0 && s[cut] != ' ')
        cut--;
    while (cut > 0 && s[cut - 1] == ' ')
        cut--;
    sb_putn(sb, s, cut);
    sb_puts(sb, "...");
}

/* The legend: "A 0.0.0.0   B broadcast   ...", entries whole, wrapped at `width`. */
static void render_legend(const struct flow *f, size_t width, struct lines *out)
{
    char name[96];
    struct strbuf nb;
    struct line *ln = NULL;
    size_t col = 0;
    for (size_t i = 0; i < f->nlanes; i++) {
        sb_init(&nb, name, sizeof(name));
        flow_lane_name(&nb, f, i);
        size_t need = 2 + nb.len + (col ? 3 : 0);
        if (ln && col + need > width) {
            lines_end(out);
            ln = NULL;
        }
        if (!ln) {
            ln = lines_begin(out, ATTR_NORMAL);
            ln->ref = -1;
            lines_add(out, ATTR_NORMAL, "  ", 2);
            col = 2;
        } else {
            lines_add(out, ATTR_NORMAL, "   ", 3);
            col += 3;
        }
        char letter = lane_letter(i);
        lines_add(out, ATTR_HEADER, &letter, 1);
        lines_add(out, ATTR_NORMAL, " ", 1);
        uint8_t at = f->lanes[i].key.kind == FLOW_LANE_IP || f->lanes[i].key.kind == FLOW_LANE_MAC
                         ? ATTR_ADDR
                         : ATTR_NOTE;
        lines_add(out, at, name, nb.len);
        col += 2 + nb.len;
    }
    if (ln)
        lines_end(out);
}

void flow_render_text(const struct flow *f, size_t width, struct lines *out)
{
    if (!f || !out)
        return;
    char buf[1024];
    struct strbuf sb;
    size_t wrap = width ? width : LADDER_TEXT_WIDTH;
    sb_init(&sb, buf, sizeof(buf));
    sb_printf(&sb, "Flow: %zu packet%s, %zu lane%s", f->n, f->n == 1 ? "" : "s", f->nlanes,
              f->nlanes == 1 ? "" : "s");
    if (f->n)
        sb_printf(&sb, ", frames %" PRIu64 "-%" PRIu64 "; time runs down", f->v[0].frame,
                  f->v[f->n - 1].frame);
    diagram_line(out, ATTR_HEADER, buf, sb.len, -1);
    render_legend(f, wrap, out);
    for (int k = 0; k < NOTE__COUNT; k++) {
        char note[256];
        struct strbuf nb;
        sb_init(&nb, note, sizeof(note));
        if (!note_text(f, k, &nb))
            continue;
        sb_init(&sb, buf, sizeof(buf));
        sb_puts(&sb, "  ");
        put_fitted(&sb, note, nb.len, width > 2 ? width - 2 : width ? 1 : 0);
        diagram_line(out, k == NOTE_DROPPED ? ATTR_WARN : ATTR_NOTE, buf, sb.len, -1);
    }
    if (!f->n)
        return;

    size_t sp = lane_spacing(f, width);
    size_t last = FLOW_PREFIX + (f->nlanes - 1) * sp;
    size_t label_col = last + 3;
    sb_init(&sb, buf, sizeof(buf));
    sb_puts(&sb, " frame");
    for (size_t i = 0; i < f->nlanes; i++) {
        diagram_pad(&sb, FLOW_PREFIX + i * sp);
        sb_putc(&sb, lane_letter(i));
    }
    diagram_line(out, ATTR_HEADER, buf, sb.len, -1);

    for (size_t i = 0; i < f->n; i++) {
        const struct flow_arrow *a = &f->v[i];
        sb_init(&sb, buf, sizeof(buf));
        sb_printf(&sb, "%6" PRIu64, a->frame);
        diagram_pad(&sb, label_col);
        for (size_t k = 0; k < f->nlanes; k++)
            buf[FLOW_PREFIX + k * sp] = '|';
        size_t xa = FLOW_PREFIX + a->from * sp, xb = FLOW_PREFIX + a->to * sp;
        if (xa < xb) {
            for (size_t c = xa + 1; c + 1 < xb; c++)
                buf[c] = '-';
            buf[xb - 1] = '>';
        } else if (xb < xa) {
            buf[xb + 1] = '<';
            for (size_t c = xb + 2; c < xa; c++)
                buf[c] = '-';
        } else {
            buf[xa] = 'o'; /* from and to the same lane */
        }
        size_t room = width > label_col ? width - label_col : width ? 1 : 0;
        size_t lstart = sb.len;
        put_fitted(&sb, label_of(f, a), a->label_len, room);
        struct line *ln = lines_begin(out, ATTR_NORMAL);
        ln->ref = diagram_ref(a->frame);
        lines_add(out, ATTR_DIM, buf, FLOW_PREFIX);
        lines_add(out, a->attr, buf + FLOW_PREFIX, lstart - FLOW_PREFIX);
        lines_add(out, a->attr, buf + lstart, sb.len - lstart);
        lines_end(out);
    }
}

/* ---- Mermaid and PlantUML --------------------------------------------------------------- */

static void render_seq(const struct flow *f, bool mermaid, struct lines *out)
{
    char buf[512], lab[256];
    struct strbuf sb, lb;
    diagram_seq_begin(out, mermaid);
    for (size_t i = 0; i < f->nlanes; i++) {
        sb_init(&lb, lab, sizeof(lab));
        flow_lane_name(&lb, f, i);
        sb_init(&sb, buf, sizeof(buf));
        if (mermaid) {
            sb_printf(&sb, "    participant L%zu as ", i);
            diagram_put_text(&sb, lab, lb.len);
        } else {
            sb_puts(&sb, "participant \"");
            diagram_put_text(&sb, lab, lb.len);
            sb_printf(&sb, "\" as L%zu", i);
        }
        diagram_line(out, ATTR_NORMAL, buf, sb.len, -1);
    }
    /* The notes, over the first lane (over all of them would need two names that exist). */
    for (int k = 0; k < NOTE__COUNT; k++) {
        sb_init(&lb, lab, sizeof(lab));
        if (!note_text(f, k, &lb) || !f->nlanes)
            continue;
        sb_init(&sb, buf, sizeof(buf));
        if (f->nlanes > 1)
            sb_printf(&sb,
                      mermaid ? "    Note over L0,L%zu: " : "note over L0, L%zu : ", f->nlanes - 1);
        else
            sb_puts(&sb, mermaid ? "    Note over L0: " : "note over L0 : ");
        diagram_put_text(&sb, lab, lb.len);
        diagram_line(out, ATTR_NORMAL, buf, sb.len, -1);
    }
    for (size_t i = 0; i < f->n; i++) {
        const struct flow_arrow *a = &f->v[i];
        sb_init(&sb, buf, sizeof(buf));
        if (mermaid)
            sb_printf(&sb, "    L%u->>L%u: ", a->from, a->to);
        else
            sb_printf(&sb, "L%u -> L%u : ", a->from, a->to);
        sb_init(&lb, lab, sizeof(lab));
        sb_printf(&lb, "[%" PRIu64 "] ", a->frame);
        sb_putn(&lb, label_of(f, a), a->label_len);
        diagram_put_text(&sb, lab, lb.len);
        diagram_line(out, ATTR_NORMAL, buf, sb.len, diagram_ref(a->frame));
    }
    diagram_seq_end(out, mermaid);
}

/* ---- SVG -------------------------------------------------------------------------------- */

#define SVG_X0 90     /* the first lane */
#define SVG_LANE 150  /* between lanes */
#define SVG_TOP 64    /* the first arrow */
#define SVG_STEP 24   /* between arrows */
#define SVG_NOTE 16   /* between notes */
#define SVG_LABEL 600 /* room for the labels right of the lanes */
#define SVG_MAX_ROWS 20000u

static const char *svg_colour(uint8_t attr)
{
    switch (attr) {
    case ATTR_RST:
    case ATTR_ERROR:
        return "#c62828";
    case ATTR_WARN:
        return "#b26a00";
    case ATTR_SYN:
        return "#2e7d32";
    case ATTR_FIN:
        return "#ef6c00";
    case ATTR_CR_ARP:
        return "#6a1b9a";
    default:
        return "#222222";
    }
}

static void render_svg(const struct flow *f, struct lines *out)
{
    char buf[1024], lab[256];
    struct strbuf sb, lb;
    size_t rows = f->n > SVG_MAX_ROWS ? SVG_MAX_ROWS : f->n;
    unsigned nnotes = 0;
    for (int k = 0; k < NOTE__COUNT; k++) {
        sb_init(&lb, lab, sizeof(lab));
        nnotes += note_text(f, k, &lb);
    }
    size_t nl = f->nlanes ? f->nlanes : 1;
    unsigned label_x = SVG_X0 + (unsigned)(nl - 1) * SVG_LANE + 30;
    unsigned width = label_x + SVG_LABEL;
    unsigned lanes_end = SVG_TOP + (unsigned)rows * SVG_STEP;
    unsigned height = lanes_end + 20 + nnotes * SVG_NOTE + 10;

    char title[96];
    snprintf(title, sizeof(title), "flow: %zu packets, %zu lanes", f->n, f->nlanes);
    diagram_svg_begin(out, width, height, title);
    for (size_t i = 0; i < f->nlanes; i++) {
        unsigned x = SVG_X0 + (unsigned)i * SVG_LANE;
        sb_init(&lb, lab, sizeof(lab));
        flow_lane_name(&lb, f, i);
        /* Heads alternate between two rows, so that long names of neighbours do not meet. */
        sb_init(&sb, buf, sizeof(buf));
        sb_printf(&sb, "<text x=\"%u\" y=\"%u\" text-anchor=\"middle\" font-weight=\"bold\">", x,
                  i % 2 ? 36u : 20u);
        diagram_put_xml(&sb, lab, lb.len);
        sb_puts(&sb, "</text>");
        diagram_line(out, ATTR_NORMAL, buf, sb.len, -1);
        sb_init(&sb, buf, sizeof(buf));
        sb_printf(&sb,
                  "<line x1=\"%u\" y1=\"%u\" x2=\"%u\" y2=\"%u\" stroke=\"#888888\" "
                  "stroke-width=\"2\"/>",
                  x, SVG_TOP - 20, x, lanes_end);
        diagram_line(out, ATTR_NORMAL, buf, sb.len, -1);
    }
    for (size_t i = 0; i < rows; i++) {
        const struct flow_arrow *a = &f->v[i];
        unsigned y = SVG_TOP + (unsigned)i * SVG_STEP;
        unsigned x1 = SVG_X0 + a->from * SVG_LANE, x2 = SVG_X0 + a->to * SVG_LANE;
        const char *colour = svg_colour(a->attr);
        sb_init(&sb, buf, sizeof(buf));
        if (x1 != x2)
            sb_printf(&sb,
                      "<line x1=\"%u\" y1=\"%u\" x2=\"%u\" y2=\"%u\" stroke=\"%s\" "
                      "stroke-width=\"1.5\" marker-end=\"url(#head)\"/>",
                      x1, y, x2, y, colour);
        else /* within one lane: a small loop back to it */
            sb_printf(&sb,
                      "<path d=\"M%u,%u h24 v8 h-24\" fill=\"none\" stroke=\"%s\" "
                      "stroke-width=\"1.5\" marker-end=\"url(#head)\"/>",
                      x1, y - 4, colour);
        diagram_line(out, ATTR_NORMAL, buf, sb.len, -1);
        sb_init(&sb, buf, sizeof(buf));
        sb_printf(&sb, "<text x=\"10\" y=\"%u\" fill=\"#555555\">%" PRIu64 "</text>", y + 4,
                  a->frame);
        diagram_line(out, ATTR_NORMAL, buf, sb.len, -1);
        sb_init(&sb, buf, sizeof(buf));
        sb_printf(&sb, "<text x=\"%u\" y=\"%u\" fill=\"%s\">", label_x, y + 4, colour);
        diagram_put_xml(&sb, label_of(f, a), a->label_len);
        sb_puts(&sb, "</text>");
        diagram_line(out, ATTR_NORMAL, buf, sb.len, diagram_ref(a->frame));
    }
    unsigned y = lanes_end + 20;
    if (f->n > rows) {
        sb_init(&lb, lab, sizeof(lab));
        sb_printf(&lb, "%zu more arrows not drawn in the SVG", f->n - rows);
        sb_init(&sb, buf, sizeof(buf));
        sb_printf(&sb, "<text x=\"10\" y=\"%u\" fill=\"#b26a00\">", lanes_end + 10);
        diagram_put_xml(&sb, lab, lb.len);
        sb_puts(&sb, "</text>");
        diagram_line(out, ATTR_NORMAL, buf, sb.len, -1);
    }
    for (int k = 0; k < NOTE__COUNT; k++) {
        sb_init(&lb, lab, sizeof(lab));
        if (!note_text(f, k, &lb))
            continue;
        sb_init(&sb, buf, sizeof(buf));
        sb_printf(&sb, "<text x=\"10\" y=\"%u\" fill=\"#555555\">", y);
        diagram_put_xml(&sb, lab, lb.len);
        sb_puts(&sb, "</text>");
        diagram_line(out, ATTR_NORMAL, buf, sb.len, -1);
        y += SVG_NOTE;
    }
    diagram_line(out, ATTR_NORMAL, "</svg>", strlen("</svg>"), -1);
}

void flow_render(const struct flow *f, enum ladder_format fmt, struct lines *out)
{
    if (!f || !out)
        return;
    switch (fmt) {
    case LADDER_MERMAID:
        render_seq(f, true, out);
        break;
    case LADDER_PLANTUML:
        render_seq(f, false, out);
        break;
    case LADDER_SVG:
        render_svg(f, out);
        break;
    default:
        flow_render_text(f, 0, out);
        break;
    }
}

int flow_print(const struct flow *f, enum ladder_format fmt, FILE *out)
{
    struct lines ls;
    lines_init(&ls);
    flow_render(f, fmt, &ls);
    lines_print(&ls, out);
    lines_release(&ls);
    return ferror(out) ? -1 : 0;
}
