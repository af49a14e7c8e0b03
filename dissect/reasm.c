/*
 * IP fragment reassembly (RFC 791 3.2, RFC 8200 4.5) and the shared buffer that holds what was
 * reassembled for the frame being dissected. TCP reassembly is in reasm_tcp.c.
 *
 * A datagram is keyed by (version, source, destination, identification, protocol), as RFC 791
 * and Wireshark key it. Each fragment's bytes are kept as they came; the datagram is built when
 * the last fragment (MF clear) is there and the fragments cover [0, total) without a hole, the
 * way Wireshark's reassemble.c builds it: fragments in offset order, each copied whole at its
 * offset (so where two overlap, the one at the higher offset, or the later one at the same
 * offset, wins), an overlap flagged, and flagged as a conflict when the overlapping bytes
 * differ; bytes past the total length are cut ("too long").
 */
#include "dissect/reasm_internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/util.h"

enum {
    FRAG_BUCKETS = 1024,       /* hash chains of pending datagrams */
    FRAG_MAX_PER_DGRAM = 1024, /* fragments of one datagram (64 KiB / 64-byte fragments) */
};

struct frag {
    uint64_t frame;
    uint32_t off, len;
    uint8_t *data;
};

struct dgram {
    struct reasm_ip_key key;
    uint32_t hash;
    int64_t first_ts;
    struct dgram *chain;         /* next in the hash bucket */
    struct dgram *older, *newer; /* the age list: oldest first */
    struct frag *frags;          /* in arrival order */
    uint32_t nfrags, cap;
    uint32_t total;                 /* end of the last fragment (MF clear), when have_last */
    bool have_last, multiple_tails; /* a second, different, last fragment */
    bool shared;                    /* every worker's (reasm_share_frame) */
    size_t bytes;
};

/* Counts one datagram's outcome: in the totals, and among the shared ones if it is one. */
static void dgram_count(uint64_t *total, uint64_t *shared, const struct dgram *g)
{
    (*total)++;
    if (g->shared)
        (*shared)++;
}

static void reasm_limits_fix(struct reasm_limits *lim)
{
    struct reasm_limits def;
    reasm_default_limits(&def);
    if (!lim->max_bytes)
        lim->max_bytes = def.max_bytes;
    if (!lim->max_datagrams)
        lim->max_datagrams = def.max_datagrams;
    if (!lim->frag_timeout_s)
        lim->frag_timeout_s = def.frag_timeout_s;
    if (!lim->max_streams)
        lim->max_streams = def.max_streams;
    if (!lim->max_pdu)
        lim->max_pdu = def.max_pdu;
}

void reasm_default_limits(struct reasm_limits *lim)
{
    lim->max_bytes = (size_t)64 << 20;
    lim->max_datagrams = 4096;
    lim->frag_timeout_s = 30; /* Linux's net.ipv4.ipfrag_time */
    lim->max_streams = 4096;
    lim->max_pdu = 8u << 20;
}

struct reasm *reasm_new(const struct reasm_limits *lim)
{
    struct reasm *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    if (lim)
        r->lim = *lim;
    reasm_limits_fix(&r->lim);
    r->seed = hash_seed();
    r->buckets = calloc(FRAG_BUCKETS, sizeof(*r->buckets));
    if (!r->buckets) {
        free(r);
        return NULL;
    }
    return r;
}

static void dgram_free(struct reasm *r, struct dgram *g)
{
    for (uint32_t i = 0; i < g->nfrags; i++)
        free(g->frags[i].data);
    free(g->frags);
    r->stats.bytes_now -= g->bytes;
    if (g->shared)
        r->stats.shared.bytes_now -= g->bytes;
    r->ndgrams--;
    free(g);
}

