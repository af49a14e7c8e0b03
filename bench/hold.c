/*
 * hold: keeps capture files in the page cache while bench/run.sh times the commands that read
 * them (not part of the build).
 *
 *   hold READY FILE...
 *
 * Maps each FILE read-only and locks the mapping (mlock), which pins the file's page-cache
 * pages, then creates READY and waits for SIGTERM. Why: on the machines of session 33 the kernel
 * pages out memory not touched for a second or so (DAMON's pageout scheme, 128 MB a second), the
 * page cache of a capture included, so a command that ran after tshark's 20 s on another file
 * read part of its capture from disk, and figures moved by 20-40 % between runs of the same
 * binary. The lock is this process's: the timed commands' RSS does not include it.
 * Exits 1, without creating READY, when a file cannot be mapped or locked (RLIMIT_MEMLOCK, or
 * too little memory): run.sh then says so in the results and times without it.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: hold READY FILE...\n");
        return 2;
    }
    unsigned long long total = 0;
    for (int i = 2; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0) {
            fprintf(stderr, "hold: %s: %s\n", argv[i], strerror(errno));
            return 1;
        }
        if (st.st_size == 0) {
            close(fd);
            continue;
        }
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED || mlock(p, (size_t)st.st_size) != 0) {
            fprintf(stderr, "hold: %s: cannot lock %lld bytes in memory: %s\n", argv[i],
                    (long long)st.st_size, strerror(errno));
            return 1;
        }
        close(fd); /* the mapping stays */
        total += (unsigned long long)st.st_size;
    }
    int rfd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (rfd < 0) {
        fprintf(stderr, "hold: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    dprintf(rfd, "%llu\n", total);
    close(rfd);
    for (;;)
        pause(); /* until SIGTERM ends it */
}
