/*
 * The list's display filter: which packets the list shows (struct list_filter). A new filter is
 * applied in the background, in slices, while the old one stays on screen; it replaces the old
 * one only when every packet has been tested, keeping the selection. Packets arriving meanwhile
 * are tested against the filter in force as they are indexed.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ui/internal.h"

/* Position of the first shown packet with index >= idx. */
size_t shown_lower_bound(const uint32_t *v, size_t n, size_t idx)
{
    if (!v)
        return idx < n ? idx : n; /* every packet (a list without a filter) */
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < idx)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void filter_release(struct display_filter *f)
{
    if (f->bpf)
        bpf_filter_free(f->bpf);
    dfilter_free(f->df);
    free(f->kept_fields);
    free(f->text);
    free(f->deferred);
    memset(f, 0, sizeof(*f));
}

/* "tcp.stream == 3", "udp.stream eq 0": Wireshark's way to name one connection. */
static bool parse_stream_filter(const char *s, uint8_t *proto, uint32_t *stream)
{
    while (*s == ' ')
        s++;
    if (strncmp(s, "tcp.stream", 10) == 0)
        *proto = 6, s += 10;
    else if (strncmp(s, "udp.stream", 10) == 0)
        *proto = 17, s += 10;
    else if (strncmp(s, "icmpv6.stream", 13) == 0)
        *proto = 58, s += 13;
    else if (strncmp(s, "icmp.stream", 11) == 0)
        *proto = 1, s += 11;
    else
        return false;
    while (*s == ' ')
        s++;
    if (strncmp(s, "==", 2) == 0 || strncmp(s, "eq", 2) == 0)
        s += 2;
    else
        return false;
    while (*s == ' ')
        s++;
    char num[16];
    size_t k = 0;
    while (s[k] >= '0' && s[k] <= '9' && k < sizeof(num) - 1) {
        num[k] = s[k];
        k++;
    }
    num[k] = '\0';
    const char *rest = s + k;
    while (*rest == ' ')
        rest++;
    unsigned long v;
    if (*rest || parse_ulong(num, 0, UINT32_MAX, &v) < 0)
        return false;
    *stream = (uint32_t)v;
    return true;
}

/* The packet as a display filter reads it, with the tracker's results ti. */
static void filter_packet_with(struct ui *ui, size_t idx, const struct packet *pkt,
                               const struct dissection *d, const struct track_info *ti,
                               struct filter_packet *fp)
{
    struct pkt_entry prev_buf;
    const struct pkt_entry *prev = idx ? index_entry(&ui->idx, idx - 1, &prev_buf) : NULL;
    *fp = (struct filter_packet){
        .d = d,
        .ti = ti,
        .number = ui->idx.base + idx + 1,
        .len = pkt->len,
        .caplen = pkt->caplen,
        .ts_sec = pkt->ts_sec,
        .ts_nsec = pkt->ts_nsec,
        .ts_missing = pkt->ts_missing,
        .first_sec = ui->idx.first_ts_sec,
        .first_nsec = ui->idx.first_ts_nsec,
        .prev_sec = prev ? prev->ts_sec : ui->idx.first_ts_sec,
        .prev_nsec = prev ? prev->ts_nsec : ui->idx.first_ts_nsec,
        .comment = pkt->comment,
        .comment_len = pkt->comment_len,
    };
}

void ui_filter_packet(struct ui *ui, size_t idx, const struct packet *pkt,
                      const struct dissection *d, struct filter_packet *fp,
                      struct track_info *ti_buf)
{
    filter_packet_with(ui, idx, pkt, d, index_ti(&ui->idx, idx, ti_buf), fp);
}

bool ui_read_view(struct ui *ui, size_t idx, struct packet *pkt, struct filter_packet *fp,
                  struct track_info *ti_buf)
{
    char err[PS_ERRBUF_SIZE];
    if (ui_read_packet(ui, idx, pkt, err) != SOURCE_PACKET)
        return false;
    ui_dissect(ui, idx, pkt, ui->scratch);
    ui_filter_packet(ui, idx, pkt, ui->scratch, fp, ti_buf);
    return true;
}

/* Runs a display filter on packet idx (pkt). `d` is its dissection when the caller has one (a
 * packet just indexed), else it is dissected again. */
