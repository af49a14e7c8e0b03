/*
 * -z conv,TYPE: tshark 4.0's conversation tables (ui/cli/tap-iousers.c layout): rows by total
 * frames, most first, ties in the order the conversations began; "<-" is what the second
 * address sent, "->" what the first (the first packet's source) sent; bytes are frame lengths;
 * tshark's tables come out in the reverse order of the -z options, and so do these.
 */
#include "format/conv.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/numbers.h"
#include "util/ptime.h"
#include "util/strbuf.h"
#include "util/util.h"

struct conv_row {
    uint8_t a[16], b[16]; /* addresses: the first packet's source is a */
    uint16_t pa, pb;      /* ports (tcp, udp) */
    uint64_t a_frames, a_bytes, b_frames, b_bytes;
    int64_t start_ns, stop_ns; /* since the first packet */
};

struct conv_table {
    unsigned type;
    struct conv_row *rows;
    size_t n, cap;
    uint32_t *slots; /* open addressing: row index + 1, 0 empty */
    size_t nslots;
    uint64_t dropped; /* packets of conversations past CONV_MAX */
};

struct conv_tables {
    struct conv_table t[8];
    size_t n;
};

struct conv_tables *conv_new(const unsigned *order, size_t norder)
{
    struct conv_tables *ct = xcalloc(1, sizeof(*ct));
    for (size_t i = 0; i < norder && i < 8; i++)
        ct->t[ct->n++].type = order[i];
    return ct;
}

static size_t addr_len(unsigned type)
{
    return type == ZCONV_ETH ? 6 : type == ZCONV_IP ? 4 : 16;
}

static uint64_t hash_key(const uint8_t *x, const uint8_t *y, uint16_t px, uint16_t py, size_t n)
{
    /* symmetric: the same for (x, y) and (y, x) */
    uint64_t h1 = 1469598103934665603ull, h2 = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h1 = (h1 ^ x[i]) * 1099511628211ull;
        h2 = (h2 ^ y[i]) * 1099511628211ull;
    }
    h1 = (h1 ^ px) * 1099511628211ull;
    h2 = (h2 ^ py) * 1099511628211ull;
    return h1 ^ h2;
}

static void grow_slots(struct conv_table *t)
{
    size_t n = t->nslots ? t->nslots * 2 : 1024;
    free(t->slots);
    t->slots = xcalloc(n, sizeof(*t->slots));
    t->nslots = n;
    size_t len = addr_len(t->type);
    for (size_t i = 0; i < t->n; i++) {
        const struct conv_row *r = &t->rows[i];
        size_t s = hash_key(r->a, r->b, r->pa, r->pb, len) & (n - 1);
        while (t->slots[s])
            s = (s + 1) & (n - 1);
        t->slots[s] = (uint32_t)(i + 1);
    }
}

static void add_one(struct conv_table *t, const uint8_t *src, const uint8_t *dst, uint16_t sp,
                    uint16_t dp, uint32_t len, int64_t rel)
{
    size_t alen = addr_len(t->type);
    if (t->n * 2 >= t->nslots)
        grow_slots(t);
    size_t s = hash_key(src, dst, sp, dp, alen) & (t->nslots - 1);
    while (t->slots[s]) {
        struct conv_row *r = &t->rows[t->slots[s] - 1];
        bool fwd =
            !memcmp(r->a, src, alen) && !memcmp(r->b, dst, alen) && r->pa == sp && r->pb == dp;
        bool rev =
            !memcmp(r->a, dst, alen) && !memcmp(r->b, src, alen) && r->pa == dp && r->pb == sp;
        if (fwd || rev) {
            if (fwd) {
                r->a_frames++;
                r->a_bytes += len;
            } else {
                r->b_frames++;
                r->b_bytes += len;
            }
            r->stop_ns = rel;
            return;
        }
        s = (s + 1) & (t->nslots - 1);
    }
    if (t->n >= CONV_MAX) {
        t->dropped++;
        return;
    }
    if (t->n == t->cap)
        t->rows = xgrow(t->rows, &t->cap, t->n + 1, sizeof(*t->rows));
    struct conv_row *r = &t->rows[t->n];
    memset(r, 0, sizeof(*r));
    memcpy(r->a, src, alen);
    memcpy(r->b, dst, alen);
    r->pa = sp;
    r->pb = dp;
    r->a_frames = 1;
    r->a_bytes = len;
    r->start_ns = r->stop_ns = rel;
    t->slots[s] = (uint32_t)(++t->n);
}

