/*
 * TCP reassembly under its memory cap (dissect/reasm_tcp.c): a message whose rest was never
 * captured must not keep the cap full for ever. Two HTTP responses on two connections, with a
 * cap of 12,000 bytes: the first stops after 8,000 of its 100,000 bytes (the capture lost the
 * rest), the second (6,000 bytes in five segments) then needs room. The first direction, longest
 * without a segment, is let go and counted; the second is reassembled whole. Frames are built
 * here (Ethernet, IPv4, TCP) with checksums left at zero and not verified. Also: the message
 * buffers one direction lets go and another takes over keep every message's bytes its own, and a
 * long message completed by a frame copied in front of it, or after it when it is too long.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dissect/dissect.h"
#include "dissect/reasm.h"

/* dissect/reasm_internal.h's REASM_TLS_HS_MAX, which this test cannot include: 1 MiB. */
#define REASM_TLS_HS_MAX_FOR_TEST ((size_t)1 << 20)

/* Room for a frame of the largest IP datagram and a trailer after it (test_big_frame_completes). */
static uint8_t frame[72 * 1024];
static size_t trailer;            /* bytes after the IP datagram in the next frames built */
static uint16_t server_port = 80; /* the port the frames come from */

/* An Ethernet/IPv4/TCP frame from the server port (80 unless told) to the client port
 * `cport`, sequence number `seq`, PSH+ACK, carrying `data`. */
static size_t build(uint16_t cport, uint32_t seq, const void *data, size_t n)
{
    memset(frame, 0, 54);
    frame[12] = 0x08;
    uint8_t *ip = frame + 14;
    size_t tot = 20 + 20 + n;
    ip[0] = 0x45;
    ip[2] = (uint8_t)(tot >> 8);
    ip[3] = (uint8_t)tot;
    ip[8] = 64;
    ip[9] = 6;
    const uint8_t srv[4] = {198, 51, 100, 7}, cli[4] = {192, 0, 2, 1};
    memcpy(ip + 12, srv, 4);
    memcpy(ip + 16, cli, 4);
    uint8_t *tcp = ip + 20;
    tcp[0] = (uint8_t)(server_port >> 8);
    tcp[1] = (uint8_t)server_port;
    tcp[2] = (uint8_t)(cport >> 8);
    tcp[3] = (uint8_t)cport;
    tcp[4] = (uint8_t)(seq >> 24);
    tcp[5] = (uint8_t)(seq >> 16);
    tcp[6] = (uint8_t)(seq >> 8);
    tcp[7] = (uint8_t)seq;
    tcp[11] = 1; /* ack 1 */
    tcp[12] = 0x50;
    tcp[13] = 0x18; /* PSH, ACK */
    tcp[14] = 0xff;
    memcpy(tcp + 20, data, n);
    memset(tcp + 20 + n, 0xee, trailer);
    return 54 + n + trailer;
}

static struct dissection dis;
static uint64_t frame_no;

static void feed(struct reasm *r, uint16_t cport, uint32_t seq, const void *data, size_t n)
{
    size_t len = build(cport, seq, data, n);
    frame_no++;
    reasm_frame(r, frame_no, 1700000000 + (int64_t)frame_no);
    struct dissect_options opt = {.verify_checksums = false, .reasm = r};
    dissect_frame(&dis, frame, (uint32_t)len, (uint32_t)len, 1, &opt);
}

/* A response of `body` bytes: its header, then the body in segments of up to 1,400 bytes,
 * stopping after `sent` bytes of body. Returns the sequence number after the last byte. */
static uint32_t respond(struct reasm *r, uint16_t cport, size_t body, size_t sent)
{
    char head[128];
    int hn = snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n", body);
    uint32_t seq = 1;
    feed(r, cport, seq, head, (size_t)hn);
    seq += (uint32_t)hn;
    static uint8_t chunk[1400];
    memset(chunk, 'x', sizeof(chunk));
    for (size_t done = 0; done < sent;) {
        size_t n = sent - done < sizeof(chunk) ? sent - done : sizeof(chunk);
        feed(r, cport, seq, chunk, n);
        seq += (uint32_t)n;
        done += n;
    }
    return seq;
}

