/*
 * TCP tracking (RFC 9293): roles, relative numbers, window scaling (RFC 7323), both endpoints'
 * states, the phase of every packet, Wireshark's sequence analysis and Zeek's connection
 * outcome.
 *
 * The analysis follows Wireshark's documented rules (User's Guide, "TCP Analysis", and
 * tcp_analyze_sequence_number() in epan/dissectors/packet-tcp.c) on RAW sequence numbers, with
 * the same "zero means not seen yet" tests, so that the flags agree with tshark packet for
 * packet; where Wireshark's rule is a heuristic (out-of-order's RTT threshold, fast
 * retransmission's 20 ms) the same thresholds are used.
 *
 * Endpoint states are what an observer on the path can infer, applying each packet to its sender
 * (it sent it) and to its receiver (as if delivered). Zeek's conn_state and history use Zeek's
 * own endpoint states (INACTIVE, SYN_SENT, SYN_ACK_SENT, PARTIAL, ESTABLISHED, CLOSED, RESET).
 */
#include <string.h>

#include "track/internal.h"

#define SEQ_LT(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define SEQ_LE(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)
#define SEQ_GT(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) > 0)
#define SEQ_GE(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) >= 0)

#define WS_UNKNOWN (-1) /* no SYN seen in this direction yet (Wireshark's -1) */
#define WS_NONE (-2)    /* scaling not in use: the header's window is the window */

/* Wireshark's out-of-order threshold without a measured handshake RTT: 3 ms. */
#define OOO_DEFAULT_NS 3000000ll
/* Fast retransmission: within 20 ms of the duplicate ACKs. */
#define FASTRT_WINDOW_NS 20000000ll

enum { HIST_S, HIST_H, HIST_F, HIST_R };
enum { CNT_C, CNT_G, CNT_T, CNT_W };
#define ONCE_A 0x1
#define ONCE_D 0x2
#define ONCE_I 0x4
#define ONCE_Q 0x8

static void dir_init(struct tcp_dir *d)
{
    memset(d, 0, sizeof(*d));
    d->wscale = WS_UNKNOWN;
    d->state = TCPS_NONE;
    d->zstate = ZS_INACTIVE;
}

static bool is_well_known(uint16_t port)
{
    return port != 0 && port < 1024;
}

bool tcp_first_packet(struct flow *f, const struct dissection *d, bool a_is_src)
{
    const struct dis_summary *s = &d->sum;
    struct tcp_flow *tf = &f->u.tcp;
    memset(tf, 0, sizeof(*tf));
    dir_init(&tf->d[0]);
    dir_init(&tf->d[1]);
    uint16_t fl = s->tcp_flags;
    bool from_orig;
    if ((fl & (TCP_SYN | TCP_ACK)) == TCP_SYN) {
        from_orig = true;
    } else if ((fl & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)) {
        from_orig = false; /* the SYN was missed: its receiver asked */
        tf->flipped = true;
    } else {
        /* Midstream: Zeek's heuristic, the side on a well-known port is the responder. */
        from_orig = !(is_well_known(s->sport) && !is_well_known(s->dport));
        tf->flipped = !from_orig;
    }
    tf->midstream = (fl & (TCP_SYN | TCP_ACK)) != TCP_SYN;
    f->orig_is_a = from_orig ? a_is_src : !a_is_src;
    return from_orig;
}

bool tcp_is_reuse(const struct flow *f, const struct dissection *d, bool from_orig)
{
    /* Wireshark: a SYN (without ACK) whose seq differs from the base seq of its direction
     * starts a new conversation, and is marked "TCP Port numbers reused". */
    const struct dis_summary *s = &d->sum;
    const struct tcp_dir *fwd = &f->u.tcp.d[from_orig ? 0 : 1];
    return (s->tcp_flags & (TCP_SYN | TCP_ACK)) == TCP_SYN && fwd->base_set &&
           s->seq != fwd->base_seq;
}

/* ---- Wireshark's sequence analysis ------------------------------------------------------ */

/* A keep-alive: no data or one byte, one before the next expected seq. */
static bool is_keep_alive(const struct tcp_dir *fwd, const struct dis_summary *s, uint32_t seglen)
{
    return (seglen == 0 || seglen == 1) && s->seq == fwd->nextseq - 1 &&
           !(s->tcp_flags & (TCP_SYN | TCP_FIN | TCP_RST));
}

/*
 * Whether a segment that does not advance its direction's sequence number is sent again
 * (TA_RETRANSMISSION, with TA_SPURIOUS_RETRANSMISSION or TA_FAST_RETRANSMISSION) or only out of
 * order (TA_OUT_OF_ORDER); 0 for one that advances it, or carries nothing. It reads the
 * connection as the segments before this one left it and changes nothing, so that the
 * reassembly can ask before the segment is tracked (tracker_segment_kind): Wireshark does not
 * take a retransmission into a message it is reassembling.
 */
