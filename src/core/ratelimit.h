/*
 * ratelimit.h - how often one client may do something: a token bucket per
 * key (a client address), shared by every worker thread of a process.
 * The table has a fixed number of slots; when it is full, the bucket
 * least recently used gives way, so a flood of addresses costs memory
 * bounded at creation and can at worst give an old client a fresh bucket.
 * Each node of a cluster counts on its own.
 */
#ifndef NS_CORE_RATELIMIT_H
#define NS_CORE_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

typedef struct ratelimit ratelimit_t;

/* A table of `slots` buckets (rounded up to a power of two). Caller owns
 * the result (ratelimit_free). */
ratelimit_t *ratelimit_new(size_t slots);
void ratelimit_free(ratelimit_t *r);

/* Take one event for key at now_ms (a monotonic clock), allowing
 * per_minute events a minute with bursts of that size: 0 if allowed (and
 * counted), else the whole seconds until the next one will be (≥ 1).
 * per_minute ≤ 0 allows everything. Thread-safe. */
int ratelimit_take(ratelimit_t *r, const char *key, int per_minute, int64_t now_ms);

#endif
