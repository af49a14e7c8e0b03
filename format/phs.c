/*
 * -z io,phs (tshark's ui/cli/tap-protohierstat.c layout), from frame.protocols.
 */
#include "format/phs.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

#define PHS_NAME 32

struct phs_node {
    char name[PHS_NAME];
    int parent; /* -1 for a top-level node */
    uint64_t frames, bytes;
};

struct phs {
    struct phs_node n[PHS_MAX_NODES];
    size_t count;
};

struct phs *phs_new(void)
{
    return xcalloc(1, sizeof(struct phs));
}

static int child(struct phs *ph, int parent, const char *name, size_t len)
{
    if (len >= PHS_NAME)
        len = PHS_NAME - 1;
    for (size_t i = 0; i < ph->count; i++)
        if (ph->n[i].parent == parent && strlen(ph->n[i].name) == len &&
            memcmp(ph->n[i].name, name, len) == 0)
            return (int)i;
    if (ph->count >= PHS_MAX_NODES)
        return -2;
    struct phs_node *nd = &ph->n[ph->count];
    memcpy(nd->name, name, len);
    nd->name[len] = '\0';
    nd->parent = parent;
    return (int)ph->count++;
}

static bool is_name(const char *s, size_t n, const char *want)
{
    return strlen(want) == n && memcmp(s, want, n) == 0;
}

/* Where tshark's tree has the protocol at its top level, so that "data" after it is shown. */
static bool data_shown_after(const struct phs *ph, int parent)
{
    if (parent < 0)
        return true;
    const char *p = ph->n[parent].name;
    return strcmp(p, "ip") == 0 || strcmp(p, "ipv6") == 0 || strcmp(p, "tcp") == 0 ||
           strcmp(p, "udp") == 0 || strcmp(p, "eth") == 0 || strcmp(p, "vlan") == 0 ||
           strcmp(p, "sll") == 0;
}

void phs_add(struct phs *ph, const struct packet *pkt, const struct dissection *d)
{
    const char *s = d->protocols;
    int parent = -1;
    while (*s) {
        const char *end = strchr(s, ':');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        bool skip = is_name(s, len, "ethertype") || memchr(s, '.', len) != NULL ||
                    (is_name(s, len, "data") && !data_shown_after(ph, parent));
        if (!skip) {
            int c = child(ph, parent, s, len);
            if (c < 0)
                break;
            ph->n[c].frames++;
            ph->n[c].bytes += pkt->len;
            parent = c;
            /* Nothing under ICMP is at the top of tshark's tree (a quoted packet is inside). */
            if (is_name(s, len, "icmp") || is_name(s, len, "icmpv6"))
                break;
        }
        if (!end)
            break;
        s = end + 1;
    }
}

static void print_children(const struct phs *ph, int parent, int depth, FILE *out)
{
    for (size_t i = 0; i < ph->count; i++) {
        const struct phs_node *nd = &ph->n[i];
        if (nd->parent != parent)
            continue;
        int indent = depth * 2;
        fprintf(out, "%*s%-*s frames:%" PRIu64 " bytes:%" PRIu64 "\n", indent, "", 40 - indent,
                nd->name, nd->frames, nd->bytes);
        if (depth < 64)
            print_children(ph, (int)i, depth + 1, out);
    }
}

void phs_print(const struct phs *ph, FILE *out)
{
    static const char bar[] =
        "===================================================================\n";
    fprintf(out, "\n%sProtocol Hierarchy Statistics\nFilter: \n\n", bar);
    print_children(ph, -1, 0, out);
    fputs(bar, out);
}

void phs_free(struct phs *ph)
{
    free(ph);
}
