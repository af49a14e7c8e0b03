/*
 * batch: the non-interactive outputs (--print, -V, -x, --json, --stats, --conns, --ladder).
 *
 * One loop: next packet -> BPF display filter (file sources) -> dissect -> track -> output.
 * It never allocates per packet (one dissection, one line list and one JSON buffer are reused),
 * flushes per packet when standard output is a pipe or terminal (so `| jq` and live capture
 * stream) and buffers when it is a regular file.
 */
#ifndef PKTSCOPE_MAIN_BATCH_H
#define PKTSCOPE_MAIN_BATCH_H

#include "capture/source.h"
#include "main/options.h"

/* Runs the batch output over src (which it closes). Returns the exit status. */
int batch_run(const struct options *o, struct source *src);

#endif
