/*
 * Reassembly in the TUI (issue 10). The pipeline dissects with the reassembler, as the batch
 * outputs do; the views dissect a frame again whenever they show it. A frame that reassembly
 * changed (DIS_REASSEMBLED) cannot be dissected again on its own, so its dissection is kept in
 * a dstore (pipeline/dstore.h, a temporary file) and found by its packet index here; every other
 * frame reads the same dissected on its own. ui_dissect() is how every view dissects a packet.
 */
#include <inttypes.h>
#include <string.h>

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

void ui_dissect(struct ui *ui, size_t idx, const struct packet *pkt, struct dissection *d)
{
    struct kept *k = &ui->kept;
    uint64_t handle = kept_handle(k, idx);
    if (handle) {
        char err[PS_ERRBUF_SIZE];
        struct dstore_buf *buf = d == ui->d ? &k->selected_buf : &k->scratch_buf;
        if (dstore_get(k->store, handle, pkt->data, pkt->caplen, d, buf, err))
            goto later;
        ui_message(ui, true, "packet %" PRIu64 ": %s; shown dissected on its own",
                   ui_frame(ui, idx), err);
    }
    dissect_frame(d, pkt->data, pkt->caplen, pkt->len, pkt->linktype, &ui->dopt);
later:
    /* What later frames told about this one: where its fragment or segment was reassembled,
     * where the request it carries was answered. */
    if (k->later_facts)
        later_facts_apply(k->later_facts, d, ui_frame(ui, idx));
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
    later_facts_free(k->later_facts);
    dstore_buf_free(&k->selected_buf);
    dstore_buf_free(&k->scratch_buf);
    free(k->idx);
    free(k->handle);
    memset(k, 0, sizeof(*k));
}
