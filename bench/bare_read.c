/*
 * bare_read: the floor for reading a capture with libpcap, for bench/run.sh: open the file,
 * pcap_next_ex() every packet, touch nothing but the header, count. No dissection, no output.
 *
 *   bare_read FILE      prints "packets bytes"
 */
#include <pcap/pcap.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    if (argc != 2) {
        fprintf(stderr, "usage: bare_read FILE\n");
        return 2;
    }
    pcap_t *p = pcap_open_offline(argv[1], errbuf);
    if (!p) {
        fprintf(stderr, "bare_read: %s\n", errbuf);
        return 2;
    }
    struct pcap_pkthdr *h;
    const u_char *data;
    unsigned long long packets = 0, bytes = 0;
    int r;
    while ((r = pcap_next_ex(p, &h, &data)) == 1) {
        packets++;
        bytes += h->caplen;
    }
    if (r == PCAP_ERROR)
        fprintf(stderr, "bare_read: %s\n", pcap_geterr(p));
    printf("%llu %llu\n", packets, bytes);
    pcap_close(p);
    return r == PCAP_ERROR ? 1 : 0;
}
