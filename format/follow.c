/*
 * -z follow (tshark 4.0's ui/cli/tap-follow.c layout), and the payload choice it shares with
 * the TUI's follow view.
 */
#include "format/follow.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/util.h"

struct follow_chunk {
    size_t off, len; /* in buf */
    bool node1;
};

struct follow {
    uint8_t proto;
    enum follow_mode mode;
    uint32_t stream;
    bool have_nodes;
    uint8_t addr_len;
    uint8_t addr[2][16];
    uint16_t port[2];
    uint8_t *buf;
    size_t len, cap;
    struct follow_chunk *chunks;
    size_t n, ncap;
    uint64_t left_out; /* payload bytes past FOLLOW_MAX_BYTES */
};

struct follow *follow_new(uint8_t proto, enum follow_mode mode, uint32_t stream)
{
    struct follow *fw = xcalloc(1, sizeof(*fw));
    fw->proto = proto;
    fw->mode = mode;
    fw->stream = stream;
    return fw;
}

bool follow_payload(const struct packet *pkt, const struct dissection *d,
                    const struct track_info *ti, uint8_t proto, uint32_t stream,
                    const uint8_t **data, size_t *len)
{
    if (!ti || !(ti->flags & TI_HAS_STREAM) || ti->proto != proto || ti->stream != stream)
        return false;
    if (ti->analysis & (TA_RETRANSMISSION | TA_FAST_RETRANSMISSION | TA_SPURIOUS_RETRANSMISSION))
        return false;
    const struct dis_summary *s = &d->sum;
    if (s->payload_caplen == 0 || s->payload_off >= pkt->caplen)
        return false;
    size_t n = s->payload_caplen;
    if (n > pkt->caplen - s->payload_off)
        n = pkt->caplen - s->payload_off;
    *data = pkt->data + s->payload_off;
    *len = n;
    return true;
}

void follow_add(struct follow *fw, const struct packet *pkt, const struct dissection *d,
                const struct track_info *ti)
{
    if (!ti || !(ti->flags & TI_HAS_STREAM) || ti->proto != fw->proto || ti->stream != fw->stream)
        return;
    const struct dis_summary *s = &d->sum;
    if (s->addr_len != 4 && s->addr_len != 16)
        return;
    if (!fw->have_nodes) {
        fw->have_nodes = true;
        fw->addr_len = s->addr_len;
        memcpy(fw->addr[0], s->src, s->addr_len);
        memcpy(fw->addr[1], s->dst, s->addr_len);
        fw->port[0] = s->sport;
        fw->port[1] = s->dport;
    }
    const uint8_t *p;
    size_t n;
    if (!follow_payload(pkt, d, ti, fw->proto, fw->stream, &p, &n))
        return;
    if (n > FOLLOW_MAX_BYTES - fw->len) {
        fw->left_out += n;
        return;
    }
    bool node1 = !(s->addr_len == fw->addr_len && memcmp(s->src, fw->addr[0], s->addr_len) == 0 &&
                   s->sport == fw->port[0]);
    if (fw->len + n > fw->cap)
        fw->buf = xgrow(fw->buf, &fw->cap, fw->len + n, 1);
    memcpy(fw->buf + fw->len, p, n);
    if (fw->n == fw->ncap)
        fw->chunks = xgrow(fw->chunks, &fw->ncap, fw->n + 1, sizeof(*fw->chunks));
    fw->chunks[fw->n++] = (struct follow_chunk){fw->len, n, node1};
    fw->len += n;
}

static bool printable(uint8_t c)
{
    return c >= 0x20 && c < 0x7f;
}

static void print_ascii(FILE *out, const uint8_t *b, size_t n, bool node1)
{
    fprintf(out, "%s%zu\n", node1 ? "\t" : "", n);
    /* tshark keeps \r and \n as they are and writes every other unprintable byte as '.' */
    for (size_t i = 0; i < n; i++)
        fputc(b[i] == '\r' || b[i] == '\n' || printable(b[i]) ? b[i] : '.', out);
    fputc('\n', out);
}

static void print_hex(FILE *out, const uint8_t *b, size_t n, bool node1, uint64_t *base)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t off = 0; off < n; off += 16) {
        size_t k = n - off < 16 ? n - off : 16;
        char line[128];
        size_t at = 0;
        if (node1)
            line[at++] = '\t';
        at += (size_t)snprintf(line + at, sizeof(line) - at, "%08" PRIX64 "  ", *base + off);
        for (size_t i = 0; i < 16; i++) {
            if (i < k) {
                line[at++] = digits[b[off + i] >> 4];
                line[at++] = digits[b[off + i] & 15];
            } else {
                line[at++] = ' ';
                line[at++] = ' ';
            }
            line[at++] = ' ';
            if (i == 7)
                line[at++] = ' ';
        }
        line[at++] = ' ';
        for (size_t i = 0; i < k; i++) {
            line[at++] = printable(b[off + i]) ? (char)b[off + i] : '.';
            if (i == 7 && k > 8)
                line[at++] = ' ';
        }
        while (at > 0 && line[at - 1] == ' ')
            at--; /* tshark ends the line at its last non-space */
        line[at++] = '\n';
        fwrite(line, 1, at, out);
    }
    *base += n;
}

static void print_node(FILE *out, const struct follow *fw, int i)
{
    char text[64] = "";
    if (fw->have_nodes) {
        struct strbuf sb;
        sb_init(&sb, text, sizeof(text));
        sb_ip(&sb, fw->addr[i], fw->addr_len);
    }
    fprintf(out, "Node %d: %s:%u\n", i, text, fw->have_nodes ? fw->port[i] : 0);
}

void follow_print(const struct follow *fw, FILE *out)
{
    static const char *const modes[] = {"ascii", "hex", "raw"};
    static const char bar[] =
        "===================================================================\n";
    const char *proto = fw->proto == 6 ? "tcp" : "udp";
    fprintf(out, "\n%sFollow: %s,%s\nFilter: %s.stream eq %" PRIu32 "\n", bar, proto,
            modes[fw->mode], proto, fw->stream);
    print_node(out, fw, 0);
    print_node(out, fw, 1);
    uint64_t base[2] = {0, 0};
    for (size_t i = 0; i < fw->n; i++) {
        const struct follow_chunk *c = &fw->chunks[i];
        const uint8_t *b = fw->buf + c->off;
        if (fw->mode == FOLLOW_ASCII) {
            print_ascii(out, b, c->len, c->node1);
        } else if (fw->mode == FOLLOW_HEX) {
            print_hex(out, b, c->len, c->node1, &base[c->node1]);
        } else {
            if (c->node1)
                fputc('\t', out);
            for (size_t k = 0; k < c->len; k++)
                fprintf(out, "%02x", b[k]);
            fputc('\n', out);
        }
    }
    fputs(bar, out);
    if (fw->left_out)
        fprintf(out, "(pktscope: %" PRIu64 " bytes past the first %u MiB not shown)\n",
                fw->left_out, FOLLOW_MAX_BYTES >> 20);
}

void follow_free(struct follow *fw)
{
    if (!fw)
        return;
    free(fw->buf);
    free(fw->chunks);
    free(fw);
}
