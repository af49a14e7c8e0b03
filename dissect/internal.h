/*
 * Internal interface between the dissector files. Not for use outside dissect/.
 *
 * Each dissector reads through a cursor whose window is exactly its layer's declared bytes (the
 * caller clamps it), adds one layer, its fields in order, and anomalies, then hands its payload
 * to the next dissector. All add functions are safe when the arrays are full: they set
 * DIS_OVERFLOW once and drop the item.
 */
#ifndef PKTSCOPE_DISSECT_INTERNAL_H
#define PKTSCOPE_DISSECT_INTERNAL_H

#include "dissect/dissect.h"
#include "dissect/numbers.h"
#include "util/cursor.h"

#include <string.h>

/* Opens a layer at c->off; returns its index, or -1 when the layer array is full. */
int dis_layer_begin(struct dissection *d, enum proto_id proto, const struct cursor *c);
/* Closes the current (last) layer: header ends at hdr_end, layer ends at layer_end. */
void dis_layer_end(struct dissection *d, size_t hdr_end, size_t layer_end);
/* Sets the status of the current layer, keeping the worst one. */
void dis_layer_status(struct dissection *d, enum layer_status st);
struct layer *dis_cur_layer(struct dissection *d);

/* The dissection ran out of room (fields, layers, text): flagged once, with an anomaly. */
void dis_overflow(struct dissection *d);

/* f over the bytes [offset, offset + len), as far as they were captured (a field never claims
 * bytes that were not). */
static inline void dis_field_place(const struct dissection *d, struct field *f, size_t offset,
                                   size_t len)
{
    size_t data_len = d->data_len;
    if (offset > data_len)
        offset = data_len;
    if (len > data_len - offset)
        len = data_len - offset;
    f->offset = (uint32_t)offset;
    f->len = (uint16_t)(len > UINT16_MAX ? UINT16_MAX : len);
}

/* A field whose bytes reach the 16-bit length's end: an FT_BYTES field, or a heading (FT_NONE),
 * of no value of its own keeps its whole captured length in its value (dis_field_size). */
void dis_field_long(const struct dissection *d, struct field *f, size_t len);
/* Each field's type, known where a dissector is compiled: with the constant id of a call of
 * dis_field_record, the test for a long FT_BYTES field folds away for every other type (made at
 * run time for every field, it was 0.4-0.8 % more instructions for --stats and --json). */
static const uint8_t dis_field_type_of[FID__COUNT] = {
#define FIELD(id, name, label, type, indent) [id] = type,
#include "dissect/fields_all.def"
#undef FIELD
};

/* dis_field() past its headerless test: the field recorded. */
static inline struct field *dis_field_record(struct dissection *d, enum field_id id, size_t offset,
                                             size_t len, uint64_t value)
{
    unsigned nlayers = d->nlayers, nfields = d->nfields;
    if (nlayers == 0 || nfields >= DIS_MAX_FIELDS) {
        dis_overflow(d);
        return NULL;
    }
    struct field *f = &d->fields[nfields];
    d->nfields = (uint16_t)(nfields + 1);
    f->id = (uint16_t)id;
    dis_field_place(d, f, offset, len);
    f->value = value;
    if ((dis_field_type_of[id] == FT_BYTES || dis_field_type_of[id] == FT_NONE) &&
        __builtin_expect(f->len == UINT16_MAX, 0))
        dis_field_long(d, f, len);
    d->layers[nlayers - 1].nfields++;
    return f;
}

/* Adds a field to the current layer; returns it (for later value fix-ups) or NULL when full.
 * Inline: about 50 fields a packet, and a call cost as much as the rest (callgrind). Each
 * caller's id is a constant, so the IP lengths' test folds away; the fields a display filter
 * keeps (DIS_KEEPING) are tested behind the layer's own state, already loaded: testing
 * kept_fields for every field made --stats, which keeps none, 8 % slower, and a call for
 * each field left out under DIS_KEEPING made --stats -Y slower than keeping every field. */
