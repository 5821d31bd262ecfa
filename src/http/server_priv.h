/*
 * server_priv.h - what the two halves of the server share: server.c
 * (threads, listening sockets, accepting and counting connections,
 * shutdown) and request.c (one request, from h2o's callback to the bytes
 * sent). Not for use outside http/.
 */
#ifndef NS_HTTP_SERVER_PRIV_H
#define NS_HTTP_SERVER_PRIV_H

#include <h2o.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>
#include "core/arena.h"
#include "http/cache.h"
#include "http/changes.h"
#include "http/commit.h"
#include "media/worker.h"
#include "http/peer.h"
#include "http/server.h"
#include "store/store.h"

/* One worker thread: its event loop and h2o context, its listening socket,
 * its database connection and the connections it serves. Touched only by
 * its own thread once started. */
typedef struct worker {
    struct server *sv;
    pthread_t thread;
    bool started;
    int listen_fd;             /* its descriptor of the listening socket; -1 once handed to h2o */
    int reserve_fd;            /* kept open to shed a connection when descriptors run out */
    h2o_context_t ctx;
    h2o_accept_ctx_t accept_ctx;
    h2o_socket_t *listener;
    h2o_multithread_receiver_t wakeup; /* receives stop_msg */
    h2o_multithread_message_t stop_msg; /* sent by server_stop: leave the loop */
    bool leaving;              /* stop_msg arrived */
    h2o_multithread_receiver_t commits; /* jobs back from the group commit (request.c) */
    size_t pending;            /* jobs of this worker's requests not back yet */
    h2o_linklist_t conns;      /* server_conn of every open connection */
    /* Event-loop iterations run, and the one in which the store was last
     * asked whether anyone committed (request.c). */
    uint64_t iteration, checked_iteration;
    store_t *store;            /* NULL until first needed, or if it cannot open */
    int64_t store_retry_ms;    /* after a failed open: no new attempt before this */
    int store_failed;          /* that failure's code (0: none), logged once */
    arena_t *scratch;          /* reset per request: path decoding on the hit path */
} worker;

/* The one h2o handler; sv lets the callback find the server. */
typedef struct server_handler {
    h2o_handler_t super;
    struct server *sv;
} server_handler;

struct server {
    h2o_globalconf_t conf;
    const site_config *site;
    char *db_path;
    cache_t *cache;            /* NULL: caching disabled */
    changes_t *changes;        /* the change log as applied to the cache */
    peer_table *peers;
    commit_t *commit;          /* the group commit of writes readers wait for */
    worker_t *media;           /* image variants made off the request threads */
    ratelimit_t *limiter;      /* per-client rate of comments */
    peer_net trusted[SERVER_MAX_TRUSTED];
    size_t ntrusted;
    unsigned nworkers;
    worker *workers;
    sem_t ready;               /* posted by each worker once its loop can be woken */
};

/* h2o's request callback (request.c): always answers, returns 0. */
int request_handle(h2o_handler_t *self, h2o_req_t *req);

/* h2o's receiver of a worker's jobs back from the group commit
 * (request.c): answers their requests. */
void request_on_commit(h2o_multithread_receiver_t *r, h2o_linklist_t *messages);

/* The worker whose context req runs on. */
worker *request_worker(h2o_req_t *req);

#endif
