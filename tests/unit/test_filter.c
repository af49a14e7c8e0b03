/* Display filters: the parser (precedence, every operator, every value type, every error
 * message with its caret) and the evaluator's semantics on packets built byte by byte. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dissect/dissect.h"
#include "filter/filter.h"
#include "track/track.h"

/* Ethernet + IPv4 + TCP SYN 192.0.2.1:40000 -> 198.51.100.7:80 with MSS, SACK_PERM, timestamps,
 * NOP, window scale (the option kinds 2, 4, 8, 1, 3), checksums not verified. */
static const uint8_t syn[] = {
    0x02, 0x42, 0x0a, 0x00, 0x00, 0x02, 0x00, 0x1b, 0x21, 0x0a, 0x00, 0x01, 0x08, 0x00, 0x45,
    0x00, 0x00, 0x3c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00, 192,  0,    2,    1,
    198,  51,   100,  7,    0x9c, 0x40, 0x00, 0x50, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x00,
    0x00, 0xa0, 0x02, 0xfa, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02,
    0x08, 0x0a, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07,
};

/* Ethernet + IPv4 + TCP with an HTTP request "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n". */
static uint8_t http[14 + 20 + 20 + 64];
static size_t http_len;

static void build_http(void)
{
    static const char req[] = "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n";
    size_t plen = sizeof(req) - 1;
    memcpy(http, syn, 14);
    uint8_t ip[20] = {0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, 6, 0, 0, 192, 0, 2, 1, 198, 51, 100, 7};
    ip[2] = (uint8_t)((20 + 20 + plen) >> 8);
    ip[3] = (uint8_t)(20 + 20 + plen);
    memcpy(http + 14, ip, 20);
    uint8_t tcp[20] = {0x9c, 0x40, 0x00, 0x50, 0,    0,    0x03, 0xe9, 0, 0,
                       0,    1,    0x50, 0x18, 0x01, 0xf5, 0,    0,    0, 0};
    memcpy(http + 34, tcp, 20);
    memcpy(http + 54, req, plen);
    http_len = 54 + plen;
}

static struct dissection dis;
static struct track_info ti;

static bool run(const char *expr, const uint8_t *pkt, size_t len, const struct track_info *t)
{
    struct dissect_options opt = {.verify_checksums = false};
    dissect_frame(&dis, pkt, (uint32_t)len, (uint32_t)len, 1, &opt);
    struct dfilter *f;
    char err[1024];
    if (dfilter_compile(expr, &f, err, sizeof(err)) < 0) {
        fprintf(stderr, "unexpected error for '%s': %s\n", expr, err);
        return false;
    }
    struct filter_packet p = {
        .d = &dis,
        .ti = t,
        .number = 7,
        .len = (uint32_t)len,
        .caplen = (uint32_t)len,
        .ts_sec = 1700000000,
        .ts_nsec = 500000000,
        .first_sec = 1699999999,
        .first_nsec = 0,
        .prev_sec = 1700000000,
        .prev_nsec = 250000000,
    };
    bool r = dfilter_match(f, &p);
    dfilter_free(f);
    return r;
}

#define MATCH(e) CHECK(run((e), syn, sizeof(syn), &ti))
#define NOMATCH(e) CHECK(!run((e), syn, sizeof(syn), &ti))
#define HMATCH(e) CHECK(run((e), http, http_len, NULL))
#define HNOMATCH(e) CHECK(!run((e), http, http_len, NULL))

