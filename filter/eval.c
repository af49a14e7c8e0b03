/*
 * The display-filter evaluator: walks the compiled tree over one packet's model. It reads field
 * values where they are (the frame's bytes, the dissection's text, the tracker's record) and
 * allocates nothing; only slices of several ranges and upper()/lower() copy, into the filter's
 * fixed scratch buffers.
 */
#include <string.h>

#include "dissect/annotate.h"
#include "dissect/numbers.h"
#include "dissect/services.h"
#include "filter/internal.h"
#include "util/ptime.h"
#include "util/util.h"

/* ---------------------------------------------------------------------------------------- */
/* Reading values */

/* A dissection field as a filter value; false when its bytes are not all captured. */
static bool field_value(const struct dissection *d, const struct field *fl, uint8_t vtype,
                        struct fvalue *v)
{
    v->type = vtype;
    v->prefix = 0;
    v->len = 0;
    v->p = NULL;
    switch (v->type) {
    case VT_UINT:
    case VT_BOOL:
        v->n.u = fl->value;
        return true;
    case VT_INT:
        v->n.i = (int64_t)fl->value;
        return true;
    case VT_TIME:
        field_time_split(fl->value, &v->n.t.sec, &v->n.t.nsec);
        return true;
    case VT_FLOAT:
        memcpy(&v->n.f, &fl->value, sizeof(v->n.f));
        return true;
    case VT_NONE:
    case VT_PROTO:
        return true;
    case VT_STRING: {
        size_t n;
        v->p = (const uint8_t *)dis_field_text(d, fl, &n);
        v->len = (uint32_t)n;
        return true;
    }
    default: {
        uint32_t need = v->type == VT_MAC    ? 6
                        : v->type == VT_IPV4 ? 4
                        : v->type == VT_IPV6 ? 16
                                             : 0;
        if (need && fl->len != need)
            return false;
        size_t size = need ? need : dis_field_size(fl);
        v->p = dis_field_bytes(d, fl, size);
        if (!v->p)
            return false;
        v->len = (uint32_t)size;
        v->prefix = v->type == VT_IPV4 ? 32 : v->type == VT_IPV6 ? 128 : 0;
        return true;
    }
    }
}

static void set_str(struct fvalue *v, const char *s)
{
    v->type = VT_STRING;
    v->p = (const uint8_t *)s;
    v->len = (uint32_t)strlen(s);
}

static void set_uint(struct fvalue *v, uint64_t u)
{
    v->type = VT_UINT;
    v->n.u = u;
}

/* Time difference a - b (util/ptime.h saturates it) as seconds and nanoseconds. */
static void set_time_diff(struct fvalue *v, int64_t as, uint32_t an, int64_t bs, uint32_t bn)
{
    int64_t span = ptime_diff(as, an, bs, bn);
    v->type = VT_TIME;
    /* Floor division, so that nsec stays in 0..999999999 for a negative span. */
    int64_t sec = span / 1000000000, ns = span % 1000000000;
    if (ns < 0) {
        ns += 1000000000;
        sec--;
    }
    v->n.t.sec = sec;
    v->n.t.nsec = (uint32_t)ns;
}

static const uint16_t analysis_fids[][2] = {
    {FID_TCP_ANALYSIS_RETRANSMISSION, 0},
    {FID_TCP_ANALYSIS_FAST_RETRANSMISSION, 1},
    {FID_TCP_ANALYSIS_SPURIOUS_RETRANSMISSION, 2},
    {FID_TCP_ANALYSIS_OUT_OF_ORDER, 3},
    {FID_TCP_ANALYSIS_DUPLICATE_ACK, 4},
    {FID_TCP_ANALYSIS_LOST_SEGMENT, 5},
    {FID_TCP_ANALYSIS_ACK_LOST_SEGMENT, 6},
    {FID_TCP_ANALYSIS_ZERO_WINDOW, 7},
    {FID_TCP_ANALYSIS_ZERO_WINDOW_PROBE, 8},
    {FID_TCP_ANALYSIS_ZERO_WINDOW_PROBE_ACK, 9},
    {FID_TCP_ANALYSIS_KEEP_ALIVE, 10},
    {FID_TCP_ANALYSIS_KEEP_ALIVE_ACK, 11},
    {FID_TCP_ANALYSIS_WINDOW_UPDATE, 12},
    {FID_TCP_ANALYSIS_WINDOW_FULL, 13},
    {FID_TCP_ANALYSIS_REUSED_PORTS, 14},
};
_Static_assert(TA_RETRANSMISSION == 1u << 0 && TA_DUPLICATE_ACK == 1u << 4 &&
                   TA_WINDOW_UPDATE == 1u << 12 && TA_REUSED_PORTS == 1u << 14,
               "analysis_fids gives each TA_ flag's bit position");

