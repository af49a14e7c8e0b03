/*
 * The reassembled-in map (reasm_in.h): entries sorted by frame, inserted in place. Completions
 * come in capture order and list recent frames, so an insertion lands near the end and moves
 * few entries.
 */
#include "pipeline/reasm_in.h"

#include <stdlib.h>
#include <string.h>

#include "util/util.h"

enum reasm_kind { KIND_IPV4, KIND_IPV6, KIND_TCP };

struct entry {
    uint64_t frame;    /* the earlier frame */
    uint64_t in_frame; /* the frame that completed what it carried */
    uint8_t kind;      /* enum reasm_kind */
};

struct reasm_in {
    struct entry *v;
    size_t n, cap;
};

struct reasm_in *reasm_in_new(void)
{
    return xcalloc(1, sizeof(struct reasm_in));
}

void reasm_in_free(struct reasm_in *m)
{
    if (!m)
        return;
    free(m->v);
    free(m);
}

/* The first entry with frame >= `frame`. */
static size_t lower_bound(const struct reasm_in *m, uint64_t frame)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->v[mid].frame < frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void add(struct reasm_in *m, uint64_t frame, uint64_t in_frame, enum reasm_kind kind)
{
    size_t at = lower_bound(m, frame);
    for (size_t i = at; i < m->n && m->v[i].frame == frame; i++)
        if (m->v[i].kind == kind) {
            m->v[i].in_frame = in_frame; /* a later message it also carried a part of */
            return;
        }
    m->v = xgrow(m->v, &m->cap, m->n + 1, sizeof(*m->v));
    memmove(&m->v[at + 1], &m->v[at], (m->n - at) * sizeof(*m->v));
    m->v[at] = (struct entry){.frame = frame, .in_frame = in_frame, .kind = (uint8_t)kind};
    m->n++;
}

void reasm_in_learn(struct reasm_in *m, const struct dissection *d, uint64_t frame)
{
    if (!(d->flags & DIS_REASSEMBLED))
        return; /* completed nothing */
    for (unsigned i = 0; i < d->nfields; i++) {
        const struct field *f = &d->fields[i];
        enum reasm_kind kind;
        switch (f->id) {
        case FID_IP_FRAGMENT:
        case FID_IP_FRAGMENT_ERROR:
            kind = KIND_IPV4;
            break;
        case FID_IPV6_FRAGMENT:
        case FID_IPV6_FRAGMENT_ERROR:
            kind = KIND_IPV6;
            break;
        case FID_TCP_SEGMENT:
            kind = KIND_TCP;
            break;
        default:
            continue;
        }
        if (f->value != frame && f->value != 0)
            add(m, f->value, frame, kind);
    }
}

void reasm_in_apply(const struct reasm_in *m, struct dissection *d, uint64_t frame)
{
    for (size_t i = lower_bound(m, frame); i < m->n && m->v[i].frame == frame; i++) {
        const struct entry *e = &m->v[i];
        if (e->kind == KIND_IPV4)
            dis_add_late_field(d, PROTO_IPV4, FID_IP_REASSEMBLED_IN, e->in_frame);
        else if (e->kind == KIND_IPV6)
            dis_add_late_field(d, PROTO_IPV6, FID_IPV6_REASSEMBLED_IN, e->in_frame);
        else
            dis_add_late_field(d, PROTO_TCP, FID_TCP_REASSEMBLED_IN, e->in_frame);
    }
}

void reasm_in_forget_before(struct reasm_in *m, uint64_t frame)
{
    size_t drop = lower_bound(m, frame);
    if (drop == 0)
        return; /* (nothing to move; m->v may not exist yet) */
    memmove(m->v, m->v + drop, (m->n - drop) * sizeof(*m->v));
    m->n -= drop;
}

size_t reasm_in_count(const struct reasm_in *m)
{
    return m->n;
}
