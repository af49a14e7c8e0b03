/*
 * live: the libpcap live source (pcap_create .. pcap_activate, kernel BPF, non-blocking
 * selectable descriptor) and the interface list.
 */
#include "capture/live.h"

#include <errno.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netinet/in.h>
#ifdef __linux__
#include <linux/if_packet.h>
#endif

#include "util/strbuf.h"
#include "util/util.h"

struct live_source {
    struct source base;
    pcap_t *p;
    char *iface;
    char *filter;
    char *warning;
    int fd;
    bool ended;
    uint64_t number;
    struct source_stats st;
};

static bool last_open_permission;

bool live_open_failed_permission(void)
{
    return last_open_permission;
}

static const struct source_ops live_ops;

bool live_source_is_live(const struct source *src)
{
    return src && src->ops == &live_ops;
}

const char *live_source_warning(const struct source *src)
{
    if (!live_source_is_live(src))
        return NULL;
    return ((const struct live_source *)src)->warning;
}

const char *live_source_filter(const struct source *src)
{
    if (!live_source_is_live(src))
        return NULL;
    return ((const struct live_source *)src)->filter;
}

/* DLT_ values are what libpcap hands out; files and our dissectors speak LINKTYPE_ values. They
 * coincide except for raw IP, whose DLT number differs between platforms. */
static uint32_t dlt_to_linktype(int dlt)
{
#ifdef DLT_RAW
    if (dlt == DLT_RAW)
        return LINKTYPE_RAW;
#endif
    return (uint32_t)dlt;
}

static void refresh_stats(struct live_source *ls)
{
    struct pcap_stat ps;
    /* After the interface has gone pcap_stats may fail: the last good numbers then stand. */
    if (ls->p && pcap_stats(ls->p, &ps) == 0) {
        ls->st.kernel_received = ps.ps_recv;
        ls->st.kernel_dropped = ps.ps_drop;
        ls->st.if_dropped = ps.ps_ifdrop;
        ls->st.has_kernel_stats = true;
    }
}

static int live_next(struct source *src, struct packet *pkt, char *errbuf)
{
    struct live_source *ls = (struct live_source *)src;
    if (ls->ended)
        return SOURCE_EOF;
    struct pcap_pkthdr *h;
    const u_char *data;
    int rc = pcap_next_ex(ls->p, &h, &data);
    if (rc == 0)
        return SOURCE_AGAIN;
    if (rc == PCAP_ERROR_BREAK) {
        ls->ended = true;
        return SOURCE_EOF;
    }
    if (rc < 0) {
        refresh_stats(ls);
        ls->ended = true;
        /* libpcap says "The interface disappeared" or "The interface went down". */
        char why[PCAP_ERRBUF_SIZE];
        snprintf(why, sizeof(why), "%s", pcap_geterr(ls->p));
        if (why[0] >= 'A' && why[0] <= 'Z' && why[1] >= 'a' && why[1] <= 'z')
            why[0] = (char)(why[0] - 'A' + 'a');
        ps_err(errbuf,
               "capture on %s ended: %s; the %llu packet%s captured before %s kept (check the "
               "interface with ip link, pktscope -D lists the ones that exist)",
               ls->iface, why, (unsigned long long)ls->st.packets, ls->st.packets == 1 ? "" : "s",
               ls->st.packets == 1 ? "was" : "were");
        return SOURCE_ERROR;
    }
    uint32_t caplen = h->caplen;
    if (caplen > CAPTURE_MAX_PACKET)
        caplen = CAPTURE_MAX_PACKET;
    /* Every source hands out a zeroed packet, then fills what it knows (no comment, no record
     * offset, a timestamp always present). */
    memset(pkt, 0, sizeof(*pkt));
    pkt->data = data;
    pkt->caplen = caplen;
    pkt->len = h->len < caplen ? caplen : h->len;
    pkt->ts_sec = (int64_t)h->ts.tv_sec;
    /* With nanosecond precision libpcap stores nanoseconds in tv_usec. */
    uint64_t frac = (uint64_t)h->ts.tv_usec;
    pkt->ts_nsec = (uint32_t)(src->nanosecond ? frac % 1000000000u : (frac % 1000000u) * 1000u);
    pkt->linktype = src->linktype;
    pkt->number = ++ls->number;
    ls->st.packets++;
    ls->st.bytes += caplen;
    return SOURCE_PACKET;
}

static int live_fd(struct source *src)
{
    return ((struct live_source *)src)->fd;
}

static void live_stats(struct source *src, struct source_stats *st)
{
    struct live_source *ls = (struct live_source *)src;
    if (!ls->ended)
        refresh_stats(ls);
    *st = ls->st;
}

