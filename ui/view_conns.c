/*
 * The connections view: the tracker's connection table (format/conns.h rows, the same text as
 * --conns), sortable by any column (< > choose the column, r reverses). Enter shows the
 * connection's packets (a tcp.stream == N display filter), L its ladder, F its payload.
 * Connections that appear while the view is open are added at the next redraw.
 */
#include <stdlib.h>
#include <string.h>

#include "dissect/numbers.h"
#include "format/conns.h"
#include "ui/internal.h"
#include "ui/settings.h"
#include "util/ptime.h"

struct conn_ref {
    uint8_t proto;
    uint32_t id;
};

struct conns_priv {
    struct conn_ref *v;
    size_t n, cap;
    size_t built_total;
    int64_t built_ms;
    /* Widths follow the data: the widest cell each column has shown (never narrower, so the
     * columns stay put while scrolling). */
    uint16_t width[CONNS_COL__COUNT];
    int first;            /* sideways scroll: the first column after ID that is shown */
    struct conn_ref save; /* the connection whose packets w is writing */
    /* Stepped back (the tracker has seen packets past the one shown): the rows as of the packet
     * shown, one per row of v, counted again from the index (asof_n rows; 0: the tracker's). */
    struct conn *asof;
    size_t asof_n, asof_cap;
    size_t built_limit; /* ui_asof_count() when built */
};

/* The widest a column grows before its text is cut (with an ellipsis). */
#define CONNS_MAX_WIDTH 47

static const uint8_t protos[] = {PS_IPPROTO_TCP, PS_IPPROTO_UDP, PS_IPPROTO_ICMP,
                                 PS_IPPROTO_ICMPV6};

static int64_t duration_ns(const struct conn *c)
{
    return ptime_diff(c->last_sec, c->last_nsec, c->first_sec, c->first_nsec);
}

static int cmp_u64_desc(uint64_t a, uint64_t b)
{
    return a < b ? 1 : a > b ? -1 : 0; /* biggest first */
}

static int cmp_addr(const struct conn *a, const struct conn *b, bool orig)
{
    int c = a->addr_len != b->addr_len ? (a->addr_len < b->addr_len ? -1 : 1)
                                       : memcmp(orig ? a->orig_addr : a->resp_addr,
                                                orig ? b->orig_addr : b->resp_addr, a->addr_len);
    uint16_t pa = orig ? a->orig_port : a->resp_port, pb = orig ? b->orig_port : b->resp_port;
    return c ? c : pa < pb ? -1 : pa > pb;
}

/* The sort column's order of two summaries (0: the same; the tie-breaks are cmp_key's). */
static int cmp_col(const struct ui *ui, const struct conn *a, const struct conn *b)
{
    switch ((enum conns_col)ui->conns_sort) {
    case CONNS_COL_ID:
        return 0; /* the first packet: stream numbers count up in that order */
    case CONNS_COL_PROTO:
        return a->proto < b->proto ? -1 : a->proto > b->proto;
    case CONNS_COL_CLIENT:
    case CONNS_COL_SERVER:
        return cmp_addr(a, b, ui->conns_sort == CONNS_COL_CLIENT);
    case CONNS_COL_STATE:
        return strcmp(a->conn_state, b->conn_state);
    case CONNS_COL_PKTS:
        return cmp_u64_desc(a->orig_pkts + a->resp_pkts, b->orig_pkts + b->resp_pkts);
    case CONNS_COL_BYTES:
        return cmp_u64_desc(a->orig_bytes + a->resp_bytes, b->orig_bytes + b->resp_bytes);
    case CONNS_COL_DURATION: {
        int64_t da = duration_ns(a), db = duration_ns(b);
        return da < db ? 1 : da > db ? -1 : 0;
    }
    default: {
        /* Text columns (service, endpoint states, server name): by the text shown. */
        char ba[128], bb[128];
        struct strbuf sa, sb;
        sb_init(&sa, ba, sizeof(ba));
        sb_init(&sb, bb, sizeof(bb));
        conns_cell(ui_tracker(ui), a, (enum conns_col)ui->conns_sort, &sa);
        conns_cell(ui_tracker(ui), b, (enum conns_col)ui->conns_sort, &sb);
        return strcmp(ba, bb);
    }
    }
}

