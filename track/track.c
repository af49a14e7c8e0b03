/*
 * The tracker object: finds each packet's flow, numbers connections per protocol in order of
 * first appearance (Wireshark's tcp.stream / udp.stream), keeps each connection's lasting
 * summary, and handles UDP (Zeek's UDP states) and ICMP (echo pairing with its round-trip time,
 * errors linked to the connection of the packet they quote). TCP itself is in tcp.c.
 */
#include <stdlib.h>
#include <string.h>

#include "dissect/numbers.h"
#include "track/internal.h"
#include "track/pairing.h"
#include "util/util.h"

#define NS_PER_SEC 1000000000ll

void tracker_config_default(struct tracker_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->max_flows = 100000;
    cfg->max_stream_keys = TRACKER_MAX_STREAM_KEYS;
    cfg->tcp_idle_sec = 300; /* Zeek tcp_inactivity_timeout */
    cfg->udp_idle_sec = 60;  /* Zeek udp_inactivity_timeout */
    cfg->icmp_idle_sec = 60; /* Zeek icmp_inactivity_timeout */
    cfg->tcp_over_sec = 5;   /* Zeek tcp_close_delay, tcp_reset_delay */
}

static void flow_removing(void *ctx, const struct flow *f);

struct tracker *tracker_new(const struct tracker_config *cfg)
{
    struct tracker *t = xcalloc(1, sizeof(*t));
    if (cfg)
        t->cfg = *cfg;
    else
        tracker_config_default(&t->cfg);
    int64_t to[LRU__COUNT];
    to[LRU_TCP] = (int64_t)t->cfg.tcp_idle_sec * NS_PER_SEC;
    to[LRU_UDP] = (int64_t)t->cfg.udp_idle_sec * NS_PER_SEC;
    to[LRU_OTHER] = (int64_t)t->cfg.icmp_idle_sec * NS_PER_SEC;
    to[LRU_TCP_OVER] = (int64_t)t->cfg.tcp_over_sec * NS_PER_SEC;
    flow_table_init(&t->ft, t->cfg.max_flows, to);
    t->ft.removing = flow_removing;
    t->ft.removing_ctx = t;
    t->ft.expire_all = t->cfg.expire_all;
    t->pairing = pairing_new();
    return t;
}

void tracker_free(struct tracker *t)
{
    if (!t)
        return;
    flow_table_release(&t->ft);
    for (size_t i = 0; i < ARRAY_SIZE(t->conns); i++) {
        free(t->conns[i].v);
        free(t->conns[i].kept);
    }
    free(t->streams.packed);
    free(t->streams.off);
    free(t->streams.ids);
    free(t->streams.next);
    free(t->streams.buckets);
    dhcp_table_release(&t->dhcp);
    pairing_free(t->pairing);
    server_names_release(&t->names);
    free(t);
}

uint8_t tracker_slot_proto(int slot)
{
    static const uint8_t protos[4] = {PS_IPPROTO_TCP, PS_IPPROTO_UDP, PS_IPPROTO_ICMP,
                                      PS_IPPROTO_ICMPV6};
    return slot >= 0 && slot < 4 ? protos[slot] : 0;
}

int tracker_proto_slot(uint8_t proto)
{
    switch (proto) {
    case PS_IPPROTO_TCP:
        return 0;
    case PS_IPPROTO_UDP:
        return 1;
    case PS_IPPROTO_ICMP:
        return 2;
    case PS_IPPROTO_ICMPV6:
        return 3;
    default:
        return -1;
    }
}

struct conn_array *tracker_conns(struct tracker *t, uint8_t proto)
{
    int s = tracker_proto_slot(proto);
    return s < 0 ? NULL : &t->conns[s];
}

