/*
 * DHCP (RFC 2131) and its base, BOOTP (RFC 951), on UDP ports 67 (server) and 68 (client): the
 * fixed 236-byte header, the magic cookie 99.130.83.99, then the options of RFC 2132 (a type
 * byte; then, except for Pad (0) and End (255), a length byte and that many bytes). A message
 * without the cookie is plain BOOTP: its 64-byte vendor area is kept as bytes. Field names are
 * Wireshark's (packet-dhcp.c).
 *
 * Decoded options: message type 53, subnet mask 1, router 3, DNS servers 6, host name 12,
 * domain name 15, broadcast 28, requested address 50, lease time 51, server identifier 54,
 * parameter request list 55, maximum message size 57, renewal 58 and rebinding 59 times, vendor
 * class 60 and client identifier 61; every other option keeps its type, length and bytes.
 * The option loop advances by at least one byte per turn and stops at the end of the message,
 * so it is bounded by the message's length; an option whose length runs past the end is named
 * (dhcp.option_overrun) and ends the loop, as does a missing End option (dhcp.end_missing).
 * Option overloading into the sname/file fields (option 52) is not followed.
 */
#include <string.h>

#include "dissect/internal.h"

enum {
    DHCP_FIXED_LEN = 236, /* op .. file (RFC 2131 2, figure 1) */
    DHCP_COOKIE = 0x63825363,
    DHCP_OPT_PAD = 0,
    DHCP_OPT_END = 255,
};

/* A NUL-terminated text field of n bytes (sname, file, FT_STRINGZ options): the bytes before the
 * first NUL, over the whole field's span. An empty sname or file is "not given" (Wireshark shows
 * no value for it), so it is left out. */
static void dhcp_stringz(struct dissection *d, struct cursor *c, enum field_id id, size_t n)
{
    if (!cur_need(c, n))
        return; /* not all there: c is left truncated, as a read would leave it */
    struct cursor w = cur_sub(c, n, NULL); /* the field's span; c moves past it */
    const uint8_t *p = cur_peek_bytes(&w, 0, n);
    const uint8_t *nul = memchr(p, 0, n);
    if (nul == p && (id == FID_DHCP_SERVER || id == FID_DHCP_FILE))
        return;
    dis_field_string_rest(d, &w, id, nul ? (size_t)(nul - p) : n);
}

/* Fields of n bytes each, as many as fit (router, DNS servers: a list of addresses). */
static void dhcp_addr_list(struct dissection *d, struct cursor *v, enum field_id id)
{
    while (cur_left(v) >= 4)
        dis_field_skip(d, v, id, 4);
}

/* The client identifier (RFC 2132 9.14): a type byte, then the identifier. Type 1 (Ethernet)
 * with a 6-byte MAC is shown as Wireshark shows it, as a hardware type and a MAC address. */
static void dhcp_client_id(struct dissection *d, struct cursor *v)
{
    size_t n = cur_left(v);
    if (n == 0)
        return;
    uint8_t type = cur_peek_u8(v, 0);
    if (type == 1 && n == 7) {
        dis_field_u8(d, v, FID_DHCP_HW_TYPE);
        dis_field_skip(d, v, FID_DHCP_HW_MAC_ADDR, 6);
    } else if (type == 0) {
        dis_field_u8(d, v, FID_DHCP_CLIENT_ID_TYPE);
        dhcp_stringz(d, v, FID_DHCP_CLIENT_ID_UNDEF, cur_left(v));
    } else {
        dis_field_u8(d, v, FID_DHCP_CLIENT_ID_TYPE);
        if (cur_left(v))
            dis_field_skip(d, v, FID_DHCP_CLIENT_ID, cur_left(v));
    }
}

/* The value of option `type` in the window of v (exactly its length bytes). A value of a length
 * the option does not have is left as the option's bytes (dhcp.option.value) only. */
