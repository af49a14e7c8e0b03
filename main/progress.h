/*
 * progress: a one-line progress report on standard error while a batch run reads a large file
 * (doc/pktscope.1): percent of the file read, packets per second, time left. It is shown only
 * when standard error is a terminal and standard output is not (packet lines on the same
 * screen would break it up), for a regular file of more than PROGRESS_MIN_BYTES read once
 * (not --follow, not a pipe, not live). It is first drawn 1/PROGRESS_HZ s in (a quick run
 * shows nothing), then redrawn at most PROGRESS_HZ times a second with '\r', the cursor left at
 * the start of the line so that a message written meanwhile overwrites it; progress_end()
 * erases it.
 *
 * The loop calls progress_start() before it, progress_update() once per packet read and
 * progress_end() after it; an update costs a counter and, every 256 packets, one clock read.
 */
#ifndef PKTSCOPE_MAIN_PROGRESS_H
#define PKTSCOPE_MAIN_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "capture/source.h"

#define PROGRESS_MIN_BYTES (50u * 1000u * 1000u)
#define PROGRESS_HZ 4

struct progress {
    bool on;
    bool drawn;
    struct source *src;
    uint64_t total; /* the file's size when it was opened */
    uint64_t packets;
    struct timespec start, last;
};

void progress_start(struct progress *p, struct source *src);
void progress_update(struct progress *p);
void progress_end(struct progress *p);

#endif
