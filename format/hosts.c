/*
 * --hosts: the subnets and where they came from, every host with its addresses, roles and
 * whether it is local, the gateway's evidence, and the ARP table with its conflicts.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dissect/annotate.h"
#include "dissect/numbers.h"
#include "dissect/services.h"
#include "format/hosts.h"
#include "util/util.h"

static const char *l4_name(uint8_t l4)
{
    switch (l4) {
    case PS_IPPROTO_TCP:
        return "tcp";
    case PS_IPPROTO_UDP:
        return "udp";
    case PS_IPPROTO_ICMP:
        return "icmp";
    case PS_IPPROTO_ICMPV6:
        return "icmpv6";
    }
    return "?";
}

static const char *class_of(const uint8_t *a, size_t len)
{
    return addr_class_name(len == 4 ? addr_class_ipv4(a) : addr_class_ipv6(a));
}

static void put_subnet(struct strbuf *sb, const struct hosts_subnet *sn)
{
    sb_ip(sb, sn->addr, sn->addr_len);
    sb_printf(sb, "/%u", sn->prefix_len);
}

static void put_mask(struct strbuf *sb, unsigned prefix)
{
    uint32_t m = prefix ? 0xffffffffu << (32 - prefix) : 0;
    uint8_t b[4] = {(uint8_t)(m >> 24), (uint8_t)(m >> 16), (uint8_t)(m >> 8), (uint8_t)m};
    sb_ipv4(sb, b);
}

/* Where a subnet came from, in words. */
/* brk: what goes where the text view breaks the line ("\n"; JSON: " "). */
static void subnet_how(struct strbuf *sb, const struct hosts_report *r,
                       const struct hosts_subnet *sn, const char *brk)
{
    switch (sn->source) {
    case SUBNET_GIVEN:
        sb_puts(sb, "given with --subnet");
        break;
    case SUBNET_INTERFACE:
        sb_puts(sb, "the capturing interface's address and mask");
        break;
    case SUBNET_DHCP:
        sb_printf(sb, "the DHCP %s in frame %" PRIu64 " handed out ", sn->ack ? "ACK" : "OFFER",
                  sn->frame);
        sb_ipv4(sb, sn->assigned);
        sb_puts(sb, " with mask ");
        put_mask(sb, sn->prefix_len);
        if (sn->has_router) {
            sb_printf(sb, "%sand router ", brk);
            sb_ipv4(sb, sn->router);
        }
        break;
    case SUBNET_INFERRED:
        sb_printf(sb, "the smallest prefix covering the %" PRIu32 " address%s seen in ARP%s(",
                  sn->covered, sn->covered == 1 ? "" : "es", brk);
        sb_ipv4(sb, r->inferred_low);
        if (memcmp(r->inferred_low, r->inferred_high, 4) != 0) {
            sb_puts(sb, " to ");
            sb_ipv4(sb, r->inferred_high);
        }
        sb_printf(sb, ") is /%u", sn->covering_len);
        if (sn->covering_len > sn->prefix_len)
            sb_printf(sb, ", widened to /%u", sn->prefix_len);
        break;
    case SUBNET_RA:
        sb_printf(sb, "the Router Advertisement in frame %" PRIu64 " from ", sn->frame);
        sb_ipv6(sb, sn->router6);
        if (sn->has_router) {
            sb_puts(sb, " (");
            sb_mac(sb, sn->router_mac);
            sb_puts(sb, ")");
        }
        sb_printf(sb, "%sannounced it on-link", brk);
        break;
    }
}

static void put_service(struct strbuf *sb, uint8_t l4, uint16_t port)
{
    if (l4 == PS_IPPROTO_ICMP || l4 == PS_IPPROTO_ICMPV6) {
        sb_puts(sb, l4 == PS_IPPROTO_ICMP ? "ICMP echo" : "ICMPv6 echo");
        return;
    }
    sb_printf(sb, "%u/%s", port, l4_name(l4));
    const char *name = services_name(port, l4);
    if (name)
        sb_printf(sb, " (%s)", name);
}

/* "carries traffic for 1 address outside 192.0.2.0/24 (198.51.100.10); is 192.0.2.1 by ARP in
 * frame 7; DHCP router option in frame 4" */