void conv_add(struct conv_tables *ct, const struct packet *pkt, const struct dissection *d,
              int64_t ref_sec, uint32_t ref_nsec)
{
    const struct dis_summary *s = &d->sum;
    int64_t rel = ptime_diff(pkt->ts_sec, pkt->ts_nsec, ref_sec, ref_nsec);
    for (size_t i = 0; i < ct->n; i++) {
        struct conv_table *t = &ct->t[i];
        switch (t->type) {
        case ZCONV_ETH:
            if (s->has_eth)
                add_one(t, s->eth_src, s->eth_dst, 0, 0, pkt->len, rel);
            break;
        case ZCONV_IP:
        case ZCONV_IPV6:
            if (s->addr_len == (t->type == ZCONV_IP ? 4 : 16) &&
                dis_find_layer(d, t->type == ZCONV_IP ? PROTO_IPV4 : PROTO_IPV6))
                add_one(t, s->src, s->dst, 0, 0, pkt->len, rel);
            break;
        case ZCONV_TCP:
        case ZCONV_UDP: {
            uint8_t want = t->type == ZCONV_TCP ? PS_IPPROTO_TCP : PS_IPPROTO_UDP;
            if (s->l4 != want || !dis_find_layer(d, want == PS_IPPROTO_TCP ? PROTO_TCP : PROTO_UDP))
                break;
            if (s->addr_len != 4 && s->addr_len != 16)
                break;
            /* IPv4 and IPv6 conversations share the table: the key holds 16 bytes (an IPv4
             * address then zeros; an IPv6 address of that shape would print as IPv4). */
            uint8_t a[16] = {0}, b[16] = {0};
            memcpy(a, s->src, s->addr_len);
            memcpy(b, s->dst, s->addr_len);
            add_one(t, a, b, s->sport, s->dport, pkt->len, rel);
            break;
        }
        default:
            break;
        }
    }
}

static const char *title(unsigned type)
{
    switch (type) {
    case ZCONV_ETH:
        return "Ethernet";
    case ZCONV_IP:
        return "IPv4";
    case ZCONV_IPV6:
        return "IPv6";
    case ZCONV_TCP:
        return "TCP";
    default:
        return "UDP";
    }
}

/* tshark 4.0's format_size(): "1996 bytes", "12 kB", "34 MB". */
static void put_size(char *buf, size_t n, uint64_t v)
{
    if (v / 1000 / 1000 / 1000 / 1000 >= 10)
        snprintf(buf, n, "%" PRIu64 " TB", v / 1000 / 1000 / 1000 / 1000);
    else if (v / 1000 / 1000 / 1000 >= 10)
        snprintf(buf, n, "%" PRIu64 " GB", v / 1000 / 1000 / 1000);
    else if (v / 1000 / 1000 >= 10)
        snprintf(buf, n, "%" PRIu64 " MB", v / 1000 / 1000);
    else if (v / 1000 >= 10)
        snprintf(buf, n, "%" PRIu64 " kB", v / 1000);
    else
        snprintf(buf, n, "%" PRIu64 " bytes", v);
}