/* The tracker's TCP fields exist where --json writes them: a tracked TCP packet. */
static bool tracked_tcp(const struct filter_packet *p)
{
    const struct track_info *ti = p->ti;
    return ti && (ti->flags & TI_HAS_STREAM) && ti->proto == PS_IPPROTO_TCP &&
           p->d->sum.l4 == PS_IPPROTO_TCP && dis_find_layer(p->d, PROTO_TCP);
}

static bool has_ports(const struct dissection *d)
{
    const struct dis_summary *s = &d->sum;
    bool ports = (s->l4 == PS_IPPROTO_TCP && dis_find_layer(d, PROTO_TCP)) ||
                 (s->l4 == PS_IPPROTO_UDP && dis_find_layer(d, PROTO_UDP));
    return ports && (s->sport || s->dport);
}

/* An ICMP error quotes the start of a packet of another connection, and Wireshark numbers the
 * quoted TCP or UDP header with that connection's stream, so that "udp.stream == 3" also finds
 * the port-unreachable it caused. The tracker has already linked the two (TI_HAS_RELATED). */
static bool quoted_stream(const struct filter_packet *p, uint8_t proto, struct fvalue *v)
{
    const struct track_info *ti = p->ti;
    if (!ti || !(ti->flags & TI_HAS_RELATED) || ti->related_proto != proto ||
        !dis_find_layer(p->d, proto == PS_IPPROTO_TCP ? PROTO_TCP : PROTO_UDP))
        return false;
    set_uint(v, ti->related_stream);
    return true;
}

