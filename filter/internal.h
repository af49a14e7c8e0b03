/*
 * filter internals: the compiled form of a display filter, shared by the compiler (compile.c)
 * and the evaluator (eval.c).
 *
 * A filter is an array of nodes; logic nodes name their children by index, test nodes hold two
 * operands (or an operand and a set). Every operand is typed at compile time, and every literal
 * is already parsed into that type, so evaluation only reads the packet and compares.
 */
#ifndef PKTSCOPE_FILTER_INTERNAL_H
#define PKTSCOPE_FILTER_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "filter/filter.h"

/* Value types as the filter compares them (several registry types fold into one). */
enum vtype {
    VT_NONE, /* presence only (a label such as tcp.analysis.retransmission) */
    VT_UINT,
    VT_INT,
    VT_BOOL,
    VT_IPV4,
    VT_IPV6,
    VT_MAC,
    VT_BYTES,
    VT_STRING,
    VT_TIME,
    VT_FLOAT,
    VT_PROTO, /* a protocol's bytes: compared as bytes, or as a string with a quoted literal */
};

/* One value, read from the packet or parsed from the expression. */
struct fvalue {
    uint8_t type;   /* enum vtype */
    uint8_t prefix; /* IPv4/IPv6 literals: CIDR prefix length (32/128 when none was given) */
    uint32_t len;   /* bytes at p (addresses, bytes, strings, protocols) */
    const uint8_t *p;
    union {
        uint64_t u; /* VT_UINT, VT_BOOL */
        int64_t i;  /* VT_INT */
        double f;   /* VT_FLOAT */
        struct {
            int64_t sec;
            uint32_t nsec;
        } t; /* VT_TIME */
    } n;
};

/* Where a field's values come from. */
enum fsource {
    FS_FIELD,   /* d->fields entries with one of ids[] */
    FS_PROTO,   /* the bytes of each layer whose protocol is one of protos[] ("frame": all) */
    FS_VIRTUAL, /* computed from the frame, the tracker or the notes: ids[0] says which */
};

#define FREF_MAX_IDS 4

struct fref {
    uint8_t source; /* enum fsource */
    uint8_t nids;
    uint8_t vtype;               /* enum vtype */
    bool frame;                  /* FS_PROTO "frame": the whole captured frame */
    uint16_t ids[FREF_MAX_IDS];  /* field ids, or proto ids for FS_PROTO */
    uint16_t name_off, name_len; /* where the name was in the expression (for messages) */
};

#define SLICE_MAX_RANGES 4

/* The largest slice offset or length written in a filter: past any value's length (a frame of
 * CAPTURE_MAX_PACKET, a reassembled message of up to reassembly's 8 MiB), well within an
 * int32_t. It was 65536, which left the end of tcp.reassembled.data past 64 KiB unreachable. */
#define SLICE_MAX_OFFSET (1L << 24)

/* One range of a slice: [i:j] is start i, arg j (a length); [i-j] is start i, arg j with
 * arg_is_end (inclusive); [i] is [i:1]; [i:] has to_end. Negative offsets count from the end. */
struct slice_range {
    int32_t start;
    int32_t arg;
    bool to_end;
    bool arg_is_end;
};

enum opkind {
    OPK_FIELD,
    OPK_LITERAL,
    OPK_LEN,   /* len(field): byte length of each value */
    OPK_COUNT, /* count(field): number of occurrences */
    OPK_UPPER, /* upper(field) */
    OPK_LOWER, /* lower(field) */
};

struct operand {
    uint8_t kind;  /* enum opkind */
    uint8_t vtype; /* the type of the values it yields */
    uint8_t nranges;
    bool has_mask;
    struct fref ref;
    struct slice_range ranges[SLICE_MAX_RANGES];
    uint64_t mask; /* field & mask */
    struct fvalue lit;
    /* Text of a literal until its type is known. */
    uint16_t tok_off, tok_len;
    bool lit_quoted;
    bool lit_raw;
    bool lit_char; /* 'c' */
};

enum nkind { NK_AND, NK_OR, NK_XOR, NK_NOT, NK_EXISTS, NK_TRUTH, NK_CMP, NK_IN };

enum cmpop {
    CMP_EQ,     /* any equal */
    CMP_NE,     /* all not equal */
    CMP_ALL_EQ, /* all equal */
    CMP_ANY_NE, /* any not equal */
    CMP_GT,
    CMP_GE,
    CMP_LT,
    CMP_LE,
    CMP_CONTAINS,
    CMP_MATCHES,
};

enum quant { Q_DEFAULT, Q_ANY, Q_ALL };

struct set_elem {
    struct fvalue lo, hi; /* hi used when is_range */
    bool is_range;
};

struct node {
    uint8_t kind;    /* enum nkind */
    uint8_t op;      /* enum cmpop */
    uint8_t quant;   /* enum quant */
    bool negate_set; /* not in */
    int left, right; /* children (logic), -1 when none */
    struct operand a, b;
    struct set_elem *set;
    size_t nset;
    pcre2_code *re;
    pcre2_match_data *md;
};

#define DF_SCRATCH 4096

struct dfilter {
    struct node *nodes;
    size_t nnodes, cap;
    int root;
    bool uses_tracker;
    bool reads_detail; /* names a field a lean dissection leaves out (dis_field_is_detail) */
    void **allocs;     /* literal bytes owned by the filter */
    size_t nallocs, allocs_cap;
    uint8_t scratch[2][DF_SCRATCH]; /* per operand: slices with several ranges, upper/lower */
};

enum vtype filter_vtype_of_field(unsigned fid);

/* eval.c */
bool filter_eval(struct dfilter *f, int node, const struct filter_packet *p);
int filter_cmp_values(const struct fvalue *x, const struct fvalue *y, bool *comparable);
/* The next value of a field reference from *pos on (for FS_FIELD, *pos is then one past the
 * field's index in d->fields); fields.c reads -T fields values with it. */
bool filter_next_raw(const struct fref *r, const struct filter_packet *p, unsigned *pos,
                     struct fvalue *v);

#endif
