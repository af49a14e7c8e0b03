/* --conns-log DIR: the connection rows in Zeek's rotated conn.*.log files (connslog.h). */
#include "main/connslog.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "format/line.h"
#include "format/format.h"
#include "util/outfile.h"
#include "util/util.h"

/* More intervals than this open at once (a short -G under a long idle timeout): the oldest is
 * closed early. */
#define CONNSLOG_MAX_OPEN 16

struct connslog_file {
    int64_t start;
    FILE *fp;
    char name[PATH_MAX];
};

struct connslog {
    char *dir;
    uint32_t interval, grace;
    enum conns_format f;
    int worker;
    int64_t now;          /* the latest time the clock said */
    int64_t closed_until; /* intervals starting before this are closed for good */
    struct connslog_file open[CONNSLOG_MAX_OPEN];
    size_t nopen;
    bool failed;
    char err[PS_ERRBUF_SIZE]; /* the first failure */
};

static void fail(struct connslog *l, const char *name, int err)
{
    if (!l->failed)
        ps_err(l->err, "cannot write %s: %s", name, strerror(err));
    l->failed = true;
}

static void print_lines_to(struct connslog *l, struct connslog_file *f, struct lines *ls)
{
    lines_print(ls, f->fp);
    lines_reset(ls);
    if (ferror(f->fp))
        fail(l, f->name, errno ? errno : EIO);
}

static void close_file(struct connslog *l, size_t i)
{
    struct connslog_file *f = &l->open[i];
    if (l->f == CONNS_ZEEK) {
        struct lines ls;
        lines_init(&ls);
        int64_t end = f->start + (int64_t)l->interval;
        conns_zeek_close(l->now < end ? l->now : end, &ls);
        print_lines_to(l, f, &ls);
        lines_release(&ls);
    }
    if (fclose(f->fp) != 0)
        fail(l, f->name, errno ? errno : EIO);
    if (f->start + (int64_t)l->interval > l->closed_until)
        l->closed_until = f->start + (int64_t)l->interval;
    memmove(&l->open[i], &l->open[i + 1], (l->nopen - i - 1) * sizeof(l->open[0]));
    l->nopen--;
}

static struct connslog_file *open_file(struct connslog *l, int64_t start)
{
    if (l->nopen == CONNSLOG_MAX_OPEN)
        close_file(l, 0);
    struct connslog_file *f = &l->open[l->nopen];
    time_t t = (time_t)start;
    struct tm tm;
    char stamp[32] = "invalid-time";
    if (gmtime_r(&t, &tm))
        strftime(stamp, sizeof(stamp), "%Y-%m-%d-%H-%M-%S", &tm);
    char suffix[16] = "";
    if (l->worker >= 0)
        snprintf(suffix, sizeof(suffix), ".w%d", l->worker);
    snprintf(f->name, sizeof(f->name), "%s/conn.%s%s.log", l->dir, stamp, suffix);
    char err[PS_ERRBUF_SIZE] = "";
    int fd = outfile_create(f->name, false, err);
    if (fd < 0) {
        if (!l->failed)
            snprintf(l->err, sizeof(l->err), "%s", err[0] ? err : strerror(-fd));
        if (!err[0] && !l->failed)
            ps_err(l->err, "cannot create %s: %s", f->name, strerror(-fd));
        l->failed = true;
        return NULL;
    }
    f->fp = fdopen(fd, "w");
    if (!f->fp) {
        fail(l, f->name, errno);
        close(fd);
        return NULL;
    }
    f->start = start;
    l->nopen++;
    if (l->f == CONNS_ZEEK) {
        struct lines ls;
        lines_init(&ls);
        conns_zeek_header(start, &ls);
        print_lines_to(l, f, &ls);
        lines_release(&ls);
    }
    return f;
}

struct connslog *connslog_open(const char *dir, uint32_t interval, uint32_t grace,
                               enum conns_format f, int worker, char *errbuf)
{
    struct stat st;
    if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
        ps_err(errbuf, "--conns-log %s: cannot create the directory: %s", dir, strerror(errno));
        return NULL;
    }
    if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
        ps_err(errbuf, "--conns-log %s: not a directory", dir);
        return NULL;
    }
    if (access(dir, W_OK | X_OK) < 0) {
        ps_err(errbuf,
               "--conns-log %s: user %lu cannot write there (a live capture, or root reading a "
               "file, runs as -Z USER, nobody by default)",
               dir, (unsigned long)geteuid());
        return NULL;
    }
    struct connslog *l = xcalloc(1, sizeof(*l));
    l->dir = xstrdup(dir);
    l->interval = interval ? interval : CONNSLOG_DEFAULT_INTERVAL;
    l->grace = grace;
    l->f = f;
    l->worker = worker;
    l->closed_until = INT64_MIN;
    return l;
}

static int64_t interval_start(const struct connslog *l, int64_t t)
{
    int64_t g = (int64_t)l->interval;
    int64_t q = t / g;
    if (t % g < 0)
        q--; /* floor, also before 1970 */
    return q * g;
}

static struct connslog_file *find_file(struct connslog *l, int64_t start)
{
    for (size_t i = 0; i < l->nopen; i++)
        if (l->open[i].start == start)
            return &l->open[i];
    return NULL;
}

void connslog_row(void *ctx, const struct conn *c, const char *text, size_t len)
{
    struct connslog *l = ctx;
    int64_t start = interval_start(l, c->last_sec);
    if (start < l->closed_until) /* that file is closed for good: the oldest open one */
        start = l->nopen ? l->open[0].start : l->closed_until;
    struct connslog_file *f = find_file(l, start);
    if (!f) {
        if (l->failed || !open_file(l, start))
            return;
        /* kept in order of start, so that the oldest is open[0] */
        for (size_t i = l->nopen - 1; i > 0 && l->open[i - 1].start > l->open[i].start; i--) {
            struct connslog_file tmp = l->open[i];
            l->open[i] = l->open[i - 1];
            l->open[i - 1] = tmp;
        }
        f = find_file(l, start);
    }
    fwrite(text, 1, len, f->fp);
    if (fputc('\n', f->fp) == EOF)
        fail(l, f->name, errno ? errno : EIO);
}

void connslog_tick(struct connslog *l, int64_t now)
{
    if (now > l->now)
        l->now = now;
    while (l->nopen && l->open[0].start + (int64_t)l->interval + (int64_t)l->grace <= l->now)
        close_file(l, 0);
}

int connslog_flush(struct connslog *l, char *errbuf)
{
    for (size_t i = 0; i < l->nopen; i++)
        if (fflush(l->open[i].fp) != 0)
            fail(l, l->open[i].name, errno ? errno : EIO);
    return l->failed ? ps_err(errbuf, "%s", l->err) : 0;
}

int connslog_close(struct connslog *l, char *errbuf)
{
    if (!l)
        return 0;
    while (l->nopen)
        close_file(l, 0);
    int rc = l->failed ? ps_err(errbuf, "%s", l->err) : 0;
    free(l->dir);
    free(l);
    return rc;
}