/* The summary of stream id, or NULL when it was let go (or is not numbered yet). */
static struct conn *conn_at(const struct conn_array *ca, uint32_t id)
{
    if (id >= ca->base)
        return id - ca->base < ca->n ? &ca->v[id - ca->base] : NULL;
    size_t lo = 0, hi = ca->nkept;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ca->kept[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ca->nkept && ca->kept[lo].id == id ? &ca->kept[lo] : NULL;
}

size_t tracker_conn_count(const struct tracker *t, uint8_t proto)
{
    int s = tracker_proto_slot(proto);
    return s < 0 || !t ? 0 : t->conns[s].base + t->conns[s].n;
}

const struct conn *tracker_conn(const struct tracker *t, uint8_t proto, uint32_t stream)
{
    int s = tracker_proto_slot(proto);
    return s < 0 || !t ? NULL : conn_at(&t->conns[s], stream);
}

size_t tracker_conn_kept(const struct tracker *t, uint8_t proto)
{
    int s = tracker_proto_slot(proto);
    return s < 0 || !t ? 0 : t->conns[s].nkept + t->conns[s].n;
}

const struct conn *tracker_conn_nth(const struct tracker *t, uint8_t proto, size_t pos)
{
    int s = tracker_proto_slot(proto);
    if (s < 0 || !t)
        return NULL;
    const struct conn_array *ca = &t->conns[s];
    if (pos < ca->nkept)
        return &ca->kept[pos];
    pos -= ca->nkept;
    return pos < ca->n ? &ca->v[pos] : NULL;
}

void tracker_stats(const struct tracker *t, struct tracker_stats *st)
{
    memset(st, 0, sizeof(*st));
    st->bytes_per_flow = sizeof(struct flow) + sizeof(uint32_t); /* + its hash bucket */
    if (!t)
        return;
    st->flows_created = t->ft.created;
    st->flows_active = t->ft.active;
    for (uint32_t i = 0; i < t->ft.nflows; i++) {
        const struct flow *f = flow_at(&t->ft, i);
        if (f->in_use && !tracker_conn_closed(t, f->key.proto, f->conn))
            st->flows_open++;
    }
    st->flows_evicted = t->ft.evicted;
    st->flows_timed_out = t->ft.timed_out;
    st->flows_over_dropped = t->ft.over_dropped;
    st->pairs_evicted = pairing_evicted(t->pairing);
    st->stream_keys_forgotten = t->streams.forgotten;
}

void tracker_totals(const struct tracker *t, struct tracker_totals *tt)
{
    memset(tt, 0, sizeof(*tt));
    tracker_stats(t, &tt->st);
    for (int i = 0; i < 4; i++)
        tt->streams[i] = tracker_conn_count(t, tracker_slot_proto(i));
}

void tracker_totals_add(struct tracker_totals *sum, const struct tracker_totals *tt)
{
    struct tracker_stats *s = &sum->st;
    const struct tracker_stats *a = &tt->st;
    s->flows_created += a->flows_created;
    s->flows_active += a->flows_active;
    s->flows_open += a->flows_open;
    s->flows_evicted += a->flows_evicted;
    s->flows_timed_out += a->flows_timed_out;
    s->flows_over_dropped += a->flows_over_dropped;
    s->bytes_per_flow = a->bytes_per_flow; /* the same in every tracker */
    s->pairs_evicted += a->pairs_evicted;
    s->stream_keys_forgotten += a->stream_keys_forgotten;
    for (int i = 0; i < 4; i++)
        sum->streams[i] += tt->streams[i];
}

/* ---- stream index: key -> latest stream number ------------------------------------------ */

/* Packs k into buf (at least STREAM_KEY_MAX bytes); returns its length. */
#define STREAM_KEY_MAX (3 + 2 * 16 + 6)
static size_t stream_key_pack(const struct flow_key *k, uint8_t *buf)
{
    size_t n = 0;
    buf[n++] = k->addr_len;
    buf[n++] = k->proto;
    buf[n++] = k->kind;
    memcpy(buf + n, k->a, k->addr_len);
    n += k->addr_len;
    memcpy(buf + n, k->b, k->addr_len);
    n += k->addr_len;
    memcpy(buf + n, &k->pa, 2);
    memcpy(buf + n + 2, &k->pb, 2);
    memcpy(buf + n + 4, &k->vlan, 2);
    return n + 6;
}

static void stream_key_unpack(const uint8_t *buf, struct flow_key *k)
{
    memset(k, 0, sizeof(*k));
    k->addr_len = buf[0];
    k->proto = buf[1];
    k->kind = buf[2];
    const uint8_t *p = buf + 3;
    memcpy(k->a, p, k->addr_len);
    memcpy(k->b, p + k->addr_len, k->addr_len);
    p += 2 * k->addr_len;
    memcpy(&k->pa, p, 2);
    memcpy(&k->pb, p + 2, 2);
    memcpy(&k->vlan, p + 4, 2);
}

static uint32_t stream_find(const struct tracker *t, const struct flow_key *k)
{
    const struct stream_index *si = &t->streams;
    if (!si->nbuckets)
        return FLOW_NONE;
    uint8_t want[STREAM_KEY_MAX];
    size_t len = stream_key_pack(k, want);
    uint32_t b = flow_key_hash(&t->ft, k) & (si->nbuckets - 1);
    for (uint32_t i = si->buckets[b]; i != FLOW_NONE; i = si->next[i])
        if (si->packed[si->off[i]] == k->addr_len &&
            memcmp(si->packed + si->off[i], want, len) == 0)
            return i;
    return FLOW_NONE;
}

static void stream_rehash(struct tracker *t, uint32_t nbuckets)
{
    struct stream_index *si = &t->streams;
    free(si->buckets);
    si->buckets = xmalloc((size_t)nbuckets * sizeof(*si->buckets));
    for (uint32_t i = 0; i < nbuckets; i++)
        si->buckets[i] = FLOW_NONE;
    si->nbuckets = nbuckets;
    for (size_t i = 0; i < si->n; i++) {
        struct flow_key k;
        stream_key_unpack(si->packed + si->off[i], &k);
        uint32_t b = flow_key_hash(&t->ft, &k) & (nbuckets - 1);
        si->next[i] = si->buckets[b];
        si->buckets[b] = (uint32_t)i;
    }
}

static void streams_drop_forgotten(struct tracker *t, size_t limit);

/* Records that key's latest connection is stream `id`. */
static void stream_set(struct tracker *t, const struct flow_key *k, uint32_t id)
{
    struct stream_index *si = &t->streams;
    uint32_t e = stream_find(t, k);
    if (e != FLOW_NONE) {
        si->ids[e] = id;
        return;
    }
    /* At max_stream_keys, the oldest quarter of the keys whose summaries went are forgotten
     * (those of summaries still held stay: a flow that sends again keeps its number). */
    if (t->cfg.max_stream_keys && si->n >= t->cfg.max_stream_keys)
        streams_drop_forgotten(t, t->cfg.max_stream_keys - t->cfg.max_stream_keys / 4);
    /* Offsets are 32-bit: past 4 GiB of keys (some 250 million 5-tuples) new ones are not
     * remembered, nor when every key kept has a summary held (max_flows past the cap): such
     * a key seen again after its flow went gets a new number. */
    if (si->packed_len + STREAM_KEY_MAX > UINT32_MAX ||
        (t->cfg.max_stream_keys && si->n >= t->cfg.max_stream_keys)) {
        si->forgotten++;
        return;
    }
    if (si->n == si->cap) {
        size_t cap = si->cap;
        si->off = xgrow(si->off, &cap, si->n + 1, sizeof(*si->off));
        cap = si->cap;
        si->ids = xgrow(si->ids, &cap, si->n + 1, sizeof(*si->ids));
        cap = si->cap;
        si->next = xgrow(si->next, &cap, si->n + 1, sizeof(*si->next));
        si->cap = cap;
    }
    si->packed = xgrow(si->packed, &si->packed_cap, si->packed_len + STREAM_KEY_MAX, 1);
    si->off[si->n] = (uint32_t)si->packed_len;
    si->packed_len += stream_key_pack(k, si->packed + si->packed_len);
    si->ids[si->n] = id;
    si->n++;
    if (si->n > si->nbuckets) {
        stream_rehash(t, si->nbuckets ? si->nbuckets * 2 : 1024);
    } else {
        uint32_t b = flow_key_hash(&t->ft, k) & (si->nbuckets - 1);
        si->next[si->n - 1] = si->buckets[b];
        si->buckets[b] = (uint32_t)(si->n - 1);
    }
}

/* The stream an earlier flow of this key had, or FLOW_NONE. */
static uint32_t stream_previous(const struct tracker *t, const struct flow_key *k)
{
    uint32_t e = stream_find(t, k);
    return e == FLOW_NONE ? FLOW_NONE : t->streams.ids[e];
}

/* Whether the connection's originator is the key's endpoint a. */
static bool conn_orig_is_a(const struct conn *c, const struct flow_key *k)
{
    if (memcmp(c->orig_addr, k->a, k->addr_len) != 0)
        return false;
    if (memcmp(c->orig_addr, c->resp_addr, k->addr_len) != 0 ||
        (c->proto != PS_IPPROTO_TCP && c->proto != PS_IPPROTO_UDP))
        return true;
    return c->orig_port == k->pa;
}

/* ---- bounded summaries (max_conns) ------------------------------------------------------ */

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static bool sorted_has(const uint32_t *v, size_t n, uint32_t x)
{
    return n && bsearch(&x, v, n, sizeof(*v), cmp_u32) != NULL;
}

/* Drops stream-index entries whose summary is no longer held (let go, or never kept), the
 * oldest first, until at most `limit` entries are left or none of those is left: a key seen
 * again then starts afresh, under a new number. */
static void streams_drop_forgotten(struct tracker *t, size_t limit)
{
    struct stream_index *si = &t->streams;
    size_t w = 0, wlen = 0, excess = si->n > limit ? si->n - limit : 0;
    for (size_t i = 0; i < si->n; i++) {
        const uint8_t *key = si->packed + si->off[i];
        if (excess && !tracker_conn(t, key[1], si->ids[i])) {
            excess--;
            si->forgotten++;
            continue;
        }
        size_t len = 3 + 2 * (size_t)key[0] + 6;
        memmove(si->packed + wlen, key, len); /* wlen <= off[i]: moves down only */
        si->off[w] = (uint32_t)wlen;
        si->ids[w] = si->ids[i];
        wlen += len;
        w++;
    }
    si->n = w;
    si->packed_len = wlen;
    if (si->nbuckets)
        stream_rehash(t, si->nbuckets);
}

/*
 * Lets the oldest k summaries of proto go (max_conns): those below the new base that no tracked
 * flow uses, told to the caller first. A flow still tracked keeps its summary in `kept` (it may
 * send more); kept summaries whose flow has gone go too.
 */
static void conns_let_go(struct tracker *t, uint8_t proto, size_t k)
{
    struct conn_array *ca = tracker_conns(t, proto);
    if (k > ca->n)
        k = ca->n;
    uint32_t new_base = ca->base + (uint32_t)k;
    /* The streams below new_base that a tracked flow uses: at most the flow table's size. */
    uint32_t *used = NULL;
    size_t nused = 0, used_cap = 0;
    for (uint32_t i = 0; i < t->ft.nflows; i++) {
        const struct flow *f = flow_at(&t->ft, i);
        if (!f->in_use || f->key.proto != proto || f->conn >= new_base)
            continue;
        used = xgrow(used, &used_cap, nused + 1, sizeof(*used));
        used[nused++] = f->conn;
    }
    if (nused > 1)
        qsort(used, nused, sizeof(*used), cmp_u32);

    /* Compacted in place, then the survivors of v[0, k) appended: never two copies of this
     * array at once, as with many live flows it is the largest part of the summaries. Kept
     * streams are all below those of v, so stream order holds. */
    size_t nkept = 0;
    for (size_t i = 0; i < ca->nkept; i++) {
        if (sorted_has(used, nused, ca->kept[i].id))
            ca->kept[nkept++] = ca->kept[i];
        else if (t->cfg.conn_forget)
            t->cfg.conn_forget(t->cfg.conn_ctx, &ca->kept[i]);
    }
    size_t from_v = 0;
    for (size_t i = 0; i < k; i++)
        from_v += sorted_has(used, nused, ca->v[i].id);
    size_t need = nkept + from_v;
    if (need == 0) {
        free(ca->kept);
        ca->kept = NULL;
        ca->kept_cap = 0;
    } else if (need > ca->kept_cap || need < ca->kept_cap / 2) {
        ca->kept = xrealloc(ca->kept, need * sizeof(*ca->kept));
        ca->kept_cap = need;
    }
    for (size_t i = 0; i < k; i++) {
        struct conn *c = &ca->v[i];
        if (sorted_has(used, nused, c->id))
            ca->kept[nkept++] = *c;
        else if (t->cfg.conn_forget)
            t->cfg.conn_forget(t->cfg.conn_ctx, c);
    }
    free(used);
    ca->nkept = nkept;
    memmove(ca->v, ca->v + k, (ca->n - k) * sizeof(*ca->v));
    ca->n -= k;
    ca->base = new_base;
    if (t->cfg.forget_stream_numbers)
        streams_drop_forgotten(t, 0);
}

/* Fills summary c (numbered already) of flow f, whose first packet is d (sent by the originator
 * when from_orig). */
static void conn_init(struct tracker *t, struct conn *c, struct flow *f, const struct dissection *d,
                      bool from_orig, int64_t ts_sec, uint32_t ts_nsec, uint64_t frame)
{
    uint32_t id = c->id;
    memset(c, 0, sizeof(*c));
    c->id = id;
    f->conn = id;
    const struct dis_summary *s = &d->sum;
    c->proto = f->key.proto;
    c->addr_len = s->addr_len;
    const uint8_t *osrc = from_orig ? s->src : s->dst, *odst = from_orig ? s->dst : s->src;
    memcpy(c->orig_addr, osrc, s->addr_len);
    memcpy(c->resp_addr, odst, s->addr_len);
    if (c->proto == PS_IPPROTO_TCP || c->proto == PS_IPPROTO_UDP) {
        c->orig_port = from_orig ? s->sport : s->dport;
        c->resp_port = from_orig ? s->dport : s->sport;
        /* The service is named by the responder's port, unless only the originator's is a
         * well-known one (a capture that starts with the server's answer). */
        c->service_port = c->resp_port;
        if (c->resp_port >= 1024 && c->orig_port < 1024)
            c->service_port = c->orig_port;
    } else {
        c->icmp_echo = s->icmp_is_echo;
        c->orig_port = s->icmp_is_echo ? s->icmp_id : s->icmp_type;
        c->resp_port = s->icmp_is_echo ? s->icmp_id : s->icmp_code;
    }
    c->vlan_id = s->has_vlan ? s->vlan_id : 0;
    c->first_sec = c->last_sec = ts_sec;
    c->first_nsec = c->last_nsec = ts_nsec;
    c->first_packet = c->last_packet = frame;
    c->rtt_nsec = -1;
    c->conn_state[0] = '\0';
    c->history[0] = '\0';
    c->roles = roles_first(d, c->proto, from_orig);
    if (c->proto == PS_IPPROTO_TCP)
        expect_match(&t->expect, c, ptime_ns(ts_sec, ts_nsec));
}

/* A new connection summary for flow f whose first packet is d (sent by the originator when
 * from_orig). */
static struct conn *conn_new(struct tracker *t, struct flow *f, const struct dissection *d,
                             bool from_orig, int64_t ts_sec, uint32_t ts_nsec, uint64_t frame)
{
    struct conn_array *ca = tracker_conns(t, f->key.proto);
    if (t->cfg.max_conns && ca->n >= t->cfg.max_conns) {
        size_t quarter = t->cfg.max_conns / 4;
        conns_let_go(t, f->key.proto, quarter ? quarter : 1);
    }
    ca->v = xgrow(ca->v, &ca->cap, ca->n + 1, sizeof(*ca->v));
    struct conn *c = &ca->v[ca->n];
    c->id = ca->base + (uint32_t)ca->n;
    ca->n++;
    stream_set(t, &f->key, c->id);
    conn_init(t, c, f, d, from_orig, ts_sec, ts_nsec, frame);
    return c;
}

/* A place for summary `id` among the kept ones (those below base), in stream order. */
static struct conn *kept_insert(struct tracker *t, uint8_t proto, uint32_t id)
{
    struct conn_array *ca = tracker_conns(t, proto);
    /* Revived summaries whose flow went again are let go with the next ones: keep kept small. */
    if (t->cfg.max_conns && ca->nkept >= t->cfg.max_conns)
        conns_let_go(t, proto, 0);
    size_t pos = 0;
    while (pos < ca->nkept && ca->kept[pos].id < id)
        pos++;
    ca->kept = xgrow(ca->kept, &ca->kept_cap, ca->nkept + 1, sizeof(*ca->kept));
    memmove(&ca->kept[pos + 1], &ca->kept[pos], (ca->nkept - pos) * sizeof(*ca->kept));
    ca->nkept++;
    return &ca->kept[pos];
}

/*
 * Stream `id` comes back after its summary was let go (max_conns without
 * forget_stream_numbers, and no conn_recall): a fresh summary under the old number, kept in
 * stream order among the kept ones. Zeek logs a 5-tuple that returns after its connection ended
 * as a new connection, and --conns writes it a new row.
 */
static struct conn *conn_revive(struct tracker *t, struct flow *f, const struct dissection *d,
                                bool from_orig, uint32_t id, int64_t ts_sec, uint32_t ts_nsec,
                                uint64_t frame)
{
    struct conn *c = kept_insert(t, f->key.proto, id);
    c->id = id;
    conn_init(t, c, f, d, from_orig, ts_sec, ts_nsec, frame);
    return c;
}

/* Stream `id` comes back after its summary was let go, and the caller kept that summary
 * (conn_recall): it goes on from there, as if never let go. NULL when the caller has none. */
static struct conn *conn_recalled(struct tracker *t, uint8_t proto, uint32_t id)
{
    struct conn back;
    if (!t->cfg.conn_recall || !t->cfg.conn_recall(t->cfg.conn_ctx, proto, id, &back))
        return NULL;
    struct conn *c = kept_insert(t, proto, id);
    *c = back;
    return c;
}

/* A new flow f of key k continues stream `prev` (its earlier flow timed out or was evicted):
 * the roles come from that connection's summary. When the summary was let go, it is recalled
 * from the caller if it kept it (conn_recall), else this packet opens a fresh one under that
 * number, with the roles a new connection would have (*from_orig says them on entry). Returns
 * the summary. */
static struct conn *conn_continue(struct tracker *t, struct flow *f, const struct flow_key *k,
                                  uint32_t prev, bool a_is_src, bool *from_orig,
                                  const struct dissection *d, int64_t ts_sec, uint32_t ts_nsec,
                                  uint64_t frame)
{
    struct conn *c = conn_at(tracker_conns(t, k->proto), prev);
    if (!c)
        c = conn_recalled(t, k->proto, prev);
    if (!c) {
        f->orig_is_a = *from_orig ? a_is_src : !a_is_src;
        return conn_revive(t, f, d, *from_orig, prev, ts_sec, ts_nsec, frame);
    }
    if (c->ended) {
        /* Its end was told (conn_end: its row is written), so, as in Zeek, this is a new
         * connection; the summary is let go and begins afresh under the same number. */
        if (t->cfg.conn_forget)
            t->cfg.conn_forget(t->cfg.conn_ctx, c);
        f->orig_is_a = *from_orig ? a_is_src : !a_is_src;
        conn_init(t, c, f, d, *from_orig, ts_sec, ts_nsec, frame);
        return c;
    }
    f->conn = prev;
    f->orig_is_a = conn_orig_is_a(c, k);
    *from_orig = f->orig_is_a == a_is_src;
    return c;
}

/* The flow table is about to drop f (idle timeout or eviction): its connection is over. */
static void flow_removing(void *ctx, const struct flow *f)
{
    struct tracker *t = ctx;
    struct conn_array *ca = tracker_conns(t, f->key.proto);
    struct conn *c = ca ? conn_at(ca, f->conn) : NULL;
    if (c && t->cfg.conn_end) {
        c->ended = true;
        t->ending_idle_list = f->lru_class;
        t->cfg.conn_end(t->cfg.conn_ctx, c);
    }
}

/* The first field `id` from the first layer of `proto` on: the outer IP header's length field,
 * found without going through the link layers' fields first (a search of every field from the
 * first was 1.5 % of --stats). No field of IP's comes before IP's first layer. */
static const struct field *find_from_layer(const struct dissection *d, enum proto_id proto,
                                           enum field_id id)
{
    const struct layer *l = dis_find_layer(d, proto);
    if (!l)
        return NULL;
    for (unsigned i = l->first_field; i < d->nfields; i++)
        if (d->fields[i].id == id)
            return &d->fields[i];
    return NULL;
}

static uint64_t ip_bytes(const struct dissection *d)
{
    const struct field *f;
    if (d->sum.l3 == L3_IPV4 && (f = find_from_layer(d, PROTO_IPV4, FID_IP_LEN)) != NULL)
        return f->value;
    if (d->sum.l3 == L3_IPV6 && (f = find_from_layer(d, PROTO_IPV6, FID_IPV6_PLEN)) != NULL)
        return f->value + 40;
    return d->len;
}

static void conn_count(struct tracker *t, struct conn *c, const struct dissection *d,
                       bool from_orig, int64_t ts_sec, uint32_t ts_nsec, uint64_t frame,
                       uint32_t payload)
{
    /* Only the client names the server (SNI, Host): the server's packets are not searched. */
    if (!c->server_name && from_orig &&
        (d->sum.app_proto == PROTO_TLS || d->sum.app_proto == PROTO_HTTP)) {
        const struct field *f = dis_server_name(d);
        size_t n;
        const char *s = f ? dis_field_text(d, f, &n) : NULL;
        if (s)
            c->server_name = server_name_intern(&t->names, s, n);
    }
    if (from_orig) {
        c->orig_pkts++;
        c->orig_bytes += payload;
        c->orig_ip_bytes += ip_bytes(d);
    } else {
        c->resp_pkts++;
        c->resp_bytes += payload;
        c->resp_ip_bytes += ip_bytes(d);
    }
    if (ts_sec > c->last_sec || (ts_sec == c->last_sec && ts_nsec > c->last_nsec)) {
        c->last_sec = ts_sec;
        c->last_nsec = ts_nsec;
    }
    c->last_packet = frame;
    roles_update(c, d, from_orig);
    /* The service is what was decoded, not what the port suggests (one source for --conns,
     * the ladder and the TUI). */
    if (!c->app_proto && d->sum.app_proto)
        c->app_proto = d->sum.app_proto;
    if (!c->app_version && d->sum.app_version_sure)
        c->app_version = d->sum.app_version;
}

/* Zeek's UDP conn_state: S0 only the originator sent, SF both, SHR only the responder. */
static void udp_outcome(struct conn *c)
{
    const char *st = c->orig_pkts ? (c->resp_pkts ? "SF" : "S0") : (c->resp_pkts ? "SHR" : "OTH");
    memcpy(c->conn_state, st, strlen(st) + 1);
    /* History: D / d once per direction with payload (Zeek's UDP analyzer). */
    size_t n = 0;
    if (c->orig_pkts)
        c->history[n++] = 'D';
    if (c->resp_pkts)
        c->history[n++] = 'd';
    c->history[n] = '\0';
}

static void track_udp(struct tracker *t, const struct dissection *d, int64_t now_ns, int64_t ts_sec,
                      uint32_t ts_nsec, uint64_t frame, struct track_info *ti)
{
    const struct dis_summary *s = &d->sum;
    struct flow_key k;
    bool a_is_src;
    flow_key_make(&k, PS_IPPROTO_UDP, s->addr_len, s->src, s->dst, s->sport, s->dport,
                  s->has_vlan ? s->vlan_id : 0, 0, &a_is_src);
    uint32_t idx = flow_lookup(&t->ft, &k);
    struct flow *f;
    struct conn *c;
    bool from_orig;
    if (idx == FLOW_NONE) {
        uint32_t prev = stream_previous(t, &k);
        idx = flow_insert(&t->ft, &k, now_ns);
        f = flow_at(&t->ft, idx);
        from_orig = true;
        if (prev != FLOW_NONE) {
            c = conn_continue(t, f, &k, prev, a_is_src, &from_orig, d, ts_sec, ts_nsec, frame);
        } else {
            f->orig_is_a = a_is_src;
            c = conn_new(t, f, d, true, ts_sec, ts_nsec, frame);
        }
    } else {
        f = flow_at(&t->ft, idx);
        flow_touch(&t->ft, idx, now_ns);
        from_orig = f->orig_is_a == a_is_src;
        c = conn_at(tracker_conns(t, PS_IPPROTO_UDP), f->conn);
    }
    conn_count(t, c, d, from_orig, ts_sec, ts_nsec, frame, s->payload_len);
    udp_outcome(c);
    ti->proto = PS_IPPROTO_UDP;
    ti->stream = c->id;
    ti->roles = c->roles;
    ti->flags |= TI_HAS_STREAM | (from_orig ? TI_FROM_ORIG : 0);
}

static bool icmp_is_error(uint8_t proto, uint8_t type)
{
    if (proto == PS_IPPROTO_ICMP)
        return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    return type < 128; /* ICMPv6: types 0-127 are errors (RFC 4443) */
}

static bool icmp_is_request(uint8_t proto, uint8_t type)
{
    return proto == PS_IPPROTO_ICMP ? type == 8 : type == 128;
}

/* Links an ICMP error to the connection of the packet it quotes. */
static void icmp_related(struct tracker *t, const struct dissection *d, struct track_info *ti)
{
    const struct dis_summary *s = &d->sum;
    if (!s->has_quoted || (s->q_l4 != PS_IPPROTO_TCP && s->q_l4 != PS_IPPROTO_UDP) ||
        s->q_addr_len != s->addr_len)
        return;
    struct flow_key k;
    bool a_is_src;
    flow_key_make(&k, s->q_l4, s->q_addr_len, s->q_src, s->q_dst, s->q_sport, s->q_dport,
                  s->has_vlan ? s->vlan_id : 0, 0, &a_is_src);
    uint32_t idx = flow_lookup(&t->ft, &k);
    if (idx == FLOW_NONE)
        return;
    ti->flags |= TI_HAS_RELATED;
    ti->related_proto = s->q_l4;
    ti->related_stream = flow_at(&t->ft, idx)->conn;
}

static void track_icmp(struct tracker *t, const struct dissection *d, int64_t now_ns,
                       int64_t ts_sec, uint32_t ts_nsec, uint64_t frame, struct track_info *ti)
{
    const struct dis_summary *s = &d->sum;
    uint8_t proto = s->l4;
    if (icmp_is_error(proto, s->icmp_type))
        icmp_related(t, d, ti);
    struct flow_key k;
    bool a_is_src;
    uint16_t pa = s->icmp_is_echo ? s->icmp_id : s->icmp_type;
    uint16_t pb = s->icmp_is_echo ? s->icmp_id : s->icmp_code;
    flow_key_make(&k, proto, s->addr_len, s->src, s->dst, pa, pb, s->has_vlan ? s->vlan_id : 0,
                  s->icmp_is_echo ? 1 : 2, &a_is_src);
    uint32_t idx = flow_lookup(&t->ft, &k);
    struct flow *f;
    struct conn *c;
    bool from_orig;
    uint32_t prev = idx == FLOW_NONE ? stream_previous(t, &k) : FLOW_NONE;
    if (prev != FLOW_NONE) {
        idx = flow_insert(&t->ft, &k, now_ns);
        f = flow_at(&t->ft, idx);
        from_orig = !s->icmp_is_echo || icmp_is_request(proto, s->icmp_type);
        c = conn_continue(t, f, &k, prev, a_is_src, &from_orig, d, ts_sec, ts_nsec, frame);
    } else if (idx == FLOW_NONE) {
        idx = flow_insert(&t->ft, &k, now_ns);
        f = flow_at(&t->ft, idx);
        /* An echo reply seen first: its receiver asked. */
        from_orig = !s->icmp_is_echo || icmp_is_request(proto, s->icmp_type);
        f->orig_is_a = from_orig ? a_is_src : !a_is_src;
        c = conn_new(t, f, d, from_orig, ts_sec, ts_nsec, frame);
        c->midstream = !from_orig;
    } else {
        f = flow_at(&t->ft, idx);
        flow_touch(&t->ft, idx, now_ns);
        from_orig = f->orig_is_a == a_is_src;
        c = conn_at(tracker_conns(t, proto), f->conn);
    }
    /* Zeek counts an ICMP message's bytes after its 8-byte header. */
    uint32_t payload = s->l4_declared_len > 8 ? s->l4_declared_len - 8 : 0;
    conn_count(t, c, d, from_orig, ts_sec, ts_nsec, frame, payload);
    memcpy(c->conn_state, "OTH", 4);
    if (s->icmp_is_echo) {
        struct icmp_flow *ic = &f->u.icmp;
        unsigned slot = s->icmp_seq % 8u;
        if (icmp_is_request(proto, s->icmp_type)) {
            ic->req_seq[slot] = s->icmp_seq;
            ic->req_time[slot] = now_ns;
            ic->req_valid |= (uint8_t)(1u << slot);
        } else if ((ic->req_valid & (1u << slot)) && ic->req_seq[slot] == s->icmp_seq &&
                   now_ns >= ic->req_time[slot]) {
            int64_t rtt = ns_sub(now_ns, ic->req_time[slot]);
            ic->req_valid &= (uint8_t) ~(1u << slot);
            ti->flags |= TI_HAS_RTT;
            ti->rtt_usec = rtt / 1000 > UINT32_MAX ? UINT32_MAX : (uint32_t)(rtt / 1000);
            if (c->rtt_nsec < 0)
                c->rtt_nsec = rtt;
        }
    }
    ti->proto = proto;
    ti->stream = c->id;
    ti->roles = c->roles;
    ti->flags |= TI_HAS_STREAM | (from_orig ? TI_FROM_ORIG : 0) | (c->midstream ? TI_MIDSTREAM : 0);
}

enum reasm_segment tracker_segment_kind(const struct tracker *t, const struct dissection *d,
                                        int64_t ts_sec, uint32_t ts_nsec)
{
    const struct dis_summary *s = &d->sum;
    if (!t || s->l4 != PS_IPPROTO_TCP || (s->addr_len != 4 && s->addr_len != 16) ||
        s->is_fragment || s->tcp_hdr_len < 20)
        return REASM_SEGMENT_NEW;
    struct flow_key k;
    bool a_is_src;
    flow_key_make(&k, PS_IPPROTO_TCP, s->addr_len, s->src, s->dst, s->sport, s->dport,
                  s->has_vlan ? s->vlan_id : 0, 0, &a_is_src);
    uint32_t idx = flow_lookup(&t->ft, &k);
    if (idx == FLOW_NONE)
        return REASM_SEGMENT_NEW;
    const struct flow *f = flow_at(&t->ft, idx);
    bool from_orig = f->orig_is_a == a_is_src;
    if (tcp_is_reuse(f, d, from_orig))
        return REASM_SEGMENT_NEW;
    /* Wireshark's flags: its fast retransmission is not also a "retransmission". */
    uint32_t ta = tcp_resend(f, d, from_orig, ptime_ns(ts_sec, ts_nsec));
    if (ta & TA_FAST_RETRANSMISSION)
        return REASM_SEGMENT_NEW;
    if (ta & TA_RETRANSMISSION)
        return REASM_SEGMENT_RESENT;
    return (ta & TA_OUT_OF_ORDER) ? REASM_SEGMENT_OUT_OF_ORDER : REASM_SEGMENT_NEW;
}

static void track_tcp_packet(struct tracker *t, const struct dissection *d, int64_t now_ns,
                             int64_t ts_sec, uint32_t ts_nsec, uint64_t frame,
                             struct track_info *ti)
{
    const struct dis_summary *s = &d->sum;
    struct flow_key k;
    bool a_is_src;
    flow_key_make(&k, PS_IPPROTO_TCP, s->addr_len, s->src, s->dst, s->sport, s->dport,
                  s->has_vlan ? s->vlan_id : 0, 0, &a_is_src);
    uint32_t idx = flow_lookup(&t->ft, &k);
    bool reused = false;
    if (idx != FLOW_NONE) {
        struct flow *f = flow_at(&t->ft, idx);
        bool from_orig = f->orig_is_a == a_is_src;
        if (tcp_is_reuse(f, d, from_orig)) {
            struct conn *old = conn_at(tracker_conns(t, PS_IPPROTO_TCP), f->conn);
            old->closed = true;
            if (t->cfg.conn_end) {
                old->ended = true;
                t->cfg.conn_end(t->cfg.conn_ctx, old);
            }
            flow_remove(&t->ft, idx);
            idx = FLOW_NONE;
            reused = true;
        }
    }
    struct flow *f;
    struct conn *c;
    bool from_orig;
    /* A flow that timed out or was evicted continues its stream, as in Wireshark, unless a
     * SYN opens a new connection. */
    uint32_t prev = FLOW_NONE;
    if (idx == FLOW_NONE && !reused) {
        if ((s->tcp_flags & (TCP_SYN | TCP_ACK)) != TCP_SYN)
            prev = stream_previous(t, &k);
        else if (stream_previous(t, &k) != FLOW_NONE)
            /* A SYN on ports whose earlier connection's flow is gone (over, or idle): Wireshark
             * still holds that conversation, so this is "TCP Port numbers reused" there. */
            reused = true;
    }
    if (idx == FLOW_NONE) {
        idx = flow_insert(&t->ft, &k, now_ns);
        f = flow_at(&t->ft, idx);
        from_orig = tcp_first_packet(f, d, a_is_src);
        if (prev != FLOW_NONE) {
            c = conn_continue(t, f, &k, prev, a_is_src, &from_orig, d, ts_sec, ts_nsec, frame);
        } else {
            c = conn_new(t, f, d, from_orig, ts_sec, ts_nsec, frame);
        }
    } else {
        f = flow_at(&t->ft, idx);
        flow_touch(&t->ft, idx, now_ns);
        from_orig = f->orig_is_a == a_is_src;
        c = conn_at(tracker_conns(t, PS_IPPROTO_TCP), f->conn);
    }
    /* Wireshark analyses a segment only when its length is known: not in an IP fragment, not
     * with a data offset below 20 or beyond the IP payload. Others get their stream and raw
     * numbers, and change no state. */
    uint32_t declared = s->l4_declared_len ? s->l4_declared_len : dis_find_layer(d, PROTO_TCP)->len;
    bool analysable = !s->is_fragment && s->tcp_hdr_len >= 20 && s->tcp_hdr_len <= declared;
    tcp_track(t, f, c, d, frame, from_orig, analysable, now_ns, ti);
    if (reused)
        ti->analysis |= TA_REUSED_PORTS;
    if (ti->analysis & (TA_RETRANSMISSION | TA_FAST_RETRANSMISSION | TA_SPURIOUS_RETRANSMISSION))
        c->retransmissions++;
    /* Zeek counts TCP bytes by sequence space, not payloads: tcp_update_outcome() sets them. */
    conn_count(t, c, d, from_orig, ts_sec, ts_nsec, frame, 0);
    tcp_update_outcome(f, c);
    /* Over: its flow state goes tcp_over_sec after its last packet instead of the idle
     * timeout's 5 minutes, as in Zeek, so memory follows the connections that are live. */
    if (tcp_is_over(f))
        flow_set_lru_class(&t->ft, idx, LRU_TCP_OVER);
    ti->proto = PS_IPPROTO_TCP;
    ti->stream = c->id;
    ti->roles = c->roles;
    ti->flags |= TI_HAS_STREAM | (from_orig ? TI_FROM_ORIG : 0);
}

/* A timestamp in nanoseconds, saturated: a damaged capture may carry any time, and the
 * arithmetic must not overflow. */
static int64_t time_ns(int64_t sec, uint32_t nsec)
{
    return ptime_ns(sec, nsec);
}

void tracker_packet(struct tracker *t, const struct dissection *d, int64_t ts_sec, uint32_t ts_nsec,
                    uint64_t frame_number, struct track_info *info)
{
    clear_small(info, sizeof(*info));
    if (!t || !d)
        return;
    const struct dis_summary *s = &d->sum;
    /* Every frame's time moves the clock flows expire by, whatever it carries: so each frame
     * ends the same flows whether or not this tracker is told of its contents (--threads
     * tells a tracker only of its share, and of the others' times by tracker_expire). */
    int64_t now_ns = time_ns(ts_sec, ts_nsec);
    flow_expire(&t->ft, now_ns);
    if (s->l3 == L3_ARP) {
        pairing_arp(t->pairing, d, now_ns, frame_number, info);
        return;
    }
    if (s->addr_len != 4 && s->addr_len != 16)
        return;
    if (s->later_fragment)
        return; /* no transport header: Wireshark does not track it either */
    switch (s->l4) {
    case PS_IPPROTO_TCP: {
        /* Ports, seq, ack and window must be there; the rest of the header may be damaged. */
        const struct layer *l = dis_find_layer(d, PROTO_TCP);
        if (l && l->len >= 20 && s->tcp_hdr_len)
            track_tcp_packet(t, d, now_ns, ts_sec, ts_nsec, frame_number, info);
        if (s->app_proto == PROTO_FTP)
            expect_note(&t->expect, d, now_ns);
        if (info->flags & TI_HAS_STREAM) {
            const struct conn *c = tracker_conn(t, PS_IPPROTO_TCP, info->stream);
            info->announced = c ? c->announced : ANNOUNCE_NONE;
        }
        break;
    }
    case PS_IPPROTO_UDP:
        if (dis_find_layer(d, PROTO_UDP))
            track_udp(t, d, now_ns, ts_sec, ts_nsec, frame_number, info);
        if (d->sum.app_proto == PROTO_DHCP)
            dhcp_track(t, d, frame_number, info);
        break;
    case PS_IPPROTO_ICMP:
        if (dis_find_layer(d, PROTO_ICMP))
            track_icmp(t, d, now_ns, ts_sec, ts_nsec, frame_number, info);
        break;
    case PS_IPPROTO_ICMPV6:
        if (dis_find_layer(d, PROTO_ICMPV6))
            track_icmp(t, d, now_ns, ts_sec, ts_nsec, frame_number, info);
        break;
    default:
        break;
    }
    if (info->flags & TI_HAS_STREAM) {
        const struct conn *c = tracker_conn(t, info->proto, info->stream);
        if (c)
            info->app_version = c->app_version;
    }
    pairing_packet(t->pairing, d, now_ns, frame_number, info);
}

/* ---- live --conns: is a connection over? ------------------------------------------------ */

const char *tracker_server_name(const struct tracker *t, const struct conn *c)
{
    return t && c ? server_name_at(&t->names, c->server_name) : NULL;
}

bool tracker_conn_closed(const struct tracker *t, uint8_t proto, uint32_t stream)
{
    const struct conn *c = tracker_conn(t, proto, stream);
    if (!c)
        return false;
    if (c->closed)
        return true;
    if (proto != PS_IPPROTO_TCP)
        return false;
    bool o = c->state_orig == TCPS_CLOSED || c->state_orig == TCPS_TIME_WAIT;
    bool r = c->state_resp == TCPS_CLOSED || c->state_resp == TCPS_TIME_WAIT;
    return o && r;
}

void tracker_expire(struct tracker *t, int64_t sec, uint32_t nsec)
{
    if (!t)
        return;
    flow_expire(&t->ft, time_ns(sec, nsec));
}

int tracker_ending_idle_list(const struct tracker *t)
{
    return t && t->ft.expiring ? t->ending_idle_list : -1;
}