static inline struct field *dis_field(struct dissection *d, enum field_id id, size_t offset,
                                      size_t len, uint64_t value)
{
    if (d->unrecording && id != FID_IP_LEN && id != FID_IPV6_PLEN) {
        if (__builtin_expect(d->unrecording == DIS_KEEPING, 0)) {
            if (d->kept_fields[(unsigned)id / 8] >> ((unsigned)id % 8) & 1)
                return dis_field_record(d, id, offset, len, value);
            /* a field kept may be carved out of this one (dis_subfield): over its bytes */
            dis_field_place(d, &d->unrecorded, offset, len);
        }
        /* headerless: counted, and written where nobody reads (dis_field_set and the like) */
        d->nunrecorded++;
        return &d->unrecorded;
    }
    return dis_field_record(d, id, offset, len, value);
}
/* A string field: copies n bytes (control bytes kept as-is; renderers escape) into the text area.
 */
struct field *dis_field_str(struct dissection *d, enum field_id id, size_t offset, size_t len,
                            const char *s, size_t n);
/*
 * Field-emitting readers: read at c->off through the cursor, record field `id` over exactly the
 * bytes read (so its offset and length are never written by hand), advance, and return the
 * value. When the bytes are not there they record nothing, return 0 and leave the cursor
 * truncated, like the cursor's own reads.
 */
/* Inline, as dis_field is: a packet reads about twenty fields this way, and the call was a
 * third of the cost of each (callgrind). */
static inline uint8_t dis_field_u8(struct dissection *d, struct cursor *c, enum field_id id)
{
    size_t at = c->off;
    uint8_t v = cur_u8(c);
    if (!c->truncated)
        dis_field(d, id, at, 1, v);
    return v;
}
static inline uint16_t dis_field_be16(struct dissection *d, struct cursor *c, enum field_id id)
{
    size_t at = c->off;
    uint16_t v = cur_be16(c);
    if (!c->truncated)
        dis_field(d, id, at, 2, v);
    return v;
}
static inline uint32_t dis_field_be32(struct dissection *d, struct cursor *c, enum field_id id)
{
    size_t at = c->off;
    uint32_t v = cur_be32(c);
    if (!c->truncated)
        dis_field(d, id, at, 4, v);
    return v;
}
/* A field of n bytes without a value of its own (an address, opaque data); false when short.
 * Inline, as the readers above: every IP header records two. */
static inline bool dis_field_skip(struct dissection *d, struct cursor *c, enum field_id id,
                                  size_t n)
{
    size_t at = c->off;
    if (!cur_skip(c, n))
        return false;
    dis_field(d, id, at, n, 0);
    return true;
}
/*
 * Bit fields and computed fields. Wireshark shows a bit field (ip.flags.df, tcp.flags.syn) over
 * the bytes of the word it was carved from, and a computed one (checksum status, tcp.len) over
 * the bytes it was computed from. So that their offsets are not written by hand either, the word
 * is read with dis_field_word, which records its first field and hands that field back, and the
 * other fields are recorded over the same bytes with dis_subfield, or over a part of them with
 * dis_subfield_span. Every one of these records nothing when `whole` is NULL (its bytes were not
 * there, or the field array is full), so a short read stays a short read.
 *
 * dis_field_blob is dis_field_skip handing back the field (for a value or sub-fields of its
 * own). dis_field_word reads an n-byte (1 to 4) big-endian word into *word (0 when short) and
 * records field `id` over it with the word as its value (dis_field_set fixes up the value of a
 * field that is only some of the word's bits). dis_field_mark records a computed field that has
 * no bytes of its own: zero bytes at c->off.
 */
