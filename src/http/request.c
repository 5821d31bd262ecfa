/*
 * request.c - one request, from h2o's callback to the response.
 *
 * The path is arranged so that a cached page costs the head check, a URL
 * decode on a per-thread scratch arena (reset, not reallocated), a share of
 * one store change check per event-loop iteration and one cache lookup,
 * and hands h2o a prebuilt response.
 * Only a miss creates the request's own arena (freed with h2o's request
 * pool, after the response has been written), runs the router and a
 * handler and builds a response. Paths are decoded here, not by h2o, so
 * that %00, bad escapes and bad UTF-8 are refused with 400, and the cache
 * key is the decoded path whatever spelling the client used.
 */
#include <string.h>
#include <strings.h>
#include <time.h>
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/text.h"
#include "http/reqcheck.h"
#include "http/respond.h"
#include "http/router.h"
#include "http/server_priv.h"

worker *request_worker(h2o_req_t *req)
{
    return H2O_STRUCT_FROM_MEMBER(worker, ctx, req->conn->ctx);
}

/* This worker's store, opened on first use; NULL if it cannot be. */
static store_t *request_store(worker *w)
{
    if (!w->store) {
        int rc = store_open(w->sv->db_path, 0, &w->store);
        if (rc != NS_OK) {
            log_error("cannot open %s: %s", w->sv->db_path, ns_strerror(rc));
            w->store = NULL;
        }
    }
    return w->store;
}

/* The store generation: this process's commits move it at once, and the
 * store is asked (PRAGMA data_version: a few microseconds, two file locks)
 * whether any other connection committed, once per event-loop iteration
 * rather than per request. A request is read in an iteration because epoll
 * reported its socket ready when the iteration began, so a commit that
 * completed before the request was sent is seen by the check, which runs
 * after that. The one exception is pipelining: a further request that
 * arrives on an already-ready socket while the iteration runs is answered
 * from the state checked at its start, microseconds earlier. */
static uint64_t request_generation(worker *w)
{
    if (w->checked_iteration != w->iteration) {
        store_maybe_changed(w->store);
        w->checked_iteration = w->iteration;
    }
    return store_generation_local();
}

/* 0, or the status for a head the library accepted but nginx would not
 * (reqcheck.h). The raw head is still at the front of the socket's input
 * buffer while its request is being handled. */
static int request_check_head(h2o_req_t *req)
{
    h2o_socket_t *sock = req->conn->callbacks->get_socket ? req->conn->callbacks->get_socket(req->conn) : NULL;
    if (!sock || !sock->input)
        return 0;
    return reqcheck_head(sock->input->bytes, sock->input->size);
}

/* What a request that reaches rendering carries. */
typedef struct request_info {
    bool head;
    const char *path;   /* decoded path: also the cache key */
    const char *query;  /* raw query string after '?', "" if none */
    uint64_t gen;       /* store generation read before rendering */
    int64_t now;
} request_info;

/* Append the raw query to a redirect target, escaping what a header must
 * not carry. */
static void request_keep_query(buf_t *loc, const char *q)
{
    if (!*q)
        return;
    buf_putc(loc, '?');
    for (; *q; q++) {
        unsigned char ch = (unsigned char)*q;
        if (ch < 0x21 || ch > 0x7e || ch == '"' || ch == '<' || ch == '>' || ch == '\\')
            buf_printf(loc, "%%%02X", ch);
        else
            buf_putc(loc, (char)ch);
    }
}

/* Fill rs with a redirect to the decoded path or absolute URL `to`. */
static void request_redirect(hresp_t *rs, const char *to, int status, const char *query)
{
    buf_t loc;
    buf_init(&loc, rs->body.arena);
    if (strncmp(to, "http://", 7) == 0 || strncmp(to, "https://", 8) == 0)
        buf_puts(&loc, to);
    else
        buf_url_escape(&loc, to, strlen(to));
    if (query)
        request_keep_query(&loc, query);
    rs->status = status;
    rs->location = buf_cstr(&loc);
    rs->content_type = "text/plain; charset=utf-8";
    buf_clear(&rs->body);
    buf_puts(&rs->body, "moved\n");
}

