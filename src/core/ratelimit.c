/*
 * ratelimit.c - token buckets in a fixed open-addressed table
 * (ratelimit.h). A bucket holds up to per_minute tokens and regains them
 * at per_minute a minute; it is found by a 64-bit hash of its key within
 * RATELIMIT_PROBE slots of its home, and a full neighbourhood gives up
 * its least recently used bucket.
 */
#include "core/ratelimit.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define RATELIMIT_PROBE 8

typedef struct bucket {
    uint64_t hash;      /* 0: empty */
    double tokens;
    int64_t last_ms;    /* when tokens was last brought up to date */
} bucket;

struct ratelimit {
    pthread_mutex_t lock;
    size_t mask;
    bucket *b;
};

ratelimit_t *ratelimit_new(size_t slots)
{
    size_t n = 16;
    while (n < slots)
        n <<= 1;
    ratelimit_t *r = calloc(1, sizeof *r);
    if (!r || !(r->b = calloc(n, sizeof *r->b)))
        abort();
    r->mask = n - 1;
    pthread_mutex_init(&r->lock, NULL);
    return r;
}

void ratelimit_free(ratelimit_t *r)
{
    if (!r)
        return;
    pthread_mutex_destroy(&r->lock);
    free(r->b);
    free(r);
}

/* FNV-1a, never 0 (0 marks an empty slot). */
static uint64_t ratelimit_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h ? h : 1;
}

/* The bucket of hash h; a new one (full) in the first empty slot of its
 * neighbourhood, or in place of the least recently used one there. Slots
 * are never emptied, so no bucket of h lies beyond an empty slot. */
static bucket *ratelimit_find(ratelimit_t *r, uint64_t h, int per_minute, int64_t now)
{
    bucket *victim = &r->b[h & r->mask];
    for (size_t i = 0; i < RATELIMIT_PROBE; i++) {
        bucket *b = &r->b[(h + i) & r->mask];
        if (b->hash == h)
            return b;
        if (b->hash == 0) {
            victim = b;
            break;
        }
        if (b->last_ms < victim->last_ms)
            victim = b;
    }
    *victim = (bucket){.hash = h, .tokens = per_minute, .last_ms = now};
    return victim;
}

int ratelimit_take(ratelimit_t *r, const char *key, int per_minute, int64_t now_ms)
{
    if (per_minute <= 0)
        return 0;
    uint64_t h = ratelimit_hash(key);
    double rate = per_minute / 60000.0; /* tokens a millisecond */
    pthread_mutex_lock(&r->lock);
    bucket *b = ratelimit_find(r, h, per_minute, now_ms);
    if (now_ms > b->last_ms) {
        b->tokens += (double)(now_ms - b->last_ms) * rate;
        b->last_ms = now_ms;
    }
    if (b->tokens > per_minute)
        b->tokens = per_minute;
    int wait = 0;
    if (b->tokens >= 1)
        b->tokens -= 1;
    else
        wait = (int)ceil((1 - b->tokens) / rate / 1000.0);
    pthread_mutex_unlock(&r->lock);
    return wait;
}