static void test_stale_message_let_go(void)
{
    struct reasm_limits lim;
    reasm_default_limits(&lim);
    lim.max_bytes = 12000;
    struct reasm *r = reasm_new(&lim);
    respond(r, 40001, 100000, 8000); /* the rest never captured */
    CHECK_EQ(reasm_stats(r)->pdus_reassembled, 0);
    respond(r, 40002, 6000, 6000);
    /* The last frame carries the whole response: header and 6,000 bytes of body. */
    CHECK(dis.flags & DIS_REASSEMBLED);
    CHECK_EQ(reasm_stats(r)->pdus_reassembled, 1);
    CHECK_EQ(reasm_stats(r)->streams_evicted_for_memory, 1);
    CHECK_EQ(reasm_stats(r)->pdus_dropped, 1); /* the first, let go with its message open */
    CHECK(reasm_stats(r)->bytes_peak <= lim.max_bytes);
    bool http = false;
    for (unsigned i = 0; i < dis.nlayers; i++)
        http |= dis.layers[i].proto == PROTO_HTTP;
    CHECK(http);
    reasm_free(r);
}

/* With room for both, nothing is let go: the cap is the only reason. */
static void test_room_for_both(void)
{
    struct reasm *r = reasm_new(NULL);
    respond(r, 40001, 100000, 8000);
    respond(r, 40002, 6000, 6000);
    CHECK_EQ(reasm_stats(r)->pdus_reassembled, 1);
    CHECK_EQ(reasm_stats(r)->streams_evicted_for_memory, 0);
    CHECK_EQ(reasm_stats(r)->pdus_dropped, 0);
    reasm_finish(r);
    CHECK_EQ(reasm_stats(r)->pdus_dropped, 1); /* the first, never completed */
    reasm_free(r);
}

/* Body byte i of the response to port cport: different for every port and offset. */
static uint8_t body_byte(uint16_t cport, size_t i)
{
    return (uint8_t)(cport * 13u + i * 7u + i / 251u);
}

/* Sends body bytes [from, to) of the response to cport, from sequence number seq on. */
static uint32_t send_body(struct reasm *r, uint16_t cport, uint32_t seq, size_t from, size_t to)
{
    static uint8_t chunk[1400];
    while (from < to) {
        size_t n = to - from < sizeof(chunk) ? to - from : sizeof(chunk);
        for (size_t j = 0; j < n; j++)
            chunk[j] = body_byte(cport, from + j);
        feed(r, cport, seq, chunk, n);
        seq += (uint32_t)n;
        from += n;
    }
    return seq;
}

/* The frame just dissected completed the response to cport: the frame's bytes come first, as
 * built, then the reassembled bytes, which start with the response's header, and its body, at
 * their end, is the one sent. */
static bool body_reassembled(uint16_t cport, size_t body)
{
    static const char status[] = "HTTP/1.1 200 OK\r\n";
    if (!(dis.flags & DIS_REASSEMBLED) || dis.data_len < dis.caplen + sizeof(status) - 1 + body)
        return false;
    if (memcmp(dis.data, frame, dis.caplen) != 0)
        return false;
    if (memcmp(dis.data + dis.caplen, status, sizeof(status) - 1) != 0)
        return false;
    const uint8_t *b = dis.data + dis.data_len - body;
    for (size_t i = 0; i < body; i++)
        if (b[i] != body_byte(cport, i))
            return false;
    return true;
}

/* A response with a header, all its body sent: true when it came out whole and as sent. */
static bool respond_whole(struct reasm *r, uint16_t cport, size_t body)
{
    char head[128];
    int hn = snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n", body);
    feed(r, cport, 1, head, (size_t)hn);
    send_body(r, cport, 1 + (uint32_t)hn, 0, body);
    return body_reassembled(cport, body);
}

/*
 * Message buffers handed from one direction to the next (dir_buf_release): big messages one
 * after another, smaller ones taking over a bigger one's buffer, and one message open while
 * others come and go; every message's bytes are its own, and the memory cap is charged for
 * open messages only, as without spares.
 */
static void test_buffers_handed_on(void)
{
    struct reasm *r = reasm_new(NULL);
    /* One open across others, its buffer made before any spare: when it grows past it, it
     * takes over the bigger buffer another message left, with its bytes so far. */
    char head[128];
    int hn = snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", 500000);
    feed(r, 41001, 1, head, (size_t)hn);
    uint32_t seq = send_body(r, 41001, 1 + (uint32_t)hn, 0, 120000);
    CHECK(respond_whole(r, 41002, 700000));
    CHECK(respond_whole(r, 41003, 150000)); /* into the one before's buffer, and back */
    send_body(r, 41001, seq, 120000, 500000);
    CHECK(body_reassembled(41001, 500000));
    CHECK_EQ(reasm_stats(r)->bytes_now, 0);
    /* One after another, smaller ones in bigger ones' buffers. */
    CHECK(respond_whole(r, 41004, 200000));
    CHECK(respond_whole(r, 41005, 90000));
    CHECK(respond_whole(r, 41006, 800000));
    CHECK(respond_whole(r, 41007, 70000));
    CHECK_EQ(reasm_stats(r)->pdus_reassembled, 7);
    CHECK_EQ(reasm_stats(r)->pdus_dropped, 0);
    CHECK_EQ(reasm_stats(r)->bytes_now, 0);
    reasm_free(r);
}

