/*
 * The frame dissector's entry point, the model's bookkeeping and the tables of protocols,
 * fields and anomalies.
 */
#include "dissect/internal.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const struct proto_info proto_table[] = {
#define PROTO(id, filter_name, short_name, long_name, osi)                                         \
    {filter_name, long_name, osi, short_name},
#include "dissect/protos.def"
#undef PROTO
};

const struct proto_info *proto_info(enum proto_id id)
{
    return &proto_table[(unsigned)id < PROTO__COUNT ? id : PROTO_NONE];
}

enum proto_id proto_by_name(const char *name)
{
    for (unsigned i = 1; i < PROTO__COUNT; i++)
        if (proto_table[i].short_name[0] && strcmp(proto_table[i].short_name, name) == 0)
            return (enum proto_id)i;
    return PROTO_NONE;
}

/* The length of a field's name, as a constant: 0 for the few without one (NULL). */
#define FIELD_NAME_LEN(name) ((uint8_t)((name) ? __builtin_strlen((name) ? (name) : "") : 0))

const struct field_def dis_field_table[FID__COUNT] = {
#define FIELD(id, name, label, type, indent) {name, label, type, indent, FIELD_NAME_LEN(name)},
#include "dissect/fields_all.def"
#undef FIELD
};

const struct field_def dis_field_unknown = {NULL, "?", FT_NONE, 0, 0};

int field_by_name(const char *name)
{
    for (unsigned i = 0; i < FID__COUNT; i++)
        if (dis_field_table[i].name && strcmp(dis_field_table[i].name, name) == 0)
            return (int)i;
    return -1;
}

unsigned field_proto(unsigned id)
{
    const char *name = field_def(id)->name;
    if (!name)
        return PROTO_NONE;
    if (strncmp(name, "pktscope.", 9) == 0)
        name += 9;
    unsigned best = PROTO_NONE;
    size_t best_len = 0;
    for (unsigned i = 1; i < PROTO__COUNT; i++) {
        const char *p = proto_table[i].short_name;
        size_t n = strlen(p);
        if (n > best_len && strncmp(name, p, n) == 0 && name[n] == '.') {
            best = i;
            best_len = n;
        }
    }
    return best;
}

const char *field_type_name(unsigned type)
{
    static const char *const names[FT__COUNT] = {
        [FT_NONE] = "FT_NONE",         [FT_UINT] = "FT_UINT",          [FT_HEX] = "FT_UINT",
        [FT_BOOL] = "FT_BOOLEAN",      [FT_MAC] = "FT_ETHER",          [FT_IPV4] = "FT_IPv4",
        [FT_IPV6] = "FT_IPv6",         [FT_BYTES] = "FT_BYTES",        [FT_STRING] = "FT_STRING",
        [FT_INT] = "FT_INT",           [FT_TIME] = "FT_ABSOLUTE_TIME", [FT_FLOAT] = "FT_DOUBLE",
        [FT_PROTOCOL] = "FT_PROTOCOL",
    };
    return type < FT__COUNT ? names[type] : "FT_NONE";
}

const char *field_type_display(unsigned type)
{
    switch (type) {
    case FT_UINT:
    case FT_INT:
        return "BASE_DEC";
    case FT_HEX:
        return "BASE_HEX";
    default:
        return "BASE_NONE";
    }
}

static const struct {
    const char *name;
    const char *text;
} anomaly_table[] = {
#define ANOMALY(id, name, text) {name, text},
#include "dissect/anomalies.def"
#undef ANOMALY
};

const char *anomaly_name(enum anomaly_id id)
{
    return (unsigned)id < ANOM__COUNT ? anomaly_table[id].name : "unknown";
}

const char *anomaly_text(enum anomaly_id id)
{
    return (unsigned)id < ANOM__COUNT ? anomaly_table[id].text : "unknown anomaly";
}

bool anomaly_is_note(enum anomaly_id id)
{
    return id == ANOM_TCP_CHECKSUM_OFFLOAD || id == ANOM_UDP_CHECKSUM_OFFLOAD;
}

