/*
 * Address classes (IANA IPv4 and IPv6 Special-Purpose Address Registries, RFC 6890), MAC bits
 * (IEEE 802-2014 8.2), OUI vendors (IEEE MA-L registry as shipped by Debian's ieee-data, or
 * Wireshark's manuf) and port ranges (RFC 6335 6).
 */
#include "dissect/annotate.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/util.h"

static const struct {
    const char *name;
    const char *text;
} class_table[ADDR__COUNT] = {
    [ADDR_PUBLIC] = {"public", "public (globally routable) address"},
    [ADDR_PRIVATE] = {"private", "private network address (RFC 1918), not routed on the Internet"},
    [ADDR_ULA] = {"ula", "unique local address (RFC 4193), IPv6's private addresses"},
    [ADDR_LOOPBACK] = {"loopback", "loopback: this host talking to itself, never on a wire"},
    [ADDR_LINK_LOCAL] = {"link-local", "link-local: valid only on this link, never routed"},
    [ADDR_MULTICAST] = {"multicast", "multicast: one sender, a group of receivers"},
    [ADDR_BROADCAST] = {"broadcast", "limited broadcast: every host on this link (RFC 919)"},
    [ADDR_CGNAT] = {"cgnat", "shared address space for carrier-grade NAT (RFC 6598)"},
    [ADDR_DOCUMENTATION] = {"documentation",
                            "documentation range (RFC 5737 / RFC 3849): for examples only"},
    [ADDR_THIS_HOST] = {"this-host", "\"this host on this network\" (RFC 1122), a source before "
                                     "the host knows its address"},
    [ADDR_UNSPECIFIED] = {"unspecified", "unspecified address (RFC 4291): no address yet"},
    [ADDR_BENCHMARKING] = {"benchmarking", "benchmarking range (RFC 2544 / RFC 5180)"},
    [ADDR_RESERVED] = {"reserved", "reserved address space, not in use"},
    [ADDR_IETF_PROTOCOL] = {"ietf-protocol", "IETF protocol assignment (RFC 6890)"},
    [ADDR_IPV4_MAPPED] = {"ipv4-mapped", "IPv4-mapped IPv6 address (RFC 4291)"},
    [ADDR_NAT64] = {"nat64", "NAT64 translation prefix (RFC 6052 / RFC 8215)"},
    [ADDR_TEREDO] = {"teredo", "Teredo tunnelling (RFC 4380)"},
    [ADDR_6TO4] = {"6to4", "6to4 transition (RFC 3056 / RFC 7526)"},
    [ADDR_DISCARD] = {"discard", "discard-only prefix (RFC 6666)"},
    [ADDR_SITE_LOCAL] = {"site-local", "site-local, deprecated (RFC 3879)"},
};

const char *addr_class_name(enum addr_class c)
{
    return (unsigned)c < ADDR__COUNT ? class_table[c].name : "unknown";
}

const char *addr_class_text(enum addr_class c)
{
    return (unsigned)c < ADDR__COUNT ? class_table[c].text : "unknown";
}

/* True when the first `bits` bits of a equal those of prefix. */
static bool in_prefix(const uint8_t *a, const uint8_t *prefix, unsigned bits)
{
    unsigned full = bits / 8, rest = bits % 8;
    if (memcmp(a, prefix, full) != 0)
        return false;
    if (rest == 0)
        return true;
    uint8_t mask = (uint8_t)(0xff << (8 - rest));
    return (a[full] & mask) == (prefix[full] & mask);
}

struct prefix_class {
    uint8_t prefix[16];
    uint8_t bits;
    uint8_t cls; /* enum addr_class */
};

/* Most specific first: the first match wins. */
static const struct prefix_class v4_table[] = {
    {{255, 255, 255, 255}, 32, ADDR_BROADCAST},
    {{0}, 8, ADDR_THIS_HOST},
    {{10}, 8, ADDR_PRIVATE},
    {{100, 64}, 10, ADDR_CGNAT},
    {{127}, 8, ADDR_LOOPBACK},
    {{169, 254}, 16, ADDR_LINK_LOCAL},
    {{172, 16}, 12, ADDR_PRIVATE},
    {{192, 0, 0}, 24, ADDR_IETF_PROTOCOL},
    {{192, 0, 2}, 24, ADDR_DOCUMENTATION},
    {{192, 88, 99}, 24, ADDR_6TO4},
    {{192, 168}, 16, ADDR_PRIVATE},
    {{198, 18}, 15, ADDR_BENCHMARKING},
    {{198, 51, 100}, 24, ADDR_DOCUMENTATION},
    {{203, 0, 113}, 24, ADDR_DOCUMENTATION},
    {{224}, 4, ADDR_MULTICAST},
    {{240}, 4, ADDR_RESERVED},
    {{0}, 0, ADDR__COUNT},
};

