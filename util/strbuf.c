#include "util/strbuf.h"

#include "util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_HEX_AVX2 1
#endif

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

void sb_putn_cut(struct strbuf *sb, const char *s, size_t n)
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

/* "00" to "99": two digits per division, half the divisions of one digit at a time. */
static const char digit_pairs[] = "00010203040506070809101112131415161718192021222324252627282930"
                                  "31323334353637383940414243444546474849505152535455565758596061"
                                  "62636465666768697071727374757677787980818283848586878889909192"
                                  "93949596979899";

/* Writes v's digits so that they end just before `end`; returns where they start. */
static char *u64_digits(char *end, uint64_t v)
{
    while (v >= 100) {
        unsigned pair = (unsigned)(v % 100);
        v /= 100;
        end -= 2;
        memcpy(end, digit_pairs + 2 * pair, 2);
    }
    if (v >= 10) {
        end -= 2;
        memcpy(end, digit_pairs + 2 * v, 2);
    } else {
        *--end = (char)('0' + v);
    }
    return end;
}

/* The number of decimal digits of v >= 10: from its bit length (1233 / 4096 is just under
 * log10(2)), then one comparison. */
static unsigned u64_ndigits(uint64_t v)
{
    unsigned t = ((unsigned)(64 - __builtin_clzll(v)) * 1233) >> 12;
    return t + 1 - (v < pow10_u64[t]);
}

/* The digits are written where they go, from the last one back: through a scratch array and
 * sb_putn, the copy of an unknown length was a libc memmove call, 2.4 % of --json's time. */
void sb_u64_digits(struct strbuf *sb, uint64_t v)
{
    if (v < 10) {
        sb_putc(sb, (char)('0' + v));
        return;
    }
    unsigned n = u64_ndigits(v);
    if (n >= sb->cap - sb->len) { /* does not fit: cut, as sb_putn cuts */
        char tmp[20];             /* UINT64_MAX has 20 digits */
        char *start = u64_digits(tmp + sizeof(tmp), v);
        sb_putn_cut(sb, start, (size_t)(tmp + sizeof(tmp) - start));
        return;
    }
    u64_digits(sb->buf + sb->len + n, v);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void sb_u64_width(struct strbuf *sb, uint64_t v, unsigned width, char pad)
{
    char tmp[64];
    size_t i = (size_t)(u64_digits(tmp + sizeof(tmp), v) - tmp);
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

static const char hex_digits[] = "0123456789abcdef";

void sb_hex(struct strbuf *sb, uint64_t v, unsigned width)
{
    char tmp[64];
    size_t i = sizeof(tmp);
    do {
        tmp[--i] = hex_digits[v & 15];
        v >>= 4;
    } while (v);
    if (width > sizeof(tmp))
        width = sizeof(tmp);
    while (sizeof(tmp) - i < width)
        tmp[--i] = '0';
    sb_putn(sb, tmp + i, sizeof(tmp) - i);
}

#if defined(__SSE2__)
/* 16 bytes to 32 hex digits: each nibble n becomes '0' + n, plus 'a' - '0' - 10 when n > 9,
 * and the high and low nibbles' digits are interleaved. */
static void hex_16(char *out, const uint8_t *p)
{
    const __m128i nibble = _mm_set1_epi8(0x0f), nine = _mm_set1_epi8(9);
    const __m128i zero = _mm_set1_epi8('0'), gap = _mm_set1_epi8('a' - '0' - 10);
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i hi = _mm_and_si128(_mm_srli_epi16(v, 4), nibble);
    __m128i lo = _mm_and_si128(v, nibble);
    hi = _mm_add_epi8(_mm_add_epi8(hi, zero), _mm_and_si128(_mm_cmpgt_epi8(hi, nine), gap));
    lo = _mm_add_epi8(_mm_add_epi8(lo, zero), _mm_and_si128(_mm_cmpgt_epi8(lo, nine), gap));
    _mm_storeu_si128((__m128i *)(void *)out, _mm_unpacklo_epi8(hi, lo));
    _mm_storeu_si128((__m128i *)(void *)(out + 16), _mm_unpackhi_epi8(hi, lo));
}
#endif

#if defined(HAVE_HEX_AVX2)
/* hex_16 on 32 bytes at a time, where the CPU has AVX2 (the build targets plain x86-64): the
 * unpacks work within each 128-bit half, so the halves are put back in order before storing.
 * Returns the bytes done (a multiple of 32). Half of hex_16's instructions a byte; --json's
 * payload hex was 8 % of its instructions on the generated capture. */
__attribute__((target("avx2"))) static size_t hex_avx2(char *out, const uint8_t *p, size_t n)
{
    const __m256i nibble = _mm256_set1_epi8(0x0f), nine = _mm256_set1_epi8(9);
    const __m256i zero = _mm256_set1_epi8('0'), gap = _mm256_set1_epi8('a' - '0' - 10);
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));
        __m256i hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble);
        __m256i lo = _mm256_and_si256(v, nibble);
        hi = _mm256_add_epi8(_mm256_add_epi8(hi, zero),
                             _mm256_and_si256(_mm256_cmpgt_epi8(hi, nine), gap));
        lo = _mm256_add_epi8(_mm256_add_epi8(lo, zero),
                             _mm256_and_si256(_mm256_cmpgt_epi8(lo, nine), gap));
        /* a: bytes 0-7 | 16-23, b: bytes 8-15 | 24-31, each as 16 digits */
        __m256i a = _mm256_unpacklo_epi8(hi, lo), b = _mm256_unpackhi_epi8(hi, lo);
        _mm256_storeu_si256((__m256i *)(void *)(out + 2 * i),
                            _mm256_permute2x128_si256(a, b, 0x20));
        _mm256_storeu_si256((__m256i *)(void *)(out + 2 * i + 32),
                            _mm256_permute2x128_si256(a, b, 0x31));
    }
    return i;
}
#endif