static void dhcp_option_value(struct dissection *d, struct cursor *v, uint8_t type)
{
    size_t n = cur_left(v);
    switch (type) {
    case 1:
        if (n == 4)
            dis_field_skip(d, v, FID_DHCP_OPTION_SUBNET_MASK, 4);
        break;
    case 3:
        dhcp_addr_list(d, v, FID_DHCP_OPTION_ROUTER);
        break;
    case 6:
        dhcp_addr_list(d, v, FID_DHCP_OPTION_DOMAIN_NAME_SERVER);
        break;
    case 12:
        dhcp_stringz(d, v, FID_DHCP_OPTION_HOSTNAME, n);
        break;
    case 15:
        dhcp_stringz(d, v, FID_DHCP_OPTION_DOMAIN_NAME, n);
        break;
    case 28:
        if (n == 4)
            dis_field_skip(d, v, FID_DHCP_OPTION_BROADCAST_ADDRESS, 4);
        break;
    case 50:
        if (n == 4)
            dis_field_skip(d, v, FID_DHCP_OPTION_REQUESTED_IP_ADDRESS, 4);
        break;
    case 51:
        if (n == 4)
            dis_field_be32(d, v, FID_DHCP_OPTION_IP_ADDRESS_LEASE_TIME);
        break;
    case 53:
        if (n == 1)
            dis_field_u8(d, v, FID_DHCP_OPTION_DHCP);
        break;
    case 54:
        if (n == 4)
            dis_field_skip(d, v, FID_DHCP_OPTION_DHCP_SERVER_ID, 4);
        break;
    case 55:
        while (cur_left(v))
            dis_field_u8(d, v, FID_DHCP_OPTION_REQUEST_LIST_ITEM);
        break;
    case 57:
        if (n == 2)
            dis_field_be16(d, v, FID_DHCP_OPTION_DHCP_MAX_MESSAGE_SIZE);
        break;
    case 58:
        if (n == 4)
            dis_field_be32(d, v, FID_DHCP_OPTION_RENEWAL_TIME_VALUE);
        break;
    case 59:
        if (n == 4)
            dis_field_be32(d, v, FID_DHCP_OPTION_REBINDING_TIME_VALUE);
        break;
    case 60:
        dhcp_stringz(d, v, FID_DHCP_OPTION_VENDOR_CLASS_ID, n);
        break;
    case 61:
        dhcp_client_id(d, v);
        break;
    default:
        break;
    }
}

/* The option list from c->off to the end of the message (RFC 2132 2). `decl_end` is where the
 * message ends as the UDP header declares it: bytes missing before it are truncation. */
static void dhcp_options(struct dissection *d, struct cursor *c, size_t decl_end)
{
    bool ended = false;
    while (cur_left(c) > 0) {
        size_t at = c->off;
        uint8_t type = cur_peek_u8(c, 0);
        if (type == DHCP_OPT_END) {
            const struct field *t = dis_field_word(d, c, FID_DHCP_OPTION_TYPE, 1, NULL);
            dis_subfield(d, t, FID_DHCP_OPTION_END, type);
            ended = true;
            break;
        }
        if (type == DHCP_OPT_PAD) {
            /* A run of Pad options is one "Padding" item, as Wireshark shows it. */
            size_t n = 0;
            while (n < cur_left(c) && cur_peek_u8(c, n) == DHCP_OPT_PAD)
                n++;
            /* Its type is the first Pad byte, read by a copy of the cursor: the item covers it. */
            struct cursor t = *c;
            dis_field_u8(d, &t, FID_DHCP_OPTION_TYPE);
            dis_field_skip(d, c, FID_DHCP_OPTION_PADDING, n);
            continue;
        }
        dis_field_u8(d, c, FID_DHCP_OPTION_TYPE);
        if (cur_left(c) == 0) {
            dis_damage(d, decl_end > c->end ? LAYER_TRUNCATED : LAYER_MALFORMED,
                       ANOM_DHCP_OPTION_OVERRUN, at);
            return;
        }
        uint8_t len = dis_field_u8(d, c, FID_DHCP_OPTION_LENGTH);
        if (len > cur_left(c)) {
            bool cut = decl_end > c->end && len <= decl_end - c->off;
            dis_damage(d, cut ? LAYER_TRUNCATED : LAYER_MALFORMED, ANOM_DHCP_OPTION_OVERRUN, at);
            c->off = c->end;
            return;
        }
        struct cursor v = cur_sub(c, len, NULL);
        if (len)
            dis_field_rest(d, &v, FID_DHCP_OPTION_VALUE, 0);
        dhcp_option_value(d, &v, type);
    }
    if (!ended) {
        if (decl_end > c->end)
            dis_damage(d, LAYER_TRUNCATED, ANOM_DHCP_TRUNCATED, c->end);
        else
            dis_anomaly(d, ANOM_DHCP_END_MISSING, c->end);
        return;
    }
    /* Bytes after End: padding to the minimum BOOTP size (RFC 951: 300 bytes). */
    if (cur_left(c))
        dis_field_skip(d, c, FID_DHCP_OPTION_PADDING, cur_left(c));
}

