/*
 * The tracker on crafted segment sequences: Ethernet/IPv4/TCP frames built byte by byte, run
 * through dissect_frame() and tracker_packet(), and the labels checked against RFC 9293's
 * state diagram, Wireshark's analysis rules and Zeek's conn_state/history definitions.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "dissect/dissect.h"
#include "track/track.h"

#define A 1 /* 192.0.2.1 (client) */
#define B 2 /* 192.0.2.2 (server) */

struct seg {
    int from; /* A or B */
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint16_t flags;
    uint16_t win;
    int wscale;   /* -1 none */
    uint32_t len; /* payload bytes */
    int64_t usec; /* timestamp, microseconds */
};

static uint8_t frame[2048];
static struct dissection dis;

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void ip_addr(uint8_t *p, int who)
{
    p[0] = 192;
    p[1] = 0;
    p[2] = 2;
    p[3] = (uint8_t)who;
}

/* Ethernet II + IPv4 (20 bytes) + TCP (20 or 24 bytes with a window-scale option + NOP). */
static size_t build_tcp(const struct seg *s)
{
    memset(frame, 0, sizeof(frame));
    uint8_t *e = frame;
    e[5] = (uint8_t)(s->from == A ? B : A);
    e[11] = (uint8_t)s->from;
    put16(e + 12, 0x0800);
    uint8_t *ip = frame + 14;
    size_t thl = s->wscale >= 0 ? 24 : 20;
    size_t total = 20 + thl + s->len;
    ip[0] = 0x45;
    put16(ip + 2, (uint16_t)total);
    ip[8] = 64;
    ip[9] = 6;
    ip_addr(ip + 12, s->from);
    ip_addr(ip + 16, s->from == A ? B : A);
    uint8_t *t = ip + 20;
    put16(t, s->sport);
    put16(t + 2, s->dport);
    put32(t + 4, s->seq);
    put32(t + 8, s->ack);
    t[12] = (uint8_t)((thl / 4) << 4);
    t[13] = (uint8_t)s->flags;
    put16(t + 14, s->win);
    if (s->wscale >= 0) {
        t[20] = 1; /* NOP */
        t[21] = 3; /* window scale */
        t[22] = 3;
        t[23] = (uint8_t)s->wscale;
    }
    for (uint32_t i = 0; i < s->len; i++)
        t[thl + i] = (uint8_t)('a' + i % 26);
    return 14 + total;
}

static const struct dissect_options dopt = {.verify_checksums = false};

static void run(struct tracker *t, const struct seg *s, uint64_t frame_no, struct track_info *ti)
{
    size_t n = build_tcp(s);
    dissect_frame(&dis, frame, (uint32_t)n, (uint32_t)n, 1, &dopt);
    tracker_packet(t, &dis, s->usec / 1000000, (uint32_t)(s->usec % 1000000) * 1000, frame_no, ti);
}

/* Runs a whole sequence; ti[i] receives packet i's labels. */
static void run_all(struct tracker *t, const struct seg *v, size_t n, struct track_info *ti)
{
    for (size_t i = 0; i < n; i++)
        run(t, &v[i], i + 1, &ti[i]);
}

#define C_ISN 1000u
#define S_ISN 5000u
#define SA(fl) (fl)

/* Client A:40000 -> server B:80 helpers. */
#define CS(seq, ack, fl, len, us)                                                                  \
    {                                                                                              \
        A, 40000, 80, C_ISN + (seq), (ack) ? S_ISN + (ack) : 0, fl, 1000, -1, len, us              \
    }
#define SC(seq, ack, fl, len, us)                                                                  \
    {                                                                                              \
        B, 80, 40000, S_ISN + (seq), (ack) ? C_ISN + (ack) : 0, fl, 1000, -1, len, us              \
    }

enum { SYN = TCP_SYN, ACK = TCP_ACK, FIN = TCP_FIN, RST = TCP_RST, PSH = TCP_PSH };

/* A connection closed by FINs both ways leaves the flow table 5 s after its last packet, as
 * Zeek drops it after tcp_close_delay; a late ACK goes on with its stream number, and a new
 * SYN on the same ports, later still, is "TCP Port numbers reused" and a new stream, as
 * Wireshark, which never forgets the conversation, says. A reset one goes the same way. */
static void test_over_flows_dropped(void)
{
    struct tracker *t = tracker_new(NULL);
    struct seg v[] = {
        CS(0, 0, SYN, 0, 1000000),           SC(0, 1, SYN | ACK, 0, 1010000),
        CS(1, 1, ACK, 0, 1020000),           CS(1, 1, ACK | PSH, 100, 1030000),
        SC(1, 101, ACK | PSH, 200, 1040000), CS(101, 201, FIN | ACK, 0, 1060000),
        SC(201, 102, FIN | ACK, 0, 1070000), CS(102, 202, ACK, 0, 1080000),
    };
    struct track_info ti[8];
    run_all(t, v, 8, ti);
    struct tracker_stats st;
    tracker_stats(t, &st);
    CHECK_EQ(st.flows_active, 1);
    tracker_expire(t, 5, 0); /* 3.92 s after the last packet: kept */
    tracker_stats(t, &st);
    CHECK_EQ(st.flows_active, 1);
    tracker_expire(t, 6, 100000000); /* 5.02 s: dropped, counted apart from idle timeouts */
    tracker_stats(t, &st);
    CHECK_EQ(st.flows_active, 0);
    CHECK_EQ(st.flows_over_dropped, 1);
    CHECK_EQ(st.flows_timed_out, 0);
    struct track_info late;
    struct seg ack = CS(102, 202, ACK, 0, 7000000);
    run(t, &ack, 9, &late);
    CHECK_EQ(late.stream, 0);
    CHECK(!(late.analysis & TA_REUSED_PORTS));
    struct seg syn = CS(90000, 0, SYN, 0, 20000000);
    run(t, &syn, 10, &late);
    CHECK_EQ(late.stream, 1);
    CHECK(late.analysis & TA_REUSED_PORTS);
    CHECK_EQ(tracker_conn_count(t, 6), 2);
    /* Reset: the same. */
    struct seg rst = SC(1, 90001, RST | ACK, 0, 20010000);
    run(t, &rst, 11, &late);
    tracker_expire(t, 26, 0);
    tracker_stats(t, &st);
    CHECK_EQ(st.flows_active, 0);
    CHECK_EQ(st.flows_over_dropped, 2);
    tracker_free(t);
}