/* One pass straight into the buffer: --json writes every payload byte through here. */
void sb_hex_bytes(struct strbuf *sb, const uint8_t *p, size_t n)
{
    size_t room = sb->cap - 1 - sb->len;
    size_t whole = n < room / 2 ? n : room / 2;
    char *out = sb->buf + sb->len;
    size_t i = 0;
#if defined(HAVE_HEX_AVX2)
    if (whole >= 32 && __builtin_cpu_supports("avx2"))
        i = hex_avx2(out, p, whole);
#endif
#if defined(__SSE2__)
    for (; i + 16 <= whole; i += 16)
        hex_16(out + 2 * i, p + i);
#endif
    for (; i < whole; i++) {
        out[2 * i] = hex_digits[p[i] >> 4];
        out[2 * i + 1] = hex_digits[p[i] & 15];
    }
    size_t len = 2 * whole;
    if (whole < n) {
        if (len < room)
            out[len++] = hex_digits[p[whole] >> 4];
        sb->overflow = true;
    }
    sb->len += len;
    sb->buf[sb->len] = '\0';
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

/* 1 for the bytes a JSON string holds as they are: printable ASCII but '"' and '\\'. Bytes
 * from 0x80 are never plain here (UTF-8 is checked elsewhere); the table stops at 0x7f. */
static const uint8_t json_plain_ascii[128] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x00 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x10 */
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x20 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x30 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x40 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, /* 0x50 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x60 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, /* 0x70 */
};

/* 16 at a time where SSE2 is: the why texts and HTTP headers are long runs, and byte by byte
 * this loop was 6 % of --json's instructions. */
size_t json_plain_run(const uint8_t *p, size_t i, size_t n)
{
#if defined(__SSE2__)
    const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f);
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    while (i + 16 <= n) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        /* Signed compare: bytes 0x80-0xff are negative, so below 0x20 too. */
        __m128i bad = _mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, del));
        bad =
            _mm_or_si128(bad, _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
        unsigned mask = (unsigned)_mm_movemask_epi8(bad);
        if (mask)
            return i + (size_t)__builtin_ctz(mask);
        i += 16;
    }
#endif
    while (i < n && p[i] < 0x80 && json_plain_ascii[p[i]])
        i++;
    return i;
}

void sb_put_json(struct strbuf *sb, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        /* the run of bytes that need no escape, in one append */
        size_t run = json_plain_run((const uint8_t *)s, i, n);
        sb_putn(sb, s + i, run - i);
        if (run == n)
            break;
        i = run;
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\') {
            char esc[2] = {'\\', (char)ch};
            sb_putn(sb, esc, sizeof(esc));
        } else {
            char esc[6] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15]};
            sb_putn(sb, esc, sizeof(esc));
        }
    }
}

void sb_mac(struct strbuf *sb, const uint8_t mac[6])
{
    char text[17]; /* "00:11:22:33:44:55" */
    for (int i = 0; i < 6; i++) {
        text[3 * i] = hex_digits[mac[i] >> 4];
        text[3 * i + 1] = hex_digits[mac[i] & 15];
        if (i < 5)
            text[3 * i + 2] = ':';
    }
    sb_putn(sb, text, sizeof(text));
}

void sb_ipv4(struct strbuf *sb, const uint8_t a[4])
{
    /* Dotted quad, at most 15 characters, built in place: every packet's --json has two or
     * more, and a call per octet was 210 instructions an address. */
    char text[16];
    size_t n = 0;
    for (int i = 0; i < 4; i++) {
        unsigned v = a[i];
        if (i)
            text[n++] = '.';
        if (v >= 100) {
            text[n++] = (char)('0' + v / 100);
            v %= 100;
            memcpy(text + n, digit_pairs + 2 * v, 2);
            n += 2;
        } else if (v >= 10) {
            memcpy(text + n, digit_pairs + 2 * v, 2);
            n += 2;
        } else {
            text[n++] = (char)('0' + v);
        }
    }
    sb_putn(sb, text, n);
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
