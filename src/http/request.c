/*
 * request.c - one request, from h2o's callback to the response.
 *
 * The path is arranged so that a cached page costs the head check, a URL
 * decode and a route match on a per-thread scratch arena (reset, not
 * reallocated), a share of one store change check per event-loop
 * iteration and one cache lookup, and hands h2o a prebuilt response.
 * The route table says what else a request needs: which methods it may
 * use (405 with Allow otherwise), whether the shared cache may answer it
 * (cacheable routes, GET/HEAD, no session cookie; the key is the decoded
 * path plus the canonical form of the query parameters the route reads),
 * whether it reads a form body (bounded per route: 413) and whether it
 * writes (then no read snapshot is held around it, and its own commit is
 * applied to the cache before the response leaves).
 * Only a miss creates the request's own arena (freed with h2o's request
 * pool, after the response has been written), runs a handler inside one
 * read snapshot while the store records the keys it reads, and keeps the
 * result with those keys. A page whose reads failed is an error page and
 * is never kept. Missing pages share one cached 404 body: a flood of
 * random paths costs the few point queries that prove them missing.
 * Paths are decoded here, not by h2o, so that %00, bad escapes and bad
 * UTF-8 are refused with 400.
 */
#include <assert.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "core/buf.h"
#include "core/date.h"
#include "core/err.h"
#include "core/log.h"
#include "core/text.h"
#include "handlers/admin.h"
#include "http/form.h"
#include "http/page.h"
#include "http/reqcheck.h"
#include "http/respond.h"
#include "http/router.h"
#include "http/server_priv.h"

/* The cookie that names a signed-in session: pages for such a request are
 * that person's, never the shared cache's. */
#define REQUEST_SESSION_COOKIE "nashra_session"

/* Cache key of the one 404 page every missing path shares (a decoded path
 * always starts with '/', so it cannot collide). */
#define REQUEST_NOTFOUND_KEY "404"

/* Request headers a handler may read (hreq_t.headers). */
static const char *const request_headers[] = {
    "user-agent", "referer", "accept-language", "origin", "content-type", "range", "if-range",
};

worker *request_worker(h2o_req_t *req)
{
    return H2O_STRUCT_FROM_MEMBER(worker, ctx, req->conn->ctx);
}

/* Open this worker's store on first use: 0, or why it cannot be (the
 * request then gets the built-in error page for that code). A failed
 * open is not retried for REQUEST_STORE_RETRY_MS, so a database server
 * that is down or unreachable costs each request nothing, not a connect
 * timeout; the failure is logged when it starts, not once per request. */
#define REQUEST_STORE_RETRY_MS 500
static int request_store(worker *w)
{
    if (w->store)
        return NS_OK;
    int64_t now = date_monotonic_ms();
    if (w->store_failed && now < w->store_retry_ms)
        return w->store_failed;
    int rc = store_open(w->sv->db_path, 0, &w->store);
    if (rc != NS_OK) {
        char safe[512];
        if (rc != w->store_failed)
            log_error("cannot open %s: %s", store_location_safe(w->sv->db_path, safe, sizeof safe),
                      ns_strerror(rc));
        w->store = NULL;
        w->store_retry_ms = now + REQUEST_STORE_RETRY_MS;
    }
    w->store_failed = rc;
    return rc;
}

/* Apply what other connections committed to the cache, once per event-loop
 * iteration rather than per request (changes.h). A request is read in an
 * iteration because epoll reported its socket ready when the iteration
 * began, so a commit that completed before the request was sent is seen by
 * the check, which runs after that. The one exception is pipelining: a
 * further request that arrives on an already-ready socket while the
 * iteration runs is answered from the state checked at its start,
 * microseconds earlier. */
