/*
 * index_pass: pktscope's index pass as the TUI runs it, for bench/run.sh: open the file,
 * file_source_index() in slices of 65536 records into one growing array of 32-byte entries (what
 * the TUI keeps per packet), then re-read a few packets by number with read_at().
 *
 *   index_pass FILE     prints "packets first_slice_ms total_ms entries_bytes"
 *
 * first_slice_ms is the time from open to the first 65536 entries: what stands between the
 * user and the first screen of a big file.
 */
#include "capture/source.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define SLICE 65536

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    char errbuf[PS_ERRBUF_SIZE];
    if (argc != 2) {
        fprintf(stderr, "usage: index_pass FILE\n");
        return 2;
    }
    double t0 = now_ms(), t_first = 0;
    struct source *src = file_source_open(argv[1], false, errbuf);
    if (!src) {
        fprintf(stderr, "index_pass: %s\n", errbuf);
        return 2;
    }
    struct packet_index *e = NULL;
    size_t cap = 0, total = 0, n = 0;
    int r = SOURCE_PACKET;
    while (r == SOURCE_PACKET) {
        e = xgrow(e, &cap, total + SLICE, sizeof(*e));
        r = file_source_index(src, e + total, SLICE, &n, errbuf);
        total += n;
        if (t_first == 0)
            t_first = now_ms() - t0;
    }
    double t_total = now_ms() - t0;
    if (r == SOURCE_ERROR)
        fprintf(stderr, "index_pass: %s\n", errbuf);
    /* Random access by number, as the TUI does when the user jumps. */
    unsigned long long check = 0;
    for (size_t k = 0; k < 1000 && total; k++) {
        size_t i = (k * 2654435761u) % total;
        struct packet pkt;
        if (src->ops->read_at(src, e[i].record_off, i + 1, &pkt, errbuf) == SOURCE_PACKET &&
            pkt.caplen)
            check += pkt.data[0];
    }
    printf("%zu %.1f %.1f %zu\n", total, t_first, t_total, total * sizeof(*e));
    fprintf(stderr, "index_pass: checksum %llu\n", check);
    free(e);
    source_close(src);
    return r == SOURCE_ERROR ? 1 : 0;
}
