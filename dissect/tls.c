/*
 * TLS (RFC 8446 for 1.3, RFC 5246 for 1.2, RFC 4346, RFC 2246, and SSL 3.0's RFC 6101): every
 * record of a TCP payload (RFC 5246 6.2.1: type, version, length, then `length` bytes), and in
 * the records what travels in clear: handshake messages (ClientHello, ServerHello with their
 * cipher suites and the server_name, ALPN and supported_versions extensions, the Certificate
 * chain up to TLS 1.2 with each certificate's issuer and subject commonName), alerts, change
 * cipher spec. Encrypted records are marked as such (application data, encrypted handshake
 * messages and alerts). Field names are Wireshark's (packet-tls.c, packet-tls-utils.c).
 *
 * A record may be cut by the end of the payload (its rest is in a later segment): it is decoded
 * as far as it goes, with no damage reported, since that is how TLS rides on TCP. Bytes that do
 * not start a record (the rest of a record begun earlier) are "Continuation Data".
 *
 * The protocol version the packet list shows is worked out per packet, as Wireshark does for a
 * conversation whose version it does not know yet: the first record that is not a ClientHello
 * sets it from the record header, and a ServerHello's supported_versions extension (RFC 8446
 * 4.2.1) overrides it. It goes to d->sum.app_version.
 *
 * Bounded: every loop advances through a cursor over a declared length; the DER walker reads at
 * most X509_MAX_RDNS name components of a Name.
 */
#include "dissect/internal.h"
#include "dissect/reasm_internal.h"

enum {
    TLS_HDR_LEN = 5,
    TLS_MAX_RECORD = 16384 + 2048, /* RFC 5246 6.2.3: TLSCiphertext.length */
    TLS_CT_CHANGE_CIPHER_SPEC = 20,
    TLS_CT_ALERT = 21,
    TLS_CT_HANDSHAKE = 22,
    TLS_CT_APPLICATION_DATA = 23,
    TLS_CT_HEARTBEAT = 24,
    TLS_HS_CLIENT_HELLO = 1,
    TLS_HS_SERVER_HELLO = 2,
    TLS_HS_HELLO_VERIFY_REQUEST = 3,
    TLS_HS_CERTIFICATE = 11,
    TLS_EXT_SERVER_NAME = 0,
    TLS_EXT_ALPN = 16,
    TLS_EXT_SUPPORTED_VERSIONS = 43,
    TLS_VERSION_1_3 = 0x0304,
    X509_MAX_RDNS = 32,
};

/* What the records of one payload tell about the connection so far. */
struct tls_state {
    uint16_t version; /* the version the conversation uses, 0 until a record says */
};

/* True when the bytes at c can be a record header: a content type TLS defines and major 3. */
static bool tls_header_ok(const struct cursor *c)
{
    uint8_t ct = cur_peek_u8(c, 0);
    return cur_left(c) >= 1 && ct >= TLS_CT_CHANGE_CIPHER_SPEC && ct <= TLS_CT_HEARTBEAT &&
           (cur_left(c) < 2 || cur_peek_u8(c, 1) == 3);
}

size_t tls_pdu_len(const uint8_t *p, size_t n)
{
    if (n >= 1 && (p[0] < TLS_CT_CHANGE_CIPHER_SPEC || p[0] > TLS_CT_HEARTBEAT))
        return DIS_PDU_NOT_A_START;
    if (n >= 2 && p[1] != 3)
        return DIS_PDU_NOT_A_START;
    if (n < TLS_HDR_LEN)
        return 0;
    return TLS_HDR_LEN + (((size_t)p[3] << 8) | p[4]);
}

