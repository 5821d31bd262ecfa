/*
 * worker.c - the thread that makes image variants (worker.h).
 */
#include "media/worker.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "media/image.h"
#include "media/library.h"
#include "store/store.h"

/* Rows read at a time while looking for missing variants. */
#define WORKER_SCAN_BATCH 500

struct worker_t {
    pthread_mutex_t lock;
    pthread_cond_t more;        /* a job was queued, or stopping */
    pthread_cond_t handled_cv;  /* a job was handled */
    int64_t *queue;             /* ids, queue[head..tail) waiting */
    size_t head, tail, cap;
    /* jobs ever queued and handled: worker_flush waits for handled to
     * reach queued. The scan for missing
     * variants at start counts as one job; a scan after reopening the
     * store is part of the job that reopened it. */
    uint64_t queued, handled;
    uint64_t made, failed;
    bool stopping;
    pthread_t thread;
    char *location, *dir;
    store_t *store;             /* the thread's own; NULL until opened */
};

/* Append id (lock held). */
static void worker_push(worker_t *w, int64_t id)
{
    if (w->head > 0 && w->tail == w->cap) { /* reuse the handled front */
        memmove(w->queue, w->queue + w->head, (w->tail - w->head) * sizeof *w->queue);
        w->tail -= w->head;
        w->head = 0;
    }
    if (w->tail == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 64;
        if (!(w->queue = realloc(w->queue, w->cap * sizeof *w->queue)))
            abort();
    }
    w->queue[w->tail++] = id;
    w->queued++;
}

/* Count one job handled (lock held). */
static void worker_done(worker_t *w, int rc)
{
    w->handled++;
    if (rc == NS_OK)
        w->made++;
    else
        w->failed++;
    pthread_cond_broadcast(&w->handled_cv);
}

/* Queue every row whose variants are missing (without the lock held). */
static void worker_scan(worker_t *w, arena_t *a)
{
    int64_t after = 0;
    for (;;) {
        store_media *m;
        size_t n;
        arena_reset(a);
        if (store_media_list(w->store, a, after, WORKER_SCAN_BATCH, &m, &n) != NS_OK || n == 0)
            return;
        pthread_mutex_lock(&w->lock);
        for (size_t i = 0; i < n; i++)
            if (library_needs_variants(&m[i]))
                worker_push(w, m[i].id);
        pthread_cond_signal(&w->more);
        pthread_mutex_unlock(&w->lock);
        after = m[n - 1].id;
    }
}

/* The thread's store, opened if need be, and on each opening the rows
 * left without variants queued. 0 or the open's code. */
static int worker_store(worker_t *w, arena_t *a)
{
    if (w->store)
        return NS_OK;
    int rc = store_open(w->location, 0, &w->store);
    if (rc != NS_OK) {
        w->store = NULL;
        log_error("media: cannot open the database: %s", ns_strerror(rc));
        return rc;
    }
    worker_scan(w, a);
    return NS_OK;
}

/* Make one image's variants. */
static int worker_make(worker_t *w, arena_t *a, int64_t id)
{
    int rc = worker_store(w, a);
    arena_reset(a);
    if (rc == NS_OK)
        rc = library_make_variants(w->store, a, w->dir, id);
    if (rc == NS_EUNAVAIL) { /* the next image reconnects */
        store_close(w->store);
        w->store = NULL;
    }
    if (rc != NS_OK && rc != NS_ENOTFOUND)
        log_error("media: variants of image %lld: %s", (long long)id, ns_strerror(rc));
    return rc == NS_ENOTFOUND ? NS_OK : rc; /* deleted meanwhile: nothing to make */
}

static void *worker_thread(void *arg)
{
    worker_t *w = arg;
    arena_t *a = arena_new(1 << 14);
    int rc = worker_store(w, a);
    pthread_mutex_lock(&w->lock);
    worker_done(w, rc); /* the first scan, counted by worker_new */
    for (;;) {
        while (w->head == w->tail && !w->stopping)
            pthread_cond_wait(&w->more, &w->lock);
        if (w->stopping)
            break;
        int64_t id = w->queue[w->head++];
        pthread_mutex_unlock(&w->lock);
        int rc = worker_make(w, a, id);
        pthread_mutex_lock(&w->lock);
        worker_done(w, rc);
    }
    pthread_mutex_unlock(&w->lock);
    arena_free(a);
    return NULL;
}

worker_t *worker_new(const char *location, const char *dir)
{
    worker_t *w = calloc(1, sizeof *w);
    if (!w || !(w->location = strdup(location)) || !(w->dir = strdup(dir ? dir : ".")))
        abort();
    if (image_init() != NS_OK)
        log_error("media: libvips could not start; images will not be resized");
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->more, NULL);
    pthread_cond_init(&w->handled_cv, NULL);
    w->queued = 1; /* the first scan: worker_flush waits for it */
    if (pthread_create(&w->thread, NULL, worker_thread, w) != 0)
        abort();
    return w;
}

void worker_submit(worker_t *w, int64_t id)
{
    pthread_mutex_lock(&w->lock);
    worker_push(w, id);
    pthread_cond_signal(&w->more);
    pthread_mutex_unlock(&w->lock);
}

void worker_flush(worker_t *w)
{
    pthread_mutex_lock(&w->lock);
    /* until nothing is left, not a count taken now: the first scan
     * queues what it finds after this call may have begun */
    while (w->handled < w->queued && !w->stopping)
        pthread_cond_wait(&w->handled_cv, &w->lock);
    pthread_mutex_unlock(&w->lock);
}

void worker_free(worker_t *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stopping = true;
    pthread_cond_signal(&w->more);
    pthread_cond_broadcast(&w->handled_cv);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    store_close(w->store);
    pthread_cond_destroy(&w->more);
    pthread_cond_destroy(&w->handled_cv);
    pthread_mutex_destroy(&w->lock);
    free(w->queue);
    free(w->location);
    free(w->dir);
    free(w);
}

void worker_stats(worker_t *w, uint64_t *made, uint64_t *failed)
{
    pthread_mutex_lock(&w->lock);
    *made = w->made;
    *failed = w->failed;
    pthread_mutex_unlock(&w->lock);
}
