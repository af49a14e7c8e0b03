/*
 * Reassembly in the TUI (issue 10). The pipeline dissects with the reassembler, as the batch
 * outputs do; the views dissect a frame again whenever they show it. A frame that reassembly
 * changed (DIS_REASSEMBLED) cannot be dissected again on its own, so its dissection is kept in
 * a dstore (pipeline/dstore.h, a temporary file) and found by its packet index here; every other
 * frame reads the same dissected on its own. ui_dissect() is how every view dissects a packet.
 */
#include <inttypes.h>
#include <string.h>

#include "capture/spool.h"
#include "dissect/reasm.h"
#include "ui/internal.h"

void kept_init(struct ui *ui, bool reassembly)
{
    memset(&ui->kept, 0, sizeof(ui->kept));
    /* Where requests were answered is told with or without reassembly. */
    ui->kept.later_facts = later_facts_new();
    if (!reassembly)
        return;
    char err[PS_ERRBUF_SIZE];
    ui->kept.store = dstore_new(DSTORE_DEFAULT_MAX_BYTES, err);
    if (!ui->kept.store)
        snprintf(ui->kept.error, sizeof(ui->kept.error), "%s", err);
}

/* A frame read again for reassembled bytes kept as pieces: through the reader of its own, so
 * that the packet a view is reading stays as it was read. */
/* The blocks of the frames reader's cache (file_source_cache_blocks: 128 KB each). */
#define KEPT_FRAME_BLOCKS 64

static bool kept_read_frame(void *ctx, uint64_t frame, const uint8_t **data, uint32_t *caplen,
                            char *errbuf)
{
    struct ui *ui = ctx;
    if (frame <= ui->idx.base || frame - ui->idx.base - 1 >= ui->idx.n) {
        ps_err(errbuf, "packet %" PRIu64 " is not in the index", frame);
        return false;
    }
    struct pkt_entry ebuf;
    const struct pkt_entry *e = index_entry(&ui->idx, (size_t)(frame - ui->idx.base - 1), &ebuf);
    struct kept *k = &ui->kept;
    struct source *f = k->frames;
    /* A pcapng file's read_at() knows the sections and interfaces its reader has passed: the
     * reader indexes its way to the record first (once; a pcap file needs nothing). */
    while (k->frames_pcapng && k->frames_passed <= e->record_off) {
        struct packet_index passed[64];
        size_t n = 0;
        int r = file_source_index(f, passed, ARRAY_SIZE(passed), &n, errbuf);
        if (n)
            k->frames_passed = passed[n - 1].record_off + 1;
        if (r != SOURCE_PACKET && k->frames_passed <= e->record_off) {
            if (r != SOURCE_ERROR)
                ps_err(errbuf, "the capture file no longer holds packet %" PRIu64, frame);
            return false;
        }
    }
    struct packet pkt;
    if (f->ops->read_at(f, e->record_off, frame, &pkt, errbuf) != SOURCE_PACKET)
        return false;
    *data = pkt.data;
    *caplen = pkt.caplen;
    return true;
}

void kept_read_frames(struct ui *ui, struct source *src)
{
    struct kept *k = &ui->kept;
    struct reasm *r = ui->pipe ? pipeline_reasm(ui->pipe) : NULL;
    if (k->frames) {
        source_close(k->frames);
        k->frames = NULL;
    }
    k->frames_passed = 0;
    if (k->store)
        dstore_set_frames(k->store, NULL, NULL);
    if (r) {
        reasm_keep_pieces(r, false);
        /* every segment of a long message told where it went, not its first 64 */
        reasm_keep_all_frames(r, true);
    }
    /* A file read whole from its start, as the index numbers it: not a pipe, a spool (live, -w)
     * or a file still growing (--follow), whose frames a second reader may not see alike. */
    bool plain_file = src && r && k->store && source_has(src, SOURCE_CAP_RANDOM_ACCESS) &&
                      !source_has(src, SOURCE_CAP_LIVE) && !source_has(src, SOURCE_CAP_GROWING) &&
                      !spool_source_inner(src) && src->name && strcmp(src->name, "-") != 0;
    if (!plain_file)
        return;
    char err[PS_ERRBUF_SIZE];
    k->frames = file_source_open(src->name, false, err);
    if (!k->frames)
        return; /* the reassembled bytes are kept as they are */
    k->frames_pcapng = strcmp(k->frames->format, "pcapng") == 0;
    /* A message's pieces come from frames a few MB back at most, and the next message's from
     * much the same frames: a pread() each was 55 % of a display filter over the 1 GB
     * generated capture (417,104 of them), 8 MB of blocks read each byte about once. */
    file_source_cache_blocks(k->frames, KEPT_FRAME_BLOCKS);
    dstore_set_frames(k->store, kept_read_frame, ui);
    reasm_keep_pieces(r, true);
}

