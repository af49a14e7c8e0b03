/*
 * FTP control connection (RFC 959 4, 5.4; RFC 2428 for EPRT/EPSV) on TCP port 21. Every line
 * of the segment is shown; as Wireshark 4.0 does, only the first one is split into its
 * command and argument (a request) or its reply code and text (a response), and a multi-line
 * reply's continuation lines ("230-...", RFC 959 4.2) are shown as lines.
 *
 * The addresses announced for a data connection are decoded: PORT's and the 227 reply's
 * "h1,h2,h3,h4,p1,p2" (RFC 959 4.1.2, 4.2), EPRT's "|af|addr|port|" and the 229 reply's
 * "(|||port|)" (RFC 2428). The addresses are kept as text in their dotted form: they are
 * ASCII on the wire, not four bytes a renderer could read.
 */
#include "dissect/internal.h"

#include <stdio.h>
#include <string.h>

static const uint16_t ftp_ports[] = {21, 0};

/* Reads a decimal number of at most `max_digits` digits at p[*i], advancing *i. */
static bool ftp_number(const uint8_t *p, size_t n, size_t *i, unsigned max_digits, unsigned *out)
{
    unsigned v = 0, k = 0;
    while (*i < n && p[*i] >= '0' && p[*i] <= '9' && k < max_digits) {
        v = v * 10 + (unsigned)(p[*i] - '0');
        (*i)++;
        k++;
    }
    *out = v;
    return k > 0;
}

/* "h1,h2,h3,h4,p1,p2" starting at the first digit of p[0, n) (Wireshark's parse_port_pasv
 * looks for it the same way in a 227 reply's text). */
static bool ftp_hostport(const uint8_t *p, size_t n, unsigned v[6], size_t *at, size_t *end)
{
    size_t i = 0;
    while (i < n && !(p[i] >= '0' && p[i] <= '9'))
        i++;
    *at = i;
    for (int k = 0; k < 6; k++) {
        if (!ftp_number(p, n, &i, 3, &v[k]) || v[k] > 255)
            return false;
        if (k < 5) {
            if (i >= n || p[i] != ',')
                return false;
            i++;
        }
    }
    *end = i;
    return true;
}

/* The window of the argument's bytes [from, to) (indices found by scanning it). */
static struct cursor ftp_part(const struct cursor *arg, size_t from, size_t to)
{
    struct cursor t = *arg;
    cur_skip(&t, from);
    return cur_sub(&t, to - from, NULL);
}

/* The address and port of "h1,h2,h3,h4,p1,p2", both over its bytes w. */
static void ftp_addr_fields(struct dissection *d, const struct cursor *w, const unsigned v[6],
                            enum field_id ip_id, enum field_id port_id)
{
    char ip[16];
    int n = snprintf(ip, sizeof(ip), "%u.%u.%u.%u", v[0], v[1], v[2], v[3]);
    dis_field_string_as(d, w, ip_id, ip, (size_t)n);
    dis_field_rest(d, w, port_id, v[4] * 256 + v[5]);
}

/* PORT, PASV's reply, EPRT and EPSV's reply, from the first line; `arg` is a window over the
 * line's argument (its text after the command or reply code). */