/* Takes g out of its bucket and the age list, and frees it. */
static void dgram_drop(struct reasm *r, struct dgram *g)
{
    struct dgram **pp = &r->buckets[g->hash % FRAG_BUCKETS];
    while (*pp && *pp != g)
        pp = &(*pp)->chain;
    if (*pp)
        *pp = g->chain;
    if (g->older)
        g->older->newer = g->newer;
    else
        r->oldest = g->newer;
    if (g->newer)
        g->newer->older = g->older;
    else
        r->newest = g->older;
    dgram_free(r, g);
}

void reasm_free(struct reasm *r)
{
    if (!r)
        return;
    while (r->oldest)
        dgram_drop(r, r->oldest);
    reasm_tcp_free(r);
    reasm_tcp_free_spares(r);
    free(r->buckets);
    free(r->buf);
    free(r->tail);
    free(r->told);
    free(r);
}

void reasm_keep_pieces(struct reasm *r, bool on)
{
    r->keep_pieces = on;
}

void reasm_keep_all_frames(struct reasm *r, bool on)
{
    r->keep_all_frames = on;
}

size_t reasm_more_frames(const struct reasm *r, const struct reasm_told **told)
{
    *told = r->told;
    return r->ntold;
}

void reasm_tell(struct reasm *r, uint64_t frame, enum reasm_told_kind kind)
{
    if (r->ntold == r->told_cap)
        r->told = xgrow(r->told, &r->told_cap, r->ntold + 1, sizeof(*r->told));
    r->told[r->ntold++] = (struct reasm_told){.frame = frame, .kind = (uint8_t)kind};
}

bool reasm_tail_pieces(const struct reasm *r, const struct reasm_piece **pieces, size_t *n)
{
    if (r->appended == 0 || !r->tail_told)
        return false;
    *pieces = r->tail;
    *n = r->ntail;
    return true;
}

void reasm_frame(struct reasm *r, uint64_t number, int64_t ts_sec)
{
    r->frame = number;
    r->now = ts_sec;
    r->appended = 0;
    r->ntold = 0;
    if (r->lent)
        reasm_tcp_return_lent(r);
    r->datagram = REASM_DATAGRAM_NONE;
    r->frame_shared = false;
    r->stats.bytes_frame_peak = r->stats.bytes_now;
    /* Datagrams older than the timeout will not complete any more (RFC 791's reassembly timer;
     * the age list is in order of first fragments, which is time order in a capture). */
    while (r->oldest && ts_sec - r->oldest->first_ts > (int64_t)r->lim.frag_timeout_s) {
        dgram_count(&r->stats.datagrams_timed_out, &r->stats.shared.timed_out, r->oldest);
        dgram_drop(r, r->oldest);
    }
}

void reasm_share_frame(struct reasm *r)
{
    r->frame_shared = true;
}

void reasm_finish(struct reasm *r)
{
    while (r->oldest) {
        dgram_count(&r->stats.datagrams_timed_out, &r->stats.shared.timed_out, r->oldest);
        dgram_drop(r, r->oldest);
    }
    reasm_tcp_finish(r);
}

void reasm_set_owner(struct reasm *r, reasm_owned_fn owned, void *ctx)
{
    r->owned = owned;
    r->owned_ctx = ctx;
}

void reasm_set_segment_kind(struct reasm *r, reasm_segment_fn kind, void *ctx)
{
    r->segment_kind = kind;
    r->segment_kind_ctx = ctx;
}

enum reasm_datagram reasm_frame_datagram(const struct reasm *r)
{
    return (enum reasm_datagram)r->datagram;
}

const struct reasm_stats *reasm_stats(const struct reasm *r)
{
    return &r->stats;
}

bool reasm_charge(struct reasm *r, size_t n)
{
    if (n > r->lim.max_bytes - r->stats.bytes_now)
        return false;
    r->stats.bytes_now += n;
    if (r->stats.bytes_now > r->stats.bytes_peak)
        r->stats.bytes_peak = r->stats.bytes_now;
    if (r->stats.bytes_now > r->stats.bytes_frame_peak)
        r->stats.bytes_frame_peak = r->stats.bytes_now;
    return true;
}

