/*
 * udp_blast: sends UDP datagrams to a loopback port at a fixed rate for a fixed time, so a
 * live capture (pktscope or tcpdump) can be loaded the same way for each tool and their drop
 * counts compared. Used by bench/live_load.sh.
 *
 *   udp_blast RATE_PPS SECONDS [PAYLOAD_BYTES [PORT [FLOWS [DEST]]]]
 *
 * Datagrams go out in batches with sendmmsg(2), paced against CLOCK_MONOTONIC every
 * millisecond. FLOWS source ports are used in turn (one socket each), so a connection tracker
 * sees that many UDP flows. Prints what it sent and the rate it reached; exits non-zero when
 * it could not reach 95% of the asked rate (the figures are then not a test of the capture).
 * It addresses 127.0.0.1, or DEST (an IPv4 address: live_load.py --veth gives the peer of a veth
 * pair in a namespace it made itself).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH_MAX 64
#define FLOWS_MAX 4096

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A decimal number, or -1 when the text is not one. */
static long number(const char *text)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    return errno || end == text || *end ? -1 : v;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: udp_blast RATE_PPS SECONDS [PAYLOAD_BYTES [PORT [FLOWS]]]\n");
        return 2;
    }
    double rate = strtod(argv[1], NULL);
    double seconds = strtod(argv[2], NULL);
    long payload = argc > 3 ? number(argv[3]) : 64;
    long port = argc > 4 ? number(argv[4]) : 9999;
    long flows = argc > 5 ? number(argv[5]) : 1;
    const char *dest = argc > 6 ? argv[6] : NULL;
    if (rate <= 0 || seconds <= 0 || seconds > 3600 || payload < 0 || payload > 1400 || port <= 0 ||
        port > 65535 || flows < 1 || flows > FLOWS_MAX) {
        fprintf(stderr,
                "udp_blast: rate > 0, 0 < seconds <= 3600, payload <= 1400, "
                "1 <= flows <= %d\n",
                FLOWS_MAX);
        return 2;
    }

    static int socks[FLOWS_MAX];
    for (long i = 0; i < flows; i++) {
        socks[i] = socket(AF_INET, SOCK_DGRAM, 0);
        if (socks[i] < 0) {
            perror("udp_blast: socket");
            return 1;
        }
    }
    struct sockaddr_in dst;
    memset(&dst, 0, sizeof(dst));
    dst.sin_family = AF_INET;
    dst.sin_port = htons((uint16_t)port);
    dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (dest && inet_pton(AF_INET, dest, &dst.sin_addr) != 1) {
        fprintf(stderr, "udp_blast: DEST must be an IPv4 address, not '%s'\n", dest);
        return 2;
    }

    /* A bound socket that is never read: datagrams die in its full queue instead of each
     * drawing an ICMP port unreachable, which would add traffic the capture did not ask for.
     * (A remote DEST has its own sink, made by whoever owns that host.) */
    int sink = -1;
    if (!dest) {
        sink = socket(AF_INET, SOCK_DGRAM, 0);
        if (sink < 0 || bind(sink, (struct sockaddr *)&dst, sizeof(dst)) < 0) {
            perror("udp_blast: bind sink");
            return 1;
        }
    }

    static char buf[1400];
    memset(buf, 'x', sizeof(buf));
    struct iovec iov[BATCH_MAX];
    struct mmsghdr msgs[BATCH_MAX];
    memset(msgs, 0, sizeof(msgs));
    for (int i = 0; i < BATCH_MAX; i++) {
        iov[i].iov_base = buf;
        iov[i].iov_len = (size_t)payload;
        msgs[i].msg_hdr.msg_name = &dst;
        msgs[i].msg_hdr.msg_namelen = sizeof(dst);
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }

    uint64_t total = (uint64_t)(rate * seconds);
    uint64_t sent = 0, failed = 0;
    int flow = 0;
    double start = now_s();
    while (sent + failed < total) {
        double elapsed = now_s() - start;
        if (elapsed > seconds * 1.5 + 1)
            break; /* the machine cannot keep up: stop, and say so below */
        uint64_t due = (uint64_t)(elapsed * rate);
        if (due > total)
            due = total;
        if (due <= sent + failed) {
            struct timespec pause = {0, 200000};
            nanosleep(&pause, NULL);
            continue;
        }
        uint64_t want = due - sent - failed;
        unsigned n = want > BATCH_MAX ? BATCH_MAX : (unsigned)want;
        int r = sendmmsg(socks[flow], msgs, n, 0);
        flow = (flow + 1) % (int)flows;
        if (r < 0) {
            if (errno == ENOBUFS || errno == EAGAIN) {
                failed += n;
                continue;
            }
            perror("udp_blast: sendmmsg");
            return 1;
        }
        sent += (uint64_t)r;
        if ((unsigned)r < n)
            failed += n - (unsigned)r;
    }
    double took = now_s() - start;
    double reached = (double)sent / took;
    printf("sent %llu datagrams in %.2f s (%.0f per second), %llu not sent\n",
           (unsigned long long)sent, took, reached, (unsigned long long)failed);
    return reached < rate * 0.95 ? 1 : 0;
}
