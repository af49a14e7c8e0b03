/*
 * TCP reassembly for the application layer (Wireshark's tcp_dissect_pdus with
 * tcp.desegment_tcp_streams on and out-of-order reassembly off, its 4.0 defaults).
 *
 * Per direction of a connection, the application protocol on its port says how long the message
 * at the start of the segment is (app_pdu_len_fn). Messages that lie inside one segment are
 * dissected in place, with no copy. The direction remembers where its stream is (the sequence
 * number expected next), so that bytes already dissected are not handed to the application a
 * second time when they are retransmitted, as Wireshark does not. Only when a message runs past
 * the segment's end does it also hold bytes: the message so far and the frames that carried
 * them. Segments that continue it in sequence are appended ("[TCP segment of a reassembled
 * PDU]"); the one that completes it carries the whole message, dissected from the frame's
 * reassembly buffer, and the reassembly's fields (tcp.segment, tcp.reassembled.length).
 *
 * A segment beyond the expected sequence number that still lies within an open message of known
 * length (a download whose segments the capture saw out of order) is placed at its offset and
 * held, as Wireshark adds it to the message at its offset: the segments that fill the gap in
 * front of it take it in, and the message completes in whichever frame makes it whole
 * (dir_hold). Around a gap the pipeline's tracker says what each segment is
 * (reasm_set_segment_kind): one its analysis calls a retransmission is not taken, as Wireshark
 * takes none, and a message an out-of-order segment completes is not handed on, as Wireshark
 * hands on none. Any other hole ends an open message: what was held is dropped and counted, the
 * hole is named on the packet, and parsing resumes at the first byte of the segment where the
 * protocol finds the start of a message. A FIN or RST hands over what is
 * held as it is and forgets the direction. Directions are capped in number (the least recently
 * used is forgotten) and held bytes in total, and a message longer than max_pdu is dropped and
 * named, never a reason to grow without bound.
 */
#include "dissect/reasm_internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/util.h"

enum { TCP_BUCKETS = 1024 };

struct tcp_key {
    uint8_t addr_len;
    uint8_t pad;
    uint16_t sport, dport;
    uint8_t src[16], dst[16];
};

/* A segment held past a gap in its open message (dir_hold), until the bytes before it come. */
struct tcp_held {
    uint64_t frame;     /* the frame that carried it */
    uint32_t off, len;  /* where its bytes go in the message, and how many */
    uint32_t frame_off; /* where they are in that frame's data (its piece, reasm_keep_pieces) */
    bool closing;       /* it carried a FIN or RST */
};

/* Segments held past gaps per direction, at most. A segment that never came leaves its message
 * open in Wireshark, every later segment of it added and none dissected (the real-traffic
 * benchmark capture has a 4 MB download that lost one): enough for the rest of a message of
 * max_pdu's 8 MiB in segments of 512 bytes. Their list is charged to the memory cap; a message
 * that would hold more ends at its gap as any other hole does. */
#define DIR_MAX_HELD 16384u

struct tcp_dir {
    struct tcp_key key;
    uint32_t hash;
    struct tcp_dir *chain;
    struct tcp_dir *older, *newer; /* least recently used first */
    uint32_t next_seq;             /* the sequence number of the next byte expected */
    uint8_t *buf;                  /* the open message's bytes so far */
    size_t len, cap;               /* cap: what the memory cap is charged for */
    size_t alloc;                  /* buf's size: cap or more (a spare buffer taken over) */
    size_t room;                   /* bytes allocated before buf, for the frame (dir_buf_grow) */
    uint32_t nframes;
    uint64_t frames[REASM_MAX_LISTED];
    uint32_t frames_at[REASM_MAX_LISTED]; /* where each one's bytes begin in the message */
    /* reasm_keep_all_frames: the frames of segments past frames[], as many as were kept */
    uint64_t *more;
    uint32_t nmore, more_cap;
    bool len_known; /* the protocol could tell the message's length from the bytes so far */
    /* That length, once told: a message's length follows from its start (HTTP's headers, a
     * TLS record's header), so it is asked for once, not again on every segment (the HTTP
     * header scan per segment was 5 % of --stats). */
    size_t msg_len;
    bool seq_known; /* next_seq is set (a direction adopted before it sent anything is not) */
    /* The protocol the conversation was found to carry by content, not by port (a ClientHello
     * on port 4433): its later segments are that protocol's, as Wireshark's conversation
     * dissector makes them (enum proto_id, 0 none). */
    uint16_t conv_proto;
    uint16_t tls_version;        /* reasm_tcp_tls_version, 0 unknown */
    uint64_t tls_ccs_frame;      /* reasm_tcp_tls_note_ccs: this direction's last one, 0 none */
    struct reasm_tls_hs *tls_hs; /* reasm_tcp_tls_hs_add: a handshake message in progress */
    /* reasm_keep_pieces: where the open message's bytes came from, one piece a segment;
     * pieces_lost once they cannot all be told (a segment within an IP datagram, the budget). */
    struct reasm_piece *pieces;
    size_t npieces, pieces_cap;
    bool pieces_lost;
    /* Segments held past a gap in the open message (dir_hold), in the order of their offsets,
     * and where the furthest of them ends in the message: buf holds their bytes in place. */
    struct tcp_held *held;
    uint32_t nheld, held_cap; /* held_cap: what the memory cap is charged for */
    uint32_t held_end;
};

/* Lets go of the segments held past gaps, and of their charge. */
static void held_release(struct reasm *r, struct tcp_dir *t)
{
    free(t->held);
    r->stats.bytes_now -= (size_t)t->held_cap * sizeof(*t->held);
    t->held = NULL;
    t->nheld = t->held_cap = t->held_end = 0;
}

/* Lets go of the TLS handshake message in progress (reasm_tcp_tls_hs_add), and of its charge. */
static void tls_hs_release(struct reasm *r, struct tcp_dir *t)
{
    if (!t->tls_hs)
        return;
    r->stats.bytes_now -= t->tls_hs->cap;
    free(t->tls_hs->buf);
    free(t->tls_hs);
    t->tls_hs = NULL;
}

/* Lets go of the message's pieces (lost: the message's bytes can no longer all be told). */
static void pieces_forget(struct reasm *r, struct tcp_dir *t, bool lost)
{
    free(t->pieces);
    r->piece_bytes -= t->pieces_cap * sizeof(*t->pieces);
    t->pieces = NULL;
    t->npieces = t->pieces_cap = 0;
    t->pieces_lost = lost;
}

/* Notes that the message's next n bytes are the current frame's at offset off of its data (an
 * offset, not a pointer: once the frame has completed a message, d->data is the reassembly's
 * copy of the frame, while the segment's rest is still read where the frame was). */
