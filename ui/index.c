/*
 * The packet index: one fixed entry per packet (where its record is, when it was captured, how
 * long it is) plus the tracker's track_info, so that any packet can be re-read and re-dissected
 * on demand and the list can be scrolled without holding packets in memory.
 *
 * Sources without random access (standard input) get a memory store instead: their packets'
 * bytes are copied into chunks, bounded by MEM_STORE_MAX; packets past the bound stay in the
 * index (counted, tracked) but cannot be shown again, and say so.
 *
 * Each packet's entry (32 bytes) and track_info (88 bytes) go to a spill store (util/spill.h):
 * in blocks of IDX_BLOCK, each written to an unlinked temporary file when full, read back into
 * a small cache of SPILL_CACHE blocks when asked for. So 1,000,000 packets cost no memory but
 * that cache (1.9 MB) instead of 120 MB (issue 13's TUI bound of 128 MiB for a million
 * connections, which a 32-byte entry in memory a packet left no room for), and the file,
 * which is page cache and not the process's, 120 MB. Reading is sequential in every scan
 * (filters, the connection and ladder views walk packets in order), a block at a time.
 * If no temporary file can be made or written, blocks simply stay in memory, as before.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util/spill.h"
#include "ui/internal.h"

#define IDX_BLOCK 2048u /* packets a block: 240 KB */

/* What the index keeps of a packet. */
struct idx_rec {
    struct pkt_entry e;
    struct track_info ti;
};

const struct pkt_entry *index_entry(struct pkt_index *ix, size_t i, struct pkt_entry *buf)
{
    struct idx_rec r;
    if (i < ix->n) {
        *buf = ((struct idx_rec *)spill_get(ix->recs, ix->base + i, &r))->e;
        return buf;
    }
    if (i < ix->outlined) {
        spill_get(ix->outline, i, buf);
        return buf;
    }
    return memset(buf, 0, sizeof(*buf));
}

const struct track_info *index_ti(struct pkt_index *ix, size_t i, struct track_info *buf)
{
    struct idx_rec r;
    if (i >= ix->n)
        return memset(buf, 0, sizeof(*buf));
    *buf = ((struct idx_rec *)spill_get(ix->recs, ix->base + i, &r))->ti;
    return buf;
}

const char *index_ti_error(const struct pkt_index *ix)
{
    return spill_error(ix->recs);
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
    ix->recs = spill_new(sizeof(struct idx_rec), IDX_BLOCK, "the packet index");
}

void index_release(struct pkt_index *ix)
{
    if (ix->mem) {
        for (size_t i = 0; i < ix->mem->nchunks; i++)
            free(ix->mem->chunks[i]);
        free(ix->mem->chunks);
        free(ix->mem);
    }
    spill_free(ix->recs);
    if (ix->outline)
        spill_free(ix->outline);
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
    if (ix->n == 0 && ix->base == 0) {
        ix->first_ts_sec = pkt->ts_sec;
        ix->first_ts_nsec = pkt->ts_nsec;
    }
    struct idx_rec r;
    memset(&r, 0, sizeof(r)); /* the padding too: it goes to a file */
    r.e.record_off = ix->mem ? mem_put(ix->mem, pkt) : pkt->record_off;
    r.e.ts_sec = pkt->ts_sec;
    r.e.ts_nsec = pkt->ts_nsec;
    r.e.len = pkt->len;
    r.e.caplen = pkt->caplen;
    r.e.linktype = pkt->linktype;
    r.ti = *ti;
    spill_put(ix->recs, ix->base + ix->n, &r);
    return ix->n++;
}

void index_outline(struct pkt_index *ix, struct source *src, const struct packet_index *e, size_t k)
{
    if (!ix->outline)
        ix->outline = spill_new(sizeof(struct pkt_entry), IDX_BLOCK * 4, "the packet outline");
    for (size_t j = 0; j < k; j++) {
        if (ix->outlined == 0 && ix->n == 0 && ix->base == 0) {
            ix->first_ts_sec = e[j].ts_sec;
            ix->first_ts_nsec = e[j].ts_nsec;
        }
        struct pkt_entry pe;
        memset(&pe, 0, sizeof(pe)); /* the padding too: it goes to a file */
        pe.record_off = e[j].record_off;
        pe.ts_sec = e[j].ts_sec;
        pe.ts_nsec = e[j].ts_nsec;
        pe.len = e[j].len;
        pe.caplen = e[j].caplen;
        const struct interface_info *ifc = file_source_interface(src, e[j].ifindex);
        pe.linktype = ifc ? ifc->linktype : 0;
        spill_put(ix->outline, ix->outlined++, &pe);
    }
}

void index_outline_trim(struct pkt_index *ix)
{
    if (ix->outlined > ix->n)
        ix->outlined = ix->n;
}

void index_forget_oldest(struct pkt_index *ix, size_t k)
{
    if (k > ix->n)
        k = ix->n;
    ix->n -= k;
    ix->base += k;
    spill_forget_below(ix->recs, ix->base);
}

int index_read(struct pkt_index *ix, struct source *src, size_t i, struct packet *pkt, char *errbuf)
{
    if (i >= index_count(ix))
        return ps_err(errbuf, "packet %" PRIu64 " is not in the index", ix->base + i + 1),
               SOURCE_ERROR;
    struct pkt_entry ebuf;
    const struct pkt_entry *e = index_entry(ix, i, &ebuf);
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