bool dis_tls_detect(const struct cursor *c)
{
    /* Wireshark's tls_tcp heuristic (on by default): a record header of the two common types,
     * handshake or application data, of SSL 3.0, TLS 1.0 to 1.2 (1.3 writes 1.2's) or GM/T
     * 0024's 1.1, with a sane length; the payload itself is not looked at. A conversation in
     * the middle of its application data (its handshake before the capture began) is TLS by
     * this too. */
    if (cur_left(c) < TLS_HDR_LEN)
        return false;
    uint8_t type = cur_peek_u8(c, 0);
    uint16_t version = (uint16_t)(cur_peek_u8(c, 1) << 8 | cur_peek_u8(c, 2));
    uint16_t len = (uint16_t)(cur_peek_u8(c, 3) << 8 | cur_peek_u8(c, 4));
    if (type != TLS_CT_HANDSHAKE && type != TLS_CT_APPLICATION_DATA)
        return false;
    if (version != 0x0300 && version != 0x0301 && version != 0x0302 && version != 0x0303 &&
        version != 0x0101)
        return false;
    return len > 0 && len < 16384 + 2048;
}

/* A cursor over the next n bytes of c. A length that runs past an enclosing block that was
 * itself whole is damage; inside a block cut by the end of the payload it is not. */
static struct cursor tls_sub(struct dissection *d, struct cursor *c, size_t n, bool outer_short,
                             bool *is_short)
{
    size_t at = c->off;
    struct cursor s = cur_sub(c, n, is_short);
    if (*is_short && !outer_short)
        dis_damage(d, LAYER_MALFORMED, ANOM_TLS_BAD_LENGTH, at);
    *is_short = *is_short || outer_short;
    return s;
}

/* ---- X.509: the issuer's and subject's names (RFC 5280 4.1, X.520 2.5.4) ---------------- */

/* Reads a DER tag and definite length (up to 3 length bytes); false when they are not there. */
static bool der_hdr(struct cursor *c, uint8_t *tag, size_t *len)
{
    *tag = cur_u8(c);
    uint8_t l = cur_u8(c);
    if (c->truncated || (*tag & 0x1f) == 0x1f)
        return false;
    if (l < 0x80) {
        *len = l;
        return true;
    }
    unsigned n = l & 0x7f;
    if (n == 0 || n > 3)
        return false;
    size_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v = (v << 8) | cur_u8(c);
    *len = v;
    return !c->truncated;
}

/* Enters the element at c when its tag is `want`: *in covers its contents, c moves past it. */
static bool der_enter(struct cursor *c, uint8_t want, struct cursor *in)
{
    uint8_t tag;
    size_t len;
    if (!der_hdr(c, &tag, &len) || tag != want)
        return false;
    *in = cur_sub(c, len, NULL);
    return true;
}

static bool der_skip(struct cursor *c)
{
    uint8_t tag;
    size_t len;
    return der_hdr(c, &tag, &len) && cur_skip(c, len);
}

/* Whether an attribute of the X.520 arc 2.5.4 (id-at) has the DirectoryString syntax, whose
 * values Wireshark's x509sat shows by string type (x509sat.uTF8String, .printableString):
 * commonName, surname, locality, state, street, organization, unit, title, description,
 * businessCategory, postalCode, postOfficeBox, name, givenName, initials, generationQualifier,
 * pseudonym. countryName (6) and serialNumber (5), also printable strings, have fields of their
 * own there, so they are not among them. */
static bool x520_directory_string(uint8_t at)
{
    static const uint8_t directory_string_attrs[] = {3,  4,  7,  8,  9,  10, 11, 12, 13,
                                                     15, 17, 18, 41, 42, 43, 44, 65};
    return memchr(directory_string_attrs, at, sizeof(directory_string_attrs)) != NULL;
}

/* A Name (RDNSequence): heading field `id`, then the value of each attribute in it whose syntax
 * is a DirectoryString, in order (the commonName among them). */
