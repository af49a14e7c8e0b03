/*
 * services: the name of a TCP or UDP port ("http", "domain") from the system's services
 * database (/etc/services, Debian package netbase), for the teaching annotations and the
 * packet list.
 *
 * The file is read once, lazily, on the first lookup, into a sorted table searched by binary
 * search; a lookup never allocates and never fails. Without the file (or when it has no usable
 * line) a small built-in table of common ports stands in. Not thread-safe on the first call:
 * the program looks names up from one thread.
 */
#ifndef PKTSCOPE_DISSECT_SERVICES_H
#define PKTSCOPE_DISSECT_SERVICES_H

#include <stdbool.h>
#include <stdint.h>

/* The service name of `port` over `l4` (6 TCP, 17 UDP), or NULL when none is known. */
const char *services_name(uint16_t port, uint8_t l4);

/*
 * Uses `path` (NULL: the default /etc/services) for the next load and drops the table loaded so
 * far. For tests and for --services-file style overrides.
 */
void services_set_path(const char *path);

/* True when the names come from the services file, false when from the built-in fallback. */
bool services_from_file(void);

/* Frees the table (at exit, so that leak checkers stay quiet). */
void services_release(void);

#endif