static void test_handshake_and_close(void)
{
    struct tracker *t = tracker_new(NULL);
    struct seg v[] = {
        CS(0, 0, SYN, 0, 1000000),           SC(0, 1, SYN | ACK, 0, 1010000),
        CS(1, 1, ACK, 0, 1020000),           CS(1, 1, ACK | PSH, 100, 1030000),
        SC(1, 101, ACK | PSH, 200, 1040000), CS(101, 201, ACK, 0, 1050000),
        CS(101, 201, FIN | ACK, 0, 1060000), SC(201, 102, FIN | ACK, 0, 1070000),
        CS(102, 202, ACK, 0, 1080000),
    };
    struct track_info ti[9];
    run_all(t, v, 9, ti);
    /* Phases. */
    CHECK_EQ(ti[0].phase, PHASE_HANDSHAKE);
    CHECK_EQ(ti[1].phase, PHASE_HANDSHAKE);
    CHECK_EQ(ti[2].phase, PHASE_HANDSHAKE);
    CHECK_EQ(ti[3].phase, PHASE_DATA);
    CHECK_EQ(ti[5].phase, PHASE_DATA);
    CHECK_EQ(ti[6].phase, PHASE_TEARDOWN);
    CHECK_EQ(ti[8].phase, PHASE_TEARDOWN);
    /* RFC 9293 states after each packet (sender, receiver). */
    CHECK_EQ(ti[0].state_src, TCPS_SYN_SENT);
    CHECK_EQ(ti[0].state_dst, TCPS_SYN_RECEIVED);
    CHECK_EQ(ti[1].state_src, TCPS_SYN_RECEIVED);
    CHECK_EQ(ti[1].state_dst, TCPS_ESTABLISHED);
    CHECK_EQ(ti[2].state_dst, TCPS_ESTABLISHED);
    CHECK(ti[2].flags & TI_STATE_CHANGE);
    CHECK(!(ti[3].flags & TI_STATE_CHANGE));
    CHECK_EQ(ti[6].state_src, TCPS_FIN_WAIT_1);
    CHECK_EQ(ti[6].state_dst, TCPS_CLOSE_WAIT);
    CHECK_EQ(ti[7].state_src, TCPS_LAST_ACK);
    CHECK_EQ(ti[7].state_dst, TCPS_TIME_WAIT);
    CHECK_EQ(ti[8].state_src, TCPS_TIME_WAIT);
    CHECK_EQ(ti[8].state_dst, TCPS_CLOSED);
    /* Relative numbers as Wireshark shows them. */
    CHECK_EQ(ti[0].rel_seq, 0);
    CHECK_EQ(ti[1].rel_seq, 0);
    CHECK_EQ(ti[1].rel_ack, 1);
    CHECK_EQ(ti[3].rel_seq, 1);
    CHECK_EQ(ti[4].rel_ack, 101);
    CHECK_EQ(ti[7].rel_seq, 201);
    CHECK_EQ(ti[8].rel_ack, 202);
    CHECK(ti[0].flags & TI_FROM_ORIG);
    CHECK(!(ti[1].flags & TI_FROM_ORIG));
    for (int i = 0; i < 9; i++) {
        CHECK_EQ(ti[i].stream, 0);
        CHECK_EQ(ti[i].analysis, 0);
        CHECK(!(ti[i].flags & TI_MIDSTREAM));
    }
    /* Handshake RTT: SYN at 1.000 s, completing ACK at 1.020 s. */
    CHECK(ti[2].flags & TI_HAS_RTT);
    CHECK_EQ(ti[2].rtt_usec, 20000);
    const struct conn *c = tracker_conn(t, 6, 0);
    CHECK(c != NULL);
    if (c) {
        CHECK_STR(c->conn_state, "SF");
        /* The server never sends a pure ACK: no 'a'. */
        CHECK_STR(c->history, "ShADdFf");
        CHECK_EQ(c->orig_pkts, 6);
        CHECK_EQ(c->resp_pkts, 3);
        CHECK_EQ(c->orig_bytes, 100);
        CHECK_EQ(c->resp_bytes, 200);
        CHECK_EQ(c->rtt_nsec, 20000000);
        CHECK_EQ(c->orig_port, 40000);
        CHECK_EQ(c->resp_port, 80);
        CHECK_EQ(c->state_orig, TCPS_TIME_WAIT);
        CHECK_EQ(c->state_resp, TCPS_CLOSED);
    }
    CHECK_EQ(tracker_conn_count(t, 6), 1);
    /* What format_explain() words as "this ACK completes the three-way handshake". */
    CHECK_EQ(ti[2].phase, PHASE_HANDSHAKE);
    CHECK(ti[2].flags & TI_HAS_RTT);
    tracker_free(t);
}

/* Zeek conn_state of a connection that is still open is available at once. */
static void test_open_states(void)
{
    struct tracker *t = tracker_new(NULL);
    struct track_info ti[3];
    struct seg v[] = {
        CS(0, 0, SYN, 0, 1000000),
        SC(0, 1, SYN | ACK, 0, 1001000),
        CS(1, 1, ACK, 0, 1002000),
    };
    run(t, &v[0], 1, &ti[0]);
    CHECK_STR(tracker_conn(t, 6, 0)->conn_state, "S0");
    CHECK_STR(tracker_conn(t, 6, 0)->history, "S");
    run(t, &v[1], 2, &ti[1]);
    run(t, &v[2], 3, &ti[2]);
    CHECK_STR(tracker_conn(t, 6, 0)->conn_state, "S1");
    CHECK_STR(tracker_conn(t, 6, 0)->history, "ShA");
    tracker_free(t);
}

static void test_refused(void)
{
    struct tracker *t = tracker_new(NULL);
    struct seg v[] = {
        CS(0, 0, SYN, 0, 1000000),
        {B, 80, 40000, 0, C_ISN + 1, RST | ACK, 0, -1, 0, 1000100},
    };
    struct track_info ti[2];
    run_all(t, v, 2, ti);
    CHECK_EQ(ti[1].phase, PHASE_RESET);
    CHECK_EQ(ti[1].state_src, TCPS_CLOSED);
    CHECK_EQ(ti[1].state_dst, TCPS_CLOSED);
    CHECK_STR(tracker_conn(t, 6, 0)->conn_state, "REJ");
    CHECK_STR(tracker_conn(t, 6, 0)->history, "Sr");
    /* A RST is never a zero-window packet, even with window 0. */
    CHECK(!(ti[1].analysis & TA_ZERO_WINDOW));
    tracker_free(t);
}