static void live_close(struct source *src)
{
    struct live_source *ls = (struct live_source *)src;
    if (ls->p)
        pcap_close(ls->p);
    free(ls->iface);
    free(ls->filter);
    free(ls->warning);
    free(ls);
}

static const struct source_ops live_ops = {
    .next = live_next,
    .fd = live_fd,
    .stats = live_stats,
    .read_at = NULL,
    .close = live_close,
};

/* The path of our own binary, for the setcap advice. */
static void self_path(char *buf, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);
    if (n <= 0) {
        snprintf(buf, size, "/path/to/pktscope");
        return;
    }
    buf[n] = '\0';
}

static void permission_message(char *errbuf, const char *iface, const char *cause)
{
    char exe[PATH_MAX];
    self_path(exe, sizeof(exe));
    last_open_permission = true;
    ps_err(errbuf,
           "cannot capture on %s: permission denied (%s).\n"
           "Capturing needs root or the capabilities cap_net_raw and cap_net_admin. Either run "
           "pktscope as root (sudo pktscope -i %s), or grant them to the binary once:\n"
           "    sudo setcap cap_net_raw,cap_net_admin=eip %s",
           iface, cause, iface, exe);
}

static bool looks_like_permission(const char *msg)
{
    return strstr(msg, "ermission denied") || strstr(msg, "Operation not permitted") ||
           strstr(msg, "EPERM") || strstr(msg, "EACCES");
}

/* Turns a pcap_activate() failure into a message that says what to do. */
static void activate_error(char *errbuf, pcap_t *p, const char *iface, int rc)
{
    const char *why = pcap_geterr(p);
    switch (rc) {
    case PCAP_ERROR_PERM_DENIED:
        permission_message(errbuf, iface, why && *why ? why : "not allowed");
        break;
    case PCAP_ERROR_NO_SUCH_DEVICE:
        ps_err(errbuf, "cannot capture on %s: no such interface (%s); pktscope -D lists them",
               iface, why);
        break;
    case PCAP_ERROR_IFACE_NOT_UP:
        ps_err(errbuf,
               "cannot capture on %s: the interface is down; bring it up first "
               "(ip link set %s up)",
               iface, iface);
        break;
    case PCAP_ERROR_PROMISC_PERM_DENIED:
        ps_err(errbuf,
               "cannot capture on %s: not allowed to use promiscuous mode (%s); run "
               "with -p",
               iface, why);
        break;
    case PCAP_ERROR_RFMON_NOTSUP:
        ps_err(errbuf, "cannot capture on %s: monitor mode not supported", iface);
        break;
    default:
        if (looks_like_permission(why))
            permission_message(errbuf, iface, why);
        else
            ps_err(errbuf, "cannot capture on %s: %s", iface,
                   why && *why ? why : pcap_statustostr(rc));
        break;
    }
}

static void set_warning(struct live_source *ls, const char *text)
{
    free(ls->warning);
    ls->warning = xstrdup(text);
}

/* live_options.fanout: joined once the socket's filter is set. */
static int join_fanout(pcap_t *p, const char *iface, unsigned group, char *errbuf)
{
#if defined(__linux__) && defined(PACKET_FANOUT)
    /* The mode and flags go in the top half: DEFRAG (0x8000) shifted there passes INT_MAX, so
     * the word is built unsigned and handed over as the int setsockopt takes. */
    uint32_t word =
        (group & 0xffffu) | ((uint32_t)(PACKET_FANOUT_HASH | PACKET_FANOUT_FLAG_DEFRAG) << 16);
    int val;
    memcpy(&val, &word, sizeof(val));
    if (setsockopt(pcap_fileno(p), SOL_PACKET, PACKET_FANOUT, &val, sizeof(val)) < 0)
        return ps_err(errbuf, "cannot join packet fanout group %u on %s: %s%s", group, iface,
                      strerror(errno),
                      errno == EINVAL ? " (another program may use that group id with other "
                                        "settings; try again, the id follows the process id)"
                                      : "");
    return 0;
#else
    (void)p;
    (void)group;
    return ps_err(errbuf, "--workers needs Linux's PACKET_FANOUT to share %s", iface);
#endif
}