static void x509_name(struct dissection *d, struct cursor *c, enum field_id id)
{
    static const uint8_t id_at[] = {0x55, 0x04}; /* 2.5.4 */
    struct cursor from = *c;                     /* at the Name's first byte */
    struct cursor name;
    if (!der_enter(c, 0x30, &name))
        return;
    /* The heading covers the element der_enter moved c past: its header and its contents. */
    struct cursor whole = cur_sub(&from, c->off - from.off, NULL);
    dis_field_rest(d, &whole, id, 0);
    for (unsigned i = 0; i < X509_MAX_RDNS && cur_left(&name) > 0; i++) {
        struct cursor rdn, atv, oid;
        if (!der_enter(&name, 0x31, &rdn))
            return;
        while (cur_left(&rdn) > 0 && der_enter(&rdn, 0x30, &atv)) {
            if (!der_enter(&atv, 0x06, &oid))
                break;
            const uint8_t *o = cur_bytes(&oid, cur_left(&oid));
            if (!o || oid.off - oid.start != sizeof(id_at) + 1 || o[0] != id_at[0] ||
                o[1] != id_at[1] || !x520_directory_string(o[2]))
                continue;
            uint8_t tag;
            size_t len;
            if (!der_hdr(&atv, &tag, &len))
                break;
            struct cursor v = cur_sub(&atv, len, NULL);
            if (tag == 0x0c)
                dis_field_string(d, &v, FID_X509SAT_UTF8STRING, cur_left(&v));
            else if (tag == 0x13)
                dis_field_string(d, &v, FID_X509SAT_PRINTABLESTRING, cur_left(&v));
        }
    }
}

/* Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber,
 * signature, issuer, validity, subject, ... }, ... } */
static void x509_names(struct dissection *d, struct cursor c)
{
    struct cursor cert, tbs;
    if (!der_enter(&c, 0x30, &cert) || !der_enter(&cert, 0x30, &tbs))
        return;
    if (cur_peek_u8(&tbs, 0) == 0xa0 && !der_skip(&tbs))
        return;
    if (!der_skip(&tbs) || !der_skip(&tbs)) /* serialNumber, signature */
        return;
    x509_name(d, &tbs, FID_X509AF_ISSUER);
    if (!der_skip(&tbs)) /* validity */
        return;
    x509_name(d, &tbs, FID_X509AF_SUBJECT);
}

/* ---- handshake messages ------------------------------------------------------------------ */

static void ext_server_name(struct dissection *d, struct cursor *e, bool outer_short)
{
    if (cur_left(e) == 0)
        return; /* a server's acknowledgement is empty (RFC 6066 3) */
    uint16_t n = dis_field_be16(d, e, FID_TLS_HANDSHAKE_EXTENSIONS_SERVER_NAME_LIST_LEN);
    bool sh;
    struct cursor l = tls_sub(d, e, n, outer_short || e->truncated, &sh);
    while (cur_left(&l) > 0 && !l.truncated) {
        dis_field_u8(d, &l, FID_TLS_HANDSHAKE_EXTENSIONS_SERVER_NAME_TYPE);
        uint16_t len = dis_field_be16(d, &l, FID_TLS_HANDSHAKE_EXTENSIONS_SERVER_NAME_LEN);
        if (l.truncated)
            break;
        bool nsh;
        struct cursor s = tls_sub(d, &l, len, sh, &nsh);
        dis_field_string(d, &s, FID_TLS_HANDSHAKE_EXTENSIONS_SERVER_NAME, cur_left(&s));
    }
}

static void ext_alpn(struct dissection *d, struct cursor *e, bool outer_short)
{
    uint16_t n = dis_field_be16(d, e, FID_TLS_HANDSHAKE_EXTENSIONS_ALPN_LEN);
    bool sh;
    struct cursor l = tls_sub(d, e, n, outer_short || e->truncated, &sh);
    while (cur_left(&l) > 0 && !l.truncated) {
        uint8_t len = dis_field_u8(d, &l, FID_TLS_HANDSHAKE_EXTENSIONS_ALPN_STR_LEN);
        if (l.truncated)
            break;
        bool nsh;
        struct cursor s = tls_sub(d, &l, len, sh, &nsh);
        dis_field_string(d, &s, FID_TLS_HANDSHAKE_EXTENSIONS_ALPN_STR, cur_left(&s));
    }
}

