/*
 * cache.c - sharded hash table of prebuilt responses.
 *
 * Worker threads look up pages concurrently, so the table is split into
 * shards, each behind its own reader-writer lock: hits take a read lock on
 * one shard and bump an atomic reference count, nothing more. Each shard
 * owns an equal share of the memory budget and evicts its oldest entries
 * first (insertion order), which is the right bias for news, where new
 * pages are the hot ones.
 *
 * Invalidation walks every entry (a write is rare next to reads: once per
 * commit per process), skipping most of them on a 64-bit signature of
 * their keys. Each invalidation first records its signature in a ring
 * and moves the epoch, then walks the shards; a put checks, under its
 * shard's lock, the signatures recorded since its render began. Either the
 * put happened before the walk reached its shard (and the walk drops it),
 * or it sees the new epoch (and refuses itself): no stale entry survives.
 */
#include "http/cache.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "store/store.h"

#define CACHE_SHARDS 16
#define CACHE_BUCKETS 1024   /* per shard, power of two */
#define CACHE_DEFAULT_BYTES ((size_t)64 << 20)

/* Signatures of the last invalidations, by epoch. */
#define CACHE_RING 64

struct cache_flight {
    char *key;
    size_t keylen;
    uint64_t hash;
    int waiters;
    bool done;
    pthread_cond_t cv;
    struct cache_flight *next;
};

typedef struct shard {
    pthread_rwlock_t lock;
    cache_entry *buckets[CACHE_BUCKETS];
    cache_entry *oldest, *newest;
    size_t bytes, count, limit;
    pthread_mutex_t flight_lock;  /* guards flights and their fields */
    cache_flight *flights;
} shard;

struct cache {
    shard shards[CACHE_SHARDS];
    pthread_mutex_t invalidate_lock;      /* one invalidation at a time */
    _Atomic uint64_t epoch;               /* invalidations so far */
    _Atomic uint64_t ring[CACHE_RING];    /* signature of invalidation k at k % CACHE_RING */
    _Atomic uint64_t hits, misses, waits, invalidations, dropped, refused;
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
        pthread_mutex_init(&c->shards[i].flight_lock, NULL);
        c->shards[i].limit = limit;
    }
    pthread_mutex_init(&c->invalidate_lock, NULL);
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
        pthread_mutex_destroy(&c->shards[i].flight_lock);
    }
    pthread_mutex_destroy(&c->invalidate_lock);
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

uint64_t cache_epoch(cache_t *c)
{
    return c ? atomic_load_explicit(&c->epoch, memory_order_acquire) : 0;
}

/* One bit per key: a 64-bit signature of a set of keys, so that most
 * entries are passed over by an invalidation without a look at their keys. */
static uint64_t cache_dep_bit(uint64_t dep)
{
    return UINT64_C(1) << ((dep * UINT64_C(0x9E3779B97F4A7C15)) >> 58);
}

static uint64_t cache_signature(const uint64_t *deps, size_t n)
{
    uint64_t m = 0;
    for (size_t i = 0; i < n; i++)
        m |= cache_dep_bit(deps[i]);
    return m;
}

cache_entry *cache_get(cache_t *c, const char *key, size_t keylen, int64_t now)
{
    if (!c)
        return NULL;
    uint64_t h = cache_hash(key, keylen);
    shard *sh = cache_shard(c, h);
    pthread_rwlock_rdlock(&sh->lock);
    cache_entry *e = cache_find(sh, h, key, keylen);
    if (e && e->expires_at && now >= e->expires_at)
        e = NULL;
    if (e)
        atomic_fetch_add_explicit(&e->refs, 1, memory_order_relaxed);
    pthread_rwlock_unlock(&sh->lock);
    atomic_fetch_add_explicit(e ? &c->hits : &c->misses, 1, memory_order_relaxed);
    return e;
}

/* The flight for key in sh, or NULL (flight_lock held). */
static cache_flight *cache_flight_find(shard *sh, uint64_t h, const char *key, size_t keylen)
{
    for (cache_flight *f = sh->flights; f; f = f->next)
        if (f->hash == h && f->keylen == keylen && memcmp(f->key, key, keylen) == 0)
            return f;
    return NULL;
}

static void cache_flight_free(cache_flight *f)
{
    pthread_cond_destroy(&f->cv);
    free(f->key);
    free(f);
}

/* Wait for f to end, at most CACHE_WAIT_MS (flight_lock held). */
static void cache_flight_wait(shard *sh, cache_flight *f)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += CACHE_WAIT_MS / 1000;
    until.tv_nsec += (CACHE_WAIT_MS % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    f->waiters++;
    while (!f->done && pthread_cond_timedwait(&f->cv, &sh->flight_lock, &until) != ETIMEDOUT)
        ;
    if (--f->waiters == 0 && f->done)
        cache_flight_free(f); /* its renderer has gone: the last waiter frees it */
}

