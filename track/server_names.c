/*
 * The server names connections ask for (TLS SNI, HTTP Host), interned: a connection keeps a
 * 16-bit number into this table instead of the name, so struct conn stays 200 bytes and a
 * name that a thousand connections share is stored once. Bounded: at most SERVER_NAMES_MAX names
 * of at most SERVER_NAME_MAX_LEN bytes (16 MiB at worst); past that new names are not kept
 * (counted), and their connections show none.
 */
#include <stdlib.h>
#include <string.h>

#include "track/internal.h"
#include "util/util.h"

static uint32_t name_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

uint16_t server_name_intern(struct server_names *sn, const char *s, size_t n)
{
    if (n == 0)
        return 0;
    if (n > SERVER_NAME_MAX_LEN)
        n = SERVER_NAME_MAX_LEN;
    if (!sn->buckets) {
        sn->buckets = xmalloc(SERVER_NAME_BUCKETS * sizeof(*sn->buckets));
        for (uint32_t i = 0; i < SERVER_NAME_BUCKETS; i++)
            sn->buckets[i] = 0;
    }
    uint32_t b = name_hash(s, n) & (SERVER_NAME_BUCKETS - 1);
    for (uint32_t id = sn->buckets[b]; id; id = sn->next[id - 1]) {
        const char *have = sn->arena + sn->off[id - 1];
        if (strlen(have) == n && memcmp(have, s, n) == 0)
            return (uint16_t)id;
    }
    if (sn->n >= SERVER_NAMES_MAX) {
        sn->dropped++;
        return 0;
    }
    sn->arena = xgrow(sn->arena, &sn->arena_cap, sn->arena_len + n + 1, 1);
    size_t at = sn->arena_len;
    /* A NUL inside a malformed name would end it early: kept as '.', as renderers show it. */
    for (size_t i = 0; i < n; i++)
        sn->arena[at + i] = s[i] ? s[i] : '.';
    sn->arena[at + n] = '\0';
    sn->arena_len += n + 1;
    size_t cap = sn->cap;
    sn->off = xgrow(sn->off, &cap, (size_t)sn->n + 1, sizeof(*sn->off));
    cap = sn->cap;
    sn->next = xgrow(sn->next, &cap, (size_t)sn->n + 1, sizeof(*sn->next));
    sn->cap = cap;
    sn->off[sn->n] = (uint32_t)at;
    sn->next[sn->n] = sn->buckets[b];
    sn->n++;
    sn->buckets[b] = sn->n;
    return (uint16_t)sn->n;
}

const char *server_name_at(const struct server_names *sn, uint16_t id)
{
    return id && id <= sn->n ? sn->arena + sn->off[id - 1] : NULL;
}

void server_names_release(struct server_names *sn)
{
    free(sn->arena);
    free(sn->off);
    free(sn->next);
    free(sn->buckets);
    memset(sn, 0, sizeof(*sn));
}
