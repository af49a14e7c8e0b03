/*
 * DHCP exchanges (RFC 2131 3.1): a client's DISCOVER, the servers' OFFERs, its REQUEST and the
 * server's ACK or NAK share the client's transaction id (xid, RFC 2131 2) and its hardware
 * address, so (xid, client MAC) names an exchange. Each exchange gets a number from 0 in order
 * of first appearance (pktscope.dhcp.exchange, like tcp.stream), and each message learns the
 * frames of the exchange's first message, of the message before it, and, for a server reply,
 * of the client message it answers.
 *
 * Bounded: at most DHCP_MAX_EXCHANGES (4096) exchanges are remembered, in a ring (the oldest
 * goes first, counted in dhcp.evicted) with a hash index; about 144 KB, allocated on the first
 * DHCP packet. A message of an exchange that was evicted starts a new exchange number. One pass:
 * a message knows the frames before it, not the reply that comes later.
 */
#include <stdlib.h>
#include <string.h>

#include "track/internal.h"
#include "util/util.h"

static uint32_t dhcp_hash(uint32_t xid, const uint8_t mac[6])
{
    uint32_t h = xid * 0x9e3779b1u;
    for (int i = 0; i < 6; i++)
        h = (h ^ mac[i]) * 0x01000193u;
    return h & (DHCP_MAX_EXCHANGES - 1);
}

void dhcp_table_release(struct dhcp_table *dt)
{
    free(dt->v);
    free(dt->buckets);
    memset(dt, 0, sizeof(*dt));
}

static void dhcp_unlink(struct dhcp_table *dt, uint32_t slot)
{
    struct dhcp_exchange *e = &dt->v[slot];
    uint32_t *p = &dt->buckets[dhcp_hash(e->xid, e->mac)];
    for (uint32_t n = 0; *p != FLOW_NONE && n < DHCP_MAX_EXCHANGES; n++) {
        if (*p == slot) {
            *p = e->hnext;
            break;
        }
        p = &dt->v[*p].hnext;
    }
    e->used = false;
}

static uint32_t frame32(uint64_t frame)
{
    return frame > UINT32_MAX ? UINT32_MAX : (uint32_t)frame;
}

void dhcp_track(struct tracker *t, const struct dissection *d, uint64_t frame,
                struct track_info *ti)
{
    const struct layer *l = dis_find_layer(d, PROTO_DHCP);
    const struct field *xid = dis_find(d, FID_DHCP_ID);
    const struct field *op = dis_find(d, FID_DHCP_TYPE);
    if (!l || !xid || !op)
        return;
    uint8_t mac[6] = {0};
    const struct field *m = dis_find(d, FID_DHCP_HW_MAC_ADDR);
    const uint8_t *p = m && m->len == 6 ? dis_field_bytes(d, m, 6) : NULL;
    if (p)
        memcpy(mac, p, 6);
    struct dhcp_table *dt = &t->dhcp;
    if (!dt->v) {
        dt->v = xcalloc(DHCP_MAX_EXCHANGES, sizeof(*dt->v));
        dt->buckets = xcalloc(DHCP_MAX_EXCHANGES, sizeof(*dt->buckets));
        memset(dt->buckets, 0xff, DHCP_MAX_EXCHANGES * sizeof(*dt->buckets));
    }
    uint32_t k = (uint32_t)xid->value;
    uint32_t h = dhcp_hash(k, mac);
    struct dhcp_exchange *e = NULL;
    for (uint32_t s = dt->buckets[h], n = 0; s != FLOW_NONE && n < DHCP_MAX_EXCHANGES;
         s = dt->v[s].hnext, n++)
        if (dt->v[s].xid == k && memcmp(dt->v[s].mac, mac, 6) == 0) {
            e = &dt->v[s];
            break;
        }
    uint32_t f = frame32(frame);
    bool client = op->value == 1; /* BOOTREQUEST */
    if (!e) {
        uint32_t slot = dt->next_id % DHCP_MAX_EXCHANGES;
        if (dt->v[slot].used) {
            dhcp_unlink(dt, slot);
            dt->evicted++;
        }
        e = &dt->v[slot];
        memset(e, 0, sizeof(*e));
        e->xid = k;
        memcpy(e->mac, mac, 6);
        e->used = true;
        e->id = dt->next_id++;
        e->first = f;
        e->hnext = dt->buckets[h];
        dt->buckets[h] = slot;
    }
    ti->app_flags |= TIA_DHCP;
    ti->dhcp_exchange = e->id;
    ti->dhcp_first = e->first;
    ti->dhcp_prev = e->last;
    ti->dhcp_request = client ? 0 : e->last_client;
    e->last = f;
    if (client)
        e->last_client = f;
}