/* The pos-th value of a computed field; false when there is none. */
static bool virtual_value(unsigned fid, unsigned pos, const struct filter_packet *p,
                          struct fvalue *v)
{
    const struct dissection *d = p->d;
    const struct dis_summary *s = &d->sum;
    const struct track_info *ti = p->ti;
    memset(v, 0, sizeof(*v));
    if (fid == FID_PS_ANOMALY) {
        if (pos >= d->nanomalies)
            return false;
        set_str(v, anomaly_name((enum anomaly_id)d->anomalies[pos].id));
        return true;
    }
    if (pos > 0)
        return false;
    for (size_t k = 0; k < ARRAY_SIZE(analysis_fids); k++) {
        if (analysis_fids[k][0] == fid) {
            v->type = VT_NONE;
            return tracked_tcp(p) && (ti->analysis & (1u << analysis_fids[k][1]));
        }
    }
    switch (fid) {
    case FID_HTTP_REQUEST:
        v->type = VT_NONE;
        return dis_find(d, FID_HTTP_REQUEST_METHOD) != NULL;
    case FID_HTTP_RESPONSE:
        v->type = VT_NONE;
        return dis_find(d, FID_HTTP_RESPONSE_CODE) != NULL;
    case FID_FRAME_NUMBER:
        set_uint(v, p->number);
        return true;
    case FID_FRAME_LEN:
        set_uint(v, p->len);
        return true;
    case FID_FRAME_CAP_LEN:
        set_uint(v, p->caplen);
        return true;
    case FID_FRAME_PROTOCOLS:
        set_str(v, d->protocols);
        return true;
    case FID_FRAME_TIME_EPOCH:
        if (p->ts_missing)
            return false;
        v->type = VT_TIME;
        v->n.t.sec = p->ts_sec;
        v->n.t.nsec = p->ts_nsec;
        return true;
    case FID_FRAME_TIME_RELATIVE:
        if (p->ts_missing)
            return false;
        set_time_diff(v, p->ts_sec, p->ts_nsec, p->first_sec, p->first_nsec);
        return true;
    case FID_FRAME_TIME_DELTA:
        if (p->ts_missing)
            return false;
        set_time_diff(v, p->ts_sec, p->ts_nsec, p->prev_sec, p->prev_nsec);
        return true;
    case FID_FRAME_COMMENT:
        if (!p->comment || !p->comment_len)
            return false;
        v->type = VT_STRING;
        v->p = (const uint8_t *)p->comment;
        v->len = (uint32_t)p->comment_len;
        return true;
    case FID_TCP_STREAM:
        if (tracked_tcp(p)) {
            set_uint(v, ti->stream);
            return true;
        }
        return quoted_stream(p, PS_IPPROTO_TCP, v);
    case FID_TCP_SEQ:
    case FID_TCP_ACK:
        if (!tracked_tcp(p)) {
            /* A header an ICMP error quotes has its numbers as they are (dissect_tcp). */
            const struct field *f = dis_find(d, (enum field_id)fid);
            if (!f)
                return false;
            set_uint(v, f->value);
            return true;
        }
        set_uint(v, fid == FID_TCP_SEQ ? ti->rel_seq : ti->rel_ack);
        return true;
    case FID_TCP_WINDOW_SIZE:
        if (!tracked_tcp(p))
            return false;
        set_uint(v, ti->window_scaled);
        return true;
    case FID_TCP_ANALYSIS_FLAGS:
        v->type = VT_NONE;
        return tracked_tcp(p) && ti->analysis != 0;
    case FID_TCP_ANALYSIS_DUPLICATE_ACK_NUM:
        if (!tracked_tcp(p) || !(ti->analysis & TA_DUPLICATE_ACK) || !ti->dup_ack_num)
            return false;
        set_uint(v, ti->dup_ack_num);
        return true;
    case FID_TCP_ANALYSIS_DUPLICATE_ACK_FRAME:
        if (!tracked_tcp(p) || !(ti->analysis & TA_DUPLICATE_ACK) || !ti->dup_ack_frame)
            return false;
        set_uint(v, ti->dup_ack_frame);
        return true;
    case FID_UDP_STREAM:
        if (!ti || !(ti->flags & TI_HAS_STREAM) || ti->proto != 17 || s->l4 != 17 ||
            !dis_find_layer(d, PROTO_UDP))
            return quoted_stream(p, PS_IPPROTO_UDP, v);
        set_uint(v, ti->stream);
        return true;
    case FID_ICMP_STREAM:
        if (!ti || !(ti->flags & TI_HAS_STREAM) ||
            (ti->proto != PS_IPPROTO_ICMP && ti->proto != PS_IPPROTO_ICMPV6))
            return false;
        set_uint(v, ti->stream);
        return true;
    case FID_COMMUNITYID:
        if (!p->ids_filled) {
            /* The per-packet cache (filter.h); every filter_packet is the caller's own object. */
            struct filter_packet *cache = (struct filter_packet *)p;
            community_id_tracked(p->d, p->ti, cache->communityid);
            cache->ids_filled = true;
        }
        if (!p->communityid[0])
            return false;
        set_str(v, p->communityid);
        return true;
    case FID_ICMP_RESPTIME:
    case FID_ICMPV6_RESPTIME: {
        uint8_t want = fid == FID_ICMP_RESPTIME ? PS_IPPROTO_ICMP : PS_IPPROTO_ICMPV6;
        if (!ti || !(ti->flags & TI_HAS_STREAM) || !(ti->flags & TI_HAS_RTT) || s->l4 != want ||
            (ti->proto != PS_IPPROTO_ICMP && ti->proto != PS_IPPROTO_ICMPV6))
            return false;
        v->type = VT_FLOAT;
        v->n.f = (double)ti->rtt_usec / 1000.0;
        return true;
    }
    /* DHCP */
    case FID_PS_DHCP_EXCHANGE:
    case FID_PS_DHCP_FIRST:
    case FID_PS_DHCP_PREV:
    case FID_PS_DHCP_REQUEST_IN: {
        if (!ti || !(ti->app_flags & TIA_DHCP))
            return false;
        uint32_t n = fid == FID_PS_DHCP_EXCHANGE ? ti->dhcp_exchange
                     : fid == FID_PS_DHCP_FIRST  ? ti->dhcp_first
                     : fid == FID_PS_DHCP_PREV   ? ti->dhcp_prev
                                                 : ti->dhcp_request;
        if (fid != FID_PS_DHCP_EXCHANGE && n == 0)
            return false;
        set_uint(v, n);
        return true;
    }
    case FID_HTTP_REQUEST_IN:
    case FID_DNS_RESPONSE_TO:
        if (!ti || ti->pair_kind != (fid == FID_HTTP_REQUEST_IN ? TI_PAIR_HTTP : TI_PAIR_DNS))
            return false;
        set_uint(v, ti->pair_frame);
        return true;
    case FID_HTTP_TIME:
    case FID_DNS_TIME:
        if (!ti || ti->pair_kind != (fid == FID_HTTP_TIME ? TI_PAIR_HTTP : TI_PAIR_DNS))
            return false;
        v->type = VT_FLOAT;
        v->n.f = (double)ti->pair_ns / 1e9;
        return true;
    case FID_PS_PHASE:
        if (!ti || ti->phase == PHASE_NONE)
            return false;
        set_str(v, phase_name((enum phase)ti->phase));
        return true;
    case FID_PS_STATE_SRC:
        if (!ti || ti->state_src == TCPS_NONE)
            return false;
        set_str(v, tcp_state_name((enum tcp_state)ti->state_src));
        return true;
    case FID_PS_STATE_DST:
        if (!ti || ti->state_dst == TCPS_NONE)
            return false;
        set_str(v, tcp_state_name((enum tcp_state)ti->state_dst));
        return true;
    case FID_PS_STATE_CLIENT:
    case FID_PS_STATE_SERVER: {
        uint8_t st = ti ? track_state_of(ti, fid == FID_PS_STATE_CLIENT) : TCPS_NONE;
        if (st == TCPS_NONE)
            return false;
        set_str(v, tcp_state_name((enum tcp_state)st));
        return true;
    }
    case FID_PS_SENDER:
    case FID_PS_ROLES_BY:
        if (!ti || (ti->roles & TIR_RULE_MASK) == ROLE_NONE)
            return false;
        set_str(v, fid == FID_PS_ROLES_BY  ? role_rule_name(ti->roles)
                   : track_from_client(ti) ? "client"
                                           : "server");
        return true;
    case FID_PS_BROWSER:
        v->type = VT_NONE;
        return ti && (ti->roles & TIR_BROWSER);
    case FID_PS_MIDSTREAM:
        v->type = VT_NONE;
        return ti && (ti->flags & TI_HAS_STREAM) && (ti->flags & TI_MIDSTREAM);
    case FID_PS_HALF_CLOSED:
        v->type = VT_NONE;
        return ti && (ti->flags & TI_HAS_STREAM) && (ti->flags & TI_HALF_CLOSED);
    case FID_PS_STATUS: {
        static const char *const names[] = {"ok", "truncated", "malformed", "unsupported"};
        enum layer_status st = dis_worst_status(d);
        if (st == LAYER_OK)
            return false;
        set_str(v, (unsigned)st < ARRAY_SIZE(names) ? names[st] : "unknown");
        return true;
    }
    case FID_PS_ADDR_CLASS_SRC:
    case FID_PS_ADDR_CLASS_DST: {
        if (s->addr_len != 4 && s->addr_len != 16)
            return false;
        const uint8_t *a = fid == FID_PS_ADDR_CLASS_SRC ? s->src : s->dst;
        set_str(v, addr_class_name(s->addr_len == 4 ? addr_class_ipv4(a) : addr_class_ipv6(a)));
        return true;
    }
    case FID_PS_IP_CLASS_SRC:
    case FID_PS_IP_CLASS_DST: {
        if (s->addr_len != 4)
            return false;
        static const char *const letters[] = {"A", "B", "C", "D", "E"};
        char c = ipv4_class_letter(fid == FID_PS_IP_CLASS_SRC ? s->src : s->dst);
        set_str(v, letters[c - 'A']);
        return true;
    }
    case FID_PS_IP_HOPS:
    case FID_PS_IP_INITIAL_TTL:
        if ((s->addr_len != 4 && s->addr_len != 16) || ttl_hops(s->ttl) < 0)
            return false;
        set_uint(v, fid == FID_PS_IP_HOPS ? (uint64_t)ttl_hops(s->ttl) : ttl_initial_guess(s->ttl));
        return true;
    case FID_ICMP_RESP_TO:
    case FID_ICMPV6_RESP_TO:
        if (!ti || ti->pair_kind != TI_PAIR_ECHO ||
            s->l4 != (fid == FID_ICMP_RESP_TO ? PS_IPPROTO_ICMP : PS_IPPROTO_ICMPV6))
            return false;
        set_uint(v, ti->pair_frame);
        return true;
    case FID_PS_ARP_REQUEST_IN:
    case FID_PS_ARP_UNANSWERED:
        if (!ti ||
            ti->pair_kind != (fid == FID_PS_ARP_REQUEST_IN ? TI_PAIR_ARP : TI_PAIR_ARP_AGAIN))
            return false;
        set_uint(v, ti->pair_frame);
        return true;
    case FID_PS_ARP_TIME:
        if (!ti || ti->pair_kind != TI_PAIR_ARP)
            return false;
        v->type = VT_FLOAT;
        v->n.f = (double)ti->pair_ns / 1e9;
        return true;
    case FID_PS_VENDOR_SRC:
    case FID_PS_VENDOR_DST: {
        if (!s->has_eth)
            return false;
        const char *vendor = oui_vendor(fid == FID_PS_VENDOR_SRC ? s->eth_src : s->eth_dst);
        if (!vendor)
            return false;
        set_str(v, vendor);
        return true;
    }
    case FID_PS_PORT_RANGE_SRC:
    case FID_PS_PORT_RANGE_DST:
        if (!has_ports(d))
            return false;
        set_str(v, port_range_name(port_range(fid == FID_PS_PORT_RANGE_SRC ? s->sport : s->dport)));
        return true;
    case FID_PS_SERVICE: {
        if (!has_ports(d))
            return false;
        uint16_t lo = s->sport < s->dport ? s->sport : s->dport;
        uint16_t hi = s->sport < s->dport ? s->dport : s->sport;
        const char *svc = services_name(lo, s->l4);
        if (!svc)
            svc = services_name(hi, s->l4);
        if (!svc)
            return false;
        set_str(v, svc);
        return true;
    }
    default:
        return false;
    }
}

