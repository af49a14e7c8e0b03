/*
 * Unit tests for the shared formatters (format/): time columns (relative, negative, delta,
 * absolute, epoch), TCP flag names, the hex dump with a marked range and unprintable bytes,
 * the one-line summary of complete and cut TCP headers and of an ICMPv6 echo, and JSON string
 * escaping. The frames are the ones tests/pcaps/craft.py writes (checked with tshark); the
 * expected texts are what tshark shows for them where tshark has the same column.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "dissect/annotate.h"
#include "dissect/dissect.h"
#include "dissect/numbers.h"
#include "format/format.h"
#include "track/community_id.h"
#include "track/track.h"
#include "util/strbuf.h"

/* craft.py syn_frame(): 192.0.2.1:40000 -> 198.51.100.7:80 SYN seq 1000, MSS 1460, SACK_PERM,
 * TS 1/0, WS 7; every checksum correct. */
static const uint8_t pkt_syn[] = {
    0x02, 0x42, 0x0a, 0x00, 0x00, 0x02, 0x00, 0x1b, 0x21, 0x0a, 0x00, 0x01, 0x08, 0x00, 0x45,
    0x00, 0x00, 0x3c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x3c, 0x4c, 0xc0, 0x00, 0x02, 0x01,
    0xc6, 0x33, 0x64, 0x07, 0x9c, 0x40, 0x00, 0x50, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x00,
    0x00, 0xa0, 0x02, 0xfa, 0xf0, 0xc0, 0x59, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02,
    0x08, 0x0a, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07,
};

/* craft.py ping6_frame(): 2001:db8::1 -> 2001:db8::2 echo request id 7 seq 1, "abcdefgh". */
static const uint8_t pkt_ping6[] = {
    0x02, 0x42, 0x0a, 0x00, 0x00, 0x02, 0x00, 0x1b, 0x21, 0x0a, 0x00, 0x01, 0x86, 0xdd,
    0x60, 0x00, 0x00, 0x00, 0x00, 0x10, 0x3a, 0x40, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x20, 0x01, 0x0d, 0xb8,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x80, 0x00,
    0x92, 0xa2, 0x00, 0x07, 0x00, 0x01, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
};

static const char *time_text(char *buf, size_t n, enum fmt_time mode, int64_t sec, uint32_t nsec,
                             int64_t rsec, uint32_t rnsec)
{
    struct strbuf sb;
    sb_init(&sb, buf, n);
    format_time(&sb, mode, sec, nsec, rsec, rnsec);
    return buf;
}

static void test_time(void)
{
    char b[64];
    CHECK_STR(time_text(b, sizeof(b), FMT_TIME_RELATIVE, 1700000001, 876543210, 1700000000, 0),
              "1.876543");
    /* Backwards in time (pcapng interfaces with different offsets): truncated toward zero,
     * as tshark shows -0.376543211 */
    CHECK_STR(
        time_text(b, sizeof(b), FMT_TIME_RELATIVE, 1700000000, 123456789, 1700000000, 500000000),
        "-0.376543");
    CHECK_STR(time_text(b, sizeof(b), FMT_TIME_RELATIVE, 1699999998, 0, 1700000000, 0),
              "-2.000000");
    CHECK_STR(time_text(b, sizeof(b), FMT_TIME_DELTA, 1700000000, 250000, 1700000000, 0),
              "0.000250");
    CHECK_STR(time_text(b, sizeof(b), FMT_TIME_ABSOLUTE, 1700000000, 123456789, 0, 0),
              "22:13:20.123456");
    CHECK_STR(time_text(b, sizeof(b), FMT_TIME_EPOCH, 1700000000, 5000, 0, 0), "1700000000.000005");
    /* before 1970: the seconds' sign, then the microseconds as they are (tcpdump's -tt) */
    CHECK_STR(time_text(b, sizeof(b), FMT_TIME_EPOCH, -2, 500000, 0, 0), "-2.000500");
    /* tcpdump -tttt, in UTC */
    CHECK_STR(time_text(b, sizeof(b), FMT_TIME_DATE, 1700000000, 123456789, 0, 0),
              "2023-11-14 22:13:20.123456");
    CHECK_STR(time_text(b, sizeof(b), FMT_TIME_DATE, 951782400, 0, 0, 0),
              "2000-02-29 00:00:00.000000");
}

