/*
 * The dissection store (dstore.h). A record is a fixed header, then the used parts of the
 * dissection's arrays, its text and protocols, and its bytes past the frame's, or the pieces of
 * frames they were reassembled from (dstore.h) with the bytes' hash (the frame's own bytes are
 * in the capture, and the caller hands them back to dstore_get). Records are
 * gathered in a write buffer and written to the end of the file DSTORE_WRITE_CHUNK at a time,
 * read back from that buffer or with pread(); the file is this process's own (unlinked when
 * made), so a record is trusted only as far as its header's counts stay inside the model's
 * limits.
 *
 * Why a write buffer and no frame bytes: one pwrite() per kept frame of the whole dissection,
 * bytes included, was 313,661 writes and 1.19 GB for the 1 GB real-traffic benchmark capture,
 * and half of the TUI's indexing time.
 *
 * Most kept frames are segments of a message still open ("[TCP segment of a reassembled
 * PDU]"): 297,774 of those writes, 1.2 KB of model each. Such a frame is kept as the few facts
 * reassembly added (struct dis_open_segment, with the message's first line) when dissecting it
 * again with them reads exactly as the pipeline's dissection (checked here, when it is kept);
 * otherwise whole.
 */
#include "pipeline/dstore.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dissect/reasm.h"
#include "util/outfile.h"
#include "util/util.h"

#define DSTORE_WRITE_CHUNK ((size_t)1 << 20)
#define DSTORE_READ_WINDOW ((size_t)256 << 10)

struct dstore {
    int fd;
    uint64_t end, max_bytes;
    /* Records at [flushed, end) are in wbuf, not yet in the file. */
    uint8_t *wbuf;
    size_t wbuf_len;
    uint64_t flushed;
    bool write_failed; /* the file refused a write: what is buffered stays, nothing more is kept */
    uint8_t *rec;      /* one record too long for the write buffer, being written */
    size_t rec_cap;
    /* The read window: file bytes [rwin_off, rwin_off + rwin_len) (window_at). */
    uint8_t *rwin;
    size_t rwin_cap, rwin_len;
    uint64_t rwin_off;
    struct dissection *again; /* an open segment dissected again, to compare */
    dstore_frame_fn frames;   /* dstore_set_frames, or NULL: reassembled bytes kept whole */
    void *frames_ctx;
    struct dstore_stats stats;
};

/* Not a secret: the store is this process's own; the hash only tells whether frames read again
 * still make the bytes reassembled from them. */
#define TAIL_HASH_SEED 0x70a4e5cbd17a2f3bULL

enum { RECORD_WHOLE = 0, RECORD_OPEN_SEGMENT = 1 };

/* After the header of a RECORD_OPEN_SEGMENT, then line_len bytes of line. */
struct open_record {
    uint16_t app;
    uint8_t head, tls_named, imap_waiting, pad;
    uint16_t line_len;
};

struct record_header {
    uint32_t size; /* of the whole record */
    uint32_t caplen, len, data_len, linktype, flags;
    uint16_t nlayers, nfields, nanomalies, text_len, protocols_len;
    uint8_t verify_checksums;
    uint8_t kind;       /* RECORD_* */
    uint32_t npieces;   /* RECORD_WHOLE: its bytes past the frame as this many reasm_pieces, 0:
                         * as bytes */
    uint64_t tail_hash; /* with pieces: hash_bulk(TAIL_HASH_SEED) of the bytes they make */
    int64_t ts_sec;     /* the frame's time, when has_time (dissect_options) */
    uint32_t ts_nsec;
    uint8_t has_time;
};

struct dstore *dstore_new(uint64_t max_bytes, char *errbuf)
{
    int fd =
        outfile_temporary("reassembled packets",
                          "set TMPDIR to a writable directory, or use --no-reassembly", errbuf);
    if (fd < 0)
        return NULL;
    struct dstore *s = xcalloc(1, sizeof(*s));
    s->fd = fd;
    s->max_bytes = max_bytes ? max_bytes : DSTORE_DEFAULT_MAX_BYTES;
    s->wbuf = xmalloc(DSTORE_WRITE_CHUNK);
    return s;
}

void dstore_set_frames(struct dstore *s, dstore_frame_fn fn, void *ctx)
{
    s->frames = fn;
    s->frames_ctx = ctx;
}