static inline struct field *dis_field_blob(struct dissection *d, struct cursor *c, enum field_id id,
                                           size_t n)
{
    size_t at = c->off;
    return cur_skip(c, n) ? dis_field(d, id, at, n, 0) : NULL;
}
/* Always inline: each caller's n is a constant, so the read is one load once inlined (the
 * compiler kept it a call, with the width chosen at run time). */
__attribute__((always_inline)) static inline struct field *
dis_field_word(struct dissection *d, struct cursor *c, enum field_id id, size_t n, uint32_t *word)
{
    size_t at = c->off;
    if (n < 1 || n > 4)
        n = 4;
    uint32_t v = n == 1 ? cur_u8(c) : n == 2 ? cur_be16(c) : n == 3 ? cur_be24(c) : cur_be32(c);
    if (c->truncated)
        v = 0;
    if (word)
        *word = v;
    return c->truncated ? NULL : dis_field(d, id, at, n, v);
}
/* headerless: a field carved out of one left out (`whole` is d->unrecorded) and left out too
 * is not placed over its bytes, so that d->unrecorded stays over the whole for the fields
 * carved after it, some of which a display filter may keep (dissect_options.kept_fields). */
static inline bool dis_sub_unrecorded(struct dissection *d, const struct field *whole,
                                      enum field_id id)
{
    if (whole != &d->unrecorded || d->unrecording != DIS_KEEPING ||
        dis_field_kept_headerless(d, id))
        return false;
    d->nunrecorded++;
    return true;
}
static inline struct field *dis_subfield(struct dissection *d, const struct field *whole,
                                         enum field_id id, uint64_t value)
{
    if (!whole)
        return NULL;
    if (dis_sub_unrecorded(d, whole, id))
        return &d->unrecorded;
    return dis_field(d, id, whole->offset, whole->len, value);
}
/* The part [rel, rel + len) of `whole`'s bytes (clamped to them). */
static inline struct field *dis_subfield_span(struct dissection *d, const struct field *whole,
                                              size_t rel, size_t len, enum field_id id,
                                              uint64_t value)
{
    if (!whole)
        return NULL;
    if (dis_sub_unrecorded(d, whole, id))
        return &d->unrecorded;
    if (rel > whole->len)
        rel = whole->len;
    if (len > whole->len - rel)
        len = whole->len - rel;
    return dis_field(d, id, whole->offset + rel, len, value);
}
static inline struct field *dis_field_mark(struct dissection *d, const struct cursor *c,
                                           enum field_id id, uint64_t value)
{
    return dis_field(d, id, c->off, 0, value);
}
/*
 * Fields over a window rather than a read. dis_field_rest records field `id` over what is left
 * of w, [w->off, w->end), with `value`, without moving w: a sub-cursor's whole window (the TCP
 * options, a TLS record, a payload) is described by the cursor that bounds it.
 * dis_field_string reads n bytes as a string field (NULL, nothing recorded, the cursor truncated
 * when they are not there); dis_field_string_rest records the rest of w as a string field whose
 * text is its first `text_len` bytes (a line shown without its end of line).
 */
static inline struct field *dis_field_rest(struct dissection *d, const struct cursor *w,
                                           enum field_id id, uint64_t value)
{
    return dis_field(d, id, w->off, cur_left(w), value);
}
struct field *dis_field_string(struct dissection *d, struct cursor *c, enum field_id id, size_t n);
struct field *dis_field_string_rest(struct dissection *d, const struct cursor *w, enum field_id id,
                                    size_t text_len);
/*
 * dis_field_string_as records the rest of w, [w->off, w->end), as a string field whose text is
 * s[0, n) rather than its own bytes, without moving w: a header line shown by its value, an
 * address shown in a form built from its digits, or a string built from several places of the
 * message over a window of no bytes (cur_sub(&c, 0, NULL)), recorded like dis_field_mark.
 */
struct field *dis_field_string_as(struct dissection *d, const struct cursor *w, enum field_id id,
                                  const char *s, size_t n);