static void piece_add(struct reasm *r, struct tcp_dir *t, uint64_t frame, size_t off, size_t n);

static void note_piece(struct reasm *r, struct tcp_dir *t, const struct dissection *d, size_t off,
                       size_t n)
{
    if (!r->keep_pieces || t->pieces_lost || n == 0)
        return;
    if (off > d->caplen || n > d->caplen - off) {
        pieces_forget(r, t, true); /* in the frame's reassembled bytes: not its own */
        return;
    }
    piece_add(r, t, r->frame, off, n);
}

/* The message's next n bytes are frame's at offset off of its own captured bytes. */
static void piece_add(struct reasm *r, struct tcp_dir *t, uint64_t frame, size_t off, size_t n)
{
    if (!r->keep_pieces || t->pieces_lost || n == 0)
        return;
    if (t->npieces == t->pieces_cap) {
        size_t cap = t->pieces_cap ? 2 * t->pieces_cap : 16;
        size_t more = (cap - t->pieces_cap) * sizeof(*t->pieces);
        if (more > r->lim.max_bytes / 16 - r->piece_bytes) {
            pieces_forget(r, t, true);
            return;
        }
        t->pieces = xrealloc(t->pieces, cap * sizeof(*t->pieces));
        r->piece_bytes += more;
        t->pieces_cap = cap;
    }
    t->pieces[t->npieces++] = (struct reasm_piece){frame, (uint32_t)off, (uint32_t)n};
}

/* Eight bytes at a time and seeded (util.h): byte-at-a-time FNV-1a over the 38-byte key was half
 * of dis_tcp_reassemble's time in --conns (perf), and unseeded a capture could aim at a bucket. */
static uint32_t tcp_hash(const struct reasm *r, const struct tcp_key *k)
{
    return (uint32_t)hash_bytes(r->seed, k, sizeof(*k));
}

static void lru_unlink(struct reasm *r, struct tcp_dir *t)
{
    if (t->older)
        t->older->newer = t->newer;
    else
        r->tcp_oldest = t->newer;
    if (t->newer)
        t->newer->older = t->older;
    else
        r->tcp_newest = t->older;
    t->older = t->newer = NULL;
}

static void lru_push(struct reasm *r, struct tcp_dir *t)
{
    t->older = r->tcp_newest;
    t->newer = NULL;
    if (r->tcp_newest)
        r->tcp_newest->newer = t;
    else
        r->tcp_oldest = t;
    r->tcp_newest = t;
}

/*
 * A message buffer let go: kept as a spare for the next message that grows past its buffer, or
 * freed. Why: a big buffer is malloc()'s own mapping, so each new one was fresh pages, faulted
 * in and cleared as the message was copied in; on the real-traffic capture, whose 4 MB
 * downloads are single HTTP messages, those page faults were 9 % of --print (perf, 300,000
 * packets) and the growing realloc()s' copies 2 % more. Buffers under 256 KB (the look-ahead
 * a message reserves at once, DIR_LOOKAHEAD) come from malloc's free lists well enough. The
 * spares stay outside the memory cap (which counts open messages only, so that what is
 * reassembled does not change), and are few and bounded.
 */
#define REASM_SPARE_MIN (256u * 1024u)
#define REASM_SPARE_BYTES ((size_t)16 << 20)
static void dir_buf_release(struct reasm *r, uint8_t *p, size_t size)
{
    if (!p)
        return;
    if (size < REASM_SPARE_MIN || size > REASM_SPARE_BYTES) {
        free(p);
        return;
    }
    /* An empty slot, else the smallest spare if this one is bigger. */
    size_t slot = 0;
    for (size_t i = 0; i < ARRAY_SIZE(r->spare); i++) {
        if (!r->spare[i].p) {
            slot = i;
            break;
        }
        if (r->spare[i].size < r->spare[slot].size)
            slot = i;
    }
    struct reasm_spare *sp = &r->spare[slot];
    size_t bytes = r->spare_bytes - sp->size + size;
    if ((sp->p && sp->size >= size) || bytes > REASM_SPARE_BYTES) {
        free(p);
        return;
    }
    free(sp->p);
    sp->p = p;
    sp->size = size;
    r->spare_bytes = bytes;
}

/* How many bytes of buf are the message's: those that came in order, and past them those of the
 * segments held past a gap (dir_hold). */
static size_t dir_filled(const struct tcp_dir *t)
{
    return t->nheld && t->held_end > t->len ? t->held_end : t->len;
}

/* The direction's buffer as allocated, room and all (NULL: none), and its size. */
static uint8_t *dir_base(const struct tcp_dir *t)
{
    return t->buf ? t->buf - t->room : NULL;
}

static size_t dir_size(const struct tcp_dir *t)
{
    return t->room + t->alloc;
}

void reasm_tcp_return_lent(struct reasm *r)
{
    dir_buf_release(r, r->lent, r->lent_size);
    r->lent = NULL;
    r->lent_size = 0;
}

void reasm_tcp_free_spares(struct reasm *r)
{
    for (size_t i = 0; i < ARRAY_SIZE(r->spare); i++) {
        free(r->spare[i].p);
        r->spare[i].p = NULL;
        r->spare[i].size = 0;
    }
    r->spare_bytes = 0;
}

/*
 * Room before a big message's buffer for the frame that completes it: that frame is copied in
 * front of the message (reasm_append_before) rather than the message after a copy of the frame
 * (reasm_append), so the message's bytes are copied once, as its segments come, not again when
 * it ends. That second copy was 6 % of --stats on the real-traffic benchmark capture, whose
 * 4 MB downloads are single HTTP messages. Enough for a frame of the largest IP datagram and
 * its link header (loopback and GRO captures have such frames); a bigger frame takes the copy.
 */
#define DIR_FRAME_ROOM (65536u + 2048u)
/* The same for a short message's buffer (from malloc, grown by realloc, which keeps the room):
 * enough for an Ethernet frame, VLAN tags and all; a bigger frame takes the copy. The copy it
 * saves was 11 % of --stats' instructions on the generated benchmark capture's first 20,000
 * packets (callgrind), whose responses of tens of kilobytes complete in frames of 1,514 bytes. */
#define DIR_SMALL_FRAME_ROOM 2048u