void kept_add(struct ui *ui, size_t idx, const struct dissection *d, const struct track_info *ti)
{
    struct kept *k = &ui->kept;
    later_facts_learn(k->later_facts, d, ti, ui_frame(ui, idx));
    if (!(d->flags & DIS_REASSEMBLED))
        return;
    uint64_t handle = k->store ? dstore_put(k->store, d) : 0;
    if (!handle) {
        k->not_kept++;
        return;
    }
    if (k->n == k->cap) {
        size_t cap = k->cap;
        k->idx = xgrow(k->idx, &cap, k->n + 1, sizeof(*k->idx));
        k->handle = xrealloc(k->handle, cap * sizeof(*k->handle));
        k->cap = cap;
    }
    k->idx[k->n] = (uint32_t)idx;
    k->handle[k->n++] = handle;
}

/* The handle of packet idx's kept dissection, or 0. */
static uint64_t kept_handle(const struct kept *k, size_t idx)
{
    size_t pos = shown_lower_bound(k->idx, k->n, idx);
    return pos < k->n && k->idx[pos] == idx ? k->handle[pos] : 0;
}

bool ui_is_reassembled(const struct ui *ui, size_t idx)
{
    return kept_handle(&ui->kept, idx) != 0;
}

static bool filter_wants_bytes(const void *df, const struct dissection *d, uint32_t from)
{
    return dfilter_reads_bytes_from(df, d, from);
}

/* With df NULL, ui_dissect: every byte of the packet. */
void ui_dissect_to_match(struct ui *ui, size_t idx, const struct packet *pkt, struct dissection *d,
                         const struct dfilter *df)
{
    struct kept *k = &ui->kept;
    uint64_t handle = kept_handle(k, idx);
    if (handle) {
        char err[PS_ERRBUF_SIZE];
        struct dstore_buf *buf = d == ui->d ? &k->selected_buf : &k->scratch_buf;
        if (dstore_get_for(k->store, handle, pkt->data, pkt->caplen, d, buf,
                           df ? filter_wants_bytes : NULL, df, err))
            goto later;
        ui_message(ui, true, "packet %" PRIu64 ": %s; shown dissected on its own",
                   ui_frame(ui, idx), err);
    }
    struct dissect_options opt = ui->dopt;
    dissect_options_at(&opt, pkt);
    dissect_frame(d, pkt->data, pkt->caplen, pkt->len, pkt->linktype, &opt);
later:
    /* What later frames told about this one: where its fragment or segment was reassembled,
     * where the request it carries was answered. */
    if (k->later_facts)
        later_facts_apply(k->later_facts, d, ui_frame(ui, idx));
}

void ui_dissect(struct ui *ui, size_t idx, const struct packet *pkt, struct dissection *d)
{
    ui_dissect_to_match(ui, idx, pkt, d, NULL);
}

void kept_forget_oldest(struct ui *ui, size_t n)
{
    struct kept *k = &ui->kept;
    size_t drop = shown_lower_bound(k->idx, k->n, n);
    for (size_t j = drop; j < k->n; j++) {
        k->idx[j - drop] = k->idx[j] - (uint32_t)n;
        k->handle[j - drop] = k->handle[j];
    }
    k->n -= drop;
    if (k->later_facts)
        later_facts_forget_before(k->later_facts, ui->idx.base + 1);
}

void kept_release(struct ui *ui)
{
    struct kept *k = &ui->kept;
    dstore_free(k->store);
    if (k->frames)
        source_close(k->frames);
    later_facts_free(k->later_facts);
    dstore_buf_free(&k->selected_buf);
    dstore_buf_free(&k->scratch_buf);
    free(k->idx);
    free(k->handle);
    memset(k, 0, sizeof(*k));
}