/*
 * dis_field_close ends field f, recorded at some earlier c->off (a heading, by dis_field_mark,
 * before the entries it covers were read), at c->off: it then covers the bytes read in between.
 * Nothing happens when f is NULL (it was not recorded).
 */
static inline void dis_field_close(struct field *f, const struct cursor *c)
{
    if (!f)
        return;
    size_t n = c->off > f->offset ? c->off - f->offset : 0;
    f->len = (uint16_t)(n > UINT16_MAX ? UINT16_MAX : n);
}
static inline void dis_field_set(struct field *f, uint64_t value)
{
    if (f)
        f->value = value;
}
/* Records an anomaly on the current layer. */
void dis_anomaly(struct dissection *d, enum anomaly_id id, size_t offset);
/* Damage inside a layer that is still decoded: the current layer gets status `st` (the worst
 * one is kept) and anomaly `id` at `at`. */
void dis_damage(struct dissection *d, enum layer_status st, enum anomaly_id id, size_t at);
/* The bail-out: dis_damage, then the current layer ends (header and all) where c's window ends
 * and c is consumed. Nothing after this point of the layer can be decoded. */
void dis_bail(struct dissection *d, struct cursor *c, enum layer_status st, enum anomaly_id id,
              size_t at);
/* Appends name to frame.protocols, after a ':' unless it is the first; inline, so that the
 * length of a literal name is a constant (two strlen calls a name were 3 % of --stats). A name
 * that does not fit is left out. */
static inline void dis_protocols_add(struct dissection *d, const char *name)
{
    size_t have = d->protocols_len, n = strlen(name);
    if (n + (have ? 1 : 0) >= sizeof(d->protocols) - have)
        return;
    if (have)
        d->protocols[have++] = ':';
    memcpy(d->protocols + have, name, n + 1);
    d->protocols_len = (uint8_t)(have + n);
}

/*
 * What a dissector needs to know about the layers around it, passed down by value from the
 * network layer (each layer hands its own copy, changed, to the next):
 *  - inside the datagram quoted by an ICMP or ICMPv6 error (RFC 792, RFC 4443 2.4) shortness is
 *    by design, not damage, and a quote is never followed into a second one;
 *  - the transport checksum's pseudo-header takes its addresses from the IP layer below, the
 *    destination being the final one when a routing header still has segments left (RFC 8200
 *    8.1).
 */
struct dis_ctx {
    uint8_t quote_depth; /* ICMP error quotes we are inside: 0 or 1 */
    bool quote_head;     /* this IP header is the quoted datagram's own (set by icmp.c) */
    uint8_t addr_len;    /* pseudo-header address length: 4, 16, or 0 before any IP layer */
    const uint8_t *src;  /* pseudo-header source and destination (bytes of the frame) */
    const uint8_t *dst;
};
/* What the link layer hands to the network layer. A context goes up by pointer: passed by value
 * (24 bytes, in memory) a byte stored into it and then the whole loaded for the next call
 * stalled that load (store forwarding), 1 % of --stats. */
#define DIS_CTX_FRAME (&(const struct dis_ctx){0})

/* Link layer (link.c): dispatches on the link type, then on the EtherType. */
void dissect_link(struct dissection *d, struct cursor *c, uint32_t linktype);
void dissect_ethertype(struct dissection *d, struct cursor *c, uint16_t ethertype);
void dissect_arp(struct dissection *d, struct cursor *c);

/* Network layer (ipv4.c, ipv6.c, icmp.c). */
void dissect_ipv4(struct dissection *d, struct cursor *c, const struct dis_ctx *ctx);
void dissect_ipv6(struct dissection *d, struct cursor *c, const struct dis_ctx *ctx);
/* Dispatches an IP payload of protocol `proto` (PS_IPPROTO_*). */
void dissect_ip_payload(struct dissection *d, struct cursor *c, uint8_t proto,
                        const struct dis_ctx *ctx);
