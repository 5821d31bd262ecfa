/*
 * changes.c - one process's reading of the change log (changes.h).
 *
 * The lock is held while the rows are read and applied, so two workers
 * that noticed the same commit cannot both apply it, and a later commit's
 * rows are never applied before an earlier one's. It is taken only when
 * a worker's connection saw a commit: once per commit and worker, never
 * on a request that finds nothing new.
 */
#include "http/changes.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "core/err.h"

struct changes {
    pthread_mutex_t lock;
    bool started;
    changes_stats st;
};

changes_t *changes_new(void)
{
    changes_t *ch = calloc(1, sizeof *ch);
    if (!ch) {
        fprintf(stderr, "nashra: out of memory\n");
        abort();
    }
    pthread_mutex_init(&ch->lock, NULL);
    return ch;
}

void changes_free(changes_t *ch)
{
    if (!ch)
        return;
    pthread_mutex_destroy(&ch->lock);
    free(ch);
}

/* Read and apply what follows ch->st.last (lock held). */
static int changes_apply(changes_t *ch, store_t *s, cache_t *c, arena_t *scratch)
{
    store_changes got;
    int rc = store_changes_since(s, scratch, ch->st.last, &got);
    if (rc == NS_OK && !ch->started) {
        /* nothing applied yet: start from now, with nothing cached from before */
        got.all = true;
        ch->started = true;
    }
    if (rc != NS_OK || got.all) {
        cache_invalidate_all(c);
        ch->st.drops++;
    } else if (got.n) {
        cache_invalidate(c, got.deps, got.n);
    }
    if (rc == NS_OK && got.last != ch->st.last) {
        ch->st.batches++;
        ch->st.keys += got.n;
        ch->st.last = got.last;
    }
    return rc;
}

int changes_poll(changes_t *ch, store_t *s, cache_t *c, arena_t *scratch)
{
    bool changed;
    int rc = store_changed(s, &changed);
    if (rc != NS_OK) {
        cache_invalidate_all(c);
        return rc;
    }
    if (!changed)
        return NS_OK;
    pthread_mutex_lock(&ch->lock);
    rc = changes_apply(ch, s, c, scratch);
    pthread_mutex_unlock(&ch->lock);
    return rc;
}

void changes_get_stats(changes_t *ch, changes_stats *out)
{
    pthread_mutex_lock(&ch->lock);
    *out = ch->st;
    pthread_mutex_unlock(&ch->lock);
}