/*
 * A text column's keys: the distinct texts (few, for service, role and endpoint states) are
 * ranked, so that each row's key is its text's rank and exact; past RANK_MAX distinct texts
 * (server names may all differ) the keys are the texts' first bytes.
 */
#define RANK_MAX 4096u
#define RANK_SLOTS (2 * RANK_MAX) /* open addressing, at most half full */
#define RANK_TEXT 128

struct rank_table {
    char (*text)[RANK_TEXT];
    uint32_t n;
    uint32_t slot[RANK_SLOTS]; /* text index + 1, 0 empty */
};

/*
 * A row as the sort sees it, made in one pass over the summaries (most of them read back from
 * disk, conns_store.c, where reading two at each comparison would be random reads): the sort
 * column as a number whose order is the column's (cmp_col), then the tie-break, the row's place
 * in the order of first packets. 16 bytes, as a million of them are what the sort holds at its
 * peak. A text or address key may hold only the start of its value (key_exact() false): equal
 * keys are then settled by reading both summaries.
 */
struct sort_key {
    uint64_t key;
    uint32_t id;
    uint32_t order; /* the place in first-packet order << 2 | the protocol (protos[]) */
};

#define SORT_ROWS_MAX (UINT32_C(1) << 30) /* what order can number */

/* Up to 7 bytes of s, big-endian, so that the number's order is strcmp's, then a low byte of
 * 1 when s goes on past them (inexact) and 0 when it ends within them. */
static uint64_t text_key(const char *s, size_t len)
{
    uint64_t k = 0;
    for (size_t i = 0; i < 7; i++)
        k = k << 8 | (i < len ? (uint8_t)s[i] : 0);
    return k << 8 | (len > 7);
}

/* Whether a key of the sort column holds the whole value: numbers do; texts and addresses
 * say so in their low byte. */
static bool key_exact(const struct ui *ui, uint64_t key)
{
    switch ((enum conns_col)ui->conns_sort) {
    case CONNS_COL_ID:
    case CONNS_COL_PROTO:
    case CONNS_COL_PKTS:
    case CONNS_COL_BYTES:
    case CONNS_COL_DURATION:
        return true;
    default:
        return (key & 0xff) == 0;
    }
}

/* Row c's key; for a text column, its text in cell (RANK_TEXT bytes) too. */
static uint64_t make_key(const struct ui *ui, const struct conn *c, char *cell)
{
    switch ((enum conns_col)ui->conns_sort) {
    case CONNS_COL_ID:
        return 0; /* the first packet decides */
    case CONNS_COL_PROTO:
        return c->proto;
    case CONNS_COL_CLIENT:
    case CONNS_COL_SERVER: {
        bool orig = ui->conns_sort == CONNS_COL_CLIENT;
        const uint8_t *addr = orig ? c->orig_addr : c->resp_addr;
        uint64_t port = orig ? c->orig_port : c->resp_port;
        if (c->addr_len == 4) /* below every longer address, as cmp_addr has it; exact */
            return (uint64_t)addr[0] << 48 | (uint64_t)addr[1] << 40 | (uint64_t)addr[2] << 32 |
                   (uint64_t)addr[3] << 24 | port << 8;
        uint64_t k = (uint64_t)c->addr_len << 56;
        for (unsigned i = 0; i < 6 && i < c->addr_len; i++)
            k |= (uint64_t)addr[i] << (48 - 8 * i);
        return k | 1; /* the rest of the address and the port: read when equal */
    }
    case CONNS_COL_STATE:
        return text_key(c->conn_state, strnlen(c->conn_state, sizeof(c->conn_state)));
    case CONNS_COL_PKTS:
        return ~(c->orig_pkts + c->resp_pkts); /* biggest first */
    case CONNS_COL_BYTES:
        return ~(c->orig_bytes + c->resp_bytes);
    case CONNS_COL_DURATION:
        return ~((uint64_t)duration_ns(c) ^ (UINT64_C(1) << 63)); /* longest first */
    default: {
        struct strbuf sb;
        sb_init(&sb, cell, RANK_TEXT);
        conns_cell(ui_tracker(ui), c, (enum conns_col)ui->conns_sort, &sb);
        return text_key(cell, strnlen(cell, RANK_TEXT));
    }
    }
}