static void gateway_evidence(struct strbuf *sb, const struct host_row *row, const char *next)
{
    const char *sep = "";
    if (row->carried) {
        sb_printf(sb, "carries traffic for %" PRIu32 " address%s ", row->carried,
                  row->carried == 1 ? "" : "es");
        if (row->outside_of) {
            sb_puts(sb, "outside ");
            put_subnet(sb, row->outside_of);
        } else {
            sb_puts(sb, "(too many for one host; no subnet known)");
        }
        sb_puts(sb, row->carried == 1 ? " (" : " (first ");
        sb_ip(sb, row->carried_ex.a, row->carried_ex.len);
        sb_puts(sb, ")");
        sep = next;
    }
    if (row->arp_taught) {
        sb_printf(sb, "%sis ", sep);
        sb_ip(sb, row->gw_addr.a, row->gw_addr.len);
        sb_printf(sb, " by ARP in frame %" PRIu64, row->arp_frame);
        sep = next;
    }
    if (row->dhcp_router_frame) {
        sb_printf(sb, "%sis named by the DHCP router option in frame %" PRIu64, sep,
                  row->dhcp_router_frame);
        if (!row->arp_taught) {
            sb_puts(sb, " (");
            sb_ip(sb, row->gw_addr.a, row->gw_addr.len);
            sb_puts(sb, ")");
        }
        sep = next;
    }
    if (row->ra_frame)
        sb_printf(sb, "%ssent a Router Advertisement in frame %" PRIu64, sep, row->ra_frame);
}

static void put_time(struct strbuf *sb, int64_t sec, uint32_t nsec)
{
    time_t t = (time_t)sec;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        sb_puts(sb, "?");
        return;
    }
    sb_printf(sb, "%02d:%02d:%02d.%03" PRIu32, tm.tm_hour, tm.tm_min, tm.tm_sec, nsec / 1000000);
}

static void line_text(struct lines *ls, uint8_t attr, const char *text)
{
    lines_begin(ls, attr);
    lines_add(ls, attr, text, strlen(text));
    lines_end(ls);
}

/* text broken at each '\n' into lines, each after `indent` */
static void split_lines(struct lines *ls, uint8_t attr, const char *indent, const char *text)
{
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        lines_begin(ls, attr);
        lines_add(ls, attr, indent, strlen(indent));
        lines_add(ls, attr, p, n);
        lines_end(ls);
        p += n;
        p += *p == '\n';
    }
}

static const char *local_text(const struct host_row *row)
{
    if (row->local > 0)
        return "local";
    if (row->local == 0)
        return "not local (outside the subnet)";
    return "local: unknown (no subnet known)";
}

