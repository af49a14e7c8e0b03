/*
 * Escaping and line helpers shared by the sequence diagrams (ladder.c, flow.c).
 */
#include "format/diagram.h"

#include <stdint.h>

void diagram_put_text(struct strbuf *sb, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == ';' || ch == '#' || ch == '"' || ch == '\n' || ch == '\r')
            ch = ' ';
        sb_putc(sb, ch);
    }
}

void diagram_put_xml(struct strbuf *sb, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '&':
            sb_puts(sb, "&amp;");
            break;
        case '<':
            sb_puts(sb, "&lt;");
            break;
        case '>':
            sb_puts(sb, "&gt;");
            break;
        case '"':
            sb_puts(sb, "&quot;");
            break;
        default:
            if ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f)
                sb_putc(sb, s[i]);
            else
                sb_putc(sb, '.');
        }
    }
}

void diagram_line(struct lines *out, uint8_t attr, const char *s, size_t n, int32_t ref)
{
    struct line *ln = lines_begin(out, attr);
    ln->ref = ref;
    lines_add(out, attr, s, n);
    lines_end(out);
}

void diagram_pad(struct strbuf *sb, size_t col)
{
    while (sb->len < col && !sb->overflow)
        sb_putc(sb, ' ');
}

int32_t diagram_ref(uint64_t frame)
{
    return frame > INT32_MAX ? INT32_MAX : (int32_t)frame;
}