/* The direct number, address and padding writers give printf's text, truncated as sb_printf
 * truncates when the buffer is full (the per-packet lines use them instead of printf). */
static void test_writers(void)
{
    static const uint64_t values[] = {0,
                                      1,
                                      9,
                                      10,
                                      99,
                                      255,
                                      1000,
                                      65535,
                                      99999,
                                      100000,
                                      4294967295u,
                                      4294967296u,
                                      UINT64_MAX / 3,
                                      UINT64_MAX};
    char got[128], want[128];
    struct strbuf sb;
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        uint64_t v = values[i];
        unsigned widths[] = {0, 2, 5, 6, 11, 25};
        for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
            sb_init(&sb, got, sizeof(got));
            sb_u64_width(&sb, v, widths[w], ' ');
            snprintf(want, sizeof(want), "%*llu", (int)widths[w], (unsigned long long)v);
            CHECK_STR(got, want);
            sb_init(&sb, got, sizeof(got));
            sb_u64_width(&sb, v, widths[w], '0');
            snprintf(want, sizeof(want), "%0*llu", (int)widths[w], (unsigned long long)v);
            CHECK_STR(got, want);
            sb_init(&sb, got, sizeof(got));
            sb_hex(&sb, v, widths[w]);
            snprintf(want, sizeof(want), "%0*llx", (int)widths[w], (unsigned long long)v);
            CHECK_STR(got, want);
        }
        sb_init(&sb, got, sizeof(got));
        sb_i64(&sb, (int64_t)v);
        snprintf(want, sizeof(want), "%lld", (long long)(int64_t)v);
        CHECK_STR(got, want);
        sb_init(&sb, got, sizeof(got));
        sb_i64(&sb, -(int64_t)(v >> 1));
        snprintf(want, sizeof(want), "%lld", -(long long)(int64_t)(v >> 1));
        CHECK_STR(got, want);
    }
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        for (uint64_t below = 0; below <= 3 && below <= values[i]; below++) {
            uint64_t v = values[i] - below; /* around the powers of ten and a hundred */
            sb_init(&sb, got, sizeof(got));
            sb_u64(&sb, v);
            snprintf(want, sizeof(want), "%llu", (unsigned long long)v);
            CHECK_STR(got, want);
        }
    }
    /* sb_u64 counts the digits first: every power of ten and its neighbours, appended after
     * text already there; and cut where the buffer ends, as sb_putn cuts. */
    for (uint64_t p = 1;; p *= 10) {
        for (int delta = -1; delta <= 1; delta++) {
            uint64_t v = p + (uint64_t)(int64_t)delta;
            sb_init(&sb, got, sizeof(got));
            sb_putc(&sb, 'x');
            sb_u64(&sb, v);
            snprintf(want, sizeof(want), "x%llu", (unsigned long long)v);
            CHECK_STR(got, want);
            CHECK(!sb.overflow);
        }
        if (p > UINT64_MAX / 10)
            break;
    }
    /* Numbers of every length and digit pattern, from a fixed pseudo-random sequence, plain
     * and zero-padded: as printf writes them. */
    uint64_t x = 0x9e3779b97f4a7c15u;
    for (int i = 0; i < 200000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        uint64_t v = x >> (i % 64);
        sb_init(&sb, got, sizeof(got));
        sb_u64(&sb, v);
        snprintf(want, sizeof(want), "%llu", (unsigned long long)v);
        CHECK_STR(got, want);
        sb_init(&sb, got, sizeof(got));
        sb_u64_width(&sb, v, 12, '0');
        snprintf(want, sizeof(want), "%012llu", (unsigned long long)v);
        CHECK_STR(got, want);
    }
    for (size_t cap = 1; cap <= 8; cap++) {
        char small[8];
        sb_init(&sb, small, cap);
        sb_u64(&sb, 1234567);
        snprintf(want, cap, "%s", "1234567");
        CHECK_STR(small, want);
        CHECK(sb.overflow == (cap <= 7));
    }
    sb_init(&sb, got, sizeof(got));
    sb_i64(&sb, INT64_MIN);
    CHECK_STR(got, "-9223372036854775808");
    /* Hex pairs: every byte value, every length up to 80 (the 32-byte blocks where the CPU
     * has AVX2, the 16-byte blocks and the bytes after them), and a cut in the middle of a
     * byte when the buffer fills. */
    uint8_t bytes[256];
    for (size_t i = 0; i < sizeof(bytes); i++)
        bytes[i] = (uint8_t)(i * 37 + 11);
    char hex_got[600], hex_want[600];
    for (size_t off = 0; off < sizeof(bytes); off += 40) {
        size_t max = sizeof(bytes) - off < 80 ? sizeof(bytes) - off : 80;
        for (size_t n = 0; n <= max; n++) {
            sb_init(&sb, hex_got, sizeof(hex_got));
            sb_hex_bytes(&sb, bytes + off, n);
            for (size_t k = 0; k < n; k++)
                snprintf(hex_want + 2 * k, 3, "%02x", bytes[off + k]);
            hex_want[2 * n] = '\0';
            CHECK_STR(hex_got, hex_want);
            CHECK(!sb.overflow);
        }
    }
    sb_init(&sb, hex_got, sizeof(hex_got));
    sb_hex_bytes(&sb, bytes, sizeof(bytes));
    CHECK_EQ(sb.len, 512);
    CHECK_EQ(memcmp(hex_got, "0b30557a9fc4e90e", 16), 0);
    char hex_small[10];
    sb_init(&sb, hex_small, sizeof(hex_small));
    sb_hex_bytes(&sb, bytes, 7);
    CHECK_STR(hex_small, "0b30557a9");
    CHECK(sb.overflow);
    /* JSON string text: runs kept whole, quote, backslash and control bytes escaped. */
    static const char json_in[] = "plain \"quoted\" back\\slash\ttab\x7f\x01"
                                  "end";
    sb_init(&sb, got, sizeof(got));
    sb_put_json(&sb, json_in, sizeof(json_in) - 1);
    CHECK_STR(got, "plain \\\"quoted\\\" back\\\\slash\\u0009tab\\u007f\\u0001end");
    /* Full buffers keep the text's beginning and say so, as with sb_printf. */
    char small[5];
    sb_init(&sb, small, sizeof(small));
    sb_u64_width(&sb, 123456, 8, ' ');
    CHECK_STR(small, "  12");
    CHECK(sb.overflow);
    sb_init(&sb, small, sizeof(small));
    sb_printf(&sb, "%8u", 123456u);
    CHECK_STR(small, "  12");
    /* Padding on either side. */
    const char *texts[] = {"", "data", "handshake", "a much longer text"};
    for (size_t i = 0; i < 4; i++) {
        int widths[] = {-9, 9, 11, 0};
        for (size_t w = 0; w < 4; w++) {
            sb_init(&sb, got, sizeof(got));
            sb_pad(&sb, texts[i], widths[w]);
            snprintf(want, sizeof(want), "%*s", widths[w], texts[i]);
            CHECK_STR(got, want);
        }
    }
    /* Addresses: dotted quad, RFC 5952 (hex without leading zeros), MAC. */
    static const uint8_t v4[4] = {192, 0, 2, 255};
    static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0,    0,    0, 0,
                                   0,    0,    0,    0,    0x0a, 0xbc, 0, 1};
    static const uint8_t mac[6] = {0x00, 0x1b, 0x21, 0x0a, 0xff, 0x01};
    sb_init(&sb, got, sizeof(got));
    sb_ip(&sb, v4, 4);
    sb_putc(&sb, ' ');
    sb_ip(&sb, v6, 16);
    sb_putc(&sb, ' ');
    sb_mac(&sb, mac);
    CHECK_STR(got, "192.0.2.255 2001:db8::abc:1 00:1b:21:0a:ff:01");
    /* Every octet value in every place of a dotted quad, as printf writes it; and cut short
     * in a buffer too small, as sb_putn cuts. */
    size_t wrong = 0;
    for (unsigned v = 0; v < 256; v++)
        for (int place = 0; place < 4; place++) {
            uint8_t a[4] = {10, 200, 7, 99};
            a[place] = (uint8_t)v;
            char dotted[20];
            snprintf(dotted, sizeof(dotted), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
            sb_init(&sb, got, sizeof(got));
            sb_ipv4(&sb, a);
            wrong += strcmp(got, dotted) != 0;
        }
    CHECK(wrong == 0);
    char quad[8];
    static const uint8_t far[4] = {198, 51, 100, 255};
    sb_init(&sb, quad, sizeof(quad));
    sb_ipv4(&sb, far);
    CHECK_STR(quad, "198.51.");
    CHECK(sb.overflow);
}

