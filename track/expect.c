/*
 * Announced connections (textproto): an FTP control connection names the endpoint of each data
 * connection before it is opened, the server's in reply to PASV (227, RFC 959 4.1.2) or EPSV
 * (229, RFC 2428 3), the client's in PORT (RFC 959 4.1.2) or EPRT (RFC 2428 2). The dissector
 * decodes those addresses per packet; here the tracker remembers them, and the next TCP
 * connection whose responder is that endpoint is marked as FTP data (Zeek's service
 * "ftp-data", Wireshark's "FTP Data"), whatever its ports.
 *
 * Bounded: a ring of EXPECT_SLOTS announcements, the oldest overwritten; one is forgotten when
 * a connection uses it, or after EXPECT_TTL_SEC.
 */
#include <stdlib.h>
#include <string.h>

#include "dissect/dissect.h"
#include "dissect/numbers.h"
#include "track/internal.h"
#include "util/util.h"

#define EXPECT_TTL_SEC 300 /* a data connection follows its announcement within seconds */

const char *announce_method(enum announce a)
{
    static const char *const names[] = {"", "PASV", "PORT", "EPSV", "EPRT"};
    return (unsigned)a < sizeof(names) / sizeof(names[0]) ? names[a] : "";
}

/* Dotted-quad text (the dissector's FT_STRING address) into 4 bytes. */
static bool parse_ipv4(const char *s, size_t n, uint8_t out[4])
{
    size_t i = 0;
    for (int k = 0; k < 4; k++) {
        unsigned v = 0, digits = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 3) {
            v = v * 10 + (unsigned)(s[i++] - '0');
            digits++;
        }
        if (!digits || v > 255)
            return false;
        out[k] = (uint8_t)v;
        if (k < 3 && (i >= n || s[i++] != '.'))
            return false;
    }
    return i == n;
}

static void expect_add(struct expect_table *e, uint8_t addr_len, const uint8_t *addr, uint16_t port,
                       enum announce method, int64_t now_ns)
{
    struct announcement *x = &e->v[e->next];
    e->next = (e->next + 1) % EXPECT_SLOTS;
    e->added++;
    x->when_ns = now_ns;
    x->addr_len = addr_len;
    x->method = (uint8_t)method;
    x->port = port;
    memset(x->addr, 0, sizeof(x->addr));
    memcpy(x->addr, addr, addr_len);
}

/* An announcement of an IPv4 address as text (PASV, PORT, EPRT) and a port. */
static void note_text(struct expect_table *e, const struct dissection *d, enum field_id ip_id,
                      enum field_id port_id, enum announce method, int64_t now_ns)
{
    const struct field *ip = dis_find(d, ip_id);
    const struct field *port = dis_find(d, port_id);
    size_t n;
    uint8_t a[4];
    if (!ip || !port)
        return;
    const char *s = dis_field_text(d, ip, &n);
    if (parse_ipv4(s, n, a))
        expect_add(e, 4, a, (uint16_t)port->value, method, now_ns);
}

void expect_note(struct expect_table *e, const struct dissection *d, int64_t now_ns)
{
    note_text(e, d, FID_FTP_PASSIVE_IP, FID_FTP_PASSIVE_PORT, ANNOUNCE_FTP_PASV, now_ns);
    note_text(e, d, FID_FTP_ACTIVE_CIP, FID_FTP_ACTIVE_PORT, ANNOUNCE_FTP_PORT, now_ns);
    note_text(e, d, FID_FTP_EPRT_IP, FID_FTP_EPRT_PORT, ANNOUNCE_FTP_EPRT, now_ns);
    /* EPSV's reply names only a port: the address is the server's, the reply's sender */
    const struct field *port = dis_find(d, FID_FTP_EPSV_PORT);
    if (port && (d->sum.addr_len == 4 || d->sum.addr_len == 16))
        expect_add(e, d->sum.addr_len, d->sum.src, (uint16_t)port->value, ANNOUNCE_FTP_EPSV,
                   now_ns);
}

/* The method of the announcement of addr:port that a connection beginning at now_ns uses
 * up, or ANNOUNCE_NONE; announcements past their time are forgotten on the way. */
static uint8_t expect_take(struct expect_table *e, uint8_t addr_len, const uint8_t *addr,
                           uint16_t port, int64_t now_ns)
{
    for (unsigned i = 0; i < EXPECT_SLOTS; i++) {
        struct announcement *x = &e->v[i];
        if (!x->addr_len)
            continue;
        if (now_ns - x->when_ns > (int64_t)EXPECT_TTL_SEC * 1000000000) {
            x->addr_len = 0;
            continue;
        }
        if (x->addr_len == addr_len && x->port == port && memcmp(x->addr, addr, addr_len) == 0 &&
            now_ns >= x->when_ns) {
            x->addr_len = 0;
            return x->method;
        }
    }
    return ANNOUNCE_NONE;
}

void expect_match(struct expect_table *e, struct conn *c, int64_t now_ns)
{
    uint8_t method = expect_take(e, c->addr_len, c->resp_addr, c->resp_port, now_ns);
    if (method != ANNOUNCE_NONE)
        c->announced = method;
}

uint64_t tracker_announcements(const struct tracker *t)
{
    return t->expect.added;
}

void tracker_announcement(const struct tracker *t, uint64_t k, struct announcement *out)
{
    *out = t->expect.v[k % EXPECT_SLOTS];
}

struct announcements {
    struct expect_table table;
};

struct announcements *announcements_new(void)
{
    return xcalloc(1, sizeof(struct announcements));
}

void announcements_free(struct announcements *a)
{
    free(a);
}

void announcements_add(struct announcements *a, const struct announcement *x)
{
    expect_add(&a->table, x->addr_len, x->addr, x->port, (enum announce)x->method, x->when_ns);
}

uint8_t announcements_match(struct announcements *a, const struct announcement *began)
{
    return expect_take(&a->table, began->addr_len, began->addr, began->port, began->when_ns);
}
