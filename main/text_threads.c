/* --threads N for --print and --json: formatting on several threads, written in order
 * (text_threads.h). */
#include "main/text_threads.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/annotate.h"
#include "dissect/services.h"
#include "util/bufpool.h"
#include "util/util.h"

/* Packets to a batch: enough that the lock is taken once per many packets, few enough that
 * the first text is written soon. 64 rather than 32: --json --threads 2 on the 1 GB benchmark
 * captures took 2-4 % less wall time (8 or 16 took more, 128 no less). */
#define BATCH_PACKETS 64
/* A batch's bytes buffer is let go after a batch that needed more than this (a large
 * reassembled message), so that one such message does not hold memory for the rest of the run. */
#define BATCH_BYTES_KEEP (4u << 20)
/* Reading buffers kept for reuse once their batches are written, at most (the rest are freed):
 * a new buffer's pages are page faults on the reading thread. */
#define SPARE_BYTES_KEEP ((size_t)8 << 20)

/* Where a job's bytes are in its batch's buffer (they move as the buffer grows while filling). */
struct job_bytes {
    size_t frame, data, comment; /* offsets; comment SIZE_MAX when none */
    bool frame_in_place;         /* the frame is read where the source read it (job.pkt.data) */
    bool data_is_frame;          /* the dissection reads the frame itself (data unused) */
};

struct text_batch {
    /* Formatted, its text waiting to be written. Where a batch is otherwise (being filled,
     * waiting, being formatted) follows from the counters written, claimed and filled. */
    bool done;
    unsigned n;
    struct text_job jobs[BATCH_PACKETS];
    struct job_bytes at[BATCH_PACKETS];
    struct dissection *dis; /* BATCH_PACKETS of them */
    uint8_t *bytes;
    size_t bytes_len, bytes_cap;
    /* in_place: reading buffers the source went on from while this batch was filled, which
     * its frames (and earlier batches') are in; let go once it is written. */
    struct buf_list retired;
    struct text_out out;
};

struct text_threads {
    pthread_mutex_t mu;
    pthread_cond_t ready; /* a batch was handed over, or the threads are to stop */
    pthread_cond_t done;  /* a batch's text is ready */
    struct text_batch *ring;
    unsigned nring;
    /* Batches counted from the start; batch k is ring[k % nring]. written <= claimed <= filled,
     * and the one being filled (number `filled`) is never more than nring - 1 past `written`. */
    uint64_t written, claimed, filled;
    bool stopping;
    pthread_t *threads;
    unsigned nthreads; /* besides the reading thread */
    text_format_fn fn;
    const void *cfg;
    FILE *out;
    struct text_scratch scratch; /* the reading thread's */
    /* Finished batches are written by whichever thread holds the next one in order and finds
     * nobody writing: mostly the thread that formatted it, whose cache holds the text (the
     * reading thread fetching every batch's text from the other core cost more than writing
     * it). One writer at a time keeps frame order. */
    bool writing;
    bool failed; /* under the lock */
    int err;
    bool failed_seen; /* the reading thread's copy of `failed`, taken under the lock */
    /* text_threads_read_in_place(): frames are formatted where the file source read them,
     * not copied (a 1 GB capture's copy was a tenth of --json --threads 2's extra CPU); the
     * buffers its batches have let go wait here for the source to take again (under the
     * lock). */
    bool in_place;
    struct bufpool spares;
};

void text_out_put(struct text_out *o, const char *p, size_t n)
{
    if (n == 0)
        return; /* an empty -e header: o->buf may still be NULL */
    if (n > o->cap - o->len)
        o->buf = xgrow(o->buf, &o->cap, o->len + n, 1);
    memcpy(o->buf + o->len, p, n);
    o->len += n;
}

static void scratch_init(struct text_scratch *s)
{
    lines_init(&s->lines);
}

static void scratch_release(struct text_scratch *s)
{
    lines_release(&s->lines);
}