static void test_flags(void)
{
    char b[64];
    struct strbuf sb;
    sb_init(&sb, b, sizeof(b));
    format_tcp_flags(&sb, 0);
    CHECK_STR(b, "<None>");
    sb_init(&sb, b, sizeof(b));
    format_tcp_flags(&sb, TCP_SYN | TCP_ACK);
    CHECK_STR(b, "SYN, ACK");
    sb_init(&sb, b, sizeof(b));
    format_tcp_flags(&sb, TCP_FIN | TCP_PSH | TCP_ACK);
    CHECK_STR(b, "FIN, PSH, ACK");
}

static void test_hex(void)
{
    uint8_t data[20];
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (uint8_t)(0x41 + i);
    data[1] = 0x1b; /* ESC: must never reach a terminal */
    data[2] = 0xff;
    struct lines ls;
    lines_init(&ls);
    format_hex(&ls, data, sizeof(data), 4, 14);
    CHECK_EQ(ls.n, 2);
    CHECK_STR(ls.v[0].text,
              "0000  41 1b ff 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  A..DEFGHIJKLMNOP");
    CHECK_STR(ls.v[1].text, "0010  51 52 53 54                                       QRST");
    CHECK_EQ(ls.v[1].ref_off, 16);
    CHECK_EQ(ls.v[1].ref_len, 4);
    /* The marked bytes 4..17 are spans with ATTR_MARK in the first line, hex and ASCII. */
    unsigned marked = 0;
    for (unsigned i = 0; i < ls.v[0].nspans; i++)
        if (ls.v[0].spans[i].attr == ATTR_MARK)
            marked += ls.v[0].spans[i].len;
    /* 12 hex cells of 2, the 11 spaces between them, and 12 ASCII characters */
    CHECK_EQ(marked, 12 * 2 + 11 + 12);
    lines_release(&ls);
}