/* What malloc() has handed out and not had back, in its heap and in its own mappings; 0 where
 * another allocator stands in (AddressSanitizer's). A buffer aligned to 2 MiB (xmalloc_bulk)
 * that glibc serves by a mapping of its own maps up to 2 MiB before it that is never touched:
 * address space, not memory, and left out. Whether a buffer is served so depends on glibc's
 * threshold, which the frees of the tests before this one move. */
static size_t malloc_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    size_t slack = (size_t)mi.hblks << 21;
    return mi.uordblks + (mi.hblkhd > slack ? mi.hblkhd - slack : 0);
}

/*
 * A long message's buffer is made whole at once (dir_alloc_message), but what such buffers hold
 * beyond what the memory cap is charged for is bounded by max_bytes over every direction:
 * forty responses that each claim 4,000,000 bytes and send one segment of them make about
 * 80 MB of buffers (max_bytes of 64 MiB ahead, and what is charged), not the 168 MB that
 * buffers as long as every claim would be. Two of them, finished afterwards, come out whole.
 */
static void test_whole_buffers_bounded(void)
{
    struct reasm *r = reasm_new(NULL);
    const size_t claim = 4000000;
    size_t before = malloc_in_use();
    uint32_t next[40];
    for (uint16_t i = 0; i < 40; i++) {
        char head[128];
        int hn =
            snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n", claim);
        feed(r, (uint16_t)(42000 + i), 1, head, (size_t)hn);
        next[i] = send_body(r, (uint16_t)(42000 + i), 1 + (uint32_t)hn, 0, 1400);
    }
    size_t after = malloc_in_use();
    if (before && after) /* else the allocator is not glibc's: nothing to measure */
        CHECK(after - before < (size_t)100 << 20);
    CHECK_EQ(reasm_stats(r)->pdus_dropped, 0);
    send_body(r, 42000, next[0], 1400, claim);
    CHECK(body_reassembled(42000, claim));
    send_body(r, 42039, next[39], 1400, claim);
    CHECK(body_reassembled(42039, claim));
    CHECK_EQ(reasm_stats(r)->pdus_dropped, 0);
    reasm_free(r);
}

/*
 * A long message is completed by the frame copied in front of it, in the room its buffer keeps
 * for that (reasm_append_before), unless the frame is too long for the room: then the message
 * is copied after the frame, as a short one is. Both come out whole, the frame's bytes first,
 * and the next frame's dissection is its own (the buffer lent to the frame is back).
 */
static void test_big_frame_completes(void)
{
    struct reasm *r = reasm_new(NULL);
    char head[128];
    const size_t body = 400000;
    int hn = snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n", body);
    for (uint16_t cport = 43001; cport <= 43002; cport++) {
        feed(r, cport, 1, head, (size_t)hn);
        uint32_t seq = send_body(r, cport, 1 + (uint32_t)hn, 0, body - 60000);
        /* The last 60,000 bytes in one frame: 60,054 bytes long, or, with a trailer of 12,000
         * bytes after the IP datagram, 72,054, more than the room. */
        trailer = cport == 43002 ? 12000 : 0;
        uint8_t *last = malloc(60000);
        for (size_t j = 0; j < 60000; j++)
            last[j] = body_byte(cport, body - 60000 + j);
        feed(r, cport, seq, last, 60000);
        free(last);
        trailer = 0;
        CHECK_EQ(dis.caplen, cport == 43002 ? 72054u : 60054u);
        CHECK(body_reassembled(cport, body));
        feed(r, cport, seq + 60000, "HTTP/1.1 204 No Content\r\n\r\n", 27);
        CHECK(!(dis.flags & DIS_REASSEMBLED));
        CHECK_EQ(dis.data_len, dis.caplen);
        CHECK(memcmp(dis.data, frame, dis.caplen) == 0);
    }
    CHECK_EQ(reasm_stats(r)->pdus_reassembled, 2);
    CHECK_EQ(reasm_stats(r)->pdus_dropped, 0);
    reasm_free(r);
}

/* The header of a response of `body` bytes to cport, at sequence number 1; returns the
 * sequence number of the body's first byte. */