/* t's buffer made at least `want` bytes, its message kept: for a big buffer the smallest spare
 * that holds it; else, for a buffer made for a whole message at once (`whole`), a new one that
 * fills in huge pages (xmalloc_bulk: its first bytes are all there is to copy); else realloc(),
 * which moves a big buffer's pages rather than copying them. A buffer under REASM_SPARE_MIN
 * never takes a spare: when short messages took spares (and buffers of 64 KB were kept), the
 * generated capture's many of them made --conns 5-8 % slower than small buffers from malloc
 * (interleaved runs). A spare or a whole message's buffer has DIR_FRAME_ROOM before the
 * message; realloc() keeps the room the buffer had. */
static void dir_buf_grow(struct reasm *r, struct tcp_dir *t, size_t want, bool whole)
{
    const size_t room = DIR_FRAME_ROOM;
    struct reasm_spare *best = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(r->spare) && want >= REASM_SPARE_MIN; i++) {
        struct reasm_spare *sp = &r->spare[i];
        if (sp->p && sp->size > room && sp->size - room >= want && (!best || sp->size < best->size))
            best = sp;
    }
    uint8_t *base;
    size_t size = room + want;
    if (best) {
        base = best->p;
        size = best->size;
        best->p = NULL;
        best->size = 0;
        r->spare_bytes -= size;
    } else if (whole && want >= REASM_SPARE_MIN) {
        base = xmalloc_bulk(size);
    } else {
        if (!t->buf)
            t->room = DIR_SMALL_FRAME_ROOM;
        base = xrealloc(dir_base(t), t->room + want);
        t->buf = base + t->room;
        r->alloc_ahead += want - t->alloc;
        t->alloc = want;
        return;
    }
    if (dir_filled(t))
        memcpy(base + room, t->buf, dir_filled(t));
    dir_buf_release(r, dir_base(t), dir_size(t));
    t->buf = base + room;
    t->room = room;
    r->alloc_ahead += size - room - t->alloc;
    t->alloc = size - room;
}

/* The direction's buffer, whose message the current frame completed, lent to the frame as its
 * data (reasm_append_before) until the next frame. The direction's accounting stays for
 * dir_idle, which then has no buffer to let go. */
static void dir_lend(struct reasm *r, struct tcp_dir *t)
{
    r->lent = dir_base(t);
    r->lent_size = dir_size(t);
    t->buf = NULL;
    t->room = 0;
}

static void dir_drop(struct reasm *r, struct tcp_dir *t)
{
    struct tcp_dir **pp = &r->tcp_buckets[t->hash % TCP_BUCKETS];
    while (*pp && *pp != t)
        pp = &(*pp)->chain;
    if (*pp)
        *pp = t->chain;
    lru_unlink(r, t);
    if (r->tcp_current == t)
        r->tcp_current = NULL;
    r->stats.bytes_now -= t->cap;
    r->alloc_ahead -= t->alloc - t->cap;
    r->ntcp--;
    pieces_forget(r, t, false);
    dir_buf_release(r, dir_base(t), dir_size(t));
    r->more_frames -= t->nmore;
    free(t->more);
    if (t->held_cap)
        held_release(r, t);
    tls_hs_release(r, t);
    free(t);
}

void reasm_tcp_free(struct reasm *r)
{
    while (r->tcp_oldest)
        dir_drop(r, r->tcp_oldest);
    free(r->lent);
    r->lent = NULL;
    free(r->tcp_buckets);
    r->tcp_buckets = NULL;
}

void reasm_tcp_finish(struct reasm *r)
{
    while (r->tcp_oldest) {
        if (r->tcp_oldest->len)
            r->stats.pdus_dropped++; /* a message never completed */
        dir_drop(r, r->tcp_oldest);
    }
}

/* The message is done: the direction keeps only where its stream is (so that a retransmission
 * of bytes already dissected is known as one), not the bytes. */
static void dir_idle(struct reasm *r, struct tcp_dir *t, uint32_t next_seq)
{
    dir_buf_release(r, dir_base(t), dir_size(t));
    r->stats.bytes_now -= t->cap;
    r->alloc_ahead -= t->alloc - t->cap;
    t->buf = NULL;
    t->len = t->cap = t->alloc = t->room = 0;
    t->nframes = 0;
    r->more_frames -= t->nmore;
    /* let go, so that what every direction holds stays within REASM_MAX_MORE_FRAMES */
    free(t->more);
    t->more = NULL;
    t->nmore = t->more_cap = 0;
    pieces_forget(r, t, false);
    if (t->held_cap)
        held_release(r, t);
    t->len_known = false;
    t->msg_len = 0;
    t->next_seq = next_seq;
}

static struct tcp_dir *dir_find(struct reasm *r, const struct tcp_key *k, uint32_t h)
{
    if (!r->tcp_buckets)
        return NULL;
    for (struct tcp_dir *t = r->tcp_buckets[h % TCP_BUCKETS]; t; t = t->chain)
        if (t->hash == h && memcmp(&t->key, k, sizeof(*k)) == 0)
            return t;
    return NULL;
}

/*
 * Makes n bytes of the memory cap free by letting go of the directions that went longest
 * without a segment (never `keep`, nor the direction being reassembled), their open messages
 * counted as dropped, as an eviction for max_streams counts them. Without it, messages whose
 * rest was never captured (a capture that lost a burst of packets keeps a half-received 4 MB
 * download open forever) filled the cap on the real-traffic benchmark capture and every later
 * message that needed room was dropped: 290 of them, where Wireshark, which has no cap,
 * reassembles them. Messages with a gap go first (`gapped`, the first pass): one whose
 * missing segment never came holds the rest of itself to the end of its connection (dir_hold,
 * as Wireshark does), and should not cost a message in order its place; before gaps were
 * held, every gap dropped its message at once (test_gapped_let_go_first). False when not
 * enough can be let go.
 */
__attribute__((noinline, cold)) static bool
dir_let_go_for_room(struct reasm *r, const struct tcp_dir *keep, size_t n, bool gapped)
{
    struct tcp_dir *t = r->tcp_oldest;
    while (n > r->lim.max_bytes - r->stats.bytes_now) {
        while (t && (t == keep || t == r->tcp_current || t->cap == 0 || (gapped && !t->nheld)))
            t = t->newer;
        if (!t)
            return false;
        struct tcp_dir *victim = t;
        t = t->newer;
        if (victim->len)
            r->stats.pdus_dropped++;
        r->stats.streams_evicted_for_memory++;
        dir_drop(r, victim);
    }
    return true;
}

static bool dir_make_room(struct reasm *r, const struct tcp_dir *keep, size_t n)
{
    return dir_let_go_for_room(r, keep, n, true) || dir_let_go_for_room(r, keep, n, false);
}

