/*
 * HTTP/1.x (RFC 9112): request and status lines, every header line, the end of the headers,
 * and the body, delimited as RFC 9112 6.3 says: Content-Length, or the chunked transfer coding
 * (RFC 9112 7.1) through its last chunk and trailer, or (a response with neither) to the end
 * of the connection; a response to a 1xx, 204 or 304 status has no body. Several messages in
 * one payload (keep-alive, pipelining) each get their own HTTP layer, as Wireshark shows one
 * HTTP tree per message; bytes that do not start a message (a segment continuing an earlier
 * one, without TCP reassembly) are a "Continuation": the body bytes as http.file_data and data.
 *
 * Not known to the dissector: the request method a response answers, so the body of a response
 * to HEAD is taken as what follows (Wireshark knows it from its request/response pairing).
 *
 * Bounded and allocation-free: at most HTTP_MAX_MSGS messages per payload and HTTP_MAX_HEADERS
 * header lines per message are decoded, the strings are copied into the dissection's fixed
 * text area (dis_field_str), and the built strings (full URI, de-chunked body) use fixed stack
 * buffers. The bytes are read through the cursor: one bounds-checked window over the payload.
 */
#include "dissect/internal.h"

#include <string.h>
#include <strings.h>

enum {
    HTTP_MAX_MSGS = 16,
    HTTP_MAX_HEADERS = 128,
    HTTP_MAX_CHUNKS = 256,
    HTTP_URI_MAX = 1024,
    HTTP_BODY_MAX = 2048,
};

/* A name and its length, so that tables of names are matched without strlen per entry. */
#define HTTP_NAME(s) s, sizeof(s) - 1

/* Request methods of RFC 9110 9.3, PATCH (RFC 5789) and the common WebDAV ones (RFC 4918). */
static const struct {
    const char *name;
    size_t len;
} http_methods[] = {
    {HTTP_NAME("GET")},    {HTTP_NAME("HEAD")},     {HTTP_NAME("POST")},      {HTTP_NAME("PUT")},
    {HTTP_NAME("DELETE")}, {HTTP_NAME("CONNECT")},  {HTTP_NAME("OPTIONS")},   {HTTP_NAME("TRACE")},
    {HTTP_NAME("PATCH")},  {HTTP_NAME("PROPFIND")}, {HTTP_NAME("PROPPATCH")}, {HTTP_NAME("MKCOL")},
    {HTTP_NAME("COPY")},   {HTTP_NAME("MOVE")},     {HTTP_NAME("LOCK")},      {HTTP_NAME("UNLOCK")},
};

/* The headers Wireshark has a field of its own for (packet-http.c headers[]); matched without
 * regard to case (RFC 9110 5.1). Every header line is also an http.request.line or
 * http.response.line. */
static const struct {
    const char *name;
    size_t len;
    enum field_id id;
} http_headers[] = {
    {HTTP_NAME("host"), FID_HTTP_HOST},
    {HTTP_NAME("user-agent"), FID_HTTP_USER_AGENT},
    {HTTP_NAME("accept"), FID_HTTP_ACCEPT},
    {HTTP_NAME("accept-language"), FID_HTTP_ACCEPT_LANGUAGE},
    {HTTP_NAME("accept-encoding"), FID_HTTP_ACCEPT_ENCODING},
    {HTTP_NAME("referer"), FID_HTTP_REFERER},
    {HTTP_NAME("cookie"), FID_HTTP_COOKIE},
    {HTTP_NAME("set-cookie"), FID_HTTP_SET_COOKIE},
    {HTTP_NAME("content-type"), FID_HTTP_CONTENT_TYPE},
    {HTTP_NAME("content-length"), FID_HTTP_CONTENT_LENGTH_HEADER},
    {HTTP_NAME("content-encoding"), FID_HTTP_CONTENT_ENCODING},
    {HTTP_NAME("transfer-encoding"), FID_HTTP_TRANSFER_ENCODING},
    {HTTP_NAME("connection"), FID_HTTP_CONNECTION},
    {HTTP_NAME("server"), FID_HTTP_SERVER},
    {HTTP_NAME("date"), FID_HTTP_DATE},
    {HTTP_NAME("last-modified"), FID_HTTP_LAST_MODIFIED},
    {HTTP_NAME("location"), FID_HTTP_LOCATION},
    {HTTP_NAME("cache-control"), FID_HTTP_CACHE_CONTROL},
    {HTTP_NAME("authorization"), FID_HTTP_AUTHORIZATION},
    {HTTP_NAME("www-authenticate"), FID_HTTP_WWW_AUTHENTICATE},
    {HTTP_NAME("proxy-authenticate"), FID_HTTP_PROXY_AUTHENTICATE},
    {HTTP_NAME("proxy-authorization"), FID_HTTP_PROXY_AUTHORIZATION},
    {HTTP_NAME("upgrade"), FID_HTTP_UPGRADE},
    {HTTP_NAME("x-forwarded-for"), FID_HTTP_X_FORWARDED_FOR},
};