static void test_rst_abort(void)
{
    struct tracker *t = tracker_new(NULL);
    struct seg v[] = {
        CS(0, 0, SYN, 0, 1000000),        SC(0, 1, SYN | ACK, 0, 1001000),
        CS(1, 1, ACK, 0, 1002000),        CS(1, 1, ACK | PSH, 10, 1003000),
        CS(11, 1, RST | ACK, 0, 1004000),
    };
    struct track_info ti[5];
    run_all(t, v, 5, ti);
    CHECK_EQ(ti[4].phase, PHASE_RESET);
    CHECK_STR(tracker_conn(t, 6, 0)->conn_state, "RSTO");
    CHECK_STR(tracker_conn(t, 6, 0)->history, "ShADR");
    tracker_free(t);

    /* The responder aborts after data: RSTR; a RST carrying data is still a reset. */
    t = tracker_new(NULL);
    struct seg w[] = {
        CS(0, 0, SYN, 0, 1000000),
        SC(0, 1, SYN | ACK, 0, 1001000),
        CS(1, 1, ACK, 0, 1002000),
        SC(1, 1, RST | ACK, 5, 1003000),
    };
    run_all(t, w, 4, ti);
    CHECK_EQ(ti[3].phase, PHASE_RESET);
    CHECK_EQ(ti[3].state_src, TCPS_CLOSED);
    CHECK_STR(tracker_conn(t, 6, 0)->conn_state, "RSTR");
    tracker_free(t);

    /* SYN then the originator's RST, no answer: RSTOS0. */
    t = tracker_new(NULL);
    struct seg x[] = {
        CS(0, 0, SYN, 0, 1000000),
        CS(1, 0, RST, 0, 1001000),
    };
    run_all(t, x, 2, ti);
    CHECK_STR(tracker_conn(t, 6, 0)->conn_state, "RSTOS0");
    tracker_free(t);
}

static void test_simultaneous_open(void)
{
    struct tracker *t = tracker_new(NULL);
    /* Both ends send SYN before receiving the other's (RFC 9293 figure 7). */
    struct seg v[] = {
        CS(0, 0, SYN, 0, 1000000),       SC(0, 0, SYN, 0, 1000100), CS(0, 1, SYN | ACK, 0, 1000200),
        SC(0, 1, SYN | ACK, 0, 1000300), CS(1, 1, ACK, 0, 1000400),
    };
    struct track_info ti[5];
    run_all(t, v, 5, ti);
    CHECK_EQ(ti[0].state_src, TCPS_SYN_SENT);
    CHECK_EQ(ti[1].state_src, TCPS_SYN_RECEIVED);
    CHECK_EQ(ti[1].state_dst, TCPS_SYN_RECEIVED);
    CHECK_EQ(ti[2].state_dst, TCPS_ESTABLISHED);
    CHECK_EQ(ti[3].state_dst, TCPS_ESTABLISHED);
    CHECK_EQ(ti[3].state_src, TCPS_ESTABLISHED);
    for (int i = 0; i < 4; i++)
        CHECK_EQ(ti[i].phase, PHASE_HANDSHAKE);
    /* The second SYN has another ISN but comes from the other side: same stream. */
    CHECK_EQ(tracker_conn_count(t, 6), 1);
    CHECK_EQ(ti[1].stream, 0);
    tracker_free(t);
}

static void test_simultaneous_close(void)
{
    struct tracker *t = tracker_new(NULL);
    struct seg v[] =
        {
            CS(0, 0, SYN, 0, 1000000),       SC(0, 1, SYN | ACK, 0, 1001000),
            CS(1, 1, ACK, 0, 1002000),       CS(1, 1, FIN | ACK, 0, 1003000),
            SC(1, 1, FIN | ACK, 0, 1003100), /* does not ack the client's FIN: they crossed */
            CS(2, 2, ACK, 0, 1004000),       SC(2, 2, ACK, 0, 1004100),
        };
    struct track_info ti[7];
    run_all(t, v, 7, ti);
    CHECK_EQ(ti[3].state_src, TCPS_FIN_WAIT_1);
    CHECK_EQ(ti[4].state_src, TCPS_CLOSING);
    CHECK_EQ(ti[4].state_dst, TCPS_CLOSING);
    CHECK_EQ(ti[5].state_dst, TCPS_TIME_WAIT);
    CHECK_EQ(ti[6].state_dst, TCPS_TIME_WAIT);
    CHECK_STR(tracker_conn(t, 6, 0)->conn_state, "SF");
    tracker_free(t);
}

static void test_half_close(void)
{
    struct tracker *t = tracker_new(NULL);
    struct seg v[] = {
        CS(0, 0, SYN, 0, 1000000),   SC(0, 1, SYN | ACK, 0, 1001000),
        CS(1, 1, ACK, 0, 1002000),   CS(1, 1, FIN | ACK, 0, 1003000),   /* client: done sending */
        SC(1, 2, ACK, 0, 1004000),   SC(1, 2, ACK | PSH, 300, 1005000), /* server still sends */
        CS(2, 301, ACK, 0, 1006000), SC(301, 2, FIN | ACK, 0, 1007000),
        CS(2, 302, ACK, 0, 1008000),
    };
    struct track_info ti[9];
    run_all(t, v, 9, ti);
    CHECK_EQ(ti[4].state_dst, TCPS_FIN_WAIT_2);
    CHECK_EQ(ti[4].state_src, TCPS_CLOSE_WAIT);
    CHECK_EQ(ti[5].phase, PHASE_TEARDOWN);
    CHECK(ti[5].flags & TI_HALF_CLOSED);
    CHECK(!(ti[4].flags & TI_HALF_CLOSED));
    CHECK_EQ(ti[7].state_src, TCPS_LAST_ACK);
    CHECK_EQ(ti[7].state_dst, TCPS_TIME_WAIT);
    CHECK_EQ(ti[8].state_dst, TCPS_CLOSED);
    CHECK_STR(tracker_conn(t, 6, 0)->conn_state, "SF");
    tracker_free(t);
}

static void test_retransmission_and_dupack(void)
{
    struct tracker *t = tracker_new(NULL);
    struct seg v[] = {
        CS(0, 0, SYN, 0, 1000000),   SC(0, 1, SYN | ACK, 0, 1001000), CS(1, 1, ACK, 0, 1002000),
        CS(1, 1, ACK, 100, 1100000), CS(1, 1, ACK, 100, 1400000), /* same segment 300 ms later:
                                                                     retransmission */
        SC(1, 101, ACK, 0, 1410000), SC(1, 101, ACK, 0, 1420000), /* duplicate ACK #1 */
        SC(1, 101, ACK, 0, 1430000),                              /* #2 */
    };
    struct track_info ti[8];
    run_all(t, v, 8, ti);
    CHECK(ti[4].analysis & TA_RETRANSMISSION);
    CHECK_EQ(ti[4].rel_seq, 1);
    CHECK_EQ(ti[4].next_seq, 101);
    CHECK_EQ(ti[3].analysis, 0);
    CHECK(ti[6].analysis & TA_DUPLICATE_ACK);
    CHECK_EQ(ti[6].dup_ack_num, 1);
    CHECK_EQ(ti[7].dup_ack_num, 2);
    CHECK(!(ti[5].analysis & TA_DUPLICATE_ACK));
    const struct conn *c = tracker_conn(t, 6, 0);
    CHECK_EQ(c->retransmissions, 1);
    CHECK_STR(c->history, "ShADTa");
    tracker_free(t);
}

