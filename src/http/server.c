/*
 * server.c - the worker threads, the listening socket and the connections,
 * on h2o (libh2o-evloop).
 *
 * server_start binds one listening socket and gives each worker thread its
 * own h2o event loop and context and its own descriptor of that socket, so
 * every loop watches the same queue. A loop accepts one connection per
 * wake-up: a thread accepts when it is free to, so a busy thread takes
 * fewer new connections. (One SO_REUSEPORT socket per thread was measured
 * 5-8 % slower: the kernel hashes connections to threads whatever their
 * load.) The response cache and the per-address counts are the only
 * mutable state the threads share. h2o parses requests (picohttpparser),
 * keeps the deadline for a whole request head and body (http1.req_timeout:
 * the timer starts when reading a request starts and is not reset by
 * further bytes, unlike an idle timeout), refuses bodies over 1 MiB with
 * 413, and writes responses; request.c decides what to answer.
 *
 * Connections are accepted here rather than by h2o so that each one can be
 * counted against its client address (peer.h; trusted proxies are not
 * counted) and closed at once over the bound, and so that running out of
 * descriptors sheds the waiting connection (accepted in the place of a
 * reserve descriptor and closed) instead of leaving the listening socket
 * readable for ever.
 *
 * server_stop drains rather than cuts: it sets each worker's stop flag and
 * wakes its loop; the worker closes its listening descriptor, shuts the
 * reading side of every open connection (idle ones see end of input and
 * close, one whose response is being written closes after it) and runs its
 * loop until they are all closed or 3 s have passed. Then the threads are
 * joined and everything is freed.
 */
#include "http/server.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "core/err.h"
#include "http/cache.h"
#include "http/router.h"
#include "http/server_priv.h"

#define SERVER_BACKLOG 1024
#define SERVER_MAX_BODY (1024 * 1024)  /* request bodies, as nginx's client_max_body_size */
#define SERVER_RATE_SLOTS 16384         /* clients whose comment rate is followed at once */
#define SERVER_DRAIN_MS 3000           /* how long stop waits for responses in progress */
/* glibc's malloc hands freed memory at the top of a thread's heap back to
 * the kernel once it exceeds the trim threshold, and serves large blocks
 * with mmap: a page render (its arena's growing blocks, zlib's state) then
 * frees and faults in the same memory on every request, which measured at
 * a third of the uncached page rate. Keeping it costs at most what the
 * busiest moment needed. */
#define SERVER_TRIM_THRESHOLD (64 << 20)
#define SERVER_MMAP_THRESHOLD (4 << 20)

/* One open connection, from accept to close (h2o's on_close). */
typedef struct server_conn {
    h2o_linklist_t link;       /* in worker.conns */
    worker *w;
    h2o_socket_t *sock;
    peer_addr addr;
    bool counted;              /* holds a place in sv->peers */
} server_conn;

int server_parse_listen(const char *spec, char *host, size_t hostcap, unsigned *port)
{
    const char *colon = strrchr(spec, ':');
    if (!colon || colon == spec)
        return NS_EINVAL;
    const char *h = spec, *he = colon;
    if (*h == '[') {
        if (he[-1] != ']' || he - h < 3)
            return NS_EINVAL;
        h++;
        he--;
    } else if (memchr(h, ':', (size_t)(he - h)) || memchr(h, ']', (size_t)(he - h))) {
        return NS_EINVAL; /* bare IPv6 must be bracketed */
    }
    char *end;
    errno = 0;
    unsigned long p = strtoul(colon + 1, &end, 10);
    if (colon[1] < '0' || colon[1] > '9' || *end || errno || p < 1 || p > 65535)
        return NS_EINVAL;
    if ((size_t)(he - h) >= hostcap)
        return NS_EINVAL;
    memcpy(host, h, (size_t)(he - h));
    host[he - h] = '\0';
    *port = (unsigned)p;
    return NS_OK;
}

