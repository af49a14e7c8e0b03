/*
 * Telnet (RFC 854, option negotiation RFC 855) on TCP port 23. The stream is data with
 * commands escaped by IAC (255): IAC WILL/WONT/DO/DONT option, IAC SB option ... IAC SE, and
 * the one-byte commands (NOP, GA, ...). IAC IAC is a data byte 255. Data is shown line by
 * line as Wireshark shows it: a line ends after LF, or after a CR that is followed by NUL
 * (RFC 854's bare carriage return; the NUL is not shown). The Terminal Type subnegotiation
 * (RFC 1091) is decoded; other subnegotiations are shown as bytes.
 */
#include "dissect/internal.h"

enum {
    TN_SE = 240,
    TN_SB = 250,
    TN_WILL = 251,
    TN_DONT = 254,
    TN_IAC = 255,
    TN_OPT_TTYPE = 24,
};

/* Data bytes from c up to the next IAC, as telnet.data lines, read through c (p scans ahead). */
static void telnet_data(struct dissection *d, struct cursor *c)
{
    size_t n = cur_left(c);
    const uint8_t *p = cur_peek_bytes(c, 0, n);
    if (!p)
        return;
    size_t i = 0, from = 0;
    while (i < n && p[i] != TN_IAC) {
        bool cr_nul = p[i] == '\r' && i + 1 < n && p[i + 1] == 0;
        i++;
        if (p[i - 1] == '\n' || cr_nul) {
            dis_field_string(d, c, FID_TELNET_DATA, i - from);
            if (cr_nul) {
                cur_skip(c, 1); /* the NUL after the CR is not shown */
                i++;
            }
            from = i;
        }
    }
    if (i > from)
        dis_field_string(d, c, FID_TELNET_DATA, i - from);
}

/* IAC SB option ... IAC SE, with c after the IAC SB (at: where it starts). */
static void telnet_subneg(struct dissection *d, struct cursor *c, size_t at)
{
    if (!cur_has(c, 1)) {
        dis_damage(d, LAYER_TRUNCATED, ANOM_TELNET_CUT_COMMAND, at);
        return;
    }
    uint8_t opt = dis_field_u8(d, c, FID_TELNET_SUBCMD);
    size_t n = cur_left(c);
    const uint8_t *p = cur_peek_bytes(c, 0, n);
    size_t e = 0;
    while (e + 1 < n && !(p[e] == TN_IAC && p[e + 1] == TN_SE))
        e++;
    bool closed = e + 1 < n;
    if (!closed)
        e = n;
    struct cursor sub = cur_sub(c, e, NULL);
    if (opt == TN_OPT_TTYPE && e >= 1) { /* RFC 1091: IS (0) with a name, or SEND (1) */
        uint8_t cmd = dis_field_u8(d, &sub, FID_TELNET_TTYPE_CMD);
        if (cmd == 0 && e > 1)
            dis_field_string_rest(d, &sub, FID_TELNET_STRING_SUBOPT_VALUE, cur_left(&sub));
    } else if (e > 0)
        dis_field_rest(d, &sub, FID_TELNET_SUBCOMMAND_DATA, 0);
    if (!closed) {
        dis_damage(d, LAYER_TRUNCATED, ANOM_TELNET_CUT_COMMAND, at);
        return;
    }
    dis_field_set(dis_field_blob(d, c, FID_TELNET_CMD, 2), TN_SE);
}

bool dissect_telnet(struct dissection *d, struct cursor *c, bool over_tcp)
{
    if (!over_tcp)
        return false;
    if (dis_layer_begin(d, PROTO_TELNET, c) < 0)
        return true;
    dis_protocols_add(d, "telnet");
    d->sum.app_proto = PROTO_TELNET;
    /* Each pass consumes at least one byte, so the loop ends within the window's length. */
    while (cur_left(c) > 0) {
        if (cur_peek_u8(c, 0) != TN_IAC) {
            telnet_data(d, c);
            continue;
        }
        size_t at = c->off;
        if (cur_left(c) < 2) {
            dis_damage(d, LAYER_TRUNCATED, ANOM_TELNET_CUT_COMMAND, at);
            c->off = c->end;
            break;
        }
        uint8_t cmd = cur_peek_u8(c, 1);
        if (cmd == TN_IAC) { /* an escaped data byte 255: both bytes, shown as one */
            struct cursor w = cur_sub(c, 2, NULL);
            dis_field_string_rest(d, &w, FID_TELNET_DATA, 1);
        } else if (cmd == TN_SB) {
            dis_field_set(dis_field_blob(d, c, FID_TELNET_CMD, 2), TN_SB);
            telnet_subneg(d, c, at);
        } else if (cmd >= TN_WILL && cmd <= TN_DONT) {
            bool cut = cur_left(c) < 3;
            cur_skip(c, 1); /* the IAC */
            dis_field_u8(d, c, FID_TELNET_CMD);
            if (cut) {
                dis_damage(d, LAYER_TRUNCATED, ANOM_TELNET_CUT_COMMAND, at);
                c->off = c->end;
                break;
            }
            dis_field_u8(d, c, FID_TELNET_SUBCMD);
        } else {
            cur_skip(c, 1); /* the IAC */
            dis_field_u8(d, c, FID_TELNET_CMD);
        }
    }
    dis_layer_end(d, c->end, c->end);
    return true;
}