/* Room for `want` bytes of message (at most the message cap), charged to the memory cap. */
static bool dir_reserve(struct reasm *r, struct tcp_dir *t, size_t want)
{
    if (want <= t->cap)
        return true;
    if (want > r->lim.max_pdu)
        want = r->lim.max_pdu;
    if (want <= t->cap)
        return true;
    if (!reasm_charge(r, want - t->cap) &&
        !(dir_make_room(r, t, want - t->cap) && reasm_charge(r, want - t->cap)))
        return false;
    if (want > t->alloc)
        dir_buf_grow(r, t, want, false);
    r->alloc_ahead -= want - t->cap;
    t->cap = want;
    return true;
}

/* How far past the bytes that have arrived a message is charged to the memory cap at once
 * (dir_reserve_message). */
#define DIR_LOOKAHEAD (256u * 1024u)

/*
 * A long message's buffer made as long as the message at once, though the memory cap is
 * charged only as dir_reserve_message says: what is not yet written is address space, not
 * memory (its pages are touched as segments are copied in, in huge pages: xmalloc_bulk), or a
 * spare that is memory already. Why: the buffer growing by doubling was moved by realloc() up
 * to four times for each 4 MB download on the real-traffic benchmark capture, onto fresh
 * pages each time; those copies and the page faults of filling the buffers 4 KB at a time
 * were 13 % of --stats (perf, its first 300,000 packets). What a length claimed and never
 * sent can hold this way is bounded by max_bytes over every direction (alloc_ahead).
 */
static void dir_alloc_message(struct reasm *r, struct tcp_dir *t, size_t m)
{
    if (m - t->len <= DIR_LOOKAHEAD || m <= t->alloc || m > r->lim.max_pdu)
        return;
    if (r->alloc_ahead > r->lim.max_bytes || m - t->alloc > r->lim.max_bytes - r->alloc_ahead)
        return;
    dir_buf_grow(r, t, m, true);
}

/* Once the protocol has told the message's length, the message is charged to the memory cap
 * at once: growing by doubling as segments came copied every message about once more
 * (realloc's copies were 9 % of --stats' instructions on the generated benchmark capture).
 * Only up to DIR_LOOKAHEAD bytes past what has arrived, so that a length claimed and never
 * sent holds little of the memory cap; past that, the charge at least doubles each time it
 * grows, so that a long message is charged a few times, not once a segment (growing by one
 * segment's bytes at a time was a realloc per segment: 10 % of --stats on the real-traffic
 * benchmark, whose 4 MB downloads are single HTTP messages). What is charged stays within
 * twice what arrived plus the look-ahead, and within the message. A failure here is not one:
 * dir_add grows the buffer as segments come, and meets the cap there. */
static void dir_reserve_message(struct reasm *r, struct tcp_dir *t, size_t m)
{
    if (m == 0 || m == DIS_PDU_NOT_A_START || m <= t->len)
        return;
    dir_alloc_message(r, t, m);
    size_t need = m - t->len > DIR_LOOKAHEAD ? t->len + DIR_LOOKAHEAD : m;
    if (need <= t->cap)
        return;
    /* Doubling asks more of the memory cap than the look-ahead does, so it takes only from
     * the cap's first half: near the cap the look-ahead alone is reserved, as before, and no
     * message is dropped for room reserved ahead in another. */
    if (need < m && t->cap * 2 > need) {
        size_t doubled = t->cap * 2 < m ? t->cap * 2 : m;
        if (r->stats.bytes_now + (doubled - t->cap) <= r->lim.max_bytes / 2 &&
            dir_reserve(r, t, doubled))
            return;
    }
    (void)dir_reserve(r, t, need);
}

/* reasm_keep_all_frames: a frame past the REASM_MAX_LISTED that frames[] lists (the one just
 * counted in nframes, or one it pushed out of frames[]), only while every one before it was
 * kept (nmore counts from frames[]'s end), and within REASM_MAX_MORE_FRAMES. */
static void dir_more_frame(struct reasm *r, struct tcp_dir *t, uint64_t frame)
{
    if (!r->keep_all_frames || t->nmore != t->nframes - 1 - REASM_MAX_LISTED ||
        r->more_frames >= REASM_MAX_MORE_FRAMES)
        return;
    if (t->nmore == t->more_cap) {
        size_t cap = t->more_cap;
        t->more = xgrow(t->more, &cap, (size_t)t->nmore + 1, sizeof(*t->more));
        t->more_cap = (uint32_t)cap;
    }
    t->more[t->nmore++] = frame;
    r->more_frames++;
}

/* A frame among the message's segments, its bytes from offset `at` of the message on: listed in
 * the order of their offsets, after those at the same offset (as Wireshark lists fragments),
 * in frames[] while it has room; past it, the rest (dir_more_frame), in no order. Segments
 * come in order but for copies and those held past a gap, so the place is found from the end. */
static void dir_list_frame(struct reasm *r, struct tcp_dir *t, uint64_t frame, size_t at)
{
    uint32_t listed = t->nframes < REASM_MAX_LISTED ? t->nframes : REASM_MAX_LISTED;
    t->nframes++;
    uint32_t i = listed;
    while (i > 0 && t->frames_at[i - 1] > at)
        i--;
    if (i == REASM_MAX_LISTED) {
        dir_more_frame(r, t, frame);
        return;
    }
    if (listed == REASM_MAX_LISTED)
        dir_more_frame(r, t, t->frames[--listed]); /* pushed past the listed ones */
    if (i < listed) {
        memmove(&t->frames[i + 1], &t->frames[i], (listed - i) * sizeof(t->frames[0]));
        memmove(&t->frames_at[i + 1], &t->frames_at[i], (listed - i) * sizeof(t->frames_at[0]));
    }
    t->frames[i] = frame;
    t->frames_at[i] = (uint32_t)at;
}

/* Appends the segment's n bytes p, at offset off of the frame's data, to the open message; the
 * segment itself began `before` bytes before them (bytes the message had already). */
static bool dir_add(struct reasm *r, struct tcp_dir *t, const struct dissection *d,
                    const uint8_t *p, size_t off, size_t n, size_t before)
{
    if (n > r->lim.max_pdu - t->len)
        return false;
    if (t->len + n > t->cap) {
        size_t cap = t->cap ? t->cap : 2048;
        while (cap < t->len + n)
            cap *= 2;
        if (!dir_reserve(r, t, cap))
            return false;
    }
    dir_list_frame(r, t, r->frame, t->len - before);
    memcpy(t->buf + t->len, p, n);
    t->len += n;
    note_piece(r, t, d, off, n);
    return true;
}

