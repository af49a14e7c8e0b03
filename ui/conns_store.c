/*
 * The connection summaries the tracker lets go, kept on disk (issue 13): the TUI sets
 * max_conns for a file as the batch modes do, so that the tracker holds only the newest
 * summaries and those of the flows it still tracks; each summary it lets go (conn_forget) is
 * put in a spill store (util/spill.h: a temporary file, read back a block at a time) and found
 * again by its stream number. ui_conn() is how the views read a summary, wherever it is.
 *
 * A summary let go is final (track.h, conn_forget): its flow is gone, and only a flow changes
 * a summary. If its 5-tuple comes back, the tracker recalls it (conn_recall) and goes on with
 * it; when it is let go again it is put again, and the newer record is the one found.
 *
 * Memory: 4 bytes a stream number (where its record is) besides the spill store's cache. A
 * capture that never ends (live, --follow) lets summaries go for good instead (the list keeps
 * the newest packets only, too), so it has no store.
 */
#include <stdlib.h>
#include <string.h>

#include "ui/internal.h"
#include "util/spill.h"

#define CONNS_STORE_SLOTS 4 /* tracker_proto_slot(): TCP, UDP, ICMP, ICMPv6 */
/* Summaries a block: 100 KB, so that the cache of SPILL_CACHE blocks costs 800 KB, and a
 * sequential read (the connection view's sort reads them all) still reads 100 KB at a time. */
#define CONNS_BLOCK 512u

struct conns_store {
    struct spill *recs; /* struct conn, in the order they were let go */
    /* By protocol slot and stream number: record number + 1, 0 none. */
    uint32_t *where[CONNS_STORE_SLOTS];
    size_t where_cap[CONNS_STORE_SLOTS];
    uint64_t put; /* summaries put, a summary put again counted again */
};

struct conns_store *conns_store_new(void)
{
    struct conns_store *s = xcalloc(1, sizeof(*s));
    s->recs = spill_new(sizeof(struct conn), CONNS_BLOCK, "the connection summaries");
    return s;
}

void conns_store_free(struct conns_store *s)
{
    if (!s)
        return;
    spill_free(s->recs);
    for (int k = 0; k < CONNS_STORE_SLOTS; k++)
        free(s->where[k]);
    free(s);
}

/* tracker_config.conn_forget */
void conns_store_forget(void *ctx, const struct conn *c)
{
    struct conns_store *s = ctx;
    int k = tracker_proto_slot(c->proto);
    uint64_t rec = spill_count(s->recs);
    if (k < 0 || rec >= UINT32_MAX)
        return; /* (4 billion summaries: a capture far past what the TUI can index) */
    size_t old = s->where_cap[k];
    s->where[k] = xgrow(s->where[k], &s->where_cap[k], (size_t)c->id + 1, sizeof(uint32_t));
    if (s->where_cap[k] > old)
        memset(s->where[k] + old, 0, (s->where_cap[k] - old) * sizeof(uint32_t));
    spill_put(s->recs, rec, c);
    s->where[k][c->id] = (uint32_t)rec + 1;
    s->put++;
}

static bool stored(const struct conns_store *s, uint8_t proto, uint32_t stream, uint64_t *rec)
{
    int k = s ? tracker_proto_slot(proto) : -1;
    if (k < 0 || stream >= s->where_cap[k] || !s->where[k][stream])
        return false;
    *rec = s->where[k][stream] - 1;
    return true;
}

/* tracker_config.conn_recall */
bool conns_store_recall(void *ctx, uint8_t proto, uint32_t stream, struct conn *out)
{
    struct conns_store *s = ctx;
    uint64_t rec;
    if (!stored(s, proto, stream, &rec))
        return false;
    spill_get(s->recs, rec, out);
    return out->proto == proto && out->id == stream; /* not a record that could not be read */
}

const char *conns_store_error(const struct conns_store *s)
{
    return s ? spill_error(s->recs) : NULL;
}

const struct conn *ui_conn(const struct ui *ui, uint8_t proto, uint32_t stream, struct conn *buf)
{
    const struct conn *c = tracker_conn(ui_tracker(ui), proto, stream);
    if (c)
        return c;
    return conns_store_recall(ui->conns, proto, stream, buf) ? buf : NULL;
}

bool ui_conn_known(const struct ui *ui, uint8_t proto, uint32_t stream)
{
    uint64_t rec;
    return tracker_conn(ui_tracker(ui), proto, stream) || stored(ui->conns, proto, stream, &rec);
}

size_t ui_conn_rows(const struct ui *ui, uint8_t proto)
{
    const struct tracker *t = ui_tracker(ui);
    if (!ui->conns) /* a capture that never ends may have let the oldest go: those kept */
        return tracker_conn_kept(t, proto);
    size_t n = 0, count = tracker_conn_count(t, proto);
    for (size_t s = 0; s < count && s <= UINT32_MAX; s++)
        n += ui_conn_known(ui, proto, (uint32_t)s);
    return n;
}

const struct conn *ui_conn_next(const struct ui *ui, uint8_t proto, size_t *pos, struct conn *buf)
{
    const struct tracker *t = ui_tracker(ui);
    if (!ui->conns) {
        const struct conn *c = tracker_conn_nth(t, proto, *pos);
        if (c)
            ++*pos;
        return c;
    }
    size_t count = tracker_conn_count(t, proto);
    while (*pos < count && *pos <= UINT32_MAX) {
        const struct conn *c = ui_conn(ui, proto, (uint32_t)(*pos)++, buf);
        if (c)
            return c;
    }
    return NULL;
}