/* The next raw value of a field reference, from *pos on. */
static bool next_raw(const struct fref *r, const struct filter_packet *p, unsigned *pos,
                     struct fvalue *v)
{
    const struct dissection *d = p->d;
    switch (r->source) {
    case FS_FIELD: {
        /* The hot loop of every filter: a plain scan with the (at most two, for the
         * either-side fields) ids in registers; a third or fourth id is rare. */
        unsigned i = *pos, n = d->nfields;
        uint16_t a = r->ids[0], b = r->nids > 1 ? r->ids[1] : r->ids[0];
        const struct field *fields = d->fields;
        for (; i < n; i++) {
            uint16_t id = fields[i].id;
            bool hit = id == a || id == b;
            for (unsigned k = 2; !hit && k < r->nids; k++)
                hit = id == r->ids[k];
            if (hit && field_value(d, &fields[i], r->vtype, v)) {
                *pos = i + 1;
                return true;
            }
        }
        *pos = n;
        return false;
    }
    case FS_PROTO:
        if (r->frame) {
            if ((*pos)++ > 0)
                return false;
            memset(v, 0, sizeof(*v));
            v->type = VT_PROTO;
            v->p = d->data;
            v->len = d->caplen;
            return true;
        }
        while (*pos < d->nlayers) {
            const struct layer *l = &d->layers[(*pos)++];
            for (unsigned k = 0; k < r->nids; k++) {
                if (l->proto != r->ids[k])
                    continue;
                memset(v, 0, sizeof(*v));
                v->type = VT_PROTO;
                if (l->offset <= d->data_len) {
                    v->p = d->data + l->offset;
                    v->len = l->len <= d->data_len - l->offset ? l->len : d->data_len - l->offset;
                }
                return true;
            }
        }
        return false;
    default:
        return virtual_value(r->ids[0], (*pos)++, p, v);
    }
}