/*
 * A segment `ahead` bytes past the open message's bytes so far, n bytes p at offset off of the
 * frame's data: placed at its offset in the message and held, when the message's length is
 * known and the segment lies within it (false: it does not, or the held segments or the memory
 * cap are full, and the gap is a hole). Wireshark (tcp_dissect_pdus) adds every segment that
 * falls within a message it knows the end of at its offset, in whatever order segments come,
 * and reassembles the message in the frame that makes it whole; a capture taken beside the
 * receiver sees a sender's burst out of order now and then (three 4 MB downloads of the
 * real-traffic benchmark capture), and dropping such a message at its first gap left some
 * 1,100 segments each without the frame that holds them. Out of line and cold, as is
 * dir_take_held: written into tcp_reassemble they made it 1.5 KB longer, and every packet's
 * code then fought over the instruction cache (--conns 5-7 % more CPU, instruction counts
 * equal, callgrind's I1 misses 29 % more).
 */
__attribute__((noinline, cold)) static bool dir_hold(struct reasm *r, struct tcp_dir *t,
                                                     const struct dissection *d, const uint8_t *p,
                                                     size_t off, size_t n, uint32_t ahead,
                                                     bool closing)
{
    size_t m = t->msg_len;
    if (!t->len_known || m == 0 || m == DIS_PDU_NOT_A_START || n == 0 || t->nheld >= DIR_MAX_HELD ||
        ahead > m - t->len || n > m - t->len - ahead || m > r->lim.max_pdu)
        return false;
    size_t at = t->len + ahead;
    if (t->nheld == t->held_cap) {
        uint32_t cap = t->held_cap ? 2 * t->held_cap : 16;
        if (cap > DIR_MAX_HELD || !reasm_charge(r, (cap - t->held_cap) * sizeof(*t->held)))
            return false;
        t->held = xrealloc(t->held, cap * sizeof(*t->held));
        t->held_cap = cap;
    }
    if (!dir_reserve(r, t, at + n))
        return false;
    memcpy(t->buf + at, p, n);
    /* In the order of their offsets (a later copy of the same bytes after the earlier one):
     * mostly at the end, as segments past a gap come in order. */
    uint32_t i = t->nheld;
    while (i > 0 && t->held[i - 1].off > at) {
        t->held[i] = t->held[i - 1];
        i--;
    }
    bool own = off <= d->caplen && n <= d->caplen - off; /* a piece of the frame's own bytes */
    if (!own && r->keep_pieces)
        pieces_forget(r, t, true);
    t->held[i] = (struct tcp_held){.frame = r->frame,
                                   .off = (uint32_t)at,
                                   .len = (uint32_t)n,
                                   .frame_off = (uint32_t)off,
                                   .closing = closing};
    t->nheld++;
    if (at + n > t->held_end)
        t->held_end = (uint32_t)(at + n);
    r->stats.segments_out_of_order++;
    return true;
}

/* The held segments that the bytes in order now reach, taken into them: the message's bytes in
 * order grow by those past them, and its frames list them in the order of their offsets. True
 * when one of those taken carried a FIN or RST. */
__attribute__((noinline, cold)) static bool dir_take_held(struct reasm *r, struct tcp_dir *t)
{
    bool closing = false;
    uint32_t taken = 0;
    while (taken < t->nheld && t->held[taken].off <= t->len) {
        const struct tcp_held *h = &t->held[taken++];
        size_t end = (size_t)h->off + h->len;
        if (end > t->len) {
            size_t past = end - t->len;
            piece_add(r, t, h->frame, h->frame_off + (h->len - past), past);
            t->next_seq += (uint32_t)past;
            t->len = end;
        }
        dir_list_frame(r, t, h->frame, h->off);
        closing |= h->closing;
    }
    t->nheld -= taken;
    memmove(t->held, t->held + taken, t->nheld * sizeof(*t->held));
    return closing;
}

/* The pieces of the message's first m bytes (the rest of its last segment starts the next
 * one), the last one cut to fit; 0 when they are not all told. */
static size_t message_pieces(struct tcp_dir *t, size_t m)
{
    if (t->pieces_lost || t->npieces == 0)
        return 0;
    size_t k = 0, sum = 0;
    while (k < t->npieces && sum + t->pieces[k].len < m)
        sum += t->pieces[k++].len;
    if (k == t->npieces)
        return 0; /* the pieces tell fewer bytes than the message has: never, but not guessed */
    t->pieces[k].len = (uint32_t)(m - sum);
    return k + 1;
}

static struct tcp_dir *dir_open(struct reasm *r, const struct tcp_key *k, uint32_t h)
{
    if (!r->tcp_buckets)
        r->tcp_buckets = xcalloc(TCP_BUCKETS, sizeof(*r->tcp_buckets));
    if (r->ntcp >= r->lim.max_streams) {
        /* The oldest, unless it is the current segment's direction (then the next oldest; with
         * a limit of 1 none, and the limit is passed by this one direction until it goes). */
        struct tcp_dir *victim = r->tcp_oldest;
        if (victim && victim == r->tcp_current)
            victim = victim->newer;
        if (victim) {
            if (victim->len)
                r->stats.pdus_dropped++; /* evicted with a message open */
            dir_drop(r, victim);
        }
    }
    struct tcp_dir *t = xcalloc(1, sizeof(*t));
    t->key = *k;
    t->hash = h;
    t->chain = r->tcp_buckets[h % TCP_BUCKETS];
    r->tcp_buckets[h % TCP_BUCKETS] = t;
    lru_push(r, t);
    r->ntcp++;
    return t;
}

/* The length of the message at p, or 0 (more needed) / DIS_PDU_NOT_A_START. */
static size_t pdu_at(app_pdu_len_fn pdu_len, const uint8_t *p, size_t n)
{
    return n == 0 ? 0 : pdu_len(p, n);
}

/* The length of t's open message (pdu_at over its bytes), asked once it is known. */
static size_t dir_message_len(app_pdu_len_fn pdu_len, struct tcp_dir *t)
{
    if (t->msg_len)
        return t->msg_len;
    size_t m = pdu_at(pdu_len, t->buf, t->len);
    if (m != DIS_PDU_NOT_A_START)
        t->msg_len = m;
    return m;
}

/*
 * Dissects the complete messages at the start of p[0, n) (at frame offset `off`) in place, and
 * returns how many bytes they took; the rest is the start of a message that runs on.
 * `*not_start` is set when the bytes at the start are not a message's start at all.
 */
static size_t whole_prefix(app_pdu_len_fn pdu_len, const uint8_t *p, size_t n, bool *not_start)
{
    size_t used = 0;
    *not_start = false;
    while (used < n) {
        size_t m = pdu_at(pdu_len, p + used, n - used);
        if (m == DIS_PDU_NOT_A_START) {
            if (used == 0)
                *not_start = true;
            return used == 0 ? n : used; /* not a start: the caller shows it per segment */
        }
        if (m == 0 || m > n - used)
            break;
        used += m;
    }
    return used;
}

