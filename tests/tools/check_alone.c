/*
 * check_alone FILE...: for every frame of every capture, dissected in order with reassembly on
 * (the pipeline, as the TUI ingests a capture), checks the promise of DIS_REASSEMBLED
 * (dissect/dissect.h): a frame without the flag, dissected again on its own without the
 * reassembler, reads exactly the same (layers, fields, anomalies, summary, text, protocols).
 * The TUI relies on it: it keeps the dissections of flagged frames and dissects the others
 * again when it shows them. And that every flagged frame, kept in a dissection store
 * (pipeline/dstore.h) and read back with its frame's bytes, reads exactly the same, bytes past
 * the frame included: most are kept as the segment of an open message and dissected again.
 * Each flagged frame is kept twice: with its reassembled bytes, and (as the TUI keeps them) as
 * the pieces of earlier frames they came from (reasm_keep_pieces), put together again from the
 * file by a reader of its own; and read back from frames whose bytes changed since (every byte
 * inverted), such a record is refused, never shown with other bytes; read back for a reader
 * that does not want the bytes past the frame (dstore_get_for, as the TUI's display filter
 * reads), it is read without the pieces, the frame's bytes and the same layers and fields.
 * And that four more pipelines over the same file, one dissecting lean (dissect_options.lean,
 * as --print does), one headerless as well (dissect_options.headerless, as --stats and --conns
 * do) and two headerless with a display filter that names header fields (as --stats -Y does:
 * those are kept, dissect_options.kept_fields, and the detail fields with them), one the fields
 * carved out of another (tcp.flags.syn, ip.checksum.status) but not that other, one the other
 * way round, read every frame the same but for the detail fields (dis_field_is_detail), and
 * the headers' fields (dis_layer_unrecorded) they leave out: what the display filter relies on
 * when it asks dfilter_reads_detail and reads the fields it names, and the counts on the rest.
 * With --filters FILE (one display filter a line, as tests/oracle/filters.txt), every filter in
 * it that is frame-local (dfilter_frame_local) answers the same on each frame but IP fragments
 * dissected on its own as the TUI does ahead of the analysis (dfilter_on_own_options: no
 * further than the transport, lean, headerless but for what it names, untracked) as on the
 * frame analysed: what the TUI relies on when it filters packets it has not analysed.
 * Prints the frames that break either; exit 1 if any did, 2 on a file that cannot be read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/source.h"
#include "dissect/dissect.h"
#include "dissect/reasm.h"
#include "filter/filter.h"
#include "pipeline/dstore.h"
#include "pipeline/pipeline.h"
#include "util/util.h"

/* Frames read again for the store's pieces: a second reader of the file, and where each frame's
 * record is (the pipeline's reading tells). */
struct frame_reader {
    struct source *src;
    uint64_t *record_off; /* [frame - 1] */
    size_t n, cap;
    bool tamper;      /* hand out the frames' bytes inverted */
    uint8_t *changed; /* CAPTURE_MAX_PACKET: those bytes */
};

static bool read_frame(void *ctx, uint64_t frame, const uint8_t **data, uint32_t *caplen,
                       char *errbuf)
{
    struct frame_reader *fr = ctx;
    struct packet pkt;
    if (frame == 0 || frame > fr->n) {
        ps_err(errbuf, "frame %llu was not read", (unsigned long long)frame);
        return false;
    }
    if (fr->src->ops->read_at(fr->src, fr->record_off[frame - 1], frame, &pkt, errbuf) !=
        SOURCE_PACKET)
        return false;
    *data = pkt.data;
    *caplen = pkt.caplen;
    if (fr->tamper && pkt.caplen <= CAPTURE_MAX_PACKET) {
        for (uint32_t i = 0; i < pkt.caplen; i++)
            fr->changed[i] = (uint8_t)~pkt.data[i];
        *data = fr->changed;
    }
    return true;
}

static bool wants_nothing(const void *ctx, const struct dissection *d, uint32_t from)
{
    (void)ctx, (void)d, (void)from;
    return false;
}

