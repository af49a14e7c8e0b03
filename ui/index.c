/*
 * The packet index: one fixed entry per packet (where its record is, when it was captured, how
 * long it is) plus the tracker's track_info, so that any packet can be re-read and re-dissected
 * on demand and the list can be scrolled without holding packets in memory.
 *
 * Sources without random access (standard input) get a memory store instead: their packets'
 * bytes are copied into chunks, bounded by MEM_STORE_MAX; packets past the bound stay in the
 * index (counted, tracked) but cannot be shown again, and say so.
 *
 * The track_info of each packet (88 bytes, against 32 for the entry) goes to the ti store: in
 * blocks of TI_BLOCK entries, each written to an unlinked temporary file when full and freed,
 * read back into a small cache of TI_CACHE blocks when asked for. So 1,000,000 packets cost
 * 32 MB of memory instead of 120 MB (issue 13's TUI bound; issue 11's 32 bytes a packet), and
 * the file, which is page cache and not the process's, 88 MB. Reading is sequential in every
 * scan (filters, the connection and ladder views walk packets in order), a block at a time.
 * If no temporary file can be made or written, blocks simply stay in memory, as before.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/outfile.h"
#include "ui/internal.h"

#define TI_BLOCK 4096u /* entries: 352 KB */
#define TI_CACHE 8u    /* blocks read back and kept: 2.8 MB */

struct ti_cached {
    uint64_t block; /* absolute block number + 1; 0: empty */
    uint64_t used;  /* for least-recently-used replacement */
    struct track_info *v;
};

struct ti_store {
    int fd; /* the temporary file; -1 not made yet, -2 cannot be (blocks stay in memory) */
    /* Blocks from first_block on: the entries in memory, or NULL once written to the file. */
    struct track_info **mem;
    size_t nblocks, blocks_cap;
    uint64_t first_block; /* blocks before it were let go with the packets */
    /* A written block's memory, kept for the next block: allocating and freeing 352 KB every
     * 4,096 packets churned the allocator (under ASan its quarantine held every freed block,
     * 86 MB for a million packets). */
    struct track_info *spare;
    struct ti_cached cache[TI_CACHE];
    uint64_t tick;
    char error[PS_ERRBUF_SIZE]; /* the first failure, "" none */
};

static struct ti_store *ti_store_new(void)
{
    struct ti_store *s = xcalloc(1, sizeof(*s));
    s->fd = -1;
    return s;
}

static void ti_store_free(struct ti_store *s)
{
    if (!s)
        return;
    for (size_t b = 0; b < s->nblocks; b++)
        free(s->mem[b]);
    free(s->mem);
    for (unsigned c = 0; c < TI_CACHE; c++)
        free(s->cache[c].v);
    free(s->spare);
    if (s->fd >= 0)
        close(s->fd);
    free(s);
}

static void ti_store_fail(struct ti_store *s, const char *what, int err)
{
    if (!s->error[0])
        snprintf(s->error, sizeof(s->error),
                 "the packets' tracking is kept in memory: %s the temporary file failed (%s)", what,
                 strerror(err));
}

/* Writes full block `slot` to the file and frees its memory; on failure it stays in memory. */
static void ti_store_spill(struct ti_store *s, size_t slot)
{
    if (s->fd == -1) {
        char err[PS_ERRBUF_SIZE];
        s->fd = outfile_temporary("the packets' tracking", "set TMPDIR", err);
        if (s->fd < 0) {
            s->fd = -2;
            if (!s->error[0])
                snprintf(s->error, sizeof(s->error), "%.400s", err);
        }
    }
    if (s->fd < 0)
        return;
    const size_t size = TI_BLOCK * sizeof(struct track_info);
    off_t at = (off_t)((s->first_block + slot) * size);
    const uint8_t *p = (const uint8_t *)s->mem[slot];
    size_t done = 0;
    while (done < size) {
        ssize_t w = pwrite(s->fd, p + done, size - done, at + (off_t)done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            ti_store_fail(s, "writing", w < 0 ? errno : ENOSPC);
            return;
        }
        done += (size_t)w;
    }
    if (!s->spare)
        s->spare = s->mem[slot];
    else
        free(s->mem[slot]);
    s->mem[slot] = NULL;
}