static void test_summary(void)
{
    struct dissection d;
    struct summary s;
    dissect_frame(&d, pkt_syn, sizeof(pkt_syn), sizeof(pkt_syn), 1, NULL);
    format_summary(&s, &d, NULL);
    CHECK_STR(s.src, "192.0.2.1");
    CHECK_STR(s.dst, "198.51.100.7");
    CHECK_STR(s.proto, "TCP");
    CHECK_STR(s.info, "40000 \xe2\x86\x92 80 [SYN] Seq=1000 Win=64240 Len=0 MSS=1460 SACK_PERM "
                      "TSval=1 TSecr=0 WS=128");
    CHECK_EQ(s.info_attr, ATTR_SYN);

    /* The capture cut the TCP header after 12 bytes: ports only, no made-up flags or window,
     * and the damage named. */
    dissect_frame(&d, pkt_syn, 14 + 20 + 12, sizeof(pkt_syn), 1, NULL);
    format_summary(&s, &d, NULL);
    CHECK_STR(s.info, "40000 \xe2\x86\x92 80 [tcp.truncated]");

    dissect_frame(&d, pkt_ping6, sizeof(pkt_ping6), sizeof(pkt_ping6), 1, NULL);
    format_summary(&s, &d, NULL);
    CHECK_STR(s.proto, "ICMPv6");
    CHECK_STR(s.src, "2001:db8::1");
    CHECK_STR(s.info, "Echo (ping) request id=0x0007, seq=1, hop limit=64");
}