static bool display_filter_match(struct ui *ui, const struct display_filter *f, size_t idx,
                                 const struct packet *pkt, const struct dissection *d)
{
    struct filter_packet fp;
    if (!d && f->df && f->ahead) {
        /* A filter that answers the same on the packet on its own: dissected so, as the filter
         * reads it and no more, analysed or not, and without the tracker's results, which it
         * does not read. But for an analysed IP fragment, which reads as reassembly made it. */
        static const struct track_info untracked;
        struct dissect_options on_own = f->on_own;
        dissect_options_at(&on_own, pkt);
        dissect_frame(ui->scratch, pkt->data, pkt->caplen, pkt->len, pkt->linktype, &on_own);
        if (!ui->scratch->sum.is_fragment || idx >= ui->idx.n) {
            filter_packet_with(ui, idx, pkt, ui->scratch, &untracked, &fp);
            return dfilter_match(f->df, &fp);
        }
    }
    if (!d) {
        ui_dissect_to_match(ui, idx, pkt, ui->scratch, f->df);
        d = ui->scratch;
    }
    struct track_info ti_buf;
    ui_filter_packet(ui, idx, pkt, d, &fp, &ti_buf);
    return dfilter_match(f->df, &fp);
}

static bool filter_match(struct ui *ui, const struct display_filter *f, size_t idx,
                         const struct packet *pkt, const struct dissection *d)
{
    if (!f->text)
        return true;
    if (f->stream) {
        struct track_info ti_buf;
        const struct track_info *ti = index_ti(&ui->idx, idx, &ti_buf);
        return (ti->flags & TI_HAS_STREAM) && ti->proto == f->proto && ti->stream == f->stream_id;
    }
    struct packet tmp;
    char err[PS_ERRBUF_SIZE];
    if (!pkt) {
        if (ui_read_packet(ui, idx, &tmp, err) != SOURCE_PACKET)
            return false;
        pkt = &tmp;
    }
    if (f->df)
        return display_filter_match(ui, f, idx, pkt, d);
    if (f->bpf)
        return bpf_filter_match(f->bpf, pkt) == 1;
    return true;
}

bool ui_set_filter(struct ui *ui, const char *text)
{
    char err[PS_ERRBUF_SIZE];
    struct display_filter nf;
    memset(&nf, 0, sizeof(nf));
    while (*text == ' ')
        text++;
    if (text[0]) {
        /* A display filter first; BPF only when the text is not one ("host 10.0.0.1"). When
         * it is neither, the display filter's error (with its caret) is the one shown, unless
         * the text reads like BPF and failed there. */
        char derr[1024];
        if (parse_stream_filter(text, &nf.proto, &nf.stream_id)) {
            nf.stream = true;
        } else if (dfilter_compile(text, &nf.df, derr, sizeof(derr)) < 0) {
            nf.bpf = bpf_filter_new(text, err);
            if (!nf.bpf) {
                ui_message(ui, true, "Filter not applied (the old one is kept).\n%s\nAs BPF: %s",
                           derr, err);
                return false;
            }
        }
        nf.text = xstrdup(text);
        nf.ahead = nf.bpf || dfilter_frame_local(nf.df);
        if (nf.df && nf.ahead) {
            /* On the 1 GB benchmark capture the full dissection was three fifths of the
             * time `tcp.port == 80` took ahead of the analysis (perf). */
            nf.kept_fields = dfilter_kept_fields(nf.df);
            nf.on_own = dfilter_on_own_options(nf.df, nf.kept_fields, ui->dopt.verify_checksums);
        }
    }
    if (ui->lf.working) {
        filter_release(&ui->lf.pending);
        free(ui->lf.pending_shown);
        ui->lf.pending_shown = NULL;
    }
    ui->lf.pending = nf;
    ui->lf.pending_shown = NULL;
    ui->lf.pending_n = ui->lf.pending_cap = 0;
    ui->lf.pos = 0;
    ui->lf.working = true;
    ui->dirty = true;
    return true;
}

void listfilter_cancel(struct ui *ui)
{
    filter_release(&ui->lf.pending);
    free(ui->lf.pending_shown);
    ui->lf.pending_shown = NULL;
    ui->lf.working = false;
    ui_message(ui, false, "Filter cancelled; the old one is kept");
}

/* What a filter is applied to: every listed packet when it is none, else the analysed ones
 * (a filter needs their tracking and reassembly; the rest are offered as they are analysed). */
size_t listfilter_scope(const struct ui *ui, const struct display_filter *f)
{
    return f->text && !f->ahead ? ui->idx.n : index_count(&ui->idx);
}