static uint32_t resend_verdict(const struct tcp_flow *tf, const struct tcp_dir *fwd,
                               const struct tcp_dir *rev, const struct dis_summary *s,
                               uint32_t seglen, int64_t now, bool keep_alive)
{
    uint32_t seq = s->seq;
    uint16_t flags = s->tcp_flags;
    if (!(seglen > 0 || (flags & (TCP_SYN | TCP_FIN))) || keep_alive)
        return 0;
    bool not_advanced = fwd->nextseq && SEQ_LT(seq, fwd->nextseq);
    /* More than one byte at nextseq - 1: new data after a probe, not a resend. */
    if (seglen > 1 && fwd->nextseq - 1 == seq)
        not_advanced = false;
    if (seglen > 0 && rev->lastack && SEQ_LE(seq + seglen, rev->lastack))
        return TA_SPURIOUS_RETRANSMISSION | TA_RETRANSMISSION;
    /* tshark's default: fast retransmission is tested before out-of-order. */
    if (not_advanced && (int32_t)rev->dupacknum >= 2 && rev->lastack == seq &&
        ns_sub(now, rev->lastack_time) < FASTRT_WINDOW_NS)
        return TA_FAST_RETRANSMISSION | TA_RETRANSMISSION;
    int64_t thres = tf->first_rtt ? tf->first_rtt : OOO_DEFAULT_NS;
    uint32_t end = seq + seglen + ((flags & (TCP_SYN | TCP_FIN)) ? 1u : 0u);
    if (not_advanced && ns_sub(now, fwd->nextseq_time) < thres && fwd->nextseq != end)
        return TA_OUT_OF_ORDER;
    return not_advanced ? TA_RETRANSMISSION : 0;
}

uint32_t tcp_resend(const struct flow *f, const struct dissection *d, bool from_orig, int64_t now)
{
    const struct tcp_flow *tf = &f->u.tcp;
    const struct tcp_dir *fwd = &tf->d[from_orig ? 0 : 1], *rev = &tf->d[from_orig ? 1 : 0];
    uint32_t seglen = d->sum.payload_len;
    return resend_verdict(tf, fwd, rev, &d->sum, seglen, now, is_keep_alive(fwd, &d->sum, seglen));
}