bool dissect_dhcp(struct dissection *d, struct cursor *c, bool over_tcp)
{
    if (over_tcp)
        return false; /* BOOTP and DHCP are UDP protocols (RFC 951 3, RFC 2131 4.1) */
    size_t start = c->off;
    if (dis_layer_begin(d, PROTO_DHCP, c) < 0)
        return true;
    dis_protocols_add(d, "dhcp");
    d->sum.app_proto = PROTO_DHCP;
    size_t decl_end = start + d->sum.payload_len;
    if (decl_end < c->end)
        decl_end = c->end;

    dis_field_u8(d, c, FID_DHCP_TYPE);
    uint8_t htype = dis_field_u8(d, c, FID_DHCP_HW_TYPE);
    uint8_t hlen = dis_field_u8(d, c, FID_DHCP_HW_LEN);
    dis_field_u8(d, c, FID_DHCP_HOPS);
    dis_field_be32(d, c, FID_DHCP_ID);
    /* Some clients (older Windows) write secs little-endian: Wireshark takes a value whose low
     * byte is 0 and high byte is not as such (its dhcp.secs_le), and so does pktscope. */
    uint32_t secs;
    struct field *sf = dis_field_word(d, c, FID_DHCP_SECS, 2, &secs);
    dis_field_set(sf, secs > 0xff && (secs & 0xff) == 0 ? (uint16_t)(secs >> 8) : secs);
    uint32_t flags;
    const struct field *ff = dis_field_word(d, c, FID_DHCP_FLAGS, 2, &flags);
    dis_subfield(d, ff, FID_DHCP_FLAGS_BC, flags >> 15);
    dis_subfield(d, ff, FID_DHCP_FLAGS_RESERVED, flags & 0x7fff);
    dis_field_skip(d, c, FID_DHCP_IP_CLIENT, 4);
    dis_field_skip(d, c, FID_DHCP_IP_YOUR, 4);
    dis_field_skip(d, c, FID_DHCP_IP_SERVER, 4);
    dis_field_skip(d, c, FID_DHCP_IP_RELAY, 4);
    /* chaddr: 16 bytes, of which hlen are the address (RFC 2131 2). */
    if (htype == 1 && hlen == 6) {
        dis_field_skip(d, c, FID_DHCP_HW_MAC_ADDR, 6);
        dis_field_skip(d, c, FID_DHCP_HW_ADDR_PADDING, 10);
    } else if (hlen > 0 && hlen <= 16) {
        dis_field_skip(d, c, FID_DHCP_HW_ADDR, hlen);
        if (hlen < 16)
            dis_field_skip(d, c, FID_DHCP_HW_ADDR_PADDING, 16u - hlen);
    } else {
        dis_field_skip(d, c, FID_DHCP_HW_ADDR, 16);
    }
    dhcp_stringz(d, c, FID_DHCP_SERVER, 64);
    dhcp_stringz(d, c, FID_DHCP_FILE, 128);
    if (c->truncated) {
        dis_bail(d, c, decl_end > c->end ? LAYER_TRUNCATED : LAYER_MALFORMED, ANOM_DHCP_TRUNCATED,
                 c->end);
        return true;
    }
    if (cur_left(c) >= 4 && cur_peek_be16(c, 0) == (DHCP_COOKIE >> 16) &&
        cur_peek_be16(c, 2) == (DHCP_COOKIE & 0xffff)) {
        dis_field_skip(d, c, FID_DHCP_COOKIE, 4);
        dis_layer_end(d, c->off, c->end);
        dhcp_options(d, c, decl_end);
    } else {
        /* BOOTP (RFC 951): the vendor area, 64 bytes in RFC 951, whatever is left here. */
        dis_layer_end(d, c->off, c->end);
        if (cur_left(c))
            dis_field_skip(d, c, FID_DHCP_VENDOR_SPECIFIC_OPTIONS, cur_left(c));
        if (decl_end > c->end)
            dis_damage(d, LAYER_TRUNCATED, ANOM_DHCP_TRUNCATED, c->end);
    }
    c->off = c->end;
    return true;
}
