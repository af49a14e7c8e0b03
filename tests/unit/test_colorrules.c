/*
 * The colouring rules (format/colorrules.c): every filter compiles, and on hand-made packets the
 * first matching rule is Wireshark's, in particular the order (HTTP before TCP SYN/FIN) and the
 * TTL rule, which no test capture reaches. Links ps_ui: the table is format/, the filters filter/.
 */
#include <stdbool.h>
#include <string.h>

#include "check.h"
#include "dissect/dissect.h"
#include "filter/filter.h"
#include "format/colorrules.h"
#include "format/line.h"

#define MAXR 32
static struct dfilter *df[MAXR];
static struct dissection dis;

/* Ethernet + IPv4 + TCP SYN 192.0.2.1:40000 -> 198.51.100.7:80, no options. */
static uint8_t syn[] = {
    0x02, 0x42, 0x0a, 0x00, 0x00, 0x02, 0x00, 0x1b, 0x21, 0x0a, 0x00, 0x01, 0x08, 0x00,
    0x45, 0x00, 0x00, 0x28, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00, 192,  0,
    2,    1,    198,  51,   100,  7,    0x9c, 0x40, 0x00, 0x50, 0x00, 0x00, 0x03, 0xe8,
    0x00, 0x00, 0x00, 0x00, 0x50, 0x02, 0xfa, 0xf0, 0x00, 0x00, 0x00, 0x00,
};

/* Ethernet + IPv4 + UDP 192.0.2.1:40000 -> 198.51.100.7:7, 4 bytes of payload. */
static uint8_t udp[] = {
    0x02, 0x42, 0x0a, 0x00, 0x00, 0x02, 0x00, 0x1b, 0x21, 0x0a, 0x00, 0x01, 0x08, 0x00, 0x45, 0x00,
    0x00, 0x20, 0x12, 0x35, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00, 192,  0,    2,    1,    198,  51,
    100,  7,    0x9c, 0x40, 0x00, 0x07, 0x00, 0x0c, 0x00, 0x00, 't',  'e',  's',  't',
};

static const char *first_rule(const uint8_t *pkt, size_t len)
{
    struct dissect_options opt = {.verify_checksums = false};
    dissect_frame(&dis, pkt, (uint32_t)len, (uint32_t)len, 1, &opt);
    struct filter_packet p = {
        .d = &dis, .number = 1, .len = (uint32_t)len, .caplen = (uint32_t)len};
    for (size_t i = 0; i < color_rules_count && i < MAXR; i++)
        if (df[i] && dfilter_match(df[i], &p))
            return color_rules[i].name;
    return "(none)";
}

int main(void)
{
    char err[1024];
    CHECK(color_rules_count > 0 && color_rules_count <= MAXR);
    for (size_t i = 0; i < color_rules_count && i < MAXR; i++) {
        int rc = dfilter_compile(color_rules[i].filter, &df[i], err, sizeof(err));
        if (rc < 0)
            fprintf(stderr, "rule '%s' does not compile: %s\n", color_rules[i].name, err);
        CHECK_EQ(rc, 0);
        CHECK(color_rules[i].attr == ATTR_NORMAL ||
              (color_rules[i].attr >= ATTR_CR_BAD && color_rules[i].attr < ATTR__COUNT));
        CHECK(color_rules[i].name && color_rules[i].color);
    }

    /* A SYN to port 80 is HTTP (Wireshark's order), to port 81 TCP SYN/FIN. */
    CHECK_STR(first_rule(syn, sizeof(syn)), "HTTP");
    syn[37] = 0x51;
    CHECK_STR(first_rule(syn, sizeof(syn)), "TCP SYN/FIN");
    /* An ACK is plain TCP; RST wins over everything below it. */
    syn[47] = 0x10;
    CHECK_STR(first_rule(syn, sizeof(syn)), "TCP");
    syn[47] = 0x14;
    CHECK_STR(first_rule(syn, sizeof(syn)), "TCP RST");
    /* TTL 3 to a unicast address: TTL low, before TCP SYN/FIN. */
    syn[47] = 0x02;
    syn[22] = 3;
    CHECK_STR(first_rule(syn, sizeof(syn)), "TTL low or unexpected");

    CHECK_STR(first_rule(udp, sizeof(udp)), "UDP");
    udp[22] = 4;
    CHECK_STR(first_rule(udp, sizeof(udp)), "TTL low or unexpected");
    /* Low TTL to a multicast group is expected... */
    udp[30] = 239;
    udp[31] = 1;
    udp[32] = 1;
    udp[33] = 1;
    CHECK_STR(first_rule(udp, sizeof(udp)), "UDP");
    /* ...but to the link-local block only TTL 1 is, and mDNS (224.0.0.251) is exempt. */
    udp[30] = 224;
    udp[31] = 0;
    udp[32] = 0;
    udp[33] = 9;
    CHECK_STR(first_rule(udp, sizeof(udp)), "TTL low or unexpected");
    udp[22] = 1;
    CHECK_STR(first_rule(udp, sizeof(udp)), "UDP");
    udp[22] = 4;
    udp[33] = 251;
    CHECK_STR(first_rule(udp, sizeof(udp)), "UDP");

    for (size_t i = 0; i < color_rules_count && i < MAXR; i++)
        dfilter_free(df[i]);
    return check_done();
}
