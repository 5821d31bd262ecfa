/*
 * cache.h - the response cache: rendered pages kept as ready-to-send
 * responses (body bytes and h2o header arrays), keyed by the canonical
 * form of the request.
 *
 * A news site serves the same few pages to everyone, so a hit must cost no
 * more than a hash lookup and a reference count: entries hold each
 * representation (identity, gzip) with its headers and its 304 form, and a
 * hit hands them to h2o without copying. The key is the decoded path (plus
 * a canonical query string for the routes that read one), so the many
 * spellings of one URL (%D9 / %d9, %73 for "s") share one entry. An entry
 * is valid while the store generation it was rendered under is current
 * and before its expiry time; memory is bounded by what entries really
 * hold (their arenas) and oldest entries go first.
 */
#ifndef NS_HTTP_CACHE_H
#define NS_HTTP_CACHE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"

struct st_h2o_header_t;

/* Bytes of a quoted ETag value plus its NUL: '"' 32 hex "-gz" '"' NUL. */
#define CACHE_ETAG_SIZE 40

enum { CACHE_IDENTITY = 0, CACHE_GZIP = 1, CACHE_NVARIANTS = 2 };

/* One representation of a response. */
typedef struct cache_variant {
    const char *body;                    /* NULL: this variant does not exist */
    size_t len;
    struct st_h2o_header_t *headers;     /* headers of the full response */
    size_t nheaders;
    struct st_h2o_header_t *headers_304; /* of the 304 form; NULL unless status 200 */
    size_t nheaders_304;
    char etag[CACHE_ETAG_SIZE];          /* quoted strong ETag, "" if none */
} cache_variant;

/* A finished response. Immutable once built (fields below `refs` belong to
 * the cache); shared between threads through the reference count. Every
 * byte it holds is on its own arena, which is what the cache charges. */
typedef struct cache_entry {
    cache_variant v[CACHE_NVARIANTS];
    int status;
    int64_t last_modified;   /* 0: none */
    uint64_t generation;     /* store generation read before rendering */
    int64_t expires_at;      /* 0: no limit */
    size_t size;             /* bytes charged against the cache's limit */
    arena_t *arena;          /* owns the entry, its headers, bodies and key */
    atomic_int refs;
    /* cache-private */
    char *key;
    uint64_t hash;
    struct cache_entry *chain, *older, *newer;
} cache_entry;

typedef struct cache cache_t;

/* New zeroed entry on a new arena whose first block holds `hint` bytes,
 * holding one reference (the caller's). Aborts on OOM. */
cache_entry *cache_entry_new(size_t hint);
/* Drop one reference; the last one frees e's arena and so e. NULL ok. */
void cache_entry_release(cache_entry *e);

/* New empty cache holding at most max_bytes (0: 64 MiB). Caller owns it
 * (cache_free, after every thread using it has stopped). */
cache_t *cache_new(size_t max_bytes);
void cache_free(cache_t *c);

/* Entry for key (keylen bytes) if it was rendered under generation `gen`
 * and now < its expires_at; NULL otherwise or when c is NULL. A returned
 * entry carries a reference the caller must drop with cache_entry_release.
 * Never allocates. */
cache_entry *cache_get(cache_t *c, const char *key, size_t keylen, uint64_t gen, int64_t now);

/* Store e under key (copied), replacing any previous entry, evicting the
 * oldest entries if needed; the cache takes its own reference (the caller
 * keeps its own). Entries larger than the cache's share are not kept.
 * Returns true if e was stored. c NULL: no-op. */
bool cache_put(cache_t *c, const char *key, cache_entry *e);

/* Number of entries and bytes held (for tests and stats). */
size_t cache_count(cache_t *c);
size_t cache_bytes(cache_t *c);

/* Lookups that found a valid entry, and those that did not, since start. */
typedef struct cache_stats {
    size_t entries, bytes;
    uint64_t hits, misses;
} cache_stats;
void cache_get_stats(cache_t *c, cache_stats *out);

#endif