/* The job's bytes and the parts of its dissection that formatting reads, asked for while the
 * job before it is formatted. The reading thread wrote them on its core: read one miss at a time,
 * they cost formatting a third more than on one thread (perf put the stalls on the first load of
 * each field and of the summary), and the formatting thread was the slower of the two. */
static void prefetch_job(const struct text_batch *b, unsigned i)
{
    /* Of a frame or reassembled message, its start: a 4 MB download's body would evict what
     * it is meant to bring in, and is read in order anyway (the prefetchers follow that). */
    enum { BYTES_AHEAD = 4096 };
    const struct dissection *d = &b->dis[i];
    const struct job_bytes *at = &b->at[i];
    const uint8_t *frame = at->frame_in_place ? b->jobs[i].pkt.data : b->bytes + at->frame;
    uint32_t caplen = b->jobs[i].pkt.caplen;
    prefetch_bytes(frame, caplen < BYTES_AHEAD ? caplen : BYTES_AHEAD);
    if (!at->data_is_frame)
        prefetch_bytes(b->bytes + at->data, d->data_len < BYTES_AHEAD ? d->data_len : BYTES_AHEAD);
    prefetch_bytes(d->layers, d->nlayers * sizeof(d->layers[0]));
    prefetch_bytes(d->fields, d->nfields * sizeof(d->fields[0]));
    prefetch_bytes(d->text, d->text_len);
    prefetch_bytes(&d->sum, sizeof(d->sum));
    prefetch_bytes(d->protocols, d->protocols_len + 1u);
}

static void format_batch(struct text_threads *tt, struct text_batch *b, struct text_scratch *s)
{
    b->out.len = 0;
    /* Two jobs ahead, the lines that say where the next job's parts are; one ahead, the parts. */
    for (unsigned i = 0; i < b->n && i < 2; i++)
        __builtin_prefetch(&b->dis[i].nlayers);
    if (b->n)
        prefetch_job(b, 0);
    for (unsigned i = 0; i < b->n; i++) {
        if (i + 2 < b->n) {
            __builtin_prefetch(&b->dis[i + 2].nlayers);
            __builtin_prefetch(&b->dis[i + 2].data_len);
            __builtin_prefetch(&b->at[i + 2]);
            __builtin_prefetch(&b->jobs[i + 2].pkt.data);
        }
        if (i + 1 < b->n)
            prefetch_job(b, i + 1);
        struct text_job *j = &b->jobs[i];
        const struct job_bytes *at = &b->at[i];
        if (!at->frame_in_place)
            j->pkt.data = b->bytes + at->frame;
        j->pkt.comment = at->comment == SIZE_MAX ? NULL : (const char *)b->bytes + at->comment;
        b->dis[i].data = at->data_is_frame ? j->pkt.data : b->bytes + at->data;
        j->d = &b->dis[i];
        tt->fn(tt->cfg, j, s, &b->out);
    }
}

static void write_done(struct text_threads *tt);

/* file_source_hand_over(): a reading buffer of at least *cap bytes, a spare one if one is big
 * enough. On the reading thread. */
static uint8_t *buffer_fresh(void *ctx, size_t *cap)
{
    struct text_threads *tt = ctx;
    pthread_mutex_lock(&tt->mu);
    uint8_t *p = bufpool_take(&tt->spares, cap);
    pthread_mutex_unlock(&tt->mu);
    return p;
}

/* file_source_hand_over(): the buffer every frame read so far is in goes with the batch being
 * filled (batches are written in order: earlier ones that read it are written before). Only
 * the reading thread touches the batch being filled. */
static void buffer_retire(void *ctx, uint8_t *p, size_t cap)
{
    struct text_threads *tt = ctx;
    buf_list_add(&tt->ring[tt->filled % tt->nring].retired, p, cap);
}

bool text_threads_read_in_place(struct text_threads *tt, struct source *src)
{
    tt->in_place = file_source_hand_over(src, buffer_fresh, buffer_retire, tt);
    return tt->in_place;
}