static void host_lines(struct lines *ls, const struct hosts_report *r, const struct host_row *row)
{
    char buf[1024];
    struct strbuf sb;
    sb_init(&sb, buf, sizeof(buf));
    sb_puts(&sb, "  ");
    if (row->has_mac) {
        sb_mac(&sb, row->mac);
        const char *v = oui_vendor(row->mac);
        sb_puts(&sb, "  ");
        if (v)
            sb_puts(&sb, v);
        else if (mac_is_local(row->mac))
            sb_puts(&sb, "(locally administered: no vendor)");
        else
            sb_puts(&sb, "(vendor unknown)");
    } else if (row->naddrs) {
        sb_ip(&sb, row->addrs[0].a, row->addrs[0].len);
        if (row->has_via) {
            sb_puts(&sb, "  remote, reached through ");
            sb_mac(&sb, row->via);
        } else {
            sb_puts(&sb, "  no MAC seen");
        }
    }
    if (row->has_mac || !row->has_via)
        sb_printf(&sb, "  %s", local_text(row));
    line_text(ls, ATTR_HEADER, buf);
    for (size_t i = 0; i < row->naddrs; i++) {
        const struct host_addr *a = &row->addrs[i];
        sb_init(&sb, buf, sizeof(buf));
        sb_puts(&sb, a->len == 4 ? "    IPv4 " : "    IPv6 ");
        sb_ip(&sb, a->a, a->len);
        sb_printf(&sb, " (%s", class_of(a->a, a->len));
        const struct hosts_subnet *sn = hosts_subnet_of(r, a->a, a->len);
        if (sn) {
            sb_puts(&sb, ", in ");
            put_subnet(&sb, sn);
        }
        sb_printf(&sb, "), first in frame %" PRIu64, a->first_frame);
        line_text(ls, ATTR_NORMAL, buf);
    }
    for (size_t i = 0; i < row->nroles; i++) {
        const struct host_role *hr = &row->roles[i];
        sb_init(&sb, buf, sizeof(buf));
        sb_puts(&sb, hr->kind == ROLE_CLIENT ? "    client of " : "    server of ");
        sb_ip(&sb, hr->peer, hr->peer_len);
        sb_puts(&sb, ": ");
        put_service(&sb, hr->l4, hr->port);
        const char *what = hr->l4 == PS_IPPROTO_TCP   ? "connection"
                           : hr->l4 == PS_IPPROTO_UDP ? "datagram"
                                                      : "request";
        sb_printf(&sb, ", %" PRIu64 " %s%s from frame %" PRIu64, hr->count, what,
                  hr->count == 1 ? "" : "s", hr->first_frame);
        if (row->naddrs > 1) {
            sb_puts(&sb, " (as ");
            sb_ip(&sb, hr->addr, hr->addr_len);
            sb_puts(&sb, ")");
        }
        line_text(ls, ATTR_NORMAL, buf);
    }
    if (row->gateway) {
        sb_init(&sb, buf, sizeof(buf));
        line_text(ls, ATTR_NOTE, "    gateway (router), because it:");
        sb_init(&sb, buf, sizeof(buf));
        gateway_evidence(&sb, row, "\n");
        split_lines(ls, ATTR_NOTE, "      ", buf);
    }
    if (row->has_mac)
        for (size_t i = 0; i < r->narp; i++) {
            const struct arp_row *mine = &r->arp[i];
            if (!mine->conflict || memcmp(mine->mac, row->mac, 6) != 0)
                continue;
            for (size_t j = 0; j < r->narp; j++) {
                const struct arp_row *other = &r->arp[j];
                if (memcmp(other->ip, mine->ip, 4) != 0 || memcmp(other->mac, row->mac, 6) == 0)
                    continue;
                sb_init(&sb, buf, sizeof(buf));
                sb_puts(&sb, "    ARP conflict: ");
                sb_ipv4(&sb, mine->ip);
                sb_puts(&sb, " is also claimed by ");
                sb_mac(&sb, other->mac);
                sb_printf(&sb, " (frame %" PRIu64 ")", other->frame);
                line_text(ls, ATTR_ERROR, buf);
            }
        }
    if (row->has_mac) {
        sb_init(&sb, buf, sizeof(buf));
        sb_printf(&sb, "    sent %" PRIu64 " frame%s; seen in frame", row->frames,
                  row->frames == 1 ? "" : "s");
        if (row->first_frame == row->last_frame)
            sb_printf(&sb, " %" PRIu64, row->first_frame);
        else
            sb_printf(&sb, "s %" PRIu64 "-%" PRIu64, row->first_frame, row->last_frame);
        line_text(ls, ATTR_DIM, buf);
    }
}

/* IPv6's ARP table: what neighbour discovery taught (shown only when there is some). */
static void nd_table(struct lines *ls, const struct hosts_report *r)
{
    char buf[256];
    struct strbuf sb;
    if (!r->nnd)
        return;
    line_text(ls, ATTR_NORMAL, "");
    sb_init(&sb, buf, sizeof(buf));
    sb_printf(&sb, "Neighbour table (IPv6 neighbour discovery, %zu entr%s)", r->nnd,
              r->nnd == 1 ? "y" : "ies");
    line_text(ls, ATTR_HEADER, buf);
    line_text(ls, ATTR_DIM, "  IPv6                       MAC                frame  taught by");
    for (size_t i = 0; i < r->nnd; i++) {
        const struct nd_row *e = &r->nd[i];
        char ip[48];
        struct strbuf ib;
        sb_init(&ib, ip, sizeof(ip));
        sb_ipv6(&ib, e->ip);
        sb_init(&sb, buf, sizeof(buf));
        sb_printf(&sb, "  %-25s  ", ip);
        sb_mac(&sb, e->mac);
        sb_printf(&sb, "  %5" PRIu64 "  %s%s", e->frame,
                  hosts_taught_name((enum hosts_taught)e->how), e->router ? " (a router)" : "");
        line_text(ls, ATTR_NORMAL, buf);
    }
}