/* Bytes pktscope does not decode further: a "data" layer holding Wireshark's data.data and
 * data.len (its "Data" protocol); st says why, LAYER_OK when there is nothing more to decode. */
void dissect_data(struct dissection *d, struct cursor *c, enum layer_status st);
void dissect_icmp(struct dissection *d, struct cursor *c, const struct dis_ctx *ctx);
void dissect_icmpv6(struct dissection *d, struct cursor *c, const struct dis_ctx *ctx);

/* Transport (tcp.c, udp.c): the pseudo-header's addresses come in ctx. */
void dissect_tcp(struct dissection *d, struct cursor *c, const struct dis_ctx *ctx);
void dissect_udp(struct dissection *d, struct cursor *c, const struct dis_ctx *ctx);
/* The TCP/UDP-style checksum over the pseudo-header (ctx's addresses, `len`, `proto`) and the
 * captured bytes [off, off + len), whose checksum field is at `csum_at` from `off` (tcp.c):
 * good, bad, or bad but holding only the pseudo-header's sum (left to the NIC: offload). */
enum dis_csum { DIS_CSUM_BAD, DIS_CSUM_GOOD, DIS_CSUM_PARTIAL };
enum dis_csum dis_l4_checksum(const struct dissection *d, const struct dis_ctx *ctx, size_t off,
                              size_t len, uint8_t proto, size_t csum_at);

/*
 * TCP reassembly asks an application protocol how long the message starting at `p` is, given
 * the `n` bytes of the stream there so far: its whole length in bytes (header and body), 0 when
 * it needs more bytes to tell, or DIS_PDU_NOT_A_START when `p` cannot be the start of one of its
 * messages (after a hole in the stream, reassembly looks for the next byte where this is not
 * so). Wireshark's tcp_dissect_pdus() get_pdu_len, with the "need more" case made explicit.
 */
#define DIS_PDU_NOT_A_START ((size_t)-1)
typedef size_t (*app_pdu_len_fn)(const uint8_t *p, size_t n);

/* Application (app.c, dns.c, http.c): payload of transport `l4` between ports. */
void dissect_app(struct dissection *d, struct cursor *c, uint8_t l4, uint16_t sport,
                 uint16_t dport);
/* The message-length function of the TCP application protocol between these ports (the lower
 * port first, as dissect_app chooses), or NULL when its messages are not reassembled; *proto
 * gets that protocol (enum proto_id). */
app_pdu_len_fn dis_app_pdu_len(uint16_t sport, uint16_t dport, uint16_t *proto);
/* The message-length function of protocol `proto` (the first port-table row that carries it). */
app_pdu_len_fn dis_app_pdu_len_of(uint16_t proto);
/* Runs the dissector of protocol `proto` (the first row that carries it); false when it has
 * none or it declines. */
bool dis_app_run_proto(struct dissection *d, struct cursor *c, uint16_t proto);
void dissect_dns(struct dissection *d, struct cursor *c, bool over_tcp);
bool dissect_ntp(struct dissection *d, struct cursor *c, bool over_tcp);
/* SNMP (snmp.c) */
bool dissect_snmp(struct dissection *d, struct cursor *c, bool over_tcp);
/* DHCP (dhcp.c) */
bool dissect_dhcp(struct dissection *d, struct cursor *c, bool over_tcp);
/* DNS-format messages under another protocol's name (PROTO_MDNS, PROTO_LLMNR). */
void dissect_dns_proto(struct dissection *d, struct cursor *c, bool over_tcp, enum proto_id proto);
void dissect_http(struct dissection *d, struct cursor *c);
/* True when the bytes at c start like an HTTP/1.x request or response line (http.c). */
bool dis_http_detect(const struct cursor *c);
/* TLS (tls.c): the dissector, its message length for reassembly, and the content test (a
 * handshake or application data record's header, Wireshark's tls_tcp heuristic) that makes a
 * payload on any TCP port TLS. */
