/*
 * -T fields: the values of named fields, one line per packet, as tshark 4.0 -T fields writes
 * them. Each -e name is resolved as the display filter resolves a field (compile.c: aliases,
 * computed and tracker fields), and its values are read by the filter's own reader
 * (filter_next_raw), so a name means the same thing after -e as after -Y.
 *
 * Values are rendered as tshark's -T fields renders them (checked against tshark on the test
 * captures by tests/scripts/oracle_tfields.sh):
 *  - integers in decimal, except the fields tshark shows in hex (hex_fields[]): 0x and the
 *    digits of Wireshark's type (eth.type 0x0800, ipv6.tclass 0x00000000); value names are
 *    never substituted;
 *  - booleans 1 or 0; addresses canonical; byte fields lower-case hex without separators;
 *  - a label (FT_NONE: tls.handshake, tcp.analysis.retransmission) as 1; tcp.options.sack_perm,
 *    a protocol in Wireshark, as its bytes in hex ("0402");
 *  - text with its control characters as C escapes (\r, \n, \t, \001 in octal), a backslash as
 *    it is; bytes that are not well-formed UTF-8 (or are C1 controls) in octal too, so the
 *    output never carries a control byte;
 *  - frame.time_epoch and relative times as seconds with 9 decimals; an absolute time (NTP) as
 *    "Nov 14, 2023 22:13:20.500000000 UTC" in the local zone (tshark's), 0 as NULL.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "filter/internal.h"
#include "util/strbuf.h"
#include "util/util.h"

struct tfield {
    struct fref ref;
    const char *name;
    uint8_t hex[FREF_MAX_IDS]; /* hex digits of each of ref.ids, 0: decimal */
};

struct tfields {
    struct tfields_opts o;
    struct tfield *v;
    size_t n;
    char *buf;
    size_t cap;
};

/*
 * The fields tshark 4.0 shows in hex (BASE_HEX, BASE_HEX_DEC), with the digits its type gives
 * them (FT_UINT16: 4, "0x0800"): pktscope's registry holds every number in 64 bits and has no
 * display base, so this list says it, as `tshark -G fields` does (a field is written in hex by
 * -T fields exactly when it is here; BASE_OUI fields such as eth.src.oui are decimal).
 */
static const struct {
    const char *name;
    uint8_t digits;
} hex_fields[] = {
    {"ah.spi", 8},
    {"arp.proto.type", 4},
    {"dhcp.flags", 4},
    {"dhcp.flags.reserved", 4},
    {"dhcp.hw.type", 2},
    {"dhcp.id", 8},
    {"dns.flags", 4},
    {"dns.id", 4},
    {"dns.qry.class", 4},
    {"dns.resp.class", 4},
    {"dns.resp.ext_rcode", 2},
    {"dns.resp.z", 4},
    {"dns.rr.udp_payload_size", 4},
    {"esp.spi", 8},
    {"eth.fcs", 8},
    {"eth.type", 4},
    {"icmp.checksum", 4},
    {"icmpv6.checksum", 4},
    {"icmpv6.echo.identifier", 4},
    {"icmpv6.mld.flag", 2},
    {"icmpv6.nd.na.flag", 8},
    {"icmpv6.nd.ra.flag", 2},
    {"icmpv6.opt.prefix.flag", 2},
    {"ieee8021ah.etype", 4},
    {"ip.checksum", 4},
    {"ip.dsfield", 2},
    {"ip.flags", 2},
    {"ip.id", 4},
    {"ipv6.flow", 6},
    {"ipv6.fraghdr.ident", 8},
    {"ipv6.opt.type", 2},
    {"ipv6.routing.srh.flags", 2},
    {"ipv6.tclass", 8},
    {"llc.control", 4},
    {"llc.dsap", 2},
    {"llc.pid", 4},
    {"llc.ssap", 2},
    {"ntp.flags", 2},
    {"null.type", 4},
    {"sll.etype", 4},
    {"sll.gretype", 4},
    {"sll.ltype", 4},
    {"tcp.checksum", 4},
    {"tcp.flags", 4},
    {"tls.handshake.ciphersuite", 4},
    {"tls.handshake.extensions.supported_version", 4},
    {"tls.handshake.version", 4},
    {"tls.record.version", 4},
    {"udp.checksum", 4},
    {"vlan.etype", 4},
};