static void test_numbers(void)
{
    MATCH("tcp.dstport == 80");
    MATCH("tcp.dstport eq 80");
    MATCH("tcp.srcport != 80");
    MATCH("tcp.srcport ne 80");
    MATCH("tcp.srcport > 1024");
    MATCH("tcp.srcport gt 1024");
    MATCH("tcp.dstport >= 80");
    MATCH("tcp.dstport ge 80");
    MATCH("tcp.dstport < 81");
    MATCH("tcp.dstport lt 81");
    MATCH("tcp.dstport <= 80");
    MATCH("tcp.dstport le 80");
    NOMATCH("tcp.dstport > 80");
    MATCH("tcp.dstport == 0x50");
    MATCH("tcp.dstport == 0120");
    MATCH("tcp.dstport == 0b1010000");
    MATCH("tcp.dstport == 'P'");
    MATCH("tcp.dstport == '\\x50'");
    MATCH("ip.id == 0x1234");
    MATCH("tcp.flags == 0x002");
    MATCH("tcp.flags & 0x02");
    NOMATCH("tcp.flags & 0x10");
    MATCH("tcp.flags & 0x12 == 0x02");
    MATCH("frame.number == 7");
    MATCH("frame.len == 74");
}

static void test_booleans_and_presence(void)
{
    MATCH("tcp.flags.syn == 1");
    MATCH("tcp.flags.syn == True");
    MATCH("tcp.flags.syn == TRUE");
    MATCH("tcp.flags.ack == False");
    MATCH("tcp.flags.ack == 0");
    MATCH("ip.flags.df");
    MATCH("tcp.options.sack_perm");
    MATCH("tcp");
    MATCH("ip");
    MATCH("eth");
    MATCH("frame");
    NOMATCH("udp");
    NOMATCH("arp");
    MATCH("!udp");
    MATCH("not udp");
    NOMATCH("udp.port != 53"); /* a comparison implies the field exists */
}

static void test_occurrences(void)
{
    /* tcp.option_kind is [2, 4, 8, 1, 3] */
    MATCH("tcp.option_kind == 8");
    NOMATCH("tcp.option_kind == 5");
    NOMATCH("tcp.option_kind != 8"); /* all not equal */
    MATCH("tcp.option_kind != 5");
    MATCH("tcp.option_kind all_ne 5");
    MATCH("tcp.option_kind ~= 8"); /* any not equal */
    MATCH("tcp.option_kind !== 8");
    MATCH("tcp.option_kind any_ne 8");
    NOMATCH("tcp.option_kind === 8"); /* all equal */
    NOMATCH("tcp.option_kind all_eq 8");
    MATCH("tcp.option_kind any_eq 4");
    MATCH("all tcp.option_kind > 0");
    NOMATCH("all tcp.option_kind > 1");
    MATCH("any tcp.option_kind > 7");
    MATCH("count(tcp.option_kind) == 5");
    MATCH("tcp.option_kind in {8, 9}");
    MATCH("tcp.option_kind in {5..8}");
    NOMATCH("tcp.option_kind in {5..7, 9}");
    MATCH("tcp.option_kind not in {5, 6}");
    NOMATCH("tcp.option_kind not in {8}");
    MATCH("all tcp.option_kind in {1..8}");
    /* the either-side fields */
    MATCH("tcp.port == 80");
    MATCH("tcp.port == 40000");
    NOMATCH("tcp.port != 80");
    MATCH("ip.addr == 192.0.2.1 && ip.addr == 198.51.100.7");
    MATCH("eth.addr == 00:1b:21:0a:00:01");
    /* field against field */
    MATCH("tcp.srcport > tcp.dstport");
    NOMATCH("ip.src == ip.dst");
}

static void test_addresses(void)
{
    MATCH("ip.src == 192.0.2.1");
    MATCH("ip.src == 192.0.2.0/24");
    MATCH("ip.src == 192.0.2.1/32");
    MATCH("ip.src eq 0.0.0.0/0");
    NOMATCH("ip.src == 192.0.3.0/24");
    MATCH("ip.dst > 192.0.2.1");
    MATCH("ip.addr in {198.51.100.1 .. 198.51.100.9}");
    MATCH("eth.src == 00:1b:21:0a:00:01");
    MATCH("eth.src == 00-1b-21-0a-00-01");
    MATCH("eth.src == 001b.210a.0001");
    MATCH("eth.dst == 02:42:0a:00:00:02");
    MATCH("eth.src[0:3] == 00:1b:21");
    MATCH("eth.src[1-2] == 1b:21");
    MATCH("eth.src[-1] == 01");
    MATCH("eth.src[3:] == 0a:00:01");
    MATCH("eth.src[:2] == 00:1b");
    MATCH("eth.src[0:1,5:1] == 00:01");
    MATCH("ip.src[0] == c0");
    NOMATCH("eth.src[4:4] == 00:01:02:03"); /* past the end: the slice does not exist */
    MATCH("frame[12:2] == 08:00");
    MATCH("frame[-2:] == 03:07");
    MATCH("len(eth.src) == 6");
    MATCH("pktscope.addr_class.src == \"documentation\"");
}