static void ext_supported_versions(struct dissection *d, struct cursor *e, bool outer_short,
                                   uint8_t hs_type, struct tls_state *st)
{
    if (hs_type != TLS_HS_CLIENT_HELLO) {
        /* ServerHello, HelloRetryRequest: the one version chosen (RFC 8446 4.2.1). */
        uint16_t v = dis_field_be16(d, e, FID_TLS_HANDSHAKE_EXTENSIONS_SUPPORTED_VERSION);
        if (!e->truncated && hs_type == TLS_HS_SERVER_HELLO)
            st->version = v;
        return;
    }
    uint8_t n = dis_field_u8(d, e, FID_TLS_HANDSHAKE_EXTENSIONS_SUPPORTED_VERSIONS_LEN);
    bool sh;
    struct cursor l = tls_sub(d, e, n, outer_short || e->truncated, &sh);
    while (cur_left(&l) >= 2)
        dis_field_be16(d, &l, FID_TLS_HANDSHAKE_EXTENSIONS_SUPPORTED_VERSION);
}

static void hello_extensions(struct dissection *d, struct cursor *b, bool outer_short,
                             uint8_t hs_type, struct tls_state *st)
{
    if (cur_left(b) == 0)
        return; /* no extensions (allowed before TLS 1.3) */
    uint16_t n = dis_field_be16(d, b, FID_TLS_HANDSHAKE_EXTENSIONS_LENGTH);
    bool sh;
    struct cursor x = tls_sub(d, b, n, outer_short || b->truncated, &sh);
    while (cur_left(&x) > 0 && !x.truncated) {
        uint16_t type = dis_field_be16(d, &x, FID_TLS_HANDSHAKE_EXTENSION_TYPE);
        uint16_t len = dis_field_be16(d, &x, FID_TLS_HANDSHAKE_EXTENSION_LEN);
        if (x.truncated)
            break;
        bool esh;
        struct cursor e = tls_sub(d, &x, len, sh, &esh);
        switch (type) {
        case TLS_EXT_SERVER_NAME:
            ext_server_name(d, &e, esh);
            break;
        case TLS_EXT_ALPN:
            ext_alpn(d, &e, esh);
            break;
        case TLS_EXT_SUPPORTED_VERSIONS:
            ext_supported_versions(d, &e, esh, hs_type, st);
            break;
        default:
            break;
        }
    }
}

/* ClientHello (RFC 8446 4.1.2, RFC 5246 7.4.1.2) and ServerHello (4.1.3, 7.4.1.3). */
static void hs_hello(struct dissection *d, struct cursor *b, bool sh, uint8_t hs_type,
                     struct tls_state *st)
{
    bool client = hs_type == TLS_HS_CLIENT_HELLO;
    dis_field_be16(d, b, FID_TLS_HANDSHAKE_VERSION);
    dis_field_skip(d, b, FID_TLS_HANDSHAKE_RANDOM, 32);
    uint8_t sid = dis_field_u8(d, b, FID_TLS_HANDSHAKE_SESSION_ID_LENGTH);
    if (sid > 0 && cur_left(b) > 0) {
        bool s;
        struct cursor id = tls_sub(d, b, sid, sh, &s);
        dis_field_rest(d, &id, FID_TLS_HANDSHAKE_SESSION_ID, 0);
    }
    if (b->truncated)
        return;
    if (client) {
        uint16_t n = dis_field_be16(d, b, FID_TLS_HANDSHAKE_CIPHER_SUITES_LENGTH);
        if (b->truncated)
            return;
        bool s;
        struct cursor cs = tls_sub(d, b, n, sh, &s);
        dis_field_rest(d, &cs, FID_TLS_HANDSHAKE_CIPHERSUITES, 0);
        while (cur_left(&cs) >= 2)
            dis_field_be16(d, &cs, FID_TLS_HANDSHAKE_CIPHERSUITE);
        uint8_t m = dis_field_u8(d, b, FID_TLS_HANDSHAKE_COMP_METHODS_LENGTH);
        if (b->truncated)
            return;
        struct cursor cm = tls_sub(d, b, m, sh, &s);
        dis_field_rest(d, &cm, FID_TLS_HANDSHAKE_COMP_METHODS, 0);
        while (cur_left(&cm) >= 1)
            dis_field_u8(d, &cm, FID_TLS_HANDSHAKE_COMP_METHOD);
    } else {
        dis_field_be16(d, b, FID_TLS_HANDSHAKE_CIPHERSUITE);
        dis_field_u8(d, b, FID_TLS_HANDSHAKE_COMP_METHOD);
    }
    if (!b->truncated)
        hello_extensions(d, b, sh, hs_type, st);
}