static void test_out_of_order_and_lost(void)
{
    struct tracker *t = tracker_new(NULL);
    struct seg v[] = {
        CS(0, 0, SYN, 0, 1000000),     SC(0, 1, SYN | ACK, 0, 1010000),
        CS(1, 1, ACK, 0, 1020000), /* handshake RTT 20 ms: out-of-order threshold */
        CS(1, 1, ACK, 100, 1100000),   CS(201, 1, ACK, 100, 1100100), /* a hole of 100 bytes */
        CS(101, 1, ACK, 100, 1100200), /* the missing one, 0.1 ms later: out-of-order */
        SC(1, 101, ACK, 0, 1110000),   SC(1, 301, ACK, 0, 1120000),
    };
    struct track_info ti[8];
    run_all(t, v, 8, ti);
    CHECK(ti[4].analysis & TA_LOST_SEGMENT);
    CHECK(ti[5].analysis & TA_OUT_OF_ORDER);
    CHECK(!(ti[5].analysis & TA_RETRANSMISSION));
    tracker_free(t);

    /* The server ACKs data the capture never showed: ACKed unseen segment. */
    t = tracker_new(NULL);
    struct seg w[] = {
        CS(0, 0, SYN, 0, 1000000),   SC(0, 1, SYN | ACK, 0, 1010000), CS(1, 1, ACK, 0, 1020000),
        CS(1, 1, ACK, 100, 1100000), SC(1, 201, ACK, 0, 1110000),
    };
    run_all(t, w, 5, ti);
    CHECK(ti[4].analysis & TA_ACK_LOST_SEGMENT);
    tracker_free(t);
}

static void test_zero_window_keepalive(void)
{
    struct tracker *t = tracker_new(NULL);
    struct seg v[] = {
        CS(0, 0, SYN, 0, 1000000),
        SC(0, 1, SYN | ACK, 0, 1001000),
        CS(1, 1, ACK, 0, 1002000),
        CS(1, 1, ACK, 100, 1003000),
        {B, 80, 40000, S_ISN + 1, C_ISN + 101, ACK, 0, -1, 0, 1004000},    /* window 0 */
        CS(101, 1, ACK, 1, 1204000),                                       /* probe */
        {B, 80, 40000, S_ISN + 1, C_ISN + 101, ACK, 0, -1, 0, 1205000},    /* probe ACK */
        {B, 80, 40000, S_ISN + 1, C_ISN + 101, ACK, 2000, -1, 0, 1300000}, /* window update */
        CS(100, 1, ACK, 0, 9000000),                                       /* keep-alive */
        SC(1, 101, ACK, 0, 9001000),                                       /* keep-alive ACK */
    };
    /* The server's window is 2000 from its SYN-ACK's 1000: make the last ACK repeat it. */
    v[9].win = 2000;
    struct track_info ti[10];
    run_all(t, v, 10, ti);
    CHECK(ti[4].analysis & TA_ZERO_WINDOW);
    CHECK(ti[5].analysis & TA_ZERO_WINDOW_PROBE);
    CHECK(ti[6].analysis & TA_ZERO_WINDOW_PROBE_ACK);
    CHECK(ti[7].analysis & TA_WINDOW_UPDATE);
    CHECK(ti[8].analysis & TA_KEEP_ALIVE);
    CHECK(!(ti[8].analysis & TA_RETRANSMISSION));
    CHECK(ti[9].analysis & TA_KEEP_ALIVE_ACK);
    CHECK(strchr(tracker_conn(t, 6, 0)->history, 'w') != NULL);
    tracker_free(t);
}

static void test_window_scaling(void)
{
    struct tracker *t = tracker_new(NULL);
    struct seg v[] = {
        {A, 40000, 80, C_ISN, 0, SYN, 64240, 7, 0, 1000000},
        {B, 80, 40000, S_ISN, C_ISN + 1, SYN | ACK, 65160, 8, 0, 1001000},
        {A, 40000, 80, C_ISN + 1, S_ISN + 1, ACK, 502, -1, 0, 1002000},
        {B, 80, 40000, S_ISN + 1, C_ISN + 1, ACK, 255, -1, 0, 1003000},
    };
    struct track_info ti[4];
    run_all(t, v, 4, ti);
    CHECK_EQ(ti[0].window_scaled, 64240); /* a SYN's window is never scaled */
    CHECK_EQ(ti[1].window_scaled, 65160);
    CHECK_EQ(ti[2].window_scaled, 502u << 7);
    CHECK_EQ(ti[3].window_scaled, 255u << 8);
    CHECK(ti[2].flags & TI_WIN_SCALED);
    tracker_free(t);

    /* Only one side offers scaling: neither scales (RFC 7323 section 2.2). */
    t = tracker_new(NULL);
    v[1].wscale = -1;
    run_all(t, v, 4, ti);
    CHECK_EQ(ti[2].window_scaled, 502);
    CHECK_EQ(ti[3].window_scaled, 255);
    tracker_free(t);
}

static void test_port_reuse_and_midstream(void)
{
    struct tracker *t = tracker_new(NULL);
    struct seg v[] = {
        CS(0, 0, SYN, 0, 1000000),
        SC(0, 1, SYN | ACK, 0, 1001000),
        CS(1, 1, ACK, 0, 1002000),
        CS(1, 1, FIN | ACK, 0, 1003000),
        SC(1, 2, FIN | ACK, 0, 1004000),
        CS(2, 2, ACK, 0, 1005000),
        {A, 40000, 80, 90000, 0, SYN, 1000, -1, 0, 2000000}, /* same ports, new ISN */
        CS(0, 0, SYN, 0, 2000500), /* the first ISN again: differs from stream 1's, so stream 2 */
    };
    struct track_info ti[8];
    run_all(t, v, 8, ti);
    CHECK_EQ(ti[5].stream, 0);
    CHECK_EQ(ti[6].stream, 1);
    CHECK(ti[6].analysis & TA_REUSED_PORTS);
    CHECK_EQ(ti[6].rel_seq, 0);
    CHECK_EQ(ti[6].state_src, TCPS_SYN_SENT);
    CHECK_EQ(ti[7].stream, 2);
    CHECK_EQ(tracker_conn_count(t, 6), 3);
    tracker_free(t);

    /* Midstream: no SYN; relative numbers start at 1 as in Wireshark, OTH. */
    t = tracker_new(NULL);
    struct seg w[] = {
        SC(500, 700, ACK, 100, 1000000),
        CS(700, 600, ACK, 0, 1001000),
    };
    run_all(t, w, 2, ti);
    CHECK(ti[0].flags & TI_MIDSTREAM);
    CHECK_EQ(ti[0].rel_seq, 1);
    CHECK_EQ(ti[0].rel_ack, 1);
    CHECK_EQ(ti[1].rel_ack, 101);
    CHECK_EQ(ti[0].phase, PHASE_DATA);
    /* The server (port 80) sent first, yet it is the responder (Zeek's port heuristic). */
    CHECK(!(ti[0].flags & TI_FROM_ORIG));
    const struct conn *c = tracker_conn(t, 6, 0);
    CHECK_EQ(c->resp_port, 80);
    CHECK_STR(c->conn_state, "OTH");
    CHECK(c->midstream);
    CHECK_EQ(c->history[0], '^');
    tracker_free(t);
}