void format_hosts(struct lines *ls, const struct hosts_report *r)
{
    char buf[1024];
    struct strbuf sb;
    line_text(ls, ATTR_HEADER, "Subnets");
    if (!r->nsubnets)
        line_text(ls, ATTR_NORMAL,
                  "  none known: no --subnet, no DHCP lease, no Router Advertisement and no ARP "
                  "in the capture");
    for (size_t i = 0; i < r->nsubnets; i++) {
        sb_init(&sb, buf, sizeof(buf));
        sb_puts(&sb, "  ");
        put_subnet(&sb, &r->subnets[i]);
        sb_printf(&sb, "  (%s)", subnet_source_name((enum subnet_source)r->subnets[i].source));
        line_text(ls, ATTR_NORMAL, buf);
        sb_init(&sb, buf, sizeof(buf));
        subnet_how(&sb, r, &r->subnets[i], "\n");
        split_lines(ls, ATTR_DIM, "    ", buf);
    }
    line_text(ls, ATTR_NORMAL, "");
    sb_init(&sb, buf, sizeof(buf));
    sb_printf(&sb, "Hosts (%zu)", r->nrows);
    line_text(ls, ATTR_HEADER, buf);
    for (size_t i = 0; i < r->nrows; i++)
        host_lines(ls, r, &r->rows[i]);
    line_text(ls, ATTR_NORMAL, "");
    sb_init(&sb, buf, sizeof(buf));
    sb_printf(&sb, "ARP table (%zu entr%s", r->narp, r->narp == 1 ? "y" : "ies");
    if (r->conflicts)
        sb_printf(&sb, "; %zu conflict%s, marked !: two MACs for one IP, ARP spoofing?",
                  r->conflicts, r->conflicts == 1 ? "" : "s");
    sb_puts(&sb, ")");
    line_text(ls, ATTR_HEADER, buf);
    if (r->narp)
        line_text(ls, ATTR_DIM,
                  "  IP               MAC                frame  first seen    last seen     seen");
    for (size_t i = 0; i < r->narp; i++) {
        const struct arp_row *a = &r->arp[i];
        char ip[20];
        struct strbuf ib;
        sb_init(&ib, ip, sizeof(ip));
        sb_ipv4(&ib, a->ip);
        sb_init(&sb, buf, sizeof(buf));
        sb_printf(&sb, "%c %-15s  ", a->conflict ? '!' : ' ', ip);
        sb_mac(&sb, a->mac);
        sb_printf(&sb, "  %5" PRIu64 "  ", a->frame);
        put_time(&sb, a->first_sec, a->first_nsec);
        sb_puts(&sb, "  ");
        put_time(&sb, a->last_sec, a->last_nsec);
        sb_printf(&sb, "  %4" PRIu64, a->count);
        line_text(ls, a->conflict ? ATTR_ERROR : ATTR_NORMAL, buf);
    }
    nd_table(ls, r);
    if (r->evicted) {
        line_text(ls, ATTR_NORMAL, "");
        sb_init(&sb, buf, sizeof(buf));
        sb_printf(&sb,
                  "%" PRIu64 " observations let go past the cap of %zu (the oldest first): hosts "
                  "and roles may be missing",
                  r->evicted, r->cap);
        line_text(ls, ATTR_WARN, buf);
    }
}

/* ---- JSON ---------------------------------------------------------------------------------- */

static void json_key_str(struct strbuf *sb, const char *key, const char *v)
{
    sb_printf(sb, "\"%s\":\"", key);
    sb_put_json(sb, v, strlen(v));
    sb_putc(sb, '"');
}

static void json_ip(struct strbuf *sb, const char *key, const uint8_t *a, size_t len)
{
    sb_printf(sb, "\"%s\":\"", key);
    sb_ip(sb, a, len);
    sb_putc(sb, '"');
}

static void json_mac(struct strbuf *sb, const char *key, const uint8_t mac[6])
{
    sb_printf(sb, "\"%s\":\"", key);
    sb_mac(sb, mac);
    sb_putc(sb, '"');
}

static void json_addrs(struct strbuf *sb, const struct host_row *row, uint8_t len)
{
    sb_printf(sb, "\"%s\":[", len == 4 ? "ipv4" : "ipv6");
    const char *sep = "";
    for (size_t i = 0; i < row->naddrs; i++) {
        const struct host_addr *a = &row->addrs[i];
        if (a->len != len)
            continue;
        sb_printf(sb, "%s{", sep);
        json_ip(sb, "addr", a->a, a->len);
        sb_printf(sb, ",\"class\":\"%s\",\"first_frame\":%" PRIu64 "}", class_of(a->a, a->len),
                  a->first_frame);
        sep = ",";
    }
    sb_putc(sb, ']');
}