static void request_resp_init(hresp_t *rs, arena_t *a)
{
    memset(rs, 0, sizeof *rs);
    rs->status = 200;
    rs->content_type = "text/html; charset=utf-8";
    buf_init(&rs->body, a);
}

/* Route and run the handler; 0 with rs filled, or an NS_E* code. */
static int request_dispatch(hreq_t *rq, hresp_t *rs, const char *query)
{
    route_match m;
    int r = router_match(rq->arena, rq->path, &m);
    if (r == ROUTER_REDIRECT) {
        request_redirect(rs, m.redirect, 301, query);
        return NS_OK;
    }
    int rc = NS_ENOTFOUND;
    if (r == ROUTER_HANDLER) {
        memcpy(rq->params, m.params, sizeof m.params);
        rq->nparams = m.nparams;
        rq->page = m.page;
        rc = m.fn(rq, rs);
    }
    if (rc == NS_ENOTFOUND) { /* a moved page? */
        store_redirect red;
        if (store_redirect_lookup(rq->store, rq->arena, rq->path, &red) == NS_OK && red.to_path) {
            request_redirect(rs, red.to_path, red.status == 302 ? 302 : 301, NULL);
            rc = NS_OK;
        }
    }
    return rc;
}

static void request_free_arena(void *p)
{
    arena_free(*(arena_t **)p);
}

/* The statistics /healthz appends (hreq_t.stats). */
static void request_stats(void *cls, buf_t *out)
{
    struct server *sv = cls;
    cache_stats cs;
    cache_get_stats(sv->cache, &cs);
    buf_printf(out, "cache_entries %zu\ncache_bytes %zu\ncache_hits %llu\ncache_misses %llu\nconnections %zu\n",
               cs.entries, cs.bytes, (unsigned long long)cs.hits, (unsigned long long)cs.misses,
               peer_total(sv->peers));
}

/* The real client of req as text, on arena a (X-Forwarded-For is believed
 * only from trusted proxies). */
static const char *request_client(struct server *sv, h2o_req_t *req, arena_t *a)
{
    struct sockaddr_storage ss;
    peer_addr conn = {0}, client;
    if (req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&ss))
        peer_from_sockaddr((struct sockaddr *)&ss, &conn);
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_X_FORWARDED_FOR, -1);
    const h2o_iovec_t *xff = i < 0 ? NULL : &req->headers.entries[i].value;
    peer_client(&conn, xff ? xff->base : NULL, xff ? xff->len : 0, sv->trusted, sv->ntrusted, &client);
    char *text = arena_alloc(a, PEER_ADDR_TEXT);
    peer_format(&client, text);
    return text;
}

/* Cache miss, or a request already refused (rc != 0: bad path, unsupported
 * method): render on a fresh arena, cache if allowed, send. A refused
 * request gets the themed error page for rc, like a handler's error. */
static void request_render(worker *w, h2o_req_t *req, const request_info *r, int rc)
{
    struct server *sv = w->sv;
    arena_t *a = arena_new(0);
    *(arena_t **)h2o_mem_alloc_shared(&req->pool, sizeof a, request_free_arena) = a;
    hreq_t rq = {.arena = a, .store = w->store, .site = sv->site, .method = r->head ? "HEAD" : "GET",
                 .path = arena_strdup(a, r->path), .client = request_client(sv, req, a),
                 .now = r->now, .page = 1, .stats = request_stats, .stats_cls = sv};
    hresp_t rs;
    request_resp_init(&rs, a);
    if (rc == NS_OK && (rc = store_read_begin(w->store)) == NS_OK) {
        rc = request_dispatch(&rq, &rs, r->query);
        store_read_end(w->store);
    }
    if (rc != NS_OK) {
        /* the reader's fault is the reader's business; ours goes to the log */
        if (rc != NS_ENOTFOUND && rc != NS_EINVAL && rc != NS_ETOOBIG && rc != NS_EMETHOD)
            log_error("%s %s (client %s): %s", rq.method, r->path, rq.client, ns_strerror(rc));
        request_resp_init(&rs, a);
        handler_error(&rq, &rs, rc);
        rs.cacheable = false;
    }
    bool keep = sv->cache && rs.cacheable && (rs.status == 200 || rs.status == 0);
    cache_entry *e = respond_entry(a, &rs, !keep, keep || respond_client_gzip(req));
    if (keep) {
        e->generation = r->gen;
        cache_put(sv->cache, r->path, e);
    }
    respond_send(req, e);
    cache_entry_release(e);
}