/* The pieces of bytes appended to the frame, added to its list while all are told. */
static void tail_note(struct reasm *r, const struct reasm_piece *pieces, size_t npieces)
{
    if (r->tail_told && pieces) {
        r->tail = xgrow(r->tail, &r->tail_cap, r->ntail + npieces, sizeof(*r->tail));
        memcpy(r->tail + r->ntail, pieces, npieces * sizeof(*pieces));
        r->ntail += npieces;
    } else {
        r->tail_told = false;
    }
}

/* The frame's copy begins at `at` (d->data from now on), with room for cap bytes in all. */
static void frame_begin(struct reasm *r, struct dissection *d, uint8_t *at, size_t cap)
{
    memcpy(at, d->data, d->caplen);
    d->data = r->frame_at = at;
    r->frame_cap = cap;
    r->used = d->caplen;
    r->ntail = 0;
    r->tail_told = r->keep_pieces;
}

/* n bytes appended at `used` (their pieces told): returns where they are. */
static size_t frame_took(struct reasm *r, struct dissection *d, size_t n,
                         const struct reasm_piece *pieces, size_t npieces)
{
    tail_note(r, pieces, npieces);
    size_t at = r->used;
    r->used += n;
    r->appended++;
    d->data_len = (uint32_t)r->used;
    return at;
}

/* buf made at least `need` bytes long (what it held is not kept). */
static void buf_reserve(struct reasm *r, size_t need)
{
    if (need <= r->buf_cap)
        return;
    free(r->buf);
    r->buf = xmalloc_bulk(need);
    r->buf_cap = need;
}

size_t reasm_append(struct reasm *r, struct dissection *d, const uint8_t *p, size_t n,
                    const struct reasm_piece *pieces, size_t npieces)
{
    /* The first append of a frame copies the frame into buf and reserves room for everything
     * one frame can complete (an IP datagram, one message spanning segments and a TLS
     * handshake message spanning records), so later appends in the same frame never move the
     * buffer that cursors already point into; a frame that completes more is refused the rest.
     * But a frame put in front of a message in the message's own buffer (reasm_append_before)
     * has no room after it: for a TLS handshake message completed after the record that a TCP
     * message completed, the frame and what was appended move to buf. The lent buffer stays as
     * it is until the next frame, so cursors into it still read the same bytes at the same
     * offsets. */
    const size_t reserve = 65536 + r->lim.max_pdu + REASM_TLS_HS_MAX;
    if (r->appended == 0) {
        buf_reserve(r, (size_t)d->caplen + reserve);
        frame_begin(r, d, r->buf, r->buf_cap);
    } else if (n > r->frame_cap - r->used && r->lent && r->frame_at != r->buf) {
        buf_reserve(r, r->used + reserve);
        memcpy(r->buf, r->frame_at, r->used);
        d->data = r->frame_at = r->buf;
        r->frame_cap = r->buf_cap;
    }
    if (n > r->frame_cap - r->used)
        return SIZE_MAX; /* cannot happen with the reserve above; refused, never overrun */
    memcpy(r->frame_at + r->used, p, n);
    return frame_took(r, d, n, pieces, npieces);
}

size_t reasm_append_before(struct reasm *r, struct dissection *d, uint8_t *msg, size_t n,
                           size_t room, size_t after, const struct reasm_piece *pieces,
                           size_t npieces)
{
    if (r->appended != 0 || d->caplen > room || n > after)
        return SIZE_MAX;
    frame_begin(r, d, msg - d->caplen, d->caplen + after);
    return frame_took(r, d, n, pieces, npieces); /* the message is where it was */
}

/* As tcp_hash (reasm_tcp.c): eight bytes at a time, seeded. */
static uint32_t key_hash(const struct reasm *r, const struct reasm_ip_key *k)
{
    return (uint32_t)hash_bytes(r->seed, k, sizeof(*k));
}

