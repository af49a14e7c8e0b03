/*
 * The services database (services(5)): "name port/protocol [aliases...] [# comment]".
 * Only tcp and udp entries are kept; the first name for a port and protocol wins, as in
 * getservbyport(3). Names are kept only when they are short printable ASCII, so a damaged
 * file can never put control bytes on a terminal.
 */
#include "dissect/services.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

enum {
    SERV_NAME_MAX = 31,       /* longer names are not real service names */
    SERV_MAX_ENTRIES = 65536, /* bound on what a (hostile) file can make us keep */
    SERV_LINE_MAX = 1024,
};

struct serv {
    uint16_t port;
    uint8_t l4;
    char name[SERV_NAME_MAX + 1];
    uint32_t seq; /* line order, so that the first name for a port wins after sorting */
};

/* netbase's names for the ports a class meets first. Sorted by (l4, port). */
static const struct serv serv_fallback[] = {
    {20, 6, "ftp-data", 0},
    {21, 6, "ftp", 0},
    {22, 6, "ssh", 0},
    {23, 6, "telnet", 0},
    {25, 6, "smtp", 0},
    {53, 6, "domain", 0},
    {80, 6, "http", 0},
    {110, 6, "pop3", 0},
    {143, 6, "imap2", 0},
    {179, 6, "bgp", 0},
    {389, 6, "ldap", 0},
    {443, 6, "https", 0},
    {445, 6, "microsoft-ds", 0},
    {465, 6, "submissions", 0},
    {587, 6, "submission", 0},
    {993, 6, "imaps", 0},
    {995, 6, "pop3s", 0},
    {3306, 6, "mysql", 0},
    {3389, 6, "ms-wbt-server", 0},
    {5432, 6, "postgresql", 0},
    {8080, 6, "http-alt", 0},
    {53, 17, "domain", 0},
    {67, 17, "bootps", 0},
    {68, 17, "bootpc", 0},
    {69, 17, "tftp", 0},
    {123, 17, "ntp", 0},
    {137, 17, "netbios-ns", 0},
    {138, 17, "netbios-dgm", 0},
    {161, 17, "snmp", 0},
    {162, 17, "snmp-trap", 0},
    {443, 17, "https", 0},
    {500, 17, "isakmp", 0},
    {514, 17, "syslog", 0},
    {546, 17, "dhcpv6-client", 0},
    {547, 17, "dhcpv6-server", 0},
    {1900, 17, "ssdp", 0},
    {4500, 17, "ipsec-nat-t", 0},
    {5353, 17, "mdns", 0},
    {5355, 17, "llmnr", 0},
};

static const char *serv_path; /* NULL: default */
static struct serv *serv_table;
static size_t serv_count;
static bool serv_loaded, serv_file;

static int serv_cmp(const void *a, const void *b)
{
    const struct serv *x = a, *y = b;
    if (x->l4 != y->l4)
        return x->l4 < y->l4 ? -1 : 1;
    if (x->port != y->port)
        return x->port < y->port ? -1 : 1;
    return 0;
}

static int serv_sort_cmp(const void *a, const void *b)
{
    int c = serv_cmp(a, b);
    if (c)
        return c;
    const struct serv *x = a, *y = b;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t';
}

/* Parses one line into *out; false when it is not a usable tcp/udp entry. */
static bool serv_parse(const char *s, struct serv *out)
{
    size_t i = 0;
    while (is_space(s[i]))
        i++;
    size_t n0 = i;
    while (s[i] && !is_space(s[i]) && s[i] != '#' && s[i] != '\n')
        i++;
    size_t nlen = i - n0;
    if (nlen == 0 || nlen > SERV_NAME_MAX)
        return false;
    for (size_t k = n0; k < i; k++)
        if (s[k] <= ' ' || s[k] > '~')
            return false;
    while (is_space(s[i]))
        i++;
    unsigned long port = 0;
    size_t digits = 0;
    while (s[i] >= '0' && s[i] <= '9' && digits < 6) {
        port = port * 10 + (unsigned long)(s[i] - '0');
        i++;
        digits++;
    }
    if (digits == 0 || port > 65535 || s[i] != '/')
        return false;
    i++;
    uint8_t l4;
    if (strncmp(s + i, "tcp", 3) == 0)
        l4 = 6;
    else if (strncmp(s + i, "udp", 3) == 0)
        l4 = 17;
    else
        return false;
    char after = s[i + 3];
    if (after && !is_space(after) && after != '\n' && after != '#' && after != '\r')
        return false;
    memcpy(out->name, s + n0, nlen);
    out->name[nlen] = '\0';
    out->port = (uint16_t)port;
    out->l4 = l4;
    return true;
}

static void serv_load(void)
{
    serv_loaded = true;
    serv_file = false;
    FILE *f = fopen(serv_path ? serv_path : "/etc/services", "r");
    if (!f)
        return;
    size_t cap = 0;
    char line[SERV_LINE_MAX];
    while (fgets(line, sizeof(line), f) && serv_count < SERV_MAX_ENTRIES) {
        struct serv e;
        if (!serv_parse(line, &e))
            continue;
        e.seq = (uint32_t)serv_count;
        serv_table = xgrow(serv_table, &cap, serv_count + 1, sizeof(*serv_table));
        serv_table[serv_count++] = e;
    }
    fclose(f);
    if (serv_count == 0)
        return;
    qsort(serv_table, serv_count, sizeof(*serv_table), serv_sort_cmp);
    serv_file = true;
}

static const struct serv *serv_find(const struct serv *t, size_t n, uint16_t port, uint8_t l4)
{
    struct serv key = {port, l4, "", 0};
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = serv_cmp(&t[mid], &key);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && serv_cmp(&t[lo], &key) == 0 ? &t[lo] : NULL;
}

const char *services_name(uint16_t port, uint8_t l4)
{
    if (!serv_loaded)
        serv_load();
    const struct serv *e;
    if (serv_file)
        e = serv_find(serv_table, serv_count, port, l4);
    else
        e = serv_find(serv_fallback, ARRAY_SIZE(serv_fallback), port, l4);
    return e ? e->name : NULL;
}

bool services_from_file(void)
{
    if (!serv_loaded)
        serv_load();
    return serv_file;
}

void services_release(void)
{
    free(serv_table);
    serv_table = NULL;
    serv_count = 0;
    serv_loaded = false;
    serv_file = false;
}

void services_set_path(const char *path)
{
    services_release();
    serv_path = path;
}