static int cmp_key(const void *x, const void *y, void *arg)
{
    const struct ui *ui = arg;
    const struct sort_key *a = x, *b = y;
    int c = a->key < b->key ? -1 : a->key > b->key;
    if (!c && !key_exact(ui, a->key)) {
        /* Two buffers: a summary read back lives in its caller's. */
        struct conn ba, bb;
        const struct conn *ca = ui_conn(ui, protos[a->order & 3], a->id, &ba);
        const struct conn *cb = ui_conn(ui, protos[b->order & 3], b->id, &bb);
        if (ca && cb)
            c = cmp_col(ui, ca, cb);
    }
    if (!c)
        c = a->order < b->order ? -1 : a->order > b->order;
    return ui->conns_reverse ? -c : c;
}

/*
 * The connections as of the packet shown when the tracker has seen more (a step back, or a
 * pause while the file is read on): those begun by then, each as the tracker had it right after
 * its last packet up to there (ingest.c keeps that copy while stepping or pacing). Without the
 * copy (a pause while the file is read on whole) the packet counts, last packet and time and the
 * endpoints' states are counted again from the packets' track_info; Zeek's conn_state, history
 * and byte counts are then the tracker's own, of the later packets too.
 */
static void asof_rows(struct ui *ui, struct conns_priv *p, size_t limit)
{
    uint64_t limit_frame = ui->idx.base + limit;
    size_t kept = 0;
    for (size_t i = 0; i < p->n; i++) {
        struct conn buf;
        const struct conn *c = ui_conn(ui, p->v[i].proto, p->v[i].id, &buf);
        if (c && c->first_packet && c->first_packet <= limit_frame)
            p->v[kept++] = p->v[i];
    }
    p->n = kept;
    p->asof = xgrow(p->asof, &p->asof_cap, p->n ? p->n : 1, sizeof(*p->asof));
    /* Rows by protocol and stream number (dense from 0), to find a packet's row at once. */
    uint32_t *row_of[ARRAY_SIZE(protos)] = {NULL};
    size_t row_n[ARRAY_SIZE(protos)] = {0};
    for (unsigned k = 0; k < ARRAY_SIZE(protos); k++) {
        row_n[k] = tracker_conn_count(ui_tracker(ui), protos[k]);
        row_of[k] = xcalloc(row_n[k] ? row_n[k] : 1, sizeof(uint32_t));
    }
    for (size_t i = 0; i < p->n; i++) {
        struct conn *a = &p->asof[i];
        const struct conn *c = ui_conn(ui, p->v[i].proto, p->v[i].id, a);
        if (c && c != a)
            *a = *c;
        a->orig_pkts = a->resp_pkts = 0;
        a->last_packet = a->first_packet;
        a->last_sec = a->first_sec;
        a->last_nsec = a->first_nsec;
        for (unsigned k = 0; k < ARRAY_SIZE(protos); k++)
            if (protos[k] == a->proto && a->id < row_n[k])
                row_of[k][a->id] = (uint32_t)i + 1;
    }
    for (size_t i = 0; i < limit && i < ui->idx.n; i++) {
        struct track_info ti_buf;
        const struct track_info *ti = index_ti(&ui->idx, i, &ti_buf);
        if (!(ti->flags & TI_HAS_STREAM))
            continue;
        for (unsigned k = 0; k < ARRAY_SIZE(protos); k++) {
            if (protos[k] != ti->proto || ti->stream >= row_n[k] || !row_of[k][ti->stream])
                continue;
            struct conn *a = &p->asof[row_of[k][ti->stream] - 1];
            bool orig = ti->flags & TI_FROM_ORIG;
            if (orig)
                a->orig_pkts++;
            else
                a->resp_pkts++;
            a->last_packet = ui_frame(ui, i);
            struct pkt_entry e;
            a->last_sec = index_entry(&ui->idx, i, &e)->ts_sec;
            a->last_nsec = e.ts_nsec;
            if (ti->proto == PS_IPPROTO_TCP && (ti->state_src || ti->state_dst)) {
                a->state_orig = orig ? ti->state_src : ti->state_dst;
                a->state_resp = orig ? ti->state_dst : ti->state_src;
            }
        }
    }
    for (unsigned k = 0; k < ARRAY_SIZE(protos); k++)
        free(row_of[k]);
    for (size_t i = 0; i < p->n; i++) {
        size_t last = p->asof[i].last_packet > ui->idx.base
                          ? (size_t)(p->asof[i].last_packet - ui->idx.base - 1)
                          : SIZE_MAX;
        const struct conn *after = last != SIZE_MAX ? ingest_conn_after(ui, last) : NULL;
        if (after && after->proto == p->asof[i].proto && after->id == p->asof[i].id)
            p->asof[i] = *after;
    }
    p->asof_n = p->n;
}