/* A cursor over the bytes [off, off + n) of the dissection's data: a part of the frame's
 * payload, or a message reassembled after the frame (reasm_append). */
static struct cursor data_window(const struct dissection *d, size_t off, size_t n)
{
    struct cursor c;
    cur_init(&c, d->data, d->data_len);
    c.start = c.off = off;
    c.end = off + n;
    return c;
}

static void app_over(struct dissection *d, size_t off, size_t n, uint16_t sport, uint16_t dport)
{
    struct cursor c = data_window(d, off, n);
    uint16_t conv_proto = d->reasm ? d->reasm->tcp_conv_proto : 0;
    if (conv_proto && dis_app_run_proto(d, &c, conv_proto))
        return;
    dissect_app(d, &c, PS_IPPROTO_TCP, sport, dport);
}

/* The fields of a reassembled message, on the TCP layer of the frame that completes it; `msg`
 * is a cursor over the message. */
static void reassembled_fields(struct dissection *d, const struct tcp_dir *t,
                               const struct cursor *msg)
{
    dis_field_rest(d, msg, FID_TCP_SEGMENTS, 0);
    uint32_t listed = t->nframes < REASM_MAX_LISTED ? t->nframes : REASM_MAX_LISTED;
    for (uint32_t i = 0; i < listed; i++)
        dis_field_mark(d, msg, FID_TCP_SEGMENT, t->frames[i]);
    /* the rest, for whoever tells each segment where it went (reasm_more_frames) */
    if (d->reasm)
        for (uint32_t i = 0; i < t->nmore; i++)
            reasm_tell(d->reasm, t->more[i], REASM_TOLD_TCP);
    dis_field_mark(d, msg, FID_TCP_SEGMENT_COUNT, t->nframes);
    dis_field_mark(d, msg, FID_TCP_REASSEMBLED_LENGTH, cur_left(msg));
    dis_field_rest(d, msg, FID_TCP_REASSEMBLED_DATA, 0);
}

/* Marks the segment (its payload's bytes from frame offset `at`) as part of an open message of
 * protocol `app` whose bytes so far are msg[0, n); `head`: the protocol looked at the message in
 * this segment (it starts here, or its length was not known before). */
static void note_open(struct dissection *d, uint16_t app, const uint8_t *msg, size_t n, bool head,
                      bool called_again, size_t at)
{
    struct dis_open_segment o = {.app = app, .line = (const char *)msg};
    /* HTTP names the message in the info column only once its first line is whole. */
    o.head = head && (app != PROTO_HTTP || dis_has_line_end(msg, n));
    /* Wireshark's TLS names itself in the protocol list before it asks for the rest of a
     * record (its HTTP does not): once when the segment starts the record, and once more when
     * the record starts after a message this segment completed (TLS is called again for the
     * rest). */
    o.tls_named = head && app == PROTO_TLS && (n == d->sum.payload_caplen || called_again);
    /* Its IMAP names itself once the first line is whole (a literal is what it waits for). */
    o.imap_waiting = head && app == PROTO_IMAP && memchr(msg, '\n', n) != NULL;
    /* The first line, up to 256 bytes: every segment of the message shows it. memchr for the
     * LF, then for a CR before it, as each segment of a long body asks again. */
    size_t line = n < 256 ? n : 256;
    if (line > 0) {
        const uint8_t *lf = memchr(msg, '\n', line);
        line = lf ? (size_t)(lf - msg) : line;
        const uint8_t *cr = line ? memchr(msg, '\r', line) : NULL;
        line = cr ? (size_t)(cr - msg) : line;
    }
    o.line_len = (uint16_t)line;
    dis_tcp_open_apply(d, &o, at);
}

void dis_tcp_open_apply(struct dissection *d, const struct dis_open_segment *o, size_t pay_off)
{
    struct dis_summary *s = &d->sum;
    s->tcp_pdu_open = true;
    s->tcp_pdu_proto = o->app;
    s->tcp_pdu_head = o->head;
    if (o->tls_named)
        dis_protocols_add(d, "tls");
    if (o->imap_waiting) {
        struct cursor c = data_window(d, pay_off, 0);
        dis_imap_waiting(d, &c);
    }
    size_t line = o->line_len;
    if (line > (size_t)(DIS_TEXT_SIZE - d->text_len))
        line = 0;
    if (line)
        memcpy(d->text + d->text_len, o->line, line);
    s->tcp_pdu_line_off = d->text_len;
    s->tcp_pdu_line_len = (uint16_t)line;
    d->text_len = (uint16_t)(d->text_len + line);
}

/* The work of dis_tcp_reassemble. *plain is set when the segment went the way a dissection
 * without reassembly goes: no message open before it, no byte skipped, no protocol adopted by
 * content, and its payload whole messages dissected in place as one window. */