/* Applies a slice; false when a range falls outside the value (the slice does not exist). */
static bool apply_slice(struct dfilter *f, const struct operand *o, struct fvalue *v, int slot)
{
    size_t total = 0;
    uint8_t *out = f->scratch[slot];
    const uint8_t *first = NULL;
    for (unsigned k = 0; k < o->nranges; k++) {
        const struct slice_range *r = &o->ranges[k];
        int64_t L = v->len;
        int64_t start = r->start < 0 ? L + r->start : r->start;
        int64_t end;
        if (r->to_end)
            end = L;
        else if (r->arg_is_end)
            end = (r->arg < 0 ? L + r->arg : r->arg) + 1;
        else
            end = start + r->arg;
        if (start < 0 || end > L || end < start)
            return false;
        if (o->nranges == 1) {
            first = v->p + start;
            total = (size_t)(end - start);
            break;
        }
        if ((size_t)(end - start) > DF_SCRATCH - total)
            return false;
        memcpy(out + total, v->p + start, (size_t)(end - start));
        total += (size_t)(end - start);
    }
    v->p = o->nranges == 1 ? first : out;
    v->len = (uint32_t)total;
    v->type = VT_BYTES;
    return true;
}

/* The next value an operand yields (after slices, masks and functions). */
static bool next_value(struct dfilter *f, const struct operand *o, const struct filter_packet *p,
                       unsigned *pos, struct fvalue *v, int slot)
{
    if (o->kind == OPK_LITERAL) {
        if ((*pos)++ > 0)
            return false;
        *v = o->lit;
        return true;
    }
    if (o->kind == OPK_COUNT) {
        if (*pos == UINT32_MAX)
            return false;
        unsigned at = 0;
        uint64_t n = 0;
        struct fvalue tmp;
        while (next_raw(&o->ref, p, &at, &tmp))
            n++;
        *pos = UINT32_MAX;
        memset(v, 0, sizeof(*v));
        set_uint(v, n);
        return true;
    }
    while (next_raw(&o->ref, p, pos, v)) {
        if (o->nranges && !apply_slice(f, o, v, slot))
            continue;
        if (o->has_mask) {
            if (v->type == VT_INT)
                v->n.i = (int64_t)((uint64_t)v->n.i & o->mask);
            else
                v->n.u &= o->mask;
        }
        switch (o->kind) {
        case OPK_LEN: {
            uint32_t n = v->len;
            memset(v, 0, sizeof(*v));
            set_uint(v, n);
            break;
        }
        case OPK_UPPER:
        case OPK_LOWER: {
            uint8_t *out = f->scratch[slot];
            uint32_t n = v->len < DF_SCRATCH ? v->len : DF_SCRATCH;
            for (uint32_t i = 0; i < n; i++) {
                uint8_t c = v->p[i];
                if (o->kind == OPK_UPPER && c >= 'a' && c <= 'z')
                    c = (uint8_t)(c - 32);
                else if (o->kind == OPK_LOWER && c >= 'A' && c <= 'Z')
                    c = (uint8_t)(c + 32);
                out[i] = c;
            }
            v->p = out;
            v->len = n;
            break;
        }
        default:
            break;
        }
        return true;
    }
    return false;
}