static int server_errno_code(int e)
{
    return e == EADDRINUSE ? NS_EBUSY : (e == EACCES || e == EPERM) ? NS_EPERM
         : e == EADDRNOTAVAIL ? NS_EINVAL : NS_EIO;
}

/* A bound, listening, non-blocking socket for host:port in *fd. */
static int server_listen(const char *host, unsigned port, int *fd)
{
    char ps[8];
    snprintf(ps, sizeof ps, "%u", port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV}, *ai;
    if (getaddrinfo(host, ps, &hints, &ai) != 0)
        return NS_EINVAL;
    int s = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    int one = 1, rc = NS_OK;
    if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(s, ai->ai_addr, ai->ai_addrlen) != 0 || listen(s, SERVER_BACKLOG) != 0)
        rc = server_errno_code(errno);
    freeaddrinfo(ai);
    if (rc != NS_OK) {
        if (s >= 0)
            close(s);
        return rc;
    }
    *fd = s;
    return NS_OK;
}

/* h2o's on_close of an accepted socket: the connection is gone. */
static void server_conn_closed(void *data)
{
    server_conn *c = data;
    if (c->counted)
        peer_release(c->w->sv->peers, &c->addr);
    h2o_linklist_unlink(&c->link);
    free(c);
}

/* Admit an accepted socket, or close it if its address holds too many. */
static void server_admit(worker *w, h2o_socket_t *sock)
{
    struct sockaddr_storage ss;
    peer_addr addr = {0};
    if (h2o_socket_getpeername(sock, (struct sockaddr *)&ss))
        peer_from_sockaddr((struct sockaddr *)&ss, &addr);
    bool trusted = peer_in_nets(&addr, w->sv->trusted, w->sv->ntrusted);
    if (!trusted && !peer_acquire(w->sv->peers, &addr)) {
        h2o_socket_close(sock);
        return;
    }
    server_conn *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    *c = (server_conn){.w = w, .sock = sock, .addr = addr, .counted = !trusted};
    h2o_linklist_insert(&w->conns, &c->link);
    sock->on_close.cb = server_conn_closed;
    sock->on_close.data = c;
    h2o_accept(&w->accept_ctx, sock);
}

/* Out of descriptors: the pending connection can be neither served nor
 * left in the queue (the listener would stay readable and the loop spin),
 * so accept it on the reserve descriptor's slot and close it at once. */