/* Length of the method at p (followed by a space), or 0. */
static size_t method_len(const uint8_t *p, size_t n)
{
    /* The first byte first: most segments on an HTTP port are body bytes, asked whether they
     * start a message, and one comparison a method answers no for nearly all of them. */
    for (size_t i = 0; i < ARRAY_SIZE(http_methods); i++) {
        size_t m = http_methods[i].len;
        if (n > m && p[0] == (uint8_t)http_methods[i].name[0] && p[m] == ' ' &&
            memcmp(p, http_methods[i].name, m) == 0)
            return m;
    }
    return 0;
}

static bool is_response(const uint8_t *p, size_t n)
{
    return n >= 7 && memcmp(p, "HTTP/1.", 7) == 0;
}

static bool starts_message(const uint8_t *p, size_t n)
{
    if (n > 16)
        n = 16;
    return is_response(p, n) || method_len(p, n) > 0;
}

/* True when the n < 16 bytes at p could still grow into the start of a message. */
static bool could_start(const uint8_t *p, size_t n)
{
    static const char resp[] = "HTTP/1.";
    if (memcmp(p, resp, n < 7 ? n : 7) == 0)
        return true;
    for (size_t i = 0; i < ARRAY_SIZE(http_methods); i++)
        if (n <= http_methods[i].len && memcmp(p, http_methods[i].name, n) == 0)
            return true;
    return false;
}

bool dis_http_detect(const struct cursor *c)
{
    size_t n = cur_left(c) < 16 ? cur_left(c) : 16;
    const uint8_t *p = cur_peek_bytes(c, 0, n);
    return p && starts_message(p, n);
}

/* Index of the first byte in p[from, n) equal to ch, or n. */
static size_t find(const uint8_t *p, size_t from, size_t n, uint8_t ch)
{
    if (from >= n)
        return n;
    const uint8_t *at = memchr(p + from, ch, n - from);
    return at ? (size_t)(at - p) : n;
}

static uint8_t lower(uint8_t ch)
{
    return ch >= 'A' && ch <= 'Z' ? (uint8_t)(ch + 32) : ch;
}

/* True when the n bytes at p are name (lower case, name_len long) in any case. */
static bool name_is_n(const uint8_t *p, size_t n, const char *name, size_t name_len)
{
    if (name_len != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(p[i]) != (uint8_t)name[i])
            return false;
    return true;
}

static bool name_is(const uint8_t *p, size_t n, const char *name)
{
    return name_is_n(p, n, name, strlen(name));
}

/* True when "chunked" is among the comma-separated codings of a Transfer-Encoding value. */
static bool has_chunked(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 7 <= n; i++)
        if (name_is(p + i, 7, "chunked"))
            return true;
    return false;
}

/* A decimal Content-Length value; false when it is not one (or past 2^63). */
static bool parse_decimal(const uint8_t *p, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    size_t first = i;
    for (; i < n && p[i] >= '0' && p[i] <= '9'; i++) {
        if (v > (UINT64_C(1) << 59))
            return false;
        v = v * 10 + (uint64_t)(p[i] - '0');
    }
    size_t digits = i - first;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    *out = v;
    return digits > 0 && i == n;
}