/* UDP flows, their Zeek states, and the bounded table (cap and idle timeout). */
static size_t build_udp(int from, uint16_t sport, uint16_t dport, uint32_t len)
{
    memset(frame, 0, sizeof(frame));
    put16(frame + 12, 0x0800);
    uint8_t *ip = frame + 14;
    ip[0] = 0x45;
    put16(ip + 2, (uint16_t)(28 + len));
    ip[8] = 64;
    ip[9] = 17;
    ip_addr(ip + 12, from);
    ip_addr(ip + 16, from == A ? B : A);
    uint8_t *u = ip + 20;
    put16(u, sport);
    put16(u + 2, dport);
    put16(u + 4, (uint16_t)(8 + len));
    return 14 + 28 + len;
}

static void udp(struct tracker *t, int from, uint16_t sport, uint16_t dport, int64_t sec,
                struct track_info *ti)
{
    size_t n = build_udp(from, sport, dport, 12);
    dissect_frame(&dis, frame, (uint32_t)n, (uint32_t)n, 1, &dopt);
    tracker_packet(t, &dis, sec, 0, 1, ti);
}

static void test_udp_and_table(void)
{
    struct tracker_config cfg;
    tracker_config_default(&cfg);
    cfg.max_flows = 2;
    struct tracker *t = tracker_new(&cfg);
    struct track_info ti;
    udp(t, A, 5000, 53, 100, &ti);
    CHECK_EQ(ti.proto, 17);
    CHECK_EQ(ti.stream, 0);
    CHECK_STR(tracker_conn(t, 17, 0)->conn_state, "S0");
    udp(t, B, 53, 5000, 100, &ti);
    CHECK_EQ(ti.stream, 0);
    CHECK(!(ti.flags & TI_FROM_ORIG));
    CHECK_STR(tracker_conn(t, 17, 0)->conn_state, "SF");
    udp(t, A, 5001, 53, 101, &ti);
    CHECK_EQ(ti.stream, 1);
    udp(t, A, 5002, 53, 102, &ti); /* third flow, cap 2: the oldest is evicted */
    CHECK_EQ(ti.stream, 2);
    struct tracker_stats st;
    tracker_stats(t, &st);
    CHECK_EQ(st.flows_evicted, 1);
    CHECK_EQ(st.flows_active, 2);
    CHECK(st.bytes_per_flow > 0 && st.bytes_per_flow < 1024);
    udp(t, A, 5002, 53, 102 + 61, &ti); /* idle 61 s > 60 s: the flow state was freed ... */
    tracker_stats(t, &st);
    CHECK_EQ(st.flows_timed_out, 2);
    CHECK_EQ(st.flows_created, 4);
    CHECK_EQ(ti.stream, 2); /* ... but the 5-tuple keeps its stream number, as in Wireshark */
    CHECK_EQ(tracker_conn_count(t, 17), 3);
    CHECK_EQ(tracker_conn(t, 17, 2)->orig_pkts, 2);
    udp(t, A, 5000, 53, 200, &ti); /* the evicted first flow, back again */
    CHECK_EQ(ti.stream, 0);
    CHECK(ti.flags & TI_FROM_ORIG);
    tracker_free(t);
}

/* max_conns: a capture that never ends keeps the newest summaries and those a flow uses. */
static uint32_t forgotten[64];
static size_t nforgotten;

static void record_forgotten(void *ctx, const struct conn *c)
{
    (void)ctx;
    if (nforgotten < sizeof(forgotten) / sizeof(forgotten[0]))
        forgotten[nforgotten++] = c->id;
}

/* conn_end: each connection whose flow state was dropped, in the order they ended. */
static uint32_t ended[64];
static size_t nended;

static void record_ended(void *ctx, const struct conn *c)
{
    (void)ctx;
    if (nended < sizeof(ended) / sizeof(ended[0]))
        ended[nended++] = c->id;
}

/* forget_stream_numbers: a capture that never ends (the numbers go with their summaries), or a
 * file (every 5-tuple keeps its number, as in Wireshark). */
static void test_bounded_conns(bool forget_stream_numbers)
{
    struct tracker_config cfg;
    tracker_config_default(&cfg);
    cfg.max_conns = 8;
    cfg.udp_idle_sec = 3;
    cfg.forget_stream_numbers = forget_stream_numbers;
    cfg.conn_forget = record_forgotten;
    cfg.conn_end = record_ended;
    nforgotten = 0;
    nended = 0;
    struct tracker *t = tracker_new(&cfg);
    struct track_info ti;
    /* One long conversation (a packet every 2 s, never idle 3 s) and 40 one-packet ones, each
     * idle past its timeout two steps later. */
    int64_t sec = 100;
    for (int i = 0; i < 40; i++, sec += 2) {
        udp(t, A, 6000, 53, sec, &ti);
        CHECK_EQ(ti.stream, 0);
        udp(t, A, (uint16_t)(7000 + i), 53, sec, &ti);
        CHECK_EQ(ti.stream, (uint32_t)(i + 1)); /* numbers keep counting */
    }
    CHECK_EQ(tracker_conn_count(t, 17), 41);
    /* The long one stayed, with every packet counted. */
    CHECK(tracker_conn(t, 17, 0) != NULL);
    CHECK_EQ(tracker_conn(t, 17, 0)->orig_pkts, 40);
    /* At most max_conns plus the ones flows use are kept; the others went, each told once,
     * in stream order; kept and let go partition the streams. */
    size_t kept = tracker_conn_kept(t, 17);
    CHECK(kept <= 8 + 3);
    CHECK_EQ(kept + nforgotten, 41);
    for (size_t i = 1; i < nforgotten; i++)
        CHECK(forgotten[i] > forgotten[i - 1]);
    for (uint32_t id = 0; id < 41; id++) {
        bool gone = false;
        for (size_t i = 0; i < nforgotten; i++)
            gone = gone || forgotten[i] == id;
        CHECK_EQ(gone, tracker_conn(t, 17, id) == NULL);
    }
    uint32_t prev_id = 0;
    for (size_t pos = 0; pos < kept; pos++) {
        const struct conn *c = tracker_conn_nth(t, 17, pos);
        CHECK(c != NULL);
        CHECK(pos == 0 || c->id > prev_id);
        prev_id = c ? c->id : prev_id;
    }
    CHECK(tracker_conn_nth(t, 17, kept) == NULL);
    /* Every one-packet conversation but the newest two ended by timeout, in stream order, and
     * each was told before its summary went. */
    CHECK_EQ(nended, 38);
    for (size_t i = 0; i < nended; i++)
        CHECK_EQ(ended[i], (uint32_t)(i + 1));
    CHECK(tracker_conn(t, 17, 1) == NULL);
    udp(t, A, 7000, 53, sec + 10, &ti);
    if (forget_stream_numbers) {
        /* A 5-tuple whose summary went starts a new stream. */
        CHECK_EQ(ti.stream, 41);
        CHECK_EQ(tracker_conn_count(t, 17), 42);
    } else {
        /* It keeps its number, as in Wireshark, with a fresh summary of its own. */
        CHECK_EQ(ti.stream, 1);
        CHECK_EQ(tracker_conn_count(t, 17), 41);
        CHECK(tracker_conn(t, 17, 1) != NULL);
        CHECK_EQ(tracker_conn(t, 17, 1)->orig_pkts, 1);
        CHECK_EQ(tracker_conn(t, 17, 1)->first_sec, sec + 10);
    }
    /* One whose summary is kept but whose end was told (it timed out) keeps its number and
     * begins afresh, as Zeek logs a new connection: one packet, not two. */
    CHECK(tracker_conn(t, 17, 40) != NULL);
    udp(t, A, 7039, 53, sec + 10, &ti);
    CHECK_EQ(ti.stream, 40);
    CHECK_EQ(tracker_conn(t, 17, 40)->orig_pkts, 1);
    CHECK_EQ(tracker_conn(t, 17, 40)->first_sec, sec + 10);
    tracker_free(t);
}

