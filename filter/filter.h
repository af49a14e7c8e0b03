/*
 * filter: Wireshark display filters (the language of `tshark -Y` and wireshark-filter(4)) over
 * every registered field: the dissectors' fields, the frame's values, the tracker's results
 * (tcp.stream, tcp.analysis.*, relative tcp.seq, pktscope.phase) and the teaching notes.
 *
 * An expression is compiled once into a small tree of tests over field ids; registry look-ups
 * (names, types, value parsing, regular expressions) all happen then. Evaluating it reads the
 * packet's model in place and allocates nothing.
 *
 * Semantics follow Wireshark 4.0:
 *  - a field that occurs several times in a packet matches `==`, `>`, `contains`, `matches` and
 *    `in` when any occurrence does; `!=` is "all not equal" (the negation of `==`); `===` is
 *    "all equal" and `!==` (or `~=`) "any not equal";
 *  - every comparison implies the field exists: `ip.dst != 10.0.0.1` is false on ARP;
 *  - `not` binds tighter than `and`, which binds tighter than `or` (and `xor`);
 *  - `matches` is a PCRE2 regular expression, case-insensitive unless it says `(?-i)`;
 *  - a bare field or protocol name tests for its presence.
 *
 * Not supported (a clear error says so): arithmetic, field references (${...}), the layer
 * operator (#), string(), min(), max(), abs(), host names in place of addresses.
 */
#ifndef PKTSCOPE_FILTER_FILTER_H
#define PKTSCOPE_FILTER_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dissect/dissect.h"
#include "track/community_id.h"
#include "track/track.h"

/* What a filter looks at, besides the dissection: the frame's own values. */
struct filter_packet {
    const struct dissection *d;
    const struct track_info *ti; /* NULL when the packet was not tracked */
    uint64_t number;             /* frame.number */
    uint32_t len, caplen;
    int64_t ts_sec; /* frame.time_epoch */
    uint32_t ts_nsec;
    bool ts_missing;             /* no time recorded (pcapng SPB): no frame.time_* fields */
    int64_t first_sec, prev_sec; /* the first and the previous frame's time, for _relative/_delta */
    uint32_t first_nsec, prev_nsec;
    const char *comment; /* frame.comment, or NULL */
    size_t comment_len;
    /* communityid: the Community ID of a tracked packet's flow, "" none. A cache filled from d
     * and ti the first time a filter or -T fields reads the field (ids_filled), not for every
     * packet: its SHA-1 was 31 % of `--stats -Y 'tcp.port == 80 || dns'`. Callers leave both
     * zeroed. */
    bool ids_filled;
    char communityid[COMMUNITY_ID_SIZE];
};

struct dfilter;

/*
 * Compiles `expr`. On error returns -1 and writes into errbuf (PS_ERRBUF_SIZE or more is
 * enough for one line; more shows more) a message of three lines: what went wrong, the
 * expression, and a caret under the first bad token. For an unknown field the message names the
 * nearest known ones.
 */
int dfilter_compile(const char *expr, struct dfilter **out, char *errbuf, size_t errlen);

/* Whether the packet matches. Never allocates; not safe to call on one dfilter from two threads
 * at once (upper()/lower() use a scratch buffer in the filter). */
bool dfilter_match(struct dfilter *f, const struct filter_packet *p);

/* Whether the filter reads the tracker's results (tcp.stream, tcp.analysis.*, ...). */
bool dfilter_uses_tracker(const struct dfilter *f);
/* Whether matching a frame dissected on its own (no tracking, no reassembly, no frames around
 * it) gives the same answer as matching its analysed dissection, for every frame that is not an
 * IP fragment: the filter names only link, network and transport header fields and protocols
 * (not their reassembly or ping-pairing fields), and nothing of the tracker's. The TUI
 * filters a file's packets ahead of the analysis with such a filter. */
bool dfilter_frame_local(const struct dfilter *f);
/* Whether the filter names a detail field (dis_field_is_detail): a lean dissection would not
 * have it. */
bool dfilter_reads_detail(const struct dfilter *f);
/* Whether the filter names field `id` (enum field_id), as a field or a computed one. */
bool dfilter_names_field(const struct dfilter *f, uint16_t id);

/* The fields the filter names (dfilter_names_field), as dissect_options.kept_fields wants
 * them: a set of DIS_KEPT_FIELDS_BYTES bytes, the caller's to free(). A headerless dissection
 * keeping these reads the same for the filter as a full one. */
uint8_t *dfilter_kept_fields(const struct dfilter *f);
/* How to dissect a packet on its own for a frame-local filter (dfilter_frame_local), with only
 * what the filter reads: no further than the transport, lean unless it reads a detail field,
 * headerless but for kept_fields (from dfilter_kept_fields, kept alive by the caller). The
 * filter answers on such a dissection as on the full one, for every frame not an IP fragment. */
struct dissect_options dfilter_on_own_options(const struct dfilter *f, const uint8_t *kept_fields,
                                              bool verify_checksums);

/* Whether matching d could read its bytes from offset `from` on: a field or a protocol the filter
 * names has bytes there in d. Read on d's layers and fields alone (the bytes need not be there
 * yet): the TUI reads a packet's reassembled bytes back from the file only when it is true. */
bool dfilter_reads_bytes_from(const struct dfilter *f, const struct dissection *d, uint32_t from);

void dfilter_free(struct dfilter *f);

/* Protocol presence names a display filter knows ("ip", "tcp", "dns", "frame"), for
 * --list-fields: calls fn for each, in registry order. */
void dfilter_protocols(void (*fn)(void *ctx, const char *name, const char *long_name), void *ctx);

/*
 * -T fields (fields.c): each packet as one line of the values of named fields, the way
 * tshark -T fields -e NAME ... writes them. Names are resolved as a display filter resolves a
 * field; rendering follows tshark 4.0 (see fields.c). The line is built in a buffer owned by
 * the tfields, reused from packet to packet (it only grows).
 */
struct tfields_opts {
    const char *separator;  /* between fields (-E separator; default tab) */
    const char *aggregator; /* between occurrences of one field (-E aggregator; default ,) */
    char quote;             /* -E quote: '"', '\'' or 0 */
    long occurrence;        /* -E occurrence: 0 all, -1 the last, n > 0 the n-th */
    bool header;            /* -E header=y */
};
struct tfields;
void tfields_opts_default(struct tfields_opts *o);
/* Resolves the names; -1 with one line in errbuf (an unknown name gets the nearest ones). */
int tfields_new(const char *const *names, size_t n, const struct tfields_opts *o,
                struct tfields **out, char *errbuf, size_t errlen);
/* The header line (the names, by the separator) and one packet's line, without '\n'. */
const char *tfields_header(struct tfields *tf, size_t *len);
const char *tfields_line(struct tfields *tf, const struct filter_packet *p, size_t *len);
void tfields_free(struct tfields *tf);

#endif
