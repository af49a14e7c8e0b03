/* The record store that spills to a temporary file (spill.h). */
#include "util/spill.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/outfile.h"
#include "util/util.h"

struct spill_cached {
    uint64_t block; /* absolute block number + 1; 0: empty */
    uint64_t used;  /* for least-recently-used replacement */
    uint8_t *v;
};

struct spill {
    size_t rec_size, block_recs;
    const char *what;
    int fd; /* the temporary file; -1 not made yet, -2 cannot be (blocks stay in memory) */
    /* Blocks from first_block on: the records in memory, or NULL once written to the file. */
    uint8_t **mem;
    size_t nblocks, blocks_cap;
    uint64_t first_block; /* blocks before it were let go */
    uint64_t count;       /* records put */
    /* A written block's memory, kept for the next block: allocating and freeing a block every
     * block of records churned the allocator (under ASan its quarantine held every freed
     * block, 86 MB for a million packets' tracking). */
    uint8_t *spare;
    struct spill_cached cache[SPILL_CACHE];
    uint64_t tick;
    char error[PS_ERRBUF_SIZE]; /* the first failure, "" none */
};

static size_t block_size(const struct spill *s)
{
    return s->block_recs * s->rec_size;
}

struct spill *spill_new(size_t rec_size, size_t block_recs, const char *what)
{
    struct spill *s = xcalloc(1, sizeof(*s));
    s->rec_size = rec_size;
    s->block_recs = block_recs;
    s->what = what;
    s->fd = -1;
    return s;
}

void spill_free(struct spill *s)
{
    if (!s)
        return;
    for (size_t b = 0; b < s->nblocks; b++)
        free(s->mem[b]);
    free(s->mem);
    for (unsigned c = 0; c < SPILL_CACHE; c++)
        free(s->cache[c].v);
    free(s->spare);
    if (s->fd >= 0)
        close(s->fd);
    free(s);
}

static void spill_fail(struct spill *s, const char *how, int err)
{
    if (!s->error[0])
        snprintf(s->error, sizeof(s->error),
                 "%s is kept in memory: %s the temporary file failed (%s)", s->what, how,
                 strerror(err));
}

/* Writes full block `slot` to the file and keeps its memory for the next block; on failure it
 * stays in memory. */
static void spill_block(struct spill *s, size_t slot)
{
    if (s->fd == -1) {
        char err[PS_ERRBUF_SIZE];
        s->fd = outfile_temporary(s->what, "set TMPDIR", err);
        if (s->fd < 0) {
            s->fd = -2;
            if (!s->error[0])
                snprintf(s->error, sizeof(s->error), "%.400s", err);
        }
    }
    if (s->fd < 0)
        return;
    const size_t size = block_size(s);
    off_t at = (off_t)((s->first_block + slot) * size);
    const uint8_t *p = s->mem[slot];
    size_t done = 0;
    while (done < size) {
        ssize_t w = pwrite(s->fd, p + done, size - done, at + (off_t)done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            spill_fail(s, "writing", w < 0 ? errno : ENOSPC);
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

void spill_put(struct spill *s, uint64_t k, const void *rec)
{
    uint64_t block = k / s->block_recs;
    size_t slot = (size_t)(block - s->first_block);
    if (slot >= s->nblocks) { /* records come in order: this is the next block */
        s->mem = xgrow(s->mem, &s->blocks_cap, slot + 1, sizeof(*s->mem));
        s->mem[slot] = s->spare ? s->spare : xmalloc(block_size(s));
        s->spare = NULL;
        s->nblocks = slot + 1;
    }
    memcpy(s->mem[slot] + (k % s->block_recs) * s->rec_size, rec, s->rec_size);
    s->count = k + 1;
    if (k % s->block_recs == s->block_recs - 1)
        spill_block(s, slot);
}

void *spill_get(struct spill *s, uint64_t k, void *buf)
{
    uint64_t block = k / s->block_recs;
    size_t slot = (size_t)(block - s->first_block);
    if (block < s->first_block || slot >= s->nblocks || k >= s->count)
        return memset(buf, 0, s->rec_size);
    const size_t at = (k % s->block_recs) * s->rec_size;
    if (s->mem[slot])
        return memcpy(buf, s->mem[slot] + at, s->rec_size);
    struct spill_cached *c = NULL;
    for (unsigned i = 0; i < SPILL_CACHE; i++) {
        if (s->cache[i].block == block + 1) {
            c = &s->cache[i];
            break;
        }
        if (!c || s->cache[i].used < c->used)
            c = &s->cache[i]; /* the least recently used, if it is not there */
    }
    if (c->block != block + 1) {
        const size_t size = block_size(s);
        if (!c->v)
            c->v = xmalloc(size);
        c->block = 0;
        size_t done = 0;
        while (done < size) {
            ssize_t r = pread(s->fd, c->v + done, size - done, (off_t)(block * size + done));
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0) {
                spill_fail(s, "reading back", r < 0 ? errno : EIO);
                return memset(buf, 0, s->rec_size);
            }
            done += (size_t)r;
        }
        c->block = block + 1;
    }
    c->used = ++s->tick;
    return memcpy(buf, c->v + at, s->rec_size);
}

uint64_t spill_count(const struct spill *s)
{
    return s->count;
}

void spill_forget_below(struct spill *s, uint64_t k)
{
    uint64_t block = k / s->block_recs;
    if (block <= s->first_block)
        return;
    size_t drop = (size_t)(block - s->first_block);
    if (drop > s->nblocks)
        drop = s->nblocks;
    for (size_t b = 0; b < drop; b++)
        free(s->mem[b]);
    if (s->fd >= 0) {
        const size_t size = block_size(s);
        /* Best effort: where holes cannot be punched, the file keeps the old blocks. */
        (void)fallocate(s->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                        (off_t)(s->first_block * size), (off_t)(drop * size));
    }
    memmove(s->mem, s->mem + drop, (s->nblocks - drop) * sizeof(*s->mem));
    s->nblocks -= drop;
    s->first_block += drop;
}

const char *spill_error(const struct spill *s)
{
    return s && s->error[0] ? s->error : NULL;
}