/* The hex digits of field fid in -T fields, 0 for decimal. */
static uint8_t hex_digits(unsigned fid)
{
    const char *name = field_def(fid)->name;
    if (!name)
        return 0;
    for (size_t i = 0; i < ARRAY_SIZE(hex_fields); i++)
        if (strcmp(name, hex_fields[i].name) == 0)
            return hex_fields[i].digits;
    return 0;
}

/* Length of the well-formed UTF-8 sequence at p whose code point is printable (U+00A0 or
 * above), or 0. */
static size_t utf8_printable(const uint8_t *p, size_t n)
{
    uint32_t c;
    size_t len = utf8_seq_len(p, n, &c);
    return len && c >= 0xa0 ? len : 0;
}

static void put_text(struct strbuf *sb, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint8_t ch = p[i];
        const char *esc = NULL;
        switch (ch) {
        case '\a':
            esc = "\\a";
            break;
        case '\b':
            esc = "\\b";
            break;
        case '\f':
            esc = "\\f";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\t':
            esc = "\\t";
            break;
        case '\v':
            esc = "\\v";
            break;
        default:
            break;
        }
        if (esc) {
            sb_puts(sb, esc);
            i++;
        } else if (ch >= 0x20 && ch < 0x7f) {
            sb_putc(sb, (char)ch);
            i++;
        } else if (ch >= 0x80 && utf8_printable(p + i, n - i)) {
            size_t len = utf8_printable(p + i, n - i);
            sb_putn(sb, (const char *)p + i, len);
            i += len;
        } else {
            sb_printf(sb, "\\%03o", ch);
            i++;
        }
    }
}

static void put_hex(struct strbuf *sb, const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n && !sb->overflow; i++) {
        char two[2] = {digits[p[i] >> 4], digits[p[i] & 15]};
        sb_putn(sb, two, 2);
    }
}

/* Seconds with 9 decimals, sign and all, from a floored (sec, nsec) pair. */
static void put_rel_time(struct strbuf *sb, int64_t sec, uint32_t nsec)
{
    if (sec < 0 && nsec) {
        sb_printf(sb, "-%" PRId64 ".%09" PRIu32, -(sec + 1), 1000000000u - nsec);
        return;
    }
    sb_printf(sb, "%" PRId64 ".%09" PRIu32, sec, nsec);
}

static void put_abs_time(struct strbuf *sb, int64_t sec, uint32_t nsec)
{
    time_t t = (time_t)sec;
    struct tm tm;
    char text[64];
    if (!localtime_r(&t, &tm) || !strftime(text, sizeof(text), "%b %e, %Y %H:%M:%S", &tm)) {
        put_rel_time(sb, sec, nsec);
        return;
    }
    char zone[16];
    if (!strftime(zone, sizeof(zone), "%Z", &tm))
        zone[0] = '\0';
    sb_printf(sb, "%s.%09" PRIu32 " %s", text, nsec, zone);
}

/* A double as its shortest text that reads back as the same value (FT_DOUBLE). */
static void put_double(struct strbuf *sb, double v)
{
    char text[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(text, sizeof(text), "%.*g", prec, v);
        if (strtod(text, NULL) == v)
            break;
    }
    sb_puts(sb, text);
}

