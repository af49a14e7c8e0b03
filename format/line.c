#include "format/line.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/util.h"

/*
 * Line texts live in one arena; lines store offsets while being built (the arena may move when
 * it grows) and get their pointers fixed up at lines_end().
 */

void lines_init(struct lines *ls)
{
    memset(ls, 0, sizeof(*ls));
}

void lines_reset(struct lines *ls)
{
    ls->n = 0;
    ls->arena_len = 0;
}

void lines_release(struct lines *ls)
{
    free(ls->v);
    free(ls->arena);
    memset(ls, 0, sizeof(*ls));
}

static void arena_reserve(struct lines *ls, size_t more)
{
    size_t need = ls->arena_len + more;
    if (need <= ls->arena_cap)
        return;
    char *old = ls->arena;
    ls->arena = xgrow(ls->arena, &ls->arena_cap, need, 1);
    if (ls->arena != old) {
        /* Re-point the finished lines; the line being built is fixed up at its end. */
        for (size_t i = 0; i < ls->n; i++)
            ls->v[i].text = ls->arena + (ls->v[i].text - old);
    }
}

struct line *lines_begin(struct lines *ls, uint8_t base_attr)
{
    ls->v = xgrow(ls->v, &ls->cap, ls->n + 1, sizeof(*ls->v));
    struct line *l = &ls->v[ls->n];
    memset(l, 0, offsetof(struct line, spans));
    l->attr = base_attr;
    l->ref = -1;
    arena_reserve(ls, 1);
    l->text = ls->arena + ls->arena_len;
    l->text[0] = '\0';
    return l;
}

static struct line *building(struct lines *ls)
{
    return &ls->v[ls->n];
}

void lines_add_long(struct lines *ls, uint8_t attr, const char *text, size_t n)
{
    struct line *l = building(ls);
    size_t start_off = (size_t)(l->text - ls->arena);
    if (l->len + n > UINT16_MAX)
        n = UINT16_MAX - l->len;
    arena_reserve(ls, start_off + l->len + n + 1 - ls->arena_len);
    l->text = ls->arena + start_off;
    memcpy(l->text + l->len, text, n);
    lines_took(ls, l, attr, n);
}

void lines_addf(struct lines *ls, uint8_t attr, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    lines_add(ls, attr, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void lines_add_hex(struct lines *ls, uint8_t attr, uint64_t v, unsigned width, const char *suffix)
{
    char buf[64];
    struct strbuf sb;
    sb_init(&sb, buf, sizeof(buf));
    sb_hex(&sb, v, width);
    sb_puts(&sb, suffix);
    lines_add(ls, attr, sb.buf, sb.len);
}

void lines_add_safe(struct lines *ls, uint8_t attr, const uint8_t *p, size_t n)
{
    char buf[256];
    while (n > 0) {
        size_t k = n < sizeof(buf) ? n : sizeof(buf);
        for (size_t i = 0; i < k; i++)
            buf[i] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '.';
        lines_add(ls, attr, buf, k);
        p += k;
        n -= k;
    }
}

void lines_add_runs(struct lines *ls, const char *text, const uint8_t *attrs, size_t n)
{
    size_t start = 0;
    for (size_t i = 1; i <= n; i++)
        if (i == n || attrs[i] != attrs[start]) {
            lines_add(ls, attrs[start], text + start, i - start);
            start = i;
        }
}

void lines_end(struct lines *ls)
{
    struct line *l = building(ls);
    if (ls->arena_len < (size_t)(l->text - ls->arena) + l->len + 1)
        ls->arena_len = (size_t)(l->text - ls->arena) + l->len + 1;
    ls->n++;
}

size_t lines_fit(const char *s, size_t n, size_t w)
{
    if (n <= w)
        return n;
    size_t k = w;
    while (k > 0 && s[k] != ' ')
        k--;
    return k ? k : (w ? w : 1);
}