static void put_addr(char *buf, size_t n, unsigned type, const uint8_t *a, bool v4, uint16_t port)
{
    char text[64];
    struct strbuf sb;
    sb_init(&sb, text, sizeof(text));
    if (type == ZCONV_ETH)
        sb_mac(&sb, a);
    else if (type == ZCONV_IP || (type != ZCONV_IPV6 && v4))
        sb_ipv4(&sb, a);
    else
        sb_ipv6(&sb, a);
    if (type == ZCONV_TCP || type == ZCONV_UDP)
        sb_printf(&sb, ":%u", port);
    snprintf(buf, n, "%s", text);
}

static bool v4_key(const struct conv_row *r)
{
    /* a TCP/UDP key of an IPv4 pair has 12 zero bytes after each address */
    for (int i = 4; i < 16; i++)
        if (r->a[i] || r->b[i])
            return false;
    return true;
}

static void print_table(const struct conv_table *t, FILE *out)
{
    static const char bar[] =
        "================================================================================\n";
    bool ports = t->type == ZCONV_TCP || t->type == ZCONV_UDP;
    const char *pad = ports ? "            " : "";
    fputs(bar, out);
    fprintf(out, "%s Conversations\nFilter:<No Filter>\n", title(t->type));
    fprintf(out,
            "%s                                               |       <-      | |       ->      | "
            "|     Total     |    Relative    |   Duration   |\n",
            pad);
    fprintf(out,
            "%s                                               | Frames  Bytes | | Frames  Bytes | "
            "| Frames  Bytes |      Start     |              |\n",
            pad);
    /* By total frames, most first; ties in the order the conversations began (tshark walks
     * its array once per distinct total). Sorting indices keeps that order stable. */
    size_t *idx = xcalloc(t->n ? t->n : 1, sizeof(*idx));
    for (size_t i = 0; i < t->n; i++)
        idx[i] = i;
    for (size_t i = 1; i < t->n; i++) { /* insertion sort: stable */
        size_t k = idx[i], j = i;
        uint64_t tk = t->rows[k].a_frames + t->rows[k].b_frames;
        while (j > 0 && t->rows[idx[j - 1]].a_frames + t->rows[idx[j - 1]].b_frames < tk) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = k;
    }
    for (size_t i = 0; i < t->n; i++) {
        const struct conv_row *r = &t->rows[idx[i]];
        char a[80], b[80], s1[32], s2[32], s3[32];
        bool v4 = v4_key(r);
        put_addr(a, sizeof(a), t->type, r->a, v4, r->pa);
        put_addr(b, sizeof(b), t->type, r->b, v4, r->pb);
        put_size(s1, sizeof(s1), r->b_bytes);
        put_size(s2, sizeof(s2), r->a_bytes);
        put_size(s3, sizeof(s3), r->a_bytes + r->b_bytes);
        int w = ports ? 26 : 20;
        fprintf(out, "%-*s <-> %-*s  %6" PRIu64 " %-9s  %6" PRIu64 " %-9s  %6" PRIu64 " %-9s  ", w,
                a, w, b, r->b_frames, s1, r->a_frames, s2, r->a_frames + r->b_frames, s3);
        fprintf(out, "%14.9f   %12.4f\n", (double)r->start_ns / 1e9,
                (double)(r->stop_ns - r->start_ns) / 1e9);
    }
    free(idx);
    fputs(bar, out);
    if (t->dropped)
        fprintf(out,
                "(pktscope: %" PRIu64 " packets of conversations past the first %u not counted)\n",
                t->dropped, CONV_MAX);
}

void conv_print(const struct conv_tables *ct, size_t from, size_t to, FILE *out)
{
    if (to > ct->n)
        to = ct->n;
    for (size_t i = to; i-- > from;)
        print_table(&ct->t[i], out);
}

void conv_free(struct conv_tables *ct)
{
    if (!ct)
        return;
    for (size_t i = 0; i < ct->n; i++) {
        free(ct->t[i].rows);
        free(ct->t[i].slots);
    }
    free(ct);
}