bool listfilter_work(struct ui *ui, int64_t deadline)
{
    unsigned k = 0;
    struct display_filter *f = &ui->lf.pending;
    while (ui->lf.pos < listfilter_scope(ui, f)) {
        size_t i = ui->lf.pos++;
        bool match = filter_match(ui, f, i, NULL, NULL);
        /* Past the analysis a packet is dissected on its own (into ui->scratch, above): an IP
         * fragment reads otherwise once reassembled, so it waits for the analysis. */
        if (f->df && i >= ui->idx.n && ui->scratch->sum.is_fragment) {
            f->deferred =
                xgrow(f->deferred, &f->deferred_cap, f->ndeferred + 1, sizeof(*f->deferred));
            f->deferred[f->ndeferred++] = (uint32_t)i;
            continue;
        }
        if (match && !f->text) {
            ui->lf.pending_n++; /* every packet: no list kept (shown_lower_bound) */
        } else if (match) {
            ui->lf.pending_shown = xgrow(ui->lf.pending_shown, &ui->lf.pending_cap,
                                         ui->lf.pending_n + 1, sizeof(*ui->lf.pending_shown));
            ui->lf.pending_shown[ui->lf.pending_n++] = (uint32_t)i;
        }
        if (++k % 256 == 0 && ui_now_ms() >= deadline)
            return true;
    }
    /* Done: swap, keeping the selected packet (or the nearest one after it). */
    size_t keep = ui->cur_idx;
    filter_release(&ui->lf.active);
    ui->lf.active = ui->lf.pending;
    memset(&ui->lf.pending, 0, sizeof(ui->lf.pending));
    free(ui->lf.shown);
    ui->lf.shown = ui->lf.pending_shown;
    ui->lf.nshown = ui->lf.pending_n;
    ui->lf.shown_cap = ui->lf.pending_cap;
    ui->lf.pending_shown = NULL;
    ui->lf.working = false;
    ui->lf.decided = ui->lf.pos;
    ui->paused_nshown = ui->lf.nshown;
    ui->sel = keep == SIZE_MAX ? 0 : shown_lower_bound(ui->lf.shown, ui->lf.nshown, keep);
    if (ui->lf.nshown && ui->sel >= ui->lf.nshown)
        ui->sel = ui->lf.nshown - 1;
    ui->cur_idx = SIZE_MAX;
    ui_load_selection(ui);
    if (ui->lf.active.text)
        ui_message(ui, false, "%s '%s': %zu of %zu packet%s%s",
                   ui->lf.active.bpf ? "BPF filter" : "Display filter", ui->lf.active.text,
                   ui->lf.nshown, ui->lf.decided, ui->lf.decided == 1 ? "" : "s",
                   ui->lf.active.ndeferred ? " (IP fragments wait for the analysis)"
                   : ui->lf.decided < index_count(&ui->idx) ? " analysed so far"
                                                            : "");
    else
        ui_message(ui, false, "No filter: %zu packet%s", ui->lf.nshown,
                   ui->lf.nshown == 1 ? "" : "s");
    ui->dirty = true;
    return false;
}

/* Compiles the list's first filter, given on the command line: -Y (a display filter), else a
 * BPF filter on a file. Unlike a filter typed in the TUI, one that does not compile is a usage
 * error, reported before the screen is taken. errbuf holds errlen >= PS_ERRBUF_SIZE bytes. */
int listfilter_init(struct ui *ui, const char *text, bool display_filter, char *errbuf,
                    size_t errlen)
{
    struct display_filter nf;
    memset(&nf, 0, sizeof(nf));
    if (parse_stream_filter(text, &nf.proto, &nf.stream_id)) {
        nf.stream = true;
    } else if (display_filter) {
        if (dfilter_compile(text, &nf.df, errbuf, errlen) < 0)
            return -1;
    } else {
        nf.bpf = bpf_filter_new(text, errbuf);
        if (!nf.bpf)
            return -1;
    }
    nf.text = xstrdup(text);
    filter_release(&ui->lf.active);
    ui->lf.active = nf; /* (not ahead: no pass; the analysis offers it every packet) */
    ui->lf.decided = 0;
    return 0;
}

void listfilter_outlined(struct ui *ui)
{
    /* With no filter the list is every packet in order: no array (shown[k] would be k). */
    if (ui->lf.active.text)
        return;
    size_t n = index_count(&ui->idx);
    if (n > UINT32_MAX - 1)
        n = UINT32_MAX - 1; /* as far as the list's positions go (add_packet lists no more) */
    if (ui->lf.nshown < n)
        ui->lf.nshown = n;
}