/* ---------------------------------------------------------------------------------------- */
/* Comparing */

static bool is_number(uint8_t t)
{
    return t == VT_UINT || t == VT_BOOL || t == VT_INT || t == VT_FLOAT;
}

static bool is_bytes(uint8_t t)
{
    return t == VT_BYTES || t == VT_STRING || t == VT_PROTO || t == VT_MAC;
}

static int cmp_bytes(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
    size_t n = na < nb ? na : nb;
    int c = n ? memcmp(a, b, n) : 0;
    if (c)
        return c < 0 ? -1 : 1;
    return na < nb ? -1 : na > nb ? 1 : 0;
}

/* Compares two addresses under the shorter of their prefixes (a CIDR literal). */
static int cmp_prefixed(const struct fvalue *x, const struct fvalue *y, size_t n)
{
    unsigned bits = x->prefix < y->prefix ? x->prefix : y->prefix;
    for (size_t i = 0; i < n; i++) {
        unsigned keep = bits >= 8 ? 8 : bits;
        bits -= keep;
        uint8_t mask = keep ? (uint8_t)(0xff << (8 - keep)) : 0;
        uint8_t a = x->p[i] & mask, b = y->p[i] & mask;
        if (a != b)
            return a < b ? -1 : 1;
    }
    return 0;
}

