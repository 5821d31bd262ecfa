/*
 * cache.h - the response cache: rendered pages kept as ready-to-send
 * responses (body bytes and h2o header arrays), keyed by the canonical
 * form of the request.
 *
 * A news site serves the same few pages to everyone, so a hit must cost no
 * more than a hash lookup and a reference count: entries hold each
 * representation (identity, gzip) with its headers and its 304 form, and a
 * hit hands them to h2o without copying. The key is the caller's: the
 * decoded path, plus the canonical query of the routes that read one
 * (http/request.c), so the many spellings of one URL share one entry.
 *
 * Each entry lists the store keys it was built from (store.h: this
 * article, the article lists, its comments...). A write invalidates the
 * entries whose keys it touched and nothing else (cache_invalidate); an
 * entry also stops being valid at its expiry time. A render that read the
 * store before an invalidation of one of its keys is refused when it is
 * put (the invalidation epochs below), and an entry rendered earlier never
 * replaces one rendered later. Concurrent misses of one key wait for a
 * single render (cache_lookup). Memory is bounded by what entries really
 * hold (their arenas); the oldest entries go first.
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
    /* A page with a form token (cache_entry.token): body is what comes
     * before the token; for gzip, a stream not yet finished (flushed to a
     * byte boundary), whose end the sender writes around the token. */
} cache_variant;

/* Where a page's form token goes: the sender signs a token for `scope`
 * with `key` per response and sends body, token, tail (respond.c). */
typedef struct cache_token {
    int64_t scope;                       /* 0: the page has no token */
    const void *key;                     /* const secret_key *, outlives the entry */
    const char *tail;                    /* the bytes after the token */
    size_t tail_len;
    unsigned long head_crc;              /* crc32 of the bytes before the token */
    size_t head_len;                     /* their count */
} cache_token;

/* A finished response. Immutable once built (fields below `refs` belong to
 * the cache); shared between threads through the reference count. Every
 * byte it holds is on its own arena, which is what the cache charges. */
typedef struct cache_entry {
    cache_variant v[CACHE_NVARIANTS];
    cache_token token;
    int status;
    int64_t last_modified;   /* 0: none */
    int64_t expires_at;      /* 0: no limit */
    uint64_t epoch;          /* cache_epoch() read before the render read the store */
    const uint64_t *deps;    /* store keys it was built from (store_dep), on its arena */
    size_t ndeps;
    size_t size;             /* bytes charged against the cache's limit */
    arena_t *arena;          /* owns the entry, its headers, bodies and key */
    atomic_int refs;
    /* cache-private */
    char *key;
    uint64_t hash, mask;
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

/* The invalidation epoch: read it before a render opens its store
 * snapshot and keep it in the entry (e->epoch), so cache_put can tell
 * whether a key the render read was invalidated in between. */
uint64_t cache_epoch(cache_t *c);

/* Entry for key (keylen bytes) if one is held and now < its expires_at;
 * NULL otherwise or when c is NULL. A returned entry carries a reference
 * the caller must drop with cache_entry_release. Never allocates. */
cache_entry *cache_get(cache_t *c, const char *key, size_t keylen, int64_t now);

/* A render in progress for one key (cache_lookup). */
typedef struct cache_flight cache_flight;

/* Most a request waits for another thread's render of the same key before
 * rendering it itself. */
#define CACHE_WAIT_MS 2000

/* cache_get, and on a miss make sure only one thread renders the key: if
 * none is rendering it, *own is set to a flight the caller must end with
 * cache_flight_end once it has put (or given up) its entry, and NULL is
 * returned; if another thread is, wait for it (blocking this thread, at
 * most CACHE_WAIT_MS) and return what it put, or NULL with *own NULL if it
 * put nothing (the caller renders without a flight). */
cache_entry *cache_lookup(cache_t *c, const char *key, size_t keylen, int64_t now,
                          cache_flight **own);
/* Wake the requests waiting for f and free it. NULL ok. */
void cache_flight_end(cache_t *c, cache_flight *f);

/* Store e under key (copied), replacing any previous entry, evicting the
 * oldest entries if needed; the cache takes its own reference (the caller
 * keeps its own). Refused (false) when: c is NULL; e is larger than the
 * cache's share; one of e's keys was invalidated after e->epoch (its
 * render may predate the write); or the entry held for key was rendered
 * after e (a higher epoch). */
bool cache_put(cache_t *c, const char *key, cache_entry *e);

/* Drop every entry built from one of deps[0..n) (store keys; a key of
 * kind STORE_DEP_ALL drops everything), and refuse later puts of renders
 * that began before. */
void cache_invalidate(cache_t *c, const uint64_t *deps, size_t n);
/* Drop everything (a change that cannot be narrowed). */
void cache_invalidate_all(cache_t *c);

/* Number of entries and bytes held (for tests and stats). */
size_t cache_count(cache_t *c);
size_t cache_bytes(cache_t *c);

/* Lookups that found a valid entry, and those that did not, since start. */
typedef struct cache_stats {
    size_t entries, bytes;
    uint64_t hits, misses;
    uint64_t waits;          /* lookups that waited for another thread's render */
    uint64_t invalidations;  /* cache_invalidate/_all calls */
    uint64_t dropped;        /* entries they dropped */
    uint64_t refused;        /* puts refused: invalidated meanwhile, or older than the entry held */
} cache_stats;
void cache_get_stats(cache_t *c, cache_stats *out);

#endif