static void test_strings_and_bytes(void)
{
    HMATCH("http.request.method == \"GET\"");
    HMATCH("http.request");
    HNOMATCH("http.response");
    HMATCH("http.request.method == GET");
    HMATCH("http.request.method == \"\\x47ET\"");
    HMATCH("http.request.method == \"\\107ET\"");
    HMATCH("http.request.method == \"\\u0047ET\"");
    HMATCH("http.request.method in {\"HEAD\", \"GET\"}");
    HMATCH("http.request.method > \"A\"");
    HMATCH("http.request.method < \"POST\"");
    HMATCH("http.request.uri contains \".txt\"");
    HMATCH("http.request.uri matches \"^/h.*\\\\.txt$\"");
    HMATCH("http.request.uri matches \"HELLO\""); /* case-insensitive */
    HNOMATCH("http.request.uri matches \"(?-i)HELLO\"");
    HMATCH("http.request.uri matches r\"\\.txt$\"");
    HMATCH("upper(http.request.uri) contains \"HELLO\"");
    HMATCH("lower(http.request.method) == \"get\"");
    HMATCH("len(http.request.uri) == 10");
    HMATCH("http contains \"Host: x\"");
    HMATCH("tcp.payload contains \"GET\"");
    HMATCH("tcp.payload contains 47:45:54");
    HMATCH("tcp.payload[0:3] == \"GET\"");
    HMATCH("tcp.payload[0:3] == 47.45.54");
    HMATCH("frame contains \"\\r\\n\\r\\n\"");
    HMATCH("frame.protocols == \"eth:ethertype:ip:tcp:http\"");
    HMATCH("frame.protocols contains \"http\"");
    HNOMATCH("tcp.stream == 0"); /* not tracked: the tracker's fields are absent */
}

static void test_tracker_and_time(void)
{
    MATCH("tcp.stream == 3");
    MATCH("tcp.seq == 0");
    MATCH("tcp.window_size == 64240");
    MATCH("pktscope.phase == \"handshake\"");
    MATCH("pktscope.state.src == \"SYN-SENT\"");
    MATCH("tcp.analysis.retransmission");
    MATCH("tcp.analysis.flags");
    NOMATCH("tcp.analysis.duplicate_ack");
    MATCH("frame.time_epoch == 1700000000.5");
    MATCH("frame.time_epoch > 1700000000");
    MATCH("frame.time_relative == 1.5");
    MATCH("frame.time_delta == 0.25");
    MATCH("frame.time_delta in {0.2 .. 0.3}");
}

static void test_logic(void)
{
    /* not > and > or: "A and B or not C" is "(A and B) or (not C)" */
    MATCH("udp and tcp or not arp");
    NOMATCH("udp and (tcp or not arp)");
    MATCH("tcp or udp and arp");
    NOMATCH("(tcp or udp) and arp");
    MATCH("!(udp || arp) && tcp");
    MATCH("tcp xor udp");
    NOMATCH("tcp ^^ ip");
    MATCH("not not tcp");
    MATCH("((((tcp))))");
}

/* The message's first line, and the column of the caret on its third line (-1 if none). */
static int error_of(const char *expr, char *msg, size_t size)
{
    struct dfilter *f = NULL;
    char err[1024];
    if (dfilter_compile(expr, &f, err, sizeof(err)) == 0) {
        dfilter_free(f);
        snprintf(msg, size, "(compiled)");
        return -1;
    }
    const char *nl = strchr(err, '\n');
    size_t n = nl ? (size_t)(nl - err) : strlen(err);
    snprintf(msg, size, "%.*s", (int)n, err);
    const char *l3 = nl ? strchr(nl + 1, '\n') : NULL;
    if (!l3)
        return -1;
    const char *caret = strchr(l3 + 1, '^');
    /* two spaces of indent before the expression and the caret line */
    return caret ? (int)(caret - (l3 + 1)) - 2 : -1;
}

