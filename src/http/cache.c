/*
 * cache.c - sharded hash table of prebuilt responses.
 *
 * Worker threads look up pages concurrently, so the table is split into
 * shards, each behind its own reader-writer lock: hits take a read lock on
 * one shard and bump an atomic reference count, nothing more. Each shard
 * owns an equal share of the memory budget and evicts its oldest entries
 * first (insertion order), which is the right bias for news, where new
 * pages are the hot ones. When an insert carries a new store generation,
 * everything rendered under the old one is stale and is dropped at once.
 */
#include "http/cache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SHARDS 16
#define CACHE_BUCKETS 1024   /* per shard, power of two */
#define CACHE_DEFAULT_BYTES ((size_t)64 << 20)

typedef struct shard {
    pthread_rwlock_t lock;
    cache_entry *buckets[CACHE_BUCKETS];
    cache_entry *oldest, *newest;
    size_t bytes, count, limit;
    uint64_t generation;
} shard;

struct cache {
    shard shards[CACHE_SHARDS];
    _Atomic uint64_t generation; /* newest generation seen by cache_put */
    _Atomic uint64_t hits, misses;
};

static void *cache_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p) {
        fprintf(stderr, "nashra: out of memory\n");
        abort();
    }
    return p;
}

/* Room left in an entry's first block for its key, so that a short key
 * does not cost a block of its own. */
#define CACHE_KEY_ROOM 512

cache_entry *cache_entry_new(size_t hint)
{
    arena_t *a = arena_new(hint + sizeof(cache_entry) + CACHE_KEY_ROOM);
    cache_entry *e = arena_zalloc(a, sizeof *e);
    e->arena = a;
    atomic_init(&e->refs, 1);
    return e;
}

void cache_entry_release(cache_entry *e)
{
    if (!e || atomic_fetch_sub_explicit(&e->refs, 1, memory_order_acq_rel) != 1)
        return;
    arena_free(e->arena); /* e itself lives there */
}

/* FNV-1a: short keys, no adversarial pressure worth a keyed hash (the
 * table is bounded by memory, not by chain length). */
static uint64_t cache_hash(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return h;
}

static shard *cache_shard(cache_t *c, uint64_t h)
{
    return &c->shards[(h ^ (h >> 29) ^ (h >> 47)) % CACHE_SHARDS];
}

static cache_entry **cache_slot(shard *sh, uint64_t h)
{
    return &sh->buckets[h & (CACHE_BUCKETS - 1)];
}

cache_t *cache_new(size_t max_bytes)
{
    cache_t *c = cache_xcalloc(1, sizeof *c);
    size_t limit = (max_bytes ? max_bytes : CACHE_DEFAULT_BYTES) / CACHE_SHARDS;
    for (int i = 0; i < CACHE_SHARDS; i++) {
        pthread_rwlock_init(&c->shards[i].lock, NULL);
        c->shards[i].limit = limit;
    }
    return c;
}

/* Unlink e from its chain and the age list (write lock held). */
static void cache_unlink(shard *sh, cache_entry *e)
{
    cache_entry **pp = cache_slot(sh, e->hash);
    while (*pp != e)
        pp = &(*pp)->chain;
    *pp = e->chain;
    if (e->older)
        e->older->newer = e->newer;
    else
        sh->oldest = e->newer;
    if (e->newer)
        e->newer->older = e->older;
    else
        sh->newest = e->older;
    sh->bytes -= e->size;
    sh->count--;
    cache_entry_release(e);
}

static void cache_purge(shard *sh)
{
    while (sh->oldest)
        cache_unlink(sh, sh->oldest);
}

void cache_free(cache_t *c)
{
    if (!c)
        return;
    for (int i = 0; i < CACHE_SHARDS; i++) {
        cache_purge(&c->shards[i]);
        pthread_rwlock_destroy(&c->shards[i].lock);
    }
    free(c);
}

/* Entry with exactly this key in sh, or NULL (lock held). */
static cache_entry *cache_find(shard *sh, uint64_t h, const char *key, size_t keylen)
{
    for (cache_entry *e = *cache_slot(sh, h); e; e = e->chain)
        if (e->hash == h && strncmp(e->key, key, keylen) == 0 && e->key[keylen] == '\0')
            return e;
    return NULL;
}