/* Row i's connection: as of the packet shown, or the tracker's or stored one (in *buf). */
static const struct conn *row_conn(struct ui *ui, const struct conns_priv *p, size_t i,
                                   struct conn *buf)
{
    if (i >= p->n)
        return NULL;
    if (p->asof_n)
        return &p->asof[i];
    return ui_conn(ui, p->v[i].proto, p->v[i].id, buf);
}

/* Text s's index in the table (added if new), or -1 when the table is full. */
static int64_t rank_find(struct rank_table *rt, const char *s, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (uint8_t)s[i]) * 16777619u;
    for (uint32_t j = h % RANK_SLOTS;; j = (j + 1) % RANK_SLOTS) {
        if (!rt->slot[j]) {
            if (rt->n >= RANK_MAX)
                return -1;
            memcpy(rt->text[rt->n], s, len);
            rt->text[rt->n][len] = '\0';
            rt->slot[j] = ++rt->n;
            return rt->n - 1;
        }
        if (!strcmp(rt->text[rt->slot[j] - 1], s))
            return rt->slot[j] - 1;
    }
}

static int cmp_rank(const void *x, const void *y, void *arg)
{
    const struct rank_table *rt = arg;
    return strcmp(rt->text[*(const uint32_t *)x], rt->text[*(const uint32_t *)y]);
}

/* The keys of every row (at most n) in one pass over the summaries, in first-packet order (a
 * merge of the protocols' streams, each in that order); returns how many, or SIZE_MAX when rt
 * (the texts of a text column, NULL for others) filled up. */
static size_t fill_keys(const struct ui *ui, struct sort_key *keys, size_t n, struct rank_table *rt)
{
    size_t pos[ARRAY_SIZE(protos)] = {0};
    struct conn buf[ARRAY_SIZE(protos)];
    const struct conn *head[ARRAY_SIZE(protos)];
    for (unsigned i = 0; i < ARRAY_SIZE(protos); i++)
        head[i] = ui_conn_next(ui, protos[i], &pos[i], &buf[i]);
    size_t k = 0;
    while (k < n && k < SORT_ROWS_MAX) {
        int best = -1;
        for (unsigned i = 0; i < ARRAY_SIZE(protos); i++)
            if (head[i] && (best < 0 || head[i]->first_packet < head[best]->first_packet ||
                            (head[i]->first_packet == head[best]->first_packet &&
                             head[i]->proto < head[best]->proto)))
                best = (int)i;
        if (best < 0)
            break;
        char cell[RANK_TEXT];
        struct sort_key *key = &keys[k];
        key->key = make_key(ui, head[best], cell);
        key->id = head[best]->id;
        key->order = (uint32_t)k << 2 | (uint32_t)best;
        k++;
        head[best] = ui_conn_next(ui, protos[best], &pos[best], &buf[best]);
        if (!rt)
            continue;
        int64_t r = rank_find(rt, cell, strnlen(cell, sizeof(cell)));
        if (r < 0)
            return SIZE_MAX;
        key->key = (uint64_t)r; /* made a rank below */
    }
    return k;
}

/* The keys of every row (at most n); returns how many. */
static size_t make_keys(const struct ui *ui, struct sort_key *keys, size_t n)
{
    bool text = ui->conns_sort == CONNS_COL_SERVICE || ui->conns_sort == CONNS_COL_ROLE ||
                ui->conns_sort == CONNS_COL_ENDPOINTS || ui->conns_sort == CONNS_COL_SERVER_NAME;
    if (!text)
        return fill_keys(ui, keys, n, NULL);
    struct rank_table *rt = xcalloc(1, sizeof(*rt));
    rt->text = xmalloc(RANK_MAX * sizeof(*rt->text));
    size_t k = fill_keys(ui, keys, n, rt);
    if (k == SIZE_MAX) { /* too many texts: their first bytes, the rest read when equal */
        k = fill_keys(ui, keys, n, NULL);
    } else {
        uint32_t *order = xmalloc((rt->n ? rt->n : 1) * sizeof(*order));
        uint32_t *rank = xmalloc((rt->n ? rt->n : 1) * sizeof(*rank));
        for (uint32_t r = 0; r < rt->n; r++)
            order[r] = r;
        qsort_r(order, rt->n, sizeof(*order), cmp_rank, rt);
        for (uint32_t r = 0; r < rt->n; r++)
            rank[order[r]] = r;
        for (size_t r = 0; r < k; r++)
            keys[r].key = (uint64_t)rank[keys[r].key] << 8; /* exact */
        free(order);
        free(rank);
    }
    free(rt->text);
    free(rt);
    return k;
}