#define ERR(expr, col, text)                                                                       \
    do {                                                                                           \
        char m_[512];                                                                              \
        int c_ = error_of(expr, m_, sizeof(m_));                                                   \
        CHECK_EQ(c_, col);                                                                         \
        if (!strstr(m_, text)) {                                                                   \
            check_failed++;                                                                        \
            fprintf(stderr, "%s:%d: '%s' gave '%s', expected it to hold '%s'\n", __FILE__,         \
                    __LINE__, expr, m_, text);                                                     \
        } else {                                                                                   \
            check_passed++;                                                                        \
        }                                                                                          \
    } while (0)

static void test_errors(void)
{
    ERR("", 0, "the expression is empty");
    ERR("ip.adr == 1.2.3.4", 0,
        "\"ip.adr\" is neither a field nor a protocol; did you mean ip.addr");
    ERR("tcp.retrans", 0, "did you mean tcp.analysis.retransmission");
    ERR("tcp.port == 80 && (udp || ip.srcc)", 26, "did you mean ip.src?");
    ERR("tcp.port ==", 11, "expected a value or a field after \"==\", found the end");
    ERR("tcp.port = 80", 9, "\"=\" is not an operator");
    ERR("(tcp", 0, "this \"(\" is never closed");
    ERR("tcp.port == 80 foo", 15, "expected \"and\", \"or\" or the end of the expression");
    ERR("tcp.port == 80 == 1", 15, "cannot be compared again");
    ERR("ip.src == 300.1.1.1", 10, "is not an IPv4 address");
    ERR("ipv6.src == 2001:db8::zz", 12, "is not an IPv6 address");
    ERR("ip.src == 10.0.0.0/33", 10, "is not an IPv4 address");
    ERR("eth.src == 00:11", 11, "is not a MAC address");
    ERR("frame.len > \"x\"", 12, "is not an unsigned integer");
    ERR("tcp.flags.syn > 0", 14, "booleans have no order");
    ERR("tcp.analysis.retransmission == 1", 0, "a label with no value");
    ERR("http.request.method matches GET", 28, "must be a double-quoted string");
    ERR("http.request.method matches \"(\"", 28, "bad regular expression");
    ERR("tcp.port contains 80", 9, "\"contains\" needs a string, bytes or a protocol");
    ERR("tcp.port[0:1] == 00", 0, "cannot be sliced");
    ERR("eth.src[0:-1] == 00", 8, "a slice length cannot be negative");
    ERR("tcp.port in {80 443}", 16, "expected \",\", \"..\" or \"}\" in the set");
    ERR("tcp.port in 80", 12, "expected \"{\" after \"in\"");
    ERR("eth.src in {00:1b:21:0a:00:01 .. 00:1b:21:0a:00:09}", 30, "a range needs numbers");
    ERR("http.request.method == \"\\q\"", 24, "unknown escape \\q");
    ERR("1 == 2", 0, "a comparison needs a field on one side");
    ERR("string(frame.number) matches \"1\"", 0, "string() is not supported");
    ERR("len(tcp.port) > 1", 0, "len() takes a string");
    ERR("tcp.port & 0xzz", 11, "expected an integer mask");
    ERR("tcp.port == 80 | udp", 15, "unexpected character \"|\"");
    /* A control byte is named, never written raw (tests/fuzz/corpus/filter/fixed-ctrl-char). */
    ERR("tcp.option_kind !==\x19"
        "1",
        19, "unexpected character \"\\x19\"");
    ERR("ip \x9b", 3, "unexpected character \"\\x9b\"");
}