/* max_stream_keys: past it, the oldest 5-tuples whose summaries went are forgotten (a quarter
 * of the cap at a time) and such a 5-tuple seen again is a new stream; those remembered, and
 * those whose summary is still held, keep their numbers (a capture that never ends, on a pipe,
 * stays bounded without giving up Wireshark's numbers for the ones within reach). */
static void test_stream_keys_bounded(void)
{
    struct tracker_config cfg;
    tracker_config_default(&cfg);
    cfg.max_flows = 4;
    cfg.max_conns = 8;
    cfg.max_stream_keys = 16;
    struct tracker *t = tracker_new(&cfg);
    struct track_info ti;
    struct tracker_stats st;
    udp(t, A, 6000, 53, 100, &ti);
    CHECK_EQ(ti.stream, 0);
    for (int i = 0; i < 15; i++) {
        udp(t, A, (uint16_t)(7000 + i), 53, 100, &ti);
        CHECK_EQ(ti.stream, (uint32_t)(i + 1));
    }
    /* 16 5-tuples: all remembered. One whose summary went returns under its number. */
    CHECK(tracker_conn(t, 17, 1) == NULL);
    udp(t, A, 7000, 53, 101, &ti);
    CHECK_EQ(ti.stream, 1);
    tracker_stats(t, &st);
    CHECK_EQ(st.stream_keys_forgotten, 0);
    /* A 17th: the oldest four without a summary held go (6000, 7001, 7002, 7003); 7000's
     * summary is held again (its flow is back), so it stays. */
    udp(t, A, 7015, 53, 102, &ti);
    CHECK_EQ(ti.stream, 16);
    tracker_stats(t, &st);
    CHECK_EQ(st.stream_keys_forgotten, 4);
    udp(t, A, 6000, 53, 103, &ti);
    CHECK_EQ(ti.stream, 17);
    udp(t, A, 7001, 53, 103, &ti);
    CHECK_EQ(ti.stream, 18);
    udp(t, A, 7004, 53, 103, &ti);
    CHECK_EQ(ti.stream, 5);
    udp(t, A, 7000, 53, 103, &ti);
    CHECK_EQ(ti.stream, 1);
    CHECK_EQ(tracker_conn_count(t, 17), 19);
    tracker_free(t);
}

/* Without conn_end (the TUI), a 5-tuple that returns after its flow timed out continues its
 * summary, as Wireshark continues its conversation. */
static void test_return_continues(void)
{
    struct tracker_config cfg;
    tracker_config_default(&cfg);
    cfg.udp_idle_sec = 3;
    struct tracker *t = tracker_new(&cfg);
    struct track_info ti;
    udp(t, A, 7000, 53, 100, &ti);
    CHECK_EQ(ti.stream, 0);
    udp(t, A, 7001, 53, 110, &ti); /* the first one times out */
    udp(t, A, 7000, 53, 120, &ti);
    CHECK_EQ(ti.stream, 0);
    CHECK_EQ(tracker_conn(t, 17, 0)->orig_pkts, 2);
    CHECK_EQ(tracker_conn(t, 17, 0)->first_sec, 100);
    tracker_free(t);
}

/* DHCP (track/dhcp.c): a BOOTP message from client MAC ..:mac, op 1 or 2, with option 53. */
static void run_dhcp(struct tracker *t, uint8_t op, uint8_t type, uint32_t xid, uint8_t mac,
                     uint64_t frame_no, struct track_info *ti)
{
    memset(frame, 0, sizeof(frame));
    size_t blen = 236 + 4 + 3 + 1;
    uint8_t *e = frame;
    memset(e, 0xff, 6);
    e[11] = mac;
    put16(e + 12, 0x0800);
    uint8_t *ip = frame + 14;
    ip[0] = 0x45;
    put16(ip + 2, (uint16_t)(20 + 8 + blen));
    ip[8] = 64;
    ip[9] = 17;
    ip_addr(ip + 12, op == 1 ? 1 : 2);
    memset(ip + 16, 0xff, 4);
    uint8_t *u = ip + 20;
    put16(u, op == 1 ? 68 : 67);
    put16(u + 2, op == 1 ? 67 : 68);
    put16(u + 4, (uint16_t)(8 + blen));
    uint8_t *b = u + 8;
    b[0] = op;
    b[1] = 1;
    b[2] = 6;
    put32(b + 4, xid);
    b[28 + 5] = mac;
    put32(b + 236, 0x63825363);
    b[240] = 53;
    b[241] = 1;
    b[242] = type;
    b[243] = 255;
    size_t n = 14 + 20 + 8 + blen;
    dissect_frame(&dis, frame, (uint32_t)n, (uint32_t)n, 1, &dopt);
    tracker_packet(t, &dis, 1000 + (int64_t)frame_no, 0, frame_no, ti);
}