static int hexval(uint8_t ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    ch = lower(ch);
    return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* A chunk-size line's size (hex digits, then optional whitespace and ";ext"); false when it
 * does not start with a hex digit or the size does not fit in 32 bits. */
static bool parse_chunk_size(const uint8_t *p, size_t n, uint32_t *out)
{
    uint64_t v = 0;
    size_t i = 0;
    for (; i < n && hexval(p[i]) >= 0; i++) {
        v = v * 16 + (uint64_t)hexval(p[i]);
        if (v > UINT32_MAX)
            return false;
    }
    if (i == 0)
        return false;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    if (i < n && p[i] != ';')
        return false;
    *out = (uint32_t)v;
    return true;
}

/* One line of p[from, n), ended as Wireshark's tvb_find_line_end() ends it: by CRLF, LF, or a
 * lone CR. Returns the start of the next line (n when the line is cut: *cut) and sets the end
 * of its content. */
static size_t line_end(const uint8_t *p, size_t from, size_t n, size_t *content_end, bool *cut)
{
    /* memchr over windows of 128 bytes rather than a loop over both bytes: the LF is looked
     * for first, then a CR only before it, and no byte is looked at more than twice however
     * the lines end (a scan for CR to the end of the buffer would make LF-only lines cost the
     * rest of the message each). */
    size_t i = n;
    for (size_t w = from; w < n;) {
        size_t lim = n - w > 128 ? w + 128 : n;
        size_t lf = find(p, w, lim, '\n');
        size_t end = find(p, w, lf, '\r'); /* the CR before the LF, else the LF */
        if (end < lim) {
            i = end;
            break;
        }
        w = lim;
    }
    *content_end = i;
    *cut = i == n;
    if (*cut)
        return n;
    if (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n')
        return i + 2;
    return i + 1;
}

/* A window over the bytes p[from, to) of the message whose window is m (m->off its first
 * byte): the fields of a message are recorded from windows over their bytes, the indices being
 * found by scanning p. */
static struct cursor span(const struct cursor *m, size_t from, size_t to)
{
    struct cursor t = *m;
    cur_skip(&t, from);
    return cur_sub(&t, to - from, NULL);
}

/* A string field over the window w, as Wireshark holds it: a C string, so it ends at the first
 * NUL byte. */
static void http_str(struct dissection *d, const struct cursor *w, enum field_id id,
                     const uint8_t *s, size_t n)
{
    const uint8_t *z = memchr(s, 0, n);
    if (z)
        n = (size_t)(z - s);
    dis_field_string_as(d, w, id, (const char *)s, n);
}

/* http.file_data: the body as text. Its field covers all the body's bytes, but only the first
 * HTTP_FILE_DATA_TEXT bytes of it (and no more than the text area has left) are kept as text: a
 * reassembled body may be up to a megabyte, and its length is not damage. */
enum { HTTP_FILE_DATA_TEXT = 1024 };
static void http_file_data(struct dissection *d, const struct cursor *w, const uint8_t *s, size_t n)
{
    size_t room = (size_t)(DIS_TEXT_SIZE - d->text_len);
    if (n > HTTP_FILE_DATA_TEXT)
        n = HTTP_FILE_DATA_TEXT;
    if (n > room)
        n = room;
    http_str(d, w, FID_HTTP_FILE_DATA, s, n);
}

/* What the headers of a message say about its body. */
struct http_head {
    bool request, response;
    unsigned code;
    bool chunked;
    bool has_cl;
    uint64_t cl;
    size_t hdr_end; /* after the empty line; 0 when the headers are not complete */
    bool bad_cl;
};

/* Scans the status/request line and headers of the message at p[0, n) (no fields). */
static void scan_head(const uint8_t *p, size_t n, struct http_head *h)
{
    memset(h, 0, sizeof(*h));
    size_t ce;
    bool cut;
    size_t pos = line_end(p, 0, n, &ce, &cut);
    h->response = is_response(p, ce);
    h->request = !h->response;
    if (h->response && ce >= 12 && p[8] == ' ') {
        unsigned code = 0;
        bool ok = true;
        for (size_t i = 9; i < 12; i++)
            if (p[i] < '0' || p[i] > '9')
                ok = false;
            else
                code = code * 10 + (unsigned)(p[i] - '0');
        h->code = ok ? code : 0;
    }
    if (cut)
        return;
    for (unsigned k = 0; k < HTTP_MAX_HEADERS * 4 && pos < n; k++) {
        size_t start = pos;
        pos = line_end(p, start, n, &ce, &cut);
        if (cut)
            return;
        if (ce == start) {
            h->hdr_end = pos;
            return;
        }
        size_t colon = find(p, start, ce, ':');
        if (colon == ce)
            continue;
        const uint8_t *v = p + colon + 1;
        size_t vn = ce - colon - 1;
        if (name_is(p + start, colon - start, "content-length")) {
            h->has_cl = parse_decimal(v, vn, &h->cl);
            h->bad_cl = !h->has_cl;
        } else if (name_is(p + start, colon - start, "transfer-encoding")) {
            h->chunked = has_chunked(v, vn);
        }
    }
}

/* Whether a message has a body, and how it is delimited (RFC 9112 6.3). */
enum body_kind { BODY_NONE, BODY_LENGTH, BODY_CHUNKED, BODY_TO_CLOSE };

static enum body_kind body_kind(const struct http_head *h)
{
    if (h->response && ((h->code >= 100 && h->code < 200) || h->code == 204 || h->code == 304))
        return BODY_NONE;
    if (h->chunked)
        return BODY_CHUNKED;
    if (h->has_cl)
        return BODY_LENGTH;
    return h->response ? BODY_TO_CLOSE : BODY_NONE;
}

/* The end of a chunked body starting at p[from, n): after the last chunk and its trailer, or 0
 * when more bytes are needed; *bad is set (and the offset of the bad size line returned) when a
 * chunk-size line is not hex. */
static size_t chunked_end(const uint8_t *p, size_t from, size_t n, bool *bad)
{
    size_t pos = from;
    *bad = false;
    for (unsigned k = 0; k < 1u << 20; k++) {
        size_t ce;
        bool cut;
        size_t next = line_end(p, pos, n, &ce, &cut);
        if (cut)
            return 0;
        uint32_t size;
        if (!parse_chunk_size(p + pos, ce - pos, &size)) {
            *bad = true;
            return pos;
        }
        pos = next;
        if (size == 0) {
            for (unsigned t = 0; t < HTTP_MAX_HEADERS; t++) { /* trailer, then an empty line */
                size_t s = pos;
                pos = line_end(p, s, n, &ce, &cut);
                if (cut)
                    return 0;
                if (ce == s)
                    return pos;
            }
            return pos;
        }
        if ((size_t)size + 2 > n - pos)
            return 0;
        pos += size;
        if (p[pos] == '\r')
            pos++;
        if (pos < n && p[pos] == '\n')
            pos++;
    }
    return 0;
}

size_t dis_http_pdu_len(const uint8_t *p, size_t n)
{
    if (n == 0)
        return 0;
    /* Wireshark's HTTP would wait for the first line to be whole (a segment without a line end
     * asks for one more); pktscope decides at once, because it would otherwise dissect what it
     * held when the connection closes, which Wireshark does not do for such a message
     * (tests/oracle-differences.txt, rare-bits.pcap). */
    if (!starts_message(p, n))
        return n < 16 && could_start(p, n) ? 0 : DIS_PDU_NOT_A_START;
    struct http_head h;
    scan_head(p, n, &h);
    if (h.hdr_end == 0)
        return 0;
    switch (body_kind(&h)) {
    case BODY_NONE:
        return h.hdr_end;
    case BODY_LENGTH:
        if (h.cl > (uint64_t)(SIZE_MAX / 2 - h.hdr_end))
            return SIZE_MAX / 2;
        return h.hdr_end + (size_t)h.cl;
    case BODY_CHUNKED: {
        bool bad;
        size_t end = chunked_end(p, h.hdr_end, n, &bad);
        return bad ? n : end;
    }
    case BODY_TO_CLOSE:
        break;
    }
    return 0;
}

/* A header value: after the colon and the whitespace that follows it, up to the line's end. */
static bool header_fields(struct dissection *d, const uint8_t *p, const struct cursor *m,
                          size_t start, size_t ce, struct http_head *h, size_t *host_at,
                          size_t *host_len, size_t *ct_at, size_t *ct_len)
{
    size_t colon = find(p, start, ce, ':');
    if (colon == ce)
        return false;
    size_t v = colon + 1;
    while (v < ce && (p[v] == ' ' || p[v] == '\t'))
        v++;
    for (size_t i = 0; i < ARRAY_SIZE(http_headers); i++) {
        if (!name_is_n(p + start, colon - start, http_headers[i].name, http_headers[i].len))
            continue;
        enum field_id id = http_headers[i].id;
        struct cursor w = span(m, start, ce);
        http_str(d, &w, id, p + v, ce - v);
        if (id == FID_HTTP_CONTENT_LENGTH_HEADER) {
            uint64_t cl;
            w = span(m, v, ce);
            if (parse_decimal(p + v, ce - v, &cl)) {
                dis_field_rest(d, &w, FID_HTTP_CONTENT_LENGTH, cl);
            } else {
                h->bad_cl = true;
                dis_damage(d, LAYER_MALFORMED, ANOM_HTTP_BAD_CONTENT_LENGTH, w.off);
            }
        } else if (id == FID_HTTP_COOKIE) {
            /* Wireshark splits a Cookie header into its pairs at ';'. */
            size_t s = v;
            for (unsigned k = 0; k < 64 && s < ce; k++) {
                size_t e = find(p, s, ce, ';');
                size_t a = s;
                while (a < e && p[a] == ' ')
                    a++;
                if (e > a) {
                    w = span(m, a, e);
                    http_str(d, &w, FID_HTTP_COOKIE_PAIR, p + a, e - a);
                }
                s = e + 1;
            }
        } else if (id == FID_HTTP_HOST) {
            *host_at = v;
            *host_len = ce - v;
        } else if (id == FID_HTTP_CONTENT_TYPE) {
            *ct_at = v;
            *ct_len = ce - v;
        }
        return true;
    }
    return false;
}

/* The first line of a message p[0, line): request or status line fields. */
static void first_line(struct dissection *d, const uint8_t *p, const struct cursor *m, size_t line,
                       size_t *uri_at, size_t *uri_len)
{
    struct cursor w;
    if (is_response(p, line)) {
        size_t sp1 = find(p, 0, line, ' ');
        w = span(m, 0, sp1);
        http_str(d, &w, FID_HTTP_RESPONSE_VERSION, p, sp1);
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
            if (digits) {
                w = span(m, cs, sp2);
                dis_field_rest(d, &w, FID_HTTP_RESPONSE_CODE, code);
            }
            if (digits && sp2 < line) {
                w = span(m, sp2 + 1, line);
                http_str(d, &w, FID_HTTP_RESPONSE_PHRASE, p + sp2 + 1, line - sp2 - 1);
            }
        }
        return;
    }
    size_t ml = method_len(p, line);
    if (ml == 0)
        return;
    w = span(m, 0, ml);
    http_str(d, &w, FID_HTTP_REQUEST_METHOD, p, ml);
    size_t us = ml + 1;
    size_t sp2 = find(p, us, line, ' ');
    w = span(m, us, sp2);
    http_str(d, &w, FID_HTTP_REQUEST_URI, p + us, sp2 - us);
    *uri_at = us;
    *uri_len = sp2 - us;
    if (sp2 < line) {
        w = span(m, sp2 + 1, line);
        http_str(d, &w, FID_HTTP_REQUEST_VERSION, p + sp2 + 1, line - sp2 - 1);
    }
}

/* Wireshark's full request URI: "http://" Host URI (an absolute URI stays as it is). */
static void full_uri(struct dissection *d, const uint8_t *p, const struct cursor *m, size_t uri_at,
                     size_t uri_len, size_t host_at, size_t host_len)
{
    char buf[HTTP_URI_MAX];
    size_t n = 0;
    if (uri_len == 0)
        return;
    if (p[uri_at] == '/') {
        if (host_len == 0 || host_len + uri_len + 7 > sizeof(buf))
            return;
        memcpy(buf, "http://", 7);
        memcpy(buf + 7, p + host_at, host_len);
        n = 7 + host_len;
    } else if (uri_len > sizeof(buf)) {
        return;
    }
    memcpy(buf + n, p + uri_at, uri_len);
    n += uri_len;
    /* Built from the URI and Host: no bytes of its own, shown at the message's start (no NUL
     * cut either: it is not a string of the packet). */
    struct cursor w = span(m, 0, 0);
    dis_field_string_as(d, &w, FID_HTTP_FULL_URI, buf, n);
}

/* A chunk-size line as Wireshark 4.0 reads it (strtol base 16 up to any ";ext"): leading
 * blanks, then hex digits up to the first other byte. False (size 0) when there is no digit. */
static bool chunk_size_of(const uint8_t *p, size_t n, uint32_t *out)
{
    size_t i = 0;
    uint64_t v = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    size_t first = i;
    for (; i < n && hexval(p[i]) >= 0; i++)
        if (v <= UINT32_MAX)
            v = v * 16 + (uint64_t)hexval(p[i]);
    *out = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
    return i > first;
}

/*
 * The chunks of a chunked body at p[pos, n) (RFC 9112 7.1), as Wireshark 4.0 shows them: each
 * chunk's size, data and 2-byte boundary; after the last chunk the trailer section as one
 * trailer-part and the empty line; the de-chunked body as http.file_data (its first
 * HTTP_BODY_MAX bytes). A chunk whose data or boundary runs past the bytes stops the message
 * there (*aborted; Wireshark throws and shows nothing more of it). Returns the body's end.
 */
static size_t chunked_body(struct dissection *d, const uint8_t *p, const struct cursor *m,
                           size_t pos, size_t n, bool *aborted)
{
    char body[HTTP_BODY_MAX];
    size_t blen = 0;
    *aborted = false;
    struct cursor w = span(m, pos, pos);
    dis_field_mark(d, &w, FID_HTTP_CHUNKED, 0);
    for (unsigned k = 0; k < HTTP_MAX_CHUNKS && pos < n; k++) {
        size_t ce;
        bool cut;
        size_t next = line_end(p, pos, n, &ce, &cut);
        if (cut || ce == pos)
            break; /* no chunk-size line */
        uint32_t size;
        if (!chunk_size_of(p + pos, ce - pos, &size))
            dis_damage(d, LAYER_MALFORMED, ANOM_HTTP_BAD_CHUNK_SIZE, m->off + pos);
        if (size > n - pos)
            size = (uint32_t)(n - pos);
        if (size > n - next) {
            *aborted = true;
            return n;
        }
        w = span(m, pos, n); /* the chunk: size line, data, boundary */
        dis_field_set(dis_field_blob(d, &w, FID_HTTP_CHUNK_SIZE, next - pos), size);
        if (size > 0) {
            dis_field_skip(d, &w, FID_HTTP_CHUNK_DATA, size);
            size_t c = size < sizeof(body) - blen ? size : sizeof(body) - blen;
            memcpy(body + blen, p + next, c);
            blen += c;
            if (2 > n - next - size) {
                *aborted = true;
                return n;
            }
            dis_field_skip(d, &w, FID_HTTP_CHUNK_BOUNDARY, 2);
            pos = next + size + 2;
            continue;
        }
        /* The last chunk: the trailer section (one trailer-part over all its lines), then the
         * empty line that ends the body. */
        pos = next;
        size_t ts = pos, s = pos, e = pos;
        bool empty = false;
        for (unsigned t = 0; t < HTTP_MAX_HEADERS && s < n; t++) {
            e = line_end(p, s, n, &ce, &cut);
            if (cut)
                break;
            if (ce == s) {
                empty = true;
                break;
            }
            s = e;
        }
        if (s > ts) {
            struct cursor t = cur_sub(&w, s - ts, NULL);
            http_str(d, &t, FID_HTTP_CHUNKED_TRAILER_PART, p + ts, s - ts);
        }
        pos = s;
        if (empty) {
            dis_field_skip(d, &w, FID_HTTP_EOH, e - s);
            pos = e;
        }
        break;
    }
    if (blen > 0) {
        w = span(m, pos, pos); /* the de-chunked body: built, no bytes of its own */
        http_file_data(d, &w, (const uint8_t *)body, blen);
    }
    return pos;
}

/* True when frame.protocols already ends with this payload's "http" (the layer just opened is
 * not the payload's first HTTP layer). */
static bool first_in_payload_done(const struct dissection *d)
{
    return d->nlayers >= 2 && d->layers[d->nlayers - 2].proto == PROTO_HTTP;
}

/* Wireshark 4.0's test for a header line: any line with a ':' is one (HDR_YES); a line without
 * one ends the headers (HDR_NO). */
enum hdr_look { HDR_YES, HDR_NO };

static enum hdr_look header_look(const uint8_t *p, size_t from, size_t ce)
{
    return find(p, from, ce, ':') < ce ? HDR_YES : HDR_NO;
}

/*
 * One HTTP layer at p[0, n) (n > 0), as Wireshark's dissect_http_message: an optional request or
 * status line, then the lines that look like headers up to the empty line, then the body.
 * Bytes that do not start with a request or status line (a segment continuing a message) are
 * decoded the same way, as "other": their header-looking lines get only their named fields, and
 * the rest is body. Returns the bytes used (> 0).
 */

/* Whether Wireshark hands a body to its data dissector: when no media dissector takes it, that
 * is without a Content-Type or with application/octet-stream, whatever its case and parameters
 * (tshark 4.0; text/plain goes to data-text-lines, image/png and application/zip to media). */
static bool body_goes_to_data(const uint8_t *ct, size_t len)
{
    static const char octet_stream[] = "application/octet-stream";
    size_t end = 0;
    while (end < len && ct[end] != ';')
        end++;
    size_t start = 0;
    while (start < end && (ct[start] == ' ' || ct[start] == '\t'))
        start++;
    while (end > start && (ct[end - 1] == ' ' || ct[end - 1] == '\t'))
        end--;
    if (len == 0)
        return true;
    return end - start == sizeof(octet_stream) - 1 &&
           strncasecmp((const char *)ct + start, octet_stream, end - start) == 0;
}

static size_t http_pdu(struct dissection *d, const uint8_t *p, size_t base, size_t n,
                       const struct cursor *c, bool capcut)
{
    struct cursor at = cur_at(c, base);
    struct cursor m = cur_sub(&at, n, NULL); /* the message's window; its fields are read in it */
    if (dis_layer_begin(d, PROTO_HTTP, &m) < 0)
        return n;
    if (!first_in_payload_done(d))
        dis_protocols_add(d, "http"); /* once per payload, as Wireshark's frame.protocols */
    /* The packet is an HTTP message when one starts in it (a continuation alone is not: the
     * ladder and the tracker label it by its transport). */
    bool is_msg = starts_message(p, n);
    if (is_msg)
        d->sum.app_proto = PROTO_HTTP;

    struct http_head h;
    memset(&h, 0, sizeof(h));
    if (is_msg) {
        scan_head(p, n, &h);
    } else if (p[0] < 0x20 || p[0] > 0x7e) {
        /* Binary bytes: Wireshark hands them to data at once (no http.file_data). */
        dis_layer_end(d, base, base + n);
        struct cursor t = cur_at(c, base);
        struct cursor b = cur_sub(&t, n, NULL);
        dissect_data(d, &b, LAYER_OK);
        return n;
    }
    size_t ce;
    bool cut;
    size_t pos = 0;
    size_t uri_at = 0, uri_len = 0, host_at = 0, host_len = 0, ct_at = 0, ct_len = 0;
    if (is_msg) {
        pos = line_end(p, 0, n, &ce, &cut);
        first_line(d, p, &m, ce, &uri_at, &uri_len);
    }
    enum field_id line_id = !is_msg      ? FID__COUNT
                            : h.response ? FID_HTTP_RESPONSE_LINE
                                         : FID_HTTP_REQUEST_LINE;
    bool aborted = false;
    bool saw_line = is_msg;
    struct http_head oh; /* what the header lines of an "other" say about its body */
    memset(&oh, 0, sizeof(oh));
    for (unsigned k = 0; k < HTTP_MAX_HEADERS && pos < n; k++) {
        size_t start = pos;
        size_t next = line_end(p, start, n, &ce, &cut);
        struct cursor lw = span(&m, start, next); /* the line and its end of line */
        if (ce == start && !cut) {
            dis_field_rest(d, &lw, FID_HTTP_EOH, 0);
            pos = next;
            break;
        }
        enum hdr_look look = header_look(p, start, ce);
        if (look != HDR_YES) {
            /* Not a header line: the headers end here (Wireshark's not_http). A line cut by
             * the end of the bytes after a header is a header cut short. */
            if (saw_line && cut) {
                /* A header line cut short: Wireshark stops the message here (an exception). */
                if (capcut)
                    dis_damage(d, LAYER_TRUNCATED, ANOM_HTTP_TRUNCATED, base + n);
                pos = n;
                aborted = true;
            }
            break;
        }
        if (cut && capcut)
            dis_damage(d, LAYER_TRUNCATED, ANOM_HTTP_TRUNCATED, base + n);
        saw_line = true;
        if (line_id != FID__COUNT)
            http_str(d, &lw, line_id, p + start, next - start);
        bool known = header_fields(d, p, &m, start, ce, is_msg ? &h : &oh, &host_at, &host_len,
                                   &ct_at, &ct_len);
        /* Outside a request or response Wireshark has no line field: an unknown header is
         * http.unknown_header (the line as it is, end of line included). */
        if (!known && !is_msg)
            http_str(d, &lw, FID_HTTP_UNKNOWN_HEADER, p + start, next - start);
        pos = next;
    }
    if (!is_msg) {
        /* Only the Content-Length and Transfer-Encoding of these lines count. */
        oh.chunked = false;
    }
    if (h.request && is_msg && !aborted)
        full_uri(d, p, &m, uri_at, uri_len, host_at, host_len);
    if (aborted) {
        dis_layer_end(d, base + n, base + n);
        return n;
    }

    size_t hdr_end = pos;
    const struct http_head *bh = is_msg ? &h : &oh;
    enum body_kind kind = is_msg ? body_kind(&h) : (oh.has_cl ? BODY_LENGTH : BODY_TO_CLOSE);
    /* Wireshark takes a Content-Length even of a 1xx, 204 or 304 response; only without one
     * does the status say "no body" (see tests/oracle-differences.txt). */
    if (is_msg && kind == BODY_NONE && h.response && h.has_cl)
        kind = BODY_LENGTH;
    bool data_layer = false;
    switch (kind) {
    case BODY_NONE:
        break;
    case BODY_CHUNKED:
        pos = chunked_body(d, p, &m, pos, n, &aborted);
        break;
    case BODY_LENGTH:
    case BODY_TO_CLOSE: {
        size_t have = n - pos;
        if (bh->has_cl && bh->cl < have)
            have = (size_t)bh->cl;
        if (have > 0) {
            struct cursor w = span(&m, pos, pos + have);
            http_file_data(d, &w, p + pos, have);
            data_layer = body_goes_to_data(p + ct_at, ct_len);
        }
        pos += have;
        break;
    }
    }
    if (pos == 0)
        pos = n; /* never a layer of no bytes */
    dis_layer_end(d, base + hdr_end, base + pos);
    /* A body body_goes_to_data() picks gets Wireshark's data layer; one of another media type
     * goes to a media dissector pktscope does not have: it stays http.file_data. */
    if (data_layer) {
        struct cursor t = cur_at(c, base + hdr_end);
        struct cursor b = cur_sub(&t, pos - hdr_end, NULL);
        dissect_data(d, &b, LAYER_OK);
    }
    return pos;
}

void dissect_http(struct dissection *d, struct cursor *c)
{
    /* The payload was cut by the capture's snap length (not by the segment's end). */
    bool capcut = d->sum.payload_off == c->off && d->sum.payload_len > cur_left(c);
    for (unsigned k = 0; k < HTTP_MAX_MSGS && cur_left(c) > 0; k++) {
        size_t start = c->off;
        size_t n = cur_left(c);
        const uint8_t *p = cur_peek_bytes(c, 0, n);
        if (!p)
            break;
        /* RFC 9112 2.2: an empty line where a message should start is ignored. */
        size_t lead = n > 3 && p[0] == '\r' && p[1] == '\n' ? 2 : 0;
        if (lead && (p[2] < 0x20 || p[2] > 0x7e))
            lead = 0; /* binary after it: Wireshark gives data the bytes from the CRLF on */
        size_t used = http_pdu(d, p + lead, start + lead, n - lead, c, capcut);
        if (used == 0 || used > n - lead)
            used = n - lead;
        c->off = start + lead + used;
    }
    if (cur_left(c) > 0)
        dissect_data(d, c, LAYER_OK);
}
