/*
 * commit.h - the group commit: writes a person waits for (a comment) made
 * durable together.
 *
 * One fsync takes milliseconds; one per comment would cap a site at a few
 * hundred comments a second, and a worker thread waiting for it would
 * stall every other reader on its event loop. So a request that writes
 * queues a job and returns to its loop; one thread per process, with a
 * connection of its own whose commits are durable (store_durable), takes
 * every job queued since its last commit and runs them in one
 * transaction, each in a savepoint of its own (store_write nested), so
 * that one commit, and one fsync, covers them all. Each job then goes
 * back to the loop that queued it (an h2o message), which answers the
 * request: nobody is told a comment is saved before it is on disk.
 *
 * A job's own refusal (NS_EEXIST, NS_EINVAL, NS_ENOTFOUND, NS_EPERM) is
 * its own; any other failure rolls the whole transaction back and every
 * job of it gets that code (busy attempts are first retried by
 * store_write).
 */
#ifndef NS_HTTP_COMMIT_H
#define NS_HTTP_COMMIT_H

#include <h2o.h>
#include "store/store.h"

typedef struct commit commit_t;

/* A write waiting for the group commit. The submitter owns it; it must
 * stay valid until it comes back through `reply`. */
typedef struct commit_job {
    h2o_multithread_message_t msg;     /* queue link, then the reply message */
    h2o_multithread_receiver_t *reply; /* the loop the job returns to */
    /* run on the commit thread inside the shared transaction, with its
     * connection; must only write through the store */
    int (*run)(store_t *s, void *arg);
    void *arg;
    int rc;                            /* run's result, or the commit's failure */
} commit_job;

/* Start the commit thread for the database at location (opened on first
 * use, and again after a failure). Caller owns the result (commit_free). */
commit_t *commit_new(const char *location);

/* Queue j; it comes back to j->reply once committed or failed. */
void commit_submit(commit_t *c, commit_job *j);

/* Finish every queued job, stop the thread and free c (NULL ok). Each
 * job's reply loop must still be receiving. */
void commit_free(commit_t *c);

/* Transactions committed and jobs they carried (for /healthz). */
void commit_stats(commit_t *c, uint64_t *batches, uint64_t *jobs);

#endif