int filter_cmp_values(const struct fvalue *x, const struct fvalue *y, bool *comparable)
{
    *comparable = true;
    if (is_number(x->type) && is_number(y->type)) {
        if (x->type == VT_FLOAT || y->type == VT_FLOAT) {
            double a = x->type == VT_FLOAT ? x->n.f
                       : x->type == VT_INT ? (double)x->n.i
                                           : (double)x->n.u;
            double b = y->type == VT_FLOAT ? y->n.f
                       : y->type == VT_INT ? (double)y->n.i
                                           : (double)y->n.u;
            return a < b ? -1 : a > b ? 1 : 0;
        }
        if (x->type == VT_INT || y->type == VT_INT) {
            bool xneg = x->type == VT_INT && x->n.i < 0;
            bool yneg = y->type == VT_INT && y->n.i < 0;
            if (xneg != yneg)
                return xneg ? -1 : 1;
            if (xneg)
                return x->n.i < y->n.i ? -1 : x->n.i > y->n.i ? 1 : 0;
            uint64_t a = x->type == VT_INT ? (uint64_t)x->n.i : x->n.u;
            uint64_t b = y->type == VT_INT ? (uint64_t)y->n.i : y->n.u;
            return a < b ? -1 : a > b ? 1 : 0;
        }
        return x->n.u < y->n.u ? -1 : x->n.u > y->n.u ? 1 : 0;
    }
    if (x->type == VT_TIME && y->type == VT_TIME) {
        if (x->n.t.sec != y->n.t.sec)
            return x->n.t.sec < y->n.t.sec ? -1 : 1;
        return x->n.t.nsec < y->n.t.nsec ? -1 : x->n.t.nsec > y->n.t.nsec ? 1 : 0;
    }
    if (x->type == VT_IPV4 && y->type == VT_IPV4)
        return cmp_prefixed(x, y, 4);
    if (x->type == VT_IPV6 && y->type == VT_IPV6)
        return cmp_prefixed(x, y, 16);
    if ((is_bytes(x->type) || x->type == VT_IPV4 || x->type == VT_IPV6) &&
        (is_bytes(y->type) || y->type == VT_IPV4 || y->type == VT_IPV6))
        return cmp_bytes(x->p, x->len, y->p, y->len);
    *comparable = false;
    return 0;
}

static bool contains(const struct fvalue *x, const struct fvalue *y)
{
    if (y->len == 0)
        return true;
    if (!x->p || y->len > x->len)
        return false;
    return memmem(x->p, x->len, y->p, y->len) != NULL;
}

static bool relation(struct node *n, const struct fvalue *x, const struct fvalue *y)
{
    bool ok;
    switch (n->op) {
    case CMP_CONTAINS:
        return contains(x, y);
    case CMP_MATCHES:
        return x->p && pcre2_match(n->re, x->p, x->len, 0, 0, n->md, NULL) >= 0;
    default:
        break;
    }
    int c = filter_cmp_values(x, y, &ok);
    if (!ok)
        return false;
    switch (n->op) {
    case CMP_EQ:
    case CMP_ALL_EQ:
        return c == 0;
    case CMP_NE:
    case CMP_ANY_NE:
        return c != 0;
    case CMP_GT:
        return c > 0;
    case CMP_GE:
        return c >= 0;
    case CMP_LT:
        return c < 0;
    case CMP_LE:
        return c <= 0;
    default:
        return false;
    }
}

