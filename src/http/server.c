/*
 * server.c - libmicrohttpd glue.
 *
 * The request path is arranged so that a cached page costs a URL decode on a
 * per-thread scratch arena (reset, not reallocated), one store generation
 * read and one cache lookup: no allocation at all. Only a miss creates the
 * request's own arena, runs the router and a handler, and builds responses.
 * Paths are decoded here rather than by libmicrohttpd (whose unescaping is
 * disabled) so that %00, bad escapes and bad UTF-8 are refused with 400.
 * The listening socket is created here too, so that "address in use" can be
 * reported precisely instead of as a generic start failure.
 */
#include "http/server.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/text.h"
#include "http/cache.h"
#include "http/respond.h"
#include "http/router.h"

#define SERVER_TIMEOUT 30      /* seconds of idle before a connection is closed */
#define SERVER_BACKLOG 1024
#define SERVER_CONN_MEMORY (8 * 1024) /* per connection: request head + reply head */
/* What one worker thread owns; freed by server_stop. */
typedef struct worker {
    store_t *store;
    arena_t *scratch;          /* reset per request: path decoding on the hit path */
    struct worker *next;
} worker;

struct server {
    struct MHD_Daemon *mhd;
    const site_config *site;
    char *db_path;
    cache_t *cache;            /* NULL: caching disabled */
    pthread_mutex_t lock;      /* guards workers */
    worker *workers;
};

static __thread worker *tl_worker;
static __thread const server_t *tl_server;

/* This thread's worker, opening its store on first use; NULL if it cannot. */
static worker *server_worker(server_t *sv)
{
    if (tl_server == sv && tl_worker)
        return tl_worker;
    store_t *st;
    int rc = store_open(sv->db_path, 0, &st);
    if (rc != NS_OK) {
        log_error("cannot open %s: %s", sv->db_path, ns_strerror(rc));
        return NULL;
    }
    worker *w = calloc(1, sizeof *w);
    if (!w)
        abort();
    w->store = st;
    w->scratch = arena_new(SERVER_MAX_PATH * 2);
    pthread_mutex_lock(&sv->lock);
    w->next = sv->workers;
    sv->workers = w;
    pthread_mutex_unlock(&sv->lock);
    tl_worker = w;
    tl_server = sv;
    return w;
}

/* The store generation, exact: this process's commits move it at once,
 * and other processes' commits are noticed through the WAL-index header,
 * so the database itself is only asked when something may have changed. */
static uint64_t server_generation(worker *w)
{
    if (store_maybe_changed(w->store))
        store_generation(w->store);
    return store_generation_local();
}

/* libmicrohttpd must not unescape: paths are decoded by text_url_decode. */
static size_t server_no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

/* *req_cls between the first call of a request (headers) and the call that
 * answers it; replaced by the request arena on a cache miss. */
static char server_pending;

static void server_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                             enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    if (*req_cls != &server_pending)
        arena_free(*req_cls);
    *req_cls = NULL;
}

/* Append a query key or value as received (libmicrohttpd leaves it
 * escaped but turns '+' into ' '): restore '+', escape what a header must
 * not carry. */
static void server_query_part(buf_t *b, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == ' ')
            buf_putc(b, '+');
        else if (ch < 0x21 || ch > 0x7e || ch == '"' || ch == '<' || ch == '>' || ch == '\\')
            buf_printf(b, "%%%02X", ch);
        else
            buf_putc(b, (char)ch);
    }
}

static enum MHD_Result server_query_arg(void *cls, enum MHD_ValueKind kind,
                                        const char *key, const char *value)
{
    (void)kind;
    buf_t *b = cls;
    buf_putc(b, b->len ? '&' : '?');
    server_query_part(b, key);
    if (value) {
        buf_putc(b, '=');
        server_query_part(b, value);
    }
    return MHD_YES;
}

/* Fill rs with a redirect to the decoded path or absolute URL `to`, keeping
 * the request's query string when asked. */