bool dissect_tls(struct dissection *d, struct cursor *c, bool over_tcp);
size_t tls_pdu_len(const uint8_t *p, size_t n);
bool dis_tls_detect(const struct cursor *c);

/* textproto: line-based protocols (lines.c, ftp.c, smtp.c, pop.c, imap.c, telnet.c, ssh.c) */
/* One line of a text protocol: bytes [off, off + len) of the frame without its end of line,
 * followed by eol_len bytes of CRLF or LF (0 when the line is cut at the end of the window).
 * Its fields are read through its two cursors, never at offsets worked out from `off`: `line`
 * is a window over the line and its end of line, `text` over the line without it; both start
 * at its first byte. `p` is for scanning (word and number lengths), `off` for anomalies. */
struct dis_line {
    struct cursor line; /* [off, off + len + eol_len) */
    struct cursor text; /* [off, off + len) */
    const uint8_t *p;   /* the line's bytes (inside the cursor's buffer) */
    size_t off;         /* absolute offset of the first byte */
    size_t len;         /* bytes before the end of line */
    size_t eol_len;     /* 2 (CRLF), 1 (LF), 0 (no end of line: the rest of the window) */
};
/* Most lines of one payload a text dissector decodes; more is an anomaly, not a loop. */
#define DIS_MAX_LINES 64
/* Reads the next line at c (advancing c past it and its end of line); false when c is empty. */
bool dis_line_next(struct cursor *c, struct dis_line *ln);
/* Length of the first space-delimited word of p[0, n). */
size_t dis_word_len(const uint8_t *p, size_t n);
/* True when the side sending this segment is the client of a server on one of `ports` (a zero
 * ends the list): the destination port is a server port (Wireshark's match_uint == destport). */
bool dis_text_is_request(const struct dissection *d, const uint16_t *ports);
bool dissect_ftp(struct dissection *d, struct cursor *c, bool over_tcp);
bool dissect_smtp(struct dissection *d, struct cursor *c, bool over_tcp);
bool dissect_pop(struct dissection *d, struct cursor *c, bool over_tcp);
bool dissect_imap(struct dissection *d, struct cursor *c, bool over_tcp);
bool dissect_telnet(struct dissection *d, struct cursor *c, bool over_tcp);
bool dissect_ssh(struct dissection *d, struct cursor *c, bool over_tcp);
/* end textproto */
/* HTTP: message lengths for TCP reassembly (http.c) and DNS over TCP's (dns.c); see
 * app_pdu_len_fn. */
size_t dis_http_pdu_len(const uint8_t *p, size_t n);
/* Whether p[0, n) holds a whole line, as Wireshark's tvb_find_line_end sees it with reassembly
 * on: an LF, or a CR that is not the last byte (a CR at the end may be half of a CRLF). Until
 * it does, Wireshark's line-based protocols ask for one more segment and say nothing. */
static inline bool dis_has_line_end(const uint8_t *p, size_t n)
{
    return n > 0 && (memchr(p, '\n', n) || memchr(p, '\r', n - 1));
}
size_t dis_dns_tcp_pdu_len(const uint8_t *p, size_t n);
/* SMTP's and IMAP's message lengths for TCP reassembly (smtp.c, imap.c); see app_pdu_len_fn.
 * POP3 has none: tshark 4.0 reassembles no POP3 line across segments. */
size_t dis_smtp_pdu_len(const uint8_t *p, size_t n);
size_t dis_imap_pdu_len(const uint8_t *p, size_t n);
/* The IMAP layer of a segment whose message reassembly still holds open, once its first line
 * is whole: tshark's IMAP names itself and says which side speaks (imap.isrequest) before it
 * asks for the rest (a literal). An empty layer at c, whose summary leaves TCP's. */
void dis_imap_waiting(struct dissection *d, struct cursor *c);

#endif
