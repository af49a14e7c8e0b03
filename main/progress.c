/* The batch run's progress line on standard error (progress.h). */
#include "main/progress.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "main/open.h"

static double since(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void progress_start(struct progress *p, struct source *src)
{
    memset(p, 0, sizeof(*p));
    if (!src || source_has(src, SOURCE_CAP_GROWING) || !isatty(STDERR_FILENO) ||
        isatty(STDOUT_FILENO))
        return;
    uint64_t done = 0, total = 0;
    /* A file source (the only kind a batch run reads besides live ones); a pipe has no size. */
    file_source_progress(src, &done, &total);
    if (total <= PROGRESS_MIN_BYTES)
        return;
    p->on = true;
    p->src = src;
    p->total = total;
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    p->last = p->start; /* first drawn a quarter second in: a quick run shows nothing */
}

void progress_update(struct progress *p)
{
    if (!p->on || (++p->packets & 255) != 1)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (since(&p->last, &now) < 1.0 / PROGRESS_HZ)
        return;
    p->last = now;
    uint64_t done = 0, total = 0;
    file_source_progress(p->src, &done, &total);
    if (!total)
        total = p->total;
    if (done > total)
        done = total;
    double frac = (double)done / (double)total;
    double secs = since(&p->start, &now);
    char left[32] = "";
    if (frac > 0.001 && secs > 0.5) {
        double rest = secs * (1.0 - frac) / frac;
        if (rest > 359999)
            rest = 359999;
        unsigned r = (unsigned)(rest + 0.5);
        if (r >= 3600)
            snprintf(left, sizeof(left), ", %u:%02u:%02u left", r / 3600, r / 60 % 60, r % 60);
        else
            snprintf(left, sizeof(left), ", %u:%02u left", r / 60, r % 60);
    }
    char rate[32] = "";
    if (secs > 0.2)
        snprintf(rate, sizeof(rate), ", %.0f packets/s", (double)p->packets / secs);
    /* Short (under 60 columns), so a message written over it from column 0 covers it. */
    fprintf(stderr, "\rreading %3d%%%s%s\033[K\r", (int)(frac * 100), rate, left);
    fflush(stderr);
    p->drawn = true;
}

void progress_end(struct progress *p)
{
    if (p->on && p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    p->on = false;
}