static void analyse(struct tcp_flow *tf, struct tcp_dir *fwd, struct tcp_dir *rev,
                    const struct dis_summary *s, uint32_t seglen, uint32_t window, int64_t now,
                    uint64_t frame, struct track_info *ti)
{
    uint32_t seq = s->seq, ack = s->ack;
    uint16_t flags = s->tcp_flags;
    uint32_t ta = 0;
    bool sfr = (flags & (TCP_SYN | TCP_FIN | TCP_RST)) != 0;

    /* Zero window probe: exactly one byte at the next expected seq into a zero window. */
    if (seglen == 1 && seq == fwd->nextseq && rev->window == 0) {
        ta |= TA_ZERO_WINDOW_PROBE;
        goto finished_fwd;
    }
    if (window == 0 && !(flags & (TCP_RST | TCP_FIN | TCP_SYN)))
        ta |= TA_ZERO_WINDOW;
    if (fwd->nextseq && SEQ_GT(seq, fwd->nextseq) && !(flags & TCP_RST))
        ta |= TA_LOST_SEGMENT;
    if (is_keep_alive(fwd, s, seglen))
        ta |= TA_KEEP_ALIVE;
    if (seglen == 0 && window && window != fwd->window && seq == fwd->nextseq &&
        ack == fwd->lastack && !sfr)
        ta |= TA_WINDOW_UPDATE;
    if (seglen > 0 && rev->wscale != WS_UNKNOWN && !sfr) {
        uint32_t edge = rev->lastack + rev->window;
        if (seq + seglen == edge)
            ta |= TA_WINDOW_FULL;
    }
    if (seglen == 0 && window && window == fwd->window && seq == fwd->nextseq &&
        ack == fwd->lastack && (rev->lastsegflags & TA_KEEP_ALIVE) && !sfr) {
        ta |= TA_KEEP_ALIVE_ACK;
        goto finished_fwd;
    }
    if (seglen == 0 && window == 0 && window == fwd->window && seq == fwd->nextseq &&
        ack == fwd->lastack && (rev->lastsegflags & TA_ZERO_WINDOW_PROBE) && !sfr) {
        ta |= TA_ZERO_WINDOW_PROBE_ACK;
        goto finished_fwd;
    }
    if (seglen == 0 && window && window == fwd->window && seq == fwd->nextseq &&
        ack == fwd->lastack && !sfr) {
        fwd->dupacknum = fwd->dupacknum == (uint32_t)-1 ? 1 : fwd->dupacknum + 1;
        ta |= TA_DUPLICATE_ACK;
        ti->dup_ack_num = fwd->dupacknum > 0xffff ? 0xffff : (uint16_t)fwd->dupacknum;
        ti->dup_ack_frame = fwd->lastnondupack;
    }

finished_fwd:
    /* A new ack number: the duplicates count again, of this packet's ACK (Wireshark resets
     * both on a changed ack, not on every packet that is not a duplicate). */
    if (ack != fwd->lastack) {
        fwd->dupacknum = 0;
        fwd->lastnondupack = frame > UINT32_MAX ? UINT32_MAX : (uint32_t)frame;
    }

    /* ACKed unseen segment: the ack passes what the other side was seen to send. */
    /* Flag, then move the mark to what was seen, so that one hole is reported once; an ACK
     * that repeats this side's previous ack reports nothing new. (Wireshark 4.0's exact rule
     * differs in a few cases: tests/oracle-differences-track.txt.) */
    if (rev->maxseqtobeacked && SEQ_GT(ack, rev->maxseqtobeacked) && (flags & TCP_ACK) &&
        ack != fwd->lastack) {
        ti->peer_next = rev->maxseqtobeacked - rev->base_seq;
        ta |= TA_ACK_LOST_SEGMENT;
        rev->maxseqtobeacked = rev->nextseq;
    }

    /* (A zero window probe is never one: it is at the next expected seq.) */
    ta |= resend_verdict(tf, fwd, rev, s, seglen, now, (ta & TA_KEEP_ALIVE) != 0);

    uint32_t nextseq = seq + seglen;
    if (flags & (TCP_SYN | TCP_FIN))
        nextseq++;
    if (SEQ_GT(nextseq, fwd->nextseq) || !fwd->nextseq) {
        if (!(ta & TA_ZERO_WINDOW_PROBE)) {
            fwd->nextseq = nextseq;
            fwd->nextseq_time = now;
        }
    }
    if (seq == fwd->maxseqtobeacked || !fwd->maxseqtobeacked) {
        if (!(ta & TA_ZERO_WINDOW_PROBE))
            fwd->maxseqtobeacked = fwd->nextseq;
    }
    fwd->window = window;
    fwd->lastack = ack;
    fwd->lastack_time = now;
    fwd->lastsegflags = ta;
    ti->analysis |= ta;
}

/* ---- Zeek's sizes: orig_bytes, resp_bytes, missed_bytes --------------------------------- */

/*
 * Zeek counts a TCP side's bytes from its sequence space, not from the payloads seen
 * (TCP_Endpoint::Size() in its TCP analyzer): the highest sequence number the side reached --
 * its own highest seq + len, or the peer's highest ACK if that is further -- minus its initial
 * one (the SYN's seq; without a SYN, the first seq seen - 1, as if a SYN had been there), less
 * the SYN octet and, once a FIN was seen, the FIN octet. A retransmission adds nothing; a hole
 * (sent but not captured) is counted. Its start is the side's own first packet: ACKs the peer
 * sent before it are not counted. A RST carries no bytes, and a SYN or RST whose seq jumps by
 * more than 1 MB is not trusted (Zeek's TOO_LARGE_SEQ_DELTA); after a RST the side's numbers
 * are not trusted at all; a RST's ACK is not either.
 *
 * missed_bytes is Zeek's content gaps: the ranges of that space no packet carried. A hole the
 * peer acknowledged is missed for good (Zeek reports the gap then); one still open at the end,
 * and what the peer acknowledged beyond the highest seq seen, are counted too. Bounded: at most
 * TCP_SQ_HOLES unacknowledged holes per side; one more is taken as filled (sq_hole_add).
 */
#define SQ_TOO_LARGE_DELTA 1048576
/* A hole more than this below the highest seq was acknowledged (no window is larger). */
#define SQ_MAX_WINDOW (1ll << 30)

/* A raw sequence number as a 64-bit offset from d's start, taken nearest to sq_end. */
static int64_t sq_unwrap(const struct tcp_dir *d, uint32_t raw)
{
    uint32_t rel = raw - d->sq_start;
    return (int64_t)d->sq_end + (int32_t)(rel - (uint32_t)d->sq_end);
}

/* Hole i's bounds as 64-bit offsets (every hole lies less than 2^32 below sq_end). */
static void sq_hole_get(const struct tcp_dir *d, unsigned i, int64_t *lo, int64_t *hi)
{
    *hi = (int64_t)d->sq_end - (int64_t)(uint32_t)((uint32_t)d->sq_end - d->sq_hole[i][1]);
    *lo = *hi - (int64_t)(uint32_t)(d->sq_hole[i][1] - d->sq_hole[i][0]);
}

