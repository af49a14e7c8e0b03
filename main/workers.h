/*
 * workers: -i IFACE --workers N, the capture shared among N processes as Zeek's AF_PACKET
 * workers share it.
 *
 * The parent forks N workers. Each opens the interface itself, joins one Linux PACKET_FANOUT
 * group in hash mode with defragmentation (capture/live.h), so the kernel hands each worker
 * whole flows, fragments included; gives up its privileges (capture/privs.h); and runs the batch
 * output (main/batch.c) into files of its own: -w x.pcap becomes x.w0.pcap, x.w1.pcap... and the
 * --conns-log files get .wN before .log. Nothing goes to standard output (main.c refuses it):
 * interleaved lines of several processes could not be told apart.
 *
 * The parent only waits: it says when every worker has joined the group, forwards SIGTERM
 * (Ctrl-C reaches the whole process group anyway), reports a worker that dies, and at the end
 * prints each worker's kernel counters and their total in tcpdump's words. Exit status: the
 * worst of the workers' (a worker killed by a signal counts as 1: what it captured is lost).
 *
 * Invariant: packets that reach the interface before the last worker has joined may go to a
 * worker that has not joined yet and so be seen twice; start the traffic after the "workers
 * capturing" line (the tests do).
 */
#ifndef PKTSCOPE_MAIN_WORKERS_H
#define PKTSCOPE_MAIN_WORKERS_H

#include "capture/source.h"
#include "main/options.h"

#define WORKERS_MAX 64

/* Runs the workers o->workers asks for; returns the exit status. */
int workers_run(const struct options *o);

/* In a worker (o->stats_fd >= 0): hands the source's counters to the parent. */
void workers_report(const struct options *o, const struct source_stats *st);

#endif
