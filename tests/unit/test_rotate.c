/*
 * capture/rotate.c's names and sizes, against what tcpdump 4.99 does (its MakeFilename and
 * getWflagChars): -C numbers, -W padding, -G strftime, the worker suffix, -C's units.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture/rotate.h"
#include "check.h"
#include "util/util.h"

static void test_width(void)
{
    /* tcpdump: the digits of COUNT-1; -W 1 gives none (the bare name). */
    CHECK_EQ(rotate_width(0), 0);
    CHECK_EQ(rotate_width(1), 0);
    CHECK_EQ(rotate_width(2), 1);
    CHECK_EQ(rotate_width(10), 1);
    CHECK_EQ(rotate_width(11), 2);
    CHECK_EQ(rotate_width(100), 2);
    CHECK_EQ(rotate_width(101), 3);
}

static void test_names(void)
{
    char out[256], err[PS_ERRBUF_SIZE];
    CHECK_EQ(rotate_name(out, sizeof(out), "x.pcap", false, 0, 0, 0, err), 0);
    CHECK_STR(out, "x.pcap");
    CHECK_EQ(rotate_name(out, sizeof(out), "x.pcap", false, 0, 2, 0, err), 0);
    CHECK_STR(out, "x.pcap2");
    CHECK_EQ(rotate_name(out, sizeof(out), "c", false, 0, 0, 1, err), 0);
    CHECK_STR(out, "c0");
    CHECK_EQ(rotate_name(out, sizeof(out), "e", false, 0, 7, 2, err), 0);
    CHECK_STR(out, "e07");
    setenv("TZ", "UTC", 1);
    tzset();
    /* 2026-12-02 14:00:00 UTC */
    CHECK_EQ(rotate_name(out, sizeof(out), "cap-%Y%m%d-%H%M%S.pcap", true, 1796220000, 0, 0, err),
             0);
    CHECK_STR(out, "cap-20261202-140000.pcap");
    CHECK_EQ(rotate_name(out, sizeof(out), "g-%H", true, 1796220000, 3, 0, err), 0);
    CHECK_STR(out, "g-143");
    /* Too long for the buffer: an error, not a cut name. */
    CHECK(rotate_name(out, 8, "longer-than-eight", false, 0, 1, 0, err) < 0);
}

static void test_worker_names(void)
{
    char out[256];
    rotate_worker_name(out, sizeof(out), "x.pcap", 0);
    CHECK_STR(out, "x.w0.pcap");
    rotate_worker_name(out, sizeof(out), "/tmp/a.b/cap.pcapng", 12);
    CHECK_STR(out, "/tmp/a.b/cap.w12.pcapng");
    rotate_worker_name(out, sizeof(out), "/tmp/a.b/cap", 1);
    CHECK_STR(out, "/tmp/a.b/cap.w1");
    rotate_worker_name(out, sizeof(out), "dir/.hidden", 1);
    CHECK_STR(out, "dir/.hidden.w1");
    rotate_worker_name(out, sizeof(out), "cap-%H.pcap", 3);
    CHECK_STR(out, "cap-%H.w3.pcap");
}

static void test_sizes(void)
{
    uint64_t b = 0;
    CHECK_EQ(rotate_parse_size("1", &b), 0);
    CHECK_EQ(b, 1000000u);
    CHECK_EQ(rotate_parse_size("30k", &b), 0);
    CHECK_EQ(b, 30u * 1024u);
    CHECK_EQ(rotate_parse_size("2M", &b), 0);
    CHECK_EQ(b, 2u * 1024u * 1024u);
    CHECK_EQ(rotate_parse_size("1g", &b), 0);
    CHECK_EQ(b, 1024u * 1024u * 1024u);
    CHECK(rotate_parse_size("0", &b) < 0);
    CHECK(rotate_parse_size("-1", &b) < 0);
    CHECK(rotate_parse_size("1kb", &b) < 0);
    CHECK(rotate_parse_size("", &b) < 0);
    CHECK(rotate_parse_size("99999999999999999999", &b) < 0);
    CHECK(rotate_parse_size("99999999999999g", &b) < 0);
}

int main(void)
{
    test_width();
    test_names();
    test_worker_names();
    test_sizes();
    return check_done();
}
