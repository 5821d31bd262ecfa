/*
 * page.c - one page between routing and sending (page.h).
 *
 * The store records, while a page renders, every key it reads and the
 * first read that failed (store_track). Both decide here what the page is:
 * a failed read makes it the error page for that code, whatever the
 * handler did with the failure, so no half-built page is ever served as
 * whole or cached; and the keys go with the page into the cache.
 */
#include "http/page.h"

#include <string.h>
#include <strings.h>
#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"
#include "http/form.h"

/* Append the raw query to a redirect target, escaping what a header must
 * not carry. */
static void page_keep_query(buf_t *loc, const char *q)
{
    if (!q || !*q)
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

/* Fill rs with a redirect to the decoded path or absolute URL `to`. A
 * target that is neither (a redirects row is imported data) stays on
 * this site: one leading slash, so "//host/x" cannot name another host. */
static void page_redirect(hresp_t *rs, const char *to, int status, const char *query)
{
    buf_t loc;
    buf_init(&loc, rs->body.arena);
    if (text_url_is_http(to)) {
        buf_puts(&loc, to);
    } else {
        to += strspn(to, "/");
        buf_putc(&loc, '/');
        buf_url_escape(&loc, to, strlen(to));
    }
    page_keep_query(&loc, query);
    rs->status = status;
    rs->location = buf_cstr(&loc);
    rs->content_type = "text/plain; charset=utf-8";
    buf_clear(&rs->body);
    buf_puts(&rs->body, "moved\n");
    rs->cacheable = status == 301;
}

size_t page_moved_paths(arena_t *a, const char *path, const char *out[2], bool *feed_of)
{
    size_t n = strlen(path);
    out[0] = path;
    *feed_of = false;
    size_t cut = n >= 6 && strcmp(path + n - 6, "/feed/") == 0 ? n - 5
               : n >= 5 && strcmp(path + n - 5, "/feed") == 0 ? n - 4 : 0;
    if (cut > 1) { /* "/X/feed/": the page "/X/" */
        out[1] = arena_strndup(a, path, cut);
        *feed_of = true;
    } else if (n > 1 && path[n - 1] == '/') {
        out[1] = arena_strndup(a, path, n - 1);
    } else if (strchr(strrchr(path, '/'), '.')) {
        return 1; /* a file's name ("/favicon.ico"): no slash added, as by the router */
    } else {
        out[1] = arena_printf(a, "%s/", path);
    }
    return n > 1 ? 2 : 1;
}

/* Fill rs with the redirect of a missing path, if the redirects table
 * has one under one of its page_moved_paths; false if not. A path a
 * handler already looked for (routed) has paid for its own point queries:
 * its other spelling is not tried, only the page of a feed, so no missing
 * path costs more than three. */
static bool page_moved(hreq_t *rq, hresp_t *rs, bool routed)
{
    const char *paths[2];
    bool feed_of;
    size_t n = page_moved_paths(rq->arena, rq->path, paths, &feed_of);
    if (routed && !feed_of)
        n = 1;
    for (size_t i = 0; i < n; i++) {
        store_redirect red;
        if (store_redirect_lookup(rq->store, rq->arena, paths[i], &red) != NS_OK || !red.to_path)
            continue;
        const char *to = i == 1 && feed_of ? handler_feed_path(rq->arena, red.to_path) : red.to_path;
        page_redirect(rs, to, red.status == 302 ? 302 : 301, NULL);
        return true;
    }
    return false;
}

/* The site's address from its site_url setting, for a server told none
 * (site_config.base_url_setting): a URL --base-url would accept, its
 * trailing '/' dropped. Read on each request, so a change in the
 * settings shows on the next page (a setting is an ALL key). */
static void page_site_url(hreq_t *rq)
{
    const char *u = NULL;
    if (!rq->site->base_url_setting || !rq->store ||
        store_setting_get(rq->store, rq->arena, "site_url", &u) != NS_OK || !text_url_is_http(u) ||
        strpbrk(u, "\"<>"))
        return;
    size_t n = strlen(u);
    while (n > 8 && u[n - 1] == '/')
        n--;
    site_config *copy = arena_alloc(rq->arena, sizeof *copy);
    *copy = *rq->site;
    copy->base_url = arena_strndup(rq->arena, u, n);
    rq->site = copy;
}

/* Run the handler; 0 with rs filled, or an NS_E* code. */
static int page_dispatch(hreq_t *rq, hresp_t *rs, const page_req *pr)
{
    const route_match *m = pr->match;
    int rc = NS_ENOTFOUND;
    if (pr->route_rc == ROUTER_HANDLER) {
        memcpy(rq->params, m->params, sizeof m->params);
        rq->nparams = m->nparams;
        rq->page = m->page;
        if (!(m->route->flags & ROUTE_PROBE))
            page_site_url(rq);
        rc = m->fn(rq, rs);
    } else if (pr->route_rc == ROUTER_REDIRECT) {
        /* "/x" before "/x/": an old address recorded without its slash
         * (a one-segment one is reached no other way) */
        size_t n = strlen(rq->path);
        if (n > 1 && rq->path[n - 1] != '/' && page_moved(rq, rs, true))
            return NS_OK;
        page_redirect(rs, m->redirect, 301, pr->query);
        return NS_OK;
    }
    if (rc == NS_ENOTFOUND && page_moved(rq, rs, pr->route_rc == ROUTER_HANDLER)) /* moved? */
        rc = NS_OK;
    return rc;
}

/* The form a POST carries, bounded by its route. */
static int page_form(hreq_t *rq, const page_req *pr)
{
    const route *rt = pr->match->route;
    if (pr->body_len > rt->body_limit)
        return NS_ETOOLARGE;
    const char *ct = pr->content_type, *body = pr->body ? pr->body : "", *boundary;
    hreq_param *p = NULL;
    int rc;
    if (ct && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0)
        rc = form_parse_urlencoded(rq->arena, body, pr->body_len, &p, &rq->nform);
    else if (form_multipart_boundary(rq->arena, ct, ct ? strlen(ct) : 0, &boundary) == NS_OK)
        rc = form_parse_multipart(rq->arena, boundary, body, pr->body_len, &p, &rq->nform);
    else
        rc = NS_EINVAL;
    rq->form = p;
    return rc;
}

int page_run(hreq_t *rq, hresp_t *rs, const page_req *pr, store_deps *deps)
{
    const route *rt = pr->route_rc == ROUTER_HANDLER ? pr->match->route : NULL;
    bool writes = rt && (rt->flags & (ROUTE_WRITES | ROUTE_PROBE | ROUTE_ADMIN));
    bool probe = rt && (rt->flags & ROUTE_PROBE);
    int rc = NS_OK;
    if (rt && (rt->flags & ROUTE_FORM) && strcmp(rq->method, "POST") == 0)
        rc = page_form(rq, pr);
    if (rc == NS_OK && !writes)
        rc = store_read_begin(rq->store);
    if (rc != NS_OK)
        return rc;
    /* a probe's answer is about the failures it met: never cached, and
     * not replaced by an error page because of them */
    if (rq->store) /* a probe runs without one it could not open */
        store_track(rq->store, probe ? NULL : deps);
    rc = page_dispatch(rq, rs, pr);
    if (rq->store)
        store_track(rq->store, NULL);
    int end = writes ? NS_OK : store_read_end(rq->store);
    /* "not found" after a failed read may only mean the read failed */
    int failed = deps->failed ? deps->failed : end;
    if (failed && (rc == NS_OK || rc == NS_ENOTFOUND))
        rc = failed;
    return rc;
}

void page_error(hreq_t *rq, hresp_t *rs, store_deps *deps, int rc)
{
    store_deps_init(deps, rq->arena);
    hresp_init(rs, rq->arena);
    int begun = rq->store ? store_read_begin(rq->store) : NS_EINTERNAL;
    if (rq->store)
        store_track(rq->store, deps);
    handler_error(rq, rs, rc);
    if (rq->store)
        store_track(rq->store, NULL);
    int end = begun == NS_OK ? store_read_end(rq->store) : begun;
    if (end != NS_OK && !deps->failed)
        deps->failed = end; /* not one snapshot: not to be kept */
}

/* True if rs sets a cookie: an answer for one reader, whatever it says. */
static bool page_sets_cookie(const hresp_t *rs)
{
    for (size_t i = 0; i < rs->nheaders; i++)
        if (strcasecmp(rs->headers[i].name, "Set-Cookie") == 0)
            return true;
    return false;
}

bool page_keep(const hresp_t *rs, const store_deps *deps)
{
    return rs->cacheable && !deps->failed && !page_sets_cookie(rs) &&
           (rs->status == 200 || rs->status == 301 || rs->status == 404);
}

int page_admin_headers(hresp_t *rs)
{
    static const struct {
        const char *name, *value;
    } admin_headers[] = {
        {"Content-Security-Policy", PAGE_ADMIN_CSP},
        {"X-Frame-Options", "DENY"},
        {"Referrer-Policy", "same-origin"},
    };
    rs->cache_control = "no-store";
    rs->cacheable = false;
    for (size_t i = 0; i < sizeof admin_headers / sizeof *admin_headers; i++) {
        int rc = hresp_header(rs, admin_headers[i].name, admin_headers[i].value);
        if (rc != NS_OK)
            return rc;
    }
    return NS_OK;
}
