/* -i IFACE --workers N: N capture processes in one PACKET_FANOUT group (workers.h). */
#include "main/workers.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <unistd.h>

#include "capture/privs.h"
#include "capture/rotate.h"
#include "main/batch.h"
#include "main/open.h"
#include "util/util.h"

enum { MSG_READY = 1, MSG_STATS = 2 };

/* Smaller than PIPE_BUF, so the workers' writes into the one pipe never interleave. */
struct worker_msg {
    uint32_t worker;
    uint32_t kind;
    struct source_stats st;
};

struct worker {
    pid_t pid;
    bool running, ready, reported;
    int status; /* waitpid's */
    struct source_stats st;
};

static volatile sig_atomic_t workers_stop;

static void on_stop(int sig)
{
    (void)sig;
    workers_stop = 1;
}

void workers_report(const struct options *o, const struct source_stats *st)
{
    struct worker_msg m = {(uint32_t)o->worker, MSG_STATS, *st};
    if (write(o->stats_fd, &m, sizeof(m)) != (ssize_t)sizeof(m))
        fprintf(stderr, "pktscope: worker %d: cannot report its counters: %s\n", o->worker,
                strerror(errno));
}

static int run_worker(const struct options *parent, unsigned i, uint16_t group, int fd,
                      pid_t parent_pid)
{
    struct options o = *parent;
    char name[PATH_MAX];
    if (o.write_file) {
        rotate_worker_name(name, sizeof(name), parent->write_file, i);
        o.write_file = name;
    }
    o.fanout = true;
    o.fanout_group = group;
    o.worker = (int)i;
    o.stats_fd = fd;
    char errbuf[PS_ERRBUF_SIZE];
    int code;
    struct source *src = open_input(&o, errbuf, &code);
    if (!src) {
        fprintf(stderr, "pktscope: worker %u: %s\n", i, errbuf);
        return code;
    }
#ifdef __linux__
    /* A parent killed outright must not leave workers capturing: set now, since giving up
     * privileges (in open_input) clears it. */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent_pid)
        return PS_EXIT_DAMAGED;
#endif
    struct worker_msg m = {i, MSG_READY, {0}};
    if (write(fd, &m, sizeof(m)) != (ssize_t)sizeof(m))
        return PS_EXIT_USAGE;
    return batch_run(&o, src);
}

/* What the pipe says: a worker joined, or a worker's counters at its end. */
static void read_messages(int fd, struct worker *w, unsigned n)
{
    struct worker_msg m;
    while (read(fd, &m, sizeof(m)) == (ssize_t)sizeof(m)) {
        if (m.worker >= n)
            continue;
        if (m.kind == MSG_READY)
            w[m.worker].ready = true;
        else if (m.kind == MSG_STATS) {
            w[m.worker].st = m.st;
            w[m.worker].reported = true;
        }
    }
}

static void print_counters(FILE *out, const char *who, const struct source_stats *st)
{
    fprintf(out,
            "%s%" PRIu64 " packets captured, %" PRIu64 " received by filter, %" PRIu64
            " dropped by kernel, %" PRIu64 " dropped by interface\n",
            who, st->packets, st->kernel_received, st->kernel_dropped, st->if_dropped);
}

/* A worker's end: its status, and whether its counters are in the total. */
static int worker_exit_status(const struct worker *w, unsigned i)
{
    if (WIFEXITED(w->status)) {
        int code = WEXITSTATUS(w->status);
        if (!w->reported)
            fprintf(stderr,
                    "pktscope: worker %u (pid %ld) exited with status %d before it reported "
                    "its counters\n",
                    i, (long)w->pid, code);
        return code;
    }
    if (WIFSIGNALED(w->status))
        fprintf(stderr,
                "pktscope: worker %u (pid %ld) died, killed by signal %d (%s); what it "
                "captured last may be missing from its files and is not in the total\n",
                i, (long)w->pid, WTERMSIG(w->status), strsignal(WTERMSIG(w->status)));
    return PS_EXIT_DAMAGED;
}