static void test_no_allocation_state(void)
{
    /* One filter, many packets: evaluation keeps no state from one packet to the next. */
    struct dfilter *f;
    char err[512];
    CHECK_EQ(dfilter_compile("tcp.option_kind == 8 && frame contains 02:04", &f, err, sizeof(err)),
             0);
    struct dissect_options opt = {.verify_checksums = false};
    int hits = 0;
    for (int i = 0; i < 1000; i++) {
        const uint8_t *p = i % 2 ? syn : http;
        size_t n = i % 2 ? sizeof(syn) : http_len;
        dissect_frame(&dis, p, (uint32_t)n, (uint32_t)n, 1, &opt);
        struct filter_packet fp = {
            .d = &dis, .number = (uint64_t)i + 1, .len = (uint32_t)n, .caplen = (uint32_t)n};
        hits += dfilter_match(f, &fp);
    }
    CHECK_EQ(hits, 500);
    CHECK(!dfilter_uses_tracker(f));
    dfilter_free(f);
    CHECK_EQ(dfilter_compile("tcp.stream == 1", &f, err, sizeof(err)), 0);
    CHECK(dfilter_uses_tracker(f));
    dfilter_free(f);
}

/* Whether a filter names a field that a lean dissection (--stats, --conns) leaves out: then the
 * pipeline dissects in full, or the filter would never see it. */
static void test_reads_detail(void)
{
    static const struct {
        const char *expr;
        bool detail;
    } cases[] = {
        {"tcp.flags.syn == 1", true},           {"ip.flags.df", true},
        {"ip.dsfield.dscp == 46 || udp", true}, {"eth.src.oui == 0x001b21", true},
        {"tcp.flags == 0x002", false}, /* the word itself is kept */
        {"tcp.port == 80 || dns", false},       {"ip.addr == 192.0.2.1", false},
        {"frame contains \"GET\"", false},
    };
    char err[PS_ERRBUF_SIZE];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct dfilter *f = NULL;
        CHECK_EQ(dfilter_compile(cases[i].expr, &f, err, sizeof(err)), 0);
        if (dfilter_reads_detail(f) != cases[i].detail)
            fprintf(stderr, "dfilter_reads_detail(%s) is wrong\n", cases[i].expr);
        CHECK(dfilter_reads_detail(f) == cases[i].detail);
        dfilter_free(f);
    }
}

/* dfilter_reads_bytes_from on the HTTP request, as if its bytes from the HTTP layer on (offset
 * 54) came after the frame's (a reassembled message): whether a filter can read them decides
 * whether the TUI reads them back from the file (ui_dissect_to_match). */
static void test_reads_bytes_from(void)
{
    static const struct {
        const char *expr;
        bool reads;
    } cases[] = {
        {"tcp.port == 80", false},
        {"ip.src == 192.0.2.1 or tcp.len > 0", false},
        {"frame contains \"GET\"", false}, /* the frame's own bytes */
        {"tcp.stream == 3", false},        /* the tracker's */
        {"http.host == \"x\"", true},
        {"http", true},
        {"tcp contains \"GET\"", true}, /* the TCP layer's bytes take in its payload */
        {"ip.src == 192.0.2.1 and not http.request.method == \"POST\"", true},
        {"len(http.request.uri) > 1", true},
    };
    struct dissect_options opt = {.verify_checksums = false};
    dissect_frame(&dis, http, (uint32_t)http_len, (uint32_t)http_len, 1, &opt);
    CHECK(dis_find(&dis, FID_HTTP_REQUEST_METHOD) != NULL);
    char err[PS_ERRBUF_SIZE];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct dfilter *f = NULL;
        CHECK_EQ(dfilter_compile(cases[i].expr, &f, err, sizeof(err)), 0);
        if (dfilter_reads_bytes_from(f, &dis, 54) != cases[i].reads)
            fprintf(stderr, "dfilter_reads_bytes_from(%s) is wrong\n", cases[i].expr);
        CHECK(dfilter_reads_bytes_from(f, &dis, 54) == cases[i].reads);
        /* Nothing lies past the frame's end. */
        CHECK(!dfilter_reads_bytes_from(f, &dis, (uint32_t)http_len));
        dfilter_free(f);
    }
}

