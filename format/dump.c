/*
 * tcpdump's packet dumps: -x/-xx (hex), -X/-XX (hex and ASCII), -A (ASCII). One letter starts
 * at the network header, two include the link header, as tcpdump's pretty_print_packet() does
 * (print.c): the byte ranges are tcpdump's, the hex layout is pktscope's own (format_hex).
 * Every packet byte goes through printable ASCII or '.', so none reaches a terminal raw.
 */
#include "format/format.h"

size_t format_link_header_len(const struct dissection *d)
{
    /* tcpdump's hdrlen is what its link-layer printer consumed: Ethernet with its VLAN tags and
     * LLC/SNAP, SLL, SLL2, Null/Loopback. The network header is the first layer above layer 2;
     * without one, everything the link layers' headers cover, and all of a link type nobody
     * decodes (tcpdump's -x then prints nothing, -xx everything). */
    size_t end = 0;
    for (unsigned i = 0; i < d->nlayers; i++) {
        const struct layer *l = &d->layers[i];
        if (proto_info(l->proto)->osi_layer >= 3)
            return l->offset < d->caplen ? l->offset : d->caplen;
        size_t n = l->status == LAYER_UNSUPPORTED ? l->len : l->hdr_len;
        if ((size_t)l->offset + n > end)
            end = (size_t)l->offset + n;
    }
    return end < d->caplen ? end : d->caplen;
}

/*
 * -A as tcpdump's ascii_print(): a newline byte starts a new line, a CR before a newline (or
 * among the last two bytes) is dropped, a CR elsewhere and every other byte that is not
 * printable ASCII or a space is '.' (tcpdump writes a tab raw; here it is '.', as no control
 * byte leaves format/).
 */
static void dump_ascii(struct lines *ls, const uint8_t *p, size_t n)
{
    char run[256]; /* bytes of the current line not yet added */
    size_t k = 0;
    lines_begin(ls, ATTR_NORMAL);
    for (size_t i = 0; i < n; i++) {
        uint8_t b = p[i];
        size_t left = n - i - 1;
        if (k == sizeof(run) || b == '\n') {
            lines_add(ls, ATTR_NORMAL, run, k);
            k = 0;
        }
        if (b == '\n') {
            lines_end(ls);
            lines_begin(ls, ATTR_NORMAL);
        } else if (b == '\r') {
            if (left > 1 && p[i + 1] != '\n')
                run[k++] = '.';
        } else {
            run[k++] = b >= 0x20 && b < 0x7f ? (char)b : '.';
        }
    }
    lines_add(ls, ATTR_NORMAL, run, k);
    lines_end(ls);
}

/* -x: hex only, 16 bytes a line, the offset first: "0000  4500 003c ..." as tcpdump groups. */
static void dump_hex(struct lines *ls, const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char text[16 / 2 * 5]; /* " xxxx" eight times */
    for (size_t base = 0; base < n; base += 16) {
        size_t k = n - base < 16 ? n - base : 16;
        struct line *l = lines_begin(ls, ATTR_NORMAL);
        l->ref = base > INT32_MAX ? INT32_MAX : (int32_t)base;
        l->ref_off = (uint32_t)base;
        l->ref_len = (uint32_t)k;
        lines_add_hex(ls, ATTR_DIM, base, 4, " ");
        size_t at = 0;
        for (size_t i = 0; i < k; i++) {
            uint8_t b = p[base + i];
            if (i % 2 == 0)
                text[at++] = ' ';
            text[at++] = digits[b >> 4];
            text[at++] = digits[b & 15];
        }
        lines_add(ls, ATTR_NORMAL, text, at);
        lines_end(ls);
    }
}

static void dump_range(struct lines *ls, enum fmt_dump style, const uint8_t *p, size_t n)
{
    if (style == FMT_DUMP_ASCII)
        dump_ascii(ls, p, n);
    else if (style == FMT_DUMP_HEX)
        dump_hex(ls, p, n);
    else
        format_hex(ls, p, n, 0, 0);
}

void format_dump(struct lines *ls, const struct dissection *d, enum fmt_dump style, bool with_link)
{
    if (style == FMT_DUMP_NONE)
        return;
    size_t from = with_link ? 0 : format_link_header_len(d);
    /* tcpdump prints nothing when nothing follows the link header. */
    if (from < d->caplen)
        dump_range(ls, style, d->data + from, d->caplen - from);
    /* What reassembly built in this frame, as tshark shows its second data source. */
    if (d->data_len > d->caplen) {
        size_t n = d->data_len - d->caplen;
        lines_begin(ls, ATTR_LABEL);
        lines_addf(ls, ATTR_LABEL, "Reassembled (%zu bytes):", n);
        lines_end(ls);
        dump_range(ls, style, d->data + d->caplen, n);
    }
}