void dis_overflow(struct dissection *d)
{
    if (d->flags & DIS_OVERFLOW)
        return;
    d->flags |= DIS_OVERFLOW;
    if (d->nanomalies < DIS_MAX_ANOMALIES) {
        struct anomaly *a = &d->anomalies[d->nanomalies++];
        a->id = ANOM_DISSECT_OVERFLOW;
        a->layer = d->nlayers ? (uint16_t)(d->nlayers - 1) : 0;
        a->offset = 0;
    }
}

int dis_layer_begin(struct dissection *d, enum proto_id proto, const struct cursor *c)
{
    if (d->nlayers >= DIS_MAX_LAYERS) {
        dis_overflow(d);
        return -1;
    }
    struct layer *l = &d->layers[d->nlayers];
    l->proto = (uint16_t)proto;
    l->status = LAYER_OK;
    l->reserved = 0;
    d->unrecording = !d->headerless || !dis_layer_unrecorded(proto) ? DIS_RECORDING
                     : d->kept_fields                               ? DIS_KEEPING
                                                                    : DIS_UNRECORDING;
    l->offset = (uint32_t)c->off;
    l->len = (uint32_t)(c->end - c->off);
    l->hdr_len = 0;
    l->first_field = d->nfields;
    l->nfields = 0;
    return d->nlayers++;
}

struct layer *dis_cur_layer(struct dissection *d)
{
    return d->nlayers ? &d->layers[d->nlayers - 1] : NULL;
}

void dis_layer_end(struct dissection *d, size_t hdr_end, size_t layer_end)
{
    struct layer *l = dis_cur_layer(d);
    if (!l)
        return;
    if (layer_end > d->data_len)
        layer_end = d->data_len;
    if (hdr_end > layer_end)
        hdr_end = layer_end;
    if (hdr_end < l->offset)
        hdr_end = l->offset;
    if (layer_end < l->offset)
        layer_end = l->offset;
    l->hdr_len = (uint32_t)(hdr_end - l->offset);
    l->len = (uint32_t)(layer_end - l->offset);
}

void dis_layer_status(struct dissection *d, enum layer_status st)
{
    struct layer *l = dis_cur_layer(d);
    if (l && st > l->status)
        l->status = (uint8_t)st;
}

struct field *dis_field_str(struct dissection *d, enum field_id id, size_t offset, size_t len,
                            const char *s, size_t n)
{
    if (n > 0xffff)
        n = 0xffff;
    if (n > (size_t)(DIS_TEXT_SIZE - d->text_len)) {
        dis_overflow(d);
        n = (size_t)(DIS_TEXT_SIZE - d->text_len);
    }
    struct field *f = dis_field(d, id, offset, len, 0);
    if (!f)
        return NULL;
    memcpy(d->text + d->text_len, s, n);
    f->value = ((uint64_t)d->text_len << 16) | n;
    d->text_len = (uint16_t)(d->text_len + n);
    return f;
}

struct field *dis_field_string(struct dissection *d, struct cursor *c, enum field_id id, size_t n)
{
    size_t at = c->off;
    const uint8_t *p = cur_bytes(c, n);
    return p ? dis_field_str(d, id, at, n, (const char *)p, n) : NULL;
}

struct field *dis_field_string_rest(struct dissection *d, const struct cursor *w, enum field_id id,
                                    size_t text_len)
{
    size_t n = cur_left(w);
    const uint8_t *p = cur_peek_bytes(w, 0, n);
    if (!p)
        return NULL;
    if (text_len > n)
        text_len = n;
    return dis_field_str(d, id, w->off, n, (const char *)p, text_len);
}

struct field *dis_field_string_as(struct dissection *d, const struct cursor *w, enum field_id id,
                                  const char *s, size_t n)
{
    return dis_field_str(d, id, w->off, cur_left(w), s, n);
}

void dis_anomaly(struct dissection *d, enum anomaly_id id, size_t offset)
{
    if (d->nanomalies >= DIS_MAX_ANOMALIES) {
        d->flags |= DIS_OVERFLOW;
        return;
    }
    struct anomaly *a = &d->anomalies[d->nanomalies++];
    a->id = (uint16_t)id;
    a->layer = d->nlayers ? (uint16_t)(d->nlayers - 1) : 0;
    a->offset = (uint32_t)(offset > d->data_len ? d->data_len : offset);
}

