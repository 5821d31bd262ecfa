/*
 * changes.h - following the store's change log for the response cache.
 *
 * Every worker's connection notices another connection's commit by itself
 * (store_changed), so the log must be applied once per process, not once
 * per worker: the follower keeps the sequence number of the last change
 * applied, and whichever worker notices first reads the new rows under the
 * follower's lock and invalidates the entries built from the keys they
 * name. The others find nothing newer and return. The same follower would
 * take its news from PostgreSQL's LISTEN/NOTIFY; only store_changed and
 * store_changes_since differ.
 */
#ifndef NS_HTTP_CHANGES_H
#define NS_HTTP_CHANGES_H

#include <stdint.h>
#include "core/arena.h"
#include "http/cache.h"
#include "store/store.h"

typedef struct changes changes_t;

/* New follower that has applied nothing (its first poll starts it from
 * the newest change and drops whatever c holds). Caller owns it. */
changes_t *changes_new(void);
void changes_free(changes_t *ch);

/* If anything was committed since s last asked, apply the logged changes
 * not yet applied by this process to c: drop the entries built from the
 * keys they name (everything if the log cannot say). scratch holds the
 * rows read. An error drops everything too (a cache that cannot vouch for
 * its pages keeps none) and is returned. Thread-safe; s is the caller's. */
int changes_poll(changes_t *ch, store_t *s, cache_t *c, arena_t *scratch);

/* What the follower has done, for /healthz and tests. */
typedef struct changes_stats {
    uint64_t batches;   /* polls that found new changes: one per commit, or fewer */
    uint64_t keys;      /* keys those changes named (each once per batch) */
    uint64_t drops;     /* times everything was dropped (gap in the log, error) */
    int64_t last;       /* sequence number of the last change applied */
} changes_stats;
void changes_get_stats(changes_t *ch, changes_stats *out);

#endif