static void sq_hole_drop(struct tcp_dir *d, unsigned i)
{
    memmove(&d->sq_hole[i], &d->sq_hole[i + 1], (d->sq_nholes - i - 1) * sizeof(d->sq_hole[0]));
    d->sq_nholes--;
}

/* Inserts hole [lo, hi), keeping them ascending. When the table is full the hole is not kept:
 * it is taken as filled later, as a retransmission nearly always fills it when so many are
 * open at once (heavy loss on the path, the capture on the receiver's side), so that
 * missed_bytes may then be low, never high. */
static void sq_hole_add(struct tcp_dir *d, int64_t lo, int64_t hi)
{
    if (hi <= lo || d->sq_nholes == TCP_SQ_HOLES)
        return;
    unsigned pos = d->sq_nholes;
    while (pos > 0) {
        int64_t l, h;
        sq_hole_get(d, pos - 1, &l, &h);
        if (l < lo)
            break;
        pos--;
    }
    memmove(&d->sq_hole[pos + 1], &d->sq_hole[pos], (d->sq_nholes - pos) * sizeof(d->sq_hole[0]));
    d->sq_hole[pos][0] = (uint32_t)lo;
    d->sq_hole[pos][1] = (uint32_t)hi;
    d->sq_nholes++;
}

/* Bytes [a, b) were seen: they fill the holes they overlap. */
static void sq_fill(struct tcp_dir *d, int64_t a, int64_t b)
{
    for (unsigned i = 0; i < d->sq_nholes && a < b;) {
        int64_t lo, hi;
        sq_hole_get(d, i, &lo, &hi);
        if (b <= lo || a >= hi) {
            i++;
        } else if (a <= lo && b >= hi) {
            sq_hole_drop(d, i);
        } else if (a <= lo) {
            d->sq_hole[i][0] = (uint32_t)b;
            i++;
        } else if (b >= hi) {
            d->sq_hole[i][1] = (uint32_t)a;
            i++;
        } else {
            d->sq_hole[i][1] = (uint32_t)a; /* split: [lo, a) stays, [b, hi) is added */
            sq_hole_add(d, b, hi);
            return;
        }
    }
}

static int64_t sq_ack64(const struct tcp_dir *d)
{
    return (int64_t)d->sq_end + (int32_t)(d->sq_ack - (uint32_t)d->sq_end);
}

/* Holes below `upto` are missed for good: the peer acknowledged them, or no window reaches. */
static void sq_settle(struct tcp_dir *d, int64_t upto)
{
    while (d->sq_nholes) {
        int64_t lo, hi;
        sq_hole_get(d, 0, &lo, &hi);
        if (lo >= upto)
            break;
        int64_t cut = hi < upto ? hi : upto;
        d->sq_lost += (uint64_t)(cut - lo);
        if (cut >= hi)
            sq_hole_drop(d, 0);
        else
            d->sq_hole[0][0] = (uint32_t)cut;
    }
}

/* A segment sent by d. */
static void sq_segment(struct tcp_dir *d, const struct dis_summary *s, uint32_t seglen)
{
    uint16_t fl = s->tcp_flags;
    if (!d->sq_init) {
        d->sq_init = true;
        d->sq_start = (fl & TCP_SYN) ? s->seq : s->seq - 1;
        d->sq_end = 1;
        d->sq_ack = 0;
    }
    if (d->sq_rst)
        return;
    uint32_t len = (fl & TCP_RST) ? 0 : seglen;
    int64_t a = sq_unwrap(d, s->seq);
    int64_t b = a + len + ((fl & TCP_SYN) ? 1 : 0) + ((fl & TCP_FIN) ? 1 : 0);
    int64_t jump = b - (int64_t)d->sq_end;
    bool trusted =
        !(fl & (TCP_SYN | TCP_RST)) || (jump <= SQ_TOO_LARGE_DELTA && jump >= -SQ_TOO_LARGE_DELTA);
    if (fl & TCP_FIN)
        d->sq_fin = true;
    if (fl & TCP_RST)
        d->sq_rst = true;
    if (!trusted)
        return;
    if (a < 1)
        a = 1; /* before the start (midstream): not in the count */
    if (b > (int64_t)d->sq_end) {
        if (a > (int64_t)d->sq_end)
            sq_hole_add(d, (int64_t)d->sq_end, a);
        d->sq_end = (uint64_t)b;
        sq_settle(d, b - SQ_MAX_WINDOW);
    }
    if (a < b)
        sq_fill(d, a, b);
}