static struct dgram *dgram_find(struct reasm *r, const struct reasm_ip_key *k, uint32_t h)
{
    for (struct dgram *g = r->buckets[h % FRAG_BUCKETS]; g; g = g->chain)
        if (g->hash == h && memcmp(&g->key, k, sizeof(*k)) == 0)
            return g;
    return NULL;
}

static struct dgram *dgram_new(struct reasm *r, const struct reasm_ip_key *k, uint32_t h)
{
    if (r->ndgrams >= r->lim.max_datagrams) {
        /* Full: the oldest pending datagram makes room (it is the least likely to complete). */
        dgram_count(&r->stats.datagrams_dropped, &r->stats.shared.dropped, r->oldest);
        dgram_drop(r, r->oldest);
    }
    struct dgram *g = xcalloc(1, sizeof(*g));
    g->key = *k;
    g->hash = h;
    g->first_ts = r->now;
    g->chain = r->buckets[h % FRAG_BUCKETS];
    r->buckets[h % FRAG_BUCKETS] = g;
    g->older = r->newest;
    if (r->newest)
        r->newest->newer = g;
    else
        r->oldest = g;
    r->newest = g;
    r->ndgrams++;
    return g;
}

/* Fragment order for building: by offset, then arrival (a stable insertion sort: few). */
static void frags_sort(struct frag *f, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++) {
        struct frag t = f[i];
        uint32_t j = i;
        while (j > 0 && f[j - 1].off > t.off) {
            f[j] = f[j - 1];
            j--;
        }
        f[j] = t;
    }
}

/* True when the fragments (sorted) cover [0, total) without a hole. */
static bool covered(const struct frag *f, uint32_t n, uint32_t total)
{
    uint32_t reach = 0;
    for (uint32_t i = 0; i < n && reach < total; i++) {
        if (f[i].off > reach)
            return false;
        if (f[i].off + f[i].len > reach)
            reach = f[i].off + f[i].len;
    }
    return reach >= total;
}

enum reasm_result reasm_ip_add(struct reasm *r, struct dissection *d, const struct reasm_ip_key *k,
                               uint32_t off, bool more, const uint8_t *p, size_t n,
                               struct reasm_ip_done *out)
{
    memset(out, 0, sizeof(*out));
    if ((size_t)off + n > 65535) {
        /* RFC 791: a datagram is at most 65,535 bytes; a fragment past that is an attack
         * (the "ping of death") or damage, and is not reassembled. */
        out->past_max = true;
        return REASM_DROPPED;
    }
    uint32_t h = key_hash(r, k);
    struct dgram *g = dgram_find(r, k, h);
    if (!g) {
        g = dgram_new(r, k, h);
        g->shared = r->frame_shared; /* (its fragments all come the same way) */
    }
    r->frame_shared = false; /* a datagram inside this one is the worker's own */
    if (g->nfrags >= FRAG_MAX_PER_DGRAM || !reasm_charge(r, n)) {
        dgram_count(&r->stats.datagrams_dropped, &r->stats.shared.dropped, g);
        dgram_drop(r, g);
        out->cap_reached = true;
        return REASM_DROPPED;
    }
    g->bytes += n;
    if (g->shared)
        r->stats.shared.bytes_now += n;
    if (g->nfrags == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 4;
        g->frags = xrealloc(g->frags, g->cap * sizeof(*g->frags));
    }
    struct frag *f = &g->frags[g->nfrags++];
    f->frame = r->frame;
    f->off = off;
    f->len = (uint32_t)n;
    f->data = xmalloc(n ? n : 1);
    memcpy(f->data, p, n);
    if (!more) {
        uint32_t end = off + (uint32_t)n;
        if (g->have_last && g->total != end)
            g->multiple_tails = true;
        if (!g->have_last || end > g->total)
            g->total = end;
        g->have_last = true;
    }
    if (!g->have_last)
        return REASM_PENDING;
    frags_sort(g->frags, g->nfrags);
    if (!covered(g->frags, g->nfrags, g->total))
        return REASM_PENDING;

