/*
 * peer.c - client addresses, trusted proxies and per-address connection
 * counts.
 *
 * The count table is consulted on every accept and every close, from every
 * worker thread, so it is split into shards each behind its own mutex; an
 * address's record exists only while it holds connections, so the table
 * never holds more records than there are open connections.
 */
#include "http/peer.h"

#include <arpa/inet.h>
#include <assert.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/err.h"

#define PEER_SHARDS 16
#define PEER_BUCKETS 256  /* per shard, power of two */

static const uint8_t peer_v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static size_t peer_len(const peer_addr *a)
{
    return a->family == 4 ? 4 : a->family == 6 ? 16 : 0;
}

/* Store a 16-byte IPv6 address, turning ::ffff:a.b.c.d into IPv4. */
static void peer_set_v6(peer_addr *out, const uint8_t b[16])
{
    memset(out, 0, sizeof *out);
    if (memcmp(b, peer_v4_mapped, sizeof peer_v4_mapped) == 0) {
        out->family = 4;
        memcpy(out->bytes, b + 12, 4);
    } else {
        out->family = 6;
        memcpy(out->bytes, b, 16);
    }
}

void peer_from_sockaddr(const struct sockaddr *sa, peer_addr *out)
{
    memset(out, 0, sizeof *out);
    if (sa->sa_family == AF_INET) {
        out->family = 4;
        memcpy(out->bytes, &((const struct sockaddr_in *)sa)->sin_addr, 4);
    } else if (sa->sa_family == AF_INET6) {
        peer_set_v6(out, ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr);
    }
}

int peer_parse(const char *s, size_t n, peer_addr *out)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    char buf[PEER_ADDR_TEXT];
    if (n == 0 || n >= sizeof buf || memchr(s, '\0', n))
        return NS_EINVAL;
    memcpy(buf, s, n);
    buf[n] = '\0';
    uint8_t b[16];
    if (inet_pton(AF_INET, buf, b) == 1) {
        memset(out, 0, sizeof *out);
        out->family = 4;
        memcpy(out->bytes, b, 4);
        return NS_OK;
    }
    if (inet_pton(AF_INET6, buf, b) == 1) {
        peer_set_v6(out, b);
        return NS_OK;
    }
    return NS_EINVAL;
}

/* True if the bits of a beyond `prefix` are all zero. */
static bool peer_host_bits_zero(const peer_addr *a, unsigned prefix)
{
    for (size_t i = 0; i < peer_len(a); i++) {
        unsigned first = (unsigned)i * 8; /* bit index of this byte's top bit */
        uint8_t mask = prefix <= first ? 0xff : prefix >= first + 8 ? 0 : (uint8_t)(0xff >> (prefix - first));
        if (a->bytes[i] & mask)
            return false;
    }
    return true;
}

int peer_parse_net(const char *s, peer_net *out)
{
    const char *slash = strchr(s, '/');
    size_t alen = slash ? (size_t)(slash - s) : strlen(s);
    if (peer_parse(s, alen, &out->addr) != NS_OK)
        return NS_EINVAL;
    unsigned max = (unsigned)peer_len(&out->addr) * 8;
    out->prefix = max;
    if (!slash)
        return NS_OK;
    char *end;
    unsigned long p = strtoul(slash + 1, &end, 10);
    if (slash[1] < '0' || slash[1] > '9' || *end || p > max)
        return NS_EINVAL;
    out->prefix = (unsigned)p;
    return peer_host_bits_zero(&out->addr, out->prefix) ? NS_OK : NS_EINVAL;
}

static bool peer_in_net(const peer_addr *a, const peer_net *n)
{
    if (a->family != n->addr.family || a->family == 0)
        return false;
    unsigned full = n->prefix / 8, rest = n->prefix % 8;
    if (memcmp(a->bytes, n->addr.bytes, full) != 0)
        return false;
    if (rest == 0)
        return true;
    uint8_t mask = (uint8_t)(0xff << (8 - rest));
    return (a->bytes[full] & mask) == (n->addr.bytes[full] & mask);
}

bool peer_in_nets(const peer_addr *a, const peer_net *nets, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (peer_in_net(a, &nets[i]))
            return true;
    return false;
}

void peer_client(const peer_addr *conn, const char *xff, size_t xlen,
                 const peer_net *trusted, size_t ntrusted, peer_addr *out)
{
    *out = *conn;
    if (!xff || !peer_in_nets(conn, trusted, ntrusted))
        return;
    size_t end = xlen;
    while (end > 0) {
        size_t start = end;
        while (start > 0 && xff[start - 1] != ',')
            start--;
        peer_addr a;
        if (peer_parse(xff + start, end - start, &a) != NS_OK)
            return; /* garbage: the last good hop is all we know */
        *out = a;
        if (!peer_in_nets(&a, trusted, ntrusted))
            return;
        end = start ? start - 1 : 0;
    }
}

