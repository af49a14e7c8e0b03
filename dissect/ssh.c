/*
 * SSH (RFC 4253) on TCP port 22: the identification string ("SSH-2.0-OpenSSH_9.2p1 ...",
 * RFC 4253 4.2) and the binary packets that follow it (RFC 4253 6): packet length, padding
 * length, the message code, and for KEXINIT (RFC 4253 7.1) the cookie and the ten name-lists.
 *
 * After NEWKEYS the packets are encrypted, and one packet alone cannot tell which side of
 * NEWKEYS it is on. A packet is taken as unencrypted only when its header is consistent
 * (length at most 35000 bytes, a multiple of 8 with its length field, padding of 4 or more
 * inside it) and its message code is one sent in the clear (transport and key exchange,
 * RFC 4250 4.1.2); anything else is shown as an encrypted packet. Wireshark instead keeps the
 * connection's state and knows exactly where NEWKEYS was; with a rare encrypted packet that
 * passes the test, pktscope shows a wrong header.
 */
#include "dissect/internal.h"

#include <string.h>

enum { SSH_MAX_PACKET = 35000, SSH_MSG_KEXINIT = 20 };

static bool ssh_clear_code(uint8_t code)
{
    return (code >= 1 && code <= 7) || code == 20 || code == 21 || (code >= 30 && code <= 34);
}

static bool ssh_plausible(const struct cursor *c)
{
    if (!cur_has(c, 6))
        return false;
    uint32_t len = ((uint32_t)cur_peek_be16(c, 0) << 16) | cur_peek_be16(c, 2);
    uint8_t pad = cur_peek_u8(c, 4);
    return len >= 12 && len <= SSH_MAX_PACKET && (len + 4) % 8 == 0 && pad >= 4 && pad <= len - 2 &&
           ssh_clear_code(cur_peek_u8(c, 5));
}

/* `cut`: the segment ends before the packet does (the bytes are elsewhere, not wrong). */
static void ssh_kexinit(struct dissection *d, struct cursor *c, bool cut)
{
    static const enum field_id lists[][2] = {
        {FID_SSH_KEX_ALGORITHMS_LENGTH, FID_SSH_KEX_ALGORITHMS},
        {FID_SSH_SERVER_HOST_KEY_ALGORITHMS_LENGTH, FID_SSH_SERVER_HOST_KEY_ALGORITHMS},
        {FID_SSH_ENC_C2S_LENGTH, FID_SSH_ENC_C2S},
        {FID_SSH_ENC_S2C_LENGTH, FID_SSH_ENC_S2C},
        {FID_SSH_MAC_C2S_LENGTH, FID_SSH_MAC_C2S},
        {FID_SSH_MAC_S2C_LENGTH, FID_SSH_MAC_S2C},
        {FID_SSH_COMP_C2S_LENGTH, FID_SSH_COMP_C2S},
        {FID_SSH_COMP_S2C_LENGTH, FID_SSH_COMP_S2C},
        {FID_SSH_LANG_C2S_LENGTH, FID_SSH_LANG_C2S},
        {FID_SSH_LANG_S2C_LENGTH, FID_SSH_LANG_S2C},
    };
    if (!dis_field_skip(d, c, FID_SSH_COOKIE, 16))
        return;
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        uint32_t n = dis_field_be32(d, c, lists[i][0]);
        if (c->truncated)
            return;
        size_t at = c->off;
        dis_field_string(d, c, lists[i][1], n);
        if (c->truncated) {
            if (cut)
                dis_damage(d, LAYER_TRUNCATED, ANOM_SSH_CUT, at);
            else
                dis_damage(d, LAYER_MALFORMED, ANOM_SSH_BAD_PACKET_LENGTH, at);
            return;
        }
    }
    dis_field_u8(d, c, FID_SSH_FIRST_KEX_PACKET_FOLLOWS);
    dis_field_skip(d, c, FID_SSH_KEX_RESERVED, 4);
}

/* One unencrypted binary packet (checked by ssh_plausible). */
static void ssh_packet(struct dissection *d, struct cursor *c)
{
    size_t start = c->off;
    uint32_t len = dis_field_be32(d, c, FID_SSH_PACKET_LENGTH);
    uint8_t pad = dis_field_u8(d, c, FID_SSH_PADDING_LENGTH);
    bool cut = false;
    struct cursor body = cur_sub(c, len - 1, &cut);
    uint8_t code = dis_field_u8(d, &body, FID_SSH_MESSAGE_CODE);
    /* The payload is len - pad - 1 bytes: the message code and its body (msg, as far as the
     * segment goes), then the padding (what is left of body). ssh_plausible: pad <= len - 2. */
    struct cursor msg = cur_sub(&body, len - pad - 2, NULL);
    if (code == SSH_MSG_KEXINIT)
        ssh_kexinit(d, &msg, cut);
    if (cur_left(&body) > 0)
        dis_field_rest(d, &body, FID_SSH_PADDING_STRING, 0);
    if (cut && !(code == SSH_MSG_KEXINIT && msg.truncated))
        dis_damage(d, LAYER_TRUNCATED, ANOM_SSH_CUT, start);
}

bool dissect_ssh(struct dissection *d, struct cursor *c, bool over_tcp)
{
    if (!over_tcp)
        return false;
    if (dis_layer_begin(d, PROTO_SSH, c) < 0)
        return true;
    dis_protocols_add(d, "ssh");
    d->sum.app_proto = PROTO_SSH;
    const uint8_t *p = cur_peek_bytes(c, 0, 4);
    if (p && memcmp(p, "SSH-", 4) == 0) {
        struct dis_line ln;
        dis_line_next(c, &ln);
        dis_field_string_rest(d, &ln.line, FID_SSH_PROTOCOL, ln.len);
    }
    /* Each unencrypted packet is at least 16 bytes; the count bound is the field space. */
    for (unsigned k = 0; cur_left(c) > 0 && k < DIS_MAX_LINES; k++) {
        if (!ssh_plausible(c)) {
            dis_field_rest(d, c, FID_SSH_ENCRYPTED, 0);
            c->off = c->end;
            break;
        }
        ssh_packet(d, c);
    }
    dis_layer_end(d, c->end, c->end);
    c->off = c->end;
    return true;
}
