/*
 * The hex dump: 16 bytes a line, offset, hex, ASCII (tcpdump -X / tshark -x layout). The
 * selected field's bytes are ATTR_MARK spans in both columns so the TUI can highlight them and
 * the user sees which bytes a field was read from.
 */
#include <string.h>

#include "format/format.h"

#define HEX_PER_LINE 16

static bool in_mark(size_t i, size_t mark_off, size_t mark_len)
{
    return mark_len > 0 && i >= mark_off && i - mark_off < mark_len;
}

void format_hex(struct lines *ls, const uint8_t *data, size_t len, size_t mark_off, size_t mark_len)
{
    static const char digits[] = "0123456789abcdef";
    /* After the offset: 16 cells of "xx " with one more space after the eighth, a space, and
     * the 16 characters. */
    enum { CELLS_LEN = HEX_PER_LINE * 3 + 1, LINE_LEN = CELLS_LEN + 1 + HEX_PER_LINE };
    char text[LINE_LEN];
    uint8_t attrs[LINE_LEN];
    for (size_t base = 0; base < len; base += HEX_PER_LINE) {
        size_t n = len - base < HEX_PER_LINE ? len - base : HEX_PER_LINE;
        struct line *l = lines_begin(ls, ATTR_NORMAL);
        l->ref = base > INT32_MAX ? INT32_MAX : (int32_t)base;
        l->ref_off = (uint32_t)base;
        l->ref_len = (uint32_t)n;
        lines_add_hex(ls, ATTR_DIM, base, 4, "  ");
        memset(text, ' ', sizeof(text));
        memset(attrs, ATTR_NORMAL, sizeof(attrs));
        size_t at = 0;
        for (size_t i = 0; i < HEX_PER_LINE; i++) {
            if (i < n) {
                uint8_t b = data[base + i];
                text[at] = digits[b >> 4];
                text[at + 1] = digits[b & 15];
                if (in_mark(base + i, mark_off, mark_len)) {
                    attrs[at] = attrs[at + 1] = ATTR_MARK;
                    /* The space after a byte is marked too when the next byte is, so a
                     * marked range reads as one block. */
                    if (i + 1 < n && in_mark(base + i + 1, mark_off, mark_len))
                        attrs[at + 2] = ATTR_MARK;
                }
            }
            at += i == 7 ? 4 : 3;
        }
        at++; /* the space between the columns */
        for (size_t i = 0; i < n; i++, at++) {
            uint8_t b = data[base + i];
            text[at] = b >= 0x20 && b < 0x7f ? (char)b : '.';
            if (in_mark(base + i, mark_off, mark_len))
                attrs[at] = ATTR_MARK;
        }
        lines_add_runs(ls, text, attrs, at);
        lines_end(ls);
    }
}