static void server_redirect(struct MHD_Connection *c, hresp_t *rs, const char *to,
                            int status, bool keep_query)
{
    buf_t loc;
    buf_init(&loc, rs->body.arena);
    if (strncmp(to, "http://", 7) == 0 || strncmp(to, "https://", 8) == 0)
        buf_puts(&loc, to);
    else
        buf_url_escape(&loc, to, strlen(to));
    if (keep_query) {
        buf_t q;
        buf_init(&q, rs->body.arena);
        MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, server_query_arg, &q);
        buf_puts(&loc, buf_cstr(&q));
    }
    rs->status = status;
    rs->location = buf_cstr(&loc);
    rs->content_type = "text/plain; charset=utf-8";
    buf_clear(&rs->body);
    buf_puts(&rs->body, "moved\n");
}

static void server_resp_init(hresp_t *rs, arena_t *a)
{
    memset(rs, 0, sizeof *rs);
    rs->status = 200;
    rs->content_type = "text/html; charset=utf-8";
    buf_init(&rs->body, a);
}

/* NS_ENOTFOUND from routing or a handler: try the redirects table. */
static int server_try_redirect(struct MHD_Connection *c, hreq_t *rq, hresp_t *rs)
{
    store_redirect red;
    if (store_redirect_lookup(rq->store, rq->arena, rq->path, &red) != NS_OK || !red.to_path)
        return NS_ENOTFOUND;
    server_redirect(c, rs, red.to_path, red.status == 302 ? 302 : 301, false);
    return NS_OK;
}

/* Route and run the handler; 0 with rs filled, or an NS_E* code. */
static int server_dispatch(struct MHD_Connection *c, hreq_t *rq, hresp_t *rs)
{
    route_match m;
    int r = router_match(rq->arena, rq->path, &m);
    if (r == ROUTER_REDIRECT) {
        server_redirect(c, rs, m.redirect, 301, true);
        return NS_OK;
    }
    int rc = NS_ENOTFOUND;
    if (r == ROUTER_HANDLER) {
        memcpy(rq->params, m.params, sizeof m.params);
        rq->nparams = m.nparams;
        rq->page = m.page;
        rc = m.fn(rq, rs);
    }
    if (rc == NS_ENOTFOUND)
        rc = server_try_redirect(c, rq, rs);
    return rc;
}

/* What a request that reaches rendering carries. */
typedef struct server_req {
    bool head;
    const char *key;   /* cache key: the path as received */
    const char *path;  /* decoded path */
    uint64_t gen;      /* store generation read before rendering */
    int64_t now;
} server_req;

/* Cache miss: render on a fresh request arena, cache if allowed, queue.
 * A request already refused (rc != 0: bad path, unsupported method) gets
 * the themed error page for rc, like a handler's error. */