static const struct prefix_class v6_table[] = {
    {{0}, 128, ADDR_UNSPECIFIED},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128, ADDR_LOOPBACK},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, 96, ADDR_IPV4_MAPPED},
    {{0, 0x64, 0xff, 0x9b}, 96, ADDR_NAT64},
    {{0, 0x64, 0xff, 0x9b, 0, 1}, 48, ADDR_NAT64},
    {{1, 0}, 64, ADDR_DISCARD},
    {{0x20, 0x01, 0, 0}, 32, ADDR_TEREDO},
    {{0x20, 0x01, 0, 2, 0, 0}, 48, ADDR_BENCHMARKING},
    {{0x20, 0x01, 0x0d, 0xb8}, 32, ADDR_DOCUMENTATION},
    {{0x20, 0x01}, 23, ADDR_IETF_PROTOCOL},
    {{0x20, 0x02}, 16, ADDR_6TO4},
    {{0x3f, 0xff}, 20, ADDR_DOCUMENTATION},
    {{0x20}, 3, ADDR_PUBLIC},
    {{0xfc}, 7, ADDR_ULA},
    {{0xfe, 0x80}, 10, ADDR_LINK_LOCAL},
    {{0xfe, 0xc0}, 10, ADDR_SITE_LOCAL},
    {{0xff}, 8, ADDR_MULTICAST},
    {{0}, 0, ADDR__COUNT},
};

static enum addr_class classify(const uint8_t *a, const struct prefix_class *t,
                                enum addr_class otherwise)
{
    for (; t->cls != ADDR__COUNT; t++)
        if (in_prefix(a, t->prefix, t->bits))
            return (enum addr_class)t->cls;
    return otherwise;
}

/* The first octets a block of v4_table starts with (its first octet under the block's mask):
 * every other address is public without walking the table. Made from the table when the
 * program loads, before any thread could ask. */
static bool v4_first_octet_listed[256];

__attribute__((constructor)) static void v4_first_octets(void)
{
    for (const struct prefix_class *t = v4_table; t->cls != ADDR__COUNT; t++) {
        uint8_t mask = t->bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - t->bits));
        for (unsigned o = 0; o < 256; o++)
            if ((o & mask) == (t->prefix[0] & mask))
                v4_first_octet_listed[o] = true;
    }
}

enum addr_class addr_class_ipv4(const uint8_t a[4])
{
    /* As classify(), on 32-bit words: --json and the TUI class every packet's two addresses,
     * most of them public, which walked the whole table. */
    if (!v4_first_octet_listed[a[0]])
        return ADDR_PUBLIC;
    uint32_t v = ((uint32_t)a[0] << 24) | ((uint32_t)a[1] << 16) | ((uint32_t)a[2] << 8) | a[3];
    for (const struct prefix_class *t = v4_table; t->cls != ADDR__COUNT; t++) {
        uint32_t mask = t->bits ? ~0u << (32 - t->bits) : 0;
        uint32_t p = ((uint32_t)t->prefix[0] << 24) | ((uint32_t)t->prefix[1] << 16) |
                     ((uint32_t)t->prefix[2] << 8) | t->prefix[3];
        if ((v & mask) == (p & mask))
            return (enum addr_class)t->cls;
    }
    return ADDR_PUBLIC;
}

enum addr_class addr_class_ipv6(const uint8_t a[16])
{
    /* IANA: everything outside 2000::/3 and the special blocks is reserved by the IETF. */
    return classify(a, v6_table, ADDR_RESERVED);
}

bool mac_is_group(const uint8_t mac[6])
{
    return (mac[0] & 1) != 0;
}

bool mac_is_local(const uint8_t mac[6])
{
    return (mac[0] & 2) != 0;
}