static void server_shed(worker *w)
{
    int fd = h2o_socket_get_fd(w->listener);
    if (w->reserve_fd >= 0)
        close(w->reserve_fd);
    int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
    if (c >= 0)
        close(c);
    w->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

/* One connection per wake-up: the listening socket stays readable while
 * more wait, and every loop sees that, so the least busy thread, which
 * gets back to epoll first, takes most of them. */
static void server_on_accept(h2o_socket_t *listener, const char *err)
{
    worker *w = listener->data;
    if (err)
        return;
    h2o_socket_t *sock = h2o_evloop_socket_accept(listener);
    if (sock)
        server_admit(w, sock);
    else if (errno == EMFILE || errno == ENFILE)
        server_shed(w);
}

/* server_stop's message: leave the loop. A worker leaves on this message
 * alone, never on a flag it could see before the message is sent, because
 * leaving closes the pipe that server_stop writes the message to. */
static void server_on_wakeup(h2o_multithread_receiver_t *r, h2o_linklist_t *messages)
{
    worker *w = H2O_STRUCT_FROM_MEMBER(worker, wakeup, r);
    while (!h2o_linklist_is_empty(messages))
        h2o_linklist_unlink(messages->next);
    w->leaving = true;
}

/* Stop reading from every connection: idle ones see end of input and
 * close; one whose response is being written closes after it (the context
 * asks for Connection: close). Then wait for them, a bounded time. */
static void server_drain(worker *w)
{
    w->ctx.shutdown_requested = 1; /* (h2o_context_request_shutdown also arms an HTTP/2 timer) */
    for (h2o_linklist_t *n = w->conns.next; n != &w->conns; n = n->next) {
        server_conn *c = H2O_STRUCT_FROM_MEMBER(server_conn, link, n);
        shutdown(h2o_socket_get_fd(c->sock), SHUT_RD);
    }
    uint64_t deadline = h2o_now(w->ctx.loop) + SERVER_DRAIN_MS;
    while (!h2o_linklist_is_empty(&w->conns) && h2o_now(w->ctx.loop) < deadline)
        h2o_evloop_run(w->ctx.loop, 50);
}

/* The worker's loop, context and listener, made on the worker's own thread
 * and disposed there: h2o recycles socket buffers through lists private to
 * the thread that created the socket (h2o_socket_buffer_prototype is
 * thread-local), so a socket made on another thread would have every
 * worker freeing into and allocating from that thread's list at once. */
static void server_worker_init(worker *w)
{
    h2o_evloop_t *loop = h2o_evloop_create();
    h2o_context_init(&w->ctx, loop, &w->sv->conf);
    w->accept_ctx = (h2o_accept_ctx_t){.ctx = &w->ctx, .hosts = w->sv->conf.hosts};
    h2o_multithread_register_receiver(w->ctx.queue, &w->wakeup, server_on_wakeup);
    h2o_multithread_register_receiver(w->ctx.queue, &w->commits, request_on_commit);
    w->listener = h2o_evloop_socket_create(loop, w->listen_fd, H2O_SOCKET_FLAG_DONT_READ);
    w->listen_fd = -1; /* h2o closes it now */
    w->listener->data = w;
    h2o_socket_read_start(w->listener, server_on_accept);
}

static void server_worker_dispose(worker *w)
{
    h2o_evloop_t *loop = w->ctx.loop;
    h2o_multithread_unregister_receiver(w->ctx.queue, &w->wakeup);
    h2o_multithread_unregister_receiver(w->ctx.queue, &w->commits);
    h2o_context_dispose(&w->ctx);
    h2o_evloop_run(loop, 0); /* sockets closed above are freed by the loop */
    h2o_evloop_destroy(loop);
}

/* server_start waits for `ready`, so that server_stop can always wake
 * the loop of a worker that was started. */
static void *server_thread(void *arg)
{
    worker *w = arg;
    server_worker_init(w);
    sem_post(&w->sv->ready);
    while (!w->leaving) {
        w->iteration++;
        h2o_evloop_run(w->ctx.loop, INT32_MAX);
    }
    h2o_socket_read_stop(w->listener);
    h2o_socket_close(w->listener);
    server_drain(w);
    /* a job still at the group commit comes back to this loop: wait for
     * it (the commit thread finishes every job, failed or not) */
    while (w->pending)
        h2o_evloop_run(w->ctx.loop, 50);
    server_worker_dispose(w);
    return NULL;
}

/* The one h2o configuration: a single catch-all handler, nginx's limits. */
static void server_configure(server_t *sv, unsigned timeout)
{
    h2o_config_init(&sv->conf);
    sv->conf.server_name = h2o_iovec_init(H2O_STRLIT("")); /* no Server header */
    sv->conf.http1.req_timeout = (uint64_t)timeout * 1000;
    sv->conf.http1.upgrade_to_http2 = 0; /* requests are checked as HTTP/1 heads */
    /* h2o holds a whole body before the route is known, so its bound is
     * what one connection may make the server hold: the largest a route
     * takes (an upload) plus a margin within which the route's limit
     * still answers with the site's own 413 page; beyond it h2o's plain 413 */
    sv->conf.max_request_entity_size = router_body_max() + 2 * SERVER_MAX_BODY;
    h2o_hostconf_t *host = h2o_config_register_host(&sv->conf, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    h2o_pathconf_t *paths[] = {h2o_config_register_path(host, "/", 0), &host->fallback_path};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        server_handler *h = (server_handler *)h2o_create_handler(paths[i], sizeof *h);
        h->super.on_req = request_handle;
        h->sv = sv;
    }
}

/* The listening socket, and a descriptor of it for each worker's loop. */
static int server_bind_all(server_t *sv, const server_opts *o)
{
    int fd, rc = server_listen(o->host, o->port, &fd);
    if (rc != NS_OK)
        return rc;
    sv->workers[0].listen_fd = fd;
    for (unsigned i = 1; i < sv->nworkers; i++)
        if ((sv->workers[i].listen_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0)
            return NS_EIO;
    return NS_OK;
}

static server_t *server_new(const server_opts *o)
{
    server_t *sv = calloc(1, sizeof *sv);
    if (!sv)
        abort();
    sv->site = o->site;
    sv->db_path = strdup(o->db_path);
    sv->cache = o->no_cache ? NULL : cache_new(o->cache_bytes);
    sv->changes = changes_new();
    sv->peers = peer_table_new(o->max_conns_per_client);
    sv->commit = commit_new(o->db_path);
    sv->media = worker_new(o->db_path, o->site->dir ? o->site->dir : ".");
    sv->limiter = ratelimit_new(SERVER_RATE_SLOTS);
    sv->ntrusted = o->ntrusted;
    memcpy(sv->trusted, o->trusted, o->ntrusted * sizeof *o->trusted);
    sv->nworkers = o->threads;
    sv->workers = calloc(o->threads, sizeof *sv->workers);
    if (!sv->db_path || !sv->workers || sem_init(&sv->ready, 0, 0) != 0)
        abort();
    for (unsigned i = 0; i < o->threads; i++) {
        worker *w = &sv->workers[i];
        w->sv = sv;
        w->listen_fd = -1;
        w->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        w->scratch = arena_new(SERVER_MAX_PATH * 2);
        h2o_linklist_init_anchor(&w->conns);
    }
    server_configure(sv, o->request_timeout ? o->request_timeout : SERVER_DEFAULT_TIMEOUT);
    return sv;
}

int server_start(const server_opts *o, server_t **out)
{
    if (o->threads < 1 || o->threads > SERVER_MAX_THREADS || !o->db_path || !o->site ||
        o->ntrusted > SERVER_MAX_TRUSTED)
        return NS_EINVAL;
    mallopt(M_TRIM_THRESHOLD, SERVER_TRIM_THRESHOLD);
    mallopt(M_MMAP_THRESHOLD, SERVER_MMAP_THRESHOLD);
    server_t *sv = server_new(o);
    int rc = server_bind_all(sv, o);
    for (unsigned i = 0; rc == NS_OK && i < sv->nworkers; i++) {
        worker *w = &sv->workers[i];
        if (pthread_create(&w->thread, NULL, server_thread, w) != 0)
            rc = NS_EIO;
        else
            w->started = true;
    }
    for (unsigned i = 0; i < sv->nworkers; i++)
        if (sv->workers[i].started)
            while (sem_wait(&sv->ready) != 0 && errno == EINTR)
                continue;
    if (rc != NS_OK) {
        server_stop(sv);
        return rc;
    }
    *out = sv;
    return NS_OK;
}

void server_stop(server_t *sv)
{
    if (!sv)
        return;
    for (unsigned i = 0; i < sv->nworkers; i++) {
        worker *w = &sv->workers[i];
        if (w->started)
            h2o_multithread_send_message(&w->wakeup, &w->stop_msg);
    }
    for (unsigned i = 0; i < sv->nworkers; i++) {
        worker *w = &sv->workers[i];
        if (w->started)
            pthread_join(w->thread, NULL);
        if (w->listen_fd >= 0)
            close(w->listen_fd);
        if (w->reserve_fd >= 0)
            close(w->reserve_fd);
        store_close(w->store);
        arena_free(w->scratch);
    }
    commit_free(sv->commit); /* after the workers: none is waiting for a job */
    worker_free(sv->media);
    ratelimit_free(sv->limiter);
    h2o_config_dispose(&sv->conf);
    cache_free(sv->cache);
    changes_free(sv->changes);
    peer_table_free(sv->peers);
    sem_destroy(&sv->ready);
    free(sv->workers);
    free(sv->db_path);
    free(sv);
}