void dis_damage(struct dissection *d, enum layer_status st, enum anomaly_id id, size_t at)
{
    dis_layer_status(d, st);
    dis_anomaly(d, id, at);
}

void dis_bail(struct dissection *d, struct cursor *c, enum layer_status st, enum anomaly_id id,
              size_t at)
{
    dis_damage(d, st, id, at);
    dis_layer_end(d, c->end, c->end);
    c->off = c->end;
}

const struct field *dis_find(const struct dissection *d, enum field_id id)
{
    for (unsigned i = 0; i < d->nfields; i++)
        if (d->fields[i].id == id)
            return &d->fields[i];
    return NULL;
}

const struct field *dis_server_name(const struct dissection *d)
{
    const struct field *f = dis_find(d, FID_TLS_HANDSHAKE_EXTENSIONS_SERVER_NAME);
    return f ? f : dis_find(d, FID_HTTP_HOST);
}

const struct layer *dis_find_layer(const struct dissection *d, enum proto_id proto)
{
    for (unsigned i = 0; i < d->nlayers; i++)
        if (d->layers[i].proto == proto)
            return &d->layers[i];
    return NULL;
}

const uint8_t *dis_field_bytes(const struct dissection *d, const struct field *f, size_t n)
{
    struct cursor c;
    cur_init(&c, d->data, d->data_len);
    if (!cur_seek(&c, f->offset))
        return NULL;
    return cur_bytes(&c, n);
}

bool dis_field_mac(const struct dissection *d, const struct field *f, uint8_t out[6])
{
    if (f->len == 0) { /* a late field: the 6 bytes in its value, big-endian */
        for (int i = 0; i < 6; i++)
            out[i] = (uint8_t)(f->value >> (40 - 8 * i));
        return true;
    }
    const uint8_t *p = f->len == 6 ? dis_field_bytes(d, f, 6) : NULL;
    if (p)
        memcpy(out, p, 6);
    return p != NULL;
}

const char *dis_field_text(const struct dissection *d, const struct field *f, size_t *len)
{
    size_t off = (size_t)(f->value >> 16) & 0xffff;
    size_t n = (size_t)(f->value & 0xffff);
    if (off > DIS_TEXT_SIZE || n > DIS_TEXT_SIZE - off)
        n = 0, off = 0;
    *len = n;
    return d->text + off;
}

enum layer_status dis_worst_status(const struct dissection *d)
{
    enum layer_status worst = LAYER_OK;
    for (unsigned i = 0; i < d->nlayers; i++)
        if (d->layers[i].status > worst)
            worst = (enum layer_status)d->layers[i].status;
    return worst;
}

void dis_field_long(const struct dissection *d, struct field *f, size_t len)
{
    uint8_t type = field_def(f->id)->type;
    if ((type != FT_BYTES && type != FT_NONE) || f->value != 0)
        return;
    /* the captured bytes from where dis_field_place put it, before the 16-bit cut */
    size_t have = d->data_len - f->offset;
    if (len > have)
        len = have;
    if (len > UINT16_MAX)
        f->value = len;
}

size_t dis_field_size(const struct field *f)
{
    if (f->len == UINT16_MAX && f->value > UINT16_MAX) {
        uint8_t type = field_def(f->id)->type;
        if (type == FT_BYTES || type == FT_NONE)
            return (size_t)f->value;
    }
    return f->len;
}