    /* Complete: build it as Wireshark's reassemble.c does. In offset order (the earlier
     * arrival first at equal offsets), each fragment adds only its bytes past what the ones
     * before it covered; the bytes it shares with them are compared (an overlap, and a
     * conflict when they differ). Bytes past the total length are cut (too long). */
    uint8_t *tmp = xcalloc(1, g->total ? g->total : 1);
    uint32_t reach = 0;
    uint32_t nlisted = 0;
    for (uint32_t i = 0; i < g->nfrags; i++) {
        const struct frag *fi = &g->frags[i];
        uint32_t end = fi->off + fi->len;
        bool error = false;
        if (end > g->total) {
            out->too_long++;
            error = true;
        }
        if (fi->off < reach) {
            out->overlap++;
            uint32_t both_end = end < reach ? end : reach;
            if (both_end > g->total)
                both_end = g->total;
            if (both_end > fi->off && memcmp(tmp + fi->off, fi->data, both_end - fi->off) != 0) {
                out->conflict++;
                error = true;
            }
        }
        uint32_t from = reach > fi->off ? reach : fi->off;
        uint32_t to = end < g->total ? end : g->total;
        if (to > from)
            memcpy(tmp + from, fi->data + (from - fi->off), to - from);
        if (end > reach)
            reach = end;
        if (nlisted < REASM_MAX_LISTED) {
            out->error[nlisted] = error;
            out->frames[nlisted++] = fi->frame;
        } else if (r->keep_all_frames) {
            reasm_tell(r, fi->frame, k->version == 4 ? REASM_TOLD_IPV4 : REASM_TOLD_IPV6);
        }
    }
    out->nframes = g->nfrags;
    out->nlisted = nlisted;
    out->multiple_tails = g->multiple_tails;
    if (out->overlap)
        dgram_count(&r->stats.fragments_overlapping, &r->stats.shared.overlapping, g);
    uint32_t total = g->total;
    size_t at = reasm_append(r, d, tmp, total, NULL, 0);
    free(tmp);
    if (at == SIZE_MAX)
        dgram_count(&r->stats.datagrams_dropped, &r->stats.shared.dropped, g);
    else
        dgram_count(&r->stats.datagrams_completed, &r->stats.shared.completed, g);
    dgram_drop(r, g);
    if (at == SIZE_MAX) {
        out->cap_reached = true;
        return REASM_DROPPED;
    }
    out->off = at;
    out->len = total;
    return REASM_COMPLETE;
}

/* The fields a reassembled datagram adds to its IP layer, per version. */
struct ip_reasm_fields {
    enum field_id fragments, fragment, error, overlap, conflict, tails, too_long, count, length,
        data;
};
static const struct ip_reasm_fields ipv4_reasm_fields = {
    FID_IP_FRAGMENTS,
    FID_IP_FRAGMENT,
    FID_IP_FRAGMENT_ERROR,
    FID_IP_FRAGMENT_OVERLAP,
    FID_IP_FRAGMENT_OVERLAP_CONFLICT,
    FID_IP_FRAGMENT_MULTIPLETAILS,
    FID_IP_FRAGMENT_TOOLONG,
    FID_IP_FRAGMENT_COUNT,
    FID_IP_REASSEMBLED_LENGTH,
    FID_IP_REASSEMBLED_DATA,
};
static const struct ip_reasm_fields ipv6_reasm_fields = {
    FID_IPV6_FRAGMENTS,
    FID_IPV6_FRAGMENT,
    FID_IPV6_FRAGMENT_ERROR,
    FID_IPV6_FRAGMENT_OVERLAP,
    FID_IPV6_FRAGMENT_OVERLAP_CONFLICT,
    FID_IPV6_FRAGMENT_MULTIPLETAILS,
    FID_IPV6_FRAGMENT_TOOLONG,
    FID_IPV6_FRAGMENT_COUNT,
    FID_IPV6_REASSEMBLED_LENGTH,
    FID_IPV6_REASSEMBLED_DATA,
};

