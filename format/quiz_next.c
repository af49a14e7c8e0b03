/*
 * The TUI's quiz: one packet as the class is asked to predict it (quiz.h, struct quiz_next),
 * the answers read from its dissection and the tracker's record of it, and the reasons from the
 * tracker's model (the sender's next sequence number, the receiver's, the phase) in the same
 * words as the worksheet (quiz_rule_text).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "dissect/numbers.h"
#include "format/format.h"
#include "format/quiz.h"
#include "util/strbuf.h"

static void put_end(char *buf, size_t size, const uint8_t *addr, size_t len, bool port, uint16_t p)
{
    struct strbuf sb;
    sb_init(&sb, buf, size);
    if (len == 16 && port)
        sb_putc(&sb, '[');
    sb_ip(&sb, addr, len);
    if (len == 16 && port)
        sb_putc(&sb, ']');
    if (port)
        sb_printf(&sb, ":%u", p);
}

/* Whether (a, pa) orders before (b, pb). */
static bool lower(const uint8_t *a, uint16_t pa, const uint8_t *b, uint16_t pb, size_t len)
{
    int c = memcmp(a, b, len);
    return c < 0 || (c == 0 && pa < pb);
}

static const uint8_t *ipv4_field(const struct dissection *d, enum field_id id)
{
    const struct field *f = dis_find(d, id);
    return f && f->len == 4 ? dis_field_bytes(d, f, 4) : NULL;
}

static void why_flags(struct quiz_next *qn, uint16_t fl)
{
    struct strbuf sb;
    sb_init(&sb, qn->why[QUIZ_PART_FLAGS], QUIZ_WHY_LEN);
    const char *sep = "";
    if (fl & TCP_SYN) {
        sb_puts(&sb, (fl & TCP_ACK) ? "SYN+ACK: the server answers the client's SYN"
                                    : "SYN: the client opens the connection");
        sep = "; ";
    }
    if (fl & TCP_FIN) {
        sb_printf(&sb, "%sFIN: this end will send no more", sep);
        sep = "; ";
    }
    if (fl & TCP_RST) {
        sb_printf(&sb, "%sRST: the connection is aborted", sep);
        sep = "; ";
    }
    if (fl & TCP_PSH) {
        sb_printf(&sb, "%sPSH: it carries data to hand to the application now", sep);
        sep = "; ";
    }
    if ((fl & TCP_ACK) && !(fl & TCP_SYN))
        sb_printf(&sb, "%sACK: every segment after the first SYN acknowledges", sep);
}

static void why_seq(struct quiz_next *qn, const struct dissection *d, const struct track_info *ti)
{
    struct strbuf sb;
    sb_init(&sb, qn->why[QUIZ_PART_SEQ], QUIZ_WHY_LEN);
    uint32_t seq = ti->rel_seq, next = ti->next_seq;
    if (d->sum.tcp_flags & TCP_SYN)
        sb_printf(&sb,
                  "seq 0 is the sender's initial sequence number (ISN, raw %" PRIu32
                  "), picked at random and shown relative as 0",
                  d->sum.seq);
    else if (ti->analysis &
             (TA_RETRANSMISSION | TA_FAST_RETRANSMISSION | TA_SPURIOUS_RETRANSMISSION))
        sb_printf(&sb,
                  "seq %" PRIu32 " is behind where this sender had got to (%" PRIu32
                  "): it sends those bytes again (a retransmission)",
                  seq, next);
    else if (seq == 1)
        sb_printf(&sb, "seq 1 = its ISN (0) + 1, because %s", quiz_rule_text(QUIZ_RULE_SYN_ONE));
    else if (seq == next)
        sb_printf(&sb,
                  "seq %" PRIu32 ": where this sender left off, the number after the last one "
                  "it used (its bytes, and one for its SYN: %s)",
                  seq, quiz_rule_text(QUIZ_RULE_SYN_ONE));
    else if (seq > next)
        sb_printf(&sb,
                  "seq %" PRIu32 " is past where this sender had got to (%" PRIu32
                  "): the bytes between were lost or not captured",
                  seq, next);
    else
        sb_printf(&sb, "seq %" PRIu32 ": before where this sender had got to (%" PRIu32 ")", seq,
                  next);
}

