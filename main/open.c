/* Opening the input named on the command line: a capture file, standard input or an interface. */
#include "main/open.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/live.h"
#include "capture/privs.h"
#include "util/util.h"

bool open_is_live(const struct source *src)
{
    return src && src->format && strcmp(src->format, "live") == 0;
}

bool stdout_is_watched(void)
{
    struct stat st;
    if (isatty(STDOUT_FILENO))
        return true;
    return fstat(STDOUT_FILENO, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

static struct source *open_live(const struct options *o, char *errbuf, int *exit_code)
{
    struct live_options lo;
    memset(&lo, 0, sizeof(lo));
    lo.interface = o->interface;
    lo.filter = o->filter;
    lo.snaplen = o->snaplen;
    bool tui = o->mode == OUT_TUI || o->mode == OUT_DEFAULT;
    lo.buffer_kib = o->buffer_kib ? o->buffer_kib : tui ? LIVE_TUI_BUFFER_KIB : 0;
    lo.promisc = o->promisc;
    /*
     * Immediate mode when lines stream to a terminal or a pipe: each packet shows at once. The
     * TUI batches for LIVE_TUI_TIMEOUT_MS (less than a frame). When everything goes to files
     * (or only a summary is printed at the end) libpcap may batch packets for up to 100 ms,
     * which costs far fewer wake-ups under load, as tcpdump -w does.
     */
    bool streaming =
        (o->mode == OUT_PRINT || o->mode == OUT_JSON) && !o->quiet && stdout_is_watched();
    lo.immediate = o->immediate || streaming;
    lo.timeout_ms = tui ? LIVE_TUI_TIMEOUT_MS : 100;
    struct source *src = live_source_open(&lo, errbuf);
    if (!src) {
        *exit_code = PS_EXIT_USAGE;
        return NULL;
    }
    const char *warn = live_source_warning(src);
    if (warn)
        fprintf(stderr, "pktscope: warning: %s\n", warn);
    /* Parsing what strangers sent is the risky part: do it without privileges. */
    char perr[PS_ERRBUF_SIZE];
    if (privs_drop(o->user, NULL, perr) < 0) {
        source_close(src);
        ps_err(errbuf, "%s", perr);
        *exit_code = PS_EXIT_USAGE;
        return NULL;
    }
    return src;
}

/*
 * --follow may start before the writer (tcpdump -w) has written the file header: wait until the
 * file exists and holds at least a pcap file header (24 bytes; a pcapng section header is
 * longer), instead of calling a half-written file "not a capture". Ctrl-C ends the wait.
 */
static void wait_for_header(const char *path)
{
    bool told = false;
    for (;;) {
        struct stat st;
        if (stat(path, &st) == 0) {
            if (!S_ISREG(st.st_mode) || st.st_size >= 24)
                return;
        } else if (errno != ENOENT) {
            return; /* file_source_open() says what is wrong */
        }
        if (!told) {
            fprintf(stderr, "pktscope: waiting for %s to %s (--follow)\n", path,
                    errno == ENOENT ? "be created" : "get its file header");
            told = true;
        }
        errno = 0;
        poll(NULL, 0, 100);
    }
}

struct source *open_input(const struct options *o, char *errbuf, int *exit_code)
{
    *exit_code = PS_EXIT_OK;
    if (o->interface)
        return open_live(o, errbuf, exit_code);
    if (!o->read_file) {
        ps_err(errbuf, "no input: give -r FILE to read a capture or -i IFACE to capture live "
                       "(see pktscope --help)");
        *exit_code = PS_EXIT_USAGE;
        return NULL;
    }
    if (o->follow)
        wait_for_header(o->read_file);
    struct source *src = file_source_open(o->read_file, o->follow, errbuf);
    if (!src)
        *exit_code = PS_EXIT_USAGE;
    return src;
}