static void swap_keys(struct sort_key *a, struct sort_key *b)
{
    struct sort_key t = *a;
    *a = *b;
    *b = t;
}

/* In place (qsort_r of glibc 2.36 takes a copy of the array: 24 MB more for a million rows);
 * no two keys compare equal, the tie-breaks being the row's own. */
static void sort_keys(const struct ui *ui, struct sort_key *v, size_t n)
{
    void *arg = (void *)(uintptr_t)ui;
    while (n > 16) {
        size_t mid = n / 2;
        if (cmp_key(&v[mid], &v[0], arg) < 0)
            swap_keys(&v[mid], &v[0]);
        if (cmp_key(&v[n - 1], &v[0], arg) < 0)
            swap_keys(&v[n - 1], &v[0]);
        if (cmp_key(&v[n - 1], &v[mid], arg) < 0)
            swap_keys(&v[n - 1], &v[mid]);
        swap_keys(&v[mid], &v[n - 2]); /* the median of three, the pivot */
        struct sort_key *pivot = &v[n - 2];
        size_t i = 0, j = n - 2;
        for (;;) {
            while (cmp_key(&v[++i], pivot, arg) < 0)
                ;
            while (j > 0 && cmp_key(pivot, &v[--j], arg) < 0)
                ;
            if (i >= j)
                break;
            swap_keys(&v[i], &v[j]);
        }
        swap_keys(&v[i], &v[n - 2]);
        /* The smaller side by recursion (depth at most log n), the larger by the loop. */
        if (i < n - i - 1) {
            sort_keys(ui, v, i);
            v += i + 1;
            n -= i + 1;
        } else {
            sort_keys(ui, v + i + 1, n - i - 1);
            n = i;
        }
    }
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && cmp_key(&v[j], &v[j - 1], arg) < 0; j--)
            swap_keys(&v[j], &v[j - 1]);
}

static void rebuild(struct ui *ui, struct view *v)
{
    struct conns_priv *p = v->priv;
    struct conn_ref keep = {0, 0};
    bool have_keep = p->n && v->cur < p->n;
    if (have_keep)
        keep = p->v[v->cur];
    size_t total = 0, n = 0;
    for (unsigned i = 0; i < ARRAY_SIZE(protos); i++) {
        total += tracker_conn_count(ui_tracker(ui), protos[i]);
        n += ui_conn_rows(ui, protos[i]);
    }
    /* The rows are made again from the keys, in their place: the old ones go first, so that
     * only the keys (16 bytes a row) are held at the peak. */
    free(p->v);
    p->v = NULL;
    p->n = p->cap = 0;
    _Static_assert(sizeof(struct sort_key) >= sizeof(struct conn_ref), "rows made in place");
    struct sort_key *keys = xmalloc((n ? n : 1) * sizeof(*keys));
    n = make_keys(ui, keys, n);
    sort_keys(ui, keys, n);
    /* Row r's 8 bytes overlap only keys r/2 and before, read already (memcpy: bytes, which
     * may alias the keys, so the compiler keeps the order). */
    for (size_t r = 0; r < n; r++) {
        struct conn_ref ref = {protos[keys[r].order & 3], keys[r].id};
        memcpy((char *)keys + r * sizeof(ref), &ref, sizeof(ref));
    }
    p->v = xrealloc(keys, (n ? n : 1) * sizeof(*p->v));
    p->n = n;
    p->cap = n ? n : 1;
    size_t limit = ui_asof_count(ui);
    /* A step back forgets the widths the later packets made, as if they were never seen. */
    if (limit < p->built_limit)
        memset(p->width, 0, sizeof(p->width));
    p->asof_n = 0;
    p->built_limit = limit;
    if (limit < ui->idx.n)
        asof_rows(ui, p, limit);
    if (have_keep)
        for (size_t i = 0; i < p->n; i++)
            if (p->v[i].proto == keep.proto && p->v[i].id == keep.id) {
                v->cur = i;
                break;
            }
    p->built_total = total;
    p->built_ms = ui_now_ms();
}