static bool tcp_reassemble(struct dissection *d, app_pdu_len_fn pdu_len, uint16_t app,
                           size_t pay_off, size_t pay_len, uint16_t sport, uint16_t dport,
                           bool *plain)
{
    struct reasm *r = d->reasm;
    struct dis_summary *s = &d->sum;
    struct tcp_key k;
    memset(&k, 0, sizeof(k));
    k.addr_len = s->addr_len;
    k.sport = sport;
    k.dport = dport;
    memcpy(k.src, s->src, s->addr_len);
    memcpy(k.dst, s->dst, s->addr_len);
    uint32_t h = tcp_hash(r, &k);
    struct tcp_dir *t = dir_find(r, &k, h);
    r->tcp_current = t;
    const uint8_t *p = d->data + pay_off;
    size_t n = pay_len;
    uint32_t seq = s->seq + ((s->tcp_flags & TCP_SYN) ? 1 : 0);
    bool closing = (s->tcp_flags & (TCP_FIN | TCP_RST)) != 0;
    bool completed = false; /* a message held from earlier segments ended in this one */
    enum reasm_segment kind = REASM_SEGMENT_NEW; /* asked only around a gap */
    size_t trimmed = 0; /* bytes at the segment's start the open message had already */

    r->tcp_conv_proto = t ? t->conv_proto : 0;
    bool as_alone = r->tcp_conv_proto == 0 && (!t || t->len == 0);
    if (t && !t->seq_known) {
        lru_unlink(r, t);
        lru_push(r, t);
    } else if (t && t->len == 0) {
        /* No message open, but the stream's place is known. */
        lru_unlink(r, t);
        lru_push(r, t);
        int32_t ahead = (int32_t)(seq - t->next_seq);
        if (ahead < 0) {
            /* Bytes already dissected (a retransmission): Wireshark does not hand them to the
             * application again. New bytes after them go on. But a fast retransmission, which
             * its analysis does not call a "retransmission", it hands on as it is: here the
             * segment is then dissected on its own (not handled), and the stream's place
             * stays. */
            uint32_t old = t->next_seq - seq; /* -ahead, INT32_MIN too */
            as_alone = false;
            if (old >= n) {
                bool again =
                    r->segment_kind && r->segment_kind(r->segment_kind_ctx, d) == REASM_SEGMENT_NEW;
                if (closing)
                    dir_drop(r, t);
                return !again;
            }
            p += old;
            pay_off += old;
            n -= old;
            seq += old;
        }
    } else if (t) {
        lru_unlink(r, t);
        lru_push(r, t);
        int32_t ahead = (int32_t)(seq - t->next_seq);
        if (ahead < 0) {
            /* Bytes already taken (a retransmission), maybe with new ones after them. */
            uint32_t old = t->next_seq - seq; /* -ahead, INT32_MIN too */
            if (old >= n) {
                /* Nothing new: nothing for the application. But a copy that lies within the
                 * open message is one of its segments to Wireshark (an overlapping fragment),
                 * listed with them and shown as one, unless its analysis calls it a
                 * retransmission (the real-traffic benchmark capture's out-of-order copies in
                 * a download that lost segments). */
                if (old <= t->len && (!r->segment_kind || r->segment_kind(r->segment_kind_ctx, d) !=
                                                              REASM_SEGMENT_RESENT)) {
                    dir_list_frame(r, t, r->frame, t->len - old);
                    note_open(d, app, t->buf, t->len, false, false, pay_off);
                }
                return true;
            }
            p += old;
            pay_off += old;
            n -= old;
            seq += old;
            ahead = 0;
            trimmed = old < t->len ? old : t->len;
        }
        /* Around a gap, a segment the TCP analysis calls a retransmission is not taken, as
         * Wireshark takes none: nothing of it for the application. */
        if ((ahead > 0 || t->nheld) && r->segment_kind)
            kind = r->segment_kind(r->segment_kind_ctx, d);
        if (kind == REASM_SEGMENT_RESENT)
            return true;
        if (ahead > 0 && dir_hold(r, t, d, p, pay_off, n, (uint32_t)ahead, closing)) {
            /* Within the message: shown as one of its segments, reassembled with it. */
            note_open(d, app, t->buf, t->len, false, false, pay_off);
            return true;
        }
        if (ahead > 0) {
            /* A hole: the open message cannot be completed. */
            r->stats.stream_holes++;
            dis_anomaly(d, ANOM_TCP_REASSEMBLY_HOLE, pay_off);
            dir_drop(r, t);
            t = NULL;
            /* Resume at the first byte where a message can start. */
            size_t skip = 0;
            while (skip < n && pdu_at(pdu_len, p + skip, n - skip) == DIS_PDU_NOT_A_START)
                skip++;
            if (skip > 0) {
                struct cursor c = data_window(d, pay_off, skip);
                dissect_data(d, &c, LAYER_OK);
                p += skip;
                pay_off += skip;
                n -= skip;
                seq += (uint32_t)skip;
            }
            if (n == 0)
                return true;
        } else {
            size_t before = t->len;
            /* (n is 0 for a bare FIN or RST: the frame is still listed among the message's
             * segments, as Wireshark lists it.) */
            if (!dir_add(r, t, d, p, pay_off, n, trimmed)) {
                r->stats.pdus_dropped++;
                dis_anomaly(d, ANOM_REASM_CAP, pay_off);
                dir_drop(r, t);
                return false;
            }
            t->next_seq = seq + (uint32_t)n;
            if (t->nheld && dir_take_held(r, t))
                closing = true; /* a segment held past the gap carried the FIN */
            bool was_known = t->len_known;
            size_t m = dir_message_len(pdu_len, t);
            t->len_known = m != 0;
            dir_reserve_message(r, t, m);
            if (m == DIS_PDU_NOT_A_START || ((m == 0 || m > t->len) && !closing)) {
                if (m == DIS_PDU_NOT_A_START) {
                    dir_drop(r, t);
                    return false;
                }
                /* A protocol that could not yet tell the length looks at the message again
                 * (Wireshark calls it once more): it is named as on the first segment. */
                note_open(d, app, t->buf, t->len, !was_known, false, pay_off);
                return true; /* a segment of a message still open */
            }
            if (m == 0 || m > t->len)
                m = t->len; /* FIN or RST: what there is, as it is */
            size_t npieces = message_pieces(t, m);
            const struct reasm_piece *pieces = npieces ? t->pieces : NULL;
            size_t at =
                t->room ? reasm_append_before(r, d, t->buf, m, t->room, t->alloc, pieces, npieces)
                        : SIZE_MAX;
            if (at != SIZE_MAX)
                dir_lend(r, t);
            else
                at = reasm_append(r, d, t->buf, m, pieces, npieces);
            if (at == SIZE_MAX) {
                dir_drop(r, t);
                return false;
            }
            r->stats.pdus_reassembled++;
            struct cursor msg = data_window(d, at, m);
            reassembled_fields(d, t, &msg);
            if (kind != REASM_SEGMENT_OUT_OF_ORDER)
                app_over(d, at, m, sport, dport);
            completed = true;
            /* this segment's bytes the message took (all of them when its end came from a
             * segment held past a gap) */
            size_t from_this = m - before < n ? m - before : n;
            dir_idle(r, t, t->next_seq);
            p += from_this;
            pay_off += from_this;
            n -= from_this;
            seq += (uint32_t)from_this;
            if (n == 0) {
                if (closing)
                    dir_drop(r, t);
                return true;
            }
        }
    }

    /* No message open: whole messages in place, and the start of the next one held. */
    if (!t)
        t = dir_open(r, &k, h);
    r->tcp_current = t;
    t->next_seq = seq + (uint32_t)n;
    t->seq_known = true;
    bool not_start;
    size_t whole = whole_prefix(pdu_len, p, n, &not_start);
    if (not_start) {
        if (closing)
            dir_drop(r, t);
        return false;
    }
    if (whole > 0)
        app_over(d, pay_off, whole, sport, dport);
    *plain = as_alone && whole == n;
    if (whole == n || closing) {
        if (whole < n)
            app_over(d, pay_off + whole, n - whole, sport, dport);
        if (closing)
            dir_drop(r, t);
        return true;
    }
    if (!dir_add(r, t, d, p + whole, pay_off + whole, n - whole, 0)) {
        r->stats.pdus_dropped++;
        dis_anomaly(d, ANOM_REASM_CAP, pay_off + whole);
        dir_idle(r, t, seq + (uint32_t)n);
        app_over(d, pay_off + whole, n - whole, sport, dport);
        return true;
    }
    size_t m = dir_message_len(pdu_len, t);
    t->len_known = m != 0;
    dir_reserve_message(r, t, m);
    if (whole == 0)
        note_open(d, app, t->buf, t->len, true, completed, pay_off + whole);
    else
        s->tcp_pdu_tail = true;
    return true;
}