static void json_roles_of(struct strbuf *sb, const struct host_row *row, uint8_t kind)
{
    sb_printf(sb, ",\"%s\":[", kind == ROLE_CLIENT ? "client_of" : "server_of");
    const char *sep = "";
    for (size_t i = 0; i < row->nroles; i++) {
        const struct host_role *hr = &row->roles[i];
        if (hr->kind != kind)
            continue;
        sb_printf(sb, "%s{", sep);
        json_ip(sb, "peer", hr->peer, hr->peer_len);
        sb_putc(sb, ',');
        json_ip(sb, "addr", hr->addr, hr->addr_len);
        sb_printf(sb, ",\"proto\":\"%s\"", l4_name(hr->l4));
        if (hr->l4 == PS_IPPROTO_TCP || hr->l4 == PS_IPPROTO_UDP) {
            sb_printf(sb, ",\"port\":%u", hr->port);
            const char *name = services_name(hr->port, hr->l4);
            if (name) {
                sb_putc(sb, ',');
                json_key_str(sb, "service", name);
            }
        }
        sb_printf(sb, ",\"count\":%" PRIu64 ",\"first_frame\":%" PRIu64 "}", hr->count,
                  hr->first_frame);
        sep = ",";
    }
    sb_putc(sb, ']');
}

static void json_host(struct strbuf *sb, const struct hosts_report *r, const struct host_row *row)
{
    sb_putc(sb, '{');
    if (row->has_mac) {
        json_mac(sb, "mac", row->mac);
        const char *v = oui_vendor(row->mac);
        if (v) {
            sb_putc(sb, ',');
            json_key_str(sb, "vendor", v);
        } else {
            sb_puts(sb, ",\"vendor\":null");
        }
    } else {
        sb_puts(sb, "\"mac\":null,\"vendor\":null");
    }
    sb_putc(sb, ',');
    json_addrs(sb, row, 4);
    sb_putc(sb, ',');
    json_addrs(sb, row, 16);
    bool client = false, server = false;
    for (size_t i = 0; i < row->nroles; i++) {
        client |= row->roles[i].kind == ROLE_CLIENT;
        server |= row->roles[i].kind == ROLE_SERVER;
    }
    const char *sep = "";
    sb_puts(sb, ",\"roles\":[");
    if (client)
        sb_puts(sb, "\"client\""), sep = ",";
    if (server)
        sb_printf(sb, "%s\"server\"", sep), sep = ",";
    if (row->gateway)
        sb_printf(sb, "%s\"gateway\"", sep);
    sb_puts(sb, "],\"local\":");
    sb_puts(sb, row->local > 0 ? "true" : row->local == 0 ? "false" : "null");
    if (row->has_via) {
        sb_putc(sb, ',');
        json_mac(sb, "via", row->via);
    }
    json_roles_of(sb, row, ROLE_CLIENT);
    json_roles_of(sb, row, ROLE_SERVER);
    if (row->gateway) {
        char ev[512];
        struct strbuf eb;
        sb_init(&eb, ev, sizeof(ev));
        gateway_evidence(&eb, row, "; ");
        sb_printf(sb, ",\"gateway\":{\"carries\":%" PRIu32, row->carried);
        if (row->outside_of) {
            sb_puts(sb, ",\"outside\":\"");
            put_subnet(sb, row->outside_of);
            sb_putc(sb, '"');
        }
        if (row->gw_addr.len) {
            sb_putc(sb, ',');
            json_ip(sb, "address", row->gw_addr.a, row->gw_addr.len);
        }
        if (row->arp_taught)
            sb_printf(sb, ",\"arp_frame\":%" PRIu64, row->arp_frame);
        if (row->dhcp_router_frame)
            sb_printf(sb, ",\"dhcp_router_frame\":%" PRIu64, row->dhcp_router_frame);
        if (row->ra_frame)
            sb_printf(sb, ",\"ra_frame\":%" PRIu64, row->ra_frame);
        sb_putc(sb, ',');
        json_key_str(sb, "evidence", ev);
        sb_putc(sb, '}');
    }
    if (row->has_mac) {
        bool conflict = false;
        for (size_t i = 0; i < r->narp; i++)
            conflict |= r->arp[i].conflict && memcmp(r->arp[i].mac, row->mac, 6) == 0;
        sb_printf(sb, ",\"arp_conflict\":%s", conflict ? "true" : "false");
    }
    sb_printf(sb, ",\"first_frame\":%" PRIu64 ",\"last_frame\":%" PRIu64, row->first_frame,
              row->last_frame);
    if (row->has_mac)
        sb_printf(sb, ",\"frames\":%" PRIu64, row->frames);
    sb_putc(sb, '}');
}

