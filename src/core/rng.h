/*
 * rng.h - a small deterministic generator (splitmix64) for content made
 * from a seed: the demo site, the benchmarks' corpora. Not for secrets
 * (core/secret.h has libsodium's). Header-only: each use inlines it.
 */
#ifndef NS_CORE_RNG_H
#define NS_CORE_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct rng {
    uint64_t s;   /* the state; set it to the seed */
} rng_t;

/* The next 64 random bits. */
static inline uint64_t rng_next(rng_t *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* A number in [0, n), n > 0. */
static inline size_t rng_below(rng_t *r, size_t n)
{
    return (size_t)(rng_next(r) % n);
}

/* A number in [0, 1). */
static inline double rng_unit(rng_t *r)
{
    return (double)(rng_next(r) >> 11) / 9007199254740992.0;
}

#endif