int workers_run(const struct options *o)
{
    unsigned n = o->workers;
    struct worker w[WORKERS_MAX];
    memset(w, 0, sizeof(w));
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) < 0) {
        fprintf(stderr, "pktscope: --workers: cannot make a pipe: %s\n", strerror(errno));
        return PS_EXIT_USAGE;
    }
    /* One group per run: the id follows our pid, so two runs on one host do not mix. */
    uint16_t group = (uint16_t)(getpid() & 0xffff);
    fflush(NULL); /* nothing buffered is written twice by the children */
    install_stop_signals(on_stop);
    unsigned started = 0;
    pid_t self = getpid();
    for (unsigned i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            fprintf(stderr, "pktscope: --workers: cannot start worker %u: %s\n", i,
                    strerror(errno));
            workers_stop = 1;
            break;
        }
        if (pid == 0) {
            close(pfd[0]);
            signal(SIGINT, SIG_DFL);
            signal(SIGTERM, SIG_DFL);
            exit(run_worker(o, i, group, pfd[1], self));
        }
        w[i].pid = pid;
        w[i].running = true;
        started++;
    }
    close(pfd[1]);
    fcntl(pfd[0], F_SETFL, O_NONBLOCK);
    unsigned running = started;
    bool announced = false, forwarded = false;
    while (running > 0) {
        struct pollfd p = {.fd = pfd[0], .events = POLLIN};
        poll(&p, 1, 200);
        read_messages(pfd[0], w, n);
        if (workers_stop && !forwarded) {
            for (unsigned i = 0; i < started; i++)
                if (w[i].running)
                    kill(w[i].pid, SIGTERM);
            forwarded = true;
        }
        int st;
        pid_t pid;
        while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
            for (unsigned i = 0; i < started; i++) {
                if (w[i].pid != pid || !w[i].running)
                    continue;
                w[i].running = false;
                w[i].status = st;
                running--;
                read_messages(pfd[0], w, n);
                if (!(WIFEXITED(st) && w[i].reported))
                    worker_exit_status(&w[i], i); /* said now: the others go on */
            }
        }
        unsigned ready = 0;
        for (unsigned i = 0; i < started; i++)
            ready += w[i].ready;
        if (!announced && ready == n) {
            fprintf(stderr,
                    "pktscope: %u workers capturing on %s (PACKET_FANOUT group %u, hash "
                    "with defragmentation)\n",
                    n, o->interface, group);
            announced = true;
            /* The parent only waits from here: it needs no privileges either. */
            char perr[PS_ERRBUF_SIZE];
            if (privs_drop(o->user, NULL, perr) < 0) {
                fprintf(stderr, "pktscope: %s\n", perr);
                workers_stop = 1;
            }
        }
    }
    read_messages(pfd[0], w, n);
    close(pfd[0]);

    int status = started == n ? PS_EXIT_OK : PS_EXIT_USAGE;
    struct source_stats total;
    memset(&total, 0, sizeof(total));
    for (unsigned i = 0; i < started; i++) {
        int code =
            WIFEXITED(w[i].status) && w[i].reported ? WEXITSTATUS(w[i].status) : PS_EXIT_DAMAGED;
        if (code > status)
            status = code;
        if (!w[i].reported)
            continue;
        char who[64];
        snprintf(who, sizeof(who), "worker %u: ", i);
        print_counters(stderr, who, &w[i].st);
        total.packets += w[i].st.packets;
        total.kernel_received += w[i].st.kernel_received;
        total.kernel_dropped += w[i].st.kernel_dropped;
        total.if_dropped += w[i].st.if_dropped;
    }
    bool any = false;
    for (unsigned i = 0; i < started; i++)
        any |= w[i].reported;
    if (!any)
        return status; /* no worker captured: its own message said why */
    /* The total in tcpdump's four lines, as one process prints them. */
    fprintf(stderr, "%" PRIu64 " packets captured\n", total.packets);
    fprintf(stderr, "%" PRIu64 " packets received by filter\n", total.kernel_received);
    fprintf(stderr, "%" PRIu64 " packets dropped by kernel\n", total.kernel_dropped);
    fprintf(stderr, "%" PRIu64 " packets dropped by interface\n", total.if_dropped);
    return status;
}