struct source *live_source_open(const struct live_options *opt, char *errbuf)
{
    char pe[PCAP_ERRBUF_SIZE] = "";
    last_open_permission = false;
    const char *iface = opt->interface;
    if (!iface || !*iface) {
        ps_err(errbuf, "no interface given; name one with -i (pktscope -D lists them)");
        return NULL;
    }
    pcap_t *p = pcap_create(iface, pe);
    if (!p) {
        ps_err(errbuf, "cannot capture on %s: %s", iface, pe);
        return NULL;
    }
    uint32_t snaplen = opt->snaplen ? opt->snaplen : LIVE_DEFAULT_SNAPLEN;
    if (snaplen > CAPTURE_MAX_PACKET)
        snaplen = CAPTURE_MAX_PACKET;
    pcap_set_snaplen(p, (int)snaplen);
    /* The "any" device cannot be promiscuous; asking only produces a warning. */
    if (strcmp(iface, "any") != 0)
        pcap_set_promisc(p, opt->promisc ? 1 : 0);
    if (opt->buffer_kib) {
        uint64_t bytes = (uint64_t)opt->buffer_kib * 1024u;
        if (bytes > INT_MAX)
            bytes = INT_MAX;
        pcap_set_buffer_size(p, (int)bytes);
    }
    if (opt->immediate)
        pcap_set_immediate_mode(p, 1);
    else
        pcap_set_timeout(p, opt->timeout_ms > 0 ? opt->timeout_ms : 100);
    bool want_nano = false;
#ifdef PCAP_TSTAMP_PRECISION_NANO
    want_nano = pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO) == 0;
#endif

    int rc = pcap_activate(p);
    if (rc < 0) {
        activate_error(errbuf, p, iface, rc);
        pcap_close(p);
        return NULL;
    }

    struct live_source *ls = xcalloc(1, sizeof(*ls));
    ls->p = p;
    ls->iface = xstrdup(iface);
    if (rc > 0) {
        char w[PCAP_ERRBUF_SIZE + 128];
        const char *why = pcap_geterr(p);
        if (rc == PCAP_WARNING_PROMISC_NOTSUP)
            snprintf(w, sizeof(w), "%s: promiscuous mode not supported (%s); capturing without",
                     iface, why);
        else
            snprintf(w, sizeof(w), "%s: %s", iface, why && *why ? why : pcap_statustostr(rc));
        set_warning(ls, w);
    }
    ls->base.ops = &live_ops;
    ls->base.name = ls->iface;
    ls->base.linktype = dlt_to_linktype(pcap_datalink(p));
    ls->base.snaplen = (uint32_t)pcap_snapshot(p);
    ls->base.format = "live";
    ls->base.caps = SOURCE_CAP_LIVE | SOURCE_CAP_GROWING;
#ifdef PCAP_TSTAMP_PRECISION_NANO
    ls->base.nanosecond = want_nano && pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO;
#else
    (void)want_nano;
    ls->base.nanosecond = false;
#endif
    ls->base.section_comment = NULL;

    if (opt->filter && *opt->filter) {
        bpf_u_int32 net = 0, mask = PCAP_NETMASK_UNKNOWN;
        if (pcap_lookupnet(iface, &net, &mask, pe) < 0)
            mask = PCAP_NETMASK_UNKNOWN;
        struct bpf_program prog;
        if (pcap_compile(p, &prog, opt->filter, 1, mask) < 0) {
            ps_err(errbuf, "invalid filter expression \"%s\": %s", opt->filter, pcap_geterr(p));
            live_close(&ls->base);
            return NULL;
        }
        rc = pcap_setfilter(p, &prog);
        pcap_freecode(&prog);
        if (rc < 0) {
            ps_err(errbuf, "cannot set the filter on %s: %s", iface, pcap_geterr(p));
            live_close(&ls->base);
            return NULL;
        }
        ls->filter = xstrdup(opt->filter);
    }
    if (opt->fanout && join_fanout(p, iface, opt->fanout_group, errbuf) < 0) {
        live_close(&ls->base);
        return NULL;
    }
    if (pcap_setnonblock(p, 1, pe) < 0) {
        ps_err(errbuf, "cannot capture on %s: %s", iface, pe);
        live_close(&ls->base);
        return NULL;
    }
    ls->fd = pcap_get_selectable_fd(p);
    if (ls->fd < 0) {
        ps_err(errbuf, "cannot capture on %s: no selectable descriptor on this platform", iface);
        live_close(&ls->base);
        return NULL;
    }
    return &ls->base;
}

/* ---- interface list ---- */

static unsigned prefix_len(const struct sockaddr *mask)
{
    const uint8_t *b = NULL;
    size_t n = 0;
    if (!mask)
        return 0;
    if (mask->sa_family == AF_INET) {
        b = (const uint8_t *)&((const struct sockaddr_in *)(const void *)mask)->sin_addr;
        n = 4;
    } else if (mask->sa_family == AF_INET6) {
        b = (const uint8_t *)&((const struct sockaddr_in6 *)(const void *)mask)->sin6_addr;
        n = 16;
    }
    unsigned bits = 0;
    for (size_t i = 0; i < n; i++)
        bits += (unsigned)__builtin_popcount(b[i]);
    return bits;
}