static uint32_t send_head(struct reasm *r, uint16_t cport, size_t body)
{
    char head[128];
    int hn = snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n", body);
    feed(r, cport, 1, head, (size_t)hn);
    return 1 + (uint32_t)hn;
}

/*
 * Segments past a gap within a message of known length are held at their offset (dir_hold):
 * the body's second 1,400 bytes come last, after the three segments past them, and the frame
 * that brings them completes the response, whole and in order; the three were told apart.
 * The same with a second gap opened before the first is filled: each fill takes what it
 * reaches, and the message completes with the last. A segment past the message's end is a
 * hole as before: the message is dropped there.
 */
static void test_held_past_gap(void)
{
    struct reasm *r = reasm_new(NULL);
    uint32_t at = send_head(r, 44001, 6000);
    send_body(r, 44001, at, 0, 1400);
    send_body(r, 44001, at + 2800, 2800, 6000); /* 2800-4200, 4200-5600, 5600-6000 */
    CHECK_EQ(reasm_stats(r)->pdus_reassembled, 0);
    CHECK_EQ(reasm_stats(r)->segments_out_of_order, 3);
    send_body(r, 44001, at + 1400, 1400, 2800);
    CHECK(body_reassembled(44001, 6000));
    CHECK_EQ(reasm_stats(r)->pdus_reassembled, 1);

    at = send_head(r, 44002, 7000);
    send_body(r, 44002, at + 5600, 5600, 7000); /* the last segment first */
    send_body(r, 44002, at + 2800, 2800, 4200);
    send_body(r, 44002, at, 0, 1400);
    send_body(r, 44002, at + 1400, 1400, 2800); /* reaches the one held at 2800 */
    CHECK_EQ(reasm_stats(r)->pdus_reassembled, 1);
    send_body(r, 44002, at + 4200, 4200, 5600); /* and the last */
    CHECK(body_reassembled(44002, 7000));
    CHECK_EQ(reasm_stats(r)->pdus_reassembled, 2);
    CHECK_EQ(reasm_stats(r)->segments_out_of_order, 5);

    at = send_head(r, 44003, 3000);
    send_body(r, 44003, at, 0, 1400);
    send_body(r, 44003, at + 3000, 0, 100); /* past the message's end */
    CHECK_EQ(reasm_stats(r)->stream_holes, 1);
    CHECK_EQ(reasm_stats(r)->segments_out_of_order, 5);
    CHECK_EQ(reasm_stats(r)->pdus_dropped, 0);
    CHECK_EQ(reasm_stats(r)->bytes_now, 0);
    reasm_free(r);
}

/*
 * Room under the memory cap is made first from messages with a gap (dir_make_room): of an
 * older message in order still open and a newer one with a gap, the one with the gap is let
 * go for a third that needs room, and the older one still completes. Letting go of the least
 * recently used alone would have dropped the message in order.
 */
static void test_gapped_let_go_first(void)
{
    struct reasm_limits lim;
    reasm_default_limits(&lim);
    lim.max_bytes = 30000;
    struct reasm *r = reasm_new(&lim);
    uint32_t in_order = send_head(r, 45001, 8000);
    in_order = send_body(r, 45001, in_order, 0, 1400);
    uint32_t gapped = send_head(r, 45002, 10000);
    send_body(r, 45002, gapped, 0, 1400);
    send_body(r, 45002, gapped + 2800, 2800, 4200);
    CHECK_EQ(reasm_stats(r)->segments_out_of_order, 1);
    CHECK(respond_whole(r, 45003, 14000));
    CHECK_EQ(reasm_stats(r)->streams_evicted_for_memory, 1);
    CHECK_EQ(reasm_stats(r)->pdus_dropped, 1);
    send_body(r, 45001, in_order, 1400, 8000);
    CHECK(body_reassembled(45001, 8000));
    CHECK_EQ(reasm_stats(r)->pdus_reassembled, 2);
    CHECK(reasm_stats(r)->bytes_peak <= lim.max_bytes);
    reasm_free(r);
}

/* How many fields of `id` the last frame dissected has, and the value of the first. */
static unsigned count_fields(enum field_id id, uint64_t *first)
{
    unsigned n = 0;
    for (unsigned i = 0; i < dis.nfields; i++)
        if (dis.fields[i].id == id && n++ == 0 && first)
            *first = dis.fields[i].value;
    return n;
}

/* A TLS record of content type `ct` with `n` bytes of body, into out; returns its length. */
static size_t tls_record(uint8_t *out, uint8_t ct, const uint8_t *body, size_t n)
{
    out[0] = ct;
    out[1] = 3;
    out[2] = 3;
    out[3] = (uint8_t)(n >> 8);
    out[4] = (uint8_t)n;
    memcpy(out + 5, body, n);
    return 5 + n;
}