bool mac_is_broadcast(const uint8_t mac[6])
{
    static const uint8_t all[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    return memcmp(mac, all, 6) == 0;
}

char ipv4_class_letter(const uint8_t a[4])
{
    return a[0] < 128 ? 'A' : a[0] < 192 ? 'B' : a[0] < 224 ? 'C' : a[0] < 240 ? 'D' : 'E';
}

const char *ipv4_class_text(const uint8_t a[4])
{
    switch (ipv4_class_letter(a)) {
    case 'A':
        return "A (first octet 0-127, leading bit 0): default mask 255.0.0.0 (/8)";
    case 'B':
        return "B (first octet 128-191, leading bits 10): default mask 255.255.0.0 (/16)";
    case 'C':
        return "C (first octet 192-223, leading bits 110): default mask 255.255.255.0 (/24)";
    case 'D':
        return "D (first octet 224-239, leading bits 1110): multicast, no network/host split";
    default:
        return "E (first octet 240-255, leading bits 1111): reserved for future use";
    }
}

const char *ipv4_private_block_text(const uint8_t a[4])
{
    if (a[0] == 10)
        return "10.0.0.0/8, the private block reserved in class A (RFC 1918)";
    if (a[0] == 172 && (a[1] & 0xf0) == 16)
        return "172.16.0.0/12, the private block reserved in class B (16 class B networks, "
               "RFC 1918)";
    if (a[0] == 192 && a[1] == 168)
        return "192.168.0.0/16, the private block reserved in class C (256 class C networks, "
               "RFC 1918)";
    return NULL;
}

uint8_t ttl_initial_guess(uint8_t ttl)
{
    return ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255;
}

int ttl_hops(uint8_t ttl)
{
    int hops = ttl_initial_guess(ttl) - ttl;
    return hops > TTL_MAX_HOPS ? -1 : hops;
}

enum port_range port_range(uint16_t port)
{
    return port < 1024 ? PORT_WELL_KNOWN : port < 49152 ? PORT_REGISTERED : PORT_EPHEMERAL;
}

const char *port_range_name(enum port_range r)
{
    return r == PORT_WELL_KNOWN ? "well-known" : r == PORT_REGISTERED ? "registered" : "ephemeral";
}

const char *port_range_span(enum port_range r)
{
    return r == PORT_WELL_KNOWN ? "0-1023" : r == PORT_REGISTERED ? "1024-49151" : "49152-65535";
}

/* ---- OUI database ---------------------------------------------------------------------- */

enum {
    OUI_READ_CHUNK = 256 << 10,
    OUI_FILE_MAX = 64 << 20,
    OUI_NAME_MAX = 96,         /* names are cut here: enough for any real organisation */
    OUI_MAX_ENTRIES = 1 << 20, /* bound on what a (hostile) file can make us keep */
};

struct oui_ent {
    uint32_t oui;      /* entries of one OUI in file order: the first wins (oui_sort) */
    uint32_t name_off; /* into oui_names */
};

static const char *oui_path_ieee = "/usr/share/ieee-data/oui.txt";
static const char *oui_path_manuf = "/usr/share/wireshark/manuf";
static struct oui_ent *oui_tab;
static size_t oui_n, oui_cap;
static char *oui_names;
static size_t oui_names_len, oui_names_cap;
static bool oui_loaded;

/* "00-22-72" or "00:22:72" at s: the 24-bit OUI, or -1. */
static long parse_oui(const char *s, char sep)
{
    long v = 0;
    for (int i = 0; i < 3; i++) {
        int h = hex_digit(s[3 * i]), l = hex_digit(s[3 * i + 1]);
        if (h < 0 || l < 0)
            return -1;
        if (i < 2 && s[3 * i + 2] != sep)
            return -1;
        v = (v << 8) | (h << 4) | l;
    }
    return v;
}

static void oui_add(uint32_t oui, const char *name, size_t n)
{
    while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t' || name[n - 1] == '\r' ||
                     name[n - 1] == '\n'))
        n--;
    if (n == 0 || oui_n >= OUI_MAX_ENTRIES)
        return;
    if (n > OUI_NAME_MAX)
        n = OUI_NAME_MAX;
    oui_names = xgrow(oui_names, &oui_names_cap, oui_names_len + n + 1, 1);
    uint32_t off = (uint32_t)oui_names_len;
    for (size_t i = 0; i < n; i++) {
        char ch = name[i];
        oui_names[oui_names_len++] = (ch >= ' ' && ch <= '~') ? ch : '?';
    }
    oui_names[oui_names_len++] = '\0';
    oui_tab = xgrow(oui_tab, &oui_cap, oui_n + 1, sizeof(*oui_tab));
    oui_tab[oui_n].oui = oui;
    oui_tab[oui_n].name_off = off;
    oui_n++;
}

/* ieee-data oui.txt: "00-22-72   (hex)\t\tAmerican Micro-Fuel Device Corp." */
static void oui_parse_ieee(const char *line)
{
    /* Five of every six lines are not an entry: the separators say so before any parsing. */
    if (line[0] == '\0' || line[1] == '\0' || line[2] != '-' || line[5] != '-')
        return;
    long oui = parse_oui(line, '-');
    /* "(hex)" stands three spaces after the OUI in every entry; searched for otherwise. */
    const char *hex =
        oui >= 0 && strncmp(line + 8, "   (hex)", 8) == 0 ? line + 11 : strstr(line, "(hex)");
    if (oui < 0 || !hex)
        return;
    const char *name = hex + 5;
    while (*name == ' ' || *name == '\t')
        name++;
    oui_add((uint32_t)oui, name, strcspn(name, "\r\n"));
}