/* One value. `fl` is the dissection's field it came from, or NULL (computed fields). */
static void put_value(struct strbuf *sb, const struct filter_packet *p, unsigned fid,
                      const struct field *fl, const struct fvalue *v, int hex)
{
    switch (v->type) {
    case VT_UINT:
        if (hex) {
            sb_printf(sb, "0x%0*" PRIx64, hex, v->n.u);
        } else {
            sb_u64(sb, v->n.u);
        }
        break;
    case VT_BOOL:
        sb_putc(sb, v->n.u ? '1' : '0');
        break;
    case VT_INT:
        sb_printf(sb, "%" PRId64, v->n.i);
        break;
    case VT_MAC:
        sb_mac(sb, v->p);
        break;
    case VT_IPV4:
        sb_ipv4(sb, v->p);
        break;
    case VT_IPV6:
        sb_ipv6(sb, v->p);
        break;
    case VT_BYTES:
        put_hex(sb, v->p, v->len);
        break;
    case VT_STRING:
        put_text(sb, v->p, v->len);
        break;
    case VT_TIME:
        if (fid == FID_FRAME_TIME_EPOCH || fid == FID_FRAME_TIME_RELATIVE ||
            fid == FID_FRAME_TIME_DELTA)
            put_rel_time(sb, v->n.t.sec, v->n.t.nsec);
        else if (fl && fl->value == 0)
            sb_puts(sb, "NULL"); /* an NTP timestamp of 0: not set (RFC 5905 7.3) */
        else
            put_abs_time(sb, v->n.t.sec, v->n.t.nsec);
        break;
    case VT_FLOAT:
        if (field_is_relative_time(fid)) {
            /* FT_RELATIVE_TIME in Wireshark: seconds with 9 decimals */
            double s = v->n.f;
            int64_t sec = (int64_t)floor(s);
            int64_t ns = llround((s - (double)sec) * 1e9);
            if (ns >= 1000000000) {
                sec++;
                ns -= 1000000000;
            }
            put_rel_time(sb, sec, (uint32_t)ns);
        } else {
            put_double(sb, v->n.f);
        }
        break;
    case VT_NONE:
        if (fl && fid == FID_TCP_OPTIONS_SACK_PERM) {
            /* a protocol in Wireshark, whose value is its bytes */
            const uint8_t *b = dis_field_bytes(p->d, fl, fl->len);
            if (b)
                put_hex(sb, b, fl->len);
        } else {
            sb_putc(sb, '1'); /* a label: present */
        }
        break;
    default:
        break;
    }
}

/* The values of field t for the packet, joined by the aggregator, by -E occurrence. */
static void put_field(struct tfields *tf, const struct tfield *t, const struct filter_packet *p,
                      struct strbuf *sb)
{
    unsigned pos = 0, count = 0, fid = t->ref.ids[0];
    struct fvalue v;
    size_t start = sb->len;
    bool quoted = tf->o.quote != 0, written = false;
    /* Which occurrences: all, the first, the last, or the n-th (tshark counts from 1). */
    long want = tf->o.occurrence;
    if (want < 0) {
        unsigned at = 0;
        long total = 0;
        while (filter_next_raw(&t->ref, p, &at, &v))
            total++;
        want = total;
        if (want == 0)
            return;
    }
    for (;;) {
        unsigned before = pos;
        if (!filter_next_raw(&t->ref, p, &pos, &v))
            break;
        count++;
        if (want > 0 && (long)count != want)
            continue;
        const struct field *fl = NULL;
        int hex = t->hex[0];
        if (t->ref.source == FS_FIELD && pos > 0 && pos - 1 < p->d->nfields) {
            fl = &p->d->fields[pos - 1];
            fid = fl->id;
            for (unsigned k = 0; k < t->ref.nids; k++)
                if (t->ref.ids[k] == fid)
                    hex = t->hex[k];
        }
        (void)before;
        if (sb->len == start && quoted)
            sb_putc(sb, tf->o.quote);
        else if (sb->len != start)
            sb_puts(sb, tf->o.aggregator);
        put_value(sb, p, fid, fl, &v, hex);
        written = true;
        if (want > 0)
            break;
    }
    if (written && sb->len == start && quoted)
        sb_putc(sb, tf->o.quote); /* a present field with an empty value */
    if (sb->len != start && quoted)
        sb_putc(sb, tf->o.quote);
}

void tfields_opts_default(struct tfields_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->separator = "\t";
    o->aggregator = ",";
    o->occurrence = 0;
    o->quote = 0;
}