void dissect_frame(struct dissection *d, const uint8_t *data, uint32_t caplen, uint32_t len,
                   uint32_t linktype, const struct dissect_options *opt)
{
    /* Only the header part is reset: the big arrays are written before they are read. */
    d->data = data;
    d->caplen = caplen;
    d->data_len = caplen;
    d->len = len;
    d->linktype = linktype;
    d->flags = 0;
    d->verify_checksums = opt ? opt->verify_checksums : false;
    d->lean = opt ? opt->lean : false;
    d->headerless = opt ? opt->headerless : false;
    d->kept_fields = opt ? opt->kept_fields : NULL;
    d->transport_only = opt ? opt->transport_only : false;
    d->has_time = opt && opt->has_time;
    d->ts_sec = d->has_time ? opt->ts_sec : 0;
    d->ts_nsec = d->has_time ? opt->ts_nsec : 0;
    d->verify_icmp_checksums = true;
    d->reasm = opt ? opt->reasm : NULL;
    d->open_segment = opt && !d->reasm ? opt->open_segment : NULL;
#ifdef PKTSCOPE_FUZZING
    d->verify_checksums = false;
    d->verify_icmp_checksums = false;
#endif
    d->nlayers = d->nfields = d->nanomalies = d->nunrecorded = 0;
    d->unrecording = DIS_RECORDING;
    d->text_len = 0;
    d->protocols[0] = '\0';
    d->protocols_len = 0;
    clear_small(&d->sum, sizeof(d->sum));
    d->sum.mss = -1;
    d->sum.wscale = -1;

    struct cursor c;
    cur_init(&c, data, caplen);
    dissect_link(d, &c, linktype);
    if (caplen < len)
        dis_anomaly(d, ANOM_FRAME_TRUNCATED, caplen);
}

const char *dis_difference(const struct dissection *a, const struct dissection *b)
{
    if (a->nlayers != b->nlayers ||
        memcmp(a->layers, b->layers, a->nlayers * sizeof(a->layers[0])) != 0)
        return "layers";
    if (a->nfields != b->nfields ||
        memcmp(a->fields, b->fields, a->nfields * sizeof(a->fields[0])) != 0)
        return "fields";
    if (a->nanomalies != b->nanomalies ||
        memcmp(a->anomalies, b->anomalies, a->nanomalies * sizeof(a->anomalies[0])) != 0)
        return "anomalies";
    if (a->text_len != b->text_len || memcmp(a->text, b->text, a->text_len) != 0)
        return "text";
    if (strcmp(a->protocols, b->protocols) != 0)
        return "protocols";
    if (a->caplen != b->caplen || a->len != b->len || a->data_len != b->data_len ||
        (a->flags & DIS_OVERFLOW) != (b->flags & DIS_OVERFLOW))
        return "lengths";
    if (memcmp(&a->sum, &b->sum, sizeof(a->sum)) != 0)
        return "summary";
    return NULL;
}

bool dis_field_is_detail(enum field_id id)
{
    /* Each dissector leaves these out under `if (!d->lean)` (link.c, ipv4.c, ipv6.c, tcp.c);
     * the display filter asks here whether it names one (filter/compile.c), and check_alone
     * (tests/tools) holds the two to each other on every test capture. */
    switch (id) {
    case FID_ETH_DST_OUI:
    case FID_ETH_DST_LG:
    case FID_ETH_DST_IG:
    case FID_ETH_SRC_OUI:
    case FID_ETH_SRC_LG:
    case FID_ETH_SRC_IG:
    case FID_IP_DSFIELD_DSCP:
    case FID_IP_DSFIELD_ECN:
    case FID_IP_FLAGS_RB:
    case FID_IP_FLAGS_DF:
    case FID_IP_FLAGS_MF:
    case FID_IPV6_TCLASS_DSCP:
    case FID_IPV6_TCLASS_ECN:
    case FID_TCP_FLAGS_RES:
    case FID_TCP_FLAGS_AE:
    case FID_TCP_FLAGS_CWR:
    case FID_TCP_FLAGS_ECE:
    case FID_TCP_FLAGS_URG:
    case FID_TCP_FLAGS_ACK:
    case FID_TCP_FLAGS_PUSH:
    case FID_TCP_FLAGS_RESET:
    case FID_TCP_FLAGS_SYN:
    case FID_TCP_FLAGS_FIN:
        return true;
    default:
        return false;
    }
}