/* The origin-form target of req: "/…" as sent, or the path part of an
 * absolute-form target ("http://host/x" -> "/x"), which RFC 9112 §3.2.2
 * says a server must accept. NULL if it is neither. */
static const char *request_target(h2o_req_t *req, size_t *len)
{
    const char *t = req->input.path.base;
    size_t n = req->input.path.len;
    if (n && t[0] == '/') {
        *len = n;
        return t;
    }
    size_t skip = n >= 7 && strncasecmp(t, "http://", 7) == 0 ? 7
                : n >= 8 && strncasecmp(t, "https://", 8) == 0 ? 8 : 0;
    if (!skip)
        return NULL;
    const char *slash = memchr(t + skip, '/', n - skip);
    const char *q = memchr(t + skip, '?', n - skip);
    if (!slash || (q && q < slash))
        return *len = 1, "/"; /* "http://host" or "http://host?q": the root */
    *len = n - (size_t)(slash - t);
    return slash;
}

/* Why a request cannot be served, before any routing: NS_OK if it can. */
static int request_refusal(h2o_req_t *req, const char *target, size_t plen, bool *head)
{
    *head = h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"));
    if (!*head && !h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET")))
        return NS_EMETHOD;
    if (plen > SERVER_MAX_PATH)
        return NS_ETOOBIG;
    return target ? NS_OK : NS_EINVAL;
}

int request_handle(h2o_handler_t *self, h2o_req_t *req)
{
    (void)self;
    worker *w = request_worker(req);
    int status = request_check_head(req);
    if (status) {
        respond_plain(req, status, status == 414 ? "URI too long\n" : "bad request\n", true);
        return 0;
    }
    if (!request_store(w)) {
        respond_plain(req, 503, "database unavailable\n", false);
        return 0;
    }
    size_t tlen = 0;
    const char *target = request_target(req, &tlen);
    const char *qmark = target ? memchr(target, '?', tlen) : NULL;
    size_t plen = qmark ? (size_t)(qmark - target) : tlen;
    arena_reset(w->scratch);
    request_info r = {.path = "/", .query = "", .now = (int64_t)time(NULL)};
    int rc = request_refusal(req, target, plen, &r.head);
    char *path = NULL;
    if (rc == NS_OK && text_url_decode(w->scratch, target, plen, &path) != NS_OK)
        rc = NS_EINVAL;
    if (rc != NS_OK) {
        request_render(w, req, &r, rc);
        return 0;
    }
    r.path = path;
    if (qmark)
        r.query = arena_strndup(w->scratch, qmark + 1, tlen - plen - 1);
    /* No route reads the query string, so it is not part of the key: the
     * page is the same whatever follows '?'. Without a cache, nothing
     * needs the generation. */
    cache_t *c = w->sv->cache;
    cache_entry *e = NULL;
    if (c) {
        r.gen = request_generation(w);
        e = cache_get(c, path, strlen(path), r.gen, r.now);
    }
    if (!e) {
        request_render(w, req, &r, NS_OK);
        return 0;
    }
    respond_send(req, e);
    cache_entry_release(e);
    return 0;
}
