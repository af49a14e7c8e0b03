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
        if (len)
            sb_printf(sb, "data: %" PRIu32 " bytes after the handshake", len);
        else
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
}

void format_explain(const struct track_info *info, const struct dissection *d, char *buf,
                    size_t size)
{
    if (!buf || size == 0)
        return;
    struct strbuf sb;
    sb_init(&sb, buf, size);
    if (!info || !d || !(info->flags & TI_HAS_STREAM))
        return;
    const struct dis_summary *s = &d->sum;
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
        } else if (info->flags & TI_HAS_RTT) {
            sep(&sb);
            sb_printf(&sb,
                      "echo reply to the request with seq %u: RTT %" PRIu32 ".%03" PRIu32 " ms",
                      s->icmp_seq, info->rtt_usec / 1000, info->rtt_usec % 1000);
        }
    }
    if (info->app_flags & TIA_DHCP)
        explain_dhcp(&sb, d);
    if (info->flags & TI_HAS_RELATED) {
        sep(&sb);
        sb_printf(&sb, "this ICMP error quotes a packet of %s.stream %" PRIu32,
                  conns_proto_name(info->related_proto), info->related_stream);
    }
}
