/*
 * Lines of the text protocols (FTP, SMTP, POP3, IMAP, Telnet data): RFC 5321 2.3.8 and its
 * kin end a line with CRLF; a bare LF is accepted as Wireshark's tvb_find_line_end does. A
 * line cut at the end of the cursor's window is returned as it is (eol_len 0), so a segment
 * that ends mid-line is decoded as far as it goes. Each call advances at least one byte.
 */
#include "dissect/internal.h"

bool dis_line_next(struct cursor *c, struct dis_line *ln)
{
    size_t n = cur_left(c);
    const uint8_t *p = cur_peek_bytes(c, 0, n);
    if (n == 0 || !p)
        return false;
    size_t i = 0;
    while (i < n && p[i] != '\n')
        i++;
    ln->p = p;
    ln->off = c->off;
    if (i == n) {
        ln->len = n;
        ln->eol_len = 0;
    } else if (i > 0 && p[i - 1] == '\r') {
        ln->len = i - 1;
        ln->eol_len = 2;
    } else {
        ln->len = i;
        ln->eol_len = 1;
    }
    ln->line = cur_sub(c, ln->len + ln->eol_len, NULL);
    struct cursor t = ln->line;
    ln->text = cur_sub(&t, ln->len, NULL);
    return true;
}

size_t dis_word_len(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n && p[i] != ' ')
        i++;
    return i;
}

bool dis_text_is_request(const struct dissection *d, const uint16_t *ports)
{
    for (size_t i = 0; ports[i]; i++)
        if (d->sum.dport == ports[i])
            return true;
    return false;
}