/* dfilter_names_field: what --threads asks before it matches a filter in its workers. */
static void test_names_field(void)
{
    static const struct {
        const char *expr;
        bool tcp_stream, udp_stream;
    } cases[] = {
        {"tcp.stream == 1", true, false},
        {"tcp.port == 80 && !(udp.stream in {1, 2})", false, true},
        {"tcp.stream > 1 || udp.stream > 1", true, true},
        {"tcp && frame.time_delta > 0.5", false, false},
        {"tcp.port == 80", false, false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct dfilter *f = NULL;
        char err[256];
        CHECK_EQ(dfilter_compile(cases[i].expr, &f, err, sizeof(err)), 0);
        CHECK(dfilter_names_field(f, FID_TCP_STREAM) == cases[i].tcp_stream);
        CHECK(dfilter_names_field(f, FID_UDP_STREAM) == cases[i].udp_stream);
        dfilter_free(f);
    }
    CHECK(!dfilter_names_field(NULL, FID_TCP_STREAM));
}

/* dfilter_frame_local: which filters the TUI answers ahead of the analysis, on each packet
 * dissected on its own. Header fields and protocols yes; anything the tracker, reassembly or
 * the frames around a packet fill in no. */
static void test_frame_local(void)
{
    static const struct {
        const char *expr;
        bool local;
    } cases[] = {
        {"tcp.port == 80", true},
        {"udp", true},
        {"ip.addr == 10.0.0.1 && tcp.flags.syn == 1", true},
        {"eth.addr == 02:00:00:00:00:01 || arp", true},
        {"tcp.payload contains 41:42", true},
        {"frame contains 47:45:54", true},
        {"len(tcp.payload) > 10 && !icmp", true},
        {"http", false},
        {"tcp.port == 80 && http", false},
        {"tcp.stream == 1", false},
        {"tcp.seq == 1", false},
        {"tcp.analysis.retransmission", false},
        {"tcp.reassembled_in == 5", false},
        {"tcp.segment.count > 1", false},
        {"ip.fragment.count > 1", false},
        {"ip.reassembled.length > 100", false},
        {"frame.protocols contains \"http\"", false},
        {"frame.time_relative > 1", true},
        {"tcp.options.timestamp.tsval > 1 || tcp.options.tfo.request", true},
        {"icmpv6.mld.maximum_response_code == 0", true},
        {"icmp.resp_in == 3", false},
        {"icmpv6.resp_to == 3", false},
        {"dns.qry.name == \"a\"", false},
        {"pktscope.phase == \"data\"", false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct dfilter *f = NULL;
        char err[256];
        if (dfilter_compile(cases[i].expr, &f, err, sizeof(err)) < 0) {
            fprintf(stderr, "%s: %s\n", cases[i].expr, err);
            CHECK(false);
            continue;
        }
        if (dfilter_frame_local(f) != cases[i].local)
            fprintf(stderr, "frame_local(%s) != %d\n", cases[i].expr, cases[i].local);
        CHECK(dfilter_frame_local(f) == cases[i].local);
        dfilter_free(f);
    }
    CHECK(!dfilter_frame_local(NULL));
}

int main(void)
{
    build_http();
    memset(&ti, 0, sizeof(ti));
    ti.flags = TI_HAS_STREAM | TI_FROM_ORIG;
    ti.proto = 6;
    ti.stream = 3;
    ti.rel_seq = 0;
    ti.window_scaled = 64240;
    ti.phase = PHASE_HANDSHAKE;
    ti.state_src = TCPS_SYN_SENT;
    ti.state_dst = TCPS_LISTEN;
    ti.analysis = TA_RETRANSMISSION;
    test_numbers();
    test_booleans_and_presence();
    test_occurrences();
    test_addresses();
    test_strings_and_bytes();
    test_tracker_and_time();
    test_logic();
    test_errors();
    test_no_allocation_state();
    test_reads_detail();
    test_reads_bytes_from();
    test_names_field();
    test_frame_local();
    return check_done();
}