/* An ACK sent by d's peer (not with a RST). */
static void sq_acked(struct tcp_dir *d, uint32_t ack)
{
    if (!d->sq_init)
        return;
    int64_t a = sq_unwrap(d, ack);
    if (a <= sq_ack64(d))
        return;
    d->sq_ack = (uint32_t)a;
    sq_settle(d, a);
}

/* Zeek's size of d's byte stream, and the bytes of it no packet carried. */
static void sq_result(const struct tcp_dir *d, uint64_t *size, uint64_t *missed)
{
    *size = *missed = 0;
    if (!d->sq_init)
        return;
    int64_t end = (int64_t)d->sq_end, ack = sq_ack64(d);
    int64_t top = ack > end ? ack : end;
    if (top <= 0)
        return;
    uint64_t n = (uint64_t)top - 1; /* the SYN octet */
    if (d->sq_fin && n)
        n--;
    uint64_t m = d->sq_lost + (ack > end ? (uint64_t)(ack - end) : 0);
    for (unsigned i = 0; i < d->sq_nholes; i++) {
        int64_t lo, hi;
        sq_hole_get(d, i, &lo, &hi);
        m += (uint64_t)(hi - lo);
    }
    *size = n;
    *missed = m < n ? m : n;
}

/* ---- RFC 9293 endpoint states and phases ------------------------------------------------ */

static bool acks_fin(const struct tcp_dir *peer, const struct dis_summary *s)
{
    return peer->fin_sent && (s->tcp_flags & TCP_ACK) && SEQ_GE(s->ack, peer->fin_seq + 1);
}

static bool acks_syn(const struct tcp_dir *peer, const struct dis_summary *s)
{
    return (s->tcp_flags & TCP_ACK) && SEQ_GE(s->ack, peer->base_seq + 1);
}

static void rfc_states(struct tcp_flow *tf, struct tcp_dir *fwd, struct tcp_dir *rev,
                       const struct dis_summary *s, uint32_t seglen)
{
    uint16_t fl = s->tcp_flags;
    if (fl & TCP_RST) {
        fwd->state = TCPS_CLOSED;
        rev->state = TCPS_CLOSED;
        return;
    }
    if ((fl & (TCP_SYN | TCP_ACK)) == TCP_SYN) {
        if (rev->state == TCPS_SYN_SENT) {
            /* SYNs crossing (simultaneous open): each side receives the other's SYN. */
            fwd->state = TCPS_SYN_RECEIVED;
            rev->state = TCPS_SYN_RECEIVED;
        } else {
            if (fwd->state == TCPS_NONE || fwd->state == TCPS_CLOSED || fwd->state == TCPS_LISTEN ||
                fwd->state == TCPS_TIME_WAIT)
                fwd->state = TCPS_SYN_SENT;
            if (rev->state == TCPS_NONE || rev->state == TCPS_CLOSED || rev->state == TCPS_LISTEN)
                rev->state = TCPS_SYN_RECEIVED;
        }
        return;
    }
    if (fl & TCP_SYN) { /* SYN-ACK */
        if (fwd->state != TCPS_ESTABLISHED)
            fwd->state = TCPS_SYN_RECEIVED;
        if (rev->state == TCPS_SYN_SENT || rev->state == TCPS_SYN_RECEIVED ||
            rev->state == TCPS_NONE)
            rev->state = TCPS_ESTABLISHED;
        return;
    }
    /* No SYN: first what the ACK tells the receiver, then the FIN. */
    if ((fl & TCP_ACK) && rev->state == TCPS_SYN_RECEIVED && acks_syn(rev, s))
        rev->state = TCPS_ESTABLISHED;
    if (fwd->state == TCPS_NONE)
        fwd->state = TCPS_ESTABLISHED; /* midstream: it sends, so it is synchronised */
    if (rev->state == TCPS_NONE && (fl & TCP_ACK))
        rev->state = TCPS_ESTABLISHED;
    if (acks_fin(rev, s)) {
        if (rev->state == TCPS_FIN_WAIT_1)
            rev->state = TCPS_FIN_WAIT_2;
        else if (rev->state == TCPS_CLOSING)
            rev->state = TCPS_TIME_WAIT;
        else if (rev->state == TCPS_LAST_ACK)
            rev->state = TCPS_CLOSED;
    }
    if (fl & TCP_FIN) {
        if (rev->fin_sent && !acks_fin(rev, s)) {
            /* FINs crossing (simultaneous close): this FIN was sent before the peer's arrived. */
            fwd->state = TCPS_CLOSING;
            if (rev->state == TCPS_FIN_WAIT_1 || rev->state == TCPS_FIN_WAIT_2 ||
                rev->state == TCPS_CLOSING)
                rev->state = TCPS_CLOSING;
        } else {
            if (fwd->state == TCPS_CLOSE_WAIT)
                fwd->state = TCPS_LAST_ACK;
            else if (fwd->state == TCPS_ESTABLISHED || fwd->state == TCPS_SYN_RECEIVED ||
                     fwd->state == TCPS_SYN_SENT)
                fwd->state = TCPS_FIN_WAIT_1;
            if (rev->state == TCPS_ESTABLISHED || rev->state == TCPS_SYN_RECEIVED)
                rev->state = TCPS_CLOSE_WAIT;
            else if (rev->state == TCPS_FIN_WAIT_2)
                rev->state = TCPS_TIME_WAIT;
            else if (rev->state == TCPS_FIN_WAIT_1)
                rev->state = TCPS_CLOSING;
        }
    }
    (void)tf;
    (void)seglen;
}