static void json_report(struct strbuf *sb, const struct hosts_report *r)
{
    char how[512];
    struct strbuf hb;
    sb_puts(sb, "{\"subnets\":[");
    for (size_t i = 0; i < r->nsubnets; i++) {
        const struct hosts_subnet *sn = &r->subnets[i];
        sb_puts(sb, i ? ",\n{\"subnet\":\"" : "\n{\"subnet\":\"");
        put_subnet(sb, sn);
        sb_printf(sb, "\",\"source\":\"%s\"", subnet_source_name((enum subnet_source)sn->source));
        if (sn->source == SUBNET_DHCP) {
            sb_printf(sb, ",\"frame\":%" PRIu64 ",", sn->frame);
            json_ip(sb, "assigned", sn->assigned, 4);
            if (sn->has_router) {
                sb_putc(sb, ',');
                json_ip(sb, "router", sn->router, 4);
            }
        }
        if (sn->source == SUBNET_RA) {
            sb_printf(sb, ",\"frame\":%" PRIu64 ",", sn->frame);
            json_ip(sb, "router", sn->router6, 16);
        }
        sb_init(&hb, how, sizeof(how));
        subnet_how(&hb, r, sn, " ");
        sb_putc(sb, ',');
        json_key_str(sb, "how", how);
        sb_putc(sb, '}');
    }
    sb_puts(sb, "],\n\"hosts\":[");
    for (size_t i = 0; i < r->nrows; i++) {
        sb_puts(sb, i ? ",\n" : "\n");
        json_host(sb, r, &r->rows[i]);
    }
    sb_puts(sb, "],\n\"arp\":[");
    for (size_t i = 0; i < r->narp; i++) {
        const struct arp_row *a = &r->arp[i];
        sb_puts(sb, i ? ",\n{" : "\n{");
        json_ip(sb, "ip", a->ip, 4);
        sb_putc(sb, ',');
        json_mac(sb, "mac", a->mac);
        sb_printf(sb,
                  ",\"frame\":%" PRIu64 ",\"count\":%" PRIu64 ",\"first_seen\":\"%" PRId64
                  ".%09" PRIu32 "\",\"last_seen\":\"%" PRId64 ".%09" PRIu32 "\",\"conflict\":%s}",
                  a->frame, a->count, a->first_sec, a->first_nsec, a->last_sec, a->last_nsec,
                  a->conflict ? "true" : "false");
    }
    sb_puts(sb, "],\n\"nd\":[");
    for (size_t i = 0; i < r->nnd; i++) {
        const struct nd_row *e = &r->nd[i];
        sb_puts(sb, i ? ",\n{" : "\n{");
        json_ip(sb, "ip", e->ip, 16);
        sb_putc(sb, ',');
        json_mac(sb, "mac", e->mac);
        sb_printf(sb, ",\"frame\":%" PRIu64 ",\"count\":%" PRIu64 ",", e->frame, e->count);
        json_key_str(sb, "taught_by", hosts_taught_name((enum hosts_taught)e->how));
        sb_printf(sb, ",\"router\":%s}", e->router ? "true" : "false");
    }
    sb_printf(sb, "],\n\"arp_conflicts\":%zu,\"evicted\":%" PRIu64 ",\"cap\":%zu}", r->conflicts,
              r->evicted, r->cap);
}

void format_hosts_json(struct json_buf *jb, const struct hosts_report *r)
{
    size_t want = 4096;
    for (;;) {
        if (jb->cap < want)
            jb->buf = xgrow(jb->buf, &jb->cap, want, 1);
        struct strbuf sb;
        sb_init(&sb, jb->buf, jb->cap);
        json_report(&sb, r);
        if (!sb.overflow) {
            jb->len = sb.len;
            return;
        }
        want = jb->cap * 2;
    }
}