/* The key of the current packet's direction, or of the reverse one. */
static struct tcp_key packet_key(const struct dissection *d, bool reverse)
{
    const struct dis_summary *s = &d->sum;
    struct tcp_key k;
    memset(&k, 0, sizeof(k));
    k.addr_len = s->addr_len;
    k.sport = reverse ? s->dport : s->sport;
    k.dport = reverse ? s->sport : s->dport;
    memcpy(k.src, reverse ? s->dst : s->src, s->addr_len);
    memcpy(k.dst, reverse ? s->src : s->dst, s->addr_len);
    return k;
}

/* The current packet's direction (rev 0) or the reverse one, opened when missing: the packet's
 * own direction then knows its place in the stream (after this packet), the reverse one not
 * until it sends. */
static struct tcp_dir *conv_dir(struct reasm *r, const struct dissection *d, int rev)
{
    struct tcp_key k = packet_key(d, rev);
    uint32_t h = tcp_hash(r, &k);
    struct tcp_dir *t = dir_find(r, &k, h);
    if (!t) {
        t = dir_open(r, &k, h);
        if (!rev) {
            t->next_seq = d->sum.seq + d->sum.payload_len;
            t->seq_known = true;
        }
    }
    return t;
}

void reasm_tcp_adopt(struct dissection *d, uint16_t proto)
{
    struct reasm *r = d->reasm;
    if (!r || d->sum.l4 != PS_IPPROTO_TCP)
        return;
    for (int rev = 0; rev < 2; rev++)
        conv_dir(r, d, rev)->conv_proto = proto;
}

/* The current TCP packet's own direction when the reassembly follows it, else NULL (none is
 * made): what the conversation learnt before this packet. */
static struct tcp_dir *packet_dir(const struct dissection *d)
{
    struct reasm *r = d->reasm;
    if (!r || !r->tcp_buckets || d->sum.l4 != PS_IPPROTO_TCP)
        return NULL;
    struct tcp_key k = packet_key(d, false);
    return dir_find(r, &k, tcp_hash(r, &k));
}

app_pdu_len_fn reasm_tcp_adopted(struct dissection *d, uint16_t *proto)
{
    struct tcp_dir *t = packet_dir(d);
    if (!t || !t->conv_proto)
        return NULL;
    *proto = t->conv_proto;
    return dis_app_pdu_len_of(t->conv_proto);
}

uint16_t reasm_tcp_tls_version(struct dissection *d)
{
    const struct tcp_dir *t = packet_dir(d);
    return t ? t->tls_version : 0;
}

void reasm_tcp_set_tls_version(struct dissection *d, uint16_t version)
{
    struct reasm *r = d->reasm;
    if (!r || d->sum.l4 != PS_IPPROTO_TCP)
        return;
    for (int rev = 0; rev < 2; rev++)
        conv_dir(r, d, rev)->tls_version = version;
}

bool reasm_tcp_tls_cipher_changed(struct dissection *d)
{
    const struct tcp_dir *t = packet_dir(d);
    return t && t->tls_ccs_frame && d->reasm->frame > t->tls_ccs_frame;
}

void reasm_tcp_tls_note_ccs(struct dissection *d)
{
    struct reasm *r = d->reasm;
    if (!r || d->sum.l4 != PS_IPPROTO_TCP)
        return;
    conv_dir(r, d, 0)->tls_ccs_frame = r->frame;
}

struct reasm_tls_hs *reasm_tcp_tls_hs(struct dissection *d)
{
    struct tcp_dir *t = packet_dir(d);
    return t ? t->tls_hs : NULL;
}

bool reasm_tcp_tls_hs_add(struct dissection *d, const uint8_t *p, size_t n)
{
    struct reasm *r = d->reasm;
    if (!r || d->sum.l4 != PS_IPPROTO_TCP)
        return false;
    struct tcp_dir *t = conv_dir(r, d, 0);
    struct reasm_tls_hs *h = t->tls_hs;
    if (!h)
        h = t->tls_hs = xcalloc(1, sizeof(*h));
    if (n > REASM_TLS_HS_MAX - h->len) {
        tls_hs_release(r, t);
        return false;
    }
    if (h->len + n > h->cap) {
        size_t cap = h->cap ? h->cap : 1024;
        while (cap < h->len + n)
            cap *= 2;
        if (cap > REASM_TLS_HS_MAX)
            cap = REASM_TLS_HS_MAX;
        if (!reasm_charge(r, cap - h->cap)) {
            tls_hs_release(r, t);
            return false;
        }
        h->buf = xrealloc(h->buf, cap);
        h->cap = (uint32_t)cap;
    }
    memcpy(h->buf + h->len, p, n);
    h->len += (uint32_t)n;
    if (h->nfrags < REASM_TLS_HS_LISTED)
        h->frames[h->nfrags] = r->frame;
    h->nfrags++;
    return true;
}

void reasm_tcp_tls_hs_end(struct dissection *d)
{
    struct tcp_dir *t = packet_dir(d);
    if (t)
        tls_hs_release(d->reasm, t);
}

bool dis_tcp_reassemble(struct dissection *d, app_pdu_len_fn pdu_len, uint16_t app, size_t pay_off,
                        size_t pay_len, uint16_t sport, uint16_t dport)
{
    uint16_t nlayers = d->nlayers, nanomalies = d->nanomalies;
    unsigned nfields = (unsigned)d->nfields + d->nunrecorded;
    bool plain = false;
    bool handled = tcp_reassemble(d, pdu_len, app, pay_off, pay_len, sport, dport, &plain);
    if (d->reasm)
        d->reasm->tcp_current = NULL;
    /* Not handled, the caller dissects the payload as without reassembly: the frame reads as
     * on its own unless something was added on the way (a hole's anomaly, a cap reached). */
    if (handled ? !plain
                : d->nlayers != nlayers || (unsigned)d->nfields + d->nunrecorded != nfields ||
                      d->nanomalies != nanomalies)
        d->flags |= DIS_REASSEMBLED;
    return handled;
}