/* ---- Zeek's endpoint states and history ------------------------------------------------- */

static void zeek_states(struct tcp_dir *fwd, struct tcp_dir *rev, const struct dis_summary *s,
                        uint32_t seglen)
{
    uint16_t fl = s->tcp_flags;
    if (fl & TCP_RST) {
        fwd->zstate = ZS_RESET;
        return;
    }
    if (fwd->zstate == ZS_RESET)
        return;
    if (fl & TCP_FIN) {
        fwd->zstate = ZS_CLOSED;
        return;
    }
    if (fl & TCP_SYN) {
        if (fwd->zstate == ZS_INACTIVE)
            fwd->zstate = (fl & TCP_ACK) ? ZS_SYN_ACK_SENT : ZS_SYN_SENT;
        else if ((fl & TCP_ACK) && fwd->zstate == ZS_SYN_SENT)
            fwd->zstate = ZS_SYN_ACK_SENT;
        return;
    }
    switch (fwd->zstate) {
    case ZS_INACTIVE:
        fwd->zstate = ZS_PARTIAL;
        break;
    case ZS_SYN_SENT:
    case ZS_SYN_ACK_SENT:
        if (fl & TCP_ACK) {
            fwd->zstate = ZS_ESTABLISHED;
            if (rev->zstate == ZS_SYN_ACK_SENT || rev->zstate == ZS_SYN_SENT)
                rev->zstate = ZS_ESTABLISHED;
        }
        break;
    default:
        break;
    }
    (void)seglen;
}

static void hist_add(struct conn *c, char letter)
{
    size_t n = strnlen(c->history, sizeof(c->history));
    if (n + 1 < sizeof(c->history)) {
        c->history[n] = letter;
        c->history[n + 1] = '\0';
    }
}

static char hl(char upper, bool from_orig)
{
    return from_orig ? upper : (char)(upper - 'A' + 'a');
}

/* Letters recorded again only when their seq differs from the last one of that kind. */
static void hist_seq_letter(struct conn *c, struct tcp_dir *fwd, int kind, char upper,
                            bool from_orig, uint32_t seq)
{
    if ((fwd->hist_have & (1u << kind)) && fwd->hist_seq[kind] == seq)
        return;
    fwd->hist_have |= (uint8_t)(1u << kind);
    fwd->hist_seq[kind] = seq;
    hist_add(c, hl(upper, from_orig));
}

static void hist_once(struct conn *c, struct tcp_dir *fwd, uint8_t bit, char upper, bool from_orig)
{
    if (fwd->once & bit)
        return;
    fwd->once |= bit;
    hist_add(c, hl(upper, from_orig));
}

/* Logarithmic letters: recorded at the 1st, 10th, 100th ... occurrence. */
static void hist_count(struct conn *c, struct tcp_dir *fwd, int kind, char upper, bool from_orig)
{
    uint32_t n = ++fwd->counts[kind];
    uint32_t p = 1;
    while (p < n && p <= 100000000u)
        p *= 10;
    if (p == n)
        hist_add(c, hl(upper, from_orig));
}

static void history(struct conn *c, struct tcp_flow *tf, struct tcp_dir *fwd,
                    const struct dis_summary *s, uint32_t seglen, uint32_t ta, bool from_orig)
{
    uint16_t fl = s->tcp_flags;
    if (tf->flipped && c->history[0] == '\0')
        hist_add(c, '^');
    if (s->tcp_checksum_bad)
        hist_count(c, fwd, CNT_C, 'C', from_orig);
    if ((fl & TCP_SYN) && (fl & (TCP_FIN | TCP_RST)))
        hist_once(c, fwd, ONCE_Q, 'Q', from_orig);
    if (fl & TCP_SYN)
        hist_seq_letter(c, fwd, (fl & TCP_ACK) ? HIST_H : HIST_S, (fl & TCP_ACK) ? 'H' : 'S',
                        from_orig, s->seq);
    if (fl & TCP_FIN)
        hist_seq_letter(c, fwd, HIST_F, 'F', from_orig, s->seq);
    if (fl & TCP_RST)
        hist_seq_letter(c, fwd, HIST_R, 'R', from_orig, s->seq);
    if ((fl & TCP_ACK) && !(fl & (TCP_SYN | TCP_FIN | TCP_RST)) && seglen == 0)
        hist_once(c, fwd, ONCE_A, 'A', from_orig);
    if (seglen > 0)
        hist_once(c, fwd, ONCE_D, 'D', from_orig);
    if (seglen > 0 && (ta & TA_RETRANSMISSION))
        hist_count(c, fwd, CNT_T, 'T', from_orig);
    if (ta & TA_LOST_SEGMENT)
        hist_count(c, fwd, CNT_G, 'G', from_orig);
    if (s->window == 0 && !(fl & TCP_RST))
        hist_count(c, fwd, CNT_W, 'W', from_orig);
}