void listfilter_trim(struct ui *ui, size_t n)
{
    struct display_filter *a = &ui->lf.active, *p = &ui->lf.pending;
    a->ndeferred = shown_lower_bound(a->deferred, a->ndeferred, n);
    if (a->deferred_next > a->ndeferred)
        a->deferred_next = a->ndeferred;
    if (ui->lf.working)
        p->ndeferred = shown_lower_bound(p->deferred, p->ndeferred, n);
    if (ui->lf.decided > n)
        ui->lf.decided = n;
    ui->lf.nshown = shown_lower_bound(ui->lf.shown, ui->lf.nshown, n);
    if (ui->paused_nshown > ui->lf.nshown)
        ui->paused_nshown = ui->lf.nshown;
    if (ui->lf.working && ui->lf.pos > n)
        ui->lf.pos = n;
    if (ui->lf.working)
        ui->lf.pending_n = shown_lower_bound(ui->lf.pending_shown, ui->lf.pending_n, n);
    size_t visible = ui_visible_count(ui);
    if (ui->sel >= visible)
        ui->sel = visible ? visible - 1 : 0;
    if (ui->cur_idx != SIZE_MAX && ui->cur_idx >= n) {
        ui->cur_idx = SIZE_MAX;
        ui_load_selection(ui);
    }
}

/* Lists packet idx among the shown ones, in order, keeping the selected one selected. */
static void shown_insert(struct ui *ui, size_t idx)
{
    struct list_filter *lf = &ui->lf;
    size_t at = shown_lower_bound(lf->shown, lf->nshown, idx);
    lf->shown = xgrow(lf->shown, &lf->shown_cap, lf->nshown + 1, sizeof(*lf->shown));
    memmove(lf->shown + at + 1, lf->shown + at, (lf->nshown - at) * sizeof(*lf->shown));
    lf->shown[at] = (uint32_t)idx;
    lf->nshown++;
    if (lf->nshown > 1 && at <= ui->sel)
        ui->sel++;
}

bool listfilter_offer(struct ui *ui, size_t idx, const struct packet *pkt,
                      const struct dissection *d)
{
    struct display_filter *a = &ui->lf.active;
    if (!a->text && idx < ui->lf.nshown)
        return true; /* listed already from the outline */
    if (a->text && idx < ui->lf.decided) {
        /* Answered ahead of the analysis, but for a deferred fragment: answered now. */
        if (a->deferred_next >= a->ndeferred || a->deferred[a->deferred_next] != idx)
            return false;
        a->deferred_next++;
        if (!filter_match(ui, a, idx, pkt, d))
            return false;
        shown_insert(ui, idx);
        return true;
    }
    if (!filter_match(ui, a, idx, pkt, d))
        return false;
    if (!a->text) {
        /* Every packet, offered in order: no array (ui_shown_at). */
        ui->lf.nshown = idx + 1;
        return true;
    }
    ui->lf.shown = xgrow(ui->lf.shown, &ui->lf.shown_cap, ui->lf.nshown + 1, sizeof(*ui->lf.shown));
    ui->lf.shown[ui->lf.nshown++] = (uint32_t)idx;
    return true;
}

/* Drops the entries of shown-style list v (ascending packet indices) below k and rebases the
 * rest by k; returns how many were dropped. */
static size_t rebase_list(uint32_t *v, size_t n, size_t k)
{
    size_t drop = shown_lower_bound(v, n, k);
    for (size_t j = drop; v && j < n; j++)
        v[j - drop] = v[j] - (uint32_t)k;
    return drop;
}

size_t listfilter_forget_oldest(struct ui *ui, size_t k)
{
    /* (A capture that never ends has no outline: nothing is deferred.) */
    ui->lf.decided = ui->lf.decided > k ? ui->lf.decided - k : 0;
    size_t drop = rebase_list(ui->lf.shown, ui->lf.nshown, k);
    ui->lf.nshown -= drop;
    if (ui->lf.working) {
        ui->lf.pending_n -= rebase_list(ui->lf.pending_shown, ui->lf.pending_n, k);
        ui->lf.pos = ui->lf.pos > k ? ui->lf.pos - k : 0;
    }
    return drop;
}

void listfilter_release(struct ui *ui)
{
    filter_release(&ui->lf.active);
    if (ui->lf.working)
        filter_release(&ui->lf.pending);
    free(ui->lf.pending_shown);
    free(ui->lf.shown);
    memset(&ui->lf, 0, sizeof(ui->lf));
}
