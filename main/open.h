/*
 * open: turns the command line's input options into a packet source (capture/source.h).
 *
 * -r FILE (or "-" for standard input, --follow for a growing file) opens our own pcap/pcapng
 * reader; -i IFACE opens a live interface and then gives up privileges (-Z USER, default
 * "nobody" when root) before any packet is read. The opening itself is the pipeline's
 * (pipeline/pipeline.h); here the output mode chooses the live capture's buffering.
 */
#ifndef PKTSCOPE_MAIN_OPEN_H
#define PKTSCOPE_MAIN_OPEN_H

#include "capture/source.h"
#include "main/options.h"

/*
 * Opens the input the options name. Returns NULL with errbuf set (a message naming the file or
 * interface, the cause and what to do) and *exit_code set to the exit status to use (2 for usage
 * and open errors).
 */
struct source *open_input(const struct options *o, char *errbuf, int *exit_code);

/* Standard output goes to someone reading lines as they come: a terminal, a pipe or a socket
 * (not a file or /dev/null). */
bool stdout_is_watched(void);

/* SIGINT and SIGTERM call handler (a stop flag; no SA_RESTART, so a blocked poll() returns);
 * SIGPIPE is ignored (a closed pipe is an EPIPE write). For the batch loop and --workers. */
void install_stop_signals(void (*handler)(int));

#endif
