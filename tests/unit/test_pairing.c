/*
 * Unit tests for the message-length functions TCP reassembly asks (HTTP/1.x, DNS over TCP,
 * SMTP and IMAP: dissect/http.c, dns.c, smtp.c, imap.c) and for the tracker's bounded pair table
 * (track/pairing.c).
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "dissect/internal.h"
#include "track/pairing.h"

static size_t http_len(const char *s)
{
    return dis_http_pdu_len((const uint8_t *)s, strlen(s));
}

static void test_http_pdu_len(void)
{
    /* Headers only: a request without a body ends at CRLFCRLF. */
    CHECK_EQ(http_len("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), 27);
    /* Two pipelined requests: the first one's length. */
    CHECK_EQ(http_len("GET / HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n"), 18);
    /* Not complete yet: need more. */
    CHECK_EQ(http_len("GET / HTTP/1.1\r\nHost: a\r\n"), 0);
    CHECK_EQ(http_len("GE"), 0);
    CHECK_EQ(http_len("HTTP/1."), 0);
    /* Not a start. */
    CHECK_EQ(http_len("hello world, not http\r\n"), DIS_PDU_NOT_A_START);
    CHECK_EQ(http_len("hello world, not http"), DIS_PDU_NOT_A_START);
    CHECK_EQ(http_len("xyz"), DIS_PDU_NOT_A_START);
    /* Content-Length: the whole message, even before the body is all there. */
    CHECK_EQ(http_len("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"), 39 + 10);
    CHECK_EQ(http_len("POST /f HTTP/1.1\r\ncontent-length:  3 \r\n\r\nabc"), 41 + 3);
    /* 1xx, 204, 304: no body whatever Content-Length says. */
    CHECK_EQ(http_len("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n"), 49);
    CHECK_EQ(http_len("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\n"), 27);
    CHECK_EQ(http_len("HTTP/1.1 100 Continue\r\n\r\n"), 25);
    /* A response without Content-Length, not chunked: runs to the end of the connection. */
    CHECK_EQ(http_len("HTTP/1.0 200 OK\r\nServer: x\r\n\r\nbody..."), 0);
    /* Chunked: through the last chunk and the trailer. */
    const char *ch = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "5\r\nhello\r\n7;x=1\r\n, world\r\n0\r\nExpires: 0\r\n\r\nNEXT";
    CHECK_EQ(http_len(ch), strlen(ch) - 4);
    /* Chunked but the last chunk not there yet. */
    CHECK_EQ(http_len("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel"), 0);
    CHECK_EQ(http_len("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n"),
             0);
    /* A chunk size that is not hex: the message is taken to end with the bytes there. */
    const char *bad = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nxx";
    CHECK_EQ(http_len(bad), strlen(bad));
    /* A huge Content-Length does not overflow. */
    CHECK(http_len("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999\r\n\r\n") > 0);
}

static void test_dns_tcp_pdu_len(void)
{
    const uint8_t q[] = {0x00, 0x21, 0x01, 0x01};
    CHECK_EQ(dis_dns_tcp_pdu_len(q, 0), 0);
    CHECK_EQ(dis_dns_tcp_pdu_len(q, 1), 0);
    CHECK_EQ(dis_dns_tcp_pdu_len(q, 4), 2 + 0x21);
    const uint8_t tiny[] = {0x00, 0x05, 0x00};
    CHECK_EQ(dis_dns_tcp_pdu_len(tiny, 3), DIS_PDU_NOT_A_START);
}

static size_t smtp_len(const char *s)
{
    return dis_smtp_pdu_len((const uint8_t *)s, strlen(s));
}

static size_t imap_len(const char *s)
{
    return dis_imap_pdu_len((const uint8_t *)s, strlen(s));
}

static void test_line_pdu_len(void)
{
    /* SMTP: nothing until an end of line, then all of it, a cut last line included. */
    CHECK_EQ(smtp_len("EH"), 0);
    CHECK_EQ(smtp_len("220 mx.exa"), 0);
    CHECK_EQ(smtp_len("250 OK\r"), 0); /* a CR at the end may be half of a CRLF */
    CHECK_EQ(smtp_len("250 OK\r\n"), 8);
    CHECK_EQ(smtp_len("250-mx\r\n250-PIPEL"), 17);
    CHECK_EQ(smtp_len("body\nmore"), 9);
    /* IMAP: the whole lines and literals at the start; 0 while the first is cut. */
    CHECK_EQ(imap_len("A001 CAPA"), 0);
    CHECK_EQ(imap_len("* 1 EXISTS\r\n* 0 RECENT\r\nA003 OK SEL"), 24);
    CHECK_EQ(imap_len("A001 OK done\r\n"), 14);
    CHECK_EQ(imap_len("* 1 FETCH (BODY[] {5}\r\nabc"), 0);
    CHECK_EQ(imap_len("* 1 FETCH (BODY[] {5}\r\nabcde"), 28);
    CHECK_EQ(imap_len("* 1 FETCH (BODY[] {5}\r\nab\ncd)\r\nA4 OK"), 31);
    CHECK_EQ(imap_len("A2 APPEND x {3+}\r\nabc\r\n"), 23);
    /* A literal too long to be real still waits (reassembly's cap ends it). */
    CHECK_EQ(imap_len("* 1 FETCH (BODY[] {999999999}\r\nabc"), 0);
}

static void test_pair_table(void)
{
    struct pair_table *pt = pair_table_new(3);
    uint64_t a;
    int64_t b;
    pair_put(pt, "k1", 2, 1, 10);
    pair_put(pt, "k2", 2, 2, 20);
    pair_put(pt, "k3", 2, 3, 30);
    CHECK(pair_get(pt, "k2", 2, &a, &b, false));
    CHECK_EQ(a, 2);
    CHECK_EQ(b, 20);
    /* Full: the oldest (k1) goes. */
    pair_put(pt, "k4", 2, 4, 40);
    CHECK(!pair_get(pt, "k1", 2, &a, &b, false));
    CHECK_EQ(pair_evicted(pt), 1);
    /* Take removes; the others are still found (probe chains repaired). */
    CHECK(pair_get(pt, "k3", 2, &a, &b, true));
    CHECK(!pair_get(pt, "k3", 2, &a, &b, false));
    CHECK(pair_get(pt, "k2", 2, &a, &b, false));
    CHECK(pair_get(pt, "k4", 2, &a, &b, false));
    CHECK_EQ(a, 4);
    /* Replacing keeps one entry. */
    pair_put(pt, "k4", 2, 5, 50);
    CHECK(pair_get(pt, "k4", 2, &a, &b, false));
    CHECK_EQ(a, 5);
    /* Many keys through a small table: always bounded, never lost when present. */
    char key[8];
    for (int i = 0; i < 1000; i++) {
        snprintf(key, sizeof(key), "x%d", i);
        pair_put(pt, key, strlen(key), (uint64_t)i, i);
        CHECK(pair_get(pt, key, strlen(key), &a, &b, false));
    }
    CHECK(pair_get(pt, "x999", 4, &a, &b, true));
    CHECK_EQ(a, 999);
    pair_table_free(pt);
}

/* A table that grows from its first size to its cap, with entries taken from the middle of the
 * age order: eviction still takes the oldest entry that is left, and nothing present is lost
 * across the growth steps. */
static void test_pair_table_growth(void)
{
    enum { CAP = 100 };
    struct pair_table *pt = pair_table_new(CAP);
    uint64_t a;
    int64_t b;
    char key[8];
    for (int i = 0; i < CAP; i++) {
        snprintf(key, sizeof(key), "g%d", i);
        pair_put(pt, key, strlen(key), (uint64_t)i, i);
    }
    for (int i = 0; i < CAP; i += 2) {
        snprintf(key, sizeof(key), "g%d", i);
        CHECK(pair_get(pt, key, strlen(key), &a, &b, true));
        CHECK_EQ(a, (uint64_t)i);
    }
    for (int i = CAP; i < CAP + CAP / 2; i++) {
        snprintf(key, sizeof(key), "g%d", i);
        pair_put(pt, key, strlen(key), (uint64_t)i, i);
    }
    CHECK_EQ(pair_evicted(pt), 0);
    /* Full again (50 odd ones and 50 new): the next two puts evict g1, then g3. */
    pair_put(pt, "n1", 2, 1, 1);
    pair_put(pt, "n2", 2, 2, 2);
    CHECK_EQ(pair_evicted(pt), 2);
    CHECK(!pair_get(pt, "g1", 2, &a, &b, false));
    CHECK(!pair_get(pt, "g3", 2, &a, &b, false));
    CHECK(pair_get(pt, "g5", 2, &a, &b, false));
    CHECK_EQ(a, 5);
    for (int i = CAP; i < CAP + CAP / 2; i++) {
        snprintf(key, sizeof(key), "g%d", i);
        CHECK(pair_get(pt, key, strlen(key), &a, &b, false));
        CHECK_EQ(a, (uint64_t)i);
    }
    pair_table_free(pt);
}

int main(void)
{
    test_http_pdu_len();
    test_dns_tcp_pdu_len();
    test_line_pdu_len();
    test_pair_table();
    test_pair_table_growth();
    return check_done();
}