/* Certificate up to TLS 1.2 (RFC 5246 7.4.2): a 3-byte length, then each DER certificate after
 * its own 3-byte length. */
static void hs_certificate(struct dissection *d, struct cursor *b, bool sh)
{
    uint32_t n;
    dis_field_word(d, b, FID_TLS_HANDSHAKE_CERTIFICATES_LENGTH, 3, &n);
    if (b->truncated)
        return;
    bool lsh;
    struct cursor l = tls_sub(d, b, n, sh, &lsh);
    while (cur_left(&l) > 0 && !l.truncated) {
        uint32_t len;
        dis_field_word(d, &l, FID_TLS_HANDSHAKE_CERTIFICATE_LENGTH, 3, &len);
        if (l.truncated)
            break;
        bool csh;
        struct cursor cert = tls_sub(d, &l, len, lsh, &csh);
        if (cur_left(&cert) == 0)
            continue;
        dis_field_rest(d, &cert, FID_TLS_HANDSHAKE_CERTIFICATE, 0);
        x509_names(d, cert);
    }
}

static bool hs_type_known(uint8_t t)
{
    return field_value_name(FID_TLS_HANDSHAKE_TYPE, t) != NULL;
}

/* Whether the handshake record over `r` (`declared` bytes long) is encrypted, decided without
 * keys as Wireshark decides it (packet-tls.c is_encrypted_handshake_message): a record shorter
 * than the least that encryption adds (16 bytes of MAC, or of AEAD nonce and tag) is plaintext;
 * one that starts with five zero bytes is an AEAD record whose explicit nonce is the sequence
 * number (no handshake message of type 0 and length 0 is followed by another of type 0); one
 * that follows a ChangeCipherSpec this direction sent in an earlier frame is encrypted; else
 * it is encrypted when its first bytes make no sense as a message (an unknown type, or a
 * length of 64 KB or more). A Finished in the frame of its ChangeCipherSpec is thus known only
 * by its nonce or its bytes, as in Wireshark. */
static bool hs_record_encrypted(struct dissection *d, const struct cursor *r, size_t declared)
{
    if (declared < 16 || cur_left(r) < 4)
        return false;
    if (cur_left(r) >= 5 && cur_peek_u8(r, 0) == 0 && cur_peek_be16(r, 1) == 0 &&
        cur_peek_be16(r, 3) == 0)
        return true;
    if (reasm_tcp_tls_cipher_changed(d)) {
        d->flags |= DIS_REASSEMBLED; /* read so because of an earlier frame */
        return true;
    }
    uint32_t mlen = ((uint32_t)cur_peek_u8(r, 1) << 16) | (uint32_t)cur_peek_be16(r, 2);
    return !hs_type_known(cur_peek_u8(r, 0)) || mlen >= 0x10000;
}

/* One handshake message at r, `mlen` bytes after its 4-byte header, captured as far as r goes
 * (`cut`: the record is cut by the end of the payload, not damaged). */
static void hs_message(struct dissection *d, struct cursor *r, size_t mlen, bool cut,
                       struct tls_state *st)
{
    /* The message as far as it was captured: a window over it, taken from a copy of r. */
    struct cursor rest = *r;
    struct cursor msg = cur_sub(&rest, 4 + mlen, NULL);
    dis_field_rest(d, &msg, FID_TLS_HANDSHAKE, TLS_HS_WHOLE);
    uint8_t type = dis_field_u8(d, r, FID_TLS_HANDSHAKE_TYPE);
    if (!cur_has(r, 3)) {
        r->off = r->end;
        return; /* cut inside the message header */
    }
    dis_field_word(d, r, FID_TLS_HANDSHAKE_LENGTH, 3, NULL);
    bool sh;
    struct cursor b = cur_sub(r, mlen, &sh);
    sh = sh && cut;
    switch (type) {
    case TLS_HS_CLIENT_HELLO:
    case TLS_HS_SERVER_HELLO:
        hs_hello(d, &b, sh, type, st);
        break;
    case TLS_HS_CERTIFICATE:
        if (st->version != TLS_VERSION_1_3)
            hs_certificate(d, &b, sh);
        break;
    default:
        break;
    }
}