cache_entry *cache_get(cache_t *c, const char *key, size_t keylen, uint64_t gen, int64_t now)
{
    if (!c)
        return NULL;
    uint64_t h = cache_hash(key, keylen);
    shard *sh = cache_shard(c, h);
    pthread_rwlock_rdlock(&sh->lock);
    cache_entry *e = cache_find(sh, h, key, keylen);
    if (e && (e->generation != gen || (e->expires_at && now >= e->expires_at)))
        e = NULL;
    if (e)
        atomic_fetch_add_explicit(&e->refs, 1, memory_order_relaxed);
    pthread_rwlock_unlock(&sh->lock);
    atomic_fetch_add_explicit(e ? &c->hits : &c->misses, 1, memory_order_relaxed);
    return e;
}

/* Link e as the newest entry (write lock held). */
static void cache_link(shard *sh, cache_entry *e)
{
    cache_entry **slot = cache_slot(sh, e->hash);
    e->chain = *slot;
    *slot = e;
    e->older = sh->newest;
    e->newer = NULL;
    if (sh->newest)
        sh->newest->newer = e;
    else
        sh->oldest = e;
    sh->newest = e;
    sh->bytes += e->size;
    sh->count++;
    atomic_fetch_add_explicit(&e->refs, 1, memory_order_relaxed);
}

/* A put under a new generation: every entry of the old one is stale, so
 * drop them all now rather than let them sit until evicted. Rare (once per
 * store write), so taking each shard's write lock in turn is fine. */
static void cache_new_generation(cache_t *c, uint64_t gen)
{
    atomic_store(&c->generation, gen);
    for (int i = 0; i < CACHE_SHARDS; i++) {
        shard *sh = &c->shards[i];
        pthread_rwlock_wrlock(&sh->lock);
        if (sh->generation != gen) {
            cache_purge(sh);
            sh->generation = gen;
        }
        pthread_rwlock_unlock(&sh->lock);
    }
}

bool cache_put(cache_t *c, const char *key, cache_entry *e)
{
    if (!c || e->key)
        return false; /* an entry lives in at most one cache slot */
    size_t keylen = strlen(key);
    e->key = arena_strndup(e->arena, key, keylen);
    /* charged with everything it holds, key included */
    e->size = arena_footprint(e->arena);
    e->hash = cache_hash(key, keylen);
    shard *sh = cache_shard(c, e->hash);
    if (e->size > sh->limit)
        return false;
    if (atomic_load(&c->generation) != e->generation)
        cache_new_generation(c, e->generation);
    pthread_rwlock_wrlock(&sh->lock);
    if (sh->generation != e->generation) {
        cache_purge(sh);
        sh->generation = e->generation;
    }
    cache_entry *old = cache_find(sh, e->hash, key, keylen);
    if (old)
        cache_unlink(sh, old);
    while (sh->bytes + e->size > sh->limit)
        cache_unlink(sh, sh->oldest);
    cache_link(sh, e);
    pthread_rwlock_unlock(&sh->lock);
    return true;
}

static size_t cache_sum(cache_t *c, size_t offset)
{
    size_t total = 0;
    for (int i = 0; i < CACHE_SHARDS; i++) {
        shard *sh = &c->shards[i];
        pthread_rwlock_rdlock(&sh->lock);
        total += *(size_t *)((char *)sh + offset);
        pthread_rwlock_unlock(&sh->lock);
    }
    return total;
}

size_t cache_count(cache_t *c)
{
    return c ? cache_sum(c, offsetof(shard, count)) : 0;
}

size_t cache_bytes(cache_t *c)
{
    return c ? cache_sum(c, offsetof(shard, bytes)) : 0;
}

void cache_get_stats(cache_t *c, cache_stats *out)
{
    memset(out, 0, sizeof *out);
    if (!c)
        return;
    out->entries = cache_count(c);
    out->bytes = cache_bytes(c);
    out->hits = atomic_load(&c->hits);
    out->misses = atomic_load(&c->misses);
}
