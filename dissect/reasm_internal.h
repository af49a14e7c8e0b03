/*
 * The reassembler's insides, shared by reasm.c (IP), reasm_tcp.c (TCP) and the dissectors that
 * call them (ipv4.c, ipv6.c, tcp.c). Not for use outside dissect/.
 */
#ifndef PKTSCOPE_DISSECT_REASM_INTERNAL_H
#define PKTSCOPE_DISSECT_REASM_INTERNAL_H

#include "dissect/internal.h"
#include "dissect/reasm.h"

struct dgram;
struct tcp_dir;

struct reasm {
    struct reasm_limits lim;
    struct reasm_stats stats;
    uint64_t frame; /* the frame being dissected */
    int64_t now;    /* its time, seconds */
    uint64_t seed;  /* the buckets' hash (hash_bytes) */
    /* reasm_set_owner(), and what became of the frame's completed datagram. */
    reasm_owned_fn owned;
    void *owned_ctx;
    reasm_segment_fn segment_kind; /* reasm_set_segment_kind() */
    void *segment_kind_ctx;
    uint8_t datagram;  /* enum reasm_datagram */
    bool frame_shared; /* reasm_share_frame(): until its first fragment is added */

    /* The frame's copy with reassembled bytes appended (reasm.h): valid until the next frame.
     * It begins at frame_at (d->data) and may take frame_cap bytes from there: in buf, or in
     * a long message's own buffer, the frame copied into the room before the message
     * (reasm_append_before), which `lent` keeps until the next frame. */
    uint8_t *buf;
    size_t buf_cap, used;
    uint8_t *frame_at;
    size_t frame_cap;
    uint8_t *lent;
    size_t lent_size;
    unsigned appended; /* appends in this frame */

    /* reasm_keep_pieces: the pieces of the bytes appended to this frame (tail_told: all its
     * appended bytes are told by them), and what every open message's list holds (bytes). */
    bool keep_pieces;
    bool tail_told;
    struct reasm_piece *tail;
    size_t ntail, tail_cap;
    size_t piece_bytes;

    /* reasm_keep_all_frames: every open message's frames past the REASM_MAX_LISTED it lists
     * (at most REASM_MAX_MORE_FRAMES in all), and those of the messages completed in the
     * current frame (reasm_more_frames). */
    bool keep_all_frames;
    size_t more_frames;
    struct reasm_told *told;
    size_t ntold, told_cap;

    /* IP datagrams being reassembled. */
    struct dgram **buckets;
    struct dgram *oldest, *newest;
    uint32_t ndgrams;

    /* TCP directions holding part of a message (reasm_tcp.c). */
    struct tcp_dir **tcp_buckets;
    struct tcp_dir *tcp_oldest, *tcp_newest;
    uint32_t ntcp;
    /* The direction whose segment is being reassembled: the application's dissector, called
     * in the middle of it, may open the reverse direction (the TLS version, an adopted
     * protocol), and the eviction that makes room must not free it. NULL between segments. */
    struct tcp_dir *tcp_current;
    /* The protocol the segment's conversation adopted (reasm_tcp_adopt), 0 none: what its
     * messages are handed to. Here, not in a static: a static written on every segment shared
     * a cache line with the vendor and service tables that --threads' formatting threads read
     * on every field, and made them wait on it. */
    uint16_t tcp_conv_proto;
    /* Message buffers of directions whose message ended, kept for the next big message
     * (reasm_tcp.c, dir_buf_release): outside the memory cap, at most REASM_SPARE_BYTES. */
    struct reasm_spare {
        uint8_t *p;
        size_t size;
    } spare[4];
    size_t spare_bytes;
    /* What the directions' buffers hold beyond what the memory cap is charged for (their
     * alloc - cap, reasm_tcp.c): mostly address space a whole message was allocated at once
     * for and not yet written, bounded by max_bytes. */
    size_t alloc_ahead;
};

