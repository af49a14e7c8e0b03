/*
 * IMAP (RFC 9051 2.2, 7) on TCP port 143. Every line is shown (imap.line). A tagged line is
 * split as Wireshark 4.0 splits it: a request into its tag and command ("A004 UID FETCH"
 * gives the command FETCH with isUID set), a response into its tag, status (OK, NO, BAD) and
 * the word after it, which Wireshark calls the response command. Untagged lines ("* ...",
 * "+ ...") are shown as lines. A line ending in a literal's length "{N}" (RFC 9051 4.3) is
 * followed by N bytes of literal data, which are skipped over, not split into lines.
 *
 * A line cut at the end of the bytes, or a literal not yet whole, is where Wireshark's IMAP
 * stops: with TCP reassembly it waits there for the next segment (dis_imap_pdu_len; tshark 4.0
 * has no preference for it), without it that part is not decoded.
 */
#include "dissect/internal.h"

#include <string.h>

static const uint16_t imap_ports[] = {143, 0};

/* The literal length announced at the end of a line ("{75}" or "{75+}"), or -1. */
static long imap_literal(const uint8_t *p, size_t n)
{
    if (n < 3 || p[n - 1] != '}')
        return -1;
    size_t i = n - 1;
    if (i > 0 && p[i - 1] == '+')
        i--;
    size_t e = i;
    while (i > 0 && p[i - 1] >= '0' && p[i - 1] <= '9' && e - i < 9)
        i--;
    if (i == e || i == 0 || p[i - 1] != '{')
        return -1;
    long v = 0;
    for (size_t k = i; k < e; k++)
        v = v * 10 + (p[k] - '0');
    return v;
}

/*
 * Wireshark's IMAP reads line after line (a literal's bytes with the line announcing them);
 * at a line that is not whole, or a literal that runs past the bytes, it asks TCP to resume
 * there with one more segment. So a message is the whole lines (and literals) at the start of
 * the bytes: 0 when the first is not whole. The bytes at hand decide, no conversation state.
 * Any byte can start a line, so after a hole parsing resumes at once.
 */
size_t dis_imap_pdu_len(const uint8_t *p, size_t n)
{
    size_t used = 0;
    while (used < n) {
        const uint8_t *lf = memchr(p + used, '\n', n - used);
        if (!lf)
            break;
        size_t end = (size_t)(lf - p) + 1;
        size_t len = end - 1 - used;
        if (len > 0 && p[used + len - 1] == '\r')
            len--;
        long lit = imap_literal(p + used, len);
        if (lit > 0) {
            if ((size_t)lit > n - end)
                break;
            end += (size_t)lit;
        }
        used = end;
    }
    return used;
}

static void imap_tagged(struct dissection *d, const struct dis_line *ln, bool request)
{
    const uint8_t *p = ln->p;
    size_t n = ln->len;
    size_t t = dis_word_len(p, n);
    if (t == 0 || ((p[0] == '*' || p[0] == '+') && t == 1))
        return;
    dis_field_string_rest(d, &ln->text, request ? FID_IMAP_REQUEST : FID_IMAP_RESPONSE, n);
    struct cursor tc = ln->text; /* walks the words; `a` is the index of the current one */
    dis_field_string(d, &tc, request ? FID_IMAP_REQUEST_TAG : FID_IMAP_RESPONSE_TAG, t);
    if (t + 1 >= n)
        return;
    cur_skip(&tc, 1);
    size_t a = t + 1;
    size_t w = dis_word_len(p + a, n - a);
    if (request) {
        if (w == 3 && (p[a] & 0xdf) == 'U' && (p[a + 1] & 0xdf) == 'I' &&
            (p[a + 2] & 0xdf) == 'D' && a + w + 1 < n) {
            struct cursor uid = cur_sub(&tc, w, NULL);
            dis_field_rest(d, &uid, FID_IMAP_REQUEST_UID, 1);
            cur_skip(&tc, 1);
            a += w + 1;
            w = dis_word_len(p + a, n - a);
        }
        dis_field_string(d, &tc, FID_IMAP_REQUEST_COMMAND, w);
        return;
    }
    dis_field_string(d, &tc, FID_IMAP_RESPONSE_STATUS, w);
    a += w + 1;
    if (a < n) {
        cur_skip(&tc, 1);
        w = dis_word_len(p + a, n - a);
        dis_field_string(d, &tc, FID_IMAP_RESPONSE_COMMAND, w);
    }
}

void dis_imap_waiting(struct dissection *d, struct cursor *c)
{
    if (dis_layer_begin(d, PROTO_IMAP, c) < 0)
        return;
    dis_protocols_add(d, "imap");
    dis_field_mark(d, c, FID_IMAP_ISREQUEST, dis_text_is_request(d, imap_ports));
    dis_layer_end(d, c->off, c->off);
}

bool dissect_imap(struct dissection *d, struct cursor *c, bool over_tcp)
{
    if (!over_tcp)
        return false;
    /* Wireshark's IMAP decodes the whole lines (and literals) at the start and stops at one that
     * runs past the bytes, to ask TCP for more (without reassembly it never comes): a cut line
     * is not decoded, and the info column stays TCP's. When not even the first line is whole it
     * does not name itself at all. */
    size_t n = cur_left(c);
    const uint8_t *p = cur_peek_bytes(c, 0, n);
    size_t whole = p ? dis_imap_pdu_len(p, n) : n;
    if (whole < n)
        d->sum.tcp_pdu_tail = true;
    if (whole == 0 && (!p || !memchr(p, '\n', n))) {
        c->off = c->end;
        return true;
    }
    if (dis_layer_begin(d, PROTO_IMAP, c) < 0)
        return true;
    dis_protocols_add(d, "imap");
    d->sum.app_proto = PROTO_IMAP;
    bool request = dis_text_is_request(d, imap_ports);
    dis_field_mark(d, c, FID_IMAP_ISREQUEST, request);
    struct cursor lines = *c;
    lines.end = lines.off + whole;
    struct dis_line ln;
    for (unsigned k = 0; dis_line_next(&lines, &ln); k++) {
        if (k == DIS_MAX_LINES) {
            dis_anomaly(d, ANOM_TEXT_TOO_MANY_LINES, ln.off);
            break;
        }
        dis_field_string_rest(d, &ln.line, FID_IMAP_LINE, ln.len + ln.eol_len);
        imap_tagged(d, &ln, request);
        long lit = ln.eol_len ? imap_literal(ln.p, ln.len) : -1;
        if (lit > 0) {
            size_t skip = (size_t)lit < cur_left(&lines) ? (size_t)lit : cur_left(&lines);
            lines.off += skip;
        }
    }
    dis_layer_end(d, c->end, c->end);
    c->off = c->end;
    return true;
}