/* The rest of the record, r, starts a message longer than the record: a fragment, named in the
 * Info column when it is the record's `first` message. Its bytes wait for the records that
 * complete it, unless the record was not all captured (`cut`: its end is unknown, and with it
 * where the next fragment's bytes fit) or there is no reassembly. */
static void hs_fragment_start(struct dissection *d, struct cursor *r, bool first, bool cut)
{
    uint8_t type = cur_peek_u8(r, 0);
    reasm_tcp_tls_hs_end(d);
    if (!cut)
        (void)reasm_tcp_tls_hs_add(d, r->base + r->off, cur_left(r));
    dis_field_rest(d, r, FID_TLS_HANDSHAKE,
                   (uint64_t)(first ? TLS_HS_FIRST_FRAGMENT : TLS_HS_FRAGMENT) + type);
    r->off = r->end;
}

/*
 * A record of the direction whose handshake message is in progress (reasm_tcp_tls_hs): as much
 * of it as the message lacks is the message's next fragment (Wireshark's step 1 and 2 of
 * dissect_tls_handshake). True when the record was all fragment; false to read on from r->off:
 * after the message, now complete and dissected over the reassembled bytes (`*first` cleared),
 * or the whole record when no message was in progress or the record was not all captured (the
 * message is then let go, as Wireshark stops its reassembly).
 */
static bool hs_continue(struct dissection *d, struct cursor *r, size_t declared,
                        struct tls_state *st, bool *first)
{
    const struct reasm_tls_hs *h = reasm_tcp_tls_hs(d);
    if (!h)
        return false;
    /* The message's length, from its header: held bytes first, then the record's. */
    uint8_t hdr[4];
    size_t nh = 0;
    for (; nh < 4 && nh < h->len; nh++)
        hdr[nh] = h->buf[nh];
    for (size_t i = 0; nh < 4 && i < cur_left(r); i++)
        hdr[nh++] = cur_peek_u8(r, i);
    size_t take = declared;
    size_t msg_len = 0;
    if (nh == 4) {
        msg_len = 4 + (((size_t)hdr[1] << 16) | ((size_t)hdr[2] << 8) | hdr[3]);
        if (take > msg_len - h->len)
            take = msg_len - h->len;
    }
    if (cur_left(r) < take) {
        reasm_tcp_tls_hs_end(d);
        return false;
    }
    d->flags |= DIS_REASSEMBLED; /* read so because of what an earlier record held */
    bool last = msg_len && h->len + take == msg_len;
    struct cursor piece = cur_sub(r, take, NULL);
    dis_field_rest(d, &piece, FID_TLS_HANDSHAKE,
                   (uint64_t)(last ? TLS_HS_LAST_FRAGMENT : TLS_HS_FRAGMENT) + h->buf[0]);
    /* (Past REASM_TLS_HS_MAX or the memory cap the message is let go; the fragment is still
     * shown as one, and what follows it in the record is read on.) */
    bool added = reasm_tcp_tls_hs_add(d, piece.base + piece.start, take);
    if (!last) {
        r->off = r->end;
        return true;
    }
    *first = false;
    if (!added)
        return false;
    h = reasm_tcp_tls_hs(d);
    size_t at = reasm_append(d->reasm, d, h->buf, h->len, NULL, 0);
    if (at == SIZE_MAX) {
        reasm_tcp_tls_hs_end(d); /* no room left in the frame: the fragment only */
        return false;
    }
    struct cursor whole;
    cur_init(&whole, d->data, d->data_len);
    whole.start = whole.off = at;
    whole.end = at + h->len;
    dis_field_rest(d, &whole, FID_TLS_HANDSHAKE_FRAGMENTS, 0);
    uint32_t listed = h->nfrags < REASM_TLS_HS_LISTED ? h->nfrags : REASM_TLS_HS_LISTED;
    for (uint32_t i = 0; i < listed; i++)
        dis_field_mark(d, &whole, FID_TLS_HANDSHAKE_FRAGMENT, h->frames[i]);
    dis_field_mark(d, &whole, FID_TLS_HANDSHAKE_FRAGMENT_COUNT, h->nfrags);
    reasm_tcp_tls_hs_end(d);
    if (hs_type_known(cur_peek_u8(&whole, 0)))
        hs_message(d, &whole, msg_len - 4, false, st);
    else
        dis_field_rest(d, &whole, FID_TLS_HANDSHAKE, TLS_HS_ENCRYPTED); /* Wireshark's name */
    return false;
}

