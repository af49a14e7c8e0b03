/* Opening the input named on the command line: a capture file, standard input or an interface. */
#include "main/open.h"

#include <stdio.h>
#include <string.h>

#include "capture/live.h"
#include "capture/privs.h"
#include "util/util.h"

bool open_is_live(const struct source *src)
{
    return src && src->format && strcmp(src->format, "live") == 0;
}

static struct source *open_live(const struct options *o, char *errbuf, int *exit_code)
{
    struct live_options lo;
    memset(&lo, 0, sizeof(lo));
    lo.interface = o->interface;
    lo.filter = o->filter;
    lo.snaplen = o->snaplen;
    lo.buffer_kib = o->buffer_kib;
    lo.promisc = o->promisc;
    /* A person is watching unless the output goes to a file: deliver packets at once. */
    lo.immediate = true;
    lo.timeout_ms = 100;
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
    struct source *src = file_source_open(o->read_file, o->follow, errbuf);
    if (!src)
        *exit_code = PS_EXIT_USAGE;
    return src;
}
