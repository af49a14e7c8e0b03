/* The command line's input options, handed to the pipeline that opens them. */
#include "main/open.h"

#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/live.h"
#include "pipeline/pipeline.h"
#include "util/util.h"

bool stdout_is_watched(void)
{
    struct stat st;
    if (isatty(STDOUT_FILENO))
        return true;
    return fstat(STDOUT_FILENO, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

struct source *open_input(const struct options *o, char *errbuf, int *exit_code)
{
    struct pipeline_input in;
    memset(&in, 0, sizeof(in));
    in.read_file = o->read_file;
    in.follow = o->follow;
    in.interface = o->interface;
    in.filter = o->filter;
    in.snaplen = o->snaplen;
    in.promisc = o->promisc;
    in.user = o->user;
    in.fanout = o->fanout;
    in.fanout_group = o->fanout_group;
    bool tui = o->mode == OUT_TUI || o->mode == OUT_DEFAULT;
    in.buffer_kib = o->buffer_kib ? o->buffer_kib : tui ? LIVE_TUI_BUFFER_KIB : 0;
    /*
     * Immediate mode when lines stream to a terminal or a pipe: each packet shows at once. The
     * TUI batches for LIVE_TUI_TIMEOUT_MS (less than a frame). When everything goes to files
     * (or only a summary is printed at the end) libpcap may batch packets for up to 100 ms,
     * which costs far fewer wake-ups under load, as tcpdump -w does.
     */
    bool streaming =
        (o->mode == OUT_PRINT || o->mode == OUT_JSON) && !o->quiet && stdout_is_watched();
    in.immediate = o->immediate || streaming;
    in.timeout_ms = tui ? LIVE_TUI_TIMEOUT_MS : 100;
    struct source *src = pipeline_open_input(&in, errbuf, NULL);
    *exit_code = src ? PS_EXIT_OK : PS_EXIT_USAGE;
    return src;
}

void install_stop_signals(void (*handler)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: a blocked poll() must return so the loop sees the flag. */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}