static size_t total_conns(struct ui *ui)
{
    size_t t = 0;
    for (unsigned i = 0; i < ARRAY_SIZE(protos); i++)
        t += tracker_conn_count(ui_tracker(ui), protos[i]);
    return t;
}

static void conns_open(struct ui *ui, struct view *v)
{
    struct conns_priv *p = xcalloc(1, sizeof(*p));
    v->priv = p;
    rebuild(ui, v);
    /* Start on the selected packet's connection. */
    if (ui->cur_idx != SIZE_MAX) {
        struct track_info ti_buf;
        const struct track_info *ti = index_ti(&ui->idx, ui->cur_idx, &ti_buf);
        if (ti->flags & TI_HAS_STREAM)
            for (size_t i = 0; i < p->n; i++)
                if (p->v[i].proto == ti->proto && p->v[i].id == ti->stream) {
                    v->cur = i;
                    break;
                }
    }
}

static void conns_close(struct ui *ui, struct view *v)
{
    (void)ui;
    struct conns_priv *p = v->priv;
    if (p) {
        free(p->v);
        free(p->asof);
        free(p);
    }
}

/* The sort column's mark in the header. */
static const char *sort_mark(const struct ui *ui)
{
    /* Numbers sort biggest first, text A to Z: the arrow shows which way the rows go. */
    bool down = conns_cols[ui->conns_sort].right != ui->conns_reverse;
    if (ui->conns_sort == CONNS_COL_ID)
        down = ui->conns_reverse;
    return ui->utf8 ? (down ? "\xe2\x96\xbc" : "\xe2\x96\xb2") : (down ? "v" : "^");
}

static size_t header_width(const struct ui *ui, int col)
{
    return strlen(conns_cols[col].header) + (ui->conns_sort == col ? 1 : 0);
}

/* Which columns fit in `width`: ID, then from the scrolled-to column on, the least important
 * giving way first; the columns that are never left out are narrowed to fit instead. */
static int layout(const struct ui *ui, struct conns_priv *p, int width, int cols[], uint16_t w[])
{
    int n = 0;
    cols[n++] = CONNS_COL_ID;
    for (int c = CONNS_COL_ID + 1 + p->first; c < CONNS_COL__COUNT; c++)
        cols[n++] = c;
    for (int k = 0; k < n; k++) {
        size_t hw = header_width(ui, cols[k]);
        w[k] = (uint16_t)(p->width[cols[k]] > hw ? p->width[cols[k]] : hw);
    }
    for (;;) {
        int total = 0;
        for (int k = 0; k < n; k++)
            total += w[k] + (k ? 1 : 0);
        if (total <= width)
            break;
        int worst = -1;
        for (int k = 0; k < n; k++)
            if (conns_cols[cols[k]].give_way &&
                (worst < 0 || conns_cols[cols[k]].give_way > conns_cols[cols[worst]].give_way))
                worst = k;
        if (worst < 0) {
            /* Only the essential ones are left: narrow the widest to fit. */
            int widest = 0;
            for (int k = 1; k < n; k++)
                if (w[k] > w[widest])
                    widest = k;
            int over = total - width;
            int room = w[widest] - conns_cols[cols[widest]].min_width;
            if (room <= 0)
                break;
            w[widest] = (uint16_t)(w[widest] - (over < room ? over : room));
            continue;
        }
        for (int k = worst; k + 1 < n; k++)
            cols[k] = cols[k + 1], w[k] = w[k + 1];
        n--;
    }
    return n;
}

/* Appends text into a cell of width w: aligned, cut with an ellipsis when too long. An
 * endpoint (`endpoint`: address:port) is cut only in its port: an address is shown whole or
 * not at all (the ellipsis alone), never in part. */