bool dis_ip_reassemble(struct dissection *d, struct cursor *payload, const struct reasm_ip_key *k,
                       uint32_t frag_off, bool more, struct cursor *whole)
{
    size_t at = payload->off;
    size_t n = cur_left(payload);
    const uint8_t *p = cur_peek_bytes(payload, 0, n);
    /* A fragment reads differently with reassembly in any case: held (shown as data, where on
     * its own a first fragment shows its transport header) or completing its datagram. */
    d->flags |= DIS_REASSEMBLED;
    /* A fragment the capture cut short cannot complete a datagram (its bytes are not all
     * here); it is shown as data, as Wireshark shows it. */
    if (!p || d->sum.l4_declared_len > n)
        return false;
    struct reasm_ip_done done;
    enum reasm_result res = reasm_ip_add(d->reasm, d, k, frag_off, more, p, n, &done);
    if (res == REASM_DROPPED) {
        dis_anomaly(d, done.past_max ? ANOM_IP_FRAG_PAST_MAX : ANOM_REASM_CAP, at);
        return false;
    }
    if (res == REASM_PENDING)
        return false;
    struct reasm *r = d->reasm;
    /* Only the frame's first datagram is asked about: one inside it (a tunnel's fragments)
     * goes on with it. */
    if (r->owned && r->datagram == REASM_DATAGRAM_NONE) {
        size_t alen = k->version == 4 ? 4 : 16;
        if (!r->owned(r->owned_ctx, alen, k->src, k->dst, k->proto, d->data + done.off, done.len)) {
            r->datagram = REASM_DATAGRAM_REFUSED;
            return false;
        }
    }
    r->datagram = REASM_DATAGRAM_KEPT;
    const struct ip_reasm_fields *f = k->version == 4 ? &ipv4_reasm_fields : &ipv6_reasm_fields;
    /* The reassembled datagram follows the frame's bytes in the same buffer: a cursor over it
     * describes the fields about it (the ones without bytes of their own sit at its start). */
    cur_init(whole, d->data, d->data_len);
    whole->start = whole->off = done.off;
    whole->end = done.off + done.len;
    dis_field_rest(d, whole, f->fragments, 0);
    /* Wireshark lists a fragment that conflicts or runs past the end as a defragmentation
     * error (ip.fragment.error) instead of as ip.fragment. */
    for (uint32_t i = 0; i < done.nlisted; i++)
        dis_field_mark(d, whole, done.error[i] ? f->error : f->fragment, done.frames[i]);
    /* One flag per fragment it applies to, as Wireshark shows them under each fragment. */
    for (uint32_t i = 0; i < done.overlap; i++)
        dis_field_mark(d, whole, f->overlap, 1);
    for (uint32_t i = 0; i < done.conflict; i++)
        dis_field_mark(d, whole, f->conflict, 1);
    if (done.multiple_tails)
        dis_field_mark(d, whole, f->tails, 1);
    for (uint32_t i = 0; i < done.too_long; i++)
        dis_field_mark(d, whole, f->too_long, 1);
    if (done.overlap)
        dis_anomaly(d, ANOM_IP_FRAG_OVERLAP, at);
    if (done.conflict)
        dis_anomaly(d, ANOM_IP_FRAG_OVERLAP_CONFLICT, at);
    if (done.multiple_tails)
        dis_anomaly(d, ANOM_IP_FRAG_MULTIPLE_TAILS, at);
    if (done.too_long)
        dis_anomaly(d, ANOM_IP_FRAG_TOO_LONG, at);
    dis_field_mark(d, whole, f->count, done.nframes);
    dis_field_mark(d, whole, f->length, done.len);
    dis_field_rest(d, whole, f->data, 0);
    /* From here on the packet is the whole datagram. */
    d->sum.is_fragment = false;
    d->sum.later_fragment = false;
    d->sum.l4_declared_len = (uint32_t)done.len;
    return true;
}