/* The pieces that tell d's bytes past its frame, when they can be kept instead of the bytes. */
static size_t tail_pieces(const struct dstore *s, const struct dissection *d, size_t tail,
                          const struct reasm_piece **pieces)
{
    size_t n;
    if (!s->frames || !d->reasm || tail == 0 || !reasm_tail_pieces(d->reasm, pieces, &n) ||
        n == 0 || n > UINT32_MAX)
        return 0;
    size_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (*pieces)[i].len;
    return sum == tail ? n : 0;
}

void dstore_free(struct dstore *s)
{
    if (!s)
        return;
    close(s->fd);
    free(s->wbuf);
    free(s->rec);
    free(s->rwin);
    free(s->again);
    free(s);
}

static bool write_all(int fd, const uint8_t *p, size_t n, uint64_t off)
{
    while (n) {
        ssize_t w = pwrite(fd, p, n, (off_t)off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
        off += (uint64_t)w;
    }
    return true;
}

/* Writes the buffered records to the file. On failure (a full disk) they stay in the buffer,
 * still readable, and the store keeps nothing more. */
static bool flush(struct dstore *s)
{
    if (s->write_failed)
        return false;
    if (s->wbuf_len && !write_all(s->fd, s->wbuf, s->wbuf_len, s->flushed)) {
        s->write_failed = true;
        return false;
    }
    s->flushed += s->wbuf_len;
    s->wbuf_len = 0;
    return true;
}

/* Appends n bytes at rec[*at]. */
static void put(uint8_t *rec, size_t *at, const void *p, size_t n)
{
    if (n)
        memcpy(rec + *at, p, n);
    *at += n;
}

/* Whether d is the segment of an open message that reads the same dissected again from its
 * frame with *o (filled in from d). */
static bool is_open_segment(struct dstore *s, const struct dissection *d,
                            struct dis_open_segment *o)
{
    if (!d->sum.tcp_pdu_open || d->data_len != d->caplen || (d->flags & DIS_OVERFLOW))
        return false;
    memset(o, 0, sizeof(*o));
    o->app = d->sum.tcp_pdu_proto;
    o->head = d->sum.tcp_pdu_head;
    o->line = d->text + d->sum.tcp_pdu_line_off;
    o->line_len = d->sum.tcp_pdu_line_len;
    if ((size_t)d->sum.tcp_pdu_line_off + o->line_len > d->text_len)
        return false;
    if (!s->again)
        s->again = xmalloc(sizeof(*s->again));
    struct dissect_options opt = {.verify_checksums = d->verify_checksums,
                                  .open_segment = o,
                                  .has_time = d->has_time,
                                  .ts_sec = d->ts_sec,
                                  .ts_nsec = d->ts_nsec};
    /* Whether TLS or IMAP named itself is not in the summary: tried both ways. */
    for (int tls = 0; tls <= (o->app == PROTO_TLS); tls++)
        for (int imap = 0; imap <= (o->app == PROTO_IMAP); imap++) {
            o->tls_named = tls != 0;
            o->imap_waiting = imap != 0;
            dissect_frame(s->again, d->data, d->caplen, d->len, d->linktype, &opt);
            if (!dis_difference(d, s->again))
                return true;
        }
    return false;
}

uint64_t dstore_put(struct dstore *s, const struct dissection *d)
{
    struct record_header h;
    memset(&h, 0, sizeof(h));
    struct dis_open_segment o;
    bool open_segment = is_open_segment(s, d, &o);
    struct open_record orec;
    memset(&orec, 0, sizeof(orec));
    size_t protocols_len = d->protocols_len;
    size_t tail = d->data_len > d->caplen ? d->data_len - d->caplen : 0;
    const struct reasm_piece *pieces = NULL;
    size_t npieces = open_segment ? 0 : tail_pieces(s, d, tail, &pieces);
    size_t tail_size = npieces ? npieces * sizeof(*pieces) : tail;
    size_t size;
    if (open_segment) {
        h.kind = RECORD_OPEN_SEGMENT;
        orec.app = o.app;
        orec.head = o.head;
        orec.tls_named = o.tls_named;
        orec.imap_waiting = o.imap_waiting;
        orec.line_len = o.line_len;
        size = sizeof(h) + sizeof(orec) + o.line_len;
    } else {
        h.kind = RECORD_WHOLE;
        size = sizeof(h) + sizeof(d->sum) + d->nlayers * sizeof(d->layers[0]) +
               d->nfields * sizeof(d->fields[0]) + d->nanomalies * sizeof(d->anomalies[0]) +
               d->text_len + protocols_len + tail_size;
    }
    if (s->write_failed || size > UINT32_MAX || s->end > s->max_bytes ||
        size > s->max_bytes - s->end) {
        s->stats.not_kept++;
        return 0;
    }
    h.size = (uint32_t)size;
    h.caplen = d->caplen;
    h.len = d->len;
    h.data_len = d->data_len;
    h.linktype = d->linktype;
    h.flags = d->flags;
    h.verify_checksums = d->verify_checksums;
    h.has_time = d->has_time;
    h.ts_sec = d->ts_sec;
    h.ts_nsec = d->ts_nsec;
    if (!open_segment) {
        h.nlayers = d->nlayers;
        h.nfields = d->nfields;
        h.nanomalies = d->nanomalies;
        h.text_len = d->text_len;
        h.protocols_len = (uint16_t)protocols_len;
        h.npieces = (uint32_t)npieces;
        if (npieces)
            h.tail_hash = hash_bulk(TAIL_HASH_SEED, d->data + d->caplen, tail);
    }
    if (size > DSTORE_WRITE_CHUNK - s->wbuf_len && !flush(s)) {
        s->stats.not_kept++; /* a full disk: the frame is shown dissected on its own */
        return 0;
    }
    /* A record larger than the buffer (a long reassembled message) is written on its own. */
    bool direct = size > DSTORE_WRITE_CHUNK;
    if (direct && size > s->rec_cap) {
        free(s->rec);
        s->rec_cap = size;
        s->rec = xmalloc(size);
    }
    uint8_t *rec = direct ? s->rec : s->wbuf + s->wbuf_len;
    size_t at = 0;
    put(rec, &at, &h, sizeof(h));
    if (open_segment) {
        put(rec, &at, &orec, sizeof(orec));
        put(rec, &at, o.line, o.line_len);
    } else {
        put(rec, &at, &d->sum, sizeof(d->sum));
        put(rec, &at, d->layers, d->nlayers * sizeof(d->layers[0]));
        put(rec, &at, d->fields, d->nfields * sizeof(d->fields[0]));
        put(rec, &at, d->anomalies, d->nanomalies * sizeof(d->anomalies[0]));
        put(rec, &at, d->text, d->text_len);
        put(rec, &at, d->protocols, protocols_len);
        if (npieces)
            put(rec, &at, pieces, tail_size);
        else
            put(rec, &at, d->data + d->caplen, tail);
    }
    if (direct) {
        if (!write_all(s->fd, rec, size, s->flushed)) {
            s->write_failed = true;
            s->stats.not_kept++;
            return 0;
        }
        s->flushed += size;
    } else {
        s->wbuf_len += size;
    }
    uint64_t handle = s->end + 1;
    s->end += size;
    s->stats.kept++;
    if (open_segment)
        s->stats.open_segments++;
    if (npieces)
        s->stats.by_pieces++;
    s->stats.bytes = s->end;
    return handle;
}

static bool read_exact(int fd, void *p, size_t n, uint64_t off)
{
    uint8_t *b = p;
    while (n) {
        ssize_t r = pread(fd, b, n, (off_t)off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        b += r;
        n -= (size_t)r;
        off += (uint64_t)r;
    }
    return true;
}

/* Copies n bytes from rec[*at] (within size) to p. */
static bool get(const uint8_t *rec, size_t size, size_t *at, void *p, size_t n)
{
    if (n > size - *at)
        return false;
    if (n)
        memcpy(p, rec + *at, n);
    *at += n;
    return true;
}

/* File bytes [off, off + n), all flushed, through the read window: read ahead from off, so that
 * a view reading the kept frames in order (a display filter over the capture) reads the file
 * DSTORE_READ_WINDOW at a time. Two pread()s a record (header, record) were 40 % of such a
 * filter's samples on the 1 GB benchmark capture. NULL on a read error. */
static const uint8_t *window_at(struct dstore *s, uint64_t off, size_t n)
{
    if (s->rwin_len && off >= s->rwin_off && off - s->rwin_off <= s->rwin_len &&
        n <= s->rwin_len - (size_t)(off - s->rwin_off))
        return s->rwin + (off - s->rwin_off);
    size_t want = n > DSTORE_READ_WINDOW ? n : DSTORE_READ_WINDOW;
    if (want > s->flushed - off)
        want = (size_t)(s->flushed - off);
    if (want > s->rwin_cap) {
        free(s->rwin);
        s->rwin_cap = want;
        s->rwin = xmalloc(want);
    }
    s->rwin_len = 0;
    if (!read_exact(s->fd, s->rwin, want, off))
        return NULL;
    s->rwin_off = off;
    s->rwin_len = want;
    return s->rwin;
}

/* The record at file offset off (a whole one: its header is checked by the caller), from the
 * write buffer or the read window. */
static const uint8_t *record_at(struct dstore *s, uint64_t off, struct record_header *h)
{
    if (off >= s->flushed) {
        uint64_t in = off - s->flushed;
        if (in > s->wbuf_len || sizeof(*h) > s->wbuf_len - in)
            return NULL;
        memcpy(h, s->wbuf + in, sizeof(*h));
        if (h->size < sizeof(*h) || h->size > s->wbuf_len - in)
            return NULL;
        return s->wbuf + in;
    }
    const uint8_t *p = sizeof(*h) <= s->flushed - off ? window_at(s, off, sizeof(*h)) : NULL;
    if (!p)
        return NULL;
    memcpy(h, p, sizeof(*h));
    if (h->size < sizeof(*h) || h->size > s->flushed - off)
        return NULL;
    return window_at(s, off, h->size);
}

/* Dissects the frame again as the segment of the open message the record describes. */
static bool get_open_segment(const struct record_header *h, const uint8_t *rec,
                             const uint8_t *frame, struct dissection *d, struct dstore_buf *buf,
                             char *errbuf)
{
    struct open_record orec;
    size_t at = sizeof(*h);
    if (!get(rec, h->size, &at, &orec, sizeof(orec)) || orec.line_len != h->size - at ||
        h->data_len != h->caplen) {
        ps_err(errbuf, "the kept dissection of this packet is damaged");
        return false;
    }
    struct dis_open_segment o = {.app = orec.app,
                                 .head = orec.head != 0,
                                 .tls_named = orec.tls_named != 0,
                                 .imap_waiting = orec.imap_waiting != 0,
                                 .line_len = orec.line_len,
                                 .line = (const char *)rec + at};
    if (h->caplen > buf->cap) {
        free(buf->p);
        buf->cap = h->caplen;
        buf->p = xmalloc(buf->cap ? buf->cap : 1);
    }
    if (h->caplen)
        memcpy(buf->p, frame, h->caplen);
    struct dissect_options opt = {.verify_checksums = h->verify_checksums != 0,
                                  .open_segment = &o,
                                  .has_time = h->has_time != 0,
                                  .ts_sec = h->ts_sec,
                                  .ts_nsec = h->ts_nsec};
    dissect_frame(d, buf->p, h->caplen, h->len, h->linktype, &opt);
    d->flags = h->flags;
    d->open_segment = NULL; /* o and the record's line are gone when this returns */
    return true;
}

/* Puts the bytes past the frame together again from the npieces pieces at rec[*at] into out
 * (len bytes), and checks them against the hash they were kept with. */
static bool get_pieces(struct dstore *s, const struct record_header *h, const uint8_t *rec,
                       size_t *at, uint8_t *out, size_t len, char *errbuf)
{
    size_t pos = 0;
    for (uint32_t i = 0; i < h->npieces; i++) {
        struct reasm_piece pc;
        if (!get(rec, h->size, at, &pc, sizeof(pc)) || pc.len > len - pos) {
            ps_err(errbuf, "the kept dissection of this packet is damaged");
            return false;
        }
        const uint8_t *data;
        uint32_t caplen;
        char why[PS_ERRBUF_SIZE];
        if (!s->frames || !s->frames(s->frames_ctx, pc.frame, &data, &caplen, why)) {
            ps_err(errbuf, "its reassembled bytes cannot be read again from frame %llu: %.200s",
                   (unsigned long long)pc.frame, s->frames ? why : "no reader");
            return false;
        }
        if (pc.off > caplen || pc.len > caplen - pc.off) {
            ps_err(errbuf, "the capture file no longer holds frame %llu as it was read",
                   (unsigned long long)pc.frame);
            return false;
        }
        memcpy(out + pos, data + pc.off, pc.len);
        pos += pc.len;
    }
    if (pos != len || hash_bulk(TAIL_HASH_SEED, out, len) != h->tail_hash) {
        ps_err(errbuf, "the frames it was reassembled from no longer make the same bytes");
        return false;
    }
    return true;
}

bool dstore_get(struct dstore *s, uint64_t handle, const uint8_t *frame, uint32_t frame_caplen,
                struct dissection *d, struct dstore_buf *buf, char *errbuf)
{
    return dstore_get_for(s, handle, frame, frame_caplen, d, buf, NULL, NULL, errbuf);
}

bool dstore_get_for(struct dstore *s, uint64_t handle, const uint8_t *frame, uint32_t frame_caplen,
                    struct dissection *d, struct dstore_buf *buf, dstore_wants_fn wants,
                    const void *ctx, char *errbuf)
{
    struct record_header h;
    uint64_t off = handle - 1;
    const uint8_t *rec = handle == 0 || off >= s->end ? NULL : record_at(s, off, &h);
    if (!rec || h.nlayers > DIS_MAX_LAYERS || h.nfields > DIS_MAX_FIELDS ||
        h.nanomalies > DIS_MAX_ANOMALIES || h.text_len > DIS_TEXT_SIZE ||
        h.protocols_len >= sizeof(d->protocols) || h.data_len < h.caplen) {
        ps_err(errbuf, "the kept dissection of this packet cannot be read back");
        return false;
    }
    if (h.caplen != frame_caplen) {
        ps_err(errbuf, "the capture file no longer holds this packet as it was read");
        return false;
    }
    if (h.kind == RECORD_OPEN_SEGMENT)
        return get_open_segment(&h, rec, frame, d, buf, errbuf);
    if (h.kind != RECORD_WHOLE) {
        ps_err(errbuf, "the kept dissection of this packet is damaged");
        return false;
    }
    if (h.data_len > buf->cap) {
        free(buf->p);
        buf->cap = h.data_len;
        buf->p = xmalloc(buf->cap ? buf->cap : 1);
    }
    if (h.caplen)
        memcpy(buf->p, frame, h.caplen);
    size_t size = h.size, at = sizeof(h);
    bool ok = get(rec, size, &at, &d->sum, sizeof(d->sum)) &&
              get(rec, size, &at, d->layers, h.nlayers * sizeof(d->layers[0])) &&
              get(rec, size, &at, d->fields, h.nfields * sizeof(d->fields[0])) &&
              get(rec, size, &at, d->anomalies, h.nanomalies * sizeof(d->anomalies[0])) &&
              get(rec, size, &at, d->text, h.text_len) &&
              get(rec, size, &at, d->protocols, h.protocols_len);
    if (ok && h.npieces == 0)
        ok = get(rec, size, &at, buf->p + h.caplen, h.data_len - h.caplen);
    if (!ok || (h.npieces && (size_t)h.npieces * sizeof(struct reasm_piece) != size - at)) {
        ps_err(errbuf, "the kept dissection of this packet is damaged");
        return false;
    }
    bool tail = true;
    if (h.npieces && wants) {
        d->nlayers = h.nlayers;
        d->nfields = h.nfields;
        tail = wants(ctx, d, h.caplen);
        if (!tail)
            at = size; /* the pieces, their size checked above */
    }
    if (h.npieces && tail &&
        !get_pieces(s, &h, rec, &at, buf->p + h.caplen, h.data_len - h.caplen, errbuf))
        return false;
    if (at != size) {
        ps_err(errbuf, "the kept dissection of this packet is damaged");
        return false;
    }
    d->protocols[h.protocols_len] = '\0';
    d->protocols_len = (uint8_t)h.protocols_len;
    d->data = buf->p;
    d->caplen = h.caplen;
    d->len = h.len;
    d->data_len = tail ? h.data_len : h.caplen;
    d->linktype = h.linktype;
    d->flags = h.flags;
    d->verify_checksums = h.verify_checksums != 0;
    d->has_time = h.has_time != 0;
    d->ts_sec = h.ts_sec;
    d->ts_nsec = h.ts_nsec;
    d->reasm = NULL;
    d->open_segment = NULL;
    d->nlayers = h.nlayers;
    d->nfields = h.nfields;
    d->nanomalies = h.nanomalies;
    d->text_len = h.text_len;
    return true;
}

void dstore_buf_free(struct dstore_buf *buf)
{
    free(buf->p);
    buf->p = NULL;
    buf->cap = 0;
}

const struct dstore_stats *dstore_stats(const struct dstore *s)
{
    return &s->stats;
}