/* The handshake messages of one record (`r` over its body, `declared` its length), as Wireshark
 * 4.0 reads them: first the rest of a message that earlier records began (hs_continue); else
 * an encrypted record (hs_record_encrypted) is marked as such whole. A message longer than the
 * rest of the record is a fragment (hs_fragment_start); one of an unknown type is marked
 * encrypted when it comes first in the record and skipped when it does not, as Wireshark skips
 * it. */
static void tls_handshake(struct dissection *d, struct cursor *r, size_t declared, bool cut,
                          struct tls_state *st)
{
    bool first = true;
    if (hs_continue(d, r, declared, st, &first))
        return;
    if (first && hs_record_encrypted(d, r, declared)) {
        dis_field_rest(d, r, FID_TLS_HANDSHAKE, TLS_HS_ENCRYPTED);
        r->off = r->end;
        return;
    }
    size_t body_end = r->start + declared; /* where the record ends, captured or not */
    while (cur_left(r) > 0) {
        size_t at = r->off;
        size_t in_record = body_end - at;
        uint8_t type = cur_peek_u8(r, 0);
        uint32_t mlen = 0;
        if (cur_left(r) >= 4)
            mlen = ((uint32_t)cur_peek_u8(r, 1) << 16) | (uint32_t)cur_peek_be16(r, 2);
        /* (A header cut by the end of the capture is read as far as it goes.) */
        if (in_record < 4 || (cur_left(r) >= 4 && 4 + (size_t)mlen > in_record)) {
            hs_fragment_start(d, r, first, cut || cur_left(r) < in_record);
            return;
        }
        bool known = hs_type_known(type);
        if (first && !known) {
            dis_field_rest(d, r, FID_TLS_HANDSHAKE, TLS_HS_ENCRYPTED);
            r->off = r->end;
            return;
        }
        first = false;
        if (!known) {
            if (!cur_has(r, 4 + (size_t)mlen)) {
                r->off = r->end;
                return;
            }
            r->off += 4 + (size_t)mlen;
            continue;
        }
        hs_message(d, r, mlen, cut, st);
    }
}

/* Records that tell the conversation's version (packet-tls-utils.c
 * ssl_is_authoritative_version_message): all but a ClientHello or HelloVerifyRequest. */
static bool tls_version_authoritative(uint8_t ct, uint8_t hs_type)
{
    if (ct == TLS_CT_HANDSHAKE)
        return hs_type != TLS_HS_CLIENT_HELLO && hs_type != TLS_HS_HELLO_VERIFY_REQUEST;
    return ct == TLS_CT_CHANGE_CIPHER_SPEC || ct == TLS_CT_ALERT || ct == TLS_CT_APPLICATION_DATA;
}

/* One record at c; false when the bytes there do not start one (then they were consumed as
 * continuation data). */