/* Wireshark manuf: "00:00:01\tXerox\tXerox Corporation  # comment"; /28 and /36 blocks skipped. */
static void oui_parse_manuf(const char *line)
{
    long oui = parse_oui(line, ':');
    if (oui < 0 || (line[8] != '\t' && line[8] != ' '))
        return;
    const char *shortname = line + 8;
    while (*shortname == ' ' || *shortname == '\t')
        shortname++;
    size_t sn = strcspn(shortname, "\t#\r\n");
    const char *longname = shortname + sn;
    if (*longname == '\t') {
        longname++;
        size_t ln = strcspn(longname, "\t#\r\n");
        if (ln > 0) {
            oui_add((uint32_t)oui, longname, ln);
            return;
        }
    }
    oui_add((uint32_t)oui, shortname, sn);
}

/* Reads the file through one buffer of OUI_READ_CHUNK (no per-line stdio, and no copy of the
 * whole 5 MB file: its pages cost more system time than the parsing), handing each line to
 * parse. A line longer than the buffer is cut there (no entry is a tenth of that). */
static bool oui_read(const char *path, void (*parse)(const char *))
{
    if (!path)
        return false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char *buf = xmalloc(OUI_READ_CHUNK + 1);
    size_t len = 0;
    uint64_t total = 0;
    bool eof = false;
    while (!eof || len > 0) {
        if (!eof && len < OUI_READ_CHUNK) {
            ssize_t got = read(fd, buf + len, OUI_READ_CHUNK - len);
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0 || (total += (uint64_t)got) > OUI_FILE_MAX)
                eof = true; /* a file this big is not an OUI list: use what was read */
            else
                len += (size_t)got;
        }
        char *p = buf, *end = buf + len;
        for (;;) {
            char *nl = memchr(p, '\n', (size_t)(end - p));
            if (!nl) {
                if (!eof && (p > buf || len < OUI_READ_CHUNK))
                    break; /* the rest of this line comes with the next read */
                nl = end;  /* the last line, or one longer than the buffer */
            }
            *nl = '\0';
            parse(p);
            p = nl < end ? nl + 1 : end;
            if (p == end)
                break;
        }
        len = (size_t)(end - p);
        memmove(buf, p, len);
    }
    close(fd);
    free(buf);
    return oui_n > 0;
}

/* Sorts the table by OUI, entries of one OUI kept in file order (the first wins): a stable
 * radix sort of the 24-bit keys, 12 bits a pass. qsort took a third of a short run's start
 * (22 million instructions for the 32,530 entries of ieee-data's oui.txt). */
static void oui_sort(void)
{
    struct oui_ent *tmp = xcalloc(oui_n, sizeof(*tmp));
    size_t *count = xcalloc(4097, sizeof(*count));
    struct oui_ent *from = oui_tab, *to = tmp;
    for (unsigned shift = 0; shift < 24; shift += 12) {
        memset(count, 0, 4097 * sizeof(*count));
        for (size_t i = 0; i < oui_n; i++)
            count[((from[i].oui >> shift) & 0xfff) + 1]++;
        for (size_t b = 1; b <= 4096; b++)
            count[b] += count[b - 1];
        for (size_t i = 0; i < oui_n; i++)
            to[count[(from[i].oui >> shift) & 0xfff]++] = from[i];
        struct oui_ent *t = from;
        from = to;
        to = t;
    }
    /* Two passes: the sorted entries are back in oui_tab. */
    free(tmp);
    free(count);
}

static void oui_load(void)
{
    oui_loaded = true;
    if (!oui_read(oui_path_ieee, oui_parse_ieee))
        oui_read(oui_path_manuf, oui_parse_manuf);
    if (oui_n > 1)
        oui_sort();
}

const char *oui_vendor(const uint8_t mac[6])
{
    if (mac_is_group(mac) || mac_is_local(mac))
        return NULL;
    if (!oui_loaded)
        oui_load();
    uint32_t key = ((uint32_t)mac[0] << 16) | ((uint32_t)mac[1] << 8) | mac[2];
    size_t lo = 0, hi = oui_n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (oui_tab[mid].oui < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < oui_n && oui_tab[lo].oui == key ? oui_names + oui_tab[lo].name_off : NULL;
}

bool oui_have_database(void)
{
    if (!oui_loaded)
        oui_load();
    return oui_n > 0;
}

void oui_release(void)
{
    free(oui_tab);
    free(oui_names);
    oui_tab = NULL;
    oui_names = NULL;
    oui_n = oui_cap = oui_names_len = oui_names_cap = 0;
    oui_loaded = false;
}

void oui_set_paths(const char *ieee_oui_txt, const char *wireshark_manuf)
{
    oui_release();
    oui_path_ieee = ieee_oui_txt;
    oui_path_manuf = wireshark_manuf;
}