static void *thread_main(void *arg)
{
    struct text_threads *tt = arg;
    struct text_scratch s;
    scratch_init(&s);
    pthread_mutex_lock(&tt->mu);
    for (;;) {
        while (!tt->stopping && tt->claimed == tt->filled)
            pthread_cond_wait(&tt->ready, &tt->mu);
        if (tt->claimed == tt->filled)
            break; /* stopping, and nothing left */
        struct text_batch *b = &tt->ring[tt->claimed++ % tt->nring];
        pthread_mutex_unlock(&tt->mu);
        format_batch(tt, b, &s);
        pthread_mutex_lock(&tt->mu);
        b->done = true;
        write_done(tt);
    }
    pthread_mutex_unlock(&tt->mu);
    scratch_release(&s);
    return NULL;
}

struct text_threads *text_threads_new(unsigned threads, text_format_fn fn, const void *cfg,
                                      FILE *out)
{
    struct text_threads *tt = xcalloc(1, sizeof(*tt));
    tt->fn = fn;
    tt->cfg = cfg;
    tt->out = out;
    tt->nring = 2 * threads + 2;
    tt->ring = xcalloc(tt->nring, sizeof(*tt->ring));
    for (unsigned i = 0; i < tt->nring; i++)
        tt->ring[i].dis = xmalloc(BATCH_PACKETS * sizeof(struct dissection));
    scratch_init(&tt->scratch);
    bufpool_init(&tt->spares, SPARE_BYTES_KEEP);
    pthread_mutex_init(&tt->mu, NULL);
    pthread_cond_init(&tt->ready, NULL);
    pthread_cond_init(&tt->done, NULL);
    /* Tables the formatters load on first use (services, vendors) are loaded now, before
     * threads could race to load them. */
    (void)services_from_file();
    (void)oui_have_database();
    tt->threads = xcalloc(threads - 1, sizeof(*tt->threads));
    for (unsigned i = 0; i + 1 < threads; i++) {
        if (pthread_create(&tt->threads[i], NULL, thread_main, tt) != 0)
            break; /* fewer threads: the reading thread formats the rest */
        tt->nthreads++;
    }
    return tt;
}

/* Writes the finished batches at the head of the ring, in order, unless another thread is
 * writing already (it goes on to these). Called with the lock held; the lock is let go while
 * writing. */
static void write_done(struct text_threads *tt)
{
    if (tt->writing)
        return;
    tt->writing = true;
    while (tt->written < tt->claimed) {
        struct text_batch *b = &tt->ring[tt->written % tt->nring];
        if (!b->done)
            break;
        bool failed = tt->failed;
        pthread_mutex_unlock(&tt->mu);
        int err = failed || !b->out.len ? 0 : write_after_stdio(tt->out, b->out.buf, b->out.len);
        b->n = 0;
        b->bytes_len = 0;
        if (b->bytes_cap > BATCH_BYTES_KEEP) {
            free(b->bytes);
            b->bytes = NULL;
            b->bytes_cap = 0;
        }
        if (b->out.cap > BATCH_BYTES_KEEP) {
            free(b->out.buf);
            b->out.buf = NULL;
            b->out.cap = 0;
        }
        b->done = false;
        pthread_mutex_lock(&tt->mu);
        bufpool_keep(&tt->spares, &b->retired);
        if (err && !tt->failed) {
            tt->failed = true;
            tt->err = err;
        }
        tt->written++;
        /* The reading thread may be waiting for room in the ring, or for everything written. */
        pthread_cond_broadcast(&tt->done);
    }
    tt->writing = false;
}

/* Hands the batch being filled over, then makes sure the next one is free: while the ring is
 * full the reading thread formats a waiting batch itself, or waits for one to finish. With
 * `all`, waits until everything handed over is written. */
