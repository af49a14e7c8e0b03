/*
 * line: text with semantic attribute spans, the currency between format/ and its users.
 *
 * A formatter appends lines to a `struct lines`; the batch outputs print the text, the TUI draws
 * it with the colour its table gives each attribute. No formatter knows about colours or curses.
 * Text is already safe: formatters never put a packet's control bytes into a line.
 */
#ifndef PKTSCOPE_FORMAT_LINE_H
#define PKTSCOPE_FORMAT_LINE_H

#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

enum attr {
    ATTR_NORMAL = 0,
    ATTR_HEADER, /* titles, column headers */
    ATTR_DIM,    /* offsets, secondary text */
    ATTR_LABEL,  /* a field's label */
    ATTR_VALUE,  /* a field's value */
    ATTR_ADDR,   /* an address */
    ATTR_PORT,
    ATTR_PROTO,
    ATTR_HANDSHAKE, /* phase colours */
    ATTR_DATA,
    ATTR_TEARDOWN,
    ATTR_RESET,
    ATTR_SYN, /* flag colours */
    ATTR_FIN,
    ATTR_RST,
    ATTR_WARN,  /* analysis labels: retransmission, dup ack, ... */
    ATTR_ERROR, /* malformed, bad checksum */
    ATTR_MARK,  /* the selected field's bytes in the hex dump */
    ATTR_NOTE,  /* teaching annotations and why texts */
    ATTR_ORIG,  /* follow stream: originator's bytes */
    ATTR_RESP,  /* follow stream: responder's bytes */
    /* colorrules: a packet row's colour by Wireshark's colouring rules (format/colorrules.c) */
    ATTR_CR_BAD,     /* Bad TCP, Checksum Errors */
    ATTR_CR_ICMPERR, /* ICMP errors */
    ATTR_CR_ARP,
    ATTR_CR_ICMP,
    ATTR_CR_RST, /* TCP RST */
    ATTR_CR_TTL, /* TTL low or unexpected */
    ATTR_CR_HTTP,
    ATTR_CR_SYNFIN,
    ATTR_CR_UDP,
    ATTR_CR_BCAST,
    /* end colorrules */
    ATTR__COUNT
};

struct span {
    uint16_t start, len; /* byte range in the line's text */
    uint8_t attr;        /* enum attr */
};

#define LINE_MAX_SPANS 24

struct line {
    char *text; /* NUL-terminated, owned by the struct lines arena */
    uint32_t len;
    uint16_t nspans;
    uint8_t attr;  /* the attribute of the parts no span covers */
    uint8_t depth; /* tree depth (layer tree) */
    int32_t ref;   /* what the line stands for: a field index, a packet number, ... or -1 */
    uint32_t ref_off, ref_len; /* byte range in the frame it stands for (hex highlight) */
    struct span spans[LINE_MAX_SPANS];
};

/* A growable list of lines. Reuse it with lines_reset() to avoid allocating per packet. */
struct lines {
    struct line *v;
    size_t n, cap;
    char *arena;
    size_t arena_len, arena_cap;
};

void lines_init(struct lines *ls);
void lines_reset(struct lines *ls);
void lines_release(struct lines *ls);

/*
 * Building a line: begin, add text pieces each with an attribute, end. Pieces are appended to
 * the line being built; lines_add_safe() turns packet bytes into printable text.
 */
struct line *lines_begin(struct lines *ls, uint8_t base_attr);
/* Any piece: room made in the arena (which may move), the piece cut to what a line may hold. */
void lines_add_long(struct lines *ls, uint8_t attr, const char *text, size_t n);
/* The n bytes just copied to the end of the line being built, l: its span (merged with the
 * previous one when it continues it), its length, its NUL. */
static inline void lines_took(struct lines *ls, struct line *l, uint8_t attr, size_t n)
{
    if (attr != l->attr && n > 0) {
        struct span *prev = l->nspans ? &l->spans[l->nspans - 1] : NULL;
        if (prev && prev->attr == attr && prev->start + prev->len == l->len)
            prev->len = (uint16_t)(prev->len + n);
        else if (l->nspans < LINE_MAX_SPANS)
            l->spans[l->nspans++] = (struct span){(uint16_t)l->len, (uint16_t)n, attr};
    }
    l->len += (uint32_t)n;
    l->text[l->len] = '\0';
    ls->arena_len = (size_t)(l->text - ls->arena) + l->len + 1;
}
/* Inline, as a --print line's ten pieces are added (the call and the memcpy in it were some
 * 8 % of --print's time): a short piece where the arena has room copied without memcpy,
 * anything else by lines_add_long(). */
static inline void lines_add(struct lines *ls, uint8_t attr, const char *text, size_t n)
{
    struct line *l = &ls->v[ls->n];
    if (n >= 64 || (size_t)(l->text - ls->arena) + l->len + n + 1 > ls->arena_cap ||
        l->len + n > UINT16_MAX) {
        lines_add_long(ls, attr, text, n);
        return;
    }
    copy_short(l->text + l->len, text, n);
    lines_took(ls, l, attr, n);
}
void lines_addf(struct lines *ls, uint8_t attr, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void lines_add_safe(struct lines *ls, uint8_t attr, const uint8_t *p, size_t n);
/* printf's "%0*llx" followed by suffix, without printf: the offset that starts every hex-dump
 * line (vsnprintf per line and per tree field was a fifth of the fuzzed outputs' time). */
void lines_add_hex(struct lines *ls, uint8_t attr, uint64_t v, unsigned width, const char *suffix);
/* Text made whole first, with an attribute per byte: added as one piece per run of equal
 * attributes (the same line as adding byte by byte, at a fraction of the calls: hex dumps). */
void lines_add_runs(struct lines *ls, const char *text, const uint8_t *attrs, size_t n);
/* Wrapping text (ASCII) at a width: how much of s[0..n) fits in w columns, broken at the last
 * space that lets it fit; at least one byte while any remain (a word longer than w is cut). */
size_t lines_fit(const char *s, size_t n, size_t w);
void lines_end(struct lines *ls);

#endif