static void tls_record(struct dissection *d, struct cursor *c, struct tls_state *st)
{
    size_t start = c->off;
    if (!tls_header_ok(c)) {
        dis_field_rest(d, c, FID_TLS_CONTINUATION, 0);
        c->off = c->end;
        return;
    }
    struct field *rec = dis_field_rest(d, c, FID_TLS_RECORD, 0);
    /* Once the payload has said TLS 1.3, application_data is TLSCiphertext's opaque_type. */
    uint8_t ct =
        dis_field_u8(d, c,
                     st->version == TLS_VERSION_1_3 && cur_peek_u8(c, 0) == TLS_CT_APPLICATION_DATA
                         ? FID_TLS_RECORD_OPAQUE_TYPE
                         : FID_TLS_RECORD_CONTENT_TYPE);
    uint16_t version = dis_field_be16(d, c, FID_TLS_RECORD_VERSION);
    size_t len_at = c->off;
    uint16_t len = dis_field_be16(d, c, FID_TLS_RECORD_LENGTH);
    if (c->truncated) {
        if (rec)
            rec->value = 1; /* cut */
        c->off = c->end;
        return;
    }
    if (len > TLS_MAX_RECORD)
        dis_damage(d, LAYER_MALFORMED, ANOM_TLS_BAD_RECORD_LENGTH, len_at);
    bool cut;
    struct cursor r = cur_sub(c, len, &cut);
    if (rec) {
        rec->len = (uint16_t)(r.end - start);
        rec->value = cut;
    }
    if (st->version == 0 && tls_version_authoritative(ct, cur_peek_u8(&r, 0)))
        st->version = version;
    d->sum.app_version = st->version ? st->version : version;
    switch (ct) {
    case TLS_CT_CHANGE_CIPHER_SPEC:
        dis_field_rest(d, &r, FID_TLS_CHANGE_CIPHER_SPEC, 0);
        reasm_tcp_tls_note_ccs(d);
        break;
    case TLS_CT_ALERT:
        if (len == 2 && cur_left(&r) == 2) {
            dis_field_rest(d, &r, FID_TLS_ALERT_MESSAGE, 0);
            dis_field_u8(d, &r, FID_TLS_ALERT_MESSAGE_LEVEL);
            dis_field_u8(d, &r, FID_TLS_ALERT_MESSAGE_DESC);
        } else {
            dis_field_rest(d, &r, FID_TLS_ALERT_MESSAGE, 1); /* encrypted */
        }
        break;
    case TLS_CT_HANDSHAKE:
        tls_handshake(d, &r, len, cut, st);
        break;
    case TLS_CT_APPLICATION_DATA:
        if (cur_left(&r) > 0)
            dis_field_rest(d, &r, FID_TLS_APP_DATA, 0);
        break;
    default:
        break;
    }
    /* The version may have changed inside (a ServerHello's supported_versions). */
    if (st->version) {
        d->sum.app_version = st->version;
        d->sum.app_version_sure = true;
    }
}

bool dissect_tls(struct dissection *d, struct cursor *c, bool over_tcp)
{
    if (!over_tcp)
        return false; /* DTLS is another protocol */
    size_t start = c->off;
    if (dis_layer_begin(d, PROTO_TLS, c) < 0)
        return true;
    dis_protocols_add(d, "tls");
    d->sum.app_proto = PROTO_TLS;
    struct tls_state st = {0};
    /* A conversation that settled on TLS 1.3 earlier reads its records by it, as Wireshark's
     * session does; on its own the packet would not know, so the frame is marked as read
     * differently because of the reassembler's state. */
    uint16_t conv_version = reasm_tcp_tls_version(d);
    if (conv_version == TLS_VERSION_1_3) {
        st.version = conv_version;
        d->flags |= DIS_REASSEMBLED;
    }
    /* Each record advances c by at least its 5-byte header, or consumes the rest. */
    while (cur_left(c) > 0 && !c->truncated)
        tls_record(d, c, &st);
    if (st.version == TLS_VERSION_1_3 && conv_version != TLS_VERSION_1_3)
        reasm_tcp_set_tls_version(d, st.version);
    if (d->sum.payload_len > d->sum.payload_caplen)
        dis_layer_status(d, LAYER_TRUNCATED);
    dis_layer_end(d, start, c->end);
    c->off = c->end;
    return true;
}