enum reasm_result { REASM_PENDING, REASM_COMPLETE, REASM_DROPPED };

/* A datagram's key: zero-filled, so that it can be hashed and compared as bytes. */
struct reasm_ip_key {
    uint8_t version; /* 4 or 6 */
    uint8_t proto;   /* IPv4's protocol; IPv6: the fragment header's next header */
    uint8_t pad[2];
    uint32_t id;
    uint8_t src[16], dst[16];
};

#define REASM_MAX_LISTED 64 /* frame numbers listed per reassembly (ip.fragment, tcp.segment) */
/* reasm_keep_all_frames: the frames past those kept for every open message together (8 bytes
 * each: 32 MB), so that a stream of one-byte segments cannot make them hold more than that. */
#define REASM_MAX_MORE_FRAMES ((size_t)4 << 20)

/* reasm_keep_all_frames: frame `frame`, one of the current frame's completion's parts past
 * those listed, told (reasm_more_frames). */
void reasm_tell(struct reasm *r, uint64_t frame, enum reasm_told_kind kind);

struct reasm_ip_done {
    size_t off, len; /* where the datagram's payload now lies in d->data */
    uint32_t nframes, nlisted;
    uint64_t frames[REASM_MAX_LISTED];    /* the fragments' frames, in offset order */
    bool error[REASM_MAX_LISTED];         /* that fragment conflicts or runs past the end */
    uint32_t overlap, conflict, too_long; /* fragments that overlap, conflict, run past the end */
    bool multiple_tails;
    bool past_max;    /* DROPPED: the fragment reaches past 65,535 bytes */
    bool cap_reached; /* DROPPED: a memory or count cap */
};

/* Adds one fragment (payload bytes p[0, n) at byte offset `off`; `more`: MF set). COMPLETE:
 * the datagram's payload was appended to d->data and `out` says where and from what. */
enum reasm_result reasm_ip_add(struct reasm *r, struct dissection *d, const struct reasm_ip_key *k,
                               uint32_t off, bool more, const uint8_t *p, size_t n,
                               struct reasm_ip_done *out);

/*
 * For ipv4.c and ipv6.c: hands the fragment whose payload is `payload` to the reassembler. True
 * when it completed its datagram: the IP layer (the current one) got the reassembly's fields
 * and `whole` is a cursor over the datagram's payload, to be dissected as the transport. False
 * when the caller shows the fragment as data (pending, dropped for a cap, or cut short by the
 * capture), anomalies added.
 */
bool dis_ip_reassemble(struct dissection *d, struct cursor *payload, const struct reasm_ip_key *k,
                       uint32_t frag_off, bool more, struct cursor *whole);

/* Appends n bytes to the frame's reassembly buffer (d->data then points to it); returns their
 * offset in d->data, or SIZE_MAX when they do not fit. `pieces` (n of them, covering exactly
 * the n bytes) say where the bytes came from, NULL when that cannot be told. */
size_t reasm_append(struct reasm *r, struct dissection *d, const uint8_t *p, size_t n,
                    const struct reasm_piece *pieces, size_t npieces);
/* The same for the frame's first append, when the n bytes at msg have `room` bytes before them
 * for the frame and `after` bytes from msg on: the frame is copied in front of the message
 * instead of the message after the frame. SIZE_MAX (nothing done) when something was appended
 * in this frame already or the frame does not fit in the room. The caller lends the buffer to
 * the frame (r->lent) until reasm_frame(). */
size_t reasm_append_before(struct reasm *r, struct dissection *d, uint8_t *msg, size_t n,
                           size_t room, size_t after, const struct reasm_piece *pieces,
                           size_t npieces);
/* Counts n more buffered bytes against max_bytes; false (nothing counted) when over. */
bool reasm_charge(struct reasm *r, size_t n);