cache_entry *cache_lookup(cache_t *c, const char *key, size_t keylen, int64_t now,
                          cache_flight **own)
{
    *own = NULL;
    cache_entry *e = cache_get(c, key, keylen, now);
    if (e || !c)
        return e;
    uint64_t h = cache_hash(key, keylen);
    shard *sh = cache_shard(c, h);
    pthread_mutex_lock(&sh->flight_lock);
    cache_flight *f = cache_flight_find(sh, h, key, keylen);
    if (!f) {
        f = cache_xcalloc(1, sizeof *f);
        f->key = cache_xcalloc(1, keylen + 1);
        memcpy(f->key, key, keylen);
        f->keylen = keylen;
        f->hash = h;
        pthread_cond_init(&f->cv, NULL);
        f->next = sh->flights;
        sh->flights = f;
        *own = f;
    } else {
        cache_flight_wait(sh, f);
    }
    pthread_mutex_unlock(&sh->flight_lock);
    if (*own)
        return NULL;
    atomic_fetch_add_explicit(&c->waits, 1, memory_order_relaxed);
    return cache_get(c, key, keylen, now);
}

void cache_flight_end(cache_t *c, cache_flight *f)
{
    if (!c || !f)
        return;
    shard *sh = cache_shard(c, f->hash);
    pthread_mutex_lock(&sh->flight_lock);
    cache_flight **pp = &sh->flights;
    while (*pp != f)
        pp = &(*pp)->next;
    *pp = f->next;
    f->done = true;
    pthread_cond_broadcast(&f->cv);
    if (f->waiters == 0)
        cache_flight_free(f);
    pthread_mutex_unlock(&sh->flight_lock);
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

/* True if an invalidation since e's render began may concern e: one whose
 * signature meets e's, or more of them than the ring remembers. */
static bool cache_changed_since(cache_t *c, const cache_entry *e)
{
    uint64_t now = atomic_load_explicit(&c->epoch, memory_order_acquire);
    if (now - e->epoch >= CACHE_RING)
        return true;
    for (uint64_t k = e->epoch; k < now; k++)
        if (atomic_load_explicit(&c->ring[k % CACHE_RING], memory_order_relaxed) & e->mask)
            return true;
    /* the ring may have wrapped while it was read (slot e->epoch is
     * rewritten by invalidation e->epoch + CACHE_RING) */
    return atomic_load_explicit(&c->epoch, memory_order_acquire) - e->epoch >= CACHE_RING;
}

/* Refuse e for key (lock held): stale, or older than the entry held. */
static bool cache_refuses(cache_t *c, const cache_entry *e, const cache_entry *old)
{
    if (!cache_changed_since(c, e) && !(old && old->epoch > e->epoch))
        return false;
    atomic_fetch_add_explicit(&c->refused, 1, memory_order_relaxed);
    return true;
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
    /* every page depends on the site-wide rows, recorded or not */
    e->mask = cache_signature(e->deps, e->ndeps) | cache_dep_bit(STORE_DEP(STORE_DEP_ALL, 0));
    shard *sh = cache_shard(c, e->hash);
    if (e->size > sh->limit)
        return false;
    pthread_rwlock_wrlock(&sh->lock);
    cache_entry *old = cache_find(sh, e->hash, key, keylen);
    bool ok = !cache_refuses(c, e, old);
    if (ok) {
        if (old)
            cache_unlink(sh, old);
        while (sh->bytes + e->size > sh->limit)
            cache_unlink(sh, sh->oldest);
        cache_link(sh, e);
    }
    pthread_rwlock_unlock(&sh->lock);
    return ok;
}

/* True if e was built from one of deps[0..n). */
static bool cache_depends(const cache_entry *e, const uint64_t *deps, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < e->ndeps; j++)
            if (e->deps[j] == deps[i])
                return true;
    return false;
}

/* Drop the entries of sh built from deps (all of them if `all`). */
static uint64_t cache_drop(shard *sh, uint64_t mask, const uint64_t *deps, size_t n, bool all)
{
    uint64_t dropped = 0;
    pthread_rwlock_wrlock(&sh->lock);
    for (cache_entry *e = sh->oldest, *next; e; e = next) {
        next = e->newer;
        if (all || ((e->mask & mask) && cache_depends(e, deps, n))) {
            cache_unlink(sh, e);
            dropped++;
        }
    }
    pthread_rwlock_unlock(&sh->lock);
    return dropped;
}

static bool cache_has_all(const uint64_t *deps, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (STORE_DEP_KIND(deps[i]) == STORE_DEP_ALL)
            return true;
    return false;
}

void cache_invalidate(cache_t *c, const uint64_t *deps, size_t n)
{
    if (!c)
        return;
    bool all = cache_has_all(deps, n);
    uint64_t mask = all ? ~UINT64_C(0) : cache_signature(deps, n);
    pthread_mutex_lock(&c->invalidate_lock);
    /* the signature first, then the epoch, then the walk: see the top */
    uint64_t k = atomic_load_explicit(&c->epoch, memory_order_relaxed);
    atomic_store_explicit(&c->ring[k % CACHE_RING], mask, memory_order_relaxed);
    atomic_store_explicit(&c->epoch, k + 1, memory_order_release);
    uint64_t dropped = 0;
    for (int i = 0; i < CACHE_SHARDS; i++)
        dropped += cache_drop(&c->shards[i], mask, deps, n, all);
    pthread_mutex_unlock(&c->invalidate_lock);
    atomic_fetch_add_explicit(&c->invalidations, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&c->dropped, dropped, memory_order_relaxed);
}

void cache_invalidate_all(cache_t *c)
{
    const uint64_t all = STORE_DEP(STORE_DEP_ALL, 0);
    cache_invalidate(c, &all, 1);
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
    out->waits = atomic_load(&c->waits);
    out->invalidations = atomic_load(&c->invalidations);
    out->dropped = atomic_load(&c->dropped);
    out->refused = atomic_load(&c->refused);
}
