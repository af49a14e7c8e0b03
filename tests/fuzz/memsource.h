/*
 * The fuzz input as a capture file: written to an anonymous memory file (memfd) and opened by
 * path through /proc/self/fd, so the file reader's memory-mapped backend reads it as it reads
 * a file on disk. Header-only, for the harnesses that read whole captures.
 */
#ifndef PKTSCOPE_TESTS_FUZZ_MEMSOURCE_H
#define PKTSCOPE_TESTS_FUZZ_MEMSOURCE_H

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "capture/source.h"

/* The opened source, or NULL (no memfd, or the reader refused the bytes: errbuf says why). */
static inline struct source *fuzz_open_file(const uint8_t *data, size_t size, char *errbuf)
{
    int fd = memfd_create("fuzz", MFD_CLOEXEC);
    if (fd < 0)
        return NULL;
    size_t off = 0;
    while (off < size) {
        ssize_t w = write(fd, data + off, size - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    char path[64];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    struct source *src = file_source_open(path, false, errbuf);
    close(fd);
    return src;
}

#endif