static void why_ack(struct quiz_next *qn, const struct dissection *d, const struct track_info *ti)
{
    struct strbuf sb;
    sb_init(&sb, qn->why[QUIZ_PART_ACK], QUIZ_WHY_LEN);
    uint16_t fl = d->sum.tcp_flags;
    uint32_t ack = ti->rel_ack;
    if (!(fl & TCP_ACK))
        sb_puts(&sb, (fl & TCP_SYN) ? "no ACK flag: the first SYN has nothing to acknowledge"
                                    : "no ACK flag: it acknowledges nothing");
    else if (ack == 1)
        sb_printf(&sb, "ack 1 = the other end's ISN (0) + 1, because %s; %s",
                  quiz_rule_text(QUIZ_RULE_SYN_ONE), quiz_rule_text(QUIZ_RULE_ACK_NEXT));
    else if (ack == ti->peer_next)
        sb_printf(&sb,
                  "ack %" PRIu32 ": all the other end sent so far, plus one for its SYN (and one "
                  "for a FIN): %s",
                  ack, quiz_rule_text(QUIZ_RULE_ACK_NEXT));
    else if (ack < ti->peer_next)
        sb_printf(&sb,
                  "ack %" PRIu32 ": behind what the other end sent (%" PRIu32
                  "): the rest had not arrived yet when this was sent; %s",
                  ack, ti->peer_next, quiz_rule_text(QUIZ_RULE_ACK_NEXT));
    else
        sb_printf(&sb, "ack %" PRIu32 ": %s", ack, quiz_rule_text(QUIZ_RULE_ACK_NEXT));
}

/* Whether the packet asks or answers, for the protocols where one does: 0 neither. */
static unsigned kind_of(const struct dissection *d, struct quiz_next *qn)
{
    const struct field *f;
    if (d->sum.l3 == L3_ARP && (f = dis_find(d, FID_ARP_OPCODE)) != NULL &&
        (f->value == 1 || f->value == 2)) {
        qn->kind_name[0] = "request";
        qn->kind_name[1] = "reply";
        return (unsigned)f->value;
    }
    if ((f = dis_find(d, FID_DNS_FLAGS_RESPONSE)) != NULL) {
        qn->kind_name[0] = "query";
        qn->kind_name[1] = "response";
        return f->value ? 2 : 1;
    }
    if ((f = dis_find(d, FID_ICMP_TYPE)) != NULL && (f->value == 8 || f->value == 0)) {
        qn->kind_name[0] = "echo request";
        qn->kind_name[1] = "echo reply";
        return f->value == 8 ? 1 : 2;
    }
    if ((f = dis_find(d, FID_ICMPV6_TYPE)) != NULL && (f->value == 128 || f->value == 129)) {
        qn->kind_name[0] = "echo request";
        qn->kind_name[1] = "echo reply";
        return f->value == 128 ? 1 : 2;
    }
    return 0;
}

