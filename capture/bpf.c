/*
 * bpf: display filters over file packets with libpcap's own compiler, so an expression means
 * exactly what it means to tcpdump (pcap_open_dead + pcap_compile + pcap_offline_filter).
 *
 * A BPF program is compiled for one link type, and a pcapng file may mix several, so one program
 * is compiled per link type the first time a packet of that type is seen (a small array: files
 * hold a handful of link types). A link type the expression cannot be compiled for (e.g. "ether
 * host" on raw IP) never matches, as tcpdump would refuse to apply it.
 */
#include "capture/source.h"
#include "util/util.h"

#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

struct bpf_slot {
    uint32_t linktype;
    bool ok; /* compiled; when false the link type never matches */
    struct bpf_program prog;
};

struct bpf_filter {
    char *expr;
    struct bpf_slot *slots;
    size_t n, cap;
    size_t last; /* index of the slot used last: consecutive packets share a link type */
};

/*
 * pcap_open_dead() takes a DLT_ value; files store LINKTYPE_ values. They coincide except for a
 * few historical ones (libpcap pcap-common.c linktype_to_dlt).
 */
static int bpf_dlt_of(uint32_t linktype)
{
    switch (linktype) {
    case LINKTYPE_RAW:
    case LINKTYPE_RAW_BSD:
    case LINKTYPE_RAW_BSD14:
        return DLT_RAW;
    case 100: /* LINKTYPE_ATM_RFC1483 */
        return DLT_ATM_RFC1483;
    case 106: /* LINKTYPE_ATM_CLIP */
#ifdef DLT_ATM_CLIP
        return DLT_ATM_CLIP;
#else
        return 106;
#endif
    default:
        return (int)linktype;
    }
}

/* Compiles expr for linktype; 0 or -1 with errbuf. */
static int bpf_compile_for(const char *expr, uint32_t linktype, struct bpf_program *prog,
                           char *errbuf)
{
    pcap_t *p = pcap_open_dead(bpf_dlt_of(linktype), (int)CAPTURE_MAX_PACKET);
    if (!p)
        return ps_err(errbuf, "cannot prepare the filter compiler");
    int r = pcap_compile(p, prog, expr, 1, PCAP_NETMASK_UNKNOWN);
    if (r < 0)
        ps_err(errbuf, "filter expression \"%s\": %s; see man pcap-filter for the syntax", expr,
               pcap_geterr(p));
    pcap_close(p);
    return r < 0 ? -1 : 0;
}

struct bpf_filter *bpf_filter_new(const char *expr, char *errbuf)
{
    if (!expr)
        expr = "";
    struct bpf_filter *f = xcalloc(1, sizeof(*f));
    f->expr = xstrdup(expr);
    f->slots = xgrow(NULL, &f->cap, 4, sizeof(*f->slots));
    struct bpf_slot *s = &f->slots[0];
    memset(s, 0, sizeof(*s));
    s->linktype = LINKTYPE_ETHERNET;
    if (bpf_compile_for(expr, LINKTYPE_ETHERNET, &s->prog, errbuf) < 0) {
        free(f->slots);
        free(f->expr);
        free(f);
        return NULL;
    }
    s->ok = true;
    f->n = 1;
    return f;
}

static struct bpf_slot *bpf_slot_for(struct bpf_filter *f, uint32_t linktype)
{
    if (f->last < f->n && f->slots[f->last].linktype == linktype)
        return &f->slots[f->last];
    for (size_t i = 0; i < f->n; i++) {
        if (f->slots[i].linktype == linktype) {
            f->last = i;
            return &f->slots[i];
        }
    }
    f->slots = xgrow(f->slots, &f->cap, f->n + 1, sizeof(*f->slots));
    struct bpf_slot *s = &f->slots[f->n];
    memset(s, 0, sizeof(*s));
    s->linktype = linktype;
    char errbuf[PS_ERRBUF_SIZE];
    s->ok = bpf_compile_for(f->expr, linktype, &s->prog, errbuf) == 0;
    f->last = f->n++;
    return s;
}

int bpf_filter_match(struct bpf_filter *f, const struct packet *pkt)
{
    if (!f)
        return 1;
    struct bpf_slot *s = bpf_slot_for(f, pkt->linktype);
    if (!s->ok)
        return 0;
    struct pcap_pkthdr h;
    memset(&h, 0, sizeof(h));
    h.ts.tv_sec = (time_t)pkt->ts_sec;
    h.ts.tv_usec = (suseconds_t)(pkt->ts_nsec / 1000u);
    h.caplen = pkt->caplen;
    h.len = pkt->len;
    return pcap_offline_filter(&s->prog, &h, pkt->data) != 0;
}

void bpf_filter_free(struct bpf_filter *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++) {
        if (f->slots[i].ok)
            pcap_freecode(&f->slots[i].prog);
    }
    free(f->slots);
    free(f->expr);
    free(f);
}
