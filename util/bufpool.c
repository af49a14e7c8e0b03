/* Reading buffers handed over and kept for reuse (bufpool.h). */
#include "util/bufpool.h"

#include <stdlib.h>

#include "util/util.h"

void buf_list_add(struct buf_list *l, uint8_t *p, size_t cap)
{
    l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
    l->v[l->n++] = (struct buf){p, cap};
    l->bytes += cap;
}

void buf_list_free(struct buf_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].p);
    free(l->v);
    *l = (struct buf_list){0};
}

void bufpool_init(struct bufpool *bp, size_t limit)
{
    *bp = (struct bufpool){.limit = limit};
}

uint8_t *bufpool_take(struct bufpool *bp, size_t *cap)
{
    struct buf_list *s = &bp->spares;
    for (size_t i = s->n; i-- > 0;) {
        if (s->v[i].cap < *cap)
            continue;
        struct buf b = s->v[i];
        s->v[i] = s->v[--s->n];
        s->bytes -= b.cap;
        *cap = b.cap;
        return b.p;
    }
    return xmalloc(*cap);
}

void bufpool_keep(struct bufpool *bp, struct buf_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        if (bp->spares.bytes + l->v[i].cap > bp->limit)
            free(l->v[i].p);
        else
            buf_list_add(&bp->spares, l->v[i].p, l->v[i].cap);
    }
    l->n = 0;
    l->bytes = 0;
}

void bufpool_free(struct bufpool *bp)
{
    buf_list_free(&bp->spares);
}