/* The frame kept by pieces again, read back from changed frames: what was wrong, or NULL. */
static const char *tamper_difference(struct dstore *by_pieces, struct frame_reader *fr,
                                     const struct dissection *d, const struct packet *pkt,
                                     struct dissection *back, struct dstore_buf *buf,
                                     unsigned long *refused)
{
    char err[PS_ERRBUF_SIZE];
    uint64_t pieces = dstore_stats(by_pieces)->by_pieces;
    uint64_t handle = dstore_put(by_pieces, d);
    if (!handle || dstore_stats(by_pieces)->by_pieces == pieces)
        return NULL; /* kept as bytes (an IP datagram's): nothing to read again */
    fr->tamper = true;
    bool read = dstore_get(by_pieces, handle, pkt->data, pkt->caplen, back, buf, err);
    fr->tamper = false;
    if (read)
        return "record read back from changed frames (not refused)";
    if (!strstr(err, "no longer make the same bytes"))
        return "record read back from changed frames (refused, but not for that)";
    (*refused)++;
    /* For a reader that does not want the bytes past the frame (dstore_get_for), the pieces
     * are not read at all: read back though the frames changed, with the frame's own bytes
     * alone and the same layers and fields. */
    fr->tamper = true;
    read = dstore_get_for(by_pieces, handle, pkt->data, pkt->caplen, back, buf, wants_nothing, NULL,
                          err);
    fr->tamper = false;
    if (!read)
        return "record without its reassembled bytes (not read back)";
    if (back->caplen != d->caplen || back->data_len != d->caplen)
        return "record without its reassembled bytes (its length)";
    if (back->nlayers != d->nlayers || back->nfields != d->nfields ||
        memcmp(back->layers, d->layers, d->nlayers * sizeof(d->layers[0])) != 0 ||
        memcmp(back->fields, d->fields, d->nfields * sizeof(d->fields[0])) != 0)
        return "record without its reassembled bytes (layers or fields)";
    if (memcmp(back->data, d->data, d->caplen) != 0)
        return "record without its reassembled bytes (the frame's)";
    return NULL;
}

/* The frame kept in the store and read back: what differs, or NULL. */
static const char *kept_difference(struct dstore *store, const struct dissection *d,
                                   const struct packet *pkt, struct dissection *back,
                                   struct dstore_buf *buf)
{
    char err[PS_ERRBUF_SIZE];
    uint64_t handle = dstore_put(store, d);
    if (!handle)
        return "record (not kept)";
    if (!dstore_get(store, handle, pkt->data, pkt->caplen, back, buf, err))
        return "record (not read back)";
    const char *what = dis_difference(d, back);
    if (what)
        return what;
    if ((back->flags & ~DIS_OVERFLOW) != (d->flags & ~DIS_OVERFLOW))
        return "flags";
    if (memcmp(back->data, d->data, d->data_len) != 0)
        return "bytes";
    return NULL;
}

/* The frame-local filters of --filters, each with how a frame is dissected on its own for it. */
struct local_filters {
    struct dfilter **df;
    uint8_t **kept;
    struct dissect_options *opt;
    const char **text;
    size_t n;
    unsigned long answers; /* answers compared */
};

static int read_filters(const char *path, struct local_filters *lf)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "check_alone: %s: cannot open\n", path);
        return -1;
    }
    char line[2048];
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '\0' || line[0] == '#')
            continue;
        struct dfilter *df;
        char err[1024];
        if (dfilter_compile(line, &df, err, sizeof(err)) < 0)
            continue; /* (filters.txt's own test compiles them all) */
        if (!dfilter_frame_local(df)) {
            dfilter_free(df);
            continue;
        }
        size_t n = lf->n + 1;
        lf->df = xrealloc(lf->df, n * sizeof(*lf->df));
        lf->kept = xrealloc(lf->kept, n * sizeof(*lf->kept));
        lf->opt = xrealloc(lf->opt, n * sizeof(*lf->opt));
        lf->text = xrealloc(lf->text, n * sizeof(*lf->text));
        lf->df[lf->n] = df;
        lf->kept[lf->n] = dfilter_kept_fields(df);
        lf->opt[lf->n] = dfilter_on_own_options(df, lf->kept[lf->n], true);
        lf->text[lf->n] = xstrdup(line);
        lf->n = n;
    }
    fclose(f);
    return 0;
}

/* Each frame-local filter's answer on frame `res` analysed and dissected on its own (into
 * alone): false, after saying which, when one differs. */
static bool local_filters_agree(struct local_filters *lf, const char *path,
                                const struct packet *pkt, const struct pipeline_result *res,
                                struct dissection *alone, unsigned *reported)
{
    static const struct track_info untracked;
    bool same = true;
    for (size_t i = 0; i < lf->n; i++) {
        struct dissect_options opt = lf->opt[i];
        dissect_options_at(&opt, pkt);
        dissect_frame(alone, pkt->data, pkt->caplen, pkt->len, pkt->linktype, &opt);
        if (alone->sum.is_fragment)
            return true; /* decided on the analysed frame, as the TUI does */
        struct filter_packet analysed = res->fp, own = res->fp;
        analysed.ids_filled = own.ids_filled = false;
        own.d = alone;
        own.ti = &untracked;
        bool want = dfilter_match(lf->df[i], &analysed), got = dfilter_match(lf->df[i], &own);
        lf->answers++;
        if (want != got) {
            same = false;
            if ((*reported)++ < 10)
                printf("%s: frame %llu: filter '%s' is %s analysed, %s on its own\n", path,
                       (unsigned long long)pkt->number, lf->text[i], want ? "true" : "false",
                       got ? "true" : "false");
        }
    }
    return same;
}