int tfields_new(const char *const *names, size_t n, const struct tfields_opts *o,
                struct tfields **out, char *errbuf, size_t errlen)
{
    *out = NULL;
    struct tfields *tf = xcalloc(1, sizeof(*tf));
    tf->o = *o;
    tf->v = xcalloc(n ? n : 1, sizeof(*tf->v));
    for (size_t i = 0; i < n; i++) {
        struct dfilter *f = NULL;
        char err[1024];
        const char *name = names[i];
        bool simple = *name != '\0';
        for (const char *c = name; *c; c++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                  (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-'))
                simple = false;
        if (!simple) {
            snprintf(errbuf, errlen, "-e '%s': a field name, such as ip.src, is wanted", name);
            tfields_free(tf);
            return -1;
        }
        if (dfilter_compile(name, &f, err, sizeof(err)) < 0) {
            /* The first line says what is wrong (and the nearest names); the other two show
             * the expression and a caret, which a single name does not need. */
            char *nl = strchr(err, '\n');
            if (nl)
                *nl = '\0';
            const char *msg = strncmp(err, "display filter: ", 16) == 0 ? err + 16 : err;
            snprintf(errbuf, errlen, "-e %s: %s", name, msg);
            tfields_free(tf);
            return -1;
        }
        const struct node *root = f->root >= 0 ? &f->nodes[f->root] : NULL;
        if (!root || root->kind != NK_EXISTS || root->a.kind != OPK_FIELD) {
            snprintf(errbuf, errlen, "-e '%s': a field name, such as ip.src, is wanted", name);
            dfilter_free(f);
            tfields_free(tf);
            return -1;
        }
        if (root->a.ref.source == FS_PROTO) {
            snprintf(errbuf, errlen,
                     "-e %s: a protocol, not a field; pktscope writes field values only "
                     "(frame.protocols lists a packet's protocols)",
                     name);
            dfilter_free(f);
            tfields_free(tf);
            return -1;
        }
        tf->v[i].ref = root->a.ref;
        tf->v[i].name = name;
        for (unsigned k = 0; k < root->a.ref.nids; k++)
            tf->v[i].hex[k] = root->a.ref.source == FS_PROTO ? 0 : hex_digits(root->a.ref.ids[k]);
        dfilter_free(f);
    }
    tf->n = n;
    *out = tf;
    return 0;
}

static void render_header(const struct tfields *tf, struct strbuf *sb)
{
    for (size_t i = 0; i < tf->n; i++) {
        if (i)
            sb_puts(sb, tf->o.separator);
        sb_puts(sb, tf->v[i].name);
    }
}

static void render_line(struct tfields *tf, const struct filter_packet *p, struct strbuf *sb)
{
    for (size_t i = 0; i < tf->n; i++) {
        if (i)
            sb_puts(sb, tf->o.separator);
        put_field(tf, &tf->v[i], p, sb);
    }
}

/* Renders into tf->buf, growing it until the line fits. */
static const char *render(struct tfields *tf, const struct filter_packet *p, size_t *len)
{
    const struct dissection *d = p ? p->d : NULL;
    size_t want = 4096 + (d ? (size_t)d->data_len * 3 + (size_t)d->text_len * 4 : 0);
    for (;;) {
        if (tf->cap < want)
            tf->buf = xgrow(tf->buf, &tf->cap, want, 1);
        struct strbuf sb;
        sb_init(&sb, tf->buf, tf->cap);
        if (p)
            render_line(tf, p, &sb);
        else
            render_header(tf, &sb);
        if (!sb.overflow) {
            *len = sb.len;
            return tf->buf;
        }
        want = tf->cap * 2;
    }
}

const char *tfields_header(struct tfields *tf, size_t *len)
{
    return render(tf, NULL, len);
}

const char *tfields_line(struct tfields *tf, const struct filter_packet *p, size_t *len)
{
    return render(tf, p, len);
}

void tfields_free(struct tfields *tf)
{
    if (!tf)
        return;
    free(tf->v);
    free(tf->buf);
    free(tf);
}
