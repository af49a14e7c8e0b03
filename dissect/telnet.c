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

/* Data bytes from c up to the next IAC, as telnet.data lines. */
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
            dis_field_str(d, FID_TELNET_DATA, c->off + from, i - from, (const char *)p + from,
                          i - from);
            if (cr_nul)
                i++;
            from = i;
        }
    }
    if (i > from)
        dis_field_str(d, FID_TELNET_DATA, c->off + from, i - from, (const char *)p + from,
                      i - from);
    c->off += i;
}

/* IAC SB option ... IAC SE, with c after the IAC SB. */
static void telnet_subneg(struct dissection *d, struct cursor *c, size_t at)
{
    dis_field(d, FID_TELNET_CMD, at, 2, TN_SB);
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
    if (opt == TN_OPT_TTYPE && e >= 1) { /* RFC 1091: IS (0) with a name, or SEND (1) */
        dis_field(d, FID_TELNET_TTYPE_CMD, c->off, 1, p[0]);
        if (p[0] == 0 && e > 1)
            dis_field_str(d, FID_TELNET_STRING_SUBOPT_VALUE, c->off + 1, e - 1, (const char *)p + 1,
                          e - 1);
    } else if (e > 0)
        dis_field(d, FID_TELNET_SUBCOMMAND_DATA, c->off, e, 0);
    c->off += e;
    if (!closed) {
        dis_damage(d, LAYER_TRUNCATED, ANOM_TELNET_CUT_COMMAND, at);
        return;
    }
    dis_field(d, FID_TELNET_CMD, c->off, 2, TN_SE);
    c->off += 2;
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
        if (cmd == TN_IAC) { /* an escaped data byte 255 */
            dis_field_str(d, FID_TELNET_DATA, at, 2, (const char *)c->base + at, 1);
            c->off += 2;
        } else if (cmd == TN_SB) {
            c->off += 2;
            telnet_subneg(d, c, at);
        } else if (cmd >= TN_WILL && cmd <= TN_DONT) {
            if (cur_left(c) < 3) {
                dis_field(d, FID_TELNET_CMD, at + 1, 1, cmd);
                dis_damage(d, LAYER_TRUNCATED, ANOM_TELNET_CUT_COMMAND, at);
                c->off = c->end;
                break;
            }
            dis_field(d, FID_TELNET_CMD, at + 1, 1, cmd);
            dis_field(d, FID_TELNET_SUBCMD, at + 2, 1, cur_peek_u8(c, 2));
            c->off += 3;
        } else {
            dis_field(d, FID_TELNET_CMD, at + 1, 1, cmd);
            c->off += 2;
        }
    }
    dis_layer_end(d, c->end, c->end);
    return true;
}
