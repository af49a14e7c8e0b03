/*
 * HTTP/1.x (RFC 9112 3 and 4): the first line of a request ("GET /path HTTP/1.1") or a response
 * ("HTTP/1.1 200 OK"). Headers and body stay inside the layer undecoded. pktscope does not
 * reassemble TCP, so a message whose first line is split across segments shows the part that
 * is there.
 *
 * Bounded and allocation-free: at most HTTP_MAX_LINE bytes are looked at, and the strings are
 * copied into the dissection's fixed text area (dis_field_str).
 */
#include "dissect/internal.h"

#include <string.h>

enum { HTTP_MAX_LINE = 1024 };

/* Request methods of RFC 9110 9.3, PATCH (RFC 5789) and the common WebDAV ones (RFC 4918). */
static const char *const http_methods[] = {
    "GET",      "HEAD",      "POST",  "PUT",  "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
    "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE",   "LOCK",    "UNLOCK",  NULL,
};

/* Length of the method at p (followed by a space), or 0. */
static size_t method_len(const uint8_t *p, size_t n)
{
    for (size_t i = 0; http_methods[i]; i++) {
        size_t m = strlen(http_methods[i]);
        if (n > m && memcmp(p, http_methods[i], m) == 0 && p[m] == ' ')
            return m;
    }
    return 0;
}

static bool is_response(const uint8_t *p, size_t n)
{
    return n >= 7 && memcmp(p, "HTTP/1.", 7) == 0;
}

bool dis_http_detect(const struct cursor *c)
{
    struct cursor t = *c;
    size_t n = cur_left(&t) < 16 ? cur_left(&t) : 16;
    const uint8_t *p = cur_bytes(&t, n);
    return p && (is_response(p, n) || method_len(p, n) > 0);
}

/* Index of the first byte in p[from, n) equal to ch, or n. */
static size_t find(const uint8_t *p, size_t from, size_t n, uint8_t ch)
{
    for (size_t i = from; i < n; i++)
        if (p[i] == ch)
            return i;
    return n;
}

void dissect_http(struct dissection *d, struct cursor *c)
{
    size_t start = c->off;
    size_t avail = cur_left(c);
    if (avail == 0 || dis_layer_begin(d, PROTO_HTTP, c) < 0)
        return;
    dis_protocols_add(d, "http");
    d->sum.app_proto = PROTO_HTTP;

    struct cursor t = *c;
    size_t scan = avail < HTTP_MAX_LINE ? avail : HTTP_MAX_LINE;
    const uint8_t *p = cur_bytes(&t, scan);
    if (!p) {
        dis_layer_end(d, c->end, c->end);
        c->off = c->end;
        return;
    }
    size_t nl = find(p, 0, scan, '\n');
    size_t eol = nl < scan ? nl + 1 : scan;
    size_t line = nl;
    if (line > 0 && line < scan && p[line - 1] == '\r')
        line--;

    if (is_response(p, line)) {
        size_t sp1 = find(p, 0, line, ' ');
        dis_field_str(d, FID_HTTP_RESPONSE_VERSION, start, sp1, (const char *)p, sp1);
        if (sp1 < line) {
            size_t cs = sp1 + 1;
            size_t sp2 = find(p, cs, line, ' ');
            unsigned code = 0;
            bool digits = sp2 - cs == 3;
            for (size_t i = cs; i < sp2 && digits; i++) {
                if (p[i] < '0' || p[i] > '9')
                    digits = false;
                else
                    code = code * 10 + (unsigned)(p[i] - '0');
            }
            if (digits)
                dis_field(d, FID_HTTP_RESPONSE_CODE, start + cs, 3, code);
            if (digits && sp2 < line)
                dis_field_str(d, FID_HTTP_RESPONSE_PHRASE, start + sp2 + 1, line - sp2 - 1,
                              (const char *)p + sp2 + 1, line - sp2 - 1);
        }
    } else {
        size_t m = method_len(p, line);
        if (m > 0) {
            dis_field_str(d, FID_HTTP_REQUEST_METHOD, start, m, (const char *)p, m);
            size_t us = m + 1;
            size_t sp2 = find(p, us, line, ' ');
            dis_field_str(d, FID_HTTP_REQUEST_URI, start + us, sp2 - us, (const char *)p + us,
                          sp2 - us);
            if (sp2 < line)
                dis_field_str(d, FID_HTTP_REQUEST_VERSION, start + sp2 + 1, line - sp2 - 1,
                              (const char *)p + sp2 + 1, line - sp2 - 1);
        }
    }
    dis_layer_end(d, start + eol, c->end);
    c->off = c->end;
}