static void ti_store_put(struct ti_store *s, uint64_t k, const struct track_info *ti)
{
    uint64_t block = k / TI_BLOCK;
    size_t slot = (size_t)(block - s->first_block);
    if (slot >= s->nblocks) { /* entries come in order: this is the next block */
        s->mem = xgrow(s->mem, &s->blocks_cap, slot + 1, sizeof(*s->mem));
        s->mem[slot] = s->spare ? s->spare : xmalloc(TI_BLOCK * sizeof(struct track_info));
        s->spare = NULL;
        s->nblocks = slot + 1;
    }
    s->mem[slot][k % TI_BLOCK] = *ti;
    if (k % TI_BLOCK == TI_BLOCK - 1)
        ti_store_spill(s, slot);
}

static const struct track_info *ti_store_get(struct ti_store *s, uint64_t k, struct track_info *buf)
{
    uint64_t block = k / TI_BLOCK;
    size_t slot = (size_t)(block - s->first_block);
    if (block < s->first_block || slot >= s->nblocks)
        return memset(buf, 0, sizeof(*buf));
    if (s->mem[slot]) {
        *buf = s->mem[slot][k % TI_BLOCK];
        return buf;
    }
    struct ti_cached *c = NULL;
    for (unsigned i = 0; i < TI_CACHE; i++) {
        if (s->cache[i].block == block + 1) {
            c = &s->cache[i];
            break;
        }
        if (!c || s->cache[i].used < c->used)
            c = &s->cache[i]; /* the least recently used, if it is not there */
    }
    if (c->block != block + 1) {
        const size_t size = TI_BLOCK * sizeof(struct track_info);
        if (!c->v)
            c->v = xmalloc(size);
        c->block = 0;
        size_t done = 0;
        while (done < size) {
            ssize_t r =
                pread(s->fd, (uint8_t *)c->v + done, size - done, (off_t)(block * size + done));
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0) {
                ti_store_fail(s, "reading back", r < 0 ? errno : EIO);
                return memset(buf, 0, sizeof(*buf));
            }
            done += (size_t)r;
        }
        c->block = block + 1;
    }
    c->used = ++s->tick;
    *buf = c->v[k % TI_BLOCK];
    return buf;
}

/* The packets before absolute entry `k` were let go: so are the blocks that hold only them
 * (their disk given back where the filesystem can). */
static void ti_store_forget_below(struct ti_store *s, uint64_t k)
{
    uint64_t block = k / TI_BLOCK;
    if (block <= s->first_block)
        return;
    size_t drop = (size_t)(block - s->first_block);
    if (drop > s->nblocks)
        drop = s->nblocks;
    for (size_t b = 0; b < drop; b++)
        free(s->mem[b]);
    if (s->fd >= 0) {
        const size_t size = TI_BLOCK * sizeof(struct track_info);
        /* Best effort: where holes cannot be punched, the file keeps the old blocks. */
        (void)fallocate(s->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                        (off_t)(s->first_block * size), (off_t)(drop * size));
    }
    memmove(s->mem, s->mem + drop, (s->nblocks - drop) * sizeof(*s->mem));
    s->nblocks -= drop;
    s->first_block += drop;
}

const struct track_info *index_ti(struct pkt_index *ix, size_t i, struct track_info *buf)
{
    if (i >= ix->n)
        return memset(buf, 0, sizeof(*buf));
    return ti_store_get(ix->tis, ix->base + i, buf);
}

const char *index_ti_error(const struct pkt_index *ix)
{
    return ix->tis && ix->tis->error[0] ? ix->tis->error : NULL;
}

#define MEM_STORE_MAX (512u * 1024 * 1024)
#define MEM_CHUNK (4u * 1024 * 1024)

struct mem_store {
    uint8_t **chunks;
    size_t nchunks, chunks_cap;
    size_t used_in_last; /* bytes used in the last chunk */
    size_t last_size;    /* size of the last chunk */
    uint64_t total;
};

void index_init(struct pkt_index *ix, bool need_memory_store)
{
    memset(ix, 0, sizeof(*ix));
    if (need_memory_store)
        ix->mem = xcalloc(1, sizeof(*ix->mem));
    ix->tis = ti_store_new();
}

