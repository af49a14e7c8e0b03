/*
 * POP3 (RFC 1939 3, 5-7) on TCP port 110. The first line of a segment is split as Wireshark
 * 4.0 does: a request into its command and parameter, a response into its status indicator
 * ("+OK", "-ERR") and description. The lines after it (a multi-line response's list or
 * message, ending with ".") are shown as lines. A server segment that does not start with a
 * status indicator is the rest of a multi-line response begun in an earlier segment.
 */
#include "dissect/internal.h"

static const uint16_t pop_ports[] = {110, 0};

static void pop_first_line(struct dissection *d, const struct dis_line *ln, bool request)
{
    size_t w = dis_word_len(ln->p, ln->len);
    if (w == 0)
        return;
    if (!request && ln->p[0] != '+' && ln->p[0] != '-')
        return; /* a continuation of a multi-line response */
    struct cursor t = ln->text;
    dis_field_string(d, &t, request ? FID_POP_REQUEST_COMMAND : FID_POP_RESPONSE_INDICATOR, w);
    if (w + 1 < ln->len) {
        cur_skip(&t, 1); /* the space */
        dis_field_string_rest(d, &t,
                              request ? FID_POP_REQUEST_PARAMETER : FID_POP_RESPONSE_DESCRIPTION,
                              cur_left(&t));
    }
}

bool dissect_pop(struct dissection *d, struct cursor *c, bool over_tcp)
{
    if (!over_tcp)
        return false;
    if (dis_layer_begin(d, PROTO_POP, c) < 0)
        return true;
    dis_protocols_add(d, "pop");
    d->sum.app_proto = PROTO_POP;
    bool request = dis_text_is_request(d, pop_ports);
    struct dis_line ln;
    for (unsigned k = 0; dis_line_next(c, &ln); k++) {
        if (k == DIS_MAX_LINES) {
            dis_anomaly(d, ANOM_TEXT_TOO_MANY_LINES, ln.off);
            break;
        }
        dis_field_string_rest(d, &ln.line, FID_POP_LINE, ln.len);
        if (k == 0)
            pop_first_line(d, &ln, request);
    }
    dis_layer_end(d, c->end, c->end);
    c->off = c->end;
    return true;
}