static void put_address(struct strbuf *sb, const pcap_addr_t *a)
{
    const struct sockaddr *sa = a->addr;
    if (!sa)
        return;
    size_t before = sb->len;
    if (before)
        sb_putc(sb, ' ');
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        sb_ipv4(sb, (const uint8_t *)&in->sin_addr);
        if (a->netmask)
            sb_printf(sb, "/%u", prefix_len(a->netmask));
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        sb_ipv6(sb, (const uint8_t *)&in6->sin6_addr);
        if (a->netmask)
            sb_printf(sb, "/%u", prefix_len(a->netmask));
#ifdef AF_PACKET
    } else if (sa->sa_family == AF_PACKET) {
        const struct sockaddr_ll *ll = (const struct sockaddr_ll *)(const void *)sa;
        if (ll->sll_halen == 6)
            sb_mac(sb, ll->sll_addr);
        else
            sb->len = before; /* not a MAC: nothing worth showing */
#endif
    } else {
        sb->len = before;
    }
    if (sb->len < sb->cap)
        sb->buf[sb->len] = '\0';
}

int live_ifaces(struct live_iface **out, size_t *n, char *errbuf)
{
    char pe[PCAP_ERRBUF_SIZE] = "";
    pcap_if_t *all = NULL;
    *out = NULL;
    *n = 0;
    if (pcap_findalldevs(&all, pe) < 0)
        return ps_err(errbuf, "cannot list interfaces: %s", pe);
    size_t count = 0, cap = 0;
    struct live_iface *list = NULL;
    for (pcap_if_t *d = all; d; d = d->next) {
        list = xgrow(list, &cap, count + 1, sizeof(*list));
        struct live_iface *li = &list[count++];
        memset(li, 0, sizeof(*li));
        li->name = xstrdup(d->name);
        li->description = d->description ? xstrdup(d->description) : NULL;
        char abuf[1024];
        struct strbuf sb;
        sb_init(&sb, abuf, sizeof(abuf));
        for (const pcap_addr_t *a = d->addresses; a; a = a->next)
            put_address(&sb, a);
        li->addresses = xstrdup(abuf);
        li->up = (d->flags & PCAP_IF_UP) != 0;
        li->running = (d->flags & PCAP_IF_RUNNING) != 0;
        li->loopback = (d->flags & PCAP_IF_LOOPBACK) != 0;
        li->connection = "";
#ifdef PCAP_IF_WIRELESS
        li->wireless = (d->flags & PCAP_IF_WIRELESS) != 0;
#endif
#ifdef PCAP_IF_CONNECTION_STATUS
        switch (d->flags & PCAP_IF_CONNECTION_STATUS) {
        case PCAP_IF_CONNECTION_STATUS_CONNECTED:
            li->connection = "connected";
            break;
        case PCAP_IF_CONNECTION_STATUS_DISCONNECTED:
            li->connection = "disconnected";
            break;
        default:
            break;
        }
#endif
    }
    pcap_freealldevs(all);
    *out = list;
    *n = count;
    return 0;
}

void live_ifaces_free(struct live_iface *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(list[i].name);
        free(list[i].description);
        free(list[i].addresses);
    }
    free(list);
}

int live_list_interfaces(FILE *out, char *errbuf)
{
    struct live_iface *list;
    size_t n;
    if (live_ifaces(&list, &n, errbuf) < 0)
        return -1;
    if (n == 0) {
        live_ifaces_free(list, n);
        return ps_err(errbuf, "no interfaces found; capturing may need root (sudo pktscope -D)");
    }
    for (size_t i = 0; i < n; i++) {
        const struct live_iface *li = &list[i];
        char flags[128];
        struct strbuf sb;
        sb_init(&sb, flags, sizeof(flags));
        sb_puts(&sb, li->up ? "up" : "down");
        if (li->running)
            sb_puts(&sb, ", running");
        if (li->loopback)
            sb_puts(&sb, ", loopback");
        if (li->wireless)
            sb_puts(&sb, ", wireless");
        if (*li->connection)
            sb_printf(&sb, ", %s", li->connection);
        /* Names and descriptions come from the system, and anyone who may rename an interface
         * (a container's root) chooses their bytes: escaped as packet bytes are, so that no
         * escape sequence reaches the terminal. */
        char line[1024];
        struct strbuf lb;
        sb_init(&lb, line, sizeof(line));
        sb_printf(&lb, "%zu. ", i + 1);
        sb_put_safe(&lb, (const uint8_t *)li->name, strlen(li->name));
        if (li->description) {
            sb_puts(&lb, " (");
            sb_put_safe(&lb, (const uint8_t *)li->description, strlen(li->description));
            sb_putc(&lb, ')');
        }
        fprintf(out, "%s [%s]\n", line, flags);
        if (*li->addresses)
            fprintf(out, "     %s\n", li->addresses);
    }
    live_ifaces_free(list, n);
    return 0;
}