static void ftp_addresses(struct dissection *d, const struct dis_line *ln, const struct cursor *arg,
                          bool request, size_t cmd_len, unsigned code)
{
    size_t n = cur_left(arg);
    const uint8_t *p = cur_peek_bytes(arg, 0, n);
    unsigned v[6];
    size_t at, end;
    if (!p)
        return;
    if (request && cmd_len == 4 && memcmp(ln->p, "PORT", 4) == 0) {
        if (ftp_hostport(p, n, v, &at, &end)) {
            struct cursor w = ftp_part(arg, at, end);
            ftp_addr_fields(d, &w, v, FID_FTP_ACTIVE_CIP, FID_FTP_ACTIVE_PORT);
        } else {
            dis_damage(d, LAYER_MALFORMED, ANOM_FTP_BAD_ADDRESS, ln->off);
        }
    } else if (!request && code == 227) {
        if (ftp_hostport(p, n, v, &at, &end)) {
            struct cursor w = ftp_part(arg, at, end);
            ftp_addr_fields(d, &w, v, FID_FTP_PASSIVE_IP, FID_FTP_PASSIVE_PORT);
        } else {
            dis_damage(d, LAYER_MALFORMED, ANOM_FTP_BAD_ADDRESS, ln->off);
        }
    } else if (request && cmd_len == 4 && memcmp(ln->p, "EPRT", 4) == 0) {
        /* |af|address|port| with any delimiter character (RFC 2428 2) */
        if (n < 1)
            return;
        uint8_t delim = p[0];
        size_t i = 1;
        unsigned af, port;
        if (!ftp_number(p, n, &i, 1, &af) || i >= n || p[i] != delim) {
            dis_damage(d, LAYER_MALFORMED, ANOM_FTP_BAD_ADDRESS, ln->off);
            return;
        }
        struct cursor w = ftp_part(arg, 1, i);
        dis_field_rest(d, &w, FID_FTP_EPRT_AF, af);
        size_t a0 = ++i;
        while (i < n && p[i] != delim)
            i++;
        size_t a1 = i++;
        if (af == 1 && a1 > a0) {
            w = ftp_part(arg, a0, a1);
            dis_field_string_rest(d, &w, FID_FTP_EPRT_IP, a1 - a0);
        }
        size_t p0 = i;
        if (ftp_number(p, n, &i, 5, &port) && port <= 65535 && i < n && p[i] == delim) {
            w = ftp_part(arg, p0, i);
            dis_field_rest(d, &w, FID_FTP_EPRT_PORT, port);
        } else {
            dis_damage(d, LAYER_MALFORMED, ANOM_FTP_BAD_ADDRESS, ln->off);
        }
    } else if (!request && code == 229) {
        /* (|||port|) */
        size_t i = 0;
        while (i < n && p[i] != '(')
            i++;
        unsigned port;
        if (n - i > 4 && p[i + 1] == p[i + 2] && p[i + 2] == p[i + 3]) {
            size_t p0 = i + 4;
            i = p0;
            if (ftp_number(p, n, &i, 5, &port) && port <= 65535 && i < n && p[i] == p[p0 - 1]) {
                struct cursor w = ftp_part(arg, p0, i);
                dis_field_rest(d, &w, FID_FTP_EPSV_PORT, port);
                return;
            }
        }
        dis_damage(d, LAYER_MALFORMED, ANOM_FTP_BAD_ADDRESS, ln->off);
    }
}

static void ftp_first_line(struct dissection *d, const struct dis_line *ln, bool request)
{
    struct cursor t = ln->text;
    if (request) {
        size_t w = dis_word_len(ln->p, ln->len);
        if (w == 0)
            return;
        dis_field_string(d, &t, FID_FTP_REQUEST_COMMAND, w);
        if (w < ln->len)
            cur_skip(&t, 1); /* the space */
        if (cur_left(&t) > 0)
            dis_field_string_rest(d, &t, FID_FTP_REQUEST_ARG, cur_left(&t));
        ftp_addresses(d, ln, &t, true, w, 0);
        return;
    }
    if (ln->len < 3)
        return;
    unsigned code = 0;
    for (size_t i = 0; i < 3; i++) {
        if (ln->p[i] < '0' || ln->p[i] > '9')
            return;
        code = code * 10 + (unsigned)(ln->p[i] - '0');
    }
    dis_field_set(dis_field_blob(d, &t, FID_FTP_RESPONSE_CODE, 3), code);
    if (ln->len > 3 && (ln->p[3] == ' ' || ln->p[3] == '-'))
        cur_skip(&t, 1);
    if (cur_left(&t) > 0)
        dis_field_string_rest(d, &t, FID_FTP_RESPONSE_ARG, cur_left(&t));
    ftp_addresses(d, ln, &t, false, 0, code);
}

bool dissect_ftp(struct dissection *d, struct cursor *c, bool over_tcp)
{
    if (!over_tcp)
        return false;
    if (dis_layer_begin(d, PROTO_FTP, c) < 0)
        return true;
    dis_protocols_add(d, "ftp");
    d->sum.app_proto = PROTO_FTP;
    bool request = dis_text_is_request(d, ftp_ports);
    /* Wireshark sets both flags, one true (hidden fields of its FTP tree) */
    dis_field_mark(d, c, FID_FTP_RESPONSE, !request);
    dis_field_mark(d, c, FID_FTP_REQUEST, request);
    struct dis_line ln;
    for (unsigned k = 0; dis_line_next(c, &ln); k++) {
        if (k == DIS_MAX_LINES) {
            dis_anomaly(d, ANOM_TEXT_TOO_MANY_LINES, ln.off);
            break;
        }
        dis_field_string_rest(d, &ln.line, FID_FTP_LINE, ln.len);
        if (k == 0)
            ftp_first_line(d, &ln, request);
    }
    dis_layer_end(d, c->end, c->end);
    c->off = c->end;
    return true;
}
