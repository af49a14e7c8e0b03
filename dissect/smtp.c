/*
 * SMTP (RFC 5321 4.1, 4.2) on TCP ports 25 and 587 (RFC 6409). A client segment holds command
 * lines (several when the client pipelines, RFC 2920), or, after DATA, lines of the message
 * (RFC 5322) ending with a line holding only "." (RFC 5321 4.1.1.4). A server segment holds
 * one reply, possibly multi-line ("250-..." then "250 ...", RFC 5321 4.2.1).
 *
 * pktscope decodes one packet at a time, so it does not know whether DATA was sent earlier:
 * a client segment whose first line is not an SMTP command is taken as message lines, which
 * is what Wireshark shows as a "DATA fragment". As in Wireshark, the command and response
 * strings keep their CRLF.
 *
 * With TCP reassembly (tshark 4.0's smtp.desegment_lines), a segment whose bytes hold no end of
 * line yet waits for the next one (dis_smtp_pdu_len).
 */
#include "dissect/internal.h"

#include <string.h>

static const uint16_t smtp_ports[] = {25, 587, 0};

/* RFC 5321 4.1 and the common extensions' commands (AUTH RFC 4954, STARTTLS RFC 3207, BDAT
 * RFC 3030, ETRN RFC 1985). */
static const char *const smtp_commands[] = {
    "HELO", "EHLO", "MAIL", "RCPT", "DATA", "RSET",     "VRFY", "EXPN", "HELP", "NOOP", "QUIT",
    "SEND", "SOML", "SAML", "TURN", "AUTH", "STARTTLS", "BDAT", "ETRN", "ATRN", NULL,
};

static bool smtp_is_command(const uint8_t *p, size_t n)
{
    size_t w = dis_word_len(p, n);
    for (size_t i = 0; smtp_commands[i]; i++) {
        size_t m = strlen(smtp_commands[i]);
        if (w != m)
            continue;
        size_t k = 0;
        while (k < m && (p[k] & 0xdf) == (uint8_t)smtp_commands[i][k])
            k++;
        if (k == m)
            return true;
    }
    return false;
}

static void smtp_request(struct dissection *d, struct cursor *c)
{
    struct dis_line ln;
    struct cursor peek = *c;
    if (!dis_line_next(&peek, &ln))
        return;
    bool body = !smtp_is_command(ln.p, ln.len);
    for (unsigned k = 0; dis_line_next(c, &ln); k++) {
        if (k == DIS_MAX_LINES) {
            dis_anomaly(d, ANOM_TEXT_TOO_MANY_LINES, ln.off);
            break;
        }
        if (ln.len == 1 && ln.p[0] == '.' && ln.eol_len > 0) {
            dis_field_rest(d, &ln.line, FID_SMTP_EOM, 0);
            continue;
        }
        if (body) {
            dis_field_string_rest(d, &ln.line, FID_SMTP_DATA_LINE, ln.len);
            continue;
        }
        dis_field_mark(d, &ln.line, FID_SMTP_REQ, 1);
        dis_field_string_rest(d, &ln.line, FID_SMTP_COMMAND_LINE, ln.len + ln.eol_len);
        size_t w = dis_word_len(ln.p, ln.len);
        struct cursor t = ln.text;
        dis_field_string(d, &t, FID_SMTP_REQ_COMMAND, w);
        if (w + 1 < ln.len) {
            cur_skip(&t, 1); /* the space */
            dis_field_string_rest(d, &t, FID_SMTP_REQ_PARAMETER, cur_left(&t));
        }
    }
}

static void smtp_response(struct dissection *d, struct cursor *c)
{
    struct dis_line ln;
    /* Wireshark shows the first line that starts with a code as the response (a segment may
     * start with the rest of a line cut in the one before: "INING\r\n250-SIZE 10240000"). */
    bool shown = false;
    for (unsigned k = 0; dis_line_next(c, &ln); k++) {
        if (k == DIS_MAX_LINES) {
            dis_anomaly(d, ANOM_TEXT_TOO_MANY_LINES, ln.off);
            break;
        }
        if (k == 0)
            dis_field_mark(d, &ln.line, FID_SMTP_RSP, 1);
        bool coded = ln.len >= 3;
        unsigned code = 0;
        for (size_t i = 0; i < 3 && coded; i++) {
            if (ln.p[i] < '0' || ln.p[i] > '9')
                coded = false;
            else
                code = code * 10 + (unsigned)(ln.p[i] - '0');
        }
        if (!coded)
            continue;
        if (!shown)
            dis_field_string_rest(d, &ln.line, FID_SMTP_RESPONSE, ln.len + ln.eol_len);
        struct cursor t = ln.text;
        struct cursor code_w = cur_sub(&t, 3, NULL);
        if (!shown)
            dis_field_rest(d, &code_w, FID_SMTP_RESPONSE_CODE, code);
        shown = true;
        if (ln.len > 4) {
            cur_skip(&t, 1); /* the space or '-' */
            dis_field_string_rest(d, &t, FID_SMTP_RSP_PARAMETER, cur_left(&t));
        }
    }
}

/*
 * Wireshark's SMTP asks TCP for one more segment while what it has holds no whole line, then
 * dissects all of it, a cut last line included ("250-a\r\n250-PIPEL" is one message). It does
 * so in both directions and inside DATA alike (a body piece without an end of line waits for the
 * next), so the length needs no conversation state: the bytes at hand decide. Any byte can start
 * a message, so after a hole parsing resumes at once.
 */
size_t dis_smtp_pdu_len(const uint8_t *p, size_t n)
{
    return dis_has_line_end(p, n) ? n : 0;
}

bool dissect_smtp(struct dissection *d, struct cursor *c, bool over_tcp)
{
    if (!over_tcp)
        return false;
    if (dis_layer_begin(d, PROTO_SMTP, c) < 0)
        return true;
    dis_protocols_add(d, "smtp");
    d->sum.app_proto = PROTO_SMTP;
    if (dis_text_is_request(d, smtp_ports))
        smtp_request(d, c);
    else
        smtp_response(d, c);
    dis_layer_end(d, c->end, c->end);
    c->off = c->end;
    return true;
}