static int check_file(const char *path, struct dissection *alone, struct dstore *store,
                      struct dstore *by_pieces, struct local_filters *lf, unsigned long *frames,
                      unsigned long *flagged, unsigned long *refused)
{
    char err[PS_ERRBUF_SIZE];
    struct source *src = file_source_open(path, false, err);
    if (!src) {
        fprintf(stderr, "check_alone: %s: %s\n", path, err);
        return 2;
    }
    struct pipeline_config pc;
    memset(&pc, 0, sizeof(pc));
    pc.verify_checksums = true;
    pc.reassembly = true;
    pc.filter_view = lf->n > 0; /* res.fp: the frame as the filters read it analysed */
    tracker_config_default(&pc.tracker);
    struct pipeline *p = pipeline_new(src, &pc, err);
    if (!p) {
        fprintf(stderr, "check_alone: %s: %s\n", path, err);
        return 2;
    }
    reasm_keep_pieces(pipeline_reasm(p), true);
    struct frame_reader fr = {.src = file_source_open(path, false, err),
                              .changed = xmalloc(CAPTURE_MAX_PACKET)};
    if (!fr.src) {
        fprintf(stderr, "check_alone: %s: %s\n", path, err);
        pipeline_free(p);
        free(fr.changed);
        return 2;
    }
    dstore_set_frames(by_pieces, read_frame, &fr);
    /* lean[0] headerless (--stats, --conns), lean[1] lean only (--print), lean[2] and lean[3]
     * headerless keeping what their -Y names (--stats -Y). */
    enum { NLEAN = 4 };
    static const char *const how[NLEAN] = {"headerless", "lean", "headerless with a -Y on parts",
                                           "headerless with a -Y on wholes"};
    static const char *const filters[NLEAN] = {
        NULL, NULL,
        "eth.type == 0x0800 || ip.ttl > 1 || ipv6.hlim > 1 || tcp.port == 80 || "
        "udp.length > 8 || vlan.dei || vlan.id || ieee8021ad.id || eth.src.oui || eth.dst.lg || "
        "ip.opt.type.copy || ip.opt.type.number || ip.hdr_len || ip.dsfield.dscp || "
        "ip.dsfield.ecn || ip.flags.df || ip.flags.mf || ip.checksum.status || ipv6.opt.length "
        "|| ipv6.fraghdr.more || ipv6.tclass.dscp || ipv6.tclass.ecn || "
        "tcp.options.wscale.multiplier || tcp.options.sack.count || tcp.flags.syn || "
        "tcp.flags.res || tcp.flags.fin || tcp.checksum.status || udp.checksum.status",
        "eth.src || eth.dst || vlan.priority || ip.version || ip.dsfield || ip.flags || "
        "ip.checksum "
        "|| ipv6.tclass || tcp.flags || tcp.checksum || udp.checksum || ip.opt.type || "
        "tcp.options.wscale.shift"};
    struct pipeline *lean[NLEAN] = {NULL};
    for (int i = 0; i < NLEAN; i++) {
        struct source *lean_src = file_source_open(path, false, err);
        struct pipeline_config lean_pc = pc;
        lean_pc.filter_view = false;
        lean_pc.no_detail_fields = true;
        lean_pc.no_header_fields = i != 1;
        lean_pc.display_filter = filters[i];
        lean[i] = lean_src ? pipeline_new(lean_src, &lean_pc, err) : NULL;
        if (!lean[i]) {
            fprintf(stderr, "check_alone: %s: %s\n", path, err);
            pipeline_free(p);
            for (int k = 0; k < i; k++)
                pipeline_free(lean[k]);
            return 2;
        }
    }
    struct dissect_options alone_opt = {.verify_checksums = true, .reasm = NULL};
    int status = 0;
    unsigned reported = 0;
    struct dstore_buf buf = {0};
    for (;;) {
        struct packet pkt;
        int r = pipeline_read(p, &pkt, err);
        if (r != SOURCE_PACKET)
            break;
        struct pipeline_result res;
        fr.record_off = xgrow(fr.record_off, &fr.cap, fr.n + 1, sizeof(*fr.record_off));
        fr.record_off[fr.n++] = pkt.record_off;
        if (pipeline_process(p, &pkt, &res, err) < 0)
            break;
        (*frames)++;
        bool lean_read = true;
        for (int i = 0; i < NLEAN && lean_read; i++) {
            struct packet lean_pkt;
            struct pipeline_result lean_res;
            if (pipeline_read(lean[i], &lean_pkt, err) != SOURCE_PACKET ||
                pipeline_process(lean[i], &lean_pkt, &lean_res, err) < 0) {
                status = 1;
                printf("%s: frame %llu: the %s pipeline did not read it\n", path,
                       (unsigned long long)pkt.number, how[i]);
                lean_read = false;
                break;
            }
            const char *lean_what = dis_lean_difference(res.d, lean_res.d);
            if (lean_what) {
                status = 1;
                if (reported++ < 10)
                    printf("%s: frame %llu: dissected %s, its %s differ\n", path,
                           (unsigned long long)pkt.number, how[i], lean_what);
            }
        }
        if (!lean_read)
            break;
        if (lf->n && !local_filters_agree(lf, path, &pkt, &res, alone, &reported))
            status = 1;
        if (res.d->flags & DIS_REASSEMBLED) {
            (*flagged)++;
            const char *what = kept_difference(store, res.d, &pkt, alone, &buf);
            if (what) {
                status = 1;
                if (reported++ < 10)
                    printf("%s: frame %llu: kept and read back, its %s differ\n", path,
                           (unsigned long long)pkt.number, what);
            }
            what = kept_difference(by_pieces, res.d, &pkt, alone, &buf);
            if (!what)
                what = tamper_difference(by_pieces, &fr, res.d, &pkt, alone, &buf, refused);
            if (what) {
                status = 1;
                if (reported++ < 10)
                    printf("%s: frame %llu: kept by pieces and read back, its %s differ\n", path,
                           (unsigned long long)pkt.number, what);
            }
            continue;
        }
        dissect_options_at(&alone_opt, &pkt);
        dissect_frame(alone, pkt.data, pkt.caplen, pkt.len, pkt.linktype, &alone_opt);
        const char *what = dis_difference(res.d, alone);
        if (what) {
            status = 1;
            if (reported++ < 10)
                printf("%s: frame %llu: not flagged, but on its own its %s differ\n", path,
                       (unsigned long long)pkt.number, what);
        }
    }
    pipeline_free(p);
    for (int i = 0; i < NLEAN; i++)
        pipeline_free(lean[i]);
    dstore_buf_free(&buf);
    dstore_set_frames(by_pieces, NULL, NULL);
    source_close(fr.src);
    free(fr.record_off);
    free(fr.changed);
    return status;
}