static void test_json(void)
{
    struct dissection d;
    struct json_buf jb;
    /* a quote, C0 controls, UTF-8 quotation marks, a C1 control (CSI) in UTF-8, a stray byte */
    static const char comment[] = "say \"hi\"\x01\n \xe2\x80\x9cq\xe2\x80\x9d \xc2\x9b \xff!";
    struct packet pkt = {
        .data = pkt_syn,
        .caplen = sizeof(pkt_syn),
        .len = sizeof(pkt_syn),
        .ts_sec = 1700000000,
        .ts_nsec = 5,
        .linktype = 1,
        .number = 7,
        .comment = comment,
        .comment_len = (uint16_t)strlen(comment),
    };
    dissect_frame(&d, pkt_syn, sizeof(pkt_syn), sizeof(pkt_syn), 1, NULL);
    json_buf_init(&jb);
    format_json(&jb, &pkt, &d, NULL);
    CHECK(jb.len == strlen(jb.buf));
    CHECK(strncmp(jb.buf, "{\"frame.number\":7,\"frame.time_epoch\":\"1700000000.000000005\"",
                  58) == 0);
    CHECK(strstr(jb.buf, "\"frame.comment\":\"say \\\"hi\\\"\\u0001\\u000a "
                         "\xe2\x80\x9cq\xe2\x80\x9d \\u009b \\ufffd!\"") != NULL);
    CHECK(strstr(jb.buf, "\"tcp.options.mss_val\":1460") != NULL);
    CHECK(strstr(jb.buf, "\"ip.src\":\"192.0.2.1\"") != NULL);
    CHECK(strstr(jb.buf, "\"tcp.flags.syn\":1") != NULL);
    /* No tracker ran: no stream number, no relative numbers, no phase. */
    CHECK(strstr(jb.buf, "tcp.stream") == NULL);
    CHECK(strstr(jb.buf, "pktscope.phase") == NULL);
    CHECK(jb.buf[jb.len - 1] == '}');
    json_buf_release(&jb);
}

/* The why texts: the tracker's labels and values in, English out (format_explain). */
static void test_explain(void)
{
    struct dissection d;
    char why[512];
    dissect_frame(&d, pkt_syn, sizeof(pkt_syn), sizeof(pkt_syn), 1, NULL);

    struct track_info ti = {
        .proto = PS_IPPROTO_TCP, .flags = TI_HAS_STREAM, .phase = PHASE_HANDSHAKE};
    format_explain(&ti, &d, why, sizeof(why));
    CHECK_STR(why, "handshake: SYN opens the connection (relative seq 0 is the ISN)");

    /* The sender is 192.0.2.1 (pkt_syn's source); the peer's FIN came first. */
    struct track_info half = {
        .proto = PS_IPPROTO_TCP, .flags = TI_HAS_STREAM | TI_HALF_CLOSED, .phase = PHASE_TEARDOWN};
    format_explain(&half, &d, why, sizeof(why));
    CHECK_STR(why, "half-close: 198.51.100.7 has sent FIN; 192.0.2.1 is still sending data");

    struct track_info r = {.proto = PS_IPPROTO_TCP,
                           .flags = TI_HAS_STREAM,
                           .rel_seq = 1,
                           .next_seq = 101,
                           .analysis = TA_RETRANSMISSION};
    format_explain(&r, &d, why, sizeof(why));
    CHECK_STR(why, "retransmission: seq 1 is below the next expected 101 and the segment "
                   "carries a SYN or FIN");

    struct track_info none = {.proto = PS_IPPROTO_TCP};
    format_explain(&none, &d, why, sizeof(why));
    CHECK_STR(why, "");
}