bool dis_layer_unrecorded(enum proto_id proto)
{
    /* Every frame's headers; what --stats and --conns read of them is in the summary. */
    switch (proto) {
    case PROTO_ETH:
    case PROTO_ETHERTYPE:
    case PROTO_VLAN:
    case PROTO_SLL:
    case PROTO_SLL2:
    case PROTO_IPV4:
    case PROTO_IPV6:
    case PROTO_TCP:
    case PROTO_UDP:
        return true;
    default:
        return false;
    }
}

const char *dis_lean_difference(const struct dissection *full, const struct dissection *lean)
{
    if (full->flags & DIS_OVERFLOW)
        return NULL; /* the full one ran out of room, the lean one may not have: not comparable */
    struct dissection *only = xmalloc(sizeof(*only));
    dis_copy(only, full, full->data);
    /* The full dissection without its detail fields (and, headerless, the fields of the
     * layers that leaves out), each layer's range of fields recounted. */
    unsigned kept = 0;
    for (unsigned li = 0; li < only->nlayers; li++) {
        struct layer *l = &only->layers[li];
        unsigned first = kept;
        bool unrecorded = lean->headerless && dis_layer_unrecorded((enum proto_id)l->proto);
        for (unsigned i = l->first_field; i < (unsigned)l->first_field + l->nfields; i++) {
            enum field_id id = (enum field_id)full->fields[i].id;
            bool left_out = (lean->lean && dis_field_is_detail(id)) ||
                            (unrecorded && !dis_field_kept_headerless(lean, id));
            if (!left_out)
                only->fields[kept++] = full->fields[i];
        }
        l->first_field = (uint16_t)first;
        l->nfields = (uint16_t)(kept - first);
    }
    only->nfields = (uint16_t)kept;
    const char *what = dis_difference(only, lean);
    free(only);
    return what;
}

void dis_copy(struct dissection *dst, const struct dissection *src, const uint8_t *data)
{
    /* The header part, then the arrays up to their counts: most of the 13 KB is unused. */
    size_t head = offsetof(struct dissection, layers);
    memcpy(dst, src, head);
    dst->data = data;
    dst->reasm = NULL;
    dst->open_segment = NULL;
    dst->kept_fields = NULL; /* the options' (the pipeline's), read only while dissecting */
    memcpy(dst->layers, src->layers, src->nlayers * sizeof(src->layers[0]));
    memcpy(dst->fields, src->fields, src->nfields * sizeof(src->fields[0]));
    memcpy(dst->anomalies, src->anomalies, src->nanomalies * sizeof(src->anomalies[0]));
    dst->sum = src->sum;
    memcpy(dst->text, src->text, src->text_len);
    if (src->text_len < sizeof(dst->text))
        dst->text[src->text_len] = '\0';
    memcpy(dst->protocols, src->protocols, src->protocols_len); /* the length came with `head` */
    dst->protocols[src->protocols_len] = '\0';
}

bool dis_add_late_field(struct dissection *d, enum proto_id proto, enum field_id id, uint64_t value)
{
    int li = -1;
    for (int i = 0; i < d->nlayers; i++)
        if (d->layers[i].proto == proto) {
            li = i;
            break;
        }
    if (li < 0)
        return false;
    if (d->nfields >= DIS_MAX_FIELDS) {
        d->flags |= DIS_OVERFLOW;
        return false;
    }
    struct layer *l = &d->layers[li];
    unsigned at = l->nfields ? (unsigned)l->first_field + l->nfields : l->first_field;
    if (!l->nfields) {
        /* A layer without fields: its place is after the fields of the layers before it. */
        at = 0;
        for (int i = 0; i < li; i++)
            if (d->layers[i].nfields)
                at = (unsigned)d->layers[i].first_field + d->layers[i].nfields;
        l->first_field = (uint16_t)at;
    }
    memmove(&d->fields[at + 1], &d->fields[at], (d->nfields - at) * sizeof(d->fields[0]));
    d->fields[at] =
        (struct field){.value = value, .offset = l->offset, .len = 0, .id = (uint16_t)id};
    d->nfields++;
    l->nfields++;
    for (int i = 0; i < d->nlayers; i++)
        if (i != li && d->layers[i].nfields && d->layers[i].first_field >= at)
            d->layers[i].first_field++;
    return true;
}