/*
 * For tcp.c: the segment's payload d->data[pay_off, +pay_len) (all of it captured), in a
 * direction whose application protocol `app` (enum proto_id) measures its messages with pdu_len.
 * Dissects what completes (in place, or from the reassembly buffer with the reassembly's fields on
 * the TCP layer) and holds the rest. False when the caller should dissect the payload on its own,
 * as without reassembly (it does not start a message, or a cap was reached).
 */
bool dis_tcp_reassemble(struct dissection *d, app_pdu_len_fn pdu_len, uint16_t app, size_t pay_off,
                        size_t pay_len, uint16_t sport, uint16_t dport);

/* Shows the segment's payload (at frame offset pay_off) as the segment of the open message o:
 * what reassembly does to such a segment, applied again without the reassembler's state. */
void dis_tcp_open_apply(struct dissection *d, const struct dis_open_segment *o, size_t pay_off);

/* A protocol found by content on a port that does not carry it (a ClientHello on port 4433):
 * the rest of the current packet's TCP conversation, both ways, is that protocol's. */
void reasm_tcp_adopt(struct dissection *d, uint16_t proto);
/* The message length function of the protocol the current packet's conversation adopted, or
 * NULL; *proto gets the protocol. */
app_pdu_len_fn reasm_tcp_adopted(struct dissection *d, uint16_t *proto);
/* The TLS version the current packet's conversation settled on (a ServerHello that said 1.3),
 * 0 when none did: Wireshark keeps it in its TLS session and reads later records by it (a 1.3
 * application_data record's type is TLSCiphertext's opaque_type). Kept on both directions. */
uint16_t reasm_tcp_tls_version(struct dissection *d);
void reasm_tcp_set_tls_version(struct dissection *d, uint16_t version);
/* TLS's other memory of a conversation, as Wireshark's session keeps it (client_ccs_frame,
 * server_ccs_frame): note_ccs records that the packet's direction sent a ChangeCipherSpec in
 * this frame; cipher_changed tells whether it sent one in an earlier frame, after which its
 * handshake records are encrypted. Without reassembly, never. */
void reasm_tcp_tls_note_ccs(struct dissection *d);
bool reasm_tcp_tls_cipher_changed(struct dissection *d);

/*
 * A TLS handshake message longer than the rest of its record, put together from the handshake
 * records that follow in the same direction, in this frame or later ones, as Wireshark 4.0 does
 * (packet-tls.c dissect_tls_handshake, its tls_hs_reassembly_table): tls.c decides what is a
 * fragment; the direction keeps the bytes so far and the frames that carried them. Charged to
 * the memory cap, and at most REASM_TLS_HS_MAX bytes (a longer one is let go).
 */
#define REASM_TLS_HS_MAX ((size_t)1 << 20)
#define REASM_TLS_HS_LISTED 64 /* tls.handshake.fragment: the frames listed, at most */
struct reasm_tls_hs {
    uint8_t *buf;
    uint32_t len, cap; /* cap: what the memory cap is charged for */
    uint32_t nfrags;   /* fragments added (the first REASM_TLS_HS_LISTED listed in frames) */
    uint64_t frames[REASM_TLS_HS_LISTED];
};
/* The current packet's direction's message in progress, NULL when none (or no reassembly). */
struct reasm_tls_hs *reasm_tcp_tls_hs(struct dissection *d);
/* Adds n bytes, the current frame's fragment, to the direction's message (begun if none was):
 * false when there is no reassembly or the bytes do not fit (the message is then let go). */
bool reasm_tcp_tls_hs_add(struct dissection *d, const uint8_t *p, size_t n);
/* Lets go of the direction's message in progress, if any. */
void reasm_tcp_tls_hs_end(struct dissection *d);

/* TCP (reasm_tcp.c). */
void reasm_tcp_free(struct reasm *r);
/* The message buffer lent to the last frame (reasm_append_before) back among the spares. */
void reasm_tcp_return_lent(struct reasm *r);
/* Frees the spare message buffers (reasm_tcp.c). */
void reasm_tcp_free_spares(struct reasm *r);
void reasm_tcp_finish(struct reasm *r);

#endif