static void put_cell(const struct ui *ui, struct strbuf *line, const char *text, size_t len,
                     size_t w, bool right, bool endpoint)
{
    if (len > w) {
        size_t keep = w ? w - 1 : 0;
        if (endpoint) {
            const char *colon = memrchr(text, ':', len);
            size_t addr = colon ? (size_t)(colon - text) + 1 : len;
            keep = addr <= keep ? addr : 0;
        }
        sb_putn(line, text, keep);
        if (w)
            sb_puts(line, ui->utf8 ? "\xe2\x80\xa6" : "~");
        for (size_t k = keep + 1; k < w; k++)
            sb_putc(line, ' ');
        return;
    }
    for (size_t k = len; right && k < w; k++)
        sb_putc(line, ' ');
    sb_putn(line, text, len);
    for (size_t k = len; !right && k < w; k++)
        sb_putc(line, ' ');
}

static void conns_draw(struct ui *ui, struct view *v)
{
    struct conns_priv *p = v->priv;
    if ((total_conns(ui) != p->built_total && ui_now_ms() - p->built_ms >= 500) ||
        ui_asof_count(ui) != p->built_limit)
        rebuild(ui, v);
    char title[200];
    snprintf(title, sizeof(title),
             " Connections: %zu, sorted by %s%s  (< > sort, r reverse, h l columns, Enter "
             "packets, L ladder, F follow)",
             p->n, conns_cols[ui->conns_sort].header, ui->conns_reverse ? " (reversed)" : "");
    ui_draw_bar(ui, v, true, title);
    if (v->h < 3)
        return;
    size_t rows = (size_t)v->h - 2;
    if (p->n && v->cur >= p->n)
        v->cur = p->n - 1;
    if (v->cur < v->top)
        v->top = v->cur;
    if (v->cur >= v->top + rows)
        v->top = v->cur - rows + 1;
    /* The widths of what is on screen now join those seen before. */
    char cell[256];
    for (size_t r = 0; r < rows && v->top + r < p->n; r++) {
        struct conn cbuf;
        const struct conn *c = row_conn(ui, p, v->top + r, &cbuf);
        for (int k = 0; c && k < CONNS_COL__COUNT; k++) {
            struct strbuf cb;
            sb_init(&cb, cell, sizeof(cell));
            conns_cell(ui_tracker(ui), c, (enum conns_col)k, &cb);
            size_t len = cb.len < CONNS_MAX_WIDTH ? cb.len : CONNS_MAX_WIDTH;
            if (len > p->width[k])
                p->width[k] = (uint16_t)len;
        }
    }
    int cols[CONNS_COL__COUNT];
    uint16_t w[CONNS_COL__COUNT];
    int ncols = layout(ui, p, v->w, cols, w);

    char buf[1024];
    struct strbuf line;
    sb_init(&line, buf, sizeof(buf));
    for (int k = 0; k < ncols; k++) {
        char head[48];
        snprintf(head, sizeof(head), "%s%s", conns_cols[cols[k]].header,
                 ui->conns_sort == cols[k] ? sort_mark(ui) : "");
        if (k)
            sb_putc(&line, ' ');
        /* the mark is one column wide however many bytes it takes */
        size_t shown = strlen(conns_cols[cols[k]].header) + (ui->conns_sort == cols[k]);
        for (size_t s = shown; conns_cols[cols[k]].right && s < w[k]; s++)
            sb_putc(&line, ' ');
        sb_puts(&line, head);
        for (size_t s = shown; !conns_cols[cols[k]].right && s < w[k]; s++)
            sb_putc(&line, ' ');
    }
    ui_draw_text(ui, v->y + 1, v->x, v->w, colors_attr(ATTR_HEADER), buf);
    if (p->n == 0) {
        ui_draw_text(ui, v->y + 2, v->x, v->w, colors_attr(ATTR_DIM), "  (no connections yet)");
        for (size_t r = 1; r < rows; r++)
            ui_draw_line(ui, v->y + 2 + (int)r, v->x, v->w, NULL, 0, 0);
        return;
    }
    for (size_t r = 0; r < rows; r++) {
        size_t i = v->top + r;
        int y = v->y + 2 + (int)r;
        struct conn cbuf;
        const struct conn *c = row_conn(ui, p, i, &cbuf);
        if (!c) {
            ui_draw_line(ui, y, v->x, v->w, NULL, 0, 0);
            continue;
        }
        sb_init(&line, buf, sizeof(buf));
        for (int k = 0; k < ncols; k++) {
            struct strbuf cb;
            sb_init(&cb, cell, sizeof(cell));
            conns_cell(ui_tracker(ui), c, (enum conns_col)cols[k], &cb);
            if (k)
                sb_putc(&line, ' ');
            put_cell(ui, &line, cell, cb.len, w[k], conns_cols[cols[k]].right,
                     cols[k] == CONNS_COL_CLIENT || cols[k] == CONNS_COL_SERVER);
        }
        ui_draw_text(ui, y, v->x, v->w, i == v->cur ? colors_cursor() : colors_attr(ATTR_NORMAL),
                     buf);
    }
}