static void request_sync(worker *w)
{
    if (w->checked_iteration == w->iteration)
        return;
    w->checked_iteration = w->iteration;
    int rc = changes_poll(w->sv->changes, w->store, w->sv->cache, w->scratch);
    if (rc != NS_OK)
        log_error("reading the change log: %s (cache dropped)", ns_strerror(rc));
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

/* What the fast path learnt about a request before rendering. */
typedef struct request_info {
    const char *method;     /* "GET", "HEAD", "POST" */
    const char *path;       /* decoded path */
    const char *query;      /* raw query string after '?', "" if none */
    const route *route;     /* NULL: no route (404, or a redirect) */
    int route_rc;           /* router_match's result */
    route_match match;
    const char *key;        /* cache key; NULL: the cache is not consulted */
    int64_t now;
} request_info;

static void request_free_arena(void *p)
{
    arena_free(*(arena_t **)p);
}

/* The statistics /healthz appends (hreq_t.stats). */
static void request_stats(void *cls, buf_t *out)
{
    struct server *sv = cls;
    cache_stats cs;
    changes_stats ch;
    cache_get_stats(sv->cache, &cs);
    changes_get_stats(sv->changes, &ch);
    buf_printf(out, "cache_entries %zu\ncache_bytes %zu\ncache_hits %llu\ncache_misses %llu\n"
               "cache_waits %llu\ncache_invalidations %llu\ncache_dropped %llu\ncache_refused %llu\n",
               cs.entries, cs.bytes, (unsigned long long)cs.hits, (unsigned long long)cs.misses,
               (unsigned long long)cs.waits, (unsigned long long)cs.invalidations,
               (unsigned long long)cs.dropped, (unsigned long long)cs.refused);
    buf_printf(out, "changes_batches %llu\nchanges_keys %llu\nchanges_drops %llu\nchanges_last %lld\n"
               "connections %zu\n", (unsigned long long)ch.batches, (unsigned long long)ch.keys,
               (unsigned long long)ch.drops, (long long)ch.last, peer_total(sv->peers));
    uint64_t batches, jobs;
    commit_stats(sv->commit, &batches, &jobs);
    buf_printf(out, "commit_batches %llu\ncommit_jobs %llu\n", (unsigned long long)batches,
               (unsigned long long)jobs);
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

/* The query parameters (of routes that read them) and the selected
 * headers of req into rq. */
static int request_params(h2o_req_t *req, const request_info *r, hreq_t *rq)
{
    arena_t *a = rq->arena;
    /* only a route that reads the query gets it, or can be refused over it */
    int rc = NS_OK;
    bool all = r->route && (r->route->flags & ROUTE_ADMIN); /* the newsroom reads any */
    if (r->route && (r->route->query || all) && *r->query)
        rc = form_parse_urlencoded(a, r->query, strlen(r->query), (hreq_param **)&rq->query, &rq->nquery);
    if (rc != NS_OK)
        rc = NS_EINVAL;
    hreq_param *h = arena_alloc(a, sizeof request_headers / sizeof *request_headers * sizeof *h);
    size_t nh = 0;
    for (size_t i = 0; i < sizeof request_headers / sizeof *request_headers; i++) {
        const char *name = request_headers[i];
        ssize_t k = h2o_find_header_by_str(&req->headers, name, strlen(name), -1);
        if (k < 0)
            continue;
        const h2o_iovec_t *v = &req->headers.entries[k].value;
        if (text_valid_utf8(v->base, v->len))
            h[nh++] = (hreq_param){.name = name,
                                   .value = arena_strndup(a, v->base, v->len), .value_len = v->len};
    }
    rq->headers = h;
    rq->nheaders = nh;
    return rc;
}

/* The Cookie header(s) of req (HTTP/2 may split one into several),
 * joined and parsed onto a. */
static void request_cookies(h2o_req_t *req, arena_t *a, const hreq_param **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    buf_t all;
    buf_init(&all, a);
    for (ssize_t k = -1; (k = h2o_find_header(&req->headers, H2O_TOKEN_COOKIE, k)) >= 0;) {
        const h2o_iovec_t *v = &req->headers.entries[k].value;
        if (all.len)
            buf_puts(&all, "; ");
        buf_append(&all, v->base, v->len);
    }
    hreq_param *p;
    if (all.len && form_parse_cookies(a, all.data, all.len, &p, n) == NS_OK)
        *out = p;
}

/* Log what is ours to fix; a reader's bad request is the reader's. */
static void request_log(const hreq_t *rq, int rc)
{
    if (rc != NS_ENOTFOUND && rc != NS_EINVAL && rc != NS_ETOOBIG && rc != NS_EMETHOD &&
        rc != NS_ETOOLARGE && rc != NS_EPERM && rc != NS_ECONFLICT)
        log_error("%s %s (client %s): %s", rq->method, rq->path, rq->client, ns_strerror(rc));
}

/* Build the entry for rs, keep it under key if it may be, and send it. */
static void request_finish(worker *w, h2o_req_t *req, const hreq_t *rq, const hresp_t *rs,
                           const store_deps *deps, uint64_t epoch, const char *key,
                           const char *allow)
{
    cache_t *c = w->sv->cache;
    bool keep = c && key && page_keep(rs, deps);
    respond_opts o = {.borrow = !keep, .gzip = keep || respond_client_gzip(req), .allow = allow,
                      .xcache = keep ? "HIT" : key ? "MISS" : "BYPASS",
                      .token_key = w->sv->site->secret};
    cache_entry *e = respond_entry(rq->arena, rs, &o);
    if (keep) {
        uint64_t *d = arena_alloc(e->arena, (deps->n ? deps->n : 1) * sizeof *d);
        if (deps->n)
            memcpy(d, deps->v, deps->n * sizeof *d);
        e->deps = d;
        e->ndeps = deps->n;
        e->epoch = epoch;
        cache_put(c, key, e);
    }
    respond_send(req, e, keep ? "MISS" : NULL);
    cache_entry_release(e);
}

/* The request's arena and hreq; returns the slot of req's pool whose
 * disposal frees the arena. */
static arena_t **request_hreq(worker *w, h2o_req_t *req, const request_info *r, hreq_t *rq)
{
    struct server *sv = w->sv;
    arena_t *a = arena_new(0);
    arena_t **slot = h2o_mem_alloc_shared(&req->pool, sizeof a, request_free_arena);
    *slot = a;
    *rq = (hreq_t){.arena = a, .store = w->store, .store_rc = w->store_failed, .site = sv->site,
                   .method = r->method,
                   .path = arena_strdup(a, r->path), .client = request_client(sv, req, a),
                   .now = r->now, .page = 1, .stats = request_stats, .stats_cls = sv,
                   .limiter = sv->limiter, .media = sv->media};
    request_cookies(req, a, &rq->cookies, &rq->ncookies);
    return slot;
}

/* ---- writes answered after the group commit (hresp_t.defer) ---- */

/* A request whose write is at the group commit. Meanwhile it owns the
 * request's arena (where it lives itself): h2o may dispose of the request
 * (the client went away) before the job comes back, and the job's
 * argument must stay valid until then. */
typedef struct request_deferred {
    commit_job job;                 /* first: the job is the deferred request */
    worker *w;
    h2o_req_t *req;                 /* NULL once h2o disposed of the request */
    struct request_deferred **hook; /* on req's pool: its disposal clears req */
    arena_t **arena_slot;           /* req's pool slot that frees the arena */
    hreq_t rq;
    hresp_t rs;
    const char *allow;
    bool admin;                     /* a ROUTE_ADMIN route's: page_admin_headers */
} request_deferred;

static void request_unhook(void *p)
{
    request_deferred *d = *(request_deferred **)p;
    if (d)
        d->req = NULL;
}

static void request_defer(worker *w, h2o_req_t *req, const hreq_t *rq, const hresp_t *rs,
                          arena_t **slot, const char *allow, bool admin)
{
    request_deferred *d = arena_alloc(rq->arena, sizeof *d);
    *d = (request_deferred){.job = {.reply = &w->commits, .run = rs->defer.run, .arg = rs->defer.arg},
                            .w = w, .req = req, .arena_slot = slot, .rq = *rq, .rs = *rs,
                            .allow = allow, .admin = admin};
    *slot = NULL;
    d->hook = h2o_mem_alloc_shared(&req->pool, sizeof *d->hook, request_unhook);
    *d->hook = d;
    w->pending++;
    commit_submit(w->sv->commit, &d->job);
}

/* The job is back: apply the commit to the cache (the next GET shows the
 * comment), let the handler make the response, and send it. */
static void request_answer(worker *w, request_deferred *d)
{
    arena_t *a = d->rq.arena;
    if (!d->req) {
        arena_free(a);
        return;
    }
    *d->hook = NULL;
    *d->arena_slot = a; /* freed with the request again, after the response is written */
    if (w->sv->cache && w->store)
        changes_poll(w->sv->changes, w->store, w->sv->cache, a);
    store_deps deps;
    store_deps_init(&deps, a);
    int rc = d->rs.defer.done(&d->rq, &d->rs, d->job.rc);
    if (rc != NS_OK) {
        request_log(&d->rq, rc);
        page_error(&d->rq, &d->rs, &deps, rc);
    }
    if (d->admin)
        page_admin_headers(&d->rs);
    request_finish(w, d->req, &d->rq, &d->rs, &deps, 0, NULL, d->allow);
}

void request_on_commit(h2o_multithread_receiver_t *r, h2o_linklist_t *messages)
{
    worker *w = H2O_STRUCT_FROM_MEMBER(worker, commits, r);
    while (!h2o_linklist_is_empty(messages)) {
        commit_job *j = H2O_STRUCT_FROM_MEMBER(commit_job, msg.link, messages->next);
        h2o_linklist_unlink(&j->msg.link);
        assert(w->pending > 0);
        w->pending--;
        request_answer(w, (request_deferred *)j);
    }
}

/* A missing page: the shared 404 from the cache when there is one. */
static bool request_shared_404(worker *w, h2o_req_t *req, const request_info *r)
{
    cache_t *c = w->sv->cache;
    if (!c || !r->key)
        return false;
    cache_entry *e = cache_get(c, REQUEST_NOTFOUND_KEY, strlen(REQUEST_NOTFOUND_KEY), r->now);
    if (!e)
        return false;
    respond_send(req, e, NULL);
    cache_entry_release(e);
    return true;
}

/* Cache miss, or a request already refused (rc != 0: bad path, method not
 * allowed): render on a fresh arena, cache if allowed, send. A refused
 * request gets the themed error page for rc, like a handler's error. */
static void request_render(worker *w, h2o_req_t *req, const request_info *r, int rc)
{
    hreq_t rq;
    arena_t **slot = request_hreq(w, req, r, &rq);
    hresp_t rs;
    hresp_init(&rs, rq.arena);
    store_deps deps;
    store_deps_init(&deps, rq.arena);
    uint64_t epoch = cache_epoch(w->sv->cache);
    if (rc == NS_OK)
        rc = request_params(req, r, &rq);
    page_req pr = {.match = &r->match, .route_rc = r->route_rc, .query = r->query,
                   .body = req->entity.base, .body_len = req->entity.len,
                   .content_type = hreq_header(&rq, "content-type")};
    if (rc == NS_OK)
        rc = page_run(&rq, &rs, &pr, &deps);
    const char *allow = r->route ? router_allow(r->route) : NULL;
    bool admin = r->route && (r->route->flags & ROUTE_ADMIN);
    if (rc == NS_OK && rs.defer.run) {
        request_defer(w, req, &rq, &rs, slot, allow, admin);
        return;
    }
    if (r->route && (r->route->flags & (ROUTE_WRITES | ROUTE_ADMIN)) && w->sv->cache) /* ours, at once */
        changes_poll(w->sv->changes, w->store, w->sv->cache, rq.arena);
    const char *key = r->key;
    if (rc == NS_ENOTFOUND && request_shared_404(w, req, r))
        return;
    if (rc != NS_OK && admin) {
        request_log(&rq, rc);
        hresp_init(&rs, rq.arena);
        admin_error(&rq, &rs, rc);
    } else if (rc != NS_OK) {
        request_log(&rq, rc);
        page_error(&rq, &rs, &deps, rc);
        key = rc == NS_ENOTFOUND && r->key ? REQUEST_NOTFOUND_KEY : NULL;
    }
    if (admin && page_admin_headers(&rs) != NS_OK) { /* a handler took every header slot */
        page_error(&rq, &rs, &deps, NS_EINTERNAL);
        page_admin_headers(&rs);
    }
    request_finish(w, req, &rq, &rs, &deps, epoch, key, allow);
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

/* The method of req as one of ours, NULL if we serve no such method. */
static const char *request_method(h2o_req_t *req)
{
    static const char *const known[] = {"GET", "HEAD", "POST"};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (h2o_memis(req->method.base, req->method.len, known[i], strlen(known[i])))
            return known[i];
    return NULL;
}

/* Why a request cannot be served, before any routing: NS_OK if it can. */
static int request_refusal(const char *target, size_t plen)
{
    if (plen > SERVER_MAX_PATH)
        return NS_ETOOBIG;
    return target ? NS_OK : NS_EINVAL;
}

/* True if the request carries one of the cookies names[0..n) (each with
 * its '='). */
static bool request_has_cookie(h2o_req_t *req, const char *const *names, size_t n)
{
    ssize_t k = -1;
    while ((k = h2o_find_header(&req->headers, H2O_TOKEN_COOKIE, k)) >= 0) {
        const h2o_iovec_t *v = &req->headers.entries[k].value;
        for (size_t i = 0; i < n; i++)
            if (memmem(v->base, v->len, names[i], strlen(names[i])))
                return true;
    }
    return false;
}

/* True if the answer to req is one reader's: a signed-in session, or on
 * a ROUTE_PERSONAL route, a commenter's cookies. */
static bool request_is_personal(h2o_req_t *req, const route *rt)
{
    static const char *const session[] = {REQUEST_SESSION_COOKIE "="};
    static const char *const commenter[] = {REQUEST_SESSION_COOKIE "=", HREQ_COOKIE_HELD "=",
                                            HREQ_COOKIE_COMMENTER "="};
    if (rt && (rt->flags & ROUTE_PERSONAL))
        return request_has_cookie(req, commenter, sizeof commenter / sizeof *commenter);
    return request_has_cookie(req, session, 1);
}

/* The cache key of a cacheable request (NULL if the cache must not
 * answer it), on the scratch arena. */
static const char *request_key(worker *w, h2o_req_t *req, const request_info *r)
{
    bool read = r->method[0] != 'P';
    if (!w->sv->cache || !read || request_is_personal(req, r->route))
        return NULL;
    if (!r->route)
        return r->match.redirect ? NULL : r->path; /* a 404, or a moved page */
    if (!(r->route->flags & ROUTE_CACHE) || (r->route->flags & ROUTE_ADMIN))
        return NULL;
    if (!r->route->query || !*r->query)
        return r->path;
    hreq_param *q;
    size_t n;
    if (form_parse_urlencoded(w->scratch, r->query, strlen(r->query), &q, &n) != NS_OK)
        return NULL; /* refused with 400 when rendered */
    if ((r->route->flags & ROUTE_PERSONAL) && hreq_param_get(q, n, ROUTER_PERSONAL_QUERY))
        return NULL;
    const char *canon = form_canonical_query(w->scratch, q, n, r->route->query);
    return *canon ? arena_printf(w->scratch, "%s?%s", r->path, canon) : r->path;
}

/* True if path is a probe's (ROUTE_PROBE): it answers for a store that
 * cannot be opened itself, where any other request gets the error page. */
static bool request_probe(const char *path, arena_t *scratch)
{
    route_match m;
    return router_match(scratch, path, &m) == ROUTER_HANDLER && (m.route->flags & ROUTE_PROBE);
}

/* Route r->path and check the method against the route: a method nashra
 * serves nowhere is refused after routing too, so that the 405 names what
 * this URL allows. */
static int request_route(request_info *r, arena_t *scratch)
{
    r->route_rc = router_match(scratch, r->path, &r->match);
    r->route = r->route_rc == ROUTER_HANDLER ? r->match.route : NULL;
    if (!r->method)
        return NS_EMETHOD;
    if (!r->route)
        return NS_OK;
    unsigned need = r->method[0] == 'P' ? ROUTE_POST : ROUTE_GET;
    return (r->route->methods & need) ? NS_OK : NS_EMETHOD;
}

int request_handle(h2o_handler_t *self, h2o_req_t *req)
{
    (void)self;
    worker *w = request_worker(req);
    /* A head the parser took but nginx would refuse: 400, plain, and the
     * connection closed (what follows may be read as another request); a
     * request line too long for us is a reader's link or search, answered
     * with the site's page for it. */
    int status = request_check_head(req);
    if (status && status != 414) {
        respond_plain(req, status, "bad request\n", true);
        return 0;
    }
    size_t tlen = 0;
    const char *target = request_target(req, &tlen);
    const char *qmark = target ? memchr(target, '?', tlen) : NULL;
    size_t plen = qmark ? (size_t)(qmark - target) : tlen;
    arena_reset(w->scratch);
    request_info r = {.method = request_method(req), .path = "/", .query = "", .now = (int64_t)time(NULL)};
    int rc = status == 414 ? NS_ETOOBIG : request_refusal(target, plen);
    char *path = NULL;
    if (rc == NS_OK && text_url_decode(w->scratch, target, plen, &path) != NS_OK)
        rc = NS_EINVAL;
    if (rc == NS_OK) {
        r.path = path;
        if (qmark)
            r.query = arena_strndup(w->scratch, qmark + 1, tlen - plen - 1);
        rc = request_store(w);
        if (rc != NS_OK && request_probe(r.path, w->scratch))
            rc = NS_OK;
    }
    if (rc == NS_OK)
        rc = request_route(&r, w->scratch);
    if (!r.method)
        r.method = "GET"; /* how the error page is rendered */
    if (rc == NS_OK && (r.key = request_key(w, req, &r)) != NULL)
        request_sync(w);
    cache_flight *flight = NULL;
    cache_entry *e = r.key ? cache_lookup(w->sv->cache, r.key, strlen(r.key), r.now, &flight) : NULL;
    if (e) {
        respond_send(req, e, NULL);
        cache_entry_release(e);
        return 0;
    }
    request_render(w, req, &r, rc);
    cache_flight_end(w->sv->cache, flight);
    return 0;
}