static void hand_over(struct text_threads *tt, bool all)
{
    pthread_mutex_lock(&tt->mu);
    if (tt->ring[tt->filled % tt->nring].n) {
        tt->filled++;
        pthread_cond_signal(&tt->ready);
    }
    for (;;) {
        write_done(tt);
        bool room = all ? tt->written == tt->filled : tt->filled - tt->written < tt->nring;
        if (room)
            break;
        if (tt->claimed < tt->filled) {
            struct text_batch *b = &tt->ring[tt->claimed++ % tt->nring];
            pthread_mutex_unlock(&tt->mu);
            format_batch(tt, b, &tt->scratch);
            pthread_mutex_lock(&tt->mu);
            b->done = true;
        } else {
            pthread_cond_wait(&tt->done, &tt->mu);
        }
    }
    tt->failed_seen = tt->failed;
    pthread_mutex_unlock(&tt->mu);
}

static size_t put_bytes(struct text_batch *b, const void *p, size_t n)
{
    size_t at = b->bytes_len;
    /* Never NULL once used, even when every frame so far was empty: the jobs' pointers are
     * made from it. */
    if (n > b->bytes_cap - b->bytes_len || !b->bytes)
        b->bytes = xgrow(b->bytes, &b->bytes_cap, b->bytes_len + (n ? n : 1), 1);
    if (n)
        memcpy(b->bytes + at, p, n);
    b->bytes_len += n;
    return at;
}

bool text_threads_add(struct text_threads *tt, const struct packet *pkt, const struct dissection *d,
                      const struct track_info *ti, int64_t ref_sec, uint32_t ref_nsec)
{
    /* Only the reading thread touches the batch being filled, and `filled` moves only here. */
    struct text_batch *b = &tt->ring[tt->filled % tt->nring];
    unsigned i = b->n;
    struct job_bytes *at = &b->at[i];
    at->frame_in_place = tt->in_place;
    at->frame = tt->in_place ? 0 : put_bytes(b, pkt->data, pkt->caplen);
    /* The dissection reads the frame, or a copy of it with reassembled bytes after it. */
    at->data_is_frame = d->data == pkt->data && d->data_len <= pkt->caplen;
    at->data = at->data_is_frame ? 0 : put_bytes(b, d->data, d->data_len);
    at->comment = SIZE_MAX;
    if (pkt->comment) {
        at->comment = put_bytes(b, pkt->comment, pkt->comment_len);
        put_bytes(b, "", 1);
    }
    struct text_job *j = &b->jobs[i];
    j->pkt = *pkt;
    j->ti = *ti;
    j->ref_sec = ref_sec;
    j->ref_nsec = ref_nsec;
    dis_copy(&b->dis[i], d, NULL);
    b->n++;
    if (b->n == BATCH_PACKETS)
        hand_over(tt, false);
    return !tt->failed_seen;
}

bool text_threads_flush(struct text_threads *tt)
{
    hand_over(tt, true);
    return !tt->failed_seen;
}

int text_threads_errno(const struct text_threads *tt)
{
    return tt->err;
}

void text_threads_free(struct text_threads *tt)
{
    if (!tt)
        return;
    pthread_mutex_lock(&tt->mu);
    tt->stopping = true;
    pthread_cond_broadcast(&tt->ready);
    pthread_mutex_unlock(&tt->mu);
    for (unsigned i = 0; i < tt->nthreads; i++)
        pthread_join(tt->threads[i], NULL);
    free(tt->threads);
    for (unsigned i = 0; i < tt->nring; i++) {
        free(tt->ring[i].dis);
        free(tt->ring[i].bytes);
        free(tt->ring[i].out.buf);
        buf_list_free(&tt->ring[i].retired);
    }
    bufpool_free(&tt->spares);
    free(tt->ring);
    scratch_release(&tt->scratch);
    pthread_cond_destroy(&tt->ready);
    pthread_cond_destroy(&tt->done);
    pthread_mutex_destroy(&tt->mu);
    free(tt);
}