static enum MHD_Result server_render(server_t *sv, worker *w, struct MHD_Connection *c,
                                     const server_req *r, int rc, void **req_cls)
{
    arena_t *a = arena_new(0);
    *req_cls = a;
    hreq_t rq = {.arena = a, .store = w->store, .site = sv->site,
                 .method = r->head ? "HEAD" : "GET", .path = arena_strdup(a, r->path),
                 .now = r->now, .page = 1};
    hresp_t rs;
    server_resp_init(&rs, a);
    if (rc == NS_OK && (rc = store_read_begin(w->store)) == NS_OK) {
        rc = server_dispatch(c, &rq, &rs);
        store_read_end(w->store);
    }
    if (rc != NS_OK) {
        /* the reader's fault is the reader's business; ours goes to the log */
        if (rc != NS_ENOTFOUND && rc != NS_EINVAL && rc != NS_ETOOBIG && rc != NS_EMETHOD)
            log_error("%s %s: %s", rq.method, r->path, ns_strerror(rc));
        server_resp_init(&rs, a);
        handler_error(&rq, &rs, rc);
        rs.cacheable = false;
    }
    bool keep = sv->cache && rs.cacheable && (rs.status == 200 || rs.status == 0);
    cache_entry *e = respond_entry(a, &rs, !keep, keep || respond_client_gzip(c));
    if (keep) {
        e->generation = r->gen;
        cache_put(sv->cache, r->key, e);
    }
    if (e->status == MHD_HTTP_METHOD_NOT_ALLOWED)
        for (int i = 0; i < CACHE_NVARIANTS; i++)
            if (e->v[i].full)
                MHD_add_response_header(e->v[i].full, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    enum MHD_Result ret = respond_queue(c, e);
    cache_entry_release(e);
    return ret;
}

/* Why a request cannot be served, before any routing: NS_OK if it can. */
static int server_check(const char *method, const char *url, size_t rawlen, bool *head)
{
    *head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
    if (!*head && strcmp(method, MHD_HTTP_METHOD_GET) != 0)
        return NS_EMETHOD;
    if (rawlen > SERVER_MAX_PATH)
        return NS_ETOOBIG;
    return url[0] == '/' ? NS_OK : NS_EINVAL;
}

static enum MHD_Result server_access(void *cls, struct MHD_Connection *c, const char *url,
                                     const char *method, const char *version,
                                     const char *upload_data, size_t *upload_size,
                                     void **req_cls)
{
    (void)version;
    (void)upload_data;
    server_t *sv = cls;
    /* Answer only once the whole request is in: a response queued from the
     * first call would make libmicrohttpd close the connection. */
    if (!*req_cls) {
        *req_cls = &server_pending;
        return MHD_YES;
    }
    if (*upload_size) { /* a body (POST…): discarded, refused below */
        *upload_size = 0;
        return MHD_YES;
    }
    size_t rawlen = strlen(url);
    bool head;
    int rc = server_check(method, url, rawlen, &head);
    worker *w = server_worker(sv);
    if (!w)
        return respond_plain(c, MHD_HTTP_SERVICE_UNAVAILABLE, "database unavailable\n");
    server_req r = {.head = head, .key = url, .path = "/", .now = (int64_t)time(NULL)};
    if (rc != NS_OK)
        return server_render(sv, w, c, &r, rc, req_cls);
    /* The cache is keyed by the path as received: a hit needs no decoding.
     * Spellings of one path (%d8 and %D8) are separate entries, which the
     * cache's memory bound keeps harmless. */
    r.gen = server_generation(w);
    cache_entry *e = cache_get(sv->cache, url, rawlen, r.gen, r.now);
    if (!e) {
        arena_reset(w->scratch);
        char *path;
        rc = text_url_decode(w->scratch, url, rawlen, &path);
        r.path = rc == NS_OK ? path : "/";
        return server_render(sv, w, c, &r, rc == NS_OK ? NS_OK : NS_EINVAL, req_cls);
    }
    enum MHD_Result ret = respond_queue(c, e);
    cache_entry_release(e);
    return ret;
}

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

/* Connections we can hold given the descriptor limit (some kept for files). */
static unsigned server_conn_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 65536)
        return 60000;
    return rl.rlim_cur > 128 ? (unsigned)rl.rlim_cur - 64 : 64;
}

int server_start(const server_opts *o, server_t **out)
{
    if (o->threads < 1 || o->threads > SERVER_MAX_THREADS || !o->db_path || !o->site)
        return NS_EINVAL;
    int fd, rc = server_listen(o->host, o->port, &fd);
    if (rc != NS_OK)
        return rc;
    server_t *sv = calloc(1, sizeof *sv);
    if (!sv)
        abort();
    sv->site = o->site;
    sv->db_path = strdup(o->db_path);
    sv->cache = o->no_cache ? NULL : cache_new(o->cache_bytes);
    pthread_mutex_init(&sv->lock, NULL);
    sv->mhd = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL, server_access, sv,
        MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads > 1 ? o->threads : 0),
        MHD_OPTION_CONNECTION_LIMIT, server_conn_limit(),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SERVER_TIMEOUT,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SERVER_CONN_MEMORY,
        MHD_OPTION_NOTIFY_COMPLETED, server_completed, sv,
        MHD_OPTION_UNESCAPE_CALLBACK, server_no_unescape, sv,
        MHD_OPTION_END);
    if (!sv->mhd) {
        close(fd);
        sv->mhd = NULL;
        server_stop(sv);
        return NS_EIO;
    }
    *out = sv;
    return NS_OK;
}

void server_stop(server_t *sv)
{
    if (!sv)
        return;
    if (sv->mhd)
        MHD_stop_daemon(sv->mhd);
    for (worker *w = sv->workers, *next; w; w = next) {
        next = w->next;
        store_close(w->store);
        arena_free(w->scratch);
        free(w);
    }
    cache_free(sv->cache);
    pthread_mutex_destroy(&sv->lock);
    free(sv->db_path);
    free(sv);
}