/* ui_save_fn: the packets of the connection w was pressed on. */
static void write_conn(struct ui *ui, int fd, const char *path, void *ctx)
{
    const struct conns_priv *p = ctx;
    ui_write_packets(ui, fd, path, p->save.proto, p->save.id);
}

static bool conns_request(struct ui *ui, struct view *v, enum request r)
{
    struct conns_priv *p = v->priv;
    size_t rows = v->h > 2 ? (size_t)v->h - 2 : 1;
    switch (r) {
    case REQ_SORT_NEXT:
    case REQ_SORT_PREV:
        ui->conns_sort =
            (ui->conns_sort + (r == REQ_SORT_NEXT ? 1 : CONNS_COL__COUNT - 1)) % CONNS_COL__COUNT;
        ui_settings_save(ui, UI_SETTING_SORT);
        rebuild(ui, v);
        ui->dirty = true;
        return true;
    case REQ_SORT_REVERSE:
        ui->conns_reverse = !ui->conns_reverse;
        ui_settings_save(ui, UI_SETTING_SORT);
        rebuild(ui, v);
        ui->dirty = true;
        return true;
    case REQ_LEFT:
    case REQ_RIGHT:
        /* Sideways by whole columns; ID stays. */
        if (r == REQ_LEFT && p->first > 0)
            p->first--;
        else if (r == REQ_RIGHT && p->first + 2 < CONNS_COL__COUNT)
            p->first++;
        ui->dirty = true;
        return true;
    case REQ_WRITE_PACKETS: {
        if (v->cur >= p->n)
            return true;
        char name[96];
        p->save = p->v[v->cur];
        snprintf(name, sizeof(name), "pktscope-%s-stream-%u.pcapng",
                 p->save.proto == PS_IPPROTO_ICMPV6 ? "icmpv6" : conns_proto_name(p->save.proto),
                 p->save.id);
        ui_save_prompt(ui, "the connection's packets", name, write_conn, p);
        return true;
    }
    case REQ_ENTER:
    case REQ_VIEW_LADDER:
    case REQ_VIEW_FOLLOW:
    case REQ_VIEW_COMPARE: {
        if (v->cur >= p->n)
            return true;
        struct conn_ref c = p->v[v->cur];
        ui->target_proto = c.proto;
        ui->target_stream = c.id;
        ui->target_set = true;
        if (r == REQ_ENTER) {
            char text[64];
            const char *name = c.proto == PS_IPPROTO_TCP    ? "tcp"
                               : c.proto == PS_IPPROTO_UDP  ? "udp"
                               : c.proto == PS_IPPROTO_ICMP ? "icmp"
                                                            : "icmpv6";
            snprintf(text, sizeof(text), "%s.stream == %u", name, c.id);
            if (ui_set_filter(ui, text))
                ui_pop_view(ui);
            return true;
        }
        if (r == REQ_VIEW_FOLLOW && c.proto != PS_IPPROTO_TCP && c.proto != PS_IPPROTO_UDP) {
            ui_message(ui, true, "follow stream needs a TCP or UDP connection");
            return true;
        }
        ui_push_view(ui, r == REQ_VIEW_LADDER    ? &view_ladder_ops
                         : r == REQ_VIEW_COMPARE ? &view_compare_ops
                                                 : &view_follow_ops);
        return true;
    }
    default:
        return ui_nav(v, p->n, rows, r);
    }
}

static void conns_click(struct ui *ui, struct view *v, int row, int col)
{
    struct conns_priv *p = v->priv;
    (void)ui;
    (void)col;
    if (row >= 1 && v->top + (size_t)row - 1 < p->n)
        v->cur = v->top + (size_t)row - 1;
}

const struct view_ops view_conns_ops = {
    .name = "connections",
    .open = conns_open,
    .draw = conns_draw,
    .request = conns_request,
    .close = conns_close,
    .click = conns_click,
};