static void test_dhcp_exchanges(void)
{
    struct tracker *t = tracker_new(NULL);
    struct track_info ti[6];
    run_dhcp(t, 1, 1, 0xabc, 1, 1, &ti[0]); /* DISCOVER */
    run_dhcp(t, 1, 1, 0xdef, 2, 2, &ti[1]); /* another client's DISCOVER */
    run_dhcp(t, 2, 2, 0xabc, 1, 3, &ti[2]); /* OFFER */
    run_dhcp(t, 1, 3, 0xabc, 1, 4, &ti[3]); /* REQUEST */
    run_dhcp(t, 2, 5, 0xabc, 1, 5, &ti[4]); /* ACK */
    run_dhcp(t, 2, 2, 0xabc, 9, 6, &ti[5]); /* same xid, other MAC: another exchange */
    for (int i = 0; i < 6; i++)
        CHECK(ti[i].app_flags & TIA_DHCP);
    CHECK(ti[0].dhcp_exchange == 0 && ti[1].dhcp_exchange == 1 && ti[2].dhcp_exchange == 0);
    CHECK(ti[5].dhcp_exchange == 2);
    CHECK(ti[0].dhcp_first == 1 && ti[0].dhcp_prev == 0 && ti[0].dhcp_request == 0);
    CHECK(ti[2].dhcp_request == 1 && ti[2].dhcp_prev == 1);
    CHECK(ti[3].dhcp_request == 0 && ti[3].dhcp_prev == 3);
    CHECK(ti[4].dhcp_request == 4 && ti[4].dhcp_first == 1);
    /* Bounded: after DHCP_MAX_EXCHANGES (4096) newer exchanges the first one is gone, and its
     * transaction id starts a new exchange number. */
    struct track_info x;
    for (uint32_t i = 0; i < 4096; i++)
        run_dhcp(t, 1, 1, 0x100000 + i, 3, 10 + i, &x);
    CHECK(x.dhcp_exchange == 3 + 4095);
    run_dhcp(t, 2, 5, 0xabc, 1, 9000, &x);
    CHECK(x.dhcp_exchange == 3 + 4096 && x.dhcp_request == 0 && x.dhcp_first == 9000);
    run_dhcp(t, 2, 2, 0x100000 + 4095, 3, 9001, &x); /* still remembered */
    CHECK(x.dhcp_exchange == 3 + 4095 && x.dhcp_request == 10 + 4095);
    tracker_free(t);
}

/* clientserver: client and server, the rule that told, and the states per host. */
static void test_roles(void)
{
    struct tracker *t = tracker_new(NULL);
    struct seg v[] = {
        CS(0, 0, SYN, 0, 1000000),
        SC(0, 1, SYN | ACK, 0, 1010000),
        CS(1, 1, ACK, 0, 1020000),
    };
    struct track_info ti[3];
    run_all(t, v, 3, ti);
    CHECK_EQ(ti[0].roles & TIR_RULE_MASK, ROLE_SYN);
    CHECK(track_from_client(&ti[0]));
    CHECK(!track_from_client(&ti[1]));
    CHECK(!role_guessed(ti[1].roles));
    /* The SYN-ACK's sender is the server: its state is the sender's. */
    CHECK_EQ(ti[1].state_src, TCPS_SYN_RECEIVED);
    CHECK_STR(role_rule_name(tracker_conn(t, 6, 0)->roles), "syn");
    tracker_free(t);

    /* A simultaneous open: the second SYN makes it simopen; the first SYN's sender is client. */
    t = tracker_new(NULL);
    struct seg so[] = {CS(0, 0, SYN, 0, 1000000), SC(0, 0, SYN, 0, 1000100)};
    run_all(t, so, 2, ti);
    CHECK_EQ(ti[0].roles & TIR_RULE_MASK, ROLE_SYN);
    CHECK_EQ(ti[1].roles & TIR_RULE_MASK, ROLE_SIMOPEN);
    CHECK(!track_from_client(&ti[1]));
    tracker_free(t);

    /* Midstream: a SYN-ACK first (its receiver is the client), then an ACK from port 80 first
     * (guessed by the well-known port: the receiver is the client). */
    t = tracker_new(NULL);
    struct seg sa[] = {SC(0, 1, SYN | ACK, 0, 1000000)};
    run_all(t, sa, 1, ti);
    CHECK_EQ(ti[0].roles & TIR_RULE_MASK, ROLE_SYN_ACK);
    CHECK(!track_from_client(&ti[0]));
    tracker_free(t);
    t = tracker_new(NULL);
    struct seg mid[] = {SC(1, 1, ACK | PSH, 10, 1000000)};
    run_all(t, mid, 1, ti);
    CHECK_EQ(ti[0].roles & TIR_RULE_MASK, ROLE_PORT);
    CHECK(role_guessed(ti[0].roles));
    CHECK(!track_from_client(&ti[0]));
    tracker_free(t);

    /* UDP first seen from the well-known port: the originator is the server, so the client is
     * the responder (TIR_CLIENT_IS_RESP), and the receiver of this first datagram. */
    t = tracker_new(NULL);
    udp(t, B, 7, 40000, 100, &ti[0]);
    CHECK_EQ(ti[0].roles & TIR_RULE_MASK, ROLE_PORT);
    CHECK(ti[0].roles & TIR_CLIENT_IS_RESP);
    CHECK(ti[0].flags & TI_FROM_ORIG);
    CHECK(!track_from_client(&ti[0]));
    udp(t, A, 40000, 7, 100, &ti[1]);
    CHECK(track_from_client(&ti[1]));
    tracker_free(t);
}

/* ---- explain: ARP pairing (track/pairing.c) ---------------------------------------------- */

#define NET_192_0_2 0xc0000200u

/* An ARP frame: op, sender (MAC last byte, IPv4 address), target (MAC last byte, address). */
static void run_arp(struct tracker *t, uint16_t op, uint8_t smac, uint32_t sip, uint8_t tmac,
                    uint32_t tip, uint64_t frame_no, int64_t usec, struct track_info *ti)
{
    memset(frame, 0, 60);
    memset(frame, 0xff, 6);
    frame[11] = smac;
    put16(frame + 12, 0x0806);
    uint8_t *a = frame + 14;
    put16(a, 1);
    put16(a + 2, 0x0800);
    a[4] = 6;
    a[5] = 4;
    put16(a + 6, op);
    a[13] = smac;
    put32(a + 14, sip);
    a[23] = tmac;
    put32(a + 24, tip);
    dissect_frame(&dis, frame, 60, 60, 1, &dopt);
    tracker_packet(t, &dis, usec / 1000000, (uint32_t)(usec % 1000000) * 1000, frame_no, ti);
}