void index_release(struct pkt_index *ix)
{
    if (ix->mem) {
        for (size_t i = 0; i < ix->mem->nchunks; i++)
            free(ix->mem->chunks[i]);
        free(ix->mem->chunks);
        free(ix->mem);
    }
    free(ix->v);
    ti_store_free(ix->tis);
    memset(ix, 0, sizeof(*ix));
}

/* Copies the packet into the store; returns its offset (chunk << 32 | offset) or IDX_NOT_KEPT. */
static uint64_t mem_put(struct mem_store *m, const struct packet *pkt)
{
    size_t need = pkt->caplen;
    if (m->total + need > MEM_STORE_MAX)
        return IDX_NOT_KEPT;
    size_t chunk_size = need > MEM_CHUNK ? need : MEM_CHUNK;
    if (m->nchunks == 0 || m->last_size - m->used_in_last < need) {
        m->chunks = xgrow(m->chunks, &m->chunks_cap, m->nchunks + 1, sizeof(*m->chunks));
        m->chunks[m->nchunks++] = xmalloc(chunk_size);
        m->used_in_last = 0;
        m->last_size = chunk_size;
        m->total += chunk_size;
    }
    uint64_t off = ((uint64_t)(m->nchunks - 1) << 32) | m->used_in_last;
    if (need)
        memcpy(m->chunks[m->nchunks - 1] + m->used_in_last, pkt->data, need);
    m->used_in_last += need;
    return off;
}

size_t index_add(struct pkt_index *ix, const struct packet *pkt, const struct track_info *ti)
{
    ix->v = xgrow(ix->v, &ix->cap, ix->n + 1, sizeof(*ix->v));
    if (ix->n == 0 && ix->base == 0) {
        ix->first_ts_sec = pkt->ts_sec;
        ix->first_ts_nsec = pkt->ts_nsec;
    }
    struct pkt_entry *e = &ix->v[ix->n];
    e->record_off = ix->mem ? mem_put(ix->mem, pkt) : pkt->record_off;
    e->ts_sec = pkt->ts_sec;
    e->ts_nsec = pkt->ts_nsec;
    e->len = pkt->len;
    e->caplen = pkt->caplen;
    e->linktype = pkt->linktype;
    ti_store_put(ix->tis, ix->base + ix->n, ti);
    return ix->n++;
}

void index_forget_oldest(struct pkt_index *ix, size_t k)
{
    if (k > ix->n)
        k = ix->n;
    memmove(ix->v, ix->v + k, (ix->n - k) * sizeof(*ix->v));
    ix->n -= k;
    ix->base += k;
    ti_store_forget_below(ix->tis, ix->base);
}

int index_read(struct pkt_index *ix, struct source *src, size_t i, struct packet *pkt, char *errbuf)
{
    if (i >= ix->n)
        return ps_err(errbuf, "packet %" PRIu64 " is not in the index", ix->base + i + 1),
               SOURCE_ERROR;
    const struct pkt_entry *e = &ix->v[i];
    if (ix->mem) {
        if (e->record_off == IDX_NOT_KEPT) {
            ps_err(errbuf,
                   "packet %zu was read from a pipe and not kept in memory (over %u MiB); "
                   "save the capture to a file to see every packet",
                   i + 1, MEM_STORE_MAX >> 20);
            return SOURCE_ERROR;
        }
        size_t chunk = (size_t)(e->record_off >> 32);
        size_t off = (size_t)(e->record_off & 0xffffffffu);
        memset(pkt, 0, sizeof(*pkt));
        pkt->data = ix->mem->chunks[chunk] + off;
        pkt->caplen = e->caplen;
        pkt->len = e->len;
        pkt->ts_sec = e->ts_sec;
        pkt->ts_nsec = e->ts_nsec;
        pkt->linktype = e->linktype;
        pkt->number = ix->base + i + 1;
        return SOURCE_PACKET;
    }
    if (!src->ops->read_at) {
        ps_err(errbuf, "this source cannot re-read packets");
        return SOURCE_ERROR;
    }
    return src->ops->read_at(src, e->record_off, ix->base + i + 1, pkt, errbuf);
}