bool tcp_is_over(const struct flow *f)
{
    uint8_t os = f->u.tcp.d[0].zstate, rs = f->u.tcp.d[1].zstate;
    return os == ZS_RESET || rs == ZS_RESET || (os == ZS_CLOSED && rs == ZS_CLOSED);
}

void tcp_update_outcome(const struct flow *f, struct conn *c)
{
    const struct tcp_flow *tf = &f->u.tcp;
    uint64_t mo, mr;
    sq_result(&tf->d[0], &c->orig_bytes, &mo);
    sq_result(&tf->d[1], &c->resp_bytes, &mr);
    c->missed_bytes = mo + mr;
    uint8_t os = tf->d[0].zstate, rs = tf->d[1].zstate;
    bool o_inactive = os == ZS_INACTIVE || os == ZS_PARTIAL;
    bool r_inactive = rs == ZS_INACTIVE || rs == ZS_PARTIAL;
    const char *st;
    /* Zeek's base/protocols/conn/main.zeek conn_state(), branch for branch. */
    if (rs == ZS_RESET) {
        if (os == ZS_SYN_SENT || os == ZS_SYN_ACK_SENT ||
            (os == ZS_RESET && c->orig_bytes == 0 && c->resp_bytes == 0))
            st = "REJ";
        else if (o_inactive)
            st = "RSTRH";
        else
            st = "RSTR";
    } else if (os == ZS_RESET) {
        st = r_inactive ? "RSTOS0" : "RSTO";
    } else if (rs == ZS_CLOSED && os == ZS_CLOSED) {
        st = "SF";
    } else if (os == ZS_CLOSED) {
        st = r_inactive ? "SH" : "S2";
    } else if (rs == ZS_CLOSED) {
        st = o_inactive ? "SHR" : "S3";
    } else if (os == ZS_SYN_SENT && rs == ZS_INACTIVE) {
        st = "S0";
    } else if (os == ZS_ESTABLISHED && rs == ZS_ESTABLISHED) {
        st = "S1";
    } else {
        st = "OTH";
    }
    memcpy(c->conn_state, st, strlen(st) + 1);
    c->state_orig = tf->d[0].state;
    c->state_resp = tf->d[1].state;
    c->midstream = tf->midstream;
    c->rtt_nsec = tf->first_rtt ? tf->first_rtt : -1;
}

/* ---- one packet ------------------------------------------------------------------------- */

/* A segment whose length is unknown: stream and window only, numbers raw (as Wireshark). */
static void tcp_unanalysed(struct tcp_flow *tf, struct tcp_dir *fwd, const struct dis_summary *s,
                           struct track_info *ti)
{
    uint32_t window = s->window;
    if (!(s->tcp_flags & TCP_SYN) && fwd->wscale >= 0)
        window = (uint32_t)s->window << fwd->wscale;
    ti->window_scaled = window;
    ti->rel_seq = s->seq;
    ti->rel_ack = s->ack;
    ti->state_src = fwd->state;
    ti->state_dst = tf->d[fwd == &tf->d[0] ? 1 : 0].state;
    if (tf->midstream)
        ti->flags |= TI_MIDSTREAM;
}