static void test_arp_pairing(void)
{
    struct tracker *t = tracker_new(NULL);
    struct track_info ti[5];
    uint32_t h1 = NET_192_0_2 + 1, h2 = NET_192_0_2 + 2, h9 = NET_192_0_2 + 9;
    run_arp(t, 1, 1, h1, 0, h2, 1, 0, &ti[0]);       /* who has .2? tell .1 */
    run_arp(t, 1, 1, h1, 0, h2, 2, 1000000, &ti[1]); /* again, 1 s later */
    run_arp(t, 2, 2, h2, 1, h1, 3, 1000350, &ti[2]); /* .2 is at ..:02 */
    run_arp(t, 2, 2, h2, 1, h1, 4, 1000400, &ti[3]); /* a second reply: nothing to answer */
    run_arp(t, 1, 2, h9, 0, h9, 5, 2000000, &ti[4]); /* gratuitous: expects no reply */
    CHECK(ti[0].pair_kind == 0);
    CHECK(ti[1].pair_kind == TI_PAIR_ARP_AGAIN && ti[1].pair_frame == 1);
    CHECK(ti[1].pair_ns == 1000000000);
    CHECK(ti[2].pair_kind == TI_PAIR_ARP && ti[2].pair_frame == 2 && ti[2].pair_ns == 350000);
    CHECK(ti[3].pair_kind == 0);
    CHECK(ti[4].pair_kind == 0);
    for (int i = 0; i < 5; i++)
        CHECK(!(ti[i].flags & TI_HAS_STREAM));
    /* Bounded: 4096 waiting requests (PAIR_ARP_CAP); one more evicts the oldest, whose reply
     * then pairs with nothing, while the next oldest still pairs. */
    struct track_info x;
    uint32_t asker = 0x0a000001u, asked = 0x0b000000u;
    for (uint32_t i = 0; i < 4097; i++)
        run_arp(t, 1, 1, asker, 0, asked + i, 10 + i, 3000000, &x);
    run_arp(t, 2, 3, asked, 1, asker, 5000, 4000000, &x);
    CHECK(x.pair_kind == 0);
    run_arp(t, 2, 3, asked + 1, 1, asker, 5001, 4000000, &x);
    CHECK(x.pair_kind == TI_PAIR_ARP && x.pair_frame == 11);
    tracker_free(t);
}

/* What conn_end hears while flows time out: the idle list, and (expire_all) every flow due at
 * once rather than 64 a packet -- what --threads merges several trackers' endings by. */
struct endings {
    const struct tracker *t;
    int lists[200];
    uint64_t last[200];
    size_t n;
};

static void ending(void *ctx, const struct conn *c)
{
    struct endings *e = ctx;
    if (e->n < 200) {
        e->lists[e->n] = tracker_ending_idle_list(e->t);
        e->last[e->n++] = c->last_packet;
    }
}

/* A tracker that tells `e` of every connection it ends. */
static struct tracker *ending_tracker(struct endings *e, bool expire_all)
{
    struct tracker_config cfg;
    tracker_config_default(&cfg);
    cfg.expire_all = expire_all;
    memset(e, 0, sizeof(*e));
    cfg.conn_end = ending;
    cfg.conn_ctx = e;
    struct tracker *t = tracker_new(&cfg);
    e->t = t;
    return t;
}

/* An ARP request at `sec`, frame `number`: no flow of its own, only the clock. */
static void arp_at(struct tracker *t, int64_t sec, uint64_t number)
{
    struct track_info ti;
    memset(frame, 0, 60);
    put16(frame + 12, 0x0806);
    put16(frame + 14, 1);
    put16(frame + 16, 0x0800);
    frame[18] = 6;
    frame[19] = 4;
    put16(frame + 20, 1);
    dissect_frame(&dis, frame, 60, 60, 1, &dopt);
    tracker_packet(t, &dis, sec, 0, number, &ti);
}

static void test_expire_all(bool all)
{
    struct endings e;
    struct tracker *t = ending_tracker(&e, all);
    struct track_info ti;
    for (uint16_t i = 0; i < 100; i++) { /* 100 UDP flows at t = 100 s, frames 1-100 */
        size_t n = build_udp(A, (uint16_t)(6000 + i), 53, 12);
        dissect_frame(&dis, frame, (uint32_t)n, (uint32_t)n, 1, &dopt);
        tracker_packet(t, &dis, 100, i, 1 + i, &ti);
    }
    struct seg syn = CS(0, 0, SYN, 0, 0); /* a TCP flow at 100.1 s, frame 101 */
    size_t n = build_tcp(&syn);
    dissect_frame(&dis, frame, (uint32_t)n, (uint32_t)n, 1, &dopt);
    tracker_packet(t, &dis, 100, 100000000, 101, &ti);
    CHECK_EQ(e.n, 0);
    /* An ARP frame 61 s later moves the clock too: the UDP flows are idle past 60 s. */
    arp_at(t, 161, 102);
    CHECK_EQ(e.n, all ? 100 : 64);
    for (size_t i = 0; i < e.n; i++) {
        CHECK_EQ(e.lists[i], 1); /* UDP's idle list, oldest first */
        CHECK_EQ(e.last[i], i + 1);
    }
    CHECK_EQ(tracker_ending_idle_list(t), -1); /* not while nothing is timing out */
    tracker_free(t);
}

/* The idle list's oldest flow changes without its time moving (flow.c's deadline): X at
 * 100 s, Y stamped 90 s after it (a capture out of time order), X again at 95 s, which moves X
 * behind Y without making it younger. At 155 s Y is idle past UDP's 60 s and X is not: Y
 * ends, though the list's oldest at X's first frame (X, due at 160 s) was not yet due. */
static void test_expire_new_oldest(void)
{
    struct endings e;
    struct tracker *t = ending_tracker(&e, true);
    struct track_info ti;
    const struct {
        uint16_t sport;
        int64_t sec;
    } pkts[] = {{7000, 100}, {7001, 90}, {7000, 95}};
    for (size_t i = 0; i < ARRAY_SIZE(pkts); i++) {
        size_t n = build_udp(A, pkts[i].sport, 53, 12);
        dissect_frame(&dis, frame, (uint32_t)n, (uint32_t)n, 1, &dopt);
        tracker_packet(t, &dis, pkts[i].sec, 0, 1 + i, &ti);
    }
    CHECK_EQ(e.n, 0);
    arp_at(t, 155, 4); /* an ARP frame moves the clock */
    CHECK_EQ(e.n, 1);
    CHECK_EQ(e.last[0], 2); /* Y's only frame */
    tracker_free(t);
}

int main(void)
{
    test_roles();
    test_dhcp_exchanges();
    test_handshake_and_close();
    test_open_states();
    test_refused();
    test_rst_abort();
    test_simultaneous_open();
    test_simultaneous_close();
    test_half_close();
    test_retransmission_and_dupack();
    test_out_of_order_and_lost();
    test_zero_window_keepalive();
    test_window_scaling();
    test_port_reuse_and_midstream();
    test_udp_and_table();
    test_bounded_conns(true);
    test_bounded_conns(false);
    test_return_continues();
    test_stream_keys_bounded();
    test_over_flows_dropped();
    test_arp_pairing();
    test_expire_all(true);
    test_expire_all(false);
    test_expire_new_oldest();
    return check_done();
}