int main(int argc, char **argv)
{
    struct dissection *alone = xcalloc(1, sizeof(*alone));
    char err[PS_ERRBUF_SIZE];
    struct dstore *store = dstore_new(0, err), *by_pieces = dstore_new(0, err);
    if (!store || !by_pieces) {
        fprintf(stderr, "check_alone: %s\n", err);
        return 2;
    }
    struct local_filters lf = {0};
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "--filters") == 0) {
        if (read_filters(argv[2], &lf) < 0)
            return 2;
        first = 3;
    }
    int status = 0;
    unsigned long frames = 0, flagged = 0, refused = 0;
    for (int i = first; i < argc; i++) {
        int s = check_file(argv[i], alone, store, by_pieces, &lf, &frames, &flagged, &refused);
        /* A frame that breaks the promise (1) outweighs a file the reader refused (2): its
         * frames that were read are checked all the same. */
        if (s == 1 || (s == 2 && status == 0))
            status = s;
    }
    printf("check_alone: %d files, %lu frames, %lu kept as reassembled (%llu as open segments, "
           "%lu with their bytes as pieces, refused when those frames changed), %zu frame-local "
           "filters answering %lu times, %s\n",
           argc - first, frames, flagged, (unsigned long long)dstore_stats(store)->open_segments,
           refused, lf.n, lf.answers,
           status == 1 ? "FAILED"
                       : "read back the same; the others the same on their own; lean and "
                         "headerless the same but for the fields they leave out; the "
                         "frame-local filters the same on their own");
    for (size_t i = 0; i < lf.n; i++) {
        dfilter_free(lf.df[i]);
        free(lf.kept[i]);
        free((char *)lf.text[i]);
    }
    free(lf.df);
    free(lf.kept);
    free(lf.opt);
    free(lf.text);
    dstore_free(store);
    dstore_free(by_pieces);
    free(alone);
    return status;
}
