#include "util/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void sb_init(struct strbuf *sb, char *buf, size_t cap)
{
    sb->buf = buf;
    sb->cap = cap;
    sb->len = 0;
    sb->overflow = false;
    buf[0] = '\0';
}

void sb_reset(struct strbuf *sb)
{
    sb->len = 0;
    sb->overflow = false;
    sb->buf[0] = '\0';
}

void sb_putn(struct strbuf *sb, const char *s, size_t n)
{
    size_t room = sb->cap - 1 - sb->len;
    if (n > room) {
        n = room;
        sb->overflow = true;
    }
    memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    size_t room = sb->cap - sb->len;
    va_start(ap, fmt);
    int n = vsnprintf(sb->buf + sb->len, room, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= room) {
        sb->len = sb->cap - 1;
        sb->overflow = true;
    } else {
        sb->len += (size_t)n;
    }
}

void sb_u64(struct strbuf *sb, uint64_t v)
{
    sb_u64_width(sb, v, 0, ' ');
}

void sb_u64_width(struct strbuf *sb, uint64_t v, unsigned width, char pad)
{
    char tmp[64];
    size_t i = sizeof(tmp);
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (width > sizeof(tmp))
        width = sizeof(tmp);
    while (sizeof(tmp) - i < width)
        tmp[--i] = pad;
    sb_putn(sb, tmp + i, sizeof(tmp) - i);
}

void sb_i64(struct strbuf *sb, int64_t v)
{
    if (v < 0) {
        sb_putc(sb, '-');
        sb_u64(sb, 0 - (uint64_t)v); /* INT64_MIN too */
    } else {
        sb_u64(sb, (uint64_t)v);
    }
}

void sb_hex(struct strbuf *sb, uint64_t v, unsigned width)
{
    static const char digits[] = "0123456789abcdef";
    char tmp[64];
    size_t i = sizeof(tmp);
    do {
        tmp[--i] = digits[v & 15];
        v >>= 4;
    } while (v);
    if (width > sizeof(tmp))
        width = sizeof(tmp);
    while (sizeof(tmp) - i < width)
        tmp[--i] = '0';
    sb_putn(sb, tmp + i, sizeof(tmp) - i);
}

void sb_pad(struct strbuf *sb, const char *s, int width)
{
    size_t n = strlen(s), w = width < 0 ? (size_t) - (int64_t)width : (size_t)width;
    size_t spaces = n < w ? w - n : 0;
    for (size_t k = 0; width > 0 && k < spaces; k++)
        sb_putc(sb, ' ');
    sb_putn(sb, s, n);
    for (size_t k = 0; width < 0 && k < spaces; k++)
        sb_putc(sb, ' ');
}

void sb_put_safe(struct strbuf *sb, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sb_putc(sb, (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '.');
}

void sb_put_json(struct strbuf *sb, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\') {
            sb_putc(sb, '\\');
            sb_putc(sb, (char)ch);
        } else if (ch < 0x20 || ch >= 0x7f) {
            char esc[6] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15]};
            sb_putn(sb, esc, sizeof(esc));
        } else {
            sb_putc(sb, (char)ch);
        }
    }
}

void sb_mac(struct strbuf *sb, const uint8_t mac[6])
{
    for (int i = 0; i < 6; i++) {
        if (i)
            sb_putc(sb, ':');
        sb_hex(sb, mac[i], 2);
    }
}

void sb_ipv4(struct strbuf *sb, const uint8_t a[4])
{
    for (int i = 0; i < 4; i++) {
        if (i)
            sb_putc(sb, '.');
        sb_u64(sb, a[i]);
    }
}

void sb_ipv6(struct strbuf *sb, const uint8_t a[16])
{
    uint16_t w[8];
    for (int i = 0; i < 8; i++)
        w[i] = (uint16_t)((a[2 * i] << 8) | a[2 * i + 1]);

    /* IPv4-mapped addresses are written with a dotted quad (RFC 5952 section 5). */
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(a, mapped, sizeof(mapped)) == 0) {
        sb_puts(sb, "::ffff:");
        sb_ipv4(sb, a + 12);
        return;
    }
    /* The longest run of two or more zero words becomes "::"; the first one on a tie. */
    int best = -1, best_len = 0;
    for (int i = 0; i < 8;) {
        if (w[i] != 0) {
            i++;
            continue;
        }
        int j = i;
        while (j < 8 && w[j] == 0)
            j++;
        if (j - i > best_len && j - i >= 2) {
            best = i;
            best_len = j - i;
        }
        i = j;
    }
    for (int i = 0; i < 8; i++) {
        if (i == best) {
            sb_puts(sb, "::");
            i += best_len - 1;
            continue;
        }
        if (i > 0 && i != best + best_len)
            sb_putc(sb, ':');
        sb_hex(sb, w[i], 0);
    }
}

void sb_ip(struct strbuf *sb, const uint8_t *addr, size_t len)
{
    if (len == 4)
        sb_ipv4(sb, addr);
    else if (len == 16)
        sb_ipv6(sb, addr);
    else
        sb_puts(sb, "?");
}
