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
    for (size_t base = 0; base < len; base += HEX_PER_LINE) {
        size_t n = len - base < HEX_PER_LINE ? len - base : HEX_PER_LINE;
        struct line *l = lines_begin(ls, ATTR_NORMAL);
        l->ref = base > INT32_MAX ? INT32_MAX : (int32_t)base;
        l->ref_off = (uint32_t)base;
        l->ref_len = (uint32_t)n;
        lines_addf(ls, ATTR_DIM, "%04zx  ", base);
        for (size_t i = 0; i < HEX_PER_LINE; i++) {
            char cell[3] = {' ', ' ', ' '};
            uint8_t attr = ATTR_NORMAL;
            if (i < n) {
                uint8_t b = data[base + i];
                cell[0] = digits[b >> 4];
                cell[1] = digits[b & 15];
                if (in_mark(base + i, mark_off, mark_len))
                    attr = ATTR_MARK;
            }
            /* The space after a byte is marked too when the next byte is, so a marked range
             * reads as one block. */
            lines_add(ls, attr, cell, 2);
            bool next_marked =
                i + 1 < n && attr == ATTR_MARK && in_mark(base + i + 1, mark_off, mark_len);
            lines_add(ls, next_marked ? ATTR_MARK : ATTR_NORMAL, " ", 1);
            if (i == 7)
                lines_add(ls, ATTR_NORMAL, " ", 1);
        }
        lines_add(ls, ATTR_NORMAL, " ", 1);
        for (size_t i = 0; i < n; i++) {
            uint8_t attr = in_mark(base + i, mark_off, mark_len) ? ATTR_MARK : ATTR_NORMAL;
            lines_add_safe(ls, attr, data + base + i, 1);
        }
        lines_end(ls);
    }
}