/*
 * A TLS handshake message that spans records (dissect/tls.c, reasm_tcp_tls_hs_add): a
 * Certificate of 150 bytes in a record of its first 100 bytes, then a record of its other 54
 * and a ServerHelloDone, in the next frame. The second frame carries the fragments' frames and
 * the whole message; what was held is let go, its charge returned.
 */
static void test_tls_handshake_across_frames(void)
{
    server_port = 443;
    struct reasm *r = reasm_new(NULL);
    uint8_t msg[154 + 4], rec[256];
    msg[0] = 11; /* Certificate */
    msg[1] = 0;
    msg[2] = 0;
    msg[3] = 150;
    for (size_t i = 4; i < 154; i++)
        msg[i] = (uint8_t)i;
    memcpy(msg + 154, "\x0e\x00\x00\x00", 4); /* ServerHelloDone */
    size_t n = tls_record(rec, 22, msg, 100);
    feed(r, 46001, 1, rec, n);
    uint64_t first_frame = frame_no;
    uint64_t v = 0;
    CHECK_EQ(count_fields(FID_TLS_HANDSHAKE, &v), 1);
    CHECK_EQ(v, TLS_HS_FIRST_FRAGMENT + 11);
    CHECK(reasm_stats(r)->bytes_now > 0);
    size_t n2 = tls_record(rec, 22, msg + 100, 58);
    feed(r, 46001, 1 + (uint32_t)n, rec, n2);
    CHECK(dis.flags & DIS_REASSEMBLED);
    CHECK_EQ(count_fields(FID_TLS_HANDSHAKE_FRAGMENT, &v), 2);
    CHECK_EQ(v, first_frame);
    CHECK_EQ(count_fields(FID_TLS_HANDSHAKE_FRAGMENT_COUNT, &v), 1);
    CHECK_EQ(v, 2);
    CHECK_EQ(count_fields(FID_TLS_HANDSHAKE_TYPE, &v), 2); /* Certificate, ServerHelloDone */
    CHECK_EQ(v, 11);
    CHECK_EQ(count_fields(FID_TLS_HANDSHAKE_LENGTH, &v), 2);
    CHECK_EQ(v, 150);
    CHECK_EQ(reasm_stats(r)->bytes_now, 0);
    reasm_free(r);
    server_port = 80;
}

/* A handshake message that claims more than REASM_TLS_HS_MAX (its start after a ServerHelloDone
 * in its record) is held only that far, then let go with its charge; the records after it are
 * read on their own again (a ServerHelloDone). */
static void test_tls_handshake_bounded(void)
{
    server_port = 443;
    struct reasm *r = reasm_new(NULL);
    static uint8_t body[16000], rec[16005];
    /* A ServerHelloDone first: a first message that claims 64 KB or more would make the record
     * read as encrypted (as in Wireshark), not as the start of a message. */
    memset(body, 0x5a, sizeof(body));
    memcpy(body, "\x0e\x00\x00\x00\x0b\x20\x00\x00", 8); /* then a length of 2 MiB */
    uint32_t seq = 1;
    size_t held_most = 0;
    for (int i = 0; i < 80; i++) { /* 1.28 MB in records of 16,000 bytes */
        size_t n = tls_record(rec, 22, body, sizeof(body));
        feed(r, 46002, seq, rec, n);
        seq += (uint32_t)n;
        if (reasm_stats(r)->bytes_now > held_most)
            held_most = reasm_stats(r)->bytes_now;
        memset(body, 0x5a, 8);
    }
    CHECK(held_most <= REASM_TLS_HS_MAX_FOR_TEST);
    CHECK(held_most >= 1000000);
    CHECK_EQ(reasm_stats(r)->bytes_now, 0);
    uint8_t done[4] = {14, 0, 0, 0};
    size_t n = tls_record(rec, 22, done, sizeof(done));
    feed(r, 46002, seq, rec, n);
    uint64_t v = 0;
    CHECK_EQ(count_fields(FID_TLS_HANDSHAKE_TYPE, &v), 1);
    CHECK_EQ(v, 14);
    reasm_free(r);
    server_port = 80;
}

int main(void)
{
    test_stale_message_let_go();
    test_room_for_both();
    test_buffers_handed_on();
    test_whole_buffers_bounded();
    test_big_frame_completes();
    test_held_past_gap();
    test_gapped_let_go_first();
    test_tls_handshake_across_frames();
    test_tls_handshake_bounded();
    return check_done();
}