void tcp_track(struct tracker *t, struct flow *f, struct conn *c, const struct dissection *d,
               uint64_t frame, bool from_orig, bool analysable, int64_t now, struct track_info *ti)
{
    (void)t;
    const struct dis_summary *s = &d->sum;
    struct tcp_flow *tf = &f->u.tcp;
    struct tcp_dir *fwd = &tf->d[from_orig ? 0 : 1], *rev = &tf->d[from_orig ? 1 : 0];
    uint16_t fl = s->tcp_flags;
    uint32_t seglen = s->payload_len;
    bool first_of_conn = c->orig_pkts + c->resp_pkts == 0;
    if (!analysable) {
        tcp_unanalysed(tf, fwd, s, ti);
        return;
    }

    /* Base sequence numbers: relative 0 is the ISN; without a SYN, the first seq is 1. */
    if (!fwd->base_set) {
        fwd->base_seq = (fl & TCP_SYN) ? s->seq : s->seq - 1;
        fwd->base_set = true;
    }
    if (!rev->base_set && (fl & TCP_ACK)) {
        rev->base_seq = s->ack - 1;
        rev->base_set = true;
    }
    if ((fl & (TCP_SYN | TCP_ACK)) == TCP_SYN) {
        tf->syn_seen = true;
        tf->d[0].syn_time = now; /* Wireshark's most recent SYN */
    }
    if ((fl & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK))
        tf->synack_seen = true;

    /* Window scaling (RFC 7323), as Wireshark decides it. */
    if (fl & TCP_SYN) {
        fwd->wscale = s->wscale >= 0 ? (int8_t)(s->wscale > 14 ? 14 : s->wscale) : WS_UNKNOWN;
        if (fwd->wscale == WS_UNKNOWN) {
            fwd->wscale = WS_NONE;
            rev->wscale = WS_NONE;
        } else if ((fl & TCP_ACK) && rev->wscale == WS_NONE) {
            fwd->wscale = WS_NONE;
        }
    }
    uint32_t window = s->window;
    if (!(fl & TCP_SYN) && fwd->wscale >= 0)
        window = (uint32_t)s->window << fwd->wscale;
    ti->window_scaled = window;
    if (fwd->wscale >= 0 || fwd->wscale == WS_NONE)
        ti->flags |= TI_WIN_SCALED;

    ti->rel_seq = s->seq - fwd->base_seq;
    ti->rel_ack = (fl & TCP_ACK) ? s->ack - rev->base_seq : s->ack;
    ti->next_seq = fwd->nextseq ? fwd->nextseq - fwd->base_seq : 0;
    ti->peer_ack = rev->lastack ? rev->lastack - fwd->base_seq : 0;

    /* Handshake RTT: the most recent SYN to the ACK that completes the handshake. */
    bool completes = false;
    if (!tf->handshake_done && from_orig && (fl & TCP_ACK) && !(fl & (TCP_SYN | TCP_RST)) &&
        tf->syn_seen && tf->synack_seen) {
        completes = true;
        tf->handshake_done = true;
        int64_t rtt = ns_sub(now, tf->d[0].syn_time);
        if (rtt > 0 && !tf->first_rtt) {
            tf->first_rtt = rtt;
            ti->flags |= TI_HAS_RTT;
            ti->rtt_usec = rtt / 1000 > UINT32_MAX ? UINT32_MAX : (uint32_t)(rtt / 1000);
        }
    }

    analyse(tf, fwd, rev, s, seglen, window, now, frame, ti);
    if ((fl & TCP_ACK) && !(fl & TCP_RST))
        sq_acked(rev, s->ack);
    sq_segment(fwd, s, seglen);

    uint8_t before_src = fwd->state, before_dst = rev->state;
    rfc_states(tf, fwd, rev, s, seglen);
    if (fwd->state != before_src || rev->state != before_dst)
        ti->flags |= TI_STATE_CHANGE;
    zeek_states(fwd, rev, s, seglen);
    history(c, tf, fwd, s, seglen, ti->analysis, from_orig);

    /* Phase (DESIGN.md "Phases and states"). */
    bool had_fin = tf->fins != 0;
    if (fl & TCP_FIN) {
        if (!fwd->fin_sent) {
            fwd->fin_sent = true;
            fwd->fin_seq = s->seq + seglen;
        }
        tf->fins |= from_orig ? 1 : 2;
    }
    if (fl & TCP_RST)
        fwd->rst_sent = true;
    if (seglen > 0)
        fwd->sent_data = true;
    enum phase ph;
    if ((fl & TCP_RST) || tf->d[0].rst_sent || tf->d[1].rst_sent)
        ph = PHASE_RESET;
    else if (fl & TCP_SYN)
        ph = PHASE_HANDSHAKE;
    else if ((fl & TCP_FIN) || had_fin)
        ph = PHASE_TEARDOWN;
    else if (completes && seglen == 0)
        ph = PHASE_HANDSHAKE;
    else if (tf->syn_seen && !tf->handshake_done && seglen == 0)
        ph = PHASE_HANDSHAKE;
    else
        ph = PHASE_DATA;
    if (ph == PHASE_TEARDOWN && seglen > 0 && rev->fin_sent && !fwd->fin_sent)
        ti->flags |= TI_HALF_CLOSED;
    ti->phase = (uint8_t)ph;
    ti->state_src = fwd->state;
    ti->state_dst = rev->state;
    if (tf->midstream)
        ti->flags |= TI_MIDSTREAM;
    (void)first_of_conn;
}