/* The registry's name lengths (--json writes keys by them) are the names' lengths. */
static void test_field_name_lengths(void)
{
    unsigned wrong = 0;
    for (unsigned id = 0; id < FID__COUNT; id++) {
        const struct field_def *def = field_def(id);
        if (def->name_len != (def->name ? strlen(def->name) : 0))
            wrong++;
    }
    CHECK(wrong == 0);
    CHECK(field_def(FID__COUNT)->name == NULL && field_def(FID__COUNT)->name_len == 0);
}

/* The run of bytes a JSON string keeps as they are ends at the first quote, backslash, control
 * byte, DEL or byte from 0x80, wherever it falls against the 16-byte steps. */
static void test_json_plain_run(void)
{
    static const uint8_t stoppers[] = {'"', '\\', 0x00, 0x1f, 0x7f, 0x80, 0xff};
    unsigned wrong = 0;
    uint8_t buf[80];
    for (size_t len = 0; len <= 70; len++) {
        memset(buf, 'a', sizeof(buf));
        if (json_plain_run(buf, 0, len) != len)
            wrong++;
        for (size_t at = 0; at < len; at++)
            for (size_t k = 0; k < sizeof(stoppers); k++) {
                memset(buf, 'a', sizeof(buf));
                buf[at] = stoppers[k];
                for (size_t from = 0; from <= at; from += 7)
                    if (json_plain_run(buf, from, len) != at)
                        wrong++;
                if (json_plain_run(buf, at + 1, len) != len)
                    wrong++;
            }
    }
    CHECK(wrong == 0);
    /* Every printable ASCII byte but the two is plain. */
    uint8_t ascii[95];
    size_t n = 0;
    for (unsigned c = 0x20; c < 0x7f; c++)
        if (c != '"' && c != '\\')
            ascii[n++] = (uint8_t)c;
    CHECK(json_plain_run(ascii, 0, n) == n);
}

/* The names --json writes unescaped (format/internal.h json_key_plain): every state, phase,
 * role rule, address class and port range name, the class letters and a Community ID are text
 * JSON keeps as it is, and shorter than json_key_plain's fast path. */
static void check_plain(const char *name)
{
    size_t n = strlen(name);
    CHECK(n < 64);
    CHECK(json_plain_run((const uint8_t *)name, 0, n) == n);
}

static void test_json_plain_names(void)
{
    for (int p = PHASE_NONE; p <= PHASE_RESET; p++)
        check_plain(phase_name((enum phase)p));
    for (int st = TCPS_NONE; st <= TCPS_TIME_WAIT; st++)
        check_plain(tcp_state_name((enum tcp_state)st));
    for (unsigned r = 0; r <= TIR_RULE_MASK; r++)
        check_plain(role_rule_name((uint8_t)r));
    for (int c = 0; c < ADDR__COUNT; c++)
        check_plain(addr_class_name((enum addr_class)c));
    for (int r = PORT_WELL_KNOWN; r <= PORT_EPHEMERAL; r++)
        check_plain(port_range_name((enum port_range)r));
    for (unsigned first = 0; first < 256; first++) {
        const uint8_t a[4] = {(uint8_t)first, 0, 0, 1};
        char letter[2] = {ipv4_class_letter(a), '\0'};
        check_plain(letter);
    }
    check_plain("client");
    check_plain("server");
    /* A Community ID is "1:" and base64 of SHA-1: 30 characters of the base64 alphabet. */
    const uint8_t src[4] = {192, 0, 2, 1}, dst[4] = {198, 51, 100, 7};
    char cid[COMMUNITY_ID_SIZE];
    community_id_v1(0, 6, 4, src, dst, 40000, 80, true, false, cid);
    CHECK(strlen(cid) == 30);
    check_plain(cid);
}

int main(void)
{
    test_explain();
    test_time();
    test_writers();
    test_flags();
    test_hex();
    test_summary();
    test_json();
    test_field_name_lengths();
    test_json_plain_run();
    test_json_plain_names();
    return check_done();
}