bool quiz_next_of(const struct dissection *d, const struct track_info *ti, struct quiz_next *qn)
{
    memset(qn, 0, sizeof(*qn));
    const struct dis_summary *s = &d->sum;
    const uint8_t *src, *dst;
    size_t len;
    bool ports = s->l4 == PS_IPPROTO_TCP || s->l4 == PS_IPPROTO_UDP;
    uint16_t sp = ports ? s->sport : 0, dp = ports ? s->dport : 0;
    if (s->l3 == L3_ARP) {
        src = ipv4_field(d, FID_ARP_SRC_PROTO_IPV4);
        dst = ipv4_field(d, FID_ARP_DST_PROTO_IPV4);
        len = 4;
        snprintf(qn->what, sizeof(qn->what), "ARP");
    } else if (s->addr_len == 4 || s->addr_len == 16) {
        src = s->src;
        dst = s->dst;
        len = s->addr_len;
        if (ti->flags & TI_HAS_STREAM)
            snprintf(qn->what, sizeof(qn->what), "%s stream %" PRIu32,
                     s->l4 == PS_IPPROTO_TCP   ? "TCP"
                     : s->l4 == PS_IPPROTO_UDP ? "UDP"
                                               : "ICMP",
                     ti->stream);
        else
            snprintf(qn->what, sizeof(qn->what), "IPv%u", s->addr_len == 4 ? 4u : 6u);
    } else {
        return false;
    }
    if (!src || !dst || (memcmp(src, dst, len) == 0 && sp == dp))
        return false;
    /* The order of the two ends: client first when the roles are known, else the lower. */
    bool roles = (ti->roles & TIR_RULE_MASK) != ROLE_NONE && (ti->flags & TI_HAS_STREAM);
    bool src_first = roles ? track_from_client(ti) : lower(src, sp, dst, dp, len);
    put_end(qn->end[0], sizeof(qn->end[0]), src_first ? src : dst, len, ports, src_first ? sp : dp);
    put_end(qn->end[1], sizeof(qn->end[1]), src_first ? dst : src, len, ports, src_first ? dp : sp);
    if (roles) {
        snprintf(qn->end_role[0], sizeof(qn->end_role[0]), "client");
        snprintf(qn->end_role[1], sizeof(qn->end_role[1]), "server");
    }
    qn->dir = src_first ? 1 : 2;
    qn->asks[QUIZ_PART_DIR] = true;
    snprintf(qn->why[QUIZ_PART_DIR], QUIZ_WHY_LEN, "sent by %s%s%s", qn->end[qn->dir - 1],
             roles ? ", the " : "", roles ? qn->end_role[qn->dir - 1] : "");
    if (s->l4 == PS_IPPROTO_TCP && (ti->flags & TI_HAS_STREAM) && !s->later_fragment) {
        static const struct {
            uint16_t bit;
            char letter;
        } letters[] = {
            {TCP_SYN, 'S'}, {TCP_ACK, 'A'}, {TCP_FIN, 'F'}, {TCP_RST, 'R'}, {TCP_PSH, 'P'}};
        size_t n = 0;
        for (size_t i = 0; i < sizeof(letters) / sizeof(letters[0]); i++)
            if (s->tcp_flags & letters[i].bit)
                qn->flags[n++] = letters[i].letter;
        qn->flags[n] = '\0';
        qn->seq = ti->rel_seq;
        qn->has_ack = (s->tcp_flags & TCP_ACK) != 0;
        qn->ack = qn->has_ack ? ti->rel_ack : 0;
        qn->asks[QUIZ_PART_FLAGS] = qn->asks[QUIZ_PART_SEQ] = qn->asks[QUIZ_PART_ACK] = true;
        why_flags(qn, s->tcp_flags);
        why_seq(qn, d, ti);
        why_ack(qn, d, ti);
    }
    qn->kind = kind_of(d, qn);
    if (qn->kind) {
        qn->asks[QUIZ_PART_KIND] = true;
        if (qn->kind == 2 && ti->pair_frame)
            snprintf(qn->why[QUIZ_PART_KIND], QUIZ_WHY_LEN,
                     "a %s: it answers the %s in frame %" PRIu32, qn->kind_name[1],
                     qn->kind_name[0], ti->pair_frame);
        else if (qn->kind == 2)
            snprintf(qn->why[QUIZ_PART_KIND], QUIZ_WHY_LEN, "a %s: it answers", qn->kind_name[1]);
        else
            snprintf(qn->why[QUIZ_PART_KIND], QUIZ_WHY_LEN, "a %s: it asks, and waits for the %s",
                     qn->kind_name[0], qn->kind_name[1]);
    }
    return true;
}

bool quiz_flags_parse(const char *text, char out[6])
{
    static const char order[] = "SAFRP";
    bool have[5] = {false};
    for (const char *p = text; *p; p++) {
        if (*p == ' ' || *p == ',' || *p == '+')
            continue;
        char c = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
        const char *at = strchr(order, c);
        if (!at || !c)
            return false;
        have[at - order] = true;
    }
    size_t n = 0;
    for (int i = 0; i < 5; i++)
        if (have[i])
            out[n++] = order[i];
    out[n] = '\0';
    return true;
}
