/*
 * strbuf: an append-only text buffer with a fixed capacity chosen by the caller.
 *
 * Formatting code writes into a strbuf instead of sprintf/strcat. Appends past the capacity are
 * cut and remembered in `overflow`; the text is always NUL-terminated. A strbuf never allocates,
 * so formatting a packet costs no malloc.
 */
#ifndef PKTSCOPE_UTIL_STRBUF_H
#define PKTSCOPE_UTIL_STRBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct strbuf {
    char *buf;
    size_t cap; /* bytes in buf, including the NUL */
    size_t len;
    bool overflow;
};

/* n bytes, n < 64 (a JSON key, a piece of a --print line): in 8-byte moves that may overlap.
 * memcpy with a length the compiler does not know became `rep movsq` in --json's writer, whose
 * start-up cost was a fifth of its time, and a call to memmove in --print's. */
static inline void copy_short(char *dst, const char *src, size_t n)
{
    if (n >= 8) {
        for (size_t i = 0; i + 8 < n; i += 8)
            memcpy(dst + i, src + i, 8);
        memcpy(dst + n - 8, src + n - 8, 8);
    } else if (n >= 4) {
        memcpy(dst, src, 4);
        memcpy(dst + n - 4, src + n - 4, 4);
    } else {
        for (size_t i = 0; i < n; i++)
            dst[i] = src[i];
    }
}

/* cap must be >= 1. */
void sb_init(struct strbuf *sb, char *buf, size_t cap);
void sb_reset(struct strbuf *sb);
void sb_putn_cut(struct strbuf *sb, const char *s, size_t n);
/* Appends n bytes; past the capacity the text is cut and overflow set. Inline, as the
 * formatters call it for almost every token they write. */
static inline void sb_putn(struct strbuf *sb, const char *s, size_t n)
{
    if (n < sb->cap - sb->len) { /* len < cap always holds: room for the NUL */
        memcpy(sb->buf + sb->len, s, n);
        sb->len += n;
        sb->buf[sb->len] = '\0';
    } else {
        sb_putn_cut(sb, s, n);
    }
}
/* Inline: the JSON writer makes tens of these calls a packet, most with a literal, whose length
 * the compiler then knows (a call and a strlen each were 15 % of --json's instructions). */
static inline void sb_putc(struct strbuf *sb, char ch)
{
    if (sb->len + 1 < sb->cap) {
        sb->buf[sb->len++] = ch;
        sb->buf[sb->len] = '\0';
    } else {
        sb->overflow = true;
    }
}
static inline void sb_puts(struct strbuf *sb, const char *s)
{
    sb_putn(sb, s, strlen(s));
}
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_u64_digits(struct strbuf *sb, uint64_t v);
/* v in decimal. Numbers below 100 (most header fields: lengths, TTLs, flags, kinds) inline,
 * without the call: --json writes some 28 numbers a packet. */
static inline void sb_u64(struct strbuf *sb, uint64_t v)
{
    if (v < 100 && sb->len + 2 < sb->cap) {
        char *out = sb->buf + sb->len;
        if (v < 10) {
            out[0] = (char)('0' + v);
            sb->len += 1;
        } else {
            out[0] = (char)('0' + v / 10);
            out[1] = (char)('0' + v % 10);
            sb->len += 2;
        }
        sb->buf[sb->len] = '\0';
        return;
    }
    sb_u64_digits(sb, v);
}
/* printf's "%*llu" (pad ' ') and "%0*llu" (pad '0') without printf: v in decimal, right-aligned
 * in at least `width` characters. The per-packet lines are built from these (printf's format
 * parsing was half of --print's instructions). */
void sb_u64_width(struct strbuf *sb, uint64_t v, unsigned width, char pad);
/* printf's "%lld" */
void sb_i64(struct strbuf *sb, int64_t v);
/* printf's "%0*llx": v in lowercase hex, at least `width` digits (0: as many as it needs). */
void sb_hex(struct strbuf *sb, uint64_t v, unsigned width);
/* n bytes as lowercase hex pairs with no separator ("0a1b"), cut at the capacity exactly as
 * appending a character at a time would cut it. */
void sb_hex_bytes(struct strbuf *sb, const uint8_t *p, size_t n);
/* printf's "%*s" (right, width > 0) or "%-*s" (left, width < 0): s padded with spaces. */
void sb_pad(struct strbuf *sb, const char *s, int width);
/* Bytes from a packet: printable ASCII as is, everything else as `.`, never a control byte. */
void sb_put_safe(struct strbuf *sb, const uint8_t *p, size_t n);
/* A JSON string body (no quotes) with every control byte and non-ASCII escaped. */
void sb_put_json(struct strbuf *sb, const char *s, size_t n);
/* Where the run of bytes from p[i] that a JSON string holds as they are (printable ASCII but
 * the quote and the backslash) ends: the first index >= i that needs an escape, or n. */
size_t json_plain_run(const uint8_t *p, size_t i, size_t n);
void sb_mac(struct strbuf *sb, const uint8_t mac[6]);
void sb_ipv4(struct strbuf *sb, const uint8_t addr[4]);
/* RFC 5952 canonical text. */
void sb_ipv6(struct strbuf *sb, const uint8_t addr[16]);
/* An IP address of `len` bytes: IPv4 (4), IPv6 (16), "?" for any other length. The one address
 * printer the renderers share. */
void sb_ip(struct strbuf *sb, const uint8_t *addr, size_t len);

#endif
