/*
 * Escaping and line helpers shared by the sequence diagrams (ladder.c, flow.c).
 */
#include "format/diagram.h"

#include <stdint.h>
#include <string.h>

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

static void put_const(struct lines *out, const char *s)
{
    diagram_line(out, ATTR_NORMAL, s, strlen(s), -1);
}

void diagram_seq_begin(struct lines *out, bool mermaid)
{
    if (mermaid) {
        put_const(out, "sequenceDiagram");
    } else {
        put_const(out, "@startuml");
        put_const(out, "skinparam monochrome true");
    }
}

void diagram_seq_end(struct lines *out, bool mermaid)
{
    if (!mermaid)
        put_const(out, "@enduml");
}

void diagram_svg_begin(struct lines *out, unsigned width, unsigned height, const char *title)
{
    char buf[512];
    struct strbuf sb;
    put_const(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    sb_init(&sb, buf, sizeof(buf));
    sb_printf(&sb,
              "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" height=\"%u\" "
              "viewBox=\"0 0 %u %u\" font-family=\"monospace\" font-size=\"12\">",
              width, height, width, height);
    diagram_line(out, ATTR_NORMAL, buf, sb.len, -1);
    sb_init(&sb, buf, sizeof(buf));
    sb_puts(&sb, "<title>");
    diagram_put_xml(&sb, title, strlen(title));
    sb_puts(&sb, "</title>");
    diagram_line(out, ATTR_NORMAL, buf, sb.len, -1);
    put_const(out, "<defs><marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
                   "markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\">"
                   "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#222222\"/></marker></defs>");
    sb_init(&sb, buf, sizeof(buf));
    sb_printf(&sb, "<rect x=\"0\" y=\"0\" width=\"%u\" height=\"%u\" fill=\"#ffffff\"/>", width,
              height);
    diagram_line(out, ATTR_NORMAL, buf, sb.len, -1);
}
