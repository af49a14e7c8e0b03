/* -w split into files by size and time, tcpdump's -C, -G and -W (rotate.h). */
#include "capture/rotate.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/util.h"

struct rotor {
    char *pattern;
    enum writer_format fmt; /* from the pattern: a number appended does not change it */
    struct rotate_options ro;
    struct writer_info info;
    char *if_name, *if_description, *filter, *comment; /* copies behind info */
    int width;                                         /* -W padding */
    struct writer *w;                                  /* NULL until the first -G file */
    char name[PATH_MAX];
    int64_t start;   /* -G: the time the current file was opened at */
    unsigned number; /* the -C number of the current file */
    uint64_t files;  /* files opened (-G with -W stops at COUNT) */
    bool failed;     /* a file could not be made: said once, not again at rotor_close */
};

int rotate_parse_size(const char *s, uint64_t *bytes)
{
    if (!s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    uint64_t unit = 1000000u;
    if (*end && !end[1]) {
        switch (*end) {
        case 'k':
        case 'K':
            unit = 1024u;
            break;
        case 'm':
        case 'M':
            unit = 1024u * 1024u;
            break;
        case 'g':
        case 'G':
            unit = 1024u * 1024u * 1024u;
            break;
        default:
            return -1;
        }
    } else if (*end) {
        return -1;
    }
    if (errno || v == 0 || v > UINT64_MAX / unit)
        return -1;
    *bytes = (uint64_t)v * unit;
    return 0;
}

int rotate_width(uint32_t count)
{
    int c = 0;
    for (uint32_t x = count ? count - 1 : 0; x > 0; x /= 10)
        c++;
    return c;
}

int rotate_name(char *out, size_t size, const char *pattern, bool use_time, int64_t t, unsigned n,
                int width, char *errbuf)
{
    char base[PATH_MAX];
    if (use_time) {
        time_t tt = (time_t)t;
        struct tm tm;
        if (!localtime_r(&tt, &tm) || strftime(base, sizeof(base), pattern, &tm) == 0)
            return ps_err(errbuf, "-w %s: the name for time %lld is empty or too long", pattern,
                          (long long)t);
    } else {
        snprintf(base, sizeof(base), "%s", pattern);
    }
    int r = (n == 0 && width == 0) ? snprintf(out, size, "%s", base)
                                   : snprintf(out, size, "%s%0*u", base, width, n);
    if (r < 0 || (size_t)r >= size)
        return ps_err(errbuf, "-w %s: too many files or the name is too long", pattern);
    return 0;
}

void rotate_worker_name(char *out, size_t size, const char *name, unsigned worker)
{
    const char *slash = strrchr(name, '/');
    const char *dot = strrchr(slash ? slash + 1 : name, '.');
    if (!dot || dot == (slash ? slash + 1 : name)) /* no extension, or a dot file */
        snprintf(out, size, "%s.w%u", name, worker);
    else
        snprintf(out, size, "%.*s.w%u%s", (int)(dot - name), name, worker, dot);
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static int open_file(struct rotor *r, int64_t t, char *errbuf)
{
    if (rotate_name(r->name, sizeof(r->name), r->pattern, r->ro.seconds != 0, t, r->number,
                    r->ro.max_bytes ? r->width : 0, errbuf) < 0)
        return -1;
    r->w = writer_open_as(r->name, r->fmt, &r->info, errbuf);
    if (!r->w) {
        r->failed = true;
        return -1;
    }
    r->start = t;
    r->files++;
    return 0;
}

static int close_file(struct rotor *r, char *errbuf)
{
    int rc = writer_close(r->w, errbuf);
    r->w = NULL;
    return rc;
}

struct rotor *rotor_open(const char *pattern, const struct rotate_options *ro,
                         const struct writer_info *info, char *errbuf)
{
    struct rotor *r = xcalloc(1, sizeof(*r));
    r->pattern = xstrdup(pattern);
    r->fmt = writer_format_for(pattern);
    r->ro = *ro;
    r->width = rotate_width(ro->count);
    r->info = *info;
    r->info.if_name = r->if_name = dup_or_null(info->if_name);
    r->info.if_description = r->if_description = dup_or_null(info->if_description);
    r->info.filter = r->filter = dup_or_null(info->filter);
    r->info.comment = r->comment = dup_or_null(info->comment);
    snprintf(r->name, sizeof(r->name), "%s", pattern);
    /* Without -G the name is known now: create it at once, so that an unwritable place is
     * said before the capture starts. */
    if (!ro->seconds && open_file(r, 0, errbuf) < 0) {
        char ignored[PS_ERRBUF_SIZE];
        rotor_close(r, ignored);
        return NULL;
    }
    return r;
}

int rotor_write(struct rotor *r, const struct packet *pkt, char *errbuf)
{
    if (r->ro.seconds && r->w && pkt->ts_sec - r->start >= (int64_t)r->ro.seconds) {
        if (close_file(r, errbuf) < 0)
            return -1;
        /* tcpdump: -G with -W but no -C writes COUNT files, then stops. */
        if (!r->ro.max_bytes && r->ro.count && r->files >= r->ro.count)
            return ROTOR_DONE;
        r->number = 0;
    }
    if (!r->w && open_file(r, pkt->ts_sec, errbuf) < 0)
        return -1;
    if (r->ro.max_bytes && writer_packets(r->w) > 0 && writer_offset(r->w) > r->ro.max_bytes) {
        if (close_file(r, errbuf) < 0)
            return -1;
        r->number++;
        if (r->ro.count && r->number >= r->ro.count)
            r->number = 0; /* the ring: the oldest file is written anew */
        if (open_file(r, r->ro.seconds ? r->start : 0, errbuf) < 0)
            return -1;
    }
    return writer_write(r->w, pkt, errbuf);
}

int rotor_flush(struct rotor *r, char *errbuf)
{
    return r->w ? writer_flush(r->w, errbuf) : 0;
}

int rotor_close(struct rotor *r, char *errbuf)
{
    if (!r)
        return 0;
    int rc = 0;
    /* No packet came under -G: still leave a (header-only) file, as tcpdump does. */
    if (!r->w && r->ro.seconds && r->files == 0 && !r->failed)
        rc = open_file(r, (int64_t)time(NULL), errbuf);
    if (r->w && close_file(r, errbuf) < 0)
        rc = -1;
    free(r->pattern);
    free(r->if_name);
    free(r->if_description);
    free(r->filter);
    free(r->comment);
    free(r);
    return rc;
}
