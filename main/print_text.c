/* --print's text of one packet, on any thread (print_text.h). */
#include "main/print_text.h"

#include "format/linkhdr.h"

void print_text_head(const struct options *o, struct lines *ls, struct strbuf *hdr,
                     const struct packet *pkt, const struct dissection *d,
                     const struct track_info *ti, bool first_line, int64_t ref_sec,
                     uint32_t ref_nsec)
{
    enum fmt_time tm = (enum fmt_time)o->time_format;
    if (first_line && o->brief)
        format_quiet_line(ls, pkt, d, tm, ref_sec, ref_nsec);
    else if (first_line)
        format_summary_line(ls, pkt, d, ti, tm, ref_sec, ref_nsec);
    if (o->tcpdump_v)
        format_verbose_line(ls, d);
    if (o->link_header) /* tsharkhabits: tcpdump -e */
        format_link_header(hdr, d, pkt->len);
}

/* As in tcpdump, -A's lines are the payload's own: no blank line after them alone. */
bool print_text_blank_after(const struct options *o)
{
    return o->verbose || (o->hex && o->dump_style != FMT_DUMP_ASCII);
}

void print_text_append(const struct options *o, struct lines *scratch, struct text_out *out,
                       const struct packet *pkt, const struct dissection *d,
                       const struct track_info *ti, int64_t ref_sec, uint32_t ref_nsec)
{
    char hdr[256];
    struct strbuf sb;
    sb_init(&sb, hdr, sizeof(hdr));
    lines_reset(scratch);
    print_text_head(o, scratch, &sb, pkt, d, ti, true, ref_sec, ref_nsec);
    format_dump(scratch, d, (enum fmt_dump)o->dump_style, o->dump_link);
    text_out_put(out, hdr, sb.len);
    for (size_t i = 0; i < scratch->n; i++) {
        text_out_put(out, scratch->v[i].text, scratch->v[i].len);
        text_out_put(out, "\n", 1);
    }
    if (print_text_blank_after(o))
        text_out_put(out, "\n", 1);
}
