/*
 * The line-based protocols (textproto): lines cut at the segment's end, the bound on lines,
 * FTP's first line and announced endpoints, a Telnet command cut in two, and the tracker's
 * announced-connection table (an FTP data connection named ftp-data; the table bounded).
 * Frames are built here (Ethernet, IPv4, TCP) with checksums left at zero and not verified.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "dissect/dissect.h"
#include "track/track.h"

static uint8_t frame[2048];

/* An Ethernet/IPv4/TCP frame from a.b.c.d:sport to e.f.g.h:dport carrying `data`. */
static size_t build(const uint8_t src[4], const uint8_t dst[4], uint16_t sport, uint16_t dport,
                    uint8_t flags, const void *data, size_t n)
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
    memcpy(ip + 12, src, 4);
    memcpy(ip + 16, dst, 4);
    uint8_t *tcp = ip + 20;
    tcp[0] = (uint8_t)(sport >> 8);
    tcp[1] = (uint8_t)sport;
    tcp[2] = (uint8_t)(dport >> 8);
    tcp[3] = (uint8_t)dport;
    tcp[7] = 1;
    tcp[12] = 0x50;
    tcp[13] = flags;
    tcp[14] = 0xff;
    memcpy(tcp + 20, data, n);
    return 54 + n;
}

static const uint8_t CLI[4] = {192, 0, 2, 1}, SRV[4] = {198, 51, 100, 7};

static void run(struct dissection *d, size_t n)
{
    struct dissect_options opt = {.verify_checksums = false};
    dissect_frame(d, frame, (uint32_t)n, (uint32_t)n, 1, &opt);
}

static size_t count(const struct dissection *d, const char *name)
{
    size_t k = 0;
    int id = field_by_name(name);
    for (unsigned i = 0; i < d->nfields; i++)
        if ((int)d->fields[i].id == id)
            k++;
    return k;
}

static bool text_is(const struct dissection *d, const char *name, const char *want)
{
    int id = field_by_name(name);
    const struct field *f = id >= 0 ? dis_find(d, (enum field_id)id) : NULL;
    size_t n;
    const char *s = f ? dis_field_text(d, f, &n) : NULL;
    return s && n == strlen(want) && memcmp(s, want, n) == 0;
}

static struct dissection dd;

static void test_ftp_lines(void)
{
    static const char req[] = "USER alice\r\nPASS se";
    run(&dd, build(CLI, SRV, 40000, 21, 0x18, req, sizeof(req) - 1));
    CHECK(dis_find_layer(&dd, PROTO_FTP) != NULL);
    CHECK(text_is(&dd, "ftp.request.command", "USER"));
    CHECK(text_is(&dd, "ftp.request.arg", "alice"));
    CHECK_EQ(count(&dd, "ftp.request.command"), 1); /* only the first line is split */
    CHECK_EQ(dis_worst_status(&dd), LAYER_OK);

    static const char pasv[] = "227 Entering Passive Mode (198,51,100,7,156,64).\r\n";
    run(&dd, build(SRV, CLI, 21, 40000, 0x18, pasv, sizeof(pasv) - 1));
    CHECK(text_is(&dd, "ftp.passive.ip", "198.51.100.7"));
    const struct field *p = dis_find(&dd, (enum field_id)field_by_name("ftp.passive.port"));
    CHECK(p && p->value == 156 * 256 + 64);

    /* bare LFs, and more lines than a segment is decoded for: bounded, with an anomaly */
    char many[400];
    memset(many, '\n', sizeof(many));
    memcpy(many, "220-x", 5);
    run(&dd, build(SRV, CLI, 21, 40000, 0x18, many, sizeof(many)));
    CHECK(dd.nanomalies >= 1);
    CHECK(dd.nanomalies >= 1 &&
          strcmp(anomaly_name((enum anomaly_id)dd.anomalies[0].id), "text.too_many_lines") == 0);
}

static void test_telnet_cut(void)
{
    static const uint8_t seg[] = {'o', 'k', '\r', '\n', 0xff, 0xfb};
    run(&dd, build(SRV, CLI, 23, 40000, 0x18, seg, sizeof(seg)));
    CHECK(text_is(&dd, "telnet.data", "ok\r\n"));
    CHECK_EQ(count(&dd, "telnet.cmd"), 1);
    CHECK_EQ(dis_worst_status(&dd), LAYER_TRUNCATED);
}

static enum announce conn_mark(struct tracker *t, uint16_t cport, uint16_t sport_)
{
    struct track_info ti;
    run(&dd, build(CLI, SRV, cport, sport_, 0x02, "", 0));
    tracker_packet(t, &dd, 1000, 0, 1, &ti);
    return (enum announce)ti.announced;
}

static void test_announced(void)
{
    struct tracker *t = tracker_new(NULL);
    struct track_info ti;
    char pasv[80];
    /* 17 announcements into 16 slots: the first is overwritten */
    for (unsigned i = 0; i <= 16; i++) {
        unsigned port = 50000 + i;
        int n = snprintf(pasv, sizeof(pasv), "227 Entering Passive Mode (198,51,100,7,%u,%u).\r\n",
                         port >> 8, port & 255);
        run(&dd, build(SRV, CLI, 21, 40000, 0x18, pasv, (size_t)n));
        tracker_packet(t, &dd, 999, 0, 1, &ti);
    }
    CHECK_EQ(conn_mark(t, 41000, 50016), ANNOUNCE_FTP_PASV);
    CHECK_EQ(conn_mark(t, 41001, 50001), ANNOUNCE_FTP_PASV);
    CHECK_EQ(conn_mark(t, 41002, 50000), ANNOUNCE_NONE); /* overwritten */
    CHECK_EQ(conn_mark(t, 41003, 50016), ANNOUNCE_NONE); /* used up by the first connection */
    CHECK_EQ(conn_mark(t, 41004, 80), ANNOUNCE_NONE);
    CHECK_STR(announce_method(ANNOUNCE_FTP_PASV), "PASV");
    tracker_free(t);
}

int main(void)
{
    test_ftp_lines();
    test_telnet_cut();
    test_announced();
    return check_done();
}