/* Whether "all" pairs must hold (else "any"). */
static bool wants_all(const struct node *n)
{
    if (n->quant == Q_ALL)
        return true;
    if (n->quant == Q_ANY)
        return false;
    return n->op == CMP_NE || n->op == CMP_ALL_EQ;
}

static bool eval_cmp(struct dfilter *f, struct node *n, const struct filter_packet *p)
{
    bool all = wants_all(n);
    bool seen = false;
    unsigned pa = 0;
    struct fvalue x, y;
    while (next_value(f, &n->a, p, &pa, &x, 0)) {
        unsigned pb = 0;
        while (next_value(f, &n->b, p, &pb, &y, 1)) {
            seen = true;
            bool r = relation(n, &x, &y);
            if (all && !r)
                return false;
            if (!all && r)
                return true;
        }
    }
    return all && seen;
}

static bool in_set(const struct node *n, const struct fvalue *x)
{
    bool ok;
    for (size_t i = 0; i < n->nset; i++) {
        const struct set_elem *e = &n->set[i];
        if (!e->is_range) {
            if (filter_cmp_values(x, &e->lo, &ok) == 0 && ok)
                return true;
            continue;
        }
        if (filter_cmp_values(x, &e->lo, &ok) >= 0 && ok &&
            filter_cmp_values(x, &e->hi, &ok) <= 0 && ok)
            return true;
    }
    return false;
}

static bool eval_in(struct dfilter *f, struct node *n, const struct filter_packet *p)
{
    bool all = n->quant == Q_ALL;
    bool seen = false, any = false;
    unsigned pa = 0;
    struct fvalue x;
    while (next_value(f, &n->a, p, &pa, &x, 0)) {
        seen = true;
        bool r = in_set(n, &x);
        if (all && !r) {
            if (!n->negate_set)
                return false;
        }
        if (r)
            any = true;
        if (!all && r && !n->negate_set)
            return true;
    }
    if (!seen)
        return false;
    if (n->negate_set)
        return !any;
    return all ? true : any;
}

static bool eval_exists(struct dfilter *f, struct node *n, const struct filter_packet *p,
                        bool truth)
{
    unsigned pa = 0;
    struct fvalue x;
    while (next_value(f, &n->a, p, &pa, &x, 0)) {
        if (!truth)
            return true;
        bool nonzero = x.type == VT_INT ? x.n.i != 0 : x.n.u != 0;
        if (nonzero)
            return true;
    }
    return false;
}

bool filter_eval(struct dfilter *f, int idx, const struct filter_packet *p)
{
    struct node *n = &f->nodes[idx];
    switch (n->kind) {
    case NK_AND:
        return filter_eval(f, n->left, p) && filter_eval(f, n->right, p);
    case NK_OR:
        return filter_eval(f, n->left, p) || filter_eval(f, n->right, p);
    case NK_XOR:
        return filter_eval(f, n->left, p) != filter_eval(f, n->right, p);
    case NK_NOT:
        return !filter_eval(f, n->left, p);
    case NK_EXISTS:
        return eval_exists(f, n, p, false);
    case NK_TRUTH:
        return eval_exists(f, n, p, true);
    case NK_CMP:
        return eval_cmp(f, n, p);
    case NK_IN:
        return eval_in(f, n, p);
    default:
        return false;
    }
}

bool dfilter_match(struct dfilter *f, const struct filter_packet *p)
{
    if (!f || f->root < 0)
        return true;
    return filter_eval(f, f->root, p);
}

bool filter_next_raw(const struct fref *r, const struct filter_packet *p, unsigned *pos,
                     struct fvalue *v)
{
    return next_raw(r, p, pos, v);
}
