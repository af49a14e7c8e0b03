/*
 * libFuzzer harness for the capture file reader (capture/file.c).
 *
 * Each input is read twice, through both backends: as a memory-mapped regular file (a memfd)
 * and as a stream (a pipe). Both must give the same packets and end the same way, and every
 * packet re-read by its record offset (read_at, mapped backend) must equal what next() gave.
 * The mapped file is also indexed (file_source_index, in slices of a few entries, as the TUI
 * outlines a file): every entry and the way it ends must be next()'s.
 * Any difference aborts, so the fuzzer finds disagreements as well as memory errors.
 *
 * Build (clang): cmake -S . -B build-fuzz -DPKTSCOPE_FUZZ=ON && cmake --build build-fuzz
 *                --target fuzz_reader;  run: build-fuzz/tests/fuzz_reader -max_total_time=300 DIR
 * Not part of ctest.
 */
#include "capture/source.h"
#include "memsource.h"
#include "util/util.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_PACKETS 4096
#define FUZZ_PIPE_SIZE (1u << 20)

struct seen {
    uint64_t record_off, number;
    int64_t ts_sec;
    uint32_t ts_nsec, caplen, len, linktype, ifindex;
    uint64_t hash; /* of the data and the comment */
};

struct run {
    struct seen p[FUZZ_MAX_PACKETS];
    size_t n;
    int last;
    bool opened;
};

static struct run run_map, run_stream;

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static void seen_fill(struct seen *s, const struct packet *pkt)
{
    memset(s, 0, sizeof(*s));
    s->record_off = pkt->record_off;
    s->number = pkt->number;
    s->ts_sec = pkt->ts_sec;
    s->ts_nsec = pkt->ts_nsec;
    s->caplen = pkt->caplen;
    s->len = pkt->len;
    s->linktype = pkt->linktype;
    s->ifindex = pkt->ifindex;
    uint64_t h = fnv(0xcbf29ce484222325ull, pkt->data, pkt->caplen);
    if (pkt->comment)
        h = fnv(h ^ 0xff, (const uint8_t *)pkt->comment, strlen(pkt->comment));
    s->hash = h;
    if (pkt->ts_nsec >= 1000000000u)
        abort();
    if (pkt->caplen > CAPTURE_MAX_PACKET)
        abort();
}

static void drain(struct source *src, struct run *out)
{
    char errbuf[PS_ERRBUF_SIZE];
    struct packet pkt;
    out->n = 0;
    out->last = 99;
    for (size_t i = 0; i < 1000000; i++) {
        int r = source_next(src, &pkt, errbuf);
        if (r != SOURCE_PACKET) {
            out->last = r;
            if (r == SOURCE_ERROR && (errbuf[0] == 0 || memchr(errbuf, 0, sizeof(errbuf)) == NULL))
                abort(); /* every error says something */
            break;
        }
        if (pkt.number != i + 1)
            abort();
        if (out->n < FUZZ_MAX_PACKETS)
            seen_fill(&out->p[out->n++], &pkt);
    }
    /* After the end, the end again (errors are sticky). */
    if (out->last == SOURCE_EOF || out->last == SOURCE_ERROR) {
        if (source_next(src, &pkt, errbuf) != out->last)
            abort();
    }
    struct source_stats st;
    src->ops->stats(src, &st);
    if (st.packets < out->n)
        abort();
    uint32_t nif = file_source_interface_count(src);
    for (uint32_t i = 0; i < nif && i < 64; i++)
        if (!file_source_interface(src, i))
            abort();
    uint64_t done, total;
    file_source_progress(src, &done, &total);
}

static void read_mapped(const uint8_t *data, size_t size)
{
    run_map.opened = false;
    run_map.n = 0;
    char errbuf[PS_ERRBUF_SIZE];
    struct source *src = fuzz_open_file(data, size, errbuf);
    if (!src)
        return;
    run_map.opened = true;
    drain(src, &run_map);
    if (src->ops->read_at) {
        struct packet pkt;
        for (size_t k = run_map.n; k-- > 0;) {
            struct seen s;
            if (src->ops->read_at(src, run_map.p[k].record_off, run_map.p[k].number, &pkt,
                                  errbuf) != SOURCE_PACKET)
                abort();
            seen_fill(&s, &pkt);
            if (memcmp(&s, &run_map.p[k], sizeof(s)) != 0)
                abort();
        }
        /* Arbitrary offsets: an error or a packet, never a crash. */
        for (uint64_t o = 0; o < size && o < 256; o += 4)
            src->ops->read_at(src, o, 1, &pkt, errbuf);
    }
    source_close(src);
}

/* file_source_index over the mapped file must give run_map's packets and end as it did. */
static void index_mapped(const uint8_t *data, size_t size)
{
    char errbuf[PS_ERRBUF_SIZE];
    struct source *src = fuzz_open_file(data, size, errbuf);
    if (!src)
        return;
    struct packet_index e[7];
    size_t total = 0;
    int r = SOURCE_PACKET;
    for (size_t calls = 0; r == SOURCE_PACKET && calls < 1000000; calls++) {
        size_t n = 0, slice = 1 + calls % ARRAY_SIZE(e); /* slices of 1 to 7 entries */
        r = file_source_index(src, e, slice, &n, errbuf);
        if (n > slice)
            abort();
        for (size_t i = 0; i < n; i++, total++) {
            if (total >= run_map.n)
                continue; /* past what run_map kept */
            const struct seen *p = &run_map.p[total];
            if (e[i].record_off != p->record_off || e[i].ts_sec != p->ts_sec ||
                e[i].ts_nsec != p->ts_nsec || e[i].caplen != p->caplen || e[i].len != p->len ||
                e[i].ifindex != p->ifindex)
                abort();
        }
    }
    if (r != run_map.last || (total < run_map.n))
        abort();
    source_close(src);
}

static void read_stream(const uint8_t *data, size_t size)
{
    run_stream.opened = false;
    run_stream.n = 0;
    int pfd[2];
    if (size > FUZZ_PIPE_SIZE || pipe2(pfd, O_CLOEXEC) < 0)
        return;
    /* The whole input must fit in the pipe: nobody else writes while we read. */
    if (size > 65536 && fcntl(pfd[1], F_SETPIPE_SZ, (int)FUZZ_PIPE_SIZE) < (int)size) {
        close(pfd[0]);
        close(pfd[1]);
        return;
    }
    size_t off = 0;
    while (off < size) {
        ssize_t w = write(pfd[1], data + off, size - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    close(pfd[1]);
    char path[64], errbuf[PS_ERRBUF_SIZE];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", pfd[0]);
    struct source *src = file_source_open(path, false, errbuf);
    close(pfd[0]);
    if (!src)
        return;
    run_stream.opened = true;
    if (src->ops->read_at)
        abort(); /* no random access on a stream */
    drain(src, &run_stream);
    source_close(src);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    read_mapped(data, size);
    if (run_map.opened)
        index_mapped(data, size);
    read_stream(data, size);
    if (size == 0 || size > FUZZ_PIPE_SIZE)
        return 0;
    if (!run_stream.opened && !run_map.opened)
        return 0;
    /* Both backends agree on whether it is a capture, on every packet, and on how it ends. */
    if (run_stream.opened != run_map.opened || run_stream.n != run_map.n ||
        run_stream.last != run_map.last)
        abort();
    if (memcmp(run_stream.p, run_map.p, run_map.n * sizeof(run_map.p[0])) != 0)
        abort();
    return 0;
}
