/*
 * commit.c - the group commit thread (commit.h).
 */
#include "http/commit.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "core/date.h"
#include "core/err.h"
#include "core/log.h"

/* Most jobs one transaction carries: bounds how long the first of them
 * waits behind the others. */
#define COMMIT_BATCH_MAX 512
/* After the database could not be opened, no new attempt before this. */
#define COMMIT_RETRY_MS 500

struct commit {
    pthread_mutex_t lock;
    pthread_cond_t more;
    h2o_linklist_t queue;       /* commit_job.msg.link, oldest first */
    bool stopping;
    pthread_t thread;
    char *location;
    store_t *store;             /* the thread's own; NULL until opened */
    int64_t retry_ms;
    _Atomic uint64_t batches, jobs;
};

/* A job's own refusal, as opposed to a failure of the transaction. */
static bool commit_refusal(int rc)
{
    return rc == NS_EEXIST || rc == NS_EINVAL || rc == NS_ENOTFOUND || rc == NS_EPERM;
}

typedef struct commit_batch {
    commit_job *jobs[COMMIT_BATCH_MAX];
    size_t n;
} commit_batch;

/* store_write's function: every job in a savepoint of its own (a nested
 * store_write), so that a job's refusal undoes its own writes and no
 * other's; the first failure that is not a refusal aborts the whole
 * transaction. */
static int commit_run_all(store_t *s, void *arg)
{
    commit_batch *b = arg;
    for (size_t i = 0; i < b->n; i++) {
        commit_job *j = b->jobs[i];
        j->rc = store_write(s, j->run, j->arg);
        if (j->rc && !commit_refusal(j->rc))
            return j->rc;
    }
    return NS_OK;
}

/* The thread's store, opened (durable) if need be: 0 or why not. */
static int commit_store(commit_t *c)
{
    if (c->store)
        return NS_OK;
    int64_t now = date_monotonic_ms();
    if (now < c->retry_ms)
        return NS_EUNAVAIL;
    int rc = store_open(c->location, 0, &c->store);
    if (rc == NS_OK && (rc = store_durable(c->store)) != NS_OK) {
        store_close(c->store);
        c->store = NULL;
    }
    if (rc != NS_OK) {
        c->retry_ms = now + COMMIT_RETRY_MS;
        log_error("group commit: cannot open the database: %s", ns_strerror(rc));
        return rc == NS_EBUSY ? rc : NS_EUNAVAIL;
    }
    return NS_OK;
}

/* Run one batch and send every job back. */
static void commit_batch_run(commit_t *c, commit_batch *b)
{
    int rc = commit_store(c);
    if (rc == NS_OK)
        rc = store_write(c->store, commit_run_all, b);
    if (rc == NS_EUNAVAIL && c->store) {
        /* the next batch reconnects through a fresh open */
        store_close(c->store);
        c->store = NULL;
    }
    for (size_t i = 0; i < b->n; i++) {
        commit_job *j = b->jobs[i];
        if (rc != NS_OK)
            j->rc = rc;
        h2o_multithread_send_message(j->reply, &j->msg);
    }
    if (rc == NS_OK) {
        atomic_fetch_add(&c->batches, 1);
        atomic_fetch_add(&c->jobs, b->n);
    }
}

static void *commit_thread(void *arg)
{
    commit_t *c = arg;
    commit_batch *b = malloc(sizeof *b);
    if (!b)
        abort();
    pthread_mutex_lock(&c->lock);
    for (;;) {
        while (h2o_linklist_is_empty(&c->queue) && !c->stopping)
            pthread_cond_wait(&c->more, &c->lock);
        if (h2o_linklist_is_empty(&c->queue))
            break; /* stopping, and nothing left */
        b->n = 0;
        while (b->n < COMMIT_BATCH_MAX && !h2o_linklist_is_empty(&c->queue)) {
            commit_job *j = H2O_STRUCT_FROM_MEMBER(commit_job, msg.link, c->queue.next);
            h2o_linklist_unlink(&j->msg.link);
            b->jobs[b->n++] = j;
        }
        pthread_mutex_unlock(&c->lock);
        commit_batch_run(c, b);
        pthread_mutex_lock(&c->lock);
    }
    pthread_mutex_unlock(&c->lock);
    free(b);
    return NULL;
}

commit_t *commit_new(const char *location)
{
    commit_t *c = calloc(1, sizeof *c);
    if (!c || !(c->location = strdup(location)))
        abort();
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->more, NULL);
    h2o_linklist_init_anchor(&c->queue);
    if (pthread_create(&c->thread, NULL, commit_thread, c) != 0)
        abort();
    return c;
}

void commit_submit(commit_t *c, commit_job *j)
{
    j->rc = NS_OK;
    pthread_mutex_lock(&c->lock);
    h2o_linklist_insert(&c->queue, &j->msg.link);
    pthread_cond_signal(&c->more);
    pthread_mutex_unlock(&c->lock);
}

void commit_free(commit_t *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    c->stopping = true;
    pthread_cond_signal(&c->more);
    pthread_mutex_unlock(&c->lock);
    pthread_join(c->thread, NULL);
    store_close(c->store);
    pthread_cond_destroy(&c->more);
    pthread_mutex_destroy(&c->lock);
    free(c->location);
    free(c);
}

void commit_stats(commit_t *c, uint64_t *batches, uint64_t *jobs)
{
    *batches = atomic_load(&c->batches);
    *jobs = atomic_load(&c->jobs);
}