void peer_format(const peer_addr *a, char buf[PEER_ADDR_TEXT])
{
    int af = a->family == 4 ? AF_INET : a->family == 6 ? AF_INET6 : 0;
    if (!af || !inet_ntop(af, a->bytes, buf, PEER_ADDR_TEXT))
        snprintf(buf, PEER_ADDR_TEXT, "unknown");
}

/* ---- the count table ---- */

typedef struct peer_rec {
    peer_addr addr;
    unsigned conns;
    struct peer_rec *next;
} peer_rec;

typedef struct peer_shard {
    pthread_mutex_t lock;
    peer_rec *buckets[PEER_BUCKETS];
} peer_shard;

struct peer_table {
    unsigned max;
    atomic_size_t total;
    peer_shard shards[PEER_SHARDS];
};

peer_table *peer_table_new(unsigned max_per_addr)
{
    peer_table *t = calloc(1, sizeof *t);
    if (!t)
        abort();
    t->max = max_per_addr;
    for (int i = 0; i < PEER_SHARDS; i++)
        pthread_mutex_init(&t->shards[i].lock, NULL);
    return t;
}

void peer_table_free(peer_table *t)
{
    if (!t)
        return;
    for (int i = 0; i < PEER_SHARDS; i++) {
        for (int b = 0; b < PEER_BUCKETS; b++)
            for (peer_rec *r = t->shards[i].buckets[b], *next; r; r = next) {
                next = r->next;
                free(r);
            }
        pthread_mutex_destroy(&t->shards[i].lock);
    }
    free(t);
}

/* FNV-1a of the address bytes. An attacker choosing addresses could only
 * lengthen chains of records that each hold a live connection of theirs,
 * which the per-address bound and the descriptor limit already cap. */
static uint32_t peer_hash(const peer_addr *a)
{
    uint32_t h = 2166136261u ^ a->family;
    for (size_t i = 0; i < peer_len(a); i++)
        h = (h ^ a->bytes[i]) * 16777619u;
    return h;
}

/* The record slot for a in its shard (lock held): *slot is the record or NULL. */
static peer_rec **peer_slot(peer_shard *sh, uint32_t h, const peer_addr *a)
{
    peer_rec **pp = &sh->buckets[(h >> 4) & (PEER_BUCKETS - 1)];
    while (*pp && memcmp(&(*pp)->addr, a, sizeof *a) != 0)
        pp = &(*pp)->next;
    return pp;
}

static peer_shard *peer_shard_of(peer_table *t, uint32_t h)
{
    return &t->shards[h % PEER_SHARDS];
}

bool peer_acquire(peer_table *t, const peer_addr *a)
{
    if (a->family == 0)
        return true;
    uint32_t h = peer_hash(a);
    peer_shard *sh = peer_shard_of(t, h);
    bool ok = true;
    pthread_mutex_lock(&sh->lock);
    peer_rec **slot = peer_slot(sh, h, a);
    if (!*slot) {
        peer_rec *r = calloc(1, sizeof *r);
        if (!r)
            abort();
        r->addr = *a;
        *slot = r;
    }
    if (t->max && (*slot)->conns >= t->max)
        ok = false;
    else
        (*slot)->conns++;
    pthread_mutex_unlock(&sh->lock);
    if (ok)
        atomic_fetch_add(&t->total, 1);
    return ok;
}

void peer_release(peer_table *t, const peer_addr *a)
{
    if (a->family == 0)
        return;
    uint32_t h = peer_hash(a);
    peer_shard *sh = peer_shard_of(t, h);
    pthread_mutex_lock(&sh->lock);
    peer_rec **slot = peer_slot(sh, h, a);
    peer_rec *r = *slot;
    assert(r && r->conns > 0); /* only what peer_acquire counted */
    if (--r->conns == 0) {
        *slot = r->next;
        free(r);
    }
    pthread_mutex_unlock(&sh->lock);
    atomic_fetch_sub(&t->total, 1);
}

unsigned peer_count(peer_table *t, const peer_addr *a)
{
    uint32_t h = peer_hash(a);
    peer_shard *sh = peer_shard_of(t, h);
    pthread_mutex_lock(&sh->lock);
    peer_rec *r = *peer_slot(sh, h, a);
    unsigned n = r ? r->conns : 0;
    pthread_mutex_unlock(&sh->lock);
    return n;
}

size_t peer_total(peer_table *t)
{
    return atomic_load(&t->total);
}
